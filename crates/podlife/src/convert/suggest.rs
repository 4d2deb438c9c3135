//! What the converted pod still lacks, or still carries from the pattern it left, as warnings placed in
//! the converted text: a startupProbe on a native sidecar the app depends on (R23); the legacy tricks a
//! native sidecar makes unnecessary (a postStart hook that waits for the proxy, R90; a preStop `sleep`
//! on the sidecar, R71/R92; a "quit" file or `/quitquitquit` call that lets a Job finish, R62/R93); and,
//! going back to legacy, what the app loses (start-up ordering, R26/R90; init containers that used the
//! proxy, R91; Job completion, R93).

use super::detect::{program, words, SidecarRole};
use super::placement::app_waits_for;
use crate::behaviour::DryRuns;
use crate::diagnostic::{Diagnostic, Severity};
use crate::field_path::{FieldPath, SpanIndex, Target};
use crate::model::{Container, Workload};
use crate::pod_status::ContainerKind;

/// What the suggestions read: the converted workload and where its fields are.
pub(super) struct Converted<'a> {
    pub workload: &'a Workload,
    pub spans: &'a SpanIndex,
    pub spec_path: &'static str,
}

impl Converted<'_> {
    fn warning(&self, path: String, target: Target, message: String, hint: String) -> Diagnostic {
        let full = format!("{}.{path}", self.spec_path);
        Diagnostic {
            severity: Severity::Warning,
            span: self.spans.locate(&FieldPath::parse(&full), target),
            path: full,
            message,
            hint: Some(hint),
        }
    }
}

/// The words of a command after its shell (`sh -c`), so that the first is the program that runs.
fn program_words(command: &[String]) -> Vec<String> {
    words(command)
        .into_iter()
        .skip_while(|w| {
            matches!(program(w), "sh" | "bash" | "ash" | "dash" | "zsh") || w.starts_with('-')
        })
        .collect()
}

/// A postStart hook that waits for the sidecar to come up, the legacy way to hold the app back.
pub(super) fn post_start_wait(c: &Container) -> Option<String> {
    let hook = c.lifecycle.as_ref()?.post_start.as_ref()?;
    if let Some(sleep) = &hook.sleep {
        return Some(format!(
            "a `sleep` of {} s",
            sleep.seconds.unwrap_or_default()
        ));
    }
    let command = &hook.exec.as_ref()?.command;
    let text = command.join(" ");
    if text.contains("pilot-agent wait") {
        return Some("`pilot-agent wait`".into());
    }
    let w = words(command);
    let loops = w.iter().any(|w| w == "until" || w == "while");
    let probes = w.iter().any(|w| {
        matches!(
            program(w),
            "nc" | "curl" | "wget" | "pg_isready" | "grpcurl" | "grpc_health_probe"
        )
    }) || text.contains("/dev/tcp");
    if (loops && probes) || text.contains("wait-for") {
        return Some(format!("a loop until it answers (`{}`)", shorten(&text)));
    }
    match program_words(command).first().map(|w| program(w)) {
        Some("sleep") => Some(format!("a fixed wait (`{}`)", shorten(&text))),
        _ => None,
    }
}

/// A preStop hook that only sleeps.
pub(super) fn pre_stop_sleep(c: &Container) -> Option<String> {
    let hook = c.lifecycle.as_ref()?.pre_stop.as_ref()?;
    if let Some(sleep) = &hook.sleep {
        return Some(format!(
            "a `sleep` action of {} s",
            sleep.seconds.unwrap_or_default()
        ));
    }
    let command = &hook.exec.as_ref()?.command;
    match program_words(command).first().map(|w| program(w)) {
        Some("sleep") => Some(format!("`{}`", shorten(&command.join(" ")))),
        _ => None,
    }
}

fn shorten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 60 {
        text.to_string()
    } else {
        format!("{}…", chars[..57].iter().collect::<String>())
    }
}

/// Where a path of a container lives: (volume, path inside it), through its longest volume mount.
fn on_volume(c: &Container, path: &str) -> Option<(String, String)> {
    c.volume_mounts
        .iter()
        .filter_map(|m| {
            let mount = m.mount_path.trim_end_matches('/');
            let rest = path.strip_prefix(mount)?;
            (rest.is_empty() || rest.starts_with('/') || mount.is_empty()).then(|| {
                (
                    mount.len(),
                    m.name.clone(),
                    rest.trim_start_matches('/').to_string(),
                )
            })
        })
        .max_by_key(|(length, _, _)| *length)
        .map(|(_, volume, rest)| (volume, rest))
}

/// Files a script tests for: `[ -f X ]`, `[ ! -e X ]`, `test -f X`.
fn tested_files(c: &Container) -> Vec<String> {
    let w = words(&c.argv().iter().map(|s| s.to_string()).collect::<Vec<_>>());
    w.iter()
        .enumerate()
        .filter(|(i, flag)| {
            matches!(flag.as_str(), "-f" | "-e")
                && i.checked_sub(1)
                    .and_then(|p| w.get(p))
                    .is_some_and(|before| matches!(before.as_str(), "[" | "[[" | "!" | "test"))
        })
        .filter_map(|(i, _)| w.get(i + 1).cloned())
        .collect()
}

/// Files a script creates: `touch X`, `> X`, `>> X` (with whether it was `touch`).
fn created_files(c: &Container) -> Vec<(String, bool)> {
    let w = words(&c.argv().iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let mut out = Vec::new();
    for (i, word) in w.iter().enumerate() {
        if program(word) == "touch" {
            out.extend(
                w[i + 1..]
                    .iter()
                    .take_while(|a| *a != ";")
                    .filter(|a| !a.starts_with('-'))
                    .map(|a| (a.clone(), true)),
            );
        } else if word == ">" || word == ">>" {
            if let Some(path) = w.get(i + 1) {
                out.push((path.clone(), false));
            }
        } else if let Some(path) = word.strip_prefix(">>").or_else(|| word.strip_prefix('>')) {
            if !path.is_empty() {
                out.push((path.to_string(), false));
            }
        }
    }
    out
}

fn signal_like(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    [
        "done", "finish", "complete", "quit", "exit", "terminat", "stop", "success", "end",
    ]
    .iter()
    .any(|w| file.contains(w))
}

/// The quit-file trick: the sidecar watches for a file that an app container creates when it is done.
/// Gives (the file as the sidecar sees it, the app container's name).
fn quit_file(sidecar: &Container, apps: &[&Container]) -> Option<(String, String)> {
    for tested in tested_files(sidecar) {
        let Some(place) = on_volume(sidecar, &tested) else {
            continue;
        };
        for app in apps {
            let creates = created_files(app).into_iter().any(|(path, touched)| {
                on_volume(app, &path).as_ref() == Some(&place) && (touched || signal_like(&path))
            });
            if creates {
                return Some((tested, app.name.clone()));
            }
        }
    }
    None
}

fn command_field(c: &Container) -> &'static str {
    if c.command.is_empty() {
        "args"
    } else {
        "command"
    }
}

/// Suggestions for sidecars moved into `initContainers`.
pub(super) fn for_native(
    converted: &Converted<'_>,
    moved: &[(String, SidecarRole)],
) -> Vec<Diagnostic> {
    let pod = &converted.workload.pod;
    let apps: Vec<&Container> = pod.containers.iter().collect();
    let mut out = Vec::new();
    for (name, role) in moved {
        let Some((i, c)) = pod
            .init_containers
            .iter()
            .enumerate()
            .find(|(_, c)| &c.name == name)
        else {
            continue;
        };
        let at = format!("initContainers[{i}]");
        let depended_on = !matches!(role, SidecarRole::Logs | SidecarRole::Metrics)
            && (*role == SidecarRole::Proxy || !c.ports.is_empty() || c.readiness_probe.is_some());
        if depended_on && c.startup_probe.is_none() {
            let serves = if c.readiness_probe.is_some() {
                "its readinessProbe passes (readiness does not gate start-up)"
            } else if !c.ports.is_empty() {
                "it serves its port"
            } else {
                "it carries traffic"
            };
            let hint = if c.readiness_probe.is_some() {
                "Copy its readinessProbe as a `startupProbe` (with `periodSeconds: 1` and a `failureThreshold` that covers \
                 its start-up): the kubelet starts the next container only once the sidecar is started (R23)."
                    .to_string()
            } else if let Some(port) = c.ports.first() {
                format!(
                    "Add e.g. `startupProbe: {{tcpSocket: {{port: {}}}, periodSeconds: 1, failureThreshold: 30}}`: the \
                     kubelet starts the next container only once the sidecar is started (R23).",
                    port.container_port
                )
            } else {
                "Add a `startupProbe` on the port it serves (Envoy: httpGet /ready on its admin port): the kubelet starts \
                 the next container only once the sidecar is started (R23)."
                    .to_string()
            };
            out.push(converted.warning(
                at.clone(),
                Target::Value,
                format!(
                    "sidecar \"{name}\" has no startupProbe: the containers after it start as soon as it is running, \
                     maybe before {serves}"
                ),
                hint,
            ));
        }
        if let Some(wait) = post_start_wait(c) {
            let instead = if c.startup_probe.is_some() {
                "it already has a startupProbe, which does the same"
            } else {
                "a startupProbe does the same"
            };
            out.push(converted.warning(
                format!("{at}.lifecycle.postStart"),
                Target::Key,
                format!(
                    "the postStart hook of \"{name}\" ({wait}) is the legacy way to hold the app until the sidecar is \
                     up (Istio's holdApplicationUntilProxyStarts, R90); a native sidecar holds the containers after it \
                     until it is started (R23), and {instead}"
                ),
                "Turn the wait into a `startupProbe` (Istio: httpGet /healthz/ready on port 15021) and remove the \
                 postStart hook; kept, it still works but only delays start-up."
                    .into(),
            ));
        }
        if let Some(sleep) = pre_stop_sleep(c) {
            out.push(converted.warning(
                format!("{at}.lifecycle.preStop"),
                Target::Key,
                format!(
                    "the preStop {sleep} of \"{name}\" kept the legacy sidecar alive while the app drained (R92); a \
                     native sidecar gets SIGTERM only after the app has exited (R71), so the sleep now only delays \
                     shutdown, out of the same grace period (R70)"
                ),
                "Remove the preStop hook from the sidecar.".into(),
            ));
        }
        if let Some((file, app)) = quit_file(c, &apps) {
            out.push(converted.warning(
                format!("{at}.{}", command_field(c)),
                Target::Value,
                format!(
                    "\"{name}\" exits when `{file}` appears, which \"{app}\" creates when it is done: the legacy trick \
                     that lets a Job with a sidecar complete (R93); the kubelet stops a native sidecar once the app \
                     has exited (R62), and a native sidecar that exits early is restarted (R25)"
                ),
                format!(
                    "Let \"{name}\" run until it is stopped and remove the quit file from both containers."
                ),
            ));
        }
    }
    for (j, app) in apps.iter().enumerate() {
        let w = words(&app.argv().iter().map(|s| s.to_string()).collect::<Vec<_>>());
        if w.iter().any(|w| w.contains("quitquitquit")) {
            out.push(converted.warning(
                format!("containers[{j}].{}", command_field(app)),
                Target::Value,
                format!(
                    "\"{}\" calls `/quitquitquit` to stop its sidecar when it is done, the legacy way to let a Job \
                     complete (R93); native sidecars are stopped by the kubelet after the app has exited (R62)",
                    app.name
                ),
                "Remove the call.".into(),
            ));
        }
    }
    out
}

/// Suggestions for sidecars moved into `containers`: what the legacy pod loses.
pub(super) fn for_legacy(
    converted: &Converted<'_>,
    original: &Workload,
    moved: &[(String, SidecarRole)],
    dry_runs: &mut DryRuns,
) -> Vec<Diagnostic> {
    let pod = &converted.workload.pod;
    let mut out = Vec::new();
    let job_like = converted.workload.job.is_some()
        || matches!(pod.restart_policy.as_deref(), Some("Never" | "OnFailure"));
    for (name, role) in moved {
        let Some((i, c)) = pod
            .containers
            .iter()
            .enumerate()
            .find(|(_, c)| &c.name == name)
        else {
            continue;
        };
        let at = format!("containers[{i}]");
        if *role == SidecarRole::Proxy && app_waits_for(c) && post_start_wait(c).is_none() {
            out.push(converted.warning(
                at.clone(),
                Target::Value,
                format!(
                    "nothing holds the app until \"{name}\" is up: a legacy pod starts its containers back to back \
                     (R26), and a startupProbe gates the next container only for a native sidecar (R23)"
                ),
                "Add a postStart hook that waits for the proxy (Istio's holdApplicationUntilProxyStarts injects \
                 `pilot-agent wait`, R90), or keep it a native sidecar."
                    .into(),
            ));
        }
        if job_like {
            let behaviour = dry_runs.of_container(converted.workload, c, ContainerKind::Regular);
            if let Some(forever) = behaviour.forever {
                out.push(converted.warning(
                    at.clone(),
                    Target::Value,
                    format!(
                        "\"{name}\" runs forever ({forever}): as a regular container it keeps the pod Running after \
                         the app exits, so it never completes (R93)"
                    ),
                    "A legacy sidecar in a Job needs a way to be told to exit (a quit file on a shared volume, or \
                     `/quitquitquit`); a native sidecar is stopped by the kubelet (R62)."
                        .into(),
                ));
            }
        }
        // The init containers it served lose it (R91).
        if *role == SidecarRole::Proxy {
            let position = original
                .pod
                .init_containers
                .iter()
                .position(|x| &x.name == name)
                .unwrap_or(usize::MAX);
            for later in original
                .pod
                .init_containers
                .iter()
                .skip(position.saturating_add(1))
            {
                if later.is_restartable() || super::detect::network_evidence(later).is_none() {
                    continue;
                }
                if let Some(j) = pod
                    .init_containers
                    .iter()
                    .position(|x| x.name == later.name)
                {
                    out.push(converted.warning(
                        format!("initContainers[{j}]"),
                        Target::Value,
                        format!(
                            "init container \"{}\" ran after the native sidecar \"{name}\" and could use it; a legacy \
                             sidecar starts only after all init containers (R91)",
                            later.name
                        ),
                        "If it needs the proxy, keep the proxy a native sidecar.".into(),
                    ));
                }
            }
        }
    }
    out
}
