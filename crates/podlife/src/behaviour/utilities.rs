//! The programs a container script calls (coreutils/busybox applets, `nc`, `wget`, `curl`, servers), as
//! what each does to the pod's files and network and how long it runs: `sleep N` runs N seconds, `tail -f`
//! runs until stopped reading what is appended, `nc -z db 5432` succeeds when `db` answers, a known server
//! listens after its start-up time. Anything else is an unknown program, whose duration depends on the
//! kind of container (see [`unknown_program`]).

use crate::sorted_map::SortedMap;
use crate::word_list;

use super::images::{self, OnTerm, ServerRun};
use super::shell_expansion::{date, glob_match, printf};
use super::world::{normalise, World};
use super::Config;
use crate::pod_status::ContainerKind;
use crate::time::{Millis, SimTime};

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
    pub input: Option<Vec<String>>,
    pub pipes: &'a mut SortedMap<usize, Vec<String>>,
    pub vars: &'a SortedMap<String, String>,
    /// Running as an exec probe or hook: unknown programs are taken to succeed at once.
    pub exec_context: bool,
    /// Network checks made (host, port, answered), for summaries.
    pub checks: &'a mut Vec<(String, Option<u16>, bool, SimTime)>,
}

impl Ctx<'_> {
    fn path(&self, p: &str) -> String {
        normalise(p, self.cwd)
    }

    fn emit(&mut self, lines: Vec<String>) {
        match self.out.clone() {
            Out::Log => {
                for l in &lines {
                    self.world.log(self.container, self.at, l);
                }
            }
            Out::Null => {}
            Out::File(p) => {
                if let Err(e) = self.world.append_lines(self.container, &p, &lines, self.at) {
                    let msg = format!("sh: can't write {p}: {}", e.message());
                    self.world.log(self.container, self.at, &msg);
                }
            }
            Out::Pipe(k) => {
                if let Some(pipe) = self.pipes.get_mut(&k) {
                    pipe.extend(lines);
                }
            }
        }
    }

    pub(crate) fn error(&mut self, msg: String) {
        self.world.log(self.container, self.at, &msg);
    }

    fn answers(&mut self, host: &str, port: Option<u16>) -> bool {
        let ok = self.world.answers(host, port, self.at);
        if self.checks.len() < 256 {
            self.checks.push((host.to_string(), port, ok, self.at));
        }
        ok
    }
}

/// `argv[0]` of a program podlife cannot read (`[UNKNOWN_PROGRAM, name, command line]`).
pub(crate) const UNKNOWN_PROGRAM: &str = "\u{1}unknown";

/// Programs this module knows (the rest are unknown programs), a word list.
const KNOWN: &str = "\
    sleep tail cat echo printf touch rm mkdir test [ [[ cp mv ln ls chmod chown chgrp grep \
    egrep fgrep head wc date hostname whoami id uname pwd env printenv true false : nc \
    netcat ncat wget curl nslookup host dig getent ping yes seq which type sed awk cut sort \
    uniq tr tee xargs jq base64 md5sum sha256sum gzip gunzip tar stat find basename dirname \
    sync redis-cli pg_isready mysqladmin grpc_health_probe python python3 httpd nginx mktemp \
    readlink realpath du df ps free uptime nproc expr usleep logger stress";

pub(crate) fn is_known_program(name: &str) -> bool {
    word_list::contains(KNOWN, name) || images::server_of_program(name).is_some()
}

/// Runs `argv` (after the shell's own builtins have been handled).
pub(crate) fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Ran {
    let Some(program) = argv.first() else {
        return Ran::Status(0);
    };
    if program == UNKNOWN_PROGRAM {
        let name = argv.get(1).cloned().unwrap_or_default();
        let text = argv.get(2).cloned().unwrap_or_default();
        return unknown_program(ctx, &name, &text);
    }
    let name = program.rsplit('/').next().unwrap_or(program).to_string();
    let args = &argv[1..];
    let text = argv.join(" ");
    let status = |ok: bool| Ran::Status(i32::from(!ok));
    match name.as_str() {
        "true" | ":" => Ran::Status(0),
        "false" => Ran::Status(1),
        "sleep" | "usleep" => sleep(ctx, &name, args, &text),
        "tail" => tail(ctx, args, &text),
        "yes" => Ran::Program(Box::new(Child::new("yes", &text, ChildKind::Other, ctx.at))),
        "echo" => {
            echo(ctx, args);
            Ran::Status(0)
        }
        "printf" => {
            let text = args
                .first()
                .map(|f| printf(f, &args[1..]))
                .unwrap_or_default();
            let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
            // The last piece has no newline yet.
            lines.pop();
            ctx.emit(lines);
            Ran::Status(0)
        }
        "cat" => cat(ctx, args),
        "touch" => {
            let mut ok = true;
            for f in operands(args) {
                let p = ctx.path(f);
                if let Err(e) = ctx.world.open_for_writing(ctx.container, &p, ctx.at, false) {
                    ctx.error(format!("touch: {p}: {}", e.message()));
                    ok = false;
                }
            }
            status(ok)
        }
        "rm" => rm(ctx, args),
        "mkdir" => {
            let parents = args.iter().any(|a| a.starts_with('-') && a.contains('p'));
            let mut ok = true;
            for d in operands(args) {
                let p = ctx.path(d);
                if let Err(e) = ctx.world.make_dir(ctx.container, &p, ctx.at, parents) {
                    ctx.error(format!(
                        "mkdir: can't create directory '{p}': {}",
                        e.message()
                    ));
                    ok = false;
                }
            }
            status(ok)
        }
        "test" => Ran::Status(test(ctx, args)),
        "[" => match args.split_last() {
            Some((last, rest)) if last == "]" => Ran::Status(test(ctx, rest)),
            _ => {
                ctx.error("sh: [: missing ]".into());
                Ran::Status(2)
            }
        },
        "[[" => match args.split_last() {
            Some((last, rest)) if last == "]]" => {
                let rest: Vec<String> = rest
                    .iter()
                    .map(|a| match a.as_str() {
                        "&&" => "-a".to_string(),
                        "||" => "-o".to_string(),
                        _ => a.clone(),
                    })
                    .collect();
                Ran::Status(test(ctx, &rest))
            }
            _ => Ran::Status(2),
        },
        "cp" | "mv" | "ln" => copy(ctx, &name, args),
        n if word_list::contains("ls stat chmod chown chgrp readlink realpath du", n) => {
            let files: Vec<&String> = operands(args)
                .into_iter()
                .skip(usize::from(word_list::contains("chmod chown chgrp", n)))
                .collect();
            let mut ok = true;
            for f in &files {
                let p = ctx.path(f);
                if ctx.world.exists(ctx.container, &p, ctx.at) {
                    if name == "ls" {
                        ctx.emit(vec![p]);
                    }
                } else {
                    ctx.error(format!("{name}: {p}: No such file or directory"));
                    ok = false;
                }
            }
            Ran::Status(if ok {
                0
            } else if name == "ls" {
                2
            } else {
                1
            })
        }
        "grep" | "egrep" | "fgrep" => grep(ctx, args),
        "head" => {
            let (n, files) = count_and_files(args, 10);
            lines_of_files(ctx, &files, |lines| lines.iter().take(n).cloned().collect())
        }
        "wc" => {
            let files: Vec<String> = operands(args).into_iter().cloned().collect();
            if files.is_empty() {
                let n = ctx.input.as_ref().map_or(0, Vec::len);
                ctx.emit(vec![n.to_string()]);
                return Ran::Status(0);
            }
            let mut ok = true;
            for f in files {
                let p = ctx.path(&f);
                match ctx.world.line_count(ctx.container, &p) {
                    Some(n) => ctx.emit(vec![format!("{n} {f}")]),
                    None => {
                        ctx.error(format!("wc: {f}: No such file or directory"));
                        ok = false;
                    }
                }
            }
            status(ok)
        }
        "date" => {
            ctx.emit(vec![date(args, ctx.at)]);
            Ran::Status(0)
        }
        "hostname" => {
            let h = ctx.vars.get("HOSTNAME").cloned().unwrap_or_default();
            ctx.emit(vec![h]);
            Ran::Status(0)
        }
        "whoami" => {
            ctx.emit(vec!["root".into()]);
            Ran::Status(0)
        }
        "id" => {
            ctx.emit(vec!["uid=0(root) gid=0(root) groups=0(root)".into()]);
            Ran::Status(0)
        }
        "uname" => {
            ctx.emit(vec!["Linux".into()]);
            Ran::Status(0)
        }
        "pwd" => {
            let cwd = ctx.cwd.to_string();
            ctx.emit(vec![cwd]);
            Ran::Status(0)
        }
        "env" | "printenv" => {
            let lines = ctx.vars.iter().map(|(k, v)| format!("{k}={v}")).collect();
            ctx.emit(lines);
            Ran::Status(0)
        }
        "seq" => {
            let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
            let (from, to) = match nums.as_slice() {
                [to] => (1, *to),
                [from, to] | [from, _, to] => (*from, *to),
                _ => (1, 0),
            };
            let lines = (from..=to).take(100_000).map(|n| n.to_string()).collect();
            ctx.emit(lines);
            Ran::Status(0)
        }
        n if word_list::contains(
            "basename dirname expr mktemp nproc uptime free df ps logger sync which type",
            n,
        ) =>
        {
            ctx.emit(vec![String::new()]);
            Ran::Status(0)
        }
        n if word_list::contains(
            "sed awk cut sort uniq tr xargs jq base64 md5sum sha256sum gzip gunzip tar find",
            n,
        ) =>
        {
            filter(ctx, &name, args)
        }
        "tee" => {
            let input = ctx.input.clone().unwrap_or_default();
            let append = args.iter().any(|a| a == "-a" || a == "--append");
            let mut ok = true;
            for f in operands(args) {
                let p = ctx.path(f);
                let res = ctx
                    .world
                    .open_for_writing(ctx.container, &p, ctx.at, !append)
                    .and_then(|_| ctx.world.append_lines(ctx.container, &p, &input, ctx.at));
                if let Err(e) = res {
                    ctx.error(format!("tee: {p}: {}", e.message()));
                    ok = false;
                }
            }
            ctx.emit(input);
            status(ok)
        }
        n if word_list::contains("nc netcat ncat", n) => nc(ctx, args, &text),
        "wget" => fetch(ctx, true, args),
        "curl" => fetch(ctx, false, args),
        n if word_list::contains("nslookup host dig", n) => {
            let Some(host) = operands(args).first().map(|h| h.to_string()) else {
                return Ran::Status(1);
            };
            let ok = ctx.answers(&host, None);
            if !ok {
                ctx.error(format!("** server can't find {host}: NXDOMAIN"));
            }
            status(ok)
        }
        "getent" => {
            let host = args.get(1).cloned().unwrap_or_default();
            let ok = ctx.answers(&host, None);
            Ran::Status(if ok { 0 } else { 2 })
        }
        "ping" => {
            let host = operands(args)
                .into_iter()
                .rfind(|a| a.parse::<u64>().is_err())
                .cloned()
                .unwrap_or_default();
            status(ctx.answers(&host, None))
        }
        "redis-cli" => {
            let host = flag(args, &["-h"]).unwrap_or_else(|| "localhost".into());
            let port = flag(args, &["-p"])
                .and_then(|p| p.parse().ok())
                .unwrap_or(6379);
            let ok = ctx.answers(&host, Some(port));
            if ok {
                ctx.emit(vec!["PONG".into()]);
            }
            status(ok)
        }
        "pg_isready" => {
            let host = flag(args, &["-h", "--host"]).unwrap_or_else(|| "localhost".into());
            let port = flag(args, &["-p", "--port"])
                .and_then(|p| p.parse().ok())
                .unwrap_or(5432);
            Ran::Status(if ctx.answers(&host, Some(port)) { 0 } else { 2 })
        }
        "mysqladmin" => {
            let host = flag(args, &["-h", "--host"]).unwrap_or_else(|| "localhost".into());
            let port = flag(args, &["-P", "--port"])
                .and_then(|p| p.parse().ok())
                .unwrap_or(3306);
            status(ctx.answers(&host, Some(port)))
        }
        "grpc_health_probe" => {
            let addr = args
                .iter()
                .find_map(|a| a.strip_prefix("-addr=").or(a.strip_prefix("--addr=")))
                .map(str::to_string)
                .or_else(|| flag(args, &["-addr", "--addr"]))
                .unwrap_or_default();
            let (host, port) = split_host_port(&addr);
            let host = if host.is_empty() {
                "localhost".to_string()
            } else {
                host
            };
            Ran::Status(if ctx.answers(&host, port) { 0 } else { 2 })
        }
        "python" | "python3" if args.first().map(String::as_str) == Some("-m") => {
            if args.get(1).map(String::as_str) == Some("http.server") {
                let port = args
                    .iter()
                    .skip(2)
                    .find_map(|a| a.parse::<u16>().ok())
                    .unwrap_or(8000);
                let mut c = Child::new("python http.server", &text, ChildKind::Server, ctx.at);
                c.ports = vec![port];
                c.exclusive_ports = true;
                Ran::Program(Box::new(c))
            } else {
                unknown_program(ctx, &name, &text)
            }
        }
        "httpd" => httpd(ctx, args, &text),
        "stress" => super::memory::stress(ctx, args, &text),
        "nginx" if args.iter().any(|a| a == "-s") => {
            let sig = flag(args, &["-s"]).unwrap_or_default();
            let signal = match sig.as_str() {
                "quit" => "QUIT",
                "stop" => "TERM",
                "reload" | "reopen" => "HUP",
                _ => {
                    ctx.error(format!("nginx: [emerg] invalid option: \"-s {sig}\""));
                    return Ran::Status(1);
                }
            };
            if signal != "HUP" {
                ctx.world.signals.push(super::world::SignalRequest {
                    container: ctx.container.to_string(),
                    at: ctx.at,
                    signal: signal.to_string(),
                });
            }
            Ran::Status(0)
        }
        _ => match images::server_of_program(program) {
            Some(server) => start_server(ctx, server, args, &text),
            None => unknown_program(ctx, &name, &text),
        },
    }
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

/// `sleep 5`, `sleep 1.5`, `sleep 2m`, `sleep infinity`; busybox sums several arguments.
fn sleep(ctx: &mut Ctx<'_>, name: &str, args: &[String], text: &str) -> Ran {
    let mut total = 0.0f64;
    for a in args {
        if word_list::contains("infinity inf Infinity", a) {
            return Ran::Program(Box::new(Child::new(
                "sleep",
                text,
                ChildKind::Sleep,
                ctx.at,
            )));
        }
        let (num, unit) = match a.char_indices().last() {
            Some((i, c @ ('s' | 'm' | 'h' | 'd'))) => (&a[..i], c),
            _ => (a.as_str(), 's'),
        };
        let scale = match (name, unit) {
            ("usleep", _) => 0.000_001,
            (_, 'm') => 60.0,
            (_, 'h') => 3600.0,
            (_, 'd') => 86_400.0,
            _ => 1.0,
        };
        match num.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => total += v * scale,
            _ => {
                ctx.error(format!("sleep: invalid number '{a}'"));
                return Ran::Status(1);
            }
        }
    }
    if args.is_empty() {
        ctx.error("sleep: missing operand".into());
        return Ran::Status(1);
    }
    // More than a year is forever on this clock.
    if total > 31_536_000.0 {
        return Ran::Program(Box::new(Child::new(
            "sleep",
            text,
            ChildKind::Sleep,
            ctx.at,
        )));
    }
    let d = Millis::from_secs(total);
    if d.0 == 0 {
        return Ran::Status(0);
    }
    let mut c = Child::new("sleep", text, ChildKind::Sleep, ctx.at);
    c.ends_at = Some(ctx.at + d);
    Ran::Program(Box::new(c))
}

fn count_and_files(args: &[String], default: u64) -> (usize, Vec<String>) {
    let mut n = default;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-n" || a == "-c" {
            n = args
                .get(i + 1)
                .and_then(|v| v.trim_start_matches(['+', '-']).parse().ok())
                .unwrap_or(n);
            i += 2;
            continue;
        }
        if let Some(v) = a.strip_prefix("-n") {
            n = v.trim_start_matches(['+', '-']).parse().unwrap_or(n);
        } else if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            n = a[1..].parse().unwrap_or(n);
        } else if !a.starts_with('-') && !a.starts_with('+') {
            files.push(a.clone());
        }
        i += 1;
    }
    (usize::try_from(n).unwrap_or(usize::MAX), files)
}

/// `tail FILE`, `tail -f FILE` (follows until stopped; gives up when the file is missing), `tail -F`
/// (waits for the file and reopens it when it is replaced).
fn tail(ctx: &mut Ctx<'_>, args: &[String], text: &str) -> Ran {
    let mut follow = false;
    let mut retry = false;
    let mut from_top = false;
    for a in args {
        match a.as_str() {
            "-f" | "--follow" | "--follow=descriptor" => follow = true,
            "-F" | "--follow=name" => {
                follow = true;
                retry = true;
            }
            "--retry" => retry = true,
            s if s.starts_with('-') && !s.starts_with("--") && !s.starts_with("-n") => {
                if s.contains('f') {
                    follow = true;
                }
                if s.contains('F') {
                    follow = true;
                    retry = true;
                }
            }
            _ => {}
        }
        if a.starts_with("-n+") || a.starts_with('+') || a == "+1" {
            from_top = true;
        }
    }
    if args
        .windows(2)
        .any(|w| w[0] == "-n" && w[1].starts_with('+'))
    {
        from_top = true;
    }
    let (n, files) = count_and_files(args, 10);
    let initial = if from_top { u64::MAX } else { n as u64 };
    if !follow {
        return lines_of_files(ctx, &files, |lines| {
            let skip = lines.len().saturating_sub(n);
            if from_top {
                lines.to_vec()
            } else {
                lines[skip..].to_vec()
            }
        });
    }
    if files.is_empty() {
        // Standard input of a container is closed: nothing to follow.
        return Ran::Status(0);
    }
    let mut c = Child::new("tail", text, ChildKind::Follow, ctx.at);
    for f in &files {
        let p = ctx.path(f);
        match ctx.world.follow(ctx.container, &p, ctx.at, retry, initial) {
            Some(id) => c.followers.push(id),
            None => ctx.error(format!("tail: can't open '{f}': No such file or directory")),
        }
    }
    if c.followers.is_empty() {
        ctx.error("tail: no files".into());
        return Ran::Status(1);
    }
    Ran::Program(Box::new(c))
}

fn lines_of_files(
    ctx: &mut Ctx<'_>,
    files: &[String],
    pick: impl Fn(&[String]) -> Vec<String>,
) -> Ran {
    if files.is_empty() {
        let input = ctx.input.clone().unwrap_or_default();
        let lines = pick(&input);
        ctx.emit(lines);
        return Ran::Status(0);
    }
    let mut ok = true;
    for f in files {
        let p = ctx.path(f);
        match ctx.world.read_lines(ctx.container, &p) {
            Some(lines) => {
                let picked = pick(&lines);
                ctx.emit(picked);
            }
            None => {
                ctx.error(format!("{f}: No such file or directory"));
                ok = false;
            }
        }
    }
    Ran::Status(i32::from(!ok))
}

fn echo(ctx: &mut Ctx<'_>, args: &[String]) {
    let mut newline = true;
    let mut escapes = false;
    let mut words = args;
    while let Some(first) = words.first() {
        match first.as_str() {
            "-n" => newline = false,
            "-e" => escapes = true,
            "-E" => escapes = false,
            "-ne" | "-en" => {
                newline = false;
                escapes = true;
            }
            _ => break,
        }
        words = &words[1..];
    }
    let text = words.join(" ");
    let text = if escapes {
        printf(&text.replace('%', "%%"), &[])
    } else {
        text
    };
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    if !newline {
        lines.pop();
    }
    ctx.emit(lines);
}

fn cat(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let files: Vec<String> = operands(args).into_iter().cloned().collect();
    if files.is_empty() || files.iter().all(|f| f == "-") {
        let input = ctx.input.clone().unwrap_or_default();
        ctx.emit(input);
        return Ran::Status(0);
    }
    let mut ok = true;
    for f in &files {
        let p = ctx.path(f);
        if ctx.world.is_dir(ctx.container, &p, ctx.at) {
            ctx.error(format!("cat: read error: Is a directory ({f})"));
            ok = false;
            continue;
        }
        if !ctx.world.exists(ctx.container, &p, ctx.at) {
            ctx.error(format!("cat: can't open '{f}': No such file or directory"));
            ok = false;
            continue;
        }
        let lines = ctx.world.read_lines(ctx.container, &p).unwrap_or_default();
        ctx.emit(lines);
    }
    Ran::Status(i32::from(!ok))
}

fn rm(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let opts: String = args
        .iter()
        .take_while(|a| a.starts_with('-') && a.as_str() != "--")
        .flat_map(|a| a.chars())
        .collect();
    let force = opts.contains('f');
    let recursive = opts.contains('r') || opts.contains('R');
    let mut ok = true;
    for f in operands(args) {
        let p = ctx.path(f);
        let targets: Vec<String> = if p.contains('*') || p.contains('?') {
            ctx.world
                .files
                .keys()
                .filter_map(|k| ctx.world.path_in(ctx.container, k))
                .filter(|path| glob_match(&p, path))
                .collect()
        } else {
            vec![p.clone()]
        };
        if targets.is_empty() && !force {
            ctx.error(format!("rm: can't remove '{f}': No such file or directory"));
            ok = false;
        }
        for t in targets {
            if let Err(e) = ctx.world.remove(ctx.container, &t, ctx.at, recursive) {
                if !(force && e == super::world::FsError::NoSuchFile) {
                    ctx.error(format!("rm: can't remove '{t}': {}", e.message()));
                    ok = false;
                }
            }
        }
    }
    Ran::Status(i32::from(!ok))
}

fn copy(ctx: &mut Ctx<'_>, name: &str, args: &[String]) -> Ran {
    let ops = operands(args);
    let symbolic = name == "ln";
    let (Some(dst), true) = (ops.last(), ops.len() >= 2) else {
        ctx.error(format!("{name}: missing file operand"));
        return Ran::Status(1);
    };
    let dst = ctx.path(dst);
    let mut ok = true;
    for src in &ops[..ops.len() - 1] {
        let sp = ctx.path(src);
        let lines = ctx.world.read_lines(ctx.container, &sp);
        if lines.is_none() && !symbolic {
            ctx.error(format!(
                "{name}: can't stat '{src}': No such file or directory"
            ));
            ok = false;
            continue;
        }
        let target = if ctx.world.is_dir(ctx.container, &dst, ctx.at) {
            let base = sp.rsplit('/').next().unwrap_or(&sp);
            format!("{dst}/{base}")
        } else {
            dst.clone()
        };
        let res = ctx
            .world
            .open_for_writing(ctx.container, &target, ctx.at, true)
            .and_then(|_| {
                ctx.world
                    .append_lines(ctx.container, &target, &lines.unwrap_or_default(), ctx.at)
            });
        match res {
            Ok(()) if name == "mv" => {
                let _ = ctx.world.remove(ctx.container, &sp, ctx.at, true);
            }
            Ok(()) => {}
            Err(e) => {
                ctx.error(format!("{name}: can't create '{target}': {}", e.message()));
                ok = false;
            }
        }
    }
    Ran::Status(i32::from(!ok))
}

fn grep(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let mut quiet = false;
    let mut invert = false;
    let mut count = false;
    let mut ignore_case = false;
    let mut pattern: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-e" {
            pattern = args.get(i + 1).cloned();
            i += 2;
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            quiet |= a.contains('q') || a == "--quiet" || a == "--silent";
            invert |= a.contains('v') && !a.starts_with("--");
            count |= a.contains('c') && !a.starts_with("--");
            ignore_case |= a.contains('i') && !a.starts_with("--");
        } else if pattern.is_none() {
            pattern = Some(a.clone());
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    let Some(pattern) = pattern else {
        return Ran::Status(2);
    };
    let mut lines = Vec::new();
    let mut missing = false;
    if files.is_empty() {
        lines = ctx.input.clone().unwrap_or_default();
    }
    for f in &files {
        let p = ctx.path(f);
        match ctx.world.read_lines(ctx.container, &p) {
            Some(l) => lines.extend(l),
            None => {
                if !quiet {
                    ctx.error(format!("grep: {f}: No such file or directory"));
                }
                missing = true;
            }
        }
    }
    let matches = |line: &str| {
        // `-i` folds ASCII letters, as grep does in the C locale a container without LANG runs in
        // (and Unicode's case tables would be ≈ 14 KB of wasm).
        let (l, p) = if ignore_case {
            (line.to_ascii_lowercase(), pattern.to_ascii_lowercase())
        } else {
            (line.to_string(), pattern.clone())
        };
        let found = match (p.strip_prefix('^'), p.strip_suffix('$')) {
            (Some(rest), _) if rest.ends_with('$') => l == rest.trim_end_matches('$'),
            (Some(rest), _) => l.starts_with(rest),
            (None, Some(rest)) => l.ends_with(rest),
            _ => l.contains(&p),
        };
        found != invert
    };
    let hits: Vec<String> = lines.into_iter().filter(|l| matches(l)).collect();
    if count {
        ctx.emit(vec![hits.len().to_string()]);
    } else if !quiet {
        ctx.emit(hits.clone());
    }
    if missing && hits.is_empty() {
        Ran::Status(2)
    } else {
        Ran::Status(i32::from(hits.is_empty()))
    }
}

/// Text filters: they read their files (or input) and write it on; they fail when a file is missing.
fn filter(ctx: &mut Ctx<'_>, name: &str, args: &[String]) -> Ran {
    let files: Vec<String> = operands(args)
        .into_iter()
        .skip(usize::from(word_list::contains(
            "sed awk tr cut xargs jq",
            name,
        )))
        .filter(|f| f.starts_with('/') || f.starts_with('.'))
        .cloned()
        .collect();
    if name == "find" || name == "tar" {
        return Ran::Status(0);
    }
    lines_of_files(ctx, &files, |lines| lines.to_vec())
}

fn split_host_port(text: &str) -> (String, Option<u16>) {
    match text.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => {
            (h.to_string(), p.parse().ok())
        }
        _ => (text.to_string(), None),
    }
}

/// `nc -z HOST PORT` (is it open?), `nc -l -p PORT` (listen until stopped).
fn nc(ctx: &mut Ctx<'_>, args: &[String], text: &str) -> Ran {
    let mut listen = false;
    let mut port_flag: Option<u16> = None;
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.starts_with('-') && a.len() > 1 {
            if a.contains('l') {
                listen = true;
            }
            if a.ends_with('p') {
                port_flag = args.get(i + 1).and_then(|p| p.parse().ok());
                i += 2;
                continue;
            }
            if a.ends_with('w') || a.ends_with('W') || a.ends_with('i') || a.ends_with('s') {
                i += 2;
                continue;
            }
        } else {
            positional.push(a.clone());
        }
        i += 1;
    }
    if listen {
        let port = port_flag.or_else(|| positional.iter().rev().find_map(|p| p.parse().ok()));
        let mut c = Child::new("nc", text, ChildKind::Server, ctx.at);
        c.ports = port.into_iter().collect();
        c.exclusive_ports = true;
        return Ran::Program(Box::new(c));
    }
    let host = positional.first().cloned().unwrap_or_default();
    let port = positional
        .get(1)
        .and_then(|p| p.split('-').next())
        .and_then(|p| p.parse().ok())
        .or(port_flag);
    let ok = ctx.answers(&host, port);
    Ran::Status(i32::from(!ok))
}

/// `wget URL` / `curl URL`: succeeds when the host answers on the URL's port.
fn fetch(ctx: &mut Ctx<'_>, wget: bool, args: &[String]) -> Ran {
    // The options that take a value, as word lists.
    let takes_value = if wget {
        "-O -o -T -t -U --header -P --timeout --tries -Y"
    } else {
        "\
        -o -H -X -d --data -m --max-time --connect-timeout -u -A -w \
        --retry -e --header --output -b -c -T --cacert --retry-delay --retry-max-time"
    };
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if word_list::contains(takes_value, a) {
            i += 2;
            continue;
        }
        if !a.starts_with('-') && url.is_none() {
            url = Some(a.clone());
        }
        i += 1;
    }
    let Some(url) = url else {
        ctx.error(
            if wget {
                "wget: missing URL"
            } else {
                "curl: no URL specified"
            }
            .into(),
        );
        return Ran::Status(if wget { 1 } else { 2 });
    };
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_string(), r.to_string()),
        None => ("http".to_string(), url.clone()),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = split_host_port(authority);
    let port = port.unwrap_or(if scheme == "https" { 443 } else { 80 });
    if !ctx.answers(&host, Some(port)) {
        if wget {
            ctx.error(format!(
                "wget: can't connect to remote host ({host}): Connection refused"
            ));
            return Ran::Status(1);
        }
        ctx.error(format!(
            "curl: (7) Failed to connect to {host} port {port}: Connection refused"
        ));
        return Ran::Status(7);
    }
    let body = vec![format!("<response from {host}:{port}>")];
    let output = if wget {
        flag(args, &["-O", "--output-document"])
    } else {
        flag(args, &["-o", "--output"]).or_else(|| {
            args.iter()
                .any(|a| a == "-O" || a == "--remote-name")
                .then(|| url_file_name(&rest))
        })
    };
    let spider = args
        .iter()
        .any(|a| a == "--spider" || a == "-I" || a == "--head");
    match output {
        _ if spider => {}
        Some(f) if f == "-" => ctx.emit(body),
        Some(f) if f == "/dev/null" => {}
        Some(f) => {
            let p = ctx.path(&f);
            let res = ctx
                .world
                .open_for_writing(ctx.container, &p, ctx.at, true)
                .and_then(|_| ctx.world.append_lines(ctx.container, &p, &body, ctx.at));
            if let Err(e) = res {
                ctx.error(format!(
                    "{}: can't open '{p}': {}",
                    if wget { "wget" } else { "curl" },
                    e.message()
                ));
                return Ran::Status(if wget { 1 } else { 23 });
            }
        }
        None if wget => {
            let p = ctx.path(&url_file_name(&rest));
            let res = ctx
                .world
                .open_for_writing(ctx.container, &p, ctx.at, true)
                .and_then(|_| ctx.world.append_lines(ctx.container, &p, &body, ctx.at));
            if res.is_err() {
                return Ran::Status(1);
            }
        }
        None => ctx.emit(body),
    }
    Ran::Status(0)
}

fn url_file_name(rest: &str) -> String {
    let path = rest.split(['?', '#']).next().unwrap_or("");
    match path.split_once('/') {
        Some((_, p)) if !p.is_empty() && !p.ends_with('/') => {
            p.rsplit('/').next().unwrap_or("index.html").to_string()
        }
        _ => "index.html".to_string(),
    }
}

/// Apache's `httpd` (needs `-DFOREGROUND`) or busybox's (needs `-f`); both fork away otherwise.
fn httpd(ctx: &mut Ctx<'_>, args: &[String], text: &str) -> Ran {
    let apache = images::image_name(&ctx.config.image) == "httpd";
    let foreground = if apache {
        args.iter().any(|a| a == "-DFOREGROUND" || a == "-X")
    } else {
        args.iter()
            .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('f'))
    };
    if !foreground {
        ctx.error("httpd forks into the background".into());
        return Ran::Status(0);
    }
    let port = flag(args, &["-p"])
        .and_then(|p| split_host_port(&p).1.or_else(|| p.parse().ok()))
        .unwrap_or(80);
    let mut c = Child::new("httpd", text, ChildKind::Server, ctx.at);
    c.ports = vec![port];
    c.exclusive_ports = true;
    if apache {
        c.on_term = OnTerm::Exit {
            code: 0,
            after_ms: 0,
        };
    }
    Ran::Program(Box::new(c))
}

/// A known server program started by the command.
pub(crate) fn start_server(
    ctx: &mut Ctx<'_>,
    server: &'static images::Server,
    args: &[String],
    text: &str,
) -> Ran {
    // A known server listens where its image's configuration says, not where the manifest declares a
    // containerPort (R104): the declared ports count only when its configuration comes with the pod.
    let declared: &[u16] = if server.serves_declared_ports || config_from_pod(ctx, server) {
        &ctx.config.declared_ports
    } else {
        &[]
    };
    match images::run_server(server, args, declared) {
        ServerRun::Exits(code, why) => {
            ctx.error(format!("{}: {why}", server.name));
            Ran::Status(code)
        }
        ServerRun::Serves { ports, on_term, .. } => {
            let mut c = Child::new(server.name, text, ChildKind::Server, ctx.at);
            c.ports = match &ctx.config.overrides.listens {
                Some(p) => p.clone(),
                None => ports,
            };
            c.on_term = on_term;
            c.up_at = ctx.at + Millis(server.listen_after_ms);
            c.exclusive_ports = true;
            if let Some(d) = ctx.config.overrides.start_delay {
                c.up_at = ctx.at + d;
            }
            if server.name == "nginx" && !ctx.world.is_dir(ctx.container, "/var/log/nginx", ctx.at)
            {
                ctx.error(
                    "nginx: [emerg] open() \"/var/log/nginx/error.log\" failed (2: No such file or \
                     directory)"
                        .into(),
                );
                return Ran::Status(1);
            }
            Ran::Program(Box::new(c))
        }
    }
}

/// Is a volume mounted over (or inside) the directory where `server` reads its configuration?
fn config_from_pod(ctx: &Ctx<'_>, server: &images::Server) -> bool {
    if server.config_dir.is_empty() {
        return false;
    }
    let dir = server.config_dir;
    ctx.world
        .mounts
        .get(ctx.container)
        .into_iter()
        .flatten()
        .any(|(_, mount)| {
            mount == dir
                || mount.starts_with(&format!("{dir}/"))
                || dir.starts_with(&format!("{mount}/"))
        })
}

/// A program podlife does not know. In an exec probe or hook it succeeds at once. In an init container
/// it is a step that finishes (1 s, exit 0); in a regular container of a Job-like pod (restartPolicy
/// Never/OnFailure) a task (10 s, exit 0); in a sidecar, or a regular container of a pod that restarts
/// Always, a server that runs until stopped, listening on the declared containerPorts and probe ports,
/// and stopping on SIGTERM with 143.
pub(crate) fn unknown_program(ctx: &mut Ctx<'_>, name: &str, text: &str) -> Ran {
    if ctx.exec_context {
        return Ran::Status(0);
    }
    let mut c = Child::new(name, text, ChildKind::Unknown, ctx.at);
    c.on_term = OnTerm::Exit {
        code: 143,
        after_ms: 0,
    };
    let kind = ctx.config.kind;
    if kind == ContainerKind::Init {
        c.ends_at = Some(ctx.at + Millis::secs(1));
        c.assumption = Some("an unknown program, assumed to finish after 1 s".into());
    } else if kind == ContainerKind::Regular && ctx.config.job_like {
        c.ends_at = Some(ctx.at + Millis::secs(10));
        c.assumption = Some("an unknown program, assumed to finish after 10 s".into());
    } else {
        c.ports = match &ctx.config.overrides.listens {
            Some(p) => p.clone(),
            None => {
                let mut p = ctx.config.declared_ports.clone();
                for q in &ctx.config.probe_ports {
                    if !p.contains(q) {
                        p.push(*q);
                    }
                }
                c.ports_assumed = !p.is_empty();
                p
            }
        };
        c.up_at = ctx.at + ctx.config.overrides.start_delay.unwrap_or(Millis(0));
        c.assumption = Some("an unknown program, assumed to run until stopped".into());
    }
    Ran::Program(Box::new(c))
}

/// `test` / `[`: 0 true, 1 false, 2 error.
pub(crate) fn test(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    match test_expr(ctx, args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) => {
            ctx.error(format!("sh: test: {e}"));
            2
        }
    }
}

fn test_expr(ctx: &mut Ctx<'_>, args: &[String]) -> Result<bool, String> {
    if let Some(i) = args.iter().rposition(|a| a == "-o") {
        if i > 0 && i + 1 < args.len() {
            return Ok(test_expr(ctx, &args[..i])? | test_expr(ctx, &args[i + 1..])?);
        }
    }
    if let Some(i) = args.iter().rposition(|a| a == "-a") {
        if i > 0 && i + 1 < args.len() {
            return Ok(test_expr(ctx, &args[..i])? & test_expr(ctx, &args[i + 1..])?);
        }
    }
    match args {
        [] => Ok(false),
        [a] => Ok(!a.is_empty()),
        [bang, rest @ ..] if bang == "!" => Ok(!test_expr(ctx, rest)?),
        [open, inner @ .., close] if open == "(" && close == ")" => test_expr(ctx, inner),
        [op, operand] => unary(ctx, op, operand),
        [a, op, b] => binary_test(a, op, b),
        _ => Err("too many arguments".into()),
    }
}

fn unary(ctx: &mut Ctx<'_>, op: &str, operand: &str) -> Result<bool, String> {
    let p = ctx.path(operand);
    let w = &ctx.world;
    Ok(match op {
        o if word_list::contains("-e -a -r -w -x", o) => w.exists(ctx.container, &p, ctx.at),
        "-f" => w.is_file(ctx.container, &p, ctx.at),
        "-d" => w.is_dir(ctx.container, &p, ctx.at),
        "-s" => {
            w.is_file(ctx.container, &p, ctx.at) && w.line_count(ctx.container, &p).unwrap_or(0) > 0
        }
        o if word_list::contains("-L -h -p -S -b -c -t -g -u -k", o) => false,
        "-n" => !operand.is_empty(),
        "-z" => operand.is_empty(),
        _ => return Err(format!("{op}: unary operator expected")),
    })
}

fn binary_test(a: &str, op: &str, b: &str) -> Result<bool, String> {
    let num = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("{s}: bad number"))
    };
    Ok(match op {
        "=" | "==" => a == b || (b.contains('*') && glob_match(b, a)),
        "!=" => a != b,
        "<" => a < b,
        ">" => a > b,
        "-eq" => num(a)? == num(b)?,
        "-ne" => num(a)? != num(b)?,
        "-lt" => num(a)? < num(b)?,
        "-le" => num(a)? <= num(b)?,
        "-gt" => num(a)? > num(b)?,
        "-ge" => num(a)? >= num(b)?,
        o if word_list::contains("-nt -ot -ef", o) => false,
        _ => return Err(format!("{op}: binary operator expected")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_host_and_port() {
        assert_eq!(split_host_port("db:5432"), ("db".to_string(), Some(5432)));
        assert_eq!(split_host_port("db"), ("db".to_string(), None));
        assert_eq!(url_file_name("info.cern.ch"), "index.html");
        assert_eq!(url_file_name("example.com/a/b.tar.gz?x=1"), "b.tar.gz");
    }

    #[test]
    fn test_reads_numbers_strings_and_operators() {
        assert_eq!(binary_test("3", "-lt", "5"), Ok(true));
        assert!(binary_test("x", "-lt", "5").is_err());
        assert_eq!(binary_test("abc", "=", "a*"), Ok(true));
    }
}
