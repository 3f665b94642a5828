//! The file programs of a container's shell: redirections into files (`> /f`, `>> /f`,
//! `2> /f`), rm, rmdir, mkdir, touch, mv, cp, ln, chmod, du, find and tee. They act on the
//! process's [`Fs`](crate::fs::Fs): the overlay union with its mounts, under a scratch
//! layer whose changes the kernel applies when the program runs. BusyBox (busybox,
//! alpine) and GNU coreutils (Debian, Ubuntu and the images built on them) word their
//! errors differently, as they do for real.

use super::{absolute, bad_option, getopt, gnu, Flow, ProcCtx, Run, Sink};
use crate::fs::{normalize, FsError, Node, NodeKind};

/// musl's strerror (alpine) differs from glibc's for a few errors.
fn musl(ctx: &ProcCtx<'_>) -> bool {
    ctx.fs.lstat("/etc/alpine-release").is_some()
}

fn msg(ctx: &ProcCtx<'_>, e: FsError) -> &'static str {
    match e {
        FsError::Busy if !musl(ctx) => "Device or resource busy",
        e => e.message(),
    }
}

/// BusyBox's usage text for a missing operand.
fn bb_usage(r: &mut Run, usage: &str) -> Flow {
    r.err(format!(
        "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: {usage}\n"
    ));
    Flow::Status(1)
}

fn missing_operand(ctx: &ProcCtx<'_>, r: &mut Run, prog: &str, usage: &str) -> Flow {
    if gnu(ctx) {
        r.err(format!(
            "{prog}: missing operand\nTry '{prog} --help' for more information.\n"
        ));
        Flow::Status(1)
    } else {
        bb_usage(r, usage)
    }
}

fn basename(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    t.rsplit('/').next().unwrap_or(t)
}

fn is_dir(ctx: &ProcCtx<'_>, path: &str) -> bool {
    ctx.fs
        .resolve(path)
        .is_some_and(|(_, s)| matches!(s.node.kind, NodeKind::Dir { .. }))
}

/// `ls -l` rows: BusyBox's fixed columns, or GNU's computed widths; with `total`, the
/// 1 KiB blocks of the entries first, as both print for a directory.
pub(super) fn ls_long(ctx: &ProcCtx<'_>, rows: &[(String, Node)], total: bool) -> String {
    let mut s = String::new();
    if total {
        let blocks: u64 = rows.iter().map(|(_, n)| blocks_kb(&n.kind)).sum();
        s.push_str(&format!("total {blocks}\n"));
    }
    if !gnu(ctx) {
        for (name, node) in rows {
            s.push_str(&super::ls_long_line(node, name));
        }
        return s;
    }
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|(name, n)| {
            let (t, size, tail, links) = match &n.kind {
                NodeKind::Dir { .. } => ('d', 4096, String::new(), 2),
                NodeKind::Symlink { target } => {
                    ('l', target.len() as u64, format!(" -> {target}"), 1)
                }
                NodeKind::File { size, .. } => ('-', *size, String::new(), 1),
                NodeKind::Whiteout => ('c', 0, String::new(), 1),
            };
            let owner = super::user_name(ctx, n.uid);
            [
                format!("{t}{}", super::mode_string(n.mode)),
                links.to_string(),
                owner.clone(),
                owner,
                size.to_string(),
                format!("{name}{tail}"),
            ]
        })
        .collect();
    let w = |i: usize| cells.iter().map(|c| c[i].len()).max().unwrap_or(0);
    let (wl, wo, wg, ws) = (w(1), w(2), w(3), w(4));
    for c in &cells {
        s.push_str(&format!(
            "{} {:>wl$} {:<wo$} {:<wg$} {:>ws$} Jan  5 09:00 {}\n",
            c[0], c[1], c[2], c[3], c[4], c[5]
        ));
    }
    s
}

/// Opens the file of a redirection (`> FILE` truncates, `>> FILE` appends), creating it;
/// None after printing the shell's error when it cannot.
pub(super) fn open_redirect(
    ctx: &ProcCtx<'_>,
    r: &mut Run,
    file: &str,
    append: bool,
) -> Option<Sink> {
    let path = absolute(&ctx.cwd, file);
    match path.as_str() {
        "/dev/stdout" | "/proc/self/fd/1" => return Some(r.fds[0]),
        "/dev/stderr" | "/proc/self/fd/2" => return Some(r.fds[1]),
        _ => {}
    }
    match ctx.fs.write(&path, "", append) {
        Ok(()) => {
            r.files.push((path, String::new()));
            Some(Sink::File(r.files.len() - 1))
        }
        Err(e) => {
            let text = match r.shell.as_str() {
                "bash" => format!("bash: line 1: {file}: {}\n", e.message()),
                "dash" => format!(
                    "sh: 1: cannot create {file}: {}\n",
                    if e == FsError::NotFound {
                        "Directory nonexistent"
                    } else {
                        e.message()
                    }
                ),
                sh => format!(
                    "{sh}: can't create {file}: {}\n",
                    if e == FsError::NotFound {
                        "nonexistent directory"
                    } else {
                        e.message()
                    }
                ),
            };
            r.err(text);
            None
        }
    }
}

/// Writes out what the command wrote into the files it opened from `from` on.
pub(super) fn close_redirects(ctx: &ProcCtx<'_>, r: &mut Run, from: usize) {
    if from >= r.files.len() {
        return;
    }
    for (path, text) in r.files.split_off(from) {
        if !text.is_empty() {
            let _ = ctx.fs.write(&path, &text, true);
        }
    }
}

pub(super) fn command(ctx: &ProcCtx<'_>, r: &mut Run, name: &str, args: &[String]) -> Flow {
    match name {
        "rm" => rm(ctx, r, args),
        "rmdir" => rmdir(ctx, r, args),
        "mkdir" => mkdir(ctx, r, args),
        "touch" => touch(ctx, r, args),
        "mv" => mv_cp(ctx, r, args, true),
        "cp" => mv_cp(ctx, r, args, false),
        "ln" => ln(ctx, r, args),
        "chmod" => chmod(ctx, r, args),
        "du" => du(ctx, r, args),
        "tee" => tee(ctx, r, args),
        _ => find(ctx, r, args),
    }
}

fn rm(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, operands) = match getopt(args, "rRfidv", "") {
        Ok(o) => o,
        Err(c) => return bad_option(ctx, r, "rm", c),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let (recursive, force) = (has('r') || has('R'), has('f'));
    if operands.is_empty() {
        return if force {
            Flow::Status(0)
        } else {
            missing_operand(ctx, r, "rm", "rm [-irf] FILE...")
        };
    }
    let gnu = gnu(ctx);
    let mut status = 0;
    for p in &operands {
        let path = normalize(&absolute(&ctx.cwd, p));
        if recursive && path == "/" && gnu {
            r.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
            status = 1;
            continue;
        }
        let Some(st) = ctx.fs.lstat(&path) else {
            if !force {
                r.err(if gnu {
                    format!("rm: cannot remove '{p}': No such file or directory\n")
                } else {
                    format!("rm: can't remove '{p}': No such file or directory\n")
                });
                status = 1;
            }
            continue;
        };
        if matches!(st.node.kind, NodeKind::Dir { .. }) && !recursive {
            r.err(if gnu {
                format!("rm: cannot remove '{p}': Is a directory\n")
            } else {
                format!("rm: '{p}' is a directory\n")
            });
            status = 1;
            continue;
        }
        if let Err(e) = ctx.fs.remove(&path, true) {
            r.err(if gnu {
                format!("rm: cannot remove '{p}': {}\n", msg(ctx, e))
            } else {
                format!("rm: can't remove '{p}': {}\n", msg(ctx, e))
            });
            status = 1;
        }
    }
    Flow::Status(status)
}

fn rmdir(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (_, operands) = match getopt(args, "pv", "") {
        Ok(o) => o,
        Err(c) => return bad_option(ctx, r, "rmdir", c),
    };
    if operands.is_empty() {
        return missing_operand(ctx, r, "rmdir", "rmdir [-p] DIRECTORY...");
    }
    let mut status = 0;
    for p in &operands {
        let path = absolute(&ctx.cwd, p);
        let res = match ctx.fs.lstat(&path) {
            None => Err(FsError::NotFound),
            Some(st) if !matches!(st.node.kind, NodeKind::Dir { .. }) => Err(FsError::NotDir),
            Some(_) => ctx.fs.remove(&path, false),
        };
        if let Err(e) = res {
            r.err(if gnu(ctx) {
                format!("rmdir: failed to remove '{p}': {}\n", msg(ctx, e))
            } else {
                format!("rmdir: '{p}': {}\n", msg(ctx, e))
            });
            status = 1;
        }
    }
    Flow::Status(status)
}

/// An octal mode (`755`) or a symbolic one (`u+x`, `go-w`, `a=r`, `+x`) applied to `old`.
fn parse_mode(spec: &str, old: u32) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut mode = old;
    for clause in spec.split(',') {
        let op_at = clause.find(['+', '-', '='])?;
        let (who, rest) = clause.split_at(op_at);
        let mut mask = 0u32;
        for c in who.chars() {
            mask |= match c {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                'a' => 0o777,
                _ => return None,
            };
        }
        if who.is_empty() {
            mask = 0o777;
        }
        let op = rest.chars().next()?;
        let mut bits = 0u32;
        for c in rest[1..].chars() {
            bits |= match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                _ => return None,
            };
        }
        let bits = bits & mask;
        mode = match op {
            '+' => mode | bits,
            '-' => mode & !bits,
            _ => (mode & !mask) | bits,
        };
    }
    Some(mode)
}

fn mkdir(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, operands) = match getopt(args, "pv", "m") {
        Ok(o) => o,
        Err(c) => return bad_option(ctx, r, "mkdir", c),
    };
    let parents = opts.iter().any(|(o, _)| *o == 'p');
    let mode = match opts.iter().find(|(o, _)| *o == 'm') {
        Some((_, Some(m))) => match parse_mode(m, 0o777) {
            Some(m) => m,
            None => {
                r.err(format!("mkdir: invalid mode '{m}'\n"));
                return Flow::Status(1);
            }
        },
        _ => 0o755,
    };
    if operands.is_empty() {
        return missing_operand(ctx, r, "mkdir", "mkdir [-m MODE] [-p] DIRECTORY...");
    }
    let gnu = gnu(ctx);
    let mut status = 0;
    for p in &operands {
        let path = normalize(&absolute(&ctx.cwd, p));
        let res = if parents {
            let mut at = String::new();
            let mut res = Ok(());
            for part in path.split('/').filter(|c| !c.is_empty()) {
                at.push('/');
                at.push_str(part);
                match ctx.fs.resolve(&at) {
                    Some((_, st)) if matches!(st.node.kind, NodeKind::Dir { .. }) => {}
                    Some(_) => {
                        res = Err(FsError::NotDir);
                        break;
                    }
                    None => {
                        if let Err(e) = ctx.fs.mkdir(&at, mode) {
                            res = Err(e);
                            break;
                        }
                    }
                }
            }
            res
        } else {
            ctx.fs.mkdir(&path, mode)
        };
        if let Err(e) = res {
            r.err(if gnu {
                format!("mkdir: cannot create directory '{p}': {}\n", msg(ctx, e))
            } else {
                format!("mkdir: can't create directory '{p}': {}\n", msg(ctx, e))
            });
            status = 1;
        }
    }
    Flow::Status(status)
}

fn touch(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (_, operands) = match getopt(args, "acmh", "dtr") {
        Ok(o) => o,
        Err(c) => return bad_option(ctx, r, "touch", c),
    };
    if operands.is_empty() {
        return if gnu(ctx) {
            r.err("touch: missing file operand\nTry 'touch --help' for more information.\n");
            Flow::Status(1)
        } else {
            bb_usage(r, "touch [-c] [-d DATE] [-t DATE] [-r FILE] FILE...")
        };
    }
    let mut status = 0;
    for p in &operands {
        if let Err(e) = ctx.fs.touch(&absolute(&ctx.cwd, p)) {
            r.err(if gnu(ctx) {
                format!("touch: cannot touch '{p}': {}\n", msg(ctx, e))
            } else {
                format!("touch: {p}: {}\n", msg(ctx, e))
            });
            status = 1;
        }
    }
    Flow::Status(status)
}

fn mv_cp(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String], mv: bool) -> Flow {
    let prog = if mv { "mv" } else { "cp" };
    let flags = if mv { "finvT" } else { "rRapfdLPHvinT" };
    let (opts, operands) = match getopt(args, flags, "") {
        Ok(o) => o,
        Err(c) => return bad_option(ctx, r, prog, c),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let recursive = has('r') || has('R') || has('a');
    let gnu = gnu(ctx);
    if operands.len() < 2 {
        if !gnu {
            return bb_usage(
                r,
                if mv {
                    "mv [-fin] SOURCE DEST\nor: mv [-fin] SOURCE... DIRECTORY"
                } else {
                    "cp [-arPLHpfinlsTu] SOURCE DEST\nor: cp [-arPLHpfinlsu] SOURCE... { -t DIRECTORY | DIRECTORY }"
                },
            );
        }
        match operands.first() {
            None => r.err(format!(
                "{prog}: missing file operand\nTry '{prog} --help' for more information.\n"
            )),
            Some(x) => r.err(format!("{prog}: missing destination file operand after '{x}'\nTry '{prog} --help' for more information.\n")),
        }
        return Flow::Status(1);
    }
    let (srcs, dest) = operands.split_at(operands.len() - 1);
    let dest = &dest[0];
    let dest_path = absolute(&ctx.cwd, dest);
    let dest_dir = is_dir(ctx, &dest_path);
    if srcs.len() > 1 && !dest_dir {
        r.err(if gnu {
            format!("{prog}: target '{dest}' is not a directory\n")
        } else {
            format!("{prog}: '{dest}' is not a directory\n")
        });
        return Flow::Status(1);
    }
    let mut status = 0;
    for s in srcs {
        let spath = absolute(&ctx.cwd, s);
        let Some(st) = ctx.fs.lstat(&spath) else {
            r.err(if gnu {
                format!("{prog}: cannot stat '{s}': No such file or directory\n")
            } else {
                format!("{prog}: can't stat '{s}': No such file or directory\n")
            });
            status = 1;
            continue;
        };
        let (target, shown) = if dest_dir {
            let b = basename(s);
            (
                format!("{}/{b}", dest_path.trim_end_matches('/')),
                format!("{}/{b}", dest.trim_end_matches('/')),
            )
        } else {
            (dest_path.clone(), dest.clone())
        };
        let src_dir = is_dir(ctx, &spath);
        let res = if mv {
            ctx.fs.rename(&spath, &target)
        } else if src_dir && !recursive {
            r.err(if gnu {
                format!("cp: -r not specified; omitting directory '{s}'\n")
            } else {
                format!("cp: omitting directory '{s}'\n")
            });
            status = 1;
            continue;
        } else if !recursive && matches!(st.node.kind, NodeKind::Symlink { .. }) {
            // Without -r, cp follows a symlink and copies the file it names.
            match ctx.fs.resolve(&spath) {
                Some((real, _)) => ctx.fs.copy(&real, &target),
                None => Err(FsError::NotFound),
            }
        } else {
            ctx.fs.copy(&spath, &target)
        };
        if let Err(e) = res {
            let m = msg(ctx, e);
            r.err(match (mv, gnu, e) {
                (_, _, FsError::Invalid) if gnu => format!(
                    "{prog}: cannot {} a directory, '{s}', into itself, '{shown}'\n",
                    if mv { "move" } else { "copy" }
                ),
                (true, true, _) => format!("mv: cannot move '{s}' to '{shown}': {m}\n"),
                (true, false, _) => format!("mv: can't rename '{s}': {m}\n"),
                (false, true, _) if src_dir => {
                    format!("cp: cannot create directory '{shown}': {m}\n")
                }
                (false, true, _) => format!("cp: cannot create regular file '{shown}': {m}\n"),
                (false, false, _) => format!("cp: can't create '{shown}': {m}\n"),
            });
            status = 1;
        }
    }
    Flow::Status(status)
}

fn ln(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, operands) = match getopt(args, "sfnvT", "") {
        Ok(o) => o,
        Err(c) => return bad_option(ctx, r, "ln", c),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let gnu = gnu(ctx);
    if operands.is_empty() {
        return if gnu {
            r.err("ln: missing file operand\nTry 'ln --help' for more information.\n");
            Flow::Status(1)
        } else {
            bb_usage(r, "ln [-sfnbtv] [-S SUF] TARGET... LINK|DIR")
        };
    }
    let target = &operands[0];
    let link = match operands.get(1) {
        Some(l) => {
            let p = absolute(&ctx.cwd, l);
            if is_dir(ctx, &p) && !has('n') {
                (
                    format!("{}/{}", p.trim_end_matches('/'), basename(target)),
                    format!("{}/{}", l.trim_end_matches('/'), basename(target)),
                )
            } else {
                (p, l.clone())
            }
        }
        None => (
            absolute(&ctx.cwd, basename(target)),
            basename(target).to_string(),
        ),
    };
    if has('f') && ctx.fs.lstat(&link.0).is_some() {
        let _ = ctx.fs.remove(&link.0, false);
    }
    let res = if has('s') {
        ctx.fs.symlink(target, &link.0)
    } else {
        // A hard link: the model has no inodes, so it is a copy of the file.
        match ctx.fs.lstat(&link.0) {
            Some(_) => Err(FsError::Exists),
            None => ctx.fs.copy(&absolute(&ctx.cwd, target), &link.0),
        }
    };
    match res {
        Ok(()) => Flow::Status(0),
        Err(e) => {
            r.err(match (gnu, has('s')) {
                (true, true) => format!(
                    "ln: failed to create symbolic link '{}': {}\n",
                    link.1,
                    msg(ctx, e)
                ),
                (true, false) => format!(
                    "ln: failed to create hard link '{}': {}\n",
                    link.1,
                    msg(ctx, e)
                ),
                (false, _) => format!("ln: {}: {}\n", link.1, msg(ctx, e)),
            });
            Flow::Status(1)
        }
    }
}

fn chmod(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    // A mode like `-x` looks like an option: take the first non-flag word as the mode.
    let recursive = args.iter().any(|a| a == "-R");
    let rest: Vec<&String> = args.iter().filter(|a| *a != "-R").collect();
    let gnu = gnu(ctx);
    let Some((spec, files)) = rest.split_first() else {
        return missing_operand(ctx, r, "chmod", "chmod [-Rcvf] MODE[,MODE]... FILE...");
    };
    if files.is_empty() {
        return if gnu {
            r.err(format!(
                "chmod: missing operand after '{spec}'\nTry 'chmod --help' for more information.\n"
            ));
            Flow::Status(1)
        } else {
            bb_usage(r, "chmod [-Rcvf] MODE[,MODE]... FILE...")
        };
    }
    if parse_mode(spec, 0).is_none() {
        r.err(if gnu {
            format!("chmod: invalid mode: '{spec}'\nTry 'chmod --help' for more information.\n")
        } else {
            format!("chmod: invalid mode '{spec}'\n")
        });
        return Flow::Status(1);
    }
    let mut status = 0;
    for f in files {
        let path = absolute(&ctx.cwd, f);
        let mut paths = vec![normalize(&path)];
        if recursive {
            walk(ctx, &normalize(&path), &mut |p, _| {
                paths.push(p.to_string())
            });
        }
        for p in paths {
            let res = match ctx.fs.resolve(&p) {
                Some((_, st)) => {
                    let mode = parse_mode(spec, st.node.mode & 0o7777).unwrap_or(0);
                    ctx.fs.chmod(&p, mode)
                }
                None => Err(FsError::NotFound),
            };
            if let Err(e) = res {
                r.err(match (gnu, e) {
                    (true, FsError::NotFound) => {
                        format!("chmod: cannot access '{f}': No such file or directory\n")
                    }
                    (true, e) => format!("chmod: changing permissions of '{f}': {}\n", msg(ctx, e)),
                    (false, e) => format!("chmod: {f}: {}\n", msg(ctx, e)),
                });
                status = 1;
                break;
            }
        }
    }
    Flow::Status(status)
}

/// Every path under `dir` (not following symlinks), in name order, depth first.
fn walk(ctx: &ProcCtx<'_>, dir: &str, f: &mut dyn FnMut(&str, usize)) {
    fn go(ctx: &ProcCtx<'_>, dir: &str, depth: usize, f: &mut dyn FnMut(&str, usize)) {
        for name in ctx.fs.read_dir(dir) {
            let p = if dir == "/" {
                format!("/{name}")
            } else {
                format!("{dir}/{name}")
            };
            f(&p, depth);
            if ctx
                .fs
                .lstat(&p)
                .is_some_and(|s| matches!(s.node.kind, NodeKind::Dir { .. }))
            {
                go(ctx, &p, depth + 1, f);
            }
        }
    }
    go(ctx, dir, 1, f)
}

/// Disk usage in KiB as ext4 under overlayfs counts it: 4 KiB blocks, a directory one
/// block, a symlink's target inline.
fn blocks_kb(kind: &NodeKind) -> u64 {
    match kind {
        NodeKind::File { size, .. } => size.div_ceil(4096) * 4,
        NodeKind::Dir { .. } => 4,
        _ => 0,
    }
}

/// `du -h`: 1024-based, one decimal under 10, rounded up (GNU and BusyBox alike).
fn human_kb(kb: u64) -> String {
    if kb == 0 {
        return "0".into();
    }
    let units = ['K', 'M', 'G', 'T'];
    let mut v = kb as f64;
    let mut i = 0;
    while v >= 1024.0 && i < units.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if v < 10.0 {
        let t = (v * 10.0).ceil() / 10.0;
        if t < 10.0 {
            return format!("{t:.1}{}", units[i]);
        }
        return format!("{}{}", t as u64, units[i]);
    }
    format!("{}{}", v.ceil() as u64, units[i])
}

fn du(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, mut operands) = match getopt(args, "shakcxlL", "d") {
        Ok(o) => o,
        Err(c) => return bad_option(ctx, r, "du", c),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let (summary, human, all, total) = (has('s'), has('h'), has('a'), has('c'));
    if operands.is_empty() {
        operands.push(".".into());
    }
    let fmt = |kb: u64| if human { human_kb(kb) } else { kb.to_string() };
    let gnu = gnu(ctx);
    let mut out = String::new();
    let mut status = 0;
    let mut grand = 0;
    for p in &operands {
        let path = normalize(&absolute(&ctx.cwd, p));
        let Some(st) = ctx.fs.lstat(&path) else {
            r.err(if gnu {
                format!("du: cannot access '{p}': No such file or directory\n")
            } else {
                format!("du: {p}: No such file or directory\n")
            });
            status = 1;
            continue;
        };
        fn size(
            ctx: &ProcCtx<'_>,
            path: &str,
            shown: &str,
            kind: &NodeKind,
            lines: &mut Option<Lines<'_>>,
        ) -> u64 {
            let mut kb = blocks_kb(kind);
            if matches!(kind, NodeKind::Dir { .. }) {
                for name in ctx.fs.read_dir(path) {
                    let child = if path == "/" {
                        format!("/{name}")
                    } else {
                        format!("{path}/{name}")
                    };
                    let child_shown = format!("{}/{name}", shown.trim_end_matches('/'));
                    if let Some(st) = ctx.fs.lstat(&child) {
                        let k = size(ctx, &child, &child_shown, &st.node.kind, lines);
                        if let Some((out, all, fmt)) = lines {
                            if *all && !matches!(st.node.kind, NodeKind::Dir { .. }) {
                                out.push_str(&format!("{}\t{child_shown}\n", fmt(k)));
                            }
                        }
                        kb += k;
                    }
                }
                if let Some((out, _, fmt)) = lines {
                    out.push_str(&format!("{}\t{shown}\n", fmt(kb)));
                }
            }
            kb
        }
        let is_dir = matches!(st.node.kind, NodeKind::Dir { .. });
        let kb = if summary || !is_dir {
            let kb = size(ctx, &path, p, &st.node.kind, &mut None);
            out.push_str(&format!("{}\t{p}\n", fmt(kb)));
            kb
        } else {
            size(
                ctx,
                &path,
                p,
                &st.node.kind,
                &mut Some((&mut out, all, &fmt)),
            )
        };
        grand += kb;
    }
    if total {
        out.push_str(&format!("{}\ttotal\n", fmt(grand)));
    }
    r.out(out);
    Flow::Status(status)
}

/// Where `du` prints its per-directory lines: the output, `-a`, the size format.
type Lines<'a> = (&'a mut String, bool, &'a dyn Fn(u64) -> String);

/// tee: standard input to standard output and to each file (`-a` appends).
fn tee(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let (opts, files) = match getopt(args, "ai", "") {
        Ok(o) => o,
        Err(c) => return bad_option(ctx, r, "tee", c),
    };
    let append = opts.iter().any(|(o, _)| *o == 'a');
    let input = std::mem::take(&mut r.stdin);
    let mut status = 0;
    for f in &files {
        if let Err(e) = ctx.fs.write(&absolute(&ctx.cwd, f), &input, append) {
            r.err(if gnu(ctx) {
                format!("tee: {f}: {}\n", msg(ctx, e))
            } else {
                format!("tee: can't open '{f}': {}\n", msg(ctx, e))
            });
            status = 1;
        }
    }
    r.out(input);
    if r.stdin_eof {
        Flow::Status(status)
    } else {
        Flow::Forever
    }
}

/// A shell glob (`*`, `?`, `[abc]`) against a whole name.
fn glob(pat: &[char], name: &[char]) -> bool {
    match pat.first() {
        None => name.is_empty(),
        Some('*') => (0..=name.len()).any(|i| glob(&pat[1..], &name[i..])),
        Some('?') => !name.is_empty() && glob(&pat[1..], &name[1..]),
        Some('[') => {
            let Some(end) = pat.iter().position(|c| *c == ']') else {
                return name.first() == Some(&'[') && glob(&pat[1..], &name[1..]);
            };
            let set = &pat[1..end];
            let (neg, set) = match set.first() {
                Some('!') | Some('^') => (true, &set[1..]),
                _ => (false, set),
            };
            match name.first() {
                Some(c) => set.contains(c) != neg && glob(&pat[end + 1..], &name[1..]),
                None => false,
            }
        }
        Some(c) => name.first() == Some(c) && glob(&pat[1..], &name[1..]),
    }
}

fn find(ctx: &ProcCtx<'_>, r: &mut Run, args: &[String]) -> Flow {
    let gnu = gnu(ctx);
    let mut roots = Vec::new();
    let mut i = 0;
    while i < args.len() && !args[i].starts_with('-') {
        roots.push(args[i].clone());
        i += 1;
    }
    let (mut name, mut kind, mut maxdepth) = (None, None, usize::MAX);
    while i < args.len() {
        let a = args[i].as_str();
        let v = args.get(i + 1);
        match (a, v) {
            ("-name", Some(v)) => name = Some(v.chars().collect::<Vec<char>>()),
            ("-type", Some(v)) if matches!(v.as_str(), "f" | "d" | "l") => kind = v.chars().next(),
            ("-maxdepth", Some(v)) if v.parse::<usize>().is_ok() => {
                maxdepth = v.parse().unwrap_or(usize::MAX)
            }
            ("-print", _) => {
                i += 1;
                continue;
            }
            (_, None) if matches!(a, "-name" | "-type" | "-maxdepth") => {
                r.err(if gnu {
                    format!("find: missing argument to `{a}'\n")
                } else {
                    format!("find: {a} requires an argument\n")
                });
                return Flow::Status(1);
            }
            _ => {
                r.err(if gnu {
                    format!("find: unknown predicate `{a}'\n")
                } else {
                    format!("find: unrecognized: {a}\n")
                });
                return Flow::Status(1);
            }
        }
        i += 2;
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let matches = |path: &str, k: &NodeKind| {
        let base: Vec<char> = path.rsplit('/').next().unwrap_or(path).chars().collect();
        let kind_ok = match kind {
            Some('f') => matches!(k, NodeKind::File { .. }),
            Some('d') => matches!(k, NodeKind::Dir { .. }),
            Some('l') => matches!(k, NodeKind::Symlink { .. }),
            _ => true,
        };
        kind_ok && name.as_ref().is_none_or(|n| glob(n, &base))
    };
    let mut out = String::new();
    let mut status = 0;
    for root in &roots {
        let path = normalize(&absolute(&ctx.cwd, root));
        let Some(st) = ctx.fs.lstat(&path) else {
            r.err(if gnu {
                format!("find: '{root}': No such file or directory\n")
            } else {
                format!("find: {root}: No such file or directory\n")
            });
            status = 1;
            continue;
        };
        // The root's own name is matched as given (`find /etc -name etc` prints it).
        if matches(root.trim_end_matches('/'), &st.node.kind) {
            out.push_str(&format!("{root}\n"));
        }
        if matches!(st.node.kind, NodeKind::Dir { .. }) && maxdepth > 0 {
            let shown_base = root.trim_end_matches('/').to_string();
            walk(ctx, &path, &mut |p, depth| {
                if depth > maxdepth {
                    return;
                }
                let rel = &p[path.len()..];
                let rel = rel.trim_start_matches('/');
                let shown = format!("{shown_base}/{rel}");
                if let Some(s) = ctx.fs.lstat(p) {
                    if matches(p, &s.node.kind) {
                        out.push_str(&format!("{shown}\n"));
                    }
                }
            });
        }
    }
    r.out(out);
    Flow::Status(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_globs_and_sizes() {
        assert_eq!(parse_mode("755", 0), Some(0o755));
        assert_eq!(parse_mode("u+x", 0o644), Some(0o744));
        assert_eq!(parse_mode("go-r", 0o644), Some(0o600));
        assert_eq!(parse_mode("+x", 0o644), Some(0o755));
        assert_eq!(parse_mode("a=r", 0o755), Some(0o444));
        assert_eq!(parse_mode("bogus", 0), None);
        let g = |p: &str, n: &str| {
            glob(
                &p.chars().collect::<Vec<_>>(),
                &n.chars().collect::<Vec<_>>(),
            )
        };
        assert!(g("*.conf", "nginx.conf"));
        assert!(!g("*.conf", "nginx.con"));
        assert!(g("h?st[ns]", "hosts"));
        assert_eq!(human_kb(4), "4.0K");
        assert_eq!(human_kb(12), "12K");
        assert_eq!(human_kb(1536), "1.5M");
        assert_eq!(
            blocks_kb(&NodeKind::File {
                size: 4097,
                content: None
            }),
            8
        );
    }
}
