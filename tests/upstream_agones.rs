//! Cases of upstream `pkg/apis/agones/v1/fleet_test.go` (TestFleetGameserverSpec,
//! TestFleetAllocationOverflow, TestFleetName) and `gameserver_test.go` (TestGameServerValidate,
//! TestGameServerValidateFeatures), as manifests run through the binary. Agreement: where
//! Agones finds the object valid we report no error; where it reports fields, each of them
//! carries (or contains) one of our errors.

mod common;

fn indent(s: &str, n: usize) -> String {
    s.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{}{l}", " ".repeat(n))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const ONE: &str = "- name: container\n  image: myimage";
const TWO: &str = "- name: container\n  image: myimage\n- name: container2\n  image: myimage";

/// A Fleet; `top` goes under `spec`, `gs` under `spec.template.spec`, `pod_meta` under the Pod
/// template's metadata.
fn fleet(name: &str, top: &str, tmeta: &str, gs: &str, containers: &str, pod_meta: &str) -> String {
    let mut s =
        format!("apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: {name}\nspec:\n");
    if !top.is_empty() {
        s += &indent(top, 2);
        s += "\n";
    }
    s += "  template:\n";
    if !tmeta.is_empty() {
        s += &format!("    metadata:\n{}\n", indent(tmeta, 6));
    }
    s += "    spec:\n";
    if !gs.is_empty() {
        s += &indent(gs, 6);
        s += "\n";
    }
    s += "      template:\n";
    if !pod_meta.is_empty() {
        s += &format!("        metadata:\n{}\n", indent(pod_meta, 10));
    }
    s += &format!(
        "        spec:\n          containers:\n{}\n",
        indent(containers, 12)
    );
    s
}

fn gameserver(meta: &str, gs: &str, containers: &str) -> String {
    format!(
        "apiVersion: agones.dev/v1\nkind: GameServer\nmetadata:\n{}\nspec:\n{}\n  template:\n    spec:\n      containers:\n{}\n",
        indent(meta, 2),
        indent(gs, 2),
        indent(containers, 8)
    )
}

const PORTS: &str = "ports:\n- name: default\n  containerPort: 7654";

struct Case {
    name: &'static str,
    gates: &'static str,
    yaml: String,
    /// Fields Agones reports; empty when it accepts the object.
    want: Vec<&'static str>,
}

fn c(name: &'static str, gates: &'static str, yaml: String, want: &[&'static str]) -> Case {
    Case {
        name,
        gates,
        yaml,
        want: want.to_vec(),
    }
}

fn long() -> String {
    "f".repeat(64)
}

fn cases() -> Vec<Case> {
    let l = long();
    vec![
        // TestFleetGameserverSpec
        c("default fleet", "", fleet("f", "", "", PORTS, ONE, ""), &[]),
        c("two containers, none named", "", fleet("f", "", "", PORTS, TWO, ""), &["spec.template.spec.container"]),
        c("container not found", "", fleet("f", "", "", &format!("container: testing\n{PORTS}"), TWO, ""), &["spec.template.spec.container"]),
        c("container found", "", fleet("f", "", "", &format!("container: container\n{PORTS}"), TWO, ""), &[]),
        c(
            "rolling update 0%",
            "",
            fleet("f", "strategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxUnavailable: 0%\n    maxSurge: 0%", "", PORTS, ONE, ""),
            &["spec.strategy.rollingUpdate.maxUnavailable", "spec.strategy.rollingUpdate.maxSurge"],
        ),
        c(
            "rolling update 0",
            "",
            fleet("f", "strategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxUnavailable: 0\n    maxSurge: 0", "", PORTS, ONE, ""),
            &["spec.strategy.rollingUpdate.maxUnavailable", "spec.strategy.rollingUpdate.maxSurge"],
        ),
        c(
            "rolling update 2a",
            "",
            fleet("f", "strategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxUnavailable: 2a\n    maxSurge: 2a", "", PORTS, ONE, ""),
            &["spec.strategy.rollingUpdate.maxUnavailable", "spec.strategy.rollingUpdate.maxSurge"],
        ),
        c("template label value too long", "", fleet("f", "", &format!("labels:\n  label: {l}"), PORTS, ONE, ""), &["spec.template.metadata.labels"]),
        c("pod template label value too long", "", fleet("f", "", "", PORTS, ONE, &format!("labels:\n  label: {l}")), &["spec.template.spec.template.metadata.labels"]),
        c("pod template annotation key too long", "", fleet("f", "", "", PORTS, ONE, &format!("annotations:\n  {l}: \"\"")), &["spec.template.spec.template.metadata.annotations"]),
        // TestFleetAllocationOverflow
        c("allocation overflow bad label", "", fleet("f", "allocationOverflow:\n  labels:\n    \"$$$nope\": value", "", PORTS, ONE, ""), &["spec.allocationOverflow.labels"]),
        // TestFleetName
        c("fleet name too long", "", fleet(&l, "", "", PORTS, ONE, ""), &["metadata.name"]),
        // TestGameServerValidate
        c("valid game server", "", gameserver("name: gs", "", "- name: testing\n  image: testing/image"), &[]),
        c(
            "invalid container, containerPort, hostPort",
            "",
            gameserver(
                "name: gs",
                "ports:\n- name: main\n  hostPort: 5001\n  portPolicy: Dynamic\n- name: sidecar\n  hostPort: 5002\n  portPolicy: Static\n  containerPort: 5002",
                "- name: testing\n  image: testing/image\n- name: anothertest\n  image: testing/image",
            ),
            &["spec.container", "spec.ports[0].containerPort", "spec.ports[0].hostPort"],
        ),
        c(
            "dev address: invalid IP, no host port",
            "",
            gameserver("name: dev-game\nannotations:\n  agones.dev/dev-address: invalid-ip", "ports:\n- name: main\n  containerPort: 7777\n  portPolicy: Static", "- name: testing\n  image: testing/image"),
            &["metadata.annotations.agones.dev/dev-address", "spec.ports[0].hostPort"],
        ),
        c("long gs name", "", gameserver(&format!("name: {l}"), "", "- name: my-image\n  image: foo/my-image"), &["metadata.name"]),
        c("long generateName is not checked by Agones", "", gameserver(&format!("generateName: {}", "f".repeat(60)), "", "- name: my-image\n  image: foo/my-image"), &[]),
        c(
            "container and host ports with different policies",
            "",
            gameserver(
                "generateName: ok-name",
                "ports:\n- name: one\n  portPolicy: Passthrough\n  containerPort: 2222\n- name: two\n  portPolicy: Dynamic\n  containerPort: 2222\n  hostPort: 2223\n- name: three\n  portPolicy: Passthrough\n  hostPort: 2224",
                "- name: my-image\n  image: foo/my-image",
            ),
            &["spec.ports[0].containerPort", "spec.ports[1].hostPort", "spec.ports[2].hostPort"],
        ),
        c(
            "dev address needs the Static policy",
            "",
            gameserver("name: dev-game\nannotations:\n  agones.dev/dev-address: 192.168.0.1", "ports:\n- name: main\n  hostPort: 7777\n  containerPort: 7777", "- name: my-image\n  image: foo/my-image"),
            &["spec.ports[0].portPolicy"],
        ),
        c("container port below zero", "", gameserver("name: dev-game", "ports:\n- name: main\n  containerPort: -4\n  portPolicy: Dynamic", "- name: testing\n  image: testing/image"), &["spec.ports[0].containerPort"]),
        c(
            "cpu request above limit",
            "",
            gameserver("name: gs", "", "- name: c\n  image: i\n  resources:\n    requests:\n      cpu: 50m\n    limits:\n      cpu: 30m"),
            &["spec.template.spec.containers[0].resources.requests"],
        ),
        c("cpu negative request", "", gameserver("name: gs", "", "- name: c\n  image: i\n  resources:\n    requests:\n      cpu: -30m"), &["spec.template.spec.containers[0].resources.requests.cpu"]),
        c("memory negative limit", "", gameserver("name: gs", "", "- name: c\n  image: i\n  resources:\n    limits:\n      memory: -32Mi"), &["spec.template.spec.containers[0].resources.limits.memory"]),
        c(
            "init memory request above limit",
            "",
            format!(
                "{}      initContainers:\n        - name: init\n          image: i\n          resources:\n            requests:\n              memory: 64Mi\n            limits:\n              memory: 32Mi\n",
                gameserver("name: gs", "", "- name: c\n  image: i")
            ),
            &["spec.template.spec.initContainers[0].resources.requests"],
        ),
        // TestGameServerValidateFeatures
        c("players with PlayerTracking off", "PlayerTracking=false", gameserver("name: gs", "players:\n  initialCapacity: 10", "- name: c\n  image: i"), &["spec.players"]),
        c("players with PlayerTracking on", "PlayerTracking=true", gameserver("name: gs", "players:\n  initialCapacity: 10", "- name: c\n  image: i"), &[]),
        c("counters with CountsAndLists off", "CountsAndLists=false", gameserver("name: gs", "counters:\n  rooms:\n    capacity: 10", "- name: c\n  image: i"), &["spec.counters"]),
        c("lists with CountsAndLists off", "CountsAndLists=false", gameserver("name: gs", "lists:\n  players:\n    capacity: 10", "- name: c\n  image: i"), &["spec.lists"]),
        c("port policy None with the gate off", "PortPolicyNone=false", gameserver("name: gs", "ports:\n- name: p\n  portPolicy: None\n  containerPort: 7777", "- name: c\n  image: i"), &["spec.ports[0].portPolicy"]),
        c("port policy None with the gate on", "", gameserver("name: gs", "ports:\n- name: p\n  portPolicy: None\n  containerPort: 7777", "- name: c\n  image: i"), &[]),
    ]
}

#[test]
fn agrees_with_upstream_validation() {
    let mut failures = Vec::new();
    for case in cases() {
        // The cases are upstream's unit tests at v1.57.0: judged as that release.
        let mut extra: Vec<&str> = vec!["--agones-version", "1.57"];
        if !case.gates.is_empty() {
            extra.extend(["--feature-gates", case.gates]);
        }
        let r = common::lint_str(&case.yaml, &extra);
        let errors = r.error_paths();
        if case.want.is_empty() && !errors.is_empty() {
            failures.push(format!(
                "{}: Agones accepts it; we report {errors:?}\n{}",
                case.name, case.yaml
            ));
        }
        for want in &case.want {
            if !errors.iter().any(|e| common::is_inside(e, want)) {
                failures.push(format!(
                    "{}: Agones reports {want}; we report {errors:?}\n{}",
                    case.name, case.yaml
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Upstream's test sets the strategy type to "" after defaulting and expects an error; in a
/// cluster the mutating webhook defaults "" to RollingUpdate first, so the Fleet is accepted.
#[test]
fn empty_strategy_type_is_defaulted() {
    let r = common::lint_str(
        &fleet("f", "strategy:\n  type: \"\"", "", PORTS, ONE, ""),
        &[],
    );
    assert_eq!(r.rules(), Vec::<String>::new());
    // A type that is set but wrong is still rejected.
    let r = common::lint_str(
        &fleet("f", "strategy:\n  type: Rolling", "", PORTS, ONE, ""),
        &[],
    );
    assert_eq!(r.rules(), vec!["SCH004"]);
}
