//! Finding input files, reading them within budgets, and splitting them into objects.

pub mod helm;
pub mod kustomize;
pub mod lines;
pub mod scalar;
pub mod tree;
pub mod yaml;

use std::io::Read;
use std::path::{Path, PathBuf};

use tree::{Node, Pos, Span, Value};
use yaml::{Budgets, Problem, ProblemKind};

/// Where an input comes from.
#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// Text already read: one template's documents out of `helm template` output, named by its
    /// `# Source:` path, or a stream read ahead to find out whether it is such output.
    Text {
        name: String,
        text: Result<String, Problem>,
    },
}

impl Input {
    /// The name findings use: the path as given (or found under a folder), `-` for stdin unless
    /// renamed.
    pub fn display_name(&self, stdin_name: Option<&str>) -> String {
        match self {
            // Absolute paths under the working folder are shown relative to it.
            Input::File(p) if p.is_absolute() => match std::env::current_dir()
                .ok()
                .and_then(|cwd| p.strip_prefix(cwd).ok().map(Path::to_path_buf))
            {
                Some(rel) => rel.display().to_string(),
                None => p.display().to_string(),
            },
            // `lint .` finds `./deploy/fleet.yaml`: shown as `deploy/fleet.yaml`.
            Input::File(p) => p.strip_prefix(".").unwrap_or(p).display().to_string(),
            Input::Stdin => stdin_name.unwrap_or("<stdin>").to_string(),
            Input::Text { name, .. } => name.clone(),
        }
    }
}

/// A failure to find inputs; the run cannot go on (exit code 2).
#[derive(Debug)]
pub struct DiscoveryError(pub String);

fn is_manifest_name(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Expands the paths a user gave: files as they are, folders walked for `*.yaml`, `*.yml` and
/// `*.json` (skipping hidden and git-ignored paths), `-` for standard input. The order is stable.
pub fn discover(paths: &[String]) -> Result<Vec<Input>, DiscoveryError> {
    Ok(discover_marked(paths)?
        .into_iter()
        .map(|(i, _)| i)
        .collect())
}

/// As `discover`, each input marked with whether it was named itself (a file or `-`), not
/// found by walking a folder.
pub fn discover_marked(paths: &[String]) -> Result<Vec<(Input, bool)>, DiscoveryError> {
    let mut out = Vec::new();
    let mut stdin_seen = false;
    for p in paths {
        if p == "-" {
            if !stdin_seen {
                out.push((Input::Stdin, true));
                stdin_seen = true;
            }
            continue;
        }
        let path = Path::new(p);
        let meta = std::fs::metadata(path)
            .map_err(|e| DiscoveryError(format!("cannot read `{p}`: {}", io_reason(&e))))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            let walker = ignore::WalkBuilder::new(path)
                .hidden(true)
                .git_ignore(true)
                .git_exclude(true)
                .require_git(false)
                .build();
            for entry in walker {
                let entry = entry.map_err(|e| DiscoveryError(format!("cannot walk `{p}`: {e}")))?;
                if entry.file_type().is_some_and(|t| t.is_file()) && is_manifest_name(entry.path())
                {
                    found.push(entry.into_path());
                }
            }
            found.sort();
            out.extend(found.into_iter().map(|p| (Input::File(p), false)));
        } else {
            out.push((Input::File(path.to_path_buf()), true));
        }
    }
    Ok(out)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Splits `helm template` output into one input per template (`# Source:`), so that findings
/// name the template file. Standard input is read here (once); a file is read only when its
/// first bytes show a `# Source:` comment. Everything else is passed through.
pub fn expand_rendered(
    inputs: &[Input],
    budgets: &Budgets,
    stdin_name: Option<&str>,
) -> Result<Vec<Input>, String> {
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let peeked = match input {
            Input::Stdin => true,
            Input::File(p) => {
                let mut head = [0u8; 4096];
                let n = std::fs::File::open(p)
                    .and_then(|mut f| f.read(&mut head))
                    .unwrap_or(0);
                head[..n].windows(10).any(|w| w == b"# Source: ")
            }
            Input::Text { .. } => false,
        };
        if !peeked {
            out.push(input.clone());
            continue;
        }
        let name = input.display_name(stdin_name);
        let text = match read(input, budgets)? {
            Ok(t) => t,
            // A budget or encoding problem: the lint reports it as for any input.
            Err(problem) => {
                out.push(Input::Text {
                    name,
                    text: Err(problem),
                });
                continue;
            }
        };
        match helm::split_rendered(&text) {
            Some(parts) => out.extend(parts.into_iter().map(|(source, text)| Input::Text {
                name: source.unwrap_or_else(|| name.clone()),
                text: Ok(text),
            })),
            None => out.push(Input::Text {
                name,
                text: Ok(text),
            }),
        }
    }
    Ok(out)
}

/// One object to check: a YAML document, or one item of a `kind: List`.
#[derive(Debug)]
pub struct Object {
    pub root: Node,
    /// An item of a `kind: List` (what `kubectl get -o yaml` prints): a live object.
    pub in_list: bool,
}

/// The problem of an input above the byte budget (a file, or text given in its place: an
/// editor's buffer).
pub fn over_budget(size: u64, limit: u64) -> Problem {
    Problem {
        kind: ProblemKind::Budget,
        span: Span { start: Pos { line: 1, col: 0 }, end: Pos { line: 1, col: 0 } },
        message: format!("the input is {size} bytes, over the budget of {limit} bytes"),
        help: "Kubernetes stores objects of at most 1.5 MiB; split the file, or raise the budget with --max-file-bytes".into(),
        related: None,
    }
}

/// Reads an input within the byte budget. An unreadable file is a tool failure; a file that is
/// too large, binary or not UTF-8 is a problem of that file.
pub fn read(input: &Input, budgets: &Budgets) -> Result<Result<String, Problem>, String> {
    let limit = budgets.max_file_bytes;
    let mut bytes = Vec::new();
    let too_big = |size: u64| over_budget(size, limit);
    match input {
        Input::File(p) => {
            let f = std::fs::File::open(p)
                .map_err(|e| format!("cannot read `{}`: {}", p.display(), io_reason(&e)))?;
            let size = f.metadata().map(|m| m.len()).unwrap_or(0);
            if size > limit {
                return Ok(Err(too_big(size)));
            }
            bytes.reserve_exact(size as usize + 1);
            f.take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read `{}`: {}", p.display(), io_reason(&e)))?;
        }
        Input::Text { text, .. } => {
            return Ok(match text {
                Ok(t) if t.len() as u64 > limit => Err(too_big(t.len() as u64)),
                other => other.clone(),
            })
        }
        Input::Stdin => {
            std::io::stdin()
                .lock()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
        }
    }
    if bytes.len() as u64 > limit {
        return Ok(Err(too_big(bytes.len() as u64)));
    }
    Ok(decode_text(bytes))
}

fn decode_text(mut bytes: Vec<u8>) -> Result<String, Problem> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let at = |offset: usize| {
        let before = &bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let col = before.iter().rev().take_while(|&&b| b != b'\n').count() as u32;
        Span {
            start: Pos { line, col },
            end: Pos { line, col: col + 1 },
        }
    };
    if let Some(i) = memchr::memchr(0, &bytes) {
        return Err(Problem {
            kind: ProblemKind::Syntax,
            span: at(i),
            message: "this looks like a binary file (it contains a NUL byte)".into(),
            help: "pass only YAML or JSON manifests, or exclude this file".into(),
            related: None,
        });
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let i = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..i].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let col = String::from_utf8_lossy(&bytes[..i])
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.chars().count()) as u32;
            Err(Problem {
                kind: ProblemKind::Syntax,
                span: Span {
                    start: Pos { line, col },
                    end: Pos { line, col: col + 1 },
                },
                message: format!("the file is not valid UTF-8 (byte {i})"),
                help: "Kubernetes reads manifests as UTF-8; re-save the file as UTF-8".into(),
                related: None,
            })
        }
    }
}

/// The objects of a text (one per document, one per item of a `kind: List`), for readers
/// that want them all and not what went wrong; [`load_each`] says that too.
pub fn objects(text: &str, budgets: &Budgets) -> Vec<Object> {
    let mut objects = Vec::new();
    load_each(text, budgets, |object| objects.push(object));
    objects
}

/// What loading a file found besides its objects.
#[derive(Debug)]
pub struct Outline {
    pub problems: Vec<Problem>,
    /// Documents in the file (a `kind: List` counts once per item).
    pub documents: usize,
    /// The first line of each YAML document (for document-wide suppressions).
    pub doc_starts: Vec<u32>,
}

/// Parses the text and splits it into objects: one per document, one per item of a
/// `kind: List` (what `kubectl get -o yaml` prints); empty documents are skipped. Each object
/// goes to `on_object` as soon as its document is parsed: a caller that drops each object when
/// done with it holds one document's tree at a time, however large the file.
pub fn load_each(text: &str, budgets: &Budgets, mut on_object: impl FnMut(Object)) -> Outline {
    let mut documents = 0;
    let mut doc_starts = Vec::new();
    let problems = yaml::parse_each(text, budgets, |doc| {
        doc_starts.push(doc.root.span.start.line);
        if matches!(doc.root.value, Value::Null) {
            return;
        }
        let is_list = doc
            .root
            .get("kind")
            .and_then(Node::as_str)
            .is_some_and(|k| k == "List" || k.ends_with("List"))
            && doc
                .root
                .get("apiVersion")
                .and_then(Node::as_str)
                .is_some_and(|v| v == "v1")
            && matches!(doc.root.get("items").map(|n| &n.value), Some(Value::Seq(_)));
        if is_list {
            let Some(Value::Seq(items)) = doc.root.value.into_map_value("items") else {
                return;
            };
            documents += items.len();
            for root in items {
                on_object(Object {
                    root,
                    in_list: true,
                });
            }
        } else {
            documents += 1;
            on_object(Object {
                root: doc.root,
                in_list: false,
            });
        }
    });
    Outline {
        problems,
        documents,
        doc_starts,
    }
}

impl Value {
    /// Moves a map entry's value out, consuming the map.
    fn into_map_value(self, key: &str) -> Option<Value> {
        match self {
            Value::Map(entries) => entries
                .into_iter()
                .find(|e| e.key == key)
                .map(|e| e.value.value),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_split_into_items() {
        let mut objects = Vec::new();
        let outline = load_each(
            "apiVersion: v1\nkind: List\nitems:\n- kind: A\n- kind: B\n",
            &Budgets::default(),
            |o| objects.push(o),
        );
        assert_eq!(objects.len(), 2);
        assert_eq!(outline.documents, 2);
        assert_eq!(objects[1].root.span.start.line, 5);
    }

    #[test]
    fn empty_and_comment_only_documents_are_skipped() {
        assert_eq!(objects("", &Budgets::default()).len(), 0);
        assert_eq!(
            objects("# only a comment\n---\n# another\n", &Budgets::default()).len(),
            0
        );
    }

    #[test]
    fn binary_and_invalid_utf8_are_problems() {
        assert!(decode_text(vec![b'a', 0, b'b']).is_err());
        let e = decode_text(b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert_eq!(e.span.start, Pos { line: 2, col: 3 });
    }
}
