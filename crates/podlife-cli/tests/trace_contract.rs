//! The `--format json` contract (`podlife.trace/v1`, docs/trace-format.md): every trace the CLI prints
//! for the manifest corpus validates against docs/trace.schema.json (JSON Schema draft 2020-12), the
//! schema rejects renamed and retyped fields, and the document and the schema list the same event
//! types, extra fields and interval states, so neither can drift from the other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schema() -> Value {
    let path = repo_root().join("docs/trace.schema.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn doc() -> String {
    let path = repo_root().join("docs/trace-format.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema())
        .unwrap_or_else(|e| panic!("docs/trace.schema.json does not compile: {e}"))
}

/// Every validation error of `instance`, one per line, with where it is.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .collect()
}

// ---------------------------------------------------------------- running the CLI

/// One manifest of the corpus and the options its header asks for.
struct Case {
    path: PathBuf,
    k8s: Option<String>,
    pick: Option<String>,
}

impl Case {
    fn label(&self) -> String {
        let dir = self
            .path
            .parent()
            .and_then(Path::file_name)
            .unwrap_or_default();
        let file = self.path.file_name().unwrap_or_default();
        format!("{}/{}", dir.to_string_lossy(), file.to_string_lossy())
    }
}

/// `tests/corpus/good/*` and the `tests/corpus/seeds/*` that expect no error, with their `# k8s:` and
/// `# pick:` headers (tests/corpus/README.md).
fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    for dir in ["tests/corpus/good", "tests/corpus/seeds"] {
        let dir = repo_root().join(dir);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("a readable manifest");
            let header = |key: &str| {
                text.lines()
                    .take_while(|l| l.starts_with('#'))
                    .find_map(|l| l.strip_prefix(&format!("# {key}:")))
                    .map(|v| v.trim().to_string())
            };
            let expects_error = text
                .lines()
                .take_while(|l| l.starts_with('#'))
                .any(|l| l.starts_with("# expect: error"));
            if expects_error {
                continue;
            }
            cases.push(Case {
                k8s: header("k8s"),
                pick: header("pick"),
                path,
            });
        }
    }
    assert!(
        cases.len() >= 20,
        "the corpus looks empty: only {} files",
        cases.len()
    );
    cases
}

/// `podlife simulate FILE --format json` with the case's header options and `extra`; the parsed trace.
fn simulate(case: &Case, extra: &[String]) -> Result<Value, String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_podlife"));
    cmd.arg("simulate")
        .arg(&case.path)
        .args(["--format", "json"]);
    if let Some(k8s) = &case.k8s {
        cmd.args(["--k8s", k8s]);
    }
    if let Some(pick) = &case.pick {
        cmd.args(["--pick", pick]);
    }
    cmd.args(extra);
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run podlife: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "podlife simulate {extra:?} exited {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_str(&stdout).map_err(|e| format!("stdout is not one JSON document: {e}"))
}

/// The scenarios each manifest is simulated under: as it is, deleted, and with every scenario action
/// (image update, node reboot, kubelet restart, deletion), so that termination and scenario events
/// are covered too.
fn scenarios(plain: &Value) -> Vec<Vec<String>> {
    let args = |s: &[&str]| s.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let mut out = vec![
        args(&["--delete-at", "20"]),
        args(&["--delete-at", "8", "--grace", "0"]),
    ];
    if let Some(last) = plain["containers"]
        .as_array()
        .and_then(|c| c.last())
        .and_then(|c| c["name"].as_str())
    {
        out.push(args(&[
            "--set-image",
            &format!("{last}=registry.example/new:2@5"),
            "--reboot-at",
            "15",
            "--kubelet-restart-at",
            "40",
            "--delete-at",
            "70",
            "--until",
            "300",
        ]));
    }
    out
}

/// Every trace of the corpus under every scenario, labelled.
fn all_traces() -> Vec<(String, Result<Value, String>)> {
    let mut traces = Vec::new();
    for case in corpus() {
        let plain = simulate(&case, &[]);
        let more = plain.as_ref().map(scenarios).unwrap_or_default();
        traces.push((case.label(), plain));
        for extra in more {
            let label = format!("{} {}", case.label(), extra.join(" "));
            traces.push((label, simulate(&case, &extra)));
        }
    }
    traces
}

// ---------------------------------------------------------------- the schema itself

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "docs/trace.schema.json must declare draft 2020-12"
    );
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("docs/trace.schema.json is not a valid draft 2020-12 schema: {e}");
    }
    let _ = validator();
}

// ---------------------------------------------------------------- every trace validates

#[test]
fn every_corpus_trace_validates_against_the_schema() {
    let validator = validator();
    let mut failures = Vec::new();
    let mut seen_types = BTreeSet::new();
    let traces = all_traces();
    for (label, trace) in &traces {
        match trace {
            Err(e) => failures.push(format!("{label}: {e}")),
            Ok(trace) => {
                for e in errors(&validator, trace) {
                    failures.push(format!("{label}: {e}"));
                }
                for event in trace["events"].as_array().into_iter().flatten() {
                    if let Some(t) = event["type"].as_str() {
                        seen_types.insert(t.to_string());
                    }
                }
            }
        }
    }
    let unseen: Vec<String> = schema_event_types()
        .into_iter()
        .filter(|t| !seen_types.contains(t))
        .collect();
    eprintln!(
        "{} traces validated; event types the corpus never produced: {unseen:?}",
        traces.len()
    );
    assert!(
        failures.is_empty(),
        "{} schema violation(s) in {} traces:\n{}",
        failures.len(),
        traces.len(),
        failures.join("\n")
    );
}

/// What the schema cannot say: times ordered and within the run, containers that exist, intervals
/// that tile [0, end] for every container.
#[test]
fn every_corpus_trace_is_consistent() {
    let mut failures = Vec::new();
    for (label, trace) in all_traces() {
        let Ok(trace) = trace else { continue };
        let mut fail = |m: String| failures.push(format!("{label}: {m}"));
        let secs = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        let end = secs(&trace["end"]);
        let names: Vec<&str> = trace["containers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["name"].as_str())
            .collect();
        let mut last = 0.0;
        for (i, e) in trace["events"].as_array().into_iter().flatten().enumerate() {
            let t = secs(&e["t"]);
            if !(t >= last && t <= end) {
                fail(format!(
                    "events[{i}].t = {t}: not in order or past end {end}"
                ));
            }
            last = t;
            if let Some(c) = e["container"].as_str() {
                if !names.contains(&c) {
                    fail(format!("events[{i}] names an unknown container {c:?}"));
                }
            }
        }
        let status = trace["status"].as_array().cloned().unwrap_or_default();
        if status.first().map(|s| secs(&s["t"])) != Some(0.0) {
            fail("status[0] is not at t = 0".into());
        }
        let mut last = 0.0;
        for (i, s) in status.iter().enumerate() {
            let t = secs(&s["t"]);
            if !(t >= last && t <= end) {
                fail(format!(
                    "status[{i}].t = {t}: not in order or past end {end}"
                ));
            }
            last = t;
        }
        for key in ["at", "removedAt"] {
            let v = &trace["outcome"][key];
            if !v.is_null() && secs(v) > end {
                fail(format!("outcome.{key} = {v} is past end {end}"));
            }
        }
        let mut by_container: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
        for iv in trace["intervals"].as_array().into_iter().flatten() {
            let c = iv["container"].as_str().unwrap_or_default();
            if !names.contains(&c) {
                fail(format!("an interval names an unknown container {c:?}"));
            }
            by_container
                .entry(c)
                .or_default()
                .push((secs(&iv["from"]), secs(&iv["to"])));
        }
        for name in &names {
            let spans = by_container.get(name).cloned().unwrap_or_default();
            let mut at = 0.0;
            for (from, to) in &spans {
                if *from != at || to <= from {
                    fail(format!(
                        "intervals of {name:?} do not tile [0, {end}]: {spans:?}"
                    ));
                    break;
                }
                at = *to;
            }
            if at != end && end > 0.0 {
                fail(format!(
                    "intervals of {name:?} end at {at}, the run at {end}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} inconsistency(ies):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------- the schema can fail

/// A real trace with every kind of event field the contract names.
fn sample_trace() -> Value {
    let case = corpus()
        .into_iter()
        .find(|c| c.path.ends_with("002-seed001-job-fixed.yaml"))
        .expect("tests/corpus/good/002-seed001-job-fixed.yaml");
    simulate(&case, &["--delete-at".into(), "20".into()]).expect("a trace")
}

fn first_event<'a>(trace: &'a mut Value, ty: &str) -> &'a mut Value {
    trace["events"]
        .as_array_mut()
        .and_then(|events| events.iter_mut().find(|e| e["type"] == ty))
        .unwrap_or_else(|| panic!("the sample trace has no {ty} event"))
}

fn rename(obj: &mut Value, from: &str, to: &str) {
    let map = obj.as_object_mut().expect("an object");
    let v = map
        .remove(from)
        .unwrap_or_else(|| panic!("no field {from}"));
    map.insert(to.to_string(), v);
}

#[test]
fn renamed_retyped_or_missing_fields_are_rejected() {
    let validator = validator();
    let base = sample_trace();
    assert_eq!(errors(&validator, &base), Vec::<String>::new());

    type Mutation = (&'static str, fn(&mut Value));
    let mutations: Vec<Mutation> = vec![
        ("format v2", |t| t["format"] = json!("podlife.trace/v2")),
        ("kubernetesVersion renamed", |t| {
            rename(t, "kubernetesVersion", "kubernetes_version")
        }),
        ("pod.restartPolicy renamed", |t| {
            rename(&mut t["pod"], "restartPolicy", "restart_policy")
        }),
        ("containers[].kind unknown", |t| {
            t["containers"][0]["kind"] = json!("initContainer")
        }),
        ("events[].t as a string", |t| {
            t["events"][0]["t"] = json!("0s")
        }),
        ("events[].t renamed", |t| {
            rename(&mut t["events"][0], "t", "time")
        }),
        ("events[].container missing", |t| {
            t["events"][0].as_object_mut().unwrap().remove("container");
        }),
        ("pod event with a container", |t| {
            first_event(t, "Scheduled")["container"] = json!("app")
        }),
        ("container event without one", |t| {
            first_event(t, "Created")["container"] = Value::Null
        }),
        ("event type unknown", |t| {
            t["events"][0]["type"] = json!("Crashed")
        }),
        ("rule not an id", |t| {
            t["events"][0]["rule"] = json!("rule 23")
        }),
        ("Started.restartCount renamed", |t| {
            rename(first_event(t, "Started"), "restartCount", "restart_count")
        }),
        ("Exited.exitCode as a string", |t| {
            first_event(t, "Exited")["exitCode"] = json!("143")
        }),
        ("Killing.signal unknown", |t| {
            first_event(t, "Killing")["signal"] = json!("TERM")
        }),
        ("ConditionChanged nested", |t| {
            let e = first_event(t, "ConditionChanged");
            let (c, v) = (e["condition"].take(), e["value"].take());
            let map = e.as_object_mut().unwrap();
            map.remove("condition");
            map.remove("value");
            map.insert("data".into(), json!({ "condition": c, "value": v }));
        }),
        ("PhaseChanged.phase lower-case", |t| {
            first_event(t, "PhaseChanged")["phase"] = json!("running")
        }),
        ("DeletionRequested.gracePeriod as seconds text", |t| {
            first_event(t, "DeletionRequested")["gracePeriod"] = json!("30s")
        }),
        ("conditions as a list", |t| {
            t["status"][0]["conditions"] = json!([{ "type": "Ready", "status": "False" }])
        }),
        ("conditions as strings", |t| {
            t["status"][0]["conditions"]["Ready"] = json!("False")
        }),
        ("status[].ready not n/m", |t| {
            t["status"][0]["ready"] = json!(0)
        }),
        ("intervals[].state unknown", |t| {
            t["intervals"][0]["state"] = json!("crashed")
        }),
        ("outcome.removedAt renamed", |t| {
            rename(&mut t["outcome"], "removedAt", "removed_at")
        }),
        ("outcome.at as text", |t| t["outcome"]["at"] = json!("20s")),
        ("end missing", |t| {
            t.as_object_mut().unwrap().remove("end");
        }),
    ];
    let mut accepted = Vec::new();
    for (name, mutate) in &mutations {
        let mut trace = base.clone();
        mutate(&mut trace);
        if validator.is_valid(&trace) {
            accepted.push(*name);
        }
    }
    assert!(
        accepted.is_empty(),
        "the schema accepts traces that break the contract: {accepted:?}"
    );

    // Adding is allowed everywhere.
    let mut added = base.clone();
    added["newTopLevel"] = json!({ "x": 1 });
    added["pod"]["uid"] = json!("1234");
    added["containers"][0]["ports"] = json!([8080]);
    first_event(&mut added, "Started")["containerId"] = json!("abc");
    added["status"][0]["conditions"]["DisruptionTarget"] = json!(false);
    added["intervals"][0]["note"] = json!("extra");
    added["outcome"]["reason"] = json!("Completed");
    assert_eq!(
        errors(&validator, &added),
        Vec::<String>::new(),
        "added fields must stay valid"
    );
}

// ---------------------------------------------------------------- the document and the schema agree

fn schema_event_types() -> Vec<String> {
    schema()["$defs"]["event"]["properties"]["type"]["enum"]
        .as_array()
        .expect("$defs.event.properties.type.enum")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

/// The rows `| `Name` | ... |` of the table under the `## {heading}` heading of the document.
fn doc_table(heading: &str) -> Vec<Vec<String>> {
    let doc = doc();
    let start = format!("## {heading}");
    let mut in_section = false;
    let mut rows = Vec::new();
    for line in doc.lines() {
        if line.starts_with("## ") {
            in_section = line.trim() == start;
            continue;
        }
        if in_section && line.starts_with("| `") {
            let cells: Vec<String> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            rows.push(cells);
        }
    }
    assert!(
        !rows.is_empty(),
        "docs/trace-format.md has no table under `{start}`"
    );
    rows
}

/// The `code` spans of a table cell: "`image` (string)" gives ["image"].
fn code_spans(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_documented_event_types_are_the_schema_enum() {
    let rows = doc_table("Event types");
    let documented: Vec<String> = rows.iter().map(|r| code_spans(&r[0])[0].clone()).collect();
    assert_eq!(
        documented,
        schema_event_types(),
        "docs/trace-format.md (## Event types) and docs/trace.schema.json list different event types"
    );
}

#[test]
fn the_documented_extra_fields_and_subjects_are_the_schema_s() {
    let schema = schema();
    let mut in_schema: BTreeMap<String, (BTreeSet<String>, String)> = BTreeMap::new();
    for rule in schema["$defs"]["event"]["allOf"]
        .as_array()
        .expect("$defs.event.allOf")
    {
        let ty = rule["if"]["properties"]["type"]["const"]
            .as_str()
            .expect("an if on the event type")
            .to_string();
        let required: BTreeSet<String> = rule["then"]["required"]
            .as_array()
            .expect("then.required")
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let subject = match &rule["then"]["properties"]["container"]["type"] {
            Value::String(s) if s == "string" => "container",
            Value::String(s) if s == "null" => "pod",
            _ => "either",
        };
        assert!(
            in_schema
                .insert(ty.clone(), (required, subject.to_string()))
                .is_none(),
            "the schema constrains {ty} twice"
        );
    }
    let types: BTreeSet<String> = schema_event_types().into_iter().collect();
    let constrained: BTreeSet<String> = in_schema.keys().cloned().collect();
    assert_eq!(
        constrained, types,
        "every event type needs exactly one if/then in $defs.event.allOf"
    );

    let mut mismatches = Vec::new();
    for row in doc_table("Event types") {
        let ty = code_spans(&row[0])[0].clone();
        let subject = row[1].as_str();
        let fields: BTreeSet<String> = code_spans(&row[2]).into_iter().collect();
        match in_schema.get(&ty) {
            None => mismatches.push(format!("{ty}: documented, not in the schema")),
            Some((required, schema_subject)) => {
                if &fields != required {
                    mismatches.push(format!(
                        "{ty}: the document lists fields {fields:?}, the schema requires {required:?}"
                    ));
                }
                if subject != schema_subject {
                    mismatches.push(format!(
                        "{ty}: the document says it is for `{subject}`, the schema says `{schema_subject}`"
                    ));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn the_documented_interval_states_are_the_schema_enum() {
    let schema = schema();
    let in_schema: Vec<String> = schema["$defs"]["interval"]["properties"]["state"]["enum"]
        .as_array()
        .expect("$defs.interval.properties.state.enum")
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let documented: Vec<String> = doc_table("Intervals")
        .iter()
        .map(|r| code_spans(&r[0])[0].clone())
        .collect();
    assert_eq!(
        documented, in_schema,
        "docs/trace-format.md (## Intervals) and docs/trace.schema.json list different states"
    );
}

/// The document's examples are real traces, trimmed: each ```json block is a valid trace.
#[test]
fn the_documented_examples_validate() {
    let validator = validator();
    let doc = doc();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```json") => current = Some(String::new()),
            (Some(_), l) if l.starts_with("```") => blocks.push(current.take().unwrap()),
            (Some(text), _) => {
                text.push_str(line);
                text.push('\n');
            }
            _ => {}
        }
    }
    assert!(
        blocks.len() >= 2,
        "docs/trace-format.md should show two examples"
    );
    for (i, block) in blocks.iter().enumerate() {
        let value: Value = serde_json::from_str(block)
            .unwrap_or_else(|e| panic!("example {} is not JSON: {e}", i + 1));
        let errs = errors(&validator, &value);
        assert!(
            errs.is_empty(),
            "example {} does not validate:\n{}",
            i + 1,
            errs.join("\n")
        );
    }
}
