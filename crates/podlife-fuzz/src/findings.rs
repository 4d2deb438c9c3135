//! What a run found, shared by the workers and the watchdog: the execution count, the slowest input
//! and the largest, and the inputs over the bound, saved to files a `--replay` can run again.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::measure::{Measurement, Verdict};

/// Files saved per kind of violation in one run. A panic is found again and again, and the first
/// few say it. A time over the bound is judged on a machine the fuzzer itself keeps busy, so each is
/// kept to be replayed on a quiet one; the cap only bounds the disk a long run may fill.
fn saved_per_kind(verdict: &Verdict) -> u64 {
    match verdict {
        Verdict::Panic(_) => 20,
        _ => 5_000,
    }
}

#[derive(Default)]
pub struct Record<T> {
    pub value: T,
    pub file: Option<PathBuf>,
    pub text: String,
}

#[derive(Default)]
pub struct Findings {
    pub out: PathBuf,
    pub executions: AtomicU64,
    pub panics: AtomicU64,
    pub over_time: AtomicU64,
    pub over_memory: AtomicU64,
    pub slowest: Mutex<Record<Duration>>,
    pub largest: Mutex<Record<usize>>,
}

/// A stable name for an input's file: FNV-1a of its bytes.
fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Findings {
    pub fn new(out: &Path) -> Findings {
        Findings {
            out: out.to_path_buf(),
            ..Findings::default()
        }
    }

    fn counter(&self, verdict: &Verdict) -> Option<&AtomicU64> {
        match verdict {
            Verdict::Within => None,
            Verdict::Panic(_) => Some(&self.panics),
            Verdict::OverTime => Some(&self.over_time),
            Verdict::OverMemory => Some(&self.over_memory),
        }
    }

    /// Counts a violation and saves its input (the first few of each kind).
    pub fn violation(&self, text: &str, m: &Measurement, verdict: &Verdict) {
        let Some(counter) = self.counter(verdict) else {
            return;
        };
        let seen = counter.fetch_add(1, Ordering::Relaxed);
        let saved = if seen < saved_per_kind(verdict) {
            self.save(verdict.kind(), text)
        } else {
            None
        };
        let file = saved.map_or("(not saved: enough of this kind)".into(), |p| {
            p.display().to_string()
        });
        eprintln!(
            "podlife-fuzz: {}: {:.1} ms, {:.1} MiB peak: {file}",
            verdict.kind(),
            m.time.as_secs_f64() * 1e3,
            mib(m.peak_bytes)
        );
        if let Verdict::Panic(message) = verdict {
            eprintln!("  {message}");
        }
    }

    /// Saves `text` as `<kind>-<digest>.yaml` in the output directory.
    pub fn save(&self, kind: &str, text: &str) -> Option<PathBuf> {
        let path = self.out.join(format!("{kind}-{:016x}.yaml", digest(text)));
        match fs::write(&path, text) {
            Ok(()) => Some(path),
            Err(e) => {
                eprintln!("podlife-fuzz: cannot write {}: {e}", path.display());
                None
            }
        }
    }

    /// Keeps `text` when it is the slowest or the largest so far; true when it set either record.
    pub fn record(&self, text: &str, m: &Measurement) -> bool {
        let slower = update(&self.slowest, m.time, text);
        let larger = update(&self.largest, m.peak_bytes, text);
        slower || larger
    }

    /// Writes the two record inputs to `slowest.yaml` and `largest.yaml`.
    pub fn save_records(&self) {
        self.save_record("slowest", &self.slowest);
        self.save_record("largest", &self.largest);
    }

    fn save_record<T>(&self, name: &str, record: &Mutex<Record<T>>) {
        let mut r = lock(record);
        let path = self.out.join(format!("{name}.yaml"));
        if fs::write(&path, &r.text).is_ok() {
            r.file = Some(path);
        }
    }

    pub fn violations(&self) -> u64 {
        [&self.panics, &self.over_time, &self.over_memory]
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A worker that panicked while holding the lock left a record that is still whole.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn update<T: PartialOrd + Copy>(record: &Mutex<Record<T>>, value: T, text: &str) -> bool {
    let mut r = lock(record);
    if value > r.value {
        r.value = value;
        r.text = text.to_string();
        true
    } else {
        false
    }
}

pub fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The lines printed at the end of a run (and by the watchdog before it stops one).
pub fn summary(f: &Findings, elapsed: Duration) -> String {
    let executions = f.executions.load(Ordering::Relaxed);
    let rate = executions as f64 / elapsed.as_secs_f64().max(1e-9);
    let slowest = lock(&f.slowest);
    let largest = lock(&f.largest);
    let file = |r: Option<&PathBuf>| r.map_or("-".into(), |p| p.display().to_string());
    format!(
        "executions: {executions} in {:.0} s ({rate:.0}/s)\n\
         slowest input: {:.2} ms  {}\n\
         largest peak memory: {:.2} MiB  {}\n\
         violations: {} panics, {} over the time bound, {} over the memory bound",
        elapsed.as_secs_f64(),
        slowest.value.as_secs_f64() * 1e3,
        file(slowest.file.as_ref()),
        mib(largest.value),
        file(largest.file.as_ref()),
        f.panics.load(Ordering::Relaxed),
        f.over_time.load(Ordering::Relaxed),
        f.over_memory.load(Ordering::Relaxed),
    )
}
