//! Runaway recursion (`f() { f; }; f`). A real shell has no bound of its own on how deep functions
//! call each other: busybox ash (busybox:1.36's `sh`), upstream dash and bash without `FUNCNEST`
//! recurse until the C stack (8 MiB) overflows and the kernel kills them with SIGSEGV, exit code 139,
//! with no word of their own (busybox 1.35's ash dies after about 7,000 calls of `f() { f; }`, in a
//! moment). Debian's dash stops at 1,000 calls with "Maximum function recursion depth (1000) reached"
//! and bash with `FUNCNEST` set says "maximum function nesting level exceeded"; podlife models the first
//! family, the `sh` of the images a learner meets.
//!
//! podlife ends such a shell the same way, sooner:
//! - at [`MAX_NESTING`] frames, so that a runaway recursion is over before the busy-loop watch takes it
//!   for a loop that computes, and so that a run costs a bounded number of steps;
//! - at once when a call repeats its caller exactly: the same function called again from the same
//!   place of its own body, with the same arguments and variables, and nothing run in between that
//!   could read or change the world (only function calls, `local` and `echo`/`printf`/`:`/`true`/
//!   `false`, without redirections or command substitutions). A deterministic shell in the same
//!   state does the same again, so it recurses until its stack overflows: an exec probe of
//!   `f() { f; }; f` run every second costs three calls a run instead of a stack's worth.
//!
//! A fork copies the stack: a child of `&`, `( … )` or a pipeline nests on from its parent's depth
//! (`Job::forked_at_depth`), so `f() { (f); }` overflows as surely as `f() { f; }`.
//!
//! The virtual clock does not move either way, so a learner sees the same exit at the same moment;
//! the lines the skipped calls would print are not repeated in the log, and only a finite recursion
//! deeper than [`MAX_NESTING`] would end differently (none of the corpus, the gallery or the
//! Kubernetes documentation's examples comes near it).

use super::super::shell_syntax::Simple;
use super::{Frame, Job};
use std::hash::{Hash, Hasher};

/// Frames (function calls, `eval`s, trap handlers) a shell nests at most.
pub(super) const MAX_NESTING: usize = 200;
/// What a shell killed by SIGSEGV exits with: 128 + 11.
pub(super) const SEGFAULT_EXIT: i32 = 139;

/// Builtins that read nothing outside the job and change nothing but its output and variables (which
/// the entry's state holds): running them reads nothing a later call could see differently.
const WITHIN_THE_JOB: [&str; 6] = ["echo", "printf", ":", "true", "false", "local"];

/// Where a function call was made and the job's state as the call began.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    /// The calling frame's place: (script, block, pc).
    site: (usize, usize, usize),
    /// The job's variables (the call's arguments among them), directory and background jobs, hashed.
    state: u64,
    /// The job's count of commands that could read or change the world.
    effects: u64,
}

impl Entry {
    /// The entry of a call made now from `caller` (the arguments already set as `$1 …`).
    pub(super) fn now(job: &Job, caller: Option<&Frame>) -> Entry {
        Entry {
            site: caller.map_or((usize::MAX, 0, 0), |f| (f.script, f.block, f.pc)),
            state: state_hash(job),
            effects: job.effects,
        }
    }
}

fn state_hash(job: &Job) -> u64 {
    // `DefaultHasher::new()` has fixed keys: the same state hashes the same on every run.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (name, value) in job.vars.iter() {
        (name, value).hash(&mut h);
    }
    job.cwd.hash(&mut h);
    (job.bg.len(), job.last_bg, job.io.len(), job.fors.len()).hash(&mut h);
    (job.functions.len(), job.traps.len(), job.pending.len()).hash(&mut h);
    h.finish()
}

/// Does the call just made (the top frame) repeat the call it was made from, as in `f() { f; }`?
pub(super) fn repeats_its_caller(frames: &[Frame]) -> bool {
    let [.., caller, callee] = frames else {
        return false;
    };
    let (Some(outer), Some(inner)) = (&caller.call, &callee.call) else {
        return false;
    };
    let (outer, inner) = (outer.entry(), inner.entry());
    // The inner call was made from the caller's body; the outer one from the same place of it.
    (caller.script, caller.block) == (callee.script, callee.block) && outer == inner
}

/// Could this command read or change what a later call of the same function sees (a program, a
/// builtin other than those of [`WITHIN_THE_JOB`], a redirection, a command substitution)?
pub(super) fn may_touch_world(command: &Simple, program: Option<&String>, job: &Job) -> bool {
    let pure_program = program
        .is_none_or(|p| WITHIN_THE_JOB.contains(&p.as_str()) || job.functions.contains_key(p));
    !pure_program
        || !command.redirects.is_empty()
        || command.text.contains("$(")
        || command.text.contains('`')
}
