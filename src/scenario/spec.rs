//! The `Scenario` kind (agones-lint.dev/v1alpha1): a demand curve, the GameServer timings and
//! optionally GameLift's policies, to replay through a Fleet's autoscaler.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::meta::ObjectMeta;

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    pub spec: ScenarioSpec,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioSpec {
    /// `namespace/name` (or `name` in the default namespace) of the Fleet among the inputs.
    pub fleet: String,
    /// RFC 3339: the clock the autoscaler sees at t=0.
    pub start: String,
    /// Go duration syntax, such as `10m` or `7h30m`.
    pub duration: String,
    /// Go duration syntax; `1s` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tick: Option<String>,
    pub game_server: GameServerTimings,
    /// How long a queued match waits before it gives up (Go duration syntax).
    pub patience: String,
    /// Piecewise-constant arrival rates, or
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrivals: Option<Vec<RateSegment>>,
    /// a CSV trace of `second,count` lines, relative to the Scenario file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrivals_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gamelift: Option<GameLiftSpec>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameServerTimings {
    /// Time from creation to Ready.
    pub startup: Timing,
    /// How long an allocated game lasts.
    pub session: Timing,
}

/// A fixed Go duration, or a distribution for what-ifs.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Timing {
    Fixed(String),
    Distribution(Distribution),
}

impl Default for Timing {
    fn default() -> Self {
        Timing::Fixed("0s".into())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    pub lognormal: LogNormal,
    /// Seed of the generator, so runs repeat.
    #[serde(default)]
    pub seed: u64,
}

/// A log-normal distribution given by its median and 95th percentile (Go durations).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogNormal {
    pub p50: String,
    pub p95: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RateSegment {
    /// Go duration from t=0 (inclusive).
    pub from: String,
    /// Go duration from t=0 (exclusive).
    pub to: String,
    /// Matches per second, at most 6 decimals.
    #[schemars(range(min = 0))]
    pub per_second: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameLiftSpec {
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub min_size: i64,
    #[serde(default = "one")]
    #[schemars(range(min = 0))]
    pub max_size: i64,
    /// What `aws gamelift describe-scaling-policies` prints, relative to the Scenario file, or
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies_file: Option<String>,
    /// the same policies inline (each as the CLI prints one: `PolicyType`, `MetricName`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Vec<serde_json::Value>>,
}

fn one() -> i64 {
    1
}
