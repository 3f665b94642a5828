//! dockerd's side of the Docker Engine API, for `porthole serve` (issue 8): an HTTP
//! request in, a status and JSON out, computed by the same daemon logic `porthole sim`
//! runs. Requests that change state are applied as the equivalent docker command line
//! through [`Engine::execute`], so validation, steps and events are the CLI path's; the
//! reply is then built from the engine's state (or its error from the API step the
//! command recorded). Reads build the API's JSON from the state directly.
//!
//! The engine stays sans-IO: the server passes the virtual time with each request and
//! owns sockets, streams and waiting.

use crate::api::{self, API_VERSION};
use crate::engine::{CommandOutcome, Engine};
use crate::kernel::{Kernel, Stream};
use crate::time::Time;
use serde_json::{json, Map, Value};

/// One HTTP request, with the `/v1.NN` prefix still on the path or not.
#[derive(Clone, Debug, Default)]
pub struct ApiRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    pub body: Vec<u8>,
}

/// What dockerd answers: the status, the content type, the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiReply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl ApiReply {
    fn json(status: u16, v: &Value) -> ApiReply {
        ApiReply {
            status,
            content_type: "application/json",
            body: v.to_string().into_bytes(),
        }
    }
    fn empty(status: u16) -> ApiReply {
        ApiReply {
            status,
            content_type: "text/plain",
            body: Vec::new(),
        }
    }
    /// Docker's error contract: `Content-Type: application/json` exactly and
    /// `{"message": …}`.
    pub fn error(status: u16, message: &str) -> ApiReply {
        ApiReply::json(status, &json!({ "message": message }))
    }
    /// The body as text (for tests and logs).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The query's value for `key`, percent-decoded.
pub fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(x) => {
                    out.push(x);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn truthy(query: &str, key: &str) -> bool {
    matches!(
        query_value(query, key).as_deref(),
        Some("1" | "true" | "True")
    )
}

/// Strips `/v1.NN` (any version) from a path.
pub fn strip_version(path: &str) -> &str {
    if let Some(rest) = path.strip_prefix("/v") {
        if let Some(i) = rest.find('/') {
            let v = &rest[..i];
            if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                return &rest[i..];
            }
        }
    }
    path
}

/// A shell word for a command line the engine parses (shlex quoting).
fn word(s: &str) -> String {
    shlex::try_quote(s)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| format!("'{s}'"))
}

/// The status and message of the failing API call of a command, from its steps (the
/// daemon records each call with its status) and what the CLI printed.
fn failure(o: &CommandOutcome) -> ApiReply {
    let status = o
        .steps
        .iter()
        .rev()
        .filter_map(|s| s.http.as_ref())
        .map(|h| h.status)
        .find(|s| *s >= 400)
        .unwrap_or(400);
    let err = o.stderr();
    let first = err
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string();
    let msg = first
        .strip_prefix("docker: ")
        .unwrap_or(&first)
        .strip_prefix("Error response from daemon: ")
        .unwrap_or_else(|| first.strip_prefix("docker: ").unwrap_or(&first))
        .trim_end_matches('.')
        .to_string();
    // Multi-line daemon messages (e.g. endpoint settings) keep their continuation.
    let rest: Vec<&str> = err
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .skip(1)
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("Run '"))
        .collect();
    let msg = if rest.is_empty() {
        msg
    } else {
        format!("{msg}\n{}", rest.join("\n"))
    };
    ApiReply::error(status, &msg)
}

impl<K: Kernel> Engine<K> {
    /// A command the API applies, recorded in the daemon's log (what a follower replays
    /// to reach the same state: same seed, same lines at the same times).
    fn api_execute(&mut self, line: &str, now: Time) -> CommandOutcome {
        self.api_log.push((now, line.to_string()));
        self.execute(line, now)
    }

    /// Every command line the API applied, with its virtual time, in order.
    pub fn api_log(&self) -> &[(Time, String)] {
        &self.api_log
    }

    /// Runs an exec instance made by `POST /containers/{id}/exec` (`POST
    /// /exec/{id}/start`): what it wrote, in order, and its exit code.
    pub fn start_exec(
        &mut self,
        exec_id: &str,
        now: Time,
    ) -> Result<(Vec<(Stream, String)>, i32), ApiReply> {
        let Some((line, None)) = self.api_execs.get(exec_id).cloned() else {
            return Err(ApiReply::error(
                if self.api_execs.contains_key(exec_id) {
                    409
                } else {
                    404
                },
                &format!("No such exec instance: {exec_id}"),
            ));
        };
        let o = self.api_execute(&line, now);
        self.api_execs
            .insert(exec_id.to_string(), (line, Some(o.exit_code)));
        Ok((
            o.output
                .iter()
                .map(|c| (c.stream, c.text.clone()))
                .collect(),
            o.exit_code,
        ))
    }

    /// Answers one Engine API request at virtual time `now` (not before the engine's
    /// clock). Streams (attach, logs follow, events) and waiting are the server's: this
    /// answers with what is known at `now`.
    pub fn handle_api(&mut self, req: &ApiRequest, now: Time) -> ApiReply {
        // Time passes up to the request first: what ran meanwhile printed and exited.
        self.advance_to(now);
        let path = strip_version(&req.path).to_string();
        let q = req.query.as_str();
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let m = req.method.as_str();
        match (m, parts.as_slice()) {
            ("GET" | "HEAD", ["_ping"]) => ApiReply {
                status: 200,
                content_type: "text/plain; charset=utf-8",
                body: if m == "GET" {
                    b"OK".to_vec()
                } else {
                    Vec::new()
                },
            },
            ("GET", ["version"]) => {
                let mut v = self.version_json()["Server"].clone();
                // The CLI prints the Engine component's Details.
                let details = json!({
                    "ApiVersion": v["ApiVersion"], "Arch": v["Arch"], "BuildTime": "2025-05-30T12:07:28.000000000+00:00",
                    "Experimental": "false", "GitCommit": v["GitCommit"], "GoVersion": v["GoVersion"],
                    "KernelVersion": v["KernelVersion"], "MinAPIVersion": v["MinAPIVersion"], "Os": v["Os"],
                });
                if let Some(engine) = v["Components"].get_mut(0) {
                    engine["Details"] = details;
                }
                ApiReply::json(200, &v)
            }
            ("GET", ["info"]) => ApiReply::json(200, &self.info_json()),
            ("GET", ["containers", "json"]) => {
                ApiReply::json(200, &self.containers_json(truthy(q, "all")))
            }
            ("GET", ["images", "json"]) => ApiReply::json(200, &self.images_json()),
            ("POST", ["images", "create"]) => {
                let image = query_value(q, "fromImage").unwrap_or_default();
                let tag = query_value(q, "tag").unwrap_or_else(|| "latest".into());
                let reference = if tag.is_empty() {
                    image.clone()
                } else if tag.starts_with("sha256:") {
                    format!("{image}@{tag}")
                } else {
                    format!("{image}:{tag}")
                };
                let o = self.api_execute(&format!("docker pull {}", word(&reference)), now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                // The progress the CLI printed, as the JSON messages it prints it from.
                let mut body = String::new();
                for l in o.stdout().lines() {
                    let m = if l.starts_with("Digest: ") || l.starts_with("Status: ") {
                        json!({ "status": l })
                    } else if let Some((id, status)) = l.split_once(": ") {
                        json!({ "status": status, "id": id })
                    } else {
                        continue; // the reference the CLI prints itself
                    };
                    body.push_str(&format!("{m}\r\n"));
                }
                ApiReply {
                    status: 200,
                    content_type: "application/json",
                    body: body.into_bytes(),
                }
            }
            ("POST", ["containers", "create"]) => self.api_create(req, now),
            ("GET", ["containers", r, "json"]) => match self.find_container(r) {
                Ok(id) => ApiReply::json(200, &self.container_json(&id)),
                Err(e) => ApiReply::error(e.status, &e.message),
            },
            ("GET", ["images", rest @ .., "history"]) if !rest.is_empty() => {
                let r = rest.join("/");
                let Some(id) = self.find_image(&r) else {
                    return ApiReply::error(404, &format!("No such image: {r}"));
                };
                let img = &self.images[&id];
                let mut layer_i = 0;
                let mut rows = Vec::new();
                for h in &img.history {
                    let size = if h.empty_layer {
                        0
                    } else {
                        let s = img
                            .layers
                            .get(layer_i)
                            .and_then(|d| self.layers.get(d))
                            .map(|l| l.layer.size)
                            .unwrap_or(0);
                        layer_i += 1;
                        s
                    };
                    rows.push(json!({
                        "Id": "<missing>",
                        "Created": h.created.secs(),
                        "CreatedBy": h.created_by,
                        "Tags": null,
                        "Size": size,
                        "Comment": h.comment,
                    }));
                }
                rows.reverse();
                if let Some(top) = rows.first_mut() {
                    top["Id"] = json!(id);
                    top["Tags"] = json!(img.repo_tags);
                }
                ApiReply::json(200, &Value::Array(rows))
            }
            ("POST", ["images", rest @ .., "tag"]) if !rest.is_empty() => {
                let r = rest.join("/");
                let repo = query_value(q, "repo").unwrap_or_default();
                let tag = query_value(q, "tag").unwrap_or_default();
                let target = if tag.is_empty() {
                    repo
                } else {
                    format!("{repo}:{tag}")
                };
                let o =
                    self.api_execute(&format!("docker tag {} {}", word(&r), word(&target)), now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                ApiReply::empty(201)
            }
            ("DELETE", ["images", rest @ ..]) if !rest.is_empty() => {
                let r = rest.join("/");
                let mut line = "docker rmi".to_string();
                if truthy(q, "force") {
                    line.push_str(" -f");
                }
                if truthy(q, "noprune") {
                    line.push_str(" --no-prune");
                }
                line.push_str(&format!(" {}", word(&r)));
                let o = self.api_execute(&line, now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                // The CLI prints `Untagged: …` / `Deleted: …` from these.
                let items: Vec<Value> = o
                    .stdout()
                    .lines()
                    .filter_map(|l| {
                        l.strip_prefix("Untagged: ")
                            .map(|x| json!({ "Untagged": x }))
                            .or_else(|| {
                                l.strip_prefix("Deleted: ").map(|x| json!({ "Deleted": x }))
                            })
                    })
                    .collect();
                ApiReply::json(200, &Value::Array(items))
            }
            ("GET", ["events"]) => {
                // `filters` is a JSON object of sets ({"type":{"container":true}}) or,
                // from older clients, of lists.
                let mut filters: std::collections::BTreeMap<String, Vec<String>> =
                    Default::default();
                if let Some(f) = query_value(q, "filters") {
                    match serde_json::from_str::<Value>(&f) {
                        Ok(Value::Object(m)) => {
                            for (k, v) in m {
                                let vals: Vec<String> = match v {
                                    Value::Object(set) => set.keys().cloned().collect(),
                                    Value::Array(a) => a
                                        .iter()
                                        .filter_map(|x| x.as_str().map(str::to_string))
                                        .collect(),
                                    _ => Vec::new(),
                                };
                                filters.insert(k, vals);
                            }
                        }
                        _ => return ApiReply::error(400, &format!("invalid filter '{f}'")),
                    }
                }
                let ts = |k: &str| {
                    query_value(q, k).and_then(|v| crate::lifecycle::server_timestamp(&v))
                };
                let (since, until) = (ts("since"), ts("until").unwrap_or(now));
                if since.is_some_and(|s| s > until) {
                    return ApiReply::error(
                        400,
                        &format!(
                            "`since` time ({}) cannot be after `until` time ({})",
                            query_value(q, "since").unwrap_or_default(),
                            query_value(q, "until").unwrap_or_default()
                        ),
                    );
                }
                let first = self.events.len().saturating_sub(256);
                let body: String = self.events[first..]
                    .iter()
                    .filter(|e| since.is_none_or(|s| e.time >= s) && e.time <= until)
                    .filter(|e| crate::lifecycle::event_matches(e, &filters))
                    .map(|e| format!("{}\n", crate::lifecycle::event_json(e)))
                    .collect();
                ApiReply {
                    status: 200,
                    content_type: "application/json",
                    body: body.into_bytes(),
                }
            }
            ("GET", ["system", "df"]) => ApiReply::json(200, &self.system_df_json()),
            ("GET", ["containers", r, "stats"]) => {
                let id = match self.find_container(r) {
                    Ok(id) => id,
                    Err(e) => return ApiReply::error(e.status, &e.message),
                };
                let st = self.kernel.cgroup_stats(&id, now).unwrap_or_default();
                let cpus = u64::from(self.kernel.view_cpus().max(1));
                // Two samples a second apart, as dockerd gives one-shot stats: the CLI's
                // CPU % = Δcontainer / Δsystem × CPUs × 100 comes out as the cgroup's load.
                let system = now.0;
                let busy = st.cpu_millis * 1_000_000;
                let c = &self.containers[&id];
                ApiReply::json(
                    200,
                    &json!({
                        "name": format!("/{}", c.name),
                        "id": id,
                        "read": now.rfc3339_nano(),
                        "preread": Time(now.0.saturating_sub(1_000_000_000)).rfc3339_nano(),
                        "pids_stats": {"current": st.pids_current},
                        "blkio_stats": {"io_service_bytes_recursive": [
                            {"major": 8, "minor": 0, "op": "read", "value": st.blkio_read},
                            {"major": 8, "minor": 0, "op": "write", "value": st.blkio_write},
                        ]},
                        "cpu_stats": {
                            "cpu_usage": {"total_usage": st.cpu_usage_ns},
                            "system_cpu_usage": system,
                            "online_cpus": cpus,
                        },
                        "precpu_stats": {
                            "cpu_usage": {"total_usage": st.cpu_usage_ns.saturating_sub(busy)},
                            "system_cpu_usage": system.saturating_sub(cpus * 1_000_000_000),
                            "online_cpus": cpus,
                        },
                        "memory_stats": {
                            "usage": st.memory_usage,
                            "limit": st.memory_limit,
                            "stats": {"inactive_file": st.memory_cache},
                        },
                        "networks": {"eth0": {"rx_bytes": st.net_rx, "tx_bytes": st.net_tx}},
                    }),
                )
            }
            ("GET", ["containers", r, "top"]) => {
                let id = match self.find_container(r) {
                    Ok(id) => id,
                    Err(e) => return ApiReply::error(e.status, &e.message),
                };
                let args = query_value(q, "ps_args").unwrap_or_default();
                let o = self.api_execute(&format!("docker top {id} {args}"), now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                // The table back into Titles and Processes: columns start where the
                // header's words start; the last one takes the rest of the line.
                let text = o.stdout();
                let mut lines = text.lines();
                let header = lines.next().unwrap_or_default();
                let starts: Vec<usize> = header
                    .char_indices()
                    .filter(|(i, c)| !c.is_whitespace() && (*i == 0 || header[..*i].ends_with(' ')))
                    .map(|(i, _)| i)
                    .collect();
                let cut = |l: &str| -> Vec<String> {
                    starts
                        .iter()
                        .enumerate()
                        .map(|(k, &a)| {
                            let b = starts.get(k + 1).copied().unwrap_or(l.len()).min(l.len());
                            l.get(a.min(l.len())..b).unwrap_or("").trim().to_string()
                        })
                        .collect()
                };
                let titles = cut(header);
                let procs: Vec<Vec<String>> = lines.map(cut).collect();
                ApiReply::json(200, &json!({"Titles": titles, "Processes": procs}))
            }
            ("GET", ["images", rest @ .., "json"]) if !rest.is_empty() => {
                let r = rest.join("/");
                match self.find_image(&r) {
                    Some(id) => {
                        let img = &self.images[&id];
                        ApiReply::json(200, &api::image_inspect(img, &self.layer_dirs(&img.layers)))
                    }
                    None => ApiReply::error(404, &format!("No such image: {r}")),
                }
            }
            ("GET", ["containers", r, "logs"]) => match self.find_container(r) {
                Ok(id) => {
                    let (out, err) = (truthy(q, "stdout"), truthy(q, "stderr"));
                    let c = &self.containers[&id];
                    let tty = c.config.tty;
                    let mut body = Vec::new();
                    for l in &c.logs {
                        let want = match l.stream {
                            Stream::Stdout => out,
                            Stream::Stderr => err,
                        };
                        if !want {
                            continue;
                        }
                        if tty {
                            body.extend_from_slice(l.text.as_bytes());
                        } else {
                            body.extend_from_slice(&frame(l.stream, l.text.as_bytes()));
                        }
                    }
                    ApiReply {
                        status: 200,
                        content_type: if tty {
                            "application/vnd.docker.raw-stream"
                        } else {
                            "application/vnd.docker.multiplexed-stream"
                        },
                        body,
                    }
                }
                Err(e) => ApiReply::error(e.status, &e.message),
            },
            (
                "POST",
                ["containers", r, verb @ ("start" | "stop" | "restart" | "kill" | "pause" | "unpause")],
            ) => {
                let id = match self.find_container(r) {
                    Ok(id) => id,
                    Err(e) => return ApiReply::error(e.status, &e.message),
                };
                let running = self.containers[&id].state.status.is_up();
                // Already in the asked state: 304, as dockerd answers (the CLI is content).
                if (*verb == "start" && running) || (*verb == "stop" && !running) {
                    return ApiReply::empty(304);
                }
                let mut line = format!("docker {verb}");
                if *verb == "kill" {
                    if let Some(s) = query_value(q, "signal") {
                        line.push_str(&format!(" -s {}", word(&s)));
                    }
                }
                if matches!(*verb, "stop" | "restart") {
                    if let Some(t) = query_value(q, "t") {
                        line.push_str(&format!(" -t {}", word(&t)));
                    }
                }
                line.push_str(&format!(" {id}"));
                let o = self.api_execute(&line, now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                ApiReply::empty(204)
            }
            ("POST", ["containers", r, "wait"]) => match self.find_container(r) {
                Ok(id) => {
                    let c = &self.containers[&id];
                    if c.state.status.is_up() {
                        // Not yet: the server waits and asks again.
                        ApiReply::empty(202)
                    } else {
                        ApiReply::json(
                            200,
                            &json!({"StatusCode": c.state.exit_code, "Error": null}),
                        )
                    }
                }
                // Removed (`--rm`, condition=removed): the wait is over.
                Err(_) => ApiReply::json(200, &json!({"StatusCode": 0, "Error": null})),
            },
            ("DELETE", ["containers", r]) => {
                let id = match self.find_container(r) {
                    Ok(id) => id,
                    Err(e) => return ApiReply::error(e.status, &e.message),
                };
                let mut line = "docker rm".to_string();
                if truthy(q, "force") {
                    line.push_str(" -f");
                }
                if truthy(q, "v") {
                    line.push_str(" -v");
                }
                line.push_str(&format!(" {id}"));
                let o = self.api_execute(&line, now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                ApiReply::empty(204)
            }
            ("POST", ["containers", r, "exec"]) => {
                let id = match self.find_container(r) {
                    Ok(id) => id,
                    Err(e) => return ApiReply::error(e.status, &e.message),
                };
                if !self.containers[&id].state.status.is_up() {
                    return ApiReply::error(409, &format!("container {id} is not running"));
                }
                let body: Value = match serde_json::from_slice(&req.body) {
                    Ok(v @ Value::Object(_)) => v,
                    _ => return ApiReply::error(400, "invalid JSON body"),
                };
                let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
                let mut w = vec!["exec".to_string()];
                if body["Detach"].as_bool() == Some(true) {
                    w.push("-d".into());
                }
                if body["Tty"].as_bool() == Some(true) {
                    w.push("-t".into());
                }
                for e in body["Env"].as_array().into_iter().flatten() {
                    flag(&mut w, "-e", &s(e));
                }
                if !s(&body["User"]).is_empty() {
                    flag(&mut w, "-u", &s(&body["User"]));
                }
                if !s(&body["WorkingDir"]).is_empty() {
                    flag(&mut w, "-w", &s(&body["WorkingDir"]));
                }
                w.push(id.clone());
                let cmd: Vec<String> = body["Cmd"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| word(&s(a)))
                    .collect();
                if cmd.is_empty() {
                    return ApiReply::error(400, "No exec command specified");
                }
                w.extend(cmd);
                // An exec ID as dockerd's: 64 hex, here from the container and a counter.
                let exec_id = crate::rng::hex(&<sha2::Sha256 as sha2::Digest>::digest(
                    format!("exec:{id}:{}", self.api_execs.len()).as_bytes(),
                ));
                self.api_execs
                    .insert(exec_id.clone(), (format!("docker {}", w.join(" ")), None));
                ApiReply::json(201, &json!({ "Id": exec_id }))
            }
            ("GET", ["exec", x, "json"]) => match self.api_execs.get(*x) {
                Some((_, code)) => ApiReply::json(
                    200,
                    &json!({"ID": x, "Running": code.is_none(), "ExitCode": code.unwrap_or(0)}),
                ),
                None => ApiReply::error(404, &format!("No such exec instance: {x}")),
            },
            ("POST", ["exec", _, "resize"]) => ApiReply::empty(200),
            ("POST", ["build"]) => self.api_build(req, now),
            ("POST", ["images", rest @ .., "push"]) if !rest.is_empty() => {
                let name = rest.join("/");
                let tag = query_value(q, "tag").unwrap_or_default();
                let reference = if tag.is_empty() {
                    name.clone()
                } else {
                    format!("{name}:{tag}")
                };
                if self.find_image(&reference).is_none() {
                    let shown = crate::image::Reference::parse(&reference)
                        .map(|r| r.familiar_tagged())
                        .unwrap_or(reference.clone());
                    return ApiReply::error(
                        404,
                        &format!(
                            "An image does not exist locally with the tag: {}",
                            shown.rsplit_once(':').map(|(n, _)| n).unwrap_or(&shown)
                        ),
                    );
                }
                let o = self.api_execute(&format!("docker push {}", word(&reference)), now);
                let mut body = String::new();
                for l in o.stdout().lines() {
                    let m = if l.starts_with("The push refers to") {
                        json!({ "status": l })
                    } else if let Some((t, rest)) = l.split_once(": digest: ") {
                        let (digest, size) = rest.split_once(" size: ").unwrap_or((rest, "0"));
                        body.push_str(&format!("{}\r\n", json!({"status": l})));
                        json!({"progressDetail": {}, "aux": {"Tag": t, "Digest": digest, "Size": size.parse::<u64>().unwrap_or(0)}})
                    } else if let Some((id, status)) = l.split_once(": ") {
                        json!({ "status": status, "id": id })
                    } else {
                        continue;
                    };
                    body.push_str(&format!("{m}\r\n"));
                }
                if o.exit_code != 0 {
                    let msg = o.stderr().trim().to_string();
                    let msg = msg
                        .strip_prefix("Error response from daemon: ")
                        .unwrap_or(&msg)
                        .to_string();
                    body.push_str(&format!(
                        "{}\r\n",
                        json!({"errorDetail": {"message": msg}, "error": msg})
                    ));
                }
                ApiReply {
                    status: 200,
                    content_type: "application/json",
                    body: body.into_bytes(),
                }
            }
            ("GET", ["networks"]) => {
                let ids: Vec<String> = self.networks.networks().map(|n| n.id.clone()).collect();
                let mut list: Vec<Value> = ids.iter().map(|id| self.network_json(id)).collect();
                list.sort_by(|a, b| a["Name"].as_str().cmp(&b["Name"].as_str()));
                ApiReply::json(200, &Value::Array(list))
            }
            ("POST", ["networks", "create"]) => {
                let body: Value = match serde_json::from_slice(&req.body) {
                    Ok(v @ Value::Object(_)) => v,
                    _ => return ApiReply::error(400, "invalid JSON body"),
                };
                let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
                let name = s(&body["Name"]);
                let mut w = vec!["network".to_string(), "create".to_string()];
                let d = s(&body["Driver"]);
                if !d.is_empty() {
                    flag(&mut w, "--driver", &d);
                }
                for c in body["IPAM"]["Config"].as_array().into_iter().flatten() {
                    for (k, f) in [
                        ("Subnet", "--subnet"),
                        ("IPRange", "--ip-range"),
                        ("Gateway", "--gateway"),
                    ] {
                        if !s(&c[k]).is_empty() {
                            flag(&mut w, f, &s(&c[k]));
                        }
                    }
                }
                for (k, f) in [("Internal", "--internal"), ("Attachable", "--attachable")] {
                    if body[k].as_bool() == Some(true) {
                        w.push(f.into());
                    }
                }
                for (k, v) in body["Labels"].as_object().into_iter().flatten() {
                    flag(&mut w, "--label", &format!("{k}={}", s(v)));
                }
                for (k, v) in body["Options"].as_object().into_iter().flatten() {
                    flag(&mut w, "-o", &format!("{k}={}", s(v)));
                }
                w.push(word(&name));
                let o = self.api_execute(&format!("docker {}", w.join(" ")), now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                ApiReply::json(201, &json!({"Id": o.stdout().trim(), "Warning": ""}))
            }
            ("DELETE", ["networks", r]) => {
                let o = self.api_execute(&format!("docker network rm {}", word(r)), now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                ApiReply::empty(204)
            }
            ("GET", ["volumes"]) => {
                let list: Vec<Value> = self.volumes.volumes.values().map(|v| v.json()).collect();
                ApiReply::json(200, &json!({"Volumes": list, "Warnings": null}))
            }
            ("POST", ["volumes", "create"]) => {
                let body: Value = match serde_json::from_slice(&req.body) {
                    Ok(v @ Value::Object(_)) => v,
                    _ => return ApiReply::error(400, "invalid JSON body"),
                };
                let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
                let mut w = vec!["volume".to_string(), "create".to_string()];
                for (k, v) in body["Labels"].as_object().into_iter().flatten() {
                    flag(&mut w, "--label", &format!("{k}={}", s(v)));
                }
                let d = s(&body["Driver"]);
                if !d.is_empty() {
                    flag(&mut w, "--driver", &d);
                }
                let name = s(&body["Name"]);
                if !name.is_empty() {
                    w.push(word(&name));
                }
                let o = self.api_execute(&format!("docker {}", w.join(" ")), now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                match self.volumes.get(o.stdout().trim()) {
                    Some(v) => ApiReply::json(201, &v.json()),
                    None => ApiReply::error(500, "the volume was not created"),
                }
            }
            ("DELETE", ["volumes", r]) => {
                let f = if truthy(q, "force") { " -f" } else { "" };
                let o = self.api_execute(&format!("docker volume rm{f} {}", word(r)), now);
                if o.exit_code != 0 {
                    return failure(&o);
                }
                ApiReply::empty(204)
            }
            ("GET", ["networks", r]) => match self.inspect_network_fallback(r) {
                Some(v) => ApiReply::json(200, &v),
                None => ApiReply::error(404, &format!("network {r} not found")),
            },
            ("GET", ["volumes", r]) => match self.volumes.get(r) {
                Some(v) => ApiReply::json(200, &v.json()),
                None => ApiReply::error(404, &format!("get {r}: no such volume")),
            },
            _ => ApiReply::error(404, "page not found"),
        }
    }

    fn info_json(&self) -> Value {
        let running = self
            .containers
            .values()
            .filter(|c| c.state.status.is_up())
            .count();
        json!({
            "ID": "PORT:HOLE:SIMU:LATE:DHOS:TPOR:THOL:ESIM:ULAT:EDHO:STPO:RTHO",
            "Containers": self.containers.len(),
            "ContainersRunning": running,
            "ContainersPaused": 0,
            "ContainersStopped": self.containers.len() - running,
            "Images": self.images.len(),
            "Driver": "overlay2",
            "KernelVersion": self.kernel.kernel_version(),
            "OperatingSystem": "Porthole (simulated Docker host)",
            "OSType": "linux",
            "Architecture": "x86_64",
            "NCPU": self.kernel.view_cpus(),
            "MemTotal": self.kernel.host_memory(),
            "Name": self.kernel.host_name(),
            "ServerVersion": api::DOCKER_VERSION,
            "CgroupDriver": if self.kernel.cgroup_version() == 2 { "systemd" } else { "cgroupfs" },
            "CgroupVersion": self.kernel.cgroup_version().to_string(),
            "DockerRootDir": "/var/lib/docker",
            "Swarm": {"LocalNodeState": "inactive"},
        })
    }

    /// `GET /containers/json`: dockerd's list entries (daemon/list.go).
    fn containers_json(&self, all: bool) -> Value {
        let mut list: Vec<&crate::engine::Container> = self
            .containers
            .values()
            .filter(|c| all || c.state.status.is_up())
            .collect();
        list.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
        let v: Vec<Value> = list
            .into_iter()
            .map(|c| {
                let mut command = c.path.clone();
                for a in &c.args {
                    command.push(' ');
                    if a.contains(' ') {
                        command.push_str(&format!("'{a}'"));
                    } else {
                        command.push_str(a);
                    }
                }
                let inspect = self.container_json(&c.id);
                let mut ports = Vec::new();
                if let Some(m) = inspect["NetworkSettings"]["Ports"].as_object() {
                    for (k, binds) in m {
                        let (port, proto) = k.split_once('/').unwrap_or((k, "tcp"));
                        let private: u16 = port.parse().unwrap_or(0);
                        match binds.as_array() {
                            Some(b) if !b.is_empty() => {
                                for x in b {
                                    ports.push(json!({
                                        "IP": x["HostIp"],
                                        "PrivatePort": private,
                                        "PublicPort": x["HostPort"].as_str().and_then(|p| p.parse::<u16>().ok()).unwrap_or(0),
                                        "Type": proto,
                                    }));
                                }
                            }
                            _ => ports.push(json!({"PrivatePort": private, "Type": proto})),
                        }
                    }
                }
                json!({
                    "Id": c.id,
                    "Names": [format!("/{}", c.name)],
                    "Image": c.config.image,
                    "ImageID": c.image_id,
                    "Command": command,
                    "Created": c.created.secs(),
                    "Ports": ports,
                    "Labels": c.config.labels,
                    "State": c.state.status.as_str(),
                    "Status": self.status_text(c),
                    "HostConfig": {"NetworkMode": inspect["HostConfig"]["NetworkMode"]},
                    "NetworkSettings": {"Networks": inspect["NetworkSettings"]["Networks"]},
                    "Mounts": inspect["Mounts"],
                })
            })
            .collect();
        Value::Array(v)
    }

    /// `GET /system/df`: the layer store counted once, each image's shared bytes,
    /// the containers' RW layers, the volumes' usage (as `docker system df` sums them).
    fn system_df_json(&self) -> Value {
        let mut refcount: std::collections::BTreeMap<&str, usize> = Default::default();
        for img in self.images.values() {
            for d in img.layers.iter().collect::<std::collections::BTreeSet<_>>() {
                *refcount.entry(d.as_str()).or_default() += 1;
            }
        }
        let layer_size = |d: &str| self.layers.get(d).map(|l| l.layer.size).unwrap_or(0);
        let layers_size: u64 = self.layers.values().map(|l| l.layer.size).sum();
        let mut images = self.images_json();
        for v in images.as_array_mut().into_iter().flatten() {
            let id = v["Id"].as_str().unwrap_or_default().to_string();
            if let Some(img) = self.images.get(&id) {
                let shared: u64 = img
                    .layers
                    .iter()
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .filter(|d| refcount.get(d.as_str()).copied().unwrap_or(0) > 1)
                    .map(|d| layer_size(d))
                    .sum();
                v["SharedSize"] = json!(shared);
                v["Containers"] = json!(self
                    .containers
                    .values()
                    .filter(|c| c.image_id == id)
                    .count());
            }
        }
        let mut containers = self.containers_json(true);
        for v in containers.as_array_mut().into_iter().flatten() {
            let id = v["Id"].as_str().unwrap_or_default().to_string();
            let rw = self.kernel.rw_layer(&id).map(|t| t.size()).unwrap_or(0);
            let image = self
                .containers
                .get(&id)
                .and_then(|c| self.images.get(&c.image_id))
                .map(|i| i.size)
                .unwrap_or(0);
            v["SizeRw"] = json!(rw);
            v["SizeRootFs"] = json!(rw + image);
        }
        let volumes: Vec<Value> = self
            .volumes
            .volumes
            .iter()
            .map(|(n, vol)| {
                let mut j = vol.json();
                j["UsageData"] = json!({
                    "Size": self.kernel.host_usage(&format!("{}/{n}/_data", crate::volume::VOLUMES_ROOT)),
                    "RefCount": self.volumes.refs.get(n).map(|r| r.len()).unwrap_or(0),
                });
                j
            })
            .collect();
        json!({
            "LayersSize": layers_size,
            "Images": images,
            "Containers": containers,
            "Volumes": volumes,
            "BuildCache": [],
        })
    }

    /// `GET /images/json`.
    fn images_json(&self) -> Value {
        let mut list: Vec<&crate::image::Image> = self.images.values().collect();
        list.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
        Value::Array(
            list.into_iter()
                .map(|i| {
                    json!({
                        "Id": i.id,
                        "ParentId": "",
                        "RepoTags": i.repo_tags,
                        "RepoDigests": i.repo_digests,
                        "Created": i.created.secs(),
                        "Size": i.size,
                        "SharedSize": -1,
                        "Containers": -1,
                        "Labels": i.config.labels,
                    })
                })
                .collect(),
        )
    }

    /// `GET /containers/{id}/json`: what `docker inspect` prints.
    fn container_json(&self, id: &str) -> Value {
        let c = &self.containers[id];
        let layers = self
            .images
            .get(&c.image_id)
            .map(|i| self.layer_dirs(&i.layers))
            .unwrap_or_default();
        let mut v = api::container_inspect(c, &layers, self.kernel.cgroup_version());
        self.inspect_network(c, &mut v);
        self.inspect_mounts(id, &mut v);
        v
    }

    /// `POST /build` (the classic builder, as `DOCKER_BUILDKIT=0` asks): the context tar
    /// is unpacked into the simulated host under /var/lib/porthole/build/N, then built by
    /// the CLI path; the steps stream back as `{"stream": …}` messages.
    fn api_build(&mut self, req: &ApiRequest, now: Time) -> ApiReply {
        let q = req.query.as_str();
        let dir = format!("/var/lib/porthole/build/{}", self.api_log.len());
        let mut archive = tar::Archive::new(req.body.as_slice());
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => {
                return ApiReply::error(
                    400,
                    &format!("the build context is not a tar archive: {e}"),
                )
            }
        };
        let mut files = 0;
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => return ApiReply::error(400, &format!("reading the build context: {e}")),
            };
            let path = match entry.path() {
                Ok(p) => p.to_string_lossy().trim_start_matches("./").to_string(),
                Err(_) => continue,
            };
            if path.is_empty() || path.split('/').any(|c| c == "..") {
                continue;
            }
            let kind = entry.header().entry_type();
            if kind.is_dir() {
                let _ = self.host_put_dir(&format!("{dir}/{path}"));
            } else if kind.is_file() {
                let mut bytes = Vec::new();
                if std::io::Read::read_to_end(&mut entry, &mut bytes).is_err() {
                    return ApiReply::error(400, "reading the build context: a truncated file");
                }
                if let Err(e) = self.host_put_file(&format!("{dir}/{path}"), &bytes) {
                    return ApiReply::error(500, &format!("writing the build context: {e}"));
                }
                files += 1;
            }
        }
        if files == 0 {
            let _ = self.host_put_dir(&dir);
        }
        let mut w = vec!["build".to_string()];
        for t in q.split('&').filter_map(|kv| kv.strip_prefix("t=")) {
            flag(&mut w, "-t", &percent_decode(t));
        }
        if let Some(f) = query_value(q, "dockerfile") {
            flag(&mut w, "-f", &format!("{dir}/{f}"));
        }
        if truthy(q, "nocache") {
            w.push("--no-cache".into());
        }
        if truthy(q, "q") {
            w.push("-q".into());
        }
        if let Some(args) = query_value(q, "buildargs") {
            if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&args) {
                for (k, v) in m {
                    flag(
                        &mut w,
                        "--build-arg",
                        &format!("{k}={}", v.as_str().unwrap_or_default()),
                    );
                }
            }
        }
        w.push(dir.clone());
        let o = self.api_execute(&format!("docker {}", w.join(" ")), now);
        // The CLI prints its deprecation notice and "Sending build context" itself.
        let text = o.stdout();
        let mut body = String::new();
        let mut started = truthy(q, "q");
        for l in text.split_inclusive('\n') {
            if !started && l.starts_with("Step ") {
                started = true;
            }
            if started {
                body.push_str(&format!("{}\r\n", json!({ "stream": l })));
            }
        }
        if o.exit_code != 0 {
            let msg = o
                .stderr()
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("the build failed")
                .to_string();
            body.push_str(&format!(
                "{}\r\n",
                json!({"errorDetail": {"code": o.exit_code, "message": msg}, "error": msg})
            ));
        }
        ApiReply {
            status: 200,
            content_type: "application/json",
            body: body.into_bytes(),
        }
    }

    /// `POST /containers/create`: the body turned back into the `docker create` flags
    /// that send it, then the CLI path (dockerd's checks, steps and events).
    fn api_create(&mut self, req: &ApiRequest, now: Time) -> ApiReply {
        let body: Value = match serde_json::from_slice(&req.body) {
            Ok(Value::Object(m)) => Value::Object(m),
            Ok(_) => return ApiReply::error(400, "invalid JSON: the body is not an object"),
            Err(e) => return ApiReply::error(400, &format!("invalid character in JSON: {e}")),
        };
        let image = body["Image"].as_str().unwrap_or_default().to_string();
        if image.is_empty() {
            return ApiReply::error(400, "config cannot be empty in order to create a container");
        }
        // dockerd answers 404 for a missing image; the CLI then pulls and asks again.
        if self.find_image(&image).is_none() {
            let shown = match crate::image::Reference::parse(&image) {
                Ok(r) if r.digest.is_none() => r.familiar_tagged(),
                _ => image.clone(),
            };
            return ApiReply::error(404, &format!("No such image: {shown}"));
        }
        let mut w: Vec<String> = vec!["create".into()];
        if let Some(n) = query_value(&req.query, "name") {
            flag(&mut w, "--name", &n);
        }
        let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
        if !s(&body["Hostname"]).is_empty() {
            flag(&mut w, "--hostname", &s(&body["Hostname"]));
        }
        if !s(&body["User"]).is_empty() {
            flag(&mut w, "--user", &s(&body["User"]));
        }
        if !s(&body["WorkingDir"]).is_empty() {
            flag(&mut w, "--workdir", &s(&body["WorkingDir"]));
        }
        for e in body["Env"].as_array().into_iter().flatten() {
            flag(&mut w, "-e", &s(e));
        }
        if let Some(l) = body["Labels"].as_object() {
            for (k, v) in l {
                flag(&mut w, "--label", &format!("{k}={}", s(v)));
            }
        }
        if let Some(p) = body["ExposedPorts"].as_object() {
            for k in p.keys() {
                flag(&mut w, "--expose", k);
            }
        }
        if let Some(ep) = body["Entrypoint"].as_array() {
            // The CLI sends `--entrypoint X` as ["X"].
            if let Some(first) = ep.first() {
                flag(&mut w, "--entrypoint", &s(first));
            }
        }
        let hc = &body["HostConfig"];
        let num = |k: &str| hc[k].as_i64().unwrap_or(0);
        if num("Memory") > 0 {
            flag(&mut w, "--memory", &format!("{}b", num("Memory")));
        }
        if num("MemorySwap") != 0 {
            let v = num("MemorySwap");
            flag(
                &mut w,
                "--memory-swap",
                &if v < 0 { "-1".into() } else { format!("{v}b") },
            );
        }
        if num("NanoCpus") > 0 {
            flag(
                &mut w,
                "--cpus",
                &format!("{}", num("NanoCpus") as f64 / 1e9),
            );
        }
        if num("CpuShares") > 0 {
            flag(&mut w, "--cpu-shares", &num("CpuShares").to_string());
        }
        if hc["PidsLimit"].as_i64().is_some_and(|p| p != 0) {
            flag(&mut w, "--pids-limit", &num("PidsLimit").to_string());
        }
        let mode = s(&hc["NetworkMode"]);
        if !mode.is_empty() && mode != "default" {
            flag(&mut w, "--network", &mode);
        }
        if let Some(pb) = hc["PortBindings"].as_object() {
            for (port, binds) in pb {
                for b in binds.as_array().into_iter().flatten() {
                    let ip = s(&b["HostIp"]);
                    let hp = s(&b["HostPort"]);
                    let spec = match (ip.is_empty(), hp.is_empty()) {
                        (true, true) => port.clone(),
                        (true, false) => format!("{hp}:{port}"),
                        (false, _) => format!("{ip}:{hp}:{port}"),
                    };
                    flag(&mut w, "-p", &spec);
                }
            }
        }
        if hc["PublishAllPorts"].as_bool() == Some(true) {
            w.push("-P".into());
        }
        for b in hc["Binds"].as_array().into_iter().flatten() {
            flag(&mut w, "-v", &s(b));
        }
        if let Some(v) = body["Volumes"].as_object() {
            for k in v.keys() {
                flag(&mut w, "-v", k);
            }
        }
        if hc["AutoRemove"].as_bool() == Some(true) {
            w.push("--rm".into());
        }
        if hc["ReadonlyRootfs"].as_bool() == Some(true) {
            w.push("--read-only".into());
        }
        let rp = s(&hc["RestartPolicy"]["Name"]);
        if !rp.is_empty() && rp != "no" {
            let n = hc["RestartPolicy"]["MaximumRetryCount"]
                .as_i64()
                .unwrap_or(0);
            flag(
                &mut w,
                "--restart",
                &if n > 0 { format!("{rp}:{n}") } else { rp },
            );
        }
        if body["Tty"].as_bool() == Some(true) {
            w.push("-t".into());
        }
        if body["OpenStdin"].as_bool() == Some(true) {
            w.push("-i".into());
        }
        w.push(word(&image));
        for a in body["Cmd"].as_array().into_iter().flatten() {
            w.push(word(&s(a)));
        }
        let line = format!("docker {}", w.join(" "));
        let o = self.api_execute(&line, now);
        if o.exit_code != 0 {
            return failure(&o);
        }
        let id = o.stdout().trim().to_string();
        ApiReply::json(201, &json!({"Id": id, "Warnings": []}))
    }
}

fn flag(w: &mut Vec<String>, f: &str, v: &str) {
    w.push(f.to_string());
    w.push(word(v));
}

/// One frame of Docker's multiplexed stream: `[stream, 0, 0, 0, len (u32 BE)]` + payload.
pub fn frame(stream: Stream, payload: &[u8]) -> Vec<u8> {
    let kind = match stream {
        Stream::Stdout => 1u8,
        Stream::Stderr => 2u8,
    };
    let mut v = Vec::with_capacity(8 + payload.len());
    v.extend_from_slice(&[kind, 0, 0, 0]);
    v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// The `/_ping` headers the CLI reads to negotiate.
pub fn ping_headers() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("Api-Version".into(), json!(API_VERSION));
    m.insert("Ostype".into(), json!("linux"));
    m.insert("Docker-Experimental".into(), json!("false"));
    m.insert("Builder-Version".into(), json!("1"));
    m.insert("Swarm".into(), json!("inactive"));
    m
}
