//! A job in a loop that sleeps (`while true; do echo tick; sleep 1; done`): each round, from the end of
//! one `sleep` to the start of the next, is written down ([`Round`]); once a round leaves the job
//! exactly as the one before did, the loop is periodic and the pod worker may let podlife play its
//! next rounds at once (`behaviour/periodic.rs` says what makes that exact, `kubelet/periodic_wakes`
//! up to when). Nothing is assumed: a skipped stretch leaves the world, the job and the process's
//! records as interpreting it round by round would have, except that its steps are not counted
//! against the compute budget (they cost nothing).

use crate::sorted_map::SortedMap;
use crate::time::{Millis, SimTime};

use super::super::periodic::{self, Effect, Journal, Rounds};
use super::super::utilities::{Child, ChildKind};
use super::super::world::World;
use super::{Fingerprint, Job, JobState, Machine, Sig, RECORDED};

/// What a job's state is made of, beyond its busy-loop [`Fingerprint`], that a later round could read.
#[derive(Debug, Clone, PartialEq)]
struct RoundState {
    fingerprint: Fingerprint,
    traps: SortedMap<Sig, Option<usize>>,
    functions: SortedMap<String, (usize, usize)>,
    errexit: bool,
    exiting: Option<i32>,
    last_bg: Option<u32>,
    deadline: Option<(SimTime, i32)>,
    reaped: SortedMap<u32, i32>,
    shell: bool,
}

impl RoundState {
    /// Is `job` still as its round left it (no signal taken since, no deadline set)? Compared in
    /// place: asked before every step of the pod worker.
    fn is_of(&self, job: &Job) -> bool {
        self.fingerprint.is_state_of(job)
            && self.traps == job.traps
            && self.functions == job.functions
            && self.errexit == job.errexit
            && self.exiting == job.exiting
            && self.last_bg == job.last_bg
            && self.deadline == job.deadline
            && self.reaped == job.reaped
            && self.shell == job.shell
    }
}

fn round_state(job: &Job) -> RoundState {
    RoundState {
        fingerprint: Fingerprint::of(job),
        traps: job.traps.clone(),
        functions: job.functions.clone(),
        errexit: job.errexit,
        exiting: job.exiting,
        last_bg: job.last_bg,
        deadline: job.deadline,
        reaped: job.reaped.clone(),
        shell: job.shell,
    }
}

/// One round of a job's loop, from the end of its last `sleep` to the start of the next.
#[derive(Debug, Clone)]
pub(super) struct Round {
    /// When it ran (a round takes no time: only its `sleep` does).
    at: SimTime,
    state: RoundState,
    /// The `sleep` it ends in, its moments counted from `at`.
    sleep: Child,
    period: Millis,
    effects: Vec<Effect>,
    replayable: bool,
    /// What the process recorded during the round, without the moments: programs started, files
    /// written, hosts checked.
    started: Vec<(String, ChildKind, Option<String>, u32)>,
    writes: Vec<String>,
    checks: Vec<(String, Option<u16>, bool)>,
    /// Jobs of the process (the next PID, and how many live): a round that starts one is not periodic.
    jobs: (u32, usize),
    /// What the world looked like to it when it went to sleep.
    changes: u64,
    listening: SortedMap<u16, String>,
    /// It left the job as the round before did: the next rounds will do the same.
    repeats: bool,
}

impl Round {
    fn same_as(&self, before: &Round) -> bool {
        self.replayable
            && before.replayable
            && before.at + before.period == self.at
            && self.state == before.state
            && self.sleep == before.sleep
            && self.effects == before.effects
            && self.started == before.started
            && self.writes == before.writes
            && self.checks == before.checks
            && self.jobs == before.jobs
    }
}

/// Rounds that differ from the one before are passed over unwatched for a while, twice as long each
/// time up to this many: a loop whose state keeps changing (`i=$((i+1))`) then costs little to watch,
/// and one that settles into repeating itself is still found a few rounds later.
const MOST_ROUNDS_PASSED: u32 = 32;

/// A job's last round, if it ended in a `sleep`, and how rounds are watched.
#[derive(Debug, Clone, Default)]
pub(super) struct RoundWatch {
    last: Option<Box<Round>>,
    /// Rounds in a row that differed from the one before.
    misses: u32,
    /// Rounds still to pass over unwatched.
    passing: u32,
}

impl RoundWatch {
    /// The chain of rounds is broken (the job did something else than wake from its `sleep`).
    fn break_chain(&mut self) {
        self.last = None;
    }

    /// Should the round beginning now be watched?
    fn watches(&mut self) -> bool {
        if self.passing > 0 {
            self.passing -= 1;
            self.last = None;
            return false;
        }
        true
    }

    /// Keeps the round just ended (`None`: it did not end in a `sleep`), compared with the one before.
    fn keep(&mut self, round: Option<Round>) {
        let Some(mut round) = round else {
            self.last = None;
            return;
        };
        if let Some(before) = &self.last {
            round.repeats = round.same_as(before);
            if round.repeats {
                self.misses = 0;
            } else {
                self.misses = (self.misses + 1).min(8);
                self.passing = (1u32 << self.misses).min(MOST_ROUNDS_PASSED);
            }
        }
        self.last = Some(Box::new(round));
    }
}

/// Where the process's records stood when a round began.
#[derive(Debug, Clone, Copy)]
pub(super) struct RoundStart {
    started: usize,
    writes: usize,
    checks: usize,
}

/// A `sleep` started at `from` as if started at `to` (`SimTime::ZERO`: as rounds compare it).
fn shifted(child: &Child, from: SimTime, to: SimTime) -> Child {
    let mv = |t: SimTime| SimTime(t.0.saturating_sub(from.0) + to.0);
    let mut c = child.clone();
    c.ends_at = c.ends_at.map(mv);
    c.up_at = mv(c.up_at);
    c.memory_at = mv(c.memory_at);
    c
}

/// Is `child`, started at `from`, the round's `sleep` (as [`shifted`] to `SimTime::ZERO` would make
/// it)? Without the copy: the kubelet asks every running container this at every step. The fields are
/// named one by one so that a new one cannot be forgotten.
fn same_sleep(child: &Child, from: SimTime, sleep: &Child) -> bool {
    let at_zero = |t: SimTime| SimTime(t.0.saturating_sub(from.0));
    let Child {
        name,
        text,
        kind,
        ends_at,
        code,
        on_term,
        ports,
        up_at,
        up,
        exclusive_ports,
        followers,
        assumption,
        ports_assumed,
        memory,
        memory_at,
        output,
    } = child;
    ends_at.map(at_zero) == sleep.ends_at
        && at_zero(*up_at) == sleep.up_at
        && at_zero(*memory_at) == sleep.memory_at
        && *kind == sleep.kind
        && *code == sleep.code
        && *on_term == sleep.on_term
        && *up == sleep.up
        && *exclusive_ports == sleep.exclusive_ports
        && *ports_assumed == sleep.ports_assumed
        && *memory == sleep.memory
        && *ports == sleep.ports
        && *followers == sleep.followers
        && *name == sleep.name
        && *text == sleep.text
        && *assumption == sleep.assumption
        && *output == sleep.output
}

/// The `sleep` a job is in, if it is in one that ends by itself.
fn sleep_of(job: &Job) -> Option<&Child> {
    match &job.state {
        JobState::Child(c) if c.kind == ChildKind::Sleep && c.ends_at.is_some() => Some(c),
        _ => None,
    }
}

impl Machine {
    /// Before a job steps: if it just woke from a `sleep`, a round begins and the world's journal
    /// writes down what it does; otherwise the chain of rounds is broken.
    pub(super) fn begin_round(&mut self, pid: u32, world: &mut World) -> Option<RoundStart> {
        let job = self.jobs.get_mut(&pid)?;
        if !std::mem::take(&mut job.woke_from_sleep) || self.exec_context {
            if let Some(watch) = &mut job.rounds {
                watch.break_chain();
            }
            return None;
        }
        if !job.rounds.get_or_insert_default().watches() {
            return None;
        }
        world.journal = Some(Journal::default());
        Some(RoundStart {
            started: self.started.len(),
            writes: self.writes.len(),
            checks: self.checks.len(),
        })
    }

    /// After it stepped: the round is written down if it ended in a `sleep`, and compared with the
    /// one before.
    pub(super) fn end_round(&mut self, pid: u32, start: Option<RoundStart>, world: &mut World) {
        let journal = world.journal.take();
        let (Some(start), Some(journal)) = (start, journal) else {
            return;
        };
        let round = self.round(pid, start, journal, world);
        let Some(job) = self.jobs.get_mut(&pid) else {
            return;
        };
        job.rounds.get_or_insert_default().keep(round);
    }

    fn round(&self, pid: u32, start: RoundStart, journal: Journal, world: &World) -> Option<Round> {
        let job = self.jobs.get(&pid)?;
        let sleep = sleep_of(job)?;
        let period = sleep.ends_at?.since(self.clock);
        let replayable = journal.replayable();
        Some(Round {
            at: self.clock,
            state: round_state(job),
            sleep: shifted(sleep, self.clock, SimTime::ZERO),
            period,
            effects: journal.effects,
            replayable,
            started: self.started[start.started..]
                .iter()
                .map(|(_, text, kind, assumption, job)| {
                    (text.clone(), *kind, assumption.clone(), *job)
                })
                .collect(),
            writes: self.writes[start.writes..]
                .iter()
                .map(|(p, _)| p.clone())
                .collect(),
            checks: self.checks[start.checks..]
                .iter()
                .map(|(h, p, a, _)| (h.clone(), *p, *a))
                .collect(),
            jobs: (self.next_pid, self.jobs.len()),
            changes: world.changes,
            listening: world.listening.clone(),
            repeats: false,
        })
    }

    /// The job whose loop is periodic and may skip ahead now: nothing it could read has changed since
    /// its last round, and it is in that round's `sleep`.
    fn periodic_job(&self, world: &World) -> Option<(u32, SimTime)> {
        if self.exit.is_some() || self.exec_context {
            return None;
        }
        self.jobs.iter().find_map(|(&pid, job)| {
            let round = job.rounds.as_ref()?.last.as_ref().filter(|r| r.repeats)?;
            let sleep = sleep_of(job)?;
            let wake = sleep.ends_at?;
            let unchanged = round.changes == world.changes
                && round.listening == world.listening
                && round.state.is_of(job)
                && same_sleep(sleep, round.at, &round.sleep);
            (unchanged && wake == round.at + round.period).then_some((pid, wake))
        })
    }

    /// `Some(next)` when a periodic job may skip ahead: `next` is the next moment anything else of
    /// the process is due.
    pub(crate) fn wake_besides_periodic(&self, world: &World) -> Option<Option<SimTime>> {
        let (pid, _) = self.periodic_job(world)?;
        Some(self.next_event_besides(world, Some(pid)).map(|(t, _)| t))
    }

    /// Plays the rounds of the periodic job that fall before `before` (and before anything else of
    /// the process, or a host or port it may ask for, is due).
    pub(crate) fn skip_periodic(&mut self, before: SimTime, world: &mut World) {
        let Some((pid, wake)) = self.periodic_job(world) else {
            return;
        };
        let mut limit = before;
        for t in [
            self.next_event_besides(world, Some(pid)).map(|(t, _)| t),
            world.next_appearance(self.clock),
        ]
        .into_iter()
        .flatten()
        {
            limit = limit.min(t);
        }
        let Some(job) = self.jobs.get_mut(&pid) else {
            return;
        };
        let Some(watch) = &mut job.rounds else {
            return;
        };
        let Some(round) = watch.last.take() else {
            return;
        };
        let rounds = Rounds::before(wake, round.period, limit);
        if rounds.count == 0 {
            watch.last = Some(round);
            return;
        }
        let last = rounds.at(rounds.count - 1);
        if let JobState::Child(c) = &mut job.state {
            **c = shifted(c, round.at, last);
        }
        periodic::replay(world, &self.container, &round.effects, rounds);
        self.record(&round, rounds);
        self.clock = last;
        let job = self.jobs.get_mut(&pid);
        if let Some(job) = job {
            job.rounds.get_or_insert_default().last = Some(Box::new(Round {
                at: last,
                changes: world.changes,
                ..*round
            }));
        }
    }

    /// What the process records of the skipped rounds: programs started and files written (the first
    /// [`RECORDED`]), and every host checked, at the moments they would have been.
    fn record(&mut self, round: &Round, rounds: Rounds) {
        for i in 0..rounds.count {
            let at = rounds.at(i);
            let full = self.started.len() >= RECORDED && self.writes.len() >= RECORDED;
            if full && round.checks.is_empty() {
                return;
            }
            for (text, kind, assumption, job) in &round.started {
                if self.started.len() < RECORDED {
                    self.started
                        .push((at, text.clone(), *kind, assumption.clone(), *job));
                }
            }
            for path in &round.writes {
                if self.writes.len() < RECORDED {
                    self.writes.push((path.clone(), at));
                }
            }
            for (host, port, answered) in &round.checks {
                self.checks.push((host.clone(), *port, *answered, at));
            }
        }
    }
}
