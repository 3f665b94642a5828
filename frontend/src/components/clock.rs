//! The virtual clock: what time it is on the simulated host, and buttons that let time
//! pass (each runs Porthole's `wait DURATION` command, so it lands in the session's log
//! and its steps show what happened meanwhile: output, exits, OOM kills, restarts).

use crate::hooks::use_session;
use crate::state::Action;
use yew::prelude::*;

const STEPS: [(&str, &str); 3] = [
    ("+1 s", "wait 1s"),
    ("+10 s", "wait 10s"),
    ("+1 min", "wait 1m"),
];

#[function_component(Clock)]
pub fn clock() -> Html {
    let session = use_session();
    let now = session.current_snapshot().time.rfc3339_nano();
    // 2026-01-05T09:00:01.5Z → 09:00:01
    let shown = now.get(11..19).unwrap_or(&now).to_string();
    let buttons = STEPS
        .iter()
        .map(|(label, line)| {
            let session = session.clone();
            let line = (*line).to_string();
            let onclick = Callback::from(move |_: MouseEvent| session.dispatch(Action::Run(line.clone())));
            html! {
                <button key={*label} type="button" class="clock-step" {onclick}
                    aria-label={format!("Let {} of virtual time pass", label.trim_start_matches('+'))}>{ *label }</button>
            }
        })
        .collect::<Html>();
    html! {
        <div class="clock" role="group" aria-label="Virtual clock">
            <span class="clock-label">{ "virtual time" }</span>
            <time id="clock-now" datetime={now.clone()}>{ shown }</time>
            { buttons }
        </div>
    }
}
