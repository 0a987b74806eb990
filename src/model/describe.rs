//! What each Agones field means to the person writing it: the descriptions of the editor
//! schemas (`schema --catalog`) and of hovers. Written here, in this project's words; the
//! model's doc comments stay notes for developers.

/// (definition, property, description). The definition is the schema's `$defs` name, or the
/// kind's name for the top level.
const DESCRIPTIONS: &[(&str, &str, &str)] = &[
    // Every kind's top level
    ("*", "apiVersion", "The API group and version of this kind."),
    ("*", "kind", "The kind of object."),
    ("*", "metadata", "Name, namespace, labels and annotations of the object."),
    ("*", "status", "Written by the Agones controllers; leave it out of manifests."),
    ("ObjectMeta", "name", "The object's name: a DNS subdomain, unique in its namespace."),
    ("ObjectMeta", "generateName", "A prefix from which the API server makes a unique name when `name` is empty."),
    ("ObjectMeta", "namespace", "The namespace; the one kubectl applies to when empty."),
    ("ObjectMeta", "labels", "Key/value pairs that selectors match."),
    ("ObjectMeta", "annotations", "Key/value pairs for tools; not matched by selectors."),
    ("ObjectMeta", "finalizers", "Names of controllers that must finish before the object is deleted."),
    // Fleet
    ("Fleet", "spec", "The GameServers this Fleet keeps running, and how it replaces them."),
    ("GameServerSet", "spec", "The GameServers this set keeps running; a Fleet writes it."),
    ("FleetSpec", "replicas", "How many GameServers to keep. Leave it out when a FleetAutoscaler manages the Fleet: each apply would reset its choice."),
    ("FleetSpec", "allocationOverflow", "Labels and annotations put on Allocated GameServers beyond `replicas`, so they can be found when the Fleet shrinks under them."),
    ("FleetSpec", "scheduling", "Packed (fill nodes, for cluster autoscaling) or Distributed (spread over nodes). Also decides which GameServers are removed first on scale-down."),
    ("FleetSpec", "strategy", "How GameServers are replaced when the template changes: RollingUpdate (default) or Recreate."),
    ("FleetSpec", "priorities", "Which GameServers to remove first on scale-down, by Counter or List (CountsAndLists feature gate)."),
    ("FleetSpec", "template", "The GameServer every replica is created from."),
    ("FleetStrategy", "type", "RollingUpdate replaces GameServers gradually; Recreate removes the old ones first."),
    ("FleetStrategy", "rollingUpdate", "Limits of a rolling update."),
    ("RollingUpdate", "maxSurge", "How many GameServers above `replicas` a rolling update may create: a number or a percentage (default 25%)."),
    ("RollingUpdate", "maxUnavailable", "How many GameServers a rolling update may take away at once: a number or a percentage (default 25%)."),
    ("GameServerTemplateSpec", "metadata", "Labels and annotations of each GameServer."),
    ("GameServerTemplateSpec", "spec", "The GameServer's spec."),
    // GameServer
    ("GameServer", "spec", "The game server: its Pod, ports, health checking and SDK settings."),
    ("GameServerSpec", "container", "The container that runs the game server and talks to the SDK; needed when the Pod has several containers."),
    ("GameServerSpec", "ports", "The ports players connect to and how Agones exposes them."),
    ("GameServerSpec", "sdkServer", "Settings of the SDK sidecar."),
    ("GameServerSpec", "scheduling", "Packed or Distributed; set from the Fleet for a Fleet's GameServers."),
    ("GameServerSpec", "health", "Health checking through the SDK's Health() calls."),
    ("GameServerSpec", "players", "Player tracking (PlayerTracking feature gate)."),
    ("GameServerSpec", "counters", "Named counters (CountsAndLists feature gate): a count and a capacity each, which allocation and autoscaling can use."),
    ("GameServerSpec", "lists", "Named lists of values (CountsAndLists feature gate), with a capacity each."),
    ("GameServerSpec", "eviction", "Whether Kubernetes may evict the game server's Pod."),
    ("GameServerSpec", "immutableReplicas", "Internal to Agones; leave it out."),
    ("GameServerSpec", "template", "The Kubernetes Pod template of the game server."),
    ("GameServerPort", "name", "The port's name, unique in the GameServer."),
    ("GameServerPort", "range", "The port range a Dynamic port is taken from (PortRanges feature gate); the default range when empty."),
    ("GameServerPort", "portPolicy", "Dynamic (a free host port is chosen), Static (hostPort as given), Passthrough (the container uses the chosen host port), or None (no host port)."),
    ("GameServerPort", "protocol", "UDP (default), TCP, or TCPUDP (both on the same port)."),
    ("GameServerPort", "container", "The container the port belongs to; the game server container when empty."),
    ("GameServerPort", "containerPort", "The port the game server listens on in its container."),
    ("GameServerPort", "hostPort", "The port on the node; required for Static, chosen by Agones for Dynamic and Passthrough."),
    ("SdkServer", "logLevel", "Info (default), Debug, Error or Trace."),
    ("SdkServer", "grpcPort", "The SDK server's gRPC port in the Pod (default 9357)."),
    ("SdkServer", "httpPort", "The SDK server's HTTP port in the Pod (default 9358)."),
    ("Health", "disabled", "Turns health checking off."),
    ("Health", "initialDelaySeconds", "Seconds before the first health check (default 5)."),
    ("Health", "periodSeconds", "Seconds between the SDK Health() calls Agones expects (default 5)."),
    ("Health", "failureThreshold", "Missed health periods before the GameServer is Unhealthy (default 3)."),
    ("PlayersSpec", "initialCapacity", "The player capacity a new GameServer starts with."),
    ("CounterSpec", "count", "The counter's initial value (at most its capacity)."),
    ("CounterSpec", "capacity", "The counter's maximum (default 1000)."),
    ("ListSpec", "capacity", "The most values the list may hold (default 1000, at most 1000)."),
    ("ListSpec", "values", "The list's initial values, without repeats."),
    ("Eviction", "safe", "Never (default), OnUpgrade (only for node upgrades) or Always: when Kubernetes may evict the Pod."),
    ("Priority", "type", "Counter or List."),
    ("Priority", "key", "The name of the Counter or List."),
    ("Priority", "order", "Ascending (default) or Descending by available capacity."),
    ("LabelsAndAnnotations", "labels", "Labels to add."),
    ("LabelsAndAnnotations", "annotations", "Annotations to add."),
    // FleetAutoscaler
    ("FleetAutoscaler", "spec", "Which Fleet to scale, by which policy, how often."),
    ("FleetAutoscalerSpec", "fleetName", "The Fleet to scale, in the autoscaler's namespace."),
    ("FleetAutoscalerSpec", "policy", "How the Fleet's size is computed."),
    ("FleetAutoscalerSpec", "sync", "How often the policy runs (default every 30 seconds)."),
    ("FleetAutoscalerPolicy", "type", "The policy: Buffer, Webhook, Counter, List, Schedule, Chain or Wasm; its settings go in the field of the same name."),
    ("FleetAutoscalerPolicy", "buffer", "Keep a buffer of Ready GameServers above the Allocated ones."),
    ("FleetAutoscalerPolicy", "webhook", "Ask an HTTP service for the Fleet's size."),
    ("FleetAutoscalerPolicy", "counter", "Keep free Counter capacity across the Fleet (CountsAndLists feature gate)."),
    ("FleetAutoscalerPolicy", "list", "Keep free List capacity across the Fleet (CountsAndLists feature gate)."),
    ("FleetAutoscalerPolicy", "schedule", "Apply a policy only in a time window (ScheduledAutoscaler feature gate)."),
    ("FleetAutoscalerPolicy", "chain", "Policies tried in order: the first whose schedule is active decides (ScheduledAutoscaler feature gate)."),
    ("FleetAutoscalerPolicy", "wasm", "Run a WebAssembly module that computes the size (WasmAutoscaler feature gate)."),
    ("ChainEntry", "id", "The entry's name, unique in the chain; reported as the policy applied."),
    ("BufferPolicy", "bufferSize", "Ready GameServers to keep beyond the Allocated ones: a number, or a percentage of the Fleet (then minReplicas is required)."),
    ("BufferPolicy", "minReplicas", "The Fleet never goes below this size; at least bufferSize when that is a number."),
    ("BufferPolicy", "maxReplicas", "The Fleet never goes above this size; at least bufferSize."),
    ("CapacityPolicy", "key", "The Counter or List name, as the Fleet's template defines it."),
    ("CapacityPolicy", "bufferSize", "Free capacity to keep across the Fleet: a number, or a percentage (then minCapacity is required)."),
    ("CapacityPolicy", "minCapacity", "The smallest total capacity to keep; 0 for no minimum."),
    ("CapacityPolicy", "maxCapacity", "The largest total capacity the Fleet may reach."),
    ("UrlConfiguration", "url", "The endpoint as a URL; set this or `service`, not both."),
    ("UrlConfiguration", "service", "The endpoint as a Service in the cluster; set this or `url`, not both."),
    ("UrlConfiguration", "caBundle", "Base64 of the PEM certificates that sign an https endpoint's certificate."),
    ("ServiceReference", "namespace", "The Service's namespace."),
    ("ServiceReference", "name", "The Service's name."),
    ("ServiceReference", "path", "The path requests are sent to."),
    ("ServiceReference", "port", "The Service's port (default 8000 for webhooks)."),
    ("SchedulePolicy", "between", "The window's start and end; no start means already started, no end means never ends."),
    ("SchedulePolicy", "activePeriod", "When the policy is active inside the window: a cron start and a duration."),
    ("SchedulePolicy", "policy", "The policy applied while the schedule is active."),
    ("Between", "start", "When the window opens (RFC 3339 time)."),
    ("Between", "end", "When the window closes (RFC 3339 time)."),
    ("ActivePeriod", "timezone", "The IANA time zone of startCron (default UTC)."),
    ("ActivePeriod", "startCron", "When each active period starts, in five-field cron syntax (no CRON_TZ or TZ prefix)."),
    ("ActivePeriod", "duration", "How long each active period lasts, as a Go duration (1h30m); empty means until the window ends."),
    ("WasmPolicy", "function", "The exported function to call (default scale)."),
    ("WasmPolicy", "config", "Key/value pairs passed to the module."),
    ("WasmPolicy", "from", "Where the module is downloaded from."),
    ("WasmPolicy", "hash", "The sha256 of the module in hex: the controller refuses a module that does not match."),
    ("WasmFrom", "url", "The module's URL or Service."),
    ("FleetAutoscalerSync", "type", "FixedInterval: run the policy every `seconds`."),
    ("FleetAutoscalerSync", "fixedInterval", "The interval of a FixedInterval sync."),
    ("FixedIntervalSync", "seconds", "Seconds between two runs of the policy (default 30)."),
    // GameServerAllocation
    ("GameServerAllocation", "spec", "Which GameServer to allocate and what to change on it."),
    ("GameServerAllocationSpec", "multiClusterSetting", "Allocation across clusters, through allocation policies."),
    ("GameServerAllocationSpec", "required", "Deprecated: use `selectors`. Agones converts it to the last selector."),
    ("GameServerAllocationSpec", "preferred", "Deprecated: use `selectors`. Agones converts these to the first selectors, before `required`."),
    ("GameServerAllocationSpec", "priorities", "Which GameServer to pick among those a selector matches, by Counter or List (CountsAndLists feature gate)."),
    ("GameServerAllocationSpec", "selectors", "Tried in order: the first that matches a GameServer wins."),
    ("GameServerAllocationSpec", "scheduling", "Packed (fill the busiest nodes first) or Distributed (pick at random)."),
    ("GameServerAllocationSpec", "metadata", "Labels and annotations to put on the allocated GameServer."),
    ("GameServerAllocationSpec", "counters", "Changes to the allocated GameServer's Counters (CountsAndLists feature gate)."),
    ("GameServerAllocationSpec", "lists", "Changes to the allocated GameServer's Lists (CountsAndLists feature gate)."),
    ("MultiClusterSetting", "enabled", "Allocate through the cluster's allocation policies."),
    ("MultiClusterSetting", "policySelector", "Which allocation policies to use."),
    ("LabelSelector", "matchLabels", "Labels an object must have, with these values."),
    ("LabelSelector", "matchExpressions", "Conditions on labels: In, NotIn, Exists, DoesNotExist."),
    ("LabelSelectorRequirement", "key", "The label key."),
    ("LabelSelectorRequirement", "operator", "In, NotIn, Exists or DoesNotExist."),
    ("LabelSelectorRequirement", "values", "The values for In and NotIn; empty for Exists and DoesNotExist."),
    ("GameServerSelector", "matchLabels", "Labels the GameServer must have (agones.dev/fleet names its Fleet)."),
    ("GameServerSelector", "matchExpressions", "Conditions on the GameServer's labels."),
    ("GameServerSelector", "gameServerState", "Ready (default) or Allocated: Allocated re-allocates a GameServer already in use, for more players."),
    ("GameServerSelector", "players", "Free player slots the GameServer must have (PlayerAllocationFilter feature gate)."),
    ("GameServerSelector", "counters", "Conditions on the GameServer's Counters (CountsAndLists feature gate)."),
    ("GameServerSelector", "lists", "Conditions on the GameServer's Lists (CountsAndLists feature gate)."),
    ("PlayerSelector", "minAvailable", "At least this many free player slots."),
    ("PlayerSelector", "maxAvailable", "At most this many free player slots."),
    ("CounterSelector", "minCount", "At least this count."),
    ("CounterSelector", "maxCount", "At most this count; 0 for no limit."),
    ("CounterSelector", "minAvailable", "At least this much free capacity."),
    ("CounterSelector", "maxAvailable", "At most this much free capacity; 0 for no limit."),
    ("ListSelector", "containsValue", "The list must hold this value."),
    ("ListSelector", "minAvailable", "At least this many free places."),
    ("ListSelector", "maxAvailable", "At most this many free places; 0 for no limit."),
    ("CounterAction", "action", "Increment or Decrement the count by `amount`."),
    ("CounterAction", "amount", "How much to change the count by (with `action`)."),
    ("CounterAction", "capacity", "A new capacity for the counter."),
    ("ListAction", "addValues", "Values to add (ones already there are skipped)."),
    ("ListAction", "deleteValues", "Values to remove."),
    ("ListAction", "capacity", "A new capacity for the list."),
    // Parts of statuses
    ("StatusPort", "name", "The port's name from the spec."),
    ("StatusPort", "port", "The port players connect to on the node."),
    ("NodeAddress", "address", "The node's address."),
    ("NodeAddress", "type", "The kind of address (ExternalIP, InternalIP, Hostname…)."),
];

/// Definitions that hold a policy's fields inline, described as the policy's own.
const POLICY_ALIASES: &[&str] = &["ChainEntry", "PolicyInSchedule"];

/// Definitions that are another's under a second name.
const SAME_AS: &[(&str, &str)] = &[("GameServerSetSpec", "FleetSpec")];

/// The description of `def`'s property `prop`, if one is written.
pub fn description(def: &str, prop: &str) -> Option<&'static str> {
    let find = |def: &str| {
        DESCRIPTIONS
            .iter()
            .find(|(d, p, _)| *d == def && *p == prop)
    };
    find(def)
        .or_else(|| {
            POLICY_ALIASES
                .contains(&def)
                .then(|| find("FleetAutoscalerPolicy"))
                .flatten()
        })
        .or_else(|| {
            DESCRIPTIONS
                .iter()
                .find(|(d, p, _)| *d == "*" && *p == prop)
        })
        .map(|(_, _, text)| *text)
}

/// Sets the descriptions of every definition in `schema` whose properties this table knows
/// (`root` names the top level), replacing the developer notes the model's doc comments left.
pub fn apply(schema: &mut serde_json::Value, root: &str) {
    describe_properties(schema, root, true);
    if let Some(defs) = schema.get_mut("$defs").and_then(|d| d.as_object_mut()) {
        for (name, def) in defs.iter_mut() {
            describe_properties(def, name, false);
        }
    }
}

fn describe_properties(def: &mut serde_json::Value, name: &str, top: bool) {
    let Some(props) = def.get_mut("properties").and_then(|p| p.as_object_mut()) else {
        return;
    };
    let known = POLICY_ALIASES.contains(&name)
        || SAME_AS.iter().any(|(alias, _)| *alias == name)
        || props
            .keys()
            .any(|p| DESCRIPTIONS.iter().any(|(d, q, _)| *d == name && q == p));
    if !known && !top {
        return;
    }
    for (prop, schema) in props.iter_mut() {
        let Some(obj) = schema.as_object_mut() else {
            continue;
        };
        // A field the release ignores keeps the word that says so (model::schema).
        if obj.contains_key("deprecated") {
            continue;
        }
        match description(name, prop) {
            Some(text) => {
                obj.insert("description".into(), text.into());
            }
            None => {
                obj.remove("description");
            }
        }
    }
}

/// What an editor shows on hover over a field of `kind` at `path`: its description and
/// constraints, read from the editor schema (`schema --catalog`). None off the schema.
pub fn field_doc(kind: &str, path: &[crate::source::tree::Step]) -> Option<String> {
    use crate::source::tree::Step;
    use serde_json::Value;
    static CATALOG: std::sync::OnceLock<Vec<(String, Value)>> = std::sync::OnceLock::new();
    let catalog = CATALOG.get_or_init(|| super::schema::catalog(super::release::newest()));
    let suffix = format!("/{}_v1.json", kind.to_ascii_lowercase());
    let (_, root) = catalog.iter().find(|(p, _)| p.ends_with(&suffix))?;
    let resolve = |mut s: &'static Value| -> &'static Value {
        for _ in 0..16 {
            if let Some(r) = s.get("$ref").and_then(Value::as_str) {
                match r
                    .strip_prefix("#/$defs/")
                    .and_then(|d| root["$defs"].get(d))
                {
                    Some(def) => s = def,
                    None => break,
                }
            } else if let Some(Value::Array(any)) = s.get("anyOf") {
                match any
                    .iter()
                    .find(|a| a.get("type") != Some(&Value::from("null")))
                {
                    Some(first) => s = first,
                    None => break,
                }
            } else {
                break;
            }
        }
        s
    };
    // Extend the borrow to the static catalog.
    let root: &'static Value = root;
    let mut schema = root;
    let mut described = root;
    for step in path {
        let here = resolve(schema);
        let next = match step {
            Step::Key(k) => here
                .get("properties")
                .and_then(|p| p.get(k.as_str()))
                .or_else(|| here.get("additionalProperties").filter(|a| a.is_object()))?,
            Step::Index(_) => here.get("items")?,
        };
        described = next;
        schema = next;
    }
    let here = resolve(schema);
    let mut out = String::new();
    if let Some(d) = described
        .get("description")
        .or_else(|| here.get("description"))
        .and_then(Value::as_str)
    {
        out.push_str(d);
    }
    let mut facts = Vec::new();
    let types: Vec<&str> = match here.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        facts.push(format!("type: {}", types.join(" or ")));
    }
    if let Some(Value::Array(values)) = here.get("enum") {
        let values: Vec<String> = values
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| {
                format!(
                    "`{}`",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )
            })
            .collect();
        facts.push(format!("one of {}", values.join(", ")));
    }
    for (key, label) in [
        ("minimum", "at least"),
        ("maximum", "at most"),
        ("minLength", "length at least"),
        ("maxLength", "length at most"),
        ("maxItems", "at most this many items:"),
        ("pattern", "matching"),
        ("default", "default"),
    ] {
        if let Some(v) = here.get(key).or_else(|| described.get(key)) {
            let v = v
                .as_str()
                .map_or_else(|| v.to_string(), |s| format!("`{s}`"));
            facts.push(format!("{label} {v}"));
        }
    }
    if !facts.is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&facts.join("; "));
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use crate::model::{schema, Kind};

    /// Every property of the Agones definitions an author writes has a description; a field
    /// added to the model without one fails here.
    #[test]
    fn every_agones_property_is_described() {
        let mut missing = Vec::new();
        for kind in [
            Kind::Fleet,
            Kind::GameServer,
            Kind::FleetAutoscaler,
            Kind::GameServerAllocation,
        ] {
            let mut s = schema::generate(kind);
            super::apply(&mut s, kind.name());
            let mut defs: Vec<(String, serde_json::Value)> =
                vec![(kind.name().to_string(), s.clone())];
            for (name, def) in s["$defs"].as_object().unwrap() {
                if !name.starts_with("io.k8s") && !name.ends_with("Status") {
                    defs.push((name.clone(), def.clone()));
                }
            }
            for (name, def) in defs {
                for (prop, p) in def["properties"].as_object().into_iter().flatten() {
                    if p.get("description").is_none() && name != "ObjectMeta" {
                        missing.push(format!("{name}.{prop}"));
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "no description: {missing:?}");
    }

    #[test]
    fn a_field_doc_has_its_description_and_constraints() {
        use crate::path;
        let d = super::field_doc("FleetAutoscaler", &path!["spec", "policy", "type"]).unwrap();
        assert!(d.contains("The policy: Buffer"), "{d}");
        assert!(d.contains("one of `Buffer`, `Webhook`"), "{d}");
        let d = super::field_doc(
            "Fleet",
            &path!["spec", "template", "spec", "ports", 0, "portPolicy"],
        )
        .unwrap();
        assert!(d.contains("Dynamic (a free host port"), "{d}");
        // The Pod template's fields come with Kubernetes' own descriptions.
        let d = super::field_doc(
            "GameServer",
            &path!["spec", "template", "spec", "containers", 0, "image"],
        )
        .unwrap();
        assert!(d.contains("type: string"), "{d}");
        assert!(super::field_doc("Fleet", &path!["spec", "nope"]).is_none());
    }
}
