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
}

#[derive(Subcommand, Debug)]
pub enum ImageCmd {
    #[command(visible_alias = "list")]
    Ls(ImagesArgs),
    Pull(PullArgs),
    Inspect(InspectArgs),
}

#[derive(Subcommand, Debug)]
pub enum SystemCmd {
    Info(InfoArgs),
    Events(EventsArgs),
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
}

fn arity(path: &str) -> Arity {
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

/// Parses the words after `docker` (e.g. `["run", "--rm", "busybox"]`).
pub fn parse(words: &[String]) -> Result<Command, UsageError> {
    // The subcommand path, for messages: "run", "container ls".
    let mut path = String::new();
    let mut i = 0;
    let groups = ["container", "image", "system"];
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
            "image" => ("Manage images", "  inspect     Display detailed information on one or more images\n  ls          List images\n  pull        Download an image from a registry\n"),
            _ => ("Manage Docker", "  events      Get real time events from the server\n  info        Display system-wide information\n"),
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
    let cmd = match leaf {
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
        "ps" | "ls" | "list" if !path.starts_with("image") => Command::Ps(args(m, &path, words)?),
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
