//! The `FleetAutoscaleReview` that Webhook and Wasm policies exchange with the controller
//! (upstream `pkg/apis/autoscaling/v1`), and the way Go's `encoding/json` reads the answer.

use std::hash::{BuildHasher, Hasher};

use serde_json::{json, Map, Value};

use crate::model::agones::Fleet;

/// The request body for `fleet`, as upstream marshals it: `uid`, `name`, `namespace`, `status`,
/// then `labels` and `annotations` only with the FleetAutoscaleRequestMetaData gate (and only
/// when not empty, `omitempty`), and a null `response`.
pub fn request(fleet: &Fleet, uid: &str, with_metadata: bool) -> Value {
    let mut req = Map::new();
    req.insert("uid".into(), Value::String(uid.to_string()));
    req.insert(
        "name".into(),
        Value::String(fleet.metadata.name.clone().unwrap_or_default()),
    );
    req.insert(
        "namespace".into(),
        Value::String(fleet.metadata.namespace.clone().unwrap_or_default()),
    );
    let status = fleet.status.clone().unwrap_or_default();
    req.insert(
        "status".into(),
        serde_json::to_value(&status).unwrap_or(Value::Null),
    );
    if with_metadata {
        if !fleet.metadata.labels.is_empty() {
            req.insert("labels".into(), json!(fleet.metadata.labels));
        }
        if !fleet.metadata.annotations.is_empty() {
            req.insert("annotations".into(), json!(fleet.metadata.annotations));
        }
    }
    json!({ "request": Value::Object(req), "response": Value::Null })
}

/// A fresh random UUID (version 4), as upstream's `uuid.NewUUID()` gives each request one.
pub fn new_uid() -> String {
    let mut bytes = [0u8; 16];
    for half in bytes.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        half.copy_from_slice(&h.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// What the policy answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub scale: bool,
    /// `response.replicas` as sent (meaningful only when `scale` is true).
    pub replicas: i32,
}

impl Answer {
    /// The replica count the controller takes from the answer: `scale: false` keeps the
    /// Fleet's current `status.replicas`.
    pub fn desired(&self, status_replicas: i32) -> i32 {
        if self.scale {
            self.replicas
        } else {
            status_replicas
        }
    }
}

/// Reads a reply the way `json.Unmarshal` into `FleetAutoscaleReview` does: unknown fields are
/// ignored and keys match case-insensitively, but every known field must have its Go type
/// (`scale` a bool, `replicas` an integer literal within int32, `uid` a string). A reply
/// without a `response` object is an error: the controller would dereference a nil pointer.
pub fn parse_answer(body: &[u8]) -> Result<Answer, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "the reply is not JSON ({e}); it starts with {}",
            preview(body)
        )
    })?;
    let top = match &value {
        Value::Object(m) => m,
        Value::Null => return Err(missing_response()),
        other => {
            return Err(format!(
                "the reply is a JSON {}, not a FleetAutoscaleReview object",
                type_name(other)
            ))
        }
    };
    let response = match go_field(top, "response") {
        None | Some(Value::Null) => return Err(missing_response()),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(format!(
                "`response` is a JSON {}, not an object",
                type_name(other)
            ))
        }
    };
    if let Some(uid) = go_field(response, "uid") {
        if !matches!(uid, Value::String(_) | Value::Null) {
            return Err(format!(
                "`response.uid` is a JSON {}, not a string",
                type_name(uid)
            ));
        }
    }
    let scale = match go_field(response, "scale") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(format!(
                "`response.scale` is a JSON {}, not a boolean",
                type_name(other)
            ))
        }
    };
    let replicas = match go_field(response, "replicas") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => match n.as_i64().and_then(|v| i32::try_from(v).ok()) {
            Some(v) => v,
            None => {
                return Err(format!(
                    "`response.replicas` is {n}, which is not an integer within int32"
                ))
            }
        },
        Some(other) => {
            return Err(format!(
                "`response.replicas` is a JSON {}, not an integer",
                type_name(other)
            ))
        }
    };
    Ok(Answer { scale, replicas })
}

fn missing_response() -> String {
    "the reply has no `response` object (the controller would dereference a nil response)"
        .to_string()
}

/// Go's field matching: the exact key wins, otherwise the last key equal under case folding.
fn go_field<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    m.get(name).or_else(|| {
        m.iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The start of a body, quoted, for messages.
pub fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(60)]);
    let mut s = format!("{:?}", text.as_ref());
    if body.len() > 60 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet(yaml_status: Value, labels: Value, annotations: Value) -> Fleet {
        serde_json::from_value(json!({
            "apiVersion": "agones.dev/v1", "kind": "Fleet",
            "metadata": {"name": "f", "namespace": "ns", "labels": labels, "annotations": annotations},
            "spec": {"replicas": 3, "template": {"spec": {"template": {}}}},
            "status": yaml_status
        }))
        .unwrap()
    }

    #[test]
    fn request_carries_status_and_metadata_only_with_the_gate() {
        let f = fleet(
            json!({"replicas": 10, "readyReplicas": 2, "allocatedReplicas": 8}),
            json!({"a": "b"}),
            json!({}),
        );
        let r = request(&f, "u-1", false);
        assert_eq!(r["request"]["uid"], "u-1");
        assert_eq!(r["request"]["namespace"], "ns");
        assert_eq!(r["request"]["status"]["allocatedReplicas"], 8);
        assert_eq!(r["request"]["status"]["reservedReplicas"], 0);
        assert!(r["request"].get("labels").is_none());
        assert!(r["response"].is_null());
        let r = request(&f, "u-1", true);
        assert_eq!(r["request"]["labels"]["a"], "b");
        // Empty maps are left out, as Go's omitempty does.
        assert!(r["request"].get("annotations").is_none());
    }

    #[test]
    fn uids_are_version_4_and_differ() {
        let (a, b) = (new_uid(), new_uid());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn answers_follow_go_decoding() {
        let ok = |s: &str| parse_answer(s.as_bytes()).unwrap();
        let err = |s: &str| parse_answer(s.as_bytes()).unwrap_err();
        assert_eq!(
            ok(r#"{"response":{"uid":"x","scale":true,"replicas":13}}"#),
            Answer {
                scale: true,
                replicas: 13
            }
        );
        // scale false keeps the status replicas whatever replicas says.
        assert_eq!(
            ok(r#"{"response":{"scale":false,"replicas":99}}"#).desired(10),
            10
        );
        // Keys match case-insensitively and unknown fields are ignored, as in Go.
        assert_eq!(
            ok(r#"{"Response":{"Scale":true,"REPLICAS":4,"extra":[1]},"x":1}"#),
            Answer {
                scale: true,
                replicas: 4
            }
        );
        assert!(err("invalid data").contains("not JSON"));
        assert!(err(r#"{"request":{}}"#).contains("no `response`"));
        assert!(err(r#"{"response":null}"#).contains("no `response`"));
        assert!(err("null").contains("no `response`"));
        assert!(err("[1]").contains("array"));
        assert!(err(r#"{"response":{"scale":"true"}}"#).contains("not a boolean"));
        assert!(err(r#"{"response":{"scale":true,"replicas":1.0}}"#).contains("int32"));
        assert!(err(r#"{"response":{"scale":true,"replicas":1e2}}"#).contains("int32"));
        assert!(err(r#"{"response":{"scale":true,"replicas":2147483648}}"#).contains("int32"));
        assert!(err(r#"{"response":{"scale":true,"replicas":"5"}}"#).contains("not an integer"));
        assert!(err(r#"{"response":{"uid":5}}"#).contains("not a string"));
        // Trailing garbage after the value is a syntax error in Go too.
        assert!(err(r#"{"response":{}} x"#).contains("not JSON"));
    }
}
