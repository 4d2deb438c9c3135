//! The text edit on small manifests: each layout a learner may write (compact and indented lists, a
//! `-` alone on its line, blank lines between items, comments, CRLF, no final newline, `kind: List`,
//! several documents), each converted and converted back byte for byte.

use super::*;

fn options() -> CheckOptions {
    CheckOptions::default()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Converts, fails with the diagnostics when it cannot, and checks the result has no error.
fn ok(text: &str, direction: Direction, sidecars: &[&str]) -> Conversion {
    match convert(text, direction, &names(sidecars), &options()) {
        Ok(c) => {
            let report = crate::check(&c.yaml, &options());
            assert!(
                !report.has_errors(),
                "{:#?}\n{}",
                report.diagnostics,
                c.yaml
            );
            c
        }
        Err(e) => panic!("{direction:?} failed: {e:#?}\n{text}"),
    }
}

fn errors(text: &str, direction: Direction, sidecars: &[&str]) -> Vec<Diagnostic> {
    match convert(text, direction, &names(sidecars), &options()) {
        Ok(c) => panic!("{direction:?} should fail, gave:\n{}", c.yaml),
        Err(e) => e,
    }
}

/// legacy → native gives `native`, and native → legacy gives `legacy` back exactly.
fn both_ways(legacy: &str, native: &str, sidecars: &[&str]) {
    let to_native = ok(legacy, Direction::ToNative, sidecars);
    assert_eq!(to_native.yaml, native, "legacy → native");
    let to_legacy = ok(native, Direction::ToLegacy, sidecars);
    assert_eq!(to_legacy.yaml, legacy, "native → legacy");
}

#[test]
fn compact_lists_move_without_reindenting() {
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx\n  - name: log-sidecar\n    image: busybox\n    command: [\"sh\", \"-c\", \"tail -f /var/log/x\"]\n";
    let native = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: log-sidecar\n    image: busybox\n    restartPolicy: Always\n    command: [\"sh\", \"-c\", \"tail -f /var/log/x\"]\n  containers:\n  - name: app\n    image: nginx\n";
    both_ways(legacy, native, &[]);
}

#[test]
fn indented_lists_keep_their_indentation() {
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n    - name: envoy-proxy\n      image: envoyproxy/envoy:v1.31.2\n";
    let native = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: envoy-proxy\n      image: envoyproxy/envoy:v1.31.2\n      restartPolicy: Always\n  containers:\n    - name: app\n      image: nginx\n";
    both_ways(legacy, native, &[]);
}

#[test]
fn items_are_reindented_to_the_target_list_style() {
    // initContainers indented by 4 with keys 2 after the dash; containers compact.
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n      - name: setup\n        image: busybox\n        command: [\"true\"]\n  containers:\n  - name: app\n    image: nginx\n  - name: fluentd\n    image: fluentd:v1.16\n    volumeMounts:\n    - name: logs\n      mountPath: /logs\n  volumes:\n  - name: logs\n    emptyDir: {}\n";
    let native = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n      - name: setup\n        image: busybox\n        command: [\"true\"]\n      - name: fluentd\n        image: fluentd:v1.16\n        restartPolicy: Always\n        volumeMounts:\n        - name: logs\n          mountPath: /logs\n  containers:\n  - name: app\n    image: nginx\n  volumes:\n  - name: logs\n    emptyDir: {}\n";
    both_ways(legacy, native, &[]);
}

#[test]
fn a_dash_alone_on_its_line_is_kept() {
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  -\n    name: app\n    image: nginx\n  -\n    name: vector\n    image: timberio/vector:0.40.0-alpine\n";
    let native = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  -\n    name: vector\n    image: timberio/vector:0.40.0-alpine\n    restartPolicy: Always\n  containers:\n  -\n    name: app\n    image: nginx\n";
    both_ways(legacy, native, &[]);
}

#[test]
fn blank_lines_between_items_are_kept_as_separators() {
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx\n\n  - name: worker\n    image: ghcr.io/example/worker:1\n\n  - name: log-shipper\n    image: fluent/fluent-bit:3.1\n\n  volumes: []\n";
    let c = ok(legacy, Direction::ToNative, &[]);
    assert!(
        c.yaml
            .contains("    image: ghcr.io/example/worker:1\n\n  volumes: []\n"),
        "{}",
        c.yaml
    );
    let back = ok(&c.yaml, Direction::ToLegacy, &[]);
    assert_eq!(back.yaml, legacy);
}

#[test]
fn comments_attached_to_an_item_move_with_it_and_others_stay() {
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p # the pod\nspec:\n  # the containers\n  containers:\n  # the app\n  - name: app\n    image: nginx   # pinned later\n    # trailing note about the app\n  # the proxy, since 2023\n  - name: cloud-sql-proxy\n    # v2\n    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0\n    args: [\"--port=5432\", \"proj:region:db\"]   # the instance\n  # after the list\n  volumes: []\n";
    let c = ok(legacy, Direction::ToNative, &[]);
    let expected = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p # the pod\nspec:\n  initContainers:\n  # the proxy, since 2023\n  - name: cloud-sql-proxy\n    # v2\n    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0\n    restartPolicy: Always\n    args: [\"--port=5432\", \"proj:region:db\"]   # the instance\n  # the containers\n  containers:\n  # the app\n  - name: app\n    image: nginx   # pinned later\n    # trailing note about the app\n  # after the list\n  volumes: []\n";
    assert_eq!(c.yaml, expected);
    assert_eq!(ok(&c.yaml, Direction::ToLegacy, &[]).yaml, legacy);
}

#[test]
fn restart_policy_goes_after_the_leading_name_and_image() {
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx\n  - image: envoyproxy/envoy:v1.31.2\n    name: envoy\n    args: [\"-c\", \"/etc/envoy.yaml\"]\n";
    let c = ok(legacy, Direction::ToNative, &[]);
    assert!(c.yaml.contains("  - image: envoyproxy/envoy:v1.31.2\n    name: envoy\n    restartPolicy: Always\n    args:"), "{}", c.yaml);
    // A name not at the top: right after the name.
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx\n  - command: [\"sh\", \"-c\", \"tail -F /l/x\"]\n    name: tailer\n    image: busybox\n";
    let c = ok(legacy, Direction::ToNative, &["tailer"]);
    assert!(c.yaml.contains("  - command: [\"sh\", \"-c\", \"tail -F /l/x\"]\n    name: tailer\n    restartPolicy: Always\n    image: busybox\n"), "{}", c.yaml);
}

#[test]
fn restart_policy_as_the_first_key_gives_its_dash_to_the_next_key() {
    let native = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - restartPolicy: Always   # native\n    name: logshipper\n    image: busybox\n    command: ['sh', '-c', 'tail -F /opt/x']\n  containers:\n  - name: app\n    image: nginx\n";
    let c = ok(native, Direction::ToLegacy, &[]);
    assert_eq!(c.yaml, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx\n  - name: logshipper\n    image: busybox\n    command: ['sh', '-c', 'tail -F /opt/x']\n");
}

#[test]
fn an_inline_empty_init_list_is_filled() {
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers: []   # none yet\n  containers:\n  - name: app\n    image: nginx\n  - name: fluent-bit\n    image: fluent/fluent-bit:3.1\n";
    let c = ok(legacy, Direction::ToNative, &[]);
    assert_eq!(c.yaml, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:   # none yet\n  - name: fluent-bit\n    image: fluent/fluent-bit:3.1\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: nginx\n");
}

#[test]
fn crlf_and_a_missing_final_newline_are_kept() {
    let legacy = "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: nginx\r\n  - name: log-sidecar\r\n    image: busybox\r\n    command: [\"tail\", \"-F\", \"/x/y\"]";
    let c = ok(legacy, Direction::ToNative, &[]);
    assert!(c.yaml.contains("  initContainers:\r\n  - name: log-sidecar\r\n    image: busybox\r\n    restartPolicy: Always\r\n"), "{:?}", c.yaml);
    assert!(c.yaml.ends_with("    image: nginx"), "{:?}", c.yaml);
    assert_eq!(ok(&c.yaml, Direction::ToLegacy, &[]).yaml, legacy);
}

#[test]
fn block_scalars_inside_the_item_move_intact() {
    let legacy = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: work\n          image: busybox\n          command:\n            - sh\n            - -c\n            - |\n              echo hi >> /l/out.log\n\n              touch /l/done\n          volumeMounts: [{name: l, mountPath: /l}]\n        - name: shipper-sidecar\n          image: busybox\n          command:\n            - sh\n            - -c\n            - |\n              tail -F /l/out.log &\n\n              until [ -f /l/done ]; do sleep 1; done\n          volumeMounts: [{name: l, mountPath: /l}]\n      volumes:\n        - name: l\n          emptyDir: {}\n";
    let c = ok(legacy, Direction::ToNative, &[]);
    assert!(c.yaml.contains("              tail -F /l/out.log &\n\n              until [ -f /l/done ]; do sleep 1; done\n          volumeMounts: [{name: l, mountPath: /l}]\n      containers:\n"), "{}", c.yaml);
    assert_eq!(
        c.suggestions
            .iter()
            .filter(|d| d.message.contains("`/l/done`"))
            .count(),
        1,
        "{:#?}",
        c.suggestions
    );
    assert_eq!(ok(&c.yaml, Direction::ToLegacy, &[]).yaml, legacy);
}

#[test]
fn the_picked_document_of_a_multi_document_file_is_rewritten() {
    let first = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n---\n";
    let legacy = format!("{first}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n      - name: linkerd-proxy\n        image: cr.l5d.io/linkerd/proxy:stable-2.14.10\n");
    let c = ok(&legacy, Direction::ToNative, &[]);
    assert!(c.yaml.starts_with(first));
    assert_eq!(c.moved[0].to, "initContainers[0]");
    assert!(
        c.detected[0].reason.contains("is a proxy"),
        "{:?}",
        c.detected
    );
    assert_eq!(ok(&c.yaml, Direction::ToLegacy, &[]).yaml, legacy);
}

#[test]
fn a_kind_list_item_is_rewritten() {
    let legacy = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n  spec:\n    containers:\n    - name: app\n      image: nginx\n    - name: otel\n      image: otel/opentelemetry-collector-contrib:0.104.0\n";
    let c = ok(legacy, Direction::ToNative, &[]);
    assert!(
        c.yaml
            .contains("  spec:\n    initContainers:\n    - name: otel\n"),
        "{}",
        c.yaml
    );
    assert_eq!(ok(&c.yaml, Direction::ToLegacy, &[]).yaml, legacy);
}

#[test]
fn flow_style_lists_are_refused_with_a_reason() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: app, image: nginx}, {name: log-sidecar, image: fluentd}]\n";
    let e = errors(text, Direction::ToNative, &[]);
    assert!(e[0].message.contains("flow-style"), "{e:#?}");
    assert_eq!(e[0].span.start.line, 6);
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - {name: app, image: nginx}\n  - {name: log-sidecar, image: fluentd}\n";
    let e = errors(text, Direction::ToNative, &[]);
    assert!(e[0].message.contains("flow style"), "{e:#?}");
}

#[test]
fn detection_never_takes_every_container_nor_a_first_container_without_a_sidecar_image() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: envoy\n    image: envoyproxy/envoy:v1.31.2\n  - name: fluentd\n    image: fluentd:v1.16\n";
    let loaded = crate::load(text);
    let found = detect_sidecars(&loaded.workloads[0].workload);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].name, "fluentd");
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: reader\n    image: busybox\n    command: [tail, -f, /x]\n  - name: web\n    image: nginx\n";
    let loaded = crate::load(text);
    assert!(detect_sidecars(&loaded.workloads[0].workload).is_empty());
    // A first container whose name only says "proxy" is the app (an nginx called web-proxy).
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web-proxy\n    image: nginx\n  - name: worker\n    image: ghcr.io/example/worker:1\n";
    let loaded = crate::load(text);
    assert!(detect_sidecars(&loaded.workloads[0].workload).is_empty());
}

#[test]
fn tail_follow_is_read_from_scripts_and_argv() {
    let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        detect::tail_follow(&argv(&["sh", "-c", "tail -F /opt/logs.txt"])).as_deref(),
        Some("tail -F /opt/logs.txt")
    );
    assert_eq!(
        detect::tail_follow(&argv(&["tail", "-n", "+1", "-f", "/x"])).as_deref(),
        Some("tail -n +1 -f /x")
    );
    assert_eq!(
        detect::tail_follow(&argv(&["sh", "-c", "tail -n 5 /x; sleep 1"])),
        None
    );
}

#[test]
fn an_init_container_that_calls_out_comes_after_the_proxy() {
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: chown\n    image: busybox\n    command: [chown, -R, '1000', /data]\n  - name: migrate\n    image: ghcr.io/example/app-migrate:1\n  containers:\n  - name: app\n    image: ghcr.io/example/app:1\n  - name: cloud-sql-proxy\n    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0\n    ports:\n    - containerPort: 5432\n";
    let c = ok(legacy, Direction::ToNative, &[]);
    assert_eq!(c.moved[0].to, "initContainers[1]");
    assert!(
        c.moved[0]
            .reason
            .contains("before init container \"migrate\""),
        "{}",
        c.moved[0].reason
    );
    assert!(
        c.moved[0].reason.contains("a migration image"),
        "{}",
        c.moved[0].reason
    );
    let back = ok(&c.yaml, Direction::ToLegacy, &[]);
    assert_eq!(back.yaml, legacy);
    assert!(
        back.suggestions
            .iter()
            .any(|d| d.path == "spec.initContainers[1]" && d.message.contains("R91")),
        "{:#?}",
        back.suggestions
    );
}

#[test]
fn comments_above_an_init_container_stay_with_it_when_several_proxies_go_before_it() {
    // The first item's comments belong to it at any indentation; moving two proxies in front of it
    // must not leave the deeper one behind, above the second proxy.
    let legacy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  # runs the migrations\n      # (through the proxy)\n  - name: migrate\n    image: ghcr.io/example/app-migrate:1\n  containers:\n  - name: app\n    image: ghcr.io/example/app:1\n  - name: envoy\n    image: envoyproxy/envoy:v1.31.2\n  - name: cloud-sql-proxy\n    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0\n";
    let native = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: envoy\n    image: envoyproxy/envoy:v1.31.2\n    restartPolicy: Always\n  - name: cloud-sql-proxy\n    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0\n    restartPolicy: Always\n  # runs the migrations\n      # (through the proxy)\n  - name: migrate\n    image: ghcr.io/example/app-migrate:1\n  containers:\n  - name: app\n    image: ghcr.io/example/app:1\n";
    both_ways(legacy, native, &["envoy", "cloud-sql-proxy"]);
}
