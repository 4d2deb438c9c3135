//! The pod status the kubelet reports (k8s.io/api core/v1 `PodStatus`, `ContainerStatus`,
//! `ContainerState`): what `kubectl get pod` and the pod conditions are computed from.

use serde::Serialize;

use crate::time::SimTime;

/// The three kinds of container of a pod (R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerKind {
    /// An entry of `initContainers` without `restartPolicy: Always`.
    Init,
    /// An entry of `initContainers` with `restartPolicy: Always`.
    Sidecar,
    /// An entry of `containers`.
    Regular,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum ContainerState {
    /// Not running; `reason` as the kubelet sets it: `PodInitializing`, `ContainerCreating`,
    /// `CrashLoopBackOff`, `ErrImagePull`, `ImagePullBackOff`.
    Waiting {
        reason: String,
    },
    Running {
        started_at: SimTime,
    },
    /// `reason`: `Completed` (exit 0) or `Error` (any other code).
    Terminated {
        exit_code: i32,
        reason: String,
        started_at: Option<SimTime>,
        finished_at: SimTime,
    },
}

impl ContainerState {
    pub fn is_running(&self) -> bool {
        matches!(self, ContainerState::Running { .. })
    }

    pub fn terminated_exit_code(&self) -> Option<i32> {
        match self {
            ContainerState::Terminated { exit_code, .. } => Some(*exit_code),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    pub name: String,
    pub kind: ContainerKind,
    pub state: ContainerState,
    /// The state of the previous instance, once it has terminated (`lastState.terminated`).
    pub last_termination: Option<ContainerState>,
    pub ready: bool,
    pub started: bool,
    pub restart_count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodPhase {
    pub fn is_terminal(self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }

    pub fn name(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
        }
    }
}

/// The five pod conditions (R44–R47).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Conditions {
    pub pod_scheduled: bool,
    pub pod_ready_to_start_containers: bool,
    pub initialized: bool,
    pub containers_ready: bool,
    pub ready: bool,
}

/// What the API server holds for the pod at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    pub phase: PodPhase,
    /// `status.reason` (`DeadlineExceeded`, `InitContainerRestartPolicyForbidden`), shown by kubectl
    /// instead of the phase (R83).
    pub reason: Option<String>,
    pub conditions: Conditions,
    /// One per `spec.initContainers` entry (init containers and sidecars), in spec order.
    pub init_container_statuses: Vec<ContainerStatus>,
    /// One per `spec.containers` entry, in spec order.
    pub container_statuses: Vec<ContainerStatus>,
    /// `metadata.deletionTimestamp` is set.
    pub deleting: bool,
}
