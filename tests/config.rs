//! `.agones-lint.yaml`, inline suppressions and `init`, through the binary.

mod common;

use std::path::Path;

const WASM: &str = "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: w\nspec:\n  fleetName: f\n  policy:\n    type: Wasm\n    wasm:\n      from:\n        url:\n          url: https://m.example.com/s.wasm\n";

fn run_in(dir: &Path, args: &[&str]) -> common::Run {
    let out = common::bin().current_dir(dir).args(args).output().unwrap();
    common::Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

#[test]
fn the_nearest_config_above_the_working_folder_applies() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".agones-lint.yaml"),
        "feature-gates: \"WasmAutoscaler=true\"\nrules:\n  FAS030: off\n  REF001: error\n",
    )
    .unwrap();
    let sub = dir.path().join("deploy/prod");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("fas.yaml"), WASM).unwrap();
    let r = run_in(&sub, &["lint", "--format", "json", "fas.yaml"]);
    // The gate is on (no FAS008), FAS030 is off, REF001 became an error.
    assert_eq!(r.all_rules(), vec!["REF001"], "{}", r.stdout);
    assert_eq!(r.json()["findings"][0]["severity"], "error");
    assert_eq!(r.code, 1);
    // A flag wins over the config.
    let r = run_in(
        &sub,
        &[
            "lint",
            "--format",
            "json",
            "--feature-gates",
            "WasmAutoscaler=false",
            "fas.yaml",
        ],
    );
    assert!(
        r.all_rules().contains(&"FAS008".to_string()),
        "{}",
        r.stdout
    );
}

#[test]
fn config_mistakes_are_findings_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("lint.yaml");
    std::fs::write(&cfg, "rules:\n  FAS030: quiet\nnamspace: games\n").unwrap();
    let r = run_in(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "--config",
            cfg.to_str().unwrap(),
            "-",
        ],
    );
    let j = r.json();
    let found: Vec<(String, u64, String)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CFG001")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["help"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1), ("CFG001", 2));
    assert_eq!((found[1].0.as_str(), found[1].1), ("CFG001", 3));
    assert!(found[1].2.contains("did you mean `namespace`"), "{found:?}");
    assert_eq!(r.code, 1);
    let r = run_in(dir.path(), &["lint", "--config", "missing.yaml", "-"]);
    assert_eq!(r.code, 2);
}

#[test]
fn exclude_globs_skip_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".agones-lint.yaml"),
        "exclude:\n  - \"charts/**\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("charts/x")).unwrap();
    std::fs::write(dir.path().join("charts/x/bad.yaml"), "broken: [").unwrap();
    std::fs::write(
        dir.path().join("ok.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["lint", "--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.json()["summary"]["files"], 1);
}

#[test]
fn inline_suppressions_and_unused_ones() {
    let doc = "# agones-lint: disable=FAS030,REF001\napiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: w\nspec:\n  fleetName: f\n  policy:\n    type: Wasm\n    wasm:\n      from:\n        url:\n          url: https://m.example.com/s.wasm\n";
    let r = common::lint_str(doc, &["--feature-gates", "WasmAutoscaler=true"]);
    assert!(
        r.all_rules().is_empty(),
        "a document-wide suppression: {}",
        r.stdout
    );
    let line = WASM.replace(
        "    wasm:\n",
        "    # agones-lint: disable=wasm-hash-missing\n    wasm:\n",
    );
    let r = common::lint_str(&line, &["--feature-gates", "WasmAutoscaler=true"]);
    assert_eq!(
        r.rules(),
        Vec::<String>::new(),
        "next-line suppression by name: {}",
        r.stdout
    );
    let stale = WASM.replace(
        "    wasm:\n",
        "    # agones-lint: disable=FAS012\n    wasm:\n",
    );
    let r = common::lint_str(&stale, &["--feature-gates", "WasmAutoscaler=true"]);
    // Sorted by position: the stale comment (line 9) before the finding it failed to hide.
    assert_eq!(r.rules(), vec!["CFG002", "FAS030"], "{}", r.stdout);
    let file = format!("# agones-lint: disable-file\n{WASM}");
    assert!(common::lint_str(&file, &[]).all_rules().is_empty());
}

#[test]
fn init_writes_a_starter_config_once() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init"]).code, 0);
    let text = std::fs::read_to_string(dir.path().join(".agones-lint.yaml")).unwrap();
    assert!(text.contains("# rules:"));
    let again = run_in(dir.path(), &["init"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("--force"));
    assert_eq!(run_in(dir.path(), &["init", "--force"]).code, 0);
}

#[test]
fn the_webhook_deployment_carries_a_valid_config() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/webhook.yaml"))
        .unwrap();
    // The ConfigMap's `agones-lint.yaml: |` block, unindented.
    let start = text.find("agones-lint.yaml: |").unwrap();
    let block: String = text[start..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("    ") || l.trim().is_empty())
        .map(|l| format!("{}\n", l.get(4..).unwrap_or("")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cfg.yaml");
    std::fs::write(&path, &block).unwrap();
    let r = common::run(
        &[
            "lint",
            "--format",
            "json",
            "--config",
            path.to_str().unwrap(),
            "-",
        ],
        Some(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"),
    );
    assert_eq!(r.code, 0, "{}\n{block}", r.stdout);
    assert!(
        !r.all_rules().iter().any(|c| c.starts_with("CFG")),
        "{}",
        r.stdout
    );
}
