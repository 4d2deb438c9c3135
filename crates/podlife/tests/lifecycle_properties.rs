//! Properties every simulated pod must have, over random pods (random init containers, sidecars with and
//! without startup probes, regular containers that run, exit or crash, random restart policies and
//! deletion times): init containers never overlap (R22), no regular container starts before the pod is
//! initialized (R25: the last init container is done, and each earlier one was done once, since the next
//! one starts only then; an earlier sidecar may be crash-looping again by the time the app starts), a sidecar is never sent SIGTERM before the last regular container has exited
//! (R71, 1.29+), and every simulation ends within the one-hour horizon.

use podlife::scenario::{Action, Scenario};
use podlife::time::SimTime;
use podlife::trace::{EventKind, SignalName, Trace};
use podlife::{simulate_manifest, CheckOptions, KubeVersion, SimulateOptions};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Script {
    RunsFor(u8),
    Fails(u8),
    Forever,
    TrapsTerm(u8),
}

impl Script {
    fn command(&self) -> String {
        match self {
            Script::RunsFor(s) => format!("sleep {s}; exit 0"),
            Script::Fails(s) => format!("sleep {s}; exit 1"),
            Script::Forever => "while true; do sleep 1; done".into(),
            Script::TrapsTerm(s) => format!("trap 'sleep {s}; exit 0' TERM; sleep 3600 & wait $!"),
        }
    }
}

fn script() -> impl Strategy<Value = Script> {
    prop_oneof![
        (0u8..6).prop_map(Script::RunsFor),
        (0u8..6).prop_map(Script::Fails),
        Just(Script::Forever),
        (0u8..8).prop_map(Script::TrapsTerm),
    ]
}

#[derive(Debug, Clone)]
struct RandomPod {
    /// `(is_sidecar, script, startup probe delay)` per init container.
    init: Vec<(bool, Script, Option<u8>)>,
    regular: Vec<Script>,
    policy: &'static str,
    grace: u8,
    delete_at: Option<u16>,
}

fn random_pod() -> impl Strategy<Value = RandomPod> {
    (
        prop::collection::vec((any::<bool>(), script(), prop::option::of(1u8..5)), 0..4),
        prop::collection::vec(script(), 1..4),
        prop_oneof![Just("Always"), Just("OnFailure"), Just("Never")],
        1u8..20,
        prop::option::of(1u16..120),
    )
        .prop_map(|(init, regular, policy, grace, delete_at)| RandomPod {
            init,
            regular,
            policy,
            grace,
            delete_at,
        })
}

impl RandomPod {
    fn yaml(&self) -> String {
        let mut y = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: random\nspec:\n  restartPolicy: {}\n  terminationGracePeriodSeconds: {}\n",
            self.policy, self.grace
        );
        if !self.init.is_empty() {
            y.push_str("  initContainers:\n");
            for (i, (sidecar, script, startup)) in self.init.iter().enumerate() {
                y.push_str(&format!("  - name: init-{i}\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"{}\"]\n", script.command()));
                if *sidecar {
                    y.push_str("    restartPolicy: Always\n");
                    if let Some(delay) = startup {
                        y.push_str(&format!(
                            "    startupProbe:\n      exec:\n        command: [\"true\"]\n      initialDelaySeconds: {delay}\n      periodSeconds: 1\n"
                        ));
                    }
                }
            }
        }
        y.push_str("  containers:\n");
        for (i, script) in self.regular.iter().enumerate() {
            y.push_str(&format!("  - name: app-{i}\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"{}\"]\n", script.command()));
        }
        y
    }

    /// The trace, or `None` when this version's API server refuses the pod (on 1.28 a dropped
    /// `restartPolicy: Always` makes a sidecar's startupProbe forbidden).
    fn try_simulate(&self, version: KubeVersion) -> Option<Trace> {
        let mut scenario = Scenario::default();
        if let Some(t) = self.delete_at {
            scenario.add(SimTime(u64::from(t) * 1000), Action::Delete { grace: None });
        }
        let options = SimulateOptions {
            check: CheckOptions {
                k8s: version,
                pick: None,
            },
            scenario,
        };
        simulate_manifest(&self.yaml(), &options)
            .ok()
            .map(|(trace, _)| trace)
    }

    fn simulate(&self, version: KubeVersion) -> Trace {
        let mut scenario = Scenario::default();
        if let Some(t) = self.delete_at {
            scenario.add(SimTime(u64::from(t) * 1000), Action::Delete { grace: None });
        }
        let options = SimulateOptions {
            check: CheckOptions {
                k8s: version,
                pick: None,
            },
            scenario,
        };
        match simulate_manifest(&self.yaml(), &options) {
            Ok((trace, _)) => trace,
            Err(diagnostics) => panic!(
                "the generated pod is invalid: {diagnostics:?}\n{}",
                self.yaml()
            ),
        }
    }
}

fn times(trace: &Trace, container: &str, matches: impl Fn(&EventKind) -> bool) -> Vec<f64> {
    trace
        .events
        .iter()
        .filter(|e| e.container.as_deref() == Some(container) && matches(&e.kind))
        .map(|e| e.t.0.as_secs())
        .collect()
}

/// `[start, end)` of each run of a container (end: its exit, or the end of the trace).
fn runs(trace: &Trace, container: &str) -> Vec<(f64, f64)> {
    let starts = times(trace, container, |k| matches!(k, EventKind::Started { .. }));
    let exits = times(trace, container, |k| matches!(k, EventKind::Exited { .. }));
    starts
        .iter()
        .map(|&s| {
            (
                s,
                exits
                    .iter()
                    .copied()
                    .find(|&e| e >= s)
                    .unwrap_or(trace.end.0.as_secs()),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn init_containers_never_overlap_r22(pod in random_pod()) {
        let trace = pod.simulate(KubeVersion::default());
        let plain: Vec<String> = pod.init.iter().enumerate().filter(|(_, (s, _, _))| !s).map(|(i, _)| format!("init-{i}")).collect();
        let mut all: Vec<(f64, f64, &String)> = plain.iter().flat_map(|n| runs(&trace, n).into_iter().map(move |(a, b)| (a, b, n))).collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        for pair in all.windows(2) {
            prop_assert!(pair[0].1 <= pair[1].0, "{} ran [{}, {}) and {} started at {}\n{}", pair[0].2, pair[0].0, pair[0].1, pair[1].2, pair[1].0, pod.yaml());
        }
    }

    /// Corrected R25: initialization is judged by the last init container, so a sidecar need not be
    /// running when the app starts; what holds is that every init container had been done (exited 0,
    /// or started) at least once by then.
    #[test]
    fn no_regular_container_starts_before_the_pod_is_initialized_r25(pod in random_pod()) {
        let trace = pod.simulate(KubeVersion::default());
        let first_regular = (0..pod.regular.len())
            .flat_map(|i| times(&trace, &format!("app-{i}"), |k| matches!(k, EventKind::Started { .. })))
            .fold(f64::INFINITY, f64::min);
        if first_regular.is_finite() {
            for (i, (sidecar, _, _)) in pod.init.iter().enumerate() {
                let name = format!("init-{i}");
                let done = if *sidecar {
                    times(&trace, &name, |k| matches!(k, EventKind::StartedChanged { value: true }))
                } else {
                    times(&trace, &name, |k| matches!(k, EventKind::Exited { exit_code: 0, .. }))
                };
                prop_assert!(done.first().is_some_and(|&t| t <= first_regular),
                    "{name} was not done when the first regular container started at {first_regular}\n{}", pod.yaml());
            }
        }
    }

    #[test]
    fn sidecars_get_sigterm_only_after_the_last_regular_container_exited_r71(pod in random_pod()) {
        let trace = pod.simulate(KubeVersion::default());
        let deletion = trace.events.iter().find(|e| matches!(e.kind, EventKind::DeletionRequested { .. })).map(|e| e.t.0.as_secs());
        let Some(deleted_at) = deletion else { return Ok(()) };
        let grace_deadline = deleted_at + f64::from(pod.grace).max(1.0);
        let last_regular_exit = (0..pod.regular.len())
            .flat_map(|i| times(&trace, &format!("app-{i}"), |k| matches!(k, EventKind::Exited { .. })))
            .fold(0.0, f64::max);
        for (i, (sidecar, _, _)) in pod.init.iter().enumerate() {
            if !sidecar {
                continue;
            }
            for t in times(&trace, &format!("init-{i}"), |k| matches!(k, EventKind::Killing { signal: SignalName::Term })) {
                if t >= deleted_at {
                    // Before the deadline a sidecar waits for every regular container (R71); at the
                    // deadline everyone still waiting gets SIGTERM together (R73).
                    prop_assert!(t >= last_regular_exit || t >= grace_deadline - 0.001,
                        "init-{i} got SIGTERM at {t}, the last regular container exited at {last_regular_exit}\n{}", pod.yaml());
                }
            }
        }
    }

    #[test]
    fn every_simulation_ends_within_the_horizon(pod in random_pod(), minor in 28u8..=37) {
        let version = KubeVersion::new(minor);
        let trace = pod.try_simulate(version);
        let Some(trace) = trace else {
            prop_assert!(minor == 28, "only 1.28 may refuse a generated pod:\n{}", pod.yaml());
            return Ok(());
        };
        prop_assert!(trace.end.0 <= SimTime(3_600_000));
        prop_assert!(trace.events.windows(2).all(|w| w[0].t.0 <= w[1].t.0), "events out of order");
    }
}
