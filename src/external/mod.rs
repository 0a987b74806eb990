//! Policies that run code agones-lint does not own: Webhook (an HTTP call) and Wasm (an
//! Extism plugin), executed as upstream `applyWebhookPolicy` and `applyWasmPolicy` do.

pub mod endpoint;
pub mod http;
pub mod review;
pub mod wasm;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use crate::model::agones::Fleet;
use crate::model::autoscaling::{UrlConfiguration, WasmPolicy};

use self::http::{Http, HttpOptions};
use self::wasm::{Compiled, Instance, WasmLimits};

/// Modules larger than this are not downloaded.
pub const MAX_MODULE_BYTES: u64 = 64 << 20;

/// How Webhook and Wasm policies may run; one per run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// No network at all: Webhook policies and downloads fail with a message saying so.
    pub offline: bool,
    pub http: HttpOptions,
    pub wasm: WasmLimits,
    /// `--wasm-module URL=PATH`: module bytes that stand in for what URL would serve.
    pub modules: BTreeMap<String, Vec<u8>>,
}

/// Executes external policies, caching what is costly across the simulations of one run:
/// downloaded modules by URL and compiled plugins by module and config.
pub struct Runtime {
    opts: Options,
    downloads: Mutex<HashMap<String, Download>>,
    compiled: Mutex<HashMap<CompileKey, Arc<Compiled>>>,
}

/// A module download, or why it failed (failures are not retried within a run).
type Download = Result<Arc<Vec<u8>>, String>;
/// A module's sha256 and the plugin config it was compiled with.
type CompileKey = (String, BTreeMap<String, String>);

/// What upstream keeps per FleetAutoscaler between syncs (`fasState`): one HTTP client, built
/// from the first URL configuration that needed one, and one Wasm plugin, built from the first
/// Wasm policy that ran. Both are shared by every entry of a Chain, as upstream shares them.
#[derive(Default)]
pub struct FasState {
    http: Option<Http>,
    wasm: Option<(Instance, String)>,
}

impl Runtime {
    pub fn new(opts: Options) -> Runtime {
        Runtime {
            opts,
            downloads: Mutex::new(HashMap::new()),
            compiled: Mutex::new(HashMap::new()),
        }
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Upstream `buildURLFromConfiguration`: the URL, after creating the state's client if
    /// there is none yet. As upstream, a bad `caBundle` fails this call but leaves a client
    /// behind (trusting the system's roots) that later calls use.
    fn url_and_client(
        &self,
        state: &mut FasState,
        cfg: &UrlConfiguration,
    ) -> Result<String, String> {
        if cfg.url.is_some() && cfg.service.is_some() {
            return Err("service and URL cannot be used simultaneously".into());
        }
        if state.http.is_none() {
            state.http = Some(Http::new(&self.opts.http, None)?);
            if let Some(pem) = endpoint::ca_bundle(cfg)? {
                state.http = Some(Http::new(&self.opts.http, Some(&pem))?);
            }
        }
        endpoint::url(cfg)
    }

    /// Runs a Webhook policy: the replica count the controller would take.
    pub fn webhook(
        &self,
        state: &mut FasState,
        cfg: &UrlConfiguration,
        fleet: &Fleet,
        with_metadata: bool,
        trace: &mut Vec<String>,
    ) -> Result<i32, String> {
        let url = self.url_and_client(state, cfg)?;
        if self.opts.offline {
            return Err(format!(
                "--offline: the webhook {url} was not called (drop --offline, or use --resolve to reach it)"
            ));
        }
        let http = state.http.as_ref().ok_or("http client not set")?;
        let uid = review::new_uid();
        let body = serde_json::to_vec(&review::request(fleet, &uid, with_metadata))
            .map_err(|e| e.to_string())?;
        let reply = http.post_json(&url, body)?;
        let answer = review::parse_answer(&reply)?;
        let current = fleet.status.as_ref().map_or(0, |s| s.replicas);
        trace.push(describe("POST", &url, answer, current));
        Ok(answer.desired(current))
    }

    /// Runs a Wasm policy: the replica count the controller would take.
    pub fn wasm(
        &self,
        state: &mut FasState,
        wp: &WasmPolicy,
        fleet: &Fleet,
        with_metadata: bool,
        trace: &mut Vec<String>,
    ) -> Result<i32, String> {
        if state.wasm.is_none() {
            let from = wp.from.url.as_ref().ok_or_else(|| {
                "the Wasm policy has no from.url, so there is no module to load".to_string()
            })?;
            let url = self.url_and_client(state, from)?;
            let bytes = self.module(&url, state.http.as_ref())?;
            if let Some(h) = wp.hash.as_deref().filter(|h| !h.is_empty()) {
                wasm::verify_hash(h, &bytes)?;
            }
            let compiled = self.compiled(&bytes, &wp.config)?;
            let instance = Instance::new(&compiled)?;
            trace.push(format!(
                "Wasm module {url} (sha256 {}) loaded",
                wasm::sha256_hex(&bytes)
            ));
            state.wasm = Some((instance, url));
        }
        let (instance, url) = state.wasm.as_mut().ok_or("no plugin")?;
        let function = wp
            .function
            .as_deref()
            .filter(|f| !f.is_empty())
            .unwrap_or("scale");
        let uid = review::new_uid();
        let input = serde_json::to_vec(&review::request(fleet, &uid, with_metadata))
            .map_err(|e| e.to_string())?;
        let output = instance.call(function, &input)?;
        let answer = review::parse_answer(&output)
            .map_err(|e| format!("the output of `{function}` is not usable: {e}"))?;
        let current = fleet.status.as_ref().map_or(0, |s| s.replicas);
        trace.push(describe(
            &format!("Wasm `{function}` of"),
            url,
            answer,
            current,
        ));
        Ok(answer.desired(current))
    }

    /// The module bytes for `url`: `--wasm-module` first, then a download unless offline.
    pub fn module(&self, url: &str, http: Option<&Http>) -> Result<Arc<Vec<u8>>, String> {
        if let Some(b) = self.opts.modules.get(url) {
            return Ok(Arc::new(b.clone()));
        }
        if self.opts.offline {
            return Err(format!(
                "--offline: the module at {url} was not downloaded (pass --wasm-module {url}=PATH to use a local copy)"
            ));
        }
        let mut downloads = self.downloads.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(r) = downloads.get(url) {
            return r.clone();
        }
        let fresh;
        let http = match http {
            Some(h) => h,
            None => {
                fresh = Http::new(&self.opts.http, None)?;
                &fresh
            }
        };
        let r = http
            .get(url, MAX_MODULE_BYTES)
            .map(Arc::new)
            .map_err(|e| format!("failed to fetch Wasm module from {url}: {e}"));
        downloads.insert(url.to_string(), r.clone());
        r
    }

    fn compiled(
        &self,
        bytes: &[u8],
        config: &BTreeMap<String, String>,
    ) -> Result<Arc<Compiled>, String> {
        let key = (wasm::sha256_hex(bytes), config.clone());
        let mut cache = self.compiled.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cache.get(&key) {
            return Ok(c.clone());
        }
        let c = Arc::new(wasm::compile(bytes, config, self.opts.wasm)?);
        cache.insert(key, c.clone());
        Ok(c)
    }
}

/// What lint may learn about Wasm modules: those given with `--wasm-module`, and with
/// `--fetch` those at http(s) URLs. Results are cached per URL for the run.
pub struct ModuleCatalog {
    runtime: Runtime,
    fetch: bool,
    facts: Mutex<HashMap<String, Result<wasm::ModuleFacts, ModuleProblem>>>,
}

impl std::fmt::Debug for ModuleCatalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleCatalog")
            .field(
                "modules",
                &self.runtime.opts.modules.keys().collect::<Vec<_>>(),
            )
            .field("fetch", &self.fetch)
            .finish()
    }
}

impl ModuleCatalog {
    pub fn new(opts: Options, fetch: bool) -> ModuleCatalog {
        ModuleCatalog {
            runtime: Runtime::new(Options {
                offline: !fetch,
                ..opts
            }),
            fetch,
            facts: Mutex::new(HashMap::new()),
        }
    }

    /// The facts of the module at `url`; None when this run may not look at it (no
    /// `--wasm-module` for it and no `--fetch`). An Err is a module that could not be read
    /// or is not WebAssembly.
    pub fn facts(&self, url: &str) -> Option<Result<wasm::ModuleFacts, ModuleProblem>> {
        let known = self.runtime.opts.modules.contains_key(url);
        let fetchable = self.fetch && (url.starts_with("http://") || url.starts_with("https://"));
        if !known && !fetchable {
            return None;
        }
        let mut cache = self.facts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = cache.get(url) {
            return Some(f.clone());
        }
        let f = self
            .runtime
            .module(url, None)
            .map_err(ModuleProblem::Unavailable)
            .and_then(|bytes| wasm::inspect(&bytes).map_err(ModuleProblem::Invalid));
        cache.insert(url.to_string(), f.clone());
        Some(f)
    }
}

/// Why lint could not check a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleProblem {
    /// The download failed.
    Unavailable(String),
    /// The bytes are not a valid WebAssembly module.
    Invalid(String),
}

fn describe(what: &str, url: &str, a: review::Answer, current: i32) -> String {
    if a.scale {
        format!("{what} {url} → scale: true, replicas: {}", a.replicas)
    } else {
        format!("{what} {url} → scale: false, so the Fleet keeps status.replicas {current}")
    }
}

#[cfg(all(test, feature = "wasm"))]
mod tests {
    use super::*;
    use crate::model::autoscaling::WasmFrom;

    fn fleet() -> Fleet {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "agones.dev/v1", "kind": "Fleet",
            "metadata": {"name": "f", "namespace": "ns"},
            "spec": {"replicas": 10, "template": {"spec": {"template": {}}}},
            "status": {"replicas": 10, "readyReplicas": 2, "allocatedReplicas": 8}
        }))
        .unwrap()
    }

    fn policy(config: &[(&str, &str)]) -> WasmPolicy {
        WasmPolicy {
            function: None,
            config: config
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            from: WasmFrom {
                url: Some(UrlConfiguration {
                    url: Some("http://m/buffer.wasm".into()),
                    ..Default::default()
                }),
            },
            hash: None,
        }
    }

    fn runtime() -> Runtime {
        let wat = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/wasm/buffer.wat");
        let mut opts = Options::default();
        opts.modules
            .insert("http://m/buffer.wasm".into(), wat::parse_file(wat).unwrap());
        Runtime::new(opts)
    }

    #[test]
    fn modules_compile_once_per_module_and_config() {
        let rt = runtime();
        let mut trace = Vec::new();
        for _ in 0..3 {
            let mut state = FasState::default();
            let r = rt.wasm(&mut state, &policy(&[]), &fleet(), true, &mut trace);
            assert_eq!(r, Ok(13));
        }
        let mut state = FasState::default();
        let r = rt.wasm(
            &mut state,
            &policy(&[("buffer_size", "1")]),
            &fleet(),
            true,
            &mut trace,
        );
        assert_eq!(r, Ok(9));
        assert_eq!(rt.compiled.lock().unwrap().len(), 2);
    }

    /// Upstream keeps the first plugin in the autoscaler's state: a second Wasm policy in the
    /// same state (another Chain entry) runs the first one's module and config.
    #[test]
    fn the_first_plugin_stays_in_the_state() {
        let rt = runtime();
        let mut state = FasState::default();
        let mut trace = Vec::new();
        assert_eq!(
            rt.wasm(
                &mut state,
                &policy(&[("buffer_size", "1")]),
                &fleet(),
                true,
                &mut trace
            ),
            Ok(9)
        );
        assert_eq!(
            rt.wasm(
                &mut state,
                &policy(&[("buffer_size", "7")]),
                &fleet(),
                true,
                &mut trace
            ),
            Ok(9)
        );
    }
}
