//! The kinds of object that carry a pod: a Pod itself, or the pod template of a Deployment, StatefulSet,
//! DaemonSet, ReplicaSet, Job or CronJob, with the path at which each keeps its pod spec.

use serde::{Deserialize, Serialize};

use super::pod::PodSpec;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkloadKind {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    Job,
    CronJob,
}

impl WorkloadKind {
    pub const ALL: [WorkloadKind; 7] = [
        WorkloadKind::Pod,
        WorkloadKind::Deployment,
        WorkloadKind::StatefulSet,
        WorkloadKind::DaemonSet,
        WorkloadKind::ReplicaSet,
        WorkloadKind::Job,
        WorkloadKind::CronJob,
    ];

    pub fn from_kind(kind: &str) -> Option<WorkloadKind> {
        WorkloadKind::ALL.into_iter().find(|k| k.name() == kind)
    }

    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "Pod",
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
        }
    }

    /// The `apiVersion` the API server serves this kind at.
    pub fn api_version(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "v1",
            WorkloadKind::Job | WorkloadKind::CronJob => "batch/v1",
            _ => "apps/v1",
        }
    }

    /// Where the pod spec sits in the object, as a field path.
    pub fn pod_spec_path(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "spec",
            WorkloadKind::CronJob => "spec.jobTemplate.spec.template.spec",
            _ => "spec.template.spec",
        }
    }

    /// Where the pod template's metadata sits (`None` for a bare Pod: its own metadata).
    pub fn template_metadata_path(self) -> Option<&'static str> {
        match self {
            WorkloadKind::Pod => None,
            WorkloadKind::CronJob => Some("spec.jobTemplate.spec.template.metadata"),
            _ => Some("spec.template.metadata"),
        }
    }

    /// Where the Job spec sits, for the kinds that run a Job.
    pub fn job_spec_path(self) -> Option<&'static str> {
        match self {
            WorkloadKind::Job => Some("spec"),
            WorkloadKind::CronJob => Some("spec.jobTemplate.spec"),
            _ => None,
        }
    }

    /// Does a controller of this kind require the pod to restart forever (`restartPolicy: Always`)?
    pub fn requires_always_restart(self) -> bool {
        matches!(
            self,
            WorkloadKind::Deployment
                | WorkloadKind::StatefulSet
                | WorkloadKind::DaemonSet
                | WorkloadKind::ReplicaSet
        )
    }
}

/// The settings of a Job that decide when its pod counts as done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JobSettings {
    pub backoff_limit: Option<i64>,
    /// Set: each index has its own limit, and `backoffLimit` defaults to the largest int32.
    pub backoff_limit_per_index: Option<i64>,
    pub active_deadline_seconds: Option<i64>,
    pub completions: Option<i64>,
    pub parallelism: Option<i64>,
    pub pod_failure_policy: Option<PodFailurePolicy>,
    /// `NonIndexed` (the default) or `Indexed`: each pod of an Indexed Job gets its index in the
    /// `JOB_COMPLETION_INDEX` environment variable.
    pub completion_mode: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodFailurePolicy {
    pub rules: Vec<crate::json::Value>,
}

/// One workload of the manifest, with its pod spec and (for Jobs) its Job settings, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    pub kind: WorkloadKind,
    pub name: Option<String>,
    /// `metadata.namespace`, where the object (and its pods) live; `None` means `default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Index of the YAML document it came from (0-based), and of the item in a `kind: List`.
    pub document: usize,
    pub list_item: Option<usize>,
    pub pod: PodSpec,
    pub job: Option<JobSettings>,
    /// The object's annotations merged with its pod template's (the template's win): where podlife
    /// reads per-container behaviour and the scenario (docs/annotations.md).
    pub annotations: crate::sorted_map::SortedMap<String, String>,
}
