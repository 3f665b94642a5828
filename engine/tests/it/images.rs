//! The image store: shared layers pulled once and counted once, `docker system df`,
//! history, inspect's RootFS, tag, rmi and its conflicts, dangling images, prune, and
//! `docker save` / `docker load` round trips with every digest checked.

use crate::{run_all, transcript};
use porthole_engine::archive;
use porthole_engine::image::{sha256, Registry};
use porthole_engine::kernel::Kernel;
use porthole_engine::{Engine, SimKernel};

fn ok(e: &mut Engine<SimKernel>, line: &str) -> String {
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, 0, "`{line}` failed: {}", o.combined());
    o.stdout()
}

/// Runs a command that must fail, checks its stderr and exit code, and that it changed
/// nothing.
fn fails(e: &mut Engine<SimKernel>, line: &str, code: i32, stderr: &str) {
    let before = e.digest();
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, code, "`{line}`: {}", o.combined());
    assert_eq!(o.stderr(), stderr, "`{line}`");
    assert_eq!(e.digest(), before, "`{line}` changed the state");
}

fn image_id(e: &Engine<SimKernel>, tag: &str) -> String {
    e.images()
        .find(|i| i.repo_tags.iter().any(|t| t == tag))
        .map(|i| i.id.clone())
        .unwrap_or_else(|| panic!("no image {tag}"))
}

fn short(id: &str) -> &str {
    &id[7..19]
}

#[test]
fn images_on_the_same_base_share_its_layers() {
    let hub = Registry::docker_hub();
    let nginx = hub.get("library/nginx", "latest").unwrap();
    let redis = hub.get("library/redis", "latest").unwrap();
    // As on Docker Hub, both start from debian:bookworm-slim.
    assert_eq!(nginx.layers[0].diff_id, redis.layers[0].diff_id);
    let mut e = Engine::sim(1);
    let first = ok(&mut e, "docker pull nginx");
    assert!(!first.contains("Already exists"));
    let second = ok(&mut e, "docker pull redis");
    let base = &redis.layers[0].digest[7..19];
    assert!(
        second.contains(&format!("{base}: Already exists\n")),
        "{second}"
    );
    // Only the shared layer is reused; redis's own layers are downloaded.
    assert_eq!(second.matches("Already exists").count(), 1);
    assert_eq!(
        second.matches("Pull complete").count(),
        redis.layers.len() - 1
    );
    // The trace names the reused layer with its digest.
    let o = e.execute_next("docker pull redis:latest");
    assert!(o.stdout().contains("Image is up to date for redis:latest"));

    // system df counts the shared layer once.
    let shared = nginx.layers[0].size;
    let total = nginx.image.size + redis.image.size - shared;
    let df = ok(&mut e, "docker system df --format '{{.Type}} {{.Size}}'");
    let images_line = df.lines().next().unwrap();
    assert_eq!(
        images_line,
        format!(
            "Images {}",
            porthole_engine::format::human_size_prec(total, 4)
        )
    );
    // And `docker images` shows each image's full size, shared layers included.
    let images = ok(&mut e, "docker images --format '{{.Repository}} {{.Size}}'");
    assert!(images.contains(&format!(
        "nginx {}",
        porthole_engine::format::human_size(nginx.image.size)
    )));
}

#[test]
fn system_df_tables_as_the_cli_prints_them() {
    let mut e = Engine::sim(2);
    run_all(
        &mut e,
        &[
            "docker pull -q nginx",
            "docker pull -q redis",
            "docker run -d --name web nginx",
            "docker run --name once busybox sh -c 'echo data > /f'",
        ],
    );
    let df = ok(&mut e, "docker system df");
    let lines: Vec<&str> = df.lines().collect();
    assert_eq!(
        lines[0],
        "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE"
    );
    assert!(lines[1].starts_with("Images          3         2         "));
    assert!(lines[2].starts_with("Containers      2         1         "));
    // The exited container's RW layer (the 5 bytes of /f) is reclaimable.
    assert!(lines[2].ends_with("5B        5B (100%)"), "{}", lines[2]);
    assert_eq!(lines[3], "Local Volumes   0         0         0B        0B");
    assert_eq!(lines[4], "Build Cache     0         0         0B        0B");

    let v = ok(&mut e, "docker system df -v");
    assert!(v.starts_with("Images space usage:\n\nREPOSITORY   TAG       IMAGE ID       CREATED         SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS\n"), "{v}");
    let hub = Registry::docker_hub();
    let nginx = hub.get("library/nginx", "latest").unwrap();
    let shared = porthole_engine::format::human_size_prec(nginx.layers[0].size, 4);
    let unique =
        porthole_engine::format::human_size_prec(nginx.image.size - nginx.layers[0].size, 4);
    let row = v.lines().find(|l| l.starts_with("nginx")).unwrap();
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[cols.len() - 3], shared);
    assert_eq!(cols[cols.len() - 2], unique);
    assert_eq!(cols[cols.len() - 1], "1");
    // busybox shares nothing.
    let row = v.lines().find(|l| l.starts_with("busybox")).unwrap();
    assert!(row.contains(" 0B "), "{row}");
    assert!(v.contains("\nContainers space usage:\n\nCONTAINER ID   IMAGE     COMMAND                  LOCAL VOLUMES   SIZE      CREATED"));
    assert!(v.contains("\nLocal Volumes space usage:\n\nVOLUME NAME   LINKS     SIZE\n"));
    assert!(v.ends_with("\nBuild cache usage: 0B\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n"));
}

#[test]
fn history_lists_the_config_newest_first() {
    let mut e = Engine::sim(3);
    ok(&mut e, "docker pull -q nginx");
    let id = image_id(&e, "nginx:latest");
    let h = ok(&mut e, "docker history nginx");
    let lines: Vec<&str> = h.lines().collect();
    assert_eq!(
        lines[0],
        "IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT"
    );
    assert!(lines[1].starts_with(short(&id)));
    assert!(lines[1].contains("CMD [\"nginx\" \"-g\" \"daemon off;\"]"));
    assert!(lines[2..].iter().all(|l| l.starts_with("<missing>")));
    let img = e.images().find(|i| i.id == id).unwrap().clone();
    assert_eq!(lines.len() - 1, img.history.len());
    // Truncated to 45 characters with an ellipsis.
    assert!(h.contains("RUN /bin/sh -c set -x     && groupadd --syst…"));
    // -q: one ID per entry; --no-trunc: the full ID; -H=false: bytes and dates.
    let q = ok(&mut e, "docker image history -q nginx");
    assert_eq!(q.lines().next(), Some(short(&id)));
    assert_eq!(
        q.lines().filter(|l| *l == "<missing>").count(),
        img.history.len() - 1
    );
    let full = ok(&mut e, "docker history --no-trunc --format '{{.ID}}' nginx");
    assert_eq!(full.lines().next(), Some(id.as_str()));
    let raw = ok(&mut e, "docker history -H=false nginx");
    assert!(raw.starts_with("IMAGE          CREATED AT                  CREATED BY"));
    let hub = Registry::docker_hub();
    let base = hub.get("library/nginx", "latest").unwrap().layers[0].size;
    assert!(
        raw.lines().last().unwrap().contains(&format!(" {base} ")),
        "{raw}"
    );
    assert!(raw.contains("2024-10-02T17:55:35+00:00"));
    fails(
        &mut e,
        "docker history -H=maybe nginx",
        125,
        "invalid argument \"maybe\" for \"-H, --human\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n\nUsage:  docker history [OPTIONS] IMAGE\n\nRun 'docker history --help' for more information\n",
    );
    fails(
        &mut e,
        "docker history nosuch",
        1,
        "Error response from daemon: No such image: nosuch:latest\n",
    );
}

#[test]
fn inspect_diff_ids_are_the_sha256_of_the_layer_tars() {
    let mut e = Engine::sim(4);
    ok(&mut e, "docker pull -q redis");
    let hub = Registry::docker_hub();
    let redis = hub.get("library/redis", "latest").unwrap();
    let want: Vec<String> = redis
        .layers
        .iter()
        .map(|l| sha256(&archive::layer_tar(&l.tree)))
        .collect();
    let layers = ok(
        &mut e,
        "docker image inspect -f '{{json .RootFS.Layers}}' redis",
    );
    assert_eq!(layers.trim(), serde_json::to_string(&want).unwrap());
    let id = ok(&mut e, "docker image inspect -f '{{.Id}}' redis");
    assert_eq!(id.trim(), redis.image.id);
    // The image ID is the sha256 of its config, which carries the whole config.
    let cfg = porthole_engine::image::config_json(&redis.image);
    assert_eq!(sha256(cfg.as_bytes()), redis.image.id);
    assert!(cfg.contains("\"ExposedPorts\":{\"6379/tcp\":{}}"), "{cfg}");
    assert!(cfg.contains("\"Volumes\":{\"/data\":{}}"));
    let size = ok(&mut e, "docker image inspect -f '{{.Size}}' redis");
    assert_eq!(size.trim(), redis.image.size.to_string());
}

#[test]
fn tag_retag_and_dangling_images() {
    let mut e = Engine::sim(5);
    ok(&mut e, "docker pull -q busybox");
    ok(&mut e, "docker pull -q alpine");
    let bb = image_id(&e, "busybox:latest");
    assert_eq!(ok(&mut e, "docker tag busybox app:v1"), "");
    assert_eq!(image_id(&e, "app:v1"), bb);
    // Moving the tag to another image leaves nothing dangling while busybox:latest names it…
    ok(&mut e, "docker tag alpine app:v1");
    assert_eq!(ok(&mut e, "docker images -f dangling=true -q"), "");
    // …but after busybox:latest goes too, the old image has no tag. It keeps its digest
    // reference, so it is listed `busybox <none>`, as Docker lists an outdated pull.
    ok(&mut e, "docker tag alpine busybox");
    let imgs = ok(&mut e, "docker images");
    assert!(
        imgs.contains(&format!("busybox      <none>    {}", short(&bb))),
        "{imgs}"
    );
    assert_eq!(
        ok(&mut e, "docker images -f dangling=true -q"),
        format!("{}\n", short(&bb))
    );
    let listed = ok(&mut e, "docker images --filter reference=app");
    assert!(listed.contains("app          v1 "), "{listed}");
    fails(
        &mut e,
        "docker tag alpine App",
        1,
        "Error parsing reference: \"App\" is not a valid repository/tag: invalid reference format: repository name (library/App) must be lowercase\n",
    );
    fails(
        &mut e,
        "docker tag alpine app:",
        1,
        "Error parsing reference: \"app:\" is not a valid repository/tag: invalid reference format\n",
    );
    fails(
        &mut e,
        "docker tag nosuch app",
        1,
        "Error response from daemon: No such image: nosuch:latest\n",
    );
    fails(
        &mut e,
        "docker tag alpine",
        1,
        "docker: 'docker tag' requires 2 arguments\n\nUsage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nRun 'docker tag --help' for more information\n",
    );
    fails(
        &mut e,
        "docker images -f color=red",
        1,
        "Error response from daemon: invalid filter 'color'\n",
    );
    // Prune removes the dangling image and its layer.
    let p = ok(&mut e, "docker image prune -f");
    // It goes by its remaining digest reference: untagged, then deleted.
    assert!(
        p.starts_with("Deleted Images:\nuntagged: busybox@sha256:"),
        "{p}"
    );
    assert!(
        p.contains(&format!("\ndeleted: {bb}\ndeleted: sha256:")),
        "{p}"
    );
    let hub = Registry::docker_hub();
    let size = hub.get("library/busybox", "latest").unwrap().image.size;
    let want = porthole_engine::format::human_size_prec(size, 4);
    assert!(
        p.ends_with(&format!("\nTotal reclaimed space: {want}\n")),
        "{p}"
    );
    assert_eq!(
        ok(&mut e, "docker image prune -f"),
        "Total reclaimed space: 0B\n"
    );
    assert!(e.images().all(|i| i.id != bb));
}

#[test]
fn rmi_untags_deletes_and_refuses_as_dockerd_does() {
    let mut e = Engine::sim(6);
    run_all(
        &mut e,
        &[
            "docker pull -q nginx",
            "docker pull -q redis",
            "docker run -d --name web nginx",
        ],
    );
    let ng = image_id(&e, "nginx:latest");
    let cid = e.containers().next().unwrap().id.clone();
    fails(
        &mut e,
        "docker rmi nginx",
        1,
        &format!("Error response from daemon: conflict: unable to remove repository reference \"nginx\" (must force) - container {} is using its referenced image {}\n", &cid[..12], short(&ng)),
    );
    fails(
        &mut e,
        &format!("docker rmi {}", short(&ng)),
        1,
        &format!("Error response from daemon: conflict: unable to delete {} (cannot be forced) - image is being used by running container {}\n", short(&ng), &cid[..12]),
    );
    fails(
        &mut e,
        "docker rmi nosuch",
        1,
        "Error response from daemon: No such image: nosuch:latest\n",
    );
    // -f with only "not found" errors: printed, but exit 0.
    let o = e.execute_next("docker rmi -f nosuch");
    assert_eq!(
        (o.exit_code, o.stderr().as_str()),
        (
            0,
            "Error response from daemon: No such image: nosuch:latest\n"
        )
    );
    // Two names: rmi by one only untags.
    ok(&mut e, "docker tag redis cache");
    let rd = image_id(&e, "redis:latest");
    fails(
        &mut e,
        &format!("docker image rm {}", short(&rd)),
        1,
        &format!("Error response from daemon: conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories\n", short(&rd)),
    );
    assert_eq!(ok(&mut e, "docker rmi cache"), "Untagged: cache:latest\n");
    // The last name: untag (tag and digest), delete the image, and the layers only
    // redis uses; the base layer nginx shares stays.
    let out = ok(&mut e, "docker rmi redis");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Untagged: redis:latest");
    assert!(lines[1].starts_with("Untagged: redis@sha256:"));
    assert_eq!(lines[2], format!("Deleted: {rd}"));
    let hub = Registry::docker_hub();
    let redis = hub.get("library/redis", "latest").unwrap();
    let chains = porthole_engine::image::chain_ids(&redis.image.layers);
    let deleted: Vec<String> = lines[3..]
        .iter()
        .map(|l| l.trim_start_matches("Deleted: ").to_string())
        .collect();
    let mut want: Vec<String> = chains[1..].to_vec();
    want.reverse();
    assert_eq!(deleted, want, "top first, the shared base kept");
    // The kernel no longer has them; nginx still runs on its layers.
    // Only nginx's layers are left: the store's size is nginx's.
    let nginx = hub.get("library/nginx", "latest").unwrap();
    let df = ok(&mut e, "docker system df --format '{{.Type}} {{.Size}}'");
    assert_eq!(
        df.lines().next().unwrap(),
        format!(
            "Images {}",
            porthole_engine::format::human_size_prec(nginx.image.size, 4)
        )
    );
    assert_eq!(ok(&mut e, "docker ps -q").trim(), &cid[..12]);
    // -f on a running container's image: the names go, the image stays, dangling.
    let out = ok(&mut e, "docker rmi -f nginx");
    assert!(out.starts_with("Untagged: nginx:latest\nUntagged: nginx@sha256:"));
    assert!(!out.contains("Deleted"));
    assert!(ok(&mut e, "docker images").contains(&format!("<none>       <none>    {}", short(&ng))));
    // Once the container is gone, prune deletes it.
    ok(&mut e, "docker rm -f web");
    let p = ok(&mut e, "docker image prune -f");
    assert!(p.contains(&format!("deleted: {ng}")));
    assert_eq!(e.images().count(), 0);
}

#[test]
fn a_container_holds_the_layers_of_an_image_deleted_under_it() {
    let mut e = Engine::sim(11);
    run_all(
        &mut e,
        &[
            "docker pull -q alpine",
            "docker create --name cc alpine echo hi",
        ],
    );
    let id = image_id(&e, "alpine:latest");
    // Without -f: refused, for the stopped container.
    let cid = e.containers().next().unwrap().id.clone();
    fails(
        &mut e,
        &format!("docker rmi {}", short(&id)),
        1,
        &format!("Error response from daemon: conflict: unable to delete {} (must be forced) - image is being used by stopped container {}\n", short(&id), &cid[..12]),
    );
    let out = ok(&mut e, "docker rmi -f alpine");
    assert!(out.ends_with(&format!("Deleted: {id}\n")), "{out}");
    // The container still starts from the layers it stands on…
    let o = e.execute_next("docker start -a cc");
    assert_eq!(o.stdout(), "hi\n");
    let size = |e: &mut Engine<SimKernel>| {
        ok(e, "docker system df --format '{{.Type}} {{.Size}}'")
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(size(&mut e), "Images 0B");
    // …and they go with it.
    ok(&mut e, "docker rm cc");
    assert_eq!(size(&mut e), "Images 0B");
}

#[test]
fn image_prune_all_keeps_images_in_use() {
    let mut e = Engine::sim(7);
    run_all(
        &mut e,
        &[
            "docker pull -q alpine",
            "docker pull -q busybox",
            "docker create --name cc alpine",
        ],
    );
    let o = e.execute_next("docker image prune -a");
    assert_eq!(o.stdout(), "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] \n");
    assert_eq!(e.images().count(), 2);
    let p = ok(&mut e, "docker image prune -a -f");
    assert!(
        p.starts_with("Deleted Images:\nuntagged: busybox:latest\nuntagged: busybox@sha256:"),
        "{p}"
    );
    assert!(e
        .images()
        .any(|i| i.repo_tags == vec!["alpine:latest".to_string()]));
    fails(
        &mut e,
        "docker image prune -f --filter color=red",
        1,
        "Error response from daemon: invalid filter 'color'\n",
    );
}

#[test]
fn save_and_load_round_trip_through_the_host() {
    let mut e = Engine::sim(8);
    run_all(
        &mut e,
        &["docker pull -q busybox", "docker tag busybox app"],
    );
    let id = image_id(&e, "app:latest");
    fails(
        &mut e,
        "docker save app",
        1,
        "cowardly refusing to save to a terminal. Use the -o flag or redirect\n",
    );
    fails(
        &mut e,
        "docker save -o /root/x.tar nosuch",
        1,
        "Error response from daemon: No such image: nosuch:latest\n",
    );
    assert_eq!(ok(&mut e, "docker save -o /root/app.tar app"), "");
    let bytes = e.kernel().host_read_bytes("/root/app.tar").unwrap();
    // Both layouts, every blob named by its sha256.
    let names: Vec<String> = archive::list(&bytes)
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for f in [
        "index.json",
        "manifest.json",
        "oci-layout",
        "repositories",
        "blobs/sha256/",
    ] {
        assert!(names.iter().any(|n| n == f), "{f} in {names:?}");
    }
    assert!(names.contains(&format!("blobs/sha256/{}", &id[7..])));
    let loaded = archive::read(&bytes).unwrap();
    assert_eq!(loaded[0].id, id);
    assert_eq!(loaded[0].repo_tags, vec!["app:latest"]);
    // Remove it, load it back: same ID, same layers, and it runs.
    ok(&mut e, "docker rmi app busybox");
    assert_eq!(e.images().count(), 0);
    assert_eq!(
        ok(&mut e, "docker load -i /root/app.tar"),
        "Loaded image: app:latest\n"
    );
    assert_eq!(image_id(&e, "app:latest"), id);
    assert_eq!(ok(&mut e, "docker run --rm app echo hi"), "hi\n");
    // Loading it again changes nothing but says so.
    assert_eq!(
        ok(&mut e, "docker load -i /root/app.tar"),
        "Loaded image: app:latest\n"
    );
    // An archive saved by ID carries no tag: it loads by ID, as an untagged image.
    ok(
        &mut e,
        &format!("docker save -o /root/byid.tar {}", short(&id)),
    );
    ok(&mut e, "docker rmi app");
    assert_eq!(
        ok(&mut e, "docker load -i /root/byid.tar"),
        format!("Loaded image ID: {id}\n")
    );
    assert!(ok(&mut e, "docker images").contains(&format!("<none>       <none>    {}", short(&id))));
    // A bare name saves every tag of the repository.
    ok(&mut e, &format!("docker tag {} app:v1", short(&id)));
    ok(&mut e, "docker pull -q alpine");
    ok(&mut e, "docker tag alpine app:v2");
    ok(&mut e, "docker save -o /root/both.tar app");
    let both = archive::read(&e.kernel().host_read_bytes("/root/both.tar").unwrap()).unwrap();
    let mut tags: Vec<String> = both.iter().flat_map(|i| i.repo_tags.clone()).collect();
    tags.sort();
    assert_eq!(tags, vec!["app:v1", "app:v2"]);
    assert_eq!(both.len(), 2);
}

#[test]
fn a_corrupt_or_truncated_archive_changes_nothing() {
    let mut e = Engine::sim(9);
    run_all(
        &mut e,
        &[
            "docker pull -q alpine",
            "docker save -o /root/a.tar alpine",
            "docker rmi alpine",
        ],
    );
    let good = e.kernel().host_read_bytes("/root/a.tar").unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    // Truncated.
    let cut = &text[..text.len() / 2];
    e.kernel_mut().host_write("/root/cut.tar", cut).unwrap();
    fails(
        &mut e,
        "docker load -i /root/cut.tar",
        1,
        "Error response from daemon: unexpected EOF\n",
    );
    // One byte of /etc/os-release changed inside the layer blob.
    let bad = text.replacen("Alpine Linux", "Alpine Linuz", 1);
    assert_ne!(bad, text);
    e.kernel_mut().host_write("/root/bad.tar", &bad).unwrap();
    let o = e.execute_next("docker load -i /root/bad.tar");
    assert_eq!(o.exit_code, 1);
    assert!(
        o.stderr().starts_with(
            "Error response from daemon: invalid diffID for layer 0: expected \"sha256:"
        ),
        "{}",
        o.stderr()
    );
    assert_eq!(e.images().count(), 0);
    // Not a tar at all; a missing file; no -i.
    e.kernel_mut()
        .host_write("/root/junk.tar", "junk\n")
        .unwrap();
    fails(
        &mut e,
        "docker load -i /root/junk.tar",
        1,
        "Error response from daemon: unexpected EOF\n",
    );
    fails(
        &mut e,
        "docker load -i /root/none.tar",
        1,
        "open /root/none.tar: no such file or directory\n",
    );
    fails(
        &mut e,
        "docker load",
        1,
        "requested load from stdin, but stdin is empty\n",
    );
    fails(&mut e, "docker load x", 1, "docker: 'docker load' accepts no arguments\n\nUsage:  docker load [OPTIONS]\n\nRun 'docker load --help' for more information\n");
    // The good one still loads.
    assert_eq!(
        ok(&mut e, "docker load -i /root/a.tar"),
        "Loaded image: alpine:latest\n"
    );
}

#[test]
fn an_image_session() {
    let mut e = Engine::sim(10);
    let out = run_all(
        &mut e,
        &[
            "docker pull -q busybox",
            "docker pull -q alpine",
            "docker tag busybox app",
            "docker images",
            "docker history app",
            "docker rmi busybox",
            "docker save -o /root/app.tar app",
            "docker rmi app",
            "docker load -i /root/app.tar",
            "docker tag alpine app",
            "docker images -a",
            "docker system df",
            "docker image prune -f",
            "docker image ls",
        ],
    );
    insta::assert_snapshot!(transcript(&out));
}

// ---- layer tars against their trees ----------------------------------------------------

use porthole_engine::fs::{Node, NodeKind, Tree, Union};
use proptest::prelude::*;
use std::sync::Arc;

fn node_strategy() -> impl Strategy<Value = Node> {
    prop_oneof![
        (0u32..0o1000).prop_map(Node::dir),
        (0u32..0o1000, "[a-z\n]{0,12}").prop_map(|(m, t)| Node::file(
            m,
            t.len() as u64,
            Some(Arc::from(t))
        )),
        (0u32..0o1000, 0u64..50_000_000).prop_map(|(m, n)| Node::file(m, n, None)),
        "/?[a-z]{1,8}(/[a-z]{1,8}){0,2}".prop_map(|t| Node::symlink(&t)),
        Just(Node {
            kind: NodeKind::Whiteout,
            mode: 0,
            uid: 0,
            gid: 0
        }),
        (0u32..0o1000, 0u32..3).prop_map(|(m, u)| Node {
            kind: NodeKind::Dir { opaque: true },
            mode: m,
            uid: u,
            gid: u
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// A layer's tar read back gives a tree that writes the same bytes (so the same diff
    /// ID), and that looks the same through the union as the original.
    #[test]
    fn layer_tars_round_trip(entries in proptest::collection::btree_map(
        "/(a|b|c)(/(a|b|c|dd|e)){0,3}", node_strategy(), 0..24)) {
        let mut tree = Tree::default();
        for (p, n) in entries {
            // A path under a file, link or whiteout is not a tree a layer can hold.
            let blocked = tree.entries.iter().any(|(q, m)| {
                !matches!(m.kind, NodeKind::Dir { .. }) && p.starts_with(&format!("{q}/"))
            });
            let blocks = !matches!(n.kind, NodeKind::Dir { .. })
                && tree.entries.keys().any(|q| q.starts_with(&format!("{p}/")));
            if !blocked && !blocks {
                tree.insert(&p, n);
            }
        }
        let bytes = archive::layer_tar(&tree);
        let back = archive::read_layer(&bytes).unwrap();
        prop_assert_eq!(archive::layer_tar(&back), bytes);
        let (a, b) = (Union::new(vec![&tree]), Union::new(vec![&back]));
        for p in tree.entries.keys() {
            let (x, y) = (a.lstat(p).map(|f| f.node.clone()), b.lstat(p).map(|f| f.node.clone()));
            prop_assert_eq!(x, y, "{}", p);
        }
    }
}

// ---- the trace ----------------------------------------------------------------------------

fn steps_of(e: &mut Engine<SimKernel>, line: &str) -> String {
    let o = e.execute_next(line);
    assert_eq!(o.exit_code, 0, "{}", o.combined());
    o.steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{:>2}. {s}\n", i + 1))
        .collect()
}

#[test]
fn the_trace_names_each_layer_moved_reused_or_removed() {
    let mut e = Engine::sim(12);
    ok(&mut e, "docker pull -q nginx");
    let mut t = String::new();
    for line in [
        "docker pull -q redis",
        "docker rmi redis",
        "docker save -o /root/nginx.tar nginx",
        "docker rmi nginx",
        "docker load -i /root/nginx.tar",
    ] {
        t.push_str(&format!("$ {line}\n{}", steps_of(&mut e, line)));
    }
    // Reuse, download, unpack, release and load each name a digest and a size.
    assert!(t.contains("already exists ("), "{t}");
    assert!(t.contains("[kernel] removed layer sha256:"));
    assert!(t.contains("[dockerd] kept layer "));
    assert!(t.contains("[kernel] loaded layer sha256:"));
    insta::assert_snapshot!(t);
}
