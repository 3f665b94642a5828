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
            })
            .collect();
        Snapshot {
            time: self.now,
            images,
            containers,
            kernel: self.kernel.view(),
            volumes: self.volume_views(),
        }
    }
}
