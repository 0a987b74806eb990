//! The terminal report: rustc-style diagnostics with the offending line, then a summary.

use std::time::Duration;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::Buffer, Config};

use crate::finding::Severity;
use crate::lint::Report;

use super::{byte_offset, counts};

pub struct Style {
    pub color: bool,
    /// Only the summary and errors' one-line forms.
    pub quiet: bool,
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub fn render(report: &Report, elapsed: Duration, style: &Style) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = report
        .files
        .iter()
        .map(|f| files.add(f.name.clone(), f.text.clone().unwrap_or_default()))
        .collect();
    let mut buf = if style.color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = Config::default();
    for f in &report.findings {
        if style.quiet && f.severity != Severity::Error {
            continue;
        }
        let file = &report.files[f.file];
        let text = file.text.as_deref().unwrap_or_default();
        let start = byte_offset(text, f.span.start.line, f.span.start.col);
        let mut end = if f.span.end.line == f.span.start.line {
            byte_offset(text, f.span.end.line, f.span.end.col)
        } else {
            start
        };
        if end <= start {
            // A single character, or the rest of a key, so the caret has something to point at.
            end = text[start..]
                .find(['\n', ':'])
                .map_or(text.len(), |n| start + n.max(1));
        }
        let sev = match f.severity {
            Severity::Error => CSeverity::Error,
            Severity::Warning => CSeverity::Warning,
            Severity::Info => CSeverity::Note,
        };
        let label = if f.path.is_empty() {
            String::new()
        } else {
            f.path.clone()
        };
        let mut labels = vec![Label::primary(ids[f.file], start..end).with_message(label)];
        if let Some((span, msg)) = &f.related {
            let s = byte_offset(text, span.start.line, span.start.col);
            let e = text[s..]
                .find(['\n', ':'])
                .map_or(text.len(), |n| s + n.max(1));
            labels.push(Label::secondary(ids[f.file], s..e).with_message(msg.clone()));
        }
        let mut notes = Vec::new();
        if let Some(obj) = &f.object {
            notes.push(format!(
                "in {} {obj}",
                f.kind.as_deref().unwrap_or("object")
            ));
        }
        if let Some(h) = &f.help {
            notes.push(format!("help: {h}"));
        }
        if let Some(fix) = &f.fix {
            notes.push(match fix.safety {
                crate::fix::Safety::Safe => format!("fix: {} (`lint --fix` applies it)", fix.title),
                crate::fix::Safety::Unsafe => format!(
                    "fix: {} (changes behaviour: `lint --fix --unsafe-fixes` applies it)",
                    fix.title
                ),
            });
        }
        notes.push(format!("see: agones-lint explain {}", f.rule.code));
        let d = Diagnostic::new(sev)
            .with_message(&f.message)
            .with_code(format!("{} {}", f.rule.code, f.rule.name))
            .with_labels(labels)
            .with_notes(notes);
        // Rendering into memory only fails on an out-of-range span, which byte_offset prevents.
        let _ = term::emit_to_write_style(&mut buf, &config, &files, &d);
    }
    let mut out = String::from_utf8_lossy(buf.as_slice()).into_owned();
    let o = report.omitted;
    let omitted = o.errors + o.warnings + o.infos;
    if omitted > 0 {
        out.push_str(&format!(
            "({omitted} more findings not shown: --max-findings)\n"
        ));
    }
    let c = counts(report);
    // Two questions: will `kubectl apply` fail, and will the object misbehave?
    let errors = match (c.errors, c.rejected) {
        (0, _) => plural(0, "error"),
        (1, 1) => "1 error (rejected by Agones)".to_string(),
        (1, 0) => "1 error (accepted by Agones, fails at run time)".to_string(),
        (n, r) if r == n => format!("{n} errors (all rejected by Agones)"),
        (n, 0) => format!("{n} errors (none rejected by Agones; they fail at run time)"),
        (n, r) => format!("{n} errors ({r} of them rejected by Agones)"),
    };
    let context = if report.context_files > 0 {
        format!(" (+{} read as context)", report.context_files)
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{}: {}{context}, {}, as Agones {}; {}, {}, {} in {} ms\n",
        if c.errors > 0 { "failed" } else { "ok" },
        plural(report.files.len(), "file"),
        plural(report.documents, "document")
            + &if report.skipped > 0 {
                format!(" ({} not Agones, skipped)", report.skipped)
            } else {
                String::new()
            },
        report.agones_version,
        errors,
        plural(c.warnings, "warning"),
        plural(c.infos, "info"),
        elapsed.as_millis()
    ));
    out
}
