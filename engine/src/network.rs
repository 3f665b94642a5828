//! libnetwork's logic: networks (bridge, host, none and user-defined bridges), IPAM,
//! endpoints, published ports and their NAT rules, the embedded DNS, `--link`; and the
//! `docker network` and `docker port` commands. The kernel does the plumbing through the
//! `Kernel` trait's networking methods.

use crate::cli;
use crate::engine::Engine;
use crate::kernel::Kernel;
use serde::{Deserialize, Serialize};

/// Every network dockerd knows, and the state of its address pools.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Networks {}

impl<K: Kernel> Engine<K> {
    pub(crate) fn cmd_network_create(&mut self, _a: cli::NetworkCreateArgs) -> i32 {
        self.err("porthole: docker network create is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_network_ls(&mut self, _a: cli::NetworkLsArgs) -> i32 {
        self.err("porthole: docker network ls is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_network_inspect(&mut self, _a: cli::NetworkInspectArgs) -> i32 {
        self.err("porthole: docker network inspect is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_network_rm(&mut self, _a: cli::ForceArgs) -> i32 {
        self.err("porthole: docker network rm is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_network_connect(&mut self, _a: cli::NetworkConnectArgs) -> i32 {
        self.err("porthole: docker network connect is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_network_disconnect(&mut self, _a: cli::ForceArgs) -> i32 {
        self.err("porthole: docker network disconnect is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_network_prune(&mut self, _a: cli::PruneArgs) -> i32 {
        self.err("porthole: docker network prune is being built (issue 5)\n");
        1
    }
    pub(crate) fn cmd_port(&mut self, _a: cli::NamesArgs) -> i32 {
        self.err("porthole: docker port is being built (issue 5)\n");
        1
    }
}
