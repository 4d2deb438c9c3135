//! `--replay FILE…`: each input run three times, as the fuzzer would judge it, with its time (fastest
//! and slowest run) and peak memory printed, then the worst of them. Exits non-zero when one panics or
//! is over the bound. Run it on a quiet machine: the fuzzer's own threads load the one it judges on.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::alloc;
use crate::findings::mib;
use crate::measure::{self, Bound, Measurement, Verdict};

/// One file's three runs, reduced to what is judged.
struct Replayed {
    fastest: Duration,
    slowest: Duration,
    peak: usize,
    panic: Option<String>,
}

pub fn run(files: &[PathBuf], bound: Bound) -> ExitCode {
    alloc::become_worker(0);
    let mut worst: Option<(Duration, &Path)> = None;
    let (mut over, mut unreadable) = (0usize, 0usize);
    for file in files {
        let Some(r) = replay_one(file) else {
            unreadable += 1;
            continue;
        };
        if worst.is_none_or(|(t, _)| r.fastest > t) {
            worst = Some((r.fastest, file));
        }
        if verdict(&r, bound) != Verdict::Within {
            over += 1;
        }
    }
    if files.len() > 1 {
        let worst = worst.map_or("-".into(), |(t, f)| {
            format!("{:.3} ms  {}", t.as_secs_f64() * 1e3, f.display())
        });
        println!(
            "replayed {} file(s): {over} over the bound or panicking, {unreadable} unreadable; slowest: {worst}",
            files.len()
        );
    }
    match (over, unreadable) {
        (0, 0) => ExitCode::SUCCESS,
        (0, _) => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

/// Runs one file three times and prints its line (and its verdict when it is not within the bound).
fn replay_one(file: &Path) -> Option<Replayed> {
    let text = match std::fs::read(file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("podlife-fuzz: {}: {e}", file.display());
            return None;
        }
    };
    let runs: Vec<Measurement> = (0..3).map(|_| measure::measure(&text)).collect();
    let r = Replayed {
        fastest: runs.iter().map(|m| m.time).min().unwrap_or(Duration::ZERO),
        slowest: runs.iter().map(|m| m.time).max().unwrap_or(Duration::ZERO),
        peak: runs.iter().map(|m| m.peak_bytes).max().unwrap_or(0),
        panic: runs.iter().find_map(|m| m.panic.clone()),
    };
    println!(
        "{}: {:.3} ms (fastest of 3; slowest {:.3} ms), peak memory {:.2} MiB",
        file.display(),
        r.fastest.as_secs_f64() * 1e3,
        r.slowest.as_secs_f64() * 1e3,
        mib(r.peak)
    );
    Some(r)
}

fn verdict(r: &Replayed, bound: Bound) -> Verdict {
    let verdict = match &r.panic {
        Some(message) => Verdict::Panic(message.clone()),
        None if r.fastest > bound.time => Verdict::OverTime,
        None if r.peak > bound.bytes => Verdict::OverMemory,
        None => Verdict::Within,
    };
    match &verdict {
        Verdict::Within => {}
        Verdict::Panic(message) => println!("  panic: {message}"),
        other => println!("  over the bound: {}", other.kind()),
    }
    verdict
}
