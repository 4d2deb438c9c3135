//! The output of a simulation: what happened, when, and by which rule. Its JSON form is the public,
//! versioned contract `podlife.trace/v1` (docs/trace-format.md): fields may be added, never renamed.
//! Each addition within v1 raises [`FORMAT_MINOR`].

use serde::Serialize;

use crate::pod_status::{Conditions, ContainerKind, PodPhase};
use crate::time::SimTime;

pub const FORMAT: &str = "podlife.trace/v1";
/// The additions within v1 a trace has (docs/trace-format.md, "Minor versions"): 1 adds `formatMinor`,
/// `pod.uid` and `pod.namespace`, the `KillStarted`, `HookFailed`, `PullFailed` and `DeadlineExceeded`
/// events, `BackOff.image` and the snapshots' `lastRestartAt`; 2 adds the `FailedScheduling` and
/// `InvalidImageName` events and the containers' `assumptions`.
pub const FORMAT_MINOR: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trace {
    pub format: &'static str,
    /// The additions within the major version this trace has ([`FORMAT_MINOR`]).
    pub format_minor: u32,
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
    /// `metadata.namespace`, `default` when the manifest has none (v1.1); the scheduler's and the
    /// kubelet's messages name the pod with it.
    pub namespace: String,
    /// A stand-in for `metadata.uid`, in the API server's UUID form, derived from the name so that a
    /// manifest always gives the same trace; the kubelet's messages name the pod `NAME_NAMESPACE(UID)`.
    pub uid: String,
    pub workload: String,
    pub restart_policy: String,
    pub termination_grace_period_seconds: i64,
}

impl PodInfo {
    /// A UID for the pod named `name`, in the form of a random (version 4) UUID but derived from the
    /// name (two FNV-1a hashes), so the same manifest always gives the same trace.
    pub fn uid_for(name: &str) -> String {
        let hash = |seed: u64| {
            name.bytes().fold(seed, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
        };
        let (hi, lo) = (hash(0xcbf2_9ce4_8422_2325), hash(0x6c62_272e_07bb_0142));
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xffff,
            hi & 0xfff,
            0x8000 | ((lo >> 48) & 0x3fff),
            lo & 0xffff_ffff_ffff
        )
    }

    /// The pod as the kubelet's event messages name it (`format.Pod`: `name_namespace(uid)`).
    pub fn kubelet_name(&self) -> String {
        format!("{}_{}({})", self.name, self.namespace, self.uid)
    }

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
    /// What podlife assumed about it where the manifest does not say, each with the setting that
    /// decides it (v1.2).
    pub assumptions: Vec<crate::behaviour::ContainerAssumption>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub t: Seconds,
    pub container: Option<String>,
    #[serde(flatten)]
    pub kind: EventKind,
    /// The rule of docs/rules.md this transition follows (`R23`).
    pub rule: Option<&'static str>,
    pub message: String,
}

impl Event {
    /// Bytes of text the event keeps: its message, its container's name and what its kind carries.
    pub fn text_bytes(&self) -> usize {
        self.message.len() + self.container.as_ref().map_or(0, String::len) + self.kind.text_bytes()
    }
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

/// Why the kubelet kills a container: what it gives `killContainer` (kuberuntime_manager.go
/// `computePodActions`, kuberuntime_container.go `computeInitContainerActions` and `startContainer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum KillCause {
    /// The pod is terminating (deleted, completed, failed): no message, so "Stopping container X".
    Stop,
    /// Its liveness probe crossed `failureThreshold`.
    LivenessProbe,
    /// Its startup probe crossed `failureThreshold`.
    StartupProbe,
    /// Its spec changed (a new image).
    DefinitionChanged,
    /// Its postStart hook failed.
    PostStartHookFailed,
}

impl KillCause {
    /// The message of the kubelet's `Killing` event for this kill (R103): a sidecar's kills are decided
    /// by `computeInitContainerActions`, whose messages say "Init container" and never add ", will be
    /// restarted"; a postStart failure passes the hook's event reason as the message.
    pub fn kubelet_message(self, container: &str, sidecar: bool, restart: bool) -> String {
        let what = match self {
            KillCause::Stop => return format!("Stopping container {container}"),
            KillCause::PostStartHookFailed => return "FailedPostStartHook".to_string(),
            KillCause::LivenessProbe => "failed liveness probe",
            KillCause::StartupProbe => "failed startup probe",
            KillCause::DefinitionChanged => "definition changed",
        };
        if sidecar {
            format!("Init container {container} {what}")
        } else if restart {
            format!("Container {container} {what}, will be restarted")
        } else {
            format!("Container {container} {what}")
        }
    }
}

/// The exit reason the runtime gives a container the OOM killer ended (R105).
pub const OOM_KILLED: &str = "OOMKilled";

/// A lifecycle hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum HookName {
    PostStart,
    PreStop,
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
    /// The hook's handler failed (the kubelet's `FailedPostStartHook` / `FailedPreStopHook` event).
    HookFailed {
        hook: HookName,
    },
    StartedChanged {
        value: bool,
    },
    ReadyChanged {
        value: bool,
    },
    /// One probe attempt failed. `output` is the probe's result as the kubelet records it (what
    /// `kubectl describe` prints after "Liveness probe failed: "; an exec probe's own output, possibly
    /// empty); the event's message says it in a sentence.
    ProbeFailed {
        probe: ProbeKind,
        output: String,
    },
    /// `killContainer` begins: the kubelet records its `Killing` event, before the preStop hook and
    /// before a sidecar waits for its turn. `restart`: the container is started again afterwards.
    KillStarted {
        cause: KillCause,
        restart: bool,
    },
    Killing {
        signal: SignalName,
    },
    /// `reason`: `Completed`, `Error`, [`OOM_KILLED`], `Unknown` (lost in a node reboot).
    Exited {
        exit_code: i32,
        reason: String,
    },
    BackOff {
        delay: f64,
        /// The image whose pull is backing off (ImagePullBackOff); absent for a crash-loop back-off.
        #[serde(skip_serializing_if = "Option::is_none")]
        image: Option<String>,
    },
    /// A pull of the container's image failed (ErrImagePull); `error` is what the runtime answered.
    PullFailed {
        image: String,
        error: String,
    },
    /// The image is not a valid reference: the kubelet cannot even look it up, and the container
    /// waits with reason InvalidImageName; `error` is the reference parser's (v1.2).
    InvalidImageName {
        image: String,
        error: String,
    },
    // Pod events.
    Scheduled,
    /// No node fits the pod: the scheduler's filter reasons (`Insufficient memory`); the pod stays
    /// Pending and unscheduled (R107, v1.2).
    FailedScheduling {
        reasons: Vec<String>,
    },
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
    /// The kubelet finds the pod past its `activeDeadlineSeconds` (`ShouldEvict`) and records its
    /// `DeadlineExceeded` event; the pod is then failed and terminated (v1.1).
    DeadlineExceeded,
    /// The Job controller fails the pod's Job (`BackoffLimitExceeded`, `DeadlineExceeded`) and
    /// deletes the pod, which is still active (v1.3).
    JobFailed {
        reason: String,
    },
    Removed,
    /// A line of explanation: why something happened, or why nothing did.
    Note,
}

impl EventKind {
    /// Bytes of text the event carries besides its message (an image, an error, a probe's output):
    /// the kubelet's work budget weighs an event by all the text it keeps and every view copies.
    pub fn text_bytes(&self) -> usize {
        match self {
            EventKind::Pulling { image }
            | EventKind::Pulled { image }
            | EventKind::ImageUpdated { image } => image.len(),
            EventKind::ProbeFailed { output, .. } => output.len(),
            EventKind::Exited { reason, .. } | EventKind::JobFailed { reason } => reason.len(),
            EventKind::BackOff { image, .. } => image.as_ref().map_or(0, String::len),
            EventKind::PullFailed { image, error }
            | EventKind::InvalidImageName { image, error } => image.len() + error.len(),
            EventKind::FailedScheduling { reasons } => reasons.iter().map(String::len).sum(),
            EventKind::ConditionChanged { condition, .. } => condition.len(),
            _ => 0,
        }
    }

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
            EventKind::HookFailed { .. } => "HookFailed",
            EventKind::StartedChanged { .. } => "StartedChanged",
            EventKind::ReadyChanged { .. } => "ReadyChanged",
            EventKind::ProbeFailed { .. } => "ProbeFailed",
            EventKind::KillStarted { .. } => "KillStarted",
            EventKind::Killing { .. } => "Killing",
            EventKind::Exited { .. } => "Exited",
            EventKind::BackOff { .. } => "BackOff",
            EventKind::PullFailed { .. } => "PullFailed",
            EventKind::InvalidImageName { .. } => "InvalidImageName",
            EventKind::Scheduled => "Scheduled",
            EventKind::FailedScheduling { .. } => "FailedScheduling",
            EventKind::DeletionRequested { .. } => "DeletionRequested",
            EventKind::PhaseChanged { .. } => "PhaseChanged",
            EventKind::ConditionChanged { .. } => "ConditionChanged",
            EventKind::ImageUpdated { .. } => "ImageUpdated",
            EventKind::NodeRebooted => "NodeRebooted",
            EventKind::KubeletRestarted => "KubeletRestarted",
            EventKind::DeadlineExceeded => "DeadlineExceeded",
            EventKind::JobFailed { .. } => "JobFailed",
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
    /// When the last restart RESTARTS counts happened: the latest `lastState.terminated.finishedAt`
    /// over the counted containers, printed as `3 (42s ago)` (R87); `None` while there is none.
    pub last_restart_at: Option<Seconds>,
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
    /// The run was stopped by its horizon (the scenario's `until`, or one simulated hour) while
    /// something was still due to happen (a back-off to wait out, a probe about to fail): the pod
    /// had not settled. Not in the JSON (the contract is unchanged); views use it to tell a stable
    /// pod from one cut off mid-change.
    #[serde(skip)]
    pub cut_at_horizon: bool,
    /// The run stopped before its horizon because it had spent the kubelet loop's work budget
    /// (`kubelet::WorkSpent`); the summary and the trace's warnings say so. Not in the JSON, as
    /// `cut_at_horizon`.
    #[serde(skip)]
    pub work_spent: Option<crate::kubelet::WorkSpent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kill_messages_are_the_kubelets_r103() {
        use KillCause::*;
        let regular = |cause: KillCause, restart| cause.kubelet_message("app", false, restart);
        assert_eq!(regular(Stop, false), "Stopping container app");
        assert_eq!(
            regular(LivenessProbe, true),
            "Container app failed liveness probe, will be restarted"
        );
        assert_eq!(
            regular(LivenessProbe, false),
            "Container app failed liveness probe"
        );
        assert_eq!(
            regular(StartupProbe, true),
            "Container app failed startup probe, will be restarted"
        );
        assert_eq!(
            regular(DefinitionChanged, true),
            "Container app definition changed, will be restarted"
        );
        assert_eq!(regular(PostStartHookFailed, false), "FailedPostStartHook");
        // computeInitContainerActions words a sidecar's kills its own way, without the restart.
        let sidecar = |cause: KillCause| cause.kubelet_message("proxy", true, true);
        assert_eq!(
            sidecar(LivenessProbe),
            "Init container proxy failed liveness probe"
        );
        assert_eq!(
            sidecar(StartupProbe),
            "Init container proxy failed startup probe"
        );
        assert_eq!(
            sidecar(DefinitionChanged),
            "Init container proxy definition changed"
        );
        assert_eq!(sidecar(Stop), "Stopping container proxy");
    }

    #[test]
    fn a_pods_uid_is_a_uuid_that_only_its_name_decides() {
        let uid = PodInfo::uid_for("myapp");
        assert_eq!(uid, PodInfo::uid_for("myapp"));
        assert_ne!(uid, PodInfo::uid_for("myapp2"));
        let groups: Vec<usize> = uid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{uid}");
        assert!(
            uid.chars().all(|c| c.is_ascii_hexdigit() || c == '-'),
            "{uid}"
        );
        assert_eq!(&uid[14..15], "4", "version 4 layout: {uid}");
        assert!("89ab".contains(&uid[19..20]), "RFC 4122 variant: {uid}");
    }
}
