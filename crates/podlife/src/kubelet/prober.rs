//! Probe workers (pkg/kubelet/prober/worker.go, prober_manager.go): one per container and probe kind,
//! created when the pod is added to the kubelet (not when the container starts), ticking every
//! `periodSeconds` from then on (R34). A tick is skipped while the container is not running, before
//! `initialDelaySeconds` have passed since its start, and, for liveness and readiness, before it is
//! started. Results flip only after `failureThreshold` / `successThreshold` results in a row; readiness
//! starts as Failure, liveness as Success, startup as Unknown (R33). A new container instance resets
//! them (R41).
//!
//! An attempt blocks its worker until it returns (`doProbe` waits in `prober.probe`): its result is
//! recorded then, not when it began, and no other attempt of the worker starts meanwhile. Go's ticker
//! keeps one tick for a receiver that is late and drops the others, so after an attempt that outlasted
//! a tick the next one starts as soon as it returns, and the ticks then follow their grid again (R34).

use crate::behaviour::exec_programs::{ExecPrograms, ExecScript};
use crate::model::Probe;
use crate::time::{Millis, SimTime};
use crate::trace::ProbeKind;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeResult {
    Unknown,
    Success,
    Failure,
}

/// One attempt's result: success, the output the kubelet records, the rule a failure follows, and how
/// long the attempt took (a command's run, or a dial that waits out `timeoutSeconds`).
#[derive(Debug, Clone)]
pub struct ProbeOutcome {
    pub success: bool,
    pub output: String,
    pub rule: &'static str,
    pub duration: Millis,
}

impl ProbeOutcome {
    pub fn pass() -> ProbeOutcome {
        ProbeOutcome {
            success: true,
            output: String::new(),
            rule: "R33",
            duration: Millis(0),
        }
    }

    pub fn fail(output: String, rule: &'static str, duration: Millis) -> ProbeOutcome {
        ProbeOutcome {
            success: false,
            output,
            rule,
            duration,
        }
    }
}

/// An attempt that has not returned yet, and the container instance it began on: a result for an
/// instance that is gone is never recorded (the runtime's exec into it errs, and `doProbe` throws an
/// errored result away).
#[derive(Debug, Clone)]
pub struct InFlight {
    pub returns_at: SimTime,
    pub instance: u32,
    pub outcome: ProbeOutcome,
}

#[derive(Debug, Clone)]
pub struct ProbeWorker {
    pub kind: ProbeKind,
    /// Shared, not copied, by each run: an exec probe's command may be a script of kilobytes, run every
    /// second for an hour.
    pub spec: Rc<Probe>,
    /// The script of its exec command, read at the first run and kept (`exec_script`).
    exec: Option<Rc<ExecScript>>,
    pub next_tick: SimTime,
    /// The attempt under way, if one is.
    pub in_flight: Option<InFlight>,
    /// The kubelet asked for an attempt now (`manualTriggerCh`, which holds one request): a readiness
    /// worker whose container is started but not ready, at each status the kubelet generates (R37).
    pub triggered: bool,
    /// A worker's first attempt is still to come: it is made before the worker waits on its ticker or
    /// a request, so a request made meanwhile starts the second attempt at once. No request starts an
    /// attempt before it (a restarted kubelet's worker first sleeps, see `start_jitter`).
    pub fresh: bool,
    pub result: ProbeResult,
    successes: u32,
    failures: u32,
    /// After a liveness or startup failure the worker waits for a new container instance (R36).
    pub on_hold: bool,
    /// A startup probe that succeeded is not run again for this instance (R35).
    pub finished: bool,
}

impl ProbeWorker {
    pub fn new(kind: ProbeKind, spec: Probe, created_at: SimTime) -> ProbeWorker {
        let mut worker = ProbeWorker {
            kind,
            spec: Rc::new(spec),
            exec: None,
            next_tick: created_at,
            in_flight: None,
            triggered: false,
            fresh: true,
            result: ProbeResult::Unknown,
            successes: 0,
            failures: 0,
            on_hold: false,
            finished: false,
        };
        worker.reset();
        worker
    }

    /// The script of its exec command (none for another handler), read from the call's `programs` at
    /// the first run and kept: a worker's command never changes, and a run then neither reads nor
    /// looks up its words again.
    pub fn exec_script(&mut self, programs: &ExecPrograms) -> Option<Rc<ExecScript>> {
        let command = &self.spec.exec.as_ref()?.command;
        Some(Rc::clone(
            self.exec.get_or_insert_with(|| programs.of(command)),
        ))
    }

    pub fn period(&self) -> Millis {
        Millis::secs(self.spec.period_seconds.unwrap_or(10).max(1) as u64)
    }

    /// How long a worker made by a kubelet that started less than a period ago waits before its
    /// first attempt: a random part of a period (`worker.go` `run`, so that a restarted kubelet's
    /// probes do not all run at once). podlife takes half of one.
    pub fn start_jitter(&self) -> Millis {
        Millis(self.period().0 / 2)
    }

    pub fn timeout(&self) -> Millis {
        Millis::secs(self.spec.timeout_seconds.unwrap_or(1).max(1) as u64)
    }

    /// A worker made anew (the pod added to a kubelet that just started): results back to their
    /// initial values (R33) and no results in a row.
    pub fn reset(&mut self) {
        self.new_instance();
        self.forget_run();
    }

    /// No results in a row: a worker made anew, or one whose liveness or startup result just failed.
    pub fn forget_run(&mut self) {
        self.successes = 0;
        self.failures = 0;
    }

    /// A new container instance: the result back to its initial value and the worker off hold (R41),
    /// and no attempt under way (one on the old instance is never recorded). The results in a row are
    /// the worker's, not the instance's: `doProbe` keeps `resultRun` across a new container ID, so
    /// failures an instance had before it exited count towards its successor's threshold.
    pub fn new_instance(&mut self) {
        self.in_flight = None;
        self.triggered = false;
        self.result = match self.kind {
            ProbeKind::Readiness => ProbeResult::Failure,
            ProbeKind::Liveness => ProbeResult::Success,
            ProbeKind::Startup => ProbeResult::Unknown,
        };
        self.on_hold = false;
        self.finished = false;
    }

    /// Should the tick at `now` really probe? (R34 skip rules.)
    pub fn should_probe(
        &self,
        running_since: Option<SimTime>,
        started: bool,
        now: SimTime,
    ) -> bool {
        let Some(since) = running_since else {
            return false;
        };
        if self.on_hold || self.finished {
            return false;
        }
        let initial_delay = self.spec.initial_delay_seconds.unwrap_or(0).max(0) as u64;
        if now.since(since).0 / 1000 < initial_delay {
            return false;
        }
        match self.kind {
            ProbeKind::Startup => true,
            ProbeKind::Liveness | ProbeKind::Readiness => started,
        }
    }

    /// Records one attempt; returns the new result when it changed.
    pub fn record(&mut self, success: bool) -> Option<ProbeResult> {
        if success {
            self.successes += 1;
            self.failures = 0;
        } else {
            self.failures += 1;
            self.successes = 0;
        }
        let success_threshold = self.spec.success_threshold.unwrap_or(1).max(1) as u32;
        let failure_threshold = self.spec.failure_threshold.unwrap_or(3).max(1) as u32;
        let new = if success && self.successes >= success_threshold {
            ProbeResult::Success
        } else if !success && self.failures >= failure_threshold {
            ProbeResult::Failure
        } else {
            return None;
        };
        if new == self.result {
            return None;
        }
        self.result = new;
        if self.kind == ProbeKind::Startup && new == ProbeResult::Success {
            self.finished = true;
        }
        if self.kind != ProbeKind::Readiness && new == ProbeResult::Failure {
            // A failed liveness or startup worker waits for a new instance and counts afresh for it.
            self.on_hold = true;
            self.forget_run();
        }
        Some(new)
    }

    /// The attempt under way once it has returned by `now`.
    pub fn returned_by(&mut self, now: SimTime) -> Option<InFlight> {
        if self.in_flight.as_ref()?.returns_at <= now {
            self.in_flight.take()
        } else {
            None
        }
    }

    /// Is a tick due at `now` for a worker that is not waiting on an attempt? A tick that passed while
    /// an attempt ran is still due when it returns: `next_tick` stays on it until the next attempt.
    pub fn tick_due(&self, now: SimTime) -> bool {
        self.in_flight.is_none() && (self.next_tick <= now || self.triggered && !self.fresh)
    }

    /// Takes what starts an attempt at `now`: the kubelet's request before a tick (the worker's
    /// `select` may take either; podlife takes the request), which since 1.32 also restarts the ticker
    /// from now (`probeTicker.Reset`, kubernetes#119089); else the tick, the next one then due on the
    /// ticker's grid.
    pub fn take_tick(&mut self, now: SimTime, request_resets_ticker: bool) {
        if std::mem::take(&mut self.fresh) {
            // The first attempt leaves a request waiting for the next.
            self.advance_tick(now);
        } else if std::mem::take(&mut self.triggered) && request_resets_ticker {
            self.next_tick = now + self.period();
        } else {
            self.advance_tick(now);
        }
    }

    /// When the worker next needs the clock: its attempt's return, or its next tick.
    pub fn wake_at(&self) -> SimTime {
        self.in_flight
            .as_ref()
            .map_or(self.next_tick, |f| f.returns_at)
    }

    pub fn advance_tick(&mut self, now: SimTime) {
        while self.next_tick <= now {
            self.next_tick = self.next_tick + self.period();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExecAction;

    #[test]
    fn an_exec_probe_worker_reads_its_command_once_and_keeps_it() {
        let programs = ExecPrograms::default();
        let exec = Probe {
            exec: Some(ExecAction {
                command: vec!["sh".into(), "-c".into(), "test -d /tmp".into()],
            }),
            ..Probe::default()
        };
        let mut worker = ProbeWorker::new(ProbeKind::Liveness, exec, SimTime::ZERO);
        let first = worker.exec_script(&programs).expect("an exec probe");
        // Another cache is not asked: the worker keeps what it read.
        let second = worker.exec_script(&ExecPrograms::default()).expect("kept");
        assert!(Rc::ptr_eq(&first, &second));
        assert!(first.script.is_some());
        let mut tcp = ProbeWorker::new(ProbeKind::Readiness, Probe::default(), SimTime::ZERO);
        assert!(tcp.exec_script(&programs).is_none());
    }

    fn probe(period: i64, failure: i64, success: i64, delay: i64) -> Probe {
        Probe {
            period_seconds: Some(period),
            failure_threshold: Some(failure),
            success_threshold: Some(success),
            initial_delay_seconds: Some(delay),
            timeout_seconds: Some(1),
            ..Probe::default()
        }
    }

    #[test]
    fn readiness_starts_failed_liveness_succeeded_startup_unknown_r33() {
        let t = SimTime(0);
        assert_eq!(
            ProbeWorker::new(ProbeKind::Readiness, probe(10, 3, 1, 0), t).result,
            ProbeResult::Failure
        );
        assert_eq!(
            ProbeWorker::new(ProbeKind::Liveness, probe(10, 3, 1, 0), t).result,
            ProbeResult::Success
        );
        assert_eq!(
            ProbeWorker::new(ProbeKind::Startup, probe(10, 3, 1, 0), t).result,
            ProbeResult::Unknown
        );
    }

    #[test]
    fn a_result_flips_only_after_the_threshold_in_a_row_r33() {
        let mut w = ProbeWorker::new(ProbeKind::Liveness, probe(10, 3, 1, 0), SimTime(0));
        assert_eq!(w.record(false), None);
        assert_eq!(w.record(false), None);
        assert_eq!(w.record(true), None, "a success resets the failure count");
        assert_eq!(w.record(false), None);
        assert_eq!(w.record(false), None);
        assert_eq!(w.record(false), Some(ProbeResult::Failure));
        assert!(
            w.on_hold,
            "a failed liveness worker waits for a new instance (R36)"
        );
    }

    #[test]
    fn ticks_before_initial_delay_or_before_started_are_skipped_r34() {
        let w = ProbeWorker::new(ProbeKind::Readiness, probe(10, 3, 1, 5), SimTime(0));
        assert!(!w.should_probe(None, true, SimTime(10_000)), "not running");
        assert!(
            !w.should_probe(Some(SimTime(8_000)), true, SimTime(10_000)),
            "2 s < initialDelay 5 s"
        );
        assert!(
            !w.should_probe(Some(SimTime(0)), false, SimTime(10_000)),
            "readiness waits for started"
        );
        assert!(w.should_probe(Some(SimTime(0)), true, SimTime(10_000)));
    }

    #[test]
    fn ticks_follow_the_worker_not_the_container_r34() {
        let mut w = ProbeWorker::new(ProbeKind::Readiness, probe(10, 3, 1, 0), SimTime(0));
        w.advance_tick(SimTime(0));
        assert_eq!(w.next_tick, SimTime(10_000));
        w.advance_tick(SimTime(25_000));
        assert_eq!(w.next_tick, SimTime(30_000));
    }
}
