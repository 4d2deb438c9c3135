//! The converted manifest as a diff against the user's (`diff -u` style, with both line numbers),
//! folded to the changed parts; how and why each sidecar moved; what the converted manifest still
//! lacks, at its line; and a button that copies the converted text whole.

use yew::prelude::*;

use super::{severity_class, with_code, ComparisonRef};
use crate::line_diff::{diff, DiffLine};
use crate::page_location::copy_to_clipboard;

#[derive(Properties, PartialEq)]
pub struct YamlDiffProps {
    pub view: ComparisonRef,
}

#[component]
pub fn YamlDiff(props: &YamlDiffProps) -> Html {
    let copied = use_state(|| false);
    let view = &props.view.0;
    let lines = use_memo(props.view.clone(), |v| {
        diff(&v.0.original, &v.0.converted, 3)
            .into_iter()
            .map(|l| match l {
                DiffLine::Same(a, b, t) => ("same", a.to_string(), b.to_string(), format!("  {t}")),
                DiffLine::Removed(a, t) => {
                    ("removed", a.to_string(), String::new(), format!("- {t}"))
                }
                DiffLine::Added(b, t) => ("added", String::new(), b.to_string(), format!("+ {t}")),
                DiffLine::Folded(k) => (
                    "folded",
                    String::new(),
                    String::new(),
                    format!("  … {k} unchanged line{}", if k == 1 { "" } else { "s" }),
                ),
            })
            .collect::<Vec<_>>()
    });
    let on_copy = {
        let (view, copied) = (props.view.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            copy_to_clipboard(&view.0.converted);
            copied.set(true);
        })
    };
    let to = view.converted_from.other().name();
    html! {
        <details class="yaml-diff">
            <summary>{ format!("The converted ({to}) manifest, as a diff against yours") }</summary>
            <ul class="moves">
                { for view.moved.iter().map(|m| html! {
                    <li><code>{ m.name.clone() }</code>{ format!(": {} → {}: ", m.from, m.to) }{ with_code(&m.reason) }</li>
                }) }
            </ul>
            <p class="diff-actions">
                <button type="button" id="copy-converted" onclick={on_copy}>{ format!("Copy the {to} manifest") }</button>
                <span role="status">{ if *copied { " Copied." } else { "" } }</span>
            </p>
            <pre class="diff" tabindex="0" aria-label={format!("Diff: lines starting with - are only in your manifest, lines starting with + only in the {to} one")}>
                { for lines.iter().map(|(class, a, b, text)| html! {
                    <span class={classes!("diff-line", *class)}><span class="ln" aria-hidden="true">{ format!("{a:>3} {b:>3} ") }</span>{ text.clone() }{ "\n" }</span>
                }) }
            </pre>
            if !view.suggestions.is_empty() {
                <ul class="suggestions" aria-label={format!("What the {to} manifest still lacks")}>
                    { for view.suggestions.iter().map(|d| html! {
                        <li class={classes!("diagnostic", severity_class(d.severity))}>
                            <span class="location">{ format!("{to} line {}: ", d.span.start.line) }</span>
                            { with_code(&d.message) }
                            if let Some(hint) = &d.hint { <p class="hint">{ with_code(hint) }</p> }
                        </li>
                    }) }
                </ul>
            }
        </details>
    }
}
