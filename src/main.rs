use std::process::ExitCode;

use clap::Parser;

// Linting builds and drops many small trees on both cores; mimalloc's per-thread free lists
// make that markedly cheaper than glibc's malloc (see benches/lint_corpus.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` (v3's `mi_option_e`; libmimalloc-sys, pinned,
/// names no constant for it). tests/cli.rs checks the number with mimalloc's own report.
#[cfg(target_os = "linux")]
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// On Linux mimalloc commits its whole first arena up front by default, and what is freed
/// there stays resident: committing on demand keeps a corpus-wide lint 20 MB smaller at the
/// same speed (benches/lint_corpus.rs). The first arena is reserved before `main`, by the
/// runtime's first allocation, so the option is set from the ELF constructors that run
/// before it.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static COMMIT_ON_DEMAND: extern "C" fn() = commit_on_demand;

#[cfg(target_os = "linux")]
extern "C" fn commit_on_demand() {
    // SAFETY: sets a plain integer option; it allocates nothing and runs before any thread.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
}

fn main() -> ExitCode {
    // Extism lets this variable route a plugin's WASI stdout and stderr to ours, which would
    // mix a plugin's output into reports. Removed before any thread starts.
    std::env::remove_var("EXTISM_ENABLE_WASI_OUTPUT");
    agones_lint::app::run(agones_lint::cli::Cli::parse())
}
