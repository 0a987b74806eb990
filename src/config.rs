//! `.agones-lint.yaml`: rule severities, feature gates, the default namespace, excluded paths
//! and `require-targets`. Found by walking up from the working directory (or `--config FILE`).
//! Mistakes in it are findings with line and column, like any manifest's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::checks::rules::{Rule, ALL, CFG001, CFG003};
use crate::finding::Severity;
use crate::source::tree::{Node, Pos, Span, Value};
use crate::source::yaml::{self, Budgets};

pub const FILE_NAME: &str = ".agones-lint.yaml";

/// What a rule's configured severity may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    At(Severity),
}

#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub text: String,
    pub severities: BTreeMap<&'static str, Level>,
    pub feature_gates: Option<String>,
    /// `agones-version: "1.57"`: the release the verdicts are for.
    pub agones_version: Option<&'static crate::model::release::Release>,
    pub namespace: Option<String>,
    pub require_targets: Option<bool>,
    pub exclude: Vec<String>,
    /// Paths loaded as context for the checks across resources (`lint --context`), gitignore-style
    /// globs relative to the config file's folder.
    pub context: Vec<String>,
    /// `unknown-fields: error|warning`.
    pub unknown_fields_rejected: Option<bool>,
    /// `pod-preserve-unknown-fields: true|false` (the Helm value
    /// `gameservers.podPreserveUnknownFields`).
    pub pod_preserve_unknown_fields: Option<bool>,
    /// Mistakes in the file: (span, message, help).
    pub problems: Vec<(Span, String, String)>,
    /// Settings that are accepted and do nothing (CFG003): (span, message, help).
    pub no_effect: Vec<(Span, String, String)>,
}

/// The config file that applies to `start`: the nearest `.agones-lint.yaml` above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

fn find_rule(key: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

const KEYS: &[&str] = &[
    "rules",
    "feature-gates",
    "agones-version",
    "namespace",
    "exclude",
    "context",
    "require-targets",
    "unknown-fields",
    "pod-preserve-unknown-fields",
];

impl Config {
    /// Reads and checks a config file. An unreadable file is a tool failure.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the config {}: {e}", path.display()))?;
        let mut cfg = Config::parse(&text);
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    pub fn parse(text: &str) -> Config {
        let mut cfg = Config {
            text: text.to_string(),
            ..Default::default()
        };
        let parsed = yaml::parse(text, &Budgets::default());
        for p in parsed.problems {
            cfg.problems.push((p.span, p.message, p.help));
        }
        let Some(root) = parsed.docs.into_iter().next().map(|d| d.root) else {
            return cfg;
        };
        let Value::Map(entries) = &root.value else {
            cfg.problem(
                root.span,
                "the config must be a mapping of settings",
                &format!("use the keys {}", KEYS.join(", ")),
            );
            return cfg;
        };
        let mut gates_at = None;
        for e in entries {
            match e.key.as_str() {
                "rules" => cfg.rules(&e.value),
                "feature-gates" => match e.value.as_str() {
                    Some(g) => gates_at = Some((g.to_string(), e.value.span)),
                    None => cfg.problem(
                        e.value.span,
                        "feature-gates must be a string",
                        "write gates as in Helm: \"WasmAutoscaler=true\"",
                    ),
                },
                // `agonesVersion` is how the Action and the language server spell it.
                "agones-version" | "agonesVersion" => match scalar_text(&e.value, text) {
                    Some(v) => match crate::model::release::find(&v) {
                        Ok(r) => cfg.agones_version = Some(r),
                        Err(why) => cfg.problem(
                            e.value.span,
                            &why,
                            "write the release your cluster runs, quoted: agones-version: \"1.57\"",
                        ),
                    },
                    None => cfg.problem(
                        e.value.span,
                        "agones-version must be a version such as \"1.57\"",
                        "write the release your cluster runs, quoted: agones-version: \"1.57\"",
                    ),
                },
                "namespace" => match e.value.as_str() {
                    Some(ns) if crate::checks::meta::is_dns_label(ns) => {
                        cfg.namespace = Some(ns.to_string())
                    }
                    _ => cfg.problem(
                        e.value.span,
                        "namespace must be a valid namespace name",
                        "use lowercase letters, digits and `-`, such as games",
                    ),
                },
                "require-targets" => {
                    cfg.require_targets = cfg.boolean(e, "write require-targets: true")
                }
                "unknown-fields" => match e.value.as_str() {
                    Some("error") => cfg.unknown_fields_rejected = Some(true),
                    Some("warning") => cfg.unknown_fields_rejected = Some(false),
                    _ => cfg.problem(
                        e.value.span,
                        "unknown-fields must be error or warning",
                        "write unknown-fields: error (kubectl apply 1.27+ rejects unknown fields) or warning (your client drops them)",
                    ),
                },
                "pod-preserve-unknown-fields" => {
                    cfg.pod_preserve_unknown_fields = cfg.boolean(e, "write pod-preserve-unknown-fields: true when Agones was installed with gameservers.podPreserveUnknownFields=true")
                }
                "exclude" => {
                    cfg.exclude = cfg.globs(e, "exclude", "write exclude: [\"charts/**\", \"**/generated/*.yaml\"]")
                }
                "context" => {
                    cfg.context = cfg.globs(e, "context", "write context: [\"deploy/**\"]")
                }
                other => {
                    let hint = crate::suggest::closest(other, KEYS.iter().copied())
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                    cfg.problem(
                        e.key_span,
                        &format!("unknown config key `{other}`"),
                        &format!("{hint}the keys are {}", KEYS.join(", ")),
                    );
                }
            }
        }
        // Gates are the release's own, whichever key came first.
        if let Some((g, span)) = gates_at {
            let release = cfg
                .agones_version
                .unwrap_or_else(crate::model::release::newest);
            match crate::model::gates::FeatureGates::parse_for(&g, release) {
                Ok(parsed) => {
                    for name in parsed.without_effect() {
                        cfg.no_effect.push((
                            span,
                            format!("{name} is Stable in Agones {}: setting it to false is accepted and changes nothing", release.version),
                            format!("remove `{name}=false` from feature-gates (and from the Helm value agones.featureGates)"),
                        ));
                    }
                    cfg.feature_gates = Some(g);
                }
                Err(why) => cfg.problem(
                    span,
                    &why,
                    "write gates as in Helm: \"WasmAutoscaler=true&CountsAndLists=false\"",
                ),
            }
        }
        cfg
    }

    /// A true/false setting; anything else is a problem (and the setting stays unset).
    fn boolean(&mut self, e: &crate::source::tree::Entry, help: &str) -> Option<bool> {
        match e.value.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.problem(
                    e.value.span,
                    &format!("{} must be true or false", e.key),
                    help,
                );
                None
            }
        }
    }

    fn problem(&mut self, span: Span, message: &str, help: &str) {
        self.problems
            .push((span, message.to_string(), help.to_string()));
    }

    fn rules(&mut self, node: &Node) {
        let Value::Map(entries) = &node.value else {
            self.problem(
                node.span,
                "rules must map rule codes (or names) to a severity",
                "write rules: {FAS030: off, REF001: error}",
            );
            return;
        };
        for e in entries {
            let Some(rule) = find_rule(&e.key) else {
                let names = ALL.iter().map(|r| r.code).chain(ALL.iter().map(|r| r.name));
                let hint = crate::suggest::closest(&e.key, names)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                self.problem(
                    e.key_span,
                    &format!("no rule `{}`", e.key),
                    &format!("{hint}`agones-lint rules` lists them"),
                );
                continue;
            };
            // YAML 1.1 reads a bare `off` as false; accept it as the word the user wrote.
            let level = match (&e.value.value, e.value.as_str()) {
                (_, Some("error")) => Some(Level::At(Severity::Error)),
                (_, Some("warning")) => Some(Level::At(Severity::Warning)),
                (_, Some("info")) => Some(Level::At(Severity::Info)),
                (_, Some("off")) | (Value::Bool(false), _) => Some(Level::Off),
                _ => None,
            };
            match level {
                Some(l) => {
                    self.severities.insert(rule.code, l);
                }
                None => self.problem(
                    e.value.span,
                    &format!(
                        "the severity of {} must be error, warning, info or off",
                        rule.code
                    ),
                    "write one of: error, warning, info, off",
                ),
            }
        }
    }

    /// Whether `path` (as discovered) is excluded by the config's globs, which are relative to
    /// the config file's folder and use gitignore syntax.
    pub fn excluder(&self) -> Option<ignore::gitignore::Gitignore> {
        self.matcher(&self.exclude)
    }

    /// The files the config names as context, found under its folder.
    pub fn context_matcher(&self) -> Option<ignore::gitignore::Gitignore> {
        self.matcher(&self.context)
    }

    /// The folder the config's globs are relative to (canonical, as inputs are matched).
    pub fn root(&self) -> PathBuf {
        let parent = self
            .path
            .as_deref()
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf())
    }

    fn matcher(&self, globs: &[String]) -> Option<ignore::gitignore::Gitignore> {
        if globs.is_empty() {
            return None;
        }
        let mut b = ignore::gitignore::GitignoreBuilder::new(self.root());
        for g in globs {
            // A bad glob was already accepted as a string; report it as a problem instead.
            let _ = b.add_line(None, g);
        }
        b.build().ok()
    }

    /// A list of glob strings under `key`; anything else is a problem.
    fn globs(&mut self, e: &crate::source::tree::Entry, key: &str, example: &str) -> Vec<String> {
        let mut out = Vec::new();
        match &e.value.value {
            Value::Seq(items) => {
                for item in items {
                    match item.as_str() {
                        Some(g) => out.push(g.to_string()),
                        None => self.problem(
                            item.span,
                            &format!("each {key} entry must be a string (a glob)"),
                            "quote the glob: \"charts/**\"",
                        ),
                    }
                }
            }
            _ => self.problem(
                e.value.span,
                &format!("{key} must be a list of globs"),
                example,
            ),
        }
        out
    }

    /// The config's own mistakes, as findings in `file`.
    pub fn findings(&self, file: usize) -> Vec<crate::finding::Finding> {
        let tagged = |rule: &'static Rule| move |p: &(Span, String, String)| (rule, p.clone());
        self.problems
            .iter()
            .map(tagged(&CFG001))
            .chain(self.no_effect.iter().map(tagged(&CFG003)))
            .map(|(rule, (span, message, help))| crate::finding::Finding {
                rule,
                severity: rule.severity,
                file,
                span: if span == Span::default() {
                    Span {
                        start: Pos { line: 1, col: 0 },
                        end: Pos { line: 1, col: 0 },
                    }
                } else {
                    span
                },
                kind: None,
                object: None,
                path: String::new(),
                message,
                help: Some(help),
                related: None,
                admission: crate::finding::Admission::Accepted,
                fix: None,
            })
            .collect()
    }
}

/// The starter config `agones-lint init` writes.
pub const STARTER: &str = r#"# agones-lint configuration. Every key is optional; command-line flags win over this file.
# Docs: `agones-lint rules` lists the rules, `agones-lint explain CODE` shows one.

# The Agones release your cluster runs (1.50 to 1.60; default: the newest). Verdicts, feature
# gates and schemas are that release's.
# agones-version: "1.60"

# The feature gates your cluster runs, as in Helm's agones.featureGates.
# feature-gates: "WasmAutoscaler=true&PlayerTracking=true"

# The namespace of objects that do not name one (like kubectl's current namespace).
# namespace: default

# Treat a FleetAutoscaler whose Fleet is not among the linted files as an error (REF001).
# require-targets: false

# Unknown fields: error when you apply with kubectl 1.27+ (strict field validation), warning when
# your client lets the API server drop them silently.
# unknown-fields: error

# true when Agones was installed with the Helm value gameservers.podPreserveUnknownFields=true:
# the Pod template then keeps fields its schema does not describe.
# pod-preserve-unknown-fields: false

# Paths to skip, gitignore-style, relative to this file.
# exclude:
#   - "charts/**/templates/**"

# Manifests the checks across resources read when you lint a few changed files (pre-commit):
# an autoscaler's Fleet in an unchanged file. Findings located in them are not reported.
# context:
#   - "deploy/**"

# Change a rule's severity: error, warning, info or off. Codes or names both work.
# rules:
#   FAS030: off
#   chain-no-fallback: error
"#;

/// A scalar's text as written, so that an unquoted `1.60` (which YAML reads as the number
/// 1.6) means release 1.60.
fn scalar_text(node: &Node, text: &str) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.to_string()),
        Value::Float(_) | Value::Int(_) | Value::UInt(_) => {
            let (start, end) = (node.span.start, node.span.end);
            if start.line != end.line || start.line == 0 {
                return None;
            }
            let line = text.lines().nth(start.line as usize - 1)?;
            let written: String = line
                .chars()
                .skip(start.col as usize)
                .take((end.col - start.col) as usize)
                .collect();
            Some(written)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_settings_and_reports_mistakes_with_positions() {
        let c = Config::parse("rules:\n  FAS030: off\n  chain-no-fallback: error\n  FAS999: info\n  REF001: loud\nnamespace: games\nfeature-gate: x\n");
        assert_eq!(c.severities.get("FAS030"), Some(&Level::Off));
        assert_eq!(
            c.severities.get("FAS032"),
            Some(&Level::At(Severity::Error))
        );
        assert_eq!(c.namespace.as_deref(), Some("games"));
        let msgs: Vec<(u32, &str)> = c
            .problems
            .iter()
            .map(|(s, m, _)| (s.start.line, m.as_str()))
            .collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert_eq!(msgs[0].0, 4);
        assert!(msgs[2].1.contains("unknown config key `feature-gate`"));
        assert!(c.problems[2].2.contains("did you mean `feature-gates`"));
    }

    #[test]
    fn the_starter_config_is_valid() {
        let c = Config::parse(STARTER);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
    }
}
