//! `podlife check` as a user runs it: on the seeds' broken YAML, on stdin, in JSON, with exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn corpus(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(path)
}

fn podlife(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podlife"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("podlife runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("podlife finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn seed_trailing_comma_is_reported_at_its_line_and_column_with_a_caret() {
    let file = corpus("seeds/001-deployment-broken.yaml");
    let out = podlife(&["check", file.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1), "an error exits 1");
    let text = stdout(&out);
    assert!(
        text.contains("001-deployment-broken.yaml:36:19: error: unexpected \",\""),
        "{text}"
    );
    assert!(
        text.contains("36 |             - '-c',\n   |                   ^\n"),
        "{text}"
    );
    assert!(text.contains("= hint: In a block list"), "{text}");
}

#[test]
fn json_output_has_exactly_the_documented_fields() {
    let file = corpus("seeds/001-job-broken.yaml");
    let out = podlife(&["check", "--format", "json", file.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let diagnostics = value["diagnostics"]
        .as_array()
        .expect("a diagnostics array");
    let first = diagnostics[0].as_object().expect("an object");
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "column",
            "endColumn",
            "endLine",
            "hint",
            "line",
            "message",
            "path",
            "severity"
        ]
    );
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(27), Some(19))
    );
    assert_eq!(first["severity"], "error");
}

#[test]
fn stdin_is_read_for_a_dash_and_a_clean_manifest_exits_zero() {
    let manifest = std::fs::read_to_string(corpus("good/001-seed001-deployment-fixed.yaml"))
        .expect("corpus file");
    let out = podlife(&["check", "-"], Some(&manifest));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn the_version_flag_changes_what_the_api_server_accepts() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    restartPolicy: Always\n";
    let on_136 = podlife(&["check", "--k8s", "1.36", "-"], Some(pod));
    assert_eq!(
        on_136.status.code(),
        Some(0),
        "ContainerRestartRules is on in 1.36: {}",
        stdout(&on_136)
    );
    let on_133 = podlife(&["check", "--k8s", "1.33", "-"], Some(pod));
    assert_eq!(on_133.status.code(), Some(1));
    assert!(stdout(&on_133).contains(
        "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"
    ));
}

#[test]
fn unreadable_file_and_bad_version_are_usage_errors() {
    let out = podlife(&["check", "/nonexistent/pod.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/pod.yaml"));
    let out = podlife(&["check", "--k8s", "1.20", "-"], Some(""));
    assert_eq!(out.status.code(), Some(2), "clap rejects the version");
    assert!(String::from_utf8_lossy(&out.stderr).contains("podlife models 1.28 to 1.37"));
}

#[test]
fn simulate_with_pick_is_stopped_only_by_errors_in_the_picked_workload() {
    let two = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    restartPolice: Always\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n";
    let web = podlife(
        &["simulate", "--pick", "web", "--format", "kubectl", "-"],
        Some(two),
    );
    assert_eq!(
        web.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&web.stderr)
    );
    assert!(stdout(&web).contains("Running"));
    let broken = podlife(&["simulate", "--pick", "broken", "-"], Some(two));
    assert_eq!(broken.status.code(), Some(1));
}

/// An init container that looks up a Service no document of the file defines.
const WAITS_FOR_DB: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: waits
spec:
  initContainers:
    - name: wait-db
      image: busybox:1.36
      command: ['sh', '-c', 'until nslookup db; do sleep 2; done']
  containers:
    - name: app
      image: busybox:1.36
      command: ['sh', '-c', 'sleep 3600']
";

#[test]
fn simulate_service_flag_says_when_a_host_appears_and_its_absence_is_a_warning() {
    let out = podlife(
        &["simulate", "-", "--format", "kubectl"],
        Some(WAITS_FOR_DB),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(!text.contains("Running"), "db is not there: {text}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.contains("warning") && stderr.contains("podlife.dev/service.db"),
        "the warning names the annotation: {stderr}"
    );
    let out = podlife(
        &[
            "simulate",
            "-",
            "--format",
            "kubectl",
            "--service",
            "db=20s",
        ],
        Some(WAITS_FOR_DB),
    );
    let text = stdout(&out);
    assert!(
        text.contains("Init:0/1") && text.contains("Running"),
        "{text}"
    );
    let bad = podlife(&["simulate", "-", "--service", "db"], None);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a malformed flag is a usage error"
    );
}
