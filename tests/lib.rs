//! Helpers shared by the end-to-end tests in `tests/tests/`: where the repository, the
//! cargo target directory and the built `porthole` binary are, and scratch directories
//! that clean up after themselves.
//!
//! - `cli`: the `porthole` binary, run as a user would (`cargo build -p porthole-native`
//!   first; `cargo xtask test` does).
//! - `e2e` (feature `e2e`): the web app from `dist/` in headless Chromium over WebDriver
//!   (`trunk build --release --offline` first; `cargo xtask test` does).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The repository's root (the workspace directory).
pub fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().expect("tests/ has a parent").to_path_buf()
}

/// The directory of the running test binary's profile (`…/target/debug` for
/// `…/target/debug/deps/cli-0123abcd`): where cargo put the workspace's binaries built
/// with the same profile.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let deps = exe
        .parent()
        .expect("a test binary lives in target/<profile>/deps");
    deps.parent().expect("deps/ has a parent").to_path_buf()
}

/// The cargo target directory: the nearest ancestor of the test binary holding cargo's
/// `CACHEDIR.TAG`, else `$CARGO_TARGET_DIR`, else `<repo>/target`.
pub fn target_dir() -> PathBuf {
    let profile = profile_dir();
    if let Some(dir) = profile
        .ancestors()
        .find(|d| d.join("CACHEDIR.TAG").is_file())
    {
        return dir.to_path_buf();
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => repo_root().join("target"),
    }
}

/// The `porthole` binary built by `cargo build -p porthole-native` with this test's
/// profile. Panics, saying how to build it, if it is not there.
pub fn porthole_bin() -> PathBuf {
    let bin = profile_dir().join(format!("porthole{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "the porthole binary is missing at {}: build it first with `cargo build -p porthole-native` \
         (`cargo xtask test` does)",
        bin.display()
    );
    bin
}

/// A fresh directory under the system's temp dir, removed with everything in it on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `<tmp>/porthole-<tag>-<pid>-<n>`, emptied first if a stale one exists.
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("porthole-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
