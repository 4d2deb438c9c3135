//! The kubelet model held against docs/rules.md, sections C–L (R20–R98) and P (R102–R105),
//! one test or more per rule, named after what it checks and the rule's id. Each builds a small
//! manifest, simulates it on
//! Kubernetes 1.36 (unless the rule is about another version) and asserts on the trace: events, kubectl
//! snapshots and conditions, with exact times where the rulebook's timing model gives them.
//!
//! The timing model (brief and R30): the pod is scheduled at 0 and its sandbox is ready at 0.5 s; an
//! image is pulled right before its container starts (first pull 2 s, re-pull with `Always` 0.5 s,
//! present with `IfNotPresent` 0 s); exits and starts are noticed at the next PLEG relist on the 1 s
//! grid; regular containers start back to back in one sync, each postStart blocking the next; probe
//! workers tick from t = 0 every `periodSeconds`; crash-loop back-off is 0, 10, 20, 40 ... s from
//! FinishedAt; termination follows R67–R75.
//!
//! Containers are real shell scripts (they are the spec for the behaviour interpreter):
//! - `sh -c 'sleep 3600'` runs as PID 1 without a handler: it ignores SIGTERM and dies of SIGKILL (R75);
//! - `trap 'exit 0' TERM; sleep 3600 & wait` exits 0 at once on SIGTERM;
//! - `trap 'sleep 5; exit 0' TERM; ...` takes 5 s to exit after SIGTERM.
//!
//! Section O of the rulebook (the ten things a naive simulator gets wrong) is covered by the tests whose
//! names end in `_o1` ... `_o10`:
//! o1 crash-loop back-off · o2 when a sidecar is started · o3 back-to-back regular starts and lazy pulls ·
//! o4 termination with sidecars · o5 nothing restarts during termination · o6 sidecar exit codes and the
//! phase · o7 completion tears sidecars down · o8 init failure and restartPolicy · o9 kubectl columns ·
//! o10 kills inside the sync, image updates, sandbox loss.

#[macro_use]
mod support;

use podlife::pod_status::PodPhase;
use podlife::trace::{EventKind, IntervalState};
use support::*;

// ================================================================ C. Sandbox and start-up ordering

#[test]
fn no_container_starts_before_the_sandbox_is_ready_r20() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r20
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(
        trace,
        pod_time_of(&trace, "Scheduled"),
        0.0,
        "scheduled at 0"
    );
    expect_eq!(
        trace,
        condition_changes(&trace, "PodScheduled", true),
        vec![0.0],
        "PodScheduled"
    );
    expect_eq!(
        trace,
        condition_changes(&trace, "PodReadyToStartContainers", true),
        vec![0.5],
        "the sandbox is ready at 0.5 s"
    );
    expect_eq!(
        trace,
        time_of(&trace, "app", "Pulling"),
        0.5,
        "nothing is pulled before the sandbox exists"
    );
    expect_eq!(trace, starts(&trace, "app"), vec![2.5], "2 s first pull");
    // A pod without init containers is Initialized at once, even before its sandbox (R20, R45).
    expect_eq!(
        trace,
        condition_changes(&trace, "Initialized", true),
        vec![0.0],
        "Initialized without init containers"
    );
}

#[test]
fn a_node_reboot_reruns_every_init_container_and_sidecar_r21_o10() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r21
spec:
  restartPolicy: Always
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
"#,
        "reboot-at=30s; until=120s",
    );
    for name in ["init-1", "sidecar", "app"] {
        expect_eq!(
            trace,
            restart_counts(&trace, name),
            vec![0, 1],
            "{name} runs again, its restart count goes up"
        );
        expect!(
            trace,
            nth(starts(&trace, name), 1) > 30.0,
            "{name} reruns after the reboot"
        );
    }
    let again = |name: &str| nth(starts(&trace, name), 1);
    expect!(
        trace,
        again("init-1") < again("sidecar") && again("sidecar") < again("app"),
        "start-up reruns from init container 0, in order"
    );
    expect_eq!(
        trace,
        phase_at(&trace, again("init-1")),
        PodPhase::Pending,
        "re-initializing pod reports Pending (R98)"
    );
}

#[test]
fn a_never_pod_that_already_ran_gets_no_new_sandbox_r21() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r21-never
spec:
  restartPolicy: Never
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "reboot-at=30s; until=120s",
    );
    expect_eq!(trace, starts(&trace, "app"), vec![2.5], "nothing reruns");
}

#[test]
fn init_containers_run_one_at_a_time_in_order_r22() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r22
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit 0"]
    - name: init-2
      image: busybox:1.36
      imagePullPolicy: Always
      command: ["sh", "-c", "sleep 2; exit 0"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // init-1: pulled 0.5–2.5, runs 2.5–4.5; its exit is noticed at the 5 s relist.
    expect_eq!(trace, starts(&trace, "init-1"), vec![2.5], "init-1");
    expect_eq!(
        trace,
        exits(&trace, "init-1"),
        vec![(4.5, 0, "Completed".to_string())],
        "init-1 exits 0"
    );
    expect_eq!(
        trace,
        time_of(&trace, "init-2", "Pulling"),
        5.0,
        "init-2 is only touched after init-1 is done"
    );
    expect_eq!(
        trace,
        starts(&trace, "init-2"),
        vec![5.5],
        "0.5 s re-pull (Always)"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![8.0],
        "init-2 exits at 7.5, noticed at 8"
    );
}

#[test]
fn a_sidecar_counts_as_done_once_it_is_started_r22() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r22-sidecar
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
    - name: init-2
      image: busybox:1.36
      imagePullPolicy: Always
      command: ["sh", "-c", "sleep 2; exit 0"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(trace, starts(&trace, "sidecar"), vec![2.5], "sidecar");
    expect_eq!(
        trace,
        started_at(&trace, "sidecar"),
        vec![2.5],
        "no startup probe, no postStart: started as soon as it runs"
    );
    expect_eq!(
        trace,
        time_of(&trace, "init-2", "Pulling"),
        3.0,
        "init-2 goes at the next relist"
    );
    expect_eq!(trace, starts(&trace, "init-2"), vec![3.5], "init-2");
    expect_eq!(trace, starts(&trace, "app"), vec![6.0], "app");
    expect!(
        trace,
        exits(&trace, "sidecar").is_empty(),
        "the sidecar keeps running"
    );
}

#[test]
fn a_sidecar_is_started_only_when_its_post_start_hook_returns_r23_o2() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r23-poststart
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "sleep 3"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(trace, starts(&trace, "sidecar"), vec![2.5], "sidecar runs");
    expect_eq!(
        trace,
        times_of(&trace, "sidecar", "PostStartHookFinished"),
        vec![5.5],
        "hook"
    );
    expect_eq!(
        trace,
        started_at(&trace, "sidecar"),
        vec![5.5],
        "started when the hook returns"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![5.5],
        "the app waits for the hook"
    );
}

#[test]
fn a_sidecar_is_started_only_when_its_startup_probe_passes_r23_o2() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r23-startup
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 5
        periodSeconds: 2
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // Ticks at 0, 2, 4, 6, 8: the first at or after 2.5 + 5 is 8.
    expect_eq!(trace, starts(&trace, "sidecar"), vec![2.5], "sidecar runs");
    expect_eq!(
        trace,
        started_at(&trace, "sidecar"),
        vec![8.0],
        "started at the startup probe's success"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![8.0],
        "the app starts at once after that"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 6.0),
        "Init:0/1",
        "a running, not started sidecar holds the pod in init"
    );
}

#[test]
fn a_failing_sidecar_readiness_probe_does_not_hold_back_the_app_r23_o2() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r23-readiness
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 1
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=60s",
    );
    expect_eq!(trace, started_at(&trace, "sidecar"), vec![2.5], "started");
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![3.0],
        "the app starts at the next relist"
    );
    expect!(
        trace,
        ready_at(&trace, "sidecar").is_empty(),
        "the sidecar never becomes ready"
    );
    expect!(
        trace,
        condition_changes(&trace, "Ready", true).is_empty(),
        "so the pod is never Ready (R47)"
    );
}

#[test]
fn a_started_sidecar_runs_alongside_later_init_and_regular_containers_r24() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r24
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
    - name: init-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit 0"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect!(
        trace,
        ran_together(&trace, "sidecar", "init-2"),
        "sidecar and init-2 run together"
    );
    expect!(
        trace,
        ran_together(&trace, "sidecar", "app"),
        "sidecar and app run together"
    );
}

#[test]
fn after_initialization_a_crashing_sidecar_restarts_alone_r25() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r25
spec:
  restartPolicy: Always
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 10; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=120s",
    );
    // init-1 2.5–3.5, sidecar at 4, app at 5; the sidecar then exits every 10 s.
    expect_eq!(trace, starts(&trace, "init-1"), vec![2.5], "never rerun");
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![5.0],
        "never blocked, never restarted"
    );
    expect!(
        trace,
        starts(&trace, "sidecar").len() >= 3,
        "the sidecar restarts on its own"
    );
    let initialized = condition_changes(&trace, "Initialized", true);
    expect_eq!(trace, initialized.len(), 1, "Initialized becomes True once");
    expect!(
        trace,
        condition_changes(&trace, "Initialized", false)
            .iter()
            .all(|t| *t < initialized[0]),
        "and never goes back to False"
    );
}

#[test]
fn the_app_starts_once_the_last_sidecar_is_started_while_an_earlier_one_is_in_back_off_r25() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r25-last
spec:
  initContainers:
    - name: sidecar-a
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 1; exit 1"]
    - name: sidecar-b
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 10
        periodSeconds: 1
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=60s",
    );
    // sidecar-a runs 2.5–3.5 (sidecar-b starts at the 3 s sync), again 4–5 (the first restart is
    // immediate), then backs off 10 s from 5. sidecar-b's startup probe passes at 13: the LAST init
    // container is done, so the app starts at once, while sidecar-a waits out its back-off.
    expect_eq!(
        trace,
        starts(&trace, "sidecar-b"),
        vec![3.0],
        "sidecar-b starts while sidecar-a runs"
    );
    expect_eq!(
        trace,
        started_at(&trace, "sidecar-b"),
        vec![13.0],
        "sidecar-b is started at its startup probe's success"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![13.0],
        "the app does not wait for the crash-looping sidecar-a"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "sidecar-a"), 3),
        vec![2.5, 4.0, 15.0],
        "sidecar-a restarts beside the app when its back-off ends"
    );
    expect!(
        trace,
        !running_at(&trace, "sidecar-a", 13.0),
        "sidecar-a is in back-off when the app starts"
    );
}

#[test]
fn when_the_app_has_exited_it_waits_for_the_last_sidecar_to_be_started_again_r25() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r25-exited
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 10; exit 0"]
"#,
        "until=40s",
    );
    // sidecar 2.5–5.5, 6–9, then back-off until 19; the app runs 3–13. With the app exited and the
    // sidecar not started, `computePodActions` returns early: the app's restart waits for the sidecar's
    // restart at 19 and the sync after it, at 20 (the app's own first restart has no back-off).
    expect_eq!(
        trace,
        first(starts(&trace, "sidecar"), 3),
        vec![2.5, 6.0, 19.0],
        "the sidecar crash-loops"
    );
    expect_eq!(
        trace,
        exit_time(&trace, "app", 0),
        13.0,
        "the app exits while the sidecar backs off"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 2),
        vec![3.0, 20.0],
        "the app is restarted only once the sidecar is started again"
    );
    expect_eq!(
        trace,
        phase_at(&trace, 16.0),
        PodPhase::Running,
        "restartPolicy Always: still Running meanwhile"
    );
}

#[test]
fn regular_containers_start_back_to_back_each_post_start_blocking_the_next_r26_o3() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r26
spec:
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "sleep 4"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 60
    - name: app-3
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(trace, starts(&trace, "app-1"), vec![2.5], "app-1");
    expect_eq!(
        trace,
        times_of(&trace, "app-2", "Created"),
        vec![6.5],
        "app-2 is not even created before app-1's postStart returns"
    );
    expect_eq!(trace, starts(&trace, "app-2"), vec![6.5], "app-2");
    expect_eq!(
        trace,
        starts(&trace, "app-3"),
        vec![6.5],
        "app-2's startup probe does not hold back app-3"
    );
}

#[test]
fn images_are_pulled_lazily_right_before_each_container_starts_r27_o3() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r27
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit 0"]
    - name: init-2
      image: alpine:3.20
      command: ["sh", "-c", "sleep 1; exit 0"]
  containers:
    - name: web
      image: nginx:1.27
"#);
    expect_eq!(
        trace,
        times_of(&trace, "init-1", "Pulling"),
        vec![0.5],
        "busybox"
    );
    expect_eq!(
        trace,
        times_of(&trace, "init-2", "Pulling"),
        vec![5.0],
        "alpine is pulled when init-2's turn comes, not while init-1 runs"
    );
    expect_eq!(trace, starts(&trace, "init-2"), vec![7.0], "2 s pull");
    let web_pull = time_of(&trace, "web", "Pulling");
    expect!(
        trace,
        (8.0..=9.0).contains(&web_pull),
        "nginx is pulled after init-2 exits at 8 (at {web_pull})"
    );
    expect_eq!(
        trace,
        starts(&trace, "web"),
        vec![web_pull + 2.0],
        "then started"
    );
}

#[test]
fn post_start_runs_while_the_entrypoint_runs_and_the_kubelet_waits_r28() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r28
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "sleep 3"]
"#);
    expect_eq!(trace, starts(&trace, "app"), vec![2.5], "started");
    expect_eq!(
        trace,
        times_of(&trace, "app", "PostStartHookStarted"),
        vec![2.5],
        "the hook is issued right after the start call"
    );
    expect_eq!(
        trace,
        times_of(&trace, "app", "PostStartHookFinished"),
        vec![5.5],
        "and blocks 3 s"
    );
    expect!(
        trace,
        exits(&trace, "app").is_empty() && running_at(&trace, "app", 4.0),
        "the entrypoint runs meanwhile"
    );
    expect_eq!(
        trace,
        started_at(&trace, "app"),
        vec![5.5],
        "started once the hook returned"
    );
}

#[test]
fn a_failed_post_start_hook_kills_the_container_which_is_then_restarted_r28() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r28-fail
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "sleep 1; exit 1"]
"#,
        "until=30s",
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app").first().copied(),
        Some(3.5),
        "killed when the failed hook returns"
    );
    expect_eq!(
        trace,
        exits(&trace, "app").first().map(|e| (e.0, e.1)),
        Some((3.5, 0)),
        "exits on SIGTERM"
    );
    expect_eq!(
        trace,
        starts(&trace, "app").get(1).copied(),
        Some(4.0),
        "restarted at once (first restart) at the next relist"
    );
    expect_eq!(
        trace,
        restart_counts(&trace, "app").get(1).copied(),
        Some(1),
        "restart count"
    );
}

#[test]
fn a_sidecar_that_exits_before_it_is_started_holds_back_the_next_init_container_r29() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r29-early
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 4; exit 1"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 10
        periodSeconds: 1
    - name: init-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=120s",
    );
    // Exits at 6.5 (noticed at 7), restarted at once; exits at 11, back-off 10 s: 21.
    expect_eq!(
        trace,
        first(starts(&trace, "sidecar"), 3),
        vec![2.5, 7.0, 21.0],
        "restarted with back-off, even in a Never pod"
    );
    expect!(
        trace,
        starts(&trace, "init-2").is_empty() && starts(&trace, "app").is_empty(),
        "nothing after a never-started sidecar starts"
    );
    expect_eq!(
        trace,
        final_snapshot(&trace).phase,
        PodPhase::Pending,
        "the pod stays Pending"
    );
}

#[test]
fn a_sidecar_that_exits_while_a_later_init_container_runs_restarts_in_parallel_r29() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r29-parallel
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3; exit 1"]
    - name: init-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 10; exit 0"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=60s",
    );
    expect_eq!(trace, starts(&trace, "init-2"), vec![3.0], "init-2 once");
    expect_eq!(
        trace,
        exits(&trace, "init-2"),
        vec![(13.0, 0, "Completed".to_string())],
        "init-2 keeps running to its end"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "sidecar"), 3),
        vec![2.5, 6.0, 19.0],
        "the sidecar restarts beside it: at once, then after 10 s"
    );
    expect!(
        trace,
        running_at(&trace, "init-2", 6.0),
        "init-2 was running at the sidecar's restart"
    );
}

#[test]
fn the_next_init_container_starts_at_the_relist_after_the_previous_exit_r30() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r30
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit 0"]
    - name: init-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit 0"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(
        trace,
        exit_time(&trace, "init-1", 0),
        4.5,
        "init-1 exits at 4.5"
    );
    expect_eq!(
        trace,
        starts(&trace, "init-2"),
        vec![5.0],
        "init-2 starts at the 5 s relist (image present)"
    );
}

#[test]
fn a_probe_result_change_syncs_the_pod_at_once_r30() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r30-probe
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        periodSeconds: 7
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // Ticks at 0 and 7; the sidecar runs from 2.5, so the probe passes at 7 and the app starts at 7.
    expect_eq!(
        trace,
        started_at(&trace, "sidecar"),
        vec![7.0],
        "startup probe passes"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![7.0],
        "not at the next relist: the probe result triggers a sync"
    );
}

#[test]
fn deleting_a_pod_during_initialization_kills_the_init_container_and_starts_nothing_r31() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r31
spec:
  restartPolicy: Never
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 300; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "delete-at=10s grace=3s",
    );
    expect_eq!(trace, sigterms(&trace, "init-1"), vec![10.0], "SIGTERM");
    expect_eq!(
        trace,
        sigkills(&trace, "init-1"),
        vec![13.0],
        "the shell ignores SIGTERM: SIGKILL at the 3 s deadline"
    );
    expect_eq!(
        trace,
        last_exit(&trace, "init-1"),
        (137, "Error".to_string()),
        "137"
    );
    expect!(
        trace,
        starts(&trace, "sidecar").is_empty() && starts(&trace, "app").is_empty(),
        "what had not started never starts"
    );
    expect_eq!(
        trace,
        trace.outcome.removed_at.map(|t| t.0.as_secs()),
        Some(13.0),
        "gone within grace + a few seconds"
    );
}

// ================================================================ D. Probes

#[test]
fn probes_run_for_sidecars_and_regular_containers_r32() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r32
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        periodSeconds: 5
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        periodSeconds: 5
"#);
    // init-1 2.5–3.5, sidecar from 4, app from 5. The sync after each start (the 1 s relist) asks the
    // readiness worker of the started, not-ready container for an attempt at once (R37): the sidecar
    // is probed at 5, the app at 6.
    expect_eq!(trace, starts(&trace, "sidecar"), vec![4.0], "sidecar");
    expect_eq!(
        trace,
        ready_at(&trace, "sidecar"),
        vec![5.0],
        "the sidecar's readiness probe runs"
    );
    expect_eq!(trace, starts(&trace, "app"), vec![5.0], "app");
    expect_eq!(
        trace,
        ready_at(&trace, "app"),
        vec![6.0],
        "the app's readiness probe runs at the sync after its start"
    );
}

#[test]
fn readiness_needs_success_threshold_successes_in_a_row_r33() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r33-success
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        periodSeconds: 1
        successThreshold: 3
"#);
    // Running from 2.5: successes at the 3 s tick, at once again for the sync after the start (R37),
    // then at 4. Readiness starts as Failure, so not ready before the third.
    expect_eq!(trace, ready_at(&trace, "app"), vec![4.0], "ready at 4");
}

#[test]
fn liveness_kills_only_after_failure_threshold_failures_in_a_row_r33() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r33-failure
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 2
        failureThreshold: 3
"#,
        "until=10s",
    );
    expect_eq!(
        trace,
        first(probe_failures(&trace, "app", "liveness"), 3),
        vec![4.0, 6.0, 8.0],
        "ticks at 4, 6, 8 (not running at 2)"
    );
    expect_eq!(
        trace,
        first(sigterms(&trace, "app"), 1),
        vec![8.0],
        "liveness starts as Success: killed at the third failure"
    );
}

#[test]
fn the_first_probe_waits_for_the_workers_next_tick_r34() {
    // Liveness: nothing asks for an attempt between ticks (readiness is asked, R37).
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r34
spec:
  containers:
    - name: slow
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 10
        failureThreshold: 5
    - name: delayed
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 3
        failureThreshold: 5
"#,
        "until=12s",
    );
    expect_eq!(
        trace,
        starts(&trace, "slow"),
        vec![2.5],
        "both start at 2.5"
    );
    expect_eq!(
        trace,
        first(probe_failures(&trace, "slow", "liveness"), 1),
        vec![10.0],
        "ticks at 0, 10: the first probe after the start is at 10, not 2.5"
    );
    expect_eq!(
        trace,
        first(probe_failures(&trace, "delayed", "liveness"), 1),
        vec![9.0],
        "ticks at 6 (3.5 s < 5 s) and 9: first tick at or after 2.5 + 5"
    );
}

#[test]
fn a_failed_startup_probe_kills_through_pre_stop_and_restarts_r35() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r35
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 2
        failureThreshold: 2
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 1"]
"#,
        "until=30s",
    );
    expect_eq!(
        trace,
        first(probe_failures(&trace, "app", "startup"), 2),
        vec![4.0, 6.0],
        "two failures"
    );
    expect_eq!(
        trace,
        nth(times_of(&trace, "app", "PreStopHookStarted"), 0),
        6.0,
        "preStop runs first"
    );
    expect_eq!(
        trace,
        nth(sigterms(&trace, "app"), 0),
        7.0,
        "SIGTERM after the 1 s preStop"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 2),
        vec![2.5, 7.0],
        "restarted in the same sync (first restart: no back-off)"
    );
    expect!(trace, started_at(&trace, "app").is_empty(), "never started");
}

#[test]
fn liveness_does_not_run_before_the_startup_probe_succeeds_r35() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r35-gate
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 10
        periodSeconds: 1
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 1
        failureThreshold: 1
"#,
        "until=20s",
    );
    expect_eq!(
        trace,
        nth(started_at(&trace, "app"), 0),
        13.0,
        "startup passes at 13 (2.5 + 10 → tick 13)"
    );
    let failures = probe_failures(&trace, "app", "liveness");
    expect!(
        trace,
        !failures.is_empty() && failures.iter().all(|t| *t >= 13.0),
        "liveness only runs once started: {failures:?}"
    );
    expect!(
        trace,
        sigterms(&trace, "app").iter().all(|t| *t >= 13.0),
        "no kill before"
    );
}

#[test]
fn a_never_pod_container_killed_by_liveness_is_not_restarted_r36() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r36-never
spec:
  restartPolicy: Never
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 1"]
"#,
        "until=60s",
    );
    expect_eq!(
        trace,
        times_of(&trace, "app", "PreStopHookStarted"),
        vec![8.0],
        "killed at the 8 s tick (2.5 + 5 → 8), preStop first"
    );
    expect_eq!(trace, sigterms(&trace, "app"), vec![9.0], "then SIGTERM");
    expect_eq!(trace, starts(&trace, "app"), vec![2.5], "not restarted");
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Succeeded,
        "it exited 0 on SIGTERM"
    );
}

#[test]
fn a_failed_liveness_worker_waits_for_the_next_instance_r36() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r36-hold
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 5"]
"#,
        "until=40s",
    );
    // Fails at 8, preStop 8–13, restart at 13, next instance probed from 18.
    expect_eq!(
        trace,
        first(probe_failures(&trace, "app", "liveness"), 2),
        vec![8.0, 18.0],
        "no probing while the failed instance is in its preStop"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 2),
        vec![2.5, 13.0],
        "restarted after the kill"
    );
}

#[test]
fn a_sidecar_killed_by_liveness_restarts_even_in_a_never_pod_and_holds_nothing_back_r36() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r36-sidecar
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=30s",
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![3.0],
        "the app starts and keeps running"
    );
    expect_eq!(
        trace,
        nth(sigterms(&trace, "sidecar"), 0),
        8.0,
        "liveness kill at 8"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "sidecar"), 2),
        vec![2.5, 8.0],
        "the sidecar is restarted"
    );
}

#[test]
fn startup_success_triggers_a_readiness_probe_at_once_r37() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r37
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 4
        periodSeconds: 1
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        periodSeconds: 30
"#);
    expect_eq!(trace, started_at(&trace, "app"), vec![7.0], "started at 7");
    expect_eq!(
        trace,
        ready_at(&trace, "app"),
        vec![7.0],
        "ready at once, not at the 30 s tick"
    );
}

#[test]
fn a_failing_readiness_probe_never_restarts_r37() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r37-never-restarts
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 1
"#,
        "until=60s",
    );
    expect!(
        trace,
        probe_failures(&trace, "app", "readiness").len() > 10,
        "it keeps failing"
    );
    expect_eq!(trace, starts(&trace, "app"), vec![2.5], "never restarted");
    expect!(trace, sigterms(&trace, "app").is_empty(), "never killed");
    expect!(trace, ready_at(&trace, "app").is_empty(), "never ready");
}

#[test]
fn without_a_readiness_probe_a_container_is_ready_once_started_r38() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r38
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    let init_ready = ready_at(&trace, "init-1");
    expect!(
        trace,
        init_ready.len() == 1 && init_ready[0] >= 3.5,
        "an init container is Ready once it exited 0 (at 3.5): {init_ready:?}"
    );
    expect_eq!(
        trace,
        ready_at(&trace, "sidecar"),
        vec![4.0],
        "the sidecar is ready when started"
    );
    expect_eq!(
        trace,
        started_at(&trace, "sidecar"),
        vec![4.0],
        "started at 4"
    );
    expect_eq!(trace, ready_at(&trace, "app"), vec![5.0], "the app too");
}

#[test]
fn an_exec_probe_past_its_timeout_is_a_failure_r39() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r39
spec:
  restartPolicy: Always
  containers:
    - name: live
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "sleep 10"]
        timeoutSeconds: 1
        periodSeconds: 5
        failureThreshold: 1
    - name: ready
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "sleep 10"]
        timeoutSeconds: 1
        periodSeconds: 5
"#,
        "until=30s",
    );
    let kill = sigterms(&trace, "live");
    expect!(
        trace,
        !kill.is_empty() && (5.0..=6.0).contains(&kill[0]),
        "the liveness probe at the 5 s tick times out after 1 s and kills: {kill:?}"
    );
    expect!(
        trace,
        starts(&trace, "live").len() >= 2,
        "and the container is restarted"
    );
    expect!(
        trace,
        ready_at(&trace, "ready").is_empty(),
        "a timing-out readiness probe never makes the container ready"
    );
}

#[test]
fn a_probe_grace_period_replaces_the_pod_grace_period_for_probe_kills_r40() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r40
spec:
  terminationGracePeriodSeconds: 500
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
        terminationGracePeriodSeconds: 5
"#,
        "until=20s",
    );
    expect_eq!(trace, nth(sigterms(&trace, "app"), 0), 8.0, "killed at 8");
    expect_eq!(
        trace,
        nth(sigkills(&trace, "app"), 0),
        13.0,
        "SIGKILL 5 s later, not 500 s"
    );
    expect_eq!(
        trace,
        exit_code(&trace, "app", 0),
        Some(137),
        "the shell ignored SIGTERM"
    );
}

#[test]
fn probe_results_start_over_with_each_new_instance_r41() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r41
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 20; exit 1"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 3
        periodSeconds: 1
"#,
        "until=30s",
    );
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 2),
        vec![2.5, 23.0],
        "exits at 22.5, restarted at once"
    );
    expect_eq!(
        trace,
        flag_changes(&trace, "app", "ReadyChanged", false),
        vec![22.5],
        "not ready when it exits"
    );
    expect_eq!(
        trace,
        ready_at(&trace, "app"),
        vec![6.0, 26.0],
        "initialDelaySeconds counts again from the new StartedAt"
    );
}

#[test]
fn liveness_stops_and_readiness_goes_on_during_termination_r42_o5() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r42
spec:
  terminationGracePeriodSeconds: 60
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 1
        failureThreshold: 15
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 10"]
"#,
        "delete-at=10s",
    );
    let liveness = probe_failures(&trace, "app", "liveness");
    expect!(
        trace,
        !liveness.is_empty() && liveness.iter().all(|t| *t <= 10.0),
        "liveness stops when termination starts: {liveness:?}"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![20.0],
        "no liveness kill: SIGTERM only after the preStop"
    );
    expect!(
        trace,
        probe_failures(&trace, "app", "readiness")
            .iter()
            .any(|t| *t > 10.0 && *t < 20.0),
        "readiness keeps probing during the preStop"
    );
}

#[test]
fn a_kill_with_a_long_pre_stop_blocks_every_other_action_for_the_pod_r43_o10() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r43
spec:
  restartPolicy: Always
  terminationGracePeriodSeconds: 60
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 1
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 20"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 5; exit 1"]
"#,
        "until=40s",
    );
    // app-1 is killed at 4 (preStop 4–24); app-2 exits at 7.5 but cannot be restarted before 24.
    expect_eq!(
        trace,
        nth(times_of(&trace, "app-1", "PreStopHookStarted"), 0),
        4.0,
        "kill"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "app-2"), 2),
        vec![2.5, 24.0],
        "app-2's restart waits for app-1's kill to return"
    );
    expect_eq!(
        trace,
        nth(starts(&trace, "app-1"), 1),
        24.0,
        "app-1 restarts in the same sync"
    );
}

#[test]
fn a_kill_decided_during_a_blocked_sync_waits_for_that_syncs_restart_r43() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r43-later-kill
spec:
  restartPolicy: Always
  terminationGracePeriodSeconds: 60
  initContainers:
    - name: proxy
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 8
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 5"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 1
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 20"]
"#,
        "until=40s",
    );
    // The sync at 4 kills app (preStop 4-24) and then restarts it. proxy fails its liveness probe at
    // 11, while that sync is blocked: the next sync kills it (preStop 24-29) and restarts it.
    expect_eq!(
        trace,
        nth(probe_failures(&trace, "proxy", "liveness"), 0),
        11.0,
        "proxy fails while app's kill runs"
    );
    expect_eq!(
        trace,
        times_of(&trace, "proxy", "PreStopHookStarted"),
        vec![24.0],
        "proxy's kill starts only when app's kill has returned"
    );
    expect_eq!(
        trace,
        nth(starts(&trace, "app"), 1),
        24.0,
        "app is restarted by the sync that killed it, before proxy's kill"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "proxy"), 2),
        vec![2.5, 29.0],
        "proxy restarts when its own kill returns"
    );
}

#[test]
fn a_deletion_during_a_liveness_kill_waits_for_that_syncs_restart_then_kills_with_its_grace_r43() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r43-delete-during-kill
spec:
  terminationGracePeriodSeconds: 60
  initContainers:
    - name: side
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 20; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["false"]
        initialDelaySeconds: 10
        periodSeconds: 5
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 40"]
    - name: other
      image: busybox:1.36
      command: ["sh", "-c", "sleep 25; exit 2"]
"#,
        "delete-at=30s; until=150s",
    );
    // The liveness kill starts at 15 (preStop 15–55). The deletion at 30 is recorded at once, but the
    // runtime's SyncPod is not cancelled: app is restarted at 55 as that sync decided, and only then
    // does SyncTerminatingPod kill it with the deletion's grace (60 s) counted from 55.
    expect_eq!(
        trace,
        pod_time_of(&trace, "DeletionRequested"),
        30.0,
        "the deletion is recorded when it comes"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 31.0),
        "Terminating".to_string(),
        "kubectl shows Terminating at once"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![3.0, 55.0],
        "the restart the blocked sync decided still happens"
    );
    expect_eq!(
        trace,
        times_of(&trace, "app", "PreStopHookStarted"),
        vec![15.0, 55.0],
        "the pod's termination kills the new instance, preStop again"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![55.0, 95.0],
        "SIGTERM after each 40 s preStop"
    );
    expect_eq!(
        trace,
        pod_time_of(&trace, "Removed"),
        95.0,
        "removed once the new instance has stopped"
    );
    expect_eq!(
        trace,
        starts(&trace, "other"),
        vec![3.0],
        "nothing else restarts"
    );
}

#[test]
fn a_deletion_during_a_failed_post_start_kill_waits_for_that_kill_r43() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r43-delete-during-post-start-kill
spec:
  containers:
    - name: hooked
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "echo draining; exit 3"]
    - name: badstart
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "echo nope >&2; exit 1"]
"#,
        "delete-at=40s; until=120s",
    );
    // badstart's second postStart fails at 33: startContainer kills it (SIGKILL at 63) before it
    // returns. The deletion at 40 waits for that sync: hooked is stopped at 63.
    expect_eq!(
        trace,
        pod_time_of(&trace, "DeletionRequested"),
        40.0,
        "the deletion is recorded when it comes"
    );
    expect_eq!(
        trace,
        sigkills(&trace, "badstart"),
        vec![32.5, 63.0],
        "each failed postStart's kill runs its 30 s grace"
    );
    expect_eq!(
        trace,
        described(&trace, "hooked")
            .into_iter()
            .filter(|(t, ..)| *t > 3.0)
            .map(|(t, _, reason, _)| (t, reason))
            .collect::<Vec<_>>(),
        vec![(63.0, "Killing"), (63.0, "FailedPreStopHook")],
        "hooked is killed once the blocked sync returns"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "hooked"),
        vec![63.0],
        "SIGTERM after its failed preStop"
    );
    expect_eq!(
        trace,
        pod_time_of(&trace, "Removed"),
        63.0,
        "removed when hooked exits"
    );
}

// ================================================================ E. Pod conditions and readiness

#[test]
fn pod_ready_to_start_containers_follows_the_sandbox_r44() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r44
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "reboot-at=20s; until=60s",
    );
    let up = condition_changes(&trace, "PodReadyToStartContainers", true);
    expect!(
        trace,
        up.len() == 2 && up[0] == 0.5 && up[1] > 20.0,
        "True with the sandbox, again with the new one: {up:?}"
    );
    expect_eq!(
        trace,
        condition_changes(&trace, "PodReadyToStartContainers", false),
        vec![20.0],
        "False once the sandbox is lost"
    );
}

#[test]
fn initialized_waits_for_init_containers_and_started_sidecars_r45() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r45
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 3
        periodSeconds: 1
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // init-1 2.5–4.5, sidecar from 5, started at 8 (5 + 3), app at 8.
    expect_eq!(trace, started_at(&trace, "sidecar"), vec![8.0], "sidecar");
    expect_eq!(
        trace,
        condition_changes(&trace, "Initialized", true),
        vec![8.0],
        "Initialized only when the sidecar is started, not when init-1 exits"
    );
    expect_eq!(
        trace,
        snapshot_at(&trace, 6.0).conditions.initialized,
        false,
        "False meanwhile"
    );
}

#[test]
fn a_sidecars_readiness_counts_toward_containers_ready_and_ready_r46_r47() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r46
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 10
        periodSeconds: 1
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // Sidecar from 4, ready at 14 (4 + 10); app from 5, ready at once.
    expect_eq!(trace, ready_at(&trace, "app"), vec![5.0], "app ready");
    expect_eq!(trace, ready_at(&trace, "sidecar"), vec![14.0], "sidecar");
    expect_eq!(
        trace,
        condition_changes(&trace, "ContainersReady", true),
        vec![14.0],
        "ContainersReady waits for the sidecar (the init container does not count)"
    );
    expect_eq!(
        trace,
        condition_changes(&trace, "Ready", true),
        vec![14.0],
        "Ready follows ContainersReady"
    );
}

#[test]
fn conditions_become_true_in_the_e2e_order_r48() {
    let with_init = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r48-init
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    let first = |trace: &podlife::trace::Trace, c: &str| {
        condition_changes(trace, c, true)
            .first()
            .copied()
            .unwrap_or(f64::INFINITY)
    };
    let order = |trace: &podlife::trace::Trace, names: [&str; 5]| {
        let times: Vec<f64> = names.iter().map(|c| first(trace, c)).collect();
        expect!(
            trace,
            times.windows(2).all(|w| w[0] <= w[1]) && times[4].is_finite(),
            "{names:?} at {times:?}"
        );
    };
    order(
        &with_init,
        [
            "PodScheduled",
            "PodReadyToStartContainers",
            "Initialized",
            "ContainersReady",
            "Ready",
        ],
    );
    let without_init = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r48-plain
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    order(
        &without_init,
        [
            "PodScheduled",
            "Initialized",
            "PodReadyToStartContainers",
            "ContainersReady",
            "Ready",
        ],
    );
}

#[test]
fn deletion_alone_does_not_make_a_pod_unready_r49() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r49
spec:
  terminationGracePeriodSeconds: 30
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        periodSeconds: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 10"]
"#,
        "delete-at=20s",
    );
    expect!(
        trace,
        snapshot_at(&trace, 25.0).conditions.ready,
        "still Ready during the preStop"
    );
    expect!(
        trace,
        condition_changes(&trace, "Ready", false)
            .iter()
            .all(|t| *t >= 30.0),
        "Ready goes False only when the container stops"
    );
    let last = final_snapshot(&trace);
    expect!(
        trace,
        last.phase.is_terminal() && !last.conditions.ready && !last.conditions.containers_ready,
        "a terminal pod is not Ready"
    );
}

#[test]
fn a_terminal_phase_forces_ready_false_even_with_a_ready_sidecar_r49() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r49-terminal
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 5; exit 0"]
"#);
    let last = final_snapshot(&trace);
    expect_eq!(trace, last.phase, PodPhase::Succeeded, "Succeeded");
    expect!(
        trace,
        !last.conditions.ready && !last.conditions.containers_ready,
        "Ready and ContainersReady are False"
    );
    expect!(
        trace,
        last.conditions.initialized,
        "Initialized stays True (reason PodCompleted, R45)"
    );
}

// ================================================================ F. Restart policies and back-off

const EXITS_0_AFTER_2S: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r50
spec:
  restartPolicy: POLICY
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit CODE"]
"#;

fn exiting_pod(policy: &str, code: i32) -> String {
    EXITS_0_AFTER_2S
        .replace("POLICY", policy)
        .replace("CODE", &code.to_string())
}

#[test]
fn always_restarts_a_regular_container_even_after_exit_0_r50() {
    let trace = run_with(&exiting_pod("Always", 0), "until=30s");
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 2),
        vec![2.5, 5.0],
        "exit 0 at 4.5, restarted at the 5 s relist"
    );
    expect!(
        trace,
        phase_changes(&trace, PodPhase::Succeeded).is_empty(),
        "an Always pod never Succeeds on its own"
    );
}

#[test]
fn on_failure_restarts_only_after_a_non_zero_exit_r50() {
    let ok = run(&exiting_pod("OnFailure", 0));
    expect_eq!(ok, starts(&ok, "app"), vec![2.5], "exit 0: no restart");
    expect_eq!(ok, ok.outcome.phase, PodPhase::Succeeded, "Succeeded");
    let failed = run_with(&exiting_pod("OnFailure", 1), "until=30s");
    expect_eq!(
        failed,
        first(starts(&failed, "app"), 2),
        vec![2.5, 5.0],
        "exit 1: restarted"
    );
}

#[test]
fn never_never_restarts_r50() {
    let trace = run(&exiting_pod("Never", 1));
    expect_eq!(trace, starts(&trace, "app"), vec![2.5], "no restart");
    expect_eq!(trace, trace.outcome.phase, PodPhase::Failed, "Failed");
}

#[test]
fn a_failed_init_container_fails_a_never_pod_and_stops_its_sidecars_r51_o8() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r51-never
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar-1
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    - name: init-2
      image: busybox:1.36
      imagePullPolicy: Always
      command: ["sh", "-c", "sleep 2; exit 1"]
    - name: sidecar-3
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(
        trace,
        starts(&trace, "init-2"),
        vec![3.5],
        "init-2 runs once"
    );
    expect_eq!(
        trace,
        exit_code(&trace, "init-2", 0),
        Some(1),
        "and fails at 5.5"
    );
    expect!(
        trace,
        starts(&trace, "sidecar-3").is_empty() && starts(&trace, "app").is_empty(),
        "nothing after it starts"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-1"),
        vec![6.0],
        "the running sidecar is stopped once the failure is noticed"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Failed),
        vec![6.0],
        "the pod is Failed"
    );
}

#[test]
fn a_failed_init_container_is_restarted_with_back_off_under_always_and_on_failure_r51_o8() {
    for policy in ["Always", "OnFailure"] {
        let trace = run_with(
            &format!(
                r#"
apiVersion: v1
kind: Pod
metadata:
  name: r51-restart
spec:
  restartPolicy: {policy}
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#
            ),
            "until=60s",
        );
        expect_eq!(
            trace,
            first(starts(&trace, "init-1"), 4),
            vec![2.5, 4.0, 15.0, 36.0],
            "{policy}: exits at 3.5 (noticed 4), 5, 16: restarts at once, +10 s, +20 s"
        );
        expect!(trace, starts(&trace, "app").is_empty(), "{policy}: no app");
        expect_eq!(
            trace,
            final_snapshot(&trace).phase,
            PodPhase::Pending,
            "{policy}: Pending"
        );
        let statuses = kubectl_statuses(&trace);
        expect!(
            trace,
            statuses.contains(&"Init:Error".to_string())
                && statuses.contains(&"Init:CrashLoopBackOff".to_string()),
            "{policy}: kubectl shows Init:Error then Init:CrashLoopBackOff: {statuses:?}"
        );
    }
}

#[test]
fn sidecars_restart_after_every_exit_even_in_a_never_pod_r52() {
    for code in [0, 1] {
        let trace = run(&format!(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: r52
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 5; exit {code}"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 60; exit 0"]
"#
        ));
        // Exits at 7.5 (noticed 8): at once; at 13: +10 s; at 28: +20 s; at 53: +40 s = 93, after the app.
        expect_eq!(
            trace,
            starts(&trace, "sidecar"),
            vec![2.5, 8.0, 23.0, 48.0],
            "exit {code}: restarted with back-off"
        );
        expect_eq!(trace, starts(&trace, "app"), vec![3.0], "app");
        expect_eq!(
            trace,
            trace.outcome.phase,
            PodPhase::Succeeded,
            "exit {code}: the pod Succeeds when the app exits 0 (R59)"
        );
        expect_eq!(
            trace,
            trace.outcome.at.map(|t| t.0.as_secs()),
            Some(63.0),
            "at the app's exit: the sidecar was backing off"
        );
    }
}

#[test]
fn crash_loop_back_off_is_immediate_then_10_20_40_80_160_300_from_finished_at_r53_o1() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r53
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
"#,
        "until=1000s",
    );
    let started = starts(&trace, "app");
    expect_eq!(
        trace,
        started,
        vec![2.5, 4.0, 15.0, 36.0, 77.0, 158.0, 319.0, 620.0, 921.0],
        "restarts after exit 0 too"
    );
    let finished: Vec<f64> = exits(&trace, "app").iter().map(|e| e.0).collect();
    let gaps: Vec<f64> = started[1..]
        .iter()
        .zip(&finished)
        .map(|(s, f)| s - f)
        .collect();
    expect_eq!(
        trace,
        gaps[1..].to_vec(),
        vec![10.0, 20.0, 40.0, 80.0, 160.0, 300.0, 300.0],
        "waits counted from FinishedAt"
    );
    expect!(
        trace,
        gaps[0] <= 1.0,
        "the first restart waits only for the relist: {}",
        gaps[0]
    );
}

#[test]
fn a_ten_minute_run_resets_the_back_off_r53() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r53-reset
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 700; exit 1"]
"#,
        "until=1500s",
    );
    // Exits at 702.5: restarted at once (703). Exits at 1403 after 700 s > 600 s: at once again.
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 3),
        vec![2.5, 703.0, 1403.0],
        "no 10 s wait after a long run"
    );
}

#[test]
fn an_image_change_starts_a_fresh_back_off_sequence_r53() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r53-image
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 1"]
"#,
        "set-image=app=busybox:1.37@50s; until=120s",
    );
    // 2.5, 4, 15, 36; exits at 37 and would wait 40 s (77). The new image has no back-off entry.
    expect_eq!(
        trace,
        times_of(&trace, "app", "Pulling").last().copied(),
        Some(50.0),
        "the new image is pulled at once"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 5),
        vec![2.5, 4.0, 15.0, 36.0, 52.0],
        "and started after its 2 s pull, not at 77"
    );
}

/// A container that keeps running and fails its liveness probe: the kill and the restart happen in one
/// sync, whose back-off check reads the pod status from before the kill.
fn liveness_killed_pod(period: u32) -> String {
    format!(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r53-liveness
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: {period}
        failureThreshold: 1
"#
    )
}

/// (time, delay) of each `BackOff` event of the container.
fn back_offs(trace: &podlife::trace::Trace, container: &str) -> Vec<(f64, f64)> {
    events_of(trace, container, "BackOff")
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::BackOff { delay, .. } => Some((secs(e), delay)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_probe_kill_restarts_at_once_reading_the_status_from_before_the_kill_r53() {
    let trace = run_with(&liveness_killed_pod(5), "until=60s");
    // Killed at every tick it runs through (5, 10, 15, 30, 55). At 5 no instance had exited: restart at
    // once, no back-off entry. At 10 the instance before ended at 5 and there is no entry yet: at once
    // (the entry starts at 10 s). At 15 the one before ended at 10, 5 s < 10 s: back-off, counted from
    // this exit (25). At 30 the one before ended at 15, 15 s < 20 s: back-off to 50.
    expect_eq!(
        trace,
        exits(&trace, "app").iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![5.0, 10.0, 15.0, 30.0, 55.0],
        "a kill at each probe tick of a running instance"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![2.5, 5.0, 10.0, 25.0, 50.0],
        "the first two probe kills restart at once"
    );
    expect_eq!(
        trace,
        first(back_offs(&trace, "app"), 2),
        vec![(15.0, 10.0), (30.0, 20.0)],
        "CrashLoopBackOff only from the third kill"
    );
}

#[test]
fn probe_kills_further_apart_than_the_back_off_restart_at_once_r53() {
    let trace = run_with(&liveness_killed_pod(15), "until=100s");
    // Kills at 15, 30, 45: each instance before ended 15 s earlier, more than the 10 s back-off the
    // second restart set up; at 60 the one before ended 15 s ago, under the 20 s back-off.
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![2.5, 15.0, 30.0, 45.0, 80.0],
        "three restarts at once, then 20 s of CrashLoopBackOff"
    );
    expect_eq!(
        trace,
        back_offs(&trace, "app"),
        vec![(60.0, 20.0), (90.0, 40.0)],
        "the back-off grew with each restart"
    );
}

#[test]
fn a_failed_post_start_kill_backs_off_like_a_crash_not_like_a_probe_kill_r53_r28() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r53-post-start
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "exit 1"]
"#,
        "until=40s",
    );
    // `startContainer` kills the container itself when its postStart fails; the restart is a later
    // sync's, which reads the killed instance: the first restart comes at the next relist, the second
    // waits 10 s from the second kill, as after a crash.
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 4),
        vec![2.5, 3.0, 13.0, 33.0],
        "ordinary crash-loop back-off"
    );
}

#[test]
fn a_backing_off_container_waits_as_crash_loop_back_off_r54() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r54
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 1"]
"#,
        "until=60s",
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 10.0),
        "CrashLoopBackOff",
        "between the exit at 5 and the restart at 15"
    );
    let delays: Vec<f64> = events_of(&trace, "app", "BackOff")
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::BackOff { delay, .. } => Some(delay),
            _ => None,
        })
        .collect();
    expect_eq!(trace, first(delays, 2), vec![10.0, 20.0], "back-off events");
    expect_eq!(
        trace,
        phase_at(&trace, 10.0),
        PodPhase::Running,
        "the phase stays Running (R60)"
    );
}

#[test]
fn a_regular_container_restart_never_reruns_init_containers_or_restarts_sidecars_r56() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r56
spec:
  restartPolicy: Always
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 5; exit 1"]
"#,
        "until=90s",
    );
    expect!(trace, starts(&trace, "app").len() >= 3, "the app restarts");
    expect_eq!(trace, starts(&trace, "init-1"), vec![2.5], "init-1 once");
    expect_eq!(trace, starts(&trace, "sidecar"), vec![4.0], "sidecar once");
}

#[test]
fn on_failure_restarts_a_probe_killed_container_even_if_it_exits_0_r57() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r57
spec:
  restartPolicy: OnFailure
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
"#,
        "until=20s",
    );
    expect_eq!(
        trace,
        exit_code(&trace, "app", 0),
        Some(0),
        "exits 0 on SIGTERM at 8"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 2),
        vec![2.5, 8.0],
        "and is restarted all the same"
    );
}

#[test]
fn under_never_a_startup_probe_kill_is_final_and_the_pod_completes_r57() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r57-never
spec:
  restartPolicy: Never
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
"#);
    expect_eq!(trace, sigterms(&trace, "app"), vec![8.0], "killed at 8");
    expect_eq!(trace, starts(&trace, "app"), vec![2.5], "not restarted");
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Succeeded,
        "terminal once no regular container runs"
    );
}

// ================================================================ G. Pod phase and Jobs

#[test]
fn a_sidecar_exit_code_never_fails_the_pod_r59_o6() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r59
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 1' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3; exit 0"]
"#);
    expect_eq!(
        trace,
        last_exit(&trace, "sidecar"),
        (1, "Error".to_string()),
        "the sidecar exits 1 on SIGTERM"
    );
    expect_eq!(trace, trace.outcome.phase, PodPhase::Succeeded, "Succeeded");
}

#[test]
fn a_sidecar_that_never_starts_keeps_the_pod_pending_r59() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r59-pending
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 10
        failureThreshold: 1000
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=60s",
    );
    expect!(
        trace,
        trace.status.iter().all(|s| s.phase == PodPhase::Pending),
        "Pending throughout"
    );
}

#[test]
fn a_pod_is_pending_while_a_regular_container_has_never_run_r60() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r60-waiting
spec:
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "sleep 10"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(
        trace,
        phase_at(&trace, 5.0),
        PodPhase::Pending,
        "app-1 runs but app-2 was never created"
    );
    expect_eq!(trace, starts(&trace, "app-2"), vec![12.5], "app-2");
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Running),
        vec![12.5],
        "Running once every regular container has run"
    );
}

#[test]
fn the_phase_once_every_regular_container_stopped_follows_the_restart_policy_r60() {
    let two = |policy: &str, code_1: i32, code_2: i32| {
        format!(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: r60-stopped
spec:
  restartPolicy: {policy}
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit {code_1}"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 4; exit {code_2}"]
"#
        )
    };
    let never_mixed = run(&two("Never", 1, 0));
    expect_eq!(
        never_mixed,
        never_mixed.outcome.phase,
        PodPhase::Failed,
        "Never, one non-zero exit"
    );
    let on_failure_ok = run(&two("OnFailure", 0, 0));
    expect_eq!(
        on_failure_ok,
        on_failure_ok.outcome.phase,
        PodPhase::Succeeded,
        "OnFailure, all exit 0"
    );
    let on_failure_bad = run_with(&two("OnFailure", 1, 0), "until=60s");
    expect!(
        on_failure_bad,
        phase_changes(&on_failure_bad, PodPhase::Failed).is_empty()
            && phase_at(&on_failure_bad, 30.0) == PodPhase::Running,
        "OnFailure with a failure: Running while it restarts"
    );
    let always = run_with(&two("Always", 1, 0), "until=60s");
    expect!(
        always,
        always.status.iter().all(|s| !s.phase.is_terminal()),
        "Always: never terminal"
    );
    // Once terminal, the phase never changes.
    for trace in [&never_mixed, &on_failure_ok] {
        let changes: Vec<_> = trace
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::PhaseChanged { .. }))
            .collect();
        expect!(
            *trace,
            matches!(changes.last().map(|e| &e.kind), Some(EventKind::PhaseChanged { phase }) if phase.is_terminal())
                && changes.iter().filter(|e| matches!(e.kind, EventKind::PhaseChanged { phase } if phase.is_terminal())).count() == 1,
            "one terminal phase, last"
        );
    }
}

#[test]
fn the_terminal_phase_is_published_only_after_the_sidecars_stopped_r61() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r61
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 5"]
  containers:
    - name: app
      image: busybox:1.36
      imagePullPolicy: Always
      command: ["sh", "-c", "sleep 3; exit 0"]
"#);
    // App 3.5–6.5, noticed at 7; sidecar preStop 7–12, SIGTERM 12.
    expect_eq!(
        trace,
        times_of(&trace, "sidecar", "PreStopHookStarted"),
        vec![7.0],
        "teardown starts"
    );
    expect_eq!(
        trace,
        phase_at(&trace, 11.0),
        PodPhase::Running,
        "still Running while the sidecar stops"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Succeeded),
        vec![12.0],
        "Succeeded when it has stopped"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 11.0),
        "Completed",
        "kubectl already shows Completed (R89)"
    );
}

#[test]
fn completion_stops_sidecars_with_the_pod_grace_period_in_reverse_order_r62_o7_o6() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r62
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 7
  initContainers:
    - name: sidecar-1
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
    - name: sidecar-2
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
  containers:
    - name: app
      image: busybox:1.36
      imagePullPolicy: Always
      command: ["sh", "-c", "sleep 3; exit 0"]
"#);
    // sidecar-1 2.5, sidecar-2 3, app 4.5–7.5 (re-pull), noticed at 8.
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-2"),
        vec![8.0],
        "last first"
    );
    expect_eq!(
        trace,
        sigkills(&trace, "sidecar-2"),
        vec![15.0],
        "the shell ignores SIGTERM: SIGKILL at the 7 s pod grace"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-1"),
        vec![15.0],
        "then the first sidecar, at the shared deadline"
    );
    expect_eq!(
        trace,
        sigkills(&trace, "sidecar-1"),
        vec![17.0],
        "with the 2 s minimum"
    );
    expect_eq!(
        trace,
        (
            last_exit(&trace, "sidecar-1").0,
            last_exit(&trace, "sidecar-2").0
        ),
        (137, 137),
        "both SIGKILLed"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Succeeded),
        vec![17.0],
        "Succeeded all the same, once they stopped"
    );
}

#[test]
fn a_deleted_pod_ends_succeeded_when_its_containers_exit_0_r63() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r63-ok
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
"#,
        "delete-at=20s",
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Succeeded),
        vec![20.0],
        "Succeeded, although restartPolicy is Always"
    );
    expect_eq!(trace, pod_time_of(&trace, "Removed"), 20.0, "then removed");
}

#[test]
fn a_deleted_pod_whose_container_is_sigkilled_ends_failed_r63() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r63-killed
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "delete-at=20s grace=3s",
    );
    expect_eq!(trace, sigkills(&trace, "app"), vec![23.0], "SIGKILL at 23");
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Failed),
        vec![23.0],
        "137 makes the pod Failed"
    );
    expect_eq!(trace, pod_time_of(&trace, "Removed"), 23.0, "removed");
}

#[test]
fn a_job_with_a_native_sidecar_completes_after_the_sidecar_teardown_r64_o7() {
    let trace = run(r#"
apiVersion: batch/v1
kind: Job
metadata:
  name: r64
spec:
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 30
      initContainers:
        - name: log-shipper
          image: busybox:1.36
          restartPolicy: Always
          command: ["sh", "-c", "sleep 3600"]
      containers:
        - name: worker
          image: busybox:1.36
          imagePullPolicy: Always
          command: ["sh", "-c", "sleep 10; exit 0"]
"#);
    // Worker 3.5–13.5, noticed at 14; the shipper ignores SIGTERM: SIGKILL at 44.
    expect_eq!(
        trace,
        sigterms(&trace, "log-shipper"),
        vec![14.0],
        "teardown"
    );
    expect_eq!(
        trace,
        trace.outcome.at.map(|t| t.0.as_secs()),
        Some(44.0),
        "Succeeded after the teardown, within TGPS + 2 s"
    );
    expect_eq!(trace, trace.outcome.phase, PodPhase::Succeeded, "Succeeded");
}

#[test]
fn a_running_container_gets_its_new_image_whatever_the_restart_policy_r65_o10() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r65
spec:
  restartPolicy: Never
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
"#,
        "set-image=app-1=busybox:1.37@20s; until=60s",
    );
    expect_eq!(trace, sigterms(&trace, "app-1"), vec![20.0], "killed");
    expect_eq!(
        trace,
        starts(&trace, "app-1"),
        vec![2.5, 22.0],
        "restarted with the new image after its 2 s pull, even under Never"
    );
    expect_eq!(
        trace,
        restart_counts(&trace, "app-1"),
        vec![0, 1],
        "restart count"
    );
    expect_eq!(
        trace,
        starts(&trace, "app-2"),
        vec![2.5],
        "the other container is not touched"
    );
}

#[test]
fn a_completed_init_container_is_never_rerun_for_a_new_image_r65() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r65-init
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "set-image=init-1=busybox:1.37@20s; until=60s",
    );
    expect_eq!(trace, starts(&trace, "init-1"), vec![2.5], "init-1 once");
    expect_eq!(trace, starts(&trace, "app"), vec![4.0], "app once");
}

#[test]
fn an_exited_container_of_a_never_pod_is_not_restarted_for_a_new_image_r65() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r65-exited
spec:
  restartPolicy: Never
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit 0"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "set-image=app-1=busybox:1.37@20s; until=60s",
    );
    expect_eq!(trace, starts(&trace, "app-1"), vec![2.5], "not restarted");
}

#[test]
fn during_initialization_a_new_sidecar_image_restarts_only_that_sidecar_r65() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r65-during-init
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar-1
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    - name: init-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 60; exit 0"]
    - name: sidecar-2
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "set-image=sidecar-1=busybox:1.37@20s; until=90s",
    );
    // init-1 2.5–3.5, sidecar-1 4, init-2 5–65.
    expect_eq!(
        trace,
        starts(&trace, "sidecar-1"),
        vec![4.0, 22.0],
        "sidecar-1 restarts with its new image"
    );
    expect_eq!(
        trace,
        starts(&trace, "init-2"),
        vec![5.0],
        "init-2 keeps running"
    );
    expect!(
        trace,
        starts(&trace, "sidecar-2")
            .iter()
            .chain(starts(&trace, "app").iter())
            .all(|t| *t >= 65.0),
        "later containers are not started early"
    );
    expect_eq!(trace, starts(&trace, "init-1"), vec![2.5], "init-1 once");
}

#[test]
fn a_sidecar_not_yet_started_gets_its_new_image_only_once_started_r65() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r65-not-started
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 10
        periodSeconds: 1
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "set-image=sidecar=busybox:1.37@6s; until=60s",
    );
    // `computeInitContainerActions` looks for a changed definition only on a started sidecar: the
    // image changes at 6, the startup probe passes at 13, and that sync kills the sidecar, starts its
    // new image (pulled in 2 s) and, the last init container having been started, the app after it.
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar"),
        vec![13.0],
        "not killed before it is started"
    );
    expect_eq!(
        trace,
        starts(&trace, "sidecar"),
        vec![2.5, 15.0],
        "restarted with the new image"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![15.0],
        "the app starts in the same sync"
    );
}

#[test]
fn a_new_image_restarts_the_only_container_of_an_on_failure_pod_without_ending_it_r65() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r65-on-failure
spec:
  restartPolicy: OnFailure
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 2"]
"#,
        "set-image=app=busybox:1.37@20s; until=60s",
    );
    // "Container app definition changed, will be restarted": preStop 20–22 within the pod's grace,
    // SIGTERM at 22 (the app exits 0 at once), the new image pulled in 2 s, started at 24.
    expect_eq!(
        trace,
        times_of(&trace, "app", "PreStopHookStarted"),
        vec![20.0],
        "the kill runs the preStop hook"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![22.0],
        "SIGTERM after it"
    );
    expect_eq!(
        trace,
        exits(&trace, "app"),
        vec![(22.0, 0, "Completed".to_string())],
        "exit 0, which OnFailure alone would not restart"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![2.5, 24.0],
        "restarted with the new image"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Succeeded),
        Vec::<f64>::new(),
        "the kill does not end the pod"
    );
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Running,
        "still Running at the end"
    );
}

#[test]
fn a_new_image_restarts_the_only_container_of_a_never_pod_without_ending_it_r65() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r65-never
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 5
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "set-image=app=busybox:1.37@20s; until=60s",
    );
    // PID 1 without a handler ignores SIGTERM: SIGKILL after the pod's 5 s grace (exit 137), then the
    // new image's 2 s pull.
    expect_eq!(trace, sigterms(&trace, "app"), vec![20.0], "SIGTERM");
    expect_eq!(
        trace,
        sigkills(&trace, "app"),
        vec![25.0],
        "SIGKILL after the pod's grace"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![2.5, 27.0],
        "restarted with the new image even under Never"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Failed),
        Vec::<f64>::new(),
        "exit 137 under Never does not fail the pod: the kubelet restarts it"
    );
    expect_eq!(trace, trace.outcome.phase, PodPhase::Running, "Running");
}

#[test]
fn a_never_pod_whose_last_sidecar_is_crashed_ends_when_its_app_exits_r60() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r60-crashed-sidecar
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 10; exit 0"]
"#,
        "delete-at=30s",
    );
    // The sidecar backs off from 9 to 19 when the app exits at 13. Initialization is not complete (the
    // last init container is not started), but nothing runs and the app will not run again: `getPhase`
    // says Succeeded, and `SyncPod` ends the pod then: the sidecar is not restarted when its back-off
    // ends, although the run goes on to the deletion at 30.
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Succeeded,
        "the app exited 0"
    );
    expect_eq!(
        trace,
        trace.outcome.at.map(|t| t.0.as_secs()),
        Some(13.0),
        "Succeeded when the app exits"
    );
    expect_eq!(
        trace,
        starts(&trace, "sidecar"),
        vec![2.5, 6.0],
        "the sidecar is not restarted after its back-off"
    );
}

// ================================================================ H. Termination

#[test]
fn the_deletion_grace_defaults_to_the_pod_grace_period_r67() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r67
spec:
  terminationGracePeriodSeconds: 17
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "delete-at=20s",
    );
    let grace: Vec<i64> = trace
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::DeletionRequested { grace_period } => Some(grace_period),
            _ => None,
        })
        .collect();
    expect_eq!(trace, grace, vec![17], "deletionGracePeriodSeconds");
    expect_eq!(
        trace,
        sigkills(&trace, "app"),
        vec![37.0],
        "used by the kubelet (R68)"
    );
}

#[test]
fn a_terminal_pod_is_deleted_with_grace_0_and_removed_at_once_r67() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r67-terminal
spec:
  restartPolicy: Never
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2; exit 0"]
"#,
        "delete-at=20s",
    );
    let grace: Vec<i64> = trace
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::DeletionRequested { grace_period } => Some(grace_period),
            _ => None,
        })
        .collect();
    expect_eq!(trace, grace, vec![0], "grace 0 for a Succeeded pod");
    expect_eq!(
        trace,
        pod_time_of(&trace, "Removed"),
        20.0,
        "removed at once"
    );
}

#[test]
fn a_force_delete_removes_the_object_at_once_but_the_containers_are_still_killed_r67() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r67-force
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "delete-at=20s grace=0s",
    );
    expect_eq!(
        trace,
        pod_time_of(&trace, "Removed"),
        20.0,
        "the API object goes at once"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![20.0],
        "the kubelet still kills the container (R68)"
    );
}

#[test]
fn a_deletion_grace_shorter_than_the_pod_grace_is_used_r68() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r68
spec:
  terminationGracePeriodSeconds: 30
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 10"]
"#,
        "delete-at=20s grace=1s",
    );
    expect_eq!(
        trace,
        times_of(&trace, "app", "PreStopHookFinished"),
        vec![21.0],
        "the preStop is cut after the 1 s deletion grace"
    );
    expect_eq!(trace, sigterms(&trace, "app"), vec![21.0], "SIGTERM");
    expect_eq!(
        trace,
        sigkills(&trace, "app"),
        vec![23.0],
        "SIGKILL after the 2 s minimum (R70)"
    );
}

#[test]
fn without_sidecars_every_container_is_signalled_at_once_r69() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r69
spec:
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 3; exit 0' TERM; sleep 3600 & wait"]
    - name: app-3
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
"#,
        "delete-at=20s",
    );
    for name in ["app-1", "app-2", "app-3"] {
        expect_eq!(trace, sigterms(&trace, name), vec![20.0], "{name}");
    }
    expect_eq!(trace, pod_time_of(&trace, "Removed"), 23.0, "removed");
}

#[test]
fn pre_stop_runs_first_and_its_time_comes_off_the_grace_r70() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r70
spec:
  terminationGracePeriodSeconds: 10
  containers:
    - name: short-hook
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 3"]
    - name: long-hook
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 9"]
"#,
        "delete-at=20s",
    );
    expect_eq!(
        trace,
        sigterms(&trace, "short-hook"),
        vec![23.0],
        "after 3 s"
    );
    expect_eq!(
        trace,
        sigkills(&trace, "short-hook"),
        vec![30.0],
        "10 − 3 = 7 s later"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "long-hook"),
        vec![29.0],
        "after 9 s"
    );
    expect_eq!(
        trace,
        sigkills(&trace, "long-hook"),
        vec![31.0],
        "10 − 9 = 1 s, raised to the 2 s minimum"
    );
}

#[test]
fn a_failing_pre_stop_hook_does_not_change_the_exit_code_r70() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r70-failing-hook
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 1; exit 1"]
"#,
        "delete-at=20s",
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![21.0],
        "SIGTERM after the hook"
    );
    expect_eq!(
        trace,
        last_exit(&trace, "app"),
        (0, "Completed".to_string()),
        "the container still exits 0"
    );
}

#[test]
fn pre_stop_time_comes_off_the_grace_in_whole_seconds_r70() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r70-whole-seconds
spec:
  terminationGracePeriodSeconds: 10
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 2.5"]
"#,
        "delete-at=20s",
    );
    expect_eq!(trace, sigterms(&trace, "app"), vec![22.5], "SIGTERM");
    expect_eq!(
        trace,
        sigkills(&trace, "app"),
        vec![30.5],
        "2.5 s of preStop cost 2 whole seconds: 8 s left"
    );
}

#[test]
fn sidecars_get_sigterm_after_the_regular_containers_last_declared_first_r71() {
    for k8s in ["1.29", "1.36"] {
        let trace = run_on(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: r71
spec:
  terminationGracePeriodSeconds: 30
  initContainers:
    - name: sidecar-1
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'sleep 2; exit 0' TERM; sleep 3600 & wait"]
    - name: setup
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar-2
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'sleep 2; exit 0' TERM; sleep 3600 & wait"]
    - name: sidecar-3
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'sleep 2; exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 3; exit 0' TERM; sleep 3600 & wait"]
"#,
            k8s,
            "delete-at=30s",
        );
        expect_eq!(
            trace,
            sigterms(&trace, "app"),
            vec![30.0],
            "{k8s}: app first"
        );
        expect_eq!(
            trace,
            sigterms(&trace, "sidecar-3"),
            vec![33.0],
            "{k8s}: the last sidecar when the app has exited"
        );
        expect_eq!(
            trace,
            sigterms(&trace, "sidecar-2"),
            vec![35.0],
            "{k8s}: then sidecar-2 (the completed init container is not waited for)"
        );
        expect_eq!(
            trace,
            sigterms(&trace, "sidecar-1"),
            vec![37.0],
            "{k8s}: sidecar-1 last"
        );
        expect_eq!(
            trace,
            pod_time_of(&trace, "Removed"),
            39.0,
            "{k8s}: removed when sidecar-1 has exited (R79)"
        );
    }
}

#[test]
fn sidecar_pre_stop_hooks_start_with_the_termination_not_after_the_app_r72() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r72
spec:
  initContainers:
    - name: sidecar-1
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 1"]
    - name: sidecar-2
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 4; exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 2"]
"#,
        "delete-at=20s",
    );
    for name in ["sidecar-1", "sidecar-2", "app"] {
        expect_eq!(
            trace,
            times_of(&trace, name, "PreStopHookStarted"),
            vec![20.0],
            "{name}'s preStop starts at once"
        );
    }
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![22.0],
        "after its preStop"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-2"),
        vec![26.0],
        "the sidecars' SIGTERM waits for the app to exit"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-1"),
        vec![26.0],
        "then sidecar-1"
    );
}

#[test]
fn when_the_grace_runs_out_every_waiting_sidecar_gets_sigterm_together_r73() {
    let trace = run(&scenario_file("e2e-regular-exceeds-grace.yaml"));
    expect_eq!(
        trace,
        sigkills(&trace, "regular-1"),
        vec![25.0],
        "5 s grace"
    );
    for name in [
        "restartable-init-1",
        "restartable-init-2",
        "restartable-init-3",
    ] {
        expect_eq!(
            trace,
            sigterms(&trace, name),
            vec![25.0],
            "{name}: SIGTERM at the deadline"
        );
    }
    expect_eq!(
        trace,
        sigkills(&trace, "restartable-init-1"),
        vec![27.0],
        "a fixed 2 s window"
    );
    expect_eq!(
        trace,
        last_exit(&trace, "restartable-init-1"),
        (137, "Error".to_string()),
        "SIGKILL: 137, Error"
    );
}

#[test]
fn a_pre_stop_that_runs_past_the_deadline_is_abandoned_r74() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r74
spec:
  terminationGracePeriodSeconds: 30
  initContainers:
    - name: sidecar-1
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'sleep 5; exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 3600"]
    - name: sidecar-2
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 3600"]
"#,
        "delete-at=20s",
    );
    for name in ["sidecar-1", "app"] {
        expect_eq!(
            trace,
            times_of(&trace, name, "PreStopHookFinished"),
            vec![50.0],
            "{name}: the hook is abandoned at the deadline"
        );
    }
    expect_eq!(trace, sigterms(&trace, "app"), vec![50.0], "then SIGTERM");
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-2"),
        vec![50.0],
        "the other sidecars get SIGTERM at that deadline too"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-1"),
        vec![50.0],
        "sidecar-1"
    );
    expect_eq!(
        trace,
        sigkills(&trace, "sidecar-1"),
        vec![52.0],
        "and SIGKILL 2 s later: TGPS + 2 s in all"
    );
}

#[test]
fn regular_containers_are_signalled_as_their_own_pre_stops_end_r75() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r75
spec:
  terminationGracePeriodSeconds: 30
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 4"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
    - name: app-3
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 1"]
"#,
        "delete-at=20s",
    );
    expect_eq!(trace, sigterms(&trace, "app-1"), vec![24.0], "app-1");
    expect_eq!(
        trace,
        sigterms(&trace, "app-2"),
        vec![20.0],
        "app-2 at once"
    );
    expect_eq!(trace, sigterms(&trace, "app-3"), vec![21.0], "app-3");
    expect_eq!(
        trace,
        sigkills(&trace, "app-2"),
        vec![50.0],
        "sleep as PID 1 ignores SIGTERM: SIGKILL at the deadline"
    );
    expect_eq!(trace, last_exit(&trace, "app-2").0, 137, "137");
}

#[test]
fn exit_codes_after_a_termination_r76() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r76
spec:
  containers:
    - name: killed
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
    - name: graceful
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    - name: custom
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 3' TERM; sleep 3600 & wait"]
"#,
        "delete-at=20s grace=5s",
    );
    expect_eq!(
        trace,
        last_exit(&trace, "killed"),
        (137, "Error".to_string()),
        "SIGKILL"
    );
    expect_eq!(
        trace,
        last_exit(&trace, "graceful"),
        (0, "Completed".to_string()),
        "trap, exit 0"
    );
    expect_eq!(
        trace,
        last_exit(&trace, "custom"),
        (3, "Error".to_string()),
        "trap, exit 3"
    );
}

#[test]
fn a_probe_kill_of_a_sidecar_does_not_wait_for_the_regular_containers_r77() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r77
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 2"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=20s",
    );
    expect_eq!(
        trace,
        nth(sigterms(&trace, "sidecar"), 0),
        10.0,
        "SIGTERM right after its own preStop (8–10), while the app runs"
    );
    expect!(trace, running_at(&trace, "app", 10.0), "the app is running");
    expect_eq!(
        trace,
        first(starts(&trace, "sidecar"), 2),
        vec![2.5, 10.0],
        "restarted"
    );
}

#[test]
fn nothing_restarts_during_termination_r78_o5() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r78
spec:
  restartPolicy: Always
  terminationGracePeriodSeconds: 100
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 25; exit 0"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 15
        periodSeconds: 1
        failureThreshold: 1
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 30"]
"#,
        "delete-at=10s; set-image=sidecar=busybox:1.37@15s; set-image=app=busybox:1.37@16s",
    );
    expect_eq!(
        trace,
        exit_time(&trace, "sidecar", 0),
        27.5,
        "the sidecar exits on its own during the app's preStop"
    );
    expect_eq!(
        trace,
        starts(&trace, "sidecar"),
        vec![2.5],
        "and is not restarted (no KEP-4438 before 1.37)"
    );
    expect!(
        trace,
        probe_failures(&trace, "sidecar", "liveness").is_empty(),
        "its liveness probe (due from 18) never runs"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![3.0],
        "the new image restarts nothing"
    );
    expect_eq!(trace, sigterms(&trace, "app"), vec![40.0], "preStop 10–40");
    expect_eq!(trace, pod_time_of(&trace, "Removed"), 40.0, "removed");
}

#[test]
fn the_object_is_removed_after_the_last_container_stopped_and_the_final_status_r79() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r79
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'sleep 4; exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 2; exit 0' TERM; sleep 3600 & wait"]
"#,
        "delete-at=20s",
    );
    let last_exit_at = ["sidecar", "app"]
        .iter()
        .map(|n| exits(&trace, n).last().map_or(0.0, |e| e.0))
        .fold(0.0, f64::max);
    expect_eq!(trace, last_exit_at, 26.0, "app 22, sidecar 26");
    expect_eq!(trace, pod_time_of(&trace, "Removed"), 26.0, "removed then");
    let terminal = trace
        .events
        .iter()
        .position(|e| matches!(e.kind, EventKind::PhaseChanged { phase } if phase.is_terminal()));
    let removed = trace
        .events
        .iter()
        .position(|e| matches!(e.kind, EventKind::Removed));
    expect!(
        trace,
        terminal.is_some() && terminal < removed,
        "the final status is written before the object goes"
    );
}

#[test]
fn a_sidecar_that_never_started_is_still_stopped_and_the_pod_goes_early_r81() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r81
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 180
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar-2
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'sleep 1; exit 0' TERM; sleep 3600 & wait"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 1
        failureThreshold: 600
    - name: sidecar-3
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
"#,
        "delete-at=20s",
    );
    expect_eq!(
        trace,
        starts(&trace, "sidecar-2"),
        vec![4.0],
        "runs, never started"
    );
    expect_eq!(trace, sigterms(&trace, "sidecar-2"), vec![20.0], "SIGTERM");
    expect_eq!(
        trace,
        pod_time_of(&trace, "Removed"),
        21.0,
        "gone when it exits, not after 180 s"
    );
}

// ================================================================ I. What kubectl get pod shows

#[test]
fn kubectl_shows_init_progress_then_pod_initializing_then_running_r82_r84_r88_r89_o9() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r89
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 3
        periodSeconds: 1
  containers:
    - name: web
      image: nginx:1.27
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        initialDelaySeconds: 5
        periodSeconds: 1
"#);
    // init-1 2.5–3.5; sidecar from 4, started at 7; nginx pulled 7–9; web ready at 14.
    expect_eq!(
        trace,
        kubectl_statuses(&trace),
        vec!["Init:0/2", "Init:1/2", "PodInitializing", "Running"],
        "N counts the sidecar; the sidecar holds Init:1/2 until started"
    );
    expect_eq!(trace, kubectl_status_at(&trace, 5.0), "Init:1/2", "at 5");
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 8.0),
        "PodInitializing",
        "while nginx is pulled (R88)"
    );
    let ready = |t: f64| snapshot_at(&trace, t).ready.clone();
    expect_eq!(
        trace,
        (ready(5.0), ready(8.0), ready(15.0)),
        ("0/2".to_string(), "1/2".to_string(), "2/2".to_string()),
        "READY counts the started and ready sidecar (R82)"
    );
}

#[test]
fn kubectl_status_is_the_phase_while_running_r83() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r83
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(
        trace,
        (phase_at(&trace, 10.0), kubectl_status_at(&trace, 10.0)),
        (PodPhase::Running, "Running".to_string()),
        "STATUS = phase"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 1.0),
        "ContainerCreating",
        "a waiting reason replaces it (R85, R88)"
    );
}

#[test]
fn completed_next_to_a_running_container_shows_not_ready_r85() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r85
spec:
  restartPolicy: Never
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3; exit 0"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 10.0),
        "NotReady",
        "NotReady"
    );
    expect_eq!(trace, snapshot_at(&trace, 10.0).ready, "1/2", "READY");
}

#[test]
fn a_running_but_unready_container_shows_running_with_ready_below_max_r85() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r85-unready
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 1
"#,
        "until=30s",
    );
    let s = snapshot_at(&trace, 20.0);
    expect_eq!(
        trace,
        (s.status.clone(), s.ready.clone()),
        ("Running".to_string(), "0/1".to_string()),
        "Running, 0/1"
    );
}

#[test]
fn a_deleted_pod_shows_terminating_until_it_is_terminal_r86_r89() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r86
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 10"]
"#,
        "delete-at=20s",
    );
    expect_eq!(trace, kubectl_status_at(&trace, 19.0), "Running", "before");
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 25.0),
        "Terminating",
        "during"
    );
    expect_ne_terminating(&trace);
}

fn expect_ne_terminating(trace: &podlife::trace::Trace) {
    let last = final_snapshot(trace);
    expect!(
        *trace,
        !(last.phase.is_terminal() && last.status == "Terminating"),
        "a terminal pod is not shown as Terminating ({})",
        last.status
    );
}

#[test]
fn restarts_count_init_restarts_only_while_initializing_r87() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r87
spec:
  volumes:
    - name: work
      emptyDir: {}
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "if [ -f /work/once ]; then sleep 1; exit 0; fi; touch /work/once; sleep 1; exit 1"]
      volumeMounts:
        - name: work
          mountPath: /work
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=30s",
    );
    // First run fails at 3.5, the rerun (4–5) succeeds, then the app starts.
    expect_eq!(
        trace,
        starts(&trace, "init-1"),
        vec![2.5, 4.0],
        "one init restart"
    );
    expect_eq!(trace, starts(&trace, "app").len(), 1, "app");
    expect_eq!(
        trace,
        snapshot_at(&trace, 4.5).restarts,
        1,
        "while initializing: the init container's restarts"
    );
    expect_eq!(
        trace,
        snapshot_at(&trace, 10.0).restarts,
        0,
        "once initialized, init container restarts are dropped"
    );
}

#[test]
fn restarts_say_how_long_ago_the_last_counted_container_finished_r87() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r87-ago
spec:
  volumes:
    - name: state
      emptyDir: {}
  containers:
    - name: app
      image: busybox:1.36
      volumeMounts:
        - name: state
          mountPath: /state
      command: ["sh", "-c", "if [ -f /state/third ]; then sleep 3600; elif [ -f /state/second ]; then touch /state/third; elif [ -f /state/first ]; then touch /state/second; else touch /state/first; fi; sleep 2; exit 1"]
"#,
        "until=90s",
    );
    // Three runs crash after 2 s (4.5, 7, 19); the fourth, started at 39 after 0, 10 and 20 s of
    // back-off, keeps running.
    expect_eq!(
        trace,
        first(exits(&trace, "app"), 3)
            .iter()
            .map(|e| e.0)
            .collect::<Vec<_>>(),
        vec![4.5, 7.0, 19.0],
        "three crashes"
    );
    expect_eq!(trace, nth(starts(&trace, "app"), 3), 39.0, "the fourth run");
    // `kubectl get pod` at 61 s: the last counted restart is the crash at 19 s.
    let at = 61.0;
    let s = snapshot_at(&trace, at);
    let text = podlife::printers::restarts_text(
        s.restarts,
        s.last_restart_at.map(|t| t.0),
        podlife::time::SimTime::from_secs(at),
    );
    expect_eq!(trace, text, "3 (42s ago)", "RESTARTS at {at} s");
    // The watch prints each line's "ago" at the line's own moment: 20 s after the crash at 19 s.
    let watch = podlife::views::kubectl_watch(&trace);
    let line = watch.lines().last().unwrap_or_default();
    expect!(
        trace,
        line.split_whitespace().collect::<Vec<_>>()
            == ["r87-ago", "1/1", "Running", "3", "(20s", "ago)", "39s"],
        "the last watch line: {line:?}\n{watch}"
    );
}

#[test]
fn while_a_restarted_container_is_exited_its_last_restart_is_the_run_before_r87() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r87-last-state
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 2.2; exit 1"]
"#,
        "until=12s",
    );
    // Runs 2.5–4.7 and 5–7.2; the second exit is noticed at the 8 s relist. In between, the status
    // holds the second run as `state` and the first as `lastState` (the kubelet keeps the two latest
    // instances), so RESTARTS counts back to 4.7; in back-off, `lastState` is the run at 7.2.
    expect_eq!(
        trace,
        first(exits(&trace, "app"), 2)
            .iter()
            .map(|e| e.0)
            .collect::<Vec<_>>(),
        vec![4.7, 7.2],
        "two crashes"
    );
    let restarts_at = |at: f64| {
        let s = snapshot_at(&trace, at);
        podlife::printers::restarts_text(
            s.restarts,
            s.last_restart_at.map(|t| t.0),
            podlife::time::SimTime::from_secs(at),
        )
    };
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 7.5),
        "Error",
        "exited, not yet seen"
    );
    expect_eq!(
        trace,
        restarts_at(7.5),
        "1 (2s ago)",
        "the run that ended at 4.7"
    );
    expect_eq!(
        trace,
        restarts_at(9.0),
        "1 (1s ago)",
        "in back-off: the run that ended at 7.2"
    );
}

#[test]
fn without_init_containers_a_waiting_container_shows_container_creating_r88() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r88
spec:
  containers:
    - name: web
      image: nginx:1.27
"#);
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 1.5),
        "ContainerCreating",
        "during the pull"
    );
}

#[test]
fn a_crash_looping_sidecar_after_init_shows_init_crash_loop_back_off_while_running_r89_o9() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r89-sidecar-crash
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 5; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=60s",
    );
    // The sidecar exits at 7.5 (restart 8) and 13 (back-off until 23).
    expect_eq!(
        trace,
        (kubectl_status_at(&trace, 18.0), phase_at(&trace, 18.0)),
        ("Init:CrashLoopBackOff".to_string(), PodPhase::Running),
        "Init:CrashLoopBackOff while the phase is Running"
    );
    expect_eq!(
        trace,
        snapshot_at(&trace, 18.0).restarts,
        1,
        "once initialized, RESTARTS counts the sidecar's restarts (R87)"
    );
}

#[test]
fn a_never_pod_whose_main_container_fails_shows_error_and_ends_failed_r89() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r89-error
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3; exit 1"]
"#);
    let last = final_snapshot(&trace);
    expect_eq!(
        trace,
        (last.phase, last.status.clone()),
        (PodPhase::Failed, "Error".to_string()),
        "Error, Failed"
    );
}

// ================================================================ P. kubectl describe pod Events (R103)

#[test]
fn on_deletion_every_container_records_killing_at_the_deletion_time_r103() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r103-delete
spec:
  initContainers:
    - name: proxy
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 5"]
"#,
        "delete-at=20s",
    );
    // killContainer records Killing before the preStop runs and before the sidecar waits for its
    // turn: both at 20 s, although SIGTERM reaches them only at 25 s (R70, R71).
    expect_eq!(
        trace,
        described_as(&trace, "app", "Killing"),
        vec![(20.0, "Stopping container app".to_string())],
        "the app's Killing"
    );
    expect_eq!(
        trace,
        described_as(&trace, "proxy", "Killing"),
        vec![(20.0, "Stopping container proxy".to_string())],
        "the sidecar's Killing"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![25.0],
        "after its preStop"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "proxy"),
        vec![25.0],
        "after the app"
    );
}

#[test]
fn a_probe_kill_says_which_probe_failed_and_whether_it_restarts_r103() {
    let manifest = |policy: &str| {
        format!(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: r103-liveness
spec:
  restartPolicy: {policy}
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 5
        failureThreshold: 2
"#
        )
    };
    for (policy, message) in [
        (
            "Always",
            "Container app failed liveness probe, will be restarted",
        ),
        ("Never", "Container app failed liveness probe"),
    ] {
        let trace = run_with(&manifest(policy), "until=20s");
        // The second failed attempt crosses failureThreshold; the kill begins in the sync it triggers.
        let crossed = nth(probe_failures(&trace, "app", "liveness"), 1);
        expect_eq!(
            trace,
            first(described_as(&trace, "app", "Killing"), 1),
            vec![(crossed, message.to_string())],
            "restartPolicy {policy}"
        );
    }
}

#[test]
fn a_failed_exec_post_start_records_failed_post_start_hook_then_its_kill_r103() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r103-poststart
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "exit 1"]
"#,
        "until=5s",
    );
    // startContainer records the hook's failure without its output (secrets), then kills the
    // container with the hook's reason as the Killing message.
    let started = time_of(&trace, "app", "Started");
    let rows: Vec<_> = described(&trace, "app")
        .into_iter()
        .filter(|r| r.0 == started)
        .map(|(_, kind, reason, message)| (kind, reason, message))
        .collect();
    expect_eq!(
        trace,
        rows,
        vec![
            (
                "Normal",
                "Pulled",
                "Successfully pulled image \"busybox:1.36\"".to_string()
            ),
            // From 1.35 they no longer name the container (kubectl prints its field path).
            ("Normal", "Created", "Container created".to_string()),
            ("Normal", "Started", "Container started".to_string()),
            (
                "Warning",
                "FailedPostStartHook",
                "PostStartHook failed".to_string()
            ),
            ("Normal", "Killing", "FailedPostStartHook".to_string()),
        ],
        "the first start"
    );
}

#[test]
fn a_failed_exec_pre_stop_records_failed_pre_stop_hook_and_the_kill_goes_on_r103() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r103-prestop
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 2; exit 1"]
"#,
        "delete-at=10s",
    );
    // executePreStopHook records the failure when the handler returns (at 12 s), without its output;
    // killContainer then sends SIGTERM as after any preStop.
    expect_eq!(
        trace,
        described_as(&trace, "app", "FailedPreStopHook"),
        vec![(12.0, "PreStopHook failed".to_string())],
        "the hook's failure"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![12.0],
        "SIGTERM after the hook"
    );
}

#[test]
fn a_failed_pull_records_failed_then_pull_back_off_r103() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r103-pull
  annotations:
    podlife.dev/behaviour.app: "pull=fail"
spec:
  containers:
    - name: app
      image: registry.example/app:missing
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=10s",
    );
    // EnsureImageExists records Pulling, then Failed with the runtime's error; startContainer adds
    // "Error: ErrImagePull"; in back-off, BackOff and "Error: ImagePullBackOff".
    let rows: Vec<_> = described(&trace, "app")
        .into_iter()
        .map(|(_, kind, reason, message)| (kind, reason, message))
        .collect();
    let image = "registry.example/app:missing";
    expect_eq!(
        trace,
        rows.iter()
            .map(|(kind, reason, _)| (*kind, *reason))
            .collect::<Vec<_>>(),
        vec![
            ("Normal", "Pulling"),
            ("Warning", "Failed"),
            ("Warning", "Failed"),
            ("Normal", "BackOff"),
            ("Warning", "Failed"),
        ],
        "the sequence"
    );
    expect_eq!(
        trace,
        rows[0].2,
        format!("Pulling image \"{image}\""),
        "Pulling"
    );
    expect!(
        trace,
        rows[1]
            .2
            .starts_with(&format!("Failed to pull image \"{image}\": ")),
        "the pull's error: {:?}",
        rows[1].2
    );
    expect_eq!(trace, rows[2].2, "Error: ErrImagePull", "the start's error");
    expect_eq!(
        trace,
        rows[3].2,
        format!("Back-off pulling image \"{image}\""),
        "the pull back-off"
    );
    expect_eq!(
        trace,
        rows[4].2,
        "Error: ImagePullBackOff",
        "the start's error in back-off"
    );
}

#[test]
fn a_crash_loop_back_off_names_the_pod_as_the_kubelet_does_r103() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r103-crash
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 1"]
"#,
        "until=20s",
    );
    // doBackOff: "Back-off restarting failed container NAME in pod " + format.Pod (name_namespace(uid)).
    let uid = &trace.pod.uid;
    expect!(
        trace,
        uid.len() == 36 && uid.chars().filter(|c| *c == '-').count() == 4,
        "a UUID: {uid}"
    );
    expect_eq!(
        trace,
        first(described_as(&trace, "app", "BackOff"), 1)
            .into_iter()
            .map(|(_, m)| m)
            .collect::<Vec<_>>(),
        vec![format!(
            "Back-off restarting failed container app in pod r103-crash_default({uid})"
        )],
        "the crash-loop back-off"
    );
}

// ================================================================ J. The legacy sidecar pattern

#[test]
fn a_legacy_sidecar_with_a_blocking_post_start_holds_back_the_app_r90() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r90
spec:
  containers:
    - name: istio-proxy
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "sleep 5"]
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(
        trace,
        starts(&trace, "istio-proxy"),
        vec![2.5],
        "proxy first"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![7.5],
        "the app is created only after the proxy's postStart returns"
    );
}

#[test]
fn without_a_post_start_nothing_orders_a_legacy_sidecar_before_the_app_r90() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r90-plain
spec:
  containers:
    - name: proxy
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(
        trace,
        (starts(&trace, "proxy"), starts(&trace, "app")),
        (vec![2.5], vec![2.5]),
        "started back to back in the same instant"
    );
}

#[test]
fn an_init_container_cannot_use_a_legacy_sidecar_but_can_use_a_native_one_r91() {
    let legacy = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r91-legacy
spec:
  initContainers:
    - name: wait-for-proxy
      image: busybox:1.36
      command: ["sh", "-c", "until nc -z localhost 15001; do sleep 1; done"]
  containers:
    - name: proxy
      image: envoyproxy/envoy:v1.30.1
      ports:
        - containerPort: 15001
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=60s",
    );
    expect!(
        legacy,
        starts(&legacy, "proxy").is_empty() && exits(&legacy, "wait-for-proxy").is_empty(),
        "the legacy proxy starts only after init, so init waits forever"
    );
    expect_eq!(
        legacy,
        final_snapshot(&legacy).phase,
        PodPhase::Pending,
        "Pending"
    );
    let native = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r91-native
spec:
  initContainers:
    - name: proxy
      image: envoyproxy/envoy:v1.30.1
      restartPolicy: Always
      ports:
        - containerPort: 15001
    - name: wait-for-proxy
      image: busybox:1.36
      command: ["sh", "-c", "until nc -z localhost 15001; do sleep 1; done"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=60s",
    );
    expect!(
        native,
        !exits(&native, "wait-for-proxy").is_empty() && !starts(&native, "app").is_empty(),
        "a native sidecar declared before the init container serves it"
    );
}

#[test]
fn legacy_sidecars_get_sigterm_with_the_app_r92() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r92
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 5; exit 0' TERM; sleep 3600 & wait"]
    - name: log-shipper
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
"#,
        "delete-at=20s",
    );
    expect_eq!(
        trace,
        (sigterms(&trace, "app"), sigterms(&trace, "log-shipper")),
        (vec![20.0], vec![20.0]),
        "together"
    );
    expect!(
        trace,
        exit_time(&trace, "log-shipper", 0) < exit_time(&trace, "app", 0),
        "the legacy sidecar is gone before the app has drained"
    );
}

#[test]
fn a_job_with_a_legacy_sidecar_never_completes_r93_o7() {
    let trace = run_with(
        r#"
apiVersion: batch/v1
kind: Job
metadata:
  name: r93
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: worker
          image: busybox:1.36
          command: ["sh", "-c", "sleep 10; exit 0"]
        - name: log-shipper
          image: busybox:1.36
          command: ["sh", "-c", "tail -f /dev/null"]
"#,
        "until=600s",
    );
    expect_eq!(
        trace,
        exit_code(&trace, "worker", 0),
        Some(0),
        "the worker finishes"
    );
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Running,
        "but the pod stays Running"
    );
}

#[test]
fn a_crashed_legacy_sidecar_in_a_never_pod_is_not_restarted_and_fails_the_pod_r93() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r93-crash
spec:
  restartPolicy: Never
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 10; exit 0"]
    - name: proxy
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3; exit 1"]
"#);
    expect_eq!(trace, starts(&trace, "proxy"), vec![2.5], "not restarted");
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Failed,
        "its exit code counts"
    );
}

#[test]
fn a_legacy_sidecar_counts_in_ready_r93() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r93-ready
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
    - name: proxy
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 1
"#);
    expect_eq!(
        trace,
        snapshot_at(&trace, 20.0).ready,
        "1/2",
        "the unready proxy counts in READY"
    );
    expect!(
        trace,
        condition_changes(&trace, "ContainersReady", true).is_empty(),
        "and holds back ContainersReady"
    );
}

// ================================================================ L. Kubelet restart and node reboot

/// A completed init container, a sidecar and an app, all running when the kubelet restarts at 30 s.
const KUBELET_RESTART_POD: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r96
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
"#;

#[test]
fn a_kubelet_restart_reruns_nothing_that_finished_and_stops_nothing_that_runs_r96() {
    // R96 holds on both sides of the 1.35 status change (R97).
    for k8s in ["1.34", "1.35"] {
        let trace = run_on(
            KUBELET_RESTART_POD,
            k8s,
            "kubelet-restart-at=30s; until=90s",
        );
        let restart = trace
            .events
            .iter()
            .find(|e| matches!(e.kind, EventKind::KubeletRestarted))
            .unwrap_or_else(|| panic!("{k8s}: no KubeletRestarted event\n\n{}", dump(&trace)));
        expect_eq!(
            trace,
            secs(restart),
            30.0,
            "{k8s}: the kubelet restarts at 30 s"
        );
        expect_eq!(
            trace,
            restart.rule,
            Some("R96"),
            "{k8s}: the event names R96"
        );
        for name in ["init-1", "sidecar", "app"] {
            expect_eq!(
                trace,
                restart_counts(&trace, name),
                vec![0],
                "{k8s}: {name} started once, before the restart, and never again"
            );
        }
        expect_eq!(
            trace,
            exits(&trace, "init-1").len(),
            1,
            "{k8s}: the completed init container is not rerun"
        );
        for name in ["sidecar", "app"] {
            expect!(
                trace,
                exits(&trace, name).is_empty(),
                "{k8s}: {name} keeps running through the restart"
            );
        }
        expect_eq!(
            trace,
            phase_changes(&trace, PodPhase::Running).len(),
            1,
            "{k8s}: the pod stays Running"
        );
        expect_eq!(
            trace,
            final_snapshot(&trace).restarts,
            0,
            "{k8s}: no restart is counted"
        );
    }
}

#[test]
fn an_init_container_running_at_a_kubelet_restart_is_not_restarted_r96() {
    for k8s in ["1.34", "1.35"] {
        let trace = run_on(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: r96-init
spec:
  initContainers:
    - name: init-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 20; exit 0"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
            k8s,
            "kubelet-restart-at=10s; until=60s",
        );
        expect_eq!(
            trace,
            starts(&trace, "init-1"),
            vec![2.5],
            "{k8s}: init-1 runs once"
        );
        expect_eq!(
            trace,
            exits(&trace, "init-1"),
            vec![(22.5, 0, "Completed".to_string())],
            "{k8s}: and completes 20 s after its start, as if the kubelet had not restarted"
        );
        expect_eq!(
            trace,
            starts(&trace, "app"),
            vec![23.0],
            "{k8s}: the app starts once init-1's exit is noticed (the 23 s relist)"
        );
    }
}

/// An app whose readiness probe (every 5 s, two successes in a row) always succeeds: Ready at 8 s.
const READY_TWICE_POD: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r97
  annotations:
    podlife.dev/behaviour.app: "readiness=ok"
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["true"]
        periodSeconds: 5
        successThreshold: 2
"#;

#[test]
fn before_1_35_a_kubelet_restart_resets_ready_until_the_readiness_probe_passes_again_r97() {
    let trace = run_on(READY_TWICE_POD, "1.34", "kubelet-restart-at=32s; until=60s");
    // The app runs from 2.5 s. The sync after its start asks for a readiness attempt (3 s, R37),
    // which restarts the 5 s ticker: the second success in a row, and Ready, at 8 s. The restarted
    // kubelet's fresh worker starts from Failure and first sleeps (half a period in podlife, R34):
    // its first attempt at 34.5 s is followed at once by the one the restart's sync asked for, so
    // the app is ready again at 34.5 s.
    expect_eq!(
        trace,
        flag_changes(&trace, "app", "ReadyChanged", true),
        vec![8.0, 34.5],
        "ready at 8 s, and again after two successes after the restart"
    );
    expect_eq!(
        trace,
        flag_changes(&trace, "app", "ReadyChanged", false),
        vec![32.0],
        "not ready from the kubelet restart"
    );
    expect_eq!(
        trace,
        condition_changes(&trace, "Ready", false),
        vec![32.0],
        "the pod's Ready condition follows"
    );
    expect_eq!(
        trace,
        snapshot_at(&trace, 33.0).ready,
        "0/1".to_string(),
        "kubectl shows 0/1 between the restart and the fresh worker's first attempts"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![2.5],
        "the app keeps running (R96)"
    );
}

#[test]
fn from_1_35_a_kubelet_restart_keeps_ready_as_it_was_r97() {
    for k8s in ["1.35", "1.36"] {
        let trace = run_on(READY_TWICE_POD, k8s, "kubelet-restart-at=32s; until=60s");
        expect_eq!(
            trace,
            flag_changes(&trace, "app", "ReadyChanged", true),
            vec![8.0],
            "{k8s}: ready at 8 s"
        );
        expect!(
            trace,
            flag_changes(&trace, "app", "ReadyChanged", false).is_empty()
                && condition_changes(&trace, "Ready", false).is_empty(),
            "{k8s}: the restart does not touch Ready"
        );
        expect_eq!(
            trace,
            snapshot_at(&trace, 35.0).ready,
            "1/1".to_string(),
            "{k8s}: kubectl shows 1/1 throughout"
        );
    }
}

/// A sidecar whose startup probe (every 5 s) passes from 4 s to 20 s after it starts: it is started at
/// 10 s; a startup probe run after 22.5 s would fail.
const STARTUP_WINDOW_POD: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r97-startup
  annotations:
    podlife.dev/behaviour.proxy: "startup=ok-after=4s fail-after=20s"
spec:
  initContainers:
    - name: proxy
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["true"]
        periodSeconds: 5
        failureThreshold: 3
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#;

#[test]
fn before_1_35_a_kubelet_restart_runs_a_passed_startup_probe_again_r97() {
    let trace = run_on(
        STARTUP_WINDOW_POD,
        "1.34",
        "kubelet-restart-at=32s; until=37s",
    );
    expect_eq!(
        trace,
        started_at(&trace, "proxy"),
        vec![10.0],
        "the sidecar is started at 10 s"
    );
    expect_eq!(
        trace,
        probe_failures(&trace, "proxy", "startup"),
        vec![5.0, 34.5],
        "the fresh startup worker probes again after its first sleep (half a period), and fails"
    );
    expect_eq!(
        trace,
        flag_changes(&trace, "proxy", "StartedChanged", false),
        vec![32.0],
        "the sidecar is no longer started"
    );
}

#[test]
fn from_1_35_a_kubelet_restart_keeps_started_and_does_not_rerun_the_startup_probe_r97() {
    for k8s in ["1.35", "1.36"] {
        let trace = run_on(STARTUP_WINDOW_POD, k8s, "kubelet-restart-at=32s; until=60s");
        expect_eq!(
            trace,
            started_at(&trace, "proxy"),
            vec![10.0],
            "{k8s}: the sidecar is started at 10 s"
        );
        expect_eq!(
            trace,
            probe_failures(&trace, "proxy", "startup"),
            vec![5.0],
            "{k8s}: the startup probe that passed is not run again"
        );
        expect!(
            trace,
            flag_changes(&trace, "proxy", "StartedChanged", false).is_empty(),
            "{k8s}: the sidecar stays started"
        );
        expect_eq!(
            trace,
            starts(&trace, "proxy").len(),
            1,
            "{k8s}: and running"
        );
    }
}

#[test]
fn a_kubelet_restart_forgets_the_crash_loop_back_off_r96() {
    // The back-off table lives in the kubelet's memory (kubelet.go makes a new one at start-up), so after a
    // restart the next exit finds no entry: the restart is immediate and the sequence starts over at 10 s.
    for k8s in ["1.34", "1.36"] {
        let trace = run_on(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: r96-backoff
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 30; exit 1"]
"#,
            k8s,
            "kubelet-restart-at=130s; until=200s",
        );
        let delays: Vec<f64> = trace
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::BackOff { delay, .. } => Some(delay),
                _ => None,
            })
            .collect();
        expect_eq!(
            trace,
            delays,
            vec![10.0, 20.0, 10.0],
            "{k8s}: 10 s, 20 s, then (after the restart at 130 s) 10 s again, not 40 s"
        );
        expect_eq!(
            trace,
            starts(&trace, "app"),
            vec![2.5, 33.0, 73.0, 123.0, 153.0, 193.0],
            "{k8s}: the exit at 153 s is restarted at once"
        );
    }
}

#[test]
fn a_kubelet_restart_during_a_crash_loop_wait_restarts_the_container_at_once_r96() {
    // The container waits out its 20 s back-off (from the exit at 16 s) when the kubelet restarts at
    // 25 s: the new kubelet has no back-off entry, so its first sync starts it at once (`doBackOff`
    // finds none), on both sides of the 1.35 status switch (R97).
    for k8s in ["1.34", "1.36"] {
        let trace = run_on(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: r96-wait
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 1"]
"#,
            k8s,
            "kubelet-restart-at=25s; until=40s",
        );
        let before: Vec<f64> = starts(&trace, "app")
            .into_iter()
            .filter(|t| *t < 25.0)
            .collect();
        expect_eq!(
            trace,
            before,
            vec![2.5, 4.0, 15.0],
            "{k8s}: at once, then 10 s after the exit at 5 s"
        );
        let after: Vec<f64> = starts(&trace, "app")
            .into_iter()
            .filter(|t| *t >= 25.0)
            .collect();
        expect_eq!(
            trace,
            after,
            vec![25.0, 36.0],
            "{k8s}: started by the new kubelet's first sync (not at 36 s), then a fresh 10 s from the exit at 26 s"
        );
    }
}

// ================================================================ O. The ten naive-simulator traps

#[test]
fn termination_with_sidecars_pre_stops_parallel_reverse_sigterms_shared_deadline_o4() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: o4
spec:
  terminationGracePeriodSeconds: 12
  initContainers:
    - name: sidecar-1
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 1"]
    - name: sidecar-2
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'sleep 1; exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 5; exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 4"]
"#,
        "delete-at=20s",
    );
    // All preStops at 20; the app gets SIGTERM at 24 (its own preStop), exits at 29; sidecar-2 then
    // (29, exits 30), sidecar-1 at 30 with 12 − 10 = 2 s left; it ignores SIGTERM: SIGKILL at 32 = 20 + 12.
    for name in ["sidecar-1", "app"] {
        expect_eq!(
            trace,
            times_of(&trace, name, "PreStopHookStarted"),
            vec![20.0],
            "{name}: preStops start together"
        );
    }
    expect_eq!(trace, sigterms(&trace, "app"), vec![24.0], "app");
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-2"),
        vec![29.0],
        "sidecar-2"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-1"),
        vec![30.0],
        "sidecar-1"
    );
    expect_eq!(
        trace,
        sigkills(&trace, "sidecar-1"),
        vec![32.0],
        "one shared deadline, at least 2 s after SIGTERM"
    );
}

#[test]
fn the_interval_timeline_shows_post_start_then_ready_o3() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: o3-intervals
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "sleep 3"]
"#);
    let states: Vec<(f64, f64, IntervalState)> = trace
        .intervals
        .iter()
        .filter(|i| i.container == "app")
        .map(|i| (i.from.0.as_secs(), i.to.0.as_secs(), i.state))
        .collect();
    expect!(
        trace,
        states.contains(&(0.5, 2.5, IntervalState::Pulling))
            && states.contains(&(2.5, 5.5, IntervalState::PostStart))
            && states
                .iter()
                .any(|s| s.0 == 5.5 && s.2 == IntervalState::Ready),
        "pull, postStart, ready: {states:?}"
    );
}

// ================================================================ M. Newer behaviour (1.34+)

#[test]
fn a_container_with_its_own_always_policy_restarts_in_a_never_pod_r99() {
    let trace = run_on(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r99-always
spec:
  restartPolicy: Never
  containers:
    - name: worker
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 2; exit 0"]
"#,
        "1.35",
        "until=40s",
    );
    // 2.5–4.5, restarted at the 5 s sync (no back-off entry yet), 5–7, then 10 s of back-off from 7.
    expect_eq!(
        trace,
        first(starts(&trace, "worker"), 3),
        vec![2.5, 5.0, 17.0],
        "restarted after exit 0 although the pod says Never"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Succeeded),
        Vec::<f64>::new(),
        "the pod does not complete"
    );
    expect_eq!(trace, trace.outcome.phase, PodPhase::Running, "Running");
}

#[test]
fn a_container_with_its_own_never_policy_is_not_restarted_in_an_always_pod_r99() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r99-never
spec:
  restartPolicy: Always
  containers:
    - name: job
      image: busybox:1.36
      restartPolicy: Never
      command: ["sh", "-c", "sleep 2; exit 1"]
"#);
    expect_eq!(trace, starts(&trace, "job"), vec![2.5], "never restarted");
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Failed,
        "its exit 1 will not be retried: getPhase says Failed"
    );
    expect_eq!(
        trace,
        trace.outcome.at.map(|t| t.0.as_secs()),
        Some(4.5),
        "at its exit"
    );
}

#[test]
fn the_outcome_names_a_running_container_whose_own_policy_would_not_restart_it_r99() {
    // The pod's policy is Always, but "worker" says Never for itself: were it to exit, nothing would
    // start it again, and the pod waits for it; "web" (its own Always, in a pod that would restart it
    // anyway) is expected to run for ever and is not named.
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r99-outcome
spec:
  containers:
    - name: web
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
    - name: worker
      image: busybox:1.36
      restartPolicy: Never
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=30s",
    );
    expect_eq!(
        trace,
        trace.outcome.summary,
        "still Running at 30s: \"worker\" never exits",
        "the container's own policy, not the pod's"
    );
    // And the other way round: a Never pod whose container restarts itself (its own Always).
    let own_always = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r99-outcome-always
spec:
  restartPolicy: Never
  containers:
    - name: web
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=30s",
    );
    expect_eq!(
        own_always,
        own_always.outcome.summary,
        "Running at 30s",
        "a container its own policy restarts is expected to run for ever"
    );
}

#[test]
fn restart_rules_restart_on_the_listed_exit_codes_only_r99() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r99-rules
spec:
  restartPolicy: Never
  containers:
    - name: retried
      image: busybox:1.36
      restartPolicy: Never
      restartPolicyRules:
        - action: Restart
          exitCodes:
            operator: In
            values: [42]
      command: ["sh", "-c", "sleep 2; exit 42"]
    - name: failed
      image: busybox:1.36
      restartPolicy: Never
      restartPolicyRules:
        - action: Restart
          exitCodes:
            operator: NotIn
            values: [1]
      command: ["sh", "-c", "sleep 2; exit 1"]
"#,
        "until=40s",
    );
    expect_eq!(
        trace,
        first(starts(&trace, "retried"), 2),
        vec![2.5, 5.0],
        "exit 42 is In [42]: restarted"
    );
    expect_eq!(
        trace,
        starts(&trace, "failed"),
        vec![2.5],
        "exit 1 is not NotIn [1]: its Never policy applies"
    );
    expect_eq!(
        trace,
        phase_at(&trace, 30.0),
        PodPhase::Running,
        "a container still restarts: Running"
    );
}

#[test]
fn a_restart_by_the_containers_own_policy_or_rules_names_r99() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r99-rule-id
spec:
  restartPolicy: Never
  containers:
    - name: retried
      image: busybox:1.36
      restartPolicy: Never
      restartPolicyRules:
        - action: Restart
          exitCodes:
            operator: In
            values: [42]
      command: ["sh", "-c", "sleep 2; exit 42"]
    - name: always
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 2; exit 0"]
"#,
        "until=20s",
    );
    for name in ["retried", "always"] {
        let rules: Vec<Option<&str>> = events_of(&trace, name, "Started")
            .into_iter()
            .map(|e| e.rule)
            .collect();
        expect_eq!(
            trace,
            first(rules, 2),
            vec![Some("R25"), Some("R99")],
            "{name}: started at initialization, then restarted by its own policy (not the pod's R50)"
        );
    }
}

#[test]
fn an_init_container_with_its_own_never_policy_fails_the_pod_r99() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r99-init
spec:
  restartPolicy: Always
  initContainers:
    - name: migrate
      image: busybox:1.36
      restartPolicy: Never
      command: ["sh", "-c", "sleep 1; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    expect_eq!(trace, starts(&trace, "migrate"), vec![2.5], "not retried");
    expect_eq!(
        trace,
        starts(&trace, "app"),
        Vec::<f64>::new(),
        "the app never starts"
    );
    expect_eq!(trace, trace.outcome.phase, PodPhase::Failed, "Failed (R51)");
}

#[test]
fn with_the_gate_off_a_containers_own_policy_is_dropped_and_the_pod_policy_applies_r99() {
    let yaml = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r99-gate-off
spec:
  restartPolicy: Never
  containers:
    - name: worker
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 2; exit 0"]
"#;
    let options = podlife::SimulateOptions {
        check: podlife::CheckOptions {
            k8s: "1.34".parse().expect("a version"),
            pick: None,
        },
        scenario: podlife::scenario::Scenario::default(),
    };
    let (trace, warnings) = podlife::simulate_manifest(yaml, &options).expect("valid on 1.34");
    expect!(
        trace,
        warnings
            .iter()
            .any(|w| w.path == "spec.containers[0].restartPolicy"
                && w.message.contains("ContainerRestartRules")),
        "the API server drops the field with a warning: {warnings:?}"
    );
    expect_eq!(trace, starts(&trace, "worker"), vec![2.5], "not restarted");
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Succeeded,
        "the pod's Never applies"
    );
}

#[test]
fn a_liveness_kill_follows_the_containers_own_never_policy_r99() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r99-liveness
spec:
  restartPolicy: Always
  containers:
    - name: job
      image: busybox:1.36
      restartPolicy: Never
      command: ["sh", "-c", "trap 'exit 1' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        periodSeconds: 5
        failureThreshold: 1
"#);
    // The probe fails at its first tick after the start (5 s): the kubelet kills the container and,
    // its own policy being Never, does not restart it, whatever the pod's Always says.
    expect_eq!(
        trace,
        sigterms(&trace, "job"),
        vec![5.0],
        "killed by the probe"
    );
    expect_eq!(trace, starts(&trace, "job"), vec![2.5], "not restarted");
    expect_eq!(trace, trace.outcome.phase, PodPhase::Failed, "Failed");
}

// ================================================================ More edges of C–J

#[test]
fn a_sidecar_with_a_post_start_hook_and_a_startup_probe_needs_both_r23_o2() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r23-both
spec:
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "sleep 5"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 0"]
        periodSeconds: 1
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // The startup probe may pass at 3 while the hook still runs (2.5–7.5): started only at 7.5.
    expect_eq!(trace, started_at(&trace, "sidecar"), vec![7.5], "started");
    expect_eq!(trace, starts(&trace, "app"), vec![7.5], "app");
}

#[test]
fn a_failed_post_start_kill_finishes_before_the_next_container_is_created_r26_r28() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r26-poststart-kill
spec:
  restartPolicy: Always
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        postStart:
          exec:
            command: ["sh", "-c", "sleep 2; exit 1"]
        preStop:
          exec:
            command: ["sh", "-c", "sleep 3"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=30s",
    );
    // The hook fails at 4.5; the kill (preStop 4.5–7.5) runs inside app-1's start call, and only then
    // does the same sync go on to app-2.
    expect_eq!(
        trace,
        first(times_of(&trace, "app-1", "PreStopHookStarted"), 1),
        vec![4.5],
        "the failed hook kills app-1 through its preStop"
    );
    expect_eq!(
        trace,
        first(sigterms(&trace, "app-1"), 1),
        vec![7.5],
        "SIGTERM"
    );
    expect_eq!(
        trace,
        starts(&trace, "app-2"),
        vec![7.5],
        "app-2 is still started in that sync, once the kill has returned"
    );
}

#[test]
fn kills_decided_in_one_sync_run_one_after_another_r43() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r43-serial-kills
spec:
  restartPolicy: Always
  terminationGracePeriodSeconds: 60
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 5"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 5"]
"#,
        "until=30s",
    );
    let mut pre_stops = vec![
        nth(times_of(&trace, "app-1", "PreStopHookStarted"), 0),
        nth(times_of(&trace, "app-2", "PreStopHookStarted"), 0),
    ];
    pre_stops.sort_by(|a, b| a.total_cmp(b));
    expect_eq!(
        trace,
        pre_stops,
        vec![8.0, 13.0],
        "both fail at 8, but the second kill starts when the first has returned"
    );
    expect_eq!(
        trace,
        (
            nth(starts(&trace, "app-1"), 1),
            nth(starts(&trace, "app-2"), 1)
        ),
        (18.0, 18.0),
        "both are restarted after the kills"
    );
}

#[test]
fn a_startup_probe_grace_period_bounds_its_kill_r40() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r40-startup
spec:
  terminationGracePeriodSeconds: 500
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
        terminationGracePeriodSeconds: 3
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 10"]
"#,
        "until=20s",
    );
    expect_eq!(
        trace,
        first(times_of(&trace, "app", "PreStopHookFinished"), 1),
        vec![11.0],
        "the preStop (from 8) is cut after the probe's 3 s"
    );
    expect_eq!(
        trace,
        first(sigterms(&trace, "app"), 1),
        vec![11.0],
        "SIGTERM"
    );
    expect_eq!(
        trace,
        first(sigkills(&trace, "app"), 1),
        vec![13.0],
        "SIGKILL after the 2 s minimum, not after 500 s"
    );
}

#[test]
fn startup_probes_stop_during_termination_too_r42() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r42-startup
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 10
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 20"]
"#,
        "delete-at=5s",
    );
    expect!(
        trace,
        probe_failures(&trace, "app", "startup").is_empty(),
        "the startup probe, due from 13, never runs"
    );
    expect_eq!(trace, sigterms(&trace, "app"), vec![25.0], "no probe kill");
}

#[test]
fn an_init_failure_under_never_stops_running_sidecars_in_reverse_order_r51() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r51-reverse
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 5
  initContainers:
    - name: sidecar-1
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
    - name: sidecar-2
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
    - name: init-3
      image: busybox:1.36
      imagePullPolicy: Always
      command: ["sh", "-c", "sleep 2; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // init-3 runs 4.5–6.5, noticed at 7: the sidecars are stopped with the pod's 5 s grace.
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-2"),
        vec![7.0],
        "last first"
    );
    expect_eq!(trace, sigkills(&trace, "sidecar-2"), vec![12.0], "5 s");
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-1"),
        vec![12.0],
        "then sidecar-1"
    );
    expect_eq!(
        trace,
        sigkills(&trace, "sidecar-1"),
        vec![14.0],
        "2 s minimum"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Failed),
        vec![14.0],
        "Failed once they stopped (R61)"
    );
}

#[test]
fn on_failure_completion_also_tears_the_sidecars_down_r62() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r62-on-failure
spec:
  restartPolicy: OnFailure
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      imagePullPolicy: Always
      command: ["sh", "-c", "sleep 3; exit 0"]
"#);
    expect_eq!(trace, sigterms(&trace, "sidecar"), vec![7.0], "teardown");
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Succeeded),
        vec![7.0],
        "Succeeded"
    );
}

#[test]
fn a_deletion_during_the_completion_teardown_can_only_shorten_the_grace_r68() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r68-shorten
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 60
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
  containers:
    - name: app
      image: busybox:1.36
      imagePullPolicy: Always
      command: ["sh", "-c", "sleep 3; exit 0"]
"#,
        "delete-at=10s grace=10s",
    );
    // The teardown starts at 7 with the pod's 60 s (SIGKILL due at 67); the deletion at 10 asks for 10 s.
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar").first().copied(),
        Some(7.0),
        "teardown"
    );
    let kill = nth(sigkills(&trace, "sidecar"), 0);
    expect!(
        trace,
        kill > 10.0 && kill <= 20.0,
        "the shorter deletion grace wins: SIGKILL by 20, got {kill}"
    );
}

#[test]
fn time_spent_waiting_for_the_turn_comes_off_in_whole_seconds_r70() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r70-waiting
spec:
  terminationGracePeriodSeconds: 10
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 3600"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 2.5; exit 0' TERM; sleep 3600 & wait"]
"#,
        "delete-at=20s",
    );
    expect_eq!(trace, sigterms(&trace, "sidecar"), vec![22.5], "its turn");
    expect_eq!(
        trace,
        sigkills(&trace, "sidecar"),
        vec![30.5],
        "2.5 s of waiting cost 2 whole seconds: 8 s left"
    );
}

#[test]
fn the_first_regular_container_in_spec_order_wins_the_status_column_r85() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r85-first-wins
spec:
  restartPolicy: Always
  containers:
    - name: app-1
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 1"]
    - name: app-2
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=30s",
    );
    let s = snapshot_at(&trace, 10.0);
    expect_eq!(
        trace,
        (s.status.clone(), s.ready.clone(), s.restarts),
        ("CrashLoopBackOff".to_string(), "1/2".to_string(), 1),
        "app-1 backs off (exit at 5, restart at 15) while app-2 runs"
    );
}

#[test]
fn a_sidecar_whose_startup_probe_fails_is_restarted_even_in_a_never_pod_r35() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r35-sidecar
spec:
  restartPolicy: Never
  initContainers:
    - name: sidecar
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      startupProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 3
        periodSeconds: 1
        failureThreshold: 2
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#,
        "until=40s",
    );
    // Fails at 6 and 7: killed and restarted at 7; the next instance fails at 10 and 11 and is
    // restarted at once too (the sync reads the status from before the kill, where the instance
    // before it ended at 7, with no back-off yet: R53). The third, killed at 15, waits out 10 s.
    expect_eq!(
        trace,
        first(starts(&trace, "sidecar"), 4),
        vec![2.5, 7.0, 11.0, 25.0],
        "a sidecar always restarts"
    );
    expect!(
        trace,
        starts(&trace, "app").is_empty(),
        "the app never starts"
    );
    expect_eq!(
        trace,
        final_snapshot(&trace).phase,
        PodPhase::Pending,
        "the pod stays Pending"
    );
}

#[test]
fn a_sidecar_that_is_not_running_does_not_hold_back_the_one_before_it_r71() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r71-not-running
spec:
  initContainers:
    - name: sidecar-1
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    - name: sidecar-2
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 2; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 1; exit 0' TERM; sleep 3600 & wait"]
"#,
        "delete-at=30s",
    );
    // sidecar-2 crash-loops (exits at 5, 7, 19) and is backing off until 39 when the pod is deleted.
    expect_eq!(trace, sigterms(&trace, "app"), vec![30.0], "app");
    expect_eq!(
        trace,
        sigterms(&trace, "sidecar-1"),
        vec![31.0],
        "sidecar-1 goes as soon as the app has exited: the backing-off sidecar-2 counts as terminated"
    );
    expect!(
        trace,
        starts(&trace, "sidecar-2").iter().all(|t| *t < 30.0),
        "and sidecar-2 is not restarted during the termination (R78)"
    );
    expect_eq!(trace, pod_time_of(&trace, "Removed"), 31.0, "removed");
}

#[test]
fn an_init_container_whose_image_never_pulls_keeps_even_a_never_pod_pending_r27_r55_o8() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r55
  annotations:
    podlife.dev/behaviour.migrate: "pull=fail"
    podlife.dev/scenario: "until=60s"
spec:
  restartPolicy: Never
  initContainers:
    - name: migrate
      image: registry.example/migrate:v9
      command: ["sh", "-c", "sleep 2"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // Pulls at 0.5, 13, 35: the pull fails at 2.5; the sync after the new sandbox's relist (3 s)
    // finds its 10 s back-off running; the pod worker retries the failed sync 10 s later (13 s), past
    // the window: a new pull, failing at 15 s (a 20 s window); 25 s backs off, 35 s pulls (R55).
    expect_eq!(
        trace,
        times_of(&trace, "migrate", "Pulling"),
        vec![0.5, 13.0, 35.0],
        "pull retries back off"
    );
    let delays: Vec<f64> = events_of(&trace, "migrate", "BackOff")
        .iter()
        .map(|e| match e.kind {
            EventKind::BackOff { delay, .. } => delay,
            _ => 0.0,
        })
        .collect();
    expect_eq!(
        trace,
        delays[..2].to_vec(),
        vec![10.0, 20.0],
        "image-pull back-off doubles from 10 s"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 3.0),
        "Init:ErrImagePull".to_string(),
        "first failure, in the status of the sync after it"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 20.0),
        "Init:ImagePullBackOff".to_string(),
        "backing off"
    );
    expect_eq!(
        trace,
        phase_at(&trace, 59.0),
        PodPhase::Pending,
        "an image error is no exit: Pending even under Never"
    );
    expect!(
        trace,
        starts(&trace, "app").is_empty(),
        "nothing after the init container starts"
    );
}

const IMAGE_NEVER_PULLS: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r55-pull
  annotations:
    podlife.dev/behaviour.app: "pull=fail"
spec:
  containers:
    - name: app
      image: registry.example/app:missing
      command: ["sh", "-c", "sleep 3600"]
"#;

#[test]
fn a_failed_pull_is_err_image_pull_and_the_next_sync_in_its_back_off_image_pull_back_off_r55() {
    let trace = run_with(IMAGE_NEVER_PULLS, "until=60s");
    // EnsureImageExists: the failing pull (2.5 s) is ErrImagePull; the syncs inside its back-off
    // (3 s: the new sandbox's relist; 25 s; 47 s and 57 s: the pod worker's 10 s retries) find the
    // back-off running and record BackOff and "Error: ImagePullBackOff"; the retries past a window
    // (13 s, 35 s) pull again.
    let rows: Vec<(f64, &str, String)> = described(&trace, "app")
        .into_iter()
        .map(|(t, _, reason, message)| (t, reason, message))
        .collect();
    let at = |wanted: &str| -> Vec<f64> {
        rows.iter()
            .filter(|(_, reason, message)| *reason == wanted || message == wanted)
            .map(|(t, _, _)| *t)
            .collect()
    };
    expect_eq!(trace, at("Pulling"), vec![0.5, 13.0, 35.0], "pulls");
    expect_eq!(
        trace,
        at("Error: ErrImagePull"),
        vec![2.5, 15.0, 37.0],
        "each failed pull"
    );
    expect_eq!(
        trace,
        at("BackOff"),
        vec![3.0, 25.0, 47.0, 57.0],
        "only the syncs inside a back-off window, never the failure itself"
    );
    expect_eq!(
        trace,
        at("Error: ImagePullBackOff"),
        vec![3.0, 25.0, 47.0, 57.0],
        "the start's error in back-off"
    );
    // The waiting reason is the one the sync before left in the reason cache: kubectl shows
    // ErrImagePull, then ImagePullBackOff, in turn.
    expect_eq!(
        trace,
        kubectl_statuses(&trace),
        vec![
            "ContainerCreating",
            "ErrImagePull",
            "ImagePullBackOff",
            "ErrImagePull",
            "ImagePullBackOff",
            "ErrImagePull",
            "ImagePullBackOff"
        ],
        "STATUS"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 2.5),
        "ContainerCreating",
        "the failure shows from the next sync's status"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 10.0),
        "ErrImagePull",
        "within the first window"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 14.0),
        "ImagePullBackOff",
        "while pulling again"
    );
}

#[test]
fn a_kubelet_restart_forgets_the_image_pull_back_off_r96_r55() {
    // The image back-off lives in the kubelet's memory: after the restart at 27 s (inside the 20 s
    // window from the failure at 15 s), the new kubelet's first sync pulls at once, on both sides of
    // the 1.35 status switch (R97).
    for k8s in ["1.34", "1.36"] {
        let trace = run_on(IMAGE_NEVER_PULLS, k8s, "kubelet-restart-at=27s; until=39s");
        expect_eq!(
            trace,
            times_of(&trace, "app", "Pulling"),
            vec![0.5, 13.0, 27.0],
            "{k8s}: a pull at the restart, not at 35 s"
        );
        expect_eq!(
            trace,
            kubectl_status_at(&trace, 28.0),
            "ContainerCreating",
            "{k8s}: and the new kubelet's reason cache is empty"
        );
    }
}

#[test]
fn a_regular_container_whose_image_fails_does_not_stop_the_next_one_r26() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r26-pull
  annotations:
    podlife.dev/behaviour.first: "pull=fail"
    podlife.dev/scenario: "until=20s"
spec:
  containers:
    - name: first
      image: registry.example/first:v1
      command: ["sh", "-c", "sleep 3600"]
    - name: second
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // first's pull fails at 2.5; the same sync goes on and pulls and starts second (2.5 → 4.5).
    expect_eq!(
        trace,
        starts(&trace, "second"),
        vec![4.5],
        "the next container starts in the same sync"
    );
    expect!(
        trace,
        starts(&trace, "first").is_empty(),
        "first never starts"
    );
}

const SIDECAR_EXITS_DURING_TERMINATION: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r101
spec:
  terminationGracePeriodSeconds: 60
  initContainers:
    - name: proxy
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "sleep 8; exit 1"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 20; exit 0' TERM; sleep 3600 & wait"]
"#;

#[test]
fn a_sidecar_that_exits_during_termination_is_not_restarted_up_to_1_36_r78() {
    let trace = run_on(SIDECAR_EXITS_DURING_TERMINATION, "1.36", "delete-at=5s");
    // proxy starts at 2.5 and exits on its own at 10.5, while app drains until 25.
    expect_eq!(
        trace,
        starts(&trace, "proxy"),
        vec![2.5],
        "nothing restarts during termination"
    );
}

#[test]
fn with_kep_4438_opted_in_on_1_37_the_sidecar_restarts_while_the_app_drains_r101() {
    let trace = run_on(
        SIDECAR_EXITS_DURING_TERMINATION,
        "1.37",
        "delete-at=5s; feature-gates=SidecarsRestartableDuringPodTermination",
    );
    // Exit at 10.5 is noticed at the 11 s relist; the first restart has no back-off.
    expect_eq!(
        trace,
        starts(&trace, "proxy"),
        vec![2.5, 11.0],
        "restarted during termination"
    );
    let app_exit = exits(&trace, "app")[0].0;
    expect!(
        trace,
        sigterms(&trace, "proxy").iter().all(|&t| t >= app_exit),
        "still stopped after the app (R71)"
    );
}

#[test]
fn a_sidecar_restarted_during_termination_records_killing_for_its_new_instance_r101_r103() {
    let trace = run_on(
        SIDECAR_EXITS_DURING_TERMINATION,
        "1.37",
        "delete-at=5s; feature-gates=SidecarsRestartableDuringPodTermination",
    );
    // killContainer records Killing for every instance it stops: the one running at the deletion,
    // and the one restarted at 11 s, which joins the pod's kill.
    expect_eq!(
        trace,
        times_of(&trace, "proxy", "KillStarted"),
        vec![5.0, 11.0],
        "Killing for each instance"
    );
    expect_eq!(
        trace,
        described_as(&trace, "proxy", "Killing"),
        vec![
            (5.0, "Stopping container proxy".to_string()),
            (11.0, "Stopping container proxy".to_string())
        ],
        "the describe rows"
    );
}

#[test]
fn in_1_28_with_the_alpha_gate_on_sidecars_get_sigterm_with_the_regular_containers_r80() {
    let yaml = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r80
spec:
  initContainers:
    - name: proxy
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'sleep 5; exit 0' TERM; sleep 3600 & wait"]
"#;
    let trace = run_on(
        yaml,
        "1.28",
        "delete-at=10s; feature-gates=SidecarContainers",
    );
    expect_eq!(
        trace,
        sigterms(&trace, "proxy"),
        vec![10.0],
        "alpha: no order, SIGTERM at once"
    );
    expect_eq!(trace, sigterms(&trace, "app"), vec![10.0], "the app too");
    let ordered = run_on(yaml, "1.29", "delete-at=10s");
    expect_eq!(
        ordered,
        sigterms(&ordered, "proxy"),
        vec![15.0],
        "from 1.29 the sidecar waits for the app (R71)"
    );
}

#[test]
fn istio_hold_application_until_proxy_starts_holds_the_app_until_the_proxy_listens_r90() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r90-istio
spec:
  containers:
    - name: istio-proxy
      image: docker.io/istio/proxyv2:1.24.0
      args: ["proxy", "sidecar"]
      lifecycle:
        postStart:
          exec:
            command: ["pilot-agent", "wait"]
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
"#);
    // The proxy starts at 2.5 s and serves its readiness port 15021 two seconds later; `pilot-agent
    // wait` polls it, and the kubelet creates the next container only when the hook returns (R26, R28).
    expect_eq!(
        trace,
        times_of(&trace, "istio-proxy", "PostStartHookFinished"),
        vec![4.5],
        "the hook returns when the proxy listens"
    );
    expect_eq!(
        trace,
        times_of(&trace, "app", "Pulling"),
        vec![4.5],
        "the app is created only then"
    );
}

// ================================================================ P. Added 2026-12

#[test]
fn past_its_active_deadline_a_pod_is_stopped_in_order_and_fails_with_deadline_exceeded_r102() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r102
spec:
  restartPolicy: Always
  activeDeadlineSeconds: 10
  terminationGracePeriodSeconds: 30
  initContainers:
    - name: proxy
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 1' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 2"]
"#,
        "until=60s",
    );
    // startTime is 0 (the kubelet's first sync): at 10 the pod is failed and terminated like a
    // completed one, the app's preStop first, the sidecar after the app.
    expect_eq!(
        trace,
        pod_times_of(&trace, "DeadlineExceeded"),
        vec![10.0],
        "the deadline is noticed at startTime + 10 s"
    );
    expect_eq!(
        trace,
        times_of(&trace, "app", "PreStopHookStarted"),
        vec![10.0],
        "the app's preStop runs"
    );
    expect_eq!(
        trace,
        (sigterms(&trace, "app"), sigterms(&trace, "proxy")),
        (vec![12.0], vec![12.0]),
        "SIGTERM to the app after its preStop, then to the sidecar once the app is gone"
    );
    expect_eq!(
        trace,
        (starts(&trace, "proxy"), starts(&trace, "app")),
        (vec![2.5], vec![3.0]),
        "nothing restarts, even under restartPolicy Always"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Failed),
        vec![12.0],
        "Failed once every container has stopped (R61)"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 11.0),
        "Running",
        "the phase and its reason are held back while containers run"
    );
    expect_eq!(
        trace,
        final_snapshot(&trace).status,
        "Error",
        "kubectl shows the app's reason, not DeadlineExceeded (R83, R85)"
    );
    let failed = trace.events.iter().find(|e| {
        matches!(
            e.kind,
            EventKind::PhaseChanged {
                phase: PodPhase::Failed
            }
        )
    });
    expect!(
        trace,
        failed.is_some_and(|e| e.rule == Some("R102")
            && e.message.contains("DeadlineExceeded")
            && e.message
                .contains("Pod was active on the node longer than the specified deadline")),
        "the phase change carries the reason and message kubectl describe shows"
    );
    expect_eq!(
        trace,
        trace.outcome.summary,
        "Failed (DeadlineExceeded) at 12s",
        "the outcome names the reason"
    );
}

#[test]
fn a_crash_looping_pod_past_its_deadline_is_not_restarted_again_r102() {
    let trace = run_with(
        r#"
apiVersion: batch/v1
kind: Job
metadata:
  name: r102-job
spec:
  template:
    spec:
      restartPolicy: OnFailure
      activeDeadlineSeconds: 20
      containers:
        - name: app
          image: busybox:1.36
          command: ["sh", "-c", "sleep 1; exit 1"]
"#,
        "until=60s",
    );
    // Starts at 2.5, 4, 15; exits at 16 and backs off to 36: the deadline at 20 ends it.
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![2.5, 4.0, 15.0],
        "no restart after the deadline"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Failed),
        vec![20.0],
        "nothing runs, so the pod is Failed at once"
    );
    expect_eq!(
        trace,
        final_snapshot(&trace).status,
        "Error",
        "the last exit's reason"
    );
}

#[test]
fn the_kubelet_records_deadline_exceeded_when_it_fails_the_pod_r102() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r102-event
spec:
  activeDeadlineSeconds: 10
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
"#,
        "until=30s",
    );
    let rows: Vec<(f64, &str, &str, String)> = podlife::views::describe_rows(&trace)
        .into_iter()
        .filter(|r| r.container.is_none() && r.reason != "Scheduled")
        .map(|r| (r.t.as_secs(), r.kind, r.from, r.message))
        .collect();
    expect_eq!(
        trace,
        rows,
        vec![(
            10.0,
            "Normal",
            "kubelet",
            "Pod was active on the node longer than the specified deadline".to_string()
        )],
        "ShouldEvict's Normal DeadlineExceeded event, from the kubelet"
    );
    expect_eq!(
        trace,
        described_as(&trace, "app", "Killing"),
        vec![(10.0, "Stopping container app".to_string())],
        "then the pod's termination"
    );
}

#[test]
fn a_deleted_pod_past_its_deadline_when_it_stops_records_deadline_exceeded_r102() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r102-deleted
spec:
  activeDeadlineSeconds: 10
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 15"]
"#,
        "delete-at=5s; until=40s",
    );
    // Deleted at 5, preStop 5-20: the status SyncTerminatingPod generates once the app has stopped is
    // past the deadline, and ShouldEvict records its event then.
    expect_eq!(
        trace,
        pod_times_of(&trace, "DeadlineExceeded"),
        vec![20.0],
        "recorded when the terminating pod's status is generated past the deadline"
    );
    expect_eq!(
        trace,
        trace.outcome.summary.contains("DeadlineExceeded"),
        true,
        "the pod fails for its deadline"
    );
}

#[test]
fn the_deadline_waits_for_a_sync_blocked_by_a_kill_r102_r43() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r102-blocked
spec:
  activeDeadlineSeconds: 10
  terminationGracePeriodSeconds: 60
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      livenessProbe:
        exec:
          command: ["sh", "-c", "exit 1"]
        initialDelaySeconds: 5
        periodSeconds: 1
        failureThreshold: 1
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 10"]
"#,
        "until=60s",
    );
    // The liveness kill at 8 runs its preStop to 18 and the same sync then restarts the container; the
    // pod worker is busy until then, so the deadline's sync comes after it and stops the new instance
    // (preStop 18-28).
    expect_eq!(
        trace,
        pod_times_of(&trace, "DeadlineExceeded"),
        vec![18.0],
        "the deadline is acted on when the blocked sync returns"
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        vec![2.5, 18.0],
        "the sync that killed the container still restarts it"
    );
    expect_eq!(
        trace,
        times_of(&trace, "app", "PreStopHookStarted"),
        vec![8.0, 18.0],
        "then the deadline stops it through its preStop"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Failed),
        vec![28.0],
        "Failed"
    );
}

#[test]
fn a_deadline_that_passes_while_the_sidecars_stop_still_fails_the_pod_r102() {
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: r102-teardown
spec:
  restartPolicy: Never
  activeDeadlineSeconds: 10
  initContainers:
    - name: shipper
      image: busybox:1.36
      restartPolicy: Always
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 10"]
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3; exit 0"]
"#);
    // app exits 0 at 5.5; the completion stops the shipper at the relist (preStop 6-16). The final
    // status is written past the deadline, and `generateAPIPodStatus` fails the pod for it.
    expect_eq!(
        trace,
        exit_code(&trace, "app", 0),
        Some(0),
        "the app succeeded"
    );
    expect_eq!(
        trace,
        (
            phase_changes(&trace, PodPhase::Succeeded),
            phase_changes(&trace, PodPhase::Failed)
        ),
        (vec![], vec![16.0]),
        "Failed (DeadlineExceeded), not Succeeded"
    );
    expect_eq!(
        trace,
        trace.outcome.summary,
        "Failed (DeadlineExceeded) at 16s",
        "with its reason"
    );
}

#[test]
fn a_jobs_own_active_deadline_is_the_controllers_it_deletes_the_pod_r102_r106() {
    let trace = run(r#"
apiVersion: batch/v1
kind: Job
metadata:
  name: r102-job-deadline
spec:
  activeDeadlineSeconds: 5
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: app
          image: busybox:1.36
          command: ["sh", "-c", "sleep 10"]
"#);
    let failed = trace.events.iter().find(
        |e| matches!(&e.kind, EventKind::JobFailed { reason } if reason == "DeadlineExceeded"),
    );
    expect!(
        trace,
        failed.is_some_and(|e| secs(e) == 5.0 && e.rule == Some("R106")),
        "the Job controller fails the Job at its deadline"
    );
    expect_eq!(
        trace,
        pod_times_of(&trace, "DeadlineExceeded"),
        Vec::<f64>::new(),
        "the pod's own deadline (the kubelet's, R102) is not set"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![5.0],
        "the controller's deletion stops the running pod"
    );
    // `sleep` as PID 1 has no handler for SIGTERM: it sleeps on within the grace period, exits 0 at
    // 12.5 s, and the deleted pod, Succeeded, is removed then.
    expect_eq!(
        trace,
        pod_times_of(&trace, "Removed"),
        vec![12.5],
        "the deleted pod is removed once its container has exited"
    );
}

// ================================================================ P. Probes reach what listens; memory limits

/// The `Warning Unhealthy` messages `kubectl describe pod` lists for a container.
fn unhealthy_messages(trace: &podlife::trace::Trace, container: &str) -> Vec<String> {
    podlife::views::describe_rows(trace)
        .into_iter()
        .filter(|r| r.reason == "Unhealthy" && r.container.as_deref() == Some(container))
        .map(|r| kubelet_message(&r.message, container))
        .collect()
}

/// The warnings `podlife check` gives for a manifest: (path, message, hint).
fn check_warnings(yaml: &str) -> Vec<(String, String, String)> {
    let options = podlife::CheckOptions {
        k8s: "1.36".parse().expect("a supported version"),
        pick: None,
    };
    podlife::check(yaml, &options)
        .diagnostics
        .into_iter()
        .map(|d| (d.path, d.message, d.hint.unwrap_or_default()))
        .collect()
}

#[test]
fn liveness_on_a_port_nothing_listens_on_restarts_a_healthy_container_r104() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r104-liveness
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      ports:
        - containerPort: 8080
      livenessProbe:
        httpGet:
          path: /healthz
          port: 8080
        periodSeconds: 2
        failureThreshold: 3
"#,
        "until=40s",
    );
    // Running from 2.5 s; `sleep` listens nowhere, so every tick is refused: 4, 6, 8 → killed at 8 and,
    // exiting 0 at once on SIGTERM, restarted in the same sync (R36); the new instance fails at 10, 12,
    // 14 and is restarted at once too, since the back-off check reads the status from before the kill
    // and the instance before it finished 6 s ago with no back-off entry yet (R53); the kill at 20 finds
    // the 10 s entry that check created, and the restart waits until 30.
    expect_eq!(
        trace,
        first(probe_failures(&trace, "app", "liveness"), 6),
        vec![4.0, 6.0, 8.0, 10.0, 12.0, 14.0],
        "refused at every tick of each instance"
    );
    expect_eq!(
        trace,
        first(sigterms(&trace, "app"), 2),
        vec![8.0, 14.0],
        "killed at each third failure in a row"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "app"), 4),
        vec![2.5, 8.0, 14.0, 30.0],
        "restarted at once twice, then after the back-off"
    );
    let refused = "Liveness probe failed: Get \"http://10.244.0.5:8080/healthz\": dial tcp \
                   10.244.0.5:8080: connect: connection refused";
    expect_eq!(
        trace,
        unhealthy_messages(&trace, "app").first().cloned(),
        Some(refused.to_string()),
        "kubectl describe prints the kubelet's own words"
    );
}

#[test]
fn readiness_on_a_port_nothing_listens_on_keeps_the_pod_not_ready_r104() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r104-readiness
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "nc -l -p 8080"]
      readinessProbe:
        tcpSocket:
          port: 9090
        periodSeconds: 5
"#,
        "until=30s",
    );
    expect_eq!(
        trace,
        ready_at(&trace, "app"),
        Vec::<f64>::new(),
        "never ready"
    );
    expect_eq!(
        trace,
        condition_changes(&trace, "Ready", true),
        Vec::<f64>::new(),
        "the pod is never Ready"
    );
    expect_eq!(
        trace,
        final_snapshot(&trace).ready.clone(),
        "0/1".to_string(),
        "READY 0/1"
    );
    expect_eq!(
        trace,
        unhealthy_messages(&trace, "app").first().cloned(),
        Some(
            "Readiness probe failed: dial tcp 10.244.0.5:9090: connect: connection refused"
                .to_string()
        ),
        "a tcpSocket probe's refusal"
    );
    expect_eq!(
        trace,
        running_at(&trace, "app", 30.0),
        true,
        "readiness never restarts anything (R37)"
    );
}

#[test]
fn nginx_answers_probes_on_80_and_refuses_them_on_8080_r104() {
    let manifest = |port: u16| {
        format!(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: r104-nginx
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 8080
      readinessProbe:
        httpGet:
          path: /
          port: {port}
        periodSeconds: 5
"#
        )
    };
    let on_80 = run_with(&manifest(80), "until=20s");
    expect_eq!(
        on_80,
        ready_at(&on_80, "web"),
        vec![3.0],
        "nginx serves :80 (probed at the sync after its start, R37)"
    );
    expect_eq!(
        on_80,
        probe_failures(&on_80, "web", "readiness"),
        Vec::<f64>::new(),
        "no failure on 80"
    );
    // Declaring containerPort 8080 does not make nginx listen there: its image's configuration says 80.
    let on_8080 = run_with(&manifest(8080), "until=20s");
    expect_eq!(
        on_8080,
        ready_at(&on_8080, "web"),
        Vec::<f64>::new(),
        "never ready on 8080"
    );
    expect_eq!(
        on_8080,
        probe_failures(&on_8080, "web", "readiness"),
        vec![3.0, 8.0, 13.0, 18.0],
        "refused at the sync after the start (R37), then at every tick of the restarted ticker"
    );
}

#[test]
fn an_unknown_program_is_assumed_to_listen_on_its_declared_port_and_podlife_says_so_r104() {
    let yaml = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r104-unknown
spec:
  containers:
    - name: api
      image: example.com/shop/api:2.1
      ports:
        - containerPort: 8080
      readinessProbe:
        httpGet:
          path: /ready
          port: 8080
        periodSeconds: 5
"#;
    let trace = run_with(yaml, "until=20s");
    expect_eq!(
        trace,
        ready_at(&trace, "api"),
        vec![3.0],
        "the probe passes (at the sync after the start, R37)"
    );
    let warnings = check_warnings(yaml);
    let assumed = warnings
        .iter()
        .find(|(path, message, _)| {
            path == "spec.containers[0].image"
                && message.contains("assumes the program listens on :8080")
        })
        .cloned();
    expect!(
        trace,
        assumed.as_ref().is_some_and(
            |(_, _, hint)| hint.contains("podlife.dev/behaviour.api: \"listens=8080\"")
        ),
        "the assumption is said at the image, with the annotation that overrides it: {warnings:?}"
    );
    // A program podlife knows gets no such warning.
    let known = yaml.replace("example.com/shop/api:2.1", "nginx:1.27");
    expect!(
        trace,
        !check_warnings(&known)
            .iter()
            .any(|(_, m, _)| m.contains("assumes the program listens")),
        "nginx is known"
    );
}

#[test]
fn the_listens_annotation_overrides_what_podlife_infers_r104() {
    let yaml = |annotation: &str| {
        format!(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: r104-annotated
  annotations:
    podlife.dev/behaviour.api: "{annotation}"
spec:
  containers:
    - name: api
      image: example.com/shop/api:2.1
      ports:
        - containerPort: 8080
      readinessProbe:
        httpGet:
          path: /ready
          port: 8080
        periodSeconds: 5
"#
        )
    };
    // The program really listens on 9090: the probe on 8080 is refused, and the assumption is gone.
    let elsewhere = run_with(&yaml("listens=9090"), "until=20s");
    expect_eq!(
        elsewhere,
        ready_at(&elsewhere, "api"),
        Vec::<f64>::new(),
        "refused on 8080"
    );
    expect!(
        elsewhere,
        !check_warnings(&yaml("listens=9090"))
            .iter()
            .any(|(_, m, _)| m.contains("assumes the program listens")),
        "no assumption left to state"
    );
    let there = run_with(&yaml("listens=8080"), "until=20s");
    expect_eq!(there, ready_at(&there, "api"), vec![3.0], "served on 8080");
}

#[test]
fn an_http_post_start_hook_on_a_port_nobody_listens_on_fails_and_kills_the_container_r104() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r104-hook
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
      lifecycle:
        postStart:
          httpGet:
            path: /warm-up
            port: 8080
"#,
        "until=6s",
    );
    let finished = events_of(&trace, "app", "PostStartHookFinished");
    expect!(
        trace,
        finished.first().is_some_and(|e| e.message.contains(
            "HTTP lifecycle hook (/warm-up) for Container \"app\" in Pod \"r104-hook_default\" failed - \
             error: Get \"http://10.244.0.5:8080/warm-up\": dial tcp 10.244.0.5:8080: connect: \
             connection refused"
        )),
        "the hook fails with the kubelet's message"
    );
    expect_eq!(
        trace,
        first(sigterms(&trace, "app"), 1),
        vec![2.5],
        "a failed postStart kills the container (R28)"
    );
}

#[test]
fn a_failed_exec_probe_reports_what_its_command_printed_r104() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r104-exec
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["cat", "/tmp/healthy"]
        periodSeconds: 5
"#,
        "until=12s",
    );
    expect_eq!(
        trace,
        unhealthy_messages(&trace, "app").first().cloned(),
        Some(
            "Readiness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
                .to_string()
        ),
        "the command's own output"
    );
}

#[test]
fn an_exec_probe_past_its_timeout_reads_as_the_runtimes_timed_out_r39() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r39-timeout
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      readinessProbe:
        exec:
          command: ["sh", "-c", "sleep 10"]
        periodSeconds: 5
        timeoutSeconds: 1
"#,
        "until=12s",
    );
    expect_eq!(
        trace,
        unhealthy_messages(&trace, "app").first().cloned(),
        Some("Readiness probe failed: command \"sh -c sleep 10\" timed out".to_string()),
        "remote_runtime.go's ExecSync deadline error"
    );
}

/// A pod whose one container runs `app` and is probed by `probe` (a YAML mapping at probe depth).
fn probed_pod(name: &str, app: &str, probe: &str) -> String {
    let probe: String = probe.lines().map(|l| format!("      {l}\n")).collect();
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      command: [\"sh\", \"-c\", \"{app}\"]\n{probe}"
    )
}

#[test]
fn a_probe_attempt_holds_its_worker_until_it_returns_r34_r39() {
    // worker.go: `doProbe` waits in `prober.probe`, and only then records the result; the ticks that
    // passed meanwhile are dropped but one (Go's ticker), so the next attempt starts as it returns.
    let trace = run_with(
        &probed_pod(
            "slow-liveness",
            "sleep 3600",
            "livenessProbe:\n  exec:\n    command: [\"sh\", \"-c\", \"sleep 30\"]\n  timeoutSeconds: 11\n  periodSeconds: 1\n  failureThreshold: 3",
        ),
        "until=60s",
    );
    let started = nth(starts(&trace, "app"), 0);
    let failures = probe_failures(&trace, "app", "liveness");
    expect!(
        trace,
        failures.len() == 3,
        "three attempts fail, one every timeoutSeconds, not one every periodSeconds: {failures:?}"
    );
    let first_tick = started.ceil();
    let expected = [first_tick + 11.0, first_tick + 22.0, first_tick + 33.0];
    expect_eq!(
        trace,
        failures,
        expected.to_vec(),
        "each attempt is recorded when it times out"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "app"),
        vec![expected[2]],
        "the third failure kills the container"
    );
}

#[test]
fn after_a_slow_attempt_the_ticks_keep_their_period_r34() {
    // A liveness command that fails after 3 s: with periodSeconds 2 every tick is late, so the attempts
    // run back to back; with periodSeconds 4 they follow the ticker, 4 s apart, each 3 s after its tick.
    let spaced = |period: u32| {
        let probe = format!(
            "livenessProbe:\n  exec:\n    command: [\"sh\", \"-c\", \"sleep 3; exit 1\"]\n  timeoutSeconds: 5\n  periodSeconds: {period}\n  failureThreshold: 10"
        );
        let trace = run_with(
            &probed_pod("slow-failing-liveness", "sleep 3600", &probe),
            "until=30s",
        );
        let failures = first(probe_failures(&trace, "app", "liveness"), 4);
        let gaps: Vec<f64> = failures.windows(2).map(|w| w[1] - w[0]).collect();
        (trace, failures, gaps)
    };
    let (trace, failures, gaps) = spaced(2);
    expect_eq!(
        trace,
        gaps,
        vec![3.0, 3.0, 3.0],
        "back to back: {failures:?}"
    );
    let (trace, failures, gaps) = spaced(4);
    expect_eq!(
        trace,
        gaps,
        vec![4.0, 4.0, 4.0],
        "on the ticker: {failures:?}"
    );
    let started = nth(starts(&trace, "app"), 0);
    let first_tick = (started / 4.0).ceil() * 4.0;
    expect_eq!(
        trace,
        failures[0],
        first_tick + 3.0,
        "the first attempt is recorded 3 s after the first tick past the start"
    );
}

#[test]
fn an_attempt_on_a_container_that_exits_meanwhile_is_not_recorded_r34_r41() {
    // The attempt began on an instance that is gone when it returns: the runtime's exec into it errs,
    // and `doProbe` throws an errored result away.
    let trace = run_with(
        &probed_pod(
            "exits-under-probe",
            "sleep 3",
            "livenessProbe:\n  exec:\n    command: [\"sh\", \"-c\", \"sleep 30\"]\n  timeoutSeconds: 10\n  periodSeconds: 1",
        ),
        "until=12s",
    );
    let exited = exit_time(&trace, "app", 0);
    expect!(
        trace,
        exited < 10.0,
        "the container exits before the first attempt's timeout: {exited}"
    );
    expect_eq!(
        trace,
        probe_failures(&trace, "app", "liveness"),
        Vec::<f64>::new(),
        "the attempt in flight when it exited is never recorded"
    );
}

#[test]
fn failures_in_a_row_carry_over_to_the_next_instance_r33_r41() {
    // `doProbe` resets the result for a new container ID but not `resultRun`: two failures of an
    // instance that then exits on its own count towards the next instance's failureThreshold 3, so the
    // new instance is killed at its first failure. (A liveness kill itself starts the count afresh.)
    let trace = run_with(
        &probed_pod(
            "carried-failures",
            "sleep 2.2",
            "livenessProbe:\n  exec:\n    command: [\"cat\", \"/tmp/healthy\"]\n  periodSeconds: 1\n  failureThreshold: 3",
        ),
        "until=40s",
    );
    let started = starts(&trace, "app");
    let failures = probe_failures(&trace, "app", "liveness");
    expect!(
        trace,
        started.len() >= 2,
        "the container exits and is started again: {started:?}"
    );
    let first_run: Vec<f64> = failures
        .iter()
        .copied()
        .filter(|t| *t < started[1])
        .collect();
    expect_eq!(
        trace,
        first_run.len(),
        2,
        "two failures before it exits: {failures:?}"
    );
    let second_run: Vec<f64> = failures
        .iter()
        .copied()
        .filter(|t| *t >= started[1])
        .collect();
    let kills = sigterms(&trace, "app");
    expect!(
        trace,
        !second_run.is_empty() && kills.first() == second_run.first(),
        "the new instance's first failure is the third in a row, and kills it: failures {second_run:?}, SIGTERMs {kills:?}"
    );
}

/// A container that becomes ready after 5 s, probed for readiness every 30 s.
fn slow_readiness_pod() -> String {
    probed_pod(
        "unready-between-ticks",
        "sleep 5; touch /tmp/ready; sleep 3600",
        "readinessProbe:\n  exec:\n    command: [\"test\", \"-f\", \"/tmp/ready\"]\n  periodSeconds: 30",
    )
}

#[test]
fn a_started_container_that_is_not_ready_is_probed_between_ticks_r37() {
    // prober_manager.go `UpdatePodStatus`: each status the kubelet generates for a started, running
    // container whose readiness is not Success asks its worker for an attempt at once. The sync after
    // the container starts makes one; since kubernetes#119089 (1.32) it also restarts the ticker.
    let trace = run_on(&slow_readiness_pod(), "1.33", "until=70s");
    let started = nth(starts(&trace, "app"), 0);
    let failed = probe_failures(&trace, "app", "readiness");
    expect!(
        trace,
        failed.len() == 1 && failed[0] > started && failed[0] <= started + 1.0,
        "one attempt at the sync after the start, between the worker's ticks (0 s, 30 s): {failed:?}"
    );
    expect_eq!(
        trace,
        ready_at(&trace, "app"),
        vec![failed[0] + 30.0],
        "the ticker restarted at that attempt: the next is a period later"
    );
    let trace = run_on(&slow_readiness_pod(), "1.31", "until=70s");
    let failed = probe_failures(&trace, "app", "readiness");
    expect!(
        trace,
        failed.len() == 1 && failed[0] < 30.0,
        "the same attempt in 1.31: {failed:?}"
    );
    expect_eq!(
        trace,
        ready_at(&trace, "app"),
        vec![30.0],
        "before 1.32 the ticker keeps its grid"
    );
}

/// The Kubernetes docs' own example (tasks/configure-pod-container/assign-memory-resource.md).
const MEMORY_DEMO_2: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
  namespace: mem-example
spec:
  containers:
    - name: memory-demo-2-ctr
      image: polinux/stress
      resources:
        requests:
          memory: "50Mi"
        limits:
          memory: "100Mi"
      command: ["stress"]
      args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
"#;

#[test]
fn the_docs_stress_example_is_oom_killed_then_crash_loops_r105() {
    let trace = run_with(MEMORY_DEMO_2, "until=60s");
    let c = "memory-demo-2-ctr";
    // Started at 2.5 s; its worker has touched 250 MiB 0.1 s later: over 100Mi, the OOM killer ends
    // the container (137, OOMKilled). The untagged image is re-pulled (0.5 s) before each restart, which
    // follows the crash-loop back-off from FinishedAt: at once, then 10 s, 20 s.
    let got = first(exits(&trace, c), 3);
    expect_eq!(
        trace,
        got,
        vec![
            (2.6, 137, "OOMKilled".to_string()),
            (3.6, 137, "OOMKilled".to_string()),
            (14.2, 137, "OOMKilled".to_string())
        ],
        "OOMKilled, 137, each time"
    );
    expect_eq!(
        trace,
        first(starts(&trace, c), 3),
        vec![2.5, 3.5, 14.1],
        "restarted at the next relist, then after 10 s of back-off from 3.6"
    );
    // What the docs show: OOMKilled with the restart count, then CrashLoopBackOff, then Running again.
    // While the image is re-pulled the API still shows what the kubelet wrote before that sync's pull:
    // the OOMKilled instance, or CrashLoopBackOff after a back-off (R88).
    expect_eq!(
        trace,
        first(kubectl_statuses(&trace), 8),
        [
            "ContainerCreating",
            "Running",
            "OOMKilled",
            "Running",
            "OOMKilled",
            "CrashLoopBackOff",
            "Running",
            "OOMKilled"
        ]
        .map(String::from)
        .to_vec(),
        "kubectl get pod -w"
    );
    expect_eq!(
        trace,
        snapshot_at(&trace, 3.6).restarts,
        1,
        "OOMKilled, RESTARTS 1"
    );
    expect!(
        trace,
        events_of(&trace, c, "Exited")
            .iter()
            .all(|e| e.rule == Some("R105")),
        "each OOM kill names R105"
    );
}

#[test]
fn describe_names_the_pod_in_its_own_namespace_r103() {
    let trace = run_with(MEMORY_DEMO_2, "until=60s");
    expect_eq!(
        trace,
        trace.pod.namespace,
        "mem-example",
        "metadata.namespace"
    );
    let rows = podlife::views::describe_rows(&trace);
    let scheduled = rows.iter().find(|r| r.reason == "Scheduled");
    expect_eq!(
        trace,
        scheduled.map(|r| r.message.as_str()),
        Some("Successfully assigned mem-example/memory-demo-2 to node-1"),
        "the scheduler names NAMESPACE/NAME"
    );
    let back_off = described_as(&trace, "memory-demo-2-ctr", "BackOff");
    expect_eq!(
        trace,
        back_off.first().map(|(_, m)| m.clone()),
        Some(format!(
            "Back-off restarting failed container memory-demo-2-ctr in pod memory-demo-2_mem-example({})",
            trace.pod.uid
        )),
        "the kubelet names NAME_NAMESPACE(UID)"
    );
    let unnamed = run_with(
        &MEMORY_DEMO_2.replace("  namespace: mem-example\n", ""),
        "until=5s",
    );
    expect_eq!(
        unnamed,
        unnamed.pod.namespace,
        "default",
        "without metadata.namespace the pod is in default"
    );
}

#[test]
fn stress_without_a_memory_limit_is_not_oom_killed_r105() {
    let no_limit = MEMORY_DEMO_2.replace("        limits:\n          memory: \"100Mi\"\n", "");
    let trace = run_with(&no_limit, "until=30s");
    expect_eq!(
        trace,
        exits(&trace, "memory-demo-2-ctr"),
        Vec::<(f64, i32, String)>::new(),
        "no limit, no OOM kill"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, 30.0),
        "Running".to_string(),
        "Running"
    );
    expect_eq!(
        trace,
        trace.containers[0].behaviour.clone(),
        "runs forever: `stress --vm 1 --vm-bytes 250M --vm-hang 1`".to_string(),
        "stress is a program podlife knows, not an unknown one assumed to run"
    );
    // Under a limit it fits in, and with CPU workers only, it runs too.
    for args in [
        r#"["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]"#,
        r#"["--cpu", "2"]"#,
    ] {
        let fits = MEMORY_DEMO_2.replace("100Mi", "300Mi").replace(
            r#"["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]"#,
            args,
        );
        let trace = run_with(&fits, "until=30s");
        expect_eq!(
            trace,
            kubectl_status_at(&trace, 30.0),
            "Running".to_string(),
            "{args} fits in 300Mi"
        );
    }
}

#[test]
fn the_memory_annotation_grows_until_the_limit_r105() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: r105-leak
  annotations:
    podlife.dev/behaviour.app: "memory=40Mi+10Mi/s"
spec:
  containers:
    - name: app
      image: example.com/shop/api:2.1
      resources:
        limits:
          memory: 100Mi
"#,
        "until=20s",
    );
    // 40 MiB at start, 10 MiB more each second: over 100 MiB just after 6 s of running (2.5 + 6).
    expect_eq!(
        trace,
        first(exits(&trace, "app"), 1),
        vec![(8.501, 137, "OOMKilled".to_string())],
        "killed when the use crosses the limit"
    );
}

#[test]
fn a_run_that_stops_during_a_back_off_is_cut_off_not_settled_r53() {
    let crash_loop = r#"
apiVersion: v1
kind: Pod
metadata:
  name: r53-cut
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 1"]
"#;
    // At 60 s the container waits out a 40 s back-off: the run stops in the middle of a change.
    let cut = run_with(crash_loop, "until=60s");
    expect_eq!(
        cut,
        cut.outcome.cut_at_horizon,
        true,
        "stopped mid back-off"
    );
    // The one-hour cap cuts it off the same way: the back-off never ends.
    let capped = run(crash_loop);
    expect_eq!(
        capped,
        capped.outcome.cut_at_horizon,
        true,
        "stopped at one hour"
    );
    // A stable pod run up to an `until` had nothing left to do: it settled.
    let forever = crash_loop.replace("sleep 1; exit 1", "tail -f /dev/null");
    let stable = run_with(&forever, "until=60s");
    expect_eq!(stable, stable.outcome.cut_at_horizon, false, "a stable pod");
    let settled = run(&forever);
    expect_eq!(
        settled,
        settled.outcome.cut_at_horizon,
        false,
        "settled by itself"
    );
}

// ================================================================ R107. The scheduler's resource fit

/// A pod of one container running `sleep`, with the given `resources:` block (YAML, indented for the
/// container).
fn pod_requesting(name: &str, resources: &str) -> String {
    format!(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      resources:
{resources}
"#
    )
}

/// The scheduler's rows of `kubectl describe`: (reason, message).
fn scheduler_rows(trace: &podlife::trace::Trace) -> Vec<(&'static str, String)> {
    podlife::views::describe_rows(trace)
        .into_iter()
        .filter(|r| r.from == "default-scheduler")
        .map(|r| (r.reason, r.message))
        .collect()
}

/// Nothing of the kubelet happens to a pod no node fits: no sandbox, no pull, no start.
fn assert_never_started(trace: &podlife::trace::Trace) {
    expect!(
        trace,
        trace.events.iter().all(|e| e.container.is_none()),
        "no container event at all"
    );
    expect_eq!(
        trace,
        pod_times_of(trace, "Scheduled"),
        Vec::<f64>::new(),
        "never scheduled"
    );
    expect!(
        trace,
        kubectl_statuses(trace).iter().all(|s| s == "Pending"),
        "kubectl STATUS stays Pending: {:?}",
        kubectl_statuses(trace)
    );
    expect!(
        trace,
        trace.status.iter().all(|s| !s.conditions.pod_scheduled),
        "PodScheduled stays False"
    );
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Pending,
        "still Pending"
    );
}

#[test]
fn a_memory_request_bigger_than_the_node_leaves_the_pod_pending_r107() {
    // The docs' "too big for your Nodes" example asks for 1000Gi.
    let trace = run(&pod_requesting(
        "memory-demo-3",
        "        requests:\n          memory: 1000Gi\n        limits:\n          memory: 1000Gi",
    ));
    assert_never_started(&trace);
    expect_eq!(
        trace,
        scheduler_rows(&trace),
        vec![("FailedScheduling", "0/1 nodes are available: 1 Insufficient memory. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.".to_string())],
        "the scheduler's event in 1.36"
    );
    expect!(
        trace,
        trace.outcome.summary.contains("Insufficient memory"),
        "the outcome says why: {}",
        trace.outcome.summary
    );
}

#[test]
fn a_cpu_request_bigger_than_the_node_leaves_the_pod_pending_r107() {
    let trace = run_on(
        &pod_requesting("cpu-demo-2", "        requests:\n          cpu: \"100\""),
        "1.31",
        "",
    );
    assert_never_started(&trace);
    expect_eq!(
        trace,
        scheduler_rows(&trace),
        vec![("FailedScheduling", "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.".to_string())],
        "before 1.34 the preemption plugin looks for victims and finds none"
    );
}

#[test]
fn a_limit_without_a_request_is_what_the_scheduler_sees_r107() {
    // The API server copies the limit into the missing request (R15): 8 CPUs do not fit in 4.
    let trace = run(&pod_requesting(
        "limit-only",
        "        limits:\n          cpu: \"8\"\n          memory: 32Gi",
    ));
    assert_never_started(&trace);
    let reasons: Vec<Vec<String>> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::FailedScheduling { reasons } => Some(reasons.clone()),
            _ => None,
        })
        .collect();
    expect_eq!(
        trace,
        reasons,
        vec![vec![
            "Insufficient cpu".to_string(),
            "Insufficient memory".to_string()
        ]],
        "both resources are short"
    );
    expect!(
        trace,
        scheduler_rows(&trace)[0]
            .1
            .starts_with("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. "),
        "both reasons, sorted: {:?}",
        scheduler_rows(&trace)
    );
}

#[test]
fn a_pod_that_fits_a_small_node_set_in_the_scenario_runs_r107() {
    let yaml = pod_requesting(
        "fits",
        "        requests:\n          cpu: 1500m\n          memory: 3Gi",
    );
    let trace = run_with(&yaml, "node-cpu=2; node-memory=4Gi");
    expect_eq!(trace, pod_time_of(&trace, "Scheduled"), 0.0, "scheduled");
    expect_eq!(trace, starts(&trace, "app"), vec![2.5], "started as usual");
    // The same pod on a smaller node does not fit.
    let trace = run_with(&yaml, "node-cpu=1; node-memory=4Gi");
    assert_never_started(&trace);
}

#[test]
fn init_containers_count_by_their_peak_not_their_sum_r107() {
    // Two init containers of 3 CPUs each run one after the other: the pod needs 3 CPUs (R94), which a
    // 4-CPU node holds, though their sum, 6, would not fit.
    let trace = run(r#"
apiVersion: v1
kind: Pod
metadata:
  name: init-peak
spec:
  initContainers:
    - name: first
      image: busybox:1.36
      command: ["sh", "-c", "true"]
      resources:
        requests:
          cpu: "3"
    - name: second
      image: busybox:1.36
      command: ["sh", "-c", "true"]
      resources:
        requests:
          cpu: "3"
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      resources:
        requests:
          cpu: "1"
"#);
    expect_eq!(trace, pod_time_of(&trace, "Scheduled"), 0.0, "scheduled");
    expect_eq!(trace, starts(&trace, "app").len(), 1, "the app starts");
}

#[test]
fn an_unscheduled_pod_is_deleted_at_once_r107() {
    let trace = run_with(
        &pod_requesting("gone", "        requests:\n          memory: 1000Gi"),
        "delete-at=20s",
    );
    expect_eq!(
        trace,
        pod_times_of(&trace, "Removed"),
        vec![20.0],
        "removed when deleted"
    );
    expect_eq!(
        trace,
        trace.outcome.removed_at.map(|t| t.0.as_secs()),
        Some(20.0),
        "the outcome"
    );
}

// ================================================================ Images that cannot be had (R55, R103)

fn pod_with_image(image: &str) -> String {
    format!(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: image-test
spec:
  containers:
    - name: app
      image: "{image}"
      command: ["sh", "-c", "sleep 3600"]
"#
    )
}

#[test]
fn an_image_the_kubelet_cannot_parse_waits_as_invalid_image_name_r103() {
    for image in [
        "Nginx",
        "nginx:",
        "a b",
        "<your-private-image>",
        "gcr.io/<project>/job-wq-1",
    ] {
        let trace = run_with(&pod_with_image(image), "until=35s");
        expect_eq!(
            trace,
            times_of(&trace, "app", "Pulling"),
            Vec::<f64>::new(),
            "{image}: nothing is pulled"
        );
        expect_eq!(
            trace,
            starts(&trace, "app"),
            Vec::<f64>::new(),
            "{image}: never starts"
        );
        // Tried at the first sync, the sync after the sandbox's relist, then at each retry of the
        // failed sync 10 s later: no back-off grows.
        expect_eq!(
            trace,
            times_of(&trace, "app", "InvalidImageName"),
            vec![0.5, 1.0, 11.0, 21.0, 31.0],
            "{image}: every sync"
        );
        expect_eq!(
            trace,
            kubectl_statuses(&trace).last().cloned(),
            Some("InvalidImageName".to_string()),
            "{image}: kubectl STATUS"
        );
    }
}

#[test]
fn invalid_image_name_events_are_the_kubelets_r103() {
    let trace = run_with(&pod_with_image("Nginx"), "until=5s");
    let rows: Vec<(&str, String)> = described(&trace, "app")
        .into_iter()
        .map(|(_, _, reason, message)| (reason, message))
        .take(2)
        .collect();
    expect_eq!(
        trace,
        rows,
        vec![
            ("InspectFailed", "Failed to apply default image tag \"Nginx\": couldn't parse image name \"Nginx\": invalid reference format: repository name (library/Nginx) must be lowercase".to_string()),
            ("Failed", "Error: InvalidImageName".to_string()),
        ],
        "InspectFailed, then the start's Failed"
    );
}

#[test]
fn a_new_image_lets_an_invalid_image_name_container_start_r103_r65() {
    let trace = run_with(
        &pod_with_image("<your-private-image>"),
        "set-image=app=busybox:1.36@15s; until=40s",
    );
    expect_eq!(
        trace,
        starts(&trace, "app").len(),
        1,
        "started once the image is valid"
    );
    expect_eq!(
        trace,
        kubectl_statuses(&trace).last().cloned(),
        Some("Running".to_string()),
        "running"
    );
}

#[test]
fn a_registry_that_cannot_exist_fails_every_pull_without_an_annotation_r55() {
    let trace = run_with(
        &pod_with_image("invalid.registry.k8s.io/invalid/alpine:3.1"),
        "until=60s",
    );
    expect_eq!(
        trace,
        starts(&trace, "app"),
        Vec::<f64>::new(),
        "never starts"
    );
    expect_eq!(
        trace,
        times_of(&trace, "app", "PullFailed"),
        vec![2.5, 15.0, 37.0],
        "pulled at 0.5 s (2 s); the pull back-off (10 s, then 20 s from each failure) lets the next retry of the failed sync pull again (13 s, 35 s)"
    );
    let failed = described_as(&trace, "app", "Failed");
    expect!(
        trace,
        failed[0]
            .1
            .ends_with("dial tcp: lookup invalid.registry.k8s.io: no such host"),
        "the runtime's DNS error: {:?}",
        failed[0]
    );
    let statuses = kubectl_statuses(&trace);
    expect!(
        trace,
        statuses.contains(&"ErrImagePull".to_string())
            && statuses.contains(&"ImagePullBackOff".to_string()),
        "ErrImagePull, then ImagePullBackOff: {statuses:?}"
    );
}
