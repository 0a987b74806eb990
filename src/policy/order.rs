//! The order in which Agones deletes a Fleet's GameServers on scale-down: upstream
//! `SortGameServersByStrategy` (`pkg/gameserversets/gameserversets.go`).
//!
//! Upstream sorts the informer's list (in no particular order) with Go's `sort.Slice`, which is
//! not stable, and its Packed comparator is not a strict order: it does not order two GameServers
//! that are both off any node, and on a node holding a not-yet-Ready, a Ready and an Allocated
//! GameServer it can be cyclic. There upstream's order is unspecified. This port keeps the
//! comparator as it is and makes the result repeatable: it starts from the list sorted by name
//! and sorts stably.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::model::agones::{GameServer, Priority};

/// Ready and Allocated GameServers on one node, as Agones' per-node counter tracks them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeCount {
    pub ready: i64,
    pub allocated: i64,
}

/// Counts over every GameServer given (Agones counts the whole cluster).
pub fn node_counts<'a>(
    all: impl IntoIterator<Item = &'a GameServer>,
) -> BTreeMap<String, NodeCount> {
    let mut counts: BTreeMap<String, NodeCount> = BTreeMap::new();
    for gs in all {
        let Some(status) = &gs.status else { continue };
        let Some(node) = status.node_name.as_deref().filter(|n| !n.is_empty()) else {
            continue;
        };
        let c = counts.entry(node.to_string()).or_default();
        match status.state.as_deref() {
            Some("Ready") => c.ready += 1,
            Some("Allocated") => c.allocated += 1,
            _ => {}
        }
    }
    counts
}

fn state(gs: &GameServer) -> &str {
    gs.status
        .as_ref()
        .and_then(|s| s.state.as_deref())
        .unwrap_or("")
}

fn node(gs: &GameServer) -> &str {
    gs.status
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .unwrap_or("")
}

fn name(gs: &GameServer) -> &str {
    gs.metadata.name.as_deref().unwrap_or("")
}

/// `IsBeforeReady`.
pub fn is_before_ready(gs: &GameServer) -> bool {
    matches!(
        state(gs),
        "PortAllocation" | "Creating" | "Starting" | "Scheduled" | "RequestReady"
    )
}

/// Available capacity of a Counter or List key on a GameServer, if it has the key.
fn available(gs: &GameServer, p: &Priority) -> Option<i64> {
    let st = gs.status.as_ref()?;
    match p.priority_type.as_str() {
        "Counter" => st.counters.get(&p.key).map(|c| c.capacity - c.count),
        "List" => st
            .lists
            .get(&p.key)
            .map(|l| l.capacity - l.values.len() as i64),
        _ => None,
    }
}

/// `compareCountAndListPriority` then the Descending flip of `CompareCountAndListPriorities`:
/// Some(true) when `a` sorts first.
fn compare_priorities(priorities: &[Priority], a: &GameServer, b: &GameServer) -> Option<bool> {
    for p in priorities {
        let descending = p.order.as_deref() == Some("Descending");
        let (x, y) = (available(a, p), available(b, p));
        let res = match (x, y) {
            (Some(x), Some(y)) if x == y => None,
            (Some(x), Some(y)) => Some(x < y),
            _ => {
                let (a_ok, b_ok) = (x.is_some(), y.is_some());
                if (a_ok && descending) || (b_ok && !descending) {
                    Some(false)
                } else if (a_ok && !descending) || (b_ok && descending) {
                    Some(true)
                } else {
                    None
                }
            }
        };
        if let Some(r) = res {
            return Some(if descending { !r } else { r });
        }
    }
    None
}

fn from_less(less: bool) -> Ordering {
    if less {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

/// Sorts `list` into deletion order for the Fleet's scheduling strategy.
pub fn sort_for_deletion(
    list: &mut [&GameServer],
    scheduling: &str,
    counts: &BTreeMap<String, NodeCount>,
    priorities: &[Priority],
    counts_and_lists: bool,
) {
    list.sort_by(|a, b| name(a).cmp(name(b)));
    let prio = |a: &GameServer, b: &GameServer| {
        if counts_and_lists {
            compare_priorities(priorities, a, b)
        } else {
            None
        }
    };
    if scheduling == "Distributed" {
        list.sort_by(|a, b| match prio(a, b) {
            Some(less) => from_less(less),
            None => {
                let ca = a
                    .metadata
                    .creation_timestamp
                    .as_ref()
                    .and_then(|v| v.as_str())
                    .unwrap_or("");
                let cb = b
                    .metadata
                    .creation_timestamp
                    .as_ref()
                    .and_then(|v| v.as_str())
                    .unwrap_or("");
                ca.cmp(cb).then_with(|| name(a).cmp(name(b)))
            }
        });
        return;
    }
    // The node totals are looked up once per GameServer rather than once per comparison.
    let mut keyed: Vec<(Option<i64>, &GameServer)> = list
        .iter()
        .map(|g| (counts.get(node(g)).map(|c| c.allocated + c.ready), *g))
        .collect();
    keyed.sort_by(|(ta, a), (tb, b)| {
        let (ta, tb) = match (ta, tb) {
            (None, None) => return name(a).cmp(name(b)),
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) => (x, y),
        };
        let same_node = node(a) == node(b);
        if same_node {
            if is_before_ready(a) && state(b) == "Ready" {
                return Ordering::Less;
            }
            if is_before_ready(b) && state(a) == "Ready" {
                return Ordering::Greater;
            }
        }
        if ta != tb {
            return ta.cmp(tb);
        }
        if same_node {
            if let Some(less) = prio(a, b) {
                return from_less(less);
            }
            return name(a).cmp(name(b));
        }
        node(a).cmp(node(b))
    });
    for (slot, (_, g)) in list.iter_mut().zip(keyed) {
        *slot = g;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::agones::{CounterStatus, GameServerSpec, GameServerStatus};
    use crate::model::meta::ObjectMeta;

    fn gs(name: &str, node: &str, state: &str, rooms: Option<(i64, i64)>) -> GameServer {
        let mut counters = BTreeMap::new();
        if let Some((count, capacity)) = rooms {
            counters.insert("rooms".to_string(), CounterStatus { count, capacity });
        }
        GameServer {
            api_version: "agones.dev/v1".into(),
            kind: "GameServer".into(),
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            spec: GameServerSpec::default(),
            status: Some(GameServerStatus {
                state: Some(state.into()),
                node_name: if node.is_empty() {
                    None
                } else {
                    Some(node.into())
                },
                counters,
                ..Default::default()
            }),
        }
    }

    fn names(list: &[&GameServer]) -> Vec<String> {
        list.iter()
            .map(|g| g.metadata.name.clone().unwrap_or_default())
            .collect()
    }

    #[test]
    fn packed_deletes_unscheduled_then_least_full_nodes() {
        let all = [
            gs("a", "n1", "Ready", None),
            gs("b", "n1", "Allocated", None),
            gs("c", "n2", "Ready", None),
            gs("d", "", "Creating", None),
            gs("e", "n1", "Starting", None),
            gs("f", "n3", "Ready", None),
            gs("g", "n3", "Ready", None),
        ];
        let counts = node_counts(all.iter());
        assert_eq!(
            counts["n1"],
            NodeCount {
                ready: 1,
                allocated: 1
            }
        );
        let mut list: Vec<&GameServer> = all.iter().collect();
        sort_for_deletion(&mut list, "Packed", &counts, &[], true);
        // d has no node; n2 has 1; n1 and n3 have 2 each, n1 first by name. On n1 upstream's
        // comparator is cyclic (e < a by state, a < b and b < e by name); from the name-sorted
        // list a stable sort keeps a, b and then e.
        assert_eq!(names(&list), ["d", "c", "a", "b", "e", "f", "g"]);
        // Without the Allocated one there is no cycle: Starting goes before Ready on a node.
        let two = [
            gs("a", "n1", "Ready", None),
            gs("e", "n1", "Starting", None),
        ];
        let mut list: Vec<&GameServer> = two.iter().collect();
        sort_for_deletion(&mut list, "Packed", &node_counts(two.iter()), &[], true);
        assert_eq!(names(&list), ["e", "a"]);
    }

    #[test]
    fn priorities_break_ties_within_a_node() {
        let all = [
            gs("a", "n1", "Ready", Some((1, 10))),
            gs("b", "n1", "Ready", Some((8, 10))),
            gs("c", "n1", "Ready", None),
        ];
        let counts = node_counts(all.iter());
        let asc = [Priority {
            priority_type: "Counter".into(),
            key: "rooms".into(),
            order: Some("Ascending".into()),
        }];
        let desc = [Priority {
            priority_type: "Counter".into(),
            key: "rooms".into(),
            order: Some("Descending".into()),
        }];
        let mut list: Vec<&GameServer> = all.iter().collect();
        sort_for_deletion(&mut list, "Packed", &counts, &asc, true);
        assert_eq!(
            names(&list),
            ["b", "a", "c"],
            "ascending: least available first, a GameServer without the key last"
        );
        sort_for_deletion(&mut list, "Packed", &counts, &desc, true);
        assert_eq!(
            names(&list),
            ["a", "b", "c"],
            "descending: most available first"
        );
        sort_for_deletion(&mut list, "Packed", &counts, &asc, false);
        assert_eq!(
            names(&list),
            ["a", "b", "c"],
            "without CountsAndLists, by name"
        );
    }
}
