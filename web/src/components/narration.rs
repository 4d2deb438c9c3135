//! The timeline as text, for screen readers and for reading: every event so far, the current moment
//! marked. Each line is a button that moves the playhead there.

use yew::prelude::*;

use super::TraceRef;
use crate::trace_view::{fmt_secs, secs};

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub trace: TraceRef,
    /// How many events have happened at the playhead.
    pub shown: usize,
    pub on_seek: Callback<f64>,
    /// The heading, and the id it is known by (two narrations side by side in the comparison).
    #[prop_or(AttrValue::Static("Narration"))]
    pub title: AttrValue,
    #[prop_or(AttrValue::Static("narration-title"))]
    pub title_id: AttrValue,
}

#[component]
pub fn Narration(props: &NarrationProps) -> Html {
    let trace = &props.trace.0;
    let shown = props.shown.min(trace.events.len());
    let current_t = shown.checked_sub(1).map(|i| secs(trace.events[i].t));
    html! {
        <section class="panel narration" aria-labelledby={props.title_id.clone()}>
            <h3 id={props.title_id.clone()}>{ props.title.clone() }</h3>
            <ol class="narration-list">
                { for trace.events[..shown].iter().map(|e| {
                    let t = secs(e.t);
                    let on_seek = props.on_seek.clone();
                    let onclick = Callback::from(move |_| on_seek.emit(t));
                    let who = e.container.as_deref().map(|c| format!("{c}: ")).unwrap_or_default();
                    html! {
                        <li class={classes!((Some(t) == current_t).then_some("current"))} data-type={e.kind.name()}>
                            <button type="button" class="link" {onclick}>
                                <span class="t">{ format!("{} s", fmt_secs(t)) }</span>
                                { format!(" {who}{}", e.message) }
                                if let Some(rule) = e.rule { <span class="rule-id">{ rule }</span> }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if shown < trace.events.len() {
                <p class="muted">{ format!("{} more events after the playhead.", trace.events.len() - shown) }</p>
            }
        </section>
    }
}
