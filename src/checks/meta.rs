//! Object metadata rules the API server applies to every custom resource.

use crate::path;
use crate::source::tree::Node;

use super::rules::{K8S002, K8S003};
use super::Raw;

/// RFC 1123 label: lowercase alphanumerics and `-`, starting and ending alphanumeric.
pub fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// `validation.IsDNS1123Subdomain`: 253 characters at most, and dot-separated parts of
/// lowercase letters, digits and `-` that start and end with a letter or digit. Unlike a DNS
/// label, a part has no length limit of its own.
pub fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// `metadata.name` (or `generateName`) and `metadata.namespace`. `name_required` is false for
/// kinds that are never stored (a GameServerAllocation needs no name).
pub fn check(root: &Node, name_required: bool, out: &mut Vec<Raw>) {
    let meta = root.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty());
    let generate = meta
        .and_then(|m| m.get("generateName"))
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty());
    match (name, generate) {
        (None, None) if name_required => out.push(
            Raw::new(&K8S002, path!["metadata", "name"], "the object has no `metadata.name` (or `generateName`)")
                .help("add `metadata.name`; the API server rejects objects without a name"),
        ),
        (Some(n), _) if !is_dns_subdomain(n) => out.push(
            Raw::new(&K8S002, path!["metadata", "name"], format!("`{n}` is not a valid object name"))
                .help("use lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit, at most 253 characters"),
        ),
        _ => {}
    }
    let strings = |key: &str| -> std::collections::BTreeMap<String, String> {
        match meta.and_then(|m| m.get(key)).map(|n| &n.value) {
            Some(crate::source::tree::Value::Map(entries)) => entries
                .iter()
                .filter_map(|e| e.value.as_str().map(|v| (e.key.clone(), v.to_string())))
                .collect(),
            _ => Default::default(),
        }
    };
    super::labels::check_labels(&strings("labels"), &path!["metadata", "labels"], out);
    super::labels::check_annotations(
        &strings("annotations"),
        &path!["metadata", "annotations"],
        out,
    );
    if let Some(ns) = meta.and_then(|m| m.get("namespace")).and_then(Node::as_str) {
        if !ns.is_empty() && !is_dns_label(ns) {
            out.push(
                Raw::new(&K8S003, path!["metadata", "namespace"], format!("`{ns}` is not a valid namespace name"))
                    .help("use lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names() {
        assert!(is_dns_subdomain("fleet-1.example"));
        assert!(!is_dns_subdomain("Fleet"));
        assert!(!is_dns_subdomain("-a"));
        assert!(!is_dns_subdomain("a..b"));
        assert!(is_dns_subdomain(&format!("{}.example.com", "a".repeat(70))));
        assert!(!is_dns_subdomain(&"a.".repeat(127)));
        assert!(is_dns_label("default"));
        assert!(!is_dns_label(&"a".repeat(64)));
    }
}
