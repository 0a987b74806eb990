//! What a check reports, and how severe it is.

use std::fmt;

use serde::Serialize;

use crate::checks::rules::Rule;
use crate::source::tree::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// A finding located in a file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// Index into the run's file table.
    pub file: usize,
    pub span: Span,
    /// The object's kind, when the finding is about an object.
    pub kind: Option<String>,
    /// `namespace/name` of the object.
    pub object: Option<String>,
    /// Field path (`spec.policy.chain[1].id`); empty for findings about the text itself.
    pub path: String,
    pub message: String,
    pub help: Option<String>,
    /// Another place worth showing, with a label.
    pub related: Option<(Span, String)>,
}
