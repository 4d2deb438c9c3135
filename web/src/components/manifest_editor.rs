//! The manifest editor: a labelled plain `<textarea>` (a code editor comes in a later issue).

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ManifestEditorProps {
    /// The YAML shown in the editor.
    pub text: AttrValue,
    /// The core's diagnostics for the text (shown as lint markers once the code editor is loaded).
    pub diagnostics: std::rc::Rc<Vec<podlife::Diagnostic>>,
    /// Called with the whole new text on every edit.
    pub on_edit: Callback<String>,
}

#[component]
pub fn ManifestEditor(props: &ManifestEditorProps) -> Html {
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |event: InputEvent| {
            let textarea: HtmlTextAreaElement = event.target_unchecked_into();
            on_edit.emit(textarea.value());
        })
    };

    html! {
        <section class="editor">
            <label for="manifest">{ "Pod manifest (YAML): a Pod or a workload with a pod template" }</label>
            <textarea
                id="manifest"
                rows="30"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                value={props.text.clone()}
                {oninput}
            />
        </section>
    }
}
