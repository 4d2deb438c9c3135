//! How long a simulation takes: every scenario manifest of the corpus, and synthetic worst cases
//! (200 containers crash-looping for an hour; the `worst-case` manifests of the corpus — busy loops in
//! containers, hooks and probes, fork bombs — and a 200-container pod, each for an hour; aim: under
//! 50 ms each). Run with `cargo bench -p podlife --bench simulate`;
//! the numbers go in the README's benchmarks section. Aim: a typical scenario under 50 µs natively,
//! cost linear in the number of events.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use podlife::{simulate_manifest, SimulateOptions};

fn scenario_files() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut files = Vec::new();
    for dir in ["good", "scenarios"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    let name = format!(
                        "{dir}/{}",
                        path.file_stem().unwrap_or_default().to_string_lossy()
                    );
                    files.push((name, text));
                }
            }
        }
    }
    files.sort();
    files
}

/// A pod of `n` containers that each exit 1 at once, restarted with back-off for an hour.
fn crash_looping_pod(n: usize) -> String {
    let mut yaml = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crashloop\nspec:\n  containers:\n",
    );
    for i in 0..n {
        yaml.push_str(&format!(
            "  - name: c{i}\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"sleep 1; exit 1\"]\n"
        ));
    }
    yaml
}

/// A pod of `n` containers that print a line and sleep until stopped, for an hour.
fn wide_pod(n: usize) -> String {
    let mut yaml = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: wide\n  annotations:\n    \
         podlife.dev/scenario: \"until=3600s\"\nspec:\n  containers:\n",
    );
    for i in 0..n {
        yaml.push_str(&format!(
            "  - name: c{i}\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"echo up; sleep infinity\"]\n"
        ));
    }
    yaml
}

fn bench_worst_cases(c: &mut Criterion) {
    // Each case's `podlife.dev/scenario` annotation runs it for an hour.
    let options = SimulateOptions::default();
    let mut group = c.benchmark_group("worst_cases");
    group.sample_size(10);
    let mut cases: Vec<(String, String)> = scenario_files()
        .into_iter()
        .filter(|(name, _)| name.contains("worst-case"))
        .collect();
    cases.push(("200-container pod".into(), wide_pod(200)));
    for (name, text) in cases {
        group.bench_with_input(BenchmarkId::from_parameter(&name), &text, |b, text| {
            b.iter(|| simulate_manifest(text, &options))
        });
    }
    group.finish();
}

fn bench_scenarios(c: &mut Criterion) {
    let options = SimulateOptions::default();
    let mut group = c.benchmark_group("scenario");
    for (name, text) in scenario_files() {
        let Ok((trace, _)) = simulate_manifest(&text, &options) else {
            continue;
        };
        group.throughput(Throughput::Elements(trace.events.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(&name), &text, |b, text| {
            b.iter(|| simulate_manifest(text, &options))
        });
    }
    group.finish();
}

fn bench_crash_loops(c: &mut Criterion) {
    let options = SimulateOptions::default();
    let mut group = c.benchmark_group("crash-loop for an hour");
    group.sample_size(10);
    for n in [10, 50, 200] {
        let text = crash_looping_pod(n);
        let events = simulate_manifest(&text, &options)
            .map(|(t, _)| t.events.len())
            .unwrap_or(0);
        group.throughput(Throughput::Elements(events as u64));
        group.bench_with_input(BenchmarkId::new("containers", n), &text, |b, text| {
            b.iter(|| simulate_manifest(text, &options))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_scenarios,
    bench_crash_loops,
    bench_worst_cases
);
criterion_main!(benches);
