//! Namespace modes: `--pid`, `--network`, `--ipc`, `--uts`, `--userns`, `--cgroupns`.
//! The CLI checks their syntax, dockerd resolves `container:NAME` to an ID and checks
//! the donor, and at start runc creates each namespace, shares the host's, or joins
//! another container's (setns).

use crate::cli::CreateArgs;
use crate::daemon::ApiError;
use crate::engine::{Engine, Status};
use crate::kernel::{Kernel, NsKind};

/// The modes as given (CLI-checked), and after dockerd resolved them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Modes {
    pub pid: String,
    pub network: String,
    pub ipc: String,
    pub uts: String,
    pub userns: String,
    pub cgroupns: String,
}

/// The docker CLI's own checks (opts/parse.go), with its wording.
pub fn parse_modes(a: &CreateArgs) -> Result<Modes, String> {
    let pid = a.pid.clone().unwrap_or_default();
    if !(pid.is_empty() || pid == "host" || container_ref(&pid).is_some_and(|c| !c.is_empty())) {
        return Err("--pid: invalid PID mode".into());
    }
    let uts = a.uts.clone().unwrap_or_default();
    if !(uts.is_empty() || uts == "host") {
        return Err("--uts: invalid UTS mode".into());
    }
    let userns = a.userns.clone().unwrap_or_default();
    if !(userns.is_empty() || userns == "host") {
        return Err("--userns: invalid USER mode".into());
    }
    let cgroupns = a.cgroupns.clone().unwrap_or_default();
    if !(cgroupns.is_empty() || cgroupns == "host" || cgroupns == "private") {
        return Err("--cgroupns: invalid CGROUP mode".into());
    }
    Ok(Modes {
        pid,
        network: a.network.clone().unwrap_or_else(|| "default".into()),
        ipc: a.ipc.clone().unwrap_or_default(),
        uts,
        userns,
        cgroupns,
    })
}

fn container_ref(mode: &str) -> Option<&str> {
    mode.strip_prefix("container:")
}

/// The namespaces to create, and those to join with a donor's host PID.
pub type Plan = (Vec<NsKind>, Vec<(NsKind, u32)>);

impl<K: Kernel> Engine<K> {
    /// dockerd's part at create: defaults, `container:NAME` → `container:ID`, and the
    /// modes it refuses.
    pub(crate) fn resolve_modes(&self, mut m: Modes) -> Result<Modes, ApiError> {
        let resolve = |mode: &mut String| -> Result<(), ApiError> {
            if let Some(r) = container_ref(mode) {
                let id = self.find_container(r)?;
                *mode = format!("container:{id}");
            }
            Ok(())
        };
        resolve(&mut m.pid)?;
        resolve(&mut m.ipc)?;
        resolve(&mut m.network)?;
        if m.ipc.is_empty() {
            m.ipc = "private".into();
        }
        let ipc_ok = matches!(m.ipc.as_str(), "private" | "shareable" | "host" | "none")
            || container_ref(&m.ipc).is_some_and(|c| !c.is_empty());
        if !ipc_ok {
            return Err(ApiError::new(400, format!("invalid IPC mode: {}", m.ipc)));
        }
        if m.network == "default" {
            m.network = "bridge".into();
        }
        // A user-defined network is looked up at start, not here: dockerd accepts an
        // unknown name at create (`crate::network::Engine::plan_networks` refuses it).
        if m.cgroupns.is_empty() {
            m.cgroupns = if self.kernel.cgroup_version() == 2 {
                "private".into()
            } else {
                "host".into()
            };
        }
        Ok(m)
    }

    /// At start: how to get each namespace, or the error dockerd gives when a donor
    /// container cannot be joined. Returns (kinds to create, kinds to join with the donor's
    /// host PID).
    pub(crate) fn namespace_plan(&self, id: &str) -> Result<Plan, ApiError> {
        let c = &self.containers[id];
        let h = &c.host_config;
        let mut new = vec![NsKind::Mnt];
        let mut join = Vec::new();
        let donor = |mode: &str, what: &str| -> Result<Option<u32>, ApiError> {
            let Some(d) = container_ref(mode) else {
                return Ok(None);
            };
            if d == id {
                return Err(ApiError::new(400, format!("cannot join own {what}")));
            }
            let dc = self
                .containers
                .get(d)
                .ok_or_else(|| ApiError::no_such_container(d))?;
            if !matches!(dc.state.status, Status::Running | Status::Paused) {
                return Err(ApiError::new(
                    409,
                    format!("cannot join {what} of a non running container: {d}"),
                ));
            }
            Ok(Some(dc.state.pid))
        };
        // UTS
        if h.uts_mode != "host" && h.network_mode != "host" {
            new.push(NsKind::Uts);
        }
        // IPC
        match h.ipc_mode.as_str() {
            "host" => {}
            m if container_ref(m).is_some() => {
                let d = container_ref(m).unwrap_or_default();
                if let Some(dc) = self.containers.get(d) {
                    if dc.host_config.ipc_mode != "shareable" {
                        return Err(ApiError::new(
                            400,
                            "non-shareable IPC (hint: use IpcMode:shareable for the donor container)",
                        ));
                    }
                }
                if let Some(p) = donor(m, "IPC")? {
                    join.push((NsKind::Ipc, p));
                }
            }
            _ => new.push(NsKind::Ipc),
        }
        // PID
        match h.pid_mode.as_str() {
            "host" => {}
            m if container_ref(m).is_some() => {
                if let Some(p) = donor(m, "PID")? {
                    join.push((NsKind::Pid, p));
                }
            }
            _ => new.push(NsKind::Pid),
        }
        // NET
        match h.network_mode.as_str() {
            "host" => {}
            m if container_ref(m).is_some() => {
                if let Some(p) = donor(m, "network namespace")? {
                    join.push((NsKind::Net, p));
                }
            }
            _ => new.push(NsKind::Net),
        }
        if h.cgroupns_mode != "host" {
            new.push(NsKind::Cgroup);
        }
        if self.userns_remap && h.userns_mode != "host" {
            new.push(NsKind::User);
        }
        new.sort();
        Ok((new, join))
    }
}
