//! The `pare` command. Parsing lives in `cli`, running in `app`, everything else in the library.
#![forbid(unsafe_code)]

mod app;
mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    app::run(cli::Cli::parse()).into()
}
