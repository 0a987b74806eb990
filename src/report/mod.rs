//! Output formats. Each takes a finished lint report and writes it.

pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::finding::Severity;
use crate::lint::Report;

#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Errors about objects the cluster refuses on create (the rest fail at run time or are
    /// about how objects relate).
    pub rejected: usize,
}

/// Every finding's severity, those left out by `--max-findings` included.
pub fn counts(report: &Report) -> Counts {
    let mut c = report.omitted;
    for f in &report.findings {
        if f.severity == Severity::Error && f.admission == crate::finding::Admission::Rejected {
            c.rejected += 1;
        }
        match f.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
    }
    c
}

/// Byte offset of a position (1-based line, column in characters) in `text`.
pub fn byte_offset(text: &str, line: u32, col: u32) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let in_line = l
                .char_indices()
                .nth(col as usize)
                .map_or(l.trim_end_matches(['\n', '\r']).len(), |(b, _)| b);
            return offset + in_line;
        }
        offset += l.len();
    }
    text.len()
}
