//! What the browser test files share.

use web_sys::Element;

/// A fresh `<div>` in the body to render into, so tests do not see each other's output.
pub fn fresh_root() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    let root = document.create_element("div").expect("create a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append the div");
    root
}
