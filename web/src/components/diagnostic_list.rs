//! What the core says about the manifest, in source order; "No problems found." when it says nothing.

use std::rc::Rc;

use podlife::Diagnostic;
use yew::prelude::*;

use super::DiagnosticItem;

#[derive(Properties, PartialEq)]
pub struct DiagnosticListProps {
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// How many lines of text were checked; exposed as `data-checked-lines` so tests can see a re-check.
    #[prop_or_default]
    pub checked_lines: usize,
}

#[component]
pub fn DiagnosticList(props: &DiagnosticListProps) -> Html {
    html! {
        <section class="diagnostics" aria-labelledby="diagnostics-heading">
            <h2 id="diagnostics-heading">{ "Diagnostics" }</h2>
            <ul id="diagnostics" aria-live="polite" data-checked-lines={props.checked_lines.to_string()}>
                { for props.diagnostics.iter().map(|d| html! { <DiagnosticItem diagnostic={d.clone()} /> }) }
            </ul>
            if props.diagnostics.is_empty() {
                <p id="no-problems" class="no-problems">{ "No problems found." }</p>
            }
        </section>
    }
}
