//! The document tree: a JSON-like value where every node remembers where it came from.

use serde_json::{Map, Number, Value as Json};

/// A position in a source file: 1-based line, 0-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A half-open range of positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    /// The source text of a plain scalar that YAML 1.1 read as something other than a string
    /// (`yes`, `0755`); used to explain type errors.
    pub plain: Option<Box<str>>,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// One step of a field path: `spec`, `chain`, `[1]`. Paths are copied and extended for
/// every field a check looks at; a key of up to 24 bytes (nearly all are) is held inline, so
/// copying a path allocates once, for the path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Key(compact_str::CompactString),
    Index(usize),
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The node at `path`, if the whole path exists.
    pub fn at(&self, path: &[Step]) -> Option<&Node> {
        let mut n = self;
        for s in path {
            n = match (s, &n.value) {
                (Step::Key(k), _) => n.get(k)?,
                (Step::Index(i), Value::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(n)
    }

    /// Follows `path` as far as it exists. Returns the deepest node reached, how many steps it
    /// took, and for a final map key the key's own span (a finding about a field points at
    /// its key, where the eye looks first).
    pub fn locate(&self, path: &[Step]) -> (Span, usize) {
        let mut node = self;
        let mut span = self.span;
        for (taken, step) in path.iter().enumerate() {
            match (step, &node.value) {
                (Step::Key(k), Value::Map(entries)) => {
                    match entries.iter().find(|e| e.key == k.as_str()) {
                        Some(e) => {
                            span = e.key_span;
                            node = &e.value;
                        }
                        None => return (span, taken),
                    }
                }
                (Step::Index(i), Value::Seq(items)) => match items.get(*i) {
                    Some(item) => {
                        span = item.span;
                        node = item;
                    }
                    None => return (span, taken),
                },
                _ => return (span, taken),
            }
        }
        (span, path.len())
    }

    /// The value as JSON, as Kubernetes would see it after reading the YAML.
    pub fn to_json(&self) -> Json {
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::Number((*i).into()),
            Value::UInt(u) => Json::Number((*u).into()),
            Value::Float(f) => float_to_json(*f),
            Value::Str(s) => Json::String(s.clone()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for e in entries {
                    map.insert(e.key.clone(), e.value.to_json());
                }
                Json::Object(map)
            }
        }
    }
}

impl Node {
    /// [`Node::to_json`] without the map entries whose value is `null`, as the API server
    /// reads fields that are not nullable (`checks::schema::strip_nulls`, in one pass).
    pub fn to_json_without_nulls(&self) -> Json {
        match &self.value {
            Value::Seq(items) => {
                Json::Array(items.iter().map(Node::to_json_without_nulls).collect())
            }
            Value::Map(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for e in entries {
                    let v = e.value.to_json_without_nulls();
                    if !v.is_null() {
                        map.insert(e.key.clone(), v);
                    }
                }
                Json::Object(map)
            }
            _ => self.to_json(),
        }
    }
}

/// Go's JSON encoder writes an integral float64 without a fraction, and the API server then
/// reads it as an integer: `replicas: 1e3` is a valid integer field. NaN and infinities have no
/// JSON form; they become null (the loader reports them).
fn float_to_json(f: f64) -> Json {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        Json::Number((f as i64).into())
    } else {
        Number::from_f64(f).map(Json::Number).unwrap_or(Json::Null)
    }
}

/// Renders a field path the way Kubernetes prints it: `spec.policy.chain[1].id`.
pub fn path_to_string(path: &[Step]) -> String {
    use std::fmt::Write as _;
    let length: usize = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.len() + 1,
            Step::Index(_) => 4,
        })
        .sum();
    let mut out = String::with_capacity(length);
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// Builds a path from a JSON Pointer-like list of segments, treating all-digit segments that
/// index into an array as indexes. Used to turn schema validator locations into field paths.
pub fn steps_from_json_pointer(root: &Json, segments: &[String]) -> Vec<Step> {
    let mut steps = Vec::with_capacity(segments.len());
    let mut cur = Some(root);
    for seg in segments {
        match cur {
            Some(Json::Array(items)) => {
                let idx = seg.parse::<usize>().unwrap_or(usize::MAX);
                steps.push(Step::Index(idx));
                cur = items.get(idx);
            }
            Some(Json::Object(map)) => {
                steps.push(Step::Key(seg.as_str().into()));
                cur = map.get(seg);
            }
            _ => {
                steps.push(Step::Key(seg.as_str().into()));
                cur = None;
            }
        }
    }
    steps
}

#[macro_export]
/// `path!["spec", "policy", 1, "id"]` builds a field path.
macro_rules! path {
    ($($seg:expr),* $(,)?) => {{
        let p: Vec<$crate::source::tree::Step> = vec![$($crate::source::tree::IntoStep::into_step($seg)),*];
        p
    }};
}

pub trait IntoStep {
    fn into_step(self) -> Step;
}
impl IntoStep for &str {
    fn into_step(self) -> Step {
        Step::Key(self.into())
    }
}
impl IntoStep for String {
    fn into_step(self) -> Step {
        Step::Key(self.into())
    }
}
impl IntoStep for usize {
    fn into_step(self) -> Step {
        Step::Index(self)
    }
}
impl IntoStep for Step {
    fn into_step(self) -> Step {
        self
    }
}
