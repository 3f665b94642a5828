//! The simulated machine's settings: CPUs, memory and the cgroup layout. Like real
//! hardware they are fixed while the host runs: applying them starts a new host (the
//! URL's `cpus`, `memory` and `cgroup`, with the same seed), as
//! `porthole sim --host-cpus N --host-memory SIZE --cgroup-version V` does.

use crate::hooks::use_session;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

const CPUS: [u32; 6] = [1, 2, 4, 8, 16, 32];
const MEMORY: [(&str, u64); 6] = [
    ("1g", 1 << 30),
    ("2g", 2 << 30),
    ("4g", 4 << 30),
    ("8g", 8 << 30),
    ("16g", 16 << 30),
    ("32g", 32 << 30),
];

#[function_component(HostSettingsPanel)]
pub fn host_settings_panel() -> Html {
    let session = use_session();
    let host = session.host;
    let (cpus_ref, memory_ref, cgroup_ref) = (use_node_ref(), use_node_ref(), use_node_ref());
    let summary = format!(
        "{} CPU{}, {}, cgroup v{}",
        host.cpus,
        if host.cpus == 1 { "" } else { "s" },
        porthole_engine::format::bytes_size(host.memory_bytes),
        host.cgroup_version
    );
    let onclick = {
        let (c, m, g) = (cpus_ref.clone(), memory_ref.clone(), cgroup_ref.clone());
        let seed = session.seed;
        Callback::from(move |_: MouseEvent| {
            let value = |r: &NodeRef| {
                r.cast::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default()
            };
            let search = format!(
                "?seed={seed}&cpus={}&memory={}&cgroup={}",
                value(&c),
                value(&m),
                value(&g)
            );
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_search(&search);
            }
        })
    };
    let cpu_options = CPUS
        .iter()
        .map(|n| html! { <option key={*n} value={n.to_string()} selected={*n == host.cpus}>{ n }</option> })
        .collect::<Html>();
    let memory_options = MEMORY
        .iter()
        .map(|(label, bytes)| html! { <option key={*label} value={*label} selected={*bytes == host.memory_bytes}>{ porthole_engine::format::bytes_size(*bytes) }</option> })
        .collect::<Html>();
    html! {
        <details id="host-settings" class="host-settings">
            <summary>{ "Host: " }<span id="host-summary">{ summary }</span></summary>
            <div class="host-form">
                <label>{ "CPUs " }<select id="host-cpus" ref={cpus_ref}>{ cpu_options }</select></label>
                <label>{ "Memory " }<select id="host-memory" ref={memory_ref}>{ memory_options }</select></label>
                <label>{ "cgroup " }
                    <select id="host-cgroup" ref={cgroup_ref}>
                        <option value="2" selected={host.cgroup_version == 2}>{ "v2 (unified)" }</option>
                        <option value="1" selected={host.cgroup_version == 1}>{ "v1 (per controller)" }</option>
                    </select>
                </label>
                <button id="host-apply" type="button" {onclick}>{ "Start a new host" }</button>
                <p class="host-note">{ "A new host starts empty: the commands so far are not replayed." }</p>
            </div>
        </details>
    }
}
