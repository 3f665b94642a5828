//! The `docker run` trace: the steps, in order, through every component.

use porthole_engine::{Component, Engine};

fn trace_lines(engine: &mut Engine<porthole_engine::SimKernel>, line: &str) -> String {
    let o = engine.execute_next(line);
    o.steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{:>2}. {s}\n", i + 1))
        .collect()
}

#[test]
fn docker_run_trace_with_pull_and_rm() {
    let mut e = Engine::sim(0);
    insta::assert_snapshot!(trace_lines(&mut e, "docker run --rm busybox echo hello"));
}

#[test]
fn docker_run_detached_trace_after_pull() {
    let mut e = Engine::sim(0);
    e.execute_next("docker pull busybox");
    insta::assert_snapshot!(trace_lines(
        &mut e,
        "docker run -d --name web busybox sleep 1000"
    ));
}

#[test]
fn run_passes_through_every_component_in_order() {
    let mut e = Engine::sim(0);
    let o = e.execute_next("docker run --rm busybox echo hello");
    let first = |c: Component| {
        o.steps
            .iter()
            .position(|s| s.component == c)
            .unwrap_or_else(|| panic!("no {c} step"))
    };
    assert_eq!(first(Component::Cli), 0);
    assert!(first(Component::Api) < first(Component::Registry));
    assert!(first(Component::Registry) < first(Component::Containerd));
    assert!(first(Component::Containerd) < first(Component::Shim));
    assert!(first(Component::Shim) < first(Component::Runc));
    // The kernel unpacked the layer during the pull, then cloned and exec'd.
    let actions: Vec<&str> = o.steps.iter().map(|s| s.action.as_str()).collect();
    let pos = |needle: &str| {
        actions
            .iter()
            .position(|a| a.contains(needle))
            .unwrap_or_else(|| panic!("no step with {needle:?}"))
    };
    assert!(pos("created container") < pos("overlay2: mount -t overlay"));
    assert!(pos("overlay2: mount -t overlay") < pos("clone(CLONE_NEWNS"));
    assert!(pos("created cgroup") < pos("clone(CLONE_NEWNS"));
    assert!(pos("clone(CLONE_NEWNS") < pos("pivot_root"));
    assert!(pos("pivot_root") < pos("sethostname"));
    assert!(pos("sethostname") < pos("execve"));
    assert!(pos("execve") < pos("wrote to stdout"));
    assert!(pos("wrote to stdout") < pos("exited with status 0"));
    assert!(pos("exited with status 0") < pos("removed container"));
    // Every step explains itself.
    assert!(o
        .steps
        .iter()
        .all(|s| !s.action.is_empty() && !s.why.is_empty()));
    // The API steps carry their HTTP exchange, version-prefixed as the CLI sends it.
    let api: Vec<_> = o.steps.iter().filter_map(|s| s.http.as_ref()).collect();
    assert!(api.iter().all(|h| h.path.starts_with("/v1.47/")));
    assert_eq!(api[0].status, 404, "first create finds no image");
}

#[test]
fn recording_gives_a_snapshot_per_step_and_the_container_appears_when_created() {
    let mut e = Engine::sim(0);
    e.set_recording(true);
    let o = e.execute_next("docker run -d --name web busybox sleep 1000");
    assert_eq!(o.snapshots.len(), o.steps.len() + 1);
    assert!(o.snapshots[0].containers.is_empty());
    let created = o
        .steps
        .iter()
        .position(|s| s.action.starts_with("created container"))
        .expect("create step");
    // The container appears exactly at the step that explains it.
    assert!(o.snapshots[created].containers.is_empty());
    assert_eq!(o.snapshots[created + 1].containers.len(), 1);
    let last = o.snapshots.last().unwrap();
    assert_eq!(last.containers[0].name, "web");
    assert_eq!(format!("{:?}", last.containers[0].status), "Running");
    assert!(last
        .kernel
        .processes
        .iter()
        .any(|p| p.container.as_deref() == Some(last.containers[0].id.as_str()) && p.ns_pid == 1));
}
