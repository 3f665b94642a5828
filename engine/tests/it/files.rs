//! Files inside containers on the overlay union: writes, copy-up, whiteouts, opaque
//! directories, `docker diff`, `docker cp`, binds, and a property test of the union view
//! against a reference model.

use porthole_engine::fs::{Node, NodeKind, Tree};
use porthole_engine::kernel::{
    CgroupLimits, ExecSpec, InitSpec, Kernel, KernelEvent, LayerSpec, MountKind, MountSpec, NsKind,
};
use porthole_engine::{CommandOutcome, Engine, SimConfig, SimKernel, Time};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A host with the images the tests use already pulled (no pull output in the way).
fn host() -> Engine<SimKernel> {
    let mut e = Engine::sim(0);
    for img in ["busybox", "alpine", "debian", "ubuntu", "nginx"] {
        ok(&mut e, &format!("docker pull -q {img}"));
    }
    e
}

fn run(e: &mut Engine<SimKernel>, line: &str) -> CommandOutcome {
    e.execute_next(line)
}

fn ok(e: &mut Engine<SimKernel>, line: &str) -> CommandOutcome {
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, 0, "`{line}` failed: {}", o.combined());
    o
}

fn actions(o: &CommandOutcome) -> Vec<String> {
    o.steps.iter().map(|s| s.action.clone()).collect()
}

fn upper_dir(e: &mut Engine<SimKernel>, name: &str) -> String {
    ok(
        e,
        &format!("docker inspect -f '{{{{.GraphDriver.Data.UpperDir}}}}' {name}"),
    )
    .stdout()
    .trim()
    .to_string()
}

#[test]
fn copy_up_from_the_deepest_layer_keeps_the_rest_of_the_file() {
    let mut e = host();
    let layers = ok(
        &mut e,
        "docker image inspect -f '{{json .RootFS.Layers}}' nginx",
    )
    .stdout();
    let layers: Vec<String> = serde_json::from_str(layers.trim()).unwrap();
    assert!(layers.len() >= 5, "nginx has several layers");
    // /etc/debian_version comes from the bottom layer (debian:bookworm-slim).
    let o = ok(
        &mut e,
        "docker run --name web nginx sh -c 'echo appended >> /etc/debian_version; cat /etc/debian_version'",
    );
    assert_eq!(o.stdout(), "12.7\nappended\n");
    let bottom = &layers[0][..19];
    let step = actions(&o)
        .into_iter()
        .find(|a| a.starts_with("overlayfs copied /etc/debian_version up"))
        .expect("a copy-up step");
    assert!(step.contains(&format!("from layer {bottom}")), "{step}");
    assert_eq!(
        ok(&mut e, "docker diff web").stdout(),
        "C /etc\nC /etc/debian_version\n"
    );
    // The upper dir holds the whole file, mode kept; the image layer is untouched.
    let upper = upper_dir(&mut e, "web");
    let o = ok(&mut e, &format!("host cat {upper}/etc/debian_version"));
    assert_eq!(o.stdout(), "12.7\nappended\n");
    assert!(ok(&mut e, &format!("host ls -l {upper}/etc"))
        .stdout()
        .contains("-rw-r--r-- 1 root root 14 Jan  5 09:00 debian_version"));
    let o = ok(&mut e, "docker run --rm nginx cat /etc/debian_version");
    assert_eq!(o.stdout(), "12.7\n");
}

#[test]
fn whiteouts_hide_lower_entries() {
    let mut e = host();
    let o = run(
        &mut e,
        "docker run --name web busybox sh -c 'rm /bin/cat; ls /bin/cat; ls /bin | grep -c ^cat$'",
    );
    assert_eq!(o.stdout(), "0\n");
    assert_eq!(o.stderr(), "ls: /bin/cat: No such file or directory\n");
    assert!(actions(&o)
        .iter()
        .any(|a| a.starts_with("overlayfs created whiteout")
            && a.ends_with(
                "/diff/bin/cat (char 0:0) hiding /bin/cat of layer sha256:e560306d0394"
            )
            || a.contains("/diff/bin/cat (char 0:0) hiding /bin/cat of layer")));
    assert_eq!(
        ok(&mut e, "docker diff web").stdout(),
        "C /bin\nD /bin/cat\n"
    );
    // On the host the whiteout is a character device 0:0 in the upper dir.
    let upper = upper_dir(&mut e, "web");
    let ls = ok(&mut e, &format!("host ls -l {upper}/bin")).stdout();
    assert_eq!(
        ls,
        "total 0\nc--------- 1 root root 0, 0 Jan  5 09:00 cat\n"
    );
    // Deleting what only the upper dir has leaves no whiteout.
    assert_eq!(run(&mut e, "docker start -a web").exit_code, 1);
    let o = run(
        &mut e,
        "docker run --name two busybox sh -c 'echo x > /new; rm /new'",
    );
    assert_eq!(o.exit_code, 0);
    assert_eq!(ok(&mut e, "docker diff two").stdout(), "");
}

#[test]
fn a_directory_recreated_over_a_whiteout_is_opaque() {
    let mut e = host();
    let o = ok(
        &mut e,
        "docker run --name web debian sh -c 'rm -r /etc/apt; mkdir /etc/apt; echo new > /etc/apt/mine; ls -a /etc/apt'",
    );
    assert_eq!(o.stdout(), ".\n..\nmine\n");
    let acts = actions(&o);
    assert!(acts
        .iter()
        .any(|a| a.contains("/diff/etc/apt (char 0:0) hiding /etc/apt of layer")));
    assert!(acts
        .iter()
        .any(|a| a.contains("/diff/etc/apt an opaque directory (trusted.overlay.opaque=y)")));
    let diff = ok(&mut e, "docker diff web").stdout();
    assert!(
        diff.starts_with("C /etc\nC /etc/apt\nA /etc/apt/mine\nD /etc/apt/"),
        "{diff}"
    );
    // The upper dir has the directory itself, not a whiteout, and only the new file.
    let upper = upper_dir(&mut e, "web");
    let ls = ok(&mut e, &format!("host ls -l {upper}/etc/apt")).stdout();
    assert_eq!(ls, "total 4\n-rw-r--r-- 1 root root 4 Jan  5 09:00 mine\n");
}

#[test]
fn redirections_append_and_a_program_sees_its_own_writes() {
    let mut e = host();
    let o = ok(
        &mut e,
        "docker run --name web busybox sh -c 'echo a > /f; echo b >> /f; cat /f; ls /nope 2> /err; cat /err; echo c > /f; cat /f; echo out >/dev/stderr'",
    );
    assert_eq!(
        o.stdout(),
        "a\nb\nls: /nope: No such file or directory\nc\n"
    );
    // The file is in the RW layer for the next program.
    let o = ok(&mut e, "docker start -a web");
    assert!(o.stdout().starts_with("a\nb\n"));
    let o = run(
        &mut e,
        "docker run --rm busybox sh -c 'echo x > /nope/f; echo x > /etc; echo x > /sys/f; echo x > /proc/f'",
    );
    assert_eq!(
        o.stderr(),
        "sh: can't create /nope/f: nonexistent directory\nsh: can't create /etc: Is a directory\nsh: can't create /sys/f: Read-only file system\nsh: can't create /proc/f: Read-only file system\n"
    );
    assert_eq!(o.exit_code, 2);
    let o = run(&mut e, "docker run --rm debian sh -c 'echo x > /nope/f'");
    assert_eq!(
        o.stderr(),
        "sh: 1: cannot create /nope/f: Directory nonexistent\n"
    );
    assert_eq!(o.exit_code, 2);
    let o = run(&mut e, "docker run --rm ubuntu bash -c 'echo x > /nope/f'");
    assert_eq!(
        o.stderr(),
        "bash: line 1: /nope/f: No such file or directory\n"
    );
    assert_eq!(o.exit_code, 1);
}

#[test]
fn du_counts_blocks() {
    let mut e = host();
    let big = "x".repeat(5000);
    let o = ok(
        &mut e,
        &format!("docker run --rm busybox sh -c 'mkdir -p /d/e; echo {big} > /d/f; touch /d/e/g; du /d; du -s /d; du -sh /d; du -a /d'"),
    );
    // /d and /d/e are a block each; a 5001-byte file takes two 4 KiB blocks.
    assert_eq!(
        o.stdout(),
        "4\t/d/e\n16\t/d\n16\t/d\n16K\t/d\n0\t/d/e/g\n4\t/d/e\n8\t/d/f\n16\t/d\n"
    );
}

#[test]
fn busybox_and_gnu_word_their_errors_differently() {
    let mut e = host();
    let script = "rm /x; rm /etc; mkdir /a/b; mkdir /etc; touch /a/b; mv /x /y; cp /x /y; cp /etc /y; ln -s /x /etc/passwd; chmod 600 /x; find /x";
    let o = run(&mut e, &format!("docker run --rm busybox sh -c '{script}'"));
    assert_eq!(
        o.stderr(),
        "rm: can't remove '/x': No such file or directory\n\
         rm: '/etc' is a directory\n\
         mkdir: can't create directory '/a/b': No such file or directory\n\
         mkdir: can't create directory '/etc': File exists\n\
         touch: /a/b: No such file or directory\n\
         mv: can't stat '/x': No such file or directory\n\
         cp: can't stat '/x': No such file or directory\n\
         cp: omitting directory '/etc'\n\
         ln: /etc/passwd: File exists\n\
         chmod: /x: No such file or directory\n\
         find: /x: No such file or directory\n"
    );
    assert_eq!(o.exit_code, 1);
    let o = run(&mut e, &format!("docker run --rm debian sh -c '{script}'"));
    assert_eq!(
        o.stderr(),
        "rm: cannot remove '/x': No such file or directory\n\
         rm: cannot remove '/etc': Is a directory\n\
         mkdir: cannot create directory '/a/b': No such file or directory\n\
         mkdir: cannot create directory '/etc': File exists\n\
         touch: cannot touch '/a/b': No such file or directory\n\
         mv: cannot stat '/x': No such file or directory\n\
         cp: cannot stat '/x': No such file or directory\n\
         cp: -r not specified; omitting directory '/etc'\n\
         ln: failed to create symbolic link '/etc/passwd': File exists\n\
         chmod: cannot access '/x': No such file or directory\n\
         find: '/x': No such file or directory\n"
    );
    assert_eq!(o.exit_code, 1);
    // -f quiets a missing operand; mountpoints cannot be removed.
    let o = run(
        &mut e,
        "docker run --rm busybox sh -c 'rm -f /x; rm /etc/hostname'",
    );
    assert_eq!(
        o.stderr(),
        "rm: can't remove '/etc/hostname': Device or resource busy\n"
    );
    let o = run(&mut e, "docker run --rm alpine sh -c 'rm /etc/hostname'");
    assert_eq!(
        o.stderr(),
        "rm: can't remove '/etc/hostname': Resource busy\n"
    );
}

#[test]
fn mv_cp_ln_chmod_find_and_ls() {
    let mut e = host();
    let o = ok(
        &mut e,
        "docker run --name web busybox sh -c 'mkdir -p /srv/a; echo hi > /srv/a/f; cp -r /srv/a /srv/b; mv /srv/a/f /srv/g; ln -s /srv/g /srv/l; cat /srv/l; chmod 700 /srv/g; chmod u-w,go+r /srv/b/f; ls -l /srv; find /srv -type f; find /srv -name \"*l\"'",
    );
    assert_eq!(
        o.stdout(),
        "hi\n\
         total 12\n\
         drwxr-xr-x    1 root     root         4096 Jan  5 09:00 a\n\
         drwxr-xr-x    1 root     root         4096 Jan  5 09:00 b\n\
         -rwx------    1 root     root            3 Jan  5 09:00 g\n\
         lrwxrwxrwx    1 root     root            6 Jan  5 09:00 l -> /srv/g\n\
         /srv/b/f\n/srv/g\n/srv/l\n"
    );
    let o = ok(&mut e, "docker diff web");
    assert!(
        o.stdout()
            .starts_with("C /srv\nA /srv/a\nA /srv/b\nA /srv/b/f\nA /srv/g\nA /srv/l\n")
            || o.stdout().starts_with("A /srv"),
        "{}",
        o.stdout()
    );
    // chmod of a lower file copies it up; the mode shows in the diff as a change.
    let o = ok(
        &mut e,
        "docker run --name mm busybox sh -c 'chmod 700 /etc/passwd; ls -l /etc/passwd'",
    );
    assert!(o.stdout().starts_with("-rwx------"), "{}", o.stdout());
    assert_eq!(
        ok(&mut e, "docker diff mm").stdout(),
        "C /etc\nC /etc/passwd\n"
    );
}

#[test]
fn data_survives_stop_and_start_and_dies_with_rm() {
    let mut e = host();
    ok(&mut e, "docker run -d --name web busybox sleep 1000");
    ok(
        &mut e,
        "docker exec web sh -c 'echo kept > /data.txt; rm /etc/group'",
    );
    ok(&mut e, "docker stop web");
    ok(&mut e, "docker start web");
    assert_eq!(
        ok(&mut e, "docker exec web cat /data.txt").stdout(),
        "kept\n"
    );
    assert_eq!(run(&mut e, "docker exec web cat /etc/group").exit_code, 1);
    let upper = upper_dir(&mut e, "web");
    ok(&mut e, "docker rm -f web");
    assert_eq!(run(&mut e, &format!("host ls {upper}")).exit_code, 2);
    ok(&mut e, "docker run -d --name web busybox sleep 1000");
    assert_eq!(run(&mut e, "docker exec web cat /data.txt").exit_code, 1);
    assert!(ok(&mut e, "docker exec web cat /etc/group")
        .stdout()
        .starts_with("root:x:0:"));
}

#[test]
fn docker_cp_both_ways() {
    let mut e = host();
    ok(
        &mut e,
        "docker run --name web busybox sh -c 'mkdir /out; echo hello > /out/a'",
    );
    // Out of a stopped container, into an existing directory and to a new name.
    let o = ok(&mut e, "docker cp web:/out/a /tmp/");
    assert_eq!(o.stderr(), "Successfully copied 2.05kB to /tmp/\n");
    let o = ok(&mut e, "docker cp web:/out /srv/copy");
    assert_eq!(o.stderr(), "Successfully copied 2.56kB to /srv/copy\n");
    assert_eq!(
        ok(&mut e, "host cat /tmp/a /srv/copy/a").stdout(),
        "hello\nhello\n"
    );
    // Into the container: through the overlay, a lower file replaced in the upper dir.
    ok(&mut e, "host echo new passwd > /tmp/passwd");
    let o = ok(&mut e, "docker cp /tmp/passwd web:/etc/passwd");
    assert_eq!(
        o.stderr(),
        "Successfully copied 2.05kB to web:/etc/passwd\n"
    );
    ok(&mut e, "docker cp /srv/copy web:/in");
    let o = ok(&mut e, "docker start -a web");
    assert_eq!(
        o.stderr(),
        "mkdir: can't create directory '/out': File exists\n"
    );
    assert_eq!(
        ok(&mut e, "docker diff web").stdout(),
        "C /etc\nC /etc/passwd\nA /in\nA /in/a\nA /out\nA /out/a\n"
    );
    let o = ok(&mut e, "docker run --rm busybox true");
    assert_eq!(o.exit_code, 0);
    let upper = upper_dir(&mut e, "web");
    assert_eq!(
        ok(&mut e, &format!("host cat {upper}/etc/passwd")).stdout(),
        "new passwd\n"
    );
    // Errors, each leaving the state as it was.
    for (line, stderr) in [
        (
            "docker cp web:/nope /tmp",
            "Error response from daemon: Could not find the file /nope in container web\n",
        ),
        (
            "docker cp /nope web:/tmp",
            "lstat /nope: no such file or directory\n",
        ),
        (
            "docker cp nosuch:/etc /tmp",
            "Error response from daemon: No such container: nosuch\n",
        ),
        (
            "docker cp /tmp/a nosuch:/tmp",
            "Successfully copied 2.05kB to nosuch:/tmp\nError response from daemon: No such container: nosuch\n",
        ),
        (
            "docker cp /tmp/a web:/no/such/x",
            "Successfully copied 2.05kB to web:/no/such/x\nError response from daemon: Could not find the file /no/such in container web\n",
        ),
        (
            "docker cp /srv/copy web:/etc/passwd",
            "cannot copy directory\n",
        ),
        (
            "docker cp web:/out /tmp/a",
            "Successfully copied 0B to /tmp/a\ncannot copy directory\n",
        ),
        (
            "docker cp web:/out/a /tmp/nope/",
            "Successfully copied 0B to /tmp/nope/\nno such directory\n",
        ),
        (
            "docker cp web:/out/a /no/such/x",
            "invalid output path: directory \"/no/such\" does not exist\n",
        ),
        (
            "docker cp web:/a web:/b",
            "copying between containers is not supported\n",
        ),
        (
            "docker cp /a /b",
            "must specify at least one container source\n",
        ),
        (
            "docker cp web:/out -",
            "porthole: `docker cp` with `-` streams a tar archive through the terminal, which is not simulated; copy to or from a path on the host instead\n",
        ),
    ] {
        let before = e.digest();
        let o = run(&mut e, line);
        assert_eq!(o.stderr(), stderr, "{line}");
        assert_eq!(o.exit_code, 1, "{line}");
        assert_eq!(e.digest(), before, "{line} changed the state");
    }
}

/// A kernel with one busybox-like layer and a container `c` whose mounts are given.
fn kernel_with_mounts(mounts: Vec<MountSpec>) -> (SimKernel, u32) {
    let mut k = SimKernel::new(SimConfig::default());
    let mut t = Tree::default();
    t.insert("/bin/busybox", Node::file(0o755, 1000, None));
    for app in ["sh", "cat", "ls", "rm", "mkdir", "touch"] {
        t.insert(&format!("/bin/{app}"), Node::symlink("busybox"));
    }
    t.insert(
        "/data/from-image",
        Node::file(0o644, 6, Some("image\n".into())),
    );
    t.insert("/etc/passwd", Node::file(0o644, 5, Some("root\n".into())));
    let diff = format!("sha256:{}", "a".repeat(64));
    k.store_layer(&LayerSpec {
        diff_id: diff.clone(),
        tree: Arc::new(t),
    })
    .unwrap();
    k.create_rw_layer("c", "m", &[diff]).unwrap();
    k.host_mkdir("/srv/bind").unwrap();
    k.host_mkdir("/var/lib/docker/volumes/v/_data").unwrap();
    k.host_write("/var/lib/docker/volumes/v/_data/old", "vol\n")
        .unwrap();
    let init = k
        .create_init(&InitSpec {
            container_id: "c".into(),
            namespaces: vec![NsKind::Mnt, NsKind::Pid],
            join: Vec::new(),
            uid_offset: 0,
            cgroup: "docker/c".into(),
            limits: CgroupLimits::default(),
            mounts,
        })
        .unwrap();
    (k, init.host_pid)
}

fn sh(k: &mut SimKernel, pid: u32, script: &str) -> (String, String) {
    k.exec(
        pid,
        &ExecSpec {
            argv: vec!["sh".into(), "-c".into(), script.into()],
            env: vec!["PATH=/bin".into()],
            cwd: "/".into(),
            user: String::new(),
            hostname: "c".into(),
            tty: false,
        },
        Time(1),
    )
    .unwrap();
    let (mut out, mut err) = (String::new(), String::new());
    for ev in k.advance(Time(10_000_000_000)) {
        if let KernelEvent::Output { stream, text, .. } = ev {
            match stream {
                porthole_engine::Stream::Stdout => out.push_str(&text),
                porthole_engine::Stream::Stderr => err.push_str(&text),
            }
        }
    }
    (out, err)
}

fn content(t: &Tree, p: &str) -> Option<String> {
    match t.get(p).map(|n| &n.kind) {
        Some(NodeKind::File { content, .. }) => content.as_deref().map(str::to_string),
        _ => None,
    }
}

#[test]
fn writes_under_binds_land_in_their_sources() {
    let m = |kind, source: &str, target: &str, readonly| MountSpec {
        kind,
        source: source.into(),
        target: target.into(),
        readonly,
        size: None,
    };
    let (mut k, pid) = kernel_with_mounts(vec![
        m(MountKind::Bind, "/srv/bind", "/data", false),
        m(
            MountKind::Volume,
            "/var/lib/docker/volumes/v/_data",
            "/data/vol",
            true,
        ),
        m(MountKind::Tmpfs, "", "/scratch", false),
    ]);
    let (out, err) = sh(
        &mut k,
        pid,
        "ls /data; echo hi > /data/f; mkdir /data/d; echo t > /scratch/t; cat /data/vol/old; echo no > /data/vol/x; rm /data/vol/old; echo up >> /etc/passwd; cat /data/f /scratch/t",
    );
    // The bind hides the image's /data; the nested volume shows as a mountpoint.
    assert_eq!(out, "vol\nvol\nhi\nt\n");
    assert_eq!(
        err,
        "sh: can't create /data/vol/x: Read-only file system\nrm: can't remove '/data/vol/old': Read-only file system\n"
    );
    let host = k.host_fs();
    assert_eq!(content(host, "/srv/bind/f").as_deref(), Some("hi\n"));
    assert!(matches!(
        host.get("/srv/bind/d").map(|n| &n.kind),
        Some(NodeKind::Dir { .. })
    ));
    assert_eq!(
        content(host, "/var/lib/docker/volumes/v/_data/old").as_deref(),
        Some("vol\n")
    );
    assert!(host.get("/var/lib/docker/volumes/v/_data/x").is_none());
    // Only the write outside the binds is in the RW layer (copied up).
    let rw = k.rw_layer("c").unwrap();
    assert_eq!(content(rw, "/etc/passwd").as_deref(), Some("root\nup\n"));
    assert!(
        rw.entries.keys().all(|p| p.starts_with("/etc")),
        "{:?}",
        rw.entries.keys()
    );
    // docker cp into the read-only volume is refused; into the bind it lands on the host.
    k.host_write("/tmp-src", "copied\n").unwrap();
    let e = k.copy_in("c", "/tmp-src", "/data/vol/y").unwrap_err();
    assert_eq!(e.message, "mounted volume is marked read-only");
    k.copy_in("c", "/tmp-src", "/data/z").unwrap();
    assert_eq!(
        content(k.host_fs(), "/srv/bind/z").as_deref(),
        Some("copied\n")
    );
}

#[test]
fn a_bind_lists_its_source_and_hides_the_layers() {
    let m = MountSpec {
        kind: MountKind::Bind,
        source: "/srv/bind".into(),
        target: "/data".into(),
        readonly: false,
        size: None,
    };
    let (mut k, pid) = kernel_with_mounts(vec![m]);
    k.host_write("/srv/bind/host-file", "h\n").unwrap();
    let (out, err) = sh(&mut k, pid, "ls /data; ls / ; cat /data/from-image");
    assert_eq!(out, "host-file\nbin\ndata\netc\n");
    assert_eq!(
        err,
        "cat: can't open '/data/from-image': No such file or directory\n"
    );
}

// ---- the union view against a reference model --------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
enum M {
    File(Option<String>),
    Dir,
    Link(String),
}

type Model = BTreeMap<String, M>;

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize),
    Append(usize, usize),
    Mkdir(usize),
    RmR(usize),
    Mv(usize, usize),
    Ln(usize, usize),
}

const PATHS: &[&str] = &[
    "/w",
    "/w/a",
    "/w/b",
    "/w/d",
    "/w/d/a",
    "/w/d/e",
    "/w/l",
    "/etc/group",
    "/etc/passwd",
    "/etc/nsswitch.conf",
    "/etc/new",
    "/etc/network",
];
const TEXTS: &[&str] = &["one", "two", "three"];

fn op_strategy() -> impl Strategy<Value = Op> {
    let p = 0..PATHS.len();
    prop_oneof![
        (p.clone(), 0..TEXTS.len()).prop_map(|(a, t)| Op::Write(a, t)),
        (p.clone(), 0..TEXTS.len()).prop_map(|(a, t)| Op::Append(a, t)),
        p.clone().prop_map(Op::Mkdir),
        p.clone().prop_map(Op::RmR),
        (p.clone(), p.clone()).prop_map(|(a, b)| Op::Mv(a, b)),
        (p.clone(), p).prop_map(|(a, b)| Op::Ln(a, b)),
    ]
}

fn norm(p: &str) -> String {
    porthole_engine::fs::normalize(p)
}

fn parent(p: &str) -> String {
    match p.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => p[..i].into(),
    }
}

fn base(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

fn is_dir(m: &Model, p: &str) -> bool {
    p == "/" || m.get(p) == Some(&M::Dir)
}

/// The real path of `p` in the model (symlinks in the parents followed, the last one
/// when `follow`); None when a parent is missing or not a directory.
fn resolve(m: &Model, p: &str, follow: bool, depth: u32) -> Option<String> {
    if depth > 40 {
        return None;
    }
    let comps: Vec<&str> = p.split('/').filter(|c| !c.is_empty()).collect();
    let mut cur = "/".to_string();
    for (i, c) in comps.iter().enumerate() {
        let last = i + 1 == comps.len();
        let next = if cur == "/" {
            format!("/{c}")
        } else {
            format!("{cur}/{c}")
        };
        match m.get(&next) {
            Some(M::Link(t)) if !last || follow => {
                let t = if t.starts_with('/') {
                    t.clone()
                } else {
                    format!("{cur}/{t}")
                };
                let rest = comps[i + 1..].join("/");
                return resolve(m, &norm(&format!("{t}/{rest}")), follow, depth + 1);
            }
            Some(M::Dir) => cur = next,
            Some(_) if last => cur = next,
            None if last => cur = next,
            _ => return None,
        }
    }
    Some(cur)
}

fn remove_tree(m: &mut Model, p: &str) {
    let prefix = format!("{p}/");
    m.retain(|k, _| k != p && !k.starts_with(&prefix));
}

fn apply(m: &mut Model, op: &Op) {
    match *op {
        Op::Write(a, t) | Op::Append(a, t) => {
            let append = matches!(op, Op::Append(..));
            let Some(real) = resolve(m, PATHS[a], true, 0) else {
                return;
            };
            if !is_dir(m, &parent(&real)) || is_dir(m, &real) {
                return;
            }
            let text = format!("{}\n", TEXTS[t]);
            let new = match (append, m.get(&real)) {
                (true, Some(M::File(Some(old)))) => M::File(Some(format!("{old}{text}"))),
                (true, Some(M::File(None))) => M::File(None),
                _ => M::File(Some(text)),
            };
            m.insert(real, new);
        }
        Op::Mkdir(a) => {
            let Some(real) = resolve(m, PATHS[a], false, 0) else {
                return;
            };
            if is_dir(m, &parent(&real)) && !m.contains_key(&real) {
                m.insert(real, M::Dir);
            }
        }
        Op::RmR(a) => {
            if let Some(real) = resolve(m, PATHS[a], false, 0) {
                remove_tree(m, &real);
            }
        }
        Op::Ln(a, b) => {
            let (target, link) = (PATHS[a], PATHS[b]);
            let link = match resolve(m, link, true, 0) {
                Some(r) if is_dir(m, &r) => format!("{link}/{}", base(target)),
                _ => link.to_string(),
            };
            let Some(real) = resolve(m, &link, false, 0) else {
                return;
            };
            if is_dir(m, &parent(&real)) && !m.contains_key(&real) {
                m.insert(real, M::Link(target.into()));
            }
        }
        Op::Mv(a, b) => {
            let (src, dst) = (PATHS[a], PATHS[b]);
            let Some(s) = resolve(m, src, false, 0) else {
                return;
            };
            let Some(node) = m.get(&s).cloned() else {
                return;
            };
            let dst = match resolve(m, dst, true, 0) {
                Some(r) if is_dir(m, &r) => format!("{dst}/{}", base(src)),
                _ => dst.to_string(),
            };
            let Some(d) = resolve(m, &dst, false, 0) else {
                return;
            };
            if !is_dir(m, &parent(&d)) || d == s || d.starts_with(&format!("{s}/")) {
                return;
            }
            if let Some(existing) = m.get(&d) {
                let prefix = format!("{d}/");
                match (existing, &node) {
                    (M::Dir, M::Dir) if m.keys().any(|k| k.starts_with(&prefix)) => return,
                    (M::Dir, M::Dir) => {}
                    (M::Dir, _) | (_, M::Dir) => return,
                    _ => {}
                }
            }
            let prefix = format!("{s}/");
            let moved: Vec<(String, M)> = m
                .iter()
                .filter(|(k, _)| **k == s || k.starts_with(&prefix))
                .map(|(k, v)| (format!("{d}{}", &k[s.len()..]), v.clone()))
                .collect();
            remove_tree(m, &d);
            remove_tree(m, &s);
            m.extend(moved);
        }
    }
}

fn script(op: &Op) -> String {
    match *op {
        Op::Write(a, t) => format!("echo {} > {}", TEXTS[t], PATHS[a]),
        Op::Append(a, t) => format!("echo {} >> {}", TEXTS[t], PATHS[a]),
        Op::Mkdir(a) => format!("mkdir {}", PATHS[a]),
        Op::RmR(a) => format!("rm -rf {}", PATHS[a]),
        Op::Mv(a, b) => format!("mv {} {}", PATHS[a], PATHS[b]),
        Op::Ln(a, b) => format!("ln -s {} {}", PATHS[a], PATHS[b]),
    }
}

/// What `docker cp` copied to `dir` on the host, relative to it ("" = itself), as model
/// entries.
fn host_view(e: &Engine<SimKernel>, dir: &str) -> Model {
    let prefix = format!("{dir}/");
    e.kernel()
        .host_fs()
        .entries
        .iter()
        .filter(|(k, _)| *k == dir || k.starts_with(&prefix))
        .map(|(k, n)| {
            let v = match &n.kind {
                NodeKind::Dir { .. } => M::Dir,
                NodeKind::File { content, .. } => M::File(content.as_deref().map(str::to_string)),
                NodeKind::Symlink { target } => M::Link(target.clone()),
                NodeKind::Whiteout => panic!("a whiteout reached the merged view: {k}"),
            };
            (k[dir.len()..].to_string(), v)
        })
        .collect()
}

fn sub(m: &Model, dir: &str) -> Model {
    let prefix = format!("{dir}/");
    m.iter()
        .filter(|(k, _)| *k == dir || k.starts_with(&prefix))
        .map(|(k, v)| (k[dir.len()..].to_string(), v.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn the_union_view_matches_a_reference_model(ops in proptest::collection::vec(op_strategy(), 1..14)) {
        let mut e = Engine::sim(7);
        ok(&mut e, "docker pull -q busybox");
        ok(&mut e, "docker run -d --name pp busybox sleep 100000");
        ok(&mut e, "docker cp pp:/etc /srv/image-etc");
        let image_etc = host_view(&e, "/srv/image-etc");
        let mut model: Model = image_etc.iter().map(|(k, v)| (format!("/etc{k}"), v.clone())).collect();
        for (i, op) in ops.iter().enumerate() {
            // /etc/hostname is a mountpoint: the ops never touch /etc itself.
            let o = run(&mut e, &format!("docker exec pp sh -c '{}'", script(op)));
            prop_assert!(o.exit_code == 0 || o.exit_code == 1 || o.exit_code == 2, "{}", o.combined());
            apply(&mut model, op);
            let _ = i;
        }
        for dir in ["/etc", "/w"] {
            let dest = format!("/srv/out{}", dir.replace('/', "-"));
            let o = run(&mut e, &format!("docker cp pp:{dir} {dest}"));
            if model.contains_key(dir) {
                prop_assert_eq!(o.exit_code, 0, "{}", o.combined());
                prop_assert_eq!(host_view(&e, &dest), sub(&model, dir), "{} after {:?}", dir, ops);
            } else {
                prop_assert_eq!(o.exit_code, 1, "{} should not exist: {}", dir, o.combined());
            }
        }
        // Removing the container restores the image's view.
        ok(&mut e, "docker rm -f pp");
        ok(&mut e, "docker run -d --name qq busybox sleep 100000");
        ok(&mut e, "docker cp qq:/etc /srv/again");
        prop_assert_eq!(host_view(&e, "/srv/again"), image_etc);
        prop_assert_eq!(run(&mut e, "docker cp qq:/w /srv/w-again").exit_code, 1);
    }
}

#[test]
fn a_read_only_root_refuses_writes() {
    let mut e = host();
    let o = run(
        &mut e,
        "docker run --read-only --name ro busybox sh -c 'touch /x; echo a > /y; mkdir /z; rm /bin/cat; echo still running'",
    );
    assert_eq!(
        o.stderr(),
        "touch: /x: Read-only file system\nsh: can't create /y: Read-only file system\nmkdir: can't create directory '/z': Read-only file system\nrm: can't remove '/bin/cat': Read-only file system\n"
    );
    assert_eq!(o.stdout(), "still running\n");
    assert_eq!(
        ok(
            &mut e,
            "docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' ro"
        )
        .stdout(),
        "true\n"
    );
    assert_eq!(ok(&mut e, "docker diff ro").stdout(), "");
    ok(&mut e, "host echo hi > /tmp/f");
    let before = e.digest();
    let o = run(&mut e, "docker cp /tmp/f ro:/f");
    assert_eq!(
        o.stderr(),
        "Successfully copied 2.05kB to ro:/f\nError response from daemon: container rootfs is marked read-only\n"
    );
    assert_eq!(o.exit_code, 1);
    assert_eq!(e.digest(), before);
}

#[test]
fn gnu_ls_long_in_debian_images() {
    let mut e = host();
    let o = ok(
        &mut e,
        "docker run --rm debian sh -c 'mkdir /d; echo hello > /d/f; ln -s /d/f /d/l; ls -la /d; ls -l /d/f'",
    );
    assert_eq!(
        o.stdout(),
        "total 12\n\
         drwxr-xr-x 2 root root 4096 Jan  5 09:00 .\n\
         drwxr-xr-x 2 root root 4096 Jan  5 09:00 ..\n\
         -rw-r--r-- 1 root root    6 Jan  5 09:00 f\n\
         lrwxrwxrwx 1 root root    4 Jan  5 09:00 l -> /d/f\n\
         -rw-r--r-- 1 root root 6 Jan  5 09:00 /d/f\n"
    );
}

#[test]
fn tee_writes_its_input_to_files() {
    let mut e = host();
    let o = run(
        &mut e,
        "docker run --rm busybox sh -c 'echo hi | tee /f /nope/x; echo more | tee -a /f >/dev/null; cat /f'",
    );
    assert_eq!(o.stdout(), "hi\nhi\nmore\n");
    assert_eq!(
        o.stderr(),
        "tee: can't open '/nope/x': No such file or directory\n"
    );
}
