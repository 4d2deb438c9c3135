//! The Job controller's side of a Job's pod (R58, R106): under `restartPolicy: OnFailure` the restarts
//! of every container count against `backoffLimit`, and past it (or past the Job's own
//! `activeDeadlineSeconds`) the Job fails and the controller deletes the pod, which stops with its
//! grace period.

#[macro_use]
mod support;

use podlife::trace::{EventKind, Trace};
use support::*;

/// A Job whose one container fails at once, with `restart_policy`, the Job spec's extra `settings`
/// lines, and an optional native sidecar that crash-loops too.
fn failing_job(restart_policy: &str, settings: &str, sidecar: bool) -> String {
    let sidecar = if sidecar {
        r#"
      initContainers:
        - name: helper
          image: busybox:1.36
          restartPolicy: Always
          command: ["sh", "-c", "sleep 2; exit 3"]"#
    } else {
        ""
    };
    format!(
        r#"
apiVersion: batch/v1
kind: Job
metadata:
  name: retries
spec:
{settings}
  template:
    spec:
      restartPolicy: {restart_policy}
      terminationGracePeriodSeconds: 5{sidecar}
      containers:
        - name: step
          image: busybox:1.36
          command: ["sh", "-c", "sleep 1; exit 1"]
"#
    )
}

fn job_failures(trace: &Trace) -> Vec<(f64, String)> {
    trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::JobFailed { reason } => Some((secs(e), reason.clone())),
            _ => None,
        })
        .collect()
}

/// The restart count the status showed last, summed over every container.
fn restarts_when_deleted(trace: &Trace) -> u32 {
    let deleted = pod_time_of(trace, "DeletionRequested");
    trace
        .status
        .iter()
        .filter(|s| s.t.0.as_secs() < deleted)
        .map(|s| s.restarts)
        .next_back()
        .unwrap_or(0)
}

#[test]
fn r58_on_failure_restarts_reach_the_backoff_limit_and_the_pod_is_deleted_a_batch_period_later() {
    let trace = run_with(
        &failing_job("OnFailure", "  backoffLimit: 3", false),
        "until=900s",
    );
    let failures = job_failures(&trace);
    expect_eq!(trace, failures.len(), 1, "one JobFailed: {failures:?}");
    expect_eq!(
        trace,
        failures[0].1.as_str(),
        "BackoffLimitExceeded",
        "the reason"
    );
    // The third restart is the one the limit counts: its status update wakes the controller.
    let third_restart = nth(starts(&trace, "step"), 3);
    expect_eq!(
        trace,
        failures[0].0,
        third_restart + 1.0,
        "syncJobBatchPeriod after the update"
    );
    expect_eq!(
        trace,
        pod_time_of(&trace, "DeletionRequested"),
        failures[0].0,
        "deleted as the Job fails"
    );
    expect_eq!(
        trace,
        starts(&trace, "step").len(),
        4,
        "the first run and 3 restarts"
    );
    expect_eq!(
        trace,
        restarts_when_deleted(&trace),
        3,
        "RESTARTS when deleted"
    );
    expect_eq!(
        trace,
        pod_times_of(&trace, "Removed").len(),
        1,
        "the pod is removed"
    );
}

#[test]
fn r58_a_backoff_limit_of_zero_fails_the_job_at_the_first_restart() {
    let trace = run_with(
        &failing_job("OnFailure", "  backoffLimit: 0", false),
        "until=300s",
    );
    let failures = job_failures(&trace);
    expect_eq!(trace, failures.len(), 1, "one JobFailed: {failures:?}");
    expect_eq!(
        trace,
        failures[0].0,
        nth(starts(&trace, "step"), 1) + 1.0,
        "a batch period after the first restart"
    );
}

#[test]
fn r58_the_default_backoff_limit_is_six() {
    let trace = run_with(
        &failing_job("OnFailure", "  completions: 1", false),
        "until=3600s",
    );
    expect_eq!(
        trace,
        starts(&trace, "step").len(),
        7,
        "the first run and 6 restarts"
    );
    expect_eq!(trace, job_failures(&trace).len(), 1, "the Job fails once");
}

#[test]
fn r58_a_sidecars_restarts_count_toward_the_limit_too() {
    let alone = run_with(
        &failing_job("OnFailure", "  backoffLimit: 4", false),
        "until=900s",
    );
    let with_sidecar = run_with(
        &failing_job("OnFailure", "  backoffLimit: 4", true),
        "until=900s",
    );
    let at = |t: &Trace| job_failures(t).first().map(|f| f.0).unwrap_or(f64::NAN);
    expect!(
        with_sidecar,
        at(&with_sidecar) < at(&alone),
        "the sidecar's restarts bring the limit sooner: {} vs {}",
        at(&with_sidecar),
        at(&alone)
    );
    expect!(
        with_sidecar,
        !starts(&with_sidecar, "helper").is_empty() && starts(&with_sidecar, "step").len() < 5,
        "the app restarted fewer than 4 times"
    );
}

#[test]
fn r106_under_never_the_failed_pod_stays_and_nothing_is_deleted() {
    let trace = run_with(
        &failing_job("Never", "  backoffLimit: 0", false),
        "until=120s",
    );
    expect_eq!(
        trace,
        job_failures(&trace).len(),
        0,
        "the pod is already terminal"
    );
    expect_eq!(
        trace,
        pod_times_of(&trace, "DeletionRequested").len(),
        0,
        "no deletion"
    );
    expect_eq!(trace, starts(&trace, "step").len(), 1, "one run");
}

#[test]
fn r106_the_jobs_deadline_deletes_the_running_pod_with_its_grace_period() {
    let trace = run_with(
        r#"
apiVersion: batch/v1
kind: Job
metadata:
  name: timeboxed
spec:
  activeDeadlineSeconds: 20
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 7
      containers:
        - name: work
          image: busybox:1.36
          command: ["sh", "-c", "sleep 3600"]
"#,
        "until=100s",
    );
    let failures = job_failures(&trace);
    expect_eq!(
        trace,
        failures,
        vec![(20.0, "DeadlineExceeded".to_string())],
        "at the deadline"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "work"),
        vec![20.0],
        "SIGTERM at the deletion"
    );
    // sleep as PID 1 ignores SIGTERM: SIGKILL at the end of the pod's grace period.
    expect_eq!(
        trace,
        sigkills(&trace, "work"),
        vec![27.0],
        "SIGKILL after the grace"
    );
}

#[test]
fn r106_a_job_that_succeeded_before_its_deadline_is_left_alone() {
    let trace = run_with(
        r#"
apiVersion: batch/v1
kind: Job
metadata:
  name: quick
spec:
  activeDeadlineSeconds: 30
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: work
          image: busybox:1.36
          command: ["sh", "-c", "sleep 2"]
"#,
        "until=60s",
    );
    expect_eq!(
        trace,
        job_failures(&trace).len(),
        0,
        "the Job does not fail"
    );
    expect_eq!(
        trace,
        pod_times_of(&trace, "DeletionRequested").len(),
        0,
        "no deletion"
    );
}

#[test]
fn r58_backoff_limit_per_index_leaves_the_pods_restarts_uncounted() {
    let trace = run_with(
        &failing_job(
            "OnFailure",
            "  completionMode: Indexed\n  completions: 2\n  backoffLimitPerIndex: 1",
            false,
        ),
        "until=600s",
    );
    expect_eq!(
        trace,
        job_failures(&trace).len(),
        0,
        "the Job does not fail"
    );
}
