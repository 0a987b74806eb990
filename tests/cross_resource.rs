//! Checks across resources, with the Fleet in one file and its autoscalers in others.

mod common;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cross");

fn lint(files: &[&str], extra: &[&str]) -> common::Run {
    let paths: Vec<String> = files.iter().map(|f| format!("{DIR}/{f}")).collect();
    let mut args = vec!["lint", "--format", "json", "--now", "2026-06-01T00:00:00Z"];
    args.extend_from_slice(extra);
    args.extend(paths.iter().map(String::as_str));
    common::run(&args, None)
}

/// (rule, file name, line, path) of every finding.
fn findings(r: &common::Run) -> Vec<(String, String, u64, String)> {
    r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                f["line"].as_u64().unwrap(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn keys_and_capacities_are_checked_against_the_fleet_in_another_file() {
    let r = lint(&["fleet.yaml", "autoscalers.yaml"], &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(
        findings(&r),
        vec![
            // The chain ends in a Counter entry whose key the Fleet defines: it always
            // applies, so no FAS032.
            (
                "REF002".into(),
                "autoscalers.yaml".into(),
                20,
                "spec.policy.chain[0].schedule.policy.list.key".into()
            ),
            (
                "REF004".into(),
                "autoscalers.yaml".into(),
                30,
                "spec.policy.chain[1].counter.maxCapacity".into()
            ),
        ]
    );
    let help = r.json()["findings"][0]["help"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(help.contains("did you mean `players`?"), "{help}");
}

#[test]
fn a_missing_fleet_is_info_unless_targets_are_required() {
    let r = lint(&["elsewhere.yaml"], &[]);
    assert_eq!(r.code, 0);
    assert_eq!(
        findings(&r),
        vec![(
            "REF001".into(),
            "elsewhere.yaml".into(),
            7,
            "spec.fleetName".into()
        )]
    );
    let r = lint(&["elsewhere.yaml"], &["--require-targets"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["findings"][0]["severity"], "error");
}

#[test]
fn namespaces_default_like_kubectl() {
    // `default/lobby` is not `games/lobby` ...
    let r = lint(&["fleet.yaml", "elsewhere.yaml"], &[]);
    assert!(findings(&r).iter().any(|f| f.0 == "REF001"));
    // ... unless the default namespace is `games`.
    let r = lint(&["fleet.yaml", "elsewhere.yaml"], &["--namespace", "games"]);
    assert!(
        !findings(&r).iter().any(|f| f.0 == "REF001"),
        "{}",
        r.stdout
    );
}

#[test]
fn several_autoscalers_on_one_fleet_are_each_pointed_at() {
    let r = lint(
        &["fleet.yaml", "autoscalers.yaml", "elsewhere.yaml"],
        &["--namespace", "games"],
    );
    let several: Vec<_> = findings(&r)
        .into_iter()
        .filter(|f| f.0 == "REF007")
        .collect();
    assert_eq!(several.len(), 2, "{several:?}");
    assert_ne!(several[0].1, several[1].1);
}

#[test]
fn allocations_are_checked_against_fleets_in_other_files() {
    let r = lint(&["fleet.yaml", "allocation.yaml"], &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        findings(&r),
        vec![
            (
                "REF010".into(),
                "allocation.yaml".into(),
                9,
                "spec.selectors[1]".into()
            ),
            (
                "REF009".into(),
                "allocation.yaml".into(),
                12,
                "spec.selectors[1].lists.player".into()
            ),
            (
                "REF008".into(),
                "allocation.yaml".into(),
                15,
                "spec.selectors[2].matchLabels.agones.dev/fleet".into()
            ),
        ]
    );
}

#[test]
fn a_copied_autoscaler_is_one_autoscaler_not_two() {
    let fas = |name: &str| {
        format!("apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: {name}\nspec:\n  fleetName: arena\n  policy:\n    type: Buffer\n    buffer:\n      bufferSize: 2\n      maxReplicas: 10\n")
    };
    let fleet = "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: arena\nspec:\n  template:\n    spec:\n      ports:\n      - name: default\n        containerPort: 7654\n      template:\n        spec:\n          containers:\n          - name: arena\n            image: x\n";
    let messages = |yaml: String| -> Vec<String> {
        let r = common::run(&["lint", "--format", "json", "-"], Some(yaml.as_bytes()));
        r.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "REF007")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    // The same autoscaler twice: REF011's business, not several autoscalers.
    assert!(messages(format!("{fleet}---\n{}---\n{}", fas("a"), fas("a"))).is_empty());
    let three = messages(format!(
        "{fleet}---\n{}---\n{}---\n{}",
        fas("a"),
        fas("a"),
        fas("b")
    ));
    assert_eq!(three.len(), 3, "{three:?}");
    assert!(
        three[0].starts_with("2 FleetAutoscalers target Fleet default/arena: default/a, default/b"),
        "{three:?}"
    );
}

#[test]
fn an_allocation_naming_a_misspelt_fleet_gets_a_suggestion_and_no_key_verdict() {
    let fleet = "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: arena\nspec:\n  template:\n    spec:\n      ports:\n      - name: default\n        containerPort: 7654\n      counters:\n        rooms:\n          capacity: 10\n      template:\n        spec:\n          containers:\n          - name: arena\n            image: x\n";
    let gsa = "apiVersion: allocation.agones.dev/v1\nkind: GameServerAllocation\nspec:\n  selectors:\n  - matchLabels:\n      agones.dev/fleet: arenna\n  counters:\n    players:\n      action: Increment\n      amount: 1\n";
    let yaml = format!("{fleet}---\n{gsa}");
    let r = common::run(&["lint", "--format", "json", "-"], Some(yaml.as_bytes()));
    let json = r.json();
    let found: Vec<&serde_json::Value> = json["findings"].as_array().unwrap().iter().collect();
    let ref008 = found
        .iter()
        .find(|f| f["rule"] == "REF008")
        .expect("REF008");
    assert!(
        ref008["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `arena`?"),
        "{ref008}"
    );
    assert!(!found.iter().any(|f| f["rule"] == "REF009"), "{found:?}");
}

/// FAS032 on a chain whose last candidate is a Counter entry depends on the Fleet: quiet when
/// the Fleet in the run defines the key, a warning when it is absent or lacks it.
#[test]
fn a_chain_ending_in_a_counter_the_fleet_defines_has_a_fallback() {
    let fleet = "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata: {name: lobby}\nspec:\n  template:\n    spec:\n      counters: {rooms: {capacity: 10}}\n      template: {spec: {containers: [{name: a, image: a:1}]}}\n";
    let chain = |key: &str| {
        format!("apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata: {{name: lobby}}\nspec:\n  fleetName: lobby\n  policy:\n    type: Chain\n    chain:\n      - id: weekend\n        type: Schedule\n        schedule:\n          activePeriod: {{startCron: \"0 18 * * 5\", duration: 48h}}\n          policy: {{type: Buffer, buffer: {{bufferSize: 10, maxReplicas: 50}}}}\n      - id: rooms\n        type: Counter\n        counter: {{key: {key}, bufferSize: 5, maxCapacity: 100}}\n")
    };
    let run = |yaml: String| {
        let mut rules = common::lint_str(&yaml, &[]).all_rules();
        rules.sort();
        rules
    };
    assert_eq!(
        run(format!("{fleet}---\n{}", chain("rooms"))),
        Vec::<String>::new()
    );
    assert_eq!(
        run(format!("{fleet}---\n{}", chain("seats"))),
        ["FAS032", "REF002"]
    );
    assert_eq!(run(chain("rooms")), ["FAS032", "REF001"]);
    // With the gate off the entry cannot apply at all: the warning is the chain's own.
    let r = common::lint_str(
        &format!("{fleet}---\n{}", chain("rooms")),
        &["--feature-gates", "CountsAndLists=false"],
    );
    assert!(
        r.all_rules().contains(&"FAS032".to_string()),
        "{}",
        r.stdout
    );
}

#[test]
fn a_second_object_of_one_kind_and_name_is_a_duplicate_whatever_its_kind() {
    let fleet = "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: arena\nspec:\n  template:\n    spec:\n      ports: [{name: default, containerPort: 7654}]\n      template:\n        spec:\n          containers: [{name: a, image: x}]\n";
    let fas = "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: arena\nspec:\n  fleetName: arena\n  policy:\n    type: Buffer\n    buffer: {bufferSize: 2, maxReplicas: 10}\n";
    let gs = "apiVersion: agones.dev/v1\nkind: GameServer\nmetadata:\n  name: arena\nspec:\n  ports: [{name: default, containerPort: 7654}]\n  template:\n    spec:\n      containers: [{name: a, image: x}]\n";
    let duplicates = |yaml: String| -> Vec<(String, u64)> {
        let r = common::run(&["lint", "--format", "json", "-"], Some(yaml.as_bytes()));
        r.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "REF011")
            .map(|f| {
                (
                    f["kind"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    // One of each kind under one name: no duplicate.
    assert_eq!(duplicates(format!("{fleet}---\n{fas}---\n{gs}")), []);
    // Each kind twice: the second copy of each, at its metadata.name.
    let lines = |s: &str| s.lines().count() as u64 + 1;
    let (f, a, g) = (lines(fleet), lines(fas), lines(gs));
    let got = duplicates(format!(
        "{fleet}---\n{fas}---\n{gs}---\n{fleet}---\n{fas}---\n{gs}"
    ));
    assert_eq!(
        got,
        [
            ("Fleet".to_string(), f + a + g + 4),
            ("FleetAutoscaler".to_string(), 2 * f + a + g + 4),
            ("GameServer".to_string(), 2 * f + 2 * a + g + 4),
        ]
    );
}
