//! Legacy vs native sidecar, on one clock: a manifest and its twin (the sidecars moved between
//! `containers` and `initContainers` with `restartPolicy: Always`, by [`crate::convert`]) simulated
//! under the same scenario and version, and what differs, each finding computed from the two traces
//! (and, for the resource requests, from the two specs) with the moments that prove it. The rules are
//! sections J (R90–R93, the legacy pattern) and K (R94, resources) of the kubelet rulebook.
//!
//! Its JSON form is versioned like the trace: `podlife.compare/v1`.

mod findings;
/// Pod requests moved to the crate root (`crate::resources`): the scheduler and validation read them too.
pub use crate::resources;
mod trace_reading;

#[cfg(test)]
mod tests;

use std::rc::Rc;

use serde::Serialize;

use crate::behaviour::DryRuns;
use crate::convert::{convert_loaded, Direction, Moved};
use crate::diagnostic::{Diagnostic, Position, Severity, Span};
use crate::model::PodSpec;
use crate::trace::Trace;
use crate::SimulateOptions;

pub const FORMAT: &str = "podlife.compare/v1";

/// Which way a pod runs its sidecars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// Sidecars are extra entries of `containers` (before Kubernetes 1.29).
    Legacy,
    /// Sidecars are `initContainers` entries with `restartPolicy: Always` (R1).
    Native,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Variant::Legacy => "legacy",
            Variant::Native => "native",
        }
    }

    /// The twin: the variant the converter writes from this one.
    pub fn other(self) -> Variant {
        match self {
            Variant::Legacy => Variant::Native,
            Variant::Native => Variant::Legacy,
        }
    }
}

/// Both variants of one pod, simulated, and what differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Always `podlife.compare/v1`.
    pub format: &'static str,
    pub kubernetes_version: String,
    /// Shared, not copied: the written variant's trace may be the one the page already simulated
    /// ([`compare_simulated`]).
    pub legacy: Rc<Trace>,
    pub native: Rc<Trace>,
    pub legacy_yaml: String,
    pub native_yaml: String,
    /// The variant the user's text was in; the other one is the converted text.
    pub converted_from: Variant,
    /// The containers compared as sidecars (legacy: in `containers`; native: in `initContainers`).
    pub sidecars: Vec<String>,
    /// How the converter moved each sidecar, and why there (empty from [`compare_variants`]).
    pub moved: Vec<Moved>,
    /// What the converted text still lacks or no longer needs: warnings placed in it (empty from
    /// [`compare_variants`]).
    pub suggestions: Vec<Diagnostic>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FindingKind {
    /// Did the app start before its sidecar was started and ready? (R90, R23)
    Startup,
    /// How long did the app run without its sidecar while the pod stopped? (R92, R71)
    Shutdown,
    /// When did the pod reach Succeeded or Failed, if ever? (R93, R62)
    Completion,
    /// What happened when the sidecar exited by itself? (R50, R52, R93)
    Restarts,
    /// Could init containers use the sidecar? (R91)
    InitContainers,
    /// The pod's requests as the scheduler computes them. (R94)
    Resources,
    /// Lines a sidecar reads from a shared file, and those written after it stopped.
    Data,
}

impl FindingKind {
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::Startup => "start-up",
            FindingKind::Shutdown => "shutdown",
            FindingKind::Completion => "completion",
            FindingKind::Restarts => "restarts",
            FindingKind::InitContainers => "init containers",
            FindingKind::Resources => "resources",
            FindingKind::Data => "data",
        }
    }
}

/// One difference (or sameness) between the variants, with each variant's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub kind: FindingKind,
    /// False when the scenario or the pod gives nothing to compare (no deletion, no shared file); the
    /// sentence says why, and `legacy` and `native` are null.
    pub applicable: bool,
    pub legacy: crate::json::Value,
    pub native: crate::json::Value,
    /// One sentence for a person, with both values.
    pub sentence: String,
    /// A few words naming it, for a heading: `Start-up: "app" and "proxy"`.
    pub title: String,
    /// What it says of each variant, with the moments of that variant's trace that prove it.
    pub sides: Sides,
    /// The moments of the traces that prove it, in seconds (both sides' moments, in order).
    pub times: Vec<f64>,
    /// The rules of the kubelet rulebook behind it.
    pub rules: Vec<&'static str>,
}

/// A finding's two halves.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Sides {
    pub legacy: Side,
    pub native: Side,
}

impl Sides {
    pub fn get(&self, variant: Variant) -> &Side {
        match variant {
            Variant::Legacy => &self.legacy,
            Variant::Native => &self.native,
        }
    }
}

/// What a finding says of one variant.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Side {
    /// The variant's half of the sentence, without its name: `"app" started at 2 s, …`.
    pub text: String,
    /// The moments of this variant's trace that prove it, in time order.
    pub moments: Vec<Moment>,
}

/// A moment of one variant's trace that a finding points at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moment {
    /// Seconds.
    pub t: f64,
    /// What happened then: `"app" started`, `Succeeded`.
    pub what: String,
}

/// Converts `text` to the other variant, simulates both with `options` (the same scenario actions and
/// version), and compares them. `sidecars` names the containers to move; empty: the converter's
/// detection. The variant of `text` is native when it has a sidecar (an init container with
/// `restartPolicy: Always`) among those named (or any, when none are named), legacy otherwise.
pub fn compare(
    text: &str,
    options: &SimulateOptions,
    sidecars: &[String],
) -> Result<Comparison, Vec<Diagnostic>> {
    compare_with(text, options, sidecars, None)
}

/// [`compare`] when the text has just been simulated: `simulated` is the trace
/// [`crate::simulate_manifest`] gave for `text` with these `options`, and it stands for the variant
/// the user wrote instead of a second simulation of the same text. Only the converted variant is
/// simulated (the page's comparison view, which shows the simulation beside it).
pub fn compare_simulated(
    text: &str,
    options: &SimulateOptions,
    sidecars: &[String],
    simulated: Rc<Trace>,
) -> Result<Comparison, Vec<Diagnostic>> {
    compare_with(text, options, sidecars, Some(simulated))
}

fn compare_with(
    text: &str,
    options: &SimulateOptions,
    sidecars: &[String],
    simulated: Option<Rc<Trace>>,
) -> Result<Comparison, Vec<Diagnostic>> {
    // The user's text is decoded once, for every question below (a pod of 200 containers took a
    // tenth of the page's keystroke budget per decoding).
    let loaded = crate::load(text);
    let pick = options.check.pick.as_deref();
    let from = variant_of(&loaded, pick, sidecars);
    let direction = match from.other() {
        Variant::Native => Direction::ToNative,
        Variant::Legacy => Direction::ToLegacy,
    };
    // The conversion's check and both variants' simulations are one call: one budget for their dry
    // runs.
    let mut dry_runs = DryRuns::new();
    let (conversion, converted_loaded) = convert_loaded(
        text,
        &loaded,
        direction,
        sidecars,
        &options.check,
        &mut dry_runs,
    )?;
    let moved: Vec<String> = conversion.moved.iter().map(|m| m.name.clone()).collect();
    if moved.is_empty() {
        return Err(vec![nothing_to_compare(&loaded, from, pick)]);
    }
    let written = Text {
        yaml: text,
        loaded,
        simulated,
    };
    let converted = Text {
        yaml: &conversion.yaml,
        loaded: converted_loaded,
        simulated: None,
    };
    let (legacy, native) = match from {
        Variant::Legacy => (written, converted),
        Variant::Native => (converted, written),
    };
    let mut comparison = compare_texts(&legacy, &native, from, &moved, options, &mut dry_runs)?;
    comparison.moved = conversion.moved;
    comparison.suggestions = conversion.suggestions;
    Ok(comparison)
}

/// Compares two texts already in hand: `legacy_yaml` with the `sidecars` in `containers`,
/// `native_yaml` with them in `initContainers`. `converted_from` says which one the user wrote: errors
/// in the other are reported as the converted text's.
pub fn compare_variants(
    legacy_yaml: &str,
    native_yaml: &str,
    converted_from: Variant,
    sidecars: &[String],
    options: &SimulateOptions,
) -> Result<Comparison, Vec<Diagnostic>> {
    compare_texts(
        &Text::load(legacy_yaml),
        &Text::load(native_yaml),
        converted_from,
        sidecars,
        options,
        &mut DryRuns::new(),
    )
}

/// A variant's text and its decoding, read once for its simulation and its pod spec.
struct Text<'a> {
    yaml: &'a str,
    loaded: crate::load::Loaded,
    /// Its trace, when the caller has simulated it already.
    simulated: Option<Rc<Trace>>,
}

impl<'a> Text<'a> {
    fn load(yaml: &'a str) -> Text<'a> {
        Text {
            yaml,
            loaded: crate::load(yaml),
            simulated: None,
        }
    }
}

/// [`compare_variants`] of two texts already loaded, on the dry runs of the call it is part of: both
/// variants share its budget.
fn compare_texts(
    legacy_text: &Text,
    native_text: &Text,
    converted_from: Variant,
    sidecars: &[String],
    options: &SimulateOptions,
    dry_runs: &mut DryRuns,
) -> Result<Comparison, Vec<Diagnostic>> {
    let mut simulate = |text: &Text, variant: Variant| {
        if let Some(trace) = &text.simulated {
            return Ok(Rc::clone(trace));
        }
        crate::simulate_loaded(&text.loaded, options, dry_runs)
            .map(|(trace, _warnings)| Rc::new(trace))
            .map_err(|errors| {
                if variant == converted_from {
                    errors
                } else {
                    in_converted_text(errors, variant)
                }
            })
    };
    let legacy = simulate(legacy_text, Variant::Legacy)?;
    let native = simulate(native_text, Variant::Native)?;
    let pick = options.check.pick.as_deref();
    let legacy_pod = pod_spec(&legacy_text.loaded, pick);
    let native_pod = pod_spec(&native_text.loaded, pick);
    let pair = findings::Pair::new(
        &legacy,
        &native,
        legacy_pod.as_ref(),
        native_pod.as_ref(),
        sidecars,
    );
    let findings = findings::all(&pair);
    Ok(Comparison {
        format: FORMAT,
        kubernetes_version: native.kubernetes_version.clone(),
        legacy_yaml: legacy_text.yaml.to_string(),
        native_yaml: native_text.yaml.to_string(),
        converted_from,
        sidecars: sidecars.to_vec(),
        moved: Vec::new(),
        suggestions: Vec::new(),
        findings,
        legacy,
        native,
    })
}

/// The picked workload's pod spec as written (the kinds of its containers come from the trace).
fn pod_spec(loaded: &crate::load::Loaded, pick: Option<&str>) -> Option<PodSpec> {
    picked(&loaded.workloads, pick).map(|w| w.workload.pod.clone())
}

/// The workload named `pick`, or the first.
fn picked<'a>(
    workloads: &'a [crate::LoadedWorkload],
    pick: Option<&str>,
) -> Option<&'a crate::LoadedWorkload> {
    match pick {
        Some(name) => workloads
            .iter()
            .find(|w| w.workload.name.as_deref() == Some(name)),
        None => workloads.first(),
    }
}

/// Native when the pod already has a sidecar (among `named`, if any are named); legacy otherwise.
fn variant_of(loaded: &crate::load::Loaded, pick: Option<&str>, named: &[String]) -> Variant {
    let Some(pod) = pod_spec(loaded, pick) else {
        return Variant::Legacy;
    };
    let native = pod
        .sidecars()
        .any(|(_, c)| named.is_empty() || named.contains(&c.name));
    if native {
        Variant::Native
    } else {
        Variant::Legacy
    }
}

fn nothing_to_compare(
    loaded: &crate::load::Loaded,
    from: Variant,
    pick: Option<&str>,
) -> Diagnostic {
    let (message, hint) = match from {
        Variant::Legacy => (
            "no sidecar to compare: no container of `containers` looks like a sidecar",
            "Name the sidecar with --sidecar NAME (a log shipper, a proxy: a container that serves the app and runs as long as it does).",
        ),
        Variant::Native => (
            "no sidecar to compare: no init container has `restartPolicy: Always`",
            "Name the sidecar with --sidecar NAME.",
        ),
    };
    // Point at the list the sidecar would come from.
    let (path, span) = match picked(&loaded.workloads, pick) {
        Some(w) => {
            let list = match from {
                Variant::Legacy => "containers",
                Variant::Native => "initContainers",
            };
            let path = format!("{}.{list}", w.workload.kind.pod_spec_path());
            let span = w.spans.locate(
                &crate::field_path::FieldPath::parse(&path),
                crate::field_path::Target::Key,
            );
            (path, span)
        }
        None => (String::new(), first_character()),
    };
    Diagnostic {
        severity: Severity::Error,
        path,
        message: message.into(),
        hint: Some(hint.into()),
        span,
    }
}

fn first_character() -> Span {
    let at = Position { line: 1, column: 1 };
    Span {
        start: at,
        end: Position { line: 1, column: 2 },
    }
}

/// Errors found in the text podlife wrote: they point into that text, which the user has not seen.
fn in_converted_text(errors: Vec<Diagnostic>, variant: Variant) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|mut d| {
            d.message = format!(
                "in the converted ({}) manifest: {}",
                variant.name(),
                d.message
            );
            d.span = first_character();
            d
        })
        .collect()
}
