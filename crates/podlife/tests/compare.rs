//! Legacy vs native sidecar on the seeds' scenarios (issue 4, "Compare"): each manifest is converted,
//! both variants are simulated under the same scenario, and every finding is checked with the values
//! the model gives. When a value surprises, the test says why the model gives it.

use podlife::compare::{compare, Comparison, Finding, FindingKind, Variant};
use podlife::scenario::Scenario;
use podlife::SimulateOptions;
use serde_json::{json, Value};

fn corpus(name: &str) -> String {
    let path = format!(
        "{}/../../tests/corpus/good/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn options(scenario: &str) -> SimulateOptions {
    SimulateOptions {
        scenario: Scenario::parse(scenario).expect("a valid scenario"),
        ..SimulateOptions::default()
    }
}

fn run(text: &str, scenario: &str) -> Comparison {
    match compare(text, &options(scenario), &[]) {
        Ok(c) => c,
        Err(errors) => panic!(
            "compare failed:\n{}",
            errors
                .iter()
                .map(|d| format!("  {} {}", d.path, d.message))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// Every finding's sentence: what a failing test prints.
fn sentences(c: &Comparison) -> String {
    c.findings
        .iter()
        .map(|f| format!("  - {}", f.sentence))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The one finding of `kind`.
fn finding(c: &Comparison, kind: FindingKind) -> &Finding {
    let all: Vec<&Finding> = c.findings.iter().filter(|f| f.kind == kind).collect();
    match all.as_slice() {
        [one] => one,
        _ => panic!(
            "expected one {kind:?} finding, found {}:\n{}",
            all.len(),
            sentences(c)
        ),
    }
}

/// A finding's value as serde_json reads it (what `podlife compare --format json` prints).
fn as_serde(v: &podlife::json::Value) -> Value {
    serde_json::to_value(v).expect("a JSON tree serializes")
}

/// Checks `fields` of both values of `f`: `[(field, legacy, native)]`.
fn check(c: &Comparison, f: &Finding, fields: &[(&str, Value, Value)]) {
    assert!(
        f.applicable,
        "{} is not applicable:\n{}",
        f.sentence,
        sentences(c)
    );
    for (field, legacy, native) in fields {
        assert_eq!(
            (&as_serde(&f.legacy)[field], &as_serde(&f.native)[field]),
            (legacy, native),
            "{:?}.{field} (legacy, native) in\n  {}\nall findings:\n{}",
            f.kind,
            f.sentence,
            sentences(c)
        );
    }
}

fn not_applicable(c: &Comparison, kind: FindingKind, because: &str) {
    let f = finding(c, kind);
    assert!(
        !f.applicable && f.sentence.contains(because),
        "{kind:?} should be not applicable because {because:?}:\n{}",
        sentences(c)
    );
    assert!(f.legacy.is_null() && f.native.is_null());
    assert!(f.sides.legacy.moments.is_empty() && f.sides.native.moments.is_empty());
}

// ---------------------------------------------------------------- seed 001: the log shipper

#[test]
fn log_shipper_deployment_deleted_at_20s() {
    let c = run(
        &corpus("001-seed001-deployment-fixed.yaml"),
        "delete-at=20s",
    );
    assert_eq!(c.converted_from, Variant::Native);
    assert_eq!(c.sidecars, ["logshipper"]);
    assert!(
        c.legacy_yaml.contains("containers:") && !c.legacy_yaml.contains("restartPolicy: Always")
    );

    // Legacy: the shipper is the second regular container, so the app is pulled and started first.
    let startup = finding(&c, FindingKind::Startup);
    check(
        &c,
        startup,
        &[
            ("appStarted", json!(2.5), json!(3.5)),
            ("sidecarStarted", json!(3.0), json!(2.5)),
            ("sidecarReady", json!(3.0), json!(2.5)),
            ("appStartedBeforeSidecarReady", json!(true), json!(false)),
        ],
    );
    assert_eq!(startup.times, [2.5, 3.0, 3.5]);

    // Both containers are shells as PID 1 (`sh -c 'while ...'`, and `tail -F` exec'd by sh) that
    // ignore SIGTERM: both live until SIGKILL at the end of the 30 s grace period. Legacy: both got
    // SIGTERM at 20 s and die together at 50 s; native: the shipper gets its SIGTERM only once the app
    // is gone (50 s), and its own 2 s minimum before SIGKILL (R71, R70).
    let shutdown = finding(&c, FindingKind::Shutdown);
    check(
        &c,
        shutdown,
        &[
            ("appStopRequested", json!(20.0), json!(20.0)),
            ("sidecarStopRequested", json!(20.0), json!(50.0)),
            ("sidecarStoppedAfterAppExited", json!(false), json!(true)),
            ("appExited", json!(50.0), json!(50.0)),
            ("sidecarExited", json!(50.0), json!(52.0)),
            ("appWithoutSidecarSeconds", json!(0.0), json!(0.0)),
        ],
    );
    assert!(shutdown.sentence.contains("together with \"myapp\""));
    // Native: the shipper is told to stop at 50 s, in the instant after myapp's exit (R71).
    assert!(
        shutdown.sentence.contains(
            "native: \"logshipper\" was told to stop at 50 s, right after \"myapp\" exited (in the same instant)"
        ),
        "{}",
        shutdown.sentence
    );

    check(
        &c,
        finding(&c, FindingKind::Completion),
        &[
            ("phase", json!("Failed"), json!("Failed")),
            ("at", json!(50.0), json!(52.0)),
            ("removedAt", json!(50.0), json!(52.0)),
        ],
    );

    // Since the shipper outlives every write in both variants, nothing is lost in either: one line a
    // second from the app's start to its SIGKILL (legacy 2.5..49.5 and the line at 50 s before the
    // kill; native 3.5..49.5).
    let data = finding(&c, FindingKind::Data);
    check(
        &c,
        data,
        &[
            ("path", json!("/opt/logs.txt"), json!("/opt/logs.txt")),
            ("written", json!(48), json!(47)),
            ("readBySidecar", json!(48), json!(47)),
            ("lostAfterReaderStopped", json!(0), json!(0)),
            ("readerStopped", json!(50.0), json!(52.0)),
        ],
    );

    not_applicable(&c, FindingKind::Restarts, "never exits by itself");
    not_applicable(&c, FindingKind::InitContainers, "no init container");
    not_applicable(&c, FindingKind::Resources, "no container declares");
    assert_eq!(c.legacy.files.len(), 1);
    assert_eq!(c.native.files[0].readers[0].container, "logshipper");
}

/// The same pod with a shipper that exits on SIGTERM (as fluent-bit or vector do): in legacy it stops
/// reading at 20 s while the app writes on for 30 s, and those lines are lost; native keeps reading
/// until the app is gone.
#[test]
fn a_shipper_that_stops_on_sigterm_loses_the_apps_last_lines_only_in_legacy() {
    let text = corpus("001-seed001-deployment-fixed.yaml").replace(
        "      labels:\n        app: myapp\n    spec:",
        "      labels:\n        app: myapp\n      annotations:\n        podlife.dev/behaviour.logshipper: \"sigterm=exit=0\"\n    spec:",
    );
    assert!(text.contains("sigterm=exit=0"));
    let c = run(&text, "delete-at=20s");
    let data = finding(&c, FindingKind::Data);
    check(
        &c,
        data,
        &[
            ("written", json!(48), json!(47)),
            ("readBySidecar", json!(18), json!(47)),
            ("lostAfterReaderStopped", json!(30), json!(0)),
            ("readerStopped", json!(20.0), json!(50.0)),
        ],
    );
    assert!(data.sentence.contains("30 written after it stopped"));
    check(
        &c,
        finding(&c, FindingKind::Shutdown),
        &[
            ("sidecarExited", json!(20.0), json!(50.0)),
            ("appExited", json!(50.0), json!(50.0)),
            ("appWithoutSidecarSeconds", json!(30.0), json!(0.0)),
        ],
    );
    // The trace's own `files` says the same.
    assert_eq!(c.legacy.files[0].lost_after_reader_stopped, 30);
    assert_eq!(c.native.files[0].lost_after_reader_stopped, 0);
}

#[test]
fn without_a_deletion_there_is_no_shutdown_to_compare() {
    let c = run(&corpus("001-seed001-deployment-fixed.yaml"), "");
    not_applicable(&c, FindingKind::Shutdown, "delete it at some time");
    let completion = finding(&c, FindingKind::Completion);
    check(
        &c,
        completion,
        &[
            ("phase", json!("Running"), json!("Running")),
            ("at", Value::Null, Value::Null),
        ],
    );
    assert!(completion.sentence.contains("restartPolicy Always"));
}

// ---------------------------------------------------------------- seed 001: the Job

#[test]
fn job_with_a_legacy_sidecar_never_completes() {
    let c = run(&corpus("002-seed001-job-fixed.yaml"), "");
    assert_eq!(c.converted_from, Variant::Native);
    let completion = finding(&c, FindingKind::Completion);
    // Native: the job's container is done at 3.5 s; the shipper (`tail -F`, PID 1, ignores SIGTERM)
    // is stopped at 4 s and SIGKILLed 30 s later, then the pod is Succeeded (R62, R70).
    check(
        &c,
        completion,
        &[
            ("phase", json!("Running"), json!("Succeeded")),
            ("at", Value::Null, json!(34.0)),
            ("runningAtEnd", json!(["logshipper"]), json!([])),
        ],
    );
    assert!(
        completion
            .sentence
            .starts_with("completion: a Job with a legacy sidecar never completes"),
        "{}",
        completion.sentence
    );
    // The callout's halves, each with the moments of its own trace that prove it.
    assert_eq!(
        completion.title,
        "A Job with a legacy sidecar never completes"
    );
    let what = |side: &podlife::compare::Side| -> Vec<(f64, String)> {
        side.moments.iter().map(|m| (m.t, m.what.clone())).collect()
    };
    assert_eq!(what(&completion.sides.native), [(34.0, "Succeeded".into())]);
    let legacy_end = completion.legacy["end"]
        .as_f64()
        .expect("the legacy run's end");
    assert_eq!(
        what(&completion.sides.legacy),
        [(legacy_end, "still Running: \"logshipper\" runs on".into())]
    );
    assert!(completion.sides.native.text.starts_with("Succeeded at 34"));
    // What the converter says of its legacy text: where the shipper went, and that it keeps the Job
    // from completing (R93), placed at the shipper in the converted text.
    assert_eq!(c.moved.len(), 1);
    assert_eq!(
        (c.moved[0].from.as_str(), c.moved[0].to.as_str()),
        ("initContainers[0]", "containers[1]")
    );
    let never = c
        .suggestions
        .iter()
        .find(|d| d.message.contains("never completes"))
        .expect("a suggestion that the legacy Job never completes");
    let line = c
        .legacy_yaml
        .lines()
        .nth(never.span.start.line as usize - 1)
        .unwrap();
    assert!(
        line.contains("name: logshipper"),
        "placed at the shipper: {line}"
    );
    assert!(completion.sentence.contains(&completion.sides.legacy.text));
    check(
        &c,
        finding(&c, FindingKind::Shutdown),
        &[
            ("appExited", json!(2.5), json!(3.5)),
            ("sidecarStopRequested", Value::Null, json!(4.0)),
            ("sidecarExited", Value::Null, json!(34.0)),
            ("sidecarStoppedAfterAppExited", Value::Null, json!(true)),
        ],
    );
    check(
        &c,
        finding(&c, FindingKind::Data),
        &[
            ("written", json!(1), json!(1)),
            ("readBySidecar", json!(1), json!(1)),
            ("lostAfterReaderStopped", json!(0), json!(0)),
        ],
    );
}

/// The shipper crashes 10 s after each start (exit 1) in a Job with restartPolicy Never whose app runs
/// 30 s. Legacy: the crashed sidecar is never restarted and its exit code fails the pod (R93); native:
/// a sidecar is always restarted (R52) and the Job succeeds.
#[test]
fn a_crashing_sidecar_under_never() {
    let text = corpus("002-seed001-job-fixed.yaml")
        .replace(
            "  template:\n    spec:",
            "  template:\n    metadata:\n      annotations:\n        podlife.dev/behaviour.logshipper: \"run=10s; exit=1\"\n    spec:",
        )
        .replace(
            "'echo \"logging\" > /opt/logs.txt'",
            "'echo \"logging\" > /opt/logs.txt; sleep 30'",
        );
    assert!(text.contains("run=10s") && text.contains("sleep 30"));
    let c = run(&text, "");
    let restarts = finding(&c, FindingKind::Restarts);
    check(
        &c,
        restarts,
        &[
            ("kind", json!("regular container"), json!("native sidecar")),
            ("restartPolicy", json!("Never"), json!("Never")),
            (
                "exits",
                json!([{"t": 13.0, "exitCode": 1}]),
                json!([{"t": 12.5, "exitCode": 1}, {"t": 23.5, "exitCode": 1}]),
            ),
            ("restarts", json!(0), json!(1)),
            ("phase", json!("Failed"), json!("Succeeded")),
            ("phaseAt", json!(32.5), json!(33.5)),
        ],
    );
    assert_eq!(restarts.times, [12.5, 13.0, 23.5]);
    assert!(restarts.sentence.contains("never restarted"));
}

// ---------------------------------------------------------------- seed 004: fluentd

#[test]
fn fluentd_deployment_deleted_at_20s() {
    let c = run(
        &corpus("006-seed004-app-with-sidecar-deployment.yaml"),
        "delete-at=20s",
    );
    assert_eq!(c.converted_from, Variant::Legacy);
    assert_eq!(c.sidecars, ["sidecar-log-shipper"]);
    assert!(c.native_yaml.contains("restartPolicy: Always"));
    check(
        &c,
        finding(&c, FindingKind::Startup),
        &[
            ("appStarted", json!(2.5), json!(5.0)),
            ("sidecarReady", json!(4.5), json!(2.5)),
            ("appLeadOverSidecarReady", json!(2.0), json!(-2.5)),
        ],
    );
    // fluentd flushes for 1 s and exits on SIGTERM; the app's shell loop ignores it until SIGKILL.
    let shutdown = finding(&c, FindingKind::Shutdown);
    check(
        &c,
        shutdown,
        &[
            ("sidecarStopRequested", json!(20.0), json!(50.0)),
            ("sidecarExited", json!(21.0), json!(51.0)),
            ("appExited", json!(50.0), json!(50.0)),
            ("appWithoutSidecarSeconds", json!(29.0), json!(0.0)),
        ],
    );
    assert!(shutdown.sentence.contains("the app ran 29 s without it"));
    check(
        &c,
        finding(&c, FindingKind::Completion),
        &[("at", json!(50.0), json!(51.0))],
    );
    // fluentd reads files itself; podlife does not model that, so there is no count to give.
    not_applicable(&c, FindingKind::Data, "not modelled");
}

#[test]
fn fluentd_job_with_a_legacy_sidecar_never_completes() {
    let c = run(&corpus("008-seed004-job-with-sidecar.yaml"), "");
    assert_eq!(c.converted_from, Variant::Native);
    check(
        &c,
        finding(&c, FindingKind::Completion),
        &[
            ("phase", json!("Running"), json!("Succeeded")),
            ("at", Value::Null, json!(7.0)),
            ("runningAtEnd", json!(["sidecar-log-shipper"]), json!([])),
        ],
    );
}

// ---------------------------------------------------------------- Envoy, Istio

#[test]
fn envoy_with_a_startup_probe_deleted_at_20s() {
    let c = run(
        &corpus("009-envoy-sidecar-with-startup-probe.yaml"),
        "delete-at=20s",
    );
    assert_eq!(c.sidecars, ["envoy"]);
    // Legacy: Envoy is the first container, and the kubelet starts the next one without waiting for
    // its startup probe; it still comes first because the images are pulled one after the other.
    // Its readiness attempt comes with the sync after the one that pulls and starts the app (R37);
    // native, with the sync its startup probe's success asks for.
    check(
        &c,
        finding(&c, FindingKind::Startup),
        &[
            ("appStarted", json!(4.5), json!(6.0)),
            ("sidecarStarted", json!(4.0), json!(4.0)),
            ("sidecarReady", json!(4.5), json!(4.0)),
        ],
    );
    // Both exit at once on SIGTERM; only the order at 20 s differs.
    check(
        &c,
        finding(&c, FindingKind::Shutdown),
        &[
            ("sidecarStopRequested", json!(20.0), json!(20.0)),
            ("sidecarStoppedAfterAppExited", json!(false), json!(true)),
            ("appWithoutSidecarSeconds", json!(0.0), json!(0.0)),
        ],
    );
}

#[test]
fn istio_style_proxy_deleted_at_20s() {
    let c = run(&corpus("012-istio-style-proxy.yaml"), "delete-at=20s");
    assert_eq!(c.sidecars, ["istio-proxy"]);
    check(
        &c,
        finding(&c, FindingKind::Startup),
        &[
            ("appStarted", json!(5.0), json!(7.0)),
            ("sidecarStarted", json!(5.0), json!(5.0)),
        ],
    );
    check(
        &c,
        finding(&c, FindingKind::Shutdown),
        &[("sidecarStoppedAfterAppExited", json!(false), json!(true))],
    );
    // istio-init only sets up iptables: it runs the same in both.
    not_applicable(
        &c,
        FindingKind::InitContainers,
        "runs the same in both variants",
    );
}

/// Istio's `holdApplicationUntilProxyStarts` for a legacy proxy: first in `containers`, with a
/// blocking postStart. podlife runs a postStart exec at once against the world as it is when the hook
/// starts, so `pilot-agent wait` (or a loop polling the proxy's own port) would never return; a fixed
/// 3 s wait stands in for it here.
#[test]
fn a_poststart_hold_keeps_the_legacy_app_back_until_the_proxy_started() {
    let text = r#"apiVersion: v1
kind: Pod
metadata:
  name: reviews
spec:
  initContainers:
  - name: istio-init
    image: docker.io/istio/proxyv2:1.23.2
    args: ["istio-iptables", "-p", "15001"]
  containers:
  - name: istio-proxy
    image: docker.io/istio/proxyv2:1.23.2
    args: ["proxy", "sidecar"]
    lifecycle:
      postStart:
        exec:
          command: ["sleep", "3"]
    readinessProbe:
      httpGet:
        path: /healthz/ready
        port: 15021
      periodSeconds: 15
  - name: reviews
    image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.1
"#;
    let c = run(text, "delete-at=20s");
    assert_eq!(c.converted_from, Variant::Legacy);
    // The app starts after the proxy is started in both (legacy: R28 blocks the next container; native:
    // R23 waits for the postStart too). The proxy's readiness is probed at the first sync that finds
    // it started (R37), not at its 15 s tick: native at 6 s; legacy at 8 s, once the sync that pulls
    // and starts the app is over.
    check(
        &c,
        finding(&c, FindingKind::Startup),
        &[
            ("appStarted", json!(8.0), json!(8.0)),
            ("sidecarStarted", json!(6.0), json!(6.0)),
            ("sidecarReady", json!(8.0), json!(6.0)),
            ("appStartedBeforeSidecarStarted", json!(false), json!(false)),
            ("appStartedBeforeSidecarReady", json!(false), json!(false)),
        ],
    );
}

// ---------------------------------------------------------------- init containers that need the proxy

#[test]
fn init_wait_for_db_has_no_sidecar_to_compare() {
    let errors = compare(&corpus("011-init-wait-for-db.yaml"), &options(""), &[])
        .expect_err("a pod without a sidecar has nothing to compare");
    assert!(
        errors
            .iter()
            .any(|d| d.message.contains("nothing to convert")),
        "{errors:?}"
    );
}

/// Seed 002's init-db wait with the database reached through a Cloud SQL proxy on localhost: a legacy
/// proxy starts only after every init container (R91), so the wait never ends; a native proxy declared
/// before it serves it.
#[test]
fn init_containers_can_only_use_a_native_proxy() {
    let text = r#"apiVersion: v1
kind: Pod
metadata:
  name: orders
spec:
  initContainers:
  - name: wait-for-db
    image: busybox:1.36
    command: ['sh', '-c', 'until nc -z localhost 5432; do echo waiting for db; sleep 2; done']
  - name: migrate
    image: ghcr.io/example/orders-migrate:4.0.2
    command: ["/migrate", "up"]
  containers:
  - name: orders
    image: ghcr.io/example/orders:4.0.2
  - name: cloud-sql-proxy
    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0
    command: ["/cloud-sql-proxy", "--port=5432", "my-project:europe-west1:orders"]
"#;
    let c = run(text, "");
    assert_eq!(c.sidecars, ["cloud-sql-proxy"]);
    let inits: Vec<&Finding> = c
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::InitContainers)
        .collect();
    assert_eq!(inits.len(), 2, "{}", sentences(&c));
    check(
        &c,
        inits[0],
        &[
            ("initContainer", json!("wait-for-db"), json!("wait-for-db")),
            ("callsLocalhost", json!(true), json!(true)),
            (
                "sidecarsRunningBeside",
                json!([]),
                json!(["cloud-sql-proxy"]),
            ),
            ("completed", Value::Null, json!(5.0)),
            ("runningAtEnd", json!(true), json!(false)),
        ],
    );
    check(
        &c,
        inits[1],
        &[
            ("initContainer", json!("migrate"), json!("migrate")),
            ("started", Value::Null, json!(8.0)),
            ("completed", Value::Null, json!(9.0)),
        ],
    );
    assert!(inits[1]
        .sentence
        .contains("\"wait-for-db\" before it never completed"));
    check(
        &c,
        finding(&c, FindingKind::Startup),
        &[("appStarted", Value::Null, json!(11.0))],
    );
}

// ---------------------------------------------------------------- resources (R94)

#[test]
fn pod_requests_follow_r94_in_both_variants() {
    let text = r#"apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: migrate
        image: ghcr.io/example/migrate:1.0
        command: ["sh", "-c", "until nc -z localhost 5432; do sleep 1; done"]
        resources:
          requests:
            cpu: 500m
            memory: 256Mi
      containers:
      - name: report
        image: ghcr.io/example/report:1.0
        command: ["sh", "-c", "sleep 5"]
        resources:
          requests:
            cpu: "0.2"
            memory: 128Mi
      - name: cloud-sql-proxy
        image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0
        command: ["/cloud-sql-proxy", "--port=5432", "project:region:db"]
        resources:
          requests:
            cpu: 100m
          limits:
            memory: 64Mi
"#;
    let c = run(text, "");
    // Legacy: max(migrate alone 500m/256Mi, report + proxy 300m/192Mi). Native: the proxy runs beside
    // migrate: max(100m+500m / 64Mi+256Mi, 300m/192Mi). The proxy's memory request is its limit.
    let resources = finding(&c, FindingKind::Resources);
    check(
        &c,
        resources,
        &[
            ("cpu", json!("500m"), json!("600m")),
            ("memory", json!("256Mi"), json!("320Mi")),
        ],
    );
    // The hand-built tree is the very object serde writes for the requests.
    let requests = |v: &podlife::json::Value| as_serde(v)["requests"].clone();
    for (variant, trace) in [("legacy", &c.legacy_yaml), ("native", &c.native_yaml)] {
        let loaded = podlife::load(trace);
        let pod = &loaded.workloads[0].workload.pod;
        let kinds = if variant == "legacy" {
            &c.legacy
        } else {
            &c.native
        };
        let members = podlife::compare::resources::members(pod, |name| {
            kinds
                .containers
                .iter()
                .find(|k| k.name == name)
                .map(|k| k.kind)
        });
        let computed = podlife::compare::resources::pod_requests(&members);
        let value = if variant == "legacy" {
            &resources.legacy
        } else {
            &resources.native
        };
        assert_eq!(
            requests(value),
            serde_json::to_value(&computed).unwrap(),
            "{variant}"
        );
    }
    assert_eq!(
        as_serde(&resources.legacy)["requests"]["longRunning"]["cpuMillicores"],
        json!(300)
    );
    assert_eq!(
        as_serde(&resources.native)["requests"]["effectiveInit"]["memoryBytes"],
        json!(320u64 << 20)
    );
    assert!(resources
        .sentence
        .contains("native needs more cpu, native needs more memory"));
    // And the Job: legacy never gets past its init container; native succeeds once the report is done.
    check(
        &c,
        finding(&c, FindingKind::Completion),
        &[("phase", json!("Pending"), json!("Succeeded"))],
    );
}

#[test]
fn fluent_bit_requests_are_the_same_both_ways() {
    let c = run(&corpus("010-fluent-bit-sidecar.yaml"), "");
    let resources = finding(&c, FindingKind::Resources);
    check(
        &c,
        resources,
        &[
            ("cpu", json!("20m"), json!("20m")),
            ("memory", json!("32Mi"), json!("32Mi")),
        ],
    );
    assert!(resources.sentence.contains("the same"));
}

// ---------------------------------------------------------------- the JSON form

#[test]
fn the_comparison_is_versioned_json_with_both_traces() {
    let c = run(&corpus("002-seed001-job-fixed.yaml"), "");
    let v = serde_json::to_value(&c).expect("JSON");
    assert_eq!(v["format"], "podlife.compare/v1");
    assert_eq!(v["kubernetesVersion"], "1.36");
    assert_eq!(v["convertedFrom"], "native");
    assert_eq!(v["legacy"]["format"], "podlife.trace/v1");
    assert_eq!(v["native"]["outcome"]["phase"], "Succeeded");
    assert!(v["legacyYaml"]
        .as_str()
        .is_some_and(|y| y.contains("- name: logshipper")));
    assert!(v["nativeYaml"]
        .as_str()
        .is_some_and(|y| y.contains("restartPolicy: Always")));
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "startup",
            "shutdown",
            "completion",
            "restarts",
            "initContainers",
            "resources",
            "data"
        ]
    );
    for f in v["findings"].as_array().into_iter().flatten() {
        for key in [
            "applicable",
            "legacy",
            "native",
            "sentence",
            "times",
            "rules",
        ] {
            assert!(f.get(key).is_some(), "a finding without {key}: {f}");
        }
    }
}

/// The legacy trick for Jobs: the app touches a file and the sidecar exits when it sees it. The
/// finding is computed, not assumed: here the legacy Job completes too.
#[test]
fn a_legacy_sidecar_told_to_quit_lets_the_job_complete() {
    let text = r#"apiVersion: batch/v1
kind: Job
metadata:
  name: myjob
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: myjob
        image: alpine:latest
        command: ["sh", "-c", "echo logging > /opt/logs.txt; touch /opt/quit"]
        volumeMounts:
        - name: data
          mountPath: /opt
      - name: logshipper
        image: alpine:latest
        command: ["sh", "-c", "tail -F /opt/logs.txt & until [ -f /opt/quit ]; do sleep 1; done"]
        volumeMounts:
        - name: data
          mountPath: /opt
      volumes:
      - name: data
        emptyDir: {}
"#;
    let c = run(text, "");
    let completion = finding(&c, FindingKind::Completion);
    check(
        &c,
        completion,
        &[("phase", json!("Succeeded"), json!("Succeeded"))],
    );
    assert!(
        !completion.sentence.contains("never completes"),
        "{}",
        completion.sentence
    );
}

#[test]
fn a_pod_that_ends_only_because_it_was_deleted_is_not_said_to_complete() {
    let c = run(&corpus("002-seed001-job-fixed.yaml"), "delete-at=10s");
    let completion = finding(&c, FindingKind::Completion);
    // Legacy: the shipper kept the Job running until the deletion; native: the Job had completed by
    // itself at 3.5 s, before the deletion, and its pod ends Succeeded.
    assert!(
        completion
            .sides
            .legacy
            .text
            .ends_with("only because the pod was deleted at 10 s"),
        "{}",
        completion.sentence
    );
    assert!(
        !completion.sides.native.text.contains("deleted"),
        "{}",
        completion.sentence
    );
}

/// The page compares beside the simulation it already shows (`compare_simulated`): the written
/// variant is that trace, shared rather than simulated twice, and the comparison is the one
/// `compare` computes from the text alone, for a legacy and for a native manifest.
#[test]
fn a_comparison_beside_the_simulation_is_the_comparison_of_the_text() {
    for (file, scenario) in [
        (
            "006-seed004-app-with-sidecar-deployment.yaml",
            "delete-at=20s",
        ),
        ("003-seed002-sidecar-example-pod.yaml", ""),
        ("008-seed004-job-with-sidecar.yaml", ""),
        ("009-envoy-sidecar-with-startup-probe.yaml", "delete-at=15s"),
    ] {
        let text = corpus(file);
        let opts = options(scenario);
        let (simulated, _) = podlife::simulate_manifest(&text, &opts).expect("it simulates");
        let simulated = std::rc::Rc::new(simulated);
        let beside = podlife::compare::compare_simulated(&text, &opts, &[], simulated.clone())
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        let alone = run(&text, scenario);
        assert_eq!(beside, alone, "{file}");
        let written = match beside.converted_from {
            Variant::Legacy => &beside.legacy,
            Variant::Native => &beside.native,
        };
        assert!(std::rc::Rc::ptr_eq(written, &simulated), "{file}");
    }
}
