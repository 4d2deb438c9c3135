//! The dry runs of one call end to end: one budget for every dry run of a check or a simulation, each
//! container inferred once, and text a script builds past what a job may hold (`$(seq …)`, `printf`
//! widths, here-documents) spending the budget instead of being cut short.

use super::busy_loop::BusyLoop;
use super::dry_runs::DRY_RUN_STEPS_PER_CALL;
use super::*;
use crate::{load, simulate_manifest_within, CheckOptions, SimulateOptions};

/// A pod of `n` containers, each running `command` with a preStop hook that runs `hook`.
fn pod(n: usize, command: &str, hook: &str) -> String {
    let mut text = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Never\n  containers:\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "  - name: c{i}\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", {command:?}]\n    \
             lifecycle: {{preStop: {{exec: {{command: [\"sh\", \"-c\", {hook:?}]}}}}}}\n"
        ));
    }
    text
}

/// Checks `text` as `podlife check` does, on one `DryRuns`: the diagnostics' messages.
fn check_within(text: &str, dry_runs: &mut DryRuns) -> Vec<String> {
    let (report, _) = crate::check_loaded(&load(text), &CheckOptions::default(), dry_runs);
    report.diagnostics.into_iter().map(|d| d.message).collect()
}

fn summary_of(script: &str) -> String {
    summary_and_steps(script).0
}

/// The summary of a container running `script`, and the steps its dry runs took.
fn summary_and_steps(script: &str) -> (String, u64) {
    let c = Container {
        name: "app".into(),
        image: Some("busybox:1.36".into()),
        command: vec!["sh".into(), "-c".into(), script.into()],
        ..Container::default()
    };
    let mut dry_runs = DryRuns::new();
    let behaviour = dry_runs.behaviour(&BehaviourInput {
        container: &c,
        kind: ContainerKind::Regular,
        pod_restart_policy: "Never",
        annotation: None,
        job_completion_index: None,
        hostname: None,
    });
    (behaviour.summary, dry_runs.taken())
}

const COUNTING_HOOK: &str = "for i in $(seq 1 50000); do echo $i; done";

#[test]
fn a_hook_alone_would_take_more_than_its_share_of_the_calls_budget() {
    // What the next test bounds: one such hook, dry-run on its own, takes a process's whole run.
    let mut alone = DryRuns::new();
    let command: Vec<String> = ["sh", "-c", COUNTING_HOOK].map(String::from).to_vec();
    assert_eq!(exec_duration_within(&command, &mut alone), None);
    assert!(
        alone.taken() > DRY_RUN_STEPS_PER_CALL / 2,
        "{}",
        alone.taken()
    );
}

#[test]
fn the_dry_runs_of_a_check_share_one_budget_however_many_hooks_count() {
    let text = pod(12, "echo hi", COUNTING_HOOK);
    let mut dry_runs = DryRuns::new();
    let first = check_within(&text, &mut dry_runs);
    // Twelve hooks, each a process's run on its own, take one call's budget together.
    assert!(
        dry_runs.taken() <= DRY_RUN_STEPS_PER_CALL,
        "{}",
        dry_runs.taken()
    );
    // The same answer every time: steps, not time, decide where the budget ends.
    assert_eq!(check_within(&text, &mut DryRuns::new()), first);
}

#[test]
fn once_the_calls_budget_is_spent_a_program_computes_until_stopped_said_once() {
    let counting = "for i in $(seq 1 50000); do echo $i; done";
    let text = pod(3, counting, "echo bye");
    let mut dry_runs = DryRuns::new();
    let trace = simulate_manifest_within(&text, &SimulateOptions::default(), &mut dry_runs)
        .map(|(trace, _)| trace)
        .expect("a valid pod");
    // The dry runs' answer, once per container (the simulation's own pod budget may add its phrase).
    let said = format!("; {}", BusyLoop::BudgetSpent.phrase());
    for c in &trace.containers {
        assert_eq!(c.behaviour.matches(&said).count(), 1, "{}", c.behaviour);
    }
    assert!(dry_runs.taken() <= DRY_RUN_STEPS_PER_CALL);
}

#[test]
fn a_check_and_the_simulation_after_it_infer_each_container_once() {
    // An Indexed Job: the check asks with the kubelet's index and hostname, so the kubelet finds
    // the same behaviour.
    let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  completionMode: Indexed\n  \
                completions: 3\n  template:\n    spec:\n      restartPolicy: Never\n      initContainers:\n      \
                - {name: init, image: busybox:1.36, command: [sh, -c, 'echo $JOB_COMPLETION_INDEX']}\n      \
                containers:\n      - {name: a, image: busybox:1.36, command: [sh, -c, 'sleep 5']}\n      \
                - {name: b, image: busybox:1.36, command: [sh, -c, 'hostname > /tmp/h']}\n";
    let mut dry_runs = DryRuns::new();
    simulate_manifest_within(text, &SimulateOptions::default(), &mut dry_runs).expect("valid");
    assert_eq!(dry_runs.inferred(), 3);
}

#[test]
fn a_call_reads_each_exec_command_once_for_its_dry_runs_and_its_kubelet() {
    // Twenty containers with the same exec probe every second and the same preStop hook: the check
    // times the hooks, the kubelet probes for a minute and runs the hooks at the deletion.
    let mut text = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    \
         podlife.dev/scenario: \"delete-at=60s\"\nspec:\n  containers:\n",
    );
    for i in 0..20 {
        text.push_str(&format!(
            "  - name: c{i}\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 3600']\n    \
             livenessProbe: {{exec: {{command: [sh, -c, 'test -d /tmp']}}, periodSeconds: 1}}\n    \
             lifecycle: {{preStop: {{exec: {{command: [sh, -c, 'sleep 2; echo bye']}}}}}}\n"
        ));
    }
    let mut dry_runs = DryRuns::new();
    let (trace, _) =
        simulate_manifest_within(&text, &SimulateOptions::default(), &mut dry_runs).expect("valid");
    let hooks_run = trace
        .events
        .iter()
        .filter(|e| e.kind == crate::trace::EventKind::PreStopHookStarted)
        .count();
    assert_eq!(hooks_run, 20);
    assert_eq!(dry_runs.exec_programs().reads(), 2);
}

#[test]
fn a_count_past_what_a_job_may_hold_spends_the_budget_instead_of_being_cut() {
    let phrase = BusyLoop::BudgetSpent.phrase();
    // Under the bound, the whole count: 150 000 words (the old cut was at 100 000).
    let summary = summary_of("n=0; for i in $(seq 1 150000); do n=$i; done; echo $n");
    assert!(summary.contains(phrase), "{summary}");
    for script in [
        "for i in $(seq 1 1000000); do echo $i; done",
        "echo $(seq 1 10000000) > /tmp/x; echo done",
        "seq 1 100000000 | tail -n 1",
        "cat <<EOF > /tmp/x\n$(seq 1 1000000)\nEOF\necho done",
    ] {
        let summary = summary_of(script);
        assert!(summary.contains(phrase), "{script}: {summary}");
        assert!(!summary.starts_with("exits"), "{script}: {summary}");
    }
}

#[test]
fn a_huge_printf_width_spends_the_budget_instead_of_a_gigabyte() {
    let phrase = BusyLoop::BudgetSpent.phrase();
    for script in [
        "printf '%999999999d\\n' 1 > /tmp/x; echo done",
        "x=$(printf '%999999999d' 1); echo ${#x}",
    ] {
        let summary = summary_of(script);
        assert!(summary.contains(phrase), "{script}: {summary}");
    }
    // A width that fits is printed as it is.
    assert!(summary_of("printf '%5d\\n' 42").starts_with("exits 0 at once"));
}

#[test]
fn endless_streams_are_read_without_building_them() {
    // `yes` runs until stopped as a program of its own; `/dev/zero` and `/dev/urandom` are no files
    // podlife keeps, so nothing of them is ever built: a few steps each.
    for (script, says) in [
        ("yes > /dev/null", "runs forever: `yes`"),
        (
            "cat /dev/zero | head -c 100 > /tmp/x; echo done",
            "exits 0 at once",
        ),
        (
            "head -c 1000000000 /dev/urandom > /tmp/x",
            "exits 0 at once",
        ),
    ] {
        let (summary, steps) = summary_and_steps(script);
        assert!(summary.starts_with(says), "{script}: {summary}");
        assert!(steps < 100, "{script}: {steps} steps");
    }
}
