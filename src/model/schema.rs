//! JSON Schemas for the checked kinds, generated from the typed model and shaped like the
//! Agones CRDs: strict objects (kubectl's default strict field validation rejects unknown
//! fields), no `null` alternatives (the API server drops nulls of non-nullable fields before
//! validating, so this linter strips them too), and the CRD's nesting rules for policies.

use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

use super::agones::{Fleet, GameServer};
use super::allocation::GameServerAllocation;
use super::autoscaling::FleetAutoscaler;
use super::release::Release;
use super::Kind;

/// The generated schema of one kind, as committed under `schemas/` (the model: every field any
/// supported release has, with the base Kubernetes 1.33 Pod template).
pub fn generate(kind: Kind) -> Value {
    let mut schema = generate_for_validator(kind);
    if matches!(kind, Kind::Fleet | Kind::GameServer) {
        embed_pod_template(&mut schema, super::podtemplate::definitions());
    }
    schema
}

/// The schema of one kind as `release`'s CRD has it, its Pod template included.
pub fn generate_of(kind: Kind, release: &Release) -> Value {
    let mut schema = shaped_for(kind, release, Dropped::Removed);
    if matches!(kind, Kind::Fleet | Kind::GameServer) {
        embed_pod_template(&mut schema, release.pod_definitions());
    }
    schema
}

/// [`generate_for_validator`] less what `release` does not have: the Wasm policy before 1.53,
/// the allocation selectors' `players` filter from 1.59 (the allocation API drops it).
pub fn generate_for_validator_of(kind: Kind, release: &Release) -> Value {
    shaped_for(kind, release, Dropped::Removed)
}

/// What becomes of a field that a lenient decoder drops: gone from the schema lint validates
/// with (an unknown field, a warning for an allocation), and kept but marked deprecated in an
/// editor's schema, which can only say "error" about an unknown field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dropped {
    Removed,
    Deprecated,
}

fn shaped_for(kind: Kind, release: &Release, dropped: Dropped) -> Value {
    let mut schema = generate_for_validator(kind);
    let defs = &mut schema["$defs"];
    match kind {
        Kind::FleetAutoscaler if !release.behaviour.wasm_policy => {
            for def in ["FleetAutoscalerPolicy", "PolicyInSchedule", "ChainEntry"] {
                remove_props(&mut defs[def], &["wasm"]);
                if let Some(Value::Array(types)) = defs[def].pointer_mut("/properties/type/enum") {
                    types.retain(|t| t != "Wasm");
                }
            }
        }
        Kind::GameServerAllocation if !release.behaviour.allocation_players_selector => {
            match dropped {
                Dropped::Removed => remove_props(&mut defs["GameServerSelector"], &["players"]),
                Dropped::Deprecated => {
                    let players = &mut defs["GameServerSelector"]["properties"]["players"];
                    players["deprecated"] = json!(true);
                    players["description"] = json!(format!("Ignored: Agones {} has no players filter (removed in 1.59); the allocation API drops it.", release.version));
                }
            }
        }
        _ => {}
    }
    schema
}

/// The same without the Kubernetes Pod template definitions, which `checks::pod` walks itself:
/// what the validator compiles (building it here is cheaper than parsing the committed file).
pub fn generate_for_validator(kind: Kind) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = match kind {
        Kind::Fleet => generator.into_root_schema_for::<Fleet>().to_value(),
        Kind::FleetAutoscaler => generator
            .into_root_schema_for::<FleetAutoscaler>()
            .to_value(),
        Kind::GameServer => generator.into_root_schema_for::<GameServer>().to_value(),
        Kind::GameServerAllocation => generator
            .into_root_schema_for::<GameServerAllocation>()
            .to_value(),
        Kind::Scenario => generator
            .into_root_schema_for::<crate::scenario::spec::Scenario>()
            .to_value(),
    };
    strip_nulls_and_close(&mut schema);
    schema["properties"]["apiVersion"] = json!({"type": "string", "enum": [kind.api_version()]});
    schema["properties"]["kind"] = json!({"type": "string", "enum": [kind.name()]});
    if kind == Kind::FleetAutoscaler {
        shape_fleet_autoscaler(&mut schema);
    }
    schema
}

/// The CRDs embed Kubernetes' PodTemplateSpec schema as a GameServer's `template`.
fn embed_pod_template(schema: &mut Value, pod: &serde_json::Map<String, Value>) {
    let defs = &mut schema["$defs"];
    defs["GameServerSpec"]["properties"]["template"] =
        json!({"$ref": format!("#/$defs/{}", super::podtemplate::ROOT)});
    for (name, def) in pod {
        defs[name] = def.clone();
    }
}

/// The file name under `schemas/`.
pub fn file_name(kind: Kind) -> String {
    format!("{}.json", kind.name().to_ascii_lowercase())
}

/// The editor schemas in the layout of the CRDs catalog that yaml-language-server reads
/// (`<group>/<kind>_<version>.json`): every Agones kind, GameServerSet included, with the
/// descriptions of [`super::describe`]. Paths are relative to the catalog's root.
pub fn catalog(release: &Release) -> Vec<(String, Value)> {
    let generate_of = |kind, release| {
        let mut schema = shaped_for(kind, release, Dropped::Deprecated);
        if matches!(kind, Kind::Fleet | Kind::GameServer) {
            embed_pod_template(&mut schema, release.pod_definitions());
        }
        schema
    };
    let fleet = generate_of(Kind::Fleet, release);
    let mut out = vec![
        ("agones.dev", "GameServerSet", game_server_set(&fleet)),
        ("agones.dev", "Fleet", fleet),
    ];
    for kind in [
        Kind::GameServer,
        Kind::FleetAutoscaler,
        Kind::GameServerAllocation,
    ] {
        let group = kind.api_version().split('/').next().unwrap_or_default();
        out.push((group, kind.name(), generate_of(kind, release)));
    }
    out.into_iter()
        .map(|(group, kind, mut schema)| {
            super::describe::apply(&mut schema, kind);
            accept_pruned_nulls(&mut schema);
            (
                format!("{group}/{}_v1.json", kind.to_ascii_lowercase()),
                schema,
            )
        })
        .collect()
}

/// The API server drops a field set to `null` before it validates (unless the field is
/// nullable), so `capacity: null` is accepted; lint strips nulls first, and an editor
/// checking the text as written needs every property to take `null` too.
fn accept_pruned_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            // A required field set to null is dropped and then missing: it stays non-null.
            let required: Vec<Value> = match map.get("required") {
                Some(Value::Array(r)) => r.clone(),
                _ => Vec::new(),
            };
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                for (name, prop) in props.iter_mut() {
                    if !required.contains(&Value::String(name.clone())) {
                        accept_null(prop);
                    }
                }
            }
            for child in map.values_mut() {
                accept_pruned_nulls(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(accept_pruned_nulls),
        _ => {}
    }
}

fn accept_null(prop: &mut Value) {
    let Value::Object(p) = prop else { return };
    if let Some(Value::Array(values)) = p.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    match p.get("type").cloned() {
        Some(Value::String(t)) => {
            p.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(mut ts)) => {
            if !ts.contains(&json!("null")) {
                ts.push(json!("null"));
            }
            p.insert("type".into(), Value::Array(ts));
        }
        _ => {
            if let Some(r) = p.remove("$ref") {
                p.insert("anyOf".into(), json!([{"$ref": r}, {"type": "null"}]));
            }
        }
    }
}

/// A GameServerSet is what a Fleet makes for each template it runs: a Fleet's spec without
/// the update strategy, and a status that also counts GameServers shutting down.
fn game_server_set(fleet: &Value) -> Value {
    let mut schema = fleet.clone();
    schema["title"] = json!("GameServerSet");
    schema["description"] = json!("GameServerSet (agones.dev/v1): made and managed by a Fleet, one per template version; edit the Fleet instead.");
    schema["properties"]["kind"] =
        json!({"type": "string", "enum": ["GameServerSet"], "description": "The kind of object."});
    schema["properties"]["spec"] = json!({"$ref": "#/$defs/GameServerSetSpec", "description": "The GameServers this set keeps running."});
    schema["properties"]["status"]["$ref"] = json!("#/$defs/GameServerSetStatus");
    let defs = &mut schema["$defs"];
    let mut spec = defs["FleetSpec"].clone();
    remove_props(&mut spec, &["strategy"]);
    let mut status = defs["FleetStatus"].clone();
    status["properties"]["shutdownReplicas"] =
        json!({"type": "integer", "format": "int32", "description": "GameServers shutting down."});
    defs["GameServerSetSpec"] = spec;
    defs["GameServerSetStatus"] = status;
    schema
}

pub const ALL_KINDS: &[Kind] = &[
    Kind::Fleet,
    Kind::FleetAutoscaler,
    Kind::GameServer,
    Kind::GameServerAllocation,
    Kind::Scenario,
];

fn strip_nulls_and_close(v: &mut Value) {
    match v {
        Value::Object(map) => {
            // `anyOf: [X, {type: null}]` → X
            if let Some(Value::Array(any)) = map.get("anyOf") {
                let non_null: Vec<Value> = any
                    .iter()
                    .filter(|s| s.get("type") != Some(&json!("null")))
                    .cloned()
                    .collect();
                if non_null.len() == 1 && any.len() == 2 {
                    map.remove("anyOf");
                    if let Value::Object(inner) = &non_null[0] {
                        for (k, val) in inner {
                            map.insert(k.clone(), val.clone());
                        }
                    }
                }
            }
            // `type: [T, "null"]` → T
            if let Some(Value::Array(types)) = map.get("type") {
                let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                if kept.len() == 1 {
                    map.insert("type".into(), kept[0].clone());
                } else if kept.len() != types.len() {
                    map.insert("type".into(), Value::Array(kept));
                }
            }
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            // Optional fields get `default: null` from schemars; it means nothing here.
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            for (_, child) in map.iter_mut() {
                strip_nulls_and_close(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls_and_close),
        _ => {}
    }
}

fn set_enum(policy: &mut Value, allowed: &[&str]) {
    policy["properties"]["type"]["enum"] = json!(allowed);
}

fn remove_props(obj: &mut Value, names: &[&str]) {
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for n in names {
            props.remove(*n);
        }
    }
}

/// The CRD allows Schedule and Chain only at the top level, Schedule (not Chain) in a chain
/// entry, and neither inside a schedule.
fn shape_fleet_autoscaler(schema: &mut Value) {
    let defs = &mut schema["$defs"];
    let mut inner = defs["FleetAutoscalerPolicy"].clone();
    remove_props(&mut inner, &["schedule", "chain"]);
    set_enum(
        &mut inner,
        &["Buffer", "Webhook", "Counter", "List", "Wasm"],
    );
    defs["PolicyInSchedule"] = inner;
    defs["SchedulePolicy"]["properties"]["policy"] = json!({"$ref": "#/$defs/PolicyInSchedule"});
    let entry = &mut defs["ChainEntry"];
    remove_props(entry, &["chain"]);
    set_enum(
        entry,
        &["Buffer", "Webhook", "Counter", "List", "Wasm", "Schedule"],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schemas_are_current() {
        for kind in ALL_KINDS {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("schemas")
                .join(file_name(*kind));
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            let current = serde_json::to_string_pretty(&generate(*kind)).unwrap() + "\n";
            assert!(
                committed == current,
                "{} is stale: run `cargo run -- schema --write`",
                path.display()
            );
        }
    }
}
