//! The Docker Engine API's JSON shapes (v1.47, the version Porthole advertises), built
//! from the engine's state: container and image inspect, the create request body, version.
//! Field order follows moby's Go structs, so output matches `docker inspect` line by line.

use crate::engine::Container;
use crate::image::Image;
use crate::time::Time;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const API_VERSION: &str = "1.47";
pub const DOCKER_VERSION: &str = "28.2.2";
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

fn opt_time(t: Option<Time>) -> String {
    t.map(Time::rfc3339_nano)
        .unwrap_or_else(|| ZERO_TIME.to_string())
}

fn strs(v: &[String]) -> Value {
    json!(v)
}

fn opt_strs(v: &Option<Vec<String>>) -> Value {
    match v {
        Some(v) => json!(v),
        None => Value::Null,
    }
}

fn port_set(ports: &[String]) -> Value {
    let mut m = Map::new();
    for p in ports {
        m.insert(p.clone(), json!({}));
    }
    Value::Object(m)
}

#[derive(serde::Serialize)]
struct Empty {}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct RestartPolicy<'a> {
    name: &'a str,
    maximum_retry_count: i64,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The networking and mount parts of the create body, which `network.rs` and
/// `volume.rs` compute from the flags (`network::create_body_parts`,
/// `volume::create_body_parts`). Empty parts are left out as the docker CLI leaves them.
#[derive(Default)]
pub struct CreateExtras {
    /// `HostConfig.NetworkMode`: `--network` as typed, else `default`.
    pub network_mode: String,
    /// `HostConfig.PortBindings` (`{}` when no `-p`).
    pub port_bindings: Map<String, Value>,
    pub links: Vec<String>,
    pub publish_all_ports: bool,
    /// `ExposedPorts`, when `-p` or `--expose` name ports.
    pub exposed_ports: Option<Value>,
    /// `NetworkingConfig.EndpointsConfig`.
    pub endpoints_config: Map<String, Value>,
    /// `Volumes` (`-v /path`), else `{}`.
    pub volumes: Map<String, Value>,
    pub binds: Vec<String>,
    pub volumes_from: Vec<String>,
    pub readonly_rootfs: bool,
    pub tmpfs: Option<Value>,
    pub mounts: Option<Value>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct CreateHostConfig<'a> {
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    binds: &'a [String],
    auto_remove: bool,
    network_mode: &'a str,
    port_bindings: &'a Map<String, Value>,
    restart_policy: RestartPolicy<'a>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    links: &'a [String],
    #[serde(skip_serializing_if = "is_false")]
    publish_all_ports: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    volumes_from: &'a [String],
    #[serde(skip_serializing_if = "is_false")]
    readonly_rootfs: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    tmpfs: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mounts: Option<&'a Value>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct NetworkingConfig<'a> {
    endpoints_config: &'a Map<String, Value>,
}

/// `POST /containers/create`'s body, in the docker CLI's field order.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct CreateBody<'a> {
    hostname: &'a str,
    domainname: &'a str,
    user: &'a str,
    attach_stdin: bool,
    attach_stdout: bool,
    attach_stderr: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    exposed_ports: Option<&'a Value>,
    tty: bool,
    open_stdin: bool,
    stdin_once: bool,
    env: &'a [String],
    cmd: Option<&'a [String]>,
    image: &'a str,
    volumes: &'a Map<String, Value>,
    working_dir: &'a str,
    entrypoint: Option<&'a [String]>,
    on_build: Option<()>,
    labels: Empty,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop_signal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop_timeout: Option<i64>,
    host_config: CreateHostConfig<'a>,
    networking_config: NetworkingConfig<'a>,
}

/// The create request body the CLI sends for `docker run` (what the API step shows),
/// serialized straight from borrowed fields: it is on every run's path.
/// `restart` is the policy as typed (name and count), before dockerd validates it.
pub fn create_body(
    c: &crate::engine::ContainerConfig,
    cmd: &[String],
    host: &crate::engine::HostConfig,
    restart_name: &str,
    restart_count: i64,
    x: &CreateExtras,
) -> String {
    let body = CreateBody {
        hostname: c.hostname.as_str(),
        domainname: "",
        user: c.user.as_str(),
        attach_stdin: c.open_stdin && c.attach,
        attach_stdout: c.attach,
        attach_stderr: c.attach,
        exposed_ports: x.exposed_ports.as_ref(),
        tty: c.tty,
        open_stdin: c.open_stdin,
        stdin_once: c.open_stdin && c.attach,
        env: &c.env,
        cmd: (!cmd.is_empty()).then_some(cmd),
        image: c.image.as_str(),
        volumes: &x.volumes,
        working_dir: c.working_dir.as_str(),
        entrypoint: c.entrypoint.as_deref(),
        on_build: None,
        labels: Empty {},
        stop_signal: c.stop_signal.as_deref(),
        stop_timeout: host.stop_timeout,
        host_config: CreateHostConfig {
            binds: &x.binds,
            auto_remove: c.auto_remove,
            network_mode: &x.network_mode,
            port_bindings: &x.port_bindings,
            restart_policy: RestartPolicy {
                name: restart_name,
                maximum_retry_count: restart_count,
            },
            links: &x.links,
            publish_all_ports: x.publish_all_ports,
            volumes_from: &x.volumes_from,
            readonly_rootfs: x.readonly_rootfs,
            tmpfs: x.tmpfs.as_ref(),
            mounts: x.mounts.as_ref(),
        },
        networking_config: NetworkingConfig {
            endpoints_config: &x.endpoints_config,
        },
    };
    serde_json::to_string(&body).unwrap_or_default()
}

/// `docker container inspect`.
pub fn container_inspect(c: &Container, layer_dirs: &[String], cgroup_version: u8) -> Value {
    let st = &c.state;
    let root = format!("/var/lib/docker/containers/{}", c.id);
    let overlay = format!("/var/lib/docker/overlay2/{}", c.mount_id);
    let mut lower = vec![format!("{overlay}-init/diff")];
    lower.extend(layer_dirs.iter().cloned());
    let labels: BTreeMap<String, String> = c.config.labels.clone();
    let r = &c.host_config.resources;
    let mut v = json!({
        "Id": c.id,
        "Created": c.created.rfc3339_nano(),
        "Path": c.path,
        "Args": c.args,
        "State": {
            "Status": st.status.as_str(),
            "Running": st.status.is_up(),
            "Paused": st.status == crate::engine::Status::Paused,
            "Restarting": st.status == crate::engine::Status::Restarting,
            "OOMKilled": st.oom_killed,
            "Dead": st.status == crate::engine::Status::Dead,
            "Pid": st.pid,
            "ExitCode": st.exit_code,
            "Error": st.error,
            "StartedAt": opt_time(st.started_at),
            "FinishedAt": opt_time(st.finished_at),
        },
        "Image": c.image_id,
        "ResolvConfPath": format!("{root}/resolv.conf"),
        "HostnamePath": format!("{root}/hostname"),
        "HostsPath": format!("{root}/hosts"),
        "LogPath": format!("{root}/{}-json.log", c.id),
        "Name": format!("/{}", c.name),
        "RestartCount": c.restart_count,
        "Driver": "overlay2",
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "docker-default",
        "ExecIDs": Value::Null,
        "HostConfig": {
            "Binds": Value::Null,
            "ContainerIDFile": "",
            "LogConfig": {"Type": "json-file", "Config": {}},
            "NetworkMode": c.host_config.network_mode.clone(),
            "PortBindings": {},
            "RestartPolicy": {"Name": c.host_config.restart_policy.name, "MaximumRetryCount": c.host_config.restart_policy.maximum_retry_count},
            "AutoRemove": c.config.auto_remove,
            "VolumeDriver": "",
            "VolumesFrom": Value::Null,
            "ConsoleSize": [0, 0],
            "CapAdd": Value::Null,
            "CapDrop": Value::Null,
            "CgroupnsMode": if c.host_config.cgroupns_mode.is_empty() { if cgroup_version == 2 { "private".to_string() } else { "host".to_string() } } else { c.host_config.cgroupns_mode.clone() },
            "Dns": [],
            "DnsOptions": [],
            "DnsSearch": [],
            "ExtraHosts": Value::Null,
            "GroupAdd": Value::Null,
            "IpcMode": if c.host_config.ipc_mode.is_empty() { "private".to_string() } else { c.host_config.ipc_mode.clone() },
            "Cgroup": "",
            "Links": Value::Null,
            "OomScoreAdj": 0,
            "PidMode": c.host_config.pid_mode,
            "Privileged": false,
            "PublishAllPorts": false,
            "ReadonlyRootfs": c.host_config.readonly_rootfs,
            "SecurityOpt": Value::Null,
            "UTSMode": c.host_config.uts_mode,
            "UsernsMode": c.host_config.userns_mode,
            "ShmSize": 67108864,
            "Runtime": "runc",
            "Isolation": "",
            "CpuShares": r.cpu_shares,
            "Memory": r.memory,
            "NanoCpus": r.nano_cpus,
            "CgroupParent": "",
            "BlkioWeight": r.blkio_weight,
            "CpuPeriod": r.cpu_period,
            "CpuQuota": r.cpu_quota,
            "CpusetCpus": r.cpuset_cpus,
            "CpusetMems": "",
            "MemoryReservation": r.memory_reservation,
            "MemorySwap": r.memory_swap,
            "MemorySwappiness": Value::Null,
            "OomKillDisable": r.oom_kill_disable,
            "PidsLimit": r.pids_limit,
            "Ulimits": Value::Null,
            "MaskedPaths": ["/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"],
            "ReadonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
        },
        "GraphDriver": {
            "Data": {
                "ID": c.id,
                "LowerDir": lower.join(":"),
                "MergedDir": format!("{overlay}/merged"),
                "UpperDir": format!("{overlay}/diff"),
                "WorkDir": format!("{overlay}/work"),
            },
            "Name": "overlay2",
        },
        "Mounts": [],
        "Config": {
            "Hostname": c.config.hostname,
            "Domainname": "",
            "User": c.config.user,
            "AttachStdin": c.config.open_stdin && c.config.attach,
            "AttachStdout": c.config.attach,
            "AttachStderr": c.config.attach,
            "ExposedPorts": if c.config.exposed_ports.is_empty() { Value::Null } else { port_set(&c.config.exposed_ports) },
            "Tty": c.config.tty,
            "OpenStdin": c.config.open_stdin,
            "StdinOnce": c.config.open_stdin && c.config.attach,
            "Env": strs(&c.config.env),
            "Cmd": opt_strs(&c.config.cmd),
            "Image": c.config.image,
            "Volumes": Value::Null,
            "WorkingDir": c.config.working_dir,
            "Entrypoint": opt_strs(&c.config.entrypoint),
            "OnBuild": Value::Null,
            "Labels": labels,
            "StopSignal": c.config.stop_signal.clone().map(Value::String).unwrap_or(Value::Null),
        },
        "NetworkSettings": {
            "Bridge": "",
            "SandboxID": "",
            "SandboxKey": "",
            "Ports": {},
            "HairpinMode": false,
            "LinkLocalIPv6Address": "",
            "LinkLocalIPv6PrefixLen": 0,
            "SecondaryIPAddresses": Value::Null,
            "SecondaryIPv6Addresses": Value::Null,
            "EndpointID": "",
            "Gateway": "",
            "GlobalIPv6Address": "",
            "GlobalIPv6PrefixLen": 0,
            "IPAddress": "",
            "IPPrefixLen": 0,
            "IPv6Gateway": "",
            "MacAddress": "",
            "Networks": {},
        },
    });
    // Config.StopTimeout is `*int` with omitempty: there only when set.
    if let Some(t) = c.host_config.stop_timeout {
        v["Config"]["StopTimeout"] = json!(t);
    }
    v
}

/// `docker image inspect`.
pub fn image_inspect(img: &Image, layer_dirs: &[String]) -> Value {
    let c = &img.config;
    let mut dirs: Vec<String> = layer_dirs.to_vec();
    dirs.reverse();
    let upper = dirs.first().cloned().unwrap_or_default();
    let lower = dirs[1.min(dirs.len())..].join(":");
    let base = upper.trim_end_matches("/diff").to_string();
    let mut data = Map::new();
    if !lower.is_empty() {
        data.insert("LowerDir".into(), json!(lower));
    }
    data.insert("MergedDir".into(), json!(format!("{base}/merged")));
    data.insert("UpperDir".into(), json!(upper));
    data.insert("WorkDir".into(), json!(format!("{base}/work")));
    json!({
        "Id": img.id,
        "RepoTags": img.repo_tags,
        "RepoDigests": img.repo_digests,
        "Parent": "",
        "Comment": "",
        "Created": img.created.rfc3339_nano(),
        "DockerVersion": "",
        "Author": "",
        "Config": {
            "Hostname": "",
            "Domainname": "",
            "User": c.user,
            "AttachStdin": false,
            "AttachStdout": false,
            "AttachStderr": false,
            "ExposedPorts": if c.exposed_ports.is_empty() { Value::Null } else { port_set(&c.exposed_ports) },
            "Tty": false,
            "OpenStdin": false,
            "StdinOnce": false,
            "Env": c.env,
            "Cmd": opt_strs(&c.cmd),
            "Image": "",
            "Volumes": if c.volumes.is_empty() { Value::Null } else { port_set(&c.volumes) },
            "WorkingDir": c.working_dir,
            "Entrypoint": opt_strs(&c.entrypoint),
            "OnBuild": Value::Null,
            "Labels": if c.labels.is_empty() { Value::Null } else { json!(c.labels) },
            "StopSignal": c.stop_signal.clone().map(Value::String).unwrap_or(Value::Null),
        },
        "Architecture": "amd64",
        "Os": "linux",
        "Size": img.size,
        "GraphDriver": {"Data": data, "Name": "overlay2"},
        "RootFS": {"Type": "layers", "Layers": img.layers},
        "Metadata": {"LastTagTime": ZERO_TIME},
    })
}
