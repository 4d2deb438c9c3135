//! Shell functions (`f() { …; }`: a call runs the body's block in a new frame with its own positional
//! parameters; `return` and `local` act on that frame) and the bash-flavoured steps that need the job's
//! variables: `case` patterns, array assignments, and `[[ … =~ … ]]`, which sets `BASH_REMATCH`.

use super::super::shell_expansion::{expand, expand_one, glob_match};
use super::super::shell_regex::Regex;
use super::super::shell_syntax::{ArrayAssign, Word};
use super::super::shell_variables::{set_array, set_positional, unset};
use super::super::world::World;
use super::recursion::{self, Entry, MAX_NESTING, SEGFAULT_EXIT};
use super::{Flow, Frame, Job, Machine};

/// What a function call changed, to put back when it returns.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Call {
    /// The caller's positional parameters.
    positional: Vec<String>,
    /// Variables made `local`, with the values they had before.
    locals: Vec<(String, Option<String>)>,
    /// The caller's `for` loops and pushed redirections: a `return` from inside a loop leaves them.
    fors: usize,
    io: usize,
    /// Where and in what state the call began (`recursion`).
    entry: Entry,
}

impl Call {
    pub(super) fn entry(&self) -> &Entry {
        &self.entry
    }
}

/// The function's frame is done: the caller's parameters, variables, loops and redirections again.
pub(super) fn returned(job: &mut Job, call: Call) {
    set_positional(&mut job.vars, call.positional);
    for (name, old) in call.locals.into_iter().rev() {
        match old {
            Some(v) => job.vars.insert(name, v),
            None => job.vars.remove(&name),
        };
    }
    job.fors.truncate(call.fors);
    job.io.truncate(call.io.max(1));
}

impl Machine {
    /// Runs function body (script, block) with `args` as `$1 …`.
    pub(super) fn call_function(
        &mut self,
        job: &mut Job,
        script: usize,
        block: usize,
        args: &[String],
    ) -> Flow {
        if job.forked_at_depth + job.frames.len() >= MAX_NESTING {
            // Its stack overflowed: killed by the kernel, it runs no EXIT trap and says nothing.
            return Flow::Finish(SEGFAULT_EXIT);
        }
        let positional = set_positional(&mut job.vars, args.to_vec());
        let entry = Entry::now(job, job.frames.last());
        job.frames.push(Frame {
            script,
            block,
            pc: 0,
            trap: None,
            exit_trap: false,
            call: Some(Box::new(Call {
                positional,
                locals: Vec::new(),
                fors: job.fors.len(),
                io: job.io.len(),
                entry,
            })),
        });
        if recursion::repeats_its_caller(&job.frames) {
            // It would call itself the same way until its stack overflowed.
            return Flow::Finish(SEGFAULT_EXIT);
        }
        job.status = 0;
        Flow::Continue
    }

    /// `return [N]` inside a function: leaves its frame (and any loop in it) with status N.
    pub(super) fn return_from_function(&mut self, job: &mut Job, code: i32) -> Flow {
        while let Some(frame) = job.frames.pop() {
            if let Some(call) = frame.call {
                returned(job, *call);
                break;
            }
        }
        job.status = code;
        Flow::Continue
    }

    /// `local NAME[=VALUE]...`: the innermost function's own variables.
    pub(super) fn local(job: &mut Job, names: &[(String, Option<String>)]) -> i32 {
        let Some(call) = job.frames.iter_mut().rev().find_map(|f| f.call.as_mut()) else {
            // Outside a function podlife has always read `local x=1` as an assignment.
            for (name, value) in names {
                if let Some(v) = value {
                    job.vars.insert(name.clone(), v.clone());
                }
            }
            return 0;
        };
        for (name, value) in names {
            if !call.locals.iter().any(|(n, _)| n == name) {
                call.locals
                    .push((name.clone(), job.vars.get(name).cloned()));
            }
            if let Some(v) = value {
                job.vars.insert(name.clone(), v.clone());
            }
        }
        0
    }

    /// Does the `case` word match one of the patterns (shell patterns with `*` and `?`)?
    pub(super) fn case_matches(
        &self,
        job: &mut Job,
        word: &Word,
        patterns: &[Word],
        world: &World,
    ) -> bool {
        let mut env = self.env(job, world);
        let Ok(value) = expand_one(word, &mut env) else {
            return false;
        };
        patterns
            .iter()
            .any(|p| expand_one(p, &mut env).is_ok_and(|p| p == value || glob_match(&p, &value)))
    }

    /// `a=(x y z)`, `a+=(w)`: each value's fields become elements.
    pub(super) fn assign_arrays(
        &self,
        job: &mut Job,
        arrays: &[ArrayAssign],
        world: &World,
    ) -> Result<(), String> {
        for array in arrays {
            let mut values = Vec::new();
            let mut env = self.env(job, world);
            for w in &array.values {
                values.extend(expand(w, &mut env)?);
            }
            set_array(&mut job.vars, &array.name, values, array.append);
        }
        Ok(())
    }

    /// `[[ … STRING =~ REGEX … ]]`: each match is decided here (setting `BASH_REMATCH`, or unsetting it
    /// when the string does not match) and left to `[[` as a true or false word.
    pub(super) fn match_regexes(
        &self,
        job: &mut Job,
        mut argv: Vec<String>,
        world: &mut World,
    ) -> Result<Vec<String>, ()> {
        while let Some(at) = argv.iter().position(|a| a == "=~") {
            let (Some(text), Some(pattern)) =
                (at.checked_sub(1).map(|i| &argv[i]), argv.get(at + 1))
            else {
                world.log(&self.container, self.clock, "bash: `=~` needs two operands");
                return Err(());
            };
            let regex = Regex::new(pattern).map_err(|e| {
                let msg = format!("bash: [[: invalid regular expression `{pattern}`: {e}");
                world.log(&self.container, self.clock, &msg);
            })?;
            let groups = regex.captures(text);
            let matched = groups.is_some();
            match groups {
                Some(groups) => set_array(&mut job.vars, "BASH_REMATCH", groups, false),
                None => unset(&mut job.vars, "BASH_REMATCH"),
            }
            let word = if matched { "1" } else { "" };
            argv.splice(at - 1..=at + 1, [word.to_string()]);
        }
        Ok(argv)
    }
}
