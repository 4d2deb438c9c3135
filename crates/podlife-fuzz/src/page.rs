//! What the page computes for one keystroke, called the way `web/src/simulation.rs` and
//! `web/src/comparison.rs` call the core at the page's default settings: load → check → simulate (the
//! trace and its diagnostics), the pod's shape for the diagram (a second `load`), the comparison of the
//! legacy and native variants, and the views the panels draw from each trace.

use podlife::compare::compare;
use podlife::trace::Trace;
use podlife::{simulate_manifest, views, SimulateOptions};

/// Runs everything the page runs for `text`. The results are dropped: the fuzzer measures the work
/// and the panics, and `std::hint::black_box` keeps the optimiser from skipping any of it.
pub fn keystroke(text: &str) {
    let options = SimulateOptions::default();
    if let Ok((trace, diagnostics)) = simulate_manifest(text, &options) {
        panels(&trace);
        std::hint::black_box(diagnostics);
    }
    std::hint::black_box(podlife::load(text));
    // The page names no sidecar by default: the converter's detection picks them.
    if let Ok(comparison) = compare(text, &options, &[]) {
        panels(&comparison.legacy);
        panels(&comparison.native);
        std::hint::black_box(comparison);
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
