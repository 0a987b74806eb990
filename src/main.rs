use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    agones_lint::app::run(agones_lint::cli::Cli::parse())
}
