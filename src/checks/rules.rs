//! The rule registry: every rule's stable code, name, default severity and documentation.

use crate::finding::Severity;

#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub kinds: &'static [&'static str],
    pub summary: &'static str,
    /// The Markdown file under `rules/`, embedded.
    pub doc: &'static str,
}

impl Rule {
    /// Where this rule's doc is published, given the base URL of the `rules/` folder.
    pub fn doc_url(&self, base: &str) -> String {
        format!(
            "{}/{}-{}.md",
            base.trim_end_matches('/'),
            self.code,
            self.name
        )
    }
}

macro_rules! rules {
    ($( $id:ident = $code:literal $name:literal $sev:ident [$($kind:literal),*] $summary:literal; )*) => {
        $(
            pub static $id: Rule = Rule {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                kinds: &[$($kind),*],
                summary: $summary,
                doc: include_str!(concat!("../../rules/", $code, "-", $name, ".md")),
            };
        )*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$id),*];
    };
}

rules! {
    YAML001 = "YAML001" "yaml-syntax" Error ["*"] "The file is not valid YAML (or JSON).";
    YAML002 = "YAML002" "duplicate-key" Error ["*"] "A mapping repeats a key.";
    YAML003 = "YAML003" "input-budget" Error ["*"] "The input breaks a size, depth or alias budget.";
    YAML004 = "YAML004" "not-text" Error ["*"] "The file is binary or not UTF-8.";
    YAML005 = "YAML005" "non-finite-number" Error ["*"] "A number that JSON cannot represent (.inf, .nan).";
    YAML006 = "YAML006" "no-documents" Info ["*"] "The file holds no YAML document (empty, or only comments).";
    YAML007 = "YAML007" "helm-template" Info ["*"] "A Helm chart template: lint what `helm template` renders, not the template.";
    CFG001 = "CFG001" "config-invalid" Error ["config"] "A mistake in .agones-lint.yaml.";
    CFG002 = "CFG002" "unused-suppression" Info ["*"] "An agones-lint: disable comment that suppresses nothing.";
    CFG003 = "CFG003" "feature-gate-without-effect" Warning ["config"] "A Stable feature gate set to false: Agones accepts it and ignores it.";
    K8S001 = "K8S001" "unknown-agones-kind" Error ["*"] "An Agones apiVersion with a kind or version Agones does not serve.";
    K8S002 = "K8S002" "object-name-invalid" Error ["*"] "metadata.name is missing or not a valid Kubernetes name.";
    K8S003 = "K8S003" "namespace-invalid" Error ["*"] "metadata.namespace is not a valid namespace name.";
    K8S004 = "K8S004" "labels-invalid" Error ["*"] "A label key or value breaks Kubernetes' syntax.";
    K8S005 = "K8S005" "annotations-invalid" Error ["*"] "An annotation key breaks Kubernetes' syntax, or annotations exceed 256 KiB.";
    SCH001 = "SCH001" "unknown-field" Error ["*"] "A field the Agones CRD does not define.";
    SCH002 = "SCH002" "wrong-type" Error ["*"] "A field has the wrong type.";
    SCH003 = "SCH003" "required-field" Error ["*"] "A required field is missing.";
    SCH004 = "SCH004" "invalid-value" Error ["*"] "A value breaks a CRD constraint (enum, pattern, range, length).";
    SCH005 = "SCH005" "undecodable-value" Error ["*"] "A value Agones cannot decode into its Go type.";
    SCH006 = "SCH006" "unknown-field-ignored" Warning ["*"] "A field Agones does not know, silently dropped (GameServerAllocation, or any kind with unknown-fields: warning).";
    FAS001 = "FAS001" "min-above-max" Error ["FleetAutoscaler"] "minReplicas (or minCapacity) is above maxReplicas (or maxCapacity).";
    FAS002 = "FAS002" "buffer-size-not-positive" Error ["FleetAutoscaler"] "An absolute bufferSize must be at least 1.";
    FAS003 = "FAS003" "max-below-buffer-size" Error ["FleetAutoscaler"] "maxReplicas (or maxCapacity) is below an absolute bufferSize.";
    FAS004 = "FAS004" "min-below-buffer-size" Error ["FleetAutoscaler"] "A non-zero minReplicas (or minCapacity) is below an absolute bufferSize.";
    FAS005 = "FAS005" "buffer-percent-invalid" Error ["FleetAutoscaler"] "A string bufferSize must be a whole percentage from 1% to 99%.";
    FAS006 = "FAS006" "percent-buffer-needs-min" Error ["FleetAutoscaler"] "A percentage bufferSize needs minReplicas (or minCapacity) of at least 1.";
    FAS007 = "FAS007" "policy-config-missing" Error ["FleetAutoscaler"] "The policy type names a block that is not there.";
    FAS008 = "FAS008" "feature-gate-disabled" Error ["FleetAutoscaler"] "The policy type needs a feature gate that is off.";
    FAS009 = "FAS009" "url-or-service-required" Error ["FleetAutoscaler"] "A webhook or Wasm source needs `url` or `service`.";
    FAS010 = "FAS010" "url-and-service" Error ["FleetAutoscaler"] "A webhook or Wasm source sets both `url` and `service`.";
    FAS011 = "FAS011" "ca-bundle-invalid" Error ["FleetAutoscaler"] "caBundle is not base64 of PEM certificates.";
    FAS012 = "FAS012" "chain-duplicate-id" Error ["FleetAutoscaler"] "Two chain entries have the same id (a missing id counts as the empty id).";
    FAS013 = "FAS013" "chain-entry-policy-missing" Error ["FleetAutoscaler"] "A chain entry has no type or no policy block.";
    FAS014 = "FAS014" "url-invalid" Error ["FleetAutoscaler"] "A webhook or Wasm URL that Go's url.Parse rejects.";
    FAS015 = "FAS015" "timezone-invalid" Error ["FleetAutoscaler"] "activePeriod.timezone is not an IANA time zone.";
    FAS016 = "FAS016" "schedule-end-in-past" Error ["FleetAutoscaler"] "between.end is already in the past.";
    FAS017 = "FAS017" "schedule-start-after-end" Error ["FleetAutoscaler"] "between.start is after between.end.";
    FAS018 = "FAS018" "cron-invalid" Error ["FleetAutoscaler"] "startCron is not a valid cron expression.";
    FAS019 = "FAS019" "cron-timezone-prefix" Error ["FleetAutoscaler"] "startCron contains TZ= or CRON_TZ=.";
    FAS020 = "FAS020" "duration-invalid" Error ["FleetAutoscaler"] "activePeriod.duration is not a Go duration.";
    FAS021 = "FAS021" "schedule-time-invalid" Error ["FleetAutoscaler"] "between.start or between.end is not an RFC 3339 time.";
    FAS023 = "FAS023" "spec-missing" Error ["FleetAutoscaler"] "A FleetAutoscaler without spec (rejected: Go writes an empty fleetName and policy type).";
    FAS024 = "FAS024" "chain-empty" Error ["FleetAutoscaler"] "A Chain policy with no entries fails every sync.";
    FAS030 = "FAS030" "wasm-hash-missing" Warning ["FleetAutoscaler"] "A Wasm policy without a hash runs whatever the URL serves.";
    FAS031 = "FAS031" "chain-entry-unreachable" Warning ["FleetAutoscaler"] "A chain entry after one that never falls through.";
    FAS032 = "FAS032" "chain-no-fallback" Warning ["FleetAutoscaler"] "Every chain entry can fall through, so some syncs scale nothing.";
    FAS033 = "FAS033" "schedule-never-fires" Warning ["FleetAutoscaler"] "startCron never fires inside the between window.";
    FAS034 = "FAS034" "schedule-end-soon" Warning ["FleetAutoscaler"] "between.end is within 7 days; re-applying after it is rejected.";
    FAS035 = "FAS035" "duration-exceeds-cron-period" Warning ["FleetAutoscaler"] "activePeriod.duration is longer than the time between cron fires.";
    FAS036 = "FAS036" "sync-interval-short" Warning ["FleetAutoscaler"] "A sync interval under 5 seconds loads the controller and the API server.";
    FAS037 = "FAS037" "sync-interval-defaulted" Info ["FleetAutoscaler"] "sync.fixedInterval.seconds: 0 becomes the default, 30.";
    FAS038 = "FAS038" "timezone-local" Warning ["FleetAutoscaler"] "timezone `Local` means the controller's zone, usually UTC.";
    FAS039 = "FAS039" "unused-policy-block" Warning ["FleetAutoscaler"] "A policy block that the policy type does not use.";
    FAS040 = "FAS040" "duration-not-positive" Warning ["FleetAutoscaler"] "A zero or negative activePeriod.duration; the schedule is never active.";
    FLT001 = "FLT001" "name-too-long" Error ["Fleet", "GameServer"] "A Fleet or GameServer name longer than 63 characters.";
    FLT002 = "FLT002" "rolling-update-invalid" Error ["Fleet"] "maxSurge or maxUnavailable below 1, or not a whole 1%..99%.";
    FLT003 = "FLT003" "recreate-rollout" Warning ["Fleet"] "An update changes the template of a Recreate Fleet: every Ready GameServer goes at once (serve only).";
    GSS001 = "GSS001" "feature-gate-disabled" Error ["Fleet", "GameServer"] "players, counters, lists, priorities or port policy None with their feature gate off.";
    GSS002 = "GSS002" "container-required" Error ["Fleet", "GameServer"] "Several containers and no `container` naming the game server.";
    GSS003 = "GSS003" "container-not-found" Error ["Fleet", "GameServer"] "`container` names no container of the Pod template.";
    GSS004 = "GSS004" "container-port-required" Error ["Fleet", "GameServer"] "A Dynamic or Static port without a containerPort.";
    GSS005 = "GSS005" "passthrough-container-port" Error ["Fleet", "GameServer"] "A Passthrough port with a containerPort.";
    GSS006 = "GSS006" "host-port-not-allowed" Error ["Fleet", "GameServer"] "A hostPort on a Dynamic or Passthrough port.";
    GSS007 = "GSS007" "port-container-not-found" Error ["Fleet", "GameServer"] "A port's `container` names no container of the Pod template.";
    GSS008 = "GSS008" "resource-quantity-invalid" Error ["Fleet", "GameServer"] "A resource request or limit that is not a quantity, or is negative.";
    GSS009 = "GSS009" "request-above-limit" Error ["Fleet", "GameServer"] "A resource request above its limit.";
    GSS010 = "GSS010" "dev-address-invalid" Error ["GameServer"] "The agones.dev/dev-address annotation is not an IP address.";
    GSS011 = "GSS011" "dev-address-needs-static-ports" Error ["GameServer"] "A development GameServer's ports need a hostPort and the Static policy.";
    GSS012 = "GSS012" "sdk-port-conflict" Warning ["Fleet", "GameServer"] "The game server uses a port of the Agones SDK sidecar (8080, 9357, 9358).";
    GSS013 = "GSS013" "initial-count-above-capacity" Warning ["Fleet", "GameServer"] "A Counter starts above its capacity, or a List with more values than capacity.";
    GSA001 = "GSA001" "label-selector-invalid" Error ["GameServerAllocation"] "A selector's matchLabels or matchExpressions that Kubernetes cannot parse.";
    GSA002 = "GSA002" "selector-state-invalid" Error ["GameServerAllocation"] "gameServerState other than Ready or Allocated.";
    GSA003 = "GSA003" "player-selector-invalid" Error ["GameServerAllocation"] "A negative players bound, or minAvailable above maxAvailable.";
    GSA004 = "GSA004" "player-filter-ignored" Warning ["GameServerAllocation"] "A players filter while PlayerAllocationFilter is off: ignored.";
    GSA005 = "GSA005" "counter-selector-invalid" Error ["GameServerAllocation"] "A negative counter bound, or a maximum below its minimum.";
    GSA006 = "GSA006" "list-selector-invalid" Error ["GameServerAllocation"] "A negative list bound, or maxAvailable below minAvailable.";
    GSA007 = "GSA007" "feature-gate-disabled" Error ["GameServerAllocation"] "Counters, lists or priorities while CountsAndLists is off.";
    GSA008 = "GSA008" "priority-invalid" Error ["GameServerAllocation"] "A priority without a type or a key.";
    GSA009 = "GSA009" "action-invalid" Error ["GameServerAllocation"] "A counter or list action Agones rejects or fails to apply.";
    GSA011 = "GSA011" "action-not-applied" Warning ["GameServerAllocation"] "A counter or list action Agones accepts but cannot apply: the allocation succeeds without it.";
    GSS014 = "GSS014" "dev-address-empty" Warning ["GameServer"] "An empty agones.dev/dev-address annotation: accepted as a normal GameServer, then run as a development one with no address.";
    GSA010 = "GSA010" "deprecated-selectors" Warning ["GameServerAllocation"] "`required`/`preferred` are deprecated, or ignored next to `selectors`.";
    REF001 = "REF001" "fleet-not-found" Info ["FleetAutoscaler"] "The autoscaler's Fleet is not among the linted files.";
    REF002 = "REF002" "fleet-key-missing" Error ["FleetAutoscaler"] "A Counter or List policy names a key its Fleet's template does not define.";
    REF003 = "REF003" "fleet-capacity-blocks-scale-up" Error ["FleetAutoscaler"] "The Fleet's template gives new GameServers no free capacity for the policy's key.";
    REF004 = "REF004" "capacity-not-multiple" Warning ["FleetAutoscaler"] "min/maxCapacity is not a multiple of the capacity per GameServer.";
    REF005 = "REF005" "max-below-fleet-replicas" Warning ["FleetAutoscaler"] "Buffer maxReplicas is below the Fleet's replicas.";
    REF006 = "REF006" "replicas-managed-by-autoscaler" Warning ["Fleet"] "The Fleet sets replicas while an autoscaler manages them.";
    REF007 = "REF007" "fleet-has-several-autoscalers" Warning ["FleetAutoscaler"] "Several FleetAutoscalers target one Fleet.";
    REF008 = "REF008" "allocation-fleet-not-found" Info ["GameServerAllocation"] "A selector names an agones.dev/fleet that is not among the linted files.";
    REF009 = "REF009" "allocation-key-unknown" Warning ["GameServerAllocation"] "A Counter or List key that no Fleet the allocation can select defines.";
    REF010 = "REF010" "selector-shadowed" Info ["GameServerAllocation"] "A selector that an earlier, looser selector always wins over.";
    REF011 = "REF011" "duplicate-object" Warning ["*"] "Two objects of one kind share a namespace and name; applying both keeps the last.";
    FAS041 = "FAS041" "url-not-http" Warning ["FleetAutoscaler"] "A webhook or Wasm URL that the controller cannot call (no http/https scheme or host).";
    FAS042 = "FAS042" "chain-shares-wasm-plugin" Warning ["FleetAutoscaler"] "A later Wasm entry of a Chain runs the first Wasm entry's module and config.";
    FAS043 = "FAS043" "chain-shares-http-client" Warning ["FleetAutoscaler"] "Chain entries whose URLs need different caBundles share the first one's HTTP client.";
    FAS048 = "FAS048" "reference-empty" Error ["FleetAutoscaler"] "A Counter or List policy without a key, or a webhook service without a name: accepted, then every sync fails.";
    FAS049 = "FAS049" "https-url-without-ca-bundle" Error ["FleetAutoscaler"] "An https webhook or Wasm URL without caBundle, which Agones 1.53 and earlier refuse.";
    FAS044 = "FAS044" "wasm-hash-mismatch" Error ["FleetAutoscaler"] "The Wasm module's sha256 is not the policy's `hash` (checked with --wasm-module or --fetch).";
    FAS045 = "FAS045" "wasm-module-invalid" Error ["FleetAutoscaler"] "The module behind a Wasm policy is not valid WebAssembly (checked with --wasm-module or --fetch).";
    FAS046 = "FAS046" "wasm-function-missing" Error ["FleetAutoscaler"] "The Wasm module does not export the policy's `function` (checked with --wasm-module or --fetch).";
    FAS047 = "FAS047" "wasm-module-unavailable" Error ["FleetAutoscaler"] "lint --fetch could not download the module of a Wasm policy.";
    SCN001 = "SCN001" "scenario-invalid" Error ["Scenario"] "A Scenario value that simulate --scenario cannot use: a bad duration, time, rate or demand.";
    GLF001 = "GLF001" "gamelift-policy-invalid" Error ["Scenario"] "A GameLift scaling policy GameLift would reject: unknown metric, operator or type, a missing field, a threshold or period out of range.";
    GLF002 = "GLF002" "gamelift-cannot-scale" Warning ["Scenario"] "A scale-up policy on a fleet whose maxSize is 1, GameLift's default: it can never add an instance.";
    GLF003 = "GLF003" "gamelift-exact-outside-bounds" Warning ["Scenario"] "An ExactCapacity adjustment outside [minSize, maxSize]; GameLift clamps it.";
    GLF004 = "GLF004" "gamelift-policies-oscillate" Warning ["Scenario"] "Two policies that undo each other: on constant demand the capacity goes up and down forever.";
    GLF005 = "GLF005" "gamelift-metric-not-modelled" Info ["Scenario"] "A metric the scenario model does not compute; the policy never fires in the simulation.";
}
