//! The cgroup flags of `docker run`/`create`/`update`: parsed as the docker CLI parses
//! them (pflag's wording), checked as dockerd checks them (its wording), and turned into
//! the kernel's [`CgroupLimits`] as runc writes them.

use crate::kernel::CgroupLimits;
use serde::{Deserialize, Serialize};

/// The API's `HostConfig` resource fields, as the CLI sends them (0 = unset).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    pub memory: i64,
    pub memory_swap: i64,
    pub memory_reservation: i64,
    pub oom_kill_disable: Option<bool>,
    pub nano_cpus: i64,
    pub cpu_shares: i64,
    pub cpu_period: i64,
    pub cpu_quota: i64,
    pub cpuset_cpus: String,
    pub pids_limit: Option<i64>,
    pub blkio_weight: u16,
}

impl Resources {
    /// What runc writes for these settings.
    pub fn limits(&self) -> CgroupLimits {
        let (period, quota) = if self.nano_cpus > 0 {
            (Some(100_000), Some(self.nano_cpus / 10_000))
        } else {
            (
                (self.cpu_period > 0).then_some(self.cpu_period as u64),
                (self.cpu_quota != 0).then_some(self.cpu_quota),
            )
        };
        CgroupLimits {
            memory: (self.memory > 0).then_some(self.memory as u64),
            memory_swap: (self.memory_swap != 0).then_some(self.memory_swap),
            memory_reservation: (self.memory_reservation > 0)
                .then_some(self.memory_reservation as u64),
            oom_kill_disable: self.oom_kill_disable.unwrap_or(false),
            cpu_shares: (self.cpu_shares > 0).then_some(self.cpu_shares as u64),
            cpu_period: period,
            cpu_quota: quota,
            cpuset_cpus: (!self.cpuset_cpus.is_empty()).then(|| self.cpuset_cpus.clone()),
            pids: self.pids_limit.filter(|p| *p != 0),
            blkio_weight: (self.blkio_weight > 0).then_some(self.blkio_weight),
        }
    }
}

impl<K: crate::kernel::Kernel> crate::engine::Engine<K> {
    pub(crate) fn cmd_update(&mut self, _a: crate::cli::UpdateArgs) -> i32 {
        self.err("porthole: `docker update` is not modelled yet\n");
        1
    }
    pub(crate) fn cmd_stats(&mut self, _a: crate::cli::StatsArgs) -> i32 {
        self.err("porthole: `docker stats` is not modelled yet\n");
        1
    }
}
