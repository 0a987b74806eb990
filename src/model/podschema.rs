//! The Pod template definitions (`model::podtemplate`) compiled once into a graph of nodes:
//! `$ref`s resolved, types as flags, properties sorted for binary search. Every Fleet's and
//! GameServer's template is walked against it twice or more per create (schema check, the
//! mutating webhook's round trip), so a walk must not hash schema keywords at every field.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::podtemplate::{POINTER_MARK, QUANTITY_MARK, ROOT};

/// Index of a node in [`PodSchema::nodes`].
pub type NodeId = usize;

/// The JSON Schema types a node accepts (`type`), as flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Types(u8);

impl Types {
    pub const STRING: Types = Types(1);
    pub const BOOLEAN: Types = Types(2);
    pub const OBJECT: Types = Types(4);
    pub const ARRAY: Types = Types(8);
    pub const NUMBER: Types = Types(16);
    pub const INTEGER: Types = Types(32);
    const NAMES: [(Types, &'static str); 6] = [
        (Types::STRING, "string"),
        (Types::BOOLEAN, "boolean"),
        (Types::OBJECT, "object"),
        (Types::ARRAY, "array"),
        (Types::NUMBER, "number"),
        (Types::INTEGER, "integer"),
    ];

    fn of(name: &str) -> Types {
        Types::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map_or(Types(0), |(t, _)| *t)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, t: Types) -> bool {
        self.0 & t.0 != 0
    }

    /// Whether a JSON value is of one of these types.
    pub fn admits(self, v: &Value) -> bool {
        match v {
            Value::String(_) => self.contains(Types::STRING),
            Value::Bool(_) => self.contains(Types::BOOLEAN),
            Value::Object(_) => self.contains(Types::OBJECT),
            Value::Array(_) => self.contains(Types::ARRAY),
            Value::Number(n) => {
                self.contains(Types::NUMBER)
                    || (self.contains(Types::INTEGER)
                        && (n.is_i64()
                            || n.is_u64()
                            || n.as_f64().is_some_and(|f| f.fract() == 0.0)))
            }
            Value::Null => false,
        }
    }
}

/// One schema object, after `$ref`s.
#[derive(Debug, Default)]
pub struct SchemaNode {
    pub types: Types,
    /// `type` as written, for messages.
    pub type_names: Vec<&'static str>,
    /// `format: int32`: Go decodes into a 32-bit integer.
    pub int32: bool,
    /// A `resource.Quantity` (a string or a number that must parse as one).
    pub quantity: bool,
    /// A Go pointer field: an empty string is kept, not dropped as `omitempty` would.
    pub pointer: bool,
    /// `properties`, sorted by length, then name ([`by_length`]); `None` when the schema has
    /// none.
    pub properties: Option<Vec<(&'static str, NodeId)>>,
    /// The property names in the schema's order (suggestions prefer the earlier of equals).
    pub declared: Vec<&'static str>,
    /// `additionalProperties: false`.
    pub closed: bool,
    /// `additionalProperties` as a schema: the values of a map.
    pub values: Option<NodeId>,
    pub items: Option<NodeId>,
    pub required: Vec<&'static str>,
    pub enum_values: Option<Vec<&'static str>>,
}

impl SchemaNode {
    pub fn property(&self, name: &str) -> Option<NodeId> {
        let props = self.properties.as_ref()?;
        props
            .binary_search_by_key(&by_length(name), |(k, _)| by_length(k))
            .ok()
            .map(|i| props[i].1)
    }

    pub fn property_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.declared.iter().copied()
    }

    pub fn is_required(&self, name: &str) -> bool {
        self.required.contains(&name)
    }
}

/// The order properties are searched in: most comparisons end at the length, without
/// comparing bytes.
fn by_length(name: &str) -> (usize, &str) {
    (name.len(), name)
}

#[derive(Debug)]
pub struct PodSchema {
    pub nodes: Vec<SchemaNode>,
    /// The `PodTemplateSpec` definition.
    pub root: NodeId,
}

impl PodSchema {
    pub fn node(&self, id: NodeId) -> &SchemaNode {
        &self.nodes[id]
    }
}

/// The compiled definitions of the newest release's Kubernetes minor.
pub fn pod_schema() -> &'static PodSchema {
    pod_schema_of(super::release::newest())
}

/// The compiled definitions of the Kubernetes minor `release` embeds, built on first use
/// (once per minor and process; every object of a run asks, so the look-up takes no lock).
pub fn pod_schema_of(release: &super::release::Release) -> &'static PodSchema {
    static CACHE: OnceLock<Vec<(&'static str, OnceLock<PodSchema>)>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        super::release::pod_schema_minors()
            .map(|m| (m, OnceLock::new()))
            .collect()
    });
    let minor = release.kubernetes.pod_schema.as_str();
    match cache.iter().find(|(m, _)| *m == minor) {
        Some((_, cell)) => cell.get_or_init(|| compile(release.pod_definitions())),
        None => {
            static BASE: OnceLock<PodSchema> = OnceLock::new();
            BASE.get_or_init(|| compile(super::podtemplate::definitions()))
        }
    }
}

fn compile(defs: &'static Map<String, Value>) -> PodSchema {
    let mut c = Compiler {
        defs,
        nodes: Vec::new(),
        by_def: HashMap::new(),
    };
    let root = c
        .definition(ROOT)
        .unwrap_or_else(|| c.push(SchemaNode::default()));
    PodSchema {
        nodes: c.nodes,
        root,
    }
}

struct Compiler {
    defs: &'static Map<String, Value>,
    nodes: Vec<SchemaNode>,
    by_def: HashMap<&'static str, NodeId>,
}

impl Compiler {
    fn push(&mut self, node: SchemaNode) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// A definition's node, compiled once (definitions refer to each other, and to themselves).
    /// A definition that only refers to another is that other.
    fn definition(&mut self, name: &str) -> Option<NodeId> {
        let mut name = name;
        for _ in 0..8 {
            match reference(self.defs.get(name)?) {
                Some(next) => name = next,
                None => break,
            }
        }
        if let Some(id) = self.by_def.get(name) {
            return Some(*id);
        }
        let (key, schema) = self.defs.get_key_value(name)?;
        let id = self.push(SchemaNode::default());
        self.by_def.insert(key.as_str(), id);
        let node = self.compile_object(schema);
        self.nodes[id] = node;
        Some(id)
    }

    fn compile(&mut self, schema: &'static Value) -> NodeId {
        match reference(schema) {
            Some(name) => match self.definition(name) {
                Some(id) => id,
                // A dangling reference checks nothing, as the walk over JSON did.
                None => self.push(SchemaNode::default()),
            },
            None => {
                let node = self.compile_object(schema);
                self.push(node)
            }
        }
    }

    fn compile_object(&mut self, schema: &'static Value) -> SchemaNode {
        if reference(schema).is_some() {
            // References nested deeper than `definition` follows: left unchecked.
            return SchemaNode::default();
        }
        let type_names: Vec<&'static str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        // A type name outside JSON's (as `null`) admits every value, as the walk over JSON did.
        let types = if type_names.iter().any(|t| Types::of(t).is_empty()) {
            Types(0)
        } else {
            type_names
                .iter()
                .fold(Types(0), |acc, t| Types(acc.0 | Types::of(t).0))
        };
        let declared: Vec<&'static str> = match schema.get("properties") {
            Some(Value::Object(props)) => props.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        let properties = match schema.get("properties") {
            Some(Value::Object(props)) => {
                let mut compiled: Vec<(&'static str, NodeId)> = props
                    .iter()
                    .map(|(k, v)| (k.as_str(), self.compile(v)))
                    .collect();
                compiled.sort_by_key(|(k, _)| by_length(k));
                Some(compiled)
            }
            _ => None,
        };
        let additional = schema.get("additionalProperties");
        let values = match additional {
            Some(v) if v.is_object() => Some(self.compile(v)),
            _ => None,
        };
        let items = schema.get("items").map(|v| self.compile(v));
        SchemaNode {
            types,
            type_names,
            int32: schema.get("format").and_then(Value::as_str) == Some("int32"),
            quantity: schema.get(QUANTITY_MARK).is_some(),
            pointer: schema.get(POINTER_MARK).is_some(),
            properties,
            declared,
            closed: additional == Some(&Value::Bool(false)),
            values,
            items,
            required: super::podtemplate::required(schema).collect(),
            enum_values: match schema.get("enum") {
                Some(Value::Array(options)) => {
                    Some(options.iter().filter_map(Value::as_str).collect())
                }
                _ => None,
            },
        }
    }
}

fn reference(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_resolved_and_properties_found() {
        let s = pod_schema();
        let root = s.node(s.root);
        let spec = s.node(root.property("spec").expect("PodTemplateSpec.spec"));
        let containers = s.node(spec.property("containers").expect("PodSpec.containers"));
        assert!(containers.types.contains(Types::ARRAY));
        let container = s.node(containers.items.expect("items"));
        assert!(container.is_required("name"));
        let policy = s.node(container.property("imagePullPolicy").unwrap());
        assert!(policy
            .enum_values
            .as_ref()
            .is_some_and(|v| v.contains(&"IfNotPresent")));
        let resources = s.node(container.property("resources").unwrap());
        let limits = s.node(resources.property("limits").unwrap());
        assert!(s.node(limits.values.unwrap()).quantity);
        assert!(container.property("limits").is_none());
        assert!(container.closed);
    }

    #[test]
    fn types_admit_what_json_schema_does() {
        let int = Types::INTEGER;
        assert!(int.admits(&serde_json::json!(3)));
        assert!(int.admits(&serde_json::json!(3.0)));
        assert!(!int.admits(&serde_json::json!(3.5)));
        assert!(!Types::STRING.admits(&serde_json::json!(1)));
        assert!(Types::NUMBER.admits(&serde_json::json!(1)));
    }
}
