//! YAML text → trees with spans, under budgets. Never panics on input.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan, Tag};

use super::scalar::{resolve_plain_non_string, Scalar};
use super::tree::{Entry, Node, Pos, Span, Value};

/// Limits that keep hostile input bounded in time and memory.
#[derive(Debug, Clone, Copy)]
pub struct Budgets {
    /// Deepest nesting of mappings and sequences. Agones objects nest about 15 levels.
    pub max_depth: usize,
    /// Nodes that aliases may add to one document by expansion ("billion laughs").
    pub max_alias_nodes: usize,
    /// Nodes in one document, aliases included.
    pub max_nodes: usize,
    /// Bytes in one file or in standard input.
    pub max_file_bytes: u64,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            max_depth: 100,
            max_alias_nodes: 100_000,
            max_nodes: 2_000_000,
            max_file_bytes: 10 * 1024 * 1024,
        }
    }
}

/// Something wrong with the text itself, found while loading.
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    Syntax,
    DuplicateKey,
    Budget,
    Unrepresentable,
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    pub message: String,
    pub help: String,
    /// A second place worth showing (the first definition of a duplicated key).
    pub related: Option<(Span, String)>,
}

/// A YAML document that parsed, with the position of its first line.
#[derive(Debug)]
pub struct ParsedDoc {
    pub root: Node,
}

pub struct Parsed {
    pub docs: Vec<ParsedDoc>,
    pub problems: Vec<Problem>,
}

fn pos(m: saphyr_parser::Marker) -> Pos {
    Pos {
        line: m.line().max(1) as u32,
        col: m.col() as u32,
    }
}

fn span(s: YSpan) -> Span {
    Span {
        start: pos(s.start),
        end: pos(s.end),
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: Span,
        anchor: usize,
    },
    Map {
        entries: Vec<Entry>,
        key: Option<Node>,
        merges: Vec<Node>,
        start: Span,
        anchor: usize,
        seen: Keys,
    },
}

/// Finds a mapping's keys already seen. Manifests' mappings are small, where a scan of the
/// entries beats hashing every key; a large one gets an index, so a hostile mapping of many
/// keys stays linear.
#[derive(Default)]
struct Keys {
    index: Option<HashMap<String, usize>>,
    /// Where a key was first written, for keys written again (the entry then holds the last).
    first_spans: Vec<(usize, Span)>,
}

impl Keys {
    const SCAN_UP_TO: usize = 24;

    /// The entry of `name` and the span of its first definition.
    fn find(&self, entries: &[Entry], name: &str) -> Option<(usize, Span)> {
        let at = match &self.index {
            Some(index) => *index.get(name)?,
            None => entries.iter().position(|e| e.key == name)?,
        };
        let first = self
            .first_spans
            .iter()
            .find(|(i, _)| *i == at)
            .map_or(entries[at].key_span, |(_, s)| *s);
        Some((at, first))
    }

    /// Records that entry `at` (about to be pushed) holds `name`.
    fn add(&mut self, at: usize, name: &str) {
        if let Some(index) = &mut self.index {
            index.insert(name.to_string(), at);
        }
    }

    fn remember_first(&mut self, at: usize, span: Span) {
        if !self.first_spans.iter().any(|(i, _)| *i == at) {
            self.first_spans.push((at, span));
        }
    }

    /// Builds the index once the mapping outgrows a scan.
    fn grow(&mut self, entries: &[Entry]) {
        if self.index.is_none() && entries.len() >= Self::SCAN_UP_TO {
            self.index = Some(
                entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.key.clone(), i))
                    .collect(),
            );
        }
    }
}

struct Builder<'b> {
    budgets: &'b Budgets,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    alias_nodes: usize,
    problems: Vec<Problem>,
    root: Option<Node>,
}

fn count_nodes(n: &Node) -> usize {
    // Iterative: a deep tree must not exhaust the stack.
    let mut count = 0;
    let mut todo = vec![n];
    while let Some(n) = todo.pop() {
        count += 1;
        match &n.value {
            Value::Seq(items) => todo.extend(items.iter()),
            Value::Map(entries) => todo.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    count
}

fn is_core_tag(tag: &Option<Cow<'_, Tag>>, suffix: &str) -> bool {
    matches!(tag, Some(t) if is_core(t) && t.suffix == suffix)
}

fn scalar_node(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: &Option<Cow<'_, Tag>>,
    sp: Span,
) -> (Node, Option<Problem>) {
    let forced_str = is_core_tag(tag, "str");
    let as_written = style != ScalarStyle::Plain
        || forced_str
        || tag
            .as_ref()
            .is_some_and(|t| !t.handle.is_empty() && !is_core(t));
    let resolved = if as_written {
        None
    } else {
        resolve_plain_non_string(&text)
    };
    let Some(resolved) = resolved else {
        // A plain, untagged `<<` is a merge key; remember that it was written plain.
        let merge = text == "<<" && style == ScalarStyle::Plain && tag.is_none();
        let node = Node {
            value: Value::Str(text.into_owned()),
            span: sp,
            plain: merge.then(|| "<<".into()),
        };
        return (node, None);
    };
    let mut problem = None;
    let plain = Some(text.to_string().into_boxed_str());
    let value = match resolved {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Int(i),
        Scalar::UInt(u) => Value::UInt(u),
        Scalar::Float(f) => {
            if !f.is_finite() {
                problem = Some(Problem {
                    kind: ProblemKind::Unrepresentable,
                    span: sp,
                    message: format!("`{text}` is read as a non-finite number, which JSON (and so Kubernetes) cannot represent"),
                    help: "quote the value if you meant a string, or write a finite number".into(),
                    related: None,
                });
            }
            Value::Float(f)
        }
        Scalar::Str(s) => Value::Str(s),
    };
    (
        Node {
            value,
            span: sp,
            plain,
        },
        problem,
    )
}

fn is_core(t: &Tag) -> bool {
    t.handle == "!!" || t.handle == "tag:yaml.org,2002:"
}

/// The JSON key Kubernetes would use for a scalar key.
fn key_string(n: Node) -> Option<String> {
    Some(match n.value {
        Value::Str(s) => s,
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Null => "null".to_string(),
        Value::Seq(_) | Value::Map(_) => return None,
    })
}

impl<'b> Builder<'b> {
    fn budget(&mut self, sp: Span, message: String, help: &str) -> Result<(), ()> {
        self.problems.push(Problem {
            kind: ProblemKind::Budget,
            span: sp,
            message,
            help: help.into(),
            related: None,
        });
        Err(())
    }

    /// Attaches a finished node to its parent (or makes it the document root).
    fn push(&mut self, node: Node, anchor: usize) -> Result<(), ()> {
        self.nodes += 1;
        if self.nodes > self.budgets.max_nodes {
            let sp = node.span;
            return self.budget(
                sp,
                format!(
                    "the document has more than {} nodes",
                    self.budgets.max_nodes
                ),
                "split the document, or check that it is really a manifest",
            );
        }
        if anchor > 0 {
            let n = count_nodes(&node);
            self.anchors.insert(anchor, (node.clone(), n));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                merges,
                seen,
                ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    let is_merge = k.plain.as_deref() == Some("<<");
                    if is_merge {
                        merges.push(node);
                        return Ok(());
                    }
                    let key_span = k.span;
                    let Some(name) = key_string(k) else {
                        self.problems.push(Problem {
                            kind: ProblemKind::Syntax,
                            span: key_span,
                            message: "a mapping or sequence used as a key; Kubernetes objects only have string keys".into(),
                            help: "use a plain string as the key".into(),
                            related: None,
                        });
                        return Ok(());
                    };
                    seen.grow(entries);
                    if let Some((at, first)) = seen.find(entries, &name) {
                        self.problems.push(Problem {
                            kind: ProblemKind::DuplicateKey,
                            span: key_span,
                            message: format!("duplicate key `{name}`"),
                            help: "kubectl rejects duplicate keys (strict field validation); delete one of them".into(),
                            related: Some((first, "first defined here".into())),
                        });
                        // Kubernetes' reader keeps the last value; do the same.
                        seen.remember_first(at, first);
                        let e = &mut entries[at];
                        e.value = node;
                        e.key_span = key_span;
                        return Ok(());
                    }
                    seen.add(entries.len(), &name);
                    entries.push(Entry {
                        key: name,
                        key_span,
                        value: node,
                    });
                }
            },
        }
        Ok(())
    }

    fn on_event(&mut self, ev: Event<'_>, ysp: YSpan) -> Result<(), ()> {
        let sp = span(ysp);
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let (node, problem) = scalar_node(text, style, &tag, sp);
                if let Some(p) = problem {
                    self.problems.push(p);
                }
                self.push(node, anchor)
            }
            Event::SequenceStart(anchor, _) => self.open(
                Frame::Seq {
                    items: Vec::new(),
                    start: sp,
                    anchor,
                },
                sp,
            ),
            Event::MappingStart(anchor, _) => self.open(
                Frame::Map {
                    entries: Vec::new(),
                    key: None,
                    merges: Vec::new(),
                    start: sp,
                    anchor,
                    seen: Keys::default(),
                },
                sp,
            ),
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq {
                    items,
                    start,
                    anchor,
                }) => {
                    let node = Node {
                        value: Value::Seq(items),
                        span: Span {
                            start: start.start,
                            end: sp.end.max(start.end),
                        },
                        plain: None,
                    };
                    self.push(node, anchor)
                }
                _ => Ok(()),
            },
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map {
                    mut entries,
                    merges,
                    start,
                    anchor,
                    ..
                }) => {
                    self.apply_merges(&mut entries, merges);
                    let node = Node {
                        value: Value::Map(entries),
                        span: Span {
                            start: start.start,
                            end: sp.end.max(start.end),
                        },
                        plain: None,
                    };
                    self.push(node, anchor)
                }
                _ => Ok(()),
            },
            Event::Alias(id) => {
                let Some((node, n)) = self.anchors.get(&id).cloned() else {
                    self.problems.push(Problem {
                        kind: ProblemKind::Syntax,
                        span: sp,
                        message: "alias to an unknown anchor".into(),
                        help: "define the anchor (`&name`) before its alias (`*name`)".into(),
                        related: None,
                    });
                    return Err(());
                };
                self.alias_nodes += n;
                if self.alias_nodes > self.budgets.max_alias_nodes {
                    return self.budget(
                        sp,
                        format!("aliases expand to more than {} nodes in this document (an alias bomb?)", self.budgets.max_alias_nodes),
                        "expand the aliases by hand, or use fewer nested aliases",
                    );
                }
                let mut node = node;
                node.span = sp;
                // The expanded copy counts towards the node budget, but not as a new anchor.
                self.nodes += n.saturating_sub(1);
                self.push(node, 0)
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => Ok(()),
        }
    }

    fn open(&mut self, frame: Frame, sp: Span) -> Result<(), ()> {
        if self.stack.len() >= self.budgets.max_depth {
            return self.budget(
                sp,
                format!("nesting is deeper than {} levels", self.budgets.max_depth),
                "Agones objects nest about 15 levels; flatten the document or check that it is a manifest",
            );
        }
        self.stack.push(frame);
        Ok(())
    }

    fn apply_merges(&mut self, entries: &mut Vec<Entry>, merges: Vec<Node>) {
        for m in merges {
            let sources: Vec<Node> = match m.value {
                Value::Map(_) => vec![m],
                Value::Seq(items) => items,
                _ => {
                    self.problems.push(Problem {
                        kind: ProblemKind::Syntax,
                        span: m.span,
                        message: "a merge key (`<<`) needs a mapping or a list of mappings".into(),
                        help: "point `<<` at an anchored mapping: `<<: *defaults`".into(),
                        related: None,
                    });
                    continue;
                }
            };
            let mut present: HashSet<String> = entries.iter().map(|e| e.key.clone()).collect();
            for src in sources {
                if let Value::Map(src_entries) = src.value {
                    for e in src_entries {
                        if present.insert(e.key.clone()) {
                            entries.push(e);
                        }
                    }
                }
            }
        }
    }
}

/// What saphyr-parser says of a tab after a mapping's `:`. YAML allows a tab there (only
/// indentation must be spaces), and so does the YAML reader Kubernetes uses.
const TAB_AFTER_COLON: &str = "':' must be followed by a valid YAML whitespace";

/// Parses a whole YAML stream. Documents complete before a syntax error are kept.
pub fn parse(text: &str, budgets: &Budgets) -> Parsed {
    let mut docs = Vec::new();
    let problems = parse_each(text, budgets, |doc| docs.push(doc));
    Parsed { docs, problems }
}

/// Parses a YAML stream, handing each document to `on_doc` as soon as it is complete, so a
/// caller that is done with a document can drop it before the next is built: a file's
/// memory is then bounded by its largest document, not by its size. Returns the problems.
pub fn parse_each(
    text: &str,
    budgets: &Budgets,
    mut on_doc: impl FnMut(ParsedDoc),
) -> Vec<Problem> {
    let mut delivered = 0;
    let mut problems = parse_stream(text, budgets, &mut |doc| {
        delivered += 1;
        on_doc(doc)
    });
    // saphyr-parser refuses a tab after `:`; read such a tab as the space it stands for (same
    // length, so every position stays put) and parse again. The documents handed out before
    // the tab end before it, so the new parse reads them alike: they are skipped, not sent twice.
    let mut patched: Option<String> = None;
    for _ in 0..1024 {
        let Some(at) = problems
            .iter()
            .find(|p| p.message.ends_with(TAB_AFTER_COLON))
            .map(|p| p.span.start)
        else {
            break;
        };
        let current = patched.as_deref().unwrap_or(text);
        let Some(offset) = tab_at(current, at) else {
            break;
        };
        let mut next = current.to_string();
        next.replace_range(offset..offset + 1, " ");
        let mut seen = 0;
        problems = parse_stream(&next, budgets, &mut |doc| {
            seen += 1;
            if seen > delivered {
                delivered += 1;
                on_doc(doc)
            }
        });
        patched = Some(next);
    }
    problems
}

/// The byte offset of the tab the parser stopped at (`at`: 1-based line, 0-based column in
/// characters, just past the tab).
fn tab_at(text: &str, at: Pos) -> Option<usize> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let line = text[line_start..].split('\n').next()?;
    let from = (at.col as usize).saturating_sub(2);
    line.char_indices()
        .skip(from)
        .take(4)
        .find(|(_, c)| *c == '\t')
        .map(|(b, _)| line_start + b)
}

fn parse_stream(text: &str, budgets: &Budgets, on_doc: &mut dyn FnMut(ParsedDoc)) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        budgets,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        alias_nodes: 0,
        problems: Vec::new(),
        root: None,
    };
    loop {
        match parser.next_event() {
            None => break,
            Some(Err(e)) => {
                let p = pos(*e.marker());
                // The parser bounds its own nesting; that is a budget, not a typo.
                let kind = if e.info().contains("recursion limit") {
                    ProblemKind::Budget
                } else {
                    ProblemKind::Syntax
                };
                problems.push(Problem {
                    kind,
                    span: Span {
                        start: p,
                        end: Pos {
                            line: p.line,
                            col: p.col + 1,
                        },
                    },
                    message: format!("YAML syntax error: {}", e.info()),
                    help: syntax_help(e.info()),
                    related: None,
                });
                break;
            }
            Some(Ok((ev, ysp))) => {
                let is_doc_end = matches!(ev, Event::DocumentEnd);
                let is_stream_end = matches!(ev, Event::StreamEnd);
                if b.on_event(ev, ysp).is_err() {
                    break;
                }
                if is_doc_end {
                    if let Some(root) = b.root.take() {
                        on_doc(ParsedDoc { root });
                    }
                    b.anchors.clear();
                    b.nodes = 0;
                    b.alias_nodes = 0;
                }
                if is_stream_end {
                    break;
                }
            }
        }
    }
    problems.append(&mut b.problems);
    problems
}

fn syntax_help(info: &str) -> String {
    let lower = info.to_ascii_lowercase();
    if lower.contains("tab") {
        "YAML indentation must use spaces; replace the tab characters".into()
    } else if lower.contains("quote") || lower.contains("end of stream") {
        "check for a quote, bracket or brace that is opened but never closed".into()
    } else if lower.contains("mapping values are not allowed") {
        "a value that contains `: ` must be quoted, or the indentation is off".into()
    } else {
        "fix the YAML syntax at this position; `kubectl apply` would reject the file too".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let p = parse(text, &Budgets::default());
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        p.docs.into_iter().next().unwrap().root
    }

    #[test]
    fn json_without_nulls_is_json_with_nulls_stripped() {
        // Non-finite numbers are problems, and become null.
        let parsed = parse(
            "a: ~\nb:\n  c: null\n  d: [1, ~, {e: ~, f: .nan}]\n  g: .inf\nh: {}\n",
            &Budgets::default(),
        );
        let n = &parsed.docs[0].root;
        let mut stripped = n.to_json();
        crate::checks::schema::strip_nulls(&mut stripped);
        assert_eq!(n.to_json_without_nulls(), stripped);
        assert_eq!(
            stripped,
            serde_json::json!({"b": {"d": [1, null, {}]}, "h": {}})
        );
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let n = one("a:\n  b: 1\n  c: [x, y]\n");
        let e = n.get("a").unwrap().entry("c").unwrap();
        assert_eq!(e.key_span.start, Pos { line: 3, col: 2 });
        match &e.value.value {
            Value::Seq(items) => assert_eq!(items[1].span.start, Pos { line: 3, col: 9 }),
            _ => panic!(),
        }
    }

    #[test]
    fn duplicate_keys_are_problems_and_last_wins() {
        let p = parse("a: 1\nb: 2\na: 3\n", &Budgets::default());
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].kind, ProblemKind::DuplicateKey);
        assert_eq!(p.problems[0].span.start.line, 3);
        assert_eq!(
            p.docs[0].root.get("a").unwrap().to_json(),
            serde_json::json!(3)
        );
    }

    #[test]
    fn a_key_written_three_times_points_back_at_its_first_definition() {
        // Small mappings are scanned, large ones indexed: both must find the first key.
        for filler in [0u32, 40] {
            let mut text = String::from("a: 1\n");
            for i in 0..filler {
                text.push_str(&format!("k{i}: {i}\n"));
            }
            text.push_str("a: 2\na: 3\n");
            let p = parse(&text, &Budgets::default());
            let dups: Vec<&Problem> = p
                .problems
                .iter()
                .filter(|p| p.kind == ProblemKind::DuplicateKey)
                .collect();
            assert_eq!(dups.len(), 2, "with {filler} other keys");
            for d in &dups {
                assert_eq!(d.related.as_ref().unwrap().0.start.line, 1);
            }
            let root = &p.docs[0].root;
            assert_eq!(root.get("a").unwrap().to_json(), serde_json::json!(3));
            assert_eq!(root.entry("a").unwrap().key_span.start.line, filler + 3);
            if let Value::Map(entries) = &root.value {
                assert_eq!(entries.len(), filler as usize + 1);
            }
        }
    }
    #[test]
    fn merge_keys_and_aliases() {
        let n = one("base: &b {x: 1, z: 2}\nthing:\n  <<: *b\n  z: 3\n");
        assert_eq!(
            n.get("thing").unwrap().to_json(),
            serde_json::json!({"z": 3, "x": 1})
        );
        // YAML 1.1: the key `y` is the boolean true, as Kubernetes reads it.
        assert_eq!(one("y: 1\n").to_json(), serde_json::json!({"true": 1}));
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let n = one("a: 'yes'\nb: yes\nc: \"5\"\nd: !!str 10\n");
        assert_eq!(
            n.to_json(),
            serde_json::json!({"a": "yes", "b": true, "c": "5", "d": "10"})
        );
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            s.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let p = parse(&s, &Budgets::default());
        assert!(p.problems.iter().any(|p| p.kind == ProblemKind::Budget));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let s = "[".repeat(10_000) + &"]".repeat(10_000);
        let p = parse(&s, &Budgets::default());
        assert!(
            p.problems.iter().any(|p| p.kind == ProblemKind::Budget),
            "{:?}",
            p.problems
        );
    }

    #[test]
    fn a_tab_after_a_colon_is_whitespace() {
        let parsed = parse("a:\t5\nb:\t\"x\"\nc: \"in\tside\"\n", &Budgets::default());
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let json = parsed.docs[0].root.to_json();
        assert_eq!(json, serde_json::json!({"a": 5, "b": "x", "c": "in\tside"}));
        // Indentation with a tab is still an error.
        assert!(!parse("a:\n\tb: 1\n", &Budgets::default())
            .problems
            .is_empty());
    }

    #[test]
    fn documents_before_a_tab_after_a_colon_are_handed_out_once() {
        let text = "a: 1\n---\nb: 2\n---\nc:\t3\n---\nd:\t4\n";
        let mut seen = Vec::new();
        let problems = parse_each(text, &Budgets::default(), |doc| {
            seen.push(doc.root.to_json())
        });
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            seen,
            [
                serde_json::json!({"a": 1}),
                serde_json::json!({"b": 2}),
                serde_json::json!({"c": 3}),
                serde_json::json!({"d": 4}),
            ]
        );
    }

    #[test]
    fn documents_complete_before_a_syntax_error_are_handed_out() {
        let mut seen = Vec::new();
        let problems = parse_each("a: 1\n---\nb: [2\n", &Budgets::default(), |doc| {
            seen.push(doc.root.to_json())
        });
        assert_eq!(seen, [serde_json::json!({"a": 1})]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::Syntax);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let p = parse("a: \"unterminated\nb: 2\n", &Budgets::default());
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].kind, ProblemKind::Syntax);
    }
}
