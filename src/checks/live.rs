//! Live objects: what `kubectl get -o yaml` prints is an object the cluster already holds, not
//! a manifest about to be created. Rules that judge only the create request, and advice about
//! how to write manifests, do not apply to it.

use super::rules::{self, Rule};
use crate::source::tree::{Node, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// A manifest: the object is about to be created (or applied).
    Manifest,
    /// Read back from a cluster: status, system metadata, or an item of a `kind: List`.
    Live,
    /// A kustomize strategic-merge patch: a partial object merged into a base. Only what it
    /// sets is checked; it has no identity of its own across resources.
    Patch,
}

/// Metadata only the API server writes; a manifest that carries one was read from a cluster.
const SYSTEM_METADATA: &[&str] = &[
    "uid",
    "resourceVersion",
    "managedFields",
    "ownerReferences",
    "creationTimestamp",
];

impl Lifecycle {
    pub fn of(root: &Node, in_list: bool) -> Lifecycle {
        let present = |n: Option<&Node>| n.is_some_and(|n| !matches!(n.value, Value::Null));
        let meta = root.get("metadata");
        let live = in_list
            || present(root.get("status"))
            || SYSTEM_METADATA
                .iter()
                .any(|k| present(meta.and_then(|m| m.get(k))));
        if live {
            Lifecycle::Live
        } else {
            Lifecycle::Manifest
        }
    }
}

/// Rules that judge a create request or the manifest's authoring, not the stored object:
/// Agones itself writes the host port of a Dynamic port, a Schedule's `end` is compared with
/// the clock only when the object is created or updated, and the autoscaler owns a live
/// Fleet's `spec.replicas` (REF006, judged across resources through the Fleet's facts).
const MANIFEST_ONLY: &[&Rule] = &[&rules::GSS006, &rules::FAS016, &rules::REF006];

pub fn applies_to_live(rule: &Rule) -> bool {
    !MANIFEST_ONLY.iter().any(|r| std::ptr::eq(*r, rule))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{objects, yaml::Budgets};

    fn lifecycle(yaml: &str) -> Vec<Lifecycle> {
        objects(yaml, &Budgets::default())
            .iter()
            .map(|o| Lifecycle::of(&o.root, o.in_list))
            .collect()
    }

    #[test]
    fn what_makes_an_object_live() {
        use Lifecycle::*;
        assert_eq!(lifecycle("kind: Fleet\nmetadata: {name: a}\n"), [Manifest]);
        assert_eq!(lifecycle("kind: Fleet\nstatus: {replicas: 2}\n"), [Live]);
        assert_eq!(lifecycle("kind: Fleet\nstatus: null\n"), [Manifest]);
        assert_eq!(
            lifecycle("kind: Fleet\nmetadata: {creationTimestamp: null}\n"),
            [Manifest]
        );
        for key in SYSTEM_METADATA {
            assert_eq!(
                lifecycle(&format!("kind: Fleet\nmetadata: {{{key}: x}}\n")),
                [Live]
            );
        }
        assert_eq!(
            lifecycle("apiVersion: v1\nkind: List\nitems:\n- kind: Fleet\n- kind: GameServer\n"),
            [Live, Live]
        );
    }

    #[test]
    fn create_only_rules_are_named() {
        assert!(!applies_to_live(&rules::GSS006));
        assert!(applies_to_live(&rules::REF002));
        assert!(applies_to_live(&rules::SCH001));
    }
}
