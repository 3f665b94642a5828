//! One component per file.

mod clock;
mod listing;
mod steps;
mod terminal;

pub use clock::Clock;
pub use listing::Listing;
pub use steps::Steps;
pub use terminal::Terminal;
