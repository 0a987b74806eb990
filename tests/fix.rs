//! `lint --fix` and `--diff` on files, as a user runs them. The rule docs test
//! (`fixes_are_documented_and_settle`) covers every fixable rule's own example; these cover
//! what a fix must preserve.

mod common;

use std::fs;

use agones_lint::source::{objects, yaml::Budgets};

fn json_of(text: &str) -> serde_json::Value {
    let objects = objects(text, &Budgets::default());
    assert_eq!(objects.len(), 1, "{text}");
    objects[0].root.to_json()
}

/// Fixes `text` as `name` in a fresh folder; the fixed text and the run.
fn fix(name: &str, text: &str, extra: &[&str]) -> (String, common::Run) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    fs::write(&file, text).unwrap();
    let mut args = vec!["lint", "--fix", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(file.to_str().unwrap());
    let run = common::run(&args, None);
    (fs::read_to_string(&file).unwrap(), run)
}

const GSA_HEAD: &str = "apiVersion: allocation.agones.dev/v1\nkind: GameServerAllocation\nmetadata:\n  name: match\nspec:\n";

/// The deprecated fields become what Agones' conversion makes of them: the preferred
/// selectors, then the required one (the empty selector when it is missing), in that order.
#[test]
fn deprecated_selectors_become_what_agones_converts_them_to() {
    let specs = [
        // required first, another field between, comments inside
        "  # must have\n  required:\n    matchLabels:\n      agones.dev/fleet: lobby  # ours\n    gameServerState: Ready\n  scheduling: Packed\n  preferred:\n    - matchLabels:\n        version: \"2\"\n    - gameServerState: Allocated\n      players:\n        minAvailable: 1\n",
        // preferred only, indentless sequence: Agones appends the empty required selector
        "  preferred:\n  - matchLabels:\n      version: \"2\"\n  scheduling: Distributed\n",
        // required only, in flow style
        "  required: {matchLabels: {agones.dev/fleet: lobby}}\n",
        // preferred first, required last in the file without a final newline
        "  preferred:\n    - matchLabels: {v: \"1\"}\n  required:\n    matchLabels:\n      agones.dev/fleet: lobby",
    ];
    for spec in specs {
        let before = format!("{GSA_HEAD}{spec}");
        let (after, run) = fix("gsa.yaml", &before, &[]);
        assert!(
            run.stderr.contains("fixed 1 finding"),
            "{}\n{after}",
            run.stderr
        );
        let (old, new) = (json_of(&before), json_of(&after));
        let mut expected: Vec<serde_json::Value> = old["spec"]["preferred"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        expected.push(match &old["spec"]["required"] {
            serde_json::Value::Null => serde_json::json!({}),
            r => r.clone(),
        });
        assert_eq!(
            new["spec"]["selectors"],
            serde_json::Value::Array(expected),
            "{after}"
        );
        let mut rest_old = old["spec"].as_object().unwrap().clone();
        rest_old.remove("required");
        rest_old.remove("preferred");
        let mut rest_new = new["spec"].as_object().unwrap().clone();
        rest_new.remove("selectors");
        assert_eq!(rest_old, rest_new, "{after}");
        assert!(after.starts_with(GSA_HEAD), "{after}");
        for comment in ["# must have", "# ours"] {
            assert_eq!(before.contains(comment), after.contains(comment), "{after}");
        }
        assert!(
            !run.all_rules().contains(&"GSA010".to_string()),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn conditions_next_to_selectors_are_deleted_and_selectors_kept() {
    let before = format!("{GSA_HEAD}  selectors:\n    - matchLabels: {{a: b}}\n  required:\n    matchLabels:\n      agones.dev/fleet: lobby\n  scheduling: Packed\n");
    let (after, run) = fix("gsa.yaml", &before, &[]);
    assert_eq!(
        after,
        format!("{GSA_HEAD}  selectors:\n    - matchLabels: {{a: b}}\n  scheduling: Packed\n"),
        "{}",
        run.stderr
    );
}

const WASM: &str = "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: arena\nspec:\n  fleetName: arena\n  policy:\n    type: Wasm\n    wasm:\n";
const MODULE_URL: &str = "https://modules.example.com/buffer.wasm";
const MODULE_SHA256: &str = "c483b41f646647741cbc7478e3c9229649031fdf9a859ac88c1644e0c7a33fdc";

/// FAS030's fix pins the module the URL serves, whether `hash` is missing or empty.
#[test]
fn a_missing_or_empty_hash_is_pinned_to_the_module() {
    let module = format!(
        "{MODULE_URL}={}/examples/wasm/buffer.wasm",
        env!("CARGO_MANIFEST_DIR")
    );
    let args = [
        "--feature-gates",
        "WasmAutoscaler=true",
        "--wasm-module",
        &module,
    ];
    let from = format!("      from:\n        url:\n          url: {MODULE_URL}\n");
    for (hash, expected) in [
        (
            "",
            format!("      # pinned below\n      hash: {MODULE_SHA256}\n{from}"),
        ),
        (
            "      hash: \"\"\n",
            format!("      # pinned below\n{from}      hash: {MODULE_SHA256}\n"),
        ),
        (
            "      hash:\n",
            format!("      # pinned below\n{from}      hash: {MODULE_SHA256}\n"),
        ),
        (
            "      hash: ~  # later\n",
            format!("      # pinned below\n{from}      hash: {MODULE_SHA256}  # later\n"),
        ),
    ] {
        let before = format!("{WASM}      # pinned below\n{from}{hash}");
        let (after, run) = fix("fas.yaml", &before, &args);
        assert_eq!(after, format!("{WASM}{expected}"), "{}", run.stderr);
        let rules = run.all_rules();
        assert!(
            !rules.iter().any(|r| r == "FAS030" || r == "FAS044"),
            "{rules:?}"
        );
    }
    // Without the module nothing is known to pin: the finding stays, the file too.
    let before = format!("{WASM}{from}");
    let (after, run) = fix(
        "fas.yaml",
        &before,
        &["--feature-gates", "WasmAutoscaler=true"],
    );
    assert_eq!(after, before);
    assert!(run.all_rules().contains(&"FAS030".to_string()));
}

/// Only the files with fixes are written; `--diff` names them and exits 1, and 0 once there
/// is nothing left; standard input is reported, never rewritten.
#[test]
fn only_fixable_files_change_and_diff_tells_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let fixable = dir.path().join("fixable.yaml");
    let clean = dir.path().join("clean.yaml");
    let text = "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: lobby   # the lobby\n\nspec:\n  fleetName: lobby\n  policy:\n    type: Buffer\n    buffer:\n      bufferSize: '5'\n      minReplicas: 5\n      maxReplicas: 20\n";
    // Not Agones, and written oddly on purpose: it must stay byte for byte.
    let other = "kind:   ConfigMap\r\napiVersion: v1\r\ndata: {a: 'b'}\r\n";
    fs::write(&fixable, text).unwrap();
    fs::write(&clean, other).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&fixable, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let diff = common::run_in(dir.path(), &["lint", "--diff", "."]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(
        diff.stdout
            .contains("--- a/fixable.yaml\n+++ b/fixable.yaml\n"),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stdout
            .contains("-      bufferSize: '5'\n+      bufferSize: 5\n"),
        "{}",
        diff.stdout
    );
    assert!(!diff.stdout.contains("clean.yaml"), "{}", diff.stdout);
    assert_eq!(fs::read_to_string(&fixable).unwrap(), text);

    let fixed = common::run_in(dir.path(), &["lint", "--fix", "."]);
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    assert!(
        fixed.stderr.contains("fixed 1 finding in 1 file"),
        "{}",
        fixed.stderr
    );
    assert_eq!(
        fs::read_to_string(&fixable).unwrap(),
        text.replace("bufferSize: '5'", "bufferSize: 5")
    );
    assert_eq!(fs::read_to_string(&clean).unwrap(), other);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&fixable).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640, "the fixed file keeps its permissions");
    }
    let again = common::run_in(dir.path(), &["lint", "--diff", "."]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(again.stderr.contains("nothing to fix"), "{}", again.stderr);

    let stdin = common::run(&["lint", "--fix", "-"], Some(text.as_bytes()));
    assert!(
        stdin
            .stderr
            .contains("standard input is reported, not fixed"),
        "{}",
        stdin.stderr
    );
    assert!(stdin.stdout.contains("FAS005"), "{}", stdin.stdout);
}

/// An unsafe fix waits for `--unsafe-fixes`; the safe ones in the same file do not wait.
#[test]
fn unsafe_fixes_need_their_flag() {
    let text = "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: lobby\nspec:\n  fleetName: lobby\n  policy:\n    type: Buffer\n    buffer:\n      bufferSize: 25\n      minReplicas: \"5\"\n      maxReplicas: 20\n";
    let (safe_only, run) = fix("fas.yaml", text, &[]);
    assert_eq!(safe_only, text.replace("\"5\"", "5"), "{}", run.stderr);
    assert!(run.all_rules().contains(&"FAS003".to_string()));
    let (all, run) = fix("fas.yaml", text, &["--unsafe-fixes"]);
    assert_eq!(
        all,
        text.replace("\"5\"", "5")
            .replace("maxReplicas: 20", "maxReplicas: 25"),
        "{}",
        run.stderr
    );
    assert!(!run.all_rules().contains(&"FAS003".to_string()));
}
