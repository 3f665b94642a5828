//! The namespace view: for each namespace type switched on (pid, net, mnt, uts, ipc,
//! user, cgroup), one boundary per namespace with the processes inside it, each with
//! its host PID and its PID in its own PID namespace. The host's namespace comes first;
//! a container that shares one (`--pid=host`, `--network container:web`) is drawn
//! inside the same boundary as the host or the other container.

use crate::hooks::use_session;
use crate::state::Action;
use porthole_engine::kernel::{NsKind, ProcessInfo};
use porthole_engine::snapshot::Snapshot;
use porthole_engine::trace::Object;
use std::collections::BTreeMap;
use yew::prelude::*;

/// The toggles, in the order they are offered.
const KINDS: [NsKind; 7] = [
    NsKind::Pid,
    NsKind::Net,
    NsKind::Mnt,
    NsKind::Uts,
    NsKind::Ipc,
    NsKind::User,
    NsKind::Cgroup,
];

#[function_component(Namespaces)]
pub fn namespaces() -> Html {
    let session = use_session();
    let shown = &session.ns_kinds;
    let snap = session.current_snapshot();
    // New at this step: named by the step, or absent from the host just before it.
    let before = session.snapshot_before_step();
    let mut changed: Vec<u64> = session
        .current_step()
        .map(|s| {
            s.changes
                .iter()
                .filter_map(|c| match c.object {
                    Object::Namespace(i) => Some(i),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    changed.extend(
        snap.kernel
            .namespaces
            .iter()
            .filter(|n| !before.kernel.namespaces.contains(n))
            .map(|n| n.inode),
    );

    let toggles = KINDS
        .iter()
        .map(|&k| {
            let on = shown.contains(&k);
            let onchange = {
                let session = session.clone();
                Callback::from(move |_: Event| session.dispatch(Action::ToggleNamespace(k)))
            };
            let id = format!("ns-toggle-{}", k.proc_name());
            html! {
                <label key={k.proc_name()} for={id.clone()} class={classes!("ns-toggle", on.then_some("on"))}>
                    <input type="checkbox" id={id} checked={on} {onchange}
                        aria-label={format!("Show {} namespaces", k.proc_name())} />
                    { k.proc_name() }
                </label>
            }
        })
        .collect::<Html>();

    let mut kinds: Vec<NsKind> = shown.clone();
    kinds.sort_by_key(|k| KINDS.iter().position(|x| x == k));
    let lanes = kinds
        .iter()
        .map(|&k| lane(snap, k, &changed))
        .collect::<Html>();

    html! {
        <div class="ns-view">
            <div class="ns-toggles" role="group" aria-label="Namespace types to draw">
                <span class="muted">{ "namespace types:" }</span>
                { toggles }
            </div>
            <div class="ns-lanes">{ lanes }</div>
        </div>
    }
}

/// The host's namespace of a type: the one of the first process outside containers.
fn host_ns(snap: &Snapshot, kind: NsKind) -> Option<u64> {
    snap.kernel
        .processes
        .iter()
        .filter(|p| p.container.is_none())
        .min_by_key(|p| p.host_pid)
        .and_then(|p| p.namespaces.iter().find(|n| n.kind == kind))
        .map(|n| n.inode)
}

fn ns_of(p: &ProcessInfo, kind: NsKind) -> Option<u64> {
    p.namespaces
        .iter()
        .find(|n| n.kind == kind)
        .map(|n| n.inode)
}

/// The container's name from a process's `container` (an ID).
fn container_name(snap: &Snapshot, id: &str) -> String {
    snap.containers
        .iter()
        .find(|c| c.id == id || c.name == id)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| super::short_id(id).to_string())
}

fn lane(snap: &Snapshot, kind: NsKind, changed: &[u64]) -> Html {
    let host = host_ns(snap, kind);
    // Namespace inode → its processes; the host's first, then by inode.
    let mut groups: BTreeMap<(bool, u64), Vec<&ProcessInfo>> = BTreeMap::new();
    for p in &snap.kernel.processes {
        if let Some(ns) = ns_of(p, kind) {
            groups.entry((Some(ns) != host, ns)).or_default().push(p);
        }
    }
    let name = kind.proc_name();
    let boxes = groups
        .iter()
        .map(|((is_container, inode), procs)| {
            let mut users: Vec<String> = procs
                .iter()
                .filter_map(|p| p.container.as_deref())
                .map(|c| container_name(snap, c))
                .collect();
            users.dedup();
            let shared = if *is_container {
                users.len() > 1
            } else {
                !users.is_empty()
            };
            let title = if !is_container {
                "host".to_string()
            } else {
                users.join(" + ")
            };
            let how = shared.then(|| {
                let who: Vec<String> = users
                    .iter()
                    .map(|u| {
                        let mode = snap
                            .containers
                            .iter()
                            .find(|c| &c.name == u)
                            .and_then(|c| c.ns_modes.iter().find(|(k, _)| k == name))
                            // Only the modes that share: `host`, `container:…`.
                            .filter(|(_, m)| m == "host" || m.starts_with("container:"))
                            .map(|(_, m)| format!(" (--{}={})", flag(kind), mode_name(snap, m)))
                            .unwrap_or_default();
                        format!("{u}{mode}")
                    })
                    .collect();
                if *is_container {
                    format!("shared by {}", who.join(", "))
                } else {
                    format!("shared with the host by {}", who.join(", "))
                }
            });
            let chips = procs.iter().map(|p| process(snap, p, kind)).collect::<Html>();
            html! {
                <div key={*inode} class={classes!("ns-box", (!is_container).then_some("host"), shared.then_some("shared"), changed.contains(inode).then_some("changed"))}
                    data-ns={format!("{name}:[{inode}]")} data-owner={title.clone()}
                    role="group" aria-label={format!("{name} namespace {inode} of {title}")}>
                    <div class="ns-box-head">
                        <strong>{ title }</strong>
                        <code>{ format!("{name}:[{inode}]") }</code>
                        { how.map(|h| html! { <span class="ns-shared">{ h }</span> }) }
                    </div>
                    <ul class="ns-procs">{ chips }</ul>
                </div>
            }
        })
        .collect::<Html>();
    html! {
        <section key={name} class="ns-lane" data-kind={name} aria-label={format!("{name} namespaces")}>
            <h3>{ format!("{name} namespaces") }<span class="muted">{ format!(" — {}", explain(kind)) }</span></h3>
            <div class="ns-boxes">{ boxes }</div>
        </section>
    }
}

fn process(snap: &Snapshot, p: &ProcessInfo, kind: NsKind) -> Html {
    let cmd = p.argv.join(" ");
    let short: String = cmd.chars().take(28).collect();
    let who = p
        .container
        .as_deref()
        .map(|c| container_name(snap, c))
        .unwrap_or_else(|| "host".into());
    // The PID it has in its own PID namespace matters for the pid lane; elsewhere the
    // host PID names it.
    let ns_pid = (kind == NsKind::Pid || p.container.is_some()) && p.ns_pid != p.host_pid;
    html! {
        <li key={p.host_pid} class={classes!("ns-proc", p.container.is_some().then_some("in-container"), p.frozen.then_some("frozen"))}
            data-host-pid={p.host_pid.to_string()} data-ns-pid={p.ns_pid.to_string()} data-container={who.clone()}
            title={format!("{cmd}\nhost PID {}, PID {} in its PID namespace, parent {}, uid {}", p.host_pid, p.ns_pid, p.ppid, p.uid)}>
            <span class="ns-cmd">{ short }</span>
            <span class="ns-pids">
                <span class="pid-host">{ format!("host PID {}", p.host_pid) }</span>
                { ns_pid.then(|| html! { <span class="pid-ns">{ format!("PID {} inside", p.ns_pid) }</span> }) }
            </span>
        </li>
    }
}

/// `container:<id>` with the container's name, as the student typed it.
fn mode_name(snap: &Snapshot, mode: &str) -> String {
    match mode.strip_prefix("container:") {
        Some(id) => format!("container:{}", container_name(snap, id)),
        None => mode.to_string(),
    }
}

/// The `docker run` flag that shares a namespace of this type.
fn flag(kind: NsKind) -> &'static str {
    match kind {
        NsKind::Net => "network",
        NsKind::User => "userns",
        NsKind::Cgroup => "cgroupns",
        k => k.proc_name(),
    }
}

fn explain(kind: NsKind) -> &'static str {
    match kind {
        NsKind::Pid => "which processes a process can see and signal, and their PIDs",
        NsKind::Net => "interfaces, addresses, routes, ports",
        NsKind::Mnt => "the mount table: what / and every path are",
        NsKind::Uts => "the hostname",
        NsKind::Ipc => "System V IPC and POSIX message queues",
        NsKind::User => "which UIDs map to which on the host",
        NsKind::Cgroup => "the cgroup tree a process sees as its root",
    }
}
