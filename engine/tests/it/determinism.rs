//! Same seed + same commands ⇒ same IDs, output, steps and digest; another seed differs.

use crate::{run_all, transcript};
use porthole_engine::Engine;

const SCRIPT: &[&str] = &[
    "docker run -d --name web busybox sleep 1000",
    "docker run --rm busybox echo hi",
    "docker run -d busybox sleep 3",
    "docker ps -a",
    "docker images",
    "docker stop web",
    "docker inspect web",
];

#[test]
fn same_seed_same_everything() {
    let mut a = Engine::sim(42);
    let mut b = Engine::sim(42);
    let oa = run_all(&mut a, SCRIPT);
    let ob = run_all(&mut b, SCRIPT);
    assert_eq!(oa, ob, "outputs, exit codes and steps");
    assert_eq!(a.digest(), b.digest());
    assert_eq!(a.snapshot(), b.snapshot());
}

#[test]
fn another_seed_other_ids() {
    let mut a = Engine::sim(1);
    let mut b = Engine::sim(2);
    let ta = transcript(&run_all(&mut a, SCRIPT));
    let tb = transcript(&run_all(&mut b, SCRIPT));
    assert_ne!(ta, tb);
    let ids_a: Vec<String> = a.containers().map(|c| c.id.clone()).collect();
    let ids_b: Vec<String> = b.containers().map(|c| c.id.clone()).collect();
    assert!(ids_a.iter().all(|id| !ids_b.contains(id)));
    assert_ne!(a.digest(), b.digest());
    // Image IDs are content digests, the same whatever the seed.
    let img = |e: &Engine<_>| e.images().map(|i| i.id.clone()).collect::<Vec<_>>();
    assert_eq!(img(&a), img(&b));
}

#[test]
fn generated_names_are_docker_style() {
    let mut e = Engine::sim(3);
    e.execute_next("docker run -d busybox sleep 100");
    let name = e.containers().next().unwrap().name.clone();
    let (l, r) = name.split_once('_').expect("adjective_surname");
    assert!(
        !l.is_empty() && !r.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
        "{name}"
    );
}
