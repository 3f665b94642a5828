//! Layer tars and `docker save` archives, as bytes: the format Docker 28 writes and reads
//! (moby's `image/tarexport`), and the one the native backend imports.
//!
//! A **layer tar** holds a layer's entries in path order (parents before children, the
//! implied parent directories written out as root-owned 0755 directories), mtime 0,
//! GNU headers. overlayfs' 0/0 whiteout is an empty file `.wh.NAME`; an opaque
//! directory carries an empty `.wh..wh..opq` entry. A file whose content the model does
//! not hold (only its size) is written as a GNU sparse file that is one hole of that
//! size, so the tar is small and any tar reader gives a file of the right length. A
//! layer's diff ID is the sha256 of these bytes, and a tree read back writes the same
//! bytes again ([`layer_tar`] ∘ [`read_layer`] is the identity on canonical tars).
//!
//! A **save archive** is both layouts at once, as `docker save` writes them since
//! Docker 25: the docker-archive `manifest.json` (+ `repositories`) and the OCI image
//! layout (`oci-layout`, `index.json`, `blobs/sha256/<hex>` for configs, manifests and
//! uncompressed layer tars). [`read`] verifies every blob's digest and the config's
//! diff IDs before it returns anything, so a loader can validate, then mutate.

use crate::fs::{Node, NodeKind, Tree};
use crate::image::sha256;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::sync::Arc;

/// Media types of the OCI image spec.
pub const MEDIA_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const MEDIA_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const MEDIA_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const MEDIA_LAYER: &str = "application/vnd.oci.image.layer.v1.tar";
const WHITEOUT_PREFIX: &str = ".wh.";
const OPAQUE: &str = ".wh..wh..opq";

/// Why an archive could not be read: the message dockerd would give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveError(pub String);

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn io_err(e: std::io::Error) -> ArchiveError {
    let m = e.to_string();
    if e.kind() == std::io::ErrorKind::UnexpectedEof
        || m.contains("EOF")
        || m.contains("failed to fill whole buffer")
    {
        ArchiveError("unexpected EOF".into())
    } else {
        ArchiveError("archive/tar: invalid tar header".into())
    }
}

fn header(kind: tar::EntryType, mode: u32, uid: u32, gid: u32) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode & 0o7777);
    h.set_uid(uid as u64);
    h.set_gid(gid as u64);
    h.set_mtime(0);
    h.set_size(0);
    h
}

fn append(b: &mut tar::Builder<Vec<u8>>, mut h: tar::Header, path: &str, data: &[u8]) {
    h.set_size(data.len() as u64);
    // Writing into a Vec cannot fail; a path with a NUL byte (never in a tree) would.
    let _ = b.append_data(&mut h, path, data);
}

fn rel(path: &str) -> &str {
    path.trim_start_matches('/')
}

/// The layer's tar, canonical: the same tree always gives the same bytes.
pub fn layer_tar(tree: &Tree) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    // Every directory a path implies, written once, before its children.
    let mut written: BTreeSet<String> = BTreeSet::new();
    let ensure_parents =
        |b: &mut tar::Builder<Vec<u8>>, path: &str, written: &mut BTreeSet<String>| {
            let mut at = String::new();
            let parts: Vec<&str> = rel(path).split('/').collect();
            for p in &parts[..parts.len().saturating_sub(1)] {
                at.push_str(p);
                at.push('/');
                if written.insert(at.clone())
                    && !tree
                        .entries
                        .contains_key(&format!("/{}", at.trim_end_matches('/')))
                {
                    append(b, header(tar::EntryType::Directory, 0o755, 0, 0), &at, &[]);
                }
            }
        };
    for (path, node) in &tree.entries {
        if path == "/" {
            continue;
        }
        ensure_parents(&mut b, path, &mut written);
        let r = rel(path);
        match &node.kind {
            NodeKind::Dir { opaque } => {
                let name = format!("{r}/");
                written.insert(name.clone());
                append(
                    &mut b,
                    header(tar::EntryType::Directory, node.mode, node.uid, node.gid),
                    &name,
                    &[],
                );
                if *opaque {
                    append(
                        &mut b,
                        header(tar::EntryType::Regular, 0, 0, 0),
                        &format!("{r}/{OPAQUE}"),
                        &[],
                    );
                }
            }
            NodeKind::File {
                size,
                content: Some(c),
            } if *size == c.len() as u64 => {
                append(
                    &mut b,
                    header(tar::EntryType::Regular, node.mode, node.uid, node.gid),
                    r,
                    c.as_bytes(),
                );
            }
            NodeKind::File { size, .. } => {
                // One hole of `size` bytes: a GNU sparse file with no data.
                let mut h = header(tar::EntryType::GNUSparse, node.mode, node.uid, node.gid);
                if let Some(g) = h.as_gnu_mut() {
                    g.set_real_size(*size);
                    g.sparse[0].set_offset(*size);
                    g.sparse[0].set_length(0);
                }
                append(&mut b, h, r, &[]);
            }
            NodeKind::Symlink { target } => {
                let mut h = header(tar::EntryType::Symlink, 0o777, node.uid, node.gid);
                let _ = h.set_link_name_literal(target.as_bytes());
                // Long targets need the builder's GNU LongLink.
                if target.len() > 100 {
                    let _ = b.append_link(&mut h, r, target);
                } else {
                    append(&mut b, h, r, &[]);
                }
            }
            NodeKind::Whiteout => {
                let (dir, name) = r
                    .rsplit_once('/')
                    .map(|(d, n)| (format!("{d}/"), n))
                    .unwrap_or((String::new(), r));
                append(
                    &mut b,
                    header(tar::EntryType::Regular, 0, 0, 0),
                    &format!("{dir}{WHITEOUT_PREFIX}{name}"),
                    &[],
                );
            }
        }
    }
    b.into_inner().unwrap_or_default()
}

/// sha256 of the layer tar: the layer's diff ID.
pub fn diff_id(tree: &Tree) -> String {
    sha256(&layer_tar(tree))
}

/// A layer tar back into a tree (whiteouts and opaque markers become overlay nodes).
pub fn read_layer(bytes: &[u8]) -> Result<Tree, ArchiveError> {
    let mut tree = Tree::default();
    let mut a = tar::Archive::new(bytes);
    let mut implied: BTreeSet<String> = BTreeSet::new();
    for e in a.entries().map_err(io_err)? {
        let mut e = e.map_err(io_err)?;
        let h = e.header().clone();
        let raw = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        // Foreign tars may write `./etc/` or `etc`; the tree keys are `/etc`.
        let path = crate::fs::normalize(&format!("/{}", raw.trim_end_matches('/')));
        if path == "/" {
            continue;
        }
        let mode = h.mode().map_err(io_err)?;
        let uid = h.uid().map_err(io_err)? as u32;
        let gid = h.gid().map_err(io_err)? as u32;
        let name = path.rsplit('/').next().unwrap_or("");
        let parent = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let node = |kind| Node {
            kind,
            mode,
            uid,
            gid,
        };
        if name == OPAQUE {
            if let Some(Node {
                kind: NodeKind::Dir { opaque },
                ..
            }) = tree.entries.get_mut(parent)
            {
                *opaque = true;
            }
            continue;
        }
        if let Some(hidden) = name.strip_prefix(WHITEOUT_PREFIX) {
            tree.entries.insert(
                format!("{parent}/{hidden}"),
                node(NodeKind::Whiteout).with_mode(0),
            );
            continue;
        }
        let n = match h.entry_type() {
            tar::EntryType::Directory => {
                if mode == 0o755 && uid == 0 && gid == 0 {
                    implied.insert(path.clone());
                }
                node(NodeKind::Dir { opaque: false })
            }
            tar::EntryType::Symlink => {
                let target = e
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                node(NodeKind::Symlink { target })
            }
            tar::EntryType::GNUSparse => {
                let size = h.as_gnu().and_then(|g| g.real_size().ok()).unwrap_or(0);
                node(NodeKind::File {
                    size,
                    content: None,
                })
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let mut data = Vec::new();
                e.read_to_end(&mut data).map_err(io_err)?;
                let text = String::from_utf8_lossy(&data).into_owned();
                node(NodeKind::File {
                    size: data.len() as u64,
                    content: Some(Arc::from(text)),
                })
            }
            _ => continue,
        };
        tree.entries.insert(path, n);
    }
    // A root-owned 0755 directory with children writes the same header as an implied
    // one: keep the tree in its canonical form, without it.
    for d in implied {
        let prefix = format!("{d}/");
        let has_child = tree
            .entries
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix));
        if has_child {
            tree.entries.remove(&d);
        }
    }
    Ok(tree)
}

trait WithMode {
    fn with_mode(self, mode: u32) -> Self;
}
impl WithMode for Node {
    fn with_mode(mut self, mode: u32) -> Node {
        self.mode = mode;
        self
    }
}

/// One image to write into a save archive.
pub struct SaveImage<'a> {
    /// The config JSON, byte for byte (its sha256 is the image ID).
    pub config: &'a [u8],
    /// `app:latest`, familiar form; none for an image saved by ID.
    pub repo_tags: Vec<String>,
    /// `docker.io/library/app:latest`, for the OCI index's annotations, matching `repo_tags`.
    pub full_names: Vec<String>,
    /// The layer tars, bottom first.
    pub layers: Vec<&'a [u8]>,
}

/// What one layer of an archive holds.
#[derive(Clone, Debug)]
pub struct LoadedLayer {
    pub diff_id: String,
    pub tar_size: u64,
    pub tree: Tree,
}

/// One image read from an archive, every digest checked.
#[derive(Clone, Debug)]
pub struct LoadedImage {
    pub config: String,
    /// sha256 of the config: the image ID.
    pub id: String,
    pub repo_tags: Vec<String>,
    pub layers: Vec<LoadedLayer>,
}

fn hex_of(digest: &str) -> &str {
    digest.trim_start_matches("sha256:")
}

fn blob_path(digest: &str) -> String {
    format!("blobs/sha256/{}", hex_of(digest))
}

/// `docker save`'s archive of `images`: both the docker-archive and the OCI layout.
pub fn write(images: &[SaveImage<'_>]) -> Vec<u8> {
    // Path → bytes; the tar lists them in path order, as moby's archive.Tar walks its
    // temporary directory.
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut manifest = Vec::new();
    let mut index = Vec::new();
    let mut repos: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for img in images {
        let config_digest = sha256(img.config);
        files.insert(blob_path(&config_digest), img.config.to_vec());
        let mut layer_descs = Vec::new();
        let mut layer_paths = Vec::new();
        let mut last = String::new();
        for l in &img.layers {
            let d = sha256(l);
            files.insert(blob_path(&d), l.to_vec());
            layer_descs.push(json!({"mediaType": MEDIA_LAYER, "digest": d, "size": l.len()}));
            layer_paths.push(blob_path(&d));
            last = hex_of(&d).to_string();
        }
        let m = json!({
            "schemaVersion": 2,
            "mediaType": MEDIA_MANIFEST,
            "config": {"mediaType": MEDIA_CONFIG, "digest": config_digest, "size": img.config.len()},
            "layers": layer_descs,
        })
        .to_string();
        let md = sha256(m.as_bytes());
        let desc = json!({"mediaType": MEDIA_MANIFEST, "digest": md, "size": m.len()});
        files.insert(blob_path(&md), m.into_bytes());
        if img.repo_tags.is_empty() {
            index.push(desc.clone());
        }
        for (t, full) in img.repo_tags.iter().zip(&img.full_names) {
            let (name, tag) = t.rsplit_once(':').unwrap_or((t, "latest"));
            repos
                .entry(name.to_string())
                .or_default()
                .insert(tag.to_string(), last.clone());
            let mut d = desc.clone();
            d["annotations"] =
                json!({"io.containerd.image.name": full, "org.opencontainers.image.ref.name": tag});
            index.push(d);
        }
        manifest.push(json!({"Config": blob_path(&config_digest), "RepoTags": img.repo_tags, "Layers": layer_paths}));
    }
    files.insert(
        "index.json".into(),
        json!({"schemaVersion": 2, "mediaType": MEDIA_INDEX, "manifests": index})
            .to_string()
            .into_bytes(),
    );
    // Go's json.Encoder ends with a newline.
    files.insert(
        "manifest.json".into(),
        format!("{}\n", Value::from(manifest)).into_bytes(),
    );
    files.insert(
        "oci-layout".into(),
        br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec(),
    );
    if !repos.is_empty() {
        files.insert(
            "repositories".into(),
            format!("{}\n", json!(repos)).into_bytes(),
        );
    }
    let mut b = tar::Builder::new(Vec::new());
    append(
        &mut b,
        header(tar::EntryType::Directory, 0o755, 0, 0),
        "blobs/",
        &[],
    );
    append(
        &mut b,
        header(tar::EntryType::Directory, 0o755, 0, 0),
        "blobs/sha256/",
        &[],
    );
    for (p, data) in &files {
        append(
            &mut b,
            header(tar::EntryType::Regular, 0o644, 0, 0),
            p,
            data,
        );
    }
    b.into_inner().unwrap_or_default()
}

/// The paths and sizes in an archive (what `tar -tvf` would list), for the trace.
pub fn list(bytes: &[u8]) -> Result<Vec<(String, u64)>, ArchiveError> {
    let mut a = tar::Archive::new(bytes);
    let mut out = Vec::new();
    for e in a.entries().map_err(io_err)? {
        let e = e.map_err(io_err)?;
        out.push((
            String::from_utf8_lossy(&e.path_bytes()).into_owned(),
            e.size(),
        ));
    }
    Ok(out)
}

/// Reads and verifies a save archive: every blob named by digest must hash to it, every
/// layer's tar to the config's diff ID. Nothing is returned unless all of it holds.
pub fn read(bytes: &[u8]) -> Result<Vec<LoadedImage>, ArchiveError> {
    // Go's archive/tar reads whole 512-byte blocks: less than one is an early end.
    if bytes.len() < 512 {
        return Err(ArchiveError("unexpected EOF".into()));
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut a = tar::Archive::new(bytes);
    let mut ended = false;
    for e in a.entries().map_err(io_err)? {
        let mut e = e.map_err(io_err)?;
        if e.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let p = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let mut data = Vec::new();
        e.read_to_end(&mut data).map_err(io_err)?;
        files.insert(p.trim_start_matches("./").to_string(), data);
        ended = true;
    }
    // A tar must end with two zero blocks; a truncated one ends early.
    let tail_ok = bytes.len() % 512 == 0
        && bytes.len() >= 1024
        && bytes[bytes.len() - 1024..].iter().all(|b| *b == 0);
    if !ended || !tail_ok {
        return Err(ArchiveError("unexpected EOF".into()));
    }
    let Some(manifest) = files.get("manifest.json") else {
        return Err(ArchiveError(
            "open /var/lib/docker/tmp/docker-import-0000000000/repositories: no such file or directory".into(),
        ));
    };
    let manifest: Value =
        serde_json::from_slice(manifest).map_err(|e| ArchiveError(e.to_string()))?;
    let Some(items) = manifest.as_array() else {
        return Err(ArchiveError(
            "invalid manifest, manifest cannot be null (but can be [])".into(),
        ));
    };
    let open = |p: &str| {
        files.get(p).ok_or_else(|| {
            ArchiveError(format!(
                "open /var/lib/docker/tmp/docker-import-0000000000/{p}: no such file or directory"
            ))
        })
    };
    let verify = |p: &str, data: &[u8]| -> Result<String, ArchiveError> {
        let d = sha256(data);
        match p.strip_prefix("blobs/sha256/") {
            Some(h) if h != hex_of(&d) => Err(ArchiveError(format!(
                "invalid digest for {p}: expected sha256:{h}, got {d}"
            ))),
            _ => Ok(d),
        }
    };
    let mut out = Vec::new();
    for m in items {
        let config_path = m["Config"].as_str().unwrap_or("");
        let config = open(config_path)?;
        let id = verify(config_path, config)?;
        let cfg: Value = serde_json::from_slice(config).map_err(|e| ArchiveError(e.to_string()))?;
        if cfg["os"].as_str().is_some_and(|os| os != "linux") {
            return Err(ArchiveError(format!(
                "cannot load {} image on linux",
                cfg["os"].as_str().unwrap_or("")
            )));
        }
        let diff_ids: Vec<String> = cfg["rootfs"]["diff_ids"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(|d| d.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let layer_paths: Vec<&str> = m["Layers"]
            .as_array()
            .map(|v| v.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if layer_paths.len() != diff_ids.len() {
            return Err(ArchiveError(format!(
                "invalid manifest, layers length mismatch: expected {}, got {}",
                layer_paths.len(),
                diff_ids.len()
            )));
        }
        let mut layers = Vec::new();
        for (i, (p, want)) in layer_paths.iter().zip(&diff_ids).enumerate() {
            let data = open(p)?;
            let got = sha256(data);
            if &got != want {
                return Err(ArchiveError(format!(
                    "invalid diffID for layer {i}: expected {want:?}, got {got:?}"
                )));
            }
            layers.push(LoadedLayer {
                diff_id: got,
                tar_size: data.len() as u64,
                tree: read_layer(data)?,
            });
        }
        let repo_tags = m["RepoTags"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        out.push(LoadedImage {
            config: String::from_utf8_lossy(config).into_owned(),
            id,
            repo_tags,
            layers,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Tree {
        let mut t = Tree::default();
        t.insert("/etc", Node::dir(0o755));
        t.insert(
            "/etc/hostname",
            Node::file(0o644, 5, Some(Arc::from("box\n\n"))),
        );
        t.insert("/usr/bin/big", Node::file(0o755, 12_000_000, None));
        t.insert("/bin/sh", Node::symlink("/bin/busybox"));
        t.insert(
            "/var/gone",
            Node {
                kind: NodeKind::Whiteout,
                mode: 0,
                uid: 0,
                gid: 0,
            },
        );
        t.insert(
            "/opt",
            Node {
                kind: NodeKind::Dir { opaque: true },
                mode: 0o700,
                uid: 1,
                gid: 2,
            },
        );
        t.insert(
            &format!("/deep/{}/f", "x".repeat(150)),
            Node::file(0o600, 1, Some(Arc::from("y"))),
        );
        t
    }

    #[test]
    fn foreign_layer_tars_with_dot_slash_paths_read() {
        let mut b = tar::Builder::new(Vec::new());
        append(
            &mut b,
            header(tar::EntryType::Directory, 0o755, 0, 0),
            "./",
            &[],
        );
        append(
            &mut b,
            header(tar::EntryType::Directory, 0o700, 0, 0),
            "./etc/",
            &[],
        );
        append(
            &mut b,
            header(tar::EntryType::Regular, 0o644, 0, 0),
            "./etc/x",
            b"hi",
        );
        let t = read_layer(&b.into_inner().unwrap()).unwrap();
        let keys: Vec<&str> = t.entries.keys().map(String::as_str).collect();
        assert_eq!(keys, ["/etc", "/etc/x"]);
        assert_eq!(t.get("/etc").unwrap().mode, 0o700);
    }

    #[test]
    fn an_empty_layer_has_dockers_well_known_diff_id() {
        // Two zero blocks: the diff ID every `WORKDIR`-only layer has on Docker Hub.
        assert_eq!(
            diff_id(&Tree::default()),
            "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
        );
    }

    #[test]
    fn layer_tars_round_trip_byte_for_byte() {
        let t = tree();
        let bytes = layer_tar(&t);
        // Small: the 12 MB file is a hole.
        assert!(bytes.len() < 20_000, "{}", bytes.len());
        let back = read_layer(&bytes).unwrap();
        assert_eq!(layer_tar(&back), bytes);
        for (p, n) in &t.entries {
            if p != "/etc" {
                assert_eq!(back.get(p), Some(n), "{p}");
            }
        }
        let names: Vec<String> = list(&bytes).unwrap().into_iter().map(|(p, _)| p).collect();
        assert!(names.contains(&"var/.wh.gone".to_string()), "{names:?}");
        assert!(names.contains(&"opt/.wh..wh..opq".to_string()), "{names:?}");
        assert!(
            names.contains(&"usr/".to_string()),
            "implied parents are written: {names:?}"
        );
        assert_eq!(diff_id(&t), sha256(&bytes));
    }

    #[test]
    fn archives_verify_every_digest() {
        let l = layer_tar(&tree());
        let cfg = format!(
            r#"{{"os":"linux","rootfs":{{"type":"layers","diff_ids":["{}"]}}}}"#,
            sha256(&l)
        );
        let a = write(&[SaveImage {
            config: cfg.as_bytes(),
            repo_tags: vec!["app:latest".into()],
            full_names: vec!["docker.io/library/app:latest".into()],
            layers: vec![&l],
        }]);
        let got = read(&a).unwrap();
        assert_eq!(got[0].id, sha256(cfg.as_bytes()));
        assert_eq!(got[0].repo_tags, vec!["app:latest"]);
        assert_eq!(layer_tar(&got[0].layers[0].tree), l);
        // Truncated.
        assert_eq!(read(&a[..a.len() - 1536]).unwrap_err().0, "unexpected EOF");
        // A flipped byte inside the layer blob.
        let mut bad = a.clone();
        let at = bad
            .windows(9)
            .position(|w| w == b"box\n\n\0\0\0\0")
            .unwrap();
        bad[at] = b'f';
        assert!(read(&bad)
            .unwrap_err()
            .0
            .starts_with("invalid diffID for layer 0: expected \"sha256:"));
        // A flipped byte in the config.
        let mut bad = a.clone();
        let at = bad
            .windows(12)
            .position(|w| w == b"\"os\":\"linux\"")
            .unwrap();
        bad[at + 6] = b'L';
        assert!(read(&bad)
            .unwrap_err()
            .0
            .starts_with("invalid digest for blobs/sha256/"));
    }
}
