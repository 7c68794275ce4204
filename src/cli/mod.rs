//! The `pare` binary: parsed arguments in, exit code out. Each subcommand has a module that
//! turns its arguments into library calls and prints what they return; the library never
//! prints.

mod args;
mod clean;
mod config;
mod destination;
mod eval;
mod learn;
mod printer;
mod profile_use;
mod progress;
mod review_page;
mod signals;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, FromArgMatches};

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

/// Parses the command line (with the configuration file's settings for `clean`) and runs it.
pub fn main(argv: Vec<OsString>) -> ExitCode {
    let cli = match parse(argv) {
        Ok(cli) => cli,
        Err(ParseError::Usage(err)) => return usage_error(err),
        Err(ParseError::Config(err)) => {
            eprintln!("pare: error: {err:#}");
            return Exit::Error.into();
        }
    };
    run(cli).into()
}

/// Why a command line could not be parsed.
enum ParseError {
    /// The flags themselves.
    Usage(clap::Error),
    /// The configuration file.
    Config(anyhow::Error),
}

/// The command line, parsed; for `clean`, the configuration file's settings that no flag
/// overrides are added as the flags they name, and the settings in effect are noted.
fn parse(mut argv: Vec<OsString>) -> Result<Cli, ParseError> {
    let matches = Cli::command()
        .try_get_matches_from(&argv)
        .map_err(ParseError::Usage)?;
    let mut cli = Cli::from_arg_matches(&matches).map_err(ParseError::Usage)?;
    let Command::Clean(args) = &cli.command else {
        return Ok(cli);
    };
    let config =
        config::resolve(args.config.path.as_deref(), args.config.no_config).map_err(ParseError::Config)?;
    let given = matches
        .subcommand_matches("clean")
        .expect("a clean command has its matches");
    let mut from_config = Vec::new();
    let mut final_matches = given.clone();
    if let Some(config) = &config {
        let flags = config.flags(given).map_err(ParseError::Config)?;
        from_config = config.applied(given);
        if !flags.is_empty() {
            // Right after `clean`, so that nothing after `--` changes meaning.
            let at = argv
                .iter()
                .position(|arg| arg == "clean")
                .map_or(argv.len(), |at| at + 1);
            argv.splice(at..at, flags);
            let matches = Cli::command()
                .try_get_matches_from(&argv)
                .map_err(ParseError::Usage)?;
            cli = Cli::from_arg_matches(&matches).map_err(ParseError::Usage)?;
            final_matches = matches.subcommand_matches("clean").expect("still clean").clone();
        }
    }
    if let Command::Clean(args) = &mut cli.command {
        args.settings = config::in_effect(&final_matches, given, config.as_ref(), &from_config);
    }
    Ok(cli)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Exit {
    let result = match cli.command {
        Command::Clean(args) => clean::clean(args),
        Command::Learn(args) => learn::learn(args),
        Command::Eval(args) => eval::evaluate(args),
        Command::Profiles => list_profiles(),
        Command::Config(args) => config::resolve(args.path.as_deref(), args.no_config).and_then(|config| {
            io::stdout().write_all(config::show(config.as_ref()).as_bytes())?;
            Ok(Exit::Success)
        }),
        Command::Man => clap_mangen::Man::new(Cli::command())
            .render(&mut io::stdout())
            .map(|()| Exit::Success)
            .map_err(anyhow::Error::from),
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
    let recognisers = pare::text::rules::builtin_recognisers();
    for (name, description) in pare::text::rules::builtin_profiles() {
        writeln!(out, "{name:<12} {description}")?;
        if let Some(recogniser) = recognisers.iter().find(|recogniser| recogniser.name == name) {
            writeln!(
                out,
                "{:<12} applied with the default rules to {}",
                "",
                recogniser.signature.describe()
            )?;
        }
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
