#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // a profiling aid, not engine code
//! The contention benchmark's scenario, once, with what it did: for profiling and for
//! checking that the load really contends (`cargo run --release --example contend`).
use porthole_engine::Engine;
fn main() {
    let mut e = Engine::sim(0);
    e.execute_next("docker pull -q busybox");
    e.execute_next("docker pull -q progrium/stress");
    for i in 0..50 {
        let shares = [512, 1024, 2048][i % 3];
        let cap = if i % 5 == 0 { " --cpus 0.5" } else { "" };
        e.execute_next(&format!(
            "docker run -d --name cpu{i} --cpu-shares {shares}{cap} progrium/stress --cpu 2"
        ));
        e.execute_next(&format!(
            "docker run -d --name mem{i} --memory 32m --restart always busybox tail /dev/zero"
        ));
    }
    let t = std::time::Instant::now();
    let o = e.execute_next("wait 60s");
    println!("wait 60s: {:?}, {} steps", t.elapsed(), o.steps.len());
    let ps = e
        .execute_next("docker ps --format '{{.Names}} {{.Status}}'")
        .stdout();
    println!(
        "{}",
        ps.lines()
            .filter(|l| l.starts_with("mem1 ") || l.starts_with("cpu1 ") || l.starts_with("cpu0 "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    println!(
        "{}",
        e.execute_next("docker stats --no-stream cpu0 cpu1 cpu2 mem1")
            .stdout()
    );
}
