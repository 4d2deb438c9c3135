//! The programs a container script calls (coreutils/busybox applets, `nc`, `wget`, `curl`, servers), as
//! what each does to the pod's files and network and how long it runs: `sleep N` runs N seconds, `tail -f`
//! runs until stopped reading what is appended, `nc -z db 5432` succeeds when `db` answers, a known server
//! listens after its start-up time. Anything else is an unknown program, whose duration depends on the
//! kind of container (see [`unknown_program`]).

use crate::sorted_map::SortedMap;
use crate::word_list;

use super::images::{self, OnTerm};
use super::world::{normalise, World};
use super::Config;
use crate::time::SimTime;

mod core;
mod network;
mod perl;
mod python;
mod servers;
mod test_expr;
mod timed_output;

use super::outside_hosts::Reach;
pub(crate) use servers::unknown_program;
pub(crate) use timed_output::TimedOutput;

/// Where a command's standard output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Out {
    /// The container's log (`kubectl logs`).
    Log,
    Null,
    /// A file, by absolute path.
    File(String),
    /// The next command of a pipeline.
    Pipe(usize),
}

/// What a program is, for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChildKind {
    Sleep,
    Follow,
    Server,
    Unknown,
    Other,
}

/// A program running in the foreground of a job.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Child {
    pub name: String,
    /// The command line.
    pub text: String,
    pub kind: ChildKind,
    /// When it exits by itself (`None`: never).
    pub ends_at: Option<SimTime>,
    pub code: i32,
    pub on_term: OnTerm,
    pub ports: Vec<u16>,
    pub up_at: SimTime,
    pub up: bool,
    /// A known server binds its ports itself and exits 1 when one is taken.
    pub exclusive_ports: bool,
    pub followers: Vec<usize>,
    /// Why its behaviour is assumed (unknown programs).
    pub assumption: Option<String>,
    /// Its ports are assumed (an unknown program taken to serve its declared and probed ports).
    pub ports_assumed: bool,
    /// Memory it holds once `memory_at` has come (a `stress --vm` worker's allocation), in bytes.
    pub memory: u64,
    pub memory_at: SimTime,
    /// What it prints later while it runs (a one-liner's lines after a sleep), each at its moment.
    pub output: Option<TimedOutput>,
}

impl Child {
    pub(crate) fn new(name: &str, text: &str, kind: ChildKind, at: SimTime) -> Child {
        Child {
            name: name.to_string(),
            text: text.to_string(),
            kind,
            ends_at: None,
            code: 0,
            on_term: OnTerm::Default,
            ports: Vec::new(),
            up_at: at,
            up: false,
            exclusive_ports: false,
            followers: Vec::new(),
            assumption: None,
            ports_assumed: false,
            memory: 0,
            memory_at: at,
            output: None,
        }
    }
}

pub(crate) enum Ran {
    Status(i32),
    Program(Box<Child>),
}

/// What a utility sees.
pub(crate) struct Ctx<'a> {
    pub world: &'a mut World,
    pub container: &'a str,
    pub config: &'a Config,
    pub at: SimTime,
    pub cwd: &'a str,
    pub out: &'a Out,
    /// Its stdin, borrowed: a `while read` loop's body runs each command with the rest of the loop's
    /// input, and copying it for every `echo` made reading n lines cost n² copies.
    pub input: Option<std::borrow::Cow<'a, [String]>>,
    pub pipes: &'a mut SortedMap<usize, Vec<String>>,
    pub vars: &'a SortedMap<String, String>,
    /// Running as an exec probe or hook: unknown programs are taken to succeed at once.
    pub exec_context: bool,
    /// Network checks made (host, port, answered), for summaries.
    pub checks: &'a mut Vec<(String, Option<u16>, bool, SimTime)>,
    /// Set when the utility's output would grow past what a job may hold: the job has spent its
    /// compute budget (`shell_expansion::Overgrown`).
    pub overgrown: &'a std::cell::Cell<bool>,
}

impl Ctx<'_> {
    /// Its stdin's lines (none when nothing is piped or redirected in).
    fn input_lines(&self) -> Vec<String> {
        self.input
            .as_deref()
            .map(<[String]>::to_vec)
            .unwrap_or_default()
    }

    fn path(&self, p: &str) -> String {
        normalise(p, self.cwd)
    }

    fn emit(&mut self, lines: Vec<String>) {
        match self.out {
            Out::Pipe(k) => {
                if let Some(pipe) = self.pipes.get_mut(k) {
                    pipe.extend(lines);
                }
            }
            _ => timed_output::write(self.world, self.container, self.out, self.at, &lines),
        }
    }

    pub(crate) fn error(&mut self, msg: String) {
        self.world.log(self.container, self.at, &msg);
    }

    fn answers(&mut self, host: &str, port: Option<u16>) -> bool {
        self.reach(host, port) == Reach::Answers
    }

    /// How `host` answers on `port` now (a name that does not resolve fails otherwise than a refused
    /// port: `wget: bad address`), recorded for the summary and the outside hosts the pod waits for.
    fn reach(&mut self, host: &str, port: Option<u16>) -> Reach {
        let reach = self.world.reach(host, port, self.at);
        if self.checks.len() < 256 {
            self.checks
                .push((host.to_string(), port, reach == Reach::Answers, self.at));
        }
        reach
    }
}

/// Programs this module knows (the rest are unknown programs), a word list.
const KNOWN: &str = "\
    sleep tail cat echo printf touch rm mkdir test [ [[ cp mv ln ls chmod chown chgrp grep \
    egrep fgrep head wc date hostname whoami id uname pwd env printenv true false : nc \
    netcat ncat wget curl nslookup host dig getent ping yes seq which type sed awk cut sort \
    uniq tr tee xargs jq base64 md5sum sha256sum gzip gunzip tar stat find basename dirname \
    sync redis-cli pg_isready mysqladmin grpc_health_probe python python3 httpd nginx mktemp \
    readlink realpath du df ps free uptime nproc expr usleep logger stress perl rev";

pub(crate) fn is_known_program(name: &str) -> bool {
    word_list::contains(KNOWN, name) || images::server_of_program(name).is_some()
}

/// Runs `argv` (after the shell's own builtins have been handled): a core utility, a network tool,
/// `test`, a server, or else a program podlife does not know.
pub(crate) fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Ran {
    let Some(program) = argv.first() else {
        return Ran::Status(0);
    };
    let name = program.rsplit('/').next().unwrap_or(program).to_string();
    let args = &argv[1..];
    let text = argv.join(" ");
    if name == "stress" {
        return super::memory::stress(ctx, args, &text);
    }
    core::run(ctx, &name, args, &text)
        .or_else(|| network::run(ctx, &name, args, &text))
        .or_else(|| test_expr::run(ctx, &name, args))
        .or_else(|| one_liner(ctx, &name, args, &text))
        .or_else(|| servers::run(ctx, program, &name, args, &text))
        .unwrap_or_else(|| unknown_program(ctx, &name, &text))
}

/// An interpreter given its program on the command line: `python3 -c`, `perl -e`.
fn one_liner(ctx: &mut Ctx<'_>, name: &str, args: &[String], text: &str) -> Option<Ran> {
    match name {
        n if word_list::contains("python python3", n) => python::run(ctx, name, args, text),
        "perl" => perl::run(ctx, args, text),
        _ => None,
    }
}

/// A utility's status: 0 when it did what it was asked, 1 otherwise.
fn status(ok: bool) -> Ran {
    Ran::Status(i32::from(!ok))
}

/// The operands of a command: its arguments that are not options.
fn operands(args: &[String]) -> Vec<&String> {
    let mut out = Vec::new();
    let mut only_operands = false;
    for a in args {
        if only_operands || !a.starts_with('-') || a == "-" {
            out.push(a);
        } else if a == "--" {
            only_operands = true;
        }
    }
    out
}

fn flag(args: &[String], names: &[&str]) -> Option<String> {
    for (i, a) in args.iter().enumerate() {
        for n in names {
            if a == n {
                return args.get(i + 1).cloned();
            }
            if let Some(v) = a.strip_prefix(&format!("{n}=")) {
                return Some(v.to_string());
            }
            if n.len() == 2 && a.starts_with(n) && a.len() > 2 && !a.starts_with("--") {
                return Some(a[2..].to_string());
            }
        }
    }
    None
}

fn split_host_port(text: &str) -> (String, Option<u16>) {
    match text.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => {
            (h.to_string(), p.parse().ok())
        }
        _ => (text.to_string(), None),
    }
}
