//! The line a learner reads next to each container ("runs forever: `tail -F /opt/logs.txt`", "writes a
//! line to /opt/logs.txt every 1 s, forever", "nginx: serves :80 until SIGTERM, then exits 0") and what it
//! does with SIGTERM, read off dry runs of its program on a scratch clock: once as it is, once with
//! every service outside the pod down (to tell a script that waits for one), once with a SIGTERM.

use super::images::OnTerm;
use super::process::{Process, Program};
use super::shell_syntax::{parse, Command, List};
use super::utilities::ChildKind;
use super::{DryRuns, Origin, ProcessState, Signal, World};
use crate::model::Container;
use crate::time::{Millis, SimTime};
use crate::word_list;

/// Wake-ups a dry run takes at most (a loop that sleeps 1 s is read over about a minute).
const DRY_WAKEUPS: usize = 64;
const HORIZON: SimTime = SimTime(3_600_000);

pub(crate) struct Reading {
    pub summary: String,
    pub on_sigterm: String,
    /// It exits by itself: (code, after).
    pub exit: Option<(i32, Millis)>,
    /// Why it runs until stopped (not by assumption).
    pub forever: Option<String>,
    pub ports: Vec<u16>,
    /// Ports an unknown program is only assumed to serve (its declared and probed ports).
    pub assumed_ports: Vec<u16>,
    pub listens_after: Millis,
    /// The programs podlife does not know that it started (the first word of each command line).
    pub unknown_programs: Vec<String>,
    /// The hosts outside the pod the command contacts, in the order it first does.
    pub outside_hosts: Vec<String>,
    /// The dry run found a busy loop podlife skips ahead of: the phrase that says so.
    pub busy_loop: Option<&'static str>,
}

struct Dry {
    process: Process,
    world: World,
    state: ProcessState,
}

/// A world with the container alone in it, drawing on what is left of the call's budget.
fn scratch_world(c: &Container, unreachable: bool, dry_runs: &DryRuns) -> World {
    let mut world = dry_runs.world();
    world.add_container(c);
    world.services_unreachable = unreachable;
    world.every_host_up = !unreachable;
    world
}

/// Runs the program from 0 until it exits, stays put, or has woken `cap` times.
fn dry_run(
    program: &Program,
    c: &Container,
    unreachable: bool,
    cap: usize,
    dry_runs: &mut DryRuns,
) -> Dry {
    let mut world = scratch_world(c, unreachable, dry_runs);
    let mut process = Process::new(&c.name, SimTime(0), program.clone());
    let state = run_on(&mut process, &mut world, SimTime(0), cap);
    dry_runs.spend(&world);
    Dry {
        process,
        world,
        state,
    }
}

fn run_on(process: &mut Process, world: &mut World, from: SimTime, cap: usize) -> ProcessState {
    let mut t = from;
    let mut wakes = 0;
    loop {
        let state = process.run_until(t, world);
        match state {
            ProcessState::Running { wake_at: Some(w) } if wakes < cap && w <= HORIZON => {
                t = w.max(t);
                wakes += 1;
            }
            other => return other,
        }
    }
}

/// A command line in one short line.
pub(crate) fn excerpt(text: &str) -> String {
    let one_line: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
        .replace(";;", ";")
        .replace("do;", "do")
        .replace("then;", "then");
    let compact = one_line.split_whitespace().collect::<Vec<_>>().join(" ");
    let compact = compact.trim_end_matches(';').trim().to_string();
    if compact.chars().count() > 64 {
        format!("{}...", compact.chars().take(61).collect::<String>())
    } else {
        compact
    }
}

fn secs(d: Millis) -> String {
    super::annotations::secs(d)
}

fn after(d: Millis) -> String {
    if d.0 == 0 {
        "at once".into()
    } else {
        format!("after {}", secs(d))
    }
}

/// A top-level `while true`/`until false` loop with no way out: its text.
pub(crate) fn endless_loop(source: &str) -> Option<String> {
    let parsed = parse(source).ok()?;
    for item in &parsed.list {
        if item.background {
            continue;
        }
        for (cmd, _) in &item.and_or.first.commands {
            if let Command::Loop { until, cond, body } = cmd {
                if constant(cond) == Some(!until) && !escapes(body) {
                    let start = source
                        .find(if *until { "until" } else { "while" })
                        .unwrap_or(0);
                    let end = source[start..]
                        .rfind("done")
                        .map_or(source.len(), |e| start + e + 4);
                    return Some(excerpt(&source[start..end]));
                }
            }
        }
    }
    None
}

/// `true`, `:`, `[ 1 ]` → Some(true); `false` → Some(false).
fn constant(cond: &List) -> Option<bool> {
    let [item] = cond.as_slice() else {
        return None;
    };
    if !item.and_or.rest.is_empty() || item.and_or.first.commands.len() != 1 {
        return None;
    }
    let Command::Simple(s) = &item.and_or.first.commands[0].0 else {
        return None;
    };
    let words: Vec<String> = s.words.iter().filter_map(|w| w.literal()).collect();
    let v = match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["true"] | [":"] | ["[", "1", "]"] | ["[", "true", "]"] | ["test", "1"] => true,
        ["sleep", n] if n.parse::<f64>().is_ok() => true,
        ["false"] => false,
        _ => return None,
    };
    Some(v != item.and_or.first.negated)
}

/// Does the list contain `exit`, `break`, `return` or `exec`?
fn escapes(list: &List) -> bool {
    list.iter().any(|item| {
        std::iter::once(&item.and_or.first)
            .chain(item.and_or.rest.iter().map(|(_, p)| p))
            .flat_map(|p| p.commands.iter())
            .any(|(c, _)| match c {
                Command::Simple(s) => s
                    .words
                    .first()
                    .and_then(|w| w.literal())
                    .is_some_and(|w| matches!(w.as_str(), "exit" | "break" | "return" | "exec")),
                Command::Group(l) | Command::Subshell(l) => escapes(l),
                Command::Loop { cond, body, .. } => escapes(cond) || escapes(body),
                Command::For { body, .. } => escapes(body),
                Command::If {
                    branches,
                    otherwise,
                } => {
                    branches.iter().any(|(c, b)| escapes(c) || escapes(b))
                        || otherwise.as_ref().is_some_and(escapes)
                }
                Command::Case { arms, .. } => arms.iter().any(|arm| escapes(&arm.body)),
                Command::Arith(_) | Command::Function { .. } => false,
            })
    })
}

/// A file written again and again at a steady pace: (path, interval).
fn steady_writer(writes: &[(String, SimTime)]) -> Option<(String, Millis)> {
    let mut paths: Vec<&String> = writes.iter().map(|(p, _)| p).collect();
    paths.dedup();
    for path in paths {
        let mut times: Vec<SimTime> = writes
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, t)| *t)
            .collect();
        times.dedup();
        if times.len() < 3 {
            continue;
        }
        let gaps: Vec<u64> = times.windows(2).map(|w| w[1].0 - w[0].0).collect();
        if let Some(&g) = gaps.last() {
            if g > 0 && gaps.iter().rev().take(3).all(|x| *x == g) {
                return Some((path.clone(), Millis(g)));
            }
        }
    }
    None
}

pub(super) fn ports_text(ports: &[u16]) -> String {
    ports
        .iter()
        .map(|p| format!(":{p}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the script waited for when nothing outside the pod answered: "db:5432" and the polling pace.
fn waited_for(dry: &Dry) -> Option<(String, Option<Millis>)> {
    let failed: Vec<&(String, Option<u16>, bool, SimTime)> = dry
        .process
        .checks
        .iter()
        .filter(|(h, _, ok, _)| !ok && !h.is_empty())
        .collect();
    let (host, port, _, _) = failed.last()?;
    let target = match port {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    let times: Vec<SimTime> = failed
        .iter()
        .filter(|(h, p, _, _)| h == host && p == port)
        .map(|(_, _, _, t)| *t)
        .collect();
    let pace = match times.as_slice() {
        [.., a, b] if b > a => Some(b.since(*a)),
        _ => None,
    };
    Some((target, pace))
}

pub(crate) fn read(
    program: &Program,
    origin: &Origin,
    c: &Container,
    dry_runs: &mut DryRuns,
) -> Reading {
    let source = match origin {
        Origin::Script(s) => Some(s.as_str()),
        _ => None,
    };
    let endless = source.and_then(endless_loop);
    // An endless loop is known to run forever: a few rounds show what it does.
    let cap = if endless.is_some() { 8 } else { DRY_WAKEUPS };
    let a = dry_run(program, c, false, cap, dry_runs);
    let overrides = &program.config.overrides;
    let ports = a.process.registered_ports().to_vec();
    let listens_after = a
        .process
        .first_up()
        .map_or(Millis(0), |t| t.since(SimTime(0)));
    let exit = match a.state {
        ProcessState::Exited { code, at } => Some((code, at.since(SimTime(0)))),
        ProcessState::Running { .. } => None,
    };
    let stuck = matches!(a.state, ProcessState::Running { wake_at: None });
    let blocking_child = a.process.pid1_child().cloned().or_else(|| {
        a.process
            .children()
            .into_iter()
            .find(|c| c.ends_at.is_none())
    });

    // Does it wait for something outside the pod?
    let asks_outside = a.process.checks.iter().any(|(h, ..)| !is_local(h));
    let waits = if asks_outside {
        let b = dry_run(program, c, true, 8, dry_runs);
        let b_stuck = !matches!(b.state, ProcessState::Exited { .. });
        if b_stuck {
            waited_for(&b)
        } else {
            None
        }
    } else {
        None
    };
    let waits_prefix = waits.as_ref().map(|(target, pace)| match pace {
        Some(p) => format!(
            "waits until {target} answers (checks every {}), then ",
            secs(*p)
        ),
        None => format!("waits until {target} answers, then "),
    });

    // SIGTERM.
    let on_sigterm = sigterm_reading(program, c, exit, dry_runs);
    let term_short = term_short(&on_sigterm);

    let mut forever: Option<String> = None;
    let runs = |text: &str| match origin {
        Origin::ImageUnknown(image) => format!("runs `{image}`'s default command"),
        _ => format!("runs `{}`", excerpt(text)),
    };
    let unknown_note = |ch: &super::utilities::Child| -> Option<String> {
        ch.assumption
            .as_ref()
            .map(|a| format!("{}: {a}", runs(&ch.text)))
    };
    let oom = a.process.oom_killed().zip(exit);
    let summary = match origin {
        _ if oom.is_some() => oom_summary(oom, origin, c),
        Origin::ImageExits(code, why) => format!("exits {code} at once: no command, and {why}"),
        Origin::Unreadable(why, text) => {
            let assumed = a
                .process
                .started()
                .iter()
                .find_map(|s| s.3.clone())
                .unwrap_or_else(|| "an unknown program".into());
            format!(
                "runs `{}`: podlife cannot read this script ({why}), so it is {assumed}",
                excerpt(text)
            )
        }
        _ => match exit {
            Some((code, d)) => {
                let what = match origin {
                    Origin::Script(s) | Origin::Argv(s) => excerpt(s),
                    Origin::ImageServer(s) => s.name.to_string(),
                    Origin::ImageUnknown(i) => i.clone(),
                    _ => String::new(),
                };
                let assumed = a
                    .process
                    .started()
                    .iter()
                    .find(|s| s.3.is_some())
                    .map(|s| (s.1.clone(), s.3.clone().unwrap_or_default()));
                let log_tail = a.world.logs.get(&c.name).and_then(|log| {
                    python_exception(log).or_else(|| log.back().map(|(_, line)| line.clone()))
                });
                let single = match origin {
                    Origin::Argv(_) | Origin::ImageUnknown(_) => true,
                    Origin::Script(_) => program.script.commands().count() <= 1,
                    _ => false,
                };
                let mut s = match (&assumed, &waits_prefix) {
                    (Some((text, why)), None) if single => format!("{}: {why}", runs(text)),
                    (_, Some(prefix)) => format!("{prefix}exits {code}: `{what}`"),
                    _ => format!("exits {code} {}: `{what}`", after(d)),
                };
                if let (Some((text, why)), false) = (&assumed, single) {
                    s.push_str(&format!(" (`{}` is {why})", excerpt(text)));
                }
                let server_failed = matches!(origin, Origin::ImageServer(_))
                    || log_tail.as_deref().is_some_and(|l| {
                        super::images::SERVERS
                            .iter()
                            .any(|sv| l.starts_with(sv.name))
                    });
                if code != 0 || server_failed {
                    if let Some(line) = log_tail {
                        s.push_str(&format!(" ({line})"));
                    }
                }
                s
            }
            None => {
                let prefix = waits_prefix.clone().unwrap_or_default();
                match (&blocking_child, origin) {
                    (_, Origin::ImageServer(server)) => {
                        forever = Some(format!(
                            "image `{}` runs {} by default",
                            c.image.as_deref().unwrap_or(""),
                            server.name
                        ));
                        serves(server.name, &ports, &term_short)
                    }
                    (Some(ch), _) if ch.kind == ChildKind::Server => {
                        forever = Some(format!("`{}` is a long-running server", excerpt(&ch.text)));
                        format!("{prefix}{}", serves(&ch.name, &ports, &term_short))
                    }
                    _ => {
                        if let Some((path, every)) = steady_writer(&a.process.writes) {
                            let forever_text = if endless.is_some() { ", forever" } else { "" };
                            if let Some(l) = &endless {
                                forever = Some(format!("`{l}` loops forever"));
                            }
                            format!(
                                "{prefix}writes a line to {path} every {}{forever_text}",
                                secs(every)
                            )
                        } else if let Some(l) = &endless {
                            forever = Some(format!("`{l}` loops forever"));
                            format!("{prefix}loops forever: `{l}`")
                        } else if let (true, Some(ch)) = (stuck, &blocking_child) {
                            match unknown_note(ch) {
                                Some(note) => format!("{prefix}{note}"),
                                None => {
                                    forever = Some(match ch.kind {
                                        ChildKind::Follow => {
                                            format!(
                                                "`{}` follows a file forever",
                                                excerpt(&ch.text)
                                            )
                                        }
                                        _ => format!("`{}` never returns", excerpt(&ch.text)),
                                    });
                                    format!("{prefix}runs forever: `{}`", excerpt(&ch.text))
                                }
                            }
                        } else {
                            let what = match origin {
                                Origin::Script(s) | Origin::Argv(s) => excerpt(s),
                                Origin::ImageUnknown(i) => i.clone(),
                                _ => String::new(),
                            };
                            match (&blocking_child, origin) {
                                (Some(ch), Origin::ImageUnknown(i)) if ch.assumption.is_some() => {
                                    format!(
                                        "runs `{i}`'s default command: {}",
                                        ch.assumption.clone().unwrap_or_default()
                                    )
                                }
                                _ => format!(
                                    "{prefix}still running after {}: `{what}`",
                                    secs(a.process.clock().since(SimTime(0)))
                                ),
                            }
                        }
                    }
                }
            }
        },
    };
    let summary = match a.process.busy_loop {
        Some((_, busy)) => format!("{summary}; {}", busy.phrase()),
        None => summary,
    };
    let summary = match (overrides.run, overrides.exit, overrides.start_delay) {
        (None, None, None) => summary,
        (run, code, delay) => {
            let mut parts = Vec::new();
            if let Some(d) = delay {
                parts.push(format!("listens after {}", secs(d)));
            }
            match (run, code) {
                (Some(r), c) => parts.push(format!("exits {} after {}", c.unwrap_or(0), secs(r))),
                (None, Some(c)) => parts.push(format!("exits {c} when it ends")),
                _ => {}
            }
            format!("{summary}; annotated: {}", parts.join(", "))
        }
    };
    let assumed_ports = a
        .process
        .children()
        .iter()
        .filter(|ch| ch.ports_assumed)
        .flat_map(|ch| ch.ports.clone())
        .collect();
    Reading {
        summary,
        on_sigterm,
        exit,
        forever,
        ports,
        assumed_ports,
        listens_after,
        unknown_programs: unknown_programs(&a.process),
        outside_hosts: outside_hosts(&a.process),
        busy_loop: a.process.busy_loop.map(|(_, busy)| busy.phrase()),
    }
}

/// The unknown programs a dry run started, each once.
fn unknown_programs(process: &Process) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, text, kind, _, _) in &process.started {
        let name = text.split_whitespace().next().unwrap_or_default();
        if *kind == ChildKind::Unknown && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// The hosts outside the pod a dry run contacted (with every host answering), each once.
fn outside_hosts(process: &Process) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (host, ..) in &process.checks {
        if !is_local(host) && !out.contains(host) {
            out.push(host.clone());
        }
    }
    out
}

fn is_local(host: &str) -> bool {
    host.is_empty()
        || word_list::contains(
            "localhost 127.0.0.1 0.0.0.0 ::1 localhost.localdomain",
            host,
        )
}

/// "OOM-killed after 0.1 s (exit 137): `stress --vm 1 --vm-bytes 250M` uses 250 MiB, over its memory
/// limit 100Mi" (R105).
fn oom_summary(oom: Option<(u64, (i32, Millis))>, origin: &Origin, c: &Container) -> String {
    let Some((used, (_, after_start))) = oom else {
        return String::new();
    };
    let what = match origin {
        Origin::Script(s) | Origin::Argv(s) | Origin::Unreadable(_, s) => excerpt(s),
        Origin::ImageServer(s) => s.name.to_string(),
        Origin::ImageUnknown(i) => i.clone(),
        Origin::ImageExits(..) => String::new(),
    };
    let limit = c
        .resources
        .as_ref()
        .and_then(|r| r.limits.get("memory"))
        .cloned()
        .unwrap_or_default();
    format!(
        "OOM-killed {} (exit 137): `{what}` uses {}, over its memory limit {limit}",
        after(after_start),
        super::memory::bytes_text(used)
    )
}

fn serves(name: &str, ports: &[u16], term: &str) -> String {
    if ports.is_empty() {
        format!("{name}: runs until SIGTERM{term}")
    } else {
        format!("{name}: serves {} until SIGTERM{term}", ports_text(ports))
    }
}

/// ", then exits 0" from "SIGTERM: exits 0 at once (...)", ", then exits 0 after 1 s" from a program
/// that takes a second to stop: what follows "until SIGTERM".
fn term_short(on_sigterm: &str) -> String {
    let Some(rest) = on_sigterm.strip_prefix("SIGTERM: ") else {
        return String::new();
    };
    if rest.starts_with("ignored") {
        return ", which it ignores".into();
    }
    let core = rest.split(" (").next().unwrap_or(rest);
    let core = core.trim_end_matches(" at once");
    format!(", then {core}")
}

fn sigterm_reading(
    program: &Program,
    c: &Container,
    exit: Option<(i32, Millis)>,
    dry_runs: &mut DryRuns,
) -> String {
    let ts = match exit {
        None => SimTime(1000),
        Some((_, d)) if d > Millis(1000) => SimTime(1000),
        Some((_, d)) if d > Millis(0) => SimTime(0),
        Some(_) => return "SIGTERM: never gets one (it exits at once)".into(),
    };
    let mut world = scratch_world(c, false, dry_runs);
    let mut p = Process::new(&c.name, SimTime(0), program.clone());
    p.run_until(ts, &mut world);
    let answer = sigterm_answer(program, &mut p, &mut world, exit, ts);
    dry_runs.spend(&world);
    answer
}

/// What the dry run `p`, running at `ts`, does with a SIGTERM then.
fn sigterm_answer(
    program: &Program,
    p: &mut Process,
    world: &mut World,
    exit: Option<(i32, Millis)>,
    ts: SimTime,
) -> String {
    if p.exit_state().is_some() {
        return "SIGTERM: never gets one (it exits at once)".into();
    }
    let shell = p.pid1_is_shell();
    let trap = p.pid1_traps_term();
    let child = p.pid1_child().cloned();
    let annotated = program.config.overrides.sigterm.is_some();
    // PID 1 without a handler: the signal changes nothing, no need to run on.
    let dropped = !annotated
        && p.pid1_is_init()
        && if shell {
            !trap
        } else {
            child.as_ref().is_some_and(|c| c.on_term == OnTerm::Default)
        };
    p.signal(Signal::Term, ts, world);
    let state = if dropped {
        match exit {
            Some((code, d)) => ProcessState::Exited {
                code,
                at: SimTime(d.0),
            },
            None => ProcessState::Running { wake_at: None },
        }
    } else {
        run_on(p, world, ts, 16)
    };
    let who = match (&child, shell) {
        (_, true) => "the shell".to_string(),
        (Some(ch), false) => format!("`{}`", ch.name),
        (None, false) => "the program".to_string(),
    };
    let ignored = if annotated {
        "SIGTERM: ignored (annotation)".to_string()
    } else {
        format!("SIGTERM: ignored: {who} is PID 1 and has no handler for it")
    };
    match state {
        ProcessState::Exited { code, at } => {
            let d = at.since(ts);
            let natural = exit.is_some_and(|(c0, d0)| c0 == code && d0 == at.since(SimTime(0)));
            if natural && !(shell && trap) {
                return format!(
                    "{ignored}; SIGKILL at the deadline gives 137, unless it has exited {code} by itself"
                );
            }
            let why = if annotated {
                " (annotation)".to_string()
            } else if shell && trap {
                match (&child, d > Millis(0)) {
                    (Some(f), true) => format!(
                        " (its TERM trap, which runs when the foreground `{}` returns)",
                        excerpt(&f.text)
                    ),
                    _ => " (its TERM trap)".to_string(),
                }
            } else if let Some(ch) = &child {
                match (ch.kind, ch.on_term) {
                    (ChildKind::Unknown, _) => {
                        " (assumed: an unknown program stops on SIGTERM)".to_string()
                    }
                    (ChildKind::Server, OnTerm::Exit { .. }) => {
                        match super::images::SERVERS.iter().find(|s| s.name == ch.name) {
                            Some(s) => format!(" ({})", s.term_note),
                            None => format!(" (`{}` handles it)", ch.name),
                        }
                    }
                    _ => " (the default action)".to_string(),
                }
            } else {
                " (the default action)".to_string()
            };
            format!("SIGTERM: exits {code} {}{why}", after(d))
        }
        ProcessState::Running { .. } => {
            format!("{ignored}; SIGKILL at the deadline gives 137")
        }
    }
}

/// The exception of the last Python traceback in a log: the first line after `Traceback (most recent
/// call last):` that is not one of its indented `File …` lines. Python writes the traceback to stderr as
/// it exits and only then flushes what the script printed to a piped stdout, so the log's last line is
/// the script's own output, not why it failed.
fn python_exception(
    log: &std::collections::VecDeque<(crate::time::SimTime, String)>,
) -> Option<String> {
    let start = log
        .iter()
        .rposition(|(_, line)| line == "Traceback (most recent call last):")?;
    log.iter()
        .skip(start + 1)
        .map(|(_, line)| line)
        .find(|line| !line.starts_with(' '))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_loops_are_found_and_loops_with_a_way_out_are_not() {
        assert!(endless_loop("while true; do echo x >> /f; sleep 1; done").is_some());
        assert!(endless_loop("while :; do sleep 5; done").is_some());
        assert!(endless_loop("until false; do sleep 5; done").is_some());
        assert!(endless_loop("while true; do test -f /done && exit 0; sleep 1; done").is_none());
        assert!(endless_loop("while [ ! -f /x ]; do sleep 1; done").is_none());
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(
            excerpt("while true\ndo\n  echo hi\n  sleep 1\ndone\n"),
            "while true; do echo hi; sleep 1; done"
        );
        assert!(excerpt(&"x".repeat(200)).ends_with("..."));
    }
}
