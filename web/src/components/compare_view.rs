//! The comparison: the legacy and the native variant of one pod, side by side (stacked when the page
//! is narrow), on one time axis and under the one playhead of the page; the findings as numbered
//! callouts pinned to both timelines; the converted manifest as a diff.
//!
//! A plain function rather than a component: it redraws with the playhead anyway (the status lines),
//! holds no state, and each Yew component costs its own share of generic code in the wasm. The
//! timelines and the diff inside it are components, so they redraw only when their props change.

use std::rc::Rc;

use podlife::compare::Variant;
use yew::prelude::*;

use super::finding_callouts::finding_callouts;
use super::{Narration, Timeline, TraceRef, YamlDiff};
use crate::comparison::{sidecar_list, variant_title, variant_where, ComparisonView};
use crate::trace_view;

/// A comparison compared by identity, as [`TraceRef`] is.
#[derive(Clone)]
pub struct ComparisonRef(pub Rc<ComparisonView>);

impl PartialEq for ComparisonRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Both variants at the playhead `t`; `stale`: the comparison is of an earlier, valid manifest (the
/// current one has errors).
pub fn compare_view(
    view: &Rc<ComparisonView>,
    t: f64,
    on_seek: &Callback<f64>,
    stale: bool,
    legend: Html,
) -> Html {
    let end = view.view_end();
    let yours = view.converted_from;
    let twin = yours.other();
    let now = podlife::time::SimTime((t * 1000.0).round().max(0.0) as u64);
    let pane = |variant: Variant| {
        let trace = view.trace(variant);
        let status = trace_view::status_at(trace, t);
        let whose = if variant == yours {
            "your manifest"
        } else {
            "converted by podlife"
        };
        let pins = view.pins(variant).clone();
        let id = format!("variant-{}", variant.name());
        html! {
            <section class={classes!("variant", id.clone())} aria-labelledby={format!("{id}-title")}>
                <h3 id={format!("{id}-title")}>
                    { variant_title(variant) }
                    <span class="variant-where">{ format!(" {} · {whose}", variant_where(variant)) }</span>
                </h3>
                <p class="outcome" data-phase={trace.outcome.phase.name()}>{ trace_view::outcome_line(trace) }</p>
                <p class="status-line">
                    { match status {
                        // RESTARTS as `kubectl get pod` prints it at the playhead: `3 (42s ago)` (R87).
                        Some(s) => format!("at {} s: READY {} · STATUS {} · RESTARTS {}",
                            trace_view::fmt_secs((t * 10.0).floor() / 10.0), s.ready, s.status,
                            podlife::printers::restarts_text(s.restarts, s.last_restart_at.map(|at| at.0), now)),
                        None => "not created yet".to_string(),
                    } }
                </p>
                <Timeline trace={TraceRef(trace.clone())} on_seek={on_seek.clone()} stale={stale}
                          end={Some(end)} {pins}
                          label={AttrValue::from(format!("Timeline of the {} variant: one lane per container; its status line above and the findings below say what happens", variant.name()))} />
            </section>
        }
    };
    html! {
        <section class={classes!("comparison", stale.then_some("stale"))} aria-label="Legacy and native sidecar compared">
            <p class="compare-intro">
                { format!(
                    "Your manifest runs {} as {} sidecar{}; podlife's converter wrote the {} twin. Both run on one clock, with the same version and scenario. The numbered pins mark the moments each finding below points at.",
                    sidecar_list(&view.sidecars),
                    if view.sidecars.len() == 1 { format!("a {}", yours.name()) } else { yours.name().to_string() },
                    if view.sidecars.len() == 1 { "" } else { "s" },
                    twin.name()
                ) }
            </p>
            if view.sidecars_dropped {
                <p class="compare-error" role="note">
                    { "Kubernetes 1.28 has no native sidecars: the SidecarContainers feature gate is off, and the API server drops restartPolicy: Always from init containers. So in the native variant the sidecar runs as a plain init container that must exit before the app may start. Choose 1.29 or later to see native sidecars." }
                </p>
            }
            <div class="compare-pair">
                { pane(Variant::Legacy) }
                { pane(Variant::Native) }
            </div>
            { legend }
            { finding_callouts(view, on_seek) }
            <div class="compare-pair compare-narrations">
                { for [Variant::Legacy, Variant::Native].into_iter().map(|variant| {
                    let trace = view.trace(variant);
                    html! {
                        <Narration trace={TraceRef(trace.clone())} shown={trace_view::events_until(trace, t)}
                                   on_seek={on_seek.clone()}
                                   title={AttrValue::from(format!("Narration: {}", variant_title(variant).to_lowercase()))}
                                   title_id={AttrValue::from(format!("narration-{}", variant.name()))} />
                    }
                }) }
            </div>
            <YamlDiff view={ComparisonRef(view.clone())} />
        </section>
    }
}
