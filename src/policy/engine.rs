//! One sync of the FleetAutoscaler controller: upstream `computeDesiredFleetSize`,
//! `applyChainPolicy` and `syncFleetAutoscaler`, and the status it writes.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::external::{FasState, Runtime};
use crate::golang::time::Instant;
use crate::model::agones::{Fleet, GameServer};
use crate::model::autoscaling::{FleetAutoscaler, FleetAutoscalerPolicy};
use crate::model::gates::{
    FeatureGates, COUNTS_AND_LISTS, FLEET_AUTOSCALE_REQUEST_METADATA, SCHEDULED_AUTOSCALER,
    WASM_AUTOSCALER,
};

use super::order::{node_counts, sort_for_deletion, NodeCount};
use super::schedule::{activity, Activity};
use super::{buffer, capacity};

/// What a simulation may depend on besides the two objects. Built once per run: the per-node
/// counts span every GameServer given (Agones counts the whole cluster), and each Fleet's own
/// GameServers (labelled `agones.dev/fleet` with its name, in its namespace) are indexed.
pub struct Env<'a> {
    pub gates: &'a FeatureGates,
    pub now: Instant,
    node_counts: BTreeMap<String, NodeCount>,
    by_fleet: HashMap<(String, String), Vec<&'a GameServer>>,
    /// Runs Webhook and Wasm policies; without it they fail with a message saying so.
    runtime: Option<&'a Runtime>,
}

impl<'a> Env<'a> {
    pub fn new(gates: &'a FeatureGates, now: Instant, gameservers: &'a [GameServer]) -> Env<'a> {
        let mut by_fleet: HashMap<(String, String), Vec<&GameServer>> = HashMap::new();
        for g in gameservers {
            if let Some(fleet) = g.metadata.labels.get("agones.dev/fleet") {
                by_fleet
                    .entry((
                        g.metadata.namespace.clone().unwrap_or_default(),
                        fleet.clone(),
                    ))
                    .or_default()
                    .push(g);
            }
        }
        Env {
            gates,
            now,
            node_counts: node_counts(gameservers.iter()),
            by_fleet,
            runtime: None,
        }
    }

    pub fn with_runtime(mut self, runtime: &'a Runtime) -> Env<'a> {
        self.runtime = Some(runtime);
        self
    }
}

/// The status Agones would write after one sync, and what happened.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub autoscaler: String,
    pub fleet: String,
    pub policy: String,
    pub current_replicas: i32,
    pub desired_replicas: Option<i32>,
    pub scaling_limited: bool,
    /// With `scaling_limited`: the bound that applied and why (`maxReplicas 20: ...`), which
    /// Agones' own event does not say.
    pub limited_by: Option<String>,
    pub able_to_scale: bool,
    pub last_applied_policy: String,
    pub scaled: bool,
    pub event: Option<String>,
    pub error: Option<String>,
    pub trace: Vec<String>,
}

impl Decision {
    /// A failed sync: Agones writes `ableToScale: false`, zero replicas and no policy.
    pub fn failed(
        autoscaler: String,
        fleet: String,
        policy: String,
        error: String,
        trace: Vec<String>,
    ) -> Decision {
        Decision {
            autoscaler,
            fleet,
            policy,
            current_replicas: 0,
            desired_replicas: None,
            scaling_limited: false,
            limited_by: None,
            able_to_scale: false,
            last_applied_policy: String::new(),
            scaled: false,
            event: None,
            error: Some(error),
            trace,
        }
    }
}

/// Why a policy produced no replica count.
enum Failure {
    /// An inactive schedule; upstream returns it as an error value that its own check does not
    /// recognise, so at the top level it fails the sync like any error.
    Inactive(String),
    Error(String),
}

impl Failure {
    fn message(&self) -> &str {
        match self {
            Failure::Inactive(m) | Failure::Error(m) => m,
        }
    }
}

struct Ctx<'a, 'e> {
    fleet: &'a Fleet,
    env: &'a Env<'e>,
    state: &'a mut FasState,
    trace: Vec<String>,
    /// The chain entry that applied, as `lastAppliedPolicy` names it.
    applied: Option<String>,
}

impl Ctx<'_, '_> {
    /// Desired replicas, and the bound that limited them (Agones' `scalingLimited`) and why.
    fn compute(&mut self, p: &FleetAutoscalerPolicy) -> Result<(i32, Option<String>), Failure> {
        let status = self.fleet.status.clone().unwrap_or_default();
        match p.policy_type.as_str() {
            "Buffer" => {
                let b = p.buffer.as_ref().ok_or_else(|| {
                    Failure::Error("the Buffer policy has no `buffer` block".into())
                })?;
                let (r, limited) = buffer::apply(b, &status).map_err(Failure::Error)?;
                self.trace.push(format!(
                    "Buffer {}: {} allocated → {r} replicas{}",
                    b.buffer_size,
                    status.allocated_replicas,
                    match &limited {
                        Some(by) => format!(" (limited by {by})"),
                        None => String::new(),
                    }
                ));
                Ok((r, limited))
            }
            t @ ("Counter" | "List") => {
                if !self.env.gates.enabled(COUNTS_AND_LISTS) {
                    return Err(Failure::Error(format!(
                        "cannot apply {t}Policy unless feature flag CountsAndLists is enabled"
                    )));
                }
                let is_counter = t == "Counter";
                let c = if is_counter { &p.counter } else { &p.list };
                let c = c
                    .as_ref()
                    .ok_or_else(|| Failure::Error(format!("the {t} policy has no block")))?;
                let fleet = self.fleet;
                let env = self.env;
                let mut sorted = || {
                    let key = (
                        fleet.metadata.namespace.clone().unwrap_or_default(),
                        fleet.metadata.name.clone().unwrap_or_default(),
                    );
                    let mut own = env.by_fleet.get(&key).cloned().unwrap_or_default();
                    let scheduling = fleet
                        .spec
                        .scheduling
                        .clone()
                        .unwrap_or_else(|| "Packed".into());
                    sort_for_deletion(
                        &mut own,
                        &scheduling,
                        &env.node_counts,
                        fleet.spec.priorities.as_deref().unwrap_or(&[]),
                        env.gates.enabled(COUNTS_AND_LISTS),
                    );
                    own
                };
                capacity::apply(c, is_counter, fleet, &mut sorted, &mut self.trace)
                    .map_err(Failure::Error)
            }
            "Schedule" => {
                if !self.env.gates.enabled(SCHEDULED_AUTOSCALER) {
                    return Err(Failure::Error("cannot apply SchedulePolicy unless feature flag ScheduledAutoscaler is enabled".into()));
                }
                let s = p.schedule.as_ref().ok_or_else(|| {
                    Failure::Error("the Schedule policy has no `schedule` block".into())
                })?;
                match activity(s, self.env.now).map_err(|e| Failure::Error(e.0))? {
                    Activity::Active { since } => {
                        self.trace.push(match since {
                            Some(t) => format!("schedule active since {}", t.to_rfc3339()),
                            None => "schedule active (inside its window, no cron)".into(),
                        });
                        self.compute(&s.policy)
                    }
                    inactive => {
                        let why = match inactive {
                            Activity::BeforeStart { start } => format!("schedule inactive: it starts at {}", start.to_rfc3339()),
                            Activity::AfterEnd { end } => format!("schedule inactive: it ended at {}", end.to_rfc3339()),
                            Activity::BetweenPeriods { next_fire: Some(t) } => format!("schedule inactive: next active at {} (90 s before the cron fires at {})", t.add_nanos(super::schedule::CRON_DELTA).to_rfc3339(), t.to_rfc3339()),
                            _ => "schedule inactive: its cron never fires again".into(),
                        };
                        self.trace.push(why.clone());
                        Err(Failure::Inactive(why))
                    }
                }
            }
            "Chain" => {
                if !self.env.gates.enabled(SCHEDULED_AUTOSCALER) {
                    return Err(Failure::Error("cannot apply ChainPolicy unless feature flag ScheduledAutoscaler is enabled".into()));
                }
                let entries = p.chain.as_deref().unwrap_or(&[]);
                if entries.is_empty() {
                    return Err(Failure::Error(
                        "the chain has no entries (upstream's controller panics on an empty chain)"
                            .into(),
                    ));
                }
                let mut last = Failure::Error(String::new());
                for e in entries {
                    self.trace.push(format!(
                        "chain entry `{}` ({}):",
                        e.id, e.policy.policy_type
                    ));
                    match self.compute(&e.policy) {
                        Ok(r) => {
                            self.applied = Some(format!("Chain:{}:{}", e.id, e.policy.policy_type));
                            return Ok(r);
                        }
                        Err(f) => {
                            self.trace.push(format!("  falls through: {}", f.message()));
                            last = f;
                        }
                    }
                }
                self.trace.push("no chain entry applied".into());
                Err(Failure::Error(format!(
                    "no chain entry applied; the last one failed: {}",
                    last.message()
                )))
            }
            "Webhook" => {
                let w = p.webhook.as_ref().ok_or_else(|| {
                    Failure::Error("webhookPolicy parameter must not be nil".into())
                })?;
                let rt = self.env.runtime.ok_or_else(|| {
                    Failure::Error("this run does not execute Webhook policies".into())
                })?;
                let meta = self.env.gates.enabled(FLEET_AUTOSCALE_REQUEST_METADATA);
                rt.webhook(self.state, w, self.fleet, meta, &mut self.trace)
                    .map(|r| (r, None))
                    .map_err(Failure::Error)
            }
            "Wasm" => {
                if !self.env.gates.enabled(WASM_AUTOSCALER) {
                    return Err(Failure::Error(
                        "cannot apply WasmPolicy unless feature flag WasmAutoscaler is enabled"
                            .into(),
                    ));
                }
                let w = p
                    .wasm
                    .as_ref()
                    .ok_or_else(|| Failure::Error("wasmPolicy parameter must not be nil".into()))?;
                let rt = self.env.runtime.ok_or_else(|| {
                    Failure::Error("this run does not execute Wasm policies".into())
                })?;
                let meta = self.env.gates.enabled(FLEET_AUTOSCALE_REQUEST_METADATA);
                rt.wasm(self.state, w, self.fleet, meta, &mut self.trace)
                    .map(|r| (r, None))
                    .map_err(Failure::Error)
            }
            other => Err(Failure::Error(format!("wrong policy type `{other}`"))),
        }
    }
}

/// Simulates one sync of `fas` against `fleet`, as the first sync of a new autoscaler.
pub fn simulate(fas: &FleetAutoscaler, fleet: &Fleet, env: &Env<'_>) -> Decision {
    simulate_with_state(fas, fleet, env, &mut FasState::default())
}

/// Simulates one sync with the state the controller keeps for `fas` between syncs.
pub fn simulate_with_state(
    fas: &FleetAutoscaler,
    fleet: &Fleet,
    env: &Env<'_>,
    state: &mut FasState,
) -> Decision {
    let ns = |m: &crate::model::meta::ObjectMeta| {
        m.namespace
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "default".into())
    };
    let autoscaler = format!(
        "{}/{}",
        ns(&fas.metadata),
        fas.metadata.name.clone().unwrap_or_default()
    );
    let fleet_id = format!(
        "{}/{}",
        ns(&fleet.metadata),
        fleet.metadata.name.clone().unwrap_or_default()
    );
    let policy = fas
        .spec
        .as_ref()
        .map(|s| s.policy.clone())
        .unwrap_or_default();
    let current = fleet.status.as_ref().map_or(0, |s| s.replicas);
    let spec_replicas = fleet.spec.replicas.unwrap_or(0);
    let mut ctx = Ctx {
        fleet,
        env,
        state,
        trace: Vec::new(),
        applied: None,
    };
    ctx.trace.push(format!(
        "Fleet {fleet_id}: spec.replicas {spec_replicas}; status {} replicas, {} ready, {} reserved, {} allocated",
        current,
        fleet.status.as_ref().map_or(0, |s| s.ready_replicas),
        fleet.status.as_ref().map_or(0, |s| s.reserved_replicas),
        fleet.status.as_ref().map_or(0, |s| s.allocated_replicas)
    ));
    let result = ctx.compute(&policy);
    let mut trace = ctx.trace;
    match result {
        Ok((desired, limited)) => {
            let scaled = desired != spec_replicas;
            let fleet_name = fleet.metadata.name.clone().unwrap_or_default();
            let event = scaled
                .then(|| format!("Scaling fleet {fleet_name} from {spec_replicas} to {desired}"));
            if let Some(by) = &limited {
                // Upstream picks the word from the direction of the change, not from the bound
                // that applied (agones#2297, #2828): say which one did.
                let bound = if current > desired {
                    "maximum"
                } else {
                    "minimum"
                };
                trace.push(format!("Agones emits the warning event: Scaling fleet {fleet_name} was limited to {bound} size of {desired} (the bound that applied: {by})"));
            }
            Decision {
                autoscaler,
                fleet: fleet_id,
                policy: policy.policy_type.clone(),
                current_replicas: current,
                desired_replicas: Some(desired),
                scaling_limited: limited.is_some(),
                limited_by: limited,
                able_to_scale: true,
                last_applied_policy: if policy.policy_type == "Chain" {
                    ctx.applied.unwrap_or_default()
                } else {
                    policy.policy_type.clone()
                },
                scaled,
                event,
                error: None,
                trace,
            }
        }
        Err(f) => {
            if matches!(f, Failure::Inactive(_)) {
                trace.push("upstream means to ignore an inactive schedule, but compares an error pointer with a value, so the sync fails".into());
            }
            trace.push("on a failed sync Agones writes ableToScale false, currentReplicas 0, desiredReplicas 0 and an empty lastAppliedPolicy".into());
            Decision::failed(
                autoscaler,
                fleet_id,
                policy.policy_type.clone(),
                f.message().to_string(),
                trace,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golang::time::parse_rfc3339;
    use crate::source::{objects, yaml::Budgets};

    fn obj<T: serde::de::DeserializeOwned>(yaml: &str) -> T {
        serde_json::from_value(objects(yaml, &Budgets::default())[0].root.to_json()).unwrap()
    }

    fn fleet() -> Fleet {
        obj("apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: fleet-1\nspec:\n  replicas: 10\n  template:\n    spec:\n      template: {}\nstatus:\n  replicas: 10\n  readyReplicas: 8\n  allocatedReplicas: 2\n")
    }

    fn fas(policy: &str) -> FleetAutoscaler {
        let body: String = policy.lines().map(|l| format!("    {l}\n")).collect();
        obj(&format!("apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: fas-1\nspec:\n  fleetName: fleet-1\n  policy:\n{body}"))
    }

    fn run(policy: &str, now: &str) -> Decision {
        let gates = FeatureGates::default();
        simulate(
            &fas(policy),
            &fleet(),
            &Env::new(&gates, parse_rfc3339(now).unwrap(), &[]),
        )
    }

    const BUFFER: &str =
        "type: Buffer\nbuffer:\n  bufferSize: 5\n  minReplicas: 1\n  maxReplicas: 20";

    #[test]
    fn buffer_scales_and_reports_the_event() {
        let d = run(BUFFER, "2024-08-01T00:00:00Z");
        assert_eq!(
            (d.desired_replicas, d.scaled, d.able_to_scale),
            (Some(7), true, true)
        );
        assert_eq!(
            d.event.as_deref(),
            Some("Scaling fleet fleet-1 from 10 to 7")
        );
        assert_eq!(d.last_applied_policy, "Buffer");
    }

    #[test]
    fn an_inactive_top_level_schedule_fails_the_sync() {
        let d = run("type: Schedule\nschedule:\n  activePeriod:\n    startCron: \"0 14 * * *\"\n    duration: 1h\n  policy:\n    type: Buffer\n    buffer:\n      bufferSize: 5\n      maxReplicas: 20", "2024-08-01T16:00:00Z");
        assert_eq!(
            (d.desired_replicas, d.able_to_scale, d.current_replicas),
            (None, false, 0)
        );
        assert!(
            d.trace
                .iter()
                .any(|l| l.contains("next active at 2024-08-02T13:58:30Z")),
            "{:?}",
            d.trace
        );
    }

    #[test]
    fn chains_fall_through_to_the_first_entry_that_applies() {
        let chain = "type: Chain\nchain:\n  - id: weekday\n    type: Schedule\n    schedule:\n      activePeriod:\n        startCron: \"0 14 * * *\"\n        duration: 1h\n      policy:\n        type: Buffer\n        buffer:\n          bufferSize: 50\n          maxReplicas: 100\n  - id: hook\n    type: Webhook\n    webhook:\n      url: http://autoscaler.example.com/scale\n  - id: default\n    type: Buffer\n    buffer:\n      bufferSize: 5\n      minReplicas: 1\n      maxReplicas: 20";
        let d = run(chain, "2024-08-01T16:00:00Z");
        assert_eq!(
            (d.desired_replicas, d.last_applied_policy.as_str()),
            (Some(7), "Chain:default:Buffer")
        );
        assert!(
            d.trace
                .iter()
                .any(|l| l.contains("does not execute Webhook")),
            "{:?}",
            d.trace
        );
        let d = run(chain, "2024-08-01T14:30:00Z");
        assert_eq!(
            (d.desired_replicas, d.last_applied_policy.as_str()),
            (Some(52), "Chain:weekday:Schedule")
        );
    }

    #[test]
    fn a_chain_whose_entries_all_fail_fails_the_sync() {
        let d = run("type: Chain\nchain:\n  - id: hook\n    type: Webhook\n    webhook:\n      url: http://autoscaler.example.com/scale", "2024-08-01T16:00:00Z");
        assert!(d
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no chain entry applied")));
        assert_eq!(d.last_applied_policy, "");
    }
}
