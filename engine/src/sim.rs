//! `SimKernel`: the [`Kernel`] modelled in memory. A process table with per-PID-namespace
//! numbers, namespaces with inode numbers, a cgroup tree, overlay unions of in-memory
//! layer trees, and timers that play each program's timeline over virtual time.

use crate::fs::{Node, Tree, Union};
use crate::kernel::*;
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
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            hostname: "porthole".into(),
            kernel_release: "6.8.0-50-generic".into(),
            cpus: 4,
            memory_bytes: 8 << 30,
            cgroup_version: 2,
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

#[derive(Clone, Debug, Serialize, Deserialize)]
enum ProcState {
    /// `runc init`, waiting for `runc start`.
    Init,
    Running {
        handlers: Vec<Handler>,
        ignores_term: bool,
    },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Proc {
    ppid: u32,
    ns_pid: u32,
    argv: Vec<String>,
    container: Option<String>,
    namespaces: Vec<NsId>,
    cgroup: String,
    hostname: String,
    state: ProcState,
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
    };
    let mut v = vec![m(
        "/",
        "overlay",
        format!("rw,relatime,{}", r.mount.options),
    )];
    v.extend(
        CONTAINER_MOUNTS
            .iter()
            .map(|(t, f, o)| m(t, f, o.to_string())),
    );
    v.extend(BIND_MOUNTS.iter().map(|(t, file)| {
        m(
            t,
            "bind",
            format!("{DOCKER_ROOT}/containers/{container_id}/{file}"),
        )
    }));
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
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Cgroup {
    limits: CgroupLimits,
    procs: BTreeSet<u32>,
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
}

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
            timers: BTreeMap::new(),
            timers_by_pid: BTreeMap::new(),
            timer_seq: 0,
            container_cgroups: BTreeMap::new(),
            pid_ns_members: BTreeMap::new(),
            exec_cache: BTreeMap::new(),
            containerd_pid: 0,
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
        if let Some(ns) = pid_ns_of(&p) {
            self.pid_ns_members.entry(ns).or_default().insert(pid);
        }
        self.procs.insert(pid, p);
    }

    fn remove_proc(&mut self, pid: u32) {
        if let Some(p) = self.procs.remove(&pid) {
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
                    }
                }
            }
            if let Some(cg) = self.cgroups.get_mut(&p.cgroup) {
                cg.procs.remove(&pid);
            }
        }
        self.cancel_timers(pid);
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
        self.cgroup_files(&p.cgroup, now).unwrap_or_default()
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

    /// The interfaces of `pid`'s network namespace.
    fn interfaces_of(&self, pid: u32) -> Vec<shell::Interface> {
        let _ = pid;
        vec![shell::Interface {
            index: 1,
            name: "lo".into(),
            peer_index: None,
            mac: "00:00:00:00:00:00".into(),
            mtu: 65536,
            ipv4: Some(("127.0.0.1".into(), 8)),
            gateway: None,
            up: true,
        }]
    }

    fn union_for(&self, container_id: &str) -> Option<Union<'_>> {
        let r = self.rootfs.get(container_id)?;
        let mut layers: Vec<&Tree> = vec![&r.rw];
        for l in &r.lower {
            layers.push(&self.layers.get(l)?.1);
        }
        Some(Union::new(layers))
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

    fn remove_rw_layer(&mut self, container_id: &str) -> Result<(), KernelError> {
        self.rootfs
            .remove(container_id)
            .map(|_| ())
            .ok_or_else(|| Self::err("remove", container_id, "no RW layer"))
    }

    fn create_init(&mut self, spec: &InitSpec) -> Result<InitProcess, KernelError> {
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
            },
        );
        for ns in &host {
            *self.namespaces.entry(*ns).or_insert(0) += 1;
        }
        if let Some(cg) = self.cgroups.get_mut(sys_cg) {
            cg.procs.insert(shim_pid);
        }

        let mut writes = Vec::new();
        let l = &spec.limits;
        if self.config.cgroup_version == 2 {
            if let Some(m) = l.memory {
                writes.push(("memory.max".to_string(), m.to_string()));
            }
            if let Some(s) = l.cpu_shares {
                // runc's conversion from cgroup v1 shares to v2 weight.
                let w = 1 + ((s.max(2) - 2) * 9999) / 262_142;
                writes.push(("cpu.weight".to_string(), w.to_string()));
            }
            if l.cpu_quota.is_some() || l.cpu_period.is_some() {
                let quota = match l.cpu_quota {
                    Some(q) if q > 0 => q.to_string(),
                    _ => "max".to_string(),
                };
                writes.push((
                    "cpu.max".to_string(),
                    format!("{quota} {}", l.cpu_period.unwrap_or(100_000)),
                ));
            }
            if let Some(p) = l.pids {
                writes.push((
                    "pids.max".to_string(),
                    if p <= 0 { "max".into() } else { p.to_string() },
                ));
            }
        } else {
            if let Some(m) = l.memory {
                writes.push(("memory.limit_in_bytes".to_string(), m.to_string()));
            }
            if let Some(s) = l.cpu_shares {
                writes.push(("cpu.shares".to_string(), s.to_string()));
            }
            if let Some(p) = l.cpu_period {
                writes.push(("cpu.cfs_period_us".to_string(), p.to_string()));
            }
            if let Some(q) = l.cpu_quota {
                writes.push(("cpu.cfs_quota_us".to_string(), q.to_string()));
            }
            if let Some(p) = l.pids {
                writes.push((
                    "pids.max".to_string(),
                    if p <= 0 { "max".into() } else { p.to_string() },
                ));
            }
        }

        let namespaces: Vec<NsId> = HOST_NS
            .iter()
            .map(|&(kind, inode)| {
                if spec.namespaces.contains(&kind) {
                    self.new_ns(kind)
                } else {
                    NsId { kind, inode }
                }
            })
            .collect();
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
            },
        );
        self.container_cgroups
            .insert(spec.container_id.clone(), cgroup_path.clone());
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
            },
        );
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
        let mut pending: Option<(String, Option<String>)> = None;
        let timeline = {
            let union = self
                .union_for(&container)
                .ok_or_else(|| Self::err("execve", container.as_str(), "no root file system"))?;
            let mut layers = vec![&extra];
            layers.extend(union.layers.iter().copied());
            let fs = Union::new(layers);
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
                cgroup_files: self.inner_cgroup_files(pid, now),
                host_cpus: self.config.cpus,
                host_memory: self.config.memory_bytes,
                cpus_allowed: self.cpus_allowed(pid),
                interfaces: self.interfaces_of(pid),
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
        let ignores_term = ns_pid == 1;
        if let Some(p) = self.procs.get_mut(&pid) {
            p.argv = spec.argv.clone();
            p.state = ProcState::Running {
                handlers: timeline.handlers.clone(),
                ignores_term,
            };
        }
        for (off, stream, text) in timeline.output {
            self.schedule(now.plus_nanos(off), pid, Timer::Output(stream, text));
        }
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
        let pid_ns = t
            .namespaces
            .iter()
            .find(|n| n.kind == NsKind::Pid)
            .map(|n| n.inode)
            .unwrap_or(4026531836);
        let host_pid = self.alloc_pid();
        let ns_pid = if pid_ns == 4026531836 {
            host_pid
        } else {
            let next = self.ns_next_pid.entry(pid_ns).or_insert(2);
            let p = *next;
            *next += 1;
            p
        };
        for ns in &t.namespaces {
            *self.namespaces.entry(*ns).or_insert(0) += 1;
        }
        if let Some(cg) = self.cgroups.get_mut(&t.cgroup) {
            cg.procs.insert(host_pid);
        }
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
        while let Some((&key, _)) = self.timers.iter().next() {
            if key.0 > now {
                break;
            }
            let Some((pid, timer)) = self.timers.remove(&key) else {
                break;
            };
            if let Some(set) = self.timers_by_pid.get_mut(&pid) {
                set.remove(&key);
                if set.is_empty() {
                    self.timers_by_pid.remove(&pid);
                }
            }
            match timer {
                Timer::Output(stream, text) => events.push(KernelEvent::Output {
                    pid,
                    time: key.0,
                    stream,
                    text,
                }),
                Timer::Exit(status) => {
                    let Some(p) = self.procs.get(&pid) else {
                        continue;
                    };
                    let (shim, is_init) = (p.ppid, p.ns_pid == 1 && p.container.is_some());
                    let pid_ns = p
                        .namespaces
                        .iter()
                        .find(|n| n.kind == NsKind::Pid)
                        .map(|n| n.inode);
                    self.remove_proc(pid);
                    events.push(KernelEvent::Exited {
                        pid,
                        time: key.0,
                        status,
                    });
                    if is_init {
                        // The PID namespace dies with its init: the kernel SIGKILLs the rest.
                        let rest: Vec<u32> = pid_ns
                            .and_then(|ns| self.pid_ns_members.get(&ns))
                            .map(|m| m.iter().copied().collect())
                            .unwrap_or_default();
                        for q in rest {
                            self.remove_proc(q);
                            events.push(KernelEvent::Exited {
                                pid: q,
                                time: key.0,
                                status: ExitStatus::Signaled(Signal::Kill),
                            });
                        }
                        // The shim reaps its child and exits with it.
                        if shim != self.containerd_pid && shim != 1 {
                            self.remove_proc(shim);
                        }
                    }
                }
            }
        }
        events
    }

    fn next_event(&self) -> Option<Time> {
        self.timers.keys().next().map(|k| k.0)
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
        let _ = now;
        let path = self
            .container_cgroups
            .get(container_id)
            .cloned()
            .ok_or_else(|| Self::err("open", container_id, "no cgroup for the container"))?;
        let cg = self
            .cgroups
            .get_mut(&path)
            .ok_or_else(|| Self::err("open", path.as_str(), "No such file or directory"))?;
        cg.limits = limits.clone();
        Ok(Vec::new())
    }

    fn freeze(&mut self, container_id: &str, now: Time) -> Result<(String, String), KernelError> {
        let _ = (container_id, now);
        Err(Self::err("write", container_id, "freezer not modelled yet"))
    }

    fn thaw(&mut self, container_id: &str, now: Time) -> Result<(String, String), KernelError> {
        let _ = (container_id, now);
        Err(Self::err("write", container_id, "freezer not modelled yet"))
    }

    fn cgroup_stats(&self, container_id: &str, now: Time) -> Option<CgroupStats> {
        let _ = now;
        let path = self.container_cgroups.get(container_id)?;
        let cg = self.cgroups.get(path)?;
        Some(CgroupStats {
            memory_limit: cg.limits.memory.unwrap_or(self.config.memory_bytes),
            pids_current: cg.procs.len() as u64,
            pids_limit: cg.limits.pids.filter(|p| *p > 0).map(|p| p as u64),
            ..Default::default()
        })
    }

    fn cgroup_files(&self, path: &str, now: Time) -> Option<Vec<(String, String)>> {
        let _ = now;
        let cg = self.cgroups.get(path)?;
        let mut v = vec![(
            "cgroup.procs".to_string(),
            cg.procs
                .iter()
                .map(|p| format!("{p}\n"))
                .collect::<String>(),
        )];
        v.sort();
        Some(v)
    }

    fn kmsg(&self) -> Vec<(Time, String)> {
        Vec::new()
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
                    uid: 0,
                    cpu_millis: 0,
                    rss: 0,
                    frozen: false,
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
                    stats: CgroupStats::default(),
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
                    }];
                    if r.inner {
                        v.extend(inner_mounts(id, r));
                    }
                    v
                })
                .collect(),
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
        out(format!("next {} {}\n", self.next_pid, self.next_inode).as_bytes());
    }
}
