//! The page's state: one simulated Docker host and the commands run on it, with the
//! step the student is looking at.
//!
//! [`Session`] is a [`Reducible`]: every change goes through [`Action`] and
//! [`Session::reduce`], which returns a new `Rc<Session>`. The engine itself is not
//! `Clone`; it lives in an `Rc<RefCell<..>>` shared by every version of the state, and
//! only [`Action::Run`] touches it.

use porthole_engine::trace::Step;
use porthole_engine::{CommandOutcome, Engine, SimKernel, Snapshot};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// One command the student ran, with everything it produced.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Command {
    /// Position in the session (0-based), used as the key of its terminal block.
    pub index: usize,
    /// Line, output, exit code, steps and (recording is on) one snapshot before the
    /// command plus one after each step.
    pub outcome: CommandOutcome,
}

impl Command {
    pub fn steps(&self) -> &[Step] {
        &self.outcome.steps
    }

    /// The state after step `step` (0-based); before any step if the command had none.
    pub fn snapshot_after(&self, step: usize) -> Option<&Snapshot> {
        let snaps = &self.outcome.snapshots;
        if self.outcome.steps.is_empty() {
            return snaps.last();
        }
        snaps.get(step + 1).or_else(|| snaps.last())
    }
}

/// What the page can ask of the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Run a command line on the simulated host (blank lines are ignored). Selects the
    /// new command and its last step, so the views show the state it left behind.
    Run(String),
    /// Go to step `n` (0-based) of the selected command.
    SelectStep(usize),
    /// One step back / forward in the selected command (no-op at the ends).
    Prev,
    Next,
    /// Reopen command `n` (0-based) of the session, at its last step.
    SelectCommand(usize),
    /// Reopen command `n` at its first step, to step through it again.
    Replay(usize),
    /// Show another view of the host.
    Show(View),
    /// Start or stop playing the steps (one step a tick, stopping at the last).
    Play(bool),
    /// One tick of play: the next step, or stop at the end.
    Tick,
    /// Draw (or stop drawing) the namespaces of this type in the namespace view.
    ToggleNamespace(porthole_engine::kernel::NsKind),
    /// Replace the session by one read from an exported file (see [`Session::export`]).
    Import(String),
    /// Follow a `porthole serve` daemon: apply the part of its command log from
    /// `from` on (each line at its virtual time) to an engine of the daemon's seed. A
    /// new seed, or `from` 0 while not following, starts the session over.
    Follow {
        seed: u64,
        from: usize,
        next: usize,
        entries: Vec<(u64, String)>,
    },
    /// Back to the in-browser simulation: a fresh session.
    Unfollow,
}

/// The views of the host the page can show, one at a time, beside the terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum View {
    #[default]
    Architecture,
    Namespaces,
    Cgroups,
    Network,
    Layers,
    Inspect,
    Listing,
}

impl View {
    pub const ALL: [View; 7] = [
        View::Architecture,
        View::Namespaces,
        View::Cgroups,
        View::Network,
        View::Layers,
        View::Inspect,
        View::Listing,
    ];

    /// The id fragment of its tab and panel (`tab-network`, `view-network`).
    pub fn id(self) -> &'static str {
        match self {
            View::Architecture => "architecture",
            View::Namespaces => "namespaces",
            View::Cgroups => "cgroups",
            View::Network => "network",
            View::Layers => "layers",
            View::Inspect => "inspect",
            View::Listing => "listing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            View::Architecture => "Architecture",
            View::Namespaces => "Namespaces",
            View::Cgroups => "Cgroups",
            View::Network => "Network",
            View::Layers => "Layers",
            View::Inspect => "Inspect",
            View::Listing => "Containers",
        }
    }
}

/// The simulated machine: what `porthole sim --host-cpus/--host-memory/--cgroup-version`
/// sets. Changing it means a new host (and a new session), as with real hardware.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostSettings {
    pub cpus: u32,
    pub memory_bytes: u64,
    pub cgroup_version: u8,
}

impl Default for HostSettings {
    fn default() -> Self {
        let c = porthole_engine::SimConfig::default();
        HostSettings {
            cpus: c.cpus,
            memory_bytes: c.memory_bytes,
            cgroup_version: c.cgroup_version,
        }
    }
}

#[derive(Clone)]
pub struct Session {
    engine: Rc<RefCell<Engine<SimKernel>>>,
    pub seed: u64,
    pub host: HostSettings,
    /// The host before the first command.
    pub initial: Rc<Snapshot>,
    /// Every command run so far, oldest first.
    pub commands: Vec<Rc<Command>>,
    /// The command whose steps are shown (an index into `commands`).
    pub selected: Option<usize>,
    /// The current step (0-based) of the selected command.
    pub step: usize,
    /// The view shown beside the terminal.
    pub view: View,
    /// Whether the steps are playing.
    pub playing: bool,
    /// The namespace types the namespace view draws (pid and net to start with).
    pub ns_kinds: Vec<porthole_engine::kernel::NsKind>,
    /// Following a `porthole serve` daemon: the index of the next log entry to apply.
    /// The terminal is then the docker CLI's, not the page's.
    pub follow: Option<usize>,
}

impl Session {
    /// A fresh simulated host. `porthole sim --seed <seed>` given the same commands
    /// produces the same IDs, names, output and state digest.
    pub fn new(seed: u64) -> Session {
        Session::on_host(seed, HostSettings::default())
    }

    /// A fresh simulated host with these CPUs, memory and cgroup layout.
    pub fn on_host(seed: u64, host: HostSettings) -> Session {
        let config = porthole_engine::SimConfig {
            cpus: host.cpus,
            memory_bytes: host.memory_bytes,
            cgroup_version: host.cgroup_version,
            ..Default::default()
        };
        let mut engine = Engine::new(seed, SimKernel::new(config));
        engine.set_recording(true);
        let initial = Rc::new(engine.snapshot());
        Session {
            engine: Rc::new(RefCell::new(engine)),
            seed,
            host,
            initial,
            commands: Vec::new(),
            selected: None,
            step: 0,
            view: View::default(),
            playing: false,
            ns_kinds: vec![
                porthole_engine::kernel::NsKind::Pid,
                porthole_engine::kernel::NsKind::Net,
            ],
            follow: None,
        }
    }

    /// A fresh host that has already run `lines` (blank lines skipped).
    pub fn with_script<S: AsRef<str>>(seed: u64, lines: &[S]) -> Session {
        Session::on_host_with_script(seed, HostSettings::default(), lines)
    }

    /// [`Session::with_script`] on a host with these settings.
    pub fn on_host_with_script<S: AsRef<str>>(
        seed: u64,
        host: HostSettings,
        lines: &[S],
    ) -> Session {
        let mut s = Session::on_host(seed, host);
        for l in lines {
            s.run(l.as_ref());
        }
        s
    }

    /// The engine's state digest (see `Engine::digest`).
    pub fn digest(&self) -> String {
        self.engine.borrow().digest()
    }

    fn run(&mut self, line: &str) -> bool {
        let line = line.trim();
        if line.is_empty() {
            return false;
        }
        let outcome = self.engine.borrow_mut().execute_next(line);
        let index = self.commands.len();
        self.step = outcome.steps.len().saturating_sub(1);
        self.commands.push(Rc::new(Command { index, outcome }));
        self.selected = Some(index);
        true
    }

    /// Runs a line at a given virtual time (a daemon's log entry).
    fn run_at(&mut self, line: &str, at: u64) {
        let now = self.engine.borrow().now().0.max(at);
        let outcome = self
            .engine
            .borrow_mut()
            .execute(line, porthole_engine::Time(now));
        let index = self.commands.len();
        self.step = outcome.steps.len().saturating_sub(1);
        self.commands.push(Rc::new(Command { index, outcome }));
        self.selected = Some(index);
    }

    /// The command whose steps are shown.
    pub fn current(&self) -> Option<&Rc<Command>> {
        self.selected.and_then(|i| self.commands.get(i))
    }

    /// Number of steps of the selected command (0 if none).
    pub fn step_count(&self) -> usize {
        self.current().map_or(0, |c| c.steps().len())
    }

    pub fn current_step(&self) -> Option<&Step> {
        self.current().and_then(|c| c.steps().get(self.step))
    }

    /// The host as it was right after the current step: what the listing shows.
    pub fn current_snapshot(&self) -> &Snapshot {
        self.current()
            .and_then(|c| c.snapshot_after(self.step))
            .unwrap_or(&self.initial)
    }

    /// The host as it was right before the current step: the views mark what is new
    /// since (a container's veth, a cgroup, a file copied up into the RW layer).
    pub fn snapshot_before_step(&self) -> &Snapshot {
        self.current()
            .and_then(|c| {
                let snaps = &c.outcome.snapshots;
                if c.outcome.steps.is_empty() {
                    snaps.last()
                } else {
                    snaps.get(self.step)
                }
            })
            .unwrap_or(&self.initial)
    }

    /// The lines run so far, oldest first (the terminal's history).
    pub fn history(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.commands.iter().map(|c| c.outcome.line.as_str())
    }

    fn with_position(self: &Rc<Self>, selected: Option<usize>, step: usize) -> Rc<Self> {
        if selected == self.selected && step == self.step {
            return Rc::clone(self);
        }
        Rc::new(Session {
            selected,
            step,
            ..(**self).clone()
        })
    }

    /// The files of an image layer (by diff ID), from the engine's layer store.
    pub fn layer_files(&self, diff_id: &str) -> Vec<porthole_engine::snapshot::LayerFile> {
        self.engine.borrow().layer_files(diff_id)
    }

    /// `docker inspect` of one object as the host has it now (after the last command).
    pub fn inspect(
        &self,
        kind: porthole_engine::snapshot::InspectKind,
        name: &str,
    ) -> Option<serde_json::Value> {
        self.engine.borrow().inspect_json(kind, name)
    }

    /// The snapshots of the session up to the current step, oldest first: the history
    /// the cgroup view plots.
    pub fn history_until_now(&self) -> Vec<&Snapshot> {
        let mut out = vec![&*self.initial];
        let Some(sel) = self.selected else {
            return out;
        };
        for c in &self.commands[..sel] {
            out.extend(c.outcome.snapshots.iter().skip(1));
        }
        if let Some(c) = self.commands.get(sel) {
            let snaps = &c.outcome.snapshots;
            let upto = if c.outcome.steps.is_empty() {
                snaps.len()
            } else {
                (self.step + 2).min(snaps.len())
            };
            out.extend(snaps.iter().take(upto).skip(1));
        }
        out
    }

    /// The session as a URL query: seed, host settings and every command line, so that
    /// opening it replays to the same state (see `AppProps::from_location`).
    pub fn share_query(&self) -> String {
        let mut q = format!("?seed={}", self.seed);
        let d = HostSettings::default();
        if self.host.cpus != d.cpus {
            q.push_str(&format!("&cpus={}", self.host.cpus));
        }
        if self.host.memory_bytes != d.memory_bytes {
            q.push_str(&format!("&memory={}m", self.host.memory_bytes >> 20));
        }
        if self.host.cgroup_version != d.cgroup_version {
            q.push_str(&format!("&cgroup={}", self.host.cgroup_version));
        }
        if self.view != View::default() {
            q.push_str("&view=");
            q.push_str(self.view.id());
        }
        for line in self.history() {
            q.push_str("&run=");
            q.push_str(&url_encode(line));
        }
        q
    }

    /// The session as a file: a header line with the seed and host, then one command a
    /// line. [`Action::Import`] reads it back.
    pub fn export(&self) -> String {
        let mut out = format!(
            "# porthole session seed={} cpus={} memory={}m cgroup={}\n",
            self.seed,
            self.host.cpus,
            self.host.memory_bytes >> 20,
            self.host.cgroup_version
        );
        for line in self.history() {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Reads an exported session: `None` unless the file starts with the header.
    pub fn import(text: &str) -> Option<Session> {
        let mut lines = text.lines();
        let header = lines.next()?.strip_prefix("# porthole session")?;
        let mut seed = 0;
        let mut host = HostSettings::default();
        for kv in header.split_whitespace() {
            let (k, v) = kv.split_once('=')?;
            match k {
                "seed" => seed = v.parse().ok()?,
                "cpus" => host.cpus = v.parse().ok().filter(|c| (1..=64).contains(c))?,
                "memory" => {
                    host.memory_bytes = porthole_engine::resources::ram_in_bytes(v)
                        .ok()
                        .filter(|m| *m >= 64 << 20)? as u64
                }
                "cgroup" => host.cgroup_version = v.parse().ok().filter(|v| *v == 1 || *v == 2)?,
                _ => {}
            }
        }
        let script: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
        Some(Session::on_host_with_script(seed, host, &script))
    }
}

/// Percent-encodes a query value (spaces as %20), leaving unreserved characters as
/// they are.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Reducible for Session {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let count = self.step_count();
        match action {
            // While following a daemon, commands come from its docker CLI.
            Action::Run(_) if self.follow.is_some() => self,
            Action::Follow {
                seed,
                from,
                next,
                entries,
            } => {
                let mut s = match self.follow {
                    Some(n) if seed == self.seed && n == from => Session {
                        playing: false,
                        ..(*self).clone()
                    },
                    _ if from == 0 => Session {
                        view: self.view,
                        ns_kinds: self.ns_kinds.clone(),
                        ..Session::new(seed)
                    },
                    // A gap: wait for the answer that starts where we are.
                    _ => return self,
                };
                if entries.is_empty() && s.follow == Some(next) {
                    return self;
                }
                for (at, line) in &entries {
                    s.run_at(line, *at);
                }
                s.follow = Some(next);
                Rc::new(s)
            }
            Action::Unfollow if self.follow.is_some() => Rc::new(Session {
                view: self.view,
                ns_kinds: self.ns_kinds.clone(),
                ..Session::new(0)
            }),
            Action::Run(line) => {
                let mut next = Session {
                    playing: false,
                    ..(*self).clone()
                };
                if next.run(&line) {
                    Rc::new(next)
                } else {
                    self
                }
            }
            Action::SelectStep(n) if n < count => self.with_position(self.selected, n),
            Action::Prev if self.step > 0 => self.with_position(self.selected, self.step - 1),
            Action::Next if self.step + 1 < count => {
                self.with_position(self.selected, self.step + 1)
            }
            Action::SelectCommand(i) if i < self.commands.len() => {
                let last = self.commands[i].steps().len().saturating_sub(1);
                self.with_position(Some(i), last)
            }
            Action::Replay(i) if i < self.commands.len() => self.with_position(Some(i), 0),
            Action::Show(view) if view != self.view => Rc::new(Session {
                view,
                ..(*self).clone()
            }),
            Action::Play(on) if on != self.playing => {
                // Playing from the last step starts over from the first.
                let step = if on && self.step + 1 >= count {
                    0
                } else {
                    self.step
                };
                Rc::new(Session {
                    playing: on && count > 1,
                    step,
                    ..(*self).clone()
                })
            }
            Action::Tick if self.playing => Rc::new(Session {
                step: (self.step + 1).min(count.saturating_sub(1)),
                playing: self.step + 2 < count,
                ..(*self).clone()
            }),
            Action::ToggleNamespace(kind) => {
                let mut ns_kinds = self.ns_kinds.clone();
                match ns_kinds.iter().position(|k| *k == kind) {
                    Some(i) => {
                        ns_kinds.remove(i);
                    }
                    None => {
                        ns_kinds.push(kind);
                        ns_kinds.sort();
                    }
                }
                Rc::new(Session {
                    ns_kinds,
                    ..(*self).clone()
                })
            }
            Action::Import(text) => match Session::import(&text) {
                Some(s) => Rc::new(Session {
                    view: self.view,
                    ns_kinds: self.ns_kinds.clone(),
                    ..s
                }),
                None => self,
            },
            _ => self,
        }
    }
}

/// Versions of the state are equal when they show the same thing: same engine, same
/// commands (by identity), same position.
impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.engine, &other.engine)
            && self.selected == other.selected
            && self.step == other.step
            && self.view == other.view
            && self.playing == other.playing
            && self.ns_kinds == other.ns_kinds
            && self.commands.len() == other.commands.len()
            && self
                .commands
                .iter()
                .zip(&other.commands)
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(s: &Rc<Session>, a: Action) -> Rc<Session> {
        Rc::clone(s).reduce(a)
    }

    #[test]
    fn run_selects_the_last_step_and_snapshots_follow_the_steps() {
        let s = Rc::new(Session::new(0));
        assert_eq!(s.step_count(), 0);
        assert!(s.current_snapshot().containers.is_empty());

        let s = reduce(&s, Action::Run("docker run -d --name web nginx".into()));
        let n = s.step_count();
        assert!(n > 20);
        assert_eq!((s.selected, s.step), (Some(0), n - 1));
        assert_eq!(s.current().unwrap().outcome.snapshots.len(), n + 1);
        assert_eq!(s.current_snapshot().containers.len(), 1);

        // Back to the first step: nothing pulled or created yet.
        let mut back = Rc::clone(&s);
        for _ in 0..n + 5 {
            back = reduce(&back, Action::Prev);
        }
        assert_eq!(back.step, 0);
        assert!(back.current_snapshot().containers.is_empty());
        assert!(back.current_snapshot().images.is_empty());
        // Next stops at the end; SelectStep ignores steps that do not exist.
        let end = reduce(&reduce(&s, Action::Next), Action::SelectStep(n));
        assert!(Rc::ptr_eq(&end, &s), "no-ops return the same state");
        assert_eq!(reduce(&s, Action::SelectStep(3)).step, 3);
    }

    #[test]
    fn blank_lines_do_nothing_and_earlier_commands_reopen_at_their_end() {
        let s = Rc::new(Session::with_script(
            0,
            &["docker run -d --name web nginx", "docker rm -f web"],
        ));
        assert!(Rc::ptr_eq(&reduce(&s, Action::Run("   ".into())), &s));
        assert!(s.current_snapshot().containers.is_empty());
        let first = reduce(&s, Action::SelectCommand(0));
        assert_eq!(first.selected, Some(0));
        assert_eq!(first.step, first.step_count() - 1);
        assert_eq!(first.current_snapshot().containers.len(), 1);
        assert!(Rc::ptr_eq(&reduce(&s, Action::SelectCommand(9)), &s));
        assert_eq!(
            s.history().collect::<Vec<_>>(),
            ["docker run -d --name web nginx", "docker rm -f web"]
        );
    }

    #[test]
    fn a_command_without_steps_shows_the_state_it_left() {
        let s = Rc::new(Session::with_script(
            0,
            &["docker run -d --name web nginx", "ls"],
        ));
        assert_eq!(s.current().unwrap().outcome.exit_code, 127);
        assert_eq!(s.step_count(), 0);
        assert_eq!(s.current_snapshot().containers.len(), 1);
        assert!(Rc::ptr_eq(&reduce(&s, Action::Prev), &s));
        assert!(Rc::ptr_eq(&reduce(&s, Action::Next), &s));
    }

    #[test]
    fn recording_does_not_change_the_state() {
        let lines = [
            "docker run -d --name web nginx",
            "docker run --rm busybox echo hi",
        ];
        let mut plain = Engine::sim(7);
        for l in lines {
            plain.execute_next(l);
        }
        assert_eq!(Session::with_script(7, &lines).digest(), plain.digest());
    }

    #[test]
    fn play_ticks_to_the_last_step_then_stops_and_replay_starts_over() {
        let s = Rc::new(Session::with_script(0, &["docker run -d --name web nginx"]));
        let n = s.step_count();
        // Playing from the end starts over from the first step.
        let mut p = reduce(&s, Action::Play(true));
        assert!(p.playing);
        assert_eq!(p.step, 0);
        for i in 1..n {
            p = reduce(&p, Action::Tick);
            assert_eq!(p.step, i);
        }
        assert!(!p.playing, "stops at the last step");
        assert!(Rc::ptr_eq(&reduce(&p, Action::Tick), &p));
        let paused = reduce(
            &reduce(&reduce(&s, Action::Replay(0)), Action::Play(true)),
            Action::Tick,
        );
        assert_eq!((paused.step, paused.playing), (1, true));
        assert!(!reduce(&paused, Action::Play(false)).playing);
        // Running a command stops playing.
        assert!(!reduce(&paused, Action::Run("docker ps".into())).playing);
        assert_eq!(reduce(&s, Action::Show(View::Network)).view, View::Network);
    }

    #[test]
    fn the_link_and_the_file_hold_the_seed_host_and_commands() {
        let lines = ["docker run -d --name web -p 8080:80 nginx", "docker ps"];
        let host = HostSettings {
            cpus: 2,
            memory_bytes: 2 << 30,
            cgroup_version: 1,
        };
        let s = Session::on_host_with_script(7, host, &lines);
        assert_eq!(
            s.share_query(),
            "?seed=7&cpus=2&memory=2048m&cgroup=1\
             &run=docker%20run%20-d%20--name%20web%20-p%208080%3A80%20nginx&run=docker%20ps"
        );
        let text = s.export();
        assert_eq!(
            text,
            "# porthole session seed=7 cpus=2 memory=2048m cgroup=1\n\
             docker run -d --name web -p 8080:80 nginx\ndocker ps\n"
        );
        let back = Session::import(&text).expect("an exported file imports");
        assert_eq!((back.seed, back.host), (7, host));
        assert_eq!(back.digest(), s.digest());
        assert!(
            Session::import("docker ps\n").is_none(),
            "no header, no session"
        );
        let before = Rc::new(Session::new(0));
        assert!(Rc::ptr_eq(
            &reduce(&before, Action::Import("junk".into())),
            &before
        ));
        assert_eq!(reduce(&before, Action::Import(text)).digest(), s.digest());
    }

    #[test]
    fn history_until_now_follows_the_position() {
        let s = Rc::new(Session::with_script(
            0,
            &["docker run -d --name web nginx", "wait 5s"],
        ));
        let first = &s.commands[0];
        let all =
            1 + (first.outcome.snapshots.len() - 1) + (s.commands[1].outcome.snapshots.len() - 1);
        assert_eq!(s.history_until_now().len(), all);
        let back = reduce(&reduce(&s, Action::SelectCommand(0)), Action::SelectStep(2));
        // The host before anything, then the first command's snapshots up to step 3.
        assert_eq!(back.history_until_now().len(), 1 + 3);
        assert_eq!(
            back.history_until_now().last().unwrap().time,
            back.current_snapshot().time
        );
    }

    #[test]
    fn following_a_daemon_replays_its_log_and_ignores_the_terminal() {
        let s = Rc::new(Session::new(0));
        let t0 = porthole_engine::time::DEFAULT_EPOCH.0 + 5_000_000_000;
        let log = vec![
            (t0, "docker run -d --name web nginx".to_string()),
            (t0 + 2_000_000_000, "docker stop web".to_string()),
        ];
        let f = reduce(
            &s,
            Action::Follow {
                seed: 7,
                from: 0,
                next: 1,
                entries: log[..1].to_vec(),
            },
        );
        assert_eq!((f.seed, f.follow, f.commands.len()), (7, Some(1), 1));
        // The terminal is the daemon's CLI now.
        assert!(Rc::ptr_eq(&reduce(&f, Action::Run("docker ps".into())), &f));
        // An answer that does not start where the page is waits for the right one.
        let gap = Action::Follow {
            seed: 7,
            from: 2,
            next: 3,
            entries: Vec::new(),
        };
        assert!(Rc::ptr_eq(&reduce(&f, gap), &f));
        let f = reduce(
            &f,
            Action::Follow {
                seed: 7,
                from: 1,
                next: 2,
                entries: log[1..].to_vec(),
            },
        );
        assert_eq!(f.commands.len(), 2);
        // The same lines at the same times in a plain engine: the same state.
        let mut e = Engine::sim(7);
        for (at, line) in &log {
            e.execute(line, porthole_engine::Time(*at));
        }
        assert_eq!(f.digest(), e.digest());
        let back = reduce(&f, Action::Unfollow);
        assert_eq!((back.follow, back.commands.len()), (None, 0));
    }
}
