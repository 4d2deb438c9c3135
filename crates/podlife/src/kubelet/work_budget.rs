//! One simulation's share of the bound every input must finish within (50 ms, 64 MiB for all a
//! keystroke computes, which is at most two simulations: the pod, and the other variant of the
//! comparison beside it). Everything a run does is counted in one unit, so that no mix of kinds of
//! work can add up past the bound:
//! - each instant the pod worker stops at, once for every container it visits there (its probes, its
//!   process, its status);
//! - each event it records, by the text it keeps (the timeline, `kubectl describe` and the watch copy
//!   it again);
//! - each exec probe, hook or `kubectl exec` run (each starts a shell), and each line put in a log or
//!   a file;
//! - each step the containers' programs take (`behaviour::busy_loop` bounds them per process and per
//!   pod as well; this counts them with the rest).
//!
//! Two hundred containers crash-looping for an hour record about 30 000 events; a pod of hundreds of
//! containers polled every second for an hour, or one retrying a bad image in every container, would go
//! on far past that. Once the count is spent the run stops where it is, and the trace says so (the
//! outcome's summary, a warning) instead of showing a cut-off run as a finished one. Counts, never
//! time, so a run stops at the same instant on every machine.

use crate::time::SimTime;

/// Work one run does at most, in container visits. An event costs [`EVENT_COST`] visits and one more
/// for every [`EVENT_BYTES_PER_VISIT`] bytes of text it keeps; an exec probe's or hook's run
/// [`EXEC_RUN_COST`]; a line put in a log or a file's kept window [`LINE_COST`]; a step of a
/// program [`STEP_COST`] (the dearest unit: an exec probe's steps cost up to 0.5 µs). Measured so that each costs about the same native time, ≈ 0.3 µs in all a
/// simulation and its panels compute from it (`podlife-fuzz --replay` on inputs that spend the budget
/// on one kind of work; the slowest kind sets the constant). The largest need of the corpus, the
/// gallery and the Kubernetes documentation's examples is about 18 000
/// (`tests/corpus/good/036-images-that-cannot-be-had.yaml`: every container retrying a pull);
/// 200 containers crash-looping for an hour (`tests/stress/crash-loop-200-containers.yaml`) spend
/// what their setup leaves in 15 s.
pub(crate) const WORK_PER_RUN: u64 = 40_000;
/// What each container of the pod takes from [`WORK_PER_RUN`] before the run begins: reading,
/// checking and dry-running the manifest, and converting it for the comparison, grow with its
/// containers (≈ 70 µs each for all a keystroke does), so a pod of 250 leaves the simulation itself
/// about 62 % of the budget.
pub(crate) const SETUP_PER_CONTAINER: u64 = 60;
pub(crate) const EVENT_COST: u64 = 4;
pub(crate) const EVENT_BYTES_PER_VISIT: u64 = 16;
pub(crate) const EXEC_RUN_COST: u64 = 4;
pub(crate) const LINE_COST: u64 = 1;
pub(crate) const STEP_COST: u64 = 2;

/// What the run had done when it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkSpent {
    pub events: usize,
    pub lines: u64,
    pub exec_runs: u64,
    pub steps: u64,
    pub visits: u64,
}

/// The pod worker's count of its own work.
#[derive(Debug)]
pub(super) struct WorkBudget {
    /// What the run may spend: [`WORK_PER_RUN`] less its containers' setup.
    limit: u64,
    visits: u64,
    /// What the events recorded so far cost, their text included.
    event_work: u64,
}

/// What the pod's programs have done so far, counted by the world they run in.
#[derive(Debug, Clone, Copy)]
pub(super) struct ProgramWork {
    pub lines: u64,
    pub exec_runs: u64,
    pub steps: u64,
}

impl WorkBudget {
    /// The budget of a pod of `containers` containers.
    pub(super) fn for_containers(containers: usize) -> WorkBudget {
        let setup = SETUP_PER_CONTAINER.saturating_mul(containers as u64);
        WorkBudget {
            limit: WORK_PER_RUN.saturating_sub(setup),
            visits: 0,
            event_work: 0,
        }
    }

    /// Counts one instant of the loop, which visits `containers` containers.
    pub(super) fn count_instant(&mut self, containers: usize) {
        self.visits = self.visits.saturating_add(containers.max(1) as u64);
    }

    /// Counts one event recorded, which keeps `text_bytes` bytes of text.
    pub(super) fn count_event(&mut self, text_bytes: usize) {
        let cost = EVENT_COST + text_bytes as u64 / EVENT_BYTES_PER_VISIT;
        self.event_work = self.event_work.saturating_add(cost);
    }

    /// Whether the run has spent its work, with `events` recorded and its programs' `work` done so
    /// far: what it had done, if so.
    pub(super) fn spent(&self, events: usize, work: ProgramWork) -> Option<WorkSpent> {
        let total = self
            .visits
            .saturating_add(self.event_work)
            .saturating_add(EXEC_RUN_COST.saturating_mul(work.exec_runs))
            .saturating_add(LINE_COST.saturating_mul(work.lines))
            .saturating_add(STEP_COST.saturating_mul(work.steps));
        (total >= self.limit).then_some(WorkSpent {
            events,
            lines: work.lines,
            exec_runs: work.exec_runs,
            steps: work.steps,
            visits: self.visits,
        })
    }
}

impl WorkSpent {
    /// The trace's warning: when the run stopped, and why.
    pub fn warning(self, at: SimTime) -> String {
        format!(
            "podlife stopped simulating at {at}, after {} events, {} log and file lines, {} exec \
             probe and hook runs, {} steps of the containers' programs and {} visits of the \
             kubelet's loop to its containers: the most it computes for one run; a shorter `until` \
             (podlife.dev/scenario) or fewer containers shows the whole run",
            self.events, self.lines, self.exec_runs, self.steps, self.visits
        )
    }
}
