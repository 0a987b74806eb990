//! Agones feature gates as one release has them (`pkg/util/runtime/features.go`, read into
//! [`super::release`]), and the Helm `agones.featureGates` syntax: `A=true&B=false`.

use std::collections::BTreeMap;

use super::release::{Release, Stage};

pub const COUNTS_AND_LISTS: &str = "CountsAndLists";
pub const SCHEDULED_AUTOSCALER: &str = "ScheduledAutoscaler";
pub const WASM_AUTOSCALER: &str = "WasmAutoscaler";
pub const FLEET_AUTOSCALE_REQUEST_METADATA: &str = "FleetAutoscaleRequestMetaData";
pub const SIDECAR_CONTAINERS: &str = "SidecarContainers";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureGates {
    release: &'static Release,
    /// What the text set, over the release's defaults.
    gates: BTreeMap<&'static str, bool>,
    /// Stable gates the text set to false: accepted, and without effect.
    no_effect: Vec<&'static str>,
}

impl Default for FeatureGates {
    fn default() -> Self {
        FeatureGates::defaults(super::release::newest())
    }
}

impl FeatureGates {
    /// The release's defaults.
    pub fn defaults(release: &'static Release) -> FeatureGates {
        FeatureGates {
            release,
            gates: release
                .gates
                .iter()
                .map(|g| (g.name.as_str(), g.default))
                .collect(),
            no_effect: Vec::new(),
        }
    }

    /// Parses over the newest release's defaults (see [`FeatureGates::parse_for`]).
    pub fn parse(query: &str) -> Result<FeatureGates, String> {
        FeatureGates::parse_for(query, super::release::newest())
    }

    /// Parses like `runtime.ParseFeatures` of `release`: a URL query string over its defaults;
    /// a gate that release does not know, or a value `strconv.ParseBool` rejects, is an error
    /// (the controller does not start).
    pub fn parse_for(query: &str, release: &'static Release) -> Result<FeatureGates, String> {
        let mut g = FeatureGates::defaults(release);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            if pair.contains(';') {
                return Err(format!("`{pair}`: separate gates with `&`, not `;`"));
            }
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let Some(known) = release.gate(name) else {
                return Err(unknown_gate(name, release));
            };
            let on = match value {
                "1" | "t" | "T" | "true" | "TRUE" | "True" => true,
                "0" | "f" | "F" | "false" | "FALSE" | "False" => false,
                _ => return Err(format!("`{pair}`: the value must be true or false")),
            };
            if known.stage == Stage::Stable && !on && !g.no_effect.contains(&known.name.as_str()) {
                g.no_effect.push(known.name.as_str());
            }
            g.gates.insert(known.name.as_str(), on);
        }
        Ok(g)
    }

    /// Whether the gate is on as the release's code reads it: a Stable gate is folded to true
    /// (the code no longer asks; the generator checks that it does not), whatever was set.
    pub fn enabled(&self, gate: &str) -> bool {
        match self.release.gate(gate) {
            Some(g) if g.stage == Stage::Stable => true,
            Some(_) => self.gates.get(gate).copied().unwrap_or(false),
            None => false,
        }
    }

    /// The release these gates belong to.
    pub fn release(&self) -> &'static Release {
        self.release
    }

    /// Stable gates set to false: Agones accepts the setting and ignores it.
    pub fn without_effect(&self) -> &[&'static str] {
        &self.no_effect
    }

    /// Gates set to a value other than the release's default, in name order.
    pub fn changed(&self) -> impl Iterator<Item = (&'static str, bool)> + '_ {
        self.gates.iter().filter_map(|(name, on)| {
            let default = self.release.gate(name).is_some_and(|g| g.default);
            (*on != default).then_some((*name, *on))
        })
    }
}

/// Why a gate name is refused, naming the release's gates and the nearest.
fn unknown_gate(name: &str, release: &Release) -> String {
    let names: Vec<&str> = release.gates.iter().map(|g| g.name.as_str()).collect();
    let hint = crate::suggest::closest(name, names.iter().copied())
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    let elsewhere: Vec<&str> = super::release::all()
        .iter()
        .filter(|r| r.gate(name).is_some())
        .map(|r| r.version.as_str())
        .collect();
    let other_releases = match (elsewhere.first(), elsewhere.last()) {
        (Some(first), Some(last)) if first == last => format!("; Agones {first} has it"),
        (Some(first), Some(last)) => format!("; Agones {first} to {last} have it"),
        _ => String::new(),
    };
    format!(
        "`{name}` is not a feature gate of Agones {}{hint}{other_releases}; its gates: {}",
        release.version,
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::release::find;

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
        assert_eq!(
            g.changed().collect::<Vec<_>>(),
            [("CountsAndLists", false), ("WasmAutoscaler", true)]
        );
        assert!(FeatureGates::parse("WasmAutoscalr=true")
            .unwrap_err()
            .contains("WasmAutoscaler"));
        assert!(FeatureGates::parse("WasmAutoscaler=yes").is_err());
        assert!(FeatureGates::parse("WasmAutoscaler").is_err());
        assert!(FeatureGates::parse("").is_ok());
    }

    #[test]
    fn gates_are_the_releases_own() {
        let r150 = find("1.50").unwrap();
        assert!(!FeatureGates::defaults(r150).enabled(SCHEDULED_AUTOSCALER));
        let e = FeatureGates::parse_for("WasmAutoscaler=true", r150).unwrap_err();
        assert!(
            e.contains("Agones 1.50") && e.contains("1.52 to 1.60 have it"),
            "{e}"
        );
        let r155 = find("1.55").unwrap();
        assert!(!FeatureGates::defaults(r155).enabled(SIDECAR_CONTAINERS));
        assert!(FeatureGates::defaults(find("1.56").unwrap()).enabled(SIDECAR_CONTAINERS));
    }

    #[test]
    fn a_stable_gate_set_false_is_accepted_and_stays_on() {
        let r = find("1.60").unwrap();
        let g = FeatureGates::parse_for("PortPolicyNone=false", r).unwrap();
        assert!(g.enabled("PortPolicyNone"));
        assert_eq!(g.without_effect(), ["PortPolicyNone"]);
        let g = FeatureGates::parse_for("PortPolicyNone=false", find("1.59").unwrap()).unwrap();
        assert!(!g.enabled("PortPolicyNone") && g.without_effect().is_empty());
    }
}
