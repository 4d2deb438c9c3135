//! A pod the scheduler cannot place (R107): no node is ever assigned, so no kubelet syncs it. It stays
//! Pending with PodScheduled False (reason `Unschedulable`, the scheduler's message) and no container
//! status; nothing starts. Of the scenario's actions only a deletion reaches it: the API server deletes
//! a pod bound to no node at once, whatever the grace (pkg/registry/core/pod/strategy.go
//! `CheckGracefulDelete`: "no node, delete immediately").

use crate::scenario::Action;
use crate::scheduling::FitError;
use crate::time::SimTime;
use crate::trace::EventKind;

use super::pod_worker::{PodWorker, SETTLE};

impl PodWorker {
    /// The whole run of a pod no node fits.
    pub(super) fn stay_unscheduled(&mut self, fit_error: FitError) {
        self.scheduled = false;
        self.emit(
            None,
            EventKind::FailedScheduling {
                reasons: fit_error.reasons.clone(),
            },
            Some("R107"),
            format!(
                "no node fits the pod: {}; it stays Pending, unscheduled, and no container starts",
                fit_error.explain()
            ),
        );
        self.emit(
            None,
            EventKind::ConditionChanged {
                condition: "PodScheduled".into(),
                value: false,
            },
            Some("R107"),
            format!(
                "condition PodScheduled is False, reason Unschedulable: {}",
                fit_error.reasons.join(", ")
            ),
        );
        self.publish();
        let mut end = self.explicit_until.unwrap_or(SimTime::ZERO + SETTLE);
        while let Some((at, action)) = self.scenario.pop_front() {
            if at > end {
                break;
            }
            self.now = at;
            if matches!(action, Action::Delete { .. }) {
                self.delete_unscheduled();
                end = at;
                break;
            }
            self.note(
                None,
                "R107",
                "the pod is on no node: a node or kubelet action or a new image changes nothing for the scheduler"
                    .into(),
            );
        }
        self.now = end.min(self.horizon);
    }

    /// `kubectl delete` on a pod with no node: removed at once.
    fn delete_unscheduled(&mut self) {
        self.deletion_requested = true;
        self.emit(
            None,
            EventKind::DeletionRequested { grace_period: 0 },
            Some("R107"),
            "kubectl delete pod: the pod is on no node, so the API server deletes it at once"
                .into(),
        );
        self.removed_at = Some(self.now);
        self.emit(
            None,
            EventKind::Removed,
            Some("R107"),
            "the pod object is removed".into(),
        );
    }
}
