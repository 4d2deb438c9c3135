//! podlife: a model of what the kubelet does with a pod's init containers, sidecars and app containers.
//!
//! Data flows one way: YAML text → [`load`] (spans kept) → validate (API-server rules, diagnostics with
//! spans) → behaviour → simulate → trace. This crate is pure: no clock, no randomness, no I/O, so it builds
//! natively and for `wasm32-unknown-unknown`.

mod assumption_notes;
pub mod behaviour;
pub mod compare;
pub mod convert;
mod defaults;
pub mod diagnostic;
mod edit_distance;
pub mod field_path;
pub mod image_reference;
pub mod input_limits;
pub mod json;
pub mod kubelet;
mod lifecycle_warnings;
pub mod load;
pub mod model;
pub mod name_list;
pub mod pod_status;
pub mod printers;
pub mod resources;
pub mod rules;
pub mod scenario;
pub mod scheduling;
pub mod schema;
pub mod sorted_map;
pub mod stable_sort;
pub mod status_generation;
mod strict_decoding;
pub mod time;
pub mod trace;
pub mod validation;
pub mod version;
pub mod views;
mod word_list;
pub mod yaml;

use behaviour::DryRuns;
pub use diagnostic::{Diagnostic, Position, Severity, Span};
pub use load::{load, LoadedWorkload};
pub use model::{Workload, WorkloadKind};
pub use version::KubeVersion;

/// What the caller chooses when checking a manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// The Kubernetes version whose API server and kubelet we imitate.
    pub k8s: KubeVersion,
    /// In a multi-document file or a `kind: List`, the workload to pick by `metadata.name`;
    /// `None` picks the first workload.
    pub pick: Option<String>,
}

/// The result of checking one manifest text.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct CheckReport {
    /// Every diagnostic, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    /// True when any diagnostic is an error (the API server would refuse the object).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Load, default and validate a manifest the way the API server would, plus the lifecycle warnings.
pub fn check(text: &str, options: &CheckOptions) -> CheckReport {
    check_within(text, options, &mut DryRuns::new())
}

/// [`check`] as part of a larger call (a conversion within a comparison), on its dry runs.
pub(crate) fn check_within(
    text: &str,
    options: &CheckOptions,
    dry_runs: &mut DryRuns,
) -> CheckReport {
    check_loaded(&load(text), options, dry_runs).0
}

/// `check` on text already loaded, its dry runs on the call's budget; also gives back each workload
/// as the kubelet receives it.
pub(crate) fn check_loaded(
    loaded: &load::Loaded,
    options: &CheckOptions,
    dry_runs: &mut DryRuns,
) -> (CheckReport, Vec<Workload>) {
    check_loaded_with(loaded, options, Some(dry_runs))
}

/// The errors [`check_loaded`] finds, without the lifecycle warnings (only they dry-run the
/// containers): what a conversion asks of the text it wrote.
pub(crate) fn check_errors(loaded: &load::Loaded, options: &CheckOptions) -> Vec<Diagnostic> {
    let (report, _) = check_loaded_with(loaded, options, None);
    report
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// [`check_loaded`], with the lifecycle warnings only when given the dry runs they need.
fn check_loaded_with(
    loaded: &load::Loaded,
    options: &CheckOptions,
    mut dry_runs: Option<&mut DryRuns>,
) -> (CheckReport, Vec<Workload>) {
    let mut diagnostics = loaded.diagnostics.clone();
    let mut workloads = Vec::with_capacity(loaded.workloads.len());
    for item in &loaded.workloads {
        // As the API server does, an object that fails strict decoding is not validated further; the
        // lifecycle warnings still show what the decoded part would do (a misspelt `restartPolicy`
        // leaves a blocking init container).
        let undecodable = item.decoding_errors > 0;
        let (workload, found) =
            validate_workload_within(item, options.k8s, dry_runs.as_deref_mut());
        diagnostics.extend(
            found
                .into_iter()
                .filter(|d| !undecodable || d.severity != Severity::Error),
        );
        workloads.push(workload);
    }
    if let Some(name) = &options.pick {
        let names: Vec<String> = loaded
            .workloads
            .iter()
            .filter_map(|w| w.workload.name.clone())
            .collect();
        if let Some(first) = loaded
            .workloads
            .first()
            .filter(|_| !names.iter().any(|n| n == name))
        {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                path: "metadata.name".into(),
                message: format!("no workload named \"{name}\" in this file"),
                hint: Some(format!("The workloads here are: {}.", names.join(", "))),
                span: first.spans.locate(
                    &field_path::FieldPath::parse("metadata.name"),
                    field_path::Target::Value,
                ),
            });
        }
    }
    stable_sort::sort_by_key(&mut diagnostics, |d| (d.span.start, d.severity));
    diagnostics.dedup();
    (CheckReport { diagnostics }, workloads)
}

/// Applies the chosen version's drops and defaults to one loaded workload, validates it, and gives back
/// the workload as the kubelet would receive it, with the diagnostics about it.
pub fn validate_workload(
    item: &LoadedWorkload,
    version: KubeVersion,
) -> (Workload, Vec<Diagnostic>) {
    validate_workload_within(item, version, Some(&mut DryRuns::new()))
}

/// [`validate_workload`] with the dry runs of the call it is part of.
fn validate_workload_within(
    item: &LoadedWorkload,
    version: KubeVersion,
    dry_runs: Option<&mut DryRuns>,
) -> (Workload, Vec<Diagnostic>) {
    let mut workload = item.workload.clone();
    let mut findings = validation::Findings::default();
    validation::drop_disabled_fields(&mut workload, version, &mut findings);
    defaults::apply(&mut workload);
    validation::validate(&workload, &item.object, version, &mut findings);
    if let Some(dry_runs) = dry_runs {
        lifecycle_warnings::warn(&workload, version, dry_runs, &mut findings);
    }
    (workload, located(item, findings))
}

/// Findings about one workload as diagnostics placed in its text.
fn located(item: &LoadedWorkload, findings: validation::Findings) -> Vec<Diagnostic> {
    findings
        .list
        .into_iter()
        .map(|f| Diagnostic {
            severity: f.severity,
            span: item.spans.locate(&f.path, f.target),
            path: f.path.to_string(),
            message: f.message,
            hint: f.hint,
        })
        .collect()
}

/// What `simulate_manifest` needs besides the text.
#[derive(Debug, Clone, Default)]
pub struct SimulateOptions {
    pub check: CheckOptions,
    /// Actions added to the manifest's own `podlife.dev/scenario` annotation.
    pub scenario: scenario::Scenario,
}

/// Load, validate and simulate: the trace of the picked workload, or the errors that stop it (the API
/// server would refuse the object). Warnings come back with the trace.
pub fn simulate_manifest(
    text: &str,
    options: &SimulateOptions,
) -> Result<(trace::Trace, Vec<Diagnostic>), Vec<Diagnostic>> {
    simulate_manifest_within(text, options, &mut DryRuns::new())
}

/// [`simulate_manifest`] with the dry runs of the call it is part of (a comparison simulates two
/// texts on one budget).
pub(crate) fn simulate_manifest_within(
    text: &str,
    options: &SimulateOptions,
    dry_runs: &mut DryRuns,
) -> Result<(trace::Trace, Vec<Diagnostic>), Vec<Diagnostic>> {
    simulate_loaded(&load(text), options, dry_runs)
}

/// [`simulate_manifest`] of a text already loaded: a caller that reads the same text for other
/// questions too (the comparison) decodes it once.
pub(crate) fn simulate_loaded(
    loaded: &load::Loaded,
    options: &SimulateOptions,
    dry_runs: &mut DryRuns,
) -> Result<(trace::Trace, Vec<Diagnostic>), Vec<Diagnostic>> {
    let index = match &options.check.pick {
        Some(name) => loaded
            .workloads
            .iter()
            .position(|w| w.workload.name.as_deref() == Some(name)),
        None => (!loaded.workloads.is_empty()).then_some(0),
    };
    // The manifest's own scenario is read before validation: its feature gates change what the API
    // server accepts (a sidecar on 1.28 needs SidecarContainers).
    let mut scenario = scenario::Scenario::default();
    let mut notes: Vec<(String, Option<String>)> = Vec::new();
    let annotations = index.map(|i| &loaded.workloads[i].workload.annotations);
    if let Some(text) = annotations.and_then(|a| a.get(behaviour::SCENARIO_ANNOTATION)) {
        match scenario::Scenario::parse(text) {
            Ok(s) => scenario = s,
            Err(message) => notes.push((
                format!("the scenario annotation is ignored: {message}"),
                Some("See docs/annotations.md for the scenario syntax.".into()),
            )),
        }
    }
    if let Some(annotations) = annotations {
        let (services, errors) = behaviour::service_annotations(annotations);
        scenario.services.extend(services);
        notes.extend(errors.into_iter().map(|e| (e, None)));
    }
    scenario.merge(options.scenario.clone());
    scenario
        .cluster_services
        .extend(loaded.services.iter().cloned());
    let mut version = options.check.k8s;
    for gate in &scenario.feature_gates {
        match version.with_gate(*gate) {
            Ok(v) => version = v,
            Err(message) => notes.push((
                format!("{message}: it is ignored"),
                Some("SidecarContainers is alpha in 1.28; SidecarsRestartableDuringPodTermination in 1.37 (KEP-4438).".into()),
            )),
        }
    }
    if let Some(i) = index {
        let pod = &loaded.workloads[i].workload.pod;
        let known: Vec<&str> = pod
            .init_containers
            .iter()
            .chain(&pod.containers)
            .map(|c| c.name.as_str())
            .collect();
        for (_, action) in &scenario.actions {
            if let scenario::Action::SetImage { container, .. } = action {
                if !known.contains(&container.as_str()) {
                    notes.push((
                        format!("set-image names container \"{container}\", which the pod does not have: the action is ignored"),
                        Some(format!("The pod's containers are: {}.", known.join(", "))),
                    ));
                }
            }
        }
    }
    let check_options = CheckOptions {
        k8s: version,
        pick: options.check.pick.clone(),
    };
    let (report, workloads) = check_loaded(loaded, &check_options, dry_runs);
    // With `--pick`, only errors in the picked object (or in no object: syntax) stop its simulation.
    let picked_range = options.check.pick.as_ref().and(index).and_then(|i| {
        loaded.workloads[i]
            .spans
            .get(&field_path::FieldPath::root())
            .map(|at| at.value)
    });
    let blocks = |d: &&Diagnostic| {
        d.severity == Severity::Error
            && picked_range.is_none_or(|r| {
                d.span.start.line == 0 || (d.span.start >= r.start && d.span.start <= r.end)
            })
    };
    if report.diagnostics.iter().any(|d| blocks(&d)) {
        return Err(report.diagnostics);
    }
    let Some(index) = index else {
        return Err(report.diagnostics);
    };
    let (item, workload) = (&loaded.workloads[index], &workloads[index]);
    // podlife's annotations sit in the pod template's metadata, or the object's own.
    let annotations_span = [
        "spec.template.metadata.annotations",
        "spec.jobTemplate.spec.template.metadata.annotations",
        "metadata.annotations",
    ]
    .iter()
    .find_map(|p| {
        item.spans
            .get(&field_path::FieldPath::parse(p))
            .map(|at| at.key.unwrap_or(at.value))
    })
    .unwrap_or_else(|| {
        item.spans.locate(
            &field_path::FieldPath::parse("metadata"),
            field_path::Target::Key,
        )
    });
    let trace = kubelet::simulate_within(
        workload,
        version,
        &scenario,
        &workload.annotations,
        dry_runs,
    );
    let mut diagnostics = report.diagnostics;
    let mut hosts = validation::Findings::default();
    assumption_notes::host_assumptions(workload, &trace, &mut hosts);
    diagnostics.extend(located(item, hosts));
    notes.extend(trace.warnings.iter().map(|w| (w.clone(), None)));
    for (message, hint) in notes {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            path: "metadata.annotations".into(),
            message,
            hint: hint
                .or_else(|| Some("See docs/annotations.md for podlife's annotations.".into())),
            span: annotations_span,
        });
    }
    Ok((trace, diagnostics))
}
