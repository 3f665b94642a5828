//! Container lifecycle verbs: create, start, restart, pause, unpause, wait, rename,
//! events, container prune; restart policies.

use crate::cli;
use crate::engine::Engine;
use crate::kernel::Kernel;

impl<K: Kernel> Engine<K> {
    fn not_yet(&mut self, what: &str) -> i32 {
        self.err(&format!("porthole: `docker {what}` is not modelled yet\n"));
        1
    }
    pub(crate) fn cmd_create(&mut self, _a: cli::CreateArgs) -> i32 {
        self.not_yet("create")
    }
    pub(crate) fn cmd_start(&mut self, _a: cli::StartArgs) -> i32 {
        self.not_yet("start")
    }
    pub(crate) fn cmd_restart(&mut self, _a: cli::RestartArgs) -> i32 {
        self.not_yet("restart")
    }
    pub(crate) fn cmd_pause(&mut self, _a: cli::NamesArgs) -> i32 {
        self.not_yet("pause")
    }
    pub(crate) fn cmd_unpause(&mut self, _a: cli::NamesArgs) -> i32 {
        self.not_yet("unpause")
    }
    pub(crate) fn cmd_wait(&mut self, _a: cli::NamesArgs) -> i32 {
        self.not_yet("wait")
    }
    pub(crate) fn cmd_rename(&mut self, _a: cli::NamesArgs) -> i32 {
        self.not_yet("rename")
    }
    pub(crate) fn cmd_events(&mut self, _a: cli::EventsArgs) -> i32 {
        self.not_yet("events")
    }
    pub(crate) fn cmd_prune(&mut self, _a: cli::PruneArgs) -> i32 {
        self.not_yet("container prune")
    }
}
