//! The session's controls in the header: a link to this session (the page's URL holds
//! the seed, the host and every command; opening it replays them), export to a file and
//! import from one, and the light/dark theme.

use crate::hooks::use_session;
use crate::state::Action;
use gloo::file::callbacks::FileReader;
use gloo::file::{Blob, File, ObjectUrl};
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlInputElement};
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Dark,
            Theme::Dark => Theme::Light,
            Theme::Light => Theme::System,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[function_component(SessionBar)]
pub fn session_bar() -> Html {
    let session = use_session();
    let theme = use_state(|| Theme::System);
    let reader = use_mut_ref(|| None::<FileReader>);
    let copied = use_state(|| false);
    let file_ref = use_node_ref();

    {
        let t = *theme;
        use_effect_with(t, move |t| {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                match t {
                    Theme::System => {
                        let _ = root.remove_attribute("data-theme");
                    }
                    t => {
                        let _ = root.set_attribute("data-theme", t.name());
                    }
                }
            }
        });
    }

    let link = {
        let base = web_sys::window()
            .and_then(|w| {
                let l = w.location();
                Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
            })
            .unwrap_or_default();
        format!("{base}{}", session.share_query())
    };
    let on_copy = {
        let (link, copied) = (link.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&link);
                copied.set(true);
            }
        })
    };
    let on_export = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let blob = Blob::new_with_options(session.export().as_str(), Some("text/plain"));
            let url = ObjectUrl::from(blob);
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let Some(a) = doc
                .create_element("a")
                .ok()
                .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
            else {
                return;
            };
            a.set_href(&url);
            a.set_download(&format!("porthole-session-{}.txt", session.seed));
            a.click();
        })
    };
    let on_import = {
        let session = session.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let session = session.clone();
            let task = gloo::file::callbacks::read_as_text(&File::from(file), move |text| {
                if let Ok(text) = text {
                    session.dispatch(Action::Import(text));
                }
            });
            *reader.borrow_mut() = Some(task);
            input.set_value("");
        })
    };
    let on_pick = {
        let file_ref = file_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_ref.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| theme.set(theme.next()))
    };
    html! {
        <div class="session-bar" role="group" aria-label="This session">
            <input id="session-link" class="session-link" type="text" readonly=true value={link}
                aria-label="A link to this session: opening it replays the same commands on the same seed" />
            <button id="session-copy" type="button" onclick={on_copy} aria-label="Copy the link to this session">{ if *copied { "Copied" } else { "Copy link" } }</button>
            <button id="session-export" type="button" onclick={on_export} aria-label="Export the session to a file">{ "Export" }</button>
            <button id="session-import-button" type="button" onclick={on_pick} aria-label="Import a session from a file">{ "Import" }</button>
            <input id="session-import" ref={file_ref} class="visually-hidden" type="file" accept=".txt,text/plain"
                tabindex="-1" aria-hidden="true" onchange={on_import} />
            <button id="theme-toggle" type="button" onclick={on_theme} aria-label={format!("Theme: {} (switch)", theme.name())}>{ format!("Theme: {}", theme.name()) }</button>
        </div>
    }
}
