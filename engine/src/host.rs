//! Commands run on the simulated host itself (`host ps -ef`, `host lsns`, …): the view
//! from outside the containers.
//!
//! The host is a Debian/Ubuntu machine (procps-ng 4, util-linux 2.39, coreutils 9) and
//! the commands run as root from a login shell. Everything is read from the kernel's
//! [`KernelView`] at the time of the command: a container's processes are the host's
//! processes, with host PIDs; its namespaces are inodes shared or not with the host's.
//! Each command adds one `kernel` step saying what it read and what that shows.

use crate::engine::Engine;
use crate::kernel::{Kernel, KernelView, MountInfo, NsId, NsKind, Stream};
use crate::sim::SimConfig;
use crate::time::{Time, DEFAULT_EPOCH, NANOS_PER_SEC};
use crate::trace::{Component, Step};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The host's PID namespace.
const HOST_PID_NS: u64 = 4026531836;
/// The time namespace every process is in (Docker does not unshare it).
const TIME_NS: u64 = 4026531834;
/// When the simulated host booted: its own processes started then; dmesg counts from it.
const BOOT: Time = Time(DEFAULT_EPOCH.0 - 150 * NANOS_PER_SEC);
/// The login shell `host` commands are typed into. It is not a process of the kernel
/// model: the host view adds it, and the command itself, as `ps` would find them.
const SHELL_PID: u32 = 1100;
const SHELL_START: Time = Time(DEFAULT_EPOCH.0 - 20 * NANOS_PER_SEC);
const TTY: &str = "pts/0";
/// `uname -v` of the simulated kernel (the same string the containers' `uname -a` shows).
const UNAME_V: &str = "#50-Ubuntu SMP PREEMPT_DYNAMIC Sat Nov  9 18:23:52 UTC 2024";
const ROOT_OPTS: &str = "rw,relatime,discard,errors=remount-ro,commit=30";

/// A process as the host's /proc shows it.
#[derive(Clone, Debug)]
struct Proc {
    /// The PID as the reader sees it (the host PID, or the PID in a container's
    /// namespace when reading the container's procfs).
    pid: u32,
    ppid: u32,
    host_pid: u32,
    /// Its PID in each PID namespace from the host's inwards (NSpid).
    nspid: Vec<u32>,
    argv: Vec<String>,
    container: Option<String>,
    /// Every namespace it is in (the time namespace, the same for all, aside).
    namespaces: Vec<NsId>,
    /// The full cgroup directory, under /sys/fs/cgroup.
    cgroup: String,
    uid: u32,
    cpu_millis: u64,
    rss: u64,
    frozen: bool,
    tty: Option<&'static str>,
    start: Time,
    /// setsid(2) made it a session leader (systemd services, runc's container processes).
    leader: bool,
    /// The command being run (`ps` finds itself).
    is_self: bool,
}

impl Proc {
    /// The kernel's `comm`: the executable's name, 15 bytes at most.
    fn comm(&self) -> String {
        if self.host_pid == 1 && self.container.is_none() {
            return "systemd".into();
        }
        let a0 = self.argv.first().map(String::as_str).unwrap_or("");
        let base = a0.rsplit('/').next().unwrap_or(a0).trim_start_matches('-');
        base.chars().take(15).collect()
    }
    fn args(&self) -> String {
        if self.argv.is_empty() {
            format!("[{}]", self.comm())
        } else {
            self.argv.join(" ")
        }
    }
    fn ns(&self, kind: NsKind) -> Option<NsId> {
        self.namespaces.iter().copied().find(|n| n.kind == kind)
    }
    fn threads(&self) -> u32 {
        match self.comm().as_str() {
            "containerd" => 11,
            "dockerd" => 13,
            "containerd-shim" => 12,
            "mysqld" => 37,
            "redis-server" => 5,
            _ => 1,
        }
    }
    /// (VSZ, RSS) in KiB: the kernel's resident size when it has one, else typical
    /// figures for the program.
    fn mem_kb(&self) -> (u64, u64) {
        let (vsz, rss) = match self.comm().as_str() {
            "systemd" => (167_744, 13_144),
            "containerd" => (1_875_956, 48_512),
            "dockerd" => (2_438_144, 86_944),
            "containerd-shim" => (1_238_428, 12_544),
            "bash" => (8_956, 5_376),
            "ps" => (11_512, 4_224),
            "nginx" => (11_404, 7_552),
            "redis-server" => (56_508, 10_368),
            "mysqld" => (1_789_600, 402_112),
            "python3" | "python" => (27_840, 9_216),
            "sleep" => (4_352, 1_536),
            "sh" | "dash" => (2_576, 1_536),
            _ => (4_352, 1_792),
        };
        if self.rss > 0 {
            let r = self.rss / 1024;
            (vsz.max(r + 4096), r)
        } else {
            (vsz, rss)
        }
    }
    /// ps's STAT: state letter, then s (session leader), l (threads), + (foreground).
    fn stat(&self, v1: bool) -> String {
        let mut s = String::new();
        s.push(if self.is_self {
            'R'
        } else if self.frozen && v1 {
            'D'
        } else {
            'S'
        });
        if self.leader {
            s.push('s');
        }
        if self.threads() > 1 {
            s.push('l');
        }
        if self.is_self {
            s.push('+');
        }
        s
    }
}

/// What the host's /proc, /sys/fs/cgroup and mount table show at the time of a command.
struct Host {
    procs: Vec<Proc>,
    view: KernelView,
    now: Time,
    v1: bool,
    release: String,
    config: SimConfig,
    self_pid: u32,
    /// Container ID → (name, hostname).
    containers: BTreeMap<String, (String, String)>,
    kmsg: Vec<(Time, String)>,
    /// What the kernel's cgroup_files gives for each of its cgroups, at `now`.
    kernel_cgroup_files: BTreeMap<String, Vec<(String, String)>>,
}

/// A command's output, in order, and what the step says it read.
struct Io {
    chunks: Vec<(Stream, String)>,
    action: String,
    why: Cow<'static, str>,
}

impl Io {
    fn out(&mut self, s: impl AsRef<str>) {
        self.write(Stream::Stdout, s.as_ref());
    }
    fn err(&mut self, s: impl AsRef<str>) {
        self.write(Stream::Stderr, s.as_ref());
    }
    fn write(&mut self, stream: Stream, s: &str) {
        if s.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((st, t)) if *st == stream => t.push_str(s),
            _ => self.chunks.push((stream, s.to_string())),
        }
    }
    fn step(&mut self, action: impl Into<String>, why: impl Into<Cow<'static, str>>) {
        self.action = action.into();
        self.why = why.into();
    }
    fn stdout(&self) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == Stream::Stdout)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

const WHY_PROC: &str = "a container's processes are ordinary processes of the host's kernel: the host's PID namespace sees them all, by host PID, while the container's own PID namespace numbers them from 1";
const WHY_NS: &str = "each /proc/PID/ns link names a namespace by type and inode: two processes are in the same namespace exactly when their links show the same inode";
const WHY_CGROUP: &str = "the cgroup tree is one file system for the whole host: dockerd (through runc and systemd) puts each container in its own cgroup, system.slice/docker-<id>.scope, whose files set and report its limits";
const WHY_MOUNT: &str = "the container's root file system is an overlay mount in the host's mount namespace (image layers as lowerdir, the RW layer as upperdir); its other mounts are in its own mount namespace, which only -N/nsenter shows";

impl<K: Kernel> Engine<K> {
    /// Runs `host WORDS…`; returns the exit code.
    pub(crate) fn host_command(&mut self, words: &[String]) -> i32 {
        if words.first().map(String::as_str) == Some("docker") {
            return self.host_docker(words);
        }
        // `cmd | grep x | head -3`: simple pipelines into a few filters.
        if !words.iter().any(|w| w == "|") {
            if let Some(code) = self.host_files_command(words) {
                return code;
            }
        }
        let mut stages: Vec<&[String]> = words.split(|w| w == "|").collect();
        let first = stages.remove(0);
        let mut io = Io {
            chunks: Vec::new(),
            action: String::new(),
            why: Cow::Borrowed(""),
        };
        // The kernel answers the network programs itself (ip, iptables, ss, ping, curl…).
        let net = if first.is_empty() {
            None
        } else {
            self.kernel.host_run(first, self.now)
        };
        let mut code = if let Some((out, err, code)) = net {
            io.out(out);
            io.err(err);
            let whose = if first[0] == "nsenter" {
                "the target process's"
            } else {
                "the host's"
            };
            io.step(
                format!("ran `{}` in {whose} network namespace", first.join(" ")),
                "the host's interfaces, routes, iptables rules and sockets are the kernel's: what Docker set up for its networks is visible here",
            );
            code
        } else if first.is_empty() {
            0
        } else {
            self.host_view(first).run(first, &mut io)
        };
        for stage in stages {
            let text = io.stdout();
            io.chunks.retain(|(s, _)| *s == Stream::Stderr);
            let (out, c) = filter(stage, &text, &mut io);
            io.out(out);
            code = c;
        }
        for (stream, text) in &io.chunks {
            self.write(*stream, text);
        }
        if !io.action.is_empty() {
            self.step(Step::new(Component::Kernel, io.action, io.why));
        }
        code
    }

    /// `host docker …`: the same docker CLI, typed on the host.
    fn host_docker(&mut self, words: &[String]) -> i32 {
        match crate::cli::parse(&words[1..]) {
            Ok(cmd) => self.run_command(cmd, words),
            Err(e) => {
                if e.exit_code == 0 {
                    self.out(&format!("{}\n", e.message));
                } else {
                    self.err(&format!("{}\n", e.message));
                }
                e.exit_code
            }
        }
    }

    fn host_view(&self, cmd: &[String]) -> Host {
        let view = self.kernel.view();
        let v1 = self.kernel.cgroup_version() == 1;
        // The host's facts come from the kernel: `porthole sim --host-cpus/--host-memory`.
        let config = SimConfig {
            hostname: self.kernel.host_name(),
            kernel_release: self.kernel.kernel_version(),
            cpus: self.kernel.view_cpus(),
            memory_bytes: self.kernel.host_memory(),
            cgroup_version: self.kernel.cgroup_version(),
            ..SimConfig::default()
        };
        let started: BTreeMap<&str, Time> = self
            .containers
            .values()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.state.started_at.unwrap_or(c.created).max(BOOT),
                )
            })
            .collect();
        let by_pid: BTreeMap<u32, &crate::kernel::ProcessInfo> =
            view.processes.iter().map(|p| (p.host_pid, p)).collect();
        let mut procs: Vec<Proc> = Vec::new();
        for p in &view.processes {
            let namespaces = p.namespaces.clone();
            let pid_ns = p
                .namespaces
                .iter()
                .find(|n| n.kind == NsKind::Pid)
                .map(|n| n.inode);
            let nspid = if pid_ns.is_some_and(|n| n != HOST_PID_NS) {
                vec![p.host_pid, p.ns_pid]
            } else {
                vec![p.host_pid]
            };
            // The shim names its container in its argv (`-id <id>`).
            let shim_of = p
                .argv
                .iter()
                .position(|a| a == "-id")
                .and_then(|i| p.argv.get(i + 1));
            let start = match (&p.container, shim_of) {
                (Some(id), _) | (None, Some(id)) => {
                    started.get(id.as_str()).copied().unwrap_or(self.now)
                }
                _ => BOOT,
            };
            let parent_is_shim = by_pid
                .get(&p.ppid)
                .is_some_and(|pp| pp.container.is_none() && pp.host_pid != 1);
            procs.push(Proc {
                pid: p.host_pid,
                ppid: p.ppid,
                host_pid: p.host_pid,
                nspid,
                argv: p.argv.clone(),
                container: p.container.clone(),
                namespaces,
                cgroup: p.cgroup.clone(),
                uid: p.uid,
                cpu_millis: p.cpu_millis,
                rss: p.rss,
                frozen: p.frozen,
                tty: None,
                start,
                leader: if p.container.is_some() {
                    parent_is_shim
                } else {
                    p.ppid <= 1 && shim_of.is_none()
                },
                is_self: false,
            });
        }
        let host_ns: Vec<NsId> = procs
            .iter()
            .find(|p| p.host_pid == 1)
            .map(|p| p.namespaces.clone())
            .unwrap_or_default();
        let session_cg = if v1 {
            "/sys/fs/cgroup/systemd/user.slice/user-0.slice/session-1.scope"
        } else {
            "/sys/fs/cgroup/user.slice/user-0.slice/session-1.scope"
        };
        let self_pid = procs
            .iter()
            .map(|p| p.host_pid)
            .max()
            .unwrap_or(0)
            .max(SHELL_PID)
            + 1;
        let session = |pid: u32, ppid: u32, argv: Vec<String>, start: Time, is_self: bool| Proc {
            pid,
            ppid,
            host_pid: pid,
            nspid: vec![pid],
            argv,
            container: None,
            namespaces: host_ns.clone(),
            cgroup: session_cg.to_string(),
            uid: 0,
            cpu_millis: 0,
            rss: 0,
            frozen: false,
            tty: Some(TTY),
            start,
            leader: !is_self,
            is_self,
        };
        procs.push(session(
            SHELL_PID,
            1,
            vec!["-bash".into()],
            SHELL_START,
            false,
        ));
        procs.push(session(self_pid, SHELL_PID, cmd.to_vec(), self.now, true));
        procs.sort_by_key(|p| p.host_pid);
        let view_cgroups: Vec<String> = view.cgroups.iter().map(|c| c.path.clone()).collect();
        let mut view = view;
        view.cgroups.push(crate::kernel::CgroupInfo {
            path: session_cg.to_string(),
            limits: Default::default(),
            procs: vec![SHELL_PID, self_pid],
            stats: Default::default(),
        });
        Host {
            procs,
            view,
            now: self.now,
            v1,
            release: self.kernel.kernel_version(),
            config,
            self_pid,
            containers: self
                .containers
                .values()
                .map(|c| {
                    let hostname = if c.config.hostname.is_empty() {
                        c.id[..12].to_string()
                    } else {
                        c.config.hostname.clone()
                    };
                    (c.id.clone(), (c.name.clone(), hostname))
                })
                .collect(),
            kmsg: self.kernel.kmsg(),
            kernel_cgroup_files: view_cgroups
                .iter()
                .filter_map(|path| Some((path.clone(), self.kernel.cgroup_files(path, self.now)?)))
                .collect(),
        }
    }
}

/// `… | grep PAT`, `| grep -v PAT`, `| head [-n] N`, `| tail`, `| wc -l`, `| sort`.
fn filter(stage: &[String], text: &str, io: &mut Io) -> (String, i32) {
    let Some(cmd) = stage.first() else {
        io.err("bash: syntax error near unexpected token `|'\n");
        return (String::new(), 2);
    };
    let args = &stage[1..];
    let lines: Vec<&str> = text.lines().collect();
    let join = |ls: Vec<&str>| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    match cmd.as_str() {
        "grep" => {
            let mut invert = false;
            let mut icase = false;
            let mut count = false;
            let mut pat = None;
            for a in args {
                match a.as_str() {
                    "-v" => invert = true,
                    "-i" => icase = true,
                    "-c" => count = true,
                    "-vi" | "-iv" => {
                        invert = true;
                        icase = true
                    }
                    "-E" | "-F" | "-w" => {}
                    _ if pat.is_none() => pat = Some(a.clone()),
                    _ => {}
                }
            }
            let Some(pat) = pat else {
                io.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
                return (String::new(), 2);
            };
            let hit = |l: &str| {
                let found = if icase {
                    l.to_lowercase().contains(&pat.to_lowercase())
                } else {
                    l.contains(pat.as_str())
                };
                found != invert
            };
            let kept: Vec<&str> = lines.into_iter().filter(|l| hit(l)).collect();
            let code = if kept.is_empty() { 1 } else { 0 };
            if count {
                (format!("{}\n", kept.len()), code)
            } else {
                (join(kept), code)
            }
        }
        "head" | "tail" => {
            let mut n = 10usize;
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if a == "-n" {
                    n = it.next().and_then(|v| v.parse().ok()).unwrap_or(10);
                } else if let Some(v) = a.strip_prefix("-n").or_else(|| a.strip_prefix('-')) {
                    n = v.parse().unwrap_or(10);
                }
            }
            let kept: Vec<&str> = if cmd == "head" {
                lines.into_iter().take(n).collect()
            } else {
                let skip = lines.len().saturating_sub(n);
                lines.into_iter().skip(skip).collect()
            };
            (join(kept), 0)
        }
        "wc" if args.iter().any(|a| a == "-l") => (format!("{}\n", lines.len()), 0),
        "sort" => {
            let mut ls = lines;
            ls.sort_unstable();
            (join(ls), 0)
        }
        "cat" => (text.to_string(), 0),
        other => {
            io.err(format!("bash: {other}: command not found\n"));
            (String::new(), 127)
        }
    }
}

impl Host {
    /// The same host seen with another process list (what `nsenter` enters).
    fn with_procs(&self, procs: Vec<Proc>) -> Host {
        Host {
            procs,
            view: self.view.clone(),
            now: self.now,
            v1: self.v1,
            release: self.release.clone(),
            config: self.config.clone(),
            self_pid: self.self_pid,
            containers: self.containers.clone(),
            kmsg: Vec::new(),
            kernel_cgroup_files: self.kernel_cgroup_files.clone(),
        }
    }

    /// Runs `f` on this host and copies what it printed to `io`.
    fn forward(&self, io: &mut Io, f: impl FnOnce(&Host, &mut Io) -> i32) -> i32 {
        let mut sub_io = Io {
            chunks: Vec::new(),
            action: String::new(),
            why: Cow::Borrowed(""),
        };
        let code = f(self, &mut sub_io);
        for (s, t) in sub_io.chunks {
            io.write(s, &t);
        }
        code
    }

    fn run(&self, words: &[String], io: &mut Io) -> i32 {
        let cmd = words[0].as_str();
        let args = &words[1..];
        match cmd {
            "help" => {
                io.out(HELP);
                io.step(
                    "listed the commands the simulated host answers",
                    "the host is the machine Docker runs on; what it shows comes from the same kernel state the containers live in",
                );
                0
            }
            "ps" => self.ps(args, io),
            "pstree" => self.pstree(args, io),
            "lsns" => self.lsns(args, io),
            "ls" => self.ls(args, io),
            "readlink" => self.readlink(args, io),
            "cat" => self.cat(args, io),
            "mount" => self.mount(args, io),
            "findmnt" => self.findmnt(args, io),
            "dmesg" => self.dmesg(args, io),
            "nsenter" => self.nsenter(args, io),
            "hostname" => {
                io.out(format!("{}\n", self.config.hostname));
                io.step(
                    format!(
                        "read the host's hostname from its UTS namespace: {}",
                        self.config.hostname
                    ),
                    "each container has its own UTS namespace, so its hostname (its short ID by default) does not change the host's",
                );
                0
            }
            "uname" => self.uname(args, io),
            "nproc" => {
                io.out(format!("{}\n", self.config.cpus));
                io.step(
                    format!("sched_getaffinity: {} CPUs", self.config.cpus),
                    "a container sees the same CPUs unless its cpuset limits them",
                );
                0
            }
            "free" => self.free(args, io),
            "id" => {
                io.out("uid=0(root) gid=0(root) groups=0(root)\n");
                io.step(
                    "getuid/getgid: root (UID 0) in the host's user namespace",
                    "without userns-remap, root in a container is this same UID 0 (fenced in by namespaces, capabilities and seccomp instead)",
                );
                0
            }
            "whoami" => {
                io.out("root\n");
                io.step(
                    "geteuid: 0 (root)",
                    "the host shell runs as root, which is what dockerd itself runs as",
                );
                0
            }
            "echo" => {
                io.out(format!("{}\n", args.join(" ")));
                0
            }
            "true" => 0,
            "false" => 1,
            _ => {
                io.err(format!("bash: {cmd}: command not found\n"));
                io.step(
                    format!("bash found no `{cmd}` on the host's PATH"),
                    "`host help` lists the commands the simulated host answers",
                );
                127
            }
        }
    }

    fn proc_by_pid(&self, pid: u32) -> Option<&Proc> {
        self.procs.iter().find(|p| p.host_pid == pid)
    }

    /// `/proc/<pid|self>`: the process it names.
    fn proc_of(&self, who: &str) -> Option<&Proc> {
        let pid = if who == "self" || who == "thread-self" {
            self.self_pid
        } else {
            who.parse().ok()?
        };
        self.proc_by_pid(pid)
    }

    fn container_name(&self, id: &str) -> String {
        self.containers
            .get(id)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| id[..12.min(id.len())].to_string())
    }

    /// "PID 1 of container web", "the container web's shim", "the host's systemd".
    fn describe(&self, p: &Proc) -> String {
        if let Some(id) = &p.container {
            let ns_pid = p.nspid.last().copied().unwrap_or(p.host_pid);
            format!("PID {ns_pid} of container {}", self.container_name(id))
        } else if let Some(i) = p.argv.iter().position(|a| a == "-id") {
            let id = p.argv.get(i + 1).map(String::as_str).unwrap_or("");
            format!("the shim of container {}", self.container_name(id))
        } else if p.is_self {
            "this command".to_string()
        } else {
            format!("the host's {}", p.comm())
        }
    }

    // ---- ps ---------------------------------------------------------------------------

    fn ps(&self, args: &[String], io: &mut Io) -> i32 {
        let mut all = false;
        let mut full = false;
        let mut bsd_a = false;
        let mut bsd_x = false;
        let mut bsd_u = false;
        let mut bsd = false;
        let mut fmt: Option<String> = None;
        let mut pids: Vec<u32> = Vec::new();
        let mut it = args.iter();
        let mut bad = None;
        while let Some(a) = it.next() {
            if let Some(long) = a.strip_prefix("--") {
                let (k, v) = long.split_once('=').unwrap_or((long, ""));
                match k {
                    "format" => {
                        fmt = Some(if v.is_empty() {
                            it.next().cloned().unwrap_or_default()
                        } else {
                            v.to_string()
                        })
                    }
                    "pid" => pids.extend(
                        v.split(',')
                            .chain(if v.is_empty() { it.next() } else { None }.map(String::as_str))
                            .filter_map(|x| x.parse::<u32>().ok()),
                    ),
                    "forest" | "no-headers" | "sort" | "cols" | "width" => {}
                    _ => bad = Some(format!("unknown gnu long option {}", a)),
                }
                continue;
            }
            let (flags, is_bsd) = match a.strip_prefix('-') {
                Some(f) => (f, false),
                None => (a.as_str(), true),
            };
            bsd |= is_bsd;
            let mut chars = flags.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, is_bsd) {
                    ('e' | 'A', false) => all = true,
                    ('f', false) => full = true,
                    ('a', true) => bsd_a = true,
                    ('x', true) => bsd_x = true,
                    ('u', true) => bsd_u = true,
                    ('w' | 'f' | 'c' | 'e' | 'H' | 'l' | 'j', _) => {}
                    ('o', _) => {
                        let rest: String = chars.by_ref().collect();
                        fmt = Some(if rest.is_empty() {
                            it.next().cloned().unwrap_or_default()
                        } else {
                            rest
                        });
                    }
                    ('p', _) => {
                        let rest: String = chars.by_ref().collect();
                        let list = if rest.is_empty() {
                            it.next().cloned().unwrap_or_default()
                        } else {
                            rest
                        };
                        for x in list.split(',') {
                            match x.parse::<u32>() {
                                Ok(p) => pids.push(p),
                                Err(_) => bad = Some("process ID list syntax error".into()),
                            }
                        }
                    }
                    _ => {
                        bad = Some(if is_bsd {
                            "unsupported option (BSD syntax)".to_string()
                        } else {
                            "unsupported SysV option".to_string()
                        })
                    }
                }
            }
        }
        if let Some(msg) = bad {
            io.err(format!("error: {msg}\n{PS_USAGE}"));
            io.step(
                format!("ps rejected its options: {msg}"),
                "procps checks its options before it reads /proc",
            );
            return 1;
        }
        // Which processes.
        let selected: Vec<&Proc> = self
            .procs
            .iter()
            .filter(|p| {
                if !pids.is_empty() {
                    return pids.contains(&p.host_pid);
                }
                if all || (bsd_a && bsd_x) {
                    return true;
                }
                if bsd_x {
                    return p.uid == 0;
                }
                if bsd_a {
                    return p.tty.is_some();
                }
                p.tty == Some(TTY) && p.uid == 0
            })
            .collect();
        // Which columns.
        let spec: String = match fmt {
            Some(f) => f,
            None if bsd_u => "user,pid,%cpu,%mem,vsz,rss,tname,stat,start_time,bsdtime,args".into(),
            None if full => "ruser_f,pid,ppid,c,stime,tname,time,cmd_f".into(),
            None if bsd => "pid,tname,stat,bsdtime,args".into(),
            None => "pid,tname,time,ucmd".into(),
        };
        let mut cols: Vec<(PsCol, String)> = Vec::new();
        for item in spec.split([',', ' ']).filter(|s| !s.is_empty()) {
            let (name, header) = match item.split_once('=') {
                Some((n, h)) => (n, Some(h.to_string())),
                None => (item, None),
            };
            let Some(col) = PsCol::parse(name) else {
                io.err(format!(
                    "error: unknown user-defined format specifier \"{name}\"\n{PS_USAGE}"
                ));
                io.step(
                    format!("ps does not know the column `{name}`"),
                    "procps checks its options before it reads /proc",
                );
                return 1;
            };
            let header = header.unwrap_or_else(|| col.header().to_string());
            cols.push((col, header));
        }
        let mut out = String::new();
        if cols.iter().any(|(_, h)| !h.is_empty()) {
            let cells: Vec<String> = cols.iter().map(|(_, h)| h.clone()).collect();
            out.push_str(&ps_line(&cols, &cells));
        }
        for p in &selected {
            let cells: Vec<String> = cols.iter().map(|(c, _)| self.ps_cell(*c, p)).collect();
            out.push_str(&ps_line(&cols, &cells));
        }
        io.out(out);
        // The step: which of these are containers'.
        let mut by_container: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for p in &selected {
            if let Some(id) = &p.container {
                by_container
                    .entry(self.container_name(id))
                    .or_default()
                    .push(p.host_pid);
            }
        }
        let mut action = format!(
            "read /proc/<pid>/stat and cmdline of {} processes",
            selected.len()
        );
        if by_container.is_empty() {
            action.push_str(": none of them belongs to a container");
        } else {
            let parts: Vec<String> = by_container
                .iter()
                .map(|(name, pids)| {
                    let list: Vec<String> = pids.iter().map(u32::to_string).collect();
                    format!(
                        "container {name}'s are host PIDs {} (its PID 1 is {}, a child of containerd-shim-runc-v2)",
                        list.join(", "),
                        pids[0]
                    )
                })
                .collect();
            action.push_str(&format!("; {}", parts.join("; ")));
        }
        if selected.is_empty() && !pids.is_empty() {
            io.step(action, WHY_PROC);
            return 1;
        }
        io.step(action, WHY_PROC);
        0
    }

    fn ps_cell(&self, c: PsCol, p: &Proc) -> String {
        let total_kb = meminfo(self).total;
        let elapsed = self.now.since(p.start) / NANOS_PER_SEC;
        let cpu_secs = p.cpu_millis * elapsed / 1000;
        let ns = |k: NsKind| {
            p.ns(k)
                .map(|n| n.inode.to_string())
                .unwrap_or_else(|| "-".into())
        };
        match c {
            PsCol::Pid => p.pid.to_string(),
            PsCol::Ppid => p.ppid.to_string(),
            PsCol::Uid => p.uid.to_string(),
            PsCol::User | PsCol::RuserF => user_name(p.uid),
            PsCol::Comm | PsCol::Ucmd => p.comm(),
            PsCol::Args | PsCol::CmdF => p.args(),
            PsCol::C => (p.cpu_millis / 10).min(99).to_string(),
            PsCol::Pcpu => tenths(p.cpu_millis),
            PsCol::Pmem => {
                let (_, rss) = p.mem_kb();
                tenths(rss * 1000 / total_kb.max(1))
            }
            PsCol::Vsz => p.mem_kb().0.to_string(),
            PsCol::Rss => p.mem_kb().1.to_string(),
            PsCol::Tty => p.tty.unwrap_or("?").to_string(),
            PsCol::Stat => p.stat(self.v1),
            PsCol::State => p.stat(self.v1)[..1].to_string(),
            PsCol::Stime | PsCol::Start => ps_start(p.start, self.now),
            PsCol::Time => {
                let (h, m, s) = (cpu_secs / 3600, cpu_secs / 60 % 60, cpu_secs % 60);
                if h >= 24 {
                    format!("{}-{:02}:{m:02}:{s:02}", h / 24, h % 24)
                } else {
                    format!("{h:02}:{m:02}:{s:02}")
                }
            }
            PsCol::BsdTime => format!("{}:{:02}", cpu_secs / 60, cpu_secs % 60),
            PsCol::Etime => {
                let (d, h, m, s) = (
                    elapsed / 86400,
                    elapsed / 3600 % 24,
                    elapsed / 60 % 60,
                    elapsed % 60,
                );
                if d > 0 {
                    format!("{d}-{h:02}:{m:02}:{s:02}")
                } else if h > 0 {
                    format!("{h:02}:{m:02}:{s:02}")
                } else {
                    format!("{m:02}:{s:02}")
                }
            }
            PsCol::Nlwp => p.threads().to_string(),
            PsCol::Ns(k) => ns(k),
            PsCol::TimeNs => TIME_NS.to_string(),
            PsCol::Cgroup => proc_cgroup(p, self.v1).trim_end().replace('\n', ";"),
        }
    }

    // ---- pstree -----------------------------------------------------------------------

    fn pstree(&self, args: &[String], io: &mut Io) -> i32 {
        let flags: String = args
            .iter()
            .filter(|a| a.starts_with('-'))
            .map(|a| a.trim_start_matches('-'))
            .collect();
        let show_pids = flags.contains('p');
        let show_args = flags.contains('a');
        let by_pid = flags.contains('n');
        let root = args
            .iter()
            .find(|a| !a.starts_with('-'))
            .and_then(|a| a.parse::<u32>().ok())
            .unwrap_or(1);
        let Some(top) = self.proc_by_pid(root) else {
            io.step(
                format!("pstree: no process {root}"),
                "pstree draws the parent links of /proc/<pid>/stat",
            );
            return 1;
        };
        let mut children: BTreeMap<u32, Vec<&Proc>> = BTreeMap::new();
        for p in &self.procs {
            children.entry(p.ppid).or_default().push(p);
        }
        for kids in children.values_mut() {
            if !by_pid {
                kids.sort_by(|a, b| a.comm().cmp(&b.comm()).then(a.pid.cmp(&b.pid)));
            }
        }
        let label = |p: &Proc| -> String {
            match (show_args, show_pids) {
                (true, true) => {
                    let rest: Vec<&str> = p.argv.iter().skip(1).map(String::as_str).collect();
                    let mut s = format!("{},{}", p.comm(), p.pid);
                    if !rest.is_empty() {
                        s.push(' ');
                        s.push_str(&rest.join(" "));
                    }
                    s
                }
                (true, false) => {
                    let rest: Vec<&str> = p.argv.iter().skip(1).map(String::as_str).collect();
                    std::iter::once(p.comm().as_str())
                        .chain(rest)
                        .collect::<Vec<_>>()
                        .join(" ")
                }
                (false, true) => format!("{}({})", p.comm(), p.pid),
                (false, false) => p.comm(),
            }
        };
        let out = if show_args {
            // -a: a line per process, children indented under their parent.
            fn walk(
                p: &Proc,
                prefix: &str,
                children: &BTreeMap<u32, Vec<&Proc>>,
                label: &dyn Fn(&Proc) -> String,
                out: &mut String,
            ) {
                let kids = children.get(&p.pid).cloned().unwrap_or_default();
                for (i, k) in kids.iter().enumerate() {
                    let last = i + 1 == kids.len();
                    out.push_str(&format!(
                        "{prefix}{}{}\n",
                        if last { "└─" } else { "├─" },
                        label(k)
                    ));
                    let next = format!("{prefix}{}", if last { "    " } else { "│   " });
                    walk(k, &next, children, label, out);
                }
            }
            let mut out = format!("{}\n", label(top));
            walk(top, "  ", &children, &label, &mut out);
            out
        } else {
            // The compact drawing: a single child on its parent's line.
            fn draw(
                p: &Proc,
                children: &BTreeMap<u32, Vec<&Proc>>,
                label: &dyn Fn(&Proc) -> String,
            ) -> Vec<String> {
                let me = label(p);
                let pad = " ".repeat(me.chars().count());
                let kids = children.get(&p.pid).cloned().unwrap_or_default();
                if kids.is_empty() {
                    return vec![me];
                }
                let mut lines = Vec::new();
                if kids.len() == 1 {
                    for (j, l) in draw(kids[0], children, label).into_iter().enumerate() {
                        lines.push(if j == 0 {
                            format!("{me}───{l}")
                        } else {
                            format!("{pad}   {l}")
                        });
                    }
                    return lines;
                }
                for (i, k) in kids.iter().enumerate() {
                    let last = i + 1 == kids.len();
                    for (j, l) in draw(k, children, label).into_iter().enumerate() {
                        lines.push(match (i, j) {
                            (0, 0) => format!("{me}─┬─{l}"),
                            (_, 0) if last => format!("{pad} └─{l}"),
                            (_, 0) => format!("{pad} ├─{l}"),
                            _ if last => format!("{pad}   {l}"),
                            _ => format!("{pad} │ {l}"),
                        });
                    }
                }
                lines
            }
            draw(top, &children, &label)
                .into_iter()
                .map(|l| format!("{l}\n"))
                .collect()
        };
        io.out(out);
        io.step(
            format!(
                "read the parent of each of {} processes (/proc/<pid>/stat)",
                self.procs.len()
            ),
            "each container's PID 1 hangs under its containerd-shim-runc-v2, which hangs under systemd (PID 1): neither dockerd nor containerd is its parent, so they can restart without killing it",
        );
        0
    }

    // ---- lsns -------------------------------------------------------------------------

    fn lsns(&self, args: &[String], io: &mut Io) -> i32 {
        let mut types: Vec<&'static str> = Vec::new();
        let mut pid: Option<u32> = None;
        let mut cols = vec!["NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND"];
        let mut headings = true;
        let mut raw = false;
        let mut it = args.iter();
        let fail = |io: &mut Io, msg: String| {
            io.err(msg);
            io.step(
                "lsns rejected its arguments",
                "util-linux checks its options before it reads /proc",
            );
            1
        };
        while let Some(a) = it.next() {
            let (flag, inline) = match a.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (a.as_str(), None),
            };
            let value = |it: &mut std::slice::Iter<'_, String>| {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .unwrap_or_default()
            };
            match flag {
                "-t" | "--type" => {
                    let v = value(&mut it);
                    match NS_TYPES.iter().find(|t| **t == v) {
                        Some(k) => types.push(k),
                        None => {
                            return fail(io, format!("lsns: unknown namespace type: {v}\n"));
                        }
                    }
                }
                "-p" | "--task" => {
                    let v = value(&mut it);
                    match v.parse::<u32>() {
                        Ok(p) => pid = Some(p),
                        Err(_) => {
                            return fail(io, format!("lsns: invalid PID argument: '{v}'\n"));
                        }
                    }
                }
                "-o" | "--output" => {
                    let v = value(&mut it);
                    let list: Vec<&str> = v.trim_start_matches('+').split(',').collect();
                    let mut new = Vec::new();
                    for c in list {
                        match LSNS_COLS.iter().find(|x| x.eq_ignore_ascii_case(c)) {
                            Some(x) => new.push(*x),
                            None => return fail(io, format!("lsns: unknown column: {c}\n")),
                        }
                    }
                    if v.starts_with('+') {
                        cols.extend(new);
                    } else {
                        cols = new;
                    }
                }
                "-n" | "--noheadings" => headings = false,
                "-r" | "--raw" => raw = true,
                "-l" | "--list" | "-u" | "--notruncate" => {}
                s if s.starts_with('-') => {
                    return fail(
                        io,
                        format!(
                            "lsns: invalid option -- '{}'\nTry 'lsns --help' for more information.\n",
                            s.trim_start_matches('-')
                        ),
                    );
                }
                s => {
                    // lsns [NAMESPACE]: one namespace by inode.
                    if s.parse::<u64>().is_err() {
                        return fail(io, format!("lsns: invalid namespace argument: '{s}'\n"));
                    }
                }
            }
        }
        let only: Option<u64> = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .filter_map(|a| a.parse::<u64>().ok())
            .find(|n| *n > 4026531000);
        // Group the processes by namespace.
        let mut spaces: BTreeMap<(u64, &'static str), Vec<&Proc>> = BTreeMap::new();
        for p in &self.procs {
            for n in &p.namespaces {
                spaces
                    .entry((n.inode, n.kind.proc_name()))
                    .or_default()
                    .push(p);
            }
            spaces.entry((TIME_NS, "time")).or_default().push(p);
        }
        let target_ns: Option<Vec<u64>> = match pid {
            Some(p) => match self.proc_by_pid(p) {
                Some(pr) => Some(
                    pr.namespaces
                        .iter()
                        .map(|n| n.inode)
                        .chain([TIME_NS])
                        .collect(),
                ),
                None => {
                    io.step(
                        format!("lsns: no process {p} in /proc"),
                        "lsns -p lists the namespaces of one process",
                    );
                    return 0;
                }
            },
            None => None,
        };
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut shown: Vec<((u64, &str), usize, u32)> = Vec::new();
        for ((inode, kind), members) in &spaces {
            if !types.is_empty() && !types.contains(kind) {
                continue;
            }
            if let Some(t) = &target_ns {
                if !t.contains(inode) {
                    continue;
                }
            }
            if only.is_some_and(|o| o != *inode) {
                continue;
            }
            let first = members
                .iter()
                .min_by_key(|p| p.host_pid)
                .copied()
                .expect("a namespace listed has a process");
            shown.push(((*inode, *kind), members.len(), first.host_pid));
            rows.push(
                cols.iter()
                    .map(|c| match *c {
                        "NS" => inode.to_string(),
                        "TYPE" => kind.to_string(),
                        "PATH" => format!("/proc/{}/ns/{kind}", first.host_pid),
                        "NPROCS" => members.len().to_string(),
                        "PID" => first.host_pid.to_string(),
                        "PPID" => first.ppid.to_string(),
                        "COMMAND" => first.args(),
                        "UID" => first.uid.to_string(),
                        "USER" => user_name(first.uid),
                        _ => String::new(),
                    })
                    .collect(),
            );
        }
        let spec: Vec<(&str, usize, bool)> = cols
            .iter()
            .map(|c| match *c {
                "NS" => (*c, 10, true),
                "TYPE" => (*c, 5, false),
                "NPROCS" | "PID" | "PPID" => (*c, 5, true),
                "UID" => (*c, 0, true),
                _ => (*c, 0, false),
            })
            .collect();
        io.out(if raw {
            let mut s = String::new();
            if headings {
                s.push_str(&cols.join(" "));
                s.push('\n');
            }
            for r in &rows {
                s.push_str(&r.join(" "));
                s.push('\n');
            }
            s
        } else {
            scols(&spec, &rows, headings)
        });
        io.step(self.lsns_action(&shown), WHY_NS);
        0
    }

    /// Which namespaces a container has of its own and which it shares with the host.
    fn lsns_action(&self, shown: &[((u64, &str), usize, u32)]) -> String {
        let host: Vec<u64> = self
            .proc_by_pid(1)
            .map(|p| {
                p.namespaces
                    .iter()
                    .map(|n| n.inode)
                    .chain([TIME_NS])
                    .collect()
            })
            .unwrap_or_default();
        let mut own: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for ((inode, kind), n, pid) in shown {
            if host.contains(inode) {
                continue;
            }
            let Some(p) = self.proc_by_pid(*pid) else {
                continue;
            };
            let who = match &p.container {
                Some(id) => format!("container {}", self.container_name(id)),
                None => format!("PID {pid}"),
            };
            own.entry(who).or_default().push(format!(
                "{kind} {inode} ({} process{}, lowest host PID {pid})",
                n,
                if *n == 1 { "" } else { "es" }
            ));
        }
        let mut s = format!(
            "read /proc/*/ns of {} processes: {} namespaces listed",
            self.procs.len(),
            shown.len()
        );
        for (who, list) in &own {
            s.push_str(&format!("; {who} has its own {}", list.join(", ")));
        }
        if !own.is_empty() {
            s.push_str("; the other namespaces (user, time, …) are the host's, shared with PID 1");
        }
        s
    }

    // ---- ls / readlink ----------------------------------------------------------------

    fn ls(&self, args: &[String], io: &mut Io) -> i32 {
        let mut long = false;
        let mut one = false;
        let mut all = false;
        let mut paths: Vec<&str> = Vec::new();
        for a in args {
            if let Some(f) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
                for c in f.chars() {
                    match c {
                        'l' => long = true,
                        '1' => one = true,
                        'a' | 'A' => all = true,
                        'h' | 'F' | 'd' | 'n' | 'i' | 'r' | 't' | 'L' => {}
                        other => {
                            io.err(format!("ls: invalid option -- '{other}'\nTry 'ls --help' for more information.\n"));
                            io.step(
                                "ls rejected its options",
                                "coreutils checks its options first",
                            );
                            return 2;
                        }
                    }
                }
            } else {
                paths.push(a);
            }
        }
        let _ = all;
        if paths.is_empty() {
            paths.push("/root");
        }
        let mut status = 0;
        let multi = paths.len() > 1;
        let mut read = Vec::new();
        let mut first = true;
        for p in &paths {
            let path = normalize(p);
            match self.node(&path) {
                None => {
                    io.err(format!(
                        "ls: cannot access '{p}': No such file or directory\n"
                    ));
                    status = 2;
                }
                Some(Node::File { .. }) | Some(Node::Link(_)) => {
                    let n = self.node(&path);
                    if long {
                        io.out(self.long_line(p, n.as_ref()));
                    } else {
                        io.out(format!("{p}\n"));
                    }
                    read.push(path);
                }
                Some(Node::Dir(entries)) => {
                    if multi {
                        io.out(format!("{}{p}:\n", if first { "" } else { "\n" }));
                    }
                    first = false;
                    if long {
                        let mut s = "total 0\n".to_string();
                        for (name, node) in &entries {
                            s.push_str(&self.long_line(name, Some(node)));
                        }
                        io.out(s);
                    } else if one {
                        io.out(
                            entries
                                .iter()
                                .map(|(n, _)| format!("{n}\n"))
                                .collect::<String>(),
                        );
                    } else {
                        let names: Vec<String> = entries.iter().map(|(n, _)| n.clone()).collect();
                        io.out(ls_columns(&names, 80));
                    }
                    read.push(path);
                }
            }
        }
        let (action, why) = self.read_step("ls", &read, &paths);
        io.step(action, why);
        status
    }

    fn readlink(&self, args: &[String], io: &mut Io) -> i32 {
        let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if paths.is_empty() {
            io.err("readlink: missing operand\nTry 'readlink --help' for more information.\n");
            io.step(
                "readlink: missing operand",
                "coreutils checks its arguments first",
            );
            return 1;
        }
        let mut status = 0;
        let mut read = Vec::new();
        for p in &paths {
            let path = normalize(p);
            match self.node(&path) {
                Some(Node::Link(t)) => {
                    io.out(format!("{t}\n"));
                    read.push(path);
                }
                _ => status = 1,
            }
        }
        let (action, why) = self.read_step(
            "readlink",
            &read,
            &paths.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        );
        io.step(action, why);
        status
    }

    /// The step for reading /proc/PID/ns (or another path): whose namespaces these are.
    fn read_step(
        &self,
        tool: &str,
        read: &[String],
        asked: &[&str],
    ) -> (String, Cow<'static, str>) {
        if read.is_empty() {
            return (
                format!("{tool}: {} does not exist", asked.join(", ")),
                Cow::Borrowed(if asked.iter().any(|a| a.starts_with("/proc")) {
                    "/proc lists only live processes: a PID that has exited (or never was) has no directory"
                } else {
                    "the host's /proc and /sys are the kernel's live state: a path is there only while what it describes exists"
                }),
            );
        }
        let mut parts = Vec::new();
        let mut why: Cow<'static, str> =
            Cow::Borrowed("the host's /proc and /sys are the kernel's live state, read as files");
        for path in read {
            if let Some((p, rest)) = proc_path(path).and_then(|(w, r)| Some((self.proc_of(w)?, r)))
            {
                if rest == "ns" || rest.starts_with("ns/") {
                    why = Cow::Borrowed(WHY_NS);
                    parts.push(format!("read {path}: {}", self.ns_story(p)));
                    continue;
                }
            }
            if path.starts_with("/sys/fs/cgroup") {
                why = Cow::Borrowed(WHY_CGROUP);
            }
            parts.push(format!("read {path}"));
        }
        (parts.join("; "), why)
    }

    /// "the same inodes as PID 1 of container web (own mnt, uts, …; the host's user, time)".
    fn ns_story(&self, p: &Proc) -> String {
        let host = self
            .proc_by_pid(1)
            .map(|h| h.namespaces.clone())
            .unwrap_or_default();
        let own: Vec<&str> = p
            .namespaces
            .iter()
            .filter(|n| !host.contains(n))
            .map(|n| n.kind.proc_name())
            .collect();
        let shared: Vec<&str> = p
            .namespaces
            .iter()
            .filter(|n| host.contains(n))
            .map(|n| n.kind.proc_name())
            .collect();
        if own.is_empty() {
            return format!(
                "{}: the host's own namespaces, the same inodes as PID 1 (systemd)",
                self.describe(p)
            );
        }
        // The container's PID 1, whose namespaces these are.
        let init = p.container.as_ref().and_then(|id| {
            self.procs
                .iter()
                .find(|q| q.container.as_ref() == Some(id) && q.nspid.last() == Some(&1))
        });
        let same = match init {
            Some(i) if i.host_pid == p.host_pid => format!(
                "PID 1 of container {} (host PID {})",
                self.container_name(p.container.as_deref().unwrap_or("")),
                p.host_pid
            ),
            Some(i) if i.namespaces == p.namespaces => format!(
                "{}, the same inodes as PID 1 of container {} (host PID {})",
                self.describe(p),
                self.container_name(p.container.as_deref().unwrap_or("")),
                i.host_pid
            ),
            _ => self.describe(p),
        };
        format!(
            "{same}: new {} namespaces; {} shared with the host",
            own.join(", "),
            shared.join(", ")
        )
    }

    fn long_line(&self, name: &str, node: Option<&Node>) -> String {
        let date = ls_date(self.now);
        match node {
            Some(Node::Link(t)) => format!(
                "lrwxrwxrwx 1 root root 0 {date} {name} -> {}\n",
                shell_quote(t)
            ),
            Some(Node::Dir(entries)) => {
                let subdirs = entries
                    .iter()
                    .filter(|(_, n)| matches!(n, Node::Dir(_)))
                    .count();
                format!("dr-xr-xr-x {} root root 0 {date} {name}\n", 2 + subdirs)
            }
            Some(Node::File { writable }) => format!(
                "-{}-r--r-- 1 root root 0 {date} {name}\n",
                if *writable { "rw" } else { "r-" }
            ),
            None => String::new(),
        }
    }

    /// What a path in the host's /proc or /sys/fs/cgroup is.
    fn node(&self, path: &str) -> Option<Node> {
        if path == "/proc" {
            let mut v: Vec<(String, Node)> = self
                .procs
                .iter()
                .map(|p| (p.host_pid.to_string(), Node::Dir(Vec::new())))
                .collect();
            v.extend(
                PROC_FILES
                    .iter()
                    .map(|f| (f.to_string(), Node::File { writable: false })),
            );
            v.push(("self".into(), Node::Link(self.self_pid.to_string())));
            v.push((
                "thread-self".into(),
                Node::Link(format!("{0}/task/{0}", self.self_pid)),
            ));
            v.sort_by(|a, b| ls_order(&a.0, &b.0));
            return Some(Node::Dir(v));
        }
        if let Some((who, rest)) = proc_path(path) {
            let p = self.proc_of(who)?;
            return match rest {
                "" => Some(Node::Dir(
                    PID_FILES
                        .iter()
                        .map(|f| {
                            let n = match *f {
                                "ns" | "fd" | "fdinfo" | "task" | "net" | "attr" | "map_files" => {
                                    Node::Dir(Vec::new())
                                }
                                "cwd" => Node::Link("/".into()),
                                "root" => Node::Link("/".into()),
                                "exe" => Node::Link(p.argv.first().cloned().unwrap_or_default()),
                                _ => Node::File { writable: false },
                            };
                            (f.to_string(), n)
                        })
                        .collect(),
                )),
                "ns" => Some(Node::Dir(
                    ns_links(p)
                        .into_iter()
                        .map(|(n, t)| (n, Node::Link(t)))
                        .collect(),
                )),
                _ => {
                    if let Some(kind) = rest.strip_prefix("ns/") {
                        return ns_links(p)
                            .into_iter()
                            .find(|(n, _)| n == kind)
                            .map(|(_, t)| Node::Link(t));
                    }
                    PID_FILES
                        .contains(&rest)
                        .then_some(Node::File { writable: false })
                }
            };
        }
        if let Some(file) = meminfo_like(path) {
            let _ = file;
            return Some(Node::File { writable: false });
        }
        self.cgroup_node(path)
    }

    /// /sys/fs/cgroup: directories from the kernel's cgroups, files from `cgroup_files`.
    fn cgroup_node(&self, path: &str) -> Option<Node> {
        const ROOT: &str = "/sys/fs/cgroup";
        if path != ROOT && !path.starts_with("/sys/fs/cgroup/") {
            return None;
        }
        let dirs = self.cgroup_dirs();
        if dirs.contains(path) {
            let mut entries: Vec<(String, Node)> = Vec::new();
            for (name, _) in self.cgroup_files_of(path) {
                let writable = !READ_ONLY_CG.iter().any(|r| name.ends_with(r));
                entries.push((name, Node::File { writable }));
            }
            let prefix = format!("{path}/");
            for d in &dirs {
                if let Some(rest) = d.strip_prefix(&prefix) {
                    if !rest.contains('/') {
                        let sub = d
                            .strip_prefix(&prefix)
                            .map(|_| {
                                dirs.iter()
                                    .filter(|x| {
                                        x.strip_prefix(&format!("{d}/"))
                                            .is_some_and(|r| !r.contains('/'))
                                    })
                                    .map(|x| (x.clone(), Node::Dir(Vec::new())))
                                    .collect()
                            })
                            .unwrap_or_default();
                        entries.push((rest.to_string(), Node::Dir(sub)));
                    }
                }
            }
            entries.sort_by(|a, b| ls_order(&a.0, &b.0));
            return Some(Node::Dir(entries));
        }
        let (dir, file) = path.rsplit_once('/')?;
        if !dirs.contains(dir) {
            return None;
        }
        self.cgroup_files_of(dir)
            .into_iter()
            .find(|(n, _)| n == file)
            .map(|(n, _)| Node::File {
                writable: !READ_ONLY_CG.iter().any(|r| n.ends_with(r)),
            })
    }

    /// Every cgroup directory: the kernel's cgroups and their ancestors.
    fn cgroup_dirs(&self) -> BTreeSet<String> {
        let mut dirs = BTreeSet::new();
        dirs.insert("/sys/fs/cgroup".to_string());
        if self.v1 {
            for c in V1_CONTROLLERS {
                dirs.insert(format!("/sys/fs/cgroup/{c}"));
            }
        }
        for cg in &self.view.cgroups {
            let mut p = cg.path.as_str();
            while p.len() > "/sys/fs/cgroup".len() {
                dirs.insert(p.to_string());
                match p.rsplit_once('/') {
                    Some((parent, _)) => p = parent,
                    None => break,
                }
            }
        }
        dirs
    }

    /// A cgroup directory's files and their contents: the kernel's for the cgroups it
    /// tracks; for the others (the root, slices), the few every cgroup has.
    fn cgroup_files_of(&self, dir: &str) -> Vec<(String, String)> {
        if self.v1 && dir == "/sys/fs/cgroup" {
            return Vec::new();
        }
        if let Some(files) = self.kernel_cgroup_files.get(dir) {
            return files.clone();
        }
        let procs: String = self
            .view
            .cgroups
            .iter()
            .find(|c| c.path == dir)
            .map(|c| c.procs.iter().map(|p| format!("{p}\n")).collect())
            .unwrap_or_default();
        let mut v = vec![("cgroup.procs".to_string(), procs)];
        if !self.v1 {
            let root = dir == "/sys/fs/cgroup";
            v.push((
                "cgroup.controllers".into(),
                if root {
                    "cpuset cpu io memory hugetlb pids rdma misc\n".into()
                } else {
                    "cpuset cpu io memory pids\n".into()
                },
            ));
            v.push((
                "cgroup.subtree_control".into(),
                if dir.ends_with(".scope") || dir.ends_with(".service") {
                    "\n".into()
                } else {
                    "cpuset cpu io memory pids\n".into()
                },
            ));
            v.push(("cgroup.type".into(), "domain\n".into()));
        } else {
            v.push(("tasks".into(), v[0].1.clone()));
            v.push(("notify_on_release".into(), "0\n".into()));
        }
        v.sort();
        v
    }

    // ---- cat --------------------------------------------------------------------------

    fn cat(&self, args: &[String], io: &mut Io) -> i32 {
        let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let mut status = 0;
        let mut parts: Vec<String> = Vec::new();
        let mut why: Cow<'static, str> =
            Cow::Borrowed("the host's /proc and /sys are the kernel's live state, read as files");
        for p in &paths {
            let path = normalize(p);
            match self.read_file(&path) {
                Ok((text, note, w)) => {
                    io.out(text);
                    parts.push(format!("read {path}{note}"));
                    why = w;
                }
                Err(msg) => {
                    io.err(format!("cat: {p}: {msg}\n"));
                    parts.push(format!("cat: {p}: {msg}"));
                    status = 1;
                }
            }
        }
        if paths.is_empty() {
            parts.push("cat read nothing: no file named (stdin is the terminal)".into());
        }
        io.step(parts.join("; "), why);
        status
    }

    /// A file's contents, a note for the step and why it matters; or cat's error.
    #[allow(clippy::type_complexity)]
    fn read_file(&self, path: &str) -> Result<(String, String, Cow<'static, str>), &'static str> {
        if let Some((who, rest)) = proc_path(path) {
            let Some(p) = self.proc_of(who) else {
                return Err("No such file or directory");
            };
            let (text, note, why): (String, String, &'static str) = match rest {
                "" | "ns" | "task" | "fd" | "net" | "fdinfo" | "attr" | "map_files" => return Err("Is a directory"),
                "status" => (
                    self.status(p),
                    match p.nspid.as_slice() {
                        [h, n] => format!(": NSpid {h} {n}, {}", self.describe(p)),
                        _ => format!(": NSpid {}, {}", p.host_pid, self.describe(p)),
                    },
                    "NSpid lists a process's PID in each PID namespace it is visible in, from the host's inwards: the same process is host PID and container PID at once",
                ),
                "cgroup" => {
                    let t = proc_cgroup(p, self.v1);
                    let note = format!(": {}", t.lines().last().unwrap_or("").trim_start_matches("0::"));
                    (t, note, WHY_CGROUP)
                }
                "cmdline" => (
                    p.argv.iter().map(|a| format!("{a}\0")).collect(),
                    format!(": {}", p.args()),
                    "the arguments are NUL-separated in /proc/PID/cmdline; ps joins them with spaces",
                ),
                "comm" => (
                    format!("{}\n", p.comm()),
                    String::new(),
                    "comm is the executable's name, at most 15 bytes",
                ),
                "uid_map" | "gid_map" => {
                    let host_user = self.proc_by_pid(1).and_then(|h| h.ns(NsKind::User));
                    let t = if p.ns(NsKind::User) == host_user || p.uid == 0 {
                        format!("{:>10} {:>10} {:>10}\n", 0, 0, 4294967295u64)
                    } else {
                        format!("{:>10} {:>10} {:>10}\n", 0, p.uid, 65536)
                    };
                    (
                        t,
                        String::new(),
                        "without userns-remap a container stays in the host's user namespace: the identity map, so root inside is UID 0 outside",
                    )
                }
                "mounts" | "mountinfo" => {
                    let mounts = self.mounts_of(p);
                    (
                        mounts
                            .iter()
                            .map(|m| format!("{} {} {} {} 0 0\n", m.source, m.target, m.fstype, m.options))
                            .collect(),
                        format!(": {} mounts in its mount namespace", mounts.len()),
                        WHY_MOUNT,
                    )
                }
                "environ" => (String::new(), String::new(), "the environment is the process's own memory"),
                "oom_score_adj" => (
                    format!(
                        "{}\n",
                        match p.comm().as_str() {
                            "dockerd" | "containerd" => "-500",
                            "containerd-shim" => "-998",
                            _ => "0",
                        }
                    ),
                    String::new(),
                    "dockerd, containerd and the shims protect themselves from the OOM killer; container processes keep 0",
                ),
                _ => return Err("No such file or directory"),
            };
            return Ok((text, note, Cow::Borrowed(why)));
        }
        match path {
            "/proc/meminfo" => {
                return Ok((
                    meminfo_text(&meminfo(self)),
                    String::new(),
                    Cow::Borrowed("/proc/meminfo is not namespaced: a container reading it sees these same host figures, whatever its memory limit"),
                ))
            }
            "/proc/mounts" => {
                let m = self.host_mounts();
                return Ok((
                    m.iter()
                        .map(|m| format!("{} {} {} {} 0 0\n", m.source, m.target, m.fstype, m.options))
                        .collect(),
                    String::new(),
                    Cow::Borrowed(WHY_MOUNT),
                ));
            }
            "/proc/uptime" => {
                let up = self.now.since(BOOT);
                let idle = up * self.config.cpus as u64 * 97 / 100;
                return Ok((
                    format!(
                        "{}.{:02} {}.{:02}\n",
                        up / NANOS_PER_SEC,
                        up % NANOS_PER_SEC / 10_000_000,
                        idle / NANOS_PER_SEC,
                        idle % NANOS_PER_SEC / 10_000_000
                    ),
                    String::new(),
                    Cow::Borrowed("seconds since boot, and idle CPU-seconds summed over all CPUs"),
                ));
            }
            "/proc/version" => {
                return Ok((
                    format!("Linux version {} (buildd@lcy02-amd64-103) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) {UNAME_V}\n", self.release),
                    String::new(),
                    Cow::Borrowed("one kernel for the host and every container: they all report this version"),
                ));
            }
            "/proc/sys/kernel/hostname" | "/etc/hostname" => {
                return Ok((
                    format!("{}\n", self.config.hostname),
                    String::new(),
                    Cow::Borrowed("the hostname lives in the UTS namespace; containers have their own"),
                ));
            }
            "/proc/loadavg" => {
                return Ok((
                    format!(
                        "0.08 0.04 0.01 1/{} {}\n",
                        self.procs.len() + 180,
                        self.self_pid
                    ),
                    String::new(),
                    Cow::Borrowed("the load average counts runnable tasks of the whole host, containers included"),
                ));
            }
            _ => {}
        }
        if path.starts_with("/sys/fs/cgroup") {
            let dirs = self.cgroup_dirs();
            if dirs.contains(path) {
                return Err("Is a directory");
            }
            let (dir, file) = path.rsplit_once('/').ok_or("No such file or directory")?;
            if !dirs.contains(dir) {
                return Err("No such file or directory");
            }
            let files = self.cgroup_files_of(dir);
            let (_, text) = files
                .into_iter()
                .find(|(n, _)| n == file)
                .ok_or("No such file or directory")?;
            let owner = self
                .containers
                .iter()
                .find(|(id, _)| dir.contains(id.as_str()))
                .map(|(_, (name, _))| format!(" (container {name}'s cgroup)"))
                .unwrap_or_default();
            return Ok((text, owner, Cow::Borrowed(WHY_CGROUP)));
        }
        if path.starts_with("/proc") || path.starts_with("/sys") {
            return Err("No such file or directory");
        }
        Err("No such file or directory")
    }

    /// /proc/PID/status as Linux 6.8 writes it.
    fn status(&self, p: &Proc) -> String {
        let join = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join("\t");
        let sid_of = |q: &Proc| -> Vec<u32> {
            let mut cur = q;
            for _ in 0..16 {
                if cur.leader {
                    return cur.nspid.clone();
                }
                match self.proc_by_pid(cur.ppid) {
                    Some(pp) if pp.nspid.len() == q.nspid.len() => cur = pp,
                    _ => break,
                }
            }
            // The session leader is outside the namespace: 0 there.
            let mut v = cur.nspid.clone();
            v.resize(q.nspid.len(), 0);
            v
        };
        let (vsz, rss) = p.mem_kb();
        let in_container = p.container.is_some();
        let (cap, seccomp, filters) = if in_container {
            ("00000000a80425fb", 2, 1)
        } else {
            ("000001ffffffffff", 0, 0)
        };
        let state = if p.is_self {
            "R (running)"
        } else if p.frozen && self.v1 {
            "D (disk sleep)"
        } else {
            "S (sleeping)"
        };
        let cpus = self.config.cpus;
        let groups = if in_container || p.tty.is_some() {
            "0 "
        } else {
            " "
        };
        let sid = sid_of(p);
        let pgid = if p.leader || p.comm() == "containerd-shim" {
            p.nspid.clone()
        } else {
            sid.clone()
        };
        let ppid = p.ppid;
        let tracer = 0;
        format!(
            "Name:\t{name}\nUmask:\t0022\nState:\t{state}\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t{ppid}\nTracerPid:\t{tracer}\nUid:\t{u}\t{u}\t{u}\t{u}\nGid:\t{u}\t{u}\t{u}\t{u}\nFDSize:\t64\nGroups:\t{groups}\nNStgid:\t{nspid}\nNSpid:\t{nspid}\nNSpgid:\t{pgid}\nNSsid:\t{sid}\nVmPeak:\t{vpeak:>8} kB\nVmSize:\t{vsz:>8} kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\nVmHWM:\t{rss:>8} kB\nVmRSS:\t{rss:>8} kB\nRssAnon:\t{anon:>8} kB\nRssFile:\t{file:>8} kB\nRssShmem:\t       0 kB\nVmData:\t{data:>8} kB\nVmStk:\t     132 kB\nVmExe:\t{exe:>8} kB\nVmLib:\t{lib:>8} kB\nVmPTE:\t{pte:>8} kB\nVmSwap:\t       0 kB\nHugetlbPages:\t       0 kB\nCoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\nThreads:\t{threads}\nSigQ:\t0/31615\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000001000\nSigCgt:\t0000000000004a02\nCapInh:\t0000000000000000\nCapPrm:\t{cap}\nCapEff:\t{cap}\nCapBnd:\t{cap}\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t{seccomp}\nSeccomp_filters:\t{filters}\nSpeculation_Store_Bypass:\tthread vulnerable\nSpeculationIndirectBranch:\tconditional enabled\nCpus_allowed:\t{mask:x}\nCpus_allowed_list:\t0-{last}\nMems_allowed:\t00000000,00000001\nMems_allowed_list:\t0\nvoluntary_ctxt_switches:\t{vol}\nnonvoluntary_ctxt_switches:\t{nonvol}\n",
            name = p.comm(),
            pid = p.host_pid,
            u = p.uid,
            nspid = join(&p.nspid),
            pgid = join(&pgid),
            sid = join(&sid),
            vpeak = vsz + 64,
            anon = rss * 2 / 3,
            file = rss - rss * 2 / 3,
            data = vsz / 8,
            exe = 1024,
            lib = vsz / 20,
            pte = 48 + rss / 256,
            threads = p.threads(),
            mask = (1u64 << cpus) - 1,
            last = cpus.saturating_sub(1),
            vol = 12 + p.host_pid % 97,
            nonvol = p.host_pid % 7,
        )
    }

    // ---- mounts -----------------------------------------------------------------------

    /// The host's mount table: a fixed base, then each running container's mounts.
    fn host_mounts(&self) -> Vec<Mount> {
        let m = |source: &str, target: &str, fstype: &str, options: &str| Mount {
            source: source.to_string(),
            target: target.to_string(),
            fstype: fstype.to_string(),
            options: options.to_string(),
        };
        let mem_kb = self.config.memory_bytes / 1024;
        let mut v = vec![
            m("sysfs", "/sys", "sysfs", "rw,nosuid,nodev,noexec,relatime"),
            m("proc", "/proc", "proc", "rw,nosuid,nodev,noexec,relatime"),
            m(
                "udev",
                "/dev",
                "devtmpfs",
                &format!(
                    "rw,nosuid,relatime,size={}k,nr_inodes={},mode=755,inode64",
                    mem_kb / 2 - 8_000,
                    mem_kb / 8 - 2_000
                ),
            ),
            m(
                "devpts",
                "/dev/pts",
                "devpts",
                "rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=000",
            ),
            m(
                "tmpfs",
                "/run",
                "tmpfs",
                &format!(
                    "rw,nosuid,nodev,noexec,relatime,size={}k,mode=755,inode64",
                    mem_kb / 10
                ),
            ),
            m("/dev/sda1", "/", "ext4", ROOT_OPTS),
            m(
                "securityfs",
                "/sys/kernel/security",
                "securityfs",
                "rw,nosuid,nodev,noexec,relatime",
            ),
            m("tmpfs", "/dev/shm", "tmpfs", "rw,nosuid,nodev,inode64"),
            m(
                "tmpfs",
                "/run/lock",
                "tmpfs",
                "rw,nosuid,nodev,noexec,relatime,size=5120k,inode64",
            ),
        ];
        if self.v1 {
            v.push(m(
                "tmpfs",
                "/sys/fs/cgroup",
                "tmpfs",
                "ro,nosuid,nodev,noexec,mode=755,inode64",
            ));
            v.push(m(
                "cgroup2",
                "/sys/fs/cgroup/unified",
                "cgroup2",
                "rw,nosuid,nodev,noexec,relatime,nsdelegate",
            ));
            v.push(m(
                "cgroup",
                "/sys/fs/cgroup/systemd",
                "cgroup",
                "rw,nosuid,nodev,noexec,relatime,xattr,name=systemd",
            ));
            for c in V1_CONTROLLERS.iter().filter(|c| {
                !matches!(
                    **c,
                    "systemd" | "unified" | "cpu" | "cpuacct" | "net_cls" | "net_prio"
                )
            }) {
                v.push(m(
                    "cgroup",
                    &format!("/sys/fs/cgroup/{c}"),
                    "cgroup",
                    &format!("rw,nosuid,nodev,noexec,relatime,{c}"),
                ));
            }
        } else {
            v.push(m(
                "cgroup2",
                "/sys/fs/cgroup",
                "cgroup2",
                "rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot",
            ));
        }
        v.extend([
            m("pstore", "/sys/fs/pstore", "pstore", "rw,nosuid,nodev,noexec,relatime"),
            m("bpf", "/sys/fs/bpf", "bpf", "rw,nosuid,nodev,noexec,relatime,mode=700"),
            m("hugetlbfs", "/dev/hugepages", "hugetlbfs", "rw,nosuid,nodev,relatime,pagesize=2M"),
            m("mqueue", "/dev/mqueue", "mqueue", "rw,nosuid,nodev,noexec,relatime"),
            m("debugfs", "/sys/kernel/debug", "debugfs", "rw,nosuid,nodev,noexec,relatime"),
            m("tracefs", "/sys/kernel/tracing", "tracefs", "rw,nosuid,nodev,noexec,relatime"),
            m("fusectl", "/sys/fs/fuse/connections", "fusectl", "rw,nosuid,nodev,noexec,relatime"),
            m("configfs", "/sys/kernel/config", "configfs", "rw,nosuid,nodev,noexec,relatime"),
            m(
                "/dev/sda15",
                "/boot/efi",
                "vfat",
                "rw,relatime,fmask=0077,dmask=0077,codepage=437,iocharset=iso8859-1,shortname=mixed,errors=remount-ro",
            ),
            m(
                "tmpfs",
                "/run/user/0",
                "tmpfs",
                &format!("rw,nosuid,nodev,relatime,size={}k,nr_inodes={},mode=700,inode64", mem_kb / 10, mem_kb / 40),
            ),
        ]);
        for mi in self.view.mounts.iter().filter(|mi| is_host_side(mi)) {
            v.push(m(
                "overlay",
                &mi.target,
                "overlay",
                &overlay_opts(&mi.options),
            ));
            v.push(m(
                "shm",
                &format!("/var/lib/docker/containers/{}/mounts/shm", mi.container),
                "tmpfs",
                "rw,nosuid,nodev,noexec,relatime,size=65536k,inode64",
            ));
        }
        v
    }

    /// The mount table of `p`'s mount namespace.
    fn mounts_of(&self, p: &Proc) -> Vec<Mount> {
        let host_mnt = self.proc_by_pid(1).and_then(|h| h.ns(NsKind::Mnt));
        let Some(id) = p
            .container
            .as_ref()
            .filter(|_| p.ns(NsKind::Mnt) != host_mnt)
        else {
            return self.host_mounts();
        };
        self.view
            .mounts
            .iter()
            .filter(|mi| &mi.container == id && !is_host_side(mi))
            .map(|mi| {
                let (source, fstype, options) = match (mi.target.as_str(), mi.fstype.as_str()) {
                    (_, "bind") => (
                        format!("/dev/sda1[{}]", mi.options.trim_start_matches('/'))
                            .replace("[", "[/"),
                        "ext4".to_string(),
                        if mi.readonly {
                            ROOT_OPTS.replacen("rw", "ro", 1)
                        } else {
                            ROOT_OPTS.to_string()
                        },
                    ),
                    ("/", _) => ("overlay".into(), mi.fstype.clone(), mi.options.clone()),
                    ("/sys/fs/cgroup", _) => {
                        ("cgroup".into(), mi.fstype.clone(), mi.options.clone())
                    }
                    ("/dev/shm", _) => ("shm".into(), mi.fstype.clone(), mi.options.clone()),
                    (_, f) => (f.to_string(), mi.fstype.clone(), mi.options.clone()),
                };
                Mount {
                    source,
                    target: mi.target.clone(),
                    fstype,
                    options,
                }
            })
            .collect()
    }

    fn mount(&self, args: &[String], io: &mut Io) -> i32 {
        let mut types: Option<Vec<String>> = None;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-t" => {
                    types = it
                        .next()
                        .map(|t| t.split(',').map(str::to_string).collect())
                }
                "-l" | "-v" => {}
                _ => {
                    io.err("mount: only root can do that (the simulated host lists mounts; it does not mount)\n");
                    io.step(
                        "mount: not modelled: mounting",
                        "the simulated host lists its mount table but does not change it",
                    );
                    return 1;
                }
            }
        }
        let mounts: Vec<Mount> = self
            .host_mounts()
            .into_iter()
            .filter(|m| types.as_ref().is_none_or(|t| t.contains(&m.fstype)))
            .collect();
        io.out(
            mounts
                .iter()
                .map(|m| {
                    format!(
                        "{} on {} type {} ({})\n",
                        m.source, m.target, m.fstype, m.options
                    )
                })
                .collect::<String>(),
        );
        io.step(
            self.mount_action(&mounts, "read /proc/self/mounts"),
            WHY_MOUNT,
        );
        0
    }

    fn mount_action(&self, mounts: &[Mount], what: &str) -> String {
        let overlays: Vec<String> = self
            .view
            .mounts
            .iter()
            .filter(|mi| is_host_side(mi) && mounts.iter().any(|m| m.target == mi.target))
            .map(|mi| {
                format!(
                    "container {}'s root at {}",
                    self.container_name(&mi.container),
                    mi.target
                )
            })
            .collect();
        if overlays.is_empty() {
            format!(
                "{what}: {} mounts, no container root file system among them",
                mounts.len()
            )
        } else {
            format!(
                "{what}: {} mounts; overlay: {}",
                mounts.len(),
                overlays.join(", ")
            )
        }
    }

    fn findmnt(&self, args: &[String], io: &mut Io) -> i32 {
        let mut list = false;
        let mut headings = true;
        let mut types: Option<Vec<String>> = None;
        let mut pid: Option<u32> = None;
        let mut target: Option<String> = None;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-l" | "--list" => list = true,
                "-n" | "--noheadings" => headings = false,
                "-t" | "--types" => {
                    types = it
                        .next()
                        .map(|t| t.split(',').map(str::to_string).collect())
                }
                "-N" | "--task" => {
                    let v = it.next().cloned().unwrap_or_default();
                    match v.parse::<u32>() {
                        Ok(p) if self.proc_by_pid(p).is_some() => pid = Some(p),
                        _ => {
                            io.err(format!("findmnt: invalid TID argument: '{v}'\n"));
                            io.step(
                                "findmnt: no such process",
                                "findmnt -N reads /proc/PID/mountinfo",
                            );
                            return 1;
                        }
                    }
                }
                "-A" | "--all" | "-u" | "--notruncate" | "-k" | "--kernel" => {}
                s if s.starts_with('-') => {
                    io.err(format!("findmnt: invalid option -- '{}'\nTry 'findmnt --help' for more information.\n", s.trim_start_matches('-')));
                    io.step(
                        "findmnt rejected its options",
                        "util-linux checks its options first",
                    );
                    return 1;
                }
                s => target = Some(normalize(s)),
            }
        }
        let (mounts, whose) = match pid.and_then(|p| self.proc_by_pid(p)) {
            Some(p) => (
                self.mounts_of(p),
                format!("read /proc/{}/mountinfo ({})", p.host_pid, self.describe(p)),
            ),
            None => (self.host_mounts(), "read /proc/self/mountinfo".to_string()),
        };
        let filtered = types.is_some() || target.is_some();
        let mounts: Vec<Mount> = mounts
            .into_iter()
            .filter(|m| types.as_ref().is_none_or(|t| t.contains(&m.fstype)))
            .filter(|m| {
                target
                    .as_ref()
                    .is_none_or(|t| &m.target == t || &m.source == t)
            })
            .collect();
        if mounts.is_empty() {
            io.step(format!("{whose}: nothing matches"), WHY_MOUNT);
            return 1;
        }
        let spec = [
            ("TARGET", 0, false),
            ("SOURCE", 0, false),
            ("FSTYPE", 0, false),
            ("OPTIONS", 0, false),
        ];
        let rows: Vec<Vec<String>> = if list || filtered {
            mounts
                .iter()
                .map(|m| {
                    vec![
                        m.target.clone(),
                        m.source.clone(),
                        m.fstype.clone(),
                        m.options.clone(),
                    ]
                })
                .collect()
        } else {
            // The tree: each mount under the one it was mounted on.
            let parent_of = |i: usize| -> Option<usize> {
                let t = &mounts[i].target;
                (0..mounts.len())
                    .filter(|&j| j != i && is_under(t, &mounts[j].target) && mounts[j].target != *t)
                    .max_by_key(|&j| (mounts[j].target.len(), j))
            };
            let root = mounts.iter().position(|m| m.target == "/").unwrap_or(0);
            let mut kids: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for i in 0..mounts.len() {
                if i != root {
                    kids.entry(parent_of(i).unwrap_or(root))
                        .or_default()
                        .push(i);
                }
            }
            let mut rows = Vec::new();
            fn walk(
                i: usize,
                art: String,
                prefix: String,
                kids: &BTreeMap<usize, Vec<usize>>,
                mounts: &[Mount],
                rows: &mut Vec<Vec<String>>,
            ) {
                let m = &mounts[i];
                rows.push(vec![
                    format!("{art}{}", m.target),
                    m.source.clone(),
                    m.fstype.clone(),
                    m.options.clone(),
                ]);
                let ks = kids.get(&i).cloned().unwrap_or_default();
                for (n, k) in ks.iter().enumerate() {
                    let last = n + 1 == ks.len();
                    walk(
                        *k,
                        format!("{prefix}{}", if last { "└─" } else { "├─" }),
                        format!("{prefix}{}", if last { "  " } else { "│ " }),
                        kids,
                        mounts,
                        rows,
                    );
                }
            }
            walk(
                root,
                String::new(),
                String::new(),
                &kids,
                &mounts,
                &mut rows,
            );
            rows
        };
        io.out(scols(&spec, &rows, headings));
        io.step(self.mount_action(&mounts, &whose), WHY_MOUNT);
        0
    }

    // ---- dmesg, uname, free -----------------------------------------------------------

    fn dmesg(&self, args: &[String], io: &mut Io) -> i32 {
        let human_time = args.iter().any(|a| a == "-T" || a == "--ctime");
        let mut lines: Vec<(u64, String)> = Vec::new();
        let since_boot = |t: Time| -> u64 {
            // The kernel log counts from boot; accept absolute times too.
            if t.0 > 1_000_000_000 * NANOS_PER_SEC {
                t.since(BOOT)
            } else {
                t.0
            }
        };
        if !self.kmsg.iter().any(|(t, _)| since_boot(*t) == 0) {
            lines.extend([
                (0, format!("Linux version {} (buildd@lcy02-amd64-103) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) {UNAME_V}", self.release)),
                (0, format!("Command line: BOOT_IMAGE=/vmlinuz-{} root=/dev/sda1 ro console=tty1 console=ttyS0", self.release)),
                (412_703_000, "cgroup: Disabling cgroup1 hierarchy as unified hierarchy is enabled... ".trim_end_matches("... ").to_string()),
                (7_874_211_000, "EXT4-fs (sda1): mounted filesystem 6f3c1d9e-8a2b-4c5d-9e7f-0a1b2c3d4e5f ro with ordered data mode. Quota mode: none.".into()),
                (12_931_560_000, "bridge: filtering via arp/ip/ip6tables is no longer available by default. Update your scripts to load br_netfilter if you need this.".into()),
                (13_118_042_000, "Bridge firewalling registered".into()),
                (13_402_338_000, "Initializing XFRM netlink socket".into()),
            ]);
            if self.v1 {
                lines.remove(2);
            }
        }
        lines.extend(self.kmsg.iter().map(|(t, m)| (since_boot(*t), m.clone())));
        let mut out = String::new();
        for (ns, msg) in &lines {
            if human_time {
                out.push_str(&format!("[{}] {msg}\n", BOOT.plus_nanos(*ns).ansic()));
            } else {
                out.push_str(&format!(
                    "[{:>5}.{:06}] {msg}\n",
                    ns / NANOS_PER_SEC,
                    ns % NANOS_PER_SEC / 1000
                ));
            }
        }
        io.out(out);
        let ooms = self
            .kmsg
            .iter()
            .filter(|(_, m)| m.contains("out of memory"))
            .count();
        io.step(
            format!(
                "read the kernel ring buffer (/dev/kmsg): {} messages{}",
                lines.len(),
                if ooms > 0 { format!(", {ooms} from the OOM killer") } else { String::new() }
            ),
            "the kernel log is the host's: what the kernel does for containers (OOM kills in their memory cgroups, veth devices joining docker0) is logged here, not in the container",
        );
        0
    }

    fn uname(&self, args: &[String], io: &mut Io) -> i32 {
        let mut fields: Vec<String> = Vec::new();
        let all = args.is_empty();
        for a in args {
            for c in a.trim_start_matches('-').chars() {
                let f = match c {
                    'a' => {
                        fields = vec![
                            "Linux".into(),
                            self.config.hostname.clone(),
                            self.release.clone(),
                            UNAME_V.into(),
                            "x86_64".into(),
                            "x86_64".into(),
                            "x86_64".into(),
                            "GNU/Linux".into(),
                        ];
                        continue;
                    }
                    's' => "Linux".to_string(),
                    'n' => self.config.hostname.clone(),
                    'r' => self.release.clone(),
                    'v' => UNAME_V.into(),
                    'm' | 'p' | 'i' => "x86_64".into(),
                    'o' => "GNU/Linux".into(),
                    other => {
                        io.err(format!("uname: invalid option -- '{other}'\nTry 'uname --help' for more information.\n"));
                        io.step(
                            "uname rejected its options",
                            "coreutils checks its options first",
                        );
                        return 1;
                    }
                };
                fields.push(f);
            }
        }
        if all {
            fields.push("Linux".into());
        }
        io.out(format!("{}\n", fields.join(" ")));
        io.step(
            format!("uname(2): Linux {}", self.release),
            "there is one kernel: `uname -r` in any container prints this same release",
        );
        0
    }

    fn free(&self, args: &[String], io: &mut Io) -> i32 {
        let mut unit = 'k';
        for a in args {
            match a.as_str() {
                "-h" | "--human" => unit = 'h',
                "-m" | "--mebi" => unit = 'm',
                "-g" | "--gibi" => unit = 'g',
                "-k" | "--kibi" => unit = 'k',
                "-b" | "--bytes" => unit = 'b',
                "-w" | "--wide" | "-t" | "--total" => {}
                other => {
                    io.err(format!(
                        "free: invalid option -- '{}'\n\nUsage:\n free [options]\n",
                        other.trim_start_matches('-')
                    ));
                    io.step(
                        "free rejected its options",
                        "procps checks its options first",
                    );
                    return 1;
                }
            }
        }
        let m = meminfo(self);
        let fmt = |kb: u64| -> String {
            match unit {
                'h' => human_kib(kb),
                'm' => (kb / 1024).to_string(),
                'g' => (kb / 1024 / 1024).to_string(),
                'b' => (kb * 1024).to_string(),
                _ => kb.to_string(),
            }
        };
        let used = m.total - m.available;
        let cache = m.buffers + m.cached + m.sreclaimable;
        let mut s = String::from(
            "               total        used        free      shared  buff/cache   available\n",
        );
        s.push_str(&format!(
            "{:<7} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}\n",
            "Mem:",
            fmt(m.total),
            fmt(used),
            fmt(m.free),
            fmt(m.shmem),
            fmt(cache),
            fmt(m.available)
        ));
        s.push_str(&format!(
            "{:<7} {:>11} {:>11} {:>11}\n",
            "Swap:",
            fmt(0),
            fmt(0),
            fmt(0)
        ));
        io.out(s);
        io.step(
            format!("read /proc/meminfo: {} kB in use of {} kB", used, m.total),
            "memory is one pool for the host: a container's processes count here like any other, and its memory cgroup only caps its share",
        );
        0
    }

    // ---- nsenter ----------------------------------------------------------------------

    fn nsenter(&self, args: &[String], io: &mut Io) -> i32 {
        let mut target: Option<u32> = None;
        let mut kinds: BTreeSet<NsKind> = BTreeSet::new();
        let mut i = 0;
        let usage = |io: &mut Io, msg: &str| {
            io.err(format!(
                "nsenter: {msg}\nTry 'nsenter --help' for more information.\n"
            ));
            io.step(
                format!("nsenter: {msg}"),
                "nsenter needs a target process (-t PID) and the namespaces to enter",
            );
            1
        };
        while i < args.len() {
            let a = args[i].as_str();
            if !a.starts_with('-') {
                break;
            }
            i += 1;
            match a {
                "-t" | "--target" => {
                    let v = args.get(i).cloned().unwrap_or_default();
                    i += 1;
                    match v.parse::<u32>() {
                        Ok(p) => target = Some(p),
                        Err(_) => return usage(io, &format!("invalid target argument: '{v}'")),
                    }
                }
                "-a" | "--all" => kinds.extend([
                    NsKind::Mnt,
                    NsKind::Uts,
                    NsKind::Ipc,
                    NsKind::Pid,
                    NsKind::Net,
                    NsKind::Cgroup,
                    NsKind::User,
                ]),
                "--" => break,
                "--time" => {}
                _ if a.starts_with("--") => match ns_long(a) {
                    Some(k) => {
                        kinds.insert(k);
                    }
                    None => return usage(io, &format!("unrecognized option '{a}'")),
                },
                _ => {
                    let mut chars = a[1..].chars();
                    while let Some(c) = chars.next() {
                        let k = match c {
                            'm' => NsKind::Mnt,
                            'u' => NsKind::Uts,
                            'i' => NsKind::Ipc,
                            'n' => NsKind::Net,
                            'p' => NsKind::Pid,
                            'C' => NsKind::Cgroup,
                            'U' => NsKind::User,
                            'T' => continue,
                            'a' => {
                                kinds.extend([
                                    NsKind::Mnt,
                                    NsKind::Uts,
                                    NsKind::Ipc,
                                    NsKind::Pid,
                                    NsKind::Net,
                                    NsKind::Cgroup,
                                    NsKind::User,
                                ]);
                                continue;
                            }
                            't' => {
                                let rest: String = chars.by_ref().collect();
                                let v = if rest.is_empty() {
                                    let v = args.get(i).cloned().unwrap_or_default();
                                    i += 1;
                                    v
                                } else {
                                    rest
                                };
                                match v.parse::<u32>() {
                                    Ok(p) => target = Some(p),
                                    Err(_) => {
                                        return usage(
                                            io,
                                            &format!("invalid target argument: '{v}'"),
                                        )
                                    }
                                }
                                break;
                            }
                            other => return usage(io, &format!("invalid option -- '{other}'")),
                        };
                        kinds.insert(k);
                    }
                }
            }
        }
        if args.get(i).map(String::as_str) == Some("--") {
            i += 1;
        }
        let Some(tpid) = target else {
            return usage(io, "neither filename nor target pid supplied for ns/mnt");
        };
        let Some(t) = self.proc_by_pid(tpid) else {
            io.err(format!(
                "nsenter: cannot open /proc/{tpid}/ns/ipc: No such file or directory\n"
            ));
            io.step(
                format!("nsenter: no process {tpid}"),
                "/proc lists only live processes",
            );
            return 1;
        };
        if kinds.is_empty() {
            return usage(io, "no namespace specified");
        }
        // With -a, nsenter skips the namespaces the target shares with it.
        let me = self.proc_by_pid(self.self_pid).cloned();
        let entered: Vec<NsKind> = kinds
            .iter()
            .copied()
            .filter(|k| t.ns(*k) != me.as_ref().and_then(|m| m.ns(*k)))
            .collect();
        let cmd: Vec<String> = if i < args.len() {
            args[i..].to_vec()
        } else {
            vec!["/bin/bash".into()]
        };
        // The new process: the target's namespaces for those entered, the host's for the rest.
        let mut child = me.clone().unwrap_or_else(|| t.clone());
        for n in child.namespaces.iter_mut() {
            if kinds.contains(&n.kind) {
                if let Some(tn) = t.ns(n.kind) {
                    *n = tn;
                }
            }
        }
        child.argv = cmd.clone();
        let in_pid = kinds.contains(&NsKind::Pid) && t.nspid.len() > 1;
        let peers: Vec<&Proc> = self
            .procs
            .iter()
            .filter(|q| q.container.is_some() && q.container == t.container)
            .collect();
        if in_pid {
            let next = peers
                .iter()
                .filter_map(|q| q.nspid.last())
                .max()
                .copied()
                .unwrap_or(0)
                + 1;
            child.nspid = vec![self.self_pid + 1, next];
            child.pid = next;
        }
        // The procfs it sees: the container's if it entered the container's mount namespace.
        let container_proc = kinds.contains(&NsKind::Mnt) && t.nspid.len() > 1;
        let view_procs: Vec<Proc> = if container_proc {
            let mut v: Vec<Proc> = peers
                .iter()
                .map(|q| {
                    let mut c = (*q).clone();
                    c.pid = *q.nspid.last().unwrap_or(&q.host_pid);
                    c.ppid = self
                        .proc_by_pid(q.ppid)
                        .filter(|pp| pp.container == q.container)
                        .and_then(|pp| pp.nspid.last().copied())
                        .unwrap_or(0);
                    c.tty = None;
                    c
                })
                .collect();
            if in_pid {
                let mut c = child.clone();
                c.ppid = 0;
                c.is_self = true;
                v.push(c);
            }
            v.sort_by_key(|p| p.pid);
            v
        } else {
            let mut v = self.procs.clone();
            for p in v.iter_mut().filter(|p| p.is_self) {
                p.argv = cmd.clone();
            }
            v
        };
        let what = format!(
            "setns(2) into {} of PID {tpid} ({}){}",
            if entered.is_empty() {
                "no namespace (all are already shared)".to_string()
            } else {
                format!(
                    "the {} namespaces",
                    entered
                        .iter()
                        .map(|k| k.proc_name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            self.describe(t),
            if kinds.contains(&NsKind::Pid) {
                ", then fork(2) so that the child is in the PID namespace"
            } else {
                ""
            }
        );
        let why = "nsenter is how `docker exec` works underneath: open /proc/PID/ns/*, setns(2) into each, then exec the command; what the command sees follows from the namespaces it entered (ps reads /proc, which belongs to the mount namespace)";
        let prog = cmd[0].rsplit('/').next().unwrap_or(&cmd[0]);
        let rest = &cmd[1..];
        let code = match prog {
            "hostname" => {
                let name = if kinds.contains(&NsKind::Uts) {
                    t.container
                        .as_ref()
                        .and_then(|id| self.containers.get(id))
                        .map(|(_, h)| h.clone())
                        .unwrap_or_else(|| self.config.hostname.clone())
                } else {
                    self.config.hostname.clone()
                };
                io.out(format!("{name}\n"));
                0
            }
            "readlink" | "ls" => {
                let mut v = self.procs.clone();
                let mut c = child.clone();
                c.host_pid = self.self_pid;
                c.is_self = true;
                v.retain(|p| p.host_pid != self.self_pid);
                v.push(c);
                let sub = self.with_procs(v);
                if prog == "ls" {
                    sub.forward(io, |h, sub_io| h.ls(rest, sub_io))
                } else {
                    sub.forward(io, |h, sub_io| h.readlink(rest, sub_io))
                }
            }
            "ps" => self
                .with_procs(view_procs)
                .forward(io, |h, sub_io| h.ps_in(rest, sub_io)),
            "bash" | "sh" if rest.is_empty() => {
                io.err("porthole: nsenter: an interactive shell is not simulated; give a command (hostname, ps, ls -l /proc/self/ns, readlink /proc/self/ns/pid)\n");
                1
            }
            other => {
                io.err(format!("porthole: nsenter: `{other}` is not simulated here; try hostname, ps, ls -l /proc/self/ns or readlink /proc/self/ns/pid (or `docker exec`)\n"));
                1
            }
        };
        io.step(what, why);
        code
    }

    /// `ps` over this host's process list as it stands (for nsenter's procfs views).
    fn ps_in(&self, args: &[String], io: &mut Io) -> i32 {
        self.ps(args, io)
    }
}

// ---- the parts -------------------------------------------------------------------------

/// What a path is in the host's pseudo file systems.
#[derive(Clone, Debug)]
enum Node {
    Dir(Vec<(String, Node)>),
    File { writable: bool },
    Link(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Mount {
    source: String,
    target: String,
    fstype: String,
    options: String,
}

/// The overlay mount of a container's root in the host's mount namespace (not the
/// mounts inside its own).
fn is_host_side(m: &MountInfo) -> bool {
    m.fstype == "overlay" && m.target.starts_with("/var/lib/docker/")
}

fn overlay_opts(o: &str) -> String {
    if o.starts_with("rw,") || o.starts_with("ro,") {
        o.to_string()
    } else {
        format!("rw,relatime,{o}")
    }
}

fn is_under(path: &str, mount: &str) -> bool {
    mount == "/" || path == mount || path.starts_with(&format!("{mount}/"))
}

fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `/proc/<who>/<rest>` → (who, rest) when `who` looks like a PID or self.
fn proc_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/proc/")?;
    let (who, tail) = rest.split_once('/').unwrap_or((rest, ""));
    (who == "self" || who == "thread-self" || who.chars().all(|c| c.is_ascii_digit()))
        .then_some((who, tail))
}

fn meminfo_like(path: &str) -> Option<&str> {
    PROC_FILES
        .iter()
        .find(|f| path.strip_prefix("/proc/") == Some(**f))
        .copied()
}

/// `/proc/PID/ns/*` in ls order: (name, link target).
fn ns_links(p: &Proc) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = p
        .namespaces
        .iter()
        .map(|n| (n.kind.proc_name().to_string(), n.to_string()))
        .collect();
    if let Some(pid) = p.ns(NsKind::Pid) {
        v.push(("pid_for_children".into(), pid.to_string()));
    }
    // Linux >= 5.6 has time namespaces; Docker does not unshare them: the host's.
    v.push(("time".into(), format!("time:[{TIME_NS}]")));
    v.push(("time_for_children".into(), format!("time:[{TIME_NS}]")));
    v.sort();
    v
}

/// /proc/PID/cgroup: `0::/path` on v2; a line per hierarchy on v1.
fn proc_cgroup(p: &Proc, v1: bool) -> String {
    let rel = p.cgroup.strip_prefix("/sys/fs/cgroup").unwrap_or(&p.cgroup);
    if !v1 {
        return format!("0::{}\n", if rel.is_empty() { "/" } else { rel });
    }
    // v1: /sys/fs/cgroup/<controller>/<path>.
    let rel = rel.trim_start_matches('/');
    let path = rel
        .split_once('/')
        .map(|(_, r)| format!("/{r}"))
        .unwrap_or_else(|| "/".into());
    let mut s = String::new();
    for (i, c) in [
        "pids",
        "memory",
        "cpu,cpuacct",
        "blkio",
        "devices",
        "freezer",
        "net_cls,net_prio",
        "perf_event",
        "cpuset",
        "hugetlb",
        "rdma",
        "misc",
    ]
    .iter()
    .enumerate()
    {
        s.push_str(&format!("{}:{c}:{path}\n", 13 - i));
    }
    s.push_str(&format!("1:name=systemd:{path}\n0::{path}\n"));
    s
}

fn user_name(uid: u32) -> String {
    match uid {
        0 => "root".into(),
        65534 => "nobody".into(),
        u => u.to_string(),
    }
}

fn tenths(v: u64) -> String {
    if v > 999 {
        (v / 10).to_string()
    } else {
        format!("{}.{}", v / 10, v % 10)
    }
}

/// `HH:MM` when started today, `MmmDD` this year, else the year (procps' STIME/START).
fn ps_start(start: Time, now: Time) -> String {
    let s = start.rfc3339_nano();
    let n = now.rfc3339_nano();
    if s[..10] == n[..10] {
        s[11..16].to_string()
    } else if s[..4] == n[..4] {
        let month: usize = s[5..7].parse().unwrap_or(1);
        format!("{}{}", MONTHS[month - 1], &s[8..10])
    } else {
        s[..4].to_string()
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// GNU ls's date for recent files: `Jan  5 09:00`.
fn ls_date(t: Time) -> String {
    let s = t.rfc3339_nano();
    let month: usize = s[5..7].parse().unwrap_or(1);
    let day: u32 = s[8..10].parse().unwrap_or(1);
    format!("{} {day:>2} {}", MONTHS[month - 1], &s[11..16])
}

/// GNU ls's shell-escape quoting (on a terminal): names with shell metacharacters are
/// put in single quotes.
fn shell_quote(s: &str) -> String {
    if s.chars().any(|c| " \t'\"[]*?$`\\!&|;<>(){}#~=".contains(c)) {
        format!("'{}'", s.replace('\'', "'\\''"))
    } else {
        s.to_string()
    }
}

/// ls's order in a UTF-8 locale, near enough: case and punctuation matter less.
pub(crate) fn ls_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| -> (String, String) {
        (
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect(),
            s.to_string(),
        )
    };
    // Numeric names (PIDs) first, in numeric order, as in /proc.
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        _ => key(a).cmp(&key(b)),
    }
}

/// GNU ls's columns (-C, a terminal of `width` columns): as many columns as fit, filled
/// top to bottom, two spaces between.
pub(crate) fn ls_columns(names: &[String], width: usize) -> String {
    if names.is_empty() {
        return String::new();
    }
    let n = names.len();
    let max_cols = (width / 3).max(1).min(n);
    let mut best = 1;
    for cols in (1..=max_cols).rev() {
        let rows = n.div_ceil(cols);
        let mut widths = vec![0usize; cols];
        for (i, name) in names.iter().enumerate() {
            let c = i / rows;
            let w = name.chars().count() + if c + 1 == cols { 0 } else { 2 };
            widths[c] = widths[c].max(w);
        }
        if widths.iter().sum::<usize>() < width {
            best = cols;
            break;
        }
    }
    let rows = n.div_ceil(best);
    let mut widths = vec![0usize; best];
    for (i, name) in names.iter().enumerate() {
        widths[i / rows] = widths[i / rows].max(name.chars().count() + 2);
    }
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        let mut c = 0;
        while let Some(name) = names.get(c * rows + r) {
            line.push_str(name);
            if names.get((c + 1) * rows + r).is_some() {
                let pad = widths[c] - name.chars().count();
                line.push_str(&" ".repeat(pad));
            }
            c += 1;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A libsmartcols table (lsns, findmnt) as printed to a pipe: each column as wide as its
/// widest cell or header, or its width hint; one space between; the last column unpadded.
fn scols(spec: &[(&str, usize, bool)], rows: &[Vec<String>], headings: bool) -> String {
    let mut widths: Vec<usize> = spec
        .iter()
        .enumerate()
        .map(|(i, _)| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for (i, (h, hint, _)) in spec.iter().enumerate() {
        // The header counts as a cell (without headings it does not); then a column
        // narrower than its hint is widened to it (`lsns` prints PID 1 as `    1`).
        let min = if headings { h.len() } else { 1 };
        widths[i] = widths[i].max(min);
        if *hint >= 1 && widths[i] < *hint && min < *hint {
            widths[i] = *hint;
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let last = i + 1 == cells.len();
            let w = widths[i];
            let len = c.chars().count();
            if spec[i].2 {
                s.push_str(&" ".repeat(w.saturating_sub(len)));
                s.push_str(c);
            } else {
                s.push_str(c);
                if !last {
                    s.push_str(&" ".repeat(w.saturating_sub(len)));
                }
            }
            if !last {
                s.push(' ');
            }
        }
        s.push('\n');
        s
    };
    let mut out = String::new();
    if headings {
        out.push_str(&line(
            &spec
                .iter()
                .map(|(h, _, _)| h.to_string())
                .collect::<Vec<_>>(),
        ));
    }
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

fn ns_long(a: &str) -> Option<NsKind> {
    let name = a.trim_start_matches("--");
    let name = name.split_once('=').map(|(n, _)| n).unwrap_or(name);
    Some(match name {
        "mount" => NsKind::Mnt,
        "uts" => NsKind::Uts,
        "ipc" => NsKind::Ipc,
        "net" => NsKind::Net,
        "pid" => NsKind::Pid,
        "cgroup" => NsKind::Cgroup,
        "user" => NsKind::User,
        _ => return None,
    })
}

const NS_TYPES: [&str; 8] = ["mnt", "net", "ipc", "user", "pid", "uts", "cgroup", "time"];

const LSNS_COLS: [&str; 9] = [
    "NS", "TYPE", "PATH", "NPROCS", "PID", "PPID", "COMMAND", "UID", "USER",
];

/// A ps column: its procps name(s), header and width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PsCol {
    Pid,
    Ppid,
    Uid,
    User,
    RuserF,
    Comm,
    Ucmd,
    Args,
    CmdF,
    C,
    Pcpu,
    Pmem,
    Vsz,
    Rss,
    Tty,
    Stat,
    State,
    Stime,
    Start,
    Time,
    BsdTime,
    Etime,
    Nlwp,
    Ns(NsKind),
    TimeNs,
    Cgroup,
}

impl PsCol {
    fn parse(s: &str) -> Option<PsCol> {
        Some(match s {
            "pid" | "tgid" => PsCol::Pid,
            "ppid" => PsCol::Ppid,
            "uid" | "euid" => PsCol::Uid,
            "user" | "euser" | "uname" => PsCol::User,
            "ruser_f" => PsCol::RuserF,
            "comm" | "ucomm" => PsCol::Comm,
            "ucmd" => PsCol::Ucmd,
            "args" | "cmd" | "command" => PsCol::Args,
            "cmd_f" => PsCol::CmdF,
            "c" => PsCol::C,
            "%cpu" | "pcpu" => PsCol::Pcpu,
            "%mem" | "pmem" => PsCol::Pmem,
            "vsz" | "vsize" => PsCol::Vsz,
            "rss" | "rssize" | "rsz" => PsCol::Rss,
            "tty" | "tt" | "tname" => PsCol::Tty,
            "stat" => PsCol::Stat,
            "s" | "state" => PsCol::State,
            "stime" => PsCol::Stime,
            "start_time" | "start" => PsCol::Start,
            "time" | "cputime" => PsCol::Time,
            "bsdtime" => PsCol::BsdTime,
            "etime" => PsCol::Etime,
            "nlwp" | "thcount" => PsCol::Nlwp,
            "pidns" => PsCol::Ns(NsKind::Pid),
            "mntns" => PsCol::Ns(NsKind::Mnt),
            "netns" => PsCol::Ns(NsKind::Net),
            "utsns" => PsCol::Ns(NsKind::Uts),
            "ipcns" => PsCol::Ns(NsKind::Ipc),
            "userns" => PsCol::Ns(NsKind::User),
            "cgroupns" => PsCol::Ns(NsKind::Cgroup),
            "timens" => PsCol::TimeNs,
            "cgroup" => PsCol::Cgroup,
            _ => return None,
        })
    }
    fn header(self) -> &'static str {
        match self {
            PsCol::Pid => "PID",
            PsCol::Ppid => "PPID",
            PsCol::Uid => "UID",
            PsCol::User => "USER",
            PsCol::RuserF => "UID",
            PsCol::Comm | PsCol::Args => "COMMAND",
            PsCol::Ucmd | PsCol::CmdF => "CMD",
            PsCol::C => "C",
            PsCol::Pcpu => "%CPU",
            PsCol::Pmem => "%MEM",
            PsCol::Vsz => "VSZ",
            PsCol::Rss => "RSS",
            PsCol::Tty => "TTY",
            PsCol::Stat => "STAT",
            PsCol::State => "S",
            PsCol::Stime => "STIME",
            PsCol::Start => "START",
            PsCol::Time => "TIME",
            PsCol::BsdTime => "TIME",
            PsCol::Etime => "ELAPSED",
            PsCol::Nlwp => "NLWP",
            PsCol::Ns(NsKind::Pid) => "PIDNS",
            PsCol::Ns(NsKind::Mnt) => "MNTNS",
            PsCol::Ns(NsKind::Net) => "NETNS",
            PsCol::Ns(NsKind::Uts) => "UTSNS",
            PsCol::Ns(NsKind::Ipc) => "IPCNS",
            PsCol::Ns(NsKind::User) => "USERNS",
            PsCol::Ns(NsKind::Cgroup) => "CGROUPNS",
            PsCol::TimeNs => "TIMENS",
            PsCol::Cgroup => "CGROUP",
        }
    }
    /// procps' width and alignment (true = right).
    fn width(self) -> (usize, bool) {
        match self {
            PsCol::Pid | PsCol::Ppid => (7, true),
            PsCol::Uid => (5, true),
            PsCol::User | PsCol::RuserF => (8, false),
            PsCol::Comm | PsCol::Ucmd | PsCol::Args | PsCol::CmdF | PsCol::Cgroup => (0, false),
            PsCol::C => (2, true),
            PsCol::Pcpu | PsCol::Pmem => (4, true),
            PsCol::Vsz => (6, true),
            PsCol::Rss => (5, true),
            PsCol::Tty => (8, false),
            PsCol::Stat => (4, false),
            PsCol::State => (1, false),
            PsCol::Stime | PsCol::Start => (5, false),
            PsCol::Time => (8, true),
            PsCol::BsdTime => (6, true),
            PsCol::Etime => (11, true),
            PsCol::Nlwp => (4, true),
            PsCol::Ns(_) | PsCol::TimeNs => (10, true),
        }
    }
}

/// One line of ps output: fixed widths, one space between; the last column unpadded.
fn ps_line(cols: &[(PsCol, String)], cells: &[String]) -> String {
    let mut s = String::new();
    // A cell wider than its column pushes the line right; procps takes the excess back
    // from the padding of the columns that follow.
    let mut deficit = 0usize;
    for (i, ((c, _), cell)) in cols.iter().zip(cells).enumerate() {
        let last = i + 1 == cols.len();
        let (w, right) = c.width();
        let len = cell.chars().count();
        let mut pad = w.saturating_sub(len);
        deficit += len.saturating_sub(w);
        let take = pad.min(deficit);
        pad -= take;
        deficit -= take;
        if right {
            s.push_str(&" ".repeat(pad));
            s.push_str(cell);
        } else {
            s.push_str(cell);
            if !last {
                s.push_str(&" ".repeat(pad));
            }
        }
        if !last {
            s.push(' ');
        }
    }
    s.push('\n');
    s
}

struct MemInfo {
    total: u64,
    free: u64,
    available: u64,
    buffers: u64,
    cached: u64,
    shmem: u64,
    sreclaimable: u64,
    anon: u64,
}

/// The host's memory in kB: a base the kernel and page cache take, plus every process's
/// resident memory (containers' included) and the page cache their cgroups charge.
fn meminfo(h: &Host) -> MemInfo {
    let total = h.config.memory_bytes / 1024 - h.config.memory_bytes / 1024 / 32;
    let anon: u64 = h.procs.iter().map(|p| p.mem_kb().1).sum();
    let cache_charged: u64 = h
        .view
        .cgroups
        .iter()
        .map(|c| c.stats.memory_cache / 1024)
        .sum();
    let kernel = 298_412;
    let buffers = 52_316;
    let cached = 1_118_204 + cache_charged;
    let sreclaimable = 97_880;
    let shmem = 1_344;
    let free = total.saturating_sub(kernel + anon + buffers + cached + sreclaimable);
    let available = total.saturating_sub(kernel + anon + shmem);
    MemInfo {
        total,
        free,
        available,
        buffers,
        cached,
        shmem,
        sreclaimable,
        anon,
    }
}

fn meminfo_text(m: &MemInfo) -> String {
    let kb = |name: &str, v: u64| format!("{:<16}{v:>8} kB\n", format!("{name}:"));
    let mut s = String::new();
    for (n, v) in [
        ("MemTotal", m.total),
        ("MemFree", m.free),
        ("MemAvailable", m.available),
        ("Buffers", m.buffers),
        ("Cached", m.cached),
        ("SwapCached", 0),
        ("Active", m.anon / 3 + m.cached / 2),
        ("Inactive", m.anon * 2 / 3 + m.cached / 2),
        ("Active(anon)", m.anon / 3),
        ("Inactive(anon)", m.anon * 2 / 3),
        ("Active(file)", m.cached / 2),
        ("Inactive(file)", m.cached - m.cached / 2),
        ("Unevictable", 0),
        ("Mlocked", 0),
        ("SwapTotal", 0),
        ("SwapFree", 0),
        ("Zswap", 0),
        ("Zswapped", 0),
        ("Dirty", 84),
        ("Writeback", 0),
        ("AnonPages", m.anon),
        ("Mapped", 196_340),
        ("Shmem", m.shmem),
        ("KReclaimable", m.sreclaimable),
        ("Slab", m.sreclaimable + 61_204),
        ("SReclaimable", m.sreclaimable),
        ("SUnreclaim", 61_204),
        ("KernelStack", 4_912),
        ("PageTables", 6_820),
        ("SecPageTables", 0),
        ("NFS_Unstable", 0),
        ("Bounce", 0),
        ("WritebackTmp", 0),
        ("CommitLimit", m.total / 2),
        ("Committed_AS", m.anon * 3),
        ("VmallocTotal", 34_359_738_367),
        ("VmallocUsed", 27_340),
        ("VmallocChunk", 0),
        ("Percpu", 3_712),
        ("HardwareCorrupted", 0),
        ("AnonHugePages", 0),
        ("ShmemHugePages", 0),
        ("ShmemPmdMapped", 0),
        ("FileHugePages", 0),
        ("FilePmdMapped", 0),
        ("Unaccepted", 0),
    ] {
        s.push_str(&kb(n, v));
    }
    for n in [
        "HugePages_Total",
        "HugePages_Free",
        "HugePages_Rsvd",
        "HugePages_Surp",
    ] {
        s.push_str(&format!("{:<16}{:>8}\n", format!("{n}:"), 0));
    }
    s.push_str(&kb("Hugepagesize", 2048));
    s.push_str(&kb("Hugetlb", 0));
    s.push_str(&kb("DirectMap4k", 180_096));
    s.push_str(&kb("DirectMap2M", m.total + 200_000 - 180_096));
    s.push_str(&kb("DirectMap1G", 0));
    s
}

/// procps' `free -h`: binary units, one decimal below 10.
fn human_kib(kb: u64) -> String {
    if kb == 0 {
        return "0B".into();
    }
    let units = ["Ki", "Mi", "Gi", "Ti"];
    let mut v = kb as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    if v < 10.0 {
        format!("{:.1}{}", v, units[u])
    } else {
        format!("{:.0}{}", v, units[u])
    }
}

const V1_CONTROLLERS: [&str; 17] = [
    "blkio",
    "cpu",
    "cpu,cpuacct",
    "cpuacct",
    "cpuset",
    "devices",
    "freezer",
    "hugetlb",
    "memory",
    "misc",
    "net_cls",
    "net_cls,net_prio",
    "net_prio",
    "perf_event",
    "pids",
    "rdma",
    "systemd",
];

/// cgroup interface files no one writes.
const READ_ONLY_CG: [&str; 8] = [
    ".controllers",
    ".stat",
    ".events",
    ".current",
    ".peak",
    ".effective",
    "cgroup.type",
    ".numa_stat",
];

/// The files at the top of /proc that `ls /proc` lists.
const PROC_FILES: [&str; 24] = [
    "buddyinfo",
    "cgroups",
    "cmdline",
    "consoles",
    "cpuinfo",
    "crypto",
    "devices",
    "diskstats",
    "filesystems",
    "interrupts",
    "iomem",
    "kallsyms",
    "kmsg",
    "loadavg",
    "meminfo",
    "modules",
    "mounts",
    "partitions",
    "slabinfo",
    "stat",
    "swaps",
    "uptime",
    "version",
    "vmstat",
];

/// The entries of /proc/PID.
const PID_FILES: [&str; 44] = [
    "arch_status",
    "attr",
    "autogroup",
    "auxv",
    "cgroup",
    "clear_refs",
    "cmdline",
    "comm",
    "coredump_filter",
    "cpuset",
    "cwd",
    "environ",
    "exe",
    "fd",
    "fdinfo",
    "gid_map",
    "io",
    "limits",
    "loginuid",
    "map_files",
    "maps",
    "mem",
    "mountinfo",
    "mounts",
    "mountstats",
    "net",
    "ns",
    "oom_adj",
    "oom_score",
    "oom_score_adj",
    "pagemap",
    "personality",
    "projid_map",
    "root",
    "sched",
    "schedstat",
    "setgroups",
    "smaps",
    "stat",
    "statm",
    "status",
    "task",
    "uid_map",
    "wchan",
];

const PS_USAGE: &str = "\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n";

const HELP: &str = "\
The simulated host (Ubuntu 24.04, running dockerd), seen from a root shell. Prefix
each command with `host`:

  ps [-ef | aux | -e -o pid,ppid,pidns,comm | -p PID]   processes, by host PID
  pstree [-p] [-a] [PID]                                the process tree
  lsns [-t TYPE] [-p PID] [-o COLUMNS] [-n]             namespaces and who is in them
  ls [-l] /proc/PID/ns    readlink /proc/PID/ns/TYPE    a process's namespace inodes
  cat /proc/PID/{status,cgroup,cmdline,comm,uid_map,gid_map,mounts}
  ls /sys/fs/cgroup[/DIR]   cat /sys/fs/cgroup/DIR/FILE  the cgroup tree and its files
  mount [-t overlay]   findmnt [-t TYPE] [-N PID]       mounts (containers' root overlays)
  nsenter -t PID [-a|-m|-u|-i|-n|-p] CMD                run hostname, ps, ls, readlink in
                                                        a process's namespaces
  dmesg [-T]     cat /proc/meminfo     free [-h|-m]     the kernel log, memory
  hostname   uname -a   nproc   id   whoami             the machine
  docker …                                              the docker CLI, from the host

Pipes into grep, head, tail, wc -l and sort work: host ps -ef | grep nginx
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ls_columns_like_gnu_ls() {
        let names: Vec<String> = [
            "cgroup",
            "ipc",
            "mnt",
            "net",
            "pid",
            "pid_for_children",
            "time",
            "time_for_children",
            "user",
            "uts",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // 80 columns exactly do not fit (ls wants the line shorter than the width).
        assert_eq!(
            ls_columns(&names, 80),
            "cgroup  mnt  pid               time               user\nipc     net  pid_for_children  time_for_children  uts\n"
        );
        assert_eq!(ls_columns(&names, 81).lines().count(), 1);
    }

    #[test]
    fn scols_widths_follow_hints() {
        let spec = [
            ("NS", 10, true),
            ("TYPE", 5, false),
            ("NPROCS", 5, true),
            ("PID", 5, true),
            ("USER", 0, false),
            ("COMMAND", 0, false),
        ];
        let rows = vec![vec![
            "4026531836".to_string(),
            "pid".into(),
            "5".into(),
            "1".into(),
            "root".into(),
            "/sbin/init".into(),
        ]];
        assert_eq!(
            scols(&spec, &rows, true),
            "        NS TYPE  NPROCS   PID USER COMMAND\n4026531836 pid        5     1 root /sbin/init\n"
        );
    }

    #[test]
    fn free_human_units() {
        assert_eq!(human_kib(8_126_464), "7.8Gi");
        assert_eq!(human_kib(1_268_400), "1.2Gi");
        assert_eq!(human_kib(524_288), "512Mi");
        assert_eq!(human_kib(0), "0B");
    }
}
