//! The inputs people run agones-lint on: a few changed files against the rest of the
//! repository (`--context`), a repository linted from outside it (its own configuration), and
//! files the configuration excludes named on the command line.

mod common;

use std::path::Path;

const FLEET: &str = "apiVersion: agones.dev/v1
kind: Fleet
metadata: {name: lobby, namespace: games}
spec:
  template:
    spec:
      counters:
        sessions: {capacity: 10}
      template:
        spec:
          containers: [{name: lobby, image: lobby:2}]
";

const AUTOSCALER: &str = "apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata: {name: lobby, namespace: games}
spec:
  fleetName: lobby
  policy:
    type: Counter
    counter: {key: rooms, bufferSize: 5, maxCapacity: 100}
";

/// A repository: deploy/fleets, deploy/autoscalers, and a chart folder the config excludes.
fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("deploy/fleets")).unwrap();
    std::fs::create_dir_all(root.join("deploy/autoscalers")).unwrap();
    std::fs::create_dir_all(root.join("charts")).unwrap();
    std::fs::write(root.join("deploy/fleets/lobby.yaml"), FLEET).unwrap();
    std::fs::write(root.join("deploy/autoscalers/lobby.yaml"), AUTOSCALER).unwrap();
    // Not a valid Fleet: linting it would be an error.
    std::fs::write(
        root.join("charts/fleet.yaml"),
        "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata: {name: x}\n",
    )
    .unwrap();
    std::fs::write(root.join(".agones-lint.yaml"), config).unwrap();
    dir
}

fn json_rules(r: &common::Run) -> Vec<String> {
    r.all_rules()
}

#[test]
fn a_changed_file_is_checked_against_the_rest_with_context() {
    let dir = repo("exclude: [\"charts/**\"]\n");
    let changed = "deploy/autoscalers/lobby.yaml";
    // Alone, the autoscaler's Fleet is not in the run: only REF001 (info).
    let r = common::run_in(dir.path(), &["lint", "--format", "json", changed]);
    assert_eq!((r.code, json_rules(&r)), (0, vec!["REF001".to_string()]));
    // With the repository as context, the Counter key the Fleet lacks is found...
    let r = common::run_in(
        dir.path(),
        &["lint", "--format", "json", "--context", "deploy/", changed],
    );
    assert_eq!((r.code, json_rules(&r)), (1, vec!["REF002".to_string()]));
    // ... and reported in the changed file only; the context file itself is not linted, and a
    // file both linted and in the context counts once (no REF011 duplicate).
    let j = r.json();
    assert_eq!(j["findings"][0]["file"], changed);
    assert_eq!(j["summary"]["files"], 1);
    // A problem inside a context file is not reported.
    std::fs::write(
        dir.path().join("deploy/fleets/lobby.yaml"),
        FLEET.replace(
            "image: lobby:2",
            "image: lobby:2, imagePullPolicy: Sometimes",
        ),
    )
    .unwrap();
    let r = common::run_in(
        dir.path(),
        &["lint", "--format", "json", "--context", "deploy/", changed],
    );
    assert_eq!(json_rules(&r), ["REF002"], "{}", r.stdout);
}

#[test]
fn context_globs_in_the_config_do_the_same() {
    let dir = repo("exclude: [\"charts/**\"]\ncontext: [\"deploy/**\"]\n");
    let r = common::run_in(
        dir.path(),
        &["lint", "--format", "json", "deploy/autoscalers/lobby.yaml"],
    );
    assert_eq!((r.code, json_rules(&r)), (1, vec!["REF002".to_string()]));
    // The human summary says how many files were read as context.
    let r = common::run_in(dir.path(), &["lint", "-q", "deploy/autoscalers/lobby.yaml"]);
    assert!(
        r.stdout.contains("1 file (+1 read as context)"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_configuration_next_to_the_linted_paths_applies() {
    let dir = repo("exclude: [\"charts/**\"]\nrules:\n  REF002: warning\n");
    let outside = dir.path().parent().unwrap();
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    // From the folder above the repository: its config excludes charts/ and softens REF002.
    let r = common::run_in(outside, &["lint", "--format", "json", name]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let j = r.json();
    assert_eq!(j["summary"]["files"], 2, "{j}");
    assert_eq!(j["findings"][0]["rule"], "REF002");
    assert_eq!(j["findings"][0]["severity"], "warning");
}

#[test]
fn paths_under_different_configurations_say_which_applies() {
    let a = repo("rules:\n  REF001: off\n");
    let b = repo("");
    let file = |d: &Path| {
        d.join("deploy/autoscalers/lobby.yaml")
            .display()
            .to_string()
    };
    let r = common::run(
        &["lint", "--format", "json", &file(a.path()), &file(b.path())],
        None,
    );
    assert!(
        r.stderr.contains("lie under 2 configurations"),
        "{}",
        r.stderr
    );
    // The first path's configuration applies to the run: REF001 is off (the two copies of one
    // autoscaler are still a duplicate).
    assert_eq!(json_rules(&r), ["REF011"], "{}", r.stdout);
}

#[test]
fn an_excluded_file_named_on_the_command_line_is_reported() {
    let dir = repo("exclude: [\"charts/**\"]\n");
    let r = common::run_in(dir.path(), &["lint", "charts/fleet.yaml"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("skipping charts/fleet.yaml: excluded by `charts/**`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was linted"), "{}", r.stderr);
    // Beside a file that is linted: a note, and the run goes on.
    let r = common::run_in(
        dir.path(),
        &[
            "lint",
            "-q",
            "charts/fleet.yaml",
            "deploy/fleets/lobby.yaml",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("skipping charts/fleet.yaml"),
        "{}",
        r.stderr
    );
    // --force-exclude (the pre-commit hook's): silently skipped.
    let r = common::run_in(
        dir.path(),
        &["lint", "-q", "--force-exclude", "charts/fleet.yaml"],
    );
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
}
