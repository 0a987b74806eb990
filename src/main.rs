use std::process::ExitCode;

use clap::Parser;

// Linting builds and drops many small trees on both cores; mimalloc's per-thread free lists
// make that markedly cheaper than glibc's malloc (see benches/lint_corpus.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Extism lets this variable route a plugin's WASI stdout and stderr to ours, which would
    // mix a plugin's output into reports. Removed before any thread starts.
    std::env::remove_var("EXTISM_ENABLE_WASI_OUTPUT");
    agones_lint::app::run(agones_lint::cli::Cli::parse())
}
