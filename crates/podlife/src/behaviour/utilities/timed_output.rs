//! What a program writes while it runs, each line at its moment: a one-liner's `print` after a
//! `time.sleep` reaches the log when the sleep is over, not when the program starts. The process writes
//! each line as its clock reaches it; a line due after the program was stopped is never written, for
//! the program never printed it.

use std::collections::VecDeque;

use super::super::world::World;
use super::Out;
use crate::time::SimTime;

/// Lines still to come, oldest first, and where they go (the container's log or a file).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimedOutput {
    to: Out,
    lines: VecDeque<(SimTime, String)>,
}

impl TimedOutput {
    /// `lines` must be in time order (a program prints one line after the other).
    pub(super) fn new(to: Out, lines: Vec<(SimTime, String)>) -> TimedOutput {
        TimedOutput {
            to,
            lines: lines.into(),
        }
    }

    /// When the next line is due.
    pub(crate) fn next_at(&self) -> Option<SimTime> {
        self.lines.front().map(|(at, _)| *at)
    }

    /// Writes every line due by `now`, each at its own moment.
    pub(crate) fn write_due(&mut self, container: &str, now: SimTime, world: &mut World) {
        while let Some((at, _)) = self.lines.front() {
            if *at > now {
                break;
            }
            if let Some((at, line)) = self.lines.pop_front() {
                write(world, container, &self.to, at, &[line]);
            }
        }
    }
}

/// Writes `lines` to the log, a file or nowhere. (A pipe's lines are the pipeline's: see `Ctx::emit`.)
pub(super) fn write(world: &mut World, container: &str, to: &Out, at: SimTime, lines: &[String]) {
    match to {
        Out::Log => {
            for l in lines {
                world.log(container, at, l);
            }
        }
        Out::Null | Out::Pipe(_) => {}
        Out::File(p) => {
            if let Err(e) = world.append_lines(container, p, lines, at) {
                let msg = format!("sh: can't write {p}: {}", e.message());
                world.log(container, at, &msg);
            }
        }
    }
}
