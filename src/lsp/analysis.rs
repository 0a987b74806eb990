//! Linting one open document the way `lint` would lint its file: its configuration
//! (`.agones-lint.yaml` above it) and feature gates, the other manifests of the workspace as
//! context for the checks across resources (as `--context`), unsaved buffers in place of their
//! files. The findings become diagnostics, and keep their fixes for code actions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, TextEdit, Uri,
};

use super::document::{Document, Encoding, Lines};
use crate::app::{prepare, Fatal};
use crate::autofix;
use crate::cli::CommonArgs;
use crate::finding::{Finding, Severity};
use crate::fix::Fix;
use crate::lint::{self, Options};
use crate::source::yaml::Budgets;
use crate::source::Input;

/// What the client and the command line chose.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub agones_version: Option<String>,
    pub feature_gates: Option<String>,
    pub config: Option<String>,
    pub namespace: Option<String>,
    /// Where the rule docs are published, for each diagnostic's link.
    pub rules_url: Option<String>,
}

/// The diagnostics of one version of a document, and the fixes behind them.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub version: i32,
    /// The text the diagnostics are about: fixes apply to it only.
    pub text: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub diagnostic: Diagnostic,
    pub fix: Option<Fix>,
}

/// The path of a `file:` URI.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///p`, or with a host: only the local one.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(rest)?;
    // `file:///C:/x` is `C:/x` on Windows.
    let bytes = decoded.as_bytes();
    if cfg!(windows) && bytes.len() > 2 && bytes[2] == b':' && bytes[1].is_ascii_alphabetic() {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    let text = path.to_string_lossy().replace('\\', "/");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The workspace around the open documents.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub folders: Vec<PathBuf>,
    /// The context files' facts, kept between lints.
    pub cache: Arc<lint::ContextCache>,
}

/// What a lint of one document needs besides the document.
pub struct Request<'a> {
    pub uri: &'a str,
    pub doc: &'a Document,
    /// Every open document (this one too): their texts stand in for their files.
    pub open: &'a HashMap<String, Document>,
    pub workspace: &'a Workspace,
    pub settings: &'a Settings,
    pub encoding: Encoding,
}

fn common(settings: &Settings) -> CommonArgs {
    CommonArgs {
        now: None,
        agones_version: settings.agones_version.clone(),
        feature_gates: settings.feature_gates.clone(),
        namespace: settings.namespace.clone(),
        config: settings.config.clone(),
        // An excluded file open in the editor gets no diagnostics, silently.
        force_exclude: true,
    }
}

/// Inputs, context and options for linting the document as its file.
struct Prepared {
    inputs: Vec<Input>,
    context: Vec<Input>,
    ctx: crate::checks::Context,
    opts: Options,
    config: crate::config::Config,
    path: Option<PathBuf>,
}

fn prepare_for(r: &Request) -> Result<Prepared, Fatal> {
    let path = uri_to_path(r.uri);
    let folders: Vec<String> = r
        .workspace
        .folders
        .iter()
        .filter(|f| f.is_dir())
        .map(|f| f.display().to_string())
        .collect();
    // A buffer with no file behind it yet (untitled, or not saved since it was created) is
    // linted as text under its URI.
    let on_disk = path.as_ref().is_some_and(|p| p.is_file());
    let paths = match &path {
        Some(p) if on_disk => vec![p.display().to_string()],
        _ => Vec::new(),
    };
    let context_paths = if path.is_some() { folders } else { Vec::new() };
    let mut prepared = prepare(&common(r.settings), &paths, &context_paths)?;
    if !on_disk {
        prepared.inputs = vec![Input::Text {
            name: r.uri.to_string(),
            text: Ok(r.doc.text.clone()),
        }];
    }
    let path = path.filter(|_| on_disk);
    let overrides: HashMap<PathBuf, String> = r
        .open
        .iter()
        .filter_map(|(uri, d)| Some((uri_to_path(uri)?, d.text.clone())))
        .collect();
    let opts = Options {
        budgets: Budgets::default(),
        stdin_name: None,
        cross: crate::checks::cross::CrossOptions {
            require_targets: prepared.config.require_targets.unwrap_or(false),
        },
        keep_text: false,
        collect_objects: false,
        severities: prepared.config.severities.clone(),
        overrides: Some(Arc::new(overrides)),
        context_cache: Some(r.workspace.cache.clone()),
    };
    Ok(Prepared {
        inputs: prepared.inputs,
        context: prepared.context,
        ctx: prepared.ctx,
        opts,
        config: prepared.config,
        path,
    })
}

/// Lints the document.
pub fn analyze(r: &Request) -> Analysis {
    let text = r.doc.text.clone();
    let lines = Lines::new(&text);
    let mut items = Vec::new();
    match prepare_for(r).and_then(|p| {
        let report = lint::run(&p.inputs, &p.context, &p.ctx, &p.opts).map_err(Fatal::new)?;
        Ok((p, report))
    }) {
        Ok((p, report)) => {
            let mine = |f: &Finding| match &p.path {
                Some(path) => report.files[f.file].path.as_deref() == Some(path.as_path()),
                None => report.files[f.file].name == r.uri,
            };
            let editing_config = p.path.is_some() && p.config.path.as_deref() == p.path.as_deref();
            // The buffer, not the saved file: its ranges are the buffer's.
            let config_findings = if editing_config {
                crate::config::Config::parse(&r.doc.text).findings(0)
            } else {
                Vec::new()
            };
            // The editor opens every YAML file: one that names no Agones group (a workflow, a
            // values file) is yaml-language-server's business, syntax errors included; and a
            // file just created is empty without being a mistake.
            let agones = text.contains("agones.dev");
            let shown = |f: &&Finding| {
                f.rule.code != crate::checks::rules::YAML006.code && (agones || f.kind.is_some())
            };
            for f in report
                .findings
                .iter()
                .filter(|f| mine(f))
                .filter(shown)
                .chain(&config_findings)
            {
                items.push(Item {
                    diagnostic: diagnostic(f, r, &lines, &text),
                    fix: f.fix.as_deref().cloned(),
                });
            }
        }
        Err(fatal) => items.push(Item {
            diagnostic: Diagnostic {
                range: Default::default(),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("agones-lint".into()),
                message: match fatal.help {
                    Some(h) => format!(
                        "agones-lint cannot lint this file: {}\nhelp: {h}",
                        fatal.what
                    ),
                    None => format!("agones-lint cannot lint this file: {}", fatal.what),
                },
                ..Default::default()
            },
            fix: None,
        }),
    }
    Analysis {
        version: r.doc.version,
        text,
        items,
    }
}

fn diagnostic(f: &Finding, r: &Request, lines: &Lines, text: &str) -> Diagnostic {
    let severity = match f.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = f.message.clone();
    if let Some(h) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let uri: Option<Uri> = r.uri.parse().ok();
    Diagnostic {
        range: lines.range(text, f.span, r.encoding),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.rule.code.into())),
        code_description: r
            .settings
            .rules_url
            .as_deref()
            .and_then(|base| f.rule.doc_url(base).parse().ok())
            .map(|href| CodeDescription { href }),
        source: Some("agones-lint".into()),
        message,
        related_information: match (&f.related, uri) {
            (Some((span, label)), Some(uri)) => Some(vec![DiagnosticRelatedInformation {
                location: Location {
                    uri,
                    range: lines.range(text, *span, r.encoding),
                },
                message: label.clone(),
            }]),
            _ => None,
        },
        tags: None,
        data: None,
    }
}

/// A fix as editor edits of `text`; None when the text no longer holds what it expects.
pub fn text_edits(text: &str, fix: &Fix, enc: Encoding) -> Option<Vec<TextEdit>> {
    let lines = Lines::new(text);
    let edits = crate::fix::resolve_edits(text, fix)?;
    Some(
        edits
            .into_iter()
            .map(|(start, end, new_text)| TextEdit {
                range: lsp_types::Range {
                    start: lines.position(text, start, enc),
                    end: lines.position(text, end, enc),
                },
                new_text,
            })
            .collect(),
    )
}

/// The document with every safe fix applied, as `lint --fix` would leave its file; None when
/// nothing changes.
pub fn fix_all(r: &Request) -> Option<String> {
    let p = prepare_for(r).ok()?;
    let path = p.path.clone()?;
    let outcome =
        autofix::run(&p.inputs, &p.context, &p.ctx, &p.opts, autofix::Which::Safe).ok()?;
    outcome
        .changed
        .into_iter()
        .find(|c| c.path == path)
        .map(|c| c.after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_with_escapes() {
        let p = uri_to_path("file:///home/me/My%20Fleets/f%C3%A9.yaml").unwrap();
        assert_eq!(p, PathBuf::from("/home/me/My Fleets/fé.yaml"));
        assert_eq!(path_to_uri(&p), "file:///home/me/My%20Fleets/f%C3%A9.yaml");
        assert!(uri_to_path("untitled:Untitled-1").is_none());
        assert!(uri_to_path("file://server/share/x.yaml").is_none());
        assert!(uri_to_path("file:///bad%zz").is_none());
    }
}
