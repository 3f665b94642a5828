//! The shell inside a container (issue 4): pipes, the programs students read the machine
//! with, and the workload language. Whole-engine runs where the kernel already plays the
//! result; `shell::run` directly for the timeline fields it does not consume yet.

use porthole_engine::fs::{Fs, Node, Tree, Union};
use porthole_engine::kernel::{MountInfo, Signal, Stream};
use porthole_engine::shell::{self, Ending, Interface, Load, OnChildKilled, ProcCtx, PsEntry};
use porthole_engine::Engine;

fn run(line: &str) -> (String, String, i32) {
    let mut e = Engine::sim(0);
    let o = e.execute_next(line);
    (o.stdout(), o.stderr(), o.exit_code)
}

/// Standard output of a command that succeeds (its standard error has the pull).
fn out(line: &str) -> String {
    let (o, e, code) = run(line);
    assert_eq!(code, 0, "{line}: {o}{e}");
    o
}

const APPLETS: &[&str] = &[
    "sh",
    "cat",
    "echo",
    "grep",
    "wc",
    "head",
    "tail",
    "sort",
    "uniq",
    "cut",
    "tr",
    "ps",
    "top",
    "mount",
    "df",
    "ip",
    "nproc",
    "free",
    "kill",
    "dd",
    "yes",
    "sleep",
    "md5sum",
    "sha256sum",
    "ls",
];

/// A busybox root: /bin/busybox and its applet links.
fn busybox_root() -> Tree {
    let mut t = Tree::default();
    t.insert("/bin/busybox", Node::file(0o755, 1_187_160, None));
    for a in APPLETS {
        t.insert(&format!("/bin/{a}"), Node::symlink("busybox"));
    }
    t.insert(
        "/etc/passwd",
        Node::file(0o644, 30, Some("root:x:0:0:root:/root:/bin/sh\n".into())),
    );
    t
}

/// A Debian-like root: GNU programs, /bin/sh is dash.
fn gnu_root() -> Tree {
    let mut t = Tree::default();
    for p in [
        "dash", "bash", "cat", "grep", "wc", "head", "sort", "df", "dd", "free", "top", "kill",
        "yes", "stress",
    ] {
        t.insert(&format!("/bin/{p}"), Node::file(0o755, 100_000, None));
    }
    t.insert("/bin/sh", Node::symlink("dash"));
    t.insert(
        "/etc/passwd",
        Node::file(0o644, 32, Some("root:x:0:0:root:/root:/bin/bash\n".into())),
    );
    t
}

fn ctx<'a>(tree: &'a Tree, argv: &[&str], binary: &str) -> ProcCtx<'a> {
    let m = |target: &str, fstype: &str, options: &str| MountInfo {
        container: "c".into(),
        target: target.into(),
        fstype: fstype.into(),
        options: options.into(),
        readonly: false,
    };
    ProcCtx {
        argv: argv.iter().map(|s| s.to_string()).collect(),
        env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()],
        cwd: "/".into(),
        hostname: "0123456789ab".into(),
        fs: Fs::new(Union::new(vec![tree])),
        pid: 1,
        uid: 0,
        kernel_release: "6.8.0-50-generic".into(),
        binary: binary.into(),
        now_secs: 1_767_603_600,
        procs: vec![PsEntry {
            pid: 1,
            ppid: 0,
            uid: 0,
            argv: argv.iter().map(|s| s.to_string()).collect(),
        }],
        namespaces: Vec::new(),
        cgroup_version: 2,
        mounts: vec![
            m("/", "overlay", "rw,relatime,lowerdir=/var/lib/docker/overlay2/l/ABC:/var/lib/docker/overlay2/l/DEF,upperdir=/var/lib/docker/overlay2/123/diff,workdir=/var/lib/docker/overlay2/123/work,nouserxattr"),
            m("/proc", "proc", "rw,nosuid,nodev,noexec,relatime"),
            m("/dev", "tmpfs", "rw,nosuid,size=65536k,mode=755,inode64"),
            m("/dev/pts", "devpts", "rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666"),
            m("/sys", "sysfs", "ro,nosuid,nodev,noexec,relatime"),
            m("/sys/fs/cgroup", "cgroup2", "ro,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot"),
            m("/dev/mqueue", "mqueue", "rw,nosuid,nodev,noexec,relatime"),
            m("/dev/shm", "tmpfs", "rw,nosuid,nodev,noexec,relatime,size=65536k,inode64"),
            m("/etc/resolv.conf", "bind", "/var/lib/docker/containers/c/resolv.conf"),
            m("/etc/hostname", "bind", "/var/lib/docker/containers/c/hostname"),
            m("/etc/hosts", "bind", "/var/lib/docker/containers/c/hosts"),
        ],
        cgroup_files: vec![
            ("cgroup.procs".into(), "1\n".into()),
            ("cpu.max".into(), "max 100000\n".into()),
            ("memory.current".into(), "434176\n".into()),
            ("memory.max".into(), "104857600\n".into()),
            ("pids.max".into(), "max\n".into()),
        ],
        host_cpus: 4,
        host_memory: 8 << 30,
        cpus_allowed: 2,
        net: None,
        interfaces: vec![
            Interface {
                index: 1,
                name: "lo".into(),
                peer_index: None,
                mac: "00:00:00:00:00:00".into(),
                mtu: 65536,
                ipv4: Some(("127.0.0.1".into(), 8)),
                gateway: None,
                up: true,
                master: None,
                carrier: true,
            },
            Interface {
                index: 12,
                name: "eth0".into(),
                peer_index: Some(13),
                mac: "02:42:ac:11:00:02".into(),
                mtu: 1500,
                ipv4: Some(("172.17.0.2".into(), 16)),
                gateway: Some("172.17.0.1".into()),
                up: true,
                master: None,
                carrier: true,
            },
        ],
        nofile: 1048576,
        uid_offset: 0,
    }
}

/// Runs `sh -c SCRIPT` in a busybox root.
fn bb(script: &str) -> shell::Timeline {
    let t = busybox_root();
    shell::run(&ctx(&t, &["sh", "-c", script], "/bin/busybox"))
}

/// Runs `sh -c SCRIPT` in a Debian root (dash, GNU tools).
fn deb(script: &str) -> shell::Timeline {
    let t = gnu_root();
    shell::run(&ctx(&t, &["sh", "-c", script], "/bin/dash"))
}

fn text(t: &shell::Timeline, stream: Stream) -> String {
    t.output
        .iter()
        .filter(|(_, s, _)| *s == stream)
        .map(|(_, _, x)| x.as_str())
        .collect()
}

fn stdout(t: &shell::Timeline) -> String {
    text(t, Stream::Stdout)
}

fn stderr(t: &shell::Timeline) -> String {
    text(t, Stream::Stderr)
}

#[test]
fn pipes_feed_the_next_command_and_end_with_its_status() {
    assert_eq!(out("docker run --rm busybox sh -c 'ps aux | wc -l'"), "4\n");
    assert_eq!(
        out("docker run --rm busybox sh -c \"printf 'b\\na\\nc\\na\\n' | sort | uniq -c\""),
        "      2 a\n      1 b\n      1 c\n"
    );
    assert_eq!(
        stdout(&bb("printf 'b\\na\\nc\\na\\n' | wc")),
        "        4         4         8\n"
    );
    assert_eq!(
        stdout(&deb("printf 'b\\na\\nc\\na\\n' | wc")),
        "      4       4       8\n"
    );
    assert_eq!(stdout(&bb("printf 'b\\na\\n' | wc -l")), "2\n");
    assert_eq!(
        stdout(&bb("printf '10\\n9\\n100\\n' | sort -n -r | head -n 2")),
        "100\n10\n"
    );
    assert_eq!(stdout(&bb("printf 'a\\nb\\nc\\n' | tail -2")), "b\nc\n");
    assert_eq!(stdout(&bb("echo a:b:c | cut -d: -f2,3")), "b:c\n");
    assert_eq!(stdout(&bb("echo hello | tr a-z A-Z")), "HELLO\n");
    // The last command's status; grep's 1 when nothing matches.
    let t = bb("echo hello | grep -q nope");
    assert_eq!(t.ending, Ending::Exit(1));
    let t = bb("echo hello | grep -q ell && echo yes");
    assert_eq!(stdout(&t), "yes\n");
}

#[test]
fn grep_options() {
    let lines = "printf 'Apple pie\\napple\\nbanana\\npineapple\\n'";
    assert_eq!(
        stdout(&bb(&format!("{lines} | grep -i apple"))),
        "Apple pie\napple\npineapple\n"
    );
    assert_eq!(
        stdout(&bb(&format!("{lines} | grep -v apple"))),
        "Apple pie\nbanana\n"
    );
    assert_eq!(stdout(&bb(&format!("{lines} | grep -c apple"))), "2\n");
    assert_eq!(stdout(&bb(&format!("{lines} | grep -w apple"))), "apple\n");
    assert_eq!(
        stdout(&bb(&format!("{lines} | grep -E '^(banana|apple)$'"))),
        "apple\nbanana\n"
    );
    assert_eq!(
        stdout(&bb(&format!("{lines} | grep -e pie -e ban"))),
        "Apple pie\nbanana\n"
    );
    assert_eq!(
        stdout(&bb("grep -E 'Mem(Total|Free)' /proc/meminfo")),
        "MemTotal:        8126464 kB\nMemFree:         5688524 kB\n"
    );
}

#[test]
fn a_writer_that_never_ends_feeds_head_but_not_wc() {
    let t = bb("yes | head -n 3");
    assert_eq!(
        (stdout(&t), t.ending),
        ("y\ny\ny\n".to_string(), Ending::Exit(0))
    );
    assert_eq!(t.load, Load::default(), "yes died of SIGPIPE: no load left");
    let t = bb("yes | wc -l");
    assert_eq!((stdout(&t), t.ending), (String::new(), Ending::Forever));
    assert_eq!(t.load.cpu_millis, 1000);
    let t = bb("yes > /dev/null");
    assert_eq!(
        (t.output.len(), t.ending, t.load.cpu_millis),
        (0, Ending::Forever, 1000)
    );
}

#[test]
fn the_machine_as_busybox_sees_it() {
    insta::assert_snapshot!(stdout(&bb("mount; cat /proc/mounts")));
    insta::assert_snapshot!(stdout(&bb("df; df -h")));
    insta::assert_snapshot!(stdout(&bb("ip addr; ip route; ip link")));
    insta::assert_snapshot!(stdout(&bb("free; top -bn1; ulimit -a")));
    assert_eq!(
        stdout(&bb(
            "nproc; ulimit -n; ulimit -u; grep -c processor /proc/cpuinfo"
        )),
        "2\n1048576\nunlimited\n4\n",
        "nproc counts the cpuset, /proc/cpuinfo the host's CPUs"
    );
    assert_eq!(
        stdout(&bb("cat /sys/fs/cgroup/memory.max; ls /sys/fs/cgroup")),
        "104857600\ncgroup.procs\ncpu.max\nmemory.current\nmemory.max\npids.max\n"
    );
    assert_eq!(
        stdout(&bb("head -n 2 /proc/meminfo")),
        "MemTotal:        8126464 kB\nMemFree:         5688524 kB\n",
        "the host's memory, whatever the container's limit"
    );
}

#[test]
fn the_machine_as_debian_sees_it() {
    insta::assert_snapshot!(stdout(&deb("df; df -h; free; top -bn1")));
    let t = deb("nosuch");
    assert_eq!(
        (stderr(&t), t.ending),
        ("sh: 1: nosuch: not found\n".to_string(), Ending::Exit(127))
    );
}

#[test]
fn kill_sends_signals_into_the_timeline() {
    let t = busybox_root();
    let mut c = ctx(
        &t,
        &["sh", "-c", "kill 7; kill -9 7; kill -s INT 7; kill -USR1 7"],
        "/bin/busybox",
    );
    c.procs.push(PsEntry {
        pid: 7,
        ppid: 1,
        uid: 0,
        argv: vec!["sleep".into(), "100".into()],
    });
    let tl = shell::run(&c);
    assert_eq!(
        tl.kills,
        vec![
            (0, 7, Signal::Term),
            (0, 7, Signal::Kill),
            (0, 7, Signal::Int),
            (0, 7, Signal::Usr1)
        ]
    );
    assert_eq!(tl.ending, Ending::Exit(0));
    let tl = bb("kill 42");
    assert_eq!(stderr(&tl), "sh: can't kill pid 42: No such process\n");
    assert_eq!((tl.ending, tl.kills.len()), (Ending::Exit(1), 0));
    let l = stdout(&bb("kill -l"));
    assert!(l.starts_with(" 1) HUP\n 2) INT\n 3) QUIT\n"), "{l}");
    assert!(l.ends_with("31) SYS\n34) RTMIN\n64) RTMAX\n"), "{l}");
    assert_eq!(stdout(&bb("kill -l 9")), "KILL\n");
}

#[test]
fn stress_forks_workers_and_reports_like_stress_1_0_4() {
    let t = gnu_root();
    let tl = shell::run(&ctx(
        &t,
        &[
            "/usr/bin/stress",
            "--verbose",
            "--cpu",
            "2",
            "--vm",
            "1",
            "--vm-bytes",
            "128M",
            "--timeout",
            "10s",
        ],
        "/bin/stress",
    ));
    assert_eq!(
        stdout(&tl),
        "stress: info: [1] dispatching hogs: 2 cpu, 0 io, 1 vm, 0 hdd\n\
         stress: dbug: [1] using backoff sleep of 9000us\n\
         stress: dbug: [1] setting timeout to 10s\n\
         stress: dbug: [1] --> hogcpu worker 2 [2] forked\n\
         stress: dbug: [1] --> hogvm worker 1 [3] forked\n\
         stress: dbug: [3] allocating 134217728 bytes ...\n\
         stress: dbug: [3] touching bytes in strides of 4096 bytes ...\n\
         stress: dbug: [1] using backoff sleep of 3000us\n\
         stress: dbug: [1] setting timeout to 10s\n\
         stress: dbug: [1] --> hogcpu worker 1 [4] forked\n\
         stress: dbug: [1] <-- worker 2 signalled normally\n\
         stress: dbug: [1] <-- worker 3 signalled normally\n\
         stress: dbug: [1] <-- worker 4 signalled normally\n\
         stress: info: [1] successful run completed in 10s\n"
    );
    assert_eq!((tl.ending, tl.end_at), (Ending::Exit(0), 10_000_000_000));
    assert_eq!(tl.on_child_killed, OnChildKilled::Stress);
    assert_eq!(tl.children.len(), 3);
    assert_eq!(tl.children[0].load.cpu_millis, 1000);
    assert_eq!(tl.children[1].load.rss_target, 128 << 20);
    assert_eq!(tl.children[1].load.grow_rate, 1 << 30);
    assert_eq!(tl.children[2].exit_after_ns, Some(10_000_000_000));

    // Without a timeout it runs until killed.
    let tl = shell::run(&ctx(&t, &["stress", "--vm", "1"], "/bin/stress"));
    assert_eq!(
        stdout(&tl),
        "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n"
    );
    assert_eq!(
        (tl.ending, tl.children[0].load.rss_target),
        (Ending::Forever, 256 << 20)
    );

    // Its own errors, with stress.c's line numbers.
    let tl = shell::run(&ctx(&t, &["stress", "--cpu"], "/bin/stress"));
    assert_eq!(
        stderr(&tl),
        "stress: FAIL: [1] (160) missing argument to option '--cpu'\n"
    );
    assert_eq!(tl.ending, Ending::Exit(1));
    let tl = shell::run(&ctx(
        &t,
        &["stress", "--vm", "1", "--vm-bytes", "12X"],
        "/bin/stress",
    ));
    assert_eq!(
        stderr(&tl),
        "stress: FAIL: [1] (647) unrecognized suffix: X\n"
    );
    let tl = shell::run(&ctx(&t, &["stress", "--bogus"], "/bin/stress"));
    assert_eq!(
        stderr(&tl),
        "stress: FAIL: [1] (244) unrecognized option: --bogus\n"
    );
    let tl = shell::run(&ctx(&t, &["stress"], "/bin/stress"));
    assert!(stdout(&tl)
        .starts_with("`stress' imposes certain types of compute stress on your system\n"));
}

#[test]
fn busybox_has_no_stress() {
    let (_, err, code) = run("docker run --rm busybox stress --cpu 1");
    assert!(
        err.contains("exec: \"stress\": executable file not found in $PATH"),
        "{err}"
    );
    assert_eq!(code, 127);
}

#[test]
fn fork_bombs_are_recognised_in_every_spelling() {
    for s in [
        ":(){ :|:& };:",
        ":(){ :|: & };:",
        ":() { : | : & }; :",
        "bomb(){ bomb|bomb& };bomb",
        "forkbomb",
    ] {
        let tl = bb(s);
        assert_eq!(
            (tl.forkbomb.as_deref(), &tl.ending),
            (Some("sh"), &Ending::Forever),
            "{s}"
        );
    }
    let t = gnu_root();
    let tl = shell::run(&ctx(&t, &["bash", "-c", ":(){ :|:& };:"], "/bin/bash"));
    assert_eq!(tl.forkbomb.as_deref(), Some("bash"));
    assert_eq!(
        shell::fork_refused_message("bash"),
        "bash: fork: retry: Resource temporarily unavailable\n"
    );
    assert_eq!(
        shell::fork_refused_message("sh"),
        "sh: can't fork: Resource temporarily unavailable\n"
    );
    assert_eq!(bb("echo ':(){ :|:& };:'").forkbomb, None);
}

#[test]
fn dd_writes_at_the_simulated_disk_speed() {
    let tl = bb("dd if=/dev/zero of=/f bs=1M count=100");
    assert_eq!(
        stderr(&tl),
        "100+0 records in\n100+0 records out\n104857600 bytes (100.0MB) copied, 0.104858 seconds, 953.7MB/s\n"
    );
    assert_eq!((tl.ending, tl.end_at), (Ending::Exit(0), 104_857_600));
    let tl = deb("dd if=/dev/zero of=/f bs=1M count=100");
    assert_eq!(
        stderr(&tl),
        "100+0 records in\n100+0 records out\n104857600 bytes (105 MB, 100 MiB) copied, 0.104858 s, 1.0 GB/s\n"
    );
    assert_eq!(
        stdout(&bb("dd if=/dev/zero bs=1K count=3 2>/dev/null | wc -c")),
        "3072\n"
    );
}

#[test]
fn hogs_demand_cpu_and_memory() {
    let t = bb("tail /dev/zero");
    assert_eq!(
        (t.ending, t.load.rss_target, t.load.cpu_millis),
        (Ending::Forever, u64::MAX, 1000)
    );
    for s in [
        "cat /dev/zero > /dev/null",
        "sha256sum /dev/zero",
        "md5sum /dev/zero",
    ] {
        let t = bb(s);
        assert_eq!(
            (t.ending, t.load.cpu_millis),
            (Ending::Forever, 1000),
            "{s}"
        );
    }
    let t = bb("sleep 1000");
    assert_eq!(t.load.rss, 400 * 1024);
}

#[test]
fn progrium_stress_runs_stress_verbosely() {
    let o = out("docker run --rm progrium/stress --cpu 1 --timeout 2s");
    assert_eq!(
        o,
        "stress: info: [1] dispatching hogs: 1 cpu, 0 io, 0 vm, 0 hdd\n\
         stress: dbug: [1] using backoff sleep of 3000us\n\
         stress: dbug: [1] setting timeout to 2s\n\
         stress: dbug: [1] --> hogcpu worker 1 [2] forked\n\
         stress: dbug: [1] <-- worker 2 signalled normally\n\
         stress: info: [1] successful run completed in 2s\n"
    );
    let (_, err, code) = run("docker run --rm progrium/stress --cpu");
    assert!(
        err.ends_with("stress: FAIL: [1] (160) missing argument to option '--cpu'\n"),
        "{err}"
    );
    assert_eq!(code, 1);
}
