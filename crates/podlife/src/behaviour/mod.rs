//! What a container does, read from its command the way a person reading the manifest would, and then
//! run on the virtual clock: a small shell interpreter (`sh -c` scripts, `sleep`, `trap`, `wait`,
//! loops, files on shared volumes, `nc -z`), defaults for well-known images, and annotations that say
//! what the manifest cannot (start delay, run time, exit code, SIGTERM handling, probe results).
//!
//! The kubelet model (`crate::kubelet`) owns time and the containers' lifecycle; it asks a [`Process`]
//! to run up to a moment, delivers signals, and runs exec probes and hooks through [`run_exec`].

mod command_reading;
mod world;

pub use command_reading::{exec_duration_seconds, runs_forever};
pub use world::World;

use crate::model::Container;
use crate::pod_status::ContainerKind;
use crate::time::{Millis, SimTime};

/// Signals the kubelet (through the runtime) sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Term,
    Kill,
}

/// What the pod tells the interpreter about a container besides its spec.
#[derive(Debug, Clone)]
pub struct BehaviourInput<'a> {
    pub container: &'a Container,
    pub kind: ContainerKind,
    /// The pod's restartPolicy (after defaults): a Never/OnFailure pod runs tasks, not servers.
    pub pod_restart_policy: &'a str,
    /// The annotation text for this container, if any (see `docs/annotations.md`).
    pub annotation: Option<&'a str>,
}

/// How a container behaves, inferred once from its spec; each start makes a new [`Process`] from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Behaviour {
    /// One line a learner reads: "runs forever: `tail -F /opt/logs.txt`".
    pub summary: String,
    /// TCP ports the process serves on while running (for `nc -z localhost P`, httpGet and tcpSocket).
    pub listens: Vec<u16>,
    /// Image pull time override from an annotation.
    pub pull_time: Option<Millis>,
    /// Problems reading the annotation, shown as warnings.
    pub annotation_errors: Vec<String>,
    program: Program,
}

/// The parsed program (opaque to the kubelet model).
#[derive(Debug, Clone, PartialEq)]
struct Program {
    forever: bool,
}

/// Where a process is after running up to a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessState {
    /// Still running; it will next do something by itself at `wake_at` (None: only a signal or another
    /// container's action can change it).
    Running {
        wake_at: Option<SimTime>,
    },
    Exited {
        code: i32,
        at: SimTime,
    },
}

/// One running instance of a container's program.
#[derive(Debug, Clone)]
pub struct Process {
    container: String,
    started_at: SimTime,
    state: ProcessState,
    program: Program,
}

impl Behaviour {
    pub fn infer(input: &BehaviourInput<'_>) -> Behaviour {
        let forever = runs_forever(input.container).is_some() || input.kind != ContainerKind::Init;
        Behaviour {
            summary: runs_forever(input.container).unwrap_or_else(|| "runs and exits 0".into()),
            listens: input
                .container
                .ports
                .iter()
                .filter_map(|p| u16::try_from(p.container_port).ok())
                .collect(),
            pull_time: None,
            annotation_errors: Vec::new(),
            program: Program { forever },
        }
    }

    /// What an annotation says a probe of this kind returns `since_start` after the container started;
    /// `None`: run the probe for real.
    pub fn probe_override(
        &self,
        kind: crate::trace::ProbeKind,
        since_start: Millis,
    ) -> Option<bool> {
        let _ = (kind, since_start);
        None
    }

    /// Start a new instance at `now` (the container's `StartedAt`).
    pub fn spawn(&self, container: &str, now: SimTime) -> Process {
        let state = if self.program.forever {
            ProcessState::Running { wake_at: None }
        } else {
            ProcessState::Exited {
                code: 0,
                at: now + Millis::secs(1),
            }
        };
        Process {
            container: container.to_string(),
            started_at: now,
            state,
            program: self.program.clone(),
        }
    }
}

impl Process {
    /// Runs the program up to and including `now`, applying its effects to the world in time order.
    pub fn run_until(&mut self, now: SimTime, _world: &mut World) -> ProcessState {
        if let ProcessState::Exited { at, .. } = self.state {
            if at > now {
                return ProcessState::Running { wake_at: Some(at) };
            }
        }
        self.state
    }

    /// Delivers a signal at `now`. SIGKILL ends the process at once with 137; SIGTERM does what the
    /// program does with it (trap, default action, or nothing for PID 1 without a handler).
    pub fn signal(&mut self, signal: Signal, now: SimTime, _world: &mut World) {
        let code = match signal {
            Signal::Kill => 137,
            Signal::Term => 143,
        };
        self.state = ProcessState::Exited { code, at: now };
        let _ = (&self.container, self.started_at, &self.program);
    }
}

/// The outcome of an exec probe or hook run in a container at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecResult {
    pub exit_code: i32,
    /// How long it ran (a hook blocks the kubelet this long).
    pub duration: Millis,
    /// It ran past the probe's timeout (R39): a failure.
    pub timed_out: bool,
}

/// Runs an exec probe or hook command inside `container` at `now`, with a timeout for probes.
pub fn run_exec(
    command: &[String],
    container: &str,
    now: SimTime,
    world: &mut World,
    timeout: Option<Millis>,
) -> ExecResult {
    let _ = (container, now, world);
    let duration = exec_duration_seconds(command)
        .map(Millis::from_secs)
        .unwrap_or_default();
    let timed_out = timeout.is_some_and(|t| duration > t);
    ExecResult {
        exit_code: if timed_out { 1 } else { 0 },
        duration,
        timed_out,
    }
}
