//! The gallery menu: complete manifests that each teach one thing about the pod lifecycle.
//!
//! Each example is a YAML file under `web/gallery/`, compiled in with `include_str!`. Its leading
//! comment says what to watch, and shows in the editor. The `Seeds` group comes from the manifests the
//! project started from (numbered 001–004, as in `tests/corpus/seeds`); the `Lessons` group shows classic behaviours. Every
//! example must check without errors on the default Kubernetes version, and the native tests below
//! check that its lesson really shows in the simulated trace: each test reads every number its lesson
//! states (`stated`) and checks it, so a lesson the model no longer bears out fails.

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
    Example {
        id: "liveness-wrong-port",
        title: "Liveness probe on the wrong port",
        group: Group::Lessons,
        lesson: "nginx serves on port 80; its liveness probe asks 8080, where nothing listens. After \
                 three refused probes the kubelet restarts the healthy container, into CrashLoopBackOff.",
        manifest: include_str!("../gallery/liveness-wrong-port.yaml"),
    },
    Example {
        id: "oom-killed",
        title: "Out of memory: OOMKilled",
        group: Group::Lessons,
        lesson: "stress allocates 250 MiB under a 100 MiB memory limit. The kernel kills it at once \
                 (exit 137, OOMKilled), and each restart waits longer in CrashLoopBackOff.",
        manifest: include_str!("../gallery/oom-killed.yaml"),
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

    /// The numbers a lesson states, in order: digits ("30 s" → 30, "2.5 s" → 2.5, "db:5432" → 5432,
    /// "Init:0/1" → 0, 1) and small numbers written as words ("three seconds" → 3, "one at a time" → 1).
    fn numbers_in(text: &str) -> Vec<f64> {
        const WORDS: [&str; 13] = [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve",
        ];
        let chars: Vec<char> = text.chars().collect();
        let mut numbers = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let start = i;
            if chars[i].is_ascii_digit() {
                while i < chars.len()
                    && (chars[i].is_ascii_digit()
                        || chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                {
                    i += 1;
                }
                let digits: String = chars[start..i].iter().collect();
                numbers.push(digits.parse().expect("digits and one point"));
            } else if chars[i].is_alphabetic() {
                while i < chars.len() && chars[i].is_alphabetic() {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
                if let Some(n) = WORDS.iter().position(|w| *w == word) {
                    numbers.push(n as f64);
                }
            } else {
                i += 1;
            }
        }
        numbers
    }

    /// The `N` numbers the lesson of `id` states. Each lesson test takes all of them and checks each
    /// against the trace (or, where the trace cannot show it, against the manifest), so a model change
    /// that falsifies a lesson's words fails, and so does a number added to a lesson and left unchecked.
    fn stated<const N: usize>(id: &str) -> [f64; N] {
        let lesson = find(id).unwrap_or_else(|| panic!("no example {id}")).lesson;
        numbers_in(lesson).try_into().unwrap_or_else(|numbers: Vec<f64>| {
            panic!(
                "{id}: the lesson states {} numbers {numbers:?} and its test checks {N}: check each one \
                 against the trace: {lesson:?}",
                numbers.len()
            )
        })
    }

    fn sigkill(k: &EventKind) -> bool {
        matches!(
            k,
            EventKind::Killing {
                signal: SignalName::Kill
            }
        )
    }

    fn starts(trace: &Trace, container: &str) -> Vec<f64> {
        times(trace, container, started)
    }

    fn exit_times(trace: &Trace, container: &str) -> Vec<f64> {
        times(trace, container, exited)
    }

    #[test]
    fn numbers_in_reads_digits_decimals_and_number_words() {
        assert_eq!(
            numbers_in("exits 1 three seconds after; 2.5 s, db:5432, Init:0/1, 5 minutes."),
            vec![1.0, 3.0, 2.5, 5432.0, 0.0, 1.0, 5.0]
        );
        assert_eq!(
            numbers_in("One at a time; someone, nineteen, tension, v1.27"),
            vec![1.0, 1.27]
        );
        assert!(numbers_in("restartPolicy: Always").is_empty());
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
        let [] = stated("log-shipper");
        let t = trace("log-shipper");
        assert!(first(&t, "myapp", started) >= first(&t, "logshipper", started_true));
        assert!(times(&t, "logshipper", exited).is_empty());
        assert_eq!(t.outcome.phase, PodPhase::Running);
    }

    #[test]
    fn job_sidecar_succeeds_after_the_sidecar_is_stopped() {
        let [exit_code, grace] = stated("job-sidecar");
        let t = trace("job-sidecar");
        assert_eq!(t.outcome.phase, PodPhase::Succeeded);
        assert_eq!(exit_codes(&t, "myjob"), vec![exit_code as i32]);
        let job_done = first(&t, "myjob", exited);
        let term = first(&t, "logshipper", sigterm);
        assert!(term >= job_done);
        let stop = t
            .events
            .iter()
            .find(|e| e.container.as_deref() == Some("logshipper") && sigterm(&e.kind))
            .unwrap();
        assert_eq!(stop.rule, Some("R71"));
        // The shipper ignores SIGTERM: it is killed when the whole grace period has passed.
        assert_eq!(first(&t, "logshipper", sigkill) - term, grace);
        assert_eq!(exit_codes(&t, "logshipper"), vec![137]);
    }

    #[test]
    fn init_db_wait_starts_the_app_only_after_the_database_is_up() {
        let [port, db_up, ready, total, exit_code] = stated("init-db-wait");
        let example = find("init-db-wait").unwrap();
        // The port is the manifest's (the trace does not show it); the poll is every 2 s.
        assert!(example.manifest.contains(&format!("nc -z db {port}")));
        assert!(
            example.manifest.contains(&format!("up-at={db_up}s"))
                && example.manifest.contains("sleep 2")
        );
        let poll = 2.0;
        let t = trace("init-db-wait");
        let init_done = first(&t, "init-db", exited);
        assert!(
            init_done >= db_up && init_done < db_up + poll,
            "init-db exits at the first poll after {db_up} s: {init_done}"
        );
        assert_eq!(exit_codes(&t, "init-db"), vec![exit_code as i32]);
        assert!(first(&t, "app", started) > init_done);
        // kubectl shows Init:0/1 from the start until init-db has exited, then leaves it.
        let init_status = format!("Init:{ready}/{total}");
        let shown: Vec<(f64, &str)> = t
            .status
            .iter()
            .map(|s| (s.t.0.as_secs(), s.status.as_str()))
            .collect();
        let (before, after): (Vec<_>, Vec<_>) = shown.iter().partition(|(at, _)| *at < init_done);
        assert!(
            !before.is_empty() && before.iter().all(|(_, status)| *status == init_status),
            "{shown:?}"
        );
        assert!(
            after
                .first()
                .is_some_and(|(_, status)| *status != init_status),
            "{shown:?}"
        );
        assert_eq!(t.outcome.phase, PodPhase::Running);
    }

    #[test]
    fn envoy_as_a_regular_container_starts_after_the_app() {
        let [later] = stated("envoy-proxy");
        let t = trace("envoy-proxy");
        let app = first(&t, "app-container", started);
        assert_eq!(first(&t, "sidecar-proxy", started) - app, later);
        assert_eq!(t.outcome.phase, PodPhase::Running);
    }

    #[test]
    fn fluentd_as_a_regular_container_stops_with_the_app_and_before_it() {
        let [fluentd_takes, app_killed_at] = stated("fluentd");
        let t = trace("fluentd");
        let app_term = first(&t, "app-container", sigterm);
        assert_eq!(app_term, first(&t, "sidecar-log-shipper", sigterm));
        let fluentd_gone = first(&t, "sidecar-log-shipper", exited);
        assert_eq!(fluentd_gone - app_term, fluentd_takes);
        assert_eq!(first(&t, "app-container", sigkill), app_killed_at);
        let app_gone = first(&t, "app-container", exited);
        assert!(fluentd_gone < app_gone);
        assert_eq!(exit_codes(&t, "app-container"), vec![137]);
        assert!(t.outcome.removed_at.is_some());
    }

    #[test]
    fn adapter_and_ambassador_start_in_order_before_the_app() {
        let [port] = stated("adapter-ambassador");
        // The port is the manifest's: the ambassador declares it and the app polls it (that the app gets
        // through is a probe-and-port matter, checked in the core's tests).
        let manifest = find("adapter-ambassador").unwrap().manifest;
        assert!(manifest.contains(&format!("containerPort: {port}")));
        assert!(manifest.contains(&format!("nc -z localhost {port}")));
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
        let [runs_from, listens_after] = stated("startup-probe-gating");
        let manifest = find("startup-probe-gating").unwrap().manifest;
        assert!(manifest.contains(&format!("start-delay={listens_after}s")));
        let t = trace("startup-probe-gating");
        let proxy_runs = first(&t, "proxy", started);
        assert_eq!(proxy_runs, runs_from);
        // The probe cannot pass before the proxy listens (when exactly after is the probes' business).
        let proxy_started = first(&t, "proxy", started_true);
        assert!(
            proxy_started >= proxy_runs + listens_after,
            "the probe must hold it back: {proxy_started}"
        );
        let failures = times(&t, "proxy", |k| {
            matches!(
                k,
                EventKind::ProbeFailed {
                    probe: podlife::trace::ProbeKind::Startup,
                    ..
                }
            )
        });
        assert!(!failures.is_empty() && failures.iter().all(|f| *f < proxy_started));
        assert!(first(&t, "app", started) >= proxy_started);
        assert_eq!(t.outcome.phase, PodPhase::Running);
    }

    #[test]
    fn reverse_shutdown_stops_the_app_then_the_sidecars_last_declared_first() {
        let [deleted_at, at_a_time] = stated("reverse-shutdown");
        let t = trace("reverse-shutdown");
        let deleted = t
            .events
            .iter()
            .find(|e| matches!(e.kind, EventKind::DeletionRequested { .. }))
            .expect("the scenario deletes the pod")
            .t
            .0
            .as_secs();
        assert_eq!(deleted, deleted_at);
        let app = first(&t, "app", sigterm);
        let shipper = first(&t, "log-shipper", sigterm);
        let proxy = first(&t, "proxy", sigterm);
        assert!(deleted <= app && app < shipper && shipper < proxy);
        assert!(shipper >= first(&t, "app", exited));
        // One at a time: the next sidecar gets SIGTERM only once the one before it has exited.
        let stopping_at = |at: f64| {
            ["log-shipper", "proxy"]
                .iter()
                .filter(|c| first(&t, c, sigterm) <= at && at < first(&t, c, exited))
                .count()
        };
        let most_at_once = [shipper, proxy].map(stopping_at).into_iter().max();
        assert_eq!(most_at_once.map(|n| n as f64), Some(at_a_time));
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
        let [exit_code, runs_for, first_delay, second_delay, third_delay, cap_minutes] =
            stated("crashloop-backoff");
        let t = trace("crashloop-backoff");
        let delays = back_off_delays(&t);
        assert!(delays.len() >= 4, "{delays:?}");
        assert_eq!(delays[..3], [first_delay, second_delay, third_delay]);
        assert!(
            delays
                .windows(2)
                .all(|w| w[1] == (w[0] * 2.0).min(cap_minutes * 60.0) && w[1] > w[0]),
            "{delays:?}"
        );
        // The run is long enough to reach the cap.
        assert_eq!(delays.last(), Some(&(cap_minutes * 60.0)), "{delays:?}");
        assert!(exit_codes(&t, "app").iter().all(|c| *c == exit_code as i32));
        let (starts, exits) = (starts(&t, "app"), exit_times(&t, "app"));
        assert!(exits.len() >= 4, "{exits:?}");
        for (start, exit) in starts.iter().zip(&exits) {
            assert_eq!(exit - start, runs_for, "starts {starts:?}, exits {exits:?}");
        }
        // The first restart is immediate (at the next relist, within a second); each later one waits its
        // back-off from the exit.
        assert!(
            starts[1] - exits[0] <= 1.0,
            "starts {starts:?}, exits {exits:?}"
        );
        for (i, delay) in delays.iter().enumerate() {
            if let Some(next) = starts.get(i + 2) {
                assert!(
                    next - exits[i + 1] >= *delay && next - exits[i + 1] <= delay + 1.0,
                    "restart {} after {delay} s: starts {starts:?}, exits {exits:?}",
                    i + 2
                );
            }
        }
        assert!(t.status.iter().any(|s| s.status == "CrashLoopBackOff"));
    }

    #[test]
    fn init_failure_under_never_fails_the_pod_and_never_starts_the_app() {
        let [] = stated("init-failure-never");
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
        let [] = stated("job-legacy-sidecar");
        let legacy = trace("job-legacy-sidecar");
        assert_eq!(exit_codes(&legacy, "myjob"), vec![0]);
        assert!(times(&legacy, "logshipper", exited).is_empty());
        assert_eq!(legacy.outcome.phase, PodPhase::Running);
        assert!(!legacy.status.iter().any(|s| s.phase == PodPhase::Succeeded));
        assert_eq!(trace("job-sidecar").outcome.phase, PodPhase::Succeeded);
    }

    /// Each crash-loop back-off step the trace records, in seconds, in order.
    fn back_off_delays(t: &Trace) -> Vec<f64> {
        t.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::BackOff { delay, .. } => Some(delay),
                _ => None,
            })
            .collect()
    }

    fn probe_outputs(trace: &Trace, container: &str) -> Vec<String> {
        trace
            .events
            .iter()
            .filter(|e| e.container.as_deref() == Some(container))
            .filter_map(|e| match &e.kind {
                EventKind::ProbeFailed { output, .. } => Some(output.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn liveness_on_the_wrong_port_restarts_a_healthy_container() {
        let [serves, probes, in_a_row] = stated("liveness-wrong-port");
        let example = find("liveness-wrong-port")
            .map(|e| e.manifest)
            .unwrap_or_default();
        assert!(example.contains(&format!("containerPort: {serves}")));
        assert!(example.contains(&format!("failureThreshold: {in_a_row}")));
        let t = trace("liveness-wrong-port");
        let refused = format!(":{probes}: connect: connection refused");
        let outputs = probe_outputs(&t, "web");
        assert!(
            !outputs.is_empty() && outputs.iter().all(|o| o.ends_with(&refused)),
            "{outputs:?}"
        );
        // nginx itself never fails: every end is a kill for the failed liveness probe.
        let kills = times(&t, "web", |k| {
            matches!(
                k,
                EventKind::KillStarted {
                    cause: podlife::trace::KillCause::LivenessProbe,
                    restart: true
                }
            )
        });
        assert!(kills.len() >= 3, "{kills:?}");
        assert_eq!(times(&t, "web", exited).len(), kills.len());
        // Each kill comes `in_a_row` failed probes after the instance's first failure.
        let failures = times(&t, "web", |k| matches!(k, EventKind::ProbeFailed { .. }));
        let first_kill_failures = failures.iter().filter(|f| **f <= kills[0]).count();
        assert_eq!(
            first_kill_failures as f64, in_a_row,
            "{failures:?} {kills:?}"
        );
        assert!(starts(&t, "web").len() > kills.len() - 1);
        assert!(t.status.iter().any(|s| s.status == "CrashLoopBackOff"));
    }

    #[test]
    fn a_container_over_its_memory_limit_is_oom_killed_and_backs_off() {
        let [uses_mib, limit_mib, code] = stated("oom-killed");
        let example = find("oom-killed").map(|e| e.manifest).unwrap_or_default();
        assert!(example.contains(&format!("memory: \"{limit_mib}Mi\"")));
        let t = trace("oom-killed");
        let summary = &t.containers[0].behaviour;
        assert!(
            summary.contains(&format!(
                "uses {uses_mib} MiB, over its memory limit {limit_mib}Mi"
            )),
            "{summary}"
        );
        let ends: Vec<(i32, String)> = t
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Exited { exit_code, reason } => Some((*exit_code, reason.clone())),
                _ => None,
            })
            .collect();
        assert!(ends.len() >= 3, "{ends:?}");
        assert!(
            ends.iter()
                .all(|(c, r)| *c == code as i32 && r == "OOMKilled"),
            "{ends:?}"
        );
        // "At once": each instance dies within a second of its start.
        for (start, exit) in starts(&t, "stress").iter().zip(exit_times(&t, "stress")) {
            assert!(exit - start < 1.0, "started {start}, killed {exit}");
        }
        let delays = back_off_delays(&t);
        assert!(
            delays.len() >= 3 && delays.windows(2).all(|w| w[1] > w[0]),
            "{delays:?}"
        );
        let statuses: Vec<&str> = t.status.iter().map(|s| s.status.as_str()).collect();
        assert!(
            statuses.contains(&"OOMKilled") && statuses.contains(&"CrashLoopBackOff"),
            "{statuses:?}"
        );
    }
}
