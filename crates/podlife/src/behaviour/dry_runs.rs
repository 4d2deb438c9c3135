//! The dry runs of one call of the core (a check, a simulate, a compare): besides the simulation, the
//! page reads each container's program on a scratch clock (its summary, what SIGTERM does, does it run
//! forever) and runs its exec hooks once to time them. Those runs share one compute budget, as the
//! pod's processes share `STEPS_PER_POD_RUN`: forty-five hooks that each count to a million cannot
//! multiply a process's budget by their number. Once it is spent, a dry run's next step is answered
//! as a process's own budget answers it: the program computes until stopped. Steps are counted, never
//! time, so the answer is the same on every machine. And each container is inferred once per call:
//! the lifecycle warnings, the assumption notes and the kubelet ask the same [`DryRuns`] and get the
//! same [`Behaviour`].

use super::behaviour_annotation;
use super::busy_loop::STEPS_PER_RUN;
use super::exec_programs::ExecPrograms;
use super::{Behaviour, BehaviourInput, World};
use crate::model::{Container, Workload};
use crate::pod_status::ContainerKind;
use crate::sorted_map::SortedMap;

/// Steps every dry run of one call takes together, a quarter of one process's run: the largest need
/// of the corpus, the gallery and the Kubernetes docs is ≈ 430
/// (`pods/inject/dependent-envars.yaml` of the docs' examples), and copies of one container that
/// differ only by name are dry-run once (`tests/stress/tick-loop-200-containers.yaml` needed
/// ≈ 10 600 when each of its 200 was read on its own).
pub(crate) const DRY_RUN_STEPS_PER_CALL: u64 = STEPS_PER_RUN / 4;

/// What a call of the core has dry-run so far: the steps taken, the behaviours inferred, and the exec
/// commands read (for the pod's world as well as the dry runs: `exec_programs`).
#[derive(Debug, Default)]
pub struct DryRuns {
    taken: u64,
    inferred: Vec<(Asked, Behaviour)>,
    /// Where in `inferred` each container name's answers are: a pod of hundreds of containers asked
    /// about each of them compared every whole container asked before.
    by_name: SortedMap<String, Vec<usize>>,
    /// Where the answers for each image and argv are ([`shape_key`]), to answer a container that
    /// differs from one asked before only by its name.
    by_shape: SortedMap<String, Vec<usize>>,
    exec_programs: ExecPrograms,
}

/// One question to `Behaviour::infer`, owned, to find it again.
#[derive(Debug, PartialEq)]
struct Asked {
    container: Container,
    kind: ContainerKind,
    pod_restart_policy: String,
    annotation: Option<String>,
    job_completion_index: Option<u32>,
    hostname: Option<String>,
}

impl Asked {
    fn of(input: &BehaviourInput<'_>) -> Asked {
        Asked {
            container: input.container.clone(),
            kind: input.kind,
            pod_restart_policy: input.pod_restart_policy.to_string(),
            annotation: input.annotation.map(str::to_string),
            job_completion_index: input.job_completion_index,
            hostname: input.hostname.map(str::to_string),
        }
    }

    fn is(&self, input: &BehaviourInput<'_>) -> bool {
        self.is_but_for_name(input) && self.container.name == input.container.name
    }

    /// Is this the same question but for the container's name? A dry run runs the container alone,
    /// in a scratch world where its name is only a key, so the answer is the same: two hundred
    /// copies of one container are read once.
    fn is_but_for_name(&self, input: &BehaviourInput<'_>) -> bool {
        self.kind == input.kind
            && self.pod_restart_policy == input.pod_restart_policy
            && self.annotation.as_deref() == input.annotation
            && self.job_completion_index == input.job_completion_index
            && self.hostname.as_deref() == input.hostname
            && same_but_for_name(&self.container, input.container)
    }
}

/// Are `a` and `b` the same container but for their names? Every field is named, so that one added to
/// `Container` must be placed here before this compiles.
fn same_but_for_name(a: &Container, b: &Container) -> bool {
    let Container {
        name: _,
        image,
        command,
        args,
        restart_policy,
        restart_policy_rules,
        liveness_probe,
        readiness_probe,
        startup_probe,
        lifecycle,
        ports,
        volume_mounts,
        image_pull_policy,
        resources,
    } = a;
    *image == b.image
        && *command == b.command
        && *args == b.args
        && *restart_policy == b.restart_policy
        && *restart_policy_rules == b.restart_policy_rules
        && *liveness_probe == b.liveness_probe
        && *readiness_probe == b.readiness_probe
        && *startup_probe == b.startup_probe
        && *lifecycle == b.lifecycle
        && *ports == b.ports
        && *volume_mounts == b.volume_mounts
        && *image_pull_policy == b.image_pull_policy
        && *resources == b.resources
}

/// The key under which a container's questions are found whatever its name: its image and argv.
fn shape_key(container: &Container) -> String {
    let mut key = container.image.clone().unwrap_or_default();
    for word in container.command.iter().chain(&container.args) {
        key.push('\0');
        key.push_str(word);
    }
    key
}

impl DryRuns {
    pub fn new() -> DryRuns {
        DryRuns::default()
    }

    /// Steps the call's dry runs have taken (tests bound it).
    pub fn taken(&self) -> u64 {
        self.taken
    }

    /// How many behaviours the call has inferred (tests count them).
    #[cfg(test)]
    pub(crate) fn inferred(&self) -> usize {
        self.inferred.len()
    }

    /// A scratch world for one dry run, which may take what is left of the call's budget.
    pub(crate) fn world(&self) -> World {
        World {
            dry_run_allowance: Some(DRY_RUN_STEPS_PER_CALL.saturating_sub(self.taken)),
            exec_programs: self.exec_programs(),
            ..World::default()
        }
    }

    /// The exec commands this call has read, for a world to share (the kubelet's `PodWorker::new`).
    pub(crate) fn exec_programs(&self) -> ExecPrograms {
        self.exec_programs.clone()
    }

    /// Counts the steps a dry run took in `world` (made by [`DryRuns::world`]).
    pub(crate) fn spend(&mut self, world: &World) {
        self.taken = self.taken.saturating_add(world.pod_steps.taken());
    }

    /// The behaviour of a container of `workload` as the kubelet reads it (`PodWorker::new`): its kind,
    /// the pod's restartPolicy, its annotation, an Indexed Job's index 0 and the pod's hostname; so a
    /// check and the simulation after it infer it once.
    pub(crate) fn of_container(
        &mut self,
        workload: &Workload,
        container: &Container,
        kind: ContainerKind,
    ) -> Behaviour {
        let hostname = crate::kubelet::pod_hostname(workload);
        let indexed = workload
            .job
            .as_ref()
            .is_some_and(|j| j.completion_mode.as_deref() == Some("Indexed"));
        self.behaviour(&BehaviourInput {
            container,
            kind,
            pod_restart_policy: workload.pod.restart_policy.as_deref().unwrap_or("Always"),
            annotation: behaviour_annotation(&workload.annotations, &container.name),
            job_completion_index: indexed.then_some(0),
            hostname: hostname.as_deref(),
        })
    }

    /// The container's behaviour for this input: inferred the first time it is asked, the same one
    /// after.
    pub fn behaviour(&mut self, input: &BehaviourInput<'_>) -> Behaviour {
        let known = self.by_name.get(&input.container.name).and_then(|at| {
            at.iter()
                .map(|&i| &self.inferred[i])
                .find(|(asked, _)| asked.is(input))
        });
        if let Some((_, known)) = known {
            return known.clone();
        }
        let shape = shape_key(input.container);
        let renamed = self.by_shape.get(&shape).and_then(|at| {
            at.iter()
                .map(|&i| &self.inferred[i])
                .find(|(asked, _)| asked.is_but_for_name(input))
        });
        let behaviour = match renamed {
            Some((_, known)) => known.clone(),
            None => Behaviour::infer_within(input, self),
        };
        let at = self.inferred.len();
        self.by_name
            .entry(input.container.name.clone())
            .or_default()
            .push(at);
        self.by_shape.entry(shape).or_default().push(at);
        self.inferred.push((Asked::of(input), behaviour.clone()));
        behaviour
    }
}
