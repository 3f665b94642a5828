//! The container lifecycle (issue 4): create, start, stop/kill, pause, restart, wait,
//! rename, events, prune, restart policies, and `wait DURATION`.

use crate::{run_all, transcript};
use porthole_engine::Engine;

#[test]
fn scratch() {
    let mut e = Engine::sim(0);
    let o = run_all(
        &mut e,
        &[
            "docker pull busybox",
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
            "docker events --since 0 --until 2026-01-05T10:00:00Z",
            "docker container prune",
            "docker container prune -f",
        ],
    );
    println!("{}", transcript(&o));
}
