//! CLI output of whole sessions, as snapshots, and behaviour checks on them.

use crate::{run_all, transcript};
use porthole_engine::Engine;

#[test]
fn a_first_session() {
    let mut e = Engine::sim(0);
    let out = run_all(
        &mut e,
        &[
            "docker run --rm busybox echo hello",
            "docker images",
            "docker run -d --name web busybox sleep 1000",
            "docker run busybox sh -c 'echo out; echo err >&2; exit 3'",
            "docker ps",
            "docker ps -a",
            "docker logs web",
            "docker stop web",
            "docker ps -a --format '{{.Names}} {{.Status}}'",
            "docker rm web",
            "docker ps -aq",
        ],
    );
    insta::assert_snapshot!(transcript(&out));
}

#[test]
fn run_outputs_and_exit_codes() {
    let mut e = Engine::sim(0);
    let o = e.execute_next("docker run --rm busybox echo hello");
    assert_eq!(o.stdout(), "hello\n");
    assert_eq!(o.exit_code, 0);
    assert!(o.stderr().starts_with(
        "Unable to find image 'busybox:latest' locally\nlatest: Pulling from library/busybox\n"
    ));
    // --rm left nothing behind.
    assert_eq!(e.containers().count(), 0);
    let o = e.execute_next("docker run busybox sh -c 'exit 3'");
    assert_eq!(o.exit_code, 3);
    let o = e.execute_next("docker run busybox false");
    assert_eq!(o.exit_code, 1);
    let o = e.execute_next("docker run -d busybox sleep 5");
    assert_eq!(o.stdout().trim().len(), 64, "-d prints the full ID");
}

#[test]
fn stop_of_a_pid1_that_ignores_sigterm_waits_ten_seconds_then_kills() {
    let mut e = Engine::sim(0);
    e.execute_next("docker run -d --name sleeper busybox sleep 1000");
    let before = e.now();
    let o = e.execute_next("docker stop sleeper");
    assert_eq!(o.stdout(), "sleeper\n");
    let waited = e.now().since(before) / 1_000_000_000;
    assert_eq!(waited, 1 + 10, "one second to type, ten of grace");
    let o = e.execute_next("docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' sleeper");
    assert_eq!(o.stdout(), "exited 137\n");
    assert!(e.containers().next().unwrap().logs.is_empty());
    // -t 0 does not wait.
    e.execute_next("docker run -d --name tt busybox sleep 1000");
    let before = e.now();
    e.execute_next("docker stop -t 0 tt");
    assert_eq!(e.now().since(before) / 1_000_000_000, 1);
}

#[test]
fn a_detached_sleep_exits_by_itself_as_virtual_time_passes() {
    let mut e = Engine::sim(0);
    e.execute_next("docker run -d --name nap busybox sleep 2");
    let o = e.execute_next("docker ps -a --format '{{.Status}}'");
    assert_eq!(o.stdout(), "Up 1 second\n");
    e.execute_next("docker ps");
    let o = e.execute_next("docker ps -a --format '{{.Status}}'");
    assert_eq!(o.stdout(), "Exited (0) 1 second ago\n");
    // The exit happened between commands: its steps come first in the next command.
    let o = e.execute_next("docker run -d --name nap2 busybox sleep 1");
    let o2 = e.execute_next("docker ps");
    assert!(
        o2.steps[0].action.contains("exited with status 0"),
        "{:?}",
        o2.steps[0]
    );
    assert_eq!(o.exit_code, 0);
}

#[test]
fn inspect_is_docker_shaped_json() {
    let mut e = Engine::sim(0);
    e.execute_next("docker run -d --name web --hostname h1 -e A=1 busybox sleep 1000");
    let o = e.execute_next("docker inspect web");
    let v: serde_json::Value = serde_json::from_str(&o.stdout()).expect("JSON");
    let c = &v[0];
    assert_eq!(c["Name"], "/web");
    assert_eq!(c["State"]["Status"], "running");
    assert_eq!(c["State"]["Running"], true);
    assert_eq!(c["Config"]["Hostname"], "h1");
    assert_eq!(c["Config"]["Cmd"], serde_json::json!(["sleep", "1000"]));
    assert!(c["Config"]["Env"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("A=1")));
    assert_eq!(c["Path"], "sleep");
    assert_eq!(c["GraphDriver"]["Name"], "overlay2");
    assert!(c["State"]["Pid"].as_u64().unwrap() > 1000);
    // Indented by four spaces, as the docker CLI prints it.
    assert!(o.stdout().starts_with("[\n    {\n        \"Id\": \""));
    let o = e.execute_next("docker inspect -f '{{.State.Pid}}' web");
    assert_eq!(o.stdout().trim(), c["State"]["Pid"].to_string());
    let o = e.execute_next("docker inspect busybox");
    let v: serde_json::Value = serde_json::from_str(&o.stdout()).expect("JSON");
    assert_eq!(v[0]["RepoTags"], serde_json::json!(["busybox:latest"]));
    assert_eq!(v[0]["RootFS"]["Layers"].as_array().unwrap().len(), 1);
}

#[test]
fn in_container_commands_answer_from_the_container() {
    let mut e = Engine::sim(0);
    let o = e.execute_next("docker run --rm --hostname box busybox hostname");
    assert_eq!(o.stdout(), "box\n");
    let o = e.execute_next("docker run --rm busybox cat /etc/hostname");
    assert_eq!(o.stdout().trim().len(), 12, "the short ID by default");
    let o = e.execute_next("docker run --rm -e GREETING=hi busybox sh -c 'echo $GREETING; true && echo and; false || echo or'");
    assert_eq!(o.stdout(), "hi\nand\nor\n");
    let o = e.execute_next("docker run --rm busybox cat /nope");
    assert_eq!(
        o.stderr(),
        "cat: can't open '/nope': No such file or directory\n"
    );
    assert_eq!(o.exit_code, 1);
    let o = e.execute_next("docker run --rm busybox nosuchcmd");
    assert_eq!(o.exit_code, 127);
    assert!(
        o.stderr()
            .contains("exec: \"nosuchcmd\": executable file not found in $PATH"),
        "{}",
        o.stderr()
    );
    assert_eq!(
        e.containers().count(),
        0,
        "--rm removes a container whose start failed"
    );
}

#[test]
fn a_tty_merges_streams_and_ends_lines_with_crlf() {
    let mut e = Engine::sim(0);
    let o = e.execute_next("docker run -t --name tt busybox sh -c 'echo out; echo err >&2'");
    assert_eq!(o.stdout(), "out\r\nerr\r\n");
    let o = e.execute_next("docker logs tt");
    assert_eq!(o.stdout(), "out\r\nerr\r\n");
    let o = e.execute_next("docker run --name nt busybox sh -c 'echo out; echo err >&2'");
    assert_eq!(
        (o.stdout().as_str(), o.stderr().contains("err\n")),
        ("out\n", true)
    );
}
