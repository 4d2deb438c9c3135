//! The loader reads the model with its own small reader (`model::read_pod_spec`,
//! `model::read_job_settings`) instead of serde's derives, to keep the wasm small. This checks that the
//! two agree: on every pod spec and Job spec of the corpus, and on each of them with every value in it,
//! one at a time, replaced by a value of each JSON type (`null`, an integer, `80.0`, `1.5`, a huge
//! integer, a string, a boolean, an object, and an array where an array was).
//!
//! An array never replaces an object here: strict decoding drops any value whose JSON type is not the
//! schema's, so an object field only ever holds an object or `null` (serde would read an array as the
//! struct's fields in order; the small reader does not, and need not).

use std::fs;
use std::path::Path;

use podlife::model::{read_job_settings, read_pod_spec, JobSettings, PodSpec};
use serde_json::{json, Value};

/// The core's own JSON tree for a serde_json value (the small reader reads the core's tree).
fn core_json(value: &Value) -> podlife::json::Value {
    serde_json::from_value(value.clone()).expect("any JSON value")
}

fn corpus_files(dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            corpus_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(fs::read_to_string(&path).expect("readable"));
        }
    }
}

/// Every pod spec and Job spec the corpus loads to, as strict decoding hands them on.
fn specs() -> (Vec<Value>, Vec<Value>) {
    let mut texts = Vec::new();
    corpus_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus"),
        &mut texts,
    );
    assert!(texts.len() > 50, "the corpus is there");
    let (mut pods, mut jobs) = (Vec::new(), Vec::new());
    for text in &texts {
        for item in podlife::load(text).workloads {
            let at = |dotted: &str| {
                item.object
                    .pointer(&format!("/{}", dotted.replace('.', "/")))
                    .map(|v| serde_json::to_value(v).expect("JSON"))
            };
            pods.extend(at(item.workload.kind.pod_spec_path()));
            if let Some(path) = item.workload.kind.job_spec_path() {
                jobs.extend(at(path));
            }
        }
    }
    (pods, jobs)
}

/// `value` with each of its values in turn replaced by each kind of JSON value.
fn mutations(value: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    mutate(value, &mut |replace| out.push(replace), &mut Vec::new());
    out
}

fn replacements(original: &Value) -> Vec<Value> {
    let mut values = vec![
        Value::Null,
        json!(3),
        json!(80.0),
        json!(1.5),
        json!(u64::MAX),
        json!(-7),
        json!("x"),
        json!(true),
        json!({}),
        json!({"name": "n", "port": 8080, "command": ["sh"]}),
    ];
    if original.is_array() {
        values.extend([json!([]), json!(["a", 1, null]), json!([{}])]);
    }
    values
}

/// Calls `emit` with the whole of `root` for every replacement at every position below it; `path` is
/// the position being visited.
fn mutate(root: &Value, emit: &mut dyn FnMut(Value), path: &mut Vec<PathStep>) {
    let here = get(root, path).clone();
    if !path.is_empty() {
        for replacement in replacements(&here) {
            let mut copy = root.clone();
            *get_mut(&mut copy, path) = replacement;
            emit(copy);
        }
    }
    match &here {
        Value::Object(map) => {
            for key in map.keys() {
                path.push(PathStep::Key(key.clone()));
                mutate(root, emit, path);
                path.pop();
            }
        }
        Value::Array(items) => {
            for i in 0..items.len() {
                path.push(PathStep::Index(i));
                mutate(root, emit, path);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn get<'a>(mut value: &'a Value, path: &[PathStep]) -> &'a Value {
    for step in path {
        value = match step {
            PathStep::Key(k) => &value[k.as_str()],
            PathStep::Index(i) => &value[*i],
        };
    }
    value
}

fn get_mut<'a>(mut value: &'a mut Value, path: &[PathStep]) -> &'a mut Value {
    for step in path {
        value = match step {
            PathStep::Key(k) => &mut value[k.as_str()],
            PathStep::Index(i) => &mut value[*i],
        };
    }
    value
}

#[test]
fn the_small_reader_reads_every_pod_spec_as_serde_does() {
    let (pods, _) = specs();
    assert!(pods.len() > 50);
    let mut checked = 0;
    for pod in &pods {
        for value in std::iter::once(pod.clone()).chain(mutations(pod)) {
            let by_serde = serde_json::from_value::<PodSpec>(value.clone()).ok();
            assert_eq!(read_pod_spec(&core_json(&value)), by_serde, "for {value}");
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked} pod specs checked");
}

#[test]
fn the_small_reader_reads_every_job_spec_as_serde_does() {
    let (_, jobs) = specs();
    assert!(!jobs.is_empty());
    let extra = json!({
        "backoffLimit": 2,
        "completions": 1,
        "parallelism": 1,
        "activeDeadlineSeconds": 60,
        "podFailurePolicy": {"rules": [{"action": "FailJob"}]},
    });
    for job in jobs.iter().chain([&extra]) {
        for value in std::iter::once(job.clone()).chain(mutations(job)) {
            let by_serde = serde_json::from_value::<JobSettings>(value.clone()).ok();
            assert_eq!(
                read_job_settings(&core_json(&value)),
                by_serde,
                "for {value}"
            );
        }
    }
}

#[test]
fn serde_and_the_small_reader_agree_on_the_edge_cases() {
    for value in [
        json!({"containers": null}),
        json!({"containers": [null]}),
        json!({"containers": [{"name": "a", "ports": [{"containerPort": 80.0}]}]}),
        json!({"containers": [{"name": "a", "ports": [{"containerPort": 80}]}]}),
        json!({"containers": [{"name": null}]}),
        json!({"containers": [{"name": "a", "resources": {"requests": null}}]}),
        json!({"containers": [{"name": "a", "resources": {"limits": {"cpu": 1, "memory": "1Gi", "x": 0.5, "y": null}}}]}),
        json!({"containers": [{"name": "a", "livenessProbe": {"httpGet": {"port": "http"}}}]}),
        json!({"containers": [{"name": "a", "livenessProbe": {"httpGet": {"port": 1.5}}}]}),
        json!({"containers": [{"name": "a", "livenessProbe": {"httpGet": {}}}]}),
        json!({"containers": [{"name": "a", "lifecycle": {"preStop": {"sleep": {}}}}]}),
        json!({"volumes": [{"name": "v", "emptyDir": {}}, {"configMap": {}}, null]}),
        json!({"volumes": [{"name": 3, "emptyDir": {}}]}),
        json!({"readinessGates": [null, {"conditionType": "x"}]}),
        json!({"terminationGracePeriodSeconds": 9223372036854775808u64}),
        json!({"hostNetwork": "true"}),
        json!(null),
    ] {
        let by_serde = serde_json::from_value::<PodSpec>(value.clone()).ok();
        assert_eq!(read_pod_spec(&core_json(&value)), by_serde, "for {value}");
    }
}
