//! The CRD schema's Pod template part: a GameServer's `template` against the Kubernetes
//! `PodTemplateSpec` definitions (`model::podtemplate`). They use a small part of JSON Schema
//! (`type`, `properties`, closed objects, maps, `items`, `required`, `enum`, `$ref`), so this
//! walks them itself, as compiled once by `model::podschema`, with the same findings and words
//! as the rest of the schema check.

use serde_json::Value;

use crate::model::podschema::{NodeId, PodSchema, SchemaNode};
use crate::source::tree::{path_to_string, Node, Step};
use crate::suggest;

use super::rules::{SCH001, SCH002, SCH003, SCH004, SCH005};
use super::schema::{json_type_name, short, type_words};
use super::Raw;

/// Deep enough for any real Pod template; deeper values are left unchecked rather than
/// recursed into without bound.
const MAX_DEPTH: usize = 64;

/// Checks `template` (found at `at` in the object) and pushes what the schema rejects.
pub fn check(template: &Value, schema: &PodSchema, at: &[Step], root: &Node, out: &mut Vec<Raw>) {
    let mut trail = Trail {
        base: at,
        steps: Vec::new(),
    };
    walk(template, schema, schema.root, &mut trail, root, out);
}

/// The path of the value being walked, its keys borrowed from the template: most values
/// are fine, and only a finding needs an owned path.
struct Trail<'a> {
    base: &'a [Step],
    steps: Vec<Borrowed<'a>>,
}

#[derive(Clone, Copy)]
enum Borrowed<'a> {
    Key(&'a str),
    Index(usize),
}

impl Trail<'_> {
    fn path(&self) -> Vec<Step> {
        let mut path = self.base.to_vec();
        path.extend(self.steps.iter().map(|s| match s {
            Borrowed::Key(k) => Step::Key((*k).into()),
            Borrowed::Index(i) => Step::Index(*i),
        }));
        path
    }

    fn depth(&self) -> usize {
        self.base.len() + self.steps.len()
    }
}

fn field_name(path: &[Step]) -> String {
    match path.last() {
        Some(Step::Key(k)) => format!("`{k}`"),
        Some(Step::Index(i)) => format!("item {i}"),
        None => "the object".into(),
    }
}

fn walk<'a>(
    value: &'a Value,
    all: &PodSchema,
    at: NodeId,
    trail: &mut Trail<'a>,
    root: &Node,
    out: &mut Vec<Raw>,
) {
    if trail.depth() > MAX_DEPTH {
        return;
    }
    let schema: &SchemaNode = all.node(at);
    if !schema.types.is_empty() && !schema.types.admits(value) {
        let path = &trail.path();
        let types = &schema.type_names;
        let expected = types
            .iter()
            .map(|t| type_words(t))
            .collect::<Vec<_>>()
            .join(" or ");
        let mut raw = Raw::new(
            &SCH002,
            path.clone(),
            format!(
                "{} must be {expected}, not {} ({})",
                field_name(path),
                json_type_name(value),
                short(value)
            ),
        );
        let plain = root.at(path).and_then(|n| n.plain.clone());
        raw = match plain {
            Some(text) if types.contains(&"string") && (value.is_boolean() || value.is_number()) => raw.help(format!(
                "Kubernetes reads YAML 1.1, where the unquoted `{text}` is {}; quote it: \"{text}\"",
                json_type_name(value)
            )).fix(crate::fix::quote_plain(&text)),
            _ => raw.help(format!("write {expected} here")),
        };
        if let (Some(text), true) = (value.as_str(), types.contains(&"integer")) {
            if let Some(p) = crate::fix::unquote_integer(text) {
                raw = raw.fix(p);
            }
        }
        out.push(raw);
        return;
    }
    // The schema takes any integer; Agones' decoding into `int32` fields does not, and the
    // validating webhook then refuses the object.
    if schema.int32 {
        if let Some(n) = value
            .as_f64()
            .filter(|n| *n < f64::from(i32::MIN) || *n > f64::from(i32::MAX))
        {
            let path = &trail.path();
            out.push(
                Raw::new(
                    &SCH005,
                    path.clone(),
                    format!("{} is {n}, beyond the 32-bit integer Kubernetes stores there, so Agones cannot decode the object", field_name(path)),
                )
                .help("use a value between -2147483648 and 2147483647"),
            );
            return;
        }
    }
    match value {
        Value::Object(map) => {
            if schema.properties.is_some() {
                for (key, child) in map {
                    trail.steps.push(Borrowed::Key(key));
                    match schema.property(key) {
                        Some(sub) => walk(child, all, sub, trail, root, out),
                        None if schema.closed => out.push(unknown(key, &trail.path(), schema)),
                        None => {}
                    }
                    trail.steps.pop();
                }
                for name in &schema.required {
                    if !map.contains_key(*name) {
                        let path = &trail.path();
                        out.push(
                            Raw::new(
                                &SCH003,
                                path.clone(),
                                format!(
                                    "{} is missing the required field `{name}`",
                                    path_to_string(path)
                                ),
                            )
                            .help(format!("add `{name}`; the Pod template schema requires it")),
                        );
                    }
                }
            } else if let Some(values) = schema.values {
                for (key, child) in map {
                    trail.steps.push(Borrowed::Key(key));
                    walk(child, all, values, trail, root, out);
                    trail.steps.pop();
                }
            }
        }
        Value::Array(list) => {
            if let Some(items) = schema.items {
                for (i, child) in list.iter().enumerate() {
                    trail.steps.push(Borrowed::Index(i));
                    walk(child, all, items, trail, root, out);
                    trail.steps.pop();
                }
            }
        }
        Value::String(s) => {
            if let Some(opts) = &schema.enum_values {
                if !opts.contains(&s.as_str()) {
                    let path = &trail.path();
                    let mut raw = Raw::new(
                        &SCH004,
                        path.clone(),
                        format!(
                            "{} is {}, which is not one of: {}",
                            field_name(path),
                            short(value),
                            opts.join(", ")
                        ),
                    );
                    if let Some(p) = crate::fix::replace_with_nearest(s, opts.iter().copied()) {
                        raw = raw.fix(p);
                    }
                    raw = match suggest::closest(s, opts.iter().copied()) {
                        Some(m) => raw.help(format!("did you mean `{m}`?")),
                        None => raw.help(format!("use one of: {}", opts.join(", "))),
                    };
                    out.push(raw);
                }
            }
        }
        _ => {}
    }
}

fn unknown(key: &str, path: &[Step], schema: &SchemaNode) -> Raw {
    let parent = &path[..path.len() - 1];
    let at = path_to_string(parent);
    let mut raw = Raw::new(
        &SCH001,
        path.to_vec(),
        format!(
            "unknown field `{key}` in {at}; `kubectl apply` rejects it (strict field validation)"
        ),
    );
    if let Some(p) = crate::fix::rename_to_nearest(key, schema.property_names()) {
        raw = raw.fix(p);
    }
    match suggest::closest(key, schema.property_names()) {
        Some(s) => raw.help(format!("did you mean `{s}`?")),
        None if key == "limits" || key == "requests" => {
            raw.help("resource limits and requests go under `resources:`")
        }
        None => raw.help(format!(
            "remove it; the Kubernetes {} does not have it",
            definition_name(parent)
        )),
    }
}

/// A readable name for where an unknown field was found (`Container`, `PodSpec`).
fn definition_name(path: &[Step]) -> &'static str {
    match path.iter().rev().find_map(|s| match s {
        Step::Key(k) => Some(k.as_str()),
        _ => None,
    }) {
        Some("containers" | "initContainers") => "Container",
        Some("spec") => "PodSpec",
        Some("metadata") => "ObjectMeta",
        _ => "Pod template at this place",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::podtemplate;
    use serde_json::json;

    fn findings(template: Value) -> Vec<(String, String)> {
        let root = Node {
            span: Default::default(),
            value: crate::source::tree::Value::Null,
            plain: None,
        };
        let mut out = Vec::new();
        check(
            &template,
            crate::model::podschema::pod_schema(),
            &[Step::Key("template".into())],
            &root,
            &mut out,
        );
        out.iter()
            .map(|r| (r.rule.code.to_string(), r.path_string()))
            .collect()
    }

    #[test]
    fn types_enums_unknown_and_required() {
        let got = findings(json!({"spec": {
            "containers": [{"name": "a", "imagePullPolicy": "Allways",
                "env": [{"name": "P", "value": 1}], "limits": {}}],
            "tolerations": [{"operator": "equal"}],
            "nodeSelector": {"pool": 1},
        }}));
        for want in [
            ("SCH004", "template.spec.containers[0].imagePullPolicy"),
            ("SCH002", "template.spec.containers[0].env[0].value"),
            ("SCH001", "template.spec.containers[0].limits"),
            ("SCH004", "template.spec.tolerations[0].operator"),
            ("SCH002", "template.spec.nodeSelector.pool"),
        ] {
            assert!(
                got.contains(&(want.0.to_string(), want.1.to_string())),
                "{want:?} in {got:?}"
            );
        }
        assert!(findings(json!({"spec": {}})).contains(&("SCH003".into(), "template.spec".into())));
    }

    #[test]
    fn valid_templates_pass() {
        assert!(findings(
            json!({"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{
            "name": "a", "image": "x", "ports": [{"containerPort": 7654, "protocol": "UDP"}],
            "resources": {"limits": {"cpu": "1", "memory": 1e9}},
            "livenessProbe": {"httpGet": {"port": "http"}}}]}})
        )
        .is_empty());
    }

    #[test]
    fn the_enum_table_matches_the_definitions() {
        for (def, prop, _, values) in podtemplate::ENUMS {
            assert_eq!(
                podtemplate::definitions()[*def]["properties"][*prop]["enum"],
                json!(values),
                "{def}.{prop}"
            );
        }
    }
}
