use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Extism lets this variable route a plugin's WASI stdout and stderr to ours, which would
    // mix a plugin's output into reports. Removed before any thread starts.
    std::env::remove_var("EXTISM_ENABLE_WASI_OUTPUT");
    agones_lint::app::run(agones_lint::cli::Cli::parse())
}
