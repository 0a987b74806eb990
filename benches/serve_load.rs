//! Load benchmark for `serve`: `cargo bench --bench serve_load` (AGONES_LINT_LOAD_SECONDS to
//! change the default 60 s).
//!
//! Starts the release binary on 127.0.0.1 with a throwaway CA and sends mixed valid and invalid
//! AdmissionReviews over HTTPS at a fixed 2,000 requests/s (open loop: 8 threads, each on its
//! own schedule, latency measured from the scheduled send time so a slow server cannot hide
//! queueing). Reports p50/p99/max latency, errors and the server's peak memory.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use serde_json::{json, Value};

const RATE: u64 = 2_000;
const THREADS: u64 = 8;

fn main() {
    let seconds: u64 = std::env::var("AGONES_LINT_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let dir = tempfile::tempdir().unwrap();
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, &ca_key);
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    std::fs::write(dir.path().join("tls.crt"), leaf.pem()).unwrap();
    std::fs::write(dir.path().join("tls.key"), key.serialize_pem()).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_agones-lint"))
        .args(["serve", "--addr", "127.0.0.1:0", "--tls-cert"])
        .arg(dir.path().join("tls.crt"))
        .arg("--tls-key")
        .arg(dir.path().join("tls.key"))
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().unwrap().unwrap();
        if let Ok(v) = serde_json::from_str::<Value>(&line) {
            if v["msg"] == "listening" {
                break v["addr"].as_str().unwrap().to_string();
            }
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let url = format!("https://{addr}/validate");
    let pid = child.id();

    let review = |buffer: i64, i: u64| {
        json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": format!("u{i}"), "operation": "CREATE",
            "object": {"apiVersion": "autoscaling.agones.dev/v1", "kind": "FleetAutoscaler", "metadata": {"name": format!("fas-{i}"), "namespace": "games"},
                "spec": {"fleetName": "lobby", "policy": {"type": "Buffer", "buffer": {"bufferSize": buffer, "minReplicas": 5, "maxReplicas": 20}}}}}})
        .to_string()
    };
    let bodies: Vec<String> = (0..100)
        .map(|i| review(if i % 4 == 0 { 0 } else { 5 }, i))
        .collect();

    let start = Instant::now() + Duration::from_millis(500);
    let per_thread = RATE / THREADS;
    let interval = Duration::from_nanos(1_000_000_000 / per_thread);
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (url, bodies, ca) = (url.clone(), bodies.clone(), ca.pem());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::builder()
                    .add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).unwrap())
                    .tls_built_in_root_certs(false)
                    .timeout(Duration::from_secs(5))
                    .build()
                    .unwrap();
                let offset = interval / THREADS as u32 * t as u32;
                let (mut lat, mut errors) =
                    (Vec::with_capacity((per_thread * seconds) as usize), 0u64);
                for i in 0..per_thread * seconds {
                    let due = start + offset + interval * i as u32;
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let body = bodies[(i as usize + t as usize) % bodies.len()].clone();
                    match client
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                    {
                        Ok(r) if r.status() == 200 => {
                            let _ = r.bytes();
                            lat.push(due.elapsed());
                        }
                        _ => errors += 1,
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.join().unwrap();
        lat.extend(l);
        errors += e;
    }
    let peak_kib: u64 = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0);
    let _ = child.kill();
    let _ = child.wait();
    lat.sort();
    let q = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "serve over HTTPS at {RATE} requests/s for {seconds} s (25% denied): {} ok, {errors} errors; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; server peak RSS {:.1} MB",
        lat.len(),
        q(0.50).as_secs_f64() * 1e3,
        q(0.99).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3,
        peak_kib as f64 / 1024.0
    );
}
