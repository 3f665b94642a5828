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
    let ip = e
        .execute_next("docker run --rm --network host busybox ip addr")
        .stdout();
    assert!(
        ip.contains("inet 10.0.2.15/24") && ip.contains("docker0"),
        "{ip}"
    );
    let ip = e
        .execute_next("docker run --rm --network none busybox ip link")
        .stdout();
    assert!(!ip.contains("eth0"), "only lo with --network none: {ip}");
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
    // dockerd accepts an unknown network at create and refuses it at start (so the
    // container exists for a moment; --rm removes it): see tests/it/network.rs.
    let o = e.execute_next("docker run --rm --network nosuchnet busybox true");
    assert_eq!(o.exit_code, 125);
    assert_eq!(
        o.stderr(),
        format!("docker: Error response from daemon: network nosuchnet not found{hint}")
    );
    assert_eq!(e.execute_next("docker ps -aq").stdout(), "");
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

fn cpu_ns(e: &Engine<SimKernel>, name: &str) -> u64 {
    let id = e
        .containers()
        .find(|c| c.name == name)
        .map(|c| c.id.clone())
        .expect("container");
    e.kernel()
        .cgroup_stats(&id, e.now())
        .expect("a cgroup")
        .cpu_usage_ns
}

#[test]
fn memory_past_the_limit_wakes_the_oom_killer() {
    let mut e = engine();
    let o = e.execute_next("docker run -d --name hog --memory 64m busybox tail /dev/zero");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    let o = e.execute_next("wait 5s");
    assert!(
        o.steps.iter().any(|s| s
            .action
            .starts_with("OOM killer: memory cgroup /sys/fs/cgroup/system.slice/docker-")
            && s.action
                .contains("hit its limit of 64MiB; killed PID 1201 (tail)")),
        "{:#?}",
        o.steps.iter().map(|s| &s.action).collect::<Vec<_>>()
    );
    let st = e
        .execute_next(
            "docker inspect -f '{{.State.Status}} {{.State.OOMKilled}} {{.State.ExitCode}}' hog",
        )
        .stdout();
    assert_eq!(st, "exited true 137\n");
    let ev = e.execute_next("docker events --since 1m --until 0s --filter event=oom --format '{{.Action}} {{.Actor.Attributes.name}}'");
    assert_eq!(ev.stdout(), "oom hog\n");
    let dmesg = e.execute_next("host dmesg").stdout();
    assert!(
        dmesg.contains("] Memory cgroup out of memory: Killed process 1201 (tail) total-vm:"),
        "{dmesg}"
    );
}

#[test]
fn stress_reports_its_worker_killed_by_the_oom_killer() {
    let mut e = Engine::sim(7);
    let o =
        e.execute_next("docker run --name st --memory 100m progrium/stress --vm 1 --vm-bytes 150M");
    assert_eq!(o.exit_code, 1, "{}", o.combined());
    assert!(
        o.stderr().ends_with(
            "stress: FAIL: [1] (415) <-- worker 2 got signal 9\nstress: WARN: [1] (417) now reaping child worker processes\nstress: FAIL: [1] (421) kill error: No such process\nstress: FAIL: [1] (451) failed run completed in 0s\n"
        ),
        "{}",
        o.stderr()
    );
    let st = e
        .execute_next("docker inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}}' st")
        .stdout();
    assert_eq!(
        st, "true 1\n",
        "the worker died, not PID 1: exit 1, yet OOMKilled"
    );
}

#[test]
fn cpu_shares_split_a_contended_host() {
    // Two CPU-bound containers, 4 workers each on 4 CPUs: the CPUs are contended, so the
    // weights decide. Over 10 virtual seconds, cgroup v1 (cpu.shares 1024:512) gives 2:1;
    // cgroup v2 weighs runc's converted cpu.weight 39:20 (1.95:1). Tolerance: 1%.
    for (version, expected) in [(1u8, 2.0f64), (2, 39.0 / 20.0)] {
        let cfg = SimConfig {
            cgroup_version: version,
            ..SimConfig::default()
        };
        let mut e = Engine::new(7, SimKernel::new(cfg));
        e.execute_next("docker run -d --name big --cpu-shares 1024 progrium/stress --cpu 4");
        e.execute_next("docker run -d --name small --cpu-shares 512 progrium/stress --cpu 4");
        let (b0, s0) = (cpu_ns(&e, "big"), cpu_ns(&e, "small"));
        e.execute_next("wait 10s");
        let (b, s) = (cpu_ns(&e, "big") - b0, cpu_ns(&e, "small") - s0);
        let ratio = b as f64 / s as f64;
        assert!(
            (ratio - expected).abs() / expected < 0.01,
            "v{version}: {b} / {s} = {ratio}"
        );
        // Together they use all 4 CPUs: 40 CPU-seconds in 10 s (plus the second between
        // the commands).
        assert!(b + s >= 40_000_000_000, "{b} + {s}");
    }
}

#[test]
fn cpus_caps_a_container_at_its_quota() {
    let mut e = engine();
    e.execute_next("docker run -d --name capped --cpus 0.5 progrium/stress --cpu 2");
    let step = e.execute_next("docker stats --no-stream capped").stdout();
    assert!(step.contains("   50.00%   "), "{step}");
    let c0 = cpu_ns(&e, "capped");
    e.execute_next("wait 10s");
    let used = cpu_ns(&e, "capped") - c0;
    // 0.5 CPU × 11 s (the wait and the second before it), within 0.1 %.
    assert!(used.abs_diff(5_500_000_000) < 5_500_000, "{used}");
    // docker update lifts the cap at once.
    e.execute_next("docker update --cpus 2 capped");
    let c1 = cpu_ns(&e, "capped");
    e.execute_next("wait 10s");
    let used = cpu_ns(&e, "capped") - c1;
    assert!(used.abs_diff(22_000_000_000) < 22_000_000, "{used}");
}

#[test]
fn pids_limit_stops_a_fork_bomb() {
    let mut e = engine();
    e.execute_next("docker run -d --name bomb --pids-limit 20 busybox sh -c ':(){ :|:& };:'");
    e.execute_next("wait 1s");
    let logs = e.execute_next("docker logs bomb");
    assert_eq!(
        logs.stderr(),
        "sh: can't fork: Resource temporarily unavailable\n"
    );
    let stats = e
        .execute_next("docker stats --no-stream --format '{{.PIDs}}' bomb")
        .stdout();
    assert_eq!(stats, "20\n");
    let o = e.execute_next("docker exec bomb ps");
    assert_eq!(o.exit_code, 126);
    assert_eq!(
        o.stderr(),
        "OCI runtime exec failed: exec failed: unable to start container process: read init-p: connection reset by peer: unknown\n"
    );
    // The host is fine: other containers still start.
    assert_eq!(
        e.execute_next("docker run --rm busybox echo still here")
            .stdout(),
        "still here\n"
    );
}

#[test]
fn the_container_sees_the_hosts_memory_but_its_own_limit() {
    let mut e = engine();
    e.execute_next("docker run -d --name web --memory 256m busybox sleep 1000");
    let meminfo = e
        .execute_next("docker exec web head -n 1 /proc/meminfo")
        .stdout();
    let host = e
        .execute_next("host cat /proc/meminfo | head -n 1")
        .stdout();
    assert_eq!(
        meminfo, host,
        "/proc/meminfo is not namespaced: the host's figure"
    );
    assert!(meminfo.starts_with("MemTotal:        8"), "{meminfo}");
    let max = e
        .execute_next("docker exec web cat /sys/fs/cgroup/memory.max")
        .stdout();
    assert_eq!(max, "268435456\n");
    let nproc = e.execute_next("docker exec web nproc").stdout();
    assert_eq!(nproc, "4\n");
    e.execute_next("docker run -d --name pinned --cpuset-cpus 0,1 busybox sleep 1000");
    assert_eq!(e.execute_next("docker exec pinned nproc").stdout(), "2\n");
}

#[test]
fn pause_freezes_cpu_and_time() {
    let mut e = engine();
    e.execute_next("docker run -d --name busy progrium/stress --cpu 1 --timeout 20s");
    e.execute_next("docker pause busy");
    let c0 = cpu_ns(&e, "busy");
    e.execute_next("wait 30s");
    assert_eq!(cpu_ns(&e, "busy"), c0, "a frozen cgroup uses no CPU");
    let st = e
        .execute_next("docker inspect -f '{{.State.Status}}' busy")
        .stdout();
    assert_eq!(st, "paused\n", "its timeout did not run out while frozen");
    e.execute_next("docker unpause busy");
    e.execute_next("wait 30s");
    let st = e
        .execute_next("docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' busy")
        .stdout();
    assert_eq!(st, "exited 0\n");
}

#[test]
fn lowering_memory_below_usage_kills() {
    let mut e = engine();
    e.execute_next("docker run -d --name hog progrium/stress --vm 1 --vm-bytes 200M");
    e.execute_next("wait 2s");
    let o = e.execute_next("docker update --memory 100m --memory-swap 100m hog");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    assert!(
        o.steps.iter().any(|s| s.action.starts_with("OOM killer:")),
        "{:#?}",
        o.steps.iter().map(|s| &s.action).collect::<Vec<_>>()
    );
}
