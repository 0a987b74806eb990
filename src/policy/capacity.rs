//! Counter and List policies: upstream `applyCounterOrListPolicy`, `scaleUp`, `scaleDown` and
//! `scaleLimited`, including their arithmetic corner cases.

use crate::model::agones::{Fleet, GameServer};
use crate::model::autoscaling::{CapacityPolicy, IntOrString};

use super::buffer::percent;

/// What the policy needs of one GameServer, in deletion order.
fn gs_counts(gs: &GameServer, key: &str, is_counter: bool) -> Option<(i64, i64)> {
    let st = gs.status.as_ref()?;
    if is_counter {
        st.counters.get(key).map(|c| (c.count, c.capacity))
    } else {
        st.lists
            .get(key)
            .map(|l| (l.values.len() as i64, l.capacity))
    }
}

/// Desired replicas and whether capacity limits applied. `sorted` yields the Fleet's
/// GameServers in deletion order (computed only when scale-down needs it).
pub fn apply<'g>(
    c: &CapacityPolicy,
    is_counter: bool,
    fleet: &Fleet,
    sorted: &mut dyn FnMut() -> Vec<&'g GameServer>,
    trace: &mut Vec<String>,
) -> Result<(i32, Option<String>), String> {
    let what = if is_counter { "Counter" } else { "List" };
    let key = c.key.as_str();
    let template = &fleet.spec.template.spec;
    let (count, capacity) = if is_counter {
        template.counters.get(key).map(|t| (t.count, t.capacity))
    } else {
        template
            .lists
            .get(key)
            .map(|t| (t.values.len() as i64, t.capacity))
    }
    .ok_or_else(|| {
        format!("cannot apply {what}Policy as {what} key {key} does not exist in the Fleet Spec")
    })?;
    let status = fleet.status.clone().unwrap_or_default();
    let agg = if is_counter {
        status.counters.get(key)
    } else {
        status.lists.get(key)
    }
    .ok_or_else(|| {
        format!("cannot apply {what}Policy as {what} key {key} does not exist in the Fleet Status")
    })?;
    let (agg_count, agg_capacity, agg_allocated) = (agg.count, agg.capacity, agg.allocated_count);
    let (min, max) = (c.min_capacity, c.max_capacity);
    let replicas = status.replicas;
    trace.push(format!(
        "{what} `{key}`: each new GameServer brings capacity {capacity} with {count} used; the Fleet has {agg_count} of {agg_capacity} used ({agg_allocated} on allocated GameServers), limits {min}..{max}"
    ));
    let (limited, scale) = is_limited(agg_capacity, min, max);
    let buffer = match &c.buffer_size {
        IntOrString::Int(n) => *n,
        IntOrString::Str(s) => {
            let pct = percent(s)?;
            if agg_allocated <= 0 && capacity >= min {
                trace.push(format!("nothing is allocated and one GameServer's capacity ({capacity}) reaches minCapacity ({min}): 1 replica, limited"));
                return Ok((1, Some(format!("minCapacity {min}: nothing is allocated and one GameServer's capacity {capacity} reaches it"))));
            }
            let desired = ((agg_allocated * 100) as f64 / (100 - pct) as f64).ceil() as i64;
            trace.push(format!("buffer {pct}%: desired capacity ceil({agg_allocated} × 100 / {}) = {desired}, so {} available", 100 - pct, desired - agg_allocated));
            desired - agg_allocated
        }
    };
    let available = agg_capacity - agg_count;
    trace.push(format!("available {available}, wanted buffer {buffer}"));
    if available == buffer {
        if limited {
            return scale_limited(
                scale,
                sorted,
                key,
                is_counter,
                replicas,
                capacity,
                agg_capacity,
                min,
                max,
                trace,
            );
        }
        trace.push(format!("at the buffer: stay at {replicas}"));
        return Ok((replicas, None));
    }
    if available < buffer {
        if limited {
            return scale_limited(
                scale,
                sorted,
                key,
                is_counter,
                replicas,
                capacity,
                agg_capacity,
                min,
                max,
                trace,
            );
        }
        return scale_up(
            replicas,
            capacity,
            count,
            agg_capacity,
            available,
            max,
            min,
            buffer,
            trace,
        );
    }
    if limited && scale == 1 {
        return scale_limited(
            scale,
            sorted,
            key,
            is_counter,
            replicas,
            capacity,
            agg_capacity,
            min,
            max,
            trace,
        );
    }
    scale_down(
        sorted,
        key,
        is_counter,
        replicas,
        agg_count,
        agg_capacity,
        min,
        buffer,
        trace,
    )
}

fn is_limited(agg_capacity: i64, min: i64, max: i64) -> (bool, i32) {
    if agg_capacity < min {
        (true, 1)
    } else if agg_capacity > max {
        (true, -1)
    } else {
        (false, 0)
    }
}

#[allow(clippy::too_many_arguments)]
fn scale_limited<'g>(
    scale: i32,
    sorted: &mut dyn FnMut() -> Vec<&'g GameServer>,
    key: &str,
    is_counter: bool,
    mut replicas: i32,
    capacity: i64,
    mut agg_capacity: i64,
    min: i64,
    max: i64,
    trace: &mut Vec<String>,
) -> Result<(i32, Option<String>), String> {
    match scale {
        1 => {
            if capacity == 0 {
                return Err("cannot scale up as Capacity is equal to 0".into());
            }
            let start = replicas;
            while agg_capacity < min {
                agg_capacity += capacity;
                replicas += 1;
            }
            trace.push(format!("capacity is below minCapacity {min}: add GameServers until it is reached, {start} → {replicas} (limited)"));
            Ok((
                replicas,
                Some(format!(
                    "minCapacity {min}: the Fleet's capacity is below it"
                )),
            ))
        }
        -1 => {
            let start = replicas;
            let mut walked = Vec::new();
            for gs in sorted() {
                if agg_capacity <= max {
                    break;
                }
                if let Some((_, cap)) = gs_counts(gs, key, is_counter) {
                    agg_capacity -= cap;
                }
                walked.push(gs.metadata.name.clone().unwrap_or_default());
                replicas -= 1;
            }
            if replicas < 1 {
                replicas = 1;
            }
            trace.push(format!("capacity is above maxCapacity {max}: remove GameServers in deletion order ({}), {start} → {replicas} (limited)", walked.join(", ")));
            Ok((
                replicas,
                Some(format!(
                    "maxCapacity {max}: the Fleet's capacity is above it"
                )),
            ))
        }
        _ => Ok((replicas, None)),
    }
}

#[allow(clippy::too_many_arguments)]
fn scale_up(
    replicas: i32,
    capacity: i64,
    count: i64,
    agg_capacity: i64,
    available: i64,
    max: i64,
    min: i64,
    buffer: i64,
    trace: &mut Vec<String>,
) -> Result<(i32, Option<String>), String> {
    let per_replica = capacity - count;
    if per_replica <= 0 {
        return Err(
            "cannot scale up as adding additional replicas does not increase available Capacity"
                .into(),
        );
    }
    let mut additional = ((buffer - available) as f64 / per_replica as f64).ceil() as i64;
    let (limited, _) = is_limited(agg_capacity + additional * capacity, min, max);
    if limited {
        additional = (max - agg_capacity) / capacity;
        trace.push(format!(
            "scale up: {additional} more GameServer(s), limited by maxCapacity {max}"
        ));
    } else {
        trace.push(format!("scale up: ceil(({buffer} - {available}) / {per_replica}) = {additional} more GameServer(s)"));
    }
    let limited_by = limited
        .then(|| format!("maxCapacity {max}: the buffer needs more capacity than it allows"));
    Ok((replicas + additional as i32, limited_by))
}

#[allow(clippy::too_many_arguments)]
fn scale_down<'g>(
    sorted: &mut dyn FnMut() -> Vec<&'g GameServer>,
    key: &str,
    is_counter: bool,
    mut replicas: i32,
    mut agg_count: i64,
    mut agg_capacity: i64,
    min: i64,
    buffer: i64,
    trace: &mut Vec<String>,
) -> Result<(i32, Option<String>), String> {
    if agg_capacity == min {
        trace.push(format!(
            "already at minCapacity {min}: stay at {replicas} (limited)"
        ));
        return Ok((
            replicas,
            Some(format!("minCapacity {min}: scale-down stops there")),
        ));
    }
    let mut walked = Vec::new();
    let at_min = format!("minCapacity {min}: scale-down stops there");
    let done = |walked: &Vec<String>,
                why: &str,
                r: i32,
                limited: Option<String>,
                trace: &mut Vec<String>| {
        trace.push(format!(
            "scale down: walked {} in deletion order; {why}: {r} replicas",
            walked.join(", ")
        ));
        Ok((r, limited))
    };
    for gs in sorted() {
        replicas -= 1;
        walked.push(gs.metadata.name.clone().unwrap_or_default());
        let Some((c, cap)) = gs_counts(gs, key, is_counter) else {
            continue;
        };
        agg_count -= c;
        agg_capacity -= cap;
        let available = agg_capacity - agg_count;
        if available < buffer {
            return done(
                &walked,
                "removing the last one would go below the buffer",
                replicas + 1,
                None,
                trace,
            );
        }
        if agg_capacity < min {
            return done(
                &walked,
                "removing the last one would go below minCapacity",
                replicas + 1,
                Some(at_min.clone()),
                trace,
            );
        }
        if available == buffer {
            return done(&walked, "the buffer is met", replicas, None, trace);
        }
        if agg_capacity == min {
            return done(
                &walked,
                "minCapacity is met",
                replicas,
                Some(at_min.clone()),
                trace,
            );
        }
    }
    if replicas < 1 {
        replicas = 1;
    }
    done(
        &walked,
        "every GameServer walked (Agones keeps at least 1)",
        replicas,
        None,
        trace,
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::agones::{
        AggregatedStatus, CounterSpec, FleetSpec, FleetStatus, GameServerSpec,
        GameServerTemplateSpec,
    };
    use crate::model::meta::ObjectMeta;

    /// A Fleet with one Counter `key`: template (count, capacity), status replicas and the
    /// aggregate (allocated count, count, capacity).
    fn fleet(key: &str, template: (i64, i64), replicas: i32, agg: (i64, i64, i64)) -> Fleet {
        let mut counters = BTreeMap::new();
        counters.insert(
            key.to_string(),
            CounterSpec {
                count: template.0,
                capacity: template.1,
            },
        );
        let mut agg_map = BTreeMap::new();
        agg_map.insert(
            key.to_string(),
            AggregatedStatus {
                allocated_count: agg.0,
                allocated_capacity: 0,
                count: agg.1,
                capacity: agg.2,
            },
        );
        Fleet {
            api_version: "agones.dev/v1".into(),
            kind: "Fleet".into(),
            metadata: ObjectMeta {
                name: Some("fleet-1".into()),
                ..Default::default()
            },
            spec: FleetSpec {
                template: GameServerTemplateSpec {
                    metadata: None,
                    spec: GameServerSpec {
                        counters,
                        ..Default::default()
                    },
                },
                ..Default::default()
            },
            status: Some(FleetStatus {
                replicas,
                counters: agg_map,
                ..Default::default()
            }),
        }
    }

    fn policy(key: &str, buffer: IntOrString, min: i64, max: i64) -> CapacityPolicy {
        CapacityPolicy {
            key: key.into(),
            buffer_size: buffer,
            min_capacity: min,
            max_capacity: max,
        }
    }

    /// Whether a bound applied, as upstream's tests state it.
    fn run(p: &CapacityPolicy, f: &Fleet) -> Result<(i32, bool), String> {
        apply(p, true, f, &mut Vec::new, &mut Vec::new()).map(|(r, by)| (r, by.is_some()))
    }

    /// Cases of upstream `TestApplyCounterPolicy` that need no GameServers.
    #[test]
    fn upstream_counter_cases() {
        let int = IntOrString::Int;
        let pct = |s: &str| IntOrString::Str(s.into());
        assert_eq!(
            run(
                &policy("gamers", int(10), 10, 100),
                &fleet("gamers", (0, 7), 0, (0, 0, 0))
            ),
            Ok((2, true)),
            "no replicas"
        );
        assert!(
            run(
                &policy("rooms", int(10), 10, 100),
                &fleet("gamers", (0, 7), 0, (0, 0, 0))
            )
            .is_err(),
            "spec lacks the counter"
        );
        assert_eq!(
            run(
                &policy("rooms", int(10), 10, 100),
                &fleet("rooms", (0, 7), 10, (0, 68, 70))
            ),
            Ok((12, false)),
            "scale up"
        );
        assert_eq!(
            run(
                &policy("rooms", int(25), 10, 100),
                &fleet("rooms", (7, 10), 3, (0, 21, 30))
            ),
            Ok((9, false)),
            "scale up integer"
        );
        assert_eq!(
            run(
                &policy("rooms", int(10), 10, 100),
                &fleet("rooms", (0, 7), 10, (0, 60, 70))
            ),
            Ok((10, false)),
            "scale same"
        );
        assert_eq!(
            run(
                &policy("rooms", int(10), 70, 700),
                &fleet("rooms", (0, 7), 10, (0, 1, 70))
            ),
            Ok((10, true)),
            "scale down at MinCapacity"
        );
        assert_eq!(
            run(
                &policy("rooms", int(10), 10, 100),
                &fleet("rooms", (0, 7), 14, (0, 98, 98))
            ),
            Ok((14, true)),
            "scale up limited"
        );
        assert_eq!(
            run(
                &policy("rooms", pct("10%"), 50, 100),
                &fleet("rooms", (0, 10), 3, (0, 20, 30))
            ),
            Ok((5, true)),
            "scale up to MinCapacity"
        );
        assert_eq!(
            run(
                &policy("players", pct("30%"), 10, 100),
                &fleet("players", (0, 1), 10, (8, 8, 10))
            ),
            Ok((12, false)),
            "scale up by percent"
        );
        assert_eq!(
            run(
                &policy("players", pct("50%"), 10, 100),
                &fleet("players", (3, 10), 3, (20, 20, 30))
            ),
            Ok((5, false)),
            "scale up by percent with Count"
        );
    }

    #[test]
    fn percent_with_nothing_allocated_returns_one_replica() {
        assert_eq!(
            run(
                &policy("rooms", IntOrString::Str("20%".into()), 5, 100),
                &fleet("rooms", (0, 10), 4, (0, 0, 40))
            ),
            Ok((1, true))
        );
    }
}
