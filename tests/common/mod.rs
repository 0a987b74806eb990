//! Helpers for tests that run the real binary.
#![allow(dead_code)]

pub mod http;

use std::io::Write;
use std::process::{Command, Stdio};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    /// The field paths of the error findings in a JSON report.
    pub fn error_paths(&self) -> Vec<String> {
        self.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    }

    /// The given fields of every finding in a JSON report, as text (`line` 12 is "12").
    pub fn fields(&self, keys: &[&str]) -> Vec<Vec<String>> {
        self.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                keys.iter()
                    .map(|k| match &f[*k] {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect()
    }

    /// Every rule code in a JSON report.
    pub fn all_rules(&self) -> Vec<String> {
        self.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    }

    /// The rule codes of the findings in a JSON report, except REF001: tests of a lone
    /// FleetAutoscaler (no Fleet in the run) would all carry that info. Its own doc test covers it.
    pub fn rules(&self) -> Vec<String> {
        self.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .filter(|r| r != "REF001")
            .collect()
    }
}

/// Whether the field path `path` is `prefix` or lies inside it.
pub fn is_inside(path: &str, prefix: &str) -> bool {
    path == prefix
        || path.starts_with(&format!("{prefix}."))
        || path.starts_with(&format!("{prefix}["))
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_agones-lint"))
}

/// Runs the binary with `args`, feeding `stdin` when given.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = bin();
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().expect("binary runs");
    if let Some(input) = stdin {
        let mut s = child.stdin.take().unwrap();
        // The binary may stop reading early (a budget); a broken pipe is fine then.
        let _ = s.write_all(input);
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

/// Lints YAML given on stdin, as JSON, at a fixed clock.
pub fn lint_str(yaml: &str, extra: &[&str]) -> Run {
    let mut args = vec!["lint", "--format", "json"];
    if !extra.contains(&"--now") {
        args.extend_from_slice(&["--now", "2026-06-01T00:00:00Z"]);
    }
    args.extend_from_slice(extra);
    args.push("-");
    run(&args, Some(yaml.as_bytes()))
}

/// Compares `actual` with the golden file `tests/golden/NAME`; `UPDATE_GOLDEN=1` rewrites it.
pub fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs; run UPDATE_GOLDEN=1 cargo test and review the diff.\n--- actual ---\n{actual}",
        path.display()
    );
}

/// Runs the binary in `dir`, as a user standing there would.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    let out = bin()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}
