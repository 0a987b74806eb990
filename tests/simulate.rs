//! `simulate` through the binary: the example's numbers, golden outputs, and the contract.

mod common;

use std::path::Path;

fn simulate(args: &[&str], stdin: Option<&str>) -> common::Run {
    let mut all = vec!["simulate"];
    all.extend_from_slice(args);
    common::run(&all, stdin.map(str::as_bytes))
}

fn example(format: &str, now: &str) -> common::Run {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/simulate");
    simulate(&["--format", format, "--now", now, dir], None)
}

#[test]
fn example_numbers() {
    let r = example("json", "2026-12-04T18:30:00Z");
    assert_eq!(r.code, 0, "{}", r.stdout);
    let j = r.json();
    let results = j["results"].as_array().unwrap();
    // Counter: 8 of 16 rooms used, buffer 5 → walk a (3 used) then c (1 used) → 3 replicas.
    assert_eq!(results[0]["desiredReplicas"], 3);
    assert_eq!(results[0]["event"], "Scaling fleet arena from 4 to 3");
    // 18:30 UTC is 19:30 in Berlin: the evening entry applies, 3 allocated + 6 = 9.
    assert_eq!(results[1]["desiredReplicas"], 9);
    assert_eq!(results[1]["lastAppliedPolicy"], "Chain:evening:Schedule");
    // At noon the chain falls through to the daytime buffer: 3 + 2 = 5, no change.
    let j = example("json", "2026-12-04T12:00:00Z").json();
    assert_eq!(j["results"][1]["desiredReplicas"], 5);
    assert_eq!(j["results"][1]["scaled"], false);
    assert_eq!(j["results"][1]["lastAppliedPolicy"], "Chain:daytime:Buffer");
}

#[test]
fn golden_outputs() {
    let r = example("json", "2026-12-04T18:30:00Z");
    common::golden(
        "simulate.json",
        &(serde_json::to_string_pretty(&r.json()).unwrap() + "\n"),
    );
    common::golden(
        "simulate.txt",
        &example("human", "2026-12-04T18:30:00Z").stdout,
    );
}

const FLEET: &str = "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: f\nspec:\n  replicas: 3\n  template:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: c\n              image: i\nstatus:\n  replicas: 3\n  readyReplicas: 1\n  allocatedReplicas: 2\n";

fn fas(fleet: &str, policy: &str) -> String {
    let body: String = policy.lines().map(|l| format!("    {l}\n")).collect();
    format!("apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: a\nspec:\n  fleetName: {fleet}\n  policy:\n{body}")
}

#[test]
fn a_missing_fleet_is_reported_as_a_result() {
    let input = fas(
        "nowhere",
        "type: Buffer\nbuffer:\n  bufferSize: 2\n  maxReplicas: 10",
    );
    let r = simulate(&["--format", "json", "-"], Some(&input));
    assert_eq!(r.code, 0);
    let res = &r.json()["results"][0];
    assert_eq!(res["ableToScale"], false);
    assert!(res["error"]
        .as_str()
        .unwrap()
        .contains("could not fetch fleet: nowhere"));
    assert_eq!(res["desiredReplicas"], serde_json::Value::Null);
}

#[test]
fn lint_errors_stop_the_simulation_unless_forced() {
    let input = format!(
        "{FLEET}---\n{}",
        fas(
            "f",
            "type: Buffer\nbuffer:\n  bufferSize: 0\n  maxReplicas: 10"
        )
    );
    let r = simulate(&["--format", "json", "-"], Some(&input));
    assert_eq!(r.code, 1);
    assert_eq!(r.rules(), vec!["FAS002"]);
    let r = simulate(&["--format", "json", "--force", "-"], Some(&input));
    assert_eq!(r.code, 0);
    // bufferSize 0: desired = allocated = 2.
    assert_eq!(r.json()["results"][0]["desiredReplicas"], 2);
}

#[test]
fn an_inactive_schedule_is_an_error_with_its_next_activation() {
    let policy = "type: Schedule\nschedule:\n  activePeriod:\n    startCron: \"0 14 * * *\"\n    duration: 1h\n  policy:\n    type: Buffer\n    buffer:\n      bufferSize: 2\n      maxReplicas: 10";
    let input = format!("{FLEET}---\n{}", fas("f", policy));
    let r = simulate(
        &["--format", "json", "--now", "2026-06-01T16:00:00Z", "-"],
        Some(&input),
    );
    let res = &r.json()["results"][0];
    assert_eq!(res["ableToScale"], false);
    let trace: Vec<&str> = res["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        trace
            .iter()
            .any(|t| t.contains("next active at 2026-06-02T13:58:30Z")),
        "{trace:?}"
    );
    let r = simulate(
        &["--format", "json", "--now", "2026-06-01T14:10:00Z", "-"],
        Some(&input),
    );
    assert_eq!(r.json()["results"][0]["desiredReplicas"], 4);
}

/// The objects of a fixture as a Go test builds them: every zero value left out, a Fleet's
/// template reduced to its counters and lists, a GameServer reduced to metadata and status.
fn without_zero_values(text: &str) -> String {
    use serde_json::Value;
    // Entries of Go maps (counters, lists, labels) stay, zero or not: a key is not a field.
    fn strip(v: &mut Value) -> bool {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    if matches!(k.as_str(), "counters" | "lists" | "labels" | "annotations") {
                        if let Value::Object(entries) = x {
                            entries.values_mut().for_each(|e| {
                                strip(e);
                            });
                        }
                    }
                }
                m.retain(|k, x| {
                    matches!(k.as_str(), "counters" | "lists" | "labels" | "annotations")
                        && x.as_object().is_some_and(|o| !o.is_empty())
                        || !strip(x)
                });
                m.is_empty()
            }
            Value::Array(a) => {
                for x in a.iter_mut() {
                    strip(x);
                }
                a.is_empty()
            }
            Value::Null => true,
            Value::Bool(b) => !*b,
            Value::Number(n) => n.as_f64() == Some(0.0),
            Value::String(s) => s.is_empty(),
        }
    }
    let items: Vec<Value> = agones_lint::source::objects(text, &Default::default())
        .iter()
        .map(|o| {
            let mut v = o.root.to_json();
            match v["kind"].as_str() {
                Some("Fleet") => {
                    let spec = &v["spec"]["template"]["spec"];
                    let kept = serde_json::json!({"spec": {
                        "counters": spec["counters"], "lists": spec["lists"], "players": spec["players"],
                    }});
                    v["spec"]["template"] = kept;
                }
                Some("GameServer") => {
                    v.as_object_mut().unwrap().remove("spec");
                }
                _ => {}
            }
            let (api, kind) = (v["apiVersion"].clone(), v["kind"].clone());
            strip(&mut v);
            v["apiVersion"] = api;
            v["kind"] = kind;
            v
        })
        .collect();
    serde_json::to_string_pretty(
        &serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}),
    )
    .unwrap()
}

/// Fixture files under tests/fixtures/simulate, each a ported upstream case with its expected
/// result in an `# expect:` line (`field=value` pairs for the first result), and optionally
/// `# now:`, `# gates:` and `# force:` (why an inadmissible upstream fixture runs anyway).
#[test]
fn ported_upstream_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/simulate");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect:"))
            .unwrap_or_else(|| panic!("{} has no # expect: line", path.display()));
        // A `# force:` line says why an upstream fixture that breaks admission is simulated anyway.
        let header = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key))
                .map(str::trim)
        };
        let mut args = vec![
            "--format",
            "json",
            "--now",
            header("# now:").unwrap_or("2026-06-01T00:00:00Z"),
        ];
        if let Some(gates) = header("# gates:") {
            args.extend(["--feature-gates", gates]);
        }
        if text.lines().any(|l| l.starts_with("# force:")) {
            args.push("--force");
        }
        // Once as written, once as upstream's Go builds it: zero values and what the
        // controller does not read left out (lint errors then, so forced).
        let minimal = without_zero_values(&text);
        let mut forced = args.clone();
        if !forced.contains(&"--force") {
            forced.push("--force");
        }
        forced.push("-");
        args.push(path.to_str().unwrap());
        for (how, r) in [
            ("as written", simulate(&args, None)),
            ("zero values left out", simulate(&forced, Some(&minimal))),
        ] {
            assert_eq!(r.code, 0, "{} {how}: {}", path.display(), r.stdout);
            let result = &r.json()["results"][0];
            for pair in expect.split_whitespace() {
                let (field, want) = pair.split_once('=').unwrap();
                assert_eq!(
                    result[field].to_string(),
                    want,
                    "{} {how}: {field}\n{result}\n{minimal}",
                    path.display()
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn forced_runs_say_which_inputs_were_left_out() {
    let broken_gs = "apiVersion: agones.dev/v1\nkind: GameServer\nmetadata:\n  name: g\n  labels:\n    agones.dev/fleet: f\nspec:\n  template: {}\nstatus:\n  lists:\n    gamers:\n      values: [1, 2]\n";
    let input = format!(
        "{FLEET}---\n{}---\n{broken_gs}",
        fas(
            "f",
            "type: Buffer\nbuffer:\n  bufferSize: 2\n  maxReplicas: 10"
        )
    );
    let r = simulate(&["--format", "json", "--force", "-"], Some(&input));
    assert_eq!(r.code, 0);
    let trace = r.json()["results"][0]["trace"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        trace.contains("1 GameServer(s) left out")
            && trace.contains("default/g (status.lists.gamers.values[0]"),
        "{trace}"
    );
}

/// Status fixtures as upstream's own tests build objects, Go's zero values left out: a Fleet
/// with only `replicas` and `status`, GameServers with only `metadata` and `status`. Lint
/// reports what a cluster would refuse; the simulation reads what the controller reads.
#[test]
fn fixtures_without_zero_values_are_read_as_the_controller_reads_them() {
    let input = "apiVersion: agones.dev/v1
kind: Fleet
metadata: {name: fleet-1}
spec:
  replicas: 8
  template: {spec: {health: 'yes'}}
status: {replicas: 5, readyReplicas: 3, reservedReplicas: 3, allocatedReplicas: 2}
---
apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata: {name: fas-1}
spec:
  fleetName: fleet-1
  policy: {type: Buffer, buffer: {bufferSize: 5, maxReplicas: 100}}
";
    let r = simulate(&["--format", "json", "--force", "-"], Some(input));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let result = &r.json()["results"][0];
    assert_eq!(result["desiredReplicas"], 7, "{result}");
    // Without --force the lint errors (no Pod template, a health that is not an object) stop it.
    let r = simulate(&["--format", "json", "-"], Some(input));
    assert_eq!(r.code, 1);
    // A broken field the controller reads makes the Fleet unusable, and the result says which.
    let broken = input.replace("replicas: 8", "replicas: eight");
    let r = simulate(&["--format", "json", "--force", "-"], Some(&broken));
    let result = &r.json()["results"][0];
    assert_eq!(result["desiredReplicas"], serde_json::Value::Null);
    let error = result["error"].as_str().unwrap();
    assert!(
        error.starts_with("the Fleet cannot be read: spec.replicas:"),
        "{error}"
    );
}

#[test]
fn example_fixtures_for_each_policy_type() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/simulate/more-policies.yaml"
    );
    let r = simulate(
        &["--format", "json", "--now", "2026-12-04T18:30:00Z", file],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let j = r.json();
    let by_name = |n: &str| {
        j["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["autoscaler"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("games/lobby-buffer")["desiredReplicas"], 15);
    assert_eq!(by_name("games/duel-players")["desiredReplicas"], 5);
    let t = by_name("games/tournament-saturday");
    assert_eq!(t["ableToScale"], false);
    assert!(t["error"]
        .as_str()
        .unwrap()
        .contains("2026-12-05T17:00:00Z"));
}

/// Agones' ScalingLimited event picks "maximum" or "minimum" from the direction of the change,
/// not from the bound that applied (agones#2297, #2828): `limitedBy` names the bound and why.
#[test]
fn the_bound_that_limited_a_sync_is_named() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = dir.join("tests/fixtures/simulate/buffer-max-limited.yaml");
    let r = simulate(&["--format", "json", fixture.to_str().unwrap()], None);
    let result = &r.json()["results"][0];
    assert_eq!(result["scalingLimited"], true);
    assert_eq!(
        result["limitedBy"],
        "maxReplicas 55: the buffer asks for 60"
    );
    // The live dump's lobby: scale-down stops at minCapacity, and the event says "maximum".
    let dump = dir.join("examples/live/cluster-dump.yaml");
    let r = simulate(&[dump.to_str().unwrap()], None);
    assert!(
        r.stdout
            .contains("Scaling Limited:     true, by minCapacity 10: scale-down stops there"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("limited to maximum size of 1 (the bound that applied: minCapacity 10"),
        "{}",
        r.stdout
    );
}
