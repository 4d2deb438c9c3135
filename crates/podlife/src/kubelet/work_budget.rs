//! The kubelet loop's share of the bound every input must finish within (50 ms, 64 MiB for all a
//! keystroke computes). The processes' budget (`behaviour::busy_loop`) bounds what the containers'
//! programs compute; this one bounds what the pod worker itself does: each instant it visits every
//! container (its probes, its process, its status), and each event it records is kept, shown on the
//! timeline and described. Two hundred containers crash-looping for an hour record about 30 000 events;
//! a pod of thousands of containers polled every second for an hour, or one retrying a bad image in
//! every container, would go on far past that. Once the count is spent the run stops where it is,
//! and the trace says so (the outcome's summary, a warning) instead of showing a cut-off run as a
//! finished one. Counts, never time, so a run stops at the same instant on every machine.

use crate::time::SimTime;

/// Work one run does at most, in container visits (each instant the loop stops at visits every
/// container). An event costs [`EVENT_COST`] visits (it is recorded, then shown on the timeline, in
/// `kubectl describe` and in the watch), an exec probe's or hook's run [`EXEC_RUN_COST`] (it starts a
/// shell), a line put in a log or a file's kept window 1/[`LINES_PER_VISIT`] of one. Measured so that
/// each costs about the same native time; the largest need of the corpus, the gallery and the
/// Kubernetes documentation's examples is about 3 500
/// (`tests/corpus/good/036-images-that-cannot-be-had.yaml`), of the stress pods ≈ 71 000
/// (`tests/stress/crash-loop-200-containers.yaml`: 200 containers crash-looping for an hour).
pub(crate) const WORK_PER_RUN: u64 = 80_000;
pub(crate) const EVENT_COST: u64 = 2;
pub(crate) const EXEC_RUN_COST: u64 = 4;
pub(crate) const LINES_PER_VISIT: u64 = 4;

/// What the run had done when it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkSpent {
    pub events: usize,
    pub lines: u64,
    pub exec_runs: u64,
    pub visits: u64,
}

/// The pod worker's count of its own work.
#[derive(Debug, Default)]
pub(super) struct WorkBudget {
    visits: u64,
}

impl WorkBudget {
    /// Counts one instant of the loop, which visits `containers` containers.
    pub(super) fn count_instant(&mut self, containers: usize) {
        self.visits = self.visits.saturating_add(containers.max(1) as u64);
    }

    /// Whether the run has spent its work, with `events` recorded, `lines` kept and `exec_runs` run so
    /// far: what it had done, if so.
    pub(super) fn spent(&self, events: usize, lines: u64, exec_runs: u64) -> Option<WorkSpent> {
        let work = self
            .visits
            .saturating_add(EVENT_COST.saturating_mul(events as u64))
            .saturating_add(EXEC_RUN_COST.saturating_mul(exec_runs))
            .saturating_add(lines / LINES_PER_VISIT);
        (work >= WORK_PER_RUN).then_some(WorkSpent {
            events,
            lines,
            exec_runs,
            visits: self.visits,
        })
    }
}

impl WorkSpent {
    /// The trace's warning: when the run stopped, and why.
    pub fn warning(self, at: SimTime) -> String {
        format!(
            "podlife stopped simulating at {at}, after {} events, {} log and file lines, {} exec \
             probe and hook runs and {} visits of the kubelet's loop to its containers: the most it \
             computes for one run; a shorter `until` (podlife.dev/scenario) or fewer containers \
             shows the whole run",
            self.events, self.lines, self.exec_runs, self.visits
        )
    }
}
