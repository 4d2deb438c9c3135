//! What a busy loop's iterations could change in a job, for the watch of `busy_loop::Spin`: the state
//! taken when the watch begins, compared after every step with the job as it is then. Two equal states
//! a few steps apart mean the loop came back to where it was.
//!
//! The watch copies the job once per stretch it watches, but compares it after every step, so the
//! comparison reads the job in place and looks first at what differs soonest: the number of frames and
//! the innermost ones. A function that calls itself (`f() { f; }; f`) adds a frame every call; copying
//! or comparing its whole stack every step made each step cost as much as the recursion was deep.

use super::{Frame, Io, Job, Sig};
use crate::sorted_map::SortedMap;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fingerprint {
    frames: Vec<Frame>,
    vars: SortedMap<String, String>,
    status: i32,
    fors: Vec<(Arc<[String]>, usize)>,
    cwd: String,
    io: Vec<Io>,
    pending: Vec<Sig>,
    bg: Vec<u32>,
}

impl Fingerprint {
    /// The job's state now (a copy: the watch keeps it while the job goes on).
    pub(super) fn of(job: &Job) -> Fingerprint {
        Fingerprint {
            frames: job.frames.clone(),
            vars: job.vars.clone(),
            status: job.status,
            fors: job.fors.clone(),
            cwd: job.cwd.clone(),
            io: job.io.clone(),
            pending: job.pending.clone(),
            bg: job.bg.clone(),
        }
    }

    /// How many frames deep the job was.
    pub(super) fn depth(&self) -> usize {
        self.frames.len()
    }

    /// Is the job back in this state? The same answer as `*self == Fingerprint::of(job)`, without the
    /// copy, the cheap and most changeable parts first.
    pub(super) fn is_state_of(&self, job: &Job) -> bool {
        self.status == job.status
            && same_frames(&self.frames, &job.frames)
            && self.pending == job.pending
            && self.bg == job.bg
            && same_fors(&self.fors, &job.fors)
            && self.io == job.io
            && self.cwd == job.cwd
            && self.vars == job.vars
    }
}

/// The same `for` loops at the same places in their lists. A list is shared, not copied, while its
/// loop runs, so the same list is the same allocation: comparing its words (an `Arc<[String]>`'s `==`
/// reads them all, its identity shortcut being only for sized types) made each step of a loop over
/// `$(seq 1 90000)` cost as much as the list.
fn same_fors(a: &[(Arc<[String]>, usize)], b: &[(Arc<[String]>, usize)]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((x, i), (y, j))| i == j && (Arc::ptr_eq(x, y) || x == y))
}

/// The same stacks, compared from the innermost frame out: the frame a step moves is the top one, and
/// the frames under it change only when it returns.
fn same_frames(a: &[Frame], b: &[Frame]) -> bool {
    a.len() == b.len() && a.iter().rev().zip(b.iter().rev()).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::super::{frame, new_job};
    use super::*;

    fn job_in(frames: Vec<Frame>) -> Job {
        new_job(None, frames, SortedMap::new())
    }

    #[test]
    fn a_job_is_in_the_state_it_was_copied_in() {
        let job = job_in(vec![frame(0, 0), frame(0, 2)]);
        assert!(Fingerprint::of(&job).is_state_of(&job));
    }

    #[test]
    fn a_deeper_stack_is_another_state() {
        let shallow = job_in(vec![frame(0, 1)]);
        let deeper = job_in(vec![frame(0, 1), frame(0, 1)]);
        assert!(!Fingerprint::of(&shallow).is_state_of(&deeper));
        assert!(!Fingerprint::of(&deeper).is_state_of(&shallow));
    }

    #[test]
    fn a_frame_moved_under_the_top_is_another_state() {
        let before = job_in(vec![frame(0, 0), frame(0, 1)]);
        let mut after = before.clone();
        after.frames[0].pc = 3;
        assert!(!Fingerprint::of(&before).is_state_of(&after));
    }

    #[test]
    fn each_part_of_the_state_counts() {
        let job = job_in(vec![frame(0, 0)]);
        let start = Fingerprint::of(&job);
        let changes: [fn(&mut Job); 6] = [
            |j| j.status = 1,
            |j| {
                j.vars.insert("i".into(), "1".into());
            },
            |j| j.cwd = "/tmp".into(),
            |j| j.pending.push(Sig::Term),
            |j| j.bg.push(7),
            |j| j.fors.push((Arc::from(vec!["a".to_string()]), 0)),
        ];
        for change in changes {
            let mut changed = job.clone();
            change(&mut changed);
            assert!(!start.is_state_of(&changed), "{changed:?}");
            assert_eq!(
                start == Fingerprint::of(&changed),
                start.is_state_of(&changed)
            );
        }
    }
}
