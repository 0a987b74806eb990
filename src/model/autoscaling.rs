//! FleetAutoscaler (autoscaling.agones.dev/v1), mirroring upstream
//! `pkg/apis/autoscaling/v1/fleetautoscaler.go` and its CRD.
//!
//! The structs are lenient (unknown fields are ignored by serde) so that code-layer checks still
//! run on an object with a typo; the generated JSON Schema is strict and reports the typo.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::meta::ObjectMeta;

pub const GROUP: &str = "autoscaling.agones.dev";

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(
    title = "FleetAutoscaler",
    description = "FleetAutoscaler (autoscaling.agones.dev/v1) as the Agones CRD accepts it"
)]
pub struct FleetAutoscaler {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The CRD does not require `spec`; an object without one is accepted and does nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<FleetAutoscalerSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<FleetAutoscalerStatus>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetAutoscalerSpec {
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-\.a-z0-9]*[a-z0-9])?$")
    )]
    pub fleet_name: String,
    pub policy: FleetAutoscalerPolicy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<FleetAutoscalerSync>,
}

/// Policy types, in the order of the CRD's enum.
pub const POLICY_TYPES: [&str; 7] = [
    "Buffer", "Webhook", "Counter", "List", "Wasm", "Schedule", "Chain",
];

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(transform = policy_type_enum)]
pub struct FleetAutoscalerPolicy {
    #[serde(rename = "type")]
    pub policy_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffer: Option<BufferPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<UrlConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<CapacityPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<CapacityPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Box<SchedulePolicy>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<Vec<ChainEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wasm: Option<WasmPolicy>,
}

fn policy_type_enum(schema: &mut schemars::Schema) {
    if let Some(t) = schema.get_mut("properties").and_then(|p| p.get_mut("type")) {
        t["enum"] = serde_json::json!(POLICY_TYPES);
    }
}

/// A chain entry: an `id` next to the inlined policy fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChainEntry {
    #[serde(default)]
    pub id: String,
    #[serde(flatten)]
    pub policy: FleetAutoscalerPolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrString {
    Int(i64),
    Str(String),
}

/// One `type` list rather than `anyOf`, so a wrong value gets one clear error.
impl JsonSchema for IntOrString {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IntOrString".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": ["integer", "string"], "x-kubernetes-int-or-string": true})
    }

    fn inline_schema() -> bool {
        true
    }
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl std::fmt::Display for IntOrString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::Str(s) => write!(f, "{s}"),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BufferPolicy {
    #[schemars(range(min = 1))]
    pub max_replicas: i32,
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub min_replicas: i32,
    #[serde(default)]
    pub buffer_size: IntOrString,
}

/// The Counter and List policies have the same shape.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CapacityPolicy {
    /// Go encodes a missing key as `""`, which the CRD's `required` accepts.
    #[serde(default)]
    pub key: String,
    #[schemars(range(min = 1))]
    pub max_capacity: i64,
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub min_capacity: i64,
    pub buffer_size: IntOrString,
}

/// admissionregistration/v1 WebhookClientConfig, used for webhooks and Wasm module sources.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UrlConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceReference>,
    /// Base64 of PEM certificates (`format: byte` in the CRD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceReference {
    /// Go encodes both as `""` when missing, which the CRD's `required` accepts.
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchedulePolicy {
    #[serde(default)]
    pub between: Between,
    #[serde(default)]
    pub active_period: ActivePeriod,
    pub policy: FleetAutoscalerPolicy,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Between {
    /// RFC 3339; empty means "already started".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// RFC 3339; empty means "never ends".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivePeriod {
    #[serde(default)]
    pub timezone: String,
    #[serde(default)]
    pub start_cron: String,
    #[serde(default)]
    pub duration: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WasmPolicy {
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    pub function: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub config: BTreeMap<String, String>,
    /// `From WasmFrom json:"from"`: a struct Go always encodes, so a policy without it is
    /// stored with `from: {url: null}` (the CRD's `url` is nullable), which its `required`
    /// accepts. Only the validating webhook asks for a URL, and only of a policy it validates
    /// (not one inside a Schedule).
    #[serde(default)]
    pub from: WasmFrom,
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    #[schemars(regex(pattern = r"^[a-fA-F0-9]{64}$"))]
    pub hash: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WasmFrom {
    /// `URL *URLConfiguration json:"url"`: encoded as null when missing.
    #[serde(default)]
    pub url: Option<UrlConfiguration>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetAutoscalerSync {
    #[serde(rename = "type", default)]
    #[schemars(extend("enum" = ["FixedInterval"]))]
    pub sync_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_interval: Option<FixedIntervalSync>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FixedIntervalSync {
    /// Zero (or absent) is defaulted to 30 by Agones' mutating webhook before the CRD's
    /// `> 0` check runs, so only negative values are rejected.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub seconds: i32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetAutoscalerStatus {
    #[serde(default)]
    pub current_replicas: i32,
    #[serde(default)]
    pub desired_replicas: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_scale_time: Option<String>,
    #[serde(default)]
    pub able_to_scale: bool,
    #[serde(default)]
    pub scaling_limited: bool,
    #[serde(default)]
    pub last_applied_policy: String,
}

/// Default sync interval in seconds (`defaultIntervalSyncSeconds`).
pub const DEFAULT_SYNC_SECONDS: i32 = 30;

impl FleetAutoscaler {
    /// The sync interval after Agones' defaulting.
    pub fn sync_seconds(&self) -> i32 {
        match self
            .spec
            .as_ref()
            .and_then(|s| s.sync.as_ref())
            .and_then(|s| s.fixed_interval.as_ref())
        {
            Some(f) if f.seconds != 0 => f.seconds,
            _ => DEFAULT_SYNC_SECONDS,
        }
    }
}
