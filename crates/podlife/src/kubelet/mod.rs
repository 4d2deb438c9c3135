//! The kubelet model: given a loaded pod and a scenario, what the kubelet does on a virtual clock, rule
//! by rule (docs/rules.md sections C–L). Modules are named after the upstream pieces they
//! model: the pod worker and its sync (`pod_worker`: pod_workers.go, kuberuntime_manager.go,
//! kuberuntime_container.go), probe workers (`prober`: prober/worker.go), what a network probe or hook
//! reaches (`network_handlers`: pkg/probe/http, tcp, grpc), crash-loop back-off (`backoff`), whether
//! an exited container restarts (`restart_policy`: api/v1/pod/util.go `ContainerShouldRestart`), the
//! sidecar termination order (`termination_order`), and the status manager (`status_manager`:
//! status/status_manager.go).

mod active_deadline;
mod backoff;
mod container;
mod job_controller;
mod kill_container;
mod network_handlers;
mod periodic_wakes;
mod pod_termination;
mod pod_worker;
pub(crate) use pod_worker::pod_hostname;
mod prober;
mod prober_manager;
mod restart_policy;
mod scenario_actions;
mod start_container;
mod status_manager;
mod sync_actions;
mod termination_order;
mod unscheduled;
mod work_budget;

pub use active_deadline::DEADLINE_EXCEEDED;
pub use status_manager::PodReason;
pub use work_budget::WorkSpent;

use crate::sorted_map::SortedMap;

use crate::behaviour::outside_hosts::HostSource;
use crate::behaviour::{
    stray_behaviour_annotations, Assumption, ContainerAssumption, DryRuns, FileKey, World,
    BEHAVIOUR_ANNOTATION_PREFIX,
};
use crate::model::Workload;
use crate::pod_status::{ContainerKind, PodPhase};
use crate::scenario::Scenario;
use crate::time::SimTime;
use crate::trace::{
    ContainerInfo, FileAccess, Outcome, PodInfo, Seconds, SharedFile, Trace, FORMAT, FORMAT_MINOR,
};
use crate::version::KubeVersion;

/// Simulates `workload`'s pod under `scenario` on Kubernetes `version`.
/// What podlife assumed about one container: its program's, and each outside host its command contacts
/// that no Service of the file makes known.
fn assumptions_of(c: &container::Ctr, world: &World) -> Vec<ContainerAssumption> {
    let mut named: Vec<&str> = Vec::new();
    let hosts = c.behaviour.outside_hosts.iter().filter_map(|asked| {
        let source = world.host_source(asked);
        // Named as the learner names it: the Service, not the DNS name the script built.
        let host = world.cluster.service_asked_for(asked);
        if named.contains(&host) {
            return None;
        }
        named.push(host);
        let host = host.to_string();
        match source {
            HostSource::NotThere => Some(Assumption::HostNotThere { host }),
            HostSource::AppearsAt(at) => Some(Assumption::HostAppearsAt { host, at }),
            HostSource::Internet => Some(Assumption::HostOnInternet { host }),
            HostSource::Service { .. } => None,
        }
    });
    let hosts: Vec<Assumption> = hosts.collect();
    c.behaviour
        .assumptions
        .iter()
        .cloned()
        .chain(hosts)
        .map(|assumption| ContainerAssumption {
            container: c.name.clone(),
            assumption,
        })
        .collect()
}

pub fn simulate(
    workload: &Workload,
    version: KubeVersion,
    scenario: &Scenario,
    annotations: &SortedMap<String, String>,
) -> Trace {
    simulate_within(
        workload,
        version,
        scenario,
        annotations,
        &mut DryRuns::new(),
    )
}

/// [`simulate`] within a call of the core: the containers' behaviours come from its `dry_runs`
/// (inferred once per call, on the call's budget).
pub(crate) fn simulate_within(
    workload: &Workload,
    version: KubeVersion,
    scenario: &Scenario,
    annotations: &SortedMap<String, String>,
    dry_runs: &mut DryRuns,
) -> Trace {
    let behaviour_of = |name: &str| {
        annotations
            .get(&format!("{BEHAVIOUR_ANNOTATION_PREFIX}{name}"))
            .cloned()
    };
    let mut worker =
        pod_worker::PodWorker::new(workload, version, scenario, &behaviour_of, dry_runs);
    worker.run();
    let end = worker.now;
    let mut status = std::mem::take(&mut worker.status);
    status.close(end);
    let phase = status.phase();
    let containers = worker
        .ctrs
        .iter()
        .map(|c| ContainerInfo {
            name: c.name.clone(),
            kind: c.kind,
            index: c.index,
            image: c.image().to_string(),
            behaviour: worker
                .world
                .pod_steps
                .behaviour_line(&c.name, &c.behaviour.summary),
            assumptions: assumptions_of(c, &worker.world),
        })
        .collect();
    let summary = outcome_summary(&worker, phase, status.terminal_at, end);
    let names: Vec<&str> = worker.ctrs.iter().map(|c| c.name.as_str()).collect();
    let mut warnings = stray_behaviour_annotations(annotations, &names);
    for c in &worker.ctrs {
        for e in &c.behaviour.annotation_errors {
            warnings.push(format!(
                "annotation {BEHAVIOUR_ANNOTATION_PREFIX}{}: {e}",
                c.name
            ));
        }
    }
    if let Some(spent) = worker.work_spent {
        warnings.push(spent.warning(end));
    }
    let files = shared_files(&worker.world, &worker.ctrs);
    Trace {
        format: FORMAT,
        format_minor: FORMAT_MINOR,
        kubernetes_version: version.to_string(),
        pod: PodInfo {
            name: worker.pod_name.clone(),
            namespace: worker.pod_namespace.clone(),
            uid: PodInfo::uid_for(&worker.pod_name),
            workload: worker.workload_kind.clone(),
            restart_policy: worker.restart_policy.clone(),
            termination_grace_period_seconds: worker.grace_seconds,
        },
        containers,
        events: std::mem::take(&mut worker.events),
        status: std::mem::take(&mut status.snapshots),
        intervals: std::mem::take(&mut status.intervals),
        outcome: Outcome {
            phase,
            at: status.terminal_at.map(Seconds),
            removed_at: worker.removed_at.map(Seconds),
            summary,
            cut_at_horizon: worker.cut_at_horizon,
            work_spent: worker.work_spent,
        },
        warnings,
        end: Seconds(end),
        files,
    }
}

/// The trace's `files`: every file on a volume that one container writes and another follows, with
/// the lines each wrote and read, and the lines written after the last reader stopped. A reader stops
/// when its `tail` ends (the container's process ended or restarted); the World notes how many writes
/// had happened by then, so lines written at the very instant of the stop count on the right side.
fn shared_files(world: &World, ctrs: &[container::Ctr]) -> Vec<SharedFile> {
    let mut keys: Vec<&FileKey> = world.volume_writes.iter().map(|w| &w.key).collect();
    crate::stable_sort::sort_by(&mut keys, |a, b| a.cmp(b));
    keys.dedup();
    let mut files = Vec::new();
    for key in keys {
        let FileKey::Volume { volume, .. } = key else {
            continue;
        };
        let mut writers: Vec<FileAccess> = Vec::new();
        for w in world.volume_writes.iter().filter(|w| &w.key == key) {
            add_lines(&mut writers, &w.container, w.lines);
        }
        let followers: Vec<_> = world.followers.iter().filter(|f| &f.key == key).collect();
        let mut readers: Vec<FileAccess> = Vec::new();
        for f in &followers {
            add_lines(&mut readers, &f.container, f.read);
        }
        let shared = readers
            .iter()
            .any(|r| writers.iter().any(|w| w.container != r.container));
        if !shared {
            continue;
        }
        let running = |name: &str| ctrs.iter().any(|c| c.name == name && c.is_running());
        // Where, in the sequence of writes, the last reader stopped; `None` while one still reads.
        let mut last_stop: Option<usize> = Some(0);
        for f in &followers {
            let stop = match f.writes_before_stop {
                Some(n) => Some(n),
                None if running(&f.container) => None,
                // Still marked as reading, but its container is gone (a node reboot drops processes):
                // it stopped when the container did.
                None => ctrs
                    .iter()
                    .find(|c| c.name == f.container)
                    .and_then(|c| c.terminated().or(c.last_termination.as_ref()))
                    .map(|t| writes_until(world, t.finished_at)),
            };
            last_stop = match (last_stop, stop) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
        let lost = last_stop.map_or(0, |from| {
            world.volume_writes[from.min(world.volume_writes.len())..]
                .iter()
                .filter(|w| &w.key == key)
                .map(|w| w.lines)
                .sum()
        });
        let path = writers
            .first()
            .and_then(|w| world.path_in(&w.container, key))
            .unwrap_or_default();
        files.push(SharedFile {
            path,
            volume: volume.clone(),
            writers,
            readers,
            lost_after_reader_stopped: lost,
        });
    }
    files
}

fn add_lines(list: &mut Vec<FileAccess>, container: &str, lines: u64) {
    match list.iter_mut().find(|a| a.container == container) {
        Some(a) => a.lines += lines,
        None => list.push(FileAccess {
            container: container.to_string(),
            lines,
        }),
    }
}

/// Where the writes up to `t` (inclusive) end in the sequence of writes.
fn writes_until(world: &World, t: SimTime) -> usize {
    world
        .volume_writes
        .iter()
        .rposition(|w| w.at <= t)
        .map_or(0, |i| i + 1)
}

/// `unschedulable (Insufficient cpu, Insufficient memory)`, from the scheduler's event (R107).
fn unschedulable_reasons(w: &pod_worker::PodWorker) -> String {
    let reasons = w.events.iter().find_map(|e| match &e.kind {
        crate::trace::EventKind::FailedScheduling { reasons } => Some(reasons.join(", ")),
        _ => None,
    });
    format!("unschedulable ({})", reasons.unwrap_or_default())
}

fn outcome_summary(
    w: &pod_worker::PodWorker,
    phase: PodPhase,
    terminal_at: Option<crate::time::SimTime>,
    end: crate::time::SimTime,
) -> String {
    // R102: the reason a kubelet gave a terminal phase (`kubectl describe` shows it).
    let terminal = if w.deadline_exceeded && phase.is_terminal() {
        format!(
            "{} ({})",
            phase.name(),
            active_deadline::DEADLINE_EXCEEDED.reason
        )
    } else {
        phase.name().to_string()
    };
    if let Some(removed) = w.removed_at {
        return match w.job_failure() {
            // R58, R106: the Job controller deleted the pod as it failed the Job.
            Some(reason) => {
                format!("{terminal} and removed at {removed}: the Job failed ({reason})")
            }
            None => format!("{terminal} and removed at {removed}"),
        };
    }
    if !w.scheduled {
        return format!("still Pending at {end}: {}", unschedulable_reasons(w));
    }
    if w.work_spent.is_some() && !phase.is_terminal() {
        return format!(
            "still {} at {end}, where podlife stopped simulating",
            phase.name()
        );
    }
    if let Some(at) = terminal_at.filter(|_| phase.is_terminal()) {
        return format!("{terminal} at {at}");
    }
    // A running container whose own effective policy would not start it again after a clean exit
    // (R50, R99): the pod waits for it to exit, and it never does.
    let forever: Vec<String> = w
        .ctrs
        .iter()
        .enumerate()
        .filter(|(idx, c)| {
            c.kind == ContainerKind::Regular && c.is_running() && !w.should_restart(*idx, 0)
        })
        .map(|(_, c)| format!("\"{}\"", c.name))
        .collect();
    if !forever.is_empty() {
        return format!(
            "still {} at {end}: {} never exit{}",
            phase.name(),
            forever.join(", "),
            if forever.len() == 1 { "s" } else { "" }
        );
    }
    format!("{} at {end}", phase.name())
}
