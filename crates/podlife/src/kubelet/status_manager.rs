//! What the API server sees (pkg/kubelet/status/status_manager.go with kubelet_pods.go
//! `generateAPIPodStatus`): container statuses built from the containers' instances, the phase (held back
//! from Succeeded/Failed until every container has stopped: R61), the five conditions, kubectl's
//! columns, and the per-container intervals a timeline draws.

use crate::pod_status::{
    Conditions, ContainerKind, ContainerState, ContainerStatus, PodPhase, PodStatus,
};
use crate::printers::print_pod_for;
use crate::status_generation::{self, ConditionInput};
use crate::time::SimTime;
use crate::trace::{EventKind, IntervalState, Seconds, StateInterval, StatusSnapshot};

use super::container::{Ctr, Instance, PullError, Termination};
use super::pod_worker::PodWorker;

#[derive(Debug, Clone, Default)]
pub struct StatusManager {
    phase: Option<PodPhase>,
    forced: Option<PodPhase>,
    /// `status.reason` and `status.message`, published with the terminal phase (R61, R102).
    reason: Option<PodReason>,
    conditions: Conditions,
    pub snapshots: Vec<StatusSnapshot>,
    pub intervals: Vec<StateInterval>,
    open: Vec<(String, SimTime, IntervalState)>,
    pub terminal_at: Option<SimTime>,
}

type Change = (EventKind, Option<&'static str>, String);

/// A pod-level `status.reason` with its `status.message`, and the rule that sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodReason {
    pub reason: &'static str,
    pub message: &'static str,
    pub rule: &'static str,
}

impl StatusManager {
    pub fn phase(&self) -> PodPhase {
        self.phase.unwrap_or(PodPhase::Pending)
    }

    /// The pod's containers have all stopped after completion, failure or deletion (R61, R63), with
    /// the reason the kubelet gave the phase, if any (R102).
    pub fn force_terminal(&mut self, phase: PodPhase, reason: Option<PodReason>) {
        self.forced = Some(phase);
        self.reason = reason;
    }

    /// The container statuses, init containers first, in spec order.
    fn container_statuses(w: &PodWorker) -> Vec<ContainerStatus> {
        let has_init = w.n_init > 0;
        w.ctrs
            .iter()
            .map(|c| container_status(c, has_init))
            .collect()
    }

    /// `getPhase` on the statuses as they are now, before the status manager holds anything back.
    pub fn computed_phase(w: &PodWorker) -> PodPhase {
        let statuses = Self::container_statuses(w);
        let (init, regular) = statuses.split_at(w.n_init);
        phase_of(w, init, regular)
    }

    pub fn pod_status(&self, w: &PodWorker) -> PodStatus {
        let has_init = w.n_init > 0;
        // Split, not copied: a status is built per published change, for every container.
        let mut init = Self::container_statuses(w);
        let regular = init.split_off(w.n_init);
        let computed = phase_of(w, &init, &regular);
        let phase = match (self.forced, self.phase) {
            (Some(forced), _) => forced,
            (None, Some(previous)) if previous.is_terminal() => previous,
            // R61: a terminal phase is published only when no container can still be running.
            (None, previous) if computed.is_terminal() && w.ctrs.iter().any(Ctr::is_running) => {
                previous
                    .filter(|p| !p.is_terminal())
                    .unwrap_or(PodPhase::Running)
            }
            (None, _) => computed,
        };
        let sandbox_ready = w.sandbox_ready_at.is_some_and(|r| w.now >= r) && !phase.is_terminal();
        let conditions = status_generation::conditions(&ConditionInput {
            scheduled: w.scheduled,
            sandbox_ready,
            has_init_containers: has_init,
            phase,
            initialized_for_good: w.initialized,
            init_container_statuses: &init,
            container_statuses: &regular,
            readiness_gates_ready: true,
        });
        PodStatus {
            phase,
            reason: self
                .reason
                .filter(|_| self.forced.is_some())
                .map(|r| r.reason.to_string()),
            conditions,
            init_container_statuses: init,
            container_statuses: regular,
            deleting: w.deletion_requested,
        }
    }

    /// Recomputes the status at `now`; returns the pod events of what changed.
    pub fn update(&mut self, w: &PodWorker, now: SimTime) -> Vec<Change> {
        let status = self.pod_status(w);
        let mut changes = Vec::new();
        if self.phase != Some(status.phase) {
            let reason = self.reason.filter(|_| status.reason.is_some());
            let rule = match (reason, status.phase) {
                (Some(r), _) => r.rule,
                // A deleted pod gets its terminal phase by R63; a finished one by R61.
                (None, PodPhase::Succeeded | PodPhase::Failed) if w.deletion_requested => "R63",
                (None, PodPhase::Succeeded | PodPhase::Failed) => "R61",
                (None, _) => "R60",
            };
            if self.phase.is_some() || status.phase != PodPhase::Pending {
                let because = reason.map_or(String::new(), |r| {
                    format!(", reason {}: {}", r.reason, r.message)
                });
                changes.push((
                    EventKind::PhaseChanged {
                        phase: status.phase,
                    },
                    Some(rule),
                    format!("pod phase is now {}{because}", status.phase.name()),
                ));
            }
            if status.phase.is_terminal() {
                self.terminal_at = Some(now);
            }
            self.phase = Some(status.phase);
        }
        let names = [
            (
                "PodScheduled",
                self.conditions.pod_scheduled,
                status.conditions.pod_scheduled,
                "R44",
            ),
            (
                "PodReadyToStartContainers",
                self.conditions.pod_ready_to_start_containers,
                status.conditions.pod_ready_to_start_containers,
                "R44",
            ),
            (
                "Initialized",
                self.conditions.initialized,
                status.conditions.initialized,
                "R45",
            ),
            (
                "ContainersReady",
                self.conditions.containers_ready,
                status.conditions.containers_ready,
                "R46",
            ),
            (
                "Ready",
                self.conditions.ready,
                status.conditions.ready,
                "R47",
            ),
        ];
        for (name, before, after, rule) in names {
            if before != after {
                changes.push((
                    EventKind::ConditionChanged {
                        condition: name.to_string(),
                        value: after,
                    },
                    Some(rule),
                    format!(
                        "condition {name} is now {}",
                        if after { "True" } else { "False" }
                    ),
                ));
            }
        }
        self.conditions = status.conditions;
        let row = print_pod_for(&status, now, w.version);
        let snapshot = StatusSnapshot {
            t: Seconds(now),
            phase: status.phase,
            status: row.status,
            ready: row.ready,
            restarts: row.restarts,
            last_restart_at: row.last_restart.map(Seconds),
            conditions: status.conditions,
        };
        let same = self.snapshots.last().is_some_and(|last| {
            last.phase == snapshot.phase
                && last.status == snapshot.status
                && last.ready == snapshot.ready
                && last.restarts == snapshot.restarts
                && last.last_restart_at == snapshot.last_restart_at
                && last.conditions == snapshot.conditions
        });
        if !same {
            self.snapshots.push(snapshot);
        }
        self.update_intervals(w, now);
        changes
    }

    fn update_intervals(&mut self, w: &PodWorker, now: SimTime) {
        for (i, c) in w.ctrs.iter().enumerate() {
            let state = interval_state(c);
            match self.open.get_mut(i) {
                None => self.open.push((c.name.clone(), now, state)),
                Some((name, since, current)) if *current != state => {
                    if *since < now {
                        self.intervals.push(StateInterval {
                            container: name.clone(),
                            from: Seconds(*since),
                            to: Seconds(now),
                            state: *current,
                        });
                    }
                    *since = now;
                    *current = state;
                }
                Some(_) => {}
            }
        }
    }

    /// Closes the open intervals at the end of the run.
    pub fn close(&mut self, end: SimTime) {
        for (name, since, state) in self.open.drain(..) {
            if since < end {
                self.intervals.push(StateInterval {
                    container: name,
                    from: Seconds(since),
                    to: Seconds(end),
                    state,
                });
            }
        }
        crate::stable_sort::sort_by(&mut self.intervals, |a, b| {
            a.container.cmp(&b.container).then(
                a.from
                    .partial_cmp(&b.from)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
        });
    }
}

/// `getPhase` with each container's own restart policy (R59–R63, R99). A container the kubelet killed
/// to restart it (a new image, a failed probe) counts as restarting until its new instance runs: upstream
/// kills and starts it in one sync, so no status ever shows it stopped for good (R43, R65).
fn phase_of(w: &PodWorker, init: &[ContainerStatus], regular: &[ContainerStatus]) -> PodPhase {
    // The statuses are built from `w.ctrs` in order: a status's place is its container's index.
    let would_restart = |idx: usize, status: &ContainerStatus, exit_code: i32| {
        debug_assert_eq!(w.ctrs[idx].name, status.name);
        match w.ctrs[idx].kind {
            ContainerKind::Init => w.restarts_on_failure(idx),
            _ => w.ctrs[idx].restart_after_kill || w.should_restart(idx, exit_code),
        }
    };
    status_generation::get_phase_by_place(
        init,
        regular,
        false,
        status_generation::any_regular_container_started(regular),
        &would_restart,
    )
}

/// R88: before a container exists, it waits as `PodInitializing` in a pod with init containers,
/// otherwise `ContainerCreating`.
fn container_status(c: &Ctr, has_init: bool) -> ContainerStatus {
    let default_reason = if has_init {
        "PodInitializing"
    } else {
        "ContainerCreating"
    };
    let state = match &c.instance {
        // R55: while its image cannot be had, the reason the last sync read from the reason cache.
        Instance::Pulling { .. }
        | Instance::BackOff {
            image_pull: true, ..
        } if c.shown_pull_error.is_some() => ContainerState::Waiting {
            reason: c
                .shown_pull_error
                .map_or(default_reason, PullError::reason)
                .into(),
        },
        // Re-pulling to restart (`imagePullPolicy: Always`): the status the API shows is the one the
        // kubelet wrote before this sync's pull: `CrashLoopBackOff` from its reason cache after a
        // back-off, else the instance that exited (`convertToAPIContainerStatuses`, R88).
        Instance::Pulling { .. } if c.crash_loop_reason => ContainerState::Waiting {
            reason: "CrashLoopBackOff".into(),
        },
        Instance::Pulling { .. } if c.last_termination.is_some() => {
            terminated_state(c.last_termination.as_ref())
        }
        Instance::Pulling { .. }
        | Instance::BackOff {
            image_pull: true, ..
        } => ContainerState::Waiting {
            reason: default_reason.into(),
        },
        Instance::NotCreated => ContainerState::Waiting {
            reason: default_reason.into(),
        },
        Instance::BackOff { .. } => ContainerState::Waiting {
            reason: "CrashLoopBackOff".into(),
        },
        // R28: the sync that started the first instance is blocked in its postStart hook, and the
        // kubelet writes a pod's status only when a sync begins (`SyncPod` sets the status it computed
        // from the runtime before starting anything): until the hook returns, the API still shows the
        // container waiting, and the docs' "not set to Running until the postStart handler completes".
        // A restart's hook is not held back so: what the status showed before it (CrashLoopBackOff,
        // the last termination) is no longer known once the new instance exists.
        Instance::Running { .. } if !c.post_start_done && c.instances == 1 => {
            ContainerState::Waiting {
                reason: default_reason.into(),
            }
        }
        Instance::Running { started_at, .. } => ContainerState::Running {
            started_at: *started_at,
        },
        Instance::Terminated(t) => ContainerState::Terminated {
            exit_code: t.exit_code,
            reason: t.reason.clone(),
            started_at: Some(t.started_at),
            finished_at: t.finished_at,
        },
    };
    // `lastState`: the instance before the current one; while waiting to restart, the last one.
    let last_state = match &c.instance {
        Instance::Terminated(_) => &c.previous_termination,
        Instance::Pulling { .. } if !c.crash_loop_reason && c.last_termination.is_some() => {
            &c.previous_termination
        }
        _ => &c.last_termination,
    };
    let last_termination = last_state.as_ref().map(|t| ContainerState::Terminated {
        exit_code: t.exit_code,
        reason: t.reason.clone(),
        started_at: Some(t.started_at),
        finished_at: t.finished_at,
    });
    ContainerStatus {
        name: c.name.clone(),
        kind: c.kind,
        state,
        last_termination,
        ready: c.ready,
        started: c.started,
        restart_count: c.restart_count,
    }
}

fn interval_state(c: &Ctr) -> IntervalState {
    match &c.instance {
        Instance::NotCreated => IntervalState::Waiting,
        Instance::Pulling { .. } => IntervalState::Pulling,
        Instance::BackOff { .. } => IntervalState::BackOff,
        Instance::Terminated(t) if t.exit_code == 0 => IntervalState::ExitedOk,
        Instance::Terminated(_) => IntervalState::ExitedError,
        Instance::Running { .. } => match &c.stopping {
            Some(s) if s.sigterm_at.is_some() => IntervalState::Terminating,
            Some(s) if !s.pre_stop_done => IntervalState::PreStop,
            // Stopping, but its SIGTERM waits for its turn (a sidecar during the reverse-order
            // shutdown, R71): until then it runs as before.
            _ if !c.post_start_done => IntervalState::PostStart,
            _ if c.ready && c.kind != ContainerKind::Init => IntervalState::Ready,
            _ if c.started => IntervalState::Started,
            _ => IntervalState::Running,
        },
    }
}

fn terminated_state(t: Option<&Termination>) -> ContainerState {
    t.map_or(
        ContainerState::Waiting {
            reason: "ContainerCreating".into(),
        },
        |t| ContainerState::Terminated {
            exit_code: t.exit_code,
            reason: t.reason.clone(),
            started_at: Some(t.started_at),
            finished_at: t.finished_at,
        },
    )
}
