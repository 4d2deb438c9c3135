//! Busy loops in a whole pod: the trace says where podlife skipped ahead of one (a container's
//! behaviour line, a Note after an exec hook's start), and the hour still ends as the kubelet would.

#[macro_use]
mod support;

use support::*;

const BUSY: &str = "while true; do echo x >> /tmp/log; done";

fn pod(container: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: busy\nspec:\n  containers:\n{container}")
}

#[test]
fn a_busy_container_is_running_an_hour_later_and_its_behaviour_says_podlife_skipped_ahead() {
    let trace = run_with(
        &pod(&format!(
            "  - name: app\n    image: busybox:1.36\n    command: ['sh', '-c', '{BUSY}']\n"
        )),
        "until=3600s",
    );
    let behaviour = &trace.containers[0].behaviour;
    expect!(
        trace,
        behaviour.ends_with("busy loop: no sleep, runs until stopped; podlife skips ahead"),
        "behaviour: {behaviour}"
    );
    expect_eq!(
        trace,
        starts(&trace, "app").len(),
        1,
        "one start, no restart"
    );
}

#[test]
fn a_busy_prestop_hook_is_noted_at_its_start_and_runs_out_the_grace_period() {
    let trace = run_with(
        &pod(&format!(
            "  - name: app\n    image: busybox:1.36\n    command: ['sleep', 'infinity']\n    \
             lifecycle:\n      preStop:\n        exec:\n          command: ['sh', '-c', '{BUSY}']\n"
        )),
        "delete-at=30s",
    );
    let notes = events_of(&trace, "app", "Note");
    let note = notes
        .iter()
        .find(|e| e.message.contains("preStop hook"))
        .unwrap_or_else(|| panic!("{}", dump(&trace)));
    expect_eq!(
        trace,
        secs(note),
        30.0,
        "the note comes with the hook's start"
    );
    expect!(
        trace,
        note.message
            .ends_with("busy loop: no sleep, runs until stopped; podlife skips ahead"),
        "note: {}",
        note.message
    );
    // The hook never returns: it uses the 30 s grace period, the kubelet gives the container its
    // minimum 2 s more (R70, `minimumGracePeriodInSeconds`), then SIGKILL.
    expect_eq!(
        trace,
        sigkills(&trace, "app"),
        [62.0],
        "SIGKILL after the grace period"
    );
}

#[test]
fn a_busy_post_start_hook_is_noted_with_the_post_start_rule() {
    let trace = run(&pod(&format!(
        "  - name: app\n    image: busybox:1.36\n    command: ['sleep', 'infinity']\n    \
         lifecycle:\n      postStart:\n        exec:\n          command: ['sh', '-c', '{BUSY}']\n"
    )));
    let notes = events_of(&trace, "app", "Note");
    expect!(
        trace,
        notes
            .iter()
            .any(|e| e.rule == Some("R28") && e.message.starts_with("postStart hook")),
        "a postStart note"
    );
}

/// Twelve containers counting and sleeping 10 ms a round: each alone would stop at its own run's
/// budget, together they run out of the pod's first, and each behaviour line says so once.
#[test]
fn containers_that_share_the_pods_compute_budget_say_so_once_each() {
    let counting = "while true; do i=$((i+1)); sleep 0.01; done";
    let containers: String = (0..12)
        .map(|i| format!("  - name: c{i}\n    image: busybox:1.36\n    command: ['sh', '-c', '{counting}']\n"))
        .collect();
    let trace = run_with(&pod(&containers), "until=3600s");
    let phrase = "pod's compute budget spent: runs until stopped; podlife skips ahead";
    let saying: Vec<&str> = trace
        .containers
        .iter()
        .filter(|c| c.behaviour.ends_with(phrase))
        .map(|c| c.name.as_str())
        .collect();
    expect_eq!(trace, saying.len(), 12, "containers saying so: {saying:?}");
    let once = trace
        .containers
        .iter()
        .all(|c| c.behaviour.matches(phrase).count() == 1);
    expect!(trace, once, "said once per container");
    let alone = run_with(
        &pod(&containers[..containers.find("  - name: c1").unwrap_or(0)]),
        "until=3600s",
    );
    let behaviour = &alone.containers[0].behaviour;
    expect!(alone, !behaviour.contains(phrase), "alone: {behaviour}");
}
