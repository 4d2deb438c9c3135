//! One container of the pod as the kubelet and the runtime track it: its current instance (waiting,
//! pulling, backing off, running, terminated), its flags (`started`, `ready`), its restart count, its
//! probe workers, and where it is in a kill.

use crate::behaviour::{Behaviour, Process};
use crate::model::Container;
use crate::pod_status::ContainerKind;
use crate::time::{Millis, SimTime};

use super::prober::{ProbeResult, ProbeWorker};
use super::restart_policy::OwnRestartPolicy;
use crate::trace::ProbeKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termination {
    pub exit_code: i32,
    pub reason: String,
    pub started_at: SimTime,
    pub finished_at: SimTime,
}

#[derive(Debug, Clone)]
pub enum Instance {
    /// Never created in this sandbox.
    NotCreated,
    /// The image is being pulled (the pod worker waits for it: R27).
    Pulling {
        until: SimTime,
    },
    /// Waiting out a crash-loop back-off until `until` (R53); or, `image_pull`, its image failed to
    /// pull and every sync tries again (`EnsureImageExists` decides: a new pull once the pull back-off
    /// is over), the pod worker's own retry of the failed sync coming at `until` (R55).
    BackOff {
        until: SimTime,
        image_pull: bool,
    },
    Running {
        process: Process,
        started_at: SimTime,
    },
    Terminated(Termination),
}

/// Where a container is in being stopped (R70).
#[derive(Debug, Clone, Default)]
pub struct Stopping {
    pub grace: Millis,
    pub began_at: SimTime,
    /// The preStop hook runs until then.
    pub pre_stop_until: Option<SimTime>,
    /// The preStop hook's handler fails when it returns (FailedPreStopHook, R103).
    pub pre_stop_fails: bool,
    /// The preStop finished (or there was none); the container waits for its turn or its SIGTERM.
    pub pre_stop_done: bool,
    /// When the preStop finished (the grace loses its whole seconds: R70).
    pub pre_stop_ended_at: Option<SimTime>,
    pub sigterm_at: Option<SimTime>,
    pub sigkill_at: Option<SimTime>,
}

#[derive(Debug, Clone)]
pub struct Ctr {
    pub name: String,
    pub kind: ContainerKind,
    /// Position in its list (`initContainers` or `containers`).
    pub index: usize,
    pub spec: Container,
    pub behaviour: Behaviour,
    pub instance: Instance,
    pub restart_count: u32,
    /// Instances created so far (restart_count = instances − 1 once it ran).
    pub instances: u32,
    pub started: bool,
    pub ready: bool,
    /// postStart has returned for the current instance (R23, R28).
    pub post_start_done: bool,
    pub last_termination: Option<Termination>,
    /// The termination before `last_termination`: what the API shows as `lastState` while the
    /// container is itself terminated (`convertToAPIContainerStatuses` keeps the two latest instances).
    pub previous_termination: Option<Termination>,
    /// The sandbox generation the last instance ran in (a new sandbox reruns everything: R21).
    pub generation: u32,
    pub probes: Vec<ProbeWorker>,
    pub stopping: Option<Stopping>,
    /// When the running process will next act by itself (from its last `run_until`).
    pub wake_at: Option<SimTime>,
    /// The kubelet signalled the process since its last `run_until`: `wake_at` no longer says when it
    /// next acts, so the next advance runs it whatever `wake_at` says.
    pub signalled_since_run: bool,
    /// The image error the last start attempt ended with, as the kubelet's reason cache keeps it (R55).
    pub pull_error: Option<PullError>,
    /// The image error the container's status shows: the reason cache as the last sync read it when it
    /// generated the status, before it tried to start the container (kubelet.go `SyncPod`).
    pub shown_pull_error: Option<PullError>,
    /// The kubelet's reason cache holds `CrashLoopBackOff` for it: set when a restart is held back,
    /// cleared when an instance starts. A re-pull after the back-off still shows it (R88).
    pub crash_loop_reason: bool,
    /// The postStart hook of the current instance failed (R28): the kubelet's message for it.
    pub post_start_failure: Option<String>,
    /// Restart after the current kill whatever the restart policy says (probe kill, image change).
    pub restart_after_kill: bool,
    /// The spec changed (`kubectl set image`) while this instance runs: the next sync that looks at it
    /// kills it to start the new definition (R65).
    pub definition_changed: bool,
    /// Its own restartPolicy and restartPolicyRules (R99); empty for sidecars and with the gate off.
    pub restart: OwnRestartPolicy,
    /// The kill the sync decided in order to restart this container: recorded when the kill starts,
    /// taken by the restart.
    pub kill_for_restart: Option<KillForRestart>,
}

/// Why a start attempt could not get the container's image (images/image_manager.go
/// `EnsureImageExists`, R55): its waiting reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullError {
    /// The pull itself failed.
    ErrImagePull,
    /// The image's pull back-off had not run out: no pull was tried.
    ImagePullBackOff,
    /// The image is not a valid reference: nothing can be pulled, and no back-off applies.
    InvalidImageName,
}

impl PullError {
    pub fn reason(self) -> &'static str {
        match self {
            PullError::ErrImagePull => "ErrImagePull",
            PullError::ImagePullBackOff => "ImagePullBackOff",
            PullError::InvalidImageName => "InvalidImageName",
        }
    }
}

/// A kill the sync decides with a restart in that same sync (probe failure, new image).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KillForRestart {
    /// The kill's rule, which the restart follows (R35, R36, R65).
    pub rule: &'static str,
    /// What `doBackOff` sees in the pod status the sync read before the kill: the killed instance
    /// still ran, so the newest exited instance is the one before it, if any (R53).
    pub previous_finished_at: Option<SimTime>,
    /// The restart's back-off check has read it; a later check reads the newest exit.
    pub backoff_checked: bool,
}

impl Ctr {
    pub fn is_running(&self) -> bool {
        matches!(self.instance, Instance::Running { .. })
    }

    pub fn running_since(&self) -> Option<SimTime> {
        match &self.instance {
            Instance::Running { started_at, .. } => Some(*started_at),
            _ => None,
        }
    }

    pub fn terminated(&self) -> Option<&Termination> {
        match &self.instance {
            Instance::Terminated(t) => Some(t),
            _ => None,
        }
    }

    pub fn image(&self) -> &str {
        self.spec.image.as_deref().unwrap_or("")
    }

    pub fn probe(&self, kind: ProbeKind) -> Option<&ProbeWorker> {
        self.probes.iter().find(|p| p.kind == kind)
    }

    /// `started` as the prober manager computes it: running, postStart returned, and the startup probe
    /// passed or absent (R23).
    pub fn compute_started(&self) -> bool {
        self.is_running()
            && self.post_start_done
            && self
                .probe(ProbeKind::Startup)
                .is_none_or(|p| p.result == ProbeResult::Success)
    }

    /// `ready`: a plain init container once it exited 0; others once started and the readiness probe
    /// (if any) succeeds (R37, R38).
    pub fn compute_ready(&self) -> bool {
        match self.kind {
            ContainerKind::Init => self.terminated().is_some_and(|t| t.exit_code == 0),
            _ => {
                self.compute_started()
                    && self
                        .probe(ProbeKind::Readiness)
                        .is_none_or(|p| p.result == ProbeResult::Success)
            }
        }
    }
}
