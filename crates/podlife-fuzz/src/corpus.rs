//! The seed inputs: every file under `tests/corpus/` (all its directories, READMEs included: prose is
//! input a learner can paste too), the worst cases of `tests/stress/` and every manifest of the web
//! gallery.

use std::fs;
use std::path::{Path, PathBuf};

/// The workspace root, found from this crate's manifest directory at build time.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The corpus texts, sorted by path so a seed gives the same run on every machine.
pub fn load() -> Result<Vec<(PathBuf, String)>, String> {
    let root = workspace_root();
    let mut paths = Vec::new();
    walk(&root.join("tests/corpus"), &mut paths)?;
    walk(&root.join("tests/stress"), &mut paths)?;
    let gallery = root.join("web/gallery");
    paths.extend(
        read_dir(&gallery)?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml")),
    );
    paths.sort();
    let texts = paths
        .into_iter()
        .filter_map(|p| fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect::<Vec<_>>();
    if texts.is_empty() {
        return Err(format!("no corpus files under {}", root.display()));
    }
    Ok(texts)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for path in read_dir(dir)? {
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(entries.flatten().map(|e| e.path()).collect())
}
