//! The manifest editor: a labelled plain `<textarea>` first, replaced by the CodeMirror editor
//! (YAML highlighting, line numbers, the core's diagnostics as lint markers) once its chunk has
//! loaded after the first render. If the chunk cannot be loaded the textarea stays, with a short note.
//!
//! The textarea keeps the current text even while hidden (it is the fallback, and what forms and
//! tests read). Edits from either editor reach the parent through `on_edit`; the parent's `text` and
//! `diagnostics` flow back into CodeMirror whenever they change.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use podlife::Diagnostic;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::editor_bridge::{self, Editor, MountOptions};

/// The accessible name of CodeMirror's editable area.
pub const EDITOR_LABEL: &str = "Pod manifest (YAML)";

#[derive(Properties, PartialEq)]
pub struct ManifestEditorProps {
    /// The YAML shown in the editor.
    pub text: AttrValue,
    /// What the core says about `text`; shown as lint markers once the code editor is up.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// Called with the whole new text on every edit.
    pub on_edit: Callback<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    /// The textarea shows; the editor chunk is being loaded.
    Loading,
    /// CodeMirror shows in the textarea's place.
    Ready,
    /// The chunk could not be loaded or started: the textarea stays.
    Failed,
}

#[component]
pub fn ManifestEditor(props: &ManifestEditorProps) -> Html {
    let status = use_state_eq(|| Status::Loading);
    let textarea_ref = use_node_ref();
    let host_ref = use_node_ref();
    let editor: Rc<RefCell<Option<Editor>>> = use_mut_ref(|| None);
    // The latest text and callback, for the loader (which mounts with the text of that moment) and
    // for CodeMirror's change handler.
    let latest = use_mut_ref(|| (props.text.clone(), props.on_edit.clone()));
    *latest.borrow_mut() = (props.text.clone(), props.on_edit.clone());
    // The last text CodeMirror reported: when it comes back as `text`, it is an echo, not a change.
    let last_emitted: Rc<RefCell<Option<AttrValue>>> = use_mut_ref(|| None);

    // After the first render: load the chunk and put CodeMirror in the textarea's place.
    {
        let status = status.clone();
        let textarea_ref = textarea_ref.clone();
        let host_ref = host_ref.clone();
        let editor = Rc::clone(&editor);
        let latest = Rc::clone(&latest);
        let last_emitted = Rc::clone(&last_emitted);
        use_effect_with((), move |_| {
            let alive = Rc::new(Cell::new(true));
            {
                let alive = Rc::clone(&alive);
                let editor = Rc::clone(&editor);
                wasm_bindgen_futures::spawn_local(async move {
                    let module = editor_bridge::load().await;
                    if !alive.get() {
                        return;
                    }
                    let mounted = module.and_then(|module| {
                        mount(
                            &module,
                            &host_ref,
                            &textarea_ref,
                            Rc::clone(&latest),
                            last_emitted,
                        )
                    });
                    match mounted {
                        Ok(mounted) => {
                            *editor.borrow_mut() = Some(mounted);
                            status.set(Status::Ready);
                        }
                        Err(error) => {
                            web_sys::console::warn_2(
                                &"podlife: the code editor could not be loaded; keeping the plain text box:"
                                    .into(),
                                &error,
                            );
                            status.set(Status::Failed);
                        }
                    }
                });
            }
            move || {
                alive.set(false);
                editor.borrow_mut().take();
            }
        });
    }

    // Whenever the text or the diagnostics change: a text that did not come from CodeMirror (an
    // example loaded by the app) replaces its document; the diagnostics become lint markers.
    {
        let editor = Rc::clone(&editor);
        let last_emitted = Rc::clone(&last_emitted);
        use_effect_with(
            (props.text.clone(), Rc::clone(&props.diagnostics), *status),
            move |(text, diagnostics, status)| {
                if *status == Status::Ready {
                    if let Some(editor) = editor.borrow().as_ref() {
                        if last_emitted.borrow().as_ref() != Some(text) {
                            editor.set_text(text);
                        }
                        editor.set_diagnostics(diagnostics, text);
                    }
                }
            },
        );
    }

    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |event: InputEvent| {
            let textarea: HtmlTextAreaElement = event.target_unchecked_into();
            on_edit.emit(textarea.value());
        })
    };
    // The label points at the textarea; once CodeMirror replaced it, a click focuses CodeMirror.
    let onclick_label = {
        let editor = Rc::clone(&editor);
        Callback::from(move |_: MouseEvent| {
            if let Some(editor) = editor.borrow().as_ref() {
                editor.focus();
            }
        })
    };
    let ready = *status == Status::Ready;

    html! {
        <section class="editor">
            <label for="manifest" onclick={onclick_label}>
                { "Pod manifest (YAML): a Pod or a workload with a pod template" }
            </label>
            <textarea
                id="manifest"
                ref={textarea_ref}
                rows="30"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                hidden={ready}
                value={props.text.clone()}
                {oninput}
            />
            <div ref={host_ref} class="code-editor" data-status={status_name(*status)} />
            if ready {
                <p class="editor-tip">
                    { "Tab indents. To leave the editor with the keyboard, press Esc, then Tab." }
                </p>
            }
            if *status == Status::Failed {
                <p class="editor-note">
                    { "The code editor could not be loaded; this plain text box works the same." }
                </p>
            }
        </section>
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Loading => "loading",
        Status::Ready => "ready",
        Status::Failed => "failed",
    }
}

/// Mounts CodeMirror in `host` with the current text, the cursor where it was in the textarea, and
/// the focus if the textarea had it.
fn mount(
    module: &editor_bridge::EditorModule,
    host_ref: &NodeRef,
    textarea_ref: &NodeRef,
    latest: Rc<RefCell<(AttrValue, Callback<String>)>>,
    last_emitted: Rc<RefCell<Option<AttrValue>>>,
) -> Result<Editor, wasm_bindgen::JsValue> {
    let host = host_ref
        .get()
        .and_then(|node| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok())
        .ok_or_else(|| wasm_bindgen::JsValue::from_str("the editor's place is gone"))?;
    let textarea = textarea_ref.cast::<HtmlTextAreaElement>();
    let had_focus = textarea.as_ref().is_some_and(|textarea| {
        web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.active_element())
            .is_some_and(|active| active == ***textarea)
    });
    let cursor = textarea
        .as_ref()
        .and_then(|textarea| textarea.selection_start().ok().flatten());
    let text = latest.borrow().0.clone();
    let on_change = move |text: String| {
        *last_emitted.borrow_mut() = Some(AttrValue::from(text.clone()));
        let on_edit = latest.borrow().1.clone();
        on_edit.emit(text);
    };
    let editor = module.mount(
        &host,
        MountOptions {
            text: &text,
            label: EDITOR_LABEL,
            cursor,
        },
        on_change,
    )?;
    if had_focus {
        editor.focus();
    }
    Ok(editor)
}
