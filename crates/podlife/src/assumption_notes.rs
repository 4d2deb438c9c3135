//! What podlife assumed, said where the learner looks: each assumption of `behaviour::assumptions` as a
//! diagnostic on the container's command (or image), naming the annotation or scenario setting that
//! decides it. The program's assumptions are known from the manifest alone (`podlife check` says them);
//! the outside hosts' need the file's Services and the scenario, so the simulation says them.

use crate::behaviour::{Assumption, ContainerAssumption, DryRuns, BEHAVIOUR_ANNOTATION_PREFIX};
use crate::field_path::{FieldPath, Target};
use crate::lifecycle_warnings::containers_with_paths;
use crate::model::{Container, Workload};
use crate::pod_status::ContainerKind;
use crate::trace::Trace;
use crate::validation::Findings;

/// The field a note about the container's program sits on: its command, else its args, else its image.
fn program_field(path: FieldPath, c: &Container) -> FieldPath {
    if !c.command.is_empty() {
        path.child("command")
    } else if !c.args.is_empty() {
        path.child("args")
    } else if c.image.is_some() {
        path.child("image")
    } else {
        path
    }
}

/// Notes for what podlife assumes about each container's program (R104 among them).
pub(crate) fn program_assumptions(
    workload: &Workload,
    spec_path: &FieldPath,
    dry_runs: &mut DryRuns,
    out: &mut Findings,
) {
    let n_init = workload.pod.init_containers.len();
    for (i, (path, c)) in containers_with_paths(workload, spec_path)
        .into_iter()
        .enumerate()
    {
        let kind = match (i < n_init, c.is_restartable()) {
            (true, true) => ContainerKind::Sidecar,
            (true, false) => ContainerKind::Init,
            (false, _) => ContainerKind::Regular,
        };
        // A container whose image no node can get never runs: nothing about its program matters.
        if crate::image_reference::why_it_never_runs(c.image.as_deref().unwrap_or_default())
            .is_some()
        {
            continue;
        }
        let behaviour = dry_runs.of_container(workload, c, kind);
        for assumption in &behaviour.assumptions {
            match assumption {
                Assumption::ListensOn { ports } if probes_or_hooks_over_the_network(c) => {
                    probes_rely_on_assumed_ports(&path, c, ports, out)
                }
                _ => note(&program_field(path.clone(), c), &c.name, assumption, out),
            }
        }
    }
}

/// An assumption as an info diagnostic: what podlife took to be so, and the setting that decides it.
fn note(field: &FieldPath, container: &str, assumption: &Assumption, out: &mut Findings) {
    out.info(field, Target::Value, assumption.message(container))
        .hint(format!(
            "Say otherwise with {} (docs/annotations.md).",
            assumption.decided_by(container)
        ));
}

/// R104: a probe or hook reaches only what listens. Where podlife does not know the program, it takes it
/// to listen on its declared containerPorts and probed ports; when the container's own network probes or
/// hooks depend on that, it is a warning at the image, with the annotation that replaces the assumption.
fn probes_rely_on_assumed_ports(
    path: &FieldPath,
    c: &Container,
    ports: &[u16],
    out: &mut Findings,
) {
    let listed: Vec<String> = ports.iter().map(u16::to_string).collect();
    let field = match c.image {
        Some(_) => path.child("image"),
        None => path.clone(),
    };
    out.warning(
        &field,
        Target::Value,
        format!(
            "podlife does not know what \"{}\" runs, so it assumes the program listens on {} (its \
             declared containerPorts and the ports its probes use), so its probes and hooks there \
             succeed",
            c.image.as_deref().unwrap_or(&c.name),
            listed.iter().map(|p| format!(":{p}")).collect::<Vec<_>>().join(", ")
        ),
    )
    .hint(format!(
        "On a real cluster a probe on a port the program does not listen on is refused (R104). Say where it \
         listens with the annotation {BEHAVIOUR_ANNOTATION_PREFIX}{}: \"listens={}\" (docs/annotations.md).",
        c.name,
        listed.join(",")
    ));
}

/// Has the container an httpGet, tcpSocket or gRPC probe, or an httpGet hook?
fn probes_or_hooks_over_the_network(c: &Container) -> bool {
    let probes = [&c.startup_probe, &c.readiness_probe, &c.liveness_probe];
    let probe = probes
        .into_iter()
        .flatten()
        .any(|p| p.http_get.is_some() || p.tcp_socket.is_some() || p.grpc.is_some());
    let hook = c.lifecycle.as_ref().is_some_and(|l| {
        [&l.post_start, &l.pre_stop]
            .into_iter()
            .flatten()
            .any(|h| h.http_get.is_some())
    });
    probe || hook
}

/// Notes for the outside hosts of the trace's containers: a host that is not there is a warning (the
/// container waits for it for ever), one the learner timed or a public name an info.
pub(crate) fn host_assumptions(workload: &Workload, trace: &Trace, out: &mut Findings) {
    let spec_path = FieldPath::parse(workload.kind.pod_spec_path());
    let paths = containers_with_paths(workload, &spec_path);
    for info in &trace.containers {
        let Some((path, c)) = paths.iter().find(|(_, c)| c.name == info.name) else {
            continue;
        };
        let field = program_field(path.clone(), c);
        for ContainerAssumption {
            container,
            assumption,
        } in &info.assumptions
        {
            if assumption.host().is_none() {
                continue;
            }
            if matches!(assumption, Assumption::HostNotThere { .. }) {
                out.warning(&field, Target::Value, assumption.message(container))
                    .hint(format!(
                        "Make it appear with {} (docs/annotations.md).",
                        assumption.decided_by(container)
                    ));
            } else {
                note(&field, container, assumption, out);
            }
        }
    }
}
