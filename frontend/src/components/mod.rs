//! One component per file.

mod architecture;
mod cgroups;
mod clock;
mod daemon_link;
mod host_settings;
mod inspect;
mod layers;
mod listing;
mod namespaces;
mod network;
mod session_bar;
mod step_bar;
pub(crate) mod steps;
mod terminal;
mod views;

pub use architecture::Architecture;
pub use cgroups::Cgroups;
pub use clock::Clock;
pub use daemon_link::DaemonLink;
pub use host_settings::HostSettingsPanel;
pub use inspect::Inspect;
pub use layers::Layers;
pub use listing::Listing;
pub use namespaces::Namespaces;
pub use network::NetworkView;
pub use session_bar::SessionBar;
pub use step_bar::StepBar;
pub use steps::Steps;
pub use terminal::Terminal;
pub use views::Views;

/// A short ID as `docker ps` shows it: 12 hex digits, without `sha256:`.
pub fn short_id(id: &str) -> &str {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    id.get(..12).unwrap_or(id)
}
