//! The worst cases issue 12 bounds to 50 ms of native time: each manifest of `tests/stress/`
//! (an alias bomb, busy loops in a container, a preStop hook and an exec probe, a fork bomb, 200
//! containers crash-looping for an hour, a pod of 200 containers), run as the page runs it on a
//! keystroke: load, check and simulate, then the comparison of the legacy and native variants.
//!
//! Criterion's statistics are about the typical run; the bound is about the worst one. So each input's
//! slowest run of `RUNS` is printed first, against the bound. Run with
//! `cargo bench -p podlife --bench worst_cases`; `podlife-fuzz --replay FILE` measures one input's peak
//! memory as well.

use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use podlife::{compare::compare_simulated, simulate_manifest, SimulateOptions};

const BOUND: Duration = Duration::from_millis(50);
const RUNS: usize = 20;

fn stress_files() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/stress");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&p).ok()?))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no manifests in {}", dir.display());
    files
}

/// What the page computes for one keystroke on `text`, with the comparison open beside the
/// simulation.
fn keystroke(text: &str, options: &SimulateOptions) {
    if let Ok((trace, diagnostics)) = simulate_manifest(text, options) {
        std::hint::black_box(diagnostics);
        let _ = std::hint::black_box(compare_simulated(text, options, &[], Rc::new(trace)));
    }
}

/// The slowest of `RUNS` runs.
fn worst_run(text: &str, options: &SimulateOptions) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            keystroke(text, options);
            start.elapsed()
        })
        .max()
        .unwrap_or_default()
}

fn bench_worst_cases(c: &mut Criterion) {
    let options = SimulateOptions::default();
    let mut group = c.benchmark_group("worst case");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for (name, text) in stress_files() {
        let worst = worst_run(&text, &options);
        let verdict = if worst <= BOUND { "within" } else { "OVER" };
        println!(
            "worst case/{name}: slowest of {RUNS} runs {:.2} ms, {verdict} the {} ms bound",
            worst.as_secs_f64() * 1e3,
            BOUND.as_millis()
        );
        group.bench_with_input(BenchmarkId::from_parameter(&name), &text, |b, text| {
            b.iter(|| keystroke(text, &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_worst_cases);
criterion_main!(benches);
