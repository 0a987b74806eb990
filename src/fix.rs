//! Fixes: the edits a finding proposes, placed by its spans and applied to the file's text so
//! that everything else (comments, quoting, key order, indentation) stays byte for byte.
//!
//! A check proposes a fix on the object's tree ([`Proposal`] at the finding's field path); lint
//! places it ([`place`]) while the tree is at hand; `lint --fix`, `--diff` and the language
//! server apply the placed edits to the text ([`apply`]). Every edit carries the text it expects
//! to replace, so a fix made stale by an edit in between is refused, never misapplied.

use crate::source::lines::Lines;
use crate::source::tree::{Node, Pos, Span, Step, Value};

/// Whether `--fix` may apply a fix on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Keeps what the author meant (a typo, a quoted number): `--fix` applies it.
    Safe,
    /// Changes what the object does (raising a limit): only on request (`--unsafe-fixes`, or
    /// the editor's code action).
    Unsafe,
}

/// A fix as a check proposes it, about the field its finding names.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub title: String,
    pub safety: Safety,
    pub change: Change,
}

#[derive(Debug, Clone)]
pub enum Change {
    /// Write the scalar at the path anew.
    Scalar { text: String, quoting: Quoting },
    /// Rename the key at the end of the path.
    RenameKey(String),
    /// Remove the mapping entry at the end of the path, with its lines.
    RemoveEntry,
    /// Give the mapping at the path the entry `key: value`: fill in the key's empty value
    /// (`hash: ""`, `hash:`), or add the entry as the block mapping's first (at the first
    /// entry's column, so it stays valid under a sequence dash, `- from:`, too).
    SetEntry { key: String, value: String },
    /// Edits that only the proposing check knows how to compute, from the object's tree and
    /// the file's text (moving conditions from one field into another, say); None refuses.
    Computed(fn(&Node, &str) -> Option<Vec<Edit>>),
}

/// How a replaced scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// Exactly the new text, unquoted (`"10"` becomes `10`).
    Plain,
    /// In the quotes the old scalar had, if any (`'ascending'` becomes `'Ascending'`).
    AsBefore,
}

impl Proposal {
    pub fn safe(title: impl Into<String>, change: Change) -> Proposal {
        Proposal {
            title: title.into(),
            safety: Safety::Safe,
            change,
        }
    }

    pub fn unsafe_(title: impl Into<String>, change: Change) -> Proposal {
        Proposal {
            title: title.into(),
            safety: Safety::Unsafe,
            change,
        }
    }
}

/// The fix of a "did you mean" on a key: rename it, when one known field is nearer than all
/// the others.
pub fn rename_to_nearest<'a>(
    key: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<Proposal> {
    let to = crate::suggest::unique_closest(key, known)?;
    Some(Proposal::safe(
        format!("rename `{key}` to `{to}`"),
        Change::RenameKey(to.to_string()),
    ))
}

/// The fix of a "did you mean" on a value: write the one allowed value nearest to it.
pub fn replace_with_nearest<'a>(
    value: &str,
    allowed: impl IntoIterator<Item = &'a str>,
) -> Option<Proposal> {
    let to = crate::suggest::unique_closest(value, allowed)?;
    Some(Proposal::safe(
        format!("write `{to}` instead of `{value}`"),
        Change::Scalar {
            text: to.to_string(),
            quoting: Quoting::AsBefore,
        },
    ))
}

/// The fix of a quoted whole number where an integer belongs: drop the quotes.
pub fn unquote_integer(value: &str) -> Option<Proposal> {
    let n: i64 = value.trim().parse().ok()?;
    Some(Proposal::safe(
        format!("write {n} without quotes"),
        Change::Scalar {
            text: n.to_string(),
            quoting: Quoting::Plain,
        },
    ))
}

/// The fix of a plain scalar YAML 1.1 reads as a boolean or number where a string belongs
/// (`value: yes`): quote it, so it stays the text the author wrote.
pub fn quote_plain(text: &str) -> Proposal {
    Proposal::safe(
        format!("quote `{text}` so it stays a string"),
        Change::Scalar {
            text: format!("\"{text}\""),
            quoting: Quoting::Plain,
        },
    )
}

/// A fix placed in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub safety: Safety,
    pub edits: Vec<Edit>,
}

/// One replacement. `expect` is what the span must hold now (for a scalar, its value without
/// quotes; for whole lines, their exact text, or empty to check nothing); `whole_lines` widens
/// the span to the lines it occupies, which `text` (empty for a removal) then replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
    pub expect: String,
    pub quoting: Option<Quoting>,
    pub whole_lines: bool,
}

/// Places a proposal about `path` in `root`'s file (whose text is `text`); None when the path
/// does not lead to what the change needs (a rename of a key that is not there, a scalar that
/// is a mapping).
pub fn place(root: &Node, text: &str, path: &[Step], proposal: &Proposal) -> Option<Fix> {
    let fix = |edits| Fix {
        title: proposal.title.clone(),
        safety: proposal.safety,
        edits,
    };
    match &proposal.change {
        Change::Computed(compute) => return compute(root, text).map(fix),
        Change::SetEntry { key, value } => {
            let node = root.at(path)?;
            let Value::Map(entries) = &node.value else {
                return None;
            };
            if let Some(e) = entries.iter().find(|e| &e.key == key) {
                let empty = match &e.value.value {
                    Value::Null => true,
                    Value::Str(s) => s.is_empty(),
                    _ => false,
                };
                if !empty {
                    return None;
                }
                // A null written as nothing (`hash:`) has no text to replace: the value goes
                // after the colon that follows the key.
                if e.value.span.start == e.value.span.end {
                    let colon = Span {
                        start: e.key_span.end,
                        end: Pos {
                            line: e.key_span.end.line,
                            col: e.key_span.end.col + 1,
                        },
                    };
                    return Some(fix(vec![Edit {
                        span: colon,
                        text: format!(": {value}"),
                        expect: ":".into(),
                        quoting: Some(Quoting::Plain),
                        whole_lines: false,
                    }]));
                }
                return Some(fix(vec![Edit {
                    span: e.value.span,
                    text: value.clone(),
                    expect: scalar_text(&e.value)?,
                    quoting: Some(Quoting::Plain),
                    whole_lines: false,
                }]));
            }
            let first = entries.first()?;
            // A flow mapping (`{a: 1}`) starts at its brace, before its first key.
            if node.span.start != first.key_span.start {
                return None;
            }
            let at = first.key_span.start;
            return Some(fix(vec![Edit {
                span: Span { start: at, end: at },
                text: format!("{key}: {value}\n{}", " ".repeat(at.col as usize)),
                expect: String::new(),
                quoting: None,
                whole_lines: false,
            }]));
        }
        _ => {}
    }
    let (last, parent_path) = path.split_last()?;
    let parent = root.at(parent_path)?;
    let edit = match (&proposal.change, last, &parent.value) {
        (Change::RenameKey(to), Step::Key(k), Value::Map(entries)) => {
            // A rename onto a key the mapping already has would make a duplicate key.
            if entries.iter().any(|e| &e.key == to) {
                return None;
            }
            let e = entries.iter().find(|e| e.key == k.as_str())?;
            Edit {
                span: e.key_span,
                text: to.clone(),
                expect: k.to_string(),
                quoting: Some(Quoting::AsBefore),
                whole_lines: false,
            }
        }
        (Change::RemoveEntry, Step::Key(k), Value::Map(entries)) => {
            let e = entries.iter().find(|e| e.key == k.as_str())?;
            if !is_scalar(&e.value) {
                return None;
            }
            entry_removal(Span {
                start: e.key_span.start,
                end: e.value.span.end,
            })
        }
        (Change::Scalar { text, quoting }, step, _) => {
            let node = match (step, &parent.value) {
                (Step::Key(k), Value::Map(_)) => parent.get(k)?,
                (Step::Index(i), Value::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
            Edit {
                span: node.span,
                text: text.clone(),
                expect: scalar_text(node)?,
                quoting: Some(*quoting),
                whole_lines: false,
            }
        }
        _ => return None,
    };
    Some(fix(vec![edit]))
}

/// Removing a mapping entry whose extent (key start to value end) is known, alone on its lines.
pub fn removal(title: impl Into<String>, extent: Span) -> Fix {
    Fix {
        title: title.into(),
        safety: Safety::Safe,
        edits: vec![entry_removal(extent)],
    }
}

/// Writing `to` in place of the scalar at `span` that reads `from`, in its quotes.
pub fn respell(title: impl Into<String>, span: Span, from: &str, to: &str) -> Fix {
    Fix {
        title: title.into(),
        safety: Safety::Safe,
        edits: vec![Edit {
            span,
            text: to.into(),
            expect: from.into(),
            quoting: Some(Quoting::AsBefore),
            whole_lines: false,
        }],
    }
}

fn entry_removal(extent: Span) -> Edit {
    Edit {
        span: extent,
        text: String::new(),
        expect: String::new(),
        quoting: None,
        whole_lines: true,
    }
}

fn is_scalar(n: &Node) -> bool {
    !matches!(n.value, Value::Map(_) | Value::Seq(_))
}

/// The scalar's value as written (a quoted one without its quotes); None for collections.
fn scalar_text(n: &Node) -> Option<String> {
    Some(match &n.value {
        Value::Str(s) => s.clone(),
        Value::Map(_) | Value::Seq(_) => return None,
        _ => n.plain.as_deref().map(str::to_string).unwrap_or_default(),
    })
}

/// What [`apply`] did.
#[derive(Debug, Default)]
pub struct Applied {
    pub text: String,
    /// Fixes applied.
    pub applied: usize,
    /// Fixes refused: overlapping another, or their text changed since lint placed them.
    pub refused: usize,
}

/// Applies `fixes` to `text`. A fix whose edits overlap an earlier fix's, or whose spans no
/// longer hold what they expect, is refused whole; the next `--fix` round (after a re-lint)
/// places it anew.
pub fn apply(text: &str, fixes: &[&Fix]) -> Applied {
    let lines = Lines::new(text);
    let mut planned: Vec<(usize, usize, String)> = Vec::new();
    let mut result = Applied::default();
    'fixes: for fix in fixes {
        let mut edits = Vec::with_capacity(fix.edits.len());
        for e in &fix.edits {
            match resolve(text, &lines, e) {
                Some(r) => edits.push(r),
                None => {
                    result.refused += 1;
                    continue 'fixes;
                }
            }
        }
        let overlaps = edits.iter().any(|(s, e, _)| {
            planned
                .iter()
                .any(|(ps, pe, _)| s < pe && ps < e || (s == e && s == ps))
        });
        if overlaps {
            result.refused += 1;
            continue;
        }
        planned.extend(edits);
        result.applied += 1;
    }
    planned.sort_by_key(|(s, _, _)| *s);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, replacement) in planned {
        out.push_str(&text[at..start]);
        out.push_str(&replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    result.text = out;
    result
}

/// A fix's edits as byte ranges of `text` and their replacements, if the text still holds
/// what every edit expects (what an editor's code action applies).
pub fn resolve_edits(text: &str, fix: &Fix) -> Option<Vec<(usize, usize, String)>> {
    let lines = Lines::new(text);
    fix.edits.iter().map(|e| resolve(text, &lines, e)).collect()
}

/// An edit as a byte range of `text` and its replacement, if the text still holds what the
/// edit expects.
fn resolve(text: &str, lines: &Lines, e: &Edit) -> Option<(usize, usize, String)> {
    let start = lines.offset_of(text, e.span.start)?;
    let mut end = lines.offset_of(text, e.span.end)?;
    if start > end {
        return None;
    }
    let old = &text[start..end];
    if e.whole_lines {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        let before = &text[line_start..start];
        let after = text[end..line_end]
            .trim_end_matches(['\n', '\r'])
            .trim_start();
        // Only an entry alone on its lines (a block mapping's) is removed; `- replicas: 3` or a
        // flow mapping would need a rewrite, not a deletion.
        if !before.chars().all(|c| c == ' ') || !(after.is_empty() || after.starts_with('#')) {
            return None;
        }
        if !e.expect.is_empty() && old != e.expect {
            return None;
        }
        return Some((line_start, line_end, e.text.clone()));
    }
    let quote = old.chars().next().filter(|c| *c == '"' || *c == '\'');
    // The parser's span of a double-quoted scalar can run on past its closing quote (over the
    // spaces and comment after it): the scalar ends at its closing quote.
    if let Some(q) = quote {
        end = start + 1 + closing_quote(&old[1..], q)? + 1;
    }
    let unquoted = match quote {
        Some(_) => unquote(&text[start + 1..end - 1], quote?)?,
        None => old.to_string(),
    };
    if unquoted != e.expect {
        return None;
    }
    let replacement = match (e.quoting, quote) {
        (Some(Quoting::AsBefore), Some(q)) => format!("{q}{}{q}", e.text),
        _ => e.text.clone(),
    };
    Some((start, end, replacement))
}

/// Where the quoted scalar whose body starts `body` closes (a byte offset into `body`), if it
/// closes on this line.
fn closing_quote(body: &str, q: char) -> Option<usize> {
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => return None,
            '\\' if q == '"' => {
                chars.next();
            }
            c if c == q => {
                if q == '\'' && chars.peek().map(|(_, c)| *c) == Some('\'') {
                    chars.next();
                } else {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The value of a one-line quoted scalar's body; None for escapes this does not read (a fix
/// is then refused rather than risk a wrong comparison).
fn unquote(body: &str, q: char) -> Option<String> {
    if q == '\'' {
        return Some(body.replace("''", "'"));
    }
    if body.contains('\\') {
        return None;
    }
    Some(body.to_string())
}

/// The byte range a node's text takes in `text`: from its start to the end of the line its
/// last content is on (a trailing comment there goes with it).
pub fn node_lines(text: &str, n: &Node) -> Option<(usize, usize)> {
    let lines = Lines::new(text);
    let start = lines.offset_of(text, n.span.start)?;
    // A collection closing at the end of a file without a final newline ends past its text.
    let end = lines
        .offset_of(text, n.span.end)
        .unwrap_or(text.len())
        .max(start);
    // A block collection's span ends where the next token starts, lines later.
    let content_end = start + text[start..end].trim_end().len();
    let line_end = text[content_end..]
        .find('\n')
        .map_or(text.len(), |i| content_end + i);
    Some((start, line_end.max(content_end)))
}

/// A node's text (see [`node_lines`]) written as a block sequence item at `indent`: `- ` and
/// its first line, the rest shifted to stay under it. None for a node whose later lines are
/// not indented past its start (which would not survive the move).
pub fn as_sequence_item(text: &str, n: &Node, indent: usize) -> Option<String> {
    let (start, end) = node_lines(text, n)?;
    let col = n.span.start.col as usize;
    let mut out = String::new();
    for (i, line) in text[start..end].split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if i == 0 {
            out.push_str(&format!("{}- {line}\n", " ".repeat(indent)));
        } else if line.trim().is_empty() {
            out.push('\n');
        } else {
            let rest = line.strip_prefix(&" ".repeat(col))?;
            out.push_str(&format!("{}{rest}\n", " ".repeat(indent + 2)));
        }
    }
    Some(out)
}

/// An edit replacing the whole lines of a mapping entry (key through value, see
/// [`node_lines`]) with `text`, checked against what they hold now.
pub fn replace_entry_lines(
    text: &str,
    e: &crate::source::tree::Entry,
    with: String,
) -> Option<Edit> {
    let lines = Lines::new(text);
    let start = lines.offset_of(text, e.key_span.start)?;
    let end = match e.value.value {
        Value::Null if e.value.span.start == e.value.span.end => {
            lines.offset_of(text, e.key_span.end)?
        }
        _ => node_lines(text, &e.value)?.1,
    };
    let end = end.max(start);
    Some(Edit {
        span: Span {
            start: e.key_span.start,
            end: lines.pos_of(text, end),
        },
        text: with,
        expect: text[start..end].to_string(),
        quoting: None,
        whole_lines: true,
    })
}

/// A unified diff of `before` and `after`, named `path`, with three lines of context.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path;
    use crate::source::yaml::{parse, Budgets};

    fn root(text: &str) -> Node {
        parse(text, &Budgets::default()).docs.remove(0).root
    }

    /// Writes `to` in place of the scalar, in its quotes.
    fn respell(to: &str) -> Proposal {
        Proposal::safe(
            "respell",
            Change::Scalar {
                text: to.into(),
                quoting: Quoting::AsBefore,
            },
        )
    }

    fn fixed(text: &str, path: &[Step], p: Proposal) -> String {
        let r = root(text);
        let fix = place(&r, text, path, &p).expect("the fix is placed");
        let a = apply(text, &[&fix]);
        assert_eq!((a.applied, a.refused), (1, 0));
        a.text
    }

    #[test]
    fn a_quoted_number_loses_its_quotes_and_nothing_else_changes() {
        let text = "spec:\n  # the buffer\n  bufferSize: \"10\"   # ten\n  minReplicas: 2\n";
        let p = Proposal::safe(
            "unquote",
            Change::Scalar {
                text: "10".into(),
                quoting: Quoting::Plain,
            },
        );
        assert_eq!(
            fixed(text, &path!["spec", "bufferSize"], p),
            "spec:\n  # the buffer\n  bufferSize: 10   # ten\n  minReplicas: 2\n"
        );
    }

    #[test]
    fn a_replaced_value_keeps_its_quotes() {
        assert_eq!(
            fixed("a: 'packed'\n", &path!["a"], respell("Packed")),
            "a: 'Packed'\n"
        );
        assert_eq!(
            fixed("a: packed\n", &path!["a"], respell("Packed")),
            "a: Packed\n"
        );
        assert_eq!(
            fixed("a: [x, \"packed\"]\n", &path!["a", 1], respell("Packed")),
            "a: [x, \"Packed\"]\n"
        );
    }

    #[test]
    fn a_renamed_key_keeps_its_value_and_comment() {
        let p = Proposal::safe("rename", Change::RenameKey("bufferSize".into()));
        assert_eq!(
            fixed(
                "buffer:\n  bufferSise: 5 # five\n",
                &path!["buffer", "bufferSise"],
                p
            ),
            "buffer:\n  bufferSize: 5 # five\n"
        );
    }

    #[test]
    fn a_rename_onto_an_existing_key_is_not_offered() {
        let r = root("b:\n  bufferSise: 5\n  bufferSize: 6\n");
        let p = Proposal::safe("rename", Change::RenameKey("bufferSize".into()));
        assert!(place(&r, "", &path!["b", "bufferSise"], &p).is_none());
    }

    #[test]
    fn a_removed_entry_takes_its_line_and_only_it() {
        let text = "spec:\n  replicas: 3  # was 2\n  template: {}\n";
        let p = Proposal::safe("remove", Change::RemoveEntry);
        assert_eq!(
            fixed(text, &path!["spec", "replicas"], p),
            "spec:\n  template: {}\n"
        );
        // The last line of a file without a final newline.
        let p = Proposal::safe("remove", Change::RemoveEntry);
        assert_eq!(
            fixed(
                "spec:\n  a: 1\n  replicas: 3",
                &path!["spec", "replicas"],
                p
            ),
            "spec:\n  a: 1\n"
        );
    }

    #[test]
    fn an_entry_sharing_its_line_is_not_removed() {
        for text in ["spec: {replicas: 3, a: 1}\n", "- replicas: 3\n  a: 1\n"] {
            let r = root(text);
            let path: Vec<Step> = if text.starts_with('-') {
                path![0, "replicas"]
            } else {
                path!["spec", "replicas"]
            };
            let fix = place(
                &r,
                text,
                &path,
                &Proposal::safe("remove", Change::RemoveEntry),
            )
            .unwrap();
            let a = apply(text, &[&fix]);
            assert_eq!((a.applied, a.refused, a.text.as_str()), (0, 1, text));
        }
    }

    #[test]
    fn a_stale_fix_is_refused() {
        let r = root("a: packed\n");
        let p = respell("Packed");
        let fix = place(&r, "a: packed\n", &path!["a"], &p).unwrap();
        let a = apply("a: spread\n", &[&fix]);
        assert_eq!(
            (a.applied, a.refused, a.text.as_str()),
            (0, 1, "a: spread\n")
        );
    }

    #[test]
    fn overlapping_fixes_apply_the_first_only() {
        let text = "a: packed\n";
        let r = root(text);
        let mk = |t: &str| place(&r, text, &path!["a"], &respell(t)).unwrap();
        let (one, two) = (mk("Packed"), mk("Distributed"));
        let a = apply(text, &[&one, &two]);
        assert_eq!(
            (a.applied, a.refused, a.text.as_str()),
            (1, 1, "a: Packed\n")
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é: 1\nb: {ü: 1, a: packed}\n";
        let p = respell("Packed");
        assert_eq!(
            fixed(text, &path!["b", "a"], p),
            "é: 1\nb: {ü: 1, a: Packed}\n"
        );
    }

    #[test]
    fn a_set_entry_goes_first_at_the_mapping_column_and_never_into_a_flow_mapping() {
        let set = || {
            Proposal::safe(
                "pin",
                Change::SetEntry {
                    key: "hash".into(),
                    value: "ab".into(),
                },
            )
        };
        assert_eq!(
            fixed("w:\n  from: x # c\n", &path!["w"], set()),
            "w:\n  hash: ab\n  from: x # c\n"
        );
        assert_eq!(
            fixed("- from: x\n  to: y\n", &path![0], set()),
            "- hash: ab\n  from: x\n  to: y\n"
        );
        assert_eq!(
            fixed("w:\n  hash: ''\n", &path!["w"], set()),
            "w:\n  hash: ab\n"
        );
        let r = root("w: {from: x}\n");
        assert!(place(&r, "w: {from: x}\n", &path!["w"], &set()).is_none());
        let r = root("w:\n  hash: cd\n");
        assert!(place(&r, "w:\n  hash: cd\n", &path!["w"], &set()).is_none());
    }

    #[test]
    fn a_node_moved_into_a_sequence_keeps_its_shape_and_comments() {
        let text = "spec:\n  required:\n    a: 1  # one\n    b:\n      c: |\n        x\n\n        y\n  next: 2\n";
        let r = root(text);
        let node = r.at(&path!["spec", "required"]).unwrap();
        assert_eq!(
            as_sequence_item(text, node, 4).unwrap(),
            "    - a: 1  # one\n      b:\n        c: |\n          x\n\n          y\n"
        );
    }

    #[test]
    fn a_diff_names_the_file_and_shows_the_change() {
        let d = unified_diff("f.yaml", "a: 1\nb: x\n", "a: 1\nb: y\n");
        assert!(d.contains("--- a/f.yaml\n+++ b/f.yaml\n"), "{d}");
        assert!(d.contains("-b: x\n+b: y\n"), "{d}");
    }
}
