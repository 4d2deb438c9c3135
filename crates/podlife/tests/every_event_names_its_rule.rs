//! The house rule the UI's "why" panel depends on: every event the simulator emits names the rule it
//! follows, and that rule is in the rulebook's index (`podlife::rules`). Checked over every manifest of
//! the corpus that simulates and every gallery example of the web app.

use std::path::PathBuf;

use podlife::{rules, simulate_manifest, SimulateOptions};

fn manifests() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in [
        "tests/corpus/good",
        "tests/corpus/scenarios",
        "tests/corpus/seeds",
        "web/gallery",
    ] {
        let entries = std::fs::read_dir(root.join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
        files.extend(
            entries
                .map(|e| e.expect("a directory entry").path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml")),
        );
    }
    files.sort();
    files
}

#[test]
fn every_event_names_a_rule_of_the_rulebook() {
    let mut simulated = 0;
    let mut missing = Vec::new();
    for file in manifests() {
        let text = std::fs::read_to_string(&file).expect("readable");
        let Ok((trace, _)) = simulate_manifest(&text, &SimulateOptions::default()) else {
            continue; // the corpus's broken seeds do not simulate
        };
        simulated += 1;
        for e in &trace.events {
            match e.rule {
                Some(id) if rules::rule(id).is_some() => {}
                other => missing.push(format!(
                    "{}: {} s {} {:?}: rule {other:?}",
                    file.display(),
                    e.t.0.as_secs(),
                    e.kind.name(),
                    e.container
                )),
            }
        }
    }
    assert!(simulated >= 50, "only {simulated} manifests simulated");
    assert!(
        missing.is_empty(),
        "events without a known rule:\n{}",
        missing.join("\n")
    );
}
