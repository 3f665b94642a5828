//! Networks: the predefined ones, `docker network …`, IPAM, published ports, DNS and
//! /etc/hosts, endpoints at start and stop, and their errors (Docker 28's wording, the
//! state unchanged).

use porthole_engine::{Engine, SimKernel};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn engine() -> Engine<SimKernel> {
    let mut e = Engine::sim(7);
    for img in ["busybox", "nginx", "redis"] {
        assert_eq!(
            e.execute_next(&format!("docker pull -q {img}")).exit_code,
            0
        );
    }
    e
}

fn ok(e: &mut Engine<SimKernel>, line: &str) -> String {
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, 0, "{line}: {}", o.combined());
    o.stdout()
}

/// Runs `line`, expects it to fail with `code` and `stderr`, and the state unchanged.
fn refused(e: &mut Engine<SimKernel>, line: &str, code: i32, stderr: &str) {
    let before = e.digest();
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, code, "{line}: {}", o.combined());
    assert_eq!(o.stderr(), stderr, "{line}");
    assert_eq!(o.stdout(), "", "{line}");
    assert_eq!(e.digest(), before, "{line} changed the state");
}

fn steps(e: &mut Engine<SimKernel>, line: &str) -> Vec<String> {
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, 0, "{line}: {}", o.combined());
    o.steps.iter().map(|s| s.to_string()).collect()
}

fn has_step(steps: &[String], needle: &str) -> bool {
    steps.iter().any(|s| s.contains(needle))
}

fn inspect(e: &mut Engine<SimKernel>, what: &str, tmpl: &str) -> String {
    ok(e, &format!("docker inspect -f '{tmpl}' {what}"))
        .trim_end()
        .to_string()
}

fn ip_of(e: &mut Engine<SimKernel>, c: &str) -> String {
    inspect(
        e,
        c,
        "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
    )
}

const RUN_HINT: &str = "\n\nRun 'docker run --help' for more information\n";

#[test]
fn the_predefined_networks() {
    let mut e = engine();
    let ids = ok(&mut e, "docker network ls -q --no-trunc");
    let ids: Vec<&str> = ids.lines().collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.iter().all(|i| i.len() == 64));
    let short: Vec<&str> = ids.iter().map(|i| &i[..12]).collect();
    assert_eq!(
        ok(&mut e, "docker network ls"),
        format!(
            "NETWORK ID     NAME      DRIVER    SCOPE\n{}   bridge    bridge    local\n{}   host      host      local\n{}   none      null      local\n",
            short[0], short[1], short[2]
        )
    );
    insta::assert_snapshot!(ok(&mut e, "docker network inspect bridge host none"));
    // The network IDs come from their own stream: container IDs are those of an engine
    // without networking (the existing snapshots pin them).
    let id = ok(&mut e, "docker run -d busybox sleep 100");
    assert!(id.starts_with("bb43d7233453"), "{id}");
}

#[test]
fn the_seeds_network_commands() {
    let mut e = engine();
    // seed 004: the tutorial's command has host bits in its subnet.
    let before = e.digest();
    let o = e.execute_next(
        "docker network create --driver bridge --subnet 182.18.0.1/24 --gateway 182.18.0.1 wp-mysql-network",
    );
    assert_eq!(o.exit_code, 1);
    assert_eq!(
        o.stderr(),
        "Error response from daemon: invalid network config:\ninvalid subnet 182.18.0.1/24: it should be 182.18.0.0/24\n"
    );
    assert_eq!(e.digest(), before);
    let why: Vec<String> = o.steps.iter().map(|s| s.to_string()).collect();
    assert!(
        has_step(&why, "before 25.0 accepted such a subnet"),
        "{why:#?}"
    );
    // Written as the network address, it works.
    let id = ok(
        &mut e,
        "docker network create --driver bridge --subnet 182.18.0.0/24 --gateway 182.18.0.1 wp-mysql-network",
    );
    assert_eq!(id.trim().len(), 64);
    assert_eq!(
        inspect(&mut e, "wp-mysql-network", "{{json .IPAM}}"),
        r#"{"Driver":"default","Options":{},"Config":[{"Subnet":"182.18.0.0/24","Gateway":"182.18.0.1"}]}"#
    );
    // `docker inspect` (seed 004 types `docker inspect inspect bridge`) finds networks too.
    assert_eq!(
        inspect(&mut e, "bridge", "{{(index .IPAM.Config 0).Subnet}}"),
        "172.17.0.0/16"
    );
    // The seed's run (with images of the catalogue): on the network, a published port, a link.
    ok(&mut e, "docker run -d --network=wp-mysql-network -e MYSQL_ROOT_PASSWORD=db_pass123 --name mysql-db redis");
    let s = steps(
        &mut e,
        "docker run --network=wp-mysql-network -e DB_Host=mysql-db -e DB_Password=db_pass123 -p 38080:80 --name webapp --link mysql-db:mysql-db -d nginx",
    );
    assert_eq!(ip_of(&mut e, "webapp"), "182.18.0.3");
    let db = inspect(&mut e, "mysql-db", "{{.Id}}")[..12].to_string();
    let web = inspect(&mut e, "webapp", "{{.Id}}")[..12].to_string();
    // On a user-defined network --link is an alias for the embedded DNS.
    assert!(
        has_step(&s, &{
            // Sorted by name: the short IDs depend on the seed.
            let mut r = [
                format!("{db} → 182.18.0.2"),
                format!("{web} → 182.18.0.3"),
                "mysql-db → 182.18.0.2".to_string(),
                "webapp → 182.18.0.3".to_string(),
            ];
            r.sort();
            format!(
                "DNS records registered on wp-mysql-network: {}",
                r.join(", ")
            )
        }),
        "{s:#?}"
    );
    assert!(has_step(
        &s,
        "embedded DNS: the zone of wp-mysql-network changed (+2 −0 records, 4 in all); the 1 other container(s) on it answer from it at once"
    ));
    assert!(has_step(
        &s,
        "/etc/resolv.conf (nameserver 127.0.0.11, options ndots:0)"
    ));
    assert_eq!(
        ok(&mut e, "docker port webapp"),
        "80/tcp -> 0.0.0.0:38080\n80/tcp -> [::]:38080\n"
    );
    assert_eq!(
        inspect(&mut e, "webapp", "{{json .NetworkSettings.Networks}}"),
        format!(
            r#"{{"wp-mysql-network":{{"IPAMConfig":null,"Links":["mysql-db:mysql-db"],"Aliases":null,"MacAddress":"{}","DriverOpts":null,"GwPriority":0,"NetworkID":"{}","EndpointID":"{}","Gateway":"182.18.0.1","IPAddress":"182.18.0.3","IPPrefixLen":24,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":["webapp","{web}"]}}}}"#,
            inspect(
                &mut e,
                "webapp",
                "{{range .NetworkSettings.Networks}}{{.MacAddress}}{{end}}"
            ),
            id.trim(),
            inspect(
                &mut e,
                "webapp",
                "{{range .NetworkSettings.Networks}}{{.EndpointID}}{{end}}"
            ),
        )
    );
}

#[test]
fn network_ls_formats_and_filters() {
    let mut e = engine();
    ok(&mut e, "docker network create --label env=prod n10");
    ok(&mut e, "docker network create --internal n2");
    assert_eq!(
        ok(&mut e, "docker network ls --format '{{.Name}} {{.Driver}} {{.Scope}} {{.Internal}}'"),
        "bridge bridge local false\nhost host local false\nn2 bridge local true\nn10 bridge local false\nnone null local false\n",
        "natural sort by name: n2 before n10"
    );
    assert_eq!(
        ok(
            &mut e,
            "docker network ls -f driver=null --format '{{.Name}}'"
        ),
        "none\n"
    );
    assert_eq!(
        ok(
            &mut e,
            "docker network ls -f type=custom --format '{{.Name}}'"
        ),
        "n2\nn10\n"
    );
    assert_eq!(
        ok(&mut e, "docker network ls -f type=builtin -q")
            .lines()
            .count(),
        3
    );
    assert_eq!(
        ok(&mut e, "docker network ls -f name=n1 --format '{{.Name}}'"),
        "n10\n"
    );
    assert_eq!(
        ok(
            &mut e,
            "docker network ls -f label=env=prod --format '{{.Name}} {{.Labels}}'"
        ),
        "n10 env=prod\n"
    );
    let id = inspect(&mut e, "n2", "{{.Id}}");
    assert_eq!(
        ok(
            &mut e,
            &format!(
                "docker network ls -f id={} --format '{{{{.Name}}}}'",
                &id[..5]
            )
        ),
        "n2\n"
    );
    assert_eq!(
        ok(&mut e, "docker network ls --no-trunc -f name=n2 -q"),
        format!("{id}\n")
    );
    refused(
        &mut e,
        "docker network ls -f foo=bar",
        1,
        "Error response from daemon: invalid filter 'foo'\n",
    );
    refused(
        &mut e,
        "docker network ls -f type=foo",
        1,
        "Error response from daemon: invalid filter: 'type'='foo'\n",
    );
}

#[test]
fn user_defined_network_inspect() {
    let mut e = engine();
    ok(&mut e, "docker network create --subnet 10.5.0.0/16 --gateway 10.5.0.1 --ip-range 10.5.1.0/24 --label a=b --attachable n1");
    ok(
        &mut e,
        "docker run -d --name web --network n1 busybox sleep 1000",
    );
    let id = inspect(&mut e, "web", "{{.Id}}");
    let out = ok(&mut e, "docker network inspect n1");
    let out = out.replace(&id, "<container id>");
    insta::assert_snapshot!(out);
}

#[test]
fn ipam_hands_out_pools_and_addresses_in_order() {
    let mut e = engine();
    // The default bridge: gateway .1, containers from .2, the lowest free address first.
    ok(&mut e, "docker run -d --name ca busybox sleep 1000");
    ok(&mut e, "docker run -d --name cb busybox sleep 1000");
    ok(&mut e, "docker run -d --name cc busybox sleep 1000");
    assert_eq!(ip_of(&mut e, "ca"), "172.17.0.2");
    assert_eq!(ip_of(&mut e, "cb"), "172.17.0.3");
    assert_eq!(ip_of(&mut e, "cc"), "172.17.0.4");
    ok(&mut e, "docker stop ca");
    assert_eq!(
        ip_of(&mut e, "ca"),
        "",
        "a stopped container holds no address"
    );
    ok(&mut e, "docker run -d --name cd busybox sleep 1000");
    assert_eq!(
        ip_of(&mut e, "cd"),
        "172.17.0.2",
        "a freed address is given again"
    );
    ok(&mut e, "docker start ca");
    assert_eq!(ip_of(&mut e, "ca"), "172.17.0.5");
    // New networks: the default pools in order, skipping what is taken.
    ok(&mut e, "docker network create n1");
    ok(&mut e, "docker network create --subnet 172.19.0.0/24 n2");
    ok(&mut e, "docker network create n3");
    ok(&mut e, "docker network create --subnet 10.10.0.0/16 n4");
    let subnet = |e: &mut Engine<SimKernel>, n: &str| inspect(e, n, "{{json .IPAM.Config}}");
    assert_eq!(
        subnet(&mut e, "n1"),
        r#"[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]"#
    );
    assert_eq!(
        subnet(&mut e, "n2"),
        r#"[{"Subnet":"172.19.0.0/24"}]"#,
        "a given subnet without --gateway shows no gateway"
    );
    assert_eq!(
        subnet(&mut e, "n3"),
        r#"[{"Subnet":"172.20.0.0/16","Gateway":"172.20.0.1"}]"#,
        "172.19/16 overlaps n2"
    );
    ok(
        &mut e,
        "docker run -d --name xx --network n2 busybox sleep 1000",
    );
    assert_eq!(
        ip_of(&mut e, "xx"),
        "172.19.0.2",
        "the gateway took .1 anyway"
    );
    ok(&mut e, "docker network rm n1");
    ok(&mut e, "docker network create n5");
    assert_eq!(
        subnet(&mut e, "n5"),
        r#"[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]"#,
        "a removed network's pool is free again"
    );
    // --ip-range: addresses from the range only.
    ok(
        &mut e,
        "docker network create --subnet 10.20.0.0/16 --gateway 10.20.0.1 --ip-range 10.20.5.0/24 r",
    );
    ok(
        &mut e,
        "docker run -d --name r1 --network r busybox sleep 1000",
    );
    ok(
        &mut e,
        "docker run -d --name r2 --network r --ip 10.20.5.9 busybox sleep 1000",
    );
    ok(
        &mut e,
        "docker run -d --name r3 --network r busybox sleep 1000",
    );
    assert_eq!(ip_of(&mut e, "r1"), "10.20.5.0");
    assert_eq!(ip_of(&mut e, "r2"), "10.20.5.9");
    assert_eq!(ip_of(&mut e, "r3"), "10.20.5.1");
    assert_eq!(
        inspect(
            &mut e,
            "r2",
            "{{json .NetworkSettings.Networks.r.IPAMConfig}}"
        ),
        r#"{"IPv4Address":"10.20.5.9"}"#
    );
}

#[test]
fn network_create_errors() {
    let mut e = engine();
    ok(&mut e, "docker network create --subnet 10.1.0.0/16 taken");
    let daemon = |m: &str| format!("Error response from daemon: {m}\n");
    for (line, code, err) in [
        ("docker network create --subnet 10.1.2.0/24 x", 1, daemon("invalid pool request: Pool overlaps with other one on this address space")),
        ("docker network create --subnet 172.17.5.0/24 x", 1, daemon("invalid pool request: Pool overlaps with other one on this address space")),
        ("docker network create --subnet 10.2.0.0/16 --gateway 10.3.0.1 x", 1, "no matching subnet for gateway 10.3.0.1\n".to_string()),
        ("docker network create --gateway 10.3.0.1 x", 1, "every ip-range or gateway must have a corresponding subnet\n".to_string()),
        ("docker network create --subnet 10.2.0.0/16 --ip-range 10.4.0.0/24 x", 1, "no matching subnet for range 10.4.0.0/24\n".to_string()),
        ("docker network create --subnet 10.0.0.0/8 --subnet 10.9.0.0/16 x", 1, "multiple overlapping subnet configuration is not supported\n".to_string()),
        ("docker network create --subnet abc x", 1, daemon("invalid network config:\ninvalid subnet abc: invalid CIDR block notation")),
        ("docker network create --subnet 10.2.0.0/16 --ip-range 10.2.1.7/24 x", 1, daemon("invalid network config:\ninvalid ip-range 10.2.1.7/24: it should be 10.2.1.0/24")),
        ("docker network create --subnet 10.2.0.1/16 --ip-range 10.2.1.7/24 x", 1, daemon("invalid network config:\n* invalid subnet 10.2.0.1/16: it should be 10.2.0.0/16\n* invalid ip-range 10.2.1.7/24: it should be 10.2.1.0/24")),
        ("docker network create taken", 1, daemon("network with name taken already exists")),
        ("docker network create bridge", 1, daemon("operation is not permitted on predefined bridge network ")),
        ("docker network create -d foo x", 1, daemon("could not find plugin foo in v1 plugin registry: plugin not found")),
        ("docker network create -d host x", 1, daemon("only one instance of \"host\" network is allowed")),
        ("docker network create --ipv6 x", 1, daemon("porthole models IPv4 networks only")),
    ] {
        refused(&mut e, line, code, &err);
    }
}

#[test]
fn network_rm_and_prune() {
    let mut e = engine();
    ok(&mut e, "docker network create n1");
    ok(&mut e, "docker network create n2");
    ok(
        &mut e,
        "docker run -d --name web --network n1 busybox sleep 1000",
    );
    let ep = inspect(&mut e, "web", "{{.NetworkSettings.Networks.n1.EndpointID}}");
    refused(
        &mut e,
        "docker network rm bridge",
        1,
        "Error response from daemon: bridge is a pre-defined network and cannot be removed\nexit status 1\n",
    );
    refused(
        &mut e,
        "docker network rm none",
        1,
        "Error response from daemon: none is a pre-defined network and cannot be removed\nexit status 1\n",
    );
    refused(
        &mut e,
        "docker network rm n1",
        1,
        &format!("Error response from daemon: error while removing network: network n1 has active endpoints (name:\"web\" id:\"{}\")\nexit status 1\n", &ep[..12]),
    );
    refused(
        &mut e,
        "docker network rm nosuch",
        1,
        "Error response from daemon: network nosuch not found\nexit status 1\n",
    );
    let before = e.digest();
    let o = e.execute_next("docker network rm -f nosuch");
    assert_eq!((o.exit_code, o.combined()), (0, String::new()));
    assert_eq!(e.digest(), before);
    // Without -f prune asks; nothing is removed.
    let before = e.digest();
    assert_eq!(
        ok(&mut e, "docker network prune"),
        "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] \n"
    );
    assert_eq!(e.digest(), before);
    ok(&mut e, "docker network create n3");
    assert_eq!(
        ok(&mut e, "docker network prune -f"),
        "Deleted Networks:\nn2\nn3\n\n"
    );
    assert_eq!(ok(&mut e, "docker network prune -f"), "");
    // Once no container runs on it, n1 can go; its bridge and rules go with it.
    ok(&mut e, "docker stop web");
    let s = steps(&mut e, "docker network rm n1");
    let br = "br-".to_string();
    assert!(
        has_step(&s, "ip link del br-") && has_step(&s, &br),
        "{s:#?}"
    );
    assert_eq!(
        ok(&mut e, "docker network ls --format '{{.Name}}'"),
        "bridge\nhost\nnone\n"
    );
    // A created container on a removed network cannot start.
    let o = e.execute_next("docker start web");
    assert_eq!(o.exit_code, 1);
    assert_eq!(o.stderr(), "Error response from daemon: network n1 not found\nError: failed to start containers: web\n");
}

#[test]
fn published_ports() {
    let mut e = engine();
    ok(&mut e, "docker run -d --name web -p 8000:80 nginx");
    ok(
        &mut e,
        "docker run -d --name lo -p 127.0.0.1:8001:80/tcp -p 53:53/udp busybox sleep 1000",
    );
    ok(
        &mut e,
        "docker run -d --name dyn -p 80 -p 9000-9001:90-91 busybox sleep 1000",
    );
    ok(&mut e, "docker run -d --name all -P --expose 7000 nginx");
    ok(&mut e, "docker run -d --name all2 -P nginx");
    assert_eq!(
        ok(&mut e, "docker port web"),
        "80/tcp -> 0.0.0.0:8000\n80/tcp -> [::]:8000\n"
    );
    assert_eq!(
        ok(&mut e, "docker port web 80"),
        "0.0.0.0:8000\n[::]:8000\n"
    );
    assert_eq!(
        ok(&mut e, "docker port web 80/tcp"),
        "0.0.0.0:8000\n[::]:8000\n"
    );
    assert_eq!(
        ok(&mut e, "docker port lo"),
        "53/udp -> 0.0.0.0:53\n53/udp -> [::]:53\n80/tcp -> 127.0.0.1:8001\n"
    );
    // Dynamic host ports: from 32768, each after the last one given.
    assert_eq!(
        ok(&mut e, "docker port dyn"),
        "80/tcp -> 0.0.0.0:32768\n80/tcp -> [::]:32768\n90/tcp -> 0.0.0.0:9000\n90/tcp -> [::]:9000\n91/tcp -> 0.0.0.0:9001\n91/tcp -> [::]:9001\n"
    );
    assert_eq!(
        ok(&mut e, "docker port all"),
        "80/tcp -> 0.0.0.0:32769\n80/tcp -> [::]:32769\n7000/tcp -> 0.0.0.0:32770\n7000/tcp -> [::]:32770\n"
    );
    assert_eq!(
        ok(&mut e, "docker port all2 80"),
        "0.0.0.0:32771\n[::]:32771\n"
    );
    ok(&mut e, "docker rm -f all2");
    ok(&mut e, "docker run -d --name all3 -P nginx");
    assert_eq!(
        ok(&mut e, "docker port all3 80"),
        "0.0.0.0:32772\n[::]:32772\n",
        "not the freed 32771: the allocator moves on"
    );
    refused(
        &mut e,
        "docker port web 81",
        1,
        "Error: No public port '81' published for web\n",
    );
    refused(
        &mut e,
        "docker port web 443/tcp",
        1,
        "Error: No public port '443/tcp' published for web\n",
    );
    // docker ps's PORTS column, as docker/cli's DisplayablePorts groups them.
    assert_eq!(
        ok(&mut e, "docker ps --format '{{.Names}}: {{.Ports}}'"),
        "all3: 0.0.0.0:32772->80/tcp, [::]:32772->80/tcp\n\
         all: 0.0.0.0:32769->80/tcp, [::]:32769->80/tcp, 0.0.0.0:32770->7000/tcp, [::]:32770->7000/tcp\n\
         dyn: 0.0.0.0:32768->80/tcp, [::]:32768->80/tcp, 0.0.0.0:9000->90/tcp, [::]:9000->90/tcp, 0.0.0.0:9001->91/tcp, [::]:9001->91/tcp\n\
         lo: 0.0.0.0:53->53/udp, [::]:53->53/udp, 127.0.0.1:8001->80/tcp\n\
         web: 0.0.0.0:8000->80/tcp, [::]:8000->80/tcp\n"
    );
    // inspect: HostConfig.PortBindings as asked, NetworkSettings.Ports as bound.
    assert_eq!(
        inspect(&mut e, "dyn", "{{json .HostConfig.PortBindings}}"),
        r#"{"80/tcp":[{"HostIp":"","HostPort":""}],"90/tcp":[{"HostIp":"","HostPort":"9000"}],"91/tcp":[{"HostIp":"","HostPort":"9001"}]}"#
    );
    assert_eq!(
        inspect(&mut e, "web", "{{json .NetworkSettings.Ports}}"),
        r#"{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8000"},{"HostIp":"::","HostPort":"8000"}]}"#
    );
    assert_eq!(
        inspect(
            &mut e,
            "all",
            "{{json .Config.ExposedPorts}} {{.HostConfig.PublishAllPorts}}"
        ),
        r#"{"7000/tcp":{},"80/tcp":{}} true"#
    );
    // Stopped: no ports, and the host port is free for another container.
    ok(&mut e, "docker stop web");
    assert_eq!(
        inspect(&mut e, "web", "{{json .NetworkSettings.Ports}}"),
        "{}"
    );
    assert_eq!(ok(&mut e, "docker port web"), "");
    ok(&mut e, "docker run -d --name web2 -p 8000:80 nginx");
    assert_eq!(
        ok(&mut e, "docker port web2 80"),
        "0.0.0.0:8000\n[::]:8000\n"
    );
}

#[test]
fn a_host_port_in_use_fails_the_start() {
    let mut e = engine();
    ok(&mut e, "docker run -d --name web -p 8000:80 nginx");
    let o = e.execute_next("docker run -d --name web2 -p 8000:80 nginx");
    assert_eq!(o.exit_code, 125);
    let ep = inspect(&mut e, "web2", "{{.State.Error}}");
    let ep = ep.split(['(', ')']).nth(1).unwrap_or("").to_string();
    assert_eq!(ep.len(), 64, "{ep}");
    assert_eq!(
        o.stderr(),
        format!("docker: Error response from daemon: driver failed programming external connectivity on endpoint web2 ({ep}): Bind for 0.0.0.0:8000 failed: port is already allocated{RUN_HINT}")
    );
    // The container stays created, with the error and nothing of the network.
    assert_eq!(
        inspect(&mut e, "web2", "{{.State.Status}} {{.State.ExitCode}}"),
        "created 128"
    );
    assert_eq!(ip_of(&mut e, "web2"), "");
    assert_eq!(
        ok(&mut e, "docker port web"),
        "80/tcp -> 0.0.0.0:8000\n80/tcp -> [::]:8000\n"
    );
    let bridge = ok(
        &mut e,
        "docker network inspect -f '{{len .Containers}}' bridge",
    );
    assert_eq!(bridge, "1\n");
    // A 127.0.0.1 binding is another address: no conflict with 0.0.0.0 in the allocator.
    ok(
        &mut e,
        "docker run -d --name web3 -p 127.0.0.1:8000:80 nginx",
    );
    // -p with --network host: the ports are discarded, with the daemon's warning.
    let o = e.execute_next("docker run -d --name hostnet --network host -p 9999:80 nginx");
    assert_eq!(o.exit_code, 0);
    assert_eq!(
        o.stderr(),
        "WARNING: Published ports are discarded when using host network mode\n"
    );
    assert_eq!(ok(&mut e, "docker port hostnet"), "");
    assert_eq!(
        inspect(
            &mut e,
            "hostnet",
            "{{json .NetworkSettings.Ports}} {{json .HostConfig.PortBindings}}"
        ),
        "{} {}"
    );
}

#[test]
fn internal_networks() {
    let mut e = engine();
    let s = steps(
        &mut e,
        "docker network create --internal --subnet 10.66.0.0/24 private",
    );
    let br = inspect(&mut e, "private", "{{.Id}}")[..12].to_string();
    assert!(
        has_step(&s, &format!("iptables: iptables -t filter -I DOCKER-ISOLATION-STAGE-1 -i br-{br} ! -d 10.66.0.0/24 -j DROP; iptables -t filter -I DOCKER-ISOLATION-STAGE-1 -o br-{br} ! -s 10.66.0.0/24 -j DROP; iptables -t filter -A DOCKER-FORWARD -i br-{br} -o br-{br} -j ACCEPT")),
        "{s:#?}"
    );
    assert!(!has_step(&s, "-j MASQUERADE"));
    let s = steps(
        &mut e,
        "docker run -d --name db --network private -p 8000:80 nginx",
    );
    assert!(
        has_step(&s, "no default route (internal network)"),
        "{s:#?}"
    );
    assert!(
        !has_step(&s, "DNAT"),
        "an internal network publishes nothing"
    );
    assert_eq!(ok(&mut e, "docker port db"), "");
    assert_eq!(inspect(&mut e, "private", "{{.Internal}}"), "true");
}

#[test]
fn run_flags_the_cli_refuses() {
    let mut e = engine();
    for (flags, msg) in [
        ("-p abc", "invalid containerPort: abc"),
        ("-p 8000:abc", "invalid containerPort: abc"),
        ("-p 70000:80", "invalid hostPort: 70000"),
        ("-p 8000:80/xyz", "invalid proto: xyz"),
        ("-p 1.2.3:80:80", "invalid IP address: 1.2.3"),
        ("-p 80-81:90-92", "invalid ranges specified for container and host Ports: 90-92 and 80-81"),
        ("--expose abc", "invalid range format for --expose: abc, error: strconv.ParseUint: parsing \"abc\": invalid syntax"),
    ] {
        refused(&mut e, &format!("docker run {flags} busybox"), 125, &format!("docker: {msg}{RUN_HINT}"));
    }
    refused(
        &mut e,
        "docker run --link a:b:c busybox",
        125,
        "invalid argument \"a:b:c\" for \"--link\" flag: bad format for links: a:b:c\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n",
    );
}

#[test]
fn run_errors_from_the_daemon() {
    let mut e = engine();
    ok(&mut e, "docker network create n1");
    ok(&mut e, "docker network create --subnet 10.9.0.0/24 fixed");
    let daemon = |m: &str| format!("docker: Error response from daemon: {m}{RUN_HINT}");
    for (line, msg) in [
        ("docker run --ip 172.17.0.9 busybox", "invalid config for network default: invalid endpoint settings:\nuser specified IP address is supported on user defined networks only"),
        ("docker run --network bridge --ip 172.17.0.9 busybox", "invalid config for network bridge: invalid endpoint settings:\nuser specified IP address is supported on user defined networks only"),
        ("docker run --network-alias x busybox", "invalid config for network default: invalid endpoint settings:\nnetwork-scoped alias is supported only for containers in user defined networks"),
        ("docker run --network n1 --ip 172.18.0.9 busybox", "invalid config for network n1: invalid endpoint settings:\nuser specified IP address is supported only when connecting to networks with user configured subnets"),
        ("docker run --network fixed --ip 10.8.0.9 busybox", "invalid config for network fixed: invalid endpoint settings:\nno configured subnet or ip-range contain the IP address 10.8.0.9"),
        ("docker run --network fixed --ip abc busybox", "invalid config for network fixed: invalid endpoint settings:\ninvalid IPv4 address: abc"),
        ("docker run --link nosuch:db busybox", "could not get container for nosuch: No such container: nosuch"),
        ("docker run --network host --link nosuch:db busybox", "conflicting options: host type networking can't be used with links. This would result in undefined behavior"),
    ] {
        refused(&mut e, line, 125, &daemon(msg));
    }
    ok(&mut e, "docker run -d --name donor busybox sleep 1000");
    refused(
        &mut e,
        "docker run --network container:donor -p 80:80 busybox",
        125,
        &daemon("conflicting options: port publishing and the container type network mode"),
    );
    // An address in use: the start fails, the container stays created.
    ok(
        &mut e,
        "docker run -d --name a1 --network fixed --ip 10.9.0.5 busybox sleep 1000",
    );
    let o =
        e.execute_next("docker run -d --name a2 --network fixed --ip 10.9.0.5 busybox sleep 1000");
    assert_eq!(
        (o.exit_code, o.stderr()),
        (125, daemon("Address already in use"))
    );
    assert_eq!(inspect(&mut e, "a2", "{{.State.Status}}"), "created");
    // The gateway's address is taken too.
    let o =
        e.execute_next("docker run -d --name a3 --network fixed --ip 10.9.0.1 busybox sleep 1000");
    assert_eq!(
        (o.exit_code, o.stderr()),
        (125, daemon("Address already in use"))
    );
    // An unknown network: accepted at create, refused at start (exit 125).
    let o = e.execute_next("docker run -d --name lost --network nosuch busybox sleep 1000");
    assert_eq!(
        (o.exit_code, o.stderr()),
        (125, daemon("network nosuch not found"))
    );
    assert_eq!(
        inspect(
            &mut e,
            "lost",
            "{{.State.Status}} {{.HostConfig.NetworkMode}}"
        ),
        "created nosuch"
    );
    // Created later, the network makes the container startable.
    ok(&mut e, "docker network create nosuch");
    ok(&mut e, "docker start lost");
    assert_eq!(ip_of(&mut e, "lost"), "172.19.0.2");
}

#[test]
fn dns_links_and_etc_hosts() {
    let mut e = engine();
    // The default bridge: no embedded DNS; --link writes /etc/hosts.
    ok(&mut e, "docker run -d --name db busybox sleep 1000");
    let db = inspect(&mut e, "db", "{{.Id}}")[..12].to_string();
    let s = steps(
        &mut e,
        "docker run -d --name web --link db:database busybox sleep 1000",
    );
    let web = inspect(&mut e, "web", "{{.Id}}")[..12].to_string();
    assert!(
        has_step(&s, &format!("wrote /etc/hosts (localhost, the ip6 names, 172.17.0.3 {web}, 172.17.0.2 database {db} db) and /etc/resolv.conf (nameserver 10.0.2.3, the host's)")),
        "{s:#?}"
    );
    assert!(!has_step(&s, "embedded DNS (127.0.0.11) in container"));
    assert_eq!(
        inspect(&mut e, "web", "{{json .HostConfig.Links}}"),
        r#"["/db:/web/database"]"#
    );
    // The linked container restarts with another address: the parent's /etc/hosts follows.
    ok(&mut e, "docker stop db");
    ok(&mut e, "docker run -d --name filler busybox sleep 1000");
    let s = steps(&mut e, "docker start db");
    assert!(
        has_step(&s, &format!("wrote /etc/hosts (localhost, the ip6 names, 172.17.0.3 {web}, 172.17.0.4 database {db} db)")),
        "{s:#?}"
    );
    // A link to a container that does not run: the start fails, the container stays created.
    ok(&mut e, "docker stop db");
    let o = e.execute_next("docker run -d --name web2 --link db busybox sleep 1000");
    assert_eq!(
        (o.exit_code, o.stderr()),
        (125, format!("docker: Error response from daemon: Cannot link to a non running container: /db AS /web2/db{RUN_HINT}"))
    );
    // A user-defined network: names, aliases and short IDs for every member.
    ok(&mut e, "docker network create app");
    ok(
        &mut e,
        "docker run -d --name redis1 --network app --network-alias cache redis",
    );
    let r = inspect(&mut e, "redis1", "{{.Id}}")[..12].to_string();
    let s = steps(
        &mut e,
        "docker run -d --name api --network app --network-alias backend busybox sleep 1000",
    );
    let api = inspect(&mut e, "api", "{{.Id}}")[..12].to_string();
    let mut names = [
        (api.clone(), "172.18.0.3"),
        ("api".to_string(), "172.18.0.3"),
        ("backend".to_string(), "172.18.0.3"),
        ("cache".to_string(), "172.18.0.2"),
        (r.clone(), "172.18.0.2"),
        ("redis1".to_string(), "172.18.0.2"),
    ];
    names.sort();
    let want: Vec<String> = names.iter().map(|(n, a)| format!("{n} → {a}")).collect();
    assert!(
        has_step(
            &s,
            &format!("DNS records registered on app: {}", want.join(", "))
        ),
        "{s:#?}"
    );
    assert!(has_step(
        &s,
        "the 1 other container(s) on it answer from it at once"
    ));
    assert!(has_step(&s, &format!("wrote /etc/hosts (localhost, the ip6 names, 172.18.0.3 {api}) and /etc/resolv.conf (nameserver 127.0.0.11, options ndots:0)")));
    assert_eq!(
        inspect(&mut e, "api", "{{json .NetworkSettings.Networks.app.DNSNames}} {{json .NetworkSettings.Networks.app.Aliases}}"),
        format!(r#"["api","backend","{api}"] ["backend"]"#)
    );
    // A renamed container answers to its new name.
    let s = steps(&mut e, "docker rename api api2");
    assert!(
        has_step(&s, "the 2 other container(s) on it answer from it at once"),
        "{s:#?}"
    );
    assert_eq!(
        inspect(
            &mut e,
            "api2",
            "{{json .NetworkSettings.Networks.app.DNSNames}}"
        ),
        format!(r#"["api2","backend","{api}"]"#)
    );
    // When a member stops, the others' records are updated.
    let s = steps(&mut e, "docker stop redis1");
    assert!(
        has_step(&s, "the 1 other container(s) on it answer from it at once"),
        "{s:#?}"
    );
    assert!(has_step(&s, "172.18.0.2 back to IPAM"), "{s:#?}");
}

#[test]
fn connect_and_disconnect() {
    let mut e = engine();
    ok(&mut e, "docker network create --subnet 10.7.0.0/24 n1");
    ok(&mut e, "docker run -d --name web -p 8080:80 nginx");
    let s = steps(
        &mut e,
        "docker network connect --alias api --ip 10.7.0.50 n1 web",
    );
    assert!(has_step(&s, "ip link add"), "{s:#?}");
    assert!(has_step(&s, "name eth1: one end moved"), "{s:#?}");
    assert!(has_step(&s, "ip addr add 10.7.0.50/24 dev eth1"), "{s:#?}");
    assert!(has_step(&s, "DNS records registered on n1:"), "{s:#?}");
    assert_eq!(
        ok(&mut e, "docker ps --format '{{.Names}} {{.Networks}}'"),
        "web bridge,n1\n"
    );
    assert_eq!(
        inspect(
            &mut e,
            "web",
            "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}"
        ),
        "bridge=172.17.0.2 n1=10.7.0.50"
    );
    assert_eq!(
        inspect(&mut e, "web", "{{.NetworkSettings.IPAddress}}"),
        "172.17.0.2"
    );
    let wid = inspect(&mut e, "web", "{{.Id}}");
    assert_eq!(
        ok(
            &mut e,
            &format!(
                "docker network inspect -f '{{{{(index .Containers \"{wid}\").IPv4Address}}}}' n1"
            )
        ),
        "10.7.0.50/24\n"
    );
    let daemon = |m: &str| format!("Error response from daemon: {m}\n");
    refused(
        &mut e,
        "docker network connect n1 web",
        1,
        &daemon("endpoint with name web already exists in network n1"),
    );
    refused(
        &mut e,
        "docker network connect nosuch web",
        1,
        &daemon("network nosuch not found"),
    );
    refused(
        &mut e,
        "docker network connect n1 nosuch",
        1,
        &daemon("No such container: nosuch"),
    );
    refused(&mut e, "docker network connect host web", 1, &daemon("cannot connect container to host network - container must be created in host network mode"));
    refused(&mut e, "docker network connect --ip 172.17.0.9 bridge web", 1, &daemon("invalid endpoint settings:\nuser specified IP address is supported on user defined networks only"));
    ok(&mut e, "docker run -d --name other busybox sleep 1000");
    refused(
        &mut e,
        "docker network connect --ip 10.7.0.50 n1 other",
        1,
        &daemon("Address already in use"),
    );
    let oid = inspect(&mut e, "other", "{{.Id}}");
    refused(
        &mut e,
        "docker network disconnect nosuch other",
        1,
        &daemon("network nosuch not found"),
    );
    refused(
        &mut e,
        "docker network disconnect n1 other",
        1,
        &daemon(&format!("container {oid} is not connected to network n1")),
    );
    let s = steps(&mut e, "docker network disconnect n1 web");
    assert!(has_step(&s, "(eth1 in the container, on br-"), "{s:#?}");
    assert!(has_step(&s, "10.7.0.50 back to IPAM"), "{s:#?}");
    assert_eq!(
        ok(&mut e, "docker network inspect -f '{{len .Containers}}' n1"),
        "0\n"
    );
    assert_eq!(
        ok(&mut e, "docker port web"),
        "80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n",
        "the ports stay on the gateway network"
    );
    // A stopped container is connected at its next start.
    ok(&mut e, "docker stop other");
    refused(
        &mut e,
        "docker network disconnect n1 other",
        1,
        &daemon(&format!(
            "container {oid} is not connected to the network n1"
        )),
    );
    let before = e.digest();
    ok(&mut e, "docker network connect later other");
    ok(&mut e, "docker network disconnect later other");
    assert_eq!(e.digest(), before);
    ok(&mut e, "docker network connect later other");
    let o = e.execute_next("docker start other");
    assert_eq!(o.stderr(), "Error response from daemon: network later not found\nError: failed to start containers: other\n");
    ok(&mut e, "docker network disconnect later other");
    let s = steps(&mut e, "docker network connect n1 other");
    assert!(
        has_step(&s, "not running): its endpoint is made at its next start"),
        "{s:#?}"
    );
    let before = e.digest();
    ok(&mut e, "docker network connect n1 other");
    assert_eq!(e.digest(), before, "already configured: nothing to do");
    ok(&mut e, "docker start other");
    assert_eq!(
        inspect(
            &mut e,
            "other",
            "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}"
        ),
        "bridge=172.17.0.3 n1=10.7.0.2"
    );
    // Namespace-sharing modes cannot join networks.
    ok(
        &mut e,
        "docker run -d --name hostnet --network host busybox sleep 1000",
    );
    refused(&mut e, "docker network connect n1 hostnet", 1, &daemon("container sharing network namespace with another container or host cannot be connected to any other network"));
    ok(
        &mut e,
        "docker run -d --name nonet --network none busybox sleep 1000",
    );
    refused(&mut e, "docker network connect n1 nonet", 1, &daemon("container cannot be connected to multiple networks with one of the networks in private (none) mode"));
}

#[test]
fn host_none_and_container_modes() {
    let mut e = engine();
    ok(&mut e, "docker run -d --name donor busybox sleep 1000");
    let s = steps(
        &mut e,
        "docker run -d --name hostnet --network host busybox sleep 1000",
    );
    assert!(
        has_step(
            &s,
            "to network host (driver host): no interface, no address"
        ),
        "{s:#?}"
    );
    assert!(!has_step(&s, "veth"));
    let s = steps(
        &mut e,
        "docker run -d --name nonet --network none busybox sleep 1000",
    );
    assert!(
        has_step(
            &s,
            "to network none (driver null): no interface, no address"
        ),
        "{s:#?}"
    );
    let s = steps(
        &mut e,
        "docker run -d --name shared --network container:donor busybox sleep 1000",
    );
    assert!(!has_step(&s, "libnetwork"), "{s:#?}");
    assert_eq!(
        ok(&mut e, "docker ps --format '{{.Names}}={{.Networks}}'"),
        "shared=\nnonet=none\nhostnet=host\ndonor=bridge\n"
    );
    assert_eq!(
        inspect(&mut e, "shared", "{{json .NetworkSettings.Networks}}"),
        "{}"
    );
    assert_eq!(
        inspect(
            &mut e,
            "nonet",
            "{{.NetworkSettings.Networks.none.IPAddress}}|{{.NetworkSettings.IPAddress}}"
        ),
        "|"
    );
    let host_id = inspect(&mut e, "host", "{{.Id}}");
    assert_eq!(
        inspect(
            &mut e,
            "hostnet",
            "{{.NetworkSettings.Networks.host.NetworkID}}"
        ),
        host_id
    );
    let hid = inspect(&mut e, "hostnet", "{{.Id}}");
    assert_eq!(
        ok(&mut e, &format!("docker network inspect -f '{{{{json (index .Containers \"{hid}\")}}}}' host")),
        format!(
            "{{\"Name\":\"hostnet\",\"EndpointID\":\"{}\",\"MacAddress\":\"\",\"IPv4Address\":\"\",\"IPv6Address\":\"\"}}\n",
            inspect(&mut e, "hostnet", "{{.NetworkSettings.Networks.host.EndpointID}}")
        )
    );
}

#[test]
fn nothing_is_left_after_stop_and_rm() {
    let mut e = engine();
    ok(&mut e, "docker network create n1");
    ok(
        &mut e,
        "docker run -d --name web --network n1 -p 8080:80 nginx",
    );
    ok(&mut e, "docker network connect bridge web");
    assert_eq!(
        ok(
            &mut e,
            "docker network inspect -f '{{len .Containers}}' n1 bridge"
        ),
        "1\n1\n"
    );
    assert!(!e.networks().bound_ports().is_empty());
    ok(&mut e, "docker stop web");
    assert_eq!(
        ok(
            &mut e,
            "docker network inspect -f '{{len .Containers}}' n1 bridge"
        ),
        "0\n0\n"
    );
    assert!(e.networks().bound_ports().is_empty());
    assert_eq!(
        inspect(
            &mut e,
            "web",
            "{{.NetworkSettings.SandboxKey}}|{{.NetworkSettings.Networks.n1.IPAddress}}"
        ),
        "|"
    );
    // Restarted, it gets its endpoints back; removed with -f, nothing is left.
    ok(&mut e, "docker start web");
    assert_eq!(
        ok(
            &mut e,
            "docker network inspect -f '{{len .Containers}}' n1 bridge"
        ),
        "1\n1\n"
    );
    assert!(inspect(&mut e, "web", "{{.NetworkSettings.SandboxKey}}")
        .starts_with("/var/run/docker/netns/"));
    ok(&mut e, "docker rm -f web");
    assert_eq!(
        ok(
            &mut e,
            "docker network inspect -f '{{len .Containers}}' n1 bridge"
        ),
        "0\n0\n"
    );
    assert!(e.networks().bound_ports().is_empty());
    assert!(e
        .networks()
        .networks()
        .all(|n| n.endpoints.is_empty() && n.used.len() <= 1));
    ok(&mut e, "docker network rm n1");
}

fn trace_lines(e: &mut Engine<SimKernel>, line: &str) -> String {
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, 0, "{line}: {}", o.combined());
    o.steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{:>2}. {s}\n", i + 1))
        .collect()
}

#[test]
fn trace_of_a_published_run_and_a_connect() {
    let mut e = engine();
    insta::assert_snapshot!(
        "run_publish",
        trace_lines(&mut e, "docker run -d -p 8080:80 --name web nginx")
    );
    ok(&mut e, "docker network create n1");
    insta::assert_snapshot!(
        "network_connect",
        trace_lines(&mut e, "docker network connect n1 web")
    );
}

/// One step of a random networking session, over four containers and three networks.
#[derive(Clone, Debug)]
enum Op {
    Create { net: u8, subnet: bool },
    RmNet(u8),
    Run { c: u8, net: u8, port: u8, ip: u8 },
    Connect { net: u8, c: u8, ip: u8 },
    Disconnect { net: u8, c: u8 },
    Stop(u8),
    Start(u8),
    Rm(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0u8..3, any::<bool>()).prop_map(|(net, subnet)| Op::Create { net, subnet }),
        1 => (0u8..3).prop_map(Op::RmNet),
        4 => (0u8..4, 0u8..4, 0u8..4, 0u8..4).prop_map(|(c, net, port, ip)| Op::Run { c, net, port, ip }),
        2 => (0u8..4, 0u8..4, 0u8..4).prop_map(|(net, c, ip)| Op::Connect { net, c, ip }),
        1 => (0u8..4, 0u8..4).prop_map(|(net, c)| Op::Disconnect { net, c }),
        1 => (0u8..4).prop_map(Op::Stop),
        1 => (0u8..4).prop_map(Op::Start),
        1 => (0u8..4).prop_map(Op::Rm),
    ]
}

fn op_line(op: &Op) -> String {
    // Network 3 is the default bridge.
    let net = |n: &u8| {
        if *n == 3 {
            "bridge".to_string()
        } else {
            format!("n{n}")
        }
    };
    let ip = |n: &u8, i: &u8| {
        if *n < 3 && *i < 2 {
            format!(" --ip 10.{n}.0.{}", 10 + i)
        } else {
            String::new()
        }
    };
    match op {
        Op::Create { net: n, subnet } => {
            if *subnet {
                format!("docker network create --subnet 10.{n}.0.0/24 n{n}")
            } else {
                format!("docker network create n{n}")
            }
        }
        Op::RmNet(n) => format!("docker network rm n{n}"),
        Op::Run {
            c,
            net: n,
            port,
            ip: i,
        } => {
            let p = match port {
                0 => " -p 8000:80",
                1 => " -p 80",
                2 => " -P --expose 90 -p 127.0.0.1:8000:81/udp",
                _ => "",
            };
            format!(
                "docker run -d --name c{c} --network {}{p}{} busybox sleep 1000",
                net(n),
                ip(n, i)
            )
        }
        Op::Connect { net: n, c, ip: i } => {
            format!("docker network connect{} {} c{c}", ip(n, i), net(n))
        }
        Op::Disconnect { net: n, c } => format!("docker network disconnect {} c{c}", net(n)),
        Op::Stop(c) => format!("docker stop -t 0 c{c}"),
        Op::Start(c) => format!("docker start c{c}"),
        Op::Rm(c) => format!("docker rm -f c{c}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Over random sessions: no address is given twice in a network (the gateway
    /// included), no host port is bound twice, endpoints belong to running containers,
    /// and IPAM's bookkeeping is exactly the gateway plus the endpoints.
    #[test]
    fn addresses_and_ports_are_never_given_twice(ops in proptest::collection::vec(op(), 1..28)) {
        let mut e = Engine::sim(3);
        prop_assert_eq!(e.execute_next("docker pull -q busybox").exit_code, 0);
        for op in &ops {
            let line = op_line(op);
            let before = e.digest();
            let o = e.execute_next(&line);
            let network_cmd = matches!(op, Op::Create { .. } | Op::RmNet(_) | Op::Connect { .. } | Op::Disconnect { .. });
            if network_cmd && o.exit_code != 0 {
                prop_assert_eq!(e.digest(), before, "{} failed ({}) but changed the state", line, o.stderr());
            }
            let running: BTreeSet<String> = e
                .containers()
                .filter(|c| c.state.status.is_up())
                .map(|c| c.id.clone())
                .collect();
            for n in e.networks().networks() {
                let mut seen = BTreeSet::new();
                if let Some(gw) = n.gateway {
                    seen.insert(gw);
                }
                for (cid, ep) in &n.endpoints {
                    prop_assert!(running.contains(cid), "{line}: endpoint of a stopped container on {}", n.name);
                    if ep.ip != 0 {
                        prop_assert!(seen.insert(ep.ip), "{line}: address {} given twice on {}", ep.ip, n.name);
                        prop_assert!(n.subnet.is_some_and(|s| s.contains(ep.ip)));
                    }
                }
                if n.driver == "bridge" {
                    prop_assert_eq!(&seen, &n.used, "{}: IPAM bookkeeping of {}", line, n.name);
                }
            }
            let mut bound = BTreeSet::new();
            for (ip, proto, port, cid) in e.networks().bound_ports() {
                prop_assert!(running.contains(&cid), "{line}: port of a stopped container");
                prop_assert!(bound.insert((ip.clone(), proto.clone(), port)), "{line}: {ip}:{port}/{proto} bound twice");
            }
        }
    }
}

#[test]
fn the_create_request_carries_the_network_flags() {
    let mut e = engine();
    ok(&mut e, "docker network create --subnet 10.5.0.0/16 n1");
    let o = e.execute_next("docker run -d --name web -p 8080:80 --expose 90 --network n1 --ip 10.5.0.9 --network-alias api nginx");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    let body = o
        .steps
        .iter()
        .filter_map(|s| s.http.as_ref())
        .find(|h| h.path.contains("/containers/create"))
        .and_then(|h| h.request.clone())
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(
        v["ExposedPorts"].to_string(),
        r#"{"80/tcp":{},"90/tcp":{}}"#
    );
    assert_eq!(v["HostConfig"]["NetworkMode"], "n1");
    assert_eq!(
        v["HostConfig"]["PortBindings"].to_string(),
        r#"{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}"#
    );
    assert_eq!(
        v["NetworkingConfig"].to_string(),
        r#"{"EndpointsConfig":{"n1":{"IPAMConfig":{"IPv4Address":"10.5.0.9"},"Aliases":["api"]}}}"#
    );
    // -o com.docker.network.bridge.name names the bridge.
    let s = steps(
        &mut e,
        "docker network create -o com.docker.network.bridge.name=mybr0 n2",
    );
    assert!(has_step(&s, "ip link add mybr0 type bridge"), "{s:#?}");
    assert_eq!(
        inspect(&mut e, "n2", "{{json .Options}}"),
        r#"{"com.docker.network.bridge.name":"mybr0"}"#
    );
}

#[test]
fn container_inspect_network_settings() {
    let mut e = engine();
    ok(
        &mut e,
        "docker create --name web -p 8080:80 -p 127.0.0.1::443 nginx",
    );
    // Created: the networks it will join, nothing operational yet.
    insta::assert_snapshot!(
        "created",
        inspect(&mut e, "web", "{{json .NetworkSettings}}")
    );
    let id = inspect(&mut e, "web", "{{.Id}}");
    ok(&mut e, "docker start web");
    assert_eq!(
        ok(&mut e, "docker ps"),
        format!(
            "CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS        PORTS                                                               NAMES\n{}   nginx     \"/docker-entrypoint.…\"   4 seconds ago   Up 1 second   0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 127.0.0.1:32768->443/tcp   web\n",
            &id[..12]
        )
    );
    let out = ok(&mut e, "docker inspect web");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    let shown = serde_json::json!({
        "HostConfig.NetworkMode": v[0]["HostConfig"]["NetworkMode"],
        "HostConfig.PortBindings": v[0]["HostConfig"]["PortBindings"],
        "HostConfig.Links": v[0]["HostConfig"]["Links"],
        "Config.ExposedPorts": v[0]["Config"]["ExposedPorts"],
        "NetworkSettings": v[0]["NetworkSettings"],
    });
    insta::assert_snapshot!(
        "running",
        serde_json::to_string_pretty(&shown).unwrap_or_default()
    );
}
