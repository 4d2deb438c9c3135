//! The page header: the name, one line on what the playground is, and the page-wide choices.

use yew::prelude::*;

/// A plain function: it holds no state, and a component would cost its own generic code in the wasm.
pub fn page_header(toolbar: Html) -> Html {
    html! {
        <header class="page-header">
            <div class="title">
                <h1>{ "podlife" }</h1>
                <p class="tagline">
                    { "How Kubernetes starts and stops a pod's init containers, sidecars and app containers, \
                       on a clock you control. Edit the manifest: it is checked and simulated in your browser." }
                </p>
            </div>
            <div class="toolbar">{ toolbar }</div>
        </header>
    }
}
