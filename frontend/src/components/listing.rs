//! The host's containers and images as they were right after the current step, so
//! stepping back and forth shows them appear, change state and go away. Rows the
//! current step changed are marked.

use crate::hooks::use_session;
use porthole_engine::format::human_size;
use porthole_engine::snapshot::{ContainerView, ImageView};
use porthole_engine::trace::{ChangeKind, Object};
use porthole_engine::Status;
use yew::prelude::*;

#[function_component(Listing)]
pub fn listing() -> Html {
    let session = use_session();
    let snap = session.current_snapshot();
    let changes = session
        .current_step()
        .map(|s| s.changes.as_slice())
        .unwrap_or_default();
    let changed = |obj: &Object| {
        changes
            .iter()
            .any(|c| c.kind != ChangeKind::Removed && &c.object == obj)
    };

    let when = match session.current() {
        Some(c) if session.step_count() > 0 => {
            format!(
                "after step {} of {} of `{}`",
                session.step + 1,
                session.step_count(),
                c.outcome.line
            )
        }
        Some(c) => format!("after `{}`", c.outcome.line),
        None => "before any command".to_string(),
    };

    let containers = if snap.containers.is_empty() {
        html! { <tr class="empty"><td colspan="5">{ "No containers" }</td></tr> }
    } else {
        snap.containers
            .iter()
            .map(|c| container_row(c, changed(&Object::Container(c.id.clone()))))
            .collect::<Html>()
    };
    let images = if snap.images.is_empty() {
        html! { <tr class="empty"><td colspan="4">{ "No images" }</td></tr> }
    } else {
        snap.images
            .iter()
            .map(|i| image_row(i, changed(&Object::Image(i.id.clone()))))
            .collect::<Html>()
    };

    html! {
        <section class="pane listing-pane" aria-labelledby="listing-title">
            <div class="pane-head">
                <h2 id="listing-title">{ "Host state" }</h2>
                <span class="pane-note" aria-live="polite">{ when }</span>
            </div>
            <div class="listing-body">
                <div class="table-wrap">
                    <table id="containers" class="listing">
                        <caption>{ format!("Containers ({})", snap.containers.len()) }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Name" }</th>
                                <th scope="col">{ "Container ID" }</th>
                                <th scope="col">{ "Image" }</th>
                                <th scope="col">{ "Status" }</th>
                                <th scope="col" class="num">{ "Host PID" }</th>
                            </tr>
                        </thead>
                        <tbody>{ containers }</tbody>
                    </table>
                </div>
                <div class="table-wrap">
                    <table id="images" class="listing">
                        <caption>{ format!("Images ({})", snap.images.len()) }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Tags" }</th>
                                <th scope="col">{ "Image ID" }</th>
                                <th scope="col" class="num">{ "Size" }</th>
                                <th scope="col" class="num">{ "Layers" }</th>
                            </tr>
                        </thead>
                        <tbody>{ images }</tbody>
                    </table>
                </div>
            </div>
        </section>
    }
}

fn container_row(c: &ContainerView, changed: bool) -> Html {
    let status = c.status.as_str();
    let shown = match c.status {
        Status::Exited => format!("exited ({})", c.exit_code),
        _ => status.to_string(),
    };
    let pid = if c.host_pid == 0 {
        "—".to_string()
    } else {
        c.host_pid.to_string()
    };
    html! {
        <tr key={c.id.clone()} class={classes!("container-row", changed.then_some("changed"))}
            data-status={status} data-name={c.name.clone()}>
            <td class="name">{ c.name.clone() }</td>
            <td><code title={c.id.clone()}>{ short(&c.id) }</code></td>
            <td>{ c.image.clone() }</td>
            <td><span class={classes!("status", format!("status-{status}"))}>{ shown }</span></td>
            <td class="num">{ pid }</td>
        </tr>
    }
}

fn image_row(i: &ImageView, changed: bool) -> Html {
    let tags = if i.tags.is_empty() {
        "<none>".to_string()
    } else {
        i.tags.join(", ")
    };
    html! {
        <tr key={i.id.clone()} class={classes!("image-row", changed.then_some("changed"))}>
            <td class="name">{ tags }</td>
            <td><code title={i.id.clone()}>{ short(&i.id) }</code></td>
            <td class="num">{ human_size(i.size) }</td>
            <td class="num">{ i.layers.len() }</td>
        </tr>
    }
}

/// The 12-character short form of an ID, without its `sha256:` prefix.
fn short(id: &str) -> &str {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    id.get(..12).unwrap_or(id)
}
