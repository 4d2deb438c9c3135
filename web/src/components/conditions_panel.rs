//! The pod's five conditions and its phase at the playhead, as `kubectl describe pod` lists them.

use podlife::pod_status::Conditions;
use yew::prelude::*;

use crate::trace_view::CONDITIONS;

/// The panel for `conditions` (`None` before the pod exists) and `phase`. A plain function: it
/// redraws with the playhead anyway.
pub fn conditions_panel(conditions: Option<Conditions>, phase: &'static str) -> Html {
    html! {
        <section class="panel conditions" aria-labelledby="conditions-title">
            <h3 id="conditions-title">{ "Status & Conditions" }</h3>
            <p>{ "Status: " }<strong class="phase-name">{ phase }</strong></p>
            <table>
                <thead><tr><th>{ "Type" }</th><th>{ "Status" }</th></tr></thead>
                <tbody>
                    { for CONDITIONS.iter().map(|(name, get)| {
                        let value = conditions.map(|c| get(&c));
                        let text = match value { Some(true) => "True", Some(false) => "False", None => "—" };
                        html! {
                            <tr data-condition={*name}>
                                <td>{ *name }</td>
                                <td class={classes!(if value == Some(true) { "on" } else { "off" })}>
                                    <span aria-hidden="true">{ if value == Some(true) { "● " } else { "○ " } }</span>{ text }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}
