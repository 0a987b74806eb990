//! Decoding the way Go's `encoding/json` does for the fields a computation reads: a missing
//! field is its zero value, and a broken field the computation never reads is left out instead
//! of failing the whole object. `simulate` uses it, so that status fixtures written as upstream's
//! tests build objects (a Fleet with only `replicas` and `status`, GameServers with only
//! `metadata` and `status`) run; lint still reports every problem in them.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// At most this many repairs per object: each one fixes one missing or broken field.
const MAX_REPAIRS: usize = 64;

/// A field the computation reads is broken: the object cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsound {
    pub path: String,
    pub message: String,
}

/// Decodes `value` into `T`. Missing fields get Go's zero value; a field that does not decode
/// is dropped when its path lies outside every prefix of `reads` (dotted paths such as
/// `spec.replicas`; `""` reads everything), and makes the object unsound otherwise. Returns
/// the decoded object and the paths that were dropped.
pub fn decode<T: DeserializeOwned>(
    mut value: Value,
    reads: &[&str],
) -> Result<(T, Vec<String>), Unsound> {
    let mut dropped = Vec::new();
    let mut last_fill: Option<(Vec<Segment>, usize)> = None;
    for _ in 0..MAX_REPAIRS {
        let err = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => return Ok((t, dropped)),
            Err(e) => e,
        };
        let path = segments(err.path());
        let message = err.inner().to_string();
        if let Some(field) = missing_field(&message) {
            let mut at = path.clone();
            at.push(Segment::Key(field.to_string()));
            // Try the zero values in turn: an object, then a string, a number, a list, false.
            let attempt = match &last_fill {
                Some((p, n)) if *p == at => n + 1,
                _ => 0,
            };
            let Some(zero) = ZEROS.get(attempt) else {
                return Err(unsound(&at, &message));
            };
            if !set(&mut value, &at, zero()) {
                return Err(unsound(&at, &message));
            }
            last_fill = Some((at, attempt));
            continue;
        }
        // A zero value we filled in has the wrong type: try the next one.
        if let Some((p, n)) = &last_fill {
            if *p == path {
                let (p, n) = (p.clone(), *n + 1);
                let Some(zero) = ZEROS.get(n) else {
                    return Err(unsound(&p, &message));
                };
                set(&mut value, &p, zero());
                last_fill = Some((p, n));
                continue;
            }
        }
        let dotted = dotted(&path);
        if path.is_empty() || reads.iter().any(|r| is_within(&dotted, r)) {
            return Err(Unsound {
                path: dotted,
                message,
            });
        }
        if !remove(&mut value, &path) {
            return Err(Unsound {
                path: dotted,
                message,
            });
        }
        dropped.push(dotted);
    }
    Err(Unsound {
        path: String::new(),
        message: format!("more than {MAX_REPAIRS} fields are missing or broken"),
    })
}

type Zero = fn() -> Value;
const ZEROS: &[Zero] = &[
    || Value::Object(Default::default()),
    || Value::String(String::new()),
    || Value::from(0),
    || Value::Array(Vec::new()),
    || Value::Bool(false),
];

fn unsound(at: &[Segment], message: &str) -> Unsound {
    Unsound {
        path: dotted(at),
        message: message.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

fn segments(p: &serde_path_to_error::Path) -> Vec<Segment> {
    use serde_path_to_error::Segment as S;
    p.iter()
        .filter_map(|s| match s {
            S::Seq { index } => Some(Segment::Index(*index)),
            S::Map { key } => Some(Segment::Key(key.clone())),
            S::Enum { variant } => Some(Segment::Key(variant.clone())),
            S::Unknown => None,
        })
        .collect()
}

fn dotted(path: &[Segment]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Segment::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Segment::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// `path` is `prefix` or lies inside it (`spec.replicas` inside `spec`, not `specs`).
fn is_within(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}

fn parent_mut<'a>(value: &'a mut Value, path: &[Segment]) -> Option<&'a mut Value> {
    let mut cur = value;
    for seg in path {
        cur = match (seg, cur) {
            (Segment::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Segment::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn set(value: &mut Value, path: &[Segment], to: Value) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    match (last, parent_mut(value, parent)) {
        (Segment::Key(k), Some(Value::Object(m))) => {
            m.insert(k.clone(), to);
            true
        }
        (Segment::Index(i), Some(Value::Array(a))) if *i < a.len() => {
            a[*i] = to;
            true
        }
        _ => false,
    }
}

fn remove(value: &mut Value, path: &[Segment]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    match (last, parent_mut(value, parent)) {
        (Segment::Key(k), Some(Value::Object(m))) => m.remove(k).is_some(),
        (Segment::Index(i), Some(Value::Array(a))) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::agones::{Fleet, GameServer};
    use crate::model::autoscaling::FleetAutoscaler;
    use serde_json::json;

    #[test]
    fn missing_fields_are_zero_values() {
        let (f, dropped): (Fleet, _) = decode(
            json!({"metadata": {"name": "f"}, "spec": {"replicas": 8}, "status": {"replicas": 5, "readyReplicas": 3}}),
            &["metadata", "spec.replicas", "status"],
        )
        .unwrap();
        assert!(dropped.is_empty());
        assert_eq!(f.spec.replicas, Some(8));
        assert_eq!(f.status.unwrap().ready_replicas, 3);
        let (g, _): (GameServer, _) = decode(
            json!({"metadata": {"name": "g"}, "status": {"state": "Ready"}}),
            &["metadata", "status"],
        )
        .unwrap();
        assert_eq!(g.status.unwrap().state.as_deref(), Some("Ready"));
        let (a, _): (FleetAutoscaler, _) = decode(
            json!({"spec": {"fleetName": "f", "policy": {"type": "Buffer", "buffer": {"bufferSize": 2, "maxReplicas": 10}}}}),
            &[""],
        )
        .unwrap();
        assert_eq!(a.spec.unwrap().policy.policy_type, "Buffer");
    }

    #[test]
    fn broken_fields_nobody_reads_are_dropped_and_read_ones_are_unsound() {
        let broken = json!({"metadata": {"name": "f"}, "spec": {"replicas": 2, "template": {"spec": {"health": "yes"}}}});
        let (f, dropped): (Fleet, _) =
            decode(broken.clone(), &["metadata", "spec.replicas"]).unwrap();
        assert_eq!(f.spec.replicas, Some(2));
        assert_eq!(dropped, ["spec.template.spec.health"]);
        let err = decode::<Fleet>(broken, &["metadata", "spec.template"]).unwrap_err();
        assert_eq!(err.path, "spec.template.spec.health");
        let err = decode::<Fleet>(
            json!({"metadata": {"name": "f"}, "spec": {"replicas": "two"}}),
            &["spec.replicas"],
        )
        .unwrap_err();
        assert_eq!(err.path, "spec.replicas");
    }

    #[test]
    fn prefixes_are_whole_segments() {
        assert!(is_within("spec.replicas", "spec"));
        assert!(is_within("spec", "spec"));
        assert!(is_within("spec.ports[0]", "spec.ports"));
        assert!(!is_within("specs", "spec"));
        assert!(is_within("anything", ""));
    }
}
