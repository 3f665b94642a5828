//! The layer view: for one container, the mounts over its root file system (volumes
//! marked), its RW layer on top, and its image's read-only layers below (diff ID, size,
//! the Dockerfile line that made it, whether other images share it); then the merged
//! file tree, each file tagged with the layer it comes from (the topmost that has it;
//! whiteouts hide what is below).

use crate::hooks::use_session;
use crate::state::Session;
use porthole_engine::format::bytes_size;
use porthole_engine::snapshot::{ContainerView, LayerView, Snapshot};
use porthole_engine::trace::Object;
use std::collections::BTreeMap;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// At most this many rows of the merged tree are drawn.
const TREE_ROWS: usize = 400;

#[function_component(Layers)]
pub fn layers() -> Html {
    let session = use_session();
    let chosen = use_state(|| None::<String>);
    let snap = session.current_snapshot();
    let changed = changed_objects(&session);
    if snap.containers.is_empty() {
        return html! {
            <div class="layers-view">
                <p id="layers-empty" class="muted">{ "No containers yet. A container is its image's read-only layers with a thin RW layer on top: run one to see them." }</p>
                { for snap.images.iter().map(|img| html! {
                    <section key={img.id.clone()} class="image-layers">
                        <h3>{ format!("image {}", img.tags.first().cloned().unwrap_or_else(|| super::short_id(&img.id).to_string())) }</h3>
                        <ol class="layer-stack">{ for img.layers.iter().enumerate().rev().map(|(i, l)| layer_row(i, l, &changed)) }</ol>
                    </section>
                }) }
            </div>
        };
    }
    // The container this step is about, else the one picked, else the newest.
    let from_step = session.current_step().and_then(|s| {
        s.changes.iter().find_map(|c| match &c.object {
            Object::Container(id) => snap.containers.iter().find(|x| &x.id == id),
            _ => None,
        })
    });
    let c = chosen
        .as_ref()
        .and_then(|n| snap.containers.iter().find(|c| &c.name == n))
        .or(from_step)
        .or(snap.containers.last())
        .expect("containers is not empty");
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                chosen.set(Some(sel.value()));
            }
        })
    };
    let options = snap
        .containers
        .iter()
        .map(|x| html! { <option key={x.id.clone()} value={x.name.clone()} selected={x.id == c.id}>{ x.name.clone() }</option> })
        .collect::<Html>();
    html! {
        <div class="layers-view" data-container={c.name.clone()}>
            <div class="layers-pick">
                <label for="layers-container">{ "container " }</label>
                <select id="layers-container" {onchange} aria-label="The container whose layers are shown">{ options }</select>
                <span class="muted">{ format!(" image {}", c.image) }</span>
            </div>
            <div class="layers-cols">
                { stack(snap, c, &changed, session.snapshot_before_step()) }
                { merged(&session, snap, c) }
            </div>
        </div>
    }
}

fn layer_of<'a>(snap: &'a Snapshot, diff_id: &str) -> Option<&'a LayerView> {
    snap.images
        .iter()
        .flat_map(|i| i.layers.iter())
        .find(|l| l.diff_id == diff_id)
}

/// What the current step added or changed (the views mark it).
fn changed_objects(session: &Session) -> Vec<Object> {
    session
        .current_step()
        .map(|s| {
            s.changes
                .iter()
                .filter(|c| c.kind != porthole_engine::trace::ChangeKind::Removed)
                .map(|c| c.object.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn layer_row(i: usize, l: &LayerView, changed: &[Object]) -> Html {
    let shared = l.used_by.len() > 1;
    let new = changed.contains(&Object::Layer(l.diff_id.clone()));
    html! {
        <li key={l.diff_id.clone()} class={classes!("layer", "ro", shared.then_some("shared"), new.then_some("changed"))} data-diff-id={l.diff_id.clone()}>
            <span class="layer-tag">{ format!("L{}", i + 1) }</span>
            <code class="layer-id" title={l.diff_id.clone()}>{ super::short_id(&l.diff_id).to_string() }</code>
            <span class="layer-size">{ bytes_size(l.size) }</span>
            <span class="layer-by" title={l.created_by.clone()}>{ l.created_by.clone() }</span>
            { shared.then(|| html! { <span class="layer-shared" title="other images use this layer too: it is stored once">{ format!("shared: {}", l.used_by.join(", ")) }</span> }) }
        </li>
    }
}

/// The mounts over a container's root that it asked for or Docker adds per container:
/// volumes, bind mounts (Docker's resolv.conf, hostname, hosts among them), tmpfs;
/// not the root overlay itself nor the kernel's file systems (/proc, /dev, /sys, …).
fn user_mounts<'a>(
    snap: &'a Snapshot,
    c: &ContainerView,
) -> (Vec<&'a porthole_engine::kernel::MountInfo>, usize) {
    let all: Vec<_> = snap
        .kernel
        .mounts
        .iter()
        .filter(|m| m.container == c.id || m.container == c.name)
        .collect();
    let system = |m: &porthole_engine::kernel::MountInfo| {
        m.fstype == "overlay"
            || m.target == "/"
            || ["/proc", "/dev", "/sys"]
                .iter()
                .any(|p| m.target == *p || m.target.starts_with(&format!("{p}/")))
    };
    let n = all.len();
    let user: Vec<_> = all.into_iter().filter(|m| !system(m)).collect();
    let hidden = n - user.len();
    (user, hidden)
}

fn stack(snap: &Snapshot, c: &ContainerView, changed: &[Object], before: &Snapshot) -> Html {
    let old_files: &[String] = before
        .containers
        .iter()
        .find(|b| b.id == c.id)
        .map(|b| b.rw_files.as_slice())
        .unwrap_or_default();
    let (mounts, hidden) = user_mounts(snap, c);
    let mount_rows = mounts
        .iter()
        .map(|m| {
            let volume = m.options.starts_with("/var/lib/docker/volumes/");
            let kind = if volume { "volume" } else { m.fstype.as_str() };
            html! {
                <li key={m.target.clone()} class={classes!("layer", "mount", volume.then_some("volume"))} data-target={m.target.clone()}>
                    <span class="layer-tag">{ kind.to_string() }</span>
                    <code>{ m.target.clone() }</code>
                    <span class="layer-by" title={m.options.clone()}>{ format!("← {}{}", m.options, if m.readonly { " (ro)" } else { "" }) }</span>
                </li>
            }
        })
        .collect::<Html>();
    let rw = if c.rw_layer.is_empty() {
        html! { <li class="layer rw absent">{ "no RW layer (removed)" }</li> }
    } else {
        // What this step wrote first (copy-ups, new files, whiteouts), then the rest.
        let mut files: Vec<(&String, bool)> = c
            .rw_files
            .iter()
            .map(|f| (f, !old_files.contains(f)))
            .collect();
        files.sort_by_key(|(_, new)| !*new);
        let files = files
            .into_iter()
            .take(12)
            .map(|(f, new)| {
                let wh = c.rw_whiteouts.contains(f);
                html! { <li key={f.clone()} class={classes!(wh.then_some("whiteout"), new.then_some("new"))} data-path={f.clone()}>{ if wh { format!("{f} (whiteout: deleted)") } else { f.clone() } }</li> }
            })
            .collect::<Html>();
        let new = changed.contains(&Object::Container(c.id.clone()))
            || changed.iter().any(|o| matches!(o, Object::Layer(id) if !id.is_empty() && c.rw_layer.contains(id.as_str())));
        html! {
            <li id="rw-layer" class={classes!("layer", "rw", new.then_some("changed"))} data-files={c.rw_files.len().to_string()}>
                <span class="layer-tag">{ "RW" }</span>
                <code title={c.rw_layer.clone()}>{ "container layer" }</code>
                <span class="layer-size">{ format!("{} files", c.rw_files.len()) }</span>
                <ul class="rw-files">{ files }{ (c.rw_files.len() > 12).then(|| html! { <li class="muted">{ "…" }</li> }) }</ul>
            </li>
        }
    };
    let image = c
        .image_layers
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(i, d)| layer_of(snap, d).map(|l| layer_row(i, l, changed)))
        .collect::<Html>();
    html! {
        <ol id="layer-stack" class="layer-stack" aria-label="The container's file system, top first">
            { (hidden > 0).then(|| html! { <li class="layer mount system muted">{ format!("+ {hidden} kernel file systems: the overlay root, /proc, /dev, /sys…") }</li> }) }
            { mount_rows }
            { rw }
            { image }
        </ol>
    }
}

/// Puts a path in the merged tree, with the directories above it that no layer listed.
fn add(tree: &mut BTreeMap<String, (String, bool)>, path: &str, src: &str, dir: bool) {
    let mut at = 0;
    while let Some(i) = path[at + 1..].find('/') {
        let parent = &path[..at + 1 + i];
        tree.entry(parent.to_string())
            .or_insert_with(|| (src.to_string(), true));
        at += 1 + i;
    }
    tree.insert(path.to_string(), (src.to_string(), dir));
}

fn merged(session: &Session, snap: &Snapshot, c: &ContainerView) -> Html {
    // path → (source label, is dir)
    let mut tree: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for (i, d) in c.image_layers.iter().enumerate() {
        for f in session.layer_files(d) {
            if f.whiteout {
                let prefix = format!("{}/", f.path);
                tree.retain(|p, _| p != &f.path && !p.starts_with(&prefix));
            } else {
                add(&mut tree, &f.path, &format!("L{}", i + 1), f.dir);
            }
        }
    }
    for f in &c.rw_files {
        if c.rw_whiteouts.contains(f) {
            let prefix = format!("{f}/");
            tree.retain(|p, _| p != f && !p.starts_with(&prefix));
        } else {
            let dir = tree.get(f).is_some_and(|(_, d)| *d);
            add(&mut tree, f, "RW", dir);
        }
    }
    for m in user_mounts(snap, c).0 {
        let volume = m.options.starts_with("/var/lib/docker/volumes/");
        let dir = volume || m.fstype == "tmpfs" || tree.get(&m.target).is_some_and(|(_, d)| *d);
        add(
            &mut tree,
            &m.target,
            if volume { "volume" } else { "mount" },
            dir,
        );
    }
    let total = tree.len();
    let rows = tree
        .iter()
        .take(TREE_ROWS)
        .map(|(path, (src, dir))| {
            let depth = path.matches('/').count().saturating_sub(1);
            let name = path.rsplit('/').next().unwrap_or(path);
            html! {
                <li key={path.clone()} class={classes!("tree-row", format!("src-{}", src.to_lowercase()))}
                    data-path={path.clone()} data-source={src.clone()} style={format!("--depth:{depth}")}>
                    <span class="tree-name" title={path.clone()}>{ if *dir { format!("{name}/") } else { name.to_string() } }</span>
                    <span class="tree-src">{ src.clone() }</span>
                </li>
            }
        })
        .collect::<Html>();
    html! {
        <div class="merged">
            <h3>{ "merged view" }</h3>
            <p class="muted merged-note">{ format!("{total} paths, each from the topmost layer that has it") }</p>
            <ul id="merged-tree" class="merged-tree">{ rows }{ (total > TREE_ROWS).then(|| html! { <li class="muted">{ format!("… {} more", total - TREE_ROWS) }</li> }) }</ul>
        </div>
    }
}
