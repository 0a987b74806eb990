//! `agones-lint lsp` over real pipes, speaking raw JSON-RPC as a client does. The full editor
//! round trip (edits, code actions, fix all, latency, memory) runs in `.ci/test-editor.sh`
//! with pytest-lsp; these keep the protocol basics and the hostile-client bounds in
//! `cargo test`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(dir: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_agones-lint"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Server {
            stdin: child.stdin.take(),
            stdout: BufReader::new(child.stdout.take().unwrap()),
            child,
        }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn recv(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "the server closed its output"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Reads until a message satisfies `want`, answering the server's own requests.
    fn until(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..100 {
            let m = self.recv();
            if want(&m) {
                return m;
            }
            if m.get("method").is_some() && m.get("id").is_some() {
                self.send(json!({"jsonrpc": "2.0", "id": m["id"], "result": null}));
            }
        }
        panic!("the message never came");
    }

    fn initialize(&mut self, dir: &std::path::Path) -> Value {
        let root = format!("file://{}", dir.display());
        self.send(
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": root, "capabilities": {
                "general": {"positionEncodings": ["utf-16"]}}}}),
        );
        let answer = self.until(|m| m["id"] == 1);
        self.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        answer
    }

    fn wait(mut self) -> i32 {
        drop(self.stdin.take());
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

const BROKEN: &str = "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: lobby\nspec:\n  fleetName: lobby\n  policy:\n    type: Bufer\n";

#[test]
fn diagnostics_code_actions_and_a_clean_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fas.yaml");
    std::fs::write(&file, BROKEN).unwrap();
    let uri = format!("file://{}", file.display());
    let mut s = Server::start(dir.path());
    let init = s.initialize(dir.path());
    assert_eq!(init["result"]["serverInfo"]["name"], "agones-lint");
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    s.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": BROKEN}}}),
    );
    let published = s.until(|m| m["method"] == "textDocument/publishDiagnostics");
    let diags = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .clone();
    let bad = diags
        .iter()
        .find(|d| d["code"] == "SCH004")
        .expect("SCH004");
    // The finding points at the field (`type`), as `lint` does; its fix edits the value.
    assert_eq!(bad["range"]["start"], json!({"line": 7, "character": 4}));
    assert_eq!(bad["range"]["end"], json!({"line": 7, "character": 8}));
    assert_eq!(bad["severity"], 1);
    assert_eq!(published["params"]["version"], 1);

    s.send(
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": uri}, "range": bad["range"], "context": {"diagnostics": [bad]}}}),
    );
    let actions = s.until(|m| m["id"] == 2);
    let fix = &actions["result"][0];
    assert_eq!(fix["kind"], "quickfix");
    let edit = &fix["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "Buffer");
    assert_eq!(
        edit["range"],
        json!({"start": {"line": 7, "character": 10}, "end": {"line": 7, "character": 15}})
    );

    // An unknown request gets an error, not silence.
    s.send(json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/rename", "params": {}}));
    let err = s.until(|m| m["id"] == 3);
    assert_eq!(err["error"]["code"], -32601);

    s.send(json!({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}));
    s.until(|m| m["id"] == 4);
    s.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(s.wait(), 0);
}

/// A Helm template gets the one note that says to lint what it renders; files that are not
/// about Agones (a ConfigMap, a broken workflow, a new empty file) get nothing.
#[test]
fn templates_get_one_note_and_files_not_about_agones_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("chart/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let template = templates.join("fleet.yaml");
    let text = "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n";
    std::fs::write(&template, text).unwrap();
    let mut s = Server::start(dir.path());
    s.initialize(dir.path());
    for (name, text, codes) in [
        (template.clone(), text, vec!["YAML007"]),
        (
            dir.path().join("cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n",
            vec![],
        ),
        // A workflow mid-edit, broken: not an Agones file, so not this server's to report.
        (dir.path().join("ci.yaml"), "on: push\njobs: [\n", vec![]),
        // A file just created.
        (dir.path().join("new.yaml"), "", vec![]),
        // Broken, but about Agones: reported.
        (
            dir.path().join("broken.yaml"),
            "apiVersion: agones.dev/v1\nkind: Fleet\nspec: [\n",
            vec!["YAML001"],
        ),
    ] {
        let uri = format!("file://{}", name.display());
        s.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}}}),
        );
        let published = s.until(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
        });
        let got: Vec<&str> = published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(got, codes, "{published}");
    }
}

/// The configuration file open in the editor: its problems, as the buffer has them.
#[test]
fn the_configuration_buffer_gets_its_own_findings() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".agones-lint.yaml");
    std::fs::write(&config, "rules: {}\n").unwrap();
    let uri = format!("file://{}", config.display());
    let mut s = Server::start(dir.path());
    s.initialize(dir.path());
    let text = "# unsaved\nrules:\n  FAS030: loud\n";
    s.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}}}),
    );
    let published = s.until(|m| m["method"] == "textDocument/publishDiagnostics");
    let diags = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{published}");
    assert_eq!(diags[0]["code"], "CFG001");
    assert_eq!(diags[0]["range"]["start"]["line"], 2, "{published}");
}

#[test]
fn a_hostile_client_gets_neither_a_panic_nor_a_huge_allocation() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.initialize(dir.path());
    // Not JSON-RPC: skipped, and the server keeps answering.
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    s.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///nowhere", "version": 3}, "contentChanges": [{"range": {"start": {"line": 99, "character": 99}, "end": {"line": 0, "character": 0}}, "text": "x"}]}}));
    s.send(json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file:///nowhere"}, "position": {"line": 0, "character": 0}}}));
    let hover = s.until(|m| m["id"] == 7);
    assert!(hover["result"].is_null(), "{hover}");
    // A buffer above lint's 10 MiB budget is the budget finding, not a parse of it.
    let big = format!(
        "apiVersion: agones.dev/v1\nkind: Fleet\n# {}\n",
        "x".repeat(11 << 20)
    );
    let uri = "file:///nowhere/big.yaml";
    s.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": big}}}),
    );
    let published = s.until(|m| m["params"]["uri"] == uri);
    assert_eq!(published["params"]["diagnostics"][0]["code"], "YAML003");
    // A frame announcing 1 TB: the stream stops there, without the allocation.
    s.send_raw(b"Content-Length: 1000000000000\r\n\r\n");
    // Exit without shutdown: the protocol's exit code 1.
    assert_eq!(s.wait(), 1);
}
