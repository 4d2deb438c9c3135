//! Unit tests of the comparison's pieces; the seeds' scenarios are in `tests/compare.rs`.

use super::trace_reading::{
    exits, final_exit, fmt_secs, own_exits, running_at_end, stop_requested, Reading,
};
use super::*;

const NATIVE: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
  - name: shipper
    image: busybox
    restartPolicy: Always
    command: ["sh", "-c", "tail -F /logs/app.log"]
    volumeMounts:
    - name: logs
      mountPath: /logs
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "while true; do echo x >> /var/log/app/app.log; sleep 1; done"]
    volumeMounts:
    - name: logs
      mountPath: /var/log/app
  volumes:
  - name: logs
    emptyDir: {}
"#;

fn legacy() -> String {
    NATIVE
        .replace("  initContainers:\n", "  containers:\n")
        .replace("    restartPolicy: Always\n", "")
        .replace("  containers:\n  - name: app", "  - name: app")
}

fn simulate(text: &str, scenario: &str) -> Trace {
    let options = SimulateOptions {
        scenario: crate::scenario::Scenario::parse(scenario).expect("a scenario"),
        ..SimulateOptions::default()
    };
    crate::simulate_manifest(text, &options)
        .expect("a valid manifest")
        .0
}

#[test]
fn the_variant_is_native_when_a_named_or_any_sidecar_is_native() {
    let variant = |text: &str, named: &[String]| variant_of(&crate::load(text), None, named);
    assert_eq!(variant(NATIVE, &[]), Variant::Native);
    assert_eq!(variant(&legacy(), &[]), Variant::Legacy);
    assert_eq!(
        variant(NATIVE, &["app".to_string()]),
        Variant::Legacy,
        "naming a regular container asks for legacy → native"
    );
    assert_eq!(variant("not: [yaml", &[]), Variant::Legacy);
}

#[test]
fn files_are_read_where_each_container_mounts_the_volume() {
    let trace = simulate(NATIVE, "delete-at=10s");
    assert_eq!(trace.files.len(), 1, "{:?}", trace.files);
    let f = &trace.files[0];
    assert_eq!(
        (f.path.as_str(), f.volume.as_str()),
        ("/var/log/app/app.log", "logs")
    );
    assert_eq!(f.writers[0].container, "app");
    assert_eq!(f.readers[0].container, "shipper");
    assert_eq!(f.writers[0].lines, f.readers[0].lines);
    assert_eq!(f.lost_after_reader_stopped, 0);
}

#[test]
fn a_container_killed_at_the_last_instant_is_not_running_at_the_end() {
    // Both shells ignore SIGTERM and are SIGKILLed at 40 s, the end of the run: their intervals end
    // there without an exited state, and the events say they stopped.
    let simulated = simulate(&legacy(), "delete-at=10s");
    let trace = Reading::new(&simulated);
    assert_eq!(trace.end.0.as_secs(), 40.0);
    assert!(!running_at_end(&trace, "app"));
    assert!(!running_at_end(&trace, "shipper"));
    assert_eq!(
        final_exit(&trace, "shipper").map(|e| (e.t, e.code)),
        Some((40.0, 137))
    );
    assert_eq!(stop_requested(&trace, "shipper").map(|m| m.t), Some(10.0));
    assert!(
        own_exits(&trace, "shipper").is_empty(),
        "killed by the deletion, not by itself"
    );
}

#[test]
fn errors_in_the_converted_text_say_so() {
    let broken = NATIVE.replace("image: busybox\n    restartPolicy", "restartPolicy");
    let err = compare_variants(
        &legacy(),
        &broken,
        Variant::Legacy,
        &["shipper".to_string()],
        &SimulateOptions::default(),
    )
    .expect_err("the native text has no image");
    assert!(
        err.iter().all(|d| d
            .message
            .starts_with("in the converted (native) manifest: ")),
        "{err:?}"
    );
    assert!(err.iter().all(|d| d.span.start.line == 1));
}

#[test]
fn times_read_as_seconds() {
    assert_eq!(fmt_secs(2.0), "2 s");
    assert_eq!(fmt_secs(2.5), "2.5 s");
    assert_eq!(fmt_secs(0.25), "0.25 s");
    assert_eq!(fmt_secs(0.0), "0 s");
}

#[test]
fn a_reading_finds_each_containers_events_where_the_trace_has_them() {
    // The index must give what a scan of the whole trace gives: the same exits, at the same places.
    let simulated = simulate(NATIVE, "delete-at=10s");
    let reading = Reading::new(&simulated);
    for name in ["app", "shipper", "not-a-container"] {
        let scanned: Vec<(usize, f64)> = simulated
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.container.as_deref() == Some(name))
            .filter(|(_, e)| matches!(e.kind, crate::trace::EventKind::Exited { .. }))
            .map(|(i, e)| (i, super::trace_reading::secs(e.t)))
            .collect();
        let indexed: Vec<(usize, f64)> = exits(&reading, name)
            .into_iter()
            .map(|e| (e.index, e.t))
            .collect();
        assert_eq!(indexed, scanned, "{name}");
    }
    assert!(
        !exits(&reading, "shipper").is_empty(),
        "the deletion stops it"
    );
}
