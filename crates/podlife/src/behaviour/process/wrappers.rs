//! The programs that run the rest of their command line (`nohup`, `env`, `nice`, `gosu`, `tini`,
//! `timeout`, …): the shell looks through them to the program they start, keeping what they change (an
//! `env` variable, `timeout`'s deadline, an init process in place of PID 1's signal rule).

use crate::time::Millis;
use crate::word_list;

use super::{Job, Sig};

/// Drops the wrappers at the front of `argv`; `timeout`'s deadline and status, when one was there.
pub(super) fn strip(argv: &mut Vec<String>, job: &mut Job) -> Option<(Millis, i32)> {
    let mut deadline = None;
    while let Some(first) = argv.first().cloned() {
        let base = first.rsplit('/').next().unwrap_or(&first).to_string();
        let skip = match base.as_str() {
            w if word_list::contains("nohup setsid time", w) => 1,
            "command" if argv.get(1).is_some_and(|a| !a.starts_with('-')) => 1,
            w if word_list::contains("nice ionice stdbuf", w) => {
                1 + argv[1..]
                    .iter()
                    .take_while(|a| a.starts_with('-'))
                    .count()
                    .min(argv.len() - 1)
            }
            "env" if argv.len() > 1 => env(argv, job),
            "su-exec" | "gosu" => 2,
            w if word_list::contains("tini dumb-init catatonit", w) => {
                // The init process handles signals now: the job is no longer PID 1 to the kernel.
                job.init = false;
                init_options(argv)
            }
            "timeout" => match timeout(argv) {
                Some((skip, limit)) => {
                    deadline = Some(limit);
                    skip
                }
                None => 0,
            },
            _ => 0,
        };
        if skip == 0 || skip > argv.len() {
            break;
        }
        argv.drain(..skip);
    }
    deadline
}

/// `env [-i] [NAME=VALUE]... CMD`: sets the variables; how many words come before `CMD`.
fn env(argv: &[String], job: &mut Job) -> usize {
    let mut k = 1;
    while argv
        .get(k)
        .is_some_and(|a| a.starts_with('-') || a.contains('='))
    {
        if let Some((n, v)) = argv[k].split_once('=') {
            job.vars.insert(n.to_string(), v.to_string());
        }
        k += 1;
    }
    k
}

/// `tini [-s] [--] CMD`: how many words come before `CMD`.
fn init_options(argv: &[String]) -> usize {
    let mut k = 1;
    while argv.get(k).is_some_and(|a| a.starts_with('-')) {
        k += 1;
        if argv[k - 1] == "--" {
            break;
        }
    }
    k
}

/// `timeout [-s SIG] [-k D] DURATION CMD`: how many words come before `CMD`, the duration, and the
/// status the command ends with then (124, or 137 for `-s KILL`). `None` without a duration.
fn timeout(argv: &[String]) -> Option<(usize, (Millis, i32))> {
    let mut k = 1;
    let mut code = 124;
    while let Some(a) = argv.get(k) {
        if a == "-s" || a == "-k" {
            if a == "-s" && argv.get(k + 1).and_then(|s| Sig::parse(s)) == Some(Sig::Kill) {
                code = 137;
            }
            k += 2;
        } else if a.starts_with('-') {
            k += 1;
        } else {
            break;
        }
    }
    let d = crate::time::parse_duration(argv.get(k)?).ok()?;
    Some((k + 1, (d, code)))
}
