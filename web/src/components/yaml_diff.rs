//! The converted manifest as a diff against the user's (`diff -u` style, with both line numbers),
//! folded to the changed parts, and a button that copies the converted text whole.

use std::rc::Rc;

use podlife::compare::Variant;
use yew::prelude::*;

use crate::line_diff::{diff, DiffLine};
use crate::page_location::copy_to_clipboard;

#[derive(Properties, PartialEq)]
pub struct YamlDiffProps {
    pub original: Rc<str>,
    pub converted: Rc<str>,
    /// The variant the converter wrote.
    pub converted_to: Variant,
}

#[component]
pub fn YamlDiff(props: &YamlDiffProps) -> Html {
    let copied = use_state(|| false);
    let lines = use_memo(
        (props.original.clone(), props.converted.clone()),
        |(old, new)| {
            diff(old, new, 3)
                .into_iter()
                .map(|l| match l {
                    DiffLine::Same(a, b, t) => {
                        ("same", a.to_string(), b.to_string(), format!("  {t}"))
                    }
                    DiffLine::Removed(a, t) => {
                        ("removed", a.to_string(), String::new(), format!("- {t}"))
                    }
                    DiffLine::Added(b, t) => {
                        ("added", String::new(), b.to_string(), format!("+ {t}"))
                    }
                    DiffLine::Folded(k) => (
                        "folded",
                        String::new(),
                        String::new(),
                        format!("  … {k} unchanged line{}", if k == 1 { "" } else { "s" }),
                    ),
                })
                .collect::<Vec<_>>()
        },
    );
    let on_copy = {
        let (text, copied) = (props.converted.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            copy_to_clipboard(&text);
            copied.set(true);
        })
    };
    let to = props.converted_to.name();
    html! {
        <details class="yaml-diff">
            <summary>{ format!("The converted ({to}) manifest, as a diff against yours") }</summary>
            <p class="diff-actions">
                <button type="button" id="copy-converted" onclick={on_copy}>{ format!("Copy the {to} manifest") }</button>
                <span role="status">{ if *copied { " Copied." } else { "" } }</span>
            </p>
            <pre class="diff" tabindex="0" aria-label={format!("Diff: lines starting with - are only in your manifest, lines starting with + only in the {to} one")}>
                { for lines.iter().map(|(class, a, b, text)| html! {
                    <span class={classes!("diff-line", *class)}><span class="ln" aria-hidden="true">{ format!("{a:>3} {b:>3} ") }</span>{ text.clone() }{ "\n" }</span>
                }) }
            </pre>
        </details>
    }
}
