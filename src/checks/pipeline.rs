//! What the API server does with a CREATE, in its order, up to the validating webhook:
//! 1. strict decoding (unknown fields);
//! 2. Agones' mutating webhook: decode into the Go types, `ApplyDefaults()`, encode, patch — or,
//!    when the object does not decode, nothing (the webhook falls through);
//! 3. the CRD schema on the result, the Pod template included; status is dropped first where the
//!    CRD has a status subresource.
//!
//! The validating webhook's rules then run on the typed object (`checks::{autoscaler, …}`).
//! GameServerAllocation has no CRD and no mutating step: the schema stands for Go's decoding.

use serde::Deserialize;
use serde_json::Value;

use crate::model::agones::{Fleet, GameServer};
use crate::model::autoscaling::FleetAutoscaler;
use crate::model::Kind;
use crate::source::tree::{Node, Step};

use super::rules::{GSS008, SCH006};
use super::Cluster;
use super::{mutate, schema, Raw};

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

/// Runs steps 1–3 on `orig` (the document's JSON without nulls), pushing their findings.
pub fn admit(kind: Kind, orig: &Value, root: &Node, cluster: Cluster, out: &mut Vec<Raw>) {
    if !kind.has_crd() || kind == Kind::Scenario {
        schema::check(kind, orig, root, out);
        return;
    }
    let stored = stored(kind, orig);
    let mut first = Vec::new();
    schema::check(kind, &stored, root, &mut first);
    let decodes = !first.iter().any(is_type_error);
    let mutated = if decodes {
        match round_trip(kind, orig) {
            Ok(v) => Some(v),
            Err(raw) => {
                out.extend(raw);
                None
            }
        }
    } else {
        None
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
            schema::check(kind, &m, root, &mut second);
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
}

/// A strategic-merge patch: the fields it sets must fit the schema (types, enums, ranges,
/// unknown fields), but nothing it leaves to the base is missing, and it is not defaulted on
/// its own (the webhook sees the merged object). Patch directives (`$patch`,
/// `$setElementOrder/...`, `$retainKeys`) are kustomize's, not fields.
pub fn admit_patch(kind: Kind, orig: &Value, root: &Node, cluster: Cluster, out: &mut Vec<Raw>) {
    let mut found = Vec::new();
    schema::check(kind, &stored(kind, orig), root, &mut found);
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
/// status subresource. The validating webhook decodes this.
pub fn drop_status(kind: Kind, object: &mut Value) {
    if drops_status(kind) {
        if let Some(m) = object.as_object_mut() {
            m.remove("status");
        }
    }
}

/// [`drop_status`] on a borrowed object, copying it only when there is a status to drop.
fn stored(kind: Kind, orig: &Value) -> std::borrow::Cow<'_, Value> {
    if drops_status(kind) && orig.get("status").is_some() {
        let mut stored = orig.clone();
        drop_status(kind, &mut stored);
        std::borrow::Cow::Owned(stored)
    } else {
        std::borrow::Cow::Borrowed(orig)
    }
}

/// Step 2: the object as Agones' mutating webhook leaves it. When the object does not decode,
/// the webhook changes nothing; the validating webhook then fails on the same value, which the
/// finding returned (if any) reports. A decoding failure of the typed object itself is left to
/// the caller, which decodes what is stored.
fn round_trip(kind: Kind, orig: &Value) -> Result<Value, Option<Raw>> {
    let undecodable = |_: serde_json::Error| None;
    let mut encoded = match kind {
        Kind::Fleet => {
            let mut f = Fleet::deserialize(orig).map_err(undecodable)?;
            mutate::fleet(&mut f);
            serde_json::to_value(&f)
        }
        Kind::GameServer => {
            let mut gs = GameServer::deserialize(orig).map_err(undecodable)?;
            mutate::gameserver(&mut gs);
            serde_json::to_value(&gs)
        }
        Kind::FleetAutoscaler => {
            let mut fas = FleetAutoscaler::deserialize(orig).map_err(undecodable)?;
            mutate::fleet_autoscaler(&mut fas);
            serde_json::to_value(&fas)
        }
        Kind::GameServerAllocation | Kind::Scenario => return Ok(orig.clone()),
    }
    .map_err(undecodable)?;
    schema::strip_nulls(&mut encoded);
    let template_path = crate::model::podtemplate::path_in(kind);
    if template_path.is_empty() {
        return Ok(encoded);
    }
    let mut template = &mut encoded;
    for key in template_path {
        match template.get_mut(*key) {
            Some(t) => template = t,
            None => return Ok(encoded),
        }
    }
    if let Err(e) = crate::model::podtemplate::round_trip(template) {
        let mut path: Vec<Step> = template_path
            .iter()
            .map(|k| Step::Key((*k).into()))
            .collect();
        path.extend(e.path);
        return Err(Some(Raw::new(&GSS008, path, format!("Agones cannot decode the Pod template: {}", e.message))
            .help("write a Kubernetes quantity: a number with an optional suffix (500m, 2, 1.5Gi, 128Mi)")));
    }
    Ok(encoded)
}
