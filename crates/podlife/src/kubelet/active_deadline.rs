//! The pod's `spec.activeDeadlineSeconds` (pkg/kubelet/active_deadline.go `activeDeadlineHandler`
//! `pastActiveDeadline`, `ShouldEvict`; kubelet.go `generateAPIPodStatus`, `SyncPod`,
//! `SyncTerminatingPod`): R102.
//!
//! Once the time since `status.startTime` reaches the deadline, the next sync's status is Failed with
//! reason `DeadlineExceeded`: the pod worker then terminates the pod as on completion (every container
//! stopped with the pod's grace period, sidecars last in reverse order, preStop hooks first), and
//! nothing restarts. The status manager holds the Failed phase and its reason back until every
//! container has stopped (R61). A sync that is still busy (a kill waiting for its preStop: R43) delays
//! it, as the pod worker runs one sync at a time.
//!
//! `status.startTime` is when the kubelet first synced the pod: at 0, when it is assigned to the node
//! (the sandbox it then creates is ready at 0.5 s), and kept across sandbox restarts.
//!
//! A Job's own `spec.activeDeadlineSeconds` belongs to the Job controller, which deletes the Job's
//! running pods and fails the Job (`job_controller.rs`).

use crate::pod_status::PodPhase;
use crate::time::{Millis, SimTime};
use crate::trace::EventKind;

use super::pod_worker::*;
use super::status_manager::PodReason;

/// What `ShouldEvict` sets on the pod's status once its deadline has passed.
pub const DEADLINE_EXCEEDED: PodReason = PodReason {
    reason: "DeadlineExceeded",
    message: "Pod was active on the node longer than the specified deadline",
    rule: "R102",
};

/// When a pod with `activeDeadlineSeconds` is past its deadline: `status.startTime` (0) plus the
/// deadline, a whole number of seconds.
pub(super) fn active_deadline(seconds: Option<i64>) -> Option<SimTime> {
    let seconds = u64::try_from(seconds?).ok()?;
    Some(SimTime::ZERO + Millis(seconds.saturating_mul(1000)))
}

impl PodWorker {
    /// `pastActiveDeadline`: the time since startTime has reached the deadline.
    pub(super) fn past_active_deadline(&self) -> bool {
        self.active_deadline.is_some_and(|d| self.now >= d)
    }

    /// The deadline, while it can still end a pod that runs: the next moment to look at it.
    pub(super) fn pending_active_deadline(&self) -> Option<SimTime> {
        self.active_deadline.filter(|_| {
            !self.deadline_exceeded
                && self.termination.is_none()
                && !self.status.phase().is_terminal()
        })
    }

    /// The sync ticker brings a pod past its deadline to the pod worker (`ShouldSync`).
    pub(super) fn sync_at_active_deadline(&mut self) {
        if self
            .pending_active_deadline()
            .is_some_and(|d| self.now >= d)
        {
            self.request_sync(self.now);
        }
    }

    /// At the start of a sync: a pod past its deadline is Failed (`ShouldEvict`), and the pod worker
    /// terminates it. Returns true when it did.
    pub(super) fn fail_past_active_deadline(&mut self) -> bool {
        if self.pending_active_deadline().is_none() || !self.past_active_deadline() {
            return false;
        }
        self.deadline_exceeded = true;
        let deadline = self
            .active_deadline
            .map_or(0, |d| d.since(SimTime::ZERO).0 / 1000);
        let active = crate::time::secs_text(self.now.since(SimTime::ZERO).0);
        let running = self.ctrs.iter().filter(|c| c.is_running()).count();
        self.emit(
            None,
            EventKind::DeadlineExceeded,
            Some(DEADLINE_EXCEEDED.rule),
            format!(
                "activeDeadlineSeconds ({deadline} s) has passed: the pod has been active {active} s since \
                 its startTime (0 s). {}: \"{}\"; its {running} running container(s) are stopped with the \
                 pod's grace period and nothing restarts",
                DEADLINE_EXCEEDED.reason, DEADLINE_EXCEEDED.message
            ),
        );
        self.begin_termination(
            TerminationCause::ActiveDeadline,
            Millis::secs(self.grace_seconds.max(0) as u64),
            Some(PodPhase::Failed),
        );
        true
    }

    /// A pod already terminating (deleted, completed) when its deadline passes: the status the kubelet
    /// generates once its containers have stopped is Failed for the deadline, and `ShouldEvict` records
    /// its event then.
    pub(super) fn record_deadline_at_termination(&mut self) {
        if self.deadline_exceeded {
            return;
        }
        self.deadline_exceeded = true;
        self.emit(
            None,
            EventKind::DeadlineExceeded,
            Some(DEADLINE_EXCEEDED.rule),
            format!(
                "activeDeadlineSeconds has passed while the pod was terminating: {}: \"{}\"",
                DEADLINE_EXCEEDED.reason, DEADLINE_EXCEEDED.message
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_counts_whole_seconds_from_start_time_r102() {
        assert_eq!(active_deadline(Some(10)), Some(SimTime(10_000)));
        assert_eq!(active_deadline(None), None);
        assert_eq!(active_deadline(Some(-5)), None, "rejected by validation");
        assert_eq!(
            active_deadline(Some(i64::MAX)),
            Some(SimTime(u64::MAX)),
            "saturates instead of overflowing"
        );
    }
}
