//! What a trainer would point out in a manifest the API server accepts: lifecycles that never complete
//! or never start, a sidecar the app may outrun, a preStop longer than the grace period, an argument that
//! still carries a comma from a flow list. Each warning names the kubelet rule behind it.

use crate::behaviour::{exec_duration_within, DryRuns};
use crate::field_path::{FieldPath, Target};
use crate::image_reference::ImageReference;
use crate::model::{Container, Workload};
use crate::pod_status::ContainerKind;
use crate::validation::Findings;
use crate::version::{Gate, KubeVersion};

/// The warnings, reading commands through the call's `dry_runs` (its budget, each container inferred
/// once).
pub fn warn(workload: &Workload, version: KubeVersion, dry_runs: &mut DryRuns, out: &mut Findings) {
    let spec_path = FieldPath::parse(workload.kind.pod_spec_path());
    never_completes(workload, &spec_path, dry_runs, out);
    init_containers_that_block(workload, &spec_path, version, dry_runs, out);
    sidecars_without_startup_probe(workload, &spec_path, out);
    pre_stop_longer_than_grace(workload, &spec_path, dry_runs, out);
    arguments_with_trailing_commas(workload, &spec_path, out);
    crate::assumption_notes::program_assumptions(workload, &spec_path, dry_runs, out);
    images_that_cannot_be_had(workload, &spec_path, out);
}

/// An image the API server accepts but no node can get: not a valid reference (the kubelet cannot
/// even parse it: InvalidImageName), or on a registry that cannot exist (RFC 2606's `invalid`:
/// ErrImagePull, then ImagePullBackOff). Said at the image's value.
fn images_that_cannot_be_had(workload: &Workload, spec_path: &FieldPath, out: &mut Findings) {
    for (path, c) in containers_with_paths(workload, spec_path) {
        // An empty or space-padded image is already the API server's error.
        let Some(image) = c
            .image
            .as_deref()
            .filter(|i| !i.is_empty() && i.trim() == *i)
        else {
            continue;
        };
        let (message, hint) = match ImageReference::parse(image) {
            Err(e) => (
                format!("\"{image}\" is not a valid image reference ({e}): the container waits as InvalidImageName and never starts"),
                "The API server only checks that the image is not empty and has no surrounding spaces; the kubelet parses it before any pull (R103). Write a \
                 reference such as `registry.example.com/team/app:1.2` (lowercase repository, a tag after `:`), \
                 replacing any `<placeholder>`."
                    .to_string(),
            ),
            Ok(r) if r.host_cannot_exist() => (
                format!("the registry \"{}\" cannot exist (RFC 2606 reserves `invalid`): every pull fails with ErrImagePull, then ImagePullBackOff", r.host()),
                "Kubernetes' own tests use such a name for an image that never pulls (R55); point the image at a real registry."
                    .to_string(),
            ),
            Ok(_) => continue,
        };
        out.warning(&path.child("image"), Target::Value, message)
            .hint(hint);
    }
}

/// R59/R93: with restartPolicy Never/OnFailure (and for every Job) the pod completes only when all
/// regular containers have exited; a legacy sidecar that never exits keeps it Running.
fn never_completes(
    workload: &Workload,
    spec_path: &FieldPath,
    dry_runs: &mut DryRuns,
    out: &mut Findings,
) {
    let policy = workload.pod.restart_policy.as_deref().unwrap_or("Always");
    let is_job = workload.job.is_some();
    if policy == "Always" && !is_job {
        return;
    }
    let what = if is_job { "this Job" } else { "this pod" };
    let containers = &workload.pod.containers;
    for (i, c) in containers.iter().enumerate() {
        let behaviour = dry_runs.of_container(workload, c, ContainerKind::Regular);
        let Some(reason) = behaviour.forever else {
            continue;
        };
        let others: Vec<&str> = containers
            .iter()
            .filter(|o| o.name != c.name)
            .map(|o| o.name.as_str())
            .collect();
        let finding = out.warning(
            &spec_path.child("containers").index(i),
            Target::Value,
            format!(
                "{what} will never complete: container \"{}\" runs forever ({reason})",
                c.name
            ),
        );
        if others.is_empty() {
            finding.hint("A pod with restartPolicy Never/OnFailure completes when its containers exit (R59).");
        } else {
            finding.hint(format!(
                "As a regular container it keeps the pod Running after {} exit{} (R93). Make it a native sidecar: \
                 move it to initContainers with `restartPolicy: Always` (Kubernetes 1.29+), and the kubelet stops \
                 it once the other containers are done (R62).",
                quoted_list(&others),
                if others.len() == 1 { "s" } else { "" }
            ));
        }
    }
}

/// R20/R22: an init container must exit for the next one to start.
fn init_containers_that_block(
    workload: &Workload,
    spec_path: &FieldPath,
    version: KubeVersion,
    dry_runs: &mut DryRuns,
    out: &mut Findings,
) {
    for (i, c) in workload.pod.init_containers.iter().enumerate() {
        if c.is_restartable() {
            continue;
        }
        if let Some(reason) = dry_runs
            .of_container(workload, c, ContainerKind::Init)
            .forever
        {
            let after: Vec<&str> = workload.pod.init_containers[i + 1..]
                .iter()
                .chain(workload.pod.containers.iter())
                .map(|c| c.name.as_str())
                .collect();
            out.warning(
                &spec_path.child("initContainers").index(i),
                Target::Value,
                format!(
                    "init container \"{}\" runs forever ({reason}): it blocks start-up, so {} never start{}",
                    c.name,
                    quoted_list(&after),
                    if after.len() == 1 { "s" } else { "" }
                ),
            )
            .hint(if version.enabled(Gate::SidecarContainers) {
                "Init containers run one at a time, each to completion (R20). If this one is meant to run beside \
                 the app, make it a sidecar with `restartPolicy: Always`."
            } else {
                "Init containers run one at a time, each to completion (R20). Native sidecars (`restartPolicy: \
                 Always`) need the SidecarContainers gate, on by default from 1.29; on this version run the \
                 sidecar as a second entry of `containers` instead (the legacy pattern)."
            });
        }
    }
}

/// R23/R36: the next container starts once a sidecar is *started* (running, postStart done, startupProbe
/// passed); readiness does not gate start-up.
fn sidecars_without_startup_probe(workload: &Workload, spec_path: &FieldPath, out: &mut Findings) {
    let init = &workload.pod.init_containers;
    for (i, c) in init.iter().enumerate() {
        if !c.is_restartable() || c.startup_probe.is_some() {
            continue;
        }
        let serves = c.readiness_probe.is_some() || !c.ports.is_empty();
        if !serves {
            continue;
        }
        let next = init[i + 1..]
            .first()
            .or_else(|| workload.pod.containers.first())
            .map(|n| n.name.as_str())
            .unwrap_or("the app");
        let why = if c.readiness_probe.is_some() {
            "its readinessProbe does not gate start-up"
        } else {
            "it serves a port"
        };
        out.warning(
            &spec_path.child("initContainers").index(i),
            Target::Value,
            format!(
                "sidecar \"{}\" has no startupProbe: \"{next}\" starts as soon as \"{}\" is running, maybe before it \
                 is ready ({why})",
                c.name, c.name
            ),
        )
        .hint(
            "The kubelet starts the next container once a sidecar is started: running, postStart done, startupProbe \
             passed (R23). Add a startupProbe that checks what the app needs (e.g. the proxy's port).",
        );
    }
}

/// R70: preStop runs inside the grace period; the kubelet kills at the deadline.
fn pre_stop_longer_than_grace(
    workload: &Workload,
    spec_path: &FieldPath,
    dry_runs: &mut DryRuns,
    out: &mut Findings,
) {
    let grace = workload.pod.termination_grace_period();
    let all = containers_with_paths(workload, spec_path);
    for (path, c) in all {
        let Some(pre_stop) = c.lifecycle.as_ref().and_then(|l| l.pre_stop.as_ref()) else {
            continue;
        };
        let Some(exec) = &pre_stop.exec else { continue };
        let Some(duration) = exec_duration_within(&exec.command, dry_runs) else {
            continue;
        };
        if duration.as_secs() >= grace as f64 {
            let seconds = crate::time::secs_text(duration.0);
            out.warning(
                &path.child("lifecycle").child("preStop"),
                Target::Key,
                format!(
                    "the preStop hook of \"{}\" runs about {seconds} s, not less than the pod's \
                     terminationGracePeriodSeconds ({grace})",
                    c.name
                ),
            )
            .hint(
                "preStop time counts against the grace period: at the deadline the kubelet sends SIGTERM with only \
                 the 2 s minimum left, then SIGKILL (R70). Raise terminationGracePeriodSeconds or shorten the hook.",
            );
        }
    }
}

/// `- -c,` is valid YAML (the text "-c,"), left over from a flow list `["sh", "-c", ...]`.
fn arguments_with_trailing_commas(workload: &Workload, spec_path: &FieldPath, out: &mut Findings) {
    for (path, c) in containers_with_paths(workload, spec_path) {
        for (field, list) in [("command", &c.command), ("args", &c.args)] {
            for (j, arg) in list.iter().enumerate() {
                if arg.len() > 1 && arg.ends_with(',') && !arg.contains(' ') {
                    out.warning(
                        &path.child(field).index(j),
                        Target::Value,
                        format!("argument \"{arg}\" ends with a comma"),
                    )
                    .hint(format!(
                        "In a block list the comma is part of the text, so the program receives \"{arg}\". Delete the \
                         `,`: block-list items are not separated by commas."
                    ));
                }
            }
        }
    }
}

pub(crate) fn containers_with_paths<'a>(
    workload: &'a Workload,
    spec_path: &FieldPath,
) -> Vec<(FieldPath, &'a Container)> {
    let init = workload
        .pod
        .init_containers
        .iter()
        .enumerate()
        .map(|(i, c)| (spec_path.child("initContainers").index(i), c));
    let regular = workload
        .pod
        .containers
        .iter()
        .enumerate()
        .map(|(i, c)| (spec_path.child("containers").index(i), c));
    init.chain(regular).collect()
}

fn quoted_list(names: &[&str]) -> String {
    if names.is_empty() {
        "the app containers".into()
    } else {
        crate::name_list::quoted_and(names)
    }
}
