//! Checks across resources. The linted set is the inventory: every document of one run. Each
//! file's worker extracts small facts (with the spans findings need), so the trees can be
//! dropped before this pass joins Fleets and FleetAutoscalers.

use std::collections::BTreeMap;

use crate::model::agones::Fleet;
use crate::model::autoscaling::{CapacityPolicy, FleetAutoscaler, FleetAutoscalerPolicy};
use crate::path;
use crate::source::tree::{path_to_string, Node, Span, Step};

use super::rules::{self, Rule};
use super::{join, Context};

/// Where a fact came from, to place a finding on it.
#[derive(Debug, Clone)]
pub struct At {
    pub file: usize,
    pub span: Span,
    pub path: String,
}

fn at(file: usize, root: &Node, path: &[Step]) -> At {
    At {
        file,
        span: root.locate(path).0,
        path: path_to_string(path),
    }
}

#[derive(Debug, Clone)]
pub struct TemplateCounter {
    pub count: i64,
    pub capacity: i64,
}

#[derive(Debug, Clone)]
pub struct FleetFacts {
    pub namespace: String,
    pub name: String,
    pub object: String,
    pub at: At,
    /// `spec.replicas` when written in the manifest.
    pub replicas: Option<(i32, At)>,
    pub counters: BTreeMap<String, TemplateCounter>,
    /// List capacity and how many values the template starts with.
    pub lists: BTreeMap<String, TemplateCounter>,
}

#[derive(Debug, Clone)]
pub enum PolicyFacts {
    Buffer {
        max: i32,
        at_max: At,
    },
    Capacity {
        is_counter: bool,
        key: String,
        at_key: At,
        min: i64,
        max: i64,
        at_min: At,
        at_max: At,
    },
}

#[derive(Debug, Clone)]
pub struct AutoscalerFacts {
    pub namespace: String,
    pub object: String,
    pub fleet_name: String,
    pub at_fleet_name: At,
    pub policies: Vec<PolicyFacts>,
}

#[derive(Debug, Clone)]
pub enum Facts {
    Fleet(FleetFacts),
    Autoscaler(AutoscalerFacts),
}

fn namespace_of(meta_ns: &Option<String>, ctx: &Context) -> String {
    meta_ns
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| ctx.default_namespace.clone())
}

pub fn fleet_facts(f: &Fleet, root: &Node, file: usize, ctx: &Context) -> Option<FleetFacts> {
    let name = f.metadata.name.clone().filter(|n| !n.is_empty())?;
    let namespace = namespace_of(&f.metadata.namespace, ctx);
    let spec = &f.spec.template.spec;
    Some(FleetFacts {
        object: format!("{namespace}/{name}"),
        namespace,
        name,
        at: at(file, root, &path!["metadata", "name"]),
        replicas: f
            .spec
            .replicas
            .map(|r| (r, at(file, root, &path!["spec", "replicas"]))),
        counters: spec
            .counters
            .iter()
            .map(|(k, c)| {
                (
                    k.clone(),
                    TemplateCounter {
                        count: c.count,
                        capacity: c.capacity,
                    },
                )
            })
            .collect(),
        lists: spec
            .lists
            .iter()
            .map(|(k, l)| {
                (
                    k.clone(),
                    TemplateCounter {
                        count: l.values.len() as i64,
                        capacity: l.capacity,
                    },
                )
            })
            .collect(),
    })
}

pub fn autoscaler_facts(
    fas: &FleetAutoscaler,
    root: &Node,
    file: usize,
    ctx: &Context,
) -> Option<AutoscalerFacts> {
    let spec = fas.spec.as_ref()?;
    let namespace = namespace_of(&fas.metadata.namespace, ctx);
    let name = fas.metadata.name.clone().unwrap_or_default();
    let mut policies = Vec::new();
    collect(
        &spec.policy,
        &path!["spec", "policy"],
        root,
        file,
        &mut policies,
    );
    Some(AutoscalerFacts {
        object: format!("{namespace}/{name}"),
        namespace,
        fleet_name: spec.fleet_name.clone(),
        at_fleet_name: at(file, root, &path!["spec", "fleetName"]),
        policies,
    })
}

/// Every Buffer, Counter and List policy, wherever it stands (chains, schedules).
fn collect(
    p: &FleetAutoscalerPolicy,
    path: &[Step],
    root: &Node,
    file: usize,
    out: &mut Vec<PolicyFacts>,
) {
    let capacity =
        |c: &CapacityPolicy, is_counter: bool, field: &str, out: &mut Vec<PolicyFacts>| {
            let cp = join(path, field);
            out.push(PolicyFacts::Capacity {
                is_counter,
                key: c.key.clone(),
                at_key: at(file, root, &join(&cp, "key")),
                min: c.min_capacity,
                max: c.max_capacity,
                at_min: at(file, root, &join(&cp, "minCapacity")),
                at_max: at(file, root, &join(&cp, "maxCapacity")),
            });
        };
    match p.policy_type.as_str() {
        "Buffer" => {
            if let Some(b) = &p.buffer {
                out.push(PolicyFacts::Buffer {
                    max: b.max_replicas,
                    at_max: at(file, root, &join(&join(path, "buffer"), "maxReplicas")),
                });
            }
        }
        "Counter" => {
            if let Some(c) = &p.counter {
                capacity(c, true, "counter", out);
            }
        }
        "List" => {
            if let Some(l) = &p.list {
                capacity(l, false, "list", out);
            }
        }
        "Schedule" => {
            if let Some(s) = &p.schedule {
                collect(
                    &s.policy,
                    &join(&join(path, "schedule"), "policy"),
                    root,
                    file,
                    out,
                );
            }
        }
        "Chain" => {
            for (i, e) in p.chain.iter().flatten().enumerate() {
                collect(&e.policy, &join(&join(path, "chain"), i), root, file, out);
            }
        }
        _ => {}
    }
}

/// A finding of the cross-resource pass, already located.
#[derive(Debug, Clone)]
pub struct CrossFinding {
    pub rule: &'static Rule,
    pub error_instead: bool,
    pub at: At,
    pub kind: &'static str,
    pub object: String,
    pub message: String,
    pub help: String,
}

/// Options of the cross-resource pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossOptions {
    /// An autoscaler whose Fleet is not in the run is an error, not an info.
    pub require_targets: bool,
}

pub fn check(facts: &[Facts], opts: CrossOptions) -> Vec<CrossFinding> {
    let mut out = Vec::new();
    let mut fleets: BTreeMap<(String, String), &FleetFacts> = BTreeMap::new();
    for f in facts {
        if let Facts::Fleet(fl) = f {
            fleets
                .entry((fl.namespace.clone(), fl.name.clone()))
                .or_insert(fl);
        }
    }
    let mut owners: BTreeMap<(String, String), Vec<&AutoscalerFacts>> = BTreeMap::new();
    for f in facts {
        let Facts::Autoscaler(a) = f else { continue };
        let key = (a.namespace.clone(), a.fleet_name.clone());
        let Some(fleet) = fleets.get(&key) else {
            out.push(CrossFinding {
                rule: &rules::REF001,
                error_instead: opts.require_targets,
                at: a.at_fleet_name.clone(),
                kind: "FleetAutoscaler",
                object: a.object.clone(),
                message: format!("no Fleet `{}` in namespace `{}` among the linted files", a.fleet_name, a.namespace),
                help: "lint the Fleet's manifest in the same run to check the autoscaler against it (or ignore this if the Fleet lives elsewhere)".into(),
            });
            continue;
        };
        owners.entry(key).or_default().push(a);
        for p in &a.policies {
            policy_against_fleet(a, p, fleet, &mut out);
        }
    }
    for (key, autoscalers) in &owners {
        let fleet = fleets[key];
        if let Some((replicas, at_replicas)) = &fleet.replicas {
            out.push(CrossFinding {
                rule: &rules::REF006,
                error_instead: false,
                at: at_replicas.clone(),
                kind: "Fleet",
                object: fleet.object.clone(),
                message: format!("`replicas: {replicas}` is set, but FleetAutoscaler {} manages this Fleet's size", autoscalers[0].object),
                help: "remove `spec.replicas` from the manifest (or ignore the field in your GitOps tool); otherwise every sync resets the size the autoscaler chose".into(),
            });
        }
        if autoscalers.len() > 1 {
            let names: Vec<&str> = autoscalers.iter().map(|a| a.object.as_str()).collect();
            for a in autoscalers {
                out.push(CrossFinding {
                    rule: &rules::REF007,
                    error_instead: false,
                    at: a.at_fleet_name.clone(),
                    kind: "FleetAutoscaler",
                    object: a.object.clone(),
                    message: format!(
                        "{} FleetAutoscalers target Fleet {}: {}",
                        autoscalers.len(),
                        fleet.object,
                        names.join(", ")
                    ),
                    help: "keep one FleetAutoscaler per Fleet; combine policies with a Chain"
                        .into(),
                });
            }
        }
    }
    out
}

fn policy_against_fleet(
    a: &AutoscalerFacts,
    p: &PolicyFacts,
    fleet: &FleetFacts,
    out: &mut Vec<CrossFinding>,
) {
    let finding = |rule: &'static Rule, at: &At, message: String, help: String| CrossFinding {
        rule,
        error_instead: false,
        at: at.clone(),
        kind: "FleetAutoscaler",
        object: a.object.clone(),
        message,
        help,
    };
    match p {
        PolicyFacts::Buffer { max, at_max } => {
            if let Some((replicas, _)) = &fleet.replicas {
                if max < replicas {
                    out.push(finding(
                        &rules::REF005,
                        at_max,
                        format!("maxReplicas ({max}) is below Fleet {}'s replicas ({replicas}); the first sync shrinks the Fleet", fleet.object),
                        format!("raise maxReplicas to at least {replicas}, or lower the Fleet's replicas"),
                    ));
                }
            }
        }
        PolicyFacts::Capacity {
            is_counter,
            key,
            at_key,
            min,
            max,
            at_min,
            at_max,
        } => {
            let (what, field, map) = if *is_counter {
                ("Counter", "counters", &fleet.counters)
            } else {
                ("List", "lists", &fleet.lists)
            };
            let Some(t) = map.get(key) else {
                let known: Vec<&str> = map.keys().map(String::as_str).collect();
                let hint = crate::suggest::closest(key, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                out.push(finding(
                    &rules::REF002,
                    at_key,
                    format!("Fleet {} defines no {what} `{key}` in spec.template.spec.{field}; every sync of this policy fails", fleet.object),
                    format!("{hint}add `{key}` to the Fleet's template {field}, or use a key it defines ({})", if known.is_empty() { "none".to_string() } else { known.join(", ") }),
                ));
                return;
            };
            if t.capacity == 0 || t.count >= t.capacity {
                let why = if t.capacity == 0 {
                    "capacity 0".to_string()
                } else {
                    format!("{} of {} already used", t.count, t.capacity)
                };
                out.push(finding(
                    &rules::REF003,
                    at_key,
                    format!("each new GameServer of Fleet {} starts with no free `{key}` ({why}), so this policy can never scale up", fleet.object),
                    format!("give the Fleet's template {what} `{key}` a capacity above its initial count"),
                ));
                return;
            }
            for (value, at, name) in [(*min, at_min, "minCapacity"), (*max, at_max, "maxCapacity")]
            {
                if value > 0 && value < t.capacity {
                    out.push(finding(
                        &rules::REF004,
                        at,
                        format!("{name} ({value}) is below the {what} capacity of a single GameServer ({}); one GameServer already exceeds it", t.capacity),
                        format!("use a multiple of {}, or lower the capacity in the Fleet's template", t.capacity),
                    ));
                } else if value > 0 && value % t.capacity != 0 {
                    out.push(finding(
                        &rules::REF004,
                        at,
                        format!("{name} ({value}) is not a multiple of the {what} capacity per GameServer ({}); the Fleet can only reach multiples", t.capacity),
                        format!("use a multiple of {}, such as {}", t.capacity, (value / t.capacity).max(1) * t.capacity),
                    ));
                }
            }
        }
    }
}
