//! cgroup limits (run flags, docker update, docker stats) and namespace modes.

use porthole_engine::{Engine, Kernel, SimConfig, SimKernel};

fn engine() -> Engine<SimKernel> {
    let mut e = Engine::sim(7);
    assert_eq!(e.execute_next("docker pull -q busybox").exit_code, 0);
    e
}

/// Runs `line`, expects it to fail with `code` and `stderr`, and the state unchanged.
fn refused(e: &mut Engine<SimKernel>, line: &str, code: i32, stderr: &str) {
    let before = e.digest();
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, code, "{line}: {}", o.combined());
    assert_eq!(o.stderr(), stderr, "{line}");
    assert_eq!(e.digest(), before, "{line} changed the state");
}

const RUN_USAGE: &str =
    "\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n";

#[test]
fn flag_values_are_parsed_as_the_cli_parses_them() {
    let mut e = engine();
    for (flags, msg) in [
        ("-m 12x", "invalid argument \"12x\" for \"-m, --memory\" flag: invalid suffix: 'x'"),
        ("--memory -5", "invalid argument \"-5\" for \"-m, --memory\" flag: invalid size: '-5'"),
        ("--memory-swap 1x", "invalid argument \"1x\" for \"--memory-swap\" flag: invalid suffix: 'x'"),
        ("--cpus abc", "invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number"),
        ("--cpus 1.2345678901", "invalid argument \"1.2345678901\" for \"--cpus\" flag: value is too precise"),
        ("--cpu-shares x", "invalid argument \"x\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"),
        ("--pids-limit x", "invalid argument \"x\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"),
        ("--blkio-weight 70000", "invalid argument \"70000\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"70000\": value out of range"),
        ("--oom-kill-disable=maybe", "invalid argument \"maybe\" for \"--oom-kill-disable\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"),
    ] {
        refused(
            &mut e,
            &format!("docker run --rm {flags} busybox true"),
            125,
            &format!("{msg}{RUN_USAGE}"),
        );
    }
}

#[test]
fn dockerd_refuses_limits_it_cannot_honour() {
    let mut e = engine();
    let hint = "\n\nRun 'docker run --help' for more information\n";
    for (flags, msg) in [
        ("--memory 4m", "Minimum memory limit allowed is 6MB"),
        (
            "--memory 100m --memory-swap 50m",
            "Minimum memoryswap limit should be larger than memory limit, see usage",
        ),
        (
            "--memory-swap 100m",
            "You should always set the Memory limit when using Memoryswap limit, see usage",
        ),
        (
            "--memory 10m --memory-reservation 20m",
            "Minimum memory limit can not be less than memory reservation limit, see usage",
        ),
        (
            "--cpus 5",
            "range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available",
        ),
        (
            "--cpus 1 --cpu-period 50000",
            "Conflicting options: Nano CPUs and CPU Period cannot both be set",
        ),
        (
            "--cpu-period 500",
            "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
        ),
        (
            "--cpu-quota 500",
            "CPU cfs quota can not be less than 1ms (i.e. 1000)",
        ),
        (
            "--cpuset-cpus 7",
            "Requested CPUs are not available - requested 7, available: 0-3",
        ),
        (
            "--blkio-weight 5",
            "Range of blkio weight is from 10 to 1000",
        ),
    ] {
        refused(
            &mut e,
            &format!("docker run --rm {flags} busybox true"),
            125,
            &format!("docker: Error response from daemon: {msg}{hint}"),
        );
    }
}

#[test]
fn runc_writes_the_limits_into_the_cgroup() {
    let mut e = engine();
    let o = e.execute_next(
        "docker run -d --name web --memory 100m --cpus 0.5 --cpu-shares 512 --pids-limit 50 busybox sleep 1000",
    );
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    let step = o
        .steps
        .iter()
        .find(|s| s.action.starts_with("created cgroup"))
        .expect("a cgroup step");
    assert!(
        step.action.ends_with(
            "wrote memory.max=104857600, memory.swap.max=104857600, cpu.weight=20, cpu.max=50000 100000, pids.max=50, cgroup.procs=1201"
        ),
        "{}",
        step.action
    );
    let hc = e
        .execute_next("docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}}' web")
        .stdout();
    // With no --memory-swap, dockerd allows as much swap as memory: MemorySwap = 2 × Memory.
    assert_eq!(hc, "104857600 209715200 500000000 512 50\n");
}

#[test]
fn cgroup_v1_layout_uses_v1_files() {
    let cfg = SimConfig {
        cgroup_version: 1,
        ..SimConfig::default()
    };
    let mut e = Engine::new(7, SimKernel::new(cfg));
    let o = e.execute_next(
        "docker run -d --name web --memory 100m --cpus 0.5 --cpu-shares 512 busybox sleep 1000",
    );
    let step = o
        .steps
        .iter()
        .find(|s| s.action.starts_with("created cgroup"))
        .expect("a cgroup step");
    assert!(
        step.action.contains("memory.limit_in_bytes=104857600, memory.memsw.limit_in_bytes=209715200, cpu.shares=512, cpu.cfs_period_us=100000, cpu.cfs_quota_us=50000"),
        "{}",
        step.action
    );
}

#[test]
fn update_rewrites_a_running_containers_cgroup() {
    let mut e = engine();
    e.execute_next("docker run -d --name web --memory 100m busybox sleep 1000");
    let o = e.execute_next("docker update --memory 200m --memory-swap 400m --pids-limit 10 web");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    assert_eq!(o.stdout(), "web\n");
    assert!(
        o.steps.iter().any(|s| s
            .action
            .contains("wrote memory.max=209715200, memory.swap.max=209715200, pids.max=10")),
        "{:#?}",
        o.steps.iter().map(|s| &s.action).collect::<Vec<_>>()
    );
    let hc = e
        .execute_next("docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}' web")
        .stdout();
    assert_eq!(hc, "209715200 10\n");
    // Raising memory above the swap limit set earlier needs --memory-swap too.
    let id = container_id(&mut e, "web");
    refused(
        &mut e,
        "docker update --memory 500m web",
        1,
        &format!("Error response from daemon: Cannot update container {}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time\n", id),
    );
    refused(
        &mut e,
        "docker update --memory 200m nosuch",
        1,
        "Error response from daemon: No such container: nosuch\n",
    );
    refused(
        &mut e,
        "docker update --cpus 9 web",
        1,
        "Error response from daemon: range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available\n",
    );
}

fn container_id(e: &mut Engine<SimKernel>, name: &str) -> String {
    e.containers()
        .find(|c| c.name == name)
        .map(|c| c.id.clone())
        .expect("container exists")
}

#[test]
fn stats_reports_the_cgroup_as_docker_formats_it() {
    let mut e = engine();
    e.execute_next("docker run -d --name web --memory 100m --pids-limit 20 busybox sleep 1000");
    let o = e.execute_next("docker stats --no-stream");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    let out = o.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS"
    );
    let id = container_id(&mut e, "web");
    assert!(
        lines[1].starts_with(&format!("{}   web       0.00%  ", &id[..12])),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(" / 100MiB "), "{}", lines[1]);
    assert!(
        lines[1].ends_with("0B / 0B   0B / 0B     1"),
        "{}",
        lines[1]
    );
    let f = e
        .execute_next("docker stats --no-stream --format '{{.Name}}: {{.PIDs}} pids' web")
        .stdout();
    assert_eq!(f, "web: 1 pids\n");
    refused(
        &mut e,
        "docker stats --no-stream nosuch",
        1,
        "Error response from daemon: No such container: nosuch\n",
    );
}

fn ns_of(e: &mut Engine<SimKernel>, name: &str, kind: &str) -> String {
    let o = e.execute_next(&format!("docker exec {name} readlink /proc/1/ns/{kind}"));
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    o.stdout()
}

#[test]
fn pid_host_sees_every_host_process() {
    let mut e = engine();
    e.execute_next("docker run -d --name web busybox sleep 1000");
    let ps = e
        .execute_next("docker run --rm --pid host busybox ps")
        .stdout();
    assert!(ps.contains("    1 root      0:00 /sbin/init\n"), "{ps}");
    assert!(ps.contains("/usr/bin/dockerd"), "{ps}");
    assert!(
        ps.contains(" sleep 1000\n"),
        "the other container's process, by its host PID:\n{ps}"
    );
    let inspect = e
        .execute_next("docker run --rm --pid host busybox readlink /proc/self/ns/pid")
        .stdout();
    assert_eq!(inspect, "pid:[4026531836]\n", "the host's PID namespace");
}

#[test]
fn pid_container_shares_the_donors_namespace() {
    let mut e = engine();
    e.execute_next("docker run -d --name web busybox sleep 1000");
    let ps = e
        .execute_next("docker run --rm --pid container:web busybox ps")
        .stdout();
    assert_eq!(
        ps,
        "PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 1000\n    2 root      0:00 ps\n"
    );
    e.execute_next("docker run -d --name side --pid container:web busybox sleep 500");
    assert_eq!(ns_of(&mut e, "side", "pid"), ns_of(&mut e, "web", "pid"));
    assert_ne!(ns_of(&mut e, "side", "net"), ns_of(&mut e, "web", "net"));
    // The donor must run.
    e.execute_next("docker run --name done busybox true");
    let id = container_id(&mut e, "done");
    let o = e.execute_next("docker run --rm --pid container:done busybox true");
    assert_eq!(o.exit_code, 125);
    assert!(
        o.stderr()
            .contains(&format!("cannot join PID of a non running container: {id}")),
        "{}",
        o.stderr()
    );
}

#[test]
fn ipc_container_needs_a_shareable_donor() {
    let mut e = engine();
    e.execute_next("docker run -d --name web busybox sleep 1000");
    // Checked when dockerd builds the runtime spec at start: the container was created,
    // and --rm removes it again.
    let o = e.execute_next("docker run --rm --ipc container:web busybox true");
    assert_eq!(o.exit_code, 125);
    assert_eq!(
        o.stderr(),
        "docker: Error response from daemon: non-shareable IPC (hint: use IpcMode:shareable for the donor container)\n\nRun 'docker run --help' for more information\n"
    );
    assert_eq!(e.containers().count(), 1, "only web is left");
    e.execute_next("docker run -d --name db --ipc shareable busybox sleep 1000");
    e.execute_next("docker run -d --name app --ipc container:db busybox sleep 1000");
    assert_eq!(ns_of(&mut e, "app", "ipc"), ns_of(&mut e, "db", "ipc"));
    refused(
        &mut e,
        "docker run --rm --ipc foo busybox true",
        125,
        "docker: Error response from daemon: invalid IPC mode: foo\n\nRun 'docker run --help' for more information\n",
    );
}

#[test]
fn host_network_and_uts_share_the_hosts_identity() {
    let mut e = engine();
    let o = e.execute_next("docker run --rm --network host busybox sh -c 'hostname; readlink /proc/self/ns/net /proc/self/ns/uts'");
    assert_eq!(o.stdout(), "porthole\nnet:[4026531840]\nuts:[4026531838]\n");
    assert!(o.steps.iter().any(|s| s.action.contains("no sethostname")));
    let o = e.execute_next("docker run --rm --uts host busybox hostname");
    assert_eq!(o.stdout(), "porthole\n");
    e.execute_next("docker run -d --name web --hostname webhost busybox sleep 1000");
    let o = e.execute_next("docker run --rm --network container:web busybox hostname");
    assert_eq!(
        o.stdout(),
        "webhost\n",
        "a container on another's network takes its hostname"
    );
}

#[test]
fn namespace_modes_the_cli_rejects() {
    let mut e = engine();
    let hint = "\n\nRun 'docker run --help' for more information\n";
    for (flags, msg) in [
        ("--pid foo", "--pid: invalid PID mode"),
        ("--pid container:", "--pid: invalid PID mode"),
        ("--uts foo", "--uts: invalid UTS mode"),
        ("--userns foo", "--userns: invalid USER mode"),
        ("--cgroupns foo", "--cgroupns: invalid CGROUP mode"),
    ] {
        refused(
            &mut e,
            &format!("docker run --rm {flags} busybox true"),
            125,
            &format!("docker: {msg}{hint}"),
        );
    }
    refused(
        &mut e,
        "docker run --rm --network nosuchnet busybox true",
        125,
        &format!("docker: Error response from daemon: network nosuchnet not found{hint}"),
    );
}

#[test]
fn userns_remap_maps_root_to_an_unprivileged_uid() {
    let mut e = Engine::sim(7);
    e.set_userns_remap(true);
    e.execute_next("docker run -d --name web busybox sleep 1000");
    let id = container_id(&mut e, "web");
    let view = e.kernel().view();
    let p = view
        .processes
        .iter()
        .find(|p| p.container.as_deref() == Some(id.as_str()))
        .expect("the container's process");
    assert_eq!(
        p.uid, 100_000,
        "root in the container is UID 100000 on the host"
    );
    let user = p
        .namespaces
        .iter()
        .find(|n| n.kind == porthole_engine::kernel::NsKind::User);
    assert_ne!(
        user.map(|n| n.inode),
        Some(4026531837),
        "a user namespace of its own"
    );
    // --userns=host opts out.
    e.execute_next("docker run -d --name plain --userns host busybox sleep 1000");
    let id = container_id(&mut e, "plain");
    let view = e.kernel().view();
    let p = view
        .processes
        .iter()
        .find(|p| p.container.as_deref() == Some(id.as_str()))
        .expect("the container's process");
    assert_eq!(p.uid, 0);
}
