//! The API server's validation of a workload's pod (R9–R19), after defaulting (R15) and after the fields
//! of disabled feature gates are dropped (R3, R99). Each finding carries the field path and which part of
//! the field it concerns; `crate::check` turns that into a span in the user's text.

mod container;
mod controller;
mod feature_gates;
pub mod field_error;
mod handlers;
mod names;
mod pod_spec;
mod resources;
mod restart_rules;

pub use field_error::{Finding, Findings};
pub use handlers::ProbeKind;

use crate::field_path::FieldPath;
use crate::model::{Workload, WorkloadKind};
use crate::version::KubeVersion;

pub struct Context {
    pub version: KubeVersion,
    /// A bare Pod (some checks apply only to pods, not to templates).
    pub is_pod: bool,
}

/// Drops what the chosen version's API server would drop; says so in warnings.
pub fn drop_disabled_fields(workload: &mut Workload, version: KubeVersion, out: &mut Findings) {
    let cx = Context {
        version,
        is_pod: workload.kind == WorkloadKind::Pod,
    };
    let path = FieldPath::parse(workload.kind.pod_spec_path());
    feature_gates::drop_disabled_fields(&mut workload.pod, &path, &cx, out);
}

/// Validates a defaulted workload. `object` is the decoded JSON of the whole object (for metadata and
/// selectors, which the lifecycle model does not keep).
pub fn validate(
    workload: &Workload,
    object: &crate::json::Value,
    version: KubeVersion,
    out: &mut Findings,
) {
    let cx = Context {
        version,
        is_pod: workload.kind == WorkloadKind::Pod,
    };
    let path = FieldPath::parse(workload.kind.pod_spec_path());
    pod_spec::validate_pod_spec(&workload.pod, &path, &cx, out);
    controller::validate_controller(workload, object, &cx, out);
}
