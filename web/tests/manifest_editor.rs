//! Browser tests of the manifest editor's Rust side, run by `wasm-bindgen-test-runner` in headless
//! Chromium. The test server has no `editor/podlife-editor.js`, so here the editor chunk always fails
//! to load: these tests check the fallback and the data handed to the chunk; tests/e2e/editor.test.mjs
//! checks CodeMirror itself against the release build.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::Reflect;
use podlife::{Diagnostic, Position, Severity, Span};
use podlife_web::components::{ManifestEditor, ManifestEditorProps};
use podlife_web::editor_bridge::diagnostic_to_js;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlTextAreaElement};
use yew::prelude::*;

use support::fresh_root;

wasm_bindgen_test_configure!(run_in_browser);

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).expect("a property")
}

#[wasm_bindgen_test]
fn diagnostics_reach_the_chunk_in_their_wire_form() {
    let diagnostic = Diagnostic {
        severity: Severity::Error,
        path: "spec.initContainers[0].restartPolice".into(),
        message: "unknown field \"spec.initContainers[0].restartPolice\"".into(),
        hint: Some("did you mean `restartPolicy`?".into()),
        span: Span {
            start: Position { line: 9, column: 7 },
            end: Position {
                line: 9,
                column: 20,
            },
        },
    };
    let js = diagnostic_to_js(&diagnostic);
    assert_eq!(get(&js, "severity").as_string().as_deref(), Some("error"));
    assert_eq!(get(&js, "path").as_string(), Some(diagnostic.path.clone()));
    assert_eq!(
        get(&js, "message").as_string(),
        Some(diagnostic.message.clone())
    );
    assert_eq!(get(&js, "hint").as_string(), diagnostic.hint.clone());
    assert_eq!(get(&js, "line").as_f64(), Some(9.0));
    assert_eq!(get(&js, "column").as_f64(), Some(7.0));
    assert_eq!(get(&js, "endLine").as_f64(), Some(9.0));
    assert_eq!(get(&js, "endColumn").as_f64(), Some(20.0));

    let warning = Diagnostic {
        severity: Severity::Warning,
        hint: None,
        ..diagnostic
    };
    let js = diagnostic_to_js(&warning);
    assert_eq!(get(&js, "severity").as_string().as_deref(), Some("warning"));
    assert!(get(&js, "hint").is_null(), "no hint is null");
}

/// Waits until the component gave up on the chunk (a 404 from the test server).
async fn wait_for_status(root: &Element, status: &str) {
    for _ in 0..100 {
        let current = root
            .query_selector(".code-editor")
            .expect("a valid selector")
            .and_then(|host| host.get_attribute("data-status"));
        if current.as_deref() == Some(status) {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the editor never reached status {status:?}");
}

#[wasm_bindgen_test]
async fn without_the_chunk_the_textarea_stays_and_forwards_edits() {
    let edits = Rc::new(RefCell::new(Vec::<String>::new()));
    let props = ManifestEditorProps {
        text: AttrValue::from("kind: Pod\n"),
        diagnostics: Rc::new(Vec::new()),
        on_edit: {
            let edits = Rc::clone(&edits);
            Callback::from(move |text: String| edits.borrow_mut().push(text))
        },
    };
    let root = fresh_root();
    yew::Renderer::<ManifestEditor>::with_root_and_props(root.clone(), props).render();
    wait_for_status(&root, "failed").await;

    let textarea: HtmlTextAreaElement = root
        .query_selector("#manifest")
        .expect("a valid selector")
        .expect("the textarea")
        .dyn_into()
        .expect("a <textarea>");
    assert!(
        !textarea.has_attribute("hidden"),
        "the fallback textarea shows"
    );
    assert_eq!(textarea.value(), "kind: Pod\n");
    let note = root
        .query_selector(".editor-note")
        .expect("a valid selector")
        .and_then(|note| note.text_content())
        .unwrap_or_default();
    assert!(note.contains("could not be loaded"), "{note:?}");

    textarea.set_value("kind: Job\n");
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("input", &init).expect("an input event");
    textarea.dispatch_event(&event).expect("dispatch input");
    assert_eq!(*edits.borrow(), vec!["kind: Job\n".to_string()]);
}
