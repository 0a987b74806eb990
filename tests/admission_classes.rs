//! One case per class of disagreement with the cluster (the create pipeline: strict decoding,
//! CRD defaults, Agones' mutating round trip, the schema with the Pod template, the validating
//! webhook), through the binary. `Rejected` lists the (rule, field path) errors expected;
//! `Accepted` means no error at all, with the warnings or infos named.

mod common;

enum Expect {
    Rejected(&'static [(&'static str, &'static str)]),
    Accepted(&'static [&'static str]),
}
use Expect::*;

fn gameserver(spec_extra: &str, container: &str) -> String {
    format!(
        "apiVersion: agones.dev/v1\nkind: GameServer\nmetadata:\n  name: gs\nspec:\n  ports:\n  - name: default\n    containerPort: 7654\n{spec_extra}  template:\n    spec:\n      containers:\n      - name: game\n        image: registry.example.com/game:1.0\n{container}"
    )
}

fn fleet(spec_extra: &str, container: &str) -> String {
    format!(
        "apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: f\nspec:\n{spec_extra}  template:\n    spec:\n      ports:\n      - name: default\n        containerPort: 7654\n      template:\n        spec:\n          containers:\n          - name: game\n            image: registry.example.com/game:1.0\n{container}"
    )
}

fn allocation(spec: &str) -> String {
    format!("apiVersion: allocation.agones.dev/v1\nkind: GameServerAllocation\nspec:\n{spec}")
}

fn autoscaler(policy: &str) -> String {
    format!("apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: a\nspec:\n  fleetName: f\n  policy:\n{policy}")
}

fn cases() -> Vec<(&'static str, String, Expect)> {
    vec![
        // The Pod template schema (decoding into corev1 types, then the CRD's schema).
        ("env value is an integer", gameserver("", "        env:\n        - name: PORT\n          value: 7654\n"),
            Rejected(&[("SCH002", "spec.template.spec.containers[0].env[0].value")])),
        ("imagePullPolicy misspelt", gameserver("", "        imagePullPolicy: Allways\n"),
            Rejected(&[("SCH004", "spec.template.spec.containers[0].imagePullPolicy")])),
        ("limits directly under a container", gameserver("", "        limits:\n          cpu: 1\n"),
            Rejected(&[("SCH001", "spec.template.spec.containers[0].limits")])),
        ("nodeSelector value is an integer", fleet("", "          nodeSelector:\n            pool: 1\n"),
            Rejected(&[("SCH002", "spec.template.spec.template.spec.nodeSelector.pool")])),
        ("toleration operator in lower case", gameserver("", "      tolerations:\n      - key: dedicated\n        operator: equal\n"),
            Rejected(&[("SCH004", "spec.template.spec.tolerations[0].operator")])),
        ("an empty imagePullPolicy is omitted by Go", gameserver("", "        imagePullPolicy: \"\"\n"), Accepted(&[])),
        ("a node selector requirement without operator", gameserver("", "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - key: pool\n"),
            Rejected(&[("SCH004", "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator")])),
        ("numeric quantities become strings", gameserver("", "        resources:\n          limits:\n            cpu: 1\n            memory: 64Mi \n"), Accepted(&[])),
        ("a quantity Agones cannot decode", gameserver("", "        resources:\n          requests:\n            ephemeral-storage: lots\n"),
            Rejected(&[("GSS008", "spec.template.spec.containers[0].resources.requests.ephemeral-storage")])),
        ("a quantity outside resources", gameserver("", "      volumes:\n      - name: scratch\n        emptyDir:\n          sizeLimit: big\n"),
            Rejected(&[("GSS008", "spec.template.spec.volumes[0].emptyDir.sizeLimit")])),
        ("an int32 field beyond 32 bits", gameserver("", "        ports:\n        - containerPort: 3000000000\n"),
            Rejected(&[("SCH005", "spec.template.spec.containers[0].ports[0].containerPort")])),
        ("an int-or-string probe port", gameserver("", "        livenessProbe:\n          httpGet:\n            port: http\n            path: /healthz\n"), Accepted(&[])),
        // The mutating round trip.
        ("a Fleet priority without type", fleet("  priorities:\n  - key: rooms\n", ""),
            Rejected(&[("SCH004", "spec.priorities[0].type")])),
        ("a single container whose name breaks the pattern", gameserver("", "").replace("- name: game", "- name: Game_Server"),
            Rejected(&[("SCH004", "spec.container")])),
        ("zero values that omitempty drops", gameserver("  health:\n    failureThreshold: 0\n  sdkServer:\n    grpcPort: 0\n    logLevel: \"\"\n  eviction:\n    safe: \"\"\n", "").replace("containerPort: 7654", "containerPort: 7654\n    hostPort: 0"),
            Accepted(&[])),
        ("empty enums in a Fleet's template are omitted", fleet("", "").replace("      ports:\n", "      scheduling: \"\"\n      sdkServer:\n        logLevel: \"\"\n      ports:\n      - name: udp\n        containerPort: 7000\n        portPolicy: \"\"\n        protocol: \"\"\n"), Accepted(&[])),
        ("a negative health period is defaulted", gameserver("  health:\n    periodSeconds: -4\n", ""), Accepted(&[])),
        ("a status the CRD defaulted", format!("{}status:\n  state: Ready\n  immutableReplicas: 1\n  players: null\n", gameserver("", "")), Accepted(&[])),
        ("a List's values are a set", gameserver("  lists:\n    players:\n      values: [a, b, a]\n", ""),
            Rejected(&[("SCH004", "spec.lists.players.values")])),
        ("a CRD-only field the patch removes", gameserver("  immutableReplicas: 2\n", ""), Accepted(&[])),
        ("webhook service without namespace or name", autoscaler("    type: Webhook\n    webhook:\n      service:\n        path: /scale\n"),
            Rejected(&[("FAS048", "spec.policy.webhook.service.name")])),
        ("a FleetAutoscaler without spec", "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: a\n".to_string(),
            Rejected(&[("SCH004", "spec.fleetName"), ("SCH004", "spec.policy.type"), ("FAS023", "spec")])),
        ("counter policy without key", autoscaler("    type: Counter\n    counter:\n      bufferSize: 5\n      maxCapacity: 100\n"),
            Rejected(&[("FAS048", "spec.policy.counter.key")])),
        ("a tab after a colon is YAML whitespace", autoscaler("    type: Buffer\n    buffer:\n      bufferSize:\t5\n      maxReplicas:\t10\n"), Accepted(&[])),
        ("Fleet status is dropped on create", fleet("", "").replace("spec:\n  template", "status:\n  replicas: many\nspec:\n  template"), Accepted(&[])),
        // The validating webhook's own reading.
        ("maxSurge without a percent sign is a percentage", fleet("  strategy:\n    rollingUpdate:\n      maxSurge: \"10\"\n", ""), Accepted(&[])),
        ("a negative limit and a request above it: two errors", gameserver("", "        resources:\n          limits:\n            cpu: -1\n          requests:\n            cpu: 500m\n"),
            Rejected(&[("GSS008", "spec.template.spec.containers[0].resources.limits.cpu"), ("GSS009", "spec.template.spec.containers[0].resources.requests.cpu")])),
        ("annotation keys are lower-cased first", gameserver("", "").replace("name: gs\n", "name: gs\n  annotations:\n    Example.COM/Owner: me\n"), Accepted(&[])),
        ("a long DNS label in a key prefix", gameserver("", "").replace("name: gs\n", &format!("name: gs\n  labels:\n    {}.example.com/team: a\n", "a".repeat(70))), Accepted(&[])),
        ("an empty dev-address", gameserver("", "").replace("name: gs\n", "name: gs\n  annotations:\n    agones.dev/dev-address: \"\"\n"), Accepted(&["GSS014"])),
        ("a dev GameServer whose resources do not decode", "apiVersion: agones.dev/v1\nkind: GameServer\nmetadata:\n  name: dev\n  annotations:\n    agones.dev/dev-address: 192.168.1.10\nspec:\n  ports:\n  - name: default\n    portPolicy: Static\n    hostPort: 7777\n    containerPort: 7777\n  template:\n    spec:\n      containers:\n      - name: game\n        image: x\n        resources:\n          limits:\n            cpu: one\n".to_string(),
            Rejected(&[("GSS008", "spec.template.spec.containers[0].resources.limits.cpu")])),
        // API groups.
        ("the pre-1.0 API group", "apiVersion: stable.agones.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: f\nspec: {}\n".to_string(),
            Rejected(&[("K8S001", "kind")])),
        ("a typo'd Agones group", "apiVersion: agones/v1\nkind: GameServer\nmetadata:\n  name: g\n".to_string(),
            Rejected(&[("K8S001", "kind")])),
        ("another project's Fleet", "apiVersion: fleet.cattle.io/v1alpha1\nkind: Fleet\nmetadata:\n  name: f\n".to_string(), Accepted(&[])),
        // GameServerAllocation: no CRD, no mutating webhook.
        ("allocation priority without type", allocation("  priorities:\n  - key: rooms\n"),
            Rejected(&[("GSA008", "spec.priorities[0].type")])),
        ("allocation with an empty gameServerState", allocation("  selectors:\n  - gameServerState: \"\"\n"),
            Rejected(&[("SCH004", "spec.selectors[0].gameServerState")])),
        ("allocation metadata is never validated", "apiVersion: allocation.agones.dev/v1\nkind: GameServerAllocation\nmetadata:\n  name: Not_A_Name\n  labels:\n    bad key: x\nspec: {}\n".to_string(), Accepted(&[])),
        ("a policy selector is read only when enabled", allocation("  multiClusterSetting:\n    policySelector:\n      matchLabels:\n        bad key: x\n"), Accepted(&[])),
        ("a misspelt counter action is a warning", allocation("  counters:\n    rooms:\n      action: Add\n      amount: 1\n"), Accepted(&["GSA011"])),
        ("a list capacity above 1000 is a warning", allocation("  lists:\n    players:\n      capacity: 1001\n"), Accepted(&["GSA011"])),
    ]
}

#[test]
fn every_class_agrees_with_the_cluster() {
    let mut failures = Vec::new();
    for (name, yaml, expect) in cases() {
        let run = common::run(&["lint", "--format", "json", "-"], Some(yaml.as_bytes()));
        let findings: Vec<(String, String, String)> = run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["path"].as_str().unwrap().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let errors: Vec<&(String, String, String)> =
            findings.iter().filter(|f| f.2 == "error").collect();
        match expect {
            Rejected(wanted) => {
                for (rule, path) in wanted {
                    if !errors.iter().any(|(r, p, _)| r == rule && p == path) {
                        failures.push(format!("{name}: no {rule} at {path}; got {findings:?}"));
                    }
                }
                if run.code != 1 {
                    failures.push(format!("{name}: exit {} (want 1)", run.code));
                }
            }
            Accepted(notes) => {
                if !errors.is_empty() {
                    failures.push(format!("{name}: errors {errors:?}"));
                }
                for rule in notes {
                    if !findings.iter().any(|(r, _, _)| r == rule) {
                        failures.push(format!("{name}: no {rule}; got {findings:?}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn findings_say_whether_the_cluster_rejects_the_object() {
    let yaml = format!(
        "{}---\n{}",
        autoscaler(
            "    type: Counter\n    counter:\n      bufferSize: 5\n      maxCapacity: 100\n"
        ),
        gameserver("", "        imagePullPolicy: Allways\n"),
    );
    let run = common::run(&["lint", "--format", "json", "-"], Some(yaml.as_bytes()));
    let json = run.json();
    let admission = |rule: &str| -> String {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {json}"))["admission"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(admission("FAS048"), "accepted");
    assert_eq!(admission("SCH004"), "rejected");
    assert_eq!(json["summary"]["errors"], 2);
    assert_eq!(json["summary"]["rejected"], 1);
    let human = common::run(&["lint", "--color", "never", "-"], Some(yaml.as_bytes()));
    assert!(
        human
            .stdout
            .contains("2 errors (1 of them rejected by Agones)"),
        "{}",
        human.stdout
    );
    let sarif = common::run(&["lint", "--format", "sarif", "-"], Some(yaml.as_bytes()));
    let results = &sarif.json()["runs"][0]["results"];
    assert!(results
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["properties"]["admission"].is_string()));
}

#[test]
fn an_error_inside_a_schedule_is_accepted() {
    let yaml = autoscaler("    type: Schedule\n    schedule:\n      between:\n        start: \"2100-01-01T00:00:00Z\"\n      policy:\n        type: Buffer\n        buffer:\n          bufferSize: 5\n          minReplicas: 10\n          maxReplicas: 2\n");
    let run = common::run(&["lint", "--format", "json", "-"], Some(yaml.as_bytes()));
    let errors: Vec<serde_json::Value> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .cloned()
        .collect();
    assert!(!errors.is_empty(), "{}", run.stdout);
    assert!(
        errors.iter().all(|f| f["admission"] == "accepted"),
        "{errors:?}"
    );
}

#[test]
fn the_config_says_how_unknown_fields_are_treated() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("gs.yaml");
    std::fs::write(
        &manifest,
        gameserver("  bogusField: 1\n", "        limits:\n          cpu: 1\n"),
    )
    .unwrap();
    let lint = |config: &str| {
        let cfg = dir.path().join("cfg.yaml");
        std::fs::write(&cfg, config).unwrap();
        let run = common::run(
            &[
                "lint",
                "--format",
                "json",
                "--config",
                cfg.to_str().unwrap(),
                manifest.to_str().unwrap(),
            ],
            None,
        );
        let found: Vec<(String, String)> = run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["path"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (run.code, found)
    };
    let (code, found) = lint("rules: {}\n");
    assert_eq!(code, 1);
    assert!(
        found.contains(&("SCH001".into(), "spec.bogusField".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "SCH001".into(),
            "spec.template.spec.containers[0].limits".into()
        )),
        "{found:?}"
    );
    let (code, found) = lint("pod-preserve-unknown-fields: true\n");
    assert_eq!(code, 1);
    assert_eq!(
        found,
        vec![("SCH001".to_string(), "spec.bogusField".to_string())]
    );
    let (code, found) = lint("unknown-fields: warning\npod-preserve-unknown-fields: true\n");
    assert_eq!(code, 0);
    assert_eq!(
        found,
        vec![("SCH006".to_string(), "spec.bogusField".to_string())]
    );
}

#[test]
fn an_empty_wasm_hash_is_omitted_by_go() {
    let yaml = autoscaler("    type: Wasm\n    wasm:\n      hash: \"\"\n      from:\n        url:\n          url: https://example.com/scale.wasm\n");
    let run = common::run(
        &[
            "lint",
            "--format",
            "json",
            "--feature-gates",
            "WasmAutoscaler=true",
            "-",
        ],
        Some(yaml.as_bytes()),
    );
    let errors: Vec<serde_json::Value> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
