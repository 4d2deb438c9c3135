//! The core's sentences mark names and commands with backticks (`` `tail -F` ``, as in Markdown):
//! shown as code, not as stray backticks.

use yew::prelude::*;

/// `text` with each `` `…` `` span as `<code>`.
pub fn with_code(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part.to_string() }</code> }
            } else {
                html! { { part.to_string() } }
            }
        })
        .collect()
}
