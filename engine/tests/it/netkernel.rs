//! The simulated kernel's network stack (issue 5): namespaces and their interfaces,
//! bridges and veth pairs, iptables as `-S` prints it, reachability computed by walking
//! the rules, published ports, DNS, and the programs students probe it with.

use porthole_engine::fs::{Node, Tree};
use porthole_engine::kernel::*;
use porthole_engine::simnet::{Outcome, Proto, HOST_NETNS};
use porthole_engine::{Engine, Kernel, SimConfig, SimKernel, Time};
use proptest::prelude::*;
use std::sync::Arc;

const T0: Time = Time(1_767_603_600_000_000_000);

/// A BusyBox root with a few servers: enough to run the network programs.
fn root() -> Tree {
    let mut t = Tree::default();
    t.insert("/bin/busybox", Node::file(0o755, 1_187_160, None));
    for a in [
        "sh", "cat", "echo", "ip", "ping", "wget", "nc", "nslookup", "httpd", "sleep", "netstat",
    ] {
        t.insert(&format!("/bin/{a}"), Node::symlink("busybox"));
    }
    t.insert("/usr/sbin/nginx", Node::file(0o755, 1_000_000, None));
    t.insert("/usr/bin/curl", Node::file(0o755, 260_976, None));
    t.insert(
        "/usr/local/bin/redis-server",
        Node::file(0o755, 1_000_000, None),
    );
    t.insert("/usr/sbin/mysqld", Node::file(0o755, 1_000_000, None));
    t.insert("/usr/local/bin/python3", Node::file(0o755, 1_000_000, None));
    t
}

fn kernel() -> SimKernel {
    let mut k = SimKernel::new(SimConfig::default());
    k.store_layer(&LayerSpec {
        diff_id: "sha256:net".into(),
        tree: Arc::new(root()),
    })
    .unwrap();
    k
}

fn spec(argv: &[&str]) -> ExecSpec {
    ExecSpec {
        argv: argv.iter().map(|s| s.to_string()).collect(),
        env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()],
        cwd: "/".into(),
        user: "0".into(),
        hostname: "c".into(),
        tty: false,
    }
}

/// Starts a container running `argv`; `net`: a network namespace of its own. Returns
/// its init's host PID.
fn start(k: &mut SimKernel, id: &str, argv: &[&str], net: bool) -> u32 {
    k.create_rw_layer(id, &format!("m-{id}"), &["sha256:net".into()])
        .unwrap();
    k.mount_rootfs(id).unwrap();
    let namespaces = NsKind::CONTAINER_DEFAULT
        .iter()
        .copied()
        .filter(|n| net || *n != NsKind::Net)
        .collect();
    let init = k
        .create_init(&InitSpec {
            container_id: id.into(),
            namespaces,
            join: Vec::new(),
            uid_offset: 0,
            cgroup: format!("docker/{id}"),
            limits: CgroupLimits::default(),
            mounts: Vec::new(),
        })
        .unwrap();
    k.exec(init.host_pid, &spec(argv), T0).unwrap();
    init.host_pid
}

/// `docker exec`: runs a script in the container and plays it to its end.
fn exec_in(k: &mut SimKernel, pid: u32, script: &str) -> (String, String, i32) {
    let now = T0.plus_secs(1);
    let (q, _) = k.spawn_in(pid, &spec(&["sh", "-c", script]), now).unwrap();
    let (mut out, mut err, mut code) = (String::new(), String::new(), -1);
    for e in k.advance(now.plus_secs(400)) {
        match e {
            KernelEvent::Output {
                pid, stream, text, ..
            } if pid == q => match stream {
                Stream::Stdout => out.push_str(&text),
                Stream::Stderr => err.push_str(&text),
            },
            KernelEvent::Exited { pid, status, .. } if pid == q => code = status.docker_code(),
            _ => {}
        }
    }
    (out, err, code)
}

fn host(k: &mut SimKernel, line: &str) -> (String, String, i32) {
    let argv: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    k.host_run(&argv, T0.plus_secs(1))
        .expect("a network program")
}

fn bridge(k: &mut SimKernel, name: &str, gw: &str) {
    k.create_bridge(&BridgeSpec {
        name: name.into(),
        address: gw.into(),
        prefix: 16,
        mac: "02:42:0a:0b:0c:0d".into(),
        mtu: 1500,
    })
    .unwrap();
}

fn veth(k: &mut SimKernel, pid: u32, br: &str, n: u32, addr: &str, gw: Option<&str>) -> VethInfo {
    k.add_veth(&VethSpec {
        container_id: format!("c{n}"),
        pid,
        bridge: br.into(),
        host_ifname: format!("veth{n:07x}"),
        ifname: "eth0".into(),
        mac: format!("02:42:ac:11:00:{n:02x}"),
        address: addr.into(),
        prefix: 16,
        gateway: gw.map(str::to_string),
        mtu: 1500,
    })
    .unwrap()
}

fn add(k: &mut SimKernel, table: &str, chain: &str, rule: &str) {
    k.iptables(&IptablesOp::Add {
        rule: Rule {
            table: table.into(),
            chain: chain.into(),
            args: rule.split_whitespace().map(str::to_string).collect(),
        },
        insert: false,
    })
    .unwrap();
}

fn chain(k: &mut SimKernel, table: &str, chain: &str) {
    k.iptables(&IptablesOp::NewChain {
        table: table.into(),
        chain: chain.into(),
    })
    .unwrap();
}

/// Docker 28's base chains (as moby's iptabler golden files have them), FORWARD DROP.
fn docker_base(k: &mut SimKernel) {
    k.iptables(&IptablesOp::Policy {
        table: "filter".into(),
        chain: "FORWARD".into(),
        policy: "DROP".into(),
    })
    .unwrap();
    for c in [
        "DOCKER",
        "DOCKER-BRIDGE",
        "DOCKER-CT",
        "DOCKER-FORWARD",
        "DOCKER-ISOLATION-STAGE-1",
        "DOCKER-ISOLATION-STAGE-2",
    ] {
        chain(k, "filter", c);
    }
    chain(k, "nat", "DOCKER");
    add(k, "filter", "FORWARD", "-j DOCKER-FORWARD");
    add(k, "filter", "DOCKER-FORWARD", "-j DOCKER-CT");
    add(k, "filter", "DOCKER-FORWARD", "-j DOCKER-ISOLATION-STAGE-1");
    add(k, "filter", "DOCKER-FORWARD", "-j DOCKER-BRIDGE");
    add(
        k,
        "nat",
        "PREROUTING",
        "-m addrtype --dst-type LOCAL -j DOCKER",
    );
    add(
        k,
        "nat",
        "OUTPUT",
        "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
    );
}

/// A bridge network's rules, as libnetwork's iptabler installs them.
fn docker_network(k: &mut SimKernel, br: &str, subnet: &str, internal: bool) {
    if internal {
        add(
            k,
            "filter",
            "DOCKER-FORWARD",
            &format!("-i {br} -o {br} -j ACCEPT"),
        );
        add(
            k,
            "filter",
            "DOCKER-ISOLATION-STAGE-1",
            &format!("! -s {subnet} -o {br} -j DROP"),
        );
        add(
            k,
            "filter",
            "DOCKER-ISOLATION-STAGE-1",
            &format!("! -d {subnet} -i {br} -j DROP"),
        );
        return;
    }
    add(k, "filter", "DOCKER", &format!("! -i {br} -o {br} -j DROP"));
    add(k, "filter", "DOCKER-BRIDGE", &format!("-o {br} -j DOCKER"));
    add(
        k,
        "filter",
        "DOCKER-CT",
        &format!("-o {br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"),
    );
    add(k, "filter", "DOCKER-FORWARD", &format!("-i {br} -j ACCEPT"));
    add(
        k,
        "filter",
        "DOCKER-ISOLATION-STAGE-1",
        &format!("-i {br} ! -o {br} -j DOCKER-ISOLATION-STAGE-2"),
    );
    add(
        k,
        "filter",
        "DOCKER-ISOLATION-STAGE-2",
        &format!("-o {br} -j DROP"),
    );
    add(
        k,
        "nat",
        "POSTROUTING",
        &format!("-s {subnet} ! -o {br} -j MASQUERADE"),
    );
    add(k, "nat", "DOCKER", &format!("-i {br} -j RETURN"));
}

/// A published port: `-p HOST:CPORT` to `ip`.
fn publish(k: &mut SimKernel, br: &str, ip: &str, host_port: u16, port: u16) {
    let accept = format!("-d {ip}/32 ! -i {br} -o {br} -p tcp -m tcp --dport {port} -j ACCEPT");
    k.iptables(&IptablesOp::Add {
        rule: Rule {
            table: "filter".into(),
            chain: "DOCKER".into(),
            args: accept.split_whitespace().map(str::to_string).collect(),
        },
        insert: true,
    })
    .unwrap();
    add(
        k,
        "nat",
        "DOCKER",
        &format!(
            "! -i {br} -p tcp -m tcp --dport {host_port} -j DNAT --to-destination {ip}:{port}"
        ),
    );
}

#[test]
fn a_fresh_host_has_lo_its_uplink_and_docker0_without_carrier() {
    let mut k = kernel();
    let ns = k.netns();
    assert_eq!(ns[0].inode, HOST_NETNS);
    let names: Vec<&str> = ns[0].interfaces.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["lo", "eth0", "docker0"]);
    let (out, _, code) = host(&mut k, "ip addr");
    assert_eq!(code, 0);
    assert!(out.contains("3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default \n    link/ether 02:42:d4:1c:5e:7a brd ff:ff:ff:ff:ff:ff\n    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n"), "{out}");
    assert!(out.contains("inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic eth0"));
    let (route, _, _) = host(&mut k, "ip route");
    assert_eq!(route, "default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100 \n10.0.2.0/24 dev eth0 proto dhcp scope link src 10.0.2.15 metric 100 \n10.0.2.3 dev eth0 proto dhcp scope link src 10.0.2.15 metric 100 \n172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown \n");
    assert_eq!(
        k.iptables_rules("filter"),
        ["-P INPUT ACCEPT", "-P FORWARD ACCEPT", "-P OUTPUT ACCEPT"]
    );
}

#[test]
fn a_veth_pair_numbers_its_ends_as_linux_and_brings_docker0_up() {
    let mut k = kernel();
    let a = start(&mut k, "a", &["sleep", "infinity"], true);
    let (lo_only, _, _) = exec_in(&mut k, a, "ip addr");
    assert!(lo_only.starts_with("1: lo: <LOOPBACK,UP,LOWER_UP>"));
    assert!(!lo_only.contains("eth0"), "{lo_only}");
    let info = veth(&mut k, a, "docker0", 1, "172.17.0.2", Some("172.17.0.1"));
    assert_eq!((info.container_index, info.host_index), (4, 5));
    assert!(info
        .ops
        .iter()
        .any(|o| o == "ip link set veth0000001 master docker0"));
    assert!(info
        .ops
        .iter()
        .any(|o| o == "ip route add default via 172.17.0.1 dev eth0"));
    let (out, _, _) = exec_in(&mut k, a, "ip addr");
    assert!(
        out.contains("4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500"),
        "{out}"
    );
    assert!(out.contains("    link/ether 02:42:ac:11:00:01 brd ff:ff:ff:ff:ff:ff\n    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\n"));
    let (route, _, _) = exec_in(&mut k, a, "ip route");
    assert_eq!(
        route,
        "default via 172.17.0.1 dev eth0 \n172.17.0.0/16 dev eth0 scope link  src 172.17.0.2 \n"
    );
    let (link, _, _) = host(&mut k, "ip link");
    assert!(
        link.contains(
            "3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP"
        ),
        "{link}"
    );
    assert!(link.contains("5: veth0000001@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master docker0 state UP mode DEFAULT group default \n"), "{link}");
    // nsenter -n: the host's iproute2 in the container's namespace.
    let (inside, _, code) = host(&mut k, &format!("nsenter -t {a} -n ip addr"));
    assert_eq!(code, 0);
    assert!(inside.contains("4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default \n    link/ether 02:42:ac:11:00:01 brd ff:ff:ff:ff:ff:ff\n    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\n"), "{inside}");
    let (routes, _, _) = host(&mut k, &format!("nsenter -t {a} -n ip route"));
    assert_eq!(routes, "default via 172.17.0.1 dev eth0 \n172.17.0.0/16 dev eth0 proto kernel scope link src 172.17.0.2 \n");
    let (brctl, _, _) = host(&mut k, "brctl show");
    assert!(
        brctl.contains("docker0\t\t8000.0242d41c5e7a\tno\t\tveth0000001\n"),
        "{brctl}"
    );
    // A second container: the host side goes on counting.
    let b = start(&mut k, "b", &["sleep", "infinity"], true);
    let info = veth(&mut k, b, "docker0", 2, "172.17.0.3", Some("172.17.0.1"));
    assert_eq!((info.container_index, info.host_index), (6, 7));
    let (link, _, _) = host(&mut k, "ip link");
    assert!(link.contains("brd ff:ff:ff:ff:ff:ff link-netnsid 0\n"));
    assert!(link.contains("brd ff:ff:ff:ff:ff:ff link-netnsid 1\n"));
    k.net().check().unwrap();
}

#[test]
fn iptables_s_prints_policies_chains_and_rules_in_order() {
    let mut k = kernel();
    docker_base(&mut k);
    docker_network(&mut k, "docker0", "172.17.0.0/16", false);
    publish(&mut k, "docker0", "172.17.0.2", 8000, 80);
    assert_eq!(
        k.iptables_rules("filter"),
        [
            "-P INPUT ACCEPT",
            "-P FORWARD DROP",
            "-P OUTPUT ACCEPT",
            "-N DOCKER",
            "-N DOCKER-BRIDGE",
            "-N DOCKER-CT",
            "-N DOCKER-FORWARD",
            "-N DOCKER-ISOLATION-STAGE-1",
            "-N DOCKER-ISOLATION-STAGE-2",
            "-A FORWARD -j DOCKER-FORWARD",
            "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT",
            "-A DOCKER ! -i docker0 -o docker0 -j DROP",
            "-A DOCKER-BRIDGE -o docker0 -j DOCKER",
            "-A DOCKER-CT -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "-A DOCKER-FORWARD -j DOCKER-CT",
            "-A DOCKER-FORWARD -j DOCKER-ISOLATION-STAGE-1",
            "-A DOCKER-FORWARD -j DOCKER-BRIDGE",
            "-A DOCKER-FORWARD -i docker0 -j ACCEPT",
            "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
            "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
        ]
    );
    assert_eq!(
        k.iptables_rules("nat"),
        [
            "-P PREROUTING ACCEPT",
            "-P INPUT ACCEPT",
            "-P OUTPUT ACCEPT",
            "-P POSTROUTING ACCEPT",
            "-N DOCKER",
            "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
            "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
            "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
            "-A DOCKER -i docker0 -j RETURN",
            "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 172.17.0.2:80",
        ]
    );
    let (out, _, _) = host(&mut k, "iptables -t nat -S");
    assert_eq!(out, k.iptables_rules("nat").join("\n") + "\n");
    let (list, _, _) = host(&mut k, "iptables -L DOCKER -n");
    assert_eq!(list, "Chain DOCKER (1 references)\ntarget     prot opt source               destination         \nACCEPT     tcp  --  0.0.0.0/0            172.17.0.2           tcp dpt:80\nDROP       all  --  0.0.0.0/0            0.0.0.0/0            \n");
    // A jump to a chain that does not exist, a rule that is not there: iptables' errors.
    let e = k
        .iptables(&IptablesOp::Add {
            rule: Rule {
                table: "filter".into(),
                chain: "NOPE".into(),
                args: vec!["-j".into(), "ACCEPT".into()],
            },
            insert: false,
        })
        .unwrap_err();
    assert_eq!(e.message, "iptables: No chain/target/match by that name.");
    let before = k.iptables_rules("filter");
    let e = k
        .iptables(&IptablesOp::Delete(Rule {
            table: "filter".into(),
            chain: "DOCKER".into(),
            args: vec!["-j".into(), "ACCEPT".into()],
        }))
        .unwrap_err();
    assert!(e.message.starts_with("iptables: Bad rule"));
    assert_eq!(k.iptables_rules("filter"), before);
}

struct World {
    k: SimKernel,
    a: u32,
    b: u32,
    c: u32,
    d: u32,
    e: u32,
    none: u32,
    hostnet: u32,
}

/// docker0 with a and b; br-one (172.18/16) with c and d; br-int (172.19/16,
/// --internal) with e; a container on `none` and one on `host`.
fn world() -> World {
    let mut k = kernel();
    docker_base(&mut k);
    bridge(&mut k, "br-one", "172.18.0.1");
    bridge(&mut k, "br-int", "172.19.0.1");
    docker_network(&mut k, "docker0", "172.17.0.0/16", false);
    docker_network(&mut k, "br-one", "172.18.0.0/16", false);
    docker_network(&mut k, "br-int", "172.19.0.0/16", true);
    let a = start(&mut k, "a", &["nginx"], true);
    veth(&mut k, a, "docker0", 1, "172.17.0.2", Some("172.17.0.1"));
    let b = start(&mut k, "b", &["sleep", "infinity"], true);
    veth(&mut k, b, "docker0", 2, "172.17.0.3", Some("172.17.0.1"));
    let c = start(&mut k, "c", &["nginx"], true);
    veth(&mut k, c, "br-one", 3, "172.18.0.2", Some("172.18.0.1"));
    let d = start(&mut k, "d", &["sleep", "infinity"], true);
    veth(&mut k, d, "br-one", 4, "172.18.0.3", Some("172.18.0.1"));
    let e = start(&mut k, "e", &["nginx"], true);
    veth(&mut k, e, "br-int", 5, "172.19.0.2", None);
    let none = start(&mut k, "n", &["sleep", "infinity"], true);
    let hostnet = start(&mut k, "h", &["sleep", "infinity"], false);
    World {
        k,
        a,
        b,
        c,
        d,
        e,
        none,
        hostnet,
    }
}

fn reach(w: &World, from: Option<u32>, dst: &str, proto: Proto, port: u16) -> Outcome {
    w.k.probe(from, dst, proto, port, T0.plus_secs(1)).outcome
}

fn answered(o: &Outcome) -> bool {
    matches!(o, Outcome::Answered { .. })
}

#[test]
fn reachability_follows_docker_s_rules() {
    let w = world();
    let (a, b, c, d, e) = (Some(w.a), Some(w.b), Some(w.c), Some(w.d), Some(w.e));
    let icmp = |from, dst| reach(&w, from, dst, Proto::Icmp, 0);
    // Same network: reachable, over the bridge.
    assert!(answered(&icmp(b, "172.17.0.2")));
    assert!(answered(&reach(&w, b, "172.17.0.2", Proto::Tcp, 80)));
    assert!(answered(&icmp(d, "172.18.0.2")));
    assert!(answered(&reach(&w, d, "172.18.0.2", Proto::Tcp, 80)));
    // A closed port is refused.
    assert_eq!(reach(&w, d, "172.18.0.2", Proto::Tcp, 81), Outcome::Refused);
    // Another user-defined network: DOCKER-ISOLATION drops it.
    assert_eq!(icmp(a, "172.18.0.2"), Outcome::Timeout);
    assert_eq!(icmp(c, "172.17.0.2"), Outcome::Timeout);
    let p = w.k.probe(c, "172.17.0.2", Proto::Icmp, 0, T0);
    assert!(
        p.hops.iter().any(|h| h
            .what
            .contains("-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP")),
        "{:?}",
        p.hops
    );
    // The outside world: through MASQUERADE.
    let p = w.k.probe(a, "8.8.8.8", Proto::Icmp, 0, T0);
    assert!(p.answered(), "{:?}", p.hops);
    assert!(p.hops.iter().any(|h| h
        .what
        .starts_with("nat POSTROUTING: MASQUERADE 172.17.0.2 → 10.0.2.15")));
    // --internal: no default route, and the isolation rules keep others out.
    assert_eq!(icmp(e, "8.8.8.8"), Outcome::NetUnreachable);
    assert_eq!(icmp(e, "172.18.0.2"), Outcome::NetUnreachable);
    assert_eq!(icmp(c, "172.19.0.2"), Outcome::Timeout);
    // The host's own packets go through OUTPUT, not FORWARD: it reaches them.
    assert!(answered(&icmp(None, "172.19.0.2")));
    // none: only lo.
    assert_eq!(icmp(Some(w.none), "8.8.8.8"), Outcome::NetUnreachable);
    assert!(answered(&icmp(Some(w.none), "127.0.0.1")));
    // The host reaches every bridge it has an address on (but the internal one).
    assert!(answered(&reach(&w, None, "172.17.0.2", Proto::Tcp, 80)));
    assert!(answered(&reach(&w, None, "172.18.0.2", Proto::Tcp, 80)));
    // host network: the host's own stack.
    assert!(answered(&icmp(Some(w.hostnet), "172.17.0.3")));
    assert_eq!(
        w.k.net().interfaces(HOST_NETNS),
        w.k.net().interfaces(
            w.k.view()
                .processes
                .iter()
                .find(|p| p.host_pid == w.hostnet)
                .unwrap()
                .namespaces
                .iter()
                .find(|n| n.kind == NsKind::Net)
                .unwrap()
                .inode
        )
    );
}

#[test]
fn the_programs_say_it_as_busybox_does() {
    let mut w = world();
    let (out, err, code) = exec_in(&mut w.k, w.b, "ping -c 2 172.17.0.2");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "PING 172.17.0.2 (172.17.0.2): 56 data bytes\n64 bytes from 172.17.0.2: seq=0 ttl=64 time=0.051 ms\n64 bytes from 172.17.0.2: seq=1 ttl=64 time=0.064 ms\n\n--- 172.17.0.2 ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min/avg/max = 0.051/0.057/0.064 ms\n");
    let (out, _, code) = exec_in(&mut w.k, w.a, "ping -c 1 -W 1 172.18.0.3");
    assert_eq!(code, 1);
    assert!(
        out.ends_with("1 packets transmitted, 0 packets received, 100% packet loss\n"),
        "{out}"
    );
    let (out, err, code) = exec_in(&mut w.k, w.e, "ping -c 1 8.8.8.8");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        (
            "PING 8.8.8.8 (8.8.8.8): 56 data bytes\n",
            "ping: sendto: Network unreachable\n",
            1
        )
    );
    let (out, err, code) = exec_in(&mut w.k, w.b, "wget -qO- http://172.17.0.2");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("<title>Welcome to nginx!</title>"));
    let (_, err, code) = exec_in(&mut w.k, w.b, "wget http://172.17.0.2:81/");
    assert_eq!(code, 1);
    assert_eq!(err, "Connecting to 172.17.0.2 (172.17.0.2:81)\nwget: can't connect to remote host (172.17.0.2): Connection refused\n");
    let (_, err, code) = exec_in(&mut w.k, w.b, "wget -q -T 5 http://172.18.0.2/");
    assert_eq!((err.as_str(), code), ("wget: download timed out\n", 1));
    let (_, err, _) = exec_in(&mut w.k, w.b, "wget -q http://db/");
    assert_eq!(err, "wget: bad address 'db'\n");
    let (out, err, code) = exec_in(&mut w.k, w.b, "curl -s http://172.17.0.2/");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<!DOCTYPE html>"));
    let (_, err, code) = exec_in(&mut w.k, w.b, "curl http://172.17.0.2:81/");
    assert_eq!((err.as_str(), code), ("curl: (7) Failed to connect to 172.17.0.2 port 81 after 0 ms: Couldn't connect to server\n", 7));
    let (_, err, code) = exec_in(&mut w.k, w.b, "nc -z -v 172.17.0.2 80");
    assert_eq!(
        (err.as_str(), code),
        ("172.17.0.2 (172.17.0.2:80) open\n", 0)
    );
    let (out, _, _) = exec_in(&mut w.k, w.a, "netstat -tln");
    assert_eq!(out, "Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       \ntcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      \n");
    // A second listener on a port: bind fails in the program's words.
    let (_, err, code) = exec_in(&mut w.k, w.a, "nc -l -p 80");
    assert_eq!((err.as_str(), code), ("nc: bind: Address in use\n", 1));
}

#[test]
fn a_published_port_answers_on_the_host_and_a_closed_one_does_not() {
    let mut w = world();
    publish(&mut w.k, "docker0", "172.17.0.2", 8000, 80);
    publish(&mut w.k, "docker0", "172.17.0.3", 8001, 80);
    // 127.0.0.1 is not DNATed (the OUTPUT rule excludes 127/8): docker-proxy answers.
    let (out, err, code) = host(&mut w.k, "curl -s http://127.0.0.1:8000/");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("<title>Welcome to nginx!</title>"));
    let p = w.k.probe(None, "127.0.0.1", Proto::Tcp, 8000, T0);
    assert!(p
        .hops
        .iter()
        .any(|h| h.what.starts_with("docker-proxy accepts on port 8000")));
    // The host's own address: the nat OUTPUT chain's DNAT.
    let p = w.k.probe(None, "10.0.2.15", Proto::Tcp, 8000, T0);
    assert!(p.answered());
    assert!(
        p.hops.iter().any(|h| h
            .what
            .starts_with("nat OUTPUT: DNAT 10.0.2.15:8000 → 172.17.0.2:80")),
        "{:?}",
        p.hops
    );
    // From another network, through the host's address: PREROUTING DNAT, then FORWARD.
    let p = w.k.probe(Some(w.c), "10.0.2.15", Proto::Tcp, 8000, T0);
    assert!(p.answered(), "{:?}", p.hops);
    // b publishes 8001 but nothing listens on its port 80.
    let (_, err, code) = host(&mut w.k, "curl http://10.0.2.15:8001/");
    assert_eq!((err.as_str(), code), ("curl: (7) Failed to connect to 10.0.2.15 port 8001 after 0 ms: Couldn't connect to server\n", 7));
    let (_, err, code) = host(&mut w.k, "curl http://localhost:8001/");
    assert_eq!(
        (err.as_str(), code),
        ("curl: (56) Recv failure: Connection reset by peer\n", 56)
    );
    let (_, err, code) = host(&mut w.k, "curl http://localhost:9999/");
    assert_eq!((err.as_str(), code), ("curl: (7) Failed to connect to localhost port 9999 after 0 ms: Couldn't connect to server\n", 7));
    let (out, err, code) = host(&mut w.k, "wget -qO- http://localhost:8000/");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("<h1>Welcome to nginx!</h1>"));
    let (_, err, code) = host(&mut w.k, "wget http://10.0.2.15:8001/");
    assert_eq!(code, 4);
    assert!(
        err.ends_with("Connecting to 10.0.2.15:8001... failed: Connection refused.\n"),
        "{err}"
    );
    // From the outside world, through the host's uplink: PREROUTING's DNAT, FORWARD's
    // ACCEPT for the published port.
    let p = w.k.probe_from_outside(Proto::Tcp, 8000, T0);
    assert!(p.answered(), "{:?}", p.hops);
    assert!(p.hops.iter().any(|h| h
        .what
        .starts_with("nat PREROUTING: DNAT 10.0.2.15:8000 → 172.17.0.2:80")));
    assert!(
        p.hops.iter().any(|h| h.what.contains(
            "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT"
        )),
        "{:?}",
        p.hops
    );
    // A port published on 127.0.0.1 only is not for the world.
    add(&mut w.k, "nat", "DOCKER", "-d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 8002 -j DNAT --to-destination 172.17.0.2:80");
    assert_eq!(
        w.k.probe_from_outside(Proto::Tcp, 8002, T0).outcome,
        Outcome::Refused
    );
    let (out, _, code) = host(&mut w.k, "curl -s http://127.0.0.1:8002/");
    assert_eq!(code, 0);
    assert!(out.contains("Welcome to nginx!"));
    let (ss, _, _) = host(&mut w.k, "ss -tlnp");
    assert!(ss.contains("0.0.0.0:8000"), "{ss}");
    assert!(ss.contains("      [::]:8000"), "{ss}");
    assert!(ss.contains(" 127.0.0.1:8002"), "{ss}");
    assert!(ss.contains("docker-proxy"));
}

#[test]
fn dns_answers_from_the_embedded_server_and_etc_hosts() {
    let mut w = world();
    w.k.dns_zone_update(
        "net1",
        &[DnsRecord {
            name: "web".into(),
            address: "172.18.0.2".into(),
        }],
        &[],
    )
    .unwrap();
    w.k.set_dns("d", &["net1".to_string()], &[]).unwrap();
    w.k.write_container_file(
        "d",
        "resolv.conf",
        "nameserver 127.0.0.11\noptions ndots:0\n",
    )
    .unwrap();
    w.k.write_container_file("b", "resolv.conf", "nameserver 10.0.2.3\n")
        .unwrap();
    w.k.write_container_file(
        "b",
        "hosts",
        "127.0.0.1\tlocalhost\n172.17.0.2\tdb 0123456789ab\n",
    )
    .unwrap();
    // Files are read at exec: a process started now sees them.
    let (out, _, _) = exec_in(&mut w.k, w.d, "cat /etc/resolv.conf");
    assert_eq!(out, "nameserver 127.0.0.11\noptions ndots:0\n");
    let (out, _, code) = exec_in(&mut w.k, w.d, "nslookup web");
    assert_eq!(code, 0);
    assert_eq!(out, "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tweb\nAddress: 172.18.0.2\n\nNon-authoritative answer:\n*** Can't find web: No answer\n\n");
    let (out, _, code) = exec_in(&mut w.k, w.d, "nslookup nope");
    assert_eq!(code, 1);
    assert!(out.contains("** server can't find nope: NXDOMAIN\n"));
    let (out, _, code) = exec_in(&mut w.k, w.d, "ping -c 1 web");
    assert_eq!(code, 0);
    assert!(out.starts_with("PING web (172.18.0.2): 56 data bytes\n"));
    // Outside names go on to the host's resolver.
    let (out, _, code) = exec_in(&mut w.k, w.d, "ping -c 1 google.com");
    assert_eq!(code, 0, "{out}");
    // The default bridge has no embedded DNS: only /etc/hosts (--link) knows names.
    let (_, err, code) = exec_in(&mut w.k, w.b, "ping -c 1 web");
    assert_eq!((err.as_str(), code), ("ping: bad address 'web'\n", 1));
    let (out, _, code) = exec_in(&mut w.k, w.b, "ping -c 1 db");
    assert_eq!(code, 0);
    assert!(out.starts_with("PING db (172.17.0.2): 56 data bytes\n"));
    let (out, _, _) = exec_in(&mut w.k, w.b, "cat /etc/hosts");
    assert_eq!(out, "127.0.0.1\tlocalhost\n172.17.0.2\tdb 0123456789ab\n");
}

#[test]
fn a_namespace_and_its_veth_go_with_the_last_process() {
    let mut w = world();
    let inode = |k: &SimKernel, pid: u32| {
        k.view()
            .processes
            .iter()
            .find(|p| p.host_pid == pid)
            .and_then(|p| p.namespaces.iter().find(|n| n.kind == NsKind::Net))
            .map(|n| n.inode)
            .unwrap()
    };
    let ns_b = inode(&w.k, w.b);
    let hosts_before = w.k.net().interfaces(HOST_NETNS).len();
    w.k.signal(w.b, Signal::Kill, T0.plus_secs(2)).unwrap();
    w.k.advance(T0.plus_secs(3));
    assert!(w.k.netns().iter().all(|n| n.inode != ns_b));
    let host_ifs = w.k.net().interfaces(HOST_NETNS);
    assert_eq!(host_ifs.len(), hosts_before - 1);
    assert!(host_ifs.iter().all(|i| i.name != "veth0000002"));
    w.k.net().check().unwrap();
    // dockerd's endpoint leave after the fact finds nothing left to delete.
    assert_eq!(w.k.remove_veth(w.b, "eth0").unwrap(), Vec::<String>::new());
    // nginx's socket went with a's namespace too.
    let ns_a = inode(&w.k, w.a);
    w.k.signal(w.a, Signal::Kill, T0.plus_secs(4)).unwrap();
    w.k.advance(T0.plus_secs(5));
    assert!(w.k.netns().iter().all(|n| n.inode != ns_a));
    let (link, _, _) = host(&mut w.k, "ip link");
    assert!(
        link.contains("3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP>"),
        "{link}"
    );
}

#[test]
fn engine_sessions_see_none_host_and_the_host_s_tables() {
    let mut e = Engine::sim(0);
    let o = e.execute_next("docker run --rm --network none busybox ip addr");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    assert!(o.stdout().starts_with("1: lo: "));
    assert!(!o.stdout().contains("eth0"));
    let o = e.execute_next("docker run --rm --network host busybox ip addr");
    assert!(o.stdout().contains("inet 10.0.2.15/24"), "{}", o.stdout());
    assert!(
        o.stdout().contains(
            "3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN \n"
        ),
        "{}",
        o.stdout()
    );
    assert!(o.stdout().contains(
        "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP qlen 1000\n"
    ));
    let o = e.execute_next("docker run --rm --network none busybox ping -c 1 8.8.8.8");
    assert_eq!(o.exit_code, 1);
    assert!(o.stderr().contains("ping: sendto: Network unreachable\n"));
    // --network host: nginx listens in the host's own namespace.
    let o = e.execute_next("docker run -d --network host nginx");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    let o = e.execute_next("host curl -s http://localhost/");
    assert!(
        o.stdout().contains("<title>Welcome to nginx!</title>"),
        "{}",
        o.combined()
    );
    let o = e.execute_next("host ss -tlnp");
    assert!(o.stdout().contains("0.0.0.0:80"), "{}", o.stdout());
    assert!(
        o.stdout().contains("users:((\"nginx\",pid="),
        "{}",
        o.stdout()
    );
    // Nothing is attached to docker0 yet: ARP for a container address finds no one.
    let o = e.execute_next("host ping -c 1 172.17.0.9");
    assert_eq!(o.exit_code, 1);
    assert!(
        o.stdout()
            .contains("From 172.17.0.1 icmp_seq=1 Destination Host Unreachable\n"),
        "{}",
        o.stdout()
    );
    let o = e.execute_next("host iptables -S");
    assert_eq!(o.exit_code, 0);
    assert!(
        o.stdout().starts_with("-P INPUT ACCEPT\n-P FORWARD "),
        "{}",
        o.stdout()
    );
    let o = e.execute_next("host ip route");
    assert!(o.stdout().starts_with("default via 10.0.2.2 dev eth0"));
    let o = e.execute_next("host ping -c 1 1.1.1.1");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    assert!(o.stdout().starts_with(
        "PING 1.1.1.1 (1.1.1.1) 56(84) bytes of data.\n64 bytes from 1.1.1.1: icmp_seq=1 ttl=117"
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Over random starts, stops and unplugs: every veth has its peer, and interface
    /// indexes are unique within each namespace.
    #[test]
    fn veths_always_have_both_ends(ops in proptest::collection::vec((0u8..3, 0u8..6), 1..24)) {
        let mut k = kernel();
        bridge(&mut k, "br-x", "172.18.0.1");
        let mut live: Vec<(u32, bool)> = Vec::new();
        let mut n = 0u32;
        let mut now = T0;
        for (op, arg) in ops {
            now = now.plus_secs(1);
            match op {
                0 => {
                    n += 1;
                    let pid = start(&mut k, &format!("p{n}"), &["sleep", "infinity"], true);
                    let br = if arg % 2 == 0 { "docker0" } else { "br-x" };
                    let net = if arg % 2 == 0 { "172.17" } else { "172.18" };
                    veth(&mut k, pid, br, n, &format!("{net}.0.{}", n + 1), Some(&format!("{net}.0.1")));
                    live.push((pid, true));
                }
                1 if !live.is_empty() => {
                    let (pid, _) = live.remove(arg as usize % live.len());
                    k.signal(pid, Signal::Kill, now).unwrap();
                    k.advance(now);
                }
                2 if !live.is_empty() => {
                    let i = arg as usize % live.len();
                    if live[i].1 {
                        k.remove_veth(live[i].0, "eth0").unwrap();
                        live[i].1 = false;
                    }
                }
                _ => {}
            }
            prop_assert!(k.net().check().is_ok(), "{:?}", k.net().check());
            for ns in k.netns() {
                let mut idx: Vec<u32> = ns.interfaces.iter().map(|i| i.index).collect();
                let len = idx.len();
                idx.sort_unstable();
                idx.dedup();
                prop_assert_eq!(idx.len(), len);
                for i in &ns.interfaces {
                    if let Some(peer) = i.peer_index {
                        let found = k.netns().iter().any(|o| o.inode != ns.inode && o.interfaces.iter().any(|j| j.index == peer && j.peer_index == Some(i.index)));
                        prop_assert!(found, "{} has no peer", i.name);
                    }
                }
            }
        }
    }
}

#[test]
fn servers_answer_as_themselves_once_they_listen() {
    let mut w = world();
    let r = start(&mut w.k, "r", &["redis-server"], true);
    veth(&mut w.k, r, "br-one", 10, "172.18.0.10", Some("172.18.0.1"));
    let m = start(
        &mut w.k,
        "m",
        &["sh", "-c", "export MYSQL_ROOT_PASSWORD=x; mysqld"],
        true,
    );
    veth(&mut w.k, m, "br-one", 11, "172.18.0.11", Some("172.18.0.1"));
    let py = start(
        &mut w.k,
        "py",
        &["python3", "-m", "http.server", "8080"],
        true,
    );
    veth(
        &mut w.k,
        py,
        "br-one",
        12,
        "172.18.0.12",
        Some("172.18.0.1"),
    );
    let (out, err, code) = exec_in(&mut w.k, w.d, "echo PING | nc 172.18.0.10 6379");
    assert_eq!((out.as_str(), code), ("+PONG\r\n", 0), "{err}");
    // mysqld takes its time to initialise: refused first, then its greeting.
    let early =
        w.k.probe(Some(w.d), "172.18.0.11", Proto::Tcp, 3306, T0.plus_secs(1));
    assert_eq!(early.outcome, Outcome::Refused);
    let late =
        w.k.probe(Some(w.d), "172.18.0.11", Proto::Tcp, 3306, T0.plus_secs(4));
    assert!(late.answered(), "{:?}", late.hops);
    let (out, _, code) = exec_in(&mut w.k, w.d, "wget -qO- http://172.18.0.12:8080/");
    assert_eq!(code, 0);
    assert!(out.contains("<title>Directory listing for /</title>"));
    // curl with a deadline on a dropped destination.
    let (_, err, code) = exec_in(&mut w.k, w.b, "curl -m 2 http://172.18.0.10:6379/");
    assert_eq!(
        (err.as_str(), code),
        (
            "curl: (28) Failed to connect to 172.18.0.10 port 6379 after 2001 ms: Timeout was reached\n",
            28
        )
    );
    // A port two programs want: the second one's own words.
    let (_, err, code) = exec_in(&mut w.k, r, "redis-server");
    assert_eq!(code, 1);
    assert!(err.contains("bind: Address already in use"), "{err}");
    // The sockets are in the namespace's listing and go with the process.
    let listening = |k: &SimKernel| {
        k.netns()
            .iter()
            .flat_map(|n| n.listeners.iter().map(|l| (l.comm.clone(), l.port)))
            .collect::<Vec<_>>()
    };
    assert!(listening(&w.k).contains(&("redis-server".to_string(), 6379)));
    w.k.signal(r, Signal::Kill, T0.plus_secs(500)).unwrap();
    w.k.advance(T0.plus_secs(501));
    assert!(!listening(&w.k).contains(&("redis-server".to_string(), 6379)));
}

#[test]
fn a_thousand_containers_on_one_bridge_reach_each_other() {
    let mut k = kernel();
    docker_base(&mut k);
    docker_network(&mut k, "docker0", "172.17.0.0/16", false);
    let mut pids = Vec::new();
    for n in 1..=1000u32 {
        let pid = start(&mut k, &format!("c{n}"), &["sleep", "infinity"], true);
        let ip = format!("172.17.{}.{}", (n + 1) / 256, (n + 1) % 256);
        veth(&mut k, pid, "docker0", n, &ip, Some("172.17.0.1"));
        pids.push(pid);
    }
    let p = k.probe(Some(pids[0]), "172.17.3.233", Proto::Icmp, 0, T0);
    assert!(p.answered(), "{:?}", p.hops);
    assert_eq!(
        k.probe(Some(pids[0]), "172.17.4.1", Proto::Icmp, 0, T0)
            .outcome,
        Outcome::HostUnreachable
    );
    k.net().check().unwrap();
}

/// Runs a script in one container and returns what another process printed meanwhile.
fn peer_output(k: &mut SimKernel, client: u32, script: &str, peer: u32) -> String {
    let now = T0.plus_secs(1);
    k.spawn_in(client, &spec(&["sh", "-c", script]), now)
        .unwrap();
    k.advance(now.plus_secs(10))
        .into_iter()
        .filter_map(|e| match e {
            KernelEvent::Output { pid, text, .. } if pid == peer => Some(text),
            _ => None,
        })
        .collect()
}

#[test]
fn servers_see_their_clients() {
    let mut w = world();
    let log = peer_output(&mut w.k, w.b, "wget -qO- http://172.17.0.2/", w.a);
    // (after nginx's own start-up notices)
    assert!(
        log.ends_with("[notice] 1#1: start worker process 29\n172.17.0.3 - - [05/Jan/2026:09:00:01 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"Wget\" \"-\"\n"),
        "{log}"
    );
    // Through docker-proxy, the server sees the connection come from the bridge's side.
    publish(&mut w.k, "docker0", "172.17.0.2", 8000, 80);
    let log = peer_output(&mut w.k, w.hostnet, "wget -qO- http://127.0.0.1:8000/", w.a);
    assert!(log.starts_with("172.17.0.1 - - ["), "{log}");
    let listener = start(&mut w.k, "l", &["nc", "-l", "-p", "1234"], true);
    veth(
        &mut w.k,
        listener,
        "br-one",
        20,
        "172.18.0.20",
        Some("172.18.0.1"),
    );
    let got = peer_output(&mut w.k, w.d, "echo hello | nc 172.18.0.20 1234", listener);
    assert_eq!(got, "hello\n");
}

#[test]
fn a_paused_server_accepts_and_never_answers() {
    let mut w = world();
    w.k.freeze("a", T0.plus_secs(1)).unwrap();
    let p =
        w.k.probe(Some(w.b), "172.17.0.2", Proto::Tcp, 80, T0.plus_secs(1));
    assert!(
        matches!(p.outcome, Outcome::Stalled { .. }),
        "{:?}",
        p.outcome
    );
    // ping is the kernel's business: it still answers.
    assert!(w
        .k
        .probe(Some(w.b), "172.17.0.2", Proto::Icmp, 0, T0)
        .answered());
    let (_, err, code) = exec_in(&mut w.k, w.b, "curl -m 3 http://172.17.0.2/");
    assert_eq!(
        (err.as_str(), code),
        (
            "curl: (28) Operation timed out after 3001 milliseconds with 0 bytes received\n",
            28
        )
    );
    w.k.thaw("a", T0.plus_secs(2)).unwrap();
    assert!(w
        .k
        .probe(Some(w.b), "172.17.0.2", Proto::Tcp, 80, T0.plus_secs(2))
        .answered());
}
