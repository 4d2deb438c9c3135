//! The Events table of `kubectl describe pod` as it would print at the playhead (ages counted back from
//! the playhead).

use yew::prelude::*;

use super::TraceRef;

#[derive(Properties, PartialEq)]
pub struct EventsPanelProps {
    pub trace: TraceRef,
    /// The playhead in whole seconds: ages change once a second.
    pub now_s: u64,
    /// The playhead in milliseconds, to decide which events have happened.
    pub now_ms: u64,
}

#[component]
pub fn EventsPanel(props: &EventsPanelProps) -> Html {
    let rows = use_memo(props.trace.clone(), |t| podlife::views::describe_rows(&t.0));
    let shown = rows.partition_point(|r| r.t.0 <= props.now_ms);
    let now = podlife::time::SimTime(props.now_ms);
    html! {
        <section class="panel events" aria-labelledby="events-title">
            <h3 id="events-title"><code>{ "kubectl describe pod" }</code>{ " — Events" }</h3>
            if shown == 0 {
                <p class="empty">{ "Events: <none>" }</p>
            } else {
                <div class="table-scroll">
                    <table>
                        <thead><tr><th>{"Type"}</th><th>{"Reason"}</th><th>{"Age"}</th><th>{"From"}</th><th>{"Message"}</th></tr></thead>
                        <tbody>
                            { for rows[..shown].iter().rev().map(|r| html! {
                                <tr class={classes!((r.kind == "Warning").then_some("warning"))}>
                                    <td>{ r.kind }</td>
                                    <td>{ r.reason }</td>
                                    <td>{ podlife::printers::age(now.since(r.t)) }</td>
                                    <td>{ r.from }</td>
                                    <td>{ r.message.clone() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
