//! `simulate`: one controller sync of every FleetAutoscaler against its Fleet, from the objects
//! a lint run collected (what `kubectl get fleet,fleetautoscaler,gameservers -o yaml` prints).

use serde::Serialize;
use serde_json::Value;

use crate::external::Runtime;
use crate::golang::time::Instant;
use crate::model::agones::{Fleet, GameServer};
use crate::model::autoscaling::FleetAutoscaler;
use crate::model::gates::FeatureGates;
use crate::model::Kind;
use crate::policy::engine::{simulate, Decision, Env};

fn namespace(m: &crate::model::meta::ObjectMeta, default: &str) -> String {
    m.namespace
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn decode_all<T: serde::de::DeserializeOwned>(
    objects: &[(Kind, Value)],
    kind: Kind,
    skipped: &mut usize,
) -> Vec<T> {
    objects
        .iter()
        .filter(|(k, _)| *k == kind)
        .filter_map(|(_, v)| match serde_json::from_value(v.clone()) {
            Ok(t) => Some(t),
            Err(_) => {
                *skipped += 1;
                None
            }
        })
        .collect()
}

/// Simulates every FleetAutoscaler in `objects`. Objects that do not decode were already
/// reported by lint (only `--force` gets them here); they are left out, and the results say so.
pub fn run(
    objects: &[(Kind, Value)],
    gates: &FeatureGates,
    now: Instant,
    default_namespace: &str,
    runtime: &Runtime,
) -> Vec<Decision> {
    // With --force, objects that do not decode are left out; every result says how many.
    let mut skipped = 0;
    let mut fleets: Vec<Fleet> = decode_all(objects, Kind::Fleet, &mut skipped);
    let autoscalers: Vec<FleetAutoscaler> =
        decode_all(objects, Kind::FleetAutoscaler, &mut skipped);
    let mut gameservers: Vec<GameServer> = decode_all(objects, Kind::GameServer, &mut skipped);
    // The default namespace applies to objects that name none, as kubectl would.
    for f in &mut fleets {
        f.metadata.namespace = Some(namespace(&f.metadata, default_namespace));
    }
    for g in &mut gameservers {
        g.metadata.namespace = Some(namespace(&g.metadata, default_namespace));
    }
    let env = Env::new(gates, now, &gameservers).with_runtime(runtime);
    let mut out = Vec::new();
    for fas in &autoscalers {
        let ns = namespace(&fas.metadata, default_namespace);
        let fleet_name = fas
            .spec
            .as_ref()
            .map(|s| s.fleet_name.clone())
            .unwrap_or_default();
        let mut fas = fas.clone();
        fas.metadata.namespace = Some(ns.clone());
        match fleets.iter().find(|f| f.metadata.namespace.as_deref() == Some(ns.as_str()) && f.metadata.name.as_deref() == Some(fleet_name.as_str())) {
            Some(fleet) => out.push(simulate(&fas, fleet, &env)),
            None => out.push(Decision {
                autoscaler: format!("{ns}/{}", fas.metadata.name.clone().unwrap_or_default()),
                fleet: format!("{ns}/{fleet_name}"),
                policy: fas.spec.as_ref().map(|s| s.policy.policy_type.clone()).unwrap_or_default(),
                current_replicas: 0,
                desired_replicas: None,
                scaling_limited: false,
                able_to_scale: false,
                last_applied_policy: String::new(),
                scaled: false,
                event: None,
                error: Some(format!("could not fetch fleet: {fleet_name} (it is not among the inputs)")),
                trace: vec![format!("no Fleet {ns}/{fleet_name} among the inputs; Agones emits FailedGetFleet and marks the autoscaler unable to scale")],
            }),
        }
    }
    if skipped > 0 {
        for d in &mut out {
            d.trace.insert(0, format!("{skipped} input object(s) do not decode (see lint) and were left out of this simulation"));
        }
    }
    out
}

#[derive(Serialize)]
struct Out<'a> {
    version: u32,
    results: &'a [Decision],
}

pub fn render_json(decisions: &[Decision]) -> String {
    serde_json::to_string(&Out {
        version: 1,
        results: decisions,
    })
    .unwrap_or_default()
        + "\n"
}

/// A short report in the style of `kubectl describe`, then the trace.
pub fn render_human(decisions: &[Decision]) -> String {
    let mut s = String::new();
    if decisions.is_empty() {
        s.push_str("no FleetAutoscaler among the inputs: nothing to simulate\n");
    }
    for d in decisions {
        let opt = |v: Option<i32>| v.map_or("-".to_string(), |n| n.to_string());
        s.push_str(&format!("FleetAutoscaler:     {}\n", d.autoscaler));
        s.push_str(&format!("Fleet:               {}\n", d.fleet));
        s.push_str(&format!("Policy:              {}\n", d.policy));
        s.push_str("Status:\n");
        s.push_str(&format!("  Able To Scale:       {}\n", d.able_to_scale));
        s.push_str(&format!("  Current Replicas:    {}\n", d.current_replicas));
        s.push_str(&format!(
            "  Desired Replicas:    {}\n",
            opt(d.desired_replicas)
        ));
        s.push_str(&format!("  Scaling Limited:     {}\n", d.scaling_limited));
        s.push_str(&format!(
            "  Last Applied Policy: {}\n",
            if d.last_applied_policy.is_empty() {
                "-"
            } else {
                &d.last_applied_policy
            }
        ));
        match (&d.event, &d.error) {
            (_, Some(e)) => s.push_str(&format!("Events:\n  Warning  {e}\n")),
            (Some(ev), None) => {
                s.push_str(&format!("Events:\n  Normal   AutoScalingFleet  {ev}\n"))
            }
            (None, None) => {
                s.push_str("Events:              <none> (the Fleet already has the desired size)\n")
            }
        }
        s.push_str("Trace:\n");
        for t in &d.trace {
            s.push_str(&format!("  {t}\n"));
        }
        s.push('\n');
    }
    s
}
