//! `docker run -d busybox sleep 1000` repeated N times on a fresh engine (issue 2's goal:
//! 10,000 in ≤ 1 s in release, linear in N). Also one foreground `docker run --rm … echo`
//! with the whole trace, and the same with per-step snapshots (what the page records).
//! Issue 4: 60 virtual seconds of 100 containers under CPU and memory contention.

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

/// Issue 4's load: 100 containers, 60 virtual seconds. Fifty CPU-bound (stress --cpu 2,
/// shares 512/1024/2048, every fifth capped with --cpus 0.5) contend for the 4 CPUs;
/// fifty grow memory into a 32 MiB limit with `--restart always`, so the OOM killer and
/// the restart backoff fire again and again.
fn contended() -> Engine<porthole_engine::SimKernel> {
    let mut e = Engine::sim(0);
    assert_eq!(e.execute_next("docker pull -q busybox").exit_code, 0);
    assert_eq!(
        e.execute_next("docker pull -q progrium/stress").exit_code,
        0
    );
    for i in 0..50 {
        let shares = [512, 1024, 2048][i % 3];
        let cap = if i % 5 == 0 { " --cpus 0.5" } else { "" };
        let o = e.execute_next(&format!(
            "docker run -d --name cpu{i} --cpu-shares {shares}{cap} progrium/stress --cpu 2"
        ));
        assert_eq!(o.exit_code, 0, "{}", o.combined());
        let o = e.execute_next(&format!(
            "docker run -d --name mem{i} --memory 32m --restart always busybox tail /dev/zero"
        ));
        assert_eq!(o.exit_code, 0, "{}", o.combined());
    }
    e
}

fn contention(c: &mut Criterion) {
    let mut g = c.benchmark_group("contention_100_containers");
    g.sample_size(10);
    g.bench_function("wait_60s", |b| {
        b.iter_batched(
            contended,
            |mut e| {
                let o = e.execute_next("wait 60s");
                debug_assert_eq!(o.exit_code, 0);
                e
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, runs, contention);
criterion_main!(benches);
