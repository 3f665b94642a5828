//! The seam between what Docker decides and what the kernel does.
//!
//! The daemon logic (`crate::daemon`) calls a [`Kernel`] for every effect, in the order
//! runc performs them. [`crate::sim::SimKernel`] models them in memory; the native
//! backend's `LinuxKernel` performs them with real syscalls. The kernel is passed in
//! explicitly (`Engine::new(seed, kernel)`): there is no hidden switch.

use crate::fs::{Node, Tree};
use crate::time::Time;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// The namespace types runc can unshare, in the order `lsns` lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NsKind {
    Mnt,
    Uts,
    Ipc,
    Pid,
    Net,
    Cgroup,
    User,
}

impl NsKind {
    /// The namespaces Docker gives every container by default (user only with userns-remap).
    pub const CONTAINER_DEFAULT: [NsKind; 6] = [
        NsKind::Mnt,
        NsKind::Uts,
        NsKind::Ipc,
        NsKind::Pid,
        NsKind::Net,
        NsKind::Cgroup,
    ];

    /// The name in /proc/PID/ns/.
    pub fn proc_name(self) -> &'static str {
        match self {
            NsKind::Mnt => "mnt",
            NsKind::Uts => "uts",
            NsKind::Ipc => "ipc",
            NsKind::Pid => "pid",
            NsKind::Net => "net",
            NsKind::Cgroup => "cgroup",
            NsKind::User => "user",
        }
    }
    /// The clone(2) flag that creates it.
    pub fn clone_flag(self) -> &'static str {
        match self {
            NsKind::Mnt => "CLONE_NEWNS",
            NsKind::Uts => "CLONE_NEWUTS",
            NsKind::Ipc => "CLONE_NEWIPC",
            NsKind::Pid => "CLONE_NEWPID",
            NsKind::Net => "CLONE_NEWNET",
            NsKind::Cgroup => "CLONE_NEWCGROUP",
            NsKind::User => "CLONE_NEWUSER",
        }
    }
}

/// A namespace as the kernel names it: its type and inode (`pid:[4026532198]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NsId {
    pub kind: NsKind,
    pub inode: u64,
}

impl fmt::Display for NsId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:[{}]", self.kind.proc_name(), self.inode)
    }
}

/// The limits Docker writes into a container's cgroup, in the kernel's terms (the
/// daemon has already turned `--cpus` into a CFS period and quota).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CgroupLimits {
    /// Bytes; None = unlimited (memory.max / memory.limit_in_bytes).
    pub memory: Option<u64>,
    /// Memory + swap in bytes, as Docker counts it (`--memory-swap`); -1 = unlimited swap.
    pub memory_swap: Option<i64>,
    /// The soft limit (memory.low / memory.soft_limit_in_bytes).
    pub memory_reservation: Option<u64>,
    /// v1 only (memory.oom_control); cgroup v2 has no way to disable the OOM killer.
    pub oom_kill_disable: bool,
    /// Relative weight in cgroup v1 units (1024 = default).
    pub cpu_shares: Option<u64>,
    /// CFS bandwidth: `quota` µs of CPU time per `period` µs.
    pub cpu_period: Option<u64>,
    pub cpu_quota: Option<i64>,
    /// `0-3`, `0,1`.
    pub cpuset_cpus: Option<String>,
    /// pids.max; <= 0 = unlimited.
    pub pids: Option<i64>,
    /// Block I/O weight, 10..=1000.
    pub blkio_weight: Option<u16>,
}

/// What a cgroup has used, as its files report it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CgroupStats {
    /// memory.current (anon + page cache), bytes.
    pub memory_usage: u64,
    /// Of which page cache (reclaimable; `docker stats` leaves it out).
    pub memory_cache: u64,
    /// The effective limit: memory.max, or the host's memory when unlimited.
    pub memory_limit: u64,
    /// The highest usage seen (memory.peak / max_usage_in_bytes).
    pub memory_peak: u64,
    /// Total CPU time used, in nanoseconds (cpu.stat usage_usec × 1000).
    pub cpu_usage_ns: u64,
    /// CPUs in use right now (1000 = one whole CPU busy).
    pub cpu_millis: u64,
    /// Time throttled by the CFS quota, in nanoseconds.
    pub throttled_ns: u64,
    pub pids_current: u64,
    /// pids.max, None = max.
    pub pids_limit: Option<u64>,
    /// Block I/O bytes read and written.
    pub blkio_read: u64,
    pub blkio_write: u64,
    /// OOM kills in this cgroup (memory.events oom_kill).
    pub oom_kills: u64,
    /// Forks refused by pids.max (pids.events max).
    pub pids_refused: u64,
    /// Network bytes received and sent by the container's interfaces.
    pub net_rx: u64,
    pub net_tx: u64,
    pub frozen: bool,
}

/// How a container gets each namespace: a new one, the host's, or another process's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NsSource {
    New,
    Host,
    /// setns(2) into the namespace of this (host) PID: `--pid container:NAME` etc.
    Join(u32),
}

/// What runc is asked to create: the container's init process and its world.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitSpec {
    /// The 64-hex container ID (names the cgroup, the rootfs directories, the shim).
    pub container_id: String,
    /// Namespaces to create; any kind not listed is shared with the host, unless `join`
    /// names a process whose namespace of that kind to enter.
    pub namespaces: Vec<NsKind>,
    /// Namespaces to enter (setns) instead: (kind, host PID of a process in it).
    #[serde(default)]
    pub join: Vec<(NsKind, u32)>,
    /// With userns-remap: container root is this host UID (0 = no remapping).
    #[serde(default)]
    pub uid_offset: u32,
    /// The cgroup path, relative to the cgroup the daemon runs in (`docker/<id>`).
    pub cgroup: String,
    pub limits: CgroupLimits,
    /// Volumes, bind mounts and tmpfs, mounted by `mount_container_fs` after the
    /// standard mounts, in this order.
    #[serde(default)]
    pub mounts: Vec<MountSpec>,
}

/// What the kernel created for a container's init process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitProcess {
    /// containerd-shim-runc-v2, the init process's parent.
    pub shim_pid: u32,
    pub host_pid: u32,
    /// Its PID in its own PID namespace (1 for a new one).
    pub ns_pid: u32,
    /// Every namespace it is in, new or shared, in `NsKind` order.
    pub namespaces: Vec<NsId>,
    /// The full cgroup path, e.g. `/sys/fs/cgroup/docker/<id>` (v2).
    pub cgroup_path: String,
    /// The files written, with their values, in the order written.
    pub cgroup_writes: Vec<(String, String)>,
}

/// An image layer as the kernel's store needs it.
#[derive(Clone, Debug)]
pub struct LayerSpec {
    /// `sha256:…` diff ID of the uncompressed layer.
    pub diff_id: String,
    pub tree: Arc<Tree>,
}

/// The container's root filesystem, as mounted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootfsMount {
    pub fstype: String,
    /// Image layer directories, top first (lowerdir order).
    pub lowerdir: Vec<String>,
    pub upperdir: String,
    pub workdir: String,
    pub merged: String,
    /// The full mount option string passed to mount(2).
    pub options: String,
}

/// The process to exec as the container's PID 1 (or later by `docker exec`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecSpec {
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
    pub user: String,
    pub hostname: String,
    pub tty: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Something that happened in the kernel as time passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KernelEvent {
    Output {
        pid: u32,
        time: Time,
        stream: Stream,
        text: String,
    },
    Exited {
        pid: u32,
        time: Time,
        status: ExitStatus,
    },
    /// The memory cgroup's OOM killer chose `victim` (host PID); an `Exited` follows.
    Oom {
        time: Time,
        cgroup: String,
        container: Option<String>,
        victim: u32,
        /// The victim's command name and resident memory when killed.
        comm: String,
        rss: u64,
        /// memory.max at the time.
        limit: u64,
    },
}

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExitStatus {
    Code(i32),
    Signaled(Signal),
}

impl ExitStatus {
    /// The exit code Docker reports: the code, or 128 + the signal number.
    pub fn docker_code(self) -> i32 {
        match self {
            ExitStatus::Code(c) => c,
            ExitStatus::Signaled(s) => 128 + s.number(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Signal {
    Hup,
    Int,
    Quit,
    Kill,
    Usr1,
    Usr2,
    Term,
}

impl Signal {
    pub fn number(self) -> i32 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Quit => 3,
            Signal::Kill => 9,
            Signal::Usr1 => 10,
            Signal::Usr2 => 12,
            Signal::Term => 15,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Signal::Hup => "SIGHUP",
            Signal::Int => "SIGINT",
            Signal::Quit => "SIGQUIT",
            Signal::Kill => "SIGKILL",
            Signal::Usr1 => "SIGUSR1",
            Signal::Usr2 => "SIGUSR2",
            Signal::Term => "SIGTERM",
        }
    }
    /// Parses `TERM`, `SIGTERM`, `15`, case-insensitively, as `docker kill -s` does.
    pub fn parse(s: &str) -> Option<Signal> {
        let up = s.to_ascii_uppercase();
        let name = up.strip_prefix("SIG").unwrap_or(&up);
        Some(match name {
            "HUP" | "1" => Signal::Hup,
            "INT" | "2" => Signal::Int,
            "QUIT" | "3" => Signal::Quit,
            "KILL" | "9" => Signal::Kill,
            "USR1" | "10" => Signal::Usr1,
            "USR2" | "12" => Signal::Usr2,
            "TERM" | "15" => Signal::Term,
            _ => return None,
        })
    }
}

/// What happened when a signal was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignalOutcome {
    /// The process has a handler or the default action applies: it will exit.
    Delivered,
    /// PID 1 of a PID namespace ignores signals it installed no handler for (all but
    /// SIGKILL, which the kernel delivers from the parent namespace regardless).
    IgnoredByInit,
}

/// A kernel operation that failed: the operation, the path it acted on, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelError {
    pub op: String,
    pub path: String,
    pub message: String,
    /// For exec failures: the exit code the OCI runtime reports (127 not found, 126 not
    /// executable).
    #[serde(default)]
    pub exit_code: Option<i32>,
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.op, self.path, self.message)
    }
}

impl std::error::Error for KernelError {}

/// A process as `ps` on the host would list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessInfo {
    pub host_pid: u32,
    pub ppid: u32,
    /// PID in its own PID namespace.
    pub ns_pid: u32,
    pub argv: Vec<String>,
    /// The container it belongs to, if any.
    pub container: Option<String>,
    pub namespaces: Vec<NsId>,
    pub cgroup: String,
    /// Host UID it runs as (with userns-remap, container root maps to a high UID).
    #[serde(default)]
    pub uid: u32,
    /// CPUs it uses right now (1000 = one CPU) and its resident memory in bytes.
    #[serde(default)]
    pub cpu_millis: u64,
    #[serde(default)]
    pub rss: u64,
    /// Stopped by the freezer (`docker pause`).
    #[serde(default)]
    pub frozen: bool,
}

/// The kernel's observable state, for snapshots and views.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelView {
    pub processes: Vec<ProcessInfo>,
    pub namespaces: Vec<NsId>,
    pub cgroups: Vec<CgroupInfo>,
    pub mounts: Vec<MountInfo>,
    /// The network namespaces with their interfaces and sockets, the host's first.
    #[serde(default)]
    pub netns: Vec<NetNsInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CgroupInfo {
    pub path: String,
    pub limits: CgroupLimits,
    pub procs: Vec<u32>,
    #[serde(default)]
    pub stats: CgroupStats,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountInfo {
    pub container: String,
    pub target: String,
    pub fstype: String,
    /// For `bind` (Docker's files, volumes, bind mounts): the host source path.
    pub options: String,
    /// A read-only mount (`:ro`, `readonly`): `mount` shows `ro,…`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub readonly: bool,
}

// ---------------------------------------------------------------------------------------
// Networking: what libnetwork asks of netlink and iptables (issue 5).
// ---------------------------------------------------------------------------------------

/// A Linux bridge dockerd creates for a bridge network (`docker0`, `br-<12 hex>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgeSpec {
    /// The interface name: `docker0` for the default network, `br-` + 12 hex of the
    /// network ID for user-defined ones.
    pub name: String,
    /// The gateway address the bridge carries, and the subnet's prefix length.
    pub address: String,
    pub prefix: u8,
    /// The bridge's MAC (random, locally administered).
    pub mac: String,
    pub mtu: u32,
}

/// One endpoint: a veth pair whose one end becomes `ifname` in the container's network
/// namespace and whose other end is enslaved to `bridge` on the host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VethSpec {
    pub container_id: String,
    /// A process in the target network namespace (the container's init).
    pub pid: u32,
    pub bridge: String,
    /// The host end's name: `veth` + 7 hex.
    pub host_ifname: String,
    /// The name inside the container (`eth0`, `eth1`, …).
    pub ifname: String,
    pub mac: String,
    pub address: String,
    pub prefix: u8,
    /// The default route's gateway (None: no default route through this interface, as
    /// for an `--internal` network).
    pub gateway: Option<String>,
    pub mtu: u32,
}

/// What the kernel made for an endpoint, with the netlink operations in order (for the
/// trace): `ip link add …`, `ip link set … netns …`, `ip addr add …`, `ip route add …`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VethInfo {
    /// Interface index of the host end (in the host's netns) and of the container end
    /// (in the container's netns): `eth0@if7` / `veth1a2b3c4@if6`.
    pub host_index: u32,
    pub container_index: u32,
    pub ops: Vec<String>,
}

/// An iptables rule as `iptables -t TABLE -S` prints it, without the `-A CHAIN` part:
/// `["-d", "172.17.0.2/32", "!", "-i", "docker0", "-o", "docker0", "-p", "tcp", "-m",
/// "tcp", "--dport", "80", "-j", "ACCEPT"]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Rule {
    /// `filter` or `nat`.
    pub table: String,
    pub chain: String,
    pub args: Vec<String>,
}

/// How to change an iptables chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IptablesOp {
    /// `iptables -t T -N CHAIN` (no error if it exists).
    NewChain { table: String, chain: String },
    /// `-A` (append) or, with `insert`, `-I` at the head of the chain.
    Add { rule: Rule, insert: bool },
    /// `-D`.
    Delete(Rule),
    /// `iptables -t T -P CHAIN ACCEPT|DROP`: a built-in chain's policy (dockerd sets
    /// FORWARD to DROP when it enables IP forwarding).
    Policy {
        table: String,
        chain: String,
        policy: String,
    },
}

/// One name the embedded DNS server (127.0.0.11 in the container's netns) answers.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DnsRecord {
    pub name: String,
    pub address: String,
}

/// A program listening on a port in some network namespace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Listener {
    /// "tcp" or "udp".
    pub proto: String,
    pub port: u16,
    /// Host PID of the listening process.
    pub pid: u32,
    /// Its command name, as `ss -p` or `netstat -p` shows it.
    pub comm: String,
}

/// A network namespace's interfaces and routes, as `ip addr` / `ip route` show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetNsInfo {
    pub inode: u64,
    pub interfaces: Vec<crate::shell::Interface>,
    pub listeners: Vec<Listener>,
}

// ---------------------------------------------------------------------------------------
// Mounts: volumes, bind mounts and tmpfs (issue 5).
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    Bind,
    Volume,
    Tmpfs,
}

/// A mount runc makes in the container's mount namespace after its own, from the OCI
/// spec dockerd wrote (`-v`, `--mount`, `--tmpfs`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountSpec {
    pub kind: MountKind,
    /// The host path (a volume's `/var/lib/docker/volumes/NAME/_data`, a bind source);
    /// empty for tmpfs.
    pub source: String,
    /// The path in the container.
    pub target: String,
    pub readonly: bool,
    /// tmpfs size in bytes (`--tmpfs /t:size=64m`); None = half the host's memory.
    #[serde(default)]
    pub size: Option<u64>,
}

/// The effects the daemon needs, in the order runc performs them for `docker run`:
/// store layers, create the cgroup and the init process with its namespaces, mount the
/// root filesystem, pivot into it, set the hostname, exec the entrypoint; later signal,
/// observe events as time passes, and tear down.
pub trait Kernel {
    /// A short name for the trace and `docker info` ("sim", "linux").
    fn name(&self) -> &'static str;
    /// `uname -r`.
    fn kernel_version(&self) -> String;
    /// cgroup version the host uses (1 or 2).
    fn cgroup_version(&self) -> u8;

    /// Unpacks a layer into the store (idempotent). Returns its directory.
    fn store_layer(&mut self, layer: &LayerSpec) -> Result<String, KernelError>;
    /// Removes an unpacked layer no image uses any more.
    fn remove_layer(&mut self, diff_id: &str) -> Result<(), KernelError>;

    /// dockerd's overlay2 driver creates the container's RW layer `mount_id` (and its
    /// `-init` layer) over the image `layers` (diff IDs, top first): `docker create`.
    fn create_rw_layer(
        &mut self,
        container_id: &str,
        mount_id: &str,
        layers: &[String],
    ) -> Result<RootfsMount, KernelError>;
    /// Mounts the root file system (overlay: lowerdir = image layers, upperdir = the RW
    /// layer) in the host's mount namespace, at `docker start`.
    fn mount_rootfs(&mut self, container_id: &str) -> Result<RootfsMount, KernelError>;
    /// Unmounts the root file system (the RW layer stays until `remove_rw_layer`).
    fn unmount_rootfs(&mut self, container_id: &str) -> Result<(), KernelError>;
    /// `--read-only`: runc mounts the container's root read-only (its volumes and tmpfs
    /// mounts stay writable).
    fn set_rootfs_readonly(
        &mut self,
        container_id: &str,
        readonly: bool,
    ) -> Result<(), KernelError>;
    /// Deletes the container's RW layer (`docker rm`).
    fn remove_rw_layer(&mut self, container_id: &str) -> Result<(), KernelError>;

    /// runc create: the cgroup with its limits, the shim as the parent, and the init
    /// process cloned into new namespaces and placed in the cgroup. The process waits
    /// (`runc init`) until `exec`.
    fn create_init(&mut self, spec: &InitSpec) -> Result<InitProcess, KernelError>;
    /// runc init, inside the new mount namespace: /proc, /sys, /dev, /dev/pts, /dev/shm,
    /// /dev/mqueue and the files Docker bind-mounts (/etc/hostname, /etc/hosts,
    /// /etc/resolv.conf). Returns the mount points, in the order mounted; `view()` has
    /// each mount's type and options.
    fn mount_container_fs(
        &mut self,
        pid: u32,
        container_id: &str,
    ) -> Result<Vec<std::borrow::Cow<'static, str>>, KernelError>;
    /// pivot_root(2) into the merged directory; the old root is detached.
    fn pivot_root(&mut self, pid: u32, new_root: &str) -> Result<(), KernelError>;
    /// sethostname(2) in the process's UTS namespace.
    fn set_hostname(&mut self, pid: u32, hostname: &str) -> Result<(), KernelError>;
    /// execve(2): replaces `runc init` with the entrypoint. Fails like runc when the file
    /// is not found or not executable; the init process and its namespaces are then gone.
    fn exec(&mut self, pid: u32, spec: &ExecSpec, now: Time) -> Result<(), KernelError>;
    /// runc exec (`docker exec`): a new process, child of the container's shim, that
    /// joins every namespace and the cgroup of `target` (setns(2)), then execve(2)s
    /// `spec`. Returns its host PID and its PID in the container's PID namespace.
    fn spawn_in(
        &mut self,
        target: u32,
        spec: &ExecSpec,
        now: Time,
    ) -> Result<(u32, u32), KernelError>;

    /// kill(2).
    fn signal(&mut self, pid: u32, signal: Signal, now: Time)
        -> Result<SignalOutcome, KernelError>;
    /// Lets time pass up to `now` and returns what happened, in order.
    fn advance(&mut self, now: Time) -> Vec<KernelEvent>;
    /// When the next event is due, if any process will act on its own.
    fn next_event(&self) -> Option<Time>;

    /// Once the container's processes are gone: deletes its cgroup. Returns what it removed.
    fn destroy_cgroup(&mut self, container_id: &str) -> Result<Vec<String>, KernelError>;
    /// Rewrites a running container's cgroup limits (`docker update`); returns the files
    /// written with their values.
    fn update_limits(
        &mut self,
        container_id: &str,
        limits: &CgroupLimits,
        now: Time,
    ) -> Result<Vec<(String, String)>, KernelError>;
    /// The freezer (`docker pause`): stops every process of the container's cgroup;
    /// returns the file written (cgroup.freeze or freezer.state) and its value.
    fn freeze(&mut self, container_id: &str, now: Time) -> Result<(String, String), KernelError>;
    fn thaw(&mut self, container_id: &str, now: Time) -> Result<(String, String), KernelError>;
    /// What the container's cgroup has used, up to `now`.
    fn cgroup_stats(&self, container_id: &str, now: Time) -> Option<CgroupStats>;
    /// The interface files of a cgroup directory (a host path under /sys/fs/cgroup) and
    /// what reading each gives at `now`, in name order; None if there is no such cgroup.
    fn cgroup_files(&self, path: &str, now: Time) -> Option<Vec<(String, String)>>;
    /// The host's own hostname.
    fn host_name(&self) -> String;
    /// The host's memory in bytes (MemTotal).
    fn host_memory(&self) -> u64;
    /// The host's online CPUs.
    fn view_cpus(&self) -> u32;
    /// The kernel log (what `dmesg` shows): seconds since boot and the message.
    fn kmsg(&self) -> Vec<(Time, String)>;

    // --- networking (libnetwork over netlink and iptables) ---

    /// `ip link add NAME type bridge; ip addr add GW/PREFIX dev NAME; ip link set NAME
    /// up`. Returns the operations performed, in order.
    fn create_bridge(&mut self, spec: &BridgeSpec) -> Result<Vec<String>, KernelError>;
    /// Deletes a bridge (its veths must be gone).
    fn delete_bridge(&mut self, name: &str) -> Result<Vec<String>, KernelError>;
    /// Creates the veth pair, moves one end into `spec.pid`'s network namespace as
    /// `spec.ifname`, enslaves the other to the bridge, sets address, MAC, routes, and
    /// brings both up.
    fn add_veth(&mut self, spec: &VethSpec) -> Result<VethInfo, KernelError>;
    /// Deletes a container's interface `ifname` (and with it its veth peer on the host).
    fn remove_veth(&mut self, pid: u32, ifname: &str) -> Result<Vec<String>, KernelError>;
    /// Changes the packet filter (`iptables …`).
    fn iptables(&mut self, op: &IptablesOp) -> Result<(), KernelError>;
    /// Every rule of a table, chain by chain, in `iptables -t TABLE -S` order; the
    /// chains with no rules as well (`-N CHAIN` / `-P CHAIN ACCEPT`).
    fn iptables_rules(&self, table: &str) -> Vec<String>;
    /// The names the embedded DNS answers on one user-defined network (a zone per
    /// network ID): records added and removed as containers join, leave or are renamed.
    /// Incremental, so that a join costs the same on a network of 10 or 10,000.
    fn dns_zone_update(
        &mut self,
        zone: &str,
        add: &[DnsRecord],
        remove: &[DnsRecord],
    ) -> Result<(), KernelError>;
    /// The embedded DNS server dockerd runs in the container's network namespace
    /// (127.0.0.11): the zones it answers from (the container's user-defined networks,
    /// in order) and records of its own (its links' aliases). No zones and no records
    /// stops it.
    fn set_dns(
        &mut self,
        container_id: &str,
        zones: &[String],
        own: &[DnsRecord],
    ) -> Result<(), KernelError>;
    /// Writes one of the files dockerd keeps per container and bind-mounts into it
    /// (`hosts`, `resolv.conf`, `hostname` under /var/lib/docker/containers/ID/).
    fn write_container_file(
        &mut self,
        container_id: &str,
        name: &str,
        content: &str,
    ) -> Result<(), KernelError>;
    /// The network namespaces with their interfaces and listening sockets (the host's
    /// first), for `host ip`, `ss` and the network view.
    fn netns(&self) -> Vec<NetNsInfo>;
    /// Runs a command on the host itself (`host curl localhost:8000`, `host ping …`,
    /// `host ls /var/lib/docker/volumes`): stdout, stderr, exit code. None if the kernel
    /// does not know the program.
    fn host_run(&mut self, argv: &[String], now: Time) -> Option<(String, String, i32)>;
    /// The host's /etc/resolv.conf, which dockerd copies (less localhost nameservers)
    /// into containers on the default bridge and uses as the embedded DNS's upstream.
    fn host_resolv_conf(&self) -> String {
        String::new()
    }

    // --- volumes and bind mounts (dockerd's local volume driver) ---

    /// `mkdir -p PATH` on the host (a volume's `_data`, a `-v` bind source that does not
    /// exist yet). Returns whether it created anything.
    fn host_mkdir(&mut self, path: &str) -> Result<bool, KernelError>;
    /// Whether a path exists on the host, and whether it is a directory.
    fn host_stat(&self, path: &str) -> Option<bool>;
    /// `rm -rf PATH` on the host (a volume's directory at `docker volume rm`).
    fn host_remove(&mut self, path: &str) -> Result<(), KernelError>;
    /// Writes a file on the host (`host echo TEXT > FILE`), replacing its content; its
    /// parent directory must exist.
    fn host_write(&mut self, path: &str, content: &str) -> Result<(), KernelError>;
    /// Writes bytes (a `docker save` archive) to a host file.
    fn host_write_bytes(&mut self, path: &str, content: &[u8]) -> Result<(), KernelError>;
    /// A host file's bytes (`docker load -i`), or None if it is not a regular file.
    fn host_read_bytes(&self, path: &str) -> Option<Vec<u8>>;
    /// Bytes used under a host path (`docker system df -v`, `du`).
    fn host_usage(&self, path: &str) -> u64;
    /// The volume driver's copy-up: copies what the container's image has at `target`
    /// into the empty host directory `dest` (a fresh named or anonymous volume mounted
    /// there). Returns the number of files copied.
    fn copy_image_path(
        &mut self,
        container_id: &str,
        target: &str,
        dest: &str,
    ) -> Result<u64, KernelError>;

    /// What a path in the container is, as its processes see it (the union with its
    /// mounts; symlinks in the parents followed, the last one only with `follow`):
    /// Some(true) for a directory, Some(false) otherwise, None if missing
    /// (`HEAD /containers/{id}/archive`).
    fn container_stat(&self, container_id: &str, path: &str, follow: bool) -> Option<bool>;
    /// `docker cp CONTAINER:SRC DEST`: copies `src` (the subtree of a directory) as the
    /// container sees it into the host's tree at exactly `host_dest` (replacing a file,
    /// merging into a directory). Returns what was copied: paths relative to `src`
    /// ("" = `src` itself) with their nodes.
    fn copy_out(
        &mut self,
        container_id: &str,
        src: &str,
        host_dest: &str,
    ) -> Result<Vec<(String, Node)>, KernelError>;
    /// `docker cp SRC CONTAINER:DEST`: copies the host's `host_src` to exactly `dest` in
    /// the container, through its overlay (into the upper dir; over a volume into the
    /// volume) even when it is stopped. Errors: `mounted volume is marked read-only`,
    /// `container rootfs is marked read-only`.
    fn copy_in(
        &mut self,
        container_id: &str,
        host_src: &str,
        dest: &str,
    ) -> Result<Vec<(String, Node)>, KernelError>;
    /// The host's file tree outside the image store (what `host ls` shows there), with
    /// each container's RW layer at its `/var/lib/docker/overlay2/<id>/diff`: the tree
    /// holding `path` and the path in it.
    fn host_tree(&self, path: &str) -> Option<(&Tree, String)>;
    /// What overlayfs did (copy-ups, whiteouts, opaque directories) for the programs
    /// run since the last call, one line each for the trace.
    fn take_fs_events(&mut self) -> Vec<String> {
        Vec::new()
    }

    /// The container's RW layer (upperdir), for `docker diff` and the layer view.
    fn rw_layer(&self, container_id: &str) -> Option<&Tree>;
    /// Everything observable, for snapshots.
    fn view(&self) -> KernelView;
    /// A canonical, deterministic encoding of the kernel's state, for the state digest.
    fn digest_into(&self, out: &mut dyn FnMut(&[u8]));
}
