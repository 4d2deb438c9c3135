//! The comparison view's run: the manifest and its twin (legacy ↔ native, written by the core's
//! converter), both simulated under the same version and scenario, and the core's findings. As in
//! [`crate::simulation`], the web crate decides nothing here: it calls `podlife::compare` and keeps what
//! comes back, shaped for drawing (shared `Rc`s, the callouts' numbers).

use std::rc::Rc;

use podlife::compare::{Finding, Side, Variant};
use podlife::trace::Trace;
use podlife::Diagnostic;

use crate::simulation::Settings;
use crate::trace_view;

/// Both variants, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonView {
    pub legacy: Rc<Trace>,
    pub native: Rc<Trace>,
    /// The applicable findings first (they are the callouts, numbered from 1), then the others.
    pub findings: Rc<Vec<Finding>>,
    /// How many of `findings` are applicable.
    pub callouts: usize,
    /// Which variant the user wrote; the other was converted.
    pub converted_from: Variant,
    /// The user's text and the converter's.
    pub original: Rc<str>,
    pub converted: Rc<str>,
    pub sidecars: Vec<String>,
    /// How the converter moved each sidecar, and why there.
    pub moved: Vec<podlife::convert::Moved>,
    /// What the converted text still lacks or no longer needs, placed in it.
    pub suggestions: Vec<Diagnostic>,
    /// The callouts' pins on each timeline.
    pub legacy_pins: Rc<Vec<Pin>>,
    pub native_pins: Rc<Vec<Pin>>,
    /// The version has no native sidecars (1.28: the API server drops `restartPolicy: Always` from
    /// init containers), so the "native" variant's sidecar runs as a plain init container.
    pub sidecars_dropped: bool,
}

/// What the comparison of one manifest gave: both variants, or why there are not two to compare.
pub type CompareOutcome = Result<Rc<ComparisonView>, Rc<Vec<Diagnostic>>>;

pub fn run(text: &str, settings: &Settings) -> CompareOutcome {
    compare_to(text, settings, None)
}

/// [`run`] beside the simulation the page already has of `text` with `settings`: the variant the
/// user wrote is that trace, and only the converted one is simulated.
pub fn run_beside(text: &str, settings: &Settings, simulated: Rc<Trace>) -> CompareOutcome {
    compare_to(text, settings, Some(simulated))
}

fn compare_to(text: &str, settings: &Settings, simulated: Option<Rc<Trace>>) -> CompareOutcome {
    let options = settings.simulate_options();
    let named: Vec<String> = settings.sidecar.iter().cloned().collect();
    let c = match simulated {
        Some(trace) => podlife::compare::compare_simulated(text, &options, &named, trace),
        None => podlife::compare::compare(text, &options, &named),
    }
    .map_err(Rc::new)?;
    let (original, converted) = match c.converted_from {
        Variant::Legacy => (c.legacy_yaml, c.native_yaml),
        Variant::Native => (c.native_yaml, c.legacy_yaml),
    };
    // The converter keeps every comment, and comments written for one variant ("the Job never
    // completes") may say the opposite of the other: the copy says where it comes from.
    let converted = format!(
        "# Converted by podlife from a {} manifest: {} moved. The comments below were written for that version.\n{converted}",
        c.converted_from.name(),
        sidecar_list(&c.sidecars),
    );
    let mut findings = c.findings;
    podlife::stable_sort::sort_by_key(&mut findings, |f| !f.applicable);
    let callouts = findings.iter().filter(|f| f.applicable).count();
    Ok(Rc::new(ComparisonView {
        legacy_pins: Rc::new(pins(&findings[..callouts], Variant::Legacy)),
        native_pins: Rc::new(pins(&findings[..callouts], Variant::Native)),
        callouts,
        findings: Rc::new(findings),
        legacy: c.legacy,
        native: c.native,
        converted_from: c.converted_from,
        original: original.into(),
        converted: converted.into(),
        sidecars: c.sidecars,
        moved: c.moved,
        // Placed in the converted text, which now starts with one more line.
        suggestions: c
            .suggestions
            .into_iter()
            .map(|mut d| {
                d.span.start.line += 1;
                d.span.end.line += 1;
                d
            })
            .collect(),
        sidecars_dropped: !settings
            .k8s
            .enabled(podlife::version::Gate::SidecarContainers),
    }))
}

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`.
pub fn sidecar_list(names: &[String]) -> String {
    podlife::name_list::quoted_and(names)
}

/// The callouts' pins on one variant's timeline: each moment that proves a finding, with the
/// finding's number. Moments of one finding at one instant share a pin.
fn pins(callouts: &[Finding], variant: Variant) -> Vec<Pin> {
    callouts
        .iter()
        .enumerate()
        .flat_map(|(k, finding)| {
            by_instant(finding.sides.get(variant))
                .into_iter()
                .map(move |(t, what)| Pin {
                    t,
                    number: k + 1,
                    what,
                })
        })
        .collect()
}

/// A side's moments, one per instant, in order of first appearance: what happened at one instant,
/// joined (`"app" started, "proxy" started`).
pub fn by_instant(side: &Side) -> Vec<(f64, String)> {
    let mut out: Vec<(f64, String)> = Vec::new();
    for m in &side.moments {
        match out.iter_mut().find(|(t, _)| *t == m.t) {
            Some((_, what)) => {
                what.push_str(", ");
                what.push_str(&m.what);
            }
            None => out.push((m.t, m.what.clone())),
        }
    }
    out
}

impl ComparisonView {
    pub fn trace(&self, variant: Variant) -> &Rc<Trace> {
        match variant {
            Variant::Legacy => &self.legacy,
            Variant::Native => &self.native,
        }
    }

    /// One time axis for both drawings: the later of the two views' ends, and far enough for every
    /// moment a callout points at.
    pub fn view_end(&self) -> f64 {
        let pinned = self
            .legacy_pins
            .iter()
            .chain(self.native_pins.iter())
            .map(|p| p.t)
            .fold(0.0, f64::max);
        trace_view::view_end(&self.legacy)
            .max(trace_view::view_end(&self.native))
            .max(pinned)
    }

    /// The moments at which anything happens in either pod, in order.
    pub fn event_times(&self) -> Vec<f64> {
        let mut times = trace_view::event_times(&self.legacy);
        times.extend(trace_view::event_times(&self.native));
        times.sort_by(f64::total_cmp);
        times.dedup();
        times
    }

    pub fn deletion_time(&self) -> Option<f64> {
        trace_view::deletion_time(&self.legacy).or_else(|| trace_view::deletion_time(&self.native))
    }

    pub fn pins(&self, variant: Variant) -> &Rc<Vec<Pin>> {
        match variant {
            Variant::Legacy => &self.legacy_pins,
            Variant::Native => &self.native_pins,
        }
    }
}

/// A finding's moment on a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    pub t: f64,
    /// The callout's number (1-based).
    pub number: usize,
    /// What happened: `"app" started, "proxy" started`.
    pub what: String,
}

/// Where the sidecar sits in each variant.
pub fn variant_where(variant: Variant) -> &'static str {
    match variant {
        Variant::Legacy => "in containers, beside the app",
        Variant::Native => "in initContainers, with restartPolicy: Always",
    }
}

pub fn variant_title(variant: Variant) -> &'static str {
    match variant {
        Variant::Legacy => "Legacy sidecar",
        Variant::Native => "Native sidecar",
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::gallery;
    use crate::scenario_form::ScenarioForm;

    fn settings(scenario: ScenarioForm) -> Settings {
        Settings {
            scenario,
            ..Settings::default()
        }
    }

    /// The page compares beside the simulation it shows: the same view as comparing the text alone,
    /// with the written variant's trace the very one the page simulated.
    #[test]
    fn a_comparison_beside_the_simulation_is_the_comparison_of_the_text() {
        let job = gallery::find("job-sidecar").expect("the seed Job is in the gallery");
        let settings = Settings::default();
        let simulated = crate::simulation::run(job.manifest, &settings)
            .trace
            .expect("the Job simulates");
        let beside = run_beside(job.manifest, &settings, Rc::clone(&simulated)).expect("compares");
        let alone = run(job.manifest, &settings).expect("compares");
        assert_eq!(beside, alone);
        assert!(
            Rc::ptr_eq(&beside.native, &simulated),
            "the native Job was written"
        );
    }

    #[test]
    fn the_seed_job_never_completes_with_a_legacy_sidecar_and_succeeds_with_a_native_one() {
        let job = gallery::find("job-sidecar").expect("the seed Job is in the gallery");
        let view = run(job.manifest, &Settings::default()).expect("the Job compares");
        assert_eq!(view.converted_from, Variant::Native);
        assert_eq!(view.native.outcome.phase.name(), "Succeeded");
        assert_eq!(view.legacy.outcome.phase.name(), "Running");
        let completion = view
            .findings
            .iter()
            .position(|f| f.kind == podlife::compare::FindingKind::Completion)
            .unwrap();
        assert!(
            completion < view.callouts,
            "the completion finding is a callout"
        );
        // Its pins: the native pod's Succeeded moment on the native timeline, the legacy pod's end on
        // the legacy one, both numbered as the callout.
        let succeeded = trace_view::secs(view.native.outcome.at.unwrap());
        assert!(view
            .pins(Variant::Native)
            .iter()
            .any(|p| p.number == completion + 1 && p.t == succeeded && p.what == "Succeeded"));
        assert!(view
            .pins(Variant::Legacy)
            .iter()
            .any(|p| p.number == completion + 1 && p.what.contains("still Running")));
        assert!(view.converted.contains("containers:"));
        assert!(view
            .converted
            .starts_with("# Converted by podlife from a native manifest: \"logshipper\" moved."));
        // Every pinned moment is on the shared axis (the legacy pod's "still Running" is at its end).
        assert!(view
            .legacy_pins
            .iter()
            .chain(view.native_pins.iter())
            .all(|p| p.t <= view.view_end()));
        assert!(!view.sidecars_dropped);
        // The converter's suggestion sits at the shipper's line of the text shown.
        let never = view
            .suggestions
            .iter()
            .find(|d| d.message.contains("never completes"))
            .unwrap();
        let line = view
            .converted
            .lines()
            .nth(never.span.start.line as usize - 1)
            .unwrap();
        assert!(line.contains("name: logshipper"), "{line}");
        assert_eq!(&*view.original, job.manifest);
        assert!(view.view_end() >= trace_view::view_end(&view.native));
    }

    #[test]
    fn findings_that_the_scenario_cannot_show_come_last() {
        let log = gallery::find("log-shipper").unwrap();
        let view = run(log.manifest, &Settings::default()).unwrap();
        assert!(view.findings[..view.callouts].iter().all(|f| f.applicable));
        assert!(view.findings[view.callouts..].iter().all(|f| !f.applicable));
        // Without a deletion there is no shutdown to compare; with one there is.
        assert!(view.findings[view.callouts..]
            .iter()
            .any(|f| f.kind == podlife::compare::FindingKind::Shutdown));
        let deleted = run(
            log.manifest,
            &settings(ScenarioForm {
                delete_at: Some("10".into()),
                ..ScenarioForm::default()
            }),
        )
        .unwrap();
        assert!(deleted.findings[..deleted.callouts]
            .iter()
            .any(|f| f.kind == podlife::compare::FindingKind::Shutdown));
        assert_eq!(deleted.deletion_time(), Some(10.0));
    }

    #[test]
    fn on_1_28_the_native_variant_has_no_sidecar() {
        let job = gallery::find("job-sidecar").unwrap();
        let settings = Settings {
            k8s: "1.28".parse().unwrap(),
            ..Settings::default()
        };
        let view = run(job.manifest, &settings).expect("a native manifest still compares on 1.28");
        assert!(view.sidecars_dropped);
    }

    #[test]
    fn sidecars_are_listed_as_a_sentence_would() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(sidecar_list(&names(&["a"])), "\"a\"");
        assert_eq!(sidecar_list(&names(&["a", "b"])), "\"a\" and \"b\"");
        assert_eq!(
            sidecar_list(&names(&["a", "b", "c"])),
            "\"a\", \"b\" and \"c\""
        );
    }

    #[test]
    fn a_sidecar_the_detector_misses_can_be_named() {
        let two = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n    - name: worker\n      image: python:3.12\n      command: [\"python\", \"worker.py\"]\n";
        assert!(
            run(two, &Settings::default()).is_err(),
            "nothing is detected"
        );
        let named = Settings {
            sidecar: Some("worker".into()),
            ..Settings::default()
        };
        let view = run(two, &named).expect("the named container is compared as the sidecar");
        assert_eq!(view.sidecars, ["worker"]);
        assert!(view.converted.contains("initContainers:"));
    }

    #[test]
    fn a_pod_without_a_sidecar_says_there_is_nothing_to_compare() {
        let errors = run(
            gallery::find("init-db-wait").unwrap().manifest,
            &Settings::default(),
        )
        .expect_err("nothing to compare");
        assert!(
            errors[0].message.contains("nothing to convert"),
            "{}",
            errors[0].message
        );
    }
}
