//! The lint pipeline: inputs → loaded files → checked objects → located findings.

use rayon::prelude::*;

use crate::checks::{check_object, rules, Context};
use crate::finding::Finding;
use crate::source::tree::{Pos, Span};
use crate::source::yaml::{Budgets, Problem, ProblemKind};
use crate::source::{self, Input};

/// One input file as the reports need it.
#[derive(Debug)]
pub struct FileInfo {
    pub name: String,
    /// Kept only when the file has findings (the human report shows its lines).
    pub text: Option<String>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileInfo>,
    pub documents: usize,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub budgets: Budgets,
    /// The name findings use for standard input.
    pub stdin_name: Option<String>,
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
    }
}

/// A linted file, its document count and its findings.
type FileResult = (FileInfo, usize, Vec<Finding>);

fn lint_one(
    input: &Input,
    index: usize,
    ctx: &Context,
    opts: &Options,
) -> Result<FileResult, String> {
    let name = input.display_name(opts.stdin_name.as_deref());
    let text = match source::read(input, &opts.budgets)? {
        Ok(t) => t,
        Err(problem) => {
            return Ok((
                FileInfo { name, text: None },
                0,
                vec![problem_finding(problem, index)],
            ))
        }
    };
    let loaded = source::load(text, &opts.budgets);
    let mut findings: Vec<Finding> = loaded
        .problems
        .into_iter()
        .map(|p| problem_finding(p, index))
        .collect();
    if loaded.objects.is_empty() && findings.is_empty() {
        let origin = Span {
            start: Pos { line: 1, col: 0 },
            end: Pos { line: 1, col: 0 },
        };
        findings.push(Finding {
            rule: &rules::YAML006,
            severity: rules::YAML006.severity,
            file: index,
            span: origin,
            kind: None,
            object: None,
            path: String::new(),
            message: "the file holds no YAML document (it is empty or only comments)".into(),
            help: Some("add manifests, or stop passing this file".into()),
            related: None,
        });
    }
    for obj in &loaded.objects {
        let checked = check_object(&obj.root, ctx);
        for raw in checked.raws {
            let (span, _) = obj.root.locate(&raw.path);
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
            });
        }
    }
    let text = if findings.is_empty() {
        None
    } else {
        Some(loaded.text)
    };
    Ok((FileInfo { name, text }, loaded.documents, findings))
}

/// Lints every input, both cores busy. An unreadable input stops the run (the caller exits 2).
pub fn run(inputs: &[Input], ctx: &Context, opts: &Options) -> Result<Report, String> {
    let results: Vec<Result<FileResult, String>> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| lint_one(input, i, ctx, opts))
        .collect();
    let mut report = Report::default();
    for r in results {
        let (file, docs, mut findings) = r?;
        report.files.push(file);
        report.documents += docs;
        report.findings.append(&mut findings);
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
