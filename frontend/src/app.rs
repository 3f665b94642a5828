//! The page layout and the session context.

use crate::components::{
    DaemonLink, HostSettingsPanel, SessionBar, StepBar, Steps, Terminal, Views,
};
use crate::hooks::SessionContext;
use crate::state::{HostSettings, Session, View};
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
    /// The simulated machine (CPUs, memory, cgroup layout).
    #[prop_or_default]
    pub host: HostSettings,
    /// The view shown first.
    #[prop_or_default]
    pub view: View,
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
    /// - `cpus=<1..=64>`, `memory=<size>` (`4g`, `512m`: at least 64m), `cgroup=1|2`: the
    ///   simulated machine, as `porthole sim --host-cpus/--host-memory/--cgroup-version`
    ///   sets it (the host settings panel writes them).
    ///
    /// - `view=<architecture|namespaces|cgroups|network|layers|inspect|listing>`: the
    ///   view shown first.
    ///
    /// Anything else in the query is ignored; an unparsable value counts as the default.
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
        let mut host = HostSettings::default();
        if let Some(c) = params
            .get("cpus")
            .and_then(|c| c.trim().parse::<u32>().ok())
            .filter(|c| (1..=64).contains(c))
        {
            host.cpus = c;
        }
        if let Some(m) = params
            .get("memory")
            .and_then(|m| porthole_engine::resources::ram_in_bytes(m.trim()).ok())
            .filter(|m| *m >= 64 << 20)
        {
            host.memory_bytes = m as u64;
        }
        if let Some(v) = params
            .get("cgroup")
            .and_then(|v| v.trim().parse::<u8>().ok())
            .filter(|v| *v == 1 || *v == 2)
        {
            host.cgroup_version = v;
        }
        let view = params
            .get("view")
            .and_then(|v| View::ALL.into_iter().find(|x| x.id() == v))
            .unwrap_or_default();
        AppProps {
            seed,
            script,
            host,
            view,
        }
    }
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let session = {
        let (seed, script, host) = (props.seed, props.script.clone(), props.host);
        let view = props.view;
        use_reducer(move || {
            let mut s = Session::on_host_with_script(seed, host, &script);
            s.view = view;
            s
        })
    };
    // The URL follows the session, so that the address bar is always a link to it.
    {
        let query = session.share_query();
        use_effect_with(query, move |query| {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query));
            }
        });
    }
    html! {
        <ContextProvider<SessionContext> context={session}>
            <div class="app">
                <header class="app-header">
                    <div class="app-title">
                        <h1>{ "Porthole — a window into a container" }</h1>
                        <p class="tagline">
                            { "Type docker commands, then step through what each one did, from the CLI down to the kernel." }
                        </p>
                    </div>
                    <SessionBar />
                    <DaemonLink />
                    <HostSettingsPanel />
                </header>
                <main class="app-main">
                    <div class="left-col">
                        <Terminal />
                        <Steps />
                    </div>
                    <section class="views-pane" aria-label="The host, step by step">
                        <StepBar />
                        <Views />
                    </section>
                </main>
            </div>
        </ContextProvider<SessionContext>>
    }
}
