//! Browser tests of the web glue (the page, its saved session, playback), run by
//! `wasm-bindgen-test-runner` in headless Chromium.
//!
//! Yew renders asynchronously, so every check first lets the scheduler run (`settle`).
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;
use std::time::Duration;

use podlife::{Diagnostic, Position, Severity, Span};
use podlife_web::components::{App, DiagnosticList, DiagnosticListProps};
use podlife_web::DEFAULT_MANIFEST;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventInit, HtmlTextAreaElement};

use support::fresh_root;

wasm_bindgen_test_configure!(run_in_browser);

/// The seed's broken log-shipper Deployment: a trailing comma after `'-c'` inside a block list.
const TRAILING_COMMA_MANIFEST: &str = "apiVersion: v1
kind: Pod
metadata:
  name: myapp
spec:
  initContainers:
    - name: logshipper
      image: alpine:latest
      restartPolicy: Always
      command:
        - 'sh'
        - '-c',
        - 'tail -F /opt/logs.txt'
  containers:
    - name: myapp
      image: alpine:latest
";

/// Renders the whole page into a fresh root, as a first visit (nothing saved from earlier tests).
async fn fresh_app() -> Element {
    clear_saved_session();
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    root
}

fn clear_saved_session() {
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage");
    for key in [
        "manifest", "draft", "k8s", "scenario", "speed", "theme", "example",
    ] {
        storage
            .remove_item(&format!("podlife.{key}"))
            .expect("remove");
    }
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(50)).await;
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("a valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

fn textarea(root: &Element) -> HtmlTextAreaElement {
    root.query_selector("#manifest")
        .expect("a valid selector")
        .expect("the manifest textarea")
        .dyn_into()
        .expect("#manifest is a <textarea>")
}

/// Types `text` into the editor the way a browser reports it: set the value, fire a bubbling `input`.
fn type_into(textarea: &HtmlTextAreaElement, text: &str) {
    textarea.set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("input", &init).expect("an input event");
    textarea
        .dispatch_event(&event)
        .expect("dispatch the input event");
}

/// What the page must show for `text`: one item per diagnostic of the core, or "No problems found."
fn assert_diagnostics_match_core(root: &Element, text: &str) {
    let expected = podlife::check(text, &podlife::CheckOptions::default()).diagnostics;
    let shown = texts(root, "#diagnostics > li");
    assert_eq!(
        shown.len(),
        expected.len(),
        "one list item per diagnostic: {shown:?}"
    );
    for (item, diagnostic) in shown.iter().zip(&expected) {
        assert!(
            item.contains(&diagnostic.headline()),
            "{item:?} shows {:?}",
            diagnostic.headline()
        );
    }
    let no_problems = texts(root, "#no-problems");
    if expected.is_empty() {
        assert_eq!(no_problems, vec!["No problems found.".to_string()]);
    } else {
        assert!(
            no_problems.is_empty(),
            "\"No problems found.\" next to {} diagnostics",
            expected.len()
        );
    }
}

#[wasm_bindgen_test]
async fn app_shows_header_default_manifest_and_its_diagnostics() {
    let root = fresh_app().await;

    assert_eq!(texts(&root, "header h1"), vec!["podlife".to_string()]);
    assert_eq!(textarea(&root).value(), DEFAULT_MANIFEST);
    let label = root
        .query_selector("label[for=manifest]")
        .expect("a valid selector");
    assert!(label.is_some(), "the textarea has a label");
    assert!(root
        .query_selector("#diagnostics")
        .expect("a valid selector")
        .is_some());
    let errors = texts(&root, "#diagnostics > li.error");
    assert!(
        errors.is_empty(),
        "the default manifest is valid, yet the page shows {errors:?}"
    );
    assert_diagnostics_match_core(&root, DEFAULT_MANIFEST);
}

#[wasm_bindgen_test]
async fn editing_the_manifest_rechecks_it() {
    let root = fresh_app().await;

    let editor = textarea(&root);
    type_into(&editor, TRAILING_COMMA_MANIFEST);
    settle().await;

    assert_eq!(
        editor.value(),
        TRAILING_COMMA_MANIFEST,
        "the edit survives the re-render"
    );
    let list = root
        .query_selector("#diagnostics")
        .expect("a valid selector")
        .expect("the list");
    let lines = TRAILING_COMMA_MANIFEST.lines().count().to_string();
    assert_eq!(
        list.get_attribute("data-checked-lines"),
        Some(lines),
        "the new text was checked"
    );
    assert_diagnostics_match_core(&root, TRAILING_COMMA_MANIFEST);
}

#[wasm_bindgen_test]
async fn diagnostic_list_shows_location_severity_headline_and_hint() {
    let at = |line, column| Position { line, column };
    let diagnostics = vec![
        Diagnostic {
            severity: Severity::Error,
            path: String::new(),
            message: "did not find expected '-' indicator".into(),
            hint: Some("Remove the trailing comma: block list items need no separator.".into()),
            span: Span {
                start: at(12, 15),
                end: at(12, 16),
            },
        },
        Diagnostic {
            severity: Severity::Warning,
            path: "spec.initContainers[0]".into(),
            message: "sidecar has no startupProbe".into(),
            hint: None,
            span: Span {
                start: at(7, 7),
                end: at(7, 23),
            },
        },
    ];
    let root = fresh_root();
    let props = DiagnosticListProps {
        diagnostics: Rc::new(diagnostics),
        checked_lines: 17,
    };
    yew::Renderer::<DiagnosticList>::with_root_and_props(root.clone(), props).render();
    settle().await;

    let items = texts(&root, "#diagnostics > li");
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        items[0].starts_with("12:15 error did not find expected '-' indicator"),
        "{items:?}"
    );
    assert!(items[0].ends_with("Remove the trailing comma: block list items need no separator."));
    assert_eq!(
        items[1],
        "7:7 warning spec.initContainers[0]: sidecar has no startupProbe"
    );
    assert_eq!(texts(&root, "#diagnostics > li.error").len(), 1);
    assert_eq!(
        texts(&root, "#diagnostics > li.warning .hint").len(),
        0,
        "no hint, no hint paragraph"
    );
    assert!(
        texts(&root, "#no-problems").is_empty(),
        "\"No problems found.\" next to diagnostics"
    );
}

#[wasm_bindgen_test]
async fn empty_diagnostic_list_says_no_problems_found() {
    let root = fresh_root();
    let props = DiagnosticListProps {
        diagnostics: Rc::new(Vec::new()),
        checked_lines: 1,
    };
    yew::Renderer::<DiagnosticList>::with_root_and_props(root.clone(), props).render();
    settle().await;

    assert!(texts(&root, "#diagnostics > li").is_empty());
    assert_eq!(
        texts(&root, "#no-problems"),
        vec!["No problems found.".to_string()]
    );
}

fn storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage")
}

fn click(root: &Element, selector: &str) {
    let element: web_sys::HtmlElement = root
        .query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .dyn_into()
        .expect("an HTML element");
    element.click();
}

#[wasm_bindgen_test]
async fn a_saved_session_comes_back() {
    clear_saved_session();
    storage()
        .set_item("podlife.manifest", TRAILING_COMMA_MANIFEST)
        .expect("save");
    storage().set_item("podlife.k8s", "1.30").expect("save");
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    assert_eq!(textarea(&root).value(), TRAILING_COMMA_MANIFEST);
    let version: web_sys::HtmlSelectElement = root
        .query_selector("#k8s-version")
        .unwrap()
        .expect("the version selector")
        .dyn_into()
        .unwrap();
    assert_eq!(version.value(), "1.30");
    // The saved manifest has an error: nothing can run, and the page says so instead of a timeline.
    assert_eq!(texts(&root, ".timeline").len(), 0);
    assert_eq!(texts(&root, ".no-trace").len(), 1);
    clear_saved_session();
}

#[wasm_bindgen_test]
async fn the_default_example_is_drawn_and_next_event_moves_the_clock() {
    let root = fresh_app().await;
    let lanes = root.query_selector_all(".timeline .lane").unwrap();
    assert_eq!(
        lanes.length(),
        2,
        "a lane for the sidecar and one for the app"
    );
    assert!(texts(&root, ".clock")[0].starts_with("0 s /"));
    click(&root, "button[aria-label='Next event']");
    settle().await;
    assert!(
        texts(&root, ".clock")[0].starts_with("0.5 s /"),
        "{:?}",
        texts(&root, ".clock")
    );
    assert!(
        !texts(&root, ".why-item").is_empty(),
        "the why panel explains the moment"
    );
    // The event of this moment (a pull at 0.5 s) is already in the Events table.
    assert!(
        texts(&root, ".events td")
            .iter()
            .any(|cell| cell == "Pulling"),
        "{:?}",
        texts(&root, ".events td")
    );
}

#[wasm_bindgen_test]
async fn a_broken_edit_keeps_the_last_timeline_greyed() {
    let root = fresh_app().await;
    type_into(&textarea(&root), TRAILING_COMMA_MANIFEST);
    settle().await;
    assert_eq!(texts(&root, ".timeline.stale").len(), 1);
    assert!(texts(&root, "#outcome")[0].starts_with("Showing the last manifest that could run."));
    clear_saved_session();
}
