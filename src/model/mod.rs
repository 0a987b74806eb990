//! Typed Agones objects and the JSON Schemas generated from them.

pub mod agones;
pub mod allocation;
pub mod autoscaling;
pub mod gates;
pub mod meta;
pub mod schema;

/// Where a document's `apiVersion` and `kind` place it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classification {
    /// Not an Agones object (a Deployment, a Service): skipped.
    Foreign,
    /// An Agones kind this linter checks.
    Checked(Kind),
    /// A real Agones kind that this version does not check yet.
    Unchecked,
    /// An Agones group with a kind or version Agones does not serve.
    Unknown(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Fleet,
    FleetAutoscaler,
    GameServer,
    GameServerAllocation,
    /// agones-lint's own kind: a demand scenario for `simulate --scenario`.
    Scenario,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Fleet => "Fleet",
            Kind::FleetAutoscaler => "FleetAutoscaler",
            Kind::GameServer => "GameServer",
            Kind::GameServerAllocation => "GameServerAllocation",
            Kind::Scenario => "Scenario",
        }
    }

    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Fleet | Kind::GameServer => "agones.dev/v1",
            Kind::FleetAutoscaler => "autoscaling.agones.dev/v1",
            Kind::GameServerAllocation => "allocation.agones.dev/v1",
            Kind::Scenario => "agones-lint.dev/v1alpha1",
        }
    }

    /// Whether the API server validates this kind against a CRD schema. GameServerAllocation
    /// has none: Agones decodes it with Go's encoding/json, which ignores unknown fields.
    pub fn has_crd(self) -> bool {
        !matches!(self, Kind::GameServerAllocation)
    }
}

const AGONES_KINDS: &[(&str, &[&str])] = &[
    ("agones.dev", &["Fleet", "GameServer", "GameServerSet"]),
    ("autoscaling.agones.dev", &["FleetAutoscaler"]),
    ("allocation.agones.dev", &["GameServerAllocation"]),
    ("multicluster.agones.dev", &["GameServerAllocationPolicy"]),
    ("agones-lint.dev", &["Scenario"]),
];

pub fn classify(api_version: &str, kind: &str) -> Classification {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let Some((_, kinds)) = AGONES_KINDS.iter().find(|(g, _)| *g == group) else {
        return Classification::Foreign;
    };
    if !kinds.contains(&kind) {
        let hint = crate::suggest::closest(kind, kinds.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_else(|| format!("; it serves {}", kinds.join(", ")));
        return Classification::Unknown(format!(
            "the API group `{group}` has no kind `{kind}`{hint}"
        ));
    }
    if group == "agones-lint.dev" {
        return if version == "v1alpha1" {
            Classification::Checked(Kind::Scenario)
        } else {
            Classification::Unknown(format!(
                "agones-lint reads `{kind}` as `agones-lint.dev/v1alpha1`, not `{api_version}`"
            ))
        };
    }
    if version != "v1" {
        return Classification::Unknown(format!(
            "Agones serves `{kind}` only as `{group}/v1`, not `{api_version}`"
        ));
    }
    match kind {
        "Fleet" => Classification::Checked(Kind::Fleet),
        "FleetAutoscaler" => Classification::Checked(Kind::FleetAutoscaler),
        "GameServer" => Classification::Checked(Kind::GameServer),
        "GameServerAllocation" => Classification::Checked(Kind::GameServerAllocation),
        _ => Classification::Unchecked,
    }
}
