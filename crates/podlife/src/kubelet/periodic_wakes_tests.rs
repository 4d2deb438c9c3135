//! A periodic loop whose rounds are skipped leaves the same trace, logs and files as interpreting
//! every round: each shape is run both ways and compared, and the skipping run must have skipped.

use super::{without_skipping, PodWorker};
use crate::scenario::Scenario;
use crate::version::KubeVersion;

/// What a run leaves that anyone could see: events, statuses, the end, logs, files, `tail -f`s.
struct Seen {
    text: String,
    steps: u64,
}

fn run(manifest: &str, scenario: &str) -> Seen {
    let loaded = crate::load(manifest);
    let workload = &loaded.workloads[0].workload;
    let scenario = Scenario::parse(scenario).expect("scenario");
    let mut dry_runs = crate::behaviour::DryRuns::new();
    let mut worker = PodWorker::new(
        workload,
        KubeVersion::default(),
        &scenario,
        &|_| None,
        &mut dry_runs,
    );
    worker.run();
    let w = &worker.world;
    Seen {
        text: format!(
            "{:#?}\n{:?}\n{:?} {:?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}",
            worker.events,
            worker.now,
            worker.status.phase(),
            worker.cut_at_horizon,
            w.logs,
            w.files,
            w.followers,
            w.volume_writes
        ),
        steps: w.pod_steps.taken(),
    }
}

/// Runs `manifest` with and without skipping: the same everywhere. Returns the steps each took.
fn same_both_ways(manifest: &str, scenario: &str) -> (u64, u64) {
    let skipping = run(manifest, scenario);
    let interpreted = without_skipping(|| run(manifest, scenario));
    assert!(
        skipping.text == interpreted.text,
        "skipping changed the run:\n{}",
        first_difference(&skipping.text, &interpreted.text)
    );
    (skipping.steps, interpreted.steps)
}

fn first_difference(a: &str, b: &str) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let at = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    format!(
        "skipping:    {:?}\ninterpreted: {:?}",
        la.get(at),
        lb.get(at)
    )
}

fn pod(containers: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  volumes: [{{name: shared, emptyDir: {{}}}}]\n  containers:\n{containers}"
    )
}

fn container(name: &str, script: &str) -> String {
    format!(
        "  - name: {name}\n    image: busybox:1.36\n    command: [sh, -c, {script:?}]\n    volumeMounts: [{{name: shared, mountPath: /shared}}]\n"
    )
}

fn skipped((skipping, interpreted): (u64, u64)) -> bool {
    skipping * 4 < interpreted
}

#[test]
fn a_loop_that_prints_and_sleeps_skips_ahead_and_keeps_its_log() {
    let m = pod(&container(
        "tick",
        "while true; do echo tick; sleep 1; done",
    ));
    assert!(skipped(same_both_ways(&m, "until=20m")));
    // The default run ends once the pod is stable; skipping must not move that moment.
    same_both_ways(&m, "");
}

#[test]
fn a_loop_appending_to_its_own_file_keeps_its_line_count_and_last_lines() {
    let m = pod(&container(
        "writer",
        "i=0; while true; do echo a >> /tmp/f; echo b >> /tmp/f; echo x; sleep 5; done",
    ));
    assert!(skipped(same_both_ways(&m, "until=1h")));
}

#[test]
fn a_loop_appending_the_date_to_a_shared_file_is_interpreted_round_by_round() {
    let m = pod(&format!(
        "{}{}",
        container("dater", "while true; do date >> /shared/f; sleep 5; done"),
        container("reader", "tail -f /shared/f")
    ));
    let (skipping, interpreted) = same_both_ways(&m, "until=10m");
    assert_eq!(skipping, interpreted);
}

#[test]
fn a_loop_reading_a_file_another_container_makes_sees_it_when_it_is_made() {
    let m = pod(&format!(
        "{}{}",
        container(
            "waiter",
            "while true; do if [ -f /shared/go ]; then echo go; else echo wait; fi; sleep 10; done"
        ),
        // The file is made between two of the loop's wake-ups.
        container("maker", "sleep 297; touch /shared/go; sleep 100000")
    ));
    assert!(skipped(same_both_ways(&m, "until=30m")));
}

#[test]
fn a_loop_waiting_for_a_host_sees_it_come_up() {
    let m = pod(&container(
        "wait-db",
        "until nc -z db 5432; do echo waiting; sleep 2; done; echo up; while true; do sleep 1; done",
    ));
    assert!(skipped(same_both_ways(&m, "service=db@500s; until=20m")));
}

#[test]
fn a_counting_loop_is_not_skipped() {
    let m = pod(&container(
        "counter",
        "i=0; while true; do i=$((i+1)); echo $i; sleep 1; done",
    ));
    let (skipping, interpreted) = same_both_ways(&m, "until=10m");
    assert_eq!(skipping, interpreted);
}

#[test]
fn a_loop_reading_what_it_appends_is_not_skipped() {
    let m = pod(&container(
        "grower",
        "while [ $(wc -l /tmp/f) -lt 100 ]; do echo x >> /tmp/f; sleep 1; done; echo full; sleep 100000",
    ));
    let (skipping, interpreted) = same_both_ways(&m, "until=10m");
    assert_eq!(skipping, interpreted);
}

#[test]
fn a_trapped_sigterm_during_a_skipped_stretch_runs_its_handler_on_time() {
    let m = pod(&container(
        "trapper",
        "trap 'echo bye; exit 3' TERM; while true; do echo tick; sleep 1; done",
    ));
    assert!(skipped(same_both_ways(&m, "delete-at=1500s; until=30m")));
}

#[test]
fn probes_and_a_follower_of_the_loops_file_see_what_they_would_have_seen() {
    let script = "tail -f /tmp/f & while true; do echo line >> /tmp/f; sleep 2; done";
    let m = pod(&format!(
        "{}    readinessProbe: {{exec: {{command: [sh, -c, 'test $(wc -l < /tmp/f) -lt 200']}}, periodSeconds: 7}}\n",
        container("followed", script)
    ));
    assert!(skipped(same_both_ways(&m, "until=20m")));
}

#[test]
fn two_periodic_containers_and_one_that_restarts_interleave_as_before() {
    let m = pod(&format!(
        "{}{}{}",
        container("fast", "while true; do echo f; sleep 1; done"),
        container("slow", "while true; do echo s >> /tmp/s; sleep 7; done"),
        container("crash", "sleep 45; exit 1")
    ));
    same_both_ways(&m, "until=30m");
}

#[test]
fn a_loop_that_counts_for_a_while_then_repeats_is_skipped_once_it_repeats() {
    let m = pod(&container(
        "settles",
        "i=0; while true; do if [ $i -lt 40 ]; then i=$((i+1)); fi; echo tick; sleep 1; done",
    ));
    // Twenty minutes: interpreted step by step, an hour of it would spend the run's work budget
    // (`kubelet::work_budget`), which skipping does not, and the two runs would differ there.
    assert!(skipped(same_both_ways(&m, "until=20m")));
}
