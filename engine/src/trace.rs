//! The step trace: every command yields ordered [`Step`]s saying which component acted,
//! what it did, why, and what it changed. The page steps through them; `porthole sim
//! --trace` prints them; the native backend produces the same kind with real values.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Who acted. The order is the order a `docker run` travels through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Component {
    Cli,
    Api,
    Dockerd,
    Containerd,
    Shim,
    Runc,
    Kernel,
    Registry,
}

impl Component {
    pub const ALL: [Component; 8] = [
        Component::Cli,
        Component::Api,
        Component::Dockerd,
        Component::Containerd,
        Component::Shim,
        Component::Runc,
        Component::Kernel,
        Component::Registry,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Component::Cli => "cli",
            Component::Api => "api",
            Component::Dockerd => "dockerd",
            Component::Containerd => "containerd",
            Component::Shim => "shim",
            Component::Runc => "runc",
            Component::Kernel => "kernel",
            Component::Registry => "registry",
        }
    }

    /// A one-line description of the component, for the page's legend.
    pub fn role(self) -> &'static str {
        match self {
            Component::Cli => "the docker client: parses your command and calls the REST API",
            Component::Api => "the Docker Engine REST API, HTTP over /var/run/docker.sock",
            Component::Dockerd => "the Docker daemon: images, names, networks, volumes",
            Component::Containerd => "containerd: container lifecycle and image snapshots",
            Component::Shim => "containerd-shim-runc-v2: parent of the container, keeps its stdio",
            Component::Runc => "runc: sets up namespaces, cgroups and the root fs, then execs",
            Component::Kernel => "the Linux kernel: namespaces, cgroups, overlayfs, processes",
            Component::Registry => "the image registry (Docker Hub): manifests and layer blobs",
        }
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The HTTP exchange behind an `api` step, as the docker CLI sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Http {
    pub method: String,
    /// Version-prefixed path and query, e.g. `/v1.47/containers/create?name=web`.
    pub path: String,
    /// The request body (JSON), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    pub status: u16,
    /// The response body (JSON), if any; streams are summarised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

/// Something the views can point at and highlight.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Object {
    Container(String),
    Image(String),
    Layer(String),
    Process(u32),
    Namespace(u64),
    Cgroup(String),
    Mount(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Modified,
    Removed,
}

/// One change a step made to the observable state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub object: Object,
}

impl Change {
    pub fn added(object: Object) -> Change {
        Change {
            kind: ChangeKind::Added,
            object,
        }
    }
    pub fn modified(object: Object) -> Change {
        Change {
            kind: ChangeKind::Modified,
            object,
        }
    }
    pub fn removed(object: Object) -> Change {
        Change {
            kind: ChangeKind::Removed,
            object,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub component: Component,
    /// What happened, e.g. "clone(CLONE_NEWPID|CLONE_NEWNS|…) created the init process".
    pub action: String,
    /// Why, in one sentence a student can read (most are fixed sentences: no allocation).
    pub why: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<Http>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

impl Step {
    pub fn new(
        component: Component,
        action: impl Into<String>,
        why: impl Into<Cow<'static, str>>,
    ) -> Step {
        Step {
            component,
            action: action.into(),
            why: why.into(),
            http: None,
            changes: Vec::new(),
        }
    }
    pub fn change(mut self, c: Change) -> Step {
        self.changes.push(c);
        self
    }
    pub fn http(mut self, h: Http) -> Step {
        self.http = Some(h);
        self
    }
}

impl fmt::Display for Step {
    /// `[component] what happened — why`, the line `porthole sim --trace` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {} — {}", self.component, self.action, self.why)
    }
}
