//! `podlife::convert` on the seeds' scenarios and the corpus: each manifest converted between legacy and
//! native sidecars, with the moved containers, their places and reasons, the suggestions, a clean
//! `check` of the result, and the round trip legacy → native → legacy byte for byte. Manifests written
//! for these tests are in `tests/corpus/convert/`.

use std::path::{Path, PathBuf};

use podlife::convert::{convert, Conversion, Direction, SidecarRole};
use podlife::version::Gate;
use podlife::{CheckOptions, Diagnostic, KubeVersion, Severity};
use proptest::prelude::*;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn read(relative: &str) -> String {
    let path = corpus().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `# k8s:` and `# pick:` lines of a corpus header.
fn options_of(text: &str) -> CheckOptions {
    let mut options = CheckOptions::default();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(v) = line.strip_prefix("# k8s:") {
            options.k8s = v.trim().parse().expect("a version");
        }
        if let Some(v) = line.strip_prefix("# pick:") {
            options.pick = Some(v.trim().to_string());
        }
    }
    options
}

/// The text after the header's `#` lines.
fn body(text: &str) -> String {
    text.split_inclusive('\n')
        .skip_while(|l| l.starts_with('#'))
        .collect()
}

fn describe(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{} {:?} {}",
                d.span.start.line,
                d.span.start.column,
                d.severity,
                d.headline()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Converts, failing loudly with the diagnostics; the result must pass `check` with no error.
fn converted(text: &str, direction: Direction, sidecars: &[&str]) -> Conversion {
    converted_with(text, direction, sidecars, &options_of(text))
}

fn converted_with(
    text: &str,
    direction: Direction,
    sidecars: &[&str],
    options: &CheckOptions,
) -> Conversion {
    let names: Vec<String> = sidecars.iter().map(|s| s.to_string()).collect();
    let c = convert(text, direction, &names, options).unwrap_or_else(|e| {
        panic!(
            "{direction:?} {sidecars:?} failed:\n{}\n\n{text}",
            describe(&e)
        )
    });
    let report = podlife::check(&c.yaml, options);
    assert!(
        !report.has_errors(),
        "the converted manifest does not pass check:\n{}\n\n{}",
        describe(&report.diagnostics),
        c.yaml
    );
    for s in &c.suggestions {
        assert_eq!(s.severity, Severity::Warning, "{s:?}");
        assert!(
            (s.span.start.line as usize) <= c.yaml.lines().count() && s.span.start.line >= 1,
            "suggestion outside the converted text: {s:?}"
        );
    }
    c
}

fn refused(text: &str, direction: Direction, sidecars: &[&str]) -> Vec<Diagnostic> {
    let names: Vec<String> = sidecars.iter().map(|s| s.to_string()).collect();
    match convert(text, direction, &names, &options_of(text)) {
        Ok(c) => panic!(
            "{direction:?} {sidecars:?} should be refused, gave:\n{}",
            c.yaml
        ),
        Err(e) => {
            assert!(!e.is_empty());
            assert!(e.iter().all(|d| d.severity == Severity::Error), "{e:?}");
            e
        }
    }
}

fn moved_names(c: &Conversion) -> Vec<&str> {
    c.moved.iter().map(|m| m.name.as_str()).collect()
}

fn opposite(direction: Direction) -> Direction {
    match direction {
        Direction::ToNative => Direction::ToLegacy,
        Direction::ToLegacy => Direction::ToNative,
    }
}

/// Converts the result back, moving the same containers.
fn back(text: &str, c: &Conversion, direction: Direction) -> Conversion {
    converted_with(
        &c.yaml,
        opposite(direction),
        &moved_names(c),
        &options_of(text),
    )
}

/// The line of the converted text a suggestion points at.
fn line_of<'a>(yaml: &'a str, d: &Diagnostic) -> &'a str {
    yaml.lines()
        .nth(d.span.start.line as usize - 1)
        .unwrap_or_default()
}

fn suggestion<'a>(c: &'a Conversion, path: &str, words: &str) -> &'a Diagnostic {
    c.suggestions
        .iter()
        .find(|d| d.path == path && d.message.contains(words))
        .unwrap_or_else(|| {
            panic!(
                "no suggestion at {path} saying {words:?}:\n{}",
                describe(&c.suggestions)
            )
        })
}

// ---- The seeds' scenarios ----

#[test]
fn seed001_deployment_native_log_shipper_goes_last_in_containers_and_back() {
    let native = read("good/001-seed001-deployment-fixed.yaml");
    let legacy = read("convert/legacy-log-shipper-deployment.yaml");
    let c = converted(&native, Direction::ToLegacy, &[]);
    assert_eq!(c.moved.len(), 1);
    let m = &c.moved[0];
    assert_eq!(
        (m.name.as_str(), m.from.as_str(), m.to.as_str()),
        ("logshipper", "initContainers[0]", "containers[1]")
    );
    assert_eq!(m.role, SidecarRole::Logs);
    assert!(
        m.reason.contains("placed last in containers"),
        "{}",
        m.reason
    );
    assert!(m.reason.contains("R92"), "{}", m.reason);
    // The result is the legacy manifest of tests/corpus/convert, byte for byte.
    assert_eq!(body(&c.yaml), body(&legacy));

    let n = converted(&legacy, Direction::ToNative, &[]);
    assert_eq!(n.detected.len(), 1);
    assert_eq!(n.detected[0].name, "logshipper");
    assert!(
        n.detected[0]
            .reason
            .contains("runs `tail -F /opt/logs.txt`"),
        "{}",
        n.detected[0].reason
    );
    assert!(n.detected[0].reason.contains("ships logs"));
    assert_eq!(n.moved[0].to, "initContainers[0]");
    assert!(n.moved[0].reason.contains("log shipper"));
    assert!(n.moved[0].reason.contains("R71"));
    assert!(n.yaml.contains(
        "      initContainers:\n        - name: logshipper\n          image: alpine:latest\n          restartPolicy: Always\n          command: \n"
    ), "{}", n.yaml);
    assert!(n.suggestions.is_empty(), "{}", describe(&n.suggestions));
    assert_eq!(back(&legacy, &n, Direction::ToNative).yaml, legacy);
}

#[test]
fn seed001_job_legacy_log_shipper_becomes_native_and_back() {
    let native = read("good/002-seed001-job-fixed.yaml");
    let legacy = read("convert/legacy-log-shipper-job.yaml");
    let l = converted(&native, Direction::ToLegacy, &[]);
    assert_eq!(body(&l.yaml), body(&legacy));
    let never = suggestion(&l, "spec.template.spec.containers[1]", "never completes");
    assert!(never.message.contains("R93"));
    assert!(line_of(&l.yaml, never).contains("- name: logshipper"));

    let n = converted(&legacy, Direction::ToNative, &[]);
    assert_eq!(moved_names(&n), ["logshipper"]);
    assert_eq!(
        (n.moved[0].from.as_str(), n.moved[0].to.as_str()),
        ("containers[1]", "initContainers[0]")
    );
    // The Job now completes: check no longer warns that it never does.
    let report = podlife::check(&n.yaml, &options_of(&legacy));
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("never complete")),
        "{}",
        describe(&report.diagnostics)
    );
    assert_eq!(back(&legacy, &n, Direction::ToNative).yaml, legacy);
}

#[test]
fn seed002_fluentd_log_collector_becomes_the_only_init_container() {
    let legacy = read("good/003-seed002-sidecar-example-pod.yaml");
    let n = converted(&legacy, Direction::ToNative, &[]);
    assert_eq!(n.detected.len(), 1);
    assert_eq!(n.detected[0].name, "log-collector");
    assert_eq!(
        n.detected[0].reason,
        "image `fluentd` is a log shipper; its name (`log-collector`) says it ships logs"
    );
    assert_eq!(n.moved[0].to, "initContainers[0]");
    assert!(n.yaml.contains("spec:\n  initContainers:\n    - name: log-collector\n      image: fluentd:latest\n      restartPolicy: Always\n      volumeMounts:\n"), "{}", n.yaml);
    assert_eq!(back(&legacy, &n, Direction::ToNative).yaml, legacy);
    assert!(refused(&legacy, Direction::ToLegacy, &[])[0]
        .message
        .contains("no native sidecar"));
}

#[test]
fn seed002_init_db_wait_has_nothing_to_convert_and_says_what_was_looked_for() {
    for file in [
        "good/004-seed002-init-container-example-pod.yaml",
        "good/011-init-wait-for-db.yaml",
    ] {
        let text = read(file);
        let e = refused(&text, Direction::ToNative, &[]);
        assert!(
            e[0].message.contains("nothing to convert")
                && e[0].message.contains("single container"),
            "{file}: {}",
            describe(&e)
        );
        let e = refused(&text, Direction::ToLegacy, &[]);
        assert!(
            e[0].message.contains("no native sidecar")
                && e[0].message.contains("restartPolicy: Always"),
            "{file}: {}",
            describe(&e)
        );
    }
    let text = read("good/011-init-wait-for-db.yaml");
    let e = refused(&text, Direction::ToNative, &["wait-for-db"]);
    assert!(
        e[0].message.contains("is an init container"),
        "{}",
        describe(&e)
    );
    assert_eq!(e[0].path, "spec.initContainers[0]");
    let e = refused(&text, Direction::ToNative, &["orders"]);
    assert!(
        e[0].message.contains("at least one regular container"),
        "{}",
        describe(&e)
    );
    let e = refused(&text, Direction::ToLegacy, &["migrate"]);
    assert!(
        e[0].message.contains("not a native sidecar"),
        "{}",
        describe(&e)
    );
}

#[test]
fn seed003_tail_f_sidecar_is_detected_by_command_and_name() {
    let legacy = read("good/005-seed003-sidecar-demo-pod.yaml");
    let n = converted(&legacy, Direction::ToNative, &[]);
    assert_eq!(n.detected.len(), 1);
    let d = &n.detected[0];
    assert_eq!(d.name, "log-sidecar");
    assert!(
        d.reason.contains("runs `tail -f /var/log/access.log`"),
        "{}",
        d.reason
    );
    assert!(
        d.reason.contains("its name ends in -sidecar"),
        "{}",
        d.reason
    );
    assert_eq!(d.role, SidecarRole::Logs);
    assert!(n.yaml.contains("spec:\n  initContainers:\n  - name: log-sidecar\n    image: busybox\n    restartPolicy: Always\n    command: [\"sh\", \"-c\", \"tail -f /var/log/access.log\"]\n"), "{}", n.yaml);
    assert_eq!(back(&legacy, &n, Direction::ToNative).yaml, legacy);
}

#[test]
fn seed004_fluentd_deployment_and_envoy_deployment() {
    let legacy = read("good/006-seed004-app-with-sidecar-deployment.yaml");
    let n = converted(&legacy, Direction::ToNative, &[]);
    assert_eq!(moved_names(&n), ["sidecar-log-shipper"]);
    let reason = &n.detected[0].reason;
    assert!(
        reason.starts_with("image `fluent/fluentd` is a log shipper"),
        "{reason}"
    );
    assert!(reason.contains("its name starts with sidecar-"), "{reason}");
    assert_eq!(back(&legacy, &n, Direction::ToNative).yaml, legacy);

    let legacy = read("good/007-seed004-app-with-proxy-deployment.yaml");
    let n = converted(&legacy, Direction::ToNative, &[]);
    assert_eq!(moved_names(&n), ["sidecar-proxy"]);
    assert!(n.detected[0]
        .reason
        .starts_with("image `envoyproxy/envoy` is a proxy"));
    assert_eq!(n.moved[0].role, SidecarRole::Proxy);
    assert!(n.moved[0]
        .reason
        .contains("the app starts only after it has started"));
    let s = suggestion(
        &n,
        "spec.template.spec.initContainers[0]",
        "no startupProbe",
    );
    assert!(s.hint.as_deref().unwrap_or("").contains("R23"));
    assert!(line_of(&n.yaml, s).contains("- name: sidecar-proxy"));
    // Nothing waits for this Envoy (no startupProbe, no postStart): back to last, as written.
    assert_eq!(back(&legacy, &n, Direction::ToNative).yaml, legacy);
}

#[test]
fn seed004_job_native_fluentd_goes_legacy_and_the_job_would_never_complete() {
    let native = read("good/008-seed004-job-with-sidecar.yaml");
    let l = converted(&native, Direction::ToLegacy, &[]);
    assert_eq!(
        (l.moved[0].from.as_str(), l.moved[0].to.as_str()),
        ("initContainers[0]", "containers[1]")
    );
    assert!(!l.yaml.contains("initContainers"), "{}", l.yaml);
    assert!(!l.yaml.contains("restartPolicy: Always"), "{}", l.yaml);
    suggestion(
        &l,
        "spec.template.spec.containers[1]",
        "never completes (R93)",
    );
    // legacy → native → legacy from here is exact.
    let n = back(&native, &l, Direction::ToLegacy);
    assert_eq!(back(&native, &n, Direction::ToNative).yaml, l.yaml);
}

#[test]
fn envoy_with_a_startup_probe_goes_first_in_containers_and_loses_its_hold_on_the_app() {
    let native = read("good/009-envoy-sidecar-with-startup-probe.yaml");
    let l = converted(&native, Direction::ToLegacy, &[]);
    assert_eq!(l.moved[0].to, "containers[0]");
    assert!(l.moved[0].reason.contains("placed first in containers"));
    assert!(l.moved[0].reason.contains("R26") && l.moved[0].reason.contains("R90"));
    let s = suggestion(
        &l,
        "spec.template.spec.containers[0]",
        "nothing holds the app",
    );
    assert!(s.hint.as_deref().unwrap_or("").contains("pilot-agent wait"));
    assert_eq!(back(&native, &l, Direction::ToLegacy).yaml, native);
}

#[test]
fn fluent_bit_native_sidecar_goes_last_and_comes_back() {
    let native = read("good/010-fluent-bit-sidecar.yaml");
    let l = converted(&native, Direction::ToLegacy, &[]);
    assert_eq!(l.moved[0].to, "containers[1]");
    assert_eq!(l.moved[0].role, SidecarRole::Logs);
    assert_eq!(back(&native, &l, Direction::ToLegacy).yaml, native);
}

#[test]
fn istio_style_native_proxy_comes_back_after_istio_init() {
    let native = read("good/012-istio-style-proxy.yaml");
    let l = converted(&native, Direction::ToLegacy, &[]);
    assert_eq!(
        (l.moved[0].from.as_str(), l.moved[0].to.as_str()),
        ("initContainers[1]", "containers[0]")
    );
    let n = back(&native, &l, Direction::ToLegacy);
    assert_eq!(n.moved[0].to, "initContainers[1]");
    assert!(
        n.moved[0]
            .reason
            .contains("none of them makes network calls"),
        "{}",
        n.moved[0].reason
    );
    assert_eq!(n.yaml, native);
}

#[test]
fn istio_hold_application_until_proxy_starts_legacy_pod() {
    let legacy = read("convert/istio-hold-application-legacy.yaml");
    let n = converted(&legacy, Direction::ToNative, &[]);
    assert_eq!(n.detected.len(), 1);
    assert_eq!(
        n.detected[0].reason,
        "image `docker.io/istio/proxyv2` is a proxy; its name ends in -proxy"
    );
    let m = &n.moved[0];
    assert_eq!(
        (m.name.as_str(), m.from.as_str(), m.to.as_str()),
        ("istio-proxy", "containers[0]", "initContainers[1]")
    );
    let wait = suggestion(
        &n,
        "spec.initContainers[1].lifecycle.postStart",
        "`pilot-agent wait`",
    );
    assert!(
        wait.message.contains("holdApplicationUntilProxyStarts") && wait.message.contains("R90")
    );
    assert_eq!(line_of(&n.yaml, wait).trim(), "postStart:");
    let probe = suggestion(&n, "spec.initContainers[1]", "no startupProbe");
    assert!(probe
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("readinessProbe"));
    // Back: the postStart hook says the app waits for it, so it goes first again.
    let l = back(&legacy, &n, Direction::ToNative);
    assert_eq!(l.moved[0].to, "containers[0]");
    assert!(l.moved[0].reason.contains("a postStart hook"));
    assert_eq!(l.yaml, legacy);
}

#[test]
fn legacy_job_with_a_quit_file_trick() {
    let legacy = read("convert/legacy-job-quit-file.yaml");
    let n = converted(&legacy, Direction::ToNative, &[]);
    assert_eq!(moved_names(&n), ["log-shipper"]);
    let quit = suggestion(
        &n,
        "spec.template.spec.initContainers[0].command",
        "exits when `/logs/done` appears, which \"report\" creates",
    );
    assert!(quit.message.contains("R62") && quit.message.contains("R93"));
    assert_eq!(line_of(&n.yaml, quit).trim(), "- sh");
    assert_eq!(back(&legacy, &n, Direction::ToNative).yaml, legacy);
}

#[test]
fn comments_and_odd_indentation_are_kept_byte_for_byte() {
    let legacy = read("convert/comments-and-odd-indentation.yaml");
    let n = converted(&legacy, Direction::ToNative, &[]);
    let expected = "apiVersion: v1
kind: Pod
metadata:
  name: payments   # the app
  labels: {app: payments}
spec:
  terminationGracePeriodSeconds: 45
  # init containers: indented style, four spaces before the dash
  initContainers:
      # Envoy in front of the app; the preStop sleep keeps it up while the app drains
      - name: envoy
        image: envoyproxy/envoy:v1.31.2
        restartPolicy: Always
        args: [\"--config-path\", \"/etc/envoy/envoy.yaml\"]
        ports:
        - name: admin
          containerPort: 9901
        readinessProbe:
          httpGet:
            path: /ready
            port: admin
        lifecycle:
          preStop:
            exec:
              command: [\"sleep\", \"5\"]
        # config from a ConfigMap
        volumeMounts:
        - name: envoy-config
          mountPath: /etc/envoy
      # wait until the database answers
      - name: wait-for-db
        image: \"busybox:1.36\"
        command: ['sh', '-c', 'until nc -z db 5432; do echo waiting; sleep 2; done']
      - name: log-shipper   # ships /var/log/app
        image: 'fluent/fluent-bit:3.1'
        restartPolicy: Always
        args: [\"-i\", \"tail\", \"-p\", \"path=/var/log/app/*.log\", \"-o\", \"stdout\"]
        volumeMounts:
        - {name: logs, mountPath: /var/log/app, readOnly: true}

  # the app first, then its helpers (compact style)
  containers:
  - name: payments
    image: ghcr.io/example/payments:2.3.1   # pinned
    ports:
    - containerPort: 8080
  volumes:
  - name: envoy-config
    configMap:
      name: envoy-config
  - name: logs
    emptyDir: {}
";
    assert_eq!(body(&n.yaml), expected);
    let placed: Vec<(&str, &str, &str)> = n
        .moved
        .iter()
        .map(|m| (m.name.as_str(), m.from.as_str(), m.to.as_str()))
        .collect();
    assert_eq!(
        placed,
        [
            ("envoy", "containers[1]", "initContainers[0]"),
            ("log-shipper", "containers[2]", "initContainers[2]")
        ]
    );
    assert!(n.moved[0]
        .reason
        .contains("before init container \"wait-for-db\", which makes network calls (`nc`)"));
    assert!(n.moved[0].reason.contains("R91"));
    assert!(n.moved[1]
        .reason
        .contains("after the existing init containers"));
    let sleep = suggestion(&n, "spec.initContainers[0].lifecycle.preStop", "`sleep 5`");
    assert!(sleep.message.contains("R71"));
    assert_eq!(line_of(&n.yaml, sleep).trim(), "preStop:");
    suggestion(&n, "spec.initContainers[0]", "no startupProbe");
    assert_eq!(n.suggestions.len(), 2, "{}", describe(&n.suggestions));

    let l = back(&legacy, &n, Direction::ToNative);
    assert_eq!(l.yaml, legacy);
    // Going back, wait-for-db loses the proxy it could use.
    suggestion(&l, "spec.initContainers[0]", "could use it");
    assert!(
        l.moved[0].reason.contains("can no longer use it"),
        "{}",
        l.moved[0].reason
    );
}

// ---- Errors ----

#[test]
fn native_sidecars_need_1_29_unless_the_gate_is_on() {
    let legacy = read("convert/legacy-log-shipper-deployment.yaml");
    let on_1_28 = CheckOptions {
        k8s: KubeVersion::new(28),
        pick: None,
    };
    let e = convert(&legacy, Direction::ToNative, &[], &on_1_28)
        .expect_err("1.28 has no native sidecars");
    assert!(
        e[0].message.contains("1.28") && e[0].message.contains("SidecarContainers"),
        "{}",
        describe(&e)
    );
    assert_eq!(e[0].path, "spec.template.spec.containers");
    let gate_on = CheckOptions {
        k8s: KubeVersion::new(28)
            .with_gate(Gate::SidecarContainers)
            .expect("the gate exists in 1.28"),
        pick: None,
    };
    converted_with(&legacy, Direction::ToNative, &[], &gate_on);
    let on_1_29 = CheckOptions {
        k8s: KubeVersion::new(29),
        pick: None,
    };
    converted_with(&legacy, Direction::ToNative, &[], &on_1_29);
}

#[test]
fn input_that_fails_check_is_refused_with_its_own_errors() {
    let text = read("bad/001-seed001-deployment-trailing-comma.yaml");
    let options = options_of(&text);
    let e = convert(&text, Direction::ToLegacy, &[], &options).expect_err("an error in the input");
    let expected: Vec<Diagnostic> = podlife::check(&text, &options)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(e, expected);
}

#[test]
fn a_named_sidecar_that_does_not_exist_is_an_error_listing_the_containers() {
    let legacy = read("good/003-seed002-sidecar-example-pod.yaml");
    let e = refused(&legacy, Direction::ToNative, &["fluentbit"]);
    assert_eq!(
        e[0].message,
        "no container named \"fluentbit\" in containers"
    );
    assert!(e[0]
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("\"app-container\", \"log-collector\""));
    assert_eq!(e[0].span.start.line, 8, "at the `containers:` key");
    let native = read("good/009-envoy-sidecar-with-startup-probe.yaml");
    let e = refused(&native, Direction::ToLegacy, &["shop"]);
    assert!(
        e[0].message.contains("already a regular container"),
        "{}",
        describe(&e)
    );
}

#[test]
fn an_explicit_choice_moves_a_container_detection_would_not_pick() {
    let text = read("good/018-probes-every-handler.yaml");
    let e = refused(&text, Direction::ToNative, &[]);
    assert!(
        e[0].message.contains("tail -f"),
        "says what was looked for: {}",
        describe(&e)
    );
    let n = converted(&text, Direction::ToNative, &["grpc-server"]);
    assert!(n.detected.is_empty());
    assert_eq!(n.moved[0].role, SidecarRole::Other);
    suggestion(&n, "spec.initContainers[0]", "no startupProbe");
    assert_eq!(back(&text, &n, Direction::ToNative).yaml, text);
}

#[test]
fn a_conversion_whose_result_would_fail_check_is_refused_loudly() {
    // The native sidecar and the app share a hostPort: allowed across init and regular containers,
    // refused between two regular containers (R17).
    let text = read("good/026-sidecar-and-app-share-host-port.yaml");
    let e = refused(&text, Direction::ToLegacy, &[]);
    assert!(
        e[0].message
            .starts_with("the converted manifest would not pass check: Duplicate value"),
        "{}",
        describe(&e)
    );
    assert_eq!(e[0].span.start.line, 9, "at the sidecar in the input");
}

// ---- Round trips over the corpus ----

/// Native manifests whose native → legacy → native is not the original text, and why. legacy → native
/// → legacy from their legacy form is exact all the same.
const NATIVE_NOT_BYTE_EXACT: &[(&str, &str)] = &[
    ("good/001-seed001-deployment-fixed.yaml", "initContainers is written after containers; a new initContainers goes right before containers"),
    ("good/002-seed001-job-fixed.yaml", "initContainers is written after containers; a new initContainers goes right before containers"),
    ("good/008-seed004-job-with-sidecar.yaml", "initContainers is written after containers and restartPolicy; a new initContainers goes right before containers"),
    ("scenarios/e2e-node-reboot-with-sidecar.yaml", "the sidecar sits between two plain init containers that make no network calls; it comes back after them"),
    ("scenarios/e2e-restartable-init-serially.yaml", "sidecars interleaved with plain init containers come back after them"),
    ("scenarios/e2e-sidecar-exits-0-continuously.yaml", "the sidecar is declared before a plain init container that makes no network call; it comes back after it"),
];

/// Manifests that cannot be converted at all, and why.
const NOT_CONVERTIBLE: &[(&str, &str)] = &[(
    "good/026-sidecar-and-app-share-host-port.yaml",
    "Duplicate value",
)];

fn yaml_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(corpus().join(dir))
        .expect("corpus dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".yaml"))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    files.sort();
    files
}

#[test]
fn round_trip_is_byte_exact_for_every_example_with_a_sidecar() {
    let mut legacy_exact = Vec::new();
    let mut native_exact = Vec::new();
    let mut native_inexact = Vec::new();
    let mut refused_conversions = Vec::new();
    for file in ["good", "scenarios", "convert"]
        .iter()
        .flat_map(|d| yaml_files(d))
    {
        let text = read(&file);
        let options = options_of(&text);
        // Legacy originals: legacy → native → legacy.
        if let Ok(n) = convert(&text, Direction::ToNative, &[], &options) {
            let l = back(&text, &n, Direction::ToNative);
            assert_eq!(
                l.yaml, text,
                "{file}: legacy → native → legacy\nnative:\n{}",
                n.yaml
            );
            legacy_exact.push(file.clone());
        }
        // Native originals: native → legacy, then legacy → native → legacy from there.
        match convert(&text, Direction::ToLegacy, &[], &options) {
            Ok(l) => {
                let n = back(&text, &l, Direction::ToLegacy);
                let l2 = back(&text, &n, Direction::ToNative);
                assert_eq!(l2.yaml, l.yaml, "{file}: legacy → native → legacy");
                if n.yaml == text {
                    native_exact.push(file.clone());
                } else {
                    native_inexact.push(file.clone());
                }
            }
            Err(e) => {
                if e.iter().any(|d| d.message.contains("nothing to convert")) {
                    continue;
                }
                let known = NOT_CONVERTIBLE
                    .iter()
                    .find(|(f, _)| *f == file)
                    .unwrap_or_else(|| panic!("{file}: refused: {}", describe(&e)));
                assert!(e[0].message.contains(known.1), "{file}: {}", describe(&e));
                refused_conversions.push(file.clone());
            }
        }
    }
    let expected_inexact: Vec<String> = NATIVE_NOT_BYTE_EXACT
        .iter()
        .map(|(f, _)| f.to_string())
        .collect();
    assert_eq!(native_inexact, expected_inexact);
    assert_eq!(refused_conversions.len(), NOT_CONVERTIBLE.len());
    // Every legacy example of the seeds and of tests/corpus/convert takes part.
    for file in [
        "good/003-seed002-sidecar-example-pod.yaml",
        "good/005-seed003-sidecar-demo-pod.yaml",
        "good/006-seed004-app-with-sidecar-deployment.yaml",
        "good/007-seed004-app-with-proxy-deployment.yaml",
        "convert/comments-and-odd-indentation.yaml",
        "convert/istio-hold-application-legacy.yaml",
        "convert/legacy-job-quit-file.yaml",
        "convert/legacy-log-shipper-deployment.yaml",
        "convert/legacy-log-shipper-job.yaml",
    ] {
        assert!(
            legacy_exact.contains(&file.to_string()),
            "{file}: {legacy_exact:?}"
        );
    }
    assert!(native_exact.len() >= 19, "{native_exact:?}");
}

// ---- Never panics ----

const BASES: &[&str] = &[
    include_str!("../../../tests/corpus/convert/comments-and-odd-indentation.yaml"),
    include_str!("../../../tests/corpus/convert/istio-hold-application-legacy.yaml"),
    include_str!("../../../tests/corpus/convert/legacy-job-quit-file.yaml"),
    include_str!("../../../tests/corpus/good/001-seed001-deployment-fixed.yaml"),
    include_str!("../../../tests/corpus/good/012-istio-style-proxy.yaml"),
];

fn convert_every_way(text: &str, name: &str) {
    let options = CheckOptions::default();
    for direction in [Direction::ToNative, Direction::ToLegacy] {
        for sidecars in [vec![], vec![name.to_string()]] {
            if let Ok(c) = convert(text, direction, &sidecars, &options) {
                assert!(
                    !podlife::check(&c.yaml, &options).has_errors(),
                    "{}",
                    c.yaml
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn convert_never_panics_on_mutated_manifests(
        base in 0..BASES.len(),
        at in 0usize..3000,
        insert in "[ \\-:#\\[\\]{}'\"|>\n]{0,4}(name|restartPolicy: Always|initContainers:|containers:)?",
        delete in 0usize..12,
        name in prop_oneof![Just("envoy"), Just("istio-proxy"), Just("log-shipper"), Just("logshipper"), Just("nope")],
    ) {
        let chars: Vec<char> = BASES[base].chars().collect();
        let at = at % (chars.len() + 1);
        let mut edited: String = chars[..at].iter().collect();
        edited.push_str(&insert);
        edited.extend(chars[(at + delete).min(chars.len())..].iter());
        convert_every_way(&edited, name);
    }

    #[test]
    fn convert_never_panics_when_lines_are_reindented_or_dropped(
        base in 0..BASES.len(),
        line in 0usize..80,
        indent in 0usize..9,
        drop in any::<bool>(),
    ) {
        let mut lines: Vec<String> = BASES[base].lines().map(str::to_string).collect();
        let i = line % lines.len().max(1);
        if let Some(l) = lines.get_mut(i) {
            if drop {
                l.clear();
            } else {
                *l = format!("{}{}", " ".repeat(indent), l.trim_start());
            }
        }
        convert_every_way(&lines.join("\n"), "envoy");
    }
}

/// How `initContainers` stands before the sidecars move into it.
#[derive(Debug, Clone, Copy)]
enum InitList {
    Absent,
    InlineEmpty,
    /// One init container that makes network calls (a migration): proxies go before it.
    Migration,
    /// One init container that makes none: everything goes after it.
    Chown,
}

/// The items of a list in one layout: dashes `dash` columns in, keys `key_offset` after the dash, an
/// optional comment line above each item and blank lines between them.
struct Layout {
    dash: usize,
    key_offset: usize,
    comments: bool,
    blank_lines: bool,
}

impl Layout {
    fn items(&self, items: &[(String, &str)]) -> String {
        let pad = " ".repeat(self.dash);
        let key = " ".repeat(self.dash + self.key_offset);
        let after_dash = " ".repeat(self.key_offset - 1);
        let written: Vec<String> = items
            .iter()
            .map(|(name, image)| {
                let comment = if self.comments {
                    format!("{pad}# {name}\n")
                } else {
                    String::new()
                };
                format!("{comment}{pad}-{after_dash}name: {name}\n{key}image: {image}\n")
            })
            .collect();
        written.join(if self.blank_lines { "\n" } else { "" })
    }
}

/// A pod with an app and `sidecars` legacy sidecars (proxies, log shippers and collectors in turn)
/// after it, a worker among them after `worker_at` of them, written in `layout`.
fn pod_with_sidecars(
    sidecars: usize,
    worker_at: usize,
    layout: &Layout,
    init: InitList,
) -> (String, Vec<String>) {
    const IMAGES: [&str; 3] = [
        "envoyproxy/envoy:v1.31.2",
        "fluent/fluent-bit:3.1",
        "otel/opentelemetry-collector-contrib:0.104.0",
    ];
    let mut containers = vec![("app".to_string(), "ghcr.io/example/app:1")];
    let names: Vec<String> = (0..sidecars).map(|i| format!("sidecar-{i}")).collect();
    containers.extend(
        names
            .iter()
            .zip(IMAGES.iter().cycle())
            .map(|(n, i)| (n.clone(), *i)),
    );
    containers.insert(
        1 + worker_at.min(sidecars),
        ("worker".to_string(), "ghcr.io/example/worker:1"),
    );
    let init = match init {
        InitList::Absent => String::new(),
        InitList::InlineEmpty => "  initContainers: []   # none yet\n".to_string(),
        InitList::Migration => format!(
            "  initContainers:\n{}",
            layout.items(&[("migrate".into(), "ghcr.io/example/app-migrate:1")])
        ),
        InitList::Chown => format!(
            "  initContainers:\n{}",
            layout.items(&[("prepare".into(), "busybox:1.36")])
        ),
    };
    let text = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{init}  containers:\n{}  restartPolicy: Always\n",
        layout.items(&containers)
    );
    (text, names)
}

/// The containers `c` moved, moved again from `text` by one conversion each, in the order `c` moved
/// them (their source list's).
fn one_by_one(text: &str, direction: Direction, c: &Conversion) -> String {
    moved_names(c).iter().fold(text.to_string(), |text, name| {
        converted(&text, direction, &[name]).yaml
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// One conversion moves all its containers on the lists it read once; moving them one conversion
    /// at a time re-reads the text between moves. Both must write the same text, both ways.
    #[test]
    fn moving_many_sidecars_at_once_writes_what_moving_them_one_by_one_writes(
        sidecars in 1usize..9,
        worker_at in 0usize..9,
        dash in prop_oneof![Just(2usize), Just(4)],
        key_offset in 2usize..5,
        comments in any::<bool>(),
        blank_lines in any::<bool>(),
        init in prop_oneof![
            Just(InitList::Absent),
            Just(InitList::InlineEmpty),
            Just(InitList::Migration),
            Just(InitList::Chown),
        ],
    ) {
        let layout = Layout { dash, key_offset, comments, blank_lines };
        let (legacy, names) = pod_with_sidecars(sidecars, worker_at, &layout, init);
        let all: Vec<&str> = names.iter().map(String::as_str).collect();
        let native = converted(&legacy, Direction::ToNative, &all);
        prop_assert_eq!(native.moved.len(), names.len());
        prop_assert_eq!(&native.yaml, &one_by_one(&legacy, Direction::ToNative, &native));
        let back = converted(&native.yaml, Direction::ToLegacy, &all);
        prop_assert_eq!(&back.yaml, &one_by_one(&native.yaml, Direction::ToLegacy, &back));
    }
}
