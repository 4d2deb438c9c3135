//! The scenario's actions as the API server and the node deliver them: `kubectl delete`,
//! `kubectl set image`, a node reboot, a kubelet restart (R65, R67, R96–R98, R21).

use crate::pod_status::ContainerKind;
use crate::scenario::Action;
use crate::time::{Millis, SimTime};
use crate::trace::EventKind;

use super::backoff::Backoff;
use super::container::{Ctr, Instance, Termination};
use super::pod_worker::*;

impl PodWorker {
    pub(super) fn apply_scenario(&mut self) {
        while self.scenario.front().is_some_and(|(t, _)| *t <= self.now) {
            let Some((_, action)) = self.scenario.pop_front() else {
                break;
            };
            match action {
                Action::Delete { grace } => self.delete(grace),
                Action::SetImage { container, image } => self.set_image(&container, &image),
                Action::NodeReboot => self.node_reboot(),
                Action::KubeletRestart => self.kubelet_restart(),
            }
        }
    }

    pub(super) fn delete(&mut self, grace: Option<i64>) {
        self.delete_by(grace, "kubectl delete pod");
    }

    /// A DELETE of the pod by `who` (kubectl, or a controller with no grace of its own), with
    /// `grace` or else the pod's own grace period.
    pub(super) fn delete_by(&mut self, grace: Option<i64>, who: &str) {
        if self
            .termination
            .as_ref()
            .is_some_and(|t| t.cause == TerminationCause::Deletion)
            || self.removed_at.is_some()
        {
            return;
        }
        self.deletion_requested = true;
        let phase = self.status.phase();
        let seconds = if phase.is_terminal() {
            0
        } else {
            grace.unwrap_or(self.grace_seconds).max(0)
        };
        self.emit(
            None,
            EventKind::DeletionRequested {
                grace_period: seconds,
            },
            Some("R67"),
            format!("{who}: deletion grace period {seconds} s"),
        );
        if phase.is_terminal() && !self.ctrs.iter().any(Ctr::is_running) {
            self.removed_at = Some(self.now);
            self.emit(
                None,
                EventKind::Removed,
                Some("R67"),
                "a terminal pod is removed at once".into(),
            );
            return;
        }
        let grace = Millis::secs(seconds.max(0) as u64);
        if seconds == 0 {
            // R67: a force delete removes the object at once; the kubelet still kills the containers.
            self.removed_at = Some(self.now);
            self.emit(
                None,
                EventKind::Removed,
                Some("R67"),
                "force delete (grace 0): the pod object is removed at once; the kubelet still stops the containers".into(),
            );
        }
        match self.termination.clone() {
            // Already tearing down after completion: the deletion can only shorten the grace (R68).
            Some(t) => {
                let deadline = (t.began_at + t.grace).min(self.now + grace.max(Millis::secs(1)));
                if let Some(term) = self.termination.as_mut() {
                    term.cause = TerminationCause::Deletion;
                    term.grace = Millis(deadline.0.saturating_sub(t.began_at.0));
                }
                self.shorten_grace(deadline);
            }
            // The kubelet acts on it after the API server has marked the pod, once the sync in
            // progress has returned (`begin_pending_deletion`); a second deletion can only shorten it.
            None => {
                let grace = self.deletion_pending.map_or(grace, |g| g.min(grace));
                self.deletion_pending = Some(grace);
            }
        }
    }

    /// The pod worker takes up the deletion (`SyncTerminatingPod`) once the sync in progress has
    /// returned: the kubelet runs the runtime's `SyncPod` with a context the deletion does not cancel,
    /// so a kill it is waiting for (a probe or image-change kill, a failed postStart's kill), a
    /// postStart or a pull ends first, and so do the restarts that sync decided (R43). The deletion's
    /// grace then counts from this moment, when `killContainer` starts (R67, R70).
    /// Returns true when the termination began.
    pub(super) fn begin_pending_deletion(&mut self) -> bool {
        if !self.ops.is_empty() {
            return false;
        }
        let Some(grace) = self.deletion_pending.take() else {
            return false;
        };
        self.begin_termination(TerminationCause::Deletion, grace, None);
        true
    }

    /// A shorter grace arrives while containers are stopping: every deadline moves up, and a
    /// container already sent SIGTERM is stopped again with the shorter timeout (at least 2 s: R70).
    fn shorten_grace(&mut self, deadline: SimTime) {
        let now = self.now;
        for c in &mut self.ctrs {
            let Some(s) = c.stopping.as_mut() else {
                continue;
            };
            if s.began_at + s.grace > deadline {
                s.grace = Millis(deadline.0.saturating_sub(s.began_at.0));
            }
            if let Some(pre_stop) = s.pre_stop_until.filter(|p| *p > deadline) {
                let _ = pre_stop;
                s.pre_stop_until = Some(deadline.max(now));
            }
            if let Some(kill_at) = s.sigkill_at {
                let floor = now + Millis::secs(2);
                s.sigkill_at = Some(kill_at.min(deadline.max(floor)));
            }
        }
    }

    pub(super) fn set_image(&mut self, name: &str, image: &str) {
        let Some(idx) = self.index_of(name) else {
            return;
        };
        self.ctrs[idx].spec.image = Some(image.to_string());
        self.emit(
            Some(idx),
            EventKind::ImageUpdated {
                image: image.to_string(),
            },
            Some("R65"),
            format!("kubectl set image: {} now wants {image}", self.label(idx)),
        );
        if self.termination.is_some() {
            let label = self.label(idx);
            self.note(
                Some(idx),
                "R78",
                format!("the pod is terminating: {label} is not restarted for its new image"),
            );
            return;
        }
        let c = &self.ctrs[idx];
        if c.kind == ContainerKind::Init {
            let label = self.label(idx);
            self.note(
                Some(idx),
                "R65",
                format!("{label} is an init container: an image change never reruns it"),
            );
            return;
        }
        if let Instance::BackOff { .. } = c.instance {
            // The back-off belongs to the old image (its key includes the image): start over (R53).
            let last = c.last_termination.clone();
            self.ctrs[idx].instance = last.map_or(Instance::NotCreated, Instance::Terminated);
            self.ctrs[idx].restart_after_kill = true;
        } else if c.is_running() {
            // The running instance no longer matches its spec's hash: the next sync kills and restarts
            // it (a sidecar once it is started), whatever the restart policy (R65).
            self.ctrs[idx].definition_changed = true;
        } else if let Some(code) = c.terminated().map(|t| t.exit_code) {
            if !self.should_restart(idx, code) {
                // `ShouldContainerBeRestarted` reads the restart policy, not the spec's hash (R50, R99).
                let label = self.label(idx);
                self.note(
                    Some(idx),
                    "R65",
                    format!("{label} has exited and its restart policy does not restart it (exit {code}): the new image is not started"),
                );
            }
        }
        self.request_sync(self.now);
    }

    pub(super) fn node_reboot(&mut self) {
        self.emit(
            None,
            EventKind::NodeRebooted,
            Some("R98"),
            "the node reboots: the pod's sandbox and every container are lost".into(),
        );
        let now = self.now;
        for idx in 0..self.ctrs.len() {
            if self.ctrs[idx].is_running() {
                let started_at = self.ctrs[idx].running_since().unwrap_or(now);
                let term = Termination {
                    exit_code: 255,
                    reason: "Unknown".into(),
                    started_at,
                    finished_at: now,
                };
                let c = &mut self.ctrs[idx];
                c.instance = Instance::Terminated(term.clone());
                c.previous_termination = c.last_termination.replace(term);
                c.stopping = None;
                c.post_start_done = false;
                let label = self.label(idx);
                self.emit(
                    Some(idx),
                    EventKind::Exited {
                        exit_code: 255,
                        reason: "Unknown".into(),
                    },
                    Some("R98"),
                    format!("{label} is gone with the node"),
                );
            } else if matches!(
                self.ctrs[idx].instance,
                Instance::Pulling { .. } | Instance::BackOff { .. }
            ) {
                self.ctrs[idx].instance = Instance::NotCreated;
            }
        }
        self.world.listening.clear();
        // The kubelet restarts with the node: its back-offs and reason cache are new (R96).
        self.forget_back_offs();
        self.ops.clear();
        self.busy_until = None;
        self.waiting_exit = None;
        self.sync_at = None;
        self.relist_pending = false;
        self.node_down_until = Some(now + REBOOT_DOWNTIME);
        self.sandbox_ready_at = None;
        // R21: a Never pod whose containers already ran gets no new sandbox.
        let never_ran_again =
            self.restart_policy == "Never" && self.ctrs.iter().any(|c| c.instances > 0);
        if !never_ran_again {
            self.generation += 1;
            self.initialized = false;
        } else {
            self.node_down_until = None;
            self.note(
                None,
                "R21",
                "restartPolicy Never: the containers already ran, so no new sandbox is created"
                    .into(),
            );
        }
        for c in &mut self.ctrs {
            for p in &mut c.probes {
                p.reset();
                p.fresh = true;
                p.next_tick = now + REBOOT_DOWNTIME;
            }
        }
        self.refresh_flags();
    }

    pub(super) fn kubelet_restart(&mut self) {
        let resets = self.version.minor < 35;
        let message = if resets {
            "the kubelet restarts: running containers keep running; Started and Ready are recomputed from fresh probes (R97, before 1.35)"
        } else {
            "the kubelet restarts: running containers keep running and their status is kept (R97, 1.35+)"
        };
        self.emit(
            None,
            EventKind::KubeletRestarted,
            Some("R96"),
            message.into(),
        );
        self.forget_back_offs();
        // The new PLEG's first relist reports the sandbox and every container: one more sync.
        self.sandbox_event_pending = true;
        let now = self.now;
        for c in &mut self.ctrs {
            for p in &mut c.probes {
                // The new kubelet's workers are new: no results in a row, no attempt under way.
                if resets {
                    p.reset();
                } else {
                    p.forget_run();
                }
                p.in_flight = None;
                p.triggered = false;
                p.fresh = true;
                p.next_tick = now + p.start_jitter();
            }
        }
        self.request_sync(now);
    }

    /// The crash-loop and image-pull back-offs and the reason cache live in the kubelet's memory
    /// (kubelet.go `NewMainKubelet` builds them anew): a container waiting out either back-off is, for
    /// the new kubelet, just an exited container (or one never created), and its first sync starts it
    /// at once, since `doBackOff` and `EnsureImageExists` find no entry (R96, R55).
    fn forget_back_offs(&mut self) {
        self.backoff = Backoff::default();
        self.pull_backoff = Backoff::default();
        for c in &mut self.ctrs {
            if let Instance::BackOff { .. } = c.instance {
                c.instance = c
                    .last_termination
                    .clone()
                    .map_or(Instance::NotCreated, Instance::Terminated);
            }
            c.pull_error = None;
            c.shown_pull_error = None;
            c.crash_loop_reason = false;
        }
    }
}
