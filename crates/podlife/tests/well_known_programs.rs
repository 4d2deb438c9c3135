//! Well-known programs and images held against what their sources and the Kubernetes documentation
//! say they do (behaviour/images.rs cites each source). The manifests are our own, shaped like the
//! documentation's examples.

#[macro_use]
mod support;

use podlife::trace::EventKind;
use support::*;

/// The documentation's HTTP liveness example ("Configure Liveness, Readiness and Startup Probes"):
/// agnhost's `liveness` server answers `/healthz` 200 for its first 10 seconds and 500 after, so the
/// probe starts failing once the server has run 10 s and the kubelet restarts the container at the
/// third failure in a row.
const AGNHOST_LIVENESS: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: liveness-http
spec:
  containers:
    - name: server
      image: registry.k8s.io/e2e-test-images/agnhost:2.40
      args: ["liveness"]
      livenessProbe:
        httpGet:
          path: /healthz
          port: 8080
        initialDelaySeconds: 3
        periodSeconds: 3
"#;

/// The first probe tick (every `period` from 0) at which the liveness server has run more than 10 s.
fn first_unhealthy_tick(started: f64, period: f64) -> f64 {
    let mut t = 0.0;
    while t - started <= 10.0 {
        t += period;
    }
    t
}

#[test]
fn agnhost_liveness_fails_once_its_server_has_run_ten_seconds_and_is_restarted() {
    let trace = run_with(AGNHOST_LIVENESS, "until=60s");
    let started = starts(&trace, "server");
    let failures = probe_failures(&trace, "server", "liveness");
    let first_failure = first_unhealthy_tick(started[0], 3.0);
    expect_eq!(
        trace,
        first(failures.clone(), 3),
        vec![first_failure, first_failure + 3.0, first_failure + 6.0],
        "/healthz answers 500 only after 10 s of running, then fails at every tick"
    );
    expect_eq!(
        trace,
        first(sigterms(&trace, "server"), 1),
        vec![first_failure + 6.0],
        "failureThreshold 3: the third failure kills the container"
    );
    expect!(
        trace,
        started.len() >= 2,
        "the kubelet restarts the container after the liveness kill"
    );
    let second_round: Vec<f64> = failures.into_iter().filter(|t| *t > started[1]).collect();
    expect_eq!(
        trace,
        first(second_round, 1),
        vec![first_unhealthy_tick(started[1], 3.0)],
        "the restarted server is healthy again for its own first 10 s"
    );
}

#[test]
fn agnhost_liveness_failures_carry_the_http_status() {
    let trace = run_with(AGNHOST_LIVENESS, "until=30s");
    let outputs: Vec<String> = events_of(&trace, "server", "ProbeFailed")
        .into_iter()
        .filter_map(|e| match &e.kind {
            EventKind::ProbeFailed { output, .. } => Some(output.clone()),
            _ => None,
        })
        .collect();
    expect!(
        trace,
        !outputs.is_empty()
            && outputs
                .iter()
                .all(|o| o == "HTTP probe failed with statuscode: 500"),
        "every failure is the prober's sentence for a 500"
    );
}

/// A path a Go server has no handler for answers 404: a probe of it fails from the first tick
/// (agnhost liveness serves `/healthz`, `/started` and a few test paths, not `/ready`).
#[test]
fn a_probe_of_a_path_the_server_does_not_serve_gets_404() {
    let yaml = AGNHOST_LIVENESS.replace("path: /healthz", "path: /ready");
    let trace = run_with(&yaml, "until=20s");
    let healthy_until = first_unhealthy_tick(starts(&trace, "server")[0], 3.0);
    let failures = probe_failures(&trace, "server", "liveness");
    expect!(
        trace,
        failures.first().is_some_and(|t| *t < healthy_until),
        "the probe fails while /healthz would still answer 200"
    );
    let outputs: Vec<String> = events_of(&trace, "server", "ProbeFailed")
        .into_iter()
        .filter_map(|e| match &e.kind {
            EventKind::ProbeFailed { output, .. } => Some(output.clone()),
            _ => None,
        })
        .collect();
    expect_eq!(
        trace,
        first(outputs, 1),
        vec!["HTTP probe failed with statuscode: 404".to_string()],
        "the prober's sentence for a 404"
    );
}

/// hello-app serves every path on 8080 (its one handler is for `/`): a readiness probe there passes,
/// one on a port it does not listen on is refused.
#[test]
fn hello_app_listens_on_8080_only() {
    let pod = |port: u16| {
        format!(
            r#"
apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
    - name: hello
      image: gcr.io/google-samples/hello-app:2.0
      readinessProbe:
        httpGet:
          path: /anything
          port: {port}
        periodSeconds: 2
"#
        )
    };
    let serving = run_with(&pod(8080), "until=20s");
    expect!(
        serving,
        probe_failures(&serving, "hello", "readiness").is_empty()
            && !ready_at(&serving, "hello").is_empty(),
        "ready: hello-app answers every path on 8080"
    );
    let wrong_port = run_with(&pod(80), "until=20s");
    expect!(
        wrong_port,
        ready_at(&wrong_port, "hello").is_empty(),
        "never ready: nothing listens on 80"
    );
}

/// vish/stress allocates `-mem-total` in `-mem-alloc-size` chunks with `-mem-alloc-sleep` between
/// them (vishh/stress main.go): the container is OOM-killed (R105) at the chunk that takes it over its
/// limit, not at once.
#[test]
fn vish_stress_is_oom_killed_when_its_allocation_crosses_the_limit_r105() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo
spec:
  restartPolicy: Never
  containers:
    - name: stress
      image: vish/stress
      args: ["-mem-total", "150Mi", "-mem-alloc-size", "10Mi", "-mem-alloc-sleep", "1s"]
      resources:
        limits:
          memory: 100Mi
"#,
        "until=60s",
    );
    let started = starts(&trace, "stress")[0];
    // 100Mi is crossed by the eleventh 10Mi chunk, allocated after 11 one-second steps.
    let exits = exits(&trace, "stress");
    expect_eq!(
        trace,
        exits,
        vec![(started + 11.0, 137, "OOMKilled".to_string())],
        "killed by the OOM killer when the eleventh chunk is allocated"
    );
}

/// The same program within its limit, and with only `-cpus`, runs until stopped; its SIGTERM goes to
/// Go's runtime, which exits 2 as PID 1.
#[test]
fn vish_stress_within_its_limit_runs_until_deleted_and_exits_2() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: cpu-demo
spec:
  containers:
    - name: stress
      image: vish/stress
      args: ["-cpus", "2"]
      resources:
        limits:
          memory: 100Mi
"#,
        "delete-at=20s; until=60s",
    );
    let exits = exits(&trace, "stress");
    expect_eq!(
        trace,
        exits.iter().map(|(_, code, _)| *code).collect::<Vec<_>>(),
        vec![2],
        "one exit, at the deletion, with Go's status 2"
    );
}

/// A python one-liner whose exit depends on `JOB_COMPLETION_INDEX`: podlife simulates the first pod of
/// an Indexed Job, index 0, so the script's branch for index 0 decides its exit code. Without Indexed
/// mode the variable is not set, and the script stays an unknown program (a task assumed to end 0
/// after 10 s).
#[test]
fn an_indexed_jobs_pod_runs_its_python_one_liner_as_index_0() {
    let job = |mode: &str| {
        format!(
            r#"
apiVersion: batch/v1
kind: Job
metadata:
  name: by-index
spec:
  completions: 3
  completionMode: {mode}
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: python:3.12
          command:
            - python3
            - -c
            - |
              import os, sys
              if os.environ.get("JOB_COMPLETION_INDEX") == "0":
                sys.exit(3)
              sys.exit(0)
"#
        )
    };
    let indexed = run_with(&job("Indexed"), "until=30s");
    expect_eq!(
        indexed,
        exits(&indexed, "main")
            .into_iter()
            .map(|(t, code, _)| (t - starts(&indexed, "main")[0], code))
            .collect::<Vec<_>>(),
        vec![(0.0, 3)],
        "index 0 takes the branch that exits 3, at once"
    );
    let plain = run_with(&job("NonIndexed"), "until=30s");
    expect_eq!(
        plain,
        exits(&plain, "main")
            .into_iter()
            .map(|(t, code, _)| (t - starts(&plain, "main")[0], code))
            .collect::<Vec<_>>(),
        vec![(10.0, 0)],
        "unread without the variable: the unknown task's 10 s and exit 0"
    );
}

/// nginx-slim (the StatefulSet tutorial's image) is nginx with the official image's layout and CMD:
/// it serves 80 and stops gracefully (exit 0) on its stop signal.
#[test]
fn nginx_slim_serves_80_like_nginx() {
    let trace = run_with(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: web-0
spec:
  containers:
    - name: nginx
      image: registry.k8s.io/nginx-slim:0.24
      readinessProbe:
        tcpSocket:
          port: 80
        periodSeconds: 2
"#,
        "delete-at=20s; until=60s",
    );
    expect!(
        trace,
        !ready_at(&trace, "nginx").is_empty()
            && probe_failures(&trace, "nginx", "readiness").is_empty(),
        "ready: something listens on 80 from the start"
    );
    expect_eq!(
        trace,
        exits(&trace, "nginx")
            .into_iter()
            .map(|(_, code, _)| code)
            .collect::<Vec<_>>(),
        vec![0],
        "nginx's graceful stop exits 0"
    );
}

/// A pod whose `writer` runs `program` with its output into /data/out, beside a `watcher` that is ready
/// once /data/out holds `wanted` (an exec readiness probe every second).
fn writer_and_watcher(program: &str, wanted: &str) -> String {
    format!(
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: one-liner-output
spec:
  terminationGracePeriodSeconds: 5
  volumes:
    - name: data
      emptyDir: {{}}
  containers:
    - name: writer
      image: python:3.12
      command: ["sh", "-c", {program:?}]
      volumeMounts:
        - {{ name: data, mountPath: /data }}
    - name: watcher
      image: busybox:1.36
      command: ["sleep", "3600"]
      volumeMounts:
        - {{ name: data, mountPath: /data }}
      readinessProbe:
        exec:
          command: ["grep", "-q", "{wanted}", "/data/out"]
        periodSeconds: 1
"#
    )
}

/// An unbuffered python one-liner's (`python3 -u`) line printed after `time.sleep(5)` is written five seconds after the
/// program started, not when it started: the watcher waiting for it turns ready then, while the line
/// printed before the sleep is there at once.
#[test]
fn a_python_line_after_a_sleep_is_written_when_the_sleep_is_over() {
    let program = "python3 -u -c \"import time; print('first'); time.sleep(5); print('second'); time.sleep(600)\" > /data/out";
    let second = run_with(&writer_and_watcher(program, "second"), "until=60s");
    let wrote_second = starts(&second, "writer")[0] + 5.0;
    let ready = ready_at(&second, "watcher");
    expect!(
        second,
        ready.len() == 1 && ready[0] >= wrote_second && ready[0] < wrote_second + 1.0,
        "ready at the first probe after {wrote_second} s, when `second` is written: {ready:?}"
    );
    let first = run_with(&writer_and_watcher(program, "first"), "until=60s");
    let watching = starts(&first, "watcher")[0];
    let ready = ready_at(&first, "watcher");
    expect!(
        first,
        ready.len() == 1 && ready[0] < watching + 1.0,
        "`first` is there before the watcher starts at {watching} s: ready with its first probe: {ready:?}"
    );
}

/// A line the program would print after it was stopped is never printed: the writer, deleted at 10 s and
/// killed 5 s later, never reaches its line at 30 s.
#[test]
fn a_python_line_due_after_the_program_was_killed_is_never_written() {
    let program = "python3 -u -c \"import time; time.sleep(30); print('late')\" > /data/out";
    let trace = run_with(
        &writer_and_watcher(program, "late"),
        "delete-at=10s; until=60s",
    );
    expect_eq!(
        trace,
        ready_at(&trace, "watcher"),
        Vec::<f64>::new(),
        "`late` never reaches /data/out"
    );
}

/// Without `-u` (or `PYTHONUNBUFFERED`), Python holds what it prints to a pipe or a file in its buffer
/// until it exits: a program that runs for ten minutes writes its first line only then, and one that is
/// killed first never writes it.
#[test]
fn a_buffered_python_line_is_written_only_when_the_program_exits() {
    let program =
        "python3 -c \"import time; print('first'); time.sleep(20)\" > /data/out; sleep 3600";
    let trace = run_with(&writer_and_watcher(program, "first"), "until=60s");
    let exit_at = starts(&trace, "writer")[0] + 20.0;
    let ready = ready_at(&trace, "watcher");
    expect!(
        trace,
        ready.len() == 1 && ready[0] >= exit_at && ready[0] < exit_at + 1.0,
        "ready at the first probe after python exits at {exit_at} s: {ready:?}"
    );
    let killed = run_with(
        &writer_and_watcher(program, "first"),
        "delete-at=10s; until=60s",
    );
    expect_eq!(
        killed,
        ready_at(&killed, "watcher"),
        Vec::<f64>::new(),
        "killed before it exits, python never writes `first`"
    );
}
