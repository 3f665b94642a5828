//! Container lifecycle verbs: create, start, restart, pause, unpause, wait, rename,
//! events, container prune; restart policies (moby's restartmanager) and Porthole's own
//! `wait DURATION`, which lets virtual time pass.

use crate::cli;
use crate::daemon::{api_step, http, query_escape, ApiError};
use crate::engine::{Engine, RestartPolicy, Status};
use crate::kernel::Kernel;
use crate::time::{human_duration, Time, NANOS_PER_SEC};
use crate::trace::{Change, Component, Object, Step};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

/// moby's restartmanager: the backoff starts at 100 ms and doubles up to a minute; it
/// starts over once a container ran for 10 seconds.
const BACKOFF_START_MS: u64 = 100;
const BACKOFF_MAX_MS: u64 = 60_000;
const BACKOFF_RESET_NANOS: u64 = 10 * NANOS_PER_SEC;

/// How long `docker wait` lets virtual time pass before Porthole gives up on a container
/// that keeps running.
const WAIT_LIMIT_NANOS: u64 = 24 * 3600 * NANOS_PER_SEC;

/// A container's restart manager (moby's `restartmanager.RestartManager`): created on the
/// first exit under a policy, dropped (and so reset) by a manual start.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartManager {
    /// The current backoff, 0 before the first restart.
    pub timeout_ms: u64,
    /// Restarts it made (starts from the container's RestartCount).
    pub count: u32,
    /// `docker stop`/`kill` cancelled it (`ExitOnNext`): it restarts nothing any more.
    pub canceled: bool,
    /// When the pending restart is due, during the backoff.
    pub due: Option<Time>,
}

/// `--restart` as the docker CLI parses it (opts.ParseRestartPolicy): the policy name and
/// the retry count, not yet validated (dockerd does that). Errors are the CLI's wording.
pub(crate) fn parse_restart_flag(flag: Option<&str>) -> Result<(String, i64), String> {
    let Some(p) = flag else {
        return Ok(("no".into(), 0));
    };
    if p.is_empty() {
        return Ok((String::new(), 0));
    }
    let (name, count) = match p.split_once(':') {
        Some((n, c)) => (n, Some(c)),
        None => (p, None),
    };
    if count.is_some() && name.is_empty() {
        return Err("invalid restart policy format: no policy provided before colon".into());
    }
    match count.filter(|c| !c.is_empty()) {
        None => Ok((name.to_string(), 0)),
        Some(c) => c
            .parse::<i64>()
            .map(|n| (name.to_string(), n))
            .map_err(|_| {
                "invalid restart policy format: maximum retry count must be an integer".to_string()
            }),
    }
}

/// dockerd's `ValidateRestartPolicy` (400 on failure).
pub(crate) fn validate_restart(name: &str, count: i64) -> Result<RestartPolicy, ApiError> {
    let bad = |m: String| Err(ApiError::new(400, m));
    match name {
        "always" | "unless-stopped" | "no" => {
            if count != 0 {
                let mut m = "invalid restart policy: maximum retry count can only be used with 'on-failure'".to_string();
                if count < 0 {
                    m.push_str(" and cannot be negative");
                }
                return bad(m);
            }
        }
        "on-failure" => {
            if count < 0 {
                return bad(
                    "invalid restart policy: maximum retry count cannot be negative".into(),
                );
            }
        }
        "" => {}
        other => {
            return bad(format!("invalid restart policy: unknown policy '{other}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"));
        }
    }
    Ok(RestartPolicy {
        name: name.to_string(),
        maximum_retry_count: count.max(0) as u32,
    })
}

/// An int flag as pflag parses it (strconv.ParseInt, base 0 not needed here).
pub(crate) fn parse_int_flag(s: &str) -> Result<i64, ()> {
    s.parse::<i64>().map_err(|_| ())
}

/// Go's `time.ParseDuration` (what `docker events --since 10m` and `wait 30s` accept; a
/// bare number is seconds for `wait`, as for sleep). Nanoseconds.
pub fn parse_duration(s: &str, bare_seconds: bool) -> Option<u64> {
    if bare_seconds {
        if let Ok(n) = s.parse::<u64>() {
            return n.checked_mul(NANOS_PER_SEC);
        }
    }
    if s == "0" {
        return Some(0);
    }
    let mut rest = s;
    let mut total: f64 = 0.0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let mult = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += n * mult;
    }
    Some(total.round() as u64)
}

/// The docker CLI's `timetypes.GetTimestamp`: a duration (that long before now), an RFC
/// 3339 date or time (UTC: the simulated host's zone), or Unix seconds. Returns what the
/// CLI puts in the query string.
fn client_timestamp(value: &str, now: Time) -> Result<String, String> {
    if let Some(d) = parse_duration(value, false).filter(|_| value != "0") {
        return Ok(Time(now.0.saturating_sub(d)).secs().to_string());
    }
    let fail = || format!("failed to parse value as time or duration: {value:?}");
    if value.contains('-') {
        let (date, time) = value.split_once('T').unwrap_or((value, ""));
        let time = time.trim_end_matches('Z');
        let mut full = format!("{date}T");
        let parts: Vec<&str> = if time.is_empty() {
            vec![]
        } else {
            time.split(':').collect()
        };
        for i in 0..3 {
            if i > 0 {
                full.push(':');
            }
            full.push_str(parts.get(i).copied().unwrap_or("00"));
        }
        full.push('Z');
        let t = Time::parse_rfc3339(&full).ok_or_else(fail)?;
        return Ok(format!("{}.{:09}", t.secs(), t.0 % NANOS_PER_SEC));
    }
    match server_timestamp(value) {
        Some(_) => Ok(value.to_string()),
        None => Err(fail()),
    }
}

/// An `until` filter's value as the CLI sends it and dockerd reads it (image prune).
pub(crate) fn until_time(value: &str, now: Time) -> Option<Time> {
    client_timestamp(value, now)
        .ok()
        .and_then(|s| server_timestamp(&s))
}

/// dockerd's `timetypes.ParseTimestamps`: `secs[.nanos]`.
pub(crate) fn server_timestamp(v: &str) -> Option<Time> {
    let (s, n) = v.split_once('.').unwrap_or((v, "0"));
    let secs: u64 = s.parse().ok()?;
    let digits: String = n.chars().take(9).collect();
    let nanos: u64 = format!("{digits:0<9}").parse().ok()?;
    Some(Time(secs * NANOS_PER_SEC + nanos))
}

/// Go's `url.Values.Encode` for a `filters` JSON value: keys sorted, each value a set.
fn filters_json(filters: &BTreeMap<String, Vec<String>>) -> String {
    let mut m = serde_json::Map::new();
    for (k, vs) in filters {
        let mut set = serde_json::Map::new();
        for v in vs {
            set.insert(v.clone(), json!(true));
        }
        m.insert(k.clone(), serde_json::Value::Object(set));
    }
    serde_json::Value::Object(m).to_string()
}

/// `-f name=value` flags, as the CLI's filter option parses them.
fn parse_filters(flags: &[String]) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in flags {
        let Some((k, v)) = f.split_once('=') else {
            return Err(format!(
                "invalid argument \"{f}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"
            ));
        };
        let k = k.trim().to_ascii_lowercase();
        let e = out.entry(k).or_default();
        let v = v.trim().to_string();
        if !e.contains(&v) {
            e.push(v);
            e.sort();
        }
    }
    Ok(out)
}

impl<K: Kernel> Engine<K> {
    // ---- restart policies -------------------------------------------------------------

    /// moby's `RestartManager.ShouldRestart`, called as the container exits: the backoff
    /// (in ms) before the restart, or None.
    pub(crate) fn should_restart(
        &mut self,
        id: &str,
        code: i32,
        ran: u64,
        time: Time,
    ) -> Option<u64> {
        let c = self.containers.get(id)?;
        let policy = c.host_config.restart_policy.clone();
        if matches!(policy.name.as_str(), "" | "no") || c.config.auto_remove {
            return None;
        }
        let manually_stopped = c.manually_stopped;
        let count = c.restart_count;
        let rm = self
            .restarts
            .entry(id.to_string())
            .or_insert_with(|| RestartManager {
                count,
                ..Default::default()
            });
        if rm.canceled {
            return None;
        }
        if ran >= BACKOFF_RESET_NANOS {
            rm.timeout_ms = 0;
        }
        rm.timeout_ms = if rm.timeout_ms == 0 {
            BACKOFF_START_MS
        } else if rm.timeout_ms < BACKOFF_MAX_MS {
            rm.timeout_ms * 2
        } else {
            rm.timeout_ms
        }
        .min(BACKOFF_MAX_MS);
        let restart = match policy.name.as_str() {
            "always" => true,
            "unless-stopped" => !manually_stopped,
            "on-failure" => {
                (policy.maximum_retry_count == 0 || rm.count < policy.maximum_retry_count)
                    && code != 0
            }
            _ => false,
        };
        if !restart {
            return None;
        }
        rm.count += 1;
        rm.due = Some(time.plus_nanos(rm.timeout_ms * 1_000_000));
        Some(rm.timeout_ms)
    }

    /// The step that tells why a container that exited is "Restarting".
    pub(crate) fn restart_scheduled(&mut self, id: &str, ms: u64) {
        let Some(c) = self.containers.get(id) else {
            return;
        };
        let p = &c.host_config.restart_policy;
        let policy = if p.name == "on-failure" && p.maximum_retry_count > 0 {
            format!("on-failure:{}", p.maximum_retry_count)
        } else {
            p.name.clone()
        };
        let (count, code) = (c.restart_count, c.state.exit_code);
        self.step(
            Step::new(
                Component::Dockerd,
                format!(
                    "restart policy {policy}: container {} exited ({code}), restart {count} in {}",
                    &id[..12],
                    crate::lifecycle::ms_text(ms)
                ),
                "dockerd's restart manager waits a backoff before each restart: 100 ms, doubling up to a minute, back to 100 ms once a run lasted 10 seconds; `docker ps` shows Restarting meanwhile",
            )
            .change(Change::modified(Object::Container(id.to_string()))),
        );
    }

    /// The backoff is over: dockerd starts the container again (no API call, no reset of
    /// the restart count).
    pub(crate) fn fire_restart(&mut self, id: &str) {
        if let Some(rm) = self.restarts.get_mut(id) {
            rm.due = None;
        }
        let Some(count) = self.containers.get(id).map(|c| c.restart_count) else {
            return;
        };
        self.step(Step::new(
            Component::Dockerd,
            format!("backoff over: restarting container {} (restart count {count})", &id[..12]),
            "the restart manager's timer fired; dockerd starts the same container again: same ID, same RW layer, a new PID 1",
        ));
        if self.start_container(id).is_err() {
            if let Some(c) = self.containers.get_mut(id) {
                c.state.status = Status::Exited;
            }
            if self
                .containers
                .get(id)
                .is_some_and(|c| c.config.auto_remove)
            {
                self.remove_container(id, "--rm: dockerd removes a container whose restart failed");
            }
        }
    }

    /// `docker stop`/`kill` on a container: dockerd marks it manually stopped and, if the
    /// signal is its stop signal (or it has none), cancels its restart manager
    /// (`ExitOnNext`). A pending restart is then dropped and the container is exited.
    pub(crate) fn cancel_restarts(&mut self, id: &str, sig: crate::kernel::Signal) {
        let Some(c) = self.containers.get_mut(id) else {
            return;
        };
        c.manually_stopped = true;
        let stop_sig = c
            .config
            .stop_signal
            .as_deref()
            .and_then(crate::kernel::Signal::parse);
        let exit_on_next = match stop_sig {
            Some(s) if sig != crate::kernel::Signal::Kill => s == sig,
            _ => true,
        };
        if !exit_on_next {
            return;
        }
        let count = c.restart_count;
        let restarting = c.state.status == Status::Restarting;
        let rm = self
            .restarts
            .entry(id.to_string())
            .or_insert_with(|| RestartManager {
                count,
                ..Default::default()
            });
        rm.canceled = true;
        let was_due = rm.due.take().is_some();
        if restarting || was_due {
            if let Some(c) = self.containers.get_mut(id) {
                c.state.status = Status::Exited;
            }
            self.step(
                Step::new(
                    Component::Dockerd,
                    format!(
                        "cancelled the pending restart of {}: it stays exited",
                        &id[..12]
                    ),
                    "a container stopped or killed by a user is not restarted by its policy",
                )
                .change(Change::modified(Object::Container(id.to_string()))),
            );
        }
    }

    /// A manual start: the restart manager starts over and so does RestartCount
    /// (moby's `ResetRestartManager(true)`).
    fn reset_restarts(&mut self, id: &str) {
        self.restarts.remove(id);
        if let Some(c) = self.containers.get_mut(id) {
            c.restart_count = 0;
            c.manually_stopped = false;
        }
    }

    // ---- create / start / restart -----------------------------------------------------

    pub(crate) fn cmd_create(&mut self, a: cli::CreateArgs) -> i32 {
        match self.create_container(&a, true, "create") {
            Ok(id) => {
                self.out(&format!("{id}\n"));
                self.step(Step::new(
                    Component::Cli,
                    format!("printed the container ID {}…", &id[..12]),
                    "create stops here: the container exists (status Created, an RW layer, no process) until `docker start`",
                ));
                0
            }
            Err(code) => code,
        }
    }

    pub(crate) fn cmd_start(&mut self, a: cli::StartArgs) -> i32 {
        if a.attach || a.interactive {
            if a.args.len() > 1 {
                self.err("you cannot start and attach multiple containers at once\n");
                return 1;
            }
            let r = a.args[0].clone();
            let id = match self.lookup_container(
                &r,
                "start -a inspects the container first: it needs its ID and whether it has a TTY",
            ) {
                Ok(id) => id,
                Err(code) => return code,
            };
            self.step(api_step(
                http(
                    "POST",
                    &format!("/containers/{id}/attach?stderr=1&stdout=1&stream=1"),
                    None,
                    101,
                    None,
                ),
                "the CLI attaches before starting, so it misses no output",
            ));
            self.emit_container("attach", &id, &[]);
            let auto_remove = self.containers[&id].config.auto_remove;
            let condition = if auto_remove { "removed" } else { "next-exit" };
            self.step(api_step(
                http(
                    "POST",
                    &format!("/containers/{id}/wait?condition={condition}"),
                    None,
                    200,
                    None,
                ),
                "the CLI asks to be told when the container exits; the answer comes later",
            ));
            self.attach_to = Some(id.clone());
            let started = self.api_start_step(&id);
            self.attach_to = None;
            if let Err(e) = started {
                self.daemon_error(&e);
                return 1;
            }
            return self.follow_attached(&id, auto_remove);
        }
        let mut failed = Vec::new();
        for r in &a.args {
            match self.api_start_step(r) {
                Ok(()) => self.out(&format!("{r}\n")),
                Err(e) => {
                    self.daemon_error(&e);
                    failed.push(r.clone());
                }
            }
        }
        if failed.is_empty() {
            0
        } else {
            self.err(&format!(
                "Error: failed to start containers: {}\n",
                failed.join(", ")
            ));
            1
        }
    }

    /// `POST /containers/{r}/start`: dockerd's `ContainerStart` checks, then
    /// `containerStart` with a reset restart manager. 304 (already running) is a success.
    fn api_start_step(&mut self, r: &str) -> Result<(), ApiError> {
        let checked =
            self.find_container(r)
                .and_then(|id| match self.containers[&id].state.status {
                    Status::Paused => Err(ApiError::new(
                        409,
                        "cannot start a paused container, try unpause instead",
                    )),
                    Status::Running | Status::Restarting => Ok((id, false)),
                    Status::Removing | Status::Dead => Err(ApiError::new(
                        409,
                        "container is marked for removal and cannot be started",
                    )),
                    Status::Created | Status::Exited => Ok((id, true)),
                });
        match checked {
            Ok((id, true)) => {
                self.step(api_step(
                    http("POST", &format!("/containers/{r}/start"), None, 204, None),
                    "start runs the container's command again in new namespaces and a new cgroup, over the same RW layer",
                ));
                self.reset_restarts(&id);
                self.start_container(&id)
            }
            Ok((_, false)) => {
                self.step(api_step(
                    http("POST", &format!("/containers/{r}/start"), None, 304, None),
                    "the container is already running: 304 Not Modified, which the CLI treats as success",
                ));
                Ok(())
            }
            Err(e) => {
                self.step(api_step(
                    http(
                        "POST",
                        &format!("/containers/{r}/start"),
                        None,
                        e.status,
                        Some(json!({"message": e.message})),
                    ),
                    "dockerd refused to start it",
                ));
                Err(e)
            }
        }
    }

    pub(crate) fn cmd_restart(&mut self, a: cli::RestartArgs) -> i32 {
        let mut qs = Vec::new();
        if let Some(s) = &a.signal {
            qs.push(format!("signal={}", query_escape(s)));
        }
        if let Some(t) = a.time {
            qs.push(format!("t={t}"));
        }
        let query = if qs.is_empty() {
            String::new()
        } else {
            format!("?{}", qs.join("&"))
        };
        let sig = match &a.signal {
            Some(s) => match crate::kernel::Signal::parse(s) {
                Some(sig) => Some(sig),
                None => {
                    self.daemon_error(&ApiError::new(400, format!("Invalid signal: {s}")));
                    return 1;
                }
            },
            None => None,
        };
        let mut errors = Vec::new();
        for r in &a.args {
            let id = match self.container_for(r, "POST", &format!("/containers/{r}/restart{query}"))
            {
                Ok(id) => id,
                Err(e) => {
                    errors.push(e.message);
                    continue;
                }
            };
            let status = self.containers[&id].state.status;
            self.step(api_step(
                http("POST", &format!("/containers/{r}/restart{query}"), None, 204, None),
                "restart is stop (the stop signal, SIGKILL after the grace period) then start, in one call",
            ));
            if status.is_up() {
                self.stop_for_user(&id, sig, a.time);
            }
            self.reset_restarts(&id);
            if let Err(e) = self.start_container(&id) {
                errors.push(format!("Cannot restart container {r}: {}", e.message));
                continue;
            }
            self.emit_container("restart", &id, &[]);
            self.out(&format!("{r}\n"));
        }
        if errors.is_empty() {
            return 0;
        }
        let msg: Vec<String> = errors
            .iter()
            .map(|m| format!("Error response from daemon: {m}"))
            .collect();
        self.err(&format!("{}\n", msg.join("\n")));
        1
    }

    // ---- pause / unpause ----------------------------------------------------------------

    pub(crate) fn cmd_pause(&mut self, a: cli::NamesArgs) -> i32 {
        self.freezer(a, true)
    }

    pub(crate) fn cmd_unpause(&mut self, a: cli::NamesArgs) -> i32 {
        self.freezer(a, false)
    }

    fn freezer(&mut self, a: cli::NamesArgs, pause: bool) -> i32 {
        let verb = if pause { "pause" } else { "unpause" };
        let mut errors = Vec::new();
        for r in &a.args {
            let result = self.find_container(r).and_then(|id| {
                let st = self.containers[&id].state.status;
                if pause {
                    if !st.is_up() {
                        return Err(ApiError::new(409, format!("container {id} is not running")));
                    }
                    if st == Status::Paused {
                        return Err(ApiError::new(
                            409,
                            format!("Container {id} is already paused"),
                        ));
                    }
                    if st == Status::Restarting {
                        return Err(ApiError::new(
                            409,
                            format!(
                                "Container {id} is restarting, wait until the container is running"
                            ),
                        ));
                    }
                    self.kernel
                        .freeze(&id, self.now)
                        .map(|w| (id.clone(), w))
                        .map_err(|e| {
                            ApiError::new(
                                500,
                                format!("cannot pause container {id}: {}", e.message),
                            )
                        })
                } else {
                    if st != Status::Paused {
                        return Err(ApiError::new(500, format!("Container {id} is not paused")));
                    }
                    self.kernel
                        .thaw(&id, self.now)
                        .map(|w| (id.clone(), w))
                        .map_err(|e| {
                            ApiError::new(
                                500,
                                format!("Cannot unpause container {id}: {}", e.message),
                            )
                        })
                }
            });
            match result {
                Ok((id, (file, value))) => {
                    self.step(api_step(
                        http("POST", &format!("/containers/{r}/{verb}"), None, 204, None),
                        if pause {
                            "pause freezes every process of the container with the cgroup freezer"
                        } else {
                            "unpause thaws the container's cgroup"
                        },
                    ));
                    self.froze(&id, pause, &file, &value);
                    self.out(&format!("{r}\n"));
                }
                Err(e) => {
                    self.step(api_step(
                        http(
                            "POST",
                            &format!("/containers/{r}/{verb}"),
                            None,
                            e.status,
                            Some(json!({"message": e.message})),
                        ),
                        if pause {
                            "only a running container can be paused"
                        } else {
                            "only a paused container can be unpaused"
                        },
                    ));
                    errors.push(format!("Error response from daemon: {}", e.message));
                }
            }
        }
        if errors.is_empty() {
            return 0;
        }
        self.err(&format!("{}\n", errors.join("\n")));
        1
    }

    /// The freezer did its work: the kernel step, the new state, the event.
    pub(crate) fn froze(&mut self, id: &str, pause: bool, file: &str, value: &str) {
        let short = &id[..12];
        let procs: Vec<crate::kernel::ProcessInfo> = self
            .kernel
            .view()
            .processes
            .into_iter()
            .filter(|p| p.container.as_deref() == Some(id))
            .collect();
        let mut s = Step::new(
            Component::Kernel,
            format!(
                "wrote {value} to {file}: {} process(es) of {short} {}",
                procs.len(),
                if pause { "frozen" } else { "thawed" }
            ),
            if pause {
                "the freezer stops every task in the cgroup where it stands (no signal, nothing the process can see or refuse); its timers stop too"
            } else {
                "thawed tasks carry on where they stopped; signals sent meanwhile are delivered now"
            },
        );
        for p in &procs {
            s = s.change(Change::modified(Object::Process(p.host_pid)));
        }
        self.step(s);
        if let Some(c) = self.containers.get_mut(id) {
            c.state.status = if pause {
                Status::Paused
            } else {
                Status::Running
            };
        }
        self.step(
            Step::new(
                Component::Dockerd,
                format!(
                    "container {short} is {}",
                    if pause { "paused" } else { "running again" }
                ),
                "`docker ps` shows “(Paused)” after the uptime while the container is frozen",
            )
            .change(Change::modified(Object::Container(id.to_string()))),
        );
        self.emit_container(if pause { "pause" } else { "unpause" }, id, &[]);
    }

    // ---- wait -------------------------------------------------------------------------

    pub(crate) fn cmd_wait(&mut self, a: cli::NamesArgs) -> i32 {
        let mut failed = false;
        for r in &a.args {
            let id = match self.container_for(r, "POST", &format!("/containers/{r}/wait")) {
                Ok(id) => id,
                Err(e) => {
                    self.daemon_error(&e);
                    failed = true;
                    continue;
                }
            };
            let started = self.now;
            let mut gave_up = false;
            // Condition "not-running": met when the container is not up, or when it dies
            // (a restarting container counts as stopped for the waiter).
            while self
                .containers
                .get(&id)
                .is_some_and(|c| matches!(c.state.status, Status::Running | Status::Paused))
            {
                let limit = started.plus_nanos(WAIT_LIMIT_NANOS);
                if !self.advance_one(Some(limit), None) {
                    gave_up = true;
                    break;
                }
            }
            if gave_up {
                let paused = self
                    .containers
                    .get(&id)
                    .is_some_and(|c| c.state.status == Status::Paused);
                let why = if paused {
                    "it is paused, and a frozen process does nothing until `docker unpause`"
                } else if self.next_due().is_none() {
                    "nothing it runs will make it exit on its own"
                } else {
                    "it was still running after 24 hours of virtual time"
                };
                self.step(api_step(
                    http("POST", &format!("/containers/{r}/wait"), None, 200, None),
                    "the response stays open until the container stops",
                ));
                self.step(Step::new(
                    Component::Cli,
                    format!("still waiting for {r}: {why}"),
                    "a real `docker wait` would block here until the container stops (or Ctrl-C); Porthole returns instead and leaves it running: stop it with `docker stop`, or let time pass with `wait 30s`",
                ));
                self.err(&format!(
                    "porthole: docker wait: {r} is still running ({why}); a real docker wait would block until it stops\n"
                ));
                failed = true;
                continue;
            }
            let code = self
                .containers
                .get(&id)
                .map(|c| c.state.exit_code)
                .or_else(|| {
                    self.exits
                        .iter()
                        .rev()
                        .find(|(c, _)| c == &id)
                        .map(|(_, code)| *code)
                })
                .unwrap_or(0);
            self.step(api_step(
                http("POST", &format!("/containers/{r}/wait"), None, 200, Some(json!({"StatusCode": code, "Error": null}))),
                "the wait call answers when the container stops, with its exit code; the CLI prints it",
            ));
            self.out(&format!("{code}\n"));
        }
        i32::from(failed)
    }

    // ---- rename -----------------------------------------------------------------------

    pub(crate) fn cmd_rename(&mut self, a: cli::NamesArgs) -> i32 {
        let old = a.args[0].trim().to_string();
        let new = a.args[1].trim().to_string();
        if old.is_empty() || new.is_empty() {
            self.err("Error: Neither old nor new names may be empty\n");
            return 1;
        }
        let path = format!("/containers/{}/rename?name={}", old, query_escape(&new));
        let result = self.find_container(&old).and_then(|id| {
            let current = self.containers[&id].name.clone();
            let new_name = new.trim_start_matches('/').to_string();
            if current == new_name {
                return Err(ApiError::new(
                    400,
                    "Renaming a container with the same name as its current name",
                ));
            }
            if !crate::daemon::valid_name(&new_name) {
                return Err(ApiError::new(400, format!("Error when allocating new name: Invalid container name (/{new_name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")));
            }
            if let Some(other) = self.names.get(&new_name) {
                return Err(ApiError::new(409, format!("Error when allocating new name: Conflict. The container name \"/{new_name}\" is already in use by container \"{other}\". You have to remove (or rename) that container to be able to reuse that name.")));
            }
            Ok((id, current, new_name))
        });
        match result {
            Ok((id, current, new_name)) => {
                self.step(api_step(
                    http("POST", &path, None, 204, None),
                    "rename changes only dockerd's record: the ID, the processes and the hostname stay",
                ));
                self.names.remove(&current);
                self.names.insert(new_name.clone(), id.clone());
                if let Some(c) = self.containers.get_mut(&id) {
                    c.name = new_name.clone();
                }
                self.step(
                    Step::new(
                        Component::Dockerd,
                        format!("renamed container {} from {current} to {new_name}", &id[..12]),
                        "a name is a unique, changeable label for the ID; the hostname inside (the short ID by default) does not change",
                    )
                    .change(Change::modified(Object::Container(id.clone()))),
                );
                self.emit_container("rename", &id, &[("oldName", format!("/{current}"))]);
                self.rename_in_networks(&id, &current, &new_name);
                0
            }
            Err(e) => {
                self.step(api_step(
                    http(
                        "POST",
                        &path,
                        None,
                        e.status,
                        Some(json!({"message": e.message})),
                    ),
                    "dockerd refused the new name",
                ));
                self.daemon_error(&e);
                self.err(&format!("Error: failed to rename container named {old}\n"));
                1
            }
        }
    }

    // ---- container prune --------------------------------------------------------------

    pub(crate) fn cmd_prune(&mut self, a: cli::PruneArgs) -> i32 {
        let filters = match parse_filters(&a.filter) {
            Ok(f) => f,
            Err(msg) => {
                self.err(&format!("{msg}\n\nUsage:  docker container prune [OPTIONS]\n\nRun 'docker container prune --help' for more information\n"));
                return 125;
            }
        };
        if !a.force {
            self.out("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] \n");
            self.step(Step::new(
                Component::Cli,
                "asked for confirmation; the answer was empty, which means no".to_string(),
                "without -f the CLI asks first and sends nothing unless you answer y; Porthole has no keyboard input, so use `docker container prune -f`",
            ));
            return 0;
        }
        let mut path = "/containers/prune".to_string();
        if !filters.is_empty() {
            path.push_str(&format!(
                "?filters={}",
                query_escape(&filters_json(&filters))
            ));
        }
        // dockerd: only `until` and `label` filters.
        let mut until: Option<Time> = None;
        for (k, vs) in &filters {
            let bad = match k.as_str() {
                "until" => {
                    let parsed = vs
                        .iter()
                        .map(|v| {
                            client_timestamp(v, self.now)
                                .ok()
                                .and_then(|s| server_timestamp(&s))
                        })
                        .collect::<Option<Vec<_>>>();
                    match parsed {
                        Some(ts) if ts.len() == 1 => {
                            until = ts.first().copied();
                            None
                        }
                        Some(_) => Some(ApiError::new(400, "more than one until filter specified")),
                        None => Some(ApiError::new(
                            400,
                            format!("failed to parse value as time or duration: {:?}", vs[0]),
                        )),
                    }
                }
                "label" | "label!" => None,
                other => Some(ApiError::new(400, format!("invalid filter '{other}'"))),
            };
            if let Some(e) = bad {
                self.step(api_step(
                    http(
                        "POST",
                        &path,
                        None,
                        e.status,
                        Some(json!({"message": e.message})),
                    ),
                    "dockerd accepts only `until` and `label` filters for prune",
                ));
                self.daemon_error(&e);
                return 1;
            }
        }
        let labels_ok = |labels: &BTreeMap<String, String>| {
            let matches = |f: &str| match f.split_once('=') {
                Some((k, v)) => labels.get(k).is_some_and(|x| x == v),
                None => labels.contains_key(f),
            };
            filters
                .get("label")
                .is_none_or(|fs| fs.iter().all(|f| matches(f)))
                && filters
                    .get("label!")
                    .is_none_or(|fs| fs.iter().all(|f| !matches(f)))
        };
        let mut victims: Vec<(Time, String)> = self
            .containers
            .values()
            .filter(|c| !c.state.status.is_up())
            .filter(|c| until.is_none_or(|u| c.created <= u))
            .filter(|c| labels_ok(&c.config.labels))
            .map(|c| (c.created, c.id.clone()))
            .collect();
        victims.sort_by(|x, y| y.cmp(x));
        let mut reclaimed = 0u64;
        let mut deleted = Vec::new();
        self.step(api_step(
            http("POST", &path, None, 200, Some(json!({"ContainersDeleted": victims.iter().map(|v| v.1.clone()).collect::<Vec<_>>()}))),
            "dockerd removes every container that is not running (created or exited), newest first",
        ));
        for (_, id) in victims {
            reclaimed += self.kernel.rw_layer(&id).map(|t| t.size()).unwrap_or(0);
            self.remove_container(
                &id,
                "prune removes stopped containers with their RW layers; images stay",
            );
            deleted.push(id);
        }
        self.events.push(crate::events::Event {
            time: self.now,
            kind: "container".into(),
            action: "prune".into(),
            actor: String::new(),
            attributes: BTreeMap::from([("reclaimed".to_string(), reclaimed.to_string())]),
        });
        let mut out = String::new();
        if !deleted.is_empty() {
            out.push_str("Deleted Containers:\n");
            for id in &deleted {
                out.push_str(id);
                out.push('\n');
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "Total reclaimed space: {}\n",
            crate::format::human_size(reclaimed)
        ));
        self.out(&out);
        0
    }

    // ---- events -----------------------------------------------------------------------

    pub(crate) fn cmd_events(&mut self, a: cli::EventsArgs) -> i32 {
        let usage = "\n\nUsage:  docker events [OPTIONS]\n\nRun 'docker events --help' for more information\n";
        let filters = match parse_filters(&a.filter) {
            Ok(f) => f,
            Err(msg) => {
                self.err(&format!("{msg}{usage}"));
                return 125;
            }
        };
        let mut since_q = None;
        let mut until_q = None;
        for (v, slot) in [(&a.since, &mut since_q), (&a.until, &mut until_q)] {
            if let Some(v) = v {
                match client_timestamp(v, self.now) {
                    Ok(s) => *slot = Some(s),
                    Err(msg) => {
                        self.err(&format!("{msg}\n"));
                        return 1;
                    }
                }
            }
        }
        let mut qs = Vec::new();
        if !filters.is_empty() {
            qs.push(format!("filters={}", query_escape(&filters_json(&filters))));
        }
        if let Some(s) = &since_q {
            qs.push(format!("since={s}"));
        }
        if let Some(u) = &until_q {
            qs.push(format!("until={u}"));
        }
        let path = if qs.is_empty() {
            "/events".to_string()
        } else {
            format!("/events?{}", qs.join("&"))
        };
        let since = since_q.as_deref().and_then(server_timestamp);
        let until = until_q.as_deref().and_then(server_timestamp);
        if let (Some(s), Some(u)) = (since, until) {
            if u < s {
                let e = ApiError::new(
                    400,
                    format!(
                        "`since` time ({}) cannot be after `until` time ({})",
                        since_q.as_deref().unwrap_or(""),
                        until_q.as_deref().unwrap_or("")
                    ),
                );
                self.step(api_step(
                    http("GET", &path, None, 400, Some(json!({"message": e.message}))),
                    "dockerd checks the time window",
                ));
                self.daemon_error(&e);
                return 1;
            }
        }
        let fmt = a.format.as_deref().map(|f| {
            if f == "json" {
                "{{json .}}".to_string()
            } else {
                f.to_string()
            }
        });
        self.step(api_step(
            http("GET", &path, None, 200, None),
            "dockerd sends the past events the window asks for, then streams new ones as they happen",
        ));
        // A window that ends in the future: the real client streams until then, so
        // virtual time passes up to `until`.
        let start_len = self.events.len();
        if let Some(u) = until {
            if u > self.now {
                self.advance_to(u);
            }
        }
        // Past events: dockerd keeps the last 256 in memory.
        let first = self.events.len().saturating_sub(256).min(start_len);
        let listed: Vec<crate::events::Event> = if since.is_none() && until.is_none() {
            Vec::new()
        } else {
            self.events[first..]
                .iter()
                .filter(|e| since.is_none_or(|s| e.time >= s))
                .filter(|e| until.is_none_or(|u| e.time <= u))
                .filter(|e| event_matches(e, &filters))
                .cloned()
                .collect()
        };
        let mut out = String::new();
        for e in &listed {
            match &fmt {
                Some(f) => match crate::template::render(f, &event_json(e)) {
                    Ok(s) => {
                        out.push_str(&s);
                        out.push('\n');
                    }
                    Err(err) => {
                        self.out(&out);
                        self.err(&format!("template parsing error: {}\n", err.message));
                        return 1;
                    }
                },
                None => out.push_str(&pretty_event(e)),
            }
        }
        self.out(&out);
        if until.is_none() {
            self.step(Step::new(
                Component::Cli,
                format!("printed {} past event(s); a real `docker events` would keep streaming new ones", listed.len()),
                "without --until the CLI stays connected and prints each event as it happens, until Ctrl-C; Porthole returns here. Use --since and --until (or `wait` first) to see a window of virtual time",
            ));
        }
        0
    }

    // ---- Porthole's `wait DURATION` ---------------------------------------------------

    /// `wait 30s`: lets virtual time pass, as `sleep` would in a terminal next to the
    /// daemon. Prints nothing; the steps tell what happened meanwhile.
    pub(crate) fn porthole_wait(&mut self, words: &[String]) -> i32 {
        let usage =
            "porthole: usage: wait DURATION (e.g. wait 30s, wait 2m, wait 500ms, wait 1h)\n";
        let [arg] = words else {
            self.err(usage);
            return 2;
        };
        let Some(d) = parse_duration(arg, true) else {
            self.err(&format!(
                "porthole: wait: invalid duration {arg:?}\n{usage}"
            ));
            return 2;
        };
        let from = self.now;
        let first_event = self.events.len();
        let first_step = self.steps.len();
        self.advance_to(from.plus_nanos(d));
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for e in &self.events[first_event..] {
            *counts
                .entry(e.action.split(':').next().unwrap_or("").to_string())
                .or_default() += 1;
        }
        let meanwhile = if counts.is_empty() {
            if self.steps.len() > first_step {
                "containers wrote output; no container changed state".to_string()
            } else {
                "nothing happened".to_string()
            }
        } else {
            counts
                .iter()
                .map(|(a, n)| format!("{n} {a}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        self.step(Step::new(
            Component::Kernel,
            format!(
                "{} of virtual time passed ({} → {}): {meanwhile}",
                human_nanos(d),
                &from.rfc3339_nano()[11..19],
                &self.now.rfc3339_nano()[11..19]
            ),
            "`wait` is Porthole's clock control (like `sleep` in a terminal): containers run their timelines, restart policies' backoffs expire",
        ));
        0
    }
}

/// A duration as `wait` echoes it: 30s, 2m0s, 500ms.
fn human_nanos(n: u64) -> String {
    if n < NANOS_PER_SEC {
        return format!("{}ms", n / 1_000_000);
    }
    let s = n / NANOS_PER_SEC;
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

/// 100 ms, 1.6 s, 1 min.
pub(crate) fn ms_text(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{} s", ms as f64 / 1000.0)
    } else {
        human_duration(ms * 1_000_000).to_lowercase()
    }
}

/// The events API's JSON message (what `--format` templates see).
pub(crate) fn event_json(e: &crate::events::Event) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    if e.kind == "container" || e.kind == "image" {
        m.insert("status".into(), json!(e.action));
        if !e.actor.is_empty() {
            m.insert("id".into(), json!(e.actor));
        }
        if let Some(img) = e.attributes.get("image") {
            m.insert("from".into(), json!(img));
        }
    }
    m.insert("Type".into(), json!(e.kind));
    m.insert("Action".into(), json!(e.action));
    m.insert(
        "Actor".into(),
        json!({"ID": e.actor, "Attributes": e.attributes}),
    );
    m.insert("scope".into(), json!("local"));
    m.insert("time".into(), json!(e.time.secs()));
    m.insert("timeNano".into(), json!(e.time.0));
    serde_json::Value::Object(m)
}

/// The CLI's default line: `2026-01-05T09:00:01.000000000Z container create <id> (image=busybox, name=x)`.
fn pretty_event(e: &crate::events::Event) -> String {
    let ts = e.time.rfc3339_nano();
    let base = ts.trim_end_matches('Z');
    let (secs, frac) = base.split_once('.').unwrap_or((base, ""));
    let mut line = format!("{secs}.{frac:0<9}Z {} {} {}", e.kind, e.action, e.actor);
    if !e.attributes.is_empty() {
        let attrs: Vec<String> = e
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        line.push_str(&format!(" ({})", attrs.join(", ")));
    }
    line.push('\n');
    line
}

/// dockerd's events filter (daemon/events/filter.go) for the keys Porthole models:
/// type, event, container, image, label. Other keys match everything.
pub(crate) fn event_matches(e: &crate::events::Event, f: &BTreeMap<String, Vec<String>>) -> bool {
    let any =
        |k: &str, ok: &dyn Fn(&str) -> bool| f.get(k).is_none_or(|vs| vs.iter().any(|v| ok(v)));
    let fuzzy_event = f.get("event").is_some_and(|vs| {
        vs.iter()
            .any(|v| matches!(v.as_str(), "health_status" | "exec_create" | "exec_start"))
    });
    any("type", &|v| v == e.kind)
        && any("event", &|v| {
            v == e.action || (fuzzy_event && e.action.starts_with(v))
        })
        && (e.kind != "container"
            || any("container", &|v| {
                v == e.actor
                    || e.attributes.get("name").is_some_and(|n| n == v)
                    || (!v.is_empty() && e.actor.starts_with(v))
            }))
        && any("image", &|v| {
            let img = e.attributes.get("image").map(String::as_str).unwrap_or("");
            let strip = |s: &str| s.strip_suffix(":latest").unwrap_or(s).to_string();
            img == v || strip(img) == strip(v)
        })
        && f.get("label").is_none_or(|vs| {
            vs.iter().all(|v| match v.split_once('=') {
                Some((k, val)) => e.attributes.get(k).is_some_and(|x| x == val),
                None => e.attributes.contains_key(v.as_str()),
            })
        })
}
