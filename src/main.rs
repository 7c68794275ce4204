//! The `pare` command: arguments and printing live in `cli`, everything else in the library.
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse()).into()
}
