//! The cgroup flags of `docker run`/`create`/`update`: parsed as the docker CLI parses
//! them (pflag's wording), checked as dockerd checks them (its wording), and turned into
//! the kernel's [`CgroupLimits`] as runc writes them.

use crate::kernel::CgroupLimits;
use serde::{Deserialize, Serialize};

/// The API's `HostConfig` resource fields, as the CLI sends them (0 = unset).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    pub memory: i64,
    pub memory_swap: i64,
    pub memory_reservation: i64,
    pub oom_kill_disable: Option<bool>,
    pub nano_cpus: i64,
    pub cpu_shares: i64,
    pub cpu_period: i64,
    pub cpu_quota: i64,
    pub cpuset_cpus: String,
    pub pids_limit: Option<i64>,
    pub blkio_weight: u16,
}

impl Resources {
    /// What runc writes for these settings.
    pub fn limits(&self) -> CgroupLimits {
        let (period, quota) = if self.nano_cpus > 0 {
            (Some(100_000), Some(self.nano_cpus / 10_000))
        } else {
            (
                (self.cpu_period > 0).then_some(self.cpu_period as u64),
                (self.cpu_quota != 0).then_some(self.cpu_quota),
            )
        };
        CgroupLimits {
            memory: (self.memory > 0).then_some(self.memory as u64),
            memory_swap: (self.memory_swap != 0).then_some(self.memory_swap),
            memory_reservation: (self.memory_reservation > 0)
                .then_some(self.memory_reservation as u64),
            oom_kill_disable: self.oom_kill_disable.unwrap_or(false),
            cpu_shares: (self.cpu_shares > 0).then_some(self.cpu_shares as u64),
            cpu_period: period,
            cpu_quota: quota,
            cpuset_cpus: (!self.cpuset_cpus.is_empty()).then(|| self.cpuset_cpus.clone()),
            pids: self.pids_limit.filter(|p| *p != 0),
            blkio_weight: (self.blkio_weight > 0).then_some(self.blkio_weight),
        }
    }
}

/// A flag value the CLI could not parse: pflag's `invalid argument "V" for "F" flag: …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagError(pub String);

fn bad(value: &str, flag: &str, why: impl std::fmt::Display) -> FlagError {
    FlagError(format!(
        "invalid argument \"{value}\" for \"{flag}\" flag: {why}"
    ))
}

/// go-units' `RAMInBytes` (binary multiples), with its error messages.
pub fn ram_in_bytes(s: &str) -> Result<i64, String> {
    let Some(sep) = s.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ') else {
        return Err(format!("invalid size: '{s}'"));
    };
    let (num, sfx) = if s.as_bytes()[sep] == b' ' {
        (&s[..sep], &s[sep + 1..])
    } else {
        (&s[..=sep], &s[sep + 1..])
    };
    let size: f64 = num
        .parse()
        .map_err(|_| format!("strconv.ParseFloat: parsing \"{num}\": invalid syntax"))?;
    if size < 0.0 || num.starts_with('-') {
        return Err(format!("invalid size: '{s}'"));
    }
    if sfx.is_empty() {
        return Ok(size as i64);
    }
    let lower = sfx.to_ascii_lowercase();
    let bad_suffix = || format!("invalid suffix: '{lower}'");
    if lower.len() > 3 {
        return Err(bad_suffix());
    }
    let b = lower.as_bytes();
    if b[0] == b'b' {
        return if lower.len() == 1 {
            Ok(size as i64)
        } else {
            Err(bad_suffix())
        };
    }
    let mul: f64 = match b[0] {
        b'k' => 1024.0,
        b'm' => 1024.0 * 1024.0,
        b'g' => 1024.0 * 1024.0 * 1024.0,
        b't' => 1024f64.powi(4),
        b'p' => 1024f64.powi(5),
        _ => return Err(bad_suffix()),
    };
    if (lower.len() == 2 && b[1] != b'b') || (lower.len() == 3 && &lower[1..] != "ib") {
        return Err(bad_suffix());
    }
    Ok((size * mul) as i64)
}

fn parse_int(v: &str) -> Result<i64, String> {
    v.parse::<i64>().map_err(|e| {
        let kind = if matches!(
            e.kind(),
            std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
        ) {
            "value out of range"
        } else {
            "invalid syntax"
        };
        format!("strconv.ParseInt: parsing \"{v}\": {kind}")
    })
}

/// `--cpus`: a decimal number of CPUs into nano-CPUs (the CLI's NanoCPUs type).
pub fn parse_nano_cpus(v: &str) -> Result<i64, String> {
    let t = v.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(format!("failed to parse {v} as a rational number"));
    }
    let frac_trim = frac.trim_end_matches('0');
    if frac_trim.len() > 9 {
        return Err("value is too precise".into());
    }
    let whole: i64 = if int.is_empty() {
        0
    } else {
        int.parse()
            .map_err(|_| format!("failed to parse {v} as a rational number"))?
    };
    let mut nanos: i64 = 0;
    for (i, c) in frac_trim.chars().enumerate() {
        nanos += i64::from(c as u8 - b'0') * 10i64.pow(8 - i as u32);
    }
    let n = whole * 1_000_000_000 + nanos;
    Ok(if neg { -n } else { n })
}

/// The CLI's parse of the cgroup flags, with its error for the first bad value.
pub fn parse_flags(a: &crate::cli::ResourceArgs) -> Result<Resources, FlagError> {
    let mut r = Resources::default();
    if let Some(v) = &a.memory {
        r.memory = ram_in_bytes(v).map_err(|e| bad(v, "-m, --memory", e))?;
    }
    if let Some(v) = &a.memory_swap {
        r.memory_swap = if v == "-1" {
            -1
        } else {
            ram_in_bytes(v).map_err(|e| bad(v, "--memory-swap", e))?
        };
    }
    if let Some(v) = &a.memory_reservation {
        r.memory_reservation = ram_in_bytes(v).map_err(|e| bad(v, "--memory-reservation", e))?;
    }
    if let Some(v) = &a.cpus {
        r.nano_cpus = parse_nano_cpus(v).map_err(|e| bad(v, "--cpus", e))?;
    }
    if let Some(v) = &a.cpu_shares {
        r.cpu_shares = parse_int(v).map_err(|e| bad(v, "-c, --cpu-shares", e))?;
    }
    if let Some(v) = &a.cpu_period {
        r.cpu_period = parse_int(v).map_err(|e| bad(v, "--cpu-period", e))?;
    }
    if let Some(v) = &a.cpu_quota {
        r.cpu_quota = parse_int(v).map_err(|e| bad(v, "--cpu-quota", e))?;
    }
    if let Some(v) = &a.cpuset_cpus {
        r.cpuset_cpus = v.clone();
    }
    if let Some(v) = &a.pids_limit {
        r.pids_limit = Some(parse_int(v).map_err(|e| bad(v, "--pids-limit", e))?);
    }
    if let Some(v) = &a.blkio_weight {
        r.blkio_weight = v.parse::<u16>().map_err(|e| {
            let kind = if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            bad(
                v,
                "--blkio-weight",
                format!("strconv.ParseUint: parsing \"{v}\": {kind}"),
            )
        })?;
    }
    Ok(r)
}

/// `--oom-kill-disable[=BOOL]` as Go's strconv.ParseBool reads it.
pub fn parse_bool_flag(v: &str, flag: &str) -> Result<bool, FlagError> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(bad(
            v,
            flag,
            format!("strconv.ParseBool: parsing \"{v}\": invalid syntax"),
        )),
    }
}

/// The minimum memory limit dockerd accepts (linuxMinMemory).
pub const MIN_MEMORY: i64 = 6 * 1024 * 1024;

/// dockerd's `verifyPlatformContainerResources`, in its order and words: the warnings it
/// returns, or the error that refuses the request. `cpus` is the host's CPU count.
pub fn verify(
    r: &mut Resources,
    cpus: u32,
    cgroup_version: u8,
    update: bool,
) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    if r.memory != 0 && r.memory < MIN_MEMORY {
        return Err("Minimum memory limit allowed is 6MB".into());
    }
    if r.memory > 0 && r.memory_swap > 0 && r.memory_swap < r.memory {
        return Err(
            "Minimum memoryswap limit should be larger than memory limit, see usage".into(),
        );
    }
    if r.memory == 0 && r.memory_swap > 0 && !update {
        return Err(
            "You should always set the Memory limit when using Memoryswap limit, see usage".into(),
        );
    }
    if r.memory_reservation > 0 && r.memory_reservation < MIN_MEMORY {
        return Err("Minimum memory reservation allowed is 6MB".into());
    }
    if r.memory > 0 && r.memory_reservation > 0 && r.memory < r.memory_reservation {
        return Err(
            "Minimum memory limit can not be less than memory reservation limit, see usage".into(),
        );
    }
    if r.oom_kill_disable.is_some() && cgroup_version == 2 {
        // cgroup v2 has no memory.oom_control: the daemon's sysinfo says unsupported.
        if r.oom_kill_disable == Some(true) {
            warnings.push(
                "Your kernel does not support OomKillDisable. OomKillDisable discarded.".into(),
            );
        }
        r.oom_kill_disable = None;
    }
    if r.oom_kill_disable == Some(true) && r.memory == 0 {
        warnings.push("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.".into());
    }
    if r.nano_cpus > 0 && r.cpu_period > 0 {
        return Err("Conflicting options: Nano CPUs and CPU Period cannot both be set".into());
    }
    if r.nano_cpus > 0 && r.cpu_quota > 0 {
        return Err("Conflicting options: Nano CPUs and CPU Quota cannot both be set".into());
    }
    if r.nano_cpus != 0 && (r.nano_cpus < 0 || r.nano_cpus > i64::from(cpus) * 1_000_000_000) {
        return Err(format!(
            "range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available"
        ));
    }
    if r.cpu_period != 0 && (r.cpu_period < 1000 || r.cpu_period > 1_000_000) {
        return Err(
            "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)"
                .into(),
        );
    }
    if r.cpu_quota > 0 && r.cpu_quota < 1000 {
        return Err("CPU cfs quota can not be less than 1ms (i.e. 1000)".into());
    }
    if !r.cpuset_cpus.is_empty() {
        match crate::sim::parse_cpuset(&r.cpuset_cpus) {
            None => {
                return Err(format!(
                    "Invalid value {} for cpuset cpus: invalid format: {}",
                    r.cpuset_cpus, r.cpuset_cpus
                ))
            }
            Some(v) if v.iter().any(|&c| c >= cpus) => {
                return Err(format!(
                    "Requested CPUs are not available - requested {}, available: 0-{}",
                    r.cpuset_cpus,
                    cpus.saturating_sub(1)
                ))
            }
            Some(_) => {}
        }
    }
    if r.blkio_weight > 0 && (r.blkio_weight < 10 || r.blkio_weight > 1000) {
        return Err("Range of blkio weight is from 10 to 1000".into());
    }
    if r.cpu_shares < 0 {
        return Err(format!(
            "invalid CPU shares ({}): value must be a positive integer",
            r.cpu_shares
        ));
    }
    Ok(warnings)
}

/// What dockerd stores after defaulting: with a memory limit and no swap setting, the
/// container may use as much swap as memory (MemorySwap = 2 × Memory).
pub fn apply_defaults(r: &mut Resources) {
    if r.memory > 0 && r.memory_swap == 0 {
        r.memory_swap = r.memory * 2;
    }
}

use crate::daemon::{api_step, http, ApiError};
use crate::engine::{Engine, Status};
use crate::format::{bytes_size, human_size};
use crate::kernel::Kernel;
use crate::trace::{Change, Component, Object, Step};
use serde_json::{json, Value};

impl<K: Kernel> Engine<K> {
    /// `docker update`: new limits for one or more containers, written to their cgroups
    /// at once if they run.
    pub(crate) fn cmd_update(&mut self, a: crate::cli::UpdateArgs) -> i32 {
        let mut req = match parse_flags(&a.res) {
            Ok(r) => r,
            Err(FlagError(m)) => {
                self.err(&format!("{m}\n\nUsage:  docker update [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'docker update --help' for more information\n"));
                return 125;
            }
        };
        let restart = match a.restart.as_deref() {
            None => None,
            Some(r) => match crate::lifecycle::parse_restart_flag(Some(r)) {
                Ok((name, count)) => Some((name, count)),
                Err(m) => {
                    self.err(&format!("{m}\n"));
                    return 1;
                }
            },
        };
        let body = json!({
            "Memory": req.memory, "MemorySwap": req.memory_swap, "MemoryReservation": req.memory_reservation,
            "NanoCpus": req.nano_cpus, "CpuShares": req.cpu_shares, "CpuPeriod": req.cpu_period,
            "CpuQuota": req.cpu_quota, "CpusetCpus": req.cpuset_cpus, "PidsLimit": req.pids_limit,
            "BlkioWeight": req.blkio_weight,
            "RestartPolicy": {"Name": restart.as_ref().map(|r| r.0.clone()).unwrap_or_default(), "MaximumRetryCount": restart.as_ref().map(|r| r.1).unwrap_or(0)},
        })
        .to_string();
        let cpus = self.kernel.view_cpus();
        let cgv = self.kernel.cgroup_version();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for r in &a.args {
            let path = format!("/containers/{r}/update");
            let result: Result<Vec<String>, ApiError> = (|| {
                let id = self.find_container(r)?;
                let w = verify(&mut req, cpus, cgv, true).map_err(|m| ApiError::new(400, m))?;
                let c = &self.containers[&id];
                let cur = &c.host_config.resources;
                let conflict =
                    |m: &str| ApiError::new(409, format!("Cannot update container {id}: {m}"));
                if req.nano_cpus > 0 && cur.cpu_period > 0 {
                    return Err(conflict("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set"));
                }
                if req.nano_cpus > 0 && cur.cpu_quota > 0 {
                    return Err(conflict("Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set"));
                }
                if req.cpu_period > 0 && cur.nano_cpus > 0 {
                    return Err(conflict("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set"));
                }
                if req.cpu_quota > 0 && cur.nano_cpus > 0 {
                    return Err(conflict("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set"));
                }
                if req.memory != 0
                    && req.memory > cur.memory_swap
                    && req.memory_swap == 0
                    && cur.memory_swap != 0
                {
                    return Err(conflict("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time"));
                }
                if let Some((n, k)) = &restart {
                    crate::lifecycle::validate_restart(n, *k)?;
                    if n != "no" && !n.is_empty() && c.config.auto_remove {
                        return Err(conflict("Restart policy cannot be updated because AutoRemove is enabled for the container"));
                    }
                }
                Ok(w)
            })();
            match result {
                Err(e) => {
                    self.step(api_step(http("POST", &path, Some(body.clone()), e.status, Some(json!({"message": e.message}))), "dockerd checks the new limits as it checks them at create time; nothing changed"));
                    errors.push(format!("Error response from daemon: {}", e.message));
                }
                Ok(w) => {
                    let id = self.find_container(r).unwrap_or_default();
                    self.step(api_step(http("POST", &path, Some(body.clone()), 200, Some(json!({"Warnings": w}))), "docker update sends only the limits you gave; dockerd merges them into the container's HostConfig"));
                    let merged = {
                        let c = self.containers.get_mut(&id).expect("found above");
                        let cur = &mut c.host_config.resources;
                        if req.blkio_weight != 0 {
                            cur.blkio_weight = req.blkio_weight;
                        }
                        if req.cpu_shares != 0 {
                            cur.cpu_shares = req.cpu_shares;
                        }
                        if req.nano_cpus != 0 {
                            cur.nano_cpus = req.nano_cpus;
                        }
                        if req.cpu_period != 0 {
                            cur.cpu_period = req.cpu_period;
                        }
                        if req.cpu_quota != 0 {
                            cur.cpu_quota = req.cpu_quota;
                        }
                        if !req.cpuset_cpus.is_empty() {
                            cur.cpuset_cpus = req.cpuset_cpus.clone();
                        }
                        if req.memory != 0 {
                            cur.memory = req.memory;
                        }
                        if req.memory_swap != 0 {
                            cur.memory_swap = req.memory_swap;
                        }
                        if req.memory_reservation != 0 {
                            cur.memory_reservation = req.memory_reservation;
                        }
                        if req.pids_limit.is_some() {
                            cur.pids_limit = req.pids_limit;
                        }
                        if let Some((n, k)) = restart.as_ref().filter(|(n, _)| !n.is_empty()) {
                            c.host_config.restart_policy.name = n.clone();
                            c.host_config.restart_policy.maximum_retry_count = (*k).max(0) as u32;
                        }
                        (c.host_config.resources.limits(), c.state.status)
                    };
                    let short = id[..12].to_string();
                    if matches!(merged.1, Status::Running | Status::Paused) {
                        let now = self.now;
                        match self.kernel.update_limits(&id, &merged.0, now) {
                            Ok(writes) => {
                                let w: Vec<String> =
                                    writes.iter().map(|(f, v)| format!("{f}={v}")).collect();
                                self.step(Step::new(Component::Runc, format!("runc update {short}…: wrote {}", if w.is_empty() { "nothing".to_string() } else { w.join(", ") }), "a running container's limits change in place: runc rewrites the cgroup files and the kernel applies them at once").change(Change::modified(Object::Cgroup(id.clone()))));
                                // A limit below what the cgroup already uses: the kernel
                                // reclaims, and OOM-kills what it cannot reclaim, at once.
                                let ev = self.kernel.advance(now);
                                self.apply_events(ev, None);
                            }
                            Err(e) => {
                                errors.push(format!(
                                    "Error response from daemon: Cannot update container {id}: {e}"
                                ));
                                continue;
                            }
                        }
                    } else {
                        self.step(Step::new(Component::Dockerd, format!("container {short} is not running: the new limits are stored and apply at its next start"), "dockerd keeps the HostConfig; runc writes the cgroup when the container starts"));
                    }
                    self.emit_container("update", &id, &[]);
                    self.out(&format!("{r}\n"));
                    warnings.extend(w);
                }
            }
        }
        if !warnings.is_empty() {
            self.out(&format!("{}\n", warnings.join("\n")));
        }
        if !errors.is_empty() {
            self.err(&format!("{}\n", errors.join("\n")));
            return 1;
        }
        0
    }

    /// `docker stats --no-stream`: one sample of each container's cgroup.
    pub(crate) fn cmd_stats(&mut self, a: crate::cli::StatsArgs) -> i32 {
        let named = !a.args.is_empty();
        let mut ids: Vec<(String, String)> = Vec::new();
        let mut errors = Vec::new();
        if named {
            for r in &a.args {
                match self.container_for(r, "GET", &format!("/containers/{r}/stats?stream=0")) {
                    Ok(id) => ids.push((id, r.clone())),
                    Err(e) => {
                        errors.push(format!("Error response from daemon: {}", e.message));
                    }
                }
            }
        } else {
            self.step(api_step(
                http(
                    "GET",
                    "/events?filters=%7B%22type%22%3A%7B%22container%22%3Atrue%7D%7D",
                    None,
                    200,
                    None,
                ),
                "the CLI watches container events so that a live table can add and drop containers",
            ));
            self.step(api_step(
                http(
                    "GET",
                    if a.all {
                        "/containers/json?all=1"
                    } else {
                        "/containers/json"
                    },
                    None,
                    200,
                    None,
                ),
                "then it lists the containers to sample",
            ));
            let mut list: Vec<&crate::engine::Container> = self
                .containers
                .values()
                .filter(|c| a.all || matches!(c.state.status, Status::Running | Status::Paused))
                .collect();
            list.sort_by(|x, y| y.created.cmp(&x.created).then(x.id.cmp(&y.id)));
            ids = list
                .iter()
                .map(|c| (c.id.clone(), c.id[..12].to_string()))
                .collect();
        }
        if !errors.is_empty() {
            self.err(&format!("{}\n", errors.join("\n")));
            return 1;
        }
        let now = self.now;
        let mut rows = Vec::new();
        for (id, typed) in &ids {
            let st = self.kernel.cgroup_stats(id, now);
            let name = self.containers[id].name.clone();
            let short = id[..12].to_string();
            let (cpu, mem, limit, pids, bw, br, rx, tx) = match &st {
                Some(s) => (
                    s.cpu_millis as f64 / 10.0,
                    s.memory_usage - s.memory_cache,
                    s.memory_limit,
                    s.pids_current,
                    s.blkio_write,
                    s.blkio_read,
                    s.net_rx,
                    s.net_tx,
                ),
                None => (0.0, 0, 0, 0, 0, 0, 0, 0),
            };
            self.step(api_step(http("GET", &format!("/containers/{}/stats?stream=0", if named { typed.as_str() } else { short.as_str() }), None, 200, Some(json!({
                "id": id, "name": format!("/{name}"),
                "cpu_stats": {"cpu_usage": {"total_usage": st.as_ref().map(|s| s.cpu_usage_ns).unwrap_or(0)}, "online_cpus": self.kernel.view_cpus()},
                "memory_stats": {"usage": mem, "limit": limit},
                "pids_stats": {"current": pids},
            }))), "dockerd reads the container's cgroup files (cpu.stat, memory.current, memory.stat, pids.current, io.stat) twice, a second apart, so the CLI can compute CPU %"));
            let mem_pct = if limit > 0 {
                mem as f64 * 100.0 / limit as f64
            } else {
                0.0
            };
            rows.push(json!({
                "ID": short,
                "Container": typed,
                "Name": name,
                "CPUPerc": format!("{cpu:.2}%"),
                "MemUsage": format!("{} / {}", bytes_size(mem), bytes_size(limit)),
                "MemPerc": format!("{mem_pct:.2}%"),
                "NetIO": format!("{} / {}", human_size(rx), human_size(tx)),
                "BlockIO": format!("{} / {}", human_size(br), human_size(bw)),
                "PIDs": pids.to_string(),
            }));
        }
        let headers = [
            ("ID", "CONTAINER ID"),
            ("Name", "NAME"),
            ("CPUPerc", "CPU %"),
            ("MemUsage", "MEM USAGE / LIMIT"),
            ("MemPerc", "MEM %"),
            ("NetIO", "NET I/O"),
            ("BlockIO", "BLOCK I/O"),
            ("PIDs", "PIDS"),
        ];
        let rows: Vec<Value> = rows;
        if !a.no_stream {
            self.step(Step::new(Component::Cli, "printed one sample and returned", "without --no-stream a real terminal would redraw this table every second until Ctrl-C; Porthole prints one sample: let time pass (wait 10s) and run it again"));
        }
        self.print_rows(a.format.as_deref(), &headers, &rows)
    }
}
