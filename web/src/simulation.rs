//! One run of the core for what is in the editor: load → validate → simulate, plus the pod's shape
//! (containers, volumes, ports) for the diagram. The web crate computes nothing about Kubernetes; it
//! only calls the core and keeps what comes back.

use std::rc::Rc;

use podlife::pod_status::ContainerKind;
use podlife::trace::Trace;
use podlife::{Diagnostic, KubeVersion};

use crate::scenario_form::ScenarioForm;

/// The choices beside the manifest.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    pub k8s: KubeVersion,
    pub scenario: ScenarioForm,
    /// The container the comparison moves as the sidecar, when the learner named one (the
    /// converter's detection otherwise).
    pub sidecar: Option<String>,
}

/// A container as the diagram draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerShape {
    pub name: String,
    pub kind: ContainerKind,
    /// `(volume, mountPath)`.
    pub mounts: Vec<(String, String)>,
    pub ports: Vec<i64>,
}

/// The pod as the diagram draws it: its containers in spec order, its volumes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodShape {
    pub containers: Vec<ContainerShape>,
    /// `(name, source)`, e.g. `("logs", "emptyDir")`.
    pub volumes: Vec<(String, String)>,
    /// The manifest's own `podlife.dev/scenario` annotation, if any.
    pub scenario: Option<String>,
}

/// What the page shows for one manifest text.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// `None` when errors stop the simulation (the API server would refuse the object).
    pub trace: Option<Rc<Trace>>,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub shape: Rc<PodShape>,
}

impl Settings {
    /// The core's options for these settings. A value the scenario controls cannot read is shown
    /// next to them; the run goes on without it.
    pub fn simulate_options(&self) -> podlife::SimulateOptions {
        podlife::SimulateOptions {
            check: podlife::CheckOptions {
                k8s: self.k8s,
                pick: None,
            },
            scenario: self.scenario.scenario().unwrap_or_default(),
        }
    }
}

pub fn run(text: &str, settings: &Settings) -> RunResult {
    let mut diagnostics = Vec::new();
    let trace = match podlife::simulate_manifest(text, &settings.simulate_options()) {
        Ok((trace, found)) => {
            diagnostics.extend(found);
            Some(Rc::new(trace))
        }
        Err(found) => {
            diagnostics.extend(found);
            None
        }
    };
    podlife::stable_sort::sort_by_key(&mut diagnostics, |d| d.span.start);
    RunResult {
        trace,
        diagnostics: Rc::new(diagnostics),
        shape: Rc::new(shape(text)),
    }
}

/// The first workload's pod, as far as it loads (a broken manifest gives an empty shape).
fn shape(text: &str) -> PodShape {
    let loaded = podlife::load(text);
    let Some(first) = loaded.workloads.first() else {
        return PodShape::default();
    };
    let pod = &first.workload.pod;
    let describe = |c: &podlife::model::Container, kind| ContainerShape {
        name: c.name.clone(),
        kind,
        mounts: c
            .volume_mounts
            .iter()
            .map(|m| (m.name.clone(), m.mount_path.clone()))
            .collect(),
        ports: c.ports.iter().map(|p| p.container_port).collect(),
    };
    let mut containers: Vec<ContainerShape> = pod
        .init_containers
        .iter()
        .map(|c| {
            let kind = if c.is_restartable() {
                ContainerKind::Sidecar
            } else {
                ContainerKind::Init
            };
            describe(c, kind)
        })
        .collect();
    containers.extend(
        pod.containers
            .iter()
            .map(|c| describe(c, ContainerKind::Regular)),
    );
    PodShape {
        scenario: first
            .workload
            .annotations
            .get(podlife::behaviour::SCENARIO_ANNOTATION)
            .cloned(),
        containers,
        volumes: pod
            .volumes
            .iter()
            .map(|v| (v.name.clone(), v.source.clone().unwrap_or_default()))
            .collect(),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::DEFAULT_MANIFEST;
    use podlife::Severity;

    #[test]
    fn default_manifest_simulates_and_has_a_shape() {
        let result = run(DEFAULT_MANIFEST, &Settings::default());
        let trace = result.trace.expect("the default manifest simulates");
        assert!(!trace.events.is_empty());
        assert!(result.shape.containers.len() >= 2);
        assert!(result
            .shape
            .containers
            .iter()
            .any(|c| c.kind == ContainerKind::Sidecar));
        assert!(!result.shape.volumes.is_empty());
    }

    #[test]
    fn errors_stop_the_simulation_but_keep_the_diagnostics() {
        let result = run(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: []}\n",
            &Settings::default(),
        );
        assert!(result.trace.is_none());
        assert!(result
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error));
    }

    #[test]
    fn a_bad_scenario_value_does_not_stop_the_run() {
        let mut settings = Settings::default();
        settings.scenario.delete_at = Some("soon".into());
        let result = run(DEFAULT_MANIFEST, &settings);
        let trace = result.trace.expect("the pod still runs");
        assert!(
            trace.outcome.removed_at.is_none(),
            "no deletion was applied"
        );
    }

    #[test]
    fn the_manifests_own_scenario_is_read_for_the_controls() {
        let fluentd = crate::gallery::find("fluentd").unwrap();
        let result = run(fluentd.manifest, &Settings::default());
        assert!(result
            .shape
            .scenario
            .as_deref()
            .unwrap_or("")
            .contains("delete-at"));
    }
}
