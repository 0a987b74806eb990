//! Webhook and Wasm policy benchmark: `cargo bench --bench external`.
//!
//! - Wasm: compile time of examples/wasm/buffer.wasm (median of 20), then 10,000 calls of its
//!   `scale` export on one instance with a real review (median, p99, max per call).
//! - Webhook: 2,000 round trips on loopback through the same client the simulator uses, to a
//!   keep-alive HTTP/1.1 server in this process (median, p99, max).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use agones_lint::external::http::{Http, HttpOptions};
use agones_lint::external::review;
use agones_lint::external::wasm::{compile, Instance, WasmLimits};
use agones_lint::model::agones::Fleet;

fn fleet() -> Fleet {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "agones.dev/v1", "kind": "Fleet",
        "metadata": {"name": "arena", "namespace": "games", "labels": {"team": "arena"}},
        "spec": {"replicas": 10, "template": {"spec": {"template": {}}}},
        "status": {"replicas": 10, "readyReplicas": 2, "allocatedReplicas": 8}
    }))
    .unwrap()
}

fn summary(name: &str, mut d: Vec<Duration>) {
    d.sort();
    let at = |q: f64| d[((d.len() as f64 * q).ceil() as usize).clamp(1, d.len()) - 1];
    println!(
        "{name}: n={} median {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        d.len(),
        at(0.5).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        d[d.len() - 1].as_secs_f64() * 1e6
    );
}

fn wasm() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/wasm/buffer.wasm"
    ))
    .unwrap();
    let config: BTreeMap<String, String> = [("buffer_size".to_string(), "5".to_string())].into();
    let mut compiles = Vec::new();
    let mut compiled = None;
    for _ in 0..20 {
        let t = Instant::now();
        compiled = Some(compile(&bytes, &config, WasmLimits::default()).unwrap());
        compiles.push(t.elapsed());
    }
    summary("wasm compile (buffer.wasm, 2.2 kB)", compiles);
    let compiled = compiled.unwrap();
    let t = Instant::now();
    let mut instance = Instance::new(&compiled).unwrap();
    println!(
        "wasm instantiate: {:.1} µs",
        t.elapsed().as_secs_f64() * 1e6
    );
    let input = serde_json::to_vec(&review::request(&fleet(), &review::new_uid(), true)).unwrap();
    let mut calls = Vec::with_capacity(10_000);
    for _ in 0..10_000 {
        let t = Instant::now();
        let out = instance.call("scale", &input).unwrap();
        calls.push(t.elapsed());
        assert_eq!(review::parse_answer(&out).unwrap().desired(10), 13);
    }
    summary("wasm call (scale, warm instance)", calls);
}

fn serve_keep_alive(listener: TcpListener) {
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || {
            stream.set_nodelay(true).unwrap();
            let mut w = stream.try_clone().unwrap();
            let mut r = BufReader::new(stream);
            loop {
                let mut len = 0usize;
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':') {
                        if k.eq_ignore_ascii_case("content-length") {
                            len = v.trim().parse().unwrap();
                        }
                    }
                }
                let mut body = vec![0; len];
                r.read_exact(&mut body).unwrap();
                let reply = br#"{"response":{"scale":true,"replicas":13}}"#;
                let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", reply.len());
                // One write: a second small segment would wait for a delayed ACK (Nagle).
                let mut out = head.into_bytes();
                out.extend_from_slice(reply);
                w.write_all(&out).unwrap();
            }
        });
    }
}

fn webhook() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/scale", listener.local_addr().unwrap());
    std::thread::spawn(move || serve_keep_alive(listener));
    let http = Http::new(&HttpOptions::default(), None).unwrap();
    let f = fleet();
    let mut rtts = Vec::with_capacity(2_000);
    for i in 0..2_100 {
        let t = Instant::now();
        let body = serde_json::to_vec(&review::request(&f, &review::new_uid(), true)).unwrap();
        let reply = http.post_json(&url, body).unwrap();
        let answer = review::parse_answer(&reply).unwrap();
        if i >= 100 {
            rtts.push(t.elapsed());
        }
        assert_eq!(answer.desired(10), 13);
    }
    summary(
        "webhook round trip (loopback, keep-alive, after 100 warm-up)",
        rtts,
    );
}

fn main() {
    wasm();
    webhook();
}
