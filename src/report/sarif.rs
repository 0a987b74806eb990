//! SARIF 2.1.0, as GitHub code scanning reads it: one run, the tool's rules, results with
//! regions, and stable fingerprints.

use serde_json::{json, Value};

use crate::checks::rules::ALL;
use crate::finding::Severity;
use crate::lint::Report;

/// GitHub code scanning keeps at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// FNV-1a, 64 bits: a stable, dependency-free hash for fingerprints.
fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// A relative path as a URI reference: unreserved characters and `/` stay, the rest is
/// percent-encoded.
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where a file is: relative to `%SRCROOT%` (the working folder) when it lies under it, else an
/// absolute `file://` URI (a relative URI may not climb out of its base, SARIF1004).
fn artifact_location(path: &str) -> Value {
    let p = std::path::Path::new(path);
    let outside = p.is_absolute() || p.components().any(|c| c == std::path::Component::ParentDir);
    if !outside {
        return json!({"uri": uri(path), "uriBaseId": "%SRCROOT%"});
    }
    let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Fold `..` away lexically: the file may be gone by the time anyone reads the log.
    let mut clean = std::path::PathBuf::new();
    for c in absolute.components() {
        match c {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    json!({"uri": format!("file://{}", uri(&clean.to_string_lossy()))})
}

/// `rules_url`: where the rule docs are published (`…/rules/`), for `helpUri`.
pub fn render(report: &Report, version: &str, rules_url: Option<&str>) -> String {
    let rules: Vec<Value> = ALL
        .iter()
        .map(|r| {
            let mut rule = json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc, "markdown": r.doc},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"tags": r.kinds}
            });
            if let Some(base) = rules_url {
                rule["helpUri"] = json!(r.doc_url(base));
            }
            rule
        })
        .collect();
    let index = |code: &str| ALL.iter().position(|r| r.code == code).unwrap_or(0);
    let results: Vec<Value> = report
        .findings
        .iter()
        .take(MAX_RESULTS)
        .map(|f| {
            let file = &report.files[f.file].name;
            let end_col = if f.span.end.line == f.span.start.line { f.span.end.col.max(f.span.start.col) } else { f.span.start.col };
            let mut text = f.message.clone();
            if let Some(h) = &f.help {
                text.push_str(&format!(" (help: {h})"));
            }
            json!({
                "ruleId": f.rule.code,
                "ruleIndex": index(f.rule.code),
                "level": level(f.severity),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(file),
                        "region": {
                            "startLine": f.span.start.line,
                            "startColumn": f.span.start.col + 1,
                            "endLine": f.span.end.line.max(f.span.start.line),
                            "endColumn": end_col + 1
                        }
                    }
                }],
                "partialFingerprints": {
                    "agonesLint/v1": fnv1a(&[f.rule.code, file, f.object.as_deref().unwrap_or(""), &f.path, if f.path.is_empty() { &f.message } else { "" }])
                },
                "properties": {"fieldPath": f.path, "object": f.object, "kind": f.kind, "admission": f.admission.as_str()}
            })
        })
        .collect();
    let mut notifications = Vec::new();
    if report.findings.len() > MAX_RESULTS {
        notifications.push(json!({
            "level": "warning",
            "message": {"text": format!("{} findings were left out: GitHub code scanning accepts at most {MAX_RESULTS} results per run", report.findings.len() - MAX_RESULTS)}
        }));
    }
    let mut driver = json!({"name": "agones-lint", "semanticVersion": version, "rules": rules});
    if let Some(base) = rules_url {
        // The rules live in `<project>/rules/`; the project's own page is one level up.
        let home = base
            .trim_end_matches('/')
            .trim_end_matches("rules")
            .trim_end_matches('/');
        driver["informationUri"] = json!(home);
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": notifications}],
            "columnKind": "unicodeCodePoints",
            "properties": {"agonesVersion": report.agones_version},
            "results": results
        }]
    });
    serde_json::to_string_pretty(&sarif).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        assert_eq!(fnv1a(&["a", "b"]), fnv1a(&["a", "b"]));
        assert_ne!(fnv1a(&["ab", ""]), fnv1a(&["a", "b"]));
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("./deploy/my fleet.yaml"), "deploy/my%20fleet.yaml");
    }

    #[test]
    fn files_outside_the_working_folder_get_absolute_uris() {
        assert_eq!(
            artifact_location("deploy/fleet.yaml"),
            json!({"uri": "deploy/fleet.yaml", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/tmp/a b/fleet.yaml"),
            json!({"uri": "file:///tmp/a%20b/fleet.yaml"})
        );
        let up = artifact_location("../other/fleet.yaml");
        let u = up["uri"].as_str().unwrap();
        assert!(
            u.starts_with("file:///") && u.ends_with("/other/fleet.yaml") && !u.contains(".."),
            "{u}"
        );
        assert!(up.get("uriBaseId").is_none());
    }
}
