//! The edge cases the lint core must get right, beyond upstream's own tests.

mod common;

fn fas(policy: &str) -> String {
    let body: String = policy.lines().map(|l| format!("    {l}\n")).collect();
    format!("apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: edge\nspec:\n  fleetName: lobby\n  policy:\n{body}")
}

fn buffer(size: &str, min: &str, max: &str) -> String {
    fas(&format!(
        "type: Buffer\nbuffer:\n  bufferSize: {size}\n  minReplicas: {min}\n  maxReplicas: {max}"
    ))
}

fn schedule(active_period: &str) -> String {
    let ap: String = active_period
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect();
    fas(&format!("type: Schedule\nschedule:\n  activePeriod:\n{ap}  policy:\n    type: Buffer\n    buffer:\n      bufferSize: 5\n      minReplicas: 5\n      maxReplicas: 20"))
}

/// (case, manifest, the rules we expect, in order of position)
fn table() -> Vec<(&'static str, String, Vec<&'static str>)> {
    vec![
        (
            "a quoted number is a string, not a percentage",
            buffer("\"5\"", "5", "20"),
            vec!["FAS005"],
        ),
        (
            "0% is out of range",
            buffer("\"0%\"", "1", "20"),
            vec!["FAS005"],
        ),
        (
            "100% is out of range",
            buffer("\"100%\"", "1", "20"),
            vec!["FAS005"],
        ),
        (
            "fractions are not percentages",
            buffer("\"5.5%\"", "1", "20"),
            vec!["FAS005"],
        ),
        (
            "unquoted 20% is a string percentage",
            buffer("20%", "1", "20"),
            vec![],
        ),
        (
            "negative minReplicas breaks the schema",
            buffer("5", "-1", "20"),
            vec!["SCH004"],
        ),
        (
            "negative maxReplicas breaks the schema",
            buffer("5", "0", "-3"),
            vec!["FAS001", "SCH004"],
        ),
        (
            "negative bufferSize",
            buffer("-5", "0", "20"),
            vec!["FAS002"],
        ),
        (
            "@every 90m is a valid descriptor",
            schedule("startCron: \"@every 90m\"\nduration: 30m"),
            vec![],
        ),
        (
            "February 31st never fires",
            schedule("startCron: \"0 0 31 2 *\"\nduration: 1h"),
            vec!["FAS033"],
        ),
        (
            "TZ= inside the cron is rejected",
            schedule("startCron: \"TZ=UTC 0 0 * * *\"\nduration: 1h"),
            vec!["FAS019"],
        ),
        (
            "Local is accepted but warned about",
            schedule("timezone: Local\nstartCron: \"0 0 * * *\"\nduration: 1h"),
            vec!["FAS038"],
        ),
        (
            "an unknown zone",
            schedule("timezone: Europe/Atlantis\nstartCron: \"0 0 * * *\"\nduration: 1h"),
            vec!["FAS015"],
        ),
        (
            "zone names are case-sensitive",
            schedule("timezone: europe/berlin\nstartCron: \"0 0 * * *\"\nduration: 1h"),
            vec!["FAS015"],
        ),
        (
            "a sign inside a duration",
            schedule("startCron: \"0 0 * * *\"\nduration: 1h-30m"),
            vec!["FAS020"],
        ),
        (
            "days are not a Go unit",
            schedule("startCron: \"0 0 * * *\"\nduration: 2d"),
            vec!["FAS020"],
        ),
        (
            "a duration longer than the cron period",
            schedule("startCron: \"*/10 * * * *\"\nduration: 1h"),
            vec!["FAS035"],
        ),
        (
            "day 7 is not Sunday in robfig/cron",
            schedule("startCron: \"0 0 * * 7\"\nduration: 1h"),
            vec!["FAS018"],
        ),
        (
            "names and ranges",
            schedule("startCron: \"30 18 * JAN-MAR MON-FRI\"\nduration: 2h"),
            vec![],
        ),
        (
            "a typo gets a suggestion and the rest is still checked",
            fas("type: Buffer\nbuffer:\n  bufferSise: 5\n  minReplicas: 2\n  maxReplicas: 1"),
            vec!["FAS001", "SCH001", "FAS002"],
        ),
    ]
}

#[test]
fn edge_cases() {
    let mut failures = Vec::new();
    for (name, yaml, want) in table() {
        let r = common::lint_str(&yaml, &[]);
        let got = r.rules();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        let mut want_sorted: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want_sorted.sort();
        if got_sorted != want_sorted {
            failures.push(format!("{name}: want {want:?}, got {got:?}\n{}", r.stdout));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn typo_suggestion_names_the_field() {
    let r = common::lint_str(
        &fas("type: Buffer\nbuffer:\n  bufferSise: 5\n  minReplicas: 5\n  maxReplicas: 20"),
        &[],
    );
    let j = r.json();
    let f = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "SCH001")
        .unwrap()
        .clone();
    assert_eq!(f["help"], "did you mean `bufferSize`?");
    assert_eq!(f["path"], "spec.policy.buffer.bufferSise");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(10), Some(7))
    );
}

#[test]
fn findings_in_a_kind_list_point_into_the_list() {
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: autoscaling.agones.dev/v1\n  kind: FleetAutoscaler\n  metadata:\n    name: a\n  spec:\n    fleetName: lobby\n    policy:\n      type: Buffer\n      buffer:\n        bufferSize: 0\n        maxReplicas: 5\n";
    let r = common::lint_str(list, &[]);
    let j = r.json();
    assert_eq!(j["summary"]["documents"], 1);
    let f = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "FAS002")
        .unwrap();
    assert_eq!(
        (f["rule"].as_str(), f["line"].as_u64(), f["object"].as_str()),
        (Some("FAS002"), Some(13), Some("default/a"))
    );
}

#[test]
fn other_kinds_are_skipped_and_unknown_agones_kinds_are_not() {
    let r = common::lint_str("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n---\napiVersion: agones.dev/v2\nkind: Fleet\nmetadata:\n  name: f\n", &[]);
    assert_eq!(r.rules(), vec!["K8S001"]);
    assert_eq!(r.json()["summary"]["documents"], 2);
}

#[test]
fn multi_cluster_policy_selector_is_parsed_like_the_allocator_does() {
    let yaml = "apiVersion: allocation.agones.dev/v1\nkind: GameServerAllocation\nspec:\n  multiClusterSetting:\n    enabled: true\n    policySelector:\n      matchExpressions:\n        - key: region\n          operator: Exists\n          values: [eu]\n";
    let r = common::lint_str(yaml, &[]);
    assert_eq!(r.rules(), vec!["GSA001"]);
}
