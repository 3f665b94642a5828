//! `docker build DIR` in `porthole sim`: before the line runs, the real directory's
//! files are copied into the simulated host's tree where the engine will look for them
//! (`porthole_engine::build::build_context_of`: the same absolute path, a relative one
//! under the simulated /root). The engine itself does no I/O.

use porthole_engine::{Engine, Kernel};
use std::path::Path;

/// Copies the build context a `docker build` line names, if the directory exists on
/// the real disk (else the simulated host's own files, made with `host mkdir`/`host
/// echo`, are used as they are).
pub fn sync_build_context<K: Kernel>(engine: &mut Engine<K>, line: &str) {
    let Some((sim_dir, sim_df)) = porthole_engine::build::build_context_of(line) else {
        return;
    };
    let Some(real_dir) = real_context_dir(line) else {
        return;
    };
    if !real_dir.is_dir() {
        return;
    }
    copy_dir(engine, &real_dir, &sim_dir, 0);
    // A -f Dockerfile outside the context directory.
    if !sim_df.starts_with(&format!("{sim_dir}/")) {
        if let Ok(bytes) = std::fs::read(&sim_df) {
            let _ = engine.host_put_file(&sim_df, &bytes);
        }
    }
}

/// The context argument as a real path (relative to the current directory).
fn real_context_dir(line: &str) -> Option<std::path::PathBuf> {
    let words = porthole_engine::cli::split(line)?;
    let mut ctx = None;
    let mut i = 2;
    while i < words.len() {
        let w = &words[i];
        if matches!(
            w.as_str(),
            "-f" | "--file" | "-t" | "--tag" | "--build-arg" | "--label" | "--target"
        ) {
            i += 2;
            continue;
        }
        if !w.starts_with('-') && w != "build" {
            ctx = Some(w.clone());
        }
        i += 1;
    }
    Some(std::path::PathBuf::from(ctx?))
}

fn copy_dir<K: Kernel>(engine: &mut Engine<K>, real: &Path, sim: &str, depth: usize) {
    if depth > 32 {
        return;
    }
    let _ = engine.host_put_dir(sim);
    let Ok(rd) = std::fs::read_dir(real) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        let path = e.path();
        let sim_path = format!("{}/{name}", sim.trim_end_matches('/'));
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            copy_dir(engine, &path, &sim_path, depth + 1);
        } else if ft.is_file() {
            if let Ok(bytes) = std::fs::read(&path) {
                let _ = engine.host_put_file(&sim_path, &bytes);
            }
        }
    }
}
