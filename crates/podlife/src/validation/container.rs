//! Container validation (validation.go `validateContainerCommon`, `validateInitContainers`,
//! `validateContainers`): names unique across the pod (R12), images, ports, mounts, pull policy,
//! restart policies by version (R9, R10, R99), and what a plain init container may not set (R11).

use crate::sorted_map::SortedSet;

use super::field_error::Findings;
use super::handlers::{validate_lifecycle, validate_probe, ProbeKind};
use super::names::{dns1123_label_errors, port_name_errors};
use super::restart_rules::validate_restart_rules;
use super::Context;
use crate::field_path::FieldPath;
use crate::model::{Container, PodSpec, Volume};
use crate::version::Gate;

pub fn validate_containers(spec: &PodSpec, path: &FieldPath, cx: &Context, out: &mut Findings) {
    let containers_path = path.child("containers");
    if spec.containers.is_empty() {
        out.required(&containers_path, "").hint(
            "A pod needs at least one entry in `containers` (R13); init containers and sidecars alone are not a pod.",
        );
    }
    let mut names = SortedSet::new();
    for (i, container) in spec.containers.iter().enumerate() {
        let p = containers_path.index(i);
        validate_common(container, &p, &spec.volumes, cx, out);
        if !names.insert(container.name.as_str()) {
            out.duplicate(&p.child("name"), container.name.as_str())
                .hint("Container names must be unique across initContainers and containers (R12).");
        }
        validate_hooks_and_probes(container, &p, spec, cx, out);
        validate_restart_policy(container, &p, ListKind::Regular, cx, out);
    }

    check_host_port_conflicts(spec.containers.iter().collect(), &containers_path, out);

    let init_path = path.child("initContainers");
    for (i, container) in spec.init_containers.iter().enumerate() {
        let p = init_path.index(i);
        validate_common(container, &p, &spec.volumes, cx, out);
        if !container.name.is_empty() && !names.insert(container.name.as_str()) {
            out.duplicate(&p.child("name"), container.name.as_str())
                .hint("Container names must be unique across initContainers and containers (R12).");
        }
        // R17: each init container is checked alone ("init containers run one by one"), and upstream
        // passes a one-element list, so a clash is reported at index 0 whatever the container's index.
        check_host_port_conflicts(vec![container], &init_path, out);
        validate_restart_policy(container, &p, ListKind::Init, cx, out);
        if container.is_restartable() {
            validate_hooks_and_probes(container, &p, spec, cx, out);
        } else {
            forbid_sidecar_only_fields(container, &p, out);
        }
    }
}

/// R11: hooks and probes belong to sidecars and regular containers only.
fn forbid_sidecar_only_fields(container: &Container, path: &FieldPath, out: &mut Findings) {
    let set = [
        ("lifecycle", container.lifecycle.is_some()),
        ("livenessProbe", container.liveness_probe.is_some()),
        ("readinessProbe", container.readiness_probe.is_some()),
        ("startupProbe", container.startup_probe.is_some()),
    ];
    for (field, present) in set {
        if present {
            out.forbidden(&path.child(field), "may not be set for init containers without restartPolicy=Always")
                .hint(
                    "An init container runs to completion before the next one starts, so it has no hooks or probes. \
                     If this is meant to keep running beside the app, make it a sidecar: add `restartPolicy: Always`.",
                );
        }
    }
}

/// Which container list a restart policy is on: the rules differ (R9, R10, R99).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Init,
    Regular,
}

fn validate_restart_policy(
    container: &Container,
    path: &FieldPath,
    list: ListKind,
    cx: &Context,
    out: &mut Findings,
) {
    let rules_allowed = cx.version.enabled(Gate::ContainerRestartRules);
    let p = path.child("restartPolicy");
    let Some(policy) = container.restart_policy.as_deref() else {
        if container.restart_policy_rules.is_some() && (rules_allowed || list == ListKind::Init) {
            out.required(&p, "must specify restartPolicy when restart rules are used");
        }
        return;
    };
    match (list, rules_allowed) {
        (_, true) => {
            if !["Always", "Never", "OnFailure"].contains(&policy) {
                out.unsupported(&p, policy, &["Always", "Never", "OnFailure"]);
            }
            if let Some(rules) = &container.restart_policy_rules {
                validate_restart_rules(rules, path, cx, out);
            }
        }
        (ListKind::Init, false) if policy != "Always" => {
            out.unsupported(&p, policy, &["Always"]).hint(
                "The only restartPolicy an init container takes is `Always`, which makes it a sidecar (R9). \
                 Per-container OnFailure/Never arrived with ContainerRestartRules (beta, on by default from 1.35).",
            );
        }
        (ListKind::Init, false) => {}
        (ListKind::Regular, false) => {
            out.forbidden(&p, "may not be set for non-init containers").hint(
                "Before ContainerRestartRules (on by default from 1.35) only init containers take a restartPolicy. \
                 To run this container as a sidecar, move it to initContainers with `restartPolicy: Always`; \
                 the pod's own restartPolicy goes in the pod spec.",
            );
        }
    }
}

/// Hooks and the three probes, for the containers allowed to have them (regular containers, sidecars).
fn validate_hooks_and_probes(
    container: &Container,
    path: &FieldPath,
    spec: &PodSpec,
    cx: &Context,
    out: &mut Findings,
) {
    validate_lifecycle(container, path, spec, cx, out);
    for kind in ProbeKind::ALL {
        if let Some(probe) = kind.of(container) {
            validate_probe(probe, kind, &path.child(kind.field()), out);
        }
    }
}

/// `checkHostPortConflicts`: two ports of these containers claiming the same protocol/hostIP/hostPort.
fn check_host_port_conflicts(containers: Vec<&Container>, path: &FieldPath, out: &mut Findings) {
    let mut seen = SortedSet::new();
    for (i, container) in containers.iter().enumerate() {
        for (j, port) in container.ports.iter().enumerate() {
            let Some(host_port) = port.host_port.filter(|&h| h != 0) else {
                continue;
            };
            let key = format!(
                "{}/{}/{host_port}",
                port.protocol.as_deref().unwrap_or("TCP"),
                port.host_ip.as_deref().unwrap_or("")
            );
            if !seen.insert(key.clone()) {
                out.duplicate(&path.index(i).child("ports").index(j).child("hostPort"), key.as_str()).hint(
                    "Two containers of the pod cannot bind the same host port. Init containers are checked one by one \
                     (they never run together), so a sidecar and an app container may pass validation with the same \
                     hostPort and clash only at run time (R17).",
                );
            }
        }
    }
}

fn validate_common(
    container: &Container,
    path: &FieldPath,
    volumes: &[Volume],
    cx: &Context,
    out: &mut Findings,
) {
    let name_path = path.child("name");
    if container.name.is_empty() {
        out.required(&name_path, "");
    } else {
        for message in dns1123_label_errors(&container.name) {
            out.invalid(&name_path, container.name.as_str(), message);
        }
    }
    match container.image.as_deref() {
        None | Some("") => {
            out.required(&path.child("image"), "");
        }
        Some(image) if cx.is_pod && image.trim() != image => {
            out.invalid(
                &path.child("image"),
                image,
                "must not have leading or trailing whitespace",
            );
        }
        Some(_) => {}
    }
    if let Some(policy) = container.image_pull_policy.as_deref() {
        if !["Always", "IfNotPresent", "Never"].contains(&policy) {
            out.unsupported(
                &path.child("imagePullPolicy"),
                policy,
                &["Always", "IfNotPresent", "Never"],
            );
        }
    }
    validate_ports(container, &path.child("ports"), out);
    super::resources::validate_requests_within_limits(container, &path.child("resources"), out);
    validate_volume_mounts(container, &path.child("volumeMounts"), volumes, out);
}

fn validate_ports(container: &Container, path: &FieldPath, out: &mut Findings) {
    let mut names = SortedSet::new();
    for (i, port) in container.ports.iter().enumerate() {
        let p = path.index(i);
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            for message in port_name_errors(name) {
                out.invalid(&p.child("name"), name, message);
            }
            if !names.insert(name) {
                out.duplicate(&p.child("name"), name);
            }
        }
        if port.container_port == 0 {
            out.required(&p.child("containerPort"), "");
        } else if !(1..=65535).contains(&port.container_port) {
            out.invalid(
                &p.child("containerPort"),
                port.container_port,
                "must be between 1 and 65535, inclusive",
            );
        }
        if let Some(host_port) = port.host_port.filter(|&h| h != 0) {
            if !(1..=65535).contains(&host_port) {
                out.invalid(
                    &p.child("hostPort"),
                    host_port,
                    "must be between 1 and 65535, inclusive",
                );
            }
        }
        if let Some(protocol) = port.protocol.as_deref() {
            if !["SCTP", "TCP", "UDP"].contains(&protocol) {
                out.unsupported(&p.child("protocol"), protocol, &["SCTP", "TCP", "UDP"]);
            }
        }
    }
}

fn validate_volume_mounts(
    container: &Container,
    path: &FieldPath,
    volumes: &[Volume],
    out: &mut Findings,
) {
    let mut mount_paths = SortedSet::new();
    for (i, mount) in container.volume_mounts.iter().enumerate() {
        let p = path.index(i);
        if mount.name.is_empty() {
            out.required(&p.child("name"), "");
        }
        if !volumes.iter().any(|v| v.name == mount.name) {
            let known: Vec<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
            let finding = out.not_found(&p.child("name"), mount.name.as_str());
            if known.is_empty() {
                finding.hint("The pod declares no volumes: add one under `volumes` (e.g. `- name: data` with `emptyDir: {}`).");
            } else {
                finding.hint(format!("The pod's volumes are: {}.", known.join(", ")));
            }
        }
        if mount.mount_path.is_empty() {
            out.required(&p.child("mountPath"), "");
        } else if !mount_paths.insert(mount.mount_path.as_str()) {
            out.invalid(
                &p.child("mountPath"),
                mount.mount_path.as_str(),
                "must be unique",
            );
        }
    }
}
