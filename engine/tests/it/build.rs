//! `docker commit`, `docker build` (the classic builder) and registries: push, pull
//! back, login/logout.

use crate::transcript;
use porthole_engine::{CommandOutcome, Component, Engine, SimKernel};

fn host() -> Engine<SimKernel> {
    let mut e = Engine::sim(0);
    for img in ["busybox", "alpine"] {
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

fn put(e: &mut Engine<SimKernel>, path: &str, text: &str) {
    e.host_put_file(path, text.as_bytes()).unwrap();
}

fn image_count(e: &Engine<SimKernel>) -> usize {
    e.images().count()
}

fn image_by_tag<'a>(e: &'a Engine<SimKernel>, tag: &str) -> &'a porthole_engine::image::Image {
    e.images()
        .find(|i| i.repo_tags.iter().any(|t| t == tag))
        .unwrap_or_else(|| panic!("no image tagged {tag}"))
}

const APP_DOCKERFILE: &str = "# the app\nFROM busybox\nENV APP=/app\nWORKDIR $APP\nCOPY app.py .\nRUN echo built > /built.txt && \\\n    cat app.py\nEXPOSE 8000\nCMD [\"cat\", \"/app/app.py\"]\n";

fn app_context(e: &mut Engine<SimKernel>) {
    put(e, "/root/app/Dockerfile", APP_DOCKERFILE);
    put(e, "/root/app/app.py", "print('hi')\n");
    put(e, "/root/app/.dockerignore", "*.log\n");
    put(e, "/root/app/debug.log", "noise\n");
}

/// The legacy builder's notice, as the docker CLI 28 prints it without buildx.
const NOTICE: &str = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            Install the buildx component to build images with BuildKit:\n            https://docs.docker.com/go/buildx/\n\n";

#[test]
fn commit_turns_the_rw_layer_into_a_layer_on_top() {
    let mut e = host();
    ok(
        &mut e,
        "docker run --name c1 busybox sh -c 'echo hi > /f; rm /bin/ls'",
    );
    let busybox_layers = image_by_tag(&e, "busybox:latest").layers.clone();
    let busybox_history = image_by_tag(&e, "busybox:latest").history.len();
    let o = ok(&mut e, "docker commit -m 'add f' c1 img:v1");
    let id = o.stdout().trim().to_string();
    assert!(
        id.starts_with("sha256:")
            && id.len() == 71
            && id[7..].bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );
    let img = image_by_tag(&e, "img:v1").clone();
    assert_eq!(img.id, id);
    assert_eq!(img.layers.len(), busybox_layers.len() + 1);
    assert_eq!(&img.layers[..busybox_layers.len()], &busybox_layers[..]);
    assert_eq!(img.history.len(), busybox_history + 1);
    let h = img.history.last().unwrap();
    assert_eq!(h.comment, "add f");
    assert!(!h.empty_layer);
    assert_eq!(h.created_by, "sh -c echo hi > /f; rm /bin/ls");
    // The new image runs and shows the file; the whiteout hides /bin/ls.
    assert_eq!(ok(&mut e, "docker run --rm img:v1 cat /f").stdout(), "hi\n");
    let o = run(&mut e, "docker run --rm img:v1 ls /bin/ls");
    assert_ne!(o.exit_code, 0);
    // The trace names the layer read and the image committed.
    let o = ok(&mut e, "docker commit c1 img:v2");
    assert!(o
        .steps
        .iter()
        .any(|s| s.component == Component::Dockerd && s.action.contains("diff ID sha256:")));
    // -c applies Dockerfile instructions to the config.
    ok(
        &mut e,
        "docker commit -c 'CMD [\"cat\", \"/f\"]' -c 'ENV MODE=prod' c1 img:cmd",
    );
    assert_eq!(ok(&mut e, "docker run --rm img:cmd").stdout(), "hi\n");
    assert!(image_by_tag(&e, "img:cmd")
        .config
        .env
        .contains(&"MODE=prod".to_string()));
}

#[test]
fn commit_retag_leaves_the_old_image_dangling() {
    let mut e = host();
    ok(&mut e, "docker run --name c1 busybox sh -c 'echo 1 > /f'");
    let first = ok(&mut e, "docker commit c1 img")
        .stdout()
        .trim()
        .to_string();
    ok(&mut e, "docker run --name c2 busybox sh -c 'echo 2 > /f'");
    let second = ok(&mut e, "docker commit c2 img")
        .stdout()
        .trim()
        .to_string();
    assert_ne!(first, second);
    let old = e.images().find(|i| i.id == first).unwrap();
    assert!(old.repo_tags.is_empty());
    let out = ok(&mut e, "docker images").stdout();
    assert!(
        out.contains(&format!("<none>       <none>    {}", &first[7..19])),
        "{out}"
    );
    assert_eq!(ok(&mut e, "docker run --rm img cat /f").stdout(), "2\n");
}

#[test]
fn commit_errors_change_nothing() {
    let mut e = host();
    ok(&mut e, "docker run --name c1 busybox true");
    let before = e.digest();
    for (line, want) in [
        (
            "docker commit nope",
            "Error response from daemon: No such container: nope\n",
        ),
        (
            "docker commit c1 Bad",
            "invalid reference format: repository name (library/Bad) must be lowercase\n",
        ),
        (
            "docker commit -c 'FROM busybox' c1",
            "Error response from daemon: FROM is not a valid change command\n",
        ),
        (
            "docker commit -c 'RUNN x' c1",
            "Error response from daemon: dockerfile parse error on line 1: unknown instruction: RUNN (did you mean RUN?)\n",
        ),
    ] {
        let o = run(&mut e, line);
        assert_eq!(o.exit_code, 1, "{line}");
        assert_eq!(o.stderr(), want, "{line}");
    }
    assert_eq!(e.digest(), before);
    let o = run(&mut e, "docker commit");
    assert_eq!(o.exit_code, 1);
    assert!(o
        .stderr()
        .starts_with("docker: 'docker commit' requires at least 1 and at most 2 arguments"));
}

#[test]
fn build_output_is_the_classic_builders() {
    let mut e = host();
    app_context(&mut e);
    let o = ok(&mut e, "docker build -t app /root/app");
    assert!(o.stderr().starts_with(NOTICE), "{}", o.stderr());
    let out = o.stdout();
    // Dockerfile, app.py and .dockerignore: three 512-byte headers and blocks, + 1024.
    assert!(
        out.starts_with(
            "Sending build context to Docker daemon  4.096kB\r\r\nStep 1/7 : FROM busybox\n ---> "
        ),
        "{out}"
    );
    assert!(out.contains("Step 2/7 : ENV APP=/app\n ---> Running in "));
    assert!(out.contains(" ---> Removed intermediate container "));
    assert!(out.contains("Step 4/7 : COPY app.py .\n ---> "));
    assert!(
        out.contains("Step 5/7 : RUN echo built > /built.txt &&     cat app.py\n ---> Running in ")
    );
    // The RUN's output is in the build's.
    assert!(out.contains("print('hi')\n ---> Removed intermediate container"));
    let img = image_by_tag(&e, "app:latest").clone();
    assert!(out.ends_with(&format!(
        "Successfully built {}\nSuccessfully tagged app:latest\n",
        &img.id[7..19]
    )));
    // Layers: busybox's, WORKDIR's mkdir, COPY's, RUN's; metadata steps are empty.
    let base = image_by_tag(&e, "busybox:latest").clone();
    assert_eq!(img.layers.len(), base.layers.len() + 3);
    let new: Vec<_> = img.history[base.history.len()..].iter().collect();
    let empties: Vec<bool> = new.iter().map(|h| h.empty_layer).collect();
    assert_eq!(empties, [true, false, false, false, true, true]);
    assert_eq!(new[0].created_by, "/bin/sh -c #(nop)  ENV APP=/app");
    assert_eq!(new[1].created_by, "/bin/sh -c #(nop) WORKDIR /app");
    assert!(new[2]
        .created_by
        .starts_with("/bin/sh -c #(nop) COPY file:"));
    assert!(new[2].created_by.ends_with(" in . "));
    assert_eq!(
        new[3].created_by,
        "/bin/sh -c echo built > /built.txt &&     cat app.py"
    );
    assert_eq!(
        new[5].created_by,
        "/bin/sh -c #(nop)  CMD [\"cat\" \"/app/app.py\"]"
    );
    assert_eq!(img.config.working_dir, "/app");
    assert_eq!(img.config.exposed_ports, ["8000/tcp"]);
    assert_eq!(ok(&mut e, "docker run --rm app").stdout(), "print('hi')\n");
    assert_eq!(
        ok(&mut e, "docker run --rm app cat /built.txt").stdout(),
        "built\n"
    );
    // No build container is left; intermediate images are hidden from `docker images`.
    assert_eq!(ok(&mut e, "docker ps -aq").stdout(), "");
    let images = ok(&mut e, "docker images").stdout();
    assert!(!images.contains("<none>"), "{images}");
    assert!(ok(&mut e, "docker images -a").stdout().contains("<none>"));
    // The trace names the layers it created.
    assert!(o
        .steps
        .iter()
        .any(|s| s.component == Component::Kernel && s.action.contains("stored the new layer")));
}

#[test]
fn build_transcript() {
    let mut e = host();
    app_context(&mut e);
    let outs = vec![
        run(&mut e, "docker build -t app /root/app"),
        run(&mut e, "docker build -t app /root/app"),
    ];
    insta::assert_snapshot!(transcript(&outs).replace('\r', "\\r"));
}

#[test]
fn cache_is_reused_until_a_copied_file_changes() {
    let mut e = host();
    app_context(&mut e);
    let first = ok(&mut e, "docker build -t app /root/app").stdout();
    let second = ok(&mut e, "docker build -t app /root/app").stdout();
    // Every step after FROM: Using cache, and the same image.
    assert_eq!(second.matches(" ---> Using cache\n").count(), 6);
    assert!(!second.contains("Running in"));
    let tail = |s: &str| s.lines().rev().nth(1).unwrap_or("").to_string();
    assert_eq!(tail(&first), tail(&second));
    // A changed debug.log is ignored (.dockerignore): still all cached.
    put(&mut e, "/root/app/debug.log", "other\n");
    let third = ok(&mut e, "docker build -t app /root/app").stdout();
    assert_eq!(third.matches(" ---> Using cache\n").count(), 6);
    // Changing app.py invalidates COPY and everything after it.
    let old = image_by_tag(&e, "app:latest").id.clone();
    put(&mut e, "/root/app/app.py", "print('bye')\n");
    let fourth = ok(&mut e, "docker build -t app /root/app").stdout();
    let steps: Vec<&str> = fourth.split("Step ").skip(1).collect();
    let cached: Vec<bool> = steps.iter().map(|s| s.contains("Using cache")).collect();
    assert_eq!(cached, [false, true, true, false, false, false, false]);
    assert_eq!(ok(&mut e, "docker run --rm app").stdout(), "print('bye')\n");
    // The old app:latest lost its tag: dangling.
    let prev = e.images().find(|i| i.id == old).unwrap();
    assert!(prev.repo_tags.is_empty());
    // --no-cache runs everything again.
    let fifth = ok(&mut e, "docker build --no-cache -t app /root/app").stdout();
    assert!(!fifth.contains("Using cache"));
}

#[test]
fn multi_stage_build_args_and_quiet() {
    let mut e = host();
    put(
        &mut e,
        "/root/ms/Dockerfile",
        "FROM busybox AS build\nARG GREETING=hello\nRUN echo \"$GREETING from build\" > /out.txt\nFROM alpine\nCOPY --from=build /out.txt /srv/\nCOPY --from=0 /out.txt /srv/again.txt\nUSER nobody\nLABEL a=b c=\"d e\"\nENTRYPOINT [\"cat\"]\nCMD [\"/srv/out.txt\"]\n",
    );
    let o = ok(
        &mut e,
        "docker build -t ms --build-arg GREETING=hey --build-arg UNUSED=1 /root/ms",
    );
    assert!(o.stdout().contains("Step 4/10 : FROM alpine\n"));
    assert!(o
        .stdout()
        .contains("[Warning] One or more build-args [UNUSED] were not consumed\n"));
    assert_eq!(
        ok(&mut e, "docker run --rm ms").stdout(),
        "hey from build\n"
    );
    assert_eq!(
        ok(&mut e, "docker run --rm ms /srv/again.txt").stdout(),
        "hey from build\n"
    );
    let img = image_by_tag(&e, "ms:latest");
    assert_eq!(img.config.user, "nobody");
    assert_eq!(img.config.labels.get("c").map(String::as_str), Some("d e"));
    assert_eq!(
        img.config.entrypoint.as_deref(),
        Some(&["cat".to_string()][..])
    );
    // The RUN's history carries the build arg, as the classic builder records it.
    let first_stage = e.images().find(|i| {
        i.repo_tags.is_empty()
            && i.history
                .iter()
                .any(|h| h.created_by.starts_with("|1 GREETING=hey"))
    });
    assert!(first_stage.is_some());
    // -q: only the image ID.
    let q = ok(&mut e, "docker build -q --build-arg GREETING=hey /root/ms");
    assert!(q.stdout().starts_with("sha256:") && q.stdout().len() == 72);
    assert_eq!(q.stdout().trim(), image_by_tag(&e, "ms:latest").id);
}

#[test]
fn build_errors() {
    let mut e = host();
    put(
        &mut e,
        "/root/bad/Dockerfile",
        "FROM busybox\nCOPY . /app\nRUNN echo\n",
    );
    put(
        &mut e,
        "/root/fail/Dockerfile",
        "FROM busybox\nRUN echo one\nRUN false\nRUN echo never\n",
    );
    put(
        &mut e,
        "/root/miss/Dockerfile",
        "FROM busybox\nCOPY app.py /app/\n",
    );
    put(&mut e, "/root/empty/Dockerfile", "");
    put(&mut e, "/root/comments/Dockerfile", "\n# nothing\n");
    put(&mut e, "/root/nodf/app.py", "x\n");
    let images = image_count(&e);
    let before = e.digest();

    let o = run(&mut e, "docker build /root/bad");
    assert_eq!(o.exit_code, 1);
    assert_eq!(
        o.stderr(),
        format!("{NOTICE}Error response from daemon: dockerfile parse error on line 3: unknown instruction: RUNN (did you mean RUN?)\n")
    );
    assert_eq!(e.digest(), before, "a parse error changes nothing");

    let o = run(&mut e, "docker build /root/empty");
    assert_eq!(o.exit_code, 1);
    assert!(o
        .stderr()
        .ends_with("Error response from daemon: the Dockerfile (Dockerfile) cannot be empty\n"));
    let o = run(&mut e, "docker build /root/comments");
    assert_eq!(o.exit_code, 1);
    assert!(o.stderr().ends_with(
        "Error response from daemon: failed to parse Dockerfile: file with no instructions\n"
    ));

    let o = run(&mut e, "docker build /root/nodf");
    assert_eq!(o.exit_code, 1);
    assert!(o.stderr().ends_with("unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat /root/nodf/Dockerfile: no such file or directory\n"));
    let o = run(&mut e, "docker build /root/nothere");
    assert_eq!(o.exit_code, 1);
    assert!(o
        .stderr()
        .ends_with("unable to prepare context: path \"/root/nothere\" not found\n"));
    assert_eq!(e.digest(), before);

    let o = run(&mut e, "docker build /root/miss");
    assert_eq!(o.exit_code, 1);
    assert!(o.stderr().ends_with("COPY failed: file not found in build context or excluded by .dockerignore: stat app.py: file does not exist\n"), "{}", o.stderr());
    assert_eq!(image_count(&e), images);

    let o = run(&mut e, "docker build -t f /root/fail");
    assert_eq!(o.exit_code, 1);
    assert!(o
        .stdout()
        .contains("Step 3/4 : RUN false\n ---> Running in "));
    assert!(!o.stdout().contains("Step 4/4"));
    assert!(o
        .stderr()
        .ends_with("The command '/bin/sh -c false' returned a non-zero code: 1\n"));
    // As in Docker: the successful step's image stays cached, the failed container
    // stays (exited), no tag.
    assert_eq!(image_count(&e), images + 1);
    let ps = ok(&mut e, "docker ps -a").stdout();
    assert!(
        ps.contains("\"/bin/sh -c false\"") && ps.contains("Exited (1)"),
        "{ps}"
    );
    assert!(!ok(&mut e, "docker images").stdout().contains("\nf "));
    // The exit code is the command's.
    put(
        &mut e,
        "/root/fail/Dockerfile",
        "FROM busybox\nRUN echo one\nRUN exit 3\n",
    );
    let o = run(&mut e, "docker build /root/fail");
    assert_eq!(o.exit_code, 3);
    assert!(o.stdout().contains(" ---> Using cache\n"));
}

#[test]
fn build_context_honours_dockerignore() {
    let mut e = host();
    put(
        &mut e,
        "/root/ig/Dockerfile",
        "FROM busybox\nCOPY . /src/\nCMD [\"ls\", \"/src\"]\n",
    );
    put(
        &mut e,
        "/root/ig/.dockerignore",
        "node_modules\n*.log\n!keep.log\n",
    );
    put(&mut e, "/root/ig/main.c", "int main(){}\n");
    put(&mut e, "/root/ig/a.log", "x\n");
    put(&mut e, "/root/ig/keep.log", "y\n");
    put(&mut e, "/root/ig/node_modules/m/index.js", "z\n");
    ok(&mut e, "docker build -t ig /root/ig");
    let ls = ok(&mut e, "docker run --rm ig").stdout();
    assert!(ls.contains("main.c") && ls.contains("keep.log") && ls.contains("Dockerfile"));
    assert!(
        !ls.contains("a.log") && !ls.contains("node_modules"),
        "{ls}"
    );
}

/// The seeds' registry lesson: run a registry, push, push again, pull back.
#[test]
fn push_to_a_private_registry_and_pull_back() {
    let mut e = host();
    app_context(&mut e);
    ok(&mut e, "docker build -q -t localhost:5000/app /root/app");
    let before = e.digest();
    let o = run(&mut e, "docker push localhost:5000/app");
    assert_eq!(o.exit_code, 1);
    assert_eq!(
        o.stdout(),
        "Using default tag: latest\nThe push refers to repository [localhost:5000/app]\n"
    );
    assert_eq!(
        o.stderr(),
        "Get \"http://localhost:5000/v2/\": dial tcp [::1]:5000: connect: connection refused\n"
    );
    assert_eq!(e.digest(), before);

    ok(
        &mut e,
        "docker run -d -p 5000:5000 --name registry registry:2",
    );
    let logs = ok(&mut e, "docker logs registry").combined();
    assert!(logs.contains("msg=\"listening on [::]:5000\""));
    let o = ok(&mut e, "docker push localhost:5000/app");
    let out = o.stdout();
    let layers = image_by_tag(&e, "localhost:5000/app:latest").layers.len();
    assert_eq!(out.matches(": Preparing\n").count(), layers);
    assert_eq!(out.matches(": Pushed\n").count(), layers);
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("latest: digest: sha256:") && last.contains(" size: "),
        "{out}"
    );
    let digest = last.split(' ').nth(2).unwrap().to_string();
    assert!(o
        .steps
        .iter()
        .any(|s| s.component == Component::Registry && s.action.contains("uploaded layer")));
    // The blobs are in the registry's volume on the host.
    let vols = ok(&mut e, "host ls /var/lib/docker/volumes").stdout();
    assert!(!vols.trim().is_empty());

    let again = ok(&mut e, "docker push localhost:5000/app").stdout();
    assert_eq!(again.matches(": Layer already exists\n").count(), layers);
    assert!(again.ends_with(&format!(
        "latest: digest: {digest} size: {}\n",
        last.rsplit(' ').next().unwrap()
    )));

    // Another repository on the same base: the shared layers are mounted, not sent.
    ok(&mut e, "docker run --name c1 busybox sh -c 'echo x > /x'");
    ok(&mut e, "docker commit c1 localhost:5000/other");
    let other = ok(&mut e, "docker push localhost:5000/other").stdout();
    assert!(other.contains(": Mounted from app\n"), "{other}");
    assert_eq!(other.matches(": Pushed\n").count(), 1);

    // Pulling it back reuses the local layers.
    let pull = ok(&mut e, "docker pull localhost:5000/app").stdout();
    assert_eq!(pull.matches(": Already exists\n").count(), layers);
    assert!(pull.contains(&format!("Digest: {digest}\n")));
    assert!(image_by_tag(&e, "localhost:5000/app:latest")
        .repo_digests
        .contains(&format!("localhost:5000/app@{digest}")));

    // login / logout are accepted.
    let o = ok(&mut e, "docker login localhost:5000 -u x -p y");
    assert_eq!(o.stdout(), "Login Succeeded\n");
    assert!(o
        .stderr()
        .starts_with("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"));
    assert!(ok(&mut e, "host cat /root/.docker/config.json")
        .stdout()
        .contains("localhost:5000"));
    assert_eq!(
        ok(&mut e, "docker logout localhost:5000").stdout(),
        "Removing login credentials for localhost:5000\n"
    );

    // A new registry container (the old one removed with its volume) starts empty.
    ok(&mut e, "docker rm -f -v registry");
    ok(
        &mut e,
        "docker run -d -p 5000:5000 --name registry registry:2",
    );
    let fresh = ok(&mut e, "docker push localhost:5000/app").stdout();
    assert_eq!(fresh.matches(": Pushed\n").count(), layers, "{fresh}");
}

#[test]
fn push_errors() {
    let mut e = host();
    ok(&mut e, "docker run --name c1 busybox true");
    ok(&mut e, "docker commit c1 myapp");
    let o = run(&mut e, "docker push myapp");
    assert_eq!(o.exit_code, 1);
    assert!(o.stdout().starts_with(
        "Using default tag: latest\nThe push refers to repository [docker.io/library/myapp]\n"
    ));
    assert!(o.stdout().contains(": Preparing\n"));
    assert_eq!(
        o.stderr(),
        "denied: requested access to the resource is denied\n"
    );
    let o = run(&mut e, "docker push localhost:5000/nope");
    assert_eq!(o.exit_code, 1);
    assert_eq!(
        o.stderr(),
        "An image does not exist locally with the tag: localhost:5000/nope\n"
    );
    let o = run(&mut e, "docker login localhost:5000 -u x -p y");
    assert_eq!(o.exit_code, 1);
    assert!(o.stderr().ends_with("Error response from daemon: Get \"http://localhost:5000/v2/\": dial tcp [::1]:5000: connect: connection refused\n"));
}

#[test]
fn builds_are_deterministic() {
    let session = |seed| {
        let mut e = Engine::sim(seed);
        app_context(&mut e);
        for l in [
            "docker build -t app /root/app",
            "docker run -d -p 5000:5000 --name registry registry:2",
            "docker build -t localhost:5000/app /root/app",
            "docker push localhost:5000/app",
        ] {
            ok(&mut e, l);
        }
        e.digest()
    };
    assert_eq!(session(7), session(7));
}
