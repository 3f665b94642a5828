//! The local volume driver and mounts: named and anonymous volumes under
//! /var/lib/docker/volumes, bind mounts, tmpfs; `-v`, `--mount`, `--tmpfs` as the CLI
//! and dockerd parse them; and the `docker volume` commands.
//!
//! The flow of a `docker run` with mounts, as moby v28.2.2 has it:
//! - the CLI parses `-v` (docker/cli's `loader.ParseVolume`: a spec with a source goes to
//!   `HostConfig.Binds`, one without to `Config.Volumes`), `--mount` (`MountOpt.Set`,
//!   pflag's `invalid argument` errors) and `--tmpfs` (`HostConfig.Tmpfs`);
//! - dockerd's `validateHostConfig` checks each `--mount` (`ValidateMountConfig`, the bind
//!   source must exist) and `verifyPlatformContainerSettings` each tmpfs destination
//!   ([`Engine::validate_mount_config`]);
//! - `registerMountPoints` resolves `--volumes-from`, parses the binds
//!   (`ParseMountRaw`), the mounts, refuses duplicate destinations, and creates (or gets)
//!   the named volumes; `createContainerOSSpecificSettings` adds an anonymous volume per
//!   `Config.Volumes` path (the image's VOLUMEs included) not already covered; and
//!   `populateVolumes` copies what the image has at a volume's path into it when the
//!   volume is empty ([`Engine::plan_mounts`], then [`Engine::attach_mounts`] once the
//!   container exists);
//! - at start, a `-v` bind's missing host directory is created, and runc mounts
//!   everything, sorted by depth ([`Engine::mount_specs`], [`Engine::trace_mounts`]);
//! - `docker rm` releases the container's references; `-v` and `--rm` remove its
//!   anonymous volumes ([`Engine::release_mounts`]).

use crate::cli;
use crate::daemon::{api_step, http, query_escape, ApiError};
use crate::engine::Engine;
use crate::format::{go_quote, human_size, table};
use crate::kernel::{Kernel, MountKind, MountSpec};
use crate::time::Time;
use crate::trace::{Component, Step};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Where the local driver keeps its volumes.
pub const VOLUMES_ROOT: &str = "/var/lib/docker/volumes";
/// The label dockerd puts on a volume it names itself (`volume/service.AnonymousLabel`).
pub const ANONYMOUS_LABEL: &str = "com.docker.volume.anonymous";

/// One volume of the local driver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    pub name: String,
    pub created: Time,
    /// None (JSON null) when created by a container's `-v NAME:…`; `{}` from `docker
    /// volume create`.
    pub labels: Option<BTreeMap<String, String>>,
    pub options: Option<BTreeMap<String, String>>,
}

impl Volume {
    pub fn anonymous(&self) -> bool {
        self.labels
            .as_ref()
            .is_some_and(|l| l.contains_key(ANONYMOUS_LABEL))
    }
    pub fn mountpoint(&self) -> String {
        format!("{VOLUMES_ROOT}/{}/_data", self.name)
    }
    /// `GET /volumes/NAME` as the API returns it (field order of moby's `volume.Volume`).
    pub fn json(&self) -> Value {
        let created = self.created.rfc3339_nano();
        let created = match created.split_once('.') {
            Some((s, _)) => format!("{s}Z"),
            None => created,
        };
        json!({
            "CreatedAt": created,
            "Driver": "local",
            "Labels": self.labels,
            "Mountpoint": self.mountpoint(),
            "Name": self.name,
            "Options": self.options,
            "Scope": "local",
        })
    }
}

/// A volume as the views show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeView {
    pub name: String,
    pub mountpoint: String,
    pub anonymous: bool,
    /// The containers referencing it (names), and where each mounts it.
    pub used_by: Vec<(String, String)>,
    /// Bytes under its `_data`.
    pub size: u64,
    /// What it holds: paths relative to `_data` (the first 200), for the layer view.
    #[serde(default)]
    pub files: Vec<String>,
}

/// One of a container's mount points (moby's `volume/mounts.MountPoint`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountPoint {
    pub kind: MountKind,
    /// The volume's name (volumes only; empty until an anonymous volume is named).
    pub name: String,
    /// The host path: a bind's source, a volume's `_data` (empty for tmpfs).
    pub source: String,
    pub destination: String,
    pub rw: bool,
    pub mode: String,
    pub propagation: String,
    /// `Spec.Source` was given: a named volume (`rm -v` keeps it).
    pub named: bool,
    /// Copy the image's content at the destination into a new empty volume.
    pub copy_data: bool,
    /// A `-v` bind: a missing host directory is created at start.
    pub create_source: bool,
    /// tmpfs size in bytes.
    pub size: Option<u64>,
    /// Labels and options for a volume `--mount` creates.
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub options: Option<BTreeMap<String, String>>,
}

impl MountPoint {
    fn new(kind: MountKind, destination: &str) -> MountPoint {
        MountPoint {
            kind,
            name: String::new(),
            source: String::new(),
            destination: destination.to_string(),
            rw: true,
            mode: String::new(),
            propagation: String::new(),
            named: false,
            copy_data: kind == MountKind::Volume,
            create_source: false,
            size: None,
            labels: None,
            options: None,
        }
    }
}

/// One `--mount` as the CLI sends it (`HostConfig.Mounts`, moby's `mount.Mount`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountCfg {
    pub kind: String,
    pub source: String,
    pub target: String,
    pub readonly: bool,
    pub propagation: Option<String>,
    pub nocopy: Option<bool>,
    pub labels: Option<BTreeMap<String, String>>,
    pub driver: Option<String>,
    pub driver_opts: Option<BTreeMap<String, String>>,
    pub tmpfs_size: Option<u64>,
    pub tmpfs_mode: Option<u32>,
    /// The options any `volume-*` key set (`VolumeOptions` present).
    pub volume_options: bool,
    pub bind_options: bool,
}

impl MountCfg {
    fn json(&self) -> Value {
        let mut m = Map::new();
        m.insert("Type".into(), json!(self.kind));
        if !self.source.is_empty() {
            m.insert("Source".into(), json!(self.source));
        }
        m.insert("Target".into(), json!(self.target));
        if self.readonly {
            m.insert("ReadOnly".into(), json!(true));
        }
        if self.bind_options {
            let mut b = Map::new();
            if let Some(p) = &self.propagation {
                b.insert("Propagation".into(), json!(p));
            }
            m.insert("BindOptions".into(), Value::Object(b));
        }
        if self.volume_options {
            let mut v = Map::new();
            if self.nocopy == Some(true) {
                v.insert("NoCopy".into(), json!(true));
            }
            // Go's omitempty drops the empty map and name the CLI always sets.
            if let Some(l) = self.labels.as_ref().filter(|l| !l.is_empty()) {
                v.insert("Labels".into(), json!(l));
            }
            let mut d = Map::new();
            if let Some(n) = self.driver.as_ref().filter(|n| !n.is_empty()) {
                d.insert("Name".into(), json!(n));
            }
            if let Some(o) = self.driver_opts.as_ref().filter(|o| !o.is_empty()) {
                d.insert("Options".into(), json!(o));
            }
            v.insert("DriverConfig".into(), Value::Object(d));
            m.insert("VolumeOptions".into(), Value::Object(v));
        }
        if self.tmpfs_size.is_some() || self.tmpfs_mode.is_some() {
            let mut t = Map::new();
            if let Some(s) = self.tmpfs_size {
                t.insert("SizeBytes".into(), json!(s));
            }
            if let Some(md) = self.tmpfs_mode {
                t.insert("Mode".into(), json!(md));
            }
            m.insert("TmpfsOptions".into(), Value::Object(t));
        }
        Value::Object(m)
    }
}

/// What the CLI sends about mounts for one `docker run`/`create`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountRequest {
    /// `HostConfig.Binds`: `-v` specs with a source, as typed.
    pub binds: Vec<String>,
    /// `HostConfig.Mounts`.
    pub mounts: Vec<MountCfg>,
    /// `HostConfig.Tmpfs`: destination → options.
    pub tmpfs: BTreeMap<String, String>,
    /// `Config.Volumes` from `-v /path` (anonymous volumes).
    pub volumes: BTreeSet<String>,
    pub volumes_from: Vec<String>,
    pub read_only: bool,
}

/// A container's mounts as dockerd keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerMounts {
    pub request: MountRequest,
    /// `Config.Volumes`: the image's VOLUMEs and `-v /path`.
    pub config_volumes: BTreeSet<String>,
    /// The mount points, by destination (`container.MountPoints`).
    pub points: Vec<MountPoint>,
}

/// Every volume dockerd knows, who uses it, and each container's mounts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volumes {
    pub volumes: BTreeMap<String, Volume>,
    /// Volume name → the containers referencing it (IDs).
    pub refs: BTreeMap<String, BTreeSet<String>>,
    /// Container ID → its mounts.
    pub containers: BTreeMap<String, ContainerMounts>,
}

impl Volumes {
    pub fn in_use(&self, name: &str) -> bool {
        self.refs.get(name).is_some_and(|r| !r.is_empty())
    }
    pub fn get(&self, name: &str) -> Option<&Volume> {
        self.volumes.get(name)
    }
    pub fn of_container(&self, id: &str) -> Option<&ContainerMounts> {
        self.containers.get(id)
    }
}

/// An error of the CLI's own parsing: `Cli` prints `docker: MSG` with the help hint,
/// `Flag` pflag's `invalid argument …` with the usage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestError {
    Cli(String),
    Flag(String),
}

// ---------------------------------------------------------------------------------
// The CLI's parsing
// ---------------------------------------------------------------------------------

/// docker/cli's `loader.ParseVolume`: (source, target) or its error.
fn cli_parse_volume(spec: &str) -> Result<(String, String), String> {
    match spec.chars().count() {
        0 => return Err("invalid empty volume spec".into()),
        1 | 2 => return Ok((String::new(), spec.to_string())),
        _ => {}
    }
    let mut source: Option<String> = None;
    let mut target: Option<String> = None;
    let parts: Vec<&str> = spec.split(':').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if part.is_empty() {
            return Err(format!(
                "invalid spec: {spec}: empty section between colons"
            ));
        }
        if source.is_none() && last {
            target = Some(part.to_string());
        } else if source.is_none() {
            source = Some(part.to_string());
        } else if target.is_none() {
            target = Some(part.to_string());
        } else if !last {
            return Err(format!("invalid spec: {spec}: too many colons"));
        }
    }
    Ok((source.unwrap_or_default(), target.unwrap_or_default()))
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// docker/cli's `MountOpt.Set`.
fn cli_parse_mount(value: &str) -> Result<MountCfg, String> {
    if value.is_empty() {
        return Err("EOF".into());
    }
    let mut m = MountCfg {
        kind: "volume".into(),
        ..Default::default()
    };
    let mut tmpfs_opts = false;
    for field in csv_fields(value) {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.to_ascii_lowercase(), Some(v.to_string())),
            None => (field.to_ascii_lowercase(), None),
        };
        let Some(val) = val else {
            match key.as_str() {
                "readonly" | "ro" => {
                    m.readonly = true;
                    continue;
                }
                "volume-nocopy" => {
                    m.volume_options = true;
                    m.nocopy = Some(true);
                    continue;
                }
                "bind-nonrecursive" => {
                    m.bind_options = true;
                    continue;
                }
                _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
            }
        };
        let bad = || format!("invalid value for {key}: {val}");
        match key.as_str() {
            "type" => m.kind = val.to_ascii_lowercase(),
            "source" | "src" => m.source = val.clone(),
            "target" | "dst" | "destination" => m.target = val.clone(),
            "readonly" | "ro" => m.readonly = parse_bool(&val).ok_or_else(bad)?,
            "consistency" => {}
            "bind-propagation" => {
                m.bind_options = true;
                m.propagation = Some(val.to_ascii_lowercase());
            }
            "bind-nonrecursive" | "bind-recursive" | "bind-create-src" => {
                m.bind_options = true;
            }
            "volume-nocopy" => {
                m.volume_options = true;
                m.nocopy = Some(
                    parse_bool(&val)
                        .ok_or_else(|| format!("invalid value for volume-nocopy: {val}"))?,
                );
            }
            "volume-label" => {
                m.volume_options = true;
                let (k, v) = val.split_once('=').unwrap_or((&val, ""));
                m.labels
                    .get_or_insert_with(BTreeMap::new)
                    .insert(k.to_string(), v.to_string());
            }
            "volume-driver" => {
                m.volume_options = true;
                m.driver = Some(val.clone());
            }
            "volume-opt" => {
                m.volume_options = true;
                let (k, v) = val.split_once('=').unwrap_or((&val, ""));
                m.driver_opts
                    .get_or_insert_with(BTreeMap::new)
                    .insert(k.to_string(), v.to_string());
            }
            "volume-subpath" => m.volume_options = true,
            "tmpfs-size" => {
                tmpfs_opts = true;
                let n = crate::resources::ram_in_bytes(&val).map_err(|_| bad())?;
                m.tmpfs_size = Some(n.max(0) as u64);
            }
            "tmpfs-mode" => {
                tmpfs_opts = true;
                let n = u32::from_str_radix(&val, 8).map_err(|_| bad())?;
                m.tmpfs_mode = Some(n);
            }
            _ => return Err(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    if m.kind.is_empty() {
        return Err("type is required".into());
    }
    if m.target.is_empty() {
        return Err("target is required".into());
    }
    if m.volume_options && m.kind != "volume" {
        return Err(format!(
            "cannot mix 'volume-*' options with mount type '{}'",
            m.kind
        ));
    }
    if m.bind_options && m.kind != "bind" {
        return Err(format!(
            "cannot mix 'bind-*' options with mount type '{}'",
            m.kind
        ));
    }
    if tmpfs_opts && m.kind != "tmpfs" {
        return Err(format!(
            "cannot mix 'tmpfs-*' options with mount type '{}'",
            m.kind
        ));
    }
    Ok(m)
}

/// Go's `encoding/csv` reading one record (quotes allowed).
fn csv_fields(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The mount flags of `docker run`/`create` as the docker CLI 28 turns them into the
/// create request.
pub fn parse_request(a: &cli::CreateArgs) -> Result<MountRequest, RequestError> {
    let mut r = MountRequest {
        read_only: a.read_only,
        volumes_from: a.volumes_from.clone(),
        ..Default::default()
    };
    for m in &a.mount {
        let cfg = cli_parse_mount(m).map_err(|e| {
            RequestError::Flag(format!(
                "invalid argument \"{m}\" for \"--mount\" flag: {e}"
            ))
        })?;
        r.mounts.push(cfg);
    }
    let mut seen = BTreeSet::new();
    for v in &a.volume {
        let (source, _) = cli_parse_volume(v).map_err(RequestError::Cli)?;
        if !seen.insert(v.clone()) {
            continue;
        }
        if source.is_empty() {
            r.volumes.insert(v.clone());
        } else {
            r.binds.push(v.clone());
        }
    }
    // The CLI collects -v in a Go map: the order it sends is not the typed one (the
    // captured CLI traffic has them sorted, which is what Porthole sends).
    r.binds.sort();
    for t in &a.tmpfs {
        let (k, v) = t.split_once(':').unwrap_or((t, ""));
        r.tmpfs.insert(k.to_string(), v.to_string());
    }
    Ok(r)
}

/// The create request body with the mount fields the CLI sets: `Volumes` (from
/// `-v /path`), `HostConfig.Binds`, `VolumesFrom`, `ReadonlyRootfs`, `Tmpfs`, `Mounts`.
pub fn create_body_parts(r: &MountRequest, x: &mut crate::api::CreateExtras) {
    x.volumes = r.volumes.iter().map(|p| (p.clone(), json!({}))).collect();
    x.binds.clone_from(&r.binds);
    x.volumes_from.clone_from(&r.volumes_from);
    x.readonly_rootfs = r.read_only;
    if !r.tmpfs.is_empty() {
        x.tmpfs = Some(json!(r.tmpfs));
    }
    if !r.mounts.is_empty() {
        x.mounts = Some(Value::Array(r.mounts.iter().map(MountCfg::json).collect()));
    }
}

// ---------------------------------------------------------------------------------
// dockerd's parsing (volume/mounts/linux_parser.go)
// ---------------------------------------------------------------------------------

const PROPAGATIONS: [&str; 6] = [
    "private", "rprivate", "slave", "rslave", "shared", "rshared",
];

fn valid_mode(mode: &str) -> bool {
    if mode.is_empty() {
        return true;
    }
    let (mut rw, mut label, mut prop, mut copy, mut cons) = (0, 0, 0, 0, 0);
    for o in mode.split(',') {
        match o {
            "rw" | "ro" => rw += 1,
            "z" | "Z" => label += 1,
            o if PROPAGATIONS.contains(&o) => prop += 1,
            "nocopy" => copy += 1,
            "consistent" | "cached" | "delegated" => cons += 1,
            _ => return false,
        }
    }
    rw <= 1 && label <= 1 && prop <= 1 && copy <= 1 && cons <= 1
}

fn read_write(mode: &str) -> bool {
    valid_mode(mode) && !mode.split(',').any(|o| o == "ro")
}

fn is_abs(p: &str) -> bool {
    p.replace('\\', "/").starts_with('/')
}

/// Go's `path.Clean` for absolute paths (and relative ones kept relative).
fn clean(p: &str) -> String {
    if is_abs(p) {
        crate::fs::normalize(p)
    } else {
        let n = crate::fs::normalize(p);
        let n = n.trim_start_matches('/');
        if n.is_empty() {
            ".".into()
        } else {
            n.to_string()
        }
    }
}

/// `validateMountConfigImpl`'s target checks.
fn validate_target(target: &str) -> Result<(), String> {
    if target.is_empty() {
        return Err("field Target must not be empty".into());
    }
    if clean(&target.replace('\\', "/")) == "/" {
        return Err("invalid specification: destination can't be '/'".into());
    }
    if !is_abs(target) {
        return Err(format!(
            "invalid mount path: '{}' mount path must be absolute",
            target.replace('\\', "/")
        ));
    }
    Ok(())
}

fn mount_config_error(kind: &str, e: impl std::fmt::Display) -> String {
    format!("invalid mount config for type {}: {e}", go_quote(kind))
}

/// `ParseMountRaw` for one `-v` spec with a source.
fn parse_mount_raw(raw: &str) -> Result<MountPoint, String> {
    let spec_err = || format!("invalid volume specification: '{raw}'");
    let arr: Vec<&str> = raw.splitn(4, ':').collect();
    if arr[0].is_empty() {
        return Err(spec_err());
    }
    let (source, target, mode) = match arr.len() {
        1 => ("", arr[0], ""),
        2 => {
            if valid_mode(arr[1]) {
                return Err(spec_err());
            }
            (arr[0], arr[1], "")
        }
        3 => (arr[0], arr[1], arr[2]),
        _ => return Err(spec_err()),
    };
    if !valid_mode(mode) {
        return Err(format!("invalid mode: {mode}"));
    }
    let kind = if is_abs(source) {
        MountKind::Bind
    } else {
        MountKind::Volume
    };
    let kind_name = if kind == MountKind::Bind {
        "bind"
    } else {
        "volume"
    };
    validate_target(target)
        .map_err(|e| format!("{}: {}", spec_err(), mount_config_error(kind_name, e)))?;
    // A propagation mode makes BindOptions, `nocopy` VolumeOptions: each refused on the
    // other type.
    let modes: Vec<&str> = mode.split(',').collect();
    let extra = match kind {
        MountKind::Volume if modes.iter().any(|o| PROPAGATIONS.contains(o)) => Some("BindOptions"),
        MountKind::Bind if modes.contains(&"nocopy") => Some("VolumeOptions"),
        _ => None,
    };
    if let Some(field) = extra {
        return Err(format!(
            "{}: {}",
            spec_err(),
            mount_config_error(kind_name, format!("field {field} must not be specified"))
        ));
    }
    let mut mp = MountPoint::new(kind, &clean(target));
    mp.rw = read_write(mode);
    mp.mode = mode.to_string();
    match kind {
        MountKind::Bind => {
            mp.source = clean(source);
            mp.propagation = mode
                .split(',')
                .find(|o| PROPAGATIONS.contains(o))
                .unwrap_or("rprivate")
                .to_string();
            mp.create_source = true;
        }
        _ => {
            mp.name = source.to_string();
            mp.named = true;
            mp.copy_data = !mode.split(',').any(|o| o == "nocopy");
        }
    }
    Ok(mp)
}

/// `validateMountConfigImpl` for one `--mount`; `exists` answers whether a host path exists.
fn validate_mount_cfg(m: &MountCfg, exists: &dyn Fn(&str) -> bool) -> Result<(), String> {
    let err = |e: String| mount_config_error(&m.kind, e);
    validate_target(&m.target).map_err(err)?;
    match m.kind.as_str() {
        "bind" => {
            if m.source.is_empty() {
                return Err(err("field Source must not be empty".into()));
            }
            if let Some(p) = &m.propagation {
                if !PROPAGATIONS.contains(&p.as_str()) {
                    return Err(err(format!("invalid propagation mode: {p}")));
                }
            }
            if m.volume_options {
                return Err(err("field VolumeOptions must not be specified".into()));
            }
            if !is_abs(&m.source) {
                return Err(err(format!(
                    "invalid mount path: '{}' mount path must be absolute",
                    m.source
                )));
            }
            if !exists(&m.source) {
                return Err(err(format!(
                    "bind source path does not exist: {}",
                    m.source
                )));
            }
        }
        "volume" => {
            if m.bind_options {
                return Err(err("field BindOptions must not be specified".into()));
            }
            if m.readonly && m.source.is_empty() {
                return Err(err(
                    "must not set ReadOnly mode when using anonymous volumes".into(),
                ));
            }
        }
        "tmpfs" => {
            if m.bind_options {
                return Err(err("field BindOptions must not be specified".into()));
            }
            if !m.source.is_empty() {
                return Err(err("field Source must not be specified".into()));
            }
        }
        _ => return Err(err("mount type unknown".into())),
    }
    Ok(())
}

/// The local driver's `validateName`.
fn validate_volume_name(name: &str) -> Result<(), String> {
    if name.chars().count() == 1 {
        return Err(
            "volume name is too short, names should be at least two alphanumeric characters".into(),
        );
    }
    let ok = name
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_alphanumeric() || (i > 0 && matches!(c, '_' | '.' | '-')));
    if !ok || name.is_empty() {
        return Err(format!(
            "{} includes invalid characters for a local volume name, only {} are allowed. If you intended to pass a host directory, use absolute path",
            go_quote(name),
            go_quote("[a-zA-Z0-9][a-zA-Z0-9_.-]")
        ));
    }
    Ok(())
}

/// The local driver's `validateOpts`.
fn validate_volume_opts(opts: &BTreeMap<String, String>) -> Result<(), String> {
    for k in opts.keys() {
        if !matches!(k.as_str(), "type" | "device" | "o" | "size") {
            return Err(format!("invalid option key: {}", go_quote(k)));
        }
    }
    Ok(())
}

/// tmpfs options (`size=64m,mode=1777`): the size in bytes.
fn tmpfs_size(opts: &str) -> Option<u64> {
    opts.split(',')
        .find_map(|o| o.strip_prefix("size="))
        .and_then(|s| crate::resources::ram_in_bytes(s).ok())
        .map(|n| n.max(0) as u64)
}

/// The mounts a container will get, before its volumes exist.
#[derive(Clone, Debug, Default)]
pub struct MountPlan {
    pub points: Vec<MountPoint>,
    pub config_volumes: BTreeSet<String>,
    pub request: MountRequest,
}

/// Natural order (docker/cli's `sortorder.NaturalLess`): digit runs compare as numbers.
fn natural_less(a: &str, b: &str) -> std::cmp::Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < ab.len() && j < bb.len() {
        let (ca, cb) = (ab[i], bb[j]);
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let si = i;
            while i < ab.len() && ab[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < bb.len() && bb[j].is_ascii_digit() {
                j += 1;
            }
            let na = a[si..i].trim_start_matches('0');
            let nb = b[sj..j].trim_start_matches('0');
            let o = na.len().cmp(&nb.len()).then(na.cmp(nb));
            if o != std::cmp::Ordering::Equal {
                return o;
            }
            let o = (i - si).cmp(&(j - sj));
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        } else {
            if ca != cb {
                return ca.cmp(&cb);
            }
            i += 1;
            j += 1;
        }
    }
    (ab.len() - i).cmp(&(bb.len() - j))
}

fn parse_filters(flags: &[String], flag: &str) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in flags {
        let Some((k, v)) = f.split_once('=') else {
            return Err(format!(
                "invalid argument \"{f}\" for \"{flag}\" flag: bad format of filter (expected name=value)"
            ));
        };
        let e = out.entry(k.trim().to_ascii_lowercase()).or_default();
        let v = v.trim().to_string();
        if !e.contains(&v) {
            e.push(v);
            e.sort();
        }
    }
    Ok(out)
}

fn filters_json(filters: &BTreeMap<String, Vec<String>>) -> String {
    let m: Map<String, Value> = filters
        .iter()
        .map(|(k, vs)| {
            let inner: Map<String, Value> =
                vs.iter().map(|v| (v.clone(), Value::Bool(true))).collect();
            (k.clone(), Value::Object(inner))
        })
        .collect();
    Value::Object(m).to_string()
}

fn label_matches(labels: &Option<BTreeMap<String, String>>, want: &str) -> bool {
    let l = labels.clone().unwrap_or_default();
    match want.split_once('=') {
        Some((k, v)) => l.get(k).is_some_and(|x| x == v),
        None => l.contains_key(want),
    }
}

/// The volume table's header for a template field.
fn volume_header(tmpl: &str) -> String {
    let mut out = String::new();
    let mut rest = tmpl;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find("}}") else { break };
        let inner = rest[i + 2..i + j].trim();
        let field = inner
            .trim_start_matches('.')
            .split_whitespace()
            .next()
            .unwrap_or("");
        out.push_str(&match field {
            "Name" => "VOLUME NAME".to_string(),
            f => f.to_ascii_uppercase(),
        });
        rest = &rest[i + j + 2..];
    }
    out.push_str(rest);
    out
}

impl<K: Kernel> Engine<K> {
    /// The volumes for a snapshot, by name.
    pub(crate) fn volume_views(&self) -> Vec<VolumeView> {
        self.volumes
            .volumes
            .values()
            .map(|v| VolumeView {
                name: v.name.clone(),
                mountpoint: v.mountpoint(),
                anonymous: v.anonymous(),
                used_by: self
                    .volumes
                    .refs
                    .get(&v.name)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| {
                        let name = self.containers.get(id)?.name.clone();
                        let dest = self
                            .volumes
                            .containers
                            .get(id)?
                            .points
                            .iter()
                            .find(|m| m.name == v.name)?
                            .destination
                            .clone();
                        Some((name, dest))
                    })
                    .collect(),
                size: self.kernel.host_usage(&v.mountpoint()),
                files: self
                    .kernel
                    .host_tree(&v.mountpoint())
                    .map(|(tree, at)| {
                        let prefix = format!("{}/", at.trim_end_matches('/'));
                        tree.entries
                            .range(prefix.clone()..)
                            .take_while(|(k, _)| k.starts_with(&prefix))
                            .take(200)
                            .map(|(k, _)| k[prefix.len()..].to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    // ---- create: validation, plan, attach -------------------------------------------

    /// dockerd's `validateHostConfig` for `--mount` and the tmpfs destinations of
    /// `verifyPlatformContainerSettings`: before the image is looked up.
    pub(crate) fn validate_mount_config(&self, r: &MountRequest) -> Result<(), ApiError> {
        let exists = |p: &str| self.kernel.host_stat(p).is_some();
        for m in &r.mounts {
            validate_mount_cfg(m, &exists).map_err(|e| ApiError::new(400, e))?;
        }
        for dest in r.tmpfs.keys() {
            validate_target(dest).map_err(|e| ApiError::new(400, e))?;
        }
        Ok(())
    }

    /// `registerMountPoints` and the anonymous volumes of `createContainerOSSpecificSettings`,
    /// without changing anything: every error comes before the container exists.
    pub(crate) fn plan_mounts(
        &self,
        r: &MountRequest,
        image_volumes: &[String],
    ) -> Result<MountPlan, ApiError> {
        let bad = |m: String| ApiError::new(400, m);
        let mut points: BTreeMap<String, MountPoint> = BTreeMap::new();
        // 2. --volumes-from
        for v in &r.volumes_from {
            if v.is_empty() {
                return Err(bad(
                    "volumes-from specification cannot be an empty string".into()
                ));
            }
            let (cref, mode) = v.split_once(':').unwrap_or((v, ""));
            let mode = if mode.is_empty() { "rw" } else { mode };
            if !valid_mode(mode)
                || mode
                    .split(',')
                    .any(|o| PROPAGATIONS.contains(&o) || o == "nocopy")
            {
                return Err(bad(format!("invalid mode: {mode}")));
            }
            let id = self.find_container(cref).map_err(|e| bad(e.message))?;
            for m in self
                .volumes
                .containers
                .get(&id)
                .map(|c| c.points.clone())
                .unwrap_or_default()
            {
                let mut cp = m.clone();
                cp.rw = m.rw && read_write(mode);
                cp.copy_data = false;
                cp.create_source = false;
                points.insert(cp.destination.clone(), cp);
            }
        }
        // 3. binds
        let mut binds: BTreeSet<String> = BTreeSet::new();
        for b in &r.binds {
            let mut mp = parse_mount_raw(b).map_err(bad)?;
            if binds.contains(&mp.destination) || r.tmpfs.contains_key(&mp.destination) {
                return Err(bad(format!("Duplicate mount point: {}", mp.destination)));
            }
            if mp.kind == MountKind::Volume {
                validate_volume_name(&mp.name)
                    .map_err(|e| bad(format!("create {}: {e}", mp.name)))?;
                mp.source = format!("{VOLUMES_ROOT}/{}/_data", mp.name);
                if mp.mode.is_empty() {
                    mp.mode = "z".into();
                }
            }
            binds.insert(mp.destination.clone());
            points.insert(mp.destination.clone(), mp);
        }
        // --mount
        for m in &r.mounts {
            let dest = clean(&m.target);
            if binds.contains(&dest) {
                return Err(bad(format!("Duplicate mount point: {}", m.target)));
            }
            let kind = match m.kind.as_str() {
                "bind" => MountKind::Bind,
                "tmpfs" => MountKind::Tmpfs,
                _ => MountKind::Volume,
            };
            let mut mp = MountPoint::new(kind, &dest);
            mp.rw = !m.readonly;
            match kind {
                MountKind::Bind => {
                    mp.source = clean(&m.source);
                    mp.propagation = m.propagation.clone().unwrap_or_else(|| "rprivate".into());
                }
                MountKind::Volume => {
                    if let Some(d) = m
                        .driver
                        .as_deref()
                        .filter(|d| !d.is_empty() && *d != "local")
                    {
                        return Err(ApiError::new(
                            404,
                            format!("create {}: error looking up volume plugin {d}: plugin {} not found", m.source, go_quote(d)),
                        ));
                    }
                    if !m.source.is_empty() {
                        validate_volume_name(&m.source)
                            .map_err(|e| bad(format!("create {}: {e}", m.source)))?;
                        mp.name = m.source.clone();
                        mp.named = true;
                        mp.source = format!("{VOLUMES_ROOT}/{}/_data", m.source);
                    }
                    if let Some(o) = &m.driver_opts {
                        validate_volume_opts(o)
                            .map_err(|e| bad(format!("create {}: {e}", m.source)))?;
                    }
                    mp.mode = "z".into();
                    mp.copy_data = m.nocopy != Some(true);
                    if m.volume_options {
                        mp.labels = Some(m.labels.clone().unwrap_or_default());
                        mp.options = m.driver_opts.clone();
                    }
                }
                MountKind::Tmpfs => {
                    mp.size = m.tmpfs_size.filter(|s| *s > 0);
                }
            }
            binds.insert(dest.clone());
            points.insert(dest, mp);
        }
        // createContainerOSSpecificSettings: Config.Volumes (the image's and -v /path).
        let mut config_volumes: BTreeSet<String> = image_volumes.iter().cloned().collect();
        config_volumes.extend(r.volumes.iter().cloned());
        for spec in &config_volumes {
            let dest = clean(spec);
            if points.contains_key(&dest) || r.tmpfs.contains_key(&dest) {
                continue;
            }
            points.insert(dest.clone(), MountPoint::new(MountKind::Volume, &dest));
        }
        Ok(MountPlan {
            points: points.into_values().collect(),
            config_volumes,
            request: r.clone(),
        })
    }

    /// Creates what a validated plan needs, for the container `id` just created: named
    /// volumes that do not exist yet, anonymous volumes (named from the RNG), the
    /// references, and the copy of the image's content into new empty volumes.
    pub(crate) fn attach_mounts(&mut self, id: &str, plan: MountPlan) {
        let MountPlan {
            mut points,
            config_volumes,
            request,
        } = plan;
        if points.is_empty() && request == MountRequest::default() && config_volumes.is_empty() {
            return;
        }
        for mp in points.iter_mut() {
            if mp.kind != MountKind::Volume {
                continue;
            }
            if mp.name.is_empty() {
                let name = self.new_id();
                mp.name = name.clone();
                mp.source = format!("{VOLUMES_ROOT}/{name}/_data");
                let labels = BTreeMap::from([(ANONYMOUS_LABEL.to_string(), String::new())]);
                self.create_volume(&name, Some(labels), None, Some(id));
            } else if !self.volumes.volumes.contains_key(&mp.name) {
                let (l, o) = (mp.labels.clone(), mp.options.clone());
                let name = mp.name.clone();
                self.create_volume(&name, l, o, Some(id));
            }
            self.volumes
                .refs
                .entry(mp.name.clone())
                .or_default()
                .insert(id.to_string());
        }
        // populateVolumes: the image's content at a volume's path, into the volume if empty.
        for mp in &points {
            if mp.kind != MountKind::Volume || !mp.copy_data {
                continue;
            }
            match self.kernel.copy_image_path(id, &mp.destination, &mp.source) {
                Ok(0) | Err(_) => {}
                Ok(n) => self.step(Step::new(
                    Component::Dockerd,
                    format!(
                        "copied {n} file(s) from the image's {} into volume {} ({})",
                        mp.destination,
                        short_name(&mp.name),
                        mp.source
                    ),
                    "a new, empty volume mounted over a path where the image has files is first filled with them (copy-up at create; `nocopy` turns it off), so the container finds what its image put there",
                )),
            }
        }
        self.volumes.containers.insert(
            id.to_string(),
            ContainerMounts {
                request,
                config_volumes,
                points,
            },
        );
    }

    /// The local driver's `Create`: `mkdir -p /var/lib/docker/volumes/NAME/_data`.
    fn create_volume(
        &mut self,
        name: &str,
        labels: Option<BTreeMap<String, String>>,
        options: Option<BTreeMap<String, String>>,
        for_container: Option<&str>,
    ) {
        let created = crate::time::Time::from_secs(self.now.secs());
        self.volumes.volumes.insert(
            name.to_string(),
            Volume {
                name: name.to_string(),
                created,
                labels: labels.clone(),
                options,
            },
        );
        self.volumes.refs.entry(name.to_string()).or_default();
        self.emit_volume("create", name, &[("driver", "local".into())]);
        let _ = self
            .kernel
            .host_mkdir(&format!("{VOLUMES_ROOT}/{name}/_data"));
        let anonymous = labels
            .as_ref()
            .is_some_and(|l| l.contains_key(ANONYMOUS_LABEL));
        let what = match (anonymous, for_container) {
            (true, Some(c)) => format!(
                "for container {}: an anonymous volume, named by a random 64-hex ID and labelled {ANONYMOUS_LABEL}",
                &c[..12.min(c.len())]
            ),
            (false, Some(c)) => format!(
                "for container {}: the named volume did not exist, so -v/--mount created it",
                &c[..12.min(c.len())]
            ),
            _ => "with `docker volume create`".to_string(),
        };
        self.step(Step::new(
            Component::Dockerd,
            format!(
                "created volume {} (local driver): mkdir {VOLUMES_ROOT}/{name}/_data {what}",
                short_name(name)
            ),
            "a volume is a directory on the host that dockerd manages; it lives apart from any container, so its files outlive `docker rm`",
        ));
    }

    /// A volume event for `docker events` (moby's `LogVolumeEvent`).
    fn emit_volume(&mut self, action: &str, name: &str, attrs: &[(&str, String)]) {
        self.events.push(crate::events::Event {
            time: self.now,
            kind: "volume".into(),
            action: action.to_string(),
            actor: name.to_string(),
            attributes: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        });
    }

    /// The `unmount` events of a container's volumes, as dockerd cleans up after it exits.
    pub(crate) fn unmount_volumes(&mut self, id: &str) {
        let names: Vec<String> = self
            .volumes
            .containers
            .get(id)
            .map(|c| {
                c.points
                    .iter()
                    .filter(|m| m.kind == MountKind::Volume)
                    .map(|m| m.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        for n in names {
            self.emit_volume(
                "unmount",
                &n,
                &[("container", id.to_string()), ("driver", "local".into())],
            );
        }
    }

    // ---- start ----------------------------------------------------------------------

    /// The mounts runc makes for `id`, in its order (fewer path components first), after
    /// creating the missing host directories of `-v` binds as dockerd does at start.
    pub(crate) fn mount_specs(&mut self, id: &str) -> Vec<MountSpec> {
        let Some(cm) = self.volumes.containers.get(id).cloned() else {
            return Vec::new();
        };
        let mut specs: Vec<MountSpec> = Vec::new();
        let mut tmpfs_points: Vec<MountSpec> = Vec::new();
        for mp in &cm.points {
            if mp.kind == MountKind::Bind
                && mp.create_source
                && self.kernel.host_stat(&mp.source).is_none()
                && self.kernel.host_mkdir(&mp.source).unwrap_or(false)
            {
                self.step(Step::new(
                    Component::Dockerd,
                    format!("created the bind source {} on the host (mkdir -p)", mp.source),
                    "with -v, a host path that does not exist is created as an empty directory (with --mount type=bind it is an error instead)",
                ));
            }
            if mp.kind == MountKind::Volume {
                self.emit_volume(
                    "mount",
                    &mp.name,
                    &[
                        ("container", id.to_string()),
                        ("destination", mp.destination.clone()),
                        ("driver", "local".into()),
                        ("propagation", mp.propagation.clone()),
                        ("read/write", mp.rw.to_string()),
                    ],
                );
            }
            let spec = MountSpec {
                kind: mp.kind,
                source: mp.source.clone(),
                target: mp.destination.clone(),
                readonly: !mp.rw,
                size: mp.size,
            };
            if mp.kind == MountKind::Tmpfs {
                tmpfs_points.push(spec);
            } else {
                specs.push(spec);
            }
        }
        // setupMounts' volumes and binds first, then the tmpfs mounts (HostConfig.Tmpfs,
        // then --mount type=tmpfs); withMounts sorts them all by depth.
        for (dest, opts) in &cm.request.tmpfs {
            specs.push(MountSpec {
                kind: MountKind::Tmpfs,
                source: String::new(),
                target: clean(dest),
                readonly: opts.split(',').any(|o| o == "ro"),
                size: tmpfs_size(opts),
            });
        }
        specs.extend(tmpfs_points);
        specs.sort_by_key(|s| s.target.matches('/').count());
        specs
    }

    /// The trace of runc mounting each volume, bind and tmpfs in the new mount namespace.
    pub(crate) fn trace_mounts(&mut self, specs: &[MountSpec]) {
        for s in specs {
            let (action, why) = match s.kind {
                MountKind::Tmpfs => (
                    format!(
                        "mount -t tmpfs -o {}nosuid,nodev,noexec{} tmpfs {}",
                        if s.readonly { "ro," } else { "" },
                        s.size.map(|b| format!(",size={}k", b / 1024)).unwrap_or_default(),
                        s.target
                    ),
                    "a tmpfs lives in memory only: it starts empty and is gone when the container stops",
                ),
                MountKind::Volume => (
                    format!(
                        "mount --bind {} {} (rbind,rprivate{})",
                        s.source,
                        s.target,
                        if s.readonly { ",ro" } else { "" }
                    ),
                    "a volume is bind-mounted over the path: what the container writes there goes to the volume's directory on the host, not to the RW layer",
                ),
                MountKind::Bind => (
                    format!(
                        "mount --bind {} {} (rbind,rprivate{})",
                        s.source,
                        s.target,
                        if s.readonly { ",ro" } else { "" }
                    ),
                    "a bind mount shows a host directory inside the container: both see the same files",
                ),
            };
            self.step(Step::new(Component::Runc, action, why));
        }
    }

    // ---- rm -------------------------------------------------------------------------

    /// `removeMountPoints`: releases the references of a container being removed; with
    /// `remove_anonymous` (`rm -v`, `--rm`) its anonymous volumes go too, unless another
    /// container still uses them.
    pub(crate) fn release_mounts(&mut self, id: &str, remove_anonymous: bool) {
        let Some(cm) = self.volumes.containers.remove(id) else {
            return;
        };
        let mut kept = Vec::new();
        for mp in &cm.points {
            if mp.kind != MountKind::Volume {
                continue;
            }
            if let Some(r) = self.volumes.refs.get_mut(&mp.name) {
                r.remove(id);
            }
            if remove_anonymous && !mp.named && !self.volumes.in_use(&mp.name) {
                self.remove_volume(&mp.name, "rm -v and --rm remove a container's anonymous volumes with it; named volumes stay");
            } else if self.volumes.volumes.contains_key(&mp.name) {
                kept.push(short_name(&mp.name));
            }
        }
        if !kept.is_empty() {
            self.step(Step::new(
                Component::Dockerd,
                format!("released volume(s) {}: they stay, with their files", kept.join(", ")),
                "a volume outlives the containers that use it: named ones until `docker volume rm`; anonymous ones until `docker rm -v`, `--rm` or `docker volume prune`",
            ));
        }
    }

    fn remove_volume(&mut self, name: &str, why: &'static str) -> u64 {
        let dir = format!("{VOLUMES_ROOT}/{name}");
        let size = self.kernel.host_usage(&dir);
        let _ = self.kernel.host_remove(&dir);
        self.volumes.volumes.remove(name);
        self.volumes.refs.remove(name);
        self.emit_volume("destroy", name, &[("driver", "local".into())]);
        self.step(Step::new(
            Component::Dockerd,
            format!("removed volume {} (rm -rf {dir})", short_name(name)),
            why,
        ));
        size
    }

    // ---- inspect --------------------------------------------------------------------

    /// Fills `Mounts`, `HostConfig.Binds/Mounts/Tmpfs/VolumesFrom/ReadonlyRootfs` and
    /// `Config.Volumes` of a container's inspect JSON.
    pub(crate) fn inspect_mounts(&self, id: &str, v: &mut Value) {
        let Some(cm) = self.volumes.containers.get(id) else {
            return;
        };
        let mounts: Vec<Value> = cm
            .points
            .iter()
            .map(|m| {
                let mut o = Map::new();
                o.insert("Type".into(), json!(m.kind));
                if m.kind == MountKind::Volume {
                    o.insert("Name".into(), json!(m.name));
                }
                o.insert("Source".into(), json!(m.source));
                o.insert("Destination".into(), json!(m.destination));
                if m.kind == MountKind::Volume {
                    o.insert("Driver".into(), json!("local"));
                }
                o.insert("Mode".into(), json!(m.mode));
                o.insert("RW".into(), json!(m.rw));
                o.insert("Propagation".into(), json!(m.propagation));
                Value::Object(o)
            })
            .collect();
        v["Mounts"] = Value::Array(mounts);
        let r = &cm.request;
        if let Some(hc) = v.get_mut("HostConfig").and_then(Value::as_object_mut) {
            if !r.binds.is_empty() {
                hc.insert("Binds".into(), json!(r.binds));
            }
            if !r.volumes_from.is_empty() {
                hc.insert("VolumesFrom".into(), json!(r.volumes_from));
            }
            let old = std::mem::take(hc);
            for (k, val) in old {
                if k == "UTSMode" && !r.tmpfs.is_empty() {
                    hc.insert("Tmpfs".into(), json!(r.tmpfs));
                }
                if k == "MaskedPaths" && !r.mounts.is_empty() {
                    hc.insert(
                        "Mounts".into(),
                        Value::Array(r.mounts.iter().map(MountCfg::json).collect()),
                    );
                }
                hc.insert(k, val);
            }
        }
        if !cm.config_volumes.is_empty() {
            let set: Map<String, Value> = cm
                .config_volumes
                .iter()
                .map(|p| (p.clone(), json!({})))
                .collect();
            v["Config"]["Volumes"] = Value::Object(set);
        }
    }

    // ---- docker volume ----------------------------------------------------------------

    pub(crate) fn cmd_volume_create(&mut self, a: cli::VolumeCreateArgs) -> i32 {
        let name = match (&a.name, a.args.first()) {
            (Some(n), Some(p)) if n != p => {
                self.err("conflicting options: cannot specify a volume-name through both --name and as a positional arg\n");
                return 1;
            }
            (Some(n), _) => n.clone(),
            (None, Some(p)) => p.clone(),
            (None, None) => String::new(),
        };
        let labels: BTreeMap<String, String> = a
            .label
            .iter()
            .map(|l| {
                let (k, v) = l.split_once('=').unwrap_or((l, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        let opts: BTreeMap<String, String> = a
            .opt
            .iter()
            .map(|l| {
                let (k, v) = l.split_once('=').unwrap_or((l, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        let body = json!({
            "Driver": a.driver.clone().unwrap_or_else(|| "local".into()),
            "DriverOpts": opts,
            "Labels": labels,
            "Name": name,
        })
        .to_string();
        let driver = a.driver.clone().unwrap_or_default();
        let check = if !driver.is_empty() && driver != "local" {
            Err(ApiError::new(
                404,
                format!(
                    "create {name}: error looking up volume plugin {driver}: plugin {} not found",
                    go_quote(&driver)
                ),
            ))
        } else if name.is_empty() {
            validate_volume_opts(&opts)
                .map_err(|e| ApiError::new(400, format!("create {name}: {e}")))
        } else {
            validate_volume_name(&name)
                .and_then(|_| validate_volume_opts(&opts))
                .map_err(|e| ApiError::new(400, format!("create {name}: {e}")))
        };
        if let Err(e) = check {
            self.step(api_step(
                http(
                    "POST",
                    "/volumes/create",
                    Some(body),
                    e.status,
                    Some(json!({"message": e.message})),
                ),
                "the local driver validates the name and options before it creates anything",
            ));
            self.err(&format!("Error response from daemon: {}\n", e.message));
            return 1;
        }
        let (name, labels) = if name.is_empty() {
            let n = self.new_id();
            let mut l = labels;
            l.insert(ANONYMOUS_LABEL.into(), String::new());
            (n, l)
        } else {
            (name, labels)
        };
        if let Some(v) = self.volumes.volumes.get(&name) {
            // An existing volume is returned as it is (its labels are not updated).
            let resp = v.json();
            self.step(api_step(
                http("POST", "/volumes/create", Some(body), 201, Some(resp)),
                "a volume by that name exists already: dockerd returns it unchanged",
            ));
        } else {
            self.step(api_step(
                http("POST", "/volumes/create", Some(body), 201, None),
                "the CLI asks dockerd to create a volume with the local driver",
            ));
            self.create_volume(&name, Some(labels), Some(opts), None);
        }
        self.out(&format!("{name}\n"));
        0
    }

    /// The volumes `filters` select (`dangling`, `name`, `label`, `driver`), or the error.
    fn filter_volumes(
        &self,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> Result<Vec<Volume>, ApiError> {
        for (k, vs) in filters {
            match k.as_str() {
                "dangling" => {
                    // filters.GetBoolOrDefault: "1"/"true" or "0"/"false", not both.
                    let t = vs.iter().any(|x| x == "1" || x == "true");
                    let f = vs.iter().any(|x| x == "0" || x == "false");
                    if t == f {
                        return Err(ApiError::new(
                            400,
                            format!("invalid filter 'dangling={vs:?}'").replace(['"', ','], ""),
                        ));
                    }
                }
                "name" | "label" | "driver" => {}
                other => return Err(ApiError::new(400, format!("invalid filter '{other}'"))),
            }
        }
        let mut out: Vec<Volume> = self
            .volumes
            .volumes
            .values()
            .filter(|v| {
                filters.iter().all(|(k, vs)| match k.as_str() {
                    "dangling" => {
                        let want = vs.iter().any(|x| x == "1" || x == "true");
                        want != self.volumes.in_use(&v.name)
                    }
                    // filters.Match: exact, else a regular expression.
                    "name" => vs
                        .iter()
                        .any(|n| *n == v.name || crate::shell::regex_matches(n, &v.name)),
                    "label" => vs.iter().all(|l| label_matches(&v.labels, l)),
                    "driver" => vs.iter().any(|d| d == "local"),
                    _ => true,
                })
            })
            .cloned()
            .collect();
        out.sort_by(|a, b| natural_less(&a.name, &b.name));
        Ok(out)
    }

    pub(crate) fn cmd_volume_ls(&mut self, a: cli::VolumeLsArgs) -> i32 {
        let filters = match parse_filters(&a.filter, "-f, --filter") {
            Ok(f) => f,
            Err(m) => {
                self.err(&format!("{m}\n\nUsage:  docker volume ls [OPTIONS]\n\nRun 'docker volume ls --help' for more information\n"));
                return 125;
            }
        };
        let path = if filters.is_empty() {
            "/volumes".to_string()
        } else {
            format!("/volumes?filters={}", query_escape(&filters_json(&filters)))
        };
        let vols = match self.filter_volumes(&filters) {
            Ok(v) => v,
            Err(e) => {
                self.step(api_step(
                    http(
                        "GET",
                        &path,
                        None,
                        e.status,
                        Some(json!({"message": e.message})),
                    ),
                    "dockerd accepts the filters dangling, name, label and driver",
                ));
                self.err(&format!("Error response from daemon: {}\n", e.message));
                return 1;
            }
        };
        self.step(api_step(
            http("GET", &path, None, 200, None),
            "the CLI lists the volumes dockerd knows and sorts them by name",
        ));
        if a.quiet {
            let s: String = vols.iter().map(|v| format!("{}\n", v.name)).collect();
            self.out(&s);
            return 0;
        }
        let mut fmt = a.format.clone().unwrap_or_else(|| "table".into());
        if fmt == "json" {
            fmt = "{{json .}}".into();
        }
        let (is_table, tmpl) = match fmt.strip_prefix("table") {
            Some(rest) => (true, rest.trim_start().to_string()),
            None => (false, fmt.clone()),
        };
        let tmpl = if is_table && tmpl.is_empty() {
            "{{.Driver}}\t{{.Name}}".to_string()
        } else {
            tmpl.replace("\\t", "\t").replace("\\n", "\n")
        };
        let mut lines = Vec::new();
        for v in &vols {
            let labels: Vec<String> = v
                .labels
                .clone()
                .unwrap_or_default()
                .iter()
                .map(|(k, x)| format!("{k}={x}"))
                .collect();
            // The CLI's volume formatter: its fields, in name order (`--format json`).
            let row = json!({
                "Availability": "N/A", "Driver": "local", "Group": "N/A",
                "Labels": labels.join(","), "Links": "N/A", "Mountpoint": v.mountpoint(),
                "Name": v.name, "Scope": "local", "Size": "N/A", "Status": "N/A",
            });
            match crate::template::render(&tmpl, &row) {
                Ok(s) => lines.push(s),
                Err(e) => {
                    self.err(&format!("template parsing error: {}\n", e.message));
                    return 1;
                }
            }
        }
        if is_table {
            let mut t: Vec<Vec<String>> = vec![volume_header(&tmpl)
                .split('\t')
                .map(str::to_string)
                .collect()];
            for l in lines {
                t.push(l.split('\t').map(str::to_string).collect());
            }
            self.out(&table(&t));
        } else {
            let s: String = lines.iter().map(|l| format!("{l}\n")).collect();
            self.out(&s);
        }
        0
    }

    pub(crate) fn cmd_volume_inspect(&mut self, a: cli::NetworkInspectArgs) -> i32 {
        if let Some(f) = &a.format {
            if let Err(e) = crate::template::check(f) {
                self.err(&format!("template parsing error: {}\n", e.message));
                return 1;
            }
        }
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for n in &a.args {
            match self.volumes.volumes.get(n) {
                Some(v) => {
                    let j = v.json();
                    self.step(api_step(
                        http("GET", &format!("/volumes/{n}"), None, 200, None),
                        "inspect returns dockerd's record of the volume",
                    ));
                    found.push(j);
                }
                None => {
                    let msg = format!("get {n}: no such volume");
                    self.step(api_step(
                        http(
                            "GET",
                            &format!("/volumes/{n}"),
                            None,
                            404,
                            Some(json!({"message": msg})),
                        ),
                        "dockerd has no volume by that name",
                    ));
                    missing.push(msg);
                }
            }
        }
        if !self.print_inspected(a.format.as_deref(), found) {
            return 1;
        }
        if missing.is_empty() {
            return 0;
        }
        let msgs: Vec<String> = missing
            .iter()
            .map(|m| format!("Error response from daemon: {m}"))
            .collect();
        self.err(&format!("{}\n", msgs.join("\n")));
        1
    }

    pub(crate) fn cmd_volume_rm(&mut self, a: cli::ForceArgs) -> i32 {
        let mut errors = Vec::new();
        for n in &a.args {
            let path = format!("/volumes/{n}{}", if a.force { "?force=1" } else { "" });
            let err = if !self.volumes.volumes.contains_key(n) {
                (!a.force).then(|| ApiError::new(404, format!("get {n}: no such volume")))
            } else if self.volumes.in_use(n) {
                let refs: Vec<String> = self.volumes.refs[n].iter().cloned().collect();
                Some(ApiError::new(
                    409,
                    format!("remove {n}: volume is in use - [{}]", refs.join(", ")),
                ))
            } else {
                None
            };
            if let Some(e) = err {
                self.step(api_step(
                    http("DELETE", &path, None, e.status, Some(json!({"message": e.message}))),
                    "dockerd refuses to remove a volume a container references (even a stopped one), and one it does not have",
                ));
                errors.push(format!("Error response from daemon: {}", e.message));
                continue;
            }
            self.step(api_step(
                http("DELETE", &path, None, 204, None),
                "no container references the volume, so dockerd deletes it and its data",
            ));
            if self.volumes.volumes.contains_key(n) {
                self.remove_volume(
                    n,
                    "`docker volume rm` deletes the volume's directory and every file in it",
                );
            }
            self.out(&format!("{n}\n"));
        }
        if errors.is_empty() {
            return 0;
        }
        self.err(&format!("{}\n", errors.join("\n")));
        1
    }

    pub(crate) fn cmd_volume_prune(&mut self, a: cli::VolumePruneArgs) -> i32 {
        let mut filters = match parse_filters(&a.filter, "--filter") {
            Ok(f) => f,
            Err(m) => {
                self.err(&format!("{m}\n\nUsage:  docker volume prune [OPTIONS]\n\nRun 'docker volume prune --help' for more information\n"));
                return 125;
            }
        };
        if !a.force {
            let what = if a.all {
                "all local volumes"
            } else {
                "anonymous local volumes"
            };
            self.out(&format!("WARNING! This will remove {what} not used by at least one container.\nAre you sure you want to continue? [y/N] \n"));
            self.step(Step::new(
                Component::Cli,
                "asked for confirmation; the answer was empty, which means no".to_string(),
                "without -f the CLI asks first and sends nothing unless you answer y; Porthole has no keyboard input, so use `docker volume prune -f`",
            ));
            return 0;
        }
        if a.all {
            filters.insert("all".into(), vec!["true".into()]);
        }
        let path = if filters.is_empty() {
            "/volumes/prune".to_string()
        } else {
            format!(
                "/volumes/prune?filters={}",
                query_escape(&filters_json(&filters))
            )
        };
        let mut all = false;
        let mut bad = None;
        for (k, vs) in &filters {
            match k.as_str() {
                "all" => {
                    if vs.len() > 1 {
                        bad = Some(format!(
                            "invalid filter 'all={}': only one value is expected",
                            vs.join(" ")
                        ));
                    } else {
                        match parse_bool(&vs[0]) {
                            Some(b) => all = b,
                            None => bad = Some(format!("invalid filter 'all': strconv.ParseBool: parsing {}: invalid syntax", go_quote(&vs[0]))),
                        }
                    }
                }
                "label" | "label!" => {}
                other => bad = bad.or(Some(format!("invalid filter '{other}'"))),
            }
        }
        if let Some(m) = bad {
            self.step(api_step(
                http("POST", &path, None, 400, Some(json!({"message": m}))),
                "volume prune accepts the filters label, label! and all",
            ));
            self.err(&format!("Error response from daemon: {m}\n"));
            return 1;
        }
        let victims: Vec<String> = self
            .volumes
            .volumes
            .values()
            .filter(|v| !self.volumes.in_use(&v.name))
            .filter(|v| all || v.anonymous())
            .filter(|v| v.options.as_ref().is_none_or(|o| o.is_empty()))
            .filter(|v| {
                filters
                    .get("label")
                    .is_none_or(|ls| ls.iter().all(|l| label_matches(&v.labels, l)))
                    && filters
                        .get("label!")
                        .is_none_or(|ls| !ls.iter().any(|l| label_matches(&v.labels, l)))
            })
            .map(|v| v.name.clone())
            .collect();
        self.step(api_step(
            http("POST", &path, None, 200, None),
            "dockerd removes the local volumes no container references: only anonymous ones unless --all",
        ));
        let mut reclaimed = 0;
        for n in &victims {
            reclaimed +=
                self.remove_volume(n, "volume prune removes volumes that no container uses");
        }
        self.emit_volume("prune", "", &[("reclaimed", reclaimed.to_string())]);
        let mut out = String::new();
        if !victims.is_empty() {
            out.push_str("Deleted Volumes:\n");
            for n in &victims {
                out.push_str(&format!("{n}\n"));
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "Total reclaimed space: {}\n",
            human_size(reclaimed)
        ));
        self.out(&out);
        0
    }
}

/// mysqld's entrypoint on an empty data directory (`mysqld --initialize-insecure` of
/// MySQL 8.4): the files a fresh `/var/lib/mysql` holds, owned by mysql (999), written
/// only when `/var/lib/mysql/mysql` is not there yet, so a volume that already holds a
/// database is started as it is. Returns whether it initialised.
pub(crate) fn mysql_initialize(fs: &crate::fs::Fs<'_>) -> bool {
    use crate::fs::Node;
    const D: &str = "/var/lib/mysql";
    if fs.lstat(&format!("{D}/mysql")).is_some() {
        return false;
    }
    let owned = |mut n: Node| {
        n.uid = 999;
        n.gid = 999;
        n
    };
    let _ = fs.mkdir(D, 0o755);
    for d in [
        "#innodb_redo",
        "#innodb_temp",
        "mysql",
        "performance_schema",
        "sys",
    ] {
        let _ = fs.create(&format!("{D}/{d}"), owned(Node::dir(0o750)));
    }
    let mut files: Vec<(String, u64)> = [
        ("#ib_16384_0.dblwr", 196_608),
        ("#ib_16384_1.dblwr", 8_585_216),
        ("#innodb_redo/#ib_redo6", 3_276_800),
        ("auto.cnf", 56),
        ("binlog.000001", 180),
        ("binlog.000002", 157),
        ("binlog.index", 32),
        ("ca-key.pem", 1_705),
        ("ca.pem", 1_108),
        ("client-cert.pem", 1_108),
        ("client-key.pem", 1_705),
        ("ibdata1", 12_582_912),
        ("ibtmp1", 12_582_912),
        ("mysql.ibd", 25_165_824),
        ("mysql/general_log.CSV", 0),
        ("mysql/slow_log.CSV", 0),
        ("private_key.pem", 1_705),
        ("public_key.pem", 452),
        ("server-cert.pem", 1_108),
        ("server-key.pem", 1_705),
        ("sys/sys_config.ibd", 114_688),
        ("undo_001", 16_777_216),
        ("undo_002", 16_777_216),
    ]
    .iter()
    .map(|(f, n)| (f.to_string(), *n))
    .collect();
    files.extend((1..=10).map(|i| (format!("#innodb_temp/temp_{i}.ibt"), 81_920)));
    for (f, size) in files {
        let mode = if f.ends_with("key.pem") { 0o600 } else { 0o640 };
        let _ = fs.create(&format!("{D}/{f}"), owned(Node::file(mode, size, None)));
    }
    let _ = fs.symlink("/var/run/mysqld/mysqld.sock", &format!("{D}/mysql.sock"));
    true
}

/// A volume's name for the trace: anonymous 64-hex names shortened to 12.
fn short_name(name: &str) -> String {
    if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("{}…", &name[..12])
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_volume_specs() {
        assert_eq!(
            cli_parse_volume("/data"),
            Ok((String::new(), "/data".into()))
        );
        assert_eq!(
            cli_parse_volume("v:/data:ro"),
            Ok(("v".into(), "/data".into()))
        );
        assert_eq!(
            cli_parse_volume(":/data"),
            Err("invalid spec: :/data: empty section between colons".into())
        );
        assert_eq!(
            cli_parse_volume("/a:/b:/c:/d"),
            Err("invalid spec: /a:/b:/c:/d: too many colons".into())
        );
        assert_eq!(
            cli_parse_volume(""),
            Err("invalid empty volume spec".into())
        );
    }

    #[test]
    fn daemon_mount_raw() {
        let m = parse_mount_raw("myvolume:/var/lib/mysql").unwrap();
        assert_eq!(
            (m.kind, m.name.as_str(), m.rw),
            (MountKind::Volume, "myvolume", true)
        );
        let b = parse_mount_raw("/var/db/tables:/var/data1:ro").unwrap();
        assert_eq!(
            (b.kind, b.source.as_str(), b.rw, b.propagation.as_str()),
            (MountKind::Bind, "/var/db/tables", false, "rprivate")
        );
        assert_eq!(
            parse_mount_raw("/data:ro").unwrap_err(),
            "invalid volume specification: '/data:ro'"
        );
        assert_eq!(
            parse_mount_raw("x:/d:foo").unwrap_err(),
            "invalid mode: foo"
        );
        assert_eq!(
            parse_mount_raw("x:data").unwrap_err(),
            "invalid volume specification: 'x:data': invalid mount config for type \"volume\": invalid mount path: 'data' mount path must be absolute"
        );
        assert_eq!(
            parse_mount_raw("x:/").unwrap_err(),
            "invalid volume specification: 'x:/': invalid mount config for type \"volume\": invalid specification: destination can't be '/'"
        );
        assert_eq!(
            parse_mount_raw("vol:/d:rshared").unwrap_err(),
            "invalid volume specification: 'vol:/d:rshared': invalid mount config for type \"volume\": field BindOptions must not be specified"
        );
        assert_eq!(
            parse_mount_raw("/a:/b:nocopy").unwrap_err(),
            "invalid volume specification: '/a:/b:nocopy': invalid mount config for type \"bind\": field VolumeOptions must not be specified"
        );
        assert_eq!(
            parse_mount_raw("/a:/b:rshared").unwrap().propagation,
            "rshared"
        );
        assert!(natural_less("v2", "v10").is_lt());
    }
}
