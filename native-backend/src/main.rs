//! `porthole`: runs docker commands in the simulation from a terminal (and, behind the
//! `native` feature, for real on Linux — see issue 7).

mod serve;

mod context;
use clap::{Parser, Subcommand};
use porthole_engine::{CommandOutcome, Engine, Stream};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "porthole",
    version,
    about = "A window into a container: a deterministic Docker host you can step through"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Run docker commands in the simulated Docker host
    Sim(SimArgs),
    /// Serve the Docker Engine API on a unix socket: the real docker CLI drives the simulation
    Serve(serve::ServeArgs),
    /// Run docker commands for real on this Linux host (needs the `native` feature)
    Native {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
}

#[derive(clap::Args, Debug)]
struct SimArgs {
    /// Seed for IDs, names and everything else random (same seed + same commands = same output)
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// After each command, print its numbered steps: `[component] what happened — why`
    #[arg(long)]
    trace: bool,
    /// Print `digest: <hex>` of the whole engine state at the end
    #[arg(long)]
    digest: bool,
    /// A docker command to run (repeatable); otherwise commands come from FILE or stdin
    #[arg(short = 'c', long = "command", value_name = "COMMAND")]
    commands: Vec<String>,
    /// CPUs of the simulated host
    #[arg(long = "host-cpus", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=256))]
    host_cpus: u32,
    /// Memory of the simulated host (e.g. 8g, 512m)
    #[arg(long = "host-memory", default_value = "8g", value_parser = parse_memory)]
    host_memory: u64,
    /// cgroup layout of the simulated host: 2 (unified) or 1 (legacy, per controller)
    #[arg(long = "cgroup-version", default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    cgroup_version: u8,
    /// Start dockerd with --userns-remap=default (root in a container = UID 100000 outside)
    #[arg(long = "userns-remap")]
    userns_remap: bool,
    /// A file of docker commands, one per line (`#` comments and blank lines skipped)
    file: Option<std::path::PathBuf>,
}

fn parse_memory(s: &str) -> Result<u64, String> {
    let v = porthole_engine::resources::ram_in_bytes(s)?;
    if v < (64 << 20) {
        return Err("the simulated host needs at least 64MiB".into());
    }
    Ok(v as u64)
}

fn print_outcome(o: &CommandOutcome, trace: bool) {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    for chunk in &o.output {
        // Both streams are flushed chunk by chunk so that a terminal shows them in order.
        let _ = match chunk.stream {
            Stream::Stdout => out
                .write_all(chunk.text.as_bytes())
                .and_then(|_| out.flush()),
            Stream::Stderr => err
                .write_all(chunk.text.as_bytes())
                .and_then(|_| err.flush()),
        };
    }
    if trace {
        for (i, s) in o.steps.iter().enumerate() {
            let _ = writeln!(out, "{:>4}. {s}", i + 1);
        }
        let _ = out.flush();
    }
}

fn script_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn sim(args: SimArgs) -> ExitCode {
    let config = porthole_engine::SimConfig {
        cpus: args.host_cpus,
        memory_bytes: args.host_memory,
        cgroup_version: args.cgroup_version,
        ..Default::default()
    };
    let mut engine = Engine::new(args.seed, porthole_engine::SimKernel::new(config));
    engine.set_userns_remap(args.userns_remap);
    let mut last = 0;
    let run = |engine: &mut Engine<_>, line: &str| {
        context::sync_build_context(engine, line);
        let o = engine.execute_next(line);
        print_outcome(&o, args.trace);
        o.exit_code
    };
    let lines: Option<Vec<String>> = if !args.commands.is_empty() {
        Some(args.commands.clone())
    } else if let Some(path) = &args.file {
        match std::fs::read_to_string(path) {
            Ok(t) => Some(script_lines(&t)),
            Err(e) => {
                eprintln!("porthole: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    } else if !std::io::stdin().is_terminal() {
        let mut text = String::new();
        for l in std::io::stdin().lock().lines() {
            match l {
                Ok(l) => {
                    text.push_str(&l);
                    text.push('\n');
                }
                Err(e) => {
                    eprintln!("porthole: reading stdin: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        Some(script_lines(&text))
    } else {
        None
    };
    match lines {
        Some(lines) => {
            for l in &lines {
                last = run(&mut engine, l);
            }
        }
        None => {
            // Interactive: a prompt with history.
            let Ok(mut rl) = rustyline::DefaultEditor::new() else {
                eprintln!("porthole: cannot open the terminal");
                return ExitCode::from(2);
            };
            println!(
                "Porthole simulated Docker host (seed {}). Type docker commands; Ctrl-D to quit.",
                args.seed
            );
            loop {
                match rl.readline("$ ") {
                    Ok(line) => {
                        let line = line.trim();
                        if line.is_empty() || line.starts_with('#') {
                            continue;
                        }
                        let _ = rl.add_history_entry(line);
                        if line == "exit" || line == "quit" {
                            break;
                        }
                        last = run(&mut engine, line);
                    }
                    Err(rustyline::error::ReadlineError::Interrupted) => continue,
                    Err(_) => break,
                }
            }
        }
    }
    if args.digest {
        println!("digest: {}", engine.digest());
    }
    ExitCode::from((last & 0xff) as u8)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Sim(a) => sim(a),
        Cmd::Serve(a) => serve::serve(a),
        Cmd::Native { .. } => {
            eprintln!("porthole: the native Linux backend is not available in this build (it comes with the `native` feature; see issue 7)");
            ExitCode::from(1)
        }
    }
}
