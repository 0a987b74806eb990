//! Scenario benchmark: `cargo bench --bench scenario`.
//!
//! One run of a 7-day trace at 1 s ticks (604,800 ticks, about a million matches, a diurnal
//! curve) through a Buffer autoscaler on the `simulate` engine; then a 64-setting `--set` grid
//! (bufferSize × sync interval) of the same week on every core.

use std::time::Instant;

use agones_lint::external::{Options, Runtime};
use agones_lint::golang::time::parse_rfc3339;
use agones_lint::model::agones::Fleet;
use agones_lint::model::autoscaling::FleetAutoscaler;
use agones_lint::model::gates::FeatureGates;
use agones_lint::scenario::plan::Plan;
use agones_lint::scenario::run::{Arrivals, Timing, SECOND};
use agones_lint::scenario::whatif::{grid, parse_axis};
use agones_lint::scenario::{run_agones, Setup};

fn main() {
    let fleet: Fleet = serde_json::from_value(serde_json::json!({
        "apiVersion": "agones.dev/v1", "kind": "Fleet",
        "metadata": {"name": "arena", "namespace": "games"},
        "spec": {"replicas": 50, "template": {"spec": {"template": {}}}}
    }))
    .unwrap();
    let fas: FleetAutoscaler = serde_json::from_value(serde_json::json!({
        "apiVersion": "autoscaling.agones.dev/v1", "kind": "FleetAutoscaler",
        "metadata": {"name": "arena", "namespace": "games"},
        "spec": {"fleetName": "arena", "policy": {"type": "Buffer", "buffer": {"bufferSize": 40, "maxReplicas": 5000}}}
    }))
    .unwrap();
    // A week of per-second arrivals: 0.4 to 3 matches a second, busiest in the evening.
    let mut lines = Vec::new();
    let mut carry = 0.0f64;
    for s in 0..7 * 86_400i64 {
        let phase = ((s % 86_400) as f64 / 3600.0 - 21.0) / 24.0 * std::f64::consts::TAU;
        carry += 0.4 + 2.6 * (1.0 + phase.cos()) / 2.0;
        let n = carry as u64;
        carry -= n as f64;
        if n > 0 {
            lines.push((s * SECOND, n));
        }
    }
    let start = parse_rfc3339("2026-12-04T00:00:00Z").unwrap();
    let setup = Setup {
        name: "games/week".into(),
        plan: Plan {
            namespace: "games".into(),
            fleet: "arena".into(),
            start,
            duration: 7 * 86_400 * SECOND,
            tick: SECOND,
            patience: 60 * SECOND,
            startup: Timing::Fixed(15 * SECOND),
            session: Timing::lognormal(8 * 60 * SECOND, 20 * 60 * SECOND, 7),
            arrivals: None,
        },
        arrivals: Arrivals::Trace(lines),
        fleet,
        autoscaler: fas,
        gamelift: None,
    };
    let gates = FeatureGates::default();
    let rt = Runtime::new(Options::default());
    let model = setup.model(Some(60 * SECOND));
    let t = Instant::now();
    let r = run_agones(&setup, &setup.autoscaler, &gates, &rt, &model, "default");
    let one = t.elapsed();
    let s = &r.summary;
    println!(
        "one run: 604,800 ticks, {} matches ({} allocated, {} abandoned), peak {} GameServers, {} syncs failed: {:.2} s",
        s.arrivals, s.allocated, s.abandoned, s.peak_game_servers, s.failed_syncs, one.as_secs_f64()
    );
    let axes = [
        parse_axis("spec.policy.buffer.bufferSize=10..80:10").unwrap(),
        parse_axis("sync.fixedInterval.seconds=1,2,5,10,15,30,45,60").unwrap(),
    ];
    let admit = |_: &FleetAutoscaler| None;
    let run = |f: &FleetAutoscaler, m: &agones_lint::scenario::run::Model| {
        run_agones(&setup, f, &gates, &rt, m, "default")
    };
    let t = Instant::now();
    let rows = grid(&setup, &axes, &model, &admit, &run).unwrap();
    let all = t.elapsed();
    println!(
        "grid: {} settings of the same week on {} threads: {:.2} s ({:.2} s per setting)",
        rows.len(),
        rayon::current_num_threads(),
        all.as_secs_f64(),
        all.as_secs_f64() / rows.len() as f64
    );
}
