//! The image store's commands, as dockerd 28 (graphdriver store, overlay2) and the docker
//! CLI 28 do them: `docker tag`, `docker rmi` / `image rm` (moby's `ImageDelete`:
//! untag vs delete, the conflicts, layers released by chain ID), `docker image history`,
//! `docker image prune`, `docker system df [-v]` (shared layers counted once), and
//! `docker save` / `docker load` through `crate::archive` into the host's file tree.

use crate::archive;
use crate::daemon::{api_step, http, query_escape, ApiError};
use crate::engine::{Engine, LayerRecord};
use crate::format::{ellipsis, human_size, human_size_prec, table};
use crate::image::{chain_ids, config_json, image_from_config, Layer, Reference};
use crate::kernel::{Kernel, LayerSpec};
use crate::time::{human_duration, Time};
use crate::trace::{Change, Component, Object, Step};
use clap::{ArgAction, Args, FromArgMatches, Subcommand};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

// ---- grammar ----------------------------------------------------------------------------

/// Top-level commands (`docker tag`, …), flattened into `cli::Top`.
#[derive(Subcommand, Debug)]
pub enum TopCmd {
    Tag(TagArgs),
    Rmi(RmiArgs),
    History(HistoryArgs),
    Save(SaveArgs),
    Load(LoadArgs),
}

/// `docker image …` commands, flattened into `cli::ImageCmd`.
#[derive(Subcommand, Debug)]
pub enum ImageSubCmd {
    Tag(TagArgs),
    #[command(visible_alias = "remove")]
    Rm(RmiArgs),
    History(HistoryArgs),
    Prune(ImagePruneArgs),
    Save(SaveArgs),
    Load(LoadArgs),
}

#[derive(Args, Debug, Clone, Default)]
pub struct TagArgs {
    #[arg(value_name = "IMAGE")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct RmiArgs {
    /// Force removal of the image
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Do not delete untagged parents
    #[arg(long)]
    pub no_prune: bool,
    /// Remove only the given platform variant
    #[arg(long)]
    pub platform: Vec<String>,
    #[arg(value_name = "IMAGE")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct HistoryArgs {
    /// Format output using a custom template
    #[arg(long)]
    pub format: Option<String>,
    /// Print sizes and dates in human readable format
    #[arg(short = 'H', long, action = ArgAction::Set, num_args = 0..=1, require_equals = true, default_value = "true", default_missing_value = "true")]
    pub human: String,
    /// Don't truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Show history for the given platform
    #[arg(long)]
    pub platform: Option<String>,
    /// Only show image IDs
    #[arg(short = 'q', long)]
    pub quiet: bool,
    #[arg(value_name = "IMAGE")]
    pub args: Vec<String>,
    /// The command as typed ("history", "image history"), for pflag's messages.
    #[arg(skip)]
    pub invoked: String,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ImagePruneArgs {
    /// Remove all unused images, not just dangling ones
    #[arg(short = 'a', long)]
    pub all: bool,
    /// Provide filter values (e.g. "until=<timestamp>")
    #[arg(long, action = ArgAction::Append)]
    pub filter: Vec<String>,
    /// Do not prompt for confirmation
    #[arg(short = 'f', long)]
    pub force: bool,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct SaveArgs {
    /// Write to a file, instead of STDOUT
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Save only the given platform variant
    #[arg(long)]
    pub platform: Option<String>,
    #[arg(value_name = "IMAGE")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct LoadArgs {
    /// Read from tar archive file, instead of STDIN
    #[arg(short = 'i', long)]
    pub input: Option<String>,
    /// Load only the given platform variant
    #[arg(long)]
    pub platform: Option<String>,
    /// Suppress the load output
    #[arg(short = 'q', long)]
    pub quiet: bool,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct DfArgs {
    /// Format output using a custom template
    #[arg(long)]
    pub format: Option<String>,
    /// Show detailed information on space usage
    #[arg(short = 'v', long)]
    pub verbose: bool,
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
}

/// A parsed image-store command.
#[derive(Debug, Clone)]
pub enum ImageCommand {
    Tag(TagArgs),
    Rmi(RmiArgs),
    History(HistoryArgs),
    Prune(ImagePruneArgs),
    Save(SaveArgs),
    Load(LoadArgs),
    Df(DfArgs),
}

impl ImageCommand {
    pub fn args_len(&self) -> usize {
        match self {
            ImageCommand::Tag(a) => a.args.len(),
            ImageCommand::Rmi(a) => a.args.len(),
            ImageCommand::History(a) => a.args.len(),
            ImageCommand::Prune(a) => a.args.len(),
            ImageCommand::Save(a) => a.args.len(),
            ImageCommand::Load(a) => a.args.len(),
            ImageCommand::Df(a) => a.args.len(),
        }
    }
}

/// Whether `path` ("tag", "image rm", "system df") is one of this module's commands.
pub fn owns(path: &str) -> bool {
    matches!(
        path,
        "tag"
            | "image tag"
            | "rmi"
            | "image rm"
            | "image remove"
            | "history"
            | "image history"
            | "image prune"
            | "save"
            | "image save"
            | "load"
            | "image load"
            | "system df"
    )
}

pub fn parse(m: &clap::ArgMatches, path: &str) -> Result<ImageCommand, clap::Error> {
    Ok(match path.rsplit(' ').next().unwrap_or(path) {
        "tag" => ImageCommand::Tag(TagArgs::from_arg_matches(m)?),
        "rmi" | "rm" | "remove" => ImageCommand::Rmi(RmiArgs::from_arg_matches(m)?),
        "history" => ImageCommand::History(HistoryArgs {
            invoked: path.to_string(),
            ..HistoryArgs::from_arg_matches(m)?
        }),
        "prune" => ImageCommand::Prune(ImagePruneArgs::from_arg_matches(m)?),
        "save" => ImageCommand::Save(SaveArgs::from_arg_matches(m)?),
        "load" => ImageCommand::Load(LoadArgs::from_arg_matches(m)?),
        _ => ImageCommand::Df(DfArgs::from_arg_matches(m)?),
    })
}

/// Usage line and description, as `docker CMD --help` shows them.
pub fn usage(path: &str) -> Option<(&'static str, &'static str)> {
    Some(match path {
        "tag" | "image tag" => (
            "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
            "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        ),
        "rmi" | "image rm" | "image remove" => {
            ("[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images")
        }
        "history" | "image history" => ("[OPTIONS] IMAGE", "Show the history of an image"),
        "image prune" => ("[OPTIONS]", "Remove unused images"),
        "save" | "image save" => (
            "[OPTIONS] IMAGE [IMAGE...]",
            "Save one or more images to a tar archive (streamed to STDOUT by default)",
        ),
        "load" | "image load" => ("[OPTIONS]", "Load an image from a tar archive or STDIN"),
        "system df" => ("[OPTIONS]", "Show docker disk usage"),
        _ => return None,
    })
}

/// How many arguments each takes: (at least, at most).
pub fn arity(path: &str) -> Option<(usize, Option<usize>)> {
    Some(match path {
        "tag" | "image tag" => (2, Some(2)),
        "history" | "image history" => (1, Some(1)),
        "rmi" | "image rm" | "image remove" | "save" | "image save" => (1, None),
        "image prune" | "load" | "image load" | "system df" => (0, Some(0)),
        _ => return None,
    })
}

// ---- helpers ----------------------------------------------------------------------------

fn short(id: &str) -> String {
    let h = id.strip_prefix("sha256:").unwrap_or(id);
    h[..h.len().min(12)].to_string()
}

/// go-units `HumanSize` (4 significant digits).
fn human4(n: u64) -> String {
    human_size_prec(n, 4)
}

fn not_found(r: &str) -> ApiError {
    let shown = match Reference::parse(r) {
        Ok(p) if p.digest.is_none() && !looks_like_id(r) => p.familiar_tagged(),
        _ => r.to_string(),
    };
    ApiError::new(404, format!("No such image: {shown}"))
}

fn looks_like_id(r: &str) -> bool {
    let h = r.strip_prefix("sha256:").unwrap_or(r);
    r.starts_with("sha256:") || (h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// One line of `DELETE /images/{name}`'s answer.
enum Record {
    Untagged(String),
    Deleted(String),
}

impl<K: Kernel> Engine<K> {
    pub(crate) fn run_image_command(&mut self, c: ImageCommand) -> i32 {
        match c {
            ImageCommand::Tag(a) => self.cmd_tag(a),
            ImageCommand::Rmi(a) => self.cmd_rmi(a),
            ImageCommand::History(a) => self.cmd_history(a),
            ImageCommand::Prune(a) => self.cmd_image_prune(a),
            ImageCommand::Save(a) => self.cmd_save(a),
            ImageCommand::Load(a) => self.cmd_load(a),
            ImageCommand::Df(a) => self.cmd_system_df(a),
        }
    }

    fn emit_image(&mut self, action: &str, id: &str, name: &str) {
        let mut attributes = BTreeMap::new();
        attributes.insert("name".to_string(), name.to_string());
        self.events.push(crate::events::Event {
            time: self.now,
            kind: "image".into(),
            action: action.to_string(),
            actor: id.to_string(),
            attributes,
        });
    }

    /// Adds `tag` (familiar, `app:latest`) to image `id`, moving it off any other image.
    pub(crate) fn set_tag(&mut self, tag: &str, id: &str) -> Option<String> {
        let old = self.tags.insert(tag.to_string(), id.to_string());
        if let Some(o) = old.as_ref().filter(|o| *o != id) {
            if let Some(img) = self.images.get_mut(o) {
                img.repo_tags.retain(|t| t != tag);
            }
        }
        if let Some(img) = self.images.get_mut(id) {
            if !img.repo_tags.iter().any(|t| t == tag) {
                img.repo_tags.push(tag.to_string());
                img.repo_tags.sort();
            }
        }
        old.filter(|o| o != id)
    }

    // ---- tag ------------------------------------------------------------------------------

    fn cmd_tag(&mut self, a: TagArgs) -> i32 {
        let (src, dst) = (&a.args[0], &a.args[1]);
        let bad_ref = |r: &str, e: String| {
            format!(
                "Error parsing reference: {} is not a valid repository/tag: {e}",
                crate::format::go_quote(r)
            )
        };
        if Reference::parse(src).is_err() && !looks_like_id(src) {
            let e = Reference::parse(src)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            self.err(&format!("{}\n", bad_ref(src, e)));
            return 1;
        }
        let target = match Reference::parse(dst) {
            Ok(t) => t,
            Err(e) => {
                self.err(&format!("{}\n", bad_ref(dst, e.to_string())));
                return 1;
            }
        };
        if target.digest.is_some() {
            self.err("refusing to create a tag with a digest reference\n");
            return 1;
        }
        let path = format!(
            "/images/{src}/tag?repo={}&tag={}",
            query_escape(&target.full_name()),
            target.tag_or_latest()
        );
        let Some(id) = self.find_image(src) else {
            let e = not_found(src);
            self.step(api_step(
                http(
                    "POST",
                    &path,
                    None,
                    404,
                    Some(json!({"message": e.message})),
                ),
                "dockerd looks the source up among its images: by tag, digest or ID prefix",
            ));
            self.daemon_error(&e);
            return 1;
        };
        self.step(api_step(
            http("POST", &path, None, 201, None),
            "a tag is a name in dockerd's reference store pointing at an image ID",
        ));
        let tag = target.familiar_tagged();
        let old = self.set_tag(&tag, &id);
        let mut s = Step::new(
            Component::Dockerd,
            format!("tagged {} as {tag}", short(&id)),
            "no bytes are copied: both names now point at the same image ID and the same layers",
        )
        .change(Change::modified(Object::Image(id.clone())));
        if let Some(o) = &old {
            s = s.change(Change::modified(Object::Image(o.clone())));
        }
        self.step(s);
        if let Some(o) = old {
            if self.images.get(&o).is_some_and(|i| i.repo_tags.is_empty()) {
                self.step(Step::new(
                    Component::Dockerd,
                    format!("image {} lost its last tag: it is now dangling (<none>:<none>)", short(&o)),
                    "a tag moves to the new image; the old one stays, nameless, until `docker image prune`",
                ));
            }
        }
        self.emit_image("tag", &id, &tag);
        0
    }

    // ---- rmi ------------------------------------------------------------------------------

    fn cmd_rmi(&mut self, a: RmiArgs) -> i32 {
        let mut errors: Vec<String> = Vec::new();
        let mut fatal = false;
        let prune_q = if a.no_prune { "noprune=1" } else { "noprune=0" };
        for r in &a.args {
            let path = format!(
                "/images/{r}?force={}&{prune_q}",
                if a.force { 1 } else { 0 }
            );
            let mut api = Some(path.clone());
            match self.image_delete(r, a.force, &mut api) {
                Ok(records) => {
                    self.announce(&mut api);
                    let mut out = String::new();
                    for rec in records {
                        match rec {
                            Record::Untagged(t) => out.push_str(&format!("Untagged: {t}\n")),
                            Record::Deleted(d) => out.push_str(&format!("Deleted: {d}\n")),
                        }
                    }
                    self.out(&out);
                }
                Err(e) => {
                    self.step(api_step(
                        http(
                            "DELETE",
                            &path,
                            None,
                            e.status,
                            Some(json!({"message": e.message})),
                        ),
                        "dockerd refused: nothing was removed",
                    ));
                    if e.status != 404 {
                        fatal = true;
                    }
                    errors.push(format!("Error response from daemon: {}", e.message));
                }
            }
        }
        if errors.is_empty() {
            return 0;
        }
        self.err(&format!("{}\n", errors.join("\n")));
        if a.force && !fatal {
            0
        } else {
            1
        }
    }

    /// The references to an image: its tags, then its digests (canonical references).
    fn refs_of(&self, id: &str) -> (Vec<String>, Vec<String>) {
        self.images
            .get(id)
            .map(|i| (i.repo_tags.clone(), i.repo_digests.clone()))
            .unwrap_or_default()
    }

    /// moby's isSingleReference.
    fn single_reference(&self, id: &str) -> bool {
        let (tags, digests) = self.refs_of(id);
        let name = |r: &str| {
            if let Some((n, _)) = r.split_once('@') {
                n.to_string()
            } else {
                r.rsplit_once(':').map(|(n, _)| n).unwrap_or(r).to_string()
            }
        };
        if tags.len() + digests.len() <= 1 {
            return tags.len() + digests.len() == 1;
        }
        if tags.len() > 1 {
            return false;
        }
        let single = tags
            .first()
            .or(digests.first())
            .map(|s| name(s))
            .unwrap_or_default();
        let canon: BTreeSet<String> = digests.iter().map(|d| name(d)).collect();
        canon.len() == 1 && canon.contains(&single)
    }

    fn first_container(&self, id: &str, want: impl Fn(bool) -> bool) -> Option<String> {
        self.containers
            .values()
            .filter(|c| c.image_id == id && want(c.state.status.is_up()))
            .min_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)))
            .map(|c| c.id.clone())
    }

    /// moby's checkImageDeleteConflict: (message, hard, used).
    fn delete_conflict(
        &self,
        id: &str,
        soft_refs: bool,
        soft_stopped: bool,
    ) -> Option<(String, bool)> {
        let conflict = |hard: bool, msg: String| {
            Some((
                format!(
                    "conflict: unable to delete {} ({}) - {msg}",
                    short(id),
                    if hard {
                        "cannot be forced"
                    } else {
                        "must be forced"
                    }
                ),
                true,
            ))
        };
        if let Some(c) = self.first_container(id, |up| up) {
            return conflict(
                true,
                format!("image is being used by running container {}", short(&c)),
            );
        }
        if soft_refs {
            let (t, d) = self.refs_of(id);
            if !t.is_empty() || !d.is_empty() {
                return Some((
                    format!(
                        "conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
                        short(id)
                    ),
                    false,
                ));
            }
        }
        if soft_stopped {
            if let Some(c) = self.first_container(id, |up| !up) {
                return conflict(
                    false,
                    format!("image is being used by stopped container {}", short(&c)),
                );
            }
        }
        None
    }

    /// The `DELETE /images/…` step, recorded once, before the first change it makes.
    fn announce(&mut self, api: &mut Option<String>) {
        if let Some(path) = api.take() {
            self.step(api_step(
                http("DELETE", &path, None, 200, None),
                "dockerd untags; the image itself goes once no name and no container needs it",
            ));
        }
    }

    fn untag(&mut self, id: &str, reference: &str) {
        if let Some(img) = self.images.get_mut(id) {
            img.repo_tags.retain(|t| t != reference);
            img.repo_digests.retain(|t| t != reference);
        }
        if self.tags.get(reference).is_some_and(|i| i == id) {
            self.tags.remove(reference);
        }
        self.step(
            Step::new(
                Component::Dockerd,
                format!("untagged {reference}"),
                "the name is gone from the reference store; the image stays while other names or containers need it",
            )
            .change(Change::modified(Object::Image(id.to_string()))),
        );
        self.emit_image("untag", id, id);
    }

    /// moby's ImageDelete, validated before anything changes.
    fn image_delete(
        &mut self,
        r: &str,
        force: bool,
        api: &mut Option<String>,
    ) -> Result<Vec<Record>, ApiError> {
        let id = self.find_image(r).ok_or_else(|| not_found(r))?;
        let hex = &id[7..];
        let is_id = hex.starts_with(r.strip_prefix("sha256:").unwrap_or(r)) && !r.is_empty();
        let mut records = Vec::new();
        let mut quiet = false;
        if !is_id {
            if !force && self.single_reference(&id) {
                if let Some(c) = self.first_container(&id, |_| true) {
                    return Err(ApiError::new(
                        409,
                        format!(
                            "conflict: unable to remove repository reference {} (must force) - container {} is using its referenced image {}",
                            crate::format::go_quote(r),
                            short(&c),
                            short(&id)
                        ),
                    ));
                }
            }
            let parsed = Reference::parse(r).map_err(|e| ApiError::new(400, e.to_string()))?;
            let name = parsed.familiar_name();
            let reference = match &parsed.digest {
                Some(d) => format!("{name}@{d}"),
                None => parsed.familiar_tagged(),
            };
            // What remains after the untag must be decided before mutating: a delete
            // conflict later only stops the delete, never the untag (as in moby).
            self.announce(api);
            self.untag(&id, &reference);
            records.push(Record::Untagged(reference));
            if parsed.digest.is_none() {
                let (tags, digests) = self.refs_of(&id);
                let same_name = |t: &str| t.rsplit_once(':').map(|(n, _)| n) == Some(name.as_str());
                if !tags.iter().any(|t| same_name(t)) {
                    for d in digests
                        .iter()
                        .filter(|d| d.split('@').next() == Some(name.as_str()))
                    {
                        self.untag(&id, d);
                        records.push(Record::Untagged(d.clone()));
                    }
                }
            }
            let (tags, digests) = self.refs_of(&id);
            if !tags.is_empty() || !digests.is_empty() {
                return Ok(records);
            }
            quiet = true;
        } else if self.single_reference(&id) {
            if let Some((m, _)) = self.delete_conflict(&id, false, !force) {
                return Err(ApiError::new(409, m));
            }
            let (tags, digests) = self.refs_of(&id);
            self.announce(api);
            for t in tags.into_iter().chain(digests) {
                self.untag(&id, &t);
                records.push(Record::Untagged(t));
            }
        }
        // imageDeleteHelper.
        if let Some((m, used)) = self.delete_conflict(&id, !force, !force) {
            let dangling = self
                .images
                .get(&id)
                .is_some_and(|i| i.repo_tags.is_empty() && i.repo_digests.is_empty());
            if quiet && (!dangling || used) {
                if used {
                    self.step(Step::new(
                        Component::Dockerd,
                        format!("kept image {}: a container still uses it", short(&id)),
                        "with -f the names go, but an image under a container stays, dangling, until the container is removed",
                    ));
                }
                return Ok(records);
            }
            return Err(ApiError::new(409, m));
        }
        self.announce(api);
        let (tags, digests) = self.refs_of(&id);
        for t in tags.into_iter().chain(digests) {
            self.untag(&id, &t);
            records.push(Record::Untagged(t));
        }
        records.push(Record::Deleted(id.clone()));
        for chain in self.delete_image(&id) {
            records.push(Record::Deleted(chain));
        }
        Ok(records)
    }

    /// Removes an image and releases its layers; returns the chain IDs of the layers that
    /// went (top first), as the layer store reports them.
    pub(crate) fn delete_image(&mut self, id: &str) -> Vec<String> {
        let Some(img) = self.images.remove(id) else {
            return Vec::new();
        };
        self.step(
            Step::new(
                Component::Dockerd,
                format!("deleted image {} (config {id})", short(id)),
                "the image's config is gone; each of its layers is released and deleted when nothing else uses it",
            )
            .change(Change::removed(Object::Image(id.to_string()))),
        );
        self.emit_image("delete", id, id);
        // Layers a container still stands on stay (its RW layer's parent chain): the
        // container holds them until `docker rm` (see `release_container_layers`).
        let holders: Vec<String> = self
            .containers
            .values()
            .filter(|c| c.image_id == id)
            .map(|c| format!("container:{}", c.id))
            .collect();
        for d in &img.layers {
            if let Some(rec) = self.layers.get_mut(d) {
                rec.images.extend(holders.iter().cloned());
            }
        }
        let chains = chain_ids(&img.layers);
        let mut removed = Vec::new();
        for (d, chain) in img.layers.iter().zip(&chains).rev() {
            let Some(rec) = self.layers.get_mut(d) else {
                continue;
            };
            rec.images.remove(id);
            if !rec.images.is_empty() {
                let n = rec.images.len();
                let rec = rec.clone();
                self.step(Step::new(
                    Component::Dockerd,
                    format!(
                        "kept layer {} ({}): {} other image{} use{} it",
                        short(d),
                        human_size(rec.layer.size),
                        n,
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "s" } else { "" }
                    ),
                    "shared layers are stored once and counted by reference",
                ));
                continue;
            }
            let size = rec.layer.size;
            let dir = rec.dir.clone();
            self.layers.remove(d);
            let _ = self.kernel.remove_layer(d);
            self.step(
                Step::new(
                    Component::Kernel,
                    format!(
                        "removed layer {chain} (diff {d}, {}) at {dir}",
                        human_size(size)
                    ),
                    "the last image using the layer is gone: overlay2 deletes its directory",
                )
                .change(Change::removed(Object::Layer(d.clone()))),
            );
            removed.push(chain.clone());
        }
        removed
    }

    /// `docker rm` of a container whose image was deleted under it (`rmi -f`): the layers
    /// only it still held go now.
    pub(crate) fn release_container_layers(&mut self, container_id: &str) {
        let marker = format!("container:{container_id}");
        let freed: Vec<String> = self
            .layers
            .iter_mut()
            .filter_map(|(d, rec)| {
                (rec.images.remove(&marker) && rec.images.is_empty()).then(|| d.clone())
            })
            .collect();
        for d in freed {
            if let Some(rec) = self.layers.remove(&d) {
                let _ = self.kernel.remove_layer(&d);
                self.step(
                    Step::new(
                        Component::Kernel,
                        format!("removed layer {d} ({}) at {}", human_size(rec.layer.size), rec.dir),
                        "its image was deleted with -f while this container stood on it; the container was the last user",
                    )
                    .change(Change::removed(Object::Layer(d.clone()))),
                );
            }
        }
    }

    // ---- history --------------------------------------------------------------------------

    fn cmd_history(&mut self, a: HistoryArgs) -> i32 {
        let human = match a.human.as_str() {
            "true" | "1" | "t" | "T" | "TRUE" | "True" => true,
            "false" | "0" | "f" | "F" | "FALSE" | "False" => false,
            v => {
                let p = &a.invoked;
                self.err(&format!("invalid argument \"{v}\" for \"-H, --human\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax\n\nUsage:  docker {p} [OPTIONS] IMAGE\n\nRun 'docker {p} --help' for more information\n"));
                return 125;
            }
        };
        let r = &a.args[0];
        let path = format!("/images/{r}/history");
        let Some(id) = self.find_image(r) else {
            let e = not_found(r);
            self.step(api_step(
                http("GET", &path, None, 404, Some(json!({"message": e.message}))),
                "no such image",
            ));
            self.daemon_error(&e);
            return 1;
        };
        self.step(api_step(
            http("GET", &path, None, 200, None),
            "the history is in the image's config: one entry per Dockerfile instruction, sized by the layer it made",
        ));
        let img = &self.images[&id];
        let mut rows = Vec::new();
        let mut layer_i = 0;
        for h in &img.history {
            let size = if h.empty_layer {
                0
            } else {
                let s = img
                    .layers
                    .get(layer_i)
                    .and_then(|d| self.layers.get(d))
                    .map(|l| l.layer.size)
                    .unwrap_or(0);
                layer_i += 1;
                s
            };
            rows.push((h, size));
        }
        rows.reverse();
        let epoch = Time::parse_rfc3339("2000-01-01T00:00:00Z").unwrap_or_default();
        let trunc = !a.no_trunc;
        let values: Vec<Value> = rows
            .iter()
            .enumerate()
            .map(|(i, (h, size))| {
                let full = if i == 0 { id.clone() } else { "<missing>".to_string() };
                let created_at = h.created.rfc3339_nano();
                let created_at = match created_at.split_once('.') {
                    Some((s, _)) => format!("{s}Z"),
                    None => created_at,
                };
                let created_at = created_at.replace('Z', "+00:00");
                let by = h.created_by.replace('\t', " ");
                json!({
                    "ID": if trunc && i == 0 { short(&full) } else { full },
                    "CreatedSince": if !human { created_at.clone() } else if h.created <= epoch { "N/A".to_string() } else { format!("{} ago", human_duration(self.now.since(h.created))) },
                    "CreatedAt": created_at,
                    "CreatedBy": if trunc { ellipsis(&by, 45) } else { by },
                    "Size": if human { human_size(*size) } else { size.to_string() },
                    "Comment": h.comment,
                })
            })
            .collect();
        if a.quiet && a.format.is_none() {
            let s: String = values
                .iter()
                .map(|v| format!("{}\n", v["ID"].as_str().unwrap_or("")))
                .collect();
            self.out(&s);
            return 0;
        }
        let created = if human {
            ("CreatedSince", "CREATED")
        } else {
            ("CreatedAt", "CREATED AT")
        };
        let headers = [
            ("ID", "IMAGE"),
            created,
            ("CreatedBy", "CREATED BY"),
            ("Size", "SIZE"),
            ("Comment", "COMMENT"),
        ];
        self.print_rows(a.format.as_deref(), &headers, &values)
    }

    // ---- image prune ------------------------------------------------------------------------

    fn cmd_image_prune(&mut self, a: ImagePruneArgs) -> i32 {
        let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in &a.filter {
            let Some((k, v)) = f.split_once('=') else {
                self.err(&format!("invalid argument \"{f}\" for \"--filter\" flag: bad format of filter (expected name=value)\n\nUsage:  docker image prune [OPTIONS]\n\nRun 'docker image prune --help' for more information\n"));
                return 125;
            };
            filters
                .entry(k.trim().to_ascii_lowercase())
                .or_default()
                .push(v.trim().to_string());
        }
        if !a.force {
            let warning = if a.all {
                "WARNING! This will remove all images without at least one container associated to them."
            } else {
                "WARNING! This will remove all dangling images."
            };
            self.out(&format!(
                "{warning}\nAre you sure you want to continue? [y/N] \n"
            ));
            self.step(Step::new(
                Component::Cli,
                "asked for confirmation; the answer was empty, which means no".to_string(),
                "without -f the CLI asks first and sends nothing unless you answer y; Porthole has no keyboard input, so use `docker image prune -f`",
            ));
            return 0;
        }
        filters
            .entry("dangling".into())
            .or_default()
            .push((!a.all).to_string());
        let fj = serde_json::to_string(
            &filters
                .iter()
                .map(|(k, vs)| {
                    (
                        k.clone(),
                        vs.iter()
                            .map(|v| (v.clone(), true))
                            .collect::<BTreeMap<_, _>>(),
                    )
                })
                .collect::<BTreeMap<_, _>>(),
        )
        .unwrap_or_default();
        let path = format!("/images/prune?filters={}", query_escape(&fj));
        let mut bad = None;
        for k in filters.keys() {
            if !matches!(k.as_str(), "dangling" | "label" | "label!" | "until") {
                bad = Some(format!("invalid filter '{k}'"));
            }
        }
        let dangling_only = match filters.get("dangling").map(|v| v.as_slice()) {
            Some([v]) => match v.as_str() {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => {
                    bad = bad.or(Some(format!("invalid filter 'dangling={v}'")));
                    true
                }
            },
            Some(vs) if vs.len() > 1 => {
                bad = bad.or(Some(format!(
                    "invalid filter 'dangling={}': only one value is expected",
                    vs.join(" ")
                )));
                true
            }
            _ => true,
        };
        let mut until = None;
        if let Some(vs) = filters.get("until") {
            if vs.len() > 1 {
                bad = bad.or(Some("more than one until filter specified".into()));
            } else if let Some(t) = crate::lifecycle::until_time(&vs[0], self.now) {
                until = Some(t);
            } else {
                bad = bad.or(Some(format!(
                    "failed to parse value as time or duration: {:?}",
                    vs[0]
                )));
            }
        }
        if let Some(m) = bad {
            self.step(api_step(
                http("POST", &path, None, 400, Some(json!({"message": m}))),
                "image prune accepts dangling, label, label! and until",
            ));
            self.err(&format!("Error response from daemon: {m}\n"));
            return 1;
        }
        self.step(api_step(
            http("POST", &path, None, 200, None),
            if dangling_only {
                "dockerd removes the images no name points at and no container uses"
            } else {
                "dockerd removes every image no container uses, tagged or not"
            },
        ));
        let label_ok = |img: &crate::image::Image| {
            let m = |l: &str| match l.split_once('=') {
                Some((k, v)) => img.config.labels.get(k).is_some_and(|x| x == v),
                None => img.config.labels.contains_key(l),
            };
            filters
                .get("label")
                .is_none_or(|ls| ls.iter().all(|l| m(l)))
                && filters
                    .get("label!")
                    .is_none_or(|ls| !ls.iter().any(|l| m(l)))
        };
        let mut victims: Vec<String> = self
            .images
            .values()
            .filter(|i| !dangling_only || i.repo_tags.is_empty())
            .filter(|i| until.is_none_or(|u| i.created <= u))
            .filter(|i| label_ok(i))
            .map(|i| i.id.clone())
            .collect();
        victims.sort();
        let sizes: BTreeMap<String, u64> = chain_sizes(&self.images, &self.layers);
        let mut out = String::new();
        let mut reclaimed = 0;
        for id in victims {
            let (tags, digests) = self.refs_of(&id);
            let refs: Vec<String> = if tags.is_empty() && digests.is_empty() {
                vec![id[7..].to_string()]
            } else if dangling_only {
                digests
            } else {
                tags.into_iter().chain(digests).collect()
            };
            for r in refs {
                if !self.images.contains_key(&id) {
                    break;
                }
                if let Ok(recs) = self.image_delete(&r, false, &mut None) {
                    for rec in recs {
                        match rec {
                            Record::Untagged(t) => out.push_str(&format!("untagged: {t}\n")),
                            Record::Deleted(d) => {
                                reclaimed += sizes.get(&d).copied().unwrap_or(0);
                                out.push_str(&format!("deleted: {d}\n"));
                            }
                        }
                    }
                }
            }
        }
        self.events.push(crate::events::Event {
            time: self.now,
            kind: "image".into(),
            action: "prune".into(),
            actor: String::new(),
            attributes: [("reclaimed".to_string(), reclaimed.to_string())]
                .into_iter()
                .collect(),
        });
        let mut text = String::new();
        if !out.is_empty() {
            text.push_str("Deleted Images:\n");
            text.push_str(&out);
            text.push('\n');
        }
        text.push_str(&format!("Total reclaimed space: {}\n", human4(reclaimed)));
        self.out(&text);
        0
    }

    // ---- system df ----------------------------------------------------------------------------

    fn cmd_system_df(&mut self, a: DfArgs) -> i32 {
        self.step(api_step(
            http("GET", "/system/df?type=container&type=image&type=volume&type=build-cache", None, 200, None),
            "dockerd sums its layer store (each layer once), each image's shared and unique bytes, the containers' RW layers and the volumes",
        ));
        // Layers shared by more than one image.
        let mut refcount: BTreeMap<&str, usize> = BTreeMap::new();
        for img in self.images.values() {
            for d in img.layers.iter().collect::<BTreeSet<_>>() {
                *refcount.entry(d.as_str()).or_default() += 1;
            }
        }
        let layer_size = |d: &str| self.layers.get(d).map(|l| l.layer.size).unwrap_or(0);
        let layers_size: u64 = self.layers.values().map(|l| l.layer.size).sum();
        let mut imgs: Vec<&crate::image::Image> = self.images.values().collect();
        imgs.sort_by(|x, y| y.created.cmp(&x.created).then(x.id.cmp(&y.id)));
        struct ImgRow {
            repo: String,
            tag: String,
            id: String,
            created: Time,
            size: u64,
            shared: u64,
            containers: usize,
        }
        let rows: Vec<ImgRow> = imgs
            .iter()
            .map(|img| {
                let uniq: BTreeSet<&String> = img.layers.iter().collect();
                let shared = uniq
                    .iter()
                    .filter(|d| refcount.get(d.as_str()).copied().unwrap_or(0) > 1)
                    .map(|d| layer_size(d))
                    .sum();
                let (repo, tag) = img
                    .repo_tags
                    .first()
                    .and_then(|t| t.rsplit_once(':'))
                    .map(|(r, t)| (r.to_string(), t.to_string()))
                    .unwrap_or(("<none>".into(), "<none>".into()));
                ImgRow {
                    repo,
                    tag,
                    id: img.id.clone(),
                    created: img.created,
                    size: img.size,
                    shared,
                    containers: self
                        .containers
                        .values()
                        .filter(|c| c.image_id == img.id)
                        .count(),
                }
            })
            .collect();
        let used: u64 = rows
            .iter()
            .filter(|r| r.containers > 0)
            .map(|r| r.size - r.shared)
            .sum();
        let img_reclaim = layers_size.saturating_sub(used);
        let pct = |part: u64, total: u64| match (part * 100).checked_div(total) {
            Some(p) => format!("{} ({p}%)", human4(part)),
            None => human4(part),
        };
        // Containers, oldest last (as `docker ps -a`).
        let mut ctrs: Vec<&crate::engine::Container> = self.containers.values().collect();
        ctrs.sort_by(|x, y| y.created.cmp(&x.created).then(x.id.cmp(&y.id)));
        let rw = |id: &str| self.kernel.rw_layer(id).map(|t| t.size()).unwrap_or(0);
        let ctr_total: u64 = ctrs.iter().map(|c| rw(&c.id)).sum();
        let ctr_active = ctrs.iter().filter(|c| c.state.status.is_up()).count();
        let ctr_reclaim: u64 = ctrs
            .iter()
            .filter(|c| !c.state.status.is_up())
            .map(|c| rw(&c.id))
            .sum();
        // Volumes.
        let vols: Vec<(String, usize, u64)> = self
            .volumes
            .volumes
            .keys()
            .map(|n| {
                let links = self.volumes.refs.get(n).map(|r| r.len()).unwrap_or(0);
                (
                    n.clone(),
                    links,
                    self.kernel
                        .host_usage(&format!("{}/{n}/_data", crate::volume::VOLUMES_ROOT)),
                )
            })
            .collect();
        let vol_total: u64 = vols.iter().map(|v| v.2).sum();
        let vol_reclaim: u64 = vols.iter().filter(|v| v.1 == 0).map(|v| v.2).sum();
        if !a.verbose {
            let summary = vec![
                json!({"Type": "Images", "TotalCount": rows.len().to_string(), "Active": rows.iter().filter(|r| r.containers > 0).count().to_string(), "Size": human4(layers_size), "Reclaimable": pct(img_reclaim, layers_size)}),
                json!({"Type": "Containers", "TotalCount": ctrs.len().to_string(), "Active": ctr_active.to_string(), "Size": human4(ctr_total), "Reclaimable": pct(ctr_reclaim, ctr_total)}),
                json!({"Type": "Local Volumes", "TotalCount": vols.len().to_string(), "Active": vols.iter().filter(|v| v.1 > 0).count().to_string(), "Size": human4(vol_total), "Reclaimable": pct(vol_reclaim, vol_total)}),
                json!({"Type": "Build Cache", "TotalCount": "0", "Active": "0", "Size": "0B", "Reclaimable": "0B"}),
            ];
            let headers = [
                ("Type", "TYPE"),
                ("TotalCount", "TOTAL"),
                ("Active", "ACTIVE"),
                ("Size", "SIZE"),
                ("Reclaimable", "RECLAIMABLE"),
            ];
            return self.print_rows(a.format.as_deref(), &headers, &summary);
        }
        let mut out = String::from("Images space usage:\n\n");
        let mut t = vec![[
            "REPOSITORY",
            "TAG",
            "IMAGE ID",
            "CREATED",
            "SIZE",
            "SHARED SIZE",
            "UNIQUE SIZE",
            "CONTAINERS",
        ]
        .map(str::to_string)
        .to_vec()];
        for r in &rows {
            t.push(vec![
                r.repo.clone(),
                r.tag.clone(),
                short(&r.id),
                format!("{} ago", human_duration(self.now.since(r.created))),
                human_size(r.size),
                human4(r.shared),
                human4(r.size - r.shared),
                r.containers.to_string(),
            ]);
        }
        out.push_str(&table(&t));
        out.push_str("\nContainers space usage:\n\n");
        let mut t = vec![[
            "CONTAINER ID",
            "IMAGE",
            "COMMAND",
            "LOCAL VOLUMES",
            "SIZE",
            "CREATED",
            "STATUS",
            "NAMES",
        ]
        .map(str::to_string)
        .to_vec()];
        for c in &ctrs {
            let local = self
                .volumes
                .of_container(&c.id)
                .map(|m| {
                    m.points
                        .iter()
                        .filter(|p| p.kind == crate::kernel::MountKind::Volume)
                        .count()
                })
                .unwrap_or(0);
            let command = std::iter::once(c.path.clone())
                .chain(c.args.iter().cloned())
                .collect::<Vec<_>>()
                .join(" ");
            t.push(vec![
                short(&c.id),
                c.config.image.clone(),
                crate::format::go_quote(&ellipsis(&command, 20)),
                local.to_string(),
                human_size(rw(&c.id)),
                format!("{} ago", human_duration(self.now.since(c.created))),
                self.status_line(c),
                c.name.clone(),
            ]);
        }
        out.push_str(&table(&t));
        out.push_str("\nLocal Volumes space usage:\n\n");
        let mut t = vec![["VOLUME NAME", "LINKS", "SIZE"]
            .map(str::to_string)
            .to_vec()];
        for (n, links, size) in &vols {
            t.push(vec![n.clone(), links.to_string(), human4(*size)]);
        }
        out.push_str(&table(&t));
        out.push_str("\nBuild cache usage: 0B\n\n");
        out.push_str(&table(&[[
            "CACHE ID",
            "CACHE TYPE",
            "SIZE",
            "CREATED",
            "LAST USED",
            "USAGE",
            "SHARED",
        ]
        .map(str::to_string)
        .to_vec()]));
        self.out(&out);
        0
    }

    // ---- save / load --------------------------------------------------------------------------

    fn cmd_save(&mut self, a: SaveArgs) -> i32 {
        let Some(output) = a.output.clone() else {
            self.err("cowardly refusing to save to a terminal. Use the -o flag or redirect\n");
            return 1;
        };
        // Every name must resolve before anything is written.
        // moby's parseNames: a tag saves that tag; a bare name every tag of that
        // repository; an ID (or ID prefix) the image with no tag.
        let mut ids: Vec<(String, Vec<String>)> = Vec::new();
        for r in &a.args {
            // A bare repository name: every tag it has (ReferencesByName), first.
            if let Ok(p) = Reference::parse(r) {
                if p.tag.is_none() && p.digest.is_none() && !looks_like_id(r) {
                    let name = p.familiar_name();
                    let repo_tags: Vec<(String, String)> = self
                        .tags
                        .iter()
                        .filter(|(t, _)| t.rsplit_once(':').map(|(n, _)| n) == Some(name.as_str()))
                        .map(|(t, i)| (i.clone(), t.clone()))
                        .collect();
                    if !repo_tags.is_empty() {
                        ids.extend(repo_tags.into_iter().map(|(i, t)| (i, vec![t])));
                        continue;
                    }
                }
            }
            match self.find_image(r) {
                Some(id) => {
                    let by_id = looks_like_id(r) || id[7..].starts_with(r);
                    let tags = match Reference::parse(r) {
                        Ok(p) if p.digest.is_none() && !by_id => vec![p.familiar_tagged()],
                        _ => Vec::new(),
                    };
                    ids.push((id, tags));
                }
                None => {
                    let e = not_found(r);
                    let q: String = a
                        .args
                        .iter()
                        .map(|n| format!("names={}", query_escape(n)))
                        .collect::<Vec<_>>()
                        .join("&");
                    self.step(api_step(
                        http(
                            "GET",
                            &format!("/images/get?{q}"),
                            None,
                            404,
                            Some(json!({"message": e.message})),
                        ),
                        "dockerd resolves every name before it writes a byte",
                    ));
                    self.daemon_error(&e);
                    return 1;
                }
            }
        }
        let host_path = crate::fs::normalize(&output);
        let parent = host_path
            .rsplit_once('/')
            .map(|(d, _)| if d.is_empty() { "/" } else { d })
            .unwrap_or("/")
            .to_string();
        if self.kernel.host_stat(&parent) != Some(true) {
            self.err(&format!("failed to save image: invalid output path: stat {parent}: no such file or directory\n"));
            return 1;
        }
        if self.kernel.host_stat(&host_path) == Some(true) {
            self.err(&format!("failed to save image: unable to validate output path: open {output}: is a directory\n"));
            return 1;
        }
        let q: String = a
            .args
            .iter()
            .map(|n| format!("names={}", query_escape(n)))
            .collect::<Vec<_>>()
            .join("&");
        self.step(api_step(
            http("GET", &format!("/images/get?{q}"), None, 200, None),
            "dockerd streams one tar: the docker-archive manifest.json and the OCI layout (index.json, blobs/sha256/…)",
        ));
        // One entry per image, with the tags asked for.
        let mut order: Vec<String> = Vec::new();
        let mut tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (id, named) in &ids {
            if !order.contains(id) {
                order.push(id.clone());
            }
            let e = tags.entry(id.clone()).or_default();
            for t in named {
                if !e.contains(t) {
                    e.push(t.clone());
                }
            }
        }
        let mut configs = Vec::new();
        let mut layer_tars: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for id in &order {
            let img = self.images[id].clone();
            configs.push(config_json(&img));
            for d in &img.layers {
                if layer_tars.contains_key(d) {
                    continue;
                }
                let Some(rec) = self.layers.get(d) else {
                    continue;
                };
                let bytes = archive::layer_tar(&rec.layer.tree);
                self.step(Step::new(
                    Component::Dockerd,
                    format!("layer {} → blobs/sha256/{} ({} of tar, {} files)", short(d), &archive_hex(&bytes)[..12], human_size(bytes.len() as u64), rec.layer.tree.len()),
                    "each layer is written once as an uncompressed tar named by its sha256, which is its diff ID",
                ));
                layer_tars.insert(d.clone(), bytes);
            }
        }
        let saves: Vec<archive::SaveImage<'_>> = order
            .iter()
            .zip(&configs)
            .map(|(id, cfg)| {
                let img = &self.images[id];
                let t = tags.get(id).cloned().unwrap_or_default();
                let full = t
                    .iter()
                    .map(|x| {
                        Reference::parse(x)
                            .map(|r| format!("{}:{}", r.full_name(), r.tag_or_latest()))
                            .unwrap_or_default()
                    })
                    .collect();
                archive::SaveImage {
                    config: cfg.as_bytes(),
                    repo_tags: t,
                    full_names: full,
                    layers: img
                        .layers
                        .iter()
                        .filter_map(|d| layer_tars.get(d).map(|v| v.as_slice()))
                        .collect(),
                }
            })
            .collect();
        let bytes = archive::write(&saves);
        drop(saves);
        if let Err(e) = self.kernel.host_write_bytes(&host_path, &bytes) {
            self.err(&format!("failed to save image: {}\n", e.message));
            return 1;
        }
        self.step(Step::new(
            Component::Cli,
            format!("wrote {output} ({}, {} image{})", human_size(bytes.len() as u64), order.len(), if order.len() == 1 { "" } else { "s" }),
            "the CLI copies the stream into the file; `tar -tf` would list manifest.json, index.json, oci-layout and blobs/sha256/…",
        ));
        for id in &order {
            self.emit_image("save", id, id);
        }
        0
    }

    fn cmd_load(&mut self, a: LoadArgs) -> i32 {
        let Some(input) = a.input.clone() else {
            self.err("requested load from stdin, but stdin is empty\n");
            return 1;
        };
        let host_path = crate::fs::normalize(&input);
        let bytes = match self.kernel.host_read_bytes(&host_path) {
            Some(b) => b,
            None => {
                let why = if self.kernel.host_stat(&host_path) == Some(true) {
                    "is a directory"
                } else {
                    "no such file or directory"
                };
                self.err(&format!("open {input}: {why}\n"));
                return 1;
            }
        };
        let loaded = match archive::read(&bytes) {
            Ok(l) => l,
            Err(e) => {
                self.step(api_step(
                    http("POST", "/images/load?quiet=0", None, 500, Some(json!({"message": e.0}))),
                    "dockerd checks every layer's sha256 against the config's diff IDs before it keeps anything",
                ));
                self.err(&format!("Error response from daemon: {e}\n"));
                return 1;
            }
        };
        // Tags must parse before anything changes.
        for img in &loaded {
            for t in &img.repo_tags {
                if Reference::parse(t).is_err() {
                    self.err(&format!(
                        "Error response from daemon: invalid reference format: {t}\n"
                    ));
                    return 1;
                }
            }
            if image_from_config(&img.config).is_none() {
                self.err("Error response from daemon: invalid image config\n");
                return 1;
            }
        }
        self.step(api_step(
            http("POST", &format!("/images/load?quiet={}", if a.quiet { 1 } else { 0 }), None, 200, None),
            "the CLI streams the archive; dockerd verified every digest and now registers layers it lacks",
        ));
        let mut out = String::new();
        for l in loaded {
            let mut img = match image_from_config(&l.config) {
                Some(i) => i,
                None => continue,
            };
            img.size = l.layers.iter().map(|x| x.tree.size()).sum();
            let hist_by: Vec<String> = img
                .history
                .iter()
                .filter(|h| !h.empty_layer)
                .map(|h| h.created_by.clone())
                .collect();
            for (i, layer) in l.layers.into_iter().enumerate() {
                if self.layers.contains_key(&layer.diff_id) {
                    self.step(Step::new(
                        Component::Dockerd,
                        format!("layer {} already exists: reused", short(&layer.diff_id)),
                        "a layer is known by its diff ID: one already on disk is not unpacked again",
                    ));
                    continue;
                }
                let size = layer.tree.size();
                let spec = LayerSpec {
                    diff_id: layer.diff_id.clone(),
                    tree: Arc::new(layer.tree),
                };
                let dir = match self.kernel.store_layer(&spec) {
                    Ok(d) => d,
                    Err(e) => {
                        self.err(&format!("Error response from daemon: {e}\n"));
                        return 1;
                    }
                };
                self.layers.insert(
                    layer.diff_id.clone(),
                    LayerRecord {
                        layer: Layer {
                            diff_id: layer.diff_id.clone(),
                            digest: layer.diff_id.clone(),
                            size,
                            compressed_size: layer.tar_size,
                            created_by: hist_by.get(i).cloned().unwrap_or_default(),
                            tree: spec.tree.clone(),
                        },
                        dir: dir.clone(),
                        images: Default::default(),
                    },
                );
                self.step(
                    Step::new(
                        Component::Kernel,
                        format!("loaded layer {} ({} files, {}) into {dir}", layer.diff_id, spec.tree.len(), human_size(size)),
                        "the layer's tar is unpacked into a new overlay2 directory; its sha256 matched the config",
                    )
                    .change(Change::added(Object::Layer(layer.diff_id.clone()))),
                );
            }
            let id = img.id.clone();
            let existing = self
                .images
                .get(&id)
                .map(|i| (i.repo_tags.clone(), i.repo_digests.clone()));
            if let Some((t, d)) = existing {
                img.repo_tags = t;
                img.repo_digests = d;
            }
            for d in &img.layers {
                if let Some(rec) = self.layers.get_mut(d) {
                    rec.images.insert(id.clone());
                }
            }
            self.images.insert(id.clone(), img);
            self.step(
                Step::new(
                    Component::Dockerd,
                    format!("registered image {} from its config", short(&id)),
                    "the image ID is the sha256 of the config blob, so a loaded image has the ID it had when saved",
                )
                .change(Change::added(Object::Image(id.clone()))),
            );
            if l.repo_tags.is_empty() {
                out.push_str(&format!("Loaded image ID: {id}\n"));
            }
            for t in &l.repo_tags {
                let tag = Reference::parse(t)
                    .map(|r| r.familiar_tagged())
                    .unwrap_or_else(|_| t.clone());
                if let Some(prev) = self.tags.get(&tag).filter(|p| **p != id) {
                    out.push_str(&format!("The image {tag} already exists, renaming the old one with ID {prev} to empty string\n"));
                }
                self.set_tag(&tag, &id);
                out.push_str(&format!("Loaded image: {tag}\n"));
            }
            self.emit_image("load", &id, &id);
        }
        if !a.quiet {
            self.out(&out);
        } else {
            self.out(
                &out.lines()
                    .filter(|l| l.starts_with("Loaded"))
                    .map(|l| format!("{l}\n"))
                    .collect::<String>(),
            );
        }
        0
    }

    /// `docker ps`'s STATUS text, for `system df -v`.
    fn status_line(&self, c: &crate::engine::Container) -> String {
        self.status_text(c)
    }

    /// `docker images -f`: whether `img` passes the filters (dangling, reference, label,
    /// before, since). Errors in dockerd's wording.
    pub(crate) fn image_filter(&self, filters: &[String]) -> Result<Vec<(String, String)>, String> {
        let mut out = Vec::new();
        for f in filters {
            let Some((k, v)) = f.split_once('=') else {
                return Err(format!("invalid argument \"{f}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"));
            };
            let k = k.trim().to_ascii_lowercase();
            if !matches!(
                k.as_str(),
                "dangling" | "label" | "before" | "since" | "reference" | "until"
            ) {
                return Err(format!("Error response from daemon: invalid filter '{k}'"));
            }
            if k == "dangling" && !matches!(v, "true" | "false" | "1" | "0") {
                return Err(format!(
                    "Error response from daemon: invalid filter 'dangling={v}'"
                ));
            }
            out.push((k, v.to_string()));
        }
        Ok(out)
    }

    pub(crate) fn image_passes(
        &self,
        img: &crate::image::Image,
        filters: &[(String, String)],
    ) -> bool {
        filters.iter().all(|(k, v)| match k.as_str() {
            "dangling" => {
                // dangling=true: no tag (a digest may remain); false: any reference.
                if v == "true" || v == "1" {
                    img.repo_tags.is_empty()
                } else {
                    !img.repo_tags.is_empty() || !img.repo_digests.is_empty()
                }
            }
            "label" => match v.split_once('=') {
                Some((lk, lv)) => img.config.labels.get(lk).is_some_and(|x| x == lv),
                None => img.config.labels.contains_key(v),
            },
            "reference" => img.repo_tags.iter().any(|t| {
                let (name, tag) = t.rsplit_once(':').unwrap_or((t, "latest"));
                match v.split_once(':') {
                    Some((n, tg)) => glob(n, name) && glob(tg, tag),
                    None => glob(v, name),
                }
            }),
            "before" | "since" => match self.find_image(v).and_then(|i| self.images.get(&i)) {
                Some(other) => {
                    if k == "before" {
                        img.created < other.created
                    } else {
                        img.created > other.created
                    }
                }
                None => false,
            },
            _ => true,
        })
    }
}

fn archive_hex(bytes: &[u8]) -> String {
    crate::image::sha256(bytes)[7..].to_string()
}

/// path.Match for the `reference` filter: `*` within a component.
fn glob(pattern: &str, s: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == s,
        Some((pre, rest)) => {
            if !s.starts_with(pre) {
                return false;
            }
            let s = &s[pre.len()..];
            (0..=s.len())
                .any(|i| !s[..i].contains('/') && s.is_char_boundary(i) && glob(rest, &s[i..]))
        }
    }
}

/// Each layer's chain ID → its size, over all images (what prune's report sums).
fn chain_sizes(
    images: &BTreeMap<String, crate::image::Image>,
    layers: &BTreeMap<String, LayerRecord>,
) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for img in images.values() {
        for (d, c) in img.layers.iter().zip(chain_ids(&img.layers)) {
            out.insert(c, layers.get(d).map(|l| l.layer.size).unwrap_or(0));
        }
    }
    out
}
