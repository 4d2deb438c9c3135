//! The output of a simulation: what happened, when, and by which rule. Its JSON form is the public,
//! versioned contract `podlife.trace/v1` (docs/trace-format.md): fields may be added, never renamed.

use serde::Serialize;

use crate::pod_status::{Conditions, ContainerKind, PodPhase};
use crate::time::SimTime;

pub const FORMAT: &str = "podlife.trace/v1";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trace {
    pub format: &'static str,
    pub kubernetes_version: String,
    pub pod: PodInfo,
    pub containers: Vec<ContainerInfo>,
    pub events: Vec<Event>,
    pub status: Vec<StatusSnapshot>,
    /// Per-container state over time, for timelines.
    pub intervals: Vec<StateInterval>,
    pub outcome: Outcome,
    /// Problems with podlife's own annotations (a behaviour key it does not know, a container name that
    /// is not in the pod): the run goes on without them.
    pub warnings: Vec<String>,
    /// The simulated span: from 0 to here.
    pub end: Seconds,
    /// Files on a shared volume that one container writes and another follows (`tail -f`/`-F`): how
    /// many lines each wrote and read, and how many were written after the last reader stopped.
    pub files: Vec<SharedFile>,
}

/// A file on a volume written by one container and followed by another (a log and its shipper).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedFile {
    /// The path as its (first) writer names it (`/opt/logs.txt`).
    pub path: String,
    /// The volume it lives on.
    pub volume: String,
    /// Who appended lines to it, in the order they first wrote, and how many lines each.
    pub writers: Vec<FileAccess>,
    /// Who followed it, in the order they started, and how many lines each read (over all instances).
    pub readers: Vec<FileAccess>,
    /// Lines written after the last reader stopped reading (its process ended); 0 while one still reads
    /// at the end of the run.
    pub lost_after_reader_stopped: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileAccess {
    pub container: String,
    pub lines: u64,
}

/// Seconds on the virtual clock, as JSON numbers (`12.5`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Seconds(pub SimTime);

impl Serialize for Seconds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0.as_secs())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodInfo {
    pub name: String,
    pub workload: String,
    pub restart_policy: String,
    pub termination_grace_period_seconds: i64,
}

impl PodInfo {
    /// The pod runs a Job's work (a Job, or a CronJob's Job): it is meant to complete.
    pub fn is_job(&self) -> bool {
        matches!(self.workload.as_str(), "Job" | "CronJob")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInfo {
    pub name: String,
    pub kind: ContainerKind,
    /// Index in its list (`initContainers` for init and sidecar, `containers` for regular).
    pub index: usize,
    pub image: String,
    pub behaviour: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub t: Seconds,
    pub container: Option<String>,
    #[serde(flatten)]
    pub kind: EventKind,
    /// The rule of ../shared/kubelet-rules.md this transition follows (`R23`).
    pub rule: Option<&'static str>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProbeKind {
    #[serde(rename = "startup")]
    Startup,
    #[serde(rename = "readiness")]
    Readiness,
    #[serde(rename = "liveness")]
    Liveness,
}

impl ProbeKind {
    pub fn name(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Readiness => "readiness",
            ProbeKind::Liveness => "liveness",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SignalName {
    #[serde(rename = "SIGTERM")]
    Term,
    #[serde(rename = "SIGKILL")]
    Kill,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
pub enum EventKind {
    // Container events.
    Pulling {
        image: String,
    },
    Pulled {
        image: String,
    },
    Created,
    Started {
        restart_count: u32,
    },
    PostStartHookStarted,
    PostStartHookFinished,
    PreStopHookStarted,
    PreStopHookFinished,
    StartedChanged {
        value: bool,
    },
    ReadyChanged {
        value: bool,
    },
    ProbeFailed {
        probe: ProbeKind,
    },
    Killing {
        signal: SignalName,
    },
    Exited {
        exit_code: i32,
        reason: String,
    },
    BackOff {
        delay: f64,
    },
    // Pod events.
    Scheduled,
    DeletionRequested {
        grace_period: i64,
    },
    PhaseChanged {
        phase: PodPhase,
    },
    ConditionChanged {
        condition: String,
        value: bool,
    },
    ImageUpdated {
        image: String,
    },
    NodeRebooted,
    KubeletRestarted,
    Removed,
    /// A line of explanation: why something happened, or why nothing did.
    Note,
}

impl EventKind {
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Pulling { .. } => "Pulling",
            EventKind::Pulled { .. } => "Pulled",
            EventKind::Created => "Created",
            EventKind::Started { .. } => "Started",
            EventKind::PostStartHookStarted => "PostStartHookStarted",
            EventKind::PostStartHookFinished => "PostStartHookFinished",
            EventKind::PreStopHookStarted => "PreStopHookStarted",
            EventKind::PreStopHookFinished => "PreStopHookFinished",
            EventKind::StartedChanged { .. } => "StartedChanged",
            EventKind::ReadyChanged { .. } => "ReadyChanged",
            EventKind::ProbeFailed { .. } => "ProbeFailed",
            EventKind::Killing { .. } => "Killing",
            EventKind::Exited { .. } => "Exited",
            EventKind::BackOff { .. } => "BackOff",
            EventKind::Scheduled => "Scheduled",
            EventKind::DeletionRequested { .. } => "DeletionRequested",
            EventKind::PhaseChanged { .. } => "PhaseChanged",
            EventKind::ConditionChanged { .. } => "ConditionChanged",
            EventKind::ImageUpdated { .. } => "ImageUpdated",
            EventKind::NodeRebooted => "NodeRebooted",
            EventKind::KubeletRestarted => "KubeletRestarted",
            EventKind::Removed => "Removed",
            EventKind::Note => "Note",
        }
    }
}

/// The pod as the API server holds it at `t` (written whenever something a reader sees changes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusSnapshot {
    pub t: Seconds,
    pub phase: PodPhase,
    /// kubectl's STATUS column (`Init:1/2`, `PodInitializing`, `Running`, `Terminating`).
    pub status: String,
    /// kubectl's READY column (`1/2`).
    pub ready: String,
    pub restarts: u32,
    pub conditions: Conditions,
}

/// What a container was doing over `[from, to)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateInterval {
    pub container: String,
    pub from: Seconds,
    pub to: Seconds,
    pub state: IntervalState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum IntervalState {
    /// Not created yet, waiting its turn.
    Waiting,
    Pulling,
    /// Running, not yet started (its startup probe has not passed).
    Running,
    /// Started, not ready.
    Started,
    Ready,
    PostStart,
    PreStop,
    /// SIGTERM sent, not yet exited.
    Terminating,
    ExitedOk,
    ExitedError,
    BackOff,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The final phase (Pending/Running if the pod never finished within the horizon).
    pub phase: PodPhase,
    /// When the phase became terminal.
    pub at: Option<Seconds>,
    /// When the API object was removed (after deletion).
    pub removed_at: Option<Seconds>,
    /// One line: "Succeeded at 14 s", "still Running at 3600 s: container \"logshipper\" never exits".
    pub summary: String,
}
