//! Hover: on a rule code or name (a suppression comment, a diagnostic's code), the rule's doc;
//! on a field of an Agones object, what it means and its constraints.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::document::{Document, Encoding, Lines};
use crate::checks::rules;
use crate::source::tree::{path_to_string, Node, Pos, Span, Step, Value};
use crate::source::yaml::Budgets;

pub fn hover(doc: &Document, at: Position, enc: Encoding) -> Option<Hover> {
    let lines = Lines::new(&doc.text);
    let offset = lines.offset(&doc.text, at, enc);
    if let Some((start, end, rule)) = rule_at(&doc.text, offset) {
        return Some(markdown(
            rule.doc.to_string(),
            lsp_types::Range {
                start: lines.position(&doc.text, start, enc),
                end: lines.position(&doc.text, end, enc),
            },
        ));
    }
    let pos = lines.to_pos(&doc.text, at, enc);
    let objects = crate::source::objects(&doc.text, &Budgets::default());
    for obj in &objects {
        if !contains(obj.root.span, pos) {
            continue;
        }
        let kind = obj.root.get("kind").and_then(Node::as_str)?;
        let mut path = Vec::new();
        let span = path_at(&obj.root, pos, &mut path)?;
        let text = crate::model::describe::field_doc(kind, &path)?;
        return Some(markdown(
            format!("`{}` ({kind})\n\n{text}", path_to_string(&path)),
            lines.range(&doc.text, span, enc),
        ));
    }
    None
}

fn markdown(value: String, range: lsp_types::Range) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range),
    }
}

/// The rule whose code (`FAS030`) or name (`wasm-hash-missing`) the word at `offset` is.
fn rule_at(text: &str, offset: usize) -> Option<(usize, usize, &'static rules::Rule)> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    let w = &text[start..end];
    let rule = rules::ALL
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(w) || r.name == w)?;
    Some((start, end, rule))
}

fn contains(span: Span, p: Pos) -> bool {
    span.start <= p && p < span.end
}

/// The field path at `p` and the span to highlight (the key, or the value hovered).
fn path_at(node: &Node, p: Pos, path: &mut Vec<Step>) -> Option<Span> {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                if contains(e.key_span, p) {
                    path.push(Step::Key(e.key.as_str().into()));
                    return Some(e.key_span);
                }
                if contains(e.value.span, p) {
                    path.push(Step::Key(e.key.as_str().into()));
                    return path_at(&e.value, p, path).or(Some(e.key_span));
                }
            }
            None
        }
        Value::Seq(items) => {
            let (i, item) = items
                .iter()
                .enumerate()
                .find(|(_, i)| contains(i.span, p))?;
            path.push(Step::Index(i));
            path_at(item, p, path).or(Some(item.span))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hover_text(text: &str, line: u32, character: u32) -> Option<String> {
        let doc = Document {
            text: text.into(),
            version: 1,
        };
        hover(&doc, Position { line, character }, Encoding::Utf16).map(|h| match h.contents {
            HoverContents::Markup(m) => m.value,
            _ => unreachable!(),
        })
    }

    const FAS: &str = "# agones-lint: disable=FAS030\napiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nspec:\n  fleetName: lobby\n  policy:\n    type: Buffer\n    buffer:\n      bufferSize: 5\n";

    #[test]
    fn a_rule_code_shows_its_doc() {
        let t = hover_text(FAS, 0, 25).unwrap();
        assert!(t.starts_with("# FAS030 wasm-hash-missing"), "{t}");
    }

    #[test]
    fn a_field_shows_its_meaning_by_key_or_value() {
        let t = hover_text(FAS, 8, 8).unwrap();
        assert!(
            t.starts_with("`spec.policy.buffer.bufferSize` (FleetAutoscaler)"),
            "{t}"
        );
        assert!(t.contains("Ready GameServers to keep"), "{t}");
        let t = hover_text(FAS, 6, 11).unwrap();
        assert!(t.contains("one of `Buffer`"), "{t}");
        assert!(hover_text("kind: ConfigMap\ndata:\n  a: b\n", 2, 2).is_none());
    }
}
