//! Open documents: their text as the editor has it, edits applied in the negotiated position
//! encoding, and conversions between LSP positions, byte offsets and lint's spans (1-based
//! lines, columns in characters).

use lsp_types::TextDocumentContentChangeEvent;

pub use crate::source::lines::{Encoding, Lines};

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

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

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
}
