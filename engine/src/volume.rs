//! The local volume driver and mounts: named and anonymous volumes under
//! /var/lib/docker/volumes, bind mounts, tmpfs; `-v`, `--mount`, `--tmpfs` as the CLI
//! and dockerd parse them; and the `docker volume` commands.

use crate::cli;
use crate::engine::Engine;
use crate::kernel::Kernel;
use serde::{Deserialize, Serialize};

/// Every volume dockerd knows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volumes {}

impl<K: Kernel> Engine<K> {
    pub(crate) fn cmd_volume_create(&mut self, _a: cli::VolumeCreateArgs) -> i32 {
        self.err("porthole: docker volume create is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_volume_ls(&mut self, _a: cli::VolumeLsArgs) -> i32 {
        self.err("porthole: docker volume ls is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_volume_inspect(&mut self, _a: cli::NetworkInspectArgs) -> i32 {
        self.err("porthole: docker volume inspect is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_volume_rm(&mut self, _a: cli::ForceArgs) -> i32 {
        self.err("porthole: docker volume rm is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_volume_prune(&mut self, _a: cli::VolumePruneArgs) -> i32 {
        self.err("porthole: docker volume prune is being built (issue 5)\n");
        1
    }
}
