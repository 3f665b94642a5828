//! The engine's integration tests: one binary, a module per area.

mod build;
mod determinism;
mod errors;
mod files;
mod host;
mod images;
mod invariants;
mod lifecycle;
mod limits;
mod netflow;
mod netkernel;
mod network;
mod processes;
mod session;
mod shell;
mod snapshot_views;
mod trace;
mod volumes;

use porthole_engine::{CommandOutcome, Engine, SimKernel};

/// Runs each line one virtual second apart, as `porthole sim` does.
pub fn run_all(engine: &mut Engine<SimKernel>, lines: &[&str]) -> Vec<CommandOutcome> {
    lines.iter().map(|l| engine.execute_next(l)).collect()
}

/// A transcript as a terminal shows it: `$ cmd`, its output, and non-zero exit codes.
pub fn transcript(outcomes: &[CommandOutcome]) -> String {
    let mut s = String::new();
    for o in outcomes {
        s.push_str(&format!("$ {}\n", o.line));
        s.push_str(&o.combined());
        if o.exit_code != 0 {
            s.push_str(&format!("[exit {}]\n", o.exit_code));
        }
    }
    s
}
