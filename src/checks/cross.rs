//! Checks across resources. The linted set is the inventory: every document of one run. Each
//! file's worker extracts small facts (with the spans findings need), so the trees can be
//! dropped before this pass joins Fleets and FleetAutoscalers.

use std::collections::BTreeMap;

use crate::model::agones::Fleet;
use crate::model::allocation::{GameServerAllocation, GameServerSelector};
use crate::model::autoscaling::{CapacityPolicy, FleetAutoscaler, FleetAutoscalerPolicy};
use crate::path;
use crate::source::tree::{path_to_string, Node, Span, Step};

use super::rules::{self, Rule};
use super::{join, Context};
use crate::intern::intern;

/// Text a fact shares with others of the run (see `crate::intern`).
pub type Shared = std::sync::Arc<str>;

/// A small map held in a fact until the pass across resources: the entries sorted by key in
/// one exact allocation. A run keeps a fact or more per document, and a `BTreeMap` of one
/// entry allocates room for eleven.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SmallMap<V>(Box<[(String, V)]>);

impl<V> SmallMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl<V> FromIterator<(String, V)> for SmallMap<V> {
    /// As a map does, a later entry for a key replaces an earlier one.
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> Self {
        let mut v: Vec<(String, V)> = entries.into_iter().collect();
        // Stable, so that of equal keys the last written stays last.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, V)> = Vec::with_capacity(v.len());
        for entry in v {
            match out.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => out.push(entry),
            }
        }
        SmallMap(out.into_boxed_slice())
    }
}

/// Where a fact came from, to place a finding on it.
#[derive(Debug, Clone)]
pub struct At {
    pub file: usize,
    pub span: Span,
    pub path: Shared,
}

fn at(file: usize, root: &Node, path: &[Step]) -> At {
    At {
        file,
        span: root.locate(path).0,
        path: intern(&path_to_string(path)),
    }
}

#[derive(Debug, Clone)]
pub struct TemplateCounter {
    pub count: i64,
    pub capacity: i64,
}

#[derive(Debug, Clone)]
pub struct FleetFacts {
    pub namespace: Shared,
    pub name: Shared,
    pub at: At,
    /// `spec.replicas` when written in the manifest, and the extent of its entry (key to value),
    /// for the fix that removes it.
    pub replicas: Option<(i32, At, Span)>,
    pub counters: SmallMap<TemplateCounter>,
    /// List capacity and how many values the template starts with.
    pub lists: SmallMap<TemplateCounter>,
    /// The cluster already holds it: its `spec.replicas` is the autoscaler's, not the author's.
    pub live: bool,
}

#[derive(Debug, Clone)]
pub enum PolicyFacts {
    Buffer {
        max: i32,
        at_max: At,
    },
    /// Boxed: three times a Buffer's size, and most policies are Buffers.
    Capacity(Box<CapacityFacts>),
}

#[derive(Debug, Clone)]
pub struct CapacityFacts {
    pub is_counter: bool,
    pub key: Shared,
    pub at_key: At,
    /// The key's value as written, where a fix respells it.
    pub key_value: Span,
    pub min: i64,
    pub max: i64,
    pub at_min: At,
    pub at_max: At,
}

#[derive(Debug, Clone)]
pub struct AutoscalerFacts {
    pub namespace: Shared,
    pub name: Shared,
    /// `metadata.name`, where a duplicate of this autoscaler is reported.
    pub at_name: At,
    pub fleet_name: Shared,
    pub at_fleet_name: At,
    pub policies: Vec<PolicyFacts>,
    /// A chain with no entry that always applies, but Counter/List entries that do when the
    /// Fleet defines their key (FAS032 unless it does): the chain's location and the keys.
    pub chain_needs_keys: Option<Box<ChainKeys>>,
}

/// Where a chain is, and the Counter (true) and List keys its conditional entries need.
pub type ChainKeys = (At, Vec<(bool, String)>);

impl FleetFacts {
    /// `namespace/name`, as findings name objects.
    pub fn object(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

impl AutoscalerFacts {
    /// `namespace/name`, as findings name objects.
    pub fn object(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// One selector of an allocation, in the order Agones tries them.
#[derive(Debug, Clone)]
pub struct SelectorFacts {
    pub at: At,
    /// The `agones.dev/fleet` label the selector asks for, and where.
    pub fleet: Option<(Shared, At)>,
    pub labels: SmallMap<String>,
    pub expressions: Vec<(String, String, Vec<String>)>,
    pub state: Shared,
    pub players: Option<(i64, i64)>,
    pub counters: SmallMap<(i64, i64, i64, i64)>,
    pub lists: SmallMap<(String, i64, i64)>,
}

#[derive(Debug, Clone)]
pub struct AllocationFacts {
    pub namespace: Shared,
    pub object: Shared,
    pub selectors: Vec<SelectorFacts>,
    /// Counter and List keys the allocation names: (is counter, key, where).
    pub keys: Vec<(bool, String, At)>,
}

/// Every named Agones object: two with the same identity overwrite each other when applied.
#[derive(Debug, Clone)]
pub struct IdentityFacts {
    pub kind: Shared,
    pub namespace: Shared,
    pub name: Shared,
    pub at: At,
}

#[derive(Debug, Clone)]
/// Boxed: a run holds a fact or two per document until the pass across resources, and most
/// are far smaller than the largest.
pub enum Facts {
    Fleet(Box<FleetFacts>),
    Autoscaler(Box<AutoscalerFacts>),
    Allocation(Box<AllocationFacts>),
    Identity(Box<IdentityFacts>),
}

/// The identity of a named object (`metadata.name`, not `generateName`).
pub fn identity_facts(
    kind: &str,
    root: &Node,
    file: usize,
    ctx: &Context,
) -> Option<IdentityFacts> {
    let meta = root.get("metadata")?;
    let name = meta
        .get("name")
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty())?;
    let namespace = meta
        .get("namespace")
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or(&ctx.default_namespace);
    Some(IdentityFacts {
        kind: intern(kind),
        namespace: intern(namespace),
        name: intern(name),
        at: at(file, root, &path!["metadata", "name"]),
    })
}

fn namespace_of(meta_ns: &Option<String>, ctx: &Context) -> Shared {
    intern(
        meta_ns
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(&ctx.default_namespace),
    )
}

pub fn fleet_facts(f: &Fleet, root: &Node, file: usize, ctx: &Context) -> Option<FleetFacts> {
    let name = f.metadata.name.clone().filter(|n| !n.is_empty())?;
    let namespace = namespace_of(&f.metadata.namespace, ctx);
    let spec = &f.spec.template.spec;
    Some(FleetFacts {
        namespace,
        name: intern(&name),
        at: at(file, root, &path!["metadata", "name"]),
        replicas: f.spec.replicas.map(|r| {
            let extent = root
                .get("spec")
                .and_then(|s| s.entry("replicas"))
                .map(|e| Span {
                    start: e.key_span.start,
                    end: e.value.span.end,
                })
                .unwrap_or_default();
            (r, at(file, root, &path!["spec", "replicas"]), extent)
        }),
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
        live: false,
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
    let chain_needs_keys = match (spec.policy.policy_type.as_str(), &spec.policy.chain) {
        ("Chain", Some(entries))
            if !entries.is_empty()
                && !super::autoscaler::chain_has_unconditional_entry(entries, ctx) =>
        {
            let keys = super::autoscaler::fallback_keys(entries, ctx);
            (!keys.is_empty())
                .then(|| Box::new((at(file, root, &path!["spec", "policy", "chain"]), keys)))
        }
        _ => None,
    };
    policies.shrink_to_fit();
    Some(AutoscalerFacts {
        namespace,
        name: intern(&name),
        at_name: at(file, root, &path!["metadata", "name"]),
        fleet_name: intern(&spec.fleet_name),
        at_fleet_name: at(file, root, &path!["spec", "fleetName"]),
        policies,
        chain_needs_keys,
    })
}

pub fn allocation_facts(
    gsa: &GameServerAllocation,
    root: &Node,
    file: usize,
    ctx: &Context,
) -> AllocationFacts {
    let namespace = namespace_of(&gsa.metadata.namespace, ctx);
    let name = gsa
        .metadata
        .name
        .clone()
        .or_else(|| gsa.metadata.generate_name.clone())
        .unwrap_or_else(|| "<unnamed>".into());
    let spec = &gsa.spec;
    // Agones' Converter: without `selectors`, the preferred selectors come first, then required.
    let mut ordered: Vec<(Vec<Step>, &GameServerSelector)> = Vec::new();
    if spec.selectors.is_empty() {
        for (i, s) in spec.preferred.iter().enumerate() {
            ordered.push((path!["spec", "preferred", i], s));
        }
        if let Some(r) = &spec.required {
            ordered.push((path!["spec", "required"], r));
        }
    } else {
        for (i, s) in spec.selectors.iter().enumerate() {
            ordered.push((path!["spec", "selectors", i], s));
        }
    }
    let mut keys = Vec::new();
    let selectors = ordered
        .into_iter()
        .map(|(p, s)| {
            for (k, _) in s.counters.iter().flatten() {
                keys.push((
                    true,
                    k.clone(),
                    at(file, root, &join(&join(&p, "counters"), k.as_str())),
                ));
            }
            for (k, _) in s.lists.iter().flatten() {
                keys.push((
                    false,
                    k.clone(),
                    at(file, root, &join(&join(&p, "lists"), k.as_str())),
                ));
            }
            SelectorFacts {
                at: at(file, root, &p),
                fleet: s.match_labels.get("agones.dev/fleet").map(|f| {
                    (
                        intern(f),
                        at(
                            file,
                            root,
                            &join(&join(&p, "matchLabels"), "agones.dev/fleet"),
                        ),
                    )
                }),
                labels: s
                    .match_labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                expressions: s
                    .match_expressions
                    .iter()
                    .map(|e| (e.key.clone(), e.operator.clone(), e.values.clone()))
                    .collect(),
                state: intern(
                    s.game_server_state
                        .as_deref()
                        .filter(|s| !s.is_empty())
                        .unwrap_or("Ready"),
                ),
                players: s
                    .players_in(ctx.cluster.release)
                    .map(|p| (p.min_available, p.max_available)),
                counters: s
                    .counters
                    .iter()
                    .flatten()
                    .map(|(k, c)| {
                        (
                            k.clone(),
                            (c.min_count, c.max_count, c.min_available, c.max_available),
                        )
                    })
                    .collect(),
                lists: s
                    .lists
                    .iter()
                    .flatten()
                    .map(|(k, l)| {
                        (
                            k.clone(),
                            (l.contains_value.clone(), l.min_available, l.max_available),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    for (i, pr) in spec.priorities.iter().flatten().enumerate() {
        if !pr.key.is_empty() {
            keys.push((
                pr.priority_type == "Counter",
                pr.key.clone(),
                at(file, root, &path!["spec", "priorities", i, "key"]),
            ));
        }
    }
    for k in spec.counters.iter().flatten().map(|(k, _)| k) {
        keys.push((
            true,
            k.clone(),
            at(file, root, &path!["spec", "counters", k.as_str()]),
        ));
    }
    for k in spec.lists.iter().flatten().map(|(k, _)| k) {
        keys.push((
            false,
            k.clone(),
            at(file, root, &path!["spec", "lists", k.as_str()]),
        ));
    }
    keys.shrink_to_fit();
    AllocationFacts {
        object: format!("{namespace}/{name}").into(),
        namespace,
        selectors,
        keys,
    }
}

/// Whether every GameServer `later` matches is also matched by `earlier`, so that `later` is
/// tried only when `earlier` found nothing, and then finds nothing either.
fn subsumes(earlier: &SelectorFacts, later: &SelectorFacts) -> bool {
    earlier.state == later.state
        && earlier
            .labels
            .iter()
            .all(|(k, v)| later.labels.get(k) == Some(v))
        && earlier
            .expressions
            .iter()
            .all(|e| later.expressions.contains(e))
        && (earlier.players.is_none() || earlier.players == later.players)
        && earlier
            .counters
            .iter()
            .all(|(k, v)| later.counters.get(k) == Some(v))
        && earlier
            .lists
            .iter()
            .all(|(k, v)| later.lists.get(k) == Some(v))
}

fn allocation_against_fleets(
    a: &AllocationFacts,
    fleets: &BTreeMap<(Shared, Shared), &FleetFacts>,
    by_namespace: &BTreeMap<&str, Vec<&FleetFacts>>,
    out: &mut Vec<CrossFinding>,
) {
    let finding = |rule: &'static Rule, at: &At, message: String, help: String| CrossFinding {
        fix: None,
        rule,
        error_instead: false,
        at: at.clone(),
        kind: "GameServerAllocation".into(),
        object: a.object.to_string(),
        message,
        help,
    };
    let mut named: Vec<&FleetFacts> = Vec::new();
    let mut unknown_fleet = false;
    let in_namespace = by_namespace
        .get(&*a.namespace)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for s in &a.selectors {
        if let Some((name, fleet_at)) = &s.fleet {
            match fleets.get(&(a.namespace.clone(), name.clone())) {
                Some(f) => named.push(f),
                None => {
                    unknown_fleet = true;
                    let help = match crate::suggest::closest(
                        name,
                        in_namespace.iter().map(|f| &*f.name),
                    ) {
                        Some(s) => format!(
                            "did you mean `{s}`? (or ignore this if the Fleet lives elsewhere)"
                        ),
                        None => {
                            "check the Fleet name (or ignore this if the Fleet lives elsewhere)"
                                .into()
                        }
                    };
                    out.push(finding(
                        &rules::REF008,
                        fleet_at,
                        format!("the selector asks for Fleet `{name}`, which is not in namespace `{}` among the linted files", a.namespace),
                        help,
                    ));
                }
            }
        }
    }
    // Keys are checked against the Fleets the selectors name, or all Fleets of the namespace;
    // when a named Fleet is not in the run, nothing is known about its keys.
    let keys_knowable = !(unknown_fleet && named.is_empty());
    let candidates = if named.is_empty() {
        by_namespace.get(&*a.namespace).cloned().unwrap_or_default()
    } else {
        named
    };
    if keys_knowable && !candidates.is_empty() {
        for (is_counter, key, at) in &a.keys {
            let defined = candidates.iter().any(|f| {
                if *is_counter {
                    f.counters.contains_key(key)
                } else {
                    f.lists.contains_key(key)
                }
            });
            if !defined {
                let what = if *is_counter { "Counter" } else { "List" };
                let fleets: Vec<String> = candidates.iter().map(|f| f.object()).collect();
                out.push(finding(
                    &rules::REF009,
                    at,
                    format!(
                        "no Fleet this allocation can select ({}) defines a {what} `{key}`",
                        fleets.join(", ")
                    ),
                    format!(
                        "check the key, or add `{key}` to the Fleet template's {}",
                        if *is_counter { "counters" } else { "lists" }
                    ),
                ));
            }
        }
    }
    for (j, later) in a.selectors.iter().enumerate() {
        if let Some(i) = a.selectors[..j]
            .iter()
            .position(|earlier| subsumes(earlier, later))
        {
            out.push(finding(
                &rules::REF010,
                &later.at,
                format!("this selector can never win: every GameServer it matches, the earlier selector {} matches too", a.selectors[i].at.path),
                "make the earlier selector stricter, or put the stricter selector first".into(),
            ));
        }
    }
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
            out.push(PolicyFacts::Capacity(Box::new(CapacityFacts {
                is_counter,
                key: intern(&c.key),
                at_key: at(file, root, &join(&cp, "key")),
                key_value: root
                    .at(&join(&cp, "key"))
                    .map(|n| n.span)
                    .unwrap_or_default(),
                min: c.min_capacity,
                max: c.max_capacity,
                at_min: at(file, root, &join(&cp, "minCapacity")),
                at_max: at(file, root, &join(&cp, "maxCapacity")),
            })));
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
    pub fix: Option<Box<crate::fix::Fix>>,
    pub error_instead: bool,
    pub at: At,
    pub kind: String,
    pub object: String,
    pub message: String,
    pub help: String,
}

/// FAS032 for a chain whose only candidates for a fallback are Counter or List entries, and the
/// Fleet (absent from the run, or without the keys) does not make one of them always apply.
fn no_fallback(
    a: &AutoscalerFacts,
    at_chain: &At,
    keys: &[(bool, String)],
    fleet_in_run: bool,
) -> CrossFinding {
    let names: Vec<String> = keys
        .iter()
        .map(|(c, k)| format!("{} `{k}`", if *c { "Counter" } else { "List" }))
        .collect();
    let why = if fleet_in_run {
        "the Fleet defines none of them"
    } else {
        "the Fleet is not in the run, so nothing shows it defines them"
    };
    CrossFinding {
        rule: &rules::FAS032,
        fix: None,
        error_instead: false,
        at: at_chain.clone(),
        kind: "FleetAutoscaler".into(),
        object: a.object(),
        message: format!(
            "every entry of this chain can fall through: its {} {} only while the Fleet defines the key, and {why}",
            names.join(", "),
            if names.len() == 1 { "entry applies" } else { "entries apply" }
        ),
        help: "end the chain with an entry that always applies (a Buffer policy), or lint the Fleet in the same run (--context)".into(),
    }
}

/// Options of the cross-resource pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossOptions {
    /// An autoscaler whose Fleet is not in the run is an error, not an info.
    pub require_targets: bool,
}

/// REF011: objects of one kind, namespace and name, each after the first in the run's order.
/// Sorting indices finds them without a map of every object's identity (a run holds one per
/// document).
fn duplicate_identities(facts: &[Facts], file_names: &[&str], out: &mut Vec<CrossFinding>) {
    let ids: Vec<Identity<'_>> = facts.iter().filter_map(Facts::identity).collect();
    let same = |a: &Identity<'_>, b: &Identity<'_>| {
        a.kind == b.kind && a.namespace == b.namespace && a.name == b.name
    };
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&ids[a], &ids[b]);
        (x.kind, &**x.namespace, &**x.name)
            .cmp(&(y.kind, &**y.namespace, &**y.name))
            .then(a.cmp(&b))
    });
    let mut first_of: Vec<(usize, usize)> = Vec::new();
    for group in order.chunk_by(|&a, &b| same(&ids[a], &ids[b])) {
        first_of.extend(group[1..].iter().map(|&copy| (copy, group[0])));
    }
    first_of.sort_unstable();
    for (copy, first) in first_of {
        let (id, first) = (&ids[copy], &ids[first]);
        out.push(CrossFinding {
            rule: &rules::REF011,
            fix: None,
            error_instead: false,
            at: id.at.clone(),
            kind: id.kind.to_string(),
            object: format!("{}/{}", id.namespace, id.name),
            message: format!(
                "another {} named {}/{} is at {}:{}; applying both keeps only the last",
                id.kind,
                id.namespace,
                id.name,
                file_names.get(first.at.file).copied().unwrap_or("?"),
                first.at.span.start.line
            ),
            help: "rename one of them, or delete the stale copy".into(),
        });
    }
}

/// A named object's identity, from whichever fact carries it.
struct Identity<'a> {
    kind: &'a str,
    namespace: &'a Shared,
    name: &'a Shared,
    at: &'a At,
}

impl Facts {
    /// Fleets and autoscalers carry their identity themselves (`check_object` then keeps no
    /// separate identity fact for them).
    fn identity(&self) -> Option<Identity<'_>> {
        match self {
            Facts::Identity(id) => Some(Identity {
                kind: &id.kind,
                namespace: &id.namespace,
                name: &id.name,
                at: &id.at,
            }),
            Facts::Fleet(f) => Some(Identity {
                kind: "Fleet",
                namespace: &f.namespace,
                name: &f.name,
                at: &f.at,
            }),
            Facts::Autoscaler(a) if !a.name.is_empty() => Some(Identity {
                kind: "FleetAutoscaler",
                namespace: &a.namespace,
                name: &a.name,
                at: &a.at_name,
            }),
            Facts::Autoscaler(_) | Facts::Allocation(_) => None,
        }
    }

    /// Whether this fact already holds the identity `identity_facts` would give its object.
    pub fn carries_identity(&self) -> bool {
        matches!(self, Facts::Fleet(_))
            || matches!(self, Facts::Autoscaler(a) if !a.name.is_empty())
    }
}

/// Runs every check across resources. `file_names` names the files facts point into.
pub fn check(facts: &[Facts], file_names: &[&str], opts: CrossOptions) -> Vec<CrossFinding> {
    let mut out = Vec::new();
    duplicate_identities(facts, file_names, &mut out);
    let mut fleets: BTreeMap<(Shared, Shared), &FleetFacts> = BTreeMap::new();
    for f in facts {
        if let Facts::Fleet(fl) = f {
            fleets
                .entry((fl.namespace.clone(), fl.name.clone()))
                .or_insert(fl);
        }
    }
    let mut by_namespace: BTreeMap<&str, Vec<&FleetFacts>> = BTreeMap::new();
    for f in fleets.values() {
        by_namespace.entry(&*f.namespace).or_default().push(f);
    }
    for f in facts {
        if let Facts::Allocation(a) = f {
            allocation_against_fleets(a, &fleets, &by_namespace, &mut out);
        }
    }
    // The autoscalers whose Fleet is in the run, grouped by it below.
    let mut owners: Vec<&AutoscalerFacts> = Vec::new();
    for f in facts {
        let Facts::Autoscaler(a) = f else { continue };
        let key = (a.namespace.clone(), a.fleet_name.clone());
        if let Some((at_chain, keys)) = a.chain_needs_keys.as_deref() {
            let defined = fleets.get(&key).is_some_and(|fleet| {
                keys.iter().any(|(is_counter, k)| {
                    if *is_counter {
                        fleet.counters.contains_key(k)
                    } else {
                        fleet.lists.contains_key(k)
                    }
                })
            });
            if !defined {
                out.push(no_fallback(a, at_chain, keys, fleets.contains_key(&key)));
            }
        }
        let Some(fleet) = fleets.get(&key) else {
            out.push(CrossFinding {
                rule: &rules::REF001,
                fix: None,
                error_instead: opts.require_targets,
                at: a.at_fleet_name.clone(),
                kind: "FleetAutoscaler".into(),
                object: a.object(),
                message: format!("no Fleet `{}` in namespace `{}` among the linted files", a.fleet_name, a.namespace),
                help: "lint the Fleet's manifest in the same run to check the autoscaler against it (or ignore this if the Fleet lives elsewhere)".into(),
            });
            continue;
        };
        owners.push(a);
        for p in &a.policies {
            policy_against_fleet(a, p, fleet, &mut out);
        }
    }
    owners.sort_by(|a, b| (&a.namespace, &a.fleet_name).cmp(&(&b.namespace, &b.fleet_name)));
    for autoscalers in
        owners.chunk_by(|a, b| a.namespace == b.namespace && a.fleet_name == b.fleet_name)
    {
        let first = autoscalers[0];
        let fleet = fleets[&(first.namespace.clone(), first.fleet_name.clone())];
        if let Some((replicas, at_replicas, extent)) =
            fleet.replicas.as_ref().filter(|_| !fleet.live)
        {
            out.push(CrossFinding {
                rule: &rules::REF006,
                fix: Some(Box::new(crate::fix::removal(
                    "remove `spec.replicas` (the autoscaler sets it)",
                    *extent,
                ))),
                error_instead: false,
                at: at_replicas.clone(),
                kind: "Fleet".into(),
                object: fleet.object(),
                message: format!("`replicas: {replicas}` is set, but FleetAutoscaler {} manages this Fleet's size", autoscalers[0].object()),
                help: "remove `spec.replicas` from the manifest (or ignore the field in your GitOps tool); otherwise every sync resets the size the autoscaler chose".into(),
            });
        }
        // Two documents of one autoscaler are one object to the cluster (REF011 reports the
        // copy): count and name each autoscaler once.
        if autoscalers.len() < 2 {
            continue;
        }
        let mut names: Vec<String> = autoscalers.iter().map(|a| a.object()).collect();
        names.sort_unstable();
        names.dedup();
        if names.len() > 1 {
            for a in autoscalers {
                out.push(CrossFinding {
                    rule: &rules::REF007,
                    fix: None,
                    error_instead: false,
                    at: a.at_fleet_name.clone(),
                    kind: "FleetAutoscaler".into(),
                    object: a.object(),
                    message: format!(
                        "{} FleetAutoscalers target Fleet {}: {}",
                        names.len(),
                        fleet.object(),
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
        fix: None,
        rule,
        error_instead: false,
        at: at.clone(),
        kind: "FleetAutoscaler".into(),
        object: a.object(),
        message,
        help,
    };
    match p {
        PolicyFacts::Buffer { max, at_max } => {
            if let Some((replicas, _, _)) = &fleet.replicas {
                if max < replicas {
                    out.push(finding(
                        &rules::REF005,
                        at_max,
                        format!("maxReplicas ({max}) is below Fleet {}'s replicas ({replicas}); the first sync shrinks the Fleet", fleet.object()),
                        format!("raise maxReplicas to at least {replicas}, or lower the Fleet's replicas"),
                    ));
                }
            }
        }
        PolicyFacts::Capacity(c) => {
            let CapacityFacts {
                is_counter,
                key,
                at_key,
                key_value,
                min,
                max,
                at_min,
                at_max,
            } = &**c;
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
                let mut f = finding(
                    &rules::REF002,
                    at_key,
                    format!("Fleet {} defines no {what} `{key}` in spec.template.spec.{field}; every sync of this policy fails", fleet.object()),
                    format!("{hint}add `{key}` to the Fleet's template {field}, or use a key it defines ({})", if known.is_empty() { "none".to_string() } else { known.join(", ") }),
                );
                // Only a key the Fleet has one near match for is a typo to correct.
                f.fix = crate::suggest::unique_closest(key, known.iter().copied()).map(|to| {
                    Box::new(crate::fix::respell(
                        format!("use the Fleet's {what} `{to}`"),
                        *key_value,
                        key,
                        to,
                    ))
                });
                out.push(f);
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
                    format!("each new GameServer of Fleet {} starts with no free `{key}` ({why}), so this policy can never scale up", fleet.object()),
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

#[cfg(test)]
mod tests {
    use super::SmallMap;

    #[test]
    fn a_small_map_finds_keys_and_keeps_the_last_of_equal_keys() {
        let m: SmallMap<i32> = [("b", 1), ("a", 2), ("b", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(m.get("a"), Some(&2));
        assert_eq!(m.get("b"), Some(&3));
        assert!(!m.contains_key("c"));
        let keys: Vec<&String> = m.keys().collect();
        assert_eq!(keys, ["a", "b"]);
        assert!(SmallMap::<i32>::default().get("a").is_none());
    }
}
