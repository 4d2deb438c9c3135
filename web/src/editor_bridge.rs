//! The bridge to the CodeMirror editor chunk (`web/editor`, built by `scripts/build-editor.sh` and
//! shipped as `dist/editor/podlife-editor.js`).
//!
//! The chunk is not part of the first render: [`load`] imports it with a dynamic `import()` of a URL
//! resolved against `document.baseURI`, so it is found wherever `dist/` is served from (any sub-path),
//! and the caller keeps its plain `<textarea>` if the import fails. [`EditorModule::mount`] creates an
//! editor; [`Editor`] is a small safe handle: replace the text, show the core's diagnostics, focus.
//! It is destroyed (and its change callback released) when dropped.
//!
//! Every call into the chunk catches JavaScript exceptions, so a failing editor never unwinds through
//! Rust frames.

use js_sys::{Array, Object, Promise, Reflect};
use podlife::{Diagnostic, Severity};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

/// Where the chunk is, relative to the page (`dist/editor/` next to `index.html`).
pub const CHUNK_PATH: &str = "editor/podlife-editor.js";

#[wasm_bindgen(inline_js = r#"
export function podlife_import_editor(path) {
    return import(new URL(path, document.baseURI).href);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn podlife_import_editor(path: &str) -> Result<Promise, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// The chunk's module namespace.
    type EditorModuleJs;

    #[wasm_bindgen(method, catch, js_name = createEditor)]
    fn create_editor(
        this: &EditorModuleJs,
        parent: &Element,
        options: &Object,
    ) -> Result<EditorJs, JsValue>;

    /// A `PodlifeEditor` of the chunk.
    type EditorJs;

    #[wasm_bindgen(method, catch, getter)]
    fn text(this: &EditorJs) -> Result<String, JsValue>;

    #[wasm_bindgen(method, catch, js_name = setText)]
    fn set_text(this: &EditorJs, text: &str) -> Result<bool, JsValue>;

    #[wasm_bindgen(method, catch, js_name = setDiagnostics)]
    fn set_diagnostics(this: &EditorJs, list: &Array, for_text: &str) -> Result<bool, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn focus(this: &EditorJs) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    fn destroy(this: &EditorJs) -> Result<(), JsValue>;
}

/// The loaded editor chunk.
pub struct EditorModule {
    module: EditorModuleJs,
}

/// Imports the editor chunk (the browser fetches it once and caches the module).
pub async fn load() -> Result<EditorModule, JsValue> {
    let module = JsFuture::from(podlife_import_editor(CHUNK_PATH)?).await?;
    let create = Reflect::get(&module, &JsValue::from_str("createEditor"))?;
    if !create.is_function() {
        return Err(JsValue::from_str(
            "the editor chunk does not export createEditor",
        ));
    }
    Ok(EditorModule {
        module: module.unchecked_into(),
    })
}

/// What the editor starts with.
pub struct MountOptions<'a> {
    /// The text to edit.
    pub text: &'a str,
    /// The accessible name of the editable area.
    pub label: &'a str,
    /// Where the cursor goes, as a UTF-16 offset (a textarea's `selectionStart`).
    pub cursor: Option<u32>,
}

impl EditorModule {
    /// Appends an editor to `parent`. `on_change` gets the whole text after every edit made in the
    /// editor, never for [`Editor::set_text`].
    pub fn mount(
        &self,
        parent: &Element,
        options: MountOptions<'_>,
        on_change: impl Fn(String) + 'static,
    ) -> Result<Editor, JsValue> {
        let on_change = Closure::<dyn Fn(String)>::new(on_change);
        let js_options = Object::new();
        set(&js_options, "doc", &options.text.into());
        set(&js_options, "label", &options.label.into());
        if let Some(cursor) = options.cursor {
            set(&js_options, "cursor", &cursor.into());
        }
        set(&js_options, "onChange", on_change.as_ref());
        let editor = self.module.create_editor(parent, &js_options)?;
        Ok(Editor {
            editor,
            _on_change: on_change,
        })
    }
}

/// A mounted editor; dropping it removes the editor from the page.
pub struct Editor {
    editor: EditorJs,
    _on_change: Closure<dyn Fn(String)>,
}

impl Editor {
    /// The current text.
    pub fn text(&self) -> String {
        self.editor.text().unwrap_or_default()
    }

    /// Replaces the text (loading an example, say) without calling `on_change`; `false` when the
    /// editor already held `text`.
    pub fn set_text(&self, text: &str) -> bool {
        self.editor.set_text(text).unwrap_or(false)
    }

    /// Shows `diagnostics` (the core's, for `checked_text`) as lint markers. Nothing changes and
    /// `false` comes back when the editor no longer holds `checked_text`: the diagnostics of the
    /// newer text are on their way.
    pub fn set_diagnostics(&self, diagnostics: &[Diagnostic], checked_text: &str) -> bool {
        let list: Array = diagnostics.iter().map(diagnostic_to_js).collect();
        self.editor
            .set_diagnostics(&list, checked_text)
            .unwrap_or(false)
    }

    /// Moves the keyboard focus into the editor.
    pub fn focus(&self) {
        let _ = self.editor.focus();
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        let _ = self.editor.destroy();
    }
}

/// The core's diagnostic as the chunk reads it, the same shape as its JSON wire form:
/// `{severity: "error" | "warning" | "info", path, message, hint (string or null), line, column, endLine,
/// endColumn}` with 1-based lines and columns (columns count characters) and `end` exclusive.
pub fn diagnostic_to_js(diagnostic: &Diagnostic) -> JsValue {
    let object = Object::new();
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        // CodeMirror's lint has an `info` severity of its own: what podlife assumed.
        Severity::Info => "info",
    };
    set(&object, "severity", &severity.into());
    set(&object, "path", &diagnostic.path.as_str().into());
    set(&object, "message", &diagnostic.message.as_str().into());
    let hint = diagnostic
        .hint
        .as_deref()
        .map_or(JsValue::NULL, JsValue::from_str);
    set(&object, "hint", &hint);
    let span = &diagnostic.span;
    set(&object, "line", &span.start.line.into());
    set(&object, "column", &span.start.column.into());
    set(&object, "endLine", &span.end.line.into());
    set(&object, "endColumn", &span.end.column.into());
    object.into()
}

/// Sets a property on a plain object (which cannot fail for these).
fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}
