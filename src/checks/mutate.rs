//! Agones' mutating webhooks (`creationMutationHandler` in `pkg/fleets`, `pkg/gameservers` and
//! `pkg/fleetautoscalers`): decode the object into the Go types, run `ApplyDefaults()`, encode it
//! again and patch the difference in. The typed model mirrors the Go types' JSON tags, so
//! encoding it drops what `omitempty` drops and writes the zero values Go writes; this module
//! is the `ApplyDefaults()` part, one function per kind, as upstream has them.

use crate::model::agones::{
    Eviction, Fleet, FleetStrategy, GameServer, GameServerSpec, Health, RollingUpdate, SdkServer,
};
use crate::model::autoscaling::{FixedIntervalSync, FleetAutoscaler, FleetAutoscalerSync};

/// `Fleet.ApplyDefaults`: strategy, scheduling and the rolling update's 25%. The template's
/// GameServer spec is not defaulted on a Fleet (its GameServers get that when they are made).
pub fn fleet(f: &mut Fleet) {
    let spec = &mut f.spec;
    let strategy = spec.strategy.get_or_insert_with(FleetStrategy::default);
    if strategy
        .strategy_type
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        strategy.strategy_type = Some("RollingUpdate".into());
    }
    if spec.scheduling.as_deref().unwrap_or_default().is_empty() {
        spec.scheduling = Some("Packed".into());
    }
    if strategy.strategy_type.as_deref() == Some("RollingUpdate") {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdate::default);
        let quarter = || crate::model::autoscaling::IntOrString::Str("25%".into());
        ru.max_surge.get_or_insert_with(quarter);
        ru.max_unavailable.get_or_insert_with(quarter);
    }
    spec.template.spec.immutable_replicas = None;
}

/// `GameServer.ApplyDefaults`: the spec's defaults and the initial state.
pub fn gameserver(gs: &mut GameServer) {
    gameserver_spec(&mut gs.spec);
    let status = gs.status.get_or_insert_with(Default::default);
    if status.state.as_deref().unwrap_or_default().is_empty() {
        let allocates_ports = gs.spec.ports.iter().any(|p| {
            matches!(
                p.port_policy.as_deref(),
                Some("Dynamic") | Some("Passthrough")
            )
        });
        status.state = Some(if allocates_ports {
            "PortAllocation".into()
        } else {
            "Creating".into()
        });
    }
    // applyEvictionStatus. (The Counter, List and player status copies depend on feature gates
    // and repeat values the schema has already judged in the spec, so they are left out.)
    let mut eviction = gs.spec.eviction.clone();
    if gs.spec.template["metadata"]["annotations"]["cluster-autoscaler.kubernetes.io/safe-to-evict"]
        .as_str()
        == Some("true")
    {
        eviction.get_or_insert_with(Eviction::default).safe = Some("Always".into());
    }
    status.eviction = eviction;
    status.immutable_replicas = None;
}

/// `GameServerSpec.ApplyDefaults`: container, ports, health, eviction, scheduling, SDK server.
pub fn gameserver_spec(spec: &mut GameServerSpec) {
    if let Some(containers) = spec.template["spec"]["containers"].as_array() {
        if containers.len() == 1 {
            spec.container = Some(
                containers[0]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    let container = spec.container.clone().unwrap_or_default();
    for p in &mut spec.ports {
        if p.port_policy.as_deref().unwrap_or_default().is_empty() {
            p.port_policy = Some("Dynamic".into());
        }
        if p.range.as_deref().unwrap_or_default().is_empty() {
            p.range = Some("default".into());
        }
        if p.protocol.as_deref().unwrap_or_default().is_empty() {
            p.protocol = Some("UDP".into());
        }
        if p.container.as_deref().unwrap_or_default().is_empty() {
            p.container = Some(container.clone());
        }
    }
    let health = spec.health.get_or_insert_with(Health::default);
    if health.disabled != Some(true) {
        let at_least = |v: &mut Option<i32>, d: i32| {
            if v.unwrap_or(0) <= 0 {
                *v = Some(d);
            }
        };
        at_least(&mut health.period_seconds, 5);
        at_least(&mut health.failure_threshold, 3);
        at_least(&mut health.initial_delay_seconds, 5);
    }
    let eviction = spec.eviction.get_or_insert_with(Eviction::default);
    if eviction.safe.as_deref().unwrap_or_default().is_empty() {
        eviction.safe = Some("Never".into());
    }
    if spec.scheduling.as_deref().unwrap_or_default().is_empty() {
        spec.scheduling = Some("Packed".into());
    }
    let sdk = spec.sdk_server.get_or_insert_with(SdkServer::default);
    if sdk.log_level.as_deref().unwrap_or_default().is_empty() {
        sdk.log_level = Some("Info".into());
    }
    if sdk.grpc_port.unwrap_or(0) == 0 {
        sdk.grpc_port = Some(9357);
    }
    if sdk.http_port.unwrap_or(0) == 0 {
        sdk.http_port = Some(9358);
    }
    // A CRD-only field (the scale subresource's): Go has no such field, so the webhook's
    // patch removes it.
    spec.immutable_replicas = None;
}

/// `FleetAutoscaler.ApplyDefaults`: a FixedInterval sync of 30 seconds. `spec` is a value in
/// Go, so a FleetAutoscaler without one is encoded with an empty `fleetName` and policy type.
pub fn fleet_autoscaler(fas: &mut FleetAutoscaler) {
    let spec = fas.spec.get_or_insert_with(Default::default);
    let sync = spec.sync.get_or_insert_with(FleetAutoscalerSync::default);
    if sync.sync_type.is_empty() {
        sync.sync_type = "FixedInterval".into();
    }
    let fixed = sync
        .fixed_interval
        .get_or_insert_with(FixedIntervalSync::default);
    if fixed.seconds == 0 {
        fixed.seconds = crate::model::autoscaling::DEFAULT_SYNC_SECONDS;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn gs(spec: serde_json::Value) -> GameServer {
        serde_json::from_value(json!({"apiVersion": "agones.dev/v1", "kind": "GameServer",
            "metadata": {"name": "g"}, "spec": spec}))
        .unwrap()
    }

    #[test]
    fn gameserver_defaults_then_go_encoding() {
        let mut g = gs(json!({
            "ports": [{"containerPort": 7654, "hostPort": 0}],
            "health": {"failureThreshold": 0},
            "sdkServer": {"grpcPort": 0, "logLevel": ""},
            "eviction": {"safe": ""},
            "template": {"spec": {"containers": [{"name": "Game_Server", "image": "x"}]}},
        }));
        gameserver(&mut g);
        let v = serde_json::to_value(&g.spec).unwrap();
        assert_eq!(v["container"], json!("Game_Server"));
        assert_eq!(
            v["ports"][0],
            json!({"containerPort": 7654, "portPolicy": "Dynamic", "protocol": "UDP",
                "range": "default", "container": "Game_Server"})
        );
        assert_eq!(v["health"]["failureThreshold"], json!(3));
        assert_eq!(
            v["sdkServer"],
            json!({"logLevel": "Info", "grpcPort": 9357, "httpPort": 9358})
        );
        assert_eq!(v["eviction"], json!({"safe": "Never"}));
        assert_eq!(g.status.unwrap().state.as_deref(), Some("PortAllocation"));
    }

    /// Upstream TestGameServerApplyDefaults (those cases the create pipeline sees: the player,
    /// Counter and List status copies are left out, see `gameserver`).
    #[test]
    fn upstream_gameserver_apply_defaults_cases() {
        let base = || {
            json!({"ports": [{"containerPort": 999}],
                "template": {"spec": {"containers": [{"name": "testing", "image": "testing/image"}]}}})
        };
        let want = || {
            json!({"container": "testing", "protocol": "UDP", "range": "default",
                "state": "PortAllocation", "policy": "Dynamic", "scheduling": "Packed",
                "health": {"failureThreshold": 3, "initialDelaySeconds": 5, "periodSeconds": 5},
                "sdkServer": {"logLevel": "Info", "grpcPort": 9357, "httpPort": 9358},
                "evictionSpec": "Never", "evictionStatus": "Never"})
        };
        type Edit = fn(&mut serde_json::Value, &mut serde_json::Value);
        let cases: Vec<(&str, Edit)> = vec![
            ("set basic defaults on a very simple gameserver", |_, _| {}),
            ("defaults on passthrough", |s, e| {
                s["ports"][0]["portPolicy"] = json!("Passthrough");
                e["policy"] = json!("Passthrough");
            }),
            ("defaults are already set", |s, e| {
                *s = json!({"container": "testing2",
                    "ports": [{"protocol": "TCP", "range": "default", "portPolicy": "Static"}],
                    "health": {"periodSeconds": 12, "initialDelaySeconds": 11, "failureThreshold": 10},
                    "template": {"spec": {"containers": [{"name": "testing", "image": "testing/image"},
                        {"name": "testing2", "image": "testing/image2"}]}},
                    "sdkServer": {"logLevel": "Info", "grpcPort": 9357, "httpPort": 9358}});
                e["container"] = json!("testing2");
                e["protocol"] = json!("TCP");
                e["state"] = json!("TestState");
                e["policy"] = json!("Static");
                e["health"] =
                    json!({"failureThreshold": 10, "initialDelaySeconds": 11, "periodSeconds": 12});
            }),
            ("set basic defaults on static gameserver", |s, e| {
                s["ports"][0]["portPolicy"] = json!("Static");
                e["state"] = json!("Creating");
                e["policy"] = json!("Static");
            }),
            ("health is disabled", |s, e| {
                s["health"] = json!({"disabled": true});
                e["health"] = json!({"disabled": true});
            }),
            ("convert from legacy single port to multiple", |s, e| {
                s["ports"][0] = json!({"containerPort": 777, "hostPort": 777, "portPolicy": "Static", "protocol": "TCP"});
                e["protocol"] = json!("TCP");
                e["state"] = json!("Creating");
                e["policy"] = json!("Static");
            }),
            ("set Debug logging level", |s, e| {
                s["sdkServer"] = json!({"logLevel": "Debug"});
                e["sdkServer"]["logLevel"] = json!("Debug");
            }),
            ("set gRPC and HTTP ports on SDK Server", |s, e| {
                s["sdkServer"] = json!({"logLevel": "Error", "grpcPort": 19357, "httpPort": 19358});
                e["sdkServer"] = json!({"logLevel": "Error", "grpcPort": 19357, "httpPort": 19358});
            }),
            ("eviction.safe: Always", |s, e| {
                s["eviction"] = json!({"safe": "Always"});
                e["evictionSpec"] = json!("Always");
                e["evictionStatus"] = json!("Always");
            }),
            ("eviction.safe: OnUpgrade", |s, e| {
                s["eviction"] = json!({"safe": "OnUpgrade"});
                e["evictionSpec"] = json!("OnUpgrade");
                e["evictionStatus"] = json!("OnUpgrade");
            }),
            (
                "eviction.safe: Always inferred from safe-to-evict=true",
                |s, e| {
                    s["template"]["metadata"] = json!({"annotations": {"cluster-autoscaler.kubernetes.io/safe-to-evict": "true"}});
                    e["evictionStatus"] = json!("Always");
                },
            ),
            ("Nothing inferred from safe-to-evict=false", |s, _| {
                s["template"]["metadata"] = json!({"annotations": {"cluster-autoscaler.kubernetes.io/safe-to-evict": "false"}});
            }),
            ("safe-to-evict=false AND eviction.safe: Always", |s, e| {
                s["eviction"] = json!({"safe": "Always"});
                s["template"]["metadata"] = json!({"annotations": {"cluster-autoscaler.kubernetes.io/safe-to-evict": "false"}});
                e["evictionSpec"] = json!("Always");
                e["evictionStatus"] = json!("Always");
            }),
        ];
        for (name, edit) in cases {
            let (mut spec, mut expected) = (base(), want());
            edit(&mut spec, &mut expected);
            let mut g = gs(spec);
            if name == "defaults are already set" {
                g.status = Some(crate::model::agones::GameServerStatus {
                    state: Some("TestState".into()),
                    ..Default::default()
                });
            }
            gameserver(&mut g);
            let v = serde_json::to_value(&g).unwrap();
            let status = &v["status"];
            let got = json!({"container": v["spec"]["container"], "protocol": v["spec"]["ports"][0]["protocol"],
                "range": v["spec"]["ports"][0]["range"], "state": status["state"],
                "policy": v["spec"]["ports"][0]["portPolicy"], "scheduling": v["spec"]["scheduling"],
                "health": v["spec"]["health"], "sdkServer": v["spec"]["sdkServer"],
                "evictionSpec": v["spec"]["eviction"]["safe"], "evictionStatus": status["eviction"]["safe"]});
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn disabled_health_keeps_values_and_omits_zeros() {
        let mut g = gs(json!({"health": {"disabled": true, "failureThreshold": 0},
            "template": {"spec": {"containers": [{"name": "a"}]}}}));
        gameserver(&mut g);
        let v = serde_json::to_value(&g.spec).unwrap();
        assert_eq!(v["health"], json!({"disabled": true}));
    }

    #[test]
    fn fleet_defaults_leave_the_template_alone() {
        let mut f: Fleet = serde_json::from_value(json!({"apiVersion": "agones.dev/v1",
            "kind": "Fleet", "spec": {"template": {"spec": {"health": {"failureThreshold": 0},
            "template": {"spec": {"containers": [{"name": "a"}]}}}}}}))
        .unwrap();
        fleet(&mut f);
        let v = serde_json::to_value(&f.spec).unwrap();
        assert_eq!(
            v["strategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
        );
        assert_eq!(v["template"]["spec"]["health"], json!({}));
        assert!(v["template"]["spec"].get("container").is_none());
    }
}
