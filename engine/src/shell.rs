//! The programs a simulated container runs, answered from the container's own view:
//! its merged root file system, environment, hostname and PID.
//!
//! A program is evaluated when it is exec'd into a [`Timeline`]: what it writes and
//! when, and how it ends (an exit status at a virtual time, or running until signalled).
//! `sh -c` scripts are parsed into lists joined by `;`, `&&` and `||`.

use crate::fs::{NodeKind, Union};
use crate::kernel::{Signal, Stream};
use crate::time::NANOS_PER_SEC;

/// What a process sees of its world when it starts.
pub struct ProcCtx<'a> {
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
    pub hostname: String,
    pub fs: Union<'a>,
    /// PID in its own namespace.
    pub pid: u32,
    pub uid: u32,
    pub kernel_release: String,
    /// The resolved path of argv[0] (after symlinks): says which binary runs.
    pub binary: String,
    /// Seconds since the Unix epoch, for programs that print the time.
    pub now_secs: u64,
    /// The processes this one can see: those in its PID namespace, by PID there.
    pub procs: Vec<PsEntry>,
    /// Its namespaces (all processes of a container share them).
    pub namespaces: Vec<crate::kernel::NsId>,
    /// The host's cgroup version (what /proc/self/cgroup looks like).
    pub cgroup_version: u8,
    /// The mount table of its mount namespace (what `mount` and /proc/mounts show).
    pub mounts: Vec<crate::kernel::MountInfo>,
    /// Its cgroup's interface files as it sees them under /sys/fs/cgroup: relative path
    /// (`memory.max` on v2, `memory/memory.limit_in_bytes` on v1) and contents.
    pub cgroup_files: Vec<(String, String)>,
    /// The host's CPUs and memory: /proc/meminfo and /proc/cpuinfo are not namespaced,
    /// so a container sees the host's figures, whatever its limits.
    pub host_cpus: u32,
    pub host_memory: u64,
    /// The CPUs it may run on (sched_getaffinity, what `nproc` counts): the cpuset.
    pub cpus_allowed: u32,
    /// The network interfaces of its network namespace.
    pub interfaces: Vec<Interface>,
    /// Its soft limits (`ulimit -a`): open files, processes.
    pub nofile: u64,
}

/// A network interface in a network namespace, as `ip addr` shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Interface {
    pub index: u32,
    pub name: String,
    /// For a veth end: the peer's interface index on the other side (`eth0@if7`).
    pub peer_index: Option<u32>,
    pub mac: String,
    pub mtu: u32,
    /// IPv4 address and prefix length.
    pub ipv4: Option<(String, u8)>,
    /// The default gateway reached through it.
    pub gateway: Option<String>,
    pub up: bool,
}

/// What a program demands of the machine while it runs (the workload language): the
/// kernel plays it against the cgroup's limits over virtual time.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Load {
    /// CPU it would use unconstrained, in thousandths of a CPU (1000 = one busy loop).
    pub cpu_millis: u64,
    /// Resident memory at start, in bytes.
    pub rss: u64,
    /// Memory it grows to (u64::MAX = without bound), at `grow_rate` bytes per second.
    pub rss_target: u64,
    pub grow_rate: u64,
    /// Bytes it writes to disk, at `write_rate` bytes per second (dd): block I/O and
    /// page cache charged to its memory cgroup.
    pub write_total: u64,
    pub write_rate: u64,
}

/// A child process a program forks (stress's workers).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Child {
    /// When it is forked, from the parent's start.
    pub at_ns: u64,
    pub argv: Vec<String>,
    pub load: Load,
    /// When it exits on its own, from its fork; None = until killed or its parent ends.
    pub exit_after_ns: Option<u64>,
    pub exit_code: i32,
}

/// What a program does when one of its children is killed by a signal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OnChildKilled {
    #[default]
    Nothing,
    /// stress: reports the worker, reaps the rest, and exits 1 ([`stress_worker_killed`]).
    Stress,
}

/// A process as seen from inside a PID namespace (what /proc there lists).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PsEntry {
    pub pid: u32,
    pub ppid: u32,
    pub uid: u32,
    pub argv: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    Exit(i32),
    /// Runs until a signal ends it.
    Forever,
}

/// How a program reacts to a signal it has a handler for: it exits with this code after
/// this many nanoseconds of clean-up.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Handler {
    pub signal: Signal,
    pub exit_code: i32,
    pub after_ns: u64,
    pub message: Option<(Stream, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    /// (offset from start in ns, stream, text), in order.
    pub output: Vec<(u64, Stream, String)>,
    /// When it ends, as an offset, and how.
    pub end_at: u64,
    pub ending: Ending,
    pub handlers: Vec<Handler>,
    /// What it demands of CPU, memory and disk while it runs.
    pub load: Load,
    /// Processes it forks.
    pub children: Vec<Child>,
    pub on_child_killed: OnChildKilled,
    /// A fork bomb (`:(){ :|:& };:`, `forkbomb`): the kernel forks copies of it until
    /// pids.max refuses; the string is the shell's name for its error message.
    pub forkbomb: Option<String>,
    /// Signals it sends (`kill -TERM 7`): offset, target PID in its PID namespace, signal.
    pub kills: Vec<(u64, u32, Signal)>,
}

/// stress's report when a worker dies of a signal (it then exits 1): the lines it
/// prints with the worker's PID, the signal number and the seconds since it started.
pub fn stress_worker_killed(
    worker_pid: u32,
    signal: i32,
    elapsed_secs: u64,
) -> Vec<(Stream, String)> {
    vec![(
        Stream::Stderr,
        format!(
            "stress: FAIL: [1] (415) <-- worker {worker_pid} got signal {signal}\nstress: WARN: [1] (417) now reaping child worker processes\nstress: FAIL: [1] (421) kill error: No such process\nstress: FAIL: [1] (451) failed run completed in {elapsed_secs}s\n"
        ),
    )]
}

/// What a shell prints when fork(2) fails with EAGAIN (pids.max reached).
pub fn fork_refused_message(shell: &str) -> String {
    if shell == "bash" {
        "bash: fork: retry: Resource temporarily unavailable\n".to_string()
    } else {
        format!("{shell}: can't fork: Resource temporarily unavailable\n")
    }
}

struct Run {
    t: u64,
    output: Vec<(u64, Stream, String)>,
    handlers: Vec<Handler>,
    /// Where fd 1 and fd 2 go (after `>&2`, `2>&1`, `>/dev/null`): None discards.
    fds: [Option<Stream>; 2],
}

enum Flow {
    Status(i32),
    /// `exit N` or a program that never ends: stop the whole script.
    Exit(i32),
    Forever,
}

impl Run {
    fn out(&mut self, s: impl Into<String>) {
        self.write(Stream::Stdout, s.into());
    }
    fn err(&mut self, s: impl Into<String>) {
        self.write(Stream::Stderr, s.into());
    }
    fn write(&mut self, stream: Stream, s: String) {
        let Some(stream) = self.fds[stream as usize] else {
            return;
        };
        if s.is_empty() {
            return;
        }
        match self.output.last_mut() {
            Some((t, st, text)) if *t == self.t && *st == stream => text.push_str(&s),
            _ => self.output.push((self.t, stream, s)),
        }
    }
}

/// Evaluates the program `ctx.argv` into its timeline.
pub fn run(ctx: &ProcCtx<'_>) -> Timeline {
    let mut r = Run {
        t: 0,
        output: Vec::new(),
        handlers: Vec::new(),
        fds: [Some(Stream::Stdout), Some(Stream::Stderr)],
    };
    let mut env = ctx.env.clone();
    let flow = program(ctx, &mut r, &ctx.argv, &mut env, ctx.binary.as_str());
    let ending = match flow {
        Flow::Status(c) | Flow::Exit(c) => Ending::Exit(c),
        Flow::Forever => Ending::Forever,
    };
    Timeline {
        end_at: r.t,
        output: r.output,
        ending,
        handlers: r.handlers,
        load: Load::default(),
        children: Vec::new(),
        on_child_killed: OnChildKilled::Nothing,
        forkbomb: None,
        kills: Vec::new(),
    }
}

fn gnu(ctx: &ProcCtx<'_>) -> bool {
    // Debian and Ubuntu ship GNU coreutils; busybox and alpine ship busybox applets.
    !ctx.binary.ends_with("/busybox")
}

fn getenv<'e>(env: &'e [String], key: &str) -> Option<&'e str> {
    env.iter()
        .rev()
        .find_map(|e| e.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
}

fn program(
    ctx: &ProcCtx<'_>,
    r: &mut Run,
    argv: &[String],
    env: &mut Vec<String>,
    binary: &str,
) -> Flow {
    let Some(arg0) = argv.first() else {
        return Flow::Status(0);
    };
    let name = arg0.rsplit('/').next().unwrap_or(arg0);
    // A busybox binary runs the applet named by argv[0]; other binaries are themselves.
    let name = if binary.ends_with("/busybox") || binary.is_empty() {
        name
    } else {
        binary.rsplit('/').next().unwrap_or(name)
    };
    let args = &argv[1..];
    match name {
        "echo" => {
            let (newline, start) = if args.first().map(String::as_str) == Some("-n") {
                (false, 1)
            } else {
                (true, 0)
            };
            let mut s = args[start..].join(" ");
            if newline {
                s.push('\n');
            }
            r.out(s);
            Flow::Status(0)
        }
        "printf" => {
            if let Some(fmt) = args.first() {
                let mut rest = args[1..].iter();
                let mut s = String::new();
                let mut chars = fmt.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(o) => s.push(o),
                            None => s.push('\\'),
                        },
                        '%' => match chars.next() {
                            Some('s') | Some('d') => {
                                s.push_str(rest.next().map(String::as_str).unwrap_or(""))
                            }
                            Some('%') => s.push('%'),
                            Some(o) => {
                                s.push('%');
                                s.push(o)
                            }
                            None => s.push('%'),
                        },
                        c => s.push(c),
                    }
                }
                r.out(s);
            }
            Flow::Status(0)
        }
        "true" | ":" => Flow::Status(0),
        "false" => Flow::Status(1),
        "exit" => Flow::Exit(args.first().and_then(|a| a.parse().ok()).unwrap_or(0)),
        "sleep" => match args.first().map(|a| parse_sleep(a)) {
            Some(Some(None)) => Flow::Forever,
            Some(Some(Some(ns))) => {
                r.t += ns;
                Flow::Status(0)
            }
            Some(None) => {
                r.err(format!("sleep: invalid number '{}'\n", args[0]));
                Flow::Status(1)
            }
            None => {
                r.err(if gnu(ctx) {
                    "sleep: missing operand\nTry 'sleep --help' for more information.\n".to_string()
                } else {
                    "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n".to_string()
                });
                Flow::Status(1)
            }
        },
        "hostname" => {
            r.out(format!("{}\n", ctx.hostname));
            Flow::Status(0)
        }
        "pwd" => {
            r.out(format!("{}\n", ctx.cwd));
            Flow::Status(0)
        }
        "env" | "printenv" if args.is_empty() => {
            let mut s = String::new();
            for e in env.iter() {
                s.push_str(e);
                s.push('\n');
            }
            r.out(s);
            Flow::Status(0)
        }
        "printenv" => {
            let mut status = 0;
            for a in args {
                match getenv(env, a) {
                    Some(v) => r.out(format!("{v}\n")),
                    None => status = 1,
                }
            }
            Flow::Status(status)
        }
        "whoami" => {
            r.out(format!("{}\n", user_name(ctx, ctx.uid)));
            Flow::Status(0)
        }
        "id" => {
            let u = user_name(ctx, ctx.uid);
            // Supplementary groups come from /etc/group, as `id` reads them.
            let mut groups = vec![format!("{}({u})", ctx.uid)];
            if let Some((_, f)) = ctx.fs.resolve("/etc/group") {
                if let NodeKind::File {
                    content: Some(c), ..
                } = &f.node.kind
                {
                    for line in c.lines() {
                        let g: Vec<&str> = line.split(':').collect();
                        if g.len() == 4
                            && g[2] != ctx.uid.to_string()
                            && g[3].split(',').any(|m| m == u)
                        {
                            groups.push(format!("{}({})", g[2], g[0]));
                        }
                    }
                }
            }
            let groups = groups.join(",");
            r.out(format!(
                "uid={}({u}) gid={}({u}) groups={groups}\n",
                ctx.uid, ctx.uid
            ));
            Flow::Status(0)
        }
        "uname" => {
            let s = match args.first().map(String::as_str) {
                Some("-r") => ctx.kernel_release.clone(),
                Some("-n") => ctx.hostname.clone(),
                Some("-m") => "x86_64".into(),
                Some("-a") => {
                    format!(
                        "Linux {} {} #50-Ubuntu SMP PREEMPT_DYNAMIC Sat Nov  9 18:23:52 UTC 2024 x86_64 GNU/Linux",
                        ctx.hostname, ctx.kernel_release
                    )
                }
                _ => "Linux".into(),
            };
            r.out(format!("{s}\n"));
            Flow::Status(0)
        }
        "cat" => {
            let mut status = 0;
            for a in args {
                let path = absolute(&ctx.cwd, a);
                if let Some(text) = procfs_read(ctx, &path) {
                    r.out(text);
                    continue;
                }
                match ctx.fs.resolve(&path) {
                    Some((_, f)) => match &f.node.kind {
                        NodeKind::File {
                            content: Some(c), ..
                        } => r.out(c.to_string()),
                        NodeKind::File { size, .. } => {
                            r.out(format!("<{size} bytes of binary data, not modelled>\n"))
                        }
                        NodeKind::Dir { .. } => {
                            r.err(if gnu(ctx) {
                                format!("cat: {a}: Is a directory\n")
                            } else {
                                "cat: read error: Is a directory\n".to_string()
                            });
                            status = 1;
                        }
                        _ => {}
                    },
                    None => {
                        r.err(if gnu(ctx) {
                            format!("cat: {a}: No such file or directory\n")
                        } else {
                            format!("cat: can't open '{a}': No such file or directory\n")
                        });
                        status = 1;
                    }
                }
            }
            Flow::Status(status)
        }
        "ls" => ls(ctx, r, args),
        "readlink" => {
            let mut status = 0;
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                let path = absolute(&ctx.cwd, a);
                let target = procfs_link(ctx, &path).or_else(|| {
                    match ctx.fs.lstat(&path).map(|f| &f.node.kind) {
                        Some(NodeKind::Symlink { target }) => Some(target.clone()),
                        _ => None,
                    }
                });
                match target {
                    Some(t) => r.out(format!("{t}\n")),
                    None => status = 1,
                }
            }
            Flow::Status(status)
        }
        "ps" => {
            ps(ctx, r, args);
            Flow::Status(0)
        }
        "sh" | "ash" | "dash" | "bash" => {
            if let Some(i) = args.iter().position(|a| a == "-c") {
                match args.get(i + 1) {
                    Some(script) => run_script(ctx, r, script, env),
                    None => {
                        r.err(format!("{name}: -c requires an argument\n"));
                        Flow::Status(2)
                    }
                }
            } else {
                // No script and no stdin attached: an interactive shell reads EOF and exits.
                Flow::Status(0)
            }
        }
        "docker-entrypoint.sh" => entrypoint(ctx, r, args, env),
        "nginx" => {
            nginx(ctx, r);
            Flow::Forever
        }
        "redis-server" => {
            redis(ctx, r);
            Flow::Forever
        }
        "mysqld" => mysqld(ctx, r, env),
        "python3" | "python" | "python3.12" => {
            if let (Some("-c"), Some(code)) = (args.first().map(String::as_str), args.get(1)) {
                for stmt in code.split(';') {
                    let stmt = stmt.trim();
                    if let Some(inner) = stmt
                        .strip_prefix("print(")
                        .and_then(|s| s.strip_suffix(')'))
                    {
                        r.out(format!(
                            "{}\n",
                            inner.trim_matches(|c| c == '\'' || c == '"')
                        ));
                    }
                }
            }
            // Without -c and without stdin the REPL reads EOF and exits.
            Flow::Status(0)
        }
        other => {
            r.err(format!(
                "porthole: `{other}` runs but is not simulated yet; it exits at once\n"
            ));
            Flow::Status(0)
        }
    }
}

fn user_name(ctx: &ProcCtx<'_>, uid: u32) -> String {
    if let Some((_, f)) = ctx.fs.resolve("/etc/passwd") {
        if let NodeKind::File {
            content: Some(c), ..
        } = &f.node.kind
        {
            for line in c.lines() {
                let f: Vec<&str> = line.split(':').collect();
                if f.len() > 2 && f[2] == uid.to_string() {
                    return f[0].to_string();
                }
            }
        }
    }
    uid.to_string()
}

fn absolute(cwd: &str, p: &str) -> String {
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("{}/{p}", cwd.trim_end_matches('/'))
    }
}

/// Seconds with an optional s/m/h/d suffix; `inf`/`infinity` → None (forever).
fn parse_sleep(a: &str) -> Option<Option<u64>> {
    if a == "inf" || a == "infinity" {
        return Some(None);
    }
    let (num, mult) = match a.chars().last()? {
        's' => (&a[..a.len() - 1], 1.0),
        'm' => (&a[..a.len() - 1], 60.0),
        'h' => (&a[..a.len() - 1], 3600.0),
        'd' => (&a[..a.len() - 1], 86_400.0),
        _ => (a, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    if v.is_nan() || v < 0.0 || !v.is_finite() {
        return None;
    }
    Some(Some((v * mult * NANOS_PER_SEC as f64) as u64))
}

fn ls(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let mut long = false;
    let mut all = false;
    let mut paths = Vec::new();
    for a in args {
        if let Some(flags) = a.strip_prefix('-') {
            long |= flags.contains('l');
            all |= flags.contains('a');
        } else {
            paths.push(a.clone());
        }
    }
    if paths.is_empty() {
        paths.push(ctx.cwd.clone());
    }
    let mut status = 0;
    let multi = paths.len() > 1;
    for p in &paths {
        let path = absolute(&ctx.cwd, p);
        if let Some(links) = procfs_ns_dir(ctx, &path) {
            let mut s = String::new();
            if long {
                s.push_str("total 0\n");
            }
            for (name, target) in links {
                if long {
                    s.push_str(&format!("lrwxrwxrwx    1 root     root             0 Jan  5 09:00 {name} -> {target}\n"));
                } else {
                    s.push_str(&format!("{name}\n"));
                }
            }
            r.out(s);
            continue;
        }
        let Some((real, found)) = ctx.fs.resolve(&path) else {
            r.err(if gnu(ctx) {
                format!("ls: cannot access '{p}': No such file or directory\n")
            } else {
                format!("ls: {p}: No such file or directory\n")
            });
            status = if gnu(ctx) { 2 } else { 1 };
            continue;
        };
        if !matches!(found.node.kind, NodeKind::Dir { .. }) {
            r.out(format!("{p}\n"));
            continue;
        }
        if multi {
            r.out(format!("{p}:\n"));
        }
        let mut names = ctx.fs.read_dir(&real);
        if all {
            names.insert(0, "..".into());
            names.insert(0, ".".into());
        }
        names.retain(|n| all || !n.starts_with('.'));
        let mut s = String::new();
        if long {
            for n in &names {
                let full = if real == "/" {
                    format!("/{n}")
                } else {
                    format!("{real}/{n}")
                };
                let Some(f) = ctx.fs.lstat(&full) else {
                    continue;
                };
                let (t, size, tail) = match &f.node.kind {
                    NodeKind::Dir { .. } => ('d', 4096, String::new()),
                    NodeKind::Symlink { target } => {
                        ('l', target.len() as u64, format!(" -> {target}"))
                    }
                    NodeKind::File { size, .. } => ('-', *size, String::new()),
                    NodeKind::Whiteout => ('c', 0, String::new()),
                };
                s.push_str(&format!(
                    "{t}{} {:>4} {:<8} {:<8} {size:>8} Jan  5 09:00 {n}{tail}\n",
                    mode_string(f.node.mode),
                    1,
                    "root",
                    "root"
                ));
            }
        } else {
            for n in &names {
                s.push_str(n);
                s.push('\n');
            }
        }
        r.out(s);
    }
    Flow::Status(status)
}

/// `/proc/<pid>` of a process visible here: `self` is the caller.
fn proc_entry<'c>(ctx: &'c ProcCtx<'_>, path: &str) -> Option<(&'c PsEntry, String)> {
    let rest = path.strip_prefix("/proc/")?;
    let (who, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let pid = if who == "self" {
        ctx.pid
    } else {
        who.parse().ok()?
    };
    ctx.procs
        .iter()
        .find(|p| p.pid == pid)
        .map(|p| (p, tail.to_string()))
}

/// `/proc/<pid>/ns/*`: (name, link target) in `ls` order.
fn procfs_ns_dir(ctx: &ProcCtx<'_>, path: &str) -> Option<Vec<(String, String)>> {
    let (_, tail) = proc_entry(ctx, path.trim_end_matches('/'))?;
    if tail != "ns" {
        return None;
    }
    let mut v: Vec<(String, String)> = ctx
        .namespaces
        .iter()
        .map(|n| (n.kind.proc_name().to_string(), n.to_string()))
        .collect();
    // The kernel also lists the children's PID namespace link.
    if let Some(pid) = ctx
        .namespaces
        .iter()
        .find(|n| n.kind == crate::kernel::NsKind::Pid)
    {
        v.push(("pid_for_children".into(), pid.to_string()));
    }
    // Linux ≥ 5.6 has time namespaces; Docker does not unshare them: the host's.
    v.push(("time".into(), "time:[4026531834]".into()));
    v.push(("time_for_children".into(), "time:[4026531834]".into()));
    v.sort();
    Some(v)
}

fn procfs_link(ctx: &ProcCtx<'_>, path: &str) -> Option<String> {
    let (dir, name) = path.rsplit_once('/')?;
    procfs_ns_dir(ctx, dir)?
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t)
}

/// Files under /proc that a student reads first.
fn procfs_read(ctx: &ProcCtx<'_>, path: &str) -> Option<String> {
    let (p, tail) = proc_entry(ctx, path)?;
    match tail.as_str() {
        // cgroup v2 with a private cgroup namespace: the container's cgroup is its root.
        "cgroup" => Some(if ctx.cgroup_version == 2 {
            "0::/\n".to_string()
        } else {
            "12:pids:/\n11:memory:/\n10:cpu,cpuacct:/\n9:blkio:/\n8:devices:/\n7:freezer:/\n6:net_cls,net_prio:/\n5:perf_event:/\n4:cpuset:/\n3:hugetlb:/\n2:rdma:/\n1:name=systemd:/\n0::/\n".to_string()
        }),
        "cmdline" => Some(p.argv.iter().map(|a| format!("{a}\0")).collect()),
        "comm" => Some(format!(
            "{}\n",
            p.argv
                .first()
                .map(|a| a.rsplit('/').next().unwrap_or(a))
                .unwrap_or("")
        )),
        // Abridged: the lines that tell which process this is, and in which PID namespace.
        "status" => {
            let name: String = p
                .argv
                .first()
                .map(|a| a.rsplit('/').next().unwrap_or(a))
                .unwrap_or("")
                .chars()
                .take(15)
                .collect();
            let state = if p.pid == ctx.pid {
                "R (running)"
            } else {
                "S (sleeping)"
            };
            Some(format!(
                "Name:\t{name}\nUmask:\t0022\nState:\t{state}\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t{ppid}\nTracerPid:\t0\nUid:\t{u}\t{u}\t{u}\t{u}\nGid:\t{u}\t{u}\t{u}\t{u}\nNStgid:\t{pid}\nNSpid:\t{pid}\nNSpgid:\t{pid}\nNSsid:\t{pid}\nThreads:\t1\n",
                pid = p.pid,
                ppid = p.ppid,
                u = p.uid
            ))
        }
        _ => None,
    }
}

/// `ps`: BusyBox's one format whatever the options; procps' default, `-ef` and `aux`.
fn ps(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) {
    let mut procs = ctx.procs.clone();
    procs.sort_by_key(|p| p.pid);
    let mut out = String::new();
    if !gnu(ctx) {
        out.push_str("PID   USER     TIME  COMMAND\n");
        for p in &procs {
            out.push_str(&format!(
                "{:>5} {:<8} {:>5} {}\n",
                p.pid,
                user_name(ctx, p.uid),
                "0:00",
                p.argv.join(" ")
            ));
        }
    } else {
        let opts: String = args.iter().map(|a| a.trim_start_matches('-')).collect();
        if opts.contains('e') || opts.contains('f') {
            out.push_str("UID          PID    PPID  C STIME TTY          TIME CMD\n");
            let (_, t) = stamp(ctx.now_secs);
            for p in &procs {
                out.push_str(&format!(
                    "{:<8} {:>7} {:>7}  0 {} ?        00:00:00 {}\n",
                    user_name(ctx, p.uid),
                    p.pid,
                    p.ppid,
                    &t[..5],
                    p.argv.join(" ")
                ));
            }
        } else if opts.contains('a') && opts.contains('u') {
            out.push_str(
                "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n",
            );
            let (_, t) = stamp(ctx.now_secs);
            for p in &procs {
                let stat = if p.pid == 1 { "Ss" } else { "R" };
                out.push_str(&format!(
                    "{:<8} {:>7}  0.0  0.0   2400  1024 ?        {:<4} {}   0:00 {}\n",
                    user_name(ctx, p.uid),
                    p.pid,
                    stat,
                    &t[..5],
                    p.argv.join(" ")
                ));
            }
        } else {
            out.push_str("    PID TTY          TIME CMD\n");
            for p in &procs {
                let cmd = p
                    .argv
                    .first()
                    .map(|a| a.rsplit('/').next().unwrap_or(a))
                    .unwrap_or("");
                out.push_str(&format!("{:>7} ?        00:00:00 {cmd}\n", p.pid));
            }
        }
    }
    r.out(out);
}

fn mode_string(mode: u32) -> String {
    let mut s = String::with_capacity(9);
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    if mode & 0o1000 != 0 {
        s.pop();
        s.push('t');
    }
    s
}

/// `a; b && c || d`: a list of simple commands joined by operators.
fn run_script(ctx: &ProcCtx<'_>, r: &mut Run, script: &str, env: &mut Vec<String>) -> Flow {
    let mut status = 0;
    let mut pending_op: Option<&str> = None;
    let script_fds = r.fds;
    let flow = 'script: {
        for (cmd, op) in split_list(script) {
            r.fds = script_fds;
            let skip = match pending_op {
                Some("&&") => status != 0,
                Some("||") => status == 0,
                _ => false,
            };
            pending_op = Some(op);
            if skip {
                continue;
            }
            let expanded = expand(&cmd, env, status);
            let Some(words) = shlex::split(&expanded) else {
                r.err("sh: syntax error: unterminated quoted string\n");
                return Flow::Exit(2);
            };
            // Redirections: `>&2`, `1>&2`, `2>&1`, `>/dev/null`, `2>/dev/null`, `&>/dev/null`.
            let saved = r.fds;
            let mut words = words;
            let mut i = 0;
            let mut unsupported = None;
            while i < words.len() {
                let w = words[i].clone();
                let (fd, target) = match w.as_str() {
                    ">&2" | "1>&2" => (Some(0), Some(Some(saved[1].unwrap_or(Stream::Stderr)))),
                    "2>&1" => (Some(1), Some(r.fds[0])),
                    ">&1" | "1>&1" => (Some(0), Some(r.fds[0])),
                    _ => {
                        let (fd, rest) = if let Some(x) = w.strip_prefix("2>") {
                            (Some(1), x)
                        } else if let Some(x) = w.strip_prefix("&>") {
                            (Some(2), x)
                        } else if let Some(x) = w.strip_prefix("1>").or_else(|| w.strip_prefix('>'))
                        {
                            (Some(0), x)
                        } else {
                            (None, "")
                        };
                        match fd {
                            None => (None, None),
                            Some(fd) => {
                                let (file, consumed) = if rest.is_empty() {
                                    (words.get(i + 1).cloned().unwrap_or_default(), 2)
                                } else {
                                    (rest.to_string(), 1)
                                };
                                if file == "/dev/null" {
                                    words.drain(i..i + consumed.min(words.len() - i));
                                    if fd == 2 {
                                        r.fds = [None, None];
                                    } else {
                                        r.fds[fd] = None;
                                    }
                                    continue;
                                }
                                unsupported = Some(file);
                                (None, None)
                            }
                        }
                    }
                };
                match (fd, target) {
                    (Some(fd), Some(t)) => {
                        r.fds[fd] = t;
                        words.remove(i);
                    }
                    _ => i += 1,
                }
            }
            if let Some(file) = unsupported {
                r.err(format!("porthole: writing to {file} from the shell is not simulated yet (file writes come with the overlay model)\n"));
                status = 1;
                continue;
            }
            if words.is_empty() {
                continue;
            }
            // Assignments and `export`.
            if words.len() == 1 && words[0].contains('=') && !words[0].starts_with('=') {
                env.push(words[0].clone());
                status = 0;
                continue;
            }
            if words[0] == "export" {
                for w in &words[1..] {
                    if w.contains('=') {
                        env.push(w.clone());
                    }
                }
                status = 0;
                continue;
            }
            let w0 = words[0].as_str();
            let builtin = matches!(
                w0,
                "echo" | "printf" | "true" | "false" | "exit" | ":" | "pwd" | "cd"
            );
            let binary = if builtin {
                String::new()
            } else {
                match lookup(ctx, w0, env) {
                    Some(b) => b,
                    None => {
                        r.err(format!("sh: {w0}: not found\n"));
                        status = 127;
                        continue;
                    }
                }
            };
            let binary = if words[0] == "exec" {
                String::new()
            } else {
                binary
            };
            let words: Vec<String> = if words[0] == "exec" {
                words[1..].to_vec()
            } else {
                words
            };
            match program(ctx, r, &words, env, &binary) {
                Flow::Status(s) => status = s,
                f @ (Flow::Exit(_) | Flow::Forever) => break 'script f,
            }
        }
        Flow::Status(status)
    };
    r.fds = script_fds;
    flow
}

/// Finds a command on $PATH in the container's file system: the resolved binary path.
pub fn lookup(ctx: &ProcCtx<'_>, cmd: &str, env: &[String]) -> Option<String> {
    if cmd.contains('/') {
        return ctx
            .fs
            .resolve(&absolute(&ctx.cwd, cmd))
            .and_then(|(p, f)| match f.node.kind {
                NodeKind::File { .. } => Some(p),
                _ => None,
            });
    }
    let path = getenv(env, "PATH")
        .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for dir in path.split(':') {
        if let Some((p, f)) = ctx.fs.resolve(&format!("{dir}/{cmd}")) {
            if let NodeKind::File { .. } = f.node.kind {
                return Some(p);
            }
        }
    }
    None
}

/// Splits on `;`, `&&`, `||` and newlines outside quotes: (command, operator after it).
fn split_list(script: &str) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut sq, mut dq) = (false, false);
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if !dq => {
                sq = !sq;
                cur.push(c)
            }
            '"' if !sq => {
                dq = !dq;
                cur.push(c)
            }
            ';' | '\n' if !sq && !dq => out.push((std::mem::take(&mut cur), ";")),
            '&' if !sq && !dq && chars.peek() == Some(&'&') => {
                chars.next();
                out.push((std::mem::take(&mut cur), "&&"));
            }
            '|' if !sq && !dq && chars.peek() == Some(&'|') => {
                chars.next();
                out.push((std::mem::take(&mut cur), "||"));
            }
            c => cur.push(c),
        }
    }
    out.push((cur, ";"));
    out.into_iter()
        .filter(|(c, _)| !c.trim().is_empty())
        .collect()
}

/// `$VAR`, `${VAR}` and `$?` outside single quotes.
fn expand(s: &str, env: &[String], status: i32) -> String {
    let mut out = String::with_capacity(s.len());
    let mut sq = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            sq = !sq;
        }
        if c == '$' && !sq && i + 1 < chars.len() {
            if chars[i + 1] == '?' {
                out.push_str(&status.to_string());
                i += 2;
                continue;
            }
            let (start, braced) = if chars[i + 1] == '{' {
                (i + 2, true)
            } else {
                (i + 1, false)
            };
            let mut j = start;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            if j > start {
                let name: String = chars[start..j].iter().collect();
                out.push_str(getenv(env, &name).unwrap_or(""));
                i = if braced && j < chars.len() && chars[j] == '}' {
                    j + 1
                } else {
                    j
                };
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn entrypoint(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String], env: &mut Vec<String>) -> Flow {
    let first = args.first().map(String::as_str).unwrap_or("");
    if first.starts_with('-') || first.is_empty() {
        // The official images' entrypoints turn `-flag` into `server -flag`.
        let mut v = vec![if ctx.binary.contains("redis") || args.is_empty() {
            "redis-server".to_string()
        } else {
            "mysqld".to_string()
        }];
        v.extend(args.iter().cloned());
        return entrypoint(ctx, r, &v, env);
    }
    match lookup(ctx, first, env) {
        Some(bin) => program(ctx, r, args, env, &bin),
        None => {
            r.err(format!(
                "/usr/local/bin/docker-entrypoint.sh: line 1: exec: {first}: not found\n"
            ));
            Flow::Exit(127)
        }
    }
}

fn stamp(secs: u64) -> (String, String) {
    let iso = crate::time::Time::from_secs(secs).rfc3339_nano();
    let date = iso[..10].replace('-', "/");
    (date, iso[11..19].to_string())
}

fn nginx(ctx: &ProcCtx<'_>, r: &mut Run) {
    let (d, t) = stamp(ctx.now_secs);
    if ctx.fs.lstat("/docker-entrypoint.sh").is_some() {
        r.out("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n/docker-entrypoint.sh: Configuration complete; ready for start up\n");
    }
    r.err(format!(
        "{d} {t} [notice] 1#1: using the \"epoll\" event method\n{d} {t} [notice] 1#1: nginx/1.27.2\n{d} {t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)\n{d} {t} [notice] 1#1: OS: Linux {}\n{d} {t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576\n{d} {t} [notice] 1#1: start worker processes\n{d} {t} [notice] 1#1: start worker process 29\n",
        ctx.kernel_release
    ));
    r.handlers.push(Handler {
        signal: Signal::Quit,
        exit_code: 0,
        after_ns: NANOS_PER_SEC / 10,
        message: Some((
            Stream::Stderr,
            "[notice] 1#1: signal 3 (SIGQUIT) received, shutting down\n".into(),
        )),
    });
    r.handlers.push(Handler {
        signal: Signal::Term,
        exit_code: 0,
        after_ns: NANOS_PER_SEC / 10,
        message: Some((
            Stream::Stderr,
            "[notice] 1#1: signal 15 (SIGTERM) received, exiting\n".into(),
        )),
    });
}

fn redis(ctx: &ProcCtx<'_>, r: &mut Run) {
    let (d, t) = stamp(ctx.now_secs);
    let _ = d;
    r.out(format!(
        "1:C 05 Jan 2026 {t}.000 # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition.\n1:C 05 Jan 2026 {t}.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:C 05 Jan 2026 {t}.000 * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started\n1:M 05 Jan 2026 {t}.000 * Running mode=standalone, port=6379.\n1:M 05 Jan 2026 {t}.000 * Server initialized\n1:M 05 Jan 2026 {t}.000 * Ready to accept connections tcp\n"
    ));
    r.handlers.push(Handler {
        signal: Signal::Term,
        exit_code: 0,
        after_ns: NANOS_PER_SEC / 5,
        message: Some((Stream::Stdout, "1:signal-handler Received SIGTERM scheduling shutdown...\n1:M * User requested shutdown...\n1:M * Redis is now ready to exit, bye bye...\n".into())),
    });
    r.handlers.push(Handler {
        signal: Signal::Int,
        exit_code: 0,
        after_ns: NANOS_PER_SEC / 5,
        message: None,
    });
}

fn mysqld(ctx: &ProcCtx<'_>, r: &mut Run, env: &[String]) -> Flow {
    let has = |k: &str| getenv(env, k).is_some_and(|v| !v.is_empty());
    let (_, t) = stamp(ctx.now_secs);
    r.out(format!("2026-01-05 {t}+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.3-1.el9 started.\n"));
    if !has("MYSQL_ROOT_PASSWORD")
        && !has("MYSQL_ALLOW_EMPTY_PASSWORD")
        && !has("MYSQL_RANDOM_ROOT_PASSWORD")
    {
        r.err(format!("2026-01-05 {t}+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n"));
        return Flow::Exit(1);
    }
    r.t += 3 * NANOS_PER_SEC;
    r.out(format!("2026-01-05T{t}.000000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n"));
    r.handlers.push(Handler {
        signal: Signal::Term,
        exit_code: 0,
        after_ns: NANOS_PER_SEC,
        message: None,
    });
    Flow::Forever
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_operators_outside_quotes() {
        let parts = split_list("echo 'a;b' && false || echo c; exit 3");
        let ops: Vec<&str> = parts.iter().map(|p| p.1).collect();
        assert_eq!(ops, vec!["&&", "||", ";", ";"]);
        assert_eq!(parts[0].0.trim(), "echo 'a;b'");
    }

    #[test]
    fn expands_variables_but_not_in_single_quotes() {
        let env = vec!["A=1".to_string()];
        assert_eq!(expand("echo $A ${A}x '$A' $?", &env, 3), "echo 1 1x '$A' 3");
    }

    #[test]
    fn sleep_parses_suffixes_and_infinity() {
        assert_eq!(parse_sleep("1.5"), Some(Some(1_500_000_000)));
        assert_eq!(parse_sleep("2m"), Some(Some(120 * NANOS_PER_SEC)));
        assert_eq!(parse_sleep("inf"), Some(None));
        assert_eq!(parse_sleep("x"), None);
    }
}
