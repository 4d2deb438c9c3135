//! The podlife playground's browser front end: a thin Yew façade over the `podlife` core.
//!
//! The web crate decides nothing about Kubernetes. It keeps the text the user typed, hands it to the
//! core ([`simulation::run`]) and renders the trace that comes back at the playhead. One function
//! component per file under [`components`]; `main.rs` only mounts [`components::App`].

pub mod animation;
pub mod comparison;
pub mod components;
pub mod compression;
pub mod editor_bridge;
pub mod gallery;
pub mod line_diff;
pub mod page_location;
pub mod playback;
pub mod scenario_form;
pub mod share_link;
pub mod simulation;
pub mod storage;
pub mod svg_number;
pub mod trace_view;

/// The manifest the editor starts with: the gallery's native-sidecar log-shipper Deployment from the
/// Kubernetes sidecar docs (seed 001), with the seed's trailing commas after `'-c'` removed.
pub const DEFAULT_MANIFEST: &str = include_str!("../gallery/log-shipper.yaml");

/// The gallery entry the page opens on.
pub const DEFAULT_EXAMPLE: &str = "log-shipper";

// Native unit tests; the browser tests are in tests/ (run by wasm-bindgen-test-runner).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::DEFAULT_MANIFEST;

    #[test]
    fn default_manifest_has_no_trailing_commas_in_block_lists() {
        assert!(
            DEFAULT_MANIFEST
                .lines()
                .all(|line| !line.trim_end().ends_with(',')),
            "the seed's trailing commas must be gone from the default manifest"
        );
    }
}
