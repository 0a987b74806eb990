//! The stable JSON format (version 1).

use serde::Serialize;

use crate::lint::Report;

use super::counts;

#[derive(Serialize)]
struct Out<'a> {
    version: u32,
    summary: Summary,
    findings: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Summary {
    /// The Agones release the verdicts are for.
    #[serde(rename = "agonesVersion")]
    agones_version: &'static str,
    files: usize,
    documents: usize,
    /// Documents of kinds agones-lint does not check (a ConfigMap, a Deployment), skipped.
    skipped: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Errors about objects the cluster refuses on create.
    rejected: usize,
}

#[derive(Serialize)]
struct Item<'a> {
    rule: &'a str,
    name: &'a str,
    severity: crate::finding::Severity,
    file: &'a str,
    line: u32,
    column: u32,
    kind: Option<&'a str>,
    object: Option<&'a str>,
    path: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    /// `rejected`: the cluster refuses the object; `accepted`: it takes it, and this is about
    /// how it behaves.
    admission: &'a str,
    /// The mechanical fix, when there is one: its title, and `safe` (`--fix` applies it) or
    /// `unsafe` (only with `--unsafe-fixes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixItem<'a>>,
}

#[derive(Serialize)]
struct FixItem<'a> {
    title: &'a str,
    safety: crate::fix::Safety,
}

/// Writes the report as one line of JSON.
pub fn write(report: &Report, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let c = counts(report);
    let out = Out {
        version: 1,
        summary: Summary {
            agones_version: report.agones_version,
            files: report.files.len(),
            documents: report.documents,
            skipped: report.skipped,
            errors: c.errors,
            warnings: c.warnings,
            infos: c.infos,
            rejected: c.rejected,
        },
        findings: report
            .findings
            .iter()
            .map(|f| Item {
                rule: f.rule.code,
                name: f.rule.name,
                severity: f.severity,
                file: &report.files[f.file].name,
                line: f.span.start.line,
                column: f.span.start.col + 1,
                kind: f.kind.as_deref(),
                object: f.object.as_deref(),
                path: &f.path,
                message: &f.message,
                help: f.help.as_deref(),
                admission: f.admission.as_str(),
                fix: f.fix.as_deref().map(|x| FixItem {
                    title: &x.title,
                    safety: x.safety,
                }),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *w, &out).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}
