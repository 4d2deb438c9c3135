//! One input measured: its wall time, the peak memory it allocated, and the panic it raised if any.
//! A time over the bound is confirmed by running the input again: the machine is shared, and only the
//! fastest of three runs counts.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crate::{alloc, page};

#[derive(Debug, Clone, Copy)]
pub struct Bound {
    pub time: Duration,
    pub bytes: usize,
}

#[derive(Debug, Clone)]
pub struct Measurement {
    pub time: Duration,
    pub peak_bytes: usize,
    /// The panic's location and message.
    pub panic: Option<String>,
}

/// What an input did against the bound.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Within,
    Panic(String),
    OverTime,
    OverMemory,
}

impl Verdict {
    /// The prefix of the file the input is saved to.
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Within => "within",
            Verdict::Panic(_) => "panic",
            Verdict::OverTime => "slow",
            Verdict::OverMemory => "memory",
        }
    }
}

/// How many runs a slow input gets in all before it counts as over the bound.
const CONFIRMING_RUNS: usize = 3;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics are caught and kept, not printed: the fuzzer reports them with the input's file.
pub fn keep_panic_messages() {
    panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        let _ = LAST_PANIC.try_with(|p| *p.borrow_mut() = Some(message));
    }));
}

/// Runs the page's work for `text` once.
pub fn measure(text: &str) -> Measurement {
    let baseline = alloc::start_measure();
    let start = Instant::now();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| page::keystroke(text)));
    let time = start.elapsed();
    let peak_bytes = alloc::peak_since(baseline);
    let panic = outcome.err().map(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_default()
    });
    Measurement {
        time,
        peak_bytes,
        panic,
    }
}

/// Runs `text` again until `CONFIRMING_RUNS` runs are done and keeps the fastest time.
pub fn confirm_time(text: &str, first: Measurement) -> Measurement {
    (1..CONFIRMING_RUNS).fold(first, |best, _| {
        let again = measure(text);
        if again.time < best.time {
            Measurement {
                time: again.time,
                ..best
            }
        } else {
            best
        }
    })
}

/// Measures `text` and judges it; a slow run is confirmed first.
pub fn judge(text: &str, bound: Bound) -> (Measurement, Verdict) {
    let mut m = measure(text);
    if let Some(message) = &m.panic {
        let verdict = Verdict::Panic(message.clone());
        return (m, verdict);
    }
    if m.time > bound.time {
        m = confirm_time(text, m);
    }
    let verdict = if m.time > bound.time {
        Verdict::OverTime
    } else if m.peak_bytes > bound.bytes {
        Verdict::OverMemory
    } else {
        Verdict::Within
    };
    (m, verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"sleep 5\"]\n";

    fn judged(bound: Bound) -> (Measurement, Verdict) {
        std::thread::spawn(move || {
            alloc::become_worker(alloc::MAX_WORKERS - 2);
            judge(POD, bound)
        })
        .join()
        .expect("worker thread")
    }

    #[test]
    fn an_input_is_judged_against_both_bounds() {
        let roomy = Bound {
            time: Duration::from_secs(60),
            bytes: 1 << 30,
        };
        let (m, verdict) = judged(roomy);
        assert_eq!(verdict, Verdict::Within);
        assert!(m.peak_bytes > 0 && m.time > Duration::ZERO && m.panic.is_none());
        let no_time = Bound {
            time: Duration::ZERO,
            ..roomy
        };
        assert_eq!(judged(no_time).1, Verdict::OverTime);
        let no_memory = Bound { bytes: 0, ..roomy };
        assert_eq!(judged(no_memory).1, Verdict::OverMemory);
    }
}
