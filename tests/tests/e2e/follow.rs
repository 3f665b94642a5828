//! The page following a `porthole serve` daemon: served by `porthole serve --http`, the
//! backend switch (`button#backend-switch`) makes the page replay the daemon's command
//! log, so a command the real docker CLI sends appears in the terminal with its steps.

use super::harness::{dist_dir, Browser, Context, Result};
use super::{blocks, ensure, steps, within_limit};
use porthole_tests::{porthole_bin, TempDir};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn docker_cli() -> Result<&'static str> {
    ["/usr/local/bin/docker", "/usr/bin/docker"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .ok_or_else(|| "the docker CLI is needed (Debian's docker.io provides one)".to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_follows_the_daemon_the_docker_cli_drives() {
    let b = Browser::start().await.unwrap_or_else(|e| panic!("{e}"));
    let outcome = within_limit(follow(&b)).await;
    b.finish(outcome, Some("e2e-follow.png")).await;
}

async fn follow(b: &Browser) -> Result<()> {
    let dir = TempDir::new("e2e-serve");
    let socket = dir.path().join("porthole.sock");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .context("a free port")?;
    let mut daemon = Command::new(porthole_bin())
        .arg("serve")
        .arg("--socket")
        .arg(&socket)
        .args(["--http", &format!("127.0.0.1:{port}"), "--dist"])
        .arg(dist_dir()?)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting porthole serve")?;
    let result = async {
        let t = Instant::now();
        while !socket.exists() {
            ensure(t.elapsed() < Duration::from_secs(20), || {
                "porthole serve made no socket".to_string()
            })?;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let url = format!("http://127.0.0.1:{port}/");
        b.client
            .goto(&url)
            .await
            .context(format!("opening {url}"))?;
        b.wait_for("button#backend-switch", |s| {
            s["backendSwitch"].as_bool().filter(|&x| x)
        })
        .await?;
        b.click("button#backend-switch").await?;
        let docker = docker_cli()?;
        let o = Command::new(docker)
            .args(["run", "-d", "--name", "web", "-p", "8080:80", "nginx"])
            .env("DOCKER_HOST", format!("unix://{}", socket.display()))
            .env("DOCKER_CONFIG", dir.path())
            .output()
            .context("running the docker CLI")?;
        ensure(o.status.success(), || {
            format!("docker run failed: {}", String::from_utf8_lossy(&o.stderr))
        })?;
        // The daemon applied `docker create … nginx` and `docker start <id>`: both show
        // up in the page's terminal, with the create's steps.
        let s = b
            .wait_for("the daemon's create and start in the terminal", |s| {
                let bl = blocks(s);
                (bl.iter()
                    .any(|x| x.line.contains("docker create") && x.line.contains("--name web"))
                    && bl.iter().any(|x| x.line.contains("docker start")))
                .then(|| s.clone())
            })
            .await?;
        ensure(steps(&s).iter().any(|st| st.component == "runc"), || {
            "the followed start has no runc steps".to_string()
        })?;
        Ok(())
    }
    .await;
    let _ = daemon.kill();
    let _ = daemon.wait();
    result
}
