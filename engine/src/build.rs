//! `docker commit` and `docker build` with moby v28.2.2's classic builder
//! (`builder/dockerfile`): the context read from the host's file tree, each instruction
//! dispatched as dockerd does it (a container per step for RUN and the metadata
//! instructions, committed; COPY/ADD straight into a new layer), the local image cache
//! (parent image + the step's run config, with the copied files' content hash), and
//! the output as the docker CLI 28 prints it when it falls back to the legacy builder.
//!
//! A filesystem-changing step makes a layer; a metadata step makes an image with an
//! `empty_layer` history entry. Each step's image stays (untagged, hidden from
//! `docker images` as an intermediate image) so that the next build can reuse it.

use crate::cli;
use crate::dockerfile::{self, Instruction};
use crate::engine::{Engine, LayerRecord, Status};
use crate::fs::{normalize, Node, NodeKind, Tree, Union};
use crate::image::{sha256, History, Image, ImageConfig, Layer, Reference};
use crate::kernel::{Kernel, LayerSpec, Stream};
use crate::trace::{Change, Component, Object, Step};
use clap::Args;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The docker CLI 28's notice when `docker build` falls back to the legacy builder
/// because the buildx plugin is missing (cmd/docker/builder.go, `buildxMissingWarning`).
pub const LEGACY_BUILDER_NOTICE: &str = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            Install the buildx component to build images with BuildKit:\n            https://docs.docker.com/go/buildx/\n\n";

/// `docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]`.
#[derive(Args, Debug, Clone, Default)]
pub struct CommitArgs {
    /// Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")
    #[arg(short = 'a', long)]
    pub author: Option<String>,
    /// Apply Dockerfile instruction to the created image
    #[arg(short = 'c', long)]
    pub change: Vec<String>,
    /// Commit message
    #[arg(short = 'm', long)]
    pub message: Option<String>,
    /// Pause container during commit
    #[arg(short = 'p', long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub pause: Option<String>,
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

/// `docker build [OPTIONS] PATH`.
#[derive(Args, Debug, Clone, Default)]
pub struct BuildArgs {
    /// Set build-time variables
    #[arg(long = "build-arg")]
    pub build_arg: Vec<String>,
    /// Name of the Dockerfile (Default is "PATH/Dockerfile")
    #[arg(short = 'f', long)]
    pub file: Option<String>,
    /// Always remove intermediate containers
    #[arg(long = "force-rm")]
    pub force_rm: bool,
    /// Set metadata for an image
    #[arg(long)]
    pub label: Vec<String>,
    /// Do not use cache when building the image
    #[arg(long = "no-cache")]
    pub no_cache: bool,
    /// Always attempt to pull a newer version of the image
    #[arg(long)]
    pub pull: bool,
    /// Suppress the build output and print image ID on success
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Remove intermediate containers after a successful build
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub rm: Option<String>,
    /// Name and optionally a tag in the "name:tag" format
    #[arg(short = 't', long)]
    pub tag: Vec<String>,
    /// Set the target build stage to build
    #[arg(long)]
    pub target: Option<String>,
    #[arg(value_name = "PATH")]
    pub args: Vec<String>,
}

/// The builder's and the registries' state, kept in the engine (and its digest).
#[derive(Clone, Debug, Default, Serialize)]
pub struct BuildState {
    /// Image → the image it was built or committed on (moby's `Parent`).
    pub parents: BTreeMap<String, String>,
    /// The classic builder's cache: "parent image\nrun config" → image.
    pub cache: BTreeMap<String, String>,
    /// Registry blobs by digest: the layers (their trees) any registry holds. Which
    /// registry has which blob is in its /var/lib/registry on the host's tree.
    pub blobs: BTreeMap<String, Layer>,
    /// Image configs pushed, by config digest (the image ID).
    pub configs: BTreeMap<String, Image>,
    /// `docker login`: server → user name.
    pub logins: BTreeMap<String, String>,
}

/// The size of a tar of these entries: a 512-byte header each, file data padded to
/// 512 bytes, and the two zero blocks at the end (Go's archive/tar).
pub fn tar_size<'a>(nodes: impl Iterator<Item = &'a Node>) -> u64 {
    let mut n = 1024;
    for node in nodes {
        n += 512;
        if let NodeKind::File { size, .. } = node.kind {
            n += size.div_ceil(512) * 512;
        }
    }
    n
}

/// A layer made of `tree`: its diff ID is the sha256 of its tar (as `docker save`
/// writes it, `crate::archive`), its blob digest that of the "gzip".
pub fn layer_from_tree(tree: Tree, created_by: &str) -> Layer {
    let diff_id = crate::archive::diff_id(&tree);
    let digest = sha256(format!("gzip:{diff_id}").as_bytes());
    let tar = tar_size(tree.entries.values());
    Layer {
        size: tree.size(),
        compressed_size: tar / 3 + 20,
        diff_id,
        digest,
        created_by: created_by.to_string(),
        tree: Arc::new(tree),
    }
}

/// go-units `HumanSize` (four significant digits, decimal units): `2.048kB`.
pub fn human_size4(size: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = size as f64;
    let mut i = 0;
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    let digits = if v >= 100.0 {
        1
    } else if v >= 10.0 {
        2
    } else {
        3
    };
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}{}", UNITS[i])
}

/// Go's `%q` of a []string: `["/bin/sh" "-c" "echo hi"]`.
fn go_list_q(v: &[String]) -> String {
    let inner: Vec<String> = v.iter().map(|s| crate::format::go_quote(s)).collect();
    format!("[{}]", inner.join(" "))
}

/// `filepath.Match` over one path (no `/` crossing for `*`), plus `**` for any depth.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    fn m(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') if p.get(1) == Some(&'*') => {
                let rest = if p.get(2) == Some(&'/') {
                    &p[3..]
                } else {
                    &p[2..]
                };
                (0..=n.len()).any(|i| m(rest, &n[i..]))
            }
            Some('*') => {
                let mut i = 0;
                loop {
                    if m(&p[1..], &n[i..]) {
                        return true;
                    }
                    if i >= n.len() || n[i] == '/' {
                        return false;
                    }
                    i += 1;
                }
            }
            Some('?') => n.first().is_some_and(|c| *c != '/') && m(&p[1..], &n[1..]),
            Some(c) => n.first() == Some(c) && m(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    m(&p, &n)
}

/// The .dockerignore rules: (pattern, exclusion?) in order.
pub fn ignore_rules(text: &str) -> Vec<(String, bool)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (neg, p) = match l.strip_prefix('!') {
                Some(p) => (true, p.trim()),
                None => (false, l),
            };
            let p = normalize(p).trim_start_matches('/').to_string();
            (p, !neg)
        })
        .filter(|(p, _)| !p.is_empty())
        .collect()
}

/// moby's patternmatcher: the last rule matching the path or one of its parents wins.
pub fn ignored(rules: &[(String, bool)], rel: &str) -> bool {
    let mut out = false;
    for (p, excl) in rules {
        let mut hit = glob_match(p, rel);
        if !hit {
            let mut at = rel;
            while let Some((parent, _)) = at.rsplit_once('/') {
                if glob_match(p, parent) {
                    hit = true;
                    break;
                }
                at = parent;
            }
        }
        if hit {
            out = *excl;
        }
    }
    out
}

/// The build context as the daemon receives it: relative path → node.
struct Context {
    entries: BTreeMap<String, Node>,
}

impl Context {
    fn hash_of(&self, rel: &str) -> Option<String> {
        let node = self.entries.get(rel)?;
        match &node.kind {
            NodeKind::Dir { .. } => {
                let prefix = format!("{rel}/");
                let subs: Vec<String> = self
                    .entries
                    .iter()
                    .filter(|(k, _)| rel.is_empty() || k.starts_with(&prefix))
                    .map(|(k, n)| file_hash(k, n))
                    .collect();
                Some(format!(
                    "dir:{}",
                    crate::rng::hex(&sha2_digest(subs.join(",").as_bytes()))
                ))
            }
            _ => Some(format!("file:{}", file_hash(rel, node))),
        }
    }
}

fn sha2_digest(b: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(b).to_vec()
}

/// tarsum-like: the file's header fields and content.
fn file_hash(rel: &str, n: &Node) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let body = serde_json::to_string(n).unwrap_or_default();
    crate::rng::hex(&sha2_digest(format!("{name}\0{body}").as_bytes()))
}

/// The state of the stage being built (moby's dispatchState).
struct Dispatch {
    image_id: String,
    config: ImageConfig,
    shell: Vec<String>,
    cmd_set: bool,
    /// ARGs declared in this stage, with their values.
    args: Vec<(String, String)>,
}

/// What a failed step prints: the message (stderr) and the CLI's exit code.
struct BuildError {
    message: String,
    code: i32,
    /// Before any output: `Error response from daemon: …`.
    daemon: bool,
}

fn fail(message: impl Into<String>) -> BuildError {
    BuildError {
        message: message.into(),
        code: 1,
        daemon: false,
    }
}

/// How a step changes the filesystem.
enum StepLayer {
    /// Metadata only: a container is created (not started) and committed empty.
    Meta,
    /// WORKDIR: a container, and the directory created in its layer if missing.
    Workdir(String),
}

impl<K: Kernel> Engine<K> {
    // ---- images: the parts the builder and commit share ---------------------------------

    /// An untagged image some other image was built on (the classic builder's per-step
    /// images): `docker images` hides it unless `-a`.
    pub(crate) fn is_intermediate(&self, id: &str) -> bool {
        self.images.get(id).is_some_and(|i| i.repo_tags.is_empty())
            && self
                .builds
                .parents
                .iter()
                .any(|(child, p)| p == id && self.images.contains_key(child))
    }

    /// Stores `layer` (unless empty) and a new image on `parent` with `config` and one
    /// more history entry. Returns the image ID (an identical image is reused).
    pub(crate) fn commit_image(
        &mut self,
        parent: Option<&str>,
        config: ImageConfig,
        layer: Option<Layer>,
        created_by: &str,
        comment: &str,
    ) -> String {
        let base = parent.and_then(|p| self.images.get(p)).cloned();
        let mut layers = base.as_ref().map(|b| b.layers.clone()).unwrap_or_default();
        let mut history = base.as_ref().map(|b| b.history.clone()).unwrap_or_default();
        let layer = layer.filter(|l| !l.tree.is_empty());
        history.push(History {
            created: self.now,
            created_by: created_by.to_string(),
            empty_layer: layer.is_none(),
            comment: comment.to_string(),
        });
        if let Some(l) = &layer {
            layers.push(l.diff_id.clone());
        }
        let size = layers
            .iter()
            .filter_map(|d| self.layers.get(d).map(|r| r.layer.size))
            .sum::<u64>()
            + layer.as_ref().map(|l| l.size).unwrap_or(0)
                * u64::from(
                    layer
                        .as_ref()
                        .is_some_and(|l| !self.layers.contains_key(&l.diff_id)),
                );
        let mut image = Image {
            id: String::new(),
            repo_tags: Vec::new(),
            repo_digests: Vec::new(),
            created: self.now,
            config,
            layers,
            history,
            size,
        };
        image.id = sha256(crate::image::config_json(&image).as_bytes());
        let id = image.id.clone();
        if let Some(l) = layer {
            let d = l.diff_id.clone();
            if !self.layers.contains_key(&d) {
                let spec = LayerSpec {
                    diff_id: d.clone(),
                    tree: l.tree.clone(),
                };
                let dir = self.kernel.store_layer(&spec).unwrap_or_default();
                self.step(
                    Step::new(
                        Component::Kernel,
                        format!(
                            "overlay2 stored the new layer {d} ({} entries, {}) in {dir}",
                            l.tree.len(),
                            crate::format::human_size(l.size)
                        ),
                        "a committed RW layer becomes a read-only image layer: from now on it is shared by every image and container above it",
                    )
                    .change(Change::added(Object::Layer(d.clone()))),
                );
                self.layers.insert(
                    d.clone(),
                    LayerRecord {
                        layer: l,
                        dir,
                        images: BTreeSet::new(),
                    },
                );
            }
        }
        for d in &image.layers {
            if let Some(r) = self.layers.get_mut(d) {
                r.images.insert(id.clone());
            }
        }
        if let Some(p) = parent {
            self.builds.parents.insert(id.clone(), p.to_string());
        }
        if !self.images.contains_key(&id) {
            self.images.insert(id.clone(), image);
        }
        id
    }

    /// Points `tag` at `id`; the image it named before keeps no tag (it becomes a
    /// dangling `<none>` image if it has no other).
    pub(crate) fn tag_image_as(&mut self, id: &str, r: &Reference) {
        let tag = r.familiar_tagged();
        if let Some(old) = self.tags.insert(tag.clone(), id.to_string()) {
            if old != id {
                if let Some(o) = self.images.get_mut(&old) {
                    o.repo_tags.retain(|t| t != &tag);
                }
            }
        }
        if let Some(img) = self.images.get_mut(id) {
            if !img.repo_tags.contains(&tag) {
                img.repo_tags.push(tag.clone());
                img.repo_tags.sort();
            }
        }
        self.step(
            Step::new(
                Component::Dockerd,
                format!("tagged image {} as {tag}", &id[7..19]),
                "a tag is a name pointing at an image ID; an image that loses its last tag is listed as <none>:<none> (dangling)",
            )
            .change(Change::modified(Object::Image(id.to_string()))),
        );
    }

    /// The union of an image's layers (top first), to read files from.
    fn image_union(&self, id: &str) -> Option<Union<'_>> {
        let img = self.images.get(id)?;
        let trees: Vec<&Tree> = img
            .layers
            .iter()
            .rev()
            .filter_map(|d| self.layers.get(d).map(|r| r.layer.tree.as_ref()))
            .collect();
        Some(Union::new(trees))
    }

    /// Writes a file on the simulated host, creating its parent directories: how
    /// `porthole sim` hands a real build context to the engine and how the page's editor
    /// saves a Dockerfile. Text is stored as is; other bytes keep their size (the
    /// simulated file system holds text). Not a docker command: no output, no steps.
    pub fn host_put_file(&mut self, path: &str, bytes: &[u8]) -> Result<(), String> {
        let path = normalize(&host_path(path));
        if let Some((dir, _)) = path.rsplit_once('/') {
            if !dir.is_empty() {
                self.kernel.host_mkdir(dir).map_err(|e| e.to_string())?;
            }
        }
        let text = String::from_utf8_lossy(bytes);
        self.kernel
            .host_write(&path, &text)
            .map_err(|e| e.to_string())
    }

    /// Creates a directory (and its parents) on the simulated host (see `host_put_file`).
    pub fn host_put_dir(&mut self, path: &str) -> Result<(), String> {
        self.kernel
            .host_mkdir(&normalize(&host_path(path)))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    // ---- docker commit ------------------------------------------------------------------

    pub(crate) fn cmd_commit(&mut self, a: CommitArgs) -> i32 {
        let reference = match a.args.get(1) {
            Some(r) => match Reference::parse(r) {
                Ok(x) if x.digest.is_some() => {
                    self.err("refusing to create a tag with a digest reference\n");
                    return 1;
                }
                Ok(x) => Some(x),
                Err(e) => {
                    self.err(&format!("{e}\n"));
                    return 1;
                }
            },
            None => None,
        };
        let pause = !matches!(
            a.pause.as_deref(),
            Some("false" | "0" | "f" | "F" | "FALSE")
        );
        let id = match self.find_container(&a.args[0]) {
            Ok(id) => id,
            Err(e) => {
                self.daemon_error(&e);
                return 1;
            }
        };
        let query = format!(
            "/commit?container={}{}{}",
            &a.args[0],
            reference
                .as_ref()
                .map(|r| format!("&repo={}&tag={}", r.familiar_name(), r.tag_or_latest()))
                .unwrap_or_default(),
            if pause { "&pause=1" } else { "" }
        );
        // The changes: Dockerfile instructions dockerd applies to the config.
        let changes = a.change.join("\n");
        let insts = match dockerfile::parse_lines(&changes) {
            Ok(i) => i,
            Err(m) => return self.commit_refused(&query, &m),
        };
        const VALID: &[&str] = &[
            "CMD",
            "ENTRYPOINT",
            "ENV",
            "EXPOSE",
            "LABEL",
            "ONBUILD",
            "USER",
            "VOLUME",
            "WORKDIR",
        ];
        if let Some(bad) = insts.iter().find(|i| !VALID.contains(&i.keyword.as_str())) {
            let word = bad.original.split_whitespace().next().unwrap_or("");
            return self.commit_refused(&query, &format!("{word} is not a valid change command"));
        }
        let c = self.containers[&id].clone();
        if c.state.status == Status::Dead {
            let m = format!("You cannot commit container {id} which is Dead");
            return self.commit_refused(&query, &m);
        }
        // The container's config, with the image's for what it leaves empty (merge()).
        let img_cfg = self
            .images
            .get(&c.image_id)
            .map(|i| i.config.clone())
            .unwrap_or_default();
        let mut config = ImageConfig {
            cmd: c.config.cmd.clone(),
            entrypoint: c.config.entrypoint.clone().filter(|e| !e.is_empty()),
            env: c.config.env.clone(),
            exposed_ports: c.config.exposed_ports.clone(),
            working_dir: c.config.working_dir.clone(),
            user: c.config.user.clone(),
            stop_signal: c.config.stop_signal.clone(),
            labels: c.config.labels.clone(),
            volumes: img_cfg.volumes.clone(),
        };
        let mut d = Dispatch {
            image_id: c.image_id.clone(),
            config: config.clone(),
            shell: vec!["/bin/sh".into(), "-c".into()],
            cmd_set: false,
            args: Vec::new(),
        };
        for i in &insts {
            if let Err(e) = apply_metadata(&mut d, i, &[]) {
                return self.commit_refused(&query, &e);
            }
        }
        config = d.config;
        self.step(crate::daemon::api_step(
            crate::daemon::http("POST", &query, None, 201, None),
            "the CLI asks dockerd to make an image of the container's changes",
        ));
        let running = c.state.status == Status::Running;
        if pause && running {
            self.step(Step::new(
                Component::Dockerd,
                format!("paused container {} (cgroup freezer) while its RW layer is read", &id[..12]),
                "docker commit pauses a running container by default (-p) so that the layer it copies is consistent",
            ));
        }
        let tree = self.kernel.rw_layer(&id).cloned().unwrap_or_default();
        let created_by = c.config.cmd.clone().unwrap_or_default().join(" ");
        let layer = layer_from_tree(tree, &created_by);
        let upper = c
            .rootfs
            .as_ref()
            .map(|r| r.upperdir.clone())
            .unwrap_or_default();
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "read the RW layer {upper}: {} entries ({}), diff ID {}",
                layer.tree.len(),
                crate::format::human_size(layer.size),
                layer.diff_id
            ),
            "the container's upper dir holds exactly what it changed: new and copied-up files, and whiteouts for what it deleted",
        ));
        let empty = layer.tree.is_empty();
        let new_id = self.commit_image(
            Some(&c.image_id),
            config,
            Some(layer),
            &created_by,
            a.message.as_deref().unwrap_or(""),
        );
        self.step(
            Step::new(
                Component::Dockerd,
                format!(
                    "committed image {} on {}{}",
                    &new_id[7..19],
                    &c.image_id[7..19],
                    if empty {
                        " with no new layer (the container changed nothing)".to_string()
                    } else {
                        " with one new layer on top of the image's layers".to_string()
                    }
                ),
                "an image is its parent's layers plus the container's changes as one more read-only layer, and a config (the container's command, env…)",
            )
            .change(Change::added(Object::Image(new_id.clone()))),
        );
        if pause && running {
            self.step(Step::new(
                Component::Dockerd,
                format!("unpaused container {}", &id[..12]),
                "the container runs on, unchanged: its RW layer stays its own",
            ));
        }
        let mut image_ref = String::new();
        if let Some(r) = &reference {
            self.tag_image_as(&new_id, r);
            image_ref = r.familiar_tagged();
        }
        self.emit_container(
            "commit",
            &id,
            &[
                ("comment", a.message.clone().unwrap_or_default()),
                ("imageID", new_id.clone()),
                ("imageRef", image_ref),
            ],
        );
        self.out(&format!("{new_id}\n"));
        0
    }

    fn commit_refused(&mut self, query: &str, msg: &str) -> i32 {
        self.step(crate::daemon::api_step(
            crate::daemon::http(
                "POST",
                query,
                None,
                400,
                Some(serde_json::json!({ "message": msg })),
            ),
            "dockerd checks the changes before it makes anything, so nothing changed",
        ));
        self.err(&format!("Error response from daemon: {msg}\n"));
        1
    }

    // ---- docker build -------------------------------------------------------------------

    pub(crate) fn cmd_build(&mut self, a: BuildArgs) -> i32 {
        self.err(LEGACY_BUILDER_NOTICE);
        self.step(Step::new(
            Component::Cli,
            "buildx is not installed: the CLI falls back to the legacy (classic) builder",
            "Docker 28 builds with BuildKit through the buildx plugin; without it the CLI sends the context to dockerd's classic builder and prints this deprecation notice",
        ));
        let spec = &a.args[0];
        if spec == "-" || spec.contains("://") || spec.starts_with("git@") {
            self.err("porthole: only a local directory can be a build context here\n");
            return 1;
        }
        // The CLI: the context directory and the Dockerfile, before anything is sent.
        let dir = normalize(&host_path(spec));
        match self.kernel.host_stat(&dir) {
            None => {
                self.err(&format!(
                    "unable to prepare context: path {} not found\n",
                    crate::format::go_quote(spec)
                ));
                return 1;
            }
            Some(false) => {
                self.err(&format!(
                    "unable to prepare context: context must be a directory: {dir}\n"
                ));
                return 1;
            }
            Some(true) => {}
        }
        let df_name = a.file.clone().unwrap_or_else(|| "Dockerfile".into());
        let df_path = if df_name.starts_with('/') {
            normalize(&df_name)
        } else {
            normalize(&format!("{dir}/{df_name}"))
        };
        let df_text = match self.kernel.host_tree(&df_path) {
            Some((t, inner)) => match t.get(&inner).map(|n| &n.kind) {
                Some(NodeKind::File { content, .. }) => {
                    content.as_deref().unwrap_or("").to_string()
                }
                _ => String::new(),
            },
            None => String::new(),
        };
        if self.kernel.host_stat(&df_path) != Some(false) {
            self.err(&format!(
                "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {df_path}: no such file or directory\n"
            ));
            return 1;
        }
        let df_rel = df_path
            .strip_prefix(&format!("{dir}/"))
            .unwrap_or(&df_name)
            .to_string();
        // The context: every entry under the directory, less .dockerignore's (the
        // Dockerfile and .dockerignore are always sent).
        let mut entries: BTreeMap<String, Node> = BTreeMap::new();
        if let Some((t, inner)) = self.kernel.host_tree(&dir) {
            let prefix = if inner == "/" {
                "/".to_string()
            } else {
                format!("{inner}/")
            };
            for (k, n) in t
                .entries
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
            {
                entries.insert(k[prefix.len()..].to_string(), n.clone());
            }
        }
        let rules = entries
            .get(".dockerignore")
            .and_then(|n| match &n.kind {
                NodeKind::File { content, .. } => content.as_deref().map(ignore_rules),
                _ => None,
            })
            .unwrap_or_default();
        let ignored_count = entries.len();
        entries.retain(|k, _| k == &df_rel || k == ".dockerignore" || !ignored(&rules, k));
        let ignored_count = ignored_count - entries.len();
        let ctx = Context { entries };
        let ctx_size = tar_size(ctx.entries.values());
        self.step(Step::new(
            Component::Cli,
            format!(
                "packed the build context {dir} as a tar: {} entries, {} bytes{}",
                ctx.entries.len(),
                ctx_size,
                if ignored_count > 0 {
                    format!(" ({ignored_count} left out by .dockerignore)")
                } else {
                    String::new()
                }
            ),
            "the classic builder runs in dockerd, which cannot read your directory: the CLI uploads all of it (less .dockerignore) with the build request",
        ));
        let mut tags = Vec::new();
        for t in &a.tag {
            match Reference::parse(t) {
                Ok(r) if r.digest.is_none() => tags.push(r),
                _ => {
                    self.err(&format!(
                        "invalid argument {} for \"-t, --tag\" flag: invalid reference format\n\nUsage:  docker build [OPTIONS] PATH | URL | -\n\nRun 'docker build --help' for more information\n",
                        crate::format::go_quote(t)
                    ));
                    return 125;
                }
            }
        }
        let stream_start = self.output.len();
        self.out(&format!(
            "Sending build context to Docker daemon {:>8}\r\r\n",
            human_size4(ctx_size)
        ));
        let mut query = String::from("/build?");
        for t in &tags {
            query.push_str(&format!(
                "t={}&",
                crate::daemon::query_escape(&t.familiar_tagged())
            ));
        }
        query.push_str(&format!(
            "dockerfile={}&rm={}&nocache={}&q={}",
            df_rel,
            u8::from(a.rm.as_deref() != Some("false")),
            u8::from(a.no_cache),
            u8::from(a.quiet)
        ));
        let result = self.run_build(&a, &ctx, &df_rel, &df_text, &query);
        match result {
            Ok(id) => {
                let short = id[7..19].to_string();
                if a.quiet {
                    self.output.truncate(stream_start);
                    self.out(&format!("{id}\n"));
                } else {
                    self.out(&format!("Successfully built {short}\n"));
                }
                for t in &tags {
                    self.tag_image_as(&id, t);
                    if !a.quiet {
                        self.out(&format!("Successfully tagged {}\n", t.familiar_tagged()));
                    }
                }
                0
            }
            Err(e) => {
                if a.quiet {
                    let shown: String = self.output[stream_start..]
                        .iter()
                        .map(|o| o.text.clone())
                        .collect();
                    self.output.truncate(stream_start);
                    self.err(&shown);
                }
                if e.daemon {
                    self.err(&format!("Error response from daemon: {}\n", e.message));
                } else {
                    self.err(&format!("{}\n", e.message));
                }
                e.code
            }
        }
    }

    fn run_build(
        &mut self,
        a: &BuildArgs,
        ctx: &Context,
        df_rel: &str,
        df_text: &str,
        query: &str,
    ) -> Result<String, BuildError> {
        let refuse = |this: &mut Self, msg: String| {
            this.step(crate::daemon::api_step(
                crate::daemon::http(
                    "POST",
                    query,
                    None,
                    400,
                    Some(serde_json::json!({ "message": msg })),
                ),
                "dockerd parses the Dockerfile before it runs anything, so nothing changed",
            ));
            Err(BuildError {
                message: msg,
                code: 1,
                daemon: true,
            })
        };
        if df_text.is_empty() {
            return refuse(self, format!("the Dockerfile ({df_rel}) cannot be empty"));
        }
        if dockerfile::parse_lines(df_text).is_ok_and(|l| l.is_empty()) {
            return refuse(
                self,
                format!("failed to parse {df_rel}: file with no instructions"),
            );
        }
        let df = match dockerfile::parse(df_text) {
            Ok(d) => d,
            Err(m) => return refuse(self, m),
        };
        let mut stages = df.stages.clone();
        if let Some(t) = &a.target {
            match stages
                .iter()
                .position(|s| s.name.as_deref() == Some(&t.to_lowercase()))
            {
                Some(i) => stages.truncate(i + 1),
                None => {
                    return refuse(
                        self,
                        format!(
                            "target stage {} could not be found",
                            crate::format::go_quote(t)
                        ),
                    )
                }
            }
        }
        if stages.is_empty() {
            return refuse(
                self,
                "No image was generated. Is your Dockerfile empty?".into(),
            );
        }
        self.step(crate::daemon::api_step(
            crate::daemon::http("POST", query, None, 200, None),
            "dockerd's classic builder takes the context and streams its progress back",
        ));
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "parsed {df_rel}: {} stage(s), {} step(s)",
                stages.len(),
                df.total_steps()
            ),
            "each instruction is one step; each step's result is an image the next one builds on",
        ));
        let build_args: Vec<(String, String)> = a
            .build_arg
            .iter()
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (kv.clone(), String::new()),
            })
            .collect();
        let total = df.meta_args.len() + stages.iter().map(|s| 1 + s.commands.len()).sum::<usize>();
        let mut n = 0;
        let mut meta: Vec<(String, String)> = Vec::new();
        let mut used_args: BTreeSet<String> = BTreeSet::new();
        for m in &df.meta_args {
            n += 1;
            self.out(&format!("Step {n}/{total} : {}\n", m.original));
            for (k, v) in parse_arg(m, &meta) {
                let v = build_args
                    .iter()
                    .find(|(bk, _)| bk == &k)
                    .map(|(_, bv)| bv.clone())
                    .or(v)
                    .unwrap_or_default();
                meta.retain(|(mk, _)| mk != &k);
                meta.push((k, v));
            }
        }
        let mut stage_images: Vec<(Option<String>, String)> = Vec::new();
        let mut last = String::new();
        for stage in &stages {
            n += 1;
            self.out(&format!("Step {n}/{total} : {}\n", stage.from.original));
            let base = dockerfile::expand(&stage.base, &meta);
            let (image_id, config) = self.resolve_from(&base, &stage_images, a.pull)?;
            self.out(&format!(" ---> {}\n", short_id(&image_id)));
            let mut d = Dispatch {
                image_id,
                config,
                shell: vec!["/bin/sh".into(), "-c".into()],
                cmd_set: false,
                args: Vec::new(),
            };
            for inst in &stage.commands {
                n += 1;
                self.out(&format!("Step {n}/{total} : {}\n", inst.original));
                self.dispatch_step(
                    a,
                    ctx,
                    &mut d,
                    inst,
                    &meta,
                    &build_args,
                    &stage_images,
                    &mut used_args,
                )?;
                self.out(&format!(" ---> {}\n", short_id(&d.image_id)));
            }
            stage_images.push((stage.name.clone(), d.image_id.clone()));
            last = d.image_id;
        }
        let unused: Vec<&String> = build_args
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !used_args.contains(*k) && !meta.iter().any(|(m, _)| m == *k))
            .collect();
        if !unused.is_empty() {
            let list: Vec<String> = unused.iter().map(|s| s.to_string()).collect();
            self.out(&format!(
                "[Warning] One or more build-args [{}] were not consumed\n",
                list.join(" ")
            ));
        }
        Ok(last)
    }

    /// FROM: a previous stage, `scratch`, a local image, or a pull.
    fn resolve_from(
        &mut self,
        base: &str,
        stages: &[(Option<String>, String)],
        pull: bool,
    ) -> Result<(String, ImageConfig), BuildError> {
        if let Some((_, id)) = stages
            .iter()
            .find(|(n, _)| n.as_deref() == Some(&base.to_lowercase()))
        {
            let cfg = self.images[id].config.clone();
            return Ok((id.clone(), cfg));
        }
        if base == "scratch" {
            return Ok((String::new(), ImageConfig::default()));
        }
        let r = Reference::parse(base).map_err(|e| fail(e.to_string()))?;
        let id = match self.find_image(base).filter(|_| !pull) {
            Some(id) => id,
            None => self.pull(&r, Stream::Stdout).map_err(|e| fail(e.message))?,
        };
        let cfg = self.images[&id].config.clone();
        self.step(Step::new(
            Component::Dockerd,
            format!("the stage starts from image {} ({base})", &id[7..19]),
            "FROM sets the parent: every later step adds to this image's layers and config",
        ));
        Ok((id, cfg))
    }

    #[allow(clippy::too_many_arguments)]
    fn dispatch_step(
        &mut self,
        a: &BuildArgs,
        ctx: &Context,
        d: &mut Dispatch,
        inst: &Instruction,
        meta: &[(String, String)],
        build_args: &[(String, String)],
        stages: &[(Option<String>, String)],
        used_args: &mut BTreeSet<String>,
    ) -> Result<(), BuildError> {
        if d.image_id.is_empty() && !matches!(inst.keyword.as_str(), "COPY" | "ADD") {
            // FROM scratch: the builder needs an image to run a container from.
            if inst.keyword == "RUN" {
                return Err(fail(
                    "Please provide a source image with `from` prior to run",
                ));
            }
        }
        // The variables instructions expand: the config's env, then the stage's ARGs.
        let mut env: Vec<(String, String)> = d
            .config
            .env
            .iter()
            .map(|e| {
                let (k, v) = e.split_once('=').unwrap_or((e, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        for (k, v) in &d.args {
            if !env.iter().any(|(ek, _)| ek == k) {
                env.insert(0, (k.clone(), v.clone()));
            }
        }
        match inst.keyword.as_str() {
            "RUN" => self.step_run(a, d, inst, build_args, used_args),
            "COPY" | "ADD" => self.step_copy(a, ctx, d, inst, &env, stages),
            "ARG" => {
                let mut s = String::from("ARG ");
                let mut parts = Vec::new();
                for (k, v) in parse_arg(inst, &env) {
                    parts.push(match &v {
                        Some(v) => format!("{k}={v}"),
                        None => k.clone(),
                    });
                    let value = build_args
                        .iter()
                        .find(|(bk, _)| bk == &k)
                        .map(|(_, bv)| bv.clone())
                        .or(v)
                        .or_else(|| {
                            meta.iter()
                                .find(|(mk, _)| mk == &k)
                                .map(|(_, mv)| mv.clone())
                        })
                        .unwrap_or_default();
                    used_args.insert(k.clone());
                    d.args.retain(|(dk, _)| dk != &k);
                    d.args.push((k, value));
                }
                s.push_str(&parts.join(" "));
                self.meta_step(a, d, &s, StepLayer::Meta)
            }
            "WORKDIR" => {
                let p = dockerfile::expand(inst.rest.trim(), &env);
                let wd = if p.starts_with('/') {
                    normalize(&p)
                } else {
                    normalize(&format!(
                        "{}/{p}",
                        if d.config.working_dir.is_empty() {
                            "/"
                        } else {
                            &d.config.working_dir
                        }
                    ))
                };
                d.config.working_dir = wd.clone();
                self.meta_step(a, d, &format!("WORKDIR {wd}"), StepLayer::Workdir(wd))
            }
            _ => {
                let comment = apply_metadata(d, inst, &env).map_err(fail)?;
                self.meta_step(a, d, &comment, StepLayer::Meta)
            }
        }
    }

    /// Looks the step up in the cache; prints ` ---> Using cache` on a hit.
    fn probe_cache(&mut self, a: &BuildArgs, d: &mut Dispatch, key: &str) -> bool {
        if a.no_cache {
            return false;
        }
        let k = format!("{}\n{key}", d.image_id);
        let Some(id) = self.builds.cache.get(&k).cloned() else {
            return false;
        };
        if !self.images.contains_key(&id) {
            return false;
        }
        self.out(" ---> Using cache\n");
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "cache hit: image {} was built on {} by this same step",
                &id[7..19],
                short_id(&d.image_id)
            ),
            "the classic builder reuses a local image whose parent is the current image and whose config (the command, or COPY's content hash) is identical, so nothing runs",
        ));
        d.image_id = id;
        true
    }

    fn remember(&mut self, parent: &str, key: &str, id: &str) {
        self.builds
            .cache
            .insert(format!("{parent}\n{key}"), id.to_string());
    }

    /// Creates a build container (moby's `builder.create`): ` ---> Running in <id>`.
    fn build_container(
        &mut self,
        d: &Dispatch,
        cmd: Vec<String>,
        env: Vec<String>,
    ) -> Result<String, BuildError> {
        let image = short_id(&d.image_id);
        let mut args = vec![image];
        args.extend(cmd);
        let create = cli::CreateArgs {
            args,
            entrypoint: Some(String::new()),
            env,
            ..Default::default()
        };
        let mark = self.steps.len();
        let out_mark = self.output.len();
        let created = self.create_container(&create, true, "run");
        // The builder calls dockerd's backend directly: no API requests.
        let mut tail = self.steps.split_off(mark);
        tail.retain(|s| s.component != Component::Api);
        self.steps.extend(tail);
        match created {
            Ok(id) => {
                self.out(&format!(" ---> Running in {}\n", &id[..12]));
                Ok(id)
            }
            Err(code) => {
                let msg: String = self
                    .output
                    .split_off(out_mark)
                    .iter()
                    .map(|o| o.text.clone())
                    .collect();
                Err(BuildError {
                    message: msg.trim_end().to_string(),
                    code,
                    daemon: false,
                })
            }
        }
    }

    /// Removes a finished build container: ` ---> Removed intermediate container <id>`.
    fn remove_build_container(&mut self, a: &BuildArgs, id: &str) {
        if a.rm.as_deref() == Some("false") && !a.force_rm {
            return;
        }
        // ContainerRm with RemoveVolume: anonymous volumes (an image's VOLUME) go too.
        if let Some(c) = self.containers.get_mut(id) {
            c.config.auto_remove = true;
        }
        self.remove_container(
            id,
            "the classic builder removes each step's container once its layer is committed (--rm, the default)",
        );
        self.out(&format!(
            " ---> Removed intermediate container {}\n",
            &id[..12]
        ));
    }

    /// A metadata step (ENV, LABEL, CMD, …) or WORKDIR: cache, container, commit.
    fn meta_step(
        &mut self,
        a: &BuildArgs,
        d: &mut Dispatch,
        comment: &str,
        kind: StepLayer,
    ) -> Result<(), BuildError> {
        let (cmd, created_by) = match kind {
            StepLayer::Meta => {
                let mut c = d.shell.clone();
                c.push("#(nop) ".into());
                c.push(comment.to_string());
                let by = c.join(" ");
                (c, by)
            }
            StepLayer::Workdir(_) => {
                let mut c = d.shell.clone();
                c.push(format!("#(nop) {comment}"));
                let by = c.join(" ");
                (c, by)
            }
        };
        let key = serde_json::to_string(&(&cmd, &d.config)).unwrap_or_default();
        if self.probe_cache(a, d, &key) {
            return Ok(());
        }
        let parent = d.image_id.clone();
        if parent.is_empty() {
            // FROM scratch: no container to run; the config changes alone.
            let id = self.commit_image(None, d.config.clone(), None, &created_by, "");
            self.remember(&parent, &key, &id);
            d.image_id = id;
            return Ok(());
        }
        let cid = self.build_container(d, cmd, Vec::new())?;
        let tree = match &kind {
            StepLayer::Workdir(wd) => {
                let mut t = Tree::default();
                let exists = self
                    .image_union(&parent)
                    .and_then(|u| u.lstat(wd))
                    .is_some();
                if !exists {
                    let mut at = String::new();
                    let u = self.image_union(&parent);
                    for part in wd.split('/').filter(|p| !p.is_empty()) {
                        at.push('/');
                        at.push_str(part);
                        if u.as_ref().and_then(|u| u.lstat(&at)).is_none() {
                            t.insert(&at, Node::dir(0o755));
                        }
                    }
                }
                t
            }
            StepLayer::Meta => Tree::default(),
        };
        let layer = layer_from_tree(tree, &created_by);
        let id = self.commit_image(
            Some(&parent),
            d.config.clone(),
            Some(layer),
            &created_by,
            "",
        );
        self.step(
            Step::new(
                Component::Dockerd,
                format!("committed container {} as image {}", &cid[..12], &id[7..19]),
                "a metadata step changes only the image config: the image gets a history entry marked empty_layer and no new layer",
            )
            .change(Change::added(Object::Image(id.clone()))),
        );
        self.remember(&parent, &key, &id);
        d.image_id = id;
        self.remove_build_container(a, &cid);
        Ok(())
    }

    fn step_run(
        &mut self,
        a: &BuildArgs,
        d: &mut Dispatch,
        inst: &Instruction,
        build_args: &[(String, String)],
        used: &mut BTreeSet<String>,
    ) -> Result<(), BuildError> {
        if let Some((k, _)) = inst.flags.first() {
            return Err(fail(format!("the --{k} option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled")));
        }
        let cmd: Vec<String> = match &inst.json {
            Some(v) => v.clone(),
            None => {
                let mut c = d.shell.clone();
                c.push(inst.rest.clone());
                c
            }
        };
        // Build args the stage declared and the config does not set: the container's
        // environment, and a `|N K=V` prefix in the cache key and history.
        let env_keys: Vec<&str> = d
            .config
            .env
            .iter()
            .map(|e| e.split('=').next().unwrap_or(e))
            .collect();
        let mut arg_env: Vec<String> = d
            .args
            .iter()
            .filter(|(k, _)| !env_keys.contains(&k.as_str()))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        arg_env.sort();
        for (k, _) in &d.args {
            used.insert(k.clone());
        }
        let _ = build_args;
        let save_cmd: Vec<String> = if arg_env.is_empty() {
            cmd.clone()
        } else {
            let mut s = vec![format!("|{}", arg_env.len())];
            s.extend(arg_env.iter().cloned());
            s.extend(cmd.iter().cloned());
            s
        };
        let key = serde_json::to_string(&(&save_cmd, &d.config)).unwrap_or_default();
        if self.probe_cache(a, d, &key) {
            return Ok(());
        }
        let parent = d.image_id.clone();
        let cid = self.build_container(d, cmd.clone(), arg_env)?;
        // containerManager.Run: attach, start, wait.
        self.attach_to = Some(cid.clone());
        let started = self.start_container(&cid);
        self.attach_to = None;
        if let Err(e) = started {
            return Err(fail(e.message));
        }
        let code = self.follow_build_container(&cid);
        if code != 0 {
            self.step(Step::new(
                Component::Dockerd,
                format!("the RUN step's container {} exited with {code}: the build stops", &cid[..12]),
                "the failed step's container is left (docker ps -a shows it); the images of the steps before it stay in the cache",
            ));
            return Err(BuildError {
                message: format!(
                    "The command '{}' returned a non-zero code: {code}",
                    cmd.join(" ")
                ),
                code,
                daemon: false,
            });
        }
        let tree = self.kernel.rw_layer(&cid).cloned().unwrap_or_default();
        let created_by = save_cmd.join(" ");
        let layer = layer_from_tree(tree, &created_by);
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "the RUN step's container {} exited 0; its RW layer has {} entries ({}), diff ID {}",
                &cid[..12],
                layer.tree.len(),
                crate::format::human_size(layer.size),
                layer.diff_id
            ),
            "whatever the command wrote (and the whiteouts of what it deleted) is in the container's upper dir: that becomes the step's layer",
        ));
        let id = self.commit_image(
            Some(&parent),
            d.config.clone(),
            Some(layer),
            &created_by,
            "",
        );
        self.step(
            Step::new(
                Component::Dockerd,
                format!("committed container {} as image {}", &cid[..12], &id[7..19]),
                "RUN = docker run + docker commit: the image's config stays the stage's, only the layer is new",
            )
            .change(Change::added(Object::Image(id.clone()))),
        );
        self.remember(&parent, &key, &id);
        d.image_id = id;
        self.remove_build_container(a, &cid);
        Ok(())
    }

    /// Lets time pass until the build container exits (its output goes to the build's
    /// output); a program that would never exit is killed, since the build would hang.
    fn follow_build_container(&mut self, id: &str) -> i32 {
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
                    Component::Dockerd,
                    format!("the RUN step's container {} would run forever", &id[..12]),
                    "a real build would hang here until cancelled; Porthole kills the container, which fails the step",
                ));
                self.kill_with_signal(id, crate::kernel::Signal::Kill);
                continue;
            };
            self.now = self.now.max(next);
            let events = self.kernel.advance(next);
            self.apply_events(events, Some(id));
        }
        self.containers
            .get(id)
            .map(|c| c.state.exit_code)
            .unwrap_or(0)
    }

    fn step_copy(
        &mut self,
        a: &BuildArgs,
        ctx: &Context,
        d: &mut Dispatch,
        inst: &Instruction,
        env: &[(String, String)],
        stages: &[(Option<String>, String)],
    ) -> Result<(), BuildError> {
        let name = inst.keyword.as_str();
        if inst.flag("chmod").is_some() {
            return Err(fail("the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled"));
        }
        let words: Vec<String> = match &inst.json {
            Some(v) => v.clone(),
            None => dockerfile::split_words(&inst.rest)
                .iter()
                .map(|w| dockerfile::expand(w, env))
                .collect(),
        };
        let (dest_raw, srcs) = words
            .split_last()
            .map(|(l, s)| (l.clone(), s.to_vec()))
            .unwrap_or_default();
        // The source: the context, or another stage's (or image's) file system.
        let from = inst.flag("from").map(|f| f.to_lowercase());
        let mut source: BTreeMap<String, Node> = BTreeMap::new();
        let from_ctx = from.is_none();
        if let Some(f) = &from {
            let id = match stages
                .iter()
                .find(|(n, _)| n.as_deref() == Some(f.as_str()))
            {
                Some((_, id)) => id.clone(),
                None => match f.parse::<usize>() {
                    Ok(i) if i < stages.len() => stages[i].1.clone(),
                    Ok(_) => {
                        return Err(fail(format!(
                            "invalid from flag value {f}: index out of bounds"
                        )))
                    }
                    Err(_) => match self.find_image(f) {
                        Some(id) => id,
                        None => {
                            let r = Reference::parse(f)
                                .map_err(|e| fail(format!("invalid from flag value {f}: {e}")))?;
                            self.pull(&r, Stream::Stdout).map_err(|e| {
                                fail(format!("invalid from flag value {f}: {}", e.message))
                            })?
                        }
                    },
                },
            };
            if let Some(img) = self.images.get(&id) {
                let mut merged: BTreeMap<String, Node> = BTreeMap::new();
                for dgst in &img.layers {
                    if let Some(r) = self.layers.get(dgst) {
                        for (p, n) in &r.layer.tree.entries {
                            if matches!(n.kind, NodeKind::Whiteout) {
                                let pre = format!("{p}/");
                                merged.retain(|k, _| k != p && !k.starts_with(&pre));
                                continue;
                            }
                            if let NodeKind::Dir { opaque: true } = n.kind {
                                let pre = format!("{p}/");
                                merged.retain(|k, _| !k.starts_with(&pre));
                            }
                            merged.insert(p.trim_start_matches('/').to_string(), n.clone());
                        }
                    }
                }
                source = merged;
            }
        }
        let src_view = if from_ctx { &ctx.entries } else { &source };
        let lookup = Context {
            entries: src_view.clone(),
        };
        // Each source: its matches (wildcards), hash, and entries to copy.
        let mut infos: Vec<(String, String)> = Vec::new(); // (rel path, hash)
        for s in &srcs {
            if s.contains("://") {
                return Err(fail(format!("{name} failed: porthole cannot download {s}: the simulated host has no internet access for builds")));
            }
            let rel = normalize(s).trim_start_matches('/').to_string();
            let matches: Vec<String> = if rel.contains(['*', '?', '[']) {
                src_view
                    .keys()
                    .filter(|k| glob_match(&rel, k))
                    .cloned()
                    .collect()
            } else if rel.is_empty() || src_view.contains_key(&rel) {
                vec![rel.clone()]
            } else {
                Vec::new()
            };
            if matches.is_empty() && !rel.contains(['*', '?', '[']) {
                let shown = s.trim_start_matches("./").trim_start_matches('/');
                return Err(fail(if from_ctx {
                    format!("{name} failed: file not found in build context or excluded by .dockerignore: stat {shown}: file does not exist")
                } else {
                    format!("{name} failed: stat {}: file does not exist", normalize(s))
                }));
            }
            for m in matches {
                let h = if m.is_empty() {
                    let subs: Vec<String> = src_view.iter().map(|(k, n)| file_hash(k, n)).collect();
                    format!(
                        "dir:{}",
                        crate::rng::hex(&sha2_digest(subs.join(",").as_bytes()))
                    )
                } else {
                    lookup.hash_of(&m).unwrap_or_default()
                };
                infos.push((m, h));
            }
        }
        if infos.is_empty() {
            return Err(fail(format!(
                "{name} failed: no source files were specified"
            )));
        }
        if infos.len() > 1 && !dest_raw.ends_with('/') {
            return Err(fail(format!("When using {name} with more than one source file, the destination must be a directory and end with a /")));
        }
        let src_hash = if infos.len() == 1 {
            infos[0].1.clone()
        } else {
            let hs: Vec<String> = infos.iter().map(|(_, h)| h.clone()).collect();
            format!(
                "multi:{}",
                crate::rng::hex(&sha2_digest(hs.join(",").as_bytes()))
            )
        };
        let chown = inst.flag("chown").map(str::to_string);
        let chown_comment = chown
            .as_ref()
            .map(|c| format!("--chown={c} "))
            .unwrap_or_default();
        let comment = format!("{name} {chown_comment}{src_hash} in {dest_raw} ");
        let mut cmd = d.shell.clone();
        cmd.push(format!("#(nop) {comment}"));
        let created_by = cmd.join(" ");
        let key = serde_json::to_string(&(&cmd, &d.config)).unwrap_or_default();
        if self.probe_cache(a, d, &key) {
            return Ok(());
        }
        let (uid, gid) = match &chown {
            None => (0, 0),
            Some(c) => {
                let (u, g) = c.split_once(':').unwrap_or((c, c));
                let num = |s: &str| -> Option<u32> {
                    if s == "root" {
                        Some(0)
                    } else {
                        s.parse().ok()
                    }
                };
                match (num(u), num(g)) {
                    (Some(u), Some(g)) => (u, g),
                    _ => return Err(fail(format!("unable to convert uid/gid chown string to host mapping: can't find uid for user {u}: no such user: {u}"))),
                }
            }
        };
        // The destination, relative to WORKDIR.
        let wd = if d.config.working_dir.is_empty() {
            "/"
        } else {
            d.config.working_dir.as_str()
        };
        let dest_abs = if dest_raw.starts_with('/') {
            dest_raw.clone()
        } else {
            format!("{wd}/{dest_raw}")
        };
        let dest_is_dir_syntax =
            dest_raw.ends_with('/') || dest_raw == "." || dest_raw.ends_with("/.");
        let dest = normalize(&dest_abs);
        let parent = d.image_id.clone();
        let (dest_exists_dir, existing) = {
            let u = self.image_union(&parent);
            let st = u.as_ref().and_then(|u| u.lstat(&dest));
            let is_dir = st
                .as_ref()
                .is_some_and(|f| matches!(f.node.kind, NodeKind::Dir { .. }));
            let mut existing: BTreeSet<String> = BTreeSet::new();
            if let Some(u) = &u {
                let mut at = String::new();
                for part in dest.split('/').filter(|p| !p.is_empty()) {
                    at.push('/');
                    at.push_str(part);
                    if u.lstat(&at).is_some() {
                        existing.insert(at.clone());
                    }
                }
            }
            (is_dir, existing)
        };
        let mut tree = Tree::default();
        let own = |n: &Node| -> Node {
            let mut n = n.clone();
            if from_ctx || chown.is_some() {
                n.uid = uid;
                n.gid = gid;
            }
            if let NodeKind::Dir { opaque } = &mut n.kind {
                *opaque = false;
            }
            n
        };
        let add_parents = |tree: &mut Tree, path: &str| {
            let mut at = String::new();
            let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
            for part in parts.iter().take(parts.len().saturating_sub(1)) {
                at.push('/');
                at.push_str(part);
                if !existing.contains(&at) && tree.get(&at).is_none() {
                    tree.insert(&at, Node::dir(0o755));
                }
            }
        };
        let mut files = 0usize;
        for (rel, _) in &infos {
            let node = if rel.is_empty() {
                Node::dir(0o755)
            } else {
                src_view
                    .get(rel)
                    .cloned()
                    .unwrap_or_else(|| Node::dir(0o755))
            };
            if matches!(node.kind, NodeKind::Dir { .. }) {
                // A directory: its contents (not itself) go into dest.
                add_parents(&mut tree, &format!("{dest}/x"));
                if dest != "/" && !existing.contains(&dest) {
                    tree.insert(&dest, Node::dir(0o755));
                }
                let prefix = if rel.is_empty() {
                    String::new()
                } else {
                    format!("{rel}/")
                };
                for (k, n) in src_view
                    .iter()
                    .filter(|(k, _)| rel.is_empty() || k.starts_with(&prefix))
                {
                    let sub = &k[prefix.len()..];
                    tree.insert(&format!("{dest}/{sub}"), own(n));
                    if !matches!(n.kind, NodeKind::Dir { .. }) {
                        files += 1;
                    }
                }
            } else {
                let base = rel.rsplit('/').next().unwrap_or(rel);
                let target = if dest_is_dir_syntax || dest_exists_dir || infos.len() > 1 {
                    format!("{dest}/{base}")
                } else {
                    dest.clone()
                };
                let target = normalize(&target);
                add_parents(&mut tree, &target);
                if (dest_is_dir_syntax || infos.len() > 1)
                    && !dest_exists_dir
                    && dest != "/"
                    && !existing.contains(&dest)
                {
                    tree.insert(&dest, Node::dir(0o755));
                }
                tree.insert(&target, own(&node));
                files += 1;
            }
        }
        let layer = layer_from_tree(tree, &created_by);
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "{name}: {files} file(s) from {} into {dest} ({}), content hash {src_hash}",
                if from_ctx { "the build context".to_string() } else { format!("stage/image {}", from.clone().unwrap_or_default()) },
                crate::format::human_size(layer.size),
            ),
            "COPY needs no container: dockerd writes the files into a fresh RW layer over the current image and commits it; the content hash is the cache key, so changing a copied file invalidates this step and every later one",
        ));
        let id = self.commit_image(
            Some(&parent),
            d.config.clone(),
            Some(layer),
            &created_by,
            "",
        );
        self.remember(&parent, &key, &id);
        d.image_id = id;
        Ok(())
    }
}

/// `ARG K[=v] …` → (name, default) with the defaults expanded.
fn parse_arg(inst: &Instruction, env: &[(String, String)]) -> Vec<(String, Option<String>)> {
    dockerfile::split_words(&inst.rest)
        .iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(dockerfile::expand(v, env))),
            None => (w.clone(), None),
        })
        .collect()
}

/// The metadata instructions (dispatchers.go): changes the stage's config and returns
/// the commit comment (`ENV A=1`, `CMD ["sh"]`).
fn apply_metadata(
    d: &mut Dispatch,
    inst: &Instruction,
    env: &[(String, String)],
) -> Result<String, String> {
    let cfg = &mut d.config;
    let exec_or_shell = |shell: &[String]| -> Vec<String> {
        match &inst.json {
            Some(v) => v.clone(),
            None => {
                let mut c = shell.to_vec();
                c.push(inst.rest.clone());
                c
            }
        }
    };
    Ok(match inst.keyword.as_str() {
        "ENV" => {
            let mut s = String::from("ENV");
            for (k, v) in dockerfile::key_values(&inst.rest, env) {
                s.push_str(&format!(" {k}={v}"));
                let kv = format!("{k}={v}");
                match cfg
                    .env
                    .iter_mut()
                    .find(|e| e.split('=').next() == Some(k.as_str()))
                {
                    Some(e) => *e = kv,
                    None => cfg.env.push(kv),
                }
            }
            s
        }
        "LABEL" => {
            let mut s = String::from("LABEL");
            for (k, v) in dockerfile::key_values(&inst.rest, env) {
                s.push_str(&format!(" {k}={v}"));
                cfg.labels.insert(k, v);
            }
            s
        }
        "MAINTAINER" => format!("MAINTAINER {}", inst.rest),
        "CMD" => {
            let c = exec_or_shell(&d.shell);
            cfg.cmd = Some(c.clone());
            if !inst.rest.is_empty() {
                d.cmd_set = true;
            }
            format!("CMD {}", go_list_q(&c))
        }
        "ENTRYPOINT" => {
            let c = exec_or_shell(&d.shell);
            cfg.entrypoint = Some(c.clone());
            if !d.cmd_set {
                cfg.cmd = None;
            }
            format!("ENTRYPOINT {}", go_list_q(&c))
        }
        "EXPOSE" => {
            let ports: Vec<String> = inst
                .rest
                .split_whitespace()
                .flat_map(|p| {
                    dockerfile::expand(p, env)
                        .split_whitespace()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .collect();
            for p in &ports {
                let (num, proto) = p.split_once('/').unwrap_or((p, "tcp"));
                let ok = num.split('-').all(|n| n.parse::<u16>().is_ok());
                if !ok {
                    return Err(format!("invalid containerPort: {num}"));
                }
                let spec = format!("{num}/{}", proto.to_lowercase());
                if !cfg.exposed_ports.contains(&spec) {
                    cfg.exposed_ports.push(spec);
                    cfg.exposed_ports.sort();
                }
            }
            format!("EXPOSE {}", ports.join(" "))
        }
        "USER" => {
            let u = dockerfile::expand(inst.rest.trim(), env);
            cfg.user = u.clone();
            format!("USER {u}")
        }
        "VOLUME" => {
            let vols: Vec<String> = match &inst.json {
                Some(v) => v.clone(),
                None => inst
                    .rest
                    .split_whitespace()
                    .map(|w| dockerfile::expand(w, env))
                    .collect(),
            };
            for v in &vols {
                if v.is_empty() {
                    return Err("VOLUME specified can not be an empty string".into());
                }
                if !cfg.volumes.contains(v) {
                    cfg.volumes.push(v.clone());
                }
            }
            format!("VOLUME [{}]", vols.join(" "))
        }
        "STOPSIGNAL" => {
            let s = dockerfile::expand(inst.rest.trim(), env);
            if crate::kernel::Signal::parse(&s).is_none() && s.parse::<u32>().is_err() {
                return Err(format!("Invalid signal: {s}"));
            }
            cfg.stop_signal = Some(s.clone());
            format!("STOPSIGNAL {s}")
        }
        "SHELL" => {
            let v = inst.json.clone().unwrap_or_default();
            d.shell = v.clone();
            format!("SHELL [{}]", v.join(" "))
        }
        "WORKDIR" => {
            let p = dockerfile::expand(inst.rest.trim(), env);
            cfg.working_dir = if p.starts_with('/') {
                normalize(&p)
            } else {
                normalize(&format!("{}/{p}", cfg.working_dir))
            };
            format!("WORKDIR {}", cfg.working_dir)
        }
        "HEALTHCHECK" => format!("HEALTHCHECK {}", inst.rest),
        "ONBUILD" => format!("ONBUILD {}", inst.rest),
        other => return Err(format!("unsupported command type: {other}")),
    })
}

/// The first 12 hex digits of an image ID (`stringid.TruncateID`).
fn short_id(id: &str) -> String {
    let h = id.trim_start_matches("sha256:");
    h[..h.len().min(12)].to_string()
}

/// A host path as the simulated host's shell resolves it (its working directory is
/// /root): what `porthole sim` uses to place a real build context where `docker build`
/// will look for it.
pub fn host_path(p: &str) -> String {
    if p.starts_with('/') {
        normalize(p)
    } else {
        normalize(&format!("/root/{p}"))
    }
}

/// For front ends: the build context directory and Dockerfile a `docker build` command
/// line names (absolute, as the simulated host resolves them), or None if the line is
/// not a build. `porthole sim` copies that directory from the real disk first.
pub fn build_context_of(line: &str) -> Option<(String, String)> {
    let words = cli::split(line)?;
    let rest = match words.as_slice() {
        [d, b, rest @ ..] if d == "docker" && b == "build" => rest,
        [d, i, b, rest @ ..] if d == "docker" && i == "image" && b == "build" => rest,
        _ => return None,
    };
    let mut file = None;
    let mut ctx = None;
    let mut i = 0;
    while i < rest.len() {
        let w = &rest[i];
        if matches!(w.as_str(), "-f" | "--file") {
            file = rest.get(i + 1).cloned();
            i += 2;
            continue;
        }
        if let Some(f) = w.strip_prefix("--file=") {
            file = Some(f.to_string());
        } else if matches!(
            w.as_str(),
            "-t" | "--tag" | "--build-arg" | "--label" | "--target"
        ) {
            i += 1;
        } else if !w.starts_with('-') {
            ctx = Some(w.clone());
        }
        i += 1;
    }
    let dir = host_path(&ctx?);
    let df = match file {
        Some(f) if f.starts_with('/') => normalize(&f),
        Some(f) => normalize(&format!("{dir}/{f}")),
        None => format!("{}/Dockerfile", dir.trim_end_matches('/')),
    };
    Some((dir, df))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_globs_and_ignores() {
        assert_eq!(human_size4(3072), "3.072kB");
        assert_eq!(human_size4(10240), "10.24kB");
        assert_eq!(human_size4(2000), "2kB");
        assert_eq!(human_size4(512), "512B");
        assert!(glob_match("*.py", "app.py"));
        assert!(!glob_match("*.py", "src/app.py"));
        assert!(glob_match("**/*.py", "src/app.py"));
        let rules = ignore_rules("# c\nnode_modules\n*.log\n!keep.log\n");
        assert!(ignored(&rules, "node_modules/x/y.js"));
        assert!(ignored(&rules, "a.log"));
        assert!(!ignored(&rules, "keep.log"));
        assert!(!ignored(&rules, "app.py"));
        assert_eq!(
            build_context_of("docker build -t app -f df/Dockerfile.dev ./proj"),
            Some(("/root/proj".into(), "/root/proj/df/Dockerfile.dev".into()))
        );
        assert_eq!(build_context_of("docker run busybox"), None);
    }
}
