//! The steps of the selected command: who acted (CLI, REST API, dockerd, containerd,
//! shim, runc, kernel, registry), what it did and why, with the HTTP exchange of API
//! steps. The step bar moves the current step, which is highlighted here and kept in
//! view; clicking a step goes to it.

use crate::hooks::use_session;
use crate::state::Action;
use porthole_engine::trace::{ChangeKind, Component, Http, Object, Step};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

#[function_component(Steps)]
pub fn steps() -> Html {
    let session = use_session();
    let list_ref = use_node_ref();

    // Keep the current step in view, scrolling the list only (never the page).
    {
        let list_ref = list_ref.clone();
        use_effect_with((session.selected, session.step), move |_| {
            let Some(list) = list_ref.cast::<HtmlElement>() else {
                return;
            };
            let Some(li) = list.query_selector("li.current").ok().flatten() else {
                return;
            };
            let Ok(li) = li.dyn_into::<HtmlElement>() else {
                return;
            };
            let (top, bottom) = (li.offset_top(), li.offset_top() + li.offset_height());
            let (view_top, view_height) = (list.scroll_top(), list.client_height());
            let margin = 8;
            if top < view_top + margin {
                list.set_scroll_top((top - margin).max(0));
            } else if bottom > view_top + view_height - margin {
                list.set_scroll_top(bottom - view_height + margin);
            }
        });
    }

    let current = session.step;
    let command = session.current();

    let items = command
        .map(|c| {
            c.steps()
                .iter()
                .enumerate()
                .map(|(i, step)| {
                    let onclick = {
                        let session = session.clone();
                        Callback::from(move |_: MouseEvent| session.dispatch(Action::SelectStep(i)))
                    };
                    step_item(i, step, i == current, onclick)
                })
                .collect::<Html>()
        })
        .unwrap_or_default();

    let subtitle = match command {
        Some(c) => {
            html! { <code class="pane-note steps-of" title={c.outcome.line.clone()}>{ c.outcome.line.clone() }</code> }
        }
        None => html! { <span class="pane-note">{ "run a command to see its steps" }</span> },
    };

    html! {
        <section class="pane steps-pane" aria-labelledby="steps-title">
            <div class="pane-head">
                <h2 id="steps-title">{ "Steps" }</h2>
                { subtitle }
            </div>
            <ol id="steps" class="steps" ref={list_ref} aria-label="Steps of the selected command">
                { items }
            </ol>
            { if command.is_none() { legend() } else { Html::default() } }
        </section>
    }
}

/// Who is who, shown until the first command: the components a command travels through.
fn legend() -> Html {
    let rows = Component::ALL
        .iter()
        .map(|c| {
            html! {
                <li key={c.name()}>
                    <span class={classes!("badge", format!("badge-{}", c.name()))}>{ c.name() }</span>
                    <span>{ c.role() }</span>
                </li>
            }
        })
        .collect::<Html>();
    html! {
        <div class="legend">
            <p>{ "Each command travels through these components. Every step says which one acted, what it did, and why. Step with Prev, Next and Play, or with ←, → and space (press Esc to leave the terminal first):" }</p>
            <ul>{ rows }</ul>
        </div>
    }
}

fn step_item(i: usize, step: &Step, current: bool, onclick: Callback<MouseEvent>) -> Html {
    let component = step.component.name();
    // An API step's action is its request line: colour the method and the status.
    let request_line = step
        .http
        .as_ref()
        .filter(|h| step.action == format!("{} {} → {}", h.method, h.path, h.status));
    let action = match request_line {
        Some(h) => html! {
            <span class="step-action">
                <span class="http-method">{ h.method.clone() }</span>{ " " }
                <span class="http-path">{ h.path.clone() }</span>{ " " }
                <span class={status_class(h.status)}>{ format!("→ {}", h.status) }</span>
            </span>
        },
        None => html! { <span class="step-action">{ step.action.clone() }</span> },
    };
    html! {
        <li key={i}
            class={classes!("step", current.then_some("current"))}
            data-component={component}
            aria-current={current.then_some("step")}
            {onclick}
        >
            <span class="step-num" aria-label={format!("Step {}", i + 1)}>{ i + 1 }</span>
            <span class={classes!("badge", format!("badge-{component}"))} title={step.component.role()}>{ component }</span>
            <div class="step-text">
                { action }
                <span class="step-why">{ step.why.to_string() }</span>
                { (current && !step.changes.is_empty()).then(|| changes(step)) }
                { step.http.as_ref().map(|h| http_exchange(h, request_line.is_none())) }
            </div>
        </li>
    }
}

/// What the current step changed, as chips: `+ container 6c3b9aa767f7`.
fn changes(step: &Step) -> Html {
    let chips = step
        .changes
        .iter()
        .map(|c| {
            let (sign, class) = match c.kind {
                ChangeKind::Added => ("+", "added"),
                ChangeKind::Modified => ("~", "modified"),
                ChangeKind::Removed => ("−", "removed"),
            };
            let what = match &c.object {
                Object::Container(id) => format!("container {}", super::short_id(id)),
                Object::Image(id) => format!("image {}", super::short_id(id)),
                Object::Layer(id) => format!("layer {}", super::short_id(id)),
                Object::Process(pid) => format!("process {pid}"),
                Object::Namespace(inode) => format!("namespace {inode}"),
                Object::Cgroup(path) => {
                    format!("cgroup {}", path.rsplit('/').next().unwrap_or(path))
                }
                Object::Mount(id) => format!("mount of {}", super::short_id(id)),
            };
            html! { <li class={classes!("change", class)}>{ format!("{sign} {what}") }</li> }
        })
        .collect::<Html>();
    html! { <ul class="step-changes" aria-label="What this step changed">{ chips }</ul> }
}

fn status_class(status: u16) -> &'static str {
    if status >= 400 {
        "http-status fail"
    } else {
        "http-status ok"
    }
}

/// The HTTP exchange of an API step: its request line (unless the action already is
/// it) and its JSON bodies, folded.
fn http_exchange(h: &Http, show_request_line: bool) -> Html {
    let request_line = show_request_line.then(|| {
        html! {
            <div>
                <code class="http-request"><span class="http-method">{ h.method.clone() }</span>{ " " }{ h.path.clone() }</code>
                { " " }
                <span class={status_class(h.status)}>{ format!("→ {}", h.status) }</span>
            </div>
        }
    });
    let label = match (&h.request, &h.response) {
        (Some(_), Some(_)) => "request and response JSON",
        (Some(_), None) => "request JSON",
        (None, Some(_)) => "response JSON",
        (None, None) => "",
    };
    let bodies = (!label.is_empty()).then(|| {
        html! {
            <details class="http-bodies">
                <summary>{ label }</summary>
                { h.request.as_ref().map(|b| html! { <><div class="http-label">{ "request" }</div><pre>{ pretty(b) }</pre></> }) }
                { h.response.as_ref().map(|b| html! { <><div class="http-label">{ "response" }</div><pre>{ pretty(b) }</pre></> }) }
            </details>
        }
    });
    html! {
        <div class="step-http">
            { request_line }
            { bodies }
        </div>
    }
}

/// A compact JSON body indented for reading, two spaces a level. A plain scan of the
/// text (no parsing, no serde_json in the bundle): anything that is not JSON comes out
/// readable enough.
pub(crate) fn pretty(body: &str) -> String {
    if !body.trim_start().starts_with(['{', '[']) {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = body.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                // Several documents (a JSON stream): one after the other.
                if depth == 0 && !out.is_empty() {
                    out.push('\n');
                }
                out.push(c);
                // Keep `{}` and `[]` on one line.
                if matches!((c, chars.peek()), ('{', Some('}')) | ('[', Some(']'))) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn pretty_indents_compact_json() {
        let body = r#"{"Id":"a\"b,c","Warnings":[],"Env":["A=1","B=2"],"Labels":{}}"#;
        let want = "{\n  \"Id\": \"a\\\"b,c\",\n  \"Warnings\": [],\n  \"Env\": [\n    \"A=1\",\n    \"B=2\"\n  ],\n  \"Labels\": {}\n}";
        assert_eq!(super::pretty(body), want);
        assert_eq!(
            super::pretty("{\"a\":1}\n{\"b\":[2]}"),
            "{\n  \"a\": 1\n}\n{\n  \"b\": [\n    2\n  ]\n}"
        );
        assert_eq!(super::pretty("not json, as it is"), "not json, as it is");
    }
}
