//! Wasm policies: upstream `applyWasmPolicy` runs the module as an Extism plugin with WASI
//! and the policy's `config`, calls `function` with the review JSON and reads the output as a
//! review. Here the plugin is also sandboxed: no host functions, no network or files, a
//! wall-clock timeout (epoch interruption ends infinite loops) and a memory cap.

use std::collections::BTreeMap;
use std::time::Duration;

use sha2::{Digest, Sha256};

/// What a plugin may use.
#[derive(Debug, Clone, Copy)]
pub struct WasmLimits {
    /// Wall-clock limit for one call.
    pub timeout: Duration,
    /// Memory for the whole plugin (its own and Extism's), in bytes.
    pub memory_bytes: u64,
}

impl Default for WasmLimits {
    fn default() -> Self {
        WasmLimits {
            timeout: Duration::from_secs(5),
            memory_bytes: 64 << 20,
        }
    }
}

/// Lowercase hex sha256, the form `hash` takes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What lint checks about a module without running it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleFacts {
    pub sha256: String,
    /// Exported functions, in module order.
    pub functions: Vec<String>,
}

/// Validates the module (every feature wasmtime accepts) and lists its function exports.
pub fn inspect(bytes: &[u8]) -> Result<ModuleFacts, String> {
    if !bytes.starts_with(b"\0asm") {
        return Err(format!(
            "this is not a WebAssembly binary (it starts with {}, not \\0asm)",
            super::review::preview(&bytes[..bytes.len().min(8)])
        ));
    }
    let mut validator = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    validator
        .validate_all(bytes)
        .map_err(|e| format!("this is not valid WebAssembly: {e}"))?;
    let mut functions = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let Ok(wasmparser::Payload::ExportSection(exports)) = payload {
            for e in exports.into_iter().flatten() {
                if e.kind == wasmparser::ExternalKind::Func {
                    functions.push(e.name.to_string());
                }
            }
        }
    }
    Ok(ModuleFacts {
        sha256: sha256_hex(bytes),
        functions,
    })
}

/// Checks `hash` (hex sha256, any case) against the module; upstream's Extism does the same
/// before instantiating.
pub fn verify_hash(expected: &str, bytes: &[u8]) -> Result<(), String> {
    let actual = sha256_hex(bytes);
    if expected.eq_ignore_ascii_case(&actual) {
        Ok(())
    } else {
        Err(format!(
            "hash mismatch for module: `hash` is {expected} but the module's sha256 is {actual}"
        ))
    }
}

#[cfg(feature = "wasm")]
mod runtime {
    use super::*;

    /// A module compiled with its config and limits; plugins are instantiated from it cheaply.
    pub struct Compiled {
        inner: extism::CompiledPlugin,
        functions: Vec<String>,
    }

    pub fn compile(
        bytes: &[u8],
        config: &BTreeMap<String, String>,
        limits: WasmLimits,
    ) -> Result<Compiled, String> {
        let facts = inspect(bytes)?;
        let pages = u32::try_from(limits.memory_bytes.div_ceil(65536)).unwrap_or(u32::MAX);
        let manifest = extism::Manifest::new([extism::Wasm::data(bytes.to_vec())])
            .with_config(config.iter().map(|(k, v)| (k.clone(), v.clone())))
            .with_memory_max(pages)
            .with_timeout(limits.timeout);
        let inner = extism::PluginBuilder::new(manifest)
            .with_wasi(true)
            .with_cache_disabled()
            .compile()
            .map_err(|e| format!("the module does not load as an Extism plugin: {}", flat(&e)))?;
        Ok(Compiled {
            inner,
            functions: facts.functions,
        })
    }

    /// One plugin instance; upstream keeps one per FleetAutoscaler and calls it at every sync.
    pub struct Instance {
        plugin: extism::Plugin,
        functions: Vec<String>,
    }

    impl Instance {
        pub fn new(c: &Compiled) -> Result<Instance, String> {
            let plugin = extism::Plugin::new_from_compiled(&c.inner)
                .map_err(|e| format!("the plugin does not instantiate: {}", flat(&e)))?;
            Ok(Instance {
                plugin,
                functions: c.functions.clone(),
            })
        }

        /// Calls `function` with `input` and returns its output. Errors carry the plugin's own
        /// message when it set one.
        pub fn call(&mut self, function: &str, input: &[u8]) -> Result<Vec<u8>, String> {
            if !self.plugin.function_exists(function) {
                let available = self
                    .functions
                    .iter()
                    .filter(|f| !f.starts_with('_'))
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>();
                return Err(format!(
                    "the module exports no function `{function}` (it exports {})",
                    if available.is_empty() {
                        "none".to_string()
                    } else {
                        available.join(", ")
                    }
                ));
            }
            match self.plugin.call::<&[u8], &[u8]>(function, input) {
                Ok(out) => Ok(out.to_vec()),
                Err(e) => Err(format!(
                    "failed to call Wasm plugin function {function}: {}",
                    explain(&flat(&e))
                )),
            }
        }
    }

    /// Extism's errors as one line: the first line of each cause (wasmtime appends backtraces).
    fn flat(e: &extism::Error) -> String {
        let mut parts: Vec<String> = Vec::new();
        for cause in e.chain() {
            let line = cause.to_string();
            let line = line.lines().next().unwrap_or("").trim().to_string();
            // "error while executing at wasm backtrace:" only introduces the frames.
            if !line.is_empty() && !line.ends_with(':') && !parts.iter().any(|p| p.contains(&line))
            {
                parts.push(line);
            }
        }
        parts.join(": ")
    }

    /// Says which limit a terse runtime message means.
    fn explain(msg: &str) -> String {
        match msg {
            "timeout" => "it ran past the time limit and was stopped (see --wasm-timeout)".into(),
            m if m.contains("oom") => {
                format!("{m}: it asked for more memory than the limit allows (see --wasm-memory)")
            }
            m => m.to_string(),
        }
    }
}

#[cfg(feature = "wasm")]
pub use runtime::{compile, Compiled, Instance};

/// Without the `wasm` feature: modules are still inspected (hash, exports) for lint, but
/// nothing runs them.
#[cfg(not(feature = "wasm"))]
mod runtime {
    use super::*;

    pub struct Compiled;
    pub struct Instance;

    fn missing() -> String {
        crate::features::missing("wasm", "Wasm runtime")
    }

    pub fn compile(
        bytes: &[u8],
        _config: &BTreeMap<String, String>,
        _limits: WasmLimits,
    ) -> Result<Compiled, String> {
        inspect(bytes)?;
        Err(missing())
    }

    impl Instance {
        pub fn new(_c: &Compiled) -> Result<Instance, String> {
            Err(missing())
        }

        pub fn call(&mut self, _function: &str, _input: &[u8]) -> Result<Vec<u8>, String> {
            Err(missing())
        }
    }
}

#[cfg(not(feature = "wasm"))]
pub use runtime::{compile, Compiled, Instance};
