//! The admission webhook: the real binary on 127.0.0.1 with a throwaway CA, real
//! AdmissionReviews over HTTPS.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use serde_json::{json, Value};

struct Pki {
    ca_pem: String,
    cert: PathBuf,
    key: PathBuf,
}

/// A CA and a server certificate for 127.0.0.1 and localhost, written under `dir`.
fn pki(dir: &Path, tag: &str) -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(
        rcgen::DnType::CommonName,
        format!("agones-lint test CA {tag}"),
    );
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, &ca_key);
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let (cert_path, key_path) = (dir.join("tls.crt"), dir.join("tls.key"));
    std::fs::write(&cert_path, leaf.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        cert: cert_path,
        key: key_path,
    }
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_agones-lint"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--now",
            "2026-06-01T00:00:00Z",
        ])
        .args(args)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(20);
    let addr = loop {
        assert!(Instant::now() < deadline, "the server did not start");
        let line = lines.next().expect("server output").unwrap();
        if let Ok(v) = serde_json::from_str::<Value>(&line) {
            if v["msg"] == "listening" {
                break v["addr"].as_str().unwrap().parse().unwrap();
            }
        }
    };
    // Keep draining the logs so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, addr }
}

fn client(ca_pem: &str) -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap())
        .tls_built_in_root_certs(false)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn review(object: Value) -> Value {
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "uid-1", "operation": "CREATE", "object": object}})
}

fn fas(buffer: i64) -> Value {
    json!({"apiVersion": "autoscaling.agones.dev/v1", "kind": "FleetAutoscaler", "metadata": {"name": "lobby", "namespace": "games"},
           "spec": {"fleetName": "lobby", "policy": {"type": "Buffer", "buffer": {"bufferSize": buffer, "minReplicas": 5, "maxReplicas": 20}}}})
}

#[test]
fn reviews_over_https() {
    let dir = tempfile::tempdir().unwrap();
    let p = pki(dir.path(), "1");
    let server = start(&[
        "--tls-cert",
        p.cert.to_str().unwrap(),
        "--tls-key",
        p.key.to_str().unwrap(),
        "--request-timeout",
        "2",
    ]);
    let c = client(&p.ca_pem);
    let url = format!("https://127.0.0.1:{}/validate", server.addr.port());

    let ok: Value = c
        .post(&url)
        .json(&review(fas(5)))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        (
            ok["response"]["uid"].as_str(),
            ok["response"]["allowed"].as_bool()
        ),
        (Some("uid-1"), Some(true))
    );

    let denied: Value = c
        .post(&url)
        .json(&review(fas(0)))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(denied["response"]["allowed"], false);
    assert_eq!(denied["response"]["status"]["code"], 422);
    assert_eq!(
        denied["response"]["status"]["details"]["causes"][0]["field"],
        "spec.policy.buffer.bufferSize"
    );

    let fleet = json!({"apiVersion": "agones.dev/v1", "kind": "Fleet", "metadata": {"name": "lobby"},
        "spec": {"template": {"spec": {"ports": [{"name": "p", "portPolicy": "Passthrough", "containerPort": 7000}], "template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}}}});
    let r: Value = c
        .post(&url)
        .json(&review(fleet))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(r["response"]["allowed"], false, "{r}");
    let gsa = json!({"apiVersion": "allocation.agones.dev/v1", "kind": "GameServerAllocation", "spec": {"selectors": [{"gameServerState": "Starting"}]}});
    let r: Value = c
        .post(&url)
        .json(&review(gsa))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(r["response"]["allowed"], false, "{r}");
    let other = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}});
    let r: Value = c
        .post(&url)
        .json(&review(other))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(r["response"]["allowed"], true);
    // An UPDATE carries oldObject: a template change under Recreate is allowed with a warning.
    let recreate = |image: &str| {
        json!({"apiVersion": "agones.dev/v1", "kind": "Fleet", "metadata": {"name": "lobby"},
            "spec": {"strategy": {"type": "Recreate"}, "template": {"spec": {"ports": [{"name": "p", "containerPort": 7000}], "template": {"spec": {"containers": [{"name": "c", "image": image}]}}}}}})
    };
    let mut update = review(recreate("game:2"));
    update["request"]["operation"] = json!("UPDATE");
    update["request"]["oldObject"] = recreate("game:1");
    let r: Value = c.post(&url).json(&update).send().unwrap().json().unwrap();
    assert_eq!(r["response"]["allowed"], true, "{r}");
    assert!(
        r["response"]["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("FLT003 spec.template: "),
        "{r}"
    );
    let mut dry = review(fas(0));
    dry["request"]["dryRun"] = json!(true);
    let r: Value = c.post(&url).json(&dry).send().unwrap().json().unwrap();
    assert_eq!(
        r["response"]["allowed"], false,
        "dry runs are handled the same"
    );

    for (body, why) in [
        ("not json".to_string(), "not JSON"),
        (json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}).to_string(), "no `request`"),
        (json!({"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {}}).to_string(), "expected apiVersion"),
    ] {
        let resp = c.post(&url).body(body).send().unwrap();
        assert_eq!(resp.status(), 400);
        let v: Value = resp.json().unwrap();
        assert!(v["error"].as_str().unwrap().contains(why), "{v}");
    }

    let big = vec![b' '; 3 * 1024 * 1024 + 1];
    assert_eq!(c.post(&url).body(big).send().unwrap().status(), 413);

    // A slowloris-style body: a few bytes, then silence past the request timeout.
    struct Slow(u8);
    impl Read for Slow {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Ok(0);
            }
            self.0 -= 1;
            std::thread::sleep(Duration::from_millis(1500));
            buf[0] = b' ';
            Ok(1)
        }
    }
    let started = Instant::now();
    let resp = c
        .post(&url)
        .body(reqwest::blocking::Body::new(Slow(10)))
        .send();
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the slow body was not cut off"
    );
    if let Ok(r) = resp {
        assert_eq!(r.status(), 408);
    }

    let base = format!("https://127.0.0.1:{}", server.addr.port());
    assert_eq!(
        c.get(format!("{base}/healthz")).send().unwrap().status(),
        200
    );
    assert_eq!(
        c.get(format!("{base}/readyz")).send().unwrap().status(),
        200
    );
    let metrics = c
        .get(format!("{base}/metrics"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        metrics.contains("agones_lint_denials_total{kind=\"FleetAutoscaler\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("agones_lint_bad_requests_total 3"),
        "{metrics}"
    );
}

#[test]
fn certificates_are_reloaded_when_the_files_change() {
    let dir = tempfile::tempdir().unwrap();
    let first = pki(dir.path(), "first");
    let server = start(&[
        "--tls-cert",
        first.cert.to_str().unwrap(),
        "--tls-key",
        first.key.to_str().unwrap(),
    ]);
    let url = format!("https://127.0.0.1:{}/healthz", server.addr.port());
    assert!(client(&first.ca_pem).get(&url).send().is_ok());
    // Rotate: a certificate from another CA, written over the same files.
    std::thread::sleep(Duration::from_millis(1100));
    let second = pki(dir.path(), "second");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        // A fresh client each time: no connection reuse with the old certificate.
        if client(&second.ca_pem).get(&url).send().is_ok() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new certificate was never served"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(
        client(&first.ca_pem).get(&url).send().is_err(),
        "the old certificate is still served"
    );
}

#[test]
fn sigterm_drains_and_exits_cleanly() {
    let mut server = start(&["--insecure-http"]);
    let url = format!("http://127.0.0.1:{}/healthz", server.addr.port());
    assert_eq!(reqwest::blocking::get(&url).unwrap().status(), 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn tls_is_required_unless_insecure_http_is_asked_for() {
    let out = Command::new(env!("CARGO_BIN_EXE_agones-lint"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls-cert"));
}
