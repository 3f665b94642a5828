//! In-memory file trees: image layers and the container's read-write layer, and the
//! overlay union over them (upper first). Whiteouts and opaque directories follow
//! overlayfs: a whiteout hides the same path below; an opaque directory hides everything
//! below it in lower layers.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum NodeKind {
    Dir {
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        opaque: bool,
    },
    File {
        size: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content: Option<Arc<str>>,
    },
    Symlink {
        target: String,
    },
    /// overlayfs' 0/0 character device: the path is deleted in this layer.
    Whiteout,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    #[serde(flatten)]
    pub kind: NodeKind,
    pub mode: u32,
    #[serde(default)]
    pub uid: u32,
    #[serde(default)]
    pub gid: u32,
}

impl Node {
    pub fn dir(mode: u32) -> Node {
        Node {
            kind: NodeKind::Dir { opaque: false },
            mode,
            uid: 0,
            gid: 0,
        }
    }
    pub fn file(mode: u32, size: u64, content: Option<Arc<str>>) -> Node {
        Node {
            kind: NodeKind::File { size, content },
            mode,
            uid: 0,
            gid: 0,
        }
    }
    pub fn symlink(target: &str) -> Node {
        Node {
            kind: NodeKind::Symlink {
                target: target.to_string(),
            },
            mode: 0o777,
            uid: 0,
            gid: 0,
        }
    }
    pub fn size(&self) -> u64 {
        match &self.kind {
            NodeKind::File { size, .. } => *size,
            NodeKind::Symlink { target } => target.len() as u64,
            _ => 0,
        }
    }
}

/// One layer: absolute paths ("/bin/sh") to nodes. Parents are implied by their children
/// but may be listed to give them a mode.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tree {
    pub entries: BTreeMap<String, Node>,
}

impl Tree {
    pub fn insert(&mut self, path: &str, node: Node) {
        self.entries.insert(normalize(path), node);
    }
    pub fn get(&self, path: &str) -> Option<&Node> {
        self.entries.get(path)
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Bytes the layer holds (files and link targets).
    pub fn size(&self) -> u64 {
        self.entries.values().map(Node::size).sum()
    }
}

/// Collapses `//`, `.` and `..` of an absolute or relative path into an absolute one.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut s = String::with_capacity(path.len() + 1);
    for p in &parts {
        s.push('/');
        s.push_str(p);
    }
    if s.is_empty() {
        s.push('/');
    }
    s
}

fn parent(path: &str) -> Option<&str> {
    if path == "/" {
        return None;
    }
    match path.rfind('/') {
        Some(0) => Some("/"),
        Some(i) => Some(&path[..i]),
        None => None,
    }
}

/// The overlay union of layers, upper first: `layers[0]` is the container's RW layer
/// (upperdir), the rest the image layers from top to bottom (lowerdir).
pub struct Union<'a> {
    pub layers: Vec<&'a Tree>,
    /// Mounts over the union (volumes, bind mounts, tmpfs), outermost first: paths at or
    /// under a bind's `target` resolve in its tree instead of the layers.
    pub binds: Vec<Bind<'a>>,
}

/// A mount over the container's root: `target` in the container shows `source` of
/// `tree` (a volume's `/var/lib/docker/volumes/NAME/_data` or a bind source in the
/// host's tree; `/` of a tmpfs's own tree).
#[derive(Clone, Debug)]
pub struct Bind<'a> {
    pub target: String,
    pub tree: &'a Tree,
    pub source: String,
    pub readonly: bool,
}

/// Where a path was found: the node and the index of the layer that provides it.
#[derive(Debug, PartialEq, Eq)]
pub struct Found<'a> {
    pub node: &'a Node,
    pub layer: usize,
}

impl<'a> Union<'a> {
    pub fn new(layers: Vec<&'a Tree>) -> Union<'a> {
        Union {
            layers,
            binds: Vec::new(),
        }
    }

    /// The node at `path` in the merged view, without following a final symlink.
    pub fn lstat(&self, path: &str) -> Option<Found<'a>> {
        let path = normalize(path);
        if path == "/" {
            static ROOT: Node = Node {
                kind: NodeKind::Dir { opaque: false },
                mode: 0o755,
                uid: 0,
                gid: 0,
            };
            return Some(Found {
                node: &ROOT,
                layer: self.layers.len().saturating_sub(1),
            });
        }
        if let Some((i, inner)) = self.mount_for(&path) {
            // Under a mount: the mount's own tree answers, the layers below are hidden.
            let b = &self.binds[i];
            let layer = self.layers.len() + i;
            if inner == "/" {
                return Some(Found {
                    node: dir_node(),
                    layer,
                });
            }
            return match b.tree.get(&inner) {
                Some(n) if n.kind == NodeKind::Whiteout => None,
                Some(node) => Some(Found { node, layer }),
                None => tree_has_children(b.tree, &inner).then(|| Found {
                    node: dir_node(),
                    layer,
                }),
            };
        }
        for (i, layer) in self.layers.iter().enumerate() {
            if let Some(node) = layer.get(&path) {
                return match node.kind {
                    NodeKind::Whiteout => None,
                    _ => Some(Found { node, layer: i }),
                };
            }
            // An ancestor whited out or made opaque in this layer hides the lower ones.
            let mut p = parent(&path);
            while let Some(dir) = p {
                if let Some(n) = layer.get(dir) {
                    match n.kind {
                        NodeKind::Whiteout => return None,
                        NodeKind::Dir { opaque: true } => {
                            return if self.implied_dir(i, &path) {
                                Some(Found {
                                    node: dir_node(),
                                    layer: i,
                                })
                            } else {
                                None
                            };
                        }
                        _ => {}
                    }
                }
                p = parent(dir);
            }
            if self.implied_dir(i, &path) {
                return Some(Found {
                    node: dir_node(),
                    layer: i,
                });
            }
        }
        None
    }

    /// The mount covering `path` (the last mounted wins: mounts are in mount order) and
    /// the path in its tree that `path` shows. A `Found::layer` past the layers is
    /// `binds[layer - layers.len()]`: the path comes from that mount.
    pub fn mount_for(&self, path: &str) -> Option<(usize, String)> {
        for (i, b) in self.binds.iter().enumerate().rev() {
            let rest = if path == b.target {
                ""
            } else {
                match path.strip_prefix(b.target.as_str()) {
                    Some(r) if r.starts_with('/') => r,
                    _ => continue,
                }
            };
            let inner = if b.source == "/" {
                if rest.is_empty() {
                    "/".to_string()
                } else {
                    rest.to_string()
                }
            } else if rest.is_empty()
                && b.tree.get(&b.source).is_none()
                && !tree_has_children(b.tree, &b.source)
            {
                // The source is gone from the host: the mount point shows an empty dir.
                "/".to_string()
            } else {
                format!("{}{rest}", b.source)
            };
            return Some((i, inner));
        }
        None
    }

    /// A directory not listed itself but holding listed children in layer `i`.
    fn implied_dir(&self, i: usize, path: &str) -> bool {
        let prefix = format!("{path}/");
        self.layers[i]
            .entries
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// Resolves symlinks (absolute ones against the union's root) up to 40 hops, as the
    /// kernel does, and returns the final path and node.
    pub fn resolve(&self, path: &str) -> Option<(String, Found<'a>)> {
        let mut path = normalize(path);
        for _ in 0..40 {
            // Resolve symlinks in the parent directories first.
            let mut resolved = String::new();
            let comps: Vec<String> = path
                .split('/')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect();
            let mut restart = None;
            for (idx, c) in comps.iter().enumerate() {
                let candidate = format!("{resolved}/{c}");
                let found = self.lstat(&candidate)?;
                if let NodeKind::Symlink { target } = &found.node.kind {
                    let base = if target.starts_with('/') {
                        String::new()
                    } else {
                        resolved.clone()
                    };
                    let rest = comps[idx + 1..].join("/");
                    restart = Some(normalize(&format!("{base}/{target}/{rest}")));
                    break;
                }
                resolved = candidate;
            }
            match restart {
                Some(p) => path = p,
                None => {
                    let found = self.lstat(&path)?;
                    return Some((path, found));
                }
            }
        }
        None
    }

    /// Names directly under `dir` in the merged view, sorted.
    pub fn read_dir(&self, dir: &str) -> Vec<String> {
        let dir = normalize(dir);
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        let mut names = std::collections::BTreeSet::new();
        if let Some((i, inner)) = self.mount_for(&dir) {
            let b = &self.binds[i];
            let inner_prefix = if inner == "/" {
                "/".to_string()
            } else {
                format!("{inner}/")
            };
            if inner != "/" || b.source == "/" {
                child_names(b.tree, &inner_prefix, &mut names);
            }
        } else {
            for layer in &self.layers {
                child_names(layer, &prefix, &mut names);
            }
        }
        // Mount points directly under `dir` show even where no layer has them.
        for b in &self.binds {
            if parent(&b.target) == Some(dir.as_str()) {
                if let Some(n) = b.target.rsplit('/').next().filter(|n| !n.is_empty()) {
                    names.insert(n.to_string());
                }
            }
        }
        names
            .into_iter()
            .filter(|n| self.lstat(&format!("{prefix}{n}")).is_some())
            .collect()
    }
}

/// Names directly under `prefix` (ending in `/`) in one tree.
fn child_names(tree: &Tree, prefix: &str, names: &mut std::collections::BTreeSet<String>) {
    for (k, _) in tree.entries.range(prefix.to_string()..) {
        if !k.starts_with(prefix) {
            break;
        }
        let rest = &k[prefix.len()..];
        let name = rest.split('/').next().unwrap_or(rest);
        if !name.is_empty() {
            names.insert(name.to_string());
        }
    }
}

/// Whether a tree lists anything under `path`.
fn tree_has_children(tree: &Tree, path: &str) -> bool {
    let prefix = format!("{path}/");
    tree.entries
        .range(prefix.clone()..)
        .next()
        .is_some_and(|(k, _)| k.starts_with(&prefix))
}

fn dir_node() -> &'static Node {
    static DIR: Node = Node {
        kind: NodeKind::Dir { opaque: false },
        mode: 0o755,
        uid: 0,
        gid: 0,
    };
    &DIR
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, Node)]) -> Tree {
        let mut t = Tree::default();
        for (p, n) in entries {
            t.insert(p, n.clone());
        }
        t
    }

    #[test]
    fn union_prefers_upper_and_honours_whiteouts_and_opaque_dirs() {
        let lower = tree(&[
            ("/bin/busybox", Node::file(0o755, 100, None)),
            ("/bin/sh", Node::symlink("busybox")),
            ("/etc/a", Node::file(0o644, 1, Some("lower".into()))),
            ("/etc/b", Node::file(0o644, 1, None)),
            ("/opt/x/y", Node::file(0o644, 1, None)),
        ]);
        let mut upper = tree(&[
            ("/etc/a", Node::file(0o644, 1, Some("upper".into()))),
            (
                "/etc/b",
                Node {
                    kind: NodeKind::Whiteout,
                    mode: 0,
                    uid: 0,
                    gid: 0,
                },
            ),
            (
                "/opt/x",
                Node {
                    kind: NodeKind::Dir { opaque: true },
                    mode: 0o755,
                    uid: 0,
                    gid: 0,
                },
            ),
        ]);
        upper.insert("/opt/x/z", Node::file(0o644, 1, None));
        let u = Union::new(vec![&upper, &lower]);
        match &u.lstat("/etc/a").unwrap().node.kind {
            NodeKind::File { content, .. } => assert_eq!(content.as_deref(), Some("upper")),
            k => panic!("{k:?}"),
        }
        assert!(u.lstat("/etc/b").is_none());
        assert!(u.lstat("/opt/x/y").is_none());
        assert!(u.lstat("/opt/x/z").is_some());
        assert_eq!(u.read_dir("/etc"), vec!["a"]);
        assert_eq!(u.read_dir("/"), vec!["bin", "etc", "opt"]);
        let (p, f) = u.resolve("/bin/sh").unwrap();
        assert_eq!(p, "/bin/busybox");
        assert_eq!(f.layer, 1);
        assert_eq!(normalize("a/../b//./c/"), "/b/c");
    }
}
