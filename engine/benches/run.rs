//! `docker run -d busybox sleep 1000` repeated N times on a fresh engine (issue 2's goal:
//! 10,000 in ≤ 1 s in release, linear in N). Also one foreground `docker run --rm … echo`
//! with the whole trace, and the same with per-step snapshots (what the page records).
//! Issue 4: 60 virtual seconds of 100 containers under CPU and memory contention.
//! Issue 5: 10,000 containers on one /16 network (IPAM, veths, the DNS zone), and one
//! reachability query in a host with 1,000 containers.
//! Issue 3: a lookup and a copy-up in an image of 10,000 files over 10 layers.
//! Issue 3: a 20-step Dockerfile built cold and from the cache.

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

/// A fresh host with a /16 network and busybox pulled.
fn with_network() -> Engine<porthole_engine::SimKernel> {
    let mut e = fresh();
    let o = e.execute_next("docker network create --subnet 10.10.0.0/16 big");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    e
}

fn networks(c: &mut Criterion) {
    let mut g = c.benchmark_group("network_one_16");
    g.sample_size(10);
    for n in [1_000u64, 10_000] {
        g.bench_with_input(BenchmarkId::new("run_d", n), &n, |b, &n| {
            b.iter_batched(
                with_network,
                |mut e| {
                    for _ in 0..n {
                        let o = e.execute_next("docker run -d --network big busybox sleep 1000000");
                        debug_assert_eq!(o.exit_code, 0);
                    }
                    e
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();

    // 1,000 containers on the default bridge, 1,000 on `big`: a probe from the first
    // to the last of `big` (answered: same bridge), and from the bridge to `big`
    // (dropped by the isolation rules after the walk through the host's FORWARD chain).
    let mut e = with_network();
    for i in 0..1_000 {
        for net in ["bridge", "big"] {
            let o = e.execute_next(&format!(
                "docker run -d --name {net}{i} --network {net} busybox sleep 1000000"
            ));
            assert_eq!(o.exit_code, 0, "{}", o.combined());
        }
    }
    let pid = |e: &mut Engine<porthole_engine::SimKernel>, n: &str| -> u32 {
        e.execute_next(&format!("docker inspect -f '{{{{.State.Pid}}}}' {n}"))
            .stdout()
            .trim()
            .parse()
            .expect("a PID")
    };
    let ip = |e: &mut Engine<porthole_engine::SimKernel>, n: &str| -> String {
        e.execute_next(&format!(
            "docker inspect -f '{{{{range .NetworkSettings.Networks}}}}{{{{.IPAddress}}}}{{{{end}}}}' {n}"
        ))
        .stdout()
        .trim()
        .to_string()
    };
    let (from_big, from_bridge) = (pid(&mut e, "big0"), pid(&mut e, "bridge0"));
    let to = ip(&mut e, "big999");
    let now = e.now();
    let k = e.kernel();
    assert!(k
        .probe(
            Some(from_big),
            &to,
            porthole_engine::simnet::Proto::Icmp,
            0,
            now
        )
        .answered());
    assert!(!k
        .probe(
            Some(from_bridge),
            &to,
            porthole_engine::simnet::Proto::Icmp,
            0,
            now
        )
        .answered());
    let mut g = c.benchmark_group("reachability_2000_containers");
    g.bench_function("same_network", |b| {
        b.iter(|| {
            k.probe(
                Some(from_big),
                &to,
                porthole_engine::simnet::Proto::Icmp,
                0,
                now,
            )
        })
    });
    g.bench_function("isolated_networks", |b| {
        b.iter(|| {
            k.probe(
                Some(from_bridge),
                &to,
                porthole_engine::simnet::Proto::Icmp,
                0,
                now,
            )
        })
    });
    g.finish();
}

/// Issue 3: one lookup, and one copy-up, in an image of 10,000 files over 10 layers
/// (the file sought is in the bottom layer, under nine layers and an empty RW layer; the
/// same 100 config files are in every layer, so upper ones shadow lower ones).
fn union_layers(c: &mut Criterion) {
    use porthole_engine::fs::{Fs, Node, Tree, Union};
    use std::sync::Arc;
    let layers: Vec<Tree> = (0..10)
        .map(|l| {
            let mut t = Tree::default();
            for i in 0..900 {
                t.insert(
                    &format!("/usr/share/l{l}/d{}/f{i}", i % 30),
                    Node::file(0o644, 4, Some(Arc::from("data"))),
                );
            }
            for i in 0..100 {
                t.insert(
                    &format!("/etc/conf{i}"),
                    Node::file(0o644, 2, Some(Arc::from(format!("{l}\n")))),
                );
            }
            t
        })
        .collect();
    let upper = Tree::default();
    let stack = || {
        let mut v: Vec<&Tree> = vec![&upper];
        v.extend(layers.iter().rev());
        Union::new(v)
    };
    let deep = "/usr/share/l0/d7/f457";
    let mut g = c.benchmark_group("union_10000_files_10_layers");
    g.bench_function("lookup_bottom_layer", |b| {
        let u = stack();
        b.iter(|| {
            let f = u.lstat(std::hint::black_box(deep));
            debug_assert!(f.is_some());
            f.is_some()
        })
    });
    g.bench_function("copy_up_from_bottom_layer", |b| {
        b.iter(|| {
            let fs = Fs::new(stack());
            fs.write(std::hint::black_box(deep), "more\n", true).ok();
            fs.take_changes()
        })
    });
    g.finish();
}

/// Issue 3: a 20-step Dockerfile (FROM + 19: ENV, ARG, WORKDIR, LABEL, EXPOSE, USER,
/// CMD, 6 RUN and 6 COPY) over a context of 40 files, built cold and from the cache.
const DOCKERFILE_20: &str = "FROM busybox\nENV APP=/app\nARG VERSION=1\nWORKDIR /app\nLABEL org.example.name=bench\nCOPY src/ /app/src/\nRUN echo one > /one.txt\nCOPY a.txt .\nRUN mkdir -p /data && echo two > /data/two\nCOPY b.txt .\nRUN cat /app/a.txt /app/b.txt > /app/ab.txt\nCOPY c.txt .\nRUN rm /one.txt\nCOPY d.txt .\nRUN ls /app > /app/listing\nCOPY e.txt .\nRUN echo done\nEXPOSE 8000\nUSER nobody\nCMD [\"cat\", \"/app/ab.txt\"]\n";

fn with_context() -> Engine<porthole_engine::SimKernel> {
    let mut e = fresh();
    let put = |e: &mut Engine<_>, p: &str, t: &str| e.host_put_file(p, t.as_bytes()).unwrap();
    put(&mut e, "/root/bench/Dockerfile", DOCKERFILE_20);
    for f in ["a", "b", "c", "d", "e"] {
        put(&mut e, &format!("/root/bench/{f}.txt"), &format!("{f}\n"));
    }
    for i in 0..35 {
        put(
            &mut e,
            &format!("/root/bench/src/m{i}.py"),
            &format!("print({i})\n"),
        );
    }
    e
}

fn builds(c: &mut Criterion) {
    let mut g = c.benchmark_group("build_20_steps");
    g.sample_size(20);
    g.bench_function("cold", |b| {
        b.iter_batched(
            with_context,
            |mut e| {
                let o = e.execute_next("docker build -t bench /root/bench");
                assert_eq!(o.exit_code, 0, "{}", o.combined());
                e
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("cached", |b| {
        b.iter_batched(
            || {
                let mut e = with_context();
                assert_eq!(
                    e.execute_next("docker build -t bench /root/bench")
                        .exit_code,
                    0
                );
                e
            },
            |mut e| {
                let o = e.execute_next("docker build -t bench /root/bench");
                debug_assert_eq!(o.combined().matches("Using cache").count(), 19);
                e
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, runs, contention, networks, union_layers, builds);
criterion_main!(benches);
