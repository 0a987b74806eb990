//! Checks that compare an object with the version it replaces. Only an admission UPDATE has
//! both, so these run in `serve` and never in `lint`.

use serde_json::Value;

use super::rules::FLT003;
use super::Raw;
use crate::path;

/// Findings about replacing `old` with `new` (both whole objects, as the API server sends them).
pub fn check_update(old: &Value, new: &Value) -> Vec<Raw> {
    let mut raws = Vec::new();
    if new["kind"] == "Fleet" && old["kind"] == "Fleet" {
        recreate_rollout(old, new, &mut raws);
    }
    raws
}

/// A template change starts a rollout. With Recreate, upstream's fleet controller scales every
/// older GameServerSet to 0 in one step (`recreateDeployment`), so all Ready GameServers go
/// before the new ones are Ready; allocated ones survive because a GameServerSet never deletes
/// those when it scales down.
fn recreate_rollout(old: &Value, new: &Value, raws: &mut Vec<Raw>) {
    let strategy = new["spec"]["strategy"]["type"]
        .as_str()
        .unwrap_or("RollingUpdate");
    if strategy != "Recreate" || old["spec"]["template"] == new["spec"]["template"] {
        return;
    }
    raws.push(
        Raw::new(
            &FLT003,
            path!["spec", "template"],
            "this template change rolls out with the Recreate strategy: every Ready GameServer is deleted at once, so allocations fail until the new ones are Ready",
        )
        .help("use `strategy.type: RollingUpdate` (the default), or roll out when no allocations are expected"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fleet(strategy: Option<&str>, image: &str) -> Value {
        let mut f = json!({"apiVersion": "agones.dev/v1", "kind": "Fleet", "metadata": {"name": "f"},
            "spec": {"template": {"spec": {"template": {"spec": {"containers": [{"name": "g", "image": image}]}}}}}});
        if let Some(s) = strategy {
            f["spec"]["strategy"] = json!({"type": s});
        }
        f
    }

    #[test]
    fn only_a_template_change_under_recreate_fires() {
        let codes = |old: &Value, new: &Value| -> Vec<&str> {
            check_update(old, new).iter().map(|r| r.rule.code).collect()
        };
        let recreate_v1 = fleet(Some("Recreate"), "g:1");
        assert_eq!(
            codes(&recreate_v1, &fleet(Some("Recreate"), "g:2")),
            ["FLT003"]
        );
        // Switching to Recreate in the same update counts: the new strategy drives the rollout.
        assert_eq!(
            codes(&fleet(None, "g:1"), &fleet(Some("Recreate"), "g:2")),
            ["FLT003"]
        );
        assert!(codes(&recreate_v1, &recreate_v1).is_empty());
        assert!(codes(&fleet(None, "g:1"), &fleet(None, "g:2")).is_empty());
        assert!(codes(
            &fleet(Some("RollingUpdate"), "g:1"),
            &fleet(Some("RollingUpdate"), "g:2")
        )
        .is_empty());
        // A replicas-only change is no rollout.
        let mut scaled = recreate_v1.clone();
        scaled["spec"]["replicas"] = json!(10);
        assert!(codes(&recreate_v1, &scaled).is_empty());
    }
}
