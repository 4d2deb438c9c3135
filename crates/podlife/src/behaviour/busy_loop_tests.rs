//! Busy loops end to end: what a loop with no sleep costs over an hour of virtual time, what it leaves
//! in the world, and how it still answers signals (`busy_loop`'s compute budget and fast-forward).

use super::busy_loop::{
    BusyLoop, MAX_EXEC_VARIABLE_BYTES, MAX_VARIABLES, MAX_VARIABLE_BYTES, STEPS_PER_INSTANT,
    STEPS_PER_POD_RUN, STEPS_PER_RUN,
};
use super::*;
use crate::model::VolumeMount;

const HOUR: SimTime = SimTime(3_600_000);

fn sh(script: &str) -> Container {
    Container {
        name: "app".into(),
        image: Some("busybox:1.36".into()),
        command: vec!["sh".into(), "-c".into(), script.into()],
        volume_mounts: vec![VolumeMount {
            name: "v".into(),
            mount_path: "/d".into(),
            ..VolumeMount::default()
        }],
        ..Container::default()
    }
}

fn behaviour(c: &Container) -> Behaviour {
    Behaviour::infer(&BehaviourInput {
        container: c,
        kind: ContainerKind::Regular,
        pod_restart_policy: "Always",
        annotation: None,
        job_completion_index: None,
        hostname: None,
    })
}

/// Starts `script` at 0 and runs it to `until`: the process, where it is, and the world.
fn run(script: &str, until: SimTime) -> (Process, ProcessState, World) {
    let c = sh(script);
    let mut world = World::default();
    world.add_container(&c);
    let mut p = behaviour(&c).spawn("app", SimTime(0));
    let state = p.run_until(until, &mut world);
    (p, state, world)
}

fn argv(script: &str) -> Vec<String> {
    vec!["sh".into(), "-c".into(), script.into()]
}

#[test]
fn an_appending_busy_loop_runs_for_an_hour_in_a_few_thousand_steps() {
    let (p, state, world) = run("while true; do echo x >> /d/log; done", HOUR);
    assert!(matches!(state, ProcessState::Running { .. }), "{state:?}");
    assert!(matches!(
        p.busy_loop,
        Some((SimTime(0), BusyLoop::Repeats { .. }))
    ));
    assert!(p.steps_taken() < 20_000, "{} steps", p.steps_taken());
    // What it appended before podlife skipped ahead is there.
    assert!(world.line_count("app", "/d/log").is_some_and(|n| n > 100));
}

#[test]
fn a_counting_busy_loop_computes_until_stopped() {
    let (p, state, _) = run("i=0; until false; do i=$((i+1)); done", HOUR);
    assert_eq!(state, ProcessState::Running { wake_at: None });
    assert_eq!(p.busy_loop, Some((SimTime(0), BusyLoop::Computes)));
    // Four allowances of steps and one watch (with the arithmetic they parsed, a step's worth per
    // two bytes), not an hour of them.
    assert!(p.steps_taken() <= u64::from(STEPS_PER_INSTANT) * 10);
}

#[test]
fn a_busy_loop_still_runs_its_sigterm_trap() {
    let (mut p, _, mut world) = run("trap 'exit 3' TERM; while :; do i=$((i+1)); done", HOUR);
    p.signal(Signal::Term, SimTime(3_600_000), &mut world);
    assert_eq!(
        p.run_until(HOUR, &mut world),
        ProcessState::Exited { code: 3, at: HOUR }
    );
}

#[test]
fn a_busy_pid_1_without_a_trap_ignores_sigterm_and_dies_of_sigkill() {
    let (mut p, _, mut world) = run("while :; do :; done", SimTime(10_000));
    p.signal(Signal::Term, SimTime(10_000), &mut world);
    assert!(matches!(
        p.run_until(SimTime(20_000), &mut world),
        ProcessState::Running { .. }
    ));
    p.signal(Signal::Kill, SimTime(20_000), &mut world);
    assert_eq!(
        p.run_until(SimTime(20_000), &mut world),
        ProcessState::Exited {
            code: 137,
            at: SimTime(20_000)
        }
    );
}

#[test]
fn a_loop_that_sleeps_a_little_spends_the_runs_budget_and_then_runs_until_stopped() {
    let (p, state, _) = run("while true; do i=$((i+1)); sleep 0.01; done", HOUR);
    assert!(matches!(state, ProcessState::Running { .. }), "{state:?}");
    assert!(matches!(p.busy_loop, Some((_, BusyLoop::BudgetSpent))));
    assert!(p.steps_taken() <= STEPS_PER_RUN);
}

#[test]
fn fork_bombs_cost_at_most_the_runs_budget() {
    for bomb in [":(){ :|:& };:", "while true; do sleep 1 & done"] {
        let (p, _, _) = run(bomb, HOUR);
        assert!(
            p.steps_taken() <= STEPS_PER_RUN,
            "{bomb}: {}",
            p.steps_taken()
        );
    }
}

#[test]
fn a_fork_bomb_and_a_loop_forking_without_pause_fork_until_stopped() {
    for bomb in ["f() { f | f; }; f", "while true; do sleep 1 & done"] {
        let (p, state, _) = run(bomb, HOUR);
        assert!(
            matches!(state, ProcessState::Running { .. }),
            "{bomb}: {state:?}"
        );
        assert_eq!(
            p.busy_loop.map(|(_, b)| b),
            Some(BusyLoop::ForksWithoutEnd),
            "{bomb}"
        );
    }
}

#[test]
fn a_fork_copies_the_stack_so_a_recursion_through_subshells_overflows_it_too() {
    // Each `( … )` is a child whose stack goes on from its parent's: the deepest one dies of SIGSEGV,
    // and every shell above it exits with the status of its last command.
    let (_, state, _) = run("f() { (f); }; f", HOUR);
    assert!(died_of_sigsegv_at_once(&state), "{state:?}");
}

/// Exited 139 (SIGSEGV, a stack overflow) at the moment it started.
fn died_of_sigsegv_at_once(state: &ProcessState) -> bool {
    matches!(
        state,
        ProcessState::Exited {
            code: 139,
            at: SimTime(0)
        }
    )
}

#[test]
fn the_summary_says_podlife_skips_ahead_of_a_busy_loop() {
    let summary = behaviour(&sh("while true; do echo x >> /d/log; done")).summary;
    assert!(
        summary.ends_with("; busy loop: no sleep, runs until stopped; podlife skips ahead"),
        "{summary}"
    );
    let sleeper = behaviour(&sh("while true; do echo x >> /d/log; sleep 1; done")).summary;
    assert!(!sleeper.contains("busy loop"), "{sleeper}");
}

#[test]
fn a_busy_exec_hook_never_returns_and_a_busy_probe_times_out() {
    let mut world = World::default();
    let hook = run_exec(
        &argv("while true; do echo x >> /tmp/log; done"),
        "app",
        SimTime(0),
        &mut world,
        None,
    );
    assert!(hook.never_returned(), "{hook:?}");
    assert_eq!(
        hook.busy_loop,
        Some(BusyLoop::Repeats { steps: 0 }.phrase())
    );
    let probe = run_exec(
        &argv("i=0; while true; do i=$((i+1)); done"),
        "app",
        SimTime(0),
        &mut world,
        Some(Millis(1_000)),
    );
    assert!(probe.timed_out, "{probe:?}");
    assert_eq!(probe.busy_loop, Some(BusyLoop::Computes.phrase()));
}

#[test]
fn a_recursing_exec_probe_dies_of_sigsegv_at_once_instead_of_computing_until_its_timeout() {
    // Its state never comes back, yet it is no CPU-bound loop: it overflows the stack in a moment.
    let mut world = World::default();
    for script in [
        "f() { f; }; f",
        "f() { echo deeper >> /tmp/d; x=$((x+1)); f; }; f",
    ] {
        let probe = run_exec(
            &argv(script),
            "app",
            SimTime(0),
            &mut world,
            Some(Millis(1_000)),
        );
        let seen = (
            probe.exit_code,
            probe.timed_out,
            probe.duration,
            probe.busy_loop,
        );
        assert_eq!(seen, (139, false, Millis(0), None), "{script}");
    }
}

#[test]
fn a_call_that_repeats_its_caller_dies_at_once_in_a_few_steps() {
    // The kubelet may run it every second for an hour: a stack's worth of calls each run would add up.
    for script in [
        "f() { f; }; f",
        "f() { echo deeper; local d=1; f \"$@\"; }; f a b",
    ] {
        let (p, state, _) = run(script, HOUR);
        assert!(died_of_sigsegv_at_once(&state), "{script}: {state:?}");
        assert!(p.steps_taken() < 20, "{script}: {} steps", p.steps_taken());
    }
}

#[test]
fn a_recursion_that_reads_what_it_wrote_is_not_cut_short() {
    // Each call looks like its caller (the same variables), but the files it tests change: the
    // fourth call returns.
    let (_, state, world) = run(
        "f() { [ -f /d/c ] && return 0; [ -f /d/b ] && echo > /d/c; [ -f /d/a ] && echo > /d/b; \
         echo > /d/a; f; }; f; echo \"done $?\" > /d/done",
        HOUR,
    );
    assert!(
        matches!(state, ProcessState::Exited { code: 0, .. }),
        "{state:?}"
    );
    assert_eq!(
        world.read_lines("app", "/d/done"),
        Some(vec!["done 0".into()])
    );
}

#[test]
fn a_doubling_exec_probe_spends_its_budget_at_the_exec_bound_and_times_out() {
    // The kubelet may run it hundreds of times: each run stops at the exec bound, not a mebibyte.
    let mut world = World::default();
    world.add_container(&sh("sleep 3600"));
    let probe = run_exec(
        &argv("x=a; while true; do x=\"$x$x\"; echo ${#x} > /d/len; done"),
        "app",
        SimTime(0),
        &mut world,
        Some(Millis(1_000)),
    );
    assert!(probe.timed_out, "{probe:?}");
    assert_eq!(probe.busy_loop, Some(BusyLoop::BudgetSpent.phrase()));
    let len: usize = world
        .read_lines("app", "/d/len")
        .and_then(|l| l.last().and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    assert!(
        len * 4 > MAX_EXEC_VARIABLE_BYTES && len <= MAX_EXEC_VARIABLE_BYTES,
        "{len}"
    );
}

#[test]
fn a_finite_counting_loop_and_a_long_for_run_to_their_end() {
    let (p, state, world) = run(
        "i=0; while [ $i -lt 500 ]; do i=$((i+1)); done; for n in $(seq 1 1000); do echo $n >> /d/f; done; echo $i",
        SimTime(1_000),
    );
    assert!(
        matches!(state, ProcessState::Exited { code: 0, .. }),
        "{state:?}"
    );
    assert_eq!(p.busy_loop, None);
    assert_eq!(world.line_count("app", "/d/f"), Some(1000));
}

/// Starts `script` in `n` containers sharing one world and runs them to `until` a minute at a time,
/// each in turn (as the kubelet does, in a fixed order).
fn run_many(script: &str, n: usize, until: SimTime, world: &mut World) -> Vec<Process> {
    let mut procs: Vec<Process> = (0..n)
        .map(|i| {
            let mut c = sh(script);
            c.name = format!("c{i}");
            world.add_container(&c);
            behaviour(&c).spawn(&c.name, SimTime(0))
        })
        .collect();
    let mut t = SimTime(0);
    while t < until {
        t = (t + Millis(60_000)).min(until);
        for p in &mut procs {
            p.run_until(t, world);
        }
    }
    procs
}

#[test]
fn many_containers_share_the_pods_budget_instead_of_multiplying_the_runs() {
    let mut world = World::default();
    // Each spends its own run's budget sleeping 100 ms a round: 40 of them would take 40 runs' worth.
    let procs = run_many(
        "while true; do i=$((i+1)); sleep 0.1; done",
        40,
        HOUR,
        &mut world,
    );
    let taken: u64 = procs.iter().map(|p| p.steps_taken()).sum();
    assert_eq!(taken, world.pod_steps.taken());
    assert!(taken <= STEPS_PER_POD_RUN, "{taken} steps");
    // Taking turns, every one of them runs out of the pod's budget before its own, and is named once.
    let stopped = procs
        .iter()
        .filter(|p| matches!(p.busy_loop, Some((_, BusyLoop::PodBudgetSpent))))
        .count();
    assert_eq!(stopped, 40);
    let named: Vec<&str> = world.pod_steps.spent_in().collect();
    assert_eq!(named.len(), 40, "{named:?}");
}

#[test]
fn a_process_stopped_by_the_pods_budget_still_runs_its_sigterm_trap() {
    let mut world = World::default();
    let script =
        "trap 'echo bye >> /d/bye; exit 3' TERM; while true; do i=$((i+1)); sleep 0.1; done";
    let mut procs = run_many(script, 12, HOUR, &mut world);
    // The first one the pod's budget stopped had set its trap (its first command) before: those after
    // it never took a step.
    let last = procs
        .iter_mut()
        .find(|p| matches!(p.busy_loop, Some((_, BusyLoop::PodBudgetSpent))))
        .expect("the pod's budget stops one of twelve");
    assert!(last.steps_taken() > 0);
    last.signal(Signal::Term, HOUR, &mut world);
    assert_eq!(
        last.run_until(HOUR, &mut world),
        ProcessState::Exited { code: 3, at: HOUR }
    );
}

#[test]
fn a_doubling_string_spends_the_budget_at_a_mebibyte_instead_of_eating_memory() {
    let (p, state, world) = run(
        "x=a; while true; do x=\"$x$x\"; echo ${#x} > /d/len; done",
        HOUR,
    );
    assert!(matches!(state, ProcessState::Running { .. }), "{state:?}");
    assert_eq!(p.busy_loop, Some((SimTime(0), BusyLoop::BudgetSpent)));
    // It stopped at the first value past the bound (with the shell's other variables): the last length
    // it wrote is the one before, and nothing much larger was ever built.
    let len: usize = world
        .read_lines("app", "/d/len")
        .and_then(|l| l.last().and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    assert!(
        len * 4 > MAX_VARIABLE_BYTES && len <= MAX_VARIABLE_BYTES,
        "{len}"
    );
}

#[test]
fn a_growing_array_spends_the_budget_at_its_bound() {
    // Sleeping a little each round, so that it is not stopped early as a busy loop.
    // Eight elements a round, to reach the bound on elements before the run's budget of steps.
    let mut c = sh("while true; do a+=(x x x x x x x x); echo ${#a[@]} > /d/n; sleep 0.01; done");
    c.command[0] = "bash".into();
    let mut world = World::default();
    world.add_container(&c);
    let mut p = behaviour(&c).spawn("app", SimTime(0));
    p.run_until(HOUR, &mut world);
    let n: usize = world
        .read_lines("app", "/d/n")
        .and_then(|l| l.last().and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    assert!(n > MAX_VARIABLES / 2 && n <= MAX_VARIABLES, "{n}");
    assert!(matches!(p.busy_loop, Some((_, BusyLoop::BudgetSpent))));
}

/// A `while read` loop over a pipe runs each command of its body with the rest of the input: shared,
/// not copied (1 000 lines once cost a million copies), and the loop reads every line once.
#[test]
fn a_read_loop_over_a_pipe_reads_each_line_once() {
    let (p, state, world) = run(
        "seq 1 1000 | while read n; do echo $n >> /d/seen; done; echo done >> /d/seen",
        HOUR,
    );
    assert!(
        matches!(state, ProcessState::Exited { code: 0, .. }),
        "{state:?}"
    );
    assert_eq!(p.busy_loop, None);
    assert_eq!(world.line_count("app", "/d/seen"), Some(1001));
}

/// Arithmetic is counted by its length: thirty nested parentheses are many steps' work, not one.
#[test]
fn a_long_arithmetic_expression_costs_steps_by_its_length() {
    let nested = format!("{}1{}", "(".repeat(30), ")".repeat(30));
    let (short, _, _) = run("((1)); echo $((1))", HOUR);
    let (long, _, _) = run(&format!("(({nested})); echo $(({nested}))"), HOUR);
    // 61 bytes at two a step, twice.
    assert!(
        long.steps_taken() >= short.steps_taken() + 60,
        "{} against {}",
        long.steps_taken(),
        short.steps_taken()
    );
}
