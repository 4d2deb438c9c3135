//! Reading a trace at a moment: which status, events and container states are current at the
//! playhead, and the timeline's lanes. Pure functions over [`podlife::trace::Trace`]; times are seconds.

use podlife::pod_status::{Conditions, ContainerKind, PodPhase};
use podlife::trace::{Event, EventKind, IntervalState, StatusSnapshot, Trace};

pub fn secs(t: podlife::trace::Seconds) -> f64 {
    t.0.as_secs()
}

/// One container's lane: its intervals and the moments worth a marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub name: String,
    pub kind: ContainerKind,
    pub image: String,
    pub behaviour: String,
    pub intervals: Vec<(f64, f64, IntervalState)>,
    pub markers: Vec<Marker>,
    /// What podlife assumed about the container, as the core words it (empty: nothing).
    pub assumed: Vec<String>,
}

/// A moment drawn on a lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub t: f64,
    pub kind: MarkerKind,
    /// The event's message (the marker's tooltip).
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    ProbeFailed,
    Hook,
    /// A hook's handler failed (the kubelet's `FailedPostStartHook` / `FailedPreStopHook`).
    HookFailed,
    /// An image pull failed (`ErrImagePull`).
    PullFailed,
    /// The kubelet begins to kill the container (its `Killing` event), before any preStop and signal.
    KillStarted,
    Sigterm,
    Sigkill,
    ExitOk,
    ExitError,
    /// An exit whose reason is `OOMKilled`: the memory limit's killer, not the program.
    OomKilled,
}

impl MarkerKind {
    /// Whether the marker is the container's exit.
    pub fn is_exit(self) -> bool {
        matches!(
            self,
            MarkerKind::ExitOk | MarkerKind::ExitError | MarkerKind::OomKilled
        )
    }
}

/// The lanes, grouped as the kubelet starts them: init containers, sidecars, app containers.
pub fn lanes(trace: &Trace) -> Vec<Lane> {
    let mut lanes: Vec<Lane> = trace
        .containers
        .iter()
        .map(|c| Lane {
            name: c.name.clone(),
            kind: c.kind,
            image: c.image.clone(),
            behaviour: c.behaviour.clone(),
            assumed: assumed_of(c),
            intervals: trace
                .intervals
                .iter()
                .filter(|i| i.container == c.name)
                .map(|i| {
                    let state = match (c.kind, i.state) {
                        // No probes run on init containers: "not started yet" would mislead.
                        (ContainerKind::Init, IntervalState::Running) => IntervalState::Started,
                        (_, s) => s,
                    };
                    (secs(i.from), secs(i.to), state)
                })
                .collect(),
            markers: trace
                .events
                .iter()
                .filter(|e| e.container.as_deref() == Some(c.name.as_str()))
                .filter_map(marker)
                .collect(),
        })
        .collect();
    podlife::stable_sort::sort_by_key(&mut lanes, |l| group_order(l.kind));
    lanes
}

pub fn group_order(kind: ContainerKind) -> u8 {
    match kind {
        ContainerKind::Init => 0,
        ContainerKind::Sidecar => 1,
        ContainerKind::Regular => 2,
    }
}

pub fn group_name(kind: ContainerKind) -> &'static str {
    match kind {
        ContainerKind::Init => "init containers",
        ContainerKind::Sidecar => "sidecars",
        ContainerKind::Regular => "app containers",
    }
}

fn marker(e: &Event) -> Option<Marker> {
    let kind = match &e.kind {
        EventKind::ProbeFailed { .. } => MarkerKind::ProbeFailed,
        EventKind::PostStartHookStarted | EventKind::PreStopHookStarted => MarkerKind::Hook,
        EventKind::HookFailed { .. } => MarkerKind::HookFailed,
        EventKind::PullFailed { .. } => MarkerKind::PullFailed,
        EventKind::KillStarted { .. } => MarkerKind::KillStarted,
        EventKind::Killing { signal } => match signal {
            podlife::trace::SignalName::Term => MarkerKind::Sigterm,
            podlife::trace::SignalName::Kill => MarkerKind::Sigkill,
        },
        EventKind::Exited { exit_code: 0, .. } => MarkerKind::ExitOk,
        EventKind::Exited { reason, .. } if reason == podlife::trace::OOM_KILLED => {
            MarkerKind::OomKilled
        }
        EventKind::Exited { .. } => MarkerKind::ExitError,
        _ => return None,
    };
    Some(Marker {
        t: secs(e.t),
        kind,
        label: format!("{} s: {}", fmt_secs(secs(e.t)), e.message),
    })
}

/// The core's sentences for what it assumed about a container, each with the setting that decides it.
pub fn assumed_of(c: &podlife::trace::ContainerInfo) -> Vec<String> {
    c.assumptions
        .iter()
        .map(|a| {
            let (what, by) = (
                a.assumption.message(&a.container),
                a.assumption.decided_by(&a.container),
            );
            format!("{what} (say otherwise with {by})")
        })
        .collect()
}

/// Each container's assumptions by name, for the pod diagram's badges.
pub fn assumed_by_container(trace: &Trace) -> Vec<(String, Vec<String>)> {
    trace
        .containers
        .iter()
        .map(|c| (c.name.clone(), assumed_of(c)))
        .filter(|(_, a)| !a.is_empty())
        .collect()
}

/// The state of a lane at `t` (`None` before it exists). After its last interval (the trace ends as
/// the pod is removed) a container that exited shows its exit.
pub fn state_at(lane: &Lane, t: f64) -> Option<IntervalState> {
    if let Some((_, _, state)) = lane
        .intervals
        .iter()
        .find(|(from, to, _)| *from <= t && t < *to)
    {
        return Some(*state);
    }
    let (from, _, state) = *lane.intervals.last().filter(|(_, to, _)| t >= *to)?;
    let was_running = matches!(
        state,
        IntervalState::Running
            | IntervalState::Started
            | IntervalState::Ready
            | IntervalState::PostStart
            | IntervalState::PreStop
            | IntervalState::Terminating
    );
    if !was_running {
        return Some(state);
    }
    let exit = lane
        .markers
        .iter()
        .rev()
        .find(|m| m.t >= from && m.t <= t && m.kind.is_exit());
    Some(match exit.map(|m| m.kind) {
        Some(MarkerKind::ExitOk) => IntervalState::ExitedOk,
        Some(_) => IntervalState::ExitedError,
        None => state,
    })
}

/// The API server's view of the pod at `t`: the last snapshot at or before it.
pub fn status_at(trace: &Trace, t: f64) -> Option<&StatusSnapshot> {
    let n = trace.status.partition_point(|s| secs(s.t) <= t);
    n.checked_sub(1).map(|i| &trace.status[i])
}

/// The distinct moments at which something happened, in order.
pub fn event_times(trace: &Trace) -> Vec<f64> {
    let mut times: Vec<f64> = trace.events.iter().map(|e| secs(e.t)).collect();
    times.dedup();
    times
}

/// How many events have happened by `t` (the index of the first one still to come).
pub fn events_until(trace: &Trace, t: f64) -> usize {
    trace.events.partition_point(|e| secs(e.t) <= t)
}

/// The events of the latest moment at or before `t`: what the "why" panel explains.
pub fn current_events(trace: &Trace, t: f64) -> &[Event] {
    let end = events_until(trace, t);
    let Some(last) = end.checked_sub(1).map(|i| secs(trace.events[i].t)) else {
        return &[];
    };
    let start = trace.events[..end].partition_point(|e| secs(e.t) < last);
    &trace.events[start..end]
}

/// When the pod was deleted, if the scenario deletes it.
pub fn deletion_time(trace: &Trace) -> Option<f64> {
    trace
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::DeletionRequested { .. }))
        .map(|e| secs(e.t))
}

/// The run in one line, as the page shows it: the core's summary for a pod that finished; for one
/// that settled, when it settled (the simulator's own end, 30 s of quiet later, is not shown); for one
/// the simulation cut off while it was still changing, where it stood then.
pub fn outcome_line(trace: &Trace) -> String {
    let o = &trace.outcome;
    if o.phase.is_terminal() || o.removed_at.is_some() {
        return o.summary.clone();
    }
    let last = trace.events.last().map(|e| secs(e.t)).unwrap_or(0.0);
    let phase = o.phase.name();
    // Stopped by podlife's work budget: say where it stands and that the run is not over.
    if o.work_spent.is_some() {
        let end = fmt_secs(secs(trace.end));
        let status = trace
            .status
            .last()
            .map(|s| format!(": STATUS {}, RESTARTS {}", s.status, s.restarts))
            .unwrap_or_default();
        return format!(
            "Still {phase} when podlife stops simulating at {end} s{status} (the most podlife computes for one run; see the warning)"
        );
    }
    // Cut off mid-change (a crash loop at its one hour): say where it stands, not that it settled.
    if o.cut_at_horizon {
        let end = fmt_secs(secs(trace.end));
        return match trace.status.last() {
            Some(s) => format!(
                "Still {phase} when the simulation stops at {end} s: STATUS {}, RESTARTS {}",
                s.status, s.restarts
            ),
            None => format!("Still {phase} when the simulation stops at {end} s"),
        };
    }
    // A Job's pod that settles Running never completes: say so in the Job's own terms.
    if trace.pod.is_job() && o.phase == PodPhase::Running {
        let why = o
            .summary
            .split_once(": ")
            .map(|(_, why)| why)
            .unwrap_or("a container never exits");
        return format!("{phase} forever: the Job never completes ({why})");
    }
    match o.summary.split_once(": ") {
        Some((_, why)) => format!("{phase}; nothing changes after {} s: {why}", fmt_secs(last)),
        None => format!("{phase}; nothing changes after {} s", fmt_secs(last)),
    }
}

/// Where the timeline ends: the trace's end, without most of the quiet stretch the simulator waits
/// through before it calls a running pod stable (a few seconds after the last event stay visible).
pub fn view_end(trace: &Trace) -> f64 {
    let end = secs(trace.end);
    let last = trace.events.last().map(|e| secs(e.t)).unwrap_or(0.0);
    end.min(last + (last * 0.2).max(5.0))
}

/// `[from, to)` stretches of one pod phase, for the band over the lanes.
pub fn phase_segments(trace: &Trace) -> Vec<(f64, f64, PodPhase)> {
    segments(trace, |s| s.phase)
}

/// The five conditions by name, with the stretches where each is true.
pub fn condition_segments(trace: &Trace) -> Vec<(&'static str, Vec<(f64, f64)>)> {
    CONDITIONS
        .iter()
        .map(|(name, get)| {
            let spans = segments(trace, |s| get(&s.conditions))
                .into_iter()
                .filter(|(_, _, on)| *on)
                .map(|(from, to, _)| (from, to))
                .collect();
            (*name, spans)
        })
        .collect()
}

type ConditionGetter = fn(&Conditions) -> bool;

/// The five pod conditions in the order `kubectl describe` lists them.
pub const CONDITIONS: [(&str, ConditionGetter); 5] = [
    ("PodReadyToStartContainers", |c| {
        c.pod_ready_to_start_containers
    }),
    ("Initialized", |c| c.initialized),
    ("Ready", |c| c.ready),
    ("ContainersReady", |c| c.containers_ready),
    ("PodScheduled", |c| c.pod_scheduled),
];

fn segments<T: PartialEq + Copy>(
    trace: &Trace,
    value: impl Fn(&StatusSnapshot) -> T,
) -> Vec<(f64, f64, T)> {
    let end = secs(trace.end);
    let mut out: Vec<(f64, f64, T)> = Vec::new();
    for s in &trace.status {
        let v = value(s);
        let t = secs(s.t);
        match out.last_mut() {
            Some(last) if last.2 == v => {}
            Some(last) => {
                last.1 = t;
                out.push((t, end, v));
            }
            None => out.push((t, end, v)),
        }
    }
    out
}

/// `12`, `12.5`, `0.25`: seconds without trailing zeros.
pub fn fmt_secs(t: f64) -> String {
    podlife::time::secs_text((t * 1000.0).round().max(0.0) as u64)
}

/// What a lane's state means for its kind: an init container is never "started" or "ready", it runs.
pub fn lane_state_name(kind: ContainerKind, state: IntervalState) -> &'static str {
    match (kind, state) {
        (ContainerKind::Init, IntervalState::Running | IntervalState::Started) => "running",
        _ => state_name(state),
    }
}

pub fn state_name(state: IntervalState) -> &'static str {
    match state {
        IntervalState::Waiting => "waiting",
        IntervalState::Pulling => "pulling image",
        IntervalState::Running => "running, not yet started",
        IntervalState::Started => "started, not ready",
        IntervalState::Ready => "ready",
        IntervalState::PostStart => "postStart hook",
        IntervalState::PreStop => "preStop hook",
        IntervalState::Terminating => "terminating",
        IntervalState::ExitedOk => "exited 0",
        IntervalState::ExitedError => "exited with an error",
        IntervalState::BackOff => "back-off",
    }
}

/// The CSS class of a state (colours and patterns live in the stylesheet).
pub fn state_class(state: IntervalState) -> &'static str {
    match state {
        IntervalState::Waiting => "s-waiting",
        IntervalState::Pulling => "s-pulling",
        IntervalState::Running => "s-running",
        IntervalState::Started => "s-started",
        IntervalState::Ready => "s-ready",
        IntervalState::PostStart | IntervalState::PreStop => "s-hook",
        IntervalState::Terminating => "s-terminating",
        IntervalState::ExitedOk => "s-exited-ok",
        IntervalState::ExitedError => "s-exited-error",
        IntervalState::BackOff => "s-backoff",
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::simulation::{run, Settings};
    use crate::DEFAULT_MANIFEST;

    fn trace() -> std::rc::Rc<Trace> {
        run(DEFAULT_MANIFEST, &Settings::default()).trace.unwrap()
    }

    #[test]
    fn lanes_are_grouped_init_sidecar_app() {
        let lanes = lanes(&trace());
        let order: Vec<u8> = lanes.iter().map(|l| group_order(l.kind)).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert!(lanes.iter().all(|l| !l.intervals.is_empty()));
    }

    #[test]
    fn status_and_current_events_follow_the_playhead() {
        let trace = trace();
        assert!(status_at(&trace, -1.0).is_none());
        let end = secs(trace.end);
        assert_eq!(status_at(&trace, end).unwrap().status, "Running");
        let shown = view_end(&trace);
        assert!(shown <= end && shown > secs(trace.events.last().unwrap().t));
        let times = event_times(&trace);
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        let t = times[2];
        let current = current_events(&trace, t + 0.0001);
        assert!(!current.is_empty());
        assert!(current.iter().all(|e| secs(e.t) == t));
        assert_eq!(events_until(&trace, end), trace.events.len());
    }

    #[test]
    fn phase_segments_cover_the_run_without_gaps() {
        let trace = trace();
        let segs = phase_segments(&trace);
        assert!(segs
            .windows(2)
            .all(|w| w[0].1 == w[1].0 && w[0].2 != w[1].2));
        assert_eq!(segs.last().unwrap().1, secs(trace.end));
        let ready = condition_segments(&trace);
        assert_eq!(ready.len(), 5);
        assert!(!ready
            .iter()
            .find(|(n, _)| *n == "Ready")
            .unwrap()
            .1
            .is_empty());
    }

    #[test]
    fn after_the_pod_is_removed_each_container_shows_how_it_ended() {
        let example = crate::gallery::find("reverse-shutdown").unwrap();
        let trace = run(example.manifest, &Settings::default()).trace.unwrap();
        let end = view_end(&trace);
        for lane in lanes(&trace) {
            let state = state_at(&lane, end);
            assert!(
                matches!(
                    state,
                    Some(IntervalState::ExitedOk | IntervalState::ExitedError)
                ),
                "{}: {state:?}",
                lane.name
            );
        }
    }

    #[test]
    fn a_settled_pod_is_described_by_when_it_settled() {
        let trace = trace();
        assert_eq!(outcome_line(&trace), "Running; nothing changes after 3.5 s");
        let job = crate::gallery::find("job-legacy-sidecar").unwrap();
        let trace = run(job.manifest, &Settings::default()).trace.unwrap();
        let line = outcome_line(&trace);
        assert!(line.contains("never exits"), "{line}");
    }

    #[test]
    fn sidecars_run_until_their_own_sigterm_during_a_deletion() {
        let example = crate::gallery::find("reverse-shutdown").unwrap();
        let trace = run(example.manifest, &Settings::default()).trace.unwrap();
        for lane in lanes(&trace) {
            let sigterm = lane.markers.iter().find(|m| m.kind == MarkerKind::Sigterm);
            let terminating = lane
                .intervals
                .iter()
                .find(|(_, _, s)| *s == IntervalState::Terminating);
            if let (Some(sig), Some((from, _, _))) = (sigterm, terminating) {
                assert!(
                    *from >= sig.t,
                    "{}: terminating at {from} before SIGTERM at {}",
                    lane.name,
                    sig.t
                );
            }
        }
    }

    /// The Kubernetes docs' memory example: `stress` allocating 250M under a 100Mi limit.
    const OOM_MANIFEST: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: memory-demo-2\nspec:\n  containers:\n  - name: ctr\n    image: polinux/stress\n    resources:\n      limits:\n        memory: 100Mi\n    command: [stress]\n    args: [--vm, '1', --vm-bytes, 250M, --vm-hang, '1']\n";

    fn markers_of(trace: &Trace, container: &str) -> Vec<MarkerKind> {
        lanes(trace)
            .into_iter()
            .find(|l| l.name == container)
            .map(|l| l.markers.into_iter().map(|m| m.kind).collect())
            .unwrap_or_default()
    }

    #[test]
    fn an_oom_kill_has_its_own_marker_and_counts_as_an_exit() {
        let trace = run(OOM_MANIFEST, &Settings::default()).trace.unwrap();
        let markers = markers_of(&trace, "ctr");
        assert!(markers.contains(&MarkerKind::OomKilled), "{markers:?}");
        assert!(!markers.contains(&MarkerKind::ExitError), "{markers:?}");
        let lane = lanes(&trace).remove(0);
        let oom = lane
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::OomKilled)
            .unwrap();
        assert_eq!(
            state_at(&lane, oom.t),
            Some(IntervalState::ExitedError),
            "{:?}",
            lane.intervals
        );
    }

    #[test]
    fn failed_pulls_and_hooks_and_the_start_of_each_kill_are_marked() {
        let manifest = include_str!("../../tests/corpus/good/028-image-pull-fails.yaml");
        let trace = run(manifest, &Settings::default()).trace.unwrap();
        assert!(markers_of(&trace, "app").contains(&MarkerKind::PullFailed));
        let warmup = markers_of(&trace, "warmup");
        assert!(warmup.contains(&MarkerKind::HookFailed), "{warmup:?}");
        assert!(warmup.contains(&MarkerKind::KillStarted), "{warmup:?}");
    }

    #[test]
    fn a_run_cut_off_mid_crash_loop_says_where_it_stood() {
        let example = crate::gallery::find("crashloop-backoff").unwrap();
        let trace = run(example.manifest, &Settings::default()).trace.unwrap();
        let last = trace.status.last().unwrap();
        assert_eq!(
            outcome_line(&trace),
            format!(
                "Still Running when the simulation stops at {} s: STATUS {}, RESTARTS {}",
                fmt_secs(secs(trace.end)),
                last.status,
                last.restarts
            )
        );
    }

    #[test]
    fn a_run_stopped_by_podlifes_work_budget_says_so() {
        let mut manifest = String::from(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: many\n  annotations:\n    podlife.dev/scenario: \"until=3600s\"\nspec:\n  containers:\n",
        );
        for i in 0..250 {
            manifest.push_str(&format!(
                "  - {{name: c{i}, image: \"busybox:1.36\", command: [sh, -c, \"sleep 1; exit 1\"]}}\n"
            ));
        }
        let trace = run(&manifest, &Settings::default()).trace.unwrap();
        let line = outcome_line(&trace);
        assert!(
            line.starts_with(&format!(
                "Still Running when podlife stops simulating at {} s",
                fmt_secs(secs(trace.end))
            )),
            "{line}"
        );
        assert!(
            line.contains("the most podlife computes for one run"),
            "{line}"
        );
    }

    #[test]
    fn seconds_are_printed_without_trailing_zeros() {
        assert_eq!(fmt_secs(12.0), "12");
        assert_eq!(fmt_secs(12.5), "12.5");
        assert_eq!(fmt_secs(0.25), "0.25");
    }
}
