//! Porthole's web page: a terminal to type `docker` commands into, the steps each
//! command took through the Docker stack, and the host's containers and images as they
//! were after the current step. Everything runs in the browser on the simulated host
//! of `porthole-engine`.

mod app;
pub mod components;
pub mod hooks;
pub mod state;

pub use app::{App, AppProps};
