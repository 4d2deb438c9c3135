//! The comparison: the legacy and the native variant of one pod, side by side (stacked when the page
//! is narrow), on one time axis and under the one playhead of the page; the findings as numbered
//! callouts pinned to both timelines; the converted manifest as a diff.

use std::rc::Rc;

use podlife::compare::Variant;
use yew::prelude::*;

use super::{FindingCallouts, Narration, Timeline, TraceRef, YamlDiff};
use crate::comparison::{variant_title, variant_where, ComparisonView};
use crate::trace_view;

/// A comparison compared by identity, as [`TraceRef`] is.
#[derive(Clone)]
pub struct ComparisonRef(pub Rc<ComparisonView>);

impl PartialEq for ComparisonRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct CompareViewProps {
    pub view: ComparisonRef,
    /// The playhead, in whole milliseconds (the status lines change only with events).
    pub now_ms: u64,
    pub on_seek: Callback<f64>,
    /// The comparison is of an earlier, valid manifest (the current one has errors).
    pub stale: bool,
}

#[component]
pub fn CompareView(props: &CompareViewProps) -> Html {
    let view = &props.view.0;
    let pins = use_memo(props.view.clone(), |v| {
        (
            Rc::new(v.0.pins(Variant::Legacy)),
            Rc::new(v.0.pins(Variant::Native)),
        )
    });
    let end = view.view_end();
    let t = props.now_ms as f64 / 1000.0;
    let yours = view.converted_from;
    let twin = match yours {
        Variant::Legacy => Variant::Native,
        Variant::Native => Variant::Legacy,
    };
    let pane = |variant: Variant| {
        let trace = view.trace(variant);
        let status = trace_view::status_at(trace, t);
        let whose = if variant == yours {
            "your manifest"
        } else {
            "converted by podlife"
        };
        let pins = match variant {
            Variant::Legacy => pins.0.clone(),
            Variant::Native => pins.1.clone(),
        };
        let id = format!("variant-{}", variant.name());
        html! {
            <section class={classes!("variant", id.clone())} aria-labelledby={format!("{id}-title")}>
                <h3 id={format!("{id}-title")}>
                    { variant_title(variant) }
                    <span class="variant-where">{ format!(" in {} · {whose}", variant_where(variant)) }</span>
                </h3>
                <p class="outcome" data-phase={trace.outcome.phase.name()}>{ trace_view::outcome_line(trace) }</p>
                <p class="status-line">
                    { match status {
                        Some(s) => format!("at {} s: READY {} · STATUS {} · RESTARTS {}",
                            trace_view::fmt_secs((t * 10.0).floor() / 10.0), s.ready, s.status, s.restarts),
                        None => "not created yet".to_string(),
                    } }
                </p>
                <Timeline trace={TraceRef(trace.clone())} on_seek={props.on_seek.clone()} stale={props.stale}
                          end={Some(end)} {pins}
                          label={AttrValue::from(format!("Timeline of the {} variant: one lane per container; its status line above and the findings below say what happens", variant.name()))} />
            </section>
        }
    };
    html! {
        <section class={classes!("comparison", props.stale.then_some("stale"))} aria-label="Legacy and native sidecar compared">
            <p class="compare-intro">
                { format!(
                    "Your manifest runs {} as a {} sidecar; podlife's converter wrote the {} twin. Both run on one clock, with the same version and scenario. The numbered pins mark the moments each finding below points at.",
                    quoted(&view.sidecars), yours.name(), twin.name()
                ) }
            </p>
            <div class="compare-pair">
                { pane(Variant::Legacy) }
                { pane(Variant::Native) }
            </div>
            <FindingCallouts view={props.view.clone()} on_seek={props.on_seek.clone()} />
            <div class="compare-pair compare-narrations">
                { for [Variant::Legacy, Variant::Native].into_iter().map(|variant| {
                    let trace = view.trace(variant);
                    html! {
                        <Narration trace={TraceRef(trace.clone())} shown={trace_view::events_until(trace, t)}
                                   on_seek={props.on_seek.clone()}
                                   title={AttrValue::from(format!("Narration: {}", variant_title(variant).to_lowercase()))}
                                   title_id={AttrValue::from(format!("narration-{}", variant.name()))} />
                    }
                }) }
            </div>
            <YamlDiff original={view.original.clone()} converted={view.converted.clone()} converted_to={twin} />
        </section>
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
