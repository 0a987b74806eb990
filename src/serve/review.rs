//! One AdmissionReview: parse it, lint the object with the same checks as the CLI, answer.

use serde_json::{json, Value};

use crate::checks::update::check_update;
use crate::checks::{check_object, Context};
use crate::config::Level;
use crate::finding::Severity;
use crate::source::{self, yaml::Budgets};

/// Kubernetes recommends warnings shorter than this.
const WARNING_MAX: usize = 120;

/// A request that is not an AdmissionReview: answered with 400 and this message.
#[derive(Debug)]
pub struct BadRequest(pub String);

/// What happened, for logs and metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub uid: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub operation: String,
    pub allowed: bool,
    pub warnings: usize,
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// Answers an AdmissionReview. `severities` come from the configuration file.
pub fn review(
    body: &[u8],
    ctx: &Context,
    severities: &std::collections::BTreeMap<&'static str, Level>,
) -> Result<(Value, Outcome), BadRequest> {
    let review: Value = serde_json::from_slice(body)
        .map_err(|e| BadRequest(format!("the body is not JSON: {e}")))?;
    if review["apiVersion"] != "admission.k8s.io/v1" {
        return Err(BadRequest(format!(
            "expected apiVersion admission.k8s.io/v1, got {}",
            review["apiVersion"]
        )));
    }
    if review["kind"] != "AdmissionReview" {
        return Err(BadRequest(format!(
            "expected kind AdmissionReview, got {}",
            review["kind"]
        )));
    }
    let request = review
        .get("request")
        .filter(|r| r.is_object())
        .ok_or_else(|| BadRequest("the AdmissionReview has no `request`".into()))?;
    let uid = request["uid"]
        .as_str()
        .filter(|u| !u.is_empty())
        .ok_or_else(|| BadRequest("the request has no `uid`".into()))?
        .to_string();
    let operation = request["operation"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let object = &request["object"];
    let kind = object["kind"]
        .as_str()
        .or(request["kind"]["kind"].as_str())
        .unwrap_or_default()
        .to_string();
    let name = object["metadata"]["name"]
        .as_str()
        .or(request["name"].as_str())
        .unwrap_or_default()
        .to_string();
    let namespace = object["metadata"]["namespace"]
        .as_str()
        .or(request["namespace"].as_str())
        .unwrap_or_default()
        .to_string();
    let mut outcome = Outcome {
        uid: uid.clone(),
        kind: kind.clone(),
        name: name.clone(),
        namespace,
        operation: operation.clone(),
        allowed: true,
        warnings: 0,
    };
    let allow = |uid: &str| json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": {"uid": uid, "allowed": true}});
    // Only creations and updates carry an object to check (a delete has none).
    if !matches!(operation.as_str(), "CREATE" | "UPDATE") || !object.is_object() {
        return Ok((allow(&uid), outcome));
    }
    // The object is JSON, which the YAML loader reads (with the same budgets as files).
    let objects = source::objects(&object.to_string(), &Budgets::default());
    let Some(obj) = objects.first() else {
        return Ok((allow(&uid), outcome));
    };
    // An object under review is being created or updated, whatever system fields the API
    // server has filled in already.
    let mut raws = check_object(&obj.root, 0, ctx, crate::checks::live::Lifecycle::Manifest).raws;
    let old_object = &request["oldObject"];
    if operation == "UPDATE" && old_object.is_object() {
        raws.extend(check_update(old_object, object));
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for raw in raws {
        let severity = match severities.get(raw.rule.code) {
            Some(Level::Off) => continue,
            Some(Level::At(s)) => *s,
            None => raw.rule.severity,
        };
        let path = raw.path_string();
        match severity {
            Severity::Error => errors.push((path, raw.rule.code, raw.message)),
            // The code leads so that it survives truncation: it is what users look up.
            Severity::Warning => warnings.push(truncate(
                &format!("{} {path}: {}", raw.rule.code, raw.message).replace('\n', " "),
                WARNING_MAX,
            )),
            Severity::Info => {}
        }
    }
    outcome.warnings = warnings.len();
    let mut response = json!({"uid": uid, "allowed": errors.is_empty()});
    if !warnings.is_empty() {
        response["warnings"] = json!(warnings);
    }
    if !errors.is_empty() {
        outcome.allowed = false;
        let listed: Vec<String> = errors
            .iter()
            .map(|(p, code, m)| format!("{p}: {m} ({code})"))
            .collect();
        let group = object["apiVersion"]
            .as_str()
            .and_then(|v| v.split_once('/'))
            .map(|(g, _)| g)
            .unwrap_or_default();
        response["status"] = json!({
            "status": "Failure",
            "code": 422,
            "reason": "Invalid",
            "message": format!("{kind}.{group} \"{name}\" is invalid: [{}]", listed.join(", ")),
            "details": {
                "name": name,
                "group": group,
                "kind": kind,
                "causes": errors.iter().map(|(p, code, m)| json!({"reason": "FieldValueInvalid", "field": p, "message": format!("{m} ({code})")})).collect::<Vec<_>>()
            }
        });
    }
    Ok((
        json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response}),
        outcome,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golang::time::parse_rfc3339;
    use crate::model::gates::FeatureGates;

    fn ctx() -> Context {
        Context {
            cluster: Default::default(),
            gates: FeatureGates::default(),
            now: parse_rfc3339("2026-06-01T00:00:00Z").unwrap(),
            default_namespace: "default".into(),
            modules: None,
        }
    }

    fn request(object: Value) -> Vec<u8> {
        serde_json::to_vec(&json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u-1", "operation": "CREATE", "object": object}})).unwrap()
    }

    fn fas(buffer: i64) -> Value {
        json!({"apiVersion": "autoscaling.agones.dev/v1", "kind": "FleetAutoscaler", "metadata": {"name": "a", "namespace": "games"},
               "spec": {"fleetName": "f", "policy": {"type": "Buffer", "buffer": {"bufferSize": buffer, "maxReplicas": 10}}}})
    }

    #[test]
    fn denies_with_causes_and_allows_with_warnings() {
        let (resp, out) = review(&request(fas(0)), &ctx(), &Default::default()).unwrap();
        assert_eq!(resp["response"]["uid"], "u-1");
        assert_eq!(resp["response"]["allowed"], false);
        assert_eq!(
            resp["response"]["status"]["details"]["causes"][0]["field"],
            "spec.policy.buffer.bufferSize"
        );
        assert!(!out.allowed);
        let mut f = fas(2);
        f["spec"]["sync"] = json!({"type": "FixedInterval", "fixedInterval": {"seconds": 1}});
        let (resp, out) = review(&request(f), &ctx(), &Default::default()).unwrap();
        assert_eq!(resp["response"]["allowed"], true);
        let warning = resp["response"]["warnings"][0].as_str().unwrap();
        assert!(
            warning.starts_with("FAS036 spec.sync.fixedInterval.seconds: "),
            "{warning}"
        );
        assert!(warning.chars().count() <= WARNING_MAX);
        assert_eq!(out.warnings, 1);
    }

    #[test]
    fn other_kinds_and_deletes_are_allowed_and_bad_requests_rejected() {
        let (resp, _) = review(
            &request(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})),
            &ctx(),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(resp["response"]["allowed"], true);
        for bad in [
            &b"not json"[..],
            br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"}"#,
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#,
        ] {
            assert!(review(bad, &ctx(), &Default::default()).is_err());
        }
    }
}
