//! `agones-lint lsp`: a language server over stdio. Diagnostics as you type (the same findings
//! as `lint`, with the workspace as context for the checks across resources), hover with rule
//! docs and field descriptions, and code actions from the fixes.
//!
//! The main thread answers the client; a worker lints. Edits only record the new text and
//! queue the document, so a slow lint never delays typing or a hover; the worker coalesces the
//! queue (a burst of keystrokes is linted once, at its last version) and publishes.

pub mod analysis;
pub mod document;
pub mod hover;
pub mod transport;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, FileSystemWatcher, GlobPattern, HoverParams,
    HoverProviderCapability, InitializeParams, PositionEncodingKind, PublishDiagnosticsParams,
    Registration, RegistrationParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
    WorkspaceEdit,
};

use analysis::{Analysis, Request as LintRequest, Settings, Workspace};
use document::{Document, Encoding};

/// Quiet time after an edit before it is linted: long enough to fold a burst of keystrokes
/// into one lint, short enough to stay well inside the 50 ms an editor user notices.
const DEBOUNCE: Duration = Duration::from_millis(8);

/// The kind of the "fix all" action, as ruff and ESLint name theirs.
const FIX_ALL: &str = "source.fixAll.agones-lint";

struct State {
    docs: HashMap<String, Document>,
    analyses: HashMap<String, Analysis>,
    workspace: Workspace,
    settings: Settings,
    encoding: Encoding,
}

type Shared = Arc<Mutex<State>>;

/// What linting one document reads, copied out of the state so that the lock is not held
/// while the lint runs.
struct Snapshot {
    doc: Document,
    open: HashMap<String, Document>,
    workspace: Workspace,
    settings: Settings,
    encoding: Encoding,
}

impl State {
    fn snapshot(&self, uri: &str) -> Option<Snapshot> {
        Some(Snapshot {
            doc: self.docs.get(uri)?.clone(),
            open: self.docs.clone(),
            workspace: self.workspace.clone(),
            settings: self.settings.clone(),
            encoding: self.encoding,
        })
    }
}

impl Snapshot {
    fn request<'a>(&'a self, uri: &'a str) -> LintRequest<'a> {
        LintRequest {
            uri,
            doc: &self.doc,
            open: &self.open,
            workspace: &self.workspace,
            settings: &self.settings,
            encoding: self.encoding,
        }
    }
}

enum Job {
    /// Lint this document, then the other open ones (their checks across resources may read it).
    Changed(String),
    /// Files changed on disk, or the configuration: lint every open document.
    All,
}

/// Serves until the client says `exit`. Ok(false) when it exited without `shutdown` first.
pub fn run(settings: Settings) -> Result<bool, String> {
    let (connection, threads) = transport::stdio();
    let clean = serve(&connection, settings)?;
    drop(connection);
    threads
        .join()
        .map_err(|e| format!("writing to the client failed: {e}"))?;
    Ok(clean)
}

fn serve(connection: &Connection, mut settings: Settings) -> Result<bool, String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = negotiate(&init);
    let capabilities = ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)]),
            ..Default::default()
        })),
        ..Default::default()
    };
    let result = lsp_types::InitializeResult {
        capabilities,
        server_info: Some(ServerInfo {
            name: "agones-lint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection
        .initialize_finish(id, serde_json::to_value(result).unwrap_or_default())
        .map_err(|e| format!("initialize failed: {e}"))?;
    read_initialization_options(&init, &mut settings);
    let state: Shared = Arc::new(Mutex::new(State {
        docs: HashMap::new(),
        analyses: HashMap::new(),
        workspace: Workspace {
            folders: workspace_folders(&init),
            cache: Default::default(),
        },
        settings,
        encoding,
    }));
    if watches_files(&init) {
        register_watchers(connection);
    }
    let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
    let worker = {
        let state = state.clone();
        let sender = connection.sender.clone();
        std::thread::Builder::new()
            .name("lsp-lint".into())
            .spawn(move || lint_worker(queue, state, sender))
            .map_err(|e| format!("cannot start the lint thread: {e}"))?
    };
    let mut shut_down = false;
    for msg in &connection.receiver {
        match msg {
            Message::Request(r) => {
                if r.method == req::Shutdown::METHOD {
                    shut_down = true;
                    let _ = connection.sender.send(Response::new_ok(r.id, ()).into());
                    continue;
                }
                let response = if shut_down {
                    Response::new_err(
                        r.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    )
                } else {
                    answer(r, &state)
                };
                let _ = connection.sender.send(response.into());
            }
            Message::Notification(n) if n.method == notif::Exit::METHOD => break,
            Message::Notification(n) => notification(n, &state, &jobs),
            Message::Response(_) => {}
        }
    }
    drop(jobs);
    let _ = worker.join();
    Ok(shut_down)
}

/// UTF-32 when the client can (lint counts characters), then UTF-8, else the default UTF-16.
fn negotiate(init: &InitializeParams) -> Encoding {
    let offered = init
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.clone())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// `initializationOptions`: `{"agonesVersion": "1.57", "featureGates": "A=true", "config":
/// "path", "namespace": "ns", "rulesUrl": "https://…/rules/"}`; the command line's flags win.
fn read_initialization_options(init: &InitializeParams, settings: &mut Settings) {
    let Some(o) = init.initialization_options.as_ref() else {
        return;
    };
    let get = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_string);
    settings.feature_gates = settings
        .feature_gates
        .take()
        .or_else(|| get("featureGates"));
    settings.agones_version = settings
        .agones_version
        .take()
        .or_else(|| get("agonesVersion"));
    settings.config = settings.config.take().or_else(|| get("config"));
    settings.namespace = settings.namespace.take().or_else(|| get("namespace"));
    settings.rules_url = settings.rules_url.take().or_else(|| get("rulesUrl"));
}

#[allow(deprecated)] // root_uri and root_path: older clients send only them.
fn workspace_folders(init: &InitializeParams) -> Vec<std::path::PathBuf> {
    let mut folders: Vec<std::path::PathBuf> = init
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| analysis::uri_to_path(f.uri.as_str()))
        .collect();
    if folders.is_empty() {
        folders.extend(
            init.root_uri
                .as_ref()
                .and_then(|u| analysis::uri_to_path(u.as_str()))
                .or_else(|| init.root_path.as_ref().map(std::path::PathBuf::from)),
        );
    }
    folders
}

fn watches_files(init: &InitializeParams) -> bool {
    init.capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

fn register_watchers(connection: &Connection) {
    let watchers = ["**/*.{yaml,yml,json}", "**/.agones-lint.yaml"]
        .into_iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String(g.into()),
            kind: None,
        })
        .collect();
    let params = RegistrationParams {
        registrations: vec![Registration {
            id: "agones-lint-watch".into(),
            method: notif::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(
                lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers },
            )
            .ok(),
        }],
    };
    let _ = connection.sender.send(
        Request::new(
            RequestId::from("agones-lint-watch".to_string()),
            req::RegisterCapability::METHOD.into(),
            params,
        )
        .into(),
    );
}

fn notification(n: Notification, state: &Shared, jobs: &Sender<Job>) {
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    match n.method.as_str() {
        notif::DidOpenTextDocument::METHOD => {
            if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                let uri = p.text_document.uri.as_str().to_string();
                s.docs.insert(
                    uri.clone(),
                    Document {
                        text: p.text_document.text,
                        version: p.text_document.version,
                    },
                );
                let _ = jobs.send(Job::Changed(uri));
            }
        }
        notif::DidChangeTextDocument::METHOD => {
            if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                let uri = p.text_document.uri.as_str().to_string();
                let encoding = s.encoding;
                if let Some(doc) = s.docs.get_mut(&uri) {
                    doc.apply(p.content_changes, encoding);
                    doc.version = p.text_document.version;
                    let _ = jobs.send(Job::Changed(uri));
                }
            }
        }
        notif::DidCloseTextDocument::METHOD => {
            if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                let uri = p.text_document.uri.as_str().to_string();
                s.docs.remove(&uri);
                s.analyses.remove(&uri);
                let _ = jobs.send(Job::Changed(uri));
            }
        }
        // A save, a file changed or created outside the editor, the configuration: what the
        // other documents are checked against may have changed.
        notif::DidSaveTextDocument::METHOD | notif::DidChangeWatchedFiles::METHOD => {
            // A configuration change changes what every file's facts are (gates, namespace).
            if n.params.to_string().contains(crate::config::FILE_NAME) {
                s.workspace.cache.clear();
            }
            let _ = jobs.send(Job::All);
        }
        _ => {}
    }
}

fn lint_worker(queue: Receiver<Job>, state: Shared, sender: Sender<Message>) {
    while let Ok(first) = queue.recv() {
        // Coalesce: everything queued until the editor pauses is linted once.
        let mut changed: Vec<String> = Vec::new();
        let mut all = false;
        let mut take = |job: Job| match job {
            Job::Changed(uri) => {
                if !changed.contains(&uri) {
                    changed.push(uri)
                }
            }
            Job::All => all = true,
        };
        take(first);
        loop {
            match queue.recv_timeout(DEBOUNCE) {
                Ok(job) => take(job),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // The changed documents first, then every other open one.
        let mut order: Vec<String> = changed.clone();
        {
            let s = state.lock().unwrap_or_else(|e| e.into_inner());
            let others: BTreeSet<&String> =
                s.docs.keys().filter(|u| !changed.contains(u)).collect();
            if all || !changed.is_empty() {
                order.extend(others.into_iter().cloned());
            }
        }
        for uri in order {
            publish(&uri, &state, &sender);
        }
    }
}

/// Lints `uri` at its current version and publishes; a closed document gets no diagnostics.
fn publish(uri: &str, state: &Shared, sender: &Sender<Message>) {
    let snapshot = state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .snapshot(uri);
    let Ok(parsed) = uri.parse::<Uri>() else {
        return;
    };
    let Some(snap) = snapshot else {
        send_diagnostics(sender, parsed, Vec::new(), None);
        return;
    };
    let doc = &snap.doc;
    let analysis = analysis::analyze(&snap.request(uri));
    let diagnostics = analysis
        .items
        .iter()
        .map(|i| i.diagnostic.clone())
        .collect();
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    // Edited again meanwhile: the newer version is queued, and these would be stale.
    if s.docs.get(uri).map(|d| d.version) != Some(doc.version) {
        return;
    }
    s.analyses.insert(uri.to_string(), analysis);
    drop(s);
    send_diagnostics(sender, parsed, diagnostics, Some(doc.version));
}

fn send_diagnostics(
    sender: &Sender<Message>,
    uri: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    let _ = sender.send(Notification::new(notif::PublishDiagnostics::METHOD.into(), params).into());
}

fn answer(r: Request, state: &Shared) -> Response {
    let id = r.id.clone();
    let result = match r.method.as_str() {
        req::HoverRequest::METHOD => serde_json::from_value::<HoverParams>(r.params)
            .map(|p| {
                let s = state.lock().unwrap_or_else(|e| e.into_inner());
                let pos = p.text_document_position_params;
                s.docs
                    .get(pos.text_document.uri.as_str())
                    .and_then(|doc| hover::hover(doc, pos.position, s.encoding))
            })
            .map(|h| serde_json::to_value(h).unwrap_or_default()),
        req::CodeActionRequest::METHOD => serde_json::from_value::<CodeActionParams>(r.params)
            .map(|p| serde_json::to_value(code_actions(&p, state)).unwrap_or_default()),
        _ => {
            return Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("agones-lint does not serve {}", r.method),
            )
        }
    };
    match result {
        Ok(v) => Response::new_ok(id, v),
        Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
    }
}

fn code_actions(p: &CodeActionParams, state: &Shared) -> Vec<CodeActionOrCommand> {
    let uri = p.text_document.uri.as_str();
    let (snap, analysis) = {
        let s = state.lock().unwrap_or_else(|e| e.into_inner());
        let Some(snap) = s.snapshot(uri) else {
            return Vec::new();
        };
        (snap, s.analyses.get(uri).cloned())
    };
    let (doc, encoding) = (&snap.doc, snap.encoding);
    let request = snap.request(uri);
    // The worker may not have caught up with the last edit: lint this version now.
    let analysis = match analysis {
        Some(a) if a.version == doc.version && a.text == doc.text => a,
        _ => analysis::analyze(&request),
    };
    let wanted = |kind: &CodeActionKind| match &p.context.only {
        None => true,
        Some(only) => only.iter().any(|o| {
            kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))
        }),
    };
    let mut out = Vec::new();
    let quickfix = CodeActionKind::QUICKFIX;
    if wanted(&quickfix) {
        for item in &analysis.items {
            let Some(fix) = &item.fix else { continue };
            let r = item.diagnostic.range;
            if r.end < p.range.start || p.range.end < r.start {
                continue;
            }
            let Some(edits) = analysis::text_edits(&analysis.text, fix, encoding) else {
                continue;
            };
            let safe = fix.safety == crate::fix::Safety::Safe;
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: if safe {
                    format!("{} ({})", fix.title, code_of(&item.diagnostic))
                } else {
                    format!(
                        "{} ({}, changes behaviour)",
                        fix.title,
                        code_of(&item.diagnostic)
                    )
                },
                kind: Some(quickfix.clone()),
                diagnostics: Some(vec![item.diagnostic.clone()]),
                edit: Some(edit(&p.text_document.uri, edits)),
                is_preferred: Some(safe),
                ..Default::default()
            }));
        }
    }
    let fix_all = CodeActionKind::new(FIX_ALL);
    let any_safe = analysis.items.iter().any(|i| {
        i.fix
            .as_ref()
            .is_some_and(|f| f.safety == crate::fix::Safety::Safe)
    });
    if wanted(&fix_all) && any_safe {
        if let Some(fixed) = analysis::fix_all(&request) {
            let lines = document::Lines::new(&doc.text);
            let whole = lsp_types::Range {
                start: lsp_types::Position::default(),
                end: lines.position(&doc.text, doc.text.len(), encoding),
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all safe agones-lint findings".into(),
                kind: Some(fix_all),
                edit: Some(edit(
                    &p.text_document.uri,
                    vec![TextEdit {
                        range: whole,
                        new_text: fixed,
                    }],
                )),
                ..Default::default()
            }));
        }
    }
    out
}

fn code_of(d: &lsp_types::Diagnostic) -> String {
    match &d.code {
        Some(lsp_types::NumberOrString::String(s)) => s.clone(),
        Some(lsp_types::NumberOrString::Number(n)) => n.to_string(),
        None => String::new(),
    }
}

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}
