//! What survives a reload: the manifest and the settings, in the browser's localStorage under
//! `podlife.*` keys. Everything is optional: a private window without storage still works.

use std::cell::Cell;

const PREFIX: &str = "podlife.";

thread_local! {
    /// An embedded page (an iframe in course material) shares the origin's storage with the full
    /// playground: it must neither read the learner's session nor write over it.
    static DETACHED: Cell<bool> = const { Cell::new(false) };
}

/// From now on, nothing is read from or written to storage.
pub fn detach() {
    DETACHED.with(|d| d.set(true));
}

fn detached() -> bool {
    DETACHED.with(Cell::get)
}

pub const MANIFEST: &str = "manifest";
/// The user's own manifest, kept aside when a gallery example replaces it in the editor.
pub const DRAFT: &str = "draft";
pub const K8S: &str = "k8s";
pub const SCENARIO: &str = "scenario";
pub const SPEED: &str = "speed";
pub const THEME: &str = "theme";
pub const EXAMPLE: &str = "example";
/// One pod, or the legacy ↔ native comparison.
pub const VIEW: &str = "view";

fn local_storage() -> Option<web_sys::Storage> {
    if detached() {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(key: &str) -> Option<String> {
    local_storage()?
        .get_item(&format!("{PREFIX}{key}"))
        .ok()
        .flatten()
}

pub fn save(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        // A full or disabled storage only loses persistence, never the page.
        let _ = storage.set_item(&format!("{PREFIX}{key}"), value);
    }
}

/// Whether the user's own manifest is kept aside (a blank draft counts as none).
pub fn has_draft() -> bool {
    load(DRAFT).is_some_and(|d| !d.trim().is_empty())
}
