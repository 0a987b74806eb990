//! The lint pipeline: inputs → loaded files → checked objects → located findings, then the
//! pass across resources over the facts every file contributed.

use rayon::prelude::*;

use crate::checks::cross::{self, CrossOptions, Facts};
use crate::checks::{check_object, rules, Context};
use crate::finding::{Finding, Severity};
use crate::model::{classify, Classification, Kind};
use crate::source::tree::{Pos, Span};
use crate::source::yaml::{Budgets, Problem, ProblemKind};
use crate::source::{self, Input};

/// One input file as the reports need it.
#[derive(Debug)]
pub struct FileInfo {
    pub name: String,
    /// The file on disk the findings are about (None for stdin and rendered output): where a
    /// fix may be written.
    pub path: Option<std::path::PathBuf>,
    /// Kept only when the file has findings (the human report shows its lines).
    pub text: Option<String>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileInfo>,
    pub documents: usize,
    /// Documents of kinds agones-lint does not check, skipped (as kubeconform's summary counts
    /// them).
    pub skipped: usize,
    pub findings: Vec<Finding>,
    /// With `Options::collect_objects`: the checked objects, as Kubernetes would read them.
    pub objects: Vec<(Kind, serde_json::Value)>,
    /// Files read only as context for the checks across resources (`--context`).
    pub context_files: usize,
    /// Findings left out by `limit_findings`, by severity; summaries and exit codes count them.
    pub omitted: crate::report::Counts,
}

impl Report {
    /// Keeps the first `max` findings (in report order) and counts the rest as omitted.
    pub fn limit_findings(&mut self, max: usize) {
        for f in self.findings.drain(max.min(self.findings.len())..) {
            if f.severity == Severity::Error && f.admission == crate::finding::Admission::Rejected {
                self.omitted.rejected += 1;
            }
            match f.severity {
                Severity::Error => self.omitted.errors += 1,
                Severity::Warning => self.omitted.warnings += 1,
                Severity::Info => self.omitted.infos += 1,
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub budgets: Budgets,
    /// The name findings use for standard input.
    pub stdin_name: Option<String>,
    pub cross: CrossOptions,
    /// Keep file texts for reports that show source lines (the human format). Off, memory stays
    /// flat however many files have findings.
    pub keep_text: bool,
    /// Hand back every checked Agones object as JSON (for `simulate`).
    pub collect_objects: bool,
    /// Rule severities from the configuration file.
    pub severities: std::collections::BTreeMap<&'static str, crate::config::Level>,
    /// Texts to lint instead of what the files on disk hold (fixes not yet written: `--diff`,
    /// the language server's unsaved buffers).
    pub overrides: Option<std::sync::Arc<std::collections::HashMap<std::path::PathBuf, String>>>,
}

fn problem_finding(p: Problem, file: usize) -> Finding {
    let rule = match p.kind {
        ProblemKind::Syntax if p.message.contains("UTF-8") || p.message.contains("binary") => {
            &rules::YAML004
        }
        ProblemKind::Syntax => &rules::YAML001,
        ProblemKind::DuplicateKey => &rules::YAML002,
        ProblemKind::Budget => &rules::YAML003,
        ProblemKind::Unrepresentable => &rules::YAML005,
    };
    Finding {
        rule,
        severity: rule.severity,
        file,
        span: p.span,
        kind: None,
        object: None,
        path: String::new(),
        message: p.message,
        help: Some(p.help),
        related: p.related,
        admission: crate::finding::Admission::of(rule),
        fix: None,
    }
}

fn helm_template_finding(file: usize, line: u32, col: u32) -> Finding {
    let rule = &rules::YAML007;
    Finding {
        rule,
        severity: rule.severity,
        file,
        span: Span {
            start: Pos { line, col },
            end: Pos { line, col: col + 2 },
        },
        kind: None,
        object: None,
        path: String::new(),
        message: "this is a Helm template (it holds `{{ ... }}` actions), not YAML yet; it was not linted".into(),
        help: Some("render the chart and lint the output: `helm template RELEASE CHART | agones-lint lint -` (findings then name this template), or exclude the chart's templates/ in .agones-lint.yaml".into()),
        related: None,
        admission: crate::finding::Admission::Accepted,
        fix: None,
    }
}

/// What linting one file produced.
struct FileResult {
    info: FileInfo,
    /// The text, kept until the pass across resources knows whether the file has findings.
    text: String,
    documents: usize,
    skipped: usize,
    findings: Vec<Finding>,
    facts: Vec<Facts>,
    objects: Vec<(Kind, serde_json::Value)>,
    suppressions: Vec<crate::suppress::Suppression>,
}

fn lint_one(
    input: &Input,
    index: usize,
    is_patch: bool,
    ctx: &Context,
    opts: &Options,
) -> Result<FileResult, String> {
    let name = input.display_name(opts.stdin_name.as_deref());
    let path = match input {
        Input::File(p) => Some(p.clone()),
        _ => None,
    };
    let overridden = path
        .as_ref()
        .and_then(|p| opts.overrides.as_ref()?.get(p).cloned());
    let read = match overridden {
        Some(text) => Ok(text),
        None => source::read(input, &opts.budgets)?,
    };
    let text = match read {
        Ok(t) => t,
        Err(problem) => {
            return Ok(FileResult {
                info: FileInfo {
                    name,
                    path,
                    text: None,
                },
                text: String::new(),
                documents: 0,
                skipped: 0,
                findings: vec![problem_finding(problem, index)],
                facts: Vec::new(),
                objects: Vec::new(),
                suppressions: Vec::new(),
            })
        }
    };
    let in_templates = match input {
        Input::File(p) => source::helm::in_templates_folder(p),
        _ => false,
    };
    if let Some((line, col)) = source::helm::first_action(&text, in_templates) {
        // Template actions make the file something other than the YAML it will become: one
        // finding for an Agones template, and nothing about what is not YAML yet. Another
        // project's template (Ansible, Argo, a chart for something else) is none of our business.
        let findings = if text.contains("agones.dev") {
            vec![helm_template_finding(index, line, col)]
        } else {
            Vec::new()
        };
        return Ok(FileResult {
            info: FileInfo {
                name,
                path,
                text: None,
            },
            text: if opts.keep_text { text } else { String::new() },
            documents: 0,
            skipped: 0,
            findings,
            facts: Vec::new(),
            objects: Vec::new(),
            suppressions: Vec::new(),
        });
    }
    let loaded = source::load(text, &opts.budgets);
    let suppressions = crate::suppress::scan(&loaded.text, &loaded.doc_starts);
    let mut findings: Vec<Finding> = loaded
        .problems
        .into_iter()
        .map(|p| problem_finding(p, index))
        .collect();
    if loaded.objects.is_empty() && findings.is_empty() {
        findings.push(Finding {
            rule: &rules::YAML006,
            severity: rules::YAML006.severity,
            file: index,
            span: Span {
                start: Pos { line: 1, col: 0 },
                end: Pos { line: 1, col: 0 },
            },
            kind: None,
            object: None,
            path: String::new(),
            message: "the file holds no YAML document (it is empty or only comments)".into(),
            help: Some("add manifests, or stop passing this file".into()),
            related: None,
            admission: crate::finding::Admission::Accepted,
            fix: None,
        });
    }
    let mut facts = Vec::new();
    let mut objects = Vec::new();
    let mut skipped = 0;
    for obj in &loaded.objects {
        let lifecycle = if is_patch {
            crate::checks::live::Lifecycle::Patch
        } else {
            crate::checks::live::Lifecycle::of(&obj.root, obj.in_list)
        };
        let checked = check_object(&obj.root, index, ctx, lifecycle);
        if checked.kind.is_none() {
            skipped += 1;
        }
        facts.extend(checked.facts);
        if opts.collect_objects {
            let api_version = obj
                .root
                .get("apiVersion")
                .and_then(crate::source::tree::Node::as_str)
                .unwrap_or_default();
            let kind = obj
                .root
                .get("kind")
                .and_then(crate::source::tree::Node::as_str)
                .unwrap_or_default();
            if let Classification::Checked(k) = classify(api_version, kind) {
                let mut json = obj.root.to_json();
                crate::checks::schema::strip_nulls(&mut json);
                crate::checks::defaults::apply(k, &mut json);
                objects.push((k, json));
            }
        }
        for raw in checked.raws {
            let (span, _) = obj.root.locate(&raw.path);
            let fix = raw
                .fix
                .as_ref()
                .and_then(|p| crate::fix::place(&obj.root, &loaded.text, &raw.path, p))
                .map(Box::new);
            findings.push(Finding {
                rule: raw.rule,
                severity: raw.rule.severity,
                file: index,
                span: if span == Span::default() {
                    obj.root.span
                } else {
                    span
                },
                kind: checked.kind.clone(),
                object: checked.object.clone(),
                path: raw.path_string(),
                message: raw.message,
                help: raw.help,
                related: None,
                admission: raw.admission,
                fix,
            });
        }
    }
    let text = if opts.keep_text {
        loaded.text
    } else {
        String::new()
    };
    Ok(FileResult {
        info: FileInfo {
            name,
            path,
            text: None,
        },
        text,
        documents: loaded.documents,
        skipped,
        findings,
        facts,
        objects,
        suppressions,
    })
}

fn cross_finding(c: cross::CrossFinding) -> Finding {
    Finding {
        rule: c.rule,
        severity: if c.error_instead {
            Severity::Error
        } else {
            c.rule.severity
        },
        file: c.at.file,
        span: c.at.span,
        kind: Some(c.kind),
        object: Some(c.object),
        path: c.at.path.to_string(),
        message: c.message,
        help: Some(c.help),
        related: None,
        admission: crate::finding::Admission::Accepted,
        fix: c.fix,
    }
}

/// Lints every input, both cores busy. The `context` files are read for the checks across
/// resources only: nothing located in them is reported. An unreadable input stops the run (the
/// caller exits 2).
pub fn run(
    inputs: &[Input],
    context: &[Input],
    ctx: &Context,
    opts: &Options,
) -> Result<Report, String> {
    let inputs = source::expand_rendered(inputs, &opts.budgets, opts.stdin_name.as_deref())?;
    let linted = inputs.len();
    let all: Vec<&Input> = inputs.iter().chain(context).collect();
    let patches = source::kustomize::patch_files(all.iter().copied());
    let is_patch = |input: &Input| match input {
        Input::File(p) if !patches.is_empty() => {
            patches.contains(&std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        }
        _ => false,
    };
    let results: Vec<Result<FileResult, String>> = all
        .par_iter()
        .enumerate()
        .map(|(i, input)| lint_one(input, i, is_patch(input), ctx, opts))
        .collect();
    let mut report = Report::default();
    let mut texts = Vec::with_capacity(results.len());
    let mut facts = Vec::new();
    let mut suppressions = Vec::new();
    let mut context_names = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        let r = r?;
        if i >= linted {
            // Context: its facts only, and its name for messages that point into it.
            context_names.push(r.info.name);
            report.context_files += 1;
            facts.extend(r.facts);
            continue;
        }
        report.files.push(r.info);
        texts.push(r.text);
        report.documents += r.documents;
        report.skipped += r.skipped;
        report.findings.extend(r.findings);
        facts.extend(r.facts);
        report.objects.extend(r.objects);
        suppressions.push(r.suppressions);
    }
    let names: Vec<&str> = report
        .files
        .iter()
        .map(|f| f.name.as_str())
        .chain(context_names.iter().map(String::as_str))
        .collect();
    let across = cross::check(&facts, &names, opts.cross);
    report.findings.extend(
        across
            .into_iter()
            .filter(|c| c.at.file < linted)
            .map(cross_finding),
    );
    // The configuration's severities, then inline suppressions, then the unused suppressions.
    report
        .findings
        .retain_mut(|f| match opts.severities.get(f.rule.code) {
            Some(crate::config::Level::Off) => false,
            Some(crate::config::Level::At(sev)) => {
                f.severity = *sev;
                true
            }
            None => true,
        });
    for (file, sups) in suppressions.iter_mut().enumerate() {
        crate::suppress::apply(&mut report.findings, file, sups);
        for s in sups.iter().filter(|s| !s.used || !s.unknown.is_empty()) {
            let message = if s.unknown.is_empty() {
                "this suppression suppresses nothing".to_string()
            } else {
                format!(
                    "this suppression names {} that {} not a rule",
                    s.unknown.join(", "),
                    if s.unknown.len() == 1 { "is" } else { "are" }
                )
            };
            let rule = &rules::CFG002;
            if matches!(
                opts.severities.get(rule.code),
                Some(crate::config::Level::Off)
            ) {
                continue;
            }
            report.findings.push(Finding {
                rule,
                severity: match opts.severities.get(rule.code) {
                    Some(crate::config::Level::At(sev)) => *sev,
                    _ => rule.severity,
                },
                file,
                span: Span {
                    start: Pos {
                        line: s.line,
                        col: s.col,
                    },
                    end: Pos {
                        line: s.line,
                        col: s.col + 1,
                    },
                },
                kind: None,
                object: None,
                path: String::new(),
                message,
                help: Some("delete the comment, or fix the rule code it names".into()),
                related: None,
                admission: crate::finding::Admission::Accepted,
                fix: None,
            });
        }
    }
    // Keep the text of files with findings, for the human report; drop the rest.
    let mut has_findings = vec![false; report.files.len()];
    for f in &report.findings {
        has_findings[f.file] = true;
    }
    for ((file, text), keep) in report.files.iter_mut().zip(texts).zip(has_findings) {
        if keep && opts.keep_text {
            file.text = Some(text);
        }
    }
    report.findings.sort_by(|a, b| {
        (
            report.files[a.file].name.as_str(),
            a.span.start,
            a.rule.code,
        )
            .cmp(&(
                report.files[b.file].name.as_str(),
                b.span.start,
                b.rule.code,
            ))
    });
    Ok(report)
}
