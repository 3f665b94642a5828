//! The `porthole` binary as a user runs it: `porthole sim` with `-c`, a FILE or stdin,
//! `--seed`, `--digest` and `--trace`, and Docker's exit statuses.
//!
//! Needs `target/<profile>/porthole`: `cargo build -p porthole-native` (`cargo xtask test`
//! builds it before the tests).

use porthole_tests::{porthole_bin, TempDir};
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `porthole sim ARGS`, feeding `stdin` (or nothing: stdin is closed, not a terminal).
fn sim(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(porthole_bin())
        .arg("sim")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("porthole starts");
    {
        let mut input = child.stdin.take().expect("stdin is piped");
        if let Some(text) = stdin {
            input
                .write_all(text.as_bytes())
                .expect("porthole reads stdin");
        }
    }
    child.wait_with_output().expect("porthole runs to the end")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn code(o: &Output) -> i32 {
    o.status
        .code()
        .expect("porthole exits, not killed by a signal")
}

/// Everything about a run, for assertion messages.
fn show(o: &Output) -> String {
    format!(
        "exit status {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    )
}

/// The last line of stdout, which `--digest` makes `digest: <64 hex digits>`.
fn digest(o: &Output) -> String {
    let out = stdout(o);
    let last = out.lines().last().unwrap_or_default().to_string();
    let hex = last
        .strip_prefix("digest: ")
        .unwrap_or_else(|| panic!("the last line is not `digest: <hex>`:\n{}", show(o)));
    assert!(
        hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        "not a sha256 digest: {last:?}"
    );
    last
}

#[test]
fn run_echo_prints_hello_and_exits_0() {
    let o = sim(&["-c", "docker run --rm busybox echo hello"], None);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert_eq!(stdout(&o), "hello\n", "{}", show(&o));
    // The pull progress goes to stderr, as the real CLI writes it.
    assert!(
        stderr(&o).contains("Unable to find image 'busybox:latest' locally"),
        "{}",
        show(&o)
    );
}

#[test]
fn run_of_an_unknown_image_is_dockers_pull_error_and_125() {
    let o = sim(&["-c", "docker run nosuch"], None);
    assert_eq!(code(&o), 125, "{}", show(&o));
    let err = stderr(&o);
    assert!(
        err.contains("Unable to find image 'nosuch:latest' locally"),
        "{}",
        show(&o)
    );
    assert!(
        err.contains(
            "docker: Error response from daemon: pull access denied for nosuch, repository does \
             not exist or may require 'docker login': denied: requested access to the resource is \
             denied"
        ),
        "{}",
        show(&o)
    );
    assert_eq!(stdout(&o), "", "{}", show(&o));
}

const SCRIPT: &str = "\
# A lab script: comments and blank lines are skipped.

docker run --name first busybox echo one
   # an indented comment

docker run --rm busybox echo two
docker ps -a
";

#[test]
fn a_script_file_runs_line_by_line_skipping_comments_and_blank_lines() {
    let dir = TempDir::new("cli-script");
    let file = dir.path().join("lab.txt");
    std::fs::write(&file, SCRIPT).unwrap();
    let o = sim(&[file.to_str().unwrap()], None);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "the output of the three commands, nothing from comments:\n{}",
        show(&o)
    );
    assert_eq!(lines[..2], ["one", "two"], "{}", show(&o));
    assert!(
        lines[2].starts_with("CONTAINER ID") && lines[2].ends_with("NAMES"),
        "docker ps -a prints its header:\n{}",
        show(&o)
    );
    assert!(
        lines[3].contains("Exited (0)") && lines[3].ends_with("first"),
        "docker ps -a lists the exited container, not the --rm one:\n{}",
        show(&o)
    );
}

#[test]
fn stdin_runs_the_same_script_as_a_file() {
    let dir = TempDir::new("cli-stdin");
    let file = dir.path().join("lab.txt");
    std::fs::write(&file, SCRIPT).unwrap();
    let from_file = sim(&["--seed", "3", "--digest", file.to_str().unwrap()], None);
    let from_stdin = sim(&["--seed", "3", "--digest"], Some(SCRIPT));
    assert_eq!(code(&from_stdin), 0, "{}", show(&from_stdin));
    assert_eq!(
        stdout(&from_stdin),
        stdout(&from_file),
        "stdin and FILE give the same output and digest"
    );
    assert_eq!(stderr(&from_stdin), stderr(&from_file));
}

#[test]
fn the_same_seed_gives_the_same_digest_and_another_seed_other_ids() {
    let args = |seed: &'static str| {
        [
            "--seed",
            seed,
            "--digest",
            "-c",
            "docker run -d busybox sleep 100",
            "-c",
            "docker ps --no-trunc -q",
        ]
    };
    let a = sim(&args("7"), None);
    let b = sim(&args("7"), None);
    let c = sim(&args("8"), None);
    for o in [&a, &b, &c] {
        assert_eq!(code(o), 0, "{}", show(o));
    }
    assert_eq!(digest(&a), digest(&b), "same seed, same commands");
    assert_eq!(stdout(&a), stdout(&b), "same seed, same output");
    assert_ne!(digest(&a), digest(&c), "another seed, another state");

    // `run -d` prints the full container ID, `ps -q --no-trunc` prints it again.
    let id = |o: &Output| stdout(o).lines().next().unwrap_or_default().to_string();
    let (id7, id8) = (id(&a), id(&c));
    for (o, id) in [(&a, &id7), (&c, &id8)] {
        assert!(
            id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "run -d prints a 64-digit container ID:\n{}",
            show(o)
        );
        assert_eq!(stdout(o).lines().nth(1), Some(id.as_str()), "{}", show(o));
    }
    assert_ne!(id7, id8, "another seed gives other container IDs");
}

#[test]
fn trace_prints_numbered_steps_with_component_and_reason() {
    let o = sim(
        &["--trace", "-c", "docker run --rm busybox echo hello"],
        None,
    );
    assert_eq!(code(&o), 0, "{}", show(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("hello"), "{}", show(&o));
    let mut components = Vec::new();
    let mut n = 0;
    for line in lines {
        n += 1;
        // `  12. [component] what happened — why`
        let (num, rest) = line
            .trim_start()
            .split_once(". [")
            .unwrap_or_else(|| panic!("step line {n} is not `N. [component] …`: {line:?}"));
        assert_eq!(num, n.to_string(), "steps are numbered 1, 2, 3…: {line:?}");
        let (component, text) = rest
            .split_once("] ")
            .unwrap_or_else(|| panic!("no `[component] `: {line:?}"));
        let (what, why) = text
            .split_once(" — ")
            .unwrap_or_else(|| panic!("no ` — ` before the reason: {line:?}"));
        assert!(
            !what.trim().is_empty() && !why.trim().is_empty(),
            "{line:?}"
        );
        if !components.contains(&component) {
            components.push(component);
        }
    }
    assert!(
        n > 20,
        "a docker run with a pull takes more than 20 steps, got {n}"
    );
    for c in [
        "cli",
        "api",
        "registry",
        "dockerd",
        "containerd",
        "shim",
        "runc",
        "kernel",
    ] {
        assert!(
            components.contains(&c),
            "no step by {c}; components: {components:?}"
        );
    }
}

#[test]
fn the_exit_status_is_the_last_commands() {
    let o = sim(&["-c", r#"docker run busybox sh -c "exit 3""#], None);
    assert_eq!(code(&o), 3, "{}", show(&o));

    let o = sim(&["-c", "docker ps --foo"], None);
    assert_eq!(code(&o), 125, "{}", show(&o));
    assert!(stderr(&o).contains("unknown flag: --foo"), "{}", show(&o));

    let o = sim(
        &[
            "-c",
            "docker run nosuch",
            "-c",
            "docker run --rm busybox true",
        ],
        None,
    );
    assert_eq!(code(&o), 0, "a failure before a success: {}", show(&o));

    let o = sim(
        &[
            "-c",
            "docker run --rm busybox true",
            "-c",
            "docker ps --foo",
        ],
        None,
    );
    assert_eq!(code(&o), 125, "a success before a failure: {}", show(&o));
}

#[test]
fn host_settings_shape_the_simulated_machine() {
    let o = sim(
        &[
            "--host-cpus",
            "2",
            "--host-memory",
            "2g",
            "--cgroup-version",
            "1",
            "-c",
            "docker run --rm --cpus 3 busybox true",
            "-c",
            "host nproc",
            "-c",
            "docker info --format '{{.NCPU}} {{.MemTotal}} {{.CgroupVersion}}'",
        ],
        None,
    );
    assert!(
        stderr(&o).contains("docker: Error response from daemon: range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).ends_with("2\n2 2147483648 1\n"),
        "{}",
        stdout(&o)
    );
    let bad = sim(&["--host-memory", "1x", "-c", "docker ps"], None);
    assert_eq!(code(&bad), 2);
    assert!(
        stderr(&bad)
            .contains("invalid value '1x' for '--host-memory <HOST_MEMORY>': invalid suffix: 'x'"),
        "{}",
        stderr(&bad)
    );
}

/// `docker run` at 09:00:01 (sleep 5 ends at 09:00:06), `wait 10s` at 09:00:02 runs the
/// clock to 09:00:12, `docker ps` at 09:00:13: exited 7 seconds ago.
#[test]
fn wait_lets_virtual_time_pass() {
    let o = sim(
        &[
            "-c",
            "docker run -d --name napper busybox sleep 5",
            "-c",
            "wait 10s",
            "-c",
            "docker ps -a --format '{{.Names}} {{.Status}}'",
        ],
        None,
    );
    assert!(
        stdout(&o).ends_with("napper Exited (0) 7 seconds ago\n"),
        "{}",
        stdout(&o)
    );
}
