//! The kubelet model: given a loaded pod and a scenario, what the kubelet does on a virtual clock, rule
//! by rule (../shared/kubelet-rules.md sections C–L). Modules are named after the upstream pieces they
//! model: the pod worker and its sync (`pod_worker`: pod_workers.go, kuberuntime_manager.go,
//! kuberuntime_container.go), probe workers (`prober`: prober/worker.go), crash-loop back-off
//! (`backoff`), the sidecar termination order (`termination_order`), and the status manager
//! (`status_manager`: status/status_manager.go).

mod backoff;
mod container;
mod kill_container;
mod pod_termination;
mod pod_worker;
mod prober;
mod prober_manager;
mod scenario_actions;
mod start_container;
mod status_manager;
mod sync_actions;
mod termination_order;

use std::collections::BTreeMap;

use crate::behaviour::{stray_behaviour_annotations, BEHAVIOUR_ANNOTATION_PREFIX};
use crate::model::Workload;
use crate::pod_status::{ContainerKind, PodPhase};
use crate::scenario::Scenario;
use crate::trace::{ContainerInfo, Outcome, PodInfo, Seconds, Trace, FORMAT};
use crate::version::KubeVersion;

/// Simulates `workload`'s pod under `scenario` on Kubernetes `version`.
pub fn simulate(
    workload: &Workload,
    version: KubeVersion,
    scenario: &Scenario,
    annotations: &BTreeMap<String, String>,
) -> Trace {
    let behaviour_of = |name: &str| {
        annotations
            .get(&format!("{BEHAVIOUR_ANNOTATION_PREFIX}{name}"))
            .cloned()
    };
    let mut worker = pod_worker::PodWorker::new(workload, version, scenario, &behaviour_of);
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
            behaviour: c.behaviour.summary.clone(),
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
    Trace {
        format: FORMAT,
        kubernetes_version: version.to_string(),
        pod: PodInfo {
            name: worker.pod_name.clone(),
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
        },
        warnings,
        end: Seconds(end),
    }
}

fn outcome_summary(
    w: &pod_worker::PodWorker,
    phase: PodPhase,
    terminal_at: Option<crate::time::SimTime>,
    end: crate::time::SimTime,
) -> String {
    if let Some(removed) = w.removed_at {
        return format!("{} and removed at {}", phase.name(), removed);
    }
    if let Some(at) = terminal_at.filter(|_| phase.is_terminal()) {
        return format!("{} at {at}", phase.name());
    }
    let forever: Vec<String> = w
        .ctrs
        .iter()
        .filter(|c| c.kind == ContainerKind::Regular && c.is_running())
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    if w.restart_policy != "Always" && !forever.is_empty() {
        return format!(
            "still {} at {end}: {} never exit{}",
            phase.name(),
            forever.join(", "),
            if forever.len() == 1 { "s" } else { "" }
        );
    }
    format!("{} at {end}", phase.name())
}
