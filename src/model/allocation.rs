//! GameServerAllocation (allocation.agones.dev/v1), mirroring upstream
//! `pkg/apis/allocation/v1/gameserverallocation.go`. There is no CRD: Agones decodes the request
//! with Go's `encoding/json`, which ignores unknown fields, so those are warnings, not errors.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::agones::{
    CounterStatus, ListStatus, NodeAddress, Priority, StatusPort, GAME_SERVER_STATES,
};
use super::meta::{LabelsAndAnnotations, ObjectMeta};

pub const GROUP: &str = "allocation.agones.dev";

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(
    title = "GameServerAllocation",
    description = "GameServerAllocation (allocation.agones.dev/v1) as Agones decodes it"
)]
pub struct GameServerAllocation {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: GameServerAllocationSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<GameServerAllocationStatus>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameServerAllocationSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_cluster_setting: Option<MultiClusterSetting>,
    /// Deprecated: use `selectors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<GameServerSelector>,
    /// Deprecated: use `selectors`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferred: Vec<GameServerSelector>,
    /// Present-but-empty matters: upstream rejects `priorities: []` when CountsAndLists is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priorities: Option<Vec<Priority>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selectors: Vec<GameServerSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["Packed", "Distributed"]))]
    pub scheduling: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<LabelsAndAnnotations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counters: Option<BTreeMap<String, CounterAction>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists: Option<BTreeMap<String, ListAction>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MultiClusterSetting {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_selector: Option<LabelSelector>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameServerSelector {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = GAME_SERVER_STATES))]
    pub game_server_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub players: Option<PlayerSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counters: Option<BTreeMap<String, CounterSelector>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists: Option<BTreeMap<String, ListSelector>>,
}

impl GameServerSelector {
    /// The players filter as `release` reads it: from 1.59 the field is gone from Agones' types
    /// and the allocation API, which decodes leniently, drops it.
    pub fn players_in(&self, release: &super::release::Release) -> Option<&PlayerSelector> {
        self.players
            .as_ref()
            .filter(|_| release.behaviour.allocation_players_selector)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlayerSelector {
    #[serde(default)]
    pub min_available: i64,
    #[serde(default)]
    pub max_available: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CounterSelector {
    #[serde(default)]
    pub min_count: i64,
    #[serde(default)]
    pub max_count: i64,
    #[serde(default)]
    pub min_available: i64,
    #[serde(default)]
    pub max_available: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListSelector {
    #[serde(default)]
    pub contains_value: String,
    #[serde(default)]
    pub min_available: i64,
    #[serde(default)]
    pub max_available: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CounterAction {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAction {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_values: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delete_values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameServerAllocationStatus {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub game_server_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<StatusPort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<NodeAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    #[serde(default)]
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<LabelsAndAnnotations>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counters: BTreeMap<String, CounterStatus>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lists: BTreeMap<String, ListStatus>,
}
