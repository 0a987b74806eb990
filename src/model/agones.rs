//! Fleet and GameServer (agones.dev/v1), mirroring upstream `pkg/apis/agones/v1` and the CRDs
//! `fleet.yaml`, `gameserver.yaml`, `_gameserverspecschema.yaml`, `_gameserverstatus.yaml`.
//! The Pod template stays open: Kubernetes validates it, not Agones.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::autoscaling::IntOrString;
use super::meta::{LabelsAndAnnotations, ObjectMeta};

pub const GROUP: &str = "agones.dev";

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(
    title = "Fleet",
    description = "Fleet (agones.dev/v1) as the Agones CRD accepts it"
)]
pub struct Fleet {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    pub spec: FleetSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<FleetStatus>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub replicas: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_overflow: Option<LabelsAndAnnotations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["Packed", "Distributed"]))]
    pub scheduling: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<FleetStrategy>,
    /// Present-but-empty matters: upstream rejects `priorities: []` when CountsAndLists is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priorities: Option<Vec<Priority>>,
    pub template: GameServerTemplateSpec,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetStrategy {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["Recreate", "RollingUpdate"]))]
    pub strategy_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdate>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
}

/// Scale-down priority of a Counter or List (`agonesv1.Priority`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Priority {
    #[serde(rename = "type", default)]
    #[schemars(extend("enum" = ["Counter", "List"]))]
    pub priority_type: String,
    #[serde(default)]
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["Ascending", "Descending"]))]
    pub order: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameServerTemplateSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<ObjectMeta>,
    pub spec: GameServerSpec,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(
    title = "GameServer",
    description = "GameServer (agones.dev/v1) as the Agones CRD accepts it"
)]
pub struct GameServer {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    pub spec: GameServerSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<GameServerStatus>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameServerSpec {
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    #[schemars(length(max = 63), regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub container: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<GameServerPort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_server: Option<SdkServer>,
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    #[schemars(extend("enum" = ["Packed", "Distributed"]))]
    pub scheduling: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<Health>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub players: Option<PlayersSpec>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("maxProperties" = 1000))]
    pub counters: BTreeMap<String, CounterSpec>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("maxProperties" = 1000))]
    pub lists: BTreeMap<String, ListSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction: Option<Eviction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1))]
    pub immutable_replicas: Option<i32>,
    /// A Kubernetes PodTemplateSpec; Kubernetes validates it.
    pub template: serde_json::Value,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameServerPort {
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    pub range: Option<String>,
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    #[schemars(extend("enum" = ["Dynamic", "Static", "Passthrough", "None"]))]
    pub port_policy: Option<String>,
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    #[schemars(extend("enum" = ["UDP", "TCP", "TCPUDP"]))]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(default, skip_serializing_if = "super::omitempty::int")]
    #[schemars(range(min = 1, max = 65535))]
    pub container_port: Option<i32>,
    #[serde(default, skip_serializing_if = "super::omitempty::int")]
    #[schemars(range(min = 1, max = 65535))]
    pub host_port: Option<i32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SdkServer {
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    #[schemars(extend("enum" = ["Error", "Info", "Debug", "Trace"]))]
    pub log_level: Option<String>,
    #[serde(default, skip_serializing_if = "super::omitempty::int")]
    #[schemars(range(min = 1, max = 65535))]
    pub grpc_port: Option<i32>,
    #[serde(default, skip_serializing_if = "super::omitempty::int")]
    #[schemars(range(min = 1, max = 65535))]
    pub http_port: Option<i32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    #[serde(default, skip_serializing_if = "super::omitempty::bool")]
    pub disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "super::omitempty::int")]
    #[schemars(range(min = 0))]
    pub initial_delay_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "super::omitempty::int")]
    #[schemars(range(min = 0))]
    pub period_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "super::omitempty::int")]
    #[schemars(range(min = 1))]
    pub failure_threshold: Option<i32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlayersSpec {
    #[serde(default, skip_serializing_if = "super::omitempty::int64")]
    #[schemars(range(min = 0))]
    pub initial_capacity: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CounterSpec {
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub count: i64,
    /// Defaulted to 1000 by the CRD.
    #[serde(default = "default_capacity")]
    #[schemars(range(min = 0))]
    pub capacity: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListSpec {
    /// Defaulted to 1000 by the CRD.
    #[serde(default = "default_capacity")]
    #[schemars(range(min = 0, max = 1000))]
    pub capacity: i64,
    /// `x-kubernetes-list-type: set` in the CRD: the API server refuses repeated items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 1000), extend("uniqueItems" = true))]
    pub values: Vec<String>,
}

fn default_capacity() -> i64 {
    1000
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Eviction {
    #[serde(default, skip_serializing_if = "super::omitempty::str")]
    #[schemars(extend("enum" = ["Always", "OnUpgrade", "Never"]))]
    pub safe: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetStatus {
    #[serde(default)]
    pub replicas: i32,
    #[serde(default)]
    pub ready_replicas: i32,
    #[serde(default)]
    pub reserved_replicas: i32,
    #[serde(default)]
    pub allocated_replicas: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub players: Option<AggregatedPlayerStatus>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counters: BTreeMap<String, AggregatedStatus>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lists: BTreeMap<String, AggregatedStatus>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AggregatedPlayerStatus {
    #[serde(default)]
    pub count: i64,
    #[serde(default)]
    pub capacity: i64,
}

/// Aggregated Counter or List status of a Fleet.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AggregatedStatus {
    #[serde(default)]
    pub allocated_count: i64,
    #[serde(default)]
    pub allocated_capacity: i64,
    #[serde(default)]
    pub count: i64,
    #[serde(default)]
    pub capacity: i64,
}

pub const GAME_SERVER_STATES: [&str; 11] = [
    "PortAllocation",
    "Creating",
    "Starting",
    "Scheduled",
    "RequestReady",
    "Ready",
    "Shutdown",
    "Error",
    "Unhealthy",
    "Reserved",
    "Allocated",
];

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameServerStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = GAME_SERVER_STATES))]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<StatusPort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<NodeAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub players: Option<PlayerStatus>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counters: BTreeMap<String, CounterStatus>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lists: BTreeMap<String, ListStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction: Option<Eviction>,
    /// CRD-only (the scale subresource's), defaulted to 1 by the CRD: every stored GameServer
    /// has it, and Go has no such field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1))]
    pub immutable_replicas: Option<i32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusPort {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub port: i32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NodeAddress {
    #[serde(default)]
    pub address: String,
    #[serde(rename = "type", default)]
    pub address_type: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlayerStatus {
    #[serde(default)]
    pub count: i64,
    #[serde(default)]
    pub capacity: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CounterStatus {
    #[serde(default)]
    pub count: i64,
    #[serde(default)]
    pub capacity: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListStatus {
    #[serde(default)]
    pub capacity: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}
