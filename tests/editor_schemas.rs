//! `schema --catalog`: the editor schemas in the CRDs-catalog layout. Every valid manifest at
//! hand (the bundled examples, upstream Agones' examples) passes them as an editor would check
//! it, and a typo does not. `.ci/test-editor.sh` runs yaml-language-server itself on them.

mod common;

use std::path::{Path, PathBuf};

use agones_lint::source::{objects, yaml::Budgets};

fn catalog() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let r = common::run(&["schema", "--catalog", dir.path().to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut files: Vec<PathBuf> = walk(dir.path());
    files.sort();
    (dir, files)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The catalog file yaml-language-server's CRD store asks for: `<group>/<kind>_<version>.json`.
fn schema_path(root: &Path, api_version: &str, kind: &str) -> PathBuf {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    root.join(group).join(format!(
        "{}_{}.json",
        kind.to_lowercase(),
        version.to_lowercase()
    ))
}

#[test]
fn the_catalog_holds_every_agones_kind_where_the_crd_store_looks() {
    let (dir, files) = catalog();
    let relative: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(dir.path())
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(
        relative,
        [
            "agones.dev/fleet_v1.json",
            "agones.dev/gameserver_v1.json",
            "agones.dev/gameserverset_v1.json",
            "allocation.agones.dev/gameserverallocation_v1.json",
            "autoscaling.agones.dev/fleetautoscaler_v1.json",
        ]
    );
    for f in &files {
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let spec = &schema["properties"]["spec"];
        assert!(
            spec["description"].is_string(),
            "{}: spec has no description",
            f.display()
        );
    }
}

fn manifests() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = walk(&root.join("examples/valid"));
    out.extend(walk(&root.join("../shared/upstream-examples")));
    out.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"));
    out.sort();
    out
}

/// Errors an editor would show for each Agones document of `text`, by the catalog's schema.
fn editor_errors(root: &Path, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for obj in &objects(text, &Budgets::default()) {
        let json = obj.root.to_json();
        let (Some(api), Some(kind)) = (json["apiVersion"].as_str(), json["kind"].as_str()) else {
            continue;
        };
        let path = schema_path(root, api, kind);
        if !path.exists() {
            continue;
        }
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        out.extend(
            validator
                .iter_errors(&json)
                .map(|e| format!("{kind} {}: {e}", e.instance_path())),
        );
    }
    out
}

#[test]
fn valid_manifests_pass_the_editor_schemas_and_a_typo_does_not() {
    let (dir, _) = catalog();
    let mut checked = 0;
    let mut failures = Vec::new();
    for m in manifests() {
        let text = std::fs::read_to_string(&m).unwrap();
        if !text.contains("agones.dev/v1") {
            continue;
        }
        checked += 1;
        for e in editor_errors(dir.path(), &text) {
            failures.push(format!("{}: {e}", m.display()));
        }
    }
    assert!(checked >= 30, "only {checked} manifests found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let typo = "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata: {name: a}\nspec:\n  fleetName: a\n  policy:\n    type: Buffer\n    buffer: {bufferSise: 5, maxReplicas: 10}\n";
    let errors = editor_errors(dir.path(), typo);
    assert!(
        errors.iter().any(|e| e.contains("bufferSise")),
        "{errors:?}"
    );
}
