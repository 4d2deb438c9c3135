//! Crash-loop back-off (k8s.io/client-go util/flowcontrol/backoff.go as pkg/kubelet/kubelet.go sets it
//! up, and `doBackOff` in pkg/kubelet/kuberuntime/kuberuntime_container.go): R53, R55.
//!
//! The first restart is immediate because no entry exists yet; each later one waits 10 s, 20 s, 40 s ...
//! up to 300 s, counted from the container's FinishedAt. An entry older than 10 minutes has expired,
//! and the sequence starts over. The key includes the image, so a new image starts fresh. The
//! image-pull back-off (R55) is the same table, asked with `in_backoff_since_update`.

use crate::sorted_map::SortedMap;

use crate::time::{Millis, SimTime};

pub const INITIAL: Millis = Millis(10_000);
pub const CAP: Millis = Millis(300_000);
/// A container that ran this long since its last restart is restarted at once (R53).
pub const RESET_AFTER: Millis = Millis(600_000);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    delay: Millis,
    last_update: SimTime,
}

#[derive(Debug, Clone, Default)]
pub struct Backoff {
    entries: SortedMap<String, Entry>,
}

impl Backoff {
    pub fn key(container: &str, image: &str) -> String {
        format!("{container}@{image}")
    }

    /// If the container that finished at `finished_at` is still backing off at `now`, until when.
    pub fn in_backoff(
        &self,
        key: &str,
        finished_at: SimTime,
        now: SimTime,
    ) -> Option<(SimTime, Millis)> {
        let entry = self.live_entry(key, finished_at)?;
        let until = finished_at + entry.delay;
        (now < until).then_some((until, entry.delay))
    }

    /// A restart happens at `now`: the next delay doubles (or starts at 10 s).
    pub fn record_restart(&mut self, key: &str, finished_at: SimTime, now: SimTime) {
        let delay = match self.live_entry(key, finished_at) {
            Some(entry) => Millis((entry.delay.0 * 2).min(CAP.0)),
            None => INITIAL,
        };
        self.entries.insert(
            key.to_string(),
            Entry {
                delay,
                last_update: now,
            },
        );
    }

    /// `IsInBackOffSinceUpdate`, the image-pull back-off's test (R55): the window runs from the entry's
    /// last update (the failed pull); until when, and how long it is.
    pub fn in_backoff_since_update(&self, key: &str, now: SimTime) -> Option<(SimTime, Millis)> {
        let entry = self.live_entry(key, now)?;
        let until = entry.last_update + entry.delay;
        (now < until).then_some((until, entry.delay))
    }

    fn live_entry(&self, key: &str, finished_at: SimTime) -> Option<Entry> {
        let entry = self.entries.get(key)?;
        (finished_at.since(entry.last_update) <= RESET_AFTER).then_some(*entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_restart_is_immediate_then_10_20_40_up_to_300_r53() {
        let mut b = Backoff::default();
        let key = Backoff::key("app", "busybox");
        let mut now = SimTime(0);
        let mut waits = Vec::new();
        for _ in 0..9 {
            // The container exits at once each time it starts.
            let finished = now;
            let wait = b
                .in_backoff(&key, finished, finished)
                .map_or(0, |(until, _)| until.0 - finished.0);
            waits.push(wait / 1000);
            now = finished + Millis(wait);
            b.record_restart(&key, finished, now);
        }
        assert_eq!(waits, vec![0, 10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn a_ten_minute_run_resets_the_sequence_r53() {
        let mut b = Backoff::default();
        let key = Backoff::key("app", "busybox");
        b.record_restart(&key, SimTime(0), SimTime(0));
        b.record_restart(&key, SimTime(1_000), SimTime(11_000));
        let finished = SimTime(11_000 + 601_000);
        assert_eq!(b.in_backoff(&key, finished, finished), None);
    }

    #[test]
    fn a_pull_back_off_runs_from_the_failed_pull_r55() {
        let mut b = Backoff::default();
        let key = "pull:registry.example/app:missing";
        b.record_restart(key, SimTime(2_500), SimTime(2_500));
        assert_eq!(
            b.in_backoff_since_update(key, SimTime(3_000)),
            Some((SimTime(12_500), INITIAL))
        );
        assert_eq!(b.in_backoff_since_update(key, SimTime(12_500)), None);
        // The next failure doubles the window, from its own moment.
        b.record_restart(key, SimTime(14_500), SimTime(14_500));
        assert_eq!(
            b.in_backoff_since_update(key, SimTime(24_500)),
            Some((SimTime(34_500), Millis(20_000)))
        );
        // An entry last updated more than 10 minutes ago has expired.
        assert_eq!(
            b.in_backoff_since_update(key, SimTime(14_500 + 600_001)),
            None
        );
    }

    #[test]
    fn a_new_image_starts_a_fresh_sequence_r53() {
        let mut b = Backoff::default();
        b.record_restart(&Backoff::key("app", "v1"), SimTime(0), SimTime(0));
        assert!(b
            .in_backoff(&Backoff::key("app", "v1"), SimTime(1_000), SimTime(1_000))
            .is_some());
        assert!(b
            .in_backoff(&Backoff::key("app", "v2"), SimTime(1_000), SimTime(1_000))
            .is_none());
    }
}
