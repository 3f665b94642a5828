//! The built-in image catalogue that the simulated registry (Docker Hub) serves.
//!
//! Each image is a stack of layers, bottom first. Images that share a base in real life
//! share the same `&LayerDef` here (nginx and redis both start from debian:bookworm-slim),
//! so pulling the second prints `Already exists` for it. Layer contents are file lists:
//! enough of the real image's files for a student to find what they expect (`/bin/sh`,
//! `/etc/os-release`, the nginx binary), with sizes that add up to the layer's size.
//! Digests are not stored: the engine computes them from this content (`crate::image`).

/// One file-system entry in a layer.
#[derive(Debug)]
pub enum FileDef {
    Dir(&'static str, u32),
    /// A file whose content is not modelled, only its size: (path, mode, size).
    File(&'static str, u32, u64),
    /// A text file: (path, mode, content). Its size is the content's length.
    Text(&'static str, u32, &'static str),
    /// A symbolic link: (path, target).
    Link(&'static str, &'static str),
    /// Many links to one target in one directory (busybox applets): each `dir/name` → `target`.
    Links { dir: &'static str, target: &'static str, names: &'static [&'static str] },
}

#[derive(Debug)]
pub struct LayerDef {
    /// A stable key, for tests and for the reader: "busybox-1.37.0-glibc".
    pub key: &'static str,
    /// The Dockerfile instruction that made it (the image history's CreatedBy).
    pub created_by: &'static str,
    /// Compressed size on the registry, in bytes (what a pull downloads).
    pub compressed_size: u64,
    pub files: &'static [FileDef],
}

#[derive(Debug)]
pub struct ConfigDef {
    pub cmd: Option<&'static [&'static str]>,
    pub entrypoint: Option<&'static [&'static str]>,
    pub env: &'static [&'static str],
    /// "80/tcp"
    pub exposed_ports: &'static [&'static str],
    pub working_dir: &'static str,
    pub user: &'static str,
    pub stop_signal: Option<&'static str>,
    pub labels: &'static [(&'static str, &'static str)],
    pub volumes: &'static [&'static str],
}

/// One entry of `docker image history`, oldest first. Entries with `empty_layer` made no
/// layer (ENV, CMD, …); the others match `layers` in order.
#[derive(Debug)]
pub struct HistoryDef {
    pub created: &'static str,
    pub created_by: &'static str,
    pub empty_layer: bool,
    pub comment: &'static str,
}

#[derive(Debug)]
pub struct ImageDef {
    /// The Docker Hub repository path: "library/busybox".
    pub repository: &'static str,
    /// Tags that name this image: the first is the canonical one.
    pub tags: &'static [&'static str],
    /// RFC 3339.
    pub created: &'static str,
    pub config: ConfigDef,
    /// Bottom first.
    pub layers: &'static [&'static LayerDef],
    pub history: &'static [HistoryDef],
}

pub const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const BUSYBOX_APPLETS: &[&str] = &[
    "[", "[[", "arch", "ash", "awk", "base64", "basename", "cat", "chgrp", "chmod", "chown",
    "chroot", "clear", "cmp", "cp", "cut", "date", "dd", "df", "diff", "dirname", "dmesg",
    "du", "echo", "env", "expr", "false", "find", "free", "grep", "groups", "gunzip", "gzip",
    "head", "hostname", "id", "ifconfig", "ip", "kill", "killall", "less", "ln", "ls",
    "lsof", "md5sum", "mkdir", "mknod", "more", "mount", "mv", "nc", "netstat", "nproc",
    "nslookup", "ping", "printenv", "printf", "ps", "pwd", "readlink", "realpath", "rm",
    "rmdir", "route", "sed", "seq", "sh", "sha256sum", "sleep", "sort", "stat", "tail",
    "tar", "tee", "telnet", "test", "top", "touch", "tr", "true", "umount", "uname", "uniq",
    "uptime", "vi", "watch", "wc", "wget", "which", "whoami", "xargs", "yes",
];

static BUSYBOX_LAYER: LayerDef = LayerDef {
    key: "busybox-1.37.0-glibc",
    created_by: "BusyBox 1.37.0 (glibc), Debian 12",
    compressed_size: 2_152_262,
    files: &[
        FileDef::Dir("/bin", 0o755),
        FileDef::File("/bin/busybox", 0o755, 1_187_160),
        FileDef::Links { dir: "/bin", target: "busybox", names: BUSYBOX_APPLETS },
        FileDef::Dir("/dev", 0o755),
        FileDef::Dir("/etc", 0o755),
        FileDef::Text("/etc/group", 0o644, "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwheel:x:10:root\nstaff:x:50:\nnogroup:x:65534:\n"),
        FileDef::Text("/etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
        FileDef::Text("/etc/nsswitch.conf", 0o644, "hosts:\tfiles dns\nnetworks:\tfiles\n"),
        FileDef::Dir("/home", 0o755),
        FileDef::Dir("/lib", 0o755),
        FileDef::File("/lib/ld-linux-x86-64.so.2", 0o755, 228_720),
        FileDef::File("/lib/libc.so.6", 0o755, 1_922_136),
        FileDef::File("/lib/libm.so.6", 0o644, 907_784),
        FileDef::File("/lib/libresolv.so.2", 0o644, 68_104),
        FileDef::Link("/lib64", "lib"),
        FileDef::Dir("/root", 0o700),
        FileDef::Dir("/tmp", 0o1777),
        FileDef::Dir("/usr", 0o755),
        FileDef::Dir("/usr/sbin", 0o755),
        FileDef::Dir("/var", 0o755),
        FileDef::Dir("/var/spool", 0o755),
        FileDef::Dir("/var/www", 0o755),
    ],
};

/// The images the simulated Docker Hub serves.
pub static IMAGES: &[ImageDef] = &[ImageDef {
    repository: "library/busybox",
    tags: &["latest", "1.37", "1.37.0", "stable"],
    created: "2024-09-26T21:31:42Z",
    config: ConfigDef {
        cmd: Some(&["sh"]),
        entrypoint: None,
        env: &[PATH_ENV],
        exposed_ports: &[],
        working_dir: "",
        user: "",
        stop_signal: None,
        labels: &[],
        volumes: &[],
    },
    layers: &[&BUSYBOX_LAYER],
    history: &[
        HistoryDef {
            created: "2024-09-26T21:31:42Z",
            created_by: "BusyBox 1.37.0 (glibc), Debian 12",
            empty_layer: false,
            comment: "",
        },
        HistoryDef { created: "2024-09-26T21:31:42Z", created_by: "CMD [\"sh\"]", empty_layer: true, comment: "" },
    ],
}];

/// Finds an image by Docker Hub repository path and tag.
pub fn find(repository: &str, tag: &str) -> Option<&'static ImageDef> {
    IMAGES.iter().find(|i| i.repository == repository && i.tags.contains(&tag))
}

/// Whether the repository exists at all (any tag).
pub fn has_repository(repository: &str) -> bool {
    IMAGES.iter().any(|i| i.repository == repository)
}
