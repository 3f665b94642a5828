//! `cargo xtask …`: Porthole's automation, in plain Rust with no dependencies.
//!
//! - `cargo xtask setup`: installs what this machine lacks to build and test the web app
//!   (wasm32 target, trunk, wasm-bindgen-cli, wasm-opt, Chromium, chromedriver, …) and
//!   skips what is there. Every other task runs it first.
//! - `cargo xtask serve [TRUNK ARGS…]`: the in-browser simulation on http://127.0.0.1:8080.
//! - `cargo xtask test [GROUP…]`: every check, stopping at the first failure; or only the
//!   named groups: fmt, clippy, native, wasm, e2e.
//! - `cargo xtask bench [ARGS…]`: the engine's benchmarks.
//!
//! docs/setup.md says what is installed and why. Every command that xtask runs finds
//! `.tools/node_modules/.bin` (wasm-opt from npm) first on its PATH.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The trunk that builds the web app (0.22 needs a newer rustc than the project's).
const TRUNK_VERSION: &str = "0.21.14";
/// wasm-opt from npm's binaryen: Debian's (108) and the wasm-opt crate's (116) cannot
/// read what wasm-bindgen 0.2.130 writes.
const BINARYEN_VERSION: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian packages: the browser and its WebDriver for the browser tests, hyperfine for
/// timing whole commands, a static busybox to compare the simulation against.
const DEBIAN_PACKAGES: [&str; 4] = ["chromium", "chromium-driver", "hyperfine", "busybox-static"];
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The script whose final state digest must be the same natively and in the browser.
const DETERMINISM_SCRIPT: &str = "frontend/tests/determinism-script.txt";
const TEST_GROUPS: [&str; 5] = ["fmt", "clippy", "native", "wasm", "e2e"];

const USAGE: &str = "\
usage: cargo xtask <task>

  setup              install what is missing (wasm32 target, trunk, wasm-bindgen-cli,
                     wasm-opt, chromium, chromedriver, hyperfine, busybox-static)
  serve [ARGS…]      setup, then the web app on http://127.0.0.1:8080 (trunk serve
                     --release --offline; ARGS go to trunk)
  test [GROUP…]      setup, then every check, stopping at the first failure; GROUPs
                     (any of fmt clippy native wasm e2e) run only those
  bench [ARGS…]      cargo bench -p porthole-engine (ARGS go to cargo bench)

See docs/setup.md.";

/// A failure, with the command that failed where there was one.
struct Failure(String);

type Result<T = ()> = std::result::Result<T, Failure>;

fn fail<T>(msg: impl Into<String>) -> Result<T> {
    Err(Failure(msg.into()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    prepare_env(&root);
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("xtask: cannot enter {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    let (task, rest) = match args.split_first() {
        Some((t, rest)) => (t.as_str(), rest),
        None => ("help", &[][..]),
    };
    let outcome = match task {
        "setup" => setup(&root),
        "serve" => setup(&root).and_then(|()| serve(rest)),
        "test" => test(&root, rest),
        "bench" => bench(rest),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("xtask: unknown task `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(msg)) => {
            eprintln!("\nxtask {task}: error: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask/'s parent.
fn repo_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

fn tools_dir(root: &Path) -> PathBuf {
    root.join(".tools")
}

fn npm_bin(root: &Path) -> PathBuf {
    tools_dir(root).join("node_modules").join(".bin")
}

/// Puts `.tools/node_modules/.bin` (and cargo's bin dir, where `cargo install` puts
/// trunk and wasm-bindgen) on PATH for every command xtask runs, and drops the
/// variables `cargo run` set for xtask itself so they do not leak into other builds.
fn prepare_env(root: &Path) {
    let mut path: Vec<PathBuf> = vec![npm_bin(root)];
    let old: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    path.extend(old.iter().cloned());
    if let Some(bin) = cargo_home.map(|h| h.join("bin")) {
        if !old.contains(&bin) {
            path.push(bin);
        }
    }
    if let Ok(joined) = std::env::join_paths(path) {
        std::env::set_var("PATH", joined);
    }
    let own: Vec<OsString> = std::env::vars_os()
        .map(|(k, _)| k)
        .filter(|k| {
            let k = k.to_string_lossy();
            k.starts_with("CARGO_PKG_")
                || k.starts_with("CARGO_MANIFEST_")
                || [
                    "CARGO_CRATE_NAME",
                    "CARGO_BIN_NAME",
                    "CARGO_PRIMARY_PACKAGE",
                ]
                .contains(&k.as_ref())
        })
        .collect();
    for k in own {
        std::env::remove_var(k);
    }
    // Trunk would look for a newer release of itself online.
    std::env::set_var("TRUNK_SKIP_VERSION_CHECK", "true");
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn cmd(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args);
    c
}

/// The command as a shell line, with the variables xtask set for it.
fn show(c: &Command) -> String {
    let mut s = String::new();
    for (k, v) in c.get_envs() {
        if let Some(v) = v {
            let _ = write!(
                s,
                "{}={} ",
                k.to_string_lossy(),
                quote(&v.to_string_lossy())
            );
        }
    }
    let program = c.get_program().to_string_lossy();
    let program = if c.get_program() == std::env::var_os("CARGO").unwrap_or_default() {
        "cargo".into()
    } else {
        program
    };
    s.push_str(&program);
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&quote(&a.to_string_lossy()));
    }
    s
}

fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Runs a command with the terminal's stdin/stdout/stderr; fails naming it.
fn run(c: &mut Command) -> Result {
    match c.status() {
        Ok(st) if st.success() => Ok(()),
        Ok(st) => fail(format!("`{}` failed ({st})", show(c))),
        Err(e) => fail(format!("cannot run `{}`: {e}", show(c))),
    }
}

/// The trimmed stdout of a command that succeeded, or None (also when it is missing).
fn read(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).stdin(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1}s")
    } else {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    }
}

// ---------------------------------------------------------------------------------------
// setup

fn ok(thing: &str, version: &str) {
    println!("ok {thing} {version}");
}

fn installing(thing: &str, note: &str) {
    println!("installing {thing}… {note}");
}

fn setup(root: &Path) -> Result {
    let start = Instant::now();
    println!("== setup: checking the tools (installing only what is missing)");
    rust_target()?;
    rust_components()?;
    debian_packages()?;
    wasm_opt(root)?;
    wasm_bindgen(root)?;
    trunk()?;
    println!("== setup done in {}\n", secs(start.elapsed()));
    Ok(())
}

fn rustc_version() -> String {
    read(&mut cmd("rustc", &["--version"])).unwrap_or_else(|| "rustc (version unknown)".into())
}

fn rust_target() -> Result {
    let Some(installed) = read(&mut cmd("rustup", &["target", "list", "--installed"])) else {
        return fail(format!(
            "`rustup target list --installed` failed: Porthole needs a rustup toolchain with the \
             {WASM_TARGET} target (https://rustup.rs)"
        ));
    };
    let thing = format!("{WASM_TARGET} target");
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        ok(&thing, &format!("(for {})", rustc_version()));
        return Ok(());
    }
    installing(&thing, "(rustup)");
    run(&mut cmd("rustup", &["target", "add", WASM_TARGET]))
}

fn rust_components() -> Result {
    for (component, probe) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
        match read(cargo().args([probe, "--version"])) {
            Some(v) => ok(component, v.trim_start_matches(component).trim()),
            None => {
                installing(component, "(rustup)");
                run(&mut cmd("rustup", &["component", "add", component]))?;
            }
        }
    }
    Ok(())
}

/// The installed version of a Debian package, from `dpkg -s`.
fn dpkg_version(package: &str) -> Option<String> {
    let status = read(&mut cmd("dpkg", &["-s", package]))?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
    };
    (field("Status:")?.ends_with("install ok installed"))
        .then(|| field("Version:"))
        .flatten()
}

fn is_root() -> bool {
    read(&mut cmd("id", &["-u"])).as_deref() == Some("0")
}

/// `apt-get ARGS`, through sudo when not root.
fn apt_get(args: &[&str]) -> Command {
    let mut c = if is_root() {
        cmd("apt-get", args)
    } else {
        let mut c = cmd("sudo", &["apt-get"]);
        c.args(args);
        c
    };
    c.env("DEBIAN_FRONTEND", "noninteractive");
    c
}

fn debian_packages() -> Result {
    let mut wanted: Vec<&str> = DEBIAN_PACKAGES.to_vec();
    // Node.js and npm install wasm-opt; use Debian's only if there are none.
    if read(&mut cmd("npm", &["--version"])).is_none() {
        wanted.extend(["nodejs", "npm"]);
    }
    // The real docker CLI drives `porthole serve` in the tests; any 28.x will do, and
    // Debian's docker.io provides one when there is none.
    match ["/usr/local/bin/docker", "/usr/bin/docker"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    {
        Some(p) => ok("docker CLI", p),
        None => wanted.push("docker.io"),
    }
    let mut missing = Vec::new();
    for p in wanted {
        match dpkg_version(p) {
            Some(v) => ok(p, &v),
            None => {
                installing(p, "(apt-get)");
                missing.push(p);
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let mut args = vec!["install", "-y"];
    args.extend(&missing);
    if run(&mut apt_get(&args)).is_ok() {
        return Ok(());
    }
    println!("apt-get install failed; updating the package lists and trying again");
    run(&mut apt_get(&["update"]))?;
    run(&mut apt_get(&args))
}

const TOOLS_PACKAGE_JSON: &str = r#"{
  "name": "porthole-tools",
  "private": true,
  "description": "Build tools from npm, installed by `cargo xtask setup`: wasm-opt from binaryen for trunk's release builds (see docs/setup.md).",
  "dependencies": {
    "binaryen": "132.0.0"
  }
}
"#;

fn wasm_opt(root: &Path) -> Result {
    let dir = tools_dir(root);
    let manifest = dir.join("package.json");
    if std::fs::read_to_string(&manifest).ok().as_deref() != Some(TOOLS_PACKAGE_JSON) {
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&manifest, TOOLS_PACKAGE_JSON))
            .or_else(|e| fail(format!("cannot write {}: {e}", manifest.display())))?;
    }
    let exe = npm_bin(root).join("wasm-opt");
    let version = || read(Command::new(&exe).arg("--version"));
    let wanted = format!("version_{BINARYEN_VERSION}");
    if let Some(v) = version().filter(|v| v.contains(&wanted)) {
        let v = v.trim_start_matches("wasm-opt version ");
        ok("wasm-opt", &format!("{v} (.tools/node_modules/.bin)"));
        return Ok(());
    }
    installing(
        "wasm-opt",
        &format!("(npm install binaryen@{BINARYEN_VERSION}.0.0 into .tools/)"),
    );
    run(cmd("npm", &["install", "--no-audit", "--no-fund"]).current_dir(&dir))?;
    match version() {
        Some(v) if v.contains(&wanted) => {
            ok("wasm-opt", v.trim_start_matches("wasm-opt version "));
            Ok(())
        }
        other => fail(format!(
            "{} --version says {other:?} after npm install, not {wanted}",
            exe.display()
        )),
    }
}

/// The versions of `package` in Cargo.lock.
fn locked_versions(root: &Path, package: &str) -> Result<Vec<String>> {
    let lock = root.join("Cargo.lock");
    let text = std::fs::read_to_string(&lock)
        .or_else(|e| fail(format!("cannot read {}: {e}", lock.display())))?;
    let name = format!("name = \"{package}\"");
    let mut lines = text.lines();
    let mut versions = Vec::new();
    while let Some(l) = lines.next() {
        if l.trim() == name {
            if let Some(v) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = "))
            {
                versions.push(v.trim_matches('"').to_string());
            }
        }
    }
    Ok(versions)
}

fn wasm_bindgen(root: &Path) -> Result {
    let versions = locked_versions(root, "wasm-bindgen")?;
    let version = match versions.as_slice() {
        [] => {
            ok(
                "wasm-bindgen-cli",
                "not needed: Cargo.lock pins no wasm-bindgen",
            );
            return Ok(());
        }
        [v] => v.clone(),
        many => {
            return fail(format!(
                "Cargo.lock has several wasm-bindgen versions ({}): the app needs exactly one, \
                 and wasm-bindgen-cli must equal it",
                many.join(", ")
            ))
        }
    };
    let want = |bin: &str| format!("{bin} {version}");
    let have = |bin: &str| read(&mut cmd(bin, &["--version"]));
    let cli = have("wasm-bindgen");
    let runner = have("wasm-bindgen-test-runner");
    if cli.as_deref() == Some(&want("wasm-bindgen"))
        && runner.as_deref() == Some(&want("wasm-bindgen-test-runner"))
    {
        ok(
            "wasm-bindgen-cli",
            &format!("{version} (as Cargo.lock pins)"),
        );
        return Ok(());
    }
    installing(
        "wasm-bindgen-cli",
        &format!(
            "{version} (Cargo.lock pins it; found {}) — cargo install, about 2 minutes",
            cli.as_deref().unwrap_or("none")
        ),
    );
    // Not --locked: its lock file wants a webpki-roots the registry mirror lacks.
    run(cargo().args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &version,
        "--force",
    ]))?;
    match have("wasm-bindgen") {
        Some(v) if v == want("wasm-bindgen") => {
            ok("wasm-bindgen-cli", &version);
            Ok(())
        }
        other => fail(format!(
            "after cargo install, `wasm-bindgen --version` says {other:?}, not {:?}: is another \
             wasm-bindgen earlier on PATH?",
            want("wasm-bindgen")
        )),
    }
}

fn trunk() -> Result {
    let want = format!("trunk {TRUNK_VERSION}");
    let have = || read(&mut cmd("trunk", &["--version"]));
    if let Some(v) = have().filter(|v| *v == want) {
        ok("trunk", v.trim_start_matches("trunk "));
        return Ok(());
    }
    installing(
        "trunk",
        &format!("{TRUNK_VERSION} — cargo install, about 7 minutes on 2 cores"),
    );
    run(cargo().args([
        "install",
        "trunk",
        "--locked",
        "--version",
        TRUNK_VERSION,
        "--force",
    ]))?;
    match have() {
        Some(v) if v == want => {
            ok("trunk", TRUNK_VERSION);
            Ok(())
        }
        other => fail(format!(
            "after cargo install, `trunk --version` says {other:?}, not {want:?}: is another \
             trunk earlier on PATH?"
        )),
    }
}

// ---------------------------------------------------------------------------------------
// serve, bench

fn serve(args: &[String]) -> Result {
    let mut c = cmd("trunk", &["serve", "--release", "--offline"]);
    let given = |flag: &str, short: &str| args.iter().any(|a| a.starts_with(flag) || a == short);
    if !given("--address", "-a") {
        c.args(["--address", "127.0.0.1"]);
    }
    if !given("--port", "-p") {
        c.args(["--port", "8080"]);
    }
    c.args(args);
    println!("== {}  (Ctrl-C stops it)", show(&c));
    run(&mut c)
}

fn bench(args: &[String]) -> Result {
    let mut c = cargo();
    c.args(["bench", "-p", "porthole-engine"]).args(args);
    println!("== {}", show(&c));
    run(&mut c)
}

// ---------------------------------------------------------------------------------------
// test

/// One check: a group name, what it is, and how to run it.
struct Step {
    group: &'static str,
    name: String,
    action: Action,
}

enum Action {
    Run(Command),
    /// `porthole sim --seed 7 --digest < frontend/tests/determinism-script.txt`, then
    /// the wasm tests compare the browser's digest with it.
    WasmTests,
}

impl Step {
    fn describe(&self) -> String {
        match &self.action {
            Action::Run(c) => show(c),
            Action::WasmTests => format!(
                "porthole sim --seed 7 --digest < {DETERMINISM_SCRIPT}; \
                 PORTHOLE_NATIVE_DIGEST=<digest> cargo test -p porthole-web --target {WASM_TARGET}"
            ),
        }
    }

    fn run(&mut self, root: &Path) -> Result {
        match &mut self.action {
            Action::Run(c) => run(c),
            Action::WasmTests => wasm_tests(root),
        }
    }
}

fn steps(root: &Path, groups: &[&str]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut add = |group: &'static str, name: &str, action: Action| {
        if groups.contains(&group) {
            steps.push(Step {
                group,
                name: name.to_string(),
                action,
            });
        }
    };
    let cargo_with = |args: &[&str]| {
        let mut c = cargo();
        c.args(args);
        c
    };
    add(
        "fmt",
        "rustfmt",
        Action::Run(cargo_with(&["fmt", "--all", "--", "--check"])),
    );
    // The e2e feature only adds the browser test target, so that clippy reads it too.
    add(
        "clippy",
        "clippy (native)",
        Action::Run(cargo_with(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "porthole-tests/e2e",
            "--",
            "-D",
            "warnings",
        ])),
    );
    add(
        "clippy",
        "clippy (wasm32, porthole-web)",
        Action::Run(cargo_with(&[
            "clippy",
            "-p",
            "porthole-web",
            "--target",
            WASM_TARGET,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
    );
    add(
        "native",
        "build porthole",
        Action::Run(cargo_with(&["build", "-p", "porthole-native"])),
    );
    let mut native = cargo_with(&["test", "--workspace"]);
    native.env("INSTA_UPDATE", "no");
    add("native", "native tests", Action::Run(native));
    add("wasm", "wasm tests (headless Chromium)", Action::WasmTests);
    add(
        "e2e",
        "trunk build",
        Action::Run(cmd("trunk", &["build", "--release", "--offline"])),
    );
    let mut e2e = cargo_with(&[
        "test",
        "--workspace",
        "--features",
        "porthole-tests/e2e",
        "--test",
        "e2e",
    ]);
    e2e.env("PORTHOLE_DIST", root.join("dist"))
        .env("CHROMEDRIVER", CHROMEDRIVER);
    add("e2e", "browser e2e test", Action::Run(e2e));
    steps
}

fn test(root: &Path, args: &[String]) -> Result {
    let groups: Vec<&str> = if args.is_empty() {
        TEST_GROUPS.to_vec()
    } else {
        for a in args {
            if !TEST_GROUPS.contains(&a.as_str()) {
                return fail(format!(
                    "unknown test group `{a}`: the groups are {}",
                    TEST_GROUPS.join(", ")
                ));
            }
        }
        args.iter().map(String::as_str).collect()
    };
    setup(root)?;
    let start = Instant::now();
    let mut steps = steps(root, &groups);
    let total = steps.len();
    let mut done: Vec<(String, Duration)> = Vec::new();
    let mut failure = None;
    for (i, step) in steps.iter_mut().enumerate() {
        println!(
            "\n== [{}/{total}] {}: {}\n$ {}",
            i + 1,
            step.group,
            step.name,
            step.describe()
        );
        let t = Instant::now();
        let r = step.run(root);
        let took = t.elapsed();
        match r {
            Ok(()) => done.push((format!("{}: {}", step.group, step.name), took)),
            Err(Failure(msg)) => {
                failure = Some((i, msg, took));
                break;
            }
        }
    }

    println!("\n== xtask test summary ({})", secs(start.elapsed()));
    for (name, took) in &done {
        println!("  ok      {name:<44} {}", secs(*took));
    }
    let Some((i, msg, took)) = failure else {
        println!("All {total} steps passed.");
        return Ok(());
    };
    let step = &steps[i];
    println!(
        "  FAILED  {:<44} {}",
        format!("{}: {}", step.group, step.name),
        secs(took)
    );
    for s in &steps[i + 1..] {
        println!("  not run {}: {}", s.group, s.name);
    }
    fail(format!(
        "{msg}\nRe-run this group alone with `cargo xtask test {}`.",
        step.group
    ))
}

/// The digest of the determinism script's final state, from the native `porthole`.
fn native_digest(root: &Path) -> Result<String> {
    let script = root.join(DETERMINISM_SCRIPT);
    let input = std::fs::File::open(&script).or_else(|e| {
        fail(format!(
            "cannot read {}: {e} (the wasm tests compare the browser's digest of this script \
             with the native one)",
            script.display()
        ))
    })?;
    let mut c = cargo();
    c.args([
        "run",
        "--quiet",
        "-p",
        "porthole-native",
        "--",
        "sim",
        "--seed",
        "7",
        "--digest",
    ]);
    let shown = format!("{} < {DETERMINISM_SCRIPT}", show(&c));
    println!("$ {shown}");
    let out = c
        .stdin(input)
        .stderr(Stdio::inherit())
        .output()
        .or_else(|e| fail(format!("cannot run `{shown}`: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The script's commands may fail on purpose: the exit status is the last command's.
    match stdout
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("digest: "))
    {
        Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(hex.to_string())
        }
        _ => fail(format!(
            "`{shown}` ({}) did not end with `digest: <hex>`; its last lines:\n{}",
            out.status,
            stdout
                .lines()
                .rev()
                .take(5)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        )),
    }
}

fn wasm_tests(root: &Path) -> Result {
    let digest = native_digest(root)?;
    println!("native digest: {digest}");
    let mut c = cargo();
    c.args(["test", "-p", "porthole-web", "--target", WASM_TARGET])
        .env("PORTHOLE_NATIVE_DIGEST", &digest)
        .env("CHROMEDRIVER", CHROMEDRIVER);
    // .cargo/config.toml may name the runner; if it does not, name it here.
    let config = std::fs::read_to_string(root.join(".cargo/config.toml")).unwrap_or_default();
    if !config.contains("[target.wasm32-unknown-unknown]") {
        c.env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        );
    }
    println!("$ {}", show(&c));
    run(&mut c)
}
