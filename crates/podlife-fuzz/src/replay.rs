//! `--replay FILE`: one input run three times, as the fuzzer would judge it, with its time (fastest and
//! slowest run) and peak memory printed. Exits non-zero when it panics or is over the bound.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use crate::alloc;
use crate::findings::mib;
use crate::measure::{self, Bound, Verdict};

pub fn run(file: &Path, bound: Bound) -> ExitCode {
    let text = match std::fs::read(file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("podlife-fuzz: {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    alloc::become_worker(0);
    let runs: Vec<measure::Measurement> = (0..3).map(|_| measure::measure(&text)).collect();
    let fastest = runs.iter().map(|m| m.time).min().unwrap_or(Duration::ZERO);
    let slowest = runs.iter().map(|m| m.time).max().unwrap_or(Duration::ZERO);
    let peak = runs.iter().map(|m| m.peak_bytes).max().unwrap_or(0);
    println!(
        "{}: {:.3} ms (fastest of 3; slowest {:.3} ms), peak memory {:.2} MiB",
        file.display(),
        fastest.as_secs_f64() * 1e3,
        slowest.as_secs_f64() * 1e3,
        mib(peak)
    );
    let verdict = match runs.iter().find_map(|m| m.panic.clone()) {
        Some(message) => Verdict::Panic(message),
        None if fastest > bound.time => Verdict::OverTime,
        None if peak > bound.bytes => Verdict::OverMemory,
        None => Verdict::Within,
    };
    match verdict {
        Verdict::Within => ExitCode::SUCCESS,
        Verdict::Panic(message) => {
            println!("panic: {message}");
            ExitCode::FAILURE
        }
        other => {
            println!("over the bound: {}", other.kind());
            ExitCode::FAILURE
        }
    }
}
