//! `simulate --scenario` through the binary: the JSON contract, the examples' stories, GameLift
//! policies files, what-if grids, and the one-engine property (every sync of a scenario run
//! decides what `simulate` decides on that moment's status).

mod common;

const K6: &str = "examples/scenarios/k6-burst";
const MIGRATION: &str = "examples/scenarios/gamelift-migration";

fn scenario(args: &[&str]) -> common::Run {
    let mut all = vec!["simulate", "--now", "2026-12-01T00:00:00Z"];
    all.extend_from_slice(args);
    common::run(&all, None)
}

/// The keys, in the order written, of the object at `path` (keys and array indices) in `json`.
fn ordered_keys(json: &str, path: &[&str]) -> Vec<String> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    struct At<'a>(&'a [&'a str]);
    impl<'de> DeserializeSeed<'de> for At<'_> {
        type Value = Vec<String>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for At<'_> {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object or array")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Vec<String>, A::Error> {
            let mut found = Vec::new();
            let mut keys = Vec::new();
            while let Some(k) = m.next_key::<String>()? {
                match self.0.first() {
                    Some(first) if *first == k => found = m.next_value_seed(At(&self.0[1..]))?,
                    _ => {
                        m.next_value::<IgnoredAny>()?;
                    }
                }
                keys.push(k);
            }
            Ok(if self.0.is_empty() { keys } else { found })
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Vec<String>, A::Error> {
            let mut found = Vec::new();
            let mut i = 0;
            loop {
                if self.0.first() == Some(&i.to_string().as_str()) {
                    match s.next_element_seed(At(&self.0[1..]))? {
                        Some(v) => found = v,
                        None => break,
                    }
                } else if s.next_element::<IgnoredAny>()?.is_none() {
                    break;
                }
                i += 1;
            }
            Ok(found)
        }
    }
    At(path)
        .deserialize(&mut serde_json::Deserializer::from_str(json))
        .unwrap()
}

#[test]
fn the_json_contract() {
    let r = scenario(&[
        "--format",
        "json",
        "--scenario",
        &format!("{K6}/scenario.yaml"),
        K6,
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let j = r.json();
    assert_eq!(j["version"], 1);
    assert_eq!(j["scenario"], "default/k6-burst");
    let run = &j["runs"][0];
    assert_eq!(run["label"], "FleetAutoscaler default/rps-game-autoscaler");
    assert_eq!(run["engine"], "agones");
    // Key order is part of the contract; serde_json's Value sorts keys, so read them in order.
    let keys = |object: &str| ordered_keys(&r.stdout, &["runs", "0", object]);
    assert_eq!(
        keys("summary"),
        [
            "arrivals",
            "allocated",
            "abandoned",
            "queuedAtEnd",
            "waitP50",
            "waitP95",
            "waitMax",
            "gameServerSeconds",
            "readyIdleSeconds",
            "peakGameServers",
            "scaleEvents",
            "failedSyncs",
            "limitedBy"
        ]
    );
    assert_eq!(
        keys("series"),
        [
            "t",
            "desired",
            "gameServers",
            "ready",
            "allocated",
            "starting",
            "queue"
        ]
    );
    let s = &run["summary"];
    // floor(30 × 1.666667) = 50 in the burst, then 570 s × 0.2 = 114.
    assert_eq!(s["arrivals"], 164);
    let n = |k: &str| s[k].as_u64().unwrap();
    assert_eq!(
        n("allocated") + n("abandoned") + n("queuedAtEnd"),
        n("arrivals")
    );
    // One sample per tick after step 7: 600 ticks of 1 s.
    assert_eq!(run["series"]["t"].as_array().unwrap().len(), 600);
    assert_eq!(run["series"]["t"][1], 1);
    // GameServer-seconds sum the counts of every tick.
    let total: i64 = run["series"]["gameServers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(s["gameServerSeconds"].as_i64().unwrap(), total);
    // The burst outruns a 10-GameServer buffer with 15 s startups: players wait.
    assert!(s["waitMax"].as_f64().unwrap() > 30.0, "{s}");
}

#[test]
fn series_every_thins_the_series() {
    let r = scenario(&[
        "--format",
        "json",
        "--series-every",
        "1m",
        "--scenario",
        &format!("{K6}/scenario.yaml"),
        K6,
    ]);
    let t = r.json()["runs"][0]["series"]["t"].clone();
    assert_eq!(t.as_array().unwrap().len(), 10);
    assert_eq!(t[1], 60);
}

/// The README's what-if: buffer sizes by sync intervals, and the goal.
const GRID: [&str; 6] = [
    "--set",
    "spec.policy.buffer.bufferSize=10..40:5",
    "--set",
    "sync.fixedInterval.seconds=1,2,5",
    "--goal",
    "abandoned=0,waitP95<=10s",
];

/// The k6 scenario with the README's grid, and `extra` flags.
fn k6_grid(extra: &[&str]) -> common::Run {
    let file = format!("{K6}/scenario.yaml");
    let mut args = vec!["--scenario", file.as_str(), K6];
    args.extend_from_slice(&GRID);
    args.extend_from_slice(extra);
    scenario(&args)
}

#[test]
fn the_k6_fix_is_found_by_a_grid() {
    let r = k6_grid(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("What if (21 settings)"), "{}", r.stdout);
    let marked: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains("← cheapest meeting the goal"))
        .collect();
    assert_eq!(marked.len(), 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("Goal abandoned=0,waitP95<=10s: spec.policy.buffer.bufferSize 20"),
        "{}",
        r.stdout
    );
    // The same grid as JSON.
    let r = k6_grid(&["--format", "json"]);
    let w = r.json()["whatIf"].clone();
    assert_eq!(w["rows"].as_array().unwrap().len(), 21);
    let best = w["cheapest"].as_u64().unwrap() as usize;
    assert_eq!(w["rows"][best]["values"][0], 20);
    assert_eq!(w["rows"][best]["summary"]["abandoned"], 0);
    // A goal nothing meets says so.
    let r = scenario(&[
        "--scenario",
        &format!("{K6}/scenario.yaml"),
        K6,
        "--set",
        "spec.policy.buffer.bufferSize=10,11",
        "--goal",
        "waitMax<1s",
    ]);
    assert!(
        r.stdout.contains("no setting in the grid meets it"),
        "{}",
        r.stdout
    );
}

#[test]
#[cfg(feature = "charts")]
fn gamelift_runs_beside_agones_and_draws_a_chart() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("m.svg");
    let r = scenario(&[
        "--format",
        "json",
        "--chart",
        chart.to_str().unwrap(),
        "--scenario",
        &format!("{MIGRATION}/scenario.yaml"),
        &format!("{MIGRATION}/fleet.yaml"),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let j = r.json();
    assert_eq!(j["runs"][1]["engine"], "gamelift");
    assert_eq!(
        j["runs"][0]["summary"]["arrivals"],
        j["runs"][1]["summary"]["arrivals"]
    );
    // The documented rule adds one instance per 10 minutes at most: players give up.
    assert!(j["runs"][1]["summary"]["abandoned"].as_u64().unwrap() > 0);
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("GameLift") && svg.contains("FleetAutoscaler"));
}

#[test]
fn a_bad_policies_file_is_linted_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["scenario.yaml", "fleet.yaml"] {
        std::fs::copy(format!("{MIGRATION}/{f}"), dir.path().join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join("policies.json"),
        "{\n  \"ScalingPolicies\": [\n    {\n      \"Name\": \"up\",\n      \"PolicyType\": \"RuleBased\",\n      \"MetricName\": \"AvailableGameSession\",\n      \"ComparisonOperator\": \"LessThanThreshold\",\n      \"Threshold\": 50,\n      \"EvaluationPeriods\": 0,\n      \"ScalingAdjustment\": 1,\n      \"ScalingAdjustmentType\": \"ChangeInCapacity\"\n    }\n  ]\n}\n",
    )
    .unwrap();
    let s = dir.path().join("scenario.yaml");
    let r = scenario(&[
        "--format",
        "json",
        "--scenario",
        s.to_str().unwrap(),
        dir.path().join("fleet.yaml").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let findings = r.json()["findings"].as_array().unwrap().clone();
    let at = |path: &str| {
        findings
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path}: {findings:?}"))
            .clone()
    };
    let metric = at("ScalingPolicies[0].MetricName");
    assert_eq!(
        (metric["rule"].as_str(), metric["line"].as_u64()),
        (Some("GLF001"), Some(6))
    );
    assert!(metric["help"]
        .as_str()
        .unwrap()
        .contains("AvailableGameSessions"));
    assert!(metric["file"].as_str().unwrap().ends_with("policies.json"));
    assert_eq!(at("ScalingPolicies[0].EvaluationPeriods")["line"], 9);
}

#[test]
fn scenario_mistakes_are_findings_and_missing_inputs_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(format!("{K6}/scenario.yaml")).unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        text.replace("patience: 60s", "patience: 1 minute")
            .replace("tick: 1s", "tik: 1s"),
    )
    .unwrap();
    let r = scenario(&["--format", "json", "--scenario", bad.to_str().unwrap(), K6]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let rules = r.all_rules();
    assert!(rules.contains(&"SCH001".to_string()), "{rules:?}");
    // Without the Fleet among the inputs: exit 2, naming it.
    let r = scenario(&[
        "--scenario",
        &format!("{K6}/scenario.yaml"),
        "examples/valid/buffer.yaml",
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("default/rps-game is not among the inputs"),
        "{}",
        r.stderr
    );
    let r = scenario(&["--scenario", "no/such.yaml", K6]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no such file"));
}

/// Every sync of a scenario run decides what `simulate` decides for the Fleet status of that
/// moment: the run samples a few syncs from its JSON series and replays them one by one.
#[test]
fn each_sync_matches_simulate_on_that_moment() {
    let r = scenario(&[
        "--format",
        "json",
        "--scenario",
        &format!("{K6}/scenario.yaml"),
        K6,
    ]);
    let run = r.json()["runs"][0].clone();
    let series = &run["series"];
    let get = |k: &str, i: usize| series[k][i].as_i64().unwrap();
    let fleet_yaml = std::fs::read_to_string(format!("{K6}/fleet.yaml")).unwrap();
    // Syncs every 5 s; at the sync of tick i the status is the counts after tick i−1 minus what
    // steps 1–5 of tick i changed, so compare the desired size the run chose (series after
    // step 7) with simulate on a status built from a recorded pre-sync snapshot.
    for i in [5usize, 10, 15, 20, 30, 60, 120, 300] {
        // Before the sync at tick i, the Fleet's status is read after allocation; the series
        // holds counts after reconcile. For a Buffer policy only allocated matters, and
        // allocation happens before the sync, so allocated(i) is the status the sync saw.
        let allocated = get("allocated", i);
        let before = get("desired", i - 1);
        let input = format!(
            "{}\nstatus:\n  replicas: {before}\n  readyReplicas: 0\n  allocatedReplicas: {allocated}\n",
            fleet_yaml.replacen("  replicas: 10\n", &format!("  replicas: {before}\n"), 1)
                .split("---").next().unwrap().trim_end()
        ) + "---" + fleet_yaml.split("---").nth(1).unwrap();
        let r = common::run(
            &[
                "simulate",
                "--format",
                "json",
                "--now",
                "2026-12-04T18:00:00Z",
                "-",
            ],
            Some(input.as_bytes()),
        );
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let d = r.json()["results"][0]["desiredReplicas"].as_i64().unwrap();
        assert_eq!(d, get("desired", i), "tick {i}: allocated {allocated}");
    }
}

/// A Scenario replays a past event: its inputs are linted at the scenario's `start`, so a
/// Schedule whose `end` has passed since does not stop the replay (with `--now`, the flag wins).
#[test]
fn a_replay_is_judged_at_its_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fleet.yaml"),
        "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata: {name: cup}\nspec:\n  template:\n    spec:\n      template:\n        spec:\n          containers: [{name: cup, image: cup:1}]\n---\napiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata: {name: cup}\nspec:\n  fleetName: cup\n  policy:\n    type: Chain\n    chain:\n      - id: final\n        type: Schedule\n        schedule:\n          between: {start: \"2020-01-03T18:00:00Z\", end: \"2020-01-03T20:00:00Z\"}\n          policy: {type: Buffer, buffer: {bufferSize: 20, maxReplicas: 100}}\n      - id: rest\n        type: Buffer\n        buffer: {bufferSize: 2, maxReplicas: 100}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("scenario.yaml"),
        "apiVersion: agones-lint.dev/v1alpha1\nkind: Scenario\nmetadata: {name: cup-final}\nspec:\n  fleet: cup\n  start: 2020-01-03T17:30:00Z\n  duration: 3h\n  gameServer: {startup: 10s, session: 10m}\n  patience: 60s\n  arrivals:\n    - {from: 0s, to: 3h, perSecond: 0.02}\n",
    )
    .unwrap();
    let scenario = dir.path().join("scenario.yaml");
    let fleet = dir.path().join("fleet.yaml");
    let args = [
        "simulate",
        "--format",
        "json",
        "--scenario",
        scenario.to_str().unwrap(),
        fleet.to_str().unwrap(),
    ];
    let r = common::run(&args, None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let peak = r.json()["runs"][0]["summary"]["peakGameServers"]
        .as_i64()
        .unwrap();
    assert!(peak >= 20, "the final's window applied: peak {peak}");
    let mut today = args.to_vec();
    today.extend(["--now", "2026-12-01T00:00:00Z"]);
    let r = common::run(&today, None);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("FAS016"), "{}", r.stdout);
}

/// The verdict says when the first match gave up in words and on the clock (runs of an hour or
/// more), judges the wait against `--goal` only, and counts the syncs each bound limited.
#[test]
fn verdicts_are_said_against_the_goal() {
    let r = scenario(&[
        "--scenario",
        &format!("{MIGRATION}/scenario.yaml"),
        &format!("{MIGRATION}/fleet.yaml"),
        "--goal",
        "abandoned=0,waitP95<=10s",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let lines: Vec<&str> = r.stdout.lines().filter(|l| l.contains(": ")).collect();
    let agones = lines
        .iter()
        .find(|l| l.starts_with("FleetAutoscaler"))
        .unwrap();
    let gamelift = lines.iter().find(|l| l.starts_with("GameLift")).unwrap();
    assert!(
        agones.contains("no match gave up (wait p95 0s); meets the goal abandoned=0,waitP95<=10s"),
        "{agones}"
    );
    assert!(
        agones.contains("syncs limited: minReplicas 4 limited "),
        "{agones}"
    );
    assert!(
        gamelift.contains("the first gave up 5 min 39 s in (at 2026-12-04T17:05:39Z)")
            && gamelift.contains("misses the goal abandoned=0,waitP95<=10s: abandoned is 221"),
        "{gamelift}"
    );
    // Without a goal nothing calls the wait good news.
    let r = scenario(&[
        "--scenario",
        &format!("{MIGRATION}/scenario.yaml"),
        &format!("{MIGRATION}/fleet.yaml"),
    ]);
    assert!(!r.stdout.contains("goal"), "{}", r.stdout);
    assert!(!r.stdout.contains("was served"), "{}", r.stdout);
    let j = scenario(&[
        "--format",
        "json",
        "--scenario",
        &format!("{MIGRATION}/scenario.yaml"),
        &format!("{MIGRATION}/fleet.yaml"),
    ])
    .json();
    let limited = &j["runs"][0]["summary"]["limitedBy"];
    assert!(limited["minReplicas 4"].as_u64().unwrap() > 0, "{limited}");
}

/// A build without the `charts` feature says so, and how to get it, instead of drawing nothing.
#[test]
#[cfg(not(feature = "charts"))]
fn a_lean_build_says_it_has_no_charts() {
    let r = scenario(&[
        "--scenario",
        &format!("{K6}/scenario.yaml"),
        K6,
        "--chart",
        "/dev/null",
    ]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("this build has no chart renderer; install with `cargo install agones-lint --features charts`"),
        "{}",
        r.stderr
    );
}
