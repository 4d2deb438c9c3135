//! `podlife convert` and `podlife compare` as a course author runs them.

use std::path::PathBuf;
use std::process::Command;

fn corpus(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

fn podlife(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_podlife"))
        .args(args)
        .output()
        .expect("podlife runs")
}

#[test]
fn convert_to_native_prints_yaml_that_passes_check_and_converts_back_to_the_original() {
    let legacy = corpus("convert/legacy-log-shipper-job.yaml");
    let native = podlife(&["convert", &legacy, "--to", "native"]);
    assert_eq!(
        native.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&native.stderr)
    );
    let native_yaml = String::from_utf8_lossy(&native.stdout).into_owned();
    assert!(
        native_yaml.contains("initContainers:") && native_yaml.contains("restartPolicy: Always"),
        "{native_yaml}"
    );
    assert!(
        String::from_utf8_lossy(&native.stderr).contains("moved logshipper"),
        "says what moved and why"
    );

    let dir = std::env::temp_dir().join(format!("podlife-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let native_file = dir.join("native.yaml");
    std::fs::write(&native_file, &native_yaml).expect("write");
    let check = podlife(&["check", native_file.to_str().expect("utf-8 path")]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    let back = podlife(&[
        "convert",
        native_file.to_str().expect("utf-8 path"),
        "--to",
        "legacy",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&back.stdout),
        std::fs::read_to_string(&legacy).expect("read"),
        "byte-exact round trip"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn convert_explains_when_there_is_nothing_to_move() {
    let out = podlife(&[
        "convert",
        &corpus("good/004-seed002-init-container-example-pod.yaml"),
        "--to",
        "native",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
}

#[test]
fn compare_json_is_versioned_and_holds_both_traces_the_yaml_and_the_findings() {
    let out = podlife(&[
        "compare",
        &corpus("good/002-seed001-job-fixed.yaml"),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["format"], "podlife.compare/v1");
    assert_eq!(v["legacy"]["format"], "podlife.trace/v1");
    assert_eq!(v["native"]["format"], "podlife.trace/v1");
    assert!(v["legacyYaml"]
        .as_str()
        .is_some_and(|y| !y.contains("restartPolicy: Always")));
    let completion = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["kind"] == "completion")
        .expect("a completion finding");
    assert_eq!(v["native"]["outcome"]["phase"], "Succeeded");
    assert_ne!(v["legacy"]["outcome"]["phase"], "Succeeded", "{completion}");
}

#[test]
fn compare_text_shows_both_timelines_and_the_findings() {
    let out = podlife(&[
        "compare",
        &corpus("good/001-seed001-deployment-fixed.yaml"),
        "--delete-at",
        "20",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("legacy sidecar") && text.contains("native sidecar"),
        "{text}"
    );
    assert!(
        text.contains("findings:") && text.contains("shutdown"),
        "{text}"
    );
}
