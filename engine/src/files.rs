//! The container's file system from dockerd's side: `docker diff` (the RW layer's
//! changes), `docker cp` (in and out of a container, through its mounts), the trace of
//! what overlayfs did for a program, and `host ls|cat|mkdir` on the host's own tree.

use crate::cli;
use crate::daemon::{api_step, http, ApiError};
use crate::engine::Engine;
use crate::fs::{normalize, Node, NodeKind, Union};
use crate::kernel::Kernel;
use crate::trace::{Component, Step};
use serde_json::json;

/// Bytes of the tar stream dockerd sends for these entries: a 512-byte header each, the
/// content padded to 512, and the two zero blocks that end an archive. What the docker
/// CLI counts and prints as `Successfully copied 2.05kB`.
fn tar_size(entries: &[(String, Node)]) -> u64 {
    entries
        .iter()
        .map(|(_, n)| match &n.kind {
            NodeKind::File { size, .. } => 512 + size.div_ceil(512) * 512,
            _ => 512,
        })
        .sum::<u64>()
        + 1024
}

/// The query value of a path as the CLI sends it (url.Values.Encode).
fn qpath(p: &str) -> String {
    crate::daemon::query_escape(p)
}

impl<K: Kernel> Engine<K> {
    /// Steps for what overlayfs did while a program ran (copy-ups, whiteouts, opaque
    /// directories), from the kernel.
    pub(crate) fn fs_steps(&mut self) {
        for e in self.kernel.take_fs_events() {
            let why = if e.contains("whiteout") {
                "a lower layer cannot change: overlayfs records the deletion in the upper dir as a 0:0 character device, which hides the path in the merged view (`.wh.NAME` once the layer is a tar)"
            } else if e.contains("opaque") {
                "a directory made again where one was deleted must not show the lower layers' old contents: the opaque xattr stops the merge at it"
            } else {
                "the image's layers are read-only and shared: overlayfs copies the whole file up into the container's upper dir, mode and owner kept, and the change happens there"
            };
            self.step(Step::new(Component::Kernel, e, why));
        }
    }

    /// `docker diff NAME`: `GET /containers/{name}/changes`, printed `KIND PATH`.
    pub(crate) fn cmd_diff(&mut self, a: cli::NamesArgs) -> i32 {
        let r = a.args.first().cloned().unwrap_or_default();
        let path = format!("/containers/{r}/changes");
        let id = match self.find_container(&r) {
            Ok(id) => id,
            Err(e) => {
                self.step(api_step(
                    http(
                        "GET",
                        &path,
                        None,
                        e.status,
                        Some(json!({"message": e.message})),
                    ),
                    "dockerd looks the container up by name or ID prefix",
                ));
                self.daemon_error(&e);
                return 1;
            }
        };
        let changes = self.container_changes(&id);
        let body: Vec<_> = changes
            .iter()
            .map(|(k, p)| json!({"Kind": match k { 'C' => 0, 'A' => 1, _ => 2 }, "Path": p}))
            .collect();
        self.step(api_step(
            http("GET", &path, None, 200, Some(json!(body))),
            "overlay2's naive diff walks the container's merged view against its image: A added, C changed, D deleted",
        ));
        let upper = self.containers[&id]
            .rootfs
            .as_ref()
            .map(|m| m.upperdir.clone())
            .unwrap_or_default();
        let (a_n, c_n, d_n) = changes.iter().fold((0, 0, 0), |(a, c, d), (k, _)| match k {
            'A' => (a + 1, c, d),
            'C' => (a, c + 1, d),
            _ => (a, c, d + 1),
        });
        self.step(Step::new(
            Component::Dockerd,
            format!("compared {upper} over the image's layers: {a_n} added, {c_n} changed, {d_n} deleted"),
            "a whiteout in the upper dir is a D; a file copied up is a C, and so is every directory that holds a change",
        ));
        let mut out = String::new();
        for (k, p) in &changes {
            out.push_str(&format!("{k} {p}\n"));
        }
        self.out(&out);
        0
    }

    /// The container's changes against its image (see [`crate::fs::diff`]).
    pub(crate) fn container_changes(&self, id: &str) -> Vec<(char, String)> {
        let Some(c) = self.containers.get(id) else {
            return Vec::new();
        };
        let Some(rw) = self.kernel.rw_layer(id) else {
            return Vec::new();
        };
        let lower: Vec<&crate::fs::Tree> = self
            .images
            .get(&c.image_id)
            .map(|img| {
                img.layers
                    .iter()
                    .rev()
                    .filter_map(|d| self.layers.get(d).map(|l| &*l.layer.tree))
                    .collect()
            })
            .unwrap_or_default();
        let mut layers = vec![rw];
        layers.extend(lower.iter().copied());
        crate::fs::diff(&Union::new(layers), &Union::new(lower))
    }

    /// `docker cp`: one side is `CONTAINER:PATH`, the other a path on the (simulated)
    /// host. Wording and order of checks as docker CLI 28's cp.go and dockerd's
    /// archive.go.
    pub(crate) fn cmd_cp(&mut self, a: cli::CpArgs) -> i32 {
        let (src, dst) = (a.args[0].clone(), a.args[1].clone());
        if src.is_empty() {
            self.err("source can not be empty\n");
            return 1;
        }
        if dst.is_empty() {
            self.err("destination can not be empty\n");
            return 1;
        }
        match (split_cp_arg(&src), split_cp_arg(&dst)) {
            ((Some(_), _), (Some(_), _)) => {
                self.err("copying between containers is not supported\n");
                1
            }
            ((None, _), (None, _)) => {
                self.err("must specify at least one container source\n");
                1
            }
            ((Some(_), _), (None, d)) | ((None, d), (Some(_), _)) if d == "-" => {
                self.err("porthole: `docker cp` with `-` streams a tar archive through the terminal, which is not simulated; copy to or from a path on the host instead\n");
                1
            }
            ((Some(c), p), (None, d)) => self.cp_out(&c, &p, &d, a.quiet),
            ((None, s), (Some(c), p)) => self.cp_in(&s, &c, &p, a.quiet),
        }
    }

    fn cp_lookup(&mut self, method: &str, r: &str, path: &str) -> Result<String, i32> {
        let url = format!("/containers/{r}/archive?path={}", qpath(path));
        self.find_container(r).map_err(|e| {
            self.step(api_step(
                http(
                    method,
                    &url,
                    None,
                    e.status,
                    Some(json!({"message": e.message})),
                ),
                "dockerd looks the container up by name or ID prefix",
            ));
            self.daemon_error(&e);
            1
        })
    }

    fn cp_out(&mut self, r: &str, src: &str, dest: &str, quiet: bool) -> i32 {
        // The CLI checks the host side first (ValidateOutputPath), before any API call.
        let dest_abs = normalize(&host_abs(dest));
        // resolveLocalPath keeps a trailing `/` of what was typed.
        let shown = if dest.ends_with('/') && dest_abs != "/" {
            format!("{dest_abs}/")
        } else {
            dest_abs.clone()
        };
        let parent = parent_of(&dest_abs);
        if self.kernel.host_stat(&parent).is_none() {
            self.err(&format!(
                "invalid output path: directory \"{parent}\" does not exist\n"
            ));
            return 1;
        }
        let id = match self.cp_lookup("GET", r, src) {
            Ok(id) => id,
            Err(c) => return c,
        };
        let src_abs = normalize(&format!("/{src}"));
        let url = format!("/containers/{r}/archive?path={}", qpath(src));
        let Some(src_dir) = self.kernel.container_stat(&id, &src_abs, false) else {
            let e = ApiError::new(
                404,
                format!("Could not find the file {src} in container {r}"),
            );
            self.step(api_step(
                http("GET", &url, None, 404, Some(json!({"message": e.message}))),
                "dockerd stats the path in the container's mounted root file system",
            ));
            self.daemon_error(&e);
            return 1;
        };
        // go-archive's CopyTo refuses before it reads anything of the archive; the CLI
        // still prints its summary (of 0 bytes), then the error.
        let refuse = |this: &mut Self, msg: &str| {
            this.step(api_step(
                http("GET", &url, None, 200, None),
                "dockerd streams a tar archive of the path; the CLI unpacks it on the host",
            ));
            if !quiet {
                this.err(&format!("Successfully copied 0B to {shown}\n"));
            }
            this.err(&format!("{msg}\n"));
            1
        };
        let final_dest = match self.kernel.host_stat(&dest_abs) {
            Some(true) => format!("{}/{}", dest_abs.trim_end_matches('/'), base(&src_abs)),
            Some(false) if src_dir => return refuse(self, "cannot copy directory"),
            Some(false) => dest_abs.clone(),
            None if self.kernel.host_stat(&parent) != Some(true) => {
                return refuse(self, "not a directory")
            }
            None if dest.ends_with('/') && !src_dir => return refuse(self, "no such directory"),
            None => dest_abs.clone(),
        };
        let entries = match self.kernel.copy_out(&id, &src_abs, &final_dest) {
            Ok(e) => e,
            Err(e) => {
                self.err(&format!("Error response from daemon: {}\n", e.message));
                return 1;
            }
        };
        let size = tar_size(&entries);
        self.step(api_step(
            http("GET", &url, None, 200, None),
            "dockerd mounts the container's root file system (with its volumes) and streams the path as a tar archive; it works on stopped containers too",
        ));
        self.step(Step::new(
            Component::Cli,
            format!(
                "extracted {} entr{} ({} bytes of tar) to {final_dest} on the host",
                entries.len(),
                if entries.len() == 1 { "y" } else { "ies" },
                size
            ),
            "the docker CLI unpacks the archive itself, on the machine it runs on",
        ));
        self.emit_container("archive-path", &id, &[]);
        if !quiet {
            self.err(&format!(
                "Successfully copied {} to {shown}\n",
                crate::format::human_size(size)
            ));
        }
        0
    }

    fn cp_in(&mut self, src: &str, r: &str, dest: &str, quiet: bool) -> i32 {
        let src_abs = normalize(&host_abs(src));
        // The CLI stats the destination first and ignores a failure there.
        let head = format!("/containers/{r}/archive?path={}", qpath(dest));
        let id = self.find_container(r).ok();
        let dest_abs = normalize(&format!("/{dest}"));
        let dest_stat = id
            .as_ref()
            .and_then(|id| self.kernel.container_stat(id, &dest_abs, true));
        let head_status = match (&id, dest_stat) {
            (None, _) | (_, None) => 404,
            _ => 200,
        };
        self.step(api_step(
            http("HEAD", &head, None, head_status, None),
            "the CLI stats the destination to decide where the archive goes",
        ));
        let Some(src_dir) = self.kernel.host_stat(&src_abs) else {
            self.err(&format!("lstat {src_abs}: no such file or directory\n"));
            return 1;
        };
        let (extract_dir, final_dest) = match dest_stat {
            Some(true) => (
                dest_abs.clone(),
                format!("{}/{}", dest_abs.trim_end_matches('/'), base(&src_abs)),
            ),
            Some(false) if src_dir => {
                self.err("cannot copy directory\n");
                return 1;
            }
            _ => {
                let parent = dest_abs
                    .rsplit_once('/')
                    .map(|(p, _)| if p.is_empty() { "/" } else { p })
                    .unwrap_or("/")
                    .to_string();
                (parent, dest_abs.clone())
            }
        };
        let put = format!(
            "/containers/{r}/archive?noOverwriteDirNonDir=true&path={}",
            qpath(&extract_dir)
        );
        // The archive the CLI streams (it has read all of a small one by the time dockerd
        // answers, and prints its summary whatever the answer).
        let sent = self
            .kernel
            .host_tree(&src_abs)
            .and_then(|(t, inner)| crate::fs::Fs::new(Union::new(vec![t])).subtree(&inner))
            .map(|e| tar_size(&e))
            .unwrap_or(1024);
        let summary = format!(
            "Successfully copied {} to {r}:{dest}\n",
            crate::format::human_size(sent)
        );
        let refuse = |this: &mut Self, status: u16, message: String| {
            this.step(api_step(
                http("PUT", &put, None, status, Some(json!({"message": message}))),
                if status == 404 && message.starts_with("No such container") {
                    "dockerd looks the container up by name or ID prefix"
                } else {
                    "dockerd extracts the archive into the container's mounted root file system"
                },
            ));
            if !quiet {
                this.err(&summary);
            }
            this.err(&format!("Error response from daemon: {message}\n"));
            1
        };
        let Some(id) = id else {
            return refuse(self, 404, ApiError::no_such_container(r).message);
        };
        match self.kernel.container_stat(&id, &extract_dir, true) {
            None => {
                return refuse(
                    self,
                    404,
                    format!("Could not find the file {extract_dir} in container {r}"),
                )
            }
            Some(false) => return refuse(self, 400, "extraction point is not a directory".into()),
            Some(true) => {}
        }
        if let Err(e) = self.kernel.copy_in(&id, &src_abs, &final_dest) {
            return refuse(self, 400, e.message);
        }
        self.step(api_step(
            http("PUT", &put, None, 200, None),
            "dockerd extracts the archive into the container's root file system: into the upper dir (copying up what it replaces), or into a volume mounted there",
        ));
        self.fs_steps();
        self.emit_container("extract-to-dir", &id, &[]);
        if !quiet {
            self.err(&summary);
        }
        0
    }
}

/// The CLI's splitCpArg: `CONTAINER:PATH`, unless the argument is an absolute path or
/// starts with `.`.
fn split_cp_arg(arg: &str) -> (Option<String>, String) {
    if arg.starts_with('/') {
        return (None, arg.to_string());
    }
    match arg.split_once(':') {
        Some((c, p)) if !c.starts_with('.') => (Some(c.to_string()), p.to_string()),
        _ => (None, arg.to_string()),
    }
}

/// A host path made absolute: the simulated shell's working directory is /root.
fn host_abs(p: &str) -> String {
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/root/{p}")
    }
}

fn parent_of(p: &str) -> String {
    match p.rsplit_once('/') {
        Some(("", _)) | None => "/".into(),
        Some((d, _)) => d.into(),
    }
}

fn base(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

// ---------------------------------------------------------------------------------------
// `host ls|cat|mkdir|echo > FILE` on the host's own tree (volumes, bind sources, files
// `docker cp` wrote, the containers' upper dirs with their whiteouts).

/// The entry at `path` of a plain tree, whiteouts included (the host sees them as the
/// character devices they are).
fn raw_lstat(tree: &crate::fs::Tree, path: &str) -> Option<Node> {
    if path == "/" {
        return Some(Node::dir(0o755));
    }
    if let Some(n) = tree.get(path) {
        return Some(n.clone());
    }
    let prefix = format!("{path}/");
    tree.entries
        .range(prefix.clone()..)
        .next()
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|_| Node::dir(0o755))
}

fn raw_children(tree: &crate::fs::Tree, dir: &str) -> Vec<(String, Node)> {
    let prefix = if dir == "/" {
        "/".to_string()
    } else {
        format!("{dir}/")
    };
    let mut names = std::collections::BTreeSet::new();
    for (k, _) in tree.entries.range(prefix.clone()..) {
        if !k.starts_with(&prefix) {
            break;
        }
        let rest = &k[prefix.len()..];
        names.insert(rest.split('/').next().unwrap_or(rest).to_string());
    }
    let mut v: Vec<(String, Node)> = names
        .into_iter()
        .filter(|n| !n.is_empty())
        .filter_map(|n| raw_lstat(tree, &format!("{prefix}{n}")).map(|node| (n, node)))
        .collect();
    v.sort_by(|a, b| crate::host::ls_order(&a.0, &b.0));
    v
}

/// GNU `ls -l` rows: mode, links, owner, group, size (or `major, minor`), date, name.
fn long_rows(rows: &[(String, Node)]) -> String {
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|(name, n)| {
            let (t, size, tail) = match &n.kind {
                NodeKind::Dir { .. } => ('d', "4096".to_string(), String::new()),
                NodeKind::File { size, .. } => ('-', size.to_string(), String::new()),
                NodeKind::Symlink { target } => {
                    ('l', target.len().to_string(), format!(" -> {target}"))
                }
                NodeKind::Whiteout => ('c', "0, 0".to_string(), String::new()),
            };
            let mut mode = String::from(t);
            if n.kind == NodeKind::Whiteout {
                mode.push_str("---------");
            } else {
                for shift in [6, 3, 0] {
                    let bits = (n.mode >> shift) & 7;
                    mode.push(if bits & 4 != 0 { 'r' } else { '-' });
                    mode.push(if bits & 2 != 0 { 'w' } else { '-' });
                    mode.push(if bits & 1 != 0 { 'x' } else { '-' });
                }
                if n.mode & 0o1000 != 0 {
                    mode.pop();
                    mode.push('t');
                }
            }
            let links = if t == 'd' { "2" } else { "1" };
            [
                mode,
                links.to_string(),
                size,
                format!("{name}{tail}"),
                owner(n.uid),
            ]
        })
        .collect();
    let w = |i: usize| cells.iter().map(|c| c[i].len()).max().unwrap_or(0);
    let (wl, ws, wo) = (w(1), w(2), w(4));
    let mut out = String::new();
    for c in &cells {
        out.push_str(&format!(
            "{} {:>wl$} {:<wo$} {:<wo$} {:>ws$} Jan  5 09:00 {}\n",
            c[0], c[1], c[4], c[4], c[2], c[3]
        ));
    }
    out
}

fn owner(uid: u32) -> String {
    if uid == 0 {
        "root".into()
    } else {
        uid.to_string()
    }
}

fn kb_blocks(n: &Node) -> u64 {
    match &n.kind {
        NodeKind::File { size, .. } => size.div_ceil(4096) * 4,
        NodeKind::Dir { .. } => 4,
        _ => 0,
    }
}

/// Whether a host path is one the kernel's views (/proc, /sys, /dev) answer instead.
fn kernel_path(p: &str) -> bool {
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|k| p == *k || p.starts_with(&format!("{k}/")))
}

impl<K: Kernel> Engine<K> {
    /// `host ls|cat|mkdir|echo … > FILE` on the host's file tree; None when the command
    /// is not one of these or names /proc, /sys or /dev (the host view answers those).
    pub(crate) fn host_files_command(&mut self, words: &[String]) -> Option<i32> {
        let cmd = words.first()?.as_str();
        let args = &words[1..];
        let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let abs = |p: &str| normalize(&host_abs(p));
        // What the host view answers (/proc, /sys, /dev, /etc/hostname) or a path the
        // host's tree does not have: the host view (and its wording) takes it.
        let in_tree = |this: &Self, p: &str| {
            this.kernel
                .host_tree(&abs(p))
                .is_some_and(|(t, inner)| raw_lstat(t, &inner).is_some())
        };
        match cmd {
            "ls" | "cat" | "mkdir" if paths.iter().any(|p| kernel_path(&abs(p))) => None,
            "ls" | "cat" if !paths.iter().all(|p| in_tree(self, p)) => None,
            "ls" if paths.is_empty() => {
                let mut args = args.to_vec();
                args.push("/root".into());
                Some(self.host_ls(&args))
            }
            "ls" => Some(self.host_ls(args)),
            "cat" if paths.is_empty() => None,
            "cat" => Some(self.host_cat(&paths)),
            "mkdir" => {
                let mut code = 0;
                for p in &paths {
                    let path = abs(p);
                    let parent_ok = path
                        .rsplit_once('/')
                        .map(|(d, _)| if d.is_empty() { "/" } else { d })
                        .is_some_and(|d| self.kernel.host_stat(d) == Some(true));
                    let exists = self.kernel.host_stat(&path).is_some();
                    let parents = args.iter().any(|a| a == "-p");
                    if exists && !parents {
                        self.err(&format!(
                            "mkdir: cannot create directory '{p}': File exists\n"
                        ));
                        code = 1;
                    } else if !parents && !parent_ok {
                        self.err(&format!(
                            "mkdir: cannot create directory '{p}': No such file or directory\n"
                        ));
                        code = 1;
                    } else if let Err(e) = self.kernel.host_mkdir(&path) {
                        self.err(&format!(
                            "mkdir: cannot create directory '{p}': {}\n",
                            e.message
                        ));
                        code = 1;
                    }
                }
                self.step(Step::new(
                    Component::Kernel,
                    format!("mkdir {} on the host", paths.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" ")),
                    "the host's own files: a bind mount (`-v /host/dir:/in/container`) shows such a directory inside a container",
                ));
                Some(code)
            }
            "echo" => {
                let at = args.iter().position(|a| a == ">" || a == ">>")?;
                let file = args.get(at + 1)?;
                let append = args[at] == ">>";
                let text = format!("{}\n", args[..at].join(" "));
                let path = abs(file);
                if kernel_path(&path) {
                    return None;
                }
                let parent = path
                    .rsplit_once('/')
                    .map(|(d, _)| {
                        if d.is_empty() {
                            "/".to_string()
                        } else {
                            d.to_string()
                        }
                    })
                    .unwrap_or_else(|| "/".into());
                if self.kernel.host_stat(&parent) != Some(true) {
                    self.err(&format!("bash: {file}: No such file or directory\n"));
                    return Some(1);
                }
                if self.kernel.host_stat(&path) == Some(true) {
                    self.err(&format!("bash: {file}: Is a directory\n"));
                    return Some(1);
                }
                let old = match self.kernel.host_tree(&path) {
                    Some((t, p)) if append => match t.get(&p).map(|n| &n.kind) {
                        Some(NodeKind::File {
                            content: Some(c), ..
                        }) => c.to_string(),
                        _ => String::new(),
                    },
                    _ => String::new(),
                };
                let content = format!("{old}{text}");
                if let Err(e) = self.kernel.host_write(&path, &content) {
                    self.err(&format!("bash: {file}: {}\n", e.message));
                    return Some(1);
                }
                self.step(Step::new(
                    Component::Kernel,
                    format!("wrote {} bytes to {path} on the host", text.len()),
                    "the host's own files: what a bind mount or a volume shows inside a container",
                ));
                Some(0)
            }
            _ => None,
        }
    }

    fn host_ls(&mut self, args: &[String]) -> i32 {
        let flags: String = args
            .iter()
            .filter(|a| a.starts_with('-'))
            .map(|a| a.trim_start_matches('-'))
            .collect();
        let long = flags.contains('l');
        let all = flags.contains('a');
        let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let multi = paths.len() > 1;
        let mut code = 0;
        let mut out = String::new();
        let mut read = Vec::new();
        for (i, p) in paths.iter().enumerate() {
            let path = normalize(&host_abs(p));
            let Some((tree, inner)) = self.kernel.host_tree(&path) else {
                continue;
            };
            let Some(node) = raw_lstat(tree, &inner) else {
                self.err(&format!(
                    "ls: cannot access '{p}': No such file or directory\n"
                ));
                code = 2;
                continue;
            };
            read.push(path.clone());
            if !matches!(node.kind, NodeKind::Dir { .. }) {
                if long {
                    out.push_str(&long_rows(&[(p.to_string(), node)]));
                } else {
                    out.push_str(&format!("{p}\n"));
                }
                continue;
            }
            if multi {
                out.push_str(&format!("{}{p}:\n", if i == 0 { "" } else { "\n" }));
            }
            let mut rows = raw_children(tree, &inner);
            rows.retain(|(n, _)| all || !n.starts_with('.'));
            if all {
                rows.insert(0, ("..".into(), Node::dir(0o755)));
                rows.insert(0, (".".into(), node.clone()));
            }
            if long {
                let total: u64 = rows.iter().map(|(_, n)| kb_blocks(n)).sum();
                out.push_str(&format!("total {total}\n"));
                out.push_str(&long_rows(&rows));
            } else {
                let names: Vec<String> = rows.into_iter().map(|(n, _)| n).collect();
                out.push_str(&crate::host::ls_columns(&names, 80));
            }
        }
        self.out(&out);
        let what = if read.is_empty() {
            format!(
                "ls: {} does not exist on the host",
                paths
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            format!("read the host's directories {}", read.join(", "))
        };
        self.step(Step::new(
            Component::Kernel,
            what,
            "the host's own file system: volumes live under /var/lib/docker/volumes/NAME/_data, each container's RW layer is the diff directory of its overlay2 mount (whiteouts show there as 0:0 character devices)",
        ));
        code
    }

    fn host_cat(&mut self, paths: &[&String]) -> i32 {
        let mut code = 0;
        let mut out = String::new();
        let mut parts = Vec::new();
        for p in paths {
            let path = normalize(&host_abs(p));
            let node = self
                .kernel
                .host_tree(&path)
                .and_then(|(t, inner)| raw_lstat(t, &inner));
            match node.map(|n| n.kind) {
                Some(NodeKind::File {
                    content: Some(c), ..
                }) => {
                    out.push_str(&c);
                    parts.push(format!("read {path}"));
                }
                Some(NodeKind::File { size, .. }) => {
                    out.push_str(&format!("<{size} bytes of binary data, not modelled>\n"));
                    parts.push(format!("read {path}"));
                }
                Some(NodeKind::Dir { .. }) => {
                    self.err(&format!("cat: {p}: Is a directory\n"));
                    code = 1;
                }
                Some(NodeKind::Whiteout) => {
                    self.err(&format!("cat: {p}: No such device or address\n"));
                    code = 1;
                }
                Some(NodeKind::Symlink { .. }) | None => {
                    self.err(&format!("cat: {p}: No such file or directory\n"));
                    code = 1;
                }
            }
        }
        self.out(&out);
        self.step(Step::new(
            Component::Kernel,
            if parts.is_empty() { "cat read nothing".to_string() } else { parts.join("; ") },
            "the host's own file system: a volume's files are ordinary files under /var/lib/docker/volumes",
        ));
        code
    }
}
