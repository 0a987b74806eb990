//! Wasm policies end to end: real Extism plugins, written in WebAssembly text and compiled here
//! with `wat`, run through `simulate` and `lint --wasm-module`.

mod common;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// examples/wasm/buffer.wasm is committed so the README's commands work without a toolchain;
/// it must be exactly what its source compiles to. `UPDATE_WASM=1` rewrites it.
#[test]
fn the_example_module_is_built_from_its_source() {
    let wasm =
        wat::parse_file(root().join("examples/wasm/buffer.wat")).expect("buffer.wat compiles");
    let committed = root().join("examples/wasm/buffer.wasm");
    if std::env::var_os("UPDATE_WASM").is_some() {
        std::fs::write(&committed, &wasm).unwrap();
    }
    let on_disk = std::fs::read(&committed).unwrap_or_default();
    assert!(
        on_disk == wasm,
        "examples/wasm/buffer.wasm is stale: run `UPDATE_WASM=1 cargo test --test wasm`"
    );
}

#[allow(dead_code)]
fn exists(p: &Path) -> bool {
    p.exists()
}
