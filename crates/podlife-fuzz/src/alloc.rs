//! A counting global allocator: the live and peak bytes of each worker thread, so the fuzzer can bound
//! the memory one input takes. Counting is per thread because the core is single-threaded: everything an
//! input allocates is allocated on the worker that runs it.
//!
//! The allocator also refuses any allocation that would take a worker past a hard ceiling: a runaway
//! input (an alias bomb) then aborts the fuzzer with Rust's "memory allocation failed" instead of
//! taking the shared machine's memory. The input is on disk already (see `inflight` in `worker.rs`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Enough slots for one worker per core on any machine this runs on; more workers are refused.
pub const MAX_WORKERS: usize = 64;

/// Live bytes of each worker, readable from the watchdog thread.
#[allow(clippy::declare_interior_mutable_const)]
const ZERO: AtomicUsize = AtomicUsize::new(0);
pub static LIVE: [AtomicUsize; MAX_WORKERS] = [ZERO; MAX_WORKERS];
static PEAK: [AtomicUsize; MAX_WORKERS] = [ZERO; MAX_WORKERS];
/// The hard ceiling per worker, in bytes; 0 until `set_ceiling`.
static CEILING: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The worker slot of this thread; `usize::MAX` for threads that are not workers (not counted).
    static SLOT: Cell<usize> = const { Cell::new(usize::MAX) };
}

pub struct Counting;

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !grow(layout.size()) {
            return std::ptr::null_mut();
        }
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !grow(layout.size()) {
            return std::ptr::null_mut();
        }
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && !grow(new_size - layout.size()) {
            return std::ptr::null_mut();
        }
        let moved = System.realloc(ptr, layout, new_size);
        if new_size < layout.size() {
            shrink(layout.size() - new_size);
        } else if moved.is_null() {
            shrink(new_size - layout.size());
        }
        moved
    }
}

/// The slot of the current thread, if it is a worker.
fn slot() -> Option<usize> {
    // `try_with`: a thread being torn down may still free memory after its locals are gone.
    SLOT.try_with(Cell::get).ok().filter(|s| *s < MAX_WORKERS)
}

/// Counts `bytes` more; false (and nothing counted) when that would cross the ceiling.
fn grow(bytes: usize) -> bool {
    let Some(s) = slot() else { return true };
    let live = LIVE[s].fetch_add(bytes, Ordering::Relaxed) + bytes;
    let ceiling = CEILING.load(Ordering::Relaxed);
    if ceiling != 0 && live > ceiling {
        LIVE[s].fetch_sub(bytes, Ordering::Relaxed);
        return false;
    }
    PEAK[s].fetch_max(live, Ordering::Relaxed);
    true
}

fn shrink(bytes: usize) {
    if let Some(s) = slot() {
        // Memory allocated before the thread became a worker may be freed by it: never wrap below 0.
        let _ = LIVE[s].fetch_update(Ordering::Relaxed, Ordering::Relaxed, |live| {
            Some(live.saturating_sub(bytes))
        });
    }
}

/// Makes the current thread the worker of `slot`.
pub fn become_worker(slot: usize) {
    assert!(slot < MAX_WORKERS, "at most {MAX_WORKERS} workers");
    SLOT.with(|s| s.set(slot));
}

pub fn set_ceiling(bytes: usize) {
    CEILING.store(bytes, Ordering::Relaxed);
}

/// Starts measuring one input on the current worker: the peak restarts from what is live now.
/// Returns that baseline.
pub fn start_measure() -> usize {
    let s = slot().expect("measured on a worker thread");
    let live = LIVE[s].load(Ordering::Relaxed);
    PEAK[s].store(live, Ordering::Relaxed);
    live
}

/// The peak bytes above `baseline` since `start_measure`.
pub fn peak_since(baseline: usize) -> usize {
    let s = slot().expect("measured on a worker thread");
    PEAK[s].load(Ordering::Relaxed).saturating_sub(baseline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_peak_counts_what_it_allocated_and_freed() {
        std::thread::spawn(|| {
            become_worker(MAX_WORKERS - 1);
            let baseline = start_measure();
            let block = vec![1u8; 3 << 20];
            drop(std::hint::black_box(block));
            let peak = peak_since(baseline);
            assert!(peak >= 3 << 20, "peak {peak} misses the 3 MiB block");
            assert!(peak < 4 << 20, "peak {peak} counts more than the block");
            assert!(LIVE[MAX_WORKERS - 1].load(Ordering::Relaxed) <= baseline + (64 << 10));
        })
        .join()
        .expect("worker thread");
    }
}
