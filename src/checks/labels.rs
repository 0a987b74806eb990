//! Kubernetes label and annotation syntax (`metav1validation.ValidateLabels`,
//! `apivalidation.ValidateAnnotations`), which the API server applies to every object and Agones
//! to the labels and annotations it copies onto GameServers.

use std::collections::BTreeMap;

use crate::source::tree::Step;

use super::meta::is_dns_subdomain;
use super::rules::{K8S004, K8S005};
use super::{join, Raw};

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters.
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// Why a label or annotation key is invalid, if it is.
pub fn key_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        if p.is_empty() || !is_dns_subdomain(p) {
            return Some(format!(
                "the prefix `{p}` must be a lowercase DNS subdomain such as example.com"
            ));
        }
        if name.contains('/') {
            return Some("a key has at most one `/`".into());
        }
    }
    if !is_qualified_name_part(name) {
        return Some(format!(
            "the name `{name}` must be 1 to 63 characters of letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"
        ));
    }
    None
}

/// Why a label value is invalid, if it is.
pub fn label_value_problem(value: &str) -> Option<String> {
    if value.is_empty() || is_qualified_name_part(value) {
        None
    } else {
        Some(format!("the value `{value}` must be at most 63 characters of letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"))
    }
}

pub fn check_labels(labels: &BTreeMap<String, String>, path: &[Step], out: &mut Vec<Raw>) {
    for (k, v) in labels {
        let p = join(path, k.as_str());
        if let Some(why) = key_problem(k) {
            out.push(
                Raw::new(
                    &K8S004,
                    p.clone(),
                    format!("label key `{k}` is invalid: {why}"),
                )
                .help("use a key such as `game.example.com/mode`"),
            );
        }
        if let Some(why) = label_value_problem(v) {
            out.push(
                Raw::new(
                    &K8S004,
                    p,
                    format!("label `{k}` has an invalid value: {why}"),
                )
                .help("shorten the value, or use an annotation for free text"),
            );
        }
    }
}

const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

pub fn check_annotations(
    annotations: &BTreeMap<String, String>,
    path: &[Step],
    out: &mut Vec<Raw>,
) {
    let mut total = 0;
    for (k, v) in annotations {
        total += k.len() + v.len();
        // `ValidateAnnotations` checks the lower-cased key (labels are checked as written).
        if let Some(why) = key_problem(&k.to_lowercase()) {
            out.push(
                Raw::new(
                    &K8S005,
                    join(path, k.as_str()),
                    format!("annotation key `{k}` is invalid: {why}"),
                )
                .help("use a key such as `game.example.com/notes`"),
            );
        }
    }
    if total > ANNOTATIONS_MAX_BYTES {
        out.push(
            Raw::new(
                &K8S005,
                path.to_vec(),
                format!("the annotations total {total} bytes, over Kubernetes' limit of 256 KiB"),
            )
            .help("store large data in a ConfigMap and reference it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values() {
        assert_eq!(key_problem("agones.dev/fleet"), None);
        assert_eq!(key_problem("app"), None);
        assert!(key_problem("Agones.dev/fleet").is_some());
        assert!(key_problem("a/b/c").is_some());
        assert!(key_problem("-app").is_some());
        assert!(key_problem(&"a".repeat(64)).is_some());
        assert!(key_problem("/app").is_some());
        assert_eq!(
            key_problem(&format!("{}.example.com/x", "a".repeat(70))),
            None
        );
        assert_eq!(label_value_problem(""), None);
        assert_eq!(label_value_problem("v1.2_3-x"), None);
        assert!(label_value_problem("has space").is_some());
        assert!(label_value_problem("trailing-").is_some());
    }
}
