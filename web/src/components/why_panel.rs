//! "Why": the events of the current moment, each with its message, the kubelet rule it follows and a
//! link to the upstream source of that rule.

use podlife::trace::Event;
use yew::prelude::*;

use super::TraceRef;
use crate::trace_view::{current_events, fmt_secs, secs};

/// The panel at `now_ms`. A plain function: it redraws with the playhead anyway.
pub fn why_panel(trace: &TraceRef, now_ms: u64) -> Html {
    let trace = &trace.0;
    let events = current_events(trace, now_ms as f64 / 1000.0);
    html! {
        <section class="panel why" aria-labelledby="why-title">
            <h3 id="why-title">{ "Why" }</h3>
            if events.is_empty() {
                <p class="empty">{ "Nothing has happened yet. Press Play, or → for the first event." }</p>
            } else {
                <p class="why-time">{ format!("At {} s", fmt_secs(secs(events[0].t))) }</p>
                <ul class="why-list" aria-live="polite">
                    { for events.iter().map(why_item) }
                </ul>
            }
        </section>
    }
}

fn why_item(e: &Event) -> Html {
    let rule = e.rule.map(|id| (id, podlife::rules::rule(id)));
    html! {
        <li class="why-item">
            <span class="why-kind">{ e.kind.name() }</span>
            if let Some(c) = &e.container {
                <span class="why-container">{ c.clone() }</span>
            }
            <p class="why-message">{ e.message.clone() }</p>
            if let Some((id, info)) = rule {
                <p class="why-rule">
                    <span class="rule-id">{ id }</span>
                    if let Some(info) = info {
                        { " " }{ info.title }{ " — " }
                        <a href={info.url} target="_blank" rel="noopener noreferrer">{ info.source }</a>
                    }
                </p>
            }
        </li>
    }
}
