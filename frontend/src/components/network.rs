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

#[function_component(NetworkView)]
pub fn network_view() -> Html {
    let session = use_session();
    let snap = session.current_snapshot();
    html! {
        <div class="net-view">
            { graph(snap, session.snapshot_before_step()) }
            { volumes(snap) }
        </div>
    }
}

fn graph(snap: &Snapshot, before: &Snapshot) -> Html {
    let was = |net: &str, id: &str| {
        before
            .networks
            .iter()
            .filter(|n| n.name == net)
            .flat_map(|n| n.endpoints.iter())
            .find(|e| e.container_id == id)
    };
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
        .max(3);
    let width = cols as f64 * COL + 20.0;
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
    let on_host: Vec<String> = host_net
        .map(|n| n.endpoints.iter().map(|e| e.container.clone()).collect())
        .unwrap_or_default();
    // The host's box grows with its lines: title, uplink, host-network containers, ports.
    let host_lines = 2 + usize::from(!on_host.is_empty()) + ports.len();
    let host_h = 16.0 + host_lines as f64 * 17.0;
    let br_y = HOST_Y + host_h + 40.0;
    let ct_y = br_y + 110.0;
    let height = ct_y + 72.0;

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
    let line_y = |i: usize| (HOST_Y + 20.0 + i as f64 * 17.0).to_string();
    let first_port = 2 + usize::from(!on_host.is_empty());
    items.push(html! {
        <g class="net-host" key="host">
            <rect x="10" y={HOST_Y.to_string()} width={(width - 20.0).to_string()} height={host_h.to_string()} rx="8" />
            <text class="net-title" x="22" y={line_y(0)}>{ "host" }</text>
            <text x="22" y={line_y(1)}>{ format!("uplink {uplink}") }</text>
            { (!on_host.is_empty()).then(|| html! {
                <text class="net-hostnet" x="22" y={line_y(2)}>{ format!("--network host: {}", on_host.join(", ")) }</text>
            }) }
            { for ports.iter().enumerate().map(|(i, (p, c))| html! {
                <text class="net-port" data-port={p.clone()} x="22" y={line_y(first_port + i)}>
                    { format!("published {p} → {c}:{}", p.split("->").nth(1).unwrap_or_default()) }
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
                <line class="net-link" x1={cx.to_string()} y1={(HOST_Y + host_h).to_string()} x2={cx.to_string()} y2={br_y.to_string()} />
                <rect x={(cx - 95.0).to_string()} y={br_y.to_string()} width="190" height="54" rx="6" />
                <text class="net-title" x={(cx - 87.0).to_string()} y={(br_y + 18.0).to_string()}>{ format!("{} ({})", b.bridge, b.name) }</text>
                <text x={(cx - 87.0).to_string()} y={(br_y + 34.0).to_string()}>{ format!("{} gw {}", b.subnet, b.gateway) }</text>
                <text class="muted" x={(cx - 87.0).to_string()} y={(br_y + 48.0).to_string()}>{ state }</text>
            </g>
        });
        for (i, e) in b.endpoints.iter().enumerate() {
            let x = 10.0 + (col + i) as f64 * COL + COL / 2.0;
            items.push(html! {
                <g class={classes!("net-container", was(&b.name, &e.container_id).is_none_or(|old| old.ports != e.ports).then_some("new"))}
                    key={format!("ep-{}-{}", b.name, e.container_id)} data-container={e.container.clone()} data-ip={e.ip.clone()}>
                    <line class="net-veth" x1={cx.to_string()} y1={(br_y + 54.0).to_string()} x2={x.to_string()} y2={ct_y.to_string()} />
                    <text class="net-veth-label" x={(x + 4.0).to_string()} y={(ct_y - 26.0).to_string()}>{ format!("{} ⇄ {}", e.host_ifname, e.ifname) }</text>
                    <rect x={(x - 95.0).to_string()} y={ct_y.to_string()} width="190" height="62" rx="6" />
                    <text class="net-title" x={(x - 87.0).to_string()} y={(ct_y + 18.0).to_string()}>{ e.container.clone() }</text>
                    <text x={(x - 87.0).to_string()} y={(ct_y + 34.0).to_string()}>{ format!("{} {}", e.ifname, e.ip) }</text>
                    <text class="muted" x={(x - 87.0).to_string()} y={(ct_y + 50.0).to_string()}>{ e.mac.clone() }</text>
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
