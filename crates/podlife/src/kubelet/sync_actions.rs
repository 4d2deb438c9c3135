//! What a sync decides to start (pkg/kubelet/kuberuntime/kuberuntime_manager.go `computePodActions`,
//! `computeInitContainerActions`): init containers one at a time in order, a sidecar gating the next
//! container until it is started, regular containers once initialization is complete, restarts as
//! the restart policy allows, and the pod's completion when no regular container will run again.

use crate::pod_status::{ContainerKind, PodPhase};
use crate::time::Millis;

use super::container::Instance;
use super::pod_worker::*;

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
        if !self.init_actions() {
            return;
        }
        self.regular_actions();
        self.check_completion();
    }

    pub(super) fn queued(&self, idx: usize) -> bool {
        self.ops
            .iter()
            .any(|op| matches!(op, Op::Start { idx: i } | Op::Restart { idx: i, .. } | Op::Kill { idx: i, .. } if *i == idx))
    }

    /// `computeInitContainerActions`: returns true when initialization is complete (or was, for good).
    pub(super) fn init_actions(&mut self) -> bool {
        let generation = self.generation;
        for idx in 0..self.n_init {
            let c = &self.ctrs[idx];
            let fresh = c.generation != generation;
            let queued = self.queued(idx);
            match c.kind {
                ContainerKind::Sidecar => {
                    let exited = fresh
                        || matches!(c.instance, Instance::Terminated(_) | Instance::NotCreated);
                    if exited && !queued && !matches!(c.instance, Instance::BackOff { .. }) {
                        self.ops.push_back(Op::Start { idx });
                        if !self.initialized {
                            return false;
                        }
                        continue;
                    }
                    if matches!(c.instance, Instance::BackOff { until, .. } if until <= self.now)
                        && !queued
                    {
                        self.ops.push_back(Op::Start { idx });
                    }
                    if !self.initialized && !c.started {
                        return false;
                    }
                }
                ContainerKind::Init => {
                    if self.initialized {
                        continue;
                    }
                    match &c.instance {
                        _ if fresh || matches!(c.instance, Instance::NotCreated) => {
                            if !queued {
                                self.ops.push_back(Op::Start { idx });
                            }
                            return false;
                        }
                        Instance::Terminated(t) if t.exit_code == 0 => continue,
                        Instance::Terminated(t) => {
                            let code = t.exit_code;
                            if self.restart_policy == "Never" {
                                let label = self.label(idx);
                                self.note(Some(idx), "R51", format!("{label} failed (exit {code}) and restartPolicy is Never: the pod fails"));
                                self.begin_termination(
                                    TerminationCause::InitFailure,
                                    Millis::secs(self.grace_seconds.max(0) as u64),
                                    Some(PodPhase::Failed),
                                );
                            } else if !queued {
                                self.ops.push_back(Op::Start { idx });
                            }
                            return false;
                        }
                        Instance::BackOff { until, .. } => {
                            if *until <= self.now && !queued {
                                self.ops.push_back(Op::Start { idx });
                            }
                            return false;
                        }
                        _ => return false,
                    }
                }
                ContainerKind::Regular => {}
            }
        }
        true
    }

    /// `computePodActions` for regular containers: start the ones never started, restart the exited ones
    /// the restart policy allows (R25, R26, R50).
    pub(super) fn regular_actions(&mut self) {
        for idx in self.n_init..self.ctrs.len() {
            if self.queued(idx) {
                continue;
            }
            let c = &self.ctrs[idx];
            let fresh = c.generation != self.generation;
            let start = match &c.instance {
                Instance::NotCreated => true,
                Instance::Terminated(_) if fresh && self.restart_policy != "Never" => true,
                Instance::Terminated(t) => c.restart_after_kill || self.should_restart(t.exit_code),
                Instance::BackOff { until, .. } => *until <= self.now,
                _ => false,
            };
            if start {
                self.ops.push_back(Op::Start { idx });
            }
        }
    }

    pub(super) fn should_restart(&self, exit_code: i32) -> bool {
        match self.restart_policy.as_str() {
            "Always" => true,
            "OnFailure" => exit_code != 0,
            _ => false,
        }
    }

    /// R62: every regular container has terminated and none will restart: the pod is done.
    pub(super) fn check_completion(&mut self) {
        if !self.initialized || self.termination.is_some() || !self.ops.is_empty() {
            return;
        }
        let regular = &self.ctrs[self.n_init..];
        let codes: Option<Vec<i32>> = regular
            .iter()
            .map(|c| c.terminated().map(|t| t.exit_code))
            .collect();
        let Some(codes) = codes else { return };
        if codes.iter().any(|&code| self.should_restart(code)) {
            return;
        }
        let phase = if codes.iter().all(|&c| c == 0) {
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
}
