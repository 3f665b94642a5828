//! The engine: a simulated Docker host driven one command at a time.
//!
//! Sans-IO: the caller passes the seed at creation and the time with each command;
//! commands go in, output, an exit code and steps come out. The daemon logic lives in
//! `crate::daemon` as methods on [`Engine`]; every effect goes through the [`Kernel`].

use crate::cli;
use crate::image::{Image, Layer, Registry};
use crate::kernel::{ExitStatus, InitProcess, Kernel, KernelEvent, RootfsMount, Stream};
use crate::rng::{hex, Rng};
use crate::sim::{SimConfig, SimKernel};
use crate::time::{Time, DEFAULT_EPOCH};
use crate::trace::{Change, Component, Object, Step};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A piece of a command's output, on stdout or stderr.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    pub stream: Stream,
    pub text: String,
}

/// Everything one command produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandOutcome {
    pub line: String,
    pub output: Vec<Output>,
    pub exit_code: i32,
    pub steps: Vec<Step>,
    /// With recording on: the state before the command, then after each step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub snapshots: Vec<crate::snapshot::Snapshot>,
}

impl CommandOutcome {
    pub fn stdout(&self) -> String {
        self.output
            .iter()
            .filter(|o| o.stream == Stream::Stdout)
            .map(|o| o.text.as_str())
            .collect()
    }
    pub fn stderr(&self) -> String {
        self.output
            .iter()
            .filter(|o| o.stream == Stream::Stderr)
            .map(|o| o.text.as_str())
            .collect()
    }
    /// Output as a terminal shows it: both streams, interleaved in order.
    pub fn combined(&self) -> String {
        self.output.iter().map(|o| o.text.as_str()).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

impl Status {
    /// Docker's `State.Running`: true while the container has (or is about to get back) a
    /// task, so for paused and restarting containers too.
    pub fn is_up(self) -> bool {
        matches!(self, Status::Running | Status::Paused | Status::Restarting)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Removing => "removing",
            Status::Exited => "exited",
            Status::Dead => "dead",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub status: Status,
    pub pid: u32,
    pub exit_code: i32,
    pub error: String,
    pub oom_killed: bool,
    pub started_at: Option<Time>,
    pub finished_at: Option<Time>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub time: Time,
    pub stream: Stream,
    pub text: String,
}

/// The container's configuration: the API's `Config` and the parts of `HostConfig` that
/// this model uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerConfig {
    pub hostname: String,
    pub user: String,
    pub env: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    /// As the user typed it (`busybox`), for `docker ps`.
    pub image: String,
    pub working_dir: String,
    pub labels: BTreeMap<String, String>,
    pub exposed_ports: Vec<String>,
    pub stop_signal: Option<String>,
    pub tty: bool,
    pub open_stdin: bool,
    pub attach: bool,
    pub auto_remove: bool,
}

/// The parts of the API's `HostConfig` this model acts on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostConfig {
    pub resources: crate::resources::Resources,
    pub restart_policy: RestartPolicy,
    /// "" (private), "host" or "container:<id>".
    pub pid_mode: String,
    /// "bridge" (default), "host", "none", "container:<id>" or a network name.
    pub network_mode: String,
    /// "private", "shareable" (the default), "host", "container:<id>", "none".
    pub ipc_mode: String,
    /// "" or "host".
    pub uts_mode: String,
    /// "" or "host".
    pub userns_mode: String,
    /// "private" (default on cgroup v2) or "host".
    pub cgroupns_mode: String,
    pub stop_timeout: Option<i64>,
    /// `--read-only`: the root file system is mounted read-only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub readonly_rootfs: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartPolicy {
    /// "no", "always", "unless-stopped", "on-failure".
    pub name: String,
    pub maximum_retry_count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    pub id: String,
    /// Without the leading slash.
    pub name: String,
    pub created: Time,
    pub path: String,
    pub args: Vec<String>,
    pub config: ContainerConfig,
    pub image_id: String,
    pub state: State,
    /// The overlay2 layer ID of its RW layer (not the container ID).
    pub mount_id: String,
    pub rootfs: Option<RootfsMount>,
    pub init: Option<InitProcess>,
    pub logs: Vec<LogEntry>,
    pub restart_count: u32,
    #[serde(default)]
    pub host_config: HostConfig,
    /// `docker stop` (or kill) by a user: the unless-stopped policy then leaves it be.
    #[serde(default)]
    pub manually_stopped: bool,
}

/// A layer in the daemon's layer store and the images that use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRecord {
    pub layer: Layer,
    /// Where the kernel unpacked it (its `diff` directory).
    pub dir: String,
    /// The images using it; after `rmi -f` of an image a container stands on,
    /// `container:<id>` markers hold its layers until that container is removed.
    pub images: BTreeSet<String>,
}

/// The first subordinate UID of the `dockremap` user (/etc/subuid: dockremap:100000:65536).
pub const REMAP_UID: u32 = 100_000;

/// An API attach stream: output not yet sent to the client, and the exit code once known.
#[derive(Clone, Debug, Default)]
pub struct AttachStream {
    pub chunks: Vec<(Stream, String)>,
    pub exit: Option<i32>,
}

pub struct Engine<K: Kernel> {
    pub(crate) kernel: K,
    pub(crate) rng: Rng,
    pub(crate) now: Time,
    pub(crate) registry: Arc<Registry>,
    pub(crate) images: BTreeMap<String, Image>,
    /// `busybox:latest` → image ID.
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) layers: BTreeMap<String, LayerRecord>,
    pub(crate) containers: BTreeMap<String, Container>,
    pub(crate) names: BTreeMap<String, String>,
    /// Host PID of each container's init → container ID.
    pub(crate) pids: BTreeMap<u32, String>,
    // The command under way.
    pub(crate) steps: Vec<Step>,
    /// Containers that exited during the command under way, with their exit codes
    /// (a `--rm` container is gone by the time its `docker run` reports the code).
    pub(crate) exits: Vec<(String, i32)>,
    pub(crate) output: Vec<Output>,
    /// dockerd's `userns-remap`: containers get a user namespace, root inside maps to
    /// [`REMAP_UID`] outside.
    pub(crate) userns_remap: bool,
    /// Everything `docker events` reports, in order.
    pub(crate) events: Vec<crate::events::Event>,
    /// Each container's restart manager (its backoff and pending restart), once it has one.
    pub(crate) restarts: BTreeMap<String, crate::lifecycle::RestartManager>,
    /// Detached `docker exec` processes still running: host PID → (container, exec ID).
    pub(crate) execs: BTreeMap<u32, (String, String)>,
    /// The container the CLI is attached to while it starts (its output goes to the terminal).
    pub(crate) attach_to: Option<String>,
    /// API attach streams (`porthole serve`): what each attached container wrote since
    /// the client attached, and its exit code once it exits; drained by the server.
    /// Transport state, like dockerd's stream config: not in the digest.
    pub(crate) streams: BTreeMap<String, AttachStream>,
    /// The exit codes of removed containers, for `wait?condition=removed` (transport
    /// state like `streams`: not in the digest).
    pub(crate) removed_exits: BTreeMap<String, i32>,
    /// Exec instances created through the API (`POST /containers/{id}/exec`): ID → the
    /// `docker exec` command line they stand for and, once run, the exit code.
    pub(crate) api_execs: BTreeMap<String, (String, Option<i32>)>,
    /// The command lines the API applied, with their times (`Engine::api_log`).
    pub(crate) api_log: Vec<(Time, String)>,
    /// libnetwork's state: networks, IPAM, endpoints, port bindings (`crate::network`).
    pub(crate) networks: crate::network::Networks,
    /// The local volume driver's volumes (`crate::volume`).
    pub(crate) volumes: crate::volume::Volumes,
    /// The classic builder's cache and the registries' state (`crate::build`, `crate::registry`).
    pub(crate) builds: crate::build::BuildState,
    recording: bool,
    snapshots: Vec<crate::snapshot::Snapshot>,
    commands: u64,
}

impl Engine<SimKernel> {
    /// A simulated host with the default configuration.
    pub fn sim(seed: u64) -> Engine<SimKernel> {
        Engine::new(seed, SimKernel::new(SimConfig::default()))
    }
}

impl<K: Kernel> Engine<K> {
    pub fn new(seed: u64, kernel: K) -> Engine<K> {
        // The simulated Docker Hub is immutable: build it once per process.
        static HUB: std::sync::OnceLock<Arc<Registry>> = std::sync::OnceLock::new();
        let hub = HUB.get_or_init(|| Arc::new(Registry::docker_hub())).clone();
        Self::with_registry(seed, kernel, hub)
    }

    /// Shares one registry between engines (it is immutable and costly to rebuild).
    pub fn with_registry(seed: u64, kernel: K, registry: Arc<Registry>) -> Engine<K> {
        let mut e = Engine {
            kernel,
            rng: Rng::new(seed),
            now: DEFAULT_EPOCH,
            registry,
            images: BTreeMap::new(),
            tags: BTreeMap::new(),
            layers: BTreeMap::new(),
            exits: Vec::new(),
            containers: BTreeMap::new(),
            names: BTreeMap::new(),
            pids: BTreeMap::new(),
            steps: Vec::new(),
            output: Vec::new(),
            events: Vec::new(),
            restarts: BTreeMap::new(),
            attach_to: None,
            streams: BTreeMap::new(),
            removed_exits: BTreeMap::new(),
            api_execs: BTreeMap::new(),
            api_log: Vec::new(),
            networks: crate::network::Networks::new(seed, DEFAULT_EPOCH),
            volumes: Default::default(),
            builds: Default::default(),
            execs: BTreeMap::new(),
            userns_remap: false,
            recording: false,
            snapshots: Vec::new(),
            commands: 0,
        };
        e.init_networking();
        e
    }

    /// dockerd's `--userns-remap=default` (a daemon-wide setting; set it before any
    /// container is created).
    pub fn set_userns_remap(&mut self, on: bool) {
        self.userns_remap = on;
    }
    pub fn kernel(&self) -> &K {
        &self.kernel
    }
    /// The kernel, to change the host behind dockerd's back (tests: files on the host).
    pub fn kernel_mut(&mut self) -> &mut K {
        &mut self.kernel
    }
    pub fn now(&self) -> Time {
        self.now
    }
    pub fn seed(&self) -> u64 {
        self.rng.seed()
    }
    pub fn containers(&self) -> impl Iterator<Item = &Container> {
        self.containers.values()
    }
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.values()
    }

    /// Record a full snapshot after every step (for stepping back in the page).
    pub fn set_recording(&mut self, on: bool) {
        self.recording = on;
    }

    /// Runs one command line (`docker run --rm busybox echo hello`) at virtual time `now`
    /// (never earlier than the engine's clock). Time first passes up to `now`: what the
    /// containers did meanwhile comes first in the steps.
    pub fn execute(&mut self, line: &str, now: Time) -> CommandOutcome {
        self.steps.clear();
        // A `docker run` takes about 30 steps: grow once, not six times.
        self.steps.reserve(32);
        self.output.clear();
        self.exits.clear();
        self.snapshots.clear();
        if self.recording {
            self.snapshots.push(self.snapshot());
        }
        self.advance_to(now.max(self.now));
        self.commands += 1;
        let exit_code = self.dispatch(line);
        // What the command set off at this very instant (an OOM kill as memory is
        // charged, an exit) happens before the prompt returns.
        let now = self.now;
        self.advance_to(now);
        CommandOutcome {
            line: line.to_string(),
            output: std::mem::take(&mut self.output),
            exit_code,
            steps: std::mem::take(&mut self.steps),
            snapshots: std::mem::take(&mut self.snapshots),
        }
    }

    /// Runs a command one virtual second after the engine's clock: how `porthole sim`
    /// and the page pace a session.
    pub fn execute_next(&mut self, line: &str) -> CommandOutcome {
        let now = self.now.plus_secs(1);
        self.execute(line, now)
    }

    fn dispatch(&mut self, line: &str) -> i32 {
        let Some(words) = cli::split(line) else {
            self.err("porthole: unterminated quote in command line\n");
            return 2;
        };
        let Some(first) = words.first() else { return 0 };
        if first == "host" {
            return self.host_command(&words[1..]);
        }
        if first == "wait" {
            return self.porthole_wait(&words[1..]);
        }
        if first != "docker" {
            self.err(&format!(
                "porthole: {first}: command not found (commands here start with `docker`)\n"
            ));
            return 127;
        }
        let parsed = cli::globals(&words[1..]).and_then(|(g, rest)| {
            if g.version {
                return Ok(cli::Command::Help(format!(
                    "Docker version {}, build e6534b4\n",
                    crate::api::DOCKER_VERSION
                )));
            }
            if let Some(h) = g.host.as_deref().filter(|h| *h != cli::DEFAULT_HOST) {
                // The CLI dials the daemon before anything else: only the simulated
                // host's own socket answers here.
                return Err(cli::UsageError {
                    message: format!(
                        "Cannot connect to the Docker daemon at {h}. Is the docker daemon running?"
                    ),
                    exit_code: 1,
                });
            }
            cli::parse(rest)
        });
        match parsed {
            Ok(cmd) => self.run_command(cmd, &words),
            Err(e) => {
                let msg = e.message.clone();
                if e.exit_code == 0 {
                    self.out(&format!("{msg}\n"));
                } else {
                    self.err(&format!("{msg}\n"));
                    self.step(Step::new(
                        Component::Cli,
                        format!("rejected `{}`: {}", line.trim(), msg.lines().next().unwrap_or("")),
                        "the CLI checks flags and arguments before it sends anything to the daemon, so nothing changed",
                    ));
                }
                e.exit_code
            }
        }
    }

    // ---- output and steps -------------------------------------------------------------

    pub(crate) fn out(&mut self, text: &str) {
        self.write(Stream::Stdout, text);
    }
    pub(crate) fn err(&mut self, text: &str) {
        self.write(Stream::Stderr, text);
    }
    pub(crate) fn write(&mut self, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.output.last_mut() {
            Some(o) if o.stream == stream => o.text.push_str(text),
            _ => self.output.push(Output {
                stream,
                text: text.to_string(),
            }),
        }
    }
    pub(crate) fn step(&mut self, s: Step) {
        self.steps.push(s);
        if self.recording {
            let snap = self.snapshot();
            self.snapshots.push(snap);
        }
    }

    pub(crate) fn new_id(&mut self) -> String {
        self.rng.hex_id()
    }

    // ---- time -------------------------------------------------------------------------

    /// Lets virtual time pass up to `t`, applying what the kernel reports.
    /// Lets virtual time pass up to `t` with no command (a server's clock between
    /// requests): containers print, exit and restart on their own.
    pub fn advance(&mut self, t: Time) {
        self.advance_to(t);
    }

    /// What `POST /containers/{id}/wait` watches: its status (`running`, `exited`, …,
    /// or `removed` for a removed container), when it last finished, and its exit code.
    /// None: no such container, ever.
    pub fn wait_state(&self, id: &str) -> Option<(&'static str, Option<Time>, i32)> {
        match self.containers.get(id) {
            Some(c) => Some((
                c.state.status.as_str(),
                c.state.finished_at,
                c.state.exit_code,
            )),
            None => self
                .removed_exits
                .get(id)
                .map(|code| ("removed", None, *code)),
        }
    }

    /// Starts an API attach stream for a container (before it starts, as the CLI does).
    pub fn attach_stream(&mut self, id: &str) {
        self.streams.insert(id.to_string(), AttachStream::default());
    }

    /// Ends an API attach stream (its client went away).
    pub fn forget_attach(&mut self, id: &str) {
        self.streams.remove(id);
    }

    /// Takes what an attached container wrote since the last call, and its exit code
    /// if it has exited (the stream then ends and is forgotten).
    pub fn take_attach(&mut self, id: &str) -> Option<AttachStream> {
        let s = self.streams.get_mut(id)?;
        let out = std::mem::take(s);
        if out.exit.is_some() {
            self.streams.remove(id);
        } else if let Some(s) = self.streams.get_mut(id) {
            s.exit = None;
        }
        Some(out)
    }

    pub(crate) fn advance_to(&mut self, t: Time) {
        while self.advance_one(Some(t), None) {}
        self.now = self.now.max(t);
    }

    /// When the next thing happens on its own: a kernel event or a daemon timer (a restart
    /// policy's backoff).
    pub(crate) fn next_due(&self) -> Option<Time> {
        let restart = self.restarts.values().filter_map(|r| r.due).min();
        match (self.kernel.next_event(), restart) {
            (Some(k), Some(r)) => Some(k.min(r)),
            (k, r) => k.or(r),
        }
    }

    /// Lets time pass to the next thing due (not beyond `limit`) and applies it: kernel
    /// events first, then a due restart. Returns false if nothing was due.
    pub(crate) fn advance_one(&mut self, limit: Option<Time>, attached: Option<&str>) -> bool {
        let Some(next) = self.next_due() else {
            return false;
        };
        if limit.is_some_and(|l| next > l) {
            return false;
        }
        self.now = self.now.max(next);
        if self.kernel.next_event().is_some_and(|k| k <= next) {
            let events = self.kernel.advance(next);
            self.apply_events(events, attached);
        } else if let Some(id) = self
            .restarts
            .iter()
            .find(|(_, r)| r.due == Some(next))
            .map(|(id, _)| id.clone())
        {
            self.fire_restart(&id);
        }
        true
    }

    /// Applies kernel events: output goes to the container's log (and to the attached
    /// client if `attached` is its ID); an exit ends the container.
    pub(crate) fn apply_events(&mut self, events: Vec<KernelEvent>, attached: Option<&str>) {
        for ev in events {
            match ev {
                KernelEvent::Output {
                    pid,
                    time,
                    stream,
                    text,
                } => {
                    let Some(id) = self.pids.get(&pid).cloned() else {
                        continue;
                    };
                    let is_attached = attached == Some(id.as_str());
                    // A pseudo-TTY has one stream and its line discipline turns \n into \r\n.
                    let tty = self.containers.get(&id).is_some_and(|c| c.config.tty);
                    let (stream, text) = if tty {
                        (Stream::Stdout, text.replace('\n', "\r\n"))
                    } else {
                        (stream, text)
                    };
                    if let Some(c) = self.containers.get_mut(&id) {
                        c.logs.push(LogEntry {
                            time,
                            stream,
                            text: text.clone(),
                        });
                    }
                    if let Some(s) = self.streams.get_mut(&id) {
                        s.chunks.push((stream, text.clone()));
                    }
                    let short = id[..12].to_string();
                    let shown = crate::format::ellipsis(text.trim_end(), 60);
                    let target = if is_attached {
                        "the attached CLI and the json-file log"
                    } else {
                        "the json-file log"
                    };
                    self.step(
                        Step::new(
                            Component::Shim,
                            format!("container {short} wrote to {}: “{shown}”", if stream == Stream::Stdout { "stdout" } else { "stderr" }),
                            format!("the shim holds the container's stdio pipes and copies what it writes to {target}"),
                        )
                        .change(Change::modified(Object::Container(id.clone()))),
                    );
                    if is_attached {
                        self.write(stream, &text);
                    }
                }
                KernelEvent::Oom {
                    cgroup,
                    container,
                    victim,
                    comm,
                    rss,
                    limit,
                    ..
                } => {
                    self.step(Step::new(
                        Component::Kernel,
                        format!(
                            "OOM killer: memory cgroup {cgroup} hit its limit of {}; killed PID {victim} ({comm}), the largest process, with {} resident",
                            crate::format::bytes_size(limit),
                            crate::format::bytes_size(rss)
                        ),
                        "when a cgroup cannot reclaim memory below memory.max, the kernel's OOM killer SIGKILLs the process with the highest badness score (mostly its resident memory) in that cgroup",
                    ).change(Change::removed(Object::Process(victim))));
                    if let Some(id) = container {
                        if let Some(c) = self.containers.get_mut(&id) {
                            c.state.oom_killed = true;
                        }
                        self.emit_container("oom", &id, &[]);
                    }
                }
                KernelEvent::Exited { pid, time, status } => {
                    if let Some((id, exec_id)) = self.execs.remove(&pid) {
                        self.emit_container(
                            "exec_die",
                            &id,
                            &[
                                ("execID", exec_id),
                                ("exitCode", status.docker_code().to_string()),
                            ],
                        );
                        continue;
                    }
                    let Some(id) = self.pids.remove(&pid) else {
                        continue;
                    };
                    self.container_exited(&id, time, status);
                }
            }
        }
    }

    pub(crate) fn container_exited(&mut self, id: &str, time: Time, status: ExitStatus) {
        let code = status.docker_code();
        self.exits.push((id.to_string(), code));
        let short = id[..12].to_string();
        let how = match status {
            ExitStatus::Code(c) => format!("exited with status {c}"),
            ExitStatus::Signaled(s) => format!(
                "was killed by {} (exit code 128+{} = {})",
                s.name(),
                s.number(),
                code
            ),
        };
        let host_pid = self.containers.get(id).map(|c| c.state.pid).unwrap_or(0);
        self.step(
            Step::new(
                Component::Kernel,
                format!("PID {host_pid} (PID 1 of container {short}) {how}"),
                "when a PID namespace's init exits, the kernel kills the rest of it and the namespace is freed",
            )
            .change(Change::removed(Object::Process(host_pid))),
        );
        self.step(Step::new(
            Component::Shim,
            format!("the shim reaped PID {host_pid} and reported exit status {code} to containerd, then exited"),
            "the shim is the container's parent, so it collects the exit status (no zombie) and forwards it",
        ));
        let ran = self
            .containers
            .get(id)
            .and_then(|c| c.state.started_at)
            .map(|t| time.since(t))
            .unwrap_or(0);
        // The restart manager decides now (moby's handleContainerExit), before the event.
        let restart_in = self.should_restart(id, code, ran, time);
        let cgroups = self.kernel.destroy_cgroup(id).unwrap_or_default();
        self.release_networks(id);
        // Its exec'd processes died with its PID namespace.
        self.execs.retain(|_, (c, _)| c != id);
        if let Some(c) = self.containers.get_mut(id) {
            c.state.status = if restart_in.is_some() {
                c.restart_count += 1;
                Status::Restarting
            } else {
                Status::Exited
            };
            c.state.pid = 0;
            c.state.exit_code = code;
            c.state.finished_at = Some(time);
        }
        if let Some(s) = self.streams.get_mut(id) {
            s.exit = Some(code);
        }
        self.emit_container(
            "die",
            id,
            &[
                ("exitCode", code.to_string()),
                (
                    "execDuration",
                    (ran / crate::time::NANOS_PER_SEC).to_string(),
                ),
            ],
        );
        let _ = self.kernel.unmount_rootfs(id);
        self.step(
            Step::new(
                Component::Containerd,
                format!("task {short} exited; containerd deleted its cgroup {}", cgroups.join(", ")),
                "containerd publishes a TaskExit event, which dockerd waits for, and cleans up the runtime state",
            )
            .change(Change::removed(Object::Cgroup(cgroups.first().cloned().unwrap_or_default()))),
        );
        self.step(
            Step::new(
                Component::Dockerd,
                format!("container {short} is now exited ({code}); overlay2 unmounted its root file system"),
                "dockerd records the exit code and the time; the RW layer stays on disk until `docker rm`",
            )
            .change(Change::modified(Object::Container(id.to_string())))
            .change(Change::removed(Object::Mount(id.to_string()))),
        );
        self.unmount_volumes(id);
        if let Some(ms) = restart_in {
            self.restart_scheduled(id, ms);
            return;
        }
        let auto_remove = self
            .containers
            .get(id)
            .is_some_and(|c| c.config.auto_remove);
        if auto_remove {
            self.remove_container(
                id,
                "--rm was given, so dockerd removes the container as soon as it exits",
            );
        }
    }

    /// Deletes a stopped container: its RW layer, its name, its record.
    pub(crate) fn remove_container(&mut self, id: &str, why: &str) {
        self.emit_container("destroy", id, &[]);
        self.restarts.remove(id);
        let Some(c) = self.containers.remove(id) else {
            return;
        };
        self.removed_exits.insert(id.to_string(), c.state.exit_code);
        self.names.remove(&c.name);
        self.forget_container_network(id);
        let _ = self.kernel.remove_rw_layer(id);
        self.step(
            Step::new(
                Component::Dockerd,
                format!(
                    "removed container {} ({}): deleted its RW layer /var/lib/docker/overlay2/{} and /var/lib/docker/containers/{}",
                    &id[..12],
                    c.name,
                    c.mount_id,
                    &id[..12]
                ),
                why.to_string(),
            )
            .change(Change::removed(Object::Container(id.to_string())))
            .change(Change::removed(Object::Layer(c.mount_id.clone()))),
        );
        self.release_mounts(id, c.config.auto_remove);
        self.release_container_layers(id);
    }

    // ---- state ------------------------------------------------------------------------

    /// A sha256 over the whole engine state (not the clock): equal digests, equal states.
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        h.update(format!("seed {} rng {}\n", self.rng.seed(), self.rng.position()).as_bytes());
        let mut put = |v: &dyn erased::Ser| h.update(v.bytes());
        put(&self.images);
        put(&self.tags);
        put(&self.layers);
        put(&self.containers);
        put(&self.names);
        put(&self.pids);
        put(&self.events);
        put(&self.restarts);
        put(&self.execs);
        put(&self.networks);
        put(&self.volumes);
        put(&self.builds);
        let mut kh = Sha256::new();
        self.kernel.digest_into(&mut |b| kh.update(b));
        h.update(kh.finalize());
        hex(&h.finalize())
    }
}

mod erased {
    pub trait Ser {
        fn bytes(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Ser for T {
        fn bytes(&self) -> Vec<u8> {
            serde_json::to_vec(self).unwrap_or_default()
        }
    }
}
