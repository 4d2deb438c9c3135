//! The Events table of `kubectl describe pod` as it would print at the playhead (ages counted back from
//! the playhead).

use yew::prelude::*;

use super::TraceRef;

#[derive(Properties, PartialEq)]
pub struct EventsPanelProps {
    pub trace: TraceRef,
    /// When the latest event at or before the playhead happened (`None`: nothing yet); changes only
    /// at events, so the table is not redrawn on every frame.
    pub upto_ms: Option<u64>,
    /// The playhead in whole seconds, for the Age column (kubectl prints whole seconds).
    pub now_s: u64,
}

#[component]
pub fn EventsPanel(props: &EventsPanelProps) -> Html {
    let rows = use_memo(props.trace.clone(), |t| podlife::views::describe_rows(&t.0));
    let shown = props
        .upto_ms
        .map_or(0, |upto| rows.partition_point(|r| r.t.0 <= upto));
    let now = podlife::time::SimTime(props.now_s * 1000);
    // As kubectl prints them: repeats merged ("x4 over 40s"), oldest first, the newest in view.
    let merged = podlife::views::aggregate_rows(&rows[..shown]);
    let scroller = use_node_ref();
    {
        let scroller = scroller.clone();
        use_effect_with(merged.len(), move |_| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <section class="panel events" aria-labelledby="events-title">
            <h3 id="events-title"><code>{ "kubectl describe pod" }</code>{ " — Events" }</h3>
            if shown == 0 {
                <p class="empty">{ "Events: <none>" }</p>
            } else {
                <div class="table-scroll" ref={scroller} tabindex="0" aria-label="Events so far">
                    <table>
                        <thead><tr><th>{"Type"}</th><th>{"Reason"}</th><th>{"Age"}</th><th>{"From"}</th><th>{"Message"}</th></tr></thead>
                        <tbody>
                            { for merged.iter().map(|a| html! {
                                <tr class={classes!((a.row.kind == "Warning").then_some("warning"))}>
                                    <td>{ a.row.kind }</td>
                                    <td>{ a.row.reason }</td>
                                    <td>{ a.age_at(now) }</td>
                                    <td>{ a.row.from }</td>
                                    <td>{ a.row.message.clone() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
