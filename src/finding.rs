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

/// What the cluster does with the object a finding is about: refuse it on create, or take it
/// (the finding is then about how it behaves, or advice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Admission {
    Rejected,
    Accepted,
}

/// Errors that the cluster accepts: they fail at run time (every sync, every allocation), or are
/// about how objects relate, which no admission step sees.
const RUN_TIME_ERRORS: &[&str] = &[
    "FAS024", "FAS044", "FAS045", "FAS046", "FAS047", "FAS048", "SCN001",
];

impl Admission {
    /// The rule's usual answer; a check may still say otherwise for one finding (an error
    /// inside a schedule is only met when the schedule becomes active).
    pub fn of(rule: &Rule) -> Admission {
        let accepted = rule.severity != Severity::Error
            || RUN_TIME_ERRORS.contains(&rule.code)
            || rule.code.starts_with("REF")
            || rule.code.starts_with("CFG");
        if accepted {
            Admission::Accepted
        } else {
            Admission::Rejected
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Admission::Rejected => "rejected",
            Admission::Accepted => "accepted",
        }
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
    pub admission: Admission,
    /// The edit that fixes it, when there is a mechanical one (`lint --fix`, code actions).
    pub fix: Option<Box<crate::fix::Fix>>,
}
