//! The container lifecycle (issue 4): create, start, stop/kill, pause, restart, wait,
//! rename, events, prune, restart policies, and Porthole's `wait DURATION`.

use crate::{run_all, transcript};
use porthole_engine::{Engine, SimKernel};

fn host() -> Engine<SimKernel> {
    let mut e = Engine::sim(0);
    assert_eq!(e.execute_next("docker pull busybox").exit_code, 0);
    e
}

/// Runs a failing command; checks its combined output, exit code, and that nothing changed.
fn fails(e: &mut Engine<SimKernel>, line: &str, out: &str, code: i32) {
    let before = e.digest();
    let o = e.execute_next(line);
    assert_eq!(o.combined(), out, "output of `{line}`");
    assert_eq!(o.exit_code, code, "exit code of `{line}`");
    assert_eq!(e.digest(), before, "`{line}` changed the state");
}

fn api_paths(o: &porthole_engine::CommandOutcome) -> Vec<String> {
    o.steps
        .iter()
        .filter_map(|s| s.http.as_ref())
        .map(|h| format!("{} {} {}", h.method, h.path, h.status))
        .collect()
}

#[test]
fn session() {
    let mut e = host();
    let o = run_all(
        &mut e,
        &[
            "docker create --name one busybox sh -c 'echo hi; exit 3'",
            "docker ps -a",
            "docker start one",
            "docker ps -a",
            "docker start -a one",
            "docker run -d --name retry --restart on-failure:3 busybox sh -c 'echo boom; exit 1'",
            "docker ps -a",
            "wait 5s",
            "docker ps -a",
            "docker inspect -f '{{.RestartCount}} {{json .HostConfig.RestartPolicy}} {{.State.Status}}' retry",
            "docker logs retry",
            "docker run -d --name sleepy busybox sleep 100",
            "docker pause sleepy",
            "docker ps",
            "docker exec sleepy ls",
            "docker pause sleepy",
            "docker unpause sleepy",
            "docker unpause sleepy",
            "docker stop -t 2 sleepy",
            "docker rename one uno",
            "docker wait uno retry sleepy",
            "docker events --since 0 --until 2026-01-05T09:00:30Z --filter container=uno",
            "docker container prune",
            "docker container prune -f",
        ],
    );
    insta::assert_snapshot!(transcript(&o));
}

#[test]
fn policies_signals_and_paused_containers() {
    let mut e = host();
    let o = run_all(
        &mut e,
        &[
            "docker run -d --name always --restart always busybox false",
            "docker ps",
            "docker stop always",
            "wait 10s",
            "docker ps -a",
            "docker run -d --name us --restart unless-stopped busybox sh -c 'sleep 2; exit 5'",
            "wait 3s",
            "docker ps -a",
            "docker kill us",
            "wait 10s",
            "docker ps -a",
            "docker start us",
            "docker inspect -f '{{.RestartCount}} {{.State.Status}}' us",
            "docker rm -f us always",
            "docker run -d --name pz busybox sleep 1000",
            "docker pause pz",
            "docker rm pz",
            "docker start pz",
            "docker kill -s TERM pz",
            "docker ps",
            "docker stop -t 3 pz",
            "docker restart -t 1 pz",
            "docker restart nosuch pz",
            "docker exec -d pz sleep 1",
            "docker exec pz echo hi",
            "wait 2s",
            "docker events --since 10s --until 0s",
            "docker events --since 1m --until 0s --format '{{.Action}} {{.Actor.Attributes.name}}' --filter type=container --filter event=restart",
            "docker create --stop-timeout 1 --stop-signal KILL --name st busybox sleep 10",
            "docker inspect -f '{{.Config.StopSignal}} {{.Config.StopTimeout}} {{json .HostConfig.RestartPolicy}}' st",
            "docker wait pz",
        ],
    );
    insta::assert_snapshot!(transcript(&o));
}

#[test]
fn errors_change_nothing() {
    let mut e = host();
    run_all(
        &mut e,
        &[
            "docker run -d --name web busybox sleep 1000",
            "docker create --name idle busybox true",
        ],
    );
    let hint = |v: &str| format!("\n\nRun 'docker {v} --help' for more information\n");
    fails(
        &mut e,
        "docker create --restart on-failure:x busybox",
        &format!(
            "docker: invalid restart policy format: maximum retry count must be an integer{}",
            hint("create")
        ),
        125,
    );
    fails(
        &mut e,
        "docker run --restart :3 busybox",
        &format!(
            "docker: invalid restart policy format: no policy provided before colon{}",
            hint("run")
        ),
        125,
    );
    fails(
        &mut e,
        "docker create --rm --restart always busybox",
        &format!(
            "docker: conflicting options: cannot specify both --restart and --rm{}",
            hint("create")
        ),
        125,
    );
    fails(&mut e, "docker create --restart foo busybox", &format!("docker: Error response from daemon: invalid restart policy: unknown policy 'foo'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'{}", hint("create")), 125);
    fails(&mut e, "docker run --restart always:3 busybox", &format!("docker: Error response from daemon: invalid restart policy: maximum retry count can only be used with 'on-failure'{}", hint("run")), 125);
    fails(&mut e, "docker create --restart on-failure:-1 busybox", &format!("docker: Error response from daemon: invalid restart policy: maximum retry count cannot be negative{}", hint("create")), 125);
    fails(&mut e, "docker create --restart foo nosuchimage", &format!("docker: Error response from daemon: invalid restart policy: unknown policy 'foo'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'{}", hint("create")), 125);
    fails(&mut e, "docker create --stop-timeout abc busybox", "invalid argument \"abc\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\n\nUsage:  docker create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker create --help' for more information\n", 125);
    fails(&mut e, "docker start nosuch", "Error response from daemon: No such container: nosuch\nError: failed to start containers: nosuch\n", 1);
    let idle = e
        .containers()
        .find(|c| c.name == "idle")
        .map(|c| c.id.clone())
        .unwrap_or_default();
    fails(
        &mut e,
        "docker pause idle",
        &format!("Error response from daemon: container {idle} is not running\n"),
        1,
    );
    let web = e
        .containers()
        .find(|c| c.name == "web")
        .map(|c| c.id.clone())
        .unwrap_or_default();
    fails(
        &mut e,
        "docker unpause web",
        &format!("Error response from daemon: Container {web} is not paused\n"),
        1,
    );
    fails(&mut e, "docker rename web idle", &format!("Error response from daemon: Error when allocating new name: Conflict. The container name \"/idle\" is already in use by container \"{idle}\". You have to remove (or rename) that container to be able to reuse that name.\nError: failed to rename container named web\n"), 1);
    fails(&mut e, "docker rename web web", "Error response from daemon: Renaming a container with the same name as its current name\nError: failed to rename container named web\n", 1);
    fails(&mut e, "docker rename web 'a b'", "Error response from daemon: Error when allocating new name: Invalid container name (/a b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed\nError: failed to rename container named web\n", 1);
    fails(&mut e, "docker rename nosuch x2", "Error response from daemon: No such container: nosuch\nError: failed to rename container named nosuch\n", 1);
    fails(
        &mut e,
        "docker wait nosuch",
        "Error response from daemon: No such container: nosuch\n",
        1,
    );
    fails(
        &mut e,
        "docker restart nosuch",
        "Error response from daemon: No such container: nosuch\n",
        1,
    );
    fails(
        &mut e,
        "docker events --since xyz",
        "failed to parse value as time or duration: \"xyz\"\n",
        1,
    );
    fails(&mut e, "docker events --filter foo", "invalid argument \"foo\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n\nUsage:  docker events [OPTIONS]\n\nRun 'docker events --help' for more information\n", 125);
    fails(
        &mut e,
        "docker container prune -f --filter foo=bar",
        "Error response from daemon: invalid filter 'foo'\n",
        1,
    );
    fails(
        &mut e,
        "docker start -a web idle",
        "you cannot start and attach multiple containers at once\n",
        1,
    );
    fails(&mut e, "wait 3x", "porthole: wait: invalid duration \"3x\"\nporthole: usage: wait DURATION (e.g. wait 30s, wait 2m, wait 500ms, wait 1h)\n", 2);
    // Paused: exec, rm and start are refused.
    assert_eq!(e.execute_next("docker pause web").exit_code, 0);
    fails(
        &mut e,
        "docker exec web ls",
        "Error response from daemon: Container web is paused, unpause the container before exec\n",
        1,
    );
    fails(&mut e, "docker rm web", "Error response from daemon: cannot remove container \"/web\": container is paused and must be unpaused first\n", 1);
    fails(&mut e, "docker start web", "Error response from daemon: cannot start a paused container, try unpause instead\nError: failed to start containers: web\n", 1);
    fails(
        &mut e,
        "docker pause web",
        &format!("Error response from daemon: Container {web} is already paused\n"),
        1,
    );
}

#[test]
fn requests_as_the_cli_sends_them() {
    let mut e = host();
    let o = run_all(
        &mut e,
        &[
            "docker create --name one busybox sleep 100",
            "docker start one",
            "docker pause one",
            "docker unpause one",
            "docker restart -s KILL -t 3 one",
            "docker stop -s INT -t 1 one",
            "docker rename one two",
            "docker wait two",
            "docker create --name fg busybox sh -c 'sleep 5; exit 4'",
            "docker start -a fg",
            "docker events --since 2026-01-05 --until 2026-01-05T09:00:05 --filter container=two --filter type=container",
            "docker container prune -f --filter until=1h",
        ],
    );
    let all: Vec<String> = o.iter().flat_map(api_paths).collect();
    insta::assert_snapshot!(all.join("\n"));
}

#[test]
fn prune_without_force_asks_and_sends_nothing() {
    let mut e = host();
    e.execute_next("docker create busybox true");
    let before = e.digest();
    let o = e.execute_next("docker container prune");
    assert_eq!(o.stdout(), "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] \n");
    assert_eq!(o.exit_code, 0);
    assert!(api_paths(&o).is_empty());
    assert_eq!(e.digest(), before);
}

#[test]
fn wait_on_a_container_that_never_exits_returns_with_a_note() {
    let mut e = host();
    e.execute_next("docker run -d --name forever busybox sleep infinity");
    let o = e.execute_next("docker wait forever");
    assert_eq!(o.exit_code, 1);
    assert!(
        o.stderr()
            .starts_with("porthole: docker wait: forever is still running"),
        "{}",
        o.stderr()
    );
    // A container that exits later: wait lets virtual time pass until then.
    e.execute_next("docker run -d --name later busybox sh -c 'sleep 30; exit 7'");
    let t0 = e.now();
    let o = e.execute_next("docker wait later");
    assert_eq!((o.stdout().as_str(), o.exit_code), ("7\n", 0));
    assert!(e.now().since(t0) >= 30_000_000_000);
}

#[test]
fn wait_duration_lets_time_pass() {
    let mut e = host();
    e.execute_next("docker run -d --name slow busybox sh -c 'sleep 60; echo done'");
    let t0 = e.now();
    let o = e.execute_next("wait 2m");
    assert_eq!((o.combined().as_str(), o.exit_code), ("", 0));
    assert_eq!(e.now().since(t0), 121_000_000_000);
    let last = o.steps.last().map(|s| s.action.clone()).unwrap_or_default();
    assert!(last.starts_with("2m0s of virtual time passed"), "{last}");
    assert!(last.contains("1 die"), "{last}");
    for d in ["500ms", "30s", "1h", "10"] {
        assert_eq!(
            e.execute_next(&format!("wait {d}")).exit_code,
            0,
            "wait {d}"
        );
    }
}
