//! From text to workloads: split the YAML documents, open `kind: List`s, find the objects that carry a
//! pod, strictly decode each against its schema and read it into the model with defaults applied.
//! Objects that are not workloads (a Service next to a Deployment) are passed over, a Service noted as a
//! host the pod's scripts find; a file with no workload at all says so.

use crate::json::Value;

use crate::diagnostic::{Diagnostic, Position, Severity, Span};
use crate::field_path::SpanIndex;
use crate::input_limits;
use crate::model::{Volume, Workload, WorkloadKind};
use crate::schema;
use crate::strict_decoding;
use crate::yaml::{self, Node};

pub use crate::behaviour::outside_hosts::ServiceHost;

/// One workload of the file, decoded.
#[derive(Debug, Clone)]
pub struct LoadedWorkload {
    pub workload: Workload,
    /// The whole object as the API server receives it (badly typed fields left out).
    pub object: Value,
    pub spans: SpanIndex,
    /// How many strict-decoding errors the object had.
    pub decoding_errors: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub workloads: Vec<LoadedWorkload>,
    /// Syntax, kind and strict-decoding diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The `kind: Service` documents: hosts the pod's scripts find from the start (not workloads).
    pub services: Vec<ServiceHost>,
}

pub fn load(text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    if let Some(too_long) = input_limits::too_long(text) {
        loaded.diagnostics.push(too_long);
        return loaded;
    }
    let documents = match yaml::parse_documents(text) {
        Ok(documents) => documents,
        Err(syntax) => {
            loaded.diagnostics.push(syntax);
            return loaded;
        }
    };
    let mut others: Vec<(String, Span)> = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        let Some(node) = document else { continue };
        if node.as_mapping().is_none() {
            loaded.diagnostics.push(error(
                node.span,
                "a manifest document must be an object with `apiVersion`, `kind`, `metadata` and `spec`".into(),
                None,
            ));
            continue;
        }
        if node.get("kind").and_then(|e| e.value.as_str()) == Some("List") {
            let items = node
                .get("items")
                .and_then(|e| e.value.as_sequence())
                .unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                load_object(item, index, Some(i), &mut loaded, &mut others);
            }
        } else {
            load_object(node, index, None, &mut loaded, &mut others);
        }
    }
    if loaded.workloads.is_empty()
        && !loaded
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    {
        let diagnostic = match others.first() {
            Some((kind, span)) => Diagnostic {
                path: "kind".into(),
                ..error(
                *span,
                format!(
                    "kind \"{kind}\" is not a workload: podlife reads Pod, Deployment, StatefulSet, DaemonSet, \
                     ReplicaSet, Job and CronJob"
                ),
                Some("Paste the object that runs the containers: a Pod, or a controller with a pod template.".into()),
            )
            },
            None => error(
                Span { start: Position { line: 1, column: 1 }, end: Position { line: 1, column: 1 } },
                "no objects passed to apply: the manifest is empty".into(),
                Some("Paste a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob in YAML.".into()),
            ),
        };
        loaded.diagnostics.push(diagnostic);
    }
    loaded
}

fn error(span: Span, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        path: String::new(),
        message,
        hint,
        span,
    }
}

fn load_object(
    node: &Node,
    document: usize,
    list_item: Option<usize>,
    loaded: &mut Loaded,
    others: &mut Vec<(String, Span)>,
) {
    let first_key = node
        .as_mapping()
        .and_then(|m| m.first())
        .map_or(node.span, |e| e.key.span);
    let kind_entry = node.get("kind");
    let Some(kind) = kind_entry
        .and_then(|e| e.value.as_str())
        .filter(|k| !k.is_empty())
    else {
        loaded.diagnostics.push(Diagnostic {
            path: "kind".into(),
            ..error(first_key, "Object 'Kind' is missing".into(), Some("Every object starts with `apiVersion:` and `kind:`, e.g. `apiVersion: v1` and `kind: Pod`.".into()))
        });
        return;
    };
    let kind_span = kind_entry.map_or(first_key, |e| e.value.span);
    let Some(workload_kind) = WorkloadKind::from_kind(kind) else {
        if kind == "Service" {
            loaded.services.extend(service_host(&node.to_json()));
        }
        others.push((kind.to_string(), kind_span));
        return;
    };
    let api_entry = node.get("apiVersion");
    let Some(api_version) = api_entry
        .and_then(|e| e.value.as_str())
        .filter(|v| !v.is_empty())
    else {
        loaded.diagnostics.push(Diagnostic {
            path: "apiVersion".into(),
            ..error(
                first_key,
                "Object 'apiVersion' is missing".into(),
                Some(format!(
                    "A {kind} is `apiVersion: {}`.",
                    workload_kind.api_version()
                )),
            )
        });
        return;
    };
    let Some(root) = schema::root_for(api_version, kind) else {
        let span = api_entry.map_or(first_key, |e| e.value.span);
        loaded.diagnostics.push(Diagnostic {
            path: "apiVersion".into(),
            ..error(
                span,
                format!("no matches for kind \"{kind}\" in version \"{api_version}\""),
                Some(format!(
                    "{kind} is served at `apiVersion: {}`.",
                    workload_kind.api_version()
                )),
            )
        });
        return;
    };
    let spec_path = workload_kind.pod_spec_path();
    let spec = spec_path
        .split('.')
        .try_fold(node, |n, key| n.get(key).map(|e| &e.value));
    if let Some(too_many) = spec.and_then(|spec| input_limits::too_many_containers(spec, spec_path))
    {
        loaded.diagnostics.push(too_many);
        return;
    }
    let decoded = strict_decoding::decode(node, root);
    let decoding_errors = decoded.diagnostics.len();
    loaded.diagnostics.extend(decoded.diagnostics);
    let pod = pointer(&decoded.json, workload_kind.pod_spec_path())
        .and_then(crate::model::read_pod_spec)
        .unwrap_or_default();
    let job = workload_kind.job_spec_path().map(|p| {
        pointer(&decoded.json, p)
            .and_then(crate::model::read_job_settings)
            .unwrap_or_default()
    });
    let mut pod = pod;
    if workload_kind == WorkloadKind::StatefulSet {
        // The StatefulSet controller adds a volume to each pod for every volumeClaimTemplate.
        let claims = decoded
            .json
            .pointer("/spec/volumeClaimTemplates")
            .and_then(Value::as_array);
        for claim in claims.into_iter().flatten() {
            if let Some(name) = claim.pointer("/metadata/name").and_then(Value::as_str) {
                pod.volumes.push(Volume {
                    name: name.to_string(),
                    source: Some("persistentVolumeClaim".into()),
                });
            }
        }
    }
    let name = decoded
        .json
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .map(str::to_string);
    let namespace = decoded
        .json
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .filter(|ns| !ns.is_empty())
        .map(str::to_string);
    let mut annotations = string_map(decoded.json.pointer("/metadata/annotations"));
    if let Some(template) = workload_kind.template_metadata_path() {
        annotations.extend(string_map(pointer(
            &decoded.json,
            &format!("{template}.annotations"),
        )));
    }
    let workload = Workload {
        kind: workload_kind,
        name,
        namespace,
        document,
        list_item,
        pod,
        job,
        annotations,
    };
    loaded.workloads.push(LoadedWorkload {
        workload,
        object: decoded.json,
        spans: decoded.spans,
        decoding_errors,
    });
}

/// A Service's name, namespace, ports and external name; `None` without a name. Read leniently: a
/// Service is not a workload, so podlife does not validate it, only learns which host it makes.
fn service_host(object: &Value) -> Option<ServiceHost> {
    let text = |path: &str| {
        object
            .pointer(path)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let headless = text("/spec/clusterIP").as_deref() == Some("None");
    let ports = object
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.pointer("/port").and_then(Value::as_i64))
        .filter_map(|p| u16::try_from(p).ok())
        .filter(|_| !headless)
        .collect();
    Some(ServiceHost {
        name: text("/metadata/name")?,
        namespace: text("/metadata/namespace"),
        ports,
        external_name: text("/spec/externalName"),
    })
}

fn string_map(value: Option<&Value>) -> crate::sorted_map::SortedMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// The JSON value at a dotted field path (`spec.template.spec`).
fn pointer<'a>(value: &'a Value, dotted: &str) -> Option<&'a Value> {
    value.pointer(&format!("/{}", dotted.replace('.', "/")))
}
