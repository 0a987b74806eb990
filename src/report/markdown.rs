//! A Markdown summary: a table of findings, for CI job summaries and pull-request comments.

use crate::lint::Report;

use super::counts;

/// Keeps a table cell on one line and its pipes literal.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report) -> String {
    let c = counts(report);
    let mut out = format!(
        "### agones-lint: {} error{}, {} warning{}, {} info{}\n\n{} file{}, {} document{} checked.\n\n",
        c.errors,
        if c.errors == 1 { "" } else { "s" },
        c.warnings,
        if c.warnings == 1 { "" } else { "s" },
        c.infos,
        if c.infos == 1 { "" } else { "s" },
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        report.documents,
        if report.documents == 1 { "" } else { "s" }
    );
    if report.findings.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    out.push_str("| Severity | Rule | Location | Field | Message |\n|---|---|---|---|---|\n");
    for f in &report.findings {
        out.push_str(&format!(
            "| {} | `{}` {} | `{}:{}:{}` | `{}` | {} |\n",
            f.severity,
            f.rule.code,
            f.rule.name,
            cell(&report.files[f.file].name),
            f.span.start.line,
            f.span.start.col + 1,
            cell(&f.path),
            cell(&f.message)
        ));
    }
    let o = report.omitted;
    if o.errors + o.warnings + o.infos > 0 {
        out.push_str(&format!(
            "\n{} more findings not shown.\n",
            o.errors + o.warnings + o.infos
        ));
    }
    out
}
