//! The view from the host (issue 4, "Containers are processes"): `host ps`, `host lsns`,
//! `host ls -l /proc/PID/ns`, /proc/PID/{status,cgroup}, /sys/fs/cgroup, mounts.

use crate::{run_all, transcript};
use porthole_engine::{Component, Engine, SimKernel};

fn engine_with(image_cmd: &str) -> (Engine<SimKernel>, String, u32) {
    let mut e = Engine::sim(0);
    let o = e.execute_next(&format!("docker run -d --name web {image_cmd}"));
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    let id = e.containers().next().unwrap().id.clone();
    let pid: u32 = e
        .execute_next("docker inspect -f '{{.State.Pid}}' web")
        .stdout()
        .trim()
        .parse()
        .unwrap();
    (e, id, pid)
}

/// `ps -ef` rows as (PID, PPID, CMD).
fn ps_ef_rows(out: &str) -> Vec<(u32, u32, String)> {
    out.lines()
        .skip(1)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (
                cols[1].parse().unwrap(),
                cols[2].parse().unwrap(),
                cols[7..].join(" "),
            )
        })
        .collect()
}

#[test]
fn host_ps_shows_the_containers_processes_by_host_pid() {
    let (mut e, id, pid) = engine_with("nginx");
    assert_eq!(e.execute_next("docker exec -d web sleep 500").exit_code, 0);
    let top = e.execute_next("docker top web").stdout();
    let top_pids: Vec<u32> = top
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(top_pids.len(), 2, "{top}");
    assert_eq!(top_pids[0], pid);

    let o = e.execute_next("host ps -ef");
    assert_eq!(o.exit_code, 0);
    let rows = ps_ef_rows(&o.stdout());
    for p in &top_pids {
        assert!(
            rows.iter().any(|r| r.0 == *p),
            "docker top's PID {p} is in host ps -ef\n{}",
            o.stdout()
        );
    }
    // The container's PID 1 is a child of its containerd-shim-runc-v2, which names it.
    let init = rows.iter().find(|r| r.0 == pid).unwrap();
    assert_eq!(init.2, "/docker-entrypoint.sh nginx -g daemon off;");
    let shim = rows.iter().find(|r| r.0 == init.1).unwrap();
    assert!(
        shim.2.starts_with(&format!(
            "/usr/bin/containerd-shim-runc-v2 -namespace moby -id {id}"
        )),
        "{}",
        shim.2
    );
    assert_eq!(shim.1, 1, "the shim is reparented to systemd");
    // The exec'd process has the same parent: the shim.
    let exec = rows.iter().find(|r| r.0 == top_pids[1]).unwrap();
    assert_eq!((exec.1, exec.2.as_str()), (shim.0, "sleep 500"));
    insta::assert_snapshot!("ps_ef", o.stdout());

    // One kernel step, naming the container's host PIDs.
    assert_eq!(o.steps.len(), 1);
    assert_eq!(o.steps[0].component, Component::Kernel);
    assert!(
        o.steps[0].action.contains(&format!(
            "container web's are host PIDs {pid}, {}",
            top_pids[1]
        )),
        "{}",
        o.steps[0].action
    );

    let o = e.execute_next("host ps -e -o pid,ppid,pidns,comm");
    let line = o
        .stdout()
        .lines()
        .find(|l| l.split_whitespace().next() == Some(&pid.to_string()))
        .unwrap()
        .to_string();
    assert_eq!(
        line,
        format!("   {pid}    {} 4026532163 docker-entrypoi", shim.0)
    );
}

#[test]
fn host_tables_as_procps_and_util_linux_print_them() {
    let (mut e, _, pid) = engine_with("nginx");
    let lines = [
        "host ps aux".to_string(),
        "host ps".to_string(),
        "host pstree -p".to_string(),
        "host lsns".to_string(),
        "host lsns -t pid".to_string(),
        format!("host lsns -p {pid}"),
        format!("host ls -l /proc/{pid}/ns"),
        format!("host ls /proc/{pid}/ns"),
        format!("host cat /proc/{pid}/status"),
        "host mount -t overlay".to_string(),
        format!("host findmnt -N {pid}"),
        "host free -h".to_string(),
        "host free -m".to_string(),
        "host uname -a".to_string(),
        "host dmesg".to_string(),
        "host ps -ef | grep nginx".to_string(),
        format!("host nsenter -t {pid} -a ps -ef"),
        format!("host nsenter -t {pid} -u hostname"),
    ];
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let out = run_all(&mut e, &refs);
    insta::assert_snapshot!("host_session", transcript(&out));
}

/// `lsns` rows as (NS, TYPE, NPROCS, PID, COMMAND).
fn lsns_rows(out: &str) -> Vec<(u64, String, usize, u32, String)> {
    out.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            (
                c[0].parse().unwrap(),
                c[1].to_string(),
                c[2].parse().unwrap(),
                c[3].parse().unwrap(),
                c[5..].join(" "),
            )
        })
        .collect()
}

#[test]
fn lsns_shows_the_containers_new_namespaces_and_the_shared_ones() {
    let (mut e, _, pid) = engine_with("busybox sleep 1000");
    let o = e.execute_next("host lsns");
    assert_eq!(o.exit_code, 0);
    assert!(o
        .stdout()
        .starts_with("        NS TYPE   NPROCS   PID USER COMMAND\n"));
    let rows = lsns_rows(&o.stdout());
    let nprocs = ps_ef_rows(&e.execute_next("host ps -ef").stdout()).len();
    // The container's own: a row each, with its PID 1 as the lowest PID.
    for t in ["mnt", "uts", "ipc", "pid", "net", "cgroup"] {
        let own: Vec<_> = rows.iter().filter(|r| r.1 == t && r.3 == pid).collect();
        assert_eq!(own.len(), 1, "{t}\n{}", o.stdout());
        assert_eq!(own[0].2, 1);
        assert_eq!(own[0].4, "sleep 1000");
        assert!(own[0].0 >= 4026532160, "a new namespace: {}", own[0].0);
        // And the host's namespace of that type does not count it.
        let host = rows.iter().find(|r| r.1 == t && r.3 == 1).unwrap();
        assert_eq!(host.2, nprocs - 1);
    }
    // user and time: the host's, with every process in them.
    for (t, inode) in [("user", 4026531837u64), ("time", 4026531834)] {
        let r: Vec<_> = rows.iter().filter(|r| r.1 == t).collect();
        assert_eq!(r.len(), 1, "{t}: only the host's");
        assert_eq!((r[0].0, r[0].2, r[0].3), (inode, nprocs, 1));
    }
    assert!(
        o.steps[0]
            .action
            .contains("container web has its own mnt 4026532160 (1 process, lowest host PID"),
        "{}",
        o.steps[0].action
    );

    // A second process in the container counts in its namespaces.
    e.execute_next("docker exec -d web sleep 500");
    let o = e.execute_next(&format!("host lsns -t pid -p {pid}"));
    assert_eq!(
        o.stdout(),
        format!("        NS TYPE  NPROCS   PID USER COMMAND\n4026532163 pid        2  {pid} root sleep 1000\n")
    );
}

#[test]
fn proc_ns_inodes_are_the_ones_the_container_sees_inside() {
    let (mut e, _, pid) = engine_with("busybox sleep 1000");
    let inside = e.execute_next("docker exec web readlink /proc/1/ns/pid");
    let outside = e.execute_next(&format!("host readlink /proc/{pid}/ns/pid"));
    assert_eq!(outside.exit_code, 0);
    assert_eq!(outside.stdout(), inside.stdout());
    assert_eq!(outside.stdout(), "pid:[4026532163]\n");
    assert!(
        outside.steps[0].action.contains("PID 1 of container web"),
        "{}",
        outside.steps[0].action
    );

    // Every link: `ls -l` outside quotes the targets (GNU ls on a terminal), BusyBox's
    // inside does not; the inodes are the same.
    let targets = |s: &str| -> Vec<(String, String)> {
        s.lines()
            .skip(1)
            .map(|l| {
                let (left, target) = l.split_once(" -> ").unwrap();
                (
                    left.rsplit(' ').next().unwrap().to_string(),
                    target.trim_matches('\'').to_string(),
                )
            })
            .collect()
    };
    let inside = e.execute_next("docker exec web ls -l /proc/1/ns").stdout();
    let o = e.execute_next(&format!("host ls -l /proc/{pid}/ns"));
    assert_eq!(targets(&o.stdout()), targets(&inside));
    assert!(o
        .stdout()
        .contains("lrwxrwxrwx 1 root root 0 Jan  5 09:00 pid -> 'pid:[4026532163]'\n"));
    assert!(o.stdout().starts_with("total 0\n"));

    // The user namespace is the host's: the same inode as PID 1 of the host.
    let host_user = e.execute_next("host readlink /proc/1/ns/user").stdout();
    let web_user = e
        .execute_next(&format!("host readlink /proc/{pid}/ns/user"))
        .stdout();
    assert_eq!(host_user, web_user);
    assert_eq!(host_user, "user:[4026531837]\n");
    let o = e.execute_next(&format!("host cat /proc/{pid}/uid_map"));
    assert_eq!(o.stdout(), "         0          0 4294967295\n");

    // /proc/PID/status: the PID in each namespace.
    let o = e.execute_next(&format!("host cat /proc/{pid}/status"));
    assert!(
        o.stdout().contains(&format!("\nNSpid:\t{pid}\t1\n")),
        "{}",
        o.stdout()
    );
    assert!(o.stdout().contains(&format!("\nNSpgid:\t{pid}\t1\n")));
    assert!(o.stdout().starts_with("Name:\tsleep\n"));
    let o = e.execute_next("host cat /proc/1/status");
    assert!(o.stdout().contains("\nNSpid:\t1\n"));
}

#[test]
fn cgroup_paths_agree_between_proc_and_sys_fs_cgroup() {
    let (mut e, id, pid) = engine_with("busybox sleep 1000");
    let o = e.execute_next(&format!("host cat /proc/{pid}/cgroup"));
    assert_eq!(o.stdout(), format!("0::/system.slice/docker-{id}.scope\n"));
    let o = e.execute_next("host ls -1 /sys/fs/cgroup/system.slice");
    assert!(
        o.stdout()
            .lines()
            .any(|l| l == format!("docker-{id}.scope")),
        "{}",
        o.stdout()
    );
    let o = e.execute_next(&format!(
        "host cat /sys/fs/cgroup/system.slice/docker-{id}.scope/cgroup.procs"
    ));
    assert_eq!(o.exit_code, 0);
    assert_eq!(o.stdout(), format!("{pid}\n"));
    assert!(o.steps[0].action.contains("container web's cgroup"));
    let o = e.execute_next(&format!(
        "host ls /sys/fs/cgroup/system.slice/docker-{id}.scope"
    ));
    assert!(o.stdout().contains("cgroup.procs"), "{}", o.stdout());
    // The host's own processes are elsewhere in the same tree.
    let o = e.execute_next("host cat /proc/701/cgroup");
    assert_eq!(o.stdout(), "0::/system.slice/docker.service\n");
    let o = e.execute_next("host cat /sys/fs/cgroup/system.slice/nosuch.scope/cgroup.procs");
    assert_eq!(
        o.stderr(),
        "cat: /sys/fs/cgroup/system.slice/nosuch.scope/cgroup.procs: No such file or directory\n"
    );
    assert_eq!(o.exit_code, 1);
}

#[test]
fn the_root_overlay_is_a_host_mount_at_the_merged_dir() {
    let (mut e, _, pid) = engine_with("busybox sleep 1000");
    let merged = e
        .execute_next("docker inspect -f '{{.GraphDriver.Data.MergedDir}}' web")
        .stdout()
        .trim()
        .to_string();
    let o = e.execute_next("host mount -t overlay");
    assert_eq!(o.stdout().lines().count(), 1, "{}", o.stdout());
    assert!(
        o.stdout().starts_with(&format!(
            "overlay on {merged} type overlay (rw,relatime,lowerdir="
        )),
        "{}",
        o.stdout()
    );
    // In the container's mount namespace the same overlay is `/`.
    let o = e.execute_next(&format!("host findmnt -N {pid} -n -t overlay"));
    assert!(o
        .stdout()
        .starts_with("/ overlay overlay rw,relatime,lowerdir="));
    e.execute_next("docker stop -t 0 web");
    let o = e.execute_next("host mount -t overlay");
    assert_eq!(o.stdout(), "", "unmounted when the container stopped");
}

#[test]
fn nsenter_sees_what_the_namespaces_entered_show() {
    let (mut e, id, pid) = engine_with("busybox sleep 1000");
    let o = e.execute_next(&format!("host nsenter -t {pid} -u hostname"));
    assert_eq!(o.stdout(), format!("{}\n", &id[..12]));
    let o = e.execute_next(&format!("host nsenter -t {pid} -m -p ps -e -o pid,comm"));
    assert_eq!(o.stdout(), "    PID COMMAND\n      1 sleep\n      2 ps\n");
    let o = e.execute_next(&format!(
        "host nsenter -t {pid} -p readlink /proc/self/ns/pid"
    ));
    assert_eq!(
        o.stdout(),
        "pid:[4026532163]\n",
        "nsenter -p forks: the child (readlink) is in the container's PID namespace"
    );
    let o = e.execute_next(&format!(
        "host nsenter -t {pid} -p readlink /proc/self/ns/mnt"
    ));
    assert_eq!(
        o.stdout(),
        "mnt:[4026531841]\n",
        "-p alone leaves the mount namespace"
    );
    let o = e.execute_next(&format!(
        "host nsenter -t {pid} -a readlink /proc/self/ns/mnt"
    ));
    assert_eq!(o.stdout(), "mnt:[4026532160]\n");
}

#[test]
fn errors_exit_as_bash_and_the_tools_do() {
    let (mut e, _, _) = engine_with("busybox sleep 1000");
    let before = e.digest();
    let o = e.execute_next("host foo --bar");
    assert_eq!(o.stderr(), "bash: foo: command not found\n");
    assert_eq!(o.exit_code, 127);
    let o = e.execute_next("host ls -l /proc/99999/ns");
    assert_eq!(
        o.stderr(),
        "ls: cannot access '/proc/99999/ns': No such file or directory\n"
    );
    assert_eq!(o.exit_code, 2);
    let o = e.execute_next("host cat /proc/99999/status");
    assert_eq!(
        o.stderr(),
        "cat: /proc/99999/status: No such file or directory\n"
    );
    assert_eq!(o.exit_code, 1);
    let o = e.execute_next("host readlink /proc/99999/ns/pid");
    assert_eq!((o.stdout().as_str(), o.exit_code), ("", 1));
    let o = e.execute_next("host lsns -t foo");
    assert_eq!(o.stderr(), "lsns: unknown namespace type: foo\n");
    assert_eq!(o.exit_code, 1);
    let o = e.execute_next("host ps -o pid,foo");
    assert!(o
        .stderr()
        .starts_with("error: unknown user-defined format specifier \"foo\"\n"));
    assert_eq!(o.exit_code, 1);
    let o = e.execute_next("host ps -ef | grep nosuch");
    assert_eq!((o.stdout().as_str(), o.exit_code), ("", 1));
    assert_eq!(e.digest(), before, "looking from the host changes nothing");
}

#[test]
fn every_host_command_adds_one_kernel_step() {
    let (mut e, _, pid) = engine_with("busybox sleep 1000");
    for line in [
        "host ps -ef".to_string(),
        "host lsns".to_string(),
        format!("host ls -l /proc/{pid}/ns"),
        format!("host cat /proc/{pid}/cgroup"),
        "host mount".to_string(),
        "host findmnt".to_string(),
        "host dmesg".to_string(),
        "host free -h".to_string(),
        "host cat /proc/meminfo".to_string(),
        "host hostname".to_string(),
        "host uname -a".to_string(),
        "host nproc".to_string(),
        "host id".to_string(),
        "host whoami".to_string(),
        "host help".to_string(),
        "host pstree -p".to_string(),
        "host nosuch".to_string(),
    ] {
        let o = e.execute_next(&line);
        assert_eq!(o.steps.len(), 1, "{line}: {:?}", o.steps);
        assert_eq!(o.steps[0].component, Component::Kernel, "{line}");
        assert!(!o.steps[0].action.is_empty(), "{line}");
    }
    let o = e.execute_next(&format!("host ls -l /proc/{pid}/ns"));
    assert_eq!(
        o.steps[0].action,
        format!("read /proc/{pid}/ns: PID 1 of container web (host PID {pid}): new mnt, uts, ipc, pid, net, cgroup namespaces; user shared with the host")
    );
    let o = e.execute_next("host ls -l /proc/1/ns");
    assert_eq!(
        o.steps[0].action,
        "read /proc/1/ns: the host's systemd: the host's own namespaces, the same inodes as PID 1 (systemd)"
    );
}
