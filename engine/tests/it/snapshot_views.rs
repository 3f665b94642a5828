//! What the page's views read from a snapshot (`engine/src/snapshot.rs`): the networks
//! with their endpoints, the namespace modes, the RW layer's whiteouts, and the two
//! read-only accessors (`layer_files`, `inspect_json`), which change nothing.

use super::run_all;
use porthole_engine::snapshot::InspectKind;
use porthole_engine::Engine;

#[test]
fn networks_carry_each_endpoints_address_veth_and_published_ports() {
    let mut e = Engine::sim(0);
    run_all(
        &mut e,
        &[
            "docker network create app",
            "docker run -d --name web -p 8080:80 nginx",
            "docker run -d --name db --network app busybox sleep 1000",
        ],
    );
    let s = e.snapshot();
    let names: Vec<&str> = s.networks.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["app", "bridge", "host", "none"]);
    let bridge = &s.networks[1];
    assert_eq!(
        (bridge.driver.as_str(), bridge.bridge.as_str()),
        ("bridge", "docker0")
    );
    assert_eq!(
        (bridge.subnet.as_str(), bridge.gateway.as_str()),
        ("172.17.0.0/16", "172.17.0.1")
    );
    assert_eq!(bridge.endpoints.len(), 1);
    let web = &bridge.endpoints[0];
    assert_eq!(web.container, "web");
    assert_eq!(web.ip, "172.17.0.2/16");
    assert_eq!(web.ifname, "eth0");
    assert!(web.host_ifname.starts_with("veth"), "{web:?}");
    assert_eq!(web.ports, ["0.0.0.0:8080->80/tcp", "[::]:8080->80/tcp"]);
    // The host end is a port of docker0 in the host's network namespace.
    let host_ns = &s.kernel.netns[0];
    let end = host_ns
        .interfaces
        .iter()
        .find(|i| i.name == web.host_ifname)
        .expect("the veth's host end");
    assert_eq!(end.master.as_deref(), Some("docker0"));
    let app = &s.networks[0];
    assert!(
        app.bridge.starts_with("br-") && app.subnet == "172.18.0.0/16",
        "{app:?}"
    );
    assert_eq!(app.endpoints[0].container, "db");
    assert_eq!(app.endpoints[0].ip, "172.18.0.2/16");
    assert!(s.networks[2].endpoints.is_empty() && s.networks[2].subnet.is_empty());
}

#[test]
fn shared_namespaces_name_their_mode_and_the_same_inode() {
    let mut e = Engine::sim(0);
    run_all(
        &mut e,
        &[
            "docker run -d --name web busybox sleep 1000",
            "docker run -d --name side --pid container:web --network container:web busybox sleep 1000",
            "docker run -d --name hostpid --pid host busybox sleep 1000",
        ],
    );
    let s = e.snapshot();
    let c = |n: &str| s.containers.iter().find(|c| c.name == n).unwrap();
    assert!(c("web").ns_modes.iter().all(|(k, _)| k != "pid"));
    let side = &c("side").ns_modes;
    let web_id = &c("web").id;
    assert!(
        side.contains(&("pid".into(), format!("container:{web_id}"))),
        "{side:?}"
    );
    assert!(
        side.contains(&("net".into(), format!("container:{web_id}"))),
        "{side:?}"
    );
    assert!(c("hostpid")
        .ns_modes
        .contains(&("pid".into(), "host".into())));
    // The kernel's processes agree: side is in web's pid namespace, h in the host's.
    let pid_ns = |pid: u32| {
        s.kernel
            .processes
            .iter()
            .find(|p| p.host_pid == pid)
            .and_then(|p| p.namespaces.iter().find(|n| n.kind.proc_name() == "pid"))
            .map(|n| n.inode)
    };
    assert_eq!(pid_ns(c("side").host_pid), pid_ns(c("web").host_pid));
    assert_eq!(pid_ns(c("hostpid").host_pid), pid_ns(1));
    assert_ne!(pid_ns(c("web").host_pid), pid_ns(1));
}

#[test]
fn the_rw_layer_lists_its_whiteouts_and_layers_list_their_files() {
    let mut e = Engine::sim(0);
    run_all(
        &mut e,
        &[
            "docker run -d --name web nginx",
            "docker exec web rm /docker-entrypoint.sh",
            "docker exec web touch /tmp/x",
        ],
    );
    let s = e.snapshot();
    let web = &s.containers[0];
    assert!(
        web.rw_files.iter().any(|f| f == "/tmp/x"),
        "{:?}",
        web.rw_files
    );
    assert_eq!(web.rw_whiteouts, ["/docker-entrypoint.sh"]);
    // The image's layers: one of them has the file the RW layer deletes.
    let with_it = web
        .image_layers
        .iter()
        .filter(|d| {
            e.layer_files(d)
                .iter()
                .any(|f| f.path == "/docker-entrypoint.sh" && !f.dir && !f.whiteout)
        })
        .count();
    assert_eq!(with_it, 1);
    assert!(e.layer_files("sha256:nope").is_empty());
}

#[test]
fn inspect_json_is_what_docker_inspect_prints_and_changes_nothing() {
    let mut e = Engine::sim(0);
    run_all(
        &mut e,
        &[
            "docker volume create data",
            "docker run -d --name web -v data:/data nginx",
        ],
    );
    let c = e.inspect_json(InspectKind::Container, "web").unwrap();
    assert_eq!(c["Name"], "/web");
    assert_eq!(c["Mounts"][0]["Name"], "data");
    assert_eq!(c["NetworkSettings"]["IPAddress"], "172.17.0.2");
    let printed = e.execute_next("docker inspect web").stdout();
    let parsed: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(parsed[0], c, "the panel shows what docker inspect prints");
    assert_eq!(
        e.inspect_json(InspectKind::Image, "nginx").unwrap()["RepoTags"][0],
        "nginx:latest"
    );
    assert_eq!(
        e.inspect_json(InspectKind::Network, "bridge").unwrap()["Name"],
        "bridge"
    );
    assert_eq!(
        e.inspect_json(InspectKind::Volume, "data").unwrap()["Name"],
        "data"
    );
    assert!(e.inspect_json(InspectKind::Container, "nope").is_none());
    // Looking twice changes nothing.
    let d = e.digest();
    e.inspect_json(InspectKind::Container, "web");
    e.layer_files("sha256:nope");
    assert_eq!(e.digest(), d);
}
