//! The programs a simulated container runs, answered from the container's own view:
//! its merged root file system, environment, hostname and PID.
//!
//! A program is evaluated when it is exec'd into a [`Timeline`]: what it writes and
//! when, and how it ends (an exit status at a virtual time, or running until signalled).
//! `sh -c` scripts are parsed into lists joined by `;`, `&&` and `||`.

use crate::fs::{Fs, FsChanges, NodeKind};

#[path = "shell_files.rs"]
mod files;
use crate::kernel::{Signal, Stream};
use crate::time::NANOS_PER_SEC;

/// What a process sees of its world when it starts.
pub struct ProcCtx<'a> {
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
    pub hostname: String,
    /// Its root file system: the union with its mounts, and a scratch layer its own
    /// writes go to (collected into [`Timeline::fs`]).
    pub fs: Fs<'a>,
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
    /// Its network namespace as the kernel models it (for ping, wget, curl, nc…).
    pub net: Option<crate::simnet::NetView<'a>>,
    /// Its soft limits (`ulimit -a`): open files, processes.
    pub nofile: u64,
    /// Where UID 0 of its user namespace is on the host: 0 when it shares the host's user
    /// namespace, 100000 under dockerd's userns-remap (/proc/self/uid_map shows it).
    pub uid_offset: u32,
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
    /// The bridge a veth end is a port of (host side), for the network view.
    #[serde(default)]
    pub master: Option<String>,
    /// Whether the link has carrier (a bridge without ports has none: NO-CARRIER).
    #[serde(default = "carrier_default")]
    pub carrier: bool,
}

fn carrier_default() -> bool {
    true
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
    /// What it changed in the file system (the kernel applies it when the program runs).
    pub fs: FsChanges,
    /// Sockets it listens on: offset, protocol, port, command name.
    pub listens: Vec<(u64, crate::simnet::Proto, u16, String)>,
    /// What its network peers print because of it: offset, host PID, stream, text.
    pub deliveries: Vec<(u64, u32, Stream, String)>,
    /// A server's settings that shape its answers (see `SimNet::set_app`).
    pub app: Vec<(String, String)>,
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

/// Where a file descriptor goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sink {
    /// `/dev/null`.
    Null,
    To(Stream),
    /// The write end of a pipe: the next command of the pipeline reads it.
    Pipe,
    /// A file opened by a redirection (`> /f`, `>> /f`): index into `Run::files`.
    File(usize),
}

struct Run {
    t: u64,
    output: Vec<(u64, Stream, String)>,
    handlers: Vec<Handler>,
    /// Where fd 1 and fd 2 go (after `>&2`, `2>&1`, `>/dev/null`, `|`).
    fds: [Sink; 2],
    /// What the commands writing into a pipe have written so far.
    pipe: String,
    /// Standard input: what the previous command of a pipeline wrote (empty: /dev/null,
    /// which is what a container started without `-i` reads).
    stdin: String,
    /// Whether `stdin` is all there is (the writer ended). False when the writer runs
    /// forever: a reader that needs end-of-file (`wc`, `sort`) then waits forever too.
    stdin_eof: bool,
    /// The shell running the script (`sh`, `dash`, `bash`), for its error wording.
    shell: String,
    load: Load,
    children: Vec<Child>,
    on_child_killed: OnChildKilled,
    forkbomb: Option<String>,
    kills: Vec<(u64, u32, Signal)>,
    /// The shell's children running now (the commands of a pipeline, a command it forked),
    /// which `ps` and `top` list with the processes the kernel reported.
    spawned: Vec<PsEntry>,
    /// What this process runs now, when a shell exec'd its script's only command.
    exec_argv: Option<Vec<String>>,
    /// Files opened by redirections: path and what was written to them so far (written
    /// out when the command that opened them ends).
    files: Vec<(String, String)>,
    listens: Vec<(u64, crate::simnet::Proto, u16, String)>,
    deliveries: Vec<(u64, u32, Stream, String)>,
    app: Vec<(String, String)>,
}

/// The processes `ps` sees: the kernel's, with this one's current command and its
/// children.
fn visible(ctx: &ProcCtx<'_>, r: &Run) -> Vec<PsEntry> {
    let mut v: Vec<PsEntry> = ctx
        .procs
        .iter()
        .map(|p| {
            let mut p = p.clone();
            if let (true, Some(argv)) = (p.pid == ctx.pid, &r.exec_argv) {
                p.argv = argv.clone();
            }
            p
        })
        .collect();
    v.extend(r.spawned.iter().cloned());
    v
}

impl Run {
    /// A PID for a child this shell forks: the next after every PID in sight.
    fn fork_pid(&self, ctx: &ProcCtx<'_>) -> u32 {
        ctx.procs
            .iter()
            .chain(self.spawned.iter())
            .map(|p| p.pid)
            .max()
            .unwrap_or(0)
            .max(ctx.pid)
            + 1
    }
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
        if s.is_empty() {
            return;
        }
        match self.fds[stream as usize] {
            Sink::Null => {}
            Sink::Pipe => self.pipe.push_str(&s),
            Sink::File(i) => {
                if let Some(f) = self.files.get_mut(i) {
                    f.1.push_str(&s);
                }
            }
            Sink::To(stream) => match self.output.last_mut() {
                Some((t, st, text)) if *t == self.t && *st == stream => text.push_str(&s),
                _ => self.output.push((self.t, stream, s)),
            },
        }
    }
}

/// Evaluates the program `ctx.argv` into its timeline.
pub fn run(ctx: &ProcCtx<'_>) -> Timeline {
    let mut r = Run {
        t: 0,
        output: Vec::new(),
        handlers: Vec::new(),
        fds: [Sink::To(Stream::Stdout), Sink::To(Stream::Stderr)],
        pipe: String::new(),
        stdin: String::new(),
        stdin_eof: true,
        shell: "sh".into(),
        load: Load::default(),
        children: Vec::new(),
        on_child_killed: OnChildKilled::Nothing,
        forkbomb: None,
        kills: Vec::new(),
        spawned: Vec::new(),
        exec_argv: None,
        files: Vec::new(),
        listens: Vec::new(),
        deliveries: Vec::new(),
        app: Vec::new(),
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
        load: r.load,
        children: r.children,
        on_child_killed: r.on_child_killed,
        forkbomb: r.forkbomb,
        kills: r.kills,
        fs: ctx.fs.take_changes(),
        listens: r.listens,
        deliveries: r.deliveries,
        app: r.app,
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
            Some(Some(None)) => {
                r.load.rss = r.load.rss.max(resident(name, gnu(ctx)));
                Flow::Forever
            }
            Some(Some(Some(ns))) => {
                r.load.rss = r.load.rss.max(resident(name, gnu(ctx)));
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
        "cat" if args.is_empty() || args.iter().all(|a| a == "-") => {
            let input = std::mem::take(&mut r.stdin);
            r.out(input);
            if r.stdin_eof {
                Flow::Status(0)
            } else {
                Flow::Forever
            }
        }
        "cat" if args.iter().any(|a| endless_device(a)) => endless(r, ENDLESS_ZEROS),
        "cat" => {
            let mut status = 0;
            for a in args {
                let path = absolute(&ctx.cwd, a);
                if let Some(text) = virtual_read(ctx, &path) {
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
        "rm" | "rmdir" | "mkdir" | "touch" | "mv" | "cp" | "ln" | "chmod" | "du" | "find"
        | "tee" => files::command(ctx, r, name, args),
        "readlink" => {
            let mut status = 0;
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                let path = absolute(&ctx.cwd, a);
                let target = procfs_link(ctx, &path).or_else(|| {
                    match ctx.fs.lstat(&path).map(|f| f.node.kind) {
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
        "grep" | "egrep" | "fgrep" => grep(ctx, r, name, args),
        "wc" => wc(ctx, r, args),
        "head" => head_tail(ctx, r, true, args),
        "tail" if args.iter().any(|a| endless_device(a)) => {
            // `tail /dev/zero` looks for the last newline of an endless file: it keeps
            // everything it reads, and its memory grows without bound.
            r.load.cpu_millis = 1000;
            r.load.rss_target = u64::MAX;
            r.load.grow_rate = TAIL_GROW_RATE;
            Flow::Forever
        }
        "tail" => head_tail(ctx, r, false, args),
        "sort" => sort(ctx, r, args),
        "uniq" => uniq(ctx, r, args),
        "cut" => cut(ctx, r, args),
        "tr" => tr(ctx, r, args),
        "top" => top(ctx, r, args),
        "mount" => mount(ctx, r, args),
        "df" => df(ctx, r, args),
        "ip" => ip(ctx, r, args),
        "nproc" => {
            r.out(format!("{}\n", ctx.cpus_allowed));
            Flow::Status(0)
        }
        "free" => free(ctx, r, args),
        "kill" => kill(ctx, r, args, false),
        "ulimit" => ulimit(ctx, r, args),
        "stress" => stress(ctx, r, argv),
        "forkbomb" => forkbomb(r),
        "dd" => dd(ctx, r, args),
        "yes" => {
            let line = if args.is_empty() {
                "y".to_string()
            } else {
                args.join(" ")
            };
            endless(r, &format!("{line}\n"))
        }
        "sha256sum" | "md5sum" | "sha1sum" | "sha512sum"
            if args.iter().any(|a| endless_device(a)) =>
        {
            r.load.cpu_millis = 1000;
            Flow::Forever
        }
        "sh" | "ash" | "dash" | "bash" => {
            if let Some(i) = args.iter().position(|a| a == "-c") {
                match args.get(i + 1) {
                    Some(script) => {
                        let outer = std::mem::replace(&mut r.shell, name.to_string());
                        let flow = run_script(ctx, r, script, env);
                        r.shell = outer;
                        flow
                    }
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
        "busybox" if !args.is_empty() => program(ctx, r, args, env, binary),
        n if crate::netprog::handles(n) => net_program(ctx, r, n, args, binary),
        "nginx" | "redis-server" | "mysqld"
            if crate::netprog::bind_conflict(ctx.net.as_ref(), name, server_ports(name))
                .is_some() =>
        {
            let msg = crate::netprog::bind_conflict(ctx.net.as_ref(), name, server_ports(name))
                .unwrap_or_default();
            r.err(msg);
            Flow::Status(1)
        }
        "nginx" => {
            listen_on(r, name);
            nginx(ctx, r);
            r.load.rss = resident(name, true);
            Flow::Forever
        }
        "redis-server" => {
            listen_on(r, name);
            redis(ctx, r);
            r.load.rss = resident(name, true);
            Flow::Forever
        }
        "mysqld" => mysqld(ctx, r, env),
        // registry:2's /entrypoint.sh execs `registry serve CONFIG` (crate::registry).
        "entrypoint.sh" | "registry" if ctx.fs.lstat("/bin/registry").is_some() => {
            match crate::registry::registry_program(args, ctx.now_secs) {
                Ok(log) => {
                    if crate::netprog::bind_conflict(ctx.net.as_ref(), "registry", &[5000])
                        .is_some()
                    {
                        let msg =
                            crate::netprog::bind_conflict(ctx.net.as_ref(), "registry", &[5000])
                                .unwrap_or_default();
                        r.err(msg);
                        return Flow::Status(1);
                    }
                    r.listens
                        .push((r.t, crate::simnet::Proto::Tcp, 5000, "registry".to_string()));
                    r.err(log);
                    r.handlers.push(Handler {
                        signal: Signal::Term,
                        exit_code: 0,
                        after_ns: NANOS_PER_SEC / 10,
                        message: Some((
                            Stream::Stderr,
                            crate::registry::registry_stop_log(ctx.now_secs),
                        )),
                    });
                    r.load.rss = 12 * 1024 * 1024;
                    Flow::Forever
                }
                Err((out, code)) => {
                    r.out(out);
                    Flow::Status(code)
                }
            }
        }
        "python3" | "python" | "python3.12"
            if args.first().map(String::as_str) == Some("-m")
                && args.get(1).map(String::as_str) == Some("http.server") =>
        {
            r.load.rss = resident(name, true);
            with_net(ctx, r, false, |e| crate::netprog::python_http(e, args))
        }
        "python3" | "python" | "python3.7" | "python3.12"
            if args.first().is_some_and(|a| is_webapp_mysql(ctx, a)) =>
        {
            webapp_mysql(ctx, r, env)
        }
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
            r.load.rss = resident(name, true);
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

/// The ports a server binds at start.
fn server_ports(name: &str) -> &'static [u16] {
    match name {
        "nginx" => &[80],
        "redis-server" => &[6379],
        _ => &[3306, 33060],
    }
}

/// A server starts listening now (its sockets go to the kernel with the timeline).
fn listen_on(r: &mut Run, name: &str) {
    for p in server_ports(name) {
        r.listens
            .push((r.t, crate::simnet::Proto::Tcp, *p, name.to_string()));
    }
}

/// Runs a network program (crate::netprog) with the process's network view.
fn net_program(ctx: &ProcCtx<'_>, r: &mut Run, name: &str, args: &[String], binary: &str) -> Flow {
    let busybox = binary.ends_with("/busybox") || (binary.is_empty() && !gnu(ctx));
    with_net(ctx, r, busybox, |e| crate::netprog::run(e, name, args))
}

fn with_net(
    ctx: &ProcCtx<'_>,
    r: &mut Run,
    busybox: bool,
    f: impl FnOnce(&crate::netprog::Env<'_>) -> crate::netprog::NetOut,
) -> Flow {
    let fallback;
    let view = match ctx.net {
        Some(v) => v,
        None => {
            fallback = crate::simnet::SimNet::new();
            crate::simnet::NetView {
                net: &fallback,
                netns: 0,
                container: None,
                now: crate::time::Time(0),
                pid: 0,
            }
        }
    };
    let stdin = std::mem::take(&mut r.stdin);
    let o = {
        let env = crate::netprog::env_for(view, &ctx.fs, busybox, &stdin);
        f(&env)
    };
    let start = r.t;
    for (off, stream, text) in o.output {
        r.t = start + off;
        r.write(stream, text);
    }
    r.t = start + o.duration;
    for (off, p, port, comm) in o.listens {
        r.listens.push((start + off, p, port, comm));
    }
    r.handlers.extend(o.handlers);
    for (off, pid, stream, text) in o.deliveries {
        r.deliveries.push((start + off, pid, stream, text));
    }
    match o.exit {
        Some(c) => Flow::Status(c),
        None => Flow::Forever,
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
        if let Some(names) = cgroup_dir(ctx, &path) {
            let mut s = String::new();
            if long {
                s.push_str("total 0\n");
            }
            for n in names {
                let dir = cgroup_dir(ctx, &format!("{}/{n}", path.trim_end_matches('/'))).is_some();
                if long {
                    let (t, mode) = if dir {
                        ('d', "rwxr-xr-x")
                    } else {
                        ('-', "rw-r--r--")
                    };
                    s.push_str(&format!(
                        "{t}{mode}    {} root     root             0 Jan  5 09:00 {n}\n",
                        if dir { 2 } else { 1 }
                    ));
                } else {
                    s.push_str(&n);
                    s.push('\n');
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
            match ctx.fs.lstat(&path) {
                Some(f) if long => r.out(files::ls_long(ctx, &[(p.clone(), f.node)], false)),
                _ => r.out(format!("{p}\n")),
            }
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
            let rows: Vec<(String, crate::fs::Node)> = names
                .iter()
                .filter_map(|n| {
                    let full = if real == "/" {
                        format!("/{n}")
                    } else {
                        format!("{real}/{n}")
                    };
                    ctx.fs.lstat(&full).map(|f| (n.clone(), f.node))
                })
                .collect();
            s.push_str(&files::ls_long(ctx, &rows, true));
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

/// One `ls -l` line as BusyBox prints it.
fn ls_long_line(node: &crate::fs::Node, name: &str) -> String {
    let (t, size, tail) = match &node.kind {
        NodeKind::Dir { .. } => ('d', 4096, String::new()),
        NodeKind::Symlink { target } => ('l', target.len() as u64, format!(" -> {target}")),
        NodeKind::File { size, .. } => ('-', *size, String::new()),
        NodeKind::Whiteout => ('c', 0, String::new()),
    };
    format!(
        "{t}{} {:>4} {:<8} {:<8} {size:>8} Jan  5 09:00 {name}{tail}\n",
        mode_string(node.mode),
        1,
        "root",
        "root"
    )
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
        // The kernel prints each mapping as three right-aligned 10-wide numbers.
        "uid_map" | "gid_map" => Some(if ctx.uid_offset == 0 {
            format!("{:>10} {:>10} {:>10}\n", 0, 0, 4294967295u32)
        } else {
            format!("{:>10} {:>10} {:>10}\n", 0, ctx.uid_offset, 65536)
        }),
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
    let mut procs = visible(ctx, r);
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

/// `a; b && c || d`: a list of pipelines joined by operators.
fn run_script(ctx: &ProcCtx<'_>, r: &mut Run, script: &str, env: &mut Vec<String>) -> Flow {
    if forkbomb_function(script).is_some() {
        return forkbomb(r);
    }
    let mut status = 0;
    let mut pending_op: Option<&str> = None;
    let script_fds = r.fds;
    let list = split_list(script);
    let only_one = list.len() == 1;
    let flow = 'script: {
        for (cmd, op) in list {
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
            let stages = split_pipeline(&cmd);
            let flow = if stages.len() == 1 {
                // A script of one command: the shell execs it (busybox ash, dash and bash
                // all do), so it keeps the shell's PID. Otherwise the shell forks it.
                let words = shlex::split(&expand(&cmd, env, status)).unwrap_or_default();
                let builtin = words
                    .first()
                    .is_none_or(|w| SHELL_BUILTINS.contains(&w.as_str()) || w.contains('='));
                if only_one {
                    r.exec_argv = Some(words);
                    simple(ctx, r, &cmd, env, status)
                } else if builtin {
                    simple(ctx, r, &cmd, env, status)
                } else {
                    let pid = r.fork_pid(ctx);
                    r.spawned.push(PsEntry {
                        pid,
                        ppid: ctx.pid,
                        uid: ctx.uid,
                        argv: words,
                    });
                    let f = simple(ctx, r, &cmd, env, status);
                    r.spawned.retain(|p| p.pid != pid);
                    f
                }
            } else {
                pipeline(ctx, r, &stages, env, status)
            };
            match flow {
                Flow::Status(s) => status = s,
                f @ (Flow::Exit(_) | Flow::Forever) => break 'script f,
            }
        }
        Flow::Status(status)
    };
    r.fds = script_fds;
    flow
}

/// `a | b | c`: each command's standard output feeds the next one's standard input; the
/// status is the last command's. The commands run one after another over virtual time
/// (a reader starts when its writer has ended); a writer that never ends (`yes`,
/// `sleep infinity`) hands over what it wrote, and the reader sees no end-of-file. When
/// the reader ends anyway (`head`), the writer dies of SIGPIPE and its load goes with it.
fn pipeline(
    ctx: &ProcCtx<'_>,
    r: &mut Run,
    stages: &[String],
    env: &mut [String],
    status: i32,
) -> Flow {
    let outer_fds = r.fds;
    let outer_pipe = std::mem::take(&mut r.pipe);
    let outer_stdin = (std::mem::take(&mut r.stdin), r.stdin_eof);
    let load_before = r.load.clone();
    let mut input = outer_stdin.clone();
    let mut writer_forever = false;
    // Every command of the pipeline is a child of the shell, all running at once.
    let first_pid = r.fork_pid(ctx);
    for (i, stage) in stages.iter().enumerate() {
        r.spawned.push(PsEntry {
            pid: first_pid + i as u32,
            ppid: ctx.pid,
            uid: ctx.uid,
            argv: shlex::split(&expand(stage, env, status)).unwrap_or_default(),
        });
    }
    let mut flow = Flow::Status(0);
    for (i, stage) in stages.iter().enumerate() {
        let last = i + 1 == stages.len();
        r.fds = if last {
            outer_fds
        } else {
            [Sink::Pipe, outer_fds[1]]
        };
        r.stdin = std::mem::take(&mut input.0);
        r.stdin_eof = input.1;
        // Each command of a pipeline runs in a subshell: assignments do not leak.
        let mut sub_env = env.to_vec();
        let f = simple(ctx, r, stage, &mut sub_env, status);
        if last {
            flow = match f {
                Flow::Exit(c) => Flow::Status(c),
                f => f,
            };
        } else {
            let forever = matches!(f, Flow::Forever);
            writer_forever |= forever;
            input = (std::mem::take(&mut r.pipe), !forever && input.1);
        }
    }
    r.spawned.retain(|p| p.pid < first_pid);
    if writer_forever && matches!(flow, Flow::Status(_)) {
        // The reader ended: the writer gets SIGPIPE.
        r.load = load_before;
    }
    r.fds = outer_fds;
    let last_out = std::mem::replace(&mut r.pipe, outer_pipe);
    r.pipe.push_str(&last_out);
    r.stdin = outer_stdin.0;
    r.stdin_eof = outer_stdin.1;
    flow
}

/// One simple command: expansions, redirections, assignments, then a builtin or a
/// program found on $PATH.
fn simple(ctx: &ProcCtx<'_>, r: &mut Run, cmd: &str, env: &mut Vec<String>, status: i32) -> Flow {
    let expanded = expand(cmd, env, status);
    let Some(words) = shlex::split(&expanded) else {
        r.err(format!(
            "{}: syntax error: unterminated quoted string\n",
            r.shell_prefix()
        ));
        return Flow::Exit(2);
    };
    let entry_fds = r.fds;
    let flow = simple_words(ctx, r, words, env);
    r.fds = entry_fds;
    flow
}

fn simple_words(
    ctx: &ProcCtx<'_>,
    r: &mut Run,
    mut words: Vec<String>,
    env: &mut Vec<String>,
) -> Flow {
    // Redirections: `>&2`, `1>&2`, `2>&1`, `>/dev/null`, `2>/dev/null`, `&>/dev/null`.
    let saved = r.fds;
    let first_file = r.files.len();
    let mut i = 0;
    let mut unsupported = None;
    while i < words.len() {
        let w = words[i].clone();
        let (fd, target) = match w.as_str() {
            ">&2" | "1>&2" => (Some(0), Some(saved[1])),
            "2>&1" => (Some(1), Some(r.fds[0])),
            ">&1" | "1>&1" => (Some(0), Some(r.fds[0])),
            _ => {
                let (fd, rest) = if let Some(x) = w.strip_prefix("2>") {
                    (Some(1), x)
                } else if let Some(x) = w.strip_prefix("&>") {
                    (Some(2), x)
                } else if let Some(x) = w.strip_prefix("1>").or_else(|| w.strip_prefix('>')) {
                    (Some(0), x)
                } else {
                    (None, "")
                };
                let (append, rest) = match rest.strip_prefix('>') {
                    Some(x) => (true, x),
                    None => (false, rest),
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
                                r.fds = [Sink::Null, Sink::Null];
                            } else {
                                r.fds[fd] = Sink::Null;
                            }
                            continue;
                        }
                        words.drain(i..i + consumed.min(words.len() - i));
                        match files::open_redirect(ctx, r, &file, append) {
                            Some(sink) => {
                                if fd == 2 {
                                    r.fds = [sink, sink];
                                } else {
                                    r.fds[fd] = sink;
                                }
                                continue;
                            }
                            None => {
                                unsupported = Some(file);
                                break;
                            }
                        }
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
    if unsupported.is_some() {
        // The shell could not open the file (it said why): the command does not run.
        r.fds = saved;
        files::close_redirects(ctx, r, first_file);
        return Flow::Status(if r.shell == "bash" { 1 } else { 2 });
    }
    let flow = simple_command(ctx, r, words, env);
    files::close_redirects(ctx, r, first_file);
    flow
}

fn simple_command(
    ctx: &ProcCtx<'_>,
    r: &mut Run,
    words: Vec<String>,
    env: &mut Vec<String>,
) -> Flow {
    if words.is_empty() {
        return Flow::Status(0);
    }
    // Assignments and `export`.
    if words.len() == 1 && words[0].contains('=') && !words[0].starts_with('=') {
        env.push(words[0].clone());
        return Flow::Status(0);
    }
    if words[0] == "export" {
        for w in &words[1..] {
            if w.contains('=') {
                env.push(w.clone());
            }
        }
        return Flow::Status(0);
    }
    let words: Vec<String> = if words[0] == "exec" {
        words[1..].to_vec()
    } else {
        words
    };
    let Some(w0) = words.first().map(String::as_str) else {
        return Flow::Status(0);
    };
    if SHELL_BUILTINS.contains(&w0) {
        return builtin(ctx, r, &words, env);
    }
    let binary = match lookup(ctx, w0, env) {
        Some(b) => b,
        None => {
            r.err(r.not_found(w0));
            return Flow::Status(127);
        }
    };
    program(ctx, r, &words, env, &binary)
}

/// Commands the shells run themselves, without looking on $PATH.
const SHELL_BUILTINS: &[&str] = &[
    "echo", "printf", "true", "false", "exit", ":", "pwd", "cd", "ulimit", "kill", "forkbomb",
];

fn builtin(ctx: &ProcCtx<'_>, r: &mut Run, words: &[String], env: &mut Vec<String>) -> Flow {
    match words[0].as_str() {
        "cd" => Flow::Status(0),
        "ulimit" => ulimit(ctx, r, &words[1..]),
        "kill" => kill(ctx, r, &words[1..], true),
        // Porthole's name for the fork bomb, in every image's shell.
        "forkbomb" => forkbomb(r),
        _ => program(ctx, r, words, env, ""),
    }
}

impl Run {
    /// How the running shell prefixes its own errors: `sh`, `sh: 1`, `bash: line 1`.
    fn shell_prefix(&self) -> String {
        match self.shell.as_str() {
            "dash" => "sh: 1".to_string(),
            "bash" => "bash: line 1".to_string(),
            s => s.to_string(),
        }
    }
    /// The shell's "command not found".
    fn not_found(&self, cmd: &str) -> String {
        match self.shell.as_str() {
            "bash" => format!("bash: line 1: {cmd}: command not found\n"),
            _ => format!("{}: {cmd}: not found\n", self.shell_prefix()),
        }
    }
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
    // A new data directory (in the image's VOLUME or the volume mounted there) is
    // initialised; one that already holds a database is used as it is.
    crate::volume::mysql_initialize(&ctx.fs);
    r.t += 3 * NANOS_PER_SEC;
    listen_on(r, "mysqld");
    // The accounts the entrypoint created, which clients log in with.
    r.app = [
        "MYSQL_ROOT_PASSWORD",
        "MYSQL_ALLOW_EMPTY_PASSWORD",
        "MYSQL_USER",
        "MYSQL_PASSWORD",
        "MYSQL_DATABASE",
    ]
    .iter()
    .filter_map(|k| getenv(env, k).map(|v| (k.to_string(), v.to_string())))
    .chain([("kind".to_string(), "mysqld".to_string())])
    .collect();
    r.load.rss = resident("mysqld", true);
    r.out(format!("2026-01-05T{t}.000000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n"));
    r.handlers.push(Handler {
        signal: Signal::Term,
        exit_code: 0,
        after_ns: NANOS_PER_SEC,
        message: None,
    });
    Flow::Forever
}

/// `python app.py` where app.py is the simple-webapp-mysql Flask app (seed 004's
/// `kodekloud/simple-webapp-mysql`): recognised by what the script does.
fn is_webapp_mysql(ctx: &ProcCtx<'_>, script: &str) -> bool {
    let path = absolute(&ctx.cwd, script);
    ctx.fs.resolve(&path).is_some_and(|(_, f)| {
        matches!(&f.node.kind, NodeKind::File { content: Some(c), .. } if c.contains("mysql.connector.connect"))
    })
}

/// The Flask app of `kodekloud/simple-webapp-mysql` (Flask 1.0.2, Werkzeug 0.14.1,
/// Python 3.7): Flask's banner on stdout, Werkzeug's on stderr, a listener on 8080.
/// Each `GET /` connects to MySQL at `DB_Host` from the app's own network namespace
/// (`crate::netprog` computes the page when a client asks).
fn webapp_mysql(ctx: &ProcCtx<'_>, r: &mut Run, env: &[String]) -> Flow {
    use crate::simnet::Proto;
    if ctx
        .net
        .as_ref()
        .is_some_and(|n| n.port_in_use(Proto::Tcp, 8080))
    {
        r.err(" * Serving Flask app \"app\" (lazy loading)\nTraceback (most recent call last):\n  File \"/usr/local/lib/python3.7/socketserver.py\", line 466, in server_bind\n    self.socket.bind(self.server_address)\nOSError: [Errno 98] Address in use\n");
        return Flow::Exit(1);
    }
    r.out(" * Serving Flask app \"app\" (lazy loading)\n * Environment: production\n   WARNING: Do not use the development server in a production environment.\n   Use a production WSGI server instead.\n * Debug mode: off\n");
    r.err(" * Running on http://0.0.0.0:8080/ (Press CTRL+C to quit)\n");
    r.listens.push((r.t, Proto::Tcp, 8080, "python".into()));
    r.app = vec![
        ("kind".into(), "webapp-mysql".into()),
        ("hostname".into(), ctx.hostname.clone()),
    ];
    if let Some(c) = ctx.net.as_ref().and_then(|n| n.container) {
        r.app.push(("container".into(), c.to_string()));
    }
    for k in ["DB_Host", "DB_Database", "DB_User", "DB_Password"] {
        if let Some(v) = getenv(env, k) {
            r.app.push((k.to_string(), v.to_string()));
        }
    }
    r.load.rss = resident("python", true);
    Flow::Forever
}

// ---------------------------------------------------------------------------------------
// Pipelines and the workload language's shell forms.

/// Splits a command on `|` outside quotes (`||` was split off before).
fn split_pipeline(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut sq, mut dq) = (false, false);
    for c in cmd.chars() {
        match c {
            '\'' if !dq => {
                sq = !sq;
                cur.push(c)
            }
            '"' if !sq => {
                dq = !dq;
                cur.push(c)
            }
            '|' if !sq && !dq => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The classic fork bomb, `:(){ :|:& };:` or `bomb(){ bomb|bomb& };bomb`, with any
/// spacing: returns the function's name.
fn forkbomb_function(script: &str) -> Option<String> {
    let s: String = script.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.trim_end_matches(';');
    let s = s.strip_prefix("function").unwrap_or(s);
    let (name, rest) = s.split_once("(){")?;
    let valid = !name.is_empty()
        && (name == ":" || name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let body = format!("{name}|{name}&}};{name}");
    let body_semi = format!("{name}|{name}&;}};{name}");
    (valid && (rest == body || rest == body_semi)).then(|| name.to_string())
}

/// A fork bomb: every copy forks two more until pids.max refuses (the kernel plays it;
/// the shell's name words the refusal, [`fork_refused_message`]). Porthole's `forkbomb`
/// program, available in every image's shell, is the same workload.
fn forkbomb(r: &mut Run) -> Flow {
    r.forkbomb = Some(r.shell.clone());
    r.load.cpu_millis = 1000;
    r.load.rss = r.load.rss.max(resident("sh", false));
    Flow::Forever
}

/// Devices that never end when read.
fn endless_device(path: &str) -> bool {
    matches!(
        path,
        "/dev/zero" | "/dev/urandom" | "/dev/random" | "/dev/full"
    )
}

const ENDLESS_ZEROS: &str = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// A program that writes without end (`yes`, `cat /dev/zero`): a busy CPU forever. Into
/// a pipe it hands the reader a pipe buffer's worth (64 KiB) before the reader decides;
/// onto a terminal the timeline carries the first 4 KiB (a log cannot hold an endless
/// stream).
fn endless(r: &mut Run, chunk: &str) -> Flow {
    r.load.cpu_millis = 1000;
    r.load.rss = r.load.rss.max(resident("yes", false));
    let budget = match r.fds[0] {
        Sink::Null => 0,
        Sink::Pipe => 64 * 1024,
        Sink::To(_) | Sink::File(_) => 4 * 1024,
    };
    if budget > 0 && !chunk.is_empty() {
        let n = budget / chunk.len();
        r.out(chunk.repeat(n.max(1)));
    }
    Flow::Forever
}

/// How fast `tail /dev/zero` grows: it reads /dev/zero at memory speed and keeps every
/// byte (no newline ever comes). 1 GiB/s.
const TAIL_GROW_RATE: u64 = 1 << 30;

/// Resident memory of a long-running program, in bytes: what `docker stats` shows for a
/// container running only it, idle. Sources: `docker stats` of the official images on
/// a 4-CPU host (busybox `sleep` ~400 KiB, `sh` ~600 KiB; nginx master ~3 MiB before its
/// workers; redis-server 7.4 ~3.6 MiB; mysqld 8.4 ~370 MiB after initialisation;
/// python3.12 REPL ~9 MiB).
fn resident(name: &str, gnu: bool) -> u64 {
    const K: u64 = 1024;
    match name {
        "sleep" | "yes" | "tail" | "cat" => {
            if gnu {
                512 * K
            } else {
                400 * K
            }
        }
        "sh" | "ash" | "dash" => 600 * K,
        "bash" => 3 * K * K,
        "nginx" => 3 * K * K,
        "redis-server" => 3_700 * K,
        "mysqld" => 370 * K * K,
        "python" | "python3" | "python3.12" => 9 * K * K,
        "stress" => 600 * K,
        _ => 512 * K,
    }
}

// ---------------------------------------------------------------------------------------
// Reading files: the virtual ones of /proc and /sys first, then the root file system.

enum ReadErr {
    NotFound,
    IsDir,
}

/// Files the kernel makes up when read: /proc and the cgroup files under /sys/fs/cgroup.
fn virtual_read(ctx: &ProcCtx<'_>, path: &str) -> Option<String> {
    if let Some(text) = procfs_read(ctx, path) {
        return Some(text);
    }
    match path {
        "/proc/meminfo" => return Some(meminfo_text(ctx)),
        "/proc/cpuinfo" => return Some(cpuinfo_text(ctx)),
        "/proc/mounts" | "/etc/mtab" => return Some(proc_mounts(ctx)),
        "/proc/loadavg" => return Some(loadavg(ctx)),
        "/proc/uptime" => {
            let up = ctx.now_secs.saturating_sub(HOST_BOOT_SECS);
            return Some(format!("{up}.00 {}.00\n", up * ctx.host_cpus as u64));
        }
        _ => {}
    }
    if let Some((_, tail)) = proc_entry(ctx, path) {
        if tail == "mounts" {
            return Some(proc_mounts(ctx));
        }
    }
    let rel = path.strip_prefix("/sys/fs/cgroup/")?;
    ctx.cgroup_files
        .iter()
        .find(|(name, _)| name == rel.trim_end_matches('/'))
        .map(|(_, v)| v.clone())
}

/// The entries of a directory under /sys/fs/cgroup, if it is one.
fn cgroup_dir(ctx: &ProcCtx<'_>, path: &str) -> Option<Vec<String>> {
    let path = path.trim_end_matches('/');
    let prefix = if path == "/sys/fs/cgroup" {
        String::new()
    } else {
        format!("{}/", path.strip_prefix("/sys/fs/cgroup/")?)
    };
    let mut names = std::collections::BTreeSet::new();
    for (name, _) in &ctx.cgroup_files {
        if let Some(rest) = name.strip_prefix(&prefix) {
            names.insert(rest.split('/').next().unwrap_or(rest).to_string());
        }
    }
    (!names.is_empty()).then(|| names.into_iter().collect())
}

fn read_text(ctx: &ProcCtx<'_>, path: &str) -> Result<String, ReadErr> {
    if path == "/dev/null" {
        return Ok(String::new());
    }
    if let Some(t) = virtual_read(ctx, path) {
        return Ok(t);
    }
    if cgroup_dir(ctx, path).is_some() {
        return Err(ReadErr::IsDir);
    }
    match ctx.fs.resolve(path) {
        Some((_, f)) => match &f.node.kind {
            NodeKind::File {
                content: Some(c), ..
            } => Ok(c.to_string()),
            NodeKind::File { size, .. } => {
                Ok(format!("<{size} bytes of binary data, not modelled>\n"))
            }
            NodeKind::Dir { .. } => Err(ReadErr::IsDir),
            _ => Err(ReadErr::NotFound),
        },
        None => Err(ReadErr::NotFound),
    }
}

/// The size `stat` reports: the real size of a file in the image, 0 for /proc files.
fn file_size(ctx: &ProcCtx<'_>, path: &str) -> u64 {
    if virtual_read(ctx, path).is_some() {
        return 0;
    }
    match ctx.fs.resolve(path).map(|(_, f)| f.node.kind.clone()) {
        Some(NodeKind::File { size, .. }) => size,
        _ => 0,
    }
}

/// The inputs of a text tool: its file operands, or standard input. Errors are worded
/// as `prog` words them; the flag says whether any input failed.
fn inputs(
    ctx: &ProcCtx<'_>,
    r: &mut Run,
    prog: &str,
    files: &[String],
) -> (Vec<(Option<String>, String)>, bool) {
    if files.is_empty() || files.iter().all(|f| f == "-") && files.len() == 1 {
        return (vec![(None, r.stdin.clone())], false);
    }
    let mut v = Vec::new();
    let mut failed = false;
    for f in files {
        if f == "-" {
            v.push((None, r.stdin.clone()));
            continue;
        }
        match read_text(ctx, &absolute(&ctx.cwd, f)) {
            Ok(t) => v.push((Some(f.clone()), t)),
            Err(e) => {
                failed = true;
                let gnu = gnu(ctx);
                let msg = match (e, gnu, prog) {
                    (ReadErr::IsDir, _, _) => format!("{prog}: {f}: Is a directory\n"),
                    (ReadErr::NotFound, true, "head" | "tail") => format!(
                        "{prog}: cannot open '{f}' for reading: No such file or directory\n"
                    ),
                    (ReadErr::NotFound, true, "sort") => {
                        format!("sort: cannot read: {f}: No such file or directory\n")
                    }
                    (ReadErr::NotFound, true, _) | (ReadErr::NotFound, false, "grep") => {
                        format!("{prog}: {f}: No such file or directory\n")
                    }
                    (ReadErr::NotFound, false, _) => {
                        format!("{prog}: can't open '{f}': No such file or directory\n")
                    }
                };
                r.err(msg);
            }
        }
    }
    (v, failed)
}

/// Splits text into lines without their newlines (a last line without one counts).
fn lines_of(text: &str) -> Vec<&str> {
    let mut v: Vec<&str> = text.split('\n').collect();
    if v.last() == Some(&"") {
        v.pop();
    }
    v
}

/// Short options as getopt sees them: `-nr`, `-n5`, `-n 5`. `with_arg` lists the options
/// that take an argument. Returns (option, argument) pairs and the operands, or the
/// option that was unknown.
type Opts = (Vec<(char, Option<String>)>, Vec<String>);
fn getopt(args: &[String], flags: &str, with_arg: &str) -> Result<Opts, char> {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            operands.extend(args[i + 1..].iter().cloned());
            break;
        }
        if a.len() > 1 && a.starts_with('-') && !a.starts_with("--") {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                if with_arg.contains(c) {
                    let rest: String = chars[j + 1..].iter().collect();
                    let v = if rest.is_empty() {
                        i += 1;
                        args.get(i).cloned()
                    } else {
                        Some(rest)
                    };
                    opts.push((c, v));
                    break;
                } else if flags.contains(c) {
                    opts.push((c, None));
                } else if c.is_ascii_digit() && flags.contains('#') {
                    // `head -5`: the digits are a count.
                    let digits: String = chars[j..].iter().collect();
                    opts.push(('#', Some(digits)));
                    break;
                } else {
                    return Err(c);
                }
                j += 1;
            }
        } else {
            operands.push(a.clone());
        }
        i += 1;
    }
    Ok((opts, operands))
}

fn bad_option(ctx: &ProcCtx<'_>, r: &mut Run, prog: &str, c: char) -> Flow {
    if gnu(ctx) {
        r.err(format!(
            "{prog}: invalid option -- '{c}'\nTry '{prog} --help' for more information.\n"
        ));
    } else {
        r.err(format!("{prog}: invalid option -- '{c}'\nBusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: {prog} ...\n"));
    }
    Flow::Status(if prog == "grep" { 2 } else { 1 })
}

// ---------------------------------------------------------------------------------------
// Text tools: grep, wc, head, tail, sort, uniq, cut, tr.

/// A small POSIX regular expression matcher (the subset students type): literals, `.`,
/// bracket expressions, `^`, `$`, `*`, and in extended syntax (or GNU's `\+ \? \|` in
/// basic syntax) `+`, `?`, `|` and groups.
#[derive(Clone, Debug)]
enum Atom {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Start,
    End,
    Group(Vec<Vec<Piece>>),
}

#[derive(Clone, Debug)]
struct Piece {
    atom: Atom,
    min: usize,
    max: usize,
}

struct Regex {
    alts: Vec<Vec<Piece>>,
    icase: bool,
}

/// Whether an extended regular expression matches somewhere in `s` (close enough to
/// Go's `regexp.MatchString` for the daemon's `name=` filters).
pub(crate) fn regex_matches(pat: &str, s: &str) -> bool {
    !Regex::new(pat, true, false, false).spans(s).is_empty()
}

impl Regex {
    fn new(pat: &str, extended: bool, fixed: bool, icase: bool) -> Regex {
        let pat = if icase {
            pat.to_lowercase()
        } else {
            pat.to_string()
        };
        let chars: Vec<char> = pat.chars().collect();
        let alts = if fixed {
            vec![chars
                .iter()
                .map(|c| Piece {
                    atom: Atom::Char(*c),
                    min: 1,
                    max: 1,
                })
                .collect()]
        } else {
            let mut i = 0;
            parse_alts(&chars, &mut i, extended)
        };
        Regex { alts, icase }
    }

    /// Spans (start, end) of the matches at each start position.
    fn spans(&self, line: &str) -> Vec<(usize, usize)> {
        let text: Vec<char> = if self.icase {
            line.to_lowercase().chars().collect()
        } else {
            line.chars().collect()
        };
        let mut v = Vec::new();
        for s in 0..=text.len() {
            for alt in &self.alts {
                for e in match_seq(alt, &text, s) {
                    v.push((s, e));
                }
            }
        }
        v
    }

    fn is_match(&self, line: &str, word: bool, whole: bool) -> bool {
        let text: Vec<char> = line.chars().collect();
        let is_word = |i: usize| {
            text.get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        };
        self.spans(line).into_iter().any(|(s, e)| {
            if whole {
                return s == 0 && e == text.len();
            }
            if word {
                return e > s && (s == 0 || !is_word(s - 1)) && !is_word(e);
            }
            true
        })
    }
}

fn parse_alts(c: &[char], i: &mut usize, ere: bool) -> Vec<Vec<Piece>> {
    let mut alts = vec![Vec::new()];
    while *i < c.len() {
        let ch = c[*i];
        // Alternation and group ends.
        if ere && ch == '|' || !ere && ch == '\\' && c.get(*i + 1) == Some(&'|') {
            *i += if ere { 1 } else { 2 };
            alts.push(Vec::new());
            continue;
        }
        if ere && ch == ')' || !ere && ch == '\\' && c.get(*i + 1) == Some(&')') {
            break;
        }
        let seq = alts.last_mut().expect("one alternative");
        let atom = if ere && ch == '(' || !ere && ch == '\\' && c.get(*i + 1) == Some(&'(') {
            *i += if ere { 1 } else { 2 };
            let inner = parse_alts(c, i, ere);
            *i += if ere { 1 } else { 2 };
            Atom::Group(inner)
        } else if ch == '\\' {
            *i += 1;
            let e = c.get(*i).copied().unwrap_or('\\');
            *i += 1;
            match e {
                'w' => Atom::Class(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')], false),
                's' => Atom::Class(vec![(' ', ' '), ('\t', '\t')], false),
                e => Atom::Char(e),
            }
        } else if ch == '.' {
            *i += 1;
            Atom::Any
        } else if ch == '^' && seq.is_empty() {
            *i += 1;
            Atom::Start
        } else if ch == '$' && (*i + 1 == c.len() || c.get(*i + 1) == Some(&'|')) {
            *i += 1;
            Atom::End
        } else if ch == '[' {
            *i += 1;
            let neg = c.get(*i) == Some(&'^');
            if neg {
                *i += 1;
            }
            let mut ranges = Vec::new();
            let mut first = true;
            while *i < c.len() && (c[*i] != ']' || first) {
                first = false;
                if c[*i] == '[' && c.get(*i + 1) == Some(&':') {
                    let end = c[*i..].iter().collect::<String>().find(":]");
                    if let Some(end) = end {
                        let name: String = c[*i + 2..*i + end].iter().collect();
                        ranges.extend(match name.as_str() {
                            "digit" => vec![('0', '9')],
                            "alpha" => vec![('a', 'z'), ('A', 'Z')],
                            "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
                            "upper" => vec![('A', 'Z')],
                            "lower" => vec![('a', 'z')],
                            "space" => vec![(' ', ' '), ('\t', '\t'), ('\n', '\n')],
                            _ => vec![],
                        });
                        *i += end + 2;
                        continue;
                    }
                }
                let lo = c[*i];
                if c.get(*i + 1) == Some(&'-') && c.get(*i + 2).is_some_and(|x| *x != ']') {
                    ranges.push((lo, c[*i + 2]));
                    *i += 3;
                } else {
                    ranges.push((lo, lo));
                    *i += 1;
                }
            }
            *i += 1;
            Atom::Class(ranges, neg)
        } else if ch == '*' && seq.is_empty() {
            *i += 1;
            Atom::Char('*')
        } else {
            *i += 1;
            Atom::Char(ch)
        };
        let (mut min, mut max) = (1, 1);
        while let Some(&q) = c.get(*i) {
            let (lo, hi, len) = match q {
                '*' => (0, usize::MAX, 1),
                '+' if ere => (1, usize::MAX, 1),
                '?' if ere => (0, 1, 1),
                '\\' if !ere && c.get(*i + 1) == Some(&'+') => (1, usize::MAX, 2),
                '\\' if !ere && c.get(*i + 1) == Some(&'?') => (0, 1, 2),
                _ => break,
            };
            min = min.min(lo);
            max = if hi == usize::MAX { hi } else { max.max(hi) };
            *i += len;
        }
        seq.push(Piece { atom, min, max });
    }
    alts
}

fn atom_ends(atom: &Atom, text: &[char], pos: usize) -> Vec<usize> {
    match atom {
        Atom::Start => (pos == 0).then_some(pos).into_iter().collect(),
        Atom::End => (pos == text.len()).then_some(pos).into_iter().collect(),
        Atom::Any => (pos < text.len()).then_some(pos + 1).into_iter().collect(),
        Atom::Char(c) => (text.get(pos) == Some(c))
            .then_some(pos + 1)
            .into_iter()
            .collect(),
        Atom::Class(ranges, neg) => text
            .get(pos)
            .filter(|ch| ranges.iter().any(|(lo, hi)| lo <= ch && *ch <= hi) != *neg)
            .map(|_| pos + 1)
            .into_iter()
            .collect(),
        Atom::Group(alts) => {
            let mut v: Vec<usize> = alts.iter().flat_map(|a| match_seq(a, text, pos)).collect();
            v.sort_unstable();
            v.dedup();
            v
        }
    }
}

/// Every position where `pieces` can end when started at `pos`.
fn match_seq(pieces: &[Piece], text: &[char], pos: usize) -> Vec<usize> {
    let Some((p, rest)) = pieces.split_first() else {
        return vec![pos];
    };
    let mut ends = std::collections::BTreeSet::new();
    let mut frontier = vec![pos];
    let mut count = 0;
    loop {
        if count >= p.min {
            for &f in &frontier {
                ends.extend(match_seq(rest, text, f));
            }
        }
        if count == p.max || frontier.is_empty() {
            break;
        }
        let mut next: Vec<usize> = frontier
            .iter()
            .flat_map(|&f| atom_ends(&p.atom, text, f))
            .collect();
        next.sort_unstable();
        next.dedup();
        // No progress (a zero-width atom repeated): more rounds find nothing new.
        if next.is_empty() || count >= p.min && next.iter().all(|e| frontier.contains(e)) {
            break;
        }
        frontier = next;
        count += 1;
    }
    ends.into_iter().collect()
}

fn grep(ctx: &ProcCtx<'_>, r: &mut Run, name: &str, args: &[String]) -> Flow {
    let (opts, mut operands) = match getopt(args, "ivcEFwqnlshHxo", "em") {
        Ok(v) => v,
        Err(c) => return bad_option(ctx, r, "grep", c),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let mut patterns: Vec<String> = opts
        .iter()
        .filter(|(o, _)| *o == 'e')
        .filter_map(|(_, v)| v.clone())
        .collect();
    if patterns.is_empty() {
        if operands.is_empty() {
            r.err(if gnu(ctx) {
                "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n".to_string()
            } else {
                "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n".to_string()
            });
            return Flow::Status(2);
        }
        patterns.push(operands.remove(0));
    }
    let extended = has('E') || name == "egrep";
    let fixed = has('F') || name == "fgrep";
    let res: Vec<Regex> = patterns
        .iter()
        .flat_map(|p| p.split('\n').map(str::to_string).collect::<Vec<_>>())
        .map(|p| Regex::new(&p, extended, fixed, has('i')))
        .collect();
    let max: Option<usize> = opts
        .iter()
        .find(|(o, _)| *o == 'm')
        .and_then(|(_, v)| v.as_ref()?.parse().ok());
    let (inputs, failed) = inputs(ctx, r, "grep", &operands);
    let multi = operands.len() > 1 && !has('h') || has('H');
    let mut any = false;
    let mut out = String::new();
    let mut stopped_early = false;
    for (fname, text) in &inputs {
        let label = fname.clone().unwrap_or_else(|| "(standard input)".into());
        let mut count = 0;
        for (n, line) in lines_of(text).into_iter().enumerate() {
            let m = res.iter().any(|re| re.is_match(line, has('w'), has('x')));
            if m == has('v') {
                continue;
            }
            count += 1;
            any = true;
            if has('q') {
                stopped_early = true;
                break;
            }
            if !has('c') && !has('l') {
                if multi {
                    out.push_str(&label);
                    out.push(':');
                }
                if has('n') {
                    out.push_str(&format!("{}:", n + 1));
                }
                out.push_str(line);
                out.push('\n');
            }
            if max.is_some_and(|m| count >= m) {
                stopped_early = true;
                break;
            }
        }
        if has('q') && any {
            break;
        }
        if has('c') {
            if multi {
                out.push_str(&format!("{label}:"));
            }
            out.push_str(&format!("{count}\n"));
        } else if has('l') && count > 0 {
            out.push_str(&format!("{label}\n"));
        }
    }
    let reads_stdin = inputs.iter().any(|(f, _)| f.is_none());
    if reads_stdin && !r.stdin_eof && !stopped_early {
        // The writer never ends: matching lines stream out, counts never come.
        if !has('c') && !has('l') && !has('q') {
            r.out(out);
        }
        return Flow::Forever;
    }
    r.out(out);
    Flow::Status(if any && (has('q') || !failed) {
        0
    } else if failed {
        2
    } else {
        1
    })
}

fn wc(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, operands) = match getopt(args, "lwcmL", "") {
        Ok(v) => v,
        Err(c) => return bad_option(ctx, r, "wc", c),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let gnu = gnu(ctx);
    // Which counts, in the order each wc prints them.
    let order: &[char] = &['l', 'w', 'm', 'c', 'L'];
    let mut which: Vec<char> = order.iter().copied().filter(|c| has(*c)).collect();
    if which.is_empty() {
        which = vec!['l', 'w', 'c'];
    }
    let (ins, failed) = inputs(ctx, r, "wc", &operands);
    if ins.iter().any(|(f, _)| f.is_none()) && !r.stdin_eof {
        return Flow::Forever;
    }
    let count = |text: &str, c: char| -> u64 {
        match c {
            'l' => text.matches('\n').count() as u64,
            'w' => text.split_whitespace().count() as u64,
            'm' => text.chars().count() as u64,
            'c' => text.len() as u64,
            _ => text
                .split('\n')
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0) as u64,
        }
    };
    let mut rows: Vec<(Vec<u64>, Option<String>)> = ins
        .iter()
        .map(|(f, t)| (which.iter().map(|c| count(t, *c)).collect(), f.clone()))
        .collect();
    if rows.len() > 1 {
        let total = (0..which.len())
            .map(|i| rows.iter().map(|(v, _)| v[i]).sum())
            .collect();
        rows.push((total, Some("total".into())));
    }
    let mut out = String::new();
    if gnu {
        let width = if operands.len() <= 1 && which.len() == 1 {
            1
        } else {
            let mut min = 1;
            let mut regular: u64 = 0;
            for (f, _) in &ins {
                match f {
                    None => min = 7,
                    Some(f) => regular += file_size(ctx, &absolute(&ctx.cwd, f)),
                }
            }
            (regular.max(1).ilog10() as usize + 1).max(min)
        };
        for (v, f) in &rows {
            let nums: Vec<String> = v.iter().map(|n| format!("{n:>width$}")).collect();
            out.push_str(&nums.join(" "));
            if let Some(f) = f {
                out.push(' ');
                out.push_str(f);
            }
            out.push('\n');
        }
    } else {
        let bare = operands.len() <= 1 && which.len() == 1;
        for (v, f) in &rows {
            for (i, n) in v.iter().enumerate() {
                if i == 0 && bare {
                    out.push_str(&n.to_string());
                } else if i == 0 {
                    out.push_str(&format!("{n:>9}"));
                } else {
                    out.push_str(&format!(" {n:>9}"));
                }
            }
            match f {
                Some(f) => out.push_str(&format!(" {f}\n")),
                None => out.push('\n'),
            }
        }
    }
    r.out(out);
    Flow::Status(i32::from(failed))
}

/// `head` and `tail`: -n N, -N, -c N, and tail's +N and -f.
fn head_tail(ctx: &ProcCtx<'_>, r: &mut Run, head: bool, args: &[String]) -> Flow {
    let prog = if head { "head" } else { "tail" };
    // `tail +3` and `tail -n +3`: from line 3.
    let args: Vec<String> = args
        .iter()
        .map(|a| match a.strip_prefix('+') {
            Some(n) if !head && n.chars().all(|c| c.is_ascii_digit()) => format!("-n+{n}"),
            _ => a.clone(),
        })
        .collect();
    let (opts, operands) = match getopt(&args, "#qvfF", "nc") {
        Ok(v) => v,
        Err(c) => return bad_option(ctx, r, prog, c),
    };
    let mut lines: i64 = 10;
    let mut from_start = false;
    let mut bytes: Option<usize> = None;
    let mut follow = false;
    for (o, v) in &opts {
        let v = v.clone().unwrap_or_default();
        match o {
            'n' | '#' => {
                from_start = v.starts_with('+');
                match v.trim_start_matches('+').parse::<i64>() {
                    Ok(n) => lines = n,
                    Err(_) => {
                        r.err(if gnu(ctx) {
                            format!("{prog}: invalid number of lines: '{v}'\n")
                        } else {
                            format!("{prog}: invalid number '{v}'\n")
                        });
                        return Flow::Status(1);
                    }
                }
            }
            'c' => bytes = v.parse().ok(),
            'f' | 'F' => follow = true,
            _ => {}
        }
    }
    let (ins, failed) = inputs(ctx, r, prog, &operands);
    let endless = ins.iter().any(|(f, _)| f.is_none()) && !r.stdin_eof;
    let multi = ins.len() > 1;
    let mut out = String::new();
    let mut satisfied = true;
    for (i, (f, text)) in ins.iter().enumerate() {
        if multi {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!(
                "==> {} <==\n",
                f.as_deref().unwrap_or("standard input")
            ));
        }
        if let Some(n) = bytes {
            let b = text.as_bytes();
            let s = if head {
                &b[..n.min(b.len())]
            } else {
                &b[b.len().saturating_sub(n)..]
            };
            satisfied &= !head || b.len() >= n;
            out.push_str(&String::from_utf8_lossy(s));
            continue;
        }
        let ls = lines_of(text);
        let n = lines.max(0) as usize;
        let chosen: &[&str] = if head {
            satisfied &= ls.len() >= n;
            &ls[..n.min(ls.len())]
        } else if from_start {
            &ls[n.saturating_sub(1).min(ls.len())..]
        } else {
            &ls[ls.len().saturating_sub(n)..]
        };
        for l in chosen {
            out.push_str(l);
            out.push('\n');
        }
    }
    if endless && !head {
        return Flow::Forever;
    }
    r.out(out);
    if follow || endless && !satisfied {
        return Flow::Forever;
    }
    Flow::Status(i32::from(failed))
}

/// The leading number of a line as `sort -n` reads it.
fn leading_number(line: &str) -> f64 {
    let t = line.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || c == '.' || (i == 0 && c == '-') {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

fn sort(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, operands) = match getopt(args, "nrufbs", "kt") {
        Ok(v) => v,
        Err(c) => return bad_option(ctx, r, "sort", c),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let (ins, failed) = inputs(ctx, r, "sort", &operands);
    if failed && gnu(ctx) {
        return Flow::Status(2);
    }
    if ins.iter().any(|(f, _)| f.is_none()) && !r.stdin_eof {
        return Flow::Forever;
    }
    let mut all: Vec<String> = ins
        .iter()
        .flat_map(|(_, t)| lines_of(t).into_iter().map(str::to_string))
        .collect();
    let key = |l: &str| -> String {
        if has('f') {
            l.to_uppercase()
        } else {
            l.to_string()
        }
    };
    all.sort_by(|a, b| {
        let primary = if has('n') {
            leading_number(a)
                .partial_cmp(&leading_number(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            key(a).cmp(&key(b))
        };
        primary.then_with(|| a.cmp(b))
    });
    if has('r') {
        all.reverse();
    }
    if has('u') {
        all.dedup_by(|a, b| {
            if has('n') {
                leading_number(a) == leading_number(b)
            } else {
                key(a) == key(b)
            }
        });
    }
    let mut out = String::new();
    for l in all {
        out.push_str(&l);
        out.push('\n');
    }
    r.out(out);
    Flow::Status(i32::from(failed))
}

fn uniq(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, operands) = match getopt(args, "cdui", "") {
        Ok(v) => v,
        Err(c) => return bad_option(ctx, r, "uniq", c),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let (ins, failed) = inputs(ctx, r, "uniq", &operands[..operands.len().min(1)]);
    if ins.iter().any(|(f, _)| f.is_none()) && !r.stdin_eof && has('c') {
        return Flow::Forever;
    }
    let text = ins.first().map(|(_, t)| t.clone()).unwrap_or_default();
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for l in lines_of(&text) {
        match groups.last_mut() {
            Some((g, n)) if *g == l || has('i') && g.to_lowercase() == l.to_lowercase() => *n += 1,
            _ => groups.push((l, 1)),
        }
    }
    let mut out = String::new();
    for (l, n) in groups {
        if has('d') && n < 2 || has('u') && n > 1 {
            continue;
        }
        if has('c') {
            out.push_str(&format!("{n:>7} "));
        }
        out.push_str(l);
        out.push('\n');
    }
    r.out(out);
    if !r.stdin_eof && ins.iter().any(|(f, _)| f.is_none()) {
        return Flow::Forever;
    }
    Flow::Status(i32::from(failed))
}

/// A cut list (`1,3`, `2-`, `-3`) as 1-based inclusive ranges.
fn cut_list(spec: &str) -> Option<Vec<(usize, usize)>> {
    spec.split(',')
        .map(|part| {
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (a, b),
                None => (part, part),
            };
            let lo = if a.is_empty() { 1 } else { a.parse().ok()? };
            let hi = if b.is_empty() {
                usize::MAX
            } else {
                b.parse().ok()?
            };
            (lo >= 1 && lo <= hi).then_some((lo, hi))
        })
        .collect()
}

fn cut(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, operands) = match getopt(args, "s", "dfcb") {
        Ok(v) => v,
        Err(c) => return bad_option(ctx, r, "cut", c),
    };
    let get = |c: char| {
        opts.iter()
            .find(|(o, _)| *o == c)
            .and_then(|(_, v)| v.clone())
    };
    let only_delimited = opts.iter().any(|(o, _)| *o == 's');
    let delim = get('d').and_then(|d| d.chars().next()).unwrap_or('\t');
    let (fields, chars) = (get('f'), get('c').or_else(|| get('b')));
    let Some(list) = fields.as_deref().or(chars.as_deref()).and_then(cut_list) else {
        r.err(if gnu(ctx) {
            "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n"
        } else {
            "cut: expected a list of bytes, characters, or fields\n"
        });
        return Flow::Status(1);
    };
    let in_list = |i: usize| list.iter().any(|(lo, hi)| *lo <= i && i <= *hi);
    let (ins, failed) = inputs(ctx, r, "cut", &operands);
    let mut out = String::new();
    for (_, text) in &ins {
        for line in lines_of(text) {
            if fields.is_some() {
                if !line.contains(delim) {
                    if !only_delimited {
                        out.push_str(line);
                        out.push('\n');
                    }
                    continue;
                }
                let picked: Vec<&str> = line
                    .split(delim)
                    .enumerate()
                    .filter(|(i, _)| in_list(i + 1))
                    .map(|(_, f)| f)
                    .collect();
                out.push_str(&picked.join(&delim.to_string()));
            } else {
                out.extend(
                    line.chars()
                        .enumerate()
                        .filter(|(i, _)| in_list(i + 1))
                        .map(|(_, c)| c),
                );
            }
            out.push('\n');
        }
    }
    r.out(out);
    if !r.stdin_eof && ins.iter().any(|(f, _)| f.is_none()) {
        return Flow::Forever;
    }
    Flow::Status(i32::from(failed))
}

/// A `tr` set: ranges, classes and escapes expanded.
fn tr_set(spec: &str) -> Vec<char> {
    let spec = spec
        .replace("[:lower:]", "a-z")
        .replace("[:upper:]", "A-Z")
        .replace("[:digit:]", "0-9")
        .replace("[:space:]", " \t\n")
        .replace("\\n", "\n")
        .replace("\\t", "\t");
    let c: Vec<char> = spec.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if i + 2 < c.len() && c[i + 1] == '-' && c[i] <= c[i + 2] {
            out.extend(c[i]..=c[i + 2]);
            i += 3;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn tr(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, operands) = match getopt(args, "ds", "") {
        Ok(v) => v,
        Err(c) => return bad_option(ctx, r, "tr", c),
    };
    let delete = opts.iter().any(|(o, _)| *o == 'd');
    let squeeze = opts.iter().any(|(o, _)| *o == 's');
    let from = operands.first().map(|s| tr_set(s)).unwrap_or_default();
    let to = operands.get(1).map(|s| tr_set(s)).unwrap_or_default();
    let input = r.stdin.clone();
    let mut out = String::new();
    for ch in input.chars() {
        let mapped = match from.iter().position(|c| *c == ch) {
            Some(_) if delete => continue,
            Some(i) if !to.is_empty() => to[i.min(to.len() - 1)],
            _ => ch,
        };
        if squeeze && out.ends_with(mapped) && (to.contains(&mapped) || from.contains(&mapped)) {
            continue;
        }
        out.push(mapped);
    }
    r.out(out);
    if r.stdin_eof {
        Flow::Status(0)
    } else {
        Flow::Forever
    }
}

// ---------------------------------------------------------------------------------------
// The machine as a container sees it: memory, CPUs, mounts, disks, network, limits.

/// When the simulated host booted: 08:00 UTC on the session's first day, an hour before
/// the session starts (`top` and /proc/uptime count from it).
const HOST_BOOT_SECS: u64 = 1_767_600_000;

/// The host's memory as /proc/meminfo reports it, in KiB. Not namespaced: a container
/// sees the host's figures whatever its `--memory`. Fixed proportions of the host's
/// memory: the kernel keeps 1/32 (MemTotal is below the RAM size), 70% of the rest is
/// free, 18% page cache, 1% buffers, 2% reclaimable slab, 0.25% shmem.
struct Mem {
    total: u64,
    free: u64,
    available: u64,
    buffers: u64,
    cached: u64,
    shmem: u64,
    sreclaimable: u64,
    sunreclaim: u64,
    anon: u64,
}

fn host_mem(ctx: &ProcCtx<'_>) -> Mem {
    // The same MemTotal as the host's /proc/meminfo (host.rs): RAM less what the kernel
    // reserves at boot (1/32).
    let total = ctx.host_memory / 1024 - ctx.host_memory / 1024 / 32;
    let free = total * 70 / 100;
    let buffers = total / 100;
    let cached = total * 18 / 100;
    let shmem = total / 400;
    let sreclaimable = total * 2 / 100;
    let sunreclaim = total / 100;
    let anon = total - free - buffers - cached - sreclaimable - sunreclaim;
    Mem {
        total,
        free,
        available: free + buffers + cached + sreclaimable - shmem,
        buffers,
        cached,
        shmem,
        sreclaimable,
        sunreclaim,
        anon,
    }
}

fn meminfo_text(ctx: &ProcCtx<'_>) -> String {
    let m = host_mem(ctx);
    let kb = |label: &str, v: u64| format!("{:<16}{v:>8} kB\n", format!("{label}:"));
    let n = |label: &str, v: u64| format!("{:<16}{v:>8}\n", format!("{label}:"));
    let mut s = String::new();
    for (l, v) in [
        ("MemTotal", m.total),
        ("MemFree", m.free),
        ("MemAvailable", m.available),
        ("Buffers", m.buffers),
        ("Cached", m.cached),
        ("SwapCached", 0),
        ("Active", m.anon / 4 + m.cached / 2),
        ("Inactive", m.anon * 3 / 4 + m.cached / 2),
        ("Active(anon)", m.anon / 4),
        ("Inactive(anon)", m.anon * 3 / 4),
        ("Active(file)", m.cached / 2),
        ("Inactive(file)", m.cached / 2),
        ("Unevictable", 0),
        ("Mlocked", 0),
        ("SwapTotal", 0),
        ("SwapFree", 0),
        ("Zswap", 0),
        ("Zswapped", 0),
        ("Dirty", 124),
        ("Writeback", 0),
        ("AnonPages", m.anon - m.shmem),
        ("Mapped", m.cached / 8),
        ("Shmem", m.shmem),
        ("KReclaimable", m.sreclaimable),
        ("Slab", m.sreclaimable + m.sunreclaim),
        ("SReclaimable", m.sreclaimable),
        ("SUnreclaim", m.sunreclaim),
        ("KernelStack", 6_512),
        ("PageTables", 9_876),
        ("SecPageTables", 0),
        ("NFS_Unstable", 0),
        ("Bounce", 0),
        ("WritebackTmp", 0),
        ("CommitLimit", m.total / 2),
        ("Committed_AS", m.anon * 3),
        ("VmallocTotal", 34_359_738_367),
        ("VmallocUsed", 25_432),
        ("VmallocChunk", 0),
        ("Percpu", 2_560),
        ("HardwareCorrupted", 0),
        ("AnonHugePages", 0),
        ("ShmemHugePages", 0),
        ("ShmemPmdMapped", 0),
        ("FileHugePages", 0),
        ("FilePmdMapped", 0),
        ("Unaccepted", 0),
    ] {
        s.push_str(&kb(l, v));
    }
    for (l, v) in [
        ("HugePages_Total", 0),
        ("HugePages_Free", 0),
        ("HugePages_Rsvd", 0),
        ("HugePages_Surp", 0),
    ] {
        s.push_str(&n(l, v));
    }
    s.push_str(&kb("Hugepagesize", 2048));
    s.push_str(&kb("Hugetlb", 0));
    s.push_str(&kb("DirectMap4k", 212_992));
    s.push_str(&kb("DirectMap2M", ctx.host_memory / 1024 - 212_992));
    s
}

/// /proc/cpuinfo, abridged: the host's processors (not namespaced either), as a cloud
/// VM's Xeon reports them.
fn cpuinfo_text(ctx: &ProcCtx<'_>) -> String {
    let n = ctx.host_cpus.max(1);
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "processor\t: {i}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz\nstepping\t: 7\nmicrocode\t: 0x5003801\ncpu MHz\t\t: 2499.998\ncache size\t: 36608 KB\nphysical id\t: 0\nsiblings\t: {n}\ncore id\t\t: {}\ncpu cores\t: {}\napicid\t\t: {i}\ninitial apicid\t: {i}\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch invpcid_single pti fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid mpx avx512f avx512dq rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves ida arat pku ospke\nbugs\t\t: cpu_meltdown spectre_v1 spectre_v2 spec_store_bypass l1tf mds swapgs itlb_multihit mmio_stale_data retbleed gds\nbogomips\t: 4999.99\nclflush size\t: 64\ncache_alignment\t: 64\naddress sizes\t: 46 bits physical, 48 bits virtual\npower management:\n\n",
            i / 2,
            n.div_ceil(2)
        ));
    }
    s
}

fn loadavg(ctx: &ProcCtx<'_>) -> String {
    let last = ctx.procs.iter().map(|p| p.pid).max().unwrap_or(ctx.pid);
    format!("0.00 0.00 0.00 1/{} {last}\n", 180 + ctx.procs.len())
}

/// What `ps`/`top` show for a process's memory: (VSZ, RSS, SHR) in KiB, by program.
fn proc_mem(argv0: &str, gnu: bool) -> (u64, u64, u64) {
    let name = argv0.rsplit('/').next().unwrap_or(argv0);
    match name {
        "nginx" | "nginx:" => (11_404, 7_424, 6_144),
        "redis-server" => (59_472, 3_700, 2_816),
        "mysqld" => (2_607_456, 378_880, 37_376),
        "python" | "python3" | "python3.12" => (16_720, 9_216, 5_632),
        "bash" => (4_188, 3_328, 2_944),
        "top" if gnu => (8_564, 4_736, 2_816),
        "stress" => (7_312, 612, 528),
        _ if gnu => (2_484, 512, 512),
        _ => (4_364, 400, 320),
    }
}

/// `top -bn1`: busybox's batch output, or procps-ng's header and table.
fn top(ctx: &ProcCtx<'_>, r: &mut Run, _args: &[String]) -> Flow {
    let m = host_mem(ctx);
    let mut procs = visible(ctx, r);
    procs.sort_by_key(|p| p.pid);
    let gnu = gnu(ctx);
    // The process running top: the shell's child that runs it, or this process.
    let me = r
        .spawned
        .iter()
        .rev()
        .find(|p| p.argv.first().is_some_and(|a| a.ends_with("top")))
        .map_or(ctx.pid, |p| p.pid);
    let mut s = String::new();
    if !gnu {
        s.push_str(&format!(
            "Mem: {}K used, {}K free, {}K shrd, {}K buff, {}K cached\n",
            m.total - m.free,
            m.free,
            m.shmem,
            m.buffers,
            m.cached
        ));
        s.push_str("CPU:   0% usr   0% sys   0% nic 100% idle   0% io   0% irq   0% sirq\n");
        s.push_str(&format!("Load average: {}", loadavg(ctx)));
        s.push_str("  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND\n");
        for p in &procs {
            let (vsz, _, _) = proc_mem(p.argv.first().map_or("", |a| a), false);
            let state = if p.pid == me { "R  " } else { "S  " };
            let pvsz = (vsz * 100 + m.total / 2) / m.total;
            s.push_str(&format!(
                "{:>5} {:>5} {:<8.8} {state}  {}{pvsz:>4}%   0% {}\n",
                p.pid,
                p.ppid,
                user_name(ctx, p.uid),
                smart_ulltoa5(vsz),
                p.argv.join(" ")
            ));
        }
    } else {
        let (_, t) = stamp(ctx.now_secs);
        let up = ctx.now_secs.saturating_sub(HOST_BOOT_SECS);
        let uptime = if up >= 86_400 {
            let d = up / 86_400;
            format!(
                "{d} day{}, {:2}:{:02}",
                if d == 1 { "" } else { "s" },
                up % 86_400 / 3600,
                up % 3600 / 60
            )
        } else if up >= 3600 {
            format!("{:2}:{:02}", up / 3600, up % 3600 / 60)
        } else {
            format!("{} min", up / 60)
        };
        let running = procs.iter().filter(|p| p.pid == me).count();
        s.push_str(&format!(
            "top - {t} up {uptime},  0 users,  load average: 0.00, 0.00, 0.00\n"
        ));
        s.push_str(&format!(
            "Tasks: {:>3} total, {:>3} running, {:>3} sleeping, {:>3} stopped, {:>3} zombie\n",
            procs.len(),
            running,
            procs.len() - running,
            0,
            0
        ));
        s.push_str(
            "%Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st\n",
        );
        let mib = |kb: u64| kb as f64 / 1024.0;
        let used = m.total - m.free - m.buffers - m.cached - m.sreclaimable;
        s.push_str(&format!(
            "MiB Mem : {:>8.1} total, {:>8.1} free, {:>8.1} used, {:>8.1} buff/cache\n",
            mib(m.total),
            mib(m.free),
            mib(used),
            mib(m.buffers + m.cached + m.sreclaimable)
        ));
        s.push_str(&format!(
            "MiB Swap: {:>8.1} total, {:>8.1} free, {:>8.1} used. {:>8.1} avail Mem \n\n",
            0.0,
            0.0,
            0.0,
            mib(m.available)
        ));
        s.push_str(
            "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n",
        );
        // procps sorts by %CPU: the running top first, then by PID.
        procs.sort_by_key(|p| (p.pid != me, p.pid));
        for p in &procs {
            let argv0 = p.argv.first().map_or("", |a| a.as_str());
            let (virt, res, shr) = proc_mem(argv0, true);
            let state = if p.pid == me { 'R' } else { 'S' };
            s.push_str(&format!(
                "{:>7} {:<8} {:>3} {:>3} {:>7} {:>6} {:>6} {state} {:>5.1} {:>5.1} {:>9} {}\n",
                p.pid,
                user_name(ctx, p.uid),
                20,
                0,
                virt,
                res,
                shr,
                0.0,
                res as f64 * 100.0 / m.total as f64,
                "0:00.00",
                argv0.rsplit('/').next().unwrap_or(argv0)
            ));
        }
    }
    r.out(s);
    Flow::Status(0)
}

/// busybox's smart_ulltoa5: a number in five columns, scaled with a suffix past 99999.
fn smart_ulltoa5(v: u64) -> String {
    if v <= 99_999 {
        return format!("{v:>5}");
    }
    let mut ul = v * 10;
    let mut idx = 0;
    loop {
        ul /= 1024;
        idx += 1;
        if ul < 100_000 {
            break;
        }
    }
    let u = ul / 10;
    let frac = ul % 10;
    let suffix = [' ', 'm', 'g', 't', 'p', 'e'][idx.min(5)];
    if u >= 100 {
        format!("{u:>4}{suffix}")
    } else {
        format!("{u:>2}.{frac}{suffix}")
    }
}

/// The host's disk behind the overlay root and the bind-mounted files: a fixed 60 GiB
/// ext4 volume, `/dev/sda1`, with 14 GiB used and 5% reserved for root. (KiB.)
const DISK_DEVICE: &str = "/dev/sda1";
const DISK_TOTAL_KB: u64 = 61_202_244;
const DISK_USED_KB: u64 = 14_631_108;
const DISK_AVAIL_KB: u64 = 43_511_024;

/// A mount as `mount` prints it: (source, target, type, options).
fn mount_rows(ctx: &ProcCtx<'_>) -> Vec<(String, String, String, String)> {
    ctx.mounts
        .iter()
        .map(|m| {
            let source = match (m.fstype.as_str(), m.target.as_str()) {
                ("bind", _) => DISK_DEVICE,
                ("tmpfs", "/dev/shm") => "shm",
                ("cgroup2", _) => "cgroup",
                (t, _) => t,
            };
            let (fstype, options) = if m.fstype == "bind" {
                let rw = if m.readonly { "ro" } else { "rw" };
                ("ext4".to_string(), format!("{rw},relatime"))
            } else {
                (m.fstype.clone(), m.options.clone())
            };
            (source.to_string(), m.target.clone(), fstype, options)
        })
        .collect()
}

fn proc_mounts(ctx: &ProcCtx<'_>) -> String {
    mount_rows(ctx)
        .into_iter()
        .map(|(src, target, t, o)| format!("{src} {target} {t} {o} 0 0\n"))
        .collect()
}

fn mount(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    if args.iter().any(|a| !a.starts_with('-')) {
        r.err(if gnu(ctx) {
            "mount: only root can use \"--options\" option (effective UID is 0)\n".to_string()
        } else {
            "mount: permission denied (are you root?)\n".to_string()
        });
        return Flow::Status(if gnu(ctx) { 32 } else { 255 });
    }
    let s: String = mount_rows(ctx)
        .into_iter()
        .map(|(src, target, t, o)| format!("{src} on {target} type {t} ({o})\n"))
        .collect();
    r.out(s);
    Flow::Status(0)
}

/// busybox's make_human_readable_str(bytes, 1, 0): one decimal past 1024, no space.
fn bb_human(mut val: u64) -> String {
    if val == 0 {
        return "0".into();
    }
    let units = ['\0', 'K', 'M', 'G', 'T', 'P', 'E'];
    let mut u = 0;
    let mut frac = 0;
    while val >= 1024 {
        frac = ((val % 1024) * 10 + 512) / 1024;
        val /= 1024;
        u += 1;
    }
    if frac >= 10 {
        val += 1;
        frac = 0;
    }
    if u == 0 {
        val.to_string()
    } else {
        format!("{val}.{frac}{}", units[u])
    }
}

/// GNU df -h: powers of 1024 rounded up, one decimal below 10, a one-letter suffix.
fn gnu_df_human(bytes: u64) -> String {
    if bytes < 1024 {
        return bytes.to_string();
    }
    let units = ['K', 'M', 'G', 'T', 'P', 'E'];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 {
        v /= 1024.0;
        u += 1;
    }
    if v < 10.0 {
        let t = (v * 10.0).ceil() / 10.0;
        if t >= 10.0 {
            format!("{t:.0}{}", units[u - 1])
        } else {
            format!("{t:.1}{}", units[u - 1])
        }
    } else {
        let c = v.ceil();
        if c >= 1024.0 {
            format!("1.0{}", units[u])
        } else {
            format!("{c:.0}{}", units[u - 1])
        }
    }
}

/// `df`: file systems with blocks (proc, sysfs, cgroup and the like have none and are
/// left out), busybox's fixed columns or GNU's fitted ones (GNU also shows one line per
/// device: the bind mounts of /dev/sda1 collapse to the shortest mount point).
fn df(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, operands) = match getopt(args, "hkPaTm", "t") {
        Ok(v) => v,
        Err(c) => return bad_option(ctx, r, "df", c),
    };
    let human = opts.iter().any(|(o, _)| *o == 'h');
    let half_ram = host_mem(ctx).total / 2;
    // (source, target, total, used, avail) in KiB.
    let mut rows: Vec<(String, String, u64, u64, u64)> = Vec::new();
    for (src, target, fstype, options) in mount_rows(ctx) {
        let sized = |o: &str| {
            o.split(',')
                .find_map(|x| x.strip_prefix("size="))
                .and_then(|v| v.trim_end_matches('k').parse::<u64>().ok())
        };
        match fstype.as_str() {
            "overlay" | "ext4" => {
                rows.push((src, target, DISK_TOTAL_KB, DISK_USED_KB, DISK_AVAIL_KB))
            }
            "tmpfs" => {
                let size = sized(&options).unwrap_or(half_ram);
                rows.push((src, target, size, 0, size));
            }
            _ => {}
        }
    }
    let gnu = gnu(ctx);
    let mut status = 0;
    if !operands.is_empty() {
        // `df PATH…`: the file system each path is on (the deepest mount point over it).
        let mut picked = Vec::new();
        for p in &operands {
            let path = absolute(&ctx.cwd, p);
            if ctx.fs.resolve(&path).is_none() {
                r.err(format!("df: {p}: No such file or directory\n"));
                status = 1;
                continue;
            }
            let under = |t: &str| t == "/" || path == t || path.starts_with(&format!("{t}/"));
            if let Some(row) = rows
                .iter()
                .filter(|x| under(&x.1))
                .max_by_key(|x| x.1.len())
            {
                picked.push(row.clone());
            }
        }
        rows = picked;
    } else if gnu {
        // One row per device: the shortest mount point wins.
        let mut kept: Vec<(String, String, u64, u64, u64)> = Vec::new();
        for row in rows {
            match kept
                .iter_mut()
                .find(|k| k.0 == row.0 && k.0.starts_with('/'))
            {
                Some(k) if row.1.len() < k.1.len() => *k = row,
                Some(_) => {}
                None => kept.push(row),
            }
        }
        rows = kept;
    }
    let mut out = String::new();
    if !gnu {
        out.push_str(&format!(
            "Filesystem           {:<15}Used Available Use% Mounted on\n",
            if human { "     Size" } else { "1K-blocks" }
        ));
        for (src, target, total, used, avail) in &rows {
            let pct = (used * 100 + (used + avail) / 2)
                .checked_div(used + avail)
                .unwrap_or(0);
            let f = |kb: u64| {
                if human {
                    bb_human(kb * 1024)
                } else {
                    kb.to_string()
                }
            };
            if src.len() > 20 {
                out.push_str(&format!("{src}\n{:20}", ""));
            } else {
                out.push_str(&format!("{src:<20}"));
            }
            out.push_str(&format!(
                " {:>9} {:>9} {:>9} {pct:>3}% {target}\n",
                f(*total),
                f(*used),
                f(*avail)
            ));
        }
    } else {
        let header = if human {
            ["Filesystem", "Size", "Used", "Avail", "Use%", "Mounted on"]
        } else {
            [
                "Filesystem",
                "1K-blocks",
                "Used",
                "Available",
                "Use%",
                "Mounted on",
            ]
        };
        let mut table: Vec<[String; 6]> = vec![header.map(str::to_string)];
        for (src, target, total, used, avail) in &rows {
            let pct = if used + avail == 0 {
                "0%".to_string()
            } else {
                format!("{}%", (used * 100).div_ceil(used + avail))
            };
            let f = |kb: u64| {
                if human {
                    gnu_df_human(kb * 1024)
                } else {
                    kb.to_string()
                }
            };
            table.push([
                src.clone(),
                f(*total),
                f(*used),
                f(*avail),
                pct,
                target.clone(),
            ]);
        }
        let mins = [14, 5, 5, 5, 4, 0];
        let widths: Vec<usize> = (0..6)
            .map(|i| {
                table
                    .iter()
                    .map(|row| row[i].len())
                    .max()
                    .unwrap_or(0)
                    .max(mins[i])
            })
            .collect();
        for row in &table {
            let mut line = format!("{:<w$}", row[0], w = widths[0]);
            for i in 1..5 {
                line.push_str(&format!(" {:>w$}", row[i], w = widths[i]));
            }
            line.push(' ');
            line.push_str(&row[5]);
            out.push_str(&line);
            out.push('\n');
        }
    }
    r.out(out);
    Flow::Status(status)
}

fn ipv4_broadcast(addr: &str, prefix: u8) -> String {
    let octets: Vec<u32> = addr.split('.').filter_map(|o| o.parse().ok()).collect();
    if octets.len() != 4 || prefix > 32 {
        return addr.to_string();
    }
    let ip = octets.iter().fold(0u32, |a, o| a << 8 | o);
    let host_mask = if prefix == 0 {
        u32::MAX
    } else {
        (1u64 << (32 - prefix as u32)) as u32 - 1
    };
    let b = ip | host_mask;
    format!("{}.{}.{}.{}", b >> 24, b >> 16 & 255, b >> 8 & 255, b & 255)
}

fn ipv4_network(addr: &str, prefix: u8) -> String {
    let octets: Vec<u32> = addr.split('.').filter_map(|o| o.parse().ok()).collect();
    if octets.len() != 4 || prefix > 32 {
        return addr.to_string();
    }
    let ip = octets.iter().fold(0u32, |a, o| a << 8 | o);
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix as u32)
    };
    let n = ip & mask;
    format!(
        "{}.{}.{}.{}/{prefix}",
        n >> 24,
        n >> 16 & 255,
        n >> 8 & 255,
        n & 255
    )
}

/// busybox `ip`: addr (a), link (l), route (r). IPv6 addresses are not modelled.
fn ip(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let object = args.first().map(String::as_str).unwrap_or("");
    let link_line = |i: &Interface| {
        let name = match i.peer_index {
            Some(p) => format!("{}@if{p}", i.name),
            None => i.name.clone(),
        };
        let loopback = i.name == "lo";
        // The host's uplink (seen with --network host) is a real NIC with a queue.
        let uplink = i.peer_index.is_none() && !loopback && i.master.is_none() && i.name == "eth0";
        let mut flags = Vec::new();
        if i.up && !i.carrier {
            flags.push("NO-CARRIER");
        }
        flags.push(if loopback { "LOOPBACK" } else { "BROADCAST" });
        if !loopback {
            flags.push("MULTICAST");
        }
        if i.up {
            flags.push("UP");
            if i.carrier {
                flags.push("LOWER_UP");
            }
        }
        if i.peer_index.is_some() {
            flags.push("M-DOWN");
        }
        // BusyBox prints the master, the operational state, then the queue length.
        let state = match (loopback, i.up && i.carrier, uplink) {
            (true, _, _) => "state UNKNOWN qlen 1000",
            (false, true, true) => "state UP qlen 1000",
            (false, true, false) => "state UP ",
            (false, false, _) => "state DOWN ",
        };
        let qdisc = if uplink { "fq_codel" } else { "noqueue" };
        let master = i
            .master
            .as_ref()
            .map(|m| format!("master {m} "))
            .unwrap_or_default();
        let link = if loopback {
            format!("    link/loopback {} brd 00:00:00:00:00:00", i.mac)
        } else {
            format!("    link/ether {} brd ff:ff:ff:ff:ff:ff", i.mac)
        };
        format!(
            "{}: {name}: <{}> mtu {} qdisc {qdisc} {master}{state}\n{link}\n",
            i.index,
            flags.join(","),
            i.mtu
        )
    };
    let mut out = String::new();
    match object {
        "a" | "addr" | "address" => {
            for i in &ctx.interfaces {
                out.push_str(&link_line(i));
                if let Some((addr, prefix)) = &i.ipv4 {
                    let brd = if i.name == "lo" {
                        String::new()
                    } else {
                        format!("brd {} ", ipv4_broadcast(addr, *prefix))
                    };
                    let scope = if i.name == "lo" { "host" } else { "global" };
                    out.push_str(&format!(
                        "    inet {addr}/{prefix} {brd}scope {scope} {}\n       valid_lft forever preferred_lft forever\n",
                        i.name
                    ));
                }
            }
        }
        "l" | "link" => {
            for i in &ctx.interfaces {
                out.push_str(&link_line(i));
            }
        }
        "r" | "route" | "ro" => {
            for i in &ctx.interfaces {
                if let Some(gw) = &i.gateway {
                    out.push_str(&format!("default via {gw} dev {} \n", i.name));
                }
            }
            for i in &ctx.interfaces {
                if let (Some((addr, prefix)), false) = (&i.ipv4, i.name == "lo") {
                    out.push_str(&format!(
                        "{} dev {} scope link  src {addr} \n",
                        ipv4_network(addr, *prefix),
                        i.name
                    ));
                }
            }
        }
        other => {
            r.err(format!("ip: unknown command \"{other}\"\n"));
            return Flow::Status(1);
        }
    }
    r.out(out);
    Flow::Status(0)
}

/// `free`: busybox's columns (KiB by default, -m, -g, -b, -h), or procps-ng's.
fn free(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let m = host_mem(ctx);
    let unit = match args.first().map(String::as_str) {
        Some("-b") => 0,
        Some("-m") => 2,
        Some("-g") => 3,
        Some("-h") => 9,
        _ => 1,
    };
    let cache = m.buffers + m.cached + m.sreclaimable;
    let used = m.total - m.free - cache;
    let scale = |kb: u64| -> String {
        match unit {
            0 => (kb * 1024).to_string(),
            9 if gnu(ctx) => {
                if kb == 0 {
                    "0B".into()
                } else {
                    let mut v = kb as f64;
                    let mut u = 0;
                    while v >= 1024.0 {
                        v /= 1024.0;
                        u += 1;
                    }
                    let s = ["Ki", "Mi", "Gi", "Ti"][u];
                    if v < 10.0 {
                        format!("{v:.1}{s}")
                    } else {
                        format!("{v:.0}{s}")
                    }
                }
            }
            9 => bb_human(kb * 1024),
            u => (kb >> (10 * (u - 1))).to_string(),
        }
    };
    let vals = [m.total, used, m.free, m.shmem, cache, m.available].map(scale);
    let mut s = String::new();
    if gnu(ctx) {
        s.push_str(
            "               total        used        free      shared  buff/cache   available\n",
        );
        s.push_str(&format!(
            "{:<8}{:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
            "Mem:", vals[0], vals[1], vals[2], vals[3], vals[4], vals[5]
        ));
        let z = scale(0);
        s.push_str(&format!("{:<8}{z:>12}{z:>12}{z:>12}\n", "Swap:"));
    } else {
        s.push_str(&format!(
            "       {:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
            "total", "used", "free", "shared", "buff/cache", "available"
        ));
        s.push_str(&format!(
            "Mem:   {:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
            vals[0], vals[1], vals[2], vals[3], vals[4], vals[5]
        ));
        let z = scale(0);
        s.push_str(&format!("Swap:  {z:>12}{z:>12}{z:>12}\n"));
    }
    r.out(s);
    Flow::Status(0)
}

/// Signal names by number, as glibc numbers them on x86-64 (busybox's table).
const SIGNAL_NAMES: [&str; 32] = [
    "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
];

fn signal_number(s: &str) -> Option<usize> {
    if let Ok(n) = s.parse::<usize>() {
        return (n < 65).then_some(n);
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    let name = if name == "IO" { "POLL" } else { name };
    SIGNAL_NAMES
        .iter()
        .position(|n| !n.is_empty() && *n == name)
}

/// `kill [-s SIG | -SIG] PID...` and `kill -l`: signals go into the timeline for the
/// kernel to deliver. As a shell builtin its errors carry the shell's prefix.
fn kill(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String], builtin: bool) -> Flow {
    let who = if builtin {
        r.shell_prefix()
    } else {
        "kill".to_string()
    };
    let bash = builtin && r.shell == "bash";
    if args.first().map(String::as_str) == Some("-l") {
        let mut s = String::new();
        if args.len() > 1 {
            for a in &args[1..] {
                match a.parse::<usize>() {
                    Ok(n) => {
                        s.push_str(&format!("{}\n", SIGNAL_NAMES.get(n & 0x7f).unwrap_or(&"")))
                    }
                    Err(_) => match signal_number(a) {
                        Some(n) => s.push_str(&format!("{n}\n")),
                        None => {
                            r.err(format!("{who}: unknown signal '{a}'\n"));
                            return Flow::Status(1);
                        }
                    },
                }
            }
        } else if bash {
            let names: Vec<String> = (1..32)
                .map(|i| format!("{i:>2}) SIG{}", SIGNAL_NAMES[i]))
                .collect();
            for chunk in names.chunks(5) {
                s.push_str(&chunk.join("\t"));
                s.push('\n');
            }
        } else {
            for (i, n) in SIGNAL_NAMES.iter().enumerate().skip(1) {
                s.push_str(&format!("{i:>2}) {n}\n"));
            }
            s.push_str("34) RTMIN\n64) RTMAX\n");
        }
        r.out(s);
        return Flow::Status(0);
    }
    let mut signo = 15;
    let mut rest = args;
    if let Some(first) = args.first() {
        if let Some(opt) = first.strip_prefix('-') {
            let (name, skip) = if opt == "s" {
                (args.get(1).cloned().unwrap_or_default(), 2)
            } else if opt == "-" {
                (String::from("TERM"), 1)
            } else {
                (opt.to_string(), 1)
            };
            match signal_number(&name) {
                Some(n) => signo = n,
                None => {
                    r.err(format!("{who}: bad signal name '{name}'\n"));
                    return Flow::Status(1);
                }
            }
            rest = &args[skip.min(args.len())..];
        }
    }
    if rest.is_empty() {
        r.err(format!("{who}: you need to specify whom to kill\n"));
        return Flow::Status(1);
    }
    let mut errors = 0;
    for a in rest {
        let Ok(pid) = a.parse::<u32>() else {
            r.err(format!("{who}: invalid number '{a}'\n"));
            errors += 1;
            continue;
        };
        if !ctx.procs.iter().any(|p| p.pid == pid) {
            r.err(if bash {
                format!("{who}: kill: ({pid}) - No such process\n")
            } else if builtin && r.shell == "dash" {
                format!("{who}: kill: No such process\n")
            } else {
                format!("{who}: can't kill pid {pid}: No such process\n")
            });
            errors += 1;
            continue;
        }
        // Signals the kernel model does not carry (STOP, CONT, …) are accepted and
        // have no effect.
        if let Some(sig) = crate::kernel::Signal::parse(&signo.to_string()) {
            r.kills.push((r.t, pid, sig));
        }
    }
    Flow::Status(i32::from(errors > 0))
}

/// `ulimit`: busybox ash's (and bash's) `-a` table, -n, -u, or the bare file size.
/// Docker passes containerd's limits on: no core or process limits, `nofile` open files,
/// 8 MiB stacks, pending signals from the host's memory.
fn ulimit(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let pending = host_mem(ctx).total / 4 / 64;
    let nofile = ctx.nofile.to_string();
    let pending = pending.to_string();
    let table: [(&str, char, &str); 16] = [
        ("core file size (blocks)", 'c', "unlimited"),
        ("data seg size (kb)", 'd', "unlimited"),
        ("scheduling priority", 'e', "0"),
        ("file size (blocks)", 'f', "unlimited"),
        ("pending signals", 'i', &pending),
        ("max locked memory (kb)", 'l', "8192"),
        ("max memory size (kb)", 'm', "unlimited"),
        ("open files", 'n', &nofile),
        ("POSIX message queues (bytes)", 'q', "819200"),
        ("real-time priority", 'r', "0"),
        ("stack size (kb)", 's', "8192"),
        ("cpu time (seconds)", 't', "unlimited"),
        ("max user processes", 'u', "unlimited"),
        ("virtual memory (kb)", 'v', "unlimited"),
        ("file locks", 'x', "unlimited"),
        ("", ' ', ""),
    ];
    let table = &table[..15];
    let mut chosen: Vec<char> = Vec::new();
    let mut all = false;
    for a in args {
        let Some(flags) = a.strip_prefix('-') else {
            r.err(format!(
                "{}: ulimit: setting limits is not simulated\n",
                r.shell_prefix()
            ));
            return Flow::Status(1);
        };
        for c in flags.chars() {
            match c {
                'a' => all = true,
                'H' | 'S' => {}
                c if table.iter().any(|t| t.1 == c) => chosen.push(c),
                c => {
                    r.err(format!(
                        "{}: ulimit: invalid option -- '{c}'\n",
                        r.shell_prefix()
                    ));
                    return Flow::Status(1);
                }
            }
        }
    }
    let mut s = String::new();
    if all {
        for (help, c, v) in table {
            s.push_str(&format!("{help:<32}(-{c}) {v}\n"));
        }
    } else if chosen.is_empty() {
        s.push_str("unlimited\n");
    } else if chosen.len() == 1 {
        let v = table.iter().find(|t| t.1 == chosen[0]).map_or("", |t| t.2);
        s.push_str(&format!("{v}\n"));
    } else {
        for c in chosen {
            if let Some((help, c, v)) = table.iter().find(|t| t.1 == c) {
                s.push_str(&format!("{help:<32}(-{c}) {v}\n"));
            }
        }
    }
    r.out(s);
    Flow::Status(0)
}

// ---------------------------------------------------------------------------------------
// The workload language: stress, dd.

/// How fast a stress vm worker dirties the memory it allocated: 1 GiB/s (one core
/// touching a page per 4 KiB stride runs at a few GiB/s; 1 GiB/s keeps the growth
/// visible in `docker stats`).
const VM_GROW_RATE: u64 = 1 << 30;

/// How fast a write to a file in the container lands: 1 GB/s, page-cache speed (what dd
/// reports on an SSD-backed host for writes that fit in memory).
const DISK_WRITE_RATE: u64 = 1_000_000_000;

/// How fast dd copies into /dev/null: 10 GB/s, a memory copy.
const NULL_WRITE_RATE: u64 = 10_000_000_000;

/// stress 1.0.4 (Amos Waterland's), as the progrium/stress image runs it: its options,
/// its messages with stress.c's line numbers, one forked worker per hog.
fn stress(ctx: &ProcCtx<'_>, r: &mut Run, argv: &[String]) -> Flow {
    let prog = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
    let pid = ctx.pid;
    let fail = |r: &mut Run, line: u32, msg: String| {
        r.err(format!("{prog}: FAIL: [{pid}] ({line}) {msg}\n"));
        Flow::Status(1)
    };
    let mut debug = 2;
    let mut dryrun = false;
    let mut backoff: u64 = 3000;
    let mut timeout: u64 = 0;
    let (mut cpu, mut io, mut vm, mut hdd) = (0u64, 0u64, 0u64, 0u64);
    let mut vm_bytes: u64 = 256 << 20;
    let mut vm_stride: u64 = 4096;
    let mut vm_hang: i64 = -1;
    let mut hdd_bytes: u64 = 1 << 30;
    let mut early = String::new();
    let args = &argv[1..];
    let mut i = 0;
    // `-5` counts as an argument, `-x` does not (stress's assert_arg).
    let takes = |i: usize| {
        args.get(i + 1)
            .filter(|a| !a.starts_with('-') || a[1..].starts_with(|c: char| c.is_ascii_digit()))
            .cloned()
    };
    while i < args.len() {
        let a = args[i].as_str();
        let (long, line): (&str, u32) = match a {
            "--help" | "-?" => {
                r.out(stress_usage(&prog));
                return Flow::Status(0);
            }
            "--version" => {
                r.out(format!("{prog} 1.0.4\n"));
                return Flow::Status(0);
            }
            "--verbose" | "-v" => {
                debug = 3;
                i += 1;
                continue;
            }
            "--quiet" | "-q" => {
                debug = 0;
                i += 1;
                continue;
            }
            "--dry-run" | "-n" => {
                dryrun = true;
                i += 1;
                continue;
            }
            "--vm-keep" => {
                i += 1;
                continue;
            }
            "--backoff" => ("--backoff", 135),
            "--timeout" | "-t" => ("--timeout", 150),
            "--cpu" | "-c" => ("--cpu", 160),
            "--io" | "-i" => ("--io", 170),
            "--vm" | "-m" => ("--vm", 180),
            "--vm-bytes" => ("--vm-bytes", 190),
            "--vm-stride" => ("--vm-stride", 200),
            "--vm-hang" => ("--vm-hang", 210),
            "--hdd" | "-d" => ("--hdd", 224),
            "--hdd-bytes" => ("--hdd-bytes", 234),
            other => return fail(r, 244, format!("unrecognized option: {other}")),
        };
        let Some(v) = takes(i) else {
            return fail(r, line, format!("missing argument to option '{long}'"));
        };
        i += 2;
        let value = if long == "--timeout" {
            stress_number(&v, true)
        } else if long == "--backoff" {
            leading_int(&v).ok_or((138, format!("invalid number: {v}")))
        } else {
            stress_number(&v, false)
        };
        let n = match value {
            Ok(n) => n,
            Err((line, msg)) => return fail(r, line, msg),
        };
        let (check, msg) = match long {
            "--backoff" => (n >= 0, format!("invalid backoff factor: {n}")),
            "--timeout" => (n > 0, format!("invalid timeout value: {n}s")),
            "--cpu" => (n > 0, format!("invalid number of cpu hogs: {n}")),
            "--io" => (n > 0, format!("invalid number of io hogs: {n}")),
            "--vm" => (n > 0, format!("invalid number of vm hogs: {n}")),
            "--vm-bytes" => (n > 0, format!("invalid vm byte value: {n}")),
            "--vm-stride" => (n > 0, format!("invalid stride value: {n}")),
            "--vm-hang" => (n >= 0, format!("invalid value: {n}")),
            "--hdd" => (n > 0, format!("invalid number of hdd hogs: {n}")),
            _ => (n > 0, format!("invalid hdd byte value: {n}")),
        };
        if !check {
            return fail(r, line + 4 + u32::from(long == "--backoff") * 4, msg);
        }
        let u = n as u64;
        match long {
            "--backoff" => {
                backoff = u;
                if debug >= 3 {
                    early.push_str(&format!(
                        "{prog}: dbug: [{pid}] setting backoff coeffient to {u}us\n"
                    ));
                }
            }
            "--timeout" => timeout = u,
            "--cpu" => cpu = u,
            "--io" => io = u,
            "--vm" => vm = u,
            "--vm-bytes" => vm_bytes = u,
            "--vm-stride" => vm_stride = u,
            "--vm-hang" => vm_hang = n,
            "--hdd" => hdd = u,
            _ => hdd_bytes = u,
        }
    }
    r.out(early);
    if cpu + io + vm + hdd == 0 {
        r.out(stress_usage(&prog));
        return Flow::Status(0);
    }
    let info = |r: &mut Run, msg: String| {
        if debug >= 2 {
            r.out(format!("{prog}: info: [{pid}] {msg}\n"));
        }
    };
    let dbug = |r: &mut Run, who: u32, msg: String| {
        if debug >= 3 {
            r.out(format!("{prog}: dbug: [{who}] {msg}\n"));
        }
    };
    info(
        r,
        format!("dispatching hogs: {cpu} cpu, {io} io, {vm} vm, {hdd} hdd"),
    );
    r.on_child_killed = OnChildKilled::Stress;
    r.load.rss = resident("stress", true);
    // The kernel numbers the workers after the processes already in the namespace.
    let mut next_pid = ctx.procs.iter().map(|p| p.pid).max().unwrap_or(0).max(pid) + 1;
    let worker = |load: Load| Child {
        at_ns: 0,
        argv: argv.to_vec(),
        load,
        exit_after_ns: if dryrun {
            Some(0)
        } else if timeout > 0 {
            Some(timeout * NANOS_PER_SEC)
        } else {
            None
        },
        exit_code: 0,
    };
    const K: u64 = 1024;
    let mut forked = Vec::new();
    while cpu + io + vm + hdd > 0 {
        let forks = cpu + io + vm + hdd;
        dbug(
            r,
            pid,
            format!("using backoff sleep of {}us", backoff * forks),
        );
        if timeout > 0 {
            dbug(r, pid, format!("setting timeout to {timeout}s"));
        }
        if cpu > 0 {
            dbug(
                r,
                pid,
                format!("--> hogcpu worker {cpu} [{next_pid}] forked"),
            );
            r.children.push(worker(Load {
                cpu_millis: 1000,
                rss: 100 * K,
                ..Load::default()
            }));
            forked.push(next_pid);
            next_pid += 1;
            cpu -= 1;
        }
        if io > 0 {
            dbug(r, pid, format!("--> hogio worker {io} [{next_pid}] forked"));
            r.children.push(worker(Load {
                cpu_millis: 1000,
                rss: 100 * K,
                ..Load::default()
            }));
            forked.push(next_pid);
            next_pid += 1;
            io -= 1;
        }
        if vm > 0 {
            dbug(r, pid, format!("--> hogvm worker {vm} [{next_pid}] forked"));
            if !dryrun {
                // The worker's own lines. Real stress frees and allocates again in a
                // loop (printing these each time); the model keeps the memory, as
                // --vm-keep would, which is what a memory limit sees.
                dbug(r, next_pid, format!("allocating {vm_bytes} bytes ..."));
                dbug(
                    r,
                    next_pid,
                    format!("touching bytes in strides of {vm_stride} bytes ..."),
                );
            }
            r.children.push(worker(Load {
                cpu_millis: if vm_hang >= 0 { 0 } else { 1000 },
                rss: 100 * K,
                rss_target: vm_bytes,
                grow_rate: VM_GROW_RATE,
                ..Load::default()
            }));
            forked.push(next_pid);
            next_pid += 1;
            vm -= 1;
        }
        if hdd > 0 {
            dbug(
                r,
                pid,
                format!("--> hoghdd worker {hdd} [{next_pid}] forked"),
            );
            if !dryrun {
                let name = format!("./stress.{}", temp_suffix(next_pid));
                dbug(
                    r,
                    next_pid,
                    "seeding 1048575 byte buffer with random data".into(),
                );
                dbug(
                    r,
                    next_pid,
                    format!("opened {name} for writing {hdd_bytes} bytes"),
                );
                dbug(r, next_pid, format!("unlinking {name}"));
                dbug(r, next_pid, format!("fast writing to {name}"));
            }
            r.children.push(worker(Load {
                cpu_millis: 1000,
                rss: 1100 * K,
                write_total: hdd_bytes,
                write_rate: DISK_WRITE_RATE,
                ..Load::default()
            }));
            forked.push(next_pid);
            next_pid += 1;
            hdd -= 1;
        }
    }
    if dryrun {
        for w in &forked {
            dbug(r, pid, format!("<-- worker {w} returned normally"));
        }
        info(r, "successful run completed in 0s".into());
        return Flow::Status(0);
    }
    if timeout == 0 {
        return Flow::Forever;
    }
    // alarm(timeout) ends every worker with SIGALRM; the parent reaps them.
    r.t += timeout * NANOS_PER_SEC;
    for w in &forked {
        dbug(r, pid, format!("<-- worker {w} signalled normally"));
    }
    info(r, format!("successful run completed in {timeout}s"));
    r.load = Load {
        rss: resident("stress", true),
        ..Load::default()
    };
    Flow::Status(0)
}

/// mkstemp's six random characters, made up from the PID so that runs are repeatable.
fn temp_suffix(pid: u32) -> String {
    const A: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut x = u64::from(pid).wrapping_mul(2_654_435_761);
    (0..6)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            A[(x >> 7) as usize % A.len()] as char
        })
        .collect()
}

fn stress_usage(prog: &str) -> String {
    format!("`{prog}' imposes certain types of compute stress on your system\n\nUsage: {prog} [OPTION [ARG]] ...\n -?, --help         show this help statement\n     --version      show version statement\n -v, --verbose      be verbose\n -q, --quiet        be quiet\n -n, --dry-run      show what would have been done\n -t, --timeout N    timeout after N seconds\n     --backoff N    wait factor of N microseconds before work starts\n -c, --cpu N        spawn N workers spinning on sqrt()\n -i, --io N         spawn N workers spinning on sync()\n -m, --vm N         spawn N workers spinning on malloc()/free()\n     --vm-bytes B   malloc B bytes per vm worker (default is 256MB)\n     --vm-stride B  touch a byte every B bytes (default is 4096)\n     --vm-hang N    sleep N secs before free (default none, 0 is inf)\n     --vm-keep      redirty memory instead of freeing and reallocating\n -d, --hdd N        spawn N workers spinning on write()/unlink()\n     --hdd-bytes B  write B bytes per hdd worker (default is 1GB)\n\nExample: {prog} --cpu 8 --io 4 --vm 2 --vm-bytes 128M --timeout 10s\n\nNote: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).\n")
}

/// sscanf("%lli"): the leading integer of a string (sign, digits).
fn leading_int(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *i == 0 && (*c == '-' || *c == '+')))
        .map_or(t.len(), |(i, _)| i);
    t[..end].parse().ok()
}

/// stress's atoll_b (sizes: B K M G) and atoll_s (times: s m h d y), with their errors
/// and the line numbers of stress.c that report them.
fn stress_number(s: &str, time: bool) -> Result<i64, (u32, String)> {
    let (suffix_line, number_line) = if time { (705, 712) } else { (647, 654) };
    let Some(last) = s.chars().last() else {
        return Err((if time { 676 } else { 622 }, "invalid string".into()));
    };
    let factor: i64 = match (time, last.to_ascii_lowercase()) {
        (false, 'b') => 1,
        (false, 'k') => 1 << 10,
        (false, 'm') => 1 << 20,
        (false, 'g') => 1 << 30,
        (true, 's') => 1,
        (true, 'm') => 60,
        (true, 'h') => 3600,
        (true, 'd') => 86_400,
        (true, 'y') => 31_536_000,
        (_, c) if c.is_ascii_digit() => 1,
        _ => return Err((suffix_line, format!("unrecognized suffix: {last}"))),
    };
    let v = leading_int(s).ok_or((number_line, format!("invalid number: {s}")))?;
    Ok(v.saturating_mul(factor))
}

/// A dd size operand: N with c w b kB K MB M GB G suffixes.
fn dd_size(s: &str) -> Option<u64> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult = match suffix {
        "" | "c" => 1,
        "w" => 2,
        "b" => 512,
        "kB" => 1000,
        "K" | "k" | "KiB" => 1 << 10,
        "MB" => 1_000_000,
        "M" | "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "G" | "GiB" => 1 << 30,
        _ => return None,
    };
    Some(n * mult)
}

/// GNU's human_readable with autoscaling, rounding to nearest: `10 MB`, `1.1 GB`,
/// `100 MiB`; below the base, `512 B`.
fn gnu_human(v: f64, iec: bool) -> String {
    let base = if iec { 1024.0 } else { 1000.0 };
    let prefixes = if iec {
        ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
    } else {
        ["", "k", "M", "G", "T", "P", "E"]
    };
    let mut x = v;
    let mut u = 0;
    while x >= base && u < 6 {
        x /= base;
        u += 1;
    }
    if u == 0 {
        return format!("{} B", v.round() as u64);
    }
    let mut s = if x < 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.0}")
    };
    if s == "10.0" {
        s = "10".into();
    }
    if s.parse::<f64>().unwrap_or(0.0) >= base && u < 6 {
        u += 1;
        s = "1.0".into();
    }
    format!("{s} {}B", prefixes[u])
}

/// C's `%g`: six significant digits, trailing zeros dropped.
fn fmt_g(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let exp = x.abs().log10().floor() as i32;
    if !(-4..6).contains(&exp) {
        let m = x / 10f64.powi(exp);
        let ms = format!("{m:.5}");
        let ms = ms.trim_end_matches('0').trim_end_matches('.');
        return format!("{ms}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    let decimals = (5 - exp).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `dd`: copies count blocks of bs bytes at a fixed speed ([`DISK_WRITE_RATE`] into a
/// file, [`NULL_WRITE_RATE`] into /dev/null), then prints its statistics the way busybox
/// or GNU coreutils does.
fn dd(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let gnu = gnu(ctx);
    let mut input: Option<String> = None;
    let mut output: Option<String> = None;
    let mut bs: u64 = 512;
    let mut count: Option<u64> = None;
    let mut status = String::new();
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            r.err(if gnu {
                format!("dd: unrecognized operand '{a}'\nTry 'dd --help' for more information.\n")
            } else {
                format!("dd: invalid argument '{a}'\n")
            });
            return Flow::Status(1);
        };
        let size = || dd_size(v);
        match k {
            "if" => input = Some(v.to_string()),
            "of" => output = Some(v.to_string()),
            "status" => status = v.to_string(),
            "conv" | "iflag" | "oflag" | "skip" | "seek" => {}
            "bs" | "ibs" | "obs" | "count" => {
                let Some(n) = size().filter(|n| *n > 0 || k == "count") else {
                    r.err(if gnu {
                        format!("dd: invalid number: '{v}'\n")
                    } else {
                        format!("dd: invalid number '{v}'\n")
                    });
                    return Flow::Status(1);
                };
                if k == "count" {
                    count = Some(n);
                } else {
                    bs = n;
                }
            }
            _ => {
                r.err(if gnu {
                    format!(
                        "dd: unrecognized operand '{a}'\nTry 'dd --help' for more information.\n"
                    )
                } else {
                    format!("dd: invalid argument '{a}'\n")
                });
                return Flow::Status(1);
            }
        }
    }
    // What there is to read.
    let source_len: Option<u64> = match input.as_deref() {
        Some(p) if endless_device(p) => None,
        Some(p) => match read_text(ctx, &absolute(&ctx.cwd, p)) {
            Ok(t) => Some(file_size(ctx, &absolute(&ctx.cwd, p)).max(t.len() as u64)),
            Err(_) => {
                r.err(if gnu {
                    format!("dd: failed to open '{p}': No such file or directory\n")
                } else {
                    format!("dd: can't open '{p}': No such file or directory\n")
                });
                return Flow::Status(1);
            }
        },
        None if !r.stdin_eof => None,
        None => Some(r.stdin.len() as u64),
    };
    let to_null = output.as_deref() == Some("/dev/null");
    let rate = if to_null {
        NULL_WRITE_RATE
    } else {
        DISK_WRITE_RATE
    };
    r.load.cpu_millis = 1000;
    r.load.rss = 512 * 1024 + bs;
    let (full, partial, total) = match (count, source_len) {
        (Some(c), None) => (c, 0, c * bs),
        (Some(c), Some(len)) => {
            let want = c * bs;
            let got = want.min(len);
            (got / bs, u64::from(got % bs > 0), got)
        }
        (None, Some(len)) => (len / bs, u64::from(len % bs > 0), len),
        (None, None) => {
            // An endless copy: it runs until killed.
            if !to_null {
                r.load.write_total = u64::MAX;
                r.load.write_rate = rate;
            }
            return Flow::Forever;
        }
    };
    if !to_null && output.is_some() {
        r.load.write_total = total;
        r.load.write_rate = rate;
    }
    let ns = total.saturating_mul(NANOS_PER_SEC) / rate;
    let ns = ns.max(1000);
    r.t += ns;
    if output.is_none() {
        // To standard output: the bytes themselves (zeros from /dev/zero).
        let data = match input.as_deref() {
            Some(p) if !endless_device(p) => read_text(ctx, &absolute(&ctx.cwd, p))
                .unwrap_or_default()
                .chars()
                .take(total as usize)
                .collect(),
            None => r.stdin.chars().take(total as usize).collect(),
            _ => "\0".repeat(total.min(16 << 20) as usize),
        };
        r.out(data);
    }
    r.load = Load::default();
    if status == "none" {
        return Flow::Status(0);
    }
    let secs = ns as f64 / 1e9;
    let mut s = format!("{full}+{partial} records in\n{full}+{partial} records out\n");
    if status != "noxfer" {
        if gnu {
            let rate_s = format!("{}/s", gnu_human(total as f64 / secs, false));
            let si = gnu_human(total as f64, false);
            let iec = gnu_human(total as f64, true);
            let t = fmt_g(secs);
            if total < 1000 {
                s.push_str(&format!(
                    "{total} byte{} copied, {t} s, {rate_s}\n",
                    if total == 1 { "" } else { "s" }
                ));
            } else if total < 1024 {
                s.push_str(&format!("{total} bytes ({si}) copied, {t} s, {rate_s}\n"));
            } else {
                s.push_str(&format!(
                    "{total} bytes ({si}, {iec}) copied, {t} s, {rate_s}\n"
                ));
            }
        } else {
            let per_sec = (total as f64 / secs) as u64;
            s.push_str(&format!(
                "{total} bytes ({}B) copied, {secs:.6} seconds, {}B/s\n",
                bb_human(total),
                bb_human(per_sec)
            ));
        }
    }
    r.err(s);
    Flow::Status(0)
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
