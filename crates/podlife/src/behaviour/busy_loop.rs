//! Busy loops and the compute budget: a shell loop with no `sleep`, `wait` or `read` (`while true; do
//! echo x >> /tmp/log; done`, `while :; do :; done`) never lets the virtual clock move, and a real CPU
//! runs it as fast as it can until the container is stopped. Interpreting it step by step would cost
//! native time without end, so every job gets a budget of steps per instant and every process one per
//! run; a job that spends it is watched for one more iteration:
//!
//! - when its state (where it is in its script, its variables, `$?`) comes back unchanged, its iterations
//!   change nothing but the files they append to: it is a busy loop that runs until stopped, and podlife
//!   skips ahead, looking at it again now and then (less and less often) in case the world it reads
//!   changed (`while [ ! -f /d/go ]; do :; done` ends once another container makes the file);
//! - when its state changes every iteration (`i=$((i+1))`), or the run's budget is spent, it is a
//!   CPU-bound program that computes until stopped.
//!
//! Either way it still answers signals: a trapped SIGTERM runs its handler, an untrapped one kills it
//! (unless it is PID 1). Budgets count steps, never wall-clock time, so runs stay deterministic.

use crate::sorted_map::SortedSet;
use crate::time::{Millis, SimTime};

/// Steps a job may take at one instant before it is watched as a busy loop.
pub(crate) const STEPS_PER_INSTANT: u32 = 1_000;
/// The same for an exec probe or hook: the kubelet runs one every few seconds, and a real one is a
/// handful of commands.
pub(crate) const STEPS_PER_EXEC_INSTANT: u32 = 64;
/// Steps every job of a process may take together over a whole run (a loop that sleeps 10 ms each
/// round for an hour takes about 1.4 M, one that counts and sleeps a second ≈ 25 000, unless its
/// rounds repeat exactly: podlife plays those at once and counts no step for them, `periodic`): past
/// them the process only computes until stopped. The largest need of the corpus, the gallery and the
/// Kubernetes docs' examples is about 430 steps. A step costs 0.1–0.5 µs natively (a busy exec probe's
/// `sleep 0` and an `$((i+1))` are the dearest); the pod's budget of a run and a half is ≈ 7 ms a
/// simulation at worst, and a keystroke on the page runs two (the pod, and the converted variant of
/// the comparison beside it). The kubelet's work budget counts these steps as well
/// (`kubelet::work_budget`), so they add up with the rest of a run's work within the bound.
pub(crate) const STEPS_PER_RUN: u64 = 10_000;
/// Steps every process, exec probe and hook of a pod take together over a run: 200 containers, or one
/// that restarts all hour, cannot multiply [`STEPS_PER_RUN`] by their number. A process's and a half
/// worth: no manifest of the corpus, the gallery or the Kubernetes docs comes near it, and it is
/// three quarters of what the kubelet's work budget lets a run spend on steps alone, so a pod's
/// programs are stopped by it (and say so) before the run is.
pub(crate) const STEPS_PER_POD_RUN: u64 = STEPS_PER_RUN * 3 / 2;
/// What a job's variables (arrays' elements included) may hold, in number and in bytes: a script
/// that doubles a string (`x="$x$x"`, a gibibyte in thirty rounds) or grows an array without end has
/// spent its compute budget there, rather than be cut short into a different result.
pub(crate) const MAX_VARIABLES: usize = 4_096;
pub(crate) const MAX_VARIABLE_BYTES: usize = 1 << 20;
/// The same bytes for an exec probe or hook, which the kubelet may run hundreds of times a run: one
/// that doubles a string every run must not build a mebibyte each time. A real one holds a status
/// line or two; whichever bound it hits, it computes until its timeout.
pub(crate) const MAX_EXEC_VARIABLE_BYTES: usize = 16 << 10;

/// Bytes a job's variables hold.
pub(crate) fn held_bytes<'a>(values: impl Iterator<Item = &'a String>) -> usize {
    values.map(String::len).sum()
}

/// Have a job's `count` variables, holding `held` bytes, grown past what a job may hold (`max_bytes`
/// in all)?
pub(crate) fn variables_overgrown(count: usize, held: usize, max_bytes: usize) -> bool {
    count > MAX_VARIABLES || held > max_bytes
}

/// A step of a job whose variables hold many bytes costs more than one: each copies or compares some
/// of them (`x="$x$x"`, the busy-loop watch's look at its state), so a step counts one more for every
/// [`BYTES_PER_STEP`] held. A script of a few short variables pays nothing extra; one holding a
/// mebibyte pays a thousand steps a step, about what copying it costs.
pub(crate) const BYTES_PER_STEP: usize = 1 << 10;

/// The steps one step of a job holding `held` bytes costs.
pub(crate) fn step_cost(held: usize) -> u64 {
    1 + (held / BYTES_PER_STEP) as u64
}

/// Steps watched for the state to come back before the watch starts again from where the job is.
const WATCHED_STEPS: u32 = 256;
/// A job whose state never comes back is CPU-bound once it has taken this many times its instant's
/// allowance (a finite `while [ $i -lt 1000 ]` ends before), unless it is in the body of a `for` over a
/// list, which ends with the list, or recursing, which ends at the shell's nesting bound (the run's
/// budget bounds a long one).
const COMPUTING_ALLOWANCES: u32 = 4;
/// The pace of the first checks of a repeating loop, as often as a learner's polling loop sleeps.
const FIRST_CHECKS_EVERY: Millis = Millis(100);
/// Checks at that pace (10 s), before they space out.
const CHECKS_AT_FIRST_PACE: u32 = 100;
const LONGEST_CHECK_GAP: Millis = Millis(60_000);

/// Why a job no longer takes steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BusyLoop {
    /// Its iterations come back to the same state after `steps` steps.
    Repeats { steps: u32 },
    /// Its state changes every iteration: it computes until stopped.
    Computes,
    /// The process spent its run's budget of steps.
    BudgetSpent,
    /// The pod's processes together spent the pod's budget of steps.
    PodBudgetSpent,
    /// It forked with as many jobs alive as a process may have: it forks until stopped.
    ForksWithoutEnd,
}

impl BusyLoop {
    /// The phrase the behaviour summary and the trace show.
    pub(crate) fn phrase(self) -> &'static str {
        match self {
            BusyLoop::Repeats { .. } => {
                "busy loop: no sleep, runs until stopped; podlife skips ahead"
            }
            BusyLoop::Computes => {
                "busy loop: no sleep, computes until stopped; podlife skips ahead"
            }
            BusyLoop::BudgetSpent => {
                "compute budget spent: runs until stopped; podlife skips ahead"
            }
            BusyLoop::PodBudgetSpent => {
                "pod's compute budget spent: runs until stopped; podlife skips ahead"
            }
            BusyLoop::ForksWithoutEnd => {
                "forks faster than its jobs end: runs until stopped; podlife skips ahead"
            }
        }
    }
}

/// What a job's pace says about its next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pace {
    Step,
    /// It is a busy loop: stop stepping it.
    Spin(BusyLoop),
}

/// A job's steps at the current instant, and the watch over its iterations once it has taken too many.
#[derive(Debug, Clone)]
pub(crate) struct Spin<S> {
    at: SimTime,
    steps: u32,
    /// Steps allowed at this instant before watching.
    allowed: u32,
    /// The state when the watch began, and the steps since.
    watch: Option<(S, u32)>,
}

impl<S> Spin<S> {
    pub(crate) fn new() -> Spin<S> {
        Spin {
            at: SimTime(0),
            steps: 0,
            allowed: STEPS_PER_INSTANT,
            watch: None,
        }
    }

    /// A fresh instant's budget (the job was woken by a signal, or is checked again).
    pub(crate) fn renew(&mut self, at: SimTime, allowed: u32) {
        self.at = at;
        self.steps = 0;
        self.allowed = allowed;
        self.watch = None;
    }

    /// Before a step at `clock` (`allowed` steps at a new instant; `ends_by_itself`: inside a `for`
    /// over a list, which ends with the list, or deeper in calls than when the watched stretch began,
    /// which ends at the shell's nesting bound), with the job's `state`: may it take it?
    pub(crate) fn before_step(
        &mut self,
        clock: SimTime,
        allowed: u32,
        ends_by_itself: bool,
        state: impl FnOnce() -> S,
    ) -> Pace {
        if self.at != clock {
            self.renew(clock, allowed);
        }
        self.steps += 1;
        let watched = self.watch.as_ref().map(|(_, n)| *n);
        match watched {
            None if self.steps > self.allowed => {
                self.watch = Some((state(), 0));
                Pace::Step
            }
            Some(n) if n >= WATCHED_STEPS && (ends_by_itself || !self.computing()) => {
                // Still making progress: watch its next stretch.
                self.watch = Some((state(), 0));
                Pace::Step
            }
            Some(n) if n >= WATCHED_STEPS => Pace::Spin(BusyLoop::Computes),
            _ => Pace::Step,
        }
    }

    /// The state the watch began with, if the job is watched.
    pub(crate) fn watched(&self) -> Option<&S> {
        self.watch.as_ref().map(|(start, _)| start)
    }

    fn computing(&self) -> bool {
        self.steps > self.allowed.max(1).saturating_mul(COMPUTING_ALLOWANCES)
    }

    /// After a step: has the job's loop come back to where the watch began (`same` compares the state
    /// the watch took with the job as it is now)? The job is compared in place, not copied: a copy
    /// every step costs as much as the job holds, and a recursing function's frames grow every step.
    pub(crate) fn after_step(&mut self, same: impl FnOnce(&S) -> bool) -> Option<BusyLoop> {
        let (start, watched) = self.watch.as_mut()?;
        *watched += 1;
        same(start).then_some(BusyLoop::Repeats { steps: *watched })
    }
}

/// The steps a pod's processes took together, against [`STEPS_PER_POD_RUN`], and the containers whose
/// processes were stopped by it (each is said once).
#[derive(Debug, Clone, Default)]
pub struct PodSteps {
    taken: u64,
    pub(crate) spent_in: SortedSet<String>,
}

impl PodSteps {
    pub(crate) fn spent(&self) -> bool {
        self.taken >= STEPS_PER_POD_RUN
    }

    /// Steps a process spent at once (building text past what a job may hold).
    pub(crate) fn take_many(&mut self, steps: u64) {
        self.taken = self.taken.saturating_add(steps);
    }

    /// Steps taken so far (tests bound it).
    pub fn taken(&self) -> u64 {
        self.taken
    }

    /// Containers one of whose processes ran out of the pod's budget.
    pub fn spent_in(&self) -> impl Iterator<Item = &str> {
        self.spent_in.iter().map(String::as_str)
    }

    /// A container's behaviour line, saying once that the pod's budget stopped one of its processes
    /// (the summary comes from a dry run of the container alone, which never meets the pod's budget).
    pub(crate) fn behaviour_line(&self, container: &str, summary: &str) -> String {
        if self.spent_in.contains(container) {
            format!("{summary}; {}", BusyLoop::PodBudgetSpent.phrase())
        } else {
            summary.to_string()
        }
    }
}

/// When a repeating busy loop is looked at again after `checks` looks: every 100 ms for 10 s, then
/// twice as long each time, at most a minute (an hour costs about 160 looks of one iteration each).
pub(crate) fn next_check(now: SimTime, checks: u32) -> SimTime {
    let gap = match checks.checked_sub(CHECKS_AT_FIRST_PACE) {
        None => FIRST_CHECKS_EVERY,
        Some(beyond) => {
            let doubled = FIRST_CHECKS_EVERY.0.saturating_mul(1u64 << beyond.min(20));
            Millis(doubled.min(LONGEST_CHECK_GAP.0))
        }
    };
    now + gap
}

/// The steps a look again at a repeating loop may take: its iteration, twice, and a margin.
pub(crate) fn steps_to_check(busy: BusyLoop) -> u32 {
    match busy {
        BusyLoop::Repeats { steps } => steps.saturating_mul(2) + 8,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a job whose state after each step is `states[i % len]`, from one instant.
    fn watch(states: &[u32], steps: usize) -> Option<BusyLoop> {
        let mut spin: Spin<u32> = Spin::new();
        for i in 0..steps {
            let now = states[i % states.len()];
            if let Pace::Spin(b) = spin.before_step(SimTime(0), STEPS_PER_INSTANT, false, || now) {
                return Some(b);
            }
            let next = states[(i + 1) % states.len()];
            if let Some(b) = spin.after_step(|s| *s == next) {
                return Some(b);
            }
        }
        None
    }

    #[test]
    fn a_loop_whose_state_comes_back_repeats() {
        let found = watch(&[1, 2, 3], 10_000);
        assert_eq!(found, Some(BusyLoop::Repeats { steps: 3 }));
    }

    #[test]
    fn a_loop_whose_state_changes_every_round_computes() {
        let states: Vec<u32> = (0..5_000).collect();
        assert_eq!(watch(&states, 10_000), Some(BusyLoop::Computes));
    }

    #[test]
    fn steps_within_the_instants_budget_are_not_watched() {
        assert_eq!(watch(&[1, 2], STEPS_PER_INSTANT as usize), None);
    }

    #[test]
    fn a_new_instant_renews_the_budget() {
        let mut spin: Spin<u32> = Spin::new();
        for _ in 0..STEPS_PER_INSTANT {
            assert_eq!(step(&mut spin, 0, false), Pace::Step);
        }
        step(&mut spin, 7, false);
        assert!(spin.after_step(|s| *s == 7).is_some());
        assert_eq!(spin.before_step(SimTime(10), 1, false, || 1), Pace::Step);
        assert_eq!(spin.after_step(|s| *s == 1), None);
    }

    fn step(spin: &mut Spin<u32>, state: u32, in_for: bool) -> Pace {
        spin.before_step(SimTime(0), STEPS_PER_INSTANT, in_for, || state)
    }

    #[test]
    fn a_for_over_a_long_list_is_not_taken_for_a_busy_loop() {
        let mut spin: Spin<u32> = Spin::new();
        for i in 0..100_000 {
            assert_eq!(step(&mut spin, i, true), Pace::Step);
            assert_eq!(spin.after_step(|s| *s == i + 1), None);
        }
        // Once out of the `for`, a loop that keeps changing is CPU-bound within the watch.
        let computes = (0..=WATCHED_STEPS).any(|i| {
            let pace = step(&mut spin, 200_000 + i, false);
            spin.after_step(|s| *s == 300_000 + i);
            pace == Pace::Spin(BusyLoop::Computes)
        });
        assert!(computes);
    }

    #[test]
    fn checks_space_out_to_a_minute() {
        assert_eq!(next_check(SimTime(0), 0), SimTime(100));
        assert_eq!(
            next_check(SimTime(0), CHECKS_AT_FIRST_PACE + 1),
            SimTime(200)
        );
        assert_eq!(next_check(SimTime(0), 500), SimTime(60_000));
    }
}
