//! Loops that sleep and repeat themselves: `while true; do echo tick; sleep 1; done`. What one round of
//! such a loop does to the world is written down in a [`Journal`] while its job steps; when a round
//! leaves the job as the previous one did (same place in its script, same variables, `$?`, frames), in
//! the same `sleep`, having only appended the same lines to its log and to its own files, and having
//! read nothing that its rounds or the clock change, every later round will do the same until
//! something outside it changes. Podlife then plays many rounds at once ([`replay`]): the lines of
//! the last rounds go into the kept windows (`World`'s `KEPT_*`), the earlier ones are only counted,
//! exactly as step-by-step interpretation would have left them. The process side (`process/periodic`)
//! decides when; the pod worker says up to when (`kubelet/periodic_wakes`).
//!
//! This is the sleeping counterpart of `busy_loop`, which skips loops that never sleep.

use std::cell::{Cell, RefCell};

use super::world::{FileKey, World};
use crate::time::{Millis, SimTime};

/// One effect of a round on the world.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Effect {
    /// A line of the container's log.
    Log(String),
    /// Lines appended to one of the container's own files (by its path, as the script named it).
    Append {
        key: FileKey,
        path: String,
        lines: Vec<String>,
    },
}

/// What a job did to the world while it stepped (`World::journal` holds the one being written).
#[derive(Debug, Clone, Default)]
pub(crate) struct Journal {
    pub effects: Vec<Effect>,
    /// Something other than appending happened (a file made, removed or emptied, a volume written,
    /// a `tail -f` started): the round is not one podlife replays.
    pub other: bool,
    /// Files whose lines or counts were read (`cat`, `wc -l`, `[ -s f ]`): a round that reads what
    /// its rounds append would change once the file grew.
    pub reads: RefCell<Vec<FileKey>>,
    /// The clock was read (`date`): later rounds could differ.
    pub clock_read: Cell<bool>,
}

impl Journal {
    /// May rounds like this one be replayed without being interpreted?
    pub(crate) fn replayable(&self) -> bool {
        let reads = self.reads.borrow();
        !self.other
            && !self.clock_read.get()
            && !self.effects.iter().any(|e| match e {
                Effect::Append { key, .. } => reads.contains(key),
                Effect::Log(_) => false,
            })
    }
}

/// The rounds to replay: `count` of them, the first at `first`, one every `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rounds {
    pub first: SimTime,
    pub period: Millis,
    pub count: u64,
}

impl Rounds {
    /// The rounds of a loop waking at `first` and every `period` after, before `limit`.
    pub(crate) fn before(first: SimTime, period: Millis, limit: SimTime) -> Rounds {
        let count = if first < limit && period.0 > 0 {
            (limit.0 - first.0 - 1) / period.0 + 1
        } else {
            0
        };
        Rounds {
            first,
            period,
            count,
        }
    }

    pub(crate) fn at(&self, round: u64) -> SimTime {
        SimTime(self.first.0 + round * self.period.0)
    }
}

/// Applies `rounds` rounds of `effects` by `container` to the world, as interpreting them one by one
/// would. Each log and file keeps its own window, so each is played apart: its lines in round order.
pub(crate) fn replay(world: &mut World, container: &str, effects: &[Effect], rounds: Rounds) {
    let logged: Vec<&String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Log(line) => Some(line),
            Effect::Append { .. } => None,
        })
        .collect();
    world.log_rounds(container, &logged, rounds);
    let mut files: Vec<(&FileKey, &str, Vec<String>)> = Vec::new();
    for e in effects {
        let Effect::Append { key, path, lines } = e else {
            continue;
        };
        match files.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, all)) => all.extend(lines.iter().cloned()),
            None => files.push((key, path, lines.clone())),
        }
    }
    for (key, path, lines) in files {
        world.append_rounds(container, key, path, &lines, rounds);
    }
}

/// How many of the last rounds can still have lines in a window of `window` lines, when each round
/// adds `per_round`: the earlier ones are only counted.
pub(crate) fn rounds_shown(window: usize, per_round: usize, rounds: Rounds) -> u64 {
    match per_round {
        0 => 0,
        n => (window.div_ceil(n) as u64).min(rounds.count),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_before_a_limit_leave_the_next_wake_at_or_after_it() {
        let r = Rounds::before(SimTime(1_000), Millis(1_000), SimTime(5_000));
        assert_eq!(r.count, 4);
        assert_eq!(r.at(r.count), SimTime(5_000));
        let r = Rounds::before(SimTime(1_000), Millis(1_000), SimTime(5_001));
        assert_eq!(r.count, 5);
        assert_eq!(
            Rounds::before(SimTime(5_000), Millis(10), SimTime(5_000)).count,
            0
        );
    }

    #[test]
    fn a_round_that_reads_what_it_appends_is_not_replayable() {
        let key = FileKey::Private {
            container: "c".into(),
            path: "/tmp/f".into(),
        };
        let mut j = Journal::default();
        j.effects.push(Effect::Append {
            key: key.clone(),
            path: "/tmp/f".into(),
            lines: vec!["x".into()],
        });
        assert!(j.replayable());
        j.reads.borrow_mut().push(key);
        assert!(!j.replayable());
    }
}
