//! Commands run on the simulated host itself (`host ps -ef`, `host lsns`, …): the view
//! from outside the containers.

use crate::engine::Engine;
use crate::kernel::Kernel;

impl<K: Kernel> Engine<K> {
    /// Runs `host WORDS…`; returns the exit code.
    pub(crate) fn host_command(&mut self, words: &[String]) -> i32 {
        self.err(&format!(
            "porthole: host {}: not modelled yet\n",
            words.join(" ")
        ));
        127
    }
}
