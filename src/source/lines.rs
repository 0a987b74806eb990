//! Positions in a text: byte offsets, lint's positions (1-based lines, columns in
//! characters) and an editor's (0-based lines, columns in the unit the protocol agreed on).
//! Fixes place their edits with it, the language server its ranges.

use lsp_types::{Position, Range};

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

/// Line starts of a text, for conversions between byte offsets, lint positions and editor
/// positions.
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

    /// The byte offset of a lint position, if the text has it: the position a span was read at
    /// (a column may be the line's end). None past a line's or the text's end, so that an edit
    /// made for another text is refused.
    pub fn offset_of(&self, text: &str, p: Pos) -> Option<usize> {
        let line_start = *self.starts.get(p.line.checked_sub(1)? as usize)?;
        let line = &text[line_start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        if p.col as usize == line.chars().count() {
            return Some(line_start + line.len());
        }
        line.char_indices()
            .nth(p.col as usize)
            .map(|(i, _)| line_start + i)
    }

    /// The lint position of a byte offset.
    pub fn pos_of(&self, text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        Pos {
            line: line as u32 + 1,
            col: text[self.starts[line]..offset].chars().count() as u32,
        }
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
        self.pos_of(text, self.offset(text, p, enc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
