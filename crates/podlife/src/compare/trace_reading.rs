//! Reading one container's history out of a trace: when it started, became started and ready, was told
//! to stop, exited, and whether it still runs at the end. The findings are computed from these, so
//! every number they give is a moment of the trace (docs/trace-format.md).

use crate::pod_status::ContainerKind;
use crate::sorted_map::SortedMap;
use crate::trace::{Event, EventKind, SignalName, Trace};

/// A trace with its events indexed by container, read once per comparison: every question below is
/// about one container, and scanning all the events for each made a pod of 200 containers cost the
/// square of 200 per restart round. It reads as the trace itself (`Deref`).
pub(super) struct Reading<'a> {
    trace: &'a Trace,
    /// For each container, the places of its events in `trace.events`, in order.
    by_container: SortedMap<&'a str, Vec<usize>>,
    /// When the whole pod began stopping ([`pod_termination_at`]): a question about the whole trace,
    /// asked for every container, so answered once.
    pod_termination: Option<f64>,
    /// Each container's kind, by name (the first of a name, as the trace lists them).
    kinds: SortedMap<&'a str, ContainerKind>,
}

impl<'a> Reading<'a> {
    pub(super) fn new(trace: &'a Trace) -> Reading<'a> {
        let mut by_container: SortedMap<&'a str, Vec<usize>> = SortedMap::new();
        for (index, e) in trace.events.iter().enumerate() {
            if let Some(name) = e.container.as_deref() {
                by_container.entry(name).or_default().push(index);
            }
        }
        Reading {
            trace,
            by_container,
            pod_termination: first_pod_termination(trace),
            kinds: SortedMap::from_first_of_each(
                trace
                    .containers
                    .iter()
                    .map(|c| (c.name.as_str(), c.kind))
                    .collect(),
            ),
        }
    }

    /// The events of `container`, with their places in `trace.events`, in order.
    fn events_of<'r>(&'r self, container: &str) -> impl Iterator<Item = (usize, &'a Event)> + 'r {
        let places = self
            .by_container
            .get(container)
            .map_or(&[][..], Vec::as_slice);
        places.iter().map(|&i| (i, &self.trace.events[i]))
    }
}

impl std::ops::Deref for Reading<'_> {
    type Target = Trace;
    fn deref(&self) -> &Trace {
        self.trace
    }
}

/// The rules of a SIGTERM sent because the whole pod is stopping (deletion, completion, active
/// deadline): R75 for regular containers, R69 for init containers, R71 and R73 for sidecars in their
/// turn or past the deadline, R80 for sidecars on 1.28 (docs/trace-format.md, `Killing`).
const POD_TERMINATION_KILLS: &[&str] = &["R69", "R71", "R73", "R75", "R80"];

/// One exit of a container: when, with which code, by which rule.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Exit {
    pub t: f64,
    pub code: i32,
    pub rule: Option<&'static str>,
    /// Its place in `trace.events`: what happened first at one instant.
    pub index: usize,
}

/// A moment of the trace: its time and its place among the events.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Moment {
    pub t: f64,
    pub index: usize,
}

/// Seconds of a trace time, rounded to the trace's millisecond resolution.
pub(super) fn secs(t: crate::trace::Seconds) -> f64 {
    (t.0.as_secs() * 1000.0).round() / 1000.0
}

pub(super) fn kind_of(trace: &Reading, container: &str) -> Option<ContainerKind> {
    trace.kinds.get(container).copied()
}

/// The first event of `container` that `pick` accepts.
fn first(trace: &Reading, container: &str, pick: impl Fn(&EventKind) -> bool) -> Option<f64> {
    trace
        .events_of(container)
        .find(|(_, e)| pick(&e.kind))
        .map(|(_, e)| secs(e.t))
}

/// When its process first started (`Started`).
pub(super) fn started_at(trace: &Reading, container: &str) -> Option<f64> {
    first(trace, container, |k| matches!(k, EventKind::Started { .. }))
}

/// When its `started` flag first became true: running, postStart done, startup probe passed (R23).
pub(super) fn started_flag_at(trace: &Reading, container: &str) -> Option<f64> {
    first(trace, container, |k| {
        matches!(k, EventKind::StartedChanged { value: true })
    })
}

/// When it first became ready (R37, R38).
pub(super) fn ready_at(trace: &Reading, container: &str) -> Option<f64> {
    first(trace, container, |k| {
        matches!(k, EventKind::ReadyChanged { value: true })
    })
}

/// Every exit, in time order.
pub(super) fn exits(trace: &Reading, container: &str) -> Vec<Exit> {
    trace
        .events_of(container)
        .filter_map(|(index, e)| match &e.kind {
            EventKind::Exited { exit_code, .. } => Some(Exit {
                t: secs(e.t),
                code: *exit_code,
                rule: e.rule,
                index,
            }),
            _ => None,
        })
        .collect()
}

/// How many times it was started again (`Started` with a restart count above 0).
pub(super) fn restarts(trace: &Reading, container: &str) -> usize {
    trace
        .events_of(container)
        .filter(
            |(_, e)| matches!(e.kind, EventKind::Started { restart_count } if restart_count > 0),
        )
        .count()
}

/// Does its process still run when the trace ends? (From the events: an interval cannot say it for a
/// container that exits at the very last instant.)
pub(super) fn running_at_end(trace: &Reading, container: &str) -> bool {
    let mut running = false;
    for (_, e) in trace.events_of(container) {
        match e.kind {
            EventKind::Started { .. } => running = true,
            EventKind::Exited { .. } => running = false,
            _ => {}
        }
    }
    running
}

/// When it stopped for good: its last exit, if it does not run at the end.
pub(super) fn final_exit(trace: &Reading, container: &str) -> Option<Exit> {
    if running_at_end(trace, container) {
        return None;
    }
    exits(trace, container).pop()
}

/// When it was first told to stop after its last start: its preStop hook or its SIGTERM.
pub(super) fn stop_requested(trace: &Reading, container: &str) -> Option<Moment> {
    let mine = trace.events_of(container);
    let mut asked = None;
    for (index, e) in mine {
        match &e.kind {
            EventKind::Started { .. } => asked = None,
            EventKind::PreStopHookStarted
            | EventKind::Killing {
                signal: SignalName::Term,
            } if asked.is_none() => {
                asked = Some(Moment {
                    t: secs(e.t),
                    index,
                })
            }
            _ => {}
        }
    }
    asked
}

/// When `kubectl delete` was called, if the scenario did.
pub(super) fn deletion_at(trace: &Trace) -> Option<f64> {
    trace
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::DeletionRequested { .. }))
        .map(|e| secs(e.t))
}

/// When the whole pod began stopping: the deletion, or the first SIGTERM the kubelet sent because the
/// pod completed (R62: sidecars stopped after the app).
pub(super) fn pod_termination_at(trace: &Reading) -> Option<f64> {
    trace.pod_termination
}

/// [`pod_termination_at`], read from the events.
fn first_pod_termination(trace: &Trace) -> Option<f64> {
    let kill = trace
        .events
        .iter()
        .find(|e| {
            matches!(e.kind, EventKind::Killing { .. })
                && e.rule.is_some_and(|r| POD_TERMINATION_KILLS.contains(&r))
        })
        .map(|e| secs(e.t));
    match (deletion_at(trace), kill) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The exits of a container that were not the pod stopping it: a crash, an exit by itself, a kill by a
/// failing probe; not a node reboot (R98) nor an image update (R65).
pub(super) fn own_exits(trace: &Reading, container: &str) -> Vec<Exit> {
    let until = pod_termination_at(trace).unwrap_or(f64::INFINITY);
    let mut out = Vec::new();
    let mut image_update_kill = false;
    for (index, e) in trace.events_of(container) {
        match &e.kind {
            EventKind::Started { .. } => image_update_kill = false,
            EventKind::Killing { .. } if e.rule == Some("R65") => image_update_kill = true,
            EventKind::Exited { exit_code, .. } => {
                let t = secs(e.t);
                if t < until && e.rule != Some("R98") && !image_update_kill {
                    out.push(Exit {
                        t,
                        code: *exit_code,
                        rule: e.rule,
                        index,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// `12 s`, `2.5 s`: a time or a duration for a sentence.
pub(super) fn fmt_secs(s: f64) -> String {
    let ms = (s * 1000.0).round() as i64;
    // Whole milliseconds, written without float formatting (it would bring its tables into the wasm).
    let sign = if ms < 0 { "-" } else { "" };
    format!("{sign}{} s", crate::time::secs_text(ms.unsigned_abs()))
}
