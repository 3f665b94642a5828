//! Issue 5 end to end, across dockerd's networking, the kernel's network stack, the
//! shell's programs and the volumes: what a student types, and what answers.

use porthole_engine::{Engine, SimKernel};

fn ok(e: &mut Engine<SimKernel>, line: &str) -> String {
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, 0, "`{line}` failed: {}", o.combined());
    o.stdout()
}

fn code(e: &mut Engine<SimKernel>, line: &str) -> (i32, String) {
    let o = e.execute_next(line);
    (o.exit_code, o.combined())
}

/// Issue 4's last piece: a container on the default bridge sees lo and eth0, the veth
/// end whose peer is on docker0, with its IPAM address and the default route.
#[test]
fn a_bridge_container_has_eth0() {
    let mut e = Engine::sim(0);
    let out = ok(&mut e, "docker run --rm busybox ip addr");
    assert!(out.contains("1: lo: <LOOPBACK,UP,LOWER_UP>"), "{out}");
    assert!(out.contains(": eth0@if"), "{out}");
    assert!(out.contains("inet 172.17.0.2/16"), "{out}");
    let out = ok(&mut e, "docker run --rm busybox ip route");
    assert!(out.contains("default via 172.17.0.1 dev eth0"), "{out}");
    // --network none: only lo; --network host: the host's interfaces.
    let out = ok(&mut e, "docker run --rm --network none busybox ip addr");
    assert!(!out.contains("eth0"), "{out}");
    let out = ok(&mut e, "docker run --rm --network host busybox ip addr");
    assert!(out.contains("docker0"), "{out}");
}

/// The seeds' wp-mysql-network: the subnet with host bits set fails as Docker 28 says,
/// the fixed one works, and the webapp reaches mysql-db by name.
#[test]
fn the_seeds_network() {
    let mut e = Engine::sim(0);
    let (c, out) = code(
        &mut e,
        "docker network create --driver bridge --subnet 182.18.0.1/24 --gateway 182.18.0.1 wp-mysql-network",
    );
    assert_ne!(c, 0);
    assert!(
        out.contains("invalid subnet 182.18.0.1/24: it should be 182.18.0.0/24"),
        "{out}"
    );
    ok(
        &mut e,
        "docker network create --driver bridge --subnet 182.18.0.0/24 --gateway 182.18.0.1 wp-mysql-network",
    );
    ok(
        &mut e,
        "docker run -d --name mysql-db --network wp-mysql-network -e MYSQL_ROOT_PASSWORD=db_pass123 mysql",
    );
    ok(
        &mut e,
        "docker run -d --name probe --network wp-mysql-network busybox sleep 1000",
    );
    let out = ok(&mut e, "docker exec probe nslookup mysql-db");
    assert!(out.contains("182.18.0.2"), "{out}");
    let (c, out) = code(&mut e, "docker exec probe nc -z -w 1 mysql-db 3306");
    assert_eq!(c, 0, "{out}");
}

/// Who reaches whom: same network yes; two user-defined networks no; internal no way
/// out; none nothing; the host reaches bridge containers.
#[test]
fn reachability_matrix() {
    let mut e = Engine::sim(0);
    ok(&mut e, "docker network create n1");
    ok(&mut e, "docker network create n2");
    ok(&mut e, "docker network create --internal inner");
    for (name, net) in [
        ("aa", "bridge"),
        ("bb", "bridge"),
        ("cc", "n1"),
        ("c2", "n1"),
        ("dd", "n2"),
        ("ii", "inner"),
        ("zz", "none"),
    ] {
        ok(
            &mut e,
            &format!("docker run -d --name {name} --network {net} busybox sleep 100000"),
        );
    }
    let ip = |e: &mut Engine<SimKernel>, n: &str| {
        ok(
            e,
            &format!("docker inspect -f '{{{{range .NetworkSettings.Networks}}}}{{{{.IPAddress}}}}{{{{end}}}}' {n}"),
        )
        .trim()
        .to_string()
    };
    let (b, c2, d) = (ip(&mut e, "bb"), ip(&mut e, "c2"), ip(&mut e, "dd"));
    assert_eq!(
        code(&mut e, &format!("docker exec aa ping -c 1 -W 1 {b}")).0,
        0
    );
    assert_eq!(
        code(&mut e, &format!("docker exec cc ping -c 1 -W 1 {c2}")).0,
        0
    );
    assert_eq!(
        code(&mut e, "docker exec cc ping -c 1 -W 1 c2").0,
        0,
        "DNS on n1"
    );
    assert_ne!(
        code(&mut e, &format!("docker exec cc ping -c 1 -W 1 {d}")).0,
        0,
        "n1 and n2 are isolated"
    );
    assert_ne!(
        code(&mut e, &format!("docker exec aa ping -c 1 -W 1 {c2}")).0,
        0,
        "bridge and n1 are isolated"
    );
    assert_ne!(
        code(&mut e, "docker exec ii ping -c 1 -W 1 8.8.8.8").0,
        0,
        "internal: no way out"
    );
    assert_eq!(
        code(&mut e, "docker exec aa ping -c 1 -W 1 8.8.8.8").0,
        0,
        "bridge: out through NAT"
    );
    let (c, out) = code(&mut e, &format!("docker exec zz ping -c 1 -W 1 {b}"));
    assert_ne!(c, 0);
    assert!(
        out.contains("Network unreachable") || out.contains("network is unreachable"),
        "{out}"
    );
    assert_eq!(
        code(&mut e, &format!("host ping -c 1 -W 1 {b}")).0,
        0,
        "the host reaches docker0's containers"
    );
    // The default bridge has no embedded DNS.
    let (c, out) = code(&mut e, "docker exec aa ping -c 1 bb");
    assert_ne!(c, 0);
    assert!(out.contains("bad address 'bb'"), "{out}");
}

/// A published port: the host reaches nginx at localhost:8000; a port nobody listens
/// on is refused; a second container cannot take the same host port.
#[test]
fn published_ports() {
    let mut e = Engine::sim(0);
    ok(&mut e, "docker run -d -p 8000:80 --name web nginx");
    let out = ok(&mut e, "docker port web");
    assert!(out.contains("80/tcp -> 0.0.0.0:8000"), "{out}");
    let out = ok(&mut e, "host curl -s http://localhost:8000/");
    assert!(out.contains("Welcome to nginx!"), "{out}");
    let (c, _) = code(&mut e, "host curl -s http://localhost:8001/");
    assert_ne!(c, 0);
    let (c, out) = code(&mut e, "docker run -d -p 8000:80 --name web2 nginx");
    assert_eq!(c, 125);
    assert!(out.contains("port is already allocated"), "{out}");
}

/// --link on the default bridge writes /etc/hosts, so the name resolves there.
#[test]
fn links_write_etc_hosts() {
    let mut e = Engine::sim(0);
    ok(&mut e, "docker run -d --name db redis");
    ok(
        &mut e,
        "docker run -d --name app --link db:db busybox sleep 1000",
    );
    let out = ok(&mut e, "docker exec app cat /etc/hosts");
    assert!(out.contains("\tdb"), "{out}");
    assert_eq!(code(&mut e, "docker exec app ping -c 1 -W 1 db").0, 0);
}

/// A file written to a named volume outlives its container.
#[test]
fn volume_data_outlives_the_container() {
    let mut e = Engine::sim(0);
    ok(
        &mut e,
        "docker run --rm -v data:/d busybox sh -c 'echo kept > /d/f'",
    );
    let out = ok(&mut e, "docker run --rm -v data:/d busybox cat /d/f");
    assert_eq!(out, "kept\n");
    let out = ok(&mut e, "host cat /var/lib/docker/volumes/data/_data/f");
    assert_eq!(out, "kept\n");
}

/// Seed 004's last command: kodekloud/simple-webapp-mysql on wp-mysql-network finds
/// mysql-db by name, logs in with DB_Password, and says so on the published port; the
/// page's verdict is computed from the app's own network, resolver and credentials.
#[test]
fn the_seeds_webapp_connects_to_mysql() {
    let mut e = Engine::sim(0);
    ok(&mut e, "docker network create --driver bridge --subnet 182.18.0.0/24 --gateway 182.18.0.1 wp-mysql-network");
    ok(&mut e, "docker run -d -e MYSQL_ROOT_PASSWORD=db_pass123 --name mysql-db --network wp-mysql-network mysql");
    ok(&mut e, "docker run --network=wp-mysql-network -e DB_Host=mysql-db -e DB_Password=db_pass123 -p 38080:8080 --name webapp --link mysql-db:mysql-db -d kodekloud/simple-webapp-mysql");
    ok(&mut e, "wait 5s");
    let page = ok(&mut e, "host curl -s localhost:38080");
    assert!(
        page.contains("<h3> Successfully connected to the MySQL database.</h3>"),
        "{page}"
    );
    assert!(
        page.contains(
            "DB_Host=mysql-db; DB_Database=Not Set; DB_User=Not Set; DB_Password=db_pass123;"
        ),
        "{page}"
    );
    let id = ok(&mut e, "docker inspect -f '{{.Config.Hostname}}' webapp");
    assert!(
        page.contains(&format!("<p> From {}!</p>", id.trim())),
        "{page}"
    );
    // Flask's banner, Werkzeug's, and the request from docker-proxy (the gateway).
    let logs = e.execute_next("docker logs webapp").combined();
    assert!(
        logs.contains(" * Serving Flask app \"app\" (lazy loading)"),
        "{logs}"
    );
    assert!(
        logs.contains(" * Running on http://0.0.0.0:8080/ (Press CTRL+C to quit)"),
        "{logs}"
    );
    assert!(logs.contains("182.18.0.1 - - ["), "{logs}");
    assert!(logs.contains("] \"GET / HTTP/1.1\" 200 -"), "{logs}");
    // The wrong password: mysqld refuses the app's address.
    ok(&mut e, "docker run -d --name bad --network wp-mysql-network -e DB_Host=mysql-db -e DB_Password=nope kodekloud/simple-webapp-mysql");
    let ip = ok(
        &mut e,
        "docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' bad",
    );
    let page = ok(&mut e, "docker exec bad wget -qO- localhost:8080");
    assert!(
        page.contains(&format!(
            "1045 (28000): Access denied for user 'root'@'{}' (using password: YES)",
            ip.trim()
        )),
        "{page}"
    );
    assert!(
        page.contains("Failed connecting to the MySQL database."),
        "{page}"
    );
    // On the default bridge there is no embedded DNS: the name does not resolve.
    ok(&mut e, "docker run -d --name lost -e DB_Host=mysql-db -e DB_Password=db_pass123 kodekloud/simple-webapp-mysql");
    let page = ok(&mut e, "docker exec lost wget -qO- localhost:8080");
    assert!(
        page.contains(
            "2003: Can't connect to MySQL server on 'mysql-db:3306' (-2 Name does not resolve)"
        ),
        "{page}"
    );
    // mysqld stopped: the name still resolves (the container exists) but nothing answers.
    ok(&mut e, "docker stop mysql-db");
    let page = ok(&mut e, "host curl -s localhost:38080");
    assert!(
        page.contains("2003: Can't connect to MySQL server on 'mysql-db:3306'"),
        "{page}"
    );
    assert!(!page.contains("Successfully"), "{page}");
    // /debug shows the settings only; other paths are Flask's 404.
    let page = ok(&mut e, "host curl -si localhost:38080/debug");
    assert!(
        page.starts_with("HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"),
        "{page}"
    );
    assert!(page.contains("background: #2196f3"), "{page}");
    let (c, out) = code(&mut e, "host curl -sf localhost:38080/nope");
    assert_eq!(c, 22, "{out}");
}
