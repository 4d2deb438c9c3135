//! The size of what podlife reads. Every input must be read, checked, simulated and compared within
//! the page's bound (50 ms and 64 MiB a keystroke), and all of that grows with the text and with the
//! number of containers: reading a manifest of 145 KiB four times a keystroke, or dry-running 500
//! containers, is over it whatever else the pod does. So podlife reads manifests of at most
//! [`MAX_MANIFEST_BYTES`] and pods of at most [`MAX_CONTAINERS`] containers, and says so where the
//! text passes them. These are podlife's limits, not Kubernetes' (the API server takes 3 MiB, and a
//! pod of a thousand containers), far above what a lesson needs: the largest example manifest of the
//! Kubernetes documentation is under 6 KiB, with three containers.

use crate::diagnostic::{Diagnostic, Position, Severity, Span};
use crate::yaml::Node;

/// The longest manifest podlife reads, in bytes.
pub const MAX_MANIFEST_BYTES: usize = 32 << 10;

/// The most containers (init containers, sidecars and regular ones together) one pod may have.
pub const MAX_CONTAINERS: usize = 256;

/// The error for a text longer than [`MAX_MANIFEST_BYTES`], placed where it passes the limit.
pub fn too_long(text: &str) -> Option<Diagnostic> {
    if text.len() <= MAX_MANIFEST_BYTES {
        return None;
    }
    let mut cut = MAX_MANIFEST_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &text[..cut];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, last)| last)
        .chars()
        .count()
        + 1;
    let at = Position {
        line: line as u32,
        column: column as u32,
    };
    Some(Diagnostic {
        severity: Severity::Error,
        path: String::new(),
        message: format!(
            "the manifest is {} KiB: podlife reads manifests of at most {} KiB, and stops reading here",
            text.len().div_ceil(1024),
            MAX_MANIFEST_BYTES >> 10
        ),
        hint: Some(
            "Paste one workload, with the containers the lesson needs: the Kubernetes \
             documentation's largest example is under 6 KiB."
                .into(),
        ),
        span: Span { start: at, end: at },
    })
}

/// The error for a pod spec (`spec`, the object at the pod template's path) with more than
/// [`MAX_CONTAINERS`] containers, placed on the first one past the limit.
pub fn too_many_containers(spec: &Node, spec_path: &str) -> Option<Diagnostic> {
    let lists = ["initContainers", "containers"].map(|key| {
        let items = spec
            .get(key)
            .and_then(|e| e.value.as_sequence())
            .unwrap_or_default();
        (key, items)
    });
    let total: usize = lists.iter().map(|(_, items)| items.len()).sum();
    if total <= MAX_CONTAINERS {
        return None;
    }
    let mut seen = 0;
    let (key, index, item) = lists.iter().find_map(|(key, items)| {
        let past = MAX_CONTAINERS
            .checked_sub(seen)
            .filter(|i| *i < items.len());
        seen += items.len();
        past.map(|i| (*key, i, &items[i]))
    })?;
    Some(Diagnostic {
        severity: Severity::Error,
        path: format!("{spec_path}.{key}[{index}]"),
        message: format!(
            "the pod has {total} containers: podlife simulates pods of at most {MAX_CONTAINERS} \
             (init containers included)"
        ),
        hint: Some(
            "Keep the containers the lesson is about: what happens to one of many identical \
             containers happens to each."
                .into(),
        ),
        span: item.span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_manifest_is_refused_where_it_passes_the_limit() {
        let line = "# a comment that fills the manifest up to its limit and beyond\n";
        let text = line.repeat(MAX_MANIFEST_BYTES / line.len() + 2);
        let error = too_long(&text).expect("too long");
        let full_lines = MAX_MANIFEST_BYTES / line.len();
        assert_eq!(error.span.start.line as usize, full_lines + 1);
        assert_eq!(
            error.span.start.column as usize,
            MAX_MANIFEST_BYTES - full_lines * line.len() + 1
        );
        assert!(
            error.message.contains("at most 32 KiB"),
            "{}",
            error.message
        );
        assert!(too_long(&text[..MAX_MANIFEST_BYTES]).is_none());
    }

    fn pod(init: usize, regular: usize) -> String {
        let mut text = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: many\nspec:\n");
        if init > 0 {
            text.push_str("  initContainers:\n");
            for i in 0..init {
                text.push_str(&format!("  - {{name: i{i}, image: busybox}}\n"));
            }
        }
        text.push_str("  containers:\n");
        for i in 0..regular {
            text.push_str(&format!("  - {{name: c{i}, image: busybox}}\n"));
        }
        text
    }

    #[test]
    fn a_pod_past_the_container_limit_is_refused_at_the_first_container_past_it() {
        let at_limit = crate::load(&pod(56, 200));
        assert!(
            at_limit.diagnostics.is_empty(),
            "{:?}",
            at_limit.diagnostics
        );
        assert_eq!(at_limit.workloads.len(), 1);
        let past = crate::load(&pod(56, 201));
        assert!(past.workloads.is_empty());
        let error = &past.diagnostics[0];
        assert_eq!(error.path, "spec.containers[200]");
        // The header is five lines, then `initContainers:`, 56 items, `containers:`, 200 items.
        assert_eq!(error.span.start.line, 5 + 1 + 56 + 1 + 201);
        assert!(
            error.message.contains("has 257 containers"),
            "{}",
            error.message
        );
        let init_past = crate::load(&pod(257, 1));
        assert_eq!(init_past.diagnostics[0].path, "spec.initContainers[256]");
    }

    #[test]
    fn the_limit_never_splits_a_character() {
        let text = "é".repeat(MAX_MANIFEST_BYTES);
        let error = too_long(&text).expect("too long");
        assert_eq!(error.span.start.line, 1);
        assert_eq!(error.span.start.column as usize, MAX_MANIFEST_BYTES / 2 + 1);
    }
}
