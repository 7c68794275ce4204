//! The `pare` command: arguments and printing live in `cli`, everything else in the library.
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match cli::Cli::try_parse() {
        Ok(parsed) => cli::run(parsed).into(),
        Err(err) => cli::usage_error(err),
    }
}
