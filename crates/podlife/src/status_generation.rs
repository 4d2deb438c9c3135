//! Upstream: kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (`getPhase`, `convertToAPIContainerStatuses`),
//! pkg/kubelet/status/generate.go (the kubelet-owned pod conditions), pkg/kubelet/status/status_manager.go
//! (`mergePodStatus`, `TerminatePod`), pkg/kubelet/container/helpers.go (`HasAnyRegularContainerStarted`).
//!
//! Pure functions from container statuses to what the kubelet reports for the pod: its phase (R59–R63), its
//! five conditions with their reasons and messages (R44–R49), and the default waiting reasons (R88).
//! The kubelet engine decides *when* to call them; nothing here keeps state.

use serde::Serialize;

use crate::pod_status::{
    Conditions, ContainerKind, ContainerState, ContainerStatus, PodPhase, PodStatus,
};
use crate::time::SimTime;

/// Condition and status reasons the kubelet writes (generate.go, status_manager.go).
pub mod reasons {
    /// Initialized is False: an init container has not exited 0 or a sidecar has not started.
    pub const CONTAINERS_NOT_INITIALIZED: &str = "ContainersNotInitialized";
    /// ContainersReady (and so Ready) is False: a sidecar or regular container is not ready.
    pub const CONTAINERS_NOT_READY: &str = "ContainersNotReady";
    /// Ready is False because a readiness gate is not True.
    pub const READINESS_GATES_NOT_READY: &str = "ReadinessGatesNotReady";
    /// The pod Succeeded: Initialized True, ContainersReady/Ready False, with this reason.
    pub const POD_COMPLETED: &str = "PodCompleted";
    /// The pod Failed: ContainersReady/Ready False with this reason.
    pub const POD_FAILED: &str = "PodFailed";
    /// Waiting reason of a container not yet created in a pod that has init containers (R88).
    pub const POD_INITIALIZING: &str = "PodInitializing";
    /// Waiting reason of a container not yet created in a pod without init containers (R88).
    pub const CONTAINER_CREATING: &str = "ContainerCreating";
    /// Terminated reason the status manager gives a container it never saw stop (`TerminatePod`).
    pub const CONTAINER_STATUS_UNKNOWN: &str = "ContainerStatusUnknown";
}

// ---------------------------------------------------------------------------------------------
// R88: default waiting reasons
// ---------------------------------------------------------------------------------------------

/// The waiting reason of a container that does not exist yet (R88): `PodInitializing` when the pod has any
/// init container (init containers and sidecars included, for their own statuses too), otherwise
/// `ContainerCreating`. `convertToAPIContainerStatuses` starts every status from this default.
pub fn default_waiting_reason(has_init_containers: bool) -> &'static str {
    if has_init_containers {
        reasons::POD_INITIALIZING
    } else {
        reasons::CONTAINER_CREATING
    }
}

/// `HasAnyRegularContainerStarted` as generate.go applies it to the API statuses: some regular container
/// is running or terminated. This is what keeps `Initialized` True while a sidecar restarts (R25, R45).
///
/// Upstream's phase computation uses a stricter variant (`HasAnyActiveRegularContainerStarted`: a regular
/// container exists in the *current* sandbox); the engine knows that one and passes it to [`get_phase`].
pub fn any_regular_container_started(regular: &[ContainerStatus]) -> bool {
    regular.iter().any(|c| {
        matches!(
            c.state,
            ContainerState::Running { .. } | ContainerState::Terminated { .. }
        )
    })
}

// ---------------------------------------------------------------------------------------------
// R59–R63: the phase
// ---------------------------------------------------------------------------------------------

/// Would the pod `restartPolicy` restart a container that exited with `exit_code`? (R50; upstream
/// `ContainerShouldRestart` for a container without its own policy). Anything but `OnFailure`/`Never` is
/// read as the API default, `Always`.
pub fn pod_policy_restarts(restart_policy: &str, exit_code: i32) -> bool {
    match restart_policy {
        "Never" => false,
        "OnFailure" => exit_code != 0,
        _ => true,
    }
}

/// The phase the kubelet computes from the container statuses (`getPhase`, R59–R63), first match wins:
///
/// 1. an init container failed and will not be restarted (`Never`) → `Failed`;
/// 2. initialization pending (an init container not yet exited 0, or — while the pod has not initialized —
///    a sidecar not yet started) → `Pending`;
/// 3. a regular container (or a sidecar) waiting with no previous termination → `Pending`;
/// 4. something running (regular containers **and sidecars**) → `Running`;
/// 5. all regular containers stopped: `pod_is_terminal` → `Succeeded` if all exited 0 else `Failed` (R63);
///    some container will restart → `Running`; all exited 0 → `Succeeded`; otherwise `Failed`.
///
/// Sidecars never decide between `Succeeded` and `Failed`: a terminated (or crash-looping) sidecar is not
/// counted at all, whatever its exit code (R59). A *running* sidecar does count as running, so a `Never`
/// pod whose regular containers have all exited stays `Running` until the sidecars have been stopped
/// (R61, R62).
///
/// "Has the pod initialized" is read from the statuses (some regular container running or terminated).
/// Upstream asks the runtime instead whether a regular container exists in the *current* sandbox; the two
/// differ only while a recreated sandbox re-runs its init containers (node reboot), and 1.28 did not ask
/// at all. Use [`get_phase_with`] to pass the engine's own answer.
pub fn get_phase(
    restart_policy: &str,
    init: &[ContainerStatus],
    regular: &[ContainerStatus],
    pod_is_terminal: bool,
) -> PodPhase {
    get_phase_with(
        init,
        regular,
        pod_is_terminal,
        any_regular_container_started(regular),
        &|_, exit_code| pod_policy_restarts(restart_policy, exit_code),
    )
}

/// [`get_phase`] with everything supplied:
/// - `pod_has_initialized`: a regular container exists in the current sandbox (upstream
///   `HasAnyActiveRegularContainerStarted`, 1.29+); pass `false` for 1.28, where a restarting sidecar put
///   the pod back to `Pending`;
/// - `would_restart(status, exit_code)`: whether the kubelet restarts that init or regular container after
///   that exit ([`pod_policy_restarts`] for the pod policy). This is the `ContainerRestartRules` (1.34+,
///   R99) form of `getPhase`; with the pod policy it answers exactly as the classic form. The kubelet
///   engine passes each container's own policy and rules (`ContainerShouldRestart`, in
///   kubelet/restart_policy.rs).
pub fn get_phase_with(
    init: &[ContainerStatus],
    regular: &[ContainerStatus],
    pod_is_terminal: bool,
    pod_has_initialized: bool,
    would_restart: &dyn Fn(&ContainerStatus, i32) -> bool,
) -> PodPhase {
    get_phase_by_place(
        init,
        regular,
        pod_is_terminal,
        pod_has_initialized,
        &|_, status, exit_code| would_restart(status, exit_code),
    )
}

/// [`get_phase_with`] whose `would_restart` is also told the container's place among `init` then
/// `regular`: the kubelet engine holds its containers in that order, and finding each by its name
/// made every status of a 200-container pod cost 200 name lookups.
pub fn get_phase_by_place(
    init: &[ContainerStatus],
    regular: &[ContainerStatus],
    pod_is_terminal: bool,
    pod_has_initialized: bool,
    would_restart: &dyn Fn(usize, &ContainerStatus, i32) -> bool,
) -> PodPhase {
    let mut pending_init = 0usize;
    let mut pending_sidecars = 0usize;
    let mut failed_init_not_restartable = 0usize;

    for (place, c) in init
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind != ContainerKind::Sidecar)
    {
        match &c.state {
            ContainerState::Running { .. } => pending_init += 1,
            ContainerState::Terminated { exit_code, .. } => {
                if *exit_code != 0 && !would_restart(place, c, *exit_code) {
                    failed_init_not_restartable += 1;
                }
            }
            ContainerState::Waiting { .. } => match last_exit_code(c) {
                Some(code) => {
                    if code != 0 && !would_restart(place, c, code) {
                        failed_init_not_restartable += 1;
                    }
                }
                None => pending_init += 1,
            },
        }
    }

    let mut running = 0usize;
    let mut waiting = 0usize;
    let mut stopped = 0usize;
    let mut stopped_not_restartable = 0usize;
    let mut succeeded = 0usize;

    for c in init.iter().filter(|c| c.kind == ContainerKind::Sidecar) {
        match &c.state {
            ContainerState::Running { .. } => {
                if !c.started {
                    pending_sidecars += 1;
                }
                running += 1;
            }
            // A stopped sidecar, or one waiting to be restarted, plays no part in the phase.
            ContainerState::Terminated { .. } => {}
            ContainerState::Waiting { .. } => {
                if c.last_termination.is_none() {
                    pending_sidecars += 1;
                    waiting += 1;
                }
            }
        }
    }

    for (j, c) in regular.iter().enumerate() {
        let place = init.len() + j;
        match &c.state {
            ContainerState::Running { .. } => running += 1,
            ContainerState::Terminated { exit_code, .. } => {
                stopped += 1;
                if !would_restart(place, c, *exit_code) {
                    stopped_not_restartable += 1;
                }
                if *exit_code == 0 {
                    succeeded += 1;
                }
            }
            ContainerState::Waiting { .. } => match last_exit_code(c) {
                // Waiting to be restarted: stopped, and never counted as succeeded.
                Some(code) => {
                    stopped += 1;
                    if !would_restart(place, c, code) {
                        stopped_not_restartable += 1;
                    }
                }
                None => waiting += 1,
            },
        }
    }

    if failed_init_not_restartable > 0 {
        return PodPhase::Failed;
    }
    if pending_init > 0 || (pending_sidecars > 0 && !pod_has_initialized) || waiting > 0 {
        return PodPhase::Pending;
    }
    if running > 0 {
        return PodPhase::Running;
    }
    if stopped > 0 {
        if pod_is_terminal {
            return if stopped == succeeded {
                PodPhase::Succeeded
            } else {
                PodPhase::Failed
            };
        }
        if stopped != stopped_not_restartable {
            return PodPhase::Running;
        }
        return if stopped == succeeded {
            PodPhase::Succeeded
        } else {
            PodPhase::Failed
        };
    }
    PodPhase::Pending
}

fn last_exit_code(c: &ContainerStatus) -> Option<i32> {
    c.last_termination
        .as_ref()
        .and_then(ContainerState::terminated_exit_code)
}

/// The kubelet's own phase after a sync: once its status manager holds a terminal phase, a non-terminal
/// computed phase does not replace it (`generateAPIPodStatus`, three-way merge; "pods are not allowed to
/// transition out of terminal phases").
pub fn kubelet_phase(previous: PodPhase, computed: PodPhase) -> PodPhase {
    if previous.is_terminal() && !computed.is_terminal() {
        previous
    } else {
        computed
    }
}

/// The phase the API server ends up holding (R61, `mergePodStatus`): a terminal phase is held back — the
/// API keeps its current phase, and `status.reason` with it — while `could_have_running_containers`
/// (the pod worker has not finished stopping every container, sidecars included). A terminal API phase
/// never changes.
pub fn published_phase(
    api_phase: PodPhase,
    kubelet_phase: PodPhase,
    could_have_running_containers: bool,
) -> PodPhase {
    if api_phase.is_terminal() {
        return api_phase;
    }
    if kubelet_phase.is_terminal() && could_have_running_containers {
        return api_phase;
    }
    kubelet_phase
}

/// `TerminatePod`: the status the status manager publishes once the pod worker has stopped everything
/// (deletion, eviction, completion). Any container it never saw stop is reported as terminated with 137
/// and reason `ContainerStatusUnknown` — regular containers only once the pod had initialized, init
/// containers except the trailing ones that never started — and a `Pending` or `Running` phase becomes
/// `Failed` (R63: a pod deleted before its containers ran ends `Failed`). `now` stands for the
/// `finishedAt` upstream leaves empty.
pub fn terminate_pod(status: &PodStatus, now: SimTime) -> PodStatus {
    let mut out = status.clone();
    let unknown = |now: SimTime| ContainerState::Terminated {
        exit_code: 137,
        reason: reasons::CONTAINER_STATUS_UNKNOWN.to_string(),
        started_at: None,
        finished_at: now,
    };
    if has_pod_initialized(status) {
        for c in &mut out.container_statuses {
            if !matches!(c.state, ContainerState::Terminated { .. }) {
                c.state = unknown(now);
            }
        }
    }
    let attempted = attempted_init_containers(&out.init_container_statuses);
    for c in out.init_container_statuses.iter_mut().take(attempted) {
        if !matches!(c.state, ContainerState::Terminated { .. }) {
            c.state = unknown(now);
        }
    }
    if !out.phase.is_terminal() {
        out.phase = PodPhase::Failed;
    }
    out
}

/// status_manager.go `hasPodInitialized`: no init containers; or some regular container left `waiting` or
/// has a previous termination; or the last init container is a started running sidecar, or an init
/// container that exited 0 (now or last time).
fn has_pod_initialized(status: &PodStatus) -> bool {
    if status.init_container_statuses.is_empty() {
        return true;
    }
    if status
        .container_statuses
        .iter()
        .any(|c| c.last_termination.is_some() || !matches!(c.state, ContainerState::Waiting { .. }))
    {
        return true;
    }
    match status.init_container_statuses.last() {
        Some(last) if last.kind == ContainerKind::Sidecar => {
            last.state.is_running() && last.started
        }
        Some(last) => {
            last_exit_code(last) == Some(0) || last.state.terminated_exit_code() == Some(0)
        }
        None => false,
    }
}

/// status_manager.go `initializedContainers`: how many init statuses, from the front, have attempted to
/// start (all but the trailing run of never-started `waiting` ones; at least one).
fn attempted_init_containers(init: &[ContainerStatus]) -> usize {
    init.iter()
        .rposition(|c| {
            !matches!(c.state, ContainerState::Waiting { .. }) || c.last_termination.is_some()
        })
        .map_or(init.len().min(1), |i| i + 1)
}

// ---------------------------------------------------------------------------------------------
// R44–R49: the conditions
// ---------------------------------------------------------------------------------------------

/// One pod condition as `kubectl describe` / `-o yaml` shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    pub status: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Condition {
    fn truth() -> Condition {
        Condition {
            status: true,
            ..Condition::default()
        }
    }

    fn falsity(reason: &str, message: Option<String>) -> Condition {
        Condition {
            status: false,
            reason: Some(reason.to_string()),
            message,
        }
    }
}

/// The five conditions with their reasons and messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConditionDetails {
    pub pod_scheduled: Condition,
    pub pod_ready_to_start_containers: Condition,
    pub initialized: Condition,
    pub containers_ready: Condition,
    pub ready: Condition,
}

impl ConditionDetails {
    /// Just the truth values.
    pub fn flags(&self) -> Conditions {
        Conditions {
            pod_scheduled: self.pod_scheduled.status,
            pod_ready_to_start_containers: self.pod_ready_to_start_containers.status,
            initialized: self.initialized.status,
            containers_ready: self.containers_ready.status,
            ready: self.ready.status,
        }
    }
}

/// What the kubelet looks at to generate the conditions.
#[derive(Debug, Clone, Copy)]
pub struct ConditionInput<'a> {
    /// `PodScheduled` (set by the scheduler). Until then the kubelet has reported nothing, so its four
    /// conditions are absent (shown False).
    pub scheduled: bool,
    /// A sandbox with networking exists and need not be recreated (R44).
    pub sandbox_ready: bool,
    /// `spec.initContainers` is not empty (init containers or sidecars). Without any, `Initialized` is True
    /// from the first status on (R45).
    pub has_init_containers: bool,
    /// The phase the kubelet computed for this status ([`get_phase`], after [`kubelet_phase`]).
    pub phase: PodPhase,
    /// A regular container has run, so the pod counts as initialized whatever its sidecars do now (R25,
    /// R45). Upstream reads it from the statuses: [`any_regular_container_started`].
    pub initialized_for_good: bool,
    /// One per `spec.initContainers` entry, in spec order.
    pub init_container_statuses: &'a [ContainerStatus],
    /// One per `spec.containers` entry, in spec order.
    pub container_statuses: &'a [ContainerStatus],
    /// Every `spec.readinessGates` condition is True (vacuously so without gates) (R47). For the
    /// upstream message naming the gates, see [`readiness_gates_message`].
    pub readiness_gates_ready: bool,
}

impl<'a> ConditionInput<'a> {
    /// The input for a scheduled pod's status without readiness gates, `initialized_for_good` read from
    /// the statuses the way generate.go does.
    pub fn from_status(status: &'a PodStatus, sandbox_ready: bool) -> ConditionInput<'a> {
        ConditionInput {
            scheduled: true,
            sandbox_ready,
            has_init_containers: !status.init_container_statuses.is_empty(),
            phase: status.phase,
            initialized_for_good: any_regular_container_started(&status.container_statuses),
            init_container_statuses: &status.init_container_statuses,
            container_statuses: &status.container_statuses,
            readiness_gates_ready: true,
        }
    }
}

/// A `spec.readinessGates` entry and the status of the pod condition it names (`None`: no such condition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadinessGate {
    pub condition_type: String,
    pub status: Option<bool>,
}

/// The message of a `Ready` condition held False by readiness gates (`GeneratePodReadyCondition`), or
/// `None` when every gate is True.
pub fn readiness_gates_message(gates: &[ReadinessGate]) -> Option<String> {
    let unready: Vec<String> = gates
        .iter()
        .filter_map(|gate| match gate.status {
            None => Some(format!(
                "corresponding condition of pod readiness gate \"{}\" does not exist.",
                gate.condition_type
            )),
            Some(false) => Some(format!(
                "the status of pod readiness gate \"{}\" is not \"True\", but False",
                gate.condition_type
            )),
            Some(true) => None,
        })
        .collect();
    (!unready.is_empty()).then(|| unready.join(", "))
}

/// The five conditions as booleans (R44–R49). See [`condition_details`].
pub fn conditions(input: &ConditionInput) -> Conditions {
    condition_details(input).flags()
}

/// The five conditions with reasons and messages (R44–R49):
///
/// - `PodScheduled`: from the scheduler.
/// - `PodReadyToStartContainers`: the sandbox exists (R44).
/// - `Initialized`: every init container exited 0 and every sidecar is started; also True once a regular
///   container has run, with reason `PodCompleted` when the pod Succeeded, and at once with no init
///   containers. Otherwise `ContainersNotInitialized`, "containers with incomplete status: [a b]" (R45).
/// - `ContainersReady`: every sidecar and regular container ready; otherwise `ContainersNotReady`,
///   "containers with unready status: [..]"; False with `PodCompleted` / `PodFailed` in a terminal phase (R46).
/// - `Ready`: `ContainersReady` (same reason and message when False) and every readiness gate True, else
///   `ReadinessGatesNotReady` (R47; the message is [`readiness_gates_message`]'s, which needs the gates).
///
/// A terminal phase forces `ContainersReady` and `Ready` False (R49).
pub fn condition_details(input: &ConditionInput) -> ConditionDetails {
    if !input.scheduled {
        return ConditionDetails::default();
    }
    let mut details = ConditionDetails {
        pod_scheduled: Condition::truth(),
        pod_ready_to_start_containers: Condition {
            status: input.sandbox_ready,
            ..Condition::default()
        },
        initialized: initialized_condition(input),
        containers_ready: containers_ready_condition(input),
        ready: Condition::default(),
    };
    details.ready = ready_condition(&details.containers_ready, input.readiness_gates_ready);
    force_terminal_readiness(input.phase, &mut details);
    details
}

/// R49 (`mergePodStatus`): in a terminal phase `ContainersReady` and `Ready` are False, with reason
/// `PodCompleted` (Succeeded) or `PodFailed` (Failed). Applied by [`condition_details`]; exposed for a
/// status whose phase changed after its conditions were generated.
pub fn force_terminal_readiness(phase: PodPhase, details: &mut ConditionDetails) {
    let reason = match phase {
        PodPhase::Succeeded => reasons::POD_COMPLETED,
        PodPhase::Failed => reasons::POD_FAILED,
        _ => return,
    };
    details.containers_ready = Condition::falsity(reason, None);
    details.ready = Condition::falsity(reason, None);
}

fn initialized_condition(input: &ConditionInput) -> Condition {
    let incomplete: Vec<&str> = input
        .init_container_statuses
        .iter()
        .filter(|c| !init_container_done(c))
        .map(|c| c.name.as_str())
        .collect();
    if input.phase == PodPhase::Succeeded {
        return Condition {
            status: true,
            reason: Some(reasons::POD_COMPLETED.to_string()),
            message: None,
        };
    }
    if input.initialized_for_good || !input.has_init_containers || incomplete.is_empty() {
        return Condition::truth();
    }
    Condition::falsity(
        reasons::CONTAINERS_NOT_INITIALIZED,
        Some(format!(
            "containers with incomplete status: {}",
            go_list(&incomplete)
        )),
    )
}

/// generate.go `isInitContainerInitialized`: a sidecar is done once started; an init container once
/// ready, which the prober sets exactly when it terminated with exit 0.
fn init_container_done(c: &ContainerStatus) -> bool {
    match c.kind {
        ContainerKind::Sidecar => c.started,
        _ => c.state.terminated_exit_code() == Some(0),
    }
}

fn containers_ready_condition(input: &ConditionInput) -> Condition {
    if input.phase == PodPhase::Succeeded {
        return Condition::falsity(reasons::POD_COMPLETED, None);
    }
    if input.phase == PodPhase::Failed {
        return Condition::falsity(reasons::POD_FAILED, None);
    }
    let unready: Vec<&str> = input
        .init_container_statuses
        .iter()
        .filter(|c| c.kind == ContainerKind::Sidecar)
        .chain(input.container_statuses.iter())
        .filter(|c| !c.ready)
        .map(|c| c.name.as_str())
        .collect();
    if unready.is_empty() {
        Condition::truth()
    } else {
        Condition::falsity(
            reasons::CONTAINERS_NOT_READY,
            Some(format!(
                "containers with unready status: {}",
                go_list(&unready)
            )),
        )
    }
}

fn ready_condition(containers_ready: &Condition, gates_ready: bool) -> Condition {
    if !containers_ready.status {
        return containers_ready.clone();
    }
    if gates_ready {
        Condition::truth()
    } else {
        Condition::falsity(reasons::READINESS_GATES_NOT_READY, None)
    }
}

/// A list of names as Go's `%s` prints a `[]string`: `[a b]`.
fn go_list(names: &[&str]) -> String {
    format!("[{}]", names.join(" "))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::pod_status::ContainerKind::{Init, Regular, Sidecar};

    // --- hand-made statuses -------------------------------------------------------------------

    pub(crate) fn status(
        name: &str,
        kind: ContainerKind,
        state: ContainerState,
    ) -> ContainerStatus {
        ContainerStatus {
            name: name.to_string(),
            kind,
            state,
            last_termination: None,
            ready: false,
            started: false,
            restart_count: 0,
        }
    }

    pub(crate) fn waiting(name: &str, kind: ContainerKind, reason: &str) -> ContainerStatus {
        status(
            name,
            kind,
            ContainerState::Waiting {
                reason: reason.to_string(),
            },
        )
    }

    /// Running; `started` and `ready` as given.
    pub(crate) fn running(
        name: &str,
        kind: ContainerKind,
        started: bool,
        ready: bool,
    ) -> ContainerStatus {
        ContainerStatus {
            started,
            ready,
            ..status(
                name,
                kind,
                ContainerState::Running {
                    started_at: SimTime(1000),
                },
            )
        }
    }

    pub(crate) fn term_state(code: i32, finished_at: SimTime) -> ContainerState {
        ContainerState::Terminated {
            exit_code: code,
            reason: if code == 0 { "Completed" } else { "Error" }.to_string(),
            started_at: Some(SimTime(0)),
            finished_at,
        }
    }

    pub(crate) fn terminated(name: &str, kind: ContainerKind, code: i32) -> ContainerStatus {
        let ready = kind == Init && code == 0;
        ContainerStatus {
            ready,
            ..status(name, kind, term_state(code, SimTime(5000)))
        }
    }

    /// Adds a previous termination with `code` at `finished_at` and bumps the restart count.
    pub(crate) fn restarted(
        mut c: ContainerStatus,
        count: u32,
        code: i32,
        finished_at: SimTime,
    ) -> ContainerStatus {
        c.restart_count = count;
        c.last_termination = Some(term_state(code, finished_at));
        c
    }

    /// `getPhase` with the pod policy and an explicit "has initialized" answer.
    fn phase(
        policy: &str,
        init: &[ContainerStatus],
        regular: &[ContainerStatus],
        terminal: bool,
        initialized: bool,
    ) -> PodPhase {
        get_phase_with(init, regular, terminal, initialized, &|_, code| {
            pod_policy_restarts(policy, code)
        })
    }

    // --- R59–R63 phase -------------------------------------------------------------------------

    #[test]
    fn sidecar_exit_code_never_fails_the_pod_r59() {
        for code in [0, 1, 137, 143] {
            let init = [terminated("sidecar", Sidecar, code)];
            let regular = [terminated("main", Regular, 0)];
            for policy in ["Never", "OnFailure"] {
                assert_eq!(
                    phase(policy, &init, &regular, false, true),
                    PodPhase::Succeeded,
                    "{policy}, sidecar exit {code}"
                );
            }
            // Also after deletion (R63): only the regular container's exit counts.
            assert_eq!(
                phase("Always", &init, &regular, true, true),
                PodPhase::Succeeded
            );
        }
    }

    #[test]
    fn crashlooping_sidecar_never_makes_the_pod_failed_r59() {
        let sidecar = restarted(
            waiting("sidecar", Sidecar, "CrashLoopBackOff"),
            3,
            1,
            SimTime(9000),
        );
        let regular = [terminated("main", Regular, 0)];
        assert_eq!(
            phase("Never", &[sidecar], &regular, false, true),
            PodPhase::Succeeded
        );
    }

    #[test]
    fn sidecar_not_started_keeps_an_uninitialized_pod_pending_r59() {
        let init = [running("sidecar", Sidecar, false, false)];
        let regular = [waiting("main", Regular, "PodInitializing")];
        assert_eq!(
            phase("Always", &init, &regular, false, false),
            PodPhase::Pending
        );
    }

    #[test]
    fn failed_init_container_under_never_fails_the_pod_at_once_r60() {
        let init = [
            running("proxy", Sidecar, true, true),
            terminated("migrate", Init, 1),
        ];
        let regular = [waiting("main", Regular, "PodInitializing")];
        // Step 1 wins even though a sidecar is still running and main never ran.
        assert_eq!(
            phase("Never", &init, &regular, false, false),
            PodPhase::Failed
        );
        // Restartable under OnFailure / Always: stays Pending (R51).
        for policy in ["OnFailure", "Always"] {
            assert_eq!(
                phase(policy, &init, &regular, false, false),
                PodPhase::Pending
            );
        }
        // In backoff (waiting with the failed run as last termination): the same.
        let backing_off = restarted(
            waiting("migrate", Init, "CrashLoopBackOff"),
            1,
            1,
            SimTime(3000),
        );
        assert_eq!(
            phase(
                "OnFailure",
                std::slice::from_ref(&backing_off),
                &regular,
                false,
                false
            ),
            PodPhase::Pending
        );
        assert_eq!(
            phase("Never", &[backing_off], &regular, false, false),
            PodPhase::Failed
        );
    }

    #[test]
    fn image_pull_failure_of_init_container_keeps_never_pod_pending_r60() {
        let init = [waiting("setup", Init, "ImagePullBackOff")];
        let regular = [waiting("main", Regular, "PodInitializing")];
        assert_eq!(
            phase("Never", &init, &regular, false, false),
            PodPhase::Pending
        );
    }

    #[test]
    fn running_init_container_is_pending_initialization_r60() {
        let init = [running("setup", Init, false, false)];
        let regular = [waiting("main", Regular, "PodInitializing")];
        assert_eq!(
            phase("Always", &init, &regular, false, false),
            PodPhase::Pending
        );
    }

    #[test]
    fn never_started_regular_container_keeps_pod_pending_even_beside_running_ones_r60() {
        let regular = [
            running("app", Regular, true, true),
            waiting("helper", Regular, "ErrImagePull"),
        ];
        assert_eq!(
            phase("Always", &[], &regular, false, true),
            PodPhase::Pending
        );
    }

    #[test]
    fn restarting_regular_container_does_not_make_pod_pending_r60() {
        let regular = [
            running("app", Regular, true, true),
            restarted(
                waiting("helper", Regular, "CrashLoopBackOff"),
                2,
                1,
                SimTime(2000),
            ),
        ];
        assert_eq!(
            phase("Always", &[], &regular, false, true),
            PodPhase::Running
        );
    }

    #[test]
    fn one_running_container_makes_pod_running_r60() {
        let regular = [
            running("app", Regular, true, false),
            terminated("once", Regular, 0),
        ];
        assert_eq!(
            phase("Never", &[], &regular, false, true),
            PodPhase::Running
        );
    }

    #[test]
    fn all_stopped_phase_follows_restart_policy_r60() {
        let ok = [terminated("main", Regular, 0)];
        let bad = [terminated("main", Regular, 1)];
        assert_eq!(phase("Always", &[], &ok, false, true), PodPhase::Running);
        assert_eq!(phase("Always", &[], &bad, false, true), PodPhase::Running);
        assert_eq!(
            phase("OnFailure", &[], &ok, false, true),
            PodPhase::Succeeded
        );
        assert_eq!(
            phase("OnFailure", &[], &bad, false, true),
            PodPhase::Running
        );
        assert_eq!(phase("Never", &[], &ok, false, true), PodPhase::Succeeded);
        assert_eq!(phase("Never", &[], &bad, false, true), PodPhase::Failed);
        let mixed = [terminated("a", Regular, 0), terminated("b", Regular, 2)];
        assert_eq!(phase("Never", &[], &mixed, false, true), PodPhase::Failed);
        assert_eq!(
            phase("OnFailure", &[], &mixed, false, true),
            PodPhase::Running
        );
    }

    #[test]
    fn restarting_sidecar_after_initialization_keeps_pod_running_r60() {
        // The sidecar restarted and its startup probe has not passed yet.
        let init = [
            terminated("setup", Init, 0),
            restarted(running("proxy", Sidecar, false, false), 1, 1, SimTime(8000)),
        ];
        let regular = [running("main", Regular, true, true)];
        assert_eq!(
            phase("Always", &init, &regular, false, true),
            PodPhase::Running
        );
        // 1.28 had no "has initialized" escape: the same statuses read Pending.
        assert_eq!(
            phase("Always", &init, &regular, false, false),
            PodPhase::Pending
        );
    }

    #[test]
    fn running_sidecar_keeps_computed_phase_running_until_stopped_r62() {
        // Job pod: main done, sidecar still up. Upstream counts the sidecar as running, so the kubelet
        // keeps syncing (and kills the sidecar) instead of declaring the pod terminal.
        let regular = [terminated("main", Regular, 0)];
        let up = [running("proxy", Sidecar, true, true)];
        assert_eq!(
            phase("Never", &up, &regular, false, true),
            PodPhase::Running
        );
        let failed_main = [terminated("main", Regular, 1)];
        assert_eq!(
            phase("Never", &up, &failed_main, false, true),
            PodPhase::Running
        );
        // Once the sidecar is stopped (SIGTERM → 143), the regular container alone decides.
        let down = [terminated("proxy", Sidecar, 143)];
        assert_eq!(
            phase("Never", &down, &regular, false, true),
            PodPhase::Succeeded
        );
        assert_eq!(
            phase("Never", &down, &failed_main, false, true),
            PodPhase::Failed
        );
    }

    #[test]
    fn terminal_phase_published_only_after_all_containers_stopped_r61() {
        // Kubelet computed Failed (init failure under Never) while a sidecar is still being stopped.
        assert_eq!(
            published_phase(PodPhase::Pending, PodPhase::Failed, true),
            PodPhase::Pending
        );
        assert_eq!(
            published_phase(PodPhase::Pending, PodPhase::Failed, false),
            PodPhase::Failed
        );
        assert_eq!(
            published_phase(PodPhase::Running, PodPhase::Succeeded, true),
            PodPhase::Running
        );
        assert_eq!(
            published_phase(PodPhase::Running, PodPhase::Succeeded, false),
            PodPhase::Succeeded
        );
        // Non-terminal changes are published at once.
        assert_eq!(
            published_phase(PodPhase::Pending, PodPhase::Running, true),
            PodPhase::Running
        );
    }

    #[test]
    fn terminal_phase_never_changes_r60() {
        assert_eq!(
            published_phase(PodPhase::Succeeded, PodPhase::Running, false),
            PodPhase::Succeeded
        );
        assert_eq!(
            kubelet_phase(PodPhase::Failed, PodPhase::Pending),
            PodPhase::Failed
        );
        assert_eq!(
            kubelet_phase(PodPhase::Running, PodPhase::Succeeded),
            PodPhase::Succeeded
        );
    }

    #[test]
    fn deleted_pod_gets_terminal_phase_from_exit_codes_whatever_the_policy_r63() {
        let ok = [terminated("web", Regular, 0)];
        let killed = [terminated("web", Regular, 137)];
        let termed = [terminated("web", Regular, 143)];
        for policy in ["Always", "OnFailure", "Never"] {
            assert_eq!(phase(policy, &[], &ok, true, true), PodPhase::Succeeded);
            assert_eq!(phase(policy, &[], &killed, true, true), PodPhase::Failed);
            assert_eq!(phase(policy, &[], &termed, true, true), PodPhase::Failed);
        }
        // A regular container still waiting to be restarted never counts as succeeded.
        let backing_off = [restarted(
            waiting("web", Regular, "CrashLoopBackOff"),
            1,
            0,
            SimTime(1000),
        )];
        assert_eq!(
            phase("Always", &[], &backing_off, true, true),
            PodPhase::Failed
        );
    }

    #[test]
    fn pod_deleted_before_its_containers_ran_ends_failed_r63() {
        let status = PodStatus {
            phase: PodPhase::Pending,
            reason: None,
            conditions: Conditions::default(),
            init_container_statuses: vec![
                terminated("setup", Init, 0),
                running("proxy", Sidecar, false, false),
                waiting("later", Init, "PodInitializing"),
            ],
            container_statuses: vec![waiting("main", Regular, "PodInitializing")],
            deleting: true,
        };
        let done = terminate_pod(&status, SimTime(20_000));
        assert_eq!(done.phase, PodPhase::Failed);
        // The sidecar that had started running is reported as killed; the never-started suffix and the
        // never-initialized regular container keep waiting.
        assert_eq!(
            done.init_container_statuses[1].state.terminated_exit_code(),
            Some(137)
        );
        assert!(matches!(
            done.init_container_statuses[2].state,
            ContainerState::Waiting { .. }
        ));
        assert!(matches!(
            done.container_statuses[0].state,
            ContainerState::Waiting { .. }
        ));
        // Once initialized, a regular container never seen stopping counts as failed.
        let mut initialized = status.clone();
        initialized.init_container_statuses[1].started = true;
        initialized.init_container_statuses.pop();
        let done = terminate_pod(&initialized, SimTime(20_000));
        assert_eq!(
            done.container_statuses[0].state.terminated_exit_code(),
            Some(137)
        );
        // A terminal phase is kept.
        let mut succeeded = status;
        succeeded.phase = PodPhase::Succeeded;
        assert_eq!(
            terminate_pod(&succeeded, SimTime(1)).phase,
            PodPhase::Succeeded
        );
    }

    #[test]
    fn container_restart_rules_decide_per_container_r99() {
        // A Never pod whose container may restart on exit code 42 (KEP-5307).
        let regular = [terminated("main", Regular, 42)];
        let rules = |c: &ContainerStatus, code: i32| c.name == "main" && code == 42;
        assert_eq!(
            get_phase_with(&[], &regular, false, true, &rules),
            PodPhase::Running
        );
        assert_eq!(phase("Never", &[], &regular, false, true), PodPhase::Failed);
    }

    // --- R88 ------------------------------------------------------------------------------------

    #[test]
    fn default_waiting_reason_depends_on_init_containers_r88() {
        assert_eq!(default_waiting_reason(true), "PodInitializing");
        assert_eq!(default_waiting_reason(false), "ContainerCreating");
    }

    // --- R44–R49 conditions ---------------------------------------------------------------------

    fn input<'a>(
        phase: PodPhase,
        init: &'a [ContainerStatus],
        regular: &'a [ContainerStatus],
    ) -> ConditionInput<'a> {
        ConditionInput {
            scheduled: true,
            sandbox_ready: true,
            phase,
            has_init_containers: !init.is_empty(),
            initialized_for_good: any_regular_container_started(regular),
            init_container_statuses: init,
            container_statuses: regular,
            readiness_gates_ready: true,
        }
    }

    #[test]
    fn unscheduled_pod_has_no_true_condition_r44() {
        let regular = [waiting("main", Regular, "ContainerCreating")];
        let i = ConditionInput {
            scheduled: false,
            ..input(PodPhase::Pending, &[], &regular)
        };
        assert_eq!(conditions(&i), Conditions::default());
    }

    #[test]
    fn pod_ready_to_start_containers_follows_the_sandbox_r44() {
        let regular = [waiting("main", Regular, "ContainerCreating")];
        let without = ConditionInput {
            sandbox_ready: false,
            ..input(PodPhase::Pending, &[], &regular)
        };
        let c = conditions(&without);
        assert!(c.pod_scheduled);
        assert!(!c.pod_ready_to_start_containers);
        let with = input(PodPhase::Pending, &[], &regular);
        assert!(conditions(&with).pod_ready_to_start_containers);
    }

    #[test]
    fn initialized_lists_incomplete_init_containers_and_unstarted_sidecars_r45() {
        let init = [
            terminated("setup", Init, 0),
            running("proxy", Sidecar, false, false),
            waiting("migrate", Init, "PodInitializing"),
        ];
        let regular = [waiting("main", Regular, "PodInitializing")];
        let d = condition_details(&input(PodPhase::Pending, &init, &regular));
        assert_eq!(
            d.initialized,
            Condition {
                status: false,
                reason: Some("ContainersNotInitialized".into()),
                message: Some("containers with incomplete status: [proxy migrate]".into()),
            }
        );
    }

    #[test]
    fn initialized_when_init_exited_zero_and_sidecars_started_r45() {
        let init = [
            terminated("setup", Init, 0),
            running("proxy", Sidecar, true, false),
        ];
        let regular = [waiting("main", Regular, "PodInitializing")];
        let d = condition_details(&input(PodPhase::Pending, &init, &regular));
        assert_eq!(d.initialized, Condition::truth());
        // A failed init container is not done.
        let failed = [terminated("setup", Init, 1)];
        assert!(!conditions(&input(PodPhase::Pending, &failed, &regular)).initialized);
    }

    #[test]
    fn initialized_stays_true_while_sidecar_crashes_after_main_started_r45() {
        let init = [restarted(
            waiting("proxy", Sidecar, "CrashLoopBackOff"),
            2,
            1,
            SimTime(4000),
        )];
        let regular = [running("main", Regular, true, true)];
        let d = condition_details(&input(PodPhase::Running, &init, &regular));
        assert!(d.initialized.status);
        assert_eq!(d.initialized.reason, None);
        // ...but the crashing sidecar is not ready.
        assert_eq!(
            d.containers_ready.message.as_deref(),
            Some("containers with unready status: [proxy]")
        );
    }

    #[test]
    fn initialized_at_once_without_init_containers_even_before_sandbox_r45() {
        let regular = [waiting("main", Regular, "ContainerCreating")];
        let i = ConditionInput {
            sandbox_ready: false,
            ..input(PodPhase::Pending, &[], &regular)
        };
        let c = conditions(&i);
        assert!(c.initialized);
        assert!(!c.pod_ready_to_start_containers);
    }

    #[test]
    fn succeeded_pod_is_initialized_with_pod_completed_r45() {
        let init = [terminated("proxy", Sidecar, 143)];
        let regular = [terminated("main", Regular, 0)];
        let i = ConditionInput {
            initialized_for_good: false,
            ..input(PodPhase::Succeeded, &init, &regular)
        };
        let d = condition_details(&i);
        assert!(d.initialized.status);
        assert_eq!(d.initialized.reason.as_deref(), Some("PodCompleted"));
    }

    #[test]
    fn containers_ready_counts_sidecars_and_regular_but_not_init_r46() {
        let init = [
            terminated("setup", Init, 0),
            running("proxy", Sidecar, true, false),
        ];
        let regular = [
            running("a", Regular, true, false),
            running("b", Regular, true, true),
        ];
        let d = condition_details(&input(PodPhase::Running, &init, &regular));
        assert_eq!(
            d.containers_ready,
            Condition {
                status: false,
                reason: Some("ContainersNotReady".into()),
                message: Some("containers with unready status: [proxy a]".into()),
            }
        );
        let init = [
            terminated("setup", Init, 0),
            running("proxy", Sidecar, true, true),
        ];
        let regular = [
            running("a", Regular, true, true),
            running("b", Regular, true, true),
        ];
        assert!(conditions(&input(PodPhase::Running, &init, &regular)).containers_ready);
    }

    #[test]
    fn containers_ready_false_with_pod_completed_or_pod_failed_r46() {
        let regular = [terminated("main", Regular, 0)];
        let d = condition_details(&input(PodPhase::Succeeded, &[], &regular));
        assert_eq!(d.containers_ready.reason.as_deref(), Some("PodCompleted"));
        let regular = [terminated("main", Regular, 1)];
        let d = condition_details(&input(PodPhase::Failed, &[], &regular));
        assert_eq!(d.containers_ready.reason.as_deref(), Some("PodFailed"));
        assert_eq!(d.ready.reason.as_deref(), Some("PodFailed"));
    }

    #[test]
    fn ready_requires_sidecar_readiness_and_gates_r47() {
        let init = [running("proxy", Sidecar, true, false)];
        let regular = [running("main", Regular, true, true)];
        let d = condition_details(&input(PodPhase::Running, &init, &regular));
        // Ready copies ContainersReady's reason and message.
        assert_eq!(d.ready, d.containers_ready);
        assert!(!d.ready.status);

        let init = [running("proxy", Sidecar, true, true)];
        let gated = ConditionInput {
            readiness_gates_ready: false,
            ..input(PodPhase::Running, &init, &regular)
        };
        let d = condition_details(&gated);
        assert!(d.containers_ready.status);
        assert!(!d.ready.status);
        assert_eq!(d.ready.reason.as_deref(), Some("ReadinessGatesNotReady"));
        assert!(conditions(&input(PodPhase::Running, &init, &regular)).ready);
        let gates = [
            ReadinessGate {
                condition_type: "example.com/lb".into(),
                status: Some(false),
            },
            ReadinessGate {
                condition_type: "example.com/dns".into(),
                status: None,
            },
            ReadinessGate {
                condition_type: "example.com/ok".into(),
                status: Some(true),
            },
        ];
        assert_eq!(
            readiness_gates_message(&gates).as_deref(),
            Some(
                "the status of pod readiness gate \"example.com/lb\" is not \"True\", but False, \
                 corresponding condition of pod readiness gate \"example.com/dns\" does not exist."
            )
        );
        assert_eq!(readiness_gates_message(&gates[2..]), None);
    }

    #[test]
    fn get_phase_reads_initialization_from_the_statuses_r60() {
        // The convenience form: a running regular container means the pod has initialized, so a
        // restarting sidecar does not make it Pending.
        let init = [restarted(
            running("proxy", Sidecar, false, false),
            1,
            1,
            SimTime(8000),
        )];
        let regular = [running("main", Regular, true, true)];
        assert_eq!(
            get_phase("Always", &init, &regular, false),
            PodPhase::Running
        );
        let regular = [waiting("main", Regular, "PodInitializing")];
        assert_eq!(
            get_phase("Always", &init, &regular, false),
            PodPhase::Pending
        );
    }

    /// True conditions in the order R48 lists them must become True in that order: at every snapshot the
    /// set of true conditions is a prefix of the list.
    fn assert_prefix(order: &[bool]) {
        let first_false = order.iter().position(|b| !b).unwrap_or(order.len());
        assert!(
            order[first_false..].iter().all(|b| !b),
            "not a prefix: {order:?}"
        );
    }

    #[test]
    fn conditions_turn_true_in_order_with_init_containers_r48() {
        let pending = [waiting("setup", Init, "PodInitializing")];
        let main_waiting = [waiting("main", Regular, "PodInitializing")];
        let snapshots: Vec<ConditionInput> = vec![
            ConditionInput {
                scheduled: false,
                sandbox_ready: false,
                ..input(PodPhase::Pending, &pending, &main_waiting)
            },
            ConditionInput {
                sandbox_ready: false,
                ..input(PodPhase::Pending, &pending, &main_waiting)
            },
            input(PodPhase::Pending, &pending, &main_waiting),
        ];
        let done = [terminated("setup", Init, 0)];
        let main_unready = [running("main", Regular, true, false)];
        let main_ready = [running("main", Regular, true, true)];
        let later = [
            input(PodPhase::Pending, &done, &main_waiting),
            input(PodPhase::Running, &done, &main_unready),
            input(PodPhase::Running, &done, &main_ready),
        ];
        for i in snapshots.iter().chain(later.iter()) {
            let c = conditions(i);
            assert_prefix(&[
                c.pod_scheduled,
                c.pod_ready_to_start_containers,
                c.initialized,
                c.containers_ready,
                c.ready,
            ]);
        }
        let last = conditions(&later[2]);
        assert!(last.ready);
    }

    #[test]
    fn conditions_turn_true_in_order_without_init_containers_r48() {
        let creating = [waiting("main", Regular, "ContainerCreating")];
        let unready = [running("main", Regular, true, false)];
        let ready = [running("main", Regular, true, true)];
        let snapshots = [
            ConditionInput {
                sandbox_ready: false,
                ..input(PodPhase::Pending, &[], &creating)
            },
            input(PodPhase::Pending, &[], &creating),
            input(PodPhase::Running, &[], &unready),
            input(PodPhase::Running, &[], &ready),
        ];
        for i in &snapshots {
            let c = conditions(i);
            // Without init containers Initialized comes before PodReadyToStartContainers.
            assert_prefix(&[
                c.pod_scheduled,
                c.initialized,
                c.pod_ready_to_start_containers,
                c.containers_ready,
                c.ready,
            ]);
        }
        assert!(conditions(&snapshots[3]).ready);
    }

    #[test]
    fn terminal_phase_forces_ready_false_r49() {
        // Every container still reports ready (a stale readiness result), yet the terminal phase wins.
        let init = [running("proxy", Sidecar, true, true)];
        let regular = [running("main", Regular, true, true)];
        for (p, reason) in [
            (PodPhase::Succeeded, "PodCompleted"),
            (PodPhase::Failed, "PodFailed"),
        ] {
            let d = condition_details(&input(p, &init, &regular));
            assert!(!d.containers_ready.status && !d.ready.status);
            assert_eq!(d.ready.reason.as_deref(), Some(reason));
            assert_eq!(d.containers_ready.reason.as_deref(), Some(reason));
        }
        let mut d = condition_details(&input(PodPhase::Running, &init, &regular));
        assert!(d.ready.status);
        force_terminal_readiness(PodPhase::Failed, &mut d);
        assert!(!d.ready.status && !d.containers_ready.status);
    }

    #[test]
    fn deleting_does_not_by_itself_make_pod_unready_r49() {
        let regular = [running("main", Regular, true, true)];
        let mut status = PodStatus {
            phase: PodPhase::Running,
            reason: None,
            conditions: Conditions::default(),
            init_container_statuses: vec![],
            container_statuses: regular.to_vec(),
            deleting: true,
        };
        assert!(conditions(&ConditionInput::from_status(&status, true)).ready);
        // The readiness probe failing during termination is what takes it out.
        status.container_statuses[0].ready = false;
        assert!(!conditions(&ConditionInput::from_status(&status, true)).ready);
    }
}
