//! Agones releases as data: what each supported release's CRDs, feature gates, webhooks and
//! Pod template schema are. The facts are generated from upstream's release tags by
//! `tools/gen-releases.py` into `schemas/releases.json`; this module reads them and answers the
//! questions the checks ask. A run judges against one release ([`Release`]), chosen with
//! `--agones-version` or `agonesVersion:`, the newest by default.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value};

const COMMITTED: &str = include_str!("../../schemas/releases.json");

/// How mature a feature gate is in one release (the comment block of `featureDefaults` in
/// `pkg/util/runtime/features.go` it sits in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Stage {
    Stable,
    Beta,
    Alpha,
    Dev,
    Example,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Stable => "Stable",
            Stage::Beta => "Beta",
            Stage::Alpha => "Alpha",
            Stage::Dev => "Dev",
            Stage::Example => "Example",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Gate {
    pub name: String,
    pub stage: Stage,
    pub default: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Kubernetes {
    /// The Kubernetes minor whose `PodTemplateSpec` schema the CRDs embed ("1.34").
    #[serde(rename = "podSchema")]
    pub pod_schema: String,
    /// The Kubernetes minors the release supports (`site/config.toml`).
    pub supported: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Crd {
    /// The FleetAutoscaler policy types of the CRD's enum, with every gate on.
    pub policy_types: Vec<String>,
    /// Policy types that are in the enum only while a feature gate is on.
    pub policy_type_gates: std::collections::BTreeMap<String, String>,
    pub lists_max_items: u32,
}

/// Code that differs between releases, each found in upstream's source by a probe of the
/// generator (its `PROBES` say where and what).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Behaviour {
    pub https_url_needs_ca_bundle: bool,
    pub wasm_policy: bool,
    pub allocation_players_selector: bool,
    pub port_policy_none_gated: bool,
    pub port_container_may_be_sidecar: bool,
    pub init_container_resources_validated: bool,
    pub sdk_sidecar_first_init_container: bool,
    pub autopilot_passthrough_gated: bool,
    pub http_client_per_autoscaler: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Release {
    // (A release is its version: see the PartialEq below.)
    /// "1.57"
    pub version: String,
    /// The tag the facts were read at ("v1.52.2": the newest patch of the minor).
    pub tag: String,
    /// The tag's date.
    pub date: String,
    pub kubernetes: Kubernetes,
    pub gates: Vec<Gate>,
    pub crd: Crd,
    pub behaviour: Behaviour,
}

#[derive(Deserialize)]
struct Committed {
    probes: std::collections::BTreeMap<String, String>,
    releases: Vec<Release>,
    #[serde(rename = "podSchemaChanges")]
    pod_schema_changes: std::collections::BTreeMap<String, Vec<Edit>>,
}

/// One change of the Pod template schema against the committed Kubernetes 1.33 definitions.
#[derive(Debug, Clone, Deserialize)]
pub struct Edit {
    pub definition: String,
    /// A JSON pointer inside the definition ("/properties/fileKeyRef").
    pub pointer: String,
    pub op: EditOp,
    #[serde(default)]
    pub value: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditOp {
    Add,
    Remove,
    Enum,
}

fn committed() -> &'static Committed {
    static DATA: OnceLock<Committed> = OnceLock::new();
    DATA.get_or_init(|| serde_json::from_str(COMMITTED).expect("schemas/releases.json is valid"))
}

/// Every supported release, oldest first.
pub fn all() -> &'static [Release] {
    &committed().releases
}

/// The newest supported release: the default.
pub fn newest() -> &'static Release {
    all().last().expect("at least one release")
}

/// What each behaviour flag means, in the generator's words.
pub fn probe_meanings() -> &'static std::collections::BTreeMap<String, String> {
    &committed().probes
}

/// The supported range in words: "1.50 to 1.60".
pub fn supported_range() -> String {
    format!("{} to {}", all()[0].version, newest().version)
}

/// Finds the release `text` names: `1.57`, `1.57.0`, `v1.57.1`. Any patch of a supported
/// minor is that minor (patch releases change no API).
pub fn find(text: &str) -> Result<&'static Release, String> {
    let t = text.trim();
    let t = t.strip_prefix('v').unwrap_or(t);
    let parts: Vec<&str> = t.split('.').collect();
    let numeric = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !(parts.len() == 2 || parts.len() == 3) || !parts.iter().all(|p| numeric(p)) {
        return Err(format!(
            "`{text}` is not an Agones version: write X.Y or X.Y.Z, such as 1.57 or 1.57.0 (supported: {})",
            supported_range()
        ));
    }
    let minor = normalize_minor(parts[0], parts[1]).unwrap_or_default();
    all().iter().find(|r| r.version == minor).ok_or_else(|| {
        format!(
            "Agones {text} is not supported: agones-lint knows the releases {} ({})",
            supported_range(),
            all()
                .iter()
                .map(|r| r.version.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

fn normalize_minor(major: &str, minor: &str) -> Option<String> {
    let major: u32 = major.parse().ok()?;
    let minor: u32 = minor.parse().ok()?;
    Some(format!("{major}.{minor}"))
}

impl PartialEq for Release {
    fn eq(&self, other: &Release) -> bool {
        self.version == other.version
    }
}

impl Eq for Release {}

impl Release {
    /// The minor number: 57 for 1.57.
    pub fn minor(&self) -> u32 {
        self.version
            .split_once('.')
            .and_then(|(_, m)| m.parse().ok())
            .unwrap_or(0)
    }

    pub fn gate(&self, name: &str) -> Option<&Gate> {
        self.gates.iter().find(|g| g.name == name)
    }

    /// Whether a cluster on `kubernetes` ("1.33", "v1.33.4") runs this release.
    pub fn supports_kubernetes(&self, kubernetes: &str) -> Option<bool> {
        let t = kubernetes.trim().trim_start_matches('v');
        let mut parts = t.split('.');
        let minor = normalize_minor(parts.next()?, parts.next()?)?;
        Some(self.kubernetes.supported.contains(&minor))
    }

    /// The Pod template definitions of this release's Kubernetes minor: the committed 1.33
    /// definitions with the generated edits applied.
    pub fn pod_definitions(&self) -> &'static Map<String, Value> {
        pod_definitions(&self.kubernetes.pod_schema)
    }
}

/// The Kubernetes minors whose Pod template schemas the releases embed.
pub fn pod_schema_minors() -> impl Iterator<Item = &'static str> {
    committed().pod_schema_changes.keys().map(String::as_str)
}

/// The definitions of one Kubernetes minor, built once per process.
pub fn pod_definitions(minor: &str) -> &'static Map<String, Value> {
    type Built = OnceLock<Map<String, Value>>;
    static CACHE: OnceLock<Vec<(String, Built)>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        committed()
            .pod_schema_changes
            .keys()
            .map(|k| (k.clone(), OnceLock::new()))
            .collect()
    });
    match cache.iter().find(|(k, _)| k == minor) {
        Some((k, cell)) => cell.get_or_init(|| {
            let mut defs = super::podtemplate::definitions().clone();
            for edit in &committed().pod_schema_changes[k] {
                apply(&mut defs, edit);
            }
            defs
        }),
        None => super::podtemplate::definitions(),
    }
}

fn apply(defs: &mut Map<String, Value>, edit: &Edit) {
    let Some(def) = defs.get_mut(&edit.definition) else {
        return;
    };
    let (parent, last) = match edit.pointer.rsplit_once('/') {
        Some((p, l)) => (p, l),
        None => return,
    };
    let target = if edit.op == EditOp::Enum {
        def.pointer_mut(&edit.pointer)
    } else {
        def.pointer_mut(parent)
    };
    let Some(Value::Object(map)) = target else {
        return;
    };
    match edit.op {
        EditOp::Add => {
            map.insert(last.to_string(), edit.value.clone());
        }
        EditOp::Remove => {
            map.remove(last);
        }
        EditOp::Enum => {
            if edit.value.is_null() {
                map.remove("enum");
            } else {
                map.insert("enum".into(), edit.value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(v: &str) -> &'static Release {
        find(v).unwrap()
    }

    #[test]
    fn versions_are_read_in_every_spelling_and_others_refused() {
        assert_eq!(at("1.57").version, "1.57");
        assert_eq!(at("1.57.0").version, "1.57");
        assert_eq!(at("v1.52.1").tag, "v1.52.2");
        assert_eq!(newest().version, "1.60");
        for bad in ["1.49", "1.61", "2.0", "1", "one.five", "1.57.0.1", ""] {
            let e = find(bad).unwrap_err();
            assert!(e.contains("1.50 to 1.60"), "{bad}: {e}");
        }
    }

    /// A handful of facts per release, each checked at the release's tag by hand.
    #[test]
    fn facts_pinned_per_release() {
        assert_eq!(all().len(), 11);
        let g = |v: &str, name: &str| at(v).gate(name).map(|g| (g.stage, g.default));
        assert_eq!(
            g("1.50", "ScheduledAutoscaler"),
            Some((Stage::Alpha, false))
        );
        assert_eq!(g("1.51", "ScheduledAutoscaler"), Some((Stage::Beta, true)));
        assert_eq!(g("1.50", "WasmAutoscaler"), None);
        assert_eq!(g("1.52", "WasmAutoscaler"), Some((Stage::Dev, false)));
        assert_eq!(g("1.53", "WasmAutoscaler"), Some((Stage::Alpha, false)));
        assert_eq!(
            g("1.55", "FleetAutoscaleRequestMetaData"),
            Some((Stage::Beta, true))
        );
        assert_eq!(g("1.55", "SidecarContainers"), Some((Stage::Alpha, false)));
        assert_eq!(g("1.56", "SidecarContainers"), Some((Stage::Beta, true)));
        assert_eq!(g("1.59", "PortPolicyNone"), Some((Stage::Beta, true)));
        assert_eq!(g("1.60", "PortPolicyNone"), Some((Stage::Stable, true)));
        assert_eq!(
            g("1.55", "AutopilotPassthroughPort"),
            Some((Stage::Stable, true))
        );
        assert_eq!(g("1.50", "ProcessorAllocator"), None);
        let pod = |v: &str| at(v).kubernetes.pod_schema.clone();
        assert_eq!(
            [
                pod("1.50"),
                pod("1.53"),
                pod("1.54"),
                pod("1.56"),
                pod("1.57"),
                pod("1.59"),
                pod("1.60")
            ],
            ["1.32", "1.32", "1.33", "1.33", "1.34", "1.34", "1.35"]
        );
        assert_eq!(at("1.60").kubernetes.supported, ["1.34", "1.35", "1.36"]);
        let b = |v: &str| at(v).behaviour;
        assert!(b("1.53").https_url_needs_ca_bundle && !b("1.54").https_url_needs_ca_bundle);
        assert!(!b("1.52").wasm_policy && b("1.53").wasm_policy);
        assert!(b("1.58").allocation_players_selector && !b("1.59").allocation_players_selector);
        assert!(b("1.59").port_policy_none_gated && !b("1.60").port_policy_none_gated);
        assert!(
            !b("1.56").port_container_may_be_sidecar && b("1.57").port_container_may_be_sidecar
        );
        assert!(!b("1.53").http_client_per_autoscaler && b("1.54").http_client_per_autoscaler);
        assert_eq!(
            at("1.50").crd.policy_type_gates["Chain"],
            "ScheduledAutoscaler"
        );
        assert!(!at("1.52").crd.policy_types.contains(&"Wasm".to_string()));
    }

    #[test]
    fn pod_definitions_follow_the_kubernetes_minor() {
        let has = |v: &str, def: &str, prop: &str| {
            at(v).pod_definitions()[def]["properties"]
                .get(prop)
                .is_some()
        };
        let env = "io.k8s.api.core.v1.EnvVarSource";
        assert!(!has("1.56", env, "fileKeyRef") && has("1.57", env, "fileKeyRef"));
        let lifecycle = "io.k8s.api.core.v1.Lifecycle";
        assert!(!has("1.53", lifecycle, "stopSignal") && has("1.54", lifecycle, "stopSignal"));
        let spec = "io.k8s.api.core.v1.PodSpec";
        assert!(!has("1.59", spec, "workloadRef") && has("1.60", spec, "workloadRef"));
        let ops = |v: &str| {
            at(v).pod_definitions()["io.k8s.api.core.v1.Toleration"]["properties"]["operator"]
                ["enum"]
                .clone()
        };
        assert_eq!(ops("1.59"), serde_json::json!(["Equal", "Exists"]));
        assert_eq!(
            ops("1.60"),
            serde_json::json!(["Equal", "Exists", "Gt", "Lt"])
        );
    }

    #[test]
    fn kubernetes_support_is_read_from_any_spelling() {
        assert_eq!(at("1.57").supports_kubernetes("v1.35.2"), Some(true));
        assert_eq!(at("1.57").supports_kubernetes("1.36"), Some(false));
        assert_eq!(at("1.57").supports_kubernetes("latest"), None);
    }
}
