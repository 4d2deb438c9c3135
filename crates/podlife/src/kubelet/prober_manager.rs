//! Running the probes and acting on their results (pkg/kubelet/prober/prober_manager.go, worker.go):
//! ticks, exec probes through the interpreter, network probes against what listens (R104, with
//! `network_handlers`), and the kills a failed liveness or startup probe causes (R33–R43).

use crate::behaviour::exec_programs::ExecScript;
use crate::behaviour::run_read_exec;
use crate::model::Probe;
use crate::pod_status::ContainerKind;
use crate::time::Millis;
use crate::trace::{EventKind, KillCause, ProbeKind};
use std::rc::Rc;

use super::container::Ctr;
use super::network_handlers::{failing_output, go_quote, unreachable_output, Target};
use super::pod_worker::*;
use super::prober::{InFlight, ProbeOutcome, ProbeResult};

/// The release from which a requested readiness attempt restarts its worker's ticker.
const REQUEST_RESETS_TICKER_SINCE: u8 = 32;

impl PodWorker {
    pub(super) fn probe_active(&self, c: &Ctr, kind: ProbeKind) -> bool {
        // R42: liveness and startup stop when the pod starts terminating; readiness goes on. With
        // KEP-4438 opted in, a sidecar's liveness goes on while regular containers run (R101).
        self.termination.is_none()
            || kind == ProbeKind::Readiness
            || (self.sidecars_restart_in_termination
                && kind == ProbeKind::Liveness
                && c.kind == ContainerKind::Sidecar
                && self.ctrs[self.n_init..].iter().any(Ctr::is_running))
    }

    /// Each worker first records an attempt that has returned, then starts one if a tick is due. An
    /// attempt that returns at once, with a request still waiting, is followed by another at once
    /// (the worker's `select` finds the request); each takes a tick or the request, so they end.
    pub(super) fn tick_probes(&mut self) {
        for idx in 0..self.ctrs.len() {
            for p in 0..self.ctrs[idx].probes.len() {
                self.finish_attempt(idx, p);
                while self.start_attempt(idx, p) {}
            }
        }
    }

    /// Records the attempt that returned by now, if it began on the instance still running. A
    /// liveness or startup result that returns once its worker has stopped (R42) is still reported, but
    /// acted on no more.
    fn finish_attempt(&mut self, idx: usize, p: usize) {
        let Some(attempt) = self.ctrs[idx].probes[p].returned_by(self.now) else {
            return;
        };
        let c = &self.ctrs[idx];
        if c.instances != attempt.instance || !c.is_running() {
            return;
        }
        let acts = self.probe_active(c, c.probes[p].kind);
        self.record_attempt(idx, p, attempt.outcome, acts);
    }

    /// Starts an attempt if one is due; true when it returned at once and another is due now.
    fn start_attempt(&mut self, idx: usize, p: usize) -> bool {
        let now = self.now;
        let c = &self.ctrs[idx];
        let worker = &c.probes[p];
        if !worker.tick_due(now) || !self.probe_active(c, worker.kind) {
            return false;
        }
        let due = worker.should_probe(c.running_since(), c.started, now);
        let resets = self.version.minor >= REQUEST_RESETS_TICKER_SINCE;
        self.ctrs[idx].probes[p].take_tick(now, resets);
        if due {
            let outcome = self.attempt(idx, p);
            if outcome.duration > Millis(0) {
                let instance = self.ctrs[idx].instances;
                self.ctrs[idx].probes[p].in_flight = Some(InFlight {
                    returns_at: now + outcome.duration,
                    instance,
                    outcome,
                });
                return false;
            }
            self.record_attempt(idx, p, outcome, true);
        }
        self.ctrs[idx].probes[p].tick_due(now)
    }

    /// `generateAPIPodStatus` asks for a readiness attempt at once for each started, running
    /// container whose readiness result is not Success (prober_manager.go `UpdatePodStatus`): while a
    /// container is not ready, its readiness probe also runs between its ticks (R37).
    pub(super) fn request_readiness_of_unready(&mut self) {
        for c in &mut self.ctrs {
            if !c.started || !c.is_running() {
                continue;
            }
            let readiness = c.probes.iter_mut().find(|w| w.kind == ProbeKind::Readiness);
            if let Some(w) = readiness.filter(|w| w.result != ProbeResult::Success) {
                w.triggered = true;
            }
        }
    }

    /// Runs one attempt of worker `p` now: what its annotation says, or its handler.
    fn attempt(&mut self, idx: usize, p: usize) -> ProbeOutcome {
        let c = &self.ctrs[idx];
        let worker = &c.probes[p];
        let (kind, spec, timeout) = (worker.kind, worker.spec.clone(), worker.timeout());
        let since = c.running_since().map_or(Millis(0), |s| self.now.since(s));
        match c.behaviour.probe_override(kind, since) {
            Some(true) => ProbeOutcome::pass(),
            Some(false) => {
                let target = self.probe_target(idx, &spec);
                // A TCP accept that never comes waits out the timeout; the others answer at once.
                let waits = matches!(target, Some(Target::Tcp { .. }));
                let duration = if waits { timeout } else { Millis(0) };
                ProbeOutcome::fail(failing_output(target.as_ref()), "R33", duration)
            }
            None => {
                let exec = self.ctrs[idx].probes[p].exec_script(&self.world.exec_programs);
                self.run_probe(idx, &spec, exec, timeout)
            }
        }
    }

    /// Records a returned attempt: its event when it failed and, when `acts`, the result and what a
    /// changed result causes.
    fn record_attempt(&mut self, idx: usize, p: usize, outcome: ProbeOutcome, acts: bool) {
        let now = self.now;
        let kind = self.ctrs[idx].probes[p].kind;
        let success = outcome.success;
        if !success {
            // `output` is what `kubectl describe` prints after "Liveness probe failed: " (R103).
            let label = self.label(idx);
            let message = probe_failed_sentence(kind, &label, &outcome.output);
            self.emit(
                Some(idx),
                EventKind::ProbeFailed {
                    probe: kind,
                    output: outcome.output,
                },
                Some(outcome.rule),
                message,
            );
        }
        if !acts {
            return;
        }
        let Some(result) = self.ctrs[idx].probes[p].record(success) else {
            return;
        };
        match (kind, result) {
            (ProbeKind::Startup, ProbeResult::Success) => {
                // R37: the sync this asks for generates a status in which the container is started
                // and not ready yet, which asks for a readiness attempt at once.
                self.request_sync(now);
            }
            (ProbeKind::Startup, ProbeResult::Failure) => {
                self.probe_kill(idx, ProbeKind::Startup, "R35")
            }
            (ProbeKind::Liveness, ProbeResult::Failure) => {
                self.probe_kill(idx, ProbeKind::Liveness, "R36")
            }
            _ => self.request_sync(now),
        }
        self.refresh_flags();
    }

    /// Runs a probe's handler. An exec probe runs its command through the interpreter and reports what
    /// it printed and how long it ran; past timeoutSeconds it fails with the runtime's "timed out"
    /// (R39). An httpGet, tcpSocket or gRPC probe succeeds when a container of the pod listens on the
    /// port now, and is refused otherwise (R104). `exec_script` is the script of an exec probe's
    /// command as its worker keeps it (read here when not given).
    fn run_probe(
        &mut self,
        idx: usize,
        probe: &Probe,
        exec_script: Option<Rc<ExecScript>>,
        timeout: Millis,
    ) -> ProbeOutcome {
        if let Some(exec) = &probe.exec {
            let script = exec_script.unwrap_or_else(|| self.world.exec_programs.of(&exec.command));
            let name = self.ctrs[idx].name.clone();
            let result = run_read_exec(&script, &name, self.now, &mut self.world, Some(timeout));
            if result.timed_out {
                // The runtime's ExecSync deadline error (remote_runtime.go), which exec.go reports as
                // the probe's output.
                let command = go_quote(&exec.command.join(" "));
                let output = format!("command {command} timed out");
                return ProbeOutcome::fail(output, "R39", timeout);
            }
            return ProbeOutcome {
                success: result.exit_code == 0,
                output: result.output,
                rule: "R104",
                duration: result.duration,
            };
        }
        match self.probe_target(idx, probe) {
            Some(target) if self.accepts(&target) => match self.http_failure(&target) {
                Some(output) => ProbeOutcome::fail(output, "R104", Millis(0)),
                None => ProbeOutcome::pass(),
            },
            Some(target) => {
                // A gRPC dial retries a refused connection until the timeout (R104).
                let waits = matches!(target, Target::Grpc { .. });
                let duration = if waits { timeout } else { Millis(0) };
                ProbeOutcome::fail(unreachable_output(&target, timeout), "R104", duration)
            }
            None => ProbeOutcome::fail(String::new(), "R104", Millis(0)),
        }
    }

    pub(super) fn probe_kill(&mut self, idx: usize, kind: ProbeKind, rule: &'static str) {
        if self.deletion_pending.is_some() {
            // The pod worker's next work is the deletion (`SyncTerminatingPod`), not a sync that
            // would kill this container for its probe (R43).
            return;
        }
        let c = &self.ctrs[idx];
        let grace_s = c
            .probe(kind)
            .and_then(|p| p.spec.termination_grace_period_seconds)
            .unwrap_or(self.grace_seconds);
        let restart = self.restarts_on_failure(idx);
        let why = format!(
            "its {} probe failed{}",
            kind.name(),
            if restart {
                ", it will be restarted"
            } else {
                ""
            }
        );
        let grace = Millis::secs(grace_s.max(0) as u64);
        let cause = match kind {
            ProbeKind::Startup => KillCause::StartupProbe,
            _ => KillCause::LivenessProbe,
        };
        self.queue_kill(idx, grace, why, rule, restart, cause);
    }
}

/// The timeline's sentence for a failed attempt: `liveness probe of container "app" failed: <output>`,
/// or "… failed (no output)" for a silent exec probe.
fn probe_failed_sentence(kind: ProbeKind, label: &str, output: &str) -> String {
    if output.trim().is_empty() {
        format!("{} probe of {label} failed (no output)", kind.name())
    } else {
        format!(
            "{} probe of {label} failed: {}",
            kind.name(),
            output.trim_end()
        )
    }
}
