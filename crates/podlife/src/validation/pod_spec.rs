//! Pod spec validation (validation.go `ValidatePodSpec`, `validateVolumes`; pkg/api/pod/warnings.go), in
//! the API server's order: volumes, containers (regular then init), restartPolicy, grace period, deadline.

use crate::sorted_map::SortedSet;

use super::container::validate_containers;
use super::field_error::Findings;
use super::names::dns1123_label_errors;
use super::Context;
use crate::field_path::{FieldPath, Target};
use crate::model::PodSpec;

pub fn validate_pod_spec(spec: &PodSpec, path: &FieldPath, cx: &Context, out: &mut Findings) {
    let volumes_path = path.child("volumes");
    let mut names = SortedSet::new();
    for (i, volume) in spec.volumes.iter().enumerate() {
        let p = volumes_path.index(i).child("name");
        if volume.name.is_empty() {
            out.required(&p, "");
            continue;
        }
        for message in dns1123_label_errors(&volume.name) {
            out.invalid(&p, volume.name.as_str(), message);
        }
        if !names.insert(volume.name.as_str()) {
            out.duplicate(&p, volume.name.as_str());
        }
    }

    validate_containers(spec, path, cx, out);

    if let Some(policy) = spec.restart_policy.as_deref() {
        if !["Always", "OnFailure", "Never"].contains(&policy) {
            out.unsupported(
                &path.child("restartPolicy"),
                policy,
                &["Always", "OnFailure", "Never"],
            );
        }
    }
    if let Some(grace) = spec.termination_grace_period_seconds.filter(|g| *g < 0) {
        out.warning(
            &path.child("terminationGracePeriodSeconds"),
            Target::Value,
            "must be >= 0; negative values are invalid and will be treated as 1",
        )
        .hint(format!(
            "{grace} is accepted with this warning, and the kubelet then allows 1 s."
        ));
    }
    if let Some(deadline) = spec.active_deadline_seconds {
        if !(1..=2_147_483_647).contains(&deadline) {
            out.invalid(
                &path.child("activeDeadlineSeconds"),
                deadline,
                "must be between 1 and 2147483647, inclusive",
            );
        }
    }
}
