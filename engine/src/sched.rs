//! The arithmetic of the simulated kernel's resource control, kept pure so that it can
//! be tested on its own: how CFS shares CPUs between cgroups (weights, quotas, cpusets)
//! and when growing memory reaches a limit.
//!
//! All quantities are integers (CPU in micro-CPUs, memory in bytes, time in ns) so that
//! native and wasm builds compute bit-identical results.

/// One whole CPU, in micro-CPUs.
pub const CPU: u64 = 1_000_000;

/// A cgroup competing for CPU.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CpuClaim {
    /// What its runnable processes would use unconstrained, in micro-CPUs.
    pub demand: u64,
    /// cpu.weight (v2, 1..=10000) or cpu.shares (v1, 2..=262144): only ratios matter.
    pub weight: u64,
    /// The CFS quota as micro-CPUs (quota / period), if any.
    pub quota: Option<u64>,
    /// The CPUs it may run on (cpuset), indices below the host's CPU count; empty = all.
    pub cpus: Vec<u32>,
}

/// Shares `ncpu` CPUs between the claims as CFS does in steady state: each cgroup's
/// demand is capped by its quota and by the size of its cpuset, spread evenly over the
/// CPUs it may use; on each CPU the runnable cgroups get time in proportion to their
/// weights, and what one does not need goes to the others (water-filling).
/// Returns each claim's allocation in micro-CPUs.
pub fn share_cpus(ncpu: u32, claims: &[CpuClaim]) -> Vec<u64> {
    let n = ncpu.max(1) as usize;
    // Per CPU: (claim index, demand on this CPU, weight).
    let mut per_cpu: Vec<Vec<(usize, u64, u64)>> = vec![Vec::new(); n];
    for (i, c) in claims.iter().enumerate() {
        let set: Vec<usize> = if c.cpus.is_empty() {
            (0..n).collect()
        } else {
            c.cpus
                .iter()
                .map(|&x| x as usize)
                .filter(|&x| x < n)
                .collect()
        };
        if set.is_empty() || c.demand == 0 {
            continue;
        }
        let mut eff = c.demand.min(set.len() as u64 * CPU);
        if let Some(q) = c.quota {
            eff = eff.min(q);
        }
        let k = set.len() as u64;
        for (j, &cpu) in set.iter().enumerate() {
            // Spread evenly; the remainder goes to the first CPUs of the set.
            let d = eff / k + u64::from((j as u64) < eff % k);
            if d > 0 {
                per_cpu[cpu].push((i, d, c.weight.max(1)));
            }
        }
    }
    let mut alloc = vec![0u64; claims.len()];
    for wants in &per_cpu {
        for (i, got) in waterfill(CPU, wants) {
            alloc[i] += got;
        }
    }
    alloc
}

/// (claim index, demand, weight).
type Want = (usize, u64, u64);

/// Weighted max-min fair division of `capacity` among (id, demand, weight).
fn waterfill(capacity: u64, wants: &[(usize, u64, u64)]) -> Vec<(usize, u64)> {
    let mut out: Vec<(usize, u64)> = Vec::with_capacity(wants.len());
    let mut active: Vec<(usize, u64, u64)> = wants.to_vec();
    let mut remaining = capacity;
    while !active.is_empty() && remaining > 0 {
        let wsum: u128 = active.iter().map(|a| a.2 as u128).sum();
        // Everyone whose demand fits in their weighted share is satisfied in full.
        let (fits, rest): (Vec<Want>, Vec<Want>) = active
            .iter()
            .copied()
            .partition(|a| (a.1 as u128) * wsum <= (remaining as u128) * (a.2 as u128));
        if fits.is_empty() {
            let mut given = 0u64;
            let first = out.len();
            for a in &rest {
                let share = ((remaining as u128) * (a.2 as u128) / wsum) as u64;
                out.push((a.0, share));
                given += share;
            }
            // Rounding leftovers go to the first claimant: the CPU stays fully used.
            out[first].1 += remaining - given;
            return out;
        }
        for a in &fits {
            out.push((a.0, a.1));
            remaining -= a.1;
        }
        active = rest;
    }
    for a in active {
        out.push((a.0, 0));
    }
    out
}

/// A process whose resident memory grows linearly to a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Growth {
    pub rss: u64,
    pub target: u64,
    /// Bytes per second; 0 = steady.
    pub rate: u64,
}

impl Growth {
    /// Resident memory after `dt` nanoseconds.
    pub fn at(self, dt: u64) -> u64 {
        if self.rate == 0 || self.rss >= self.target {
            return self.rss;
        }
        let grown = (self.rate as u128 * dt as u128 / 1_000_000_000) as u64;
        self.rss.saturating_add(grown).min(self.target)
    }
}

/// How long (ns) until the sum of the processes' memory reaches `limit`; None if it
/// never does. 0 if it already has.
pub fn time_to_limit(procs: &[Growth], limit: u64) -> Option<u64> {
    let now: u64 = procs.iter().map(|g| g.rss).fold(0, u64::saturating_add);
    if now >= limit {
        return Some(0);
    }
    // Breakpoints: when each growing process reaches its target.
    let mut ends: Vec<u64> = procs
        .iter()
        .filter(|g| g.rate > 0 && g.target > g.rss)
        .map(|g| {
            let need = (g.target - g.rss) as u128 * 1_000_000_000;
            need.div_ceil(g.rate as u128).min(u64::MAX as u128) as u64
        })
        .collect();
    ends.sort_unstable();
    ends.dedup();
    let mut start = 0u64;
    for &end in ends.iter().chain(std::iter::once(&u64::MAX)) {
        let value: u64 = procs
            .iter()
            .map(|g| g.at(start))
            .fold(0, u64::saturating_add);
        let slope: u64 = procs
            .iter()
            .filter(|g| g.rate > 0 && g.at(start) < g.target)
            .map(|g| g.rate)
            .sum();
        if value >= limit {
            return Some(start);
        }
        if slope > 0 {
            let need = (limit - value) as u128 * 1_000_000_000;
            let dt = need.div_ceil(slope as u128);
            if dt <= (end - start) as u128 {
                return Some(start + dt as u64);
            }
        }
        if end == u64::MAX {
            break;
        }
        start = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(demand: u64, weight: u64) -> CpuClaim {
        CpuClaim {
            demand,
            weight,
            quota: None,
            cpus: vec![],
        }
    }

    #[test]
    fn contended_shares_split_by_weight() {
        // Two containers each wanting all 4 CPUs, weights 1024 and 512: 2:1.
        let a = share_cpus(4, &[claim(4 * CPU, 1024), claim(4 * CPU, 512)]);
        assert_eq!(a[0] + a[1], 4 * CPU);
        assert!(a[0].abs_diff(2 * a[1]) <= 4, "{a:?}"); // integer rounding
    }

    #[test]
    fn uncontended_shares_do_not_matter() {
        let a = share_cpus(4, &[claim(CPU, 1024), claim(CPU, 2)]);
        assert_eq!(a, vec![CPU, CPU]);
    }

    #[test]
    fn quota_caps_and_the_rest_goes_to_others() {
        let mut c = claim(4 * CPU, 1024);
        c.quota = Some(CPU / 2);
        let a = share_cpus(4, &[c, claim(8 * CPU, 1024)]);
        assert_eq!(a[0], CPU / 2);
        assert_eq!(a[1], 4 * CPU - CPU / 2);
    }

    #[test]
    fn cpuset_pins_competition_to_one_cpu() {
        let mut a = claim(CPU, 1024);
        a.cpus = vec![0];
        let mut b = claim(CPU, 512);
        b.cpus = vec![0];
        let got = share_cpus(4, &[a, b]);
        assert_eq!(got[0] + got[1], CPU);
        assert!(got[0].abs_diff(2 * got[1]) <= 1, "{got:?}");
    }

    #[test]
    fn memory_reaches_limit_when_growth_crosses_it() {
        let g = [
            Growth {
                rss: 1 << 20,
                target: 1 << 20,
                rate: 0,
            },
            Growth {
                rss: 0,
                target: 256 << 20,
                rate: 1 << 30,
            },
        ];
        // 100 MiB limit: 99 MiB of growth at 1 GiB/s.
        let t = time_to_limit(&g, 100 << 20).unwrap();
        assert_eq!(t, ((99u128 << 20) * 1_000_000_000).div_ceil(1 << 30) as u64);
        assert_eq!(time_to_limit(&g, 300 << 20), None);
        assert_eq!(time_to_limit(&g, 1 << 20), Some(0));
    }
}
