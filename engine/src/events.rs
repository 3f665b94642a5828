//! What `docker events` reports: every lifecycle change of a container, image, network
//! or volume, recorded by the daemon as it happens (virtual time, nanoseconds).

use crate::engine::Engine;
use crate::kernel::Kernel;
use crate::time::Time;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One event, as the API's `/events` stream carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub time: Time,
    /// "container", "image", "network", "volume", "daemon".
    pub kind: String,
    /// "create", "start", "die", "oom", "kill", "stop", "destroy", "pause", …
    pub action: String,
    /// The object's ID.
    pub actor: String,
    /// `image`, `name`, `exitCode`, `signal`, … in name order.
    pub attributes: BTreeMap<String, String>,
}

impl<K: Kernel> Engine<K> {
    /// Records a container event with the attributes dockerd gives every container event
    /// (its image, its name and its labels) plus `extra`.
    pub(crate) fn emit_container(&mut self, action: &str, id: &str, extra: &[(&str, String)]) {
        let mut attributes = BTreeMap::new();
        if let Some(c) = self.containers.get(id) {
            attributes.insert("image".to_string(), c.config.image.clone());
            attributes.insert("name".to_string(), c.name.clone());
            for (k, v) in &c.config.labels {
                attributes.insert(k.clone(), v.clone());
            }
        }
        for (k, v) in extra {
            attributes.insert((*k).to_string(), v.clone());
        }
        self.events.push(Event {
            time: self.now,
            kind: "container".into(),
            action: action.to_string(),
            actor: id.to_string(),
            attributes,
        });
    }
}
