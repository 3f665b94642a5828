//! The step-through bar over the views: Prev, Play/Pause, Next and a scrubber for the
//! selected command, and the current step's component and sentence. Keyboard: ← and →
//! step, space plays or pauses (outside text fields; Esc leaves the terminal input).
//! Every line has a fixed height, so nothing below moves while stepping.

use crate::hooks::use_session;
use crate::state::Action;
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

/// Time between two steps while playing.
const PLAY_MS: u32 = 900;

#[function_component(StepBar)]
pub fn step_bar() -> Html {
    let session = use_session();

    // ←, → and space, unless the student is typing somewhere.
    {
        let session = session.clone();
        let playing = session.playing;
        use_effect_with(playing, move |_| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&doc, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() || typing_in(e)
                    {
                        return;
                    }
                    let action = match e.key().as_str() {
                        "ArrowLeft" => Action::Prev,
                        "ArrowRight" => Action::Next,
                        // A focused button or summary takes space itself.
                        " " | "Spacebar" if !on_control(e) => Action::Play(!playing),
                        _ => return,
                    };
                    e.prevent_default();
                    session.dispatch(action);
                })
            });
            move || drop(listener)
        });
    }

    // While playing, one step a tick.
    {
        let dispatcher = session.dispatcher();
        use_effect_with(session.playing, move |playing| {
            let timer =
                playing.then(|| Interval::new(PLAY_MS, move || dispatcher.dispatch(Action::Tick)));
            move || drop(timer)
        });
    }

    let count = session.step_count();
    let current = session.step;
    let step = session.current_step();
    let dispatch = |a: Action| {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(a.clone()))
    };
    let onscrub = {
        let session = session.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(n) = input.value().parse::<usize>() {
                    session.dispatch(Action::SelectStep(n.saturating_sub(1)));
                }
            }
        })
    };
    let counter = if count == 0 {
        "No steps".to_string()
    } else {
        format!("Step {} of {}", current + 1, count)
    };
    let (play_label, play_text) = if session.playing {
        ("Pause (space)", "❚❚ Pause")
    } else {
        ("Play the steps (space)", "▶ Play")
    };
    let line = session
        .current()
        .map(|c| c.outcome.line.clone())
        .unwrap_or_default();
    let (badge, action, why) = match step {
        Some(s) => {
            let name = s.component.name();
            (
                html! { <span id="step-component" class={classes!("badge", format!("badge-{name}"))} title={s.component.role()}>{ name }</span> },
                s.action.clone(),
                s.why.to_string(),
            )
        }
        None => (
            html! { <span id="step-component" class="badge badge-none">{ "—" }</span> },
            if line.is_empty() {
                "Run a command in the terminal: its steps appear here.".to_string()
            } else {
                format!("`{line}` took no steps through the Docker stack.")
            },
            String::new(),
        ),
    };

    html! {
        <div class="step-bar" role="region" aria-label="Step through the selected command">
            <div class="step-controls" role="group" aria-label="Step controls">
                <button id="step-first" type="button" onclick={dispatch(Action::Replay(session.selected.unwrap_or(0)))} disabled={count == 0 || current == 0}
                    aria-label="Back to the first step, to step through the command again">{ "|◀" }</button>
                <button id="step-prev" type="button" onclick={dispatch(Action::Prev)} disabled={count == 0 || current == 0}
                    aria-label="Previous step (left arrow)" aria-keyshortcuts="ArrowLeft">{ "◀ Prev" }</button>
                <button id="step-play" type="button" onclick={dispatch(Action::Play(!session.playing))} disabled={count < 2}
                    aria-label={play_label} aria-pressed={session.playing.to_string()} aria-keyshortcuts="Space">{ play_text }</button>
                <button id="step-next" type="button" onclick={dispatch(Action::Next)} disabled={count == 0 || current + 1 >= count}
                    aria-label="Next step (right arrow)" aria-keyshortcuts="ArrowRight">{ "Next ▶" }</button>
                <input id="step-scrubber" type="range" min="1" max={count.max(1).to_string()}
                    value={(current + 1).to_string()} disabled={count < 2} oninput={onscrub}
                    aria-label="Scrub through the steps" aria-valuetext={counter.clone()} />
                <span id="step-counter" aria-live="polite">{ counter }</span>
                <code class="step-bar-line" title={line.clone()}>{ line }</code>
            </div>
            <div class="step-now" aria-live="polite">
                { badge }
                <div class="step-now-text">
                    <span id="step-now-action" class="step-now-action" title={action.clone()}>{ action }</span>
                    <span class="step-now-why" title={why.clone()}>{ why }</span>
                </div>
            </div>
        </div>
    }
}

/// Whether the key went to a text field (the terminal input among them).
fn typing_in(e: &KeyboardEvent) -> bool {
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || el.has_attribute("contenteditable")
}

/// Whether the key went to a control that space activates.
fn on_control(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "SUMMARY" | "A"))
}
