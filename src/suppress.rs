//! Inline suppressions in manifests:
//!
//! - `# agones-lint: disable=FAS012,chain-no-fallback` on a line of its own applies to the next
//!   line with content (a field and everything under it on that line); as a trailing comment it
//!   applies to its own line; on a document's first line it applies to the whole document.
//! - `# agones-lint: disable-file` (optionally `=CODES`) applies to the whole file.
//!
//! Without codes, every rule is suppressed. A suppression that suppresses nothing is reported.

use crate::checks::rules::{Rule, ALL};
use crate::finding::Finding;

#[derive(Debug, Clone)]
pub struct Suppression {
    /// The comment's line.
    pub line: u32,
    pub col: u32,
    /// Rules it names; empty for all.
    pub rules: Vec<&'static str>,
    /// Lines it covers (inclusive).
    pub from: u32,
    pub to: u32,
    pub used: bool,
    /// Codes or names the comment gave that are not rules.
    pub unknown: Vec<String>,
}

const MARK: &str = "agones-lint:";

fn rule(key: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

/// Finds the suppressions in `text`. `doc_starts` are the first lines of the documents, so a
/// comment on (or just above) one covers that whole document.
pub fn scan(text: &str, doc_starts: &[u32]) -> Vec<Suppression> {
    // Most files have none: one substring search spares splitting them into lines.
    if !text.contains(MARK) {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let total = lines.len() as u32;
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(hash) = line.find('#') else { continue };
        let comment = line[hash + 1..].trim();
        let Some(rest) = comment.strip_prefix(MARK) else {
            continue;
        };
        let rest = rest.trim();
        let (directive, codes) = rest
            .split_once('=')
            .map_or((rest, ""), |(d, c)| (d.trim(), c.trim()));
        if directive != "disable" && directive != "disable-file" {
            continue;
        }
        let mut rules = Vec::new();
        let mut unknown = Vec::new();
        for c in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            match rule(c) {
                Some(r) => rules.push(r.code),
                None => unknown.push(c.to_string()),
            }
        }
        let here = i as u32 + 1;
        let own_line = line[..hash].trim().is_empty();
        let (from, to) = if directive == "disable-file" {
            (1, total.max(1))
        } else if !own_line {
            (here, here)
        } else {
            // The next line with content (not blank, not a comment, not a document marker).
            let target = lines.iter().enumerate().skip(i + 1).find(|(_, l)| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#') && t != "---"
            });
            match target {
                None => (here, here),
                Some((j, _)) => {
                    let target = j as u32 + 1;
                    match doc_starts.iter().position(|s| *s == target) {
                        Some(k) => (target, doc_starts.get(k + 1).map_or(total, |next| next - 1)),
                        None => (target, target),
                    }
                }
            }
        };
        out.push(Suppression {
            line: here,
            col: hash as u32,
            rules,
            from,
            to,
            used: false,
            unknown,
        });
    }
    out
}

/// Drops the findings `suppressions` cover (marking those suppressions used).
pub fn apply(findings: &mut Vec<Finding>, file: usize, suppressions: &mut [Suppression]) {
    findings.retain(|f| {
        if f.file != file {
            return true;
        }
        let line = f.span.start.line;
        for s in suppressions.iter_mut() {
            if line >= s.from
                && line <= s.to
                && (s.rules.is_empty() || s.rules.contains(&f.rule.code))
            {
                s.used = true;
                return false;
            }
        }
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        let text = "# agones-lint: disable=FAS030\napiVersion: x\nkind: Y\n---\nspec:\n  # agones-lint: disable=chain-no-fallback\n  chain: []\n  other: 1 # agones-lint: disable\n# agones-lint: disable-file=REF001,NOPE\n";
        let s = scan(text, &[2, 5]);
        assert_eq!(s.len(), 4);
        assert_eq!(
            (s[0].from, s[0].to, s[0].rules.clone()),
            (2, 4, vec!["FAS030"]),
            "document scope"
        );
        assert_eq!(
            (s[1].from, s[1].to, s[1].rules.clone()),
            (7, 7, vec!["FAS032"]),
            "next line, by name"
        );
        assert_eq!(
            (s[2].from, s[2].to, s[2].rules.is_empty()),
            (8, 8, true),
            "trailing, all rules"
        );
        assert_eq!(
            (s[3].from, s[3].to, s[3].unknown.clone()),
            (1, 9, vec!["NOPE".to_string()]),
            "file"
        );
    }
}
