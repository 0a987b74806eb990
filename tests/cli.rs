//! The command-line contract: exit codes, flags, stdin, help.

mod common;

const VALID: &str = "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: lobby\nspec:\n  fleetName: lobby\n  policy:\n    type: Buffer\n    buffer:\n      bufferSize: 5\n      minReplicas: 5\n      maxReplicas: 20\n";

#[test]
fn exit_codes() {
    assert_eq!(common::lint_str(VALID, &[]).code, 0);
    assert_eq!(
        common::lint_str(&VALID.replace("bufferSize: 5", "bufferSize: 0"), &[]).code,
        1
    );
    // A warning alone passes, unless --strict.
    let warn = VALID.replace(
        "  policy:",
        "  sync:\n    fixedInterval:\n      seconds: 1\n  policy:",
    );
    assert_eq!(common::lint_str(&warn, &[]).code, 0);
    assert_eq!(common::lint_str(&warn, &["--strict"]).code, 1);
}

#[test]
fn tool_failures_exit_2_with_what_and_how() {
    for (args, needle) in [
        (vec!["lint", "does/not/exist.yaml"], "no such file"),
        (vec!["lint", "--now", "yesterday", "-"], "--now"),
        (
            vec!["lint", "--feature-gates", "WasmAutoscalr=true", "-"],
            "did you mean `WasmAutoscaler`",
        ),
        (vec!["lint", "--format", "xml", "-"], "xml"),
        (vec!["explain", "FAS999"], "no rule"),
    ] {
        let r = common::run(&args, Some(b""));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn stdin_filename_names_the_buffer() {
    let r = common::run(
        &[
            "lint",
            "--format",
            "json",
            "--stdin-filename",
            "deploy/fas.yaml",
            "-",
        ],
        Some(VALID.replace("bufferSize: 5", "bufferSize: 0").as_bytes()),
    );
    assert_eq!(r.json()["findings"][0]["file"], "deploy/fas.yaml");
}

#[test]
fn folders_are_walked_for_manifests_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), VALID).unwrap();
    std::fs::write(
        dir.path().join("b.yml"),
        VALID.replace("name: lobby\nspec", "name: lobby-b\nspec"),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not yaml: [").unwrap();
    std::fs::create_dir(dir.path().join(".hidden")).unwrap();
    std::fs::write(dir.path().join(".hidden/c.yaml"), "broken: [").unwrap();
    let r = common::run(
        &["lint", "--format", "json", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.json()["summary"]["files"], 2);
}

#[test]
fn gates_change_the_verdict() {
    let wasm = VALID.replace("    type: Buffer\n    buffer:\n      bufferSize: 5\n      minReplicas: 5\n      maxReplicas: 20\n", "    type: Wasm\n    wasm:\n      from:\n        url:\n          url: https://m.example.com/s.wasm\n      hash: 3f1c5a7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a\n");
    assert_eq!(common::lint_str(&wasm, &[]).rules(), vec!["FAS008"]);
    assert!(
        common::lint_str(&wasm, &["--feature-gates", "WasmAutoscaler=true"])
            .rules()
            .is_empty()
    );
}

#[test]
fn quiet_shows_errors_only() {
    let two = VALID.replace("bufferSize: 5", "bufferSize: 0").replace(
        "  policy:",
        "  sync:\n    fixedInterval:\n      seconds: 1\n  policy:",
    );
    let r = common::run(
        &["lint", "--quiet", "--color", "never", "-"],
        Some(two.as_bytes()),
    );
    assert!(
        r.stdout.contains("FAS002") && !r.stdout.contains("FAS036"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.trim_end().ends_with("ms"), "{}", r.stdout);
}

#[test]
fn help_on_every_subcommand_and_explain_prints_the_doc() {
    for sub in ["lint", "rules", "explain", "schema"] {
        let r = common::run(&[sub, "--help"], None);
        assert_eq!(r.code, 0, "{sub}");
        assert!(r.stdout.contains("Usage:"), "{sub}: {}", r.stdout);
    }
    let r = common::run(&["explain", "chain-duplicate-id"], None);
    assert!(
        r.stdout.starts_with("# FAS012 chain-duplicate-id") && r.stdout.contains("## Bad"),
        "{}",
        r.stdout
    );
}

#[test]
fn schema_prints_the_committed_schema() {
    let r = common::run(&["schema", "fleetautoscaler"], None);
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/fleetautoscaler.json"
    ))
    .unwrap();
    assert_eq!(r.stdout, committed);
}

/// A build without the `server` feature says so, and how to get it.
#[test]
#[cfg(not(feature = "server"))]
fn a_lean_build_says_it_has_no_server() {
    let r = common::run(&["serve", "--insecure-http", "--addr", "127.0.0.1:0"], None);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("this build has no admission-webhook server; install with `cargo install agones-lint --features server`"),
        "{}",
        r.stderr
    );
}

/// src/main.rs sets mimalloc's arena commit option by its number; mimalloc's own report of its
/// options proves the number names that option.
#[cfg(target_os = "linux")]
#[test]
fn the_allocator_commits_on_demand() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_agones-lint"))
        .arg("--version")
        .env("MIMALLOC_VERBOSE", "1")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        report.contains("option 'arena_eager_commit': 0"),
        "mimalloc reports:\n{report}"
    );
}
