//! GitHub Actions workflow commands: one annotation per finding, then a summary line.

use crate::finding::Severity;
use crate::lint::Report;

use super::counts;

/// Escapes a message for a workflow command's data.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let file = &report.files[f.file].name;
        let mut message = f.message.clone();
        if let Some(h) = &f.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        if !f.path.is_empty() {
            message.push_str(&format!("\nfield: {}", f.path));
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(file),
            f.span.start.line,
            f.span.start.col + 1,
            f.span.end.line.max(f.span.start.line),
            if f.span.end.line == f.span.start.line {
                f.span.end.col.max(f.span.start.col) + 1
            } else {
                f.span.start.col + 1
            },
            property(&format!("{} {}", f.rule.code, f.rule.name)),
            data(&message)
        ));
    }
    let c = counts(report);
    out.push_str(&format!(
        "agones-lint: {} files, {} documents; {} errors, {} warnings, {} infos\n",
        report.files.len(),
        report.documents,
        c.errors,
        c.warnings,
        c.infos
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_github_documents() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
