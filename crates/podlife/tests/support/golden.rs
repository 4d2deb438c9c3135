//! Golden files under `tests/golden/`: a rendering is compared with its file, or the file is rewritten
//! when the run asks for it with `PODLIFE_BLESS=1`. Shared by the core's `golden_traces.rs` and the
//! CLI's `compare_golden.rs` (included with `#[path]`).
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The repository's `tests/golden/`.
pub fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

/// Whether the value of `PODLIFE_BLESS` asks to rewrite the golden files: only `1` does; unset,
/// empty, `0` or anything else compares.
pub fn bless_requested(value: Option<&OsStr>) -> bool {
    value.is_some_and(|v| v == "1")
}

/// This run's answer, from the environment.
pub fn blessing() -> bool {
    bless_requested(std::env::var_os("PODLIFE_BLESS").as_deref())
}

/// Compares `actual` with the golden file `golden` (or writes it when `bless`); a mismatch comes back
/// as one paragraph naming the file and its first differing line.
pub fn check(golden: &Path, actual: &str, bless: bool) -> Option<String> {
    if bless {
        if let Some(dir) = golden.parent() {
            std::fs::create_dir_all(dir).expect("create tests/golden");
        }
        std::fs::write(golden, actual).expect("write a golden file");
        return None;
    }
    let expected = std::fs::read_to_string(golden).unwrap_or_default();
    if expected == actual {
        return None;
    }
    let first = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "{}: differs from line {}\n  golden: {}\n  now:    {}",
        golden.display(),
        first + 1,
        expected.lines().nth(first).unwrap_or("<end>"),
        actual.lines().nth(first).unwrap_or("<end>")
    ))
}

/// Fails with every mismatch and the command that blesses the files, when there is any.
pub fn assert_no_mismatches(mismatches: &[String], bless_command: &str) {
    assert!(
        mismatches.is_empty(),
        "{} golden file(s) changed (if intended: PODLIFE_BLESS=1 {bless_command}, then review the diff):\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
