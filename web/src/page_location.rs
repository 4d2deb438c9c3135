//! The page's own address: the fragment a share link or a course link carries, clearing it once read,
//! the address to share, and the clipboard.

use wasm_bindgen::JsValue;

/// `#s=…` or `#example/…` (empty when there is none).
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Removes the fragment from the address bar once it has been read, so that a reload shows the saved
/// session (with the user's later edits) rather than the link again.
pub fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ =
            history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
}

/// This page's address with `fragment` (`#s=…`) in place of any fragment it has.
pub fn address_with(fragment: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!(
        "{}{}{}{}",
        location.origin().ok()?,
        location.pathname().ok()?,
        location.search().ok()?,
        fragment
    ))
}

/// Puts `text` on the clipboard if the browser lets the page (it may not: the address is also shown).
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// How the page is shown, from its query: `?embed` (only the lifecycle and its controls, for an iframe
/// in course material) or `?present` (large type and high contrast for a trainer's screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMode {
    Full,
    Embed,
    Presenter,
}

/// The page address's query (`?embed&compare`), or nothing.
fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

pub fn page_mode() -> PageMode {
    mode_of(&query())
}

/// `?embed`, `?embed=1`, `?x=1&present`: the first of the two names that appears as a parameter.
pub fn mode_of(search: &str) -> PageMode {
    for param in search.trim_start_matches('?').split('&') {
        match param.split('=').next() {
            Some("embed") => return PageMode::Embed,
            Some("present") => return PageMode::Presenter,
            _ => {}
        }
    }
    PageMode::Full
}

/// Whether the query asks for the comparison (`?compare`, e.g. `?embed&compare#example/job-sidecar` in
/// course material): it opens compared whatever the page last showed.
pub fn asks_to_compare() -> bool {
    compare_in(&query())
}

pub fn compare_in(search: &str) -> bool {
    search
        .trim_start_matches('?')
        .split('&')
        .any(|param| param.split('=').next() == Some("compare"))
}

/// `search` without its `compare` parameter (`?embed&compare` → `?embed`, `?compare` → nothing).
pub fn without_compare(search: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some("compare"))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

/// Leaving the comparison: the address stops asking for it, so a reload shows what the page shows.
pub fn forget_compare_query() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search), Ok(hash)) =
        (location.pathname(), location.search(), location.hash())
    else {
        return;
    };
    if compare_in(&search) {
        if let Ok(history) = window.history() {
            let address = format!("{path}{}{hash}", without_compare(&search));
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address));
        }
    }
}

/// The full playground's address for an embedded page: the same place without `?embed`.
pub fn full_page_address() -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!(
        "{}{}",
        location.origin().ok()?,
        location.pathname().ok()?
    ))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_query_chooses_the_mode() {
        assert_eq!(mode_of(""), PageMode::Full);
        assert_eq!(mode_of("?embed"), PageMode::Embed);
        assert_eq!(mode_of("?embed=1"), PageMode::Embed);
        assert_eq!(mode_of("?lang=en&present"), PageMode::Presenter);
        assert_eq!(mode_of("?embedded"), PageMode::Full);
        assert_eq!(mode_of("?embed&compare"), PageMode::Embed);
    }

    #[test]
    fn leaving_the_comparison_drops_it_from_the_query() {
        assert_eq!(without_compare("?compare"), "");
        assert_eq!(without_compare("?embed&compare"), "?embed");
        assert_eq!(without_compare("?present&compare=1&x=2"), "?present&x=2");
        assert_eq!(without_compare(""), "");
    }

    #[test]
    fn the_query_can_ask_for_the_comparison() {
        assert!(compare_in("?embed&compare"));
        assert!(compare_in("?compare=1"));
        assert!(!compare_in("?embed"));
        assert!(!compare_in("?comparex"));
    }
}
