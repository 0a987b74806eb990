//! Live objects (`kubectl get -o yaml`): judged as objects the cluster already holds. Rules
//! about the create request and manifest advice stay quiet; rules that still matter do not.

mod common;

const DUMP: &str = "examples/live/cluster-dump.yaml";

#[test]
fn a_cluster_dump_lints_clean() {
    let r = common::run(&["lint", "--format", "json", DUMP], None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let j = r.json();
    assert_eq!(j["summary"]["documents"], 11, "{j}");
    assert_eq!(j["findings"].as_array().unwrap().len(), 0, "{j}");
}

#[test]
fn a_cluster_dump_simulates_without_force() {
    let r = common::run(
        &[
            "simulate",
            "--format",
            "json",
            "--now",
            "2026-12-04T18:30:00Z",
            DUMP,
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let j = r.json();
    let desired: Vec<(String, i64)> = j["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["autoscaler"].as_str().unwrap().to_string(),
                a["desiredReplicas"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        desired,
        [
            ("games/arena-autoscaler".to_string(), 4),
            ("games/lobby-autoscaler".to_string(), 1)
        ]
    );
}

const LIVE_GS: &str = "apiVersion: agones.dev/v1
kind: GameServer
metadata:
  name: arena-x7k2p-4bqnm
  namespace: games
  uid: 1f2e3d4c-5b6a-4978-8695-a4b3c2d1e011
spec:
  container: arena
  ports:
  - name: default
    containerPort: 7654
    hostPort: 7083
    portPolicy: Dynamic
  template:
    spec:
      containers:
      - name: arena
        image: registry.example.com/arena:1.4.2
";

#[test]
fn agones_assigned_host_ports_are_not_errors_on_live_objects() {
    let r = common::lint_str(LIVE_GS, &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // The same object as a manifest: Agones refuses a hostPort on a Dynamic port.
    let manifest = LIVE_GS.replace("  uid: 1f2e3d4c-5b6a-4978-8695-a4b3c2d1e011\n", "");
    let r = common::lint_str(&manifest, &[]);
    assert_eq!(r.rules(), ["GSS006"], "{}", r.stdout);
}

#[test]
fn checks_that_matter_still_apply_to_live_objects() {
    // The autoscaler scales on a Counter the live Fleet does not define; spec.replicas is the
    // autoscaler's own (no REF006), and a bad value is still a schema error.
    let yaml = "apiVersion: v1
kind: List
items:
- apiVersion: agones.dev/v1
  kind: Fleet
  metadata: {name: lobby, namespace: games}
  spec:
    replicas: 3
    template:
      spec:
        ports: [{name: default, containerPort: 7000}]
        template:
          spec:
            containers: [{name: lobby, image: lobby:2, imagePullPolicy: Sometimes}]
  status: {replicas: 3, readyReplicas: 3, allocatedReplicas: 0, reservedReplicas: 0}
- apiVersion: autoscaling.agones.dev/v1
  kind: FleetAutoscaler
  metadata: {name: lobby, namespace: games}
  spec:
    fleetName: lobby
    policy:
      type: Counter
      counter: {key: rooms, bufferSize: 5, maxCapacity: 100}
";
    let r = common::lint_str(yaml, &[]);
    let mut rules = r.all_rules();
    rules.sort();
    assert_eq!(rules, ["REF002", "SCH004"], "{}", r.stdout);
}
