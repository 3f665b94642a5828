//! Properties of the simulated kernel over random sessions: no live PID repeats within a
//! PID namespace, every process is in exactly one cgroup, and no cgroup's memory exceeds
//! its limit (the OOM killer acts first).

use porthole_engine::kernel::{Kernel, NsKind};
use porthole_engine::{Engine, SimKernel};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// One step of a random session, over five container names.
#[derive(Clone, Debug)]
enum Op {
    Run {
        name: u8,
        memory_mib: Option<u8>,
        pids: Option<u8>,
        program: u8,
        pid_mode: u8,
    },
    Exec(u8),
    Stop(u8),
    Kill(u8),
    Remove(u8),
    Pause(u8),
    Unpause(u8),
    Restart(u8),
    Update(u8, u8),
    Wait(u8),
}

const PROGRAMS: [&str; 6] = [
    "sleep 1000",
    "sleep 2",
    "tail /dev/zero",
    "sh -c ':(){ :|:& };:'",
    "sh -c 'sleep 1; exit 3'",
    "yes",
];

fn op() -> impl Strategy<Value = Op> {
    let name = 0u8..5;
    prop_oneof![
        4 => (name.clone(), proptest::option::of(8u8..64), proptest::option::of(2u8..40), 0u8..6, 0u8..4)
            .prop_map(|(name, memory_mib, pids, program, pid_mode)| Op::Run { name, memory_mib, pids, program, pid_mode }),
        1 => name.clone().prop_map(Op::Exec),
        1 => name.clone().prop_map(Op::Stop),
        1 => name.clone().prop_map(Op::Kill),
        1 => name.clone().prop_map(Op::Remove),
        1 => name.clone().prop_map(Op::Pause),
        1 => name.clone().prop_map(Op::Unpause),
        1 => name.clone().prop_map(Op::Restart),
        1 => (name.clone(), 8u8..64).prop_map(|(n, m)| Op::Update(n, m)),
        2 => (1u8..20).prop_map(Op::Wait),
    ]
}

fn line(op: &Op) -> String {
    let n = |i: &u8| format!("c{i}");
    match op {
        Op::Run {
            name,
            memory_mib,
            pids,
            program,
            pid_mode,
        } => {
            let mut flags = String::new();
            if let Some(m) = memory_mib {
                flags.push_str(&format!(" --memory {m}m"));
            }
            if let Some(p) = pids {
                flags.push_str(&format!(" --pids-limit {p}"));
            }
            match pid_mode {
                1 => flags.push_str(" --pid host"),
                2 => flags.push_str(&format!(" --pid container:c{}", (name + 1) % 5)),
                _ => {}
            }
            format!(
                "docker run -d --name {}{flags} busybox {}",
                n(name),
                PROGRAMS[*program as usize]
            )
        }
        Op::Exec(i) => format!("docker exec -d {} sleep 5", n(i)),
        Op::Stop(i) => format!("docker stop -t 1 {}", n(i)),
        Op::Kill(i) => format!("docker kill {}", n(i)),
        Op::Remove(i) => format!("docker rm -f {}", n(i)),
        Op::Pause(i) => format!("docker pause {}", n(i)),
        Op::Unpause(i) => format!("docker unpause {}", n(i)),
        Op::Restart(i) => format!("docker restart -t 1 {}", n(i)),
        Op::Update(i, m) => format!("docker update --memory {m}m --memory-swap -1 {}", n(i)),
        Op::Wait(s) => format!("wait {s}s"),
    }
}

fn check(e: &Engine<SimKernel>, after: &str) -> Result<(), TestCaseError> {
    let view = e.kernel().view();
    // No PID repeats within a PID namespace.
    let mut seen: BTreeMap<u64, BTreeSet<u32>> = BTreeMap::new();
    for p in &view.processes {
        let ns = p
            .namespaces
            .iter()
            .find(|n| n.kind == NsKind::Pid)
            .map(|n| n.inode)
            .unwrap_or(0);
        prop_assert!(
            seen.entry(ns).or_default().insert(p.ns_pid),
            "after `{after}`: PID {} repeats in pid:[{ns}]",
            p.ns_pid
        );
    }
    // Each process in exactly one cgroup, the one it names.
    let mut member_of: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for cg in &view.cgroups {
        for pid in &cg.procs {
            member_of.entry(*pid).or_default().push(&cg.path);
        }
    }
    for p in &view.processes {
        let cgs = member_of.get(&p.host_pid).cloned().unwrap_or_default();
        prop_assert_eq!(
            cgs.clone(),
            vec![p.cgroup.as_str()],
            "after `{}`: PID {} is in cgroups {:?}",
            after,
            p.host_pid,
            cgs
        );
    }
    // Memory never above the limit: the OOM killer acts at the limit.
    for cg in &view.cgroups {
        if let Some(limit) = cg.limits.memory {
            prop_assert!(
                cg.stats.memory_usage <= limit,
                "after `{after}`: {} uses {} of {limit}",
                cg.path,
                cg.stats.memory_usage
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
    #[test]
    fn kernel_invariants_hold_over_random_sessions(ops in proptest::collection::vec(op(), 1..24), seed in 0u64..1000) {
        let mut e = Engine::sim(seed);
        e.execute_next("docker pull -q busybox");
        for op in &ops {
            let l = line(op);
            e.execute_next(&l);
            check(&e, &l)?;
        }
    }
}
