//! Convert a manifest between the legacy sidecar pattern (the sidecar as one more entry of `containers`,
//! R90–R93) and native sidecars (an `initContainers` entry with `restartPolicy: Always`, R1, R22–R25).
//!
//! The rewrite is a text edit on the user's YAML (`text_edit`): comments, key order, quoting and
//! formatting stay as they were everywhere but in the moved items, which are re-indented to their new
//! list's style. Which containers are sidecars is detected (`detect`) or named; where each goes follows
//! symmetric rules (`placement`), so legacy → native → legacy gives the original text back. The result
//! goes back through [`crate::check`]; what it still lacks becomes warnings in the new text (`suggest`).

mod block;
mod detect;
mod list_model;
mod placement;
mod rewrite;
mod suggest;
mod text_edit;

#[cfg(test)]
mod tests;

use crate::behaviour::DryRuns;
use serde::Serialize;

pub use detect::{detect_sidecars, native_sidecars, DetectedSidecar, SidecarRole};

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::field_path::{FieldPath, Target};
use crate::model::{Container, Workload};
use crate::version::Gate;
use crate::CheckOptions;
use placement::Anchor;
use text_edit::Place;

/// Which way to convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    /// Legacy sidecars in `containers` → native sidecars in `initContainers` with `restartPolicy: Always`.
    ToNative,
    /// Native sidecars → regular containers (the legacy pattern).
    ToLegacy,
}

/// One container moved, and why it went where it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    pub name: String,
    /// Its place before, relative to the pod spec: `containers[1]`.
    pub from: String,
    /// Its place after: `initContainers[0]`.
    pub to: String,
    /// Why this position.
    pub reason: String,
    pub role: SidecarRole,
}

/// A converted manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversion {
    /// The rewritten text.
    pub yaml: String,
    pub moved: Vec<Moved>,
    /// What detection found (for `ToLegacy`: the native sidecars), whether or not names were given.
    pub detected: Vec<DetectedSidecar>,
    /// What the converted pod still lacks or no longer needs: warnings placed in `yaml`.
    pub suggestions: Vec<Diagnostic>,
}

/// Rewrites `text` so that its sidecars (`sidecars` by name, or the detected ones when empty) are native
/// (`ToNative`) or legacy (`ToLegacy`). The errors are diagnostics placed in `text`: the input does not
/// pass [`crate::check`], a named sidecar does not exist, there is nothing to convert, the version has
/// no native sidecars, or the text is written in a style podlife does not rewrite (flow lists).
pub fn convert(
    text: &str,
    direction: Direction,
    sidecars: &[String],
    options: &CheckOptions,
) -> Result<Conversion, Vec<Diagnostic>> {
    convert_within(text, direction, sidecars, options, &mut DryRuns::new())
}

/// [`convert`] as part of a comparison, on the comparison's dry runs.
pub(crate) fn convert_within(
    text: &str,
    direction: Direction,
    sidecars: &[String],
    options: &CheckOptions,
    dry_runs: &mut DryRuns,
) -> Result<Conversion, Vec<Diagnostic>> {
    convert_loaded(
        text,
        &crate::load(text),
        direction,
        sidecars,
        options,
        dry_runs,
    )
    .map(|(conversion, _)| conversion)
}

/// [`convert`] of `text` already loaded as `loaded`, on the call's dry runs, with the rewritten text
/// as loaded for its check: the comparison reads each text once for its own questions and the
/// conversion's.
pub(crate) fn convert_loaded(
    text: &str,
    loaded: &crate::load::Loaded,
    direction: Direction,
    sidecars: &[String],
    options: &CheckOptions,
    dry_runs: &mut DryRuns,
) -> Result<(Conversion, crate::load::Loaded), Vec<Diagnostic>> {
    let (report, _) = crate::check_loaded(loaded, options, dry_runs);
    if report.has_errors() {
        return Err(report
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect());
    }
    let index = match &options.pick {
        Some(name) => loaded
            .workloads
            .iter()
            .position(|w| w.workload.name.as_deref() == Some(name.as_str())),
        None => (!loaded.workloads.is_empty()).then_some(0),
    };
    let Some(item) = index.and_then(|i| loaded.workloads.get(i)) else {
        return Err(vec![error(
            Span::default(),
            String::new(),
            "no workload to convert".into(),
            None,
        )]);
    };
    // The workload as written (before the version's drops: on 1.28 the API server would drop an init
    // container's restartPolicy, but the text still has it).
    let workload = &item.workload;
    let spec_path = workload.kind.pod_spec_path();
    let locate = |relative: &str, target: Target| {
        item.spans.locate(
            &FieldPath::parse(&format!("{spec_path}.{relative}")),
            target,
        )
    };
    let (source_key, target_key) = match direction {
        Direction::ToNative => ("containers", "initContainers"),
        Direction::ToLegacy => ("initContainers", "containers"),
    };

    if direction == Direction::ToNative && !options.k8s.enabled(Gate::SidecarContainers) {
        return Err(vec![error(
            locate("containers", Target::Key),
            format!("{spec_path}.containers"),
            format!(
                "native sidecars need Kubernetes 1.29 or later: in {} the SidecarContainers feature gate is alpha and \
                 off by default, and the API server drops `restartPolicy: Always` from init containers (R2, R3)",
                options.k8s
            ),
            Some("Convert for 1.29 or later, or switch the gate on (SidecarContainers=true).".into()),
        )]);
    }

    let detected = match direction {
        Direction::ToNative => detect_sidecars(workload),
        Direction::ToLegacy => native_sidecars(workload),
    };
    let chosen = choose(workload, direction, sidecars, &detected, &locate, spec_path)?;

    let place = Place {
        document: workload.document,
        list_item: workload.list_item,
        spec_path,
    };
    let mut first_placed = 0;
    let mut moves: Vec<(String, Anchor)> = Vec::new();
    let mut reasons: Vec<(String, String, SidecarRole, String)> = Vec::new();
    for (name, role) in &chosen {
        let Some(container) = find(workload, direction, name) else {
            continue;
        };
        let (anchor, reason) = match direction {
            Direction::ToNative => placement::to_native(workload, *role),
            Direction::ToLegacy => placement::to_legacy(workload, container, *role, first_placed),
        };
        if matches!(anchor, Anchor::At(_)) {
            first_placed += 1;
        }
        let from = source_index(workload, direction, name)
            .map(|i| format!("{source_key}[{i}]"))
            .unwrap_or_default();
        moves.push((name.clone(), anchor));
        reasons.push((name.clone(), from, *role, reason));
    }
    let yaml = rewrite::move_all(text, place, direction, &moves).map_err(|(name, message)| {
        vec![error(
            locate(source_key, Target::Key),
            format!("{spec_path}.{source_key}"),
            format!("cannot rewrite the manifest to move \"{name}\": {message}"),
            Some("podlife edits block-style YAML (one `- ` item per line); a flow-style list (`[...]`) is not rewritten.".into()),
        )]
    })?;

    // The result goes back through the loader and must pass check.
    // One reading of the result serves the check, the places the containers went to and the
    // comparison's simulation. Only errors are asked of it: the lifecycle warnings and their dry runs
    // are for the user's own text.
    let reloaded = crate::load(&yaml);
    let after = crate::check_errors(&reloaded, options);
    if !after.is_empty() {
        let first_moved = chosen.first().map(|(n, _)| n.as_str()).unwrap_or_default();
        let at = source_index(workload, direction, first_moved)
            .map(|i| locate(&format!("{source_key}[{i}]"), Target::Value))
            .unwrap_or_else(|| locate(source_key, Target::Key));
        return Err(after
            .into_iter()
            .map(|d| {
                error(
                    at,
                    d.path.clone(),
                    format!(
                        "the converted manifest would not pass check: {} (line {} of the result)",
                        d.message, d.span.start.line
                    ),
                    d.hint,
                )
            })
            .collect());
    }
    let Some(new_item) = index.and_then(|i| reloaded.workloads.get(i)) else {
        return Err(vec![error(
            Span::default(),
            String::new(),
            "the converted manifest lost its workload".into(),
            None,
        )]);
    };
    let new_workload = &new_item.workload;
    let mut moved = Vec::new();
    for (name, from, role, reason) in reasons {
        let to = match direction {
            Direction::ToNative => new_workload
                .pod
                .init_containers
                .iter()
                .position(|c| c.name == name && c.is_restartable())
                .map(|i| format!("initContainers[{i}]")),
            Direction::ToLegacy => new_workload
                .pod
                .containers
                .iter()
                .position(|c| c.name == name && c.restart_policy.is_none())
                .map(|i| format!("containers[{i}]")),
        };
        let Some(to) = to else {
            return Err(vec![error(
                locate(source_key, Target::Key),
                format!("{spec_path}.{source_key}"),
                format!(
                    "the converted manifest does not have \"{name}\" in {target_key} as expected"
                ),
                None,
            )]);
        };
        moved.push(Moved {
            name,
            from,
            to,
            reason,
            role,
        });
    }
    let converted = suggest::Converted {
        workload: new_workload,
        spans: &new_item.spans,
        spec_path,
    };
    let mut suggestions = match direction {
        Direction::ToNative => suggest::for_native(&converted, &chosen),
        Direction::ToLegacy => suggest::for_legacy(&converted, workload, &chosen, dry_runs),
    };
    suggestions.sort_by_key(|d| d.span.start);
    let conversion = Conversion {
        yaml,
        moved,
        detected,
        suggestions,
    };
    Ok((conversion, reloaded))
}

fn error(span: Span, path: String, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        path,
        message,
        hint,
        span,
    }
}

fn find<'a>(workload: &'a Workload, direction: Direction, name: &str) -> Option<&'a Container> {
    let list = match direction {
        Direction::ToNative => &workload.pod.containers,
        Direction::ToLegacy => &workload.pod.init_containers,
    };
    list.iter().find(|c| c.name == name)
}

fn source_index(workload: &Workload, direction: Direction, name: &str) -> Option<usize> {
    let list = match direction {
        Direction::ToNative => &workload.pod.containers,
        Direction::ToLegacy => &workload.pod.init_containers,
    };
    list.iter().position(|c| c.name == name)
}

fn names(list: &[Container]) -> String {
    if list.is_empty() {
        return "none".into();
    }
    list.iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sidecars to move, in their source list's order, each with its role; or why there are none.
fn choose(
    workload: &Workload,
    direction: Direction,
    requested: &[String],
    detected: &[DetectedSidecar],
    locate: &dyn Fn(&str, Target) -> Span,
    spec_path: &str,
) -> Result<Vec<(String, SidecarRole)>, Vec<Diagnostic>> {
    let pod = &workload.pod;
    let source_key = match direction {
        Direction::ToNative => "containers",
        Direction::ToLegacy => "initContainers",
    };
    let holder = |key: &str| {
        if key == "initContainers" && pod.init_containers.is_empty() {
            locate("containers", Target::Key)
        } else {
            locate(key, Target::Key)
        }
    };
    let mut names_wanted: Vec<String> = Vec::new();
    if requested.is_empty() {
        if detected.is_empty() {
            let message = match direction {
                Direction::ToNative if pod.containers.len() < 2 => format!(
                    "nothing to convert: the pod has a single container, \"{}\", which is the app; a legacy sidecar is \
                     a second entry of containers",
                    pod.containers.first().map(|c| c.name.as_str()).unwrap_or_default()
                ),
                Direction::ToNative => format!(
                    "nothing to convert: no legacy sidecar found among containers ({}); podlife looks for well-known \
                     proxy, log and metrics images (envoy, istio proxyv2, linkerd-proxy, cloud-sql-proxy, fluentd, \
                     fluent-bit, vector, otel-collector, Prometheus exporters), commands that follow a file (`tail \
                     -f`, `tail -F`) and names ending in -sidecar or -proxy or naming a log shipper (logshipper, \
                     log-shipper); the first container is taken for the app unless its image is a well-known sidecar's",
                    names(&pod.containers)
                ),
                Direction::ToLegacy => format!(
                    "nothing to convert: no native sidecar, i.e. no init container with `restartPolicy: Always`, \
                     among initContainers ({})",
                    names(&pod.init_containers)
                ),
            };
            // A pod that already is what was asked for deserves that answer, not a hint to name a sidecar.
            let already: Vec<&str> = match direction {
                Direction::ToNative => pod
                    .init_containers
                    .iter()
                    .filter(|c| c.is_restartable())
                    .map(|c| c.name.as_str())
                    .collect(),
                Direction::ToLegacy => Vec::new(),
            };
            let (message, hint) = if already.is_empty() {
                (
                    message,
                    "Name the sidecar to move explicitly with --sidecar NAME.".to_string(),
                )
            } else {
                (
                    format!(
                        "nothing to convert: the pod's sidecar{} {} {} already native (initContainers with `restartPolicy: Always`)",
                        if already.len() == 1 { "" } else { "s" },
                        crate::name_list::quoted(&already),
                        if already.len() == 1 { "is" } else { "are" }
                    ),
                    "To see the legacy variant, convert with --to legacy; `podlife compare` runs both.".to_string(),
                )
            };
            return Err(vec![error(
                holder(source_key),
                format!("{spec_path}.{source_key}"),
                message,
                Some(hint),
            )]);
        }
        names_wanted.extend(detected.iter().map(|d| d.name.clone()));
    } else {
        let mut problems = Vec::new();
        for name in requested {
            if names_wanted.contains(name) {
                continue;
            }
            let in_containers = pod.containers.iter().position(|c| &c.name == name);
            let in_init = pod.init_containers.iter().position(|c| &c.name == name);
            let problem = match (direction, in_containers, in_init) {
                (Direction::ToNative, Some(_), _) => None,
                (Direction::ToLegacy, _, Some(i))
                    if pod.init_containers.get(i).is_some_and(Container::is_restartable) =>
                {
                    None
                }
                (Direction::ToNative, None, Some(i)) => {
                    let what = if pod.init_containers.get(i).is_some_and(Container::is_restartable) {
                        "is already a native sidecar"
                    } else {
                        "is an init container (it runs to completion before the app), not a legacy sidecar"
                    };
                    Some((format!("initContainers[{i}]"), format!("\"{name}\" {what}")))
                }
                (Direction::ToLegacy, _, Some(i)) => Some((
                    format!("initContainers[{i}]"),
                    format!(
                        "\"{name}\" is an init container without `restartPolicy: Always`, not a native sidecar: it runs \
                         to completion before the app"
                    ),
                )),
                (Direction::ToLegacy, Some(i), None) => Some((
                    format!("containers[{i}]"),
                    format!("\"{name}\" is already a regular container (a legacy sidecar at most)"),
                )),
                (_, None, None) => {
                    let list = match direction {
                        Direction::ToNative => &pod.containers,
                        Direction::ToLegacy => &pod.init_containers,
                    };
                    problems.push(error(
                        holder(source_key),
                        format!("{spec_path}.{source_key}"),
                        format!("no container named \"{name}\" in {source_key}"),
                        Some(format!("The {source_key} here: {}.", names(list))),
                    ));
                    continue;
                }
            };
            match problem {
                Some((path, message)) => problems.push(error(
                    locate(&path, Target::Value),
                    format!("{spec_path}.{path}"),
                    message,
                    None,
                )),
                None => names_wanted.push(name.clone()),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    let list = match direction {
        Direction::ToNative => &pod.containers,
        Direction::ToLegacy => &pod.init_containers,
    };
    let mut chosen: Vec<(String, SidecarRole)> = list
        .iter()
        .filter(|c| names_wanted.contains(&c.name))
        .map(|c| {
            let role = detected
                .iter()
                .find(|d| d.name == c.name)
                .map_or_else(|| detect::role_of(c), |d| d.role);
            (c.name.clone(), role)
        })
        .collect();
    chosen.dedup_by(|a, b| a.0 == b.0);
    if direction == Direction::ToNative {
        if chosen.len() >= pod.containers.len() {
            return Err(vec![error(
                locate("containers", Target::Key),
                format!("{spec_path}.containers"),
                "every container would become a sidecar: a pod needs at least one regular container, the app (R13)"
                    .into(),
                Some("Leave the app container in containers.".into()),
            )]);
        }
        for (name, _) in &chosen {
            if let Some((i, c)) = pod
                .containers
                .iter()
                .enumerate()
                .find(|(_, c)| &c.name == name)
            {
                if let Some(policy) = &c.restart_policy {
                    return Err(vec![error(
                        locate(&format!("containers[{i}].restartPolicy"), Target::Value),
                        format!("{spec_path}.containers[{i}].restartPolicy"),
                        format!(
                            "\"{name}\" already has a per-container `restartPolicy: {policy}` (R99); a native sidecar \
                             is `restartPolicy: Always`"
                        ),
                        Some("Remove its restartPolicy first.".into()),
                    )]);
                }
            }
        }
    }
    Ok(chosen)
}
