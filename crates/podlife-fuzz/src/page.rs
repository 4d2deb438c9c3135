//! What the page computes for one keystroke, called the way `web/src/simulation.rs` and
//! `web/src/comparison.rs` call the core with the comparison view open (the most a keystroke does):
//! load → check → simulate (the trace and its diagnostics), the pod's shape for the diagram (a second
//! `load`), the comparison of the legacy and native variants beside that simulation (only the
//! converted variant is simulated again), and the views the panels draw from each trace.

use std::rc::Rc;

use podlife::compare::compare_simulated;
use podlife::trace::Trace;
use podlife::{simulate_manifest, views, SimulateOptions};

/// Runs everything the page runs for `text`. The results are dropped: the fuzzer measures the work
/// and the panics, and `std::hint::black_box` keeps the optimiser from skipping any of it.
pub fn keystroke(text: &str) {
    let options = SimulateOptions::default();
    let simulated = simulate_manifest(text, &options)
        .ok()
        .map(|(trace, diagnostics)| {
            panels(&trace);
            std::hint::black_box(diagnostics);
            Rc::new(trace)
        });
    std::hint::black_box(podlife::load(text));
    // The page compares a manifest that simulates, and names no sidecar by default: the
    // converter's detection picks them.
    if let Some(trace) = simulated {
        if let Ok(comparison) = compare_simulated(text, &options, &[], trace) {
            panels(&comparison.legacy);
            panels(&comparison.native);
            std::hint::black_box(comparison);
        }
    }
}

/// The watch, events and "why" panels of one trace.
fn panels(trace: &Trace) {
    std::hint::black_box(views::watch_rows(trace));
    let rows = views::describe_rows(trace);
    std::hint::black_box(views::aggregate_rows(&rows));
    if let Some(last) = trace.events.last() {
        std::hint::black_box(views::describe_rows_of(trace, last));
    }
}
