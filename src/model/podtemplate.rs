//! The Kubernetes `PodTemplateSpec` schema that the Agones CRDs embed under a GameServer's
//! `template` (unless the Helm value `gameservers.podPreserveUnknownFields` is true), and the
//! part of Agones' mutating round trip that touches it.
//!
//! The schema under `schemas/k8s/` is generated from k8s-openapi's `v1_33` types (Agones 1.57
//! builds against Kubernetes 1.33) by a test; k8s-openapi drops the `+enum` markers of
//! `k8s.io/api`, so the enumerations Kubernetes declares on the Pod template's string types are
//! added back from [`ENUMS`]. Every definition keeps its Kubernetes name (`io.k8s.api.core.v1.…`).

use serde_json::{Map, Value};

use super::podschema::{NodeId, PodSchema};

/// The committed definitions: `{"$defs": {name: schema}}`.
pub const COMMITTED: &str = include_str!("../../schemas/k8s/podtemplatespec.json");

/// The definition a GameServer's `template` refers to.
pub const ROOT: &str = "io.k8s.api.core.v1.PodTemplateSpec";

/// A marker the generator puts on `resource.Quantity` schemas: Agones decodes these with
/// `Quantity.UnmarshalJSON`, which takes a number or a string in quantity syntax.
pub const QUANTITY_MARK: &str = "x-agones-lint-quantity";

/// A marker on enumerated string fields that Kubernetes declares as pointers (`*PullPolicy`):
/// Go keeps an empty string there when it encodes the object, where `omitempty` drops it
/// from a plain string field.
pub const POINTER_MARK: &str = "x-agones-lint-pointer";

/// How a field's Go type encodes an empty string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `T json:",omitempty"`: the empty string disappears.
    OmitEmpty,
    /// `*T` (or a required `T`): the empty string stays and is checked.
    Kept,
}

/// The enumerated string fields of the Pod template in Kubernetes 1.33 (`+enum` types in
/// `k8s.io/api/core/v1/types.go`): definition, property, Go encoding, values.
pub const ENUMS: &[(&str, &str, Encoding, &[&str])] = &[
    (
        "io.k8s.api.core.v1.NodeSelectorRequirement",
        "operator",
        Encoding::Kept,
        &["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"],
    ),
    (
        "io.k8s.api.core.v1.Container",
        "imagePullPolicy",
        Encoding::OmitEmpty,
        PULL_POLICIES,
    ),
    (
        "io.k8s.api.core.v1.EphemeralContainer",
        "imagePullPolicy",
        Encoding::OmitEmpty,
        PULL_POLICIES,
    ),
    (
        "io.k8s.api.core.v1.ImageVolumeSource",
        "pullPolicy",
        Encoding::OmitEmpty,
        PULL_POLICIES,
    ),
    (
        "io.k8s.api.core.v1.Container",
        "terminationMessagePolicy",
        Encoding::OmitEmpty,
        &["FallbackToLogsOnError", "File"],
    ),
    (
        "io.k8s.api.core.v1.EphemeralContainer",
        "terminationMessagePolicy",
        Encoding::OmitEmpty,
        &["FallbackToLogsOnError", "File"],
    ),
    (
        "io.k8s.api.core.v1.HTTPGetAction",
        "scheme",
        Encoding::OmitEmpty,
        &["HTTP", "HTTPS"],
    ),
    (
        "io.k8s.api.core.v1.Lifecycle",
        "stopSignal",
        Encoding::Kept,
        SIGNALS,
    ),
    (
        "io.k8s.api.core.v1.ContainerPort",
        "protocol",
        Encoding::OmitEmpty,
        &["SCTP", "TCP", "UDP"],
    ),
    (
        "io.k8s.api.core.v1.AppArmorProfile",
        "type",
        Encoding::Kept,
        &["Localhost", "RuntimeDefault", "Unconfined"],
    ),
    (
        "io.k8s.api.core.v1.SeccompProfile",
        "type",
        Encoding::Kept,
        &["Localhost", "RuntimeDefault", "Unconfined"],
    ),
    (
        "io.k8s.api.core.v1.SecurityContext",
        "procMount",
        Encoding::Kept,
        &["Default", "Unmasked"],
    ),
    (
        "io.k8s.api.core.v1.VolumeMount",
        "mountPropagation",
        Encoding::Kept,
        &["Bidirectional", "HostToContainer", "None"],
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "dnsPolicy",
        Encoding::OmitEmpty,
        &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "preemptionPolicy",
        Encoding::Kept,
        &["Never", "PreemptLowerPriority"],
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "restartPolicy",
        Encoding::OmitEmpty,
        &["Always", "Never", "OnFailure"],
    ),
    (
        "io.k8s.api.core.v1.PodSecurityContext",
        "fsGroupChangePolicy",
        Encoding::Kept,
        &["Always", "OnRootMismatch"],
    ),
    (
        "io.k8s.api.core.v1.PodSecurityContext",
        "supplementalGroupsPolicy",
        Encoding::Kept,
        &["Merge", "Strict"],
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "effect",
        Encoding::OmitEmpty,
        &["NoExecute", "NoSchedule", "PreferNoSchedule"],
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "operator",
        Encoding::OmitEmpty,
        &["Equal", "Exists"],
    ),
    (
        "io.k8s.api.core.v1.TopologySpreadConstraint",
        "nodeAffinityPolicy",
        Encoding::Kept,
        &["Honor", "Ignore"],
    ),
    (
        "io.k8s.api.core.v1.TopologySpreadConstraint",
        "nodeTaintsPolicy",
        Encoding::Kept,
        &["Honor", "Ignore"],
    ),
    (
        "io.k8s.api.core.v1.TopologySpreadConstraint",
        "whenUnsatisfiable",
        Encoding::Kept,
        &["DoNotSchedule", "ScheduleAnyway"],
    ),
    (
        "io.k8s.api.core.v1.AzureDiskVolumeSource",
        "cachingMode",
        Encoding::Kept,
        &["None", "ReadOnly", "ReadWrite"],
    ),
    (
        "io.k8s.api.core.v1.AzureDiskVolumeSource",
        "kind",
        Encoding::Kept,
        &["Dedicated", "Managed", "Shared"],
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
        "volumeMode",
        Encoding::Kept,
        &["Block", "Filesystem"],
    ),
    (
        "io.k8s.api.core.v1.HostPathVolumeSource",
        "type",
        Encoding::Kept,
        &[
            "",
            "BlockDevice",
            "CharDevice",
            "Directory",
            "DirectoryOrCreate",
            "File",
            "FileOrCreate",
            "Socket",
        ],
    ),
];

/// `PersistentVolumeClaimSpec.accessModes` holds `PersistentVolumeAccessMode` items.
pub const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];

const SIGNALS: &[&str] = &[
    "SIGABRT",
    "SIGALRM",
    "SIGBUS",
    "SIGCHLD",
    "SIGCLD",
    "SIGCONT",
    "SIGFPE",
    "SIGHUP",
    "SIGILL",
    "SIGINT",
    "SIGIO",
    "SIGIOT",
    "SIGKILL",
    "SIGPIPE",
    "SIGPOLL",
    "SIGPROF",
    "SIGPWR",
    "SIGQUIT",
    "SIGRTMAX",
    "SIGRTMAX-1",
    "SIGRTMAX-10",
    "SIGRTMAX-11",
    "SIGRTMAX-12",
    "SIGRTMAX-13",
    "SIGRTMAX-14",
    "SIGRTMAX-2",
    "SIGRTMAX-3",
    "SIGRTMAX-4",
    "SIGRTMAX-5",
    "SIGRTMAX-6",
    "SIGRTMAX-7",
    "SIGRTMAX-8",
    "SIGRTMAX-9",
    "SIGRTMIN",
    "SIGRTMIN+1",
    "SIGRTMIN+10",
    "SIGRTMIN+11",
    "SIGRTMIN+12",
    "SIGRTMIN+13",
    "SIGRTMIN+14",
    "SIGRTMIN+15",
    "SIGRTMIN+2",
    "SIGRTMIN+3",
    "SIGRTMIN+4",
    "SIGRTMIN+5",
    "SIGRTMIN+6",
    "SIGRTMIN+7",
    "SIGRTMIN+8",
    "SIGRTMIN+9",
    "SIGSEGV",
    "SIGSTKFLT",
    "SIGSTOP",
    "SIGSYS",
    "SIGTERM",
    "SIGTRAP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGUSR1",
    "SIGUSR2",
    "SIGVTALRM",
    "SIGWINCH",
    "SIGXCPU",
    "SIGXFSZ",
];

/// The committed definitions, parsed once.
pub fn definitions() -> &'static Map<String, Value> {
    static DEFS: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    DEFS.get_or_init(|| {
        let v: Value = serde_json::from_str(COMMITTED).expect("committed Pod schema is JSON");
        match v {
            Value::Object(mut top) => match top.remove("$defs") {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            },
            _ => Map::new(),
        }
    })
}

/// Why a Pod template does not survive Agones' decoding (a quantity that does not parse): the
/// JSON path of the value and the message. The mutating webhook then falls through, and the
/// validating webhook refuses the object.
pub struct DecodeError {
    pub path: Vec<crate::source::tree::Step>,
    pub message: String,
}

/// Agones' mutating webhook decodes the Pod template into `corev1.PodTemplateSpec` and encodes
/// it back. Applied to `template` (already type-checked against the schema), this does what that
/// round trip does to what the schema then checks: quantities become strings (trimmed, as
/// `Quantity.UnmarshalJSON` trims), empty strings of `omitempty` fields disappear, and a missing
/// field Go always encodes gets its zero value. Returns the first value Go cannot decode.
pub fn round_trip(template: &mut Value, schema: &PodSchema) -> Result<(), DecodeError> {
    normalize(template, schema, schema.root).map_err(|mut e| {
        e.path.reverse();
        e
    })
}

/// Where a kind holds its Pod template; empty for kinds without one.
pub fn path_in(kind: super::Kind) -> &'static [&'static str] {
    match kind {
        super::Kind::Fleet => &["spec", "template", "spec", "template"],
        super::Kind::GameServer => &["spec", "template"],
        _ => &[],
    }
}

/// The names a schema lists as `required`.
pub fn required(schema: &Value) -> impl Iterator<Item = &str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// On error, the path is the failing value's, innermost step first: it is built on the way
/// out, so values that decode cost no path.
fn normalize(value: &mut Value, all: &PodSchema, at: NodeId) -> Result<(), DecodeError> {
    use crate::source::tree::Step;
    let inside = |step: Step| {
        move |mut e: DecodeError| {
            e.path.push(step);
            e
        }
    };
    let schema = all.node(at);
    if schema.quantity {
        let text = match value {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => return Ok(()),
        };
        if let Err(why) = crate::checks::quantity::parse(&text) {
            return Err(DecodeError {
                path: Vec::new(),
                message: why,
            });
        }
        *value = Value::String(text);
        return Ok(());
    }
    match value {
        Value::Object(map) => {
            if schema.properties.is_some() {
                let mut drop = Vec::new();
                for (key, child) in map.iter_mut() {
                    let Some(sub) = schema.property(key) else {
                        continue;
                    };
                    let field = all.node(sub);
                    if child.as_str() == Some("")
                        && !schema.is_required(key)
                        && !field.pointer
                        && !field.quantity
                    {
                        drop.push(key.clone());
                        continue;
                    }
                    normalize(child, all, sub).map_err(inside(Step::Key(key.as_str().into())))?;
                }
                for key in drop {
                    map.remove(&key);
                }
                for name in &schema.required {
                    if !map.contains_key(*name) {
                        if let Some(zero) =
                            schema.property(name).and_then(|s| zero_value(all, s, 0))
                        {
                            map.insert(name.to_string(), zero);
                        }
                    }
                }
            } else if let Some(values) = schema.values {
                for (key, child) in map.iter_mut() {
                    normalize(child, all, values)
                        .map_err(inside(Step::Key(key.as_str().into())))?;
                }
            }
        }
        Value::Array(list) => {
            if let Some(items) = schema.items {
                for (i, child) in list.iter_mut().enumerate() {
                    normalize(child, all, items).map_err(inside(Step::Index(i)))?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// What Go writes for a field it always encodes when the manifest leaves it out: `""`, `0`,
/// `false`, or a struct of such zeros. Slices and maps encode as `null`, which the API server
/// drops, so they stay missing.
fn zero_value(all: &PodSchema, at: NodeId, depth: usize) -> Option<Value> {
    let schema = all.node(at);
    if depth > 8 || schema.quantity {
        return None;
    }
    match schema.type_names.first().copied() {
        Some("string") => Some(Value::String(String::new())),
        Some("integer") => Some(Value::from(0)),
        Some("number") => Some(Value::from(0)),
        Some("boolean") => Some(Value::Bool(false)),
        Some("object") if schema.properties.is_some() => {
            let mut m = Map::new();
            for name in &schema.required {
                if let Some(z) = schema
                    .property(name)
                    .and_then(|s| zero_value(all, s, depth + 1))
                {
                    m.insert(name.to_string(), z);
                }
            }
            Some(Value::Object(m))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Builds the definitions from k8s-openapi, shaped like the CRD's embedded schema.
    fn generate() -> Value {
        let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
        let root = generator
            .into_root_schema_for::<k8s_openapi::api::core::v1::PodTemplateSpec>()
            .to_value();
        let mut defs = root.get("$defs").cloned().unwrap_or_else(|| json!({}));
        let mut top = root.clone();
        if let Some(m) = top.as_object_mut() {
            m.remove("$defs");
            m.remove("$schema");
            m.remove("title");
        }
        defs[ROOT] = top;
        let defs_map = defs.as_object_mut().expect("definitions are an object");
        for (name, schema) in defs_map.iter_mut() {
            shape(name, schema);
        }
        for (def, prop, encoding, values) in ENUMS {
            let field = &mut defs_map[*def]["properties"][*prop];
            assert!(field.is_object(), "{def}.{prop} is not in k8s-openapi");
            field["enum"] = json!(values);
            if *encoding == Encoding::Kept {
                field[POINTER_MARK] = json!(true);
            }
        }
        defs_map["io.k8s.api.core.v1.PersistentVolumeClaimSpec"]["properties"]["accessModes"]
            ["items"]["enum"] = json!(ACCESS_MODES);
        json!({
            "$comment": "Generated from k8s-openapi (Kubernetes 1.33) by `UPDATE_SCHEMAS=1 cargo test --lib podtemplate`; do not edit.",
            "$defs": defs,
        })
    }

    /// Closes objects (strict field validation), and turns the int-or-string markers into types
    /// the validator understands.
    fn shape(name: &str, schema: &mut Value) {
        if let Value::Object(m) = schema {
            if m.remove("x-kubernetes-int-or-string").is_some() {
                if name == "io.k8s.apimachinery.pkg.api.resource.Quantity" {
                    m.insert("type".into(), json!(["string", "number"]));
                    m.insert(QUANTITY_MARK.into(), json!(true));
                } else {
                    m.insert("type".into(), json!(["integer", "string"]));
                }
            }
            m.retain(|k, _| !k.starts_with("x-kubernetes-"));
            if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".into(), Value::Bool(false));
            }
            for (key, child) in m.iter_mut() {
                if key == "properties" {
                    if let Value::Object(props) = child {
                        props.values_mut().for_each(|p| shape("", p));
                    }
                } else if key != "enum" {
                    shape("", child);
                }
            }
        } else if let Value::Array(items) = schema {
            items.iter_mut().for_each(|i| shape("", i));
        }
    }

    #[test]
    fn committed_pod_schema_is_current() {
        let current = serde_json::to_string_pretty(&generate()).unwrap() + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas/k8s/podtemplatespec.json");
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &current).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == current,
            "{} is stale: run `UPDATE_SCHEMAS=1 cargo test --lib podtemplate`",
            path.display()
        );
    }

    #[test]
    fn round_trip_does_what_go_does() {
        let mut t = json!({"spec": {
            "containers": [{"image": "x", "imagePullPolicy": "",
                "resources": {"limits": {"cpu": 1, "memory": "64Mi "}}}],
            "tolerations": [{"operator": ""}],
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
                {"nodeSelectorTerms": [{"matchExpressions": [{"key": "a"}]}]}}},
        }});
        round_trip(&mut t, crate::model::podschema::pod_schema())
            .unwrap_or_else(|e| panic!("{}", e.message));
        let c = &t["spec"]["containers"][0];
        assert_eq!(c["name"], json!(""), "a container's name is always encoded");
        assert!(c.get("imagePullPolicy").is_none(), "omitempty drops \"\"");
        assert_eq!(
            c["resources"]["limits"],
            json!({"cpu": "1", "memory": "64Mi"})
        );
        assert!(t["spec"]["tolerations"][0].get("operator").is_none());
        let expr = &t["spec"]["affinity"]["nodeAffinity"]
            ["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]
            ["matchExpressions"][0];
        assert_eq!(
            expr["operator"],
            json!(""),
            "a required operator is encoded empty"
        );
    }

    #[test]
    fn a_bad_quantity_is_a_decode_error_at_its_path() {
        let mut t = json!({"spec": {"containers": [{"name": "a",
            "resources": {"requests": {"cpu": "lots"}}}]}});
        let e =
            round_trip(&mut t, crate::model::podschema::pod_schema()).expect_err("decode error");
        assert_eq!(
            crate::source::tree::path_to_string(&e.path),
            "spec.containers[0].resources.requests.cpu"
        );
    }
}
