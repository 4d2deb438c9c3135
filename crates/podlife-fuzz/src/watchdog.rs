//! What the workers cannot do for themselves: notice an input that never finishes, or one whose
//! memory runs away, and stop the run with that input saved. A worker cannot be interrupted, so the
//! watchdog exits the process; the saved file replays the input.
//!
//! Each input is also written to `inflight-<worker>.yaml` before it runs: if the allocator's ceiling
//! aborts the process (`memory allocation of … bytes failed`), that file holds the input.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::alloc;
use crate::findings::{self, Findings};

pub struct Watch {
    running: Vec<Mutex<Option<(Instant, String)>>>,
    inflight: Vec<Mutex<Option<File>>>,
    pub hang: Duration,
    /// Live bytes of one worker past which its input is a runaway.
    pub runaway_bytes: usize,
}

impl Watch {
    pub fn new(workers: usize, out: &Path, hang: Duration, runaway_bytes: usize) -> Watch {
        Watch {
            running: (0..workers).map(|_| Mutex::new(None)).collect(),
            inflight: (0..workers)
                .map(|w| Mutex::new(File::create(out.join(format!("inflight-{w}.yaml"))).ok()))
                .collect(),
            hang,
            runaway_bytes,
        }
    }

    /// Worker `slot` starts running `text`.
    pub fn begin(&self, slot: usize, text: &str) {
        if let Some(file) = lock(&self.inflight[slot]).as_ref() {
            let _ = file
                .set_len(0)
                .and_then(|()| file.write_all_at(text.as_bytes(), 0));
        }
        *lock(&self.running[slot]) = Some((Instant::now(), text.to_string()));
    }

    pub fn end(&self, slot: usize) {
        *lock(&self.running[slot]) = None;
    }

    /// The first worker's input that has run too long or grown too large, with the kind of trouble.
    fn trouble(&self) -> Option<(&'static str, String)> {
        self.running.iter().enumerate().find_map(|(slot, running)| {
            let guard = lock(running);
            let (started, text) = guard.as_ref()?;
            if started.elapsed() > self.hang {
                Some(("hang", text.clone()))
            } else if alloc::LIVE[slot].load(Ordering::Relaxed) > self.runaway_bytes {
                Some(("runaway-memory", text.clone()))
            } else {
                None
            }
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Watches until the process ends; on trouble saves the input, prints the run so far and exits 2.
pub fn watch(watch: &Watch, findings: &Findings, started: Instant) -> ! {
    loop {
        std::thread::sleep(Duration::from_millis(20));
        if let Some((kind, text)) = watch.trouble() {
            let file = findings.save(kind, &text);
            findings.save_records();
            let what = if kind == "hang" {
                format!("an input ran over {} s", watch.hang.as_secs())
            } else {
                format!(
                    "an input took over {:.0} MiB",
                    findings::mib(watch.runaway_bytes)
                )
            };
            eprintln!(
                "podlife-fuzz: {kind}: {what}; saved to {}",
                file.map_or("(not saved)".into(), |p| p.display().to_string())
            );
            println!("{}", findings::summary(findings, started.elapsed()));
            std::process::exit(2);
        }
    }
}
