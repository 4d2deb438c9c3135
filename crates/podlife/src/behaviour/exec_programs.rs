//! The scripts of exec probes and hooks, read once per call of the core. The kubelet hands the runtime
//! the same `command` at every run of an exec probe (pkg/kubelet/prober/prober.go `runProbe`:
//! `pb.exec.Probe(pb.newExecInContainer(ctx, container, containerID, command, timeout))`, the spec's
//! command with only the container's static env substituted), so a probe every second for an hour
//! runs the same argv 3 600 times: its `sh -c` script is parsed and compiled the first time and
//! shared after. The compiled steps hold the script's words as written; parameters, `$(…)` and the
//! files a run reads are expanded as each run takes its steps, so a shared script runs as a freshly
//! read one would.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::shell_steps::Script;
use super::{program_of_argv, shell_script, summary};
use crate::sorted_map::SortedMap;

/// An exec command as read: its script (none for an empty command: nothing to exec), and whether it is
/// an endless top-level loop (a hook that never returns, `run_exec_session`).
#[derive(Debug)]
pub(crate) struct ExecScript {
    pub script: Option<Arc<Script>>,
    pub endless_loop: bool,
}

impl ExecScript {
    /// Reads `command` as the runtime execs it: no shell unless it names one. Depends on nothing but the
    /// argv, which is what makes it shareable.
    fn read(command: &[String]) -> ExecScript {
        let script = (!command.is_empty()).then(|| Arc::new(program_of_argv(command).0));
        let endless_loop =
            shell_script(command).is_some_and(|(_, text)| summary::endless_loop(&text).is_some());
        ExecScript {
            script,
            endless_loop,
        }
    }
}

/// The exec commands a call has read, by their exact argv; a handle: the pod's world and every dry
/// run's scratch world of a call hold the same one (`DryRuns::exec_programs`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ExecPrograms(Rc<RefCell<Read>>);

#[derive(Debug, Default)]
struct Read {
    by_argv: SortedMap<Vec<String>, Rc<ExecScript>>,
    /// How many commands were read (tests count them).
    reads: usize,
}

impl ExecPrograms {
    /// `command`'s script: read the first time it is asked for, the same one after.
    pub fn of(&self, command: &[String]) -> Rc<ExecScript> {
        if let Some(known) = self.0.borrow().by_argv.get(command) {
            return Rc::clone(known);
        }
        let read = Rc::new(ExecScript::read(command));
        let mut cache = self.0.borrow_mut();
        cache.by_argv.insert(command.to_vec(), Rc::clone(&read));
        cache.reads += 1;
        read
    }

    /// How many distinct commands were read so far.
    #[cfg(test)]
    pub fn reads(&self) -> usize {
        self.0.borrow().reads
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behaviour::{run_exec, ExecResult, World};
    use crate::time::{Millis, SimTime};

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    /// A probe whose answer changes from run to run: it counts its runs in a file of the container,
    /// prints the count and fails from the fourth run on.
    fn counting_probe() -> Vec<String> {
        argv(&[
            "sh",
            "-c",
            "[ -e /tmp/runs ] || echo 0 > /tmp/runs; n=$(($(cat /tmp/runs) + 1)); \
             echo $n > /tmp/runs; echo \"run $n\"; [ $n -le 3 ]",
        ])
    }

    /// Runs `command` in `app` once a second from 0, `times` times; `fresh` forgets the scripts read
    /// before each run, as when every run parsed and compiled its own.
    fn run_every_second(
        world: &mut World,
        command: &[String],
        times: u64,
        fresh: bool,
    ) -> Vec<ExecResult> {
        (0..times)
            .map(|i| {
                if fresh {
                    world.exec_programs = ExecPrograms::default();
                }
                let now = SimTime::ZERO + Millis::secs(i);
                run_exec(command, "app", now, world, Some(Millis::secs(1)))
            })
            .collect()
    }

    #[test]
    fn a_probe_run_many_times_is_read_once() {
        let mut world = World::default();
        run_every_second(&mut world, &counting_probe(), 50, false);
        assert_eq!(world.exec_programs.reads(), 1);
        // Another command is another script; the same words again are the first one.
        run_every_second(&mut world, &argv(&["sh", "-c", "true"]), 3, false);
        run_every_second(&mut world, &counting_probe(), 3, false);
        assert_eq!(world.exec_programs.reads(), 2);
    }

    #[test]
    fn a_shared_script_runs_as_a_freshly_read_one() {
        let (mut shared, mut fresh) = (World::default(), World::default());
        let probe = counting_probe();
        let once = run_every_second(&mut shared, &probe, 6, false);
        let every_time = run_every_second(&mut fresh, &probe, 6, true);
        assert_eq!(once, every_time);
        assert_eq!(format!("{:?}", shared.files), format!("{:?}", fresh.files));
        // What each run read was expanded as it ran, not when the script was read.
        let outputs: Vec<&str> = once.iter().map(|r| r.output.as_str()).collect();
        assert_eq!(
            outputs,
            ["run 1", "run 2", "run 3", "run 4", "run 5", "run 6"]
        );
        let codes: Vec<i32> = once.iter().map(|r| r.exit_code).collect();
        assert_eq!(codes, [0, 0, 0, 1, 1, 1]);
    }

    #[test]
    fn an_endless_hook_is_read_as_one() {
        let programs = ExecPrograms::default();
        let hook = argv(&["sh", "-c", "while true; do sleep 1; done"]);
        assert!(programs.of(&hook).endless_loop);
        assert!(programs.of(&[]).script.is_none());
        assert!(!programs.of(&argv(&["sh", "-c", "sleep 1"])).endless_loop);
        assert!(Rc::ptr_eq(&programs.of(&hook), &programs.of(&hook)));
        assert_eq!(programs.reads(), 3);
    }
}
