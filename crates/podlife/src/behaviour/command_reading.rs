//! Reading a container's command for the evidence that it never exits on its own (`tail -f`, `sleep
//! infinity`, an endless loop, a known server), for the ports it is only assumed to serve, and how long
//! an exec hook runs: all by running the command through the interpreter on a scratch clock, so the
//! lifecycle warnings and the simulation read commands the same way.

use super::{run_exec, Behaviour, BehaviourInput, DryRuns};
use crate::model::Container;
use crate::pod_status::ContainerKind;
use crate::time::{Millis, SimTime};

/// Why this container would run until it is stopped, if its command or image says so. An unknown
/// program is not evidence: it is only assumed to run until stopped.
pub fn runs_forever(container: &Container) -> Option<String> {
    let behaviour = Behaviour::infer(&BehaviourInput {
        container,
        kind: ContainerKind::Regular,
        pod_restart_policy: "Always",
        annotation: None,
        job_completion_index: None,
        hostname: None,
    });
    behaviour.forever
}

/// The ports this container's program is only assumed to serve: an unknown program, run until stopped
/// (a sidecar, or a regular container of a pod that restarts Always), is taken to listen on its declared
/// containerPorts and the ports its probes use (R104). Empty when podlife knows where it listens, or
/// when the annotation's `listens` says so.
pub fn assumed_listening(
    container: &Container,
    kind: ContainerKind,
    pod_restart_policy: &str,
    annotation: Option<&str>,
) -> Vec<u16> {
    Behaviour::infer(&BehaviourInput {
        container,
        kind,
        pod_restart_policy,
        annotation,
        job_completion_index: None,
        hostname: None,
    })
    .assumed_ports
}

/// How long an exec hook's command runs, when it takes time by itself: `["sleep", "40"]`,
/// `["/bin/sh", "-c", "sleep 5 && nginx -s quit"]`. `None` when it returns at once or never.
pub fn exec_duration_seconds(command: &[String]) -> Option<f64> {
    exec_duration(command).map(Millis::as_secs)
}

/// [`exec_duration_seconds`] in milliseconds.
pub fn exec_duration(command: &[String]) -> Option<Millis> {
    exec_duration_within(command, &mut DryRuns::new())
}

/// [`exec_duration`] as a dry run of a call of the core, on the call's budget: a hook that spends it
/// computes until stopped, so it never returns.
pub(crate) fn exec_duration_within(command: &[String], dry_runs: &mut DryRuns) -> Option<Millis> {
    let mut world = dry_runs.world();
    let result = run_exec(command, "hook", SimTime(0), &mut world, None);
    dry_runs.spend(&world);
    if result.never_returned() || result.duration.0 == 0 {
        return None;
    }
    Some(result.duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(command: &[&str], image: &str) -> Container {
        Container {
            name: "c".into(),
            image: Some(image.into()),
            command: command.iter().map(|s| s.to_string()).collect(),
            ..Container::default()
        }
    }

    #[test]
    fn tail_follow_runs_forever() {
        let c = container(&["sh", "-c", "tail -F /opt/logs.txt"], "alpine");
        assert!(runs_forever(&c).unwrap().contains("tail -F /opt/logs.txt"));
    }

    #[test]
    fn endless_loop_without_exit_runs_forever() {
        let c = container(
            &["sh", "-c", "while true; do echo hi >> /x; sleep 1; done"],
            "alpine",
        );
        assert!(runs_forever(&c).is_some());
        let c = container(
            &[
                "sh",
                "-c",
                "while true; do test -f /done && exit 0; sleep 1; done",
            ],
            "alpine",
        );
        assert_eq!(runs_forever(&c), None);
    }

    #[test]
    fn a_job_step_ends() {
        let c = container(&["sh", "-c", "echo logging > /opt/logs.txt"], "alpine");
        assert!(runs_forever(&c).is_none());
        assert!(runs_forever(&container(&["python", "migrate.py"], "python:3.12")).is_none());
    }

    #[test]
    fn server_images_without_command_run_forever() {
        assert!(runs_forever(&container(&[], "nginx:1.27")).is_some());
        assert!(runs_forever(&container(&[], "docker.io/envoyproxy/envoy:v1.30.1")).is_some());
        assert!(runs_forever(&container(&[], "busybox")).is_none());
    }

    #[test]
    fn sleep_hooks_have_a_duration() {
        let cmd = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(exec_duration_seconds(&cmd(&["sleep", "40"])), Some(40.0));
        assert_eq!(
            exec_duration_seconds(&cmd(&["/bin/sh", "-c", "sleep 5 && nginx -s quit"])),
            Some(5.0)
        );
        assert_eq!(exec_duration_seconds(&cmd(&["nginx", "-s", "quit"])), None);
    }
}
