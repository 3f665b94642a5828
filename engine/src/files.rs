//! The container's file system from dockerd's side: `docker diff` (the RW layer's
//! changes) and `docker cp` (in and out of a container, through its mounts).

use crate::cli;
use crate::engine::Engine;
use crate::kernel::Kernel;

impl<K: Kernel> Engine<K> {
    pub(crate) fn cmd_diff(&mut self, _a: cli::NamesArgs) -> i32 {
        self.err("porthole: docker diff is being built (issue 3)\n");
        1
    }
    pub(crate) fn cmd_cp(&mut self, _a: cli::CpArgs) -> i32 {
        self.err("porthole: docker cp is being built (issue 3)\n");
        1
    }
}
