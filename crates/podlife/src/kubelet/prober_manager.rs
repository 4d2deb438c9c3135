//! Running the probes and acting on their results (pkg/kubelet/prober/prober_manager.go, worker.go):
//! ticks, exec probes through the interpreter, network probes against what listens, and the kills a
//! failed liveness or startup probe causes (R33–R43).

use crate::behaviour::run_exec;
use crate::pod_status::ContainerKind;
use crate::time::Millis;
use crate::trace::{EventKind, KillCause, ProbeKind};

use super::container::Ctr;
use super::pod_worker::*;
use super::prober::ProbeResult;

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

    pub(super) fn tick_probes(&mut self) {
        let now = self.now;
        for idx in 0..self.ctrs.len() {
            for p in 0..self.ctrs[idx].probes.len() {
                let kind = self.ctrs[idx].probes[p].kind;
                if self.ctrs[idx].probes[p].next_tick > now
                    || !self.probe_active(&self.ctrs[idx], kind)
                {
                    continue;
                }
                let due = {
                    let c = &self.ctrs[idx];
                    c.probes[p].should_probe(c.running_since(), c.started, now)
                };
                self.ctrs[idx].probes[p].advance_tick(now);
                if due {
                    self.probe_once(idx, p);
                }
            }
        }
    }

    pub(super) fn probe_once(&mut self, idx: usize, p: usize) {
        let now = self.now;
        let c = &self.ctrs[idx];
        let worker = &c.probes[p];
        let (kind, spec, timeout) = (worker.kind, worker.spec.clone(), worker.timeout());
        let since = c.running_since().map_or(Millis(0), |s| now.since(s));
        let (success, detail) = match c.behaviour.probe_override(kind, since) {
            Some(ok) => (
                ok,
                "its podlife.dev/behaviour annotation says so".to_string(),
            ),
            None => self.run_probe(idx, &spec, timeout),
        };
        let changed = self.ctrs[idx].probes[p].record(success);
        let label = self.label(idx);
        if !success {
            self.emit(
                Some(idx),
                EventKind::ProbeFailed { probe: kind },
                Some("R33"),
                format!("{} probe of {label} failed: {detail}", kind.name()),
            );
        }
        let Some(result) = changed else { return };
        match (kind, result) {
            (ProbeKind::Startup, ProbeResult::Success) => {
                // R37: readiness is probed at once after startup succeeds.
                if let Some(r) = self.ctrs[idx]
                    .probes
                    .iter_mut()
                    .find(|w| w.kind == ProbeKind::Readiness)
                {
                    r.next_tick = now;
                }
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

    /// httpGet, tcpSocket and gRPC probes succeed once the process listens (or is up, when it declares no
    /// port); exec probes run through the interpreter (R39: past timeoutSeconds is a failure).
    pub(super) fn run_probe(
        &mut self,
        idx: usize,
        probe: &crate::model::Probe,
        timeout: Millis,
    ) -> (bool, String) {
        if let Some(exec) = &probe.exec {
            let name = self.ctrs[idx].name.clone();
            let result = run_exec(
                &exec.command,
                &name,
                self.now,
                &mut self.world,
                Some(timeout),
            );
            return if result.timed_out {
                (
                    false,
                    format!(
                        "`{}` timed out after {} s",
                        exec.command.join(" "),
                        crate::time::secs_text(timeout.0)
                    ),
                )
            } else if result.exit_code == 0 {
                (true, String::new())
            } else {
                (
                    false,
                    format!("`{}` exited {}", exec.command.join(" "), result.exit_code),
                )
            };
        }
        let port = probe
            .http_get
            .as_ref()
            .and_then(|h| h.port.as_ref())
            .or(probe.tcp_socket.as_ref().and_then(|t| t.port.as_ref()))
            .and_then(|p| self.resolve_port(idx, p))
            .or(probe
                .grpc
                .as_ref()
                .and_then(|g| g.port)
                .and_then(|p| u16::try_from(p).ok()));
        // The pod's containers share one network: whichever of them listens on the port answers.
        // A port no container is known to serve is taken to answer once the process is up.
        let running = self.ctrs[idx].is_running();
        match port {
            Some(port) if self.world.serves(port) => (true, String::new()),
            Some(port)
                if self
                    .ctrs
                    .iter()
                    .any(|c| c.behaviour.listens.contains(&port)) =>
            {
                (false, format!("nothing listens on port {port} yet"))
            }
            _ => (running, String::new()),
        }
    }

    pub(super) fn resolve_port(&self, idx: usize, port: &crate::model::IntOrString) -> Option<u16> {
        match port {
            crate::model::IntOrString::Int(n) => u16::try_from(*n).ok(),
            crate::model::IntOrString::Str(name) => self.ctrs[idx]
                .spec
                .ports
                .iter()
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .and_then(|p| u16::try_from(p.container_port).ok()),
        }
    }

    pub(super) fn probe_kill(&mut self, idx: usize, kind: ProbeKind, rule: &'static str) {
        let c = &self.ctrs[idx];
        let grace_s = c
            .probe(kind)
            .and_then(|p| p.spec.termination_grace_period_seconds)
            .unwrap_or(self.grace_seconds);
        let restart = c.kind == ContainerKind::Sidecar || self.restart_policy != "Never";
        self.ctrs[idx].restart_after_kill = restart;
        let why = format!(
            "its {} probe failed{}",
            kind.name(),
            if restart {
                ", it will be restarted"
            } else {
                ""
            }
        );
        self.ops.push_back(Op::Kill {
            idx,
            grace: Millis::secs(grace_s.max(0) as u64),
            why,
            rule,
            cause: match kind {
                ProbeKind::Startup => KillCause::StartupProbe,
                _ => KillCause::LivenessProbe,
            },
        });
        self.request_sync(self.now);
    }
}
