//! Upstream: kubernetes/kubernetes pkg/printers/internalversion/printers.go (`printPod`) and
//! staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go (`HumanDuration`).
//!
//! What `kubectl get pod` prints in its STATUS, READY, RESTARTS and AGE columns (R82–R89). The text is made
//! by the API server's table printer, so it follows the **API server's** version (R82).

use serde::Serialize;

use crate::pod_status::{ContainerKind, ContainerState, ContainerStatus, PodPhase, PodStatus};
use crate::time::{Millis, SimTime};
use crate::version::KubeVersion;

/// One row of `kubectl get pod`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KubectlRow {
    /// STATUS: `Init:1/3`, `PodInitializing`, `Running`, `NotReady`, `Completed`, `Terminating`, ...
    pub status: String,
    /// READY: ready regular containers plus started-and-ready sidecars, over their number (`1/2`).
    pub ready: String,
    /// The number behind RESTARTS.
    pub restarts: u32,
    /// RESTARTS as printed: `0`, or `2 (15s ago)` once something restarted.
    pub restarts_text: String,
    /// When the last counted restart happened (the latest `lastState.terminated.finishedAt`), if any.
    pub last_restart: Option<SimTime>,
    /// AGE of the pod (created at time zero).
    pub age: String,
}

/// `printPod` as the default API server version ([`KubeVersion::default`]) prints it.
pub fn print_pod(pod: &PodStatus, now: SimTime) -> KubectlRow {
    print_pod_for(pod, now, KubeVersion::default())
}

/// `printPod` as the given API server version prints it (R82–R89).
///
/// `pod` must carry one status per spec container (init containers and sidecars in
/// `init_container_statuses`, the others in `container_statuses`): the READY denominator is counted from
/// them. While the pod is unscheduled (`conditions.pod_scheduled` false) the API has no container
/// statuses yet, so they are only counted, never read.
///
/// Version differences in the printer:
/// - 1.31+: a deleted pod that already reached Succeeded/Failed shows its phase, not `Terminating`
///   (kubernetes/kubernetes#122038).
/// - 1.35+: when the regular pass ends on `Completed`, a regular container that exited non-zero shows its
///   reason (`Error`) unless a running container keeps the pod Ready (kubernetes/kubernetes#124766).
pub fn print_pod_for(pod: &PodStatus, now: SimTime, server: KubeVersion) -> KubectlRow {
    let sidecars = pod
        .init_container_statuses
        .iter()
        .filter(|c| c.kind == ContainerKind::Sidecar)
        .count();
    let total = pod.container_statuses.len() + sidecars;
    let age_text = age(now.since(SimTime::ZERO));

    let mut reason = pod
        .reason
        .clone()
        .unwrap_or_else(|| pod.phase.name().to_string());

    if !pod.conditions.pod_scheduled {
        return KubectlRow {
            status: deleting_status(pod, reason, server),
            ready: format!("0/{total}"),
            restarts: 0,
            restarts_text: "0".to_string(),
            last_restart: None,
            age: age_text,
        };
    }

    let mut ready = 0usize;
    let mut restarts: u32 = 0;
    let mut last_restart: Option<SimTime> = None;
    let mut sidecar_restarts: u32 = 0;
    let mut last_sidecar_restart: Option<SimTime> = None;

    // The init-container pass (R84): skip what is done, stop at the first container that is not.
    let total_init = pod.init_container_statuses.len();
    let mut initializing = false;
    for (i, c) in pod.init_container_statuses.iter().enumerate() {
        let is_sidecar = c.kind == ContainerKind::Sidecar;
        restarts += c.restart_count;
        later(&mut last_restart, last_finished_at(c));
        if is_sidecar {
            sidecar_restarts += c.restart_count;
            later(&mut last_sidecar_restart, last_finished_at(c));
        }
        match &c.state {
            ContainerState::Terminated { exit_code: 0, .. } => continue,
            _ if is_sidecar && c.started => {
                if c.ready {
                    ready += 1;
                }
                continue;
            }
            ContainerState::Terminated { .. } => {
                reason = format!("Init:{}", terminated_reason(&c.state));
            }
            ContainerState::Waiting { reason: waiting }
                if !waiting.is_empty() && waiting != "PodInitializing" =>
            {
                reason = format!("Init:{waiting}");
            }
            _ => reason = format!("Init:{i}/{total_init}"),
        }
        initializing = true;
        break;
    }

    // The regular-container pass (R85), last to first so that the first container in spec order wins.
    if !initializing || pod.conditions.initialized {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        let mut error_reason: Option<String> = None;
        for c in pod.container_statuses.iter().rev() {
            restarts += c.restart_count;
            later(&mut last_restart, last_finished_at(c));
            match &c.state {
                ContainerState::Waiting { reason: waiting } if !waiting.is_empty() => {
                    reason = waiting.clone();
                }
                ContainerState::Terminated { exit_code, .. } => {
                    reason = terminated_reason(&c.state);
                    if *exit_code != 0 {
                        error_reason = Some(reason.clone());
                    }
                }
                ContainerState::Running { .. } if c.ready => {
                    has_running = true;
                    ready += 1;
                }
                _ => {}
            }
        }
        if reason == "Completed" {
            let shows_errors = server.minor >= 35;
            if has_running && pod.conditions.ready {
                reason = "Running".to_string();
            } else if let (true, Some(error)) = (shows_errors, error_reason) {
                reason = error;
            } else if has_running {
                reason = "NotReady".to_string();
            }
        }
    }

    KubectlRow {
        status: deleting_status(pod, reason, server),
        ready: format!("{ready}/{total}"),
        restarts,
        restarts_text: restarts_text(restarts, last_restart, now),
        last_restart,
        age: age_text,
    }
}

/// The RESTARTS column at `now` (R87): the count, and once something restarted, how long ago the last
/// counted restart happened (`3 (42s ago)`), as `HumanDuration` prints it.
pub fn restarts_text(restarts: u32, last_restart: Option<SimTime>, now: SimTime) -> String {
    match last_restart {
        Some(at) if restarts != 0 => format!("{restarts} ({} ago)", age(now.since(at))),
        _ => restarts.to_string(),
    }
}

/// R86: `Unknown` for a deleted pod on a lost node; `Terminating` for a deleted pod (from 1.31 only while
/// its phase is not terminal).
fn deleting_status(pod: &PodStatus, reason: String, server: KubeVersion) -> String {
    if !pod.deleting {
        return reason;
    }
    if pod.reason.as_deref() == Some("NodeLost") {
        return PodPhase::Unknown.name().to_string();
    }
    if server.minor >= 31 && pod.phase.is_terminal() {
        return reason;
    }
    "Terminating".to_string()
}

/// The reason a terminated state shows: its own reason, else `ExitCode:N` (our statuses carry no signal,
/// so upstream's `Signal:N` never arises).
fn terminated_reason(state: &ContainerState) -> String {
    match state {
        ContainerState::Terminated {
            reason, exit_code, ..
        } => {
            if reason.is_empty() {
                format!("ExitCode:{exit_code}")
            } else {
                reason.clone()
            }
        }
        _ => String::new(),
    }
}

fn last_finished_at(c: &ContainerStatus) -> Option<SimTime> {
    match &c.last_termination {
        Some(ContainerState::Terminated { finished_at, .. }) => Some(*finished_at),
        _ => None,
    }
}

fn later(slot: &mut Option<SimTime>, candidate: Option<SimTime>) {
    if let Some(t) = candidate {
        if slot.is_none_or(|s| s < t) {
            *slot = Some(t);
        }
    }
}

/// A duration as kubectl prints AGE and "(Xs ago)" (`duration.HumanDuration`): seconds up to 2 minutes,
/// then `2m30s` up to 10 minutes, minutes up to 3 hours, `5h30m` up to 8 hours, hours up to 2 days,
/// `3d4h` up to 8 days, days up to 2 years, `3y20d` up to 8 years, then years. Always rounded down.
pub fn age(d: Millis) -> String {
    let seconds = d.0 / 1000;
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        let dy = days % 365;
        return if dy == 0 {
            format!("{years}y")
        } else {
            format!("{years}y{dy}d")
        };
    }
    format!("{years}y")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod_status::Conditions;
    use crate::pod_status::ContainerKind::{Init, Regular, Sidecar};
    use crate::status_generation::tests::{restarted, running, terminated, waiting};
    use crate::status_generation::{conditions, ConditionInput};

    fn v(minor: u8) -> KubeVersion {
        KubeVersion::new(minor)
    }

    /// A scheduled pod whose conditions are what the kubelet would generate for these statuses.
    fn pod(
        phase: PodPhase,
        init: Vec<ContainerStatus>,
        regular: Vec<ContainerStatus>,
    ) -> PodStatus {
        let mut p = PodStatus {
            phase,
            reason: None,
            conditions: Conditions::default(),
            init_container_statuses: init,
            container_statuses: regular,
            deleting: false,
        };
        p.conditions = conditions(&ConditionInput::from_status(&p, true));
        p
    }

    fn row(p: &PodStatus) -> (String, String, String) {
        let r = print_pod(p, SimTime::from_secs(60.0));
        (r.status, r.ready, r.restarts_text)
    }

    fn s(status: &str, ready: &str, restarts: &str) -> (String, String, String) {
        (status.into(), ready.into(), restarts.into())
    }

    // --- R82 READY ------------------------------------------------------------------------------

    #[test]
    fn ready_counts_regular_and_started_ready_sidecars_not_init_r82() {
        let p = pod(
            PodPhase::Running,
            vec![
                terminated("setup", Init, 0),
                running("proxy", Sidecar, true, true),
                running("logs", Sidecar, true, false),
            ],
            vec![
                running("app", Regular, true, true),
                running("worker", Regular, true, false),
            ],
        );
        assert_eq!(row(&p).1, "2/4");
    }

    #[test]
    fn ready_sidecar_not_yet_started_does_not_count_r82() {
        let p = pod(
            PodPhase::Pending,
            vec![running("proxy", Sidecar, false, true)],
            vec![waiting("app", Regular, "PodInitializing")],
        );
        assert_eq!(row(&p), s("Init:0/1", "0/2", "0"));
    }

    // --- R83 ------------------------------------------------------------------------------------

    #[test]
    fn status_starts_as_phase_or_status_reason_r83() {
        let regular = vec![waiting("app", Regular, "")];
        let mut p = pod(PodPhase::Pending, vec![], regular.clone());
        assert_eq!(row(&p).0, "Pending");
        p.reason = Some("DeadlineExceeded".into());
        p.phase = PodPhase::Failed;
        assert_eq!(row(&p).0, "DeadlineExceeded");
        let mut unscheduled = pod(PodPhase::Pending, vec![], regular);
        unscheduled.conditions = Conditions::default();
        assert_eq!(row(&unscheduled), s("Pending", "0/1", "0"));
    }

    // --- R84 init pass --------------------------------------------------------------------------

    #[test]
    fn init_progress_counts_sidecars_in_the_total_r84() {
        let p = pod(
            PodPhase::Pending,
            vec![
                terminated("setup", Init, 0),
                running("proxy", Sidecar, true, true),
                running("migrate", Init, false, false),
            ],
            vec![waiting("app", Regular, "PodInitializing")],
        );
        assert_eq!(row(&p), s("Init:2/3", "1/2", "0"));
    }

    #[test]
    fn init_progress_stops_at_first_sidecar_not_started_r84() {
        let p = pod(
            PodPhase::Pending,
            vec![
                running("proxy", Sidecar, false, false),
                waiting("setup", Init, "PodInitializing"),
            ],
            vec![waiting("app", Regular, "PodInitializing")],
        );
        assert_eq!(row(&p), s("Init:0/2", "0/2", "0"));
    }

    #[test]
    fn failed_init_container_shows_init_reason_or_exit_code_r84() {
        let p = pod(
            PodPhase::Pending,
            vec![terminated("setup", Init, 1)],
            vec![waiting("app", Regular, "PodInitializing")],
        );
        assert_eq!(row(&p).0, "Init:Error");
        let mut oom = terminated("setup", Init, 137);
        if let ContainerState::Terminated { reason, .. } = &mut oom.state {
            *reason = "OOMKilled".into();
        }
        let p = pod(
            PodPhase::Pending,
            vec![oom],
            vec![waiting("app", Regular, "PodInitializing")],
        );
        assert_eq!(row(&p).0, "Init:OOMKilled");
        let mut bare = terminated("setup", Init, 3);
        if let ContainerState::Terminated { reason, .. } = &mut bare.state {
            reason.clear();
        }
        let p = pod(
            PodPhase::Pending,
            vec![bare],
            vec![waiting("app", Regular, "PodInitializing")],
        );
        assert_eq!(row(&p).0, "Init:ExitCode:3");
    }

    #[test]
    fn waiting_init_container_shows_its_reason_except_pod_initializing_r84() {
        for reason in [
            "CrashLoopBackOff",
            "ImagePullBackOff",
            "ErrImagePull",
            "CreateContainerConfigError",
        ] {
            let p = pod(
                PodPhase::Pending,
                vec![
                    terminated("a", Init, 0),
                    waiting("b", Init, reason),
                    waiting("c", Init, "PodInitializing"),
                ],
                vec![waiting("app", Regular, "PodInitializing")],
            );
            assert_eq!(row(&p).0, format!("Init:{reason}"));
        }
        let p = pod(
            PodPhase::Pending,
            vec![
                terminated("a", Init, 0),
                waiting("b", Init, "PodInitializing"),
            ],
            vec![waiting("app", Regular, "PodInitializing")],
        );
        assert_eq!(row(&p).0, "Init:1/2");
    }

    // --- R85 regular pass -----------------------------------------------------------------------

    #[test]
    fn regular_pass_scans_last_to_first_so_first_container_wins_r85() {
        let p = pod(
            PodPhase::Pending,
            vec![],
            vec![
                waiting("a", Regular, "ErrImagePull"),
                waiting("b", Regular, "ContainerCreating"),
            ],
        );
        assert_eq!(row(&p).0, "ErrImagePull");
        let p = pod(
            PodPhase::Running,
            vec![],
            vec![
                running("a", Regular, true, true),
                restarted(
                    waiting("b", Regular, "CrashLoopBackOff"),
                    1,
                    1,
                    SimTime(50_000),
                ),
            ],
        );
        assert_eq!(row(&p), s("CrashLoopBackOff", "1/2", "1 (10s ago)"));
    }

    #[test]
    fn completed_with_running_ready_container_shows_running_or_notready_r85() {
        let mut p = pod(
            PodPhase::Running,
            vec![],
            vec![
                terminated("once", Regular, 0),
                running("server", Regular, true, true),
            ],
        );
        // The finished container is not ready, so the pod is not Ready: NotReady.
        assert!(!p.conditions.ready);
        assert_eq!(row(&p), s("NotReady", "1/2", "0"));
        // With the Ready condition True it reads Running.
        p.conditions.ready = true;
        assert_eq!(row(&p).0, "Running");
    }

    #[test]
    fn completed_with_running_ready_sidecar_shows_running_or_notready_r85() {
        // A sidecar is not a regular container: it never turns Completed into Running.
        let p = pod(
            PodPhase::Running,
            vec![running("proxy", Sidecar, true, true)],
            vec![terminated("main", Regular, 0)],
        );
        assert_eq!(row(&p), s("Completed", "1/2", "0"));
        // A regular container that is running but not ready leaves Completed alone too.
        let p = pod(
            PodPhase::Running,
            vec![running("proxy", Sidecar, true, true)],
            vec![
                terminated("main", Regular, 0),
                running("side", Regular, true, false),
            ],
        );
        assert_eq!(row(&p).0, "Completed");
        // A running, ready one makes it NotReady (the pod's Ready condition is False).
        let p = pod(
            PodPhase::Running,
            vec![running("proxy", Sidecar, true, true)],
            vec![
                terminated("main", Regular, 0),
                running("side", Regular, true, true),
            ],
        );
        assert_eq!(row(&p), s("NotReady", "2/3", "0"));
    }

    #[test]
    fn running_but_not_ready_container_leaves_status_running_r85() {
        let p = pod(
            PodPhase::Running,
            vec![],
            vec![
                running("a", Regular, true, true),
                running("b", Regular, true, false),
            ],
        );
        assert_eq!(row(&p), s("Running", "1/2", "0"));
    }

    #[test]
    fn completed_hides_a_later_error_before_1_35_and_shows_it_after_r85() {
        let p = pod(
            PodPhase::Failed,
            vec![],
            vec![terminated("a", Regular, 0), terminated("z", Regular, 1)],
        );
        let now = SimTime::from_secs(30.0);
        assert_eq!(print_pod_for(&p, now, v(34)).status, "Completed");
        assert_eq!(print_pod_for(&p, now, v(35)).status, "Error");
        // The first container's own error always wins.
        let p = pod(
            PodPhase::Failed,
            vec![],
            vec![terminated("a", Regular, 1), terminated("z", Regular, 0)],
        );
        assert_eq!(print_pod_for(&p, now, v(34)).status, "Error");
    }

    // --- R86 ------------------------------------------------------------------------------------

    #[test]
    fn deleted_pod_shows_terminating_while_not_terminal_r86() {
        let mut p = pod(
            PodPhase::Running,
            vec![],
            vec![running("app", Regular, true, true)],
        );
        p.deleting = true;
        assert_eq!(row(&p), s("Terminating", "1/1", "0"));
        // Once terminal, current servers show the outcome; 1.30 and older kept Terminating.
        let mut done = pod(
            PodPhase::Failed,
            vec![],
            vec![terminated("app", Regular, 137)],
        );
        done.deleting = true;
        let now = SimTime::from_secs(30.0);
        assert_eq!(print_pod_for(&done, now, v(36)).status, "Error");
        assert_eq!(print_pod_for(&done, now, v(30)).status, "Terminating");
        // A pod on a lost node.
        p.reason = Some("NodeLost".into());
        assert_eq!(row(&p).0, "Unknown");
    }

    // --- R87 RESTARTS ---------------------------------------------------------------------------

    #[test]
    fn restarts_while_initializing_sum_init_statuses_r87() {
        let p = pod(
            PodPhase::Pending,
            vec![
                restarted(terminated("a", Init, 0), 2, 1, SimTime(20_000)),
                restarted(running("proxy", Sidecar, true, true), 1, 1, SimTime(30_000)),
                restarted(
                    waiting("b", Init, "CrashLoopBackOff"),
                    3,
                    1,
                    SimTime(45_000),
                ),
            ],
            vec![waiting("app", Regular, "PodInitializing")],
        );
        let r = print_pod(&p, SimTime::from_secs(60.0));
        assert_eq!(r.status, "Init:CrashLoopBackOff");
        assert_eq!(r.restarts, 6);
        assert_eq!(r.restarts_text, "6 (15s ago)");
    }

    #[test]
    fn restarts_once_initialized_count_sidecars_and_regular_only_r87() {
        let p = pod(
            PodPhase::Running,
            vec![
                restarted(terminated("a", Init, 0), 4, 1, SimTime(50_000)),
                restarted(running("proxy", Sidecar, true, true), 1, 1, SimTime(10_000)),
            ],
            vec![restarted(
                running("app", Regular, true, true),
                2,
                1,
                SimTime(30_000),
            )],
        );
        let r = print_pod(&p, SimTime::from_secs(60.0));
        assert_eq!(r.status, "Running");
        assert_eq!(r.restarts, 3);
        // The init container's later restart time is dropped along with its count.
        assert_eq!(r.restarts_text, "3 (30s ago)");
    }

    #[test]
    fn restarts_text_without_restart_is_a_bare_number_r87() {
        let p = pod(
            PodPhase::Running,
            vec![],
            vec![running("app", Regular, true, true)],
        );
        assert_eq!(print_pod(&p, SimTime::from_secs(400.0)).restarts_text, "0");
        assert_eq!(print_pod(&p, SimTime::from_secs(400.0)).age, "6m40s");
    }

    // --- R88 ------------------------------------------------------------------------------------

    #[test]
    fn pod_initializing_between_init_and_regular_creation_r88() {
        let p = pod(
            PodPhase::Pending,
            vec![terminated("setup", Init, 0)],
            vec![waiting("app", Regular, "PodInitializing")],
        );
        assert_eq!(row(&p), s("PodInitializing", "0/1", "0"));
        let p = pod(
            PodPhase::Pending,
            vec![],
            vec![waiting("app", Regular, "ContainerCreating")],
        );
        assert_eq!(row(&p).0, "ContainerCreating");
    }

    // --- R89 sequences --------------------------------------------------------------------------

    #[test]
    fn init_then_sidecar_with_startup_probe_sequence_r89() {
        let main_waiting = || waiting("main", Regular, "PodInitializing");
        let mut unscheduled = pod(
            PodPhase::Pending,
            vec![
                waiting("init-1", Init, "PodInitializing"),
                waiting("sidecar-1", Sidecar, "PodInitializing"),
            ],
            vec![main_waiting()],
        );
        unscheduled.conditions = Conditions::default();
        let steps = [
            unscheduled,
            pod(
                PodPhase::Pending,
                vec![
                    running("init-1", Init, false, false),
                    waiting("sidecar-1", Sidecar, "PodInitializing"),
                ],
                vec![main_waiting()],
            ),
            pod(
                PodPhase::Pending,
                vec![
                    terminated("init-1", Init, 0),
                    running("sidecar-1", Sidecar, false, false),
                ],
                vec![main_waiting()],
            ),
            pod(
                PodPhase::Pending,
                vec![
                    terminated("init-1", Init, 0),
                    running("sidecar-1", Sidecar, true, true),
                ],
                vec![main_waiting()],
            ),
            pod(
                PodPhase::Running,
                vec![
                    terminated("init-1", Init, 0),
                    running("sidecar-1", Sidecar, true, true),
                ],
                vec![running("main", Regular, true, false)],
            ),
            pod(
                PodPhase::Running,
                vec![
                    terminated("init-1", Init, 0),
                    running("sidecar-1", Sidecar, true, true),
                ],
                vec![running("main", Regular, true, true)],
            ),
        ];
        let seen: Vec<_> = steps.iter().map(row).collect();
        assert_eq!(
            seen,
            vec![
                s("Pending", "0/2", "0"),
                s("Init:0/2", "0/2", "0"),
                s("Init:1/2", "0/2", "0"),
                s("PodInitializing", "1/2", "0"),
                s("Running", "1/2", "0"),
                s("Running", "2/2", "0"),
            ]
        );
    }

    #[test]
    fn crashlooping_sidecar_after_init_shows_init_crashloopbackoff_r89() {
        let p = pod(
            PodPhase::Running,
            vec![
                terminated("init-1", Init, 0),
                restarted(
                    waiting("sidecar-1", Sidecar, "CrashLoopBackOff"),
                    2,
                    1,
                    SimTime(55_000),
                ),
            ],
            vec![running("main", Regular, true, true)],
        );
        assert!(p.conditions.initialized);
        assert_eq!(row(&p), s("Init:CrashLoopBackOff", "1/2", "2 (5s ago)"));
        // Just after the exit, before the kubelet restarts it.
        let p = pod(
            PodPhase::Running,
            vec![
                terminated("init-1", Init, 0),
                terminated("sidecar-1", Sidecar, 1),
            ],
            vec![running("main", Regular, true, true)],
        );
        assert_eq!(row(&p), s("Init:Error", "1/2", "0"));
    }

    #[test]
    fn never_job_with_sidecar_completed_then_succeeded_or_error_then_failed_r89() {
        // Main exited 0; the sidecar is still being stopped; the phase is held at Running (R61).
        let stopping = pod(
            PodPhase::Running,
            vec![running("sidecar-1", Sidecar, true, true)],
            vec![terminated("main", Regular, 0)],
        );
        assert_eq!(row(&stopping), s("Completed", "1/2", "0"));
        // Sidecar gone (SIGTERM → 143), phase Succeeded: still Completed.
        let done = pod(
            PodPhase::Succeeded,
            vec![terminated("sidecar-1", Sidecar, 143)],
            vec![terminated("main", Regular, 0)],
        );
        assert_eq!(row(&done), s("Completed", "0/2", "0"));
        // Main exits 1: Error, ending Failed.
        let stopping = pod(
            PodPhase::Running,
            vec![running("sidecar-1", Sidecar, true, true)],
            vec![terminated("main", Regular, 1)],
        );
        assert_eq!(row(&stopping).0, "Error");
        let failed = pod(
            PodPhase::Failed,
            vec![terminated("sidecar-1", Sidecar, 0)],
            vec![terminated("main", Regular, 1)],
        );
        assert_eq!(row(&failed), s("Error", "0/2", "0"));
    }

    #[test]
    fn deleted_running_pod_shows_terminating_r89() {
        let mut p = pod(
            PodPhase::Running,
            vec![running("sidecar-1", Sidecar, true, true)],
            vec![running("main", Regular, true, true)],
        );
        p.deleting = true;
        assert_eq!(row(&p), s("Terminating", "2/2", "0"));
    }

    // --- AGE ------------------------------------------------------------------------------------

    #[test]
    fn age_reads_like_kubectl_human_duration() {
        let secs = |s: u64| age(Millis::secs(s));
        assert_eq!(age(Millis(999)), "0s");
        assert_eq!(secs(5), "5s");
        assert_eq!(secs(119), "119s");
        assert_eq!(secs(120), "2m");
        assert_eq!(secs(150), "2m30s");
        assert_eq!(secs(599), "9m59s");
        assert_eq!(secs(600), "10m");
        assert_eq!(secs(75 * 60), "75m");
        assert_eq!(secs(179 * 60 + 59), "179m");
        assert_eq!(secs(3 * 3600), "3h");
        assert_eq!(secs(5 * 3600 + 30 * 60), "5h30m");
        assert_eq!(secs(8 * 3600), "8h");
        assert_eq!(secs(47 * 3600), "47h");
        assert_eq!(secs(48 * 3600), "2d");
        assert_eq!(secs(76 * 3600), "3d4h");
        assert_eq!(secs(8 * 24 * 3600), "8d");
        assert_eq!(secs(729 * 24 * 3600), "729d");
        assert_eq!(secs(750 * 24 * 3600), "2y20d");
        assert_eq!(secs(9 * 365 * 24 * 3600), "9y");
    }
}
