//! The podlife playground's browser front end: a thin Yew façade over the `podlife` core.
//!
//! The web crate decides nothing about Kubernetes. It keeps the text the user typed, hands it to
//! [`podlife::check`] and renders what comes back. One function component per file under
//! [`components`]; `main.rs` only mounts [`components::App`].

pub mod components;
pub mod editor_bridge;

/// The manifest the editor starts with: the native-sidecar log-shipper Deployment from the
/// Kubernetes sidecar docs (seed 001), with the seed's trailing commas after `'-c'` removed.
pub const DEFAULT_MANIFEST: &str = include_str!("default_manifest.yaml");

// Native unit tests; the browser tests are in tests/ (run by wasm-bindgen-test-runner).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::DEFAULT_MANIFEST;
    use podlife::{check, CheckOptions, Severity};

    #[test]
    fn default_manifest_has_no_trailing_commas_in_block_lists() {
        assert!(
            DEFAULT_MANIFEST
                .lines()
                .all(|line| !line.trim_end().ends_with(',')),
            "the seed's trailing commas must be gone from the default manifest"
        );
    }

    #[test]
    fn default_manifest_has_no_errors() {
        let report = check(DEFAULT_MANIFEST, &CheckOptions::default());
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                format!(
                    "{}:{} {}",
                    d.span.start.line,
                    d.span.start.column,
                    d.headline()
                )
            })
            .collect();
        assert!(
            errors.is_empty(),
            "the default manifest must be valid: {errors:?}"
        );
    }
}
