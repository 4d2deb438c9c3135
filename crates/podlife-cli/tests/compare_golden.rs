//! Golden files for `podlife compare`'s text: the seeds' Job (legacy never completes, native does) and
//! Deployment deleted at 20 s (the sidecar outlives the app only when native), both timelines side by
//! side and the findings, in `tests/golden/compare-*.txt`. Regenerate with
//! `PODLIFE_BLESS=1 cargo test -p podlife-cli --test compare_golden` and review the diff.

use std::path::PathBuf;
use std::process::Command;

#[path = "../../podlife/tests/support/golden.rs"]
mod golden;

/// `podlife compare` on a file of `tests/corpus/` with extra flags: its standard output.
fn compare(manifest: &str, flags: &[&str]) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(manifest);
    let out = Command::new(env!("CARGO_BIN_EXE_podlife"))
        .arg("compare")
        .arg(&path)
        .args(flags)
        .output()
        .expect("podlife runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn compare_text_of_the_seeds_job_and_deployment_matches_its_golden_files() {
    let bless = golden::blessing();
    let cases = [
        (
            "compare-002-seed001-job-fixed.txt",
            "good/002-seed001-job-fixed.yaml",
            &[][..],
        ),
        (
            "compare-001-seed001-deployment-fixed-delete-at-20.txt",
            "good/001-seed001-deployment-fixed.yaml",
            &["--delete-at", "20"][..],
        ),
    ];
    let mismatches: Vec<String> = cases
        .iter()
        .filter_map(|(golden_name, manifest, flags)| {
            let actual = compare(manifest, flags);
            golden::check(&golden::golden_dir().join(golden_name), &actual, bless)
        })
        .collect();
    golden::assert_no_mismatches(
        &mismatches,
        "cargo test -p podlife-cli --test compare_golden",
    );
}
