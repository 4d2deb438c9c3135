//! Golden traces: the seeds' scenarios and Kubernetes' own e2e lifecycle scenarios, simulated and
//! rendered as a person reads them: the timeline with each event's rule, then `kubectl get pod -w`;
//! the Events of `kubectl describe pod`; the Markdown for course material. Any change to the model or
//! the views shows up here as a readable diff; when the change is intended, regenerate with
//! `PODLIFE_BLESS=1 cargo test -p podlife --test golden_traces` and review the diff in git.

use std::path::{Path, PathBuf};

use podlife::{simulate_manifest, views, SimulateOptions};

#[path = "support/golden.rs"]
mod golden;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The manifests with a golden trace: the seeds' corrected YAML (tests/corpus/good/*seed*) and the
/// upstream e2e scenarios (tests/corpus/scenarios/e2e-*).
fn scenarios() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (dir, keep) in [
        ("tests/corpus/good", "seed"),
        ("tests/corpus/scenarios", "e2e-"),
    ] {
        let entries = std::fs::read_dir(root().join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.ends_with(".yaml") && name.contains(keep) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Each view of one manifest's trace with the golden file it is kept in: the timeline with each
/// event's rule and `kubectl get pod -w` (`<stem>.txt`), the Events of `kubectl describe pod`
/// (`<stem>.events.txt`, as `--format events`) and the Markdown (`<stem>.md`, as `--format markdown`).
fn render(manifest: &Path) -> Vec<(String, String)> {
    let stem = manifest
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = std::fs::read_to_string(manifest).expect("readable manifest");
    match simulate_manifest(&text, &SimulateOptions::default()) {
        Ok((trace, _)) => vec![
            (
                format!("{stem}.txt"),
                format!(
                    "{}\n$ kubectl get pod -w\n{}",
                    views::timeline(&trace),
                    views::kubectl_watch(&trace)
                ),
            ),
            (format!("{stem}.events.txt"), views::describe_events(&trace)),
            (format!("{stem}.md"), views::markdown(&trace)),
        ],
        Err(diagnostics) => panic!("{} does not simulate: {diagnostics:?}", manifest.display()),
    }
}

#[test]
fn seeds_and_upstream_e2e_scenarios_match_their_golden_traces() {
    let bless = golden::blessing();
    let files = scenarios();
    assert!(
        files.len() >= 25,
        "expected the seeds and the e2e scenarios, found {}",
        files.len()
    );
    let mismatches: Vec<String> = files
        .iter()
        .flat_map(|manifest| render(manifest))
        .filter_map(|(name, actual)| {
            golden::check(&golden::golden_dir().join(name), &actual, bless)
        })
        .collect();
    golden::assert_no_mismatches(&mismatches, "cargo test -p podlife --test golden_traces");
}

#[test]
fn only_podlife_bless_1_rewrites_the_golden_files() {
    use std::ffi::OsStr;
    assert!(golden::bless_requested(Some(OsStr::new("1"))));
    for value in ["0", "", "true", "yes", " 1"] {
        assert!(
            !golden::bless_requested(Some(OsStr::new(value))),
            "PODLIFE_BLESS={value:?} must compare, not bless"
        );
    }
    assert!(!golden::bless_requested(None));
}
