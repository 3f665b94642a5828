//! libnetwork's logic: networks (bridge, host, none and user-defined bridges), IPAM,
//! endpoints, published ports and their NAT rules, the embedded DNS, `--link`; and the
//! `docker network` and `docker port` commands. The kernel does the plumbing through the
//! `Kernel` trait's networking methods.
//!
//! What follows moby v28.2.2:
//! - default address pools (`libnetwork/ipamutils`): 172.17–172.19/16, 172.20/14,
//!   172.24/14 and 172.28/14 split in /16s, then 192.168.0.0/16 split in /20s; the first
//!   one that overlaps no existing network is taken;
//! - addresses (`libnetwork/ipams/defaultipam`, `addrset`): local networks do not ask for
//!   serial allocation, so each request gets the lowest free address of the subnet (or of
//!   `--ip-range`); the gateway is asked for first, so it is the first address;
//! - MAC addresses: the bridge driver's `CreateEndpoint` calls
//!   `netutils.GenerateRandomMAC()` (random, locally administered, unicast) — Docker 28 no
//!   longer derives the MAC from the IP (`02:42:ac:11:00:02` was Docker ≤ 25), so the
//!   MACs here are random draws from the network RNG;
//! - host ports (`libnetwork/portallocator`): an explicit port is refused if taken; a
//!   dynamic one is the next free port after the last one given, in 32768–60999;
//! - iptables (`libnetwork/drivers/bridge/internal/iptabler`): the 28.x chains
//!   DOCKER-USER, DOCKER-FORWARD, DOCKER-CT, DOCKER-BRIDGE, DOCKER-ISOLATION-STAGE-1/2 and
//!   DOCKER, in the form `iptables -S` prints, with the userland proxy on (no hairpin NAT);
//! - with a default port binding Docker binds both 0.0.0.0 and [::] (the proxy takes IPv6
//!   connections to an IPv4-only container), so `docker port` and `docker ps` show both.
//!
//! Network randomness (network, endpoint and sandbox IDs, veth names, MACs) comes from a
//! second ChaCha8 stream derived from the seed, so the engine's own stream (container
//! IDs, names) is the same with or without networking.

use crate::cli;
use crate::daemon::{api_step, http, ApiError};
use crate::engine::{Container, Engine};
use crate::kernel::{BridgeSpec, DnsRecord, IptablesOp, Kernel, Rule, VethSpec};
use crate::rng::Rng;
use crate::time::Time;
use crate::trace::{Change, Component, Object, Step};
use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The address the embedded DNS server listens on in every container's netns.
pub const DNS_ADDRESS: &str = "127.0.0.11";
/// The nameserver of the simulated host's /etc/resolv.conf (a VM behind QEMU's user
/// network), which containers on the default bridge copy.
pub const HOST_NAMESERVER: &str = "10.0.2.3";
/// The dynamic port range the port allocator reads from ip_local_port_range.
pub const DYNAMIC_PORTS: (u16, u16) = (32768, 60999);
const MTU: u32 = 1500;

/// The network RNG: its own ChaCha8 stream; only its position goes into the digest.
#[derive(Clone, Debug)]
struct NetRng(Rng);

impl Default for NetRng {
    fn default() -> Self {
        NetRng(Rng::new(0))
    }
}
impl PartialEq for NetRng {
    fn eq(&self, o: &Self) -> bool {
        self.0.seed() == o.0.seed() && self.0.position() == o.0.position()
    }
}
impl Eq for NetRng {}
impl Serialize for NetRng {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{}@{}", self.0.seed(), self.0.position()))
    }
}

/// An IPv4 prefix: the address as written and the prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Prefix {
    pub addr: u32,
    pub bits: u8,
}

impl Prefix {
    fn mask(self) -> u32 {
        if self.bits == 0 {
            0
        } else {
            u32::MAX << (32 - self.bits as u32)
        }
    }
    pub fn network(self) -> u32 {
        self.addr & self.mask()
    }
    pub fn broadcast(self) -> u32 {
        self.network() | !self.mask()
    }
    pub fn masked(self) -> Prefix {
        Prefix {
            addr: self.network(),
            bits: self.bits,
        }
    }
    pub fn contains(self, ip: u32) -> bool {
        ip & self.mask() == self.network()
    }
    pub fn overlaps(self, o: Prefix) -> bool {
        let bits = self.bits.min(o.bits);
        let p = Prefix {
            addr: self.addr,
            bits,
        };
        p.contains(o.addr)
    }
    pub fn parse(s: &str) -> Option<Prefix> {
        let (a, b) = s.split_once('/')?;
        let bits: u8 = b.parse().ok().filter(|b: &u8| *b <= 32)?;
        if b.starts_with('+') || (b.len() > 1 && b.starts_with('0')) {
            return None;
        }
        Some(Prefix {
            addr: parse_ip(a)?,
            bits,
        })
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", ip_str(self.addr), self.bits)
    }
}

/// A dotted-quad IPv4 address as Go's netip parses it (no leading zeros).
pub fn parse_ip(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut v = 0u32;
    for p in parts {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if p.len() > 1 && p.starts_with('0') {
            return None;
        }
        let n: u32 = p.parse().ok()?;
        if n > 255 {
            return None;
        }
        v = (v << 8) | n;
    }
    Some(v)
}

pub fn ip_str(ip: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        ip >> 24,
        (ip >> 16) & 255,
        (ip >> 8) & 255,
        ip & 255
    )
}

/// A network dockerd knows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Network {
    pub id: String,
    pub name: String,
    /// "bridge", "host" or "null".
    pub driver: String,
    pub created: Time,
    pub subnet: Option<Prefix>,
    pub gateway: Option<u32>,
    /// The gateway as the user gave it (inspect shows the configured value only).
    pub user_gateway: bool,
    pub ip_range: Option<Prefix>,
    /// `--subnet` was given (only then may containers ask for `--ip`).
    pub user_subnet: bool,
    pub internal: bool,
    pub attachable: bool,
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
    /// The predefined networks have `null` IPAM options; user ones `{}`.
    pub predefined: bool,
    /// The Linux bridge (`docker0`, `br-<12 hex>`); empty for host and null.
    pub bridge: String,
    /// Addresses taken: the gateway and the endpoints'.
    pub used: BTreeSet<u32>,
    /// Container ID → its endpoint, while the container runs.
    pub endpoints: BTreeMap<String, Endpoint>,
    /// The rules this network installed (to delete at `network rm`).
    pub rules: Vec<Rule>,
    /// What the embedded DNS answers on this network: every endpoint's DNS names, sorted.
    pub dns: BTreeSet<DnsRecord>,
    /// Changes to `dns` not yet handed to the kernel's zone (true = added).
    #[serde(skip)]
    pub dns_pending: Vec<(bool, DnsRecord)>,
}

impl Network {
    /// The network without its endpoints and address book (cheap to copy around).
    fn shallow(&self) -> Network {
        Network {
            id: self.id.clone(),
            name: self.name.clone(),
            driver: self.driver.clone(),
            created: self.created,
            subnet: self.subnet,
            gateway: self.gateway,
            user_gateway: self.user_gateway,
            ip_range: self.ip_range,
            user_subnet: self.user_subnet,
            internal: self.internal,
            attachable: self.attachable,
            labels: self.labels.clone(),
            options: self.options.clone(),
            predefined: self.predefined,
            bridge: self.bridge.clone(),
            used: BTreeSet::new(),
            endpoints: BTreeMap::new(),
            rules: Vec::new(),
            dns: BTreeSet::new(),
            dns_pending: Vec::new(),
        }
    }
    fn add_dns(&mut self, names: &[String], ip: u32) {
        for n in names {
            let r = DnsRecord {
                name: n.clone(),
                address: ip_str(ip),
            };
            if self.dns.insert(r.clone()) {
                self.dns_pending.push((true, r));
            }
        }
    }
    fn remove_dns(&mut self, names: &[String], ip: u32) {
        for n in names {
            let r = DnsRecord {
                name: n.clone(),
                address: ip_str(ip),
            };
            if self.dns.remove(&r) {
                self.dns_pending.push((false, r));
            }
        }
    }
    fn is_bridge(&self) -> bool {
        self.driver == "bridge"
    }
    /// User-defined networks get the embedded DNS.
    fn user_defined(&self) -> bool {
        !self.predefined
    }
    fn range(&self) -> Option<Prefix> {
        self.ip_range.or(self.subnet)
    }
}

/// A container's attachment to a network while it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub id: String,
    pub container: String,
    /// The container's name: the endpoint's name.
    pub name: String,
    /// 0 for host and null networks.
    pub ip: u32,
    pub mac: String,
    pub ifname: String,
    pub host_ifname: String,
    pub aliases: Vec<String>,
    pub dns_names: Vec<String>,
    pub links: Vec<String>,
    /// Published ports bound through this endpoint (its network is the gateway).
    pub ports: Vec<Bound>,
    /// The per-endpoint and per-port rules installed (deleted at release).
    pub rules: Vec<Rule>,
    pub static_ip: Option<String>,
}

/// What the user asked for on one network (`--network`, `--ip`, `--network-alias`,
/// `--link`, or `docker network connect`'s flags).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EpConfig {
    /// The network name as given (a name, an ID or an ID prefix, resolved at start).
    pub network: String,
    /// The network's ID once the container was attached (kept after it stops).
    pub network_id: String,
    pub dns_names: Vec<String>,
    pub ip: Option<String>,
    pub aliases: Vec<String>,
    pub links: Vec<String>,
}

/// `-p [IP:][HOSTPORT:]PORT[/PROTO]`, one container port.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PortSpec {
    pub port: u16,
    pub proto: String,
    pub host_ip: String,
    /// "" (dynamic), "8000" or a range "8000-8010".
    pub host_port: String,
}

/// A host port bound to a container port.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Bound {
    pub port: u16,
    pub proto: String,
    pub host_ip: String,
    pub host_port: u16,
}

/// A container's networking settings: what was asked at create and connect, and what it
/// has while it runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ContainerNet {
    pub mode: String,
    /// The networks it is to join, in order (the first is the gateway).
    pub endpoints: Vec<EpConfig>,
    pub bindings: Vec<PortSpec>,
    pub publish_all: bool,
    /// Legacy links on the default bridge: (container name, alias).
    pub links: Vec<(String, String)>,
    /// The sandbox (network namespace) ID while it runs.
    pub sandbox: Option<String>,
    /// /etc/hosts lines for legacy links, set at start.
    pub link_hosts: Vec<(u32, String)>,
    /// Every published port while it runs.
    pub ports: Vec<Bound>,
}

/// The port allocator's state for one host IP and protocol.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
struct PortMap {
    taken: BTreeSet<u16>,
    /// The last port given per range ("32768-60999" for dynamic ones).
    last: BTreeMap<String, u16>,
}

/// Takes a host port for each of `ips` (the same port on all): the given one, or the
/// next free one of the range after the last one given (portallocator's
/// `RequestPortsInRange`). On failure, the (IP, port) that was taken, or port 0 when the
/// whole range is.
fn request_port(
    ports: &mut BTreeMap<String, PortMap>,
    ips: &[String],
    proto: &str,
    range: (u16, u16),
) -> Result<u16, (String, u16)> {
    let keys: Vec<String> = ips.iter().map(|ip| format!("{ip}/{proto}")).collect();
    if range.0 == range.1 {
        for (k, ip) in keys.iter().zip(ips) {
            if ports.get(k).is_some_and(|m| m.taken.contains(&range.0)) {
                return Err((ip.clone(), range.0));
            }
        }
        for k in &keys {
            ports.entry(k.clone()).or_default().taken.insert(range.0);
        }
        return Ok(range.0);
    }
    let rkey = format!("{}-{}", range.0, range.1);
    let last = ports
        .get(&keys[0])
        .and_then(|m| m.last.get(&rkey).copied())
        .unwrap_or(range.1);
    let mut port = last;
    for _ in range.0..=range.1 {
        port = if port >= range.1 { range.0 } else { port + 1 };
        let free = keys
            .iter()
            .all(|k| !ports.get(k).is_some_and(|m| m.taken.contains(&port)));
        if free {
            for k in &keys {
                let m = ports.entry(k.clone()).or_default();
                m.taken.insert(port);
                m.last.insert(rkey.clone(), port);
            }
            return Ok(port);
        }
    }
    Err((String::new(), 0))
}

/// Every network dockerd knows, and the state of its address pools.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Networks {
    rng: NetRng,
    nets: BTreeMap<String, Network>,
    ports: BTreeMap<String, PortMap>,
    containers: BTreeMap<String, ContainerNet>,
    /// The containers with links (legacy `--link` or link aliases): the few whose
    /// /etc/hosts or DNS records follow other containers. An index, so that a start
    /// does not scan every container.
    #[serde(skip)]
    linkers: BTreeSet<String>,
}

/// The flags of `docker run`/`create` that concern networking, as the CLI checked them.
#[derive(Clone, Debug, Default)]
pub struct NetFlags {
    pub ip: Option<String>,
    pub aliases: Vec<String>,
    pub links: Vec<(String, String)>,
    pub bindings: Vec<PortSpec>,
    pub publish_all: bool,
    /// `--expose` and `-p` ports, `80/tcp`.
    pub exposed: Vec<String>,
    /// `--expose` was given.
    pub expose_flag: bool,
}

/// A CLI-side refusal: a plain `docker: …` error, or a flag value pflag refused (usage).
pub enum FlagError {
    Cli(String),
    Flag(String),
}

fn parse_port_range(s: &str) -> Option<(u16, u16)> {
    let num = |x: &str| -> Option<u16> {
        if x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        x.parse().ok()
    };
    match s.split_once('-') {
        None => num(s).map(|p| (p, p)),
        Some((a, b)) => {
            let (a, b) = (num(a)?, num(b)?);
            (b >= a).then_some((a, b))
        }
    }
}

/// go-connections' `nat.ParsePortSpec`, with the docker CLI's wording.
pub fn parse_port_spec(raw: &str) -> Result<Vec<PortSpec>, String> {
    let parts: Vec<&str> = raw.split(':').collect();
    let n = parts.len();
    let (mut ip, host, container) = match n {
        1 => (String::new(), "", parts[0]),
        2 => (String::new(), parts[0], parts[1]),
        3 => (parts[0].to_string(), parts[1], parts[2]),
        _ => (parts[..n - 2].join(":"), parts[n - 2], parts[n - 1]),
    };
    let (container, proto) = match container.split_once('/') {
        Some((c, p)) => (c, p.to_string()),
        None => (container, "tcp".to_string()),
    };
    if ip.starts_with('[') && ip.ends_with(']') && ip.len() >= 2 {
        ip = ip[1..ip.len() - 1].to_string();
    }
    if !ip.is_empty() && parse_ip(&ip).is_none() && !valid_ipv6(&ip) {
        return Err(format!("invalid IP address: {ip}"));
    }
    if container.is_empty() {
        return Err(format!("no port specified: {raw}<empty>"));
    }
    let (start, end) =
        parse_port_range(container).ok_or_else(|| format!("invalid containerPort: {container}"))?;
    let mut hrange = None;
    if !host.is_empty() {
        let r = parse_port_range(host).ok_or_else(|| format!("invalid hostPort: {host}"))?;
        if (end - start) != (r.1 - r.0) && end != start {
            return Err(format!(
                "invalid ranges specified for container and host Ports: {container} and {host}"
            ));
        }
        hrange = Some(r);
    }
    let proto = proto.to_ascii_lowercase();
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    let mut out = Vec::new();
    for (i, port) in (start..=end).enumerate() {
        let host_port = match hrange {
            None => String::new(),
            Some((a, b)) if end == start && a != b => format!("{a}-{b}"),
            Some((a, _)) => (a + i as u16).to_string(),
        };
        out.push(PortSpec {
            port,
            proto: proto.clone(),
            host_ip: ip.clone(),
            host_port,
        });
    }
    Ok(out)
}

fn valid_ipv6(s: &str) -> bool {
    s.contains(':')
        && s.split(':').count() <= 8
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
}

/// `--expose 80`, `--expose 80/udp`, `--expose 8000-8002`.
fn parse_expose(raw: &str) -> Result<Vec<String>, String> {
    let (ports, proto) = match raw.split_once('/') {
        Some((p, pr)) => (p, pr),
        None => (raw, "tcp"),
    };
    let err = |v: &str| {
        format!("invalid range format for --expose: {raw}, error: strconv.ParseUint: parsing \"{v}\": invalid syntax")
    };
    let (a, b) = match ports.split_once('-') {
        Some((a, b)) => (a, b),
        None => (ports, ports),
    };
    let a: u16 = a.parse().map_err(|_| err(a))?;
    let b: u16 = b.parse().map_err(|_| err(b))?;
    Ok((a..=b.max(a)).map(|p| format!("{p}/{proto}")).collect())
}

/// The CLI's own checks of `-p`, `--expose` and `--link` (exit 125 before any request).
pub fn parse_create_flags(a: &cli::CreateArgs) -> Result<NetFlags, FlagError> {
    let mut f = NetFlags {
        ip: a.ip.clone().filter(|s| !s.is_empty()),
        aliases: a.network_alias.clone(),
        publish_all: a.publish_all,
        ..Default::default()
    };
    for l in &a.link {
        let parts: Vec<&str> = l.split(':').collect();
        let (name, alias) = match parts.as_slice() {
            [n] => (n.to_string(), n.to_string()),
            [n, al] => (n.to_string(), al.to_string()),
            _ => {
                return Err(FlagError::Flag(format!(
                    "invalid argument \"{l}\" for \"--link\" flag: bad format for links: {l}"
                )))
            }
        };
        f.links.push((
            name.trim_start_matches('/').to_string(),
            alias.trim_start_matches('/').to_string(),
        ));
    }
    f.expose_flag = !a.expose.is_empty();
    for e in &a.expose {
        f.exposed.extend(parse_expose(e).map_err(FlagError::Cli)?);
    }
    for p in &a.publish {
        let specs = parse_port_spec(p).map_err(FlagError::Cli)?;
        for s in specs {
            f.exposed.push(format!("{}/{}", s.port, s.proto));
            f.bindings.push(s);
        }
    }
    Ok(f)
}

/// The networking parts of `POST /containers/create`'s body as the docker CLI sends
/// them: `ExposedPorts`, `HostConfig.NetworkMode`/`PortBindings`/`PublishAllPorts`/`Links`
/// and `NetworkingConfig.EndpointsConfig` (only when `--ip` or an alias is given).
pub fn create_body_parts(a: &cli::CreateArgs, f: &NetFlags, x: &mut crate::api::CreateExtras) {
    x.network_mode = a.network.clone().unwrap_or_else(|| "default".into());
    let mut pb: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for b in &f.bindings {
        pb.entry(format!("{}/{}", b.port, b.proto))
            .or_default()
            .push(json!({"HostIp": b.host_ip, "HostPort": b.host_port}));
    }
    x.port_bindings = pb.into_iter().map(|(k, v)| (k, Value::Array(v))).collect();
    x.links.clone_from(&a.link);
    x.publish_all_ports = a.publish_all;
    if f.ip.is_some() || !f.aliases.is_empty() {
        let mut ep = Map::new();
        if let Some(ip) = &f.ip {
            ep.insert("IPAMConfig".into(), json!({"IPv4Address": ip}));
        }
        if !f.aliases.is_empty() {
            ep.insert("Aliases".into(), json!(f.aliases));
        }
        x.endpoints_config
            .insert(x.network_mode.clone(), Value::Object(ep));
    }
    if !f.exposed.is_empty() {
        let mut ports: Vec<&String> = f.exposed.iter().collect();
        ports.sort();
        ports.dedup();
        x.exposed_ports = Some(Value::Object(
            ports.into_iter().map(|p| (p.clone(), json!({}))).collect(),
        ));
    }
}

/// Adds the ports `-p` and `--expose` name to the image's ExposedPorts (a set, keyed
/// and ordered as Go's JSON encoder orders map keys).
pub fn merge_exposed(exposed: &mut Vec<String>, f: &NetFlags) {
    exposed.extend(f.exposed.iter().cloned());
    exposed.sort();
    exposed.dedup();
}

/// Go's `sortorder.NaturalLess`: digit runs compare as numbers.
pub fn natural_less(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let na = std::str::from_utf8(&a[si..i])
                .unwrap_or("0")
                .trim_start_matches('0');
            let nb = std::str::from_utf8(&b[sj..j])
                .unwrap_or("0")
                .trim_start_matches('0');
            if na.len() != nb.len() {
                return na.len() < nb.len();
            }
            if na != nb {
                return na < nb;
            }
        } else {
            if a[i] != b[j] {
                return a[i] < b[j];
            }
            i += 1;
            j += 1;
        }
    }
    a.len() - i < b.len() - j
}

/// `net.JoinHostPort`.
fn join_host_port(ip: &str, port: u16) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// The default address pools, in the order the allocator tries them.
fn default_pools() -> impl Iterator<Item = Prefix> {
    let p172 = (17u32..=31).map(|b| Prefix {
        addr: (172 << 24) | (b << 16),
        bits: 16,
    });
    let p192 = (0u32..16).map(|i| Prefix {
        addr: (192 << 24) | (168 << 16) | (i << 12),
        bits: 20,
    });
    p172.chain(p192)
}

fn opt_json(m: &BTreeMap<String, String>) -> Value {
    Value::Object(m.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

impl Networks {
    /// The three networks dockerd has from the start: bridge (docker0), host and none.
    pub fn new(seed: u64, now: Time) -> Networks {
        let mut rng = NetRng(Rng::new(seed ^ 0x6c69_626e_6574_776f));
        let mut nets = BTreeMap::new();
        let bridge_opts: BTreeMap<String, String> = [
            ("com.docker.network.bridge.default_bridge", "true"),
            ("com.docker.network.bridge.enable_icc", "true"),
            ("com.docker.network.bridge.enable_ip_masquerade", "true"),
            ("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0"),
            ("com.docker.network.bridge.name", "docker0"),
            ("com.docker.network.driver.mtu", "1500"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let subnet = Prefix {
            addr: 0xac11_0000,
            bits: 16,
        };
        for (name, driver) in [("bridge", "bridge"), ("host", "host"), ("none", "null")] {
            let id = rng.0.hex_id();
            let is_bridge = driver == "bridge";
            nets.insert(
                id.clone(),
                Network {
                    id,
                    name: name.into(),
                    driver: driver.into(),
                    created: now,
                    subnet: is_bridge.then_some(subnet),
                    gateway: is_bridge.then_some(subnet.addr + 1),
                    user_gateway: false,
                    ip_range: None,
                    user_subnet: false,
                    internal: false,
                    attachable: false,
                    labels: BTreeMap::new(),
                    options: if is_bridge {
                        bridge_opts.clone()
                    } else {
                        BTreeMap::new()
                    },
                    predefined: true,
                    bridge: if is_bridge {
                        "docker0".into()
                    } else {
                        String::new()
                    },
                    used: if is_bridge {
                        BTreeSet::from([subnet.addr + 1])
                    } else {
                        BTreeSet::new()
                    },
                    endpoints: BTreeMap::new(),
                    rules: Vec::new(),
                    dns: BTreeSet::new(),
                    dns_pending: Vec::new(),
                },
            );
        }
        Networks {
            rng,
            nets,
            ports: BTreeMap::new(),
            containers: BTreeMap::new(),
            linkers: BTreeSet::new(),
        }
    }

    pub fn networks(&self) -> impl Iterator<Item = &Network> {
        self.nets.values()
    }

    pub fn by_name(&self, name: &str) -> Option<&Network> {
        self.nets.values().find(|n| n.name == name)
    }

    pub fn container(&self, id: &str) -> Option<&ContainerNet> {
        self.containers.get(id)
    }

    /// daemon.FindNetwork: full ID, then name, then a unique ID prefix.
    pub fn find(&self, term: &str) -> Result<String, ApiError> {
        if let Some(n) = self.nets.get(term) {
            return Ok(n.id.clone());
        }
        let by_name: Vec<&Network> = self.nets.values().filter(|n| n.name == term).collect();
        let by_prefix: Vec<&Network> = self
            .nets
            .values()
            .filter(|n| !term.is_empty() && n.id.starts_with(term))
            .collect();
        match (by_name.len(), by_prefix.len()) {
            (1, _) => Ok(by_name[0].id.clone()),
            (n, _) if n > 1 => Err(ApiError::new(
                400,
                format!("network {term} is ambiguous ({n} matches found on name)"),
            )),
            (_, 1) => Ok(by_prefix[0].id.clone()),
            (_, n) if n > 1 => Err(ApiError::new(
                400,
                format!("network {term} is ambiguous ({n} matches found based on ID prefix)"),
            )),
            _ => Err(ApiError::new(404, format!("network {term} not found"))),
        }
    }

    fn hex(&mut self) -> String {
        self.rng.0.hex_id()
    }

    /// A random, locally administered unicast MAC (netutils.GenerateRandomMAC).
    fn mac(&mut self) -> String {
        let mut b = [0u8; 6];
        for x in b.iter_mut() {
            *x = self.rng.0.below(256) as u8;
        }
        b[0] = (b[0] & 0xfe) | 0x02;
        b.iter()
            .map(|x| format!("{x:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// `veth` + 7 hex characters.
    fn veth_name(&mut self) -> String {
        format!("veth{}", &self.hex()[..7])
    }

    /// The first default pool that overlaps no network's subnet.
    fn next_pool(&self) -> Option<Prefix> {
        default_pools().find(|p| {
            !self
                .nets
                .values()
                .filter_map(|n| n.subnet)
                .any(|s| s.overlaps(*p))
        })
    }

    /// The lowest free address in `range` (inside `subnet`, never its network or
    /// broadcast address).
    fn lowest_free(used: &BTreeSet<u32>, subnet: Prefix, range: Prefix) -> Option<u32> {
        let lo = range.network().max(subnet.network() + 1);
        let hi = range.broadcast().min(subnet.broadcast().saturating_sub(1));
        if lo > hi {
            return None;
        }
        let mut want = lo;
        for &u in used.range(lo..=hi) {
            if u != want {
                return Some(want);
            }
            want = want.checked_add(1)?;
        }
        (want <= hi).then_some(want)
    }

    fn release_port(&mut self, ip: &str, proto: &str, port: u16) {
        if let Some(m) = self.ports.get_mut(&format!("{ip}/{proto}")) {
            m.taken.remove(&port);
        }
    }

    /// Every host port bound, for invariants: (host IP, proto, port) → container.
    pub fn bound_ports(&self) -> Vec<(String, String, u16, String)> {
        let mut v = Vec::new();
        for (cid, c) in &self.containers {
            for b in &c.ports {
                v.push((b.host_ip.clone(), b.proto.clone(), b.host_port, cid.clone()));
            }
        }
        v
    }
}

/// An iptables rule from its `iptables -S` text (without `-A CHAIN`).
fn rule(table: &str, chain: &str, args: &str) -> Rule {
    Rule {
        table: table.into(),
        chain: chain.into(),
        args: args.split(' ').map(str::to_string).collect(),
    }
}

/// moby's `validateEndpointSettings` for `--ip` and `--alias` (run and connect alike):
/// every error it finds, joined as Docker joins them, or None.
fn endpoint_settings_errors(
    net_name: &str,
    net: Option<&Network>,
    ip_given: bool,
    ip: Option<&str>,
    has_aliases: bool,
) -> Option<String> {
    let mut errs = Vec::new();
    let user_defined = user_defined_name(net_name);
    if !user_defined {
        if ip_given {
            errs.push(
                "user specified IP address is supported on user defined networks only".to_string(),
            );
        }
        if has_aliases {
            errs.push(
                "network-scoped alias is supported only for containers in user defined networks"
                    .to_string(),
            );
        }
    }
    if let Some(ip) = ip {
        match parse_ip(ip) {
            None => errs.push(format!("invalid IPv4 address: {ip}")),
            Some(addr) if user_defined => {
                if let Some(n) = net {
                    if !n.user_subnet {
                        errs.push("user specified IP address is supported only when connecting to networks with user configured subnets".to_string());
                    } else if !n.range().is_some_and(|r| r.contains(addr)) {
                        errs.push(format!(
                            "no configured subnet or ip-range contain the IP address {ip}"
                        ));
                    }
                }
            }
            Some(_) => {}
        }
    }
    match errs.len() {
        0 => None,
        1 => errs.pop(),
        _ => Some(format!("* {}", errs.join("\n* "))),
    }
}

fn show_rule(r: &Rule, insert: bool) -> String {
    format!(
        "iptables -t {} {} {} {}",
        r.table,
        if insert { "-I" } else { "-A" },
        r.chain,
        r.args.join(" ")
    )
}

/// What dockerd installs when it starts, before any network: its chains and the jumps
/// into them (libnetwork's `setupIPChains` and `setupUserChain`).
fn daemon_chain_ops() -> Vec<IptablesOp> {
    // dockerd turns IP forwarding on (a fresh host has it off) and then sets the
    // FORWARD policy to DROP, so that forwarding is only what its rules accept
    // (libnetwork's setupIPForwarding).
    let mut ops = vec![IptablesOp::Policy {
        table: "filter".into(),
        chain: "FORWARD".into(),
        policy: "DROP".into(),
    }];
    for (t, c) in [
        ("nat", "DOCKER"),
        ("filter", "DOCKER"),
        ("filter", "DOCKER-FORWARD"),
        ("filter", "DOCKER-BRIDGE"),
        ("filter", "DOCKER-CT"),
        ("filter", "DOCKER-ISOLATION-STAGE-1"),
        ("filter", "DOCKER-ISOLATION-STAGE-2"),
        ("filter", "DOCKER-USER"),
    ] {
        ops.push(IptablesOp::NewChain {
            table: t.into(),
            chain: c.into(),
        });
    }
    let add = |r: Rule| IptablesOp::Add {
        rule: r,
        insert: false,
    };
    ops.push(add(rule(
        "nat",
        "PREROUTING",
        "-m addrtype --dst-type LOCAL -j DOCKER",
    )));
    ops.push(add(rule(
        "nat",
        "OUTPUT",
        "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
    )));
    ops.push(add(rule("filter", "FORWARD", "-j DOCKER-FORWARD")));
    ops.push(add(rule("filter", "DOCKER-FORWARD", "-j DOCKER-CT")));
    ops.push(add(rule(
        "filter",
        "DOCKER-FORWARD",
        "-j DOCKER-ISOLATION-STAGE-1",
    )));
    ops.push(add(rule("filter", "DOCKER-FORWARD", "-j DOCKER-BRIDGE")));
    // DOCKER-USER is jumped to first: EnsureJumpRule inserts at the head of FORWARD.
    ops.push(IptablesOp::Add {
        rule: rule("filter", "FORWARD", "-j DOCKER-USER"),
        insert: true,
    });
    ops
}

/// The network-level rules of a bridge network (iptabler's `setupIPTables`), with
/// whether each is inserted at the head of its chain.
fn bridge_rules(br: &str, subnet: Prefix, internal: bool) -> Vec<(Rule, bool)> {
    let s = subnet.masked().to_string();
    if internal {
        return vec![
            (
                rule(
                    "filter",
                    "DOCKER-ISOLATION-STAGE-1",
                    &format!("-i {br} ! -d {s} -j DROP"),
                ),
                true,
            ),
            (
                rule(
                    "filter",
                    "DOCKER-ISOLATION-STAGE-1",
                    &format!("-o {br} ! -s {s} -j DROP"),
                ),
                true,
            ),
            (
                rule(
                    "filter",
                    "DOCKER-FORWARD",
                    &format!("-i {br} -o {br} -j ACCEPT"),
                ),
                false,
            ),
        ];
    }
    vec![
        (
            rule(
                "nat",
                "POSTROUTING",
                &format!("-s {s} ! -o {br} -j MASQUERADE"),
            ),
            true,
        ),
        (rule("nat", "DOCKER", &format!("-i {br} -j RETURN")), true),
        (
            rule("filter", "DOCKER-FORWARD", &format!("-i {br} -j ACCEPT")),
            false,
        ),
        (
            rule("filter", "DOCKER", &format!("! -i {br} -o {br} -j DROP")),
            false,
        ),
        (
            rule(
                "filter",
                "DOCKER-CT",
                &format!("-o {br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"),
            ),
            false,
        ),
        (
            rule("filter", "DOCKER-BRIDGE", &format!("-o {br} -j DOCKER")),
            false,
        ),
        (
            rule(
                "filter",
                "DOCKER-ISOLATION-STAGE-1",
                &format!("-i {br} ! -o {br} -j DOCKER-ISOLATION-STAGE-2"),
            ),
            false,
        ),
        (
            rule(
                "filter",
                "DOCKER-ISOLATION-STAGE-2",
                &format!("-o {br} -j DROP"),
            ),
            true,
        ),
    ]
}

/// The rules one published port needs (iptabler's `setPerPortIptables`, userland proxy
/// on): none for an IPv6 host address (docker-proxy alone carries it).
fn port_rules(br: &str, ip: u32, b: &Bound) -> Vec<(Rule, bool)> {
    if b.host_ip.contains(':') {
        return Vec::new();
    }
    let mut v = Vec::new();
    let m = format!("-p {p} -m {p}", p = b.proto);
    if b.host_ip.starts_with("127.") {
        v.push((
            rule(
                "raw",
                "PREROUTING",
                &format!(
                    "-d {}/32 ! -i lo {m} --dport {} -j DROP",
                    b.host_ip, b.host_port
                ),
            ),
            false,
        ));
    }
    let dst = if b.host_ip == "0.0.0.0" {
        String::new()
    } else {
        format!("-d {}/32 ", b.host_ip)
    };
    v.push((
        rule(
            "nat",
            "DOCKER",
            &format!(
                "{dst}! -i {br} {m} --dport {} -j DNAT --to-destination {}:{}",
                b.host_port,
                ip_str(ip),
                b.port
            ),
        ),
        false,
    ));
    v.push((
        rule(
            "filter",
            "DOCKER",
            &format!(
                "-d {}/32 ! -i {br} -o {br} {m} --dport {} -j ACCEPT",
                ip_str(ip),
                b.port
            ),
        ),
        true,
    ));
    v
}

/// /etc/hosts as libnetwork's etchosts.Build writes it (IPv6 on in the container), then
/// the container's own addresses and its links.
fn hosts_file(own: &[(u32, String)], links: &[(u32, String)]) -> String {
    let mut s = String::from(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
    );
    for (ip, h) in own.iter().chain(links) {
        s.push_str(&format!("{}\t{h}\n", ip_str(*ip)));
    }
    s
}

/// /etc/resolv.conf as Docker 28 generates it: the host's nameservers, or the embedded
/// DNS server on user-defined networks.
fn resolv_conf(internal_dns: bool) -> String {
    let header = "# Generated by Docker Engine.\n# This file can be edited; Docker Engine will not make further changes once it\n# has been modified.\n\n";
    if internal_dns {
        format!("{header}nameserver {DNS_ADDRESS}\noptions ndots:0\n\n# Based on host file: '/etc/resolv.conf' (internal resolver)\n# ExtServers: [{HOST_NAMESERVER}]\n# Overrides: []\n# Option ndots from: internal\n")
    } else {
        format!("{header}nameserver {HOST_NAMESERVER}\n\n# Based on host file: '/etc/resolv.conf'\n# Overrides: []\n")
    }
}

/// docker/cli's `DisplayablePorts`: the PORTS column.
pub fn displayable_ports(ports: &[(String, u16, u16, String)]) -> String {
    // (ip, private, public, proto)
    let mut ports = ports.to_vec();
    ports.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then(a.0.cmp(&b.0))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut groups: BTreeMap<String, (u16, u16)> = BTreeMap::new();
    let mut keys: Vec<String> = Vec::new();
    let mut result = Vec::new();
    let mut mappings = Vec::new();
    let form = |key: &str, first: u16, last: u16| -> String {
        let (ip, ty) = match key.rsplit_once('/') {
            Some((ip, ty)) if key.matches('/').count() == 1 && !ip.is_empty() => {
                (Some(ip.to_string()), ty.to_string())
            }
            _ => (None, key.to_string()),
        };
        let mut group = first.to_string();
        if first != last {
            group = format!("{group}-{last}");
        }
        match ip {
            Some(ip) => {
                let host = if ip.contains(':') {
                    format!("[{ip}]:{group}")
                } else {
                    format!("{ip}:{group}")
                };
                format!("{host}->{group}/{ty}")
            }
            None => format!("{group}/{ty}"),
        }
    };
    for (ip, private, public, proto) in &ports {
        let mut key = proto.clone();
        if !ip.is_empty() {
            if public != private {
                mappings.push(format!(
                    "{}->{private}/{proto}",
                    join_host_port(ip, *public)
                ));
                continue;
            }
            key = format!("{ip}/{proto}");
        }
        match groups.get_mut(&key) {
            None => {
                groups.insert(key.clone(), (*private, *private));
                keys.push(key);
            }
            Some(g) if *private == g.1 + 1 => g.1 = *private,
            Some(g) => {
                result.push(form(&key, g.0, g.1));
                *g = (*private, *private);
            }
        }
    }
    for k in &keys {
        let g = groups[k];
        result.push(form(k, g.0, g.1));
    }
    result.extend(mappings);
    result.join(", ")
}

/// A plan for one endpoint, made before runc creates anything.
#[derive(Clone, Debug)]
pub(crate) struct PlannedEp {
    net: String,
    ep_id: String,
    ip: u32,
}

/// What start will attach, checked in advance.
#[derive(Clone, Debug, Default)]
pub(crate) struct NetPlan {
    eps: Vec<PlannedEp>,
    /// The ports published on the gateway network, and the allocator once they are taken.
    ports: Vec<Bound>,
    port_state: Option<BTreeMap<String, PortMap>>,
    links: Vec<(u32, String)>,
}

impl<K: Kernel> Engine<K> {
    // ---- daemon start ---------------------------------------------------------------

    /// What dockerd does to the firewall when it starts: its chains, the jumps into them,
    /// and docker0's rules (the bridge itself already exists). No steps: this is before
    /// the session's first command.
    pub(crate) fn init_networking(&mut self) {
        for op in daemon_chain_ops() {
            let _ = self.kernel.iptables(&op);
        }
        let bridge = self.networks.by_name("bridge").cloned();
        if let Some(n) = bridge {
            let rules = bridge_rules(
                &n.bridge,
                n.subnet.unwrap_or(Prefix { addr: 0, bits: 0 }),
                false,
            );
            for (r, insert) in &rules {
                let _ = self.kernel.iptables(&IptablesOp::Add {
                    rule: r.clone(),
                    insert: *insert,
                });
            }
            if let Some(n) = self.networks.nets.get_mut(&n.id) {
                n.rules = rules.into_iter().map(|(r, _)| r).collect();
            }
        }
    }

    fn net_event(&mut self, action: &str, net_id: &str, container: Option<&str>) {
        let Some(n) = self.networks.nets.get(net_id) else {
            return;
        };
        let mut attributes = BTreeMap::from([
            ("name".to_string(), n.name.clone()),
            ("type".to_string(), n.driver.clone()),
        ]);
        if let Some(c) = container {
            attributes.insert("container".into(), c.to_string());
        }
        self.events.push(crate::events::Event {
            time: self.now,
            kind: "network".into(),
            action: action.into(),
            actor: net_id.to_string(),
            attributes,
        });
    }

    fn net_refused(&mut self, method: &str, path: &str, e: &ApiError, why: &'static str) {
        self.step(api_step(
            http(
                method,
                path,
                None,
                e.status,
                Some(json!({"message": e.message})),
            ),
            why,
        ));
        self.daemon_error(e);
    }

    fn apply_rules(&mut self, rules: &[(Rule, bool)]) {
        for (r, insert) in rules {
            let _ = self.kernel.iptables(&IptablesOp::Add {
                rule: r.clone(),
                insert: *insert,
            });
        }
    }

    fn delete_rules(&mut self, rules: &[Rule]) {
        for r in rules {
            let _ = self.kernel.iptables(&IptablesOp::Delete(r.clone()));
        }
    }

    // ---- docker network create --------------------------------------------------------

    pub(crate) fn cmd_network_create(&mut self, a: cli::NetworkCreateArgs) -> i32 {
        let name = a.args[0].clone();
        // The CLI's consolidateIpam.
        if a.subnet.len() < a.ip_range.len() || a.subnet.len() < a.gateway.len() {
            self.err("every ip-range or gateway must have a corresponding subnet\n");
            return 1;
        }
        let cli_cidr = |s: &str| Prefix::parse(s).map(Prefix::masked);
        let matches = |subnet: &str, data: &str| -> Result<bool, String> {
            let s = cli_cidr(subnet)
                .ok_or_else(|| format!("invalid subnet: invalid CIDR address: {subnet}"))?;
            let ip = if data.contains('/') {
                Prefix::parse(data)
                    .ok_or_else(|| format!("invalid cidr: invalid CIDR address: {data}"))?
                    .addr
            } else {
                match parse_ip(data) {
                    Some(ip) => ip,
                    None => return Ok(false),
                }
            };
            Ok(s.contains(ip))
        };
        let mut cfg: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        let check = (|| -> Result<(), String> {
            for s in &a.subnet {
                for (k, _, _) in &cfg {
                    if matches(s, k)? || matches(k, s)? {
                        return Err(
                            "multiple overlapping subnet configuration is not supported".into()
                        );
                    }
                }
                cfg.push((s.clone(), None, None));
            }
            for r in &a.ip_range {
                let mut found = false;
                for (s, range, _) in cfg.iter_mut() {
                    if !matches(s, r)? {
                        continue;
                    }
                    if let Some(old) = range {
                        return Err(format!("cannot configure multiple ranges ({r}, {old}) on the same subnet ({s})"));
                    }
                    *range = Some(r.clone());
                    found = true;
                }
                if !found {
                    return Err(format!("no matching subnet for range {r}"));
                }
            }
            for g in &a.gateway {
                let mut found = false;
                for (s, _, gw) in cfg.iter_mut() {
                    if !matches(s, g)? {
                        continue;
                    }
                    if let Some(old) = gw {
                        return Err(format!("cannot configure multiple gateways ({g}, {old}) for the same subnet ({s})"));
                    }
                    *gw = Some(g.clone());
                    found = true;
                }
                if !found {
                    return Err(format!("no matching subnet for gateway {g}"));
                }
            }
            Ok(())
        })();
        if let Err(m) = check {
            self.err(&format!("{m}\n"));
            self.step(Step::new(
                Component::Cli,
                format!("refused the IPAM flags: {m}"),
                "the CLI pairs every --gateway and --ip-range with the --subnet containing it before it sends the request",
            ));
            return 1;
        }
        let mut labels = BTreeMap::new();
        for l in &a.label {
            let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
            labels.insert(k.to_string(), v.to_string());
        }
        let mut options = BTreeMap::new();
        for o in &a.opt {
            let (k, v) = o.split_once('=').unwrap_or((o.as_str(), ""));
            options.insert(k.to_string(), v.to_string());
        }
        let driver = a.driver.clone().unwrap_or_else(|| "bridge".into());
        let ipam_cfg: Vec<Value> = cfg
            .iter()
            .map(|(s, r, g)| {
                let mut m = Map::new();
                m.insert("Subnet".into(), json!(s));
                if let Some(r) = r {
                    m.insert("IPRange".into(), json!(r));
                }
                if let Some(g) = g {
                    m.insert("Gateway".into(), json!(g));
                }
                m.insert("AuxiliaryAddresses".into(), json!({}));
                Value::Object(m)
            })
            .collect();
        let body = json!({
            "Name": name, "Driver": driver, "Scope": "", "EnableIPv6": a.ipv6.as_deref().map(|v| v == "true"),
            "IPAM": {"Driver": "default", "Options": {}, "Config": ipam_cfg},
            "Internal": a.internal, "Attachable": a.attachable, "Ingress": false, "ConfigOnly": false,
            "ConfigFrom": null, "Options": opt_json(&options), "Labels": opt_json(&labels),
        })
        .to_string();
        let refuse = |this: &mut Self, e: ApiError, why: &'static str| -> i32 {
            this.step(api_step(
                http(
                    "POST",
                    "/networks/create",
                    Some(body.clone()),
                    e.status,
                    Some(json!({"message": e.message})),
                ),
                why,
            ));
            this.daemon_error(&e);
            1
        };
        if matches!(name.as_str(), "bridge" | "host" | "none") {
            return refuse(
                self,
                ApiError::new(
                    403,
                    format!("operation is not permitted on predefined {name} network "),
                ),
                "bridge, host and none exist on every Docker host and cannot be created again",
            );
        }
        // api/types/network ValidateIPAM.
        let mut errs = Vec::new();
        let mut parsed: Vec<(Prefix, Option<Prefix>, Option<u32>)> = Vec::new();
        let mut host_bits = None;
        for (s, r, g) in &cfg {
            let Some(p) = Prefix::parse(s) else {
                if s.contains(':') {
                    continue; // an IPv6 subnet without --ipv6 is ignored by the check
                }
                errs.push(format!("invalid subnet {s}: invalid CIDR block notation"));
                continue;
            };
            if p != p.masked() {
                errs.push(format!("invalid subnet {p}: it should be {}", p.masked()));
                host_bits = Some((p, p.masked()));
            }
            let mut range = None;
            if let Some(r) = r {
                match Prefix::parse(r) {
                    None => errs.push(format!("invalid ip-range {r}: invalid CIDR block notation")),
                    Some(rp) => {
                        if rp.bits < p.bits {
                            errs.push(format!("invalid ip-range {r}: CIDR block is bigger than its parent subnet {p}"));
                        }
                        if rp != rp.masked() {
                            errs.push(format!(
                                "invalid ip-range {rp}: it should be {}",
                                rp.masked()
                            ));
                        }
                        if !p.overlaps(rp) {
                            errs.push(format!(
                                "invalid ip-range {r}: parent subnet {p} doesn't contain ip-range"
                            ));
                        }
                        range = Some(rp);
                    }
                }
            }
            let mut gw = None;
            if let Some(g) = g {
                match parse_ip(g) {
                    None => errs.push(format!("invalid gateway {g}: invalid address")),
                    Some(ip) if !p.contains(ip) => errs.push(format!(
                        "invalid gateway {g}: parent subnet {p} doesn't contain this address"
                    )),
                    Some(ip) => gw = Some(ip),
                }
            }
            parsed.push((p, range, gw));
        }
        if !errs.is_empty() {
            let joined = if errs.len() == 1 {
                errs[0].clone()
            } else {
                format!("* {}", errs.join("\n* "))
            };
            let code = refuse(
                self,
                ApiError::new(400, format!("invalid network config:\n{joined}")),
                "dockerd validates the subnets, ranges and gateways before it creates anything",
            );
            if let Some((p, m)) = host_bits {
                self.step(Step::new(
                    Component::Dockerd,
                    format!("refused subnet {p}: its host bits are set (the network address is {m})"),
                    "Docker Engine before 25.0 accepted such a subnet and silently used the masked one; since 25.0 dockerd validates the IPAM config (ValidateIPAM) and refuses it, so older tutorials' commands now fail — write the network address (.0) instead",
                ));
            }
            return code;
        }
        if a.ipv6.as_deref() == Some("true") || cfg.iter().any(|(s, _, _)| s.contains(':')) {
            return refuse(
                self,
                ApiError::new(400, "porthole models IPv4 networks only"),
                "IPv6 (--ipv6, IPv6 subnets) is not part of the model",
            );
        }
        if self.networks.by_name(&name).is_some() {
            return refuse(
                self,
                ApiError::new(409, format!("network with name {name} already exists")),
                "network names are unique on a host",
            );
        }
        match driver.as_str() {
            "bridge" => {}
            "host" | "null" => {
                return refuse(
                    self,
                    ApiError::new(403, format!("only one instance of \"{driver}\" network is allowed")),
                    "the host and null drivers each have their single predefined network",
                )
            }
            "overlay" => {
                return refuse(
                    self,
                    ApiError::new(403, "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again."),
                    "overlay networks span a swarm",
                )
            }
            "macvlan" | "ipvlan" => {
                return refuse(
                    self,
                    ApiError::new(400, format!("porthole models the bridge driver only, not {driver}")),
                    "macvlan and ipvlan attach containers to the host's own NIC, which the model does not have",
                )
            }
            d => {
                return refuse(
                    self,
                    ApiError::new(404, format!("could not find plugin {d} in v1 plugin registry: plugin not found")),
                    "a driver that is not built in must be a plugin, and there is none by that name",
                )
            }
        }
        // IPAM: the pool, then the gateway.
        let (subnet, range, user_gw, user_subnet) = match parsed.first() {
            Some((p, r, g)) => {
                if let Some(o) = self
                    .networks
                    .nets
                    .values()
                    .find(|n| n.subnet.is_some_and(|s| s.overlaps(*p)))
                {
                    let why = format!(
                        "dockerd's default IPAM refuses a pool that overlaps one in use ({} of network {})",
                        o.subnet.map(|s| s.to_string()).unwrap_or_default(),
                        o.name
                    );
                    let code = refuse(
                        self,
                        ApiError::new(403, "invalid pool request: Pool overlaps with other one on this address space"),
                        "the subnet is already (partly) taken",
                    );
                    self.step(Step::new(
                        Component::Dockerd,
                        format!("IPAM: {p} overlaps an allocated pool"),
                        why,
                    ));
                    return code;
                }
                (*p, *r, *g, true)
            }
            None => {
                match self.networks.next_pool() {
                    Some(p) => (p, None, None, false),
                    None => return refuse(
                        self,
                        ApiError::new(
                            400,
                            "all predefined address pools have been fully subnetted",
                        ),
                        "every default pool (172.17–172.31/16, 192.168.0.0/16 in /20s) is in use",
                    ),
                }
            }
        };
        let mut used = BTreeSet::new();
        let gateway = match user_gw {
            Some(g) => g,
            None => {
                Networks::lowest_free(&used, subnet, range.unwrap_or(subnet)).unwrap_or(subnet.addr)
            }
        };
        used.insert(gateway);
        let id = self.networks.hex();
        let bridge = options
            .get("com.docker.network.bridge.name")
            .cloned()
            .unwrap_or_else(|| format!("br-{}", &id[..12]));
        let mac = self.networks.mac();
        self.step(api_step(
            http(
                "POST",
                "/networks/create",
                Some(body),
                201,
                Some(json!({"Id": id, "Warning": ""})),
            ),
            "dockerd asks libnetwork for a network with the bridge driver",
        ));
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "IPAM: network {name} gets {subnet}{} with gateway {}",
                if user_subnet { " (as given)".to_string() } else { " (the first default pool not in use)".to_string() },
                ip_str(gateway)
            ),
            if user_subnet {
                "the default IPAM driver reserves the subnet you gave; the gateway is the address you gave or the first free one"
            } else {
                "with no --subnet, the default IPAM takes the first default address pool (172.17.0.0/16, 172.18.0.0/16, …) that overlaps no network in use; the gateway is its first address"
            },
        ));
        let ops = self
            .kernel
            .create_bridge(&BridgeSpec {
                name: bridge.clone(),
                address: ip_str(gateway),
                prefix: subnet.bits,
                mac,
                mtu: MTU,
            })
            .unwrap_or_default();
        self.step(Step::new(
            Component::Kernel,
            format!(
                "ip link add {bridge} type bridge; ip addr add {}/{} dev {bridge}; ip link set {bridge} up{}",
                ip_str(gateway),
                subnet.bits,
                if ops.is_empty() { String::new() } else { format!(" ({})", ops.join("; ")) }
            ),
            "each user-defined bridge network is its own Linux bridge, named br- and the network ID's first 12 hex digits; the host reaches it through the gateway address",
        ));
        let rules = bridge_rules(&bridge, subnet, a.internal);
        self.apply_rules(&rules);
        let shown: Vec<String> = rules.iter().map(|(r, i)| show_rule(r, *i)).collect();
        self.step(Step::new(
            Component::Kernel,
            format!("iptables: {}", shown.join("; ")),
            if a.internal {
                "an --internal network gets no MASQUERADE and DOCKER-ISOLATION-STAGE-1 drops anything leaving or entering its subnet: no way out"
            } else {
                "MASQUERADE lets containers reach out with the host's address; the DOCKER-ISOLATION chains drop traffic between different bridge networks; DOCKER drops what comes from outside unless a port is published"
            },
        ));
        self.networks.nets.insert(
            id.clone(),
            Network {
                id: id.clone(),
                name: name.clone(),
                driver,
                created: self.now,
                subnet: Some(subnet),
                gateway: Some(gateway),
                user_gateway: user_gw.is_some(),
                ip_range: range,
                user_subnet,
                internal: a.internal,
                attachable: a.attachable,
                labels,
                options,
                predefined: false,
                bridge,
                used,
                endpoints: BTreeMap::new(),
                rules: rules.into_iter().map(|(r, _)| r).collect(),
                dns: BTreeSet::new(),
                dns_pending: Vec::new(),
            },
        );
        self.net_event("create", &id, None);
        self.out(&format!("{id}\n"));
        0
    }

    // ---- ls / inspect -----------------------------------------------------------------

    /// `GET /networks/{id}` as Docker 28 answers it.
    pub fn network_json(&self, id: &str) -> Value {
        let Some(n) = self.networks.nets.get(id) else {
            return Value::Null;
        };
        let config: Value = match n.subnet {
            None => Value::Null,
            Some(s) => {
                let mut m = Map::new();
                m.insert("Subnet".into(), json!(s.to_string()));
                if let Some(r) = n.ip_range {
                    m.insert("IPRange".into(), json!(r.to_string()));
                }
                if n.gateway.is_some() && (!n.user_subnet || n.user_gateway) {
                    m.insert("Gateway".into(), json!(ip_str(n.gateway.unwrap_or(0))));
                }
                json!([Value::Object(m)])
            }
        };
        let mut containers = Map::new();
        for (cid, ep) in &n.endpoints {
            containers.insert(
                cid.clone(),
                json!({
                    "Name": ep.name,
                    "EndpointID": ep.id,
                    "MacAddress": ep.mac,
                    "IPv4Address": if ep.ip == 0 { String::new() } else { format!("{}/{}", ip_str(ep.ip), n.subnet.map(|s| s.bits).unwrap_or(0)) },
                    "IPv6Address": "",
                }),
            );
        }
        json!({
            "Name": n.name,
            "Id": n.id,
            "Created": n.created.rfc3339_nano(),
            "Scope": "local",
            "Driver": n.driver,
            "EnableIPv4": true,
            "EnableIPv6": false,
            "IPAM": {
                "Driver": "default",
                "Options": if n.predefined { Value::Null } else { json!({}) },
                "Config": config,
            },
            "Internal": n.internal,
            "Attachable": n.attachable,
            "Ingress": false,
            "ConfigFrom": {"Network": ""},
            "ConfigOnly": false,
            "Containers": Value::Object(containers),
            "Options": opt_json(&n.options),
            "Labels": opt_json(&n.labels),
        })
    }

    pub(crate) fn cmd_network_ls(&mut self, a: cli::NetworkLsArgs) -> i32 {
        let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in &a.filter {
            let Some((k, v)) = f.split_once('=') else {
                self.err(
                    "bad format of filter (expected name=value)\nSee 'docker network ls --help'.\n",
                );
                return 125;
            };
            filters
                .entry(k.to_ascii_lowercase())
                .or_default()
                .push(v.to_string());
        }
        let path = "/networks";
        for (k, vs) in &filters {
            let bad = match k.as_str() {
                "driver" | "id" | "label" | "name" | "scope" | "dangling" => None,
                "type" => vs
                    .iter()
                    .find(|v| !matches!(v.as_str(), "custom" | "builtin"))
                    .map(|v| ApiError::new(400, format!("invalid filter: 'type'='{v}'"))),
                other => Some(ApiError::new(400, format!("invalid filter '{other}'"))),
            };
            if let Some(e) = bad {
                self.net_refused("GET", path, &e, "dockerd checks the filters");
                return 1;
            }
        }
        let label_ok = |n: &Network, f: &str| match f.split_once('=') {
            Some((k, v)) => n.labels.get(k).is_some_and(|x| x == v),
            None => n.labels.contains_key(f),
        };
        let mut list: Vec<&Network> = self
            .networks
            .nets
            .values()
            .filter(|n| {
                filters.iter().all(|(k, vs)| match k.as_str() {
                    "driver" => vs.contains(&n.driver),
                    "id" => vs.iter().any(|v| n.id.contains(v.as_str())),
                    "name" => vs.iter().any(|v| n.name.contains(v.as_str())),
                    "scope" => vs.iter().any(|v| v == "local"),
                    "type" => vs.iter().any(|v| (v == "builtin") == n.predefined),
                    "label" => vs.iter().all(|v| label_ok(n, v)),
                    "dangling" => vs
                        .iter()
                        .any(|v| (v == "true") == (!n.predefined && n.endpoints.is_empty())),
                    _ => true,
                })
            })
            .collect();
        list.sort_by(|x, y| {
            if natural_less(&x.name, &y.name) {
                std::cmp::Ordering::Less
            } else if natural_less(&y.name, &x.name) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        let rows: Vec<Value> = list
            .iter()
            .map(|n| {
                json!({
                    "ID": if a.no_trunc { n.id.clone() } else { n.id[..12].to_string() },
                    "Name": n.name,
                    "Driver": n.driver,
                    "Scope": "local",
                    "IPv6": "false",
                    "IPv4": "true",
                    "Internal": n.internal.to_string(),
                    "Labels": n.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
                    "CreatedAt": format!("{} +0000 UTC", n.created.rfc3339_nano().replace('T', " ").trim_end_matches('Z')),
                })
            })
            .collect();
        self.step(api_step(
            http(
                "GET",
                path,
                None,
                200,
                Some(json!(format!("[{} networks]", rows.len()))),
            ),
            "dockerd lists its networks; the CLI sorts them by name and formats the table",
        ));
        if a.quiet {
            let s: String = rows
                .iter()
                .map(|r| format!("{}\n", r["ID"].as_str().unwrap_or("")))
                .collect();
            self.out(&s);
            return 0;
        }
        let headers = [
            ("ID", "NETWORK ID"),
            ("Name", "NAME"),
            ("Driver", "DRIVER"),
            ("Scope", "SCOPE"),
        ];
        self.print_rows(a.format.as_deref(), &headers, &rows)
    }

    pub(crate) fn cmd_network_inspect(&mut self, a: cli::NetworkInspectArgs) -> i32 {
        let mut found = Vec::new();
        let mut errors = Vec::new();
        for r in &a.args {
            let path = format!("/networks/{r}");
            match self.networks.find(r) {
                Ok(id) => {
                    self.step(api_step(
                        http("GET", &path, None, 200, None),
                        "inspect returns libnetwork's record of the network: its IPAM config and the containers attached now",
                    ));
                    found.push(self.network_json(&id));
                }
                Err(e) => {
                    self.step(api_step(
                        http(
                            "GET",
                            &path,
                            None,
                            e.status,
                            Some(json!({"message": e.message})),
                        ),
                        "dockerd has no network by that name or ID",
                    ));
                    errors.push(e);
                }
            }
        }
        if !self.print_inspected(a.format.as_deref(), found) {
            return 1;
        }
        for e in &errors {
            self.daemon_error(e);
        }
        if errors.is_empty() {
            0
        } else {
            1
        }
    }

    // ---- rm / prune -------------------------------------------------------------------

    /// Deletes a network with no endpoints: its rules, its bridge, its pool.
    fn delete_network(&mut self, id: &str, why: &'static str) {
        let Some(n) = self.networks.nets.get(id).cloned() else {
            return;
        };
        self.net_event("destroy", id, None);
        self.delete_rules(&n.rules);
        let ops = if n.bridge.is_empty() {
            Vec::new()
        } else {
            self.kernel.delete_bridge(&n.bridge).unwrap_or_default()
        };
        self.networks.nets.remove(id);
        self.step(Step::new(
            Component::Kernel,
            format!(
                "deleted {}'s iptables rules ({}) and its bridge: ip link del {}{}",
                n.name,
                n.rules.len(),
                n.bridge,
                if ops.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", ops.join("; "))
                }
            ),
            why,
        ));
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "removed network {} ({}); IPAM released {}",
                n.name,
                &n.id[..12],
                n.subnet.map(|s| s.to_string()).unwrap_or_default()
            ),
            "the subnet goes back to the pool: the next network may get it",
        ));
    }

    pub(crate) fn cmd_network_rm(&mut self, a: cli::ForceArgs) -> i32 {
        let mut status = 0;
        for r in &a.args {
            let path = format!("/networks/{r}");
            let id = match self.networks.find(r) {
                Ok(id) => id,
                Err(e) => {
                    self.step(api_step(
                        http(
                            "GET",
                            &path,
                            None,
                            e.status,
                            Some(json!({"message": e.message})),
                        ),
                        "the CLI looks the network up first",
                    ));
                    if !(a.force && e.status == 404) {
                        self.daemon_error(&e);
                        status = 1;
                    }
                    continue;
                }
            };
            self.step(api_step(
                http("GET", &path, None, 200, None),
                "the CLI looks the network up first",
            ));
            let n = &self.networks.nets[&id];
            let err = if n.predefined {
                Some(ApiError::new(
                    403,
                    format!("{} is a pre-defined network and cannot be removed", n.name),
                ))
            } else if !n.endpoints.is_empty() {
                let eps: Vec<String> = n
                    .endpoints
                    .values()
                    .map(|e| format!("name:\"{}\" id:\"{}\"", e.name, &e.id[..12]))
                    .collect();
                Some(ApiError::new(
                    403,
                    format!(
                        "error while removing network: network {} has active endpoints ({})",
                        n.name,
                        eps.join(", ")
                    ),
                ))
            } else {
                None
            };
            if let Some(e) = err {
                self.net_refused(
                    "DELETE",
                    &format!("/networks/{id}"),
                    &e,
                    "dockerd keeps bridge, host and none, and a network that running containers are attached to",
                );
                status = 1;
                continue;
            }
            self.step(api_step(
                http("DELETE", &format!("/networks/{id}"), None, 204, None),
                "no container is attached, so libnetwork deletes the network",
            ));
            self.delete_network(&id, "the bridge and its rules go with the network");
            self.out(&format!("{r}\n"));
        }
        if status != 0 {
            // docker/cli's network rm returns StatusError{Status: "exit status 1"},
            // which the CLI prints after the errors.
            self.err("exit status 1\n");
        }
        status
    }

    pub(crate) fn cmd_network_prune(&mut self, a: cli::PruneArgs) -> i32 {
        if !a.force {
            self.out("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] \n");
            self.step(Step::new(
                Component::Cli,
                "asked for confirmation; the answer was empty, which means no".to_string(),
                "without -f the CLI asks first and sends nothing unless you answer y; Porthole has no keyboard input, so use `docker network prune -f`",
            ));
            return 0;
        }
        let mut until = None;
        let mut labels = Vec::new();
        for f in &a.filter {
            match f.split_once('=') {
                Some(("until", v)) => until = Time::parse_rfc3339(v),
                Some(("label", v)) => labels.push(v.to_string()),
                Some((k, _)) => {
                    let e = ApiError::new(400, format!("invalid filter '{k}'"));
                    self.net_refused(
                        "POST",
                        "/networks/prune",
                        &e,
                        "dockerd accepts only `until` and `label` filters for prune",
                    );
                    return 1;
                }
                None => {
                    self.err("bad format of filter (expected name=value)\nSee 'docker network prune --help'.\n");
                    return 125;
                }
            }
        }
        let mut victims: Vec<(String, String)> = self
            .networks
            .nets
            .values()
            .filter(|n| !n.predefined && n.endpoints.is_empty())
            .filter(|n| until.is_none_or(|u| n.created <= u))
            .filter(|n| {
                labels.iter().all(|l| match l.split_once('=') {
                    Some((k, v)) => n.labels.get(k).is_some_and(|x| x == v),
                    None => n.labels.contains_key(l),
                })
            })
            .map(|n| (n.name.clone(), n.id.clone()))
            .collect();
        victims.sort();
        self.step(api_step(
            http("POST", "/networks/prune", None, 200, Some(json!({"NetworksDeleted": victims.iter().map(|v| v.0.clone()).collect::<Vec<_>>()}))),
            "dockerd removes every user-defined network that no running container is attached to",
        ));
        for (_, id) in &victims {
            self.delete_network(id, "prune removes networks without endpoints");
        }
        if !victims.is_empty() {
            let mut s = String::from("Deleted Networks:\n");
            for (n, _) in &victims {
                s.push_str(n);
                s.push('\n');
            }
            s.push('\n');
            self.out(&s);
        }
        0
    }
}

/// `NetworkMode.IsUserDefined()`.
fn user_defined_name(n: &str) -> bool {
    !matches!(n, "default" | "bridge" | "host" | "none") && !n.starts_with("container:")
}

/// buildEndpointDNSNames: the name, the aliases, the short ID and the hostname, deduplicated.
fn dns_names(name: &str, aliases: &[String], id: &str, hostname: &str) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for n in std::iter::once(name.to_string())
        .chain(aliases.iter().cloned())
        .chain([id[..12].to_string(), hostname.to_string()])
    {
        if !n.is_empty() && !v.contains(&n) {
            v.push(n);
        }
    }
    v
}

impl<K: Kernel> Engine<K> {
    // ---- create ---------------------------------------------------------------------

    /// dockerd's checks of the networking config at `POST /containers/create`
    /// (validateNetworkingConfig, the network-mode conflicts, registerLinks). `given` is
    /// `--network` as typed (None: the CLI sends "default"). Returns the container's
    /// network settings and the create warnings.
    pub(crate) fn validate_create_network(
        &self,
        f: &NetFlags,
        mode: &str,
        given: Option<&str>,
    ) -> Result<(ContainerNet, Vec<String>), ApiError> {
        let bad = |m: &str| Err(ApiError::new(400, m.to_string()));
        let mut warnings = Vec::new();
        if mode.starts_with("container:") {
            if !f.bindings.is_empty() || f.publish_all {
                return bad(
                    "conflicting options: port publishing and the container type network mode",
                );
            }
            if f.expose_flag {
                return bad(
                    "conflicting options: port exposing and the container type network mode",
                );
            }
            if !f.links.is_empty() {
                return bad("conflicting options: container type network can't be used with links. This would result in undefined behavior");
            }
        }
        if mode == "host" {
            if !f.links.is_empty() {
                return bad("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
            }
            if !f.bindings.is_empty() {
                warnings
                    .push("Published ports are discarded when using host network mode".to_string());
            }
        }
        let key = given.unwrap_or("default");
        let net = self
            .networks
            .find(key)
            .ok()
            .and_then(|id| self.networks.nets.get(&id));
        if let Some(joined) = endpoint_settings_errors(
            key,
            net,
            f.ip.is_some(),
            f.ip.as_deref(),
            !f.aliases.is_empty(),
        ) {
            return Err(ApiError::new(
                400,
                format!("invalid config for network {key}: invalid endpoint settings:\n{joined}"),
            ));
        }
        let legacy = mode == "bridge";
        if legacy {
            for (name, _) in &f.links {
                if self.find_container(name).is_err() {
                    return Err(ApiError::new(
                        400,
                        format!("could not get container for {name}: No such container: {name}"),
                    ));
                }
            }
        }
        let ep = |network: &str, links: Vec<String>| EpConfig {
            network: network.to_string(),
            ip: f.ip.clone(),
            aliases: f.aliases.clone(),
            links,
            ..Default::default()
        };
        let endpoints = if mode.starts_with("container:") {
            Vec::new()
        } else if legacy || mode == "host" || mode == "none" {
            vec![ep(mode, Vec::new())]
        } else {
            vec![ep(
                mode,
                f.links.iter().map(|(n, a)| format!("{n}:{a}")).collect(),
            )]
        };
        Ok((
            ContainerNet {
                mode: mode.to_string(),
                endpoints,
                bindings: if mode == "host" {
                    Vec::new()
                } else {
                    f.bindings.clone()
                },
                publish_all: f.publish_all && mode != "host",
                links: if legacy { f.links.clone() } else { Vec::new() },
                ..Default::default()
            },
            warnings,
        ))
    }

    /// Records a new container's network settings (after its create succeeded).
    pub(crate) fn record_container_network(&mut self, id: &str, cn: ContainerNet) {
        self.networks.containers.insert(id.to_string(), cn);
        self.sync_linker(id);
    }

    /// Keeps `Networks::linkers` in step with a container's links.
    fn sync_linker(&mut self, id: &str) {
        let has = self.networks.containers.get(id).is_some_and(|c| {
            !c.links.is_empty() || c.endpoints.iter().any(|e| !e.links.is_empty())
        });
        if has {
            self.networks.linkers.insert(id.to_string());
        } else {
            self.networks.linkers.remove(id);
        }
    }

    /// `docker rename`: the endpoints take the new name, and the embedded DNS with them
    /// (libnetwork's `Sandbox.Rename`).
    pub(crate) fn rename_in_networks(&mut self, id: &str, old: &str, new: &str) {
        let swap = |names: &mut Vec<String>| {
            for n in names.iter_mut() {
                if n == old {
                    *n = new.to_string();
                }
            }
        };
        if let Some(c) = self.networks.containers.get_mut(id) {
            for e in c.endpoints.iter_mut() {
                swap(&mut e.dns_names);
            }
        }
        let mut user_nets = Vec::new();
        for n in self.networks.nets.values_mut() {
            if let Some(ep) = n.endpoints.get_mut(id) {
                ep.name = new.to_string();
                let (names, ip) = (ep.dns_names.clone(), ep.ip);
                swap(&mut ep.dns_names);
                let renamed = ep.dns_names.clone();
                n.remove_dns(&names, ip);
                n.add_dns(&renamed, ip);
                if !n.predefined {
                    user_nets.push(n.id.clone());
                }
            }
        }
        for net in user_nets {
            self.refresh_dns(&net, None);
        }
    }

    /// `docker rm`: nothing of the container is left in libnetwork.
    pub(crate) fn forget_container_network(&mut self, id: &str) {
        self.release_networks(id);
        self.networks.containers.remove(id);
        self.networks.linkers.remove(id);
    }

    // ---- start ----------------------------------------------------------------------

    /// Before runc creates anything: every check that could make the attach fail (the
    /// networks exist, the requested address and host ports are free, linked containers
    /// run). Draws the endpoint IDs.
    pub(crate) fn plan_networks(&mut self, id: &str) -> Result<NetPlan, ApiError> {
        let Some(cn) = self.networks.containers.get(id).cloned() else {
            return Ok(NetPlan::default());
        };
        let cname = self
            .containers
            .get(id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let mut plan = NetPlan::default();
        for ep in &cn.endpoints {
            let net =
                if !ep.network_id.is_empty() && self.networks.nets.contains_key(&ep.network_id) {
                    ep.network_id.clone()
                } else {
                    self.networks.find(&ep.network)?
                };
            let n = &self.networks.nets[&net];
            let mut ip = 0;
            if n.is_bridge() {
                let subnet = n.subnet.unwrap_or(Prefix { addr: 0, bits: 32 });
                ip = match ep.ip.as_deref().and_then(parse_ip) {
                    Some(want) => {
                        if n.used.contains(&want) {
                            return Err(ApiError::new(403, "Address already in use"));
                        }
                        if !subnet.contains(want) {
                            return Err(ApiError::new(400, format!("invalid address {}: It does not belong to any of this network's subnets", ip_str(want))));
                        }
                        want
                    }
                    None => Networks::lowest_free(&n.used, subnet, n.range().unwrap_or(subnet)).ok_or_else(|| {
                        ApiError::new(500, format!("no available IPv4 addresses on this network's address pools: {} ({})", n.name, n.id))
                    })?,
                };
            }
            let ep_id = self.networks.hex();
            plan.eps.push(PlannedEp { net, ep_id, ip });
        }
        for (child, alias) in &cn.links {
            let Ok(cid) = self.find_container(child) else {
                return Err(ApiError::new(
                    400,
                    format!("could not get container for {child}: No such container: {child}"),
                ));
            };
            let c = &self.containers[&cid];
            if !c.state.status.is_up() {
                return Err(ApiError::new(
                    400,
                    format!(
                        "Cannot link to a non running container: /{} AS /{cname}/{alias}",
                        c.name
                    ),
                ));
            }
            let bridge = self
                .networks
                .by_name("bridge")
                .map(|n| n.id.clone())
                .unwrap_or_default();
            let Some(cep) = self
                .networks
                .nets
                .get(&bridge)
                .and_then(|n| n.endpoints.get(&cid))
            else {
                return Err(ApiError::new(
                    400,
                    format!(
                        "Cannot link to /{}, as it does not belong to the default network",
                        c.name
                    ),
                ));
            };
            let mut names = format!("{alias} {}", c.config.hostname);
            if *alias != c.name {
                names.push_str(&format!(" {}", c.name));
            }
            plan.links.push((cep.ip, names));
        }
        // Published ports go through the gateway endpoint: the first bridge network that
        // is not internal.
        let gw = plan.eps.iter().find(|p| {
            let n = &self.networks.nets[&p.net];
            n.is_bridge() && !n.internal
        });
        if let Some(gw) = gw {
            let mut specs = cn.bindings.clone();
            if cn.publish_all {
                let exposed = self
                    .containers
                    .get(id)
                    .map(|c| c.config.exposed_ports.clone())
                    .unwrap_or_default();
                for e in exposed {
                    let (p, proto) = e.split_once('/').unwrap_or((e.as_str(), "tcp"));
                    let Ok(port) = p.parse::<u16>() else { continue };
                    if !specs.iter().any(|s| s.port == port && s.proto == proto) {
                        specs.push(PortSpec {
                            port,
                            proto: proto.to_string(),
                            host_ip: String::new(),
                            host_port: String::new(),
                        });
                    }
                }
            }
            specs.sort_by(|a, b| (a.port, &a.proto).cmp(&(b.port, &b.proto)));
            let mut state = self.networks.ports.clone();
            for s in &specs {
                let ips: Vec<String> = if s.host_ip.is_empty() {
                    vec!["0.0.0.0".into(), "::".into()]
                } else {
                    vec![s.host_ip.clone()]
                };
                let range = if s.host_port.is_empty() {
                    DYNAMIC_PORTS
                } else {
                    parse_port_range(&s.host_port).unwrap_or(DYNAMIC_PORTS)
                };
                match request_port(&mut state, &ips, &s.proto, range) {
                    Ok(hp) => {
                        for ip in &ips {
                            plan.ports.push(Bound {
                                port: s.port,
                                proto: s.proto.clone(),
                                host_ip: ip.clone(),
                                host_port: hp,
                            });
                        }
                    }
                    Err((ip, port)) => {
                        let why = if port == 0 {
                            "all ports are allocated".to_string()
                        } else {
                            format!("Bind for {ip}:{port} failed: port is already allocated")
                        };
                        return Err(ApiError::new(500, format!("driver failed programming external connectivity on endpoint {cname} ({}): {why}", gw.ep_id)));
                    }
                }
            }
            plan.port_state = Some(state);
        }
        Ok(plan)
    }

    /// The network part of a start that cannot go ahead: the container stays created with
    /// the error, as dockerd leaves it (removed at once with --rm).
    pub(crate) fn network_start_failed(&mut self, id: &str, e: &ApiError) {
        let _ = self.kernel.unmount_rootfs(id);
        self.step(
            Step::new(
                Component::Dockerd,
                format!("libnetwork could not attach container {}: {}", &id[..12], e.message),
                "dockerd connects the container to its networks before runc starts it; when that fails the task is deleted and the container stays created with the error",
            )
            .change(Change::removed(Object::Mount(id.to_string()))),
        );
        if let Some(c) = self.containers.get_mut(id) {
            c.state.error = e.message.clone();
            c.state.exit_code = 128;
        }
        if self
            .containers
            .get(id)
            .is_some_and(|c| c.config.auto_remove)
        {
            self.remove_container(id, "--rm: dockerd removes a container whose start failed");
        }
    }

    /// After sethostname, before `runc start` (moby's initializeCreatedTask: SetKey on
    /// /proc/PID/ns/net, then allocateNetwork): the sandbox, an endpoint per network, the
    /// published ports, the DNS records, /etc/hosts and /etc/resolv.conf.
    pub(crate) fn attach_networks(&mut self, id: &str, pid: u32, plan: NetPlan) {
        let Some(cn) = self.networks.containers.get(id).cloned() else {
            return;
        };
        if cn.mode.starts_with("container:") {
            return;
        }
        let sandbox = self.networks.hex();
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "libnetwork: sandbox {} for container {}: the network namespace of PID {pid} (/proc/{pid}/ns/net), bind-mounted at /var/run/docker/netns/{}",
                &sandbox[..12],
                &id[..12],
                &sandbox[..12]
            ),
            "a sandbox is libnetwork's name for a container's network stack; dockerd gets it from runc's new network namespace (SetKey) and then plugs endpoints into it",
        ));
        if let Some(c) = self.networks.containers.get_mut(id) {
            c.sandbox = Some(sandbox);
            c.link_hosts = plan.links.clone();
        }
        let mut eth = 0;
        let mut user_nets = Vec::new();
        let gw_net = plan
            .eps
            .iter()
            .find(|p| {
                let n = &self.networks.nets[&p.net];
                n.is_bridge() && !n.internal
            })
            .map(|p| p.net.clone());
        for (i, pe) in plan.eps.iter().enumerate() {
            let cfg = cn.endpoints.get(i).cloned().unwrap_or_default();
            self.attach_endpoint(id, pid, pe, &cfg, eth);
            if self.networks.nets[&pe.net].is_bridge() {
                eth += 1;
            }
            if self.networks.nets[&pe.net].user_defined() {
                user_nets.push(pe.net.clone());
            }
        }
        if let (Some(gw), Some(state)) = (gw_net, plan.port_state) {
            if !plan.ports.is_empty() {
                self.networks.ports = state;
                self.publish_ports(id, &gw, &plan.ports);
            }
        }
        for n in user_nets {
            self.refresh_dns(&n, Some(id));
        }
        self.write_network_files(id);
        self.update_link_parents(id);
    }

    /// Containers linked to `child` (legacy links) get its new address in their
    /// /etc/hosts (moby's addLegacyLinks, for the parents).
    fn update_link_parents(&mut self, child: &str) {
        let Some(c) = self.containers.get(child) else {
            return;
        };
        let (cname, hostname) = (c.name.clone(), c.config.hostname.clone());
        let bridge = self
            .networks
            .by_name("bridge")
            .map(|n| n.id.clone())
            .unwrap_or_default();
        let Some(ip) = self
            .networks
            .nets
            .get(&bridge)
            .and_then(|n| n.endpoints.get(child))
            .map(|e| e.ip)
        else {
            return;
        };
        let parents: Vec<(String, String)> = self
            .networks
            .linkers
            .iter()
            .filter_map(|pid| Some((pid, self.networks.containers.get(pid)?)))
            .filter(|(pid, cn)| pid.as_str() != child && cn.sandbox.is_some())
            .filter_map(|(pid, cn)| {
                cn.links
                    .iter()
                    .find(|(n, _)| *n == cname)
                    .map(|(_, a)| (pid.clone(), a.clone()))
            })
            .collect();
        for (parent, alias) in parents {
            let mut names = format!("{alias} {hostname}");
            if alias != cname {
                names.push_str(&format!(" {cname}"));
            }
            if let Some(cn) = self.networks.containers.get_mut(&parent) {
                cn.link_hosts.retain(|(_, h)| h != &names);
                cn.link_hosts.push((ip, names));
            }
            self.write_network_files(&parent);
        }
    }

    /// One endpoint: IPAM's address, the veth pair, the per-endpoint rule.
    fn attach_endpoint(&mut self, id: &str, pid: u32, pe: &PlannedEp, cfg: &EpConfig, eth: usize) {
        let (cname, hostname) = self
            .containers
            .get(id)
            .map(|c| (c.name.clone(), c.config.hostname.clone()))
            .unwrap_or_default();
        let n = self.networks.nets[&pe.net].shallow();
        let short = &id[..12];
        let mut ep = Endpoint {
            id: pe.ep_id.clone(),
            container: id.to_string(),
            name: cname.clone(),
            ip: pe.ip,
            mac: String::new(),
            ifname: String::new(),
            host_ifname: String::new(),
            aliases: cfg.aliases.clone(),
            dns_names: if n.user_defined() {
                dns_names(&cname, &cfg.aliases, id, &hostname)
            } else {
                Vec::new()
            },
            links: cfg.links.clone(),
            ports: Vec::new(),
            rules: Vec::new(),
            static_ip: cfg.ip.clone(),
        };
        if !n.is_bridge() {
            self.step(Step::new(
                Component::Dockerd,
                format!("libnetwork: endpoint {} joins container {short} to network {} (driver {}): no interface, no address", &ep.id[..12], n.name, n.driver),
                if n.driver == "host" {
                    "with --network host the container uses the host's own network namespace: its interfaces, addresses and ports"
                } else {
                    "with --network none the container's network namespace has only the loopback interface lo"
                },
            ));
        } else {
            let subnet = n.subnet.unwrap_or(Prefix { addr: 0, bits: 32 });
            let gw = n.gateway.unwrap_or(0);
            ep.mac = self.networks.mac();
            ep.host_ifname = self.networks.veth_name();
            ep.ifname = format!("eth{eth}");
            let how = if cfg.ip.is_some() {
                "the address asked for with --ip".to_string()
            } else {
                "the lowest free address of the subnet; the gateway has the first".to_string()
            };
            self.step(Step::new(
                Component::Dockerd,
                format!(
                    "libnetwork: endpoint {} on network {}: IPAM gave {}/{} ({how}); MAC {} (random, locally administered)",
                    &ep.id[..12], n.name, ip_str(ep.ip), subnet.bits, ep.mac
                ),
                "Docker 28's default IPAM hands out the first free address of the pool, not the next one after the last (so a freed address is reused); the bridge driver draws a random MAC",
            ));
            if let Some(net) = self.networks.nets.get_mut(&pe.net) {
                net.used.insert(ep.ip);
            }
            let spec = VethSpec {
                container_id: id.to_string(),
                pid,
                bridge: n.bridge.clone(),
                host_ifname: ep.host_ifname.clone(),
                ifname: ep.ifname.clone(),
                mac: ep.mac.clone(),
                address: ip_str(ep.ip),
                prefix: subnet.bits,
                // The default route goes through the first bridge interface; a network
                // connected later adds its subnet only (libnetwork's gateway endpoint
                // selection is not modelled).
                gateway: (!n.internal && eth == 0).then(|| ip_str(gw)),
                mtu: MTU,
            };
            let info = self.kernel.add_veth(&spec).ok();
            let ops = info.map(|i| i.ops).unwrap_or_default();
            let (h, c) = (&ep.host_ifname, &ep.ifname);
            // The kernel's own netlink operations, grouped into what each stage does.
            let pick = |keys: &[&str]| -> Vec<String> {
                ops.iter()
                    .filter(|o| keys.iter().any(|k| o.contains(k)))
                    .cloned()
                    .collect()
            };
            let created = pick(&["type veth"]);
            let moved: Vec<String> = pick(&[" netns ", " name "])
                .into_iter()
                .filter(|o| !o.contains("type veth"))
                .collect();
            let attached = pick(&[" master "]);
            let or = |v: Vec<String>, d: String| if v.is_empty() { d } else { v.join("; ") };
            self.step(Step::new(
                Component::Kernel,
                format!(
                    "{}: veth pair created",
                    or(created, format!("ip link add {h} type veth peer name {c}"))
                ),
                "a veth pair is a virtual cable: what goes in one end comes out of the other",
            ));
            self.step(Step::new(
                Component::Kernel,
                format!(
                    "{}: one end moved into the container's network namespace and named {c}",
                    or(moved, format!("ip link set {c} netns {pid}"))
                ),
                "inside the namespace the container sees only this end, as its ethernet interface",
            ));
            self.step(Step::new(
                Component::Kernel,
                format!(
                    "{}: the other end attached to the bridge {}",
                    or(attached, format!("ip link set {h} master {} up", n.bridge)),
                    n.bridge
                ),
                "the host end is a port of the bridge, which switches frames between the containers of the network and the host",
            ));
            let mut direct = String::new();
            if !n.internal {
                let r = rule(
                    "raw",
                    "PREROUTING",
                    &format!("-d {}/32 ! -i {} -j DROP", ip_str(ep.ip), n.bridge),
                );
                self.apply_rules(&[(r.clone(), false)]);
                direct = format!(
                    "; {} (no direct routing to it from outside the bridge)",
                    show_rule(&r, false)
                );
                ep.rules.push(r);
            }
            self.step(Step::new(
                Component::Kernel,
                format!(
                    "in the container: ip addr add {}/{} dev {c}; ip link set {c} address {} up; {}{direct}",
                    ip_str(ep.ip),
                    subnet.bits,
                    ep.mac,
                    if n.internal {
                        "no default route (internal network)".to_string()
                    } else if eth > 0 {
                        format!("no default route (it stays on eth0); {} is reached on {c}", subnet.masked())
                    } else {
                        format!("ip route add default via {}", ip_str(gw))
                    },
                ),
                "IP and route set: the subnet is reached directly on the bridge, anything else through the gateway (the bridge's own address on the host)",
            ));
        }
        if let Some(c) = self.networks.containers.get_mut(id) {
            if let Some(e) = c.endpoints.iter_mut().find(|e| e.network == cfg.network) {
                e.network_id = n.id.clone();
                e.dns_names = ep.dns_names.clone();
            }
        }
        if let Some(net) = self.networks.nets.get_mut(&pe.net) {
            net.add_dns(&ep.dns_names, ep.ip);
            net.endpoints.insert(id.to_string(), ep);
        }
        self.net_event("connect", &pe.net, Some(id));
    }

    /// The DNAT and filter rules of the published ports, and docker-proxy on each.
    fn publish_ports(&mut self, id: &str, net: &str, ports: &[Bound]) {
        let Some(ep) = self.networks.nets[net].endpoints.get(id).cloned() else {
            return;
        };
        let n = self.networks.nets[net].shallow();
        let mut rules = Vec::new();
        for b in ports {
            let rs = port_rules(&n.bridge, ep.ip, b);
            self.apply_rules(&rs);
            let shown: Vec<String> = rs.iter().map(|(r, i)| show_rule(r, *i)).collect();
            let host = join_host_port(&b.host_ip, b.host_port);
            self.step(Step::new(
                Component::Kernel,
                if shown.is_empty() {
                    format!("published {host} → {}:{}/{}: docker-proxy listens on {host} (no NAT rule for IPv6)", ip_str(ep.ip), b.port, b.proto)
                } else {
                    format!("published {host} → {}:{}/{}: docker-proxy listens on {host}; DNAT rule added: {}", ip_str(ep.ip), b.port, b.proto, shown.join("; "))
                },
                "the nat DOCKER chain rewrites packets for the host port to the container's address (DNAT); the filter DOCKER chain lets them through to the bridge; docker-proxy carries what the rules cannot (from the host itself, over IPv6)",
            ));
            rules.extend(rs.into_iter().map(|(r, _)| r));
        }
        if let Some(e) = self
            .networks
            .nets
            .get_mut(net)
            .and_then(|n| n.endpoints.get_mut(id))
        {
            e.ports = ports.to_vec();
            e.rules.extend(rules);
        }
        if let Some(c) = self.networks.containers.get_mut(id) {
            c.ports = ports.to_vec();
        }
    }

    /// The embedded DNS of a container: the zones of its user-defined networks, and its
    /// links' aliases there as records of its own.
    fn dns_config(&self, id: &str) -> (Vec<String>, Vec<DnsRecord>) {
        let mut zones = Vec::new();
        let mut own = BTreeSet::new();
        let links: Vec<String> = self
            .networks
            .containers
            .get(id)
            .map(|c| c.endpoints.iter().flat_map(|e| e.links.clone()).collect())
            .unwrap_or_default();
        for n in self.networks.nets.values() {
            if !n.user_defined() || !n.endpoints.contains_key(id) {
                continue;
            }
            zones.push(n.id.clone());
            for l in &links {
                let (target, alias) = l.split_once(':').unwrap_or((l.as_str(), l.as_str()));
                if let Some(ep) = n.endpoints.values().find(|e| e.name == target) {
                    own.insert(DnsRecord {
                        name: alias.to_string(),
                        address: ip_str(ep.ip),
                    });
                }
            }
        }
        (zones, own.into_iter().collect())
    }

    /// Hands the network's zone its pending changes (after `joined` joined, a container
    /// left or was renamed), gives `joined` its resolver, and refreshes the resolvers of
    /// containers whose link aliases point into the network. Costs what changed, not
    /// the size of the network.
    fn refresh_dns(&mut self, net: &str, joined: Option<&str>) {
        let Some(n) = self.networks.nets.get_mut(net) else {
            return;
        };
        let pending = std::mem::take(&mut n.dns_pending);
        let (name, zone, total, members) =
            (n.name.clone(), n.id.clone(), n.dns.len(), n.endpoints.len());
        let (add, remove): (Vec<_>, Vec<_>) = pending.into_iter().partition(|(a, _)| *a);
        let add: Vec<DnsRecord> = add.into_iter().map(|(_, r)| r).collect();
        let remove: Vec<DnsRecord> = remove.into_iter().map(|(_, r)| r).collect();
        let _ = self.kernel.dns_zone_update(&zone, &add, &remove);
        // Containers with link aliases hold records of their own: refresh those on this
        // network (links are rare; the scan is over containers with links only).
        let linked: Vec<String> = self
            .networks
            .linkers
            .iter()
            .filter(|cid| {
                Some(cid.as_str()) != joined
                    && self
                        .networks
                        .containers
                        .get(*cid)
                        .is_some_and(|c| c.endpoints.iter().any(|e| !e.links.is_empty()))
                    && self.networks.nets[net].endpoints.contains_key(*cid)
            })
            .cloned()
            .collect();
        for cid in joined.iter().map(|j| j.to_string()).chain(linked) {
            let (zones, own) = self.dns_config(&cid);
            let _ = self.kernel.set_dns(&cid, &zones, &own);
        }
        if let Some(cid) = joined {
            let mut shown: Vec<String> = self.networks.nets[net]
                .dns
                .iter()
                .take(12)
                .map(|r| format!("{} → {}", r.name, r.address))
                .collect();
            if total > 12 {
                shown.push(format!("… ({total} records in all)"));
            }
            self.step(Step::new(
                Component::Dockerd,
                format!("embedded DNS ({DNS_ADDRESS}) in container {}: DNS records registered on {name}: {}", &cid[..12], shown.join(", ")),
                "on a user-defined network dockerd's resolver answers the names of the containers on it (name, aliases, short ID); the default bridge has no such DNS",
            ));
        }
        let others = members
            - usize::from(
                joined.is_some_and(|j| self.networks.nets[net].endpoints.contains_key(j)),
            );
        if others > 0 && !(add.is_empty() && remove.is_empty()) {
            self.step(Step::new(
                Component::Dockerd,
                format!(
                    "embedded DNS: the zone of {name} changed (+{} −{} records, {total} in all); the {others} other container(s) on it answer from it at once",
                    add.len(),
                    remove.len()
                ),
                "every container's resolver on a network answers from the network's one zone, so it knows the current members",
            ));
        }
    }

    /// /etc/hosts and /etc/resolv.conf, written to /var/lib/docker/containers/ID/ and
    /// bind-mounted into the container.
    fn write_network_files(&mut self, id: &str) {
        let Some(cn) = self.networks.containers.get(id).cloned() else {
            return;
        };
        let hostname = self
            .containers
            .get(id)
            .map(|c| c.config.hostname.clone())
            .unwrap_or_default();
        let mut own = Vec::new();
        let mut internal_dns = false;
        for e in &cn.endpoints {
            if let Some(n) = self.networks.nets.get(&e.network_id) {
                if let Some(ep) = n.endpoints.get(id) {
                    if ep.ip != 0 {
                        own.push((ep.ip, hostname.clone()));
                    }
                    internal_dns |= n.user_defined();
                }
            }
        }
        let hosts = hosts_file(&own, &cn.link_hosts);
        let resolv = resolv_conf(internal_dns);
        let _ = self.kernel.write_container_file(id, "hosts", &hosts);
        let _ = self.kernel.write_container_file(id, "resolv.conf", &resolv);
        let lines: Vec<String> = own
            .iter()
            .chain(&cn.link_hosts)
            .map(|(ip, h)| format!("{} {h}", ip_str(*ip)))
            .collect();
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "wrote /etc/hosts (localhost, the ip6 names{}{}) and /etc/resolv.conf (nameserver {})",
                if lines.is_empty() { String::new() } else { ", " .to_string() },
                lines.join(", "),
                if internal_dns { format!("{DNS_ADDRESS}, options ndots:0") } else { format!("{HOST_NAMESERVER}, the host's") }
            ),
            if internal_dns {
                "on a user-defined network the resolver is dockerd's embedded DNS at 127.0.0.11, which forwards other names to the host's nameservers"
            } else if cn.mode == "host" || cn.mode == "none" {
                "with --network host or none there is no embedded DNS: the container gets the host's nameservers"
            } else {
                "on the default bridge there is no embedded DNS: the container gets the host's nameservers, and other containers' names only through --link entries in /etc/hosts"
            },
        ));
    }

    // ---- stop -----------------------------------------------------------------------

    /// The container no longer runs: its endpoints go (veths, rules, host ports, DNS
    /// records, addresses back to IPAM), the sandbox with them.
    pub(crate) fn release_networks(&mut self, id: &str) {
        let Some(sandbox) = self
            .networks
            .containers
            .get(id)
            .and_then(|c| c.sandbox.clone())
        else {
            return;
        };
        let pid = self
            .containers
            .get(id)
            .and_then(|c| c.init.as_ref().map(|i| i.host_pid))
            .unwrap_or(0);
        let nets: Vec<String> = self
            .networks
            .nets
            .values()
            .filter(|n| n.endpoints.contains_key(id))
            .map(|n| n.id.clone())
            .collect();
        let mut freed = Vec::new();
        for net in &nets {
            if let Some(ip) = self.release_endpoint(id, net, pid) {
                freed.push(ip);
            }
        }
        let _ = self.kernel.set_dns(id, &[], &[]);
        let ports: Vec<String> = self
            .networks
            .containers
            .get(id)
            .map(|c| {
                c.ports
                    .iter()
                    .map(|b| format!("{}/{}", join_host_port(&b.host_ip, b.host_port), b.proto))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(c) = self.networks.containers.get_mut(id) {
            c.sandbox = None;
            c.ports.clear();
            c.link_hosts.clear();
        }
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "libnetwork released container {}'s network: sandbox {} deleted{}{}",
                &id[..12],
                &sandbox[..12],
                if freed.is_empty() { String::new() } else { format!(", {} back to IPAM", freed.join(", ")) },
                if ports.is_empty() { String::new() } else { format!(", host ports {} freed", ports.join(", ")) }
            ),
            "a stopped container holds no address and no port: another container may get them; they are allocated again at the next start",
        ));
    }

    /// Removes one endpoint: its rules, its ports, its veth; returns its address.
    fn release_endpoint(&mut self, id: &str, net: &str, pid: u32) -> Option<String> {
        let ep = self.networks.nets.get_mut(net)?.endpoints.remove(id)?;
        let (bridge, user_defined, name) = {
            let n = self.networks.nets.get_mut(net)?;
            n.used.remove(&ep.ip);
            n.remove_dns(&ep.dns_names, ep.ip);
            (n.bridge.clone(), n.user_defined(), n.name.clone())
        };
        self.delete_rules(&ep.rules);
        for b in &ep.ports {
            self.networks
                .release_port(&b.host_ip, &b.proto, b.host_port);
        }
        if !ep.ifname.is_empty() {
            let ops = self.kernel.remove_veth(pid, &ep.ifname).unwrap_or_default();
            self.step(Step::new(
                Component::Kernel,
                format!(
                    "ip link del {} ({} in the container, on {bridge}){}{}",
                    ep.host_ifname,
                    ep.ifname,
                    if ep.rules.is_empty() { String::new() } else { format!("; deleted {} iptables rule(s)", ep.rules.len()) },
                    if ops.is_empty() { String::new() } else { format!(" [{}]", ops.join("; ")) }
                ),
                "deleting one end of a veth pair deletes the other; the endpoint's DNAT and filter rules go with it",
            ));
        }
        if let Some(c) = self.networks.containers.get_mut(id) {
            c.ports.retain(|p| !ep.ports.contains(p));
        }
        self.net_event("disconnect", net, Some(id));
        if user_defined {
            self.refresh_dns(net, None);
        }
        let _ = name;
        (ep.ip != 0).then(|| ip_str(ep.ip))
    }
}

impl<K: Kernel> Engine<K> {
    // ---- connect / disconnect ---------------------------------------------------------

    pub(crate) fn cmd_network_connect(&mut self, a: cli::NetworkConnectArgs) -> i32 {
        let (net_ref, c_ref) = (a.args[0].clone(), a.args[1].clone());
        let path = format!("/networks/{net_ref}/connect");
        let mut epc = Map::new();
        if let Some(ip) = &a.ip {
            epc.insert("IPAMConfig".into(), json!({"IPv4Address": ip}));
        }
        if !a.link.is_empty() {
            epc.insert("Links".into(), json!(a.link));
        }
        if !a.alias.is_empty() {
            epc.insert("Aliases".into(), json!(a.alias));
        }
        let body = json!({"Container": c_ref, "EndpointConfig": Value::Object(epc)}).to_string();
        let refuse = |this: &mut Self, e: ApiError, why: &'static str| -> i32 {
            this.step(api_step(
                http(
                    "POST",
                    &path,
                    Some(body.clone()),
                    e.status,
                    Some(json!({"message": e.message})),
                ),
                why,
            ));
            this.daemon_error(&e);
            1
        };
        let cid = match self.find_container(&c_ref) {
            Ok(c) => c,
            Err(e) => return refuse(self, e, "dockerd has no such container"),
        };
        let c = self.containers[&cid].clone();
        let running = c.state.status.is_up() && c.state.pid != 0;
        let net = match self.networks.find(&net_ref) {
            Ok(n) => n,
            Err(e) if e.status == 404 && !running => {
                // moby keeps the name for a stopped container (an attachable swarm
                // network may appear later); its start fails if it never does.
                self.step(api_step(
                    http("POST", &path, Some(body), 200, None),
                    "for a stopped container dockerd records the network by name without looking it up",
                ));
                // NetworkSettings.Networks is a map keyed by the name: a second connect
                // to the same missing network replaces the first entry.
                let eps = &mut self.networks.containers.entry(cid).or_default().endpoints;
                let cfg = EpConfig {
                    network: net_ref.clone(),
                    ip: a.ip.clone().filter(|s| !s.is_empty()),
                    aliases: a.alias.clone(),
                    links: a.link.clone(),
                    ..Default::default()
                };
                match eps.iter_mut().find(|e| e.network == net_ref) {
                    Some(e) => *e = cfg,
                    None => eps.push(cfg),
                }
                return 0;
            }
            Err(e) => return refuse(self, e, "dockerd has no network by that name or ID"),
        };
        let n = self.networks.nets[&net].clone();
        let mode = c.host_config.network_mode.clone();
        let err = |m: &str| Some(ApiError::new(400, m.to_string()));
        let conflict = if mode.starts_with("container:") || mode == "host" {
            err("container sharing network namespace with another container or host cannot be connected to any other network")
        } else if n.driver == "host" {
            err("cannot connect container to host network - container must be created in host network mode")
        } else if mode == "none" || n.driver == "null" {
            err("container cannot be connected to multiple networks with one of the networks in private (none) mode")
        } else {
            None
        };
        if let Some(e) = conflict {
            return refuse(self, e, "a container that shares a network namespace, or has none, cannot join other networks");
        }
        let want = a.ip.as_deref().filter(|s| !s.is_empty());
        if let Some(joined) =
            endpoint_settings_errors(&n.name, Some(&n), a.ip.is_some(), want, !a.alias.is_empty())
        {
            return refuse(
                self,
                ApiError::new(400, format!("invalid endpoint settings:\n{joined}")),
                "dockerd validates the endpoint settings against the network",
            );
        }
        let already = self.networks.containers.get(&cid).is_some_and(|cn| {
            cn.endpoints.iter().any(|e| {
                e.network_id == net
                    || self.networks.find(&e.network).ok().as_deref() == Some(net.as_str())
            })
        });
        if already && !running {
            // updateNetworkSettings: a stopped container already configured for the
            // network is left as it is.
            self.step(api_step(
                http("POST", &path, Some(body), 200, None),
                "the stopped container already has this network in its settings: nothing to do",
            ));
            return 0;
        }
        if already {
            return refuse(
                self,
                ApiError::new(
                    403,
                    format!(
                        "endpoint with name {} already exists in network {}",
                        c.name, n.name
                    ),
                ),
                "a container has one endpoint per network",
            );
        }
        let cfg = EpConfig {
            network: n.name.clone(),
            network_id: String::new(),
            dns_names: Vec::new(),
            ip: want.map(str::to_string),
            aliases: a.alias.clone(),
            links: a.link.clone(),
        };
        let mut planned = None;
        if running {
            let subnet = n.subnet.unwrap_or(Prefix { addr: 0, bits: 32 });
            let ip = match want.and_then(parse_ip) {
                Some(w) if n.used.contains(&w) => {
                    return refuse(
                        self,
                        ApiError::new(403, "Address already in use"),
                        "another endpoint (or the gateway) has that address",
                    )
                }
                Some(w) => w,
                None => {
                    match Networks::lowest_free(&n.used, subnet, n.range().unwrap_or(subnet)) {
                        Some(ip) => ip,
                        None => {
                            let m = format!("no available IPv4 addresses on this network's address pools: {} ({})", n.name, n.id);
                            return refuse(
                                self,
                                ApiError::new(500, m),
                                "every address of the pool is taken",
                            );
                        }
                    }
                }
            };
            planned = Some(PlannedEp {
                net: net.clone(),
                ep_id: self.networks.hex(),
                ip,
            });
        }
        self.step(api_step(
            http("POST", &path, Some(body), 200, None),
            "dockerd connects the container: at once if it runs, else at its next start",
        ));
        self.networks
            .containers
            .entry(cid.clone())
            .or_default()
            .endpoints
            .push(cfg.clone());
        self.sync_linker(&cid);
        match planned {
            Some(pe) => {
                let eth = self
                    .networks
                    .nets
                    .values()
                    .filter(|x| x.is_bridge() && x.endpoints.contains_key(&cid))
                    .count();
                self.attach_endpoint(&cid, c.state.pid, &pe, &cfg, eth);
                if n.user_defined() {
                    self.refresh_dns(&net, Some(&cid));
                }
                self.write_network_files(&cid);
            }
            None => {
                self.step(Step::new(
                    Component::Dockerd,
                    format!("recorded network {} for container {} (not running): its endpoint is made at its next start", n.name, &cid[..12]),
                    "endpoints exist only while a container runs; a stopped container just remembers its networks",
                ));
            }
        }
        0
    }

    pub(crate) fn cmd_network_disconnect(&mut self, a: cli::ForceArgs) -> i32 {
        let (net_ref, c_ref) = (a.args[0].clone(), a.args[1].clone());
        let path = format!("/networks/{net_ref}/disconnect");
        let body = json!({"Container": c_ref, "Force": a.force}).to_string();
        let refuse = |this: &mut Self, e: ApiError, why: &'static str| -> i32 {
            this.step(api_step(
                http(
                    "POST",
                    &path,
                    Some(body.clone()),
                    e.status,
                    Some(json!({"message": e.message})),
                ),
                why,
            ));
            this.daemon_error(&e);
            1
        };
        let found = self.networks.find(&net_ref);
        let cid = match self.find_container(&c_ref) {
            Ok(c) => c,
            Err(e) => return refuse(self, e, "dockerd has no such container"),
        };
        let c = self.containers[&cid].clone();
        let running = c.state.status.is_up() && c.state.pid != 0;
        let net = match found {
            Ok(n) => n,
            Err(e) if running && !a.force => {
                return refuse(self, e, "dockerd has no network by that name or ID")
            }
            Err(_) => {
                // A stopped container (or -f): the network is looked up by name in the
                // container's settings only.
                let pos = self
                    .networks
                    .containers
                    .get(&cid)
                    .and_then(|cn| cn.endpoints.iter().position(|e| e.network == net_ref));
                let Some(pos) = pos else {
                    return refuse(
                        self,
                        ApiError::new(
                            500,
                            format!("container {cid} is not connected to the network {net_ref}"),
                        ),
                        "the container has no such network in its settings",
                    );
                };
                self.step(api_step(
                    http("POST", &path, Some(body), 200, None),
                    "dockerd drops the network from the container's settings",
                ));
                if let Some(cn) = self.networks.containers.get_mut(&cid) {
                    cn.endpoints.remove(pos);
                }
                self.sync_linker(&cid);
                return 0;
            }
        };
        let n = self.networks.nets[&net].clone();
        if n.driver == "host" && c.host_config.network_mode == "host" {
            return refuse(
                self,
                ApiError::new(400, "cannot disconnect container from host network - container was created in host network mode"),
                "a host-mode container has no namespace of its own to fall back to",
            );
        }
        let pos = self.networks.containers.get(&cid).and_then(|cn| {
            cn.endpoints.iter().position(|e| {
                e.network_id == net
                    || self.networks.find(&e.network).ok().as_deref() == Some(net.as_str())
            })
        });
        let Some(pos) = pos else {
            return refuse(
                self,
                ApiError::new(
                    500,
                    if running {
                        format!("container {cid} is not connected to network {}", n.name)
                    } else {
                        format!("container {cid} is not connected to the network {}", n.name)
                    },
                ),
                "the container has no endpoint on that network",
            );
        };
        self.step(api_step(
            http("POST", &path, Some(body), 200, None),
            "dockerd removes the container's endpoint on the network",
        ));
        if let Some(cn) = self.networks.containers.get_mut(&cid) {
            cn.endpoints.remove(pos);
        }
        self.sync_linker(&cid);
        if n.endpoints.contains_key(&cid) {
            let pid = c.state.pid;
            let ip = self.release_endpoint(&cid, &net, pid);
            self.step(Step::new(
                Component::Dockerd,
                format!(
                    "disconnected container {} from {}{}",
                    &cid[..12],
                    n.name,
                    ip.map(|i| format!("; {i} back to IPAM"))
                        .unwrap_or_default()
                ),
                "the container keeps its other networks; its DNS records on this one are gone",
            ));
            let (zones, own) = self.dns_config(&cid);
            let _ = self.kernel.set_dns(&cid, &zones, &own);
            self.write_network_files(&cid);
        }
        0
    }

    // ---- docker port ------------------------------------------------------------------

    pub(crate) fn cmd_port(&mut self, a: cli::NamesArgs) -> i32 {
        let r = a.args[0].clone();
        let id = match self.lookup_container(
            &r,
            "the CLI reads the port mappings from the container's inspect data",
        ) {
            Ok(id) => id,
            Err(code) => return code,
        };
        let ports = self
            .networks
            .containers
            .get(&id)
            .map(|c| c.ports.clone())
            .unwrap_or_default();
        let mut out = Vec::new();
        if let Some(want) = a.args.get(1) {
            let (p, proto) = want.split_once('/').unwrap_or((want.as_str(), "tcp"));
            if p.parse::<u16>().is_err() {
                self.err(&format!(
                    "Error: invalid port ({p}): strconv.ParseUint: parsing {}: invalid syntax\n",
                    crate::format::go_quote(p)
                ));
                return 1;
            }
            let port: u16 = p.parse().unwrap_or(0);
            for b in ports.iter().filter(|b| b.port == port && b.proto == proto) {
                out.push(join_host_port(&b.host_ip, b.host_port));
            }
            if out.is_empty() {
                self.err(&format!(
                    "Error: No public port '{want}' published for {r}\n"
                ));
                return 1;
            }
        } else {
            for b in &ports {
                out.push(format!(
                    "{}/{} -> {}",
                    b.port,
                    b.proto,
                    join_host_port(&b.host_ip, b.host_port)
                ));
            }
        }
        out.sort_by(|x, y| {
            if natural_less(x, y) {
                std::cmp::Ordering::Less
            } else if natural_less(y, x) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        if !out.is_empty() {
            self.out(&format!("{}\n", out.join("\n")));
        }
        0
    }

    // ---- what other commands show -----------------------------------------------------

    /// `docker ps`'s PORTS and NETWORKS columns.
    pub(crate) fn ps_network_columns(&self, c: &Container) -> (String, String) {
        let Some(cn) = self.networks.containers.get(&c.id) else {
            return (String::new(), String::new());
        };
        let mut names: Vec<String> = cn.endpoints.iter().map(|e| self.endpoint_key(e)).collect();
        names.sort();
        let ports = if c.state.status.is_up() {
            let mut v: Vec<(String, u16, u16, String)> = cn
                .ports
                .iter()
                .map(|b| (b.host_ip.clone(), b.port, b.host_port, b.proto.clone()))
                .collect();
            for e in &c.config.exposed_ports {
                let (p, proto) = e.split_once('/').unwrap_or((e.as_str(), "tcp"));
                let Ok(p) = p.parse::<u16>() else { continue };
                if !cn.ports.iter().any(|b| b.port == p && b.proto == proto) && cn.mode != "host" {
                    v.push((String::new(), p, 0, proto.to_string()));
                }
            }
            displayable_ports(&v)
        } else {
            String::new()
        };
        (ports, names.join(","))
    }

    /// The key of a container's network in NetworkSettings.Networks: the network's name.
    fn endpoint_key(&self, e: &EpConfig) -> String {
        self.networks
            .nets
            .get(&e.network_id)
            .map(|n| n.name.clone())
            .or_else(|| {
                self.networks
                    .find(&e.network)
                    .ok()
                    .and_then(|id| self.networks.nets.get(&id).map(|n| n.name.clone()))
            })
            .unwrap_or_else(|| e.network.clone())
    }

    /// Fills a container inspect's HostConfig.PortBindings/Links/PublishAllPorts and
    /// NetworkSettings from libnetwork's state.
    pub(crate) fn inspect_network(&self, c: &Container, v: &mut Value) {
        let Some(cn) = self.networks.containers.get(&c.id) else {
            return;
        };
        let mut pb = Map::new();
        for b in &cn.bindings {
            let k = format!("{}/{}", b.port, b.proto);
            let e = pb.entry(k).or_insert_with(|| json!([]));
            if let Some(arr) = e.as_array_mut() {
                arr.push(json!({"HostIp": b.host_ip, "HostPort": b.host_port}));
            }
        }
        let mut pb: Vec<(String, Value)> = pb.into_iter().collect();
        pb.sort_by(|a, b| a.0.cmp(&b.0));
        v["HostConfig"]["PortBindings"] = Value::Object(pb.into_iter().collect());
        v["HostConfig"]["PublishAllPorts"] = json!(cn.publish_all);
        v["HostConfig"]["Links"] = if cn.links.is_empty() {
            Value::Null
        } else {
            json!(cn
                .links
                .iter()
                .map(|(n, a)| format!("/{n}:/{}/{a}", c.name))
                .collect::<Vec<_>>())
        };
        let running = cn.sandbox.is_some();
        let mut ports = Map::new();
        if running && cn.mode != "host" {
            for e in &c.config.exposed_ports {
                ports.insert(e.clone(), Value::Null);
            }
            for b in &cn.ports {
                let k = format!("{}/{}", b.port, b.proto);
                let e = ports.entry(k).or_insert(Value::Null);
                if e.is_null() {
                    *e = json!([]);
                }
                if let Some(arr) = e.as_array_mut() {
                    arr.push(json!({"HostIp": b.host_ip, "HostPort": b.host_port.to_string()}));
                }
            }
            let mut sorted: Vec<(String, Value)> = ports.into_iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            ports = sorted.into_iter().collect();
        }
        let ns = &mut v["NetworkSettings"];
        ns["SandboxID"] = json!(cn.sandbox.clone().unwrap_or_default());
        ns["SandboxKey"] = json!(cn
            .sandbox
            .as_ref()
            .map(|s| format!("/var/run/docker/netns/{}", &s[..12]))
            .unwrap_or_default());
        ns["Ports"] = Value::Object(ports);
        let mut nets = Map::new();
        for e in &cn.endpoints {
            let key = self.endpoint_key(e);
            let n = self.networks.nets.get(&e.network_id);
            let ep = n.and_then(|n| n.endpoints.get(&c.id));
            let bits = n.and_then(|n| n.subnet).map(|s| s.bits).unwrap_or(0);
            let gw = n
                .and_then(|n| n.gateway)
                .filter(|_| ep.is_some_and(|e| e.ip != 0));
            let val = json!({
                "IPAMConfig": e.ip.as_ref().map(|ip| json!({"IPv4Address": ip})).unwrap_or(Value::Null),
                "Links": if e.links.is_empty() { Value::Null } else { json!(e.links) },
                "Aliases": if e.aliases.is_empty() { Value::Null } else { json!(e.aliases) },
                "MacAddress": ep.map(|e| e.mac.clone()).unwrap_or_default(),
                "DriverOpts": Value::Null,
                "GwPriority": 0,
                "NetworkID": e.network_id,
                "EndpointID": ep.map(|e| e.id.clone()).unwrap_or_default(),
                "Gateway": gw.map(ip_str).unwrap_or_default(),
                "IPAddress": ep.filter(|e| e.ip != 0).map(|e| ip_str(e.ip)).unwrap_or_default(),
                "IPPrefixLen": if ep.is_some_and(|e| e.ip != 0) { bits } else { 0 },
                "IPv6Gateway": "",
                "GlobalIPv6Address": "",
                "GlobalIPv6PrefixLen": 0,
                "DNSNames": if e.dns_names.is_empty() { Value::Null } else { json!(e.dns_names) },
            });
            if key == "bridge" && n.is_some_and(|n| n.predefined) {
                for f in [
                    "EndpointID",
                    "Gateway",
                    "IPAddress",
                    "IPPrefixLen",
                    "MacAddress",
                ] {
                    ns[f] = val[f].clone();
                }
            }
            nets.insert(key, val);
        }
        ns["Networks"] = Value::Object(nets);
    }

    /// `docker inspect NAME` falls back to networks after containers and images.
    pub(crate) fn inspect_network_fallback(&self, r: &str) -> Option<Value> {
        self.networks.find(r).ok().map(|id| self.network_json(&id))
    }
}

impl<K: Kernel> Engine<K> {
    /// libnetwork's state, for views and tests.
    pub fn networks(&self) -> &Networks {
        &self.networks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies ops as iptables would: chain → rules in order.
    fn apply(ops: &[IptablesOp]) -> BTreeMap<(String, String), Vec<String>> {
        let mut t: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for op in ops {
            match op {
                IptablesOp::NewChain { table, chain } => {
                    t.entry((table.clone(), chain.clone())).or_default();
                }
                IptablesOp::Add { rule, insert } => {
                    let v = t
                        .entry((rule.table.clone(), rule.chain.clone()))
                        .or_default();
                    let line = format!("-A {} {}", rule.chain, rule.args.join(" "));
                    if *insert {
                        v.insert(0, line);
                    } else {
                        v.push(line);
                    }
                }
                IptablesOp::Delete(rule) => {
                    let line = format!("-A {} {}", rule.chain, rule.args.join(" "));
                    if let Some(v) = t.get_mut(&(rule.table.clone(), rule.chain.clone())) {
                        v.retain(|l| *l != line);
                    }
                }
                IptablesOp::Policy { .. } => {}
            }
        }
        t
    }

    /// The rules for one network with one published port are those of moby v28.2.2's
    /// golden file `TestIptabler_hairpin=false,internal=false,icc=true,masq=true,
    /// snat=false,gwm=nat,bindlh=false__iptables.golden` (plus DOCKER-USER, which dockerd
    /// sets up outside the bridge driver).
    #[test]
    fn rules_match_moby_golden_file() {
        let mut ops = daemon_chain_ops();
        let add = |v: Vec<(Rule, bool)>| -> Vec<IptablesOp> {
            v.into_iter()
                .map(|(rule, insert)| IptablesOp::Add { rule, insert })
                .collect()
        };
        let subnet = Prefix::parse("192.168.0.0/24").unwrap_or(Prefix { addr: 0, bits: 0 });
        ops.extend(add(bridge_rules("br-dummy", subnet, false)));
        let ip = parse_ip("192.168.0.2").unwrap_or(0);
        ops.extend(add(vec![(
            rule(
                "raw",
                "PREROUTING",
                "-d 192.168.0.2/32 ! -i br-dummy -j DROP",
            ),
            false,
        )]));
        let b = Bound {
            port: 80,
            proto: "tcp".into(),
            host_ip: "0.0.0.0".into(),
            host_port: 8080,
        };
        ops.extend(add(port_rules("br-dummy", ip, &b)));
        let t = apply(&ops);
        let get = |table: &str, chain: &str| {
            t.get(&(table.into(), chain.into()))
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(
            get("raw", "PREROUTING"),
            ["-A PREROUTING -d 192.168.0.2/32 ! -i br-dummy -j DROP"]
        );
        assert_eq!(
            get("filter", "FORWARD"),
            ["-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-FORWARD"]
        );
        assert_eq!(
            get("filter", "DOCKER"),
            [
                "-A DOCKER -d 192.168.0.2/32 ! -i br-dummy -o br-dummy -p tcp -m tcp --dport 80 -j ACCEPT",
                "-A DOCKER ! -i br-dummy -o br-dummy -j DROP",
            ]
        );
        assert_eq!(
            get("filter", "DOCKER-BRIDGE"),
            ["-A DOCKER-BRIDGE -o br-dummy -j DOCKER"]
        );
        assert_eq!(
            get("filter", "DOCKER-CT"),
            ["-A DOCKER-CT -o br-dummy -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"]
        );
        assert_eq!(
            get("filter", "DOCKER-FORWARD"),
            [
                "-A DOCKER-FORWARD -j DOCKER-CT",
                "-A DOCKER-FORWARD -j DOCKER-ISOLATION-STAGE-1",
                "-A DOCKER-FORWARD -j DOCKER-BRIDGE",
                "-A DOCKER-FORWARD -i br-dummy -j ACCEPT",
            ]
        );
        assert_eq!(
            get("filter", "DOCKER-ISOLATION-STAGE-1"),
            ["-A DOCKER-ISOLATION-STAGE-1 -i br-dummy ! -o br-dummy -j DOCKER-ISOLATION-STAGE-2"]
        );
        assert_eq!(
            get("filter", "DOCKER-ISOLATION-STAGE-2"),
            ["-A DOCKER-ISOLATION-STAGE-2 -o br-dummy -j DROP"]
        );
        assert_eq!(get("filter", "DOCKER-USER"), Vec::<String>::new());
        assert_eq!(
            get("nat", "PREROUTING"),
            ["-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER"]
        );
        assert_eq!(
            get("nat", "OUTPUT"),
            ["-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER"]
        );
        assert_eq!(
            get("nat", "POSTROUTING"),
            ["-A POSTROUTING -s 192.168.0.0/24 ! -o br-dummy -j MASQUERADE"]
        );
        assert_eq!(
            get("nat", "DOCKER"),
            [
                "-A DOCKER -i br-dummy -j RETURN",
                "-A DOCKER ! -i br-dummy -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.0.2:80",
            ]
        );
        // A second network: isolation from the first in both directions.
        let s2 = Prefix::parse("192.168.1.0/24").unwrap_or(subnet);
        let mut ops2 = ops.clone();
        ops2.extend(add(bridge_rules("br-two", s2, false)));
        let t = apply(&ops2);
        assert_eq!(
            t[&("filter".to_string(), "DOCKER-ISOLATION-STAGE-2".to_string())],
            [
                "-A DOCKER-ISOLATION-STAGE-2 -o br-two -j DROP",
                "-A DOCKER-ISOLATION-STAGE-2 -o br-dummy -j DROP"
            ]
        );
    }

    #[test]
    fn port_specs_as_go_connections_parses_them() {
        let p = |s: &str| {
            parse_port_spec(s).map(|v| {
                v.iter()
                    .map(|b| format!("{}|{}|{}|{}", b.host_ip, b.host_port, b.port, b.proto))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(p("80"), Ok(vec!["||80|tcp".to_string()]));
        assert_eq!(p("8000:80/udp"), Ok(vec!["|8000|80|udp".to_string()]));
        assert_eq!(
            p("127.0.0.1:8000:80"),
            Ok(vec!["127.0.0.1|8000|80|tcp".to_string()])
        );
        assert_eq!(
            p("127.0.0.1::80"),
            Ok(vec!["127.0.0.1||80|tcp".to_string()])
        );
        assert_eq!(p("[::1]:8000:80"), Ok(vec!["::1|8000|80|tcp".to_string()]));
        assert_eq!(
            p("8000-8001:80-81"),
            Ok(vec!["|8000|80|tcp".to_string(), "|8001|81|tcp".to_string()])
        );
        assert_eq!(p("8000-8010:80"), Ok(vec!["|8000-8010|80|tcp".to_string()]));
        assert_eq!(p("8000:80/SCTP"), Ok(vec!["|8000|80|sctp".to_string()]));
    }

    #[test]
    fn prefixes_and_pools() {
        let p = |s: &str| Prefix::parse(s).unwrap_or(Prefix { addr: 0, bits: 0 });
        assert!(p("172.18.0.0/16").overlaps(p("172.18.5.0/24")));
        assert!(!p("172.18.0.0/16").overlaps(p("172.19.0.0/16")));
        assert_eq!(p("182.18.0.1/24").masked().to_string(), "182.18.0.0/24");
        assert_eq!(Prefix::parse("1.2.3.4/33"), None);
        assert_eq!(Prefix::parse("01.2.3.4/8"), None);
        let pools: Vec<String> = default_pools().map(|p| p.to_string()).collect();
        assert_eq!(pools.len(), 31);
        assert_eq!(pools[0], "172.17.0.0/16");
        assert_eq!(pools[14], "172.31.0.0/16");
        assert_eq!(pools[15], "192.168.0.0/20");
        assert_eq!(pools[16], "192.168.16.0/20");
        assert_eq!(pools[30], "192.168.240.0/20");
        assert!(natural_less("n2", "n10") && !natural_less("n10", "n2"));
        assert!(natural_less(
            "80/tcp -> 0.0.0.0:8000",
            "80/tcp -> [::]:8000"
        ));
    }
}
