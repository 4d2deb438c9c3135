//! Helpers shared by `kubelet_rules.rs` and `upstream_e2e_scenarios.rs`: run a manifest through
//! `podlife::simulate_manifest` and read the trace the way the rulebook talks about it ("when did
//! `app` get SIGTERM", "what did `kubectl get pod` show at 12 s"). Every failure message carries the
//! whole trace, so a red test explains itself.
#![allow(dead_code)]

use std::fmt::Write as _;

use podlife::pod_status::PodPhase;
use podlife::scenario::Scenario;
use podlife::trace::{Event, EventKind, SignalName, StatusSnapshot, Trace};
use podlife::{CheckOptions, KubeVersion, SimulateOptions};

/// `assert_eq!` that prints the trace when it fails.
macro_rules! expect_eq {
    ($trace:expr, $left:expr, $right:expr, $($why:tt)+) => {{
        let (left, right) = (&$left, &$right);
        if left != right {
            panic!(
                "{}\n  got:      {:?}\n  expected: {:?}\n\n{}",
                format!($($why)+),
                left,
                right,
                $crate::support::dump(&$trace)
            );
        }
    }};
}

/// `assert!` that prints the trace when it fails.
macro_rules! expect {
    ($trace:expr, $cond:expr, $($why:tt)+) => {{
        let holds: bool = $cond;
        if !holds {
            panic!("{}\n\n{}", format!($($why)+), $crate::support::dump(&$trace));
        }
    }};
}

/// Simulates `yaml` on the default version (1.36) with the manifest's own scenario only.
pub fn run(yaml: &str) -> Trace {
    run_on(yaml, "1.36", "")
}

/// Simulates `yaml` with extra scenario actions written as in the `podlife.dev/scenario` annotation
/// (`"delete-at=20s grace=5s; set-image=app=busybox:1.37@30s; reboot-at=60s; until=120s"`).
pub fn run_with(yaml: &str, scenario: &str) -> Trace {
    run_on(yaml, "1.36", scenario)
}

/// Simulates `yaml` on Kubernetes `k8s` (`"1.29"`) with extra scenario actions.
pub fn run_on(yaml: &str, k8s: &str, scenario: &str) -> Trace {
    let k8s: KubeVersion = k8s.parse().expect("a supported Kubernetes version");
    let scenario = if scenario.trim().is_empty() {
        Scenario::default()
    } else {
        Scenario::parse(scenario).expect("a valid scenario")
    };
    let options = SimulateOptions {
        check: CheckOptions { k8s, pick: None },
        scenario,
    };
    match podlife::simulate_manifest(yaml, &options) {
        Ok((trace, _warnings)) => trace,
        Err(diagnostics) => panic!(
            "the manifest does not pass validation:\n{}\n---\n{yaml}",
            diagnostics
                .iter()
                .map(|d| format!("  {:?} {} {}", d.severity, d.path, d.message))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// The whole trace, one line per event, then the kubectl snapshots: what a failing test prints.
pub fn dump(trace: &Trace) -> String {
    let mut out = String::from("--- trace events ---\n");
    for e in &trace.events {
        let _ = writeln!(
            out,
            "{:>9.3}  {:<22} {:<22} [{}] {}",
            e.t.0.as_secs(),
            e.container.as_deref().unwrap_or("pod"),
            describe(&e.kind),
            e.rule.unwrap_or("-"),
            e.message
        );
    }
    out.push_str("--- kubectl get pod ---\n");
    for s in &trace.status {
        let _ = writeln!(
            out,
            "{:>9.3}  {:<10} {:<26} READY {:<5} RESTARTS {:<3} {:?}",
            s.t.0.as_secs(),
            s.phase.name(),
            s.status,
            s.ready,
            s.restarts,
            s.conditions
        );
    }
    let _ = writeln!(
        out,
        "--- outcome: {} (end {:.3}) ---",
        trace.outcome.summary,
        trace.end.0.as_secs()
    );
    out
}

fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Started { restart_count } => format!("Started#{restart_count}"),
        EventKind::Exited { exit_code, .. } => format!("Exited({exit_code})"),
        EventKind::Killing { signal } => format!("Killing({signal:?})"),
        EventKind::ProbeFailed { probe, .. } => format!("ProbeFailed({})", probe.name()),
        EventKind::StartedChanged { value } => format!("StartedChanged({value})"),
        EventKind::ReadyChanged { value } => format!("ReadyChanged({value})"),
        EventKind::ConditionChanged { condition, value } => format!("{condition}={value}"),
        EventKind::PhaseChanged { phase } => format!("Phase={}", phase.name()),
        EventKind::BackOff { delay, .. } => format!("BackOff({delay})"),
        other => other.name().to_string(),
    }
}

/// Seconds on the virtual clock of an event.
pub fn secs(e: &Event) -> f64 {
    e.t.0.as_secs()
}

/// The events of one container of a kind (`"Started"`, `"Exited"`, `"PreStopHookStarted"`), in order.
pub fn events_of<'a>(trace: &'a Trace, container: &str, kind: &str) -> Vec<&'a Event> {
    trace
        .events
        .iter()
        .filter(|e| e.container.as_deref() == Some(container) && e.kind.name() == kind)
        .collect()
}

/// When those events happened.
pub fn times_of(trace: &Trace, container: &str, kind: &str) -> Vec<f64> {
    events_of(trace, container, kind)
        .into_iter()
        .map(secs)
        .collect()
}

/// When the first such event happened; panics (with the trace) when there is none.
pub fn time_of(trace: &Trace, container: &str, kind: &str) -> f64 {
    match times_of(trace, container, kind).first() {
        Some(t) => *t,
        None => panic!(
            "no {kind} event for container {container:?}\n\n{}",
            dump(trace)
        ),
    }
}

/// Pod-level events of a kind (`"Removed"`, `"DeletionRequested"`, `"NodeRebooted"`).
pub fn pod_times_of(trace: &Trace, kind: &str) -> Vec<f64> {
    trace
        .events
        .iter()
        .filter(|e| e.container.is_none() && e.kind.name() == kind)
        .map(secs)
        .collect()
}

/// When the first pod-level event of a kind happened; panics when there is none.
pub fn pod_time_of(trace: &Trace, kind: &str) -> f64 {
    match pod_times_of(trace, kind).first() {
        Some(t) => *t,
        None => panic!("no pod {kind} event\n\n{}", dump(trace)),
    }
}

/// When the container was sent `signal` (`SignalName::Term` or `Kill`).
pub fn signals(trace: &Trace, container: &str, signal: SignalName) -> Vec<f64> {
    events_of(trace, container, "Killing")
        .into_iter()
        .filter(|e| matches!(e.kind, EventKind::Killing { signal: s } if s == signal))
        .map(secs)
        .collect()
}

pub fn sigterms(trace: &Trace, container: &str) -> Vec<f64> {
    signals(trace, container, SignalName::Term)
}

pub fn sigkills(trace: &Trace, container: &str) -> Vec<f64> {
    signals(trace, container, SignalName::Kill)
}

/// Every exit of the container: (time, exit code, reason).
pub fn exits(trace: &Trace, container: &str) -> Vec<(f64, i32, String)> {
    events_of(trace, container, "Exited")
        .into_iter()
        .filter_map(|e| match &e.kind {
            EventKind::Exited { exit_code, reason } => Some((secs(e), *exit_code, reason.clone())),
            _ => None,
        })
        .collect()
}

/// The last exit of the container: (exit code, reason); panics when it never exited.
pub fn last_exit(trace: &Trace, container: &str) -> (i32, String) {
    match exits(trace, container).pop() {
        Some((_, code, reason)) => (code, reason),
        None => panic!("container {container:?} never exited\n\n{}", dump(trace)),
    }
}

/// Start times of the container (first start and every restart).
pub fn starts(trace: &Trace, container: &str) -> Vec<f64> {
    times_of(trace, container, "Started")
}

/// The restart counts the `Started` events carry, in order.
pub fn restart_counts(trace: &Trace, container: &str) -> Vec<u32> {
    events_of(trace, container, "Started")
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Started { restart_count } => Some(restart_count),
            _ => None,
        })
        .collect()
}

/// When a probe of this kind (`"startup"`, `"readiness"`, `"liveness"`) of the container failed.
pub fn probe_failures(trace: &Trace, container: &str, probe: &str) -> Vec<f64> {
    events_of(trace, container, "ProbeFailed")
        .into_iter()
        .filter(|e| matches!(&e.kind, EventKind::ProbeFailed { probe: p, .. } if p.name() == probe))
        .map(secs)
        .collect()
}

/// When the container's `ready` (or `started`) flag became `value`.
pub fn flag_changes(trace: &Trace, container: &str, kind: &str, value: bool) -> Vec<f64> {
    events_of(trace, container, kind)
        .into_iter()
        .filter(|e| match e.kind {
            EventKind::ReadyChanged { value: v } | EventKind::StartedChanged { value: v } => {
                v == value
            }
            _ => false,
        })
        .map(secs)
        .collect()
}

pub fn ready_at(trace: &Trace, container: &str) -> Vec<f64> {
    flag_changes(trace, container, "ReadyChanged", true)
}

pub fn started_at(trace: &Trace, container: &str) -> Vec<f64> {
    flag_changes(trace, container, "StartedChanged", true)
}

/// When a pod condition (`"Initialized"`, `"Ready"`, ...) became `value`.
pub fn condition_changes(trace: &Trace, condition: &str, value: bool) -> Vec<f64> {
    trace
        .events
        .iter()
        .filter(|e| {
            matches!(&e.kind, EventKind::ConditionChanged { condition: c, value: v }
                if c == condition && *v == value)
        })
        .map(secs)
        .collect()
}

/// When the pod phase changed to `phase`.
pub fn phase_changes(trace: &Trace, phase: PodPhase) -> Vec<f64> {
    trace
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::PhaseChanged { phase: p } if p == phase))
        .map(secs)
        .collect()
}

/// What the API server held at `t`: the last snapshot written at or before `t`.
pub fn snapshot_at(trace: &Trace, t: f64) -> &StatusSnapshot {
    trace
        .status
        .iter()
        .rev()
        .find(|s| s.t.0.as_secs() <= t + 1e-9)
        .unwrap_or_else(|| panic!("no status snapshot at or before {t}\n\n{}", dump(trace)))
}

pub fn phase_at(trace: &Trace, t: f64) -> PodPhase {
    snapshot_at(trace, t).phase
}

/// kubectl's STATUS column at `t`.
pub fn kubectl_status_at(trace: &Trace, t: f64) -> String {
    snapshot_at(trace, t).status.clone()
}

/// Every STATUS value kubectl showed, in order, without repeats in a row.
pub fn kubectl_statuses(trace: &Trace) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for s in &trace.status {
        if seen.last() != Some(&s.status) {
            seen.push(s.status.clone());
        }
    }
    seen
}

/// The last snapshot: what the API server held at the end of the run.
pub fn final_snapshot(trace: &Trace) -> &StatusSnapshot {
    trace
        .status
        .last()
        .unwrap_or_else(|| panic!("no status snapshot\n\n{}", dump(trace)))
}

/// Was the container running at `t` (its last start at or before `t` is after its last exit)?
pub fn running_at(trace: &Trace, container: &str, t: f64) -> bool {
    let started = starts(trace, container)
        .into_iter()
        .filter(|s| *s <= t)
        .fold(None, |_, s| Some(s));
    let exited = exits(trace, container)
        .into_iter()
        .map(|(at, _, _)| at)
        .filter(|e| *e <= t)
        .fold(None, |_, e| Some(e));
    match (started, exited) {
        (Some(s), Some(e)) => s > e,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Did `a` and `b` run at the same time at some moment (upstream's `RunTogether`)?
pub fn ran_together(trace: &Trace, a: &str, b: &str) -> bool {
    let mut moments: Vec<f64> = starts(trace, a);
    moments.extend(starts(trace, b));
    moments
        .into_iter()
        .any(|t| running_at(trace, a, t) && running_at(trace, b, t))
}

/// The Events `kubectl describe pod` lists about one container, in order, without aggregation:
/// (time, `Normal`/`Warning`, reason, message). The message is the kubelet's, without the field path
/// kubectl prints before it from 1.35 (`spec.containers{app}: `).
pub fn described(trace: &Trace, container: &str) -> Vec<(f64, &'static str, &'static str, String)> {
    podlife::views::describe_rows(trace)
        .into_iter()
        .filter(|r| r.container.as_deref() == Some(container))
        .map(|r| {
            let message = kubelet_message(&r.message, container);
            (r.t.as_secs(), r.kind, r.reason, message)
        })
        .collect()
}

/// A describe row's message without kubectl's `spec.containers{NAME}: ` / `spec.initContainers{NAME}: `.
pub fn kubelet_message(message: &str, container: &str) -> String {
    ["containers", "initContainers"]
        .iter()
        .find_map(|list| message.strip_prefix(&format!("spec.{list}{{{container}}}: ")))
        .unwrap_or(message)
        .to_string()
}

/// Those of one reason (`"Killing"`, `"Failed"`): (time, message).
pub fn described_as(trace: &Trace, container: &str, reason: &str) -> Vec<(f64, String)> {
    described(trace, container)
        .into_iter()
        .filter(|(_, _, r, _)| *r == reason)
        .map(|(t, _, _, message)| (t, message))
        .collect()
}

/// Loads one file of `tests/corpus/scenarios/`.
pub fn scenario_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/scenarios")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first `n` items (fewer when there are fewer): `first(starts(&trace, "app"), 3)`.
pub fn first<T>(items: Vec<T>, n: usize) -> Vec<T> {
    items.into_iter().take(n).collect()
}

/// The `i`-th time, or NaN when there is none (so the comparison fails and prints the trace).
pub fn nth(times: Vec<f64>, i: usize) -> f64 {
    times.get(i).copied().unwrap_or(f64::NAN)
}

/// When the container's `i`-th exit happened (NaN when it did not).
pub fn exit_time(trace: &Trace, container: &str, i: usize) -> f64 {
    exits(trace, container).get(i).map_or(f64::NAN, |e| e.0)
}

/// The exit code of the container's `i`-th exit (`None` when it did not exit that often).
pub fn exit_code(trace: &Trace, container: &str, i: usize) -> Option<i32> {
    exits(trace, container).get(i).map(|e| e.1)
}
