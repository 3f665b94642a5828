//! The cgroup view: the cgroup tree as the kernel has it after the current step, each
//! cgroup with gauges (memory usage against its limit, CPU, pids against pids.max), and
//! plots of each container's memory and CPU over virtual time, up to the current step,
//! with its limits dashed and OOM kills marked. The clock in the terminal lets time run.

use crate::hooks::use_session;
use porthole_engine::format::bytes_size;
use porthole_engine::kernel::CgroupInfo;
use porthole_engine::snapshot::Snapshot;
use yew::prelude::*;

#[function_component(Cgroups)]
pub fn cgroups() -> Html {
    let session = use_session();
    let snap = session.current_snapshot();
    let history = session.history_until_now();
    let mut cgs: Vec<&CgroupInfo> = snap.kernel.cgroups.iter().collect();
    cgs.sort_by(|a, b| a.path.cmp(&b.path));
    let rows = if cgs.is_empty() {
        html! { <li class="muted">{ "No cgroups yet: runc creates one for each container it starts." }</li> }
    } else {
        cgs.iter()
            .map(|cg| {
                let new = !session
                    .snapshot_before_step()
                    .kernel
                    .cgroups
                    .iter()
                    .any(|b| b.path == cg.path);
                cgroup_row(snap, cg, session.host.cpus, new)
            })
            .collect::<Html>()
    };
    html! {
        <div class="cg-view">
            <div class="cg-tree-wrap">
                <h3>{ "cgroup tree " }<span class="muted">{ format!("(cgroup v{})", session.host.cgroup_version) }</span></h3>
                <ul id="cg-tree" class="cg-tree">{ rows }</ul>
            </div>
            <div class="cg-plot-wrap">
                <h3>{ "memory over virtual time" }</h3>
                { plot(&history, snap) }
                <h3>{ "CPU over virtual time" }</h3>
                { cpu_plot(&history, snap) }
            </div>
        </div>
    }
}

/// The container a cgroup belongs to, by name.
fn owner(snap: &Snapshot, cg: &CgroupInfo) -> Option<String> {
    snap.containers
        .iter()
        .find(|c| !c.cgroup.is_empty() && (c.cgroup == cg.path || cg.path.ends_with(&c.cgroup)))
        .or_else(|| snap.containers.iter().find(|c| cg.path.contains(&c.id)))
        .map(|c| c.name.clone())
}

fn short_path(path: &str) -> String {
    let p = path.strip_prefix("/sys/fs/cgroup").unwrap_or(path);
    // docker-<64 hex>.scope → docker-<12 hex>….scope
    p.split('/')
        .map(|seg| {
            if seg.len() > 40 {
                format!("{}…{}", &seg[..19], &seg[seg.len() - 6..])
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn gauge(id: &str, label: &str, value: u64, max: Option<u64>, text: String) -> Html {
    let pct = match max {
        Some(m) if m > 0 => (value as f64 / m as f64 * 100.0).min(100.0),
        _ => 0.0,
    };
    let level = if pct >= 90.0 {
        "high"
    } else if pct >= 60.0 {
        "mid"
    } else {
        "low"
    };
    html! {
        <div class="gauge" data-gauge={id.to_string()}>
            <span class="gauge-label">{ label.to_string() }</span>
            <span class="gauge-bar" role="meter" aria-label={format!("{label}: {text}")}
                aria-valuemin="0" aria-valuemax="100" aria-valuenow={format!("{pct:.0}")}>
                <span class={classes!("gauge-fill", level)} style={format!("width:{pct:.1}%")}></span>
            </span>
            <span class="gauge-text">{ text }</span>
        </div>
    }
}

fn cgroup_row(snap: &Snapshot, cg: &CgroupInfo, host_cpus: u32, new: bool) -> Html {
    let s = &cg.stats;
    let who = owner(snap, cg);
    let mem_limited = cg.limits.memory.is_some();
    let mem_text = if mem_limited {
        format!(
            "{} / {}",
            bytes_size(s.memory_usage),
            bytes_size(s.memory_limit)
        )
    } else {
        format!("{} (no limit)", bytes_size(s.memory_usage))
    };
    // CPUs it may use: the CFS quota over the period, else the host's.
    let cpus_max = match (cg.limits.cpu_quota, cg.limits.cpu_period) {
        (Some(q), Some(p)) if q > 0 && p > 0 => q as f64 / p as f64,
        _ => host_cpus as f64,
    };
    let cpu_text = format!(
        "{:.0}% ({:.2} of {:.2} CPUs)",
        s.cpu_millis as f64 / 10.0,
        s.cpu_millis as f64 / 1000.0,
        cpus_max
    );
    let pids_text = match s.pids_limit {
        Some(m) => format!("{} / {m}", s.pids_current),
        None => format!("{} / max", s.pids_current),
    };
    let depth = cg
        .path
        .strip_prefix("/sys/fs/cgroup")
        .unwrap_or(&cg.path)
        .matches('/')
        .count()
        .saturating_sub(1);
    html! {
        <li key={cg.path.clone()} class={classes!("cg-node", (s.oom_kills > 0).then_some("oom"), new.then_some("new"))}
            data-path={cg.path.clone()} data-container={who.clone().unwrap_or_default()}
            data-oom-kills={s.oom_kills.to_string()} style={format!("--depth:{depth}")}>
            <div class="cg-head">
                <code title={cg.path.clone()}>{ short_path(&cg.path) }</code>
                { who.map(|w| html! { <span class="cg-owner">{ w }</span> }) }
                { (s.oom_kills > 0).then(|| html! { <span class="cg-oom">{ format!("OOM kills: {}", s.oom_kills) }</span> }) }
                { s.frozen.then(|| html! { <span class="cg-frozen">{ "frozen" }</span> }) }
            </div>
            <div class="gauges">
                { gauge("memory", "memory", s.memory_usage, Some(s.memory_limit), mem_text) }
                { gauge("cpu", "CPU", s.cpu_millis, Some((cpus_max * 1000.0) as u64), cpu_text) }
                { gauge("pids", "pids", s.pids_current, s.pids_limit, pids_text) }
            </div>
        </li>
    }
}

const W: f64 = 420.0;
const H: f64 = 220.0;
const PAD_L: f64 = 56.0;
const PAD_B: f64 = 22.0;
const COLORS: [&str; 6] = [
    "var(--c-cli)",
    "var(--c-runc)",
    "var(--c-registry)",
    "var(--c-api)",
    "var(--c-dockerd)",
    "var(--c-shim)",
];

/// Memory of each container's cgroup over the snapshots so far.
fn plot(history: &[&Snapshot], now: &Snapshot) -> Html {
    // Series: one per container cgroup path seen, in order of first appearance.
    let mut series: Vec<(String, String)> = Vec::new(); // (path, label)
    for snap in history {
        for cg in &snap.kernel.cgroups {
            if !series.iter().any(|(p, _)| p == &cg.path) {
                if let Some(name) = owner(snap, cg) {
                    series.push((cg.path.clone(), name));
                }
            }
        }
    }
    if series.is_empty() || history.len() < 2 {
        return html! { <p id="cg-plot-empty" class="muted">{ "Run a container, then let time pass (the clock's +10 s) to see its memory over time." }</p> };
    }
    let t0 = history.first().map_or(0, |s| s.time.0);
    let t1 = now.time.0.max(t0 + 1);
    let mut ymax: u64 = 1 << 20;
    for snap in history {
        for cg in &snap.kernel.cgroups {
            if series.iter().any(|(p, _)| p == &cg.path) {
                ymax = ymax.max(cg.stats.memory_usage);
                if cg.limits.memory.is_some() {
                    ymax = ymax.max(cg.stats.memory_limit);
                }
            }
        }
    }
    let ymax = ymax as f64 * 1.1;
    let x = |t: u64| PAD_L + (t.saturating_sub(t0)) as f64 / (t1 - t0) as f64 * (W - PAD_L - 8.0);
    let y = |v: u64| (H - PAD_B) - v as f64 / ymax * (H - PAD_B - 8.0);
    let mut lines = Vec::new();
    let mut marks = Vec::new();
    for (i, (path, name)) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let mut pts = String::new();
        let mut limit_pts = String::new();
        let mut last_oom = 0;
        for snap in history {
            let Some(cg) = snap.kernel.cgroups.iter().find(|c| &c.path == path) else {
                continue;
            };
            let (px, py) = (x(snap.time.0), y(cg.stats.memory_usage));
            // An OOM kill: usage reached the limit (its peak) before the kill freed it.
            if cg.stats.oom_kills > last_oom {
                pts.push_str(&format!("{px:.1},{:.1} ", y(cg.stats.memory_peak)));
            }
            pts.push_str(&format!("{px:.1},{py:.1} "));
            if cg.limits.memory.is_some() {
                limit_pts.push_str(&format!("{px:.1},{:.1} ", y(cg.stats.memory_limit)));
            }
            if cg.stats.oom_kills > last_oom {
                marks.push(html! {
                    <g class="oom-mark" data-container={name.clone()}>
                        <line x1={format!("{px:.1}")} x2={format!("{px:.1}")} y1="8" y2={format!("{:.1}", H - PAD_B)} />
                        <text x={format!("{:.1}", if px > W / 2.0 { px - 3.0 } else { px + 3.0 })} y={format!("{:.0}", 18.0 + 12.0 * marks.len() as f64)}
                            text-anchor={if px > W / 2.0 { "end" } else { "start" }}>{ format!("OOM kill ({name})") }</text>
                    </g>
                });
            }
            last_oom = cg.stats.oom_kills;
        }
        lines.push(html! {
            <g class="series" data-container={name.clone()}>
                { (!limit_pts.is_empty()).then(|| html! { <polyline class="limit" points={limit_pts} style={format!("stroke:{color}")} /> }) }
                <polyline class="usage" points={pts} style={format!("stroke:{color}")} />
            </g>
        });
    }
    let legend = series
        .iter()
        .enumerate()
        .map(|(i, (_, name))| {
            html! { <li key={name.clone()}><span class="swatch" style={format!("background:{}", COLORS[i % COLORS.len()])}></span>{ name.clone() }</li> }
        })
        .collect::<Html>();
    let secs = (t1 - t0) as f64 / 1e9;
    html! {
        <>
            <svg id="cg-plot" class="cg-plot" viewBox={format!("0 0 {W} {H}")} role="img"
                aria-label="Memory of each container over virtual time; dashed: its limit; red: OOM kills">
                <line class="axis" x1={PAD_L.to_string()} y1={(H - PAD_B).to_string()} x2={(W - 4.0).to_string()} y2={(H - PAD_B).to_string()} />
                <line class="axis" x1={PAD_L.to_string()} y1="4" x2={PAD_L.to_string()} y2={(H - PAD_B).to_string()} />
                <text class="tick" x="2" y="14">{ bytes_size(ymax as u64) }</text>
                <text class="tick" x="2" y={(H - PAD_B).to_string()}>{ "0" }</text>
                <text class="tick" x={PAD_L.to_string()} y={(H - 6.0).to_string()}>{ "0 s" }</text>
                <text class="tick" x={(W - 60.0).to_string()} y={(H - 6.0).to_string()}>{ format!("{secs:.1} s") }</text>
                { for lines }
                { for marks }
            </svg>
            <ul class="cg-legend">{ legend }<li class="muted">{ "dashed: memory limit" }</li></ul>
        </>
    }
}

/// CPUs each container's cgroup used over the snapshots so far (1.0 = one CPU busy),
/// with its CFS quota dashed.
fn cpu_plot(history: &[&Snapshot], now: &Snapshot) -> Html {
    let mut series: Vec<(String, String)> = Vec::new();
    for snap in history {
        for cg in &snap.kernel.cgroups {
            if !series.iter().any(|(p, _)| p == &cg.path) {
                if let Some(name) = owner(snap, cg) {
                    series.push((cg.path.clone(), name));
                }
            }
        }
    }
    if series.is_empty() || history.len() < 2 {
        return Html::default();
    }
    let quota = |cg: &CgroupInfo| match (cg.limits.cpu_quota, cg.limits.cpu_period) {
        (Some(q), Some(p)) if q > 0 && p > 0 => Some(q as u64 * 1000 / p),
        _ => None,
    };
    let t0 = history.first().map_or(0, |s| s.time.0);
    let t1 = now.time.0.max(t0 + 1);
    let mut ymax: u64 = 1000;
    for snap in history {
        for cg in snap
            .kernel
            .cgroups
            .iter()
            .filter(|cg| series.iter().any(|(p, _)| p == &cg.path))
        {
            ymax = ymax.max(cg.stats.cpu_millis).max(quota(cg).unwrap_or(0));
        }
    }
    let ymax = ymax as f64 * 1.1;
    let h = 140.0;
    let x = |t: u64| PAD_L + (t.saturating_sub(t0)) as f64 / (t1 - t0) as f64 * (W - PAD_L - 8.0);
    let y = |v: u64| (h - PAD_B) - v as f64 / ymax * (h - PAD_B - 8.0);
    let lines = series
        .iter()
        .enumerate()
        .map(|(i, (path, name))| {
            let color = COLORS[i % COLORS.len()];
            let mut pts = String::new();
            let mut limit_pts = String::new();
            for snap in history {
                let Some(cg) = snap.kernel.cgroups.iter().find(|c| &c.path == path) else {
                    continue;
                };
                let px = x(snap.time.0);
                pts.push_str(&format!("{px:.1},{:.1} ", y(cg.stats.cpu_millis)));
                if let Some(q) = quota(cg) {
                    limit_pts.push_str(&format!("{px:.1},{:.1} ", y(q)));
                }
            }
            html! {
                <g class="series" data-container={name.clone()}>
                    { (!limit_pts.is_empty()).then(|| html! { <polyline class="limit" points={limit_pts} style={format!("stroke:{color}")} /> }) }
                    <polyline class="usage" points={pts} style={format!("stroke:{color}")} />
                </g>
            }
        })
        .collect::<Html>();
    html! {
        <svg id="cg-cpu-plot" class="cg-plot" viewBox={format!("0 0 {W} {h}")} role="img"
            aria-label="CPUs each container used over virtual time; dashed: its CPU quota">
            <line class="axis" x1={PAD_L.to_string()} y1={(h - PAD_B).to_string()} x2={(W - 4.0).to_string()} y2={(h - PAD_B).to_string()} />
            <line class="axis" x1={PAD_L.to_string()} y1="4" x2={PAD_L.to_string()} y2={(h - PAD_B).to_string()} />
            <text class="tick" x="2" y="14">{ format!("{:.1} CPU", ymax / 1000.0) }</text>
            <text class="tick" x="2" y={(h - PAD_B).to_string()}>{ "0" }</text>
            { lines }
        </svg>
    }
}
