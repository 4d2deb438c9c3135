//! The Job controller's side of a Job's pod (pkg/controller/job/job_controller.go `syncJob`,
//! `pastBackoffLimitOnFailure`, `pastActiveDeadline`, `deleteActivePods`): R58, R106.
//!
//! podlife simulates one pod; of the Job controller it models what reaches that pod. The controller
//! fails the Job, and deletes its active pods (`deleteActivePods`: a DELETE without options, so the
//! pod's own grace period), when
//!
//! - **the back-off limit is reached under `restartPolicy: OnFailure`**: the kubelet restarts the
//!   containers in place, and the controller adds up the `restartCount` of every init container
//!   (sidecars included) and every container of a Running or Pending pod; at `backoffLimit` or more
//!   (more than 0 when the limit is 0) the Job fails with `BackoffLimitExceeded`. A pod update wakes
//!   the controller after its batch period (`syncJobBatchPeriod`, 1 s);
//! - **the Job's `spec.activeDeadlineSeconds` has passed** since the Job's `status.startTime`, which
//!   the controller sets in the sync that creates the pod (podlife's 0 s): that sync queues the Job
//!   again for the deadline, and the Job fails with `DeadlineExceeded`.
//!
//! `backoffLimit` defaults to 6 (pkg/apis/batch/v1/defaults.go), or to the largest int32 when the Job
//! sets `backoffLimitPerIndex`. Under `restartPolicy: Never` a failed pod stays failed and the
//! controller creates a new pod (after its own back-off) while the failures do not exceed the limit:
//! that next pod is beyond the one podlife simulates.

use crate::model::Workload;
use crate::time::{Millis, SimTime};
use crate::trace::EventKind;

use super::pod_worker::*;

/// `syncJobBatchPeriod`: a pod update queues its Job's sync this much later.
const SYNC_JOB_BATCH_PERIOD: Millis = Millis(1_000);
/// `backoffLimit`'s default (pkg/apis/batch/v1/defaults.go `SetDefaults_Job`).
const DEFAULT_BACKOFF_LIMIT: i64 = 6;

/// Why the Job controller failed the Job (`batch.JobReasonBackoffLimitExceeded`,
/// `batch.JobReasonDeadlineExceeded`) and the message of its Warning event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobFailure {
    BackoffLimitExceeded,
    DeadlineExceeded,
}

impl JobFailure {
    pub fn reason(self) -> &'static str {
        match self {
            JobFailure::BackoffLimitExceeded => "BackoffLimitExceeded",
            JobFailure::DeadlineExceeded => "DeadlineExceeded",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            JobFailure::BackoffLimitExceeded => "Job has reached the specified backoff limit",
            JobFailure::DeadlineExceeded => "Job was active longer than specified deadline",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            JobFailure::BackoffLimitExceeded => "R58",
            JobFailure::DeadlineExceeded => "R106",
        }
    }
}

/// What the Job controller knows of the Job that owns the pod.
#[derive(Debug, Clone, Default)]
pub(super) struct JobController {
    /// The back-off limit the pod's restarts count against (only under `restartPolicy: OnFailure`).
    restart_limit: Option<i64>,
    /// `status.startTime` + the Job's `activeDeadlineSeconds`.
    deadline: Option<SimTime>,
    /// A pod update showed the restarts at the limit: the controller's sync then.
    backoff_sync_at: Option<SimTime>,
    /// The Job has failed (the controller has deleted the pod, or found it no longer active).
    failed: bool,
}

impl JobController {
    /// The controller of `workload` when it is a Job, for a pod with `restart_policy`.
    pub(super) fn of(workload: &Workload, restart_policy: &str) -> Option<Self> {
        let job = workload.job.as_ref()?;
        let default_limit = if job.backoff_limit_per_index.is_some() {
            i64::from(i32::MAX)
        } else {
            DEFAULT_BACKOFF_LIMIT
        };
        let restart_limit = (restart_policy == "OnFailure")
            .then(|| job.backoff_limit.unwrap_or(default_limit).max(0));
        let deadline = job
            .active_deadline_seconds
            .and_then(|s| u64::try_from(s).ok())
            .map(|s| SimTime::ZERO + Millis(s.saturating_mul(1000)));
        Some(JobController {
            restart_limit,
            deadline,
            ..JobController::default()
        })
    }
}

impl PodWorker {
    /// Why the Job controller failed the Job and deleted the pod, if it did.
    pub(super) fn job_failure(&self) -> Option<&str> {
        self.events.iter().rev().find_map(|e| match &e.kind {
            EventKind::JobFailed { reason } => Some(reason.as_str()),
            _ => None,
        })
    }

    /// The next moment the Job controller acts on the pod, while it still can.
    pub(super) fn next_job_sync(&self) -> Option<SimTime> {
        let jc = self.job_controller.as_ref().filter(|jc| !jc.failed)?;
        [jc.backoff_sync_at, jc.deadline]
            .into_iter()
            .flatten()
            .min()
    }

    /// After a status update: a pod whose restarts reached the back-off limit wakes the Job
    /// controller one batch period later (`updatePod` → `enqueueSyncJobBatched`).
    pub(super) fn observe_pod_for_job(&mut self) {
        let now = self.now;
        let active = self.job_pod_active();
        let restarts: i64 = self.ctrs.iter().map(|c| i64::from(c.restart_count)).sum();
        let Some(jc) = self.job_controller.as_mut() else {
            return;
        };
        if jc.failed || jc.backoff_sync_at.is_some() || !active {
            return;
        }
        if let Some(limit) = jc.restart_limit {
            let past = if limit == 0 {
                restarts > 0
            } else {
                restarts >= limit
            };
            if past {
                jc.backoff_sync_at = Some(now + SYNC_JOB_BATCH_PERIOD);
            }
        }
    }

    /// The controller's sync at its moment: the Job fails and its active pod is deleted.
    pub(super) fn sync_job(&mut self) {
        let Some(due) = self.next_job_sync().filter(|t| *t <= self.now) else {
            return;
        };
        let Some(jc) = self.job_controller.as_mut() else {
            return;
        };
        let failure = if jc.backoff_sync_at.is_some_and(|t| t <= due) {
            JobFailure::BackoffLimitExceeded
        } else {
            JobFailure::DeadlineExceeded
        };
        jc.failed = true;
        if !self.job_pod_active() {
            return;
        }
        self.emit(
            None,
            EventKind::JobFailed {
                reason: failure.reason().to_string(),
            },
            Some(failure.rule()),
            self.job_failure_text(failure),
        );
        self.delete_by(None, "the Job controller deletes the pod");
    }

    /// A pod the controller counts as active: neither terminal nor already being deleted.
    fn job_pod_active(&self) -> bool {
        !self.status.phase().is_terminal() && !self.deletion_requested && self.removed_at.is_none()
    }

    fn job_failure_text(&self, failure: JobFailure) -> String {
        let restarts: u32 = self.ctrs.iter().map(|c| c.restart_count).sum();
        let why = match failure {
            JobFailure::BackoffLimitExceeded => {
                let limit = self
                    .job_controller
                    .as_ref()
                    .and_then(|jc| jc.restart_limit)
                    .unwrap_or_default();
                format!(
                    "the pod's containers have restarted {restarts} time(s) under restartPolicy OnFailure, \
                     and the Job's backoffLimit is {limit}"
                )
            }
            JobFailure::DeadlineExceeded => {
                "the Job's spec.activeDeadlineSeconds has passed since its startTime (0 s)".into()
            }
        };
        format!(
            "Job failed, {}: \"{}\" ({why}); the Job controller deletes its running pod, which stops \
             with its grace period",
            failure.reason(),
            failure.message()
        )
    }
}
