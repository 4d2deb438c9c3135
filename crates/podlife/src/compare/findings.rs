//! The findings: each one reads both traces (the resource requests read both specs) and says what
//! differs, with the moments that prove it. Nothing here is a fixed answer: a legacy pod whose proxy
//! holds the app back with a postStart, or a Job whose legacy sidecar is told to quit, shows it.

use super::resources::{self, PodRequests};
use super::trace_reading::{
    deletion_at, exits, final_exit, fmt_secs, kind_of, own_exits, pod_termination_at, ready_at,
    restarts, running_at_end, secs, started_at, started_flag_at, stop_requested, Exit, Reading,
};
use super::{Finding, FindingKind, Moment, Side, Sides, Variant};
use crate::json::Value;
use crate::model::PodSpec;
use crate::name_list::quoted;
use crate::pod_status::ContainerKind;
use crate::trace::{SharedFile, Trace};

/// The two variants and who is who.
pub(super) struct Pair<'a> {
    legacy: Reading<'a>,
    native: Reading<'a>,
    legacy_pod: Option<&'a PodSpec>,
    native_pod: Option<&'a PodSpec>,
    sidecars: &'a [String],
    /// The regular containers that are not sidecars: the app.
    apps: Vec<String>,
    /// The plain init containers.
    inits: Vec<String>,
}

impl<'a> Pair<'a> {
    pub(super) fn new(
        legacy: &'a Trace,
        native: &'a Trace,
        legacy_pod: Option<&'a PodSpec>,
        native_pod: Option<&'a PodSpec>,
        sidecars: &'a [String],
    ) -> Pair<'a> {
        let of_kind = |kind: ContainerKind| -> Vec<String> {
            native
                .containers
                .iter()
                .filter(|c| c.kind == kind && !sidecars.contains(&c.name))
                .map(|c| c.name.clone())
                .collect()
        };
        Pair {
            legacy: Reading::new(legacy),
            native: Reading::new(native),
            legacy_pod,
            native_pod,
            sidecars,
            apps: of_kind(ContainerKind::Regular),
            inits: of_kind(ContainerKind::Init),
        }
    }

    /// The two traces, legacy first (the order of a finding's values and halves).
    fn both(&self) -> [&Reading<'a>; 2] {
        [&self.legacy, &self.native]
    }
}

pub(super) fn all(p: &Pair<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(startup(p));
    out.extend(shutdown(p));
    out.push(completion(p));
    out.extend(sidecar_restarts(p));
    out.extend(init_containers(p));
    out.push(requests(p));
    out.extend(data(p));
    out
}

fn not_applicable(kind: FindingKind, reason: String, rules: &[&'static str]) -> Finding {
    Finding {
        kind,
        applicable: false,
        legacy: Value::Null,
        native: Value::Null,
        sentence: format!("{}: not applicable: {reason}", kind.name()),
        title: capitalized(kind.name()),
        sides: Sides::default(),
        times: Vec::new(),
        rules: rules.to_vec(),
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// A moment, when it happened at all.
fn moment(t: Option<f64>, what: impl FnOnce() -> String) -> Option<Moment> {
    t.map(|t| Moment { t, what: what() })
}

/// One finding's values and halves, gathered variant by variant in the order of [`Pair::both`].
#[derive(Default)]
struct Gathered {
    values: Vec<Value>,
    sides: Vec<Side>,
}

impl Gathered {
    fn push(
        &mut self,
        value: Value,
        text: String,
        moments: impl IntoIterator<Item = Option<Moment>>,
    ) {
        let mut moments: Vec<Moment> = moments.into_iter().flatten().collect();
        crate::stable_sort::sort_by(&mut moments, |a, b| a.t.total_cmp(&b.t));
        self.values.push(value);
        self.sides.push(Side { text, moments });
    }

    /// The finding: `{lead}legacy: …; native: …`, its moments those of both sides.
    fn finding(
        self,
        kind: FindingKind,
        title: String,
        lead: &str,
        rules: &[&'static str],
    ) -> Finding {
        let mut values = self.values.into_iter();
        let mut sides = self.sides.into_iter();
        let (legacy, native) = (
            values.next().unwrap_or_default(),
            values.next().unwrap_or_default(),
        );
        let (legacy_side, native_side) = (
            sides.next().unwrap_or_default(),
            sides.next().unwrap_or_default(),
        );
        let mut times: Vec<f64> = legacy_side
            .moments
            .iter()
            .chain(&native_side.moments)
            .map(|m| m.t)
            .collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        Finding {
            kind,
            applicable: true,
            legacy,
            native,
            sentence: format!(
                "{}: {lead}{}: {}; {}: {}",
                kind.name(),
                Variant::Legacy.name(),
                legacy_side.text,
                Variant::Native.name(),
                native_side.text
            ),
            title,
            sides: Sides {
                legacy: legacy_side,
                native: native_side,
            },
            times,
            rules: rules.to_vec(),
        }
    }
}

/// One finding per sidecar and app, for start-up and shutdown: `side` reads one variant's trace for
/// one pair and gives the value, that variant's half of the sentence and its moments.
fn per_pair(
    p: &Pair<'_>,
    kind: FindingKind,
    title: &str,
    rules: &[&'static str],
    side: impl Fn(&Reading, &str, &str) -> (Value, String, Vec<Option<Moment>>),
) -> Vec<Finding> {
    if p.apps.is_empty() {
        return vec![not_applicable(
            kind,
            "the pod has no app container besides its sidecars".into(),
            rules,
        )];
    }
    let mut out = Vec::new();
    for sidecar in p.sidecars {
        for app in &p.apps {
            let mut gathered = Gathered::default();
            for trace in p.both() {
                let (value, text, proof) = side(trace, sidecar, app);
                gathered.push(value, text, proof);
            }
            out.push(gathered.finding(
                kind,
                format!("{title}: \"{app}\" and \"{sidecar}\""),
                "",
                rules,
            ));
        }
    }
    out
}

// ---------------------------------------------------------------- 1. start-up

/// Did the app start before its sidecar was started and ready? Legacy: only the list order and a
/// blocking postStart hold the app back (R90); native: the app is not even created before the sidecar
/// is started (R23, R25), and being ready is not waited for.
fn startup(p: &Pair<'_>) -> Vec<Finding> {
    const RULES: &[&str] = &["R90", "R28", "R23", "R25"];
    per_pair(
        p,
        FindingKind::Startup,
        "Start-up",
        RULES,
        |trace, sidecar, app| {
            let app_started = started_at(trace, app);
            let sc_started = started_flag_at(trace, sidecar);
            let sc_ready = ready_at(trace, sidecar);
            let lead = app_started.zip(sc_ready).map(|(a, r)| r - a);
            let value = Value::object([
                ("app", app.into()),
                ("sidecar", sidecar.into()),
                ("appStarted", app_started.into()),
                ("sidecarStarted", sc_started.into()),
                ("sidecarReady", sc_ready.into()),
                (
                    "appStartedBeforeSidecarStarted",
                    app_started.zip(sc_started).map(|(a, s)| a < s).into(),
                ),
                ("appStartedBeforeSidecarReady", lead.map(|l| l > 0.0).into()),
                ("appLeadOverSidecarReady", lead.into()),
            ]);
            let proof = [
                moment(app_started, || format!("\"{app}\" started")),
                moment(sc_started, || format!("\"{sidecar}\" started")),
                moment(sc_ready, || format!("\"{sidecar}\" ready")),
            ];
            let text = match app_started {
                None => format!("\"{app}\" never started"),
                Some(a) => {
                    let flags = match (sc_started, sc_ready) {
                        (None, _) => format!("\"{sidecar}\" was never started"),
                        (Some(st), Some(r)) if st == r => format!(
                            "{} \"{sidecar}\" was started and ready ({})",
                            relation(a, st),
                            fmt_secs(st)
                        ),
                        (Some(st), Some(r)) => format!(
                            "{} \"{sidecar}\" was started ({}), {} it was ready ({})",
                            relation(a, st),
                            fmt_secs(st),
                            relation(a, r),
                            fmt_secs(r)
                        ),
                        (Some(st), None) => format!(
                            "{} \"{sidecar}\" was started ({}); it was never ready",
                            relation(a, st),
                            fmt_secs(st)
                        ),
                    };
                    format!("\"{app}\" started at {}, {flags}", fmt_secs(a))
                }
            };
            (value, text, proof.to_vec())
        },
    )
}

/// `2 s before`, `1 s after`, `at the moment`: when `a` happened, seen from `b`.
fn relation(a: f64, b: f64) -> String {
    if a < b {
        format!("{} before", fmt_secs(b - a))
    } else if a > b {
        format!("{} after", fmt_secs(a - b))
    } else {
        "at the moment".into()
    }
}

// ---------------------------------------------------------------- 2. shutdown

/// How long did the app run without its sidecar while the pod stopped? Legacy: every regular container
/// gets its preStop and SIGTERM at once (R92); native: sidecars only after the regular containers
/// exited, in reverse order (R71).
fn shutdown(p: &Pair<'_>) -> Vec<Finding> {
    const RULES: &[&str] = &["R92", "R75", "R71", "R62"];
    let stops = p.both().map(pod_termination_at);
    if stops.iter().all(Option::is_none) {
        return vec![not_applicable(
            FindingKind::Shutdown,
            "no shutdown in this scenario: the pod is neither deleted nor completes (delete it at some time: `--delete-at`, or \"Delete the pod\" in the playground)"
                .into(),
            RULES,
        )];
    }
    per_pair(
        p,
        FindingKind::Shutdown,
        "Shutdown",
        RULES,
        |trace, sidecar, app| {
            let end = secs(trace.end);
            let app_told = stop_requested(trace, app);
            let sc_told = stop_requested(trace, sidecar);
            let app_exit = final_exit(trace, app);
            let sc_exit = final_exit(trace, sidecar).map(|e| e.t);
            // The app alone: from the sidecar's exit to the app's (or to the end of the run).
            let alone = match (sc_exit, app_exit.as_ref().map(|e| e.t)) {
                (Some(s), Some(a)) => (a - s).max(0.0),
                (Some(s), None) => end - s,
                (None, _) => 0.0,
            };
            let app_told_t = app_told.map(|m| m.t);
            let sc_told_t = sc_told.map(|m| m.t);
            let value = Value::object([
                ("app", app.into()),
                ("sidecar", sidecar.into()),
                ("podStopping", pod_termination_at(trace).into()),
                ("deletion", deletion_at(trace).into()),
                ("appStopRequested", app_told_t.into()),
                ("sidecarStopRequested", sc_told_t.into()),
                ("appExited", app_exit.as_ref().map(|e| e.t).into()),
                ("sidecarExited", sc_exit.into()),
                (
                    "sidecarStoppedAfterAppExited",
                    sc_told
                        .map(|s| app_exit.as_ref().is_some_and(|e| e.index < s.index))
                        .into(),
                ),
                ("appWithoutSidecarSeconds", alone.into()),
            ]);
            let proof = [
                moment(app_told_t, || format!("\"{app}\" told to stop")),
                moment(sc_told_t, || format!("\"{sidecar}\" told to stop")),
                moment(app_exit.as_ref().map(|e| e.t), || {
                    format!("\"{app}\" exited")
                }),
                moment(sc_exit, || format!("\"{sidecar}\" exited")),
            ];
            // Events at one instant are in the order they happened: the order says whether the
            // sidecar was stopped after the app had exited, or beside it.
            let told = match (sc_told, app_told, &app_exit) {
            (None, _, _) => format!("\"{sidecar}\" was never told to stop"),
            (Some(s), _, Some(e)) if e.index < s.index && e.t == s.t => format!(
                "\"{sidecar}\" was told to stop at {}, right after \"{app}\" exited (in the same instant)",
                fmt_secs(s.t)
            ),
            (Some(s), _, Some(e)) if e.index < s.index => format!(
                "\"{sidecar}\" was told to stop at {}, after \"{app}\" exited at {}",
                fmt_secs(s.t),
                fmt_secs(e.t)
            ),
            (Some(s), Some(a), _) if s.t == a.t => format!(
                "\"{sidecar}\" was told to stop at {} together with \"{app}\"",
                fmt_secs(s.t)
            ),
            (Some(s), _, _) if started_at(trace, app).is_some_and(|a| a <= s.t) => {
                format!(
                    "\"{sidecar}\" was told to stop at {} while \"{app}\" still ran",
                    fmt_secs(s.t)
                )
            }
            (Some(s), _, _) => format!(
                "\"{sidecar}\" was told to stop at {} before \"{app}\" had started",
                fmt_secs(s.t)
            ),
        };
            let app_exit = app_exit.map(|e| e.t);
            let status = |exit: Option<f64>, name: &str| match exit {
                Some(t) => format!("exited at {}", fmt_secs(t)),
                None if started_at(trace, name).is_some() => {
                    format!("still ran at the end ({})", fmt_secs(end))
                }
                None => "never started".into(),
            };
            let alone_text = match (sc_exit, app_exit) {
                (Some(s), Some(a)) if s == a => ": both exited at the same moment".into(),
                (Some(_), Some(_)) if alone == 0.0 => ": the sidecar outlived the app".into(),
                (Some(_), Some(_)) => {
                    format!(": the app ran {} without it", fmt_secs(alone))
                }
                (Some(_), None) if started_at(trace, app).is_some() => {
                    format!(": the app ran {} without it, to the end", fmt_secs(alone))
                }
                _ => String::new(),
            };
            let ended = format!(
                "\"{sidecar}\" {}, \"{app}\" {}{alone_text}",
                status(sc_exit, sidecar),
                status(app_exit, app)
            );
            let text = if started_at(trace, sidecar).is_none() {
                format!(
                    "\"{sidecar}\" never started, \"{app}\" {}",
                    status(app_exit, app)
                )
            } else {
                format!("{told}; {ended}")
            };
            (value, text, proof.to_vec())
        },
    )
}

// ---------------------------------------------------------------- 3. completion

/// When did the pod reach Succeeded or Failed? A legacy sidecar that never exits keeps a Job's pod
/// Running forever (R93); a native one is stopped once the app completed (R62).
fn completion(p: &Pair<'_>) -> Finding {
    const RULES: &[&str] = &["R62", "R61", "R93"];
    let mut gathered = Gathered::default();
    let mut finished = [false; 2];
    // The app is done and only sidecars still run: what keeps a legacy Job from completing (R93).
    let mut held_by_sidecar = [false; 2];
    for (i, trace) in p.both().into_iter().enumerate() {
        let phase = trace.outcome.phase;
        let at_t = trace.outcome.at.map(secs);
        let end = secs(trace.end);
        let still_running: Vec<&str> = trace
            .containers
            .iter()
            .filter(|c| running_at_end(trace, &c.name))
            .map(|c| c.name.as_str())
            .collect();
        finished[i] = phase.is_terminal();
        let value = Value::object([
            ("phase", phase.name().into()),
            ("at", at_t.into()),
            ("removedAt", trace.outcome.removed_at.map(secs).into()),
            ("end", end.into()),
            ("runningAtEnd", still_running.clone().into()),
        ]);
        let mut proof = vec![moment(at_t, || phase.name().to_string())];
        let text = match at_t.filter(|_| phase.is_terminal()) {
            // Ended by the deletion, not by its containers: say so, or it reads as a completion.
            Some(t) => match deletion_at(trace).filter(|d| pod_termination_at(trace) == Some(*d)) {
                Some(d) => format!(
                    "{} at {}, only because the pod was deleted at {}",
                    phase.name(),
                    fmt_secs(t),
                    fmt_secs(d)
                ),
                None => format!("{} at {}", phase.name(), fmt_secs(t)),
            },
            None => {
                let sidecars_running = quoted(
                    still_running
                        .iter()
                        .filter(|n| p.sidecars.iter().any(|s| s == *n)),
                );
                // The app is done: every app container ran and has exited for good.
                let apps_done =
                    !p.apps.is_empty() && p.apps.iter().all(|a| final_exit(trace, a).is_some());
                if !sidecars_running.is_empty() && apps_done {
                    held_by_sidecar[i] = true;
                    proof.push(moment(Some(end), || {
                        format!("still {}: {sidecars_running} runs on", phase.name(),)
                    }));
                    format!(
                        "never completes: still {} at {}, the app is done but {sidecars_running} still runs",
                        phase.name(),
                        fmt_secs(end),
                    )
                } else {
                    // The run's own end is where podlife stopped looking: name the last change.
                    let last = trace.events.last().map_or(0.0, |e| secs(e.t));
                    format!(
                        "still {}; nothing changes after {}",
                        phase.name(),
                        fmt_secs(last)
                    )
                }
            }
        };
        gathered.push(value, text, proof);
    }
    let lead = match finished {
        [false, true] if held_by_sidecar[0] && p.native.pod.is_job() => {
            "a Job with a legacy sidecar never completes; "
        }
        [false, false] if p.native.pod.restart_policy == "Always" => {
            "neither finishes (restartPolicy Always: the pod runs until it is deleted); "
        }
        _ => "",
    };
    let title = match lead.strip_suffix("; ") {
        Some(lead) if !lead.is_empty() => capitalized(lead),
        _ => "Completion".to_string(),
    };
    gathered.finding(FindingKind::Completion, title, lead, RULES)
}

// ---------------------------------------------------------------- 4. restarts

/// What happened when the sidecar exited by itself (crashed, completed, or was killed by a failing
/// probe) before the pod stopped: a legacy sidecar follows the pod's restartPolicy (under Never it is
/// never restarted, and its exit code counts for the phase: R93, R50); a native one is always restarted
/// (R52).
fn sidecar_restarts(p: &Pair<'_>) -> Vec<Finding> {
    const RULES: &[&str] = &["R50", "R52", "R93"];
    let mut out = Vec::new();
    for sidecar in p.sidecars {
        let own = p.both().map(|t| own_exits(t, sidecar));
        if own.iter().all(Vec::is_empty) {
            out.push(not_applicable(
                FindingKind::Restarts,
                format!(
                    "\"{sidecar}\" never exits by itself in this scenario (to see it crash: the annotation podlife.dev/behaviour.{sidecar}: \"run=10s; exit=1\")"
                ),
                RULES,
            ));
            continue;
        }
        let mut gathered = Gathered::default();
        for (trace, own) in p.both().into_iter().zip(own) {
            let restarted = restarts(trace, sidecar);
            let running = running_at_end(trace, sidecar);
            let phase = trace.outcome.phase;
            let phase_at = trace.outcome.at.map(secs);
            let kind = kind_of(trace, sidecar).map_or("unknown", kind_name);
            let value = Value::object([
                ("sidecar", sidecar.into()),
                ("kind", kind.into()),
                ("restartPolicy", (&trace.pod.restart_policy).into()),
                (
                    "exits",
                    own.iter()
                        .map(|e| Value::object([("t", e.t.into()), ("exitCode", e.code.into())]))
                        .collect::<Vec<_>>()
                        .into(),
                ),
                ("restarts", restarted.into()),
                ("runningAtEnd", running.into()),
                ("phase", phase.name().into()),
                ("phaseAt", phase_at.into()),
            ]);
            let proof: Vec<Option<Moment>> = own
                .iter()
                .map(|e| moment(Some(e.t), || format!("\"{sidecar}\" exited ({})", e.code)))
                .collect();
            let text = match own.first() {
                None => format!("\"{sidecar}\" never exited by itself"),
                Some(first) => {
                    let after = if restarted > 0 {
                        format!("restarted {restarted} time{}", plural(restarted))
                    } else {
                        "never restarted".into()
                    };
                    let pod = match phase_at.filter(|_| phase.is_terminal()) {
                        Some(t) => format!("; the pod ended {} at {}", phase.name(), fmt_secs(t)),
                        None if !running => {
                            format!("; the pod ran on without it ({} at the end)", phase.name())
                        }
                        None => String::new(),
                    };
                    format!(
                        "\"{sidecar}\" ({kind}, restartPolicy {}) exited by itself {} time{}, first at {} with code {}; {after}{pod}",
                        trace.pod.restart_policy,
                        own.len(),
                        plural(own.len()),
                        fmt_secs(first.t),
                        first.code
                    )
                }
            };
            gathered.push(value, text, proof);
        }
        out.push(gathered.finding(
            FindingKind::Restarts,
            format!("When \"{sidecar}\" exits by itself"),
            "",
            RULES,
        ));
    }
    out
}

fn kind_name(k: ContainerKind) -> &'static str {
    match k {
        ContainerKind::Init => "init container",
        ContainerKind::Sidecar => "native sidecar",
        ContainerKind::Regular => "regular container",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

// ---------------------------------------------------------------- 5. init containers

/// Could init containers use the sidecar (a proxy for a migration, say)? A legacy sidecar starts only
/// after every init container (R91); a native one placed before an init container runs beside it.
/// Looked at: the init containers that call localhost, and any whose run differs between the variants.
fn init_containers(p: &Pair<'_>) -> Vec<Finding> {
    const RULES: &[&str] = &["R91", "R22", "R23"];
    let mut out = Vec::new();
    for init in &p.inits {
        let calls_localhost = p
            .native_pod
            .and_then(|pod| pod.init_containers.iter().find(|c| &c.name == init))
            .is_some_and(|c| {
                c.argv().iter().any(|a| {
                    ["localhost", "127.0.0.1", "[::1]", "::1"]
                        .iter()
                        .any(|h| a.contains(h))
                })
            });
        let runs = p.both().map(|t| init_run(t, init));
        if !calls_localhost && runs[0] == runs[1] {
            continue;
        }
        let mut gathered = Gathered::default();
        for (trace, run) in p.both().into_iter().zip(runs) {
            // Which sidecars run before it in this variant (native: declared before it).
            let init_index = trace
                .containers
                .iter()
                .find(|c| &c.name == init)
                .map(|c| c.index);
            let before: Vec<&str> = trace
                .containers
                .iter()
                .filter(|c| c.kind == ContainerKind::Sidecar && p.sidecars.contains(&c.name))
                .filter(|c| init_index.is_some_and(|i| c.index < i))
                .map(|c| c.name.as_str())
                .collect();
            let value = Value::object([
                ("initContainer", init.into()),
                ("callsLocalhost", calls_localhost.into()),
                ("sidecarsRunningBeside", before.clone().into()),
                ("started", run.started.into()),
                ("completed", run.completed.into()),
                ("failures", run.failures.len().into()),
                ("runningAtEnd", run.running_at_end.into()),
            ]);
            let mut proof = vec![
                moment(run.started, || format!("\"{init}\" started")),
                moment(run.completed, || format!("\"{init}\" completed")),
            ];
            proof.extend(
                run.failures
                    .iter()
                    .map(|e| moment(Some(e.t), || format!("\"{init}\" failed ({})", e.code))),
            );
            let how = match (run.started, run.completed) {
                (None, _) => {
                    // Held back by an init container before it that never completed (R22).
                    let blocking = quoted(
                        p.inits
                            .iter()
                            .take_while(|other| *other != init)
                            .filter(|other| init_run(trace, other).completed.is_none()),
                    );
                    if blocking.is_empty() {
                        "never started".to_string()
                    } else {
                        format!("never started: {blocking} before it never completed")
                    }
                }
                (Some(_), Some(c)) if run.failures.is_empty() => {
                    format!("completed at {}", fmt_secs(c))
                }
                (Some(_), Some(c)) => format!(
                    "failed {} time{} and completed at {}",
                    run.failures.len(),
                    plural(run.failures.len()),
                    fmt_secs(c)
                ),
                (Some(s), None) if run.failures.is_empty() => format!(
                    "started at {} and never completed{}",
                    fmt_secs(s),
                    if run.running_at_end {
                        " (still running at the end)"
                    } else {
                        ""
                    }
                ),
                (Some(_), None) => format!(
                    "failed {} time{} and never completed",
                    run.failures.len(),
                    plural(run.failures.len())
                ),
            };
            let beside = if before.is_empty() {
                "no sidecar runs beside it".to_string()
            } else {
                format!("{} runs beside it", before.join(", "))
            };
            gathered.push(value, format!("\"{init}\" {how} ({beside})"), proof);
        }
        let why = if calls_localhost {
            format!("\"{init}\" calls localhost; ")
        } else {
            String::new()
        };
        out.push(gathered.finding(
            FindingKind::InitContainers,
            format!("Init container \"{init}\""),
            &why,
            RULES,
        ));
    }
    if out.is_empty() {
        let reason = if p.inits.is_empty() {
            "the pod has no init container besides its sidecars".to_string()
        } else {
            format!(
                "no init container calls localhost, and {} run{} the same in both variants",
                quoted(&p.inits),
                if p.inits.len() == 1 { "s" } else { "" }
            )
        };
        out.push(not_applicable(FindingKind::InitContainers, reason, RULES));
    }
    out
}

/// How an init container's run went.
#[derive(Debug, PartialEq)]
struct InitRun {
    started: Option<f64>,
    /// Its first exit 0.
    completed: Option<f64>,
    failures: Vec<Exit>,
    running_at_end: bool,
}

fn init_run(trace: &Reading, init: &str) -> InitRun {
    let all = exits(trace, init);
    InitRun {
        started: started_at(trace, init),
        completed: all.iter().find(|e| e.code == 0).map(|e| e.t),
        failures: all.into_iter().filter(|e| e.code != 0).collect(),
        running_at_end: running_at_end(trace, init),
    }
}

// ---------------------------------------------------------------- 6. resources

/// The pod's requests as the scheduler computes them (R94), from each variant's spec and the kinds the
/// kubelet model read.
fn requests(p: &Pair<'_>) -> Finding {
    const RULES: &[&str] = &["R94"];
    let compute = |pod: Option<&PodSpec>, trace: &Reading| -> Option<PodRequests> {
        let pod = pod?;
        let members = resources::members(pod, |name| kind_of(trace, name));
        Some(resources::pod_requests(&members))
    };
    let (Some(legacy), Some(native)) = (
        compute(p.legacy_pod, &p.legacy),
        compute(p.native_pod, &p.native),
    ) else {
        return not_applicable(
            FindingKind::Resources,
            "the pod spec could not be read".into(),
            RULES,
        );
    };
    if !legacy.declared && !native.declared {
        return not_applicable(
            FindingKind::Resources,
            "no container declares cpu or memory requests (or limits): the scheduler reserves nothing for either".into(),
            RULES,
        );
    }
    let describe = |r: &PodRequests| {
        format!(
            "{} (init containers at most {}; running together {})",
            r.pod.describe(),
            r.effective_init.describe(),
            r.long_running.describe()
        )
    };
    let verdict = if legacy.pod == native.pod {
        "the same".to_string()
    } else {
        let more = |a: u64, b: u64, what: &str| match a.cmp(&b) {
            std::cmp::Ordering::Greater => Some(format!("native needs more {what}")),
            std::cmp::Ordering::Less => Some(format!("native needs less {what}")),
            std::cmp::Ordering::Equal => None,
        };
        [
            more(native.pod.cpu_millicores, legacy.pod.cpu_millicores, "cpu"),
            more(native.pod.memory_bytes, legacy.pod.memory_bytes, "memory"),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
            + ": a native sidecar also counts beside every init container after it"
    };
    let unreadable: Vec<String> = legacy
        .unreadable
        .iter()
        .chain(&native.unreadable)
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let note = if unreadable.is_empty() {
        String::new()
    } else {
        format!("; not quantities, counted as 0: {}", unreadable.join(", "))
    };
    let value = |r: &PodRequests| {
        Value::object([
            ("cpu", resources::cpu_text(r.pod.cpu_millicores).into()),
            ("memory", resources::memory_text(r.pod.memory_bytes).into()),
            ("requests", r.to_json()),
        ])
    };
    let side = |r: &PodRequests| Side {
        text: describe(r),
        moments: Vec::new(),
    };
    Finding {
        kind: FindingKind::Resources,
        applicable: true,
        legacy: value(&legacy),
        native: value(&native),
        title: "Resource requests".into(),
        sides: Sides {
            legacy: side(&legacy),
            native: side(&native),
        },
        sentence: format!(
            "resources: pod requests as the scheduler computes them: legacy {}; native {}; {verdict}{note}",
            describe(&legacy),
            describe(&native)
        ),
        times: Vec::new(),
        rules: RULES.to_vec(),
    }
}

// ---------------------------------------------------------------- 7. data

/// Lines an app writes to a file on a shared volume that a sidecar follows: written, read by the
/// sidecar, and written after it stopped reading (lost), from the traces' `files`.
fn data(p: &Pair<'_>) -> Vec<Finding> {
    const RULES: &[&str] = &["R92", "R71"];
    let read_by_sidecar =
        |f: &SharedFile| f.readers.iter().any(|r| p.sidecars.contains(&r.container));
    let mut keys: Vec<(String, String)> = Vec::new();
    for trace in p.both() {
        for f in trace.files.iter().filter(|f| read_by_sidecar(f)) {
            let key = (f.volume.clone(), f.path.clone());
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    if keys.is_empty() {
        return vec![not_applicable(
            FindingKind::Data,
            "no file on a shared volume is written by one container and followed by a sidecar (podlife counts `tail -f`/`-F` readers; fluentd's or fluent-bit's own file reading is not modelled)".into(),
            RULES,
        )];
    }
    let mut out = Vec::new();
    for (volume, path) in keys {
        let mut gathered = Gathered::default();
        for trace in p.both() {
            let file = trace
                .files
                .iter()
                .find(|f| f.volume == volume && f.path == path);
            let Some(file) = file else {
                let value = Value::object([
                    ("path", (&path).into()),
                    ("volume", (&volume).into()),
                    ("followedBySidecar", false.into()),
                ]);
                gathered.push(value, "no sidecar followed it".into(), []);
                continue;
            };
            let written: u64 = file.writers.iter().map(|w| w.lines).sum();
            let readers: Vec<_> = file
                .readers
                .iter()
                .filter(|r| p.sidecars.contains(&r.container))
                .collect();
            let read: u64 = readers.iter().map(|r| r.lines).sum();
            let stopped: Vec<Option<f64>> = readers
                .iter()
                .map(|r| final_exit(trace, &r.container).map(|e| e.t))
                .collect();
            let proof: Vec<Option<Moment>> = readers
                .iter()
                .zip(&stopped)
                .map(|(r, t)| moment(*t, || format!("\"{}\" stopped reading", r.container)))
                .collect();
            let names = quoted(readers.iter().map(|r| &r.container));
            let last_stop = stopped.iter().flatten().copied().reduce(f64::max);
            let value = Value::object([
                ("path", (&path).into()),
                ("volume", (&volume).into()),
                ("followedBySidecar", true.into()),
                ("written", written.into()),
                ("readBySidecar", read.into()),
                (
                    "lostAfterReaderStopped",
                    file.lost_after_reader_stopped.into(),
                ),
                ("readerStopped", last_stop.into()),
            ]);
            let lost = match last_stop {
                Some(t) if stopped.iter().all(Option::is_some) => format!(
                    "{} written after it stopped (it stopped at {})",
                    file.lost_after_reader_stopped,
                    fmt_secs(t)
                ),
                // A reader that never stopped has lost nothing yet.
                _ => "it never stopped reading".to_string(),
            };
            let text = format!(
                "{written} line{} written, {read} read by {}, {lost}",
                plural(written as usize),
                names,
            );
            gathered.push(value, text, proof);
        }
        out.push(gathered.finding(
            FindingKind::Data,
            format!("Lines written to {path}"),
            &format!("{path} (volume {volume}): "),
            RULES,
        ));
    }
    out
}
