//! `porthole serve`: the Docker Engine API on a unix socket, so the real docker CLI
//! drives the simulated engine (issue 8).
//!
//! One engine behind a mutex: each request is applied whole while it holds the lock, so
//! many clients see one consistent state and no command is half-applied. The engine's
//! virtual clock follows the wall clock from the moment the daemon starts (a background
//! tick lets containers print and exit between requests). HTTP is hyper's; the engine
//! answers each request (`Engine::handle_api`); what needs time — `wait` — is a
//! streamed body the server completes when the engine says the container is done.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use porthole_engine::apiserver::{ping_headers, ApiReply, ApiRequest};
use porthole_engine::time::Time;
use porthole_engine::{Engine, SimKernel};
use std::convert::Infallible;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::UnixListener;
use tokio::sync::mpsc;

/// Request bodies above this are refused (413) before they are read whole.
const BODY_CAP: usize = 16 << 20;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The unix socket to listen on (default: $XDG_RUNTIME_DIR/porthole.sock, else
    /// /run/porthole.sock); created with mode 0660
    #[arg(long)]
    socket: Option<PathBuf>,
    /// Also listen on TCP at ADDR (e.g. 127.0.0.1:8080): the same Engine API (`docker -H
    /// tcp://ADDR`), the web app from --dist, and the daemon's log for the page to follow
    #[arg(long, value_name = "ADDR")]
    http: Option<std::net::SocketAddr>,
    /// The built web app served on --http (default: ./dist when it exists)
    #[arg(long, value_name = "DIR")]
    dist: Option<PathBuf>,
    /// Seed for IDs, names and everything else random
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

struct Daemon {
    engine: Mutex<Engine<SimKernel>>,
    started: Instant,
    epoch: Time,
    seed: u64,
    dist: Option<PathBuf>,
}

impl Daemon {
    /// The virtual time now: the engine's start plus the wall-clock time since.
    fn now(&self) -> Time {
        self.epoch
            .plus_nanos(self.started.elapsed().as_nanos().min(u64::MAX as u128) as u64)
    }
    /// A container's full ID by reference (ID, name or prefix), and whether it has a TTY.
    fn container(&self, r: &str) -> Option<(String, bool)> {
        let req = ApiRequest {
            method: "GET".into(),
            path: format!("/containers/{r}/json"),
            ..ApiRequest::default()
        };
        let reply = self.handle(&req);
        if reply.status != 200 {
            return None;
        }
        let v: serde_json::Value = serde_json::from_slice(&reply.body).ok()?;
        Some((
            v["Id"].as_str()?.to_string(),
            v["Config"]["Tty"].as_bool().unwrap_or(false),
        ))
    }
    fn container_id(&self, r: &str) -> Option<String> {
        self.container(r).map(|(id, _)| id)
    }
    fn wait_state(&self, id: &str) -> Option<(&'static str, Option<Time>, i32)> {
        let now = self.now();
        let mut e = self.engine.lock().unwrap_or_else(|p| p.into_inner());
        if now > e.now() {
            e.advance(now);
        }
        e.wait_state(id)
    }
    /// What an attached container wrote since the last call (time brought up to now);
    /// `forget` ends the stream (the client went away).
    fn take_attach(&self, id: &str, forget: bool) -> Option<porthole_engine::AttachStream> {
        let now = self.now();
        let mut e = self.engine.lock().unwrap_or_else(|p| p.into_inner());
        if forget {
            e.forget_attach(id);
            return None;
        }
        if now > e.now() {
            e.advance(now);
        }
        e.take_attach(id)
    }
    fn handle(&self, req: &ApiRequest) -> ApiReply {
        let now = self.now();
        let mut e = self.engine.lock().unwrap_or_else(|p| p.into_inner());
        let now = now.max(e.now());
        e.handle_api(req, now)
    }
}

/// A time as the API's `since`/`until` take it: `secs.nanos`.
fn secs(t: Time) -> String {
    format!("{}.{:09}", t.0 / 1_000_000_000, t.0 % 1_000_000_000)
}

fn default_socket() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d).join("porthole.sock"),
        _ => PathBuf::from("/run/porthole.sock"),
    }
}

/// A body fed by a channel: `wait`'s headers go out at once, its JSON when known.
struct ChannelBody(mpsc::Receiver<Bytes>);

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b))))
    }
}

type BoxBody = http_body_util::combinators::BoxBody<Bytes, Infallible>;

fn reply(r: ApiReply) -> Response<BoxBody> {
    let mut b = Response::builder()
        .status(StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("Api-Version", porthole_engine::api::API_VERSION)
        .header("Server", "Docker/28.2.2 (linux)");
    if !r.body.is_empty() || r.status >= 400 {
        b = b.header("Content-Type", r.content_type);
    }
    b.body(Full::new(Bytes::from(r.body)).boxed())
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed()))
}

async fn serve_request(
    d: Arc<Daemon>,
    req: Request<Incoming>,
) -> Result<Response<BoxBody>, Infallible> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let bare_path = porthole_engine::apiserver::strip_version(&path).to_string();
    if method == "GET" && path == "/porthole/log" {
        return Ok(follow_log(&d, req.uri().query().unwrap_or("")));
    }
    if method == "GET" {
        if let Some(r) = static_file(&d, &path) {
            return Ok(r);
        }
    }
    if method == "POST" && bare_path.starts_with("/containers/") && bare_path.ends_with("/attach") {
        return Ok(attach(d, req, &bare_path));
    }
    if method == "POST" && bare_path.starts_with("/exec/") && bare_path.ends_with("/start") {
        return Ok(exec_start(d, req, &bare_path).await);
    }
    let too_big = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > BODY_CAP);
    if too_big {
        return Ok(reply(ApiReply::error(
            413,
            &format!("request body too large: the limit is {BODY_CAP} bytes"),
        )));
    }
    let body = match Limited::new(req.into_body(), BODY_CAP).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(e) => {
            return Ok(reply(ApiReply::error(
                400,
                &format!("reading the request body: {e}"),
            )))
        }
    };
    let api = ApiRequest {
        method: method.clone(),
        path: path.clone(),
        query,
        body,
    };
    let bare = porthole_engine::apiserver::strip_version(&path);
    if bare == "/_ping" {
        let r = d.handle(&api);
        let mut resp = reply(r);
        for (k, v) in ping_headers() {
            if let (Ok(name), Some(Ok(val))) = (
                hyper::header::HeaderName::from_bytes(k.as_bytes()),
                v.as_str().map(hyper::header::HeaderValue::from_str),
            ) {
                resp.headers_mut().insert(name, val);
            }
        }
        resp.headers_mut().insert(
            "Cache-Control",
            hyper::header::HeaderValue::from_static("no-cache, no-store, must-revalidate"),
        );
        return Ok(resp);
    }
    if method == "POST" && bare.starts_with("/containers/") && bare.ends_with("/wait") {
        // The CLI sends start only after these headers: send them now, the body later.
        let r = bare
            .trim_start_matches("/containers/")
            .trim_end_matches("/wait")
            .to_string();
        let Some(id) = d.container_id(&r) else {
            return Ok(reply(ApiReply::error(
                404,
                &format!("No such container: {r}"),
            )));
        };
        let condition = porthole_engine::apiserver::query_value(&api.query, "condition")
            .unwrap_or_else(|| "not-running".into());
        let initial = d.wait_state(&id);
        let (tx, rx) = mpsc::channel::<Bytes>(1);
        let d2 = d.clone();
        tokio::spawn(async move {
            loop {
                let st = d2.wait_state(&id);
                let done = match (condition.as_str(), &st) {
                    (_, None) => Some(0),
                    ("removed", Some((s, _, code))) => (*s == "removed").then_some(*code),
                    ("next-exit", Some((s, fin, code))) => (*s == "removed"
                        || (matches!(*s, "exited" | "dead")
                            && *fin != initial.as_ref().and_then(|i| i.1)))
                    .then_some(*code),
                    (_, Some((s, _, code))) => {
                        (!matches!(*s, "running" | "paused" | "restarting")).then_some(*code)
                    }
                };
                if let Some(code) = done {
                    let body = format!("{{\"StatusCode\":{code},\"Error\":null}}\n");
                    let _ = tx.send(Bytes::from(body)).await;
                    break;
                }
                if tx.is_closed() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        let resp = Response::builder()
            .status(StatusCode::OK)
            .header("Api-Version", porthole_engine::api::API_VERSION)
            .header("Content-Type", "application/json")
            .body(BodyExt::boxed(ChannelBody(rx)))
            .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed()));
        return Ok(resp);
    }
    if method == "GET"
        && bare == "/events"
        && !api.query.split('&').any(|kv| kv.starts_with("until="))
    {
        // No end: past events from `since`, then each new one as it happens, until the
        // client goes away.
        let (tx, rx) = mpsc::channel::<Bytes>(16);
        let d2 = d.clone();
        tokio::spawn(async move {
            let base: String = api
                .query
                .split('&')
                .filter(|kv| !kv.starts_with("since=") && !kv.is_empty())
                .collect::<Vec<_>>()
                .join("&");
            let mut cursor = porthole_engine::apiserver::query_value(&api.query, "since")
                .unwrap_or_else(|| secs(d2.now()));
            loop {
                let now = d2.now();
                let q = format!("{base}&since={cursor}&until={}", secs(now));
                let r = d2.handle(&ApiRequest {
                    method: "GET".into(),
                    path: "/events".into(),
                    query: q,
                    body: Vec::new(),
                });
                if !r.body.is_empty() && tx.send(Bytes::from(r.body)).await.is_err() {
                    break;
                }
                if tx.is_closed() {
                    break;
                }
                cursor = secs(Time(now.0 + 1));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        let resp = Response::builder()
            .status(StatusCode::OK)
            .header("Api-Version", porthole_engine::api::API_VERSION)
            .header("Content-Type", "application/json")
            .body(BodyExt::boxed(ChannelBody(rx)))
            .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed()));
        return Ok(resp);
    }
    let d2 = d.clone();
    let r = tokio::task::spawn_blocking(move || d2.handle(&api))
        .await
        .unwrap_or_else(|e| ApiReply::error(500, &format!("the daemon failed: {e}")));
    Ok(reply(r))
}

/// `GET /porthole/log?from=N`: what a follower needs to reach the daemon's state — the
/// seed, the command lines the API applied from the N-th on with their virtual times, the
/// daemon's time now, and (with `digest=1`) the state digest to check a replay against.
fn follow_log(d: &Daemon, query: &str) -> Response<BoxBody> {
    let from: usize = porthole_engine::apiserver::query_value(query, "from")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let now = d.now();
    let mut e = d.engine.lock().unwrap_or_else(|p| p.into_inner());
    if now > e.now() {
        e.advance(now);
    }
    let log = e.api_log();
    let entries: Vec<serde_json::Value> = log
        .iter()
        .skip(from)
        .map(|(t, line)| serde_json::json!({"at": t.0, "line": line}))
        .collect();
    let mut v = serde_json::json!({
        "seed": d.seed,
        "from": from,
        "next": log.len(),
        "now": e.now().0,
        "entries": entries,
    });
    if porthole_engine::apiserver::query_value(query, "digest").as_deref() == Some("1") {
        v["digest"] = serde_json::json!(e.digest());
    }
    let mut r = reply(ApiReply {
        status: 200,
        content_type: "application/json",
        body: v.to_string().into_bytes(),
    });
    r.headers_mut().insert(
        "Cache-Control",
        hyper::header::HeaderValue::from_static("no-store"),
    );
    r
}

/// The web app's files from --dist: `/` is index.html; nothing outside the directory.
fn static_file(d: &Daemon, path: &str) -> Option<Response<BoxBody>> {
    let dist = d.dist.as_ref()?;
    let rel = if path == "/" {
        "index.html"
    } else {
        path.trim_start_matches('/')
    };
    if rel.is_empty() || rel.split('/').any(|c| c == ".." || c.is_empty()) {
        return None;
    }
    let file = dist.join(rel);
    let bytes = std::fs::read(&file).ok()?;
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("toml") | Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    Response::builder()
        .status(StatusCode::OK)
        .header("Content-Type", kind)
        .body(Full::new(Bytes::from(bytes)).boxed())
        .ok()
}

/// The 101 answer that hands the connection over to a raw (TTY) or multiplexed stream.
fn upgraded(tty: bool) -> Response<BoxBody> {
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(
            "Content-Type",
            if tty {
                "application/vnd.docker.raw-stream"
            } else {
                "application/vnd.docker.multiplexed-stream"
            },
        )
        .header("Connection", "Upgrade")
        .header("Upgrade", "tcp")
        .body(Full::new(Bytes::new()).boxed())
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed()))
}

/// `POST /containers/{id}/attach`: 101 UPGRADED, then the container's output as it
/// comes — multiplexed frames, or raw bytes with a TTY — and the connection closed once
/// it has exited and everything is sent.
fn attach(d: Arc<Daemon>, req: Request<Incoming>, bare: &str) -> Response<BoxBody> {
    let r = bare
        .trim_start_matches("/containers/")
        .trim_end_matches("/attach");
    let Some((id, tty)) = d.container(r) else {
        return reply(ApiReply::error(404, &format!("No such container: {r}")));
    };
    d.engine
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .attach_stream(&id);
    let d2 = d.clone();
    tokio::spawn(async move {
        let Ok(upgraded) = hyper::upgrade::on(req).await else {
            let _ = d2.take_attach(&id, true);
            return;
        };
        let mut io = TokioIo::new(upgraded);
        while let Some(s) = d2.take_attach(&id, false) {
            for (stream, text) in s.chunks {
                let bytes = if tty {
                    text.into_bytes()
                } else {
                    porthole_engine::apiserver::frame(stream, text.as_bytes())
                };
                if io.write_all(&bytes).await.is_err() {
                    let _ = d2.take_attach(&id, true);
                    return;
                }
            }
            if s.exit.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = io.flush().await;
        let _ = io.shutdown().await;
    });
    upgraded(tty)
}

/// `POST /exec/{id}/start`: runs the exec instance; attached, the answer is a 101
/// upgrade carrying its output (frames, or raw with a TTY) and then the close.
async fn exec_start(d: Arc<Daemon>, req: Request<Incoming>, bare: &str) -> Response<BoxBody> {
    let exec_id = bare
        .trim_start_matches("/exec/")
        .trim_end_matches("/start")
        .to_string();
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, 1 << 20).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return reply(ApiReply::error(
                400,
                &format!("reading the request body: {e}"),
            ))
        }
    };
    let opts: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let detach = opts["Detach"].as_bool() == Some(true);
    let tty = opts["Tty"].as_bool() == Some(true);
    let result = {
        let now = d.now();
        let mut e = d.engine.lock().unwrap_or_else(|p| p.into_inner());
        let now = now.max(e.now());
        e.start_exec(&exec_id, now)
    };
    let (chunks, _code) = match result {
        Ok(r) => r,
        Err(r) => return reply(r),
    };
    if detach {
        return reply(ApiReply {
            status: 200,
            content_type: "application/json",
            body: Vec::new(),
        });
    }
    let req = Request::from_parts(parts, http_body_util::Empty::<Bytes>::new());
    tokio::spawn(async move {
        let Ok(upgraded) = hyper::upgrade::on(req).await else {
            return;
        };
        let mut io = TokioIo::new(upgraded);
        for (stream, text) in chunks {
            let bytes = if tty {
                text.into_bytes()
            } else {
                porthole_engine::apiserver::frame(stream, text.as_bytes())
            };
            if io.write_all(&bytes).await.is_err() {
                return;
            }
        }
        let _ = io.flush().await;
        let _ = io.shutdown().await;
    });
    upgraded(tty)
}

pub fn serve(a: ServeArgs) -> std::process::ExitCode {
    let socket = a.socket.unwrap_or_else(default_socket);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("porthole serve: starting the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    rt.block_on(async move {
        if socket.exists() {
            // A socket left by a daemon that died: replace it; anything else is not ours.
            let is_socket = std::fs::symlink_metadata(&socket)
                .map(|m| std::os::unix::fs::FileTypeExt::is_socket(&m.file_type()))
                .unwrap_or(false);
            if !is_socket || std::os::unix::net::UnixStream::connect(&socket).is_ok() {
                eprintln!(
                    "porthole serve: {} exists and is {}",
                    socket.display(),
                    if is_socket {
                        "in use by a running daemon"
                    } else {
                        "not a socket"
                    }
                );
                return std::process::ExitCode::FAILURE;
            }
            let _ = std::fs::remove_file(&socket);
        }
        let listener = match UnixListener::bind(&socket) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("porthole serve: listen on {}: {e}", socket.display());
                return std::process::ExitCode::FAILURE;
            }
        };
        let _ = std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o660));
        let engine = Engine::sim(a.seed);
        // The clock starts at the wall clock, so `docker ps` says "2 seconds ago" as a
        // real daemon's would (the CLI compares with its own clock).
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos().min(u64::MAX as u128) as u64)
            .unwrap_or(0);
        let epoch = engine.now().max(Time(wall));
        let dist = a.dist.clone().or_else(|| {
            let d = PathBuf::from("dist");
            d.join("index.html").exists().then_some(d)
        });
        let d = Arc::new(Daemon {
            engine: Mutex::new(engine),
            started: Instant::now(),
            epoch,
            seed: a.seed,
            dist,
        });
        let tcp = match a.http {
            None => None,
            Some(addr) => {
                if !addr.ip().is_loopback() {
                    eprintln!("porthole serve: WARNING: listening on {addr}, beyond this machine: anyone who can reach it can drive this daemon (there is no authentication)");
                }
                match tokio::net::TcpListener::bind(addr).await {
                    Ok(l) => {
                        eprintln!("porthole serve: the page and the API on http://{addr}/ (docker -H tcp://{addr})");
                        Some(l)
                    }
                    Err(e) => {
                        eprintln!("porthole serve: listen on {addr}: {e}");
                        let _ = std::fs::remove_file(&socket);
                        return std::process::ExitCode::FAILURE;
                    }
                }
            }
        };
        if let Some(tcp) = tcp {
            let d = d.clone();
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = tcp.accept().await else { continue };
                    let d = d.clone();
                    tokio::spawn(async move {
                        let svc = service_fn(move |req| serve_request(d.clone(), req));
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), svc)
                            .with_upgrades()
                            .await;
                    });
                }
            });
        }
        eprintln!(
            "porthole serve: the simulated Docker Engine API (v{}) on unix://{}",
            porthole_engine::api::API_VERSION,
            socket.display()
        );
        eprintln!("  export DOCKER_HOST=unix://{}", socket.display());
        // The clock: containers print, exit and restart between requests too.
        let ticker = d.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let now = ticker.now();
                let mut e = ticker.engine.lock().unwrap_or_else(|p| p.into_inner());
                if now > e.now() {
                    e.advance(now);
                }
            }
        });
        let shutdown = tokio::signal::ctrl_c();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                conn = listener.accept() => {
                    let Ok((stream, _)) = conn else { continue };
                    let d = d.clone();
                    tokio::spawn(async move {
                        let svc = service_fn(move |req| serve_request(d.clone(), req));
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), svc)
                            .with_upgrades()
                            .await;
                    });
                }
            }
        }
        let _ = std::fs::remove_file(&socket);
        std::process::ExitCode::SUCCESS
    })
}
