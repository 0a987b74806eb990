//! Simulation benchmark: `cargo bench --bench simulate`.
//!
//! 10,000 Counter autoscalers over 100 Fleets of 1,000 GameServers each (100 autoscalers per
//! Fleet, so every simulation sorts and walks a 1,000-GameServer Fleet: the expensive scale-down
//! path). Then the cost per simulation for Fleets of 1,000 to 16,000 GameServers, divided by
//! n·log2(n), to show how it grows.

use std::collections::BTreeMap;
use std::time::Instant as Clock;

use agones_lint::golang::time::parse_rfc3339;
use agones_lint::model::agones::{
    AggregatedStatus, CounterSpec, CounterStatus, Fleet, FleetSpec, FleetStatus, GameServer,
    GameServerSpec, GameServerStatus, GameServerTemplateSpec,
};
use agones_lint::model::autoscaling::{
    CapacityPolicy, FleetAutoscaler, FleetAutoscalerPolicy, FleetAutoscalerSpec, IntOrString,
};
use agones_lint::model::gates::FeatureGates;
use agones_lint::model::meta::ObjectMeta;
use agones_lint::policy::engine::{simulate, Env};

struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn meta(name: &str, labels: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: Some("games".into()),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    }
}

/// A Fleet of `n` GameServers with a `rooms` Counter (capacity 10), 30% allocated, 50 per node.
fn fleet(name: &str, n: usize, rng: &mut Lcg) -> (Fleet, Vec<GameServer>) {
    let mut gss = Vec::with_capacity(n);
    let (mut count, mut allocated) = (0i64, 0i64);
    for i in 0..n {
        let used = rng.below(11) as i64;
        let is_allocated = rng.below(10) < 3;
        count += used;
        if is_allocated {
            allocated += used;
        }
        let mut counters = BTreeMap::new();
        counters.insert(
            "rooms".to_string(),
            CounterStatus {
                count: used,
                capacity: 10,
            },
        );
        gss.push(GameServer {
            api_version: "agones.dev/v1".into(),
            kind: "GameServer".into(),
            metadata: meta(&format!("{name}-{i:06}"), &[("agones.dev/fleet", name)]),
            spec: GameServerSpec::default(),
            status: Some(GameServerStatus {
                state: Some(if is_allocated { "Allocated" } else { "Ready" }.into()),
                node_name: Some(format!("{name}-node-{}", i / 50)),
                counters,
                ..Default::default()
            }),
        });
    }
    let mut tmpl = BTreeMap::new();
    tmpl.insert(
        "rooms".to_string(),
        CounterSpec {
            count: 0,
            capacity: 10,
        },
    );
    let mut agg = BTreeMap::new();
    agg.insert(
        "rooms".to_string(),
        AggregatedStatus {
            allocated_count: allocated,
            allocated_capacity: 0,
            count,
            capacity: 10 * n as i64,
        },
    );
    let f = Fleet {
        api_version: "agones.dev/v1".into(),
        kind: "Fleet".into(),
        metadata: meta(name, &[]),
        spec: FleetSpec {
            replicas: Some(n as i32),
            template: GameServerTemplateSpec {
                metadata: None,
                spec: GameServerSpec {
                    counters: tmpl,
                    ..Default::default()
                },
            },
            ..Default::default()
        },
        status: Some(FleetStatus {
            replicas: n as i32,
            counters: agg,
            ..Default::default()
        }),
    };
    (f, gss)
}

fn autoscaler(fleet: &str) -> FleetAutoscaler {
    FleetAutoscaler {
        api_version: "autoscaling.agones.dev/v1".into(),
        kind: "FleetAutoscaler".into(),
        metadata: meta(&format!("{fleet}-fas"), &[]),
        spec: Some(FleetAutoscalerSpec {
            fleet_name: fleet.into(),
            policy: FleetAutoscalerPolicy {
                policy_type: "Counter".into(),
                counter: Some(CapacityPolicy {
                    key: "rooms".into(),
                    buffer_size: IntOrString::Int(20),
                    min_capacity: 10,
                    max_capacity: 1_000_000,
                }),
                ..Default::default()
            },
            sync: None,
        }),
        status: None,
    }
}

fn main() {
    let gates = FeatureGates::default();
    let now = parse_rfc3339("2026-06-01T00:00:00Z").unwrap();
    let mut rng = Lcg(7);

    let (fleets, gss): (Vec<Fleet>, Vec<Vec<GameServer>>) = (0..100)
        .map(|i| fleet(&format!("f{i:03}"), 1_000, &mut rng))
        .unzip();
    let all: Vec<GameServer> = gss.into_iter().flatten().collect();
    let env = Env::new(&gates, now, &all);
    let autoscalers: Vec<FleetAutoscaler> = fleets
        .iter()
        .map(|f| autoscaler(f.metadata.name.as_deref().unwrap_or_default()))
        .collect();
    let start = Clock::now();
    let mut scaled = 0;
    for i in 0..10_000 {
        let d = simulate(&autoscalers[i % 100], &fleets[i % 100], &env);
        scaled += usize::from(d.scaled);
    }
    let t = start.elapsed().as_secs_f64();
    println!("10,000 Counter simulations over Fleets of 1,000 GameServers: {t:.2} s = {:.0} simulations/s ({scaled} scale down)", 10_000.0 / t);

    println!("growth with the Fleet size (cost per simulation / n·log2 n should stay flat):");
    for n in [1_000usize, 2_000, 4_000, 8_000, 16_000] {
        let (f, gss) = fleet("g", n, &mut rng);
        let env = Env::new(&gates, now, &gss);
        let fas = autoscaler("g");
        let runs = 200;
        let start = Clock::now();
        for _ in 0..runs {
            std::hint::black_box(simulate(&fas, &f, &env));
        }
        let per = start.elapsed().as_secs_f64() / runs as f64;
        let nlogn = n as f64 * (n as f64).log2();
        println!(
            "  n = {n:>6}: {:>8.1} µs per simulation, {:.2} ns per n·log2 n",
            per * 1e6,
            per * 1e9 / nlogn
        );
    }
}
