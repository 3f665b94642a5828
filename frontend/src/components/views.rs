//! The views of the host beside the terminal, as tabs: architecture, namespaces,
//! cgroups, network, layers, inspect and the containers listing. Only the open view is
//! drawn (a step re-renders one view, not seven); the containers listing is always in
//! the page, hidden unless open, as the page's plain-text account of the host.

use super::{Architecture, Cgroups, Inspect, Layers, Listing, Namespaces, NetworkView};
use crate::hooks::use_session;
use crate::state::{Action, View};
use yew::prelude::*;

#[function_component(Views)]
pub fn views() -> Html {
    let session = use_session();
    let shown = session.view;
    let tabs = View::ALL
        .iter()
        .map(|&v| {
            let onclick = {
                let session = session.clone();
                Callback::from(move |_: MouseEvent| session.dispatch(Action::Show(v)))
            };
            let selected = v == shown;
            html! {
                <button key={v.id()} type="button" role="tab" id={format!("tab-{}", v.id())}
                    class={classes!("tab", selected.then_some("selected"))}
                    aria-selected={selected.to_string()} aria-controls={format!("view-{}", v.id())}
                    tabindex={if selected { "0" } else { "-1" }} {onclick}>{ v.label() }</button>
            }
        })
        .collect::<Html>();
    // ← and → in the tab list move between tabs (the WAI-ARIA tabs pattern).
    let onkeydown = {
        let session = session.clone();
        Callback::from(move |e: KeyboardEvent| {
            let i = View::ALL.iter().position(|&v| v == shown).unwrap_or(0);
            let n = View::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % n,
                "ArrowLeft" => (i + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            session.dispatch(Action::Show(View::ALL[next]));
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", View::ALL[next].id())))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = el.focus();
            }
        })
    };
    let panel = |v: View, body: Html| {
        let drawn = v == shown || v == View::Listing;
        html! {
            <div key={v.id()} id={format!("view-{}", v.id())} class="view" role="tabpanel"
                aria-labelledby={format!("tab-{}", v.id())} hidden={v != shown}>
                { if drawn { body } else { Html::default() } }
            </div>
        }
    };
    html! {
        <div class="views">
            <div class="tabs" role="tablist" aria-label="Views of the host" {onkeydown}>{ tabs }</div>
            <div class="view-area">
                { panel(View::Architecture, html! { <Architecture /> }) }
                { panel(View::Namespaces, html! { <Namespaces /> }) }
                { panel(View::Cgroups, html! { <Cgroups /> }) }
                { panel(View::Network, html! { <NetworkView /> }) }
                { panel(View::Layers, html! { <Layers /> }) }
                { panel(View::Inspect, html! { <Inspect /> }) }
                { panel(View::Listing, html! { <Listing /> }) }
            </div>
        </div>
    }
}
