//! Open documents: their text as the editor has it, edits applied in the negotiated position
//! encoding, and conversions between LSP positions, byte offsets and lint's spans (1-based
//! lines, columns in characters).

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use crate::source::tree::{Pos, Span};

/// How a position's `character` counts: UTF-16 code units (the protocol's default), UTF-8
/// bytes or characters, as agreed at initialize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub version: i32,
}

impl Document {
    /// Applies the editor's changes in order: a change with a range replaces it, one without
    /// replaces the whole text. Positions past a line's or the text's end are clamped to it, so
    /// a confused client gets a wrong text, never a panic.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, enc: Encoding) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let lines = Lines::new(&self.text);
                    let start = lines.offset(&self.text, range.start, enc);
                    let end = lines.offset(&self.text, range.end, enc).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
        }
    }
}

/// Line starts of a text, for conversions.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    fn line(&self, text: &str, n: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(n)?;
        let end = self.starts.get(n + 1).map_or(text.len(), |e| e - 1);
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Some((start, end))
    }

    /// The byte offset of an LSP position.
    pub fn offset(&self, text: &str, p: Position, enc: Encoding) -> usize {
        let Some((start, end)) = self.line(text, p.line as usize) else {
            return text.len();
        };
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            if units >= p.character {
                return start + i;
            }
            units += enc.width(c);
        }
        end
    }

    /// The LSP position of a byte offset.
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let start = self.starts[line];
        let character = text[start..offset]
            .chars()
            .map(|c| enc.width(c))
            .sum::<u32>();
        Position {
            line: line as u32,
            character,
        }
    }

    /// The LSP position of a lint position (1-based line, column in characters).
    pub fn from_pos(&self, text: &str, p: Pos, enc: Encoding) -> Position {
        let line = p.line.saturating_sub(1) as usize;
        let Some((start, end)) = self.line(text, line) else {
            return self.position(text, text.len(), enc);
        };
        let character = text[start..end]
            .chars()
            .take(p.col as usize)
            .map(|c| enc.width(c))
            .sum();
        Position {
            line: line as u32,
            character,
        }
    }

    /// A lint span as an LSP range; an empty span covers one character, so editors show it.
    pub fn range(&self, text: &str, span: Span, enc: Encoding) -> Range {
        let start = self.from_pos(text, span.start, enc);
        let mut end = self.from_pos(text, span.end, enc);
        if end <= start {
            end = Position {
                line: start.line,
                character: start.character + 1,
            };
        }
        Range { start, end }
    }

    /// The lint position of an LSP position.
    pub fn to_pos(&self, text: &str, p: Position, enc: Encoding) -> Pos {
        let offset = self.offset(text, p, enc);
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        Pos {
            line: line as u32 + 1,
            col: text[self.starts[line]..offset].chars().count() as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((a, b), (c, d))| Range {
                start: Position {
                    line: a,
                    character: b,
                },
                end: Position {
                    line: c,
                    character: d,
                },
            }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_changes_count_utf16_units() {
        // `😀` is two UTF-16 units, one character, four bytes.
        let mut d = Document {
            text: "a: 😀x\nb: 1\n".into(),
            version: 1,
        };
        d.apply(vec![change(Some(((0, 5), (0, 6))), "y")], Encoding::Utf16);
        assert_eq!(d.text, "a: 😀y\nb: 1\n");
        d.apply(vec![change(Some(((0, 4), (0, 5))), "z")], Encoding::Utf32);
        assert_eq!(d.text, "a: 😀z\nb: 1\n");
        d.apply(
            vec![change(Some(((1, 3), (1, 4))), "2"), change(None, "new")],
            Encoding::Utf16,
        );
        assert_eq!(d.text, "new");
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let mut d = Document {
            text: "ab\ncd".into(),
            version: 1,
        };
        d.apply(vec![change(Some(((0, 99), (7, 3))), "!")], Encoding::Utf16);
        assert_eq!(d.text, "ab!");
    }

    #[test]
    fn lint_spans_become_ranges_in_each_encoding() {
        let text = "é: 😀 x\r\nnext: 1\n";
        let lines = Lines::new(text);
        let span = Span {
            start: Pos { line: 1, col: 3 },
            end: Pos { line: 1, col: 6 },
        };
        for (enc, start, end) in [
            (Encoding::Utf16, 3, 7),
            (Encoding::Utf32, 3, 6),
            (Encoding::Utf8, 4, 10),
        ] {
            let r = lines.range(text, span, enc);
            assert_eq!(
                (r.start.character, r.end.character),
                (start, end),
                "{enc:?}"
            );
            assert_eq!(lines.to_pos(text, r.start, enc), span.start);
        }
        // The CR of a CRLF line is not part of it.
        let end_of_line = lines.from_pos(text, Pos { line: 1, col: 99 }, Encoding::Utf16);
        assert_eq!(end_of_line.character, 7);
    }
}
