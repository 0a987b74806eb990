//! Property tests of the engine's invariants.

use agones_lint::golang::time::{parse_rfc3339, Instant, Zone};
use agones_lint::model::agones::FleetStatus;
use agones_lint::model::autoscaling::{BufferPolicy, IntOrString};
use agones_lint::policy::{buffer, cron};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A Buffer policy's desired replicas always lie in [minReplicas, maxReplicas].
    #[test]
    fn buffer_stays_within_bounds(allocated in 0i32..100_000, size in 1i64..1000, pct in 1i64..100, percent in any::<bool>(), min in 0i32..500, span in 0i32..1000) {
        let max = min + span;
        let b = BufferPolicy {
            buffer_size: if percent { IntOrString::Str(format!("{pct}%")) } else { IntOrString::Int(size) },
            min_replicas: min,
            max_replicas: max,
        };
        let st = FleetStatus { allocated_replicas: allocated, replicas: allocated, ..Default::default() };
        let (r, limited) = buffer::apply(&b, &st).unwrap();
        prop_assert!(r >= min && r <= max, "{r} outside {min}..{max}");
        if limited.is_none() {
            prop_assert!(r >= allocated, "an unclamped buffer never drops allocated GameServers");
        }
    }
}

/// Whether the wall clock at `t` in `zone` matches the five cron fields (brute force).
fn matches(fields: &[Vec<u32>; 5], dom_star: bool, dow_star: bool, zone: Zone, t: i64) -> bool {
    let c = zone.civil(t);
    if c.second != 0
        || !fields[0].contains(&c.minute)
        || !fields[1].contains(&c.hour)
        || !fields[3].contains(&c.month)
    {
        return false;
    }
    let dom = fields[2].contains(&c.day);
    let dow = fields[4].contains(&c.weekday);
    if dom_star || dow_star {
        dom && dow
    } else {
        dom || dow
    }
}

fn expand(spec: &str, lo: u32, hi: u32) -> Vec<u32> {
    if spec == "*" {
        return (lo..=hi).collect();
    }
    spec.split(',').map(|v| v.parse().unwrap()).collect()
}

fn field(lo: u32, hi: u32) -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*".to_string()),
        (lo..=hi).prop_map(|v| v.to_string()),
        prop::collection::btree_set(lo..=hi, 2..4).prop_map(|s| s
            .into_iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(",")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Over a year in zones with and without daylight saving, `Next` returns exactly the minutes
    /// whose wall clock matches the cron: each fire matches, and a minute-by-minute scan finds
    /// no match between two consecutive fires. (Not in zones whose daylight saving shifts by 30
    /// minutes, such as Australia/Lord_Howe: there robfig's hour-by-hour walk skips matching
    /// minutes, and so does this port; `cron::tests::robfig_skips_minutes_in_half_hour_dst_zones`
    /// pins that.)
    #[test]
    fn cron_next_agrees_with_brute_force(
        minute in field(0, 59), hour in field(0, 23), dom in field(1, 31), month in field(1, 12), dow in field(0, 6),
        zone in prop_oneof![Just("UTC"), Just("America/New_York"), Just("Europe/Berlin"), Just("Asia/Kolkata")],
    ) {
        // Restrict to a few hours or days so a fire happens in the year scanned.
        prop_assume!(!(minute != "*" && hour != "*" && dom != "*" && month != "*"));
        let expr = format!("{minute} {hour} {dom} {month} {dow}");
        let sched = cron::parse_standard(&expr).unwrap();
        let z = Zone::load(zone).unwrap();
        let fields = [expand(&minute, 0, 59), expand(&hour, 0, 23), expand(&dom, 1, 31), expand(&month, 1, 12), expand(&dow, 0, 6)];
        let (dom_star, dow_star) = (dom == "*", dow == "*");
        let start = parse_rfc3339("2025-01-01T00:00:00Z").unwrap().secs;
        let end = start + 366 * 86_400;
        let mut t = Instant::from_secs(start - 60);
        let mut prev = start - 60;
        loop {
            let next = sched.next(t, z).map(|n| n.secs).filter(|n| *n < end);
            // No matching minute may lie between two fires (or after the last one in the year).
            let upper = next.unwrap_or(end);
            let mut m = (prev / 60 + 1) * 60;
            while m < upper {
                prop_assert!(!matches(&fields, dom_star, dow_star, z, m), "`{expr}` in {zone}: Next skipped {}", Instant::from_secs(m).to_rfc3339());
                m += 60;
            }
            let Some(next) = next else { break };
            prop_assert!(matches(&fields, dom_star, dow_star, z, next), "`{expr}` in {zone}: {} does not match", Instant::from_secs(next).to_rfc3339());
            prev = next;
            t = Instant::from_secs(next);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Schedule activity (upstream `isScheduleActive`) agrees with its definition evaluated on a
    /// brute-force list of fire times: active at `t` iff the first fire F after `t - duration`
    /// has `F - 90 s < t < F + duration`.
    #[test]
    fn schedule_activity_agrees_with_brute_force(
        minute in field(0, 59), hour in field(0, 23), dow in field(0, 6),
        zone in prop_oneof![Just("UTC"), Just("America/New_York"), Just("Europe/Berlin")],
        duration_min in 0i64..600,
        samples in prop::collection::vec(0i64..(365 * 86_400), 200),
    ) {
        use agones_lint::model::autoscaling::{ActivePeriod, SchedulePolicy};
        use agones_lint::policy::schedule::activity;
        let expr = format!("{minute} {hour} * * {dow}");
        let z = Zone::load(zone).unwrap();
        let fields = [expand(&minute, 0, 59), expand(&hour, 0, 23), expand("*", 1, 31), expand("*", 1, 12), expand(&dow, 0, 6)];
        let start = parse_rfc3339("2025-01-01T00:00:00Z").unwrap().secs;
        // Fires from a day before the year to a day after, by brute force.
        let fires: Vec<i64> = ((start - 86_400) / 60..(start + 367 * 86_400) / 60).map(|m| m * 60).filter(|&m| matches(&fields, true, dow == "*", z, m)).collect();
        let d = duration_min * 60;
        let s = SchedulePolicy {
            active_period: ActivePeriod { timezone: zone.into(), start_cron: expr.clone(), duration: format!("{duration_min}m") },
            ..Default::default()
        };
        for off in samples {
            let t = start + off;
            let i = fires.partition_point(|&f| f <= t - d);
            let want = fires.get(i).is_some_and(|&f| t > f - 90 && t < f + d);
            let got = activity(&s, Instant::from_secs(t)).unwrap().is_active();
            prop_assert_eq!(got, want, "`{}` {} duration {}m at {}", expr, zone, duration_min, Instant::from_secs(t).to_rfc3339());
        }
    }
}

mod scenario_properties {
    use agones_lint::external::{Options, Runtime};
    use agones_lint::golang::time::parse_rfc3339;
    use agones_lint::model::agones::Fleet;
    use agones_lint::model::autoscaling::FleetAutoscaler;
    use agones_lint::model::gates::FeatureGates;
    use agones_lint::scenario::agones::Autoscaler;
    use agones_lint::scenario::run::{run, Arrivals, Model, Timing, SECOND};
    use proptest::prelude::*;

    fn fleet() -> Fleet {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "agones.dev/v1", "kind": "Fleet",
            "metadata": {"name": "f", "namespace": "default"},
            "spec": {"replicas": 2, "template": {"spec": {"template": {}}}}
        }))
        .unwrap()
    }

    fn buffer(size: i64, max: i64, sync: i64) -> FleetAutoscaler {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "autoscaling.agones.dev/v1", "kind": "FleetAutoscaler",
            "metadata": {"name": "a", "namespace": "default"},
            "spec": {"fleetName": "f", "policy": {"type": "Buffer", "buffer": {"bufferSize": size, "maxReplicas": max}},
                     "sync": {"type": "FixedInterval", "fixedInterval": {"seconds": sync}}}
        }))
        .unwrap()
    }

    fn model(trace: &[(i64, u64)], startup: i64, session: i64, patience: i64) -> Model {
        Model {
            duration: 900 * SECOND,
            tick: SECOND,
            patience: patience * SECOND,
            startup: Timing::Fixed(startup * SECOND),
            session: Timing::Fixed(session * SECOND),
            arrivals: Arrivals::Trace(trace.iter().map(|(s, n)| (s * SECOND, *n)).collect()),
            initial_replicas: 2,
            series_every: 1,
        }
    }

    fn trace() -> impl Strategy<Value = Vec<(i64, u64)>> {
        prop::collection::vec((0i64..900, 1u64..6), 0..120).prop_map(|mut v| {
            v.sort();
            v
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every match is allocated, abandoned or still queued at the end; and more buffer
        /// (same min/max) never abandons more matches on the same trace.
        #[test]
        fn more_buffer_never_abandons_more(
            trace in trace(),
            small in 1i64..20,
            extra in 1i64..20,
            startup in 0i64..60,
            session in 1i64..300,
            patience in 1i64..120,
            sync in 1i64..30,
        ) {
            let gates = FeatureGates::default();
            let rt = Runtime::new(Options::default());
            let start = parse_rfc3339("2026-12-04T18:00:00Z").unwrap();
            let m = model(&trace, startup, session, patience);
            let f = fleet();
            let (a, b) = (buffer(small, 500, sync), buffer(small + extra, 500, sync));
            let less = run(&m, &mut Autoscaler::new(&a, &f, &gates, &rt, start)).summary;
            let more = run(&m, &mut Autoscaler::new(&b, &f, &gates, &rt, start)).summary;
            for s in [&less, &more] {
                prop_assert_eq!(s.allocated + s.abandoned + s.queued_at_end, s.arrivals);
                prop_assert_eq!(s.failed_syncs, 0);
            }
            prop_assert!(more.abandoned <= less.abandoned, "buffer {} abandoned {}, buffer {} abandoned {}", small, less.abandoned, small + extra, more.abandoned);
        }

        /// At every sync, the scenario's desired size is what `simulate` computes for the
        /// Fleet status of that moment (one engine).
        #[test]
        fn each_sync_is_a_simulate(
            trace in trace(),
            size in 1i64..30,
            pct in prop::option::of(5i64..90),
            startup in 0i64..60,
            session in 1i64..300,
            sync in 1i64..30,
        ) {
            use agones_lint::model::agones::FleetStatus;
            use agones_lint::policy::engine::{simulate, Env};
            use agones_lint::scenario::run::{Scaler, Snapshot, Verdict};

            /// Records what the wrapped scaler saw and decided.
            struct Recorder<'a> {
                inner: Autoscaler<'a>,
                seen: Vec<(Snapshot, Verdict)>,
            }
            impl Scaler for Recorder<'_> {
                fn decide(&mut self, s: &Snapshot) -> Verdict {
                    let v = self.inner.decide(s);
                    if v != Verdict::Keep {
                        self.seen.push((*s, v));
                    }
                    v
                }
            }
            let gates = FeatureGates::default();
            let rt = Runtime::new(Options::default());
            let start = parse_rfc3339("2026-12-04T18:00:00Z").unwrap();
            let mut fas = buffer(size, 500, sync);
            if let Some(p) = pct {
                fas = serde_json::from_value(serde_json::json!({
                    "apiVersion": "autoscaling.agones.dev/v1", "kind": "FleetAutoscaler",
                    "metadata": {"name": "a", "namespace": "default"},
                    "spec": {"fleetName": "f", "policy": {"type": "Buffer", "buffer": {"bufferSize": format!("{p}%"), "minReplicas": 1, "maxReplicas": 500}},
                             "sync": {"type": "FixedInterval", "fixedInterval": {"seconds": sync}}}
                })).unwrap();
            }
            let f = fleet();
            let mut rec = Recorder { inner: Autoscaler::new(&fas, &f, &gates, &rt, start), seen: Vec::new() };
            run(&model(&trace, startup, session, 60), &mut rec);
            prop_assert!(!rec.seen.is_empty());
            for (snap, verdict) in rec.seen {
                prop_assert_eq!(snap.t % (sync * SECOND), 0, "decisions only at syncs");
                let mut fleet = f.clone();
                fleet.spec.replicas = Some(snap.desired as i32);
                fleet.status = Some(FleetStatus {
                    replicas: snap.game_servers as i32,
                    ready_replicas: snap.ready as i32,
                    allocated_replicas: snap.allocated as i32,
                    ..Default::default()
                });
                let d = simulate(&fas, &fleet, &Env::new(&gates, start.add_nanos(snap.t), &[]));
                prop_assert_eq!(verdict, Verdict::Set(i64::from(d.desired_replicas.unwrap())));
            }
        }
    }
}
