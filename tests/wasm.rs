//! Wasm policies end to end: real Extism plugins, written in WebAssembly text and compiled here
//! with `wat`, run through `simulate` and `lint --wasm-module`.

mod common;

use std::path::PathBuf;

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

/// The module URL every manifest here names; `--wasm-module` maps it to a file.
const URL: &str = "http://autoscalers.games.svc:8000/plugin.wasm";

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let buffer = std::fs::read(root().join("examples/wasm/buffer.wasm")).unwrap();
        std::fs::write(dir.path().join("buffer.wasm"), buffer).unwrap();
        let bad = wat::parse_file(root().join("tests/fixtures/wasm/misbehaving.wat")).unwrap();
        std::fs::write(dir.path().join("misbehaving.wasm"), bad).unwrap();
        Setup { dir }
    }

    fn module(&self, name: &str) -> String {
        format!("{URL}={}", self.dir.path().join(name).display())
    }

    fn sha(&self, name: &str) -> String {
        sha256(&std::fs::read(self.dir.path().join(name)).unwrap())
    }
}

fn sha256(bytes: &[u8]) -> String {
    agones_lint::external::wasm::sha256_hex(bytes)
}

/// A Fleet with status (replicas, allocated, ready) and `spec.replicas` = replicas, and a
/// FleetAutoscaler whose policy is `policy` (YAML indented for `spec.policy`).
fn manifests(status: (i64, i64, i64), policy: &str) -> String {
    let (replicas, allocated, ready) = status;
    format!(
        "apiVersion: agones.dev/v1
kind: Fleet
metadata: {{name: fleet-1, namespace: default}}
spec:
  replicas: {replicas}
  template:
    spec:
      ports: [{{name: default, containerPort: 7654}}]
      template: {{spec: {{containers: [{{name: gs, image: example/gs:1}}]}}}}
status: {{replicas: {replicas}, readyReplicas: {ready}, allocatedReplicas: {allocated}}}
---
apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata: {{name: fas-1, namespace: default}}
spec:
  fleetName: fleet-1
  policy:
{policy}
"
    )
}

fn wasm_policy(function: &str, config: &str, hash: Option<&str>) -> String {
    let mut s = format!(
        "    type: Wasm\n    wasm:\n      function: {function}\n      config: {config}\n      from: {{url: {{url: \"{URL}\"}}}}\n"
    );
    if let Some(h) = hash {
        s.push_str(&format!("      hash: \"{h}\"\n"));
    }
    s
}

fn simulate(input: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "simulate",
        "--format",
        "json",
        "--force",
        "--now",
        "2026-01-01T00:00:00Z",
    ];
    if !extra.contains(&"--feature-gates") {
        args.extend(["--feature-gates", "WasmAutoscaler=true"]);
    }
    args.extend_from_slice(extra);
    args.push("-");
    let r = common::run(&args, Some(input.as_bytes()));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    r.json()["results"][0].clone()
}

/// A simulation's trace lines, joined.
fn trace_of(v: &serde_json::Value) -> String {
    v["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn outcome(v: &serde_json::Value) -> (Option<i64>, Option<String>) {
    (
        v["desiredReplicas"].as_i64(),
        v["error"].as_str().map(str::to_string),
    )
}

#[test]
fn upstream_apply_wasm_policy_cases() {
    let s = Setup::new();
    let m = s.module("buffer.wasm");
    let run = |status, policy: String| {
        outcome(&simulate(
            &manifests(status, &policy),
            &["--wasm-module", &m],
        ))
    };
    let five = "{buffer_size: \"5\"}";
    let sha = s.sha("buffer.wasm");
    assert_eq!(
        run((10, 8, 2), wasm_policy("scale", five, Some(&sha))),
        (Some(13), None),
        "correct hash"
    );
    assert_eq!(
        run(
            (10, 8, 2),
            wasm_policy("scale", five, Some(&sha.to_uppercase()))
        ),
        (Some(13), None),
        "the hash is case-insensitive"
    );
    let mut bad = sha.clone().into_bytes();
    bad[0] = if bad[0] == b'0' { b'1' } else { b'0' };
    let bad = String::from_utf8(bad).unwrap();
    let (d, e) = run((10, 8, 2), wasm_policy("scale", five, Some(&bad)));
    let e = e.unwrap();
    assert!(
        d.is_none()
            && e.contains("hash mismatch for module")
            && e.contains(&bad)
            && e.contains(&sha),
        "{e}"
    );
    assert_eq!(
        run((10, 8, 2), wasm_policy("scale", five, None)),
        (Some(13), None),
        "buffer 5, scale up"
    );
    assert_eq!(
        run((15, 10, 5), wasm_policy("scale", five, None)),
        (Some(15), None),
        "already right"
    );
    assert_eq!(
        run(
            (15, 10, 5),
            wasm_policy("scale", "{buffer_size: \"10\"}", None)
        ),
        (Some(20), None),
        "buffer 10"
    );
    assert_eq!(
        run((10, 8, 2), wasm_policy("scaleNone", "{}", None)),
        (Some(10), None),
        "scaleNone"
    );
    // Without config the plugin's own default (5) applies.
    assert_eq!(
        run((10, 8, 2), wasm_policy("scale", "{}", None)),
        (Some(13), None)
    );
    assert_eq!(
        run((10, 8, 2), "    type: Wasm\n".into()).1.unwrap(),
        "wasmPolicy parameter must not be nil"
    );
    assert_eq!(
        run(
            (10, 8, 2),
            "    type: Wasm\n    wasm: {from: {url: {}}}\n".into()
        )
        .1
        .unwrap(),
        "service was not provided, either URL or Service must be provided"
    );
}

#[test]
fn plugin_failures_are_errors_with_the_plugins_message() {
    let s = Setup::new();
    let m = s.module("misbehaving.wasm");
    let err = |function: &str, extra: &[&str]| {
        let mut args = vec!["--wasm-module", m.as_str()];
        args.extend_from_slice(extra);
        let started = std::time::Instant::now();
        let v = simulate(
            &manifests((5, 1, 4), &wasm_policy(function, "{}", None)),
            &args,
        );
        assert_eq!(v["ableToScale"], false, "{v}");
        let e = v["error"].as_str().unwrap().to_string();
        eprintln!("{function}: {e}");
        (e, started.elapsed())
    };
    let (e, took) = err("spin", &["--wasm-timeout", "300ms"]);
    assert!(e.contains("time limit"), "{e}");
    assert!(
        took < std::time::Duration::from_secs(20),
        "an infinite loop took {took:?}"
    );
    let (e, _) = err("hog", &["--wasm-memory", "16"]);
    assert!(e.contains("memory"), "{e}");
    assert!(err("trap", &[]).0.contains("unreachable"));
    assert!(err("fail", &[])
        .0
        .contains("buffer_size must be a number, got \"ten\""));
    assert!(err("badjson", &[]).0.contains("is not JSON"));
    assert!(err("noresponse", &[]).0.contains("no `response`"));
    let (e, _) = err("nope", &[]);
    assert!(
        e.contains("exports no function `nope`") && e.contains("`spin`"),
        "{e}"
    );
    // The example plugin reports a bad config value in its own words.
    let m = s.module("buffer.wasm");
    let v = simulate(
        &manifests((5, 1, 4), &wasm_policy("scale", "{buffer_size: ten}", None)),
        &["--wasm-module", &m],
    );
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("buffer_size in the plugin config is not a whole number"),
        "{v}"
    );
}

#[test]
fn modules_are_downloaded_unless_offline_and_gated() {
    use std::sync::Arc;
    let bytes = Arc::new(std::fs::read(root().join("examples/wasm/buffer.wasm")).unwrap());
    let served = bytes.clone();
    let server = common::http::serve(Arc::new(move |method, path, _| {
        assert_eq!(method, "GET");
        if path == "/plugin.wasm" {
            common::http::Reply::ok(served.as_slice().to_vec())
        } else {
            common::http::Reply::status(404, "no such module")
        }
    }));
    let policy = |url: &str| {
        format!(
            "    type: Wasm\n    wasm:\n      from: {{url: {{url: \"{url}\"}}}}\n      hash: {}\n",
            sha256(&bytes)
        )
    };
    let input = manifests((10, 8, 2), &policy(&server.url("/plugin.wasm")));
    assert_eq!(outcome(&simulate(&input, &[])), (Some(13), None));
    let e = outcome(&simulate(&input, &["--offline"])).1.unwrap();
    assert!(
        e.contains("--offline") && e.contains("--wasm-module"),
        "{e}"
    );
    let e = outcome(&simulate(
        &manifests((10, 8, 2), &policy(&server.url("/missing.wasm"))),
        &[],
    ))
    .1
    .unwrap();
    assert!(e.contains("bad status code 404"), "{e}");
    let e = outcome(&simulate(
        &input,
        &["--feature-gates", "WasmAutoscaler=false"],
    ))
    .1
    .unwrap();
    assert_eq!(
        e,
        "cannot apply WasmPolicy unless feature flag WasmAutoscaler is enabled"
    );
}

/// A Chain of Schedule, Webhook, Wasm and Buffer entries falls through failures in order, as
/// upstream `applyChainPolicy` does, and names the entry that applied.
#[test]
fn chains_fall_through_schedule_webhook_and_wasm() {
    use std::sync::Arc;
    let s = Setup::new();
    let hook_ok = common::http::serve(Arc::new(|_, _, _| {
        common::http::Reply::ok(r#"{"response":{"scale":true,"replicas":7}}"#)
    }));
    let hook_down =
        common::http::serve(Arc::new(|_, _, _| common::http::Reply::status(503, "down")));
    let chain = |hook: &str, hash: &str, with_buffer: bool| {
        let mut p = format!(
            "    type: Chain
    chain:
      - id: launch
        type: Schedule
        schedule:
          between: {{start: \"2030-01-01T00:00:00Z\"}}
          policy: {{type: Buffer, buffer: {{bufferSize: 50, maxReplicas: 100}}}}
      - id: hook
        type: Webhook
        webhook: {{url: \"{hook}\"}}
      - id: plugin
        type: Wasm
        wasm:
          config: {{buffer_size: \"5\"}}
          from: {{url: {{url: \"{URL}\"}}}}
          hash: \"{hash}\"
"
        );
        if with_buffer {
            p.push_str("      - id: base\n        type: Buffer\n        buffer: {bufferSize: 2, maxReplicas: 50}\n");
        }
        manifests((10, 8, 2), &p)
    };
    let m = s.module("buffer.wasm");
    let good = s.sha("buffer.wasm");
    let wrong = "0".repeat(64);
    let run = |input: String| simulate(&input, &["--wasm-module", &m]);

    let v = run(chain(&hook_ok.url(""), &good, true));
    assert_eq!(
        (
            v["desiredReplicas"].as_i64(),
            v["lastAppliedPolicy"].as_str()
        ),
        (Some(7), Some("Chain:hook:Webhook"))
    );

    let v = run(chain(&hook_down.url(""), &good, true));
    assert_eq!(
        (
            v["desiredReplicas"].as_i64(),
            v["lastAppliedPolicy"].as_str()
        ),
        (Some(13), Some("Chain:plugin:Wasm"))
    );
    let trace = trace_of(&v);
    assert!(
        trace.contains("schedule inactive") && trace.contains("bad status code 503"),
        "{trace}"
    );

    let v = run(chain(&hook_down.url(""), &wrong, true));
    assert_eq!(
        (
            v["desiredReplicas"].as_i64(),
            v["lastAppliedPolicy"].as_str()
        ),
        (Some(10), Some("Chain:base:Buffer"))
    );
    let trace = trace_of(&v);
    assert!(trace.contains("hash mismatch for module"), "{trace}");

    // Every entry fails: no scaling, and the sync reports the last entry's error.
    let v = run(chain(&hook_down.url(""), &wrong, false));
    assert_eq!(v["ableToScale"], false);
    assert!(
        v["error"].as_str().unwrap().contains("hash mismatch"),
        "{v}"
    );
}
