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
    /// Removes `path` and everything under it.
    pub fn remove_all(&mut self, path: &str) {
        let path = normalize(path);
        if path == "/" {
            self.entries.clear();
            return;
        }
        let prefix = format!("{path}/");
        self.entries.remove(&path);
        let under: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in under {
            self.entries.remove(&k);
        }
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
    /// Which writable tree `tree` is: where a program's writes under `target` land.
    pub store: Store,
}

/// A writable tree a container's writes can land in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Store {
    /// The container's RW layer (overlay's upperdir): `Union::layers[0]`.
    Upper,
    /// The host's own file tree (volumes under /var/lib/docker/volumes, bind sources).
    Host,
    /// A tmpfs mount's own tree, by its target in the container.
    Tmpfs(String),
    /// Files Docker bind-mounts from /var/lib/docker/containers/ID (`/etc/hostname`):
    /// writes to them are not kept by the model.
    Container,
}

/// Where a path was found: the node and the index of the layer that provides it.
#[derive(Debug, PartialEq, Eq)]
pub struct Found<'a> {
    pub node: &'a Node,
    pub layer: usize,
    /// The bind (index into `Union::binds`) that provides it, if any; `layer` is then 0.
    pub bind: Option<usize>,
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
                bind: None,
            });
        }
        if let Some((i, p)) = self.bind_of(&path) {
            let b = &self.binds[i];
            let node = match tree_lstat(b.tree, &p) {
                Some(n) => n,
                // The mountpoint itself is there even when the source is empty.
                None if p == normalize(&b.source) => dir_node(),
                None => return None,
            };
            return Some(Found {
                node,
                layer: 0,
                bind: Some(i),
            });
        }
        for (i, layer) in self.layers.iter().enumerate() {
            if let Some(node) = layer.get(&path) {
                return match node.kind {
                    NodeKind::Whiteout => None,
                    _ => Some(Found {
                        node,
                        layer: i,
                        bind: None,
                    }),
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
                                    bind: None,
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
                    bind: None,
                });
            }
        }
        // A directory on the way to a mountpoint (runc creates it in the upper dir).
        let prefix = format!("{path}/");
        if self.binds.iter().any(|b| b.target.starts_with(&prefix)) {
            return Some(Found {
                node: dir_node(),
                layer: 0,
                bind: None,
            });
        }
        None
    }

    /// The innermost bind at or above `path` (the last mounted wins among equal
    /// targets): its index and the path in its tree.
    pub fn bind_of(&self, path: &str) -> Option<(usize, String)> {
        let mut best: Option<(usize, usize)> = None;
        for (i, b) in self.binds.iter().enumerate() {
            let t = b.target.as_str();
            let hit = t == "/"
                || path == t
                || (path.starts_with(t) && path.as_bytes().get(t.len()) == Some(&b'/'));
            if hit && best.is_none_or(|(_, l)| t.len() >= l) {
                best = Some((i, t.len()));
            }
        }
        best.map(|(i, _)| {
            let b = &self.binds[i];
            let rest = if b.target == "/" {
                path
            } else {
                &path[b.target.len()..]
            };
            (i, normalize(&format!("{}/{rest}", b.source)))
        })
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
        if let Some((i, p)) = self.bind_of(&dir) {
            let p = if p == "/" { p } else { format!("{p}/") };
            child_names(self.binds[i].tree, &p, &mut names);
        } else {
            for layer in &self.layers {
                child_names(layer, &prefix, &mut names);
            }
        }
        // Mountpoints directly under `dir`.
        for b in &self.binds {
            if let Some(rest) = b.target.strip_prefix(&prefix) {
                if !rest.is_empty() && !rest.contains('/') {
                    names.insert(rest.to_string());
                }
            }
        }
        names
            .into_iter()
            .filter(|n| self.lstat(&format!("{prefix}{n}")).is_some())
            .collect()
    }
}

/// The names of the entries directly under `prefix` (ending in `/`) in one tree.
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

/// A path in a plain tree (a bind's): its entry, or an implied directory.
fn tree_lstat<'t>(tree: &'t Tree, path: &str) -> Option<&'t Node> {
    if path == "/" {
        return Some(dir_node());
    }
    match tree.get(path) {
        Some(n) if n.kind == NodeKind::Whiteout => None,
        Some(n) => Some(n),
        None => {
            let prefix = format!("{path}/");
            tree.entries
                .range(prefix.clone()..)
                .next()
                .is_some_and(|(k, _)| k.starts_with(&prefix))
                .then(dir_node)
        }
    }
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

// ---------------------------------------------------------------------------------------
// Writes: a program's scratch view over the union, with overlayfs' semantics.

/// Why a file operation failed, as errno says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotDir,
    IsDir,
    Exists,
    ReadOnly,
    NotEmpty,
    Busy,
    /// Moving a directory into itself.
    Invalid,
}

impl FsError {
    /// strerror(3).
    pub fn message(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotDir => "Not a directory",
            FsError::IsDir => "Is a directory",
            FsError::Exists => "File exists",
            FsError::ReadOnly => "Read-only file system",
            FsError::NotEmpty => "Directory not empty",
            FsError::Busy => "Resource busy",
            FsError::Invalid => "Invalid argument",
        }
    }
}

/// One change to one writable tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FsOp {
    /// Creates or replaces the entry at `path` (a path in the store's tree).
    Put {
        store: Store,
        path: String,
        node: Node,
    },
    /// Removes `path` and everything under it.
    Remove { store: Store, path: String },
}

/// What overlayfs did on the way, for the trace. `layer` indexes the union's layers (0 =
/// the upper dir, 1.. = the image layers, top first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FsEvent {
    /// A file of a lower layer was copied whole into the upper dir before it changed.
    CopyUp { path: String, layer: usize },
    /// A character device 0:0 in the upper dir hides `path` of a lower layer.
    Whiteout { path: String, layer: usize },
    /// A directory was recreated over a whiteout: `trusted.overlay.opaque=y` hides
    /// what the lower layers have under it.
    Opaque { path: String },
}

/// What a program changed in the file trees: the ops to apply, in order, and the
/// events for the trace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FsChanges {
    pub ops: Vec<FsOp>,
    pub events: Vec<FsEvent>,
}

impl FsChanges {
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
    /// The stores these changes touch, in first-touched order.
    pub fn stores(&self) -> Vec<Store> {
        let mut v: Vec<Store> = Vec::new();
        for op in &self.ops {
            let s = match op {
                FsOp::Put { store, .. } | FsOp::Remove { store, .. } => store,
            };
            if !v.contains(s) {
                v.push(s.clone());
            }
        }
        v
    }
    /// Applies the ops for `store` to its tree (the merge into the real RW layer, the
    /// host's tree or a tmpfs).
    pub fn apply_to(&self, store: &Store, tree: &mut Tree) {
        for op in &self.ops {
            apply_op(op, store, tree);
        }
    }
}

fn apply_op(op: &FsOp, want: &Store, tree: &mut Tree) {
    match op {
        FsOp::Put { store, path, node } if store == want => tree.insert(path, node.clone()),
        FsOp::Remove { store, path } if store == want => tree.remove_all(path),
        _ => {}
    }
}

/// A node as a lookup in the writable view gives it: owned, since the view changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stat {
    pub node: Node,
    /// The union layer that provides it (0 = the upper dir or a bind).
    pub layer: usize,
    pub bind: Option<usize>,
}

impl From<Found<'_>> for Stat {
    fn from(f: Found<'_>) -> Stat {
        Stat {
            node: f.node.clone(),
            layer: f.layer,
            bind: f.bind,
        }
    }
}

#[derive(Default)]
struct Scratch {
    /// Copies of the trees written so far (copy on first write).
    trees: BTreeMap<Store, Tree>,
    changes: FsChanges,
}

/// Where a write lands: the store, the path in its tree, whether it may be written.
struct Loc {
    store: Store,
    path: String,
    readonly: bool,
}

/// A program's view of its container's files while it runs: the union (upper dir,
/// image layers, binds) under a scratch copy of every tree it writes. Reads see the
/// program's own writes (`echo hi > /f; cat /f`); the changes are collected as
/// [`FsChanges`] that the kernel merges into the real trees when the program runs.
///
/// overlayfs' rules: writing a file of a lower layer copies it up first (whole, mode
/// and owner kept, with its parent directories); deleting something a lower layer has
/// leaves a whiteout (a 0:0 character device); a directory created where a whiteout is
/// becomes opaque; deleting what only the upper dir has just removes it. Under a bind
/// (volume, bind mount, tmpfs) writes go to the bind's tree at its source, and a
/// read-only bind refuses them (EROFS), as do /proc and /sys and a `--read-only` root.
pub struct Fs<'a> {
    pub base: Union<'a>,
    /// The root is mounted read-only (`docker run --read-only`).
    pub readonly_root: bool,
    scratch: std::cell::RefCell<Scratch>,
}

impl<'a> Fs<'a> {
    pub fn new(base: Union<'a>) -> Fs<'a> {
        Fs {
            base,
            readonly_root: false,
            scratch: Default::default(),
        }
    }

    /// Runs `f` on the current view: the base union with the scratch copies in place.
    fn view<R>(&self, f: impl FnOnce(&Union<'_>) -> R) -> R {
        let s = self.scratch.borrow();
        if s.trees.is_empty() {
            return f(&self.base);
        }
        let mut layers: Vec<&Tree> = self.base.layers.clone();
        if let (Some(t), Some(l0)) = (s.trees.get(&Store::Upper), layers.first_mut()) {
            *l0 = t;
        }
        let binds = self
            .base
            .binds
            .iter()
            .map(|b| Bind {
                tree: s.trees.get(&b.store).unwrap_or(b.tree),
                ..b.clone()
            })
            .collect();
        f(&Union { layers, binds })
    }

    pub fn lstat(&self, path: &str) -> Option<Stat> {
        self.view(|u| u.lstat(path).map(Stat::from))
    }
    pub fn resolve(&self, path: &str) -> Option<(String, Stat)> {
        self.view(|u| u.resolve(path).map(|(p, f)| (p, Stat::from(f))))
    }
    pub fn read_dir(&self, dir: &str) -> Vec<String> {
        self.view(|u| u.read_dir(dir))
    }
    /// Whether `path` is a mountpoint (a bind's target).
    pub fn is_mountpoint(&self, path: &str) -> bool {
        let path = normalize(path);
        self.base.binds.iter().any(|b| b.target == path)
    }
    /// The changes made so far.
    pub fn changes(&self) -> FsChanges {
        self.scratch.borrow().changes.clone()
    }
    pub fn take_changes(&self) -> FsChanges {
        let mut s = self.scratch.borrow_mut();
        s.trees.clear();
        std::mem::take(&mut s.changes)
    }

    /// The real path of `path` with its parent directories' symlinks resolved (the
    /// last component is not followed). The parent must be a directory.
    pub fn parent_resolved(&self, path: &str) -> Result<String, FsError> {
        let path = normalize(path);
        if ["/proc", "/sys"]
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
        {
            // procfs and sysfs make no files on request (sysfs is mounted ro).
            return Err(FsError::ReadOnly);
        }
        let Some(dir) = parent(&path) else {
            return Ok(path);
        };
        let name = &path[path.rfind('/').map_or(0, |i| i + 1)..];
        match self.resolve(dir) {
            None => Err(FsError::NotFound),
            Some((_, st)) if !matches!(st.node.kind, NodeKind::Dir { .. }) => Err(FsError::NotDir),
            Some((real, _)) => Ok(join(&real, name)),
        }
    }

    fn locate(&self, path: &str) -> Loc {
        if ["/proc", "/sys"]
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
        {
            return Loc {
                store: Store::Container,
                path: path.into(),
                readonly: true,
            };
        }
        match self.base.bind_of(path) {
            Some((i, p)) => {
                let b = &self.base.binds[i];
                Loc {
                    store: b.store.clone(),
                    path: p,
                    readonly: b.readonly,
                }
            }
            // /dev is runc's tmpfs, not part of the RW layer (nor of `docker diff`).
            None if path == "/dev" || path.starts_with("/dev/") => Loc {
                store: Store::Container,
                path: path.into(),
                readonly: false,
            },
            None => Loc {
                store: Store::Upper,
                path: path.into(),
                readonly: self.readonly_root,
            },
        }
    }

    fn writable(&self, path: &str) -> Result<Loc, FsError> {
        let loc = self.locate(path);
        if loc.readonly {
            Err(FsError::ReadOnly)
        } else {
            Ok(loc)
        }
    }

    /// Applies one op to the scratch copy of its store and records it.
    fn apply(&self, op: FsOp) {
        let store = match &op {
            FsOp::Put { store, .. } | FsOp::Remove { store, .. } => store.clone(),
        };
        let mut s = self.scratch.borrow_mut();
        if !s.trees.contains_key(&store) {
            let base = match &store {
                Store::Upper => self.base.layers.first().copied(),
                other => self
                    .base
                    .binds
                    .iter()
                    .find(|b| &b.store == other)
                    .map(|b| b.tree),
            };
            s.trees
                .insert(store.clone(), base.cloned().unwrap_or_default());
        }
        if let Some(t) = s.trees.get_mut(&store) {
            apply_op(&op, &store, t);
        }
        s.changes.ops.push(op);
    }

    fn event(&self, e: FsEvent) {
        self.scratch.borrow_mut().changes.events.push(e);
    }

    /// The entry of the upper dir (scratch or real) at `path`.
    fn upper_node(&self, path: &str) -> Option<Node> {
        let s = self.scratch.borrow();
        let t = s
            .trees
            .get(&Store::Upper)
            .or_else(|| self.base.layers.first().copied())?;
        t.get(path).cloned()
    }

    /// Whether the lower layers show `path` through the upper dir (no opaque directory
    /// or whiteout above it in the upper): the index of the layer that has it.
    fn below(&self, path: &str) -> Option<usize> {
        let mut p = parent(path);
        while let Some(d) = p {
            if let Some(n) = self.upper_node(d) {
                if matches!(n.kind, NodeKind::Dir { opaque: true } | NodeKind::Whiteout) {
                    return None;
                }
            }
            p = parent(d);
        }
        let lower = Union::new(self.base.layers.iter().skip(1).copied().collect());
        lower.lstat(path).map(|f| f.layer + 1)
    }

    /// Puts `node` at `path` of the view, in the store that holds it. In the upper
    /// dir, the parent directories are copied up first, and a directory over a
    /// whiteout is made opaque.
    fn put(&self, loc: &Loc, mut node: Node) {
        if loc.store == Store::Upper {
            let mut ancestors = Vec::new();
            let mut p = parent(&loc.path);
            while let Some(d) = p {
                if d != "/" {
                    ancestors.push(d.to_string());
                }
                p = parent(d);
            }
            for d in ancestors.iter().rev() {
                if self.upper_node(d).is_some() {
                    continue;
                }
                if self.below(d).is_some() {
                    if let Some(st) = self.lstat(d) {
                        let mut dir = st.node.clone();
                        dir.kind = NodeKind::Dir { opaque: false };
                        self.apply(FsOp::Put {
                            store: Store::Upper,
                            path: d.clone(),
                            node: dir,
                        });
                    }
                }
            }
            if let NodeKind::Dir { opaque } = &mut node.kind {
                match self.upper_node(&loc.path).map(|n| n.kind) {
                    Some(NodeKind::Whiteout) => {
                        *opaque = true;
                        self.event(FsEvent::Opaque {
                            path: loc.path.clone(),
                        });
                    }
                    Some(NodeKind::Dir { opaque: true }) => *opaque = true,
                    _ => *opaque = false,
                }
            }
        } else if let NodeKind::Dir { opaque } = &mut node.kind {
            *opaque = false;
        }
        self.apply(FsOp::Put {
            store: loc.store.clone(),
            path: loc.path.clone(),
            node,
        });
    }

    /// The path a write to `path` opens: through a final symlink to its target.
    fn write_target(&self, path: &str) -> Result<String, FsError> {
        let full = self.parent_resolved(path)?;
        match self.lstat(&full).map(|s| s.node.kind) {
            Some(NodeKind::Symlink { target }) => match self.resolve(&full) {
                Some((real, _)) => Ok(real),
                None => {
                    let dir = parent(&full).unwrap_or("/");
                    let t = if target.starts_with('/') {
                        target
                    } else {
                        join(dir, &target)
                    };
                    self.parent_resolved(&t)
                }
            },
            _ => Ok(full),
        }
    }

    /// open(O_WRONLY|O_CREAT) and write: replaces the file's content (or appends to
    /// it). A new file gets mode 0644.
    pub fn write(&self, path: &str, content: &str, append: bool) -> Result<(), FsError> {
        let full = self.write_target(path)?;
        let existing = self.lstat(&full);
        let loc = self.writable(&full)?;
        let node = match &existing {
            Some(st) => {
                let NodeKind::File { size, content: old } = &st.node.kind else {
                    return Err(FsError::IsDir);
                };
                let (size, content) = match (append, old) {
                    (false, _) => (content.len() as u64, Some(content.into())),
                    (true, Some(old)) => (
                        (old.len() + content.len()) as u64,
                        Some(format!("{old}{content}").into()),
                    ),
                    (true, None) => (size + content.len() as u64, None),
                };
                Node {
                    kind: NodeKind::File { size, content },
                    ..st.node.clone()
                }
            }
            None => Node::file(0o644, content.len() as u64, Some(content.into())),
        };
        if let Some(st) = &existing {
            if loc.store == Store::Upper && st.layer > 0 && st.bind.is_none() {
                self.event(FsEvent::CopyUp {
                    path: full.clone(),
                    layer: st.layer,
                });
            }
        }
        self.put(&loc, node);
        Ok(())
    }

    /// Copies a lower file up unchanged (touch, chmod's first step): true if it did.
    fn copy_up(&self, full: &str) -> Result<bool, FsError> {
        let Some(st) = self.lstat(full) else {
            return Err(FsError::NotFound);
        };
        let loc = self.writable(full)?;
        if loc.store == Store::Upper && st.layer > 0 && st.bind.is_none() {
            if !matches!(st.node.kind, NodeKind::Dir { .. }) {
                self.event(FsEvent::CopyUp {
                    path: full.into(),
                    layer: st.layer,
                });
            }
            self.put(&loc, st.node);
            return Ok(true);
        }
        Ok(false)
    }

    /// touch: creates an empty file, or updates the times of an existing one (which
    /// copies a lower file up).
    pub fn touch(&self, path: &str) -> Result<(), FsError> {
        let full = self.write_target(path)?;
        if self.lstat(&full).is_some() {
            self.copy_up(&full).map(|_| ())
        } else {
            self.write(&full, "", false)
        }
    }

    /// chmod(2), following symlinks.
    pub fn chmod(&self, path: &str, mode: u32) -> Result<(), FsError> {
        let Some((real, st)) = self.resolve(path) else {
            return Err(FsError::NotFound);
        };
        let loc = self.writable(&real)?;
        if loc.store == Store::Upper && st.layer > 0 && st.bind.is_none() {
            self.copy_up(&real)?;
        }
        let mut node = self.lstat(&real).map(|s| s.node).unwrap_or(st.node);
        node.mode = (node.mode & !0o7777) | (mode & 0o7777);
        self.put(&loc, node);
        Ok(())
    }

    /// Creates or replaces `path` with `node`, as an archive's extraction does (docker
    /// cp): a file or symlink replaces a non-directory, a directory is created unless one
    /// is there.
    pub fn create(&self, path: &str, node: Node) -> Result<(), FsError> {
        let full = self.parent_resolved(path)?;
        let existing = self.lstat(&full).map(|e| e.node.kind);
        let loc = self.writable(&full)?;
        match (existing, &node.kind) {
            (Some(NodeKind::Dir { .. }), NodeKind::Dir { .. }) => return Ok(()),
            (Some(NodeKind::Dir { .. }), _) => return Err(FsError::IsDir),
            (Some(_), NodeKind::Dir { .. }) => return Err(FsError::NotDir),
            _ => {}
        }
        self.put(&loc, node);
        Ok(())
    }

    /// The subtree at `path` (not following a final symlink): paths relative to it
    /// ("" = itself) and nodes, parents first.
    pub fn subtree(&self, path: &str) -> Option<Vec<(String, Node)>> {
        let path = normalize(path);
        let st = self.lstat(&path)?;
        let mut out = vec![(String::new(), st.node.clone())];
        fn go(fs: &Fs<'_>, dir: &str, rel: &str, out: &mut Vec<(String, Node)>) {
            for name in fs.read_dir(dir) {
                let p = join(dir, &name);
                let r = if rel.is_empty() {
                    name.clone()
                } else {
                    format!("{rel}/{name}")
                };
                if let Some(st) = fs.lstat(&p) {
                    let is_dir = matches!(st.node.kind, NodeKind::Dir { .. });
                    out.push((r.clone(), st.node));
                    if is_dir {
                        go(fs, &p, &r, out);
                    }
                }
            }
        }
        if matches!(st.node.kind, NodeKind::Dir { .. }) {
            go(self, &path, "", &mut out);
        }
        Some(out)
    }

    /// mkdir(2).
    pub fn mkdir(&self, path: &str, mode: u32) -> Result<(), FsError> {
        let full = self.parent_resolved(path)?;
        if self.lstat(&full).is_some() {
            return Err(FsError::Exists);
        }
        let loc = self.writable(&full)?;
        self.put(&loc, Node::dir(mode));
        Ok(())
    }

    /// symlink(2): `linkpath` → `target`.
    pub fn symlink(&self, target: &str, linkpath: &str) -> Result<(), FsError> {
        let full = self.parent_resolved(linkpath)?;
        if self.lstat(&full).is_some() {
            return Err(FsError::Exists);
        }
        let loc = self.writable(&full)?;
        self.put(&loc, Node::symlink(target));
        Ok(())
    }

    /// unlink(2) / rmdir(2), or with `recursive` the whole subtree (`rm -r`). A final
    /// symlink is removed, not followed.
    pub fn remove(&self, path: &str, recursive: bool) -> Result<(), FsError> {
        let full = self.parent_resolved(path)?;
        let Some(st) = self.lstat(&full) else {
            return Err(FsError::NotFound);
        };
        let is_dir = matches!(st.node.kind, NodeKind::Dir { .. });
        if is_dir && !recursive && !self.read_dir(&full).is_empty() {
            return Err(FsError::NotEmpty);
        }
        let prefix = format!("{full}/");
        if full == "/" || self.base.binds.iter().any(|b| b.target == full) {
            return Err(FsError::Busy);
        }
        if self
            .base
            .binds
            .iter()
            .any(|b| b.target.starts_with(&prefix))
        {
            // Mountpoints inside: everything else goes, they stay (EBUSY), and so does
            // the directory that holds them.
            for name in self.read_dir(&full) {
                let _ = self.remove(&join(&full, &name), true);
            }
            return Err(FsError::Busy);
        }
        let loc = self.writable(&full)?;
        self.apply(FsOp::Remove {
            store: loc.store.clone(),
            path: loc.path.clone(),
        });
        if loc.store == Store::Upper {
            if let Some(layer) = self.below(&full) {
                // The parent directory is copied up to hold the whiteout.
                self.put(
                    &loc,
                    Node {
                        kind: NodeKind::Whiteout,
                        mode: 0,
                        uid: 0,
                        gid: 0,
                    },
                );
                self.event(FsEvent::Whiteout { path: full, layer });
            }
        }
        Ok(())
    }

    /// Copies `src` (its subtree if a directory, a symlink as a symlink) to `dst`, which
    /// must not be under `src`. An existing file at `dst` is replaced; an existing
    /// directory is merged into.
    pub fn copy(&self, src: &str, dst: &str) -> Result<(), FsError> {
        let sfull = self.parent_resolved(src)?;
        let Some(st) = self.lstat(&sfull) else {
            return Err(FsError::NotFound);
        };
        let dfull = self.parent_resolved(dst)?;
        if dfull == sfull || dfull.starts_with(&format!("{sfull}/")) {
            return Err(FsError::Invalid);
        }
        self.copy_node(&sfull, st.node, &dfull)
    }

    fn copy_node(&self, src: &str, node: Node, dst: &str) -> Result<(), FsError> {
        let existing = self.lstat(dst);
        let is_dir = matches!(node.kind, NodeKind::Dir { .. });
        match (&existing, is_dir) {
            (Some(e), false) if matches!(e.node.kind, NodeKind::Dir { .. }) => {
                return Err(FsError::IsDir)
            }
            (Some(e), true) if !matches!(e.node.kind, NodeKind::Dir { .. }) => {
                return Err(FsError::NotDir)
            }
            _ => {}
        }
        let loc = self.writable(dst)?;
        if !(is_dir && existing.is_some()) {
            let mut n = node;
            if let NodeKind::Dir { opaque } = &mut n.kind {
                *opaque = false;
            }
            self.put(&loc, n);
        }
        if is_dir {
            for name in self.read_dir(src) {
                let s = join(src, &name);
                if let Some(st) = self.lstat(&s) {
                    self.copy_node(&s, st.node, &join(dst, &name))?;
                }
            }
        }
        Ok(())
    }

    /// rename(2) as mv(1) does it on overlayfs: a copy, then the source removed (a
    /// directory of a lower layer cannot be renamed in place: EXDEV; a lower file is
    /// copied up and renamed, which leaves the same trees).
    pub fn rename(&self, src: &str, dst: &str) -> Result<(), FsError> {
        let sfull = self.parent_resolved(src)?;
        let Some(st) = self.lstat(&sfull) else {
            return Err(FsError::NotFound);
        };
        let dfull = self.parent_resolved(dst)?;
        if dfull == sfull {
            return Ok(());
        }
        if dfull.starts_with(&format!("{sfull}/")) {
            return Err(FsError::Invalid);
        }
        self.writable(&sfull)?;
        let dst_loc = self.writable(&dfull)?;
        if let Some(e) = self.lstat(&dfull) {
            match (&e.node.kind, &st.node.kind) {
                (NodeKind::Dir { .. }, NodeKind::Dir { .. })
                    if !self.read_dir(&dfull).is_empty() =>
                {
                    return Err(FsError::NotEmpty)
                }
                (NodeKind::Dir { .. }, NodeKind::Dir { .. }) => {}
                (NodeKind::Dir { .. }, _) => return Err(FsError::IsDir),
                (_, NodeKind::Dir { .. }) => return Err(FsError::NotDir),
                _ => {}
            }
            self.apply(FsOp::Remove {
                store: dst_loc.store.clone(),
                path: dst_loc.path.clone(),
            });
        }
        if st.layer > 0 && st.bind.is_none() && !matches!(st.node.kind, NodeKind::Dir { .. }) {
            self.event(FsEvent::CopyUp {
                path: sfull.clone(),
                layer: st.layer,
            });
        }
        self.copy_node(&sfull, st.node, &dfull)?;
        self.remove(&sfull, true)
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// `docker diff`: the container's changes against its image, as moby v28.2.2 computes
/// them for overlay2 (`NaiveDiffDriver.Changes` → go-archive `ChangesDirs`: the merged
/// container view walked against the image's). Per directory, its entries in name
/// order (Go walks a map there, in no fixed order; Porthole sorts), each `A` (not in the
/// image, and everything under it `A` too) or `C` (a non-directory copied up into the
/// upper dir, or any entry whose type, mode or owner changed), then recursion into it;
/// then `D` for what the image has and the container no longer shows (not recursed).
/// A directory with changes inside is listed `C` before them unless it is itself
/// added; `/` never is. So an opaque directory shows as `C` with `A` for its new
/// contents and `D` for the image's, and a whiteout as a `D` under a `C` parent.
/// Binds are not part of the diff (the driver mounts the layer alone).
pub fn diff(container: &Union<'_>, image: &Union<'_>) -> Vec<(char, String)> {
    let mut out = Vec::new();
    diff_dir(container, image, "/", true, true, &mut out);
    out
}

fn diff_dir(
    new: &Union<'_>,
    old: &Union<'_>,
    dir: &str,
    old_is_dir: bool,
    added: bool,
    out: &mut Vec<(char, String)>,
) {
    let at_entry = out.len();
    let new_names = new.read_dir(dir);
    let old_names: Vec<String> = if old_is_dir {
        old.read_dir(dir)
    } else {
        Vec::new()
    };
    for name in &new_names {
        let path = join(dir, name);
        let Some(n) = new.lstat(&path) else { continue };
        let o = if old_names.contains(name) {
            old.lstat(&path)
        } else {
            None
        };
        let mut child_added = false;
        match &o {
            None => {
                out.push(('A', path.clone()));
                child_added = true;
            }
            Some(o) => {
                let n_dir = matches!(n.node.kind, NodeKind::Dir { .. });
                let o_dir = matches!(o.node.kind, NodeKind::Dir { .. });
                let kind_changed =
                    std::mem::discriminant(&n.node.kind) != std::mem::discriminant(&o.node.kind);
                if kind_changed
                    || n.node.mode != o.node.mode
                    || n.node.uid != o.node.uid
                    || n.node.gid != o.node.gid
                    || (!n_dir && !o_dir && n.layer == 0)
                {
                    out.push(('C', path.clone()));
                    child_added = true;
                }
            }
        }
        if matches!(n.node.kind, NodeKind::Dir { .. }) {
            let o_dir = o
                .as_ref()
                .is_some_and(|o| matches!(o.node.kind, NodeKind::Dir { .. }));
            diff_dir(new, old, &path, o_dir, child_added, out);
        }
    }
    for name in &old_names {
        if !new_names.contains(name) {
            out.push(('D', join(dir, name)));
        }
    }
    if out.len() > at_entry && !added && dir != "/" {
        out.insert(at_entry, ('C', dir.to_string()));
    }
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

    fn file(text: &str) -> Node {
        Node::file(0o644, text.len() as u64, Some(text.into()))
    }

    fn text(t: &Tree, p: &str) -> Option<String> {
        match t.get(p).map(|n| &n.kind) {
            Some(NodeKind::File { content, .. }) => content.as_deref().map(str::to_string),
            _ => None,
        }
    }

    #[test]
    fn binds_route_reads_and_writes_to_their_trees() {
        let image = tree(&[
            ("/data/old", file("image\n")),
            ("/etc/passwd", file("root\n")),
        ]);
        let rw = Tree::default();
        let host = tree(&[("/srv/a/x", file("host\n")), ("/srv/b/y", file("inner\n"))]);
        let mut u = Union::new(vec![&rw, &image]);
        u.binds = vec![
            Bind {
                target: "/data".into(),
                tree: &host,
                source: "/srv/a".into(),
                readonly: false,
                store: Store::Host,
            },
            Bind {
                target: "/data/in".into(),
                tree: &host,
                source: "/srv/b".into(),
                readonly: true,
                store: Store::Host,
            },
        ];
        // The longest target wins; the bind hides the image's /data.
        assert_eq!(u.bind_of("/data/in/y"), Some((1, "/srv/b/y".into())));
        assert_eq!(u.bind_of("/database"), None);
        assert!(u.lstat("/data/old").is_none());
        assert_eq!(u.read_dir("/data"), vec!["in", "x"]);
        assert_eq!(u.lstat("/data/in/y").unwrap().bind, Some(1));
        let fs = Fs::new(u);
        fs.write("/data/new", "w\n", false).unwrap();
        assert_eq!(fs.write("/data/in/z", "w\n", false), Err(FsError::ReadOnly));
        assert_eq!(fs.remove("/data/in", true), Err(FsError::Busy));
        fs.write("/etc/passwd", "more\n", true).unwrap();
        // A program sees its own writes.
        assert_eq!(
            fs.resolve("/data/new").map(|(_, s)| s.node),
            Some(file("w\n"))
        );
        let ch = fs.take_changes();
        let mut host2 = host.clone();
        ch.apply_to(&Store::Host, &mut host2);
        assert_eq!(text(&host2, "/srv/a/new").as_deref(), Some("w\n"));
        let mut rw2 = rw.clone();
        ch.apply_to(&Store::Upper, &mut rw2);
        assert_eq!(text(&rw2, "/etc/passwd").as_deref(), Some("root\nmore\n"));
        assert!(matches!(
            rw2.get("/etc").map(|n| &n.kind),
            Some(NodeKind::Dir { .. })
        ));
        assert_eq!(
            ch.events,
            vec![FsEvent::CopyUp {
                path: "/etc/passwd".into(),
                layer: 1
            }]
        );
    }

    #[test]
    fn overlay_rules_for_deletes_and_recreated_directories() {
        let bottom = tree(&[("/opt/x/old", file("o\n")), ("/bin/ls", file("ls"))]);
        let top = tree(&[("/opt/x/top", file("t\n"))]);
        let rw = tree(&[("/mine", file("m\n"))]);
        let fs = Fs::new(Union::new(vec![&rw, &top, &bottom]));
        fs.remove("/bin/ls", false).unwrap();
        fs.remove("/mine", false).unwrap();
        fs.remove("/opt/x", true).unwrap();
        fs.mkdir("/opt/x", 0o700).unwrap();
        fs.write("/opt/x/new", "n\n", false).unwrap();
        assert_eq!(fs.read_dir("/opt/x"), vec!["new"]);
        assert!(fs.lstat("/bin/ls").is_none());
        let ch = fs.take_changes();
        let mut upper = rw.clone();
        ch.apply_to(&Store::Upper, &mut upper);
        let kinds: Vec<(&str, &NodeKind)> = upper
            .entries
            .iter()
            .map(|(k, n)| (k.as_str(), &n.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("/bin", &NodeKind::Dir { opaque: false }),
                ("/bin/ls", &NodeKind::Whiteout),
                ("/opt", &NodeKind::Dir { opaque: false }),
                ("/opt/x", &NodeKind::Dir { opaque: true }),
                (
                    "/opt/x/new",
                    &NodeKind::File {
                        size: 2,
                        content: Some("n\n".into())
                    }
                ),
            ]
        );
        assert_eq!(
            ch.events,
            vec![
                FsEvent::Whiteout {
                    path: "/bin/ls".into(),
                    layer: 2
                },
                FsEvent::Whiteout {
                    path: "/opt/x".into(),
                    layer: 1
                },
                FsEvent::Opaque {
                    path: "/opt/x".into()
                },
            ]
        );
        // docker diff of the result: parents C first, A before D within a directory.
        let image = Union::new(vec![&top, &bottom]);
        let container = Union::new(vec![&upper, &top, &bottom]);
        let d: Vec<String> = diff(&container, &image)
            .into_iter()
            .map(|(k, p)| format!("{k} {p}"))
            .collect();
        assert_eq!(
            d,
            vec![
                "C /bin",
                "D /bin/ls",
                "C /opt",
                "C /opt/x",
                "A /opt/x/new",
                "D /opt/x/old",
                "D /opt/x/top"
            ]
        );
    }

    #[test]
    fn renames_copies_and_symlinks() {
        let lower = tree(&[("/a/f", file("f\n")), ("/a/g", file("g\n"))]);
        let rw = Tree::default();
        let fs = Fs::new(Union::new(vec![&rw, &lower]));
        fs.symlink("/a", "/l").unwrap();
        fs.write("/l/h", "h\n", false).unwrap();
        assert_eq!(fs.rename("/a", "/a/sub"), Err(FsError::Invalid));
        fs.rename("/a", "/b").unwrap();
        assert_eq!(fs.read_dir("/b"), vec!["f", "g", "h"]);
        assert!(fs.lstat("/a").is_none());
        // The symlink dangles now: a write through it finds no /a to create a file in.
        assert_eq!(fs.write("/l/x", "x", false), Err(FsError::NotFound));
        fs.copy("/b", "/c").unwrap();
        assert_eq!(fs.read_dir("/c"), vec!["f", "g", "h"]);
        assert_eq!(fs.mkdir("/c", 0o755), Err(FsError::Exists));
        assert_eq!(fs.remove("/c", false), Err(FsError::NotEmpty));
        assert_eq!(fs.write("/c", "x", false), Err(FsError::IsDir));
        assert_eq!(fs.write("/b/f/x", "x", false), Err(FsError::NotDir));
        assert_eq!(fs.write("/proc/x", "x", false), Err(FsError::ReadOnly));
    }
}
