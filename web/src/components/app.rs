//! The page: header, the manifest editor, and the diagnostics of what is in it.

use std::rc::Rc;

use yew::prelude::*;

use super::{DiagnosticList, ManifestEditor, PageHeader};
use crate::DEFAULT_MANIFEST;

/// Holds the manifest text; re-checks it with the core whenever it changes.
#[component]
pub fn App() -> Html {
    let manifest = use_state(|| AttrValue::from(DEFAULT_MANIFEST));
    let diagnostics = use_memo((*manifest).clone(), |text| {
        podlife::check(text, &podlife::CheckOptions::default()).diagnostics
    });
    let on_edit = {
        let manifest = manifest.clone();
        Callback::from(move |text: String| manifest.set(AttrValue::from(text)))
    };
    let line_count = manifest.lines().count();
    let watch = use_memo(
        (*manifest).clone(),
        |text| match podlife::simulate_manifest(text, &podlife::SimulateOptions::default()) {
            Ok((trace, _)) => format!(
                "{}\n{}",
                podlife::views::kubectl_watch(&trace),
                podlife::views::describe_events(&trace)
            ),
            Err(_) => String::new(),
        },
    );

    html! {
        <>
            <PageHeader />
            <main>
                <ManifestEditor
                    text={(*manifest).clone()}
                    diagnostics={Rc::clone(&diagnostics)}
                    {on_edit}
                />
                <DiagnosticList diagnostics={Rc::clone(&diagnostics)} checked_lines={line_count} />
                <pre>{ (*watch).clone() }</pre>
            </main>
        </>
    }
}
