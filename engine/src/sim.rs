//! `SimKernel`: the [`Kernel`] modelled in memory. A process table with per-PID-namespace
//! numbers, namespaces with inode numbers, a cgroup tree, overlay unions of in-memory
//! layer trees, and timers that play each program's timeline over virtual time.

use crate::fs::{normalize, Bind, Fs, FsChanges, FsEvent, Node, NodeKind, Store, Tree, Union};
use crate::kernel::*;
use crate::sched;
use crate::shell::{self, Ending, Handler, ProcCtx};
use crate::time::Time;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The simulated host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimConfig {
    pub hostname: String,
    pub kernel_release: String,
    pub cpus: u32,
    pub memory_bytes: u64,
    /// 2 (unified, the default) or 1 (legacy hierarchies per controller).
    pub cgroup_version: u8,
    /// kernel.pid_max: no more processes than this, whatever the cgroups allow. Real
    /// hosts have 32768 or 4194304; the simulated one stops a runaway fork bomb at 4096
    /// so that the page can still draw it.
    pub pid_max: u32,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            hostname: "porthole".into(),
            kernel_release: "6.8.0-50-generic".into(),
            cpus: 4,
            memory_bytes: 8 << 30,
            cgroup_version: 2,
            pid_max: 4096,
        }
    }
}

const DOCKER_ROOT: &str = "/var/lib/docker";
/// The host's own namespaces (the inode numbers a fresh Linux boot gives them).
const HOST_NS: [(NsKind, u64); 7] = [
    (NsKind::Mnt, 4026531841),
    (NsKind::Uts, 4026531838),
    (NsKind::Ipc, 4026531839),
    (NsKind::Pid, 4026531836),
    (NsKind::Net, 4026531840),
    (NsKind::Cgroup, 4026531835),
    (NsKind::User, 4026531837),
];

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
enum ProcState {
    /// `runc init`, waiting for `runc start`.
    #[default]
    Init,
    Running {
        handlers: Vec<Handler>,
        ignores_term: bool,
    },
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Proc {
    ppid: u32,
    ns_pid: u32,
    argv: Vec<String>,
    container: Option<String>,
    namespaces: Vec<NsId>,
    cgroup: String,
    hostname: String,
    state: ProcState,
    /// What it demands of the machine (the workload language).
    #[serde(default)]
    load: shell::Load,
    /// Resident memory now, CPU time used, CPU share now (micro-CPUs), bytes written.
    #[serde(default)]
    rss: u64,
    #[serde(default)]
    cpu_ns: u64,
    #[serde(default)]
    cpu_alloc: u64,
    #[serde(default)]
    written: u64,
    /// Stopped by the freezer.
    #[serde(default)]
    frozen: bool,
    /// Chosen by the OOM killer, SIGKILL on its way: it allocates no more.
    #[serde(default)]
    dying: bool,
    /// Host UID (container UID + the userns-remap offset).
    #[serde(default)]
    uid: u32,
    /// Where UID 0 of its user namespace is on the host (0 = the host's namespace).
    #[serde(default)]
    uid_offset: u32,
    /// Where its output goes: the process whose stdio it inherited (stress workers and
    /// fork-bomb copies write to their parent's stream).
    #[serde(default)]
    reports_to: Option<u32>,
    #[serde(default)]
    on_child_killed: shell::OnChildKilled,
    /// A fork bomb: the shell's name (for its error message).
    #[serde(default)]
    bomb: Option<String>,
    #[serde(default)]
    started: Time,
}

impl Proc {
    fn growth(&self) -> sched::Growth {
        let frozen = self.frozen || self.dying;
        sched::Growth {
            rss: self.rss,
            target: self.load.rss_target.max(self.rss),
            rate: if frozen { 0 } else { self.load.grow_rate },
        }
    }
    fn cpu_demand(&self) -> u64 {
        if self.frozen || self.dying || matches!(self.state, ProcState::Init) {
            0
        } else {
            self.load.cpu_millis * 1000
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Rootfs {
    /// Image layers, top first.
    lower: Vec<String>,
    rw: Tree,
    mount: RootfsMount,
    mounted: bool,
    /// Whether runc init made the mounts inside the container's mount namespace.
    inner: bool,
    /// Volumes, bind mounts and tmpfs over the root (from the `InitSpec`), in mount order.
    mounts: Vec<MountSpec>,
    /// The contents of each tmpfs mount, by target.
    tmpfs: BTreeMap<String, Tree>,
    /// `--read-only`: the root is mounted read-only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    readonly: bool,
}

/// What runc init mounts in a container's new mount namespace, after the root:
/// (target, type, options).
const CONTAINER_MOUNTS: [(&str, &str, &str); 7] = [
    ("/proc", "proc", "rw,nosuid,nodev,noexec,relatime"),
    ("/dev", "tmpfs", "rw,nosuid,size=65536k,mode=755"),
    (
        "/dev/pts",
        "devpts",
        "rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666",
    ),
    ("/sys", "sysfs", "ro,nosuid,nodev,noexec,relatime"),
    (
        "/sys/fs/cgroup",
        "cgroup2",
        "ro,nosuid,nodev,noexec,relatime",
    ),
    ("/dev/mqueue", "mqueue", "rw,nosuid,nodev,noexec,relatime"),
    (
        "/dev/shm",
        "tmpfs",
        "rw,nosuid,nodev,noexec,relatime,size=65536k",
    ),
];

/// The files Docker bind-mounts from /var/lib/docker/containers/<id>/: (target, file).
const BIND_MOUNTS: [(&str, &str); 3] = [
    ("/etc/resolv.conf", "resolv.conf"),
    ("/etc/hostname", "hostname"),
    ("/etc/hosts", "hosts"),
];

/// The mount table inside a container (what `mount` there shows), built when observed.
fn inner_mounts(container_id: &str, r: &Rootfs) -> Vec<MountInfo> {
    let m = |target: &str, fstype: &str, options: String| MountInfo {
        container: container_id.to_string(),
        target: target.to_string(),
        fstype: fstype.to_string(),
        options,
        readonly: false,
    };
    let mut v = vec![m(
        "/",
        "overlay",
        format!(
            "{},relatime,{}",
            if r.readonly { "ro" } else { "rw" },
            r.mount.options
        ),
    )];
    v.extend(
        CONTAINER_MOUNTS
            .iter()
            .map(|(t, f, o)| m(t, f, o.to_string())),
    );
    // The user's volumes and binds, Docker's own files, then the tmpfs mounts, sorted by
    // depth as dockerd sorts them (`sortMounts`: fewer path components first, stable).
    let mut rest: Vec<MountInfo> = r
        .mounts
        .iter()
        .filter(|s| s.kind != MountKind::Tmpfs)
        .chain(r.mounts.iter().filter(|s| s.kind == MountKind::Tmpfs))
        .map(|s| match s.kind {
            MountKind::Tmpfs => {
                let mut o = String::from(if s.readonly { "ro" } else { "rw" });
                o.push_str(",nosuid,nodev,noexec,relatime");
                if let Some(size) = s.size {
                    o.push_str(&format!(",size={}k", size / 1024));
                }
                m(&s.target, "tmpfs", o)
            }
            MountKind::Bind | MountKind::Volume => MountInfo {
                readonly: s.readonly,
                ..m(&s.target, "bind", s.source.clone())
            },
        })
        .collect();
    let user = r
        .mounts
        .iter()
        .filter(|s| s.kind != MountKind::Tmpfs)
        .count();
    let own: Vec<MountInfo> = BIND_MOUNTS
        .iter()
        .map(|(t, file)| {
            m(
                t,
                "bind",
                format!("{DOCKER_ROOT}/containers/{container_id}/{file}"),
            )
        })
        .collect();
    rest.splice(user..user, own);
    rest.sort_by_key(|mi| mi.target.matches('/').count());
    v.extend(rest);
    v
}

/// Parses a cpuset list (`0-2,4`) into CPU numbers; None if malformed.
pub fn parse_cpuset(s: &str) -> Option<Vec<u32>> {
    let mut v = Vec::new();
    for part in s.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                if b < a {
                    return None;
                }
                v.extend(a..=b);
            }
            None => v.push(part.trim().parse().ok()?),
        }
    }
    v.sort_unstable();
    v.dedup();
    Some(v)
}

/// The inode of a process's PID namespace.
fn pid_ns_of(p: &Proc) -> Option<u64> {
    p.namespaces
        .iter()
        .find(|n| n.kind == NsKind::Pid)
        .map(|n| n.inode)
}

#[derive(Clone, Debug, Serialize, Deserialize)]
enum Timer {
    Output(Stream, String),
    Exit(ExitStatus),
    /// Fork the parent's child worker (index into its timeline's children).
    Spawn(shell::Child),
    /// Send a signal to a host PID (`kill` in a script).
    Signal(u32, Signal),
    /// A fork bomb's next generation.
    Bomb,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Cgroup {
    limits: CgroupLimits,
    procs: BTreeSet<u32>,
    #[serde(default)]
    acct: CgroupStats,
    /// The container it belongs to.
    #[serde(default)]
    container: Option<String>,
}

pub struct SimKernel {
    config: SimConfig,
    next_pid: u32,
    next_inode: u64,
    procs: BTreeMap<u32, Proc>,
    /// Per PID namespace: the next PID to give.
    ns_next_pid: BTreeMap<u64, u32>,
    /// Live namespaces and how many processes are in each.
    namespaces: BTreeMap<NsId, u32>,
    cgroups: BTreeMap<String, Cgroup>,
    layers: BTreeMap<String, (String, Arc<Tree>)>,
    rootfs: BTreeMap<String, Rootfs>,
    /// The host's own file system, where it is not Docker's image store: volumes under
    /// /var/lib/docker/volumes, bind-mount sources, what `host ls` and `docker cp` see.
    host_fs: Tree,
    timers: BTreeMap<(Time, u64), (u32, Timer)>,
    /// The timers of each PID, to cancel them without a scan.
    timers_by_pid: BTreeMap<u32, BTreeSet<(Time, u64)>>,
    timer_seq: u64,
    /// Container ID → its cgroup path.
    container_cgroups: BTreeMap<String, String>,
    /// PID namespace inode → the host PIDs in it (what its /proc lists).
    pid_ns_members: BTreeMap<u64, BTreeSet<u32>>,
    /// PATH lookups in pristine root file systems (no RW changes yet): the layer stack,
    /// $PATH and the command → the resolved binary. Pure, so safe to reuse.
    exec_cache: BTreeMap<String, Option<String>>,
    containerd_pid: u32,
    /// Resource accounting is settled up to here.
    acct_at: Time,
    /// The next time a memory limit is reached, and where ("" = the whole host).
    oom_at: Option<(Time, String)>,
    /// Timers of frozen processes: remaining offset and the timer.
    frozen_timers: BTreeMap<u32, Vec<(u64, Timer)>>,
    /// Signals held for frozen processes.
    pending_signals: BTreeMap<u32, Vec<Signal>>,
    kmsg: Vec<(Time, String)>,
    /// Each container's main process (the one its shim waits for).
    main_pids: BTreeSet<u32>,
    /// Cgroups whose processes use CPU, grow or write (the ones time changes).
    busy: BTreeSet<String>,
    /// Cgroups changed since the last reallocation.
    touched: BTreeSet<String>,
    /// Resident memory of every process.
    rss_total: u64,
    /// What overlayfs did for the programs run since the last `take_fs_events`.
    fs_events: Vec<String>,
    /// The network stack: namespaces' interfaces, bridges, iptables, sockets, DNS.
    net: crate::simnet::SimNet,
}

/// When the simulated host booted: `dmesg` counts from here.
const BOOT: Time = Time(crate::time::DEFAULT_EPOCH.0 - 3_600 * crate::time::NANOS_PER_SEC);
/// What the host's own processes keep resident (init, containerd, dockerd, the rest).
const HOST_BASELINE: u64 = 640 << 20;

impl SimKernel {
    pub fn new(config: SimConfig) -> SimKernel {
        let mut k = SimKernel {
            config,
            next_pid: 1,
            next_inode: 4026532160,
            procs: BTreeMap::new(),
            ns_next_pid: BTreeMap::new(),
            namespaces: BTreeMap::new(),
            cgroups: BTreeMap::new(),
            layers: BTreeMap::new(),
            rootfs: BTreeMap::new(),
            host_fs: initial_host_fs(),
            timers: BTreeMap::new(),
            timers_by_pid: BTreeMap::new(),
            timer_seq: 0,
            container_cgroups: BTreeMap::new(),
            pid_ns_members: BTreeMap::new(),
            exec_cache: BTreeMap::new(),
            containerd_pid: 0,
            acct_at: Time(0),
            oom_at: None,
            frozen_timers: BTreeMap::new(),
            pending_signals: BTreeMap::new(),
            kmsg: Vec::new(),
            fs_events: Vec::new(),
            main_pids: BTreeSet::new(),
            busy: BTreeSet::new(),
            touched: BTreeSet::new(),
            rss_total: 0,
            net: crate::simnet::SimNet::new(),
        };
        let host: Vec<NsId> = HOST_NS
            .iter()
            .map(|&(kind, inode)| NsId { kind, inode })
            .collect();
        for ns in &host {
            k.namespaces.insert(*ns, 0);
        }
        let root_cg = if k.config.cgroup_version == 2 {
            "/sys/fs/cgroup/init.scope"
        } else {
            "/sys/fs/cgroup/systemd/init.scope"
        };
        let boot = |k: &mut SimKernel, pid: u32, ppid: u32, argv: &[&str], cg: &str| {
            k.insert_proc(
                pid,
                Proc {
                    ppid,
                    ns_pid: pid,
                    argv: argv.iter().map(|s| s.to_string()).collect(),
                    container: None,
                    namespaces: host.clone(),
                    cgroup: cg.to_string(),
                    hostname: k.config.hostname.clone(),
                    state: ProcState::Running {
                        handlers: Vec::new(),
                        ignores_term: false,
                    },
                    ..Default::default()
                },
            );
            for ns in &host {
                *k.namespaces.entry(*ns).or_insert(0) += 1;
            }
            k.cgroups
                .entry(cg.to_string())
                .or_insert_with(|| Cgroup {
                    limits: CgroupLimits::default(),
                    procs: BTreeSet::new(),
                    acct: CgroupStats::default(),
                    container: None,
                })
                .procs
                .insert(pid);
        };
        boot(&mut k, 1, 0, &["/sbin/init"], root_cg);
        let sys = if k.config.cgroup_version == 2 {
            "/sys/fs/cgroup/system.slice"
        } else {
            "/sys/fs/cgroup/systemd/system.slice"
        };
        boot(
            &mut k,
            687,
            1,
            &["/usr/bin/containerd"],
            &format!("{sys}/containerd.service"),
        );
        boot(
            &mut k,
            701,
            1,
            &[
                "/usr/bin/dockerd",
                "-H",
                "fd://",
                "--containerd=/run/containerd/containerd.sock",
            ],
            &format!("{sys}/docker.service"),
        );
        k.ns_next_pid.insert(4026531836, 1200);
        k.next_pid = 1200;
        k.containerd_pid = 687;
        k
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// A new process joining existing namespaces and a cgroup (a fork, `docker exec`):
    /// its host PID and its PID in the PID namespace `pid_ns` (the next after its init).
    fn enter(&mut self, pid_ns: u64, namespaces: &[NsId], cgroup: &str) -> (u32, u32) {
        let host_pid = self.alloc_pid();
        let ns_pid = if pid_ns == 4026531836 {
            host_pid
        } else {
            let next = self.ns_next_pid.entry(pid_ns).or_insert(2);
            let p = *next;
            *next += 1;
            p
        };
        for n in namespaces {
            *self.namespaces.entry(*n).or_insert(0) += 1;
        }
        if let Some(cg) = self.cgroups.get_mut(cgroup) {
            cg.procs.insert(host_pid);
        }
        (host_pid, ns_pid)
    }

    fn alloc_pid(&mut self) -> u32 {
        let p = self.next_pid;
        self.next_pid += 1;
        self.ns_next_pid.insert(4026531836, self.next_pid);
        p
    }

    fn new_ns(&mut self, kind: NsKind) -> NsId {
        let ns = NsId {
            kind,
            inode: self.next_inode,
        };
        self.next_inode += 1;
        self.namespaces.insert(ns, 0);
        if kind == NsKind::Pid {
            self.ns_next_pid.insert(ns.inode, 1);
        }
        ns
    }

    fn cgroup_root(&self) -> &'static str {
        if self.config.cgroup_version == 2 {
            "/sys/fs/cgroup"
        } else {
            "/sys/fs/cgroup/memory"
        }
    }

    fn layer_dir(diff_id: &str) -> String {
        // overlay2 names each layer directory with a random cache ID; here it is derived
        // from the diff ID so that the simulation stays deterministic.
        use sha2::{Digest, Sha256};
        let h = Sha256::digest(format!("cache-id:{diff_id}").as_bytes());
        format!("{DOCKER_ROOT}/overlay2/{}", crate::rng::hex(&h))
    }

    fn schedule(&mut self, at: Time, pid: u32, t: Timer) {
        let key = (at, self.timer_seq);
        self.timers.insert(key, (pid, t));
        self.timers_by_pid.entry(pid).or_default().insert(key);
        self.timer_seq += 1;
    }

    fn cancel_timers(&mut self, pid: u32) {
        for key in self.timers_by_pid.remove(&pid).unwrap_or_default() {
            self.timers.remove(&key);
        }
    }

    fn insert_proc(&mut self, pid: u32, p: Proc) {
        // Host daemons and shims carry no load: only containers' cgroups can get busy.
        if p.container.is_some() {
            self.touched.insert(p.cgroup.clone());
        }
        self.rss_total += p.rss;
        if let Some(ns) = pid_ns_of(&p) {
            self.pid_ns_members.entry(ns).or_default().insert(pid);
        }
        self.procs.insert(pid, p);
    }

    /// A host network program (`host curl …`): its output, and what it makes the
    /// servers it reached print (their access logs), delivered as their own output.
    fn host_program(
        &mut self,
        netns: u64,
        argv: &[String],
        now: Time,
    ) -> Option<(String, String, i32)> {
        let (out, err, code, deliveries) =
            crate::netprog::host_run_with_deliveries(&self.net, netns, argv, now)?;
        for (off, target, stream, text) in deliveries {
            if self.procs.contains_key(&target) {
                self.schedule(now.plus_nanos(off), target, Timer::Output(stream, text));
            }
        }
        Some((out, err, code))
    }

    fn remove_proc(&mut self, pid: u32) {
        if let Some(p) = self.procs.remove(&pid) {
            if p.container.is_some() {
                self.touched.insert(p.cgroup.clone());
            }
            self.rss_total = self.rss_total.saturating_sub(p.rss);
            if let Some(ns) = pid_ns_of(&p) {
                if let Some(m) = self.pid_ns_members.get_mut(&ns) {
                    m.remove(&pid);
                    if m.is_empty() {
                        self.pid_ns_members.remove(&ns);
                    }
                }
            }
            for ns in &p.namespaces {
                if let Some(n) = self.namespaces.get_mut(ns) {
                    *n = n.saturating_sub(1);
                    if *n == 0 && ns.inode < 4026532000 {
                        continue; // host namespaces live forever
                    }
                    if *n == 0 {
                        self.namespaces.remove(ns);
                        self.ns_next_pid.remove(&ns.inode);
                        if ns.kind == NsKind::Net {
                            self.net.remove_netns(ns.inode);
                        }
                    }
                }
            }
            if let Some(cg) = self.cgroups.get_mut(&p.cgroup) {
                cg.procs.remove(&pid);
            }
            self.net.process_gone(pid);
        }
        self.cancel_timers(pid);
        self.frozen_timers.remove(&pid);
        self.pending_signals.remove(&pid);
    }

    fn err(op: &str, path: impl Into<String>, message: impl Into<String>) -> KernelError {
        KernelError {
            op: op.into(),
            path: path.into(),
            message: message.into(),
            exit_code: None,
        }
    }

    /// The processes `pid` can see in its PID namespace, numbered as there; its own entry
    /// shows `argv` (what it is about to exec).
    fn ps_view(&self, pid: u32, argv: &[String]) -> Vec<shell::PsEntry> {
        let Some(me) = self.procs.get(&pid) else {
            return Vec::new();
        };
        let ns = pid_ns_of(me);
        if ns == Some(4026531836) {
            // The host's PID namespace is the ancestor of all: it sees every process, by
            // its host PID.
            return self
                .procs
                .iter()
                .map(|(&hp, p)| shell::PsEntry {
                    pid: hp,
                    ppid: p.ppid,
                    uid: p.uid,
                    argv: if hp == pid {
                        argv.to_vec()
                    } else {
                        p.argv.clone()
                    },
                })
                .collect();
        }
        let members = ns.and_then(|ns| self.pid_ns_members.get(&ns));
        members
            .into_iter()
            .flatten()
            .filter_map(|hp| self.procs.get(hp).map(|p| (*hp, p)))
            .map(|(hp, p)| shell::PsEntry {
                pid: p.ns_pid,
                // The parent as seen from inside: 0 when it is outside the namespace.
                ppid: self
                    .procs
                    .get(&p.ppid)
                    .filter(|pp| pid_ns_of(pp) == ns)
                    .map(|pp| pp.ns_pid)
                    .unwrap_or(0),
                uid: 0,
                argv: if hp == pid {
                    argv.to_vec()
                } else {
                    p.argv.clone()
                },
            })
            .collect()
    }

    /// The container's cgroup files as its processes see them under /sys/fs/cgroup.
    fn inner_cgroup_files(&self, pid: u32, now: Time) -> Vec<(String, String)> {
        let Some(p) = self.procs.get(&pid) else {
            return Vec::new();
        };
        if self.config.cgroup_version == 2 {
            return self.files_of(&p.cgroup, now).unwrap_or_default();
        }
        let rel = p
            .cgroup
            .strip_prefix("/sys/fs/cgroup/memory/")
            .unwrap_or("");
        let mut v = Vec::new();
        for ctl in V1_CONTROLLERS {
            for (f, c) in self
                .files_of(&format!("/sys/fs/cgroup/{ctl}/{rel}"), now)
                .unwrap_or_default()
            {
                v.push((format!("{ctl}/{f}"), c));
            }
        }
        v
    }

    /// How many CPUs `pid` may run on (its cpuset).
    fn cpus_allowed(&self, pid: u32) -> u32 {
        let set = self
            .procs
            .get(&pid)
            .and_then(|p| self.cgroups.get(&p.cgroup))
            .and_then(|c| c.limits.cpuset_cpus.clone());
        match set {
            Some(s) => parse_cpuset(&s).map_or(self.config.cpus, |v| v.len() as u32),
            None => self.config.cpus,
        }
    }

    /// The inode of `pid`'s network namespace.
    fn netns_of(&self, pid: u32) -> u64 {
        self.procs
            .get(&pid)
            .and_then(|p| p.namespaces.iter().find(|n| n.kind == NsKind::Net))
            .map(|n| n.inode)
            .unwrap_or(crate::simnet::HOST_NETNS)
    }

    /// The interfaces of `pid`'s network namespace.
    fn interfaces_of(&self, pid: u32) -> Vec<shell::Interface> {
        self.net.interfaces(self.netns_of(pid))
    }

    /// The container's file system as its programs see it, writable as its mounts allow.
    fn fs_for(&self, container_id: &str) -> Option<Fs<'_>> {
        let mut fs = Fs::new(self.union_for(container_id)?);
        fs.readonly_root = self.rootfs.get(container_id).is_some_and(|r| r.readonly);
        Some(fs)
    }

    fn union_for(&self, container_id: &str) -> Option<Union<'_>> {
        let r = self.rootfs.get(container_id)?;
        let mut layers: Vec<&Tree> = vec![&r.rw];
        for l in &r.lower {
            layers.push(&self.layers.get(l)?.1);
        }
        let mut u = Union::new(layers);
        u.binds = self.binds_for(r);
        Some(u)
    }

    /// The container's mounts over its root as the union sees them: volumes and bind
    /// mounts show a directory of the host's tree, tmpfs its own tree.
    fn binds_for<'a>(&'a self, r: &'a Rootfs) -> Vec<Bind<'a>> {
        r.mounts
            .iter()
            .map(|m| match m.kind {
                MountKind::Tmpfs => Bind {
                    target: normalize(&m.target),
                    tree: r.tmpfs.get(&normalize(&m.target)).unwrap_or(&EMPTY_TREE),
                    source: "/".into(),
                    readonly: m.readonly,
                    store: Store::Tmpfs(normalize(&m.target)),
                },
                MountKind::Bind | MountKind::Volume => Bind {
                    target: normalize(&m.target),
                    tree: &self.host_fs,
                    source: normalize(&m.source),
                    readonly: m.readonly,
                    store: Store::Host,
                },
            })
            .collect()
    }
}

impl SimKernel {
    /// Merges a program's file changes into the real trees: the RW layer, the host's
    /// tree (volumes, bind sources), tmpfs mounts. overlayfs' events become the lines
    /// `take_fs_events` hands to the trace.
    fn apply_fs_changes(&mut self, container: &str, changes: &FsChanges) {
        if changes.is_empty() {
            return;
        }
        for store in changes.stores() {
            match &store {
                Store::Host => changes.apply_to(&store, &mut self.host_fs),
                Store::Upper => {
                    if let Some(r) = self.rootfs.get_mut(container) {
                        changes.apply_to(&store, &mut r.rw);
                    }
                }
                Store::Tmpfs(t) => {
                    if let Some(tree) = self
                        .rootfs
                        .get_mut(container)
                        .and_then(|r| r.tmpfs.get_mut(t))
                    {
                        changes.apply_to(&store, tree);
                    }
                }
                Store::Container => {}
            }
        }
        let Some(r) = self.rootfs.get(container) else {
            return;
        };
        let layer_name = |i: usize| -> String {
            match r.lower.get(i.wrapping_sub(1)) {
                Some(d) => format!("layer {}", &d[..d.len().min(19)]),
                None => "a lower layer".into(),
            }
        };
        let upper = &r.mount.upperdir;
        for e in &changes.events {
            self.fs_events.push(match e {
                FsEvent::CopyUp { path, layer } => format!(
                    "overlayfs copied {path} up from {} to the upper dir {upper} before changing it",
                    layer_name(*layer)
                ),
                FsEvent::Whiteout { path, layer } => format!(
                    "overlayfs created whiteout {upper}{path} (char 0:0) hiding {path} of {}",
                    layer_name(*layer)
                ),
                FsEvent::Opaque { path } => format!(
                    "overlayfs made {upper}{path} an opaque directory (trusted.overlay.opaque=y): the lower layers' {path} stays hidden"
                ),
            });
        }
    }
}

static EMPTY_TREE: Tree = Tree {
    entries: BTreeMap::new(),
};

/// The simulated host's file system outside Docker's image store: the directories a
/// fresh Debian host with Docker has where students put things.
fn initial_host_fs() -> Tree {
    let mut t = Tree::default();
    for d in [
        "/home",
        "/root",
        "/srv",
        "/tmp",
        "/var",
        "/var/lib",
        "/var/lib/docker",
        "/var/lib/docker/volumes",
    ] {
        t.insert(d, Node::dir(if d == "/tmp" { 0o1777 } else { 0o755 }));
    }
    t.entries.get_mut("/root").expect("just inserted").mode = 0o700;
    t.entries
        .get_mut("/var/lib/docker")
        .expect("just inserted")
        .mode = 0o710;
    t.entries
        .get_mut("/var/lib/docker/volumes")
        .expect("just inserted")
        .mode = 0o701;
    t
}

impl SimKernel {
    /// The host's own file system (not the image store): volumes, bind sources.
    pub fn host_fs(&self) -> &Tree {
        &self.host_fs
    }
    pub fn host_fs_mut(&mut self) -> &mut Tree {
        &mut self.host_fs
    }

    /// The network stack (namespaces, bridges, iptables, sockets), for views and tests.
    pub fn net(&self) -> &crate::simnet::SimNet {
        &self.net
    }

    /// Reachability from the network namespace of host PID `from_pid` (or the host's
    /// when None) to `dst:port`: the outcome and the hops, for the trace and the view.
    pub fn probe(
        &self,
        from_pid: Option<u32>,
        dst: &str,
        proto: crate::simnet::Proto,
        port: u16,
        now: Time,
    ) -> crate::simnet::Probe {
        let ns = from_pid.map_or(crate::simnet::HOST_NETNS, |p| self.netns_of(p));
        self.net.probe(ns, dst, proto, port, now)
    }

    /// Reachability from a client on the internet to the host's address (10.0.2.15) at
    /// `port`: what a published port offers the outside world.
    pub fn probe_from_outside(
        &self,
        proto: crate::simnet::Proto,
        port: u16,
        now: Time,
    ) -> crate::simnet::Probe {
        self.net.probe(
            crate::simnet::WORLD_NETNS,
            crate::simnet::HOST_ADDR,
            proto,
            port,
            now,
        )
    }
}

// ---- resources over virtual time ----------------------------------------------------------

impl SimKernel {
    /// Brings CPU time, memory growth and disk writes up to `now` at the current rates.
    /// Only busy cgroups change (idle ones use no CPU and do not grow).
    fn settle(&mut self, now: Time) {
        if now <= self.acct_at {
            return;
        }
        let dt = now.since(self.acct_at);
        self.acct_at = now;
        let host_mem = self.config.memory_bytes;
        for path in &self.busy {
            let Some(cg) = self.cgroups.get_mut(path) else {
                continue;
            };
            let (mut alloc, mut anon, mut written) = (0u64, 0u64, 0u64);
            for q in &cg.procs {
                let Some(p) = self.procs.get_mut(q) else {
                    continue;
                };
                if p.cpu_alloc > 0 {
                    p.cpu_ns += (p.cpu_alloc as u128 * dt as u128 / sched::CPU as u128) as u64;
                    alloc += p.cpu_alloc;
                }
                let rss = p.growth().at(dt);
                self.rss_total = self.rss_total - p.rss + rss;
                p.rss = rss;
                anon += rss;
                if p.load.write_rate > 0 && !p.frozen && p.written < p.load.write_total {
                    let w = (p.load.write_rate as u128 * dt as u128 / 1_000_000_000) as u64;
                    let w = w.min(p.load.write_total - p.written);
                    p.written += w;
                    written += w;
                }
            }
            cg.acct.cpu_usage_ns += (alloc as u128 * dt as u128 / sched::CPU as u128) as u64;
            cg.acct.blkio_write += written;
            let limit = cg.limits.memory.unwrap_or(host_mem);
            // Page cache is reclaimable: it fills what anonymous memory leaves free.
            cg.acct.memory_cache = (cg.acct.memory_cache + written).min(limit.saturating_sub(anon));
            cg.acct.memory_usage = anon + cg.acct.memory_cache;
            cg.acct.memory_peak = cg.acct.memory_peak.max(cg.acct.memory_usage);
        }
    }

    /// Whether a cgroup's processes use CPU, grow, or write: the ones settle must follow.
    fn is_busy(&self, path: &str) -> bool {
        self.cgroups.get(path).is_some_and(|cg| {
            cg.procs.iter().filter_map(|q| self.procs.get(q)).any(|p| {
                p.cpu_demand() > 0
                    || p.growth().rate > 0 && p.rss < p.load.rss_target
                    || p.load.write_rate > 0 && p.written < p.load.write_total && !p.frozen
            })
        })
    }

    /// Shares the CPUs out again and finds the next memory limit to be reached: after any
    /// change in who runs, what they demand, or the limits (the touched cgroups).
    fn reallocate(&mut self) {
        let touched = std::mem::take(&mut self.touched);
        for path in &touched {
            if self.is_busy(path) {
                self.busy.insert(path.clone());
            } else if self.busy.remove(path) {
                if let Some(cg) = self.cgroups.get_mut(path) {
                    cg.acct.cpu_millis = 0;
                    for q in &cg.procs {
                        if let Some(p) = self.procs.get_mut(q) {
                            p.cpu_alloc = 0;
                        }
                    }
                }
            }
        }
        let paths: Vec<String> = self.busy.iter().cloned().collect();
        let claims: Vec<sched::CpuClaim> = paths
            .iter()
            .map(|path| {
                let cg = &self.cgroups[path];
                let demand = cg
                    .procs
                    .iter()
                    .filter_map(|q| self.procs.get(q))
                    .map(Proc::cpu_demand)
                    .sum();
                let l = &cg.limits;
                sched::CpuClaim {
                    demand,
                    // What the kernel weighs with: cpu.weight on v2 (runc converts the
                    // shares: 1024 → 39, 512 → 20), cpu.shares on v1.
                    weight: match (self.config.cgroup_version, l.cpu_shares) {
                        (2, Some(s)) => 1 + ((s.clamp(2, 262_144) - 2) * 9999) / 262_142,
                        (2, None) => 100,
                        (_, s) => s.unwrap_or(1024),
                    },
                    quota: match (l.cpu_quota, l.cpu_period) {
                        (Some(q), p) if q > 0 => {
                            Some(q as u64 * sched::CPU / p.unwrap_or(100_000).max(1))
                        }
                        _ => None,
                    },
                    cpus: l
                        .cpuset_cpus
                        .as_deref()
                        .and_then(parse_cpuset)
                        .unwrap_or_default(),
                }
            })
            .collect();
        let alloc = sched::share_cpus(self.config.cpus, &claims);
        for (i, path) in paths.iter().enumerate() {
            let demand = claims[i].demand;
            let members: Vec<u32> = self.cgroups[path].procs.iter().copied().collect();
            let mut left = alloc[i];
            let mut last = None;
            for q in &members {
                if let Some(p) = self.procs.get_mut(q) {
                    let d = p.cpu_demand();
                    p.cpu_alloc = if demand == 0 {
                        0
                    } else {
                        (alloc[i] as u128 * d as u128 / demand as u128) as u64
                    };
                    left = left.saturating_sub(p.cpu_alloc);
                    if d > 0 {
                        last = Some(*q);
                    }
                }
            }
            if let Some(p) = last.and_then(|q| self.procs.get_mut(&q)) {
                p.cpu_alloc += left;
            }
            if let Some(cg) = self.cgroups.get_mut(path) {
                cg.acct.cpu_millis = alloc[i] / 1000;
            }
        }
        self.refresh_oom(&touched);
    }

    /// When does some cgroup (or the host) run out of memory at the current rates? Only
    /// busy cgroups grow; a touched one may already be over a lowered limit.
    fn refresh_oom(&mut self, touched: &BTreeSet<String>) {
        let mut best: Option<(Time, String)> = None;
        let mut consider = |t: Time, path: String| {
            if best.as_ref().is_none_or(|(b, _)| t < *b) {
                best = Some((t, path));
            }
        };
        let mut all = Vec::new();
        let mut busy_rss = 0u64;
        for path in self
            .busy
            .iter()
            .chain(touched.iter().filter(|t| !self.busy.contains(*t)))
        {
            let Some(cg) = self.cgroups.get(path) else {
                continue;
            };
            let growths: Vec<sched::Growth> = cg
                .procs
                .iter()
                .filter_map(|q| self.procs.get(q))
                .filter(|p| !p.dying)
                .map(Proc::growth)
                .collect();
            if self.busy.contains(path) {
                all.extend(growths.iter().copied());
                busy_rss += cg
                    .procs
                    .iter()
                    .filter_map(|q| self.procs.get(q))
                    .map(|p| p.rss)
                    .sum::<u64>();
            }
            let Some(limit) = cg.limits.memory else {
                continue;
            };
            let now: u64 = growths.iter().map(|g| g.rss).sum();
            if !growths.iter().any(|g| g.rate > 0) && now <= limit {
                continue;
            }
            if let Some(dt) = sched::time_to_limit(&growths, limit.saturating_add(1)) {
                consider(self.acct_at.plus_nanos(dt), path.clone());
            }
        }
        // The rest of the host's processes, steady.
        all.push(sched::Growth {
            rss: self.rss_total.saturating_sub(busy_rss),
            target: 0,
            rate: 0,
        });
        let host_limit = self.config.memory_bytes.saturating_sub(HOST_BASELINE);
        if all.iter().any(|g| g.rate > 0) {
            if let Some(dt) = sched::time_to_limit(&all, host_limit.saturating_add(1)) {
                consider(self.acct_at.plus_nanos(dt), String::new());
            }
        }
        // A pending OOM in a cgroup that was neither busy nor touched still stands.
        if let Some((t, path)) = self.oom_at.clone() {
            if !path.is_empty()
                && !self.busy.contains(&path)
                && !touched.contains(&path)
                && self.cgroups.contains_key(&path)
            {
                consider(t, path);
            }
        }
        self.oom_at = best;
    }

    /// The OOM killer at `t` in cgroup `path` ("" = the whole host ran out).
    fn oom_kill(&mut self, t: Time, path: &str, events: &mut Vec<KernelEvent>) {
        self.settle(t);
        let candidates: Vec<u32> = if path.is_empty() {
            self.procs.keys().copied().collect()
        } else {
            self.cgroups
                .get(path)
                .map(|c| c.procs.iter().copied().collect())
                .unwrap_or_default()
        };
        let victim = candidates
            .iter()
            .filter_map(|q| self.procs.get(q).map(|p| (*q, p)))
            .filter(|(_, p)| !p.dying && p.container.is_some())
            .max_by_key(|(q, p)| (p.rss, *q))
            .map(|(q, _)| q);
        let limit = self
            .cgroups
            .get(path)
            .and_then(|c| c.limits.memory)
            .unwrap_or(self.config.memory_bytes);
        let Some(victim) = victim else {
            self.oom_at = None;
            return;
        };
        let disabled = self
            .cgroups
            .get(path)
            .is_some_and(|c| c.limits.oom_kill_disable && self.config.cgroup_version == 1);
        if disabled {
            // memory.oom_control: the cgroup's tasks wait for memory instead of dying.
            for q in &candidates {
                if let Some(p) = self.procs.get_mut(q) {
                    p.load.grow_rate = 0;
                    self.touched.insert(p.cgroup.clone());
                }
            }
            self.kmsg.push((
                t,
                format!("memory cgroup {path}: under OOM, the OOM killer is disabled: tasks wait"),
            ));
            self.reallocate();
            return;
        }
        let (comm, rss, cg_path, container, uid) = {
            let p = &self.procs[&victim];
            let comm = p
                .argv
                .first()
                .map(|a| a.rsplit('/').next().unwrap_or(a).chars().take(15).collect())
                .unwrap_or_default();
            (comm, p.rss, p.cgroup.clone(), p.container.clone(), p.uid)
        };
        let usage_kb = self
            .cgroups
            .get(&cg_path)
            .map(|c| c.acct.memory_usage / 1024)
            .unwrap_or(0);
        let msg = if path.is_empty() {
            format!("Out of memory: Killed process {victim} ({comm}) total-vm:{}kB, anon-rss:{}kB, file-rss:0kB, shmem-rss:0kB, UID:{uid} pgtables:{}kB oom_score_adj:0", rss / 1024 + 4096, rss / 1024, rss / 1024 / 512 + 40)
        } else {
            format!("Memory cgroup out of memory: Killed process {victim} ({comm}) total-vm:{}kB, anon-rss:{}kB, file-rss:0kB, shmem-rss:0kB, UID:{uid} pgtables:{}kB oom_score_adj:0", rss / 1024 + 4096, rss / 1024, rss / 1024 / 512 + 40)
        };
        self.kmsg.push((
            t,
            format!(
                "{comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0"
            ),
        ));
        if !path.is_empty() {
            self.kmsg.push((
                t,
                format!(
                    "memory: usage {usage_kb}kB, limit {}kB, failcnt {}",
                    limit / 1024,
                    self.cgroups
                        .get(path)
                        .map(|c| c.acct.oom_kills + 1)
                        .unwrap_or(1)
                ),
            ));
        }
        self.kmsg.push((t, msg));
        if let Some(cg) = self.cgroups.get_mut(&cg_path) {
            cg.acct.oom_kills += 1;
        }
        events.push(KernelEvent::Oom {
            time: t,
            cgroup: cg_path.clone(),
            container,
            victim,
            comm,
            rss,
            limit,
        });
        if let Some(p) = self.procs.get_mut(&victim) {
            p.dying = true;
        }
        self.touched.insert(cg_path);
        self.cancel_timers(victim);
        self.schedule(t, victim, Timer::Exit(ExitStatus::Signaled(Signal::Kill)));
        self.reallocate();
    }

    /// Fires one timer.
    fn fire(&mut self, key: (Time, u64), events: &mut Vec<KernelEvent>) {
        let Some((pid, timer)) = self.timers.remove(&key) else {
            return;
        };
        if let Some(set) = self.timers_by_pid.get_mut(&pid) {
            set.remove(&key);
            if set.is_empty() {
                self.timers_by_pid.remove(&pid);
            }
        }
        let t = key.0;
        self.settle(t);
        match timer {
            Timer::Output(stream, text) => {
                let to = self.output_pid(pid);
                events.push(KernelEvent::Output {
                    pid: to,
                    time: t,
                    stream,
                    text,
                });
            }
            Timer::Exit(status) => self.process_exited(pid, t, status, events),
            Timer::Spawn(child) => self.spawn_child(pid, t, child),
            Timer::Signal(target, sig) => {
                let _ = Kernel::signal(self, target, sig, t);
            }
            Timer::Bomb => self.bomb_tick(pid, t, events),
        }
    }

    /// The process whose stdio `pid` writes to.
    fn output_pid(&self, pid: u32) -> u32 {
        let mut p = pid;
        for _ in 0..64 {
            match self.procs.get(&p).and_then(|x| x.reports_to) {
                Some(up) => p = up,
                None => break,
            }
        }
        p
    }

    fn process_exited(
        &mut self,
        pid: u32,
        t: Time,
        status: ExitStatus,
        events: &mut Vec<KernelEvent>,
    ) {
        let Some(p) = self.procs.get(&pid) else {
            return;
        };
        let (parent, ns_init) = (p.ppid, p.ns_pid == 1 && p.container.is_some());
        let is_main = self.main_pids.remove(&pid);
        let pid_ns = pid_ns_of(p);
        let reports_to = p.reports_to;
        let own_ns_pid = p.ns_pid;
        // Its workers die with it (stress kills them; a bomb's copies lose their shell).
        // (Workers live in their parent's cgroup: look there, not at every process.)
        let children: Vec<u32> = self
            .cgroups
            .get(&p.cgroup)
            .map(|cg| {
                cg.procs
                    .iter()
                    .filter(|q| {
                        self.procs
                            .get(q)
                            .is_some_and(|c| c.ppid == pid && c.reports_to.is_some())
                    })
                    .copied()
                    .collect()
            })
            .unwrap_or_default();
        self.remove_proc(pid);
        events.push(KernelEvent::Exited {
            pid,
            time: t,
            status,
        });
        for c in children {
            self.remove_proc(c);
            events.push(KernelEvent::Exited {
                pid: c,
                time: t,
                status: ExitStatus::Signaled(Signal::Kill),
            });
        }
        if ns_init {
            // The PID namespace dies with its init: the kernel SIGKILLs the rest.
            let rest: Vec<u32> = pid_ns
                .and_then(|ns| self.pid_ns_members.get(&ns))
                .map(|m| m.iter().copied().collect())
                .unwrap_or_default();
            for q in rest {
                self.remove_proc(q);
                events.push(KernelEvent::Exited {
                    pid: q,
                    time: t,
                    status: ExitStatus::Signaled(Signal::Kill),
                });
            }
        }
        if is_main || ns_init {
            // The shim reaps its child and exits with it.
            if parent != self.containerd_pid && parent != 1 {
                self.remove_proc(parent);
            }
        }
        // A stress worker killed by a signal: stress reports it and gives up.
        if let (Some(up), ExitStatus::Signaled(sig)) = (reports_to, status) {
            if let Some(parent) = self.procs.get(&up) {
                if parent.on_child_killed == shell::OnChildKilled::Stress && !parent.dying {
                    let secs = t.since(parent.started) / crate::time::NANOS_PER_SEC;
                    let lines = shell::stress_worker_killed(own_ns_pid, sig.number(), secs);
                    self.cancel_timers(up);
                    let at = t.plus_nanos(1_000_000);
                    for (stream, text) in lines {
                        self.schedule(at, up, Timer::Output(stream, text));
                    }
                    self.schedule(at, up, Timer::Exit(ExitStatus::Code(1)));
                }
            }
        }
        self.reallocate();
    }

    /// Forks a worker of `parent`.
    fn spawn_child(&mut self, parent: u32, t: Time, child: shell::Child) {
        let Some(pp) = self.procs.get(&parent).cloned() else {
            return;
        };
        if !self.may_fork(&pp.cgroup) {
            if let Some(cg) = self.cgroups.get_mut(&pp.cgroup) {
                cg.acct.pids_refused += 1;
            }
            return;
        }
        let q = self.fork_from(parent, &pp, child.argv.clone(), child.load.clone(), t);
        if let Some(after) = child.exit_after_ns {
            self.schedule(
                t.plus_nanos(after),
                q,
                Timer::Exit(ExitStatus::Code(child.exit_code)),
            );
        }
        self.reallocate();
    }

    /// Whether a fork in `cgroup` would succeed (pids.max and kernel.pid_max).
    fn may_fork(&self, cgroup: &str) -> bool {
        if self.procs.len() as u32 >= self.config.pid_max {
            return false;
        }
        match self.cgroups.get(cgroup) {
            Some(cg) => match cg.limits.pids {
                Some(max) if max > 0 => (cg.procs.len() as i64) < max,
                _ => true,
            },
            None => true,
        }
    }

    /// A new process forked from `parent` (same namespaces and cgroup).
    fn fork_from(
        &mut self,
        parent: u32,
        pp: &Proc,
        argv: Vec<String>,
        load: shell::Load,
        t: Time,
    ) -> u32 {
        let ns = pid_ns_of(pp).unwrap_or(4026531836);
        let (host_pid, ns_pid) = self.enter(ns, &pp.namespaces, &pp.cgroup);
        let mut p = pp.clone();
        p.ppid = parent;
        p.ns_pid = ns_pid;
        p.argv = argv;
        p.rss = load.rss;
        p.load = load;
        p.state = ProcState::Running {
            handlers: Vec::new(),
            ignores_term: false,
        };
        p.cpu_ns = 0;
        p.cpu_alloc = 0;
        p.written = 0;
        p.dying = false;
        p.reports_to = Some(parent);
        p.on_child_killed = shell::OnChildKilled::Nothing;
        p.started = t;
        self.insert_proc(host_pid, p);
        host_pid
    }

    /// One generation of a fork bomb: each copy forks two more (`:|:`) until pids.max,
    /// the memory limit or kernel.pid_max refuses; then the refused forks print the
    /// shell's error. The generations are driven from the process that started it.
    fn bomb_tick(&mut self, pid: u32, t: Time, events: &mut Vec<KernelEvent>) {
        let Some(p) = self.procs.get(&pid).cloned() else {
            return;
        };
        let shell_name = p.bomb.clone().unwrap_or_else(|| "sh".into());
        let population = self
            .cgroups
            .get(&p.cgroup)
            .map(|c| {
                c.procs
                    .iter()
                    .filter(|q| self.procs.get(q).is_some_and(|x| x.bomb.is_some()))
                    .count() as u64
            })
            .unwrap_or(1);
        let wanted = population
            .saturating_mul(2)
            .min(u64::from(self.config.pid_max));
        let mut refused = 0;
        for _ in 0..wanted {
            if self.may_fork(&p.cgroup) && self.memory_allows(&p.cgroup, BOMB_RSS) {
                let mut load = p.load.clone();
                load.rss = BOMB_RSS;
                self.fork_from(pid, &p, p.argv.clone(), load, t);
            } else {
                refused += 1;
            }
        }
        if refused > 0 {
            if let Some(cg) = self.cgroups.get_mut(&p.cgroup) {
                cg.acct.pids_refused += refused;
                // The first refusal is what a student sees; the storm that follows (every
                // copy retrying) is summarised in pids.events rather than line by line.
                if cg.acct.pids_refused == refused {
                    let text = shell::fork_refused_message(&shell_name);
                    let to = self.output_pid(pid);
                    events.push(KernelEvent::Output {
                        pid: to,
                        time: t,
                        stream: Stream::Stderr,
                        text,
                    });
                }
            }
        } else {
            self.schedule(t.plus_nanos(BOMB_GENERATION_NS), pid, Timer::Bomb);
        }
        self.settle(t);
        self.reallocate();
    }

    /// Whether `bytes` more fit under the cgroup's memory limit.
    fn memory_allows(&self, cgroup: &str, bytes: u64) -> bool {
        let Some(cg) = self.cgroups.get(cgroup) else {
            return true;
        };
        let anon: u64 = cg
            .procs
            .iter()
            .filter_map(|q| self.procs.get(q))
            .map(|p| p.rss)
            .sum();
        let limit = cg
            .limits
            .memory
            .unwrap_or(self.config.memory_bytes.saturating_sub(HOST_BASELINE));
        anon + bytes <= limit
    }
}

/// A fork bomb doubles every millisecond of virtual time.
const BOMB_GENERATION_NS: u64 = 1_000_000;
/// What each copy of a forked shell keeps resident (its unshared pages).
const BOMB_RSS: u64 = 96 << 10;

/// The v1 freezer directory of a cgroup kept under the memory hierarchy's path.
fn freezer_path(path: &str) -> String {
    format!(
        "{}/freezer.state",
        path.replacen("/sys/fs/cgroup/memory/", "/sys/fs/cgroup/freezer/", 1)
    )
}

/// The v1 controllers Docker uses, as directories under /sys/fs/cgroup.
const V1_CONTROLLERS: [&str; 6] = [
    "blkio",
    "cpu,cpuacct",
    "cpuset",
    "freezer",
    "memory",
    "pids",
];

/// What an unlimited v1 memory.limit_in_bytes reads (PAGE_COUNTER_MAX × 4096).
const V1_UNLIMITED: &str = "9223372036854771712";

impl SimKernel {
    /// The files runc writes for `l`, with their values, in runc's order.
    fn limit_writes(&self, l: &CgroupLimits) -> Vec<(String, String)> {
        let mut w: Vec<(String, String)> = Vec::new();
        let mut put = |f: &str, v: String| w.push((f.to_string(), v));
        if self.config.cgroup_version == 2 {
            if let Some(m) = l.memory {
                put("memory.max", m.to_string());
            }
            if let Some(r) = l.memory_reservation {
                put("memory.low", r.to_string());
            }
            match (l.memory, l.memory_swap) {
                (_, Some(-1)) => put("memory.swap.max", "max".into()),
                // runc: memory.swap.max = (memory + swap) - memory.
                (Some(m), Some(sw)) if sw > 0 => {
                    put("memory.swap.max", (sw as u64).saturating_sub(m).to_string())
                }
                _ => {}
            }
            if let Some(s) = l.cpu_shares {
                // runc's conversion from cgroup v1 shares to v2 weight.
                let s = s.clamp(2, 262_144);
                put("cpu.weight", (1 + ((s - 2) * 9999) / 262_142).to_string());
            }
            if l.cpu_quota.is_some() || l.cpu_period.is_some() {
                let quota = match l.cpu_quota {
                    Some(q) if q > 0 => q.to_string(),
                    _ => "max".to_string(),
                };
                put(
                    "cpu.max",
                    format!("{quota} {}", l.cpu_period.unwrap_or(100_000)),
                );
            }
            if let Some(c) = &l.cpuset_cpus {
                put("cpuset.cpus", c.clone());
            }
            if let Some(p) = l.pids {
                put(
                    "pids.max",
                    if p <= 0 { "max".into() } else { p.to_string() },
                );
            }
            if let Some(b) = l.blkio_weight {
                // runc's conversion from blkio weight (10..1000) to io.weight (1..10000).
                put(
                    "io.weight",
                    format!(
                        "default {}",
                        1 + (u64::from(b).saturating_sub(10) * 9999) / 990
                    ),
                );
            }
        } else {
            if let Some(m) = l.memory {
                put("memory.limit_in_bytes", m.to_string());
            }
            if let Some(r) = l.memory_reservation {
                put("memory.soft_limit_in_bytes", r.to_string());
            }
            if let Some(sw) = l.memory_swap {
                put("memory.memsw.limit_in_bytes", sw.to_string());
            }
            if l.oom_kill_disable {
                put("memory.oom_control", "1".into());
            }
            if let Some(s) = l.cpu_shares {
                put("cpu.shares", s.to_string());
            }
            if let Some(p) = l.cpu_period {
                put("cpu.cfs_period_us", p.to_string());
            }
            if let Some(q) = l.cpu_quota {
                put("cpu.cfs_quota_us", q.to_string());
            }
            if let Some(c) = &l.cpuset_cpus {
                put("cpuset.cpus", c.clone());
            }
            if let Some(p) = l.pids {
                put(
                    "pids.max",
                    if p <= 0 { "max".into() } else { p.to_string() },
                );
            }
            if let Some(b) = l.blkio_weight {
                put("blkio.weight", b.to_string());
            }
        }
        w
    }

    /// A cgroup's accounting carried forward from the last settlement to `now`.
    fn stats_at(&self, path: &str, now: Time) -> Option<CgroupStats> {
        let cg = self.cgroups.get(path)?;
        let dt = now.since(self.acct_at);
        let mut st = cg.acct.clone();
        let members: Vec<&Proc> = cg.procs.iter().filter_map(|q| self.procs.get(q)).collect();
        let alloc: u64 = members.iter().map(|p| p.cpu_alloc).sum();
        st.cpu_usage_ns += (alloc as u128 * dt as u128 / sched::CPU as u128) as u64;
        st.cpu_millis = alloc / 1000;
        let anon: u64 = members.iter().map(|p| p.growth().at(dt)).sum();
        st.memory_limit = cg.limits.memory.unwrap_or(self.config.memory_bytes);
        st.memory_cache = st.memory_cache.min(st.memory_limit.saturating_sub(anon));
        st.memory_usage = anon + st.memory_cache;
        st.memory_peak = st.memory_peak.max(st.memory_usage);
        st.pids_current = members.len() as u64;
        st.pids_limit = cg.limits.pids.filter(|p| *p > 0).map(|p| p as u64);
        if let (Some(q), p) = (cg.limits.cpu_quota.filter(|q| *q > 0), cg.limits.cpu_period) {
            let demand: u64 = members.iter().map(|p| p.cpu_demand()).sum();
            let cap = q as u64 * sched::CPU / p.unwrap_or(100_000).max(1);
            if demand > cap {
                st.throttled_ns = st.throttled_ns.max(st.cpu_usage_ns / 2);
            }
        }
        Some(st)
    }

    /// The interface files of the cgroup at `path` (for v1, any controller's directory of
    /// it), with what reading them gives at `now`.
    fn files_of(&self, path: &str, now: Time) -> Option<Vec<(String, String)>> {
        let (key, controller) = if self.config.cgroup_version == 2 {
            (path.to_string(), None)
        } else {
            let rest = path.strip_prefix("/sys/fs/cgroup/")?;
            let (ctl, rel) = rest.split_once('/').unwrap_or((rest, ""));
            let key = format!("/sys/fs/cgroup/memory/{rel}")
                .trim_end_matches('/')
                .to_string();
            (key, Some(ctl.to_string()))
        };
        let cg = self.cgroups.get(&key)?;
        let st = self.stats_at(&key, now)?;
        let l = &cg.limits;
        let procs: String = cg.procs.iter().map(|p| format!("{p}\n")).collect();
        let mut v: Vec<(String, String)> = Vec::new();
        let mut put = |f: &str, val: String| v.push((f.to_string(), val));
        let usec = st.cpu_usage_ns / 1000;
        let max_or = |o: Option<u64>| o.map_or("max".to_string(), |x| x.to_string());
        match controller.as_deref() {
            None => {
                put(
                    "cgroup.controllers",
                    "cpuset cpu io memory hugetlb pids rdma misc\n".into(),
                );
                put(
                    "cgroup.events",
                    format!(
                        "populated {}\nfrozen {}\n",
                        u8::from(!cg.procs.is_empty()),
                        u8::from(st.frozen)
                    ),
                );
                put("cgroup.freeze", format!("{}\n", u8::from(st.frozen)));
                put("cgroup.max.depth", "max\n".into());
                put("cgroup.max.descendants", "max\n".into());
                put("cgroup.procs", procs.clone());
                put("cgroup.subtree_control", "\n".into());
                put("cgroup.threads", procs);
                put("cgroup.type", "domain\n".into());
                let period = l.cpu_period.unwrap_or(100_000);
                let periods = if l.cpu_quota.is_some_and(|q| q > 0) {
                    usec / period
                } else {
                    0
                };
                let throttled = st.throttled_ns / 1000;
                put(
                    "cpu.max",
                    format!(
                        "{} {period}\n",
                        l.cpu_quota
                            .filter(|q| *q > 0)
                            .map_or("max".to_string(), |q| q.to_string())
                    ),
                );
                put("cpu.stat", format!("usage_usec {usec}\nuser_usec {}\nsystem_usec {}\nnr_periods {periods}\nnr_throttled {}\nthrottled_usec {throttled}\nnr_bursts 0\nburst_usec 0\n", usec * 9 / 10, usec - usec * 9 / 10, if throttled > 0 { periods / 2 } else { 0 }));
                let weight = l
                    .cpu_shares
                    .map_or(100, |s| 1 + ((s.clamp(2, 262_144) - 2) * 9999) / 262_142);
                put("cpu.weight", format!("{weight}\n"));
                put(
                    "cpuset.cpus",
                    format!("{}\n", l.cpuset_cpus.clone().unwrap_or_default()),
                );
                put(
                    "cpuset.cpus.effective",
                    format!(
                        "{}\n",
                        l.cpuset_cpus
                            .clone()
                            .unwrap_or_else(|| format!("0-{}", self.config.cpus.saturating_sub(1)))
                    ),
                );
                put("cpuset.mems", "\n".into());
                put(
                    "io.stat",
                    if st.blkio_write > 0 {
                        format!(
                            "8:0 rbytes={} wbytes={} rios=0 wios={} dbytes=0 dios=0\n",
                            st.blkio_read,
                            st.blkio_write,
                            st.blkio_write / 4096
                        )
                    } else {
                        String::new()
                    },
                );
                put(
                    "io.weight",
                    format!(
                        "default {}\n",
                        l.blkio_weight
                            .map_or(100, |b| 1 + (u64::from(b).saturating_sub(10) * 9999) / 990)
                    ),
                );
                put("memory.current", format!("{}\n", st.memory_usage));
                put(
                    "memory.events",
                    format!(
                        "low 0\nhigh 0\nmax {}\noom {}\noom_kill {}\noom_group_kill 0\n",
                        st.oom_kills, st.oom_kills, st.oom_kills
                    ),
                );
                put("memory.high", "max\n".into());
                put(
                    "memory.low",
                    format!("{}\n", l.memory_reservation.unwrap_or(0)),
                );
                put("memory.max", format!("{}\n", max_or(l.memory)));
                put("memory.min", "0\n".into());
                put("memory.oom.group", "0\n".into());
                put("memory.peak", format!("{}\n", st.memory_peak));
                put("memory.stat", format!("anon {}\nfile {}\nkernel 0\nshmem 0\nfile_mapped 0\nfile_dirty 0\nfile_writeback 0\ninactive_anon 0\nactive_anon {}\ninactive_file {}\nactive_file 0\nunevictable 0\noom_kill {}\n", st.memory_usage - st.memory_cache, st.memory_cache, st.memory_usage - st.memory_cache, st.memory_cache, st.oom_kills));
                put("memory.swap.current", "0\n".into());
                put(
                    "memory.swap.max",
                    format!(
                        "{}\n",
                        match (l.memory, l.memory_swap) {
                            (_, Some(-1)) | (None, _) => "max".to_string(),
                            (Some(m), Some(sw)) if sw > 0 =>
                                (sw as u64).saturating_sub(m).to_string(),
                            (Some(m), _) => m.to_string(),
                        }
                    ),
                );
                put("pids.current", format!("{}\n", st.pids_current));
                put("pids.events", format!("max {}\n", st.pids_refused));
                put("pids.max", format!("{}\n", max_or(st.pids_limit)));
            }
            Some(ctl) => {
                put("cgroup.procs", procs.clone());
                put("tasks", procs);
                match ctl {
                    "memory" => {
                        put("memory.failcnt", format!("{}\n", st.oom_kills));
                        put(
                            "memory.limit_in_bytes",
                            format!(
                                "{}\n",
                                l.memory.map_or(V1_UNLIMITED.to_string(), |m| m.to_string())
                            ),
                        );
                        put("memory.max_usage_in_bytes", format!("{}\n", st.memory_peak));
                        put(
                            "memory.memsw.limit_in_bytes",
                            format!(
                                "{}\n",
                                match l.memory_swap {
                                    Some(sw) if sw > 0 => sw.to_string(),
                                    _ => V1_UNLIMITED.to_string(),
                                }
                            ),
                        );
                        put(
                            "memory.oom_control",
                            format!(
                                "oom_kill_disable {}\nunder_oom 0\noom_kill {}\n",
                                u8::from(l.oom_kill_disable),
                                st.oom_kills
                            ),
                        );
                        put(
                            "memory.soft_limit_in_bytes",
                            format!(
                                "{}\n",
                                l.memory_reservation
                                    .map_or(V1_UNLIMITED.to_string(), |m| m.to_string())
                            ),
                        );
                        put("memory.stat", format!("cache {}\nrss {}\ntotal_cache {}\ntotal_rss {}\ntotal_inactive_file {}\n", st.memory_cache, st.memory_usage - st.memory_cache, st.memory_cache, st.memory_usage - st.memory_cache, st.memory_cache));
                        put("memory.usage_in_bytes", format!("{}\n", st.memory_usage));
                    }
                    "cpu,cpuacct" | "cpu" | "cpuacct" => {
                        put(
                            "cpu.cfs_period_us",
                            format!("{}\n", l.cpu_period.unwrap_or(100_000)),
                        );
                        put(
                            "cpu.cfs_quota_us",
                            format!("{}\n", l.cpu_quota.unwrap_or(-1)),
                        );
                        put("cpu.shares", format!("{}\n", l.cpu_shares.unwrap_or(1024)));
                        put(
                            "cpu.stat",
                            format!(
                                "nr_periods 0\nnr_throttled 0\nthrottled_time {}\n",
                                st.throttled_ns
                            ),
                        );
                        put("cpuacct.usage", format!("{}\n", st.cpu_usage_ns));
                    }
                    "cpuset" => {
                        put(
                            "cpuset.cpus",
                            format!(
                                "{}\n",
                                l.cpuset_cpus.clone().unwrap_or_else(|| format!(
                                    "0-{}",
                                    self.config.cpus.saturating_sub(1)
                                ))
                            ),
                        );
                        put("cpuset.mems", "0\n".into());
                    }
                    "pids" => {
                        put("pids.current", format!("{}\n", st.pids_current));
                        put("pids.events", format!("max {}\n", st.pids_refused));
                        put("pids.max", format!("{}\n", max_or(st.pids_limit)));
                    }
                    "blkio" => {
                        put(
                            "blkio.weight",
                            format!("{}\n", l.blkio_weight.unwrap_or(500)),
                        );
                        put(
                            "blkio.throttle.io_service_bytes",
                            if st.blkio_write > 0 {
                                format!(
                                    "8:0 Read {}\n8:0 Write {}\n8:0 Total {}\nTotal {}\n",
                                    st.blkio_read,
                                    st.blkio_write,
                                    st.blkio_read + st.blkio_write,
                                    st.blkio_read + st.blkio_write
                                )
                            } else {
                                "Total 0\n".to_string()
                            },
                        );
                    }
                    "freezer" => {
                        put(
                            "freezer.state",
                            if st.frozen {
                                "FROZEN\n".into()
                            } else {
                                "THAWED\n".into()
                            },
                        );
                    }
                    _ => return None,
                }
            }
        }
        v.sort();
        Some(v)
    }
}

impl Kernel for SimKernel {
    fn name(&self) -> &'static str {
        "sim"
    }
    fn kernel_version(&self) -> String {
        self.config.kernel_release.clone()
    }
    fn cgroup_version(&self) -> u8 {
        self.config.cgroup_version
    }

    fn store_layer(&mut self, layer: &LayerSpec) -> Result<String, KernelError> {
        let dir = Self::layer_dir(&layer.diff_id);
        self.layers
            .entry(layer.diff_id.clone())
            .or_insert_with(|| (dir.clone(), layer.tree.clone()));
        Ok(format!("{dir}/diff"))
    }

    fn remove_layer(&mut self, diff_id: &str) -> Result<(), KernelError> {
        match self.layers.remove(diff_id) {
            Some(_) => Ok(()),
            None => Err(Self::err("remove layer", diff_id, "no such layer")),
        }
    }

    fn create_rw_layer(
        &mut self,
        container_id: &str,
        mount_id: &str,
        layers: &[String],
    ) -> Result<RootfsMount, KernelError> {
        let mut lowerdir = vec![format!("{DOCKER_ROOT}/overlay2/{mount_id}-init/diff")];
        for l in layers {
            let (dir, _) = self
                .layers
                .get(l)
                .ok_or_else(|| Self::err("mount overlay", l.as_str(), "layer not in the store"))?;
            lowerdir.push(format!("{dir}/diff"));
        }
        let base = format!("{DOCKER_ROOT}/overlay2/{mount_id}");
        let upperdir = format!("{base}/diff");
        let workdir = format!("{base}/work");
        let merged = format!("{base}/merged");
        let options = format!(
            "lowerdir={},upperdir={upperdir},workdir={workdir}",
            lowerdir.join(":")
        );
        let mount = RootfsMount {
            fstype: "overlay".into(),
            lowerdir,
            upperdir,
            workdir,
            merged,
            options,
        };
        let r = self
            .rootfs
            .entry(container_id.to_string())
            .or_insert_with(|| Rootfs {
                lower: layers.to_vec(),
                rw: Tree::default(),
                mount: mount.clone(),
                mounted: false,
                inner: false,
                mounts: Vec::new(),
                tmpfs: BTreeMap::new(),
                readonly: false,
            });
        Ok(r.mount.clone())
    }

    fn mount_rootfs(&mut self, container_id: &str) -> Result<RootfsMount, KernelError> {
        let r = self
            .rootfs
            .get_mut(container_id)
            .ok_or_else(|| Self::err("mount overlay", container_id, "no RW layer"))?;
        r.mounted = true;
        Ok(r.mount.clone())
    }

    fn unmount_rootfs(&mut self, container_id: &str) -> Result<(), KernelError> {
        let r = self
            .rootfs
            .get_mut(container_id)
            .ok_or_else(|| Self::err("umount", container_id, "not mounted"))?;
        r.mounted = false;
        r.inner = false;
        Ok(())
    }

    fn set_rootfs_readonly(
        &mut self,
        container_id: &str,
        readonly: bool,
    ) -> Result<(), KernelError> {
        let r = self
            .rootfs
            .get_mut(container_id)
            .ok_or_else(|| Self::err("mount", container_id, "no RW layer"))?;
        r.readonly = readonly;
        Ok(())
    }

    fn remove_rw_layer(&mut self, container_id: &str) -> Result<(), KernelError> {
        self.net.forget_container(container_id);
        self.rootfs
            .remove(container_id)
            .map(|_| ())
            .ok_or_else(|| Self::err("remove", container_id, "no RW layer"))
    }

    fn create_init(&mut self, spec: &InitSpec) -> Result<InitProcess, KernelError> {
        if let Some(r) = self.rootfs.get_mut(&spec.container_id) {
            // runc mounts these in the container's mount namespace (mount_container_fs);
            // the spec carries them from here.
            r.mounts = spec.mounts.clone();
            r.tmpfs = spec
                .mounts
                .iter()
                .filter(|m| m.kind == MountKind::Tmpfs)
                .map(|m| (normalize(&m.target), Tree::default()))
                .collect();
        }
        let root = self.cgroup_root();
        let cgroup_path = format!("{root}/{}", spec.cgroup);
        if self.cgroups.contains_key(&cgroup_path) {
            return Err(Self::err("mkdir", cgroup_path, "File exists"));
        }
        // The shim: containerd starts one per container; it parents the init process.
        let shim_pid = self.alloc_pid();
        let host: Vec<NsId> = HOST_NS
            .iter()
            .map(|&(kind, inode)| NsId { kind, inode })
            .collect();
        let sys_cg = if self.config.cgroup_version == 2 {
            "/sys/fs/cgroup/system.slice/containerd.service"
        } else {
            "/sys/fs/cgroup/systemd/system.slice/containerd.service"
        };
        self.insert_proc(
            shim_pid,
            Proc {
                ppid: 1,
                ns_pid: shim_pid,
                argv: vec![
                    "/usr/bin/containerd-shim-runc-v2".into(),
                    "-namespace".into(),
                    "moby".into(),
                    "-id".into(),
                    spec.container_id.clone(),
                    "-address".into(),
                    "/run/containerd/containerd.sock".into(),
                ],
                container: None,
                namespaces: host.clone(),
                cgroup: sys_cg.into(),
                hostname: self.config.hostname.clone(),
                state: ProcState::Running {
                    handlers: Vec::new(),
                    ignores_term: false,
                },
                ..Default::default()
            },
        );
        for ns in &host {
            *self.namespaces.entry(*ns).or_insert(0) += 1;
        }
        if let Some(cg) = self.cgroups.get_mut(sys_cg) {
            cg.procs.insert(shim_pid);
        }

        let mut writes = self.limit_writes(&spec.limits);

        let mut namespaces: Vec<NsId> = Vec::new();
        for &(kind, inode) in HOST_NS.iter() {
            let joined = spec.join.iter().find(|j| j.0 == kind).map(|j| j.1);
            let ns = if let Some(donor) = joined {
                self.procs
                    .get(&donor)
                    .and_then(|p| p.namespaces.iter().find(|n| n.kind == kind).copied())
                    .ok_or_else(|| {
                        Self::err(
                            "setns",
                            format!("/proc/{donor}/ns/{}", kind.proc_name()),
                            "No such process",
                        )
                    })?
            } else if spec.namespaces.contains(&kind) {
                let ns = self.new_ns(kind);
                if kind == NsKind::Net {
                    self.net
                        .add_netns(ns.inode, Some(spec.container_id.clone()));
                }
                ns
            } else {
                NsId { kind, inode }
            };
            namespaces.push(ns);
        }
        let host_pid = self.alloc_pid();
        let pid_ns = namespaces
            .iter()
            .find(|n| n.kind == NsKind::Pid)
            .map(|n| n.inode)
            .unwrap_or(4026531836);
        let ns_pid = if pid_ns == 4026531836 {
            host_pid
        } else {
            let next = self.ns_next_pid.entry(pid_ns).or_insert(1);
            let p = *next;
            *next += 1;
            p
        };
        writes.push(("cgroup.procs".to_string(), host_pid.to_string()));
        for ns in &namespaces {
            *self.namespaces.entry(*ns).or_insert(0) += 1;
        }
        self.cgroups.insert(
            cgroup_path.clone(),
            Cgroup {
                limits: spec.limits.clone(),
                procs: BTreeSet::from([host_pid]),
                acct: CgroupStats::default(),
                container: Some(spec.container_id.clone()),
            },
        );
        self.container_cgroups
            .insert(spec.container_id.clone(), cgroup_path.clone());
        self.main_pids.insert(host_pid);
        self.insert_proc(
            host_pid,
            Proc {
                ppid: shim_pid,
                ns_pid,
                argv: vec!["runc".into(), "init".into()],
                container: Some(spec.container_id.clone()),
                namespaces: namespaces.clone(),
                cgroup: cgroup_path.clone(),
                hostname: self.config.hostname.clone(),
                state: ProcState::Init,
                ..Default::default()
            },
        );
        if let Some(p) = self.procs.get_mut(&host_pid) {
            p.uid = spec.uid_offset;
            p.uid_offset = spec.uid_offset;
        }
        Ok(InitProcess {
            shim_pid,
            host_pid,
            ns_pid,
            namespaces,
            cgroup_path,
            cgroup_writes: writes,
        })
    }

    fn mount_container_fs(
        &mut self,
        pid: u32,
        container_id: &str,
    ) -> Result<Vec<std::borrow::Cow<'static, str>>, KernelError> {
        if !self.procs.contains_key(&pid) {
            return Err(Self::err(
                "mount",
                format!("/proc/{pid}"),
                "No such process",
            ));
        }
        let r = self
            .rootfs
            .get_mut(container_id)
            .ok_or_else(|| Self::err("mount", container_id, "root file system not mounted"))?;
        r.inner = true;
        Ok(CONTAINER_MOUNTS
            .iter()
            .map(|m| std::borrow::Cow::Borrowed(m.0))
            .chain(BIND_MOUNTS.iter().map(|b| std::borrow::Cow::Borrowed(b.0)))
            .collect())
    }

    fn pivot_root(&mut self, pid: u32, new_root: &str) -> Result<(), KernelError> {
        if !self.procs.contains_key(&pid) {
            return Err(Self::err("pivot_root", new_root, "No such process"));
        }
        Ok(())
    }

    fn set_hostname(&mut self, pid: u32, hostname: &str) -> Result<(), KernelError> {
        let p = self
            .procs
            .get_mut(&pid)
            .ok_or_else(|| Self::err("sethostname", hostname, "No such process"))?;
        p.hostname = hostname.to_string();
        Ok(())
    }

    fn exec(&mut self, pid: u32, spec: &ExecSpec, now: Time) -> Result<(), KernelError> {
        let proc_ = self
            .procs
            .get(&pid)
            .ok_or_else(|| Self::err("execve", spec.argv.join(" "), "No such process"))?;
        let container = proc_.container.clone().unwrap_or_default();
        let ns_pid = proc_.ns_pid;
        let hostname = proc_.hostname.clone();
        // The container's /etc/hostname is bind-mounted by Docker; add it to the view.
        let mut extra = Tree::default();
        extra.insert(
            "/etc/hostname",
            Node::file(
                0o644,
                hostname.len() as u64 + 1,
                Some(format!("{hostname}\n").into()),
            ),
        );
        // And /etc/hosts, /etc/resolv.conf (and /etc/hostname) as dockerd wrote them.
        for (target, file) in BIND_MOUNTS {
            if let Some(c) = self.net.file(&container, file) {
                extra.insert(
                    target,
                    Node::file(0o644, c.len() as u64, Some(c.to_string().into())),
                );
            }
        }
        let netns = self.netns_of(pid);
        let mut pending: Option<(String, Option<String>)> = None;
        let timeline = {
            let union = self
                .union_for(&container)
                .ok_or_else(|| Self::err("execve", container.as_str(), "no root file system"))?;
            let mut binds = union.binds;
            // Each file dockerd bind-mounts is a mount of its own over the image's.
            for (target, _) in BIND_MOUNTS {
                if extra.get(target).is_some() {
                    binds.push(Bind {
                        target: target.into(),
                        tree: &extra,
                        source: target.into(),
                        readonly: false,
                        store: Store::Container,
                    });
                }
            }
            let mut fs = Fs::new(Union {
                layers: union.layers,
                binds,
            });
            fs.readonly_root = self.rootfs.get(&container).is_some_and(|r| r.readonly);
            let mut ctx = ProcCtx {
                argv: spec.argv.clone(),
                env: spec.env.clone(),
                cwd: if spec.cwd.is_empty() {
                    "/".into()
                } else {
                    spec.cwd.clone()
                },
                hostname: hostname.clone(),
                fs,
                pid: ns_pid,
                uid: spec.user.parse().unwrap_or(0),
                kernel_release: self.config.kernel_release.clone(),
                binary: String::new(),
                now_secs: now.secs(),
                procs: self.ps_view(pid, &spec.argv),
                namespaces: self
                    .procs
                    .get(&pid)
                    .map(|p| p.namespaces.clone())
                    .unwrap_or_default(),
                cgroup_version: self.config.cgroup_version,
                mounts: self
                    .rootfs
                    .get(&container)
                    .map(|r| inner_mounts(&container, r))
                    .unwrap_or_default(),
                // Rendering every cgroup file costs more than the rest of an exec: only
                // for programs that can reach /sys (by path or working directory).
                cgroup_files: if spec
                    .argv
                    .iter()
                    .any(|a| a.contains("/sys") || a.contains("cgroup"))
                    || spec.cwd.starts_with("/sys")
                {
                    self.inner_cgroup_files(pid, now)
                } else {
                    Vec::new()
                },
                host_cpus: self.config.cpus,
                host_memory: self.config.memory_bytes,
                cpus_allowed: self.cpus_allowed(pid),
                interfaces: self.interfaces_of(pid),
                net: Some(crate::simnet::NetView {
                    net: &self.net,
                    netns,
                    container: (!container.is_empty()).then_some(container.as_str()),
                    now,
                    pid,
                }),
                uid_offset: self.procs.get(&pid).map(|p| p.uid_offset).unwrap_or(0),
                nofile: 1048576,
            };
            let argv0 = spec.argv.first().cloned().unwrap_or_default();
            let pristine = self.rootfs.get(&container).is_some_and(|r| r.rw.is_empty());
            let key = pristine.then(|| {
                let r = &self.rootfs[&container];
                let path = spec
                    .env
                    .iter()
                    .rev()
                    .find(|e| e.starts_with("PATH="))
                    .map(String::as_str)
                    .unwrap_or("");
                format!("{}|{path}|{}|{argv0}", r.lower.join(":"), ctx.cwd)
            });
            let cached = key.as_ref().and_then(|k| self.exec_cache.get(k).cloned());
            let found = match cached {
                Some(found) => found,
                None => {
                    let found = shell::lookup(&ctx, &argv0, &spec.env);
                    pending = key.map(|k| (k, found.clone()));
                    found
                }
            };
            let Some(binary) = found else {
                let message = if argv0.contains('/') {
                    format!("exec: \"{argv0}\": stat {argv0}: no such file or directory")
                } else {
                    format!("exec: \"{argv0}\": executable file not found in $PATH")
                };
                if let Some((k, v)) = pending.take() {
                    self.exec_cache.insert(k, v);
                }
                self.remove_proc(pid);
                return Err(KernelError {
                    op: "execve".into(),
                    path: argv0,
                    message,
                    exit_code: Some(127),
                });
            };
            ctx.binary = binary;
            shell::run(&ctx)
        };
        if let Some((k, v)) = pending {
            self.exec_cache.insert(k, v);
        }
        // The program's file changes land at once (a long-running program's too: its
        // timeline is evaluated here, so its writes are applied when it starts).
        self.apply_fs_changes(&container, &timeline.fs);
        let ignores_term = ns_pid == 1;
        self.settle(now);
        let uid_offset = self.procs.get(&pid).map(|p| p.uid_offset).unwrap_or(0);
        if let Some(p) = self.procs.get_mut(&pid) {
            p.argv = spec.argv.clone();
            p.state = ProcState::Running {
                handlers: timeline.handlers.clone(),
                ignores_term,
            };
            self.rss_total = self.rss_total - p.rss + timeline.load.rss;
            self.touched.insert(p.cgroup.clone());
            p.rss = timeline.load.rss;
            p.load = timeline.load.clone();
            p.on_child_killed = timeline.on_child_killed;
            p.bomb = timeline.forkbomb.clone();
            p.started = now;
            p.uid = uid_offset + spec.user.parse::<u32>().unwrap_or(0);
        }
        for (off, stream, text) in timeline.output {
            self.schedule(now.plus_nanos(off), pid, Timer::Output(stream, text));
        }
        for (off, target, stream, text) in timeline.deliveries {
            if target != pid && self.procs.contains_key(&target) {
                self.schedule(now.plus_nanos(off), target, Timer::Output(stream, text));
            }
        }
        for (off, proto, port, comm) in timeline.listens {
            // The program checked the port at bind time (and printed its error).
            self.net
                .listen(netns, proto, port, pid, &comm, now.plus_nanos(off));
        }
        if !timeline.app.is_empty() {
            self.net.set_app(pid, timeline.app);
        }
        for child in timeline.children {
            self.schedule(now.plus_nanos(child.at_ns), pid, Timer::Spawn(child));
        }
        let pid_ns = self.procs.get(&pid).and_then(pid_ns_of);
        for (off, target, sig) in timeline.kills {
            // The target is named by its PID in the sender's namespace.
            let host = pid_ns
                .and_then(|ns| self.pid_ns_members.get(&ns))
                .and_then(|m| {
                    m.iter()
                        .find(|q| self.procs.get(q).is_some_and(|p| p.ns_pid == target))
                })
                .copied();
            if let Some(h) = host {
                self.schedule(now.plus_nanos(off), pid, Timer::Signal(h, sig));
            }
        }
        if timeline.forkbomb.is_some() {
            self.schedule(now.plus_nanos(BOMB_GENERATION_NS), pid, Timer::Bomb);
        }
        self.reallocate();
        if let Ending::Exit(code) = timeline.ending {
            self.schedule(
                now.plus_nanos(timeline.end_at),
                pid,
                Timer::Exit(ExitStatus::Code(code)),
            );
        }
        Ok(())
    }

    fn spawn_in(
        &mut self,
        target: u32,
        spec: &ExecSpec,
        now: Time,
    ) -> Result<(u32, u32), KernelError> {
        let t =
            self.procs.get(&target).cloned().ok_or_else(|| {
                Self::err("setns", format!("/proc/{target}/ns"), "No such process")
            })?;
        if !self.may_fork(&t.cgroup) {
            // runc exec forks inside the cgroup: pids.max refuses it like any other fork.
            if let Some(cg) = self.cgroups.get_mut(&t.cgroup) {
                cg.acct.pids_refused += 1;
            }
            return Err(KernelError {
                op: "clone".into(),
                path: format!("{}/pids.max", t.cgroup),
                message: "read init-p: connection reset by peer".into(),
                exit_code: Some(126),
            });
        }
        let pid_ns = t
            .namespaces
            .iter()
            .find(|n| n.kind == NsKind::Pid)
            .map(|n| n.inode)
            .unwrap_or(4026531836);
        let (host_pid, ns_pid) = self.enter(pid_ns, &t.namespaces, &t.cgroup);
        self.insert_proc(
            host_pid,
            Proc {
                ppid: t.ppid,
                ns_pid,
                argv: vec!["runc".into(), "init".into()],
                container: t.container.clone(),
                namespaces: t.namespaces.clone(),
                cgroup: t.cgroup.clone(),
                hostname: t.hostname.clone(),
                state: ProcState::Init,
                uid: t.uid,
                uid_offset: t.uid_offset,
                ..Default::default()
            },
        );
        self.exec(host_pid, spec, now)?;
        // An exec'd process is not its namespace's init: signals act on it by default.
        if let Some(Proc {
            state: ProcState::Running { ignores_term, .. },
            ..
        }) = self.procs.get_mut(&host_pid)
        {
            *ignores_term = false;
        }
        Ok((host_pid, ns_pid))
    }

    fn signal(
        &mut self,
        pid: u32,
        signal: Signal,
        now: Time,
    ) -> Result<SignalOutcome, KernelError> {
        let p = self
            .procs
            .get(&pid)
            .ok_or_else(|| Self::err("kill", format!("/proc/{pid}"), "No such process"))?;
        let (handlers, ignores_term) = match &p.state {
            ProcState::Running {
                handlers,
                ignores_term,
            } => (handlers.clone(), *ignores_term),
            ProcState::Init => (Vec::new(), false),
        };
        if p.frozen && signal != Signal::Kill {
            // A frozen task handles signals when it is thawed; SIGKILL still kills it
            // (cgroup v2 lets fatal signals through the freezer).
            self.pending_signals.entry(pid).or_default().push(signal);
            return Ok(SignalOutcome::Delivered);
        }
        if signal == Signal::Kill {
            self.frozen_timers.remove(&pid);
            if let Some(p) = self.procs.get_mut(&pid) {
                p.frozen = false;
                self.touched.insert(p.cgroup.clone());
            }
        }
        if signal == Signal::Kill {
            self.cancel_timers(pid);
            self.schedule(now, pid, Timer::Exit(ExitStatus::Signaled(Signal::Kill)));
            return Ok(SignalOutcome::Delivered);
        }
        if let Some(h) = handlers.iter().find(|h| h.signal == signal) {
            self.cancel_timers(pid);
            if let Some((stream, text)) = &h.message {
                self.schedule(now, pid, Timer::Output(*stream, text.clone()));
            }
            self.schedule(
                now.plus_nanos(h.after_ns),
                pid,
                Timer::Exit(ExitStatus::Code(h.exit_code)),
            );
            return Ok(SignalOutcome::Delivered);
        }
        if ignores_term {
            return Ok(SignalOutcome::IgnoredByInit);
        }
        self.cancel_timers(pid);
        self.schedule(now, pid, Timer::Exit(ExitStatus::Signaled(signal)));
        Ok(SignalOutcome::Delivered)
    }

    fn advance(&mut self, now: Time) -> Vec<KernelEvent> {
        let mut events = Vec::new();
        loop {
            let timer = self.timers.keys().next().copied().filter(|k| k.0 <= now);
            let oom = self.oom_at.clone().filter(|(t, _)| *t <= now);
            match (timer, oom) {
                (None, None) => break,
                (Some(key), Some((t, _))) if key.0 <= t => self.fire(key, &mut events),
                (None, Some((t, path))) | (Some(_), Some((t, path))) => {
                    self.oom_kill(t, &path, &mut events)
                }
                (Some(key), None) => self.fire(key, &mut events),
            }
        }
        self.settle(now);
        events
    }

    fn next_event(&self) -> Option<Time> {
        let t = self.timers.keys().next().map(|k| k.0);
        let o = self.oom_at.as_ref().map(|(t, _)| *t);
        match (t, o) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn destroy_cgroup(&mut self, container_id: &str) -> Result<Vec<String>, KernelError> {
        let Some(path) = self.container_cgroups.get(container_id).cloned() else {
            return Ok(Vec::new());
        };
        if self
            .cgroups
            .get(&path)
            .is_some_and(|cg| !cg.procs.is_empty())
        {
            return Err(Self::err("rmdir", path, "Device or resource busy"));
        }
        self.cgroups.remove(&path);
        self.container_cgroups.remove(container_id);
        Ok(vec![path])
    }

    fn update_limits(
        &mut self,
        container_id: &str,
        limits: &CgroupLimits,
        now: Time,
    ) -> Result<Vec<(String, String)>, KernelError> {
        let path = self
            .container_cgroups
            .get(container_id)
            .cloned()
            .ok_or_else(|| Self::err("open", container_id, "no cgroup for the container"))?;
        if !self.cgroups.contains_key(&path) {
            return Err(Self::err("open", path, "No such file or directory"));
        }
        self.settle(now);
        let writes = self.limit_writes(limits);
        let bombs: Vec<u32> = self.cgroups[&path]
            .procs
            .iter()
            .filter(|q| self.procs.get(q).is_some_and(|p| p.bomb.is_some()))
            .copied()
            .collect();
        if let Some(cg) = self.cgroups.get_mut(&path) {
            cg.limits = limits.clone();
        }
        self.touched.insert(path.clone());
        // A fork bomb held back by pids.max tries again under the new limit.
        if let Some(&b) = bombs.first() {
            self.schedule(now.plus_nanos(BOMB_GENERATION_NS), b, Timer::Bomb);
        }
        self.reallocate();
        Ok(writes)
    }

    fn freeze(&mut self, container_id: &str, now: Time) -> Result<(String, String), KernelError> {
        let path = self
            .container_cgroups
            .get(container_id)
            .cloned()
            .ok_or_else(|| Self::err("write", container_id, "no cgroup for the container"))?;
        self.settle(now);
        let members: Vec<u32> = self
            .cgroups
            .get(&path)
            .map(|c| c.procs.iter().copied().collect())
            .unwrap_or_default();
        for q in members {
            let keys = self.timers_by_pid.remove(&q).unwrap_or_default();
            let mut held = Vec::new();
            for k in keys {
                if let Some((_, t)) = self.timers.remove(&k) {
                    held.push((k.0.since(now), t));
                }
            }
            if !held.is_empty() {
                self.frozen_timers.insert(q, held);
            }
            if let Some(p) = self.procs.get_mut(&q) {
                p.frozen = true;
            }
            self.net.set_frozen(q, true);
        }
        if let Some(cg) = self.cgroups.get_mut(&path) {
            cg.acct.frozen = true;
        }
        self.touched.insert(path.clone());
        self.reallocate();
        Ok(if self.config.cgroup_version == 2 {
            (format!("{path}/cgroup.freeze"), "1".into())
        } else {
            (freezer_path(&path), "FROZEN".into())
        })
    }

    fn thaw(&mut self, container_id: &str, now: Time) -> Result<(String, String), KernelError> {
        let path = self
            .container_cgroups
            .get(container_id)
            .cloned()
            .ok_or_else(|| Self::err("write", container_id, "no cgroup for the container"))?;
        self.settle(now);
        let members: Vec<u32> = self
            .cgroups
            .get(&path)
            .map(|c| c.procs.iter().copied().collect())
            .unwrap_or_default();
        for q in &members {
            if let Some(p) = self.procs.get_mut(q) {
                p.frozen = false;
            }
            self.net.set_frozen(*q, false);
            for (off, t) in self.frozen_timers.remove(q).unwrap_or_default() {
                self.schedule(now.plus_nanos(off), *q, t);
            }
        }
        if let Some(cg) = self.cgroups.get_mut(&path) {
            cg.acct.frozen = false;
        }
        self.touched.insert(path.clone());
        for q in members {
            for sig in self.pending_signals.remove(&q).unwrap_or_default() {
                let _ = Kernel::signal(self, q, sig, now);
            }
        }
        self.reallocate();
        Ok(if self.config.cgroup_version == 2 {
            (format!("{path}/cgroup.freeze"), "0".into())
        } else {
            (freezer_path(&path), "THAWED".into())
        })
    }

    fn cgroup_stats(&self, container_id: &str, now: Time) -> Option<CgroupStats> {
        let path = self.container_cgroups.get(container_id)?;
        self.stats_at(path, now)
    }

    fn cgroup_files(&self, path: &str, now: Time) -> Option<Vec<(String, String)>> {
        self.files_of(path, now)
    }

    fn host_name(&self) -> String {
        self.config.hostname.clone()
    }

    fn host_memory(&self) -> u64 {
        self.config.memory_bytes
    }

    fn view_cpus(&self) -> u32 {
        self.config.cpus
    }

    fn kmsg(&self) -> Vec<(Time, String)> {
        self.kmsg
            .iter()
            .map(|(t, m)| (Time(t.since(BOOT)), m.clone()))
            .collect()
    }

    // --- networking (crate::simnet) ---

    fn create_bridge(&mut self, spec: &BridgeSpec) -> Result<Vec<String>, KernelError> {
        self.net.create_bridge(spec)
    }
    fn delete_bridge(&mut self, name: &str) -> Result<Vec<String>, KernelError> {
        self.net.delete_bridge(name)
    }
    fn add_veth(&mut self, spec: &VethSpec) -> Result<VethInfo, KernelError> {
        if !self.procs.contains_key(&spec.pid) {
            return Err(Self::err(
                "ip link set",
                format!("netns {}", spec.pid),
                "No such process",
            ));
        }
        let ns = self.netns_of(spec.pid);
        self.net.add_veth(ns, spec)
    }
    fn remove_veth(&mut self, pid: u32, ifname: &str) -> Result<Vec<String>, KernelError> {
        if !self.procs.contains_key(&pid) {
            // The namespace went with its last process, and its veth pair with it:
            // nothing is left to delete (libnetwork tolerates this at endpoint leave).
            return Ok(Vec::new());
        }
        let ns = self.netns_of(pid);
        self.net.remove_veth(ns, ifname)
    }
    fn iptables(&mut self, op: &IptablesOp) -> Result<(), KernelError> {
        self.net.iptables(op)
    }
    fn iptables_rules(&self, table: &str) -> Vec<String> {
        self.net.rules(table)
    }
    fn dns_zone_update(
        &mut self,
        zone: &str,
        add: &[DnsRecord],
        remove: &[DnsRecord],
    ) -> Result<(), KernelError> {
        self.net.dns_zone_update(zone, add, remove);
        Ok(())
    }
    fn set_dns(
        &mut self,
        container_id: &str,
        zones: &[String],
        own: &[DnsRecord],
    ) -> Result<(), KernelError> {
        self.net.set_dns(container_id, zones, own);
        Ok(())
    }
    fn write_container_file(
        &mut self,
        container_id: &str,
        name: &str,
        content: &str,
    ) -> Result<(), KernelError> {
        if !matches!(name, "hosts" | "resolv.conf" | "hostname") {
            return Err(Self::err(
                "open",
                format!("{DOCKER_ROOT}/containers/{container_id}/{name}"),
                "not a file dockerd keeps",
            ));
        }
        self.net.write_file(container_id, name, content);
        Ok(())
    }
    fn netns(&self) -> Vec<NetNsInfo> {
        self.net.netns_info()
    }
    fn host_run(&mut self, argv: &[String], now: Time) -> Option<(String, String, i32)> {
        if argv.first().map(String::as_str) == Some("nsenter") {
            // `nsenter -t PID -n CMD`: the host's network programs in the target's
            // network namespace (other namespaces: host.rs's nsenter).
            let mut target = None;
            let mut net = false;
            let mut i = 1;
            while i < argv.len() {
                match argv[i].as_str() {
                    "-t" | "--target" => {
                        target = argv.get(i + 1).and_then(|p| p.parse::<u32>().ok());
                        i += 1;
                    }
                    "-n" | "--net" | "-a" | "--all" => net = true,
                    a if a.starts_with("--target=") => target = a[9..].parse().ok(),
                    a if a.starts_with('-') && !a.starts_with("--") && a.len() > 2 => {
                        if a.contains('n') || a.contains('a') {
                            net = true;
                        }
                        if let Some(p) = a.strip_prefix("-t") {
                            target = p.parse().ok();
                        }
                    }
                    a if a.starts_with('-') => {}
                    _ => break,
                }
                i += 1;
            }
            let pid = target.filter(|p| self.procs.contains_key(p))?;
            if !net || i >= argv.len() {
                return None;
            }
            let ns = self.netns_of(pid);
            return self.host_program(ns, &argv[i..], now);
        }
        self.host_program(crate::simnet::HOST_NETNS, argv, now)
    }
    fn host_resolv_conf(&self) -> String {
        format!("nameserver {}\n", crate::simnet::HOST_RESOLVER)
    }

    // --- volumes and bind mounts (issue 5: to be modelled) ---

    fn host_mkdir(&mut self, path: &str) -> Result<bool, KernelError> {
        let path = normalize(path);
        let mut created = false;
        let mut at = String::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            at.push('/');
            at.push_str(part);
            match self.host_fs.get(&at).map(|n| &n.kind) {
                Some(NodeKind::Dir { .. }) => {}
                Some(_) => return Err(Self::err("mkdir", at, "Not a directory")),
                None => {
                    self.host_fs.insert(&at, Node::dir(0o755));
                    created = true;
                }
            }
        }
        Ok(created)
    }
    fn host_stat(&self, path: &str) -> Option<bool> {
        let path = normalize(path);
        if path == "/" {
            return Some(true);
        }
        self.host_fs
            .get(&path)
            .map(|n| matches!(n.kind, NodeKind::Dir { .. }))
    }
    fn host_remove(&mut self, path: &str) -> Result<(), KernelError> {
        let path = normalize(path);
        let prefix = format!("{path}/");
        self.host_fs
            .entries
            .retain(|k, _| k != &path && !k.starts_with(&prefix));
        Ok(())
    }
    fn host_write(&mut self, path: &str, content: &str) -> Result<(), KernelError> {
        let path = normalize(path);
        let mode = match self.host_fs.get(&path).map(|n| &n.kind) {
            Some(NodeKind::Dir { .. }) => return Err(Self::err("open", path, "Is a directory")),
            Some(_) => self.host_fs.get(&path).map(|n| n.mode).unwrap_or(0o644),
            None => 0o644,
        };
        self.host_fs.insert(
            &path,
            Node::file(mode, content.len() as u64, Some(content.into())),
        );
        Ok(())
    }
    fn host_write_bytes(&mut self, path: &str, content: &[u8]) -> Result<(), KernelError> {
        // The model keeps file contents as text; the archives the engine writes (ASCII
        // tar headers around UTF-8 content) always are.
        match std::str::from_utf8(content) {
            Ok(text) => {
                let parent = normalize(path);
                let parent = parent.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                if !parent.is_empty() && self.host_stat(parent) != Some(true) {
                    return Err(Self::err(
                        "open",
                        normalize(path),
                        "No such file or directory",
                    ));
                }
                self.host_write(path, text)
            }
            Err(_) => Err(Self::err("write", normalize(path), "Invalid argument")),
        }
    }
    fn host_read_bytes(&self, path: &str) -> Option<Vec<u8>> {
        match self.host_fs.get(&normalize(path)).map(|n| &n.kind) {
            Some(NodeKind::File {
                content: Some(c), ..
            }) => Some(c.as_bytes().to_vec()),
            Some(NodeKind::File {
                size,
                content: None,
            }) => Some(vec![0; *size as usize]),
            _ => None,
        }
    }
    fn host_usage(&self, path: &str) -> u64 {
        let path = normalize(path);
        let prefix = format!("{path}/");
        self.host_fs
            .entries
            .range(path.clone()..)
            .take_while(|(k, _)| **k == path || k.starts_with(&prefix))
            .map(|(_, n)| n.size())
            .sum()
    }
    fn copy_image_path(
        &mut self,
        container_id: &str,
        target: &str,
        dest: &str,
    ) -> Result<u64, KernelError> {
        let target = normalize(target);
        let dest = normalize(dest);
        // copyExistingContents: only into an empty directory.
        let dest_prefix = format!("{dest}/");
        if self
            .host_fs
            .entries
            .range(dest_prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&dest_prefix))
        {
            return Ok(0);
        }
        let copied: Vec<(String, Node)> = {
            let Some(u) = self.union_for(container_id) else {
                return Err(Self::err("copy", target, "No such container"));
            };
            let mut out = Vec::new();
            let mut stack = vec![target.clone()];
            while let Some(dir) = stack.pop() {
                for name in u.read_dir(&dir) {
                    let p = format!("{}/{name}", dir.trim_end_matches('/'));
                    let Some(f) = u.lstat(&p) else { continue };
                    if matches!(f.node.kind, NodeKind::Dir { .. }) {
                        stack.push(p.clone());
                    }
                    let mut node = f.node.clone();
                    if let NodeKind::Dir { opaque } = &mut node.kind {
                        *opaque = false;
                    }
                    out.push((format!("{dest}{}", &p[target.len()..]), node));
                }
            }
            // The directory itself too: fs.CopyDir gives the volume's root the image
            // directory's owner and mode.
            if let Some(f) = u
                .lstat(&target)
                .filter(|f| matches!(f.node.kind, NodeKind::Dir { .. }))
            {
                let root = Node {
                    kind: NodeKind::Dir { opaque: false },
                    ..f.node.clone()
                };
                out.insert(0, (dest.clone(), root));
            }
            out
        };
        self.host_mkdir(&dest)?;
        let mut files = 0;
        for (p, n) in copied {
            if !matches!(n.kind, NodeKind::Dir { .. }) {
                files += 1;
            }
            self.host_fs.insert(&p, n);
        }
        Ok(files)
    }

    fn container_stat(&self, container_id: &str, path: &str, follow: bool) -> Option<bool> {
        let fs = Fs::new(self.union_for(container_id)?);
        let st = if follow {
            fs.resolve(path).map(|(_, s)| s)
        } else {
            fs.lstat(&fs.parent_resolved(path).ok()?)
        };
        st.map(|s| matches!(s.node.kind, NodeKind::Dir { .. }))
    }

    fn copy_out(
        &mut self,
        container_id: &str,
        src: &str,
        host_dest: &str,
    ) -> Result<Vec<(String, Node)>, KernelError> {
        let entries = {
            let u = self
                .union_for(container_id)
                .ok_or_else(|| Self::err("open", container_id, "no root file system"))?;
            let fs = Fs::new(u);
            let real = fs
                .parent_resolved(src)
                .map_err(|_| Self::err("lstat", src, "no such file or directory"))?;
            fs.subtree(&real)
                .ok_or_else(|| Self::err("lstat", src, "no such file or directory"))?
        };
        let dest = normalize(host_dest);
        let src_dir = entries
            .first()
            .is_some_and(|(_, n)| matches!(n.kind, NodeKind::Dir { .. }));
        if !src_dir {
            self.host_fs.remove_all(&dest);
        }
        for (rel, node) in &entries {
            let p = if rel.is_empty() {
                dest.clone()
            } else {
                normalize(&format!("{dest}/{rel}"))
            };
            let mut node = node.clone();
            if let NodeKind::Dir { opaque } = &mut node.kind {
                *opaque = false;
            }
            self.host_fs.insert(&p, node);
        }
        Ok(entries)
    }

    fn copy_in(
        &mut self,
        container_id: &str,
        host_src: &str,
        dest: &str,
    ) -> Result<Vec<(String, Node)>, KernelError> {
        let entries = Fs::new(Union::new(vec![&self.host_fs]))
            .subtree(host_src)
            .ok_or_else(|| Self::err("lstat", host_src, "no such file or directory"))?;
        let changes = {
            let fs = self
                .fs_for(container_id)
                .ok_or_else(|| Self::err("open", container_id, "no root file system"))?;
            for (rel, node) in &entries {
                let p = if rel.is_empty() {
                    normalize(dest)
                } else {
                    normalize(&format!("{dest}/{rel}"))
                };
                if let Err(e) = fs.create(&p, node.clone()) {
                    let message = match e {
                        crate::fs::FsError::ReadOnly => {
                            if fs.base.bind_of(&p).is_some() {
                                "mounted volume is marked read-only".to_string()
                            } else {
                                "container rootfs is marked read-only".to_string()
                            }
                        }
                        crate::fs::FsError::IsDir => {
                            "cannot overwrite directory with non-directory".into()
                        }
                        crate::fs::FsError::NotDir => {
                            "cannot overwrite non-directory with directory".into()
                        }
                        e => e.message().to_string(),
                    };
                    return Err(Self::err("extract", p, &message));
                }
            }
            fs.take_changes()
        };
        self.apply_fs_changes(container_id, &changes);
        Ok(entries)
    }

    fn host_tree(&self, path: &str) -> Option<(&Tree, String)> {
        let path = normalize(path);
        if let Some(rest) = path.strip_prefix(&format!("{DOCKER_ROOT}/overlay2/")) {
            let (dir, sub) = rest.split_once('/').unwrap_or((rest, ""));
            if let Some(inner) = sub
                .strip_prefix("diff")
                .filter(|s| s.is_empty() || s.starts_with('/'))
            {
                let upper = format!("{DOCKER_ROOT}/overlay2/{dir}/diff");
                if let Some(r) = self.rootfs.values().find(|r| r.mount.upperdir == upper) {
                    return Some((&r.rw, normalize(inner)));
                }
                let layer_dir = format!("{DOCKER_ROOT}/overlay2/{dir}");
                if let Some((_, t)) = self.layers.values().find(|(d, _)| *d == layer_dir) {
                    return Some((t, normalize(inner)));
                }
            }
        }
        Some((&self.host_fs, path))
    }

    fn take_fs_events(&mut self) -> Vec<String> {
        std::mem::take(&mut self.fs_events)
    }

    fn rw_layer(&self, container_id: &str) -> Option<&Tree> {
        self.rootfs.get(container_id).map(|r| &r.rw)
    }

    fn view(&self) -> KernelView {
        KernelView {
            processes: self
                .procs
                .iter()
                .map(|(&pid, p)| ProcessInfo {
                    host_pid: pid,
                    ppid: p.ppid,
                    ns_pid: p.ns_pid,
                    argv: p.argv.clone(),
                    container: p.container.clone(),
                    namespaces: p.namespaces.clone(),
                    cgroup: p.cgroup.clone(),
                    uid: p.uid,
                    cpu_millis: p.cpu_alloc / 1000,
                    rss: p.rss,
                    frozen: p.frozen,
                })
                .collect(),
            namespaces: self.namespaces.keys().copied().collect(),
            cgroups: self
                .cgroups
                .iter()
                .map(|(path, c)| CgroupInfo {
                    path: path.clone(),
                    limits: c.limits.clone(),
                    procs: c.procs.iter().copied().collect(),
                    stats: self.stats_at(path, self.acct_at).unwrap_or_default(),
                })
                .collect(),
            mounts: self
                .rootfs
                .iter()
                .filter(|(_, r)| r.mounted)
                .flat_map(|(id, r)| {
                    let mut v = vec![MountInfo {
                        container: id.clone(),
                        target: r.mount.merged.clone(),
                        fstype: "overlay".into(),
                        options: r.mount.options.clone(),
                        readonly: false,
                    }];
                    if r.inner {
                        v.extend(inner_mounts(id, r));
                    }
                    v
                })
                .collect(),
            netns: self.net.netns_info(),
        }
    }

    fn digest_into(&self, out: &mut dyn FnMut(&[u8])) {
        let view = self.view();
        if let Ok(bytes) = serde_json::to_vec(&view) {
            out(&bytes);
        }
        for (k, (pid, t)) in &self.timers {
            out(format!("timer {} {} {pid} {t:?}\n", k.0 .0, k.1).as_bytes());
        }
        for (id, r) in &self.rootfs {
            out(format!("rootfs {id} {} {}\n", r.mounted, r.rw.len()).as_bytes());
            if let Ok(bytes) = serde_json::to_vec(&r.rw) {
                out(&bytes);
            }
        }
        for d in self.layers.keys() {
            out(d.as_bytes());
        }
        if let Ok(bytes) = serde_json::to_vec(&self.host_fs) {
            out(&bytes);
        }
        out(format!("next {} {}\n", self.next_pid, self.next_inode).as_bytes());
        out(format!(
            "acct {} oom {:?} main {:?}\n",
            self.acct_at.0, self.oom_at, self.main_pids
        )
        .as_bytes());
        for (pid, held) in &self.frozen_timers {
            out(format!("frozen {pid} {held:?}\n").as_bytes());
        }
        for (pid, sigs) in &self.pending_signals {
            out(format!("pending {pid} {sigs:?}\n").as_bytes());
        }
        for (t, m) in &self.kmsg {
            out(format!("kmsg {} {m}\n", t.0).as_bytes());
        }
        self.net.digest_into(out);
    }
}
