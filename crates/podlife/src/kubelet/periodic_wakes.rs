//! Wake-ups nobody else sees: a container whose loop sleeps and repeats itself (`while true; do echo
//! tick; sleep 1; done`, `behaviour/periodic.rs`) wakes every period, and a step of the pod worker at
//! each wake-up would only find that nothing changed. Before each step the pod worker asks when the
//! next thing other than those wake-ups is due (a probe's tick, a scenario action, a kill, another
//! container's wake-up, the settle moment, the horizon) and lets every periodic loop play its rounds
//! up to then at once. No upstream counterpart: a real kubelet does not see a container's sleeps.

use crate::behaviour::ProcessState;
use crate::time::{Millis, SimTime};

use super::container::Instance;
use super::pod_worker::{PodWorker, SETTLE};

#[cfg(test)]
thread_local! {
    /// Tests compare a run with the rounds skipped to one that interprets every round.
    static SKIPPING_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with periodic loops interpreted round by round (tests only).
#[cfg(test)]
pub(crate) fn without_skipping<T>(f: impl FnOnce() -> T) -> T {
    SKIPPING_OFF.with(|off| off.set(true));
    let out = f();
    SKIPPING_OFF.with(|off| off.set(false));
    out
}

fn skipping_on() -> bool {
    #[cfg(test)]
    if SKIPPING_OFF.with(|off| off.get()) {
        return false;
    }
    true
}

impl PodWorker {
    /// Lets every periodic loop play its rounds up to the next moment anything else is due.
    pub(super) fn skip_periodic_wakes(&mut self) {
        if !skipping_on() {
            return;
        }
        let periodic = self.periodic_containers();
        if periodic.is_empty() {
            return;
        }
        let saved: Vec<Option<SimTime>> = self.ctrs.iter().map(|c| c.wake_at).collect();
        for (i, besides) in &periodic {
            self.ctrs[*i].wake_at = *besides;
        }
        let due = self.next_time();
        let before = self.skip_limit(due, &saved);
        for (c, wake) in self.ctrs.iter_mut().zip(saved) {
            c.wake_at = wake;
        }
        for (i, _) in periodic {
            self.skip_rounds_of(i, before);
        }
    }

    /// The first moment a skipped step could matter: `due`, the horizon (a wake-up at it is still
    /// taken), and while the run may end by settling, the moments `settled` could turn true (it
    /// looks at how long ago the last change was and at who sleeps longer than `SETTLE`).
    fn skip_limit(&self, due: Option<SimTime>, wakes: &[Option<SimTime>]) -> SimTime {
        let mut limits = vec![due, Some(self.horizon + Millis(1))];
        if self.explicit_until.is_none() {
            limits.push(Some(self.last_change + SETTLE));
            let masked = self.ctrs.iter().map(|c| c.wake_at);
            for w in wakes.iter().copied().chain(masked).flatten() {
                limits.push(Some(w - SETTLE));
            }
        }
        limits
            .into_iter()
            .flatten()
            .filter(|t| *t > self.now)
            .min()
            .unwrap_or(self.horizon + Millis(1))
    }

    /// Running containers with a periodic loop, with the next moment anything else of theirs is due.
    fn periodic_containers(&self) -> Vec<(usize, Option<SimTime>)> {
        self.ctrs
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match &c.instance {
                Instance::Running { process, .. } => {
                    process.wake_besides_periodic(&self.world).map(|w| (i, w))
                }
                _ => None,
            })
            .collect()
    }

    fn skip_rounds_of(&mut self, idx: usize, before: SimTime) {
        let Instance::Running { process, .. } = &mut self.ctrs[idx].instance else {
            return;
        };
        process.skip_periodic(before, &mut self.world);
        if let ProcessState::Running { wake_at } = process.state(&self.world) {
            self.ctrs[idx].wake_at = wake_at;
        }
    }
}

#[cfg(test)]
#[path = "periodic_wakes_tests.rs"]
mod tests;
