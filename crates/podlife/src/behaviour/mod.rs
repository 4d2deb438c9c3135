//! What a container does, read from its command the way a person reading the manifest would, and then
//! run on the virtual clock: a small shell interpreter (`sh -c` scripts, `sleep`, `trap`, `wait`,
//! loops, files on shared volumes, `nc -z`), defaults for well-known images, and annotations that say
//! what the manifest cannot (start delay, run time, exit code, SIGTERM handling, probe results).
//!
//! The kubelet model (`crate::kubelet`) owns time and the containers' lifecycle; it asks a [`Process`]
//! to run up to a moment, delivers signals, and runs exec probes and hooks through [`run_exec`].
//!
//! Reading order: `shell_syntax` (the parser) → `shell_steps` (a script as resumable steps) →
//! `process` (jobs, PID 1, signals on the virtual clock; `busy_loop` its compute budget) → `utilities` (what each program does) →
//! `images` (well-known images and servers) → `annotations` → `summary` (the line a learner reads).

mod annotations;
pub mod assumptions;
mod busy_loop;
mod command_reading;
mod dry_runs;
pub(crate) mod exec_programs;
mod images;
mod memory;
pub mod outside_hosts;
mod periodic;
mod process;
mod shell_expansion;
mod shell_regex;
mod shell_steps;
mod shell_syntax;
mod shell_variables;
mod summary;
mod utilities;
mod world;

#[cfg(test)]
mod busy_loop_tests;
#[cfg(test)]
mod dry_runs_tests;
#[cfg(test)]
mod shell_tests;
#[cfg(test)]
mod tests;

use std::sync::Arc;

pub use annotations::{
    behaviour_annotation, parse_service_annotation, service_annotations,
    stray_behaviour_annotations, BEHAVIOUR_ANNOTATION_PREFIX, SCENARIO_ANNOTATION,
    SERVICE_ANNOTATION_PREFIX,
};
pub use assumptions::{Assumption, ContainerAssumption};
pub(crate) use command_reading::exec_duration_within;
pub use command_reading::{assumed_listening, exec_duration, exec_duration_seconds, runs_forever};
pub use dry_runs::DryRuns;
pub(crate) use images::probe_succeeds as http_probe_succeeds;
pub(crate) use memory::bytes_text;
pub use process::Process;
pub use world::{FileEntry, FileKey, Follower, FsError, SignalRequest, World};

use crate::model::{Container, IntOrString, Probe};
use crate::pod_status::ContainerKind;
use crate::time::{Millis, SimTime};
use crate::trace::ProbeKind;
use crate::word_list;

use annotations::{parse_behaviour, Overrides};
use exec_programs::ExecScript;
use images::{ImageDefault, Server};
use process::Program;
use shell_steps::{Flavour, Script};

/// The hostname of a container read outside a pod (and, for now, of an exec session).
const NO_HOSTNAME: &str = "pod";

/// The longest an exec hook is run for; a hook still running then never returns.
pub const EXEC_NEVER_RETURNS: Millis = Millis(3_600_000);

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
    /// The pod's index in an Indexed Job: the Job controller gives it to every container as
    /// `JOB_COMPLETION_INDEX` (pkg/controller/job/indexed_job_utils.go `addCompletionIndexEnvVariable`).
    pub job_completion_index: Option<u32>,
    /// The pod's hostname (`$HOSTNAME`, `hostname`): its name, `<statefulset>-0` for a StatefulSet's
    /// first pod; `None` for a container read outside a pod (`pod`).
    pub hostname: Option<&'a str>,
}

/// How a container behaves, inferred once from its spec; each start makes a new [`Process`] from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Behaviour {
    /// One line a learner reads: "runs forever: `tail -F /opt/logs.txt`".
    pub summary: String,
    /// TCP ports the process serves on while running (for `nc -z localhost P`, httpGet and tcpSocket).
    pub listens: Vec<u16>,
    /// Those of `listens` that are only assumed: an unknown program is taken to serve its declared
    /// containerPorts and the ports its probes use (R104; the `listens` annotation replaces this).
    pub assumed_ports: Vec<u16>,
    /// Image pull time override from an annotation.
    pub pull_time: Option<Millis>,
    /// Problems reading the annotation, shown as warnings.
    pub annotation_errors: Vec<String>,
    /// What the container does with SIGTERM, in one line ("SIGTERM: ignored: PID 1 (`sh`) has no
    /// handler; SIGKILL at the deadline (137)").
    pub on_sigterm: String,
    /// Image pulls fail (`ErrImagePull`) until this moment of the pod's life; `SimTime(u64::MAX)`:
    /// always (annotation `pull=fail` / `pull=fail-until=60s`).
    pub pull_fails_until: Option<SimTime>,
    /// Time from start until it listens (a server's start-up time or the `start-delay` annotation).
    pub listens_after: Millis,
    /// Why it runs until stopped, when it does by itself (not by assumption): "`tail -F ...` follows a
    /// file forever".
    pub forever: Option<String>,
    /// How its program answers httpGet requests, when podlife has read that program's handlers
    /// (agnhost `liveness`: `/healthz` 200 for 10 s, then 500).
    pub(crate) http: images::Http,
    /// What podlife assumed about the program (an unknown program's fate, ports taken as listening).
    pub assumptions: Vec<Assumption>,
    /// The hosts outside the pod its command contacts (`nslookup myservice`, `nc -z db 5432`).
    pub outside_hosts: Vec<String>,
    program: Program,
}

/// What a container knows about itself, for its processes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    pub kind: ContainerKind,
    pub hostname: String,
    /// restartPolicy Never/OnFailure: unknown programs are tasks that end.
    pub job_like: bool,
    pub image: String,
    pub declared_ports: Vec<u16>,
    pub probe_ports: Vec<u16>,
    /// `resources.limits.memory` in bytes: over it, the container is OOM-killed (R105).
    pub memory_limit: Option<u64>,
    pub overrides: Overrides,
    /// Environment variables podlife knows the container has (`JOB_COMPLETION_INDEX`).
    pub env: Vec<(String, String)>,
}

/// Where the program came from, for the summary.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Origin {
    /// `sh -c SCRIPT` (the script).
    Script(String),
    /// A program and its arguments.
    Argv(String),
    /// The image's default command runs a known server.
    ImageServer(&'static Server),
    /// The image's default command exits at once: (code, why).
    ImageExits(i32, &'static str),
    /// The image's default command is unknown.
    ImageUnknown(String),
    /// A script podlife cannot read: (why, text).
    Unreadable(String, String),
}

fn port_number(port: &IntOrString, c: &Container) -> Option<u16> {
    match port {
        IntOrString::Int(p) => u16::try_from(*p).ok(),
        IntOrString::Str(name) => c
            .ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name))
            .and_then(|p| u16::try_from(p.container_port).ok()),
    }
}

fn probe_ports(c: &Container) -> Vec<u16> {
    let probes: [&Option<Probe>; 3] = [&c.startup_probe, &c.readiness_probe, &c.liveness_probe];
    let mut out = Vec::new();
    for p in probes.into_iter().flatten() {
        let port = p
            .http_get
            .as_ref()
            .and_then(|h| h.port.as_ref())
            .or_else(|| p.tcp_socket.as_ref().and_then(|t| t.port.as_ref()))
            .and_then(|port| port_number(port, c))
            .or_else(|| {
                p.grpc
                    .as_ref()
                    .and_then(|g| g.port)
                    .and_then(|p| u16::try_from(p).ok())
            });
        if let Some(port) = port.filter(|p| *p > 0) {
            if !out.contains(&port) {
                out.push(port);
            }
        }
    }
    out
}

/// The shell and script of `sh -c SCRIPT` (also `-ec`, `-xc`, `bash -c`, `/bin/sh -c`).
pub(crate) fn shell_script(argv: &[String]) -> Option<(Flavour, String)> {
    let first = argv.first()?;
    let shell = first.rsplit('/').next().unwrap_or(first);
    let flavour = match shell {
        s if word_list::contains("sh ash dash ksh zsh", s) => Flavour::Sh,
        "bash" => Flavour::Bash,
        _ => return None,
    };
    let pos = argv
        .iter()
        .skip(1)
        .position(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('c'))?;
    let script = argv.get(pos + 2)?;
    Some((flavour, script.clone()))
}

/// `pilot-agent`'s subcommands other than `proxy` (the server itself): `wait` (Istio's
/// `holdApplicationUntilProxyStarts` postStart hook, R90) polls the proxy's readiness port 15021 every
/// 0.5 s until it answers and gives up after `--timeoutSeconds` (60 s by default); `istio-iptables` and the
/// other one-off subcommands set things up and exit 0. Written as scripts the interpreter runs.
fn pilot_agent_subcommand(argv: &[String]) -> Option<String> {
    let program = argv.first()?.rsplit('/').next()?;
    if program != "pilot-agent" {
        return None;
    }
    match argv.get(1).map(String::as_str) {
        None | Some("proxy") => None,
        Some("wait") => {
            let timeout = argv
                .iter()
                .find_map(|a| {
                    a.strip_prefix("--timeoutSeconds=")
                        .and_then(|t| t.parse::<u32>().ok())
                })
                .unwrap_or(60);
            Some(format!(
                "i=0; until nc -z localhost 15021; do sleep 0.5; i=$((i+1)); [ $i -ge {} ] && exit 1; done; exit 0",
                timeout * 2
            ))
        }
        Some(_) => Some("exit 0".into()),
    }
}

/// `agnhost SUB` for a subcommand podlife has not read: an unknown program, named with its
/// subcommand (images/agnhost.rs lists the ones it has read).
fn unread_agnhost_subcommand(argv: &[String]) -> Option<(Script, Origin)> {
    let program = argv.first()?.rsplit('/').next()?;
    if !word_list::contains("agnhost agnhost-2", program) {
        return None;
    }
    let name = images::agnhost_subcommand(argv.get(1..).unwrap_or_default()).err()?;
    let text = argv.join(" ");
    let script = Script::unknown_program(&format!("agnhost {name}"), &text);
    Some((script, Origin::Argv(text)))
}

/// How the container's program answers httpGet requests, read from the command line its spec or its
/// image runs (`images::http_of`); `Unread` when a shell script or an unknown program runs.
fn http_answers(c: &Container) -> images::Http {
    let image = c.image.as_deref().unwrap_or_default();
    let argv: Vec<String> = if !c.command.is_empty() {
        c.command.iter().chain(&c.args).cloned().collect()
    } else if !c.args.is_empty() && images::args_are_the_command(image, &c.args) {
        c.args.clone()
    } else if let Some(server) = images::server_of_image(image) {
        let args = if c.args.is_empty() {
            images::default_args(server)
        } else {
            c.args.clone()
        };
        server
            .first_program()
            .map(String::from)
            .into_iter()
            .chain(args)
            .collect()
    } else {
        return images::Http::Unread;
    };
    images::http_of(&argv)
}

/// The script a command line runs, and where it came from.
pub(crate) fn program_of_argv(argv: &[String]) -> (Script, Origin) {
    if let Some(read) = unread_agnhost_subcommand(argv) {
        return read;
    }
    if let Some(script) = pilot_agent_subcommand(argv) {
        if let Ok(compiled) = Script::compile(&script, Flavour::Sh) {
            return (compiled, Origin::Script(argv.join(" ")));
        }
    }
    match shell_script(argv) {
        Some((flavour, text)) => match Script::compile(&text, flavour) {
            Ok(script) => (script, Origin::Script(text)),
            Err(e) => {
                let why = format!("{} at character {}", e.message, e.at);
                let script = Script::unknown_program(&argv[0], &text);
                (script, Origin::Unreadable(why, text))
            }
        },
        None => (Script::argv(argv), Origin::Argv(quoted_argv(argv))),
    }
}

/// The argv as a person would type it at a shell: an argument with spaces, quotes or other characters
/// the shell reads is single-quoted (`python3 -c 'print(1); exit(2)'`), or double-quoted when it holds a single quote
/// and nothing a double quote would expand (`python3 -c "print('hi')"`), so the line a learner reads can
/// be pasted back.
fn quoted_argv(argv: &[String]) -> String {
    let plain = |a: &str| {
        !a.is_empty()
            && a.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,@%+".contains(&b))
    };
    argv.iter()
        .map(|a| {
            if plain(a) {
                a.clone()
            } else if !a.contains('\'') {
                format!("'{a}'")
            } else if !a.contains(['"', '$', '`', '\\']) {
                format!("\"{a}\"")
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a container runs: its command and args, or its image's entrypoint and command.
fn program_of(c: &Container) -> (Script, Origin) {
    let image = c.image.clone().unwrap_or_default();
    if !c.command.is_empty() {
        let argv: Vec<String> = c.command.iter().chain(&c.args).cloned().collect();
        return program_of_argv(&argv);
    }
    if !c.args.is_empty() {
        if images::args_are_the_command(&image, &c.args) {
            return program_of_argv(&c.args);
        }
        let entry = match (
            images::tool_entrypoint(&image),
            images::server_of_image(&image),
        ) {
            (Some(tool), _) => tool.to_string(),
            (None, Some(server)) => server.first_program().unwrap_or(server.name).to_string(),
            (None, None) => {
                let name = images::image_name(&image).to_string();
                let text = format!("{name} {}", c.args.join(" "));
                let script = Script::unknown_program(&name, &text);
                return (script, Origin::ImageUnknown(image));
            }
        };
        let argv: Vec<String> = std::iter::once(entry)
            .chain(c.args.iter().cloned())
            .collect();
        return program_of_argv(&argv);
    }
    match images::image_default(&image) {
        ImageDefault::Server(server) => {
            let program = server.first_program().unwrap_or(server.name);
            let argv: Vec<String> = std::iter::once(program.to_string())
                .chain(images::default_args(server))
                .collect();
            (Script::argv(&argv), Origin::ImageServer(server))
        }
        ImageDefault::Exits(code, why) => {
            let script = Script::compile(&format!("exit {code}"), Flavour::Sh)
                .unwrap_or_else(|_| Script::argv(&["true".to_string()]));
            (script, Origin::ImageExits(code, why))
        }
        ImageDefault::Entrypoint(program) => program_of_argv(&[program.to_string()]),
        ImageDefault::Unknown => {
            let name = images::image_name(&image).to_string();
            let script = Script::unknown_program(&name, &name);
            (script, Origin::ImageUnknown(image))
        }
    }
}

impl Behaviour {
    /// The container's behaviour, read by dry runs of its own (a call of the core asks its
    /// [`DryRuns`] instead, to share their budget and infer each container once).
    pub fn infer(input: &BehaviourInput<'_>) -> Behaviour {
        Behaviour::infer_within(input, &mut DryRuns::new())
    }

    fn infer_within(input: &BehaviourInput<'_>, dry_runs: &mut DryRuns) -> Behaviour {
        let c = input.container;
        let (overrides, annotation_errors) = match input.annotation {
            Some(text) => parse_behaviour(text),
            None => (Overrides::default(), Vec::new()),
        };
        let declared_ports: Vec<u16> = c
            .ports
            .iter()
            .filter_map(|p| u16::try_from(p.container_port).ok())
            .filter(|p| *p > 0)
            .collect();
        let mut config = Config {
            kind: input.kind,
            hostname: input.hostname.unwrap_or(NO_HOSTNAME).to_string(),
            job_like: matches!(input.pod_restart_policy, "Never" | "OnFailure"),
            image: c.image.clone().unwrap_or_default(),
            declared_ports,
            probe_ports: probe_ports(c),
            memory_limit: memory::memory_limit(c),
            overrides,
            env: input
                .job_completion_index
                .map(|i| ("JOB_COMPLETION_INDEX".to_string(), i.to_string()))
                .into_iter()
                .collect(),
        };
        let (script, origin) = program_of(c);
        let script = Arc::new(script);
        let program = Program {
            script: script.clone(),
            config: Arc::new(config.clone()),
        };
        let mut reading = summary::read(&program, &origin, c, dry_runs);
        // `run=N` says how long the container runs: a program that would end sooner (an image whose
        // default command exits at once) is kept alive until then.
        let (mut script, mut origin) = (script, origin);
        if let (Some(run), Some((_, ends))) = (config.overrides.run, reading.exit) {
            if ends < run {
                let keep_alive = [String::from("sleep"), String::from("infinity")];
                let (s, o) = program_of_argv(&keep_alive);
                script = Arc::new(s);
                origin = o;
                let program = Program {
                    script: script.clone(),
                    config: Arc::new(config.clone()),
                };
                reading = summary::read(&program, &origin, c, dry_runs);
            }
        }
        // `exit=N` alone on a program that never ends: it ends at once (after any start delay).
        if config.overrides.exit.is_some()
            && config.overrides.run.is_none()
            && reading.exit.is_none()
        {
            config.overrides.run = Some(config.overrides.start_delay.unwrap_or(Millis(0)));
        }
        let program = Program {
            script,
            config: Arc::new(config.clone()),
        };
        let o = &config.overrides;
        let (summary, on_sigterm) = if o == &Overrides::default() {
            (reading.summary, reading.on_sigterm)
        } else {
            let again = summary::read(&program, &origin, c, dry_runs);
            (again.summary, again.on_sigterm)
        };
        // An image no runtime can get never runs, whatever its command would do.
        let summary = crate::image_reference::why_it_never_runs(&config.image).unwrap_or(summary);
        let assumed_ports = match &o.listens {
            Some(_) => Vec::new(),
            None => reading.assumed_ports,
        };
        let mut assumptions = Vec::new();
        // `run=`/`exit=` say what the program does: then nothing about its fate is assumed.
        if o.run.is_none() && o.exit.is_none() {
            assumptions.extend(
                reading
                    .unknown_programs
                    .iter()
                    .map(|p| assumptions::unknown_program(p, config.kind, config.job_like)),
            );
        }
        if let Some(phrase) = reading.busy_loop {
            assumptions.push(Assumption::LoopFastForwarded {
                what: phrase.to_string(),
            });
        }
        if !assumed_ports.is_empty() {
            assumptions.push(Assumption::ListensOn {
                ports: assumed_ports.clone(),
            });
        }
        Behaviour {
            summary,
            assumed_ports,
            listens: o.listens.clone().unwrap_or(reading.ports),
            pull_time: o.pull,
            annotation_errors,
            on_sigterm,
            pull_fails_until: o.pull_fails_until,
            listens_after: o.start_delay.unwrap_or(reading.listens_after),
            forever: reading.forever,
            http: http_answers(c),
            assumptions,
            outside_hosts: reading.outside_hosts,
            program,
        }
    }

    /// Start a new instance at `now` (the container's `StartedAt`).
    pub fn spawn(&self, container: &str, now: SimTime) -> Process {
        Process::new(container, now, self.program.clone())
    }

    /// The status its program answers an httpGet request for `path` with, `since_start` after the
    /// container started; `None` when podlife has not read the program's answers.
    pub(crate) fn http_status(&self, path: &str, since_start: Millis) -> Option<u16> {
        self.http.status(path, since_start)
    }

    /// What the annotation says a probe answers `since_start` after the container started: `None`
    /// when it says nothing, and the probe's own handler decides.
    pub fn probe_override(&self, probe: ProbeKind, since_start: Millis) -> Option<bool> {
        self.probe_answer(probe).map(|a| a.at(since_start))
    }

    /// What the annotation says about a probe, for messages ("fails until 10 s, then succeeds").
    pub fn probe_override_text(&self, probe: ProbeKind) -> Option<String> {
        self.probe_answer(probe).map(|a| a.describe())
    }

    fn probe_answer(&self, probe: ProbeKind) -> Option<annotations::ProbeAnswer> {
        let o = &self.program.config.overrides;
        match probe {
            ProbeKind::Startup => o.startup,
            ProbeKind::Readiness => o.readiness,
            ProbeKind::Liveness => o.liveness,
        }
    }
}

/// The outcome of an exec probe or hook run in a container at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecResult {
    pub exit_code: i32,
    /// How long it ran (a hook blocks the kubelet this long).
    pub duration: Millis,
    /// It ran past the probe's timeout (R39): a failure.
    pub timed_out: bool,
    /// What it wrote to its stdout and stderr, lines joined with `\n` (the kubelet's probe output, R103).
    pub output: String,
    /// It was a busy loop podlife skipped ahead of: the phrase that says so.
    pub busy_loop: Option<&'static str>,
}

impl ExecResult {
    /// Exit code 0 within the timeout.
    pub fn succeeded(&self) -> bool {
        self.exit_code == 0 && !self.timed_out
    }

    /// A hook that was still running after [`EXEC_NEVER_RETURNS`].
    pub fn never_returned(&self) -> bool {
        !self.timed_out && self.duration >= EXEC_NEVER_RETURNS
    }
}

/// The program of an exec probe or hook: `script` (read once per call, `exec_programs`) in `container`.
fn exec_program(script: Arc<Script>, container: &str, world: &World) -> Program {
    let config = Config {
        kind: ContainerKind::Regular,
        hostname: NO_HOSTNAME.to_string(),
        job_like: false,
        image: world.images.get(container).cloned().unwrap_or_default(),
        declared_ports: Vec::new(),
        probe_ports: Vec::new(),
        memory_limit: None,
        overrides: Overrides::default(),
        env: Vec::new(),
    };
    Program {
        script,
        config: Arc::new(config),
    }
}

/// Runs an exec probe or hook command inside `container` at `now`, with a timeout for probes. It sees
/// the container's files and the pod's network; it runs on the virtual clock (`sleep 5` takes 5 s) to
/// completion, or until the timeout (R39: a command that has not finished when `timeout` has passed
/// fails, `timed_out`). Its effects are applied to the world at once, each stamped with its own moment
/// (a file it makes after 3 s exists from `now + 3 s`).
pub fn run_exec(
    command: &[String],
    container: &str,
    now: SimTime,
    world: &mut World,
    timeout: Option<Millis>,
) -> ExecResult {
    let read = world.exec_programs.of(command);
    run_read_exec(&read, container, now, world, timeout)
}

/// [`run_exec`] of a command already read: a probe worker keeps its command's script, so a run does
/// not even compare the command's words with the ones read (a script of kilobytes, every second).
pub(crate) fn run_read_exec(
    read: &ExecScript,
    container: &str,
    now: SimTime,
    world: &mut World,
    timeout: Option<Millis>,
) -> ExecResult {
    let Some(script) = &read.script else {
        return ExecResult {
            exit_code: 126,
            duration: Millis(0),
            timed_out: false,
            output: String::new(),
            busy_loop: None,
        };
    };
    world.exec_runs += 1;
    let saved = world
        .exec_output
        .replace((container.to_string(), Vec::new()));
    let program = exec_program(Arc::clone(script), container, world);
    let (mut result, busy_loop) =
        run_exec_session(program, read.endless_loop, container, now, world, timeout);
    result.busy_loop = busy_loop.map(busy_loop::BusyLoop::phrase);
    if let Some((_, lines)) = std::mem::replace(&mut world.exec_output, saved) {
        result.output = lines.join("\n");
    }
    result
}

/// [`run_exec`] once its output is being captured, with the busy loop it was, if any.
fn run_exec_session(
    program: Program,
    endless_loop: bool,
    container: &str,
    now: SimTime,
    world: &mut World,
    timeout: Option<Millis>,
) -> (ExecResult, Option<busy_loop::BusyLoop>) {
    let mut process = Process::for_exec(container, now, program);
    if timeout.is_none() && endless_loop {
        // A hook made of an endless loop never returns: a few rounds give its effects.
        let mut t = now;
        for _ in 0..16 {
            match process.run_until(t, world) {
                ProcessState::Running { wake_at: Some(w) } => t = w,
                _ => break,
            }
        }
        if let ProcessState::Running { .. } = process.run_until(t, world) {
            process.signal(Signal::Kill, t, world);
            let result = ExecResult {
                exit_code: 0,
                duration: EXEC_NEVER_RETURNS,
                timed_out: false,
                output: String::new(),
                busy_loop: None,
            };
            return (result, process.busy_loop.map(|(_, b)| b));
        }
    }
    let limit = now + timeout.unwrap_or(EXEC_NEVER_RETURNS);
    let state = process.run_until(limit, world);
    let result = match state {
        ProcessState::Exited { code, at } => {
            let duration = at.since(now);
            // A command that needs all of its timeout has not finished within it.
            let timed_out = timeout.is_some_and(|t| duration >= t && t.0 > 0);
            ExecResult {
                exit_code: if timed_out { 1 } else { code },
                duration: if timed_out {
                    timeout.unwrap_or(duration)
                } else {
                    duration
                },
                timed_out,
                output: String::new(),
                busy_loop: None,
            }
        }
        ProcessState::Running { .. } => match timeout {
            Some(t) => ExecResult {
                exit_code: 1,
                duration: t,
                timed_out: true,
                output: String::new(),
                busy_loop: None,
            },
            None => ExecResult {
                exit_code: 0,
                duration: EXEC_NEVER_RETURNS,
                timed_out: false,
                output: String::new(),
                busy_loop: None,
            },
        },
    };
    // Whatever it left running goes away with the exec session.
    process.signal(Signal::Kill, limit.min(now + result.duration), world);
    (result, process.busy_loop.map(|(_, b)| b))
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
