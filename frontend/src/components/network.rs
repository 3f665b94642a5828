//! The network view: an SVG graph of the host (its uplink and published ports), each
//! bridge network's Linux bridge, the veth pairs that plug containers into it, and the
//! containers with their addresses; containers on the host's network sit in the host.
//! Below it, the volumes with where each container mounts them.

use crate::hooks::use_session;
use porthole_engine::format::bytes_size;
use porthole_engine::snapshot::{NetworkView as Net, Snapshot};
use yew::prelude::*;

const COL: f64 = 210.0;
const HOST_Y: f64 = 10.0;
const BR_Y: f64 = 140.0;
const CT_Y: f64 = 250.0;

#[function_component(NetworkView)]
pub fn network_view() -> Html {
    let session = use_session();
    let snap = session.current_snapshot();
    html! {
        <div class="net-view">
            { graph(snap) }
            { volumes(snap) }
        </div>
    }
}

fn graph(snap: &Snapshot) -> Html {
    let bridges: Vec<&Net> = snap
        .networks
        .iter()
        .filter(|n| n.driver == "bridge")
        .collect();
    let host_net = snap.networks.iter().find(|n| n.driver == "host");
    let host_if = snap.kernel.netns.first().and_then(|ns| {
        ns.interfaces.iter().find(|i| {
            i.name != "lo"
                && i.master.is_none()
                && i.ipv4.is_some()
                && !bridges.iter().any(|b| b.bridge == i.name)
        })
    });
    // Columns: one per endpoint of each bridge (at least one per bridge).
    let cols: usize = bridges
        .iter()
        .map(|b| b.endpoints.len().max(1))
        .sum::<usize>()
        .max(2);
    let width = cols as f64 * COL + 20.0;
    let height = CT_Y + 90.0;
    let ports: Vec<(String, String)> = snap
        .networks
        .iter()
        .flat_map(|n| n.endpoints.iter())
        .flat_map(|e| {
            e.ports
                .iter()
                .map(move |p| (p.clone(), e.container.clone()))
        })
        .collect();

    let mut items = Vec::new();
    // The host.
    let uplink = host_if
        .map(|i| {
            format!(
                "{} {}",
                i.name,
                i.ipv4
                    .as_ref()
                    .map(|(a, p)| format!("{a}/{p}"))
                    .unwrap_or_default()
            )
        })
        .unwrap_or_else(|| "eth0".into());
    let on_host: Vec<String> = host_net
        .map(|n| n.endpoints.iter().map(|e| e.container.clone()).collect())
        .unwrap_or_default();
    items.push(html! {
        <g class="net-host" key="host">
            <rect x="10" y={HOST_Y.to_string()} width={(width - 20.0).to_string()} height="84" rx="8" />
            <text class="net-title" x="22" y={(HOST_Y + 20.0).to_string()}>{ "host" }</text>
            <text x="22" y={(HOST_Y + 40.0).to_string()}>{ format!("uplink {uplink}") }</text>
            { (!on_host.is_empty()).then(|| html! {
                <text class="net-hostnet" x="22" y={(HOST_Y + 60.0).to_string()}>{ format!("--network host: {}", on_host.join(", ")) }</text>
            }) }
            { for ports.iter().enumerate().map(|(i, (p, c))| html! {
                <text class="net-port" data-port={p.clone()} x={(width / 2.0 - 10.0).to_string()} y={(HOST_Y + 20.0 + i as f64 * 16.0).to_string()}>
                    { format!("published {p} → {c}") }
                </text>
            }) }
        </g>
    });
    let mut col = 0usize;
    for b in &bridges {
        let n = b.endpoints.len().max(1);
        let cx = 10.0 + (col as f64 + n as f64 / 2.0) * COL;
        let bridge_if = snap
            .kernel
            .netns
            .first()
            .and_then(|ns| ns.interfaces.iter().find(|i| i.name == b.bridge));
        let state = match bridge_if {
            Some(i) if i.up && i.carrier => "UP",
            Some(i) if i.up => "NO-CARRIER",
            Some(_) => "DOWN",
            None => "not created",
        };
        items.push(html! {
            <g class="net-bridge" key={format!("br-{}", b.name)} data-network={b.name.clone()} data-bridge={b.bridge.clone()}>
                <line class="net-link" x1={cx.to_string()} y1={(HOST_Y + 84.0).to_string()} x2={cx.to_string()} y2={BR_Y.to_string()} />
                <rect x={(cx - 95.0).to_string()} y={BR_Y.to_string()} width="190" height="54" rx="6" />
                <text class="net-title" x={(cx - 87.0).to_string()} y={(BR_Y + 18.0).to_string()}>{ format!("{} ({})", b.bridge, b.name) }</text>
                <text x={(cx - 87.0).to_string()} y={(BR_Y + 34.0).to_string()}>{ format!("{} gw {}", b.subnet, b.gateway) }</text>
                <text class="muted" x={(cx - 87.0).to_string()} y={(BR_Y + 48.0).to_string()}>{ state }</text>
            </g>
        });
        for (i, e) in b.endpoints.iter().enumerate() {
            let x = 10.0 + (col + i) as f64 * COL + COL / 2.0;
            items.push(html! {
                <g class="net-container" key={format!("ep-{}-{}", b.name, e.container_id)} data-container={e.container.clone()} data-ip={e.ip.clone()}>
                    <line class="net-veth" x1={cx.to_string()} y1={(BR_Y + 54.0).to_string()} x2={x.to_string()} y2={CT_Y.to_string()} />
                    <text class="net-veth-label" x={(x + 4.0).to_string()} y={(CT_Y - 26.0).to_string()}>{ format!("{} ⇄ {}", e.host_ifname, e.ifname) }</text>
                    <rect x={(x - 95.0).to_string()} y={CT_Y.to_string()} width="190" height="62" rx="6" />
                    <text class="net-title" x={(x - 87.0).to_string()} y={(CT_Y + 18.0).to_string()}>{ e.container.clone() }</text>
                    <text x={(x - 87.0).to_string()} y={(CT_Y + 34.0).to_string()}>{ format!("{} {}", e.ifname, e.ip) }</text>
                    <text class="muted" x={(x - 87.0).to_string()} y={(CT_Y + 50.0).to_string()}>{ e.mac.clone() }</text>
                </g>
            });
        }
        col += n;
    }
    html! {
        <svg id="net-graph" class="net-graph" viewBox={format!("0 0 {width} {height}")}
            style={format!("max-width:{width}px")} role="img"
            aria-label="The host, its bridges, the veth pairs and the containers with their addresses">
            { for items }
        </svg>
    }
}

fn volumes(snap: &Snapshot) -> Html {
    let rows = if snap.volumes.is_empty() {
        html! { <tr class="empty"><td colspan="4">{ "No volumes" }</td></tr> }
    } else {
        snap.volumes
            .iter()
            .map(|v| {
                let used = v
                    .used_by
                    .iter()
                    .map(|(c, path)| format!("{c}:{path}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                html! {
                    <tr key={v.name.clone()} class="volume-row" data-name={v.name.clone()}>
                        <td class="name" title={v.name.clone()}>{ super::short_id(&v.name).to_string() }{ v.anonymous.then_some(" (anonymous)") }</td>
                        <td><code>{ v.mountpoint.clone() }</code></td>
                        <td class="volume-used">{ if used.is_empty() { "—".to_string() } else { used } }</td>
                        <td class="num">{ bytes_size(v.size) }</td>
                    </tr>
                }
            })
            .collect::<Html>()
    };
    html! {
        <table id="volumes" class="listing">
            <caption>{ "Volumes" }</caption>
            <thead><tr><th scope="col">{ "volume" }</th><th scope="col">{ "on the host" }</th><th scope="col">{ "mounted by (container:path)" }</th><th scope="col" class="num">{ "size" }</th></tr></thead>
            <tbody>{ rows }</tbody>
        </table>
    }
}
