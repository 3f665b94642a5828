#![recursion_limit = "512"]
//! Porthole's engine: a pure, deterministic model of a Docker host.
//!
//! Commands go in ([`Engine::execute`]) with the virtual time; output, an exit code and
//! [`trace::Step`]s come out. The daemon logic calls a [`kernel::Kernel`] for every
//! effect: [`sim::SimKernel`] here, `LinuxKernel` in the native backend.
//!
//! Architecture Invariant: no I/O, no clock, no OS randomness, no hash-ordered iteration
//! (clippy enforces the bans; see `clippy.toml`).

pub mod api;
pub mod apiserver;
pub mod archive;
pub mod build;
pub mod catalogue;
pub mod cli;
pub(crate) mod daemon;
pub mod dockerfile;
mod engine;
pub mod events;
mod files;
pub mod format;
pub mod fs;
mod host;
pub mod image;
mod images;
pub mod kernel;
mod lifecycle;
pub mod names;
pub mod namespaces;
pub mod netprog;
pub mod network;
pub mod registry;
pub mod resources;
pub mod rng;
pub mod sched;
pub mod shell;
pub mod sim;
pub mod simnet;
pub mod snapshot;
pub mod template;
pub mod time;
pub mod trace;
pub mod volume;

pub use daemon::ApiError;
pub use engine::{
    AttachStream, CommandOutcome, Container, ContainerConfig, Engine, HostConfig, LogEntry, Output,
    RestartPolicy, State, Status,
};
pub use kernel::{Kernel, Stream};
pub use sim::{SimConfig, SimKernel};
pub use snapshot::Snapshot;
pub use time::Time;
pub use trace::{Change, Component, Step};
