//! Inspect panels: the JSON `docker inspect` prints for a container, image, network or
//! volume, as a tree whose objects and arrays fold. It reads the host as it is after the
//! last command (inspecting is not a step), from the objects present at this step.

use crate::hooks::use_session;
use porthole_engine::snapshot::InspectKind;
use serde_json::Value;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

const KINDS: [(InspectKind, &str); 4] = [
    (InspectKind::Container, "container"),
    (InspectKind::Image, "image"),
    (InspectKind::Network, "network"),
    (InspectKind::Volume, "volume"),
];

#[function_component(Inspect)]
pub fn inspect() -> Html {
    let session = use_session();
    let kind = use_state(|| InspectKind::Container);
    let picked = use_state(|| None::<String>);
    let snap = session.current_snapshot();
    let names: Vec<String> = match *kind {
        InspectKind::Container => snap.containers.iter().map(|c| c.name.clone()).collect(),
        InspectKind::Image => snap
            .images
            .iter()
            .map(|i| {
                i.tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| super::short_id(&i.id).to_string())
            })
            .collect(),
        InspectKind::Network => snap.networks.iter().map(|n| n.name.clone()).collect(),
        InspectKind::Volume => snap.volumes.iter().map(|v| v.name.clone()).collect(),
    };
    let name = picked
        .as_ref()
        .filter(|p| names.contains(p))
        .or(names.last())
        .cloned();

    let on_kind = {
        let (kind, picked) = (kind.clone(), picked.clone());
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Some((k, _)) = KINDS.iter().find(|(_, n)| *n == sel.value()) {
                    kind.set(*k);
                    picked.set(None);
                }
            }
        })
    };
    let on_name = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                picked.set(Some(sel.value()));
            }
        })
    };
    let kind_options = KINDS
        .iter()
        .map(|(k, n)| html! { <option key={*n} value={*n} selected={*k == *kind}>{ *n }</option> })
        .collect::<Html>();
    let name_options = names
        .iter()
        .map(|n| html! { <option key={n.clone()} value={n.clone()} selected={Some(n) == name.as_ref()}>{ n.clone() }</option> })
        .collect::<Html>();
    let body = match &name {
        None => html! { <p class="muted">{ "Nothing of this kind at this step." }</p> },
        Some(n) => match session.inspect(*kind, n) {
            Some(v) => html! {
                <div id="inspect-json" class="json-tree" data-name={n.clone()}>
                    { node(None, &v, 0) }
                </div>
            },
            None => {
                html! { <p id="inspect-gone" class="muted">{ format!("{n} no longer exists after the last command.") }</p> }
            }
        },
    };
    html! {
        <div class="inspect-view">
            <div class="inspect-pick">
                <label for="inspect-kind">{ "docker inspect " }</label>
                <select id="inspect-kind" onchange={on_kind} aria-label="Kind of object to inspect">{ kind_options }</select>
                <select id="inspect-name" onchange={on_name} aria-label="Object to inspect" disabled={names.is_empty()}>{ name_options }</select>
                <span class="muted">{ " as the host has it after the last command" }</span>
            </div>
            { body }
        </div>
    }
}

fn scalar(v: &Value) -> Html {
    let class = match v {
        Value::String(_) => "json-str",
        Value::Number(_) => "json-num",
        Value::Bool(_) => "json-bool",
        _ => "json-null",
    };
    html! { <span class={class}>{ v.to_string() }</span> }
}

fn key_html(key: Option<&str>) -> Html {
    key.map(|k| html! { <><span class="json-key">{ format!("\"{k}\"") }</span>{ ": " }</> })
        .unwrap_or_default()
}

/// One value of the tree: objects and arrays fold (the first two levels open).
fn node(key: Option<&str>, v: &Value, depth: usize) -> Html {
    let (open_c, close_c, children): (&str, &str, Vec<(Option<String>, &Value)>) = match v {
        Value::Object(m) => (
            "{",
            "}",
            m.iter().map(|(k, v)| (Some(k.clone()), v)).collect(),
        ),
        Value::Array(a) => ("[", "]", a.iter().map(|v| (None, v)).collect()),
        _ => return html! { <div class="json-line">{ key_html(key) }{ scalar(v) }</div> },
    };
    if children.is_empty() {
        return html! { <div class="json-line">{ key_html(key) }{ format!("{open_c}{close_c}") }</div> };
    }
    let n = children.len();
    let items = children
        .iter()
        .map(|(k, v)| node(k.as_deref(), v, depth + 1))
        .collect::<Html>();
    html! {
        <details class="json-node" open={depth < 2}>
            <summary>{ key_html(key) }{ open_c }<span class="json-count">{ format!(" {n} {} ", if open_c == "{" { "keys" } else { "items" }) }</span></summary>
            <div class="json-children">{ items }</div>
            <div class="json-line">{ close_c }</div>
        </details>
    }
}
