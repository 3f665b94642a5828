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
    let t = std::time::Instant::now();
    for _ in 0..n {
        e.execute_next("docker run -d busybox sleep 1000");
    }
    println!("run -d: {:?}/op", t.elapsed() / n);
}
