//! Every rule's documentation holds a bad example (the rule must fire) and a good example (the
//! rule must not fire, and nothing else at error severity may either).

mod common;

use std::fs;

struct Doc {
    code: String,
    /// The examples are configuration files, not manifests.
    config: bool,
    /// Each example is an old and a new object: an admission UPDATE (rules `serve` alone runs).
    update: bool,
    args: Vec<String>,
    bad: Option<String>,
    good: String,
}

fn yaml_block_after(text: &str, heading: &str) -> Option<String> {
    let section = text.split(heading).nth(1)?;
    let section = section.split("\n## ").next()?;
    let start = section.find("```yaml\n")? + "```yaml\n".len();
    let end = section[start..].find("```")? + start;
    Some(section[start..end].to_string())
}

fn docs() -> Vec<Doc> {
    let mut out = Vec::new();
    let mut paths: Vec<_> = fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let text = fs::read_to_string(&p).unwrap();
        let code = p
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .split('-')
            .next()
            .unwrap()
            .to_string();
        let args = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("<!-- lint-args:")
                    .and_then(|r| r.strip_suffix("-->"))
            })
            .map(|a| a.split_whitespace().map(String::from).collect())
            .unwrap_or_default();
        for heading in [
            "## What it checks",
            "## Why it matters",
            "## Bad",
            "## Good",
        ] {
            assert!(text.contains(heading), "{} lacks `{heading}`", p.display());
        }
        let config = text.contains("<!-- example-is-config -->");
        let update = text.contains("<!-- example-is-update -->");
        out.push(Doc {
            code,
            config,
            update,
            args,
            bad: yaml_block_after(&text, "## Bad"),
            good: yaml_block_after(&text, "## Good")
                .unwrap_or_else(|| panic!("{} has no good example", p.display())),
        });
    }
    out
}

/// Lints an example: a manifest on stdin, or (for config rules) an empty input with the
/// example as `--config`.
fn run_example(d: &Doc, example: &str, args: &[&str]) -> common::Run {
    if d.update {
        return review_update(&d.code, example);
    }
    if !d.config {
        return common::lint_str(example, args);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".agones-lint.yaml");
    std::fs::write(&path, example).unwrap();
    let mut all = vec!["--config", path.to_str().unwrap()];
    all.extend_from_slice(args);
    common::lint_str("", &all)
}

/// Sends an update example (the old object, then the new) to `serve`'s review as an
/// AdmissionReview UPDATE, and reports its verdict like a lint run: warnings and denial causes
/// become findings. Each object is also linted on its own, where the rule must stay silent.
fn review_update(code: &str, example: &str) -> common::Run {
    use agones_lint::source::{objects, yaml::Budgets};
    let objects = objects(example, &Budgets::default());
    assert_eq!(objects.len(), 2, "an update example is two documents");
    let old = objects[0].root.to_json();
    let new = objects[1].root.to_json();
    for doc in [&old, &new] {
        let alone = common::lint_str(&doc.to_string(), &[]);
        assert!(
            alone.code != 2 && !alone.all_rules().iter().any(|r| r == code),
            "linting one version must not need or fire an update rule: {}",
            alone.stdout
        );
    }
    let body = serde_json::json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
        "request": {"uid": "doc", "operation": "UPDATE", "object": new, "oldObject": old}});
    let ctx = agones_lint::checks::Context {
        cluster: Default::default(),
        gates: Default::default(),
        now: agones_lint::golang::time::Instant::now(),
        default_namespace: "default".into(),
        modules: None,
    };
    let (answer, _) =
        agones_lint::serve::review::review(body.to_string().as_bytes(), &ctx, &Default::default())
            .unwrap();
    let response = &answer["response"];
    let mut findings = Vec::new();
    for w in response["warnings"].as_array().into_iter().flatten() {
        let w = w.as_str().unwrap();
        let rule = w.split(' ').next().unwrap();
        findings.push(serde_json::json!({"rule": rule, "severity": "warning", "message": w}));
    }
    for c in response["status"]["details"]["causes"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let m = c["message"].as_str().unwrap();
        let rule = m
            .rsplit_once('(')
            .map(|(_, r)| r.trim_end_matches(')'))
            .unwrap();
        findings.push(serde_json::json!({"rule": rule, "severity": "error", "message": m}));
    }
    common::Run {
        code: if response["allowed"] == true { 0 } else { 1 },
        stdout: serde_json::json!({"findings": findings}).to_string(),
        stderr: String::new(),
    }
}

#[test]
fn every_rule_has_one_doc_and_every_doc_a_rule() {
    let listed = common::run(&["rules", "--format", "json"], None);
    let rules: Vec<String> = serde_json::from_str::<serde_json::Value>(&listed.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect();
    let mut rules = rules;
    rules.sort();
    let docs: Vec<String> = docs().into_iter().map(|d| d.code).collect();
    assert_eq!(rules, docs);
}

#[test]
fn bad_examples_fire_and_good_examples_are_clean() {
    let mut failures = Vec::new();
    for d in docs() {
        let args: Vec<&str> = d.args.iter().map(String::as_str).collect();
        if let Some(bad) = &d.bad {
            let r = run_example(&d, bad, &args);
            if r.code == 2 {
                failures.push(format!(
                    "{}: the bad example did not run: {}",
                    d.code, r.stderr
                ));
            } else if !r.all_rules().contains(&d.code) {
                failures.push(format!(
                    "{}: the bad example does not fire it; got {:?}",
                    d.code,
                    r.all_rules()
                ));
            }
        } else if !d.code.starts_with("YAML004") {
            failures.push(format!("{}: no bad example", d.code));
        }
        let r = run_example(&d, &d.good, &args);
        if r.code == 2 {
            failures.push(format!(
                "{}: the good example did not run: {}",
                d.code, r.stderr
            ));
            continue;
        }
        let report = r.json();
        for f in report["findings"].as_array().unwrap() {
            if f["rule"] == d.code.as_str() || f["severity"] == "error" {
                failures.push(format!(
                    "{}: the good example has {} {}: {}",
                    d.code, f["rule"], f["severity"], f["message"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a rule's doc says of its fix: `- **Fix:** safe …` or `- **Fix:** unsafe …`.
fn documented_fix(code: &str) -> Option<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
    let path = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(&format!("{code}-"))
        })
        .unwrap();
    let text = fs::read_to_string(path).unwrap();
    let line = text.lines().find_map(|l| l.strip_prefix("- **Fix:** "))?;
    Some(line.split([':', ',']).next().unwrap().trim().to_string())
}

/// (rule, path) of every finding: what "the same finding" means before and after a fix.
fn identities(r: &common::Run) -> Vec<(String, String)> {
    r.fields(&["rule", "path"])
        .into_iter()
        .map(|f| (f[0].clone(), f[1].clone()))
        .collect()
}

/// Every rule whose bad example carries a fix says so in its doc, and every rule that says so
/// has one. Applying it (in a file, as `lint --fix` does) stops the finding, adds none, leaves
/// the text before the finding as it was, and settles: a second `--fix` changes nothing.
#[test]
fn fixes_are_documented_and_settle() {
    let mut failures = Vec::new();
    let mut fixable = 0;
    for d in docs() {
        let (Some(bad), false, false) = (&d.bad, d.config, d.update) else {
            continue;
        };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.yaml");
        fs::write(&file, bad).unwrap();
        let file = file.to_str().unwrap();
        let lint = |extra: &[&str]| {
            let mut args = vec!["lint", "--format", "json"];
            if !d.args.iter().any(|a| a == "--now") {
                args.extend_from_slice(&["--now", "2026-06-01T00:00:00Z"]);
            }
            args.extend(d.args.iter().map(String::as_str));
            args.extend_from_slice(extra);
            args.push(file);
            common::run(&args, None)
        };
        let before = lint(&[]);
        let fixes: Vec<(String, String, u64)> = before.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == d.code.as_str() && f["fix"].is_object())
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["fix"]["safety"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect();
        let documented = documented_fix(&d.code);
        let offered = fixes.first().map(|f| f.1.clone());
        if documented != offered {
            failures.push(format!(
                "{}: the doc says fix {documented:?}, the bad example offers {offered:?}",
                d.code
            ));
            continue;
        }
        let Some(safety) = offered else { continue };
        fixable += 1;
        let unsafe_flag: &[&str] = if safety == "unsafe" {
            &["--unsafe-fixes"]
        } else {
            &[]
        };
        // --diff shows the fix and changes nothing.
        let diff = lint(&[&["--diff"], unsafe_flag].concat());
        if diff.code != 1
            || !diff.stdout.contains("+++ b/")
            || fs::read_to_string(file).unwrap() != *bad
        {
            failures.push(format!(
                "{}: --diff exited {} or changed the file: {}{}",
                d.code, diff.code, diff.stdout, diff.stderr
            ));
        }
        // Without --unsafe-fixes, an unsafe fix is left alone.
        if safety == "unsafe" {
            lint(&["--fix"]);
            let after = lint(&[]);
            if !identities(&after).iter().any(|(r, _)| r == &d.code) {
                failures.push(format!("{}: --fix applied an unsafe fix", d.code));
            }
            fs::write(file, bad).unwrap();
        }
        let fixed = lint(&[&["--fix"], unsafe_flag].concat());
        let text = fs::read_to_string(file).unwrap();
        let after = lint(&[]);
        let (was, now) = (identities(&before), identities(&after));
        for (path, _, _) in &fixes {
            if now.contains(&(d.code.clone(), path.clone())) {
                failures.push(format!(
                    "{}: still fires at {path} after --fix:\n{text}",
                    d.code
                ));
            }
        }
        // A finding may move with the text a fix moves (a selector's path), but none is new.
        for (rule, path) in &now {
            let count = |ids: &[(String, String)]| ids.iter().filter(|(r, _)| r == rule).count();
            if count(&now) > count(&was) {
                failures.push(format!(
                    "{}: --fix brought a new {rule} at {path}:\n{text}",
                    d.code
                ));
            }
        }
        if !fixed.stderr.contains("fixed") {
            failures.push(format!(
                "{}: --fix did not say what it fixed: {}",
                d.code, fixed.stderr
            ));
        }
        // Lines before the first fixed finding (and the key line just above it) stay as written.
        let first = fixes.iter().map(|f| f.2).min().unwrap() as usize;
        let unchanged = bad
            .lines()
            .zip(text.lines())
            .take_while(|(a, b)| a == b)
            .count();
        if unchanged + 2 < first {
            failures.push(format!(
                "{}: --fix changed line {} though the finding is on line {first}:\n{text}",
                d.code,
                unchanged + 1
            ));
        }
        let again = lint(&[&["--fix"], unsafe_flag].concat());
        if fs::read_to_string(file).unwrap() != text || again.stderr.contains("fixed") {
            failures.push(format!(
                "{}: a second --fix changed the file again: {}",
                d.code, again.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(fixable >= 11, "only {fixable} fixable rules found");
}
