//! Stopping one container (pkg/kubelet/kuberuntime/kuberuntime_container.go `killContainer`,
//! `executePreStopHook`): the `Killing` event as the kill begins (R103), preStop within the grace,
//! SIGTERM, SIGKILL after what is left of the grace but at least 2 s (R70, R75–R77).

use crate::behaviour::Signal;
use crate::pod_status::ContainerKind;
use crate::time::{Millis, SimTime};
use crate::trace::{EventKind, HookName, KillCause, SignalName};

use super::container::{KillForRestart, Stopping};
use super::pod_worker::*;

impl PodWorker {
    /// Queues a kill the sync decides (a failed probe, a new image) and, if the container is to run
    /// again, its restart: `SyncPod` kills every container it decided to kill, one after another, then
    /// starts them, so the restart comes after this sync's other kills but before anything a later sync
    /// decides (R43).
    pub(super) fn queue_kill(
        &mut self,
        idx: usize,
        grace: Millis,
        why: String,
        rule: &'static str,
        restart: bool,
        cause: KillCause,
    ) {
        let now = self.now;
        self.ctrs[idx].restart_after_kill = restart;
        let this_syncs_restarts = self
            .ops
            .iter()
            .position(|op| matches!(op, Op::Restart { decided_at, .. } if *decided_at == now))
            .unwrap_or(self.ops.len());
        let kill = Op::Kill {
            idx,
            grace,
            why,
            rule,
            cause,
        };
        self.ops.insert(this_syncs_restarts, kill);
        if restart {
            self.ops.push_back(Op::Restart {
                idx,
                decided_at: now,
            });
        }
        self.request_sync(now);
    }

    /// One step of killing a single container (R70 without ordering, R77); true when it has exited.
    pub(super) fn step_kill(
        &mut self,
        idx: usize,
        grace: Millis,
        why: &str,
        rule: &'static str,
        cause: KillCause,
    ) -> bool {
        if !self.ctrs[idx].is_running() {
            return true;
        }
        let now = self.now;
        let label = self.label(idx);
        let Some(stopping) = self.ctrs[idx].stopping.clone() else {
            // This line explains the decision; `start_stopping` writes the kubelet's Killing event.
            self.note(Some(idx), rule, format!("{label} will be stopped: {why}"));
            if self.ctrs[idx].restart_after_kill {
                let previous_finished_at = self.ctrs[idx]
                    .last_termination
                    .as_ref()
                    .map(|t| t.finished_at);
                self.ctrs[idx].kill_for_restart = Some(KillForRestart {
                    rule,
                    previous_finished_at,
                    backoff_checked: false,
                });
            }
            self.start_stopping(idx, grace, now, cause);
            return self.step_kill(idx, grace, why, rule, cause);
        };
        if stopping.sigterm_at.is_none() && stopping.pre_stop_done {
            self.send_sigterm(idx, rule);
        }
        if !self.ctrs[idx].is_running() {
            return true;
        }
        self.waiting_exit = Some(idx);
        false
    }

    /// Starts stopping one container (`killContainer`): the kubelet records `Killing` at once (R103),
    /// then its preStop runs, bounded by the grace (R70).
    pub fn start_stopping(&mut self, idx: usize, grace: Millis, now: SimTime, cause: KillCause) {
        let hook = self.ctrs[idx]
            .spec
            .lifecycle
            .as_ref()
            .and_then(|l| l.pre_stop.clone())
            .filter(|_| grace > Millis(0));
        let stopping = Stopping {
            grace,
            began_at: now,
            pre_stop_done: hook.is_none(),
            ..Stopping::default()
        };
        self.begin_kill(idx, cause, stopping);
        let Some(hook) = hook else {
            return;
        };
        let label = self.label(idx);
        self.emit(
            Some(idx),
            EventKind::PreStopHookStarted,
            Some("R70"),
            format!(
                "preStop hook of {label} runs (at most {} s)",
                grace.0 / 1000
            ),
        );
        let (duration, ok) = self.hook_duration(idx, &hook);
        if let Some(s) = self.ctrs[idx].stopping.as_mut() {
            s.pre_stop_until = Some(now + duration.min(grace));
            s.pre_stop_fails = !ok;
        }
    }

    /// The one place a kill begins (`killContainer`): the kubelet's `Killing` event, recorded before
    /// anything else with the kill's message (R103), and where the container is in being stopped.
    pub(super) fn begin_kill(&mut self, idx: usize, cause: KillCause, stopping: Stopping) {
        let c = &self.ctrs[idx];
        let restart = cause != KillCause::Stop && c.restart_after_kill;
        let message = cause.kubelet_message(&c.name, c.kind == ContainerKind::Sidecar, restart);
        self.emit(
            Some(idx),
            EventKind::KillStarted { cause, restart },
            Some("R103"),
            message,
        );
        self.ctrs[idx].stopping = Some(stopping);
    }

    pub(super) fn advance_stopping(&mut self) {
        let now = self.now;
        for idx in 0..self.ctrs.len() {
            let Some(s) = self.ctrs[idx].stopping.clone() else {
                continue;
            };
            if !self.ctrs[idx].is_running() {
                self.ctrs[idx].stopping = None;
                continue;
            }
            if let Some(until) = s.pre_stop_until.filter(|u| *u <= now && !s.pre_stop_done) {
                let label = self.label(idx);
                let cut = until >= s.began_at + s.grace;
                if s.pre_stop_fails && !cut {
                    self.emit(
                        Some(idx),
                        EventKind::HookFailed {
                            hook: HookName::PreStop,
                        },
                        Some("R103"),
                        format!("preStop hook of {label} failed: the kubelet records FailedPreStopHook and goes on with the kill"),
                    );
                }
                let message = if cut {
                    format!("preStop hook of {label} is abandoned: the grace period ran out")
                } else {
                    format!("preStop hook of {label} finished")
                };
                // R74 is the pod's shared deadline; a single container's kill cuts its hook by R70.
                let rule = if cut && self.termination.is_some() {
                    "R74"
                } else {
                    "R70"
                };
                self.emit(
                    Some(idx),
                    EventKind::PreStopHookFinished,
                    Some(rule),
                    message,
                );
                if let Some(st) = self.ctrs[idx].stopping.as_mut() {
                    st.pre_stop_done = true;
                    st.pre_stop_until = None;
                    st.pre_stop_ended_at = Some(now);
                }
                if self.termination.is_none() {
                    self.send_sigterm(idx, "R77");
                }
            }
            if let Some(kill_at) = s.sigkill_at.filter(|k| *k <= now) {
                let _ = kill_at;
                let label = self.label(idx);
                self.emit(
                    Some(idx),
                    EventKind::Killing {
                        signal: SignalName::Kill,
                    },
                    Some("R70"),
                    format!("{label} did not exit within its grace period: SIGKILL"),
                );
                self.signal_process(idx, Signal::Kill);
                if let Some(st) = self.ctrs[idx].stopping.as_mut() {
                    st.sigkill_at = None;
                }
                self.advance_processes();
            }
        }
        if self.termination.is_some() {
            self.pod_termination_signals();
        }
    }

    /// SIGTERM now, SIGKILL after what is left of the grace (at least 2 s: R70).
    pub(super) fn send_sigterm(&mut self, idx: usize, rule: &'static str) {
        let now = self.now;
        let Some(s) = self.ctrs[idx].stopping.clone() else {
            return;
        };
        // Upstream subtracts the whole seconds spent in preStop, then the whole seconds spent waiting
        // for the turn, from an integer grace (R70).
        let pre_stop_end = s.pre_stop_ended_at.unwrap_or(s.began_at);
        let spent_secs = pre_stop_end.since(s.began_at).0 / 1000 + now.since(pre_stop_end).0 / 1000;
        let left = Millis::secs((s.grace.0 / 1000).saturating_sub(spent_secs)).max(MIN_KILL_GRACE);
        let label = self.label(idx);
        self.emit(
            Some(idx),
            EventKind::Killing {
                signal: SignalName::Term,
            },
            Some(rule),
            format!(
                "Stopping {label}: SIGTERM, SIGKILL in {} s if it is still running",
                left.0 / 1000
            ),
        );
        if let Some(st) = self.ctrs[idx].stopping.as_mut() {
            st.sigterm_at = Some(now);
            st.sigkill_at = Some(now + left);
        }
        self.signal_process(idx, Signal::Term);
        self.advance_processes();
    }
}
