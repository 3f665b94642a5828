//! A container is a process: PID 1 inside, an ordinary PID outside (issue 4's first slice).

use porthole_engine::Engine;

fn web() -> Engine<porthole_engine::SimKernel> {
    let mut e = Engine::sim(0);
    assert_eq!(
        e.execute_next("docker run -d --name web busybox sleep 1000")
            .exit_code,
        0
    );
    e
}

#[test]
fn pid_1_inside_another_pid_outside() {
    let mut e = web();
    let o = e.execute_next("docker exec web ps");
    assert_eq!(
        o.stdout(),
        "PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 1000\n    2 root      0:00 ps\n"
    );
    let host_pid = e
        .execute_next("docker inspect -f '{{.State.Pid}}' web")
        .stdout()
        .trim()
        .to_string();
    let top = e.execute_next("docker top web").stdout();
    let lines: Vec<&str> = top.lines().collect();
    assert!(
        lines[0].starts_with("UID                 PID                 PPID"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines.len(),
        2,
        "the exec'd ps has exited: only PID 1 is left\n{top}"
    );
    let cols: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(cols[1], host_pid, "docker top shows the host PID");
    assert!(host_pid.parse::<u32>().unwrap() > 1000);
    assert_eq!(cols[7..].join(" "), "sleep 1000");
}

#[test]
fn exec_runs_in_the_containers_namespaces_and_keeps_its_own_exit_code() {
    let mut e = web();
    let o = e.execute_next("docker exec web sh -c 'echo from inside; hostname; exit 4'");
    let id = e.containers().next().unwrap().id.clone();
    assert_eq!(o.stdout(), format!("from inside\n{}\n", &id[..12]));
    assert_eq!(o.exit_code, 4);
    let o = e.execute_next("docker logs web");
    assert_eq!(
        o.stdout(),
        "",
        "exec output goes to the exec's client, not the container's log"
    );
    let o = e.execute_next("docker ps --format '{{.Names}} {{.Status}}'");
    assert_eq!(
        o.stdout(),
        "web Up 3 seconds\n",
        "the container keeps running"
    );
    let o = e.execute_next("docker exec web nosuch");
    assert_eq!(
        o.stderr(),
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH: unknown\n"
    );
    assert_eq!(o.exit_code, 126);
}

#[test]
fn an_exec_d_process_dies_with_the_containers_init() {
    let mut e = web();
    assert_eq!(e.execute_next("docker exec -d web sleep 500").exit_code, 0);
    let o = e.execute_next("docker top web");
    assert_eq!(
        o.stdout().lines().count(),
        3,
        "PID 1 and the exec'd sleep\n{}",
        o.stdout()
    );
    let id = e.containers().next().unwrap().id.clone();
    let in_container = |e: &Engine<_>| {
        e.snapshot()
            .kernel
            .processes
            .iter()
            .filter(|p| p.container.as_deref() == Some(id.as_str()))
            .count()
    };
    assert_eq!(in_container(&e), 2);
    e.execute_next("docker kill web");
    assert_eq!(
        in_container(&e),
        0,
        "the kernel kills the rest of a PID namespace when its init dies"
    );
    assert!(
        e.snapshot()
            .kernel
            .processes
            .iter()
            .all(|p| !p.argv.iter().any(|a| a.contains(&id))),
        "the shim is gone too"
    );
}

#[test]
fn exec_and_top_need_a_running_container() {
    let mut e = web();
    e.execute_next("docker stop -t 0 web");
    let id = e.containers().next().unwrap().id.clone();
    let before = e.digest();
    let o = e.execute_next("docker exec web ls");
    assert_eq!(
        o.stderr(),
        format!("Error response from daemon: container {id} is not running\n")
    );
    assert_eq!(o.exit_code, 1);
    let o = e.execute_next("docker top web");
    assert_eq!(
        o.stderr(),
        format!("Error response from daemon: container {id} is not running\n")
    );
    let o = e.execute_next("docker exec nope ls");
    assert_eq!(
        o.stderr(),
        "Error response from daemon: No such container: nope\n"
    );
    assert_eq!(e.digest(), before, "failed execs change nothing");
}

#[test]
fn namespaces_seen_from_inside_match_the_trace() {
    let mut e = web();
    let run_trace: Vec<String> = {
        let mut e2 = Engine::sim(0);
        e2.execute_next("docker run -d --name web busybox sleep 1000")
            .steps
            .iter()
            .map(|s| s.action.clone())
            .collect()
    };
    let clone = run_trace
        .iter()
        .find(|a| a.starts_with("clone("))
        .expect("a clone step")
        .clone();
    let pid_ns = e
        .execute_next("docker exec web readlink /proc/self/ns/pid")
        .stdout();
    assert!(
        pid_ns.starts_with("pid:[") && clone.contains(pid_ns.trim()),
        "{pid_ns} in {clone}"
    );
    let ls = e
        .execute_next("docker exec web ls -l /proc/self/ns")
        .stdout();
    let names: Vec<&str> = ls
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(8).unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "cgroup",
            "ipc",
            "mnt",
            "net",
            "pid",
            "pid_for_children",
            "time",
            "time_for_children",
            "user",
            "uts"
        ]
    );
    assert!(
        ls.contains("user -> user:[4026531837]"),
        "the user namespace is the host's:\n{ls}"
    );
    assert_eq!(
        e.execute_next("docker exec web cat /proc/self/cgroup")
            .stdout(),
        "0::/\n"
    );
    let status = e
        .execute_next("docker exec web cat /proc/1/status")
        .stdout();
    assert!(
        status.starts_with("Name:\tsleep\n")
            && status.contains("\nPid:\t1\n")
            && status.contains("\nNSpid:\t1\n"),
        "{status}"
    );
    // Two containers: different namespaces, the same kernel.
    e.execute_next("docker run -d --name other busybox sleep 1000");
    let other = e
        .execute_next("docker exec other readlink /proc/self/ns/pid")
        .stdout();
    assert_ne!(other, pid_ns);
    let k1 = e.execute_next("docker exec web uname -r").stdout();
    let k2 = e.execute_next("docker exec other uname -r").stdout();
    assert_eq!(k1, k2);
}
