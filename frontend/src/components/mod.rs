//! One component per file.

mod clock;
mod host_settings;
mod listing;
mod steps;
mod terminal;

pub use clock::Clock;
pub use host_settings::HostSettingsPanel;
pub use listing::Listing;
pub use steps::Steps;
pub use terminal::Terminal;
