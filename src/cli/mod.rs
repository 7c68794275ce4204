//! The `pare` binary: parsed arguments in, exit code out. Each subcommand has a module that
//! turns its arguments into library calls and prints what they return; the library never
//! prints.

mod args;
mod clean;
mod destination;
mod eval;
mod learn;
mod printer;
mod profile_use;
mod progress;
mod signals;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

pub use args::Cli;
use args::Command;

/// How a run ended. Higher variants outrank lower ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Everything is clean, or was cleaned.
    Success = 0,
    /// `--check` or `--diff` found inputs that would change.
    WouldChange = 1,
    /// A usage error, a bad rule file, or an input that failed.
    Error = 2,
    /// Stopped by SIGINT (128 + 2).
    Interrupted = 130,
    /// Stopped by SIGTERM (128 + 15).
    Terminated = 143,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Exit {
    let result = match cli.command {
        Command::Clean(args) => clean::clean(args),
        Command::Learn(args) => learn::learn(args),
        Command::Eval(args) => eval::evaluate(args),
        Command::Profiles => list_profiles(),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "pare", &mut io::stdout());
            Ok(Exit::Success)
        }
    };
    result.unwrap_or_else(|err| {
        if is_broken_pipe(&err) {
            return Exit::Success;
        }
        eprintln!("pare: error: {err:#}");
        Exit::Error
    })
}

/// Prints a command-line error as every other error is printed (`pare: error: ...`), or the
/// help or version asked for; returns the exit code.
pub fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            return ExitCode::from(Exit::Error as u8);
        }
        _ => {}
    }
    eprint!("pare: {}", err.render());
    ExitCode::from(Exit::Error as u8)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|err| err.kind() == io::ErrorKind::BrokenPipe)
}

fn list_profiles() -> anyhow::Result<Exit> {
    let mut out = io::stdout().lock();
    for (name, description) in pare::text::rules::builtin_profiles() {
        writeln!(out, "{name:<12} {description}")?;
    }
    Ok(Exit::Success)
}

/// The rayon pool every parallel stage runs on: `threads` workers, or one per core.
fn worker_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}

/// The output-file options that were given, each with its flag.
fn given<'a>(options: &[(&'a str, &'a Option<PathBuf>)]) -> Vec<(&'a str, &'a Path)> {
    (options.iter())
        .filter_map(|(flag, path)| Some((*flag, path.as_deref()?)))
        .collect()
}

/// Prints each problem found with a run's outputs and fails with `why`, when there is one.
fn refuse(problems: Vec<String>, why: &str) -> anyhow::Result<()> {
    for problem in &problems {
        eprintln!("pare: error: {problem}");
    }
    anyhow::ensure!(problems.is_empty(), "{why}");
    Ok(())
}
