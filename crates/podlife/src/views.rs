//! Text views of a trace, as a person at a terminal knows them: `kubectl get pod -w`, the Events table of
//! `kubectl describe pod`, a timeline with the rule behind each line, and Markdown for course material.

use std::fmt::Write;

use crate::kubelet::DEADLINE_EXCEEDED;
use crate::pod_status::ContainerKind;
use crate::printers::{age, restarts_text};
use crate::sorted_map::SortedMap;
use crate::time::{Millis, SimTime};
use crate::trace::{Event, EventKind, HookName, Trace};
use crate::version::KubeVersion;

/// One line of `kubectl get pod -w`: the moment READY, STATUS or RESTARTS changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchRow {
    pub t: SimTime,
    pub ready: String,
    pub status: String,
    pub restarts: u32,
    /// When the last counted restart happened (R87), for RESTARTS' "(42s ago)".
    pub last_restart: Option<SimTime>,
}

impl WatchRow {
    /// RESTARTS as the line prints it at its own moment: `3 (42s ago)` (R87).
    pub fn restarts_text(&self) -> String {
        restarts_text(self.restarts, self.last_restart, self.t)
    }
}

/// The lines `kubectl get pod -w` prints, in order (AGE is the row's `t`); none after the pod object is
/// removed (the kubelet may still be stopping containers, but there is nothing left to watch).
pub fn watch_rows(trace: &Trace) -> Vec<WatchRow> {
    let mut rows: Vec<WatchRow> = Vec::new();
    let removed = trace.outcome.removed_at.map(|t| t.0);
    for s in trace
        .status
        .iter()
        .filter(|s| removed.is_none_or(|r| s.t.0 <= r))
    {
        let last_restart = s.last_restart_at.map(|t| t.0);
        let unchanged = rows.last().is_some_and(|r| {
            r.ready == s.ready
                && r.status == s.status
                && r.restarts == s.restarts
                && r.last_restart == last_restart
        });
        if !unchanged {
            rows.push(WatchRow {
                t: s.t.0,
                ready: s.ready.clone(),
                status: s.status.clone(),
                restarts: s.restarts,
                last_restart,
            });
        }
    }
    rows
}

/// `kubectl get pod -w`: one line per change of READY, STATUS or RESTARTS, AGE at that moment.
pub fn kubectl_watch(trace: &Trace) -> String {
    let mut rows = vec![[
        "NAME".to_string(),
        "READY".into(),
        "STATUS".into(),
        "RESTARTS".into(),
        "AGE".into(),
    ]];
    for r in watch_rows(trace) {
        let restarts = r.restarts_text();
        rows.push([
            trace.pod.name.clone(),
            r.ready,
            r.status,
            restarts,
            age(Millis(r.t.0)),
        ]);
    }
    columns(&rows, "   ")
}

/// One row of the Events table of `kubectl describe pod` (its Age is counted back from "now").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeRow {
    pub t: SimTime,
    /// The container the event is about (kubectl's involvedObject.fieldPath), if any.
    pub container: Option<String>,
    /// `Normal` or `Warning`.
    pub kind: &'static str,
    pub reason: &'static str,
    pub from: &'static str,
    pub message: String,
}

/// An event as the scheduler or the kubelet records it: type, reason, source, message.
type Recorded = (&'static str, &'static str, &'static str, String);

fn kubelet(kind: &'static str, reason: &'static str, message: String) -> Recorded {
    (kind, reason, "kubelet", message)
}

/// The events `kubectl describe pod` lists, in order: the kubelet's and the scheduler's, in their own
/// words and at their own moments (R103), not ours.
pub fn describe_rows(trace: &Trace) -> Vec<DescribeRow> {
    let field_paths = prints_field_paths(trace);
    let kinds = Kinds::of(trace);
    trace
        .events
        .iter()
        .flat_map(|e| rows_of(trace, &kinds, e, field_paths))
        .collect()
}

/// The rows one trace event gives the Events table (none, one or two), at the event's moment; from
/// 1.35 with the container's field path before the message, as kubectl prints it.
pub fn describe_rows_of(trace: &Trace, e: &Event) -> Vec<DescribeRow> {
    rows_of(trace, &Kinds::of(trace), e, prints_field_paths(trace))
}

/// Which containers are init containers or sidecars, by name, read once per table: looking each
/// event's container up in `trace.containers` made the Events table of 200 crash-looping containers
/// cost the square of 200 per restart round.
struct Kinds<'a> {
    /// For each name: some container of that name is in `initContainers`; one of them is a sidecar.
    by_name: SortedMap<&'a str, (bool, bool)>,
}

impl<'a> Kinds<'a> {
    fn of(trace: &'a Trace) -> Kinds<'a> {
        let mut by_name: SortedMap<&'a str, (bool, bool)> = SortedMap::new();
        for c in &trace.containers {
            let entry = by_name.entry(c.name.as_str()).or_insert((false, false));
            entry.0 |= c.kind != ContainerKind::Regular;
            entry.1 |= c.kind == ContainerKind::Sidecar;
        }
        Kinds { by_name }
    }

    /// Is a container named `name` in `initContainers` (a plain init container or a sidecar)?
    fn in_init_containers(&self, name: &str) -> bool {
        self.by_name.get(name).is_some_and(|k| k.0)
    }

    fn is_sidecar(&self, name: &str) -> bool {
        self.by_name.get(name).is_some_and(|k| k.1)
    }
}

/// [`describe_rows_of`] with the version's answer to "field paths first?" read once per trace.
fn rows_of(trace: &Trace, kinds: &Kinds, e: &Event, field_paths: bool) -> Vec<DescribeRow> {
    let recorded = recorded(trace, kinds, e, field_paths);
    // Most trace events (flag changes, notes) record nothing: the page asks for every event on each
    // keystroke, so the field path is written only for those that do.
    if recorded.is_empty() {
        return Vec::new();
    }
    let path = e
        .container
        .as_deref()
        .filter(|_| field_paths)
        .map(|c| field_path(kinds, c));
    recorded
        .into_iter()
        .map(|(kind, reason, from, message)| DescribeRow {
            t: e.t.0,
            container: e.container.clone(),
            kind,
            reason,
            from,
            message: match &path {
                Some(path) => format!("{path}: {message}"),
                None => message,
            },
        })
        .collect()
}

/// The release the trace was simulated for (the newest podlife models if it cannot be read).
fn trace_version(trace: &Trace) -> KubeVersion {
    trace
        .kubernetes_version
        .parse::<KubeVersion>()
        .unwrap_or(KubeVersion::NEWEST)
}

/// From 1.35, `kubectl describe` prints a container event's `involvedObject.fieldPath` before its
/// message (kubernetes#133627), and the kubelet's Created and Started events no longer name the
/// container (kubernetes#134043): `spec.containers{app}: Container created`.
fn prints_field_paths(trace: &Trace) -> bool {
    trace
        .kubernetes_version
        .parse::<KubeVersion>()
        .is_ok_and(|v| v.minor >= 35)
}

/// The field path of a container in the pod spec: `spec.containers{app}`, `spec.initContainers{init}`.
fn field_path(kinds: &Kinds, container: &str) -> String {
    let list = if kinds.in_init_containers(container) {
        "initContainers"
    } else {
        "containers"
    };
    format!("spec.{list}{{{container}}}")
}

/// What the scheduler and the kubelet record for one trace event: nothing, one event, or two (a
/// failed pull and a pull back-off each bring a `Failed` event from `startContainer`). `field_paths`:
/// the trace's release names containers by field path ([`prints_field_paths`], read once per trace
/// rather than parsed again for each event).
fn recorded(trace: &Trace, kinds: &Kinds, e: &Event, field_paths: bool) -> Vec<Recorded> {
    let container = e.container.as_deref().unwrap_or_default();
    match &e.kind {
        EventKind::Scheduled => vec![(
            "Normal",
            "Scheduled",
            "default-scheduler",
            format!(
                "Successfully assigned {}/{} to node-1",
                trace.pod.namespace, trace.pod.name
            ),
        )],
        // schedule_one.go `handleSchedulingFailure` (R107).
        EventKind::FailedScheduling { reasons } => vec![(
            "Warning",
            "FailedScheduling",
            "default-scheduler",
            crate::scheduling::fit_error_message(reasons, trace_version(trace)),
        )],
        EventKind::Pulling { image } => vec![kubelet(
            "Normal",
            "Pulling",
            format!("Pulling image \"{image}\""),
        )],
        EventKind::Pulled { .. } => vec![kubelet("Normal", "Pulled", e.message.clone())],
        EventKind::PullFailed { image, error } => vec![
            kubelet(
                "Warning",
                "Failed",
                format!("Failed to pull image \"{image}\": {error}"),
            ),
            kubelet("Warning", "Failed", "Error: ErrImagePull".into()),
        ],
        // image_manager.go `EnsureImageExists`, then `startContainer`'s own `Failed` event.
        EventKind::InvalidImageName { image, error } => vec![
            kubelet(
                "Warning",
                "InspectFailed",
                format!("Failed to apply default image tag \"{image}\": {error}"),
            ),
            kubelet("Warning", "Failed", "Error: InvalidImageName".into()),
        ],
        EventKind::BackOff {
            image: Some(image), ..
        } => vec![
            kubelet(
                "Normal",
                "BackOff",
                format!("Back-off pulling image \"{image}\""),
            ),
            kubelet("Warning", "Failed", "Error: ImagePullBackOff".into()),
        ],
        EventKind::BackOff { image: None, .. } => vec![kubelet(
            "Warning",
            "BackOff",
            format!(
                "Back-off restarting failed container {container} in pod {}",
                trace.pod.kubelet_name()
            ),
        )],
        EventKind::Created if field_paths => {
            vec![kubelet("Normal", "Created", "Container created".into())]
        }
        EventKind::Created => vec![kubelet(
            "Normal",
            "Created",
            format!("Created container: {container}"),
        )],
        EventKind::Started { .. } if field_paths => {
            vec![kubelet("Normal", "Started", "Container started".into())]
        }
        EventKind::Started { .. } => vec![kubelet(
            "Normal",
            "Started",
            format!("Started container {container}"),
        )],
        EventKind::KillStarted { cause, restart } => {
            let sidecar = kinds.is_sidecar(container);
            vec![kubelet(
                "Normal",
                "Killing",
                cause.kubelet_message(container, sidecar, *restart),
            )]
        }
        // Since 1.26 the kubelet leaves the handler's output out of these events (it may hold secrets).
        EventKind::HookFailed {
            hook: HookName::PostStart,
        } => vec![kubelet(
            "Warning",
            "FailedPostStartHook",
            "PostStartHook failed".into(),
        )],
        EventKind::HookFailed {
            hook: HookName::PreStop,
        } => vec![kubelet(
            "Warning",
            "FailedPreStopHook",
            "PreStopHook failed".into(),
        )],
        // active_deadline.go `ShouldEvict`.
        EventKind::DeadlineExceeded => vec![kubelet(
            "Normal",
            DEADLINE_EXCEEDED.reason,
            DEADLINE_EXCEEDED.message.into(),
        )],
        EventKind::ProbeFailed { probe, output } => {
            let mut name = probe.name().to_string();
            name[..1].make_ascii_uppercase();
            vec![kubelet(
                "Warning",
                "Unhealthy",
                format!("{name} probe failed: {output}"),
            )]
        }
        _ => Vec::new(),
    }
}

/// Events that say the same thing, counted as the kubelet's event recorder aggregates them: one row
/// per object (the container), kind, reason, source and message, placed at its latest occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregatedRow {
    pub first: SimTime,
    pub count: u32,
    pub row: DescribeRow,
}

impl AggregatedRow {
    /// kubectl's Age column at `now`: `12s`, or `3s (x4 over 40s)` for a repeated event.
    pub fn age_at(&self, now: SimTime) -> String {
        let last = age(now.since(self.row.t));
        if self.count > 1 {
            format!(
                "{last} (x{} over {})",
                self.count,
                age(now.since(self.first))
            )
        } else {
            last
        }
    }
}

/// Rows as `kubectl describe pod` lists them: repeats merged, oldest (by latest occurrence) first.
pub fn aggregate_rows(rows: &[DescribeRow]) -> Vec<AggregatedRow> {
    // Each distinct row's place in `merged`, found by a binary search: a scan of the merged rows for
    // each row was quadratic for a pod that crash-loops 200 containers for an hour.
    let mut slot_of: SortedMap<RowKey<'_>, usize> = SortedMap::new();
    let mut merged: Vec<AggregatedRow> = Vec::new();
    let mut latest: Vec<usize> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let key = row_key(r);
        if let Some(&slot) = slot_of.get(&key) {
            merged[slot].count += 1;
            merged[slot].row.t = r.t;
            latest[slot] = i;
        } else {
            slot_of.insert(key, merged.len());
            merged.push(AggregatedRow {
                first: r.t,
                count: 1,
                row: r.clone(),
            });
            latest.push(i);
        }
    }
    // Ordered by the row that last repeated each one (no two share it).
    let mut by_latest: Vec<Option<AggregatedRow>> = (0..rows.len()).map(|_| None).collect();
    for (row, at) in merged.into_iter().zip(latest) {
        by_latest[at] = Some(row);
    }
    by_latest.into_iter().flatten().collect()
}

/// What makes two rows repeats of one event: all but the time (container, type, reason, source,
/// message).
type RowKey<'a> = (
    Option<&'a str>,
    &'static str,
    &'static str,
    &'static str,
    &'a str,
);

fn row_key(r: &DescribeRow) -> RowKey<'_> {
    (r.container.as_deref(), r.kind, r.reason, r.from, &r.message)
}

/// The Events table of `kubectl describe pod`, ages counted back from the end of the run.
pub fn describe_events(trace: &Trace) -> String {
    let end = trace.end.0;
    let mut rows = vec![
        [
            "Type".to_string(),
            "Reason".into(),
            "Age".into(),
            "From".into(),
            "Message".into(),
        ],
        [
            "----".to_string(),
            "------".into(),
            "----".into(),
            "----".into(),
            "-------".into(),
        ],
    ];
    for a in aggregate_rows(&describe_rows(trace)) {
        rows.push([
            a.row.kind.to_string(),
            a.row.reason.to_string(),
            a.age_at(end),
            a.row.from.to_string(),
            a.row.message,
        ]);
    }
    let mut out = String::from("Events:\n");
    for line in columns(&rows, "  ").lines() {
        let _ = writeln!(out, "  {line}");
    }
    out
}

/// Every event with its time, container and rule.
pub fn timeline(trace: &Trace) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({}, restartPolicy {}, terminationGracePeriodSeconds {}) on Kubernetes {}",
        trace.pod.workload,
        trace.pod.name,
        summary_kinds(trace),
        trace.pod.restart_policy,
        trace.pod.termination_grace_period_seconds,
        trace.kubernetes_version
    );
    for c in &trace.containers {
        let _ = writeln!(
            out,
            "  {:<8} {:<20} {}",
            kind_name(c.kind),
            c.name,
            c.behaviour
        );
    }
    out.push('\n');
    let width = trace
        .containers
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(3)
        .max(3);
    for e in &trace.events {
        let who = e.container.as_deref().unwrap_or("pod");
        let rule = e.rule.map(|r| format!("[{r}]")).unwrap_or_default();
        let _ = writeln!(
            out,
            "{:>8}  {who:<width$}  {:<22} {:<6} {}",
            seconds(e.t.0),
            e.kind.name(),
            rule,
            e.message
        );
    }
    let _ = writeln!(out, "\noutcome: {}", trace.outcome.summary);
    out
}

/// The timeline and the kubectl view as Markdown, for course material.
pub fn markdown(trace: &Trace) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### {} `{}` on Kubernetes {}\n",
        trace.pod.workload, trace.pod.name, trace.kubernetes_version
    );
    let _ = writeln!(out, "| container | kind | what it does |\n|---|---|---|");
    for c in &trace.containers {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            c.name,
            kind_name(c.kind),
            c.behaviour.replace('|', "\\|")
        );
    }
    let _ = writeln!(
        out,
        "\n| time | container | event | rule | what happened |\n|---:|---|---|---|---|"
    );
    for e in &trace.events {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            seconds(e.t.0),
            e.container
                .as_deref()
                .map(|c| format!("`{c}`"))
                .unwrap_or_else(|| "pod".into()),
            e.kind.name(),
            e.rule.unwrap_or(""),
            e.message.replace('|', "\\|")
        );
    }
    let _ = writeln!(
        out,
        "\n```\n$ kubectl get pod {} -w\n{}```\n",
        trace.pod.name,
        kubectl_watch(trace)
    );
    let _ = writeln!(out, "**Outcome:** {}", trace.outcome.summary);
    out
}

fn summary_kinds(trace: &Trace) -> String {
    let count = |k| trace.containers.iter().filter(|c| c.kind == k).count();
    use crate::pod_status::ContainerKind::*;
    format!(
        "{} init, {} sidecar, {} regular",
        count(Init),
        count(Sidecar),
        count(Regular)
    )
}

fn kind_name(kind: crate::pod_status::ContainerKind) -> &'static str {
    match kind {
        crate::pod_status::ContainerKind::Init => "init",
        crate::pod_status::ContainerKind::Sidecar => "sidecar",
        crate::pod_status::ContainerKind::Regular => "regular",
    }
}

fn seconds(t: SimTime) -> String {
    if t.0 % 1000 == 0 {
        format!("{}s", t.0 / 1000)
    } else {
        format!("{}s", crate::time::secs_text_tenths(t.0))
    }
}

/// Left-aligned columns separated by `gap`, as kubectl's tabwriter prints them.
fn columns<const N: usize>(rows: &[[String; N]], gap: &str) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}{gap}", w = widths[i]);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// Two traces side by side on one clock, one row per moment that either has events: what
/// `podlife compare` prints for legacy vs native.
pub fn side_by_side(left_title: &str, left: &Trace, right_title: &str, right: &Trace) -> String {
    const WIDTH: usize = 58;
    let line = |e: &crate::trace::Event| {
        let who = e.container.as_deref().unwrap_or("pod");
        let rule = e.rule.map(|r| format!(" [{r}]")).unwrap_or_default();
        let mut text = format!("{who} {}{rule}", e.kind.name());
        if text.chars().count() > WIDTH {
            text = text.chars().take(WIDTH - 1).collect::<String>() + "…";
        }
        text
    };
    let shown = |e: &&crate::trace::Event| {
        !matches!(
            e.kind,
            EventKind::ProbeFailed { .. } | EventKind::ConditionChanged { .. }
        )
    };
    let mut times: Vec<SimTime> = left
        .events
        .iter()
        .chain(right.events.iter())
        .map(|e| e.t.0)
        .collect();
    times.sort();
    times.dedup();
    let mut out = String::new();
    let _ = writeln!(out, "{:>8}  {left_title:<WIDTH$}  {right_title}", "time");
    let _ = writeln!(
        out,
        "{:>8}  {:<WIDTH$}  {}",
        "----",
        "-".repeat(left_title.len()),
        "-".repeat(right_title.len())
    );
    for t in times {
        let l: Vec<String> = left
            .events
            .iter()
            .filter(|e| e.t.0 == t)
            .filter(shown)
            .map(line)
            .collect();
        let r: Vec<String> = right
            .events
            .iter()
            .filter(|e| e.t.0 == t)
            .filter(shown)
            .map(line)
            .collect();
        for i in 0..l.len().max(r.len()) {
            let time = if i == 0 { seconds(t) } else { String::new() };
            let a = l.get(i).map(String::as_str).unwrap_or("");
            let b = r.get(i).map(String::as_str).unwrap_or("");
            let _ = writeln!(out, "{time:>8}  {a:<WIDTH$}  {b}");
        }
    }
    let _ = writeln!(
        out,
        "\n{:>8}  {:<WIDTH$}  {}",
        "outcome", left.outcome.summary, right.outcome.summary
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(t: u64, reason: &'static str, message: &str) -> DescribeRow {
        DescribeRow {
            t: SimTime(t),
            container: Some("app".into()),
            kind: "Warning",
            reason,
            from: "kubelet",
            message: message.into(),
        }
    }

    #[test]
    fn repeated_events_merge_at_their_latest_occurrence() {
        let rows = [
            row(1_000, "BackOff", "Back-off restarting"),
            row(2_000, "Started", "Started container app"),
            row(30_000, "BackOff", "Back-off restarting"),
        ];
        let merged = aggregate_rows(&rows);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].row.reason, "Started");
        assert_eq!(merged[1].count, 2);
        assert_eq!(merged[1].first, SimTime(1_000));
        assert_eq!(merged[1].age_at(SimTime(40_000)), "10s (x2 over 39s)");
        assert_eq!(merged[0].age_at(SimTime(40_000)), "38s");
    }

    /// A trace with one regular container `app` and these events, for the views' own tests.
    fn trace_with(events: Vec<(u64, EventKind)>) -> Trace {
        use crate::trace::{ContainerInfo, Outcome, PodInfo, Seconds};
        Trace {
            format: crate::trace::FORMAT,
            format_minor: crate::trace::FORMAT_MINOR,
            kubernetes_version: "1.36".into(),
            pod: PodInfo {
                name: "web".into(),
                namespace: "default".into(),
                uid: PodInfo::uid_for("web"),
                workload: "Pod".into(),
                restart_policy: "Always".into(),
                termination_grace_period_seconds: 30,
            },
            containers: vec![ContainerInfo {
                name: "app".into(),
                kind: ContainerKind::Regular,
                index: 0,
                image: "registry.example/app:1".into(),
                behaviour: String::new(),
                assumptions: Vec::new(),
            }],
            events: events
                .into_iter()
                .map(|(t, kind)| Event {
                    t: Seconds(SimTime(t)),
                    container: Some("app".into()),
                    kind,
                    rule: Some("R103"),
                    message: String::new(),
                })
                .collect(),
            status: Vec::new(),
            intervals: Vec::new(),
            outcome: Outcome {
                phase: crate::pod_status::PodPhase::Pending,
                at: None,
                removed_at: None,
                summary: String::new(),
                cut_at_horizon: false,
                work_spent: None,
            },
            warnings: Vec::new(),
            end: Seconds(SimTime(60_000)),
            files: Vec::new(),
        }
    }

    /// The rows' type, reason and message, without the field path kubectl prints first from 1.35.
    fn reasons_and_messages(trace: &Trace) -> Vec<(&'static str, &'static str, String)> {
        describe_rows(trace)
            .into_iter()
            .map(|r| {
                let message = match r.message.split_once("}: ") {
                    Some((path, rest)) if path.starts_with("spec.") => rest.to_string(),
                    _ => r.message,
                };
                (r.kind, r.reason, message)
            })
            .collect()
    }

    #[test]
    fn from_1_35_describe_prints_the_field_path_and_created_started_lose_the_name_r103() {
        let mut trace = trace_with(vec![
            (2_500, EventKind::Created),
            (2_500, EventKind::Started { restart_count: 0 }),
        ]);
        let messages = |t: &Trace| -> Vec<String> {
            describe_rows(t).into_iter().map(|r| r.message).collect()
        };
        assert_eq!(
            messages(&trace),
            [
                "spec.containers{app}: Container created",
                "spec.containers{app}: Container started"
            ]
        );
        trace.kubernetes_version = "1.34".into();
        assert_eq!(
            messages(&trace),
            ["Created container: app", "Started container app"]
        );
    }

    #[test]
    fn a_failed_pull_and_its_back_off_are_each_two_kubelet_events_r103() {
        let image = "registry.example/app:1".to_string();
        let trace = trace_with(vec![
            (
                2_500,
                EventKind::PullFailed {
                    image: image.clone(),
                    error: "not found".into(),
                },
            ),
            (
                2_500,
                EventKind::BackOff {
                    delay: 10.0,
                    image: Some(image),
                },
            ),
        ]);
        assert_eq!(
            reasons_and_messages(&trace),
            [
                (
                    "Warning",
                    "Failed",
                    "Failed to pull image \"registry.example/app:1\": not found".to_string()
                ),
                ("Warning", "Failed", "Error: ErrImagePull".to_string()),
                (
                    "Normal",
                    "BackOff",
                    "Back-off pulling image \"registry.example/app:1\"".to_string()
                ),
                ("Warning", "Failed", "Error: ImagePullBackOff".to_string()),
            ]
        );
    }

    #[test]
    fn killing_comes_from_the_kills_start_not_from_its_signals_r103() {
        let trace = trace_with(vec![
            (
                10_000,
                EventKind::KillStarted {
                    cause: crate::trace::KillCause::LivenessProbe,
                    restart: true,
                },
            ),
            (
                15_000,
                EventKind::Killing {
                    signal: crate::trace::SignalName::Term,
                },
            ),
            (
                10_000,
                EventKind::HookFailed {
                    hook: HookName::PreStop,
                },
            ),
        ]);
        assert_eq!(
            reasons_and_messages(&trace),
            [
                (
                    "Normal",
                    "Killing",
                    "Container app failed liveness probe, will be restarted".to_string()
                ),
                (
                    "Warning",
                    "FailedPreStopHook",
                    "PreStopHook failed".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_watch_line_says_how_long_ago_the_last_restart_was_at_its_own_moment_r87() {
        let row = WatchRow {
            t: SimTime(61_000),
            ready: "1/1".into(),
            status: "Running".into(),
            restarts: 3,
            last_restart: Some(SimTime(19_000)),
        };
        assert_eq!(row.restarts_text(), "3 (42s ago)");
        let never = WatchRow {
            last_restart: None,
            restarts: 0,
            ..row
        };
        assert_eq!(never.restarts_text(), "0");
    }

    #[test]
    fn the_same_message_about_two_containers_is_two_rows() {
        let mut other = row(2_000, "Pulling", "Pulling image \"alpine\"");
        other.container = Some("sidecar".into());
        let rows = [row(1_000, "Pulling", "Pulling image \"alpine\""), other];
        assert_eq!(aggregate_rows(&rows).len(), 2);
    }
}
