//! The shell's own commands (dash's and busybox ash's builtins: `exit`, `trap`, `wait`, `kill`, `cd`,
//! `export`, `set`, `read`, `eval`, `.`, …) and a nested `sh -c`: what each does to the job that runs
//! it, without starting a program.

use crate::word_list;

use super::super::shell_steps::Flavour;
use super::super::shell_variables::{positional, set_positional, unset};
use super::super::world::{normalise, SignalRequest, World};
use super::{deliver_to, frame, Delivery, Flow, Input, Invocation, Job, JobState, Machine, Sig};

impl Machine {
    /// Runs `run` when it is a builtin (or `sh -c`); `None` when it is a program.
    pub(super) fn run_builtin(
        &mut self,
        pid: u32,
        job: &mut Job,
        run: &Invocation,
        world: &mut World,
    ) -> Option<Flow> {
        let argv = &run.argv;
        let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]);
        let args = &argv[1..];
        let status = match name {
            "exit" | "return" => {
                let code = args
                    .first()
                    .map(|a| a.parse::<i64>().map_or(2, |n| (n.rem_euclid(256)) as i32))
                    .unwrap_or(job.status);
                if name == "return" && job.frames.iter().any(|f| f.call.is_some()) {
                    return Some(self.return_from_function(job, code));
                }
                return Some(self.exit_job(job, code));
            }
            "wait" => return Some(self.wait(pid, job, args)),
            "kill" => match self.kill(pid, job, args, world) {
                Ok(status) => status,
                // The job signalled itself to death.
                Err(code) => return Some(Flow::Finish(code)),
            },
            "cd" => self.cd(job, args, world),
            "false" => 1,
            "." | "source" => return Some(self.source(job, args, world)),
            n if word_list::contains("sh bash ash dash zsh ksh", n) => {
                return self.nested_shell(pid, job, name, run, world);
            }
            _ => {
                return self.set_builtin(job, name, run, world).map(|s| {
                    job.status = s;
                    Flow::Continue
                })
            }
        };
        job.status = status;
        Some(self.after_status(job, run.errexit))
    }

    /// The builtins that change the shell's state and never stop a `set -e` script: their status.
    fn set_builtin(
        &mut self,
        job: &mut Job,
        name: &str,
        run: &Invocation,
        world: &mut World,
    ) -> Option<i32> {
        let args = &run.argv[1..];
        Some(match name {
            "trap" => self.trap(job, args, world),
            "local" => Machine::local(job, &local_names(run)),
            n if word_list::contains("export readonly declare typeset", n) => {
                for (n, v) in &run.assigns {
                    job.vars.insert(n.clone(), v.clone());
                }
                for a in args {
                    if let Some((n, v)) = a.split_once('=') {
                        job.vars.insert(n.to_string(), v.to_string());
                    }
                }
                0
            }
            "unset" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    unset(&mut job.vars, a);
                }
                0
            }
            "shift" => shift(job, args),
            "set" => {
                set_options(job, args);
                0
            }
            n if word_list::contains("umask ulimit alias unalias hash shopt : true", n) => 0,
            "break" | "continue" => 0,
            "read" => self.read(job, run),
            "eval" => self.eval(job, args, world),
            _ => return None,
        })
    }

    fn cd(&mut self, job: &mut Job, args: &[String], world: &mut World) -> i32 {
        let target = args.first().cloned().unwrap_or_else(|| "/root".into());
        let path = normalise(&target, &job.cwd);
        if world.is_dir(&self.container, &path, self.clock) {
            job.cwd = path;
            return 0;
        }
        world.log(
            &self.container,
            self.clock,
            &format!("sh: cd: can't cd to {target}: No such file or directory"),
        );
        2
    }

    /// `read [-r] [NAME...]`: one line of input split over the names (the last takes the rest), or
    /// `REPLY`; 1 at the end of input.
    fn read(&mut self, job: &mut Job, run: &Invocation) -> i32 {
        let args = &run.argv[1..];
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let own_input = job.io.last().is_some_and(|io| io.input != run.io.input);
        let line = match &run.io.input {
            // `read line < FILE`: the first line of its own input.
            Some(input) if own_input => self.input_lines(input).first().cloned(),
            _ => self.read_line(job),
        };
        let Some(line) = line else {
            return 1;
        };
        let mut fields = line.split_whitespace();
        for (k, n) in names.iter().enumerate() {
            let v = if k + 1 == names.len() {
                fields.by_ref().collect::<Vec<_>>().join(" ")
            } else {
                fields.next().unwrap_or("").to_string()
            };
            job.vars.insert((*n).clone(), v);
        }
        if names.is_empty() {
            job.vars.insert("REPLY".into(), line);
        }
        0
    }

    fn eval(&mut self, job: &mut Job, args: &[String], world: &mut World) -> i32 {
        let text = args.join(" ");
        match self.compile_dynamic(&text, Flavour::Sh) {
            Ok(idx) => {
                job.frames.push(frame(idx, 0));
                job.status
            }
            Err(e) => {
                world.log(&self.container, self.clock, &format!("sh: eval: {e}"));
                2
            }
        }
    }

    /// `. FILE`: podlife does not read the file's commands; a missing file ends the shell.
    fn source(&mut self, job: &mut Job, args: &[String], world: &mut World) -> Flow {
        let path = normalise(args.first().map_or("", String::as_str), &job.cwd);
        if world.is_file(&self.container, &path, self.clock) {
            job.status = 0;
            return Flow::Continue;
        }
        world.log(
            &self.container,
            self.clock,
            &format!("sh: .: can't open {path}"),
        );
        self.exit_job(job, 2)
    }

    /// `sh -c SCRIPT` inside a script: the script runs in place of the shell when it is the last command
    /// (dash execs it), in a child shell otherwise. `sh` alone reads its closed standard input and
    /// returns; `sh FILE` is a program.
    fn nested_shell(
        &mut self,
        pid: u32,
        job: &mut Job,
        name: &str,
        run: &Invocation,
        world: &mut World,
    ) -> Option<Flow> {
        let args = &run.argv[1..];
        let Some(pos) = args
            .iter()
            .position(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('c'))
        else {
            if args.is_empty() {
                job.status = 0;
                return Some(self.after_status(job, run.errexit));
            }
            return None;
        };
        let text = args.get(pos + 1).cloned().unwrap_or_default();
        let flavour = if name == "bash" {
            Flavour::Bash
        } else {
            Flavour::Sh
        };
        let idx = match self.compile_dynamic(&text, flavour) {
            Ok(idx) => idx,
            Err(e) => {
                let msg = format!("{name}: syntax error: {e}");
                world.log(&self.container, self.clock, &msg);
                job.status = 2;
                return Some(self.after_status(job, run.errexit));
            }
        };
        if run.replaces_shell && run.deadline.is_none() {
            job.frames = vec![frame(idx, 0)];
            job.fors.clear();
            job.shell = true;
            job.traps.retain(|_, h| h.is_none());
            return Some(Flow::Continue);
        }
        if self.jobs.len() >= self.max_jobs() {
            return Some(self.forks_without_end(job));
        }
        let child = self.spawn(pid, job, vec![frame(idx, 0)], false);
        if let (Some((d, code)), Some(c)) = (run.deadline, self.jobs.get_mut(&child)) {
            c.deadline = Some((self.clock + d, code));
        }
        job.state = JobState::Join(vec![child], Vec::new());
        Some(Flow::Block)
    }

    fn read_line(&mut self, job: &mut Job) -> Option<String> {
        let io = job.io.last_mut()?;
        if let Some(Input::Pipe(k)) = &io.input {
            let lines = self.pipes.get(k).cloned().unwrap_or_default();
            io.input = Some(Input::Lines(lines.into(), 0));
        }
        match &mut io.input {
            Some(Input::Lines(lines, pos)) => {
                let line = lines.get(*pos).cloned();
                *pos += 1;
                line
            }
            _ => None,
        }
    }

    fn trap(&mut self, job: &mut Job, args: &[String], world: &mut World) -> i32 {
        if args.is_empty() || args[0] == "-p" || args[0] == "-l" {
            return 0;
        }
        let (action, signals) = if args[0] == "-" {
            (None, &args[1..])
        } else if args.len() == 1
            || (Sig::parse(&args[0]).is_some() && args[0].parse::<u32>().is_ok())
        {
            // `trap 15`: POSIX resets a single numeric operand.
            (None, args)
        } else {
            (Some(args[0].as_str()), &args[1..])
        };
        let mut status = 0;
        for s in signals {
            let Some(sig) = Sig::parse(s) else {
                world.log(
                    &self.container,
                    self.clock,
                    &format!("sh: trap: {s}: bad trap"),
                );
                status = 1;
                continue;
            };
            if sig == Sig::Kill {
                status = 1;
                continue;
            }
            match action {
                None => {
                    job.traps.remove(&sig);
                }
                Some("") => {
                    job.traps.insert(sig, None);
                }
                Some(text) => match self.compile_dynamic(text, Flavour::Sh) {
                    Ok(idx) => {
                        job.traps.insert(sig, Some(idx));
                    }
                    Err(e) => {
                        world.log(&self.container, self.clock, &format!("sh: trap: {e}"));
                        status = 2;
                    }
                },
            }
        }
        status
    }

    fn resolve_job(&self, job: &Job, spec: &str) -> Option<u32> {
        if let Some(n) = spec.strip_prefix('%') {
            return match n {
                "" | "%" | "+" => job.bg.last().copied(),
                "-" => job.bg.iter().rev().nth(1).copied(),
                n => n
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| i.checked_sub(1))
                    .and_then(|i| job.bg.get(i).copied()),
            };
        }
        spec.parse().ok()
    }

    fn wait(&mut self, pid: u32, job: &mut Job, args: &[String]) -> Flow {
        let live = |p: &u32| {
            self.jobs
                .get(p)
                .is_some_and(|j| j.parent == Some(pid) && j.background)
        };
        let targets: Vec<u32> = args
            .iter()
            .filter(|a| !a.starts_with('-') || a.starts_with("%-"))
            .filter_map(|a| self.resolve_job(job, a))
            .collect();
        if args
            .iter()
            .all(|a| a.starts_with('-') && !a.starts_with("%-"))
        {
            let any_live = self
                .jobs
                .values()
                .any(|j| j.parent == Some(pid) && j.background);
            if !any_live {
                job.status = 0;
                return Flow::Continue;
            }
            job.state = JobState::Wait(None);
            return Flow::Block;
        }
        if targets.iter().any(live) {
            job.state = JobState::Wait(Some(targets));
            return Flow::Block;
        }
        job.status = targets
            .last()
            .and_then(|p| job.reaped.get(p))
            .copied()
            .unwrap_or(127);
        Flow::Continue
    }

    /// `kill [-SIG] PID...`: the status, or `Err(code)` when the job signalled itself to death.
    fn kill(
        &mut self,
        pid: u32,
        job: &mut Job,
        args: &[String],
        world: &mut World,
    ) -> Result<i32, i32> {
        let mut sig = Sig::Term;
        let mut targets = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "-l" || a == "-L" {
                return Ok(0);
            }
            if a == "-s" || a == "-n" {
                if let Some(s) = args.get(i + 1).and_then(|s| Sig::parse(s)) {
                    sig = s;
                }
                i += 2;
                continue;
            }
            if a == "--" {
                i += 1;
                continue;
            }
            if let Some(s) = a
                .strip_prefix('-')
                .filter(|s| !s.is_empty() && !s.starts_with('%'))
            {
                match Sig::parse(s) {
                    Some(s) => sig = s,
                    None => {
                        // `kill -1`: every process.
                        targets.push(u32::MAX);
                    }
                }
            } else {
                match self.resolve_job(job, a) {
                    Some(p) => targets.push(p),
                    None => {
                        world.log(
                            &self.container,
                            self.clock,
                            &format!("sh: kill: {a}: arguments must be process or job IDs"),
                        );
                        return Ok(1);
                    }
                }
            }
            i += 1;
        }
        if targets.is_empty() {
            return Ok(2);
        }
        let mut status = 0;
        for t in targets {
            let all: Vec<u32> = if t == 0 || t == u32::MAX {
                self.jobs
                    .keys()
                    .copied()
                    .chain(std::iter::once(pid))
                    .collect()
            } else {
                vec![t]
            };
            for target in all {
                if self.exec_context && target == 1 {
                    // An exec session is not PID 1: `kill 1` reaches the container's main process.
                    world.signals.push(SignalRequest {
                        container: self.container.clone(),
                        at: self.clock,
                        signal: sig.name().to_string(),
                    });
                } else if target == pid {
                    match deliver_to(job, sig, true, self.clock) {
                        Delivery::Nothing => {}
                        Delivery::JobDies(code) => return Err(code),
                    }
                } else if self.jobs.contains_key(&target) {
                    self.deliver(target, sig, true, world);
                } else {
                    world.log(
                        &self.container,
                        self.clock,
                        &format!("sh: kill: can't kill pid {target}: No such process"),
                    );
                    status = 1;
                }
            }
        }
        Ok(status)
    }
}

/// `set -e`, `set +e`, `set -o errexit`, `set +o errexit` (other options change nothing modelled).
fn set_options(job: &mut Job, args: &[String]) {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-o" || a == "+o" {
            if args.get(i + 1).map(String::as_str) == Some("errexit") {
                job.errexit = a == "-o";
            }
            i += 2;
            continue;
        }
        if let Some(flags) = a.strip_prefix('-') {
            if flags.contains('e') {
                job.errexit = true;
            }
        } else if let Some(flags) = a.strip_prefix('+') {
            if flags.contains('e') {
                job.errexit = false;
            }
        }
        i += 1;
    }
}

/// `local a b=1`'s names and values (`local` with assignments before it: `x=1 local y`).
fn local_names(run: &Invocation) -> Vec<(String, Option<String>)> {
    let assigned = run
        .assigns
        .iter()
        .map(|(n, v)| (n.clone(), Some(v.clone())));
    let named = run.argv[1..]
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(|a| match a.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        });
    assigned.chain(named).collect()
}

/// `shift [N]`: drops the first N positional parameters; 1 when there are fewer.
fn shift(job: &mut Job, args: &[String]) -> i32 {
    let n = args.first().and_then(|a| a.parse().ok()).unwrap_or(1usize);
    let mut params = positional(&job.vars);
    if n > params.len() {
        return 1;
    }
    params.drain(..n);
    set_positional(&mut job.vars, params);
    0
}
