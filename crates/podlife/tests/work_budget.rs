//! The kubelet loop's work budget: a pod whose hour is more than podlife computes for one run stops
//! early and says so (the outcome, a warning, a diagnostic the CLI and the page show), and one within
//! it runs to its end as before.

#[macro_use]
mod support;

use podlife::{simulate_manifest, SimulateOptions};
use support::*;

/// A pod named `name` that runs for `until`: its first containers as written in `first`, then `n`
/// more, each `{name: cI, image: busybox, command: [sh, -c, "<command>"]}`.
fn pod(name: &str, until: &str, first: &str, n: usize, command: &str) -> String {
    let mut yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  annotations:\n    podlife.dev/scenario: \"until={until}\"\nspec:\n  containers:\n{first}"
    );
    for i in 0..n {
        yaml.push_str(&format!(
            "  - {{name: c{i}, image: \"busybox:1.36\", command: [sh, -c, \"{command}\"]}}\n"
        ));
    }
    yaml
}

/// A pod of `n` containers that each crash-loop (exit 1 after a second) for `until`.
fn crash_loops(n: usize, until: &str) -> String {
    pod("many", until, "", n, "sleep 1; exit 1")
}

/// A pod of `n` containers that each print a line a second for `until`, and one probed every second
/// (so the loop stops every second, and every container's lines are kept as they come).
fn tickers(n: usize, until: &str) -> String {
    let probed = "  - {name: probed, image: \"busybox:1.36\", command: [sleep, \"3600\"], readinessProbe: {exec: {command: [\"true\"]}, periodSeconds: 1}}\n";
    pod(
        "ticks",
        until,
        probed,
        n,
        "while true; do echo tick; sleep 1; done",
    )
}

#[test]
fn a_pod_past_the_budget_stops_early_and_says_where() {
    let (trace, diagnostics) =
        simulate_manifest(&crash_loops(250, "3600s"), &SimulateOptions::default())
            .expect("simulates");
    let end = trace.end.0.as_secs();
    expect!(
        trace,
        trace.outcome.work_spent.is_some(),
        "stopped by the budget"
    );
    expect!(trace, end < 3600.0, "stopped before its hour: {end}");
    assert!(
        trace
            .outcome
            .summary
            .contains("where podlife stopped simulating"),
        "{}",
        trace.outcome.summary
    );
    assert!(
        trace
            .warnings
            .iter()
            .any(|w| w.contains("podlife stopped simulating at")),
        "{:?}",
        trace.warnings
    );
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("podlife stopped simulating at")),
        "the learner is told: {diagnostics:?}"
    );
    // Nothing happens after the run stopped.
    expect!(
        trace,
        trace.events.iter().all(|e| e.t.0.as_secs() <= end),
        "no event after the end"
    );
}

#[test]
fn the_stop_is_the_same_on_every_run() {
    let yaml = crash_loops(250, "3600s");
    let a = run(&yaml);
    let b = run(&yaml);
    expect_eq!(a, a.end, b.end, "the same end");
    expect_eq!(a, a.events.len(), b.events.len(), "the same events");
}

#[test]
fn lines_printed_count_against_the_budget() {
    let short = run(&tickers(100, "60s"));
    expect!(
        short,
        short.outcome.work_spent.is_none(),
        "a minute is within the budget"
    );
    let long = run(&tickers(100, "3600s"));
    expect!(long, long.outcome.work_spent.is_some(), "an hour is not");
    assert!(long.end.0.as_secs() < 3600.0);
}

#[test]
fn a_pod_within_the_budget_runs_to_its_end() {
    let trace = run(&crash_loops(20, "3600s"));
    expect!(
        trace,
        trace.outcome.work_spent.is_none(),
        "20 containers are within the budget"
    );
    assert!(trace.end.0.as_secs() >= 3600.0, "{}", trace.end.0.as_secs());
    assert!(!trace.outcome.summary.contains("stopped simulating"));
}

#[test]
fn exec_probe_runs_count_against_the_budget() {
    let probed = |n: usize, until: &str| {
        let mut yaml = pod("probed", until, "", 0, "");
        for i in 0..n {
            yaml.push_str(&format!(
                "  - {{name: c{i}, image: \"busybox:1.36\", command: [sleep, \"3600\"], livenessProbe: {{exec: {{command: [sh, -c, \"test -d /\"]}}, periodSeconds: 1}}}}\n"
            ));
        }
        yaml
    };
    // Ten containers for an hour are 36 000 visits of the loop, within the budget by themselves: it is
    // their 36 000 exec runs that spend it.
    let minute = run(&probed(10, "60s"));
    expect!(
        minute,
        minute.outcome.work_spent.is_none(),
        "a minute is within the budget"
    );
    let hour = run(&probed(10, "3600s"));
    let spent = hour.outcome.work_spent;
    expect!(
        hour,
        spent.is_some_and(|s| s.visits < 36_000 && s.exec_runs > 0),
        "an hour of ten probes a second is not: {spent:?}"
    );
}
