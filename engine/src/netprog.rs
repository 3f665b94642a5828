//! The network programs: what `ping`, `wget`, `curl`, `nc`, `nslookup`, `getent`,
//! `httpd` and `python -m http.server` do inside a container (BusyBox or GNU wording by
//! the image), and `host ip|iptables|ss|bridge|brctl|ping|curl|nc|getent` on the host.
//! Every answer comes from a [`crate::simnet`] probe: name resolution through /etc/hosts
//! and the nameserver of /etc/resolv.conf, then the packet's walk.

use crate::kernel::Stream;
use crate::shell::Handler;
use crate::simnet::{self, fmt_ip, DnsAnswer, NetView, Outcome, Probe, Proto};
use crate::time::NANOS_PER_SEC;

/// Which implementation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    Busybox,
    /// Debian/Ubuntu in a container (curl 7.88, glibc getent).
    Gnu,
    /// The host (Ubuntu: iputils ping, curl, OpenBSD nc, iproute2).
    Host,
}

/// What a program sees: its network, its resolver files, its standard input.
pub struct Env<'a> {
    pub net: NetView<'a>,
    pub hosts: String,
    pub resolv: String,
    pub flavour: Flavour,
    pub stdin: &'a str,
}

/// What a program did: timed output, how it ends, the sockets it listens on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetOut {
    pub output: Vec<(u64, Stream, String)>,
    pub duration: u64,
    /// None: runs until a signal ends it.
    pub exit: Option<i32>,
    /// (offset, proto, port, command name).
    pub listens: Vec<(u64, Proto, u16, String)>,
    pub handlers: Vec<Handler>,
    /// What the program's peers print because of it (nginx's access log, what `nc -l`
    /// receives): offset, host PID of the peer, stream, text.
    pub deliveries: Vec<(u64, u32, Stream, String)>,
}

impl NetOut {
    fn at(&mut self, t: u64, stream: Stream, s: impl Into<String>) {
        let s = s.into();
        if s.is_empty() {
            return;
        }
        match self.output.last_mut() {
            Some((lt, ls, text)) if *lt == t && *ls == stream => text.push_str(&s),
            _ => self.output.push((t, stream, s)),
        }
    }
    fn out(&mut self, t: u64, s: impl Into<String>) {
        self.at(t, Stream::Stdout, s)
    }
    fn err(&mut self, t: u64, s: impl Into<String>) {
        self.at(t, Stream::Stderr, s)
    }
    fn end(mut self, t: u64, code: i32) -> NetOut {
        self.duration = t;
        self.exit = Some(code);
        self
    }
    fn forever(mut self) -> NetOut {
        self.exit = None;
        self
    }
}

/// The programs this module runs (by the name the shell resolved).
pub fn handles(name: &str) -> bool {
    matches!(
        name,
        "ping" | "wget" | "curl" | "nc" | "nslookup" | "getent" | "httpd" | "netstat"
    )
}

const SEC: u64 = NANOS_PER_SEC;
/// How long connect(2) waits for a SYN that is never answered (tcp_syn_retries = 6).
const SYN_TIMEOUT: u64 = 127 * SEC;
/// ARP gives up after three tries a second apart.
const ARP_TIMEOUT: u64 = 3 * SEC;

pub fn run(env: &Env<'_>, name: &str, args: &[String]) -> NetOut {
    match name {
        "ping" => ping(env, args),
        "wget" => wget(env, args),
        "curl" => curl(env, args),
        "nc" => nc(env, args),
        "nslookup" => nslookup(env, args),
        "getent" => getent(env, args),
        "httpd" => httpd(env, args),
        "netstat" => netstat(env, args),
        _ => NetOut::default().end(0, 0),
    }
}

// ---- resolution ----

enum Resolved {
    Ip(String),
    NotFound,
    /// No nameserver answered.
    NoServer,
}

fn hosts_lookup(hosts: &str, name: &str) -> Option<String> {
    for line in hosts.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let Some(addr) = words.next() else { continue };
        if simnet::parse_ip(addr).is_none() {
            continue;
        }
        if words.any(|w| w.eq_ignore_ascii_case(name)) {
            return Some(addr.to_string());
        }
    }
    None
}

fn nameservers(resolv: &str) -> Vec<String> {
    let v: Vec<String> = resolv
        .lines()
        .filter_map(|l| l.trim().strip_prefix("nameserver"))
        .map(|s| s.trim().to_string())
        .filter(|s| simnet::parse_ip(s).is_some())
        .collect();
    if v.is_empty() {
        // No nameserver line: the resolver asks 127.0.0.1.
        vec!["127.0.0.1".into()]
    } else {
        v
    }
}

fn resolve(env: &Env<'_>, name: &str) -> Resolved {
    if simnet::parse_ip(name).is_some() {
        return Resolved::Ip(name.to_string());
    }
    if let Some(a) = hosts_lookup(&env.hosts, name) {
        return Resolved::Ip(a);
    }
    if name == "localhost" {
        return Resolved::Ip("127.0.0.1".into());
    }
    for server in nameservers(&env.resolv) {
        match env.net.dns(&server, name) {
            DnsAnswer::Addrs(a) => return Resolved::Ip(a[0].clone()),
            DnsAnswer::NxDomain => return Resolved::NotFound,
            DnsAnswer::NoServer => {}
        }
    }
    Resolved::NoServer
}

// ---- ping ----

fn rtt(seq: u32, world: bool) -> f64 {
    let base = if world { 11.2 } else { 0.051 };
    let jitter = [0.0, 0.013, 0.006, 0.021, 0.009, 0.017, 0.003][seq as usize % 7];
    if world {
        base + jitter * 100.0
    } else {
        base + jitter
    }
}

fn ping(env: &Env<'_>, args: &[String]) -> NetOut {
    let bb = env.flavour == Flavour::Busybox;
    let mut o = NetOut::default();
    let mut count: Option<u32> = None;
    let mut wait: u64 = 10;
    let mut quiet = false;
    let mut target = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-c" | "-W" | "-w" | "-s" | "-i" | "-t" | "-I" => {
                let v = args.get(i + 1).cloned().unwrap_or_default();
                match a {
                    "-c" => count = v.parse().ok(),
                    "-W" => wait = v.parse().unwrap_or(10),
                    _ => {}
                }
                i += 1;
            }
            "-q" => quiet = true,
            "-4" | "-n" => {}
            _ if a.starts_with("-c") => count = a[2..].parse().ok(),
            _ if a.starts_with('-') => {}
            _ => target = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(host) = target else {
        if bb {
            o.err(0, "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n");
            return o.end(0, 1);
        }
        o.err(0, "ping: usage error: Destination address required\n");
        return o.end(0, 1);
    };
    let ip = match resolve(env, &host) {
        Resolved::Ip(ip) => ip,
        _ if bb => {
            o.err(0, format!("ping: bad address '{host}'\n"));
            return o.end(0, 1);
        }
        Resolved::NotFound => {
            o.err(0, format!("ping: {host}: Name or service not known\n"));
            return o.end(0, 2);
        }
        Resolved::NoServer => {
            o.err(
                0,
                format!("ping: {host}: Temporary failure in name resolution\n"),
            );
            return o.end(0, 2);
        }
    };
    let p = env.net.probe(&ip, Proto::Icmp, 0);
    if p.outcome == Outcome::NetUnreachable {
        if bb {
            o.out(0, format!("PING {host} ({ip}): 56 data bytes\n"));
            o.err(0, "ping: sendto: Network unreachable\n");
            return o.end(0, 1);
        }
        o.err(0, "ping: connect: Network is unreachable\n");
        return o.end(0, 2);
    }
    if bb {
        o.out(0, format!("PING {host} ({ip}): 56 data bytes\n"));
    } else {
        o.out(0, format!("PING {host} ({ip}) 56(84) bytes of data.\n"));
    }
    let world = matches!(&p.outcome, Outcome::Answered { netns: 0, .. });
    let forwarded = p.hops.iter().any(|h| h.what.starts_with("filter FORWARD:"));
    let ttl = if world {
        117
    } else if forwarded {
        63
    } else {
        64
    };
    let ok = p.answered();
    if p.outcome == Outcome::HostUnreachable && !bb && count.is_some() {
        // iputils reports the failed neighbour resolution for each probe.
        let n = count.unwrap_or(1).max(1);
        let src = p.src.clone().unwrap_or_default();
        for seq in 0..n {
            o.out(
                u64::from(seq) * SEC + ARP_TIMEOUT,
                format!(
                    "From {src} icmp_seq={} Destination Host Unreachable\n",
                    seq + 1
                ),
            );
        }
        let end = u64::from(n - 1) * SEC + ARP_TIMEOUT;
        o.out(end, format!("\n--- {host} ping statistics ---\n{n} packets transmitted, 0 received, +{n} errors, 100% packet loss, time {}ms\n\n", u64::from(n - 1) * 1000 + 27));
        return o.end(end, 1);
    }
    // Without -c, ping runs until interrupted: the timeline carries its first minute.
    let n = count.unwrap_or(60).max(1);
    let mut times = Vec::new();
    if ok && !quiet {
        for seq in 0..n {
            let t = rtt(seq, world);
            times.push(t);
            let line = if bb {
                format!("64 bytes from {ip}: seq={seq} ttl={ttl} time={t:.3} ms\n")
            } else {
                format!(
                    "64 bytes from {ip}: icmp_seq={} ttl={ttl} time={t:.3} ms\n",
                    seq + 1
                )
            };
            o.out(u64::from(seq) * SEC, line);
        }
    } else if ok {
        times = (0..n).map(|s| rtt(s, world)).collect();
    }
    if count.is_none() {
        o.handlers.push(Handler {
            signal: crate::kernel::Signal::Int,
            exit_code: if ok { 0 } else { 1 },
            after_ns: 0,
            message: None,
        });
        o.duration = u64::from(n) * SEC;
        return o.forever();
    }
    let end = if ok {
        u64::from(n - 1) * SEC + 1_000_000
    } else {
        u64::from(n - 1) * SEC + wait * SEC
    };
    let recv = if ok { n } else { 0 };
    let loss = if ok { 0 } else { 100 };
    if bb {
        o.out(end, format!("\n--- {host} ping statistics ---\n{n} packets transmitted, {recv} packets received, {loss}% packet loss\n"));
    } else {
        o.out(end, format!("\n--- {host} ping statistics ---\n{n} packets transmitted, {recv} received, {loss}% packet loss, time {}ms\n", u64::from(n - 1) * 1000 + 3 * u64::from(n - 1)));
    }
    if ok {
        let min = times.iter().copied().fold(f64::MAX, f64::min);
        let max = times.iter().copied().fold(0.0, f64::max);
        let avg = times.iter().sum::<f64>() / times.len() as f64;
        if bb {
            o.out(
                end,
                format!("round-trip min/avg/max = {min:.3}/{avg:.3}/{max:.3} ms\n"),
            );
        } else {
            let var = times.iter().map(|t| (t - avg) * (t - avg)).sum::<f64>() / times.len() as f64;
            o.out(
                end,
                format!(
                    "rtt min/avg/max/mdev = {min:.3}/{avg:.3}/{max:.3}/{:.3} ms\n",
                    var.sqrt()
                ),
            );
        }
        o.end(end, 0)
    } else {
        o.end(end, 1)
    }
}

// ---- HTTP ----

struct Url {
    host: String,
    port: u16,
    path: String,
    https: bool,
}

fn parse_url(s: &str) -> Option<Url> {
    let (https, rest) = if let Some(r) = s.strip_prefix("http://") {
        (false, r)
    } else if let Some(r) = s.strip_prefix("https://") {
        (true, r)
    } else if s.contains("://") {
        return None;
    } else {
        (false, s)
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (hostport.to_string(), if https { 443 } else { 80 }),
    };
    if host.is_empty() {
        return None;
    }
    Some(Url {
        host,
        port,
        path,
        https,
    })
}

pub const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

const NGINX_404: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.2</center>\r\n</body>\r\n</html>\r\n";

const BB_HTTPD_404: &str = "<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n";

const EXAMPLE_COM: &str = "<!doctype html>\n<html>\n<head>\n    <title>Example Domain</title>\n</head>\n\n<body>\n<div>\n    <h1>Example Domain</h1>\n    <p>This domain is for use in illustrative examples in documents. You may use this\n    domain in literature without prior coordination or asking for permission.</p>\n    <p><a href=\"https://www.iana.org/domains/example\">More information...</a></p>\n</div>\n</body>\n</html>\n";

const GOOGLE_301: &str = "<HTML><HEAD><meta http-equiv=\"content-type\" content=\"text/html;charset=utf-8\">\n<TITLE>301 Moved</TITLE></HEAD><BODY>\n<H1>301 Moved</H1>\nThe document has moved\n<A HREF=\"http://www.google.com/\">here</A>.\r\n</BODY></HTML>\r\n";

fn python_listing() -> String {
    let mut s = String::from("<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for /</title>\n</head>\n<body>\n<h1>Directory listing for /</h1>\n<hr>\n<ul>\n");
    for d in [
        ".dockerenv",
        "bin@",
        "boot/",
        "dev/",
        "etc/",
        "home/",
        "lib@",
        "lib64@",
        "media/",
        "mnt/",
        "opt/",
        "proc/",
        "root/",
        "run/",
        "sbin@",
        "srv/",
        "sys/",
        "tmp/",
        "usr/",
        "var/",
    ] {
        let href = d.trim_end_matches('@');
        s.push_str(&format!("<li><a href=\"{href}\">{d}</a></li>\n"));
    }
    s.push_str("</ul>\n<hr>\n</body>\n</html>\n");
    s
}

/// What an HTTP server answers to `GET path`: status line, server header, body.
enum Http {
    Page(u16, &'static str, String, String),
    /// Not an HTTP server: it answers something else (redis, mysql).
    Other(String),
    /// It accepts and says nothing (`nc -l`).
    Silent,
}

fn http_answer(comm: &str, path: &str) -> Http {
    let page = |code, reason: &'static str, server: &str, body: &str| {
        Http::Page(code, reason, server.to_string(), body.to_string())
    };
    match comm {
        "nginx" if path == "/" || path == "/index.html" => {
            page(200, "OK", "nginx/1.27.2", NGINX_INDEX)
        }
        "nginx" => page(404, "Not Found", "nginx/1.27.2", NGINX_404),
        "httpd" => page(404, "Not Found", "", BB_HTTPD_404),
        "python3" | "python" => page(200, "OK", "SimpleHTTP/0.6 Python/3.12.7", &python_listing()),
        "example.com" | "one.one.one.one" => page(200, "OK", "ECAcc (nyd/D184)", EXAMPLE_COM),
        "google.com" | "www.google.com" => page(301, "Moved Permanently", "gws", GOOGLE_301),
        "redis-server" => Http::Other(
            "-ERR unknown command 'GET', with args beginning with: '/' 'HTTP/1.1' \r\n".into(),
        ),
        "mysqld" => Http::Other(mysql_greeting()),
        "nc" => Http::Silent,
        _ => Http::Silent,
    }
}

/// What the server that answered `p` answers to `GET path`: a program whose answer
/// depends on its own settings and network (the simple-webapp-mysql app) is asked;
/// the others answer by their name.
fn answer(env: &Env<'_>, p: &Probe, comm: &str, path: &str) -> Http {
    if let Outcome::Answered {
        netns,
        pid: Some(pid),
        ..
    } = &p.outcome
    {
        if env.net.net.app(*pid, "kind") == Some("webapp-mysql") {
            return webapp_mysql_page(env, *pid, *netns, path);
        }
    }
    http_answer(comm, path)
}

const WERKZEUG: &str = "Werkzeug/0.14.1 Python/3.7.0";

/// The simple-webapp-mysql app's answer: `/` connects to MySQL at `DB_Host` (from the
/// app's own namespace, resolver and credentials, as mysql-connector-python 8.0 does)
/// and says whether it could; `/debug` shows the settings only.
fn webapp_mysql_page(env: &Env<'_>, pid: u32, netns: u64, path: &str) -> Http {
    let net = env.net.net;
    if path != "/" && path != "/debug" {
        return Http::Page(404, "NOT FOUND", WERKZEUG.into(), "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>\n".into());
    }
    // Python's `os.environ.get(k) or default`: unset and empty both take the default.
    let set = |k: &str| net.app(pid, k).filter(|v| !v.is_empty());
    let shown = |k: &str| set(k).unwrap_or("Not Set").to_string();
    let mut debug = format!(
        "Environment Variables: DB_Host={}; DB_Database={}; DB_User={}; DB_Password={}",
        shown("DB_Host"),
        shown("DB_Database"),
        shown("DB_User"),
        shown("DB_Password")
    );
    let (color, connected, name) = if path == "/debug" {
        ("#2196f3", false, None)
    } else {
        let host = set("DB_Host").unwrap_or("localhost");
        let result = mysql_connect(
            env,
            pid,
            netns,
            host,
            set("DB_Database").unwrap_or("mysql"),
            set("DB_User").unwrap_or("root"),
            set("DB_Password").unwrap_or("paswrd"),
        );
        debug.push_str("; ");
        if let Err(e) = &result {
            debug.push_str(e);
        }
        let color = if result.is_ok() { "#39b54b" } else { "#ff3f3f" };
        (color, result.is_ok(), net.app(pid, "hostname"))
    };
    let mut body = format!("<!doctype html>\n<title>Hello from Flask</title>\n<body style=\"background: {color};\"></body>\n<div style=\"color: #e4e4e4;\n    text-align:  center;\n    height: 90px;\n    vertical-align:  middle;\">\n\n");
    if connected {
        body.push_str("  \n    <img src=\"/static/img/success.jpg\">\n    <h3> Successfully connected to the MySQL database.</h3>\n  \n\n");
    } else {
        body.push_str("  \n    <img src=\"/static/img/failed.png\">\n    <h3> Failed connecting to the MySQL database. </h3>\n  \n\n");
    }
    body.push_str(&format!("  \n    <h2> {debug} </h2>\n  \n\n"));
    match name {
        Some(n) => body.push_str(&format!("  \n    <p> From {n}!</p>\n  \n\n  \n\n</div>")),
        None => body.push_str("  \n\n  \n\n</div>"),
    }
    Http::Page(200, "OK", WERKZEUG.into(), body)
}

/// mysql-connector-python's connect from the app's namespace: resolve (musl's
/// getaddrinfo through the container's /etc/hosts and resolv.conf), connect to 3306,
/// log in. The error texts are the connector's `str(error)`.
fn mysql_connect(
    env: &Env<'_>,
    pid: u32,
    netns: u64,
    host: &str,
    database: &str,
    user: &str,
    password: &str,
) -> Result<(), String> {
    let net = env.net.net;
    let container = net.app(pid, "container");
    let file = |f: &str| {
        container
            .and_then(|c| net.file(c, f))
            .unwrap_or_default()
            .to_string()
    };
    let senv = Env {
        net: NetView {
            net,
            netns,
            container,
            now: env.net.now,
            pid,
        },
        hosts: file("hosts"),
        resolv: file("resolv.conf"),
        flavour: Flavour::Busybox,
        stdin: "",
    };
    let cant = |why: &str| format!("2003: Can't connect to MySQL server on '{host}:3306' ({why})");
    let ip = match resolve(&senv, host) {
        Resolved::Ip(ip) => ip,
        Resolved::NotFound => return Err(cant("-2 Name does not resolve")),
        Resolved::NoServer => return Err(cant("-3 Try again")),
    };
    let p = senv.net.probe(&ip, Proto::Tcp, 3306);
    let server = match &p.outcome {
        Outcome::Answered {
            comm,
            pid: Some(server),
            ..
        } if comm == "mysqld" => *server,
        Outcome::Answered { .. } => {
            return Err("2013: Lost connection to MySQL server during query".into())
        }
        Outcome::Refused | Outcome::Reset => return Err(cant("111 Connection refused")),
        Outcome::NetUnreachable => return Err(cant("101 Network unreachable")),
        Outcome::HostUnreachable => return Err(cant("113 Host is unreachable")),
        Outcome::Timeout | Outcome::Stalled { .. } => return Err(cant("110 Operation timed out")),
    };
    let account = |k: &str| net.app(server, k).unwrap_or_default();
    let root = user == "root";
    let expected = if root {
        if account("MYSQL_ROOT_PASSWORD").is_empty()
            && !account("MYSQL_ALLOW_EMPTY_PASSWORD").is_empty()
        {
            Some("")
        } else {
            Some(account("MYSQL_ROOT_PASSWORD"))
        }
    } else if user == account("MYSQL_USER") {
        Some(account("MYSQL_PASSWORD"))
    } else {
        None
    };
    if expected != Some(password) {
        let src = p.src.clone().unwrap_or_else(|| ip.clone());
        let using = if password.is_empty() { "NO" } else { "YES" };
        return Err(format!(
            "1045 (28000): Access denied for user '{user}'@'{src}' (using password: {using})"
        ));
    }
    let own = account("MYSQL_DATABASE");
    let system = ["mysql", "information_schema", "performance_schema", "sys"];
    let exists = system.contains(&database) || (!own.is_empty() && database == own);
    if root && !exists {
        return Err(format!("1049 (42000): Unknown database '{database}'"));
    }
    // MYSQL_USER is granted MYSQL_DATABASE only; without privileges on a database a
    // user is refused whether or not it exists.
    if !root && (own.is_empty() || database != own) {
        return Err(format!(
            "1044 (42000): Access denied for user '{user}'@'%' to database '{database}'"
        ));
    }
    Ok(())
}

fn mysql_greeting() -> String {
    "J\0\0\0\n8.4.3\0\u{8}\0\0\0\u{1}Z\u{7f}\u{1b}'.r\0\u{ff}\u{ff}\u{ff}\u{2}\0\u{ff}\u{df}\u{15}\0\0\0\0\0\0\0\0\0\0Q9@-\u{c}i8nS\u{1d}\0caching_sha2_password\0".into()
}

/// An HTTP date (`Mon, 05 Jan 2026 09:00:00 GMT`) for a virtual time.
fn http_date(now: crate::time::Time) -> String {
    let iso = now.rfc3339_nano();
    let days = now.secs() / 86_400;
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][iso[5..7].parse::<usize>().unwrap_or(1).clamp(1, 12) - 1];
    format!(
        "{wd}, {} {month} {} {} GMT",
        &iso[8..10],
        &iso[..4],
        &iso[11..19]
    )
}

fn http_headers(
    code: u16,
    reason: &str,
    server: &str,
    len: usize,
    now: crate::time::Time,
) -> String {
    let mut h = format!("HTTP/1.1 {code} {reason}\r\n");
    if !server.is_empty() {
        h.push_str(&format!("Server: {server}\r\n"));
    }
    if server == WERKZEUG {
        return format!("HTTP/1.0 {code} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len}\r\nServer: {server}\r\nDate: {}\r\n\r\n", http_date(now));
    }
    h.push_str(&format!(
        "Date: {}\r\nContent-Type: text/html\r\n",
        http_date(now)
    ));
    h.push_str(&format!("Content-Length: {len}\r\n"));
    if code == 301 {
        h.push_str("Location: http://www.google.com/\r\n");
    }
    if code == 200 && server.starts_with("nginx") {
        h.push_str("Last-Modified: Wed, 02 Oct 2024 15:13:19 GMT\r\nConnection: keep-alive\r\nETag: \"66fd630f-267\"\r\nAccept-Ranges: bytes\r\n\r\n");
        return h;
    }
    h.push_str("Connection: keep-alive\r\n\r\n");
    h
}

/// nginx's access log line (to its stdout) for a request it answered.
fn access_log(o: &mut NetOut, env: &Env<'_>, p: &Probe, t: u64, path: &str, agent: &str) {
    let Outcome::Answered {
        comm,
        pid: Some(pid),
        ..
    } = &p.outcome
    else {
        return;
    };
    let iso = env.net.now.plus_nanos(t).rfc3339_nano();
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][iso[5..7].parse::<usize>().unwrap_or(1).clamp(1, 12) - 1];
    if env.net.net.app(*pid, "kind") == Some("webapp-mysql") {
        // Werkzeug's request log, on the app's stderr.
        let Http::Page(code, ..) = answer(env, p, comm, path) else {
            return;
        };
        let src = p.src.clone().unwrap_or_else(|| "-".into());
        o.deliveries.push((
            t,
            *pid,
            Stream::Stderr,
            format!(
                "{src} - - [{}/{month}/{} {}] \"GET {path} HTTP/1.1\" {code} -\n",
                &iso[8..10],
                &iso[..4],
                &iso[11..19]
            ),
        ));
        return;
    }
    if comm != "nginx" {
        return;
    }
    let Http::Page(code, _, _, body) = http_answer(comm, path) else {
        return;
    };
    let when = format!(
        "{}/{month}/{}:{} +0000",
        &iso[8..10],
        &iso[..4],
        &iso[11..19]
    );
    let src = p.src.clone().unwrap_or_else(|| "-".into());
    o.deliveries.push((
        t,
        *pid,
        Stream::Stdout,
        format!(
            "{src} - - [{when}] \"GET {path} HTTP/1.1\" {code} {} \"-\" \"{agent}\" \"-\"\n",
            body.len()
        ),
    ));
}

/// How long a failed connect takes, and its errno text.
fn connect_failure(p: &Probe) -> (u64, &'static str) {
    match p.outcome {
        Outcome::Refused => (0, "Connection refused"),
        Outcome::NetUnreachable => (0, "Network unreachable"),
        Outcome::HostUnreachable => (ARP_TIMEOUT, "No route to host"),
        _ => (SYN_TIMEOUT, "Connection timed out"),
    }
}

/// GNU Wget 1.21 (Debian images, the host): its own progress and errors; exit 4 for a
/// network failure, 8 for an error status from the server.
fn gnu_wget(env: &Env<'_>, args: &[String]) -> NetOut {
    let mut o = NetOut::default();
    let quiet = args.iter().any(|a| a == "-q" || a.starts_with("-qO"));
    let to_stdout = args.windows(2).any(|w| w[0] == "-O" && w[1] == "-")
        || args.iter().any(|a| a == "-qO-" || a == "-O-");
    let Some(url) = args.iter().rev().find(|a| !a.starts_with('-') && *a != "-") else {
        o.err(0, "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
        return o.end(0, 1);
    };
    let Some(u) = parse_url(url) else {
        o.err(0, format!("{url}: Unsupported scheme.\n"));
        return o.end(0, 1);
    };
    let full = format!(
        "http{}://{}{}{}",
        if u.https { "s" } else { "" },
        u.host,
        if u.port == 80 || u.port == 443 {
            String::new()
        } else {
            format!(":{}", u.port)
        },
        u.path
    );
    let iso = env.net.now.rfc3339_nano();
    let stamp = format!("{} {}", &iso[..10], &iso[11..19]);
    let say = |o: &mut NetOut, t: u64, s: String| {
        if !quiet {
            o.err(t, s);
        }
    };
    say(&mut o, 0, format!("--{stamp}--  {full}\n"));
    let ip = match resolve(env, &u.host) {
        Resolved::Ip(ip) => ip,
        _ => {
            say(&mut o, 0, format!("Resolving {} ({})... failed: Name or service not known.\nwget: unable to resolve host address ‘{}’\n", u.host, u.host, u.host));
            return o.end(0, 4);
        }
    };
    if simnet::parse_ip(&u.host).is_none() {
        say(
            &mut o,
            0,
            format!("Resolving {} ({})... {ip}\n", u.host, u.host),
        );
    }
    let conn = if simnet::parse_ip(&u.host).is_none() {
        format!("Connecting to {} ({})|{ip}|:{}... ", u.host, u.host, u.port)
    } else {
        format!("Connecting to {ip}:{}... ", u.port)
    };
    let p = env.net.probe(&ip, Proto::Tcp, u.port);
    let comm = match &p.outcome {
        Outcome::Answered { comm, .. } => comm.clone(),
        // Accepted by the kernel for a frozen program: nothing ever comes back.
        Outcome::Stalled { .. } => String::new(),
        Outcome::Reset => {
            say(&mut o, 0, format!("{conn}connected.\nHTTP request sent, awaiting response... Read error (Connection reset by peer) in headers.\nRetrying.\n\n"));
            return o.end(0, 4);
        }
        _ => {
            let (t, why) = connect_failure(&p);
            let why = if why == "Network unreachable" {
                "Network is unreachable"
            } else {
                why
            };
            say(&mut o, t, format!("{conn}failed: {why}.\n"));
            return o.end(t, 4);
        }
    };
    let t = 2_000_000;
    access_log(&mut o, env, &p, t, &u.path, "Wget/1.21.3");
    match answer(env, &p, &comm, &u.path) {
        Http::Page(code, reason, _, body) => {
            say(
                &mut o,
                t,
                format!(
                    "{conn}connected.\nHTTP request sent, awaiting response... {code} {reason}\n"
                ),
            );
            if code >= 400 {
                say(&mut o, t, format!("{stamp} ERROR {code}: {reason}.\n\n"));
                return o.end(t, 8);
            }
            let file = if to_stdout {
                "STDOUT".to_string()
            } else {
                let name = u.path.rsplit('/').next().unwrap_or("");
                if name.is_empty() {
                    "index.html".into()
                } else {
                    name.to_string()
                }
            };
            say(
                &mut o,
                t,
                format!(
                    "Length: {} [text/html]\nSaving to: ‘{file}’\n\n",
                    body.len()
                ),
            );
            if to_stdout {
                o.out(t, body.clone());
            }
            say(&mut o, t, format!("     0K                                                       100% 58.6M=0s\n\n{stamp} (58.6 MB/s) - ‘{file}’ saved [{}/{}]\n\n", body.len(), body.len()));
            o.end(t, 0)
        }
        Http::Other(raw) => {
            say(&mut o, t, format!("{conn}connected.\nHTTP request sent, awaiting response... 200 No headers, assuming HTTP/0.9\n"));
            if to_stdout {
                o.out(t, raw);
            }
            o.end(t, 0)
        }
        Http::Silent => {
            say(&mut o, 900 * SEC, format!("{conn}connected.\nHTTP request sent, awaiting response... Read error (Connection timed out) in headers.\n"));
            o.end(900 * SEC, 4)
        }
    }
}

fn wget(env: &Env<'_>, args: &[String]) -> NetOut {
    if env.flavour != Flavour::Busybox {
        return gnu_wget(env, args);
    }
    let mut o = NetOut::default();
    let mut quiet = false;
    let mut out_file: Option<String> = None;
    let mut timeout: Option<u64> = None;
    let mut spider = false;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-q" => quiet = true,
            "-qO-" | "-qO" => {
                quiet = true;
                out_file = Some(if a == "-qO-" {
                    "-".into()
                } else {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                });
            }
            "-O" => {
                i += 1;
                out_file = args.get(i).cloned();
            }
            "-T" => {
                i += 1;
                timeout = args.get(i).and_then(|v| v.parse().ok());
            }
            "--spider" => spider = true,
            _ if a.starts_with("-O") => out_file = Some(a[2..].to_string()),
            _ if a.starts_with('-') => {}
            _ => url = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(url) = url else {
        o.err(0, "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n");
        return o.end(0, 1);
    };
    let Some(u) = parse_url(&url) else {
        o.err(0, format!("wget: not an http or ftp url: {url}\n"));
        return o.end(0, 1);
    };
    let ip = match resolve(env, &u.host) {
        Resolved::Ip(ip) => ip,
        _ => {
            o.err(0, format!("wget: bad address '{}'\n", u.host));
            return o.end(0, 1);
        }
    };
    if !quiet {
        o.err(0, format!("Connecting to {} ({ip}:{})\n", u.host, u.port));
    }
    let p = env.net.probe(&ip, Proto::Tcp, u.port);
    let comm = match &p.outcome {
        Outcome::Answered { comm, .. } => comm.clone(),
        // Accepted by the kernel for a frozen program: nothing ever comes back.
        Outcome::Stalled { .. } => String::new(),
        Outcome::Reset => {
            o.err(
                0,
                "wget: error getting response: Connection reset by peer\n",
            );
            return o.end(0, 1);
        }
        _ => {
            let (t, why) = connect_failure(&p);
            if let Some(limit) = timeout.filter(|l| l * SEC < t) {
                o.err(limit * SEC, "wget: download timed out\n");
                return o.end(limit * SEC, 1);
            }
            o.err(
                t,
                format!("wget: can't connect to remote host ({ip}): {why}\n"),
            );
            return o.end(t, 1);
        }
    };
    let t = 2_000_000;
    access_log(&mut o, env, &p, t, &u.path, "Wget");
    match answer(env, &p, &comm, &u.path) {
        Http::Page(code, reason, _, body) => {
            if code >= 400 {
                o.err(
                    t,
                    format!("wget: server returned error: HTTP/1.1 {code} {reason}\n"),
                );
                return o.end(t, 1);
            }
            if spider {
                if !quiet {
                    o.err(t, "remote file exists\n");
                }
                return o.end(t, 0);
            }
            let file = out_file.unwrap_or_else(|| {
                let name = u.path.rsplit('/').next().unwrap_or("");
                if name.is_empty() {
                    "index.html".into()
                } else {
                    name.to_string()
                }
            });
            let _ = u.https;
            if file == "-" {
                if !quiet {
                    o.err(t, "writing to stdout\n");
                }
                o.out(t, body.clone());
                if !quiet {
                    o.err(t, format!("-                    100% |********************************|   {}  0:00:00 ETA\nwritten to stdout\n", body.len()));
                }
            } else if !quiet {
                o.err(t, format!("saving to '{file}'\n{file:<20} 100% |********************************|   {}  0:00:00 ETA\n'{file}' saved\n", body.len()));
            }
            o.end(t, 0)
        }
        Http::Other(_) => {
            o.err(
                t,
                "wget: error getting response: Connection reset by peer\n",
            );
            o.end(t, 1)
        }
        Http::Silent => {
            let limit = timeout.unwrap_or(900) * SEC;
            o.err(limit, "wget: download timed out\n");
            o.end(limit, 1)
        }
    }
}

fn curl(env: &Env<'_>, args: &[String]) -> NetOut {
    let mut o = NetOut::default();
    let (mut silent, mut show_err, mut fail, mut head, mut include, mut verbose) =
        (false, false, false, false, false, false);
    let mut max_time: Option<u64> = None;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-m" | "--max-time" | "--connect-timeout" => {
                i += 1;
                max_time = args
                    .get(i)
                    .and_then(|v| v.parse::<f64>().ok())
                    .map(|v| (v * 1000.0) as u64);
            }
            "-o" | "--output" | "-H" | "--header" | "-X" | "-d" | "--data" | "-A" | "-w" => i += 1,
            "--silent" => silent = true,
            "--show-error" => show_err = true,
            "--fail" => fail = true,
            "--head" => head = true,
            "--include" => include = true,
            "--verbose" => verbose = true,
            _ if a.starts_with("--") => {}
            _ if a.starts_with('-') => {
                for c in a[1..].chars() {
                    match c {
                        's' => silent = true,
                        'S' => show_err = true,
                        'f' => fail = true,
                        'I' => head = true,
                        'i' => include = true,
                        'v' => verbose = true,
                        _ => {}
                    }
                }
            }
            _ => url = Some(a.to_string()),
        }
        i += 1;
    }
    let quiet_err = silent && !show_err;
    let Some(url) = url else {
        o.err(
            0,
            "curl: try 'curl --help' or 'curl --manual' for more information\n",
        );
        return o.end(0, 2);
    };
    let Some(u) = parse_url(&url) else {
        if !quiet_err {
            o.err(
                0,
                format!(
                    "curl: (1) Protocol \"{}\" not supported\n",
                    url.split("://").next().unwrap_or("")
                ),
            );
        }
        return o.end(0, 1);
    };
    let ip = match resolve(env, &u.host) {
        Resolved::Ip(ip) => ip,
        _ => {
            if !quiet_err {
                o.err(0, format!("curl: (6) Could not resolve host: {}\n", u.host));
            }
            return o.end(0, 6);
        }
    };
    if verbose {
        o.err(0, format!("*   Trying {ip}:{}...\n", u.port));
    }
    let p = env.net.probe(&ip, Proto::Tcp, u.port);
    let comm = match &p.outcome {
        Outcome::Answered { comm, .. } => comm.clone(),
        // Accepted by the kernel for a frozen program: nothing ever comes back.
        Outcome::Stalled { .. } => String::new(),
        Outcome::Reset => {
            if !quiet_err {
                o.err(0, "curl: (56) Recv failure: Connection reset by peer\n");
            }
            return o.end(0, 56);
        }
        _ => {
            let (t, _) = connect_failure(&p);
            if let Some(ms) = max_time.filter(|ms| ms * 1_000_000 < t) {
                if !quiet_err {
                    o.err(
                        ms * 1_000_000,
                        format!(
                            "curl: (28) Failed to connect to {} port {} after {} ms: Timeout was reached\n",
                            u.host,
                            u.port,
                            ms + 1
                        ),
                    );
                }
                return o.end(ms * 1_000_000, 28);
            }
            // Since curl 7.67 a connect(2) that times out (ETIMEDOUT) is error 28.
            let (code, why) = if t == SYN_TIMEOUT {
                (28, "Timeout was reached")
            } else {
                (7, "Couldn't connect to server")
            };
            if !quiet_err {
                o.err(
                    t,
                    format!(
                        "curl: ({code}) Failed to connect to {} port {} after {} ms: {why}\n",
                        u.host,
                        u.port,
                        t / 1_000_000
                    ),
                );
            }
            return o.end(t, code);
        }
    };
    let t = 2_000_000;
    access_log(&mut o, env, &p, t, &u.path, "curl/7.88.1");
    if verbose {
        o.err(0, format!("* Connected to {} ({ip}) port {} (#0)\n> GET {} HTTP/1.1\n> Host: {}\n> User-Agent: curl/7.88.1\n> Accept: */*\n> \n", u.host, u.port, u.path, if u.port == 80 { u.host.clone() } else { format!("{}:{}", u.host, u.port) }));
    }
    match answer(env, &p, &comm, &u.path) {
        Http::Page(code, reason, server, body) => {
            if fail && code >= 400 {
                if !quiet_err {
                    o.err(
                        t,
                        format!("curl: (22) The requested URL returned error: {code}\n"),
                    );
                }
                return o.end(t, 22);
            }
            let headers = http_headers(code, reason, &server, body.len(), env.net.now);
            if head {
                o.out(t, headers);
            } else {
                if include {
                    o.out(t, headers);
                }
                o.out(t, body);
            }
            o.end(t, 0)
        }
        Http::Other(_) => {
            if !quiet_err {
                o.err(t, "curl: (1) Received HTTP/0.9 when not allowed\n");
            }
            o.end(t, 1)
        }
        Http::Silent => {
            let limit = max_time.map(|ms| ms * 1_000_000).unwrap_or(300 * SEC);
            if !quiet_err {
                o.err(limit, format!("curl: (28) Operation timed out after {} milliseconds with 0 bytes received\n", limit / 1_000_000 + 1));
            }
            o.end(limit, 28)
        }
    }
}

// ---- nc ----

/// What a server answers to a raw client that sends `input`.
fn raw_answer(comm: &str, input: &str, now: crate::time::Time) -> String {
    match comm {
        "redis-server" => input
            .lines()
            .map(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                match words.first().map(|w| w.to_ascii_uppercase()).as_deref() {
                    Some("PING") => "+PONG\r\n".to_string(),
                    Some("ECHO") if words.len() > 1 => {
                        format!("${}\r\n{}\r\n", words[1].len(), words[1])
                    }
                    Some("SET") if words.len() > 2 => "+OK\r\n".to_string(),
                    Some("GET") if words.len() > 1 => "$-1\r\n".to_string(),
                    Some("QUIT") => "+OK\r\n".to_string(),
                    Some(c) => format!(
                        "-ERR unknown command '{}', with args beginning with: \r\n",
                        c.to_ascii_lowercase()
                    ),
                    None => String::new(),
                }
            })
            .collect(),
        "mysqld" => mysql_greeting(),
        _ => {
            let first = input.lines().next().unwrap_or("");
            if let Some(rest) = first.strip_prefix("GET ") {
                let path = rest.split_whitespace().next().unwrap_or("/");
                match http_answer(comm, path) {
                    Http::Page(code, reason, server, body) => {
                        format!(
                            "{}{body}",
                            http_headers(code, reason, &server, body.len(), now)
                        )
                    }
                    Http::Other(s) => s,
                    Http::Silent => String::new(),
                }
            } else if comm == "nginx" && !input.is_empty() {
                let body = "<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx/1.27.2</center>\r\n</body>\r\n</html>\r\n";
                format!(
                    "{}{body}",
                    http_headers(400, "Bad Request", "nginx/1.27.2", body.len(), now)
                )
            } else {
                String::new()
            }
        }
    }
}

fn nc(env: &Env<'_>, args: &[String]) -> NetOut {
    let host_nc = env.flavour == Flavour::Host;
    let mut o = NetOut::default();
    let (mut listen, mut zero, mut verbose, mut udp) = (false, false, false, false);
    let mut port_opt: Option<String> = None;
    let mut wait: Option<u64> = None;
    let mut pos = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a.starts_with('-') && a.len() > 1 {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                match chars[j] {
                    'l' => listen = true,
                    'k' | 'n' | 'N' | '4' => {}
                    'z' => zero = true,
                    'v' => verbose = true,
                    'u' => udp = true,
                    'p' | 'w' | 's' | 'i' | 'q' => {
                        let rest: String = chars[j + 1..].iter().collect();
                        let v = if rest.is_empty() {
                            i += 1;
                            args.get(i).cloned().unwrap_or_default()
                        } else {
                            rest
                        };
                        match chars[j] {
                            'p' => port_opt = Some(v),
                            'w' => wait = v.parse().ok(),
                            _ => {}
                        }
                        j = chars.len();
                        continue;
                    }
                    c => {
                        if host_nc {
                            o.err(0, format!("nc: invalid option -- '{c}'\nusage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n"));
                        } else {
                            o.err(0, format!("nc: invalid option -- '{c}'\nBusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n"));
                        }
                        return o.end(0, 1);
                    }
                }
                j += 1;
            }
        } else {
            pos.push(a.to_string());
        }
        i += 1;
    }
    let proto = if udp { Proto::Udp } else { Proto::Tcp };
    if listen {
        let port: Option<u16> = port_opt
            .as_deref()
            .or(pos.last().map(String::as_str))
            .and_then(|p| p.parse().ok());
        let Some(port) = port else {
            o.err(0, "nc: bad port spec ''\n");
            return o.end(0, 1);
        };
        if env.net.port_in_use(proto, port) {
            o.err(
                0,
                if host_nc {
                    "nc: Address already in use\n".to_string()
                } else {
                    "nc: bind: Address in use\n".to_string()
                },
            );
            return o.end(0, 1);
        }
        if verbose {
            o.err(0, format!("listening on [::]:{port} ...\n"));
        }
        o.listens.push((0, proto, port, "nc".into()));
        return o.forever();
    }
    let (Some(host), Some(port)) = (pos.first(), pos.get(1).and_then(|p| p.parse::<u16>().ok()))
    else {
        o.err(0, "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n");
        return o.end(0, 1);
    };
    let ip = match resolve(env, host) {
        Resolved::Ip(ip) => ip,
        _ if host_nc => {
            o.err(
                0,
                format!(
                    "nc: getaddrinfo for host \"{host}\" port {port}: Name or service not known\n"
                ),
            );
            return o.end(0, 1);
        }
        _ => {
            o.err(0, format!("nc: bad address '{host}'\n"));
            return o.end(0, 1);
        }
    };
    let p = env.net.probe(&ip, proto, port);
    let comm = match &p.outcome {
        Outcome::Answered { comm, .. } => Some(comm.clone()),
        Outcome::Stalled { .. } => Some(String::new()),
        Outcome::Reset => Some(String::new()),
        _ => None,
    };
    let Some(comm) = comm else {
        let (t, why) = connect_failure(&p);
        let t = match wait {
            Some(w) if w * SEC < t => w * SEC,
            _ => t,
        };
        let why = if t < SYN_TIMEOUT && why == "Connection timed out" {
            "Operation timed out"
        } else {
            why
        };
        if host_nc {
            o.err(
                t,
                format!("nc: connect to {host} ({ip}) port {port} (tcp) failed: {why}\n"),
            );
        } else if zero && verbose {
            o.err(t, format!("nc: {host} ({ip}:{port}): {why}\n"));
        } else if !zero {
            o.err(
                t,
                format!("nc: can't connect to remote host ({ip}): {why}\n"),
            );
        }
        return o.end(t, 1);
    };
    if zero {
        if verbose {
            if host_nc {
                o.err(
                    0,
                    format!("Connection to {host} ({ip}) {port} port [tcp/*] succeeded!\n"),
                );
            } else {
                o.err(0, format!("{host} ({ip}:{port}) open\n"));
            }
        }
        return o.end(1_000_000, 0);
    }
    if let Outcome::Answered {
        comm: c,
        pid: Some(pid),
        ..
    } = &p.outcome
    {
        // What a listening nc receives, it prints.
        if c == "nc" && !env.stdin.is_empty() {
            o.deliveries
                .push((1_000_000, *pid, Stream::Stdout, env.stdin.to_string()));
        }
    }
    let reply = raw_answer(&comm, env.stdin, env.net.now);
    o.out(1_000_000, reply);
    o.end(1_000_000, 0)
}

// ---- DNS tools ----

fn nslookup(env: &Env<'_>, args: &[String]) -> NetOut {
    let mut o = NetOut::default();
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(name) = pos.first() else {
        o.err(0, "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n");
        return o.end(0, 1);
    };
    let server = pos
        .get(1)
        .map(|s| s.to_string())
        .unwrap_or_else(|| nameservers(&env.resolv)[0].clone());
    if let Some(ip) = hosts_lookup(&env.hosts, name)
        .filter(|_| pos.get(1).is_none() && env.flavour != Flavour::Busybox)
    {
        o.out(
            0,
            format!(
                "Server:\t\t{server}\nAddress:\t{server}#53\n\nName:\t{name}\nAddress: {ip}\n\n"
            ),
        );
        return o.end(0, 0);
    }
    match env.net.dns(&server, name) {
        DnsAnswer::Addrs(a) => {
            let mut s = format!(
                "Server:\t\t{server}\nAddress:\t{server}:53\n\nNon-authoritative answer:\n"
            );
            for ip in a {
                s.push_str(&format!("Name:\t{name}\nAddress: {ip}\n"));
            }
            s.push('\n');
            if server == simnet::EMBEDDED_DNS && env.net.net.world_address(name).is_none() {
                // BusyBox asks for AAAA too; the embedded server has no IPv6 address
                // for a container on an IPv4-only network.
                s.push_str(&format!(
                    "Non-authoritative answer:\n*** Can't find {name}: No answer\n\n"
                ));
            }
            o.out(0, s);
            o.end(1_000_000, 0)
        }
        DnsAnswer::NxDomain => {
            o.out(0, format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n** server can't find {name}: NXDOMAIN\n\n** server can't find {name}: NXDOMAIN\n\n"));
            o.end(1_000_000, 1)
        }
        DnsAnswer::NoServer => {
            o.out(
                15 * SEC,
                ";; connection timed out; no servers could be reached\n\n",
            );
            o.end(15 * SEC, 1)
        }
    }
}

fn getent(env: &Env<'_>, args: &[String]) -> NetOut {
    let mut o = NetOut::default();
    match (args.first().map(String::as_str), args.get(1)) {
        (Some("hosts" | "ahosts" | "ahostsv4"), Some(name)) => match resolve(env, name) {
            Resolved::Ip(ip) => {
                o.out(0, format!("{ip:<15} {name}\n"));
                o.end(0, 0)
            }
            _ => o.end(0, 2),
        },
        (Some(db), _) if !matches!(db, "hosts" | "ahosts" | "ahostsv4") => {
            o.err(0, format!("Unknown database: {db}\nTry `getent --help' or `getent --usage' for more information.\n"));
            o.end(0, 1)
        }
        _ => o.end(0, 0),
    }
}

/// BusyBox `netstat [-tulnap]`: the namespace's sockets (listening ones with -l or -a).
fn netstat(env: &Env<'_>, args: &[String]) -> NetOut {
    let mut o = NetOut::default();
    let opts: String = args
        .iter()
        .filter(|a| a.starts_with('-'))
        .map(|a| &a[1..])
        .collect();
    let listening = opts.contains('l') || opts.contains('a');
    let (tcp, udp) = match (opts.contains('t'), opts.contains('u')) {
        (false, false) => (true, true),
        x => x,
    };
    let progs = opts.contains('p');
    let mut s = format!(
        "Active Internet connections {}\nProto Recv-Q Send-Q Local Address           Foreign Address         State       {}\n",
        if listening && !opts.contains('a') {
            "(only servers)"
        } else {
            "(servers and established)"
        },
        if progs { "PID/Program name" } else { "" }
    );
    if listening {
        for l in env.net.net.listeners(env.net.netns) {
            if (l.proto == "tcp" && !tcp) || (l.proto == "udp" && !udp) {
                continue;
            }
            let state = if l.proto == "tcp" { "LISTEN" } else { "" };
            s.push_str(&format!(
                "{}   {:>6} {:>6} {:<23} {:<23} {state:<12}{}\n",
                l.proto,
                0,
                0,
                format!("0.0.0.0:{}", l.port),
                "0.0.0.0:*",
                // The process's PID as this namespace numbers it is not known here.
                if progs { "-" } else { "" }
            ));
        }
    }
    o.out(0, s);
    o.end(0, 0)
}

/// BusyBox httpd: `-f` stays in the foreground; `-p [IP:]PORT` (80 by default). Without
/// `-f` the real one forks into the background; here it stays in the foreground too.
fn httpd(env: &Env<'_>, args: &[String]) -> NetOut {
    let mut o = NetOut::default();
    let mut port: u16 = 80;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "-p" {
            i += 1;
            let v = args.get(i).cloned().unwrap_or_default();
            port = v
                .rsplit(':')
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or(80);
        } else if let Some(v) = args[i].strip_prefix("-p") {
            port = v.parse().unwrap_or(80);
        }
        i += 1;
    }
    if env.net.port_in_use(Proto::Tcp, port) {
        o.err(0, "httpd: bind: Address in use\n");
        return o.end(0, 1);
    }
    o.listens.push((0, Proto::Tcp, port, "httpd".into()));
    o.forever()
}

/// `python3 -m http.server [PORT]`.
pub fn python_http(env: &Env<'_>, args: &[String]) -> NetOut {
    let mut o = NetOut::default();
    let port: u16 = args
        .iter()
        .skip(2)
        .find(|a| !a.starts_with('-'))
        .and_then(|p| p.parse().ok())
        .unwrap_or(8000);
    if env.net.port_in_use(Proto::Tcp, port) {
        o.err(0, ("Traceback (most recent call last):\n  File \"<frozen runpy>\", line 198, in _run_module_as_main\n  File \"/usr/local/lib/python3.12/socketserver.py\", line 473, in server_bind\n    self.socket.bind(self.server_address)\nOSError: [Errno 98] Address already in use\n").to_string());
        return o.end(0, 1);
    }
    o.out(
        0,
        format!("Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...\n"),
    );
    o.listens.push((0, Proto::Tcp, port, "python3".into()));
    o.forever()
}

/// A server's bind(2) at start (nginx on 80, redis on 6379, mysqld on 3306 and 33060):
/// the error it prints when the port is taken in its namespace, or None.
pub fn bind_conflict(net: Option<&NetView<'_>>, comm: &str, ports: &[u16]) -> Option<String> {
    let net = net?;
    let taken = ports.iter().find(|p| net.port_in_use(Proto::Tcp, **p))?;
    Some(match comm {
        "nginx" => format!("nginx: [emerg] bind() to 0.0.0.0:{taken} failed (98: Address already in use)\n"),
        "redis-server" => format!("1:M 05 Jan 2026 09:00:00.000 # Warning: Could not create server TCP listening socket *:{taken}: bind: Address already in use\n1:M 05 Jan 2026 09:00:00.000 # Failed listening on port {taken} (tcp), aborting.\n"),
        _ => "[ERROR] [MY-010262] [Server] Can't start server: Bind on TCP/IP port: Address already in use\n".to_string(),
    })
}

// ---- the host ----

/// `host …` for the networking programs; None when the program is not one of them.
pub fn host_run(
    net: &simnet::SimNet,
    argv: &[String],
    now: crate::time::Time,
) -> Option<(String, String, i32)> {
    host_run_in(net, simnet::HOST_NETNS, argv, now)
}

/// The host's programs run in network namespace `netns` (`nsenter -t PID -n ip addr`:
/// the host's binaries and files, the container's interfaces, routes and sockets).
pub fn host_run_in(
    net: &simnet::SimNet,
    netns: u64,
    argv: &[String],
    now: crate::time::Time,
) -> Option<(String, String, i32)> {
    host_run_with_deliveries(net, netns, argv, now).map(|(o, e, c, _)| (o, e, c))
}

/// What a host program printed, its exit code, and what its peers print because of it
/// (a server's access log): offset, host PID, stream, text.
pub type HostRun = (String, String, i32, Vec<(u64, u32, Stream, String)>);

/// [`host_run_in`], with the peers' output for the kernel to deliver.
pub fn host_run_with_deliveries(
    net: &simnet::SimNet,
    netns: u64,
    argv: &[String],
    now: crate::time::Time,
) -> Option<HostRun> {
    let name = argv.first()?.as_str();
    let args = &argv[1..];
    let env = Env {
        net: NetView {
            net,
            netns,
            container: None,
            now,
            pid: 0,
        },
        hosts: "127.0.0.1 localhost\n127.0.1.1 porthole\n".into(),
        resolv: format!("nameserver {}\n", simnet::HOST_RESOLVER),
        flavour: Flavour::Host,
        stdin: "",
    };
    let collect = |o: NetOut| {
        let (mut out, mut err) = (String::new(), String::new());
        for (_, s, t) in o.output {
            match s {
                Stream::Stdout => out.push_str(&t),
                Stream::Stderr => err.push_str(&t),
            }
        }
        (out, err, o.exit.unwrap_or(0), o.deliveries)
    };
    let plain = |(o, e, c): (String, String, i32)| (o, e, c, Vec::new());
    Some(match name {
        "ping" => {
            // Without -c, the host's ping would run until ^C: Porthole shows four.
            let mut a = args.to_vec();
            if !a.iter().any(|x| x.starts_with("-c")) {
                a.splice(0..0, ["-c".to_string(), "4".to_string()]);
            }
            collect(ping(&env, &a))
        }
        "curl" => collect(curl(&env, args)),
        "wget" => collect(wget(&env, args)),
        "nc" | "netcat" => collect(nc(&env, args)),
        "getent" => collect(getent(&env, args)),
        "ip" => plain(host_ip(net, netns, args)),
        "iptables" => plain(host_iptables(net, args)),
        "ss" => plain(host_ss(net, netns, args)),
        "bridge" => plain(host_bridge(net, args)),
        "brctl" => plain(host_brctl(net, args)),
        _ => return None,
    })
}

fn flags(net: &simnet::SimNet, i: &simnet::Iface) -> (String, &'static str) {
    let carrier = net.has_carrier(i);
    let mut f: Vec<&str> = Vec::new();
    if i.kind == simnet::IfKind::Loopback {
        f.push("LOOPBACK");
    } else {
        if !carrier && i.up {
            f.push("NO-CARRIER");
        }
        f.extend(["BROADCAST", "MULTICAST"]);
    }
    if i.up {
        f.push("UP");
        if carrier {
            f.push("LOWER_UP");
        }
    }
    let state = match (&i.kind, carrier) {
        (simnet::IfKind::Loopback, _) => "UNKNOWN",
        (_, true) => "UP",
        _ => "DOWN",
    };
    (f.join(","), state)
}

fn ip_name(i: &simnet::Iface) -> String {
    match i.kind {
        simnet::IfKind::Veth { peer_index, .. } => format!("{}@if{peer_index}", i.name),
        _ => i.name.clone(),
    }
}

/// iproute2's `ip addr|link|route` in the host's namespace.
fn host_ip(net: &simnet::SimNet, netns: u64, args: &[String]) -> (String, String, i32) {
    let Some(ns) = net.namespace(netns) else {
        return (String::new(), String::new(), 1);
    };
    let object = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
        .unwrap_or("");
    let mut out = String::new();
    let link = |i: &simnet::Iface| {
        let (f, state) = flags(net, i);
        let qdisc = match i.kind {
            simnet::IfKind::Uplink => "fq_codel",
            _ => "noqueue",
        };
        let master = i
            .master
            .as_ref()
            .map(|m| format!("master {m} "))
            .unwrap_or_default();
        let qlen = match i.kind {
            simnet::IfKind::Loopback | simnet::IfKind::Uplink => " qlen 1000",
            _ => " ",
        };
        let mut s = format!("{}: {}: <{f}> mtu {} qdisc {qdisc} {master}state {state} mode DEFAULT group default{qlen}\n", i.index, ip_name(i), i.mtu);
        if i.kind == simnet::IfKind::Loopback {
            s.push_str("    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n");
        } else {
            let nsid = match i.kind {
                simnet::IfKind::Veth { peer_ns, .. } => net
                    .nsid(peer_ns)
                    .map(|n| format!(" link-netnsid {n}"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            s.push_str(&format!(
                "    link/ether {} brd ff:ff:ff:ff:ff:ff{nsid}\n",
                i.mac
            ));
        }
        s
    };
    match object {
        "" | "a" | "addr" | "address" => {
            for i in ns.ifaces.values() {
                out.push_str(&link(i).replace(" mode DEFAULT", ""));
                if let Some((a, p)) = i.addr {
                    let (brd, scope, extra) = match i.kind {
                        simnet::IfKind::Loopback => (String::new(), "host", ""),
                        simnet::IfKind::Uplink => (
                            format!("brd {} ", fmt_ip(a | !mask(p))),
                            "global",
                            "dynamic ",
                        ),
                        _ => (format!("brd {} ", fmt_ip(a | !mask(p))), "global", ""),
                    };
                    let lft = if i.kind == simnet::IfKind::Uplink {
                        "86313sec"
                    } else {
                        "forever"
                    };
                    out.push_str(&format!("    inet {}/{p} {brd}scope {scope} {extra}{}\n       valid_lft {lft} preferred_lft {lft}\n", fmt_ip(a), i.name));
                }
            }
        }
        "l" | "link" => {
            for i in ns.ifaces.values() {
                out.push_str(&link(i));
            }
        }
        "r" | "route" | "ro" => {
            for r in ns.routes.iter().filter(|r| r.prefix == 0) {
                if let (Some(v), Some(i)) = (r.via, ns.ifaces.get(&r.dev)) {
                    if i.kind != simnet::IfKind::Uplink {
                        out.push_str(&format!("default via {} dev {} \n", fmt_ip(v), i.name));
                        continue;
                    }
                    out.push_str(&format!(
                        "default via {} dev {} proto dhcp src {} metric 100 \n",
                        fmt_ip(v),
                        i.name,
                        simnet::HOST_ADDR
                    ));
                }
            }
            for i in ns
                .ifaces
                .values()
                .filter(|i| i.kind != simnet::IfKind::Loopback)
            {
                if let Some((a, p)) = i.addr {
                    let down = if net.has_carrier(i) { "" } else { " linkdown" };
                    let metric = if i.kind == simnet::IfKind::Uplink {
                        " metric 100"
                    } else {
                        ""
                    };
                    let proto = if i.kind == simnet::IfKind::Uplink {
                        "dhcp"
                    } else {
                        "kernel"
                    };
                    out.push_str(&format!(
                        "{}/{p} dev {} proto {proto} scope link src {}{metric}{down} \n",
                        fmt_ip(a & mask(p)),
                        i.name,
                        fmt_ip(a)
                    ));
                    if i.kind == simnet::IfKind::Uplink {
                        out.push_str(&format!(
                            "{} dev {} proto dhcp scope link src {} metric 100 \n",
                            simnet::HOST_RESOLVER,
                            i.name,
                            fmt_ip(a)
                        ));
                    }
                }
            }
        }
        other => {
            return (
                String::new(),
                format!("Object \"{other}\" is unknown, try \"ip help\".\n"),
                1,
            );
        }
    }
    (out, String::new(), 0)
}

fn mask(p: u8) -> u32 {
    if p == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(p.min(32)))
    }
}

fn host_iptables(net: &simnet::SimNet, args: &[String]) -> (String, String, i32) {
    let mut table = "filter".to_string();
    let mut list_rules = false;
    let mut list = false;
    let mut chain: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-t" | "--table" => {
                i += 1;
                table = args.get(i).cloned().unwrap_or_default();
            }
            "-S" | "--list-rules" => list_rules = true,
            "-L" | "--list" => list = true,
            "-n" | "-v" | "--numeric" | "--line-numbers" | "-nL" | "-Ln" => {
                if args[i].contains('L') {
                    list = true;
                }
            }
            a if !a.starts_with('-') && chain.is_none() => chain = Some(a.to_string()),
            a => {
                return (String::new(), format!("iptables v1.8.10 (nf_tables): unknown option \"{a}\"\nTry `iptables -h' or 'iptables --help' for more information.\n"), 2);
            }
        }
        i += 1;
    }
    if !matches!(table.as_str(), "filter" | "nat" | "raw" | "mangle") {
        return (String::new(), format!("iptables v1.8.10 (nf_tables): table '{table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n"), 3);
    }
    if list_rules {
        let rules = net.rules(&table);
        let out: String = rules
            .into_iter()
            .filter(|r| match &chain {
                Some(c) => r.split_whitespace().nth(1) == Some(c.as_str()),
                None => true,
            })
            .map(|r| r + "\n")
            .collect();
        return (out, String::new(), 0);
    }
    if list {
        let mut out = String::new();
        let chains = net.chains(&table);
        let mut first = true;
        for simnet::ChainInfo {
            name: c,
            policy,
            references: refs,
            rules,
        } in chains
        {
            if chain.as_ref().is_some_and(|x| *x != c) {
                continue;
            }
            if !first {
                out.push('\n');
            }
            first = false;
            match policy {
                Some(p) => out.push_str(&format!("Chain {c} (policy {p})\n")),
                None => out.push_str(&format!("Chain {c} ({refs} references)\n")),
            }
            out.push_str("target     prot opt source               destination         \n");
            for r in rules {
                out.push_str(&list_line(&r));
            }
        }
        return (out, String::new(), 0);
    }
    (String::new(), "iptables v1.8.10 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n".into(), 2)
}

/// One rule as `iptables -L -n` lists it.
fn list_line(args: &[String]) -> String {
    let (mut target, mut prot, mut opt) = (String::new(), "all".to_string(), "--".to_string());
    let (mut src, mut dst) = ("0.0.0.0/0".to_string(), "0.0.0.0/0".to_string());
    let mut extra = Vec::new();
    let mut neg = false;
    let mut i = 0;
    let _ = &mut opt;
    while i < args.len() {
        let a = args[i].as_str();
        let v = args.get(i + 1).cloned().unwrap_or_default();
        let bang = if neg { "!" } else { "" };
        match a {
            "!" => {
                neg = true;
                i += 1;
                continue;
            }
            "-j" => {
                target = v;
                i += 1;
            }
            "-p" => {
                prot = v;
                i += 1;
            }
            "-s" => {
                src = format!("{bang}{}", v.trim_end_matches("/32"));
                i += 1;
            }
            "-d" => {
                dst = format!("{bang}{}", v.trim_end_matches("/32"));
                i += 1;
            }
            "--dport" => {
                extra.push(format!("{prot} dpt:{v}"));
                i += 1;
            }
            "--dst-type" => {
                extra.push(format!("ADDRTYPE match dst-type {v}"));
                i += 1;
            }
            "--ctstate" => {
                extra.push(format!("ctstate {v}"));
                i += 1;
            }
            "--to-destination" => {
                extra.push(format!("to:{v}"));
                i += 1;
            }
            "-i" | "-o" | "-m" => i += 1,
            _ => {}
        }
        neg = false;
        i += 1;
    }
    // iptables pads the destination column and prints the matches after it.
    format!(
        "{target:<10} {prot:<4} {opt:<3} {src:<20} {dst:<20} {}\n",
        extra.join(" ")
    )
}

fn host_ss(net: &simnet::SimNet, netns: u64, args: &[String]) -> (String, String, i32) {
    let opts: String = args
        .iter()
        .filter(|a| a.starts_with('-') && !a.starts_with("--"))
        .map(|a| &a[1..])
        .collect();
    let (tcp, udp) = match (opts.contains('t'), opts.contains('u')) {
        (false, false) => (true, true),
        x => x,
    };
    let procs = opts.contains('p');
    // (proto, port, address, comm, pid): the programs' sockets, then docker-proxy's.
    let mut socks: Vec<(String, u16, String, String, u32)> = Vec::new();
    for l in net.listeners(netns) {
        socks.push((
            l.proto.clone(),
            l.port,
            "0.0.0.0".into(),
            l.comm.clone(),
            l.pid,
        ));
        if l.comm == "nginx" {
            // The image's entrypoint enables `listen [::]:80` as well.
            socks.push((
                l.proto.clone(),
                l.port,
                "[::]".into(),
                l.comm.clone(),
                l.pid,
            ));
        }
    }
    let proxies = if netns == simnet::HOST_NETNS {
        net.proxies()
    } else {
        Vec::new()
    };
    for (addr, proto, port, _, _) in proxies {
        let a = if addr == 0 {
            "0.0.0.0".to_string()
        } else {
            fmt_ip(addr)
        };
        socks.push((proto.name().into(), port, a, "docker-proxy".into(), 0));
        if addr == 0 {
            // dockerd publishes on IPv6 too, with a second proxy.
            socks.push((
                proto.name().into(),
                port,
                "[::]".into(),
                "docker-proxy".into(),
                0,
            ));
        }
    }
    socks.sort_by(|a, b| {
        (a.0.as_str(), a.2.starts_with('['), a.1).cmp(&(b.0.as_str(), b.2.starts_with('['), b.1))
    });
    let mut out =
        String::from("State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n");
    for (proto, port, addr, comm, pid) in socks {
        if (proto == "tcp" && !tcp) || (proto == "udp" && !udp) {
            continue;
        }
        // Send-Q of a listening socket is its backlog, as each program asks for it.
        let backlog = match comm.as_str() {
            "nginx" | "redis-server" => 511,
            "mysqld" => 151,
            "python3" => 5,
            "nc" => 1,
            _ => 4096,
        };
        let users = match (procs, pid) {
            (false, _) => String::new(),
            (true, 0) => format!("users:((\"{comm}\",fd=4))"),
            (true, pid) => format!("users:((\"{comm}\",pid={pid},fd=6))"),
        };
        let state = if proto == "tcp" { "LISTEN" } else { "UNCONN" };
        let peer = if addr.starts_with('[') {
            "[::]"
        } else {
            "0.0.0.0"
        };
        out.push_str(&format!(
            "{state:<6} 0      {backlog:<6} {addr:>13}:{:<6} {peer:>10}:{:<5}{users}\n",
            port.to_string(),
            "*"
        ));
    }
    (
        out.lines()
            .map(|l| l.trim_end().to_string() + "\n")
            .collect(),
        String::new(),
        0,
    )
}

fn host_bridge(net: &simnet::SimNet, args: &[String]) -> (String, String, i32) {
    if !matches!(args.first().map(String::as_str), Some("link" | "l") | None) {
        return (
            String::new(),
            format!("Object \"{}\" is unknown, try \"bridge help\".\n", args[0]),
            255,
        );
    }
    let mut out = String::new();
    if let Some(ns) = net.namespace(simnet::HOST_NETNS) {
        for i in ns.ifaces.values().filter(|i| i.master.is_some()) {
            let (f, _) = flags(net, i);
            out.push_str(&format!(
                "{}: {}: <{f}> mtu {} master {} state forwarding priority 32 cost 2 \n",
                i.index,
                ip_name(i),
                i.mtu,
                i.master.as_deref().unwrap_or("")
            ));
        }
    }
    (out, String::new(), 0)
}

fn host_brctl(net: &simnet::SimNet, _args: &[String]) -> (String, String, i32) {
    let mut out = String::from("bridge name\tbridge id\t\tSTP enabled\tinterfaces\n");
    if let Some(ns) = net.namespace(simnet::HOST_NETNS) {
        for b in ns
            .ifaces
            .values()
            .filter(|i| i.kind == simnet::IfKind::Bridge)
        {
            let ports: Vec<&str> = ns
                .ifaces
                .values()
                .filter(|p| p.master.as_deref() == Some(&b.name))
                .map(|p| p.name.as_str())
                .collect();
            let id = format!("8000.{}", b.mac.replace(':', ""));
            let name = if b.name.len() < 8 {
                format!("{}\t\t", b.name)
            } else {
                format!("{}\t", b.name)
            };
            out.push_str(&format!(
                "{name}{id}\tno\t\t{}\n",
                ports.first().copied().unwrap_or("")
            ));
            for p in ports.iter().skip(1) {
                out.push_str(&format!("\t\t\t\t\t\t\t{p}\n"));
            }
        }
    }
    (out, String::new(), 0)
}

/// Builds a container program's environment from its view: /etc/hosts and
/// /etc/resolv.conf as its file system has them.
pub fn env_for<'a>(
    net: NetView<'a>,
    fs: &crate::fs::Fs<'_>,
    busybox: bool,
    stdin: &'a str,
) -> Env<'a> {
    let read = |p: &str| match fs.resolve(p).map(|(_, f)| f.node.kind.clone()) {
        Some(crate::fs::NodeKind::File {
            content: Some(c), ..
        }) => c.to_string(),
        _ => String::new(),
    };
    Env {
        net,
        hosts: read("/etc/hosts"),
        resolv: read("/etc/resolv.conf"),
        flavour: if busybox {
            Flavour::Busybox
        } else {
            Flavour::Gnu
        },
        stdin,
    }
}
