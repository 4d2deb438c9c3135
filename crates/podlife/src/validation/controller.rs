//! What each owner of a pod template adds to the pod spec's own rules (pkg/apis/apps/validation,
//! pkg/apis/batch/validation): Deployments and their kin restart forever, Jobs never with `Always`
//! (R19), a selector must match the template, a Pod needs a name.

use crate::json::Value;

use super::field_error::{Findings, Shown};
use super::names::dns1123_subdomain_errors;
use super::Context;
use crate::field_path::FieldPath;
use crate::model::{Workload, WorkloadKind};

pub fn validate_controller(workload: &Workload, object: &Value, cx: &Context, out: &mut Findings) {
    let metadata = object.get("metadata");
    let has_name = |m: Option<&Value>| {
        m.is_some_and(|m| {
            ["name", "generateName"].iter().any(|k| {
                m.get(k)
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.is_empty())
            })
        })
    };
    if !has_name(metadata) {
        out.required(
            &FieldPath::root().child("metadata").child("name"),
            "name or generateName is required",
        );
    }
    validate_object_name(workload.kind, metadata, out);

    let spec_path = FieldPath::parse(workload.kind.pod_spec_path());
    let policy = workload.pod.restart_policy.as_deref().unwrap_or("Always");
    if workload.kind.requires_always_restart() {
        if policy != "Always" {
            out.unsupported(&spec_path.child("restartPolicy"), policy, &["Always"]).hint(format!(
                "A {} keeps its pods running, so their restartPolicy can only be Always; for run-to-completion \
                 work use a Job.",
                workload.kind.name()
            ));
        }
        if workload.pod.active_deadline_seconds.is_some() {
            let owner = match workload.kind {
                WorkloadKind::Deployment | WorkloadKind::ReplicaSet => "ReplicaSet",
                other => other.name(),
            };
            out.forbidden(
                &spec_path.child("activeDeadlineSeconds"),
                &format!("activeDeadlineSeconds in {owner} is not Supported"),
            );
        }
        validate_selector(workload.kind, object, out);
    }

    if let (Some(job), Some(job_path)) = (&workload.job, workload.kind.job_spec_path()) {
        let job_path = FieldPath::parse(job_path);
        match policy {
            "Always" => {
                out.required(&spec_path.child("restartPolicy"), "valid values: \"OnFailure\", \"Never\"").hint(
                    "A Job's pod must be allowed to finish: set `restartPolicy: Never` or `OnFailure` in the pod \
                     template (a pod template without one gets Always, which a Job refuses).",
                );
            }
            "OnFailure" | "Never" => {}
            other => {
                out.unsupported(
                    &spec_path.child("restartPolicy"),
                    other,
                    &["OnFailure", "Never"],
                );
            }
        }
        if job.pod_failure_policy.is_some() && policy == "OnFailure" {
            out.invalid(
                &spec_path.child("restartPolicy"),
                policy,
                "only \"Never\" is supported when podFailurePolicy is specified",
            );
        }
        let names: Vec<&str> = workload
            .pod
            .init_containers
            .iter()
            .chain(workload.pod.containers.iter())
            .map(|c| c.name.as_str())
            .collect();
        if let Some(policy) = &job.pod_failure_policy {
            for (i, rule) in policy.rules.iter().enumerate() {
                let Some(name) = rule
                    .pointer("/onExitCodes/containerName")
                    .and_then(Value::as_str)
                else {
                    continue;
                };
                if !names.contains(&name) {
                    out.invalid(
                        &job_path
                            .child("podFailurePolicy")
                            .child("rules")
                            .index(i)
                            .child("onExitCodes")
                            .child("containerName"),
                        name,
                        "must be one of the container or initContainer names in the pod template",
                    )
                    .hint(format!(
                        "The pod template's containers are: {}.",
                        names.join(", ")
                    ));
                }
            }
        }
        let counts = [
            ("backoffLimit", job.backoff_limit),
            ("completions", job.completions),
            ("parallelism", job.parallelism),
            ("activeDeadlineSeconds", job.active_deadline_seconds),
        ];
        for (field, value) in counts {
            if let Some(v) = value.filter(|v| *v < 0) {
                out.invalid(
                    &job_path.child(field),
                    v,
                    "must be greater than or equal to 0",
                );
            }
        }
    }
    let _ = cx;
}

/// `spec.selector` is required and must select the template's own labels.
/// `ValidateObjectMeta` with the kind's name function: every workload kind's name is a DNS-1123
/// subdomain (`NameIsDNSSubdomain`; `generateName` is a prefix, checked with its trailing dash
/// masked), and a CronJob's name leaves room for the Jobs' 11-character suffix
/// (`ValidateCronJobCreate`: at most 52 characters).
fn validate_object_name(kind: WorkloadKind, metadata: Option<&Value>, out: &mut Findings) {
    let path = FieldPath::root().child("metadata");
    for key in ["name", "generateName"] {
        let Some(text) = metadata.and_then(|m| m.get(key)).and_then(Value::as_str) else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let checked = if key == "generateName" {
            mask_trailing_dash(text)
        } else {
            text.to_string()
        };
        for message in dns1123_subdomain_errors(&checked) {
            out.invalid(&path.child(key), Shown::Str(text), message).hint(
                "Names are lower-case letters, digits, '-' and '.', starting and ending with a letter or \
                 digit. A `$VAR` in a name is a template placeholder: kubectl does not expand it.",
            );
        }
        if key == "name" && kind == WorkloadKind::CronJob && text.len() > 52 {
            out.invalid(
                &path.child(key),
                Shown::Str(text),
                "must be no more than 52 characters",
            );
        }
    }
}

/// `maskTrailingDash`: a generateName prefix may end in `-`, since a random suffix follows it.
fn mask_trailing_dash(name: &str) -> String {
    match name.strip_suffix('-') {
        Some(head) if !head.is_empty() => format!("{head}a"),
        _ => name.to_string(),
    }
}

fn validate_selector(kind: WorkloadKind, object: &Value, out: &mut Findings) {
    let spec = object.get("spec");
    let selector = spec
        .and_then(|s| s.get("selector"))
        .filter(|s| !s.is_null());
    let Some(selector) = selector else {
        out.required(&FieldPath::parse("spec.selector"), "")
            .hint(format!(
            "A {} finds its pods by label: add `selector: {{matchLabels: {{app: ...}}}}` matching \
             `spec.template.metadata.labels`.",
            kind.name()
        ));
        return;
    };
    let labels = spec
        .and_then(|s| s.pointer("/template/metadata/labels"))
        .and_then(Value::as_object);
    let Some(match_labels) = selector.get("matchLabels").and_then(Value::as_object) else {
        return;
    };
    let matches = match_labels
        .iter()
        .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v));
    if !matches {
        let shown = labels
            .map(|l| Value::Object(l.clone()).to_string())
            .unwrap_or_else(|| "null".into());
        out.invalid(&FieldPath::parse("spec.template.metadata.labels"), Shown::Json(shown), "`selector` does not match template `labels`")
            .hint("Every label in `spec.selector.matchLabels` must also be in `spec.template.metadata.labels`, with the same value.");
    }
}
