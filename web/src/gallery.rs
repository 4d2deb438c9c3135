//! The gallery menu: complete manifests that each teach one thing about the pod lifecycle.
//!
//! Each example is a YAML file under `web/gallery/`, compiled in with `include_str!`. Its leading
//! comment says what to watch, and shows in the editor. The `Seeds` group comes from the manifests the
//! project started from (../shared/seeds/); the `Lessons` group shows classic behaviours. Every
//! example must check without errors on the default Kubernetes version, and the native tests below
//! check that its lesson really shows in the simulated trace.

/// Which part of the gallery menu an example belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The seeds' own scenarios, made valid where they were not.
    Seeds,
    /// Classic lessons of the pod lifecycle.
    Lessons,
}

impl Group {
    /// The menu heading.
    pub fn label(self) -> &'static str {
        match self {
            Group::Seeds => "From the seeds",
            Group::Lessons => "Classic lessons",
        }
    }
}

/// One gallery entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// kebab-case, also the file name under `web/gallery/`.
    pub id: &'static str,
    pub title: &'static str,
    pub group: Group,
    /// What to watch for, in one or two plain sentences.
    pub lesson: &'static str,
    /// The manifest text.
    pub manifest: &'static str,
}

/// The gallery, in menu order: the seeds first (the default example first of all), then the lessons.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "log-shipper",
        title: "Log shipper as a native sidecar (Deployment)",
        group: Group::Seeds,
        lesson: "The log shipper is an init container with restartPolicy: Always, so it starts first \
                 and keeps running. The app starts only once the shipper is started.",
        manifest: include_str!("../gallery/log-shipper.yaml"),
    },
    Example {
        id: "job-sidecar",
        title: "Job with a native sidecar",
        group: Group::Seeds,
        lesson: "When the job's container exits 0, the kubelet stops the sidecar and the pod ends \
                 Succeeded, so the Job completes. The shipper ignores SIGTERM, so that takes the 30 s grace period.",
        manifest: include_str!("../gallery/job-sidecar.yaml"),
    },
    Example {
        id: "init-db-wait",
        title: "Init container waiting for a database",
        group: Group::Seeds,
        lesson: "init-db polls db:5432 until the database answers at 15 s. The pod stays in Init:0/1 \
                 until then, and the app starts only after init-db exits 0.",
        manifest: include_str!("../gallery/init-db-wait.yaml"),
    },
    Example {
        id: "envoy-proxy",
        title: "Envoy proxy as a second container",
        group: Group::Seeds,
        lesson: "A proxy listed in containers gets no head start: nginx starts first and Envoy 2 s \
                 later. Nothing makes the app wait for its proxy.",
        manifest: include_str!("../gallery/envoy-proxy.yaml"),
    },
    Example {
        id: "fluentd",
        title: "fluentd log forwarder as a second container",
        group: Group::Seeds,
        lesson: "On deletion, a forwarder listed in containers gets SIGTERM together with the app. \
                 fluentd is gone after 1 s while the app writes on until it is killed at 60 s.",
        manifest: include_str!("../gallery/fluentd.yaml"),
    },
    Example {
        id: "adapter-ambassador",
        title: "Adapter and ambassador sidecars",
        group: Group::Seeds,
        lesson: "Both helpers are native sidecars and start in list order before the app: first the \
                 ambassador (a proxy on localhost:5432 to the outside database), then the log adapter.",
        manifest: include_str!("../gallery/adapter-ambassador.yaml"),
    },
    Example {
        id: "startup-probe-gating",
        title: "A sidecar's startupProbe gates the app",
        group: Group::Lessons,
        lesson: "The proxy runs from 2.5 s but listens only 8 s later. Its startup probe fails until \
                 then, and the app starts only after the probe passes.",
        manifest: include_str!("../gallery/startup-probe-gating.yaml"),
    },
    Example {
        id: "reverse-shutdown",
        title: "Sidecars stop in reverse order",
        group: Group::Lessons,
        lesson: "When the pod is deleted at 20 s, the app gets SIGTERM first. Once it has exited, \
                 the sidecars stop one at a time, the last declared first.",
        manifest: include_str!("../gallery/reverse-shutdown.yaml"),
    },
    Example {
        id: "crashloop-backoff",
        title: "CrashLoopBackOff",
        group: Group::Lessons,
        lesson: "The app exits 1 three seconds after each start. The first restart is immediate; \
                 after that the kubelet waits 10 s, 20 s, 40 s and so on, doubling up to 5 minutes.",
        manifest: include_str!("../gallery/crashloop-backoff.yaml"),
    },
    Example {
        id: "init-failure-never",
        title: "Init container fails under restartPolicy: Never",
        group: Group::Lessons,
        lesson: "With restartPolicy: Never a failed init container is not retried. The pod goes \
                 Failed (Init:Error) and the app never starts.",
        manifest: include_str!("../gallery/init-failure-never.yaml"),
    },
    Example {
        id: "job-legacy-sidecar",
        title: "Job that never completes (legacy sidecar)",
        group: Group::Lessons,
        lesson: "The log shipper is a second entry of containers, so it is not stopped when the job \
                 is done. It runs forever, the pod stays Running and the Job never completes.",
        manifest: include_str!("../gallery/job-legacy-sidecar.yaml"),
    },
];

/// The example with this id.
pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

// Native tests: each example is valid, and its lesson shows in the simulated trace.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{find, Group, EXAMPLES};
    use podlife::pod_status::PodPhase;
    use podlife::trace::{EventKind, SignalName, Trace};
    use podlife::{check, simulate_manifest, CheckOptions, Severity, SimulateOptions};
    use std::collections::HashSet;

    fn trace(id: &str) -> Trace {
        let example = find(id).unwrap_or_else(|| panic!("no example {id}"));
        match simulate_manifest(example.manifest, &SimulateOptions::default()) {
            Ok((trace, _)) => trace,
            Err(diagnostics) => panic!("{id} does not simulate: {diagnostics:?}"),
        }
    }

    /// When `container` had an event matching `what`, in order.
    fn times(trace: &Trace, container: &str, what: impl Fn(&EventKind) -> bool) -> Vec<f64> {
        trace
            .events
            .iter()
            .filter(|e| e.container.as_deref() == Some(container) && what(&e.kind))
            .map(|e| e.t.0.as_secs())
            .collect()
    }

    fn first(trace: &Trace, container: &str, what: impl Fn(&EventKind) -> bool) -> f64 {
        *times(trace, container, what)
            .first()
            .unwrap_or_else(|| panic!("no such event for {container}"))
    }

    fn started(k: &EventKind) -> bool {
        matches!(k, EventKind::Started { .. })
    }

    fn started_true(k: &EventKind) -> bool {
        matches!(k, EventKind::StartedChanged { value: true })
    }

    fn exited(k: &EventKind) -> bool {
        matches!(k, EventKind::Exited { .. })
    }

    fn sigterm(k: &EventKind) -> bool {
        matches!(
            k,
            EventKind::Killing {
                signal: SignalName::Term
            }
        )
    }

    fn exit_codes(trace: &Trace, container: &str) -> Vec<i32> {
        trace
            .events
            .iter()
            .filter(|e| e.container.as_deref() == Some(container))
            .filter_map(|e| match e.kind {
                EventKind::Exited { exit_code, .. } => Some(exit_code),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_example_checks_without_errors_and_warns_only_when_that_is_the_lesson() {
        for example in EXAMPLES {
            let report = check(example.manifest, &CheckOptions::default());
            let errors: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    format!(
                        "{}:{} {}",
                        d.span.start.line,
                        d.span.start.column,
                        d.headline()
                    )
                })
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", example.id);
            let warnings: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .map(|d| d.headline())
                .collect();
            // The legacy Job's warning is its lesson; any other warning would distract from one.
            if example.id == "job-legacy-sidecar" {
                assert!(
                    warnings.iter().any(|w| w.contains("never complete")),
                    "{warnings:?}"
                );
            } else {
                assert!(warnings.is_empty(), "{}: {warnings:?}", example.id);
            }
            let trace = trace(example.id);
            assert!(
                trace.warnings.is_empty(),
                "{}: {:?}",
                example.id,
                trace.warnings
            );
        }
    }

    #[test]
    fn ids_are_unique_kebab_case_and_texts_are_filled_in() {
        let mut seen = HashSet::new();
        for example in EXAMPLES {
            let id = example.id;
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(
                !id.is_empty()
                    && !id.starts_with('-')
                    && !id.ends_with('-')
                    && !id.contains("--")
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{id} is not kebab-case"
            );
            assert!(!example.title.is_empty(), "{id}");
            let sentences = example.lesson.matches(". ").count() + 1;
            assert!(
                example.lesson.ends_with('.') && sentences <= 2,
                "{id}: the lesson is one or two sentences: {:?}",
                example.lesson
            );
            assert!(example.lesson.len() <= 200, "{id}: a short lesson, please");
            // The leading comment (1-3 lines) says what to watch.
            let comment = example
                .manifest
                .lines()
                .take_while(|l| l.starts_with('#'))
                .count();
            assert!((1..=3).contains(&comment), "{id}: {comment} comment lines");
            assert!(
                example
                    .manifest
                    .lines()
                    .all(|l| l.trim_start().starts_with('#') || !l.trim_end().ends_with(',')),
                "{id}: a trailing comma (the seeds' mistake)"
            );
        }
        assert_eq!(find("nope"), None);
    }

    #[test]
    fn seeds_come_first_and_the_default_is_the_log_shipper() {
        assert_eq!(EXAMPLES[0].id, "log-shipper");
        let groups: Vec<Group> = EXAMPLES.iter().map(|e| e.group).collect();
        let lessons_from = groups.iter().position(|g| *g == Group::Lessons).unwrap();
        assert!(groups[..lessons_from].iter().all(|g| *g == Group::Seeds));
        assert!(groups[lessons_from..].iter().all(|g| *g == Group::Lessons));
        // The editor opens on the log-shipper example.
        assert_eq!(EXAMPLES[0].manifest, crate::DEFAULT_MANIFEST);
        assert_eq!(EXAMPLES[0].id, crate::DEFAULT_EXAMPLE);
    }

    #[test]
    fn log_shipper_starts_before_the_app_and_keeps_running() {
        let t = trace("log-shipper");
        assert!(first(&t, "myapp", started) >= first(&t, "logshipper", started_true));
        assert!(times(&t, "logshipper", exited).is_empty());
        assert_eq!(t.outcome.phase, PodPhase::Running);
    }

    #[test]
    fn job_sidecar_succeeds_after_the_sidecar_is_stopped() {
        let t = trace("job-sidecar");
        assert_eq!(t.outcome.phase, PodPhase::Succeeded);
        assert_eq!(exit_codes(&t, "myjob"), vec![0]);
        let job_done = first(&t, "myjob", exited);
        assert!(first(&t, "logshipper", sigterm) >= job_done);
        let stop = t
            .events
            .iter()
            .find(|e| e.container.as_deref() == Some("logshipper") && sigterm(&e.kind))
            .unwrap();
        assert_eq!(stop.rule, Some("R71"));
    }

    #[test]
    fn init_db_wait_starts_the_app_only_after_the_database_is_up() {
        let t = trace("init-db-wait");
        let db_up = 15.0;
        assert!(first(&t, "init-db", exited) >= db_up);
        assert_eq!(exit_codes(&t, "init-db"), vec![0]);
        assert!(first(&t, "app", started) > db_up);
        // kubectl shows Init:0/1 until the database is up.
        let leaves_init = t
            .status
            .iter()
            .find(|s| s.status != "Init:0/1")
            .map(|s| s.t.0.as_secs());
        assert!(leaves_init.is_some_and(|at| at > db_up), "{leaves_init:?}");
        assert_eq!(t.outcome.phase, PodPhase::Running);
    }

    #[test]
    fn envoy_as_a_regular_container_starts_after_the_app() {
        let t = trace("envoy-proxy");
        assert!(first(&t, "app-container", started) < first(&t, "sidecar-proxy", started));
        assert_eq!(t.outcome.phase, PodPhase::Running);
    }

    #[test]
    fn fluentd_as_a_regular_container_stops_with_the_app_and_before_it() {
        let t = trace("fluentd");
        let app_term = first(&t, "app-container", sigterm);
        assert_eq!(app_term, first(&t, "sidecar-log-shipper", sigterm));
        let fluentd_gone = first(&t, "sidecar-log-shipper", exited);
        let app_gone = first(&t, "app-container", exited);
        assert!(fluentd_gone < app_gone);
        assert_eq!(exit_codes(&t, "app-container"), vec![137]);
        assert!(t.outcome.removed_at.is_some());
    }

    #[test]
    fn adapter_and_ambassador_start_in_order_before_the_app() {
        let t = trace("adapter-ambassador");
        let ambassador = first(&t, "ambassador", started_true);
        assert!(first(&t, "adapter", started) >= ambassador);
        assert!(first(&t, "app", started) >= first(&t, "adapter", started_true));
        for c in ["ambassador", "adapter", "app"] {
            assert!(times(&t, c, exited).is_empty(), "{c} exited");
        }
        assert_eq!(t.outcome.phase, PodPhase::Running);
    }

    #[test]
    fn startup_probe_gating_holds_the_app_until_the_probe_passes() {
        let t = trace("startup-probe-gating");
        let proxy_runs = first(&t, "proxy", started);
        let proxy_started = first(&t, "proxy", started_true);
        assert!(
            proxy_started > proxy_runs + 5.0,
            "the probe must hold it back"
        );
        let failures = times(&t, "proxy", |k| {
            matches!(
                k,
                EventKind::ProbeFailed {
                    probe: podlife::trace::ProbeKind::Startup
                }
            )
        });
        assert!(!failures.is_empty() && failures.iter().all(|f| *f < proxy_started));
        assert!(first(&t, "app", started) >= proxy_started);
        assert_eq!(t.outcome.phase, PodPhase::Running);
    }

    #[test]
    fn reverse_shutdown_stops_the_app_then_the_sidecars_last_declared_first() {
        let t = trace("reverse-shutdown");
        let deleted = t
            .events
            .iter()
            .find(|e| matches!(e.kind, EventKind::DeletionRequested { .. }))
            .expect("the scenario deletes the pod")
            .t
            .0
            .as_secs();
        let app = first(&t, "app", sigterm);
        let shipper = first(&t, "log-shipper", sigterm);
        let proxy = first(&t, "proxy", sigterm);
        assert!(deleted <= app && app < shipper && shipper < proxy);
        assert!(shipper >= first(&t, "app", exited));
        assert!(proxy >= first(&t, "log-shipper", exited));
        for c in ["log-shipper", "proxy"] {
            let rule = t
                .events
                .iter()
                .find(|e| e.container.as_deref() == Some(c) && sigterm(&e.kind))
                .and_then(|e| e.rule);
            assert_eq!(rule, Some("R71"), "{c}");
        }
        assert!(t.outcome.removed_at.is_some());
    }

    #[test]
    fn crashloop_backs_off_longer_each_time() {
        let t = trace("crashloop-backoff");
        let delays: Vec<f64> = t
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::BackOff { delay, .. } => Some(delay),
                _ => None,
            })
            .collect();
        assert!(delays.len() >= 4, "{delays:?}");
        assert_eq!(delays[0], 10.0);
        assert!(
            delays
                .windows(2)
                .all(|w| w[1] == (w[0] * 2.0).min(300.0) && w[1] > w[0]),
            "{delays:?}"
        );
        assert!(exit_codes(&t, "app").iter().all(|c| *c == 1));
        assert!(t.status.iter().any(|s| s.status == "CrashLoopBackOff"));
    }

    #[test]
    fn init_failure_under_never_fails_the_pod_and_never_starts_the_app() {
        let t = trace("init-failure-never");
        assert_eq!(t.outcome.phase, PodPhase::Failed);
        assert_eq!(exit_codes(&t, "migrate"), vec![1]);
        assert!(times(&t, "migrate", started).len() == 1, "not retried");
        assert!(times(&t, "app", |k| matches!(
            k,
            EventKind::Started { .. } | EventKind::Created
        ))
        .is_empty());
        assert_eq!(
            t.status.last().map(|s| s.status.as_str()),
            Some("Init:Error")
        );
    }

    #[test]
    fn a_legacy_sidecar_keeps_the_job_from_completing_and_a_native_one_does_not() {
        let legacy = trace("job-legacy-sidecar");
        assert_eq!(exit_codes(&legacy, "myjob"), vec![0]);
        assert!(times(&legacy, "logshipper", exited).is_empty());
        assert_eq!(legacy.outcome.phase, PodPhase::Running);
        assert!(!legacy.status.iter().any(|s| s.phase == PodPhase::Succeeded));
        assert_eq!(trace("job-sidecar").outcome.phase, PodPhase::Succeeded);
    }
}
