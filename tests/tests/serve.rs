//! `porthole serve` driven by the real docker CLI (28.x, /usr/local/bin/docker or the
//! one on PATH): outputs and exit codes as against a real dockerd, and the same script
//! printing the same as `porthole sim` prints (the CLI is the oracle for formatting).
//!
//! Needs `target/<profile>/porthole` (`cargo xtask test` builds it) and the docker CLI;
//! without the CLI the test fails and says so (Debian's docker.io provides one).

use porthole_tests::{porthole_bin, TempDir};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn docker_cli() -> PathBuf {
    for p in ["/usr/local/bin/docker", "/usr/bin/docker"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!("the docker CLI is needed (install Debian's docker.io or put docker 28.x on PATH)");
}

/// A `porthole serve` on a socket in a temporary directory, stopped when dropped.
struct Daemon {
    child: Child,
    socket: PathBuf,
    _dir: TempDir,
}

impl Daemon {
    fn start() -> Daemon {
        Daemon::start_with(&[])
    }

    fn start_with(extra: &[&str]) -> Daemon {
        let dir = TempDir::new("serve");
        let socket = dir.path().join("porthole.sock");
        let child = Command::new(porthole_bin())
            .args(["serve", "--socket"])
            .arg(&socket)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("porthole serve starts");
        let t = Instant::now();
        while !socket.exists() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "porthole serve did not create {}",
                socket.display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Daemon {
            child,
            socket,
            _dir: dir,
        }
    }

    fn docker(&self, args: &[&str]) -> Output {
        Command::new(docker_cli())
            .args(args)
            .env("DOCKER_HOST", format!("unix://{}", self.socket.display()))
            .env("DOCKER_CONFIG", self._dir.path())
            .env_remove("DOCKER_CONTEXT")
            .stdin(Stdio::null())
            .output()
            .expect("the docker CLI runs")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_real_cli_drives_porthole_serve() {
    let d = Daemon::start();
    let v = d.docker(&[
        "version",
        "--format",
        "{{.Server.Version}} {{.Server.APIVersion}}",
    ]);
    assert_eq!(out(&v), "28.2.2 1.47\n", "{}", err(&v));
    let ps = d.docker(&["ps"]);
    assert_eq!(
        out(&ps),
        "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"
    );
    // run -d: 404 on create, the CLI pulls, creates again, waits and starts.
    let run = d.docker(&["run", "-d", "--name", "web", "-p", "8080:80", "nginx"]);
    assert_eq!(run.status.code(), Some(0), "{}", err(&run));
    let id = out(&run).trim().to_string();
    assert_eq!(id.len(), 64, "{id}");
    assert!(
        err(&run).contains("Unable to find image 'nginx:latest' locally"),
        "{}",
        err(&run)
    );
    assert!(
        err(&run).contains("Status: Downloaded newer image for nginx:latest"),
        "{}",
        err(&run)
    );
    let ps = d.docker(&["ps", "--format", "{{.ID}} {{.Image}} {{.Ports}} {{.Names}}"]);
    assert_eq!(
        out(&ps),
        format!(
            "{} nginx 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp web\n",
            &id[..12]
        )
    );
    let ip = d.docker(&[
        "inspect",
        "-f",
        "{{.State.Status}} {{.NetworkSettings.IPAddress}}",
        "web",
    ]);
    assert_eq!(out(&ip), "running 172.17.0.2\n", "{}", err(&ip));
    let logs = d.docker(&["logs", "web"]);
    assert!(
        out(&logs).contains("/docker-entrypoint.sh: Configuration complete; ready for start up"),
        "{}",
        out(&logs)
    );
    assert!(
        err(&logs).contains("[notice] 1#1: start worker processes"),
        "{}",
        err(&logs)
    );
    // Errors in Docker's words, with its exit codes, and nothing changed.
    let rm = d.docker(&["rm", "web"]);
    assert_eq!(rm.status.code(), Some(1));
    assert!(err(&rm).contains("Error response from daemon: cannot remove container \"/web\": container is running: stop the container before removing or force remove"), "{}", err(&rm));
    let dup = d.docker(&["run", "-d", "--name", "web", "nginx"]);
    assert_eq!(dup.status.code(), Some(125));
    assert!(
        err(&dup).contains("Conflict. The container name \"/web\" is already in use by container"),
        "{}",
        err(&dup)
    );
    let bad = d.docker(&["run", "-d", "--memory", "1k", "nginx"]);
    assert_eq!(bad.status.code(), Some(125));
    assert!(
        err(&bad)
            .contains("docker: Error response from daemon: Minimum memory limit allowed is 6MB"),
        "{}",
        err(&bad)
    );
    let nosuch = d.docker(&["inspect", "nosuch"]);
    assert_eq!(nosuch.status.code(), Some(1));
    assert_eq!(err(&nosuch), "Error: No such object: nosuch\n");
    let ps = d.docker(&["ps", "-aq"]);
    assert_eq!(
        out(&ps),
        format!("{}\n", &id[..12]),
        "a failed run left nothing"
    );
    // stop, then rm; a second stop is 304 and still succeeds.
    let stop = d.docker(&["stop", "web"]);
    assert_eq!(
        (stop.status.code(), out(&stop)),
        (Some(0), "web\n".into()),
        "{}",
        err(&stop)
    );
    let again = d.docker(&["stop", "web"]);
    assert_eq!(again.status.code(), Some(0), "{}", err(&again));
    let ps = d.docker(&["ps", "-a", "--format", "{{.Status}}"]);
    assert!(out(&ps).starts_with("Exited (0) "), "{}", out(&ps));
    let rm = d.docker(&["rm", "web"]);
    assert_eq!(
        (rm.status.code(), out(&rm)),
        (Some(0), "web\n".into()),
        "{}",
        err(&rm)
    );
    // A container exits on the daemon's clock.
    let short = d.docker(&["run", "-d", "--name", "short", "busybox", "sleep", "1"]);
    assert_eq!(short.status.code(), Some(0), "{}", err(&short));
    let t = Instant::now();
    loop {
        let ps = d.docker(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"]);
        if out(&ps).starts_with("short Exited (0) ") {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "`sleep 1` never exited: {}",
            out(&ps)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // A foreground run: attach (hijacked, multiplexed frames), wait, start; the CLI
    // exits with the container's status; --rm removes it.
    let fg = d.docker(&[
        "run",
        "--name",
        "fg",
        "busybox",
        "sh",
        "-c",
        "echo out; echo err >&2; exit 3",
    ]);
    assert_eq!(
        (fg.status.code(), out(&fg), err(&fg)),
        (Some(3), "out\n".into(), "err\n".into())
    );
    let rm = d.docker(&["run", "--rm", "busybox", "sh", "-c", "sleep 1; echo late"]);
    assert_eq!(
        (rm.status.code(), out(&rm)),
        (Some(0), "late\n".into()),
        "{}",
        err(&rm)
    );
    let ps = d.docker(&["ps", "-a", "--format", "{{.Names}}"]);
    assert!(out(&ps).lines().any(|l| l == "fg"), "{}", out(&ps));
    assert_eq!(
        out(&ps).lines().count(),
        2,
        "--rm removed its container: {}",
        out(&ps)
    );
    // exec: create, start (hijacked), inspect for the exit code.
    let r = d.docker(&["run", "-d", "--name", "ex", "busybox", "sleep", "1000"]);
    assert_eq!(r.status.code(), Some(0), "{}", err(&r));
    let ex = d.docker(&["exec", "ex", "sh", "-c", "echo e; echo x >&2; exit 4"]);
    assert_eq!(
        (ex.status.code(), out(&ex), err(&ex)),
        (Some(4), "e\n".into(), "x\n".into())
    );
    let host = d.docker(&["exec", "ex", "cat", "/etc/hostname"]);
    assert_eq!(out(&host).trim().len(), 12, "{}", out(&host));
    let none = d.docker(&["exec", "nosuch", "ls"]);
    assert_eq!(none.status.code(), Some(1));
    assert_eq!(
        err(&none),
        "Error response from daemon: No such container: nosuch\n"
    );
    let r = d.docker(&["rm", "-f", "ex"]);
    assert_eq!(r.status.code(), Some(0), "{}", err(&r));
    // top: the table back as Titles and Processes, which the CLI lays out again.
    let r = d.docker(&["run", "-d", "--name", "tp", "busybox", "sleep", "1000"]);
    assert_eq!(r.status.code(), Some(0), "{}", err(&r));
    let top = d.docker(&["top", "tp"]);
    assert_eq!(top.status.code(), Some(0), "{}", err(&top));
    let lines: Vec<String> = out(&top).lines().map(str::to_string).collect();
    assert!(
        lines[0].starts_with("UID") && lines[0].trim_end().ends_with("CMD"),
        "{lines:?}"
    );
    assert!(lines[1].trim_end().ends_with("sleep 1000"), "{lines:?}");
    // events: a window of the past, as the CLI formats it.
    let ev = d.docker(&[
        "events",
        "--since",
        "10m",
        "--until",
        "0s",
        "--filter",
        "type=container",
        "--filter",
        "container=fg",
        "--format",
        "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}",
    ]);
    assert_eq!(ev.status.code(), Some(0), "{}", err(&ev));
    assert!(
        out(&ev).starts_with("container create fg\ncontainer attach fg\n")
            || out(&ev).starts_with("container create fg\n"),
        "{}",
        out(&ev)
    );
    assert!(out(&ev).contains("container die fg\n"), "{}", out(&ev));
    // Many clients at once against one engine: every run lands, with distinct names.
    let clients: Vec<_> = (0..8)
        .map(|i| {
            let socket = d.socket.clone();
            let config = d._dir.path().to_path_buf();
            std::thread::spawn(move || {
                Command::new(docker_cli())
                    .args([
                        "run",
                        "-d",
                        "--name",
                        &format!("c{i}"),
                        "busybox",
                        "sleep",
                        "100",
                    ])
                    .env("DOCKER_HOST", format!("unix://{}", socket.display()))
                    .env("DOCKER_CONFIG", config)
                    .output()
                    .expect("the docker CLI runs")
            })
        })
        .collect();
    for c in clients {
        let o = c.join().expect("a client thread");
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    }
    let ps = d.docker(&["ps", "--format", "{{.Names}}"]);
    let mut names: Vec<String> = out(&ps).lines().map(|l| l.trim().to_string()).collect();
    names.sort();
    let mut want: Vec<String> = (0..8).map(|i| format!("c{i}")).collect();
    want.push("tp".into());
    want.sort();
    assert_eq!(names, want);
}

/// The differential test: a script run by `porthole sim` prints what the real CLI
/// prints against `porthole serve` with the same seed — IDs, table layouts, column
/// widths, messages, exit codes. (Columns of relative times are left out: the CLI
/// compares with the wall clock, `porthole sim` with its virtual one.)
#[test]
fn porthole_sim_prints_what_the_real_cli_prints() {
    let d = Daemon::start();
    let script: &[&[&str]] = &[
        &["pull", "-q", "busybox"],
        &["pull", "-q", "nginx"],
        &[
            "images",
            "--format",
            "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Size}}",
        ],
        &["run", "-d", "--name", "one", "busybox", "sleep", "1000"],
        &[
            "run", "-d", "--name", "two", "-p", "8080:80", "-e", "A=1", "nginx",
        ],
        &[
            "ps",
            "--format",
            "table {{.ID}}\t{{.Names}}\t{{.Image}}\t{{.Command}}\t{{.Ports}}",
        ],
        &[
            "inspect",
            "-f",
            "{{.Name}} {{.Config.Image}} {{.State.Running}} {{.Config.Env}}",
            "two",
        ],
        &["rm", "one"],
        &["rm", "nosuch"],
        &["stop", "one"],
        &["rm", "one"],
        &["inspect", "nosuch"],
        &["run", "-d", "--name", "x", "--cpus", "99", "busybox"],
        &[
            "network",
            "create",
            "--driver",
            "bridge",
            "--subnet",
            "182.18.0.1/24",
            "--gateway",
            "182.18.0.1",
            "wp-mysql-network",
        ],
        &[
            "network",
            "create",
            "--driver",
            "bridge",
            "--subnet",
            "182.18.0.0/24",
            "--gateway",
            "182.18.0.1",
            "wp-mysql-network",
        ],
        &["network", "ls"],
        &["volume", "create", "data"],
        &["volume", "ls"],
        &[
            "run",
            "-d",
            "--name",
            "db",
            "-v",
            "data:/var/lib/data",
            "--network",
            "wp-mysql-network",
            "busybox",
            "sleep",
            "1000",
        ],
        &["volume", "rm", "data"],
        &["network", "rm", "wp-mysql-network"],
        &["network", "rm", "bridge"],
        &[
            "image",
            "history",
            "--format",
            "{{.ID}}\t{{.CreatedBy}}\t{{.Size}}",
            "busybox",
        ],
        &["tag", "busybox", "mybox:1"],
        &["tag", "busybox", "Bad:Ref"],
        &["rmi", "mybox:1"],
        &["rmi", "nginx"],
        &[
            "stats",
            "--no-stream",
            "--format",
            "{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.NetIO}} {{.PIDs}}",
        ],
    ];
    let quote = |w: &str| {
        if w.contains(' ') || w.contains('{') || w.contains('\t') {
            format!("'{w}'")
        } else {
            w.to_string()
        }
    };
    let mut sim_args: Vec<String> = vec!["sim".into()];
    let (mut real_stdout, mut real_stderr, mut last) = (String::new(), Vec::new(), None);
    for cmd in script {
        sim_args.push("-c".into());
        sim_args.push(format!(
            "docker {}",
            cmd.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
        ));
        let real = d.docker(cmd);
        real_stdout.push_str(&out(&real));
        real_stderr.push((cmd, err(&real)));
        last = real.status.code();
    }
    let sim = Command::new(porthole_bin())
        .args(&sim_args)
        .output()
        .expect("porthole sim runs");
    let sim_stdout = String::from_utf8_lossy(&sim.stdout).into_owned();
    assert_eq!(
        sim_stdout, real_stdout,
        "porthole sim (left) and the real CLI against porthole serve (right) differ"
    );
    let sim_stderr = String::from_utf8_lossy(&sim.stderr).into_owned();
    for (cmd, e) in &real_stderr {
        for line in e.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                sim_stderr.contains(line),
                "{cmd:?}: the real CLI printed {line:?}, porthole sim did not:\n{sim_stderr}"
            );
        }
    }
    assert_eq!(sim.status.code(), last, "the last command's exit code");
}

/// A free TCP port on loopback (bound and released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// GET over plain HTTP/1.0 (the body after the headers).
fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let t = Instant::now();
    loop {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n");
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf);
            return buf
                .split_once("\r\n\r\n")
                .map(|(_, b)| b.to_string())
                .unwrap_or_default();
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "nothing listens on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The page follows a daemon by replaying its log: the same seed and the same command
/// lines at the same virtual times reach the same state, digest for digest. The TCP
/// listener also takes `docker -H tcp://…`.
#[test]
fn a_follower_replaying_the_log_reaches_the_daemons_state() {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let d = Daemon::start_with(&["--http", &addr, "--seed", "7"]);
    for cmd in [
        &["run", "-d", "--name", "web", "-p", "8080:80", "nginx"][..],
        &["network", "create", "n1"],
        &[
            "run",
            "-d",
            "--name",
            "db",
            "--network",
            "n1",
            "-v",
            "data:/data",
            "busybox",
            "sleep",
            "5",
        ],
        &[
            "exec",
            "web",
            "sh",
            "-c",
            "echo hi > /usr/share/nginx/html/x",
        ],
        &["stop", "web"],
    ] {
        let o = d.docker(cmd);
        assert_eq!(o.status.code(), Some(0), "{cmd:?}: {}", err(&o));
    }
    // The same API over TCP.
    let tcp = Command::new(docker_cli())
        .args([
            "-H",
            &format!("tcp://{addr}"),
            "ps",
            "-a",
            "--format",
            "{{.Names}}",
        ])
        .env("DOCKER_CONFIG", d._dir.path())
        .output()
        .expect("the docker CLI runs");
    assert_eq!(out(&tcp), "db\nweb\n", "{}", err(&tcp));
    let log: serde_json::Value =
        serde_json::from_str(&http_get(port, "/porthole/log?digest=1")).expect("the log is JSON");
    assert_eq!(log["seed"], 7);
    let entries = log["entries"].as_array().expect("entries");
    assert!(entries.len() >= 5, "{log}");
    let mut e = porthole_engine::Engine::sim(7);
    for x in entries {
        let at = porthole_engine::Time(x["at"].as_u64().expect("at"));
        e.execute(x["line"].as_str().expect("line"), at);
    }
    e.advance(porthole_engine::Time(log["now"].as_u64().expect("now")));
    assert_eq!(
        Some(e.digest().as_str()),
        log["digest"].as_str(),
        "the replay differs"
    );
    // from=N gives only what is new.
    let tail: serde_json::Value = serde_json::from_str(&http_get(
        port,
        &format!("/porthole/log?from={}", log["next"]),
    ))
    .expect("JSON");
    assert_eq!(tail["entries"].as_array().map(Vec::len), Some(0), "{tail}");
}

/// `docker build` (the classic builder, DOCKER_BUILDKIT=0) sends the context as a tar;
/// the daemon builds it with the engine's builder, and a rebuild uses the cache; a
/// private registry takes the image with `docker push`.
#[test]
fn build_and_push_through_the_api() {
    let d = Daemon::start();
    let ctx = TempDir::new("serve-build");
    std::fs::write(
        ctx.path().join("Dockerfile"),
        "FROM busybox\nRUN echo hi > /hi\nCOPY a.txt /a.txt\nCMD [\"cat\", \"/a.txt\"]\n",
    )
    .expect("a Dockerfile");
    std::fs::write(ctx.path().join("a.txt"), "content\n").expect("a file");
    let build = |d: &Daemon| {
        Command::new(docker_cli())
            .args(["build", "-t", "localhost:5000/app"])
            .arg(ctx.path())
            .env("DOCKER_HOST", format!("unix://{}", d.socket.display()))
            .env("DOCKER_CONFIG", d._dir.path())
            .env("DOCKER_BUILDKIT", "0")
            .output()
            .expect("the docker CLI runs")
    };
    let b = build(&d);
    assert_eq!(b.status.code(), Some(0), "{}", err(&b));
    assert!(
        out(&b).contains("Step 2/4 : RUN echo hi > /hi\n ---> Running in "),
        "{}",
        out(&b)
    );
    assert!(
        out(&b).contains("Successfully tagged localhost:5000/app:latest"),
        "{}",
        out(&b)
    );
    let again = build(&d);
    assert_eq!(
        out(&again).matches(" ---> Using cache").count(),
        3,
        "{}",
        out(&again)
    );
    let run = d.docker(&["run", "--rm", "localhost:5000/app"]);
    assert_eq!(out(&run), "content\n", "{}", err(&run));
    // No registry yet: the push fails as Docker's does.
    let p = d.docker(&["push", "localhost:5000/app"]);
    assert_eq!(p.status.code(), Some(1));
    assert!(err(&p).contains("connection refused"), "{}", err(&p));
    let r = d.docker(&[
        "run",
        "-d",
        "-p",
        "5000:5000",
        "--name",
        "registry",
        "registry:2",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", err(&r));
    std::thread::sleep(Duration::from_millis(300));
    let p = d.docker(&["push", "localhost:5000/app"]);
    assert_eq!(p.status.code(), Some(0), "{}", err(&p));
    assert!(
        out(&p).contains("The push refers to repository [localhost:5000/app]"),
        "{}",
        out(&p)
    );
    assert!(out(&p).contains(": Pushed"), "{}", out(&p));
    assert!(out(&p).contains("latest: digest: sha256:"), "{}", out(&p));
}

/// The load test: 50 docker CLI clients at once, 20 commands each, against one daemon;
/// every command succeeds and the state at the end is exactly what they asked for.
#[test]
fn fifty_clients_twenty_commands_each() {
    let d = Daemon::start();
    let r = d.docker(&["pull", "-q", "busybox"]);
    assert_eq!(r.status.code(), Some(0), "{}", err(&r));
    let socket = d.socket.clone();
    let config = d._dir.path().to_path_buf();
    let clients: Vec<_> = (0..50)
        .map(|c| {
            let (socket, config) = (socket.clone(), config.clone());
            std::thread::spawn(move || {
                let docker = |args: &[&str]| {
                    Command::new(docker_cli())
                        .args(args)
                        .env("DOCKER_HOST", format!("unix://{}", socket.display()))
                        .env("DOCKER_CONFIG", &config)
                        .output()
                        .expect("the docker CLI runs")
                };
                let mut failures = Vec::new();
                // 5 × (run, inspect, ps) + 3 rm + 2 stop = 20 commands.
                for k in 0..5 {
                    let name = format!("c{c}x{k}");
                    for args in [
                        vec![
                            "run",
                            "-d",
                            "--name",
                            name.as_str(),
                            "busybox",
                            "sleep",
                            "1000",
                        ],
                        vec!["inspect", "-f", "{{.Name}}", name.as_str()],
                        vec!["ps", "-q", "--filter", "status=running"],
                    ] {
                        let o = docker(&args);
                        if o.status.code() != Some(0) {
                            failures.push(format!("{args:?}: {}", err(&o)));
                        } else if args[0] == "inspect" && out(&o) != format!("/{name}\n") {
                            failures.push(format!("{args:?} printed {}", out(&o)));
                        }
                    }
                }
                for k in 0..3 {
                    let name = format!("c{c}x{k}");
                    let o = docker(&["rm", "-f", &name]);
                    if out(&o) != format!("{name}\n") {
                        failures.push(format!("rm -f {name}: {}{}", out(&o), err(&o)));
                    }
                }
                for k in 3..5 {
                    let name = format!("c{c}x{k}");
                    let o = docker(&["stop", "-t", "0", &name]);
                    if out(&o) != format!("{name}\n") {
                        failures.push(format!("stop {name}: {}{}", out(&o), err(&o)));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = clients
        .into_iter()
        .flat_map(|t| t.join().expect("a client thread"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures: {:#?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let ps = d.docker(&["ps", "-a", "--format", "{{.Names}} {{.State}}"]);
    let mut rows: Vec<String> = out(&ps).lines().map(str::to_string).collect();
    rows.sort();
    let mut want: Vec<String> = (0..50)
        .flat_map(|c| (3..5).map(move |k| format!("c{c}x{k} exited")))
        .collect();
    want.sort();
    assert_eq!(rows, want, "nothing lost, nothing extra");
}
