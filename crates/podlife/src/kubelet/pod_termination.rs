//! Terminating the whole pod (pkg/kubelet/kubelet.go `SyncTerminatingPod`,
//! kuberuntime_termination_order.go): every container stopped at once, sidecars after the regular
//! containers in reverse order, one shared deadline, and the final phase (R62, R67–R81).

use crate::pod_status::{ContainerKind, PodPhase};
use crate::time::Millis;
use crate::trace::{EventKind, KillCause};
use crate::version::Gate;

use super::active_deadline::DEADLINE_EXCEEDED;
use super::container::{Ctr, Instance};
use super::pod_worker::*;
use super::status_manager::PodReason;
use super::termination_order::{may_terminate, Member};

impl PodWorker {
    pub fn begin_termination(
        &mut self,
        cause: TerminationCause,
        grace: Millis,
        decided_phase: Option<PodPhase>,
    ) {
        let grace = grace.max(Millis::secs(1)); // R68: the kubelet kills with at least 1 s.
        let now = self.now;
        self.termination = Some(PodTermination {
            cause,
            began_at: now,
            grace,
            decided_phase,
        });
        self.ops.clear();
        self.busy_until = None;
        self.waiting_exit = None;
        for idx in 0..self.ctrs.len() {
            match self.ctrs[idx].instance {
                // A container already being stopped keeps its own timeline.
                Instance::Running { .. } if self.ctrs[idx].stopping.is_none() => {
                    self.start_stopping(idx, grace, now, KillCause::Stop);
                }
                Instance::Pulling { .. } | Instance::BackOff { .. } => {
                    // R31, R78: what has not started never starts.
                    let fallback = Instance::NotCreated;
                    let last = self.ctrs[idx].last_termination.clone();
                    self.ctrs[idx].instance = last.map_or(fallback, Instance::Terminated);
                }
                _ => {}
            }
        }
        self.pod_termination_signals();
    }

    /// Sends SIGTERM to every container whose turn has come (R69–R75, R80).
    pub(super) fn pod_termination_signals(&mut self) {
        let Some(term) = self.termination.clone() else {
            return;
        };
        let ordered = self.ctrs.iter().any(|c| c.kind == ContainerKind::Sidecar)
            && self.version.enabled(Gate::SidecarContainers)
            && self.version.minor >= 29;
        let deadline = term.began_at + term.grace;
        loop {
            let members: Vec<Member> = self
                .ctrs
                .iter()
                .map(|c| Member {
                    kind: c.kind,
                    index: c.index,
                    terminated: !c.is_running(),
                })
                .collect();
            let mut sent = false;
            for idx in 0..self.ctrs.len() {
                let ready = self.ctrs[idx]
                    .stopping
                    .as_ref()
                    .is_some_and(|s| s.pre_stop_done && s.sigterm_at.is_none());
                if !ready {
                    continue;
                }
                let turn = may_terminate(members[idx], &members, ordered);
                if turn || self.now >= deadline {
                    let rule = match (self.ctrs[idx].kind, turn, ordered) {
                        (ContainerKind::Sidecar, true, true) => "R71",
                        (ContainerKind::Sidecar, false, _) => "R73",
                        (ContainerKind::Sidecar, true, false) => "R80",
                        // A plain init container still running is killed with the rest (R69).
                        (ContainerKind::Init, _, _) => "R69",
                        _ => "R75",
                    };
                    self.send_sigterm(idx, rule);
                    sent = true;
                }
            }
            if !sent {
                break;
            }
        }
    }

    pub(super) fn finish_termination_if_done(&mut self) {
        let Some(term) = self.termination.clone() else {
            return;
        };
        if self.ctrs.iter().any(Ctr::is_running) {
            return;
        }
        self.termination = None;
        let (phase, reason) = self.final_phase(&term);
        if reason == Some(DEADLINE_EXCEEDED) {
            self.record_deadline_at_termination();
        }
        self.status.force_terminal(phase, reason);
        // The terminal phase is news even without a new event.
        self.published_events = usize::MAX;
        if term.cause == TerminationCause::Deletion {
            self.remove_deleted_pod(phase);
        }
    }

    /// The phase (and its reason) `SyncTerminatingPod` writes once every container has stopped.
    fn final_phase(&self, term: &PodTermination) -> (PodPhase, Option<PodReason>) {
        // `generateAPIPodStatus` fails a pod past its active deadline whatever ended it (R102).
        if self.past_active_deadline() {
            return (PodPhase::Failed, Some(DEADLINE_EXCEEDED));
        }
        let phase = match term.cause {
            // R63: a deleted pod ends Succeeded only if every regular container exited 0.
            TerminationCause::Deletion => {
                let all_zero = self.ctrs[self.n_init..]
                    .iter()
                    .all(|c| c.terminated().is_some_and(|t| t.exit_code == 0));
                if all_zero && self.initialized {
                    PodPhase::Succeeded
                } else {
                    PodPhase::Failed
                }
            }
            TerminationCause::Completion
            | TerminationCause::InitFailure
            | TerminationCause::ActiveDeadline => term.decided_phase.unwrap_or(PodPhase::Failed),
        };
        (phase, None)
    }

    /// A deleted pod's object goes once its final status is written (R79).
    fn remove_deleted_pod(&mut self, phase: PodPhase) {
        // Publish the terminal phase before `Removed`.
        self.publish();
        if self.removed_at.is_some() {
            // Force-deleted: the object went away when the deletion came (R67).
            return;
        }
        self.removed_at = Some(self.now);
        self.emit(
            None,
            EventKind::Removed,
            Some("R79"),
            format!(
                "every container has stopped: the pod object is removed ({})",
                phase.name()
            ),
        );
    }
}
