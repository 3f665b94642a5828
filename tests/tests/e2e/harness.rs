//! What a browser test needs around it: the built web app served from `dist/` on a free
//! loopback port, a chromedriver of its own, a headless Chromium session with a fresh
//! profile, and polling for the page to reach a state.
//!
//! Nothing here skips: a missing `dist/` or chromedriver is a failure that says so.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use porthole_tests::{repo_root, target_dir, TempDir};
use serde_json::{json, Value};
use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How long the page may take to reach a state before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);

pub type Result<T, E = String> = std::result::Result<T, E>;

/// Adds what was being done to an error.
pub trait Context<T> {
    fn context(self, what: impl std::fmt::Display) -> Result<T>;
}

impl<T, E: std::fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl std::fmt::Display) -> Result<T> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}

/// The web app's build: `$PORTHOLE_DIST`, else the repository's `dist/`.
pub fn dist_dir() -> Result<PathBuf> {
    let dist = match std::env::var_os("PORTHOLE_DIST") {
        Some(d) => PathBuf::from(d),
        None => repo_root().join("dist"),
    };
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "no built web app: {} has no index.html. Build it with `trunk build --release --offline` \
             (`cargo xtask test` does), or point PORTHOLE_DIST at a build",
            dist.display()
        ));
    }
    Ok(dist)
}

/// A tiny static file server for `dist/` on 127.0.0.1 (GET and HEAD, one request per
/// connection), stopped on drop.
pub struct StaticServer {
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl StaticServer {
    pub async fn start(root: PathBuf) -> Result<StaticServer> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the static server to 127.0.0.1")?;
        let port = listener
            .local_addr()
            .context("the static server's port")?
            .port();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let root = root.clone();
                tokio::spawn(async move {
                    let _ = serve_one(stream, &root).await;
                });
            }
        });
        Ok(StaticServer {
            url: format!("http://127.0.0.1:{port}/"),
            task,
        })
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

async fn serve_one(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 64 * 1024 {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        request.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&request);
    let mut parts = head.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = resolve(root, path);
    let (status, body, ctype) = match (method, file) {
        ("GET" | "HEAD", Some(f)) => match tokio::fs::read(&f).await {
            Ok(body) => ("200 OK", body, content_type(&f)),
            Err(_) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        },
        ("GET" | "HEAD", None) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        _ => (
            "405 Method Not Allowed",
            b"method not allowed".to_vec(),
            "text/plain",
        ),
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes()).await?;
    if method != "HEAD" {
        stream.write_all(&body).await?;
    }
    stream.shutdown().await
}

/// The file for a URL path: `/` and extension-less routes are the app's index.html;
/// `..` never leaves the root.
fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let mut file = root.to_path_buf();
    for seg in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if seg == ".." || seg.contains('\\') {
            return None;
        }
        file.push(seg);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    if file.is_file() {
        return Some(file);
    }
    // A client-side route (no extension) falls back to the single page.
    if Path::new(path).extension().is_none() {
        return Some(root.join("index.html"));
    }
    None
}

/// A chromedriver of the test's own, in its own process group, killed with everything
/// it started (Chromium) on drop — also when the test fails.
pub struct Chromedriver {
    child: Child,
    pub url: String,
    log: PathBuf,
    /// chromedriver's stdout and stderr.
    out: PathBuf,
}

impl Chromedriver {
    pub async fn start(log_dir: &Path) -> Result<Chromedriver> {
        let exe = std::env::var_os("CHROMEDRIVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
        if !exe.is_file() {
            return Err(format!(
                "chromedriver is missing at {}: install it with `apt-get install -y chromium \
                 chromium-driver` (`cargo xtask setup` does), or set CHROMEDRIVER",
                exe.display()
            ));
        }
        // Port 0: chromedriver takes a free port and says which, so that two tests never
        // race for one.
        let log = log_dir.join("chromedriver.log");
        let out = log_dir.join("chromedriver.out");
        std::fs::write(&out, "").context("creating chromedriver.out")?;
        let mut child = {
            use std::os::unix::process::CommandExt;
            Command::new(&exe)
                .arg("--port=0")
                .arg(format!("--log-path={}", log.display()))
                .arg("--log-level=WARNING")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(append_to(&out)?)
                .process_group(0)
                .spawn()
                .context(format!("starting {}", exe.display()))?
        };
        let port = listen_port(child.stdout.take(), &out);
        let mut driver = Chromedriver {
            child,
            url: String::new(),
            log,
            out,
        };
        let deadline = Instant::now() + TIMEOUT;
        let mut port_seen = None;
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                return Err(format!(
                    "chromedriver exited at start ({status}):\n{}",
                    driver.log_tail()
                ));
            }
            if port_seen.is_none() {
                port_seen = port.try_recv().ok();
            }
            if let Some(p) = port_seen {
                if is_ready(p).await {
                    driver.url = format!("http://127.0.0.1:{p}");
                    return Ok(driver);
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "chromedriver was not ready (port {port_seen:?}) within {TIMEOUT:?}:\n{}",
                    driver.log_tail()
                ));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The end of chromedriver's output and log, for failure messages.
    pub fn log_tail(&self) -> String {
        let mut text = std::fs::read_to_string(&self.out).unwrap_or_default();
        text += &std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium processes it started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copies chromedriver's stdout to `out` (beside its stderr) on a thread of its own, and
/// sends the port from its `ChromeDriver was started successfully on port N.` line.
fn listen_port(stdout: Option<std::process::ChildStdout>, out: &Path) -> mpsc::Receiver<u16> {
    let (tx, rx) = mpsc::channel();
    if let (Some(stdout), Ok(mut file)) = (stdout, append_to(out)) {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                let _ = writeln!(file, "{line}");
                let port = line
                    .split_once("started successfully on port ")
                    .and_then(|(_, p)| p.trim_end_matches('.').trim().parse().ok());
                if let Some(p) = port {
                    let _ = tx.send(p);
                }
            }
        });
    }
    rx
}

fn append_to(path: &Path) -> Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .context(format!("opening {}", path.display()))
}

/// Whether a WebDriver server answers `GET /status` on the port with `"ready": true`,
/// within a second.
async fn is_ready(port: u16) -> bool {
    let ask = async {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
        let request =
            format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        s.write_all(request.as_bytes()).await.ok()?;
        // Read until the JSON says whether it is ready: the server may keep the
        // connection open after its answer.
        let mut answer = String::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = s.read(&mut buf).await.ok()?;
            if n == 0 {
                return Some(false);
            }
            answer.push_str(&String::from_utf8_lossy(&buf[..n]));
            let compact = answer.replace([' ', '\n', '\r'], "");
            if compact.contains("\"ready\":true") {
                return Some(true);
            }
            if compact.contains("\"ready\":false") {
                return Some(false);
            }
        }
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(1), ask).await,
        Ok(Some(true))
    )
}

/// A headless Chromium session on the served app. Field order is drop order: the
/// session's profile directory goes after chromedriver (and Chromium) are killed.
pub struct Browser {
    pub client: Client,
    pub url: String,
    _server: StaticServer,
    driver: Chromedriver,
    _profile: TempDir,
}

impl Browser {
    pub async fn start() -> Result<Browser> {
        let limit = Duration::from_secs(90);
        tokio::time::timeout(limit, Self::launch())
            .await
            .unwrap_or_else(|_| Err(format!("starting the browser took more than {limit:?}")))
    }

    async fn launch() -> Result<Browser> {
        let dist = dist_dir()?;
        let server = StaticServer::start(dist).await?;
        let profile = TempDir::new("e2e-chromium");
        let driver = Chromedriver::start(profile.path()).await?;
        let user_data = profile.path().join("profile");
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--user-data-dir={}", user_data.display()),
            "--window-size=1280,800".into(),
        ];
        let mut options = json!({ "args": args });
        if Path::new("/usr/bin/chromium").is_file() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        // Keeps the page's console (errors, wasm panics) for failure messages.
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .map_err(|e| {
                format!(
                    "starting headless Chromium through chromedriver: {e}\n{}",
                    driver.log_tail()
                )
            })?;
        Ok(Browser {
            client,
            url: server.url.clone(),
            _server: server,
            driver,
            _profile: profile,
        })
    }

    /// Ends the test: saves a screenshot if asked (also after a failure: it shows what
    /// the page showed), closes the session, and panics with the failure if there was one.
    pub async fn finish(self, outcome: Result<()>, screenshot: Option<&str>) {
        let mut notes = Vec::new();
        if let Some(name) = screenshot {
            let path = target_dir().join(name);
            match quickly(self.client.screenshot()).await {
                Some(Ok(png)) => match std::fs::write(&path, png) {
                    Ok(()) => notes.push(format!("screenshot: {}", path.display())),
                    Err(e) => notes.push(format!("cannot write {}: {e}", path.display())),
                },
                Some(Err(e)) => notes.push(format!("no screenshot: {e}")),
                None => notes.push("no screenshot: the browser did not answer".to_string()),
            }
        }
        let console = match &outcome {
            Ok(()) => String::new(),
            Err(_) => quickly(self.console())
                .await
                .unwrap_or_else(|| "(the browser did not answer)".to_string()),
        };
        let log = self.driver.log_tail();
        let _ = quickly(self.client.clone().close()).await;
        drop(self);
        let notes = notes.join("\n");
        if let Err(e) = outcome {
            panic!("{e}\n{notes}\nthe page's console:\n{console}\nchromedriver's log:\n{log}");
        }
        if !notes.is_empty() {
            eprintln!("{notes}");
        }
    }

    /// The page's console messages so far (chromedriver's browser log), one a line.
    async fn console(&self) -> String {
        match self.client.issue_cmd(BrowserLog).await {
            Ok(Value::Array(entries)) => entries
                .iter()
                .map(|e| {
                    let level = e["level"].as_str().unwrap_or("?");
                    format!("{level} {}", e["message"].as_str().unwrap_or(""))
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Ok(other) => format!("(unexpected browser log: {other})"),
            Err(e) => format!("(no browser log: {e})"),
        }
    }

    /// Types a command into the terminal and presses Enter.
    pub async fn type_command(&self, command: &str) -> Result<()> {
        let input = self
            .client
            .find(Locator::Css("input#terminal-input"))
            .await
            .context("finding input#terminal-input")?;
        input
            .send_keys(&format!("{command}{}", fantoccini::key::Key::Enter))
            .await
            .context(format!("typing `{command}` and Enter"))
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .context(format!("finding {css}"))?;
        el.click().await.context(format!("clicking {css}"))
    }

    /// Reads the page's state (see `PROBE`) in one round trip.
    pub async fn state(&self) -> Result<Value> {
        self.client
            .execute(PROBE, vec![])
            .await
            .context("reading the page")
    }

    /// Polls the page until `check` returns `Some`, for up to `TIMEOUT`; on timeout the
    /// error names what was awaited and shows the page's last state.
    pub async fn wait_for<T>(&self, what: &str, check: impl Fn(&Value) -> Option<T>) -> Result<T> {
        poll(what, || self.state(), check).await
    }
}

/// `None` if `f` takes more than 10 seconds: for the calls made while a test ends.
async fn quickly<T>(f: impl Future<Output = T>) -> Option<T> {
    tokio::time::timeout(Duration::from_secs(10), f).await.ok()
}

async fn poll<T, F, Fut>(what: &str, read: F, check: impl Fn(&Value) -> Option<T>) -> Result<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Value>>,
{
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let state = read().await?;
        if let Some(t) = check(&state) {
            return Ok(t);
        }
        if Instant::now() > deadline {
            let shown = serde_json::to_string_pretty(&state).unwrap_or_default();
            return Err(format!(
                "timed out after {TIMEOUT:?} waiting for {what}; the page showed:\n{shown}"
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// chromedriver's (non-W3C) command for the browser's console log.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

/// Reads what the tests look at, following the DOM contract of the web app.
const PROBE: &str = r#"
const q = (s, root) => (root || document).querySelector(s);
const all = (s, root) => [...(root || document).querySelectorAll(s)];
const text = (s, root) => { const e = q(s, root); return e ? e.textContent : null; };
return {
  input: !!q('input#terminal-input'),
  backendSwitch: !!q('button#backend-switch'),
  blocks: all('#terminal-output .cmd-block').map(b => ({
    line: text('.cmd-line', b),
    stdout: text('.cmd-stdout', b),
    stderr: text('.cmd-stderr', b),
    exit: text('.cmd-exit', b),
  })),
  steps: all('#steps li.step').map(li => ({
    component: li.getAttribute('data-component'),
    action: text('.step-action', li),
    current: li.classList.contains('current'),
  })),
  counter: text('#step-counter'),
  containers: all('#containers tr.container-row').map(r => ({
    name: r.getAttribute('data-name'),
    status: r.getAttribute('data-status'),
  })),
  images: all('#images tr.image-row').length,
  clock: q('#clock-now') ? q('#clock-now').getAttribute('datetime') : null,
  host: text('#host-summary'),
  title: document.title,
};
"#;
