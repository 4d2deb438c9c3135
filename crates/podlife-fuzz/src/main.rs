//! `podlife-fuzz`: an in-process mutation fuzzer for podlife on stable Rust. It mutates the corpus
//! (`tests/corpus/**`, `tests/stress/`, `web/gallery/*.yaml`), runs each input as the page does on a keystroke, and
//! fails on a panic or on an input over the time or memory bound (issue 12: 50 ms and 64 MiB of native
//! time and memory for any input). Build it with `--profile release-native` (panics unwind there).
//!
//! ```text
//! cargo run --profile release-native -p podlife-fuzz -- --seconds 60 [--seed S] [--threads N]
//! cargo run --profile release-native -p podlife-fuzz -- --replay target/fuzz-out/slow-….yaml
//! ```

mod alloc;
mod corpus;
mod findings;
mod measure;
mod mutate;
mod page;
mod replay;
mod rng;
mod shell_mutations;
mod watchdog;
mod worker;
mod yaml_mutations;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;

use findings::Findings;
use measure::Bound;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

#[derive(Parser)]
#[command(
    name = "podlife-fuzz",
    about = "Mutation fuzzer: no panic, and every input within the bound"
)]
struct Args {
    /// How long to fuzz.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// The PRNG's seed; the default is taken from the clock and printed.
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (one per core is the most that helps).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Runs each of these inputs three times and prints its time and peak memory, then the worst.
    #[arg(long, num_args = 1..)]
    replay: Vec<PathBuf>,
    /// The time bound per input, in milliseconds of wall time.
    #[arg(long, default_value_t = 50)]
    bound_ms: u64,
    /// The memory bound per input, in MiB of peak live allocation.
    #[arg(long, default_value_t = 64)]
    bound_mib: usize,
    /// An input still running after this many seconds stops the run as a hang.
    #[arg(long, default_value_t = 10)]
    hang_seconds: u64,
    /// Leaves out the corpus files whose path contains this (repeatable), e.g. `stress/` while the
    /// inputs there are known to be over the bound and would take most of the run's time.
    #[arg(long)]
    skip: Vec<String>,
    /// Where inputs over the bound, panicking inputs and the record inputs are written.
    #[arg(long, default_value = "target/fuzz-out")]
    out: PathBuf,
}

/// Live memory per worker past which the watchdog stops the run, and twice that the allocator's
/// ceiling: far over the bound, well under what the shared machine can give.
fn runaway_bytes(bound: Bound) -> usize {
    (bound.bytes * 8).max(512 << 20)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let bound = Bound {
        time: Duration::from_millis(args.bound_ms),
        bytes: args.bound_mib << 20,
    };
    alloc::set_ceiling(runaway_bytes(bound) * 2);
    measure::keep_panic_messages();
    if !args.replay.is_empty() {
        return replay::run(&args.replay, bound);
    }
    match fuzz(&args, bound) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("podlife-fuzz: {message}");
            ExitCode::from(2)
        }
    }
}

/// Fuzzes for the time asked; true when nothing broke the bound.
fn fuzz(args: &Args, bound: Bound) -> Result<bool, String> {
    let threads = args.threads.clamp(1, alloc::MAX_WORKERS);
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let corpus: Vec<String> = corpus::load()?
        .into_iter()
        .filter(|(path, _)| {
            let path = path.to_string_lossy();
            !args.skip.iter().any(|s| path.contains(s.as_str()))
        })
        .map(|(_, text)| text)
        .collect();
    if corpus.is_empty() {
        return Err("--skip left no corpus file".into());
    }
    let seed = args.seed.unwrap_or_else(clock_seed);
    println!(
        "podlife-fuzz: seed {seed}, {} s, {threads} thread(s), bound {} ms / {} MiB, {} corpus files",
        args.seconds,
        args.bound_ms,
        args.bound_mib,
        corpus.len()
    );
    // Both live as long as the process: the watchdog thread is never joined (it exits the process on
    // trouble, and ends with it otherwise).
    let findings: &'static Findings = Box::leak(Box::new(Findings::new(&args.out)));
    let watch: &'static watchdog::Watch = Box::leak(Box::new(watchdog::Watch::new(
        threads,
        &args.out,
        Duration::from_secs(args.hang_seconds),
        runaway_bytes(bound),
    )));
    let started = Instant::now();
    std::thread::Builder::new()
        .name("watchdog".into())
        .spawn(move || watchdog::watch(watch, findings, started))
        .map_err(|e| e.to_string())?;
    let shared = worker::Shared {
        findings,
        watch,
        bound,
        deadline: started + Duration::from_secs(args.seconds),
    };
    std::thread::scope(|scope| {
        for slot in 0..threads {
            let (corpus, shared) = (&corpus, &shared);
            scope.spawn(move || worker::run(slot, seed, corpus, shared));
        }
    });
    findings.save_records();
    println!("{}", findings::summary(findings, started.elapsed()));
    Ok(findings.violations() == 0)
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}
