//! `docker run -d busybox sleep 1000` repeated N times on a fresh engine (issue 2's goal:
//! 10,000 in ≤ 1 s in release, linear in N). Also one foreground `docker run --rm … echo`
//! with the whole trace, and the same with per-step snapshots (what the page records).

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use porthole_engine::Engine;

fn fresh() -> Engine<porthole_engine::SimKernel> {
    let mut e = Engine::sim(0);
    assert_eq!(e.execute_next("docker pull busybox").exit_code, 0);
    e
}

fn runs(c: &mut Criterion) {
    let mut g = c.benchmark_group("docker_run_detached");
    g.sample_size(10);
    for n in [1_000u64, 10_000] {
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter_batched(
                fresh,
                |mut e| {
                    for _ in 0..n {
                        let o = e.execute_next("docker run -d busybox sleep 1000");
                        debug_assert_eq!(o.exit_code, 0);
                    }
                    e
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();

    let mut g = c.benchmark_group("docker_run_foreground");
    g.bench_function("echo_rm", |b| {
        b.iter_batched(
            fresh,
            |mut e| e.execute_next("docker run --rm busybox echo hello"),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("echo_rm_recording", |b| {
        b.iter_batched(
            || {
                let mut e = fresh();
                e.set_recording(true);
                e
            },
            |mut e| e.execute_next("docker run --rm busybox echo hello"),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, runs);
criterion_main!(benches);
