//! Outside services: a host a script waits for is there when the same file defines a `kind: Service` of
//! that name (on the Service's own ports), and not there otherwise until the learner says when it
//! appears (docs/annotations.md, "What podlife reads, what it assumes, how to say otherwise").

#[macro_use]
mod support;

use podlife::scenario::Scenario;
use podlife::{CheckOptions, Severity, SimulateOptions};
use support::*;

/// The docs' init-container pod, in our own words: two init containers look their Service up every 2 s.
const WAITS_FOR_TWO: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: waits-for-services
  ANNOTATIONS
spec:
  initContainers:
    - name: wait-front
      image: busybox:1.36
      command: ['sh', '-c', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done']
    - name: wait-store
      image: busybox:1.36
      command: ['sh', '-c', 'until nslookup mystore; do echo waiting for mystore; sleep 2; done']
  containers:
    - name: app
      image: busybox:1.36
      command: ['sh', '-c', 'echo up && sleep 3600']
"#;

fn service(name: &str, port: u16) -> String {
    format!(
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  ports:\n    - port: {port}\n"
    )
}

fn waits_for_two(annotations: &str) -> String {
    WAITS_FOR_TWO.replace("ANNOTATIONS", annotations)
}

#[test]
fn without_the_services_the_pod_stays_in_init_for_the_whole_run() {
    let trace = run(&waits_for_two(""));
    expect_eq!(trace, kubectl_statuses(&trace), vec!["Init:0/2"], "STATUS");
    expect!(
        trace,
        exits(&trace, "wait-front").is_empty(),
        "wait-front never ends"
    );
    let kinds: Vec<&str> = trace.containers[0]
        .assumptions
        .iter()
        .map(|a| a.assumption.kind())
        .collect();
    expect_eq!(trace, kinds, vec!["hostNotThere"], "the assumption");
}

#[test]
fn services_of_the_same_file_are_there_at_once() {
    let text = format!(
        "{}{}{}",
        waits_for_two(""),
        service("myservice", 80),
        service("mystore", 6379)
    );
    let trace = run(&text);
    expect_eq!(
        trace,
        exits(&trace, "wait-front").first().map(|e| e.1),
        Some(0),
        "wait-front finds myservice"
    );
    expect!(
        trace,
        started_at(&trace, "app").first().is_some_and(|t| *t < 10.0),
        "app starts after the pulls, not after a wait"
    );
    expect!(
        trace,
        trace.containers.iter().all(|c| c.assumptions.is_empty()),
        "nothing is assumed about a host the file defines"
    );
}

#[test]
fn a_host_the_learner_times_appears_then_and_the_script_sees_it_at_its_next_try() {
    let trace = run(&waits_for_two(
        "annotations:\n    podlife.dev/service.myservice: \"up-at=30s\"\n    podlife.dev/service.mystore: \"up-at=5s\"",
    ));
    let front_done = exits(&trace, "wait-front")[0].0;
    expect!(
        trace,
        (30.0..32.0).contains(&front_done),
        "wait-front ends at its first try from 30 s: {front_done}"
    );
    expect_eq!(
        trace,
        kubectl_status_at(&trace, front_done - 1.0),
        "Init:0/2",
        "before"
    );
    expect!(
        trace,
        exits(&trace, "wait-store")[0].0 > front_done,
        "wait-store runs after wait-front and finds mystore at once"
    );
}

#[test]
fn the_scenario_and_the_cli_say_when_a_host_appears_as_the_annotation_does() {
    let text = waits_for_two("");
    let trace = run_with(&text, "service=myservice@20s service=mystore@0s");
    let front_done = exits(&trace, "wait-front")[0].0;
    expect!(trace, (20.0..22.0).contains(&front_done), "{front_done}");
}

/// `nc -z db 5432` reaches the Service's ClusterIP: only the Service's own ports accept.
fn nc_db(service_port: u16) -> String {
    let pod = r#"
apiVersion: v1
kind: Pod
metadata:
  name: waits-for-db
spec:
  initContainers:
    - name: wait-db
      image: busybox:1.36
      command: ['sh', '-c', 'until nc -z db.default.svc.cluster.local 5432; do sleep 2; done']
  containers:
    - name: app
      image: busybox:1.36
      command: ['sh', '-c', 'sleep 3600']
"#;
    format!("{pod}{}", service("db", service_port))
}

#[test]
fn a_service_answers_only_on_its_own_ports() {
    let open = run(&nc_db(5432));
    expect_eq!(open, exits(&open, "wait-db").len(), 1, "port 5432 answers");
    let other = run(&nc_db(3306));
    expect!(
        other,
        exits(&other, "wait-db").is_empty(),
        "a Service on 3306 refuses 5432"
    );
    expect!(
        other,
        other.containers[0].assumptions.is_empty(),
        "a refused port is the cluster's answer, not an assumption"
    );
}

#[test]
fn the_api_server_is_always_there_and_public_names_are_taken_as_reachable() {
    let text = r#"
apiVersion: v1
kind: Pod
metadata:
  name: reaches-out
spec:
  initContainers:
    - name: api
      image: busybox:1.36
      command: ['sh', '-c', 'until nc -z kubernetes.default.svc 443; do sleep 2; done']
    - name: web
      image: busybox:1.36
      command: ['sh', '-c', 'until wget -q -O /dev/null http://example.com/; do sleep 2; done']
  containers:
    - name: app
      image: busybox:1.36
      command: ['sh', '-c', 'sleep 3600']
"#;
    let trace = run(text);
    expect_eq!(
        trace,
        exits(&trace, "api").len(),
        1,
        "the API server answers"
    );
    expect_eq!(trace, exits(&trace, "web").len(), 1, "egress is assumed");
    expect!(
        trace,
        trace.containers[0].assumptions.is_empty(),
        "kubernetes.default is known"
    );
    expect_eq!(
        trace,
        trace.containers[1]
            .assumptions
            .iter()
            .map(|a| a.assumption.kind())
            .collect::<Vec<_>>(),
        vec!["hostOnInternet"],
        "the public name is an assumption"
    );
}

#[test]
fn a_host_not_there_is_a_warning_on_the_command_naming_the_annotation() {
    let text = waits_for_two("");
    let options = SimulateOptions {
        check: CheckOptions::default(),
        scenario: Scenario::default(),
    };
    let (_, diagnostics) = podlife::simulate_manifest(&text, &options).expect("it simulates");
    let note = diagnostics
        .iter()
        .find(|d| d.message.contains("\"myservice\""))
        .expect("a note about myservice");
    assert_eq!(note.severity, Severity::Warning);
    assert_eq!(note.path, "spec.initContainers[0].command");
    let line = text.lines().nth(note.span.start.line as usize - 1).unwrap();
    assert!(line.contains("nslookup myservice"), "{line}");
    assert!(note
        .hint
        .as_deref()
        .unwrap()
        .contains("podlife.dev/service.myservice"));
}

#[test]
fn the_hosts_to_time_are_those_not_there_or_timed_each_once() {
    let text = format!(
        "{}{}",
        waits_for_two("annotations:\n    podlife.dev/service.mystore: \"up-at=5s\""),
        service("unused", 80)
    );
    let trace = run(&text);
    let hosts = podlife::behaviour::assumptions::hosts_to_time(&trace);
    let listed: Vec<(&str, Option<f64>)> = hosts
        .iter()
        .map(|h| (h.host.as_str(), h.appears_at.map(|t| t.0 as f64 / 1000.0)))
        .collect();
    assert_eq!(listed, vec![("myservice", None), ("mystore", Some(5.0))]);
    assert_eq!(hosts[0].annotation, "podlife.dev/service.myservice");
}
