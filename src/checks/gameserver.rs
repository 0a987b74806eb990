//! Fleet and GameServer rules: upstream `Fleet.Validate`, `GameServer.Validate` and
//! `GameServerSpec.Validate` (after `ApplyDefaults`), plus mistakes Agones accepts.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::agones::{Fleet, GameServer, GameServerSpec};
use crate::model::autoscaling::IntOrString;
use crate::model::gates::COUNTS_AND_LISTS;
use crate::path;
use crate::source::tree::Step;

use super::labels::{check_annotations, check_labels};
use super::rules::*;
use super::{join, quantity, Context, Raw};

pub const DEV_ADDRESS_ANNOTATION: &str = "agones.dev/dev-address";
const PLAYER_TRACKING: &str = "PlayerTracking";
const PORT_POLICY_NONE: &str = "PortPolicyNone";
/// The SDK sidecar's health port; its gRPC and HTTP ports default to 9357 and 9358.
const SDK_HEALTH_PORT: i64 = 8080;

fn name_length(name: Option<&String>, out: &mut Vec<Raw>) {
    if let Some(n) = name {
        if n.len() > 63 {
            out.push(
                Raw::new(&FLT001, path!["metadata", "name"], format!("the name is {} characters; Agones allows 63, because it becomes a label value on every GameServer", n.len()))
                    .help("shorten the name to 63 characters or fewer"),
            );
        }
    }
}

/// A container of the Pod template.
struct Container<'a> {
    name: String,
    json: &'a Value,
    /// An init container with `restartPolicy: Always` (a native sidecar).
    sidecar: bool,
}

/// The Pod template's containers and init containers.
fn containers(spec: &GameServerSpec) -> (Vec<Container<'_>>, Vec<Container<'_>>) {
    let pod = &spec.template["spec"];
    let list = |key: &str| -> Vec<Container<'_>> {
        pod[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| Container {
                name: c["name"].as_str().unwrap_or_default().to_string(),
                json: c,
                sidecar: c["restartPolicy"] == "Always",
            })
            .collect()
    };
    (list("containers"), list("initContainers"))
}

fn check_resources(c: &Value, path: &[Step], out: &mut Vec<Raw>) {
    let res = &c["resources"];
    let read = |kind: &str, out: &mut Vec<Raw>| -> BTreeMap<String, f64> {
        let mut m = BTreeMap::new();
        if let Some(obj) = res[kind].as_object() {
            for (name, q) in obj {
                let p = || join(&join(&join(path, "resources"), kind), name.as_str());
                // `Quantity.UnmarshalJSON` trims surrounding spaces.
                let text = match q {
                    Value::String(s) => s.trim().to_string(),
                    Value::Number(n) => n.to_string(),
                    _ => continue,
                };
                match quantity::parse(&text) {
                    Ok(v) => {
                        if v < 0.0 {
                            out.push(
                                Raw::new(
                                    &GSS008,
                                    p(),
                                    format!("{kind}.{name} is negative ({text})"),
                                )
                                .help("resource quantities must be zero or more"),
                            );
                        }
                        m.insert(name.clone(), v);
                    }
                    Err(why) => out.push(
                        Raw::new(&GSS008, p(), why)
                            .help("write quantities such as 500m (CPU) or 512Mi (memory)"),
                    ),
                }
            }
        }
        m
    };
    let limits = read("limits", out);
    let requests = read("requests", out);
    for (name, r) in &requests {
        if let Some(l) = limits.get(name) {
            if r > l {
                out.push(
                    Raw::new(
                        &GSS009,
                        join(&join(&join(path, "resources"), "requests"), name.as_str()),
                        format!("the {name} request is above its limit"),
                    )
                    .help(format!("lower the {name} request or raise the limit")),
                );
            }
        }
    }
}

/// `GameServerSpec.Validate`, after defaulting, at `path`; `dev_address` for GameServers
/// annotated for local development.
fn check_spec(
    spec: &GameServerSpec,
    path: &[Step],
    dev_address: Option<&str>,
    ctx: &Context,
    out: &mut Vec<Raw>,
) {
    let gates = &ctx.gates;
    let behaviour = ctx.cluster.release.behaviour;
    if spec.players.is_some() && !gates.enabled(PLAYER_TRACKING) {
        out.push(gate(path, "players", PLAYER_TRACKING));
    }
    if !gates.enabled(COUNTS_AND_LISTS) {
        if !spec.counters.is_empty() {
            out.push(gate(path, "counters", COUNTS_AND_LISTS));
        }
        if !spec.lists.is_empty() {
            out.push(gate(path, "lists", COUNTS_AND_LISTS));
        }
    }
    let policy = |p: &crate::model::agones::GameServerPort| {
        p.port_policy.clone().unwrap_or_else(|| "Dynamic".into())
    };
    // From 1.60 the code no longer asks for the gate (it is Stable).
    if behaviour.port_policy_none_gated && !gates.enabled(PORT_POLICY_NONE) {
        for (i, p) in spec.ports.iter().enumerate() {
            if policy(p) == "None" {
                out.push(gate(
                    &join(&join(path, "ports"), i),
                    "portPolicy",
                    PORT_POLICY_NONE,
                ));
            }
        }
    }
    let template_meta = spec.template.get("metadata");
    let meta_path = join(&join(path, "template"), "metadata");
    let string_map = |v: Option<&Value>| -> BTreeMap<String, String> {
        v.and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let check_template_meta = |out: &mut Vec<Raw>| {
        check_labels(
            &string_map(template_meta.and_then(|m| m.get("labels"))),
            &join(&meta_path, "labels"),
            out,
        );
        check_annotations(
            &string_map(template_meta.and_then(|m| m.get("annotations"))),
            &join(&meta_path, "annotations"),
            out,
        );
    };
    if let Some(addr) = dev_address {
        if addr.parse::<std::net::IpAddr>().is_err() {
            out.push(
                Raw::new(&GSS010, path!["metadata", "annotations", DEV_ADDRESS_ANNOTATION], format!("`{addr}` is not an IP address"))
                    .help("set the annotation to the IP address where the local game server listens, such as 192.168.1.10"),
            );
        }
        for (i, p) in spec.ports.iter().enumerate() {
            let pp = join(&join(path, "ports"), i);
            if p.host_port.unwrap_or(0) == 0 {
                out.push(
                    Raw::new(
                        &GSS011,
                        join(&pp, "hostPort"),
                        "a development GameServer's ports need a hostPort",
                    )
                    .help("set hostPort to the port your local game server listens on"),
                );
            }
            if policy(p) != "Static" {
                out.push(
                    Raw::new(
                        &GSS011,
                        join(&pp, "portPolicy"),
                        "a development GameServer's ports need portPolicy Static",
                    )
                    .help("set portPolicy: Static"),
                );
            }
        }
        check_template_meta(out);
        return;
    }
    let (main, init) = containers(spec);
    // A single container is the game server container, whatever `container` says.
    let container = if main.len() == 1 {
        main[0].name.clone()
    } else {
        spec.container.clone().unwrap_or_default()
    };
    if container.is_empty() && main.len() > 1 {
        out.push(
            Raw::new(&GSS002, join(path, "container"), format!("the Pod template has {} containers, so `container` must name the game server's", main.len()))
                .help(format!("set container to one of: {}", main.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "))),
        );
    } else if !main.iter().any(|c| c.name == container) {
        out.push(
            Raw::new(
                &GSS003,
                join(path, "container"),
                format!("the Pod template has no container named `{container}`"),
            )
            .help(format!(
                "name one of: {}",
                main.iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    let sdk = spec.sdk_server.as_ref();
    let sdk_ports = [
        SDK_HEALTH_PORT,
        i64::from(sdk.and_then(|s| s.grpc_port).unwrap_or(9357)),
        i64::from(sdk.and_then(|s| s.http_port).unwrap_or(9358)),
    ];
    for (i, p) in spec.ports.iter().enumerate() {
        let pp = join(&join(path, "ports"), i);
        let pol = policy(p);
        let cport = p.container_port.unwrap_or(0);
        if (pol == "Dynamic" || pol == "Static") && cport <= 0 {
            out.push(
                Raw::new(
                    &GSS004,
                    join(&pp, "containerPort"),
                    format!("a {pol} port needs a containerPort"),
                )
                .help("set containerPort to the port the game server listens on"),
            );
        }
        if pol == "Passthrough" && cport > 0 {
            out.push(
                Raw::new(&GSS005, join(&pp, "containerPort"), "a Passthrough port takes its containerPort from the allocated host port; do not set it")
                    .help("remove containerPort, or use the Dynamic policy"),
            );
        }
        if p.host_port.unwrap_or(0) > 0 && (pol == "Dynamic" || pol == "Passthrough") {
            out.push(
                Raw::new(
                    &GSS006,
                    join(&pp, "hostPort"),
                    format!("Agones picks the host port of a {pol} port; hostPort is not allowed"),
                )
                .help("remove hostPort, or use the Static policy"),
            );
        }
        if let Some(c) = p.container.as_deref().filter(|c| !c.is_empty()) {
            if !container.is_empty()
                && !main.iter().any(|m| m.name == c)
                && (!behaviour.port_container_may_be_sidecar
                    || !init.iter().any(|m| m.name == c && m.sidecar))
            {
                out.push(
                    Raw::new(
                        &GSS007,
                        join(&pp, "container"),
                        format!("the Pod template has no container named `{c}`"),
                    )
                    .help(if behaviour.port_container_may_be_sidecar {
                        "name a container of the Pod template (or a sidecar init container)".to_string()
                    } else if init.iter().any(|m| m.name == c && m.sidecar) {
                        format!("`{c}` is a sidecar init container: Agones {} opens ports only on regular containers (1.57 and later also on sidecars)", ctx.cluster.release.version)
                    } else {
                        "name a container of the Pod template".to_string()
                    }),
                );
            }
        }
        // The sidecar listens on TCP; a UDP game port (Agones' default) does not collide.
        let tcp = matches!(p.protocol.as_deref(), Some("TCP" | "TCPUDP"));
        if tcp
            && cport > 0
            && sdk_ports.contains(&i64::from(cport))
            && p.container.as_deref().is_none_or(|c| c == container)
        {
            out.push(sdk_conflict(&join(&pp, "containerPort"), i64::from(cport)));
        }
    }
    for (idx, c) in main.iter().enumerate() {
        if c.name == container {
            for (j, port) in c.json["ports"].as_array().into_iter().flatten().enumerate() {
                // Kubernetes container ports default to TCP.
                let tcp = port["protocol"].as_str().is_none_or(|p| p == "TCP");
                if let Some(n) = port["containerPort"]
                    .as_i64()
                    .filter(|n| tcp && sdk_ports.contains(n))
                {
                    out.push(sdk_conflict(
                        &path_in_template(
                            path,
                            "containers",
                            idx,
                            &["ports".into(), j.to_string(), "containerPort".into()],
                        ),
                        n,
                    ));
                }
            }
        }
    }
    // Agones checks init containers' resources from 1.57.
    let resources_of: &[(&str, &Vec<Container<'_>>)] =
        if behaviour.init_container_resources_validated {
            &[("containers", &main), ("initContainers", &init)]
        } else {
            &[("containers", &main)]
        };
    for (kind, list) in resources_of {
        for (i, c) in list.iter().enumerate() {
            check_resources(c.json, &path_in_template(path, kind, i, &[]), out);
        }
    }
    for (key, c) in &spec.counters {
        if c.count > c.capacity {
            out.push(
                Raw::new(
                    &GSS013,
                    join(&join(path, "counters"), key.as_str()),
                    format!(
                        "Counter `{key}` starts at {} with capacity {}",
                        c.count, c.capacity
                    ),
                )
                .help("start the count at or below the capacity"),
            );
        }
    }
    for (key, l) in &spec.lists {
        if l.values.len() as i64 > l.capacity {
            out.push(
                Raw::new(
                    &GSS013,
                    join(&join(path, "lists"), key.as_str()),
                    format!(
                        "List `{key}` starts with {} values but capacity {}",
                        l.values.len(),
                        l.capacity
                    ),
                )
                .help("list at most `capacity` initial values, or raise the capacity"),
            );
        }
    }
    check_template_meta(out);
}

fn path_in_template(spec_path: &[Step], kind: &str, i: usize, rest: &[String]) -> Vec<Step> {
    let mut p = join(&join(&join(&join(spec_path, "template"), "spec"), kind), i);
    for r in rest {
        p.push(match r.parse::<usize>() {
            Ok(n) => Step::Index(n),
            Err(_) => Step::Key(r.as_str().into()),
        });
    }
    p
}

fn sdk_conflict(path: &[Step], port: i64) -> Raw {
    Raw::new(&GSS012, path.to_vec(), format!("TCP port {port} is used by the Agones SDK sidecar in the same Pod"))
        .help("listen on another port (the sidecar uses 8080 for health, 9357 for gRPC and 9358 for HTTP unless sdkServer changes them)")
}

fn gate(path: &[Step], field: &str, gate: &str) -> Raw {
    Raw::new(&GSS001, join(path, field), format!("`{field}` needs the {gate} feature gate, which is off"))
        .help(format!("enable it in the cluster (Helm: agones.featureGates=\"{gate}=true\") and lint with --feature-gates {gate}=true"))
}

/// Percent rules of `validateRollingUpdate`: an integer of at least 1, or a whole 1%..99%.
fn rolling_update_value(v: &IntOrString, path: Vec<Step>, out: &mut Vec<Raw>) {
    match v {
        IntOrString::Int(n) if *n < 1 => out.push(
            Raw::new(&FLT002, path, format!("{n} must be at least 1"))
                .help("use 1 or more, or a percentage such as 25%"),
        ),
        IntOrString::Int(_) => {}
        IntOrString::Str(s) => {
            // Upstream reads it with the deprecated `intstr.GetValueFromIntOrPercent`, which
            // deletes every `%` and reads the rest as a percentage: "10" is 10%.
            let ok =
                crate::golang::atoi(&s.replace('%', "")).is_some_and(|p| (1..=99).contains(&p));
            if !ok {
                out.push(
                    Raw::new(
                        &FLT002,
                        path,
                        format!("\"{s}\" must be a whole percentage from 1% to 99%"),
                    )
                    .help("use a percentage such as 25%, or an unquoted number"),
                );
            }
        }
    }
}

pub fn check_fleet(f: &Fleet, ctx: &Context, out: &mut Vec<Raw>) {
    name_length(f.metadata.name.as_ref(), out);
    let strategy = f.spec.strategy.as_ref();
    if strategy
        .and_then(|s| s.strategy_type.as_deref())
        .unwrap_or("RollingUpdate")
        == "RollingUpdate"
    {
        let ru = strategy.and_then(|s| s.rolling_update.as_ref());
        let default = IntOrString::Str("25%".into());
        let base = path!["spec", "strategy", "rollingUpdate"];
        rolling_update_value(
            ru.and_then(|r| r.max_unavailable.as_ref())
                .unwrap_or(&default),
            join(&base, "maxUnavailable"),
            out,
        );
        rolling_update_value(
            ru.and_then(|r| r.max_surge.as_ref()).unwrap_or(&default),
            join(&base, "maxSurge"),
            out,
        );
    }
    check_spec(
        &f.spec.template.spec,
        &path!["spec", "template", "spec"],
        None,
        ctx,
        out,
    );
    if let Some(meta) = &f.spec.template.metadata {
        check_labels(
            &meta.labels,
            &path!["spec", "template", "metadata", "labels"],
            out,
        );
        check_annotations(
            &meta.annotations,
            &path!["spec", "template", "metadata", "annotations"],
            out,
        );
    }
    if let Some(ao) = &f.spec.allocation_overflow {
        check_labels(
            &ao.labels,
            &path!["spec", "allocationOverflow", "labels"],
            out,
        );
        check_annotations(
            &ao.annotations,
            &path!["spec", "allocationOverflow", "annotations"],
            out,
        );
    }
    if f.spec.priorities.is_some() && !ctx.gates.enabled(COUNTS_AND_LISTS) {
        out.push(gate(&path!["spec"], "priorities", COUNTS_AND_LISTS));
    }
}

pub fn check_gameserver(gs: &GameServer, ctx: &Context, out: &mut Vec<Raw>) {
    name_length(gs.metadata.name.as_ref(), out);
    let dev = gs
        .metadata
        .annotations
        .get(DEV_ADDRESS_ANNOTATION)
        .map(String::as_str);
    // Validate() treats an empty address as no address; the controller treats the annotation's
    // presence as a development GameServer.
    if dev == Some("") {
        out.push(
            Raw::new(&GSS014, path!["metadata", "annotations", DEV_ADDRESS_ANNOTATION], "the annotation is empty: Agones accepts the GameServer as a normal one, then its controller runs it as a development GameServer with no address")
                .help("set the IP address where the local game server listens, or remove the annotation"),
        );
    }
    check_spec(
        &gs.spec,
        &path!["spec"],
        dev.filter(|a| !a.is_empty()),
        ctx,
        out,
    );
}
