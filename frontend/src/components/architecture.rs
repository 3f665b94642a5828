//! The architecture view: the path a command takes, client → REST API → dockerd →
//! containerd → shim → runc → kernel, with the registry beside dockerd. The current
//! step's component is lit, those the command already went through are marked, and the
//! latest HTTP exchange on the API (up to the current step) is shown in full.

use super::steps::pretty;
use crate::hooks::use_session;
use porthole_engine::trace::{Component, Http};
use yew::prelude::*;

/// The chain, top to bottom, with what each box is called on the page.
const CHAIN: [(Component, &str, &str); 7] = [
    (Component::Cli, "docker CLI", "client"),
    (Component::Api, "REST API", "/var/run/docker.sock"),
    (Component::Dockerd, "dockerd", "the Docker daemon"),
    (Component::Containerd, "containerd", "lifecycle, snapshots"),
    (
        Component::Shim,
        "containerd-shim-runc-v2",
        "one per container",
    ),
    (Component::Runc, "runc", "OCI runtime"),
    (
        Component::Kernel,
        "Linux kernel",
        "namespaces, cgroups, overlayfs",
    ),
];

#[function_component(Architecture)]
pub fn architecture() -> Html {
    let session = use_session();
    let steps = session.current().map(|c| c.steps()).unwrap_or_default();
    let upto = if steps.is_empty() {
        &[][..]
    } else {
        &steps[..=session.step.min(steps.len() - 1)]
    };
    let active = session.current_step().map(|s| s.component);
    let visited = |c: Component| upto.iter().any(|s| s.component == c);
    let node = |c: Component, title: &str, sub: &str| {
        let lit = active == Some(c);
        html! {
            <div class={classes!("arch-node", format!("badge-{}", c.name()), lit.then_some("lit"), visited(c).then_some("visited"))}
                data-component={c.name()} aria-current={lit.then_some("step")}
                title={c.role()}>
                <span class="arch-title">{ title.to_string() }</span>
                <span class="arch-sub">{ sub.to_string() }</span>
            </div>
        }
    };
    let chain = CHAIN
        .iter()
        .enumerate()
        .map(|(i, (c, title, sub))| {
            html! {
                <>
                    { (i > 0).then(|| html! { <div class="arch-arrow" aria-hidden="true">{ "↓" }</div> }) }
                    { node(*c, title, sub) }
                </>
            }
        })
        .collect::<Html>();
    let http = upto
        .iter()
        .rev()
        .find_map(|s| s.http.as_ref().map(|h| (s.component, h)));
    let http_current = session.current_step().is_some_and(|s| s.http.is_some());
    html! {
        <div class="arch" aria-label="The Docker architecture, the current step's component lit">
            <div class="arch-chain">{ chain }</div>
            <div class="arch-side">
                <div class="arch-registry">
                    <div class="arch-arrow" aria-hidden="true">{ "dockerd ⇄ registry (pull)" }</div>
                    { node(Component::Registry, "registry", "Docker Hub: manifests, blobs") }
                </div>
                <div id="arch-http" class={classes!("arch-http", http_current.then_some("lit"))}>
                    <h3>{ if http_current { "This step's HTTP exchange" } else { "Latest HTTP exchange" } }</h3>
                    { match http { Some((c, h)) => exchange(c, h), None => html! { <p class="muted">{ "No HTTP request yet in this command." }</p> } } }
                </div>
            </div>
        </div>
    }
}

fn exchange(c: Component, h: &Http) -> Html {
    let ok = h.status < 400;
    html! {
        <div class="exchange">
            <div class="exchange-line">
                <span class={classes!("badge", format!("badge-{}", c.name()))}>{ c.name() }</span>
                <code id="arch-request"><span class="http-method">{ h.method.clone() }</span>{ " " }{ h.path.clone() }</code>
                <span id="arch-status" class={if ok { "http-status ok" } else { "http-status fail" }}>{ format!("→ {}", h.status) }</span>
            </div>
            <div class="exchange-bodies">
                <div>
                    <div class="http-label">{ "request body" }</div>
                    <pre id="arch-request-body">{ h.request.as_deref().map(pretty).unwrap_or_else(|| "(none)".into()) }</pre>
                </div>
                <div>
                    <div class="http-label">{ "response body" }</div>
                    <pre id="arch-response-body">{ h.response.as_deref().map(pretty).unwrap_or_else(|| "(none)".into()) }</pre>
                </div>
            </div>
        </div>
    }
}
