//! GameServerAllocation rules: upstream `GameServerAllocation.Validate()` (after
//! `ApplyDefaults()`), the deprecated `required`/`preferred` conversion, and what fails when the
//! allocation runs.

use std::collections::BTreeMap;

use crate::fix::{Change, Edit, Proposal};
use crate::model::allocation::{
    GameServerAllocation, GameServerSelector, LabelSelectorRequirement,
};
use crate::model::gates::COUNTS_AND_LISTS;
use crate::path;
use crate::source::tree::{Entry, Node, Step, Value};

use super::labels::{check_annotations, check_labels, key_problem, label_value_problem};
use super::rules::*;
use super::{join, Context, Raw};

const PLAYER_ALLOCATION_FILTER: &str = "PlayerAllocationFilter";

/// `metav1.LabelSelectorAsSelector`'s checks.
fn label_selector(
    labels: &BTreeMap<String, String>,
    exprs: &[LabelSelectorRequirement],
    path: &[Step],
    out: &mut Vec<Raw>,
) {
    for (k, v) in labels {
        let p = join(&join(path, "matchLabels"), k.as_str());
        if let Some(why) = key_problem(k).or_else(|| label_value_problem(v)) {
            out.push(
                Raw::new(
                    &GSA001,
                    p,
                    format!("matchLabels `{k}: {v}` is not a valid label selector: {why}"),
                )
                .help("use a valid label key and value"),
            );
        }
    }
    for (i, e) in exprs.iter().enumerate() {
        let p = join(&join(path, "matchExpressions"), i);
        if let Some(why) = key_problem(&e.key) {
            out.push(
                Raw::new(
                    &GSA001,
                    join(&p, "key"),
                    format!("`{}` is not a valid label key: {why}", e.key),
                )
                .help("use a valid label key"),
            );
        }
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if e.values.is_empty() {
                    out.push(
                        Raw::new(
                            &GSA001,
                            join(&p, "values"),
                            format!("the {} operator needs at least one value", e.operator),
                        )
                        .help("list the values to match"),
                    );
                }
            }
            "Exists" | "DoesNotExist" => {
                if !e.values.is_empty() {
                    out.push(
                        Raw::new(
                            &GSA001,
                            join(&p, "values"),
                            format!("the {} operator takes no values", e.operator),
                        )
                        .help("remove `values`"),
                    );
                }
            }
            other => {
                let hint =
                    crate::suggest::closest(other, ["In", "NotIn", "Exists", "DoesNotExist"])
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                out.push(
                    Raw::new(
                        &GSA001,
                        join(&p, "operator"),
                        format!("`{other}` is not a label selector operator"),
                    )
                    .help(format!("{hint}use In, NotIn, Exists or DoesNotExist")),
                );
            }
        }
        for (j, v) in e.values.iter().enumerate() {
            if let Some(why) = label_value_problem(v) {
                out.push(
                    Raw::new(
                        &GSA001,
                        join(&join(&p, "values"), j),
                        format!("`{v}` is not a valid label value: {why}"),
                    )
                    .help("use a valid label value"),
                );
            }
        }
    }
}

fn negative(
    rule: &'static crate::checks::Rule,
    path: &[Step],
    field: &str,
    v: i64,
    out: &mut Vec<Raw>,
) {
    if v < 0 {
        out.push(
            Raw::new(
                rule,
                join(path, field),
                format!("{field} is {v}; it cannot be negative"),
            )
            .help("use 0 or more"),
        );
    }
}

/// `GameServerSelector.Validate`, after `ApplyDefaults`.
fn selector(s: &GameServerSelector, path: &[Step], ctx: &Context, out: &mut Vec<Raw>) {
    label_selector(&s.match_labels, &s.match_expressions, path, out);
    if let Some(state) = s.game_server_state.as_deref().filter(|s| !s.is_empty()) {
        if state != "Ready" && state != "Allocated" {
            out.push(
                Raw::new(
                    &GSA002,
                    join(path, "gameServerState"),
                    format!(
                        "an allocation can select only Ready or Allocated GameServers, not {state}"
                    ),
                )
                .help("use Ready (the default) or Allocated"),
            );
        }
    }
    if let Some(p) = s.players_in(ctx.cluster.release) {
        let pp = join(path, "players");
        if ctx.gates.enabled(PLAYER_ALLOCATION_FILTER) {
            negative(&GSA003, &pp, "minAvailable", p.min_available, out);
            negative(&GSA003, &pp, "maxAvailable", p.max_available, out);
            if p.min_available > p.max_available {
                out.push(
                    Raw::new(
                        &GSA003,
                        join(&pp, "minAvailable"),
                        format!(
                            "minAvailable ({}) is above maxAvailable ({})",
                            p.min_available, p.max_available
                        ),
                    )
                    .help("lower minAvailable or raise maxAvailable"),
                );
            }
        } else {
            out.push(
                Raw::new(&GSA004, pp, "the players filter is ignored while the PlayerAllocationFilter feature gate is off")
                    .help("enable PlayerAllocationFilter (alpha) in the cluster and lint with --feature-gates PlayerAllocationFilter=true, or remove the filter"),
            );
        }
    }
    let gate_on = ctx.gates.enabled(COUNTS_AND_LISTS);
    if let Some(counters) = &s.counters {
        let cp = join(path, "counters");
        if !gate_on {
            out.push(gate(&cp));
        } else {
            for (key, c) in counters {
                let kp = join(&cp, key.as_str());
                negative(&GSA005, &kp, "minCount", c.min_count, out);
                negative(&GSA005, &kp, "maxCount", c.max_count, out);
                if c.max_count < c.min_count && c.max_count != 0 {
                    out.push(
                        Raw::new(
                            &GSA005,
                            kp.clone(),
                            format!(
                                "maxCount ({}) is below minCount ({})",
                                c.max_count, c.min_count
                            ),
                        )
                        .help("raise maxCount, or set it to 0 for no maximum"),
                    );
                }
                negative(&GSA005, &kp, "minAvailable", c.min_available, out);
                negative(&GSA005, &kp, "maxAvailable", c.max_available, out);
                if c.max_available < c.min_available && c.max_available != 0 {
                    out.push(
                        Raw::new(
                            &GSA005,
                            kp.clone(),
                            format!(
                                "maxAvailable ({}) is below minAvailable ({})",
                                c.max_available, c.min_available
                            ),
                        )
                        .help("raise maxAvailable, or set it to 0 for no maximum"),
                    );
                }
            }
        }
    }
    if let Some(lists) = &s.lists {
        let lp = join(path, "lists");
        if !gate_on {
            out.push(gate(&lp));
        } else {
            for (key, l) in lists {
                let kp = join(&lp, key.as_str());
                negative(&GSA006, &kp, "minAvailable", l.min_available, out);
                negative(&GSA006, &kp, "maxAvailable", l.max_available, out);
                if l.max_available < l.min_available && l.max_available != 0 {
                    out.push(
                        Raw::new(
                            &GSA006,
                            kp.clone(),
                            format!(
                                "maxAvailable ({}) is below minAvailable ({})",
                                l.max_available, l.min_available
                            ),
                        )
                        .help("raise maxAvailable, or set it to 0 for no maximum"),
                    );
                }
            }
        }
    }
}

fn gate(path: &[Step]) -> Raw {
    let field = match path.last() {
        Some(Step::Key(k)) => k.clone(),
        _ => "this field".into(),
    };
    Raw::new(&GSA007, path.to_vec(), format!("`{field}` needs the CountsAndLists feature gate, which is off"))
        .help("enable it in the cluster (Helm: agones.featureGates=\"CountsAndLists=true\") and lint with --feature-gates CountsAndLists=true")
}

/// The spec's block mapping entries and their column; None for a flow mapping.
fn spec_entries(root: &Node) -> Option<(&[Entry], usize)> {
    let spec = root.get("spec")?;
    let Value::Map(entries) = &spec.value else {
        return None;
    };
    let first = entries.first()?;
    (spec.span.start == first.key_span.start)
        .then_some((entries, first.key_span.start.col as usize))
}

/// GSA010's fix: what Agones' conversion makes of `required` and `preferred`, written as
/// `selectors` where the first of them was. A missing `required` converts to the empty
/// selector (it matches every GameServer), so it is written as `- {}`.
fn deprecated_to_selectors(root: &Node, text: &str) -> Option<Vec<Edit>> {
    let (entries, indent) = spec_entries(root)?;
    if entries.iter().any(|e| e.key == "selectors") {
        return None;
    }
    let old: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.key == "required" || e.key == "preferred")
        .collect();
    let mut block = format!("{}selectors:\n", " ".repeat(indent));
    if let Some(p) = old.iter().find(|e| e.key == "preferred") {
        match &p.value.value {
            Value::Seq(items) if !text_starts(text, &p.value, '[') => {
                for item in items {
                    block.push_str(&crate::fix::as_sequence_item(text, item, indent + 2)?);
                }
            }
            Value::Null => {}
            _ => return None,
        }
    }
    match old.iter().find(|e| e.key == "required") {
        Some(r) if !matches!(r.value.value, Value::Null) => {
            block.push_str(&crate::fix::as_sequence_item(text, &r.value, indent + 2)?)
        }
        _ => block.push_str(&format!("{}- {{}}\n", " ".repeat(indent + 2))),
    }
    let mut edits = Vec::new();
    for (i, e) in old.iter().enumerate() {
        let with = if i == 0 {
            std::mem::take(&mut block)
        } else {
            String::new()
        };
        edits.push(crate::fix::replace_entry_lines(text, e, with)?);
    }
    Some(edits)
}

/// GSA010's fix when `selectors` is set: delete the conditions Agones ignores.
fn delete_deprecated(root: &Node, text: &str) -> Option<Vec<Edit>> {
    let (entries, _) = spec_entries(root)?;
    entries
        .iter()
        .filter(|e| e.key == "required" || e.key == "preferred")
        .map(|e| crate::fix::replace_entry_lines(text, e, String::new()))
        .collect()
}

fn text_starts(text: &str, n: &Node, c: char) -> bool {
    crate::source::lines::Lines::new(text)
        .offset_of(text, n.span.start)
        .is_some_and(|o| text[o..].starts_with(c))
}

pub fn check(gsa: &GameServerAllocation, ctx: &Context, out: &mut Vec<Raw>) {
    let spec = &gsa.spec;
    let uses_old = spec.required.is_some() || !spec.preferred.is_empty();
    if uses_old {
        let p = if spec.required.is_some() {
            path!["spec", "required"]
        } else {
            path!["spec", "preferred"]
        };
        if spec.selectors.is_empty() {
            out.push(
                Raw::new(&GSA010, p, "`required` and `preferred` are deprecated; Agones converts them to `selectors` (the preferred ones first, then required)")
                    .help("write the same as `selectors:`, in that order")
                    .fix(Proposal::safe(
                        "move `preferred` and `required` into `selectors`, in Agones' order",
                        Change::Computed(deprecated_to_selectors),
                    )),
            );
        } else {
            out.push(
                Raw::new(
                    &GSA010,
                    p,
                    "`selectors` is set, so Agones ignores `required` and `preferred`",
                )
                .help("move these conditions into `selectors`, or delete them")
                // Safe: Agones ignores them, so deleting them changes nothing it does.
                .fix(Proposal::safe(
                    "delete the ignored `required` and `preferred`",
                    Change::Computed(delete_deprecated),
                )),
            );
        }
    }
    // Not in Validate(), but the multi-cluster allocator parses this selector and fails on it.
    // It reads the selector only when multi-cluster allocation is enabled.
    if let Some(ps) = spec
        .multi_cluster_setting
        .as_ref()
        .filter(|m| m.enabled)
        .and_then(|m| m.policy_selector.as_ref())
    {
        label_selector(
            &ps.match_labels,
            &ps.match_expressions,
            &path!["spec", "multiClusterSetting", "policySelector"],
            out,
        );
    }
    // Validate() checks required, preferred and selectors alike, whichever is used.
    if let Some(r) = &spec.required {
        selector(r, &path!["spec", "required"], ctx, out);
    }
    for (i, s) in spec.preferred.iter().enumerate() {
        selector(s, &join(&path!["spec", "preferred"], i), ctx, out);
    }
    for (i, s) in spec.selectors.iter().enumerate() {
        selector(s, &join(&path!["spec", "selectors"], i), ctx, out);
    }
    if !ctx.gates.enabled(COUNTS_AND_LISTS) {
        if spec.priorities.is_some() {
            out.push(gate(&path!["spec", "priorities"]));
        }
        if spec.counters.is_some() {
            out.push(gate(&path!["spec", "counters"]));
        }
        if spec.lists.is_some() {
            out.push(gate(&path!["spec", "lists"]));
        }
    } else {
        for (i, p) in spec.priorities.iter().flatten().enumerate() {
            // validatePriorities: an empty type is neither Counter nor List.
            if p.priority_type.is_empty() {
                out.push(
                    Raw::new(
                        &GSA008,
                        join(&join(&path!["spec", "priorities"], i), "type"),
                        "a priority needs a `type`: Counter or List",
                    )
                    .help("add `type: Counter` or `type: List`"),
                );
            }
            if p.key.is_empty() {
                out.push(
                    Raw::new(
                        &GSA008,
                        join(&path!["spec", "priorities"], i),
                        "a priority needs a `key`",
                    )
                    .help("name the Counter or List to sort by"),
                );
            }
        }
        for (key, a) in spec.counters.iter().flatten() {
            let kp = join(&path!["spec", "counters"], key.as_str());
            if let Some(n) = a.amount {
                negative(&GSA009, &kp, "amount", n, out);
            }
            if let Some(n) = a.capacity {
                negative(&GSA009, &kp, "capacity", n, out);
            }
            match (&a.action, a.amount) {
                (None, Some(_)) => out.push(Raw::new(&GSA009, kp.clone(), "an `amount` needs an `action` (Increment or Decrement)").help("add `action: Increment` or `action: Decrement`")),
                (Some(_), None) => out.push(Raw::new(&GSA009, kp.clone(), "an `action` needs an `amount`").help("add `amount: 1` (or the step you want)")),
                // Validate() lets any action through; applying it fails with a Warning event
                // on the GameServer, and the allocation itself succeeds.
                (Some(act), Some(_)) if act != "Increment" && act != "Decrement" => out.push(
                    Raw::new(&GSA011, join(&kp, "action"), format!("`{act}` is not a counter action: the allocation succeeds, but this counter is not changed (Agones records a Warning event on the GameServer)"))
                        .help("use Increment or Decrement"),
                ),
                _ => {}
            }
        }
        for (key, a) in spec.lists.iter().flatten() {
            if let Some(n) = a.capacity {
                let kp = join(&path!["spec", "lists"], key.as_str());
                negative(&GSA009, &kp, "capacity", n, out);
                if n > 1000 {
                    out.push(Raw::new(&GSA011, join(&kp, "capacity"), format!("capacity {n} is above the List maximum of 1000: the allocation succeeds, but the capacity is not changed (Agones records a Warning event on the GameServer)")).help("use at most 1000"));
                }
            }
        }
    }
    if let Some(meta) = &spec.metadata {
        check_labels(&meta.labels, &path!["spec", "metadata", "labels"], out);
        check_annotations(
            &meta.annotations,
            &path!["spec", "metadata", "annotations"],
            out,
        );
    }
}
