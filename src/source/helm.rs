//! Helm: a chart template is not YAML until rendered, and `helm template` output says with
//! `# Source: CHART/templates/FILE.yaml` comments which template each document came from.

use std::collections::HashMap;

/// Where the first template action of an unrendered Helm template is: (line, column), 1-based
/// line and 0-based column. `in_templates` says the file lies in a chart's `templates/`
/// folder, where any action counts; elsewhere an action must be unquoted (a `{{- if }}` line)
/// or name Helm's objects (`.Values`, `.Release`, `include`, ...), so that a string value that
/// merely contains braces is not mistaken for a template.
pub fn first_action(text: &str, in_templates: bool) -> Option<(u32, u32)> {
    // Most files hold no template at all: say so without walking their lines.
    if !text.contains("{{") || !text.contains("}}") {
        return None;
    }
    for (i, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(at) = line[from..].find("{{").map(|p| p + from) {
            from = at + 2;
            // `${{ ... }}` is a GitHub Actions expression, not a Go template.
            if line[..at].ends_with('$') {
                continue;
            }
            let inner = line[at + 2..].trim_start_matches('-').trim_start();
            if !starts_action(inner) {
                continue;
            }
            let before = &line[..at];
            let quoted =
                before.matches('"').count() % 2 == 1 || before.matches('\'').count() % 2 == 1;
            if in_templates || !quoted || names_helm(inner) {
                let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let col = u32::try_from(before.chars().count()).unwrap_or(u32::MAX);
                return Some((line_no, col));
            }
        }
    }
    None
}

fn starts_action(inner: &str) -> bool {
    inner
        .chars()
        .next()
        .is_some_and(|c| c == '.' || c == '$' || c == '/' || c == '(' || c.is_ascii_alphabetic())
}

fn names_helm(inner: &str) -> bool {
    const HELM: &[&str] = &[
        ".Values",
        ".Release",
        ".Chart",
        ".Capabilities",
        ".Files",
        ".Template",
        "$",
        "include ",
        "template ",
        "tpl ",
        "toYaml",
        "required ",
        "default ",
        "if ",
        "range ",
        "with ",
        "end",
    ];
    HELM.iter().any(|h| inner.starts_with(h))
}

/// Whether `path` lies in a `templates` folder (as a chart's templates do).
pub fn in_templates_folder(path: &std::path::Path) -> bool {
    path.components().any(|c| c.as_os_str() == "templates")
}

/// The documents of `helm template` output grouped by the template they came from: (template
/// path, text), in order of first appearance. Each part's text starts at the line after its
/// `# Source:` comment, so its line numbers count from the rendered document's start. Documents
/// without a `# Source:` line stay with the stream's own name (`None`). Returns None when no
/// document names its source (not `helm template` output).
pub fn split_rendered(text: &str) -> Option<Vec<(Option<String>, String)>> {
    if !text.contains("# Source: ") {
        return None;
    }
    let mut parts: Vec<(Option<String>, String)> = Vec::new();
    let mut index: HashMap<Option<String>, usize> = HashMap::new();
    let mut found = false;
    for doc in documents(text) {
        let mut lines = doc.lines().peekable();
        // The Source comment is the document's first non-blank line.
        while lines.peek().is_some_and(|l| l.trim().is_empty()) {
            lines.next();
        }
        let source = lines
            .peek()
            .and_then(|l| l.strip_prefix("# Source: "))
            .map(|s| s.trim().to_string());
        if source.is_some() {
            lines.next();
            found = true;
        }
        let body: String = lines.map(|l| format!("{l}\n")).collect();
        let only_comments = body
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
        if source.is_none() && only_comments {
            continue;
        }
        let i = *index.entry(source.clone()).or_insert_with(|| {
            parts.push((source.clone(), String::new()));
            parts.len() - 1
        });
        let part = &mut parts[i].1;
        if !part.is_empty() {
            part.push_str("---\n");
        }
        part.push_str(&body);
    }
    found.then_some(parts)
}

/// The stream's documents, split at `---` lines (the separators dropped).
fn documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.lines() {
        if line == "---" || line.starts_with("--- ") {
            docs.push(String::new());
            continue;
        }
        let last = docs.last_mut().expect("one document at least");
        last.push_str(line);
        last.push('\n');
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_recognised() {
        assert_eq!(
            first_action("a: 1\n{{- if .Values.x }}\nb: 2\n{{- end }}\n", false),
            Some((2, 0))
        );
        assert_eq!(
            first_action("name: \"{{ .Release.Name }}-fleet\"\n", false),
            Some((1, 7))
        );
        assert_eq!(
            first_action("name: {{ include \"x\" . }}\n", false),
            Some((1, 6))
        );
        // Braces inside a quoted string, outside a chart, are only a string.
        assert_eq!(first_action("value: \"{{player}} joined\"\n", false), None);
        assert_eq!(
            first_action("value: \"{{player}} joined\"\n", true),
            Some((1, 8))
        );
        assert_eq!(first_action("a: {b: {c: 1}}\n", false), None);
        assert_eq!(first_action("a: \"{{\"\n", false), None);
        assert_eq!(first_action("run: echo ${{ inputs.paths }}\n", false), None);
    }

    #[test]
    fn rendered_output_is_split_by_source() {
        let out = "---\n# Source: arena/templates/fleet.yaml\napiVersion: agones.dev/v1\nkind: Fleet\n---\n# Source: arena/templates/fas.yaml\nkind: FleetAutoscaler\n---\n# Source: arena/templates/fleet.yaml\nkind: Fleet\n";
        let parts = split_rendered(out).unwrap();
        assert_eq!(
            parts,
            [
                (
                    Some("arena/templates/fleet.yaml".to_string()),
                    "apiVersion: agones.dev/v1\nkind: Fleet\n---\nkind: Fleet\n".to_string()
                ),
                (
                    Some("arena/templates/fas.yaml".to_string()),
                    "kind: FleetAutoscaler\n".to_string()
                ),
            ]
        );
        assert_eq!(split_rendered("kind: Fleet\n"), None);
    }
}
