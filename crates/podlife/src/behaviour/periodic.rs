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
/// would: the rounds whose lines can still be in a kept window are applied, the others only counted.
pub(crate) fn replay(world: &mut World, container: &str, effects: &[Effect], rounds: Rounds) {
    let fewest = effects
        .iter()
        .map(|e| match e {
            Effect::Log(_) => 1,
            Effect::Append { lines, .. } => lines.len(),
        })
        .filter(|n| *n > 0)
        .min();
    let Some(fewest) = fewest else {
        return;
    };
    // Enough rounds to fill the largest window, whatever each round adds to it.
    let shown = (world.largest_window().div_ceil(fewest) as u64).min(rounds.count);
    let counted = rounds.count - shown;
    for e in effects {
        if let Effect::Append { key, lines, .. } = e {
            world.count_appended(key, lines.len() as u64 * counted);
        }
    }
    for round in counted..rounds.count {
        let at = rounds.at(round);
        for e in effects {
            match e {
                Effect::Log(line) => world.log(container, at, line),
                Effect::Append { path, lines, .. } => {
                    // The file was there for the round that was interpreted, and nothing could have
                    // removed it since: an append cannot fail.
                    let _ = world.append_lines(container, path, lines, at);
                }
            }
        }
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
