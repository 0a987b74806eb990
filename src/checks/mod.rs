//! Checks: from an object's tree to findings with field paths.

pub mod allocation;
pub mod autoscaler;
pub mod cross;
pub mod defaults;
pub mod gameserver;
pub mod labels;
pub mod live;
pub mod meta;
pub mod mutate;
pub mod pipeline;
pub mod pod;
pub mod quantity;
pub mod rules;
pub mod scenario;
pub mod schema;
pub mod update;

use crate::golang::time::Instant;
use crate::model::gates::FeatureGates;
use crate::path;
use crate::source::tree::{path_to_string, Step};

pub use rules::Rule;

/// What every check may depend on besides the object.
#[derive(Debug, Clone)]
pub struct Context {
    /// The feature gates, of the release in `cluster` (their defaults are its own).
    pub gates: FeatureGates,
    /// The clock: schedules are judged against it.
    pub now: Instant,
    /// The namespace of objects that do not name one.
    pub default_namespace: String,
    /// Wasm modules lint may inspect (`--wasm-module`, `--fetch`); None keeps lint offline.
    pub modules: Option<std::sync::Arc<crate::external::ModuleCatalog>>,
    /// How the target cluster and its clients treat what the CRDs do not describe.
    pub cluster: Cluster,
}

/// What varies between clusters and clients in the create pipeline (`.agones-lint.yaml`).
#[derive(Debug, Clone, Copy)]
pub struct Cluster {
    /// `kubectl apply` (1.27+) asks for strict field validation, so the API server refuses
    /// unknown fields; clients that do not ask get them dropped silently.
    pub unknown_fields_rejected: bool,
    /// Agones installed with the Helm value `gameservers.podPreserveUnknownFields: true`: the
    /// Pod template keeps fields its schema does not describe.
    pub pod_preserve_unknown_fields: bool,
    /// The Agones release the cluster runs: its CRDs, webhooks and Pod template schema.
    pub release: &'static crate::model::release::Release,
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster {
            unknown_fields_rejected: true,
            pod_preserve_unknown_fields: false,
            release: crate::model::release::newest(),
        }
    }
}

/// A finding before it is located in a file.
#[derive(Debug, Clone)]
pub struct Raw {
    pub rule: &'static Rule,
    pub path: Vec<Step>,
    pub message: String,
    pub help: Option<String>,
    pub admission: crate::finding::Admission,
    /// A mechanical fix, placed when the finding is located.
    pub fix: Option<Box<crate::fix::Proposal>>,
}

impl Raw {
    pub fn new(rule: &'static Rule, path: Vec<Step>, message: impl Into<String>) -> Raw {
        Raw {
            rule,
            path,
            message: message.into(),
            help: None,
            admission: crate::finding::Admission::of(rule),
            fix: None,
        }
    }

    pub fn fix(mut self, proposal: crate::fix::Proposal) -> Raw {
        self.fix = Some(Box::new(proposal));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Raw {
        self.help = Some(help.into());
        self
    }

    pub fn path_string(&self) -> String {
        path_to_string(&self.path)
    }
}

/// Appends a step to a path, returning a new path.
pub fn join(path: &[Step], step: impl crate::source::tree::IntoStep) -> Vec<Step> {
    let mut p = Vec::with_capacity(path.len() + 1);
    p.extend_from_slice(path);
    p.push(step.into_step());
    p
}

/// The findings of one object, before they are located in its file.
pub struct Checked {
    pub kind: Option<String>,
    pub object: Option<String>,
    pub raws: Vec<Raw>,
    /// What the cross-resource pass needs from this object.
    pub facts: Vec<cross::Facts>,
}

/// Runs every rule that applies to one object. Objects that are not Agones objects yield
/// nothing (they are skipped silently).
pub fn check_object(
    root: &crate::source::tree::Node,
    file: usize,
    ctx: &Context,
    lifecycle: live::Lifecycle,
) -> Checked {
    use crate::model::agones::{Fleet, GameServer};
    use crate::model::allocation::GameServerAllocation;
    use crate::model::autoscaling::FleetAutoscaler;
    use crate::model::{classify, Classification, Kind};
    use crate::source::tree::Node;
    let api_version = root
        .get("apiVersion")
        .and_then(Node::as_str)
        .unwrap_or_default();
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or_default();
    let mut raws = Vec::new();
    let object = || {
        let meta = root.get("metadata");
        let s = |k: &str| {
            meta.and_then(|m| m.get(k))
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
        };
        let ns = s("namespace").unwrap_or(&ctx.default_namespace);
        match (s("name"), s("generateName")) {
            (Some(n), _) => format!("{ns}/{n}"),
            (None, Some(g)) => format!("{ns}/{g}*"),
            _ => format!("{ns}/<unnamed>"),
        }
    };
    match classify(api_version, kind) {
        Classification::Foreign | Classification::Unchecked => Checked {
            kind: None,
            object: None,
            raws,
            facts: Vec::new(),
        },
        Classification::Unknown(why) => {
            raws.push(Raw::new(&rules::K8S001, path!["kind"], why).help("fix `apiVersion` and `kind`; Agones serves Fleet, GameServer, GameServerSet (agones.dev/v1), FleetAutoscaler (autoscaling.agones.dev/v1) and GameServerAllocation (allocation.agones.dev/v1)"));
            Checked {
                kind: Some(kind.to_string()),
                object: Some(object()),
                raws,
                facts: Vec::new(),
            }
        }
        Classification::Checked(k) => {
            // The allocation handler never validates a GameServerAllocation's own metadata.
            if k.has_crd() {
                meta::check(root, true, &mut raws);
            }
            let json = root.to_json_without_nulls();
            if lifecycle == live::Lifecycle::Patch {
                // Only what the patch sets is judged; the merged object is kustomize's.
                pipeline::admit_patch(k, json, root, ctx.cluster, &mut raws);
                return Checked {
                    kind: Some(kind.to_string()),
                    object: Some(object()),
                    raws,
                    facts: Vec::new(),
                };
            }
            let identity = cross::identity_facts(kind, root, file, ctx);
            let mut facts: Vec<cross::Facts> = Vec::new();
            let cluster = ctx.cluster;
            // The rules judge the object as stored, after defaulting, as Validate() does.
            let admitted = match k {
                Kind::FleetAutoscaler => pipeline::admit(
                    json,
                    root,
                    cluster,
                    &mut raws,
                    |fas: &FleetAutoscaler, raws| {
                        autoscaler::check(fas, ctx, raws);
                        facts.extend(
                            cross::autoscaler_facts(fas, root, file, ctx)
                                .map(|a| cross::Facts::Autoscaler(Box::new(a))),
                        );
                    },
                ),
                Kind::Fleet => {
                    pipeline::admit(json, root, cluster, &mut raws, |f: &Fleet, raws| {
                        gameserver::check_fleet(f, ctx, raws);
                        facts.extend(
                            cross::fleet_facts(f, root, file, ctx)
                                .map(|f| cross::Facts::Fleet(Box::new(f))),
                        );
                    })
                }
                Kind::GameServer => {
                    pipeline::admit(json, root, cluster, &mut raws, |gs: &GameServer, raws| {
                        gameserver::check_gameserver(gs, ctx, raws)
                    })
                }
                Kind::Scenario => pipeline::admit_unmutated(
                    k,
                    cluster.release,
                    json,
                    root,
                    &mut raws,
                    |s: &crate::scenario::spec::Scenario, raws| scenario::check(s, ctx, raws),
                ),
                Kind::GameServerAllocation => pipeline::admit_unmutated(
                    k,
                    cluster.release,
                    json,
                    root,
                    &mut raws,
                    |gsa: &GameServerAllocation, raws| {
                        allocation::check(gsa, ctx, raws);
                        facts.push(cross::Facts::Allocation(Box::new(cross::allocation_facts(
                            gsa, root, file, ctx,
                        ))));
                    },
                ),
            };
            // A Fleet's or autoscaler's own facts name it; other objects need a separate
            // identity, first among their facts.
            if let Some(id) = identity.filter(|_| !facts.iter().any(cross::Facts::carries_identity))
            {
                facts.insert(0, cross::Facts::Identity(Box::new(id)));
            }
            if let (Err(e), true) = (admitted.decoded, admitted.clean) {
                raws.push(
                    Raw::new(&rules::SCH005, path!["spec"], format!("Agones cannot decode this object: {e}"))
                        .help("make every value fit its field's type (integers within 32 bits where Agones uses int32)"),
                );
            }
            // One finding per field: where the schema already rejects a field, the cluster never
            // gets as far as Agones' own checks of it.
            let structural: Vec<String> = raws
                .iter()
                .filter(|r| r.rule.code.starts_with("SCH"))
                .map(Raw::path_string)
                .collect();
            raws.retain(|r| {
                r.rule.code.starts_with("SCH") || !structural.contains(&r.path_string())
            });
            // The pipeline and a rule may both see the same fault (a quantity Agones cannot
            // decode): report it once.
            let mut seen = std::collections::HashSet::new();
            raws.retain(|r| seen.insert((r.rule.code, r.path_string())));
            if lifecycle == live::Lifecycle::Live {
                raws.retain(|r| live::applies_to_live(r.rule));
                for f in &mut facts {
                    if let cross::Facts::Fleet(fleet) = f {
                        fleet.live = true;
                    }
                }
            }
            Checked {
                kind: Some(kind.to_string()),
                object: Some(object()),
                raws,
                facts,
            }
        }
    }
}
