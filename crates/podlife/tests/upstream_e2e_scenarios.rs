//! Kubernetes' own node e2e tests of the container lifecycle, replayed on the model: each test names the
//! upstream test in kubernetes/kubernetes `test/e2e_node/container_lifecycle_test.go` it transcribes,
//! loads the same pod from `tests/corpus/scenarios/e2e-*.yaml` (see the README there for how upstream's
//! `ExecCommand` scripts are written) and asserts what upstream asserts — the orderings of its
//! `parseOutput` log (`StartsBefore`, `ExitsBefore`, `RunTogether`, `HasRestarted`, ...), exit codes and
//! reasons, phases, deadlines — plus the exact times the rulebook's timing model gives.

#[macro_use]
mod support;

use podlife::pod_status::PodPhase;
use podlife::trace::{EventKind, Trace};
use support::*;

// ---------------------------------------------------------------- upstream's log assertions

/// Index in the trace of the `nth` event of a kind for a container.
fn index_of(trace: &Trace, container: &str, kind: &str, from: usize) -> Option<usize> {
    trace
        .events
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, e)| e.container.as_deref() == Some(container) && e.kind.name() == kind)
        .map(|(i, _)| i)
}

/// `StartsBefore(lhs, rhs)`: lhs started, and rhs (re)started after that.
fn starts_before(trace: &Trace, lhs: &str, rhs: &str) -> bool {
    index_of(trace, lhs, "Started", 0)
        .and_then(|i| index_of(trace, rhs, "Started", i + 1))
        .is_some()
}

/// `ExitsBefore(lhs, rhs)`: lhs exited, and rhs exited after that.
fn exits_before(trace: &Trace, lhs: &str, rhs: &str) -> bool {
    index_of(trace, lhs, "Exited", 0)
        .and_then(|i| index_of(trace, rhs, "Exited", i + 1))
        .is_some()
}

/// `HasRestarted`: started at least twice.
fn has_restarted(trace: &Trace, name: &str) -> bool {
    starts(trace, name).len() >= 2
}

/// `HasNotRestarted`: started exactly once.
fn has_not_restarted(trace: &Trace, name: &str) -> bool {
    starts(trace, name).len() == 1
}

/// A hook "runs together" with its container: it started while the container was running.
fn hook_ran_in(trace: &Trace, name: &str, hook: &str) -> bool {
    times_of(trace, name, hook)
        .iter()
        .any(|t| running_at(trace, name, *t))
}

fn check_order(
    trace: &Trace,
    pairs: &[(&str, &str)],
    what: &str,
    f: fn(&Trace, &str, &str) -> bool,
) {
    for (lhs, rhs) in pairs {
        expect!(*trace, f(trace, lhs, rhs), "{what}({lhs}, {rhs})");
    }
}

// ---------------------------------------------------------------- the corpus files are valid Kubernetes

#[test]
fn every_scenario_manifest_is_valid_kubernetes() {
    use k8s_openapi::api::batch::v1::Job;
    use k8s_openapi::api::core::v1::Pod;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus/scenarios")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "the scenario corpus is there");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let report = podlife::check(&text, &podlife::CheckOptions::default());
        assert!(
            !report.has_errors(),
            "{}: {:?}",
            file.display(),
            report.diagnostics
        );
        for node in podlife::yaml::parse_documents(&text)
            .expect("no syntax error")
            .into_iter()
            .flatten()
        {
            let json = serde_json::to_value(node.to_json()).expect("JSON");
            let decoded = match json["kind"].as_str() {
                Some("Pod") => serde_json::from_value::<Pod>(json.clone()).map(|_| ()),
                Some("Job") => serde_json::from_value::<Job>(json.clone()).map(|_| ()),
                other => panic!("{}: unexpected kind {other:?}", file.display()),
            };
            assert!(decoded.is_ok(), "{}: {decoded:?}", file.display());
        }
    }
}

// ---------------------------------------------------------------- start-up

/// Upstream: "should launch init container serially before a regular container".
#[test]
fn should_launch_init_container_serially_before_a_regular_container() {
    let trace = run(&scenario_file("e2e-init-containers-serially.yaml"));
    check_order(
        &trace,
        &[
            ("init-1", "init-2"),
            ("init-2", "init-3"),
            ("init-3", "regular-1"),
        ],
        "StartsBefore",
        starts_before,
    );
    check_order(
        &trace,
        &[
            ("init-1", "init-2"),
            ("init-2", "init-3"),
            ("init-3", "regular-1"),
        ],
        "ExitsBefore",
        exits_before,
    );
    expect_eq!(
        trace,
        starts(&trace, "init-1"),
        vec![2.5],
        "after the 2 s pull"
    );
    expect_eq!(
        trace,
        starts(&trace, "init-2"),
        vec![4.0],
        "init-1 exits at 3.5, init-2 starts at the next relist"
    );
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Succeeded,
        "the pod finishes"
    );
}

/// Upstream: "should not launch second container before PostStart of the first container completed".
#[test]
fn should_not_launch_second_container_before_post_start_of_the_first_container_completed() {
    let trace = run(&scenario_file("e2e-poststart-blocks-second-container.yaml"));
    let hook_done = time_of(&trace, "regular-1", "PostStartHookFinished");
    expect_eq!(trace, hook_done, 3.5, "1 s hook from 2.5");
    expect_eq!(
        trace,
        starts(&trace, "regular-2"),
        vec![3.5],
        "regular-2 starts when the hook returns"
    );
    expect!(
        trace,
        index_of(&trace, "regular-1", "PostStartHookFinished", 0)
            < index_of(&trace, "regular-2", "Created", 0),
        "StartsBefore/ExitsBefore(PostStart-regular-1, regular-2)"
    );
    expect_eq!(trace, trace.outcome.phase, PodPhase::Succeeded, "Succeeded");
}

/// Upstream: "shouldn't restart init containers upon regular container restart".
#[test]
fn shouldnt_restart_init_containers_upon_regular_container_restart() {
    let trace = run(&scenario_file(
        "e2e-init-not-restarted-on-regular-restart.yaml",
    ));
    expect!(
        trace,
        restart_counts(&trace, "regular-1")
            .last()
            .copied()
            .unwrap_or(0)
            >= 3,
        "WaitForPodContainerRestartCount(0, 3, 2 min)"
    );
    for init in ["init-1", "init-2", "init-3"] {
        expect!(
            trace,
            has_not_restarted(&trace, init),
            "HasNotRestarted({init})"
        );
    }
    expect!(
        trace,
        has_restarted(&trace, "regular-1"),
        "HasRestarted(regular-1)"
    );
    check_order(
        &trace,
        &[
            ("init-1", "init-2"),
            ("init-2", "init-3"),
            ("init-3", "regular-1"),
        ],
        "StartsBefore",
        starts_before,
    );
}

/// Upstream: "using a Pod with restartPolicy=Never, three init container and two restartable init
/// containers" (the seven ordered `It`s).
#[test]
fn three_init_containers_and_two_restartable_init_containers_start_serially() {
    let trace = run(&scenario_file("e2e-restartable-init-serially.yaml"));
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Succeeded,
        "should finish and produce log"
    );
    check_order(
        &trace,
        &[
            ("init-1", "restartable-init-1"),
            ("init-2", "restartable-init-2"),
            ("restartable-init-2", "init-3"),
            ("init-3", "regular-1"),
        ],
        "StartsBefore",
        starts_before,
    );
    check_order(
        &trace,
        &[
            ("init-1", "restartable-init-1"),
            ("init-2", "restartable-init-2"),
            ("init-3", "regular-1"),
        ],
        "ExitsBefore",
        exits_before,
    );
    check_order(
        &trace,
        &[
            ("restartable-init-1", "init-2"),
            ("restartable-init-1", "restartable-init-2"),
            ("restartable-init-1", "init-3"),
            ("restartable-init-2", "init-3"),
            ("restartable-init-1", "regular-1"),
            ("restartable-init-2", "regular-1"),
        ],
        "RunTogether",
        ran_together,
    );
}

/// Upstream: "a restartable init container starts and exits with exit code 0 continuously"
/// (restartPolicy=Never).
#[test]
fn a_restartable_init_container_that_exits_0_continuously_is_restarted_and_the_pod_succeeds() {
    let trace = run(&scenario_file("e2e-sidecar-exits-0-continuously.yaml"));
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Succeeded,
        "should complete a Pod successfully"
    );
    expect!(
        trace,
        starts_before(&trace, "restartable-init-1", "regular-1"),
        "should restart a restartable init container before the regular container started"
    );
    expect!(
        trace,
        starts_before(&trace, "regular-1", "restartable-init-1"),
        "should restart a restartable init container after the regular container started"
    );
    expect!(
        trace,
        !exits(&trace, "regular-1").is_empty(),
        "should run a regular container to completion"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "restartable-init-1"), 2),
        vec![2.5, 8.0],
        "exits at 7.5, restarted at once (first restart)"
    );
}

/// Upstream: "should call the container's preStop hook and not launch next container if the restartable
/// init container's startup probe fails".
#[test]
fn should_call_pre_stop_and_not_launch_next_container_if_the_sidecar_startup_probe_fails() {
    let trace = run(&scenario_file("e2e-sidecar-startup-probe-fails.yaml"));
    expect!(
        trace,
        restart_counts(&trace, "restartable-init-1")
            .last()
            .copied()
            .unwrap_or(0)
            >= 2,
        "WaitForPodInitContainerRestartCount(0, 2, 2 min)"
    );
    expect_eq!(
        trace,
        final_snapshot(&trace).phase,
        PodPhase::Pending,
        "the pod is Pending"
    );
    expect!(
        trace,
        hook_ran_in(&trace, "restartable-init-1", "PreStopHookStarted"),
        "RunTogether(restartable-init-1, PreStop-restartable-init-1)"
    );
    expect!(
        trace,
        !exits(&trace, "restartable-init-1").is_empty(),
        "Exits(restartable-init-1)"
    );
    expect!(
        trace,
        starts(&trace, "regular-1").is_empty(),
        "DoesntStart(regular-1)"
    );
    // Default period 10 s: the probe fails at 10 (7.5 s ≥ 5), preStop 10–11, SIGTERM at 11, the
    // container takes 15 s: restarted at 26; again at 40 → exits 56 and is restarted at once: the sync
    // that killed it reads the status from before the kill, where the instance before it ended at 26
    // and no back-off entry exists yet (R53).
    expect_eq!(
        trace,
        first(
            times_of(&trace, "restartable-init-1", "PreStopHookStarted"),
            2
        ),
        vec![10.0, 40.0],
        "preStops"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "restartable-init-1"), 3),
        vec![2.5, 26.0, 56.0],
        "restarts"
    );
}

/// Upstream: "should call the container's preStop hook and start the next container if the restartable
/// init container's liveness probe fails".
#[test]
fn should_call_pre_stop_and_start_the_next_container_if_the_sidecar_liveness_probe_fails() {
    let trace = run(&scenario_file("e2e-sidecar-liveness-fails.yaml"));
    expect!(
        trace,
        restart_counts(&trace, "restartable-init-1")
            .last()
            .copied()
            .unwrap_or(0)
            >= 2,
        "WaitForPodInitContainerRestartCount(0, 2, 2 min)"
    );
    expect!(
        trace,
        restart_counts(&trace, "regular-1")
            .last()
            .copied()
            .unwrap_or(0)
            >= 1,
        "WaitForPodContainerRestartCount(0, 1, 2 min)"
    );
    expect!(
        trace,
        hook_ran_in(&trace, "restartable-init-1", "PreStopHookStarted"),
        "RunTogether(restartable-init-1, PreStop-restartable-init-1)"
    );
    expect!(
        trace,
        !starts(&trace, "regular-1").is_empty(),
        "Starts(regular-1)"
    );
    expect_eq!(
        trace,
        first(starts(&trace, "restartable-init-1"), 3),
        vec![2.5, 26.0, 56.0],
        "killed at 10 and 40 (preStop 1 s, 15 s to exit), restarted at 26 and 56: each restart reads the \
         status from before its kill, where the instance before ended long enough ago (R53)"
    );
    expect!(
        trace,
        starts(&trace, "regular-1")
            .iter()
            .all(|t| !(*t > 10.0 && *t < 26.0)),
        "while the sidecar's kill runs, the crash-looping regular container is not restarted (R43)"
    );
}

/// Upstream: "should call the container's preStop hook and terminate it if its startup probe fails"
/// (a regular container, restartPolicy=Never).
#[test]
fn should_call_pre_stop_and_terminate_a_regular_container_whose_startup_probe_fails() {
    let trace = run(&scenario_file("e2e-regular-startup-probe-fails.yaml"));
    expect!(
        trace,
        hook_ran_in(&trace, "regular-1", "PreStopHookStarted"),
        "RunTogether(regular-1, PreStop-regular-1)"
    );
    expect_eq!(
        trace,
        times_of(&trace, "regular-1", "PreStopHookStarted"),
        vec![20.0],
        "ticks at 10 (7.5 s < 10 s) and 20: fails at 20"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "regular-1"),
        vec![21.0],
        "after the preStop"
    );
    expect_eq!(
        trace,
        exits(&trace, "regular-1"),
        vec![(36.0, 0, "Completed".to_string())],
        "Exits(regular-1): 15 s after SIGTERM"
    );
    expect!(
        trace,
        has_not_restarted(&trace, "regular-1"),
        "Never: not restarted"
    );
    expect_eq!(
        trace,
        trace.outcome.phase,
        PodPhase::Succeeded,
        "the pod completes"
    );
}

/// Upstream: "should execute readiness probe while in preStop, but not liveness".
#[test]
fn should_not_execute_liveness_probes_while_in_pre_stop() {
    let trace = run(&scenario_file("e2e-liveness-kill-prestop-probes.yaml"));
    expect_eq!(
        trace,
        probe_failures(&trace, "regular-1", "liveness"),
        vec![13.0],
        "liveness fails at 13 (2.5 + 10 → 13) and never runs during the preStop (13–23)"
    );
    expect_eq!(
        trace,
        times_of(&trace, "regular-1", "PreStopHookStarted"),
        vec![13.0],
        "preStop"
    );
    expect_eq!(
        trace,
        sigterms(&trace, "regular-1"),
        vec![23.0],
        "SIGTERM after 10 s"
    );
    expect_eq!(
        trace,
        exits(&trace, "regular-1"),
        vec![(38.0, 0, "Completed".to_string())],
        "15 s to exit"
    );
    expect!(
        trace,
        snapshot_at(&trace, 20.0).conditions.ready,
        "the readiness probe keeps the container ready during the preStop"
    );
}

// ---------------------------------------------------------------- termination

/// Upstream: "should terminate sidecars in reverse order after all main containers have exited".
#[test]
fn should_terminate_sidecars_in_reverse_order_after_all_main_containers_have_exited() {
    let trace = run(&scenario_file("e2e-sidecars-reverse-order.yaml"));
    for name in [
        "restartable-init-1",
        "restartable-init-2",
        "restartable-init-3",
    ] {
        expect_eq!(
            trace,
            last_exit(&trace, name),
            (0, "Completed".to_string()),
            "{name}"
        );
    }
    check_order(
        &trace,
        &[
            ("restartable-init-1", "restartable-init-2"),
            ("restartable-init-1", "restartable-init-3"),
            ("restartable-init-2", "restartable-init-3"),
            ("restartable-init-1", "regular-1"),
            ("restartable-init-2", "regular-1"),
            ("restartable-init-3", "regular-1"),
        ],
        "StartsBefore",
        starts_before,
    );
    check_order(
        &trace,
        &[
            ("regular-1", "restartable-init-1"),
            ("regular-1", "restartable-init-2"),
            ("regular-1", "restartable-init-3"),
            ("restartable-init-3", "restartable-init-2"),
            ("restartable-init-2", "restartable-init-1"),
        ],
        "ExitsBefore",
        exits_before,
    );
    // regular-1 runs 5–10; each sidecar takes 5 s after its SIGTERM.
    let t = nth(sigterms(&trace, "restartable-init-3"), 0);
    expect!(
        trace,
        (10.0..=11.0).contains(&t),
        "teardown at the relist after 10: {t}"
    );
    expect_eq!(
        trace,
        (
            sigterms(&trace, "restartable-init-2"),
            sigterms(&trace, "restartable-init-1")
        ),
        (vec![t + 5.0], vec![t + 10.0]),
        "one after the other"
    );
    expect_eq!(
        trace,
        phase_changes(&trace, PodPhase::Succeeded),
        vec![t + 15.0],
        "Succeeded after the last sidecar"
    );
}

/// Upstream: "should call sidecar container PreStop hook simultaneously".
#[test]
fn should_call_sidecar_container_pre_stop_hook_simultaneously() {
    let trace = run(&scenario_file("e2e-sidecar-prestop-simultaneous.yaml"));
    let pre_stops: Vec<f64> = [
        "restartable-init-1",
        "restartable-init-2",
        "restartable-init-3",
    ]
    .iter()
    .map(|n| time_of(&trace, n, "PreStopHookStarted"))
    .collect();
    expect!(
        trace,
        pre_stops.iter().all(|t| (t - pre_stops[0]).abs() < 1.0),
        "pre-stop hooks within 1 s of each other: {pre_stops:?}"
    );
    check_order(
        &trace,
        &[
            ("regular-1", "restartable-init-1"),
            ("regular-1", "restartable-init-2"),
            ("regular-1", "restartable-init-3"),
            ("restartable-init-3", "restartable-init-2"),
            ("restartable-init-2", "restartable-init-1"),
        ],
        "ExitsBefore",
        exits_before,
    );
    for name in [
        "restartable-init-1",
        "restartable-init-2",
        "restartable-init-3",
    ] {
        expect_eq!(
            trace,
            last_exit(&trace, name),
            (0, "Completed".to_string()),
            "{name}"
        );
    }
    let t = pre_stops[0];
    expect_eq!(
        trace,
        (
            sigterms(&trace, "restartable-init-3"),
            sigterms(&trace, "restartable-init-2"),
            sigterms(&trace, "restartable-init-1")
        ),
        (vec![t + 1.0], vec![t + 6.0], vec![t + 11.0]),
        "SIGTERMs wait for the turn, 5 s apart"
    );
}

/// Upstream: "should not hang in termination if terminated during initialization".
#[test]
fn should_not_hang_in_termination_if_terminated_during_initialization() {
    let trace = run(&scenario_file("e2e-terminated-during-initialization.yaml"));
    let deleted = pod_time_of(&trace, "DeletionRequested");
    let removed = pod_time_of(&trace, "Removed");
    expect!(
        trace,
        removed - deleted < 3.0 + 3.0,
        "deleted in < grace + 3 s (took {})",
        removed - deleted
    );
    expect_eq!(trace, removed, 10.0, "start-init exits on SIGTERM at once");
    for name in [
        "restartable-init-1",
        "restartable-init-2",
        "restartable-init-3",
        "regular-1",
    ] {
        expect!(
            trace,
            starts(&trace, name).is_empty(),
            "{name} never starts"
        );
    }
}

/// Upstream: "should mark pod as succeeded if any of the restartable init containers have terminated
/// with non-zero exit code".
#[test]
fn should_mark_pod_as_succeeded_if_a_restartable_init_container_terminated_with_non_zero_exit_code()
{
    let trace = run(&scenario_file("e2e-sidecar-nonzero-exit-succeeds.yaml"));
    expect_eq!(trace, trace.outcome.phase, PodPhase::Succeeded, "Succeeded");
    let expected = [
        ("regular-1", 0, "Completed"),
        ("restartable-init-1", 0, "Completed"),
        ("restartable-init-2", 1, "Error"),
        ("restartable-init-3", 0, "Completed"),
    ];
    for (name, code, reason) in expected {
        expect_eq!(
            trace,
            last_exit(&trace, name),
            (code, reason.to_string()),
            "{name}"
        );
    }
    expect_eq!(
        trace,
        exit_time(&trace, "restartable-init-1", 0),
        24.0,
        "1 s each, in reverse order: 21, 22, 23, 24"
    );
}

/// Upstream: "should mark pod as succeeded if any of the restartable init containers have terminated
/// with non-zero exit code by prestop hook".
#[test]
fn should_mark_pod_as_succeeded_if_a_restartable_init_container_pre_stop_hook_fails() {
    let trace = run(&scenario_file("e2e-sidecar-prestop-fails-succeeds.yaml"));
    expect_eq!(trace, trace.outcome.phase, PodPhase::Succeeded, "Succeeded");
    for name in [
        "regular-1",
        "restartable-init-1",
        "restartable-init-2",
        "restartable-init-3",
    ] {
        expect_eq!(
            trace,
            last_exit(&trace, name),
            (0, "Completed".to_string()),
            "{name}: a failed preStop leaves the exit code alone"
        );
    }
}

/// Upstream: "should mark pod as failed if regular container has exceeded its termination grace period
/// seconds".
#[test]
fn should_mark_pod_as_failed_if_regular_container_has_exceeded_its_termination_grace_period() {
    let trace = run(&scenario_file("e2e-regular-exceeds-grace.yaml"));
    expect_eq!(trace, trace.outcome.phase, PodPhase::Failed, "Failed");
    let expected = [
        ("regular-1", 137, "Error"),
        ("restartable-init-1", 137, "Error"),
        ("restartable-init-2", 0, "Completed"),
        ("restartable-init-3", 137, "Error"),
    ];
    for (name, code, reason) in expected {
        expect_eq!(
            trace,
            last_exit(&trace, name),
            (code, reason.to_string()),
            "{name}"
        );
    }
}

/// Upstream: "should mark pod as succeeded if any of the restartable init containers have exceeded its
/// termination grace period seconds".
#[test]
fn should_mark_pod_as_succeeded_if_a_restartable_init_container_exceeded_its_termination_grace_period(
) {
    let trace = run(&scenario_file("e2e-sidecar-exceeds-grace.yaml"));
    expect_eq!(trace, trace.outcome.phase, PodPhase::Succeeded, "Succeeded");
    let expected = [
        ("regular-1", 0, "Completed"),
        ("restartable-init-1", 0, "Completed"),
        ("restartable-init-2", 137, "Error"),
        ("restartable-init-3", 0, "Completed"),
    ];
    for (name, code, reason) in expected {
        expect_eq!(
            trace,
            last_exit(&trace, name),
            (code, reason.to_string()),
            "{name}"
        );
    }
    expect_eq!(
        trace,
        sigkills(&trace, "restartable-init-2"),
        vec![25.0],
        "SIGTERM at 22 with 5 − 2 = 3 s left: SIGKILL at the 25 s deadline"
    );
}

/// Upstream: "should terminate sidecars simultaneously if prestop doesn't exit".
#[test]
fn should_terminate_sidecars_simultaneously_if_pre_stop_does_not_exit() {
    let trace = run(&scenario_file("e2e-sidecar-prestop-never-exits.yaml"));
    let names = [
        "restartable-init-1",
        "restartable-init-2",
        "restartable-init-3",
    ];
    for name in names {
        expect_eq!(
            trace,
            last_exit(&trace, name),
            (137, "Error".to_string()),
            "{name} is SIGKILLed"
        );
    }
    let t = time_of(&trace, "restartable-init-1", "PreStopHookStarted");
    for name in names {
        expect_eq!(
            trace,
            times_of(&trace, name, "PreStopHookStarted"),
            vec![t],
            "{name}: the hooks start together"
        );
        expect_eq!(
            trace,
            sigkills(&trace, name),
            vec![t + 32.0],
            "{name}: the hook lives ~32 s: 30 s grace + 2 s"
        );
    }
}

/// Upstream: "should terminate restartable init containers gracefully if there is a non-started
/// restartable init container".
#[test]
fn should_terminate_restartable_init_containers_gracefully_with_a_non_started_one() {
    let trace = run(&scenario_file("e2e-non-started-sidecar-terminates.yaml"));
    expect!(
        trace,
        started_at(&trace, "restartable-init-2").is_empty()
            && !starts(&trace, "restartable-init-2").is_empty(),
        "restartable-init-2 runs but is never started"
    );
    let removed = pod_time_of(&trace, "Removed");
    expect!(
        trace,
        removed - 20.0 < 1.0 + 60.0,
        "gone well before the 180 s grace (after {} s)",
        removed - 20.0
    );
    expect_eq!(trace, removed, 21.0, "it takes 1 s to exit on SIGTERM");
}

// ---------------------------------------------------------------- node reboot

/// Upstream: "should restart the containers in right order after the node reboot" (the variant with a
/// restartable init container).
#[test]
fn should_restart_the_containers_in_right_order_after_the_node_reboot() {
    let trace = run(&scenario_file("e2e-node-reboot-with-sidecar.yaml"));
    let names = ["init-1", "restartable-init-2", "init-3", "regular-1"];
    for name in names {
        expect_eq!(trace, starts(&trace, name).len(), 2, "{name} started twice");
    }
    for pair in names.windows(2) {
        let (a, b) = (starts(&trace, pair[0]), starts(&trace, pair[1]));
        expect!(
            trace,
            a[0] < b[0] && a[1] < b[1],
            "{} before {} both times",
            pair[0],
            pair[1]
        );
    }
    let reinit = nth(starts(&trace, "init-1"), 1);
    expect_eq!(
        trace,
        phase_at(&trace, reinit),
        PodPhase::Pending,
        "pod should remain in the pending phase until it is re-initialized"
    );
    expect!(
        trace,
        running_at(&trace, "regular-1", 170.0),
        "the regular container runs again"
    );
    let restarts_of = |name: &str| {
        trace
            .events
            .iter()
            .filter(|e| {
                e.container.as_deref() == Some(name)
                    && matches!(e.kind, EventKind::Started { restart_count } if restart_count > 0)
            })
            .count()
    };
    expect_eq!(
        trace,
        restarts_of("regular-1"),
        1,
        "the regular container's restart count goes up"
    );
}

// ---------------------------------------------------------------- image updates

/// Upstream: "a restartable init container runs continuously / should restart when updated with a new
/// image" (restartPolicy=Never).
#[test]
fn a_running_restartable_init_container_should_restart_when_updated_with_a_new_image() {
    let trace = run(&scenario_file("e2e-sidecar-image-update.yaml"));
    expect!(
        trace,
        has_restarted(&trace, "restartable-init-1"),
        "Verifying has restarted the restartable init container"
    );
    expect!(
        trace,
        has_not_restarted(&trace, "regular-1"),
        "Verifying not restarted the regular container"
    );
    expect!(
        trace,
        has_not_restarted(&trace, "restartable-init-2"),
        "Verifying not restarted the other restartable init container"
    );
    expect_eq!(
        trace,
        starts(&trace, "restartable-init-1"),
        vec![2.5, 22.0],
        "killed at 20, restarted after the new image's 2 s pull"
    );
    let pulled: Vec<String> = events_of(&trace, "restartable-init-1", "Pulling")
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Pulling { image } => Some(image.clone()),
            _ => None,
        })
        .collect();
    expect_eq!(
        trace,
        pulled.last().map(String::as_str),
        Some("busybox:1.37"),
        "the new image is pulled"
    );
}
