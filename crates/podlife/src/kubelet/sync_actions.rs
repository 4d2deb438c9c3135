//! What a sync decides to start (pkg/kubelet/kuberuntime/kuberuntime_manager.go `computePodActions`,
//! kuberuntime_container.go `computeInitContainerActions`, pkg/kubelet/kubelet.go `SyncPod`): the init
//! containers walked backwards from the last one that ran, a started sidecar letting the next one
//! start, regular containers once the LAST init container is done (R25), restarts as each container's
//! restart policy allows (R50, R99), and the pod's end when no regular container will run again.

use crate::pod_status::{ContainerKind, PodPhase};
use crate::time::Millis;
use crate::trace::KillCause;

use super::container::Instance;
use super::pod_worker::*;
use super::status_manager::StatusManager;

/// What the runtime knows of an init container in the current sandbox, as `computeInitContainerActions`
/// reads it (`FindContainerStatusByName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InitState {
    /// No container in this sandbox: never started, or from a sandbox that is gone (the kubelet purges
    /// the init containers when it recreates the sandbox, R21), or its image could not be pulled yet.
    Absent,
    Running {
        started: bool,
    },
    Exited {
        code: i32,
    },
}

impl PodWorker {
    pub(super) fn sync(&mut self) {
        if self.termination.is_some() || self.removed_at.is_some() || self.node_down_until.is_some()
        {
            return;
        }
        if self.fail_past_active_deadline() {
            return;
        }
        if self.sandbox_ready_at.is_none_or(|r| self.now < r) {
            return;
        }
        self.note_sandbox_for_pleg();
        self.generate_status_reasons();
        self.request_readiness_of_unready();
        let initialized = self.init_actions();
        if self.termination.is_some() {
            return;
        }
        if !initialized {
            // "Initialization failed or still in progress. Skip inspecting non-init containers."
            self.end_if_phase_is_terminal();
            return;
        }
        self.regular_actions();
        self.check_completion();
    }

    /// The first sync of a sandbox creates it (or, after a kubelet restart, the new PLEG's first relist
    /// reports it): PLEG sees a new sandbox, and the pod worker syncs again once this sync is over and
    /// a relist has followed it (generic.go `getContainersFromPods` counts sandboxes; pod_workers.go
    /// `completeWork` runs the pending update).
    fn note_sandbox_for_pleg(&mut self) {
        if self.synced_generation != self.generation {
            self.synced_generation = self.generation;
            self.sandbox_event_pending = true;
        }
    }

    /// `generateAPIPodStatus` runs before the sync acts: a container's waiting reason is what the reason
    /// cache holds from the sync before (an image error: R55).
    fn generate_status_reasons(&mut self) {
        for c in &mut self.ctrs {
            c.shown_pull_error = c.pull_error;
        }
    }

    pub(super) fn queued(&self, idx: usize) -> bool {
        self.ops
            .iter()
            .any(|op| matches!(op, Op::Start { idx: i } | Op::Restart { idx: i, .. } | Op::Kill { idx: i, .. } if *i == idx))
    }

    /// Queues a start unless one is queued or the container still waits out a crash-loop back-off
    /// (`doBackOff` would refuse it; the sync at the end of the back-off asks again). A container
    /// waiting for its image is tried at every sync: `EnsureImageExists` decides (R55).
    fn want_start(&mut self, idx: usize) {
        let waiting = matches!(self.ctrs[idx].instance, Instance::BackOff { until, image_pull: false } if until > self.now);
        if !waiting && !self.queued(idx) {
            self.ops.push_back(Op::Start { idx });
        }
    }

    /// `podHasInitialized` before the walk: some regular container is running (or created) in this
    /// sandbox. An exited one does not count: after a node reboot every container has exited, and the
    /// new sandbox must not pass for initialized (the `ContainerStateExited` workaround).
    fn regular_container_alive(&self) -> bool {
        self.ctrs[self.n_init..].iter().any(|c| c.is_running())
    }

    fn init_state(&self, idx: usize) -> InitState {
        let c = &self.ctrs[idx];
        if c.generation != self.generation {
            return InitState::Absent;
        }
        match &c.instance {
            Instance::Running { .. } => InitState::Running { started: c.started },
            Instance::Terminated(t) => InitState::Exited { code: t.exit_code },
            // Waiting out a back-off: the runtime still holds the exited instance.
            Instance::BackOff { .. } | Instance::Pulling { .. } => match &c.last_termination {
                Some(t) if c.instances > 0 => InitState::Exited { code: t.exit_code },
                _ => InitState::Absent,
            },
            Instance::NotCreated => InitState::Absent,
        }
    }

    /// `computeInitContainerActions` (R22–R25, R29, R51, R52): walks the init containers from the last
    /// one, so that initialization is judged by the last init container alone: it exited 0, or it is a
    /// sidecar that is running and started. Past the last one that ran, only sidecars are looked at, to
    /// restart them; plain init containers that ran (or never did) are left alone. Returns whether the
    /// pod has initialized; starts are queued in spec order.
    pub(super) fn init_actions(&mut self) -> bool {
        if self.n_init == 0 {
            return true;
        }
        let last = self.n_init - 1;
        let mut initialized = self.regular_container_alive();
        let mut previously = initialized;
        let mut to_start: Vec<usize> = Vec::new();
        for idx in (0..self.n_init).rev() {
            let sidecar = self.ctrs[idx].kind == ContainerKind::Sidecar;
            let state = self.init_state(idx);
            if state == InitState::Absent {
                if previously && sidecar {
                    to_start.push(idx);
                }
                continue;
            }
            if previously && !sidecar {
                continue;
            }
            match state {
                InitState::Absent => {}
                // Not started yet (postStart, startup probe): the next container waits (R23).
                InitState::Running { started: false } => {}
                // A plain init container runs: wait for it.
                InitState::Running { .. } if !sidecar => {}
                InitState::Running { .. } => {
                    if idx == last {
                        initialized = true;
                    } else if !previously {
                        to_start.push(idx + 1);
                    }
                    self.kill_if_definition_changed(idx);
                }
                InitState::Exited { .. } if sidecar => to_start.push(idx),
                InitState::Exited { code } if code != 0 => {
                    if !self.restarts_on_failure(idx) {
                        self.fail_initialization(idx, code);
                        return false;
                    }
                    to_start.push(idx);
                }
                InitState::Exited { .. } if idx == last => initialized = true,
                InitState::Exited { .. } => to_start.push(idx + 1),
            }
            previously = true;
        }
        if !previously {
            to_start.push(0);
        }
        for idx in to_start.into_iter().rev() {
            self.want_start(idx);
        }
        initialized
    }

    /// R51: an init container failed and will not be restarted: the pod fails, and the running sidecars
    /// are stopped.
    fn fail_initialization(&mut self, idx: usize, code: i32) {
        let label = self.label(idx);
        let policy = if self.ctrs[idx].restart.is_set() {
            "its restartPolicy is Never (R99)"
        } else {
            "restartPolicy is Never"
        };
        self.note(
            Some(idx),
            "R51",
            format!("{label} failed (exit {code}) and {policy}: the pod fails"),
        );
        self.begin_termination(
            TerminationCause::InitFailure,
            Millis::secs(self.grace_seconds.max(0) as u64),
            Some(PodPhase::Failed),
        );
    }

    /// `computePodActions` for regular containers: start the ones never started, restart the exited ones
    /// their restart policy allows (R25, R26, R50, R99), and the ones killed to be restarted (R43, R65).
    pub(super) fn regular_actions(&mut self) {
        for idx in self.n_init..self.ctrs.len() {
            if self.queued(idx) {
                continue;
            }
            if self.ctrs[idx].is_running() {
                self.kill_if_definition_changed(idx);
                continue;
            }
            let c = &self.ctrs[idx];
            let start = match &c.instance {
                Instance::NotCreated => true,
                Instance::Terminated(t) => {
                    c.restart_after_kill || self.should_restart(idx, t.exit_code)
                }
                Instance::BackOff {
                    image_pull: true, ..
                } => true,
                Instance::BackOff { until, .. } => *until <= self.now,
                _ => false,
            };
            if start {
                self.ops.push_back(Op::Start { idx });
            }
        }
    }

    /// `containerChanged`: a running container whose spec changed (a new image) is killed with the pod's
    /// grace period, preStop included, and started again with the new spec, whatever its restart policy
    /// ("definition changed, will be restarted": R65).
    fn kill_if_definition_changed(&mut self, idx: usize) {
        let c = &self.ctrs[idx];
        if !c.definition_changed || c.stopping.is_some() || self.queued(idx) {
            return;
        }
        let why = format!(
            "its definition changed (image {}), it will be restarted",
            c.image()
        );
        // `SyncPod` kills, then starts, in the same sync.
        let grace = Millis::secs(self.grace_seconds.max(0) as u64);
        self.queue_kill(idx, grace, why, "R65", true, KillCause::DefinitionChanged);
    }

    /// `ShouldContainerBeRestarted` for a container that exited with `exit_code`: sidecars always (R52);
    /// others by their own restart policy and rules, else the pod's (R50, R99).
    pub(super) fn should_restart(&self, idx: usize, exit_code: i32) -> bool {
        let c = &self.ctrs[idx];
        c.kind == ContainerKind::Sidecar
            || c.restart.should_restart(&self.restart_policy, exit_code)
    }

    /// Restarted after a kill decided while it ran (a failed probe) or after a failed init container:
    /// sidecars always; others unless their own policy, else the pod's, is `Never` (R51, R57, R99).
    pub(super) fn restarts_on_failure(&self, idx: usize) -> bool {
        let c = &self.ctrs[idx];
        c.kind == ContainerKind::Sidecar || c.restart.restarts_on_failure(&self.restart_policy)
    }

    /// Will this container run again without a new spec: it is running, starting, backing off, or it
    /// exited and is restarted (R50, R99)?
    pub(super) fn will_run_again(&self, idx: usize) -> bool {
        let c = &self.ctrs[idx];
        match c.terminated() {
            Some(t) => c.restart_after_kill || self.should_restart(idx, t.exit_code),
            None => true,
        }
    }

    /// R62 (`computePodActions`: nothing to keep and nothing to start → `KillPod`): every regular
    /// container has terminated and none restarts: the pod is done.
    pub(super) fn check_completion(&mut self) {
        if self.termination.is_some() || !self.ops.is_empty() {
            return;
        }
        let regular = self.n_init..self.ctrs.len();
        if regular.clone().any(|idx| self.will_run_again(idx)) {
            return;
        }
        let phase = if self.ctrs[regular]
            .iter()
            .all(|c| c.terminated().is_some_and(|t| t.exit_code == 0))
        {
            PodPhase::Succeeded
        } else {
            PodPhase::Failed
        };
        let running_sidecars = self.ctrs[..self.n_init]
            .iter()
            .filter(|c| c.is_running())
            .count();
        let message = if running_sidecars > 0 {
            format!(
                "every regular container has exited and none restarts: the pod will be {}; its {running_sidecars} running sidecar(s) are stopped with the pod's grace period",
                phase.name()
            )
        } else {
            format!(
                "every regular container has exited and none restarts: the pod is {}",
                phase.name()
            )
        };
        self.note(None, "R62", message);
        self.begin_termination(
            TerminationCause::Completion,
            Millis::secs(self.grace_seconds.max(0) as u64),
            Some(phase),
        );
    }

    /// `SyncPod` before the runtime's sync: when the phase computed from the statuses is already
    /// terminal, the pod is done, even though initialization (a crashed last sidecar, R25) kept
    /// `computePodActions` from deciding it: every regular container has exited for good and nothing
    /// runs (R60).
    fn end_if_phase_is_terminal(&mut self) {
        if !self.ops.is_empty() || self.ctrs.iter().any(|c| c.is_running()) {
            return;
        }
        let phase = StatusManager::computed_phase(self);
        if !phase.is_terminal() {
            return;
        }
        self.note(
            None,
            "R60",
            format!(
                "every regular container has exited and none restarts, and no sidecar runs: the pod is {}",
                phase.name()
            ),
        );
        self.begin_termination(
            TerminationCause::Completion,
            Millis::secs(self.grace_seconds.max(0) as u64),
            Some(phase),
        );
    }
}
