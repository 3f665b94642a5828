//! Registries besides the built-in Docker Hub: a `registry:2` container the student
//! runs (`docker run -d -p 5000:5000 --name registry registry:2`), `docker push` to it
//! and pulls back from it, `docker login` / `docker logout`.
//!
//! A registry is reachable at `localhost:PORT` while a running registry container
//! publishes that host port. Its content lives where distribution's filesystem driver
//! keeps it: under the container's `/var/lib/registry` (the image's VOLUME, so a
//! volume on the host tree): `docker/registry/v2/blobs/sha256/…/data`,
//! `repositories/NAME/_layers/…/link`, `_manifests/tags/TAG/current/link`. Remove the
//! container and its anonymous volume is no longer its storage: a new registry starts
//! empty. The layers' trees themselves are kept by digest in the engine
//! (`BuildState::blobs`, content-addressed), the files on the host say which registry
//! holds which blob.

use crate::daemon::ApiError;
use crate::engine::{Engine, Status};
use crate::image::{config_json, sha256, Layer, Reference, RegistryImage};
use crate::kernel::Kernel;
use crate::trace::{Change, Component, Object, Step};
use clap::Args;
use std::sync::Arc;

/// `docker push [OPTIONS] NAME[:TAG]`.
#[derive(Args, Debug, Clone, Default)]
pub struct PushArgs {
    /// Push all tags of an image to the repository
    #[arg(short = 'a', long = "all-tags")]
    pub all_tags: bool,
    /// Suppress verbose output
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Skip image signing
    #[arg(long = "disable-content-trust", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub disable_content_trust: Option<String>,
    #[arg(value_name = "NAME[:TAG]")]
    pub args: Vec<String>,
}

/// `docker login [OPTIONS] [SERVER]`.
#[derive(Args, Debug, Clone, Default)]
pub struct LoginArgs {
    /// Username
    #[arg(short = 'u', long)]
    pub username: Option<String>,
    /// Password or Personal Access Token (PAT)
    #[arg(short = 'p', long)]
    pub password: Option<String>,
    /// Take the Password or Personal Access Token (PAT) from stdin
    #[arg(long = "password-stdin")]
    pub password_stdin: bool,
    #[arg(value_name = "SERVER")]
    pub args: Vec<String>,
}

/// `docker logout [SERVER]`.
#[derive(Args, Debug, Clone, Default)]
pub struct LogoutArgs {
    #[arg(value_name = "SERVER")]
    pub args: Vec<String>,
}

/// The manifest media types dockerd's (graphdriver) pusher writes.
const MANIFEST_TYPE: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// A running registry reachable on a host port: its container and its storage root.
struct Target {
    container: String,
    root: String,
}

fn hex_of(d: &str) -> &str {
    d.trim_start_matches("sha256:")
}

fn blob_path(root: &str, digest: &str) -> String {
    let h = hex_of(digest);
    format!(
        "{root}/docker/registry/v2/blobs/sha256/{}/{h}/data",
        &h[..2]
    )
}

fn repo_dir(root: &str, repo: &str) -> String {
    format!("{root}/docker/registry/v2/repositories/{repo}")
}

/// The manifest JSON as distribution's schema2 manifest marshals it (3-space indent).
fn manifest_json(config: &str, config_digest: &str, layers: &[Layer]) -> String {
    let v = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST_TYPE,
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": config.len(),
            "digest": config_digest,
        },
        "layers": layers.iter().map(|l| serde_json::json!({
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": l.compressed_size,
            "digest": l.digest,
        })).collect::<Vec<_>>(),
    });
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"   ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    let _ = serde::Serialize::serialize(&v, &mut ser);
    String::from_utf8(buf).unwrap_or_default()
}

/// What dockerd gets when it dials a registry that is not there (the wording
/// `resolve_remote` uses for pulls too).
pub(crate) fn unreachable(domain: &str) -> String {
    if domain.starts_with("localhost") || domain.starts_with("127.0.0.1") {
        let port = domain.split(':').nth(1).unwrap_or("443");
        format!("Get \"http://{domain}/v2/\": dial tcp [::1]:{port}: connect: connection refused")
    } else {
        format!(
            "Get \"https://{domain}/v2/\": dial tcp: lookup {} on 127.0.0.53:53: no such host",
            domain.split(':').next().unwrap_or("")
        )
    }
}

/// Minimal base64 (standard alphabet, padded) for config.json's `auth`.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl<K: Kernel> Engine<K> {
    /// The registry container answering on `domain` (`localhost:5000`), if one runs and
    /// publishes that port on the host.
    fn registry_target(&self, domain: &str) -> Option<Target> {
        let (host, port) = domain.split_once(':').unwrap_or((domain, "443"));
        if !(host == "localhost" || host.starts_with("127.")) {
            return None;
        }
        let port: u16 = port.parse().ok()?;
        for (ip, proto, hport, cid) in self.networks.bound_ports() {
            if hport != port || proto != "tcp" || !(ip == "0.0.0.0" || ip.starts_with("127.")) {
                continue;
            }
            let Some(c) = self.containers.get(&cid) else {
                continue;
            };
            let is_registry = c.path == "/entrypoint.sh" || c.path.ends_with("registry");
            if c.state.status != Status::Running || !is_registry {
                continue;
            }
            let root = self
                .volumes
                .of_container(&cid)
                .and_then(|m| {
                    m.points
                        .iter()
                        .find(|p| p.destination == "/var/lib/registry")
                })
                .map(|p| p.source.clone())
                .filter(|s| !s.is_empty())?;
            return Some(Target {
                container: cid,
                root,
            });
        }
        None
    }

    fn host_file(&self, path: &str) -> Option<String> {
        let (t, inner) = self.kernel.host_tree(path)?;
        match &t.get(&inner)?.kind {
            crate::fs::NodeKind::File { content, .. } => {
                Some(content.as_deref().unwrap_or("").to_string())
            }
            _ => None,
        }
    }

    fn put(&mut self, path: &str, text: &str) {
        let _ = self.host_put_file(path, text.as_bytes());
    }

    /// The image `r` names on a private registry, for `docker pull` (called from
    /// `resolve_remote` for any domain but docker.io).
    pub(crate) fn private_registry_image(
        &self,
        r: &Reference,
    ) -> Result<Arc<RegistryImage>, ApiError> {
        let Some(t) = self.registry_target(&r.domain) else {
            return Err(ApiError::new(500, unreachable(&r.domain)));
        };
        let tag = r.tag_or_latest();
        let not_found = || {
            ApiError::new(
                404,
                format!(
                    "manifest for {} not found: manifest unknown: manifest unknown",
                    r.familiar_tagged()
                ),
            )
        };
        let repo = repo_dir(&t.root, &r.path);
        let digest = match &r.digest {
            Some(d) => d.clone(),
            None => self
                .host_file(&format!("{repo}/_manifests/tags/{tag}/current/link"))
                .ok_or_else(not_found)?,
        };
        let manifest = self
            .host_file(&blob_path(&t.root, &digest))
            .ok_or_else(not_found)?;
        let m: serde_json::Value = serde_json::from_str(&manifest).map_err(|_| not_found())?;
        let config_digest = m["config"]["digest"].as_str().unwrap_or("").to_string();
        let mut image = self
            .builds
            .configs
            .get(&config_digest)
            .cloned()
            .ok_or_else(not_found)?;
        image.repo_tags.clear();
        image.repo_digests.clear();
        let mut layers = Vec::new();
        for l in m["layers"].as_array().cloned().unwrap_or_default() {
            let d = l["digest"].as_str().unwrap_or("");
            if self.host_file(&blob_path(&t.root, d)).is_none() {
                return Err(ApiError::new(
                    404,
                    format!("blob unknown: blob unknown to registry: {d}"),
                ));
            }
            let layer = self.builds.blobs.get(d).cloned().ok_or_else(not_found)?;
            layers.push(Arc::new(layer));
        }
        Ok(Arc::new(RegistryImage {
            repository: r.path.clone(),
            tag: tag.to_string(),
            manifest_digest: digest,
            image,
            layers,
        }))
    }

    pub(crate) fn cmd_push(&mut self, a: PushArgs) -> i32 {
        let name = &a.args[0];
        let r = match Reference::parse(name) {
            Ok(r) => r,
            Err(e) => {
                self.err(&format!("{e}\n"));
                return 1;
            }
        };
        if a.all_tags && r.tag.is_some() {
            self.err("tag can't be used with --all-tags/-a\n");
            return 1;
        }
        if r.tag.is_none() && r.digest.is_none() && !a.all_tags && !a.quiet {
            self.out("Using default tag: latest\n");
        }
        let tag = r.tag_or_latest().to_string();
        let query = format!(
            "/images/{}/push?tag={tag}",
            crate::daemon::query_escape(&r.familiar_name())
        );
        self.step(crate::daemon::api_step(
            crate::daemon::http("POST", &query, None, 200, None),
            "the CLI asks dockerd to push; dockerd streams the progress back",
        ));
        let mut text = format!("The push refers to repository [{}]\n", r.full_name());
        // The local tags of that repository.
        let prefix = format!("{}:", r.familiar_name());
        let tags: Vec<(String, String)> = if a.all_tags {
            self.tags
                .iter()
                .filter(|(t, _)| t.starts_with(&prefix))
                .map(|(t, id)| (t[prefix.len()..].to_string(), id.clone()))
                .collect()
        } else {
            self.tags
                .get(&r.familiar_tagged())
                .map(|id| vec![(tag.clone(), id.clone())])
                .unwrap_or_default()
        };
        let any_local = self.tags.keys().any(|t| t.starts_with(&prefix));
        if !any_local {
            return self.push_failed(
                &a,
                text,
                &format!(
                    "An image does not exist locally with the tag: {}",
                    r.familiar_name()
                ),
            );
        }
        if r.domain == "docker.io" {
            // No credentials for Docker Hub: the registry refuses the first blob upload.
            if let Some((_, id)) = tags.first() {
                let layers = self.images[id].layers.clone();
                for d in layers.iter().rev() {
                    text.push_str(&format!("{}: Preparing\n", &hex_of(d)[..12]));
                }
            }
            self.step(Step::new(
                Component::Registry,
                format!("registry-1.docker.io refused the upload to {}: no credentials", r.path),
                "pushing to Docker Hub needs `docker login` and a repository you own; this simulation cannot log in to Docker Hub",
            ));
            return self.push_failed(
                &a,
                text,
                "denied: requested access to the resource is denied",
            );
        }
        let Some(target) = self.registry_target(&r.domain) else {
            self.step(Step::new(
                Component::Registry,
                format!("nothing answers on {}", r.domain),
                "dockerd dials the registry before it sends anything: no running registry container publishes that port, so the kernel refuses the connection",
            ));
            return self.push_failed(&a, text, &unreachable(&r.domain));
        };
        if tags.is_empty() {
            return self.push_failed(
                &a,
                text,
                &format!("tag does not exist: {}", r.familiar_tagged()),
            );
        }
        for (tag, id) in tags {
            self.push_one(&r, &tag, &id, &target, &mut text);
        }
        if a.quiet {
            self.out(&format!("{}:{}\n", r.full_name(), r.tag_or_latest()));
        } else {
            self.out(&text);
        }
        0
    }

    fn push_failed(&mut self, a: &PushArgs, text: String, msg: &str) -> i32 {
        if !a.quiet {
            self.out(&text);
        }
        self.err(&format!("{msg}\n"));
        1
    }

    /// Uploads one tag: each layer the registry lacks, the config, the manifest.
    fn push_one(&mut self, r: &Reference, tag: &str, id: &str, t: &Target, text: &mut String) {
        let img = self.images[id].clone();
        let layers: Vec<Layer> = img
            .layers
            .iter()
            .filter_map(|d| self.layers.get(d).map(|rec| rec.layer.clone()))
            .collect();
        let repo = repo_dir(&t.root, &r.path);
        // Preparing, top layer first; five uploads at a time.
        for (i, l) in layers.iter().rev().enumerate() {
            text.push_str(&format!("{}: Preparing\n", &hex_of(&l.diff_id)[..12]));
            let _ = i;
        }
        for (i, l) in layers.iter().rev().enumerate() {
            if i >= 5 {
                text.push_str(&format!("{}: Waiting\n", &hex_of(&l.diff_id)[..12]));
            }
        }
        let mut results: Vec<(bool, String)> = Vec::new();
        for l in layers.iter().rev() {
            let short = hex_of(&l.diff_id)[..12].to_string();
            let link = format!("{repo}/_layers/sha256/{}/link", hex_of(&l.digest));
            let in_repo = self.host_file(&link).is_some();
            let blob = blob_path(&t.root, &l.digest);
            let in_registry = self.host_file(&blob).is_some();
            if in_repo {
                results.push((true, format!("{short}: Layer already exists\n")));
                self.step(Step::new(
                    Component::Registry,
                    format!("HEAD /v2/{}/blobs/{} → 200: the registry has layer {short} ({})", r.path, l.digest, crate::format::human_size(l.compressed_size)),
                    "blobs are content-addressed: a layer the repository already has is not sent again",
                ));
                continue;
            }
            // Another repository on the registry has it: a cross-repository mount.
            let from = if in_registry {
                self.other_repo_with(&t.root, &l.digest, &r.path)
            } else {
                None
            };
            match from {
                Some(other) => {
                    results.push((true, format!("{short}: Mounted from {other}\n")));
                    self.step(Step::new(
                        Component::Registry,
                        format!("POST /v2/{}/blobs/uploads/?mount={}&from={other} → 201: layer {short} linked, not uploaded", r.path, l.digest),
                        "the registry stores each blob once; another repository's copy is mounted into this one",
                    ));
                }
                None => {
                    self.put(
                        &blob,
                        &format!(
                            "gzip-compressed tar of layer {} ({} bytes)\n",
                            l.diff_id, l.compressed_size
                        ),
                    );
                    self.builds.blobs.insert(l.digest.clone(), l.clone());
                    results.push((false, format!("{short}: Pushed\n")));
                    self.step(
                        Step::new(
                            Component::Registry,
                            format!(
                                "PUT /v2/{}/blobs/uploads/…?digest={} → 201: uploaded layer {short} ({} compressed) into {blob}",
                                r.path,
                                l.digest,
                                crate::format::human_size(l.compressed_size)
                            ),
                            "dockerd compresses the layer's tar and uploads it; the registry checks the digest and stores the blob in its /var/lib/registry (a volume)",
                        )
                        .change(Change::added(Object::Layer(l.diff_id.clone()))),
                    );
                }
            }
            self.put(&link, &format!("{}\n", l.digest));
        }
        // Layers the registry had come back first, as they finish at once.
        for (done, line) in results.iter().filter(|(d, _)| *d) {
            let _ = done;
            text.push_str(line);
        }
        for (_, line) in results.iter().filter(|(d, _)| !*d) {
            text.push_str(line);
        }
        // The config blob and the manifest.
        let config = config_json(&img);
        let config_digest = sha256(config.as_bytes());
        self.put(&blob_path(&t.root, &config_digest), &config);
        let mut stored = img.clone();
        stored.id = config_digest.clone();
        self.builds.configs.insert(config_digest.clone(), stored);
        let manifest = manifest_json(&config, &config_digest, &layers);
        let mdigest = sha256(manifest.as_bytes());
        self.put(&blob_path(&t.root, &mdigest), &manifest);
        self.put(
            &format!(
                "{repo}/_manifests/revisions/sha256/{}/link",
                hex_of(&mdigest)
            ),
            &format!("{mdigest}\n"),
        );
        self.put(
            &format!("{repo}/_manifests/tags/{tag}/current/link"),
            &mdigest,
        );
        self.step(
            Step::new(
                Component::Registry,
                format!(
                    "PUT /v2/{}/manifests/{tag} → 201: manifest {mdigest} ({} bytes) naming config {} and {} layer(s)",
                    r.path,
                    manifest.len(),
                    &config_digest[7..19],
                    layers.len()
                ),
                "the manifest ties the tag to the config and the layers by digest; its own sha256 is the digest `docker pull NAME@sha256:…` asks for",
            )
            .change(Change::modified(Object::Image(id.to_string()))),
        );
        text.push_str(&format!(
            "{tag}: digest: {mdigest} size: {}\n",
            manifest.len()
        ));
        let digest_ref = format!("{}@{mdigest}", r.familiar_name());
        if let Some(i) = self.images.get_mut(id) {
            if !i.repo_digests.contains(&digest_ref) {
                i.repo_digests.push(digest_ref);
            }
        }
        let _ = &t.container;
    }

    /// A repository on the registry that links `digest`, other than `except`.
    fn other_repo_with(&self, root: &str, digest: &str, except: &str) -> Option<String> {
        let base = format!("{root}/docker/registry/v2/repositories/");
        let (t, inner) = self.kernel.host_tree(&base)?;
        let inner = format!("{}/", inner.trim_end_matches('/'));
        let needle = format!("/_layers/sha256/{}/link", hex_of(digest));
        t.entries
            .range(inner.clone()..)
            .take_while(|(k, _)| k.starts_with(&inner))
            .filter(|(k, _)| k.ends_with(&needle))
            .map(|(k, _)| k[inner.len()..k.len() - needle.len()].to_string())
            .find(|repo| repo != except)
    }

    pub(crate) fn cmd_login(&mut self, a: LoginArgs) -> i32 {
        if a.password.is_some() && a.password_stdin {
            self.err("conflicting options: cannot specify both --password and --password-stdin\n");
            return 1;
        }
        let (Some(user), Some(pass)) = (a.username.clone(), a.password.clone()) else {
            self.err("Error: Cannot perform an interactive login from a non TTY device\n");
            return 1;
        };
        if user.is_empty() {
            self.err("username is empty\n");
            return 1;
        }
        if pass.is_empty() {
            self.err("password is empty\n");
            return 1;
        }
        self.err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
        let server = a
            .args
            .first()
            .cloned()
            .unwrap_or_else(|| "https://index.docker.io/v1/".into());
        let domain = server
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        if domain.starts_with("index.docker.io") || domain == "docker.io" {
            self.step(crate::daemon::api_step(
                crate::daemon::http("POST", "/auth", None, 401, None),
                "dockerd checks the credentials with the registry before the CLI stores them",
            ));
            self.err("Error response from daemon: Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password\n");
            return 1;
        }
        if self.registry_target(&domain).is_none() {
            self.step(crate::daemon::api_step(
                crate::daemon::http("POST", "/auth", None, 500, None),
                "dockerd could not reach the registry to check the credentials",
            ));
            self.err(&format!(
                "Error response from daemon: {}\n",
                unreachable(&domain)
            ));
            return 1;
        }
        self.step(crate::daemon::api_step(
            crate::daemon::http("POST", "/auth", None, 200, None),
            "registry:2 as started here has no authentication configured: it accepts any credentials",
        ));
        self.builds.logins.insert(domain.clone(), user.clone());
        self.write_docker_config();
        self.err("\nWARNING! Your credentials are stored unencrypted in '/root/.docker/config.json'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n");
        self.step(Step::new(
            Component::Cli,
            format!("stored the credentials for {domain} in /root/.docker/config.json"),
            "without a credential helper the CLI keeps base64(user:password) in its config file, which is not encryption",
        ));
        let _ = pass;
        self.out("Login Succeeded\n");
        0
    }

    fn write_docker_config(&mut self) {
        let mut auths = serde_json::Map::new();
        for (server, user) in &self.builds.logins {
            auths.insert(
                server.clone(),
                serde_json::json!({ "auth": base64(format!("{user}:***").as_bytes()) }),
            );
        }
        let text = crate::format::json_indent(&serde_json::json!({ "auths": auths }));
        self.put("/root/.docker/config.json", &format!("{text}\n"));
    }

    pub(crate) fn cmd_logout(&mut self, a: LogoutArgs) -> i32 {
        let server = a.args.first().cloned();
        let host = match &server {
            Some(s) => s
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .split('/')
                .next()
                .unwrap_or("")
                .to_string(),
            None => "https://index.docker.io/v1/".to_string(),
        };
        self.out(&format!("Removing login credentials for {host}\n"));
        if self.builds.logins.remove(&host).is_some() {
            self.write_docker_config();
        }
        self.step(Step::new(
            Component::Cli,
            format!("removed the credentials for {host} from /root/.docker/config.json"),
            "logout is the CLI's own business: dockerd keeps no credentials",
        ));
        0
    }
}

/// The registry program of `registry:2` (distribution 2.8.3): `registry serve CONFIG`
/// (what /entrypoint.sh execs for a `.yml` argument) logs its start-up and serves on
/// :5000 — Ok(the log); `--version` and unknown commands end at once — Err((stdout, code)).
pub fn registry_program(args: &[String], now_secs: u64) -> Result<String, (String, i32)> {
    let first = args.first().map(String::as_str).unwrap_or("");
    let serve = first.ends_with(".yml") || first.ends_with(".yaml") || first == "serve";
    if first == "--version" || first == "-v" {
        return Err(("registry github.com/docker/distribution 2.8.3\n".into(), 0));
    }
    if !serve {
        return Err((
            "`registry` is an open-source registry implementation for storing and distributing container images\n\nUsage:\n  registry [flags]\n  registry [command]\n\nAvailable Commands:\n  garbage-collect `garbage-collect` deletes layers not referenced by any manifests\n  help            Help about any command\n  serve           `serve` stores and distributes Docker images\n\nFlags:\n  -h, --help=false: help for registry\n  -v, --version=false: show the version and exit\n\n\nUse \"registry help [command]\" for more information about a command.\n".into(),
            0,
        ));
    }
    let t = crate::time::Time::from_secs(now_secs).rfc3339_nano();
    // instance.id is a random UUID in the real program; here it is derived from the time.
    let h = crate::rng::hex(&{
        use sha2::{Digest, Sha256};
        Sha256::digest(format!("registry {now_secs}").as_bytes()).to_vec()
    });
    let id = format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    );
    let tail = format!("go.version=go1.20.8 instance.id={id} service=registry version=2.8.3");
    Ok(format!(
        "time=\"{t}\" level=warning msg=\"No HTTP secret provided - generated random secret. This may cause problems with uploads if multiple registries are behind a load-balancer. To provide a shared secret, fill in http.secret in the configuration file or set the REGISTRY_HTTP_SECRET environment variable.\" {tail} \ntime=\"{t}\" level=info msg=\"redis not configured\" {tail} \ntime=\"{t}\" level=info msg=\"Starting upload purge in 20m0s\" {tail} \ntime=\"{t}\" level=info msg=\"using inmemory blob descriptor cache\" {tail} \ntime=\"{t}\" level=info msg=\"listening on [::]:5000\" {tail} \n"
    ))
}

/// What the registry logs when SIGTERM stops it.
pub fn registry_stop_log(now_secs: u64) -> String {
    let t = crate::time::Time::from_secs(now_secs).rfc3339_nano();
    format!("time=\"{t}\" level=info msg=\"stopping server gracefully. Draining connections for 0s\" go.version=go1.20.8 service=registry version=2.8.3 \n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads() {
        assert_eq!(super::base64(b"x:y"), "eDp5");
        assert_eq!(super::base64(b"ab"), "YWI=");
        assert_eq!(super::base64(b"a"), "YQ==");
    }
}
