//! The `porthole` binary: output, traces and exit codes as a user sees them.

use std::process::{Command, Output};

fn porthole(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_porthole"));
    cmd.args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("porthole runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(input);
    child.wait_with_output().expect("porthole exits")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn sim_trace_of_docker_run() {
    let o = porthole(
        &["sim", "--trace", "-c", "docker run --rm busybox echo hello"],
        None,
    );
    assert!(o.status.success());
    insta::assert_snapshot!(text(&o.stdout));
    assert!(text(&o.stderr).starts_with("Unable to find image 'busybox:latest' locally\n"));
}

#[test]
fn sim_script_from_stdin_with_digest() {
    let script = "# a comment\n\ndocker run -d --name web busybox sleep 100\ndocker ps --format '{{.Names}}: {{.Status}}'\ndocker rm web\n";
    let a = porthole(&["sim", "--seed", "5", "--digest"], Some(script));
    let b = porthole(&["sim", "--seed", "5", "--digest"], Some(script));
    assert_eq!(a.stdout, b.stdout, "same seed, same output and digest");
    let out = text(&a.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[0].len(), 64, "the container ID");
    assert_eq!(lines[1], "web: Up 1 second");
    assert!(lines[2].starts_with("digest: ") && lines[2].len() == "digest: ".len() + 64);
    assert!(text(&a.stderr).ends_with("Error response from daemon: cannot remove container \"/web\": container is running: stop the container before removing or force remove\n"));
    assert_eq!(a.status.code(), Some(1), "the last command's status");
    let c = porthole(&["sim", "--seed", "6", "--digest"], Some(script));
    assert_ne!(
        text(&c.stdout).lines().next(),
        lines.first().copied(),
        "another seed, another ID"
    );
}

#[test]
fn exit_status_is_the_last_commands() {
    let o = porthole(&["sim", "-c", "docker run busybox sh -c 'exit 3'"], None);
    assert_eq!(o.status.code(), Some(3));
    let o = porthole(
        &["sim", "-c", "docker run nosuch", "-c", "docker ps --foo"],
        None,
    );
    assert_eq!(o.status.code(), Some(125));
    let o = porthole(&["sim", "-c", "docker ps --foo", "-c", "docker ps"], None);
    assert_eq!(o.status.code(), Some(0), "it goes on after an error");
}

#[test]
fn native_says_it_is_not_available_without_the_feature() {
    let o = porthole(&["native", "-c", "docker ps"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("native Linux backend is not available"));
}

/// On a terminal, with no FILE and no -c, `porthole sim` is an interactive prompt.
/// util-linux's `script` gives it a pseudo-terminal.
#[test]
fn interactive_prompt_on_a_terminal() {
    use std::io::Write;
    let script = std::path::Path::new("/usr/bin/script");
    assert!(
        script.exists(),
        "this test needs util-linux's `script` at /usr/bin/script to give porthole a terminal"
    );
    let cmd = format!("{} sim --seed 3", env!("CARGO_BIN_EXE_porthole"));
    let mut child = Command::new(script)
        .args(["-qfec", &cmd, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script runs");
    // Type each line once the previous output is on the screen: like a person, and
    // because switching the terminal to raw mode discards input typed ahead.
    let mut input = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    let screen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let reader = {
        let screen = screen.clone();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let wait_for = |needle: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !screen.lock().unwrap().replace('\r', "").contains(needle) {
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting for {needle:?}: {}",
                screen.lock().unwrap()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    wait_for("$ ");
    input
        .write_all(b"docker run --rm busybox echo hello\n")
        .expect("type");
    wait_for("\nhello\n");
    input.write_all(b"docker ps -a\n").expect("type");
    wait_for("NAMES\n");
    // History: up, up, Enter runs the first command again.
    input.write_all(b"\x1b[A").expect("up");
    wait_for("docker ps -a");
    let typed = || {
        screen
            .lock()
            .unwrap()
            .matches("docker run --rm busybox echo hello")
            .count()
    };
    let before = typed();
    input.write_all(b"\x1b[A").expect("up");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while typed() == before {
        assert!(
            std::time::Instant::now() < deadline,
            "the second ↑ did not recall the first command"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    input.write_all(b"\n").expect("enter");
    let hellos = || {
        screen
            .lock()
            .unwrap()
            .replace('\r', "")
            .matches("\nhello\n")
            .count()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while hellos() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "history did not re-run the first command: {}",
            screen.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    input.write_all(b"\x04").expect("Ctrl-D");
    drop(input);
    let status = child.wait().expect("exits");
    reader.join().expect("reader");
    let out = std::process::Output {
        status,
        stdout: screen.lock().unwrap().clone().into_bytes(),
        stderr: Vec::new(),
    };
    let text = text(&out.stdout).replace('\r', "");
    assert!(
        text.contains("Porthole simulated Docker host (seed 3)"),
        "{text}"
    );
    assert!(text.contains("$ "), "a prompt: {text}");
    assert!(text.contains("\nhello\n"), "{text}");
    assert!(
        text.contains("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(0));
}
