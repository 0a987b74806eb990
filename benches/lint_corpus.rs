//! End-to-end lint benchmark: `cargo bench --bench lint_corpus` (`AGONES_LINT_BIN=path` times
//! another binary on the same corpus).
//!
//! Writes a corpus of 100,000 Agones documents in 1,000 files under target/bench-corpus: 50%
//! FleetAutoscalers of every policy type (a fifth of them Chains whose Schedule entry has a
//! year-long window), 40% the Fleets they scale (ports, counters, a Pod template with env,
//! resources, probes and tolerations), 10% GameServerAllocations; about 5% invalid. Then:
//! - times a parse-only pass over the same files with saphyr-parser on every core (the floor
//!   no YAML linter goes below) and the release binary's `lint --format json`, and prints
//!   documents/s, peak RSS and the ratio lint/parse;
//! - times one small file, whole process (what a pre-commit hook pays), and one file of 10,000
//!   documents (its peak RSS: a file's documents are checked as they are parsed);
//! - runs the peers on the same files when they are on PATH: yamllint in its default
//!   configuration (YAML only), and check-jsonschema against schemas/ on a one-document-per-file
//!   copy of the FleetAutoscalers (it takes one schema per run).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

const FILES: usize = 1_000;
const DOCS_PER_FILE: usize = 100;
const SINGLE_DOCS: usize = 10_000;

/// A small deterministic generator, so every run lints the same corpus.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Blocks of ten documents: four FleetAutoscalers, the four Fleets they scale, one
/// GameServerAllocation, and one FleetAutoscaler whose Fleet lives elsewhere (an info).
fn document(i: usize, rng: &mut Lcg) -> String {
    let target = match i % 10 {
        0..=3 => format!("arena-{}", i + 4),
        4..=7 => return fleet(i, rng),
        8 => return allocation(i, rng),
        _ => format!("external-{}", i % 50),
    };
    let invalid = rng.below(100) < 5;
    let name = format!("fas-{i}");
    let min = 1 + rng.below(5);
    let max = 20 + rng.below(80);
    let policy = match rng.below(10) {
        0 | 1 => format!("    type: Buffer\n    buffer:\n      bufferSize: {}\n      minReplicas: {}\n      maxReplicas: {max}\n", if invalid { 0 } else { min }, min),
        2 => format!("    type: Buffer\n    buffer:\n      bufferSize: \"{}%\"\n      minReplicas: {min}\n      maxReplicas: {max}\n", if invalid { 120 } else { 20 }),
        3 => format!("    type: Counter\n    counter:\n      key: rooms\n      bufferSize: 5\n      minCapacity: {}\n      maxCapacity: {}\n", if invalid { 500 } else { 10 }, 200),
        4 => format!("    type: List\n    list:\n      key: players\n      bufferSize: {}\n      minCapacity: 10\n      maxCapacity: 100\n", if invalid { 0 } else { 5 }),
        5 => format!("    type: Webhook\n    webhook:\n      {}\n", if invalid { "url: \"http:/bad%\"" } else { "service: {name: scaler, namespace: games, path: /scale}" }),
        6 | 7 => format!(
            "    type: Schedule\n    schedule:\n      between:\n        start: \"2026-01-01T00:00:00Z\"\n        end: \"2030-01-01T00:00:00Z\"\n      activePeriod:\n        timezone: {}\n        startCron: \"0 18 * * FRI\"\n        duration: 6h\n      policy:\n        type: Buffer\n        buffer:\n          bufferSize: 5\n          minReplicas: 5\n          maxReplicas: 50\n",
            if invalid { "Mars/Base" } else { "Europe/Berlin" }
        ),
        _ => format!(
            "    type: Chain\n    chain:\n      - id: {}\n        type: Schedule\n        schedule:\n          between:\n            start: \"2026-01-01T00:00:00Z\"\n            end: \"2027-01-01T00:00:00Z\"\n          activePeriod:\n            timezone: America/New_York\n            startCron: \"0 16 * * SAT\"\n            duration: 8h\n          policy:\n            type: Buffer\n            buffer:\n              bufferSize: 10\n              minReplicas: 10\n              maxReplicas: 80\n      - id: everyday\n        type: Buffer\n        buffer:\n          bufferSize: 3\n          minReplicas: 3\n          maxReplicas: 40\n",
            if invalid { "everyday" } else { "weekend" }
        ),
    };
    format!("apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: {name}\n  namespace: games\nspec:\n  fleetName: {target}\n  policy:\n{policy}")
}

fn fleet(i: usize, rng: &mut Lcg) -> String {
    let invalid = rng.below(100) < 5;
    format!(
        "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: arena-{i}\n  namespace: games\nspec:\n  scheduling: {}\n  template:\n    spec:\n      ports:\n        - name: default\n          containerPort: 7654\n      counters:\n        rooms:\n          capacity: 10\n      lists:\n        players:\n          capacity: 10\n      template:\n        spec:\n          containers:\n            - name: arena\n              image: registry.example.com/arena:1.4.2\n              imagePullPolicy: IfNotPresent\n              env:\n                - name: MODE\n                  value: ranked\n                - name: POD_IP\n                  valueFrom:\n                    fieldRef:\n                      fieldPath: status.podIP\n              resources:\n                requests:\n                  cpu: 500m\n                  memory: 256Mi\n                limits:\n                  cpu: 1\n                  memory: 512Mi\n              readinessProbe:\n                httpGet:\n                  path: /ready\n                  port: 8000\n                periodSeconds: 5\n          tolerations:\n            - key: dedicated\n              operator: Equal\n              value: gameservers\n              effect: NoSchedule\n",
        if invalid { "Spread" } else { "Packed" }
    )
}

fn allocation(i: usize, rng: &mut Lcg) -> String {
    let invalid = rng.below(100) < 5;
    format!(
        "apiVersion: allocation.agones.dev/v1\nkind: GameServerAllocation\nmetadata:\n  name: match-{i}\n  namespace: games\nspec:\n  selectors:\n    - matchLabels:\n        agones.dev/fleet: arena-{}\n      gameServerState: {}\n",
        i - 4,
        if invalid { "Waiting" } else { "Ready" }
    )
}

fn write_corpus(root: &Path) -> (PathBuf, PathBuf) {
    let multi = root.join("multi");
    let single = root.join("single");
    if root.join("v5").exists()
        && multi.join(format!("f{:04}.yaml", FILES - 1)).exists()
        && single
            .join(format!("d{:05}.yaml", SINGLE_DOCS - 1))
            .exists()
    {
        return (multi, single);
    }
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(&multi).unwrap();
    std::fs::write(
        root.join("v5"),
        "mixed kinds, paired, Pod templates, year-long chain windows, allocations in the Fleets' namespace",
    )
    .unwrap();
    std::fs::create_dir_all(&single).unwrap();
    let mut rng = Lcg(42);
    let mut n = 0;
    for f in 0..FILES {
        let mut text = String::new();
        for _ in 0..DOCS_PER_FILE {
            let doc = document(n, &mut rng);
            if n < SINGLE_DOCS {
                std::fs::write(single.join(format!("d{n:05}.yaml")), &doc).unwrap();
            }
            let _ = write!(text, "---\n{doc}");
            n += 1;
        }
        std::fs::write(multi.join(format!("f{f:04}.yaml")), text).unwrap();
    }
    (multi, single)
}

/// Runs a command to completion, sampling its peak resident memory from /proc.
fn measure(cmd: &mut Command) -> (Duration, u64, i32) {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("command starts");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            for line in s.lines().filter(|l| l.starts_with("VmHWM:")) {
                peak_kib = peak_kib.max(
                    line.split_whitespace()
                        .nth(1)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0),
                );
            }
        }
        if let Some(st) = child.try_wait().unwrap() {
            return (start.elapsed(), peak_kib, st.code().unwrap_or(-1));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Reads and parses every file of `dir` to YAML events on every core, as lint does before it
/// checks anything: the floor of the lint time.
fn parse_only(dir: &Path) -> Duration {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let events: usize = files
                .par_iter()
                .map(|p| {
                    let text = std::fs::read_to_string(p).unwrap();
                    let mut events = 0;
                    for ev in saphyr_parser::Parser::new_from_str(&text) {
                        ev.expect("the corpus is valid YAML");
                        events += 1;
                    }
                    events
                })
                .sum();
            assert!(events > 0);
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Files yamllint reads: at its pace the whole corpus takes over ten minutes, so it gets the
/// first twentieth and its rate is compared.
const YAMLLINT_FILES: usize = FILES / 20;

/// yamllint (PyPI) in its default configuration: a peer that only parses and lints YAML.
fn yamllint(dir: &Path, ours_docs_per_s: f64) {
    match Command::new("yamllint").arg("--version").output() {
        Ok(o) if o.status.success() => {
            let files: Vec<PathBuf> = (0..YAMLLINT_FILES)
                .map(|f| dir.join(format!("f{f:04}.yaml")))
                .collect();
            let (t, kib, _) = measure(
                Command::new("yamllint")
                    .args(["--format", "parsable"])
                    .args(&files),
            );
            let docs = YAMLLINT_FILES * DOCS_PER_FILE;
            let rate = docs as f64 / t.as_secs_f64();
            println!(
                "{} (default configuration), the first {YAMLLINT_FILES} files ({docs} documents): {:.3} s = {rate:.0} documents/s, peak RSS {:.1} MB; agones-lint is {:.1}x faster",
                String::from_utf8_lossy(&o.stdout).trim(),
                t.as_secs_f64(),
                kib as f64 / 1024.0,
                ours_docs_per_s / rate
            );
        }
        _ => println!("yamllint is not installed (pip install yamllint): comparison skipped"),
    }
}

fn main() {
    // AGONES_LINT_BIN times another build (an older commit's, for a before/after comparison);
    // set but empty means this one, so a loop over builds can name the current one as "".
    let bin_override = std::env::var("AGONES_LINT_BIN")
        .ok()
        .filter(|path| !path.is_empty());
    let bin = bin_override
        .as_deref()
        .unwrap_or(env!("CARGO_BIN_EXE_agones-lint"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let (multi, single) = write_corpus(&root);
    let docs = FILES * DOCS_PER_FILE;
    println!(
        "corpus: {docs} documents in {FILES} files ({})",
        multi.display()
    );

    let parse = parse_only(&multi);
    println!(
        "parse only (saphyr-parser events, every core): best of 3 {:.3} s = {:.0} documents/s",
        parse.as_secs_f64(),
        docs as f64 / parse.as_secs_f64()
    );
    let mut best = Duration::MAX;
    let mut peak = 0;
    for _ in 0..3 {
        let (t, kib, code) = measure(
            Command::new(bin)
                .args(["lint", "--format", "json", "--now", "2026-06-01T00:00:00Z"])
                .arg(&multi),
        );
        assert_eq!(
            code, 1,
            "the corpus has invalid documents, so lint must exit 1"
        );
        best = best.min(t);
        peak = peak.max(kib);
    }
    println!(
        "lint, whole corpus: best of 3 {:.3} s = {:.0} documents/s, peak RSS {:.1} MB; {:.2}x the parse-only time",
        best.as_secs_f64(),
        docs as f64 / best.as_secs_f64(),
        peak as f64 / 1024.0,
        best.as_secs_f64() / parse.as_secs_f64()
    );
    yamllint(&multi, docs as f64 / best.as_secs_f64());

    let small = single.join("d00000.yaml");
    let mut times: Vec<Duration> = (0..30)
        .map(|_| measure(Command::new(bin).args(["lint"]).arg(&small)).0)
        .collect();
    times.sort();
    println!(
        "lint, one small file (whole process): median {:.1} ms, max {:.1} ms over 30 runs",
        times[15].as_secs_f64() * 1e3,
        times[29].as_secs_f64() * 1e3
    );

    // One large file: a file's objects are checked as they are parsed, so its peak should sit
    // near the whole corpus's, not grow with its 10,000 documents.
    let joined = root.join("joined.yaml");
    if !joined.exists() {
        let text: String = (0..100)
            .map(|f| std::fs::read_to_string(multi.join(format!("f{f:04}.yaml"))).unwrap())
            .collect();
        std::fs::write(&joined, text).unwrap();
    }
    let bytes = std::fs::metadata(&joined).map(|m| m.len()).unwrap_or(0);
    let (t, kib, _) = measure(
        Command::new(bin)
            .args(["lint", "--format", "json", "--now", "2026-06-01T00:00:00Z"])
            .arg(&joined),
    );
    println!(
        "lint, one file of {} documents ({:.1} MB): {:.3} s, peak RSS {:.1} MB",
        100 * DOCS_PER_FILE,
        bytes as f64 / 1e6,
        t.as_secs_f64(),
        kib as f64 / 1024.0
    );

    // The comparison uses the FleetAutoscaler documents only: one schema, the same files for both.
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/fleetautoscaler.json");
    let files: Vec<PathBuf> = (0..SINGLE_DOCS)
        .filter(|n| matches!(n % 10, 0..=3 | 9))
        .map(|n| single.join(format!("d{n:05}.yaml")))
        .collect();
    let count = files.len();
    let t_ours = (0..3)
        .map(|_| {
            measure(
                Command::new(bin)
                    .args(["lint", "--format", "json", "--now", "2026-06-01T00:00:00Z"])
                    .args(&files),
            )
            .0
        })
        .min()
        .unwrap_or_default();
    println!(
        "lint, {count} one-document FleetAutoscaler files: best of 3 {:.3} s = {:.0} documents/s",
        t_ours.as_secs_f64(),
        count as f64 / t_ours.as_secs_f64()
    );
    match Command::new("check-jsonschema").arg("--version").output() {
        Ok(o) if o.status.success() => {
            let (t, kib, _) = measure(
                Command::new("check-jsonschema")
                    .arg("--schemafile")
                    .arg(&schema)
                    .args(&files),
            );
            println!(
                "check-jsonschema ({}), same {count} files, schema only: {:.3} s = {:.0} documents/s, peak RSS {:.1} MB; agones-lint is {:.1}x faster",
                String::from_utf8_lossy(&o.stdout).trim(),
                t.as_secs_f64(),
                count as f64 / t.as_secs_f64(),
                kib as f64 / 1024.0,
                t.as_secs_f64() / t_ours.as_secs_f64()
            );
        }
        _ => println!(
            "check-jsonschema is not installed (pip install check-jsonschema): comparison skipped"
        ),
    }
}
