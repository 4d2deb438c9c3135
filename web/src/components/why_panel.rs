//! "Why": the events of the current moment, each with its message, what `kubectl describe pod` lists
//! for it (the core's rows: a probe's `Unhealthy`, a kill's `Killing`, a failed hook or pull), the
//! kubelet rule it follows and a link to the upstream source of that rule.

use podlife::trace::{Event, Trace};
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
                    { for events.iter().map(|e| why_item(trace, e)) }
                </ul>
            }
        </section>
    }
}

fn why_item(trace: &Trace, e: &Event) -> Html {
    let rule = e.rule.map(|id| (id, podlife::rules::rule(id)));
    let recorded = podlife::views::describe_rows_of(trace, e);
    html! {
        <li class="why-item">
            <span class="why-kind">{ e.kind.name() }</span>
            if let Some(c) = &e.container {
                <span class="why-container">{ c.clone() }</span>
            }
            <p class="why-message">{ e.message.clone() }</p>
            { for recorded.into_iter().map(|r| html! {
                <p class={classes!("why-event", (r.kind == "Warning").then_some("warning"))}>
                    <span class="why-event-label">{ "kubectl describe: " }</span>
                    <code>{ format!("{} {} {}", r.kind, r.reason, r.message) }</code>
                </p>
            }) }
            if let Some((id, info)) = rule {
                <p class="why-rule">
                    <span class="rule-id">{ id }</span>
                    if let Some(info) = info {
                        { " " }{ info.title }{ " — " }
                        if !info.learn.is_empty() {
                            <a href={info.learn} target="_blank" rel="noopener noreferrer">{ "kubernetes.io" }</a>
                            { " · " }
                        }
                        <a href={info.url} target="_blank" rel="noopener noreferrer">{ info.source }</a>
                    }
                </p>
            }
        </li>
    }
}
