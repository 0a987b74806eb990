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

/// The fields each kind's simulation reads (see `policy::engine`): a broken one makes the
/// object unusable; anything else broken is left out (lint reports it).
pub const FLEET_READS: &[&str] = &[
    "metadata",
    "spec.replicas",
    "spec.scheduling",
    "spec.priorities",
    "spec.template.spec.counters",
    "spec.template.spec.lists",
    "spec.template.spec.players",
    "status",
];
pub const GAMESERVER_READS: &[&str] = &["metadata", "status", "spec.counters", "spec.lists"];
pub const AUTOSCALER_READS: &[&str] = &["metadata", "spec"];

/// Decodes every object of `kind` as the controller would read it.
fn decode_all<T: serde::de::DeserializeOwned>(
    objects: &[(Kind, Value)],
    kind: Kind,
    reads: &[&str],
) -> Vec<Result<T, Unusable>> {
    objects
        .iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, v)| {
            crate::model::lenient::decode(v.clone(), reads)
                .map(|(t, _dropped)| t)
                .map_err(|e| Unusable {
                    name: object_name(v),
                    namespace: v["metadata"]["namespace"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    why: if e.path.is_empty() {
                        e.message
                    } else {
                        format!("{}: {}", e.path, e.message)
                    },
                })
        })
        .collect()
}

/// An object the simulation cannot use: a field it reads does not decode.
struct Unusable {
    name: String,
    namespace: String,
    why: String,
}

fn object_name(v: &Value) -> String {
    v["metadata"]["name"]
        .as_str()
        .unwrap_or("<unnamed>")
        .to_string()
}

/// Simulates every FleetAutoscaler in `objects`. Objects are read leniently, as the controller
/// reads them (missing fields are zero values); an object whose read fields are broken is left
/// out, and the results say so.
pub fn run(
    objects: &[(Kind, Value)],
    gates: &FeatureGates,
    now: Instant,
    default_namespace: &str,
    runtime: &Runtime,
) -> Vec<Decision> {
    let mut unusable_fleets = Vec::new();
    let mut fleets: Vec<Fleet> = Vec::new();
    for r in decode_all::<Fleet>(objects, Kind::Fleet, FLEET_READS) {
        match r {
            Ok(f) => fleets.push(f),
            Err(u) => unusable_fleets.push(u),
        }
    }
    let mut skipped_gameservers = Vec::new();
    let mut gameservers: Vec<GameServer> = Vec::new();
    for r in decode_all::<GameServer>(objects, Kind::GameServer, GAMESERVER_READS) {
        match r {
            Ok(g) => gameservers.push(g),
            Err(u) => skipped_gameservers.push(u),
        }
    }
    // The default namespace applies to objects that name none, as kubectl would.
    for f in &mut fleets {
        f.metadata.namespace = Some(namespace(&f.metadata, default_namespace));
    }
    for g in &mut gameservers {
        g.metadata.namespace = Some(namespace(&g.metadata, default_namespace));
    }
    let ns_or_default = |ns: &str| {
        if ns.is_empty() {
            default_namespace.to_string()
        } else {
            ns.to_string()
        }
    };
    let env = Env::new(gates, now, &gameservers).with_runtime(runtime);
    let mut out = Vec::new();
    for fas in decode_all::<FleetAutoscaler>(objects, Kind::FleetAutoscaler, AUTOSCALER_READS) {
        let fas = match fas {
            Ok(f) => f,
            Err(u) => {
                let ns = ns_or_default(&u.namespace);
                out.push(Decision::failed(
                    format!("{ns}/{}", u.name),
                    String::new(),
                    String::new(),
                    format!("the FleetAutoscaler cannot be read: {}", u.why),
                    vec!["a field the controller reads does not decode (see lint); the autoscaler fails every sync".into()],
                ));
                continue;
            }
        };
        let ns = namespace(&fas.metadata, default_namespace);
        let fleet_name = fas
            .spec
            .as_ref()
            .map(|s| s.fleet_name.clone())
            .unwrap_or_default();
        let policy = fas
            .spec
            .as_ref()
            .map(|s| s.policy.policy_type.clone())
            .unwrap_or_default();
        let mut fas = fas.clone();
        fas.metadata.namespace = Some(ns.clone());
        let autoscaler = format!("{ns}/{}", fas.metadata.name.clone().unwrap_or_default());
        if let Some(u) = unusable_fleets
            .iter()
            .find(|u| ns_or_default(&u.namespace) == ns && u.name == fleet_name)
        {
            out.push(Decision::failed(
                autoscaler,
                format!("{ns}/{fleet_name}"),
                policy,
                format!("the Fleet cannot be read: {}", u.why),
                vec![format!("Fleet {ns}/{fleet_name}: a field the controller reads does not decode (see lint)")],
            ));
            continue;
        }
        match fleets.iter().find(|f| f.metadata.namespace.as_deref() == Some(ns.as_str()) && f.metadata.name.as_deref() == Some(fleet_name.as_str())) {
            Some(fleet) => out.push(simulate(&fas, fleet, &env)),
            None => out.push(Decision::failed(
                autoscaler,
                format!("{ns}/{fleet_name}"),
                policy,
                format!("could not fetch fleet: {fleet_name} (it is not among the inputs)"),
                vec![format!("no Fleet {ns}/{fleet_name} among the inputs; Agones emits FailedGetFleet and marks the autoscaler unable to scale")],
            )),
        }
    }
    if !skipped_gameservers.is_empty() {
        let names: Vec<String> = skipped_gameservers
            .iter()
            .map(|u| format!("{}/{} ({})", ns_or_default(&u.namespace), u.name, u.why))
            .collect();
        for d in &mut out {
            d.trace.insert(
                0,
                format!(
                    "{} GameServer(s) left out, a field the controller reads does not decode: {}",
                    names.len(),
                    names.join(", ")
                ),
            );
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
        match &d.limited_by {
            Some(by) => s.push_str(&format!("  Scaling Limited:     true, by {by}\n")),
            None => s.push_str(&format!("  Scaling Limited:     {}\n", d.scaling_limited)),
        }
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
