//! One fuzzing thread: mutate an input from its pool, run it as the page would, judge it against the
//! bound, keep what it found. Inputs that set a record (slowest, largest) while within the bound join
//! the pool, so the search leans towards the costly corners.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::alloc;
use crate::findings::Findings;
use crate::measure::{self, Bound, Verdict};
use crate::mutate::mutate;
use crate::rng::Rng;
use crate::watchdog::Watch;

/// Inputs a worker adds to its pool at most: the corpus stays the larger part.
const GROWN_POOL: usize = 256;

pub struct Shared<'a> {
    pub findings: &'a Findings,
    pub watch: &'a Watch,
    pub bound: Bound,
    pub deadline: Instant,
}

pub fn run(slot: usize, seed: u64, corpus: &[String], shared: &Shared) {
    alloc::become_worker(slot);
    let mut rng = Rng::new(seed ^ (slot as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let mut pool = corpus.to_vec();
    while Instant::now() < shared.deadline {
        let base = &pool[rng.below(pool.len())];
        let input = mutate(&mut rng, base, &pool);
        if one(slot, &input, shared) && pool.len() < corpus.len() + GROWN_POOL {
            pool.push(input);
        }
    }
}

/// Runs one input; true when it is within the bound and set a record.
fn one(slot: usize, input: &str, shared: &Shared) -> bool {
    shared.watch.begin(slot, input);
    let (mut m, verdict) = measure::judge(input, shared.bound);
    if verdict == Verdict::Within && m.time > slowest(shared.findings) {
        // A record must not be a moment of contention on the shared machine.
        m = measure::confirm_time(input, m);
    }
    shared.watch.end(slot);
    shared.findings.executions.fetch_add(1, Ordering::Relaxed);
    if verdict != Verdict::Within {
        shared.findings.violation(input, &m, &verdict);
        if matches!(verdict, Verdict::Panic(_)) {
            return false;
        }
        // The verdict names the time first: an input over both bounds counts against each.
        if verdict == Verdict::OverTime && m.peak_bytes > shared.bound.bytes {
            shared.findings.violation(input, &m, &Verdict::OverMemory);
        }
    }
    shared.findings.record(input, &m) && verdict == Verdict::Within
}

fn slowest(findings: &Findings) -> Duration {
    findings
        .slowest
        .lock()
        .map(|r| r.value)
        .unwrap_or(Duration::MAX)
}
