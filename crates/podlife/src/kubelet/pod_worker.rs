//! The pod worker and its sync (pkg/kubelet/pod_workers.go, kubelet.go `SyncPod` /
//! `SyncTerminatingPod`, kuberuntime/kuberuntime_manager.go `computePodActions`,
//! `computeInitContainerActions`, kuberuntime_container.go `startContainer` / `killContainer`): a
//! discrete-event loop on the virtual clock. Each step advances the containers' processes, applies the
//! scenario, ticks the probes, moves kills and the pod's termination along, and runs a sync when one is
//! due. Every transition is written to the trace with the rule it follows.

use crate::sorted_map::{SortedMap, SortedSet};
use std::collections::VecDeque;

use crate::behaviour::outside_hosts::Cluster;
use crate::behaviour::{bytes_text, BehaviourInput, DryRuns, ProcessState, Signal, World};
use crate::model::{PodSpec, Workload};
use crate::pod_status::{ContainerKind, PodPhase};
use crate::resources;
use crate::scenario::{Action, Scenario, HORIZON_CAP};
use crate::scheduling::{self, FitError, NodeCapacity};
use crate::time::{Millis, SimTime};
use crate::trace::{Event, EventKind, KillCause, ProbeKind, Seconds};
use crate::version::{Gate, KubeVersion};

use super::backoff::Backoff;
use super::container::{Ctr, Instance, Stopping, Termination};
use super::job_controller::JobController;
use super::prober::ProbeWorker;
use super::restart_policy::OwnRestartPolicy;
use super::status_manager::StatusManager;
use super::work_budget::{ProgramWork, WorkBudget, WorkSpent};

/// The scheduler's fit of the pod on the node (R107), with the containers' kinds as the kubelet model
/// read them (a sidecar's request counts beside what follows it: R94).
fn scheduler_fit(pod: &PodSpec, ctrs: &[Ctr], node: NodeCapacity) -> Result<(), FitError> {
    let kind_of = |name: &str| ctrs.iter().find(|c| c.name == name).map(|c| c.kind);
    let members = resources::members(pod, kind_of);
    scheduling::fit(&resources::pod_requests(&members), node)
}

/// The sandbox (network namespace, pause container) is ready this long after the pod is scheduled.
pub(super) const SANDBOX_SETUP: Millis = Millis(500);
/// PLEG relists every second: container starts and exits are noticed at the next relist (R30).
pub(super) const RELIST_PERIOD: u64 = 1_000;
/// A first pull of an image; a re-pull of an image already on the node (`Always`) is quicker.
pub(super) const FIRST_PULL: Millis = Millis(2_000);
pub(super) const REPULL: Millis = Millis(500);
/// A sync that fails (an image error) is retried this long after it: the pod worker's `backOffPeriod`,
/// the lower end of its jitter (pod_workers.go `completeWork`, R55).
pub(super) const POD_WORKER_ERROR_BACKOFF: Millis = Millis(10_000);
/// The node is down this long during a reboot.
pub(super) const REBOOT_DOWNTIME: Millis = Millis(10_000);
/// At least this long between SIGTERM and SIGKILL (R70 `minimumGracePeriodInSeconds`).
pub(super) const MIN_KILL_GRACE: Millis = Millis(2_000);
/// With nothing left to happen, a stable pod is simulated this much longer, then the run ends.
pub(super) const SETTLE: Millis = Millis(30_000);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminationCause {
    Deletion,
    /// All regular containers finished and none restarts (R62).
    Completion,
    /// An init container failed under `restartPolicy: Never` (R51).
    InitFailure,
    /// The pod was active longer than its `activeDeadlineSeconds` (R102).
    ActiveDeadline,
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
pub(super) enum Op {
    /// Start (or restart) a container: back-off check, pull, create, start, postStart (R26, R27, R28).
    Start { idx: usize },
    /// Kill one container outside pod termination, waiting for it to exit (R43, R77).
    Kill {
        idx: usize,
        grace: Millis,
        why: String,
        rule: &'static str,
        /// What the kubelet's `Killing` event says (R103).
        cause: KillCause,
    },
    /// Restart a container the sync decided to kill and restart, once that sync's kills are done (R43).
    Restart { idx: usize, decided_at: SimTime },
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
    /// `metadata.namespace`, `default` when unset.
    pub pod_namespace: String,
    pub world: World,
    pub events: Vec<Event>,
    pub status: StatusManager,
    pub termination: Option<PodTermination>,
    pub removed_at: Option<SimTime>,
    /// `kubectl delete` was called: kubectl shows `Terminating` (R86), a terminal phase follows R63.
    pub deletion_requested: bool,
    /// The deletion's grace, while the pod worker has not acted on it yet: it waits for the sync in
    /// progress (R43).
    pub(super) deletion_pending: Option<Millis>,
    pub sandbox_ready_at: Option<SimTime>,
    pub generation: u32,
    /// A regular container has been created in this sandbox: the pod is initialized for good (R25).
    pub initialized: bool,
    pub(super) images: SortedSet<String>,
    pub(super) backoff: Backoff,
    /// Image-pull back-off, per image (R55).
    pub(super) pull_backoff: Backoff,
    /// KEP-4438 opted in (1.37 alpha): sidecars restart during termination until the regular containers
    /// are gone (R101).
    pub(super) sidecars_restart_in_termination: bool,
    /// Sidecars to restart during termination, and when (R101).
    pub(super) termination_restarts: Vec<(usize, SimTime)>,
    /// How many events the last published status had seen.
    pub(super) published_events: usize,
    pub(super) ops: VecDeque<Op>,
    /// The op at the front is blocked until then (a pull, a postStart, a preStop).
    pub(super) busy_until: Option<SimTime>,
    /// The op at the front waits for this container to exit.
    pub(super) waiting_exit: Option<usize>,
    pub(super) sync_at: Option<SimTime>,
    pub(super) relist_pending: bool,
    pub(super) scenario: VecDeque<(SimTime, Action)>,
    pub(super) horizon: SimTime,
    /// The run stopped at the horizon with something still due (`Outcome::cut_at_horizon`).
    pub cut_at_horizon: bool,
    /// The loop's own work so far, and what stopped the run before its end when it ran out
    /// (`work_budget`).
    work: WorkBudget,
    pub work_spent: Option<WorkSpent>,
    /// The scenario set `until`: simulate up to it, even when nothing changes.
    pub(super) explicit_until: Option<SimTime>,
    pub(super) last_change: SimTime,
    pub(super) node_down_until: Option<SimTime>,
    /// startTime + `activeDeadlineSeconds` (R102).
    pub(super) active_deadline: Option<SimTime>,
    /// The deadline has passed and the pod is being failed for it (R102).
    pub deadline_exceeded: bool,
    /// The sandbox generation whose first sync has run (R21).
    pub(super) synced_generation: u32,
    /// PLEG has a new sandbox to report: once the sync in progress is over, a relist brings the next
    /// sync (`note_sandbox_for_pleg`).
    pub(super) sandbox_event_pending: bool,
    /// The Job controller, when a Job owns the pod: its back-off limit and deadline (R58, R106).
    pub(super) job_controller: Option<JobController>,
    /// The scheduler placed the pod on the node (R107); false when its requests do not fit.
    pub scheduled: bool,
    /// Why the node does not fit the pod, until the run reports it (R107).
    pub(super) fit_error: Option<FitError>,
    /// Each container's index in `ctrs` by its name (the first, were a name repeated): every step
    /// looks containers up by name, and a scan per lookup made a 200-container pod quadratic.
    index_by_name: SortedMap<String, usize>,
}

impl PodWorker {
    pub fn new(
        workload: &Workload,
        version: KubeVersion,
        scenario: &Scenario,
        annotations: &dyn Fn(&str) -> Option<String>,
        dry_runs: &mut DryRuns,
    ) -> PodWorker {
        let pod = &workload.pod;
        let restart_policy = pod
            .restart_policy
            .clone()
            .unwrap_or_else(|| "Always".into());
        let own_policies = version.enabled(Gate::ContainerRestartRules);
        let job_controller = JobController::of(workload, &restart_policy);
        // podlife simulates one pod of a Job: of an Indexed Job, the first, index 0
        // (docs/annotations.md).
        let job_completion_index = workload
            .job
            .as_ref()
            .filter(|j| j.completion_mode.as_deref() == Some("Indexed"))
            .map(|_| 0);
        let hostname = pod_hostname(workload);
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
                let behaviour = dry_runs.behaviour(&BehaviourInput {
                    container: spec,
                    kind,
                    pod_restart_policy: &restart_policy,
                    annotation: annotation.as_deref(),
                    job_completion_index,
                    hostname: hostname.as_deref(),
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
                    previous_termination: None,
                    generation: 0,
                    probes,
                    stopping: None,
                    wake_at: None,
                    signalled_since_run: false,
                    post_start_failure: None,
                    pull_error: None,
                    shown_pull_error: None,
                    crash_loop_reason: false,
                    restart_after_kill: false,
                    kill_for_restart: None,
                    definition_changed: false,
                    restart: match kind {
                        ContainerKind::Sidecar => OwnRestartPolicy::default(),
                        _ => OwnRestartPolicy::read(spec, own_policies),
                    },
                });
            }
        }
        let fit_error = scheduler_fit(pod, &ctrs, scenario.node).err();
        let mut world = World::for_pod(&workload.pod);
        world.exec_programs = dry_runs.exec_programs();
        world.cluster = Cluster {
            namespace: workload
                .namespace
                .clone()
                .unwrap_or_else(|| "default".into()),
            services: scenario.cluster_services.clone(),
        };
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
            pod_namespace: workload
                .namespace
                .clone()
                .unwrap_or_else(|| "default".into()),
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
            images: SortedSet::new(),
            backoff: Backoff::default(),
            pull_backoff: Backoff::default(),
            sidecars_restart_in_termination: version
                .enabled(Gate::SidecarsRestartableDuringPodTermination),
            termination_restarts: Vec::new(),
            published_events: 0,
            ops: VecDeque::new(),
            busy_until: None,
            waiting_exit: None,
            sync_at: None,
            relist_pending: false,
            scenario: scenario.actions.iter().cloned().collect(),
            horizon,
            cut_at_horizon: false,
            work: WorkBudget::for_containers(ctrs.len()),
            work_spent: None,
            explicit_until: scenario.until,
            last_change: SimTime::ZERO,
            node_down_until: None,
            active_deadline: super::active_deadline::active_deadline(pod.active_deadline_seconds),
            deadline_exceeded: false,
            synced_generation: 0,
            sandbox_event_pending: false,
            job_controller,
            index_by_name: index_by_name(&ctrs),
            ctrs,
            scheduled: true,
            fit_error,
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
        let event = Event {
            t: Seconds(self.now),
            container: name,
            kind,
            rule,
            message,
        };
        self.work.count_event(event.text_bytes());
        self.events.push(event);
        if meaningful {
            self.last_change = self.now;
        }
    }

    pub(super) fn label(&self, idx: usize) -> String {
        let c = &self.ctrs[idx];
        let kind = match c.kind {
            ContainerKind::Init => "init container",
            ContainerKind::Sidecar => "sidecar",
            ContainerKind::Regular => "container",
        };
        format!("{kind} \"{}\"", c.name)
    }

    /// The index in `ctrs` of the container named `name`.
    pub(super) fn index_of(&self, name: &str) -> Option<usize> {
        self.index_by_name.get(name).copied()
    }

    /// The pod as the kubelet's hook messages name it (`format.Pod` without the UID: `name_namespace`).
    pub(super) fn pod_full_name(&self) -> String {
        format!("{}_{}", self.pod_name, self.pod_namespace)
    }

    // ---------------------------------------------------------------- the loop

    pub fn run(&mut self) {
        if let Some(fit_error) = self.fit_error.take() {
            self.stay_unscheduled(fit_error);
            return;
        }
        self.emit(
            None,
            EventKind::Scheduled,
            Some("R44"),
            format!(
                "Successfully assigned pod \"{}\" to the node",
                self.pod_name
            ),
        );
        self.sandbox_ready_at = Some(SimTime::ZERO + SANDBOX_SETUP);
        self.sync_at = self.sandbox_ready_at;
        self.publish();
        loop {
            self.skip_periodic_wakes();
            let Some(t) = self.next_time() else {
                break;
            };
            if t > self.horizon {
                self.now = self.horizon.max(self.now);
                self.cut_at_horizon = !self.quiet();
                break;
            }
            self.step(t);
            self.work.count_instant(self.ctrs.len());
            self.work_spent = self.work.spent(
                self.events.len(),
                ProgramWork {
                    lines: self.world.lines_kept,
                    exec_runs: self.world.exec_runs,
                    steps: self.world.pod_steps.taken(),
                },
            );
            let gone = self.removed_at.is_some() && !self.ctrs.iter().any(Ctr::is_running);
            if gone || self.finished() || self.work_spent.is_some() {
                break;
            }
            if self.settled() {
                break;
            }
        }
        self.now = self.now.max(self.final_time());
    }

    pub(super) fn final_time(&self) -> SimTime {
        if self.removed_at.is_some() || self.work_spent.is_some() {
            self.now
        } else if self.explicit_until.is_some() {
            self.horizon.max(self.now)
        } else if self.finished() {
            self.now
        } else {
            let settle_end = self.last_change + SETTLE;
            settle_end.min(self.horizon).max(self.now)
        }
    }

    /// Terminal and nothing running: the run is over.
    pub(super) fn finished(&self) -> bool {
        self.status.phase().is_terminal()
            && !self.ctrs.iter().any(Ctr::is_running)
            && self.termination.is_none()
            && self.scenario.is_empty()
    }

    /// Nothing has changed for a while and nothing is scheduled to change.
    pub(super) fn settled(&self) -> bool {
        self.explicit_until.is_none() && self.quiet()
    }

    /// Settled but for an `until` the scenario asks to simulate up to.
    fn quiet(&self) -> bool {
        // A process in a long sleep will act by itself later (`sleep 700; exit 1`); jumping to it is
        // cheap. Short periodic wake-ups (`while true; do ...; sleep 1; done`) change nothing.
        let long_sleeper = self
            .ctrs
            .iter()
            .any(|c| c.is_running() && c.wake_at.is_some_and(|w| w > self.now + SETTLE));
        self.scenario.is_empty()
            && !long_sleeper
            && self.termination.is_none()
            && self.ops.is_empty()
            && self
                .pending_active_deadline()
                .is_none_or(|d| d > self.horizon)
            && !self.ctrs.iter().any(|c| {
                matches!(
                    c.instance,
                    Instance::BackOff { .. } | Instance::Pulling { .. }
                )
            })
            && self.now.since(self.last_change) >= SETTLE
    }

    pub(super) fn next_time(&self) -> Option<SimTime> {
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
                        let ticks = !p.on_hold && !p.finished && self.probe_active(c, p.kind);
                        if p.in_flight.is_some() || ticks {
                            candidates.push(after(p.wake_at()));
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
        candidates.extend(self.termination_restarts.iter().map(|(_, t)| after(*t)));
        candidates.extend(self.pending_active_deadline().map(after));
        candidates.extend(self.next_job_sync().map(after));
        if self.termination.is_none() && !self.status.phase().is_terminal() {
            candidates.push(self.last_change + SETTLE);
        }
        candidates.into_iter().filter(|t| *t > self.now).min()
    }

    pub(super) fn step(&mut self, t: SimTime) {
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
            self.begin_pending_deletion();
        }
        if self.node_down_until.is_some() {
            self.publish();
            return;
        }
        if self.relist_pending && t.0 % RELIST_PERIOD == 0 {
            self.relist_pending = false;
            self.request_sync(t);
        }
        self.sync_job();
        self.tick_probes();
        self.advance_pulls_and_backoffs();
        self.advance_stopping();
        self.restart_sidecars_in_termination();
        self.run_ops();
        if self.begin_pending_deletion() {
            // A preStop that returns at once ends now, as it would have at the deletion itself.
            self.advance_stopping();
        }
        self.sync_at_active_deadline();
        if self.sync_at.is_some_and(|s| s <= t) && self.ops.is_empty() {
            self.sync_at = None;
            self.sync();
            self.run_ops();
            // The readiness attempts the sync's status asked for run now.
            self.tick_probes();
        }
        if self.sandbox_event_pending && self.ops.is_empty() {
            self.sandbox_event_pending = false;
            self.relist_pending = true;
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

    /// Runs every process that has something to do by now. A process only acts at its own next
    /// moment (`wake_at`), on a signal the kubelet sent it, or on one a script sent it through the
    /// world (`kill`): any other is passed by, as `run_until` would change nothing in it. Running all of
    /// them every step made a pod of 200 containers, one of them ticking every second, cost 200 process
    /// runs per tick.
    pub(super) fn advance_processes(&mut self) {
        for idx in 0..self.ctrs.len() {
            if !self.process_due(idx) {
                continue;
            }
            let now = self.now;
            let state = match &mut self.ctrs[idx].instance {
                Instance::Running { process, .. } => process.run_until(now, &mut self.world),
                _ => continue,
            };
            self.ctrs[idx].signalled_since_run = false;
            match state {
                ProcessState::Exited { code, at } => self.on_exit(idx, code, at.min(now)),
                ProcessState::Running { wake_at } => self.ctrs[idx].wake_at = wake_at,
            }
        }
    }

    /// Would running container `idx`'s process up to now change anything? Debug builds (the tests)
    /// check that a process passed by is indeed one with nothing due.
    fn process_due(&self, idx: usize) -> bool {
        let c = &self.ctrs[idx];
        let Instance::Running { process, .. } = &c.instance else {
            return false;
        };
        let due = c.signalled_since_run
            || c.wake_at.is_none_or(|w| w <= self.now)
            || self.world.signals.iter().any(|s| s.container == c.name);
        debug_assert!(
            due || matches!(process.state(&self.world), ProcessState::Running { wake_at } if wake_at == c.wake_at),
            "container {idx}'s process changed without a run: its wake_at is stale"
        );
        due
    }

    /// Delivers `signal` to container `idx`'s process now (the kubelet's SIGTERM or SIGKILL).
    pub(super) fn signal_process(&mut self, idx: usize, signal: Signal) {
        let now = self.now;
        if let Instance::Running { process, .. } = &mut self.ctrs[idx].instance {
            process.signal(signal, now, &mut self.world);
            self.ctrs[idx].signalled_since_run = true;
        }
    }

    pub(super) fn on_exit(&mut self, idx: usize, code: i32, at: SimTime) {
        let signalled = self.ctrs[idx]
            .stopping
            .as_ref()
            .is_some_and(|s| s.sigterm_at.is_some());
        let started_at = self.ctrs[idx].running_since().unwrap_or(at);
        // The runtime reports an OOM kill of the container's cgroup as the reason (R105).
        let oom = match &self.ctrs[idx].instance {
            Instance::Running { process, .. } => process.oom_killed(),
            _ => None,
        };
        let reason = match (oom, code) {
            (Some(_), _) => crate::trace::OOM_KILLED,
            (None, 0) => "Completed",
            (None, _) => "Error",
        }
        .to_string();
        let term = Termination {
            exit_code: code,
            reason: reason.clone(),
            started_at,
            finished_at: at,
        };
        let label = self.label(idx);
        let c = &mut self.ctrs[idx];
        c.instance = Instance::Terminated(term.clone());
        c.previous_termination = c.last_termination.replace(term);
        c.post_start_done = false;
        self.world.listening.retain(|_, owner| owner != &c.name);
        let killed = c.stopping.is_some();
        c.stopping = None;
        let rule = match (signalled, killed, self.ctrs[idx].kind) {
            _ if oom.is_some() => "R105",
            // The code a signal leaves: 137 after SIGKILL, 143 after an untrapped SIGTERM, the
            // trap's own code otherwise.
            (true, _, _) => "R76",
            // It ended by itself during its preStop or while it waited for its turn.
            (false, true, _) => "R70",
            (false, false, ContainerKind::Init) if code == 0 => "R22",
            (false, false, ContainerKind::Init) => "R51",
            (false, false, ContainerKind::Sidecar) if !self.initialized => "R29",
            (false, false, ContainerKind::Sidecar) => "R52",
            (false, false, ContainerKind::Regular) => "R50",
        };
        let limit = self.ctrs[idx]
            .spec
            .resources
            .as_ref()
            .and_then(|r| r.limits.get("memory").cloned())
            .unwrap_or_default();
        let how = match (oom, code) {
            (Some(used), _) => format!(
                "was OOM-killed: it used {}, over its memory limit {limit} (exit 137, OOMKilled)",
                bytes_text(used)
            ),
            (None, 0) => "exited 0 (Completed)".to_string(),
            (None, 137) => "was killed (exit 137, SIGKILL)".to_string(),
            (None, 143) => "was terminated by SIGTERM (exit 143)".to_string(),
            (None, n) => format!("exited with code {n}"),
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
        // The pod worker decides on a death only once PLEG has seen it: a sync needs a runtime cache
        // newer than the exit (R30), so any sync queued before the next relist waits for it. A kill the
        // sync itself decided, with a restart (probe failure, new image), restarts in that sync.
        self.relist_pending = true;
        if !self.ctrs[idx].restart_after_kill {
            self.sync_at = None;
        }
        if self.termination.is_some()
            && self.sidecars_restart_in_termination
            && self.ctrs[idx].kind == ContainerKind::Sidecar
            && !signalled
            && self.ctrs[self.n_init..].iter().any(Ctr::is_running)
        {
            let relist = SimTime((self.now.0 / RELIST_PERIOD + 1) * RELIST_PERIOD);
            let key = Backoff::key(&self.ctrs[idx].name, self.ctrs[idx].image());
            let until = self
                .backoff
                .in_backoff(&key, at, self.now)
                .map_or(relist, |(u, _)| u.max(relist));
            self.termination_restarts.push((idx, until));
        }
        self.refresh_flags_of(idx);
    }

    /// R101 (KEP-4438, opted in): restart sidecars that exited during termination while regular
    /// containers still run; they then wait for their turn like the others.
    pub(super) fn restart_sidecars_in_termination(&mut self) {
        let now = self.now;
        let Some(term) = self.termination.clone() else {
            self.termination_restarts.clear();
            return;
        };
        let due: Vec<usize> = self
            .termination_restarts
            .iter()
            .filter(|(_, t)| *t <= now)
            .map(|(i, _)| *i)
            .collect();
        self.termination_restarts.retain(|(_, t)| *t > now);
        for idx in due {
            if !self.ctrs[self.n_init..].iter().any(Ctr::is_running) || self.ctrs[idx].is_running()
            {
                continue;
            }
            let label = self.label(idx);
            self.note(
                Some(idx),
                "R101",
                format!("SidecarsRestartableDuringPodTermination: {label} exited during termination and is restarted while regular containers still run"),
            );
            if let Some(last) = self.ctrs[idx].last_termination.clone() {
                let key = Backoff::key(&self.ctrs[idx].name, self.ctrs[idx].image());
                self.backoff.record_restart(&key, last.finished_at, now);
            }
            self.create_and_start(idx);
            // The new instance joins the pod's kill: it waits for its turn under the pod's one
            // deadline, its preStop already spent (R71, R73).
            let stopping = Stopping {
                grace: term.grace,
                began_at: term.began_at,
                pre_stop_done: true,
                pre_stop_ended_at: Some(term.began_at),
                ..Stopping::default()
            };
            self.begin_kill(idx, KillCause::Stop, stopping);
        }
    }

    // ---------------------------------------------------------------- scenario

    /// A trace line that explains why nothing happened.
    pub(super) fn note(&mut self, idx: Option<usize>, rule: &'static str, message: String) {
        self.emit(idx, EventKind::Note, Some(rule), message);
    }

    // ---------------------------------------------------------------- probes

    // ---------------------------------------------------------------- flags

    /// Recomputes `started` and `ready` and writes a trace event for each change.
    pub fn refresh_flags(&mut self) {
        for idx in 0..self.ctrs.len() {
            self.refresh_flags_at(idx);
        }
    }

    /// [`Self::refresh_flags`] for a caller that changed container `idx` alone (its start, its exit):
    /// scanning all of them there made 200 crash-looping containers cost the square of 200 per
    /// restart round. Both flags depend only on the container's own state, so the others are as the
    /// last refresh left them; debug builds (the tests) check it, so the events stay those the full
    /// scan writes.
    pub(super) fn refresh_flags_of(&mut self, idx: usize) {
        debug_assert!(
            self.ctrs.iter().enumerate().all(|(i, c)| i == idx
                || (c.started == c.compute_started() && c.ready == c.compute_ready())),
            "a container other than {idx} changed without a refresh of its flags"
        );
        self.refresh_flags_at(idx);
    }

    fn refresh_flags_at(&mut self, idx: usize) {
        let (started, ready) = (
            self.ctrs[idx].compute_started(),
            self.ctrs[idx].compute_ready(),
        );
        // Called after every step for every container: the label is only written for a change.
        if started != self.ctrs[idx].started {
            let label = self.label(idx);
            self.ctrs[idx].started = started;
            let startup_probe = self.ctrs[idx].probe(ProbeKind::Startup).is_some();
            let (rule, message) = match (started, self.ctrs[idx].kind) {
                    (true, ContainerKind::Sidecar) => ("R23", format!("{label} is started: running, postStart done, startup probe passed or absent; the next container may start")),
                    // `started` is computed alike for every container (R23); its startup probe's
                    // success is R35.
                    (true, _) if startup_probe => ("R35", format!("{label} is started")),
                    (true, _) => ("R23", format!("{label} is started")),
                    // Still running: the kubelet restarted and recomputes it from fresh probes (R97).
                    (false, _) if self.ctrs[idx].is_running() => {
                        ("R97", format!("{label} is no longer started"))
                    }
                    // A container that stopped is not started (R23).
                    (false, _) => ("R23", format!("{label} is no longer started")),
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
            let label = self.label(idx);
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

    // ---------------------------------------------------------------- sync: what to start

    // ---------------------------------------------------------------- ops (one at a time: R26, R43)

    pub(super) fn run_ops(&mut self) {
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
                Op::Start { idx } | Op::Restart { idx, .. } => self.step_start(idx, resumed),
                Op::Kill {
                    idx,
                    grace,
                    why,
                    rule,
                    cause,
                } => self.step_kill(idx, grace, &why, rule, cause),
            };
            if done {
                self.ops.pop_front();
            }
        }
    }

    // ---------------------------------------------------------------- stopping containers

    // ---------------------------------------------------------------- pod termination (R62, R67–R81)

    pub(super) fn advance_pulls_and_backoffs(&mut self) {
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
        // Status only changes with a transition, and every transition writes an event: a step that
        // wrote none (a loop's wake-up, a probe that passed again) has nothing new to publish.
        if self.events.len() == self.published_events && self.now != SimTime::ZERO {
            return;
        }
        let now = self.now;
        let mut status = std::mem::take(&mut self.status);
        let changes = status.update(self, now);
        self.status = status;
        for (kind, rule, message) in changes {
            self.emit(None, kind, rule, message);
        }
        self.published_events = self.events.len();
        self.observe_pod_for_job();
    }
}

fn index_by_name(ctrs: &[Ctr]) -> SortedMap<String, usize> {
    let mut index = SortedMap::new();
    for (idx, c) in ctrs.iter().enumerate() {
        if !index.contains_key(c.name.as_str()) {
            index.insert(c.name.clone(), idx);
        }
    }
    index
}

/// The hostname the pod's containers see: the pod's name, which for a StatefulSet's first pod is
/// `<name>-0` (its scripts read their ordinal from it).
pub(crate) fn pod_hostname(workload: &Workload) -> Option<String> {
    let name = workload.name.as_deref()?;
    Some(match workload.kind {
        crate::model::WorkloadKind::StatefulSet => format!("{name}-0"),
        _ => name.to_string(),
    })
}
