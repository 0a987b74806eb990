//! Agones' mutating webhooks run `ApplyDefaults()` before the API server checks the CRD schema,
//! so an empty string where Agones fills in a default (`strategy.type: ""` becomes
//! RollingUpdate) never reaches the enum check. These are the fields each kind's defaulting
//! fills when empty; the structural check treats their empty value as absent.

use serde_json::Value;

use crate::model::Kind;

const FLEET: &[&str] = &["spec.strategy.type", "spec.scheduling"];
const GAME_SERVER: &[&str] = &[
    "spec.ports.*.portPolicy",
    "spec.ports.*.protocol",
    "spec.scheduling",
    "spec.sdkServer.logLevel",
    "spec.eviction.safe",
];
const FLEET_AUTOSCALER: &[&str] = &["spec.sync.type"];
/// `gameServerState` is a pointer in Go: only a missing state becomes Ready, an empty one is
/// rejected.
const ALLOCATION: &[&str] = &["spec.scheduling", "spec.priorities.*.order"];

fn defaulted(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Fleet => FLEET,
        Kind::GameServer => GAME_SERVER,
        Kind::FleetAutoscaler => FLEET_AUTOSCALER,
        Kind::GameServerAllocation => ALLOCATION,
        Kind::Scenario => &[],
    }
}

/// Removes the empty strings that the kind's defaulting would replace.
pub fn apply(kind: Kind, json: &mut Value) {
    for path in defaulted(kind) {
        let segments: Vec<&str> = path.split('.').collect();
        remove_empty(json, &segments);
    }
}

fn remove_empty(v: &mut Value, segments: &[&str]) {
    match segments {
        [] => {}
        [last] => {
            if let Some(map) = v.as_object_mut() {
                if map.get(*last).is_some_and(|x| x.as_str() == Some("")) {
                    map.remove(*last);
                }
            }
        }
        ["*", rest @ ..] => {
            if let Some(items) = v.as_array_mut() {
                items.iter_mut().for_each(|i| remove_empty(i, rest));
            }
        }
        [head, rest @ ..] => {
            if let Some(child) = v.get_mut(*head) {
                remove_empty(child, rest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_defaulted_fields_are_removed_and_others_kept() {
        let mut f = json!({"spec": {"strategy": {"type": ""}, "scheduling": "", "template": {"spec": {"ports": [{"portPolicy": ""}]}}}});
        apply(Kind::Fleet, &mut f);
        // A Fleet's template ports are not defaulted before the schema check.
        assert_eq!(
            f,
            json!({"spec": {"strategy": {}, "template": {"spec": {"ports": [{"portPolicy": ""}]}}}})
        );
        let mut gs = json!({"spec": {"ports": [{"portPolicy": "", "protocol": "TCP"}]}});
        apply(Kind::GameServer, &mut gs);
        assert_eq!(gs, json!({"spec": {"ports": [{"protocol": "TCP"}]}}));
    }
}
