//! The core utilities a script calls (coreutils and busybox applets: `echo`, `cat`, `grep`, `tail`,
//! `sleep`, `cp`, `rm`, `mkdir`, `touch`, `date`, …), as what each does to the container's files and its
//! output, and how long it runs.

use crate::word_list;

use super::super::shell_expansion::{self, date, glob_match, printf, Overgrown};
use super::{operands, status, Child, ChildKind, Ctx, Ran};
use crate::time::Millis;

/// Runs a core utility, or `None` when `name` is not one.
pub(super) fn run(ctx: &mut Ctx<'_>, name: &str, args: &[String], text: &str) -> Option<Ran> {
    Some(match name {
        "true" | ":" => Ran::Status(0),
        "false" => Ran::Status(1),
        "sleep" | "usleep" => sleep(ctx, name, args, text),
        "tail" => tail(ctx, args, text),
        "yes" => Ran::Program(Box::new(Child::new("yes", text, ChildKind::Other, ctx.at))),
        "echo" => {
            echo(ctx, args);
            Ran::Status(0)
        }
        "printf" => printf_command(ctx, args),
        "cat" => cat(ctx, args),
        "touch" => touch(ctx, args),
        "rm" => rm(ctx, args),
        "mkdir" => mkdir(ctx, args),
        "cp" | "mv" | "ln" => copy(ctx, name, args),
        n if word_list::contains("ls stat chmod chown chgrp readlink realpath du", n) => {
            look_at_files(ctx, name, args)
        }
        "grep" | "egrep" | "fgrep" => grep(ctx, args),
        "head" => {
            let (n, files) = count_and_files(args, 10);
            lines_of_files(ctx, &files, |lines| lines.iter().take(n).cloned().collect())
        }
        "wc" => wc(ctx, args),
        // util-linux and busybox `rev`: each line's characters reversed; a missing file is an error
        // and exit 1.
        "rev" => {
            let files: Vec<String> = operands(args).into_iter().cloned().collect();
            lines_of_files(ctx, &files, |lines| {
                lines.iter().map(|l| l.chars().rev().collect()).collect()
            })
        }
        "date" => {
            ctx.world.note_clock_read();
            ctx.emit(vec![date(args, ctx.at)]);
            Ran::Status(0)
        }
        n if word_list::contains("hostname whoami id uname pwd env printenv", n) => {
            let lines = about_the_system(ctx, n);
            ctx.emit(lines);
            Ran::Status(0)
        }
        "seq" => seq(ctx, args),
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
            filter(ctx, name, args)
        }
        "tee" => tee(ctx, args),
        _ => return None,
    })
}

/// `printf FORMAT ARGS...`: what it prints up to its last newline.
fn printf_command(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let text = match args.first().map(|f| printf(f, &args[1..])) {
        Some(Ok(text)) => text,
        Some(Err(overgrown)) => return spent_on(ctx, overgrown),
        None => String::new(),
    };
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    // The last piece has no newline yet.
    lines.pop();
    ctx.emit(lines);
    Ran::Status(0)
}

fn touch(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
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

fn mkdir(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
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

/// `ls`, `stat`, `chmod`, …: they fail on a missing file; `ls` names the ones it finds.
fn look_at_files(ctx: &mut Ctx<'_>, name: &str, args: &[String]) -> Ran {
    let files: Vec<&String> = operands(args)
        .into_iter()
        .skip(usize::from(word_list::contains("chmod chown chgrp", name)))
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

fn wc(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let files: Vec<String> = operands(args).into_iter().cloned().collect();
    if files.is_empty() {
        let n = ctx.input.as_ref().map_or(0, |lines| lines.len());
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

/// What `hostname`, `whoami`, `id`, `uname`, `pwd` and `env` print in a container running as root.
fn about_the_system(ctx: &Ctx<'_>, name: &str) -> Vec<String> {
    match name {
        "hostname" => vec![ctx.vars.get("HOSTNAME").cloned().unwrap_or_default()],
        "whoami" => vec!["root".into()],
        "id" => vec!["uid=0(root) gid=0(root) groups=0(root)".into()],
        "uname" => vec!["Linux".into()],
        "pwd" => vec![ctx.cwd.to_string()],
        _ => ctx.vars.iter().map(|(k, v)| format!("{k}={v}")).collect(),
    }
}

fn seq(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    match shell_expansion::seq(args) {
        Ok(lines) => {
            ctx.emit(lines);
            Ran::Status(0)
        }
        Err(overgrown) => spent_on(ctx, overgrown),
    }
}

/// A utility whose output grew past what a job may hold: its job has spent its compute budget there
/// and computes until stopped (its next step says so), so the status it returns is never read.
fn spent_on(ctx: &mut Ctx<'_>, Overgrown: Overgrown) -> Ran {
    ctx.overgrown.set(true);
    Ran::Status(0)
}

fn tee(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let input = ctx.input_lines();
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
        let input = ctx.input_lines();
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
    // With `%` escaped there are no fields: the text only shrinks.
    let text = if escapes {
        printf(&text.replace('%', "%%"), &[]).unwrap_or(text)
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
        let input = ctx.input_lines();
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
                if !(force && e == super::super::world::FsError::NoSuchFile) {
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
        lines = ctx.input_lines();
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
