//! [`Snapshot`]: the whole observable state at one step, for the views. Serializable, so
//! a daemon can stream it to the page.

use crate::engine::{Engine, Status};
use crate::kernel::{Kernel, KernelView};
use crate::time::Time;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerView {
    pub diff_id: String,
    pub size: u64,
    pub created_by: String,
    /// The tags (or short IDs) of every image that uses this layer.
    pub used_by: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageView {
    pub id: String,
    pub tags: Vec<String>,
    pub size: u64,
    /// Bottom first.
    pub layers: Vec<LayerView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerView {
    pub id: String,
    pub name: String,
    pub image: String,
    pub status: Status,
    pub exit_code: i32,
    pub host_pid: u32,
    pub command: String,
    /// Diff IDs of its image's layers, bottom first.
    pub image_layers: Vec<String>,
    /// The RW layer's overlay2 directory, while it exists.
    pub rw_layer: String,
    /// Files in the RW layer.
    pub rw_files: Vec<String>,
    pub mounted: bool,
    pub cgroup: String,
    pub namespaces: Vec<String>,
    /// Files the RW layer deletes from the image (overlayfs whiteouts), a subset of
    /// `rw_files`.
    #[serde(default)]
    pub rw_whiteouts: Vec<String>,
    /// `--pid`, `--network`, `--ipc`, `--uts`, `--userns`, `--cgroupns` as given
    /// (`host`, `container:web`), empty for the defaults: the namespace view names the
    /// namespaces a container shares.
    #[serde(default)]
    pub ns_modes: Vec<(String, String)>,
}

/// One endpoint of a network: a container plugged into it, while it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    pub container_id: String,
    pub container: String,
    /// `172.17.0.2/16`; empty on host and none.
    pub ip: String,
    pub mac: String,
    /// Its name in the container (`eth0`) and the host end's (`veth1a2b3c4`).
    pub ifname: String,
    pub host_ifname: String,
    /// Published ports through it: `0.0.0.0:8080->80/tcp`.
    pub ports: Vec<String>,
}

/// A network dockerd knows, for the network view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkView {
    pub id: String,
    pub name: String,
    pub driver: String,
    /// `172.17.0.0/16`, empty for host and none.
    pub subnet: String,
    pub gateway: String,
    /// The Linux bridge (`docker0`, `br-…`), empty for host and none.
    pub bridge: String,
    pub internal: bool,
    pub endpoints: Vec<EndpointView>,
}

/// One file of a layer, for the layer view's merged tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerFile {
    pub path: String,
    pub size: u64,
    pub dir: bool,
    /// An overlayfs whiteout: the path is deleted in this layer.
    pub whiteout: bool,
}

/// What the page's inspect panel can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InspectKind {
    Container,
    Image,
    Network,
    Volume,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub time: Time,
    pub images: Vec<ImageView>,
    pub containers: Vec<ContainerView>,
    pub kernel: KernelView,
    /// The volumes dockerd knows (`crate::volume`).
    #[serde(default)]
    pub volumes: Vec<crate::volume::VolumeView>,
    /// The networks dockerd knows, by name, with their endpoints.
    #[serde(default)]
    pub networks: Vec<NetworkView>,
}

fn ipv4(ip: u32) -> String {
    std::net::Ipv4Addr::from(ip).to_string()
}

impl<K: Kernel> Engine<K> {
    /// The files of a layer (by diff ID) as the layer store has them now, for the layer
    /// view; empty if no image uses it any more. Layers never change once unpacked, so
    /// the view may read them from the present for any step.
    pub fn layer_files(&self, diff_id: &str) -> Vec<LayerFile> {
        self.layers
            .get(diff_id)
            .map(|r| {
                r.layer
                    .tree
                    .entries
                    .iter()
                    .map(|(path, node)| LayerFile {
                        path: path.clone(),
                        size: node.size(),
                        dir: matches!(node.kind, crate::fs::NodeKind::Dir { .. }),
                        whiteout: matches!(node.kind, crate::fs::NodeKind::Whiteout),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What `docker inspect` prints for one object now, without running a command (no
    /// step, no event, no change): for the page's inspect panels. `None` if there is no
    /// such object.
    pub fn inspect_json(&self, kind: InspectKind, name: &str) -> Option<serde_json::Value> {
        match kind {
            InspectKind::Container => {
                let id = self.find_container(name).ok()?;
                let c = self.containers.get(&id)?;
                let dirs = |layers: &[String]| -> Vec<String> {
                    layers
                        .iter()
                        .rev()
                        .filter_map(|d| self.layers.get(d))
                        .map(|r| r.dir.clone())
                        .collect()
                };
                let layers = self
                    .images
                    .get(&c.image_id)
                    .map(|i| dirs(&i.layers))
                    .unwrap_or_default();
                let mut v = crate::api::container_inspect(c, &layers, self.kernel.cgroup_version());
                self.inspect_network(c, &mut v);
                self.inspect_mounts(&id, &mut v);
                Some(v)
            }
            InspectKind::Image => {
                let id = self.find_image(name)?;
                let img = self.images.get(&id)?;
                let dirs: Vec<String> = img
                    .layers
                    .iter()
                    .rev()
                    .filter_map(|d| self.layers.get(d))
                    .map(|r| r.dir.clone())
                    .collect();
                Some(crate::api::image_inspect(img, &dirs))
            }
            InspectKind::Network => {
                let id = self.networks.find(name).ok()?;
                Some(self.network_json(&id))
            }
            InspectKind::Volume => self.volumes.get(name).map(crate::volume::Volume::json),
        }
    }

    fn network_views(&self) -> Vec<NetworkView> {
        let mut nets: Vec<NetworkView> = self
            .networks
            .networks()
            .map(|n| NetworkView {
                id: n.id.clone(),
                name: n.name.clone(),
                driver: n.driver.clone(),
                subnet: n
                    .subnet
                    .map(|p| format!("{}/{}", ipv4(p.network()), p.bits))
                    .unwrap_or_default(),
                gateway: n.gateway.map(ipv4).unwrap_or_default(),
                bridge: n.bridge.clone(),
                internal: n.internal,
                endpoints: n
                    .endpoints
                    .values()
                    .map(|e| EndpointView {
                        container_id: e.container.clone(),
                        container: e.name.clone(),
                        ip: match (e.ip, n.subnet) {
                            (0, _) => String::new(),
                            (ip, Some(p)) => format!("{}/{}", ipv4(ip), p.bits),
                            (ip, None) => ipv4(ip),
                        },
                        mac: e.mac.clone(),
                        ifname: e.ifname.clone(),
                        host_ifname: e.host_ifname.clone(),
                        ports: e
                            .ports
                            .iter()
                            .map(|b| {
                                let host = if b.host_ip.contains(':') {
                                    format!("[{}]", b.host_ip)
                                } else {
                                    b.host_ip.clone()
                                };
                                format!("{host}:{}->{}/{}", b.host_port, b.port, b.proto)
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        nets.sort_by(|a, b| a.name.cmp(&b.name));
        nets
    }
}

impl<K: Kernel> Engine<K> {
    pub fn snapshot(&self) -> Snapshot {
        let images = self
            .images
            .values()
            .map(|img| ImageView {
                id: img.id.clone(),
                tags: img.repo_tags.clone(),
                size: img.size,
                layers: img
                    .layers
                    .iter()
                    .filter_map(|d| self.layers.get(d))
                    .map(|rec| LayerView {
                        diff_id: rec.layer.diff_id.clone(),
                        size: rec.layer.size,
                        created_by: rec.layer.created_by.clone(),
                        used_by: rec
                            .images
                            .iter()
                            .filter_map(|id| self.images.get(id))
                            .map(|i| {
                                i.repo_tags
                                    .first()
                                    .cloned()
                                    .unwrap_or_else(|| i.id[7..19].to_string())
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let mut containers: Vec<&crate::engine::Container> = self.containers.values().collect();
        containers.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        let containers = containers
            .into_iter()
            .map(|c| ContainerView {
                id: c.id.clone(),
                name: c.name.clone(),
                image: c.config.image.clone(),
                status: c.state.status,
                exit_code: c.state.exit_code,
                host_pid: c.state.pid,
                command: std::iter::once(c.path.clone())
                    .chain(c.args.iter().cloned())
                    .collect::<Vec<_>>()
                    .join(" "),
                image_layers: self
                    .images
                    .get(&c.image_id)
                    .map(|i| i.layers.clone())
                    .unwrap_or_default(),
                rw_layer: c
                    .rootfs
                    .as_ref()
                    .map(|r| r.upperdir.clone())
                    .unwrap_or_default(),
                rw_files: self
                    .kernel
                    .rw_layer(&c.id)
                    .map(|t| t.entries.keys().cloned().collect())
                    .unwrap_or_default(),
                mounted: matches!(c.state.status, Status::Running | Status::Paused),
                cgroup: c
                    .init
                    .as_ref()
                    .map(|i| i.cgroup_path.clone())
                    .unwrap_or_default(),
                namespaces: c
                    .init
                    .as_ref()
                    .map(|i| i.namespaces.iter().map(|n| n.to_string()).collect())
                    .unwrap_or_default(),
                rw_whiteouts: self
                    .kernel
                    .rw_layer(&c.id)
                    .map(|t| {
                        t.entries
                            .iter()
                            .filter(|(_, n)| matches!(n.kind, crate::fs::NodeKind::Whiteout))
                            .map(|(p, _)| p.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
                ns_modes: [
                    ("pid", &c.host_config.pid_mode),
                    ("net", &c.host_config.network_mode),
                    ("ipc", &c.host_config.ipc_mode),
                    ("uts", &c.host_config.uts_mode),
                    ("user", &c.host_config.userns_mode),
                    ("cgroup", &c.host_config.cgroupns_mode),
                ]
                .into_iter()
                .filter(|(_, m)| !m.is_empty())
                .map(|(k, m)| (k.to_string(), m.clone()))
                .collect(),
            })
            .collect();
        Snapshot {
            time: self.now,
            images,
            containers,
            kernel: self.kernel.view(),
            volumes: self.volume_views(),
            networks: self.network_views(),
        }
    }
}
