//! Webhook policies end to end: `simulate` (the real binary) against HTTP(S) servers on
//! 127.0.0.1. The cases of upstream TestApplyWebhookPolicy and
//! TestApplyWebhookPolicyWithMetadata come first, with upstream's test server ported.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::http::{serve, serve_tls, Handler, Reply, Server};
use serde_json::{json, Value};

/// Upstream's testServer: scale to twice the replicas above 70% allocated; `fixedReplicas`
/// in the annotations wins; allocated -10 answers 500 and -20 answers invalid JSON.
fn upstream_handler() -> Handler {
    Arc::new(|method, _path, body| {
        assert_eq!(method, "POST");
        let review: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return Reply::status(500, e.to_string()),
        };
        let req = &review["request"];
        let allocated = req["status"]["allocatedReplicas"].as_i64().unwrap();
        let replicas = req["status"]["replicas"].as_i64().unwrap();
        if allocated == -10 {
            return Reply::status(500, "Wrong Status Replicas Parameter");
        }
        let mut prefix = Vec::new();
        if allocated == -20 {
            prefix.extend_from_slice(b"invalid data");
        }
        let mut resp = json!({"scale": false, "replicas": replicas, "uid": req["uid"]});
        if allocated as f32 / replicas as f32 > 0.7 {
            resp["scale"] = json!(true);
            resp["replicas"] = json!(replicas * 2);
        }
        if let Some(v) = req["annotations"]["fixedReplicas"].as_str() {
            resp["scale"] = json!(true);
            resp["replicas"] = json!(v.parse::<i64>().unwrap());
        }
        prefix.extend(serde_json::to_vec(&json!({"request": req, "response": resp})).unwrap());
        Reply::ok(prefix)
    })
}

fn manifests(webhook: &str, spec: i64, status: (i64, i64, i64), annotations: &str) -> String {
    let (replicas, allocated, ready) = status;
    format!(
        "apiVersion: agones.dev/v1
kind: Fleet
metadata:
  name: fleet-1
  namespace: default
  annotations: {annotations}
spec:
  replicas: {spec}
  template:
    spec:
      ports: [{{name: default, containerPort: 7654}}]
      template:
        spec:
          containers: [{{name: gs, image: example/gs:1}}]
status:
  replicas: {replicas}
  readyReplicas: {ready}
  allocatedReplicas: {allocated}
---
apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata:
  name: fas-1
  namespace: default
spec:
  fleetName: fleet-1
  policy:
    type: Webhook
    webhook:
{webhook}
"
    )
}

fn simulate(input: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "simulate",
        "--format",
        "json",
        "--force",
        "--now",
        "2026-01-01T00:00:00Z",
    ];
    args.extend_from_slice(extra);
    args.push("-");
    let r = common::run(&args, Some(input.as_bytes()));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    r.json()["results"][0].clone()
}

fn url_cfg(url: &str) -> String {
    format!("      url: \"{url}\"")
}

/// (desired replicas, error) of one sync.
fn outcome(v: &Value) -> (Option<i64>, Option<String>) {
    (
        v["desiredReplicas"].as_i64(),
        v["error"].as_str().map(str::to_string),
    )
}

#[test]
fn upstream_apply_webhook_policy_cases() {
    let server = serve(upstream_handler());
    let url = server.url("");
    let ok = |spec, status| {
        let v = simulate(&manifests(&url_cfg(&url), spec, status, "{}"), &[]);
        assert_eq!(v["scalingLimited"], false);
        outcome(&v)
    };
    assert_eq!(
        ok(50, (50, 10, 40)),
        (Some(50), None),
        "below 70%: no scaling"
    );
    assert_eq!(
        ok(50, (50, 35, 15)),
        (Some(50), None),
        "exactly 70%: no scaling"
    );
    assert_eq!(ok(50, (50, 40, 10)), (Some(100), None), "80%: scale up");

    let err = |webhook: &str, status| {
        let v = simulate(&manifests(webhook, 50, status, "{}"), &[]);
        assert_eq!(v["ableToScale"], false, "{v}");
        v["error"].as_str().unwrap().to_string()
    };
    let svc = "      service: {name: service1, namespace: default, path: scale}";
    assert_eq!(
        err(&format!("{svc}\n{}", url_cfg(&url)), (50, 10, 40)),
        "service and URL cannot be used simultaneously"
    );
    assert_eq!(err(&url_cfg(""), (50, 10, 40)), "URL was not provided");
    assert_eq!(
        err(&url_cfg(")1golang.org/"), (50, 10, 40)),
        "parse \")1golang.org/\": invalid URI for request"
    );
    assert_eq!(
        err(
            "      service: {name: \"\", namespace: default, path: scale}",
            (50, 10, 40)
        ),
        "service name was not provided"
    );
    // caBundle "invalid-value", base64-encoded as the manifest holds it.
    assert!(err(
        &format!("{svc}\n      caBundle: aW52YWxpZC12YWx1ZQ=="),
        (50, 10, 40)
    )
    .starts_with("no certs were appended from caBundle"));
    let refused = err(
        &url_cfg(&format!("http://127.0.0.1:{}", common::http::closed_port())),
        (50, 10, 40),
    );
    assert!(refused.contains("could not connect"), "{refused}");
    assert_eq!(
        err(&url_cfg(&url), (50, -10, 40)),
        format!("bad status code 500 from the server: {url} (the controller accepts only 200)")
    );
    assert!(err(&url_cfg(&url), (50, -20, 40)).starts_with("the reply is not JSON"));
    assert_eq!(
        err("      caBundle: null", (50, 10, 40)),
        "service was not provided, either URL or Service must be provided"
    );
}

#[test]
fn upstream_webhook_policy_with_metadata() {
    let server = serve(upstream_handler());
    let input = manifests(
        &url_cfg(&server.url("")),
        50,
        (50, 10, 40),
        "{fixedReplicas: \"11\"}",
    );
    assert_eq!(outcome(&simulate(&input, &[])), (Some(11), None));
    // Without the FleetAutoscaleRequestMetaData gate the annotations are not sent.
    let v = simulate(
        &input,
        &["--feature-gates", "FleetAutoscaleRequestMetaData=false"],
    );
    assert_eq!(outcome(&v), (Some(50), None));
}

#[test]
fn failure_modes_are_clear_errors() {
    let slow = serve(Arc::new(|_, _, _| Reply {
        status: 200,
        body: br#"{"response":{"scale":true,"replicas":3}}"#.to_vec(),
        delay: Duration::from_secs(3),
    }));
    let input = manifests(&url_cfg(&slow.url("")), 5, (5, 1, 4), "{}");
    let e = simulate(&input, &["--webhook-timeout", "500ms"])["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(e.contains("no complete answer within 500ms"), "{e}");

    let cases: [(&str, Reply); 4] = [
        ("larger than 1048576 bytes", Reply::ok(vec![b' '; 2 << 20])),
        (
            "no `response` object",
            Reply::ok(r#"{"request":{"uid":"x"}}"#),
        ),
        ("bad status code 404", Reply::status(404, "not found")),
        (
            "`response.replicas` is a JSON string",
            Reply::ok(r#"{"response":{"scale":true,"replicas":"3"}}"#),
        ),
    ];
    for (want, reply) in cases {
        let reply = Arc::new(reply);
        let s = serve(Arc::new(move |_, _, _| Reply {
            status: reply.status,
            body: reply.body.clone(),
            delay: Duration::ZERO,
        }));
        let v = simulate(
            &manifests(&url_cfg(&s.url("/scale")), 5, (5, 1, 4), "{}"),
            &[],
        );
        let e = v["error"].as_str().unwrap_or_default();
        assert!(e.contains(want), "want {want:?}, got {v}");
    }
}

#[test]
fn scale_false_keeps_the_status_replicas() {
    let s = serve(Arc::new(|_, _, _| {
        Reply::ok(r#"{"response":{"scale":false,"replicas":99}}"#)
    }));
    let v = simulate(&manifests(&url_cfg(&s.url("")), 4, (7, 1, 6), "{}"), &[]);
    assert_eq!(outcome(&v), (Some(7), None));
    assert_eq!(v["event"], "Scaling fleet fleet-1 from 4 to 7");
}

fn tls_server() -> Server {
    serve_tls(
        Arc::new(|_, path, _| {
            assert_eq!(path, "/scale");
            Reply::ok(r#"{"response":{"scale":true,"replicas":6}}"#)
        }),
        &["hook.games.svc"],
    )
}

#[test]
fn https_trusts_only_the_ca_bundle_and_resolve_reaches_a_service() {
    use base64::Engine as _;
    let s = tls_server();
    let ca = base64::engine::general_purpose::STANDARD.encode(s.ca_pem.as_deref().unwrap());
    // A Service reference with a caBundle means https://hook.games.svc:PORT/scale.
    let webhook = format!(
        "      service: {{name: hook, namespace: games, path: /scale, port: {}}}\n      caBundle: {ca}",
        s.addr.port()
    );
    let input = manifests(&webhook, 5, (5, 1, 4), "{}");
    let resolve = format!("hook.games.svc:{}:127.0.0.1", s.addr.port());
    assert_eq!(
        outcome(&simulate(&input, &["--resolve", &resolve])),
        (Some(6), None)
    );

    // Without --resolve the cluster name does not resolve here.
    let v = simulate(&input, &[]);
    assert!(
        v["error"].as_str().unwrap().contains("hook.games.svc"),
        "{v}"
    );

    // A URL without caBundle uses the system roots, which do not know the test CA.
    let v = simulate(
        &manifests(&url_cfg(&s.url("/scale")), 5, (5, 1, 4), "{}"),
        &[],
    );
    let e = v["error"].as_str().unwrap();
    assert!(e.contains("certificate") || e.contains("Unknown"), "{e}");
}

#[test]
fn offline_calls_nothing() {
    let s = serve(Arc::new(|_, _, _| {
        panic!("an offline run called the webhook")
    }));
    let v = simulate(
        &manifests(&url_cfg(&s.url("")), 5, (5, 1, 4), "{}"),
        &["--offline"],
    );
    assert!(v["error"].as_str().unwrap().starts_with("--offline"), "{v}");
}

/// The README's webhook example: examples/webhook/server.py played by Python, reached through
/// --resolve as a port-forward would be.
#[test]
fn the_example_server_and_manifests_work_together() {
    use std::io::BufRead;
    let mut child = std::process::Command::new("python3")
        .args([
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples/webhook/server.py"),
            "--port",
            "0",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs the example server (CI installs it)");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().rsplit(':').next().unwrap().to_string();
    let manifest = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/webhook/autoscaler.yaml"
    ))
    .unwrap()
    .replace(
        "path: /scale",
        &format!("path: /scale\n        port: {port}"),
    );
    let resolve = format!("autoscaler.games.svc:{port}:127.0.0.1");
    let v = simulate(&manifest, &["--resolve", &resolve]);
    let _ = child.kill();
    let _ = child.wait();
    // 8 of 10 allocated is above the 70% threshold: 8 + 5.
    assert_eq!(outcome(&v), (Some(13), None), "{v}");
    assert_eq!(v["event"], "Scaling fleet lobby from 10 to 13");
}
