//! One component per file.

mod listing;
mod steps;
mod terminal;

pub use listing::Listing;
pub use steps::Steps;
pub use terminal::Terminal;
