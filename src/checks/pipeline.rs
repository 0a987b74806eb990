//! What the API server does with a CREATE, in its order, up to the validating webhook:
//! 1. strict decoding (unknown fields);
//! 2. Agones' mutating webhook: decode into the Go types, `ApplyDefaults()`, encode, patch — or,
//!    when the object does not decode, nothing (the webhook falls through);
//! 3. the CRD schema on the result, the Pod template included; status is dropped first where the
//!    CRD has a status subresource.
//!
//! The validating webhook's rules then run on the typed object (`checks::{autoscaler, …}`).
//! GameServerAllocation has no CRD and no mutating step: the schema stands for Go's decoding.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::agones::{Fleet, FleetStatus, GameServer};
use crate::model::autoscaling::{FleetAutoscaler, FleetAutoscalerStatus};
use crate::model::Kind;
use crate::source::tree::{Node, Step};

use super::rules::{GSS008, SCH006};
use super::Cluster;
use super::{defaults, mutate, schema, Raw};

/// Whether the CRD has a status subresource: then the API server drops `status` on create.
fn drops_status(kind: Kind) -> bool {
    matches!(kind, Kind::Fleet | Kind::FleetAutoscaler)
}

fn is_unknown_field(r: &Raw) -> bool {
    r.rule.code == "SCH001" || r.rule.code == "SCH006"
}

fn is_type_error(r: &Raw) -> bool {
    r.rule.code == "SCH002"
}

/// A kind behind Agones' mutating webhook: its typed form, `ApplyDefaults()` and where it
/// holds its Pod template.
pub trait Mutable: DeserializeOwned + Serialize {
    const KIND: Kind;
    /// `ApplyDefaults()`, as the mutating webhook runs it.
    fn apply_defaults(&mut self);
    /// The Pod template, for kinds that hold one.
    fn pod_template(&mut self) -> Option<&mut Value> {
        None
    }
    /// Whether the status the API server drops decodes: the webhook decodes the whole object,
    /// status included, before the API server drops it.
    fn status_decodes(_status: &Value) -> bool {
        true
    }
}

impl Mutable for Fleet {
    const KIND: Kind = Kind::Fleet;
    fn apply_defaults(&mut self) {
        mutate::fleet(self);
    }
    fn pod_template(&mut self) -> Option<&mut Value> {
        Some(&mut self.spec.template.spec.template)
    }
    fn status_decodes(status: &Value) -> bool {
        FleetStatus::deserialize(status).is_ok()
    }
}

impl Mutable for GameServer {
    const KIND: Kind = Kind::GameServer;
    fn apply_defaults(&mut self) {
        mutate::gameserver(self);
    }
    fn pod_template(&mut self) -> Option<&mut Value> {
        Some(&mut self.spec.template)
    }
}

impl Mutable for FleetAutoscaler {
    const KIND: Kind = Kind::FleetAutoscaler;
    fn apply_defaults(&mut self) {
        mutate::fleet_autoscaler(self);
    }
    fn status_decodes(status: &Value) -> bool {
        FleetAutoscalerStatus::deserialize(status).is_ok()
    }
}

/// What the pipeline made of one object.
pub struct Admitted {
    /// The typed decode of the stored object (what the validating webhook decodes).
    pub decoded: Result<(), serde_json::Error>,
    /// Whether the API server's steps found nothing.
    pub clean: bool,
}

/// Runs steps 1–3 on `json` (the document's JSON without nulls) and decodes the stored
/// object once: `judge` gets the typed object as the validating webhook sees it (defaulted
/// empties removed, not yet mutated), and then the same value is mutated for step 3. The
/// admission's findings come first in `out`, the judge's after them.
pub fn admit<T: Mutable>(
    mut json: Value,
    root: &Node,
    cluster: Cluster,
    out: &mut Vec<Raw>,
    judge: impl FnOnce(&T, &mut Vec<Raw>),
) -> Admitted {
    let kind = T::KIND;
    let status = match json.as_object_mut() {
        Some(m) if drops_status(kind) => m.remove("status"),
        _ => None,
    };
    let mut first = Vec::new();
    schema::check(kind, cluster.release, &json, root, &mut first);
    let decodes = !first.iter().any(is_type_error) && status.as_ref().is_none_or(T::status_decodes);
    // The rules judge the object after the defaulting that empties stand for; the mutating
    // webhook treats an empty field and a missing one alike, so one decode serves both.
    defaults::apply(kind, &mut json);
    let mut typed = decode::<T>(json);
    let mut judged = Vec::new();
    if let Ok(t) = &typed {
        judge(t, &mut judged);
    }
    let before = out.len();
    let mutated = match &mut typed {
        Ok(t) if decodes => mutate(t, cluster.release, out),
        _ => None,
    };
    match mutated {
        Some(mut m) => {
            drop_status(kind, &mut m);
            out.extend(
                first
                    .into_iter()
                    .filter(is_unknown_field)
                    .filter_map(|r| unknown_field(kind, r, cluster)),
            );
            let mut second = Vec::new();
            schema::check(kind, cluster.release, &m, root, &mut second);
            out.extend(second.into_iter().filter(|r| !is_unknown_field(r)));
        }
        // The webhook fell through: the schema judges the object as it was sent.
        None => out.extend(first.into_iter().filter_map(|r| {
            if is_unknown_field(&r) {
                unknown_field(kind, r, cluster)
            } else {
                Some(r)
            }
        })),
    }
    let clean = out.len() == before;
    out.append(&mut judged);
    Admitted {
        decoded: typed.map(|_| ()),
        clean,
    }
}

/// A kind without a CRD has no mutating webhook: its own defaulting happens before
/// `Validate()`, and the schema stands for Go's decoding.
pub fn admit_unmutated<T: DeserializeOwned>(
    kind: Kind,
    release: &'static crate::model::release::Release,
    mut json: Value,
    root: &Node,
    out: &mut Vec<Raw>,
    judge: impl FnOnce(&T, &mut Vec<Raw>),
) -> Admitted {
    defaults::apply(kind, &mut json);
    let before = out.len();
    schema::check(kind, release, &json, root, out);
    let clean = out.len() == before;
    let typed = serde_json::from_value::<T>(json);
    if let Ok(t) = &typed {
        judge(t, out);
    }
    Admitted {
        decoded: typed.map(|_| ()),
        clean,
    }
}

/// Decodes the stored object. The Pod template is an open JSON value in the typed model;
/// it is moved in rather than decoded, which would copy it key by key.
fn decode<T: Mutable>(mut json: Value) -> Result<T, serde_json::Error> {
    let template = template_at(&mut json, T::KIND).map(std::mem::take);
    let mut typed = serde_json::from_value::<T>(json)?;
    if let (Some(template), Some(slot)) = (template, typed.pod_template()) {
        *slot = template;
    }
    Ok(typed)
}

fn template_at(json: &mut Value, kind: Kind) -> Option<&mut Value> {
    let path = crate::model::podtemplate::path_in(kind);
    if path.is_empty() {
        return None;
    }
    path.iter().try_fold(json, |v, key| v.get_mut(*key))
}

/// A strategic-merge patch: the fields it sets must fit the schema (types, enums, ranges,
/// unknown fields), but nothing it leaves to the base is missing, and it is not defaulted on
/// its own (the webhook sees the merged object). Patch directives (`$patch`,
/// `$setElementOrder/...`, `$retainKeys`) are kustomize's, not fields.
pub fn admit_patch(kind: Kind, mut json: Value, root: &Node, cluster: Cluster, out: &mut Vec<Raw>) {
    drop_status(kind, &mut json);
    let mut found = Vec::new();
    schema::check(kind, cluster.release, &json, root, &mut found);
    let directive = |r: &Raw| {
        r.path
            .iter()
            .any(|s| matches!(s, Step::Key(k) if k.starts_with('$')))
            || r.message.contains("`$")
    };
    for r in found {
        if r.rule.code == "SCH003" || directive(&r) {
            continue;
        }
        if is_unknown_field(&r) {
            out.extend(unknown_field(kind, r, cluster));
        } else {
            out.push(r);
        }
    }
}

/// Step 1 for an unknown field of a CRD kind: an error under strict field validation, else a
/// warning that the field is dropped; nothing inside a Pod template that keeps unknown fields.
fn unknown_field(kind: Kind, mut raw: Raw, cluster: Cluster) -> Option<Raw> {
    let template = crate::model::podtemplate::path_in(kind);
    let in_template = !template.is_empty()
        && raw.path.len() > template.len()
        && raw
            .path
            .iter()
            .zip(template)
            .all(|(s, k)| matches!(s, Step::Key(x) if x == k));
    if cluster.pod_preserve_unknown_fields && in_template {
        return None;
    }
    if !cluster.unknown_fields_rejected {
        raw.rule = &SCH006;
        raw.admission = crate::finding::Admission::Accepted;
        if let Some((head, _)) = raw.message.split_once("; `kubectl apply`") {
            raw.message = format!("{head}; the API server drops it (unknown-fields: warning)");
        }
    }
    Some(raw)
}

/// The object as the API server stores it on create: without `status` where the CRD has a
/// status subresource.
fn drop_status(kind: Kind, object: &mut Value) {
    if drops_status(kind) {
        if let Some(m) = object.as_object_mut() {
            m.remove("status");
        }
    }
}

/// Step 2 on the decoded object: `ApplyDefaults()`, then the encoding Go's types give, with
/// the Pod template as Agones' decoding of it leaves it. None when the template does not
/// decode (the webhook falls through; the finding says why). The typed object is used up:
/// left defaulted, without its Pod template.
fn mutate<T: Mutable>(
    typed: &mut T,
    release: &crate::model::release::Release,
    out: &mut Vec<Raw>,
) -> Option<Value> {
    typed.apply_defaults();
    let template = typed.pod_template().map(std::mem::take);
    let mut encoded = serde_json::to_value(&*typed).ok()?;
    schema::strip_nulls(&mut encoded);
    let Some(mut template) = template else {
        return Some(encoded);
    };
    let template_path = crate::model::podtemplate::path_in(T::KIND);
    if let Err(e) = crate::model::podtemplate::round_trip(
        &mut template,
        crate::model::podschema::pod_schema_of(release),
    ) {
        let mut path: Vec<Step> = template_path
            .iter()
            .map(|k| Step::Key((*k).into()))
            .collect();
        path.extend(e.path);
        out.push(Raw::new(&GSS008, path, format!("Agones cannot decode the Pod template: {}", e.message))
            .help("write a Kubernetes quantity: a number with an optional suffix (500m, 2, 1.5Gi, 128Mi)"));
        return None;
    }
    if !template.is_null() {
        let (last, parents) = template_path.split_last()?;
        let mut at = &mut encoded;
        for key in parents {
            at = at.get_mut(*key)?;
        }
        at.as_object_mut()?.insert((*last).to_string(), template);
    }
    Some(encoded)
}
