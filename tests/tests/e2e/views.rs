//! The teaching views in headless Chromium: type a lesson's commands, step through a
//! `docker run`, and check that each view (architecture, layers, namespaces, network,
//! cgroups, inspect) shows the right thing at the right step; then open the session's
//! link and find the same state. Saves a screenshot of each view under
//! `target/screenshots/` (copied to docs/screenshots/ for the README).
//!
//! The DOM contract, beyond main.rs's: `#step-component` (the current step's component),
//! `button#step-play`, `input#step-scrubber`; tabs `button#tab-<view>` and panels
//! `#view-<view>`; `.arch-node[data-component].lit`, `#arch-request`, `#arch-status`;
//! `#steps li.current .step-changes` (`+ container …`); `#layers-empty`, `#rw-layer` (`.changed` at the step that makes it), `#layer-stack li.volume[data-target]`,
//! `#merged-tree li[data-path][data-source]`; `.ns-lane[data-kind] .ns-box[data-owner]`
//! (`.shared`, `.host`) with `li.ns-proc[data-host-pid][data-ns-pid][data-container]`;
//! `#net-graph .net-container[data-container][data-ip]`, `.net-port[data-port]`,
//! `#volumes tr.volume-row[data-name] .volume-used`; `#cg-tree li.cg-node[data-container]
//! [data-oom-kills]`, `#cg-plot .oom-mark[data-container]`; `#inspect-json[data-name]`;
//! `input#session-link`.

use super::harness::{Browser, Context, Result};
use super::{at_last_step, ensure, open, run, steps, within_limit};
use serde_json::Value;
use std::time::Duration;

/// Reads the views in one round trip.
const VIEWS: &str = r#"
const q = (s, root) => (root || document).querySelector(s);
const all = (s, root) => [...(root || document).querySelectorAll(s)];
const text = (s, root) => { const e = q(s, root); return e ? e.textContent : null; };
const attr = (e, a) => e.getAttribute(a);
return {
  counter: text('#step-counter'),
  component: text('#step-component'),
  playing: q('#step-play') ? attr(q('#step-play'), 'aria-pressed') : null,
  shown: all('.view').filter(v => !v.hidden).map(v => v.id),
  lit: all('.arch-node.lit').map(n => attr(n, 'data-component')),
  request: text('#arch-request'),
  status: text('#arch-status'),
  layersEmpty: !!q('#layers-empty'),
  rw: q('#rw-layer') ? attr(q('#rw-layer'), 'data-files') : null,
  rwChanged: !!q('#rw-layer.changed'),
  changes: text('#steps li.current .step-changes'),
  rwFiles: all('#rw-layer .rw-files li[data-path]').map(l => [attr(l, 'data-path'), l.className]),
  layersOf: q('.layers-view') ? attr(q('.layers-view'), 'data-container') : null,
  volumeMounts: all('#layer-stack li.volume').map(l => attr(l, 'data-target')),
  tree: all('#merged-tree li[data-path]').map(l => [attr(l, 'data-path'), attr(l, 'data-source')]),
  ns: all('.ns-lane').map(l => ({
    kind: attr(l, 'data-kind'),
    boxes: all('.ns-box', l).map(b => ({
      owner: attr(b, 'data-owner'),
      shared: b.classList.contains('shared'),
      host: b.classList.contains('host'),
      procs: all('li.ns-proc', b).map(p => ({
        host: attr(p, 'data-host-pid'), ns: attr(p, 'data-ns-pid'), container: attr(p, 'data-container'),
      })),
    })),
  })),
  net: all('#net-graph .net-container').map(c => [attr(c, 'data-container'), attr(c, 'data-ip')]),
  ports: all('#net-graph .net-port').map(p => attr(p, 'data-port')),
  volumes: all('#volumes tr.volume-row').map(r => [attr(r, 'data-name'), text('.volume-used', r)]),
  cgroups: all('#cg-tree li.cg-node').map(c => [attr(c, 'data-container'), attr(c, 'data-oom-kills')]),
  oom: all('#cg-plot .oom-mark').map(m => attr(m, 'data-container')),
  cpuSeries: all('#cg-cpu-plot .series').map(g => attr(g, 'data-container')),
  inspect: q('#inspect-json') ? attr(q('#inspect-json'), 'data-name') : null,
  inspectText: text('#inspect-json'),
  link: q('#session-link') ? q('#session-link').value : null,
  lines: all('#terminal-output .cmd-line').map(l => l.textContent),
  containers: all('#containers tr.container-row').map(r => [attr(r, 'data-name'), attr(r, 'data-status')]),
};
"#;

async fn views(b: &Browser) -> Result<Value> {
    b.client
        .execute(VIEWS, vec![])
        .await
        .context("reading the views")
}

/// Polls the views until `check` holds.
async fn wait_views<T>(b: &Browser, what: &str, check: impl Fn(&Value) -> Option<T>) -> Result<T> {
    let deadline = std::time::Instant::now() + super::harness::TIMEOUT;
    loop {
        let v = views(b).await?;
        if let Some(t) = check(&v) {
            return Ok(t);
        }
        if std::time::Instant::now() > deadline {
            return Err(format!(
                "timed out waiting for {what}; the views showed:\n{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Goes to step `index` (0-based) by clicking it in the step list.
async fn go_to(b: &Browser, index: usize, total: usize) -> Result<()> {
    b.click(&format!("#steps li.step:nth-child({})", index + 1))
        .await?;
    let want = format!("Step {} of {total}", index + 1);
    wait_views(b, &want, |v| {
        (v["counter"].as_str().map(str::trim) == Some(want.as_str())).then_some(())
    })
    .await
}

async fn show(b: &Browser, view: &str) -> Result<()> {
    b.click(&format!("button#tab-{view}")).await?;
    let id = format!("view-{view}");
    wait_views(b, &format!("#{id} shown"), |v| {
        (v["shown"].as_array()?.first()?.as_str()? == id).then_some(())
    })
    .await
}

async fn screenshot(b: &Browser, name: &str) -> Result<()> {
    let dir = porthole_tests::target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).context(format!("creating {}", dir.display()))?;
    let png = b.client.screenshot().await.context("taking a screenshot")?;
    std::fs::write(dir.join(name), png).context(format!("writing {name}"))
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The pid lane's box owned by `owner`.
fn ns_box<'a>(v: &'a Value, kind: &str, owner: &str) -> Option<&'a Value> {
    v["ns"].as_array()?.iter().find(|l| l["kind"] == kind)?["boxes"]
        .as_array()?
        .iter()
        .find(|b| b["owner"] == owner)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_view_shows_the_right_thing_at_the_right_step() {
    let b = Browser::start().await.unwrap_or_else(|e| panic!("{e}"));
    let outcome = within_limit(each_view(&b)).await;
    b.finish(outcome, Some("e2e-views.png")).await;
}

async fn each_view(b: &Browser) -> Result<()> {
    open(b).await?;
    // A 1280×720 viewport (the window is bigger by its frame, if it has one).
    let frame = b
        .client
        .execute(
            "return [outerWidth - innerWidth, outerHeight - innerHeight];",
            vec![],
        )
        .await
        .context("reading the window's frame")?;
    let extra = |i: usize| frame[i].as_u64().unwrap_or(0) as u32;
    b.client
        .set_window_size(1280 + extra(0), 720 + extra(1))
        .await
        .context("sizing the viewport to 1280×720")?;
    run(b, "docker run -d --name web -p 8080:80 -v data:/data nginx").await?;
    let all = steps(&at_last_step(b).await?);
    let total = all.len();
    let find = |what: &str, f: &dyn Fn(&super::Step) -> bool| {
        all.iter()
            .position(f)
            .ok_or_else(|| format!("no step {what} among {all:#?}"))
    };
    let create_api = find("POST …/containers/create → 404", &|s| {
        s.component == "api" && s.action.contains("/containers/create") && s.action.contains("404")
    })?;
    let registry = find("from the registry", &|s| s.component == "registry")?;
    let created = find("`created container`", &|s| {
        s.action.starts_with("created container")
    })?;
    let clone = find("clone(…)", &|s| {
        s.component == "kernel" && s.action.starts_with("clone(")
    })?;
    // runc's first step: the cgroup, then clone (the kernel makes both in one go).
    let runc = find("runc's first", &|s| s.component == "runc")?;
    let endpoint = find("the veth pair", &|s| s.action.contains("veth pair created"))?;
    find("published 0.0.0.0:8080", &|s| {
        s.action.starts_with("published 0.0.0.0:8080")
    })?;
    // dockerd records the endpoint's bindings once both (IPv4, IPv6) are published.
    let published = all
        .iter()
        .rposition(|s| s.action.starts_with("published "))
        .map_or(total - 1, |i| (i + 1).min(total - 1));

    // The step bar names the component; the architecture view lights it.
    show(b, "architecture").await?;
    go_to(b, 0, total).await?;
    wait_views(b, "cli lit at step 1", |v| {
        (v["component"] == "cli" && strs(&v["lit"]) == ["cli"]).then_some(())
    })
    .await?;
    go_to(b, create_api, total).await?;
    wait_views(b, "the create request and its 404 at the API step", |v| {
        (strs(&v["lit"]) == ["api"]
            && v["request"]
                .as_str()?
                .contains("POST /v1.47/containers/create?name=web")
            && v["status"].as_str()?.contains("404"))
        .then_some(())
    })
    .await?;
    screenshot(b, "architecture.png").await?;
    go_to(b, registry, total).await?;
    wait_views(b, "the registry lit at a registry step", |v| {
        (v["component"] == "registry" && strs(&v["lit"]) == ["registry"]).then_some(())
    })
    .await?;

    // Keyboard: → and ← step, space plays and pauses (after Esc leaves the terminal).
    let body = b
        .client
        .find(fantoccini::Locator::Css("body"))
        .await
        .context("finding body")?;
    let key = |k: fantoccini::key::Key| String::from(char::from(k));
    body.send_keys(&key(fantoccini::key::Key::Right))
        .await
        .context("pressing →")?;
    let want = format!("Step {} of {total}", registry + 2);
    wait_views(b, &format!("→ to reach {want}"), |v| {
        (v["counter"].as_str()?.trim() == want).then_some(())
    })
    .await?;
    body.send_keys(&key(fantoccini::key::Key::Left))
        .await
        .context("pressing ←")?;
    let want = format!("Step {} of {total}", registry + 1);
    wait_views(b, &format!("← to reach {want}"), |v| {
        (v["counter"].as_str()?.trim() == want).then_some(())
    })
    .await?;
    body.send_keys(" ").await.context("pressing space")?;
    let moved = wait_views(b, "space to play: the counter moves on", |v| {
        let c = v["counter"].as_str()?.trim().to_string();
        (v["playing"] == "true" && c != want).then_some(c)
    })
    .await?;
    body.send_keys(" ").await.context("pressing space again")?;
    wait_views(b, "space again to pause", |v| {
        (v["playing"] == "false").then_some(())
    })
    .await?;
    ensure(moved.starts_with("Step "), || format!("counter {moved}"))?;

    // Layers: no container before the create step; its RW layer from that step on.
    show(b, "layers").await?;
    go_to(b, created - 1, total).await?;
    wait_views(
        b,
        "no container in the layer view before it is created",
        |v| (v["layersEmpty"] == true && v["rw"].is_null()).then_some(()),
    )
    .await?;
    go_to(b, created, total).await?;
    wait_views(
        b,
        "web's RW layer, marked new, at the step that creates it",
        |v| {
            (v["layersOf"] == "web"
                && !v["rw"].is_null()
                && v["rwChanged"] == true
                && v["layersEmpty"] == false)
                .then_some(())
        },
    )
    .await?;
    go_to(b, total - 1, total).await?;
    wait_views(
        b,
        "the volume over /data and nginx's files in the merged tree",
        |v| {
            let tree = v["tree"].as_array()?;
            let src = |p: &str| {
                tree.iter()
                    .find(|e| e[0] == p)
                    .and_then(|e| e[1].as_str().map(str::to_string))
            };
            (strs(&v["volumeMounts"]) == ["/data"]
                && src("/data").as_deref() == Some("volume")
                && src("/docker-entrypoint.sh").is_some_and(|s| s.starts_with('L')))
            .then_some(())
        },
    )
    .await?;
    screenshot(b, "layers.png").await?;

    // A whiteout: deleting an image file shows in the RW layer on the step that does it,
    // marked new, and takes the file out of the merged tree.
    run(b, "docker exec web rm /docker-entrypoint.sh").await?;
    let n = steps(&at_last_step(b).await?).len();
    let whiteout = |v: &Value| -> Option<String> {
        v["rwFiles"]
            .as_array()?
            .iter()
            .find(|f| f[0] == "/docker-entrypoint.sh")
            .and_then(|f| f[1].as_str().map(str::to_string))
    };
    let mut first = None;
    for i in 0..n {
        go_to(b, i, n).await?;
        let v = views(b).await?;
        if let Some(class) = whiteout(&v) {
            ensure(class.contains("whiteout") && class.contains("new"), || {
                format!(
                    "at step {}, the whiteout should be marked new: {class}",
                    i + 1
                )
            })?;
            let in_tree = v["tree"]
                .as_array()
                .is_some_and(|t| t.iter().any(|e| e[0] == "/docker-entrypoint.sh"));
            ensure(!in_tree, || {
                "the deleted file is still in the merged tree".to_string()
            })?;
            first = Some(i);
            break;
        }
    }
    let first = first.ok_or("no step of the rm shows its whiteout")?;
    ensure(first > 0, || {
        "the whiteout shows before the rm ran".to_string()
    })?;
    // Reopen the docker run (its block's steps button) to step through it again.
    b.click("#terminal-output .cmd-block .cmd-steps").await?;
    let want = format!("Step {total} of {total}");
    wait_views(b, "the docker run reopened at its last step", |v| {
        (v["counter"].as_str()?.trim() == want).then_some(())
    })
    .await?;

    // Namespaces: web's own pid namespace appears at the clone, its process PID 1 inside.
    show(b, "namespaces").await?;
    go_to(b, runc - 1, total).await?;
    wait_views(b, "no pid namespace of web before runc ran", |v| {
        ns_box(v, "pid", "web").is_none().then_some(())
    })
    .await?;
    go_to(b, clone, total).await?;
    let web_pid = wait_views(
        b,
        "web's pid namespace with PID 1 inside at the clone",
        |v| {
            let bx = ns_box(v, "pid", "web")?;
            let p = bx["procs"].as_array()?.first()?;
            (p["ns"] == "1" && p["host"] != "1" && p["container"] == "web")
                .then(|| p["host"].as_str().map(str::to_string))
                .flatten()
        },
    )
    .await?;

    // Network: the container and its address once the veth is up; the published port.
    show(b, "network").await?;
    go_to(b, endpoint - 1, total).await?;
    wait_views(b, "no container on docker0 before its veth pair", |v| {
        v["net"].as_array()?.is_empty().then_some(())
    })
    .await?;
    go_to(b, published, total).await?;
    wait_views(b, "web at 172.17.0.2/16 and 8080 published", |v| {
        let net = v["net"].as_array()?;
        (net.len() == 1
            && net[0][0] == "web"
            && net[0][1] == "172.17.0.2/16"
            && strs(&v["ports"])
                .iter()
                .any(|p| p == "0.0.0.0:8080->80/tcp"))
        .then_some(())
    })
    .await?;
    wait_views(b, "the volume data mounted by web at /data", |v| {
        let vols = v["volumes"].as_array()?;
        vols.iter()
            .any(|r| r[0] == "data" && r[1].as_str().is_some_and(|u| u.contains("web:/data")))
            .then_some(())
    })
    .await?;
    screenshot(b, "network.png").await?;

    // Shared namespaces: --pid container:web joins web's box; --pid host the host's.
    run(
        b,
        "docker run -d --name side --pid container:web --network container:web busybox sleep 1000",
    )
    .await?;
    run(
        b,
        "docker run -d --name hostpid --pid host busybox sleep 1000",
    )
    .await?;
    show(b, "namespaces").await?;
    wait_views(
        b,
        "web + side sharing a pid and a net namespace; hostpid in the host's",
        |v| {
            let shared = ns_box(v, "pid", "web + side")?;
            let net = ns_box(v, "net", "web + side")?;
            let host = v["ns"].as_array()?.iter().find(|l| l["kind"] == "pid")?["boxes"]
                .as_array()?
                .iter()
                .find(|b| b["host"] == true)?;
            let in_host = host["procs"]
                .as_array()?
                .iter()
                .any(|p| p["container"] == "hostpid");
            let web_still = shared["procs"]
                .as_array()?
                .iter()
                .any(|p| p["host"].as_str() == Some(web_pid.as_str()) && p["ns"] == "1");
            (shared["shared"] == true
                && net["shared"] == true
                && host["shared"] == true
                && in_host
                && web_still)
                .then_some(())
        },
    )
    .await?;
    screenshot(b, "namespaces.png").await?;
    // The uts toggle adds a lane, which stays after a visit to another view.
    b.click("input#ns-toggle-uts").await?;
    let lanes = |v: &Value| -> Option<Vec<String>> {
        Some(
            v["ns"]
                .as_array()?
                .iter()
                .filter_map(|l| l["kind"].as_str().map(str::to_string))
                .collect(),
        )
    };
    wait_views(b, "pid, net and uts lanes", |v| {
        (lanes(v)? == ["pid", "net", "uts"]).then_some(())
    })
    .await?;
    show(b, "network").await?;
    show(b, "namespaces").await?;
    wait_views(b, "the uts lane still there", |v| {
        (lanes(v)? == ["pid", "net", "uts"]).then_some(())
    })
    .await?;

    // Cgroups: an OOM kill is marked on the step the kernel kills, not before.
    run(
        b,
        "docker run -d --name hog --memory 64m busybox tail /dev/zero",
    )
    .await?;
    show(b, "cgroups").await?;
    wait_views(b, "hog's cgroup without an OOM mark yet", |v| {
        let cg = v["cgroups"].as_array()?;
        (cg.iter().any(|c| c[0] == "hog" && c[1] == "0") && v["oom"].as_array()?.is_empty())
            .then_some(())
    })
    .await?;
    run(b, "wait 5s").await?;
    let all = steps(&at_last_step(b).await?);
    let oom = all
        .iter()
        .position(|s| s.action.starts_with("OOM killer"))
        .ok_or_else(|| format!("no OOM killer step in `wait 5s`: {all:#?}"))?;
    let total = all.len();
    if oom > 0 {
        go_to(b, oom - 1, total).await?;
        wait_views(b, "no OOM mark before the OOM killer's step", |v| {
            v["oom"].as_array()?.is_empty().then_some(())
        })
        .await?;
    }
    go_to(b, oom, total).await?;
    wait_views(
        b,
        "the OOM mark for hog at the OOM killer's step, and a CPU plot",
        |v| {
            (strs(&v["oom"]) == ["hog"] && strs(&v["cpuSeries"]).iter().any(|c| c == "hog"))
                .then_some(())
        },
    )
    .await?;
    screenshot(b, "cgroups.png").await?;

    // Inspect: docker inspect's JSON for web.
    show(b, "inspect").await?;
    let select = b
        .client
        .find(fantoccini::Locator::Css("select#inspect-name"))
        .await
        .context("finding select#inspect-name")?;
    select
        .select_by_value("web")
        .await
        .context("choosing web")?;
    wait_views(b, "docker inspect web", |v| {
        (v["inspect"] == "web" && v["inspectText"].as_str()?.contains("\"/web\"")).then_some(())
    })
    .await?;
    screenshot(b, "inspect.png").await?;

    // The link replays the session: same commands, same containers (at the end).
    go_to(b, total - 1, total).await?;
    let before = views(b).await?;
    let link = before["link"]
        .as_str()
        .ok_or("no #session-link")?
        .to_string();
    ensure(
        link.contains("run=docker%20run%20-d%20--name%20web"),
        || format!("the link should hold the commands: {link}"),
    )?;
    b.client
        .goto(&link)
        .await
        .context(format!("opening {link}"))?;
    wait_views(b, "the replayed page", |v| {
        (!v["lines"].as_array()?.is_empty()).then_some(())
    })
    .await?;
    show(b, "listing").await?;
    wait_views(b, "the replayed session's commands and containers", |v| {
        (v["lines"] == before["lines"]
            && v["containers"] == before["containers"]
            && !v["containers"].as_array()?.is_empty())
        .then_some(())
    })
    .await?;

    // Import: a session file replaces the session (seed, host, commands).
    let dir = porthole_tests::TempDir::new("e2e-import");
    let file = dir.path().join("session.txt");
    std::fs::write(
        &file,
        "# porthole session seed=3 cpus=2 memory=2048m cgroup=2\ndocker run -d --name imported busybox sleep 100\n",
    )
    .context("writing a session file")?;
    let input = b
        .client
        .find(fantoccini::Locator::Css("input#session-import"))
        .await
        .context("finding input#session-import")?;
    input
        .send_keys(&file.display().to_string())
        .await
        .context("choosing the session file")?;
    wait_views(b, "the imported session", |v| {
        (strs(&v["lines"]) == ["docker run -d --name imported busybox sleep 100"]
            && v["containers"].as_array()?.len() == 1
            && v["containers"][0][0] == "imported")
            .then_some(())
    })
    .await?;
    Ok(())
}
