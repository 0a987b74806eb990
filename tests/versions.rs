//! The same manifest judged as different Agones releases (`--agones-version`): each case is a
//! difference read at the releases' own tags (see schemas/releases.json and its generator).

mod common;

/// Lints `yaml` as `version` and returns the error paths and every rule code.
fn judged(yaml: &str, version: &str, extra: &[&str]) -> (i32, Vec<String>, Vec<String>) {
    let mut args = vec!["--agones-version", version];
    args.extend_from_slice(extra);
    let r = common::lint_str(yaml, &args);
    assert_ne!(r.code, 2, "{version}: {}", r.stderr);
    (r.code, r.error_paths(), r.all_rules())
}

const SCHEDULE: &str = "apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata: {name: fas}
spec:
  fleetName: f
  policy:
    type: Schedule
    schedule:
      policy:
        type: Buffer
        buffer: {bufferSize: 2, maxReplicas: 10}
";

#[test]
fn schedule_policies_need_their_gate_on_1_50_only() {
    let (code, errors, _) = judged(SCHEDULE, "1.50", &[]);
    assert_eq!(code, 1);
    assert!(
        errors.iter().any(|p| p.starts_with("spec.policy")),
        "{errors:?}"
    );
    let (code, errors, _) = judged(
        SCHEDULE,
        "1.50",
        &["--feature-gates", "ScheduledAutoscaler=true"],
    );
    assert!(code == 0 && errors.is_empty(), "{errors:?}");
    let (code, errors, _) = judged(SCHEDULE, "1.51", &[]);
    assert!(code == 0 && errors.is_empty(), "{errors:?}");
}

const HTTPS_WEBHOOK: &str = "apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata: {name: fas}
spec:
  fleetName: f
  policy:
    type: Webhook
    webhook: {url: https://scaler.example.com/scale}
";

#[test]
fn https_without_ca_bundle_is_refused_up_to_1_53() {
    let (_, errors, rules) = judged(HTTPS_WEBHOOK, "1.53", &[]);
    assert!(rules.contains(&"FAS049".to_string()), "{rules:?}");
    assert_eq!(errors, ["spec.policy.webhook.caBundle"]);
    let (_, errors, rules) = judged(HTTPS_WEBHOOK, "1.54", &[]);
    assert!(
        errors.is_empty() && !rules.contains(&"FAS049".to_string()),
        "{rules:?}"
    );
}

const WASM: &str = "apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata: {name: fas}
spec:
  fleetName: f
  policy:
    type: Wasm
    wasm:
      from: {url: {url: http://modules/scale.wasm}}
      hash: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
";

#[test]
fn the_wasm_policy_exists_from_1_53() {
    let on = ["--feature-gates", "WasmAutoscaler=true"];
    // 1.52 has the gate (Dev) but neither the type nor the field in its CRD.
    let (code, errors, _) = judged(WASM, "1.52", &on);
    assert_eq!(code, 1);
    assert!(errors.iter().any(|p| p == "spec.policy.wasm"), "{errors:?}");
    assert!(errors.iter().any(|p| p == "spec.policy.type"), "{errors:?}");
    let (_, errors, _) = judged(WASM, "1.53", &on);
    assert!(errors.is_empty(), "{errors:?}");
    // 1.50 does not know the gate at all: the controller would not start.
    let r = common::lint_str(
        WASM,
        &[
            "--agones-version",
            "1.50",
            "--feature-gates",
            "WasmAutoscaler=true",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not a feature gate of Agones 1.50"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_wasm_policy_inside_a_schedule_is_not_validated_by_agones() {
    let yaml = "apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata: {name: fas}
spec:
  fleetName: f
  policy:
    type: Schedule
    schedule:
      policy:
        type: Wasm
        wasm: {function: scale}
";
    // Agones stores it with `from: {url: null}`: admitted, and every sync then fails.
    let r = common::lint_str(
        yaml,
        &[
            "--agones-version",
            "1.60",
            "--feature-gates",
            "WasmAutoscaler=true",
        ],
    );
    let found = r.fields(&["path", "admission"]);
    assert!(
        found.contains(
            &["spec.policy.schedule.policy.wasm.from", "accepted"]
                .map(String::from)
                .to_vec()
        ) && found.iter().all(|f| f[1] == "accepted"),
        "{}",
        r.stdout
    );
    assert_eq!(r.json()["summary"]["rejected"], 0);
    let top = "apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata: {name: fas}
spec:
  fleetName: f
  policy:
    type: Wasm
    wasm: {function: scale}
";
    let r = common::lint_str(
        top,
        &[
            "--agones-version",
            "1.60",
            "--feature-gates",
            "WasmAutoscaler=true",
        ],
    );
    let found = r.fields(&["path", "admission"]);
    assert!(
        found.contains(&vec![
            "spec.policy.wasm.from".to_string(),
            "rejected".to_string()
        ]),
        "the webhook validates a top-level Wasm policy: {}",
        r.stdout
    );
}

const PLAYERS: &str = "apiVersion: allocation.agones.dev/v1
kind: GameServerAllocation
spec:
  selectors:
  - players: {minAvailable: 5, maxAvailable: 1}
";

#[test]
fn the_players_filter_is_validated_to_1_58_and_dropped_from_1_59() {
    let on = ["--feature-gates", "PlayerAllocationFilter=true"];
    let (_, errors, _) = judged(PLAYERS, "1.58", &on);
    assert_eq!(errors, ["spec.selectors[0].players.minAvailable"]);
    let (code, errors, rules) = judged(PLAYERS, "1.59", &on);
    assert!(code == 0 && errors.is_empty(), "{errors:?}");
    assert!(
        rules.contains(&"SCH006".to_string()),
        "dropped, and said so: {rules:?}"
    );
}

const NONE_PORT: &str = "apiVersion: agones.dev/v1
kind: GameServer
metadata: {name: gs}
spec:
  ports:
  - name: p
    portPolicy: None
    containerPort: 7777
  template:
    spec:
      containers:
      - name: game
        image: example/game:1
";

#[test]
fn port_policy_none_follows_its_gate_until_1_60() {
    let off = ["--feature-gates", "PortPolicyNone=false"];
    let (_, errors, _) = judged(NONE_PORT, "1.59", &off);
    assert_eq!(errors, ["spec.ports[0].portPolicy"]);
    let r = common::lint_str(
        NONE_PORT,
        &[
            "--agones-version",
            "1.60",
            "--feature-gates",
            "PortPolicyNone=false",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stderr.contains("PortPolicyNone is Stable in Agones 1.60"),
        "{}",
        r.stderr
    );
}

#[test]
fn pod_fields_follow_the_kubernetes_minor_of_the_release() {
    let yaml = "apiVersion: agones.dev/v1
kind: GameServer
metadata: {name: gs}
spec:
  ports: [{name: p, containerPort: 7777}]
  template:
    spec:
      containers:
      - name: game
        image: example/game:1
        env:
        - name: TOKEN
          valueFrom:
            fileKeyRef: {volumeName: cfg, path: env, key: TOKEN}
      volumes: [{name: cfg, emptyDir: {}}]
";
    let (_, errors, rules) = judged(yaml, "1.56", &[]);
    assert!(rules.contains(&"SCH001".to_string()), "{rules:?}");
    assert!(
        errors.iter().any(|p| p.ends_with("valueFrom.fileKeyRef")),
        "{errors:?}"
    );
    let (_, errors, _) = judged(yaml, "1.57", &[]);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_port_on_a_sidecar_init_container_from_1_57() {
    let yaml = "apiVersion: agones.dev/v1
kind: GameServer
metadata: {name: gs}
spec:
  ports: [{name: p, containerPort: 7777, container: proxy}]
  template:
    spec:
      initContainers:
      - {name: proxy, image: example/proxy:1, restartPolicy: Always}
      containers:
      - {name: game, image: example/game:1}
";
    let (_, errors, _) = judged(yaml, "1.56", &[]);
    assert_eq!(errors, ["spec.ports[0].container"]);
    let (_, errors, _) = judged(yaml, "1.57", &[]);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn versions_are_checked_and_named() {
    for bad in ["1.49", "1.61", "latest", "1.5x"] {
        let r = common::lint_str("", &["--agones-version", bad]);
        assert_eq!(r.code, 2, "{bad}");
        assert!(r.stderr.contains("1.50 to 1.60"), "{bad}: {}", r.stderr);
    }
    let r = common::lint_str(NONE_PORT, &["--agones-version", "v1.57.0"]);
    assert_eq!(r.json()["summary"]["agonesVersion"], "1.57");
    let r = common::lint_str(NONE_PORT, &[]);
    assert_eq!(r.json()["summary"]["agonesVersion"], "1.60");
}

#[test]
fn the_config_names_the_release() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".agones-lint.yaml"),
        "agones-version: 1.50\nfeature-gates: \"DisableResyncOnSDKServer=false\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("fas.yaml"), SCHEDULE).unwrap();
    let r = common::run_in(dir.path(), &["lint", "--format", "json", "."]);
    let report = r.json();
    assert_eq!(
        report["summary"]["agonesVersion"], "1.50",
        "an unquoted 1.50 is release 1.50"
    );
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"CFG003"), "{rules:?}");
    assert_eq!(r.code, 1, "the Schedule is refused on 1.50 by default");
}

#[test]
fn schemas_per_release() {
    let dir = tempfile::tempdir().unwrap();
    let r = common::run(
        &[
            "schema",
            "--catalog",
            dir.path().to_str().unwrap(),
            "--all-versions",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let read = |v: &str| -> String {
        std::fs::read_to_string(
            dir.path()
                .join(v)
                .join("autoscaling.agones.dev/fleetautoscaler_v1.json"),
        )
        .unwrap()
    };
    assert!(!read("1.52").contains("\"Wasm\"") && read("1.53").contains("\"Wasm\""));
    let r = common::run(
        &["schema", "FleetAutoscaler", "--agones-version", "1.52"],
        None,
    );
    assert!(r.code == 0 && !r.stdout.contains("\"Wasm\""));
}
