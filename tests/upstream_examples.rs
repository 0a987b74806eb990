//! Upstream Agones' own example manifests (shared/upstream-examples, beside this repository) lint
//! as their README promises: no error except the TLS webhook whose caBundle is a placeholder.

mod common;

use std::path::Path;

#[test]
fn upstream_examples_lint_clean_but_for_the_placeholder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/upstream-examples");
    assert!(
        dir.is_dir(),
        "{} is missing: the workspace's shared/ folder must sit beside the repository",
        dir.display()
    );
    let r = common::run(
        &[
            "lint",
            "--format",
            "json",
            "--now",
            "2026-11-23T00:00:00Z",
            "--feature-gates",
            "WasmAutoscaler=true&PlayerTracking=true&PlayerAllocationFilter=true",
            dir.to_str().unwrap(),
        ],
        None,
    );
    let j = r.json();
    let errors: Vec<(String, String)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![(
            "webhookfleetautoscalertls.yaml".to_string(),
            "FAS011".to_string()
        )]
    );
    assert!(j["summary"]["documents"].as_u64().unwrap() >= 38);
}
