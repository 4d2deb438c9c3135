//! The page header: the name and one line on what the playground is.

use yew::prelude::*;

#[component]
pub fn PageHeader() -> Html {
    html! {
        <header class="page-header">
            <h1>{ "podlife" }</h1>
            <p class="tagline">
                { "A playground for how Kubernetes starts and stops a pod's init containers, sidecars \
                   and app containers. Paste a manifest: it is checked as you type, in your browser." }
            </p>
        </header>
    }
}
