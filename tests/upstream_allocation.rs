//! Cases of upstream `pkg/apis/allocation/v1/gameserverallocation_test.go`
//! (TestGameServerSelectorValidate, TestGameServerAllocationValidate, TestMetaPatchValidate,
//! TestValidatePriorities, TestValidateCounterActions, TestValidateListActions) as manifests run
//! through the binary. Upstream names map entries `counters[foo]` and a selector's labels
//! `labelSelector`; the manifest fields are `counters.foo` and `matchLabels`, which this test
//! translates before comparing.

mod common;

fn gsa(spec: &str) -> String {
    let body: String = spec.lines().map(|l| format!("  {l}\n")).collect();
    format!("apiVersion: allocation.agones.dev/v1\nkind: GameServerAllocation\nspec:\n{body}")
}

/// A single selector (upstream's "fieldName" is `spec.selectors[0]`).
fn selector(body: &str) -> String {
    let mut lines = body.lines();
    let first = lines.next().unwrap_or("{}");
    let rest: String = lines.map(|l| format!("\n    {l}")).collect();
    gsa(&format!("selectors:\n  - {first}{rest}"))
}

const ALL_GATES: &str = "PlayerAllocationFilter=true&CountsAndLists=true";

fn cases() -> Vec<(&'static str, &'static str, String, Vec<&'static str>)> {
    vec![
        // TestGameServerSelectorValidate
        ("valid", ALL_GATES, selector("matchLabels:\n  foo: bar\ngameServerState: Allocated\nplayers:\n  minAvailable: 10\n  maxAvailable: 20\ncounters:\n  counter:\n    minCount: 1\n    maxCount: 5\n    minAvailable: 1\n    maxAvailable: 5\nlists:\n  list:\n    containsValue: x\n    minAvailable: 1\n    maxAvailable: 5"), vec![]),
        ("nil values", ALL_GATES, selector("{}"), vec![]),
        ("invalid state", ALL_GATES, selector("gameServerState: Starting"), vec!["spec.selectors[0].gameServerState"]),
        ("invalid min value", ALL_GATES, selector("players:\n  minAvailable: -10"), vec!["spec.selectors[0].players.minAvailable"]),
        ("invalid max value", ALL_GATES, selector("players:\n  minAvailable: -30\n  maxAvailable: -20"), vec!["spec.selectors[0].players.minAvailable", "spec.selectors[0].players.maxAvailable"]),
        ("invalid min/max value", ALL_GATES, selector("players:\n  minAvailable: 10\n  maxAvailable: 5"), vec!["spec.selectors[0].players.minAvailable"]),
        ("invalid label keys", ALL_GATES, selector("matchLabels:\n  \"$$$$\": \"true\""), vec!["spec.selectors[0].labelSelector"]),
        (
            "invalid min/max Counter available value",
            ALL_GATES,
            selector("counters:\n  counter:\n    minAvailable: -1\n    maxAvailable: -1"),
            vec!["spec.selectors[0].counters[counter].minAvailable", "spec.selectors[0].counters[counter].maxAvailable"],
        ),
        ("invalid max less than min Counter available value", ALL_GATES, selector("counters:\n  foo:\n    minAvailable: 10\n    maxAvailable: 1"), vec!["spec.selectors[0].counters[foo]"]),
        (
            "invalid min/max Counter count value",
            ALL_GATES,
            selector("counters:\n  counter:\n    minCount: -1\n    maxCount: -1"),
            vec!["spec.selectors[0].counters[counter].minCount", "spec.selectors[0].counters[counter].maxCount"],
        ),
        ("invalid max less than min Counter count value", ALL_GATES, selector("counters:\n  foo:\n    minCount: 10\n    maxCount: 1"), vec!["spec.selectors[0].counters[foo]"]),
        (
            "invalid min/max List value",
            ALL_GATES,
            selector("lists:\n  list:\n    minAvailable: -11\n    maxAvailable: -11"),
            vec!["spec.selectors[0].lists[list].minAvailable", "spec.selectors[0].lists[list].maxAvailable"],
        ),
        ("invalid max less than min List value", ALL_GATES, selector("lists:\n  list:\n    minAvailable: 11\n    maxAvailable: 2"), vec!["spec.selectors[0].lists[list]"]),
        // TestGameServerAllocationValidate
        ("empty allocation", "PlayerAllocationFilter=true&CountsAndLists=false", gsa("{}").replace("spec:\n  {}\n", "spec: {}\n"), vec![]),
        ("unsupported scheduling", "PlayerAllocationFilter=true&CountsAndLists=false", gsa("scheduling: FLERG"), vec!["spec.scheduling"]),
        (
            "invalid player selection and gated fields",
            "PlayerAllocationFilter=true&CountsAndLists=false",
            gsa("required:\n  players:\n    minAvailable: -10\npreferred:\n  - players:\n      maxAvailable: -10\nmetadata:\n  labels:\n    \"$$$\": foo\npriorities: []\ncounters: {}\nlists: {}"),
            vec![
                "spec.required.players.minAvailable",
                "spec.priorities",
                "spec.preferred[0].players.minAvailable",
                "spec.preferred[0].players.maxAvailable",
                "spec.metadata.labels",
                "spec.lists",
                "spec.counters",
            ],
        ),
        // TestMetaPatchValidate
        ("meta patch valid", ALL_GATES, gsa("metadata:\n  labels:\n    foo: bar\n  annotations:\n    agones.dev/x: z"), vec![]),
        ("meta patch bad label value", ALL_GATES, gsa("metadata:\n  labels:\n    foo: \"$$$$\""), vec!["spec.metadata.labels"]),
        ("meta patch bad annotation key", ALL_GATES, gsa("metadata:\n  annotations:\n    \"$$$$\": bar"), vec!["spec.metadata.annotations"]),
        // TestValidatePriorities
        ("priorities valid", ALL_GATES, gsa("priorities:\n  - type: Counter\n    key: foo\n    order: Descending\n  - type: List\n    key: bar"), vec![]),
        ("priority without key", ALL_GATES, gsa("priorities:\n  - type: List\n    order: Ascending"), vec!["spec.priorities[0]"]),
        ("priority of a bad type", ALL_GATES, gsa("priorities:\n  - type: Counterz\n    key: foo"), vec!["spec.priorities[0]"]),
        ("priority of a bad order", ALL_GATES, gsa("priorities:\n  - type: Counter\n    key: foo\n    order: Up"), vec!["spec.priorities[0]"]),
        // TestValidateCounterActions
        ("counter actions valid", ALL_GATES, gsa("counters:\n  foo:\n    action: Increment\n    amount: 1\n  bar:\n    capacity: 10"), vec![]),
        ("counter action negative amount", ALL_GATES, gsa("counters:\n  foo:\n    action: Decrement\n    amount: -1"), vec!["spec.counters[foo].amount"]),
        ("counter action negative capacity", ALL_GATES, gsa("counters:\n  foo:\n    capacity: -20"), vec!["spec.counters[foo].capacity"]),
        ("counter amount without action", ALL_GATES, gsa("counters:\n  foo:\n    amount: 10"), vec!["spec.counters[foo]"]),
        ("counter action without amount", ALL_GATES, gsa("counters:\n  foo:\n    action: Increment"), vec!["spec.counters[foo]"]),
        // TestValidateListActions
        ("list actions valid", ALL_GATES, gsa("lists:\n  foo:\n    addValues: [a, b]\n    capacity: 10"), vec![]),
        ("list action negative capacity", ALL_GATES, gsa("lists:\n  foo:\n    capacity: -20"), vec!["spec.lists[foo].capacity"]),
    ]
}

/// Upstream field paths → manifest field paths.
fn translate(p: &str) -> String {
    let mut out = p.replace(".labelSelector", "");
    while let Some(i) = out.find('[') {
        let j = out[i..].find(']').map(|j| i + j).unwrap_or(out.len() - 1);
        let inner = out[i + 1..j].to_string();
        if inner.parse::<usize>().is_ok() {
            // A list index: keep it, but look past it for the next bracket.
            let (head, tail) = out.split_at(j + 1);
            return format!("{head}{}", translate(tail));
        }
        out = format!("{}.{}{}", &out[..i], inner, &out[j + 1..]);
    }
    out
}

#[test]
fn translates_upstream_paths() {
    assert_eq!(
        translate("spec.selectors[0].counters[foo].minCount"),
        "spec.selectors[0].counters.foo.minCount"
    );
    assert_eq!(
        translate("spec.selectors[0].labelSelector"),
        "spec.selectors[0]"
    );
}

#[test]
fn agrees_with_upstream_validation() {
    let mut failures = Vec::new();
    for (name, gates, yaml, want) in cases() {
        // Upstream's unit tests at v1.57.0, judged as that release.
        let r = common::lint_str(
            &yaml,
            &["--agones-version", "1.57", "--feature-gates", gates],
        );
        let errors = r.error_paths();
        if want.is_empty() && !errors.is_empty() {
            failures.push(format!(
                "{name}: Agones accepts it; we report {errors:?}\n{yaml}"
            ));
        }
        for w in want {
            let w = translate(w);
            if !errors.iter().any(|e| common::is_inside(e, &w)) {
                failures.push(format!(
                    "{name}: Agones reports {w}; we report {errors:?}\n{yaml}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
