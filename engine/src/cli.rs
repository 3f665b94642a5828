//! The `docker` command grammar (clap), shared by the browser terminal and `porthole sim`,
//! with the docker CLI 28's own wording and exit codes for every parse error.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "docker",
    disable_help_flag = true,
    disable_help_subcommand = true,
    disable_version_flag = true
)]
pub struct Docker {
    #[command(subcommand)]
    pub command: Top,
}

#[derive(Subcommand, Debug)]
pub enum Top {
    Run(RunArgs),
    Create(CreateArgs),
    Start(StartArgs),
    Restart(RestartArgs),
    Pause(NamesArgs),
    Unpause(NamesArgs),
    Wait(NamesArgs),
    Rename(NamesArgs),
    Update(UpdateArgs),
    Stats(StatsArgs),
    Events(EventsArgs),
    Exec(ExecArgs),
    Top(TopArgs),
    Ps(PsArgs),
    Images(ImagesArgs),
    Pull(PullArgs),
    Stop(StopArgs),
    Kill(KillArgs),
    Rm(RmArgs),
    Logs(LogsArgs),
    Inspect(InspectArgs),
    Version(VersionArgs),
    Info(InfoArgs),
    Container {
        #[command(subcommand)]
        command: ContainerCmd,
    },
    Image {
        #[command(subcommand)]
        command: ImageCmd,
    },
    System {
        #[command(subcommand)]
        command: SystemCmd,
    },
    Network {
        #[command(subcommand)]
        command: NetworkCmd,
    },
    Volume {
        #[command(subcommand)]
        command: VolumeCmd,
    },
    Port(NamesArgs),
    Diff(NamesArgs),
    Cp(CpArgs),
    #[command(flatten)]
    ImageStore(crate::images::TopCmd),
    Commit(crate::build::CommitArgs),
    Build(crate::build::BuildArgs),
    Push(crate::registry::PushArgs),
    Login(crate::registry::LoginArgs),
    Logout(crate::registry::LogoutArgs),
}

#[derive(Subcommand, Debug)]
pub enum ContainerCmd {
    Run(RunArgs),
    Create(CreateArgs),
    Start(StartArgs),
    Restart(RestartArgs),
    Pause(NamesArgs),
    Unpause(NamesArgs),
    Wait(NamesArgs),
    Rename(NamesArgs),
    Update(UpdateArgs),
    Stats(StatsArgs),
    Prune(PruneArgs),
    Exec(ExecArgs),
    Top(TopArgs),
    #[command(visible_aliases = ["list", "ps"])]
    Ls(PsArgs),
    Stop(StopArgs),
    Kill(KillArgs),
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
    Logs(LogsArgs),
    Inspect(InspectArgs),
    Port(NamesArgs),
    Diff(NamesArgs),
    Cp(CpArgs),
    Commit(crate::build::CommitArgs),
}

#[derive(Subcommand, Debug)]
pub enum NetworkCmd {
    Create(NetworkCreateArgs),
    #[command(visible_alias = "list")]
    Ls(NetworkLsArgs),
    Inspect(NetworkInspectArgs),
    #[command(visible_alias = "remove")]
    Rm(ForceArgs),
    Connect(NetworkConnectArgs),
    Disconnect(ForceArgs),
    Prune(PruneArgs),
}

#[derive(Subcommand, Debug)]
pub enum VolumeCmd {
    Create(VolumeCreateArgs),
    #[command(visible_alias = "list")]
    Ls(VolumeLsArgs),
    Inspect(NetworkInspectArgs),
    #[command(visible_alias = "remove")]
    Rm(ForceArgs),
    Prune(VolumePruneArgs),
}

#[derive(Subcommand, Debug)]
pub enum ImageCmd {
    #[command(visible_alias = "list")]
    Ls(ImagesArgs),
    Pull(PullArgs),
    Inspect(InspectArgs),
    #[command(flatten)]
    Store(crate::images::ImageSubCmd),
    Build(crate::build::BuildArgs),
    Push(crate::registry::PushArgs),
}

#[derive(Subcommand, Debug)]
pub enum SystemCmd {
    Info(InfoArgs),
    Events(EventsArgs),
    Df(crate::images::DfArgs),
}

#[derive(Args, Debug, Clone, Default)]
pub struct RunArgs {
    /// Run container in background and print container ID
    #[arg(short = 'd', long)]
    pub detach: bool,
    #[command(flatten)]
    pub create: CreateArgs,
}

impl std::ops::Deref for RunArgs {
    type Target = CreateArgs;
    fn deref(&self) -> &CreateArgs {
        &self.create
    }
}

/// The flags `docker create` and `docker run` share.
#[derive(Args, Debug, Clone, Default)]
pub struct CreateArgs {
    /// Automatically remove the container and its associated anonymous volumes when it exits
    #[arg(long)]
    pub rm: bool,
    /// Assign a name to the container
    #[arg(long)]
    pub name: Option<String>,
    /// Container host name
    #[arg(short = 'h', long)]
    pub hostname: Option<String>,
    /// Set environment variables
    #[arg(short = 'e', long = "env")]
    pub env: Vec<String>,
    /// Keep STDIN open even if not attached
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Allocate a pseudo-TTY
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Working directory inside the container
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,
    /// Username or UID (format: <name|uid>[:<group|gid>])
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Overwrite the default ENTRYPOINT of the image
    #[arg(long)]
    pub entrypoint: Option<String>,
    #[command(flatten)]
    pub res: ResourceArgs,
    /// Disable OOM Killer
    #[arg(long = "oom-kill-disable", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub oom_kill_disable: Option<String>,
    /// PID namespace to use
    #[arg(long)]
    pub pid: Option<String>,
    /// Connect a container to a network
    #[arg(long, visible_alias = "net")]
    pub network: Option<String>,
    /// IPv4 address (e.g., 172.30.100.104)
    #[arg(long)]
    pub ip: Option<String>,
    /// Add network-scoped alias for the container
    #[arg(long = "network-alias", visible_alias = "net-alias")]
    pub network_alias: Vec<String>,
    /// Add link to another container
    #[arg(long)]
    pub link: Vec<String>,
    /// Publish a container's port(s) to the host
    #[arg(short = 'p', long)]
    pub publish: Vec<String>,
    /// Publish all exposed ports to random ports
    #[arg(short = 'P', long = "publish-all")]
    pub publish_all: bool,
    /// Expose a port or a range of ports
    #[arg(long)]
    pub expose: Vec<String>,
    /// Bind mount a volume
    #[arg(short = 'v', long)]
    pub volume: Vec<String>,
    /// Attach a filesystem mount to the container
    #[arg(long)]
    pub mount: Vec<String>,
    /// Mount a tmpfs directory
    #[arg(long)]
    pub tmpfs: Vec<String>,
    /// Mount volumes from the specified container(s)
    #[arg(long = "volumes-from")]
    pub volumes_from: Vec<String>,
    /// Mount the container's root filesystem as read only
    #[arg(long = "read-only")]
    pub read_only: bool,
    /// IPC mode to use
    #[arg(long)]
    pub ipc: Option<String>,
    /// UTS namespace to use
    #[arg(long)]
    pub uts: Option<String>,
    /// User namespace to use
    #[arg(long)]
    pub userns: Option<String>,
    /// Cgroup namespace to use (host|private)
    #[arg(long)]
    pub cgroupns: Option<String>,
    /// Restart policy to apply when a container exits (default "no")
    #[arg(long)]
    pub restart: Option<String>,
    /// Signal to stop the container
    #[arg(long = "stop-signal")]
    pub stop_signal: Option<String>,
    /// Timeout (in seconds) to stop a container
    #[arg(long = "stop-timeout", allow_hyphen_values = true)]
    pub stop_timeout: Option<String>,
    /// The image, then the command and its arguments
    #[arg(trailing_var_arg = true, value_name = "IMAGE")]
    pub args: Vec<String>,
}

/// The cgroup flags of `docker run`, `docker create` and `docker update`, as typed: the
/// CLI parses them (see `crate::resources`) with pflag's own error messages.
#[derive(Args, Debug, Clone, Default)]
pub struct ResourceArgs {
    /// Memory limit
    #[arg(short = 'm', long, allow_hyphen_values = true)]
    pub memory: Option<String>,
    /// Swap limit equal to memory plus swap: '-1' to enable unlimited swap
    #[arg(long = "memory-swap", allow_hyphen_values = true)]
    pub memory_swap: Option<String>,
    /// Memory soft limit
    #[arg(long = "memory-reservation", allow_hyphen_values = true)]
    pub memory_reservation: Option<String>,
    /// Number of CPUs
    #[arg(long, allow_hyphen_values = true)]
    pub cpus: Option<String>,
    /// CPU shares (relative weight)
    #[arg(short = 'c', long = "cpu-shares", allow_hyphen_values = true)]
    pub cpu_shares: Option<String>,
    /// Limit CPU CFS (Completely Fair Scheduler) period
    #[arg(long = "cpu-period", allow_hyphen_values = true)]
    pub cpu_period: Option<String>,
    /// Limit CPU CFS (Completely Fair Scheduler) quota
    #[arg(long = "cpu-quota", allow_hyphen_values = true)]
    pub cpu_quota: Option<String>,
    /// CPUs in which to allow execution (0-3, 0,1)
    #[arg(long = "cpuset-cpus")]
    pub cpuset_cpus: Option<String>,
    /// Tune container pids limit (set -1 for unlimited)
    #[arg(long = "pids-limit", allow_hyphen_values = true)]
    pub pids_limit: Option<String>,
    /// Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)
    #[arg(long = "blkio-weight", allow_hyphen_values = true)]
    pub blkio_weight: Option<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub res: ResourceArgs,
    /// Restart policy to apply when a container exits
    #[arg(long)]
    pub restart: Option<String>,
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct StartArgs {
    /// Attach STDOUT/STDERR and forward signals
    #[arg(short = 'a', long)]
    pub attach: bool,
    /// Attach container's STDIN
    #[arg(short = 'i', long)]
    pub interactive: bool,
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct RestartArgs {
    /// Signal to send to the container
    #[arg(short = 's', long)]
    pub signal: Option<String>,
    /// Seconds to wait before killing the container
    #[arg(
        short = 't',
        long = "timeout",
        visible_alias = "time",
        allow_negative_numbers = true
    )]
    pub time: Option<i64>,
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

/// Commands that take only container names: pause, unpause, wait, rename.
#[derive(Args, Debug, Clone, Default)]
pub struct NamesArgs {
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct EventsArgs {
    /// Filter output based on conditions provided
    #[arg(short = 'f', long)]
    pub filter: Vec<String>,
    /// Format output using a custom template
    #[arg(long)]
    pub format: Option<String>,
    /// Show all events created since timestamp
    #[arg(long)]
    pub since: Option<String>,
    /// Stream events until this timestamp
    #[arg(long)]
    pub until: Option<String>,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct PruneArgs {
    /// Provide filter values (e.g. "until=<timestamp>")
    #[arg(long)]
    pub filter: Vec<String>,
    /// Do not prompt for confirmation
    #[arg(short = 'f', long)]
    pub force: bool,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct StatsArgs {
    /// Show all containers (default shows just running)
    #[arg(short = 'a', long)]
    pub all: bool,
    /// Format output using a custom template
    #[arg(long)]
    pub format: Option<String>,
    /// Disable streaming stats and only pull the first result
    #[arg(long = "no-stream")]
    pub no_stream: bool,
    /// Do not truncate output
    #[arg(long = "no-trunc")]
    pub no_trunc: bool,
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ExecArgs {
    /// Detached mode: run command in the background
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Set environment variables
    #[arg(short = 'e', long = "env")]
    pub env: Vec<String>,
    /// Keep STDIN open even if not attached
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Allocate a pseudo-TTY
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Username or UID (format: "<name|uid>[:<group|gid>]")
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Working directory inside the container
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,
    /// The container, then the command and its arguments
    #[arg(trailing_var_arg = true, value_name = "CONTAINER")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct TopArgs {
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "CONTAINER"
    )]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct PsArgs {
    /// Show all containers (default shows just running)
    #[arg(short = 'a', long)]
    pub all: bool,
    /// Only display container IDs
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Don't truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Show the latest created container (includes all states)
    #[arg(short = 'l', long)]
    pub latest: bool,
    /// Format output using a custom template
    #[arg(long)]
    pub format: Option<String>,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ImagesArgs {
    /// Show all images (default hides intermediate images)
    #[arg(short = 'a', long)]
    pub all: bool,
    /// Only show image IDs
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Don't truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Show digests
    #[arg(long)]
    pub digests: bool,
    /// Filter output based on conditions provided
    #[arg(short = 'f', long, action = clap::ArgAction::Append)]
    pub filter: Vec<String>,
    /// Format output using a custom template
    #[arg(long)]
    pub format: Option<String>,
    #[arg(value_name = "REPOSITORY[:TAG]")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct PullArgs {
    /// Download all tagged images in the repository
    #[arg(short = 'a', long)]
    pub all_tags: bool,
    /// Suppress verbose output
    #[arg(short = 'q', long)]
    pub quiet: bool,
    #[arg(value_name = "NAME[:TAG|@DIGEST]")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct StopArgs {
    /// Signal to send to the container
    #[arg(short = 's', long)]
    pub signal: Option<String>,
    /// Seconds to wait before killing the container
    #[arg(
        short = 't',
        long = "timeout",
        visible_alias = "time",
        allow_negative_numbers = true
    )]
    pub time: Option<i64>,
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct KillArgs {
    /// Signal to send to the container
    #[arg(short = 's', long)]
    pub signal: Option<String>,
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct RmArgs {
    /// Force the removal of a running container (uses SIGKILL)
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Remove anonymous volumes associated with the container
    #[arg(short = 'v', long)]
    pub volumes: bool,
    /// Remove the specified link
    #[arg(short = 'l', long)]
    pub link: bool,
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct LogsArgs {
    /// Follow log output
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Show timestamps
    #[arg(short = 't', long)]
    pub timestamps: bool,
    /// Number of lines to show from the end of the logs
    #[arg(short = 'n', long, default_value = "all")]
    pub tail: String,
    #[arg(value_name = "CONTAINER")]
    pub args: Vec<String>,
}

/// `docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH` (or the other way round).
#[derive(Args, Debug, Clone, Default)]
pub struct CpArgs {
    /// Archive mode (copy all uid/gid information)
    #[arg(short = 'a', long)]
    pub archive: bool,
    /// Always follow symbol link in SRC_PATH
    #[arg(short = 'L', long = "follow-link")]
    pub follow_link: bool,
    /// Suppress progress output during copy
    #[arg(short = 'q', long)]
    pub quiet: bool,
    #[arg(value_name = "SRC_PATH")]
    pub args: Vec<String>,
}

/// `network rm`, `network disconnect`, `volume rm`: names and `-f`.
#[derive(Args, Debug, Clone, Default)]
pub struct ForceArgs {
    /// Do not error if the object does not exist / force the operation
    #[arg(short = 'f', long)]
    pub force: bool,
    #[arg(value_name = "NAME")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct NetworkCreateArgs {
    /// Enable manual container attachment
    #[arg(long)]
    pub attachable: bool,
    /// Driver to manage the Network (default "bridge")
    #[arg(short = 'd', long)]
    pub driver: Option<String>,
    /// IPv4 or IPv6 Gateway for the master subnet
    #[arg(long, value_delimiter = ',')]
    pub gateway: Vec<String>,
    /// Restrict external access to the network
    #[arg(long)]
    pub internal: bool,
    /// Allocate container ip from a sub-range
    #[arg(long = "ip-range", value_delimiter = ',')]
    pub ip_range: Vec<String>,
    /// Enable IPv6 networking
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub ipv6: Option<String>,
    /// Set metadata on a network
    #[arg(long)]
    pub label: Vec<String>,
    /// Set driver specific options
    #[arg(short = 'o', long)]
    pub opt: Vec<String>,
    /// Subnet in CIDR format that represents a network segment
    #[arg(long, value_delimiter = ',')]
    pub subnet: Vec<String>,
    #[arg(value_name = "NETWORK")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct NetworkLsArgs {
    /// Provide filter values (e.g. "driver=bridge")
    #[arg(short = 'f', long)]
    pub filter: Vec<String>,
    /// Format output using a custom template
    #[arg(long)]
    pub format: Option<String>,
    /// Do not truncate the output
    #[arg(long = "no-trunc")]
    pub no_trunc: bool,
    /// Only display network IDs
    #[arg(short = 'q', long)]
    pub quiet: bool,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

/// `network inspect` and `volume inspect`.
#[derive(Args, Debug, Clone, Default)]
pub struct NetworkInspectArgs {
    /// Format output using a custom template
    #[arg(short = 'f', long)]
    pub format: Option<String>,
    #[arg(value_name = "NAME")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct NetworkConnectArgs {
    /// Add network-scoped alias for the container
    #[arg(long, value_delimiter = ',')]
    pub alias: Vec<String>,
    /// IPv4 address (e.g., "172.30.100.104")
    #[arg(long)]
    pub ip: Option<String>,
    /// Add link to another container
    #[arg(long)]
    pub link: Vec<String>,
    #[arg(value_name = "NETWORK")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct VolumeCreateArgs {
    /// Specify volume driver name (default "local")
    #[arg(short = 'd', long)]
    pub driver: Option<String>,
    /// Set metadata for a volume
    #[arg(long)]
    pub label: Vec<String>,
    /// Set driver specific options
    #[arg(short = 'o', long)]
    pub opt: Vec<String>,
    /// Specify volume name
    #[arg(long, hide = true)]
    pub name: Option<String>,
    #[arg(value_name = "VOLUME")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct VolumeLsArgs {
    /// Provide filter values (e.g. "dangling=true")
    #[arg(short = 'f', long)]
    pub filter: Vec<String>,
    /// Format output using a custom template
    #[arg(long)]
    pub format: Option<String>,
    /// Only display volume names
    #[arg(short = 'q', long)]
    pub quiet: bool,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct VolumePruneArgs {
    /// Remove all unused volumes, not just anonymous ones
    #[arg(short = 'a', long)]
    pub all: bool,
    /// Provide filter values (e.g. "label=<label>")
    #[arg(long)]
    pub filter: Vec<String>,
    /// Do not prompt for confirmation
    #[arg(short = 'f', long)]
    pub force: bool,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct InspectArgs {
    /// Format output using a custom template
    #[arg(short = 'f', long)]
    pub format: Option<String>,
    /// Display total file sizes if the type is container
    #[arg(short = 's', long)]
    pub size: bool,
    /// Return JSON for specified type
    #[arg(long = "type")]
    pub kind: Option<String>,
    #[arg(value_name = "NAME|ID")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct VersionArgs {
    /// Format output using a custom template
    #[arg(short = 'f', long)]
    pub format: Option<String>,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct InfoArgs {
    /// Format output using a custom template
    #[arg(short = 'f', long)]
    pub format: Option<String>,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

/// The clap command for one subcommand path ("run", "container ls"), built once per
/// thread and reused: building the whole `docker` tree costs more than running a
/// container does.
fn with_subcommand<R>(path: &str, f: impl FnOnce(&mut clap::Command) -> R) -> Option<R> {
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    thread_local! {
        static CACHE: RefCell<BTreeMap<String, clap::Command>> = const { RefCell::new(BTreeMap::new()) };
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if !c.contains_key(path) {
            let mut cmd = Docker::command();
            for part in path.split(' ') {
                cmd = cmd.find_subcommand(part)?.clone();
            }
            let cmd = cmd
                .no_binary_name(true)
                .disable_help_flag(true)
                .disable_version_flag(true);
            c.insert(path.to_string(), cmd);
        }
        c.get_mut(path).map(f)
    })
}

/// A parsed, validated docker command.
#[derive(Debug, Clone)]
pub enum Command {
    Run(RunArgs),
    Create(CreateArgs),
    Start(StartArgs),
    Restart(RestartArgs),
    Pause(NamesArgs),
    Unpause(NamesArgs),
    Wait(NamesArgs),
    Rename(NamesArgs),
    Update(UpdateArgs),
    Stats(StatsArgs),
    Events(EventsArgs),
    Prune(PruneArgs),
    Exec(ExecArgs),
    Top(TopArgs),
    Ps(PsArgs),
    Images(ImagesArgs),
    Pull(PullArgs),
    Stop(StopArgs),
    Kill(KillArgs),
    Rm(RmArgs),
    Logs(LogsArgs),
    Inspect(InspectArgs),
    Version(VersionArgs),
    Info(InfoArgs),
    NetworkCreate(NetworkCreateArgs),
    NetworkLs(NetworkLsArgs),
    NetworkInspect(NetworkInspectArgs),
    NetworkRm(ForceArgs),
    NetworkConnect(NetworkConnectArgs),
    NetworkDisconnect(ForceArgs),
    NetworkPrune(PruneArgs),
    VolumeCreate(VolumeCreateArgs),
    VolumeLs(VolumeLsArgs),
    VolumeInspect(NetworkInspectArgs),
    VolumeRm(ForceArgs),
    VolumePrune(VolumePruneArgs),
    Port(NamesArgs),
    Diff(NamesArgs),
    Cp(CpArgs),
    /// tag, rmi, history, image prune, save, load, system df (`crate::images`).
    ImageStore(crate::images::ImageCommand),
    Commit(crate::build::CommitArgs),
    Build(crate::build::BuildArgs),
    Push(crate::registry::PushArgs),
    Login(crate::registry::LoginArgs),
    Logout(crate::registry::LogoutArgs),
    /// `--help` on a command: the text to print.
    Help(String),
}

/// A command line that did not parse: what the CLI prints on stderr, and its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    pub message: String,
    pub exit_code: i32,
}

/// Usage line and one-line description of each command, as `docker CMD --help` shows.
fn usage(path: &str) -> (&'static str, &'static str) {
    if let Some(u) = crate::images::usage(path) {
        return u;
    }
    match path {
        "run" | "container run" => (
            "[OPTIONS] IMAGE [COMMAND] [ARG...]",
            "Create and run a new container from an image",
        ),
        "exec" | "container exec" => (
            "[OPTIONS] CONTAINER COMMAND [ARG...]",
            "Execute a command in a running container",
        ),
        "top" | "container top" => (
            "CONTAINER [ps OPTIONS]",
            "Display the running processes of a container",
        ),
        "ps" | "container ls" | "container list" | "container ps" => {
            ("[OPTIONS]", "List containers")
        }
        "images" | "image ls" | "image list" => ("[OPTIONS] [REPOSITORY[:TAG]]", "List images"),
        "pull" | "image pull" => (
            "[OPTIONS] NAME[:TAG|@DIGEST]",
            "Download an image from a registry",
        ),
        "stop" | "container stop" => (
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Stop one or more running containers",
        ),
        "kill" | "container kill" => (
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Kill one or more running containers",
        ),
        "rm" | "container rm" | "container remove" => (
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Remove one or more containers",
        ),
        "logs" | "container logs" => ("[OPTIONS] CONTAINER", "Fetch the logs of a container"),
        "inspect" => (
            "[OPTIONS] NAME|ID [NAME|ID...]",
            "Return low-level information on Docker objects",
        ),
        "network create" => ("[OPTIONS] NETWORK", "Create a network"),
        "network ls" | "network list" => ("[OPTIONS]", "List networks"),
        "network inspect" => (
            "[OPTIONS] NETWORK [NETWORK...]",
            "Display detailed information on one or more networks",
        ),
        "network rm" | "network remove" => {
            ("NETWORK [NETWORK...]", "Remove one or more networks")
        }
        "network connect" => (
            "[OPTIONS] NETWORK CONTAINER",
            "Connect a container to a network",
        ),
        "network disconnect" => (
            "[OPTIONS] NETWORK CONTAINER",
            "Disconnect a container from a network",
        ),
        "network prune" => ("[OPTIONS]", "Remove all unused networks"),
        "volume create" => ("[OPTIONS] [VOLUME]", "Create a volume"),
        "volume ls" | "volume list" => ("[OPTIONS]", "List volumes"),
        "volume inspect" => (
            "[OPTIONS] VOLUME [VOLUME...]",
            "Display detailed information on one or more volumes",
        ),
        "volume rm" | "volume remove" => (
            "[OPTIONS] VOLUME [VOLUME...]",
            "Remove one or more volumes",
        ),
        "volume prune" => ("[OPTIONS]", "Remove unused local volumes"),
        "port" | "container port" => (
            "CONTAINER [PRIVATE_PORT[/PROTO]]",
            "List port mappings or a specific mapping for the container",
        ),
        "commit" | "container commit" => (
            "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
            "Create a new image from a container's changes",
        ),
        "build" | "image build" => ("[OPTIONS] PATH | URL | -", "Build an image from a Dockerfile"),
        "push" | "image push" => (
            "[OPTIONS] NAME[:TAG]",
            "Upload an image to a registry",
        ),
        "login" => (
            "[OPTIONS] [SERVER]",
            "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.",
        ),
        "logout" => (
            "[SERVER]",
            "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.",
        ),
        "diff" | "container diff" => (
            "CONTAINER",
            "Inspect changes to files or directories on a container's filesystem",
        ),
        "cp" | "container cp" => (
            "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
            "Copy files/folders between a container and the local filesystem",
        ),
        "container inspect" => (
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Display detailed information on one or more containers",
        ),
        "image inspect" => (
            "[OPTIONS] IMAGE [IMAGE...]",
            "Display detailed information on one or more images",
        ),
        "create" | "container create" => (
            "[OPTIONS] IMAGE [COMMAND] [ARG...]",
            "Create a new container",
        ),
        "start" | "container start" => (
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Start one or more stopped containers",
        ),
        "restart" | "container restart" => (
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Restart one or more containers",
        ),
        "pause" | "container pause" => (
            "CONTAINER [CONTAINER...]",
            "Pause all processes within one or more containers",
        ),
        "unpause" | "container unpause" => (
            "CONTAINER [CONTAINER...]",
            "Unpause all processes within one or more containers",
        ),
        "wait" | "container wait" => (
            "CONTAINER [CONTAINER...]",
            "Block until one or more containers stop, then print their exit codes",
        ),
        "rename" | "container rename" => ("CONTAINER NEW_NAME", "Rename a container"),
        "update" | "container update" => (
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Update configuration of one or more containers",
        ),
        "stats" | "container stats" => (
            "[OPTIONS] [CONTAINER...]",
            "Display a live stream of container(s) resource usage statistics",
        ),
        "events" | "system events" => ("[OPTIONS]", "Get real time events from the server"),
        "container prune" => ("[OPTIONS]", "Remove all stopped containers"),
        "version" => ("[OPTIONS]", "Show the Docker version information"),
        "info" | "system info" => ("[OPTIONS]", "Display system-wide information"),
        _ => ("[OPTIONS]", ""),
    }
}

/// How many positional arguments a command takes (cobra's Args validators).
enum Arity {
    Any,
    None,
    Exactly(usize),
    AtLeast(usize),
    AtMost(usize),
    Range(usize, usize),
}

fn arity(path: &str) -> Arity {
    match crate::images::arity(path) {
        Some((0, Some(0))) => return Arity::None,
        Some((lo, Some(hi))) if lo == hi => return Arity::Exactly(lo),
        Some((lo, _)) => return Arity::AtLeast(lo),
        None => {}
    }
    match path {
        "network create" | "network disconnect" => {
            return Arity::Exactly(if path.ends_with("create") { 1 } else { 2 })
        }
        "network connect" | "cp" | "container cp" => return Arity::Exactly(2),
        "commit" | "container commit" => return Arity::Range(1, 2),
        "build" | "image build" | "push" | "image push" => return Arity::Exactly(1),
        "login" | "logout" => return Arity::AtMost(1),
        "network inspect" | "network rm" | "network remove" | "volume inspect" | "volume rm"
        | "volume remove" => return Arity::AtLeast(1),
        "volume create" => return Arity::AtMost(1),
        "network ls" | "network list" | "network prune" | "volume ls" | "volume list"
        | "volume prune" => return Arity::None,
        "diff" | "container diff" => return Arity::Exactly(1),
        "port" | "container port" => return Arity::Range(1, 2),
        _ => {}
    }
    match path.rsplit(' ').next().unwrap_or(path) {
        "run" | "create" | "stop" | "kill" | "rm" | "remove" | "inspect" | "top" | "start"
        | "restart" | "pause" | "unpause" | "wait" | "update" => Arity::AtLeast(1),
        "rename" => Arity::Exactly(2),
        "stats" => Arity::Any,
        "exec" => Arity::AtLeast(2),
        "pull" | "logs" => Arity::Exactly(1),
        "images" => Arity::AtMost(1),
        "ls" | "list" if path.starts_with("image") => Arity::AtMost(1),
        _ => Arity::None,
    }
}

fn arity_error(path: &str, n: usize) -> Option<UsageError> {
    let (use_line, _) = usage(path);
    let full = format!("docker {path}");
    let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
    // The docker CLI 28 words these four validators differently, typo included.
    let msg = match arity(path) {
        Arity::None if n > 0 => {
            format!("docker: '{full}' accepts no arguments\n\nUsage:  {full} {use_line}\n\nRun '{full} --help' for more information")
        }
        Arity::Exactly(k) if n != k => format!(
            "docker: '{full}' requires {k} {}\n\nUsage:  {full} {use_line}\n\nRun '{full} --help' for more information",
            plural(k)
        ),
        Arity::AtLeast(k) if n < k => format!(
            "docker: '{full}' requires at least {k} {}\n\nUsage:  {full} {use_line}\n\nSee '{full} --help' for more information",
            plural(k)
        ),
        Arity::AtMost(k) if n > k => format!(
            "docker: '{full}' requires at most {k} {}\n\nUsage:  {full} {use_line}\n\nSRun '{full} --help' for more information",
            plural(k)
        ),
        Arity::Range(lo, hi) if n < lo || n > hi => format!(
            "docker: '{full}' requires at least {lo} and at most {hi} {}\n\nUsage:  {full} {use_line}\n\nRun '{full} --help' for more information",
            plural(hi)
        ),
        _ => return None,
    };
    Some(UsageError {
        message: msg,
        exit_code: 1,
    })
}

fn flag_error(path: &str, err: &clap::Error, words: &[String]) -> UsageError {
    let (use_line, _) = usage(path);
    let full = format!("docker {path}");
    let invalid = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.first().cloned().unwrap_or_default(),
        _ => String::new(),
    };
    let flag = invalid.split([' ', '=']).next().unwrap_or("").to_string();
    let short_in = |c: &str| {
        words
            .iter()
            .rev()
            .find(|w| w.starts_with('-') && !w.starts_with("--") && w[1..].contains(c))
            .cloned()
            .unwrap_or_else(|| format!("-{c}"))
    };
    let first = match err.kind() {
        ErrorKind::UnknownArgument => match flag.strip_prefix("--") {
            Some(_) => format!("unknown flag: {flag}"),
            None => {
                let c = flag.trim_start_matches('-');
                format!("unknown shorthand flag: '{c}' in {}", short_in(c))
            }
        },
        ErrorKind::InvalidValue | ErrorKind::NoEquals | ErrorKind::WrongNumberOfValues => {
            // Was the flag written in its short form?
            let long = flag.trim_start_matches('-').to_string();
            let short = find_short(path, &long);
            match short {
                Some(c)
                    if words
                        .last()
                        .is_some_and(|w| w.starts_with('-') && !w.starts_with("--")) =>
                {
                    format!(
                        "flag needs an argument: '{c}' in {}",
                        short_in(&c.to_string())
                    )
                }
                _ => format!("flag needs an argument: --{long}"),
            }
        }
        _ => err
            .to_string()
            .lines()
            .next()
            .unwrap_or("invalid arguments")
            .trim_start_matches("error: ")
            .to_string(),
    };
    UsageError {
        message: format!(
            "{first}\n\nUsage:  {full} {use_line}\n\nRun '{full} --help' for more information"
        ),
        exit_code: 125,
    }
}

/// The index in `rest` of the first word that is not a flag or a flag's value.
fn image_position(path: &str, rest: &[String]) -> Option<usize> {
    with_subcommand(path, |cmd| image_position_in(cmd, rest)).flatten()
}

fn image_position_in(cmd: &clap::Command, rest: &[String]) -> Option<usize> {
    let takes = |a: &clap::Arg| a.get_action().takes_values();
    let mut i = 0;
    while i < rest.len() {
        let w = &rest[i];
        if w == "--" {
            return Some(i + 1).filter(|&p| p < rest.len());
        }
        if let Some(long) = w.strip_prefix("--") {
            if !long.contains('=')
                && cmd
                    .get_arguments()
                    .any(|a| a.get_long() == Some(long) && takes(a))
            {
                i += 1;
            }
        } else if let Some(shorts) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
            for (k, c) in shorts.char_indices() {
                if cmd
                    .get_arguments()
                    .any(|a| a.get_short() == Some(c) && takes(a))
                {
                    if k + c.len_utf8() == shorts.len() {
                        i += 1; // the value is the next word
                    }
                    break; // the rest of the cluster is the value
                }
            }
        } else {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn find_short(path: &str, long: &str) -> Option<char> {
    with_subcommand(path, |cmd| {
        cmd.get_arguments()
            .find(|a| a.get_long() == Some(long) || a.get_id().as_str() == long)
            .and_then(|a| a.get_short())
    })
    .flatten()
}

/// Docker-style help for a command: usage, description, options.
fn help(path: &str) -> String {
    let (use_line, short) = usage(path);
    let mut out = format!("\nUsage:  docker {path} {use_line}\n\n{short}\n");
    let mut cmd = Docker::command();
    for part in path.split(' ') {
        match cmd.find_subcommand(part) {
            Some(c) => cmd = c.clone(),
            None => return out,
        }
    }
    let mut rows = Vec::new();
    for a in cmd.get_arguments() {
        let Some(long) = a.get_long() else { continue };
        let flag = match a.get_short() {
            Some(s) => format!("-{s}, --{long}"),
            None => format!("    --{long}"),
        };
        // pflag names a flag's value by its type: string, list, int.
        let ty = match (a.get_action(), long) {
            (clap::ArgAction::Append, "filter") => " filter",
            (clap::ArgAction::Append, _) => " list",
            (_, "memory" | "memory-swap" | "memory-reservation") => " bytes",
            (_, "cpus") => " decimal",
            (_, "blkio-weight") => " uint16",
            (
                _,
                "timeout" | "cpu-shares" | "cpu-period" | "cpu-quota" | "pids-limit"
                | "stop-timeout",
            ) => " int",
            (_, "oom-kill-disable") => "",
            (clap::ArgAction::Set, _) => " string",
            _ => "",
        };
        rows.push((
            format!("{flag}{ty}"),
            a.get_help().map(|h| h.to_string()).unwrap_or_default(),
        ));
    }
    if !rows.is_empty() {
        out.push_str("\nOptions:\n");
        let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
        for (f, h) in rows {
            out.push_str(&format!("  {f:<w$}   {h}\n"));
        }
    }
    out
}

/// The docker CLI's global options, before the command (`docker -H … ps`,
/// `docker --debug run …`): what they ask for, and the words that remain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Globals {
    /// `-H`/`--host`: the daemon to talk to.
    pub host: Option<String>,
    /// `-v`/`--version`: print the client version and stop.
    pub version: bool,
}

/// The socket the CLI uses by default, which is the (simulated) daemon's.
pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// Splits the global options off the front of the words after `docker`, as the CLI's
/// root command parses them (flags before the first non-flag word).
pub fn globals(words: &[String]) -> Result<(Globals, &[String]), UsageError> {
    let mut g = Globals::default();
    let mut i = 0;
    let usage_err = |first: String| {
        UsageError {
        message: format!("{first}\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information"),
        exit_code: 125,
    }
    };
    while i < words.len() {
        let w = words[i].as_str();
        if !w.starts_with('-') || w == "-" || w == "--help" {
            break;
        }
        let (name, inline) = match w.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (w, None),
        };
        let takes_value = matches!(
            name,
            "-H" | "--host"
                | "-l"
                | "--log-level"
                | "-c"
                | "--context"
                | "--config"
                | "--tlscacert"
                | "--tlscert"
                | "--tlskey"
        );
        let flag_only = matches!(
            name,
            "-v" | "--version" | "-D" | "--debug" | "--tls" | "--tlsverify"
        );
        if takes_value {
            let value = match inline {
                Some(v) => v,
                None => {
                    i += 1;
                    match words.get(i) {
                        Some(v) => v.clone(),
                        None => {
                            return Err(usage_err(if name.starts_with("--") {
                                format!("flag needs an argument: {name}")
                            } else {
                                format!("flag needs an argument: '{}' in {name}", &name[1..])
                            }))
                        }
                    }
                }
            };
            if name == "-H" || name == "--host" {
                g.host = Some(value);
            }
        } else if flag_only {
            if name == "-v" || name == "--version" {
                g.version = true;
            }
        } else if let Some(long) = name.strip_prefix("--") {
            return Err(usage_err(format!("unknown flag: --{long}")));
        } else {
            let c = name.trim_start_matches('-').chars().next().unwrap_or('-');
            return Err(usage_err(format!(
                "unknown shorthand flag: '{c}' in {name}"
            )));
        }
        i += 1;
    }
    Ok((g, &words[i..]))
}

/// Parses the words after `docker` (e.g. `["run", "--rm", "busybox"]`).
pub fn parse(words: &[String]) -> Result<Command, UsageError> {
    // `docker -v …` / `docker --version …`: the root's version flag. Cobra runs a
    // subcommand when one follows; otherwise (nothing, or words that are no command, as
    // in `docker -v myvolume:/var/lib/mysql run mysql`) the root prints the version.
    if matches!(words.first().map(String::as_str), Some("-v" | "--version")) {
        return match parse(&words[1..]) {
            Err(e) if words.len() == 1 || e.message.contains("unknown command") => Ok(
                Command::Help("Docker version 28.2.2, build e6534b4\n".into()),
            ),
            other => other,
        };
    }
    // The subcommand path, for messages: "run", "container ls".
    let mut path = String::new();
    let mut i = 0;
    let groups = ["container", "image", "system", "network", "volume"];
    while i < words.len() && !words[i].starts_with('-') {
        if !path.is_empty() {
            path.push(' ');
        }
        path.push_str(&words[i]);
        i += 1;
        if !groups.contains(&path.as_str()) {
            break;
        }
    }
    if path.is_empty() {
        return Err(UsageError {
            message: "\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nRun 'docker COMMAND --help' for more information on a command.".into(),
            exit_code: 0,
        });
    }
    // Help: `--help` before any positional of `run` (after it, it belongs to the container).
    let rest = &words[i..];
    let help_pos = rest.iter().position(|w| w == "--help");
    let first_positional = rest.iter().position(|w| !w.starts_with('-'));
    if let Some(h) = help_pos {
        let takes_command = matches!(
            path.as_str(),
            "run" | "container run" | "create" | "container create"
        );
        if !takes_command || first_positional.is_none_or(|p| h < p) {
            return Ok(Command::Help(help(&path)));
        }
    }
    let mut argv: Vec<String> = Vec::with_capacity(rest.len() + 1);
    if matches!(
        path.as_str(),
        "run" | "container run" | "create" | "container create" | "exec" | "container exec"
    ) {
        // `docker run` stops parsing flags at the image (pflag's SetInterspersed(false)):
        // find it, and put `--` before it so that everything after goes to the container.
        match image_position(&path, rest) {
            Some(p) => {
                argv.extend(rest[..p].iter().cloned());
                argv.push("--".into());
                argv.extend(rest[p..].iter().cloned());
            }
            None => argv.extend(rest.iter().cloned()),
        }
    } else {
        argv.extend(rest.iter().cloned());
    }
    let unknown = || {
        let group = path.split(' ').next().unwrap_or("");
        let help_of = if groups.contains(&group) && path.contains(' ') {
            format!("docker {group}")
        } else {
            "docker".to_string()
        };
        UsageError { message: format!("docker: unknown command: docker {path}\n\nRun '{help_of} --help' for more information"), exit_code: 1 }
    };
    if groups.contains(&path.as_str()) {
        let (what, cmds) = match path.as_str() {
            "container" => ("Manage containers", "  create      Create a new container\n  exec        Execute a command in a running container\n  inspect     Display detailed information on one or more containers\n  kill        Kill one or more running containers\n  logs        Fetch the logs of a container\n  ls          List containers\n  pause       Pause all processes within one or more containers\n  prune       Remove all stopped containers\n  rename      Rename a container\n  restart     Restart one or more containers\n  rm          Remove one or more containers\n  run         Create and run a new container from an image\n  start       Start one or more stopped containers\n  stats       Display a live stream of container(s) resource usage statistics\n  stop        Stop one or more running containers\n  top         Display the running processes of a container\n  unpause     Unpause all processes within one or more containers\n  update      Update configuration of one or more containers\n  wait        Block until one or more containers stop, then print their exit codes\n"),
            "image" => ("Manage images", "  history     Show the history of an image\n  inspect     Display detailed information on one or more images\n  load        Load an image from a tar archive or STDIN\n  ls          List images\n  prune       Remove unused images\n  pull        Download an image from a registry\n  rm          Remove one or more images\n  save        Save one or more images to a tar archive (streamed to STDOUT by default)\n  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n"),
            "network" => ("Manage networks", "  connect     Connect a container to a network\n  create      Create a network\n  disconnect  Disconnect a container from a network\n  inspect     Display detailed information on one or more networks\n  ls          List networks\n  prune       Remove all unused networks\n  rm          Remove one or more networks\n"),
            "volume" => ("Manage volumes", "  create      Create a volume\n  inspect     Display detailed information on one or more volumes\n  ls          List volumes\n  prune       Remove unused local volumes\n  rm          Remove one or more volumes\n"),
            _ => ("Manage Docker", "  df          Show docker disk usage\n  events      Get real time events from the server\n  info        Display system-wide information\n"),
        };
        return Ok(Command::Help(format!("\nUsage:  docker {path} COMMAND\n\n{what}\n\nCommands:\n{cmds}\nRun 'docker {path} COMMAND --help' for more information on a command.\n")));
    }
    let matches = with_subcommand(&path, |cmd| cmd.try_get_matches_from_mut(&argv))
        .ok_or_else(unknown)?
        .map_err(|e| flag_error(&path, &e, words))?;
    fn args<A: FromArgMatches>(
        m: &clap::ArgMatches,
        path: &str,
        words: &[String],
    ) -> Result<A, UsageError> {
        A::from_arg_matches(m).map_err(|e| flag_error(path, &e, words))
    }
    let leaf = path.rsplit(' ').next().unwrap_or(&path);
    let m = &matches;
    let special = match (path.split(' ').next().unwrap_or(""), leaf) {
        _ if crate::images::owns(&path) => Some(Command::ImageStore(
            crate::images::parse(m, &path).map_err(|e| flag_error(&path, &e, words))?,
        )),
        ("network", "create") => Some(Command::NetworkCreate(args(m, &path, words)?)),
        ("network", "ls" | "list") => Some(Command::NetworkLs(args(m, &path, words)?)),
        ("network", "inspect") => Some(Command::NetworkInspect(args(m, &path, words)?)),
        ("network", "rm" | "remove") => Some(Command::NetworkRm(args(m, &path, words)?)),
        ("network", "connect") => Some(Command::NetworkConnect(args(m, &path, words)?)),
        ("network", "disconnect") => Some(Command::NetworkDisconnect(args(m, &path, words)?)),
        ("network", "prune") => Some(Command::NetworkPrune(args(m, &path, words)?)),
        ("volume", "create") => Some(Command::VolumeCreate(args(m, &path, words)?)),
        ("volume", "ls" | "list") => Some(Command::VolumeLs(args(m, &path, words)?)),
        ("volume", "inspect") => Some(Command::VolumeInspect(args(m, &path, words)?)),
        ("volume", "rm" | "remove") => Some(Command::VolumeRm(args(m, &path, words)?)),
        ("volume", "prune") => Some(Command::VolumePrune(args(m, &path, words)?)),
        ("network" | "volume", _) => return Err(unknown()),
        (_, "port") => Some(Command::Port(args(m, &path, words)?)),
        (_, "diff") => Some(Command::Diff(args(m, &path, words)?)),
        (_, "cp") => Some(Command::Cp(args(m, &path, words)?)),
        (_, "commit") => Some(Command::Commit(args(m, &path, words)?)),
        (_, "build") => Some(Command::Build(args(m, &path, words)?)),
        (_, "push") => Some(Command::Push(args(m, &path, words)?)),
        (_, "login") => Some(Command::Login(args(m, &path, words)?)),
        (_, "logout") => Some(Command::Logout(args(m, &path, words)?)),
        _ => None,
    };
    let cmd = match special {
        Some(cmd) => cmd,
        None => match leaf {
            "run" => Command::Run(args(m, &path, words)?),
            "create" => Command::Create(args(m, &path, words)?),
            "start" => Command::Start(args(m, &path, words)?),
            "restart" => Command::Restart(args(m, &path, words)?),
            "pause" => Command::Pause(args(m, &path, words)?),
            "unpause" => Command::Unpause(args(m, &path, words)?),
            "wait" => Command::Wait(args(m, &path, words)?),
            "rename" => Command::Rename(args(m, &path, words)?),
            "update" => Command::Update(args(m, &path, words)?),
            "stats" => Command::Stats(args(m, &path, words)?),
            "events" => Command::Events(args(m, &path, words)?),
            "prune" => Command::Prune(args(m, &path, words)?),
            "exec" => Command::Exec(args(m, &path, words)?),
            "top" => Command::Top(args(m, &path, words)?),
            "ps" | "ls" | "list" if !path.starts_with("image") => {
                Command::Ps(args(m, &path, words)?)
            }
            "images" | "ls" | "list" => Command::Images(args(m, &path, words)?),
            "pull" => Command::Pull(args(m, &path, words)?),
            "stop" => Command::Stop(args(m, &path, words)?),
            "kill" => Command::Kill(args(m, &path, words)?),
            "rm" | "remove" => Command::Rm(args(m, &path, words)?),
            "logs" => Command::Logs(args(m, &path, words)?),
            "inspect" => {
                let a: InspectArgs = args(m, &path, words)?;
                match path.as_str() {
                    "container inspect" => Command::Inspect(InspectArgs {
                        kind: Some("container".into()),
                        ..a
                    }),
                    "image inspect" => Command::Inspect(InspectArgs {
                        kind: Some("image".into()),
                        ..a
                    }),
                    _ => Command::Inspect(a),
                }
            }
            "version" => Command::Version(args(m, &path, words)?),
            "info" => Command::Info(args(m, &path, words)?),
            _ => return Err(unknown()),
        },
    };
    let n = match &cmd {
        Command::Run(a) => a.args.len(),
        Command::Create(a) => a.args.len(),
        Command::Start(a) => a.args.len(),
        Command::Restart(a) => a.args.len(),
        Command::Pause(a) | Command::Unpause(a) | Command::Wait(a) | Command::Rename(a) => {
            a.args.len()
        }
        Command::Update(a) => a.args.len(),
        Command::Stats(a) => a.args.len(),
        Command::Events(a) => a.args.len(),
        Command::Prune(a) => a.args.len(),
        Command::Exec(a) => a.args.len(),
        Command::Top(a) => a.args.len(),
        Command::Ps(a) => a.args.len(),
        Command::Images(a) => a.args.len(),
        Command::Pull(a) => a.args.len(),
        Command::Stop(a) => a.args.len(),
        Command::Kill(a) => a.args.len(),
        Command::Rm(a) => a.args.len(),
        Command::Logs(a) => a.args.len(),
        Command::Inspect(a) => a.args.len(),
        Command::Version(a) => a.args.len(),
        Command::Info(a) => a.args.len(),
        Command::NetworkCreate(a) => a.args.len(),
        Command::NetworkLs(a) => a.args.len(),
        Command::NetworkInspect(a) | Command::VolumeInspect(a) => a.args.len(),
        Command::NetworkRm(a) | Command::NetworkDisconnect(a) | Command::VolumeRm(a) => {
            a.args.len()
        }
        Command::NetworkConnect(a) => a.args.len(),
        Command::NetworkPrune(a) => a.args.len(),
        Command::VolumeCreate(a) => a.args.len(),
        Command::VolumeLs(a) => a.args.len(),
        Command::VolumePrune(a) => a.args.len(),
        Command::Port(a) | Command::Diff(a) => a.args.len(),
        Command::Cp(a) => a.args.len(),
        Command::ImageStore(c) => c.args_len(),
        Command::Commit(a) => a.args.len(),
        Command::Build(a) => a.args.len(),
        Command::Push(a) => a.args.len(),
        Command::Login(a) => a.args.len(),
        Command::Logout(a) => a.args.len(),
        Command::Help(_) => 0,
    };
    if let Some(e) = arity_error(&path, n) {
        return Err(e);
    }
    Ok(cmd)
}

/// Splits a command line into words as a POSIX shell would (quotes, backslashes).
pub fn split(line: &str) -> Option<Vec<String>> {
    shlex::split(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own consistency checks, on the whole tree and on each cached subcommand.
    #[test]
    fn grammar_passes_clap_debug_asserts() {
        Docker::command().debug_assert();
        for path in [
            "run",
            "ps",
            "images",
            "pull",
            "stop",
            "kill",
            "rm",
            "logs",
            "inspect",
            "version",
            "info",
            "container ls",
            "image ls",
            "image inspect",
        ] {
            with_subcommand(path, |c| c.clone().debug_assert())
                .unwrap_or_else(|| panic!("no {path}"));
        }
    }

    #[test]
    fn run_stops_parsing_flags_at_the_image() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let Ok(Command::Run(a)) = parse(&w("run -d --name web -e A=1 busybox sh -c -x")) else {
            panic!()
        };
        assert!(a.detach);
        assert_eq!(a.name.as_deref(), Some("web"));
        assert_eq!(a.args, w("busybox sh -c -x"));
        let Ok(Command::Run(a)) = parse(&w("run -it --rm busybox")) else {
            panic!()
        };
        assert!(a.interactive && a.tty && a.rm);
        assert!(matches!(parse(&w("container ls -a")), Ok(Command::Ps(p)) if p.all));
        assert!(matches!(parse(&w("image ls")), Ok(Command::Images(_))));
        assert!(
            matches!(parse(&w("run --help")), Ok(Command::Help(h)) if h.contains("Usage:  docker run"))
        );
    }
}
