//! The structural layer: the Agones CRD schema, as committed under `schemas/`, applied to the
//! object's JSON. Validator errors become findings with the linter's own words.

use std::collections::HashMap;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::Validator;
use serde_json::Value;

use crate::model::release::Release;
use crate::model::Kind;
use crate::source::tree::{path_to_string, Node, Step};
use crate::suggest;

use super::rules::{SCH001, SCH002, SCH003, SCH004, SCH006};
use super::{join, Raw};

struct Compiled {
    schema: Value,
    validator: Validator,
}

/// What of a kind's CRD differs between releases (model::schema::generate_for_validator_of).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Variant {
    wasm_policy: bool,
    players_selector: bool,
}

impl Variant {
    fn of(kind: Kind, release: &Release) -> Variant {
        let b = release.behaviour;
        Variant {
            wasm_policy: kind == Kind::FleetAutoscaler && b.wasm_policy,
            players_selector: kind == Kind::GameServerAllocation && b.allocation_players_selector,
        }
    }

    const ALL: [Variant; 4] = [
        Variant {
            wasm_policy: false,
            players_selector: false,
        },
        Variant {
            wasm_policy: true,
            players_selector: false,
        },
        Variant {
            wasm_policy: false,
            players_selector: true,
        },
        Variant {
            wasm_policy: true,
            players_selector: true,
        },
    ];
}

/// The kind's validator as `release`'s CRD has it, compiled on first use (a run that lints
/// only autoscalers never pays for the others). The Pod template is checked by `checks::pod`,
/// which walks the Kubernetes definitions directly: compiling them into a validator would cost
/// every process tens of milliseconds.
fn compiled(kind: Kind, release: &'static Release) -> &'static Compiled {
    static CACHE: OnceLock<HashMap<(Kind, Variant), OnceLock<Compiled>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        crate::model::schema::ALL_KINDS
            .iter()
            .flat_map(|k| {
                Variant::ALL
                    .iter()
                    .map(move |v| ((*k, *v), OnceLock::new()))
            })
            .collect()
    });
    cache[&(kind, Variant::of(kind, release))].get_or_init(|| {
        // The committed schemas are this generation plus the Pod template (a test keeps them
        // equal); a failure here is a build defect, not bad input.
        let mut schema = crate::model::schema::generate_for_validator_of(kind, release);
        if let Some(spec) = schema
            .get_mut("$defs")
            .and_then(|d| d.get_mut("GameServerSpec"))
        {
            spec["properties"]["template"] = serde_json::json!({"type": "object"});
        }
        // Compiled as draft 7, though generated as 2020-12: the schemas use only keywords both
        // drafts read alike (no `$ref` with sibling constraints, no 2020-12-only keyword), and
        // checking a schema against draft 7's meta-schema costs a third of what 2020-12's
        // does, which is most of a one-file run. Formats stay annotations, as in 2020-12 (the
        // API server reads `date-time` and `int32` as hints).
        let validator = jsonschema::draft7::options()
            .should_validate_formats(false)
            .build(&schema)
            .expect("generated schema compiles");
        Compiled { schema, validator }
    })
}

/// Compiles every kind's validator now rather than on the first object (a server warms up).
pub fn warm(release: &'static Release) {
    for k in crate::model::schema::ALL_KINDS {
        compiled(*k, release);
    }
    crate::model::podschema::pod_schema_of(release);
}

/// Drops `null` map values, as the API server does for fields that are not nullable.
pub fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Follows `path` through the schema (`$ref`, `properties`, `items`) to the subschema there.
fn subschema_at<'a>(root: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let mut cur = resolve(root, root);
    for step in path {
        cur = match step {
            Step::Key(k) => cur.get("properties")?.get(k.as_str())?,
            Step::Index(_) => cur.get("items")?,
        };
        cur = resolve(root, cur);
    }
    Some(cur)
}

fn resolve<'a>(root: &'a Value, mut s: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match s
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            Some(name) => s = &root["$defs"][name],
            None => break,
        }
    }
    s
}

pub(crate) fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A JSON Schema type in the findings' words.
pub(crate) fn type_words(t: &str) -> &'static str {
    match t {
        "integer" => "an integer",
        "string" => "a string",
        "object" => "a mapping",
        "array" => "a list",
        "boolean" => "a boolean",
        "number" => "a number",
        _ => "another type",
    }
}

fn expected_type(kind: &TypeKind) -> String {
    let name = type_words;
    match kind {
        TypeKind::Single(t) => name(&t.to_string()).to_string(),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| name(&t.to_string()))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

pub(crate) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// Validates `json` (already stripped of nulls) against the kind's schema.
pub fn check(kind: Kind, release: &'static Release, json: &Value, root: &Node, out: &mut Vec<Raw>) {
    let c = compiled(kind, release);
    let template_path = crate::model::podtemplate::path_in(kind);
    if !template_path.is_empty() {
        let template = template_path.iter().try_fold(json, |v, k| v.get(*k));
        if let Some(t) = template.filter(|t| t.is_object()) {
            let at: Vec<Step> = template_path
                .iter()
                .map(|k| Step::Key((*k).into()))
                .collect();
            super::pod::check(
                t,
                crate::model::podschema::pod_schema_of(release),
                &at,
                root,
                out,
            );
        }
    }
    // Most objects are valid; asking first spares collecting (and allocating) errors.
    if c.validator.is_valid(json) {
        return;
    }
    for err in c.validator.iter_errors(json) {
        let path: Vec<Step> = err
            .instance_path()
            .iter()
            .map(|seg| match seg {
                LocationSegment::Property(p) => Step::Key(p.as_ref().into()),
                LocationSegment::Index(i) => Step::Index(i),
            })
            .collect();
        let field = path.last().map(|s| match s {
            Step::Key(k) => format!("`{k}`"),
            Step::Index(i) => format!("item {i}"),
        });
        let at = if path.is_empty() {
            "the object".to_string()
        } else {
            path_to_string(&path)
        };
        let instance: &Value = err.instance();
        match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed: Vec<String> = subschema_at(&c.schema, &path)
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                for name in unexpected {
                    let mut raw = if kind.has_crd() {
                        Raw::new(
                            &SCH001,
                            join(&path, name.as_str()),
                            format!("unknown field `{name}` in {at}; `kubectl apply` rejects it (strict field validation)"),
                        )
                    } else {
                        Raw::new(
                            &SCH006,
                            join(&path, name.as_str()),
                            format!("unknown field `{name}` in {at}; Agones ignores it"),
                        )
                    };
                    if let Some(p) =
                        crate::fix::rename_to_nearest(name, allowed.iter().map(String::as_str))
                    {
                        raw = raw.fix(p);
                    }
                    raw = match suggest::closest(name, allowed.iter().map(String::as_str)) {
                        Some(s) => raw.help(format!("did you mean `{s}`?")),
                        None if allowed.is_empty() => raw.help(
                            "remove it; kubectl's strict field validation rejects unknown fields",
                        ),
                        None => raw.help(format!(
                            "remove it (kubectl rejects unknown fields); known fields here: {}",
                            allowed.join(", ")
                        )),
                    };
                    out.push(raw);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                out.push(
                    Raw::new(
                        &SCH003,
                        path.clone(),
                        format!("{at} is missing the required field `{name}`"),
                    )
                    .help(if kind == Kind::Scenario {
                        format!("add `{name}`; a Scenario needs it")
                    } else {
                        format!("add `{name}`; the Agones CRD requires it")
                    }),
                );
            }
            ValidationErrorKind::Type { kind: expected } => {
                let mut raw = Raw::new(
                    &SCH002,
                    path.clone(),
                    format!(
                        "{} must be {}, not {} ({})",
                        field.clone().unwrap_or_else(|| "the object".into()),
                        expected_type(expected),
                        json_type_name(instance),
                        short(instance)
                    ),
                );
                let located = root.locate(&path);
                let plain = if located.1 == path.len() {
                    root.at(&path).and_then(|n| n.plain.clone())
                } else {
                    None
                };
                raw = match plain {
                    Some(text) if matches!(instance, Value::Bool(_) | Value::Number(_)) && expected_type(expected).contains("string") => raw.help(format!(
                        "Kubernetes reads YAML 1.1, where the unquoted `{text}` is {}; quote it: \"{text}\"",
                        json_type_name(instance)
                    )).fix(crate::fix::quote_plain(&text)),
                    _ => raw.help(format!("write {} here", expected_type(expected))),
                };
                if let (Value::String(text), true) =
                    (instance, expected_type(expected).contains("integer"))
                {
                    if let Some(p) = crate::fix::unquote_integer(text) {
                        raw = raw.fix(p);
                    }
                }
                out.push(raw);
            }
            ValidationErrorKind::Enum { options } => {
                let opts: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let given = instance.as_str().unwrap_or_default();
                let mut raw = Raw::new(
                    &SCH004,
                    path.clone(),
                    format!(
                        "{} is {}, which is not one of: {}",
                        field.clone().unwrap_or_default(),
                        short(instance),
                        opts.join(", ")
                    ),
                );
                if let Some(p) = crate::fix::replace_with_nearest(given, opts.iter().copied()) {
                    raw = raw.fix(p);
                }
                if let Some(s) = suggest::closest(given, opts.iter().copied()) {
                    raw = raw.help(format!("did you mean `{s}`?"));
                } else {
                    raw = raw.help(format!("use one of: {}", opts.join(", ")));
                }
                out.push(raw);
            }
            ValidationErrorKind::Pattern { pattern } => {
                let (what, help) = pattern_words(pattern);
                out.push(
                    Raw::new(
                        &SCH004,
                        path.clone(),
                        format!(
                            "{} is {}, which is not {what}",
                            field.clone().unwrap_or_default(),
                            short(instance)
                        ),
                    )
                    .help(help),
                );
            }
            ValidationErrorKind::Minimum { limit } => out.push(
                Raw::new(
                    &SCH004,
                    path.clone(),
                    format!(
                        "{} is {}, below the minimum {limit}",
                        field.clone().unwrap_or_default(),
                        short(instance)
                    ),
                )
                .help(format!("use a value of at least {limit}")),
            ),
            ValidationErrorKind::Maximum { limit } => out.push(
                Raw::new(
                    &SCH004,
                    path.clone(),
                    format!(
                        "{} is {}, above the maximum {limit}",
                        field.clone().unwrap_or_default(),
                        short(instance)
                    ),
                )
                .help(format!("use a value of at most {limit}")),
            ),
            ValidationErrorKind::MinLength { limit } => out.push(
                Raw::new(
                    &SCH004,
                    path.clone(),
                    format!(
                        "{} is shorter than {limit} characters",
                        field.clone().unwrap_or_default()
                    ),
                )
                .help(format!("use at least {limit} characters")),
            ),
            ValidationErrorKind::MaxLength { limit } => out.push(
                Raw::new(
                    &SCH004,
                    path.clone(),
                    format!(
                        "{} is longer than {limit} characters",
                        field.clone().unwrap_or_default()
                    ),
                )
                .help(format!("use at most {limit} characters")),
            ),
            ValidationErrorKind::UniqueItems => out.push(
                Raw::new(
                    &SCH004,
                    path.clone(),
                    format!(
                        "{} repeats an item; the CRD holds a List's values as a set",
                        field.clone().unwrap_or_default()
                    ),
                )
                .help("remove the repeated values"),
            ),
            _ => out.push(
                Raw::new(&SCH004, path.clone(), format!("{at}: {err}"))
                    .help("change the value to what the Agones CRD accepts"),
            ),
        }
    }
}

fn pattern_words(pattern: &str) -> (&'static str, &'static str) {
    if pattern.contains("{64}") {
        (
            "a sha256 hash (64 hexadecimal characters)",
            "compute it with `sha256sum module.wasm` and paste the hex digest",
        )
    } else if pattern.contains("[-\\.a-z0-9]") {
        ("a valid Fleet name", "use lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit")
    } else {
        (
            "in the expected format",
            "change the value to match the format the Agones CRD requires",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The validator compiles the schemas as draft 7 (see `compiled`): that reads them as
    /// 2020-12 would only while no `$ref` has sibling constraints (draft 7 ignores them) and no
    /// keyword exists only in 2020-12.
    #[test]
    fn the_schemas_read_the_same_in_draft_7() {
        fn walk(v: &Value, at: &str, bad: &mut Vec<String>) {
            match v {
                Value::Object(map) => {
                    if map.contains_key("$ref") {
                        for k in map.keys() {
                            if !matches!(k.as_str(), "$ref" | "description" | "default" | "title") {
                                bad.push(format!("{at}: `{k}` beside `$ref`"));
                            }
                        }
                    }
                    for k in [
                        "prefixItems",
                        "dependentRequired",
                        "dependentSchemas",
                        "unevaluatedProperties",
                        "unevaluatedItems",
                        "$dynamicRef",
                        "$anchor",
                        "minContains",
                        "maxContains",
                    ] {
                        if map.contains_key(k) {
                            bad.push(format!("{at}: `{k}`"));
                        }
                    }
                    for (k, child) in map {
                        walk(child, &format!("{at}/{k}"), bad);
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        walk(child, &format!("{at}/{i}"), bad);
                    }
                }
                _ => {}
            }
        }
        let mut bad = Vec::new();
        for kind in crate::model::schema::ALL_KINDS {
            for release in crate::model::release::all() {
                walk(&compiled(*kind, release).schema, kind.name(), &mut bad);
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }
}
