//! Images and layers, and the simulated registry built from the catalogue.
//!
//! Digests are real sha256 sums of this model's own bytes: a layer's diff ID hashes its
//! tar as `docker save` writes it (`crate::archive`); the image ID hashes its config JSON (as Docker's
//! image ID is the digest of the config blob); the manifest digest hashes the manifest.

use crate::catalogue::{self, FileDef, ImageDef, LayerDef};
use crate::fs::{Node, Tree};
use crate::rng::hex;
use crate::time::Time;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    /// sha256 of the uncompressed layer (RootFS.Layers in `docker image inspect`).
    pub diff_id: String,
    /// sha256 of the compressed blob on the registry.
    pub digest: String,
    pub size: u64,
    pub compressed_size: u64,
    pub created_by: String,
    #[serde(skip)]
    pub tree: Arc<Tree>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    pub env: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exposed_ports: Vec<String>,
    pub working_dir: String,
    pub user: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
    pub labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub created: Time,
    pub created_by: String,
    pub empty_layer: bool,
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// `sha256:<64 hex>`.
    pub id: String,
    /// `busybox:latest`, familiar form.
    pub repo_tags: Vec<String>,
    /// `busybox@sha256:…`.
    pub repo_digests: Vec<String>,
    pub created: Time,
    pub config: ImageConfig,
    /// Diff IDs, bottom first.
    pub layers: Vec<String>,
    pub history: Vec<History>,
    /// Sum of the layers' uncompressed sizes.
    pub size: u64,
}

/// An image on the registry: its manifest digest, image, and layers.
#[derive(Clone, Debug)]
pub struct RegistryImage {
    pub repository: String,
    pub tag: String,
    pub manifest_digest: String,
    pub image: Image,
    pub layers: Vec<Arc<Layer>>,
}

pub fn build_tree(parts: &[&[FileDef]]) -> Tree {
    let mut t = Tree::default();
    for f in parts.iter().flat_map(|p| p.iter()) {
        match f {
            FileDef::Dir(p, mode) => t.insert(p, Node::dir(*mode)),
            FileDef::File(p, mode, size) => t.insert(p, Node::file(*mode, *size, None)),
            FileDef::Text(p, mode, text) => t.insert(
                p,
                Node::file(*mode, text.len() as u64, Some(Arc::from(*text))),
            ),
            FileDef::Link(p, target) => t.insert(p, Node::symlink(target)),
            FileDef::Links { dir, target, names } => {
                for n in names.iter() {
                    t.insert(&format!("{dir}/{n}"), Node::symlink(target));
                }
            }
        }
    }
    t
}

pub fn build_layer(def: &LayerDef) -> Layer {
    let tree = build_tree(def.files);
    // The diff ID is the sha256 of the layer's tar, as `docker save` writes it.
    let diff_id = crate::archive::diff_id(&tree);
    // The registry stores layers compressed; the blob digest differs from the diff ID.
    let digest = sha256(format!("gzip:{diff_id}").as_bytes());
    Layer {
        size: tree.size(),
        diff_id,
        digest,
        compressed_size: def.compressed_size,
        created_by: def.created_by.to_string(),
        tree: Arc::new(tree),
    }
}

/// The OCI image config JSON: its sha256 is the image ID. Keys in the order of
/// moby's structs (ocispec `ImageConfig`); empty fields left out as Go's `omitempty`.
pub fn config_json(image: &Image) -> String {
    let c = &image.config;
    let mut config = serde_json::Map::new();
    if !c.user.is_empty() {
        config.insert("User".into(), serde_json::json!(c.user));
    }
    if !c.exposed_ports.is_empty() {
        let ports: serde_json::Map<String, serde_json::Value> = c
            .exposed_ports
            .iter()
            .map(|p| (p.clone(), serde_json::json!({})))
            .collect();
        config.insert("ExposedPorts".into(), serde_json::Value::Object(ports));
    }
    config.insert("Env".into(), serde_json::json!(c.env));
    if let Some(e) = &c.entrypoint {
        config.insert("Entrypoint".into(), serde_json::json!(e));
    }
    if let Some(cmd) = &c.cmd {
        config.insert("Cmd".into(), serde_json::json!(cmd));
    }
    if !c.volumes.is_empty() {
        let vols: serde_json::Map<String, serde_json::Value> = c
            .volumes
            .iter()
            .map(|v| (v.clone(), serde_json::json!({})))
            .collect();
        config.insert("Volumes".into(), serde_json::Value::Object(vols));
    }
    if !c.working_dir.is_empty() {
        config.insert("WorkingDir".into(), serde_json::json!(c.working_dir));
    }
    if !c.labels.is_empty() {
        config.insert("Labels".into(), serde_json::json!(c.labels));
    }
    if let Some(s) = &c.stop_signal {
        config.insert("StopSignal".into(), serde_json::json!(s));
    }
    let history: Vec<serde_json::Value> = image
        .history
        .iter()
        .map(|h| {
            let mut m = serde_json::json!({"created": h.created.rfc3339_nano(), "created_by": h.created_by});
            if !h.comment.is_empty() {
                m["comment"] = serde_json::json!(h.comment);
            }
            if h.empty_layer {
                m["empty_layer"] = serde_json::json!(true);
            }
            m
        })
        .collect();
    serde_json::json!({
        "architecture": "amd64",
        "config": config,
        "created": image.created.rfc3339_nano(),
        "history": history,
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": image.layers},
    })
    .to_string()
}

/// An image from its config JSON (what `docker load` reads): the ID is the config's
/// sha256, sizes are filled in by the caller from the layers.
pub fn image_from_config(raw: &str) -> Option<Image> {
    let v: serde_json::Value = serde_json::from_str(raw).ok()?;
    let c = &v["config"];
    let strings = |x: &serde_json::Value| -> Vec<String> {
        x.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let keys = |x: &serde_json::Value| -> Vec<String> {
        x.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let time = |x: &serde_json::Value| x.as_str().and_then(Time::parse_rfc3339);
    let created = time(&v["created"]).unwrap_or_default();
    let config = ImageConfig {
        cmd: c.get("Cmd").filter(|x| x.is_array()).map(strings),
        entrypoint: c.get("Entrypoint").filter(|x| x.is_array()).map(strings),
        env: strings(&c["Env"]),
        exposed_ports: keys(&c["ExposedPorts"]),
        working_dir: c["WorkingDir"].as_str().unwrap_or("").to_string(),
        user: c["User"].as_str().unwrap_or("").to_string(),
        stop_signal: c["StopSignal"].as_str().map(str::to_string),
        labels: c["Labels"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default(),
        volumes: keys(&c["Volumes"]),
    };
    let history = v["history"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| History {
                    created: time(&h["created"]).unwrap_or(created),
                    created_by: h["created_by"].as_str().unwrap_or("").to_string(),
                    empty_layer: h["empty_layer"].as_bool().unwrap_or(false),
                    comment: h["comment"].as_str().unwrap_or("").to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Image {
        id: sha256(raw.as_bytes()),
        repo_tags: Vec::new(),
        repo_digests: Vec::new(),
        created,
        config,
        layers: strings(&v["rootfs"]["diff_ids"]),
        history,
        size: 0,
    })
}

/// The layer store's chain IDs of a stack of diff IDs (bottom first): the first is its
/// diff ID, each next one `sha256(parent + " " + diff ID)`.
pub fn chain_ids(diff_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(p) => sha256(format!("{p} {d}").as_bytes()),
        };
        out.push(next);
    }
    out
}

fn from_def(def: &ImageDef, tag: &str, layers: &[Arc<Layer>]) -> RegistryImage {
    let c = &def.config;
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let config = ImageConfig {
        cmd: c.cmd.map(owned),
        entrypoint: c.entrypoint.map(owned),
        env: owned(c.env),
        exposed_ports: owned(c.exposed_ports),
        working_dir: c.working_dir.to_string(),
        user: c.user.to_string(),
        stop_signal: c.stop_signal.map(str::to_string),
        labels: c
            .labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        volumes: owned(c.volumes),
    };
    let created = Time::parse_rfc3339(def.created).unwrap_or_default();
    let history = def
        .history
        .iter()
        .map(|h| History {
            created: Time::parse_rfc3339(h.created).unwrap_or(created),
            created_by: h.created_by.to_string(),
            empty_layer: h.empty_layer,
            comment: h.comment.to_string(),
        })
        .collect();
    let mut image = Image {
        id: String::new(),
        repo_tags: Vec::new(),
        repo_digests: Vec::new(),
        created,
        config,
        layers: layers.iter().map(|l| l.diff_id.clone()).collect(),
        history,
        size: layers.iter().map(|l| l.size).sum(),
    };
    let config_json = config_json(&image);
    image.id = sha256(config_json.as_bytes());
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": image.id, "size": config_json.len()},
        "layers": layers.iter().map(|l| serde_json::json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": l.digest, "size": l.compressed_size
        })).collect::<Vec<_>>(),
    })
    .to_string();
    RegistryImage {
        repository: def.repository.to_string(),
        tag: tag.to_string(),
        manifest_digest: sha256(manifest.as_bytes()),
        image,
        layers: layers.to_vec(),
    }
}

/// The simulated Docker Hub: every catalogue image under each of its tags.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    images: BTreeMap<(String, String), Arc<RegistryImage>>,
}

impl Registry {
    pub fn docker_hub() -> Registry {
        let mut built: BTreeMap<&'static str, Arc<Layer>> = BTreeMap::new();
        let mut images = BTreeMap::new();
        for def in catalogue::IMAGES {
            let layers: Vec<Arc<Layer>> = def
                .layers
                .iter()
                .map(|l| {
                    built
                        .entry(l.key)
                        .or_insert_with(|| Arc::new(build_layer(l)))
                        .clone()
                })
                .collect();
            let img = Arc::new(from_def(def, def.tags[0], &layers));
            for tag in def.tags {
                images.insert((def.repository.to_string(), tag.to_string()), img.clone());
            }
        }
        Registry { images }
    }

    pub fn get(&self, repository: &str, tag: &str) -> Option<&Arc<RegistryImage>> {
        self.images.get(&(repository.to_string(), tag.to_string()))
    }

    pub fn has_repository(&self, repository: &str) -> bool {
        self.images.keys().any(|(r, _)| r == repository)
    }

    pub fn repositories(&self) -> impl Iterator<Item = (&str, &str)> {
        self.images.keys().map(|(r, t)| (r.as_str(), t.as_str()))
    }
}

/// A parsed image reference: `nginx`, `nginx:1.27`, `docker.io/library/nginx:latest`,
/// `localhost:5000/app`, `busybox@sha256:…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `docker.io`, `localhost:5000`.
    pub domain: String,
    /// `library/nginx`.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferenceError {
    /// `invalid reference format`
    Invalid,
    /// `invalid reference format: repository name (library/Nginx) must be lowercase`
    Uppercase(String),
}

impl std::fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReferenceError::Invalid => f.write_str("invalid reference format"),
            ReferenceError::Uppercase(p) => write!(
                f,
                "invalid reference format: repository name ({p}) must be lowercase"
            ),
        }
    }
}

impl Reference {
    /// distribution/reference's ParseNormalizedNamed.
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        if s.is_empty() || s.contains("://") {
            return Err(ReferenceError::Invalid);
        }
        let (name, digest) = match s.split_once('@') {
            Some((n, d)) => {
                let ok = d
                    .strip_prefix("sha256:")
                    .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
                if !ok {
                    return Err(ReferenceError::Invalid);
                }
                (n, Some(d.to_string()))
            }
            None => (s, None),
        };
        let last_slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (
                &name[..last_slash + i],
                Some(name[last_slash + i + 1..].to_string()),
            ),
            None => (name, None),
        };
        if let Some(t) = &tag {
            let valid = !t.is_empty()
                && t.len() <= 128
                && t.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
            if !valid {
                return Err(ReferenceError::Invalid);
            }
        }
        let (domain, path) = match name.split_once('/') {
            Some((d, rest))
                if d.contains('.')
                    || d.contains(':')
                    || d == "localhost"
                    || d.chars().any(|c| c.is_ascii_uppercase()) =>
            {
                (d.to_string(), rest.to_string())
            }
            _ => ("docker.io".to_string(), name.to_string()),
        };
        let domain = if domain == "index.docker.io" {
            "docker.io".to_string()
        } else {
            domain
        };
        let path = if domain == "docker.io" && !path.contains('/') {
            format!("library/{path}")
        } else {
            path
        };
        if path.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(ReferenceError::Uppercase(path));
        }
        let component_ok = |c: &str| {
            !c.is_empty()
                && c.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
                && c.chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_alphanumeric())
                && c.chars()
                    .last()
                    .is_some_and(|ch| ch.is_ascii_alphanumeric())
        };
        if !path.split('/').all(component_ok) {
            return Err(ReferenceError::Invalid);
        }
        Ok(Reference {
            domain,
            path,
            tag,
            digest,
        })
    }

    /// Adds `:latest` when neither a tag nor a digest is given (TagNameOnly).
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }

    /// `docker.io/library/nginx`, the name the CLI sends as `fromImage`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// `nginx`, `user/app`, `localhost:5000/app`: the familiar name Docker prints.
    pub fn familiar_name(&self) -> String {
        if self.domain == "docker.io" {
            self.path
                .strip_prefix("library/")
                .unwrap_or(&self.path)
                .to_string()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }

    /// `nginx:latest`.
    pub fn familiar_tagged(&self) -> String {
        format!("{}:{}", self.familiar_name(), self.tag_or_latest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalise_like_docker() {
        let r = Reference::parse("nginx").unwrap();
        assert_eq!(r.full_name(), "docker.io/library/nginx");
        assert_eq!(r.familiar_tagged(), "nginx:latest");
        let r = Reference::parse("localhost:5000/app:v1").unwrap();
        assert_eq!(
            (r.domain.as_str(), r.path.as_str(), r.tag.as_deref()),
            ("localhost:5000", "app", Some("v1"))
        );
        assert_eq!(r.familiar_tagged(), "localhost:5000/app:v1");
        assert_eq!(
            Reference::parse("docker.io/library/busybox:1.37")
                .unwrap()
                .familiar_tagged(),
            "busybox:1.37"
        );
        assert_eq!(
            Reference::parse("Nginx").unwrap_err().to_string(),
            "invalid reference format: repository name (library/Nginx) must be lowercase"
        );
        assert_eq!(
            Reference::parse("nginx:").unwrap_err(),
            ReferenceError::Invalid
        );
        assert_eq!(
            Reference::parse("a b").unwrap_err(),
            ReferenceError::Invalid
        );
    }

    #[test]
    fn registry_images_have_stable_digests() {
        let a = Registry::docker_hub();
        let b = Registry::docker_hub();
        let x = a.get("library/busybox", "latest").unwrap();
        assert_eq!(
            x.image.id,
            b.get("library/busybox", "latest").unwrap().image.id
        );
        assert!(x.image.id.starts_with("sha256:") && x.image.id.len() == 71);
        assert_eq!(x.image.layers.len(), x.layers.len());
        assert_eq!(x.image.size, x.layers.iter().map(|l| l.size).sum::<u64>());
    }
}
