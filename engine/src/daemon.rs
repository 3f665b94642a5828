//! dockerd's logic: what each docker command does, worded and numbered as Docker does it.
//! Every effect goes through the `Kernel`; every stage is a `Step`.
//!
//! Failing commands validate before they change anything (and before they draw an ID), so
//! the state after an error equals the state before it.

use crate::api::{self, API_VERSION, DOCKER_VERSION};
use crate::cli::{self, Command};
use crate::engine::{Container, ContainerConfig, Engine, LayerRecord, State, Status};
use crate::format::{ellipsis, go_quote, human_size, json_indent, table};
use crate::image::{Reference, RegistryImage};
use crate::kernel::{
    ExecSpec, InitSpec, Kernel, KernelError, KernelEvent, LayerSpec, NsKind, Signal, SignalOutcome,
    Stream,
};
use crate::time::{human_duration, Time, NANOS_PER_SEC};
use crate::trace::{Change, Component, Http, Object, Step};
use serde_json::{json, Value};
use std::sync::Arc;

/// An error the daemon returns: the HTTP status and Docker's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub(crate) fn new(status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
    pub(crate) fn no_such_container(r: &str) -> ApiError {
        ApiError::new(404, format!("No such container: {r}"))
    }
}

pub(crate) fn http(
    method: &str,
    path: &str,
    request: Option<String>,
    status: u16,
    response: Option<Value>,
) -> Http {
    Http {
        method: method.into(),
        path: format!("/v{API_VERSION}{path}"),
        request,
        status,
        response: response.map(|v| v.to_string()),
    }
}

pub(crate) fn api_step(h: Http, why: &'static str) -> Step {
    let action = format!("{} {} → {}", h.method, h.path, h.status);
    Step::new(Component::Api, action, why).http(h)
}

/// Percent-encodes a query value as Go's url.Values.Encode does (enough for names and tags).
fn q(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        // The captured CLI requests keep `/` and `:` as they are (docker-cli-request-sequences.txt).
        if b.is_ascii_alphanumeric() || b"-_.~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Go's `url.QueryEscape`: what the CLI does to a query value such as a filters JSON.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn valid_name(name: &str) -> bool {
    let n = name.strip_prefix('/').unwrap_or(name);
    let mut chars = n.chars();
    n.len() >= 2
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

impl<K: Kernel> Engine<K> {
    pub(crate) fn run_command(&mut self, cmd: Command, words: &[String]) -> i32 {
        let shown = words.join(" ");
        if !matches!(cmd, Command::Help(_)) {
            self.step(Step::new(
                Component::Cli,
                format!("parsed `{shown}`"),
                "the docker client turns the command line into REST API calls to dockerd on /var/run/docker.sock",
            ));
        }
        match cmd {
            Command::Help(text) => {
                self.out(&text);
                0
            }
            Command::Run(a) => self.cmd_run(a),
            Command::Exec(a) => self.cmd_exec(a),
            Command::Top(a) => self.cmd_top(a),
            Command::Ps(a) => self.cmd_ps(a),
            Command::Images(a) => self.cmd_images(a),
            Command::Pull(a) => self.cmd_pull(a),
            Command::Stop(a) => self.cmd_stop(a),
            Command::Kill(a) => self.cmd_kill(a),
            Command::Rm(a) => self.cmd_rm(a),
            Command::Logs(a) => self.cmd_logs(a),
            Command::Inspect(a) => self.cmd_inspect(a),
            Command::Version(a) => self.cmd_version(a),
            Command::Info(a) => self.cmd_info(a),
            Command::Create(a) => self.cmd_create(a),
            Command::Start(a) => self.cmd_start(a),
            Command::Restart(a) => self.cmd_restart(a),
            Command::Pause(a) => self.cmd_pause(a),
            Command::Unpause(a) => self.cmd_unpause(a),
            Command::Wait(a) => self.cmd_wait(a),
            Command::Rename(a) => self.cmd_rename(a),
            Command::Events(a) => self.cmd_events(a),
            Command::Prune(a) => self.cmd_prune(a),
            Command::Update(a) => self.cmd_update(a),
            Command::Stats(a) => self.cmd_stats(a),
            Command::NetworkCreate(a) => self.cmd_network_create(a),
            Command::NetworkLs(a) => self.cmd_network_ls(a),
            Command::NetworkInspect(a) => self.cmd_network_inspect(a),
            Command::NetworkRm(a) => self.cmd_network_rm(a),
            Command::NetworkConnect(a) => self.cmd_network_connect(a),
            Command::NetworkDisconnect(a) => self.cmd_network_disconnect(a),
            Command::NetworkPrune(a) => self.cmd_network_prune(a),
            Command::VolumeCreate(a) => self.cmd_volume_create(a),
            Command::VolumeLs(a) => self.cmd_volume_ls(a),
            Command::VolumeInspect(a) => self.cmd_volume_inspect(a),
            Command::VolumeRm(a) => self.cmd_volume_rm(a),
            Command::VolumePrune(a) => self.cmd_volume_prune(a),
            Command::Port(a) => self.cmd_port(a),
            Command::Diff(a) => self.cmd_diff(a),
            Command::Cp(a) => self.cmd_cp(a),
            Command::ImageStore(c) => self.run_image_command(c),
            Command::Commit(a) => self.cmd_commit(a),
            Command::Build(a) => self.cmd_build(a),
            Command::Push(a) => self.cmd_push(a),
            Command::Login(a) => self.cmd_login(a),
            Command::Logout(a) => self.cmd_logout(a),
        }
    }

    /// `Error response from daemon: …` on stderr (exit 1 for most commands).
    pub(crate) fn daemon_error(&mut self, e: &ApiError) {
        self.err(&format!("Error response from daemon: {}\n", e.message));
    }

    /// dockerd refused `POST /containers/create`: the API step, and `docker run`'s (or
    /// `docker create`'s) error (exit 125). Nothing was created.
    fn reject_create(
        &mut self,
        verb: &str,
        name_q: &str,
        body: String,
        e: ApiError,
        why: &'static str,
    ) -> i32 {
        let response = json!({"message": e.message});
        self.step(api_step(
            http(
                "POST",
                &format!("/containers/create{name_q}"),
                Some(body),
                e.status,
                Some(response),
            ),
            why,
        ));
        self.cli_error(verb, &format!("Error response from daemon: {}", e.message));
        125
    }

    /// `docker run`'s error form: `docker: …` + the help hint, on stderr.
    pub(crate) fn run_error(&mut self, msg: &str) {
        self.cli_error("run", msg);
    }

    /// `docker VERB`'s error form for run and create: `docker: …` + the help hint.
    pub(crate) fn cli_error(&mut self, verb: &str, msg: &str) {
        self.err(&format!(
            "docker: {msg}\n\nRun 'docker {verb} --help' for more information\n"
        ));
    }

    /// A flag whose value pflag refused: the message, the usage line, the hint (exit 125).
    pub(crate) fn flag_error(&mut self, verb: &str, msg: &str) {
        self.err(&format!(
            "{msg}\n\nUsage:  docker {verb} [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker {verb} --help' for more information\n"
        ));
    }

    // ---- lookups ------------------------------------------------------------------------

    /// A container by reference for `METHOD path`; when there is none, the refused API
    /// call is recorded as a step and the error returned for the caller to report.
    pub(crate) fn container_for(
        &mut self,
        r: &str,
        method: &str,
        path: &str,
    ) -> Result<String, ApiError> {
        self.find_container(r).inspect_err(|e| {
            self.step(api_step(
                http(
                    method,
                    path,
                    None,
                    e.status,
                    Some(json!({"message": e.message})),
                ),
                "dockerd has no such container",
            ))
        })
    }

    /// A container by full ID, name, or unique ID prefix, as dockerd's GetContainer.
    pub(crate) fn find_container(&self, r: &str) -> Result<String, ApiError> {
        if r.is_empty() {
            return Err(ApiError::no_such_container(r));
        }
        if self.containers.contains_key(r) {
            return Ok(r.to_string());
        }
        let name = r.strip_prefix('/').unwrap_or(r);
        if let Some(id) = self.names.get(name) {
            return Ok(id.clone());
        }
        let mut matches = self
            .containers
            .range(r.to_string()..)
            .take_while(|(k, _)| k.starts_with(r));
        match (matches.next(), matches.next()) {
            (Some((id, _)), None) => Ok(id.clone()),
            (Some(_), Some(_)) => Err(ApiError::new(
                400,
                format!("Multiple IDs found with provided prefix: {r}"),
            )),
            _ => Err(ApiError::no_such_container(r)),
        }
    }

    /// An image by reference (tag) or ID / ID prefix.
    pub(crate) fn find_image(&self, r: &str) -> Option<String> {
        if let Ok(reference) = Reference::parse(r) {
            if reference.digest.is_none() {
                if let Some(id) = self.tags.get(&reference.familiar_tagged()) {
                    return Some(id.clone());
                }
            } else {
                let want = format!(
                    "{}@{}",
                    reference.familiar_name(),
                    reference.digest.as_deref().unwrap_or("")
                );
                if let Some(img) = self
                    .images
                    .values()
                    .find(|i| i.repo_digests.contains(&want))
                {
                    return Some(img.id.clone());
                }
            }
        }
        let hex = r.strip_prefix("sha256:").unwrap_or(r);
        if hex.len() >= 4 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let key = format!("sha256:{hex}");
            let mut m = self
                .images
                .range(key.clone()..)
                .take_while(|(k, _)| k.starts_with(&key));
            if let (Some((id, _)), None) = (m.next(), m.next()) {
                return Some(id.clone());
            }
        }
        None
    }

    // ---- pull ---------------------------------------------------------------------------

    /// Resolves a reference on the registry, as dockerd does before downloading.
    fn resolve_remote(&self, r: &Reference) -> Result<Arc<RegistryImage>, ApiError> {
        if r.domain != "docker.io" {
            if r.domain.starts_with("localhost") || r.domain.starts_with("127.") {
                return self.private_registry_image(r); // crate::registry
            }
            let msg = if r.domain.starts_with("localhost") || r.domain.starts_with("127.0.0.1") {
                let port = r.domain.split(':').nth(1).unwrap_or("443");
                format!(
                    "Get \"http://{}/v2/\": dial tcp [::1]:{port}: connect: connection refused",
                    r.domain
                )
            } else {
                format!(
                    "Get \"https://{}/v2/\": dial tcp: lookup {} on 127.0.0.53:53: no such host",
                    r.domain,
                    r.domain.split(':').next().unwrap_or("")
                )
            };
            return Err(ApiError::new(500, msg));
        }
        if !self.registry.has_repository(&r.path) {
            return Err(ApiError::new(
                404,
                format!(
                    "pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
                    r.familiar_name()
                ),
            ));
        }
        if let Some(d) = &r.digest {
            let found = self
                .registry
                .repositories()
                .filter(|(repo, _)| *repo == r.path)
                .find_map(|(repo, tag)| {
                    self.registry
                        .get(repo, tag)
                        .filter(|i| &i.manifest_digest == d)
                        .cloned()
                });
            return found.ok_or_else(|| {
                ApiError::new(
                    404,
                    format!(
                        "manifest for {}@{d} not found: manifest unknown: manifest unknown",
                        r.familiar_name()
                    ),
                )
            });
        }
        self.registry
            .get(&r.path, r.tag_or_latest())
            .cloned()
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    format!(
                        "manifest for {} not found: manifest unknown: manifest unknown",
                        r.familiar_tagged()
                    ),
                )
            })
    }

    /// Pulls `r`, writing the progress lines the CLI shows (non-terminal form) to
    /// `stream`. Returns the image ID.
    pub(crate) fn pull(&mut self, r: &Reference, stream: Stream) -> Result<String, ApiError> {
        let tag = r.tag_or_latest().to_string();
        let query = format!(
            "/images/create?fromImage={}&tag={}",
            q(&r.full_name()),
            q(r.digest.as_deref().unwrap_or(&tag))
        );
        let remote = match self.resolve_remote(r) {
            Ok(x) => x,
            Err(e) => {
                self.step(api_step(
                    http(
                        "POST",
                        &query,
                        None,
                        e.status,
                        Some(json!({"message": e.message})),
                    ),
                    "dockerd asked the registry for the image's manifest and was refused",
                ));
                self.step(Step::new(
                    Component::Registry,
                    format!("no manifest for {}", r.familiar_tagged()),
                    e.message.clone(),
                ));
                return Err(e);
            }
        };
        self.step(api_step(
            http("POST", &query, None, 200, None),
            "the CLI asks dockerd to pull; dockerd streams progress back as JSON lines",
        ));
        let repo_path = if r.domain == "docker.io" {
            r.path.clone()
        } else {
            format!("{}/{}", r.domain, r.path)
        };
        self.write(
            stream,
            &format!(
                "{}: Pulling from {}\n",
                if r.digest.is_some() {
                    r.digest.as_deref().unwrap_or("")
                } else {
                    tag.as_str()
                },
                repo_path
            ),
        );
        self.step(Step::new(
            Component::Registry,
            format!(
                "GET /v2/{}/manifests/{} → manifest {} ({} layer{})",
                r.path,
                r.digest.as_deref().unwrap_or(&tag),
                &remote.manifest_digest,
                remote.layers.len(),
                if remote.layers.len() == 1 { "" } else { "s" }
            ),
            "the manifest lists the image's config and its layers by digest; dockerd downloads only the layers it does not have",
        ));

        // Which layers are new? Downloads run three at a time (max-concurrent-downloads),
        // at a steady virtual 50 MB/s each; each layer is extracted in order once it and
        // every layer below it are in.
        let have: Vec<bool> = remote
            .layers
            .iter()
            .map(|l| self.layers.contains_key(&l.diff_id))
            .collect();
        let short = |d: &str| d.trim_start_matches("sha256:")[..12].to_string();
        let mut active = 0;
        for (l, h) in remote.layers.iter().zip(&have) {
            if *h {
                self.write(stream, &format!("{}: Already exists\n", short(&l.digest)));
            } else if active < 3 {
                self.write(stream, &format!("{}: Pulling fs layer\n", short(&l.digest)));
                active += 1;
            } else {
                self.write(stream, &format!("{}: Waiting\n", short(&l.digest)));
            }
        }
        let start = self.now;
        let mut slots = [start; 3];
        let mut done_at = Vec::new();
        for (l, h) in remote.layers.iter().zip(&have) {
            if *h {
                done_at.push(start);
                continue;
            }
            let slot = (0..3).min_by_key(|&i| slots[i]).unwrap_or(0);
            let dur =
                l.compressed_size.saturating_mul(NANOS_PER_SEC) / 50_000_000 + NANOS_PER_SEC / 100;
            slots[slot] = slots[slot].plus_nanos(dur);
            done_at.push(slots[slot]);
        }
        // Extraction runs in layer order as soon as a layer and the ones below it are in
        // (about 200 MB/s); download and extraction lines interleave in time order, as
        // the real non-terminal output does.
        let mut events: Vec<(Time, u8, usize)> = Vec::new();
        let mut prev_extracted = start;
        for (i, l) in remote.layers.iter().enumerate() {
            if have[i] {
                continue;
            }
            events.push((done_at[i], 0, i));
            let ext = done_at[i].max(prev_extracted).plus_nanos(l.size / 200);
            prev_extracted = ext;
            events.push((ext, 1, i));
        }
        events.sort_by_key(|&(t, kind, i)| (t, kind, i));
        for (i, l) in remote.layers.iter().enumerate() {
            if have[i] {
                self.step(Step::new(
                    Component::Dockerd,
                    format!("layer {} already exists ({}): reused, not downloaded", short(&l.digest), l.diff_id),
                    "images that share a base share its layers on disk: copy-on-write makes that safe",
                ));
            }
        }
        let mut t = start;
        for (at, kind, i) in events {
            let l = &remote.layers[i];
            t = t.max(at);
            if kind == 0 {
                self.write(
                    stream,
                    &format!(
                        "{}: Verifying Checksum\n{}: Download complete\n",
                        short(&l.digest),
                        short(&l.digest)
                    ),
                );
                self.step(
                    Step::new(
                        Component::Registry,
                        format!("GET /v2/{}/blobs/{} → {} compressed", r.path, l.digest, human_size(l.compressed_size)),
                        "layers are content-addressed blobs: dockerd verifies the sha256 of what it downloaded",
                    )
                    .change(Change::added(Object::Layer(l.diff_id.clone()))),
                );
                continue;
            }
            let spec = LayerSpec {
                diff_id: l.diff_id.clone(),
                tree: l.tree.clone(),
            };
            let dir = self
                .kernel
                .store_layer(&spec)
                .map_err(|e| ApiError::new(500, e.to_string()))?;
            self.layers.insert(
                l.diff_id.clone(),
                LayerRecord {
                    layer: (**l).clone(),
                    dir: dir.clone(),
                    images: Default::default(),
                },
            );
            self.write(stream, &format!("{}: Pull complete\n", short(&l.digest)));
            self.step(
                Step::new(
                    Component::Kernel,
                    format!("unpacked layer {} ({} files, {}) into {dir}", l.diff_id, l.tree.len(), human_size(l.size)),
                    "overlay2 keeps each layer as a plain directory; the layer is read-only from now on",
                )
                .change(Change::added(Object::Layer(l.diff_id.clone()))),
            );
        }
        self.now = self.now.max(t);
        self.write(stream, &format!("Digest: {}\n", remote.manifest_digest));
        let fresh = !self.images.contains_key(&remote.image.id)
            || self.tags.get(&r.familiar_tagged()) != Some(&remote.image.id);
        let id = self.store_image(&remote, r);
        let status = if fresh && r.digest.is_none() {
            format!(
                "Status: Downloaded newer image for {}\n",
                r.familiar_tagged()
            )
        } else if r.digest.is_some() {
            format!(
                "Status: Downloaded newer image for {}@{}\n",
                r.familiar_name(),
                remote.manifest_digest
            )
        } else {
            format!("Status: Image is up to date for {}\n", r.familiar_tagged())
        };
        self.write(stream, &status);
        Ok(id)
    }

    fn store_image(&mut self, remote: &RegistryImage, r: &Reference) -> String {
        let id = remote.image.id.clone();
        let mut img = self.images.get(&id).cloned().unwrap_or_else(|| {
            let mut i = remote.image.clone();
            i.repo_tags.clear();
            i.repo_digests.clear();
            i
        });
        let digest_ref = format!("{}@{}", r.familiar_name(), remote.manifest_digest);
        if !img.repo_digests.contains(&digest_ref) {
            img.repo_digests.push(digest_ref);
        }
        let mut changes = vec![Change::added(Object::Image(id.clone()))];
        if r.digest.is_none() {
            let tag = r.familiar_tagged();
            if let Some(old) = self.tags.insert(tag.clone(), id.clone()) {
                if old != id {
                    if let Some(o) = self.images.get_mut(&old) {
                        o.repo_tags.retain(|t| t != &tag);
                    }
                    changes.push(Change::modified(Object::Image(old)));
                }
            }
            if !img.repo_tags.contains(&tag) {
                img.repo_tags.push(tag);
                img.repo_tags.sort();
            }
        }
        for d in &img.layers {
            if let Some(rec) = self.layers.get_mut(d) {
                rec.images.insert(id.clone());
            }
        }
        let tags = img.repo_tags.join(", ");
        self.images.insert(id.clone(), img);
        let mut s = Step::new(
            Component::Dockerd,
            format!("stored image {} and tagged it {tags}", &id[7..19]),
            "the image ID is the sha256 of its config; a tag is just a name pointing at that ID",
        );
        s.changes = changes;
        self.step(s);
        id
    }

    fn cmd_pull(&mut self, a: cli::PullArgs) -> i32 {
        let name = &a.args[0];
        let r = match Reference::parse(name) {
            Ok(r) => r,
            Err(e) => {
                self.err(&format!("{e}\n"));
                return 1;
            }
        };
        if r.tag.is_none() && r.digest.is_none() && !a.quiet {
            self.out("Using default tag: latest\n");
        }
        // -q: only the name at the end (the progress goes nowhere).
        let mark = self.output.len();
        let pulled = self.pull(&r, Stream::Stdout);
        if a.quiet {
            self.output.truncate(mark);
        }
        match pulled {
            Ok(_) => {
                let full = match &r.digest {
                    Some(d) => format!("{}@{d}", r.full_name()),
                    None => format!("{}:{}", r.full_name(), r.tag_or_latest()),
                };
                self.out(&format!("{full}\n"));
                0
            }
            Err(e) => {
                self.daemon_error(&e);
                1
            }
        }
    }

    // ---- run ----------------------------------------------------------------------------

    fn cmd_run(&mut self, a: cli::RunArgs) -> i32 {
        let attach = !a.detach;
        let id = match self.create_container(&a.create, attach, "run") {
            Ok(id) => id,
            Err(code) => return code,
        };
        let short = id[..12].to_string();
        if attach {
            self.step(api_step(
                http("POST", &format!("/containers/{id}/attach?stderr=1&stdout=1&stream=1"), None, 101, None),
                "the CLI attaches before starting, so it misses no output: the connection is upgraded to a raw stream",
            ));
            self.emit_container("attach", &id, &[]);
        }
        let condition = if a.rm { "removed" } else { "next-exit" };
        self.step(api_step(
            http("POST", &format!("/containers/{id}/wait?condition={condition}"), None, 200, None),
            "the CLI asks to be told when the container exits (or is removed, with --rm); the answer comes later",
        ));
        self.step(api_step(
            http("POST", &format!("/containers/{id}/start"), None, 204, None),
            "start asks dockerd to run the container it created",
        ));
        self.attach_to = attach.then(|| id.clone());
        let started = self.start_container(&id);
        self.attach_to = None;
        if let Err(e) = started {
            let code = if e.message.contains("executable file not found")
                || e.message.contains("no such file or directory")
            {
                127
            } else if e.message.contains("permission denied") {
                126
            } else {
                125
            };
            self.run_error(&format!("Error response from daemon: {}", e.message));
            return code;
        }
        if !attach {
            self.out(&format!("{id}\n"));
            self.step(Step::new(
                Component::Cli,
                format!("printed the container ID {short}… and returned"),
                "with -d the CLI does not wait: the container keeps running in the background",
            ));
            return 0;
        }
        self.follow_attached(&id, a.rm)
    }

    /// `POST /containers/create` as `docker run` and `docker create` send it: the CLI's own
    /// checks, dockerd's validation, the pull after a 404, then the record and its RW layer.
    /// Returns the new container's ID, or the exit code of the error it printed (`verb` is
    /// "run" or "create", for the CLI's help hint).
    pub(crate) fn create_container(
        &mut self,
        a: &cli::CreateArgs,
        attach: bool,
        verb: &str,
    ) -> Result<String, i32> {
        let image_arg = a.args[0].clone();
        let cmd_args: Vec<String> = a.args[1..].to_vec();
        let reference = match Reference::parse(&image_arg) {
            Ok(r) => Some(r),
            Err(e) => {
                // An image ID is not a reference; anything else that fails to parse is an error.
                if self.find_image(&image_arg).is_none() {
                    self.cli_error(verb, &e.to_string());
                    return Err(125);
                }
                None
            }
        };
        // The CLI's own checks.
        for e in &a.env {
            if e.starts_with('=') {
                self.cli_error(verb, &format!("invalid environment variable: {e}"));
                return Err(125);
            }
        }
        let mut config = ContainerConfig {
            hostname: a.hostname.clone().unwrap_or_default(),
            user: a.user.clone().unwrap_or_default(),
            env: a.env.clone(),
            cmd: if cmd_args.is_empty() {
                None
            } else {
                Some(cmd_args.clone())
            },
            entrypoint: a
                .entrypoint
                .clone()
                .map(|e| if e.is_empty() { vec![] } else { vec![e] }),
            image: image_arg.clone(),
            working_dir: a.workdir.clone().unwrap_or_default(),
            labels: Default::default(),
            exposed_ports: Vec::new(),
            stop_signal: None,
            tty: a.tty,
            open_stdin: a.interactive,
            attach,
            auto_remove: a.rm,
        };
        // resources and namespace modes: parsed here (the CLI's own checks, before any request).
        let usage_error = |m: &str| {
            format!("{m}\n\nUsage:  docker {verb} [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker {verb} --help' for more information\n")
        };
        let mut resources = match crate::resources::parse_flags(&a.res) {
            Ok(r) => r,
            Err(crate::resources::FlagError(m)) => {
                self.err(&usage_error(&m));
                return Err(125);
            }
        };
        if let Some(v) = &a.oom_kill_disable {
            match crate::resources::parse_bool_flag(v, "--oom-kill-disable") {
                Ok(b) => resources.oom_kill_disable = Some(b),
                Err(crate::resources::FlagError(m)) => {
                    self.err(&usage_error(&m));
                    return Err(125);
                }
            }
        }
        let modes = match crate::namespaces::parse_modes(a) {
            Ok(m) => m,
            Err(m) => {
                self.cli_error(verb, &m);
                return Err(125);
            }
        };
        let net_flags = match crate::network::parse_create_flags(a) {
            Ok(f) => f,
            Err(crate::network::FlagError::Cli(m)) => {
                self.cli_error(verb, &m);
                return Err(125);
            }
            Err(crate::network::FlagError::Flag(m)) => {
                self.err(&usage_error(&m));
                return Err(125);
            }
        };
        let mount_req = match crate::volume::parse_request(a) {
            Ok(r) => r,
            Err(crate::volume::RequestError::Cli(m)) => {
                self.cli_error(verb, &m);
                return Err(125);
            }
            Err(crate::volume::RequestError::Flag(m)) => {
                self.err(&usage_error(&m));
                return Err(125);
            }
        };
        let mut host_config = crate::engine::HostConfig {
            readonly_rootfs: a.read_only,
            ..Default::default()
        };
        let (policy_name, policy_count) =
            match crate::lifecycle::parse_restart_flag(a.restart.as_deref()) {
                Ok(p) => p,
                Err(msg) => {
                    self.cli_error(verb, &msg);
                    return Err(125);
                }
            };
        if a.rm && !matches!(policy_name.as_str(), "" | "no") {
            self.cli_error(
                verb,
                "conflicting options: cannot specify both --restart and --rm",
            );
            return Err(125);
        }
        host_config.stop_timeout = match a
            .stop_timeout
            .as_deref()
            .map(crate::lifecycle::parse_int_flag)
        {
            None => None,
            Some(Ok(t)) => Some(t),
            Some(Err(())) => {
                let v = a.stop_timeout.clone().unwrap_or_default();
                self.flag_error(verb, &format!("invalid argument \"{v}\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"));
                return Err(125);
            }
        };
        config.stop_signal = a.stop_signal.clone();
        let name_q = a
            .name
            .as_deref()
            .map(|n| format!("?name={}", q(n)))
            .unwrap_or_default();
        let mut extras = api::CreateExtras::default();
        crate::network::create_body_parts(a, &net_flags, &mut extras);
        crate::volume::create_body_parts(&mount_req, &mut extras);
        let body = api::create_body(
            &config,
            &cmd_args,
            &host_config,
            &policy_name,
            policy_count,
            &extras,
        );
        if let Some(n) = &a.name {
            if !valid_name(n) {
                let e = ApiError::new(
                    400,
                    format!(
                        "Invalid container name ({n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
                    ),
                );
                return Err(self.reject_create(
                    verb,
                    &name_q,
                    body,
                    e,
                    "dockerd validates the name before it creates anything",
                ));
            }
        }

        // dockerd checks the HostConfig before it looks for the image.
        if let Err(e) = self.validate_mount_config(&mount_req) {
            return Err(self.reject_create(
                verb,
                &name_q,
                body,
                e,
                "dockerd validates each --mount (a bind source must exist) and tmpfs path before it looks for the image",
            ));
        }
        match crate::lifecycle::validate_restart(&policy_name, policy_count) {
            Ok(p) => host_config.restart_policy = p,
            Err(e) => {
                return Err(self.reject_create(
                    verb,
                    &name_q,
                    body,
                    e,
                    "dockerd validates the HostConfig (here the restart policy) before it looks for the image",
                ))
            }
        }
        let cpus = self.kernel.view_cpus();
        let cgv = self.kernel.cgroup_version();
        let warnings = match crate::resources::verify(&mut resources, cpus, cgv, false) {
            Ok(w) => w,
            Err(m) => {
                return Err(self.reject_create(
                    verb,
                    &name_q,
                    body,
                    ApiError::new(400, m),
                    "dockerd checks the resource limits against what the host and its cgroups support before it creates anything",
                ))
            }
        };
        crate::resources::apply_defaults(&mut resources);
        let modes = match self.resolve_modes(modes) {
            Ok(m) => m,
            Err(e) => {
                return Err(self.reject_create(
                    verb,
                    &name_q,
                    body,
                    e,
                    "dockerd resolves the namespace modes before it creates anything",
                ))
            }
        };
        // POST /containers/create: 404 for a missing image makes the CLI pull and retry.
        let image_id = match self.find_image(&image_arg) {
            Some(id) => id,
            None => {
                let r = reference.clone().unwrap_or_else(|| Reference {
                    domain: "docker.io".into(),
                    path: image_arg.clone(),
                    tag: None,
                    digest: None,
                });
                let msg = format!("No such image: {}", r.familiar_tagged());
                self.step(api_step(
                    http("POST", &format!("/containers/create{name_q}"), Some(body.clone()), 404, Some(json!({"message": msg}))),
                    "dockerd has no image by that name locally, so it answers 404 and the CLI pulls it first",
                ));
                self.err(&format!(
                    "Unable to find image '{}' locally\n",
                    r.familiar_tagged()
                ));
                match self.pull(&r, Stream::Stderr) {
                    Ok(id) => id,
                    Err(e) => {
                        self.cli_error(verb, &format!("Error response from daemon: {}", e.message));
                        return Err(125);
                    }
                }
            }
        };
        // dockerd validates the networking config once it has the image.
        let (container_net, net_warnings) =
            match self.validate_create_network(&net_flags, &modes.network, a.network.as_deref()) {
                Ok(n) => n,
                Err(e) => {
                    return Err(self.reject_create(
                        verb,
                        &name_q,
                        body.clone(),
                        e,
                        "dockerd validates the networking config (addresses, aliases, links, ports) before it creates anything",
                    ))
                }
            };
        // Name conflict: checked before an ID is drawn, so a failure changes nothing.
        if let Some(n) = &a.name {
            if let Some(other) = self.names.get(n.trim_start_matches('/')) {
                let e = ApiError::new(
                    409,
                    format!("Conflict. The container name \"/{n}\" is already in use by container \"{other}\". You have to remove (or rename) that container to be able to reuse that name."),
                );
                return Err(self.reject_create(
                    verb,
                    &name_q,
                    body,
                    e,
                    "container names are unique on a host",
                ));
            }
        }
        let (img_cfg, img_layers, img_name) = {
            let img = &self.images[&image_id];
            let name = img
                .repo_tags
                .first()
                .cloned()
                .unwrap_or_else(|| img.id[7..19].to_string());
            (img.config.clone(), img.layers.clone(), name)
        };
        // Validate the command before drawing IDs, so that a refusal changes nothing.
        let has_command = config.cmd.is_some()
            || config.entrypoint.as_ref().is_some_and(|e| !e.is_empty())
            || img_cfg
                .entrypoint
                .as_ref()
                .is_some_and(|e| !e.is_empty() && config.entrypoint.is_none())
            || (img_cfg.cmd.as_ref().is_some_and(|c| !c.is_empty()) && a.entrypoint.is_none());
        if !has_command {
            let e = ApiError::new(400, "no command specified");
            return Err(self.reject_create(
                verb,
                &name_q,
                body,
                e,
                "an image with neither ENTRYPOINT nor CMD needs a command",
            ));
        }
        let mount_plan = match self.plan_mounts(&mount_req, &img_cfg.volumes) {
            Ok(p) => p,
            Err(e) => {
                return Err(self.reject_create(
                    verb,
                    &name_q,
                    body,
                    e,
                    "dockerd parses the -v specs, refuses duplicate mount points and checks volume names before the container exists",
                ))
            }
        };
        // Merge the image's config under the container's.
        let id = self.new_id();
        let mount_id = self.new_id();
        let name = match &a.name {
            Some(n) => n.trim_start_matches('/').to_string(),
            None => {
                let mut n = crate::names::random_name(&mut self.rng, 0);
                let mut retry = 1;
                while self.names.contains_key(&n) {
                    n = crate::names::random_name(&mut self.rng, retry);
                    retry += 1;
                }
                n
            }
        };
        if config.hostname.is_empty() {
            // The host's name with --network=host or --uts=host; the donor's with
            // --network container:NAME (they share a network identity); else the short ID.
            config.hostname = if modes.network == "host" || modes.uts == "host" {
                self.kernel.host_name()
            } else if let Some(d) = modes.network.strip_prefix("container:") {
                self.containers
                    .get(d)
                    .map(|c| c.config.hostname.clone())
                    .unwrap_or_else(|| id[..12].to_string())
            } else {
                id[..12].to_string()
            };
        }
        let mut env = img_cfg.env.clone();
        for e in &config.env {
            let key = e.split('=').next().unwrap_or(e);
            if !e.contains('=') {
                continue; // `-e NAME` takes the value from the client's environment, empty here
            }
            env.retain(|x| x.split('=').next() != Some(key));
            env.push(e.clone());
        }
        config.env = env;
        if config.working_dir.is_empty() {
            config.working_dir = img_cfg.working_dir.clone();
        }
        if config.user.is_empty() {
            config.user = img_cfg.user.clone();
        }
        let entrypoint = config
            .entrypoint
            .clone()
            .or_else(|| img_cfg.entrypoint.clone());
        if config.entrypoint.is_none() {
            config.entrypoint = img_cfg.entrypoint.clone();
        }
        let cmd = if config.cmd.is_some() || a.entrypoint.is_some() {
            config.cmd.clone()
        } else {
            img_cfg.cmd.clone()
        };
        config.cmd = cmd.clone();
        config.exposed_ports = img_cfg.exposed_ports.clone();
        crate::network::merge_exposed(&mut config.exposed_ports, &net_flags);
        config.stop_signal = config
            .stop_signal
            .take()
            .or_else(|| img_cfg.stop_signal.clone());
        config.labels = img_cfg.labels.clone();
        let mut argv: Vec<String> = entrypoint.unwrap_or_default();
        argv.extend(cmd.unwrap_or_default());
        let mut lower: Vec<String> = img_layers.clone();
        lower.reverse();
        let rootfs = match self.kernel.create_rw_layer(&id, &mount_id, &lower) {
            Ok(m) => m,
            Err(e) => {
                self.cli_error(verb, &format!("Error response from daemon: {e}"));
                return Err(125);
            }
        };
        if a.read_only {
            let _ = self.kernel.set_rootfs_readonly(&id, true);
        }
        let container = Container {
            id: id.clone(),
            name: name.clone(),
            created: self.now,
            path: argv[0].clone(),
            args: argv[1..].to_vec(),
            config: config.clone(),
            image_id: image_id.clone(),
            state: State {
                status: Status::Created,
                pid: 0,
                exit_code: 0,
                error: String::new(),
                oom_killed: false,
                started_at: None,
                finished_at: None,
            },
            mount_id: mount_id.clone(),
            rootfs: Some(rootfs.clone()),
            init: None,
            logs: Vec::new(),
            restart_count: 0,
            host_config: crate::engine::HostConfig {
                resources: resources.clone(),
                pid_mode: modes.pid.clone(),
                network_mode: modes.network.clone(),
                ipc_mode: modes.ipc.clone(),
                uts_mode: modes.uts.clone(),
                userns_mode: modes.userns.clone(),
                cgroupns_mode: modes.cgroupns.clone(),
                ..host_config
            },
            manually_stopped: false,
        };
        // The API exchange first; the state changes at the dockerd step that explains it.
        let warnings: Vec<String> = warnings.into_iter().chain(net_warnings).collect();
        for w in &warnings {
            self.err(&format!("WARNING: {w}\n"));
        }
        self.step(api_step(
            http("POST", &format!("/containers/create{name_q}"), Some(body), 201, Some(json!({"Id": id, "Warnings": warnings}))),
            "dockerd creates the container: an ID, a name, a config merged from the image and your flags",
        ));
        self.containers.insert(id.clone(), container);
        self.names.insert(name.clone(), id.clone());
        self.record_container_network(&id, container_net);
        self.step(
            Step::new(
                Component::Dockerd,
                format!(
                    "created container {} named {name} from image {} ({}); overlay2 made its RW layer {} over {} image layer(s)",
                    &id[..12],
                    img_name,
                    &image_id[7..19],
                    rootfs.upperdir,
                    img_layers.len()
                ),
                "the image layers stay read-only and shared; everything the container writes goes to its own thin RW layer (copy-on-write)",
            )
            .change(Change::added(Object::Container(id.clone())))
            .change(Change::added(Object::Layer(mount_id.clone()))),
        );
        self.attach_mounts(&id, mount_plan);
        self.emit_container("create", &id, &[]);
        Ok(id)
    }

    /// The CLI is attached to `id` (`docker run` without -d, `docker start -a`): time passes
    /// until the container exits, its output going to the terminal; the pending wait call
    /// then answers with the exit code, which becomes the CLI's. Returns that code.
    pub(crate) fn follow_attached(&mut self, id: &str, auto_remove: bool) -> i32 {
        let short = id[..12].to_string();
        let condition = if auto_remove { "removed" } else { "next-exit" };
        loop {
            let running = self
                .containers
                .get(id)
                .is_some_and(|c| c.state.status == Status::Running);
            if !running {
                break;
            }
            let Some(next) = self.kernel.next_event() else {
                self.step(Step::new(
                    Component::Cli,
                    format!("still attached to {short}: it is running and will not exit on its own"),
                    "in a real terminal `docker run` would keep waiting here until you press Ctrl-C; Porthole returns and leaves it running (stop it with `docker stop`)",
                ));
                return 0;
            };
            self.now = self.now.max(next);
            let events = self.kernel.advance(next);
            self.apply_events(events, Some(id));
        }
        let code = self
            .containers
            .get(id)
            .map(|c| c.state.exit_code)
            .or_else(|| {
                self.exits
                    .iter()
                    .rev()
                    .find(|(c, _)| c == id)
                    .map(|(_, code)| *code)
            })
            .unwrap_or(0);
        self.step(api_step(
            http(
                "POST",
                &format!("/containers/{id}/wait?condition={condition}"),
                None,
                200,
                Some(json!({"StatusCode": code, "Error": null})),
            ),
            "the wait call returns the exit status, which the CLI makes its own",
        ));
        code
    }

    /// dockerd → containerd → shim → runc → kernel: everything `docker start` does.
    pub(crate) fn start_container(&mut self, id: &str) -> Result<(), ApiError> {
        let (path, args, config) = {
            let c = self
                .containers
                .get(id)
                .ok_or_else(|| ApiError::no_such_container(id))?;
            (c.path.clone(), c.args.clone(), c.config.clone())
        };
        let short = id[..12].to_string();
        let mount = self
            .kernel
            .mount_rootfs(id)
            .map_err(|e| ApiError::new(500, e.to_string()))?;
        self.step(
            Step::new(
                Component::Dockerd,
                format!("overlay2: mount -t overlay overlay -o {} {}", mount.options, mount.merged),
                "the union mount shows the image layers (lowerdir, read-only) merged under the RW layer (upperdir); workdir is overlayfs's scratch space",
            )
            .change(Change::added(Object::Mount(id.to_string()))),
        );
        let cgroup = format!("system.slice/docker-{id}.scope");
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "wrote the OCI runtime spec: process {:?}, hostname {}, namespaces pid, mnt, uts, ipc, net, cgroup; cgroupsPath system.slice:docker:{short}…",
                std::iter::once(path.clone()).chain(args.iter().cloned()).collect::<Vec<_>>(),
                config.hostname
            ),
            "dockerd does not run containers itself: it hands a bundle (config.json + rootfs) to containerd",
        ));
        self.step(Step::new(
            Component::Containerd,
            format!("created task {short} with bundle /run/containerd/io.containerd.runtime.v2.task/moby/{id}; started containerd-shim-runc-v2"),
            "containerd manages container lifecycles; one shim per container lets containerd restart without killing containers",
        ));
        self.step(Step::new(
            Component::Shim,
            format!("ran `runc create --bundle /run/containerd/io.containerd.runtime.v2.task/moby/{short}… {short}…`"),
            "runc is the low-level OCI runtime: it sets the container up and then exits; the shim stays as the parent",
        ));
        let (new_ns, join_ns) = match self.namespace_plan(id) {
            Ok(p) => p,
            Err(e) => {
                // dockerd builds the OCI spec before anything runs: the container stays
                // created with the error (removed at once with --rm).
                let _ = self.kernel.unmount_rootfs(id);
                self.step(
                    Step::new(
                        Component::Dockerd,
                        format!("could not build the runtime spec: {}", e.message),
                        "a container that joins another's namespace needs that container running (and, for IPC, shareable)",
                    )
                    .change(Change::removed(Object::Mount(id.to_string()))),
                );
                if let Some(c) = self.containers.get_mut(id) {
                    c.state.error = e.message.clone();
                    c.state.exit_code = 128;
                }
                if self
                    .containers
                    .get(id)
                    .is_some_and(|c| c.config.auto_remove)
                {
                    self.remove_container(
                        id,
                        "--rm: dockerd removes a container whose start failed",
                    );
                }
                return Err(e);
            }
        };
        let net_plan = match self.plan_networks(id) {
            Ok(p) => p,
            Err(e) => {
                self.network_start_failed(id, &e);
                return Err(e);
            }
        };
        let mounts = self.mount_specs(id);
        let spec = InitSpec {
            container_id: id.to_string(),
            namespaces: new_ns,
            cgroup: cgroup.clone(),
            limits: self
                .containers
                .get(id)
                .map(|c| c.host_config.resources.limits())
                .unwrap_or_default(),
            join: join_ns,
            mounts,
            uid_offset: if self.userns_remap
                && self
                    .containers
                    .get(id)
                    .is_some_and(|c| c.host_config.userns_mode != "host")
            {
                crate::engine::REMAP_UID
            } else {
                0
            },
        };
        let init = match self.kernel.create_init(&spec) {
            Ok(i) => i,
            Err(e) => return Err(self.start_failed(id, &e)),
        };
        let writes: Vec<String> = init
            .cgroup_writes
            .iter()
            .map(|(f, v)| format!("{f}={v}"))
            .collect();
        self.step(
            Step::new(
                Component::Runc,
                format!("created cgroup {} and wrote {}", init.cgroup_path, writes.join(", ")),
                "a cgroup limits and accounts the container's CPU, memory and PIDs; writing the PID to cgroup.procs puts the process in it",
            )
            .change(Change::added(Object::Cgroup(init.cgroup_path.clone()))),
        );
        let flags: Vec<&str> = spec.namespaces.iter().map(|k| k.clone_flag()).collect();
        let new_ns: Vec<String> = init
            .namespaces
            .iter()
            .filter(|n| spec.namespaces.contains(&n.kind))
            .map(|n| n.to_string())
            .collect();
        let mut s = Step::new(
            Component::Kernel,
            format!(
                "clone({}) created PID {} (runc init), which is PID {} in its new PID namespace; new namespaces {}",
                flags.join("|"),
                init.host_pid,
                init.ns_pid,
                new_ns.join(" ")
            ),
            "namespaces give the process its own view of PIDs, mounts, hostname, IPC and network; the user namespace stays the host's",
        )
        .change(Change::added(Object::Process(init.host_pid)));
        for n in init
            .namespaces
            .iter()
            .filter(|n| spec.namespaces.contains(&n.kind))
        {
            s = s.change(Change::added(Object::Namespace(n.inode)));
        }
        self.step(s);
        for (kind, donor) in &spec.join {
            let ns = init
                .namespaces
                .iter()
                .find(|n| n.kind == *kind)
                .map(|n| n.to_string())
                .unwrap_or_default();
            self.step(Step::new(
                Component::Kernel,
                format!("setns(/proc/{donor}/ns/{}) : PID {} joined {ns}, the namespace of PID {donor}", kind.proc_name(), init.host_pid),
                "--pid/--ipc/--network container:NAME make runc enter the other container's namespace instead of creating one: both see the same processes, IPC objects or interfaces",
            ));
        }
        let shared: Vec<&str> = init
            .namespaces
            .iter()
            .filter(|n| {
                // The user namespace is the host's by default; the clone step says so.
                n.kind != NsKind::User
                    && !spec.namespaces.contains(&n.kind)
                    && !spec.join.iter().any(|j| j.0 == n.kind)
            })
            .map(|n| n.kind.proc_name())
            .collect();
        if !shared.is_empty() {
            self.step(Step::new(
                Component::Kernel,
                format!("PID {} stays in the host's {} namespace(s)", init.host_pid, shared.join(", ")),
                "a namespace runc does not unshare is the host's: --pid=host shows every host process, --network=host the host's interfaces, --uts=host its hostname; the user namespace is the host's unless userns-remap is on",
            ));
        }
        self.pids.insert(init.host_pid, id.to_string());
        if let Some(c) = self.containers.get_mut(id) {
            c.init = Some(init.clone());
        }
        let mounts = match self.kernel.mount_container_fs(init.host_pid, id) {
            Ok(m) => m,
            Err(e) => return Err(self.start_failed(id, &e)),
        };
        let targets = mounts;
        self.step(Step::new(
            Component::Runc,
            format!("in the new mount namespace: mounted {}", targets.join(", ")),
            "the container gets its own /proc (showing only its PID namespace), a minimal /dev, a read-only /sys, and Docker's hostname, hosts and resolv.conf files",
        ));
        self.trace_mounts(&spec.mounts);
        if let Err(e) = self.kernel.pivot_root(init.host_pid, &mount.merged) {
            return Err(self.start_failed(id, &e));
        }
        self.step(Step::new(
            Component::Kernel,
            format!("pivot_root(\"{}\", …) made the overlay the root file system of PID {}; the old root was detached", mount.merged, init.host_pid),
            "after pivot_root the host's files are out of reach: / is the merged image + RW layer",
        ));
        if spec.namespaces.contains(&NsKind::Uts) {
            if let Err(e) = self.kernel.set_hostname(init.host_pid, &config.hostname) {
                return Err(self.start_failed(id, &e));
            }
            self.step(Step::new(
                Component::Kernel,
                format!(
                    "sethostname(\"{}\") in UTS namespace {}",
                    config.hostname,
                    init.namespaces
                        .iter()
                        .find(|n| n.kind == NsKind::Uts)
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ),
                "the new UTS namespace has its own hostname: by default the container's short ID",
            ));
        } else {
            self.step(Step::new(
                Component::Kernel,
                format!("no sethostname: PID {} shares the host's UTS namespace, so its hostname is the host's ({})", init.host_pid, config.hostname),
                "with --uts=host or --network=host there is no UTS namespace of its own to name; setting one would rename the host",
            ));
        }
        self.attach_networks(id, init.host_pid, net_plan);
        let exec = ExecSpec {
            argv: std::iter::once(path.clone())
                .chain(args.iter().cloned())
                .collect(),
            env: config.env.clone(),
            cwd: if config.working_dir.is_empty() {
                "/".into()
            } else {
                config.working_dir.clone()
            },
            user: config.user.clone(),
            hostname: config.hostname.clone(),
            tty: config.tty,
        };
        self.step(Step::new(
            Component::Shim,
            format!("ran `runc start {short}…`"),
            "runc start tells the waiting runc init to exec the container's process",
        ));
        if let Err(e) = self.kernel.exec(init.host_pid, &exec, self.now) {
            self.pids.remove(&init.host_pid);
            return Err(self.start_failed(id, &e));
        }
        self.step(
            Step::new(
                Component::Kernel,
                format!("execve({:?}) replaced runc init: PID 1 of the container is now `{}`", exec.argv[0], exec.argv.join(" ")),
                "the entrypoint becomes PID 1 in the container; on the host it is an ordinary process with its own host PID",
            )
            .change(Change::modified(Object::Process(init.host_pid))),
        );
        self.fs_steps();
        if let Some(c) = self.containers.get_mut(id) {
            c.state.status = Status::Running;
            c.state.pid = init.host_pid;
            c.state.started_at = Some(self.now);
            c.state.exit_code = 0;
            c.state.error.clear();
        }
        self.step(
            Step::new(Component::Dockerd, format!("container {short} is running (host PID {})", init.host_pid), "containerd reported the task started; dockerd updates the state that `docker ps` shows")
                .change(Change::modified(Object::Container(id.to_string()))),
        );
        self.emit_container("start", id, &[]);
        // Let what happens at once (output, an immediate exit) be seen now.
        let events = self.kernel.advance(self.now);
        let attached = self.attach_to.as_deref() == Some(id) && self.containers.contains_key(id);
        self.apply_events(events, if attached { Some(id) } else { None });
        Ok(())
    }

    /// runc failed: undo what start did, record the error, and word it as dockerd does.
    fn start_failed(&mut self, id: &str, e: &KernelError) -> ApiError {
        let message = format!(
            "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {}: unknown",
            e.message
        );
        self.release_networks(id);
        let cgroups = self.kernel.destroy_cgroup(id).unwrap_or_default();
        let _ = self.kernel.unmount_rootfs(id);
        self.step(
            Step::new(
                Component::Runc,
                format!("failed: {} ({} {})", e.message, e.op, e.path),
                format!("runc reports the error; the init process and its namespaces are gone, containerd removed cgroup {}", cgroups.join(", ")),
            )
            .change(Change::removed(Object::Mount(id.to_string()))),
        );
        let code = e.exit_code.unwrap_or(128);
        if let Some(c) = self.containers.get_mut(id) {
            c.state.error = message.clone();
            c.state.exit_code = code;
            c.init = None;
        }
        self.step(
            Step::new(
                Component::Dockerd,
                format!(
                    "container {} stays created, with exit code {code} and the error recorded",
                    &id[..12]
                ),
                "a container whose start failed is kept (see `docker ps -a`) unless --rm was given",
            )
            .change(Change::modified(Object::Container(id.to_string()))),
        );
        if self
            .containers
            .get(id)
            .is_some_and(|c| c.config.auto_remove)
        {
            self.remove_container(id, "--rm: dockerd removes a container whose start failed");
        }
        ApiError::new(400, message)
    }

    // ---- exec / top -----------------------------------------------------------------------

    /// The CLI's `GET /containers/{r}/json` lookup, or the error it prints (exit 1).
    pub(crate) fn lookup_container(&mut self, r: &str, why: &'static str) -> Result<String, i32> {
        let path = format!("/containers/{r}/json");
        match self.find_container(r) {
            Ok(id) => {
                self.step(api_step(http("GET", &path, None, 200, None), why));
                Ok(id)
            }
            Err(e) => {
                self.step(api_step(
                    http(
                        "GET",
                        &path,
                        None,
                        e.status,
                        Some(json!({"message": e.message})),
                    ),
                    why,
                ));
                self.daemon_error(&e);
                Err(1)
            }
        }
    }

    /// A running container by reference, or the error the CLI prints (exit 1).
    /// A running container by reference, or the error the CLI prints (exit 1). `exec`
    /// refuses paused containers too (dockerd's getActiveContainer); top does not.
    fn running_container(&mut self, r: &str, why: &'static str, exec: bool) -> Result<String, i32> {
        let id = self.lookup_container(r, why)?;
        let st = self.containers[&id].state.status;
        let refusal = if !st.is_up() {
            Some(format!("container {id} is not running"))
        } else if exec && st == Status::Paused {
            Some(format!(
                "Container {r} is paused, unpause the container before exec"
            ))
        } else if st == Status::Restarting {
            Some(format!(
                "Container {id} is restarting, wait until the container is running"
            ))
        } else {
            None
        };
        if let Some(message) = refusal {
            let e = ApiError::new(409, message);
            let (method, path) = if exec {
                ("POST", format!("/containers/{r}/exec"))
            } else {
                ("GET", format!("/containers/{r}/top"))
            };
            self.step(api_step(
                http(
                    method,
                    &path,
                    None,
                    409,
                    Some(json!({"message": e.message})),
                ),
                "only a running (and, for exec, unpaused) container has processes to join",
            ));
            self.daemon_error(&e);
            return Err(1);
        }
        Ok(id)
    }

    fn cmd_exec(&mut self, a: cli::ExecArgs) -> i32 {
        let r = a.args[0].clone();
        let argv: Vec<String> = a.args[1..].to_vec();
        let id = match self.running_container(
            &r,
            "the CLI checks the container exists and is running",
            true,
        ) {
            Ok(id) => id,
            Err(code) => return code,
        };
        let (init_pid, config) = {
            let c = &self.containers[&id];
            (c.state.pid, c.config.clone())
        };
        let exec_id = self.new_id();
        let mut env = config.env.clone();
        env.extend(a.env.iter().filter(|e| e.contains('=')).cloned());
        let body = json!({"User": a.user.clone().unwrap_or_default(), "Privileged": false, "Tty": a.tty, "AttachStdin": a.interactive, "AttachStderr": !a.detach, "AttachStdout": !a.detach, "Detach": a.detach, "Env": a.env, "WorkingDir": a.workdir.clone().unwrap_or_default(), "Cmd": argv});
        self.step(api_step(
            http(
                "POST",
                &format!("/containers/{id}/exec"),
                Some(body.to_string()),
                201,
                Some(json!({"Id": exec_id})),
            ),
            "dockerd records an exec instance: a new process to start inside the running container",
        ));
        let exec_action = format!("{} {}", argv[0], argv[1..].join(" "));
        self.emit_container(
            &format!("exec_create: {exec_action}"),
            &id,
            &[("execID", exec_id.clone())],
        );
        self.step(api_step(
            http(
                "POST",
                &format!("/exec/{exec_id}/start"),
                Some(json!({"Detach": a.detach, "Tty": a.tty}).to_string()),
                if a.detach { 200 } else { 101 },
                None,
            ),
            "start runs it; without -d the connection is upgraded to stream its output",
        ));
        self.emit_container(
            &format!("exec_start: {exec_action}"),
            &id,
            &[("execID", exec_id.clone())],
        );
        let short = id[..12].to_string();
        self.step(Step::new(
            Component::Containerd,
            format!("exec process {}… in task {short}", &exec_id[..12]),
            "containerd asks the container's shim to add a process to the running task",
        ));
        self.step(Step::new(
            Component::Shim,
            format!("ran `runc exec` for container {short}…"),
            "runc exec joins an existing container instead of creating one",
        ));
        let spec = ExecSpec {
            argv: argv.clone(),
            env,
            cwd: a
                .workdir
                .clone()
                .filter(|w| !w.is_empty())
                .unwrap_or_else(|| {
                    if config.working_dir.is_empty() {
                        "/".into()
                    } else {
                        config.working_dir.clone()
                    }
                }),
            user: a.user.clone().unwrap_or_else(|| config.user.clone()),
            hostname: config.hostname.clone(),
            tty: a.tty,
        };
        let (pid, ns_pid) = match self.kernel.spawn_in(init_pid, &spec, self.now) {
            Ok(p) => p,
            Err(e) => {
                self.step(Step::new(
                    Component::Runc,
                    format!("failed: {} ({} {})", e.message, e.op, e.path),
                    "the new process could not exec its command; the container keeps running",
                ));
                self.err(&format!("OCI runtime exec failed: exec failed: unable to start container process: {}: unknown\n", e.message));
                return 126;
            }
        };
        let ns: Vec<String> = self.containers[&id]
            .init
            .as_ref()
            .map(|i| i.namespaces.iter().map(|n| n.to_string()).collect())
            .unwrap_or_default();
        self.step(
            Step::new(
                Component::Kernel,
                format!("setns(2) into {} of PID {init_pid}, then execve({:?}): PID {pid} on the host is PID {ns_pid} in the container", ns.join(" "), argv[0]),
                "an exec'd process shares every namespace and the cgroup of the container's PID 1, so it sees what PID 1 sees",
            )
            .change(Change::added(Object::Process(pid))),
        );
        self.fs_steps();
        if a.detach {
            self.execs.insert(pid, (id.clone(), exec_id.clone()));
            return 0;
        }
        // Attached: stream its output until it exits.
        let mut code = None;
        while code.is_none() {
            let Some(next) = self.kernel.next_event() else {
                self.step(Step::new(Component::Cli, format!("still attached to exec {}…: it will not exit on its own", &exec_id[..12]), "a real terminal would keep waiting here; Porthole returns and leaves it running"));
                return 0;
            };
            self.now = self.now.max(next);
            let mut others = Vec::new();
            for ev in self.kernel.advance(next) {
                match ev {
                    KernelEvent::Output {
                        pid: p,
                        stream,
                        text,
                        ..
                    } if p == pid => {
                        let (stream, text) = if a.tty {
                            (Stream::Stdout, text.replace('\n', "\r\n"))
                        } else {
                            (stream, text)
                        };
                        self.write(stream, &text);
                    }
                    KernelEvent::Exited { pid: p, status, .. } if p == pid => {
                        code = Some(status.docker_code());
                        self.emit_container(
                            "exec_die",
                            &id,
                            &[
                                ("execID", exec_id.clone()),
                                ("exitCode", status.docker_code().to_string()),
                            ],
                        );
                        self.step(
                            Step::new(Component::Kernel, format!("PID {pid} (PID {ns_pid} in container {short}) exited with status {}", status.docker_code()), "the exec'd process ends; the container and its PID 1 keep running")
                                .change(Change::removed(Object::Process(pid))),
                        );
                    }
                    other => others.push(other),
                }
            }
            self.apply_events(others, None);
        }
        let code = code.unwrap_or(0);
        self.step(api_step(
            http(
                "GET",
                &format!("/exec/{exec_id}/json"),
                None,
                200,
                Some(json!({"ExitCode": code, "Running": false})),
            ),
            "the CLI asks for the exec's exit code and makes it its own",
        ));
        code
    }

    fn cmd_top(&mut self, a: cli::TopArgs) -> i32 {
        let r = a.args[0].clone();
        let id = match self.running_container(
            &r,
            "top lists the container's processes as the host sees them",
            false,
        ) {
            Ok(id) => id,
            Err(code) => return code,
        };
        let started = self.containers[&id].state.started_at.unwrap_or(self.now);
        let stime = &started.rfc3339_nano()[11..16];
        let mut rows = vec!["UID PID PPID C STIME TTY TIME CMD"
            .split(' ')
            .map(str::to_string)
            .collect::<Vec<_>>()];
        for p in self
            .kernel
            .view()
            .processes
            .iter()
            .filter(|p| p.container.as_deref() == Some(id.as_str()))
        {
            rows.push(vec![
                "root".into(),
                p.host_pid.to_string(),
                p.ppid.to_string(),
                "0".into(),
                stime.to_string(),
                "?".into(),
                "00:00:00".into(),
                p.argv.join(" "),
            ]);
        }
        self.step(api_step(http("GET", &format!("/containers/{r}/top"), None, 200, None), "dockerd runs ps on the host and keeps the container's processes: host PIDs, not the container's"));
        self.out(&crate::format::table_min(&rows, 20));
        0
    }

    // ---- ps / images --------------------------------------------------------------------

    pub(crate) fn status_text(&self, c: &Container) -> String {
        match c.state.status {
            Status::Created => "Created".into(),
            Status::Running => format!(
                "Up {}",
                human_duration(self.now.since(c.state.started_at.unwrap_or(c.created)))
            ),
            Status::Paused => format!(
                "Up {} (Paused)",
                human_duration(self.now.since(c.state.started_at.unwrap_or(c.created)))
            ),
            Status::Exited => format!(
                "Exited ({}) {} ago",
                c.state.exit_code,
                human_duration(self.now.since(c.state.finished_at.unwrap_or(c.created)))
            ),
            Status::Restarting => format!(
                "Restarting ({}) {} ago",
                c.state.exit_code,
                human_duration(self.now.since(c.state.finished_at.unwrap_or(c.created)))
            ),
            Status::Removing => "Removal In Progress".into(),
            Status::Dead => "Dead".into(),
        }
    }

    fn cmd_ps(&mut self, a: cli::PsArgs) -> i32 {
        let path = if a.all || a.latest {
            "/containers/json?all=1"
        } else {
            "/containers/json"
        };
        let mut list: Vec<&Container> = self
            .containers
            .values()
            .filter(|c| a.all || a.latest || c.state.status.is_up())
            .collect();
        list.sort_by(|x, y| y.created.cmp(&x.created).then(y.id.cmp(&x.id)));
        if a.latest {
            list.truncate(1);
        }
        let rows: Vec<Value> = list
            .iter()
            .map(|c| {
                // dockerd's list API quotes arguments that contain a space (daemon/list.go).
                let mut command = c.path.clone();
                for a in &c.args {
                    command.push(' ');
                    if a.contains(' ') {
                        command.push_str(&format!("'{a}'"));
                    } else {
                        command.push_str(a);
                    }
                }
                let (ports, networks) = self.ps_network_columns(c);
                json!({
                    "ID": if a.no_trunc { c.id.clone() } else { c.id[..12].to_string() },
                    "Image": c.config.image,
                    "Command": if a.no_trunc { go_quote(&command) } else { go_quote(&ellipsis(&command, 20)) },
                    "CreatedAt": format!("{} +0000 UTC", c.created.rfc3339_nano().replace('T', " ").trim_end_matches('Z')),
                    "RunningFor": format!("{} ago", human_duration(self.now.since(c.created))),
                    "Ports": ports,
                    "State": c.state.status.as_str(),
                    "Status": self.status_text(c),
                    "Size": "0B",
                    "Names": c.name,
                    "Labels": c.config.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
                    "Mounts": "",
                    "Networks": networks,
                })
            })
            .collect();
        self.step(api_step(
            http(
                "GET",
                path,
                None,
                200,
                Some(json!(format!("[{} containers]", rows.len()))),
            ),
            "dockerd lists its containers; the CLI formats the table",
        ));
        if a.quiet {
            let s: String = rows
                .iter()
                .map(|r| format!("{}\n", r["ID"].as_str().unwrap_or("")))
                .collect();
            self.out(&s);
            return 0;
        }
        let headers = [
            ("ID", "CONTAINER ID"),
            ("Image", "IMAGE"),
            ("Command", "COMMAND"),
            ("RunningFor", "CREATED"),
            ("Status", "STATUS"),
            ("Ports", "PORTS"),
            ("Names", "NAMES"),
        ];
        self.print_rows(a.format.as_deref(), &headers, &rows)
    }

    /// What `inspect` found, as Docker prints it: each through the `-f` template, or all
    /// as one indented JSON array. False if the template does not parse (the CLI stops).
    pub(crate) fn print_inspected(&mut self, format: Option<&str>, found: Vec<Value>) -> bool {
        match format {
            Some(f) => {
                for v in &found {
                    match crate::template::render(f, v) {
                        Ok(s) => self.out(&format!("{s}\n")),
                        Err(e) => {
                            self.err(&format!("template parsing error: {}\n", e.message));
                            return false;
                        }
                    }
                }
            }
            None => {
                let s = json_indent(&Value::Array(found));
                self.out(&format!("{s}\n"));
            }
        }
        true
    }

    /// Prints rows as a table (default or `table …` format) or through a template.
    pub(crate) fn print_rows(
        &mut self,
        format: Option<&str>,
        default: &[(&str, &str)],
        rows: &[Value],
    ) -> i32 {
        let fmt = format.unwrap_or("table");
        let (is_table, tmpl) = match fmt.strip_prefix("table") {
            Some(rest) => (true, rest.trim_start().to_string()),
            None => (false, fmt.to_string()),
        };
        // The CLI turns a typed `\t` and `\n` into a tab and a newline.
        let tmpl = tmpl.replace("\\t", "\t").replace("\\n", "\n");
        if is_table && tmpl.is_empty() {
            let mut t = vec![default
                .iter()
                .map(|(_, h)| h.to_string())
                .collect::<Vec<_>>()];
            for r in rows {
                t.push(
                    default
                        .iter()
                        .map(|(k, _)| r[*k].as_str().unwrap_or("").to_string())
                        .collect(),
                );
            }
            self.out(&table(&t));
            return 0;
        }
        let mut lines = Vec::new();
        for r in rows {
            match crate::template::render(&tmpl, r) {
                Ok(s) => lines.push(s),
                Err(e) => {
                    self.err(&format!("template parsing error: {}\n", e.message));
                    return 1;
                }
            }
        }
        if is_table {
            // Headers: the field names in the template, upper-cased as the CLI does.
            let header = header_of(&tmpl, default);
            let mut t: Vec<Vec<String>> = vec![header.split('\t').map(str::to_string).collect()];
            for l in lines {
                t.push(l.split('\t').map(str::to_string).collect());
            }
            self.out(&table(&t));
        } else {
            let s: String = lines.iter().map(|l| format!("{l}\n")).collect();
            self.out(&s);
        }
        0
    }

    fn cmd_images(&mut self, a: cli::ImagesArgs) -> i32 {
        let filter = a.args.first().and_then(|f| Reference::parse(f).ok());
        let filters = match self.image_filter(&a.filter) {
            Ok(f) => f,
            Err(m) => {
                self.err(&format!("{m}\n"));
                return if m.starts_with("Error response") {
                    1
                } else {
                    125
                };
            }
        };
        let mut imgs: Vec<&crate::image::Image> = self
            .images
            .values()
            .filter(|i| self.image_passes(i, &filters))
            .collect();
        imgs.sort_by(|x, y| y.created.cmp(&x.created).then(x.id.cmp(&y.id)));
        let mut rows = Vec::new();
        for img in &imgs {
            if !a.all && self.is_intermediate(&img.id) {
                continue; // the classic builder's per-step images (`docker images -a` shows them)
            }
            let tags: Vec<(String, String)> = if img.repo_tags.is_empty() {
                // Digest-only references show their repository with tag <none>.
                let mut repos: Vec<(String, String)> = img
                    .repo_digests
                    .iter()
                    .filter_map(|d| d.split_once('@'))
                    .map(|(r, _)| (r.to_string(), "<none>".to_string()))
                    .collect();
                repos.dedup();
                if repos.is_empty() {
                    repos.push(("<none>".into(), "<none>".into()));
                }
                repos
            } else {
                img.repo_tags
                    .iter()
                    .map(|t| {
                        let i = t.rfind(':').unwrap_or(t.len());
                        (t[..i].to_string(), t[i + 1..].to_string())
                    })
                    .collect()
            };
            for (repo, tag) in tags {
                if let Some(f) = &filter {
                    if repo != f.familiar_name() || f.tag.as_ref().is_some_and(|t| t != &tag) {
                        continue;
                    }
                }
                let digest = img
                    .repo_digests
                    .first()
                    .and_then(|d| d.split('@').nth(1))
                    .unwrap_or("<none>")
                    .to_string();
                rows.push(json!({
                    "Repository": repo,
                    "Tag": tag,
                    "Digest": digest,
                    "ID": if a.no_trunc { img.id.clone() } else { img.id[7..19].to_string() },
                    "CreatedSince": format!("{} ago", human_duration(self.now.since(img.created))),
                    "CreatedAt": format!("{} +0000 UTC", img.created.rfc3339_nano().replace('T', " ").trim_end_matches('Z')),
                    "Size": human_size(img.size),
                }));
            }
        }
        self.step(api_step(
            http(
                "GET",
                "/images/json",
                None,
                200,
                Some(json!(format!("[{} images]", imgs.len()))),
            ),
            "dockerd lists its images; the CLI prints one row per tag",
        ));
        if a.quiet {
            let mut seen = Vec::new();
            for r in &rows {
                let id = r["ID"].as_str().unwrap_or("").to_string();
                if !seen.contains(&id) {
                    seen.push(id);
                }
            }
            let s: String = seen.iter().map(|i| format!("{i}\n")).collect();
            self.out(&s);
            return 0;
        }
        let mut headers = vec![("Repository", "REPOSITORY"), ("Tag", "TAG")];
        if a.digests {
            headers.push(("Digest", "DIGEST"));
        }
        headers.extend([
            ("ID", "IMAGE ID"),
            ("CreatedSince", "CREATED"),
            ("Size", "SIZE"),
        ]);
        self.print_rows(a.format.as_deref(), &headers, &rows)
    }

    // ---- stop / kill / rm ---------------------------------------------------------------

    /// dockerd's `killWithSignal`: the container counts as stopped by a user (its restart
    /// policy gives up, see `cancel_restarts`); PID 1 gets the signal unless the container
    /// is between restarts; a paused container is thawed so that it can act on it; then
    /// the `kill` event. Returns false if there was no process to signal.
    pub(crate) fn kill_with_signal(&mut self, id: &str, sig: Signal) -> bool {
        self.cancel_restarts(id, sig);
        let Some((pid, status)) = self
            .containers
            .get(id)
            .map(|c| (c.state.pid, c.state.status))
        else {
            return false;
        };
        if !matches!(status, Status::Running | Status::Paused) {
            return false;
        }
        let short = id[..12].to_string();
        let outcome = self
            .kernel
            .signal(pid, sig, self.now)
            .unwrap_or(SignalOutcome::Delivered);
        match outcome {
            SignalOutcome::Delivered => self.step(Step::new(
                Component::Kernel,
                format!("delivered {} to PID {pid} (PID 1 of {short})", sig.name()),
                if sig == Signal::Kill { "SIGKILL cannot be caught or ignored, even by a namespace's init" } else { "the process has a handler for it and starts shutting down" },
            )),
            SignalOutcome::IgnoredByInit => self.step(Step::new(
                Component::Kernel,
                format!("{} to PID {pid} was ignored: it is PID 1 of its namespace and installed no handler", sig.name()),
                "the kernel does not apply default signal actions to a PID namespace's init, so a plain `sleep` as PID 1 ignores SIGTERM",
            )),
        }
        if status == Status::Paused {
            if let Ok((file, value)) = self.kernel.thaw(id, self.now) {
                self.froze(id, false, &file, &value);
            }
        }
        self.emit_container("kill", id, &[("signal", sig.number().to_string())]);
        true
    }

    /// Sends `sig`; with a `grace` period (stop) lets up to that much time pass and sends
    /// SIGKILL after it; without (kill) returns once what happens at once has happened.
    fn stop_container(&mut self, id: &str, sig: Signal, grace: Option<u64>) {
        if !self.kill_with_signal(id, sig) {
            return;
        }
        let short = id[..12].to_string();
        let Some(secs) = grace else {
            let ev = self.kernel.advance(self.now);
            self.apply_events(ev, None);
            return;
        };
        let deadline = self.now.plus_secs(secs);
        loop {
            if self
                .containers
                .get(id)
                .is_none_or(|c| !matches!(c.state.status, Status::Running | Status::Paused))
            {
                return;
            }
            if self.advance_one(Some(deadline), None) {
                continue;
            }
            self.now = self.now.max(deadline);
            self.step(Step::new(
                Component::Dockerd,
                format!("{short} did not exit within {secs} second(s): sending SIGKILL"),
                "docker stop waits the grace period (-t, default 10 s) after the stop signal, then kills",
            ));
            self.kill_with_signal(id, Signal::Kill);
            let ev = self.kernel.advance(self.now);
            self.apply_events(ev, None);
            return;
        }
    }

    /// dockerd's `containerStop` for `docker stop` and `docker restart`: the stop signal
    /// (-s, else the container's, else SIGTERM), the grace period (-t, else
    /// --stop-timeout, else 10 s), SIGKILL after it; then the `stop` event.
    pub(crate) fn stop_for_user(&mut self, id: &str, sig: Option<Signal>, time: Option<i64>) {
        let Some(c) = self.containers.get(id) else {
            return;
        };
        let sig = sig
            .or_else(|| c.config.stop_signal.as_deref().and_then(Signal::parse))
            .unwrap_or(Signal::Term);
        let grace = time
            .or(c.host_config.stop_timeout)
            .map(|t| {
                if t < 0 {
                    u64::MAX / NANOS_PER_SEC / 4
                } else {
                    t as u64
                }
            })
            .unwrap_or(10);
        self.stop_container(id, sig, Some(grace));
        self.emit_container("stop", id, &[]);
    }

    fn cmd_stop(&mut self, a: cli::StopArgs) -> i32 {
        let mut status = 0;
        let mut qs = Vec::new();
        if let Some(s) = &a.signal {
            qs.push(format!("signal={}", query_escape(s)));
        }
        if let Some(t) = a.time {
            qs.push(format!("t={t}"));
        }
        let q = if qs.is_empty() {
            String::new()
        } else {
            format!("?{}", qs.join("&"))
        };
        for r in &a.args {
            let id = match self.container_for(r, "POST", &format!("/containers/{r}/stop{q}")) {
                Ok(id) => id,
                Err(e) => {
                    self.daemon_error(&e);
                    status = 1;
                    continue;
                }
            };
            if !self.containers[&id].state.status.is_up() {
                self.step(api_step(http("POST", &format!("/containers/{r}/stop{q}"), None, 304, None), "the container is not running: 304 Not Modified, which the CLI treats as success"));
                self.out(&format!("{r}\n"));
                continue;
            }
            let sig = a.signal.as_deref().and_then(Signal::parse);
            self.step(api_step(
                http("POST", &format!("/containers/{r}/stop{q}"), None, 204, None),
                "stop: the stop signal first, SIGKILL if the container outlives the grace period",
            ));
            self.stop_for_user(&id, sig, a.time);
            self.out(&format!("{r}\n"));
        }
        status
    }

    fn cmd_kill(&mut self, a: cli::KillArgs) -> i32 {
        let sig_name = a.signal.clone().unwrap_or_else(|| "KILL".into());
        let Some(sig) = Signal::parse(&sig_name) else {
            self.daemon_error(&ApiError::new(400, format!("Invalid signal: {sig_name}")));
            return 1;
        };
        let mut status = 0;
        for r in &a.args {
            let q = a
                .signal
                .as_ref()
                .map(|s| format!("?signal={s}"))
                .unwrap_or_default();
            let id = match self.container_for(r, "POST", &format!("/containers/{r}/kill{q}")) {
                Ok(id) => id,
                Err(e) => {
                    self.daemon_error(&e);
                    status = 1;
                    continue;
                }
            };
            if !self.containers[&id].state.status.is_up() {
                let e = ApiError::new(
                    409,
                    format!("cannot kill container: {r}: container {id} is not running"),
                );
                self.step(api_step(
                    http(
                        "POST",
                        &format!("/containers/{r}/kill{q}"),
                        None,
                        409,
                        Some(json!({"message": e.message})),
                    ),
                    "only a running container can be signalled",
                ));
                self.daemon_error(&e);
                status = 1;
                continue;
            }
            self.step(api_step(
                http("POST", &format!("/containers/{r}/kill{q}"), None, 204, None),
                "kill sends one signal (SIGKILL unless -s) to the container's PID 1",
            ));
            self.stop_container(&id, sig, None);
            self.out(&format!("{r}\n"));
        }
        status
    }

    fn cmd_rm(&mut self, a: cli::RmArgs) -> i32 {
        let mut status = 0;
        for r in &a.args {
            let mut q = String::new();
            if a.force {
                q.push_str("?force=1");
            }
            if a.volumes {
                q.push_str(if q.is_empty() { "?v=1" } else { "&v=1" });
            }
            let id = match self.container_for(r, "DELETE", &format!("/containers/{r}{q}")) {
                Ok(id) => id,
                Err(e) => {
                    self.daemon_error(&e);
                    status = 1;
                    continue;
                }
            };
            let state = self.containers[&id].state.status;
            let running = state.is_up();
            if running && !a.force {
                let name = self.containers[&id].name.clone();
                let why = if state == Status::Paused {
                    "container is paused and must be unpaused first".to_string()
                } else {
                    format!(
                        "container is {}: stop the container before removing or force remove",
                        state.as_str()
                    )
                };
                let e = ApiError::new(409, format!("cannot remove container \"/{name}\": {why}"));
                self.step(api_step(
                    http(
                        "DELETE",
                        &format!("/containers/{r}{q}"),
                        None,
                        409,
                        Some(json!({"message": e.message})),
                    ),
                    "removing a running container needs -f, which kills it first",
                ));
                self.daemon_error(&e);
                status = 1;
                continue;
            }
            self.step(api_step(
                http("DELETE", &format!("/containers/{r}{q}"), None, 204, None),
                "rm deletes the container and its RW layer; the image stays",
            ));
            if running {
                // -f: SIGKILL, and no auto-remove race: removal happens here.
                if let Some(c) = self.containers.get_mut(&id) {
                    c.config.auto_remove = false;
                }
                self.stop_container(&id, Signal::Kill, None);
            }
            if a.volumes {
                // -v: its anonymous volumes go with it, as with --rm.
                if let Some(c) = self.containers.get_mut(&id) {
                    c.config.auto_remove = true;
                }
            }
            self.remove_container(&id, "the container's RW layer is deleted with it: anything written there and not in a volume is gone");
            self.out(&format!("{r}\n"));
        }
        status
    }

    // ---- logs / inspect -----------------------------------------------------------------

    fn cmd_logs(&mut self, a: cli::LogsArgs) -> i32 {
        let r = &a.args[0];
        let id = match self.lookup_container(r, "the CLI looks the container up first") {
            Ok(id) => id,
            Err(code) => return code,
        };
        let tail: Option<usize> = if a.tail == "all" {
            None
        } else {
            a.tail.parse().ok()
        };
        let mut qs = format!("stderr=1&stdout=1&tail={}", a.tail);
        if a.timestamps {
            qs.push_str("&timestamps=1");
        }
        if a.follow {
            qs.push_str("&follow=1");
        }
        self.step(api_step(
            http(
                "GET",
                &format!("/containers/{id}/logs?{qs}"),
                None,
                200,
                None,
            ),
            "dockerd reads the json-file log the shim's output was written to",
        ));
        let logs = self.containers[&id].logs.clone();
        // Split into lines, as the json-file driver stores them.
        let mut lines: Vec<(Time, Stream, String)> = Vec::new();
        for e in &logs {
            for l in e.text.split_inclusive('\n') {
                lines.push((e.time, e.stream, l.to_string()));
            }
        }
        let skip = tail.map(|t| lines.len().saturating_sub(t)).unwrap_or(0);
        for (t, s, l) in lines.into_iter().skip(skip) {
            let text = if a.timestamps {
                let ts = t.rfc3339_nano();
                let (base, frac) = ts
                    .trim_end_matches('Z')
                    .split_once('.')
                    .unwrap_or((ts.trim_end_matches('Z'), ""));
                format!("{base}.{frac:0<9}Z {l}")
            } else {
                l
            };
            self.write(s, &text);
        }
        0
    }

    /// The overlay2 directories of an image's layers, top first, as the kernel made them.
    pub(crate) fn layer_dirs(&self, img_layers: &[String]) -> Vec<String> {
        img_layers
            .iter()
            .rev()
            .filter_map(|d| self.layers.get(d))
            .map(|r| r.dir.clone())
            .collect()
    }

    fn cmd_inspect(&mut self, a: cli::InspectArgs) -> i32 {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        let want_container = a.kind.as_deref().is_none_or(|k| k == "container");
        let want_image = a.kind.as_deref().is_none_or(|k| k == "image");
        for r in &a.args {
            if want_container {
                if let Ok(id) = self.find_container(r) {
                    let c = &self.containers[&id];
                    let layers = self
                        .images
                        .get(&c.image_id)
                        .map(|i| self.layer_dirs(&i.layers))
                        .unwrap_or_default();
                    let mut v = api::container_inspect(c, &layers, self.kernel.cgroup_version());
                    self.inspect_network(c, &mut v);
                    self.inspect_mounts(&id, &mut v);
                    self.step(api_step(
                        http("GET", &format!("/containers/{r}/json"), None, 200, None),
                        "inspect returns dockerd's full record of the object as JSON",
                    ));
                    found.push(v);
                    continue;
                }
            }
            if want_image {
                if let Some(id) = self.find_image(r) {
                    let img = &self.images[&id];
                    let v = api::image_inspect(img, &self.layer_dirs(&img.layers));
                    self.step(api_step(
                        http("GET", &format!("/images/{r}/json"), None, 200, None),
                        "not a container: the CLI tries images next",
                    ));
                    found.push(v);
                    continue;
                }
            }
            if a.kind.as_deref().is_none_or(|k| k == "network") {
                if let Some(v) = self.inspect_network_fallback(r) {
                    self.step(api_step(
                        http("GET", &format!("/networks/{r}"), None, 200, None),
                        "not a container or an image: the CLI tries networks next",
                    ));
                    found.push(v);
                    continue;
                }
            }
            if a.kind.as_deref().is_none_or(|k| k == "volume") {
                if let Some(v) = self.volumes.get(r).map(crate::volume::Volume::json) {
                    self.step(api_step(
                        http("GET", &format!("/volumes/{r}"), None, 200, None),
                        "neither a container, an image nor a network: the CLI tries volumes next",
                    ));
                    found.push(v);
                    continue;
                }
            }
            self.step(api_step(
                http(
                    "GET",
                    &format!("/containers/{r}/json"),
                    None,
                    404,
                    Some(json!({"message": format!("No such container: {r}")})),
                ),
                "the CLI tries containers, images, networks, volumes and plugins in turn",
            ));
            missing.push(r.clone());
        }
        let mut status = 0;
        if !self.print_inspected(a.format.as_deref(), found) {
            return 1;
        }
        for m in missing {
            self.err(&format!("Error: No such object: {m}\n"));
            status = 1;
        }
        status
    }

    // ---- version / info -----------------------------------------------------------------

    pub(crate) fn version_json(&self) -> Value {
        json!({
            "Client": {
                "Platform": {"Name": ""},
                "Version": DOCKER_VERSION,
                "ApiVersion": API_VERSION,
                "DefaultAPIVersion": "1.50",
                "GitCommit": "e6534b4",
                "GoVersion": "go1.24.3",
                "Os": "linux",
                "Arch": "amd64",
                "BuildTime": "Fri May 30 12:07:14 2025",
                "Context": "default",
            },
            "Server": {
                "Platform": {"Name": "Docker Engine - Community (simulated by Porthole)"},
                "Version": DOCKER_VERSION,
                "ApiVersion": API_VERSION,
                "MinAPIVersion": "1.24",
                "GitCommit": "45873be",
                "GoVersion": "go1.24.3",
                "Os": "linux",
                "Arch": "amd64",
                "KernelVersion": self.kernel.kernel_version(),
                "BuildTime": "Fri May 30 12:07:28 2025",
                "Components": [
                    {"Name": "Engine", "Version": DOCKER_VERSION},
                    {"Name": "containerd", "Version": "1.7.27", "Details": {"GitCommit": "05044ec0a9a75232cad458027ca83437aae3f4da"}},
                    {"Name": "runc", "Version": "1.2.5", "Details": {"GitCommit": "v1.2.5-0-g59923ef"}},
                    {"Name": "docker-init", "Version": "0.19.0", "Details": {"GitCommit": "de40ad0"}},
                ],
            },
        })
    }

    fn cmd_version(&mut self, a: cli::VersionArgs) -> i32 {
        self.step(api_step(
            http("GET", "/version", None, 200, None),
            "the server half of `docker version` comes from dockerd",
        ));
        let v = self.version_json();
        if let Some(f) = &a.format {
            return match crate::template::render(f, &v) {
                Ok(s) => {
                    self.out(&format!("{s}\n"));
                    0
                }
                Err(e) => {
                    self.err(&format!("template parsing error: {}\n", e.message));
                    1
                }
            };
        }
        let s = &v["Server"];
        let text = format!(
            "Client:\n Version:           {DOCKER_VERSION}\n API version:       {API_VERSION} (downgraded from 1.50)\n Go version:        go1.24.3\n Git commit:        e6534b4\n Built:             Fri May 30 12:07:14 2025\n OS/Arch:           linux/amd64\n Context:           default\n\nServer: {}\n Engine:\n  Version:          {DOCKER_VERSION}\n  API version:      {API_VERSION} (minimum version 1.24)\n  Go version:       go1.24.3\n  Git commit:       45873be\n  Built:            Fri May 30 12:07:28 2025\n  OS/Arch:          linux/amd64\n  Experimental:     false\n containerd:\n  Version:          1.7.27\n  GitCommit:        05044ec0a9a75232cad458027ca83437aae3f4da\n runc:\n  Version:          1.2.5\n  GitCommit:        v1.2.5-0-g59923ef\n docker-init:\n  Version:          0.19.0\n  GitCommit:        de40ad0\n",
            s["Platform"]["Name"].as_str().unwrap_or("")
        );
        self.out(&text);
        0
    }

    fn cmd_info(&mut self, a: cli::InfoArgs) -> i32 {
        self.step(api_step(
            http("GET", "/info", None, 200, None),
            "dockerd reports its configuration and counts",
        ));
        let running = self
            .containers
            .values()
            .filter(|c| c.state.status == Status::Running)
            .count();
        let paused = self
            .containers
            .values()
            .filter(|c| c.state.status == Status::Paused)
            .count();
        let total = self.containers.len();
        let cgv = self.kernel.cgroup_version();
        let info = json!({
            "Containers": total,
            "ContainersRunning": running,
            "ContainersPaused": paused,
            "ContainersStopped": total - running - paused,
            "Images": self.images.len(),
            "Driver": "overlay2",
            "LoggingDriver": "json-file",
            "CgroupDriver": "systemd",
            "CgroupVersion": cgv.to_string(),
            "KernelVersion": self.kernel.kernel_version(),
            "OperatingSystem": "Ubuntu 24.04.1 LTS",
            "OSType": "linux",
            "Architecture": "x86_64",
            "NCPU": self.kernel.view_cpus(),
            "MemTotal": self.kernel.host_memory(),
            "DockerRootDir": "/var/lib/docker",
            "Name": "porthole",
            "ServerVersion": DOCKER_VERSION,
            "DefaultRuntime": "runc",
            "Swarm": {"LocalNodeState": "inactive"},
        });
        if let Some(f) = &a.format {
            return match crate::template::render(f, &info) {
                Ok(s) => {
                    self.out(&format!("{s}\n"));
                    0
                }
                Err(e) => {
                    self.err(&format!("template parsing error: {}\n", e.message));
                    1
                }
            };
        }
        let text = format!(
            "Client:\n Version:    {DOCKER_VERSION}\n Context:    default\n Debug Mode: false\n\nServer:\n Containers: {total}\n  Running: {running}\n  Paused: {paused}\n  Stopped: {}\n Images: {}\n Server Version: {DOCKER_VERSION}\n Storage Driver: overlay2\n  Backing Filesystem: extfs\n  Supports d_type: true\n  Using metacopy: false\n  Native Overlay Diff: true\n  userxattr: false\n Logging Driver: json-file\n Cgroup Driver: systemd\n Cgroup Version: {cgv}\n Plugins:\n  Volume: local\n  Network: bridge host ipvlan macvlan null overlay\n  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog\n CDI spec directories:\n  /etc/cdi\n  /var/run/cdi\n Swarm: inactive\n Runtimes: io.containerd.runc.v2 runc\n Default Runtime: runc\n Init Binary: docker-init\n containerd version: 05044ec0a9a75232cad458027ca83437aae3f4da\n runc version: v1.2.5-0-g59923ef\n init version: de40ad0\n Security Options:\n  apparmor\n  seccomp\n   Profile: builtin\n{}{} Kernel Version: {}\n Operating System: Ubuntu 24.04.1 LTS\n OSType: linux\n Architecture: x86_64\n CPUs: {}\n Total Memory: {}\n Name: porthole\n ID: {}\n Docker Root Dir: /var/lib/docker\n Debug Mode: false\n Experimental: false\n Insecure Registries:\n  ::1/128\n  127.0.0.0/8\n Live Restore Enabled: false\n\n",
            total - running - paused,
            self.images.len(),
            if self.userns_remap { "  userns\n" } else { "" },
            if cgv == 2 { "  cgroupns\n" } else { "" },
            self.kernel.kernel_version(),
            self.kernel.view_cpus(),
            crate::format::bytes_size(self.kernel.host_memory()),
            "PRTH:OLE0:SIMU:LATE:DHST:0000:0000:0000:0000:0000:0000:0001",
        );
        self.out(&text);
        0
    }
}

/// The header row of a `table …` template: each `{{.Field}}` becomes FIELD as the CLI
/// names it (`.ID` → CONTAINER ID for ps is not modelled here; fields are upper-cased).
/// The table header of a template: each field's name as the CLI's formatter for this
/// listing names it (`ID` is `CONTAINER ID` in ps, `IMAGE ID` in images), else the
/// field upper-cased with spaces between words.
fn header_of(tmpl: &str, known: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut rest = tmpl;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find("}}") else { break };
        let inner = rest[i + 2..i + j].trim();
        let field = inner
            .trim_start_matches('.')
            .split_whitespace()
            .next()
            .unwrap_or("");
        let name = match field {
            f if known.iter().any(|(k, _)| *k == f) => known
                .iter()
                .find(|(k, _)| *k == f)
                .map(|(_, h)| h.to_string())
                .unwrap_or_default(),
            "ID" => "CONTAINER ID".to_string(),
            "RunningFor" | "CreatedSince" => "CREATED".to_string(),
            "Repository" => "REPOSITORY".to_string(),
            f => {
                let mut s = String::new();
                for (k, ch) in f.chars().enumerate() {
                    if k > 0 && ch.is_ascii_uppercase() {
                        s.push(' ');
                    }
                    s.push(ch.to_ascii_uppercase());
                }
                s
            }
        };
        out.push_str(&name);
        rest = &rest[i + j + 2..];
    }
    out.push_str(rest);
    out.replace("\\t", "\t")
}
