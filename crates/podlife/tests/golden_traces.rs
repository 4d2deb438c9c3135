//! Golden traces: the seeds' scenarios and Kubernetes' own e2e lifecycle scenarios, simulated and
//! rendered as a person reads them (the timeline with each event's rule, then `kubectl get pod -w`).
//! Any change to the model shows up here as a readable diff; when the change is intended, regenerate
//! with `PODLIFE_BLESS=1 cargo test -p podlife --test golden_traces` and review the diff in git.

use std::path::{Path, PathBuf};

use podlife::{simulate_manifest, views, SimulateOptions};

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

fn render(manifest: &Path) -> String {
    let text = std::fs::read_to_string(manifest).expect("readable manifest");
    match simulate_manifest(&text, &SimulateOptions::default()) {
        Ok((trace, _)) => format!(
            "{}\n$ kubectl get pod -w\n{}",
            views::timeline(&trace),
            views::kubectl_watch(&trace)
        ),
        Err(diagnostics) => panic!("{} does not simulate: {diagnostics:?}", manifest.display()),
    }
}

#[test]
fn seeds_and_upstream_e2e_scenarios_match_their_golden_traces() {
    let bless = std::env::var_os("PODLIFE_BLESS").is_some();
    let golden_dir = root().join("tests/golden");
    let files = scenarios();
    assert!(
        files.len() >= 25,
        "expected the seeds and the e2e scenarios, found {}",
        files.len()
    );
    let mut mismatches = Vec::new();
    for manifest in &files {
        let stem = manifest
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let golden = golden_dir.join(format!("{stem}.txt"));
        let actual = render(manifest);
        if bless {
            std::fs::create_dir_all(&golden_dir).expect("create tests/golden");
            std::fs::write(&golden, &actual).expect("write golden trace");
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            let first = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
            mismatches.push(format!(
                "{}: differs from line {}\n  golden: {}\n  now:    {}",
                golden.display(),
                first + 1,
                expected.lines().nth(first).unwrap_or("<end>"),
                actual.lines().nth(first).unwrap_or("<end>")
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} golden trace(s) changed (if intended: PODLIFE_BLESS=1 cargo test -p podlife --test golden_traces):\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
