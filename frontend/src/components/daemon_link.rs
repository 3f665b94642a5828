//! The backend switch: when the page is served by `porthole serve --http`, it can follow
//! that daemon instead of simulating on its own. Following polls the daemon's command log
//! (`/porthole/log?from=N`) and replays each new line in the page's engine, so every
//! command the real docker CLI sends shows up here with its steps.

use crate::hooks::use_session;
use crate::state::Action;
use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// GETs `url` and returns the body, or None (no daemon, not JSON, network error).
async fn fetch_text(url: String) -> Option<String> {
    let window = web_sys::window()?;
    let resp = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&url))
        .await
        .ok()?;
    let resp: web_sys::Response = resp.dyn_into().ok()?;
    if !resp.ok() {
        return None;
    }
    let text = wasm_bindgen_futures::JsFuture::from(resp.text().ok()?)
        .await
        .ok()?;
    text.as_string()
}

/// The part of the log from `from` on, as the reducer takes it.
fn parse_log(text: &str) -> Option<Action> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let entries = v["entries"]
        .as_array()?
        .iter()
        .filter_map(|e| Some((e["at"].as_u64()?, e["line"].as_str()?.to_string())))
        .collect();
    Some(Action::Follow {
        seed: v["seed"].as_u64()?,
        from: v["from"].as_u64()? as usize,
        next: v["next"].as_u64()? as usize,
        entries,
    })
}

#[function_component(DaemonLink)]
pub fn daemon_link() -> Html {
    let session = use_session();
    // Whether this page came from a daemon that publishes its log.
    let available = use_state(|| false);
    {
        let available = available.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(t) = fetch_text("/porthole/log?from=0".into()).await {
                    if parse_log(&t).is_some() {
                        available.set(true);
                    }
                }
            });
        });
    }
    // While following: ask for what is new twice a second. The timer reads where the
    // session is now through a ref (its closure outlives this render's handle).
    let next = use_mut_ref(|| 0usize);
    *next.borrow_mut() = session.follow.unwrap_or(0);
    {
        let session = session.clone();
        let follow = session.follow;
        let next = next.clone();
        use_effect_with(follow.is_some(), move |on| {
            let timer = on.then(|| {
                Interval::new(500, move || {
                    let session = session.clone();
                    let from = *next.borrow();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Some(a) = fetch_text(format!("/porthole/log?from={from}"))
                            .await
                            .and_then(|t| parse_log(&t))
                        {
                            session.dispatch(a);
                        }
                    });
                })
            });
            move || drop(timer)
        });
    }
    if !*available {
        return html! {};
    }
    let following = session.follow.is_some();
    let toggle = {
        let session = session.clone();
        Callback::from(move |_| {
            if session.follow.is_some() {
                session.dispatch(Action::Unfollow);
            } else {
                let session = session.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(a) = fetch_text("/porthole/log?from=0".into())
                        .await
                        .and_then(|t| parse_log(&t))
                    {
                        session.dispatch(a);
                    }
                });
            }
        })
    };
    html! {
        <div class="daemon-link" role="group" aria-label="Backend">
            <span class="daemon-label">{ "Backend:" }</span>
            <button id="backend-switch" type="button" aria-pressed={ following.to_string() }
                title="Follow the porthole serve daemon that served this page: its docker CLI's commands appear here"
                onclick={toggle}>
                { if following { "this daemon (porthole serve)" } else { "in-browser simulation" } }
            </button>
        </div>
    }
}
