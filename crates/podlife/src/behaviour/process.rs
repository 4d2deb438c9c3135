//! A container's processes on the virtual clock, as the kernel and a POSIX shell (dash, busybox ash) run
//! them: PID 1 and the jobs it starts (`cmd &`, `( ... )`, the commands of a pipeline), each taking the
//! steps of its script until a program makes it wait (`sleep`, `tail -f`, a server, `wait`). Signals
//! follow the kernel's rule for PID 1 (a signal it has no handler for is dropped; SIGKILL from outside
//! always kills) and dash's rule for traps (the handler runs once the foreground command returns, at
//! once when the shell is in `wait`, which then returns 128+N).

use crate::sorted_map::SortedMap;
use crate::word_list;
use std::borrow::Cow;
use std::cell::Cell;
use std::sync::Arc;

use super::annotations::SigtermOverride;
use super::busy_loop::{self, BusyLoop, Pace, Spin};
use super::images::OnTerm;
use super::shell_expansion::{arith, arith_work, expand, expand_inline, expand_one, Env};
use super::shell_steps::{Flavour, Script, Step, UnknownProgram};
use super::shell_syntax::{RedirOp, Simple};
use super::utilities::{self, Child, ChildKind, Ctx, Out, Ran};
use super::world::{normalise, World};
use super::{Config, ProcessState, Signal};
use crate::time::{Millis, SimTime};
use fingerprint::Fingerprint;

mod builtins;
mod fingerprint;
mod functions;
mod periodic;
mod recursion;
mod wrappers;

/// More live jobs than this and a fork cannot be had: the script forks faster than its jobs end
/// (`Machine::forks_without_end`).
const MAX_JOBS: usize = 256;
/// More live jobs than this and a job sent to the background (`cmd &`) cannot be had. A loop that
/// backgrounds a job each round (`while true; do sleep 1 & done`) shows what it does with 32 as well
/// as with thousands, and each costs a copy of its parent's state: a pod of 200 such containers, at 256
/// each, was three times over the bound. Subshells and pipelines, which wait for their children, keep
/// [`MAX_JOBS`]: a recursion through `( … )` nests as deep as a function's does.
const MAX_BACKGROUND_JOBS: usize = 32;
/// The same for an exec probe or hook, which the kubelet may run thousands of times a run: a real one
/// starts a pipeline or two, and one that forks without end does so until its timeout either way.
const MAX_EXEC_JOBS: usize = 32;
/// A guard for one call: past it the process yields and reports its next moment (the compute budget of
/// `busy_loop` keeps real runs far below it).
const MAX_EVENTS_PER_CALL: u64 = 500_000;
/// What a process records for summaries (the first moments are enough).
const RECORDED: usize = 256;
/// The shortest sleep (a `sleep 0.001` loop still costs a fork).
const MIN_SLEEP: Millis = Millis(10);

/// The program a container runs: its script and what it knows about the container.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Program {
    pub script: Arc<Script>,
    pub config: Arc<Config>,
}

/// The signals a script can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Sig {
    Exit,
    Hup,
    Int,
    Quit,
    Kill,
    Usr1,
    Usr2,
    Pipe,
    Alrm,
    Term,
    Chld,
}

impl Sig {
    const ALL: [Sig; 11] = [
        Sig::Exit,
        Sig::Hup,
        Sig::Int,
        Sig::Quit,
        Sig::Kill,
        Sig::Usr1,
        Sig::Usr2,
        Sig::Pipe,
        Sig::Alrm,
        Sig::Term,
        Sig::Chld,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Sig::Exit => "EXIT",
            Sig::Hup => "HUP",
            Sig::Int => "INT",
            Sig::Quit => "QUIT",
            Sig::Kill => "KILL",
            Sig::Usr1 => "USR1",
            Sig::Usr2 => "USR2",
            Sig::Pipe => "PIPE",
            Sig::Alrm => "ALRM",
            Sig::Term => "TERM",
            Sig::Chld => "CHLD",
        }
    }

    pub fn number(self) -> i32 {
        match self {
            Sig::Exit => 0,
            Sig::Hup => 1,
            Sig::Int => 2,
            Sig::Quit => 3,
            Sig::Kill => 9,
            Sig::Usr1 => 10,
            Sig::Usr2 => 12,
            Sig::Pipe => 13,
            Sig::Alrm => 14,
            Sig::Term => 15,
            Sig::Chld => 17,
        }
    }

    /// `TERM`, `SIGTERM`, `15`, `term`, `-TERM`.
    pub fn parse(text: &str) -> Option<Sig> {
        let upper = text.trim_start_matches('-').to_ascii_uppercase();
        let t = upper.strip_prefix("SIG").unwrap_or(&upper);
        // By name or by number, each list in the order of `Sig::ALL`.
        let i = word_list::position("EXIT HUP INT QUIT KILL USR1 USR2 PIPE ALRM TERM CHLD", t)
            .or_else(|| word_list::position("0 1 2 3 9 10 12 13 14 15 17", t))?;
        Some(Sig::ALL[i])
    }
}

#[derive(Debug, Clone)]
enum Input {
    /// Lines and how many of them were read. Shared: every command of a `while read` loop's body
    /// copies its job's redirections, and a copy of the lines each time made n lines cost n².
    Lines(Arc<[String]>, usize),
    Pipe(usize),
}

/// The same lines are most often the same allocation (the busy-loop watch compares a job's state at
/// every step): that is looked at before the lines themselves.
impl PartialEq for Input {
    fn eq(&self, other: &Input) -> bool {
        match (self, other) {
            (Input::Lines(a, i), Input::Lines(b, j)) => i == j && (Arc::ptr_eq(a, b) || a == b),
            (Input::Pipe(a), Input::Pipe(b)) => a == b,
            _ => false,
        }
    }
}

/// Where a job's standard output goes and where its input comes from.
#[derive(Debug, Clone, PartialEq)]
struct Io {
    out: Out,
    input: Option<Input>,
}

#[derive(Debug, Clone)]
enum JobState {
    Ready,
    Child(Box<Child>),
    /// In `wait`: for every background job (`None`) or for these.
    Wait(Option<Vec<u32>>),
    /// Waiting for a subshell or the commands of a pipeline (the last one's status counts), and the
    /// pipes to free after.
    Join(Vec<u32>, Vec<usize>),
    /// A busy loop podlife skips ahead of: it runs until stopped, looked at again at `check_at` (a loop
    /// that repeats may be waiting for the world to change), after `checks` looks.
    Spinning {
        busy: BusyLoop,
        check_at: Option<SimTime>,
        checks: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Frame {
    script: usize,
    block: usize,
    pc: usize,
    /// A trap handler's frame, with the `$?` to restore.
    trap: Option<i32>,
    exit_trap: bool,
    /// A function's frame, with what to restore when it returns.
    call: Option<Box<functions::Call>>,
}

#[derive(Debug, Clone)]
struct Job {
    parent: Option<u32>,
    background: bool,
    frames: Vec<Frame>,
    status: i32,
    vars: SortedMap<String, String>,
    cwd: String,
    /// The word lists of the `for`s it is in (shared: the busy-loop watch copies the job's state every
    /// step, and a `for` over `$(seq 1 100000)` must not be copied with it), and where each is.
    fors: Vec<(Arc<[String]>, usize)>,
    io: Vec<Io>,
    state: JobState,
    /// A shell interpreting steps; false once `exec` (or the last command of `sh -c`) replaced it.
    shell: bool,
    /// The kernel's PID 1: drops signals it has no handler for.
    init: bool,
    errexit: bool,
    /// Signal → handler script (`None`: ignored with `trap '' SIG`).
    traps: SortedMap<Sig, Option<usize>>,
    /// Function name → its body: (script, block).
    functions: SortedMap<String, (usize, usize)>,
    pending: Vec<Sig>,
    /// Running the EXIT trap before exiting with this status.
    exiting: Option<i32>,
    last_bg: Option<u32>,
    /// Background jobs in start order (`%1`, `%2`).
    bg: Vec<u32>,
    reaped: SortedMap<u32, i32>,
    spin: Spin<Fingerprint>,
    /// A command's output or an expansion grew past what a job may hold (`shell_expansion::Overgrown`):
    /// the job has spent its budget building it.
    overgrown: Cell<bool>,
    /// Steps' worth of arithmetic the step being taken parsed (`shell_expansion::arith_work`).
    arith_work: Cell<u64>,
    /// Looks podlife took at this job's busy loop since it last blocked.
    busy_looks: u32,
    deadline: Option<(SimTime, i32)>,
    /// Commands it ran that could read or change the world (`recursion`).
    effects: u64,
    /// Frames of the shells it was forked from: a fork copies the stack, so a function that calls
    /// itself in the background or in a pipeline nests deeper in every child (`recursion`).
    forked_at_depth: usize,
    /// Its `sleep` just ended: its next steps are a round of its loop (`periodic`).
    woke_from_sleep: bool,
    /// Its last rounds, watched for one that repeats (boxed once it first sleeps: a job is moved at
    /// every step).
    rounds: Option<Box<periodic::RoundWatch>>,
}

/// A simple command ready to run: its fields after expansion (wrappers such as `nohup` or `timeout`
/// dropped), its assignments, its io, and how it relates to the shell running it.
struct Invocation {
    argv: Vec<String>,
    assigns: Vec<(String, String)>,
    io: Io,
    /// `exec CMD`: the program replaces the shell, its status is the job's.
    exec: bool,
    /// The shell is gone once the program starts (`exec`, or the last command of `sh -c`).
    replaces_shell: bool,
    /// `timeout D`: the program is stopped after D with this status.
    deadline: Option<(Millis, i32)>,
    errexit: bool,
}

enum Flow {
    Continue,
    Block,
    Finish(i32),
}

#[derive(Debug, Clone, Copy)]
enum Event {
    RunExit,
    OutOfMemory,
    TermExit,
    AnnotatedUp,
    Requests,
    Up(u32),
    ChildEnd(u32),
    ChildOutput(u32),
    Deadline(u32),
    Resume(u32),
    Step(u32),
}

/// What a started program was, for summaries: (when, command line, kind, assumption, job).
pub(crate) type Started = (SimTime, String, ChildKind, Option<String>, u32);

/// One running instance of a container's program (boxed: the kubelet keeps one per container).
#[derive(Debug, Clone)]
pub struct Process(Box<Machine>);

/// The inside of a [`Process`].
#[derive(Debug, Clone)]
pub struct Machine {
    container: String,
    started_at: SimTime,
    program: Program,
    /// `[0]` is the program's script; trap handlers, `eval` and nested `sh -c` scripts follow.
    scripts: Vec<Arc<Script>>,
    /// Boxed: the job a step runs is taken out of the map and put back, and a fork loop's hundreds of
    /// jobs would otherwise be shifted whole every step.
    jobs: SortedMap<u32, Box<Job>>,
    next_pid: u32,
    pipes: SortedMap<usize, Vec<String>>,
    next_pipe: usize,
    clock: SimTime,
    fresh: bool,
    exit: Option<(i32, SimTime)>,
    /// Ports this process registered in the world.
    ports: Vec<u16>,
    run_exit: Option<(SimTime, i32)>,
    term_exit: Option<(SimTime, i32)>,
    annotated_up: Option<SimTime>,
    exec_context: bool,
    /// Network checks the script made: (host, port, answered).
    pub(crate) checks: Vec<(String, Option<u16>, bool, SimTime)>,
    /// When something of this process first listened.
    first_up: Option<SimTime>,
    /// Finished jobs whose parent has not taken their status yet: (parent, job, status).
    reaps: Vec<(u32, u32, i32)>,
    /// Programs started, in order.
    pub(crate) started: Vec<Started>,
    /// Files written: (path, when).
    pub(crate) writes: Vec<(String, SimTime)>,
    /// The process got SIGTERM at this moment.
    pub(crate) term_at: Option<SimTime>,
    /// The memory cgroup's OOM killer ended it, using this many bytes (R105).
    oom_killed: Option<u64>,
    /// Steps its jobs took, against [`busy_loop::STEPS_PER_RUN`] plus a margin for each trapped signal.
    steps: u64,
    steps_allowed: u64,
    /// Steps a trapped signal's handler may take past the pod's spent budget (until `steps` reaches it).
    trap_steps_until: u64,
    /// The first busy loop podlife skipped ahead of: when, and what it was.
    pub(crate) busy_loop: Option<(SimTime, BusyLoop)>,
}

fn new_job(parent: Option<u32>, frames: Vec<Frame>, vars: SortedMap<String, String>) -> Job {
    Job {
        parent,
        background: false,
        frames,
        status: 0,
        vars,
        cwd: "/".into(),
        fors: Vec::new(),
        io: vec![Io {
            out: Out::Log,
            input: None,
        }],
        state: JobState::Ready,
        shell: true,
        init: false,
        errexit: false,
        traps: SortedMap::new(),
        functions: SortedMap::new(),
        pending: Vec::new(),
        exiting: None,
        last_bg: None,
        bg: Vec::new(),
        reaped: SortedMap::new(),
        spin: Spin::new(),
        overgrown: Cell::new(false),
        arith_work: Cell::new(0),
        busy_looks: 0,
        effects: 0,
        forked_at_depth: 0,
        deadline: None,
        woke_from_sleep: false,
        rounds: None,
    }
}

fn frame(script: usize, block: usize) -> Frame {
    Frame {
        script,
        block,
        pc: 0,
        trap: None,
        exit_trap: false,
        call: None,
    }
}

impl Process {
    pub(crate) fn new(container: &str, now: SimTime, program: Program) -> Process {
        Process(Box::new(Machine::new(container, now, program)))
    }

    /// A command run by the kubelet inside a running container (exec probe or hook): not PID 1, and
    /// unknown programs succeed at once.
    pub(crate) fn for_exec(container: &str, now: SimTime, program: Program) -> Process {
        Process(Box::new(Machine::for_exec(container, now, program)))
    }

    pub fn container(&self) -> &str {
        &self.0.container
    }

    /// The instance is created: its writable layer starts empty and nothing of the old instance
    /// listens or follows any more. Done at creation, not at its first step, so that a postStart hook
    /// run at the same moment writes into this instance's files and keeps what it wrote (R28).
    pub fn begin_instance(&mut self, world: &mut World) {
        self.0.begin_instance(world)
    }

    pub fn started_at(&self) -> SimTime {
        self.0.started_at
    }

    /// Runs the program up to and including `now`, applying its effects to the world in time order.
    pub fn run_until(&mut self, now: SimTime, world: &mut World) -> ProcessState {
        self.0.run_until(now, world)
    }

    /// Delivers a signal at `now`. SIGKILL ends the process at once with 137; SIGTERM does what the
    /// program does with it (trap, handler, default action, or nothing for PID 1 without a handler).
    pub fn signal(&mut self, signal: Signal, now: SimTime, world: &mut World) {
        self.0.signal(signal, now, world)
    }

    /// `Some(next)` when a job of this process is in a periodic loop that may skip ahead (`periodic`):
    /// `next` is the next moment anything else of the process is due.
    pub fn wake_besides_periodic(&self, world: &World) -> Option<Option<SimTime>> {
        self.0.wake_besides_periodic(world)
    }

    /// Plays the rounds of its periodic loop that fall before `before` at once.
    pub fn skip_periodic(&mut self, before: SimTime, world: &mut World) {
        self.0.skip_periodic(before, world)
    }

    /// Is a program of this process listening on `port` now?
    pub fn listens_on(&self, port: u16) -> bool {
        self.0.ports.contains(&port)
    }

    /// The memory it held when the OOM killer ended it (exit 137, reason `OOMKilled`: R105).
    pub fn oom_killed(&self) -> Option<u64> {
        self.0.oom_killed
    }
}

impl std::ops::Deref for Process {
    type Target = Machine;
    fn deref(&self) -> &Machine {
        &self.0
    }
}

impl Machine {
    fn new(container: &str, now: SimTime, program: Program) -> Machine {
        let mut vars = SortedMap::new();
        vars.insert("HOME".to_string(), "/root".to_string());
        vars.insert(
            "PATH".to_string(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        );
        vars.insert("HOSTNAME".to_string(), program.config.hostname.clone());
        vars.insert("IFS".to_string(), " \t\n".to_string());
        for (name, value) in &program.config.env {
            vars.insert(name.clone(), value.clone());
        }
        let mut main = new_job(None, vec![frame(0, 0)], vars);
        main.init = true;
        let mut jobs = SortedMap::new();
        jobs.insert(1, Box::new(main));
        let o = &program.config.overrides;
        let run_exit = o.run.map(|d| (now + d, o.exit.unwrap_or(0)));
        let annotated_up = (o.start_delay.is_some() || o.listens.is_some())
            .then(|| now + o.start_delay.unwrap_or(Millis(0)));
        Machine {
            container: container.to_string(),
            started_at: now,
            scripts: vec![program.script.clone()],
            program,
            jobs,
            next_pid: 2,
            pipes: SortedMap::new(),
            next_pipe: 0,
            clock: now,
            fresh: true,
            exit: None,
            ports: Vec::new(),
            run_exit,
            term_exit: None,
            annotated_up,
            exec_context: false,
            checks: Vec::new(),
            first_up: None,
            reaps: Vec::new(),
            started: Vec::new(),
            writes: Vec::new(),
            term_at: None,
            oom_killed: None,
            steps: 0,
            steps_allowed: busy_loop::STEPS_PER_RUN,
            trap_steps_until: 0,
            busy_loop: None,
        }
    }

    fn for_exec(container: &str, now: SimTime, program: Program) -> Machine {
        let mut p = Machine::new(container, now, program);
        p.fresh = false;
        p.exec_context = true;
        p.run_exit = None;
        p.annotated_up = None;
        if let Some(main) = p.jobs.get_mut(&1) {
            main.init = false;
        }
        p
    }

    fn run_until(&mut self, now: SimTime, world: &mut World) -> ProcessState {
        self.advance(now, world);
        self.state(world)
    }

    pub(crate) fn state(&self, world: &World) -> ProcessState {
        match self.exit {
            Some((code, at)) => ProcessState::Exited { code, at },
            None => ProcessState::Running {
                wake_at: self.next_event(world).map(|(t, _)| t),
            },
        }
    }

    fn signal(&mut self, signal: Signal, now: SimTime, world: &mut World) {
        self.advance(now, world);
        if self.exit.is_some() {
            return;
        }
        if self.clock < now {
            self.clock = now;
        }
        match signal {
            Signal::Kill => self.exit_process(137, false, world),
            Signal::Term => {
                self.term_at.get_or_insert(now);
                match self.program.config.overrides.sigterm {
                    Some(SigtermOverride::Ignore) => {}
                    Some(SigtermOverride::Exit { code, after }) => {
                        let at = now + after;
                        if self.term_exit.is_none_or(|(t, _)| at < t) {
                            self.term_exit = Some((at, code));
                        }
                    }
                    None => self.deliver(1, Sig::Term, false, world),
                }
                self.advance(now, world);
            }
        }
    }

    /// Is PID 1 still the shell (and not a program it replaced itself with)?
    pub(crate) fn pid1_child(&self) -> Option<&Child> {
        match self.jobs.get(&1).map(|j| &j.state) {
            Some(JobState::Child(c)) => Some(c),
            _ => None,
        }
    }

    /// PID 1 has the kernel's init semantics (not behind tini or dumb-init).
    pub(crate) fn pid1_is_init(&self) -> bool {
        self.jobs.get(&1).is_some_and(|j| j.init)
    }

    pub(crate) fn pid1_is_shell(&self) -> bool {
        self.jobs.get(&1).is_some_and(|j| j.shell)
    }

    pub(crate) fn pid1_traps_term(&self) -> bool {
        self.jobs
            .get(&1)
            .is_some_and(|j| matches!(j.traps.get(&Sig::Term), Some(Some(_))))
    }

    pub(crate) fn registered_ports(&self) -> &[u16] {
        &self.ports
    }

    pub(crate) fn first_up(&self) -> Option<SimTime> {
        self.first_up
    }

    pub(crate) fn started(&self) -> &[Started] {
        &self.started
    }

    /// The programs running in the foreground of every job.
    pub(crate) fn children(&self) -> Vec<Child> {
        self.jobs
            .values()
            .filter_map(|j| match &j.state {
                JobState::Child(c) => Some((**c).clone()),
                _ => None,
            })
            .collect()
    }

    pub(crate) fn exit_state(&self) -> Option<(i32, SimTime)> {
        self.exit
    }

    pub(crate) fn clock(&self) -> SimTime {
        self.clock
    }

    /// The steps its jobs have taken (the compute budget counts them).
    #[cfg(test)]
    pub(crate) fn steps_taken(&self) -> u64 {
        self.steps
    }

    /// When the container's memory first goes over its limit, and how much it uses then: what its
    /// programs hold plus what the `memory=` annotation says (R105). Exec sessions have no limit.
    fn out_of_memory(&self) -> Option<(SimTime, u64)> {
        let config = &self.program.config;
        let limit = config.memory_limit?;
        let annotated = config.overrides.memory;
        let held: Vec<(SimTime, u64)> = self
            .jobs
            .values()
            .filter_map(|j| match &j.state {
                JobState::Child(c) if c.memory > 0 => Some((c.memory_at, c.memory)),
                _ => None,
            })
            .collect();
        if held.is_empty() && annotated.is_none() {
            return None;
        }
        super::memory::oom_moment(
            limit,
            self.started_at,
            self.clock,
            annotated.unwrap_or_default(),
            &held,
        )
    }

    // ----- the event loop -------------------------------------------------------------------

    fn begin_instance(&mut self, world: &mut World) {
        if self.fresh {
            self.fresh = false;
            world.container_restarted(&self.container, self.started_at);
            if !self.program.config.image.is_empty() {
                world
                    .images
                    .entry(self.container.clone())
                    .or_insert_with(|| self.program.config.image.clone());
            }
        }
    }

    fn advance(&mut self, now: SimTime, world: &mut World) {
        self.begin_instance(world);
        let mut events = 0u64;
        while self.exit.is_none() {
            let Some((t, ev)) = self.next_event(world) else {
                break;
            };
            if t > now {
                break;
            }
            events += 1;
            if events > MAX_EVENTS_PER_CALL {
                break;
            }
            if t > self.clock {
                self.clock = t;
            }
            self.handle(ev, world);
        }
    }

    fn next_event(&self, world: &World) -> Option<(SimTime, Event)> {
        self.next_event_besides(world, None)
    }

    /// The next event, leaving out the end of the `sleep` of job `periodic` (which may skip ahead).
    fn next_event_besides(&self, world: &World, periodic: Option<u32>) -> Option<(SimTime, Event)> {
        if self.exit.is_some() {
            return None;
        }
        let mut best: Option<(SimTime, u8, u32, Event)> = None;
        let mut consider = |t: SimTime, prio: u8, pid: u32, ev: Event| {
            let key = (t, prio, pid);
            if best.is_none_or(|(bt, bp, bpid, _)| key < (bt, bp, bpid)) {
                best = Some((t, prio, pid, ev));
            }
        };
        if let Some((t, _)) = self.run_exit {
            consider(t, 0, 0, Event::RunExit);
        }
        if let Some((t, _)) = self.out_of_memory() {
            consider(t.max(self.clock), 0, 0, Event::OutOfMemory);
        }
        if let Some((t, _)) = self.term_exit {
            consider(t, 0, 0, Event::TermExit);
        }
        if let Some(t) = self.annotated_up {
            consider(t, 1, 0, Event::AnnotatedUp);
        }
        if let Some(t) = world
            .signals
            .iter()
            .filter(|s| s.container == self.container)
            .map(|s| s.at.max(self.clock))
            .min()
        {
            consider(t, 2, 0, Event::Requests);
        }
        for (&pid, job) in &self.jobs {
            if let Some((t, _)) = job.deadline {
                consider(t, 3, pid, Event::Deadline(pid));
            }
            match &job.state {
                JobState::Ready => consider(self.clock, 5, pid, Event::Step(pid)),
                JobState::Spinning {
                    check_at: Some(t), ..
                } => consider(*t, 5, pid, Event::Resume(pid)),
                JobState::Child(c) => {
                    if !c.up && !c.ports.is_empty() {
                        consider(c.up_at, 1, pid, Event::Up(pid));
                    }
                    // Before its end at the same moment: what it prints last is written before it exits.
                    if let Some(t) = c.output.as_ref().and_then(|o| o.next_at()) {
                        consider(t, 4, pid, Event::ChildOutput(pid));
                    }
                    if let Some(t) = c.ends_at.filter(|_| periodic != Some(pid)) {
                        consider(t, 4, pid, Event::ChildEnd(pid));
                    }
                }
                JobState::Wait(_) | JobState::Join(..) | JobState::Spinning { .. } => {}
            }
        }
        best.map(|(t, _, _, ev)| (t, ev))
    }

    fn handle(&mut self, ev: Event, world: &mut World) {
        match ev {
            Event::RunExit => {
                let code = self.run_exit.map_or(0, |(_, c)| c);
                self.run_exit = None;
                self.exit_process(code, false, world);
            }
            Event::OutOfMemory => {
                if let Some((_, used)) = self.out_of_memory() {
                    self.oom_killed = Some(used);
                    self.exit_process(137, false, world);
                }
            }
            Event::TermExit => {
                let code = self.term_exit.map_or(0, |(_, c)| c);
                self.term_exit = None;
                self.exit_process(code, false, world);
            }
            Event::AnnotatedUp => {
                self.annotated_up = None;
                let c = &self.program.config;
                let ports = match &c.overrides.listens {
                    Some(p) => p.clone(),
                    None => c
                        .declared_ports
                        .iter()
                        .chain(&c.probe_ports)
                        .copied()
                        .collect(),
                };
                for p in ports {
                    if let crate::sorted_map::Entry::Vacant(e) = world.listening.entry(p) {
                        e.insert(self.container.clone());
                        self.ports.push(p);
                        self.first_up.get_or_insert(self.clock);
                    }
                }
            }
            Event::Requests => {
                let clock = self.clock;
                let container = self.container.clone();
                let mut mine = Vec::new();
                world.signals.retain(|s| {
                    if s.container == container && s.at <= clock {
                        mine.push(s.signal.clone());
                        false
                    } else {
                        true
                    }
                });
                for s in mine {
                    if let Some(sig) = Sig::parse(&s) {
                        self.deliver(1, sig, true, world);
                    }
                }
            }
            Event::Up(pid) => self.register_ports(pid, world),
            Event::ChildEnd(pid) => self.child_ended(pid, world),
            Event::ChildOutput(pid) => self.write_child_output(pid, world),
            Event::Deadline(pid) => {
                let code = self
                    .jobs
                    .get_mut(&pid)
                    .and_then(|j| j.deadline.take())
                    .map_or(124, |(_, c)| c);
                self.kill_job(pid, code, world);
            }
            Event::Resume(pid) => self.check_busy_loop(pid),
            Event::Step(pid) => self.run_job(pid, world),
        }
    }

    fn register_ports(&mut self, pid: u32, world: &mut World) {
        let container = self.container.clone();
        let Some(job) = self.jobs.get_mut(&pid) else {
            return;
        };
        let JobState::Child(c) = &mut job.state else {
            return;
        };
        c.up = true;
        for p in c.ports.clone() {
            match world.listening.get(&p) {
                Some(other) if other != &container && c.exclusive_ports => {
                    world.log(
                        &container,
                        self.clock,
                        &format!("{}: bind() to 0.0.0.0:{p} failed (98: Address already in use, by container \"{other}\")", c.name),
                    );
                    c.ends_at = Some(self.clock);
                    c.code = 1;
                    return;
                }
                Some(_) => {}
                None => {
                    world.listening.insert(p, container.clone());
                    self.ports.push(p);
                    self.first_up.get_or_insert(self.clock);
                }
            }
        }
    }

    fn release_child(&mut self, child: &Child, world: &mut World) {
        for f in &child.followers {
            world.stop_following(*f, self.clock);
        }
        if child.up {
            for p in &child.ports {
                if self.ports.contains(p) && world.listening.get(p) == Some(&self.container) {
                    world.listening.remove(p);
                }
                self.ports.retain(|q| q != p);
            }
        }
    }

    /// Writes what the job's program has printed by now (see `utilities::TimedOutput`).
    fn write_child_output(&mut self, pid: u32, world: &mut World) {
        if let Some(JobState::Child(c)) = self.jobs.get_mut(&pid).map(|j| &mut j.state) {
            if let Some(output) = &mut c.output {
                output.write_due(&self.container, self.clock, world);
            }
        }
    }

    fn child_ended(&mut self, pid: u32, world: &mut World) {
        self.write_child_output(pid, world);
        let Some(mut job) = self.jobs.remove(&pid) else {
            return;
        };
        let JobState::Child(child) = std::mem::replace(&mut job.state, JobState::Ready) else {
            self.jobs.insert(pid, job);
            return;
        };
        self.release_child(&child, world);
        let code = child.code;
        if job.shell {
            job.woke_from_sleep = child.kind == ChildKind::Sleep;
            job.status = code;
            self.jobs.insert(pid, job);
        } else {
            self.jobs.insert(pid, job);
            self.finish_job(pid, code, world);
        }
    }

    fn exit_process(&mut self, code: i32, natural: bool, world: &mut World) {
        if self.exit.is_some() {
            return;
        }
        let code = if natural {
            self.program.config.overrides.exit.unwrap_or(code)
        } else {
            code
        };
        let jobs = std::mem::take(&mut self.jobs);
        for job in jobs.values() {
            if let JobState::Child(c) = &job.state {
                self.release_child(c, world);
            }
        }
        for p in std::mem::take(&mut self.ports) {
            if world.listening.get(&p) == Some(&self.container) {
                world.listening.remove(&p);
            }
        }
        self.exit = Some((code, self.clock));
    }

    /// A job is over (its script ended, `exit`, a signal): its parent learns its status.
    fn finish_job(&mut self, pid: u32, code: i32, world: &mut World) {
        let Some(job) = self.jobs.remove(&pid) else {
            return;
        };
        if let JobState::Child(c) = &job.state {
            self.release_child(c, world);
        }
        if pid == 1 {
            self.exit_process(code, true, world);
            return;
        }
        if let Some(ppid) = job.parent {
            self.reaps.push((ppid, pid, code));
            self.apply_reaps(ppid);
        }
    }

    /// Hands finished jobs' statuses to their parent (later, if the parent is busy in a step).
    fn apply_reaps(&mut self, ppid: u32) {
        if !self.jobs.contains_key(&ppid) {
            return;
        }
        let mine: Vec<(u32, i32)> = self
            .reaps
            .iter()
            .filter(|(p, _, _)| *p == ppid)
            .map(|(_, c, code)| (*c, *code))
            .collect();
        self.reaps.retain(|(p, _, _)| *p != ppid);
        let live_bg: Vec<u32> = self
            .jobs
            .iter()
            .filter(|(_, j)| j.parent == Some(ppid) && j.background)
            .map(|(p, _)| *p)
            .collect();
        let Some(parent) = self.jobs.get_mut(&ppid) else {
            return;
        };
        for (pid, code) in mine {
            parent.reaped.insert(pid, code);
        }
        while parent.reaped.len() > 64 {
            parent.reaped.pop_first();
        }
        match &parent.state {
            JobState::Join(list, pipes) if list.iter().all(|p| parent.reaped.contains_key(p)) => {
                let last = list.last().and_then(|p| parent.reaped.get(p)).copied();
                for p in list.clone() {
                    parent.reaped.remove(&p);
                }
                for k in pipes.clone() {
                    self.pipes.remove(&k);
                }
                parent.status = last.unwrap_or(0);
                parent.state = JobState::Ready;
            }
            JobState::Wait(None) if live_bg.is_empty() => {
                parent.status = 0;
                parent.state = JobState::Ready;
            }
            JobState::Wait(Some(list)) if list.iter().all(|p| !live_bg.contains(p)) => {
                let last = list.last().and_then(|p| parent.reaped.get(p)).copied();
                parent.status = last.unwrap_or(127);
                parent.state = JobState::Ready;
            }
            _ => {}
        }
    }

    fn kill_job(&mut self, pid: u32, code: i32, world: &mut World) {
        if pid == 1 {
            self.exit_process(code, false, world);
            return;
        }
        self.finish_job(pid, code, world);
    }

    /// Sends `sig` to job `pid` (`from_inside`: by a process of the container, which cannot SIGKILL
    /// its PID 1).
    fn deliver(&mut self, pid: u32, sig: Sig, from_inside: bool, world: &mut World) {
        let clock = self.clock;
        let Some(job) = self.jobs.get_mut(&pid) else {
            return;
        };
        let spinning = matches!(job.state, JobState::Spinning { .. });
        let delivery = deliver_to(job, sig, from_inside, clock);
        if spinning && matches!(job.state, JobState::Ready) {
            // Its trap handler runs, whatever budget the busy loop spent.
            job.spin.renew(clock, busy_loop::STEPS_PER_INSTANT);
            self.steps_allowed =
                self.steps.max(self.steps_allowed) + u64::from(busy_loop::STEPS_PER_INSTANT);
            self.trap_steps_until = self.steps + u64::from(busy_loop::STEPS_PER_INSTANT);
        }
        match delivery {
            Delivery::Nothing => {}
            Delivery::JobDies(code) => self.kill_job(pid, code, world),
        }
    }

    // ----- running a job --------------------------------------------------------------------

    /// Runs a job until it blocks, ends or spins: a round of its loop, when it woke from a `sleep`.
    fn run_job(&mut self, pid: u32, world: &mut World) {
        let round = self.begin_round(pid, world);
        self.run_job_steps(pid, world);
        self.end_round(pid, round, world);
    }

    fn run_job_steps(&mut self, pid: u32, world: &mut World) {
        loop {
            if self.exit.is_some() {
                return;
            }
            let Some(mut job) = self.jobs.remove(&pid) else {
                return;
            };
            if !matches!(job.state, JobState::Ready) {
                self.jobs.insert(pid, job);
                return;
            }
            if let Pace::Spin(busy) = self.pace(&mut job, world) {
                self.spin(&mut job, busy);
                self.jobs.insert(pid, job);
                return;
            }
            let flow = self.step(pid, &mut job, world);
            let arith_work = job.arith_work.replace(0);
            self.steps += arith_work;
            world.spend_steps(arith_work);
            if job.overgrown.replace(false) {
                // It spent its run's budget building that text (the pod's, or the dry runs' of a
                // call, with it): it computes until stopped, however the step would have gone on.
                let rest = self.steps_allowed.saturating_sub(self.steps);
                self.steps += rest;
                world.spend_steps(rest);
                self.spin(&mut job, BusyLoop::BudgetSpent);
                self.jobs.insert(pid, job);
                return;
            }
            if let (Flow::Continue, JobState::Ready) = (&flow, &job.state) {
                let mut spin = std::mem::replace(&mut job.spin, Spin::new());
                let repeated = spin.after_step(|start| start.is_state_of(&job));
                job.spin = spin;
                if let Some(busy) = repeated {
                    self.spin(&mut job, busy);
                    self.jobs.insert(pid, job);
                    return;
                }
            }
            if let Flow::Block = flow {
                job.busy_looks = 0;
            }
            self.jobs.insert(pid, job);
            if self.reaps.iter().any(|(p, _, _)| *p == pid) {
                self.apply_reaps(pid);
            }
            match flow {
                Flow::Continue => {}
                Flow::Block => return,
                Flow::Finish(code) => {
                    self.finish_job(pid, code, world);
                    return;
                }
            }
        }
    }

    /// What this process's variables may hold, in bytes ([`busy_loop::MAX_EXEC_VARIABLE_BYTES`]).
    fn max_bytes(&self) -> usize {
        if self.exec_context {
            busy_loop::MAX_EXEC_VARIABLE_BYTES
        } else {
            busy_loop::MAX_VARIABLE_BYTES
        }
    }

    /// Counts a step against the pod's, the run's and the instant's budgets: may the job take it?
    fn pace(&mut self, job: &mut Job, world: &mut World) -> Pace {
        let held = busy_loop::held_bytes(job.vars.values());
        if self.steps >= self.steps_allowed
            || busy_loop::variables_overgrown(job.vars.len(), held, self.max_bytes())
        {
            return Pace::Spin(BusyLoop::BudgetSpent);
        }
        if world.dry_run_spent() && self.steps >= self.trap_steps_until {
            return Pace::Spin(BusyLoop::BudgetSpent);
        }
        if world.pod_steps.spent() && self.steps >= self.trap_steps_until {
            world.pod_steps.spent_in.insert(self.container.clone());
            return Pace::Spin(BusyLoop::PodBudgetSpent);
        }
        let cost = busy_loop::step_cost(held);
        self.steps += cost;
        world.spend_steps(cost);
        let mut spin = std::mem::replace(&mut job.spin, Spin::new());
        let allowed = if self.exec_context {
            busy_loop::STEPS_PER_EXEC_INSTANT
        } else {
            busy_loop::STEPS_PER_INSTANT
        };
        // A recursion's state never comes back, but it ends soon: at the nesting bound, if not before.
        let deeper = spin
            .watched()
            .is_some_and(|start| start.depth() < job.frames.len());
        let ends_by_itself = !job.fors.is_empty() || deeper;
        let pace = spin.before_step(self.clock, allowed, ends_by_itself, || Fingerprint::of(job));
        job.spin = spin;
        pace
    }

    /// Stops stepping a busy loop: it runs until stopped. One that repeats is looked at again later, in
    /// case what it reads has changed.
    fn spin(&mut self, job: &mut Job, busy: BusyLoop) {
        let checks = job.busy_looks;
        self.busy_loop.get_or_insert((self.clock, busy));
        let check_at = matches!(busy, BusyLoop::Repeats { .. })
            .then(|| busy_loop::next_check(self.clock, checks));
        job.state = JobState::Spinning {
            busy,
            check_at,
            checks,
        };
    }

    /// How many jobs may be alive at once ([`MAX_JOBS`], [`MAX_EXEC_JOBS`]).
    fn max_jobs(&self) -> usize {
        if self.exec_context {
            MAX_EXEC_JOBS
        } else {
            MAX_JOBS
        }
    }

    /// A fork with [`Machine::max_jobs`] jobs alive: the script forks faster than its jobs end (a fork bomb, a
    /// loop that starts background jobs without pause). On a node it goes on forking until stopped
    /// (a shell whose fork fails exits, which frees room for the others): podlife stops stepping the
    /// job, which still answers signals.
    fn forks_without_end(&mut self, job: &mut Job) -> Flow {
        self.spin(job, BusyLoop::ForksWithoutEnd);
        Flow::Block
    }

    /// Looks again at a repeating busy loop: one iteration or two, then it spins on or has moved on.
    fn check_busy_loop(&mut self, pid: u32) {
        let clock = self.clock;
        let Some(job) = self.jobs.get_mut(&pid) else {
            return;
        };
        let JobState::Spinning { busy, checks, .. } = job.state else {
            return;
        };
        job.spin.renew(clock, busy_loop::steps_to_check(busy));
        job.state = JobState::Ready;
        job.busy_looks = checks + 1;
    }

    fn exit_job(&mut self, job: &mut Job, code: i32) -> Flow {
        if job.shell && job.exiting.is_none() {
            if let Some(Some(script)) = job.traps.get(&Sig::Exit).copied() {
                job.exiting = Some(code);
                job.frames.clear();
                job.pending.clear();
                job.frames.push(Frame {
                    script,
                    block: 0,
                    pc: 0,
                    trap: Some(code),
                    exit_trap: true,
                    call: None,
                });
                return Flow::Continue;
            }
        }
        Flow::Finish(code)
    }

    fn step(&mut self, pid: u32, job: &mut Job, world: &mut World) -> Flow {
        if job.shell && !job.pending.is_empty() && job.frames.iter().all(|f| f.trap.is_none()) {
            let sig = job.pending.remove(0);
            if let Some(Some(script)) = job.traps.get(&sig).copied() {
                job.frames.push(Frame {
                    script,
                    block: 0,
                    pc: 0,
                    trap: Some(job.status),
                    exit_trap: false,
                    call: None,
                });
            }
            return Flow::Continue;
        }
        let Some(top) = job.frames.last() else {
            let code = job.exiting.unwrap_or(job.status);
            return Flow::Finish(code);
        };
        let (script_idx, block_idx, pc) = (top.script, top.block, top.pc);
        let script = match self.scripts.get(script_idx) {
            Some(s) => s.clone(),
            None => return Flow::Finish(2),
        };
        let Some(block) = script.blocks.get(block_idx) else {
            return Flow::Finish(2);
        };
        if pc >= block.len() {
            let Some(done) = job.frames.pop() else {
                return Flow::Finish(job.status);
            };
            if let Some(call) = done.call {
                functions::returned(job, *call);
                return Flow::Continue;
            }
            if let Some(saved) = done.trap {
                if done.exit_trap {
                    return Flow::Finish(job.exiting.unwrap_or(saved));
                }
                job.status = saved;
            }
            if job.frames.is_empty() {
                let status = job.status;
                return self.exit_job(job, status);
            }
            return Flow::Continue;
        }
        if let Some(top) = job.frames.last_mut() {
            top.pc += 1;
        }
        let set_pc = |job: &mut Job, t: usize| {
            if let Some(top) = job.frames.last_mut() {
                top.pc = t;
            }
        };
        match &block[pc] {
            Step::Jump(t) => set_pc(job, *t),
            Step::JumpIfFailure(t) => {
                if job.status != 0 {
                    set_pc(job, *t);
                }
            }
            Step::JumpIfSuccess(t) => {
                if job.status == 0 {
                    set_pc(job, *t);
                }
            }
            Step::Negate => job.status = i32::from(job.status == 0),
            Step::CaseJump {
                word,
                patterns,
                next,
            } => {
                if !self.case_matches(job, word, patterns, world) {
                    set_pc(job, *next);
                }
            }
            Step::DefineFunction { name, block } => {
                job.functions.insert(name.clone(), (script_idx, *block));
                job.status = 0;
            }
            Step::SetStatus(s) => job.status = *s,
            Step::Background(b) => {
                if self.jobs.len() >= self.max_jobs().min(MAX_BACKGROUND_JOBS) {
                    world.log(&self.container, self.clock, "sh: can't fork");
                    return self.forks_without_end(job);
                }
                let child_pid = self.spawn(pid, job, vec![frame(script_idx, *b)], true);
                job.last_bg = Some(child_pid);
                job.bg.push(child_pid);
                if job.bg.len() > 64 {
                    job.bg.remove(0);
                }
                job.status = 0;
            }
            Step::Subshell(b) => {
                if self.jobs.len() >= self.max_jobs() {
                    return self.forks_without_end(job);
                }
                let child_pid = self.spawn(pid, job, vec![frame(script_idx, *b)], false);
                job.state = JobState::Join(vec![child_pid], Vec::new());
                return Flow::Block;
            }
            Step::Pipeline(blocks) => {
                if self.jobs.len() + blocks.len() >= self.max_jobs() {
                    return self.forks_without_end(job);
                }
                let mut pids = Vec::new();
                let mut pipes = Vec::new();
                let mut previous: Option<usize> = None;
                for (i, b) in blocks.iter().enumerate() {
                    let child_pid = self.spawn(pid, job, vec![frame(script_idx, *b)], false);
                    let next_pipe = (i + 1 < blocks.len()).then(|| {
                        let k = self.next_pipe;
                        self.next_pipe += 1;
                        self.pipes.insert(k, Vec::new());
                        pipes.push(k);
                        k
                    });
                    if let Some(child) = self.jobs.get_mut(&child_pid) {
                        if let Some(io) = child.io.last_mut() {
                            if let Some(k) = next_pipe {
                                io.out = Out::Pipe(k);
                            }
                            if let Some(k) = previous {
                                io.input = Some(Input::Pipe(k));
                            }
                        }
                    }
                    previous = next_pipe;
                    pids.push(child_pid);
                }
                job.state = JobState::Join(pids, pipes);
                return Flow::Block;
            }
            Step::ForStart(words) => {
                let mut list = Vec::new();
                if let Some(words) = words {
                    let mut env = self.env(job, world);
                    for w in words {
                        match expand(w, &mut env) {
                            Ok(f) => list.extend(f),
                            Err(e) => {
                                world.log(&self.container, self.clock, &format!("sh: {e}"));
                                return self.exit_job(job, 2);
                            }
                        }
                    }
                }
                job.fors.push((Arc::from(list), 0));
            }
            Step::ForNext { var, done } => {
                let next = job.fors.last_mut().and_then(|(list, i)| {
                    let v = list.get(*i).cloned();
                    *i += 1;
                    v
                });
                match next {
                    Some(v) => {
                        job.vars.insert(var.clone(), v);
                    }
                    None => {
                        job.fors.pop();
                        set_pc(job, *done);
                    }
                }
            }
            Step::PopFors(n) => {
                let keep = job.fors.len().saturating_sub(*n);
                job.fors.truncate(keep);
            }
            Step::PushRedirects(redirects) => {
                let simple = Simple {
                    assigns: Vec::new(),
                    arrays: Vec::new(),
                    words: Vec::new(),
                    redirects: redirects.clone(),
                    text: String::new(),
                };
                match self.redirections(job, &simple, &script, world) {
                    Ok(io) => job.io.push(io),
                    Err(()) => {
                        job.io.push(Io {
                            out: Out::Null,
                            input: None,
                        });
                        job.status = 1;
                    }
                }
            }
            Step::PopRedirects(depth) => job.io.truncate(depth + 1),
            Step::Arith { expr, errexit } => {
                let mut env = self.env(job, world);
                let result = expand_inline(expr, &mut env).and_then(|t| {
                    arith_work(&t, &env);
                    arith(&t, env.vars)
                });
                match result {
                    Ok(v) => job.status = i32::from(v == 0),
                    Err(e) => {
                        world.log(&self.container, self.clock, &format!("sh: {e}"));
                        job.status = 1;
                    }
                }
                if *errexit && job.errexit && job.status != 0 {
                    let status = job.status;
                    return self.exit_job(job, status);
                }
            }
            Step::Run {
                command,
                exec_if_last,
                errexit,
            } => {
                return self.run_simple(pid, job, command, *exec_if_last, *errexit, &script, world);
            }
            Step::RunUnknown(program) => return self.run_unknown(pid, job, program, world),
        }
        Flow::Continue
    }

    fn env<'a>(&'a self, job: &'a mut Job, world: &'a World) -> Env<'a> {
        Env {
            vars: &mut job.vars,
            status: job.status,
            last_bg: job.last_bg,
            world,
            container: &self.container,
            at: self.clock,
            cwd: &job.cwd,
            depth: 0,
            overgrown: &job.overgrown,
            arith_work: &job.arith_work,
        }
    }

    fn spawn(
        &mut self,
        parent_pid: u32,
        parent: &Job,
        frames: Vec<Frame>,
        background: bool,
    ) -> u32 {
        let pid = self.next_pid;
        self.next_pid += 1;
        let mut job = new_job(Some(parent_pid), frames, parent.vars.clone());
        job.background = background;
        job.forked_at_depth = parent.forked_at_depth + parent.frames.len();
        job.cwd = parent.cwd.clone();
        if let Some(io) = parent.io.last() {
            job.io = vec![io.clone()];
        }
        job.errexit = parent.errexit;
        job.functions = parent.functions.clone();
        // Ignored signals stay ignored in a subshell; handlers are reset.
        job.traps = parent
            .traps
            .iter()
            .filter(|(_, h)| h.is_none())
            .map(|(s, _)| (*s, None))
            .collect();
        self.jobs.insert(pid, Box::new(job));
        pid
    }

    fn compile_dynamic(&mut self, text: &str, flavour: Flavour) -> Result<usize, String> {
        if let Some(i) = self
            .scripts
            .iter()
            .position(|s| s.source == text && s.flavour == flavour)
        {
            return Ok(i);
        }
        let script = Script::compile(text, flavour).map_err(|e| e.message)?;
        self.scripts.push(Arc::new(script));
        Ok(self.scripts.len() - 1)
    }

    /// The io of a command with `redirects` (files are created or truncated now).
    fn redirections(
        &mut self,
        job: &mut Job,
        simple: &Simple,
        script: &Script,
        world: &mut World,
    ) -> Result<Io, ()> {
        let mut io = job.io.last().cloned().unwrap_or(Io {
            out: Out::Log,
            input: None,
        });
        for r in &simple.redirects {
            let target = {
                let mut env = self.env(job, world);
                match expand_one(&r.target, &mut env) {
                    Ok(t) => t,
                    Err(e) => {
                        world.log(&self.container, self.clock, &format!("sh: {e}"));
                        return Err(());
                    }
                }
            };
            match &r.op {
                RedirOp::HereDoc(i) => {
                    let body = script.heredocs.get(*i).cloned().unwrap_or_default();
                    let body = if r.target.quoted {
                        body
                    } else {
                        let mut env = self.env(job, world);
                        expand_inline(&body, &mut env).unwrap_or(body)
                    };
                    io.input = Some(Input::Lines(body.lines().map(str::to_string).collect(), 0));
                }
                RedirOp::Read | RedirOp::ReadWrite => {
                    let path = normalise(&target, &job.cwd);
                    if r.fd != 0 {
                        continue;
                    }
                    match world.read_lines(&self.container, &path) {
                        Some(lines) if world.exists(&self.container, &path, self.clock) => {
                            io.input = Some(Input::Lines(lines.into(), 0));
                        }
                        _ => {
                            world.log(
                                &self.container,
                                self.clock,
                                &format!("sh: can't open {target}: no such file"),
                            );
                            return Err(());
                        }
                    }
                }
                RedirOp::Dup => {
                    if r.fd == 1 {
                        io.out = if target == "2" {
                            Out::Log
                        } else {
                            io.out.clone()
                        };
                    }
                }
                RedirOp::Write | RedirOp::Append | RedirOp::WriteBoth | RedirOp::AppendBoth => {
                    let truncate = matches!(r.op, RedirOp::Write | RedirOp::WriteBoth);
                    let path = normalise(&target, &job.cwd);
                    if let Err(e) =
                        world.open_for_writing(&self.container, &path, self.clock, truncate)
                    {
                        world.log(
                            &self.container,
                            self.clock,
                            &format!("sh: can't create {target}: {}", e.message()),
                        );
                        return Err(());
                    }
                    if self.writes.len() < RECORDED {
                        self.writes.push((path.clone(), self.clock));
                    }
                    if r.fd == 1 || matches!(r.op, RedirOp::WriteBoth | RedirOp::AppendBoth) {
                        // The process's own stdout and stderr; PID 1's (`/proc/1/fd/1`) are the
                        // container's log even from an exec session, so they stay a file the world
                        // writes to that log.
                        io.out = match path.as_str() {
                            "/dev/null" => Out::Null,
                            "/dev/stdout" | "/dev/stderr" => Out::Log,
                            _ => Out::File(path),
                        };
                    }
                }
            }
        }
        Ok(io)
    }

    /// A simple command: expand its words, open its redirections, drop the wrappers that run the rest
    /// of the line, then run it as a builtin or as a program.
    #[allow(clippy::too_many_arguments)]
    fn run_simple(
        &mut self,
        pid: u32,
        job: &mut Job,
        command: &Simple,
        exec_if_last: bool,
        errexit: bool,
        script: &Script,
        world: &mut World,
    ) -> Flow {
        let (mut argv, assigns) = match self.expand_command(job, command, world) {
            Ok(expanded) => expanded,
            Err(e) => {
                world.log(&self.container, self.clock, &format!("sh: {e}"));
                return self.exit_job(job, 2);
            }
        };
        if recursion::may_touch_world(command, argv.first(), job) {
            job.effects += 1;
        }
        let io = match self.redirections(job, command, script, world) {
            Ok(io) => io,
            Err(()) => {
                job.status = 1;
                return self.after_status(job, errexit);
            }
        };
        if argv.is_empty() {
            for (n, v) in assigns {
                job.vars.insert(n, v);
            }
            job.status = 0;
            if let Err(e) = self.assign_arrays(job, &command.arrays, world) {
                world.log(&self.container, self.clock, &format!("sh: {e}"));
                return self.exit_job(job, 2);
            }
            return Flow::Continue;
        }
        let mut exec = false;
        if argv[0] == "exec" {
            argv.remove(0);
            if argv.is_empty() {
                // `exec >file`: the redirections stay for the rest of the script.
                if let Some(base) = job.io.first_mut() {
                    *base = io;
                }
                job.status = 0;
                return Flow::Continue;
            }
            exec = true;
        }
        let replaces_shell = exec || (exec_if_last && job.traps.is_empty());
        let deadline = wrappers::strip(&mut argv, job);
        if argv.is_empty() {
            job.status = 0;
            return Flow::Continue;
        }
        let mut run = Invocation {
            argv,
            assigns,
            io,
            exec,
            replaces_shell,
            deadline,
            errexit,
        };
        if let Some(&(script, block)) = job.functions.get(&run.argv[0]) {
            return self.call_function(job, script, block, &run.argv[1..]);
        }
        if run.argv[0] == "[[" {
            match self.match_regexes(job, run.argv, world) {
                Ok(argv) => run.argv = argv,
                Err(()) => {
                    job.status = 2;
                    return self.after_status(job, errexit);
                }
            }
        }
        if let Some(flow) = self.run_builtin(pid, job, &run, world) {
            return flow;
        }
        let ran = self.run_utility(job, &run.io, world, |ctx| utilities::run(ctx, &run.argv));
        self.program_ran(pid, job, ran, &run)
    }

    /// The fields of a command's words, and its assignments' values.
    #[allow(clippy::type_complexity)]
    fn expand_command(
        &self,
        job: &mut Job,
        command: &Simple,
        world: &World,
    ) -> Result<(Vec<String>, Vec<(String, String)>), String> {
        let mut env = self.env(job, world);
        let mut argv = Vec::new();
        for w in &command.words {
            argv.extend(expand(w, &mut env)?);
        }
        let mut assigns = Vec::new();
        for (name, w) in &command.assigns {
            assigns.push((name.clone(), expand_one(w, &mut env)?));
        }
        Ok((argv, assigns))
    }

    /// A program podlife cannot read: what its kind of container suggests, run as a command the shell
    /// replaces itself with.
    fn run_unknown(
        &mut self,
        pid: u32,
        job: &mut Job,
        program: &UnknownProgram,
        world: &mut World,
    ) -> Flow {
        let io = job.io.last().cloned().unwrap_or(Io {
            out: Out::Log,
            input: None,
        });
        let ran = self.run_utility(job, &io, world, |ctx| {
            utilities::unknown_program(ctx, &program.name, &program.text)
        });
        let run = Invocation {
            argv: vec![program.name.clone()],
            assigns: Vec::new(),
            io,
            exec: false,
            replaces_shell: job.traps.is_empty(),
            deadline: None,
            errexit: false,
        };
        self.program_ran(pid, job, ran, &run)
    }

    /// Runs a utility with what it sees of this process and job.
    fn run_utility(
        &mut self,
        job: &Job,
        io: &Io,
        world: &mut World,
        utility: impl FnOnce(&mut Ctx<'_>) -> Ran,
    ) -> Ran {
        let input = io.input.as_ref().map(|i| self.input_lines(i));
        let config = self.program.config.clone();
        let ran = {
            let mut ctx = Ctx {
                world: &mut *world,
                container: &self.container,
                config: &config,
                at: self.clock,
                cwd: &job.cwd,
                out: &io.out,
                input,
                pipes: &mut self.pipes,
                vars: &job.vars,
                exec_context: self.exec_context,
                checks: &mut self.checks,
                overgrown: &job.overgrown,
            };
            utility(&mut ctx)
        };
        if let Out::File(p) = &io.out {
            if self.writes.len() < RECORDED {
                self.writes.push((p.clone(), self.clock));
            }
        }
        ran
    }

    /// What the job does once a program returned at once or started running.
    fn program_ran(&mut self, pid: u32, job: &mut Job, ran: Ran, run: &Invocation) -> Flow {
        match ran {
            Ran::Status(s) => {
                if run.exec {
                    return Flow::Finish(s);
                }
                job.status = s;
                self.after_status(job, run.errexit)
            }
            Ran::Program(mut child) => {
                if let Some((d, code)) = run.deadline {
                    let limit = self.clock + d.max(Millis(1));
                    if child.ends_at.is_none_or(|e| e > limit) {
                        child.ends_at = Some(limit);
                        child.code = code;
                    }
                }
                if child.kind == ChildKind::Sleep {
                    if let Some(e) = child.ends_at {
                        child.ends_at = Some(e.max(self.clock + MIN_SLEEP));
                    }
                }
                if self.started.len() < RECORDED {
                    self.started.push((
                        self.clock,
                        child.text.clone(),
                        child.kind,
                        child.assumption.clone(),
                        pid,
                    ));
                }
                if run.replaces_shell {
                    job.shell = false;
                }
                job.state = JobState::Child(child);
                Flow::Block
            }
        }
    }

    fn after_status(&mut self, job: &mut Job, errexit: bool) -> Flow {
        if errexit && job.errexit && job.status != 0 {
            let status = job.status;
            return self.exit_job(job, status);
        }
        Flow::Continue
    }

    /// What a command reads from `input`: the rest of the lines, borrowed, or a pipe's, copied (the
    /// pipe stays the writer's to fill while the reader runs).
    fn input_lines<'i>(&self, input: &'i Input) -> Cow<'i, [String]> {
        match input {
            Input::Lines(lines, pos) => Cow::Borrowed(lines.get(*pos..).unwrap_or_default()),
            Input::Pipe(k) => Cow::Owned(self.pipes.get(k).cloned().unwrap_or_default()),
        }
    }
}

enum Delivery {
    Nothing,
    JobDies(i32),
}

/// What a job does with a signal.
fn deliver_to(job: &mut Job, sig: Sig, from_inside: bool, clock: SimTime) -> Delivery {
    let code = 128 + sig.number();
    // The kernel drops a signal for PID 1 that it has no handler for; SIGKILL from outside always kills.
    let ignores_default = |job: &Job| job.init && (sig != Sig::Kill || from_inside);
    if sig == Sig::Chld || sig == Sig::Exit {
        return Delivery::Nothing;
    }
    if job.shell {
        if sig == Sig::Kill {
            return if ignores_default(job) {
                Delivery::Nothing
            } else {
                Delivery::JobDies(137)
            };
        }
        match job.traps.get(&sig) {
            Some(Some(_)) => {
                job.pending.push(sig);
                match job.state {
                    JobState::Wait(_) => {
                        job.status = code;
                        job.state = JobState::Ready;
                    }
                    JobState::Spinning { .. } => job.state = JobState::Ready,
                    _ => {}
                }
                Delivery::Nothing
            }
            Some(None) => Delivery::Nothing,
            None if ignores_default(job) => Delivery::Nothing,
            None => Delivery::JobDies(code),
        }
    } else {
        let ignores = ignores_default(job);
        let JobState::Child(c) = &mut job.state else {
            return Delivery::Nothing;
        };
        if sig == Sig::Kill {
            if !ignores {
                c.ends_at = Some(clock);
                c.code = 137;
            }
            return Delivery::Nothing;
        }
        let handled = matches!(sig, Sig::Term | Sig::Int | Sig::Quit);
        match c.on_term {
            OnTerm::Exit {
                code: exit,
                after_ms,
            } if handled => {
                let at = clock + Millis(after_ms);
                if c.ends_at.is_none_or(|e| e > at) {
                    c.ends_at = Some(at);
                    c.code = exit;
                }
            }
            _ if ignores => {}
            _ => {
                c.ends_at = Some(clock);
                c.code = code;
            }
        }
        Delivery::Nothing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_are_named_as_trap_and_kill_name_them() {
        for (t, s) in [
            ("TERM", Sig::Term),
            ("SIGTERM", Sig::Term),
            ("15", Sig::Term),
            ("-9", Sig::Kill),
            ("EXIT", Sig::Exit),
            ("int", Sig::Int),
        ] {
            assert_eq!(Sig::parse(t), Some(s), "{t}");
        }
        assert_eq!(Sig::parse("BOGUS"), None);
        for s in Sig::ALL {
            assert_eq!(Sig::parse(s.name()), Some(s));
            assert_eq!(Sig::parse(&s.number().to_string()), Some(s));
            assert_eq!(Sig::parse(&format!("SIG{}", s.name())), Some(s));
        }
        for t in ["", "SIG", "015", "+15", "16", "TERM ", "SIGSIGTERM"] {
            assert_eq!(Sig::parse(t), None, "{t:?}");
        }
    }
}
