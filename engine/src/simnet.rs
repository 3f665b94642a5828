//! `SimNet`: the simulated kernel's network stack, owned by [`crate::sim::SimKernel`].
//!
//! Network namespaces keyed by inode, each with its interfaces (indexes numbered per
//! namespace as Linux numbers them), routes and listening sockets; Linux bridges and veth
//! pairs; the host's iptables tables (raw, filter, nat) with built-in and user chains;
//! dockerd's embedded DNS records and the per-container files (hosts, resolv.conf,
//! hostname). Reachability is computed, not assumed: a probe walks a packet from a
//! namespace through routing, the L2 graph (a petgraph of namespaces, interfaces, veth
//! pairs, bridge ports and the uplink to the outside world) and the iptables chains it
//! meets, interpreting each rule.
//!
//! Modelling choices: the host's uplink is QEMU user networking (eth0 10.0.2.15/24,
//! gateway 10.0.2.2, resolver 10.0.2.3); docker-proxy (the userland proxy) is modelled
//! as a listener in the host's namespace for every `DNAT` rule of the nat table's DOCKER
//! chain — it is what answers 127.0.0.1:PORT, which the nat OUTPUT rule excludes. Only
//! the host's namespace has iptables rules. Replies are assumed to pass (conntrack).

use crate::kernel::*;
use crate::shell::Interface;
use crate::time::Time;
use petgraph::stable_graph::{NodeIndex, StableUnGraph};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The host's network namespace inode (as a fresh boot has it).
pub const HOST_NETNS: u64 = 4026531840;
pub const HOST_ADDR: &str = "10.0.2.15";
pub const HOST_GATEWAY: &str = "10.0.2.2";
/// The outside world as a probe's source: a packet from a client on the internet that
/// arrives on the host's uplink.
pub const WORLD_NETNS: u64 = 0;
/// The address such a client has.
pub const WORLD_CLIENT: &str = "203.0.113.7";
/// The resolver of QEMU user networking: the host's /etc/resolv.conf names it.
pub const HOST_RESOLVER: &str = "10.0.2.3";
/// dockerd's embedded DNS server inside a container's namespace.
pub const EMBEDDED_DNS: &str = "127.0.0.11";

/// Hosts of the outside world behind the host's uplink: name, address, what answers.
pub const WORLD: &[(&str, &str, &[u16])] = &[
    ("dns.google", "8.8.8.8", &[53, 443]),
    ("one.one.one.one", "1.1.1.1", &[53, 80, 443]),
    ("example.com", "93.184.215.14", &[80, 443]),
    ("google.com", "142.250.185.78", &[80, 443]),
    ("www.google.com", "142.250.185.68", &[80, 443]),
    ("github.com", "140.82.121.4", &[22, 80, 443]),
    ("gateway", "10.0.2.2", &[]),
    ("resolver", "10.0.2.3", &[53]),
];

pub fn parse_ip(s: &str) -> Option<u32> {
    let mut v = 0u32;
    let mut n = 0;
    for part in s.split('.') {
        if part.is_empty() || part.len() > 3 {
            return None;
        }
        let o: u32 = part.parse().ok()?;
        if o > 255 {
            return None;
        }
        v = v << 8 | o;
        n += 1;
    }
    (n == 4).then_some(v)
}

pub fn fmt_ip(v: u32) -> String {
    format!("{}.{}.{}.{}", v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255)
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix.min(32) as u32)
    }
}

fn in_net(ip: u32, net: u32, prefix: u8) -> bool {
    ip & mask(prefix) == net & mask(prefix)
}

/// `172.17.0.0/16` or `10.0.0.1` (a /32).
fn parse_cidr(s: &str) -> Option<(u32, u8)> {
    match s.split_once('/') {
        Some((a, p)) => Some((parse_ip(a)?, p.parse().ok().filter(|p| *p <= 32)?)),
        None => Some((parse_ip(s)?, 32)),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Proto {
    Tcp,
    Udp,
    Icmp,
}

impl Proto {
    pub fn name(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Icmp => "icmp",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IfKind {
    Loopback,
    /// The host's uplink to the outside world.
    Uplink,
    Bridge,
    Veth {
        peer_ns: u64,
        peer_index: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Iface {
    pub index: u32,
    pub name: String,
    pub kind: IfKind,
    pub mac: String,
    pub mtu: u32,
    pub addr: Option<(u32, u8)>,
    pub up: bool,
    /// The bridge a veth end is enslaved to.
    pub master: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub dst: u32,
    pub prefix: u8,
    pub via: Option<u32>,
    /// Interface index.
    pub dev: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetNs {
    pub ifaces: BTreeMap<u32, Iface>,
    /// The next interface index this namespace gives (never reused, as the kernel's
    /// cyclic allocator).
    pub next_index: u32,
    /// Routes set explicitly (the default route); connected routes follow addresses.
    pub routes: Vec<Route>,
    /// The container that created it.
    pub container: Option<String>,
    /// Interface name → index: an index, so that finding a device by name does not
    /// scan a host with 10,000 veths.
    #[serde(skip)]
    pub by_name: BTreeMap<String, u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listen {
    pub pid: u32,
    pub comm: String,
    /// Its process is frozen (`docker pause`): the kernel completes the handshake, the
    /// program never answers.
    #[serde(default)]
    pub frozen: bool,
    /// When it starts accepting (mysqld takes a few seconds to initialise).
    pub since: Time,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Cond {
    In(String, bool),
    Out(String, bool),
    Src(u32, u8, bool),
    Dst(u32, u8, bool),
    Proto(String, bool),
    Dport(u16, u16, bool),
    DstType(String, bool),
    SrcType(String, bool),
    CtState(Vec<String>, bool),
    /// A match Porthole does not interpret: the rule never matches.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Target {
    Accept,
    Drop,
    Reject,
    Return,
    Jump(String),
    Dnat(u32, Option<u16>),
    Snat(u32),
    Masquerade,
    /// LOG and friends, or no -j: the walk goes on.
    Continue,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Compiled {
    args: Vec<String>,
    conds: Vec<Cond>,
    target: Target,
}

fn compile(args: &[String]) -> Compiled {
    let mut conds = Vec::new();
    let mut target = Target::Continue;
    let mut neg = false;
    let mut i = 0;
    let next = |i: &mut usize| -> String {
        *i += 1;
        args.get(*i).cloned().unwrap_or_default()
    };
    let mut to_dest = None;
    let mut to_src = None;
    let mut jump = None;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "!" => {
                neg = true;
                i += 1;
                continue;
            }
            "-i" | "--in-interface" => conds.push(Cond::In(next(&mut i), neg)),
            "-o" | "--out-interface" => conds.push(Cond::Out(next(&mut i), neg)),
            "-s" | "--source" => match parse_cidr(&next(&mut i)) {
                Some((n, p)) => conds.push(Cond::Src(n, p, neg)),
                None => conds.push(Cond::Unknown),
            },
            "-d" | "--destination" => match parse_cidr(&next(&mut i)) {
                Some((n, p)) => conds.push(Cond::Dst(n, p, neg)),
                None => conds.push(Cond::Unknown),
            },
            "-p" | "--protocol" => conds.push(Cond::Proto(next(&mut i), neg)),
            "--dport" | "--destination-port" => {
                let v = next(&mut i);
                let (a, b) = v.split_once(':').unwrap_or((&v, &v));
                match (a.parse(), b.parse()) {
                    (Ok(a), Ok(b)) => conds.push(Cond::Dport(a, b, neg)),
                    _ => conds.push(Cond::Unknown),
                }
            }
            "--dst-type" => conds.push(Cond::DstType(next(&mut i), neg)),
            "--src-type" => conds.push(Cond::SrcType(next(&mut i), neg)),
            "--ctstate" | "--state" => conds.push(Cond::CtState(
                next(&mut i).split(',').map(str::to_string).collect(),
                neg,
            )),
            "-m" | "--match" => {
                let _ = next(&mut i);
            }
            "--comment" => {
                let _ = next(&mut i);
            }
            "-j" | "--jump" | "-g" | "--goto" => jump = Some(next(&mut i)),
            "--to-destination" => to_dest = Some(next(&mut i)),
            "--to-source" => to_src = Some(next(&mut i)),
            _ => conds.push(Cond::Unknown),
        }
        neg = false;
        i += 1;
    }
    if let Some(j) = jump {
        target = match j.as_str() {
            "ACCEPT" => Target::Accept,
            "DROP" => Target::Drop,
            "REJECT" => Target::Reject,
            "RETURN" => Target::Return,
            "MASQUERADE" => Target::Masquerade,
            "DNAT" => {
                let d = to_dest.unwrap_or_default();
                let (ip, port) = match d.split_once(':') {
                    Some((ip, p)) => (ip.to_string(), p.parse().ok()),
                    None => (d, None),
                };
                match parse_ip(&ip) {
                    Some(ip) => Target::Dnat(ip, port),
                    None => Target::Continue,
                }
            }
            "SNAT" => match to_src.as_deref().and_then(parse_ip) {
                Some(ip) => Target::Snat(ip),
                None => Target::Continue,
            },
            "LOG" | "NFLOG" | "MARK" | "CONNMARK" | "TRACE" => Target::Continue,
            chain => Target::Jump(chain.to_string()),
        };
    }
    Compiled {
        args: args.to_vec(),
        conds,
        target,
    }
}

fn if_match(pattern: &str, name: Option<&str>) -> bool {
    let Some(name) = name else {
        return false;
    };
    match pattern.strip_suffix('+') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Table {
    /// Built-in chains in `iptables -S` order, with their policies.
    builtin: Vec<(String, String)>,
    /// A deque: containers come and go roughly first-in first-out, and removing a
    /// rule near either end is cheap (10,000 containers ⇒ thousands of raw-table rules).
    chains: BTreeMap<String, VecDeque<Compiled>>,
}

impl Table {
    fn new(builtin: &[&str]) -> Table {
        Table {
            builtin: builtin
                .iter()
                .map(|c| (c.to_string(), "ACCEPT".to_string()))
                .collect(),
            chains: builtin
                .iter()
                .map(|c| (c.to_string(), VecDeque::new()))
                .collect(),
        }
    }
    fn is_builtin(&self, chain: &str) -> bool {
        self.builtin.iter().any(|(c, _)| c == chain)
    }
}

fn builtin_chains(table: &str) -> Option<&'static [&'static str]> {
    Some(match table {
        "filter" => &["INPUT", "FORWARD", "OUTPUT"],
        "nat" => &["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        "raw" => &["PREROUTING", "OUTPUT"],
        "mangle" => &["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
        _ => return None,
    })
}

/// A chain as `iptables -L` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainInfo {
    pub name: String,
    /// The policy of a built-in chain; None for a user chain.
    pub policy: Option<String>,
    pub references: usize,
    pub rules: Vec<Vec<String>>,
}

/// A packet as the chains see it.
#[derive(Clone, Debug)]
struct Pkt {
    src: u32,
    dst: u32,
    proto: Proto,
    dport: u16,
    in_if: Option<String>,
    out_if: Option<String>,
}

/// The end of a walk through a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Verdict {
    Accept,
    Drop,
    Reject,
    Dnat(u32, Option<u16>),
    Snat(u32),
    Masquerade,
}

/// How a probe ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// A listener (or, for ping, the stack) in `netns` answered.
    Answered {
        netns: u64,
        /// The program that answers (`nginx`, `redis-server`, `docker-proxy`, `ping`
        /// for an ICMP echo; a world host's name outside).
        comm: String,
        pid: Option<u32>,
    },
    /// The connection is accepted (by the kernel) but the program never answers: it is
    /// frozen (`docker pause`).
    Stalled { netns: u64, comm: String, pid: u32 },
    /// Nothing listens there: the kernel answers with a RST (TCP) or port unreachable.
    Refused,
    /// The connection was accepted (docker-proxy) and then reset: the backend refused.
    Reset,
    /// Dropped on the way: no answer ever comes.
    Timeout,
    /// No route from the source namespace (ENETUNREACH).
    NetUnreachable,
    /// No host answers ARP for the next hop (EHOSTUNREACH).
    HostUnreachable,
}

/// One step of a probe's path, for the trace and the network view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub netns: u64,
    pub what: String,
}

/// What a reachability query found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    pub outcome: Outcome,
    pub hops: Vec<Hop>,
    /// The source address the packet left with.
    pub src: Option<String>,
    /// The destination after any DNAT, and its port.
    pub dst: String,
    pub port: u16,
}

impl Probe {
    pub fn answered(&self) -> bool {
        matches!(self.outcome, Outcome::Answered { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum GNode {
    Ns(u64),
    If(u64, u32),
    World,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GEdge {
    Member,
    Veth,
    Port,
    Uplink,
}

/// What a DNS query got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsAnswer {
    Addrs(Vec<String>),
    NxDomain,
    /// The server could not be reached.
    NoServer,
}

#[derive(Clone, Debug)]
pub struct SimNet {
    netns: BTreeMap<u64, NetNs>,
    tables: BTreeMap<String, Table>,
    listeners: BTreeMap<(u64, Proto, u16), Listen>,
    /// What a server process knows that shapes its answers (a web app's database
    /// settings, mysqld's accounts), by host PID: set when it starts, gone with it.
    apps: BTreeMap<u32, Vec<(String, String)>>,
    /// The embedded DNS's zones: network ID → lower-cased name → addresses.
    zones: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// Each container's resolver: the zones it answers from, and its own records.
    dns: BTreeMap<String, (Vec<String>, Vec<DnsRecord>)>,
    files: BTreeMap<String, BTreeMap<String, String>>,
    /// The host's IDs for the peer namespaces its veths lead to (`link-netnsid`): the
    /// lowest free one is given when a veth first links to a namespace.
    nsids: BTreeMap<u64, u32>,
    /// IDs given back by namespaces that died, below the highest in use.
    free_nsids: BTreeSet<u32>,
    graph: StableUnGraph<GNode, GEdge>,
    ns_node: BTreeMap<u64, NodeIndex>,
    if_node: BTreeMap<(u64, u32), NodeIndex>,
    world: NodeIndex,
}

impl Default for SimNet {
    fn default() -> Self {
        SimNet::new()
    }
}

fn lo() -> Iface {
    Iface {
        index: 1,
        name: "lo".into(),
        kind: IfKind::Loopback,
        mac: "00:00:00:00:00:00".into(),
        mtu: 65536,
        addr: Some((parse_ip("127.0.0.1").unwrap_or(0), 8)),
        up: true,
        master: None,
    }
}

/// A locally administered MAC derived from a name (the kernel picks veth MACs at random;
/// here they follow from the interface's name so that runs repeat).
fn mac_from(name: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("mac:{name}").as_bytes());
    let b0 = (h[0] & 0xfe) | 0x02;
    format!(
        "{b0:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        h[1], h[2], h[3], h[4], h[5]
    )
}

impl SimNet {
    pub fn new() -> SimNet {
        let mut graph = StableUnGraph::default();
        let world = graph.add_node(GNode::World);
        let mut net = SimNet {
            netns: BTreeMap::new(),
            tables: ["raw", "mangle", "filter", "nat"]
                .iter()
                .map(|t| {
                    (
                        t.to_string(),
                        Table::new(builtin_chains(t).unwrap_or_default()),
                    )
                })
                .collect(),
            listeners: BTreeMap::new(),
            apps: BTreeMap::new(),
            zones: BTreeMap::new(),
            dns: BTreeMap::new(),
            files: BTreeMap::new(),
            nsids: BTreeMap::new(),
            free_nsids: BTreeSet::new(),
            graph,
            ns_node: BTreeMap::new(),
            if_node: BTreeMap::new(),
            world,
        };
        net.add_netns(HOST_NETNS, None);
        let ip = |s| parse_ip(s).unwrap_or(0);
        net.insert_iface(
            HOST_NETNS,
            Iface {
                index: 2,
                name: "eth0".into(),
                kind: IfKind::Uplink,
                mac: "52:54:00:12:34:56".into(),
                mtu: 1500,
                addr: Some((ip(HOST_ADDR), 24)),
                up: true,
                master: None,
            },
        );
        net.insert_iface(
            HOST_NETNS,
            Iface {
                index: 3,
                name: "docker0".into(),
                kind: IfKind::Bridge,
                mac: "02:42:d4:1c:5e:7a".into(),
                mtu: 1500,
                addr: Some((ip("172.17.0.1"), 16)),
                up: true,
                master: None,
            },
        );
        if let Some(ns) = net.netns.get_mut(&HOST_NETNS) {
            ns.next_index = 4;
            ns.routes.push(Route {
                dst: 0,
                prefix: 0,
                via: Some(ip(HOST_GATEWAY)),
                dev: 2,
            });
        }
        if let Some(&n) = net.if_node.get(&(HOST_NETNS, 2)) {
            net.graph.add_edge(n, world, GEdge::Uplink);
        }
        net
    }

    // ---- namespaces and interfaces ----

    /// A new network namespace (CLONE_NEWNET): only `lo`.
    pub fn add_netns(&mut self, inode: u64, container: Option<String>) {
        if self.netns.contains_key(&inode) {
            return;
        }
        let n = self.graph.add_node(GNode::Ns(inode));
        self.ns_node.insert(inode, n);
        self.netns.insert(
            inode,
            NetNs {
                ifaces: BTreeMap::new(),
                next_index: 2,
                routes: Vec::new(),
                container,
                by_name: BTreeMap::new(),
            },
        );
        self.insert_iface(inode, lo());
    }

    fn insert_iface(&mut self, ns: u64, i: Iface) {
        let idx = i.index;
        let node = self.graph.add_node(GNode::If(ns, idx));
        if let Some(&nn) = self.ns_node.get(&ns) {
            self.graph.add_edge(nn, node, GEdge::Member);
        }
        self.if_node.insert((ns, idx), node);
        if let Some(n) = self.netns.get_mut(&ns) {
            n.by_name.insert(i.name.clone(), idx);
            n.ifaces.insert(idx, i);
        }
    }

    fn drop_iface(&mut self, ns: u64, idx: u32) -> Option<Iface> {
        if let Some(node) = self.if_node.remove(&(ns, idx)) {
            self.graph.remove_node(node);
        }
        let n = self.netns.get_mut(&ns)?;
        n.routes.retain(|r| r.dev != idx);
        let i = n.ifaces.remove(&idx)?;
        if n.by_name.get(&i.name) == Some(&idx) {
            n.by_name.remove(&i.name);
        }
        Some(i)
    }

    /// The last process of a namespace is gone: its interfaces go (a veth's host end
    /// with it), and its sockets.
    pub fn remove_netns(&mut self, inode: u64) {
        if inode == HOST_NETNS {
            return;
        }
        let Some(ns) = self.netns.get(&inode) else {
            return;
        };
        let peers: Vec<(u64, u32)> = ns
            .ifaces
            .values()
            .filter_map(|i| match i.kind {
                IfKind::Veth {
                    peer_ns,
                    peer_index,
                } => Some((peer_ns, peer_index)),
                _ => None,
            })
            .collect();
        let idxs: Vec<u32> = ns.ifaces.keys().copied().collect();
        for (pns, pidx) in peers {
            self.drop_iface(pns, pidx);
        }
        for i in idxs {
            self.drop_iface(inode, i);
        }
        if let Some(n) = self.ns_node.remove(&inode) {
            self.graph.remove_node(n);
        }
        self.netns.remove(&inode);
        if let Some(id) = self.nsids.remove(&inode) {
            self.free_nsids.insert(id);
        }
        self.listeners.retain(|k, _| k.0 != inode);
    }

    pub fn namespace(&self, inode: u64) -> Option<&NetNs> {
        self.netns.get(&inode)
    }

    pub fn namespaces(&self) -> impl Iterator<Item = (&u64, &NetNs)> {
        self.netns.iter()
    }

    fn find_if(&self, ns: u64, name: &str) -> Option<&Iface> {
        let n = self.netns.get(&ns)?;
        n.ifaces.get(n.by_name.get(name)?)
    }

    /// The host's ID for a peer namespace (`link-netnsid`).
    pub fn nsid(&self, ns: u64) -> Option<u32> {
        self.nsids.get(&ns).copied()
    }

    /// Whether a bridge has a port (its carrier).
    pub fn has_carrier(&self, i: &Iface) -> bool {
        match i.kind {
            IfKind::Bridge => self.netns.get(&HOST_NETNS).is_some_and(|ns| {
                ns.ifaces
                    .values()
                    .any(|p| p.master.as_deref() == Some(&i.name) && p.up)
            }),
            _ => i.up,
        }
    }

    /// The interfaces as `ip addr` shows them.
    pub fn interfaces(&self, ns: u64) -> Vec<Interface> {
        let Some(n) = self.netns.get(&ns) else {
            return vec![Interface {
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
            }];
        };
        n.ifaces
            .values()
            .map(|i| Interface {
                index: i.index,
                name: i.name.clone(),
                peer_index: match i.kind {
                    IfKind::Veth { peer_index, .. } => Some(peer_index),
                    _ => None,
                },
                mac: i.mac.clone(),
                mtu: i.mtu,
                ipv4: i.addr.map(|(a, p)| (fmt_ip(a), p)),
                gateway: n
                    .routes
                    .iter()
                    .find(|r| r.prefix == 0 && r.dev == i.index)
                    .and_then(|r| r.via.map(fmt_ip)),
                up: i.up,
                master: i.master.clone(),
                carrier: self.has_carrier(i),
            })
            .collect()
    }

    // ---- bridges and veths ----

    pub fn create_bridge(&mut self, spec: &BridgeSpec) -> Result<Vec<String>, KernelError> {
        let addr = parse_ip(&spec.address)
            .ok_or_else(|| err("ip addr add", &spec.address, "invalid address"))?;
        let mut ops = Vec::new();
        if let Some(i) = self.find_if(HOST_NETNS, &spec.name).cloned() {
            if i.kind != IfKind::Bridge {
                return Err(err("ip link add", &spec.name, "File exists"));
            }
            // dockerd reuses a bridge that exists (docker0 after a restart).
            if let Some(b) = self
                .netns
                .get_mut(&HOST_NETNS)
                .and_then(|n| n.ifaces.get_mut(&i.index))
            {
                if b.addr != Some((addr, spec.prefix)) {
                    ops.push(format!(
                        "ip addr replace {}/{} dev {}",
                        spec.address, spec.prefix, spec.name
                    ));
                }
                b.addr = Some((addr, spec.prefix));
                b.mac = spec.mac.clone();
                b.mtu = spec.mtu;
                b.up = true;
            }
            return Ok(ops);
        }
        let index = self.take_index(HOST_NETNS);
        self.insert_iface(
            HOST_NETNS,
            Iface {
                index,
                name: spec.name.clone(),
                kind: IfKind::Bridge,
                mac: spec.mac.clone(),
                mtu: spec.mtu,
                addr: Some((addr, spec.prefix)),
                up: true,
                master: None,
            },
        );
        ops.push(format!("ip link add {} type bridge", spec.name));
        ops.push(format!(
            "ip addr add {}/{} dev {}",
            spec.address, spec.prefix, spec.name
        ));
        ops.push(format!("ip link set {} up", spec.name));
        Ok(ops)
    }

    pub fn delete_bridge(&mut self, name: &str) -> Result<Vec<String>, KernelError> {
        let i = self
            .find_if(HOST_NETNS, name)
            .filter(|i| i.kind == IfKind::Bridge)
            .cloned()
            .ok_or_else(|| err("ip link del", name, "Cannot find device"))?;
        let ports = self.netns[&HOST_NETNS]
            .ifaces
            .values()
            .any(|p| p.master.as_deref() == Some(name));
        if ports {
            return Err(err("ip link del", name, "bridge still has ports"));
        }
        self.drop_iface(HOST_NETNS, i.index);
        Ok(vec![format!("ip link del {name}")])
    }

    fn take_index(&mut self, ns: u64) -> u32 {
        let n = self.netns.get_mut(&ns).expect("namespace exists");
        let mut i = n.next_index.max(2);
        while n.ifaces.contains_key(&i) {
            i += 1;
        }
        n.next_index = i + 1;
        i
    }

    /// The veth pair: created in the host's namespace (the peer takes the first index,
    /// the host end the next), the peer moved into `ns` (it keeps its index when free
    /// there) and renamed, the host end enslaved to the bridge.
    pub fn add_veth(&mut self, ns: u64, spec: &VethSpec) -> Result<VethInfo, KernelError> {
        if !self.netns.contains_key(&ns) {
            return Err(err(
                "ip link set",
                format!("netns {}", spec.pid),
                "Invalid \"netns\" value",
            ));
        }
        let bridge = self
            .find_if(HOST_NETNS, &spec.bridge)
            .filter(|i| i.kind == IfKind::Bridge)
            .cloned()
            .ok_or_else(|| err("ip link set", &spec.bridge, "Cannot find device"))?;
        if self.find_if(HOST_NETNS, &spec.host_ifname).is_some() {
            return Err(err("ip link add", &spec.host_ifname, "File exists"));
        }
        if self.find_if(ns, &spec.ifname).is_some() {
            return Err(err("ip link set", &spec.ifname, "File exists"));
        }
        let addr = parse_ip(&spec.address)
            .ok_or_else(|| err("ip addr add", &spec.address, "invalid address"))?;
        let gw = match &spec.gateway {
            Some(g) => Some(parse_ip(g).ok_or_else(|| err("ip route add", g, "invalid gateway"))?),
            None => None,
        };
        if ns != HOST_NETNS && !self.nsids.contains_key(&ns) {
            // The lowest free ID: the free list holds IDs given back, else the next one.
            let id = match self.free_nsids.pop_first() {
                Some(id) => id,
                None => self.nsids.len() as u32,
            };
            self.nsids.insert(ns, id);
        }
        let peer_index = self.take_index(HOST_NETNS);
        let host_index = self.take_index(HOST_NETNS);
        let mut container_index = peer_index;
        if ns != HOST_NETNS && self.netns[&ns].ifaces.contains_key(&container_index) {
            container_index = self.take_index(ns);
        }
        let tmp = format!("veth{}", &mac_from(&spec.host_ifname).replace(':', "")[..7]);
        self.insert_iface(
            HOST_NETNS,
            Iface {
                index: host_index,
                name: spec.host_ifname.clone(),
                kind: IfKind::Veth {
                    peer_ns: ns,
                    peer_index: container_index,
                },
                mac: mac_from(&spec.host_ifname),
                mtu: spec.mtu,
                addr: None,
                up: true,
                master: Some(bridge.name.clone()),
            },
        );
        self.insert_iface(
            ns,
            Iface {
                index: container_index,
                name: spec.ifname.clone(),
                kind: IfKind::Veth {
                    peer_ns: HOST_NETNS,
                    peer_index: host_index,
                },
                mac: spec.mac.clone(),
                mtu: spec.mtu,
                addr: Some((addr, spec.prefix)),
                up: true,
                master: None,
            },
        );
        let a = self.if_node[&(HOST_NETNS, host_index)];
        let b = self.if_node[&(ns, container_index)];
        self.graph.add_edge(a, b, GEdge::Veth);
        let br = self.if_node[&(HOST_NETNS, bridge.index)];
        self.graph.add_edge(a, br, GEdge::Port);
        if let Some(g) = gw {
            let n = self.netns.get_mut(&ns).expect("checked");
            if !n.routes.iter().any(|r| r.prefix == 0) {
                n.routes.push(Route {
                    dst: 0,
                    prefix: 0,
                    via: Some(g),
                    dev: container_index,
                });
            }
        }
        let mut ops = vec![
            format!("ip link add {} type veth peer name {tmp}", spec.host_ifname),
            format!("ip link set {} master {}", spec.host_ifname, spec.bridge),
            format!("ip link set {} up", spec.host_ifname),
            format!("ip link set {tmp} netns {}", spec.pid),
            format!("ip link set {tmp} name {}", spec.ifname),
            format!("ip link set {} address {}", spec.ifname, spec.mac),
            format!(
                "ip addr add {}/{} dev {}",
                spec.address, spec.prefix, spec.ifname
            ),
            format!("ip link set {} up", spec.ifname),
        ];
        if let Some(g) = &spec.gateway {
            if self.netns[&ns]
                .routes
                .iter()
                .any(|r| r.prefix == 0 && r.dev == container_index)
            {
                ops.push(format!("ip route add default via {g} dev {}", spec.ifname));
            }
        }
        Ok(VethInfo {
            host_index,
            container_index,
            ops,
        })
    }

    pub fn remove_veth(&mut self, ns: u64, ifname: &str) -> Result<Vec<String>, KernelError> {
        let i = self
            .find_if(ns, ifname)
            .cloned()
            .ok_or_else(|| err("ip link del", ifname, "Cannot find device"))?;
        let IfKind::Veth {
            peer_ns,
            peer_index,
        } = i.kind
        else {
            return Err(err("ip link del", ifname, "Operation not supported"));
        };
        self.drop_iface(ns, i.index);
        self.drop_iface(peer_ns, peer_index);
        Ok(vec![format!("ip link del {ifname}")])
    }

    // ---- iptables ----

    pub fn iptables(&mut self, op: &IptablesOp) -> Result<(), KernelError> {
        match op {
            IptablesOp::NewChain { table, chain } => {
                let t = self.table_mut(table)?;
                t.chains.entry(chain.clone()).or_default();
                Ok(())
            }
            IptablesOp::Policy {
                table,
                chain,
                policy,
            } => {
                let t = self.table_mut(table)?;
                match t.builtin.iter_mut().find(|(c, _)| c == chain) {
                    Some((_, p)) => {
                        *p = policy.clone();
                        Ok(())
                    }
                    None => Err(err(
                        "iptables",
                        format!("-t {table} -P {chain}"),
                        "iptables: Bad built-in chain name.",
                    )),
                }
            }
            IptablesOp::Add { rule, insert } => {
                let c = compile(&rule.args);
                let t = self.table_mut(&rule.table)?;
                if let Target::Jump(j) = &c.target {
                    if !t.chains.contains_key(j) {
                        return Err(err(
                            "iptables",
                            format!("-t {} -A {}", rule.table, rule.chain),
                            "iptables: No chain/target/match by that name.",
                        ));
                    }
                }
                let chain = t.chains.get_mut(&rule.chain).ok_or_else(|| {
                    err(
                        "iptables",
                        format!("-t {} -A {}", rule.table, rule.chain),
                        "iptables: No chain/target/match by that name.",
                    )
                })?;
                if *insert {
                    chain.push_front(c);
                } else {
                    chain.push_back(c);
                }
                Ok(())
            }
            IptablesOp::Delete(rule) => {
                let t = self.table_mut(&rule.table)?;
                let chain = t.chains.get_mut(&rule.chain);
                let pos = chain
                    .as_ref()
                    .and_then(|c| c.iter().position(|x| x.args == rule.args));
                match (chain, pos) {
                    (Some(c), Some(p)) => {
                        c.remove(p);
                        Ok(())
                    }
                    _ => Err(err(
                        "iptables",
                        format!("-t {} -D {}", rule.table, rule.chain),
                        "iptables: Bad rule (does a matching rule exist in that chain?).",
                    )),
                }
            }
        }
    }

    fn table_mut(&mut self, table: &str) -> Result<&mut Table, KernelError> {
        if !self.tables.contains_key(table) {
            let b = builtin_chains(table).ok_or_else(|| {
                err(
                    "iptables",
                    format!("-t {table}"),
                    format!("iptables v1.8.10 (nf_tables): table '{table}' does not exist"),
                )
            })?;
            self.tables.insert(table.to_string(), Table::new(b));
        }
        Ok(self.tables.get_mut(table).expect("just inserted"))
    }

    /// `iptables -t TABLE -S`.
    pub fn rules(&self, table: &str) -> Vec<String> {
        let empty;
        let t = match self.tables.get(table) {
            Some(t) => t,
            None => match builtin_chains(table) {
                Some(b) => {
                    empty = Table::new(b);
                    &empty
                }
                None => return Vec::new(),
            },
        };
        let mut v: Vec<String> = t
            .builtin
            .iter()
            .map(|(c, p)| format!("-P {c} {p}"))
            .collect();
        let users: Vec<&String> = t.chains.keys().filter(|c| !t.is_builtin(c)).collect();
        v.extend(users.iter().map(|c| format!("-N {c}")));
        for c in t
            .builtin
            .iter()
            .map(|(c, _)| c)
            .chain(users.iter().copied())
        {
            for r in t.chains.get(c).into_iter().flatten() {
                v.push(format!("-A {c} {}", r.args.join(" ")));
            }
        }
        v
    }

    /// The chains of a table with policy (None for user chains), their references and
    /// rules (for `iptables -L`).
    pub fn chains(&self, table: &str) -> Vec<ChainInfo> {
        let Some(t) = self.tables.get(table) else {
            return Vec::new();
        };
        let refs = |name: &str| {
            t.chains
                .values()
                .flatten()
                .filter(|r| matches!(&r.target, Target::Jump(j) if j == name))
                .count()
        };
        let users: Vec<&String> = t.chains.keys().filter(|c| !t.is_builtin(c)).collect();
        t.builtin
            .iter()
            .map(|(c, p)| (c.clone(), Some(p.clone())))
            .chain(users.into_iter().map(|c| (c.clone(), None)))
            .map(|(c, p)| {
                let rules = t.chains[&c].iter().map(|r| r.args.clone()).collect();
                let references = refs(&c);
                ChainInfo {
                    name: c,
                    policy: p,
                    references,
                    rules,
                }
            })
            .collect()
    }

    fn cond_match(&self, c: &Cond, p: &Pkt) -> bool {
        match c {
            Cond::In(n, neg) => if_match(n, p.in_if.as_deref()) != *neg,
            Cond::Out(n, neg) => if_match(n, p.out_if.as_deref()) != *neg,
            Cond::Src(n, pre, neg) => in_net(p.src, *n, *pre) != *neg,
            Cond::Dst(n, pre, neg) => in_net(p.dst, *n, *pre) != *neg,
            Cond::Proto(pr, neg) => {
                (pr == "all" || pr == "0" || pr.eq_ignore_ascii_case(p.proto.name())) != *neg
            }
            Cond::Dport(a, b, neg) => {
                (p.proto != Proto::Icmp && (*a..=*b).contains(&p.dport)) != *neg
            }
            Cond::DstType(t, neg) => (t == "LOCAL" && self.is_local(HOST_NETNS, p.dst)) != *neg,
            Cond::SrcType(t, neg) => (t == "LOCAL" && self.is_local(HOST_NETNS, p.src)) != *neg,
            // A new connection's first packet.
            Cond::CtState(states, neg) => states.iter().any(|s| s == "NEW") != *neg,
            Cond::Unknown => false,
        }
    }

    /// Walks a built-in chain; returns the verdict and the rule that decided.
    fn walk(&self, table: &str, chain: &str, p: &Pkt) -> (Verdict, String) {
        let Some(t) = self.tables.get(table) else {
            return (Verdict::Accept, String::new());
        };
        let policy = t
            .builtin
            .iter()
            .find(|(c, _)| c == chain)
            .map(|(_, p)| p.as_str())
            .unwrap_or("ACCEPT");
        match self.walk_chain(t, chain, p, 0) {
            Some(v) => v,
            None => (
                if policy == "DROP" {
                    Verdict::Drop
                } else {
                    Verdict::Accept
                },
                format!("-P {chain} {policy}"),
            ),
        }
    }

    fn walk_chain(&self, t: &Table, chain: &str, p: &Pkt, depth: u32) -> Option<(Verdict, String)> {
        if depth > 32 {
            return None;
        }
        for r in t.chains.get(chain).into_iter().flatten() {
            if !r.conds.iter().all(|c| self.cond_match(c, p)) {
                continue;
            }
            let text = || format!("-A {chain} {}", r.args.join(" "));
            let v = match &r.target {
                Target::Accept => Verdict::Accept,
                Target::Drop => Verdict::Drop,
                Target::Reject => Verdict::Reject,
                Target::Dnat(ip, port) => Verdict::Dnat(*ip, *port),
                Target::Snat(ip) => Verdict::Snat(*ip),
                Target::Masquerade => Verdict::Masquerade,
                Target::Return => return None,
                Target::Continue => continue,
                Target::Jump(j) => match self.walk_chain(t, j, p, depth + 1) {
                    Some(v) => return Some(v),
                    None => continue,
                },
            };
            return Some((v, text()));
        }
        None
    }

    // ---- sockets ----

    /// Binds a listening socket; false if the port is taken in that namespace.
    pub fn listen(
        &mut self,
        ns: u64,
        proto: Proto,
        port: u16,
        pid: u32,
        comm: &str,
        since: Time,
    ) -> bool {
        if self.listeners.contains_key(&(ns, proto, port)) {
            return false;
        }
        self.listeners.insert(
            (ns, proto, port),
            Listen {
                pid,
                comm: comm.to_string(),
                frozen: false,
                since,
            },
        );
        true
    }

    /// The freezer stopped (or thawed) a process: its sockets stay, unanswered.
    pub fn set_frozen(&mut self, pid: u32, frozen: bool) {
        for l in self.listeners.values_mut().filter(|l| l.pid == pid) {
            l.frozen = frozen;
        }
    }

    /// A process exited: its sockets close.
    pub fn process_gone(&mut self, pid: u32) {
        if self.listeners.values().any(|l| l.pid == pid) {
            self.listeners.retain(|_, l| l.pid != pid);
        }
        self.apps.remove(&pid);
    }

    /// A server's settings (`crate::netprog` answers from them): key-value pairs.
    pub fn set_app(&mut self, pid: u32, settings: Vec<(String, String)>) {
        self.apps.insert(pid, settings);
    }

    /// A setting of the server process `pid`.
    pub fn app(&self, pid: u32, key: &str) -> Option<&str> {
        self.apps
            .get(&pid)?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn port_in_use(&self, ns: u64, proto: Proto, port: u16) -> bool {
        self.listeners.contains_key(&(ns, proto, port))
    }

    pub fn listeners(&self, ns: u64) -> Vec<Listener> {
        self.listeners
            .range((ns, Proto::Tcp, 0)..=(ns, Proto::Icmp, u16::MAX))
            .map(|((_, pr, port), l)| Listener {
                proto: pr.name().into(),
                port: *port,
                pid: l.pid,
                comm: l.comm.clone(),
            })
            .collect()
    }

    /// docker-proxy's sockets: one per DNAT rule of nat/DOCKER, on its host address
    /// (0.0.0.0 when the rule has no -d) — (address, proto, host port, target, port).
    pub fn proxies(&self) -> Vec<(u32, Proto, u16, u32, u16)> {
        let Some(t) = self.tables.get("nat") else {
            return Vec::new();
        };
        let mut v = Vec::new();
        for r in t.chains.get("DOCKER").into_iter().flatten() {
            let Target::Dnat(ip, port) = r.target else {
                continue;
            };
            let mut addr = 0;
            let mut proto = Proto::Tcp;
            let mut hport = None;
            for c in &r.conds {
                match c {
                    Cond::Dst(a, 32, false) => addr = *a,
                    Cond::Proto(p, false) if p == "udp" => proto = Proto::Udp,
                    Cond::Dport(a, _, false) => hport = Some(*a),
                    _ => {}
                }
            }
            if let Some(h) = hport {
                v.push((addr, proto, h, ip, port.unwrap_or(h)));
            }
        }
        v
    }

    // ---- DNS and files ----

    pub fn dns_zone_update(&mut self, zone: &str, add: &[DnsRecord], remove: &[DnsRecord]) {
        let z = self.zones.entry(zone.to_string()).or_default();
        for r in remove {
            let key = r.name.to_ascii_lowercase();
            if let Some(a) = z.get_mut(&key) {
                a.remove(&r.address);
                if a.is_empty() {
                    z.remove(&key);
                }
            }
        }
        for r in add {
            z.entry(r.name.to_ascii_lowercase())
                .or_default()
                .insert(r.address.clone());
        }
        if z.is_empty() {
            self.zones.remove(zone);
        }
    }

    pub fn set_dns(&mut self, container: &str, zones: &[String], own: &[DnsRecord]) {
        if zones.is_empty() && own.is_empty() {
            self.dns.remove(container);
        } else {
            self.dns
                .insert(container.to_string(), (zones.to_vec(), own.to_vec()));
        }
    }

    /// The addresses the container's embedded DNS gives for `name` (its own records
    /// first, then its zones in order), or None if it runs no embedded DNS.
    fn dns_lookup(&self, container: &str, name: &str) -> Option<Vec<String>> {
        let (zones, own) = self.dns.get(container)?;
        let hits: Vec<String> = own
            .iter()
            .filter(|r| r.name.eq_ignore_ascii_case(name))
            .map(|r| r.address.clone())
            .collect();
        if !hits.is_empty() {
            return Some(hits);
        }
        let key = name.to_ascii_lowercase();
        Some(
            zones
                .iter()
                .filter_map(|z| self.zones.get(z)?.get(&key))
                .flatten()
                .cloned()
                .collect::<BTreeSet<String>>()
                .into_iter()
                .collect(),
        )
    }

    /// Every record the container's embedded DNS answers, sorted.
    pub fn dns_records(&self, container: &str) -> Option<Vec<DnsRecord>> {
        let (zones, own) = self.dns.get(container)?;
        let mut v: BTreeSet<DnsRecord> = own.iter().cloned().collect();
        for z in zones {
            for (name, addrs) in self.zones.get(z).into_iter().flatten() {
                for a in addrs {
                    v.insert(DnsRecord {
                        name: name.clone(),
                        address: a.clone(),
                    });
                }
            }
        }
        Some(v.into_iter().collect())
    }

    pub fn write_file(&mut self, container: &str, name: &str, content: &str) {
        self.files
            .entry(container.to_string())
            .or_default()
            .insert(name.to_string(), content.to_string());
    }

    pub fn file(&self, container: &str, name: &str) -> Option<&str> {
        self.files.get(container)?.get(name).map(String::as_str)
    }

    /// A container is removed: its files go.
    pub fn forget_container(&mut self, container: &str) {
        self.files.remove(container);
        self.dns.remove(container);
    }

    /// Asks the DNS server at `server` for `name`, from namespace `ns` (for the
    /// embedded server, on behalf of `container`).
    pub fn dns_query(
        &self,
        ns: u64,
        container: Option<&str>,
        server: &str,
        name: &str,
        now: Time,
    ) -> DnsAnswer {
        let name = name.trim_end_matches('.');
        if server == EMBEDDED_DNS {
            // The server belongs to the namespace: a container that joined another's
            // (`--network container:NAME`) asks the owner's.
            let owner = self.netns.get(&ns).and_then(|n| n.container.as_deref());
            let hits = container
                .and_then(|c| self.dns_lookup(c, name))
                .or_else(|| owner.and_then(|c| self.dns_lookup(c, name)));
            let Some(hits) = hits else {
                // No embedded server in this namespace: nothing listens on 127.0.0.11.
                return DnsAnswer::NoServer;
            };
            if !hits.is_empty() {
                return DnsAnswer::Addrs(hits);
            }
            // Other names: forwarded to the host's resolver, from the container's
            // namespace (an --internal network has no way there).
            return match self.world_lookup(name) {
                Some(a)
                    if self
                        .probe(ns, HOST_RESOLVER, Proto::Udp, 53, now)
                        .answered() =>
                {
                    DnsAnswer::Addrs(vec![a])
                }
                Some(_) => DnsAnswer::NoServer,
                None => DnsAnswer::NxDomain,
            };
        }
        let p = self.probe(ns, server, Proto::Udp, 53, now);
        let world_server = matches!(&p.outcome, Outcome::Answered { netns, .. } if *netns == 0);
        if !world_server {
            return DnsAnswer::NoServer;
        }
        match self.world_lookup(name) {
            Some(a) => DnsAnswer::Addrs(vec![a]),
            None => DnsAnswer::NxDomain,
        }
    }

    /// The address of a host of the outside world, by name.
    pub fn world_address(&self, name: &str) -> Option<String> {
        self.world_lookup(name)
    }

    fn world_lookup(&self, name: &str) -> Option<String> {
        WORLD
            .iter()
            .filter(|(n, _, _)| *n != "gateway" && *n != "resolver")
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, a, _)| a.to_string())
    }

    // ---- reachability ----

    /// Whether `ip` is one of the namespace's own addresses (127/8 counts on lo).
    pub fn is_local(&self, ns: u64, ip: u32) -> bool {
        self.netns.get(&ns).is_some_and(|n| {
            n.ifaces.values().any(|i| match i.addr {
                Some((a, p)) if i.kind == IfKind::Loopback => in_net(ip, a, p),
                Some((a, _)) => a == ip && i.up,
                None => false,
            })
        })
    }

    /// Route lookup: (out interface, next hop, source address).
    fn route(&self, ns: u64, dst: u32) -> Option<(Iface, u32, u32)> {
        let n = self.netns.get(&ns)?;
        let mut best: Option<(u8, &Iface, u32)> = None;
        for i in n.ifaces.values().filter(|i| i.up) {
            if let Some((a, p)) = i.addr {
                if in_net(dst, a, p) && best.is_none_or(|b| p > b.0) {
                    best = Some((p, i, dst));
                }
            }
        }
        for r in &n.routes {
            if in_net(dst, r.dst, r.prefix) && best.is_none_or(|b| r.prefix > b.0) {
                if let Some(i) = n.ifaces.get(&r.dev).filter(|i| i.up) {
                    best = Some((r.prefix, i, r.via.unwrap_or(dst)));
                }
            }
        }
        let (_, i, hop) = best?;
        let src = i.addr.map(|a| a.0).or_else(|| {
            n.ifaces
                .values()
                .find(|i| i.kind != IfKind::Loopback && i.addr.is_some())
                .and_then(|i| i.addr.map(|a| a.0))
        })?;
        Some((i.clone(), hop, src))
    }

    /// L2: from the interface `(ns, idx)`, across veth pairs and bridge ports, the
    /// interface that owns `ip` (and the bridge crossed on the way, if any).
    fn l2_find(&self, ns: u64, idx: u32, ip: u32) -> Option<((u64, u32), Option<String>)> {
        let start = *self.if_node.get(&(ns, idx))?;
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([start]);
        seen.insert(start);
        let mut bridge = None;
        while let Some(n) = queue.pop_front() {
            if let Some(GNode::If(ins, iidx)) = self.graph.node_weight(n) {
                let i = &self.netns[ins].ifaces[iidx];
                if i.kind == IfKind::Bridge {
                    bridge = Some(i.name.clone());
                }
                if n != start && i.up && i.addr.is_some_and(|(a, _)| a == ip) {
                    return Some(((*ins, *iidx), bridge));
                }
            }
            for e in self.graph.edges(n) {
                if !matches!(e.weight(), GEdge::Veth | GEdge::Port) {
                    continue;
                }
                let m = if e.source() == n {
                    e.target()
                } else {
                    e.source()
                };
                if seen.insert(m) {
                    queue.push_back(m);
                }
            }
        }
        None
    }

    /// Where a packet from namespace `from` to `dst:port` ends, and the way it went.
    pub fn probe(&self, from: u64, dst: &str, proto: Proto, port: u16, now: Time) -> Probe {
        let Some(d) = parse_ip(dst) else {
            return Probe {
                outcome: Outcome::HostUnreachable,
                hops: Vec::new(),
                src: None,
                dst: dst.to_string(),
                port,
            };
        };
        self.probe_ip(from, d, proto, port, now, 0)
    }

    fn probe_ip(
        &self,
        from: u64,
        dst: u32,
        proto: Proto,
        port: u16,
        now: Time,
        depth: u32,
    ) -> Probe {
        let mut hops = Vec::new();
        let mut pkt = Pkt {
            src: 0,
            dst,
            proto,
            dport: port,
            in_if: None,
            out_if: None,
        };
        let mut ns = from;
        let mut local = true;
        let mut src_set = false;
        let mut nat_out_done = false;
        if from == WORLD_NETNS {
            // From the internet: in through the host's uplink.
            ns = HOST_NETNS;
            local = false;
            src_set = true;
            pkt.src = parse_ip(WORLD_CLIENT).unwrap_or(0);
            pkt.in_if = Some("eth0".into());
            hops.push(Hop {
                netns: WORLD_NETNS,
                what: format!("from {WORLD_CLIENT} in on the host's eth0"),
            });
        }
        let done = |outcome: Outcome, hops: Vec<Hop>, pkt: &Pkt, src_set: bool| Probe {
            outcome,
            hops,
            src: src_set.then(|| fmt_ip(pkt.src)),
            dst: fmt_ip(pkt.dst),
            port: pkt.dport,
        };
        for _ in 0..16 {
            let host = ns == HOST_NETNS;
            if host && !local {
                // Arriving from a bridge or the uplink: raw, then nat PREROUTING.
                let (v, rule) = self.walk("raw", "PREROUTING", &pkt);
                if matches!(v, Verdict::Drop | Verdict::Reject) {
                    hops.push(Hop {
                        netns: ns,
                        what: format!("raw PREROUTING: dropped by `{rule}`"),
                    });
                    return done(Outcome::Timeout, hops, &pkt, src_set);
                }
                let (v, rule) = self.walk("nat", "PREROUTING", &pkt);
                if let Verdict::Dnat(ip, p) = v {
                    hops.push(Hop {
                        netns: ns,
                        what: format!(
                            "nat PREROUTING: DNAT {}:{} → {}:{} by `{rule}`",
                            fmt_ip(pkt.dst),
                            pkt.dport,
                            fmt_ip(ip),
                            p.unwrap_or(pkt.dport)
                        ),
                    });
                    pkt.dst = ip;
                    pkt.dport = p.unwrap_or(pkt.dport);
                }
            }
            if host && local && !nat_out_done {
                // Locally generated: nat OUTPUT may redirect it (published ports on the
                // host's own addresses), before the packet is routed again.
                nat_out_done = true;
                let mut q = pkt.clone();
                q.src = self.route(ns, pkt.dst).map(|r| r.2).unwrap_or(0);
                q.out_if = if self.is_local(ns, pkt.dst) {
                    Some("lo".into())
                } else {
                    self.route(ns, pkt.dst).map(|r| r.0.name)
                };
                let (v, rule) = self.walk("nat", "OUTPUT", &q);
                if let Verdict::Dnat(ip, p) = v {
                    hops.push(Hop {
                        netns: ns,
                        what: format!(
                            "nat OUTPUT: DNAT {}:{} → {}:{} by `{rule}`",
                            fmt_ip(pkt.dst),
                            pkt.dport,
                            fmt_ip(ip),
                            p.unwrap_or(pkt.dport)
                        ),
                    });
                    pkt.dst = ip;
                    pkt.dport = p.unwrap_or(pkt.dport);
                }
            }
            if self.is_local(ns, pkt.dst) {
                if host && !local {
                    let mut q = pkt.clone();
                    q.out_if = None;
                    let (v, rule) = self.walk("filter", "INPUT", &q);
                    if matches!(v, Verdict::Drop) {
                        hops.push(Hop {
                            netns: ns,
                            what: format!("filter INPUT: dropped by `{rule}`"),
                        });
                        return done(Outcome::Timeout, hops, &pkt, src_set);
                    }
                }
                if !src_set {
                    pkt.src = if in_net(pkt.dst, 0x7f00_0000, 8) {
                        0x7f00_0001
                    } else {
                        pkt.dst
                    };
                    src_set = true;
                }
                return self.deliver(ns, pkt, hops, now, depth, src_set);
            }
            let Some((out, hop, src)) = self.route(ns, pkt.dst) else {
                hops.push(Hop {
                    netns: ns,
                    what: format!("no route to {}", fmt_ip(pkt.dst)),
                });
                let o = if local {
                    Outcome::NetUnreachable
                } else {
                    Outcome::HostUnreachable
                };
                return done(o, hops, &pkt, src_set);
            };
            if !src_set {
                pkt.src = src;
                src_set = true;
            }
            pkt.out_if = Some(out.name.clone());
            hops.push(Hop {
                netns: ns,
                what: format!(
                    "route to {} via {} dev {}",
                    fmt_ip(pkt.dst),
                    fmt_ip(hop),
                    out.name
                ),
            });
            if host {
                if local {
                    let (v, rule) = self.walk("filter", "OUTPUT", &pkt);
                    if matches!(v, Verdict::Drop) {
                        hops.push(Hop {
                            netns: ns,
                            what: format!("filter OUTPUT: dropped by `{rule}`"),
                        });
                        return done(Outcome::Timeout, hops, &pkt, src_set);
                    }
                } else {
                    let (v, rule) = self.walk("filter", "FORWARD", &pkt);
                    match v {
                        Verdict::Drop => {
                            hops.push(Hop {
                                netns: ns,
                                what: format!("filter FORWARD: dropped by `{rule}`"),
                            });
                            return done(Outcome::Timeout, hops, &pkt, src_set);
                        }
                        Verdict::Reject => {
                            hops.push(Hop {
                                netns: ns,
                                what: format!("filter FORWARD: rejected by `{rule}`"),
                            });
                            return done(Outcome::Refused, hops, &pkt, src_set);
                        }
                        _ => hops.push(Hop {
                            netns: ns,
                            what: format!("filter FORWARD: accepted by `{rule}`"),
                        }),
                    }
                }
                let (v, rule) = self.walk("nat", "POSTROUTING", &pkt);
                match v {
                    Verdict::Masquerade => {
                        if let Some((a, _)) = out.addr {
                            hops.push(Hop {
                                netns: ns,
                                what: format!(
                                    "nat POSTROUTING: MASQUERADE {} → {} by `{rule}`",
                                    fmt_ip(pkt.src),
                                    fmt_ip(a)
                                ),
                            });
                            pkt.src = a;
                        }
                    }
                    Verdict::Snat(a) => {
                        hops.push(Hop {
                            netns: ns,
                            what: format!("nat POSTROUTING: SNAT → {} by `{rule}`", fmt_ip(a)),
                        });
                        pkt.src = a;
                    }
                    _ => {}
                }
            }
            // Leave through `out`.
            match &out.kind {
                IfKind::Uplink => {
                    let wired = self
                        .if_node
                        .get(&(ns, out.index))
                        .is_some_and(|n| self.graph.find_edge(*n, self.world).is_some());
                    if !wired {
                        return done(Outcome::HostUnreachable, hops, &pkt, src_set);
                    }
                    hops.push(Hop {
                        netns: ns,
                        what: format!("{} → the outside world via {}", out.name, fmt_ip(hop)),
                    });
                    let ip = pkt.dst;
                    let back = in_net(pkt.src, parse_ip(HOST_ADDR).unwrap_or(0), 24);
                    let host = WORLD.iter().find(|(_, a, _)| parse_ip(a) == Some(ip));
                    let outcome = match host {
                        _ if !back => {
                            hops.push(Hop {
                                netns: 0,
                                what: format!(
                                    "no way back to the private address {}",
                                    fmt_ip(pkt.src)
                                ),
                            });
                            Outcome::Timeout
                        }
                        None => Outcome::Timeout,
                        Some((name, _, ports)) => {
                            if proto == Proto::Icmp
                                || ports.contains(&pkt.dport)
                                || (proto == Proto::Udp && ports.contains(&53))
                            {
                                Outcome::Answered {
                                    netns: 0,
                                    comm: name.to_string(),
                                    pid: None,
                                }
                            } else {
                                Outcome::Timeout
                            }
                        }
                    };
                    return done(outcome, hops, &pkt, src_set);
                }
                IfKind::Loopback => {
                    return self.deliver(ns, pkt, hops, now, depth, src_set);
                }
                IfKind::Bridge | IfKind::Veth { .. } => {
                    let Some(((tns, tidx), bridge)) = self.l2_find(ns, out.index, hop) else {
                        hops.push(Hop {
                            netns: ns,
                            what: format!("no answer to ARP for {} on {}", fmt_ip(hop), out.name),
                        });
                        return done(Outcome::HostUnreachable, hops, &pkt, src_set);
                    };
                    let target = &self.netns[&tns].ifaces[&tidx];
                    if let Some(b) = &bridge {
                        hops.push(Hop {
                            netns: HOST_NETNS,
                            what: format!("bridge {b}"),
                        });
                        // Bridged between two ports: br_netfilter runs FORWARD with the
                        // bridge as both interfaces.
                        if ns != HOST_NETNS && tns != HOST_NETNS {
                            let mut q = pkt.clone();
                            q.in_if = Some(b.clone());
                            q.out_if = Some(b.clone());
                            let (v, rule) = self.walk("filter", "FORWARD", &q);
                            if matches!(v, Verdict::Drop | Verdict::Reject) {
                                hops.push(Hop {
                                    netns: HOST_NETNS,
                                    what: format!("filter FORWARD (bridged): dropped by `{rule}`"),
                                });
                                return done(Outcome::Timeout, hops, &pkt, src_set);
                            }
                            hops.push(Hop {
                                netns: HOST_NETNS,
                                what: format!("filter FORWARD (bridged): accepted by `{rule}`"),
                            });
                        }
                    }
                    hops.push(Hop {
                        netns: tns,
                        what: format!("in on {}", target.name),
                    });
                    pkt.in_if = Some(target.name.clone());
                    pkt.out_if = None;
                    ns = tns;
                    local = false;
                }
            }
        }
        done(Outcome::Timeout, hops, &pkt, src_set)
    }

    fn deliver(
        &self,
        ns: u64,
        pkt: Pkt,
        mut hops: Vec<Hop>,
        now: Time,
        depth: u32,
        src_set: bool,
    ) -> Probe {
        let mk = |outcome, hops| Probe {
            outcome,
            hops,
            src: src_set.then(|| fmt_ip(pkt.src)),
            dst: fmt_ip(pkt.dst),
            port: pkt.dport,
        };
        if pkt.proto == Proto::Icmp {
            hops.push(Hop {
                netns: ns,
                what: format!("echo reply from {}", fmt_ip(pkt.dst)),
            });
            return mk(
                Outcome::Answered {
                    netns: ns,
                    comm: "ping".into(),
                    pid: None,
                },
                hops,
            );
        }
        if let Some(l) = self
            .listeners
            .get(&(ns, pkt.proto, pkt.dport))
            .filter(|l| l.since <= now)
        {
            if l.frozen {
                hops.push(Hop {
                    netns: ns,
                    what: format!(
                        "the kernel accepts on port {} for {} (pid {}), which is frozen and never answers",
                        pkt.dport, l.comm, l.pid
                    ),
                });
                return mk(
                    Outcome::Stalled {
                        netns: ns,
                        comm: l.comm.clone(),
                        pid: l.pid,
                    },
                    hops,
                );
            }
            hops.push(Hop {
                netns: ns,
                what: format!("{} (pid {}) accepts on port {}", l.comm, l.pid, pkt.dport),
            });
            return mk(
                Outcome::Answered {
                    netns: ns,
                    comm: l.comm.clone(),
                    pid: Some(l.pid),
                },
                hops,
            );
        }
        if ns == HOST_NETNS && depth < 2 {
            let proxy = self.proxies().into_iter().find(|(a, pr, h, _, _)| {
                *pr == pkt.proto && *h == pkt.dport && (*a == 0 || *a == pkt.dst)
            });
            if let Some((_, pr, _, tip, tport)) = proxy {
                hops.push(Hop {
                    netns: ns,
                    what: format!(
                        "docker-proxy accepts on port {} and connects to {}:{tport}",
                        pkt.dport,
                        fmt_ip(tip)
                    ),
                });
                let inner = self.probe_ip(HOST_NETNS, tip, pr, tport, now, depth + 1);
                hops.extend(inner.hops.iter().cloned());
                let outcome = match inner.outcome {
                    o @ (Outcome::Answered { .. } | Outcome::Stalled { .. }) => o,
                    _ => Outcome::Reset,
                };
                // The backend sees docker-proxy's connection, from the host's side.
                let mut p = mk(outcome, hops);
                p.src = inner.src;
                return p;
            }
        }
        hops.push(Hop {
            netns: ns,
            what: format!("nothing listens on {} port {}", pkt.proto.name(), pkt.dport),
        });
        mk(Outcome::Refused, hops)
    }

    /// The namespaces for the view: the host's first, with interfaces and listeners.
    pub fn netns_info(&self) -> Vec<NetNsInfo> {
        let mut v: Vec<NetNsInfo> = Vec::new();
        let order = std::iter::once(HOST_NETNS)
            .chain(self.netns.keys().copied().filter(|k| *k != HOST_NETNS));
        for ns in order {
            let mut listeners = self.listeners(ns);
            if ns == HOST_NETNS {
                for (_, pr, h, _, _) in self.proxies() {
                    listeners.push(Listener {
                        proto: pr.name().into(),
                        port: h,
                        pid: 0,
                        comm: "docker-proxy".into(),
                    });
                }
            }
            v.push(NetNsInfo {
                inode: ns,
                interfaces: self.interfaces(ns),
                listeners,
            });
        }
        v
    }

    /// A canonical encoding of the state, for the state digest.
    pub fn digest_into(&self, out: &mut dyn FnMut(&[u8])) {
        if let Ok(b) = serde_json::to_vec(&(
            &self.netns,
            &self.tables,
            &self.zones,
            &self.dns,
            &self.files,
            &self.nsids,
        )) {
            out(&b);
        }
        for (k, l) in &self.listeners {
            out(format!("listen {k:?} {} {} {}\n", l.pid, l.comm, l.since.0).as_bytes());
        }
        for (pid, settings) in &self.apps {
            out(format!("app {pid} {settings:?}\n").as_bytes());
        }
    }

    /// Checks the graph against the tables (for tests): every veth has its peer, each
    /// index appears once per namespace, and the graph has a node per interface.
    pub fn check(&self) -> Result<(), String> {
        for (ns, n) in &self.netns {
            for (idx, i) in &n.ifaces {
                if *idx != i.index {
                    return Err(format!("{ns}: index {idx} holds {}", i.index));
                }
                if !self.if_node.contains_key(&(*ns, *idx)) {
                    return Err(format!("{ns}: {} has no graph node", i.name));
                }
                if let IfKind::Veth {
                    peer_ns,
                    peer_index,
                } = i.kind
                {
                    let peer = self
                        .netns
                        .get(&peer_ns)
                        .and_then(|p| p.ifaces.get(&peer_index));
                    match peer {
                        Some(Iface {
                            kind:
                                IfKind::Veth {
                                    peer_ns: b,
                                    peer_index: bi,
                                },
                            ..
                        }) if *b == *ns && *bi == *idx => {}
                        _ => return Err(format!("{ns}: veth {} has no peer", i.name)),
                    }
                }
            }
            let names: BTreeSet<&str> = n.ifaces.values().map(|i| i.name.as_str()).collect();
            if names.len() != n.ifaces.len() {
                return Err(format!("{ns}: two interfaces share a name"));
            }
        }
        if self.if_node.len() + self.ns_node.len() + 1 != self.graph.node_count() {
            return Err("graph out of step with the namespaces".into());
        }
        Ok(())
    }
}

fn err(op: &str, path: impl Into<String>, message: impl Into<String>) -> KernelError {
    KernelError {
        op: op.into(),
        path: path.into(),
        message: message.into(),
        exit_code: None,
    }
}

/// A process's view of the network, for the programs it runs (`ping`, `wget`, …).
#[derive(Clone, Copy)]
pub struct NetView<'a> {
    pub net: &'a SimNet,
    pub netns: u64,
    pub container: Option<&'a str>,
    pub now: Time,
    /// The process's host PID (for its own sockets).
    pub pid: u32,
}

impl NetView<'_> {
    pub fn probe(&self, dst: &str, proto: Proto, port: u16) -> Probe {
        self.net.probe(self.netns, dst, proto, port, self.now)
    }
    pub fn dns(&self, server: &str, name: &str) -> DnsAnswer {
        self.net
            .dns_query(self.netns, self.container, server, name, self.now)
    }
    pub fn port_in_use(&self, proto: Proto, port: u16) -> bool {
        self.net.port_in_use(self.netns, proto, port)
    }
}
