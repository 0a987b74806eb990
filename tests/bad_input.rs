//! Hostile and broken input: each gives a clear finding, never a panic, in bounded time.

mod common;

use std::io::Write;

fn lint_bytes(bytes: &[u8]) -> common::Run {
    common::run(&["lint", "--format", "json", "-"], Some(bytes))
}

/// The single finding's rule, line and message, after checking the run ended normally.
fn only_finding(r: &common::Run) -> (String, u64, String) {
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let j = r.json();
    let f = &j["findings"].as_array().unwrap_or_else(|| panic!("{j}"))[0];
    (
        f["rule"].as_str().unwrap().into(),
        f["line"].as_u64().unwrap(),
        f["message"].as_str().unwrap().into(),
    )
}

#[test]
fn empty_file_and_comments_only() {
    assert_eq!(only_finding(&lint_bytes(b"")).0, "YAML006");
    assert_eq!(
        only_finding(&lint_bytes(b"# nothing here\n---\n# or here\n")).0,
        "YAML006"
    );
}

#[test]
fn binary_file() {
    let (rule, _, msg) = only_finding(&lint_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00"));
    assert_eq!(rule, "YAML004");
    assert!(msg.contains("binary"), "{msg}");
}

#[test]
fn invalid_utf8_points_at_the_line() {
    let (rule, line, _) = only_finding(&lint_bytes(
        b"apiVersion: v1\nkind: ConfigMap\nname: caf\xe9\n",
    ));
    assert_eq!((rule.as_str(), line), ("YAML004", 3));
}

#[test]
fn tabs_for_indentation() {
    let (rule, line, _) = only_finding(&lint_bytes(b"spec:\n\tfleetName: lobby\n"));
    assert_eq!((rule.as_str(), line), ("YAML001", 2));
}

#[test]
fn unterminated_quote() {
    let (rule, _, msg) = only_finding(&lint_bytes(b"spec:\n  fleetName: \"lobby\n  policy: {}\n"));
    assert_eq!(rule, "YAML001");
    assert!(msg.contains("quoted"), "{msg}");
}

#[test]
fn billion_laughs() {
    let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=9 {
        let p = format!("*a{}", i - 1);
        s.push_str(&format!("a{i}: &a{i} [{}]\n", [p.as_str(); 10].join(", ")));
    }
    // 10^9 nodes if expanded: the "1 GB" alias bomb.
    let (rule, _, msg) = only_finding(&lint_bytes(s.as_bytes()));
    assert_eq!(rule, "YAML003");
    assert!(msg.contains("alias"), "{msg}");
}

#[test]
fn ten_thousand_deep_nesting() {
    for doc in [
        "[".repeat(10_000) + &"]".repeat(10_000),
        "a:\n".to_string()
            + &(1..10_000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect::<String>(),
    ] {
        let (rule, _, _) = only_finding(&lint_bytes(doc.as_bytes()));
        assert_eq!(rule, "YAML003");
    }
}

#[test]
fn fifty_megabyte_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let mut f = std::fs::File::create(&path).unwrap();
    let line = "# padding padding padding padding padding padding padding padding\n";
    for _ in 0..(50 * 1024 * 1024 / line.len()) {
        f.write_all(line.as_bytes()).unwrap();
    }
    drop(f);
    let r = common::run(&["lint", "--format", "json", path.to_str().unwrap()], None);
    let (rule, _, msg) = only_finding(&r);
    assert_eq!(rule, "YAML003");
    assert!(msg.contains("over the budget"), "{msg}");
}

#[test]
fn duplicate_keys() {
    let r = lint_bytes(b"apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: a\n  name: b\n");
    let rules = r.rules();
    assert!(rules.contains(&"YAML002".to_string()), "{rules:?}");
    let dup = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "YAML002")
        .unwrap()
        .clone();
    assert_eq!(dup["line"], 5);
}

#[test]
fn spec_as_a_list() {
    let r = lint_bytes(b"apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: a\nspec:\n  - fleetName: lobby\n");
    let (rule, line, msg) = only_finding(&r);
    assert_eq!((rule.as_str(), line), ("SCH002", 5));
    assert!(msg.contains("must be a mapping, not a list"), "{msg}");
}

#[test]
fn max_replicas_as_words() {
    let r = lint_bytes(b"apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: a\nspec:\n  fleetName: lobby\n  policy:\n    type: Buffer\n    buffer:\n      bufferSize: 5\n      maxReplicas: \"ten\"\n");
    let (rule, line, msg) = only_finding(&r);
    assert_eq!((rule.as_str(), line), ("SCH002", 11));
    assert!(
        msg.contains("`maxReplicas` must be an integer, not a string"),
        "{msg}"
    );
}

#[test]
fn yaml_11_booleans_are_explained() {
    let r = lint_bytes(b"apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: a\nspec:\n  fleetName: lobby\n  policy:\n    type: Counter\n    counter:\n      key: yes\n      bufferSize: 5\n      maxCapacity: 10\n");
    let j = r.json();
    let f = &j["findings"][0];
    assert_eq!(f["rule"], "SCH002");
    assert!(f["help"].as_str().unwrap().contains("YAML 1.1"), "{f}");
}
