//! Golden outputs: the JSON and human formats on the bundled broken examples. Regenerate with
//! `UPDATE_GOLDEN=1 cargo test --test golden` and review the diff.

mod common;

/// The human summary ends with the elapsed time; mask it.
fn mask_time(s: &str) -> String {
    s.lines()
        .map(|l| match l.rfind(" in ") {
            Some(i) if l.ends_with(" ms") => format!("{} in <ms> ms", &l[..i]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn lint_examples(format: &str) -> common::Run {
    let mut cmd = common::bin();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "lint",
        "--format",
        format,
        "--color",
        "never",
        "--now",
        "2026-06-01T00:00:00Z",
        "examples/broken",
    ]);
    let out = cmd.output().unwrap();
    common::Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

#[test]
fn json_format() {
    let r = lint_examples("json");
    assert_eq!(r.code, 1);
    let pretty = serde_json::to_string_pretty(&r.json()).unwrap() + "\n";
    common::golden("broken.json", &pretty);
    // The format is one line of JSON, sorted by file, line and column.
    assert_eq!(r.stdout.lines().count(), 1);
    let keys: Vec<(String, u64, u64)> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn human_format() {
    let r = lint_examples("human");
    assert_eq!(r.code, 1);
    common::golden("broken.txt", &mask_time(&r.stdout));
}

#[test]
fn github_format() {
    let r = lint_examples("github");
    assert_eq!(r.code, 1);
    common::golden("broken.github.txt", &r.stdout);
    assert!(
        r.stdout
            .lines()
            .all(|l| l.starts_with("::") || l.starts_with("agones-lint: ")),
        "{}",
        r.stdout
    );
}

#[test]
fn sarif_format() {
    let mut cmd = common::bin();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "lint",
        "--format",
        "sarif",
        "--rules-url",
        "https://example.invalid/agones-lint/blob/main/rules/",
        "--now",
        "2026-06-01T00:00:00Z",
        "examples/broken",
    ]);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        run["tool"]["driver"]["informationUri"],
        "https://example.invalid/agones-lint/blob/main"
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 13);
    // Every result names a rule the driver lists, at its index.
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], r["ruleId"]);
    }
    // The rules are many and their docs long: the golden file keeps the results only.
    common::golden(
        "broken.sarif.json",
        &(serde_json::to_string_pretty(&run["results"]).unwrap() + "\n"),
    );
}

#[test]
fn markdown_format() {
    let r = lint_examples("markdown");
    assert_eq!(r.code, 1);
    common::golden("broken.md", &r.stdout);
}

#[test]
fn absolute_paths_under_the_working_folder_are_shown_relative() {
    let abs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken/syntax.yaml");
    let mut cmd = common::bin();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "lint",
        "--format",
        "json",
        abs.to_str().unwrap(),
    ]);
    let out = cmd.output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["findings"][0]["file"], "examples/broken/syntax.yaml");
}

#[test]
fn max_findings_keeps_counting_what_it_hides() {
    let mut cmd = common::bin();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "lint",
        "--format",
        "json",
        "--max-findings",
        "1",
        "--now",
        "2026-06-01T00:00:00Z",
        "examples/broken",
    ]);
    let out = cmd.output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["findings"].as_array().unwrap().len(), 1);
    assert_eq!(
        j["summary"]["errors"], 7,
        "the summary counts hidden findings"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "hidden errors still fail the run"
    );
}

#[test]
fn valid_examples_are_clean() {
    let mut cmd = common::bin();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "lint",
        "--strict",
        "--feature-gates",
        "WasmAutoscaler=true",
        "examples/valid",
    ]);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
