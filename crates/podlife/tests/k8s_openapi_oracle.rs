//! What podlife accepts, the real schema accepts: every manifest of the corpus that podlife finds free of
//! errors also deserialises into k8s-openapi's types (generated from Kubernetes' own OpenAPI spec), and
//! keeps every field doing so (k8s-openapi ignores unknown fields, so a round trip shows none was lost).

use std::path::PathBuf;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::Pod;
use podlife::yaml::parse_documents;
use serde_json::Value;

fn corpus_files(dir: &str) -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// Deserialises `object` as its kind and serialises it back.
fn round_trip(object: &Value) -> Option<Result<Value, String>> {
    fn via<T: serde::de::DeserializeOwned + serde::Serialize>(v: &Value) -> Result<Value, String> {
        let typed: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
        serde_json::to_value(typed).map_err(|e| e.to_string())
    }
    Some(match object.get("kind")?.as_str()? {
        "Pod" => via::<Pod>(object),
        "Deployment" => via::<Deployment>(object),
        "StatefulSet" => via::<StatefulSet>(object),
        "DaemonSet" => via::<DaemonSet>(object),
        "ReplicaSet" => via::<ReplicaSet>(object),
        "Job" => via::<Job>(object),
        "CronJob" => via::<CronJob>(object),
        _ => return None,
    })
}

/// Every path with a non-null scalar in `v` (objects and arrays are walked), for comparing round trips.
fn leaves(v: &Value, prefix: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| leaves(v, format!("{prefix}.{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| leaves(v, format!("{prefix}[{i}]"), out)),
        Value::Null => {}
        _ => out.push(prefix),
    }
}

#[test]
fn every_error_free_manifest_deserialises_through_k8s_openapi_without_losing_a_field() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in corpus_files("good")
        .into_iter()
        .chain(corpus_files("seeds"))
    {
        let text = std::fs::read_to_string(&file).expect("corpus file");
        if podlife::check(&text, &podlife::CheckOptions::default()).has_errors() {
            continue;
        }
        let documents = parse_documents(&text).expect("no syntax error in an error-free file");
        for node in documents.into_iter().flatten() {
            let json = serde_json::to_value(node.to_json()).expect("JSON");
            let objects: Vec<Value> = match json.get("kind").and_then(Value::as_str) {
                Some("List") => json["items"].as_array().cloned().unwrap_or_default(),
                _ => vec![json],
            };
            for object in objects {
                match round_trip(&object) {
                    None => {}
                    Some(Err(e)) => problems.push(format!("{}: {e}", file.display())),
                    Some(Ok(back)) => {
                        checked += 1;
                        let (mut before, mut after) = (Vec::new(), Vec::new());
                        leaves(&object, String::new(), &mut before);
                        leaves(&back, String::new(), &mut after);
                        let lost: Vec<&String> =
                            before.iter().filter(|p| !after.contains(p)).collect();
                        if !lost.is_empty() {
                            problems
                                .push(format!("{}: k8s-openapi dropped {lost:?}", file.display()));
                        }
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 25, "only {checked} workloads were checked");
}
