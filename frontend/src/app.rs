//! The page layout and the session context.

use crate::components::{Listing, Steps, Terminal};
use crate::hooks::SessionContext;
use crate::state::Session;
use yew::prelude::*;

/// How the page starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Properties)]
pub struct AppProps {
    /// Seed of the simulated host (IDs, names, …); 0 like `porthole sim`.
    #[prop_or_default]
    pub seed: u64,
    /// Commands to run before the first render, in order.
    #[prop_or_default]
    pub script: Vec<String>,
}

impl AppProps {
    /// Reads the start-up session from the page's URL query, so that a session can be
    /// shared as a link (and screenshots can show a page after some commands):
    ///
    /// - `run=<command>`, repeatable: commands run at start-up, in order, e.g.
    ///   `?run=docker%20run%20-d%20--name%20web%20nginx&run=docker%20ps`
    ///   (URL-encoded; `+` also stands for a space);
    /// - `seed=<u64>`: the seed of the simulated host (default 0). With the same seed
    ///   and commands, `porthole sim --seed <seed>` prints the same output.
    ///
    /// Anything else in the query is ignored; an unparsable seed counts as 0.
    pub fn from_location() -> AppProps {
        let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
            return AppProps::default();
        };
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
            return AppProps::default();
        };
        let seed = params
            .get("seed")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        let script = params
            .get_all("run")
            .iter()
            .filter_map(|v| v.as_string())
            .collect();
        AppProps { seed, script }
    }
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let session = {
        let (seed, script) = (props.seed, props.script.clone());
        use_reducer(move || Session::with_script(seed, &script))
    };
    html! {
        <ContextProvider<SessionContext> context={session}>
            <div class="app">
                <header class="app-header">
                    <h1>{ "Porthole — a window into a container" }</h1>
                    <p class="tagline">
                        { "Type docker commands, then step through what each one did, from the CLI down to the kernel." }
                    </p>
                </header>
                <main class="app-main">
                    <Terminal />
                    <Steps />
                    <Listing />
                </main>
            </div>
        </ContextProvider<SessionContext>>
    }
}
