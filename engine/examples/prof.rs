#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // a profiling aid, not engine code
                                                                // Quick profile of where `docker run -d` spends its time (not part of the test suite).
use porthole_engine::Engine;
fn main() {
    let words: Vec<String> = ["run", "-d", "busybox", "sleep", "1000"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let t = std::time::Instant::now();
    for _ in 0..n {
        let _ = porthole_engine::cli::parse(&words);
    }
    println!("cli::parse: {:?}/op", t.elapsed() / n);
    let mut e = Engine::sim(0);
    e.execute_next("docker pull busybox");
    // `prof N net`: on a user-defined /16 network (IPAM, veths, the DNS zone).
    let line = if std::env::args().nth(2).as_deref() == Some("net") {
        e.execute_next("docker network create --subnet 10.10.0.0/16 big");
        "docker run -d --network big busybox sleep 1000"
    } else {
        "docker run -d busybox sleep 1000"
    };
    let t = std::time::Instant::now();
    for _ in 0..n {
        e.execute_next(line);
    }
    println!("{line}: {:?}/op", t.elapsed() / n);
}
