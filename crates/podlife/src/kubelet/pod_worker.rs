//! The pod worker and its sync (pkg/kubelet/pod_workers.go, kubelet.go `SyncPod` /
//! `SyncTerminatingPod`, kuberuntime/kuberuntime_manager.go `computePodActions`,
//! `computeInitContainerActions`, kuberuntime_container.go `startContainer` / `killContainer`): a
//! discrete-event loop on the virtual clock. Each step advances the containers' processes, applies the
//! scenario, ticks the probes, moves kills and the pod's termination along, and runs a sync when one is
//! due. Every transition is written to the trace with the rule it follows.

use std::collections::{BTreeSet, VecDeque};

use crate::behaviour::{run_exec, Behaviour, BehaviourInput, ProcessState, Signal, World};
use crate::model::{LifecycleHandler, Workload};
use crate::pod_status::{ContainerKind, PodPhase};
use crate::scenario::{Action, Scenario, HORIZON_CAP};
use crate::time::{Millis, SimTime};
use crate::trace::{Event, EventKind, ProbeKind, Seconds, SignalName};
use crate::version::{Gate, KubeVersion};

use super::backoff::Backoff;
use super::container::{Ctr, Instance, Stopping, Termination};
use super::prober::{ProbeResult, ProbeWorker};
use super::status_manager::StatusManager;
use super::termination_order::{may_terminate, Member};

/// The sandbox (network namespace, pause container) is ready this long after the pod is scheduled.
const SANDBOX_SETUP: Millis = Millis(500);
/// PLEG relists every second: container starts and exits are noticed at the next relist (R30).
const RELIST_PERIOD: u64 = 1_000;
/// A first pull of an image; a re-pull of an image already on the node (`Always`) is quicker.
const FIRST_PULL: Millis = Millis(2_000);
const REPULL: Millis = Millis(500);
/// The node is down this long during a reboot.
const REBOOT_DOWNTIME: Millis = Millis(10_000);
/// At least this long between SIGTERM and SIGKILL (R70 `minimumGracePeriodInSeconds`).
const MIN_KILL_GRACE: Millis = Millis(2_000);
/// With nothing left to happen, a stable pod is simulated this much longer, then the run ends.
const SETTLE: Millis = Millis(120_000);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminationCause {
    Deletion,
    /// All regular containers finished and none restarts (R62).
    Completion,
    /// An init container failed under `restartPolicy: Never` (R51).
    InitFailure,
}

#[derive(Debug, Clone)]
pub struct PodTermination {
    pub cause: TerminationCause,
    pub began_at: SimTime,
    pub grace: Millis,
    /// The phase decided when termination began (completion and init failure).
    pub decided_phase: Option<PodPhase>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    /// Start (or restart) a container: back-off check, pull, create, start, postStart (R26, R27, R28).
    Start { idx: usize },
    /// Kill one container outside pod termination, waiting for it to exit (R43, R77).
    Kill {
        idx: usize,
        grace: Millis,
        why: String,
        rule: &'static str,
    },
}

pub struct PodWorker {
    pub now: SimTime,
    pub version: KubeVersion,
    pub ctrs: Vec<Ctr>,
    pub n_init: usize,
    pub restart_policy: String,
    pub grace_seconds: i64,
    pub workload_kind: String,
    pub pod_name: String,
    pub world: World,
    pub events: Vec<Event>,
    pub status: StatusManager,
    pub termination: Option<PodTermination>,
    pub removed_at: Option<SimTime>,
    /// `kubectl delete` was called: kubectl shows `Terminating` (R86), a terminal phase follows R63.
    pub deletion_requested: bool,
    deletion_pending: Option<Millis>,
    pub sandbox_ready_at: Option<SimTime>,
    pub generation: u32,
    /// A regular container has been created in this sandbox: the pod is initialized for good (R25).
    pub initialized: bool,
    images: BTreeSet<String>,
    backoff: Backoff,
    ops: VecDeque<Op>,
    /// The op at the front is blocked until then (a pull, a postStart, a preStop).
    busy_until: Option<SimTime>,
    /// The op at the front waits for this container to exit.
    waiting_exit: Option<usize>,
    sync_at: Option<SimTime>,
    relist_pending: bool,
    scenario: VecDeque<(SimTime, Action)>,
    horizon: SimTime,
    last_change: SimTime,
    node_down_until: Option<SimTime>,
}

impl PodWorker {
    pub fn new(
        workload: &Workload,
        version: KubeVersion,
        scenario: &Scenario,
        annotations: &dyn Fn(&str) -> Option<String>,
    ) -> PodWorker {
        let pod = &workload.pod;
        let restart_policy = pod
            .restart_policy
            .clone()
            .unwrap_or_else(|| "Always".into());
        let mut ctrs = Vec::new();
        let lists = [(&pod.init_containers, true), (&pod.containers, false)];
        for (list, is_init) in lists {
            for (index, spec) in list.iter().enumerate() {
                let kind = match (is_init, spec.is_restartable()) {
                    (true, true) => ContainerKind::Sidecar,
                    (true, false) => ContainerKind::Init,
                    (false, _) => ContainerKind::Regular,
                };
                let annotation = annotations(&spec.name);
                let behaviour = Behaviour::infer(&BehaviourInput {
                    container: spec,
                    kind,
                    pod_restart_policy: &restart_policy,
                    annotation: annotation.as_deref(),
                });
                let mut probes = Vec::new();
                if kind != ContainerKind::Init {
                    let workers = [
                        (ProbeKind::Startup, &spec.startup_probe),
                        (ProbeKind::Readiness, &spec.readiness_probe),
                        (ProbeKind::Liveness, &spec.liveness_probe),
                    ];
                    for (probe_kind, probe) in workers {
                        if let Some(p) = probe {
                            probes.push(ProbeWorker::new(probe_kind, p.clone(), SimTime::ZERO));
                        }
                    }
                }
                ctrs.push(Ctr {
                    name: spec.name.clone(),
                    kind,
                    index,
                    spec: spec.clone(),
                    behaviour,
                    instance: Instance::NotCreated,
                    restart_count: 0,
                    instances: 0,
                    started: false,
                    ready: false,
                    post_start_done: false,
                    last_termination: None,
                    generation: 0,
                    probes,
                    stopping: None,
                    wake_at: None,
                    post_start_failed: false,
                    restart_after_kill: false,
                });
            }
        }
        let mut world = World::default();
        for c in &ctrs {
            let mounts = c
                .spec
                .volume_mounts
                .iter()
                .map(|m| (m.name.clone(), m.mount_path.clone()))
                .collect();
            world.mounts.insert(c.name.clone(), mounts);
        }
        for (host, at) in &scenario.services {
            world.services_up_at.insert(host.clone(), *at);
        }
        let horizon = scenario
            .until
            .unwrap_or(SimTime::ZERO + HORIZON_CAP)
            .min(SimTime::ZERO + HORIZON_CAP);
        PodWorker {
            now: SimTime::ZERO,
            version,
            n_init: pod.init_containers.len(),
            restart_policy,
            grace_seconds: pod.termination_grace_period(),
            workload_kind: workload.kind.name().to_string(),
            pod_name: workload.name.clone().unwrap_or_else(|| "pod".into()),
            world,
            events: Vec::new(),
            status: StatusManager::default(),
            termination: None,
            removed_at: None,
            deletion_requested: false,
            deletion_pending: None,
            sandbox_ready_at: None,
            generation: 1,
            initialized: false,
            images: BTreeSet::new(),
            backoff: Backoff::default(),
            ops: VecDeque::new(),
            busy_until: None,
            waiting_exit: None,
            sync_at: None,
            relist_pending: false,
            scenario: scenario.actions.iter().cloned().collect(),
            horizon,
            last_change: SimTime::ZERO,
            node_down_until: None,
            ctrs,
        }
    }

    // ---------------------------------------------------------------- events

    pub fn emit(
        &mut self,
        container: Option<usize>,
        kind: EventKind,
        rule: Option<&'static str>,
        message: String,
    ) {
        let name = container.map(|i| self.ctrs[i].name.clone());
        let meaningful = !matches!(kind, EventKind::ProbeFailed { .. });
        self.events.push(Event {
            t: Seconds(self.now),
            container: name,
            kind,
            rule,
            message,
        });
        if meaningful {
            self.last_change = self.now;
        }
    }

    fn label(&self, idx: usize) -> String {
        let c = &self.ctrs[idx];
        let kind = match c.kind {
            ContainerKind::Init => "init container",
            ContainerKind::Sidecar => "sidecar",
            ContainerKind::Regular => "container",
        };
        format!("{kind} \"{}\"", c.name)
    }

    // ---------------------------------------------------------------- the loop

    pub fn run(&mut self) {
        self.emit(
            None,
            EventKind::Scheduled,
            Some("R20"),
            format!(
                "Successfully assigned pod \"{}\" to the node",
                self.pod_name
            ),
        );
        self.sandbox_ready_at = Some(SimTime::ZERO + SANDBOX_SETUP);
        self.sync_at = self.sandbox_ready_at;
        self.publish();
        let mut steps: u64 = 0;
        while let Some(t) = self.next_time() {
            if t > self.horizon {
                self.now = self.horizon.max(self.now);
                break;
            }
            self.step(t);
            steps += 1;
            if self.removed_at.is_some() || self.finished() || steps > 5_000_000 {
                break;
            }
            if self.settled() {
                break;
            }
        }
        self.now = self.now.max(self.final_time());
    }

    fn final_time(&self) -> SimTime {
        if self.removed_at.is_some() || self.finished() {
            self.now
        } else {
            let settle_end = self.last_change + SETTLE;
            settle_end.min(self.horizon).max(self.now)
        }
    }

    /// Terminal and nothing running: the run is over.
    fn finished(&self) -> bool {
        self.status.phase().is_terminal()
            && !self.ctrs.iter().any(Ctr::is_running)
            && self.termination.is_none()
    }

    /// Nothing has changed for a while and nothing is scheduled to change.
    fn settled(&self) -> bool {
        self.scenario.is_empty()
            && self.termination.is_none()
            && self.ops.is_empty()
            && !self.ctrs.iter().any(|c| {
                matches!(
                    c.instance,
                    Instance::BackOff { .. } | Instance::Pulling { .. }
                )
            })
            && self.now.since(self.last_change) >= SETTLE
    }

    fn next_time(&self) -> Option<SimTime> {
        let mut candidates: Vec<SimTime> = Vec::new();
        let after = |t: SimTime| t.max(self.now);
        if let Some((t, _)) = self.scenario.front() {
            candidates.push(after(*t));
        }
        if let Some(t) = self.node_down_until {
            candidates.push(after(t));
            return candidates.into_iter().min();
        }
        if let Some(t) = self.sync_at {
            candidates.push(after(t));
        }
        if let Some(t) = self.busy_until {
            candidates.push(after(t));
        }
        if self.relist_pending {
            candidates.push(SimTime((self.now.0 / RELIST_PERIOD + 1) * RELIST_PERIOD));
        }
        for c in &self.ctrs {
            match &c.instance {
                Instance::Running { .. } => {
                    if let Some(w) = c.wake_at {
                        candidates.push(after(w));
                    }
                    for p in &c.probes {
                        if !p.on_hold && !p.finished && self.probe_active(p.kind) {
                            candidates.push(after(p.next_tick));
                        }
                    }
                }
                Instance::Pulling { until } => candidates.push(after(*until)),
                Instance::BackOff { until, .. } => candidates.push(after(*until)),
                _ => {}
            }
            if let Some(s) = &c.stopping {
                for t in [s.pre_stop_until, s.sigkill_at].into_iter().flatten() {
                    candidates.push(after(t));
                }
                if s.pre_stop_done && s.sigterm_at.is_none() {
                    candidates.push(after(s.began_at + s.grace));
                }
            }
        }
        if self.termination.is_none() && !self.status.phase().is_terminal() {
            candidates.push(self.last_change + SETTLE);
        }
        candidates.into_iter().filter(|t| *t > self.now).min()
    }

    fn probe_active(&self, kind: ProbeKind) -> bool {
        // R42: liveness and startup stop when the pod starts terminating; readiness goes on.
        self.termination.is_none() || kind == ProbeKind::Readiness
    }

    fn step(&mut self, t: SimTime) {
        self.now = t;
        if let Some(until) = self.node_down_until {
            if t >= until {
                self.node_down_until = None;
                self.sandbox_ready_at = Some(t + SANDBOX_SETUP);
                self.sync_at = self.sandbox_ready_at;
            }
        }
        self.advance_processes();
        if self.scenario.front().is_some_and(|(at, _)| *at <= t) {
            // What kubectl shows right after the action (e.g. Terminating) before the kubelet acts on it.
            self.apply_scenario();
            self.publish();
            if let Some(grace) = self.deletion_pending.take() {
                self.begin_termination(TerminationCause::Deletion, grace, None);
            }
        }
        if self.node_down_until.is_some() {
            self.publish();
            return;
        }
        if self.relist_pending && t.0 % RELIST_PERIOD == 0 {
            self.relist_pending = false;
            self.request_sync(t);
        }
        self.tick_probes();
        self.advance_pulls_and_backoffs();
        self.advance_stopping();
        self.run_ops();
        if self.sync_at.is_some_and(|s| s <= t) && self.ops.is_empty() {
            self.sync_at = None;
            self.sync();
            self.run_ops();
        }
        self.advance_processes();
        self.refresh_flags();
        self.finish_termination_if_done();
        self.publish();
    }

    pub fn request_sync(&mut self, at: SimTime) {
        if self.sandbox_ready_at.is_none_or(|r| at < r) && self.node_down_until.is_none() {
            if let Some(r) = self.sandbox_ready_at {
                self.sync_at = Some(self.sync_at.map_or(r, |s| s.min(r)));
            }
            return;
        }
        self.sync_at = Some(self.sync_at.map_or(at, |s| s.min(at)));
    }

    // ---------------------------------------------------------------- processes

    fn advance_processes(&mut self) {
        for idx in 0..self.ctrs.len() {
            let now = self.now;
            let state = match &mut self.ctrs[idx].instance {
                Instance::Running { process, .. } => process.run_until(now, &mut self.world),
                _ => continue,
            };
            match state {
                ProcessState::Exited { code, at } => self.on_exit(idx, code, at.min(now)),
                ProcessState::Running { wake_at } => self.ctrs[idx].wake_at = wake_at,
            }
        }
    }

    fn on_exit(&mut self, idx: usize, code: i32, at: SimTime) {
        let started_at = self.ctrs[idx].running_since().unwrap_or(at);
        let reason = if code == 0 { "Completed" } else { "Error" }.to_string();
        let term = Termination {
            exit_code: code,
            reason: reason.clone(),
            started_at,
            finished_at: at,
        };
        let label = self.label(idx);
        let c = &mut self.ctrs[idx];
        c.instance = Instance::Terminated(term.clone());
        c.last_termination = Some(term);
        c.post_start_done = false;
        self.world.listening.retain(|_, owner| owner != &c.name);
        let killed = c.stopping.is_some();
        c.stopping = None;
        let rule = match (killed, code) {
            (true, 137) => "R73",
            (true, _) => "R76",
            (false, _) => match self.ctrs[idx].kind {
                ContainerKind::Init => "R22",
                ContainerKind::Sidecar => "R52",
                ContainerKind::Regular => "R50",
            },
        };
        let how = match code {
            0 => "exited 0 (Completed)".to_string(),
            137 => "was killed (exit 137, SIGKILL)".to_string(),
            143 => "was terminated by SIGTERM (exit 143)".to_string(),
            n => format!("exited with code {n}"),
        };
        self.emit(
            Some(idx),
            EventKind::Exited {
                exit_code: code,
                reason,
            },
            Some(rule),
            format!("{label} {how}"),
        );
        if self.waiting_exit == Some(idx) {
            self.waiting_exit = None;
        }
        self.relist_pending = true;
        self.refresh_flags();
    }

    // ---------------------------------------------------------------- scenario

    fn apply_scenario(&mut self) {
        while self.scenario.front().is_some_and(|(t, _)| *t <= self.now) {
            let Some((_, action)) = self.scenario.pop_front() else {
                break;
            };
            match action {
                Action::Delete { grace } => self.delete(grace),
                Action::SetImage { container, image } => self.set_image(&container, &image),
                Action::NodeReboot => self.node_reboot(),
                Action::KubeletRestart => self.kubelet_restart(),
            }
        }
    }

    fn delete(&mut self, grace: Option<i64>) {
        if self
            .termination
            .as_ref()
            .is_some_and(|t| t.cause == TerminationCause::Deletion)
            || self.removed_at.is_some()
        {
            return;
        }
        self.deletion_requested = true;
        let phase = self.status.phase();
        let seconds = if phase.is_terminal() {
            0
        } else {
            grace.unwrap_or(self.grace_seconds).max(0)
        };
        self.emit(
            None,
            EventKind::DeletionRequested {
                grace_period: seconds,
            },
            Some("R67"),
            format!("kubectl delete pod: deletion grace period {seconds} s"),
        );
        if phase.is_terminal() && !self.ctrs.iter().any(Ctr::is_running) {
            self.removed_at = Some(self.now);
            self.emit(
                None,
                EventKind::Removed,
                Some("R67"),
                "a terminal pod is removed at once".into(),
            );
            return;
        }
        match &mut self.termination {
            // Already tearing down after completion: the deletion can only shorten the grace (R68).
            Some(t) => {
                t.cause = TerminationCause::Deletion;
            }
            // The kubelet acts on it after the API server has marked the pod (see `step`).
            None => self.deletion_pending = Some(Millis::secs(seconds.max(0) as u64)),
        }
    }

    fn set_image(&mut self, name: &str, image: &str) {
        let Some(idx) = self.ctrs.iter().position(|c| c.name == name) else {
            return;
        };
        self.ctrs[idx].spec.image = Some(image.to_string());
        self.emit(
            Some(idx),
            EventKind::ImageUpdated {
                image: image.to_string(),
            },
            Some("R65"),
            format!("kubectl set image: {} now wants {image}", self.label(idx)),
        );
        if self.termination.is_some() {
            let label = self.label(idx);
            self.note(
                Some(idx),
                "R78",
                format!("the pod is terminating: {label} is not restarted for its new image"),
            );
            return;
        }
        let c = &self.ctrs[idx];
        if c.kind == ContainerKind::Init {
            let label = self.label(idx);
            self.note(
                Some(idx),
                "R65",
                format!("{label} is an init container: an image change never reruns it"),
            );
            return;
        }
        if c.is_running() {
            self.ctrs[idx].restart_after_kill = true;
            let grace = Millis::secs(self.grace_seconds.max(0) as u64);
            self.ops.push_back(Op::Kill {
                idx,
                grace,
                why: format!("its image changed to {image}"),
                rule: "R65",
            });
        } else if c.kind == ContainerKind::Regular
            && self.restart_policy == "Never"
            && c.terminated().is_some()
        {
            let label = self.label(idx);
            self.note(
                Some(idx),
                "R65",
                format!("{label} has exited in a Never pod: it is not restarted"),
            );
        }
        self.request_sync(self.now);
    }

    /// A trace line that explains why nothing happened.
    fn note(&mut self, idx: Option<usize>, rule: &'static str, message: String) {
        self.emit(idx, EventKind::Note, Some(rule), message);
    }

    fn node_reboot(&mut self) {
        self.emit(
            None,
            EventKind::NodeRebooted,
            Some("R98"),
            "the node reboots: the pod's sandbox and every container are lost".into(),
        );
        let now = self.now;
        for idx in 0..self.ctrs.len() {
            if self.ctrs[idx].is_running() {
                let started_at = self.ctrs[idx].running_since().unwrap_or(now);
                let term = Termination {
                    exit_code: 255,
                    reason: "Unknown".into(),
                    started_at,
                    finished_at: now,
                };
                let c = &mut self.ctrs[idx];
                c.instance = Instance::Terminated(term.clone());
                c.last_termination = Some(term);
                c.stopping = None;
                c.post_start_done = false;
                let label = self.label(idx);
                self.emit(
                    Some(idx),
                    EventKind::Exited {
                        exit_code: 255,
                        reason: "Unknown".into(),
                    },
                    Some("R98"),
                    format!("{label} is gone with the node"),
                );
            } else if matches!(
                self.ctrs[idx].instance,
                Instance::Pulling { .. } | Instance::BackOff { .. }
            ) {
                self.ctrs[idx].instance = Instance::NotCreated;
            }
        }
        self.world.listening.clear();
        self.backoff = Backoff::default();
        self.ops.clear();
        self.busy_until = None;
        self.waiting_exit = None;
        self.sync_at = None;
        self.relist_pending = false;
        self.node_down_until = Some(now + REBOOT_DOWNTIME);
        self.sandbox_ready_at = None;
        // R21: a Never pod whose containers already ran gets no new sandbox.
        let never_ran_again =
            self.restart_policy == "Never" && self.ctrs.iter().any(|c| c.instances > 0);
        if !never_ran_again {
            self.generation += 1;
            self.initialized = false;
        } else {
            self.node_down_until = None;
            self.note(
                None,
                "R21",
                "restartPolicy Never: the containers already ran, so no new sandbox is created"
                    .into(),
            );
        }
        for c in &mut self.ctrs {
            for p in &mut c.probes {
                p.reset();
                p.next_tick = now + REBOOT_DOWNTIME;
            }
        }
        self.refresh_flags();
    }

    fn kubelet_restart(&mut self) {
        let resets = self.version.minor < 35;
        let message = if resets {
            "the kubelet restarts: running containers keep running; Started and Ready are recomputed from fresh probes (R97, before 1.35)"
        } else {
            "the kubelet restarts: running containers keep running and their status is kept (R97, 1.35+)"
        };
        self.emit(
            None,
            EventKind::KubeletRestarted,
            Some("R96"),
            message.into(),
        );
        // The back-off table lives in the kubelet's memory.
        self.backoff = Backoff::default();
        let now = self.now;
        for c in &mut self.ctrs {
            for p in &mut c.probes {
                if resets {
                    p.reset();
                }
                p.next_tick = now;
            }
        }
        self.request_sync(now);
    }

    // ---------------------------------------------------------------- probes

    fn tick_probes(&mut self) {
        let now = self.now;
        for idx in 0..self.ctrs.len() {
            for p in 0..self.ctrs[idx].probes.len() {
                let kind = self.ctrs[idx].probes[p].kind;
                if self.ctrs[idx].probes[p].next_tick > now || !self.probe_active(kind) {
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

    fn probe_once(&mut self, idx: usize, p: usize) {
        let now = self.now;
        let (kind, success, detail) = {
            let c = &self.ctrs[idx];
            let worker = &c.probes[p];
            let since = c.running_since().map_or(Millis(0), |s| now.since(s));
            let (success, detail) = match c.behaviour.probe_override(worker.kind, since) {
                Some(ok) => (
                    ok,
                    "its podlife.dev/behaviour annotation says so".to_string(),
                ),
                None => self.run_probe(idx, &worker.spec, worker.timeout()),
            };
            (worker.kind, success, detail)
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
    fn run_probe(
        &self,
        idx: usize,
        probe: &crate::model::Probe,
        timeout: Millis,
    ) -> (bool, String) {
        let c = &self.ctrs[idx];
        if let Some(exec) = &probe.exec {
            let mut world = self.world.clone();
            let result = run_exec(&exec.command, &c.name, self.now, &mut world, Some(timeout));
            return if result.timed_out {
                (
                    false,
                    format!(
                        "`{}` timed out after {} s",
                        exec.command.join(" "),
                        timeout.as_secs()
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
        match port {
            Some(port)
                if !c.behaviour.listens.is_empty() || self.world.listening.contains_key(&port) =>
            {
                match self.world.listening.get(&port) {
                    Some(owner) if owner == &c.name => (true, String::new()),
                    _ => (false, format!("nothing listens on port {port} yet")),
                }
            }
            _ => (c.is_running(), String::new()),
        }
    }

    fn resolve_port(&self, idx: usize, port: &crate::model::IntOrString) -> Option<u16> {
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

    fn probe_kill(&mut self, idx: usize, kind: ProbeKind, rule: &'static str) {
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
        });
        self.request_sync(self.now);
    }

    // ---------------------------------------------------------------- flags

    /// Recomputes `started` and `ready` and writes a trace event for each change.
    pub fn refresh_flags(&mut self) {
        for idx in 0..self.ctrs.len() {
            let (started, ready) = (
                self.ctrs[idx].compute_started(),
                self.ctrs[idx].compute_ready(),
            );
            let label = self.label(idx);
            if started != self.ctrs[idx].started {
                self.ctrs[idx].started = started;
                let (rule, message) = match (started, self.ctrs[idx].kind) {
                    (true, ContainerKind::Sidecar) => ("R23", format!("{label} is started: running, postStart done, startup probe passed or absent; the next container may start")),
                    (true, _) => ("R23", format!("{label} is started")),
                    (false, _) => ("R41", format!("{label} is no longer started")),
                };
                if self.ctrs[idx].kind != ContainerKind::Init {
                    self.emit(
                        Some(idx),
                        EventKind::StartedChanged { value: started },
                        Some(rule),
                        message,
                    );
                }
            }
            if ready != self.ctrs[idx].ready {
                self.ctrs[idx].ready = ready;
                let rule = if self.ctrs[idx].probe(ProbeKind::Readiness).is_some() {
                    "R37"
                } else {
                    "R38"
                };
                let message = if ready {
                    format!("{label} is ready")
                } else {
                    format!("{label} is not ready")
                };
                self.emit(
                    Some(idx),
                    EventKind::ReadyChanged { value: ready },
                    Some(rule),
                    message,
                );
            }
        }
    }

    // ---------------------------------------------------------------- sync: what to start

    fn sync(&mut self) {
        if self.termination.is_some() || self.removed_at.is_some() || self.node_down_until.is_some()
        {
            return;
        }
        if self.sandbox_ready_at.is_none_or(|r| self.now < r) {
            return;
        }
        if !self.init_actions() {
            return;
        }
        self.regular_actions();
        self.check_completion();
    }

    fn queued(&self, idx: usize) -> bool {
        self.ops
            .iter()
            .any(|op| matches!(op, Op::Start { idx: i } | Op::Kill { idx: i, .. } if *i == idx))
    }

    /// `computeInitContainerActions`: returns true when initialization is complete (or was, for good).
    fn init_actions(&mut self) -> bool {
        let generation = self.generation;
        for idx in 0..self.n_init {
            let c = &self.ctrs[idx];
            let fresh = c.generation != generation;
            let queued = self.queued(idx);
            match c.kind {
                ContainerKind::Sidecar => {
                    let exited = fresh
                        || matches!(c.instance, Instance::Terminated(_) | Instance::NotCreated);
                    if exited && !queued && !matches!(c.instance, Instance::BackOff { .. }) {
                        self.ops.push_back(Op::Start { idx });
                        if !self.initialized {
                            return false;
                        }
                        continue;
                    }
                    if matches!(c.instance, Instance::BackOff { until, .. } if until <= self.now)
                        && !queued
                    {
                        self.ops.push_back(Op::Start { idx });
                    }
                    if !self.initialized && !c.started {
                        return false;
                    }
                }
                ContainerKind::Init => {
                    if self.initialized {
                        continue;
                    }
                    match &c.instance {
                        _ if fresh || matches!(c.instance, Instance::NotCreated) => {
                            if !queued {
                                self.ops.push_back(Op::Start { idx });
                            }
                            return false;
                        }
                        Instance::Terminated(t) if t.exit_code == 0 => continue,
                        Instance::Terminated(t) => {
                            let code = t.exit_code;
                            if self.restart_policy == "Never" {
                                let label = self.label(idx);
                                self.note(Some(idx), "R51", format!("{label} failed (exit {code}) and restartPolicy is Never: the pod fails"));
                                self.begin_termination(
                                    TerminationCause::InitFailure,
                                    Millis::secs(self.grace_seconds.max(0) as u64),
                                    Some(PodPhase::Failed),
                                );
                            } else if !queued {
                                self.ops.push_back(Op::Start { idx });
                            }
                            return false;
                        }
                        Instance::BackOff { until, .. } => {
                            if *until <= self.now && !queued {
                                self.ops.push_back(Op::Start { idx });
                            }
                            return false;
                        }
                        _ => return false,
                    }
                }
                ContainerKind::Regular => {}
            }
        }
        true
    }

    /// `computePodActions` for regular containers: start the ones never started, restart the exited ones
    /// the restart policy allows (R25, R26, R50).
    fn regular_actions(&mut self) {
        for idx in self.n_init..self.ctrs.len() {
            if self.queued(idx) {
                continue;
            }
            let c = &self.ctrs[idx];
            let fresh = c.generation != self.generation;
            let start = match &c.instance {
                Instance::NotCreated => true,
                Instance::Terminated(_) if fresh && self.restart_policy != "Never" => true,
                Instance::Terminated(t) => c.restart_after_kill || self.should_restart(t.exit_code),
                Instance::BackOff { until, .. } => *until <= self.now,
                _ => false,
            };
            if start {
                self.ops.push_back(Op::Start { idx });
            }
        }
    }

    fn should_restart(&self, exit_code: i32) -> bool {
        match self.restart_policy.as_str() {
            "Always" => true,
            "OnFailure" => exit_code != 0,
            _ => false,
        }
    }

    /// R62: every regular container has terminated and none will restart: the pod is done.
    fn check_completion(&mut self) {
        if !self.initialized || self.termination.is_some() || !self.ops.is_empty() {
            return;
        }
        let regular = &self.ctrs[self.n_init..];
        let codes: Option<Vec<i32>> = regular
            .iter()
            .map(|c| c.terminated().map(|t| t.exit_code))
            .collect();
        let Some(codes) = codes else { return };
        if codes.iter().any(|&code| self.should_restart(code)) {
            return;
        }
        let phase = if codes.iter().all(|&c| c == 0) {
            PodPhase::Succeeded
        } else {
            PodPhase::Failed
        };
        let running_sidecars = self.ctrs[..self.n_init]
            .iter()
            .filter(|c| c.is_running())
            .count();
        let message = if running_sidecars > 0 {
            format!(
                "every regular container has exited and none restarts: the pod will be {}; its {running_sidecars} running sidecar(s) are stopped with the pod's grace period",
                phase.name()
            )
        } else {
            format!(
                "every regular container has exited and none restarts: the pod is {}",
                phase.name()
            )
        };
        self.note(None, "R62", message);
        self.begin_termination(
            TerminationCause::Completion,
            Millis::secs(self.grace_seconds.max(0) as u64),
            Some(phase),
        );
    }

    // ---------------------------------------------------------------- ops (one at a time: R26, R43)

    fn run_ops(&mut self) {
        loop {
            if self.termination.is_some() {
                self.ops.clear();
                self.busy_until = None;
                return;
            }
            if self.busy_until.is_some_and(|b| b > self.now) || self.waiting_exit.is_some() {
                return;
            }
            let resumed = self.busy_until.take().is_some();
            let Some(op) = self.ops.front().cloned() else {
                return;
            };
            let done = match op {
                Op::Start { idx } => self.step_start(idx, resumed),
                Op::Kill {
                    idx,
                    grace,
                    why,
                    rule,
                } => self.step_kill(idx, grace, &why, rule),
            };
            if done {
                self.ops.pop_front();
            }
        }
    }

    /// One step of starting a container; returns true when the op is done.
    fn step_start(&mut self, idx: usize, resumed: bool) -> bool {
        let now = self.now;
        match self.ctrs[idx].instance.clone() {
            Instance::Pulling { until } if until <= now => {
                let image = self.ctrs[idx].image().to_string();
                self.images.insert(image.clone());
                self.emit(
                    Some(idx),
                    EventKind::Pulled {
                        image: image.clone(),
                    },
                    Some("R27"),
                    format!("Successfully pulled image \"{image}\""),
                );
                self.create_and_start(idx)
            }
            Instance::Pulling { until } => {
                self.busy_until = Some(until);
                false
            }
            Instance::Running { .. } if resumed => {
                // The postStart hook has returned (R28).
                self.post_start_finished(idx);
                true
            }
            Instance::Running { .. } => true,
            _ => {
                if self.in_backoff(idx) {
                    return true;
                }
                self.begin_pull(idx)
            }
        }
    }

    /// `doBackOff`: a container that exited recently waits (R53).
    fn in_backoff(&mut self, idx: usize) -> bool {
        let c = &self.ctrs[idx];
        let Some(last) = c.last_termination.clone() else {
            return false;
        };
        if c.instances == 0
            || matches!(c.instance, Instance::NotCreated) && c.generation != self.generation
        {
            return false;
        }
        let key = Backoff::key(&c.name, c.image());
        match self.backoff.in_backoff(&key, last.finished_at, self.now) {
            Some((until, delay)) => {
                let already =
                    matches!(c.instance, Instance::BackOff { until: u, .. } if u == until);
                self.ctrs[idx].instance = Instance::BackOff {
                    until,
                    image_pull: false,
                };
                if !already {
                    let label = self.label(idx);
                    self.emit(
                        Some(idx),
                        EventKind::BackOff {
                            delay: delay.as_secs(),
                        },
                        Some("R53"),
                        format!(
                            "Back-off {}s restarting failed {label}: CrashLoopBackOff until {}",
                            delay.0 / 1000,
                            until
                        ),
                    );
                }
                self.request_sync(until);
                true
            }
            None => false,
        }
    }

    fn begin_pull(&mut self, idx: usize) -> bool {
        let c = &self.ctrs[idx];
        let image = c.image().to_string();
        let policy = c
            .spec
            .image_pull_policy
            .clone()
            .unwrap_or_else(|| "IfNotPresent".into());
        let present = self.images.contains(&image);
        let pull = match (policy.as_str(), present) {
            ("Never", _) | ("IfNotPresent", true) => None,
            ("Always", true) => Some(REPULL),
            _ => Some(FIRST_PULL),
        };
        let pull = c
            .behaviour
            .pull_time
            .map_or(pull, Some)
            .filter(|_| policy != "Never");
        match pull {
            Some(d) => {
                self.emit(
                    Some(idx),
                    EventKind::Pulling {
                        image: image.clone(),
                    },
                    Some("R27"),
                    format!("Pulling image \"{image}\" (imagePullPolicy {policy})"),
                );
                let until = self.now + d;
                self.ctrs[idx].instance = Instance::Pulling { until };
                self.busy_until = Some(until);
                false
            }
            None => {
                self.emit(
                    Some(idx),
                    EventKind::Pulled {
                        image: image.clone(),
                    },
                    Some("R27"),
                    format!("Container image \"{image}\" already present on machine"),
                );
                self.create_and_start(idx)
            }
        }
    }

    /// Create and start the container, then run its postStart (blocking): returns true when no hook waits.
    fn create_and_start(&mut self, idx: usize) -> bool {
        let now = self.now;
        if let Some(last) = self.ctrs[idx].last_termination.clone() {
            let key = Backoff::key(&self.ctrs[idx].name, self.ctrs[idx].image());
            self.backoff.record_restart(&key, last.finished_at, now);
        }
        let generation = self.generation;
        let process = self.ctrs[idx].behaviour.spawn(&self.ctrs[idx].name, now);
        let c = &mut self.ctrs[idx];
        if c.instances > 0 {
            c.restart_count += 1;
        }
        c.instances += 1;
        c.generation = generation;
        c.instance = Instance::Running {
            process,
            started_at: now,
        };
        c.wake_at = Some(now);
        c.post_start_done = false;
        c.restart_after_kill = false;
        for p in &mut c.probes {
            p.reset();
        }
        let name = c.name.clone();
        for port in c.behaviour.listens.clone() {
            self.world.listening.insert(port, name.clone());
        }
        if self.ctrs[idx].kind == ContainerKind::Regular {
            self.initialized = true;
        }
        let label = self.label(idx);
        let restart_count = self.ctrs[idx].restart_count;
        self.emit(
            Some(idx),
            EventKind::Created,
            Some("R26"),
            format!("Created {label}"),
        );
        let rule = match self.ctrs[idx].kind {
            ContainerKind::Init => "R22",
            ContainerKind::Sidecar if self.initialized => "R52",
            ContainerKind::Sidecar => "R22",
            ContainerKind::Regular => "R25",
        };
        let why = match (self.ctrs[idx].kind, restart_count) {
            (ContainerKind::Regular, 0) => " (initialization is complete)",
            (_, 0) => "",
            _ => " again",
        };
        self.emit(
            Some(idx),
            EventKind::Started { restart_count },
            Some(rule),
            format!("Started {label}{why}"),
        );
        self.relist_pending = true;
        match self.ctrs[idx]
            .spec
            .lifecycle
            .as_ref()
            .and_then(|l| l.post_start.clone())
        {
            Some(hook) => {
                self.emit(
                    Some(idx),
                    EventKind::PostStartHookStarted,
                    Some("R28"),
                    format!("postStart hook of {label} runs; the kubelet waits for it"),
                );
                let (duration, ok) = self.hook_duration(idx, &hook);
                // R28: a failed postStart kills the container once the hook returns.
                self.ctrs[idx].post_start_failed = !ok;
                self.busy_until = Some(now + duration);
                false
            }
            None => {
                self.ctrs[idx].post_start_done = true;
                self.refresh_flags();
                true
            }
        }
    }

    fn post_start_finished(&mut self, idx: usize) {
        let label = self.label(idx);
        if std::mem::take(&mut self.ctrs[idx].post_start_failed) {
            self.emit(
                Some(idx),
                EventKind::PostStartHookFinished,
                Some("R28"),
                format!("postStart hook of {label} failed (FailedPostStartHook): the container is killed"),
            );
            let restart =
                self.ctrs[idx].kind == ContainerKind::Sidecar || self.restart_policy != "Never";
            self.ctrs[idx].restart_after_kill = restart;
            let grace = Millis::secs(self.grace_seconds.max(0) as u64);
            self.ops.push_back(Op::Kill {
                idx,
                grace,
                why: "its postStart hook failed".into(),
                rule: "R28",
            });
            return;
        }
        self.ctrs[idx].post_start_done = true;
        self.emit(
            Some(idx),
            EventKind::PostStartHookFinished,
            Some("R28"),
            format!("postStart hook of {label} returned"),
        );
        self.refresh_flags();
        self.request_sync(self.now);
    }

    /// How long a hook runs and whether it succeeds.
    fn hook_duration(&mut self, idx: usize, hook: &LifecycleHandler) -> (Millis, bool) {
        if let Some(sleep) = &hook.sleep {
            return (Millis::secs(sleep.seconds.unwrap_or(0).max(0) as u64), true);
        }
        if let Some(exec) = &hook.exec {
            let name = self.ctrs[idx].name.clone();
            let result = run_exec(&exec.command, &name, self.now, &mut self.world, None);
            return (result.duration, result.exit_code == 0);
        }
        (Millis(0), true)
    }

    /// One step of killing a single container (R70 without ordering, R77); true when it has exited.
    fn step_kill(&mut self, idx: usize, grace: Millis, why: &str, rule: &'static str) -> bool {
        if !self.ctrs[idx].is_running() {
            return true;
        }
        let now = self.now;
        let label = self.label(idx);
        let Some(stopping) = self.ctrs[idx].stopping.clone() else {
            // The Killing event is written when the signal is sent; this line explains the decision.
            self.note(Some(idx), rule, format!("{label} will be stopped: {why}"));
            self.start_stopping(idx, grace, now);
            return self.step_kill(idx, grace, why, rule);
        };
        if stopping.sigterm_at.is_none() && stopping.pre_stop_done {
            self.send_sigterm(idx, rule);
        }
        if !self.ctrs[idx].is_running() {
            return true;
        }
        self.waiting_exit = Some(idx);
        false
    }

    // ---------------------------------------------------------------- stopping containers

    /// Starts stopping one container: its preStop first, bounded by the grace (R70).
    pub fn start_stopping(&mut self, idx: usize, grace: Millis, now: SimTime) {
        let label = self.label(idx);
        let hook = self.ctrs[idx]
            .spec
            .lifecycle
            .as_ref()
            .and_then(|l| l.pre_stop.clone());
        let mut stopping = Stopping {
            grace,
            began_at: now,
            ..Stopping::default()
        };
        match hook {
            Some(hook) if grace > Millis(0) => {
                self.emit(
                    Some(idx),
                    EventKind::PreStopHookStarted,
                    Some("R70"),
                    format!(
                        "preStop hook of {label} runs (at most {} s)",
                        grace.0 / 1000
                    ),
                );
                let (duration, _) = self.hook_duration(idx, &hook);
                stopping.pre_stop_until = Some(now + duration.min(grace));
            }
            _ => stopping.pre_stop_done = true,
        }
        self.ctrs[idx].stopping = Some(stopping);
    }

    fn advance_stopping(&mut self) {
        let now = self.now;
        for idx in 0..self.ctrs.len() {
            let Some(s) = self.ctrs[idx].stopping.clone() else {
                continue;
            };
            if !self.ctrs[idx].is_running() {
                self.ctrs[idx].stopping = None;
                continue;
            }
            if let Some(until) = s.pre_stop_until.filter(|u| *u <= now && !s.pre_stop_done) {
                let label = self.label(idx);
                let cut = until >= s.began_at + s.grace;
                let message = if cut {
                    format!("preStop hook of {label} is abandoned: the grace period ran out (R74)")
                } else {
                    format!("preStop hook of {label} finished")
                };
                self.emit(
                    Some(idx),
                    EventKind::PreStopHookFinished,
                    Some(if cut { "R74" } else { "R70" }),
                    message,
                );
                if let Some(st) = self.ctrs[idx].stopping.as_mut() {
                    st.pre_stop_done = true;
                    st.pre_stop_until = None;
                    st.pre_stop_ended_at = Some(now);
                }
                if self.termination.is_none() {
                    self.send_sigterm(idx, "R77");
                }
            }
            if let Some(kill_at) = s.sigkill_at.filter(|k| *k <= now) {
                let _ = kill_at;
                let label = self.label(idx);
                self.emit(
                    Some(idx),
                    EventKind::Killing {
                        signal: SignalName::Kill,
                    },
                    Some("R70"),
                    format!("{label} did not exit within its grace period: SIGKILL"),
                );
                if let Instance::Running { process, .. } = &mut self.ctrs[idx].instance {
                    process.signal(Signal::Kill, now, &mut self.world);
                }
                if let Some(st) = self.ctrs[idx].stopping.as_mut() {
                    st.sigkill_at = None;
                }
                self.advance_processes();
            }
        }
        if self.termination.is_some() {
            self.pod_termination_signals();
        }
    }

    /// SIGTERM now, SIGKILL after what is left of the grace (at least 2 s: R70).
    fn send_sigterm(&mut self, idx: usize, rule: &'static str) {
        let now = self.now;
        let Some(s) = self.ctrs[idx].stopping.clone() else {
            return;
        };
        // Upstream subtracts the whole seconds spent in preStop, then the whole seconds spent waiting
        // for the turn, from an integer grace (R70).
        let pre_stop_end = s.pre_stop_ended_at.unwrap_or(s.began_at);
        let spent_secs = pre_stop_end.since(s.began_at).0 / 1000 + now.since(pre_stop_end).0 / 1000;
        let left = Millis::secs((s.grace.0 / 1000).saturating_sub(spent_secs)).max(MIN_KILL_GRACE);
        let label = self.label(idx);
        self.emit(
            Some(idx),
            EventKind::Killing {
                signal: SignalName::Term,
            },
            Some(rule),
            format!(
                "Stopping {label}: SIGTERM, SIGKILL in {} s if it is still running",
                left.0 / 1000
            ),
        );
        if let Some(st) = self.ctrs[idx].stopping.as_mut() {
            st.sigterm_at = Some(now);
            st.sigkill_at = Some(now + left);
        }
        if let Instance::Running { process, .. } = &mut self.ctrs[idx].instance {
            process.signal(Signal::Term, now, &mut self.world);
        }
        self.advance_processes();
    }

    // ---------------------------------------------------------------- pod termination (R62, R67–R81)

    pub fn begin_termination(
        &mut self,
        cause: TerminationCause,
        grace: Millis,
        decided_phase: Option<PodPhase>,
    ) {
        let grace = grace.max(Millis::secs(1)); // R68: the kubelet kills with at least 1 s.
        let now = self.now;
        self.termination = Some(PodTermination {
            cause,
            began_at: now,
            grace,
            decided_phase,
        });
        self.ops.clear();
        self.busy_until = None;
        self.waiting_exit = None;
        for idx in 0..self.ctrs.len() {
            match self.ctrs[idx].instance {
                // A container already being stopped keeps its own timeline.
                Instance::Running { .. } if self.ctrs[idx].stopping.is_none() => {
                    self.start_stopping(idx, grace, now);
                }
                Instance::Pulling { .. } | Instance::BackOff { .. } => {
                    // R31, R78: what has not started never starts.
                    let fallback = Instance::NotCreated;
                    let last = self.ctrs[idx].last_termination.clone();
                    self.ctrs[idx].instance = last.map_or(fallback, Instance::Terminated);
                }
                _ => {}
            }
        }
        self.pod_termination_signals();
    }

    /// Sends SIGTERM to every container whose turn has come (R69–R75, R80).
    fn pod_termination_signals(&mut self) {
        let Some(term) = self.termination.clone() else {
            return;
        };
        let ordered = self.ctrs.iter().any(|c| c.kind == ContainerKind::Sidecar)
            && self.version.enabled(Gate::SidecarContainers)
            && self.version.minor >= 29;
        let deadline = term.began_at + term.grace;
        loop {
            let members: Vec<Member> = self
                .ctrs
                .iter()
                .map(|c| Member {
                    kind: c.kind,
                    index: c.index,
                    terminated: !c.is_running(),
                })
                .collect();
            let mut sent = false;
            for idx in 0..self.ctrs.len() {
                let ready = self.ctrs[idx]
                    .stopping
                    .as_ref()
                    .is_some_and(|s| s.pre_stop_done && s.sigterm_at.is_none());
                if !ready {
                    continue;
                }
                let turn = may_terminate(members[idx], &members, ordered);
                if turn || self.now >= deadline {
                    let rule = match (self.ctrs[idx].kind, turn, ordered) {
                        (ContainerKind::Sidecar, true, true) => "R71",
                        (ContainerKind::Sidecar, false, _) => "R73",
                        (ContainerKind::Sidecar, true, false) => "R80",
                        _ => "R75",
                    };
                    self.send_sigterm(idx, rule);
                    sent = true;
                }
            }
            if !sent {
                break;
            }
        }
    }

    fn finish_termination_if_done(&mut self) {
        let Some(term) = self.termination.clone() else {
            return;
        };
        if self.ctrs.iter().any(Ctr::is_running) {
            return;
        }
        self.termination = None;
        match term.cause {
            TerminationCause::Deletion => {
                // R63: a deleted pod ends Succeeded only if every regular container exited 0.
                let all_zero = self.ctrs[self.n_init..]
                    .iter()
                    .all(|c| c.terminated().is_some_and(|t| t.exit_code == 0));
                let phase = if all_zero && self.initialized {
                    PodPhase::Succeeded
                } else {
                    PodPhase::Failed
                };
                self.status.force_terminal(phase);
                self.publish();
                self.removed_at = Some(self.now);
                self.emit(
                    None,
                    EventKind::Removed,
                    Some("R79"),
                    format!(
                        "every container has stopped: the pod object is removed ({})",
                        phase.name()
                    ),
                );
            }
            TerminationCause::Completion | TerminationCause::InitFailure => {
                let phase = term.decided_phase.unwrap_or(PodPhase::Failed);
                self.status.force_terminal(phase);
            }
        }
    }

    fn advance_pulls_and_backoffs(&mut self) {
        let now = self.now;
        let mut wake = false;
        for c in &self.ctrs {
            if let Instance::BackOff { until, .. } = c.instance {
                if until <= now {
                    wake = true;
                }
            }
        }
        if wake {
            self.request_sync(now);
        }
    }

    pub fn publish(&mut self) {
        let now = self.now;
        let mut status = std::mem::take(&mut self.status);
        let changes = status.update(self, now);
        self.status = status;
        for (kind, rule, message) in changes {
            self.emit(None, kind, rule, message);
        }
    }
}
