//! What the API server silently drops when a feature gate is off in the chosen version
//! (pkg/api/pod/util.go `dropDisabledPodFields`, R3, R99): done before validation, as upstream does, and
//! said out loud here, because a dropped `restartPolicy: Always` turns a sidecar into an init container
//! that never finishes.

use super::field_error::Findings;
use super::Context;
use crate::field_path::{FieldPath, Target};
use crate::model::{Container, PodSpec};
use crate::version::Gate;

pub fn drop_disabled_fields(
    spec: &mut PodSpec,
    path: &FieldPath,
    cx: &Context,
    out: &mut Findings,
) {
    let version = cx.version;
    if !version.enabled(Gate::SidecarContainers) {
        for (i, c) in spec.init_containers.iter_mut().enumerate() {
            if let Some(policy) = c.restart_policy.take() {
                let finding = out.warning(
                    &path.child("initContainers").index(i).child("restartPolicy"),
                    Target::Key,
                    format!(
                        "the SidecarContainers feature gate is off by default in {version}: the API server drops \
                         `restartPolicy: {policy}`, so \"{}\" becomes an ordinary init container",
                        c.name
                    ),
                );
                if policy == "Always" {
                    finding.hint(
                        "Native sidecars are on by default from 1.29 (R2, R3). On 1.28 this container must finish before \
                         the next one starts; if it runs forever, the pod never starts its app containers.",
                    );
                }
            }
        }
    }
    if version.stage(Gate::ContainerRestartRules).is_some()
        && !version.enabled(Gate::ContainerRestartRules)
    {
        for (i, c) in spec.init_containers.iter_mut().enumerate() {
            if c.restart_policy.as_deref().is_some_and(|p| p != "Always") {
                let dropped = c.restart_policy.take().unwrap_or_default();
                out.warning(
                    &path.child("initContainers").index(i).child("restartPolicy"),
                    Target::Key,
                    format!(
                        "the ContainerRestartRules feature gate is off by default in {version}: the API server drops \
                         `restartPolicy: {dropped}` from init container \"{}\"",
                        c.name
                    ),
                );
            }
            drop_rules(c, &path.child("initContainers").index(i), cx, out);
        }
        for (i, c) in spec.containers.iter_mut().enumerate() {
            if let Some(dropped) = c.restart_policy.take() {
                out.warning(
                    &path.child("containers").index(i).child("restartPolicy"),
                    Target::Key,
                    format!(
                        "the ContainerRestartRules feature gate is off by default in {version}: the API server drops \
                         `restartPolicy: {dropped}` from container \"{}\"",
                        c.name
                    ),
                )
                .hint("The container follows the pod's restartPolicy instead (R99).");
            }
            drop_rules(c, &path.child("containers").index(i), cx, out);
        }
    }
    if !version.enabled(Gate::PodLifecycleSleepAction) {
        let all = spec
            .init_containers
            .iter_mut()
            .enumerate()
            .map(|(i, c)| (path.child("initContainers").index(i), c));
        let all: Vec<(FieldPath, &mut Container)> = all
            .chain(
                spec.containers
                    .iter_mut()
                    .enumerate()
                    .map(|(i, c)| (path.child("containers").index(i), c)),
            )
            .collect();
        for (p, c) in all {
            let Some(lifecycle) = c.lifecycle.as_mut() else {
                continue;
            };
            for (field, hook) in [
                ("postStart", &mut lifecycle.post_start),
                ("preStop", &mut lifecycle.pre_stop),
            ] {
                if hook.as_ref().is_some_and(|h| h.sleep.is_some()) {
                    out.warning(
                        &p.child("lifecycle").child(field).child("sleep"),
                        Target::Key,
                        format!("the sleep action needs the PodLifecycleSleepAction feature gate, off by default in {version}: the API server drops it"),
                    )
                    .hint("On by default from 1.30. Before that, use `exec: {command: [\"sleep\", \"5\"]}`.");
                    if let Some(h) = hook.as_mut() {
                        h.sleep = None;
                    }
                    if hook.as_ref().is_some_and(|h| h.handler_kinds().is_empty()) {
                        *hook = None;
                    }
                }
            }
        }
    }
}

fn drop_rules(c: &mut Container, path: &FieldPath, cx: &Context, out: &mut Findings) {
    if c.restart_policy_rules.take().is_some() {
        out.warning(
            &path.child("restartPolicyRules"),
            Target::Key,
            format!(
                "the ContainerRestartRules feature gate is off by default in {}: the API server drops `restartPolicyRules`",
                cx.version
            ),
        );
    }
}
