//! Typed Agones objects and the JSON Schemas generated from them.

pub mod agones;
pub mod allocation;
pub mod autoscaling;
pub mod describe;
pub mod gates;
pub mod lenient;
pub mod meta;
pub mod podschema;
pub mod podtemplate;
pub mod release;
pub mod schema;

/// `skip_serializing_if` helpers that make serde drop what Go's `omitempty` drops, so that
/// encoding the model gives what Agones' mutating webhook encodes.
pub mod omitempty {
    pub fn str(v: &Option<String>) -> bool {
        v.as_deref().is_none_or(str::is_empty)
    }

    pub fn int(v: &Option<i32>) -> bool {
        v.is_none_or(|n| n == 0)
    }

    pub fn int64(v: &i64) -> bool {
        *v == 0
    }

    pub fn bool(v: &Option<bool>) -> bool {
        v.is_none_or(|b| !b)
    }
}

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

/// Where each kind lives since Agones 1.0 (FleetAllocation became GameServerAllocation).
fn current_api_version(kind: &str) -> Option<&'static str> {
    match kind {
        "Fleet" | "GameServer" | "GameServerSet" => Some("agones.dev/v1"),
        "FleetAutoscaler" => Some("autoscaling.agones.dev/v1"),
        "GameServerAllocation" | "FleetAllocation" => Some("allocation.agones.dev/v1"),
        "GameServerAllocationPolicy" => Some("multicluster.agones.dev/v1"),
        _ => None,
    }
}

pub fn classify(api_version: &str, kind: &str) -> Classification {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let Some((_, kinds)) = AGONES_KINDS.iter().find(|(g, _)| *g == group) else {
        return misplaced_agones_kind(group, api_version, kind);
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

/// An Agones kind under a group that is not Agones' own: the pre-1.0 `stable.agones.dev`, or a
/// near miss such as `agones/v1`. The cluster answers "no matches for kind"; other groups
/// (Rancher's `fleet.cattle.io` Fleet, say) are foreign.
fn misplaced_agones_kind(group: &str, api_version: &str, kind: &str) -> Classification {
    let Some(current) = current_api_version(kind) else {
        return Classification::Foreign;
    };
    let current_group = current.split_once('/').map_or(current, |(g, _)| g);
    if group == "stable.agones.dev" {
        return Classification::Unknown(format!(
            "`{api_version}` is Agones' pre-1.0 API group, which no Agones release since 1.0 serves; use `apiVersion: {current}`{}",
            if kind == "FleetAllocation" { " and `kind: GameServerAllocation`" } else { "" }
        ));
    }
    let near = group.to_ascii_lowercase().contains("agones")
        || strsim::levenshtein(group, current_group) <= 2;
    if near && group != current_group {
        return Classification::Unknown(format!(
            "Agones serves `{kind}` as `{current}`, not `{api_version}`; did you mean `apiVersion: {current}`?"
        ));
    }
    Classification::Foreign
}
