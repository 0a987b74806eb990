//! Agones feature gates (`pkg/util/runtime/features.go`), defaults of Agones 1.57, and the
//! Helm `agones.featureGates` syntax: `A=true&B=false`.

use std::collections::BTreeMap;

/// Gates Agones knows, with their defaults.
pub const DEFAULTS: &[(&str, bool)] = &[
    ("AutopilotPassthroughPort", true),
    ("CountsAndLists", true),
    ("DisableResyncOnSDKServer", true),
    ("Example", false),
    ("FleetAutoscaleRequestMetaData", true),
    ("GKEAutopilotExtendedDurationPods", true),
    ("PlayerAllocationFilter", false),
    ("PlayerTracking", false),
    ("PortPolicyNone", true),
    ("PortRanges", true),
    ("ProcessorAllocator", false),
    ("RollingUpdateFix", true),
    ("ScheduledAutoscaler", true),
    ("SidecarContainers", true),
    ("WasmAutoscaler", false),
];

pub const COUNTS_AND_LISTS: &str = "CountsAndLists";
pub const SCHEDULED_AUTOSCALER: &str = "ScheduledAutoscaler";
pub const WASM_AUTOSCALER: &str = "WasmAutoscaler";
pub const FLEET_AUTOSCALE_REQUEST_METADATA: &str = "FleetAutoscaleRequestMetaData";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureGates {
    gates: BTreeMap<&'static str, bool>,
}

impl Default for FeatureGates {
    fn default() -> Self {
        FeatureGates {
            gates: DEFAULTS.iter().copied().collect(),
        }
    }
}

impl FeatureGates {
    /// Parses like `runtime.ParseFeatures`: a URL query string over the defaults; an unknown
    /// gate or a value `strconv.ParseBool` rejects is an error.
    pub fn parse(query: &str) -> Result<FeatureGates, String> {
        let mut g = FeatureGates::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            if pair.contains(';') {
                return Err(format!("`{pair}`: separate gates with `&`, not `;`"));
            }
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let Some((&known, _)) = g.gates.iter().find(|(k, _)| **k == name) else {
                let names: Vec<&str> = DEFAULTS.iter().map(|(n, _)| *n).collect();
                let hint = crate::suggest::closest(name, names.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "`{name}` is not an Agones feature gate{hint}; known gates: {}",
                    names.join(", ")
                ));
            };
            let on = match value {
                "1" | "t" | "T" | "true" | "TRUE" | "True" => true,
                "0" | "f" | "F" | "false" | "FALSE" | "False" => false,
                _ => return Err(format!("`{pair}`: the value must be true or false")),
            };
            g.gates.insert(known, on);
        }
        Ok(g)
    }

    pub fn enabled(&self, gate: &str) -> bool {
        self.gates.get(gate).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let g = FeatureGates::default();
        assert!(
            g.enabled(COUNTS_AND_LISTS)
                && g.enabled(SCHEDULED_AUTOSCALER)
                && !g.enabled(WASM_AUTOSCALER)
        );
        let g = FeatureGates::parse("WasmAutoscaler=true&CountsAndLists=false").unwrap();
        assert!(g.enabled(WASM_AUTOSCALER) && !g.enabled(COUNTS_AND_LISTS));
        assert!(FeatureGates::parse("WasmAutoscalr=true")
            .unwrap_err()
            .contains("WasmAutoscaler"));
        assert!(FeatureGates::parse("WasmAutoscaler=yes").is_err());
        assert!(FeatureGates::parse("WasmAutoscaler").is_err());
        assert!(FeatureGates::parse("").is_ok());
    }
}
