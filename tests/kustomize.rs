//! Kustomize: the patches an overlay names are partial objects (no missing-field errors, no
//! duplicate of the base), and `kubectl kustomize overlays/prod | agones-lint lint -` names the
//! resources in its findings.

mod common;

const TREE: &str = "tests/fixtures/kustomize";

#[test]
fn a_base_and_overlay_lint_without_false_alarms() {
    let r = common::run(
        &[
            "lint",
            "--format",
            "json",
            &format!("{TREE}/base"),
            &format!("{TREE}/overlays"),
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.all_rules(), Vec::<String>::new(), "{}", r.stdout);
}

#[test]
fn what_a_patch_sets_is_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("kustomization.yaml"),
        "resources: [../base]\npatches:\n  - path: fleet.yaml\npatchesStrategicMerge:\n  - autoscaler.yaml\n",
    )
    .unwrap();
    std::fs::write(
        d.join("fleet.yaml"),
        "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata: {name: arena}\nspec:\n  template:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: arena\n              imagePullPolicy: Sometimes\n              $patch: replace\n",
    )
    .unwrap();
    std::fs::write(
        d.join("autoscaler.yaml"),
        "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata: {name: arena}\nspec:\n  policy:\n    buffer:\n      bufferSise: 10\n",
    )
    .unwrap();
    let r = common::run(&["lint", "--format", "json", d.to_str().unwrap()], None);
    let mut found = r.fields(&["rule", "path"]);
    found.sort();
    assert_eq!(
        found,
        [
            ["SCH001", "spec.policy.buffer.bufferSise"],
            [
                "SCH004",
                "spec.template.spec.template.spec.containers[0].imagePullPolicy"
            ],
        ],
        "{}",
        r.stdout
    );
}

fn rendered_findings(yaml: &[u8]) -> Vec<Vec<String>> {
    common::run(&["lint", "--format", "json", "-"], Some(yaml)).fields(&["rule", "kind", "object"])
}

/// What `kubectl kustomize overlays/prod` printed, committed so the test runs without kubectl.
#[test]
fn rendered_overlay_findings_name_the_resource() {
    let yaml = std::fs::read(format!("{TREE}/prod.rendered.yaml")).unwrap();
    assert_eq!(
        rendered_findings(&yaml),
        [["FAS001", "FleetAutoscaler", "games-prod/arena-autoscaler"]]
    );
}

/// The same with the real kustomize (kubectl's), where it is installed.
#[test]
fn kubectl_kustomize_output_lints_the_same() {
    let Ok(out) = std::process::Command::new("kubectl")
        .args(["kustomize", &format!("{TREE}/overlays/prod")])
        .output()
    else {
        eprintln!("kubectl is not installed: the committed rendering stands in for it");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read(format!("{TREE}/prod.rendered.yaml")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&committed),
        "kustomize renders differently now: refresh {TREE}/prod.rendered.yaml"
    );
    assert_eq!(rendered_findings(&out.stdout).len(), 1);
}
