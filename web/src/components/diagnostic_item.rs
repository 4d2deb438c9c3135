//! One diagnostic: `line:col severity path: message`, then the hint.

use podlife::{Diagnostic, Severity};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagnosticItemProps {
    pub diagnostic: Diagnostic,
}

/// The severity's word, which is also its class in style.css: an info note (what podlife assumed) has a
/// look of its own, for nothing is wrong.
pub fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

#[component]
pub fn DiagnosticItem(props: &DiagnosticItemProps) -> Html {
    let d = &props.diagnostic;
    let severity = severity_class(d.severity);
    let location = format!("{}:{}", d.span.start.line, d.span.start.column);

    html! {
        <li class={classes!("diagnostic", severity)}>
            <span class="location">{ location }</span>
            { " " }
            <span class="severity">{ severity }</span>
            { " " }
            <span class="headline">{ d.headline() }</span>
            if let Some(hint) = &d.hint {
                <p class="hint">{ hint }</p>
            }
        </li>
    }
}
