//! Volumes, bind mounts and tmpfs: `docker volume …`, `-v`, `--mount`, `--tmpfs`, the
//! seeds' commands, copy-up into new volumes, `rm -v` and `--rm`, what the container and
//! the host see, inspect, Docker's errors with the state unchanged, and a property test.

use crate::{run_all, transcript};
use porthole_engine::fs::Node;
use porthole_engine::kernel::Kernel;
use porthole_engine::{Engine, SimKernel};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn ok(e: &mut Engine<SimKernel>, line: &str) -> String {
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, 0, "`{line}` failed: {}", o.combined());
    o.stdout()
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn host_has(e: &Engine<SimKernel>, path: &str) -> bool {
    e.kernel().host_stat(path).is_some()
}

/// Puts a file on the host (as if someone wrote it there).
fn host_write(e: &mut Engine<SimKernel>, path: &str, text: &str) {
    e.kernel_mut().host_fs_mut().insert(
        path,
        Node::file(0o644, text.len() as u64, Some(text.into())),
    );
}

#[test]
fn seed_named_volume_for_mysql() {
    let mut e = Engine::sim(0);
    let id = ok(&mut e, "docker run -d -v myvolume:/var/lib/mysql mysql");
    let id = id.trim();
    // The named volume covers the image's VOLUME /var/lib/mysql: no anonymous one.
    assert_eq!(
        ok(&mut e, "docker volume ls"),
        "DRIVER    VOLUME NAME\nlocal     myvolume\n"
    );
    assert!(host_has(&e, "/var/lib/docker/volumes/myvolume/_data"));
    // The views see it, and who uses it where.
    let snap = e.snapshot();
    assert_eq!(snap.volumes.len(), 1);
    assert_eq!(snap.volumes[0].name, "myvolume");
    assert!(!snap.volumes[0].anonymous);
    let cname = e
        .containers()
        .next()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    assert_eq!(
        snap.volumes[0].used_by,
        vec![(cname, "/var/lib/mysql".to_string())]
    );
    let mounts = ok(
        &mut e,
        &format!("docker inspect -f '{{{{json .Mounts}}}}' {id}"),
    );
    assert_eq!(
        mounts,
        "[{\"Type\":\"volume\",\"Name\":\"myvolume\",\"Source\":\"/var/lib/docker/volumes/myvolume/_data\",\"Destination\":\"/var/lib/mysql\",\"Driver\":\"local\",\"Mode\":\"z\",\"RW\":true,\"Propagation\":\"\"}]\n"
    );
    let binds = ok(
        &mut e,
        &format!(
            "docker inspect -f '{{{{json .HostConfig.Binds}}}} {{{{json .Config.Volumes}}}}' {id}"
        ),
    );
    assert_eq!(
        binds,
        "[\"myvolume:/var/lib/mysql\"] {\"/var/lib/mysql\":{}}\n"
    );
    // Created by -v: no labels, no options (null), as dockerd records it.
    assert_eq!(
        ok(&mut e, "docker volume inspect myvolume"),
        "[\n    {\n        \"CreatedAt\": \"2026-01-05T09:00:02Z\",\n        \"Driver\": \"local\",\n        \"Labels\": null,\n        \"Mountpoint\": \"/var/lib/docker/volumes/myvolume/_data\",\n        \"Name\": \"myvolume\",\n        \"Options\": null,\n        \"Scope\": \"local\"\n    }\n]\n"
    );
    // Without the volume, mysql's VOLUME gets an anonymous one.
    let id2 = ok(&mut e, "docker run -d mysql");
    let names = ok(&mut e, "docker volume ls -q");
    let anon: Vec<&str> = names.lines().filter(|n| *n != "myvolume").collect();
    assert_eq!(anon.len(), 1, "{names}");
    assert!(is_hex64(anon[0]));
    let m = ok(
        &mut e,
        &format!("docker inspect -f '{{{{range .Mounts}}}}{{{{.Name}}}} {{{{.Destination}}}} {{{{.Mode}}}}{{{{end}}}}' {}", id2.trim()),
    );
    assert_eq!(m, format!("{} /var/lib/mysql \n", anon[0]));
}

#[test]
fn seed_000_docker_dash_v_prints_the_version() {
    // `docker -v myvolume:/var/lib/mysql run mysql` (seed 000's typo): -v is the root's
    // --version, and what follows is no command, so the CLI prints its version.
    let mut e = Engine::sim(0);
    let before = e.digest();
    let o = e.execute_next("docker -v myvolume:/var/lib/mysql run mysql");
    assert_eq!(o.stdout(), "Docker version 28.2.2, build e6534b4\n");
    assert_eq!(o.exit_code, 0);
    assert_eq!(e.digest(), before);
}

#[test]
fn seed_bind_mount_shows_the_host_directory() {
    let mut e = Engine::sim(0);
    assert!(!host_has(&e, "/var/db/tables"));
    // -v creates a missing host path as a directory.
    let o = e.execute_next("docker run -v /var/db/tables:/var/data1 debian ls -la /var/data1");
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    assert!(host_has(&e, "/var/db/tables"));
    assert!(o
        .steps
        .iter()
        .any(|s| s.action == "created the bind source /var/db/tables on the host (mkdir -p)"));
    assert!(o
        .steps
        .iter()
        .any(|s| s.action == "mount --bind /var/db/tables /var/data1 (rbind,rprivate)"));
    // Both see the same files.
    host_write(&mut e, "/var/db/tables/users.frm", "id,name\n");
    let out = ok(
        &mut e,
        "docker run --rm -v /var/db/tables:/var/data1 debian cat /var/data1/users.frm",
    );
    assert_eq!(out, "id,name\n");
    let ls = ok(
        &mut e,
        "docker run --rm -v /var/db/tables:/var/data1 busybox ls /var/data1",
    );
    assert_eq!(ls, "users.frm\n");
    // A bind leaves no volume behind.
    assert_eq!(ok(&mut e, "docker volume ls -q"), "");
}

#[test]
fn mount_type_bind_readonly() {
    let mut e = Engine::sim(0);
    e.kernel_mut().host_mkdir("/srv/site").unwrap();
    host_write(&mut e, "/srv/site/index.html", "hello\n");
    let id = ok(
        &mut e,
        "docker run -d --name ro --mount type=bind,source=/srv/site,target=/usr/share/nginx/html,readonly nginx",
    );
    let out = ok(
        &mut e,
        "docker exec ro cat /usr/share/nginx/html/index.html",
    );
    assert_eq!(out, "hello\n");
    let mounts = ok(&mut e, "docker exec ro sh -c 'mount | grep nginx'");
    assert_eq!(
        mounts,
        "/dev/sda1 on /usr/share/nginx/html type ext4 (ro,relatime)\n"
    );
    let j = ok(
        &mut e,
        "docker inspect -f '{{json .Mounts}} {{json .HostConfig.Mounts}}' ro",
    );
    assert_eq!(
        j,
        "[{\"Type\":\"bind\",\"Source\":\"/srv/site\",\"Destination\":\"/usr/share/nginx/html\",\"Mode\":\"\",\"RW\":false,\"Propagation\":\"rprivate\"}] [{\"Type\":\"bind\",\"Source\":\"/srv/site\",\"Target\":\"/usr/share/nginx/html\",\"ReadOnly\":true}]\n"
    );
    let _ = id;
    // -v … :ro is read-only too.
    let out = ok(
        &mut e,
        "docker run --rm -v /srv/site:/site:ro busybox grep site /proc/mounts",
    );
    assert_eq!(out, "/dev/sda1 /site ext4 ro,relatime 0 0\n");
}

#[test]
fn volume_commands() {
    let mut e = Engine::sim(0);
    let out = run_all(
        &mut e,
        &[
            "docker volume create data",
            "docker volume create --label team=db --label tier data2",
            "docker volume create data",
            "docker volume ls",
            "docker volume ls -f label=team=db",
            "docker volume ls -f name=2 -q",
            "docker volume ls --format '{{.Name}}: {{.Mountpoint}}'",
            "docker volume ls --format 'table {{.Name}}\\t{{.Labels}}'",
            "docker volume inspect data2",
            "docker volume inspect -f '{{.Mountpoint}} {{.Labels.team}}' data2",
            "docker volume rm data data2",
            "docker volume ls",
        ],
    );
    assert_eq!(
        transcript(&out),
        r#"$ docker volume create data
data
$ docker volume create --label team=db --label tier data2
data2
$ docker volume create data
data
$ docker volume ls
DRIVER    VOLUME NAME
local     data
local     data2
$ docker volume ls -f label=team=db
DRIVER    VOLUME NAME
local     data2
$ docker volume ls -f name=2 -q
data2
$ docker volume ls --format '{{.Name}}: {{.Mountpoint}}'
data: /var/lib/docker/volumes/data/_data
data2: /var/lib/docker/volumes/data2/_data
$ docker volume ls --format 'table {{.Name}}\t{{.Labels}}'
VOLUME NAME   LABELS
data          
data2         team=db,tier=
$ docker volume inspect data2
[
    {
        "CreatedAt": "2026-01-05T09:00:02Z",
        "Driver": "local",
        "Labels": {
            "team": "db",
            "tier": ""
        },
        "Mountpoint": "/var/lib/docker/volumes/data2/_data",
        "Name": "data2",
        "Options": {},
        "Scope": "local"
    }
]
$ docker volume inspect -f '{{.Mountpoint}} {{.Labels.team}}' data2
/var/lib/docker/volumes/data2/_data db
$ docker volume rm data data2
data
data2
$ docker volume ls
DRIVER    VOLUME NAME
"#
    );
    assert!(!host_has(&e, "/var/lib/docker/volumes/data"));
    // Without a name: a random 64-hex name, labelled anonymous.
    let name = ok(&mut e, "docker volume create");
    let name = name.trim();
    assert!(is_hex64(name), "{name}");
    assert_eq!(
        ok(
            &mut e,
            &format!("docker volume inspect -f '{{{{json .Labels}}}}' {name}")
        ),
        "{\"com.docker.volume.anonymous\":\"\"}\n"
    );
    // name= is a regular expression, as filters.Match has it.
    ok(&mut e, "docker volume create mydata");
    ok(&mut e, "docker volume create yourdata");
    assert_eq!(ok(&mut e, "docker volume ls -q -f name=^my"), "mydata\n");
    assert_eq!(
        ok(&mut e, "docker volume ls -q -f name=data$ -f dangling=true"),
        "mydata\nyourdata\n"
    );
    // rm -f of a missing volume is no error.
    assert_eq!(ok(&mut e, "docker volume rm -f nosuch"), "nosuch\n");
}

/// Runs a failing command; checks its stderr, exit code, and that nothing changed.
fn fails(e: &mut Engine<SimKernel>, line: &str, stderr: &str, code: i32) {
    let before = e.digest();
    let o = e.execute_next(line);
    assert_eq!(o.stderr(), stderr, "stderr of `{line}`");
    assert_eq!(o.exit_code, code, "exit code of `{line}`");
    assert_eq!(e.digest(), before, "`{line}` changed the state");
}

fn run_err(msg: &str) -> String {
    format!("docker: Error response from daemon: {msg}\n\nRun 'docker run --help' for more information\n")
}

fn mount_flag_err(value: &str, msg: &str) -> String {
    format!("invalid argument \"{value}\" for \"--mount\" flag: {msg}\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n")
}

#[test]
fn errors_change_nothing() {
    let mut e = Engine::sim(0);
    ok(&mut e, "docker pull busybox");
    let id = ok(
        &mut e,
        "docker run -d --name user -v inuse:/data busybox sleep 1000",
    );
    let id = id.trim().to_string();
    // docker volume …
    fails(
        &mut e,
        "docker volume rm nosuch",
        "Error response from daemon: get nosuch: no such volume\n",
        1,
    );
    fails(
        &mut e,
        "docker volume rm inuse",
        &format!("Error response from daemon: remove inuse: volume is in use - [{id}]\n"),
        1,
    );
    fails(
        &mut e,
        "docker volume rm -f inuse",
        &format!("Error response from daemon: remove inuse: volume is in use - [{id}]\n"),
        1,
    );
    fails(
        &mut e,
        "docker volume create a",
        "Error response from daemon: create a: volume name is too short, names should be at least two alphanumeric characters\n",
        1,
    );
    fails(
        &mut e,
        "docker volume create my/vol",
        "Error response from daemon: create my/vol: \"my/vol\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path\n",
        1,
    );
    fails(
        &mut e,
        "docker volume create -d nfs shared",
        "Error response from daemon: create shared: error looking up volume plugin nfs: plugin \"nfs\" not found\n",
        1,
    );
    fails(
        &mut e,
        "docker volume create -o foo=bar vv",
        "Error response from daemon: create vv: invalid option key: \"foo\"\n",
        1,
    );
    fails(
        &mut e,
        "docker volume ls -f foo=bar",
        "Error response from daemon: invalid filter 'foo'\n",
        1,
    );
    fails(
        &mut e,
        "docker volume ls -f foo",
        "invalid argument \"foo\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n\nUsage:  docker volume ls [OPTIONS]\n\nRun 'docker volume ls --help' for more information\n",
        125,
    );
    fails(
        &mut e,
        "docker volume prune -f --filter foo=1",
        "Error response from daemon: invalid filter 'foo'\n",
        1,
    );
    let o = e.execute_next("docker volume inspect nosuch");
    assert_eq!(
        (o.stdout().as_str(), o.stderr().as_str(), o.exit_code),
        (
            "[]\n",
            "Error response from daemon: get nosuch: no such volume\n",
            1
        )
    );
    // The CLI's own -v and --mount parsing.
    fails(&mut e, "docker run -v :/data busybox", "docker: invalid spec: :/data: empty section between colons\n\nRun 'docker run --help' for more information\n", 125);
    fails(&mut e, "docker run -v /a:/b:/c:/d busybox", "docker: invalid spec: /a:/b:/c:/d: too many colons\n\nRun 'docker run --help' for more information\n", 125);
    fails(
        &mut e,
        "docker run -v '' busybox",
        "docker: invalid empty volume spec\n\nRun 'docker run --help' for more information\n",
        125,
    );
    fails(
        &mut e,
        "docker run --mount target busybox",
        &mount_flag_err("target", "invalid field 'target' must be a key=value pair"),
        125,
    );
    fails(
        &mut e,
        "docker run --mount type=volume busybox",
        &mount_flag_err("type=volume", "target is required"),
        125,
    );
    fails(
        &mut e,
        "docker run --mount type=volume,src=x,dst=/y,readonly=maybe busybox",
        &mount_flag_err(
            "type=volume,src=x,dst=/y,readonly=maybe",
            "invalid value for readonly: maybe",
        ),
        125,
    );
    fails(
        &mut e,
        "docker run --mount type=volume,bogus=1,target=/a busybox",
        &mount_flag_err(
            "type=volume,bogus=1,target=/a",
            "unexpected key 'bogus' in 'bogus=1'",
        ),
        125,
    );
    fails(
        &mut e,
        "docker run --mount type=volume,src=x,dst=/b,tmpfs-size=1m busybox",
        &mount_flag_err(
            "type=volume,src=x,dst=/b,tmpfs-size=1m",
            "cannot mix 'tmpfs-*' options with mount type 'volume'",
        ),
        125,
    );
    fails(
        &mut e,
        "docker run --mount type=tmpfs,target=/t,tmpfs-size=abc busybox",
        &mount_flag_err(
            "type=tmpfs,target=/t,tmpfs-size=abc",
            "invalid value for tmpfs-size: abc",
        ),
        125,
    );
    // dockerd's.
    fails(
        &mut e,
        "docker run --mount type=bind,source=/x,target=/y busybox",
        &run_err("invalid mount config for type \"bind\": bind source path does not exist: /x"),
        125,
    );
    fails(
        &mut e,
        "docker run --mount type=bind,target=/y busybox",
        &run_err("invalid mount config for type \"bind\": field Source must not be empty"),
        125,
    );
    fails(
        &mut e,
        "docker run --mount type=tmpfs,source=x,target=/t busybox",
        &run_err("invalid mount config for type \"tmpfs\": field Source must not be specified"),
        125,
    );
    fails(&mut e, "docker run --mount type=volume,target=/d,readonly busybox", &run_err("invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes"), 125);
    fails(
        &mut e,
        "docker run --mount type=foo,target=/x busybox",
        &run_err("invalid mount config for type \"foo\": mount type unknown"),
        125,
    );
    fails(&mut e, "docker run --mount type=volume,source=v1,target=data busybox", &run_err("invalid mount config for type \"volume\": invalid mount path: 'data' mount path must be absolute"), 125);
    fails(&mut e, "docker run -v x:data busybox", &run_err("invalid volume specification: 'x:data': invalid mount config for type \"volume\": invalid mount path: 'data' mount path must be absolute"), 125);
    fails(&mut e, "docker run -v x:/ busybox", &run_err("invalid volume specification: 'x:/': invalid mount config for type \"volume\": invalid specification: destination can't be '/'"), 125);
    fails(
        &mut e,
        "docker run -v /data:ro busybox",
        &run_err("invalid volume specification: '/data:ro'"),
        125,
    );
    fails(
        &mut e,
        "docker run -v vol:/data:foo busybox",
        &run_err("invalid mode: foo"),
        125,
    );
    fails(
        &mut e,
        "docker run -v vol:/data:ro,rw busybox",
        &run_err("invalid mode: ro,rw"),
        125,
    );
    fails(
        &mut e,
        "docker run -v aa:/data -v bb:/data busybox",
        &run_err("Duplicate mount point: /data"),
        125,
    );
    fails(
        &mut e,
        "docker run -v aa:/data --mount type=volume,src=bb,dst=/data busybox",
        &run_err("Duplicate mount point: /data"),
        125,
    );
    fails(
        &mut e,
        "docker run -v aa:/run --tmpfs /run busybox",
        &run_err("Duplicate mount point: /run"),
        125,
    );
    fails(
        &mut e,
        "docker run --tmpfs run busybox",
        &run_err("invalid mount path: 'run' mount path must be absolute"),
        125,
    );
    fails(&mut e, "docker run -v 'my vol:/data' busybox", &run_err("create my vol: \"my vol\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"), 125);
    fails(
        &mut e,
        "docker run --volumes-from nosuch busybox",
        &run_err("No such container: nosuch"),
        125,
    );
    fails(&mut e, "docker create -v aa:/data -v bb:/data busybox", "docker: Error response from daemon: Duplicate mount point: /data\n\nRun 'docker create --help' for more information\n", 125);
    fails(
        &mut e,
        "docker run --mount type=bind,src=/srv,dst=/x,bind-propagation=foo busybox",
        &run_err("invalid mount config for type \"bind\": invalid propagation mode: foo"),
        125,
    );
    fails(
        &mut e,
        "docker run -v vol:/d:rshared busybox",
        &run_err("invalid volume specification: 'vol:/d:rshared': invalid mount config for type \"volume\": field BindOptions must not be specified"),
        125,
    );
    fails(
        &mut e,
        "docker run --mount type=bind,src=/srv,dst=/x,volume-nocopy busybox",
        &mount_flag_err(
            "type=bind,src=/srv,dst=/x,volume-nocopy",
            "cannot mix 'volume-*' options with mount type 'bind'",
        ),
        125,
    );
    // Still there, still in use.
    assert_eq!(ok(&mut e, "docker volume ls -q"), "inuse\n");
}

#[test]
fn copy_on_first_mount() {
    let mut e = Engine::sim(0);
    let o = e.execute_next("docker run -d --name web -v html:/usr/share/nginx/html nginx");
    assert_eq!(o.exit_code, 0);
    assert!(o.steps.iter().any(|s| s.action
        == "copied 2 file(s) from the image's /usr/share/nginx/html into volume html (/var/lib/docker/volumes/html/_data)"));
    assert_eq!(
        ok(&mut e, "host ls /var/lib/docker/volumes/html/_data"),
        "50x.html  index.html\n"
    );
    assert_eq!(
        ok(&mut e, "docker exec web ls /usr/share/nginx/html"),
        "50x.html\nindex.html\n"
    );
    let snap = e.snapshot();
    assert_eq!(snap.volumes[0].files, vec!["50x.html", "index.html"]);
    assert_eq!(snap.volumes[0].size, 497 + 615);
    // The data is the volume's: another container sees it anywhere, after `web` is gone.
    ok(&mut e, "docker rm -f web");
    let out = ok(
        &mut e,
        "docker run --rm -v html:/www busybox head -c 15 /www/index.html",
    );
    assert_eq!(out, "<!DOCTYPE html>");
    // A volume that is not empty is not filled again.
    ok(&mut e, "docker volume create mine");
    host_write(
        &mut e,
        "/var/lib/docker/volumes/mine/_data/own.html",
        "mine\n",
    );
    let o = e.execute_next("docker run -d --name web2 -v mine:/usr/share/nginx/html nginx");
    assert!(!o.steps.iter().any(|s| s.action.starts_with("copied")));
    assert_eq!(
        ok(&mut e, "docker exec web2 ls /usr/share/nginx/html"),
        "own.html\n"
    );
    // nocopy: the new volume stays empty.
    ok(
        &mut e,
        "docker run -d --name web3 -v empty:/usr/share/nginx/html:nocopy nginx",
    );
    assert_eq!(ok(&mut e, "docker exec web3 ls /usr/share/nginx/html"), "");
    // An anonymous volume over an image path is filled too.
    ok(
        &mut e,
        "docker run -d --name web4 -v /usr/share/nginx/html nginx",
    );
    assert_eq!(
        ok(&mut e, "docker exec web4 ls /usr/share/nginx/html"),
        "50x.html\nindex.html\n"
    );
}

#[test]
fn data_in_a_volume_outlives_its_container() {
    let mut e = Engine::sim(0);
    ok(&mut e, "docker run --name first -v keep:/data busybox true");
    // What `first` wrote into /data is in the volume's directory on the host.
    host_write(
        &mut e,
        "/var/lib/docker/volumes/keep/_data/notes.txt",
        "remember me\n",
    );
    ok(&mut e, "docker rm -v first");
    assert_eq!(ok(&mut e, "docker volume ls -q"), "keep\n");
    let out = ok(
        &mut e,
        "docker run --rm -v keep:/data busybox cat /data/notes.txt",
    );
    assert_eq!(out, "remember me\n");
    // docker volume rm deletes the data.
    ok(&mut e, "docker volume rm keep");
    assert!(!host_has(&e, "/var/lib/docker/volumes/keep"));
    let out = ok(&mut e, "docker run --rm -v keep:/data busybox ls /data");
    assert_eq!(out, "");
}

#[test]
fn a_file_written_into_a_volume_survives_docker_rm() {
    let mut e = Engine::sim(0);
    let out = ok(
        &mut e,
        "docker run --name writer -v keep:/data busybox sh -c 'echo hi > /data/f; ls /data'",
    );
    assert_eq!(out, "f\n");
    ok(&mut e, "docker rm writer");
    assert_eq!(
        ok(&mut e, "host cat /var/lib/docker/volumes/keep/_data/f"),
        "hi\n"
    );
    assert_eq!(
        ok(&mut e, "docker run --rm -v keep:/data busybox cat /data/f"),
        "hi\n"
    );
    // Read-only: the write is refused and the volume unchanged.
    let o = e.execute_next("docker run --rm -v keep:/data:ro busybox sh -c 'echo x > /data/g'");
    assert_eq!(
        o.stderr(),
        "sh: can't create /data/g: Read-only file system\n"
    );
    assert_eq!(o.exit_code, 2);
    assert!(!host_has(&e, "/var/lib/docker/volumes/keep/_data/g"));
    // A write through a bind mount lands in the host's directory.
    ok(
        &mut e,
        "docker run --rm -v /srv/x:/x debian sh -c 'echo bind > /x/b'",
    );
    assert_eq!(ok(&mut e, "host cat /srv/x/b"), "bind\n");
}

#[test]
fn read_only_root_with_writable_mounts() {
    let mut e = Engine::sim(0);
    ok(&mut e, "docker pull busybox");
    let o = e.execute_next("docker run --name ro --read-only --tmpfs /tmp -v vv:/data busybox sh -c 'echo x > /f; echo y > /tmp/y; echo z > /data/z; cat /tmp/y /data/z; mount | head -1 | cut -d, -f1'");
    assert_eq!(o.stderr(), "sh: can't create /f: Read-only file system\n");
    assert_eq!(o.stdout(), "y\nz\noverlay on / type overlay (ro\n");
    assert_eq!(
        ok(
            &mut e,
            "docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' ro"
        ),
        "true\n"
    );
    assert_eq!(ok(&mut e, "docker diff ro"), "");
}

#[test]
fn the_create_request_carries_the_mounts() {
    let mut e = Engine::sim(0);
    ok(&mut e, "docker pull busybox");
    let o = e.execute_next("docker create -v v1:/data -v /tmp:/host -v /anon --tmpfs /run:size=1m --mount type=bind,src=/tmp,dst=/t2 busybox");
    assert_eq!(o.exit_code, 0);
    let body = o
        .steps
        .iter()
        .filter_map(|s| s.http.as_ref())
        .find(|h| h.path.ends_with("/containers/create"))
        .and_then(|h| h.request.clone())
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["Volumes"], serde_json::json!({"/anon": {}}));
    assert_eq!(
        v["HostConfig"]["Binds"],
        serde_json::json!(["/tmp:/host", "v1:/data"])
    );
    assert_eq!(
        v["HostConfig"]["Tmpfs"],
        serde_json::json!({"/run": "size=1m"})
    );
    assert_eq!(
        v["HostConfig"]["Mounts"],
        serde_json::json!([{"Type": "bind", "Source": "/tmp", "Target": "/t2"}])
    );
}

#[test]
fn anonymous_volumes_go_with_rm_v_and_rm() {
    let mut e = Engine::sim(0);
    ok(&mut e, "docker run --name aa -v /data busybox true");
    let anon = ok(&mut e, "docker volume ls -q");
    let anon = anon.trim().to_string();
    assert!(is_hex64(&anon), "{anon}");
    assert_eq!(
        ok(
            &mut e,
            &format!(
                "docker volume inspect -f '{{{{json .Labels}}}} {{{{json .Options}}}}' {anon}"
            )
        ),
        "{\"com.docker.volume.anonymous\":\"\"} null\n"
    );
    assert!(host_has(
        &e,
        &format!("/var/lib/docker/volumes/{anon}/_data")
    ));
    // In use by a (stopped) container: not dangling, not pruned.
    assert_eq!(ok(&mut e, "docker volume ls -q -f dangling=true"), "");
    assert_eq!(
        ok(&mut e, "docker volume prune -f"),
        "Total reclaimed space: 0B\n"
    );
    // rm without -v keeps it (dangling now); with -v it goes.
    let o = e.execute_next("docker rm aa");
    assert!(o.steps.iter().any(|s| s.action
        == format!(
            "released volume(s) {}…: they stay, with their files",
            &anon[..12]
        )));
    assert_eq!(
        ok(&mut e, "docker volume ls -q -f dangling=true"),
        format!("{anon}\n")
    );
    ok(
        &mut e,
        "docker run --name bb -v /data -v named:/named busybox true",
    );
    let names = ok(&mut e, "docker volume ls -q");
    assert_eq!(names.lines().count(), 3);
    ok(&mut e, "docker rm -v bb");
    // b's anonymous volume is gone, the named one stays; a's is still there.
    let mut want = [anon.clone(), "named".to_string()];
    want.sort();
    let got: BTreeSet<String> = ok(&mut e, "docker volume ls -q")
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(got, want.iter().cloned().collect());
    // --rm removes the anonymous volumes at exit (and keeps named ones).
    ok(
        &mut e,
        "docker run --rm -v /scratch -v named:/named busybox true",
    );
    let got2: BTreeSet<String> = ok(&mut e, "docker volume ls -q")
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(got2, got);
    // prune: anonymous only without -a.
    let o = ok(&mut e, "docker volume prune -f");
    assert_eq!(
        o,
        format!("Deleted Volumes:\n{anon}\n\nTotal reclaimed space: 0B\n")
    );
    assert!(!host_has(&e, &format!("/var/lib/docker/volumes/{anon}")));
    let o = e.execute_next("docker volume prune -a");
    assert_eq!(o.stdout(), "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] \n");
    host_write(&mut e, "/var/lib/docker/volumes/named/_data/x", "12345");
    assert_eq!(
        ok(&mut e, "docker volume prune -af"),
        "Deleted Volumes:\nnamed\n\nTotal reclaimed space: 5B\n"
    );
    assert_eq!(ok(&mut e, "docker volume ls -q"), "");
}

#[test]
fn tmpfs_mounts() {
    let mut e = Engine::sim(0);
    let out = ok(
        &mut e,
        "docker run --name tt --tmpfs /run:size=64m --mount type=tmpfs,target=/cache,tmpfs-size=1m busybox sh -c 'grep tmpfs /proc/mounts; df /run /cache; ls -a /run'",
    );
    assert_eq!(
        out,
        "tmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755 0 0\nshm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0\ntmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0\ntmpfs /cache tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k 0 0\nFilesystem           1K-blocks      Used Available Use% Mounted on\ntmpfs                    65536         0     65536   0% /run\ntmpfs                     1024         0      1024   0% /cache\n.\n..\n"
    );
    let j = ok(
        &mut e,
        "docker inspect -f '{{json .HostConfig.Tmpfs}} {{json .Mounts}}' tt",
    );
    assert_eq!(
        j,
        "{\"/run\":\"size=64m\"} [{\"Type\":\"tmpfs\",\"Source\":\"\",\"Destination\":\"/cache\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"\"}]\n"
    );
    // tmpfs is no volume.
    assert_eq!(ok(&mut e, "docker volume ls -q"), "");
}

#[test]
fn mounts_inside_the_container() {
    let mut e = Engine::sim(0);
    let out = ok(
        &mut e,
        "docker run --rm -v data:/data -v /srv:/var/srv:ro busybox mount",
    );
    assert_eq!(
        out,
        "overlay on / type overlay (rw,relatime,lowerdir=/var/lib/docker/overlay2/".to_string()
            + &out["overlay on / type overlay (rw,relatime,lowerdir=/var/lib/docker/overlay2/".len()..out.find('\n').unwrap() + 1]
            + "proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)\ntmpfs on /dev type tmpfs (rw,nosuid,size=65536k,mode=755)\ndevpts on /dev/pts type devpts (rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666)\nsysfs on /sys type sysfs (ro,nosuid,nodev,noexec,relatime)\ncgroup on /sys/fs/cgroup type cgroup2 (ro,nosuid,nodev,noexec,relatime)\nmqueue on /dev/mqueue type mqueue (rw,nosuid,nodev,noexec,relatime)\nshm on /dev/shm type tmpfs (rw,nosuid,nodev,noexec,relatime,size=65536k)\n/dev/sda1 on /data type ext4 (rw,relatime)\n/dev/sda1 on /var/srv type ext4 (ro,relatime)\n/dev/sda1 on /etc/resolv.conf type ext4 (rw,relatime)\n/dev/sda1 on /etc/hostname type ext4 (rw,relatime)\n/dev/sda1 on /etc/hosts type ext4 (rw,relatime)\n"
    );
    let df = ok(&mut e, "docker run --rm -v data:/data busybox df /data");
    assert_eq!(df, "Filesystem           1K-blocks      Used Available Use% Mounted on\n/dev/sda1             61202244  14631108  43511024  25% /data\n");
    // The mount point shows in its parent even where the image has no such directory.
    let ls = ok(&mut e, "docker run --rm -v data:/data busybox ls /");
    assert!(ls.lines().any(|l| l == "data"), "{ls}");
}

#[test]
fn the_host_sees_the_container_mounts() {
    let mut e = Engine::sim(0);
    ok(
        &mut e,
        "docker run -d --name web -v v1:/data -v /srv:/srv:ro --tmpfs /run busybox sleep 100",
    );
    let pid = ok(&mut e, "docker inspect -f '{{.State.Pid}}' web");
    let out = ok(&mut e, &format!("host findmnt -N {}", pid.trim()));
    let line = |t: &str| {
        out.lines()
            .find(|l| l.contains(&format!("─{t} ")))
            .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert_eq!(line("/data"), "/dev/sda1[/var/lib/docker/volumes/v1/_data] ext4 rw,relatime,discard,errors=remount-ro,commit=30");
    assert_eq!(
        line("/srv"),
        "/dev/sda1[/srv] ext4 ro,relatime,discard,errors=remount-ro,commit=30"
    );
    assert_eq!(line("/run"), "tmpfs tmpfs rw,nosuid,nodev,noexec,relatime");
    assert_eq!(ok(&mut e, "host ls /var/lib/docker/volumes"), "v1\n");
}

#[test]
fn volumes_from_shares_the_mounts() {
    let mut e = Engine::sim(0);
    ok(
        &mut e,
        "docker create --name store -v shared:/shared -v /anon busybox",
    );
    host_write(&mut e, "/var/lib/docker/volumes/shared/_data/f", "x\n");
    let out = ok(&mut e, "docker run --rm --volumes-from store:ro busybox sh -c 'cat /shared/f; grep -e shared -e anon /proc/mounts'");
    assert_eq!(
        out,
        "x\n/dev/sda1 /anon ext4 ro,relatime 0 0\n/dev/sda1 /shared ext4 ro,relatime 0 0\n"
    );
    // --rm of the borrower does not remove store's anonymous volume (store uses it).
    assert_eq!(ok(&mut e, "docker volume ls -q").lines().count(), 2);
}

#[test]
fn inspect_mounts_snapshot() {
    let mut e = Engine::sim(7);
    e.kernel_mut().host_mkdir("/srv/conf").unwrap();
    ok(
        &mut e,
        "docker run -d --name app -v dbdata:/var/lib/mysql -v /srv/conf:/etc/app:ro -v /scratch --mount type=volume,source=logs,target=/var/log/app,volume-nocopy --mount type=bind,source=/srv/conf,target=/conf --tmpfs /run:size=1m busybox sleep 1000",
    );
    let out = ok(
        &mut e,
        "docker inspect -f '{{json .Mounts}}\n{{json .HostConfig.Binds}}\n{{json .HostConfig.Mounts}}\n{{json .HostConfig.Tmpfs}}\n{{json .Config.Volumes}}' app",
    );
    insta::assert_snapshot!(out);
}

// ---------------------------------------------------------------------------------
// Property: no volume in use is removed; a volume's directory exists exactly while it does.
// ---------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Create(u8),
    RmVolume(u8, bool),
    Run {
        name: u8,
        vol: Option<u8>,
        anon: bool,
        rm: bool,
    },
    Rm(u8, bool),
    Prune(bool),
    RunFrom {
        name: u8,
        from: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0u8..4).prop_map(Op::Create),
        2 => (0u8..4, any::<bool>()).prop_map(|(v, f)| Op::RmVolume(v, f)),
        4 => (0u8..4, proptest::option::of(0u8..4), any::<bool>(), any::<bool>())
            .prop_map(|(name, vol, anon, rm)| Op::Run { name, vol, anon, rm }),
        3 => (0u8..4, any::<bool>()).prop_map(|(c, v)| Op::Rm(c, v)),
        1 => any::<bool>().prop_map(Op::Prune),
        1 => (0u8..4, 0u8..4).prop_map(|(name, from)| Op::RunFrom { name, from }),
    ]
}

fn line(op: &Op) -> String {
    match op {
        Op::Create(v) => format!("docker volume create vol{v}"),
        Op::RmVolume(v, f) => format!("docker volume rm {}vol{v}", if *f { "-f " } else { "" }),
        Op::Run {
            name,
            vol,
            anon,
            rm,
        } => {
            let mut s = format!("docker run -d --name c{name}");
            if *rm {
                s.push_str(" --rm");
            }
            if let Some(v) = vol {
                s.push_str(&format!(" -v vol{v}:/data"));
            }
            if *anon {
                s.push_str(" -v /scratch");
            }
            s.push_str(" busybox sleep 3");
            s
        }
        Op::Rm(c, v) => format!("docker rm -f {}c{c}", if *v { "-v " } else { "" }),
        Op::Prune(all) => format!("docker volume prune -f{}", if *all { "a" } else { "" }),
        Op::RunFrom { name, from } => {
            format!("docker run -d --name c{name} --volumes-from c{from} --mount type=volume,target=/m busybox sleep 2")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
    #[test]
    fn no_volume_in_use_is_removed(ops in proptest::collection::vec(op(), 1..20)) {
        let mut e = Engine::sim(1);
        e.execute_next("docker pull busybox");
        for op in &ops {
            e.execute_next(&line(op));
            let vols: BTreeSet<String> = e
                .execute_next("docker volume ls -q")
                .stdout()
                .lines()
                .map(str::to_string)
                .collect();
            // A volume's directory exists exactly while the volume does.
            let dirs: BTreeSet<String> = e
                .kernel()
                .host_fs()
                .entries
                .keys()
                .filter_map(|k| k.strip_prefix("/var/lib/docker/volumes/"))
                .filter_map(|rest| rest.strip_suffix("/_data"))
                .map(str::to_string)
                .collect();
            prop_assert_eq!(&dirs, &vols, "after `{}`", line(op));
            // Every container's volumes exist.
            let ids: Vec<String> = e.containers().map(|c| c.id.clone()).collect();
            for id in &ids {
                let names = e
                    .execute_next(&format!("docker inspect -f '{{{{range .Mounts}}}}{{{{.Name}}}} {{{{end}}}}' {id}"))
                    .stdout();
                for n in names.split_whitespace() {
                    prop_assert!(vols.contains(n), "{} uses {} which is gone after `{}`", id, n, line(op));
                }
            }
        }
    }
}

#[test]
fn a_volume_session() {
    let mut e = Engine::sim(3);
    let out = run_all(
        &mut e,
        &[
            "docker volume create myvolume",
            "docker run -d --name db -v myvolume:/var/lib/mysql mysql",
            "docker volume ls",
            "docker volume rm myvolume",
            "docker rm -f db",
            "docker volume rm myvolume",
            "docker run -v /var/db/tables:/var/data1 --rm debian ls /var/data1",
            "docker run --rm -v /var/db/tables:/var/data1 debian sh -c 'echo 1,alice > /var/data1/users.csv; cat /proc/mounts | grep data1'",
            "host ls -l /var/db/tables",
            "docker run -d --name cache redis",
            "docker volume ls",
            "docker rm -fv cache",
            "docker volume ls",
            "docker volume prune -f",
        ],
    );
    insta::assert_snapshot!(transcript(&out));
}

#[test]
fn mysql_keeps_its_database_in_the_volume() {
    let mut e = Engine::sim(0);
    ok(
        &mut e,
        "docker run -d --name db1 -e MYSQL_ROOT_PASSWORD=pw -v myvolume:/var/lib/mysql mysql",
    );
    let ls = ok(&mut e, "host ls /var/lib/docker/volumes/myvolume/_data");
    assert!(
        ls.contains("ibdata1") && ls.contains("mysql.ibd") && ls.contains("performance_schema"),
        "{ls}"
    );
    let l = ok(&mut e, "docker exec db1 ls -l /var/lib/mysql/ibdata1");
    assert!(l.starts_with("-rw-r----- 1 mysql mysql 12582912 "), "{l}");
    ok(&mut e, "docker rm -f db1");
    // The next server finds a database there and does not initialise a new one.
    e.kernel_mut()
        .host_remove("/var/lib/docker/volumes/myvolume/_data/ibdata1")
        .unwrap();
    ok(
        &mut e,
        "docker run -d --name db2 -e MYSQL_ROOT_PASSWORD=pw -v myvolume:/var/lib/mysql mysql",
    );
    let ls = ok(&mut e, "docker exec db2 ls /var/lib/mysql");
    assert!(ls.contains("mysql.ibd") && !ls.contains("ibdata1"), "{ls}");
    // Without -v, the image's VOLUME gets an anonymous volume that holds the database.
    ok(
        &mut e,
        "docker run -d --name db3 -e MYSQL_ALLOW_EMPTY_PASSWORD=1 mysql",
    );
    let anon = ok(
        &mut e,
        "docker inspect -f '{{range .Mounts}}{{.Source}}{{end}}' db3",
    );
    let ls = ok(&mut e, &format!("host ls {}", anon.trim()));
    assert!(ls.contains("ibdata1"), "{ls}");
}
