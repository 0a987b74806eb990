//! FleetAutoscaler rules: every check of upstream `FleetAutoscaler.Validate()` (after
//! `ApplyDefaults()`, as the admission webhook runs them), and the mistakes Agones accepts but
//! that fail or misbehave at run time.

use std::collections::HashMap;

use base64::Engine;

use crate::external::wasm::ModuleFacts;
use crate::external::ModuleProblem;
use crate::golang::duration;
use crate::golang::time::{parse_rfc3339, Instant, Zone};
use crate::golang::url;
use crate::model::autoscaling::{
    CapacityPolicy, ChainEntry, FleetAutoscaler, FleetAutoscalerPolicy, IntOrString,
    SchedulePolicy, UrlConfiguration, WasmPolicy,
};
use crate::model::gates::{COUNTS_AND_LISTS, SCHEDULED_AUTOSCALER, WASM_AUTOSCALER};
use crate::path;
use crate::policy::cron;
use crate::source::tree::Step;

use super::rules::*;
use super::{join, Context, Raw};

/// Where a policy stands; Agones treats the three places differently.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Top,
    ChainEntry,
    /// Inside a schedule: Agones' admission does not look here at all.
    InSchedule,
}

struct Walker<'c> {
    ctx: &'c Context,
    out: Vec<Raw>,
}

const IN_SCHEDULE_NOTE: &str = " (Agones does not check policies inside a schedule on apply; this one fails or misbehaves when the schedule becomes active)";

impl Walker<'_> {
    fn push(&mut self, place: Place, mut raw: Raw) {
        if place == Place::InSchedule && raw.rule.severity == crate::finding::Severity::Error {
            raw.message.push_str(IN_SCHEDULE_NOTE);
            raw.admission = crate::finding::Admission::Accepted;
        }
        self.out.push(raw);
    }

    fn policy(&mut self, p: &FleetAutoscalerPolicy, path: &[Step], place: Place) {
        let gates = &self.ctx.gates;
        let used: &[&str] = match p.policy_type.as_str() {
            "Buffer" => {
                match &p.buffer {
                    None => self.push(place, missing(path, "buffer", "Buffer")),
                    Some(b) => self.capacity(
                        place,
                        &join(path, "buffer"),
                        Limits {
                            min: i64::from(b.min_replicas),
                            max: i64::from(b.max_replicas),
                            buffer: &b.buffer_size,
                            min_name: "minReplicas",
                            max_name: "maxReplicas",
                        },
                    ),
                }
                &["buffer"]
            }
            "Webhook" => {
                match &p.webhook {
                    None => self.push(place, missing(path, "webhook", "Webhook")),
                    Some(w) => self.url_config(place, w, &join(path, "webhook")),
                }
                &["webhook"]
            }
            t @ ("Counter" | "List") => {
                let field = if t == "Counter" { "counter" } else { "list" };
                let block = if t == "Counter" { &p.counter } else { &p.list };
                if !gates.enabled(COUNTS_AND_LISTS) {
                    self.push(place, gate_off(path, field, t, COUNTS_AND_LISTS));
                } else {
                    match block {
                        None => self.push(place, missing(path, field, t)),
                        Some(c) => self.capacity_policy(place, c, &join(path, field)),
                    }
                }
                if t == "Counter" {
                    &["counter"]
                } else {
                    &["list"]
                }
            }
            "Schedule" => {
                match &p.schedule {
                    None => self.push(place, missing(path, "schedule", "Schedule")),
                    Some(_) if !gates.enabled(SCHEDULED_AUTOSCALER) => self.push(
                        place,
                        gate_off(path, "schedule", "Schedule", SCHEDULED_AUTOSCALER),
                    ),
                    Some(s) => self.schedule(s, &join(path, "schedule")),
                }
                &["schedule"]
            }
            "Chain" => {
                if !gates.enabled(SCHEDULED_AUTOSCALER) {
                    self.push(
                        place,
                        gate_off(path, "chain", "Chain", SCHEDULED_AUTOSCALER),
                    );
                } else if place == Place::Top {
                    self.chain(p.chain.as_deref().unwrap_or(&[]), &join(path, "chain"));
                }
                &["chain"]
            }
            "Wasm" => {
                match &p.wasm {
                    None => self.push(place, missing(path, "wasm", "Wasm")),
                    Some(_) if !gates.enabled(WASM_AUTOSCALER) => {
                        self.push(place, gate_off(path, "wasm", "Wasm", WASM_AUTOSCALER))
                    }
                    Some(w) => {
                        let wp = join(path, "wasm");
                        let up = join(&join(&wp, "from"), "url");
                        let module = match &w.from.url {
                            Some(url) => {
                                self.url_config(place, url, &up);
                                self.module_facts(place, url, &up)
                            }
                            None => {
                                self.push(
                                    place,
                                    Raw::new(&FAS009, join(&wp, "from"), "the Wasm policy has no `from.url`: Agones needs to know where to fetch the module")
                                        .help("set `from: {url: {url: https://…/module.wasm}}` or `from: {url: {service: {name: …, namespace: …}}}`"),
                                );
                                None
                            }
                        };
                        if w.hash.as_deref().unwrap_or("").is_empty() {
                            let help = match &module {
                                Some(m) => format!("pin the module: add `hash: {}`", m.sha256),
                                None => "pin the module: add `hash: <sha256 of the .wasm file>` (`sha256sum module.wasm`)".to_string(),
                            };
                            let mut raw = Raw::new(&FAS030, wp.clone(), "the Wasm policy has no `hash`, so the controller runs whatever module the URL serves")
                                .help(help);
                            if let Some(m) = &module {
                                raw = raw.fix(pin_hash(&m.sha256));
                            }
                            self.push(place, raw);
                        }
                        if let Some(m) = &module {
                            self.module_matches(place, w, m, &wp);
                        }
                    }
                }
                &["wasm"]
            }
            // An empty or unknown type is the schema's to report.
            _ => return,
        };
        let blocks: [(&str, bool); 7] = [
            ("buffer", p.buffer.is_some()),
            ("webhook", p.webhook.is_some()),
            ("counter", p.counter.is_some()),
            ("list", p.list.is_some()),
            ("schedule", p.schedule.is_some()),
            ("chain", p.chain.is_some()),
            ("wasm", p.wasm.is_some()),
        ];
        for (name, present) in blocks {
            if present && !used.contains(&name) {
                self.push(
                    place,
                    Raw::new(
                        &FAS039,
                        join(path, name),
                        format!(
                            "the policy type is {}, so Agones ignores this `{name}` block",
                            p.policy_type
                        ),
                    )
                    .help(format!(
                        "delete the `{name}` block, or set `type` to the policy you meant"
                    )),
                );
            }
        }
    }

    fn capacity_policy(&mut self, place: Place, c: &CapacityPolicy, path: &[Step]) {
        // A missing key is encoded as "" by the mutating webhook, which the CRD accepts; no
        // Fleet has such a Counter or List, so every sync fails.
        if c.key.is_empty() {
            self.push(
                place,
                Raw::new(&FAS048, join(path, "key"), "the policy names no Counter or List key: Agones accepts it, and every sync then fails to find the key on the Fleet")
                    .help("set `key` to a Counter or List of the Fleet's GameServer template"),
            );
        }
        self.capacity(
            place,
            path,
            Limits {
                min: c.min_capacity,
                max: c.max_capacity,
                buffer: &c.buffer_size,
                min_name: "minCapacity",
                max_name: "maxCapacity",
            },
        );
    }

    /// Buffer, Counter and List share these rules (upstream repeats them three times).
    fn capacity(&mut self, place: Place, path: &[Step], l: Limits<'_>) {
        let Limits {
            min,
            max,
            buffer,
            min_name,
            max_name,
        } = l;
        if min > max {
            self.push(
                place,
                Raw::new(
                    &FAS001,
                    join(path, min_name),
                    format!("{min_name} ({min}) is above {max_name} ({max})"),
                )
                .help(format!("lower {min_name} or raise {max_name}")),
            );
        }
        match buffer {
            IntOrString::Int(v) => {
                let v = *v;
                if v <= 0 {
                    self.push(
                        place,
                        Raw::new(&FAS002, join(path, "bufferSize"), format!("bufferSize is {v}; an absolute buffer must be at least 1"))
                            .help("set bufferSize to 1 or more (scaling to zero needs a Webhook or Wasm policy)"),
                    );
                }
                if max < v {
                    self.push(
                        place,
                        Raw::new(
                            &FAS003,
                            join(path, max_name),
                            format!("{max_name} ({max}) is below bufferSize ({v})"),
                        )
                        .help(format!(
                            "raise {max_name} to at least {v}, or lower bufferSize"
                        ))
                        // It changes how far the Fleet may grow: offered, never applied unasked.
                        .fix(crate::fix::Proposal::unsafe_(
                            format!("raise {max_name} to {v}"),
                            crate::fix::Change::Scalar {
                                text: v.to_string(),
                                quoting: crate::fix::Quoting::Plain,
                            },
                        )),
                    );
                }
                if min != 0 && min < v {
                    self.push(
                        place,
                        Raw::new(&FAS004, join(path, min_name), format!("{min_name} ({min}) is below bufferSize ({v})")).help(format!("raise {min_name} to at least {v}, set it to 0 (no minimum), or lower bufferSize")),
                    );
                }
            }
            IntOrString::Str(s) => {
                match parse_percent(s) {
                    Some(p) if (1..=99).contains(&p) => {}
                    Some(p) => self.push(place, Raw::new(&FAS005, join(path, "bufferSize"), format!("bufferSize is {p}%, outside 1%..99%")).help("use a whole percentage from 1% to 99%")),
                    None => self.push(
                        place,
                        {
                            let raw = Raw::new(&FAS005, join(path, "bufferSize"), format!("bufferSize \"{s}\" is neither a number nor a whole percentage"));
                            match crate::fix::unquote_integer(s) {
                                Some(p) => raw.fix(p),
                                None => raw,
                            }
                        }
                            .help(if s.trim_end_matches('%').trim().parse::<i64>().is_ok() && !s.ends_with('%') {
                                format!("for an absolute buffer write the number unquoted (bufferSize: {s}); for a percentage add `%`")
                            } else {
                                "write a whole percentage such as \"10%\", or an unquoted number".into()
                            }),
                    ),
                }
                if min < 1 {
                    self.push(
                        place,
                        Raw::new(&FAS006, join(path, min_name), format!("a percentage bufferSize needs {min_name} of at least 1 (it is {min})"))
                            .help(format!("set {min_name} to 1 or more: with no allocations, a percentage of zero is zero and the Fleet could never grow again")),
                    );
                }
            }
        }
    }

    fn url_config(&mut self, place: Place, w: &UrlConfiguration, path: &[Step]) {
        if w.url.is_none() && w.service.is_none() {
            self.push(
                place,
                Raw::new(&FAS009, path.to_vec(), "neither `url` nor `service` is set")
                    .help("set `url: https://…` or `service: {name: …, namespace: …}`"),
            );
        }
        if w.url.is_some() && w.service.is_some() {
            self.push(place, Raw::new(&FAS010, join(path, "url"), "both `url` and `service` are set").help("keep one of them: `service` for a Service in the cluster, `url` for anything else"));
        }
        // The mutating webhook encodes a missing name as "", which the CRD's `required`
        // accepts; the controller then calls `http://.NAMESPACE.svc…`, which never resolves.
        if let Some(service) = &w.service {
            if service.name.is_empty() {
                self.push(
                    place,
                    Raw::new(&FAS048, join(&join(path, "service"), "name"), "the webhook service has no name: Agones accepts it, and every sync then fails to reach the webhook")
                        .help("set `service.name` to the Service in front of your autoscaler webhook"),
                );
            }
        }
        if let Some(bundle) = &w.ca_bundle {
            if let Err(why) = check_ca_bundle(bundle) {
                self.push(
                    place,
                    Raw::new(
                        &FAS011,
                        join(path, "caBundle"),
                        format!("caBundle is not valid: {why}"),
                    )
                    .help("set caBundle to the base64 of a PEM certificate: `base64 -w0 ca.crt`"),
                );
            }
        }
        if let Some(u) = &w.url {
            match url::parse(u) {
                Err(why) => self.push(
                    place,
                    Raw::new(
                        &FAS014,
                        join(path, "url"),
                        format!("`{u}` is not a valid URL: {why}"),
                    )
                    .help("write a full URL such as https://autoscaler.example.com/scale"),
                ),
                Ok(parsed) => {
                    let no_bundle = w.ca_bundle.as_deref().is_none_or(str::is_empty);
                    if self.ctx.cluster.release.behaviour.https_url_needs_ca_bundle
                        && parsed.scheme == "https"
                        && no_bundle
                    {
                        self.push(
                            place,
                            Raw::new(&FAS049, join(path, "caBundle"), format!("Agones {} refuses an https URL without caBundle (1.54 and later accept it and trust the system roots)", self.ctx.cluster.release.version))
                                .help("set caBundle to the base64 of the PEM certificate that signs the server's (`base64 -w0 ca.crt`), or upgrade Agones to 1.54 or later"),
                        );
                    }
                    let host_ok = parsed.host.as_deref().is_some_and(|h| !h.is_empty());
                    if !matches!(parsed.scheme.as_str(), "http" | "https") || !host_ok {
                        self.push(
                            place,
                            Raw::new(&FAS041, join(path, "url"), format!("`{u}` passes Agones' check, but the controller can only call http:// or https:// URLs with a host"))
                                .help("write a full URL such as https://autoscaler.example.com/scale"),
                        );
                    }
                }
            }
        }
    }

    fn chain(&mut self, entries: &[ChainEntry], path: &[Step]) {
        if entries.is_empty() {
            self.out.push(
                Raw::new(
                    &FAS024,
                    path.to_vec(),
                    "the chain has no entries, so every sync fails and nothing scales",
                )
                .help(
                    "add at least one entry, ending with one that always applies (a Buffer policy)",
                ),
            );
            return;
        }
        let mut seen: Vec<(&str, usize)> = Vec::new();
        let mut never_fails_at: Option<usize> = None;
        for (i, e) in entries.iter().enumerate() {
            let ep = join(path, i);
            if let Some((_, first)) = seen.iter().find(|(id, _)| *id == e.id.as_str()) {
                let (msg, help) = if e.id.is_empty() {
                    (
                        format!("chain[{i}] and chain[{first}] both have no `id`; Agones treats a missing id as the empty string, so they collide"),
                        "give every chain entry its own `id` (the documentation's index default is not what the code does)".to_string(),
                    )
                } else {
                    (
                        format!("the id `{}` is already used by chain[{first}]", e.id),
                        "give every chain entry its own `id`".to_string(),
                    )
                };
                let at = if e.id.is_empty() {
                    ep.clone()
                } else {
                    join(&ep, "id")
                };
                self.out.push(Raw::new(&FAS012, at, msg).help(help));
            } else {
                seen.push((e.id.as_str(), i));
            }
            let p = &e.policy;
            let has_policy = p.buffer.is_some()
                || p.webhook.is_some()
                || p.counter.is_some()
                || p.list.is_some()
                || p.schedule.is_some()
                || p.wasm.is_some();
            if p.policy_type.is_empty() || !has_policy {
                self.out.push(
                    Raw::new(&FAS013, ep.clone(), if p.policy_type == "Chain" { "a chain entry cannot be another chain".to_string() } else { "this chain entry has no policy".to_string() })
                        .help("give the entry a `type` and the matching block, such as `type: Buffer` with `buffer: {…}`"),
                );
            }
            self.policy(p, &ep, Place::ChainEntry);
            if let Some(j) = never_fails_at {
                if j + 1 == i {
                    self.out.push(
                        Raw::new(&FAS031, ep.clone(), format!("chain[{j}] always applies, so this entry (and every later one) is never reached"))
                            .help(format!("move chain[{j}] to the end of the chain, or make it conditional (a Schedule)")),
                    );
                }
            } else if never_fails(p, self.ctx) {
                never_fails_at = Some(i);
            }
        }
        self.shared_state(entries, path);
        // An entry scaling on a Counter or List falls through only when the Fleet lacks the
        // key: the pass across resources decides, with the Fleet in view.
        if never_fails_at.is_none() && fallback_keys(entries, self.ctx).is_empty() {
            self.out.push(
                Raw::new(&FAS032, path.to_vec(), "every entry of this chain can fall through (an inactive schedule, a failing webhook, a missing counter); then the sync fails and nothing scales")
                    .help("end the chain with an entry that always applies, such as a Buffer policy"),
            );
        }
    }

    /// What `--wasm-module` or `--fetch` tells about the module a URL configuration names;
    /// a module that cannot be had or read is a finding here.
    fn module_facts(
        &mut self,
        place: Place,
        cfg: &UrlConfiguration,
        path: &[Step],
    ) -> Option<ModuleFacts> {
        let catalog = self.ctx.modules.clone()?;
        let url = crate::external::endpoint::url(cfg).ok()?;
        match catalog.facts(&url)? {
            Ok(f) => Some(f),
            Err(ModuleProblem::Unavailable(why)) => {
                self.push(
                    place,
                    Raw::new(&FAS047, path.to_vec(), format!("could not download the module to check it: {why}"))
                        .help(format!("make {url} reachable (--resolve HOST:PORT:ADDR for a port-forward), or pass --wasm-module {url}=PATH")),
                );
                None
            }
            Err(ModuleProblem::Invalid(why)) => {
                self.push(
                    place,
                    Raw::new(&FAS045, path.to_vec(), format!("the module at {url}: {why}"))
                        .help("serve the compiled .wasm binary (not its source or a text file), built for wasm32 with an Extism PDK"),
                );
                None
            }
        }
    }

    fn module_matches(&mut self, place: Place, w: &WasmPolicy, m: &ModuleFacts, wp: &[Step]) {
        if let Some(h) = w.hash.as_deref().filter(|h| !h.is_empty()) {
            if !h.eq_ignore_ascii_case(&m.sha256) {
                self.push(
                    place,
                    Raw::new(&FAS044, join(wp, "hash"), format!("`hash` is {h}, but the module's sha256 is {}; the controller refuses to load it, so every sync fails", m.sha256))
                        .help(format!("if this module is the one to run, set `hash: {}`", m.sha256))
                        // Unsafe: the pin may be right and the module served the wrong one.
                        .fix(crate::fix::Proposal::unsafe_(
                            format!("set `hash` to the module's sha256 {}", m.sha256),
                            crate::fix::Change::Scalar {
                                text: m.sha256.clone(),
                                quoting: crate::fix::Quoting::AsBefore,
                            },
                        )),
                );
            }
        }
        let function = w
            .function
            .as_deref()
            .filter(|f| !f.is_empty())
            .unwrap_or("scale");
        if !m.functions.iter().any(|f| f == function) {
            let exports: Vec<String> = m
                .functions
                .iter()
                .filter(|f| !f.starts_with('_'))
                .map(|f| format!("`{f}`"))
                .collect();
            let at = if w.function.as_deref().is_some_and(|f| !f.is_empty()) {
                join(wp, "function")
            } else {
                wp.to_vec()
            };
            let help = match exports.first() {
                Some(first) => format!("the module exports {}; set `function` to one of them, such as {first}", exports.join(", ")),
                None => "the module exports no function: export the policy function (`//go:wasmexport scale`, `#[plugin_fn]`)".to_string(),
            };
            self.push(
                place,
                Raw::new(
                    &FAS046,
                    at,
                    format!(
                        "the module does not export a function `{function}`, so every call fails"
                    ),
                )
                .help(help),
            );
        }
    }

    /// Agones keeps one Wasm plugin and one HTTP client per FleetAutoscaler (`fasState`), made
    /// by the first entry that needs them and shared by every later entry of the chain.
    fn shared_state(&mut self, entries: &[ChainEntry], path: &[Step]) {
        let mut first_wasm: Option<(usize, &WasmPolicy)> = None;
        let mut first_client: Option<(usize, Option<&str>)> = None;
        for (i, e) in entries.iter().enumerate() {
            let (p, pp) = match (e.policy.policy_type.as_str(), &e.policy.schedule) {
                ("Schedule", Some(s)) => {
                    (&s.policy, join(&join(&join(path, i), "schedule"), "policy"))
                }
                _ => (&e.policy, join(path, i)),
            };
            let cfg = match p.policy_type.as_str() {
                "Wasm" => p
                    .wasm
                    .as_ref()
                    .and_then(|w| w.from.url.as_ref())
                    .map(|u| (u, join(&join(&join(&pp, "wasm"), "from"), "url"))),
                "Webhook" => p.webhook.as_ref().map(|w| (w, join(&pp, "webhook"))),
                _ => None,
            };
            if let (Some(w), "Wasm") = (&p.wasm, p.policy_type.as_str()) {
                match first_wasm {
                    None => first_wasm = Some((i, w)),
                    Some((j, first)) => {
                        let same = serde_json::to_value(&first.from).ok()
                            == serde_json::to_value(&w.from).ok()
                            && first.hash == w.hash
                            && first.config == w.config;
                        if !same {
                            self.out.push(
                                Raw::new(&FAS042, join(&pp, "wasm"), format!("Agones loads one Wasm plugin per FleetAutoscaler and keeps it: once chain[{j}]'s module is loaded, this entry calls its function on that module, with chain[{j}]'s config"))
                                    .help("use one Wasm entry per chain (put the logic of both in one module), or split the autoscalers"),
                            );
                        }
                    }
                }
            }
            // Before 1.54 every autoscaler shared one client whose roots were switched before
            // each call: no entry inherits another's.
            let cfg = cfg.filter(|_| {
                self.ctx
                    .cluster
                    .release
                    .behaviour
                    .http_client_per_autoscaler
            });
            if let Some((cfg, cp)) = cfg {
                let ca = cfg
                    .ca_bundle
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty());
                match first_client {
                    None => first_client = Some((i, ca)),
                    Some((j, first_ca)) if first_ca != ca => {
                        let at = if ca.is_some() {
                            join(&cp, "caBundle")
                        } else {
                            cp.clone()
                        };
                        self.out.push(
                            Raw::new(&FAS043, at, format!("chain[{j}] and chain[{i}] need different trust roots (caBundle), but Agones builds one HTTP client per FleetAutoscaler from the first URL it calls; the entry that runs second gets the first one's roots and its TLS handshake can fail"))
                                .help("give every webhook and Wasm URL of the chain the same caBundle (one CA for the in-cluster services)"),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }

    fn schedule(&mut self, s: &SchedulePolicy, path: &[Step]) {
        let now = self.ctx.now;
        let ap = join(path, "activePeriod");
        let bp = join(path, "between");
        let zone = match Zone::load(&s.active_period.timezone) {
            Ok(z) => {
                if z == Zone::Local {
                    self.out.push(
                        Raw::new(&FAS038, join(&ap, "timezone"), "`Local` is the controller's own time zone, which is UTC in Agones' containers")
                            .help("name the zone you mean, such as UTC or America/New_York"),
                    );
                }
                Some(z)
            }
            Err(why) => {
                self.out.push(
                    Raw::new(&FAS015, join(&ap, "timezone"), why)
                        .help("use an IANA name such as UTC, Europe/Berlin or America/New_York"),
                );
                None
            }
        };
        let parse_time = |w: &mut Self, v: &Option<String>, field: &str| -> Option<Instant> {
            let v = v.as_deref()?;
            match parse_rfc3339(v) {
                Ok(t) => Some(t),
                Err(why) => {
                    w.out.push(Raw::new(&FAS021, join(&bp, field), why).help(
                        "write the time as RFC 3339 with a zone, such as 2026-12-04T18:00:00Z",
                    ));
                    None
                }
            }
        };
        let start = parse_time(self, &s.between.start, "start");
        let end = parse_time(self, &s.between.end, "end");
        if let Some(end) = end {
            if end < now {
                self.out.push(
                    Raw::new(
                        &FAS016,
                        join(&bp, "end"),
                        format!(
                            "between.end ({}) is before now ({}); Agones rejects the object",
                            end.to_rfc3339(),
                            now.to_rfc3339()
                        ),
                    )
                    .help("move `end` into the future or remove the schedule"),
                );
            } else {
                if let Some(start) = start {
                    if end < start {
                        self.out.push(
                            Raw::new(&FAS017, bp.clone(), "between.start is after between.end")
                                .help("swap them, or fix the dates"),
                        );
                    }
                }
                let week = 7 * 86_400;
                if end.secs - now.secs <= week {
                    self.out.push(
                        Raw::new(&FAS034, join(&bp, "end"), format!("between.end ({}) is less than 7 days away; after it, applying this manifest again is rejected", end.to_rfc3339()))
                            .help("remove the schedule (or this autoscaler) from the manifests after the end date, or move the end"),
                    );
                }
            }
        }
        let mut schedule = None;
        if !s.active_period.start_cron.is_empty() {
            let expr = &s.active_period.start_cron;
            match cron::parse_standard(expr) {
                Ok(sch) => schedule = Some(sch),
                Err(why) => self.out.push(
                    Raw::new(&FAS018, join(&ap, "startCron"), format!("`{expr}` is not a valid cron expression: {why}"))
                        .help("use five fields (minute hour day-of-month month day-of-week), such as `0 18 * * FRI`, or a descriptor such as @daily"),
                ),
            }
            if expr.contains("TZ") {
                self.out.push(
                    Raw::new(
                        &FAS019,
                        join(&ap, "startCron"),
                        "startCron may not contain TZ= or CRON_TZ=",
                    )
                    .help("remove the prefix and put the zone in activePeriod.timezone"),
                );
            }
        }
        let mut dur = None;
        if !s.active_period.duration.is_empty() {
            match duration::parse(&s.active_period.duration) {
                Ok(d) => {
                    if d <= 0 && schedule.is_some() {
                        let what = if d == 0 {
                            "zero, so the policy is active only in the 90 s before each cron fire"
                        } else {
                            "negative, so the policy is never active"
                        };
                        self.out.push(
                            Raw::new(
                                &FAS040,
                                join(&ap, "duration"),
                                format!("the duration is {what}"),
                            )
                            .help("use a positive duration such as 2h, or remove it for no end"),
                        );
                    }
                    dur = Some(d);
                }
                Err(why) => self.out.push(
                    Raw::new(&FAS020, join(&ap, "duration"), why.0)
                        .help("use Go duration syntax such as 90m, 2h45m or 1.5h"),
                ),
            }
        }
        if let (Some(sch), Some(zone)) = (&schedule, zone) {
            // Only the future matters: the window from now (or its start, if later) to its end.
            let window_start = start.unwrap_or(now).max(now);
            let (first, period) = schedule_facts(
                sch,
                &s.active_period.start_cron,
                &s.active_period.timezone,
                window_start,
                zone,
            );
            let never = match (first, end) {
                (None, _) => true,
                (Some(f), Some(e)) => f.add_nanos(-90 * duration::SECOND) >= e,
                _ => false,
            };
            if never && end.is_none_or(|e| e >= now) {
                let within = if end.is_some() {
                    " inside the between window"
                } else {
                    " in the next five years (the controller stops searching there)"
                };
                self.out.push(
                    Raw::new(&FAS033, join(&ap, "startCron"), format!("`{}` never fires{within}, so this schedule is never active", s.active_period.start_cron))
                        .help("check the day and month fields (for example `0 0 31 2 *` names February 31st)"),
                );
            } else if let (Some(d), Some(_)) = (dur, first) {
                if let Some(period) = period {
                    if d > 0 && i128::from(d) > period {
                        self.out.push(
                            Raw::new(
                                &FAS035,
                                join(&ap, "duration"),
                                format!("the duration {} is longer than the {} between cron fires, so the schedule never switches off", duration::format(d), duration::format(period as i64)),
                            )
                            .help("shorten the duration, or remove startCron if the policy should always apply"),
                        );
                    }
                }
            }
        }
        self.policy(&s.policy, &join(path, "policy"), Place::InSchedule);
    }
}

struct Limits<'a> {
    min: i64,
    max: i64,
    buffer: &'a IntOrString,
    min_name: &'static str,
    max_name: &'static str,
}

/// The first fire at or after `window_start` and the shortest gap between fires after it. The
/// same cron, zone and window repeat across many manifests (one per Fleet, often), and walking
/// the calendar is the costly part of linting them, so each is computed once per run.
fn schedule_facts(
    sch: &cron::Schedule,
    expr: &str,
    timezone: &str,
    window_start: Instant,
    zone: Zone,
) -> (Option<Instant>, Option<i128>) {
    type Key = (String, String, Instant);
    type Facts = (Option<Instant>, Option<i128>);
    static MEMO: std::sync::OnceLock<std::sync::Mutex<HashMap<Key, Facts>>> =
        std::sync::OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let key = (expr.to_string(), timezone.to_string(), window_start);
    if let Some(facts) = memo.lock().ok().and_then(|m| m.get(&key).copied()) {
        return facts;
    }
    let first = sch.next(window_start.add_nanos(-duration::SECOND), zone);
    let facts = (first, first.and_then(|f| min_period(sch, f, zone)));
    if let Ok(mut m) = memo.lock() {
        // Bounded: a run over many distinct schedules recomputes rather than grows.
        if m.len() >= 4096 {
            m.clear();
        }
        m.insert(key, facts);
    }
    facts
}

/// The shortest gap between consecutive fires, sampled over the next 48 fires.
fn min_period(s: &cron::Schedule, first: Instant, zone: Zone) -> Option<i128> {
    let mut prev = first;
    let mut best: Option<i128> = None;
    for _ in 0..48 {
        let next = s.next(prev, zone)?;
        let gap = next.nanos_since(prev);
        best = Some(best.map_or(gap, |b| b.min(gap)));
        prev = next;
    }
    best
}

/// `strconv.Atoi` of a string with exactly one trailing `%` removed.
/// FAS030's fix: pin the module the URL serves now, which is what the policy runs today.
fn pin_hash(sha256: &str) -> crate::fix::Proposal {
    crate::fix::Proposal::safe(
        format!("pin the module: `hash: {sha256}`"),
        crate::fix::Change::SetEntry {
            key: "hash".into(),
            value: sha256.into(),
        },
    )
}

fn parse_percent(s: &str) -> Option<i64> {
    let body = s.strip_suffix('%')?;
    let digits = body.strip_prefix(['+', '-']).unwrap_or(body);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    body.parse().ok()
}

/// Whether a chain entry always applies: it can never return an error at run time.
/// The Counter and List keys (`true` for a Counter) of a chain's entries that apply whenever
/// the Fleet defines the key: with such an entry, FAS032 depends on the Fleet.
pub fn fallback_keys(entries: &[ChainEntry], ctx: &Context) -> Vec<(bool, String)> {
    if !ctx.gates.enabled("CountsAndLists") {
        return Vec::new();
    }
    entries
        .iter()
        .filter_map(|e| match e.policy.policy_type.as_str() {
            "Counter" => e.policy.counter.as_ref().map(|c| (true, c.key.clone())),
            "List" => e.policy.list.as_ref().map(|l| (false, l.key.clone())),
            _ => None,
        })
        .filter(|(_, key)| !key.is_empty())
        .collect()
}

/// Whether any entry of the chain applies whatever the Fleet (a Buffer, an always-on Schedule).
pub fn chain_has_unconditional_entry(entries: &[ChainEntry], ctx: &Context) -> bool {
    entries.iter().any(|e| never_fails(&e.policy, ctx))
}

fn never_fails(p: &FleetAutoscalerPolicy, ctx: &Context) -> bool {
    match p.policy_type.as_str() {
        "Buffer" => p.buffer.is_some(),
        "Schedule" => match &p.schedule {
            Some(s) => {
                let always_on = s.active_period.start_cron.is_empty()
                    && s.between.end.is_none()
                    && s.between
                        .start
                        .as_deref()
                        .and_then(|t| parse_rfc3339(t).ok())
                        .is_none_or(|t| t <= ctx.now);
                always_on && never_fails(&s.policy, ctx)
            }
            None => false,
        },
        _ => false,
    }
}

fn missing(path: &[Step], field: &str, ty: &str) -> Raw {
    Raw::new(
        &FAS007,
        join(path, field),
        format!("the policy type is {ty}, but there is no `{field}` block"),
    )
    .help(format!(
        "add a `{field}:` block with the {ty} settings, or change `type`"
    ))
}

fn gate_off(path: &[Step], field: &str, ty: &str, gate: &str) -> Raw {
    Raw::new(&FAS008, join(path, field), format!("{ty} policies need the {gate} feature gate, which is off"))
        .help(format!("enable it in the cluster (Helm: agones.featureGates=\"{gate}=true\") and lint with --feature-gates {gate}=true"))
}

fn check_ca_bundle(b64: &str) -> Result<(), String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| "it is not base64".to_string())?;
    let mut found_block = false;
    for pem in x509_parser::pem::Pem::iter_from_buffer(&bytes) {
        let Ok(pem) = pem else { break };
        if pem.label != "CERTIFICATE" {
            continue;
        }
        found_block = true;
        if pem.parse_x509().is_ok() {
            return Ok(());
        }
    }
    Err(if found_block {
        "its certificate does not parse".into()
    } else {
        "it holds no PEM certificate".into()
    })
}

/// All FleetAutoscaler rules on a decoded object.
pub fn check(fas: &FleetAutoscaler, ctx: &Context, out: &mut Vec<Raw>) {
    let Some(spec) = &fas.spec else {
        out.push(
            Raw::new(
                &FAS023,
                path!["spec"],
                "the FleetAutoscaler has no spec; Agones' mutating webhook writes an empty one, whose empty `fleetName` and policy `type` the CRD rejects",
            )
            .help("add `spec:` with `fleetName` and `policy`"),
        );
        return;
    };
    let mut w = Walker {
        ctx,
        out: Vec::new(),
    };
    w.policy(&spec.policy, &path!["spec", "policy"], Place::Top);
    if let Some(fi) = spec.sync.as_ref().and_then(|s| s.fixed_interval.as_ref()) {
        let p = path!["spec", "sync", "fixedInterval", "seconds"];
        if fi.seconds == 0 {
            w.out.push(
                Raw::new(&FAS037, p, "seconds: 0 is replaced by the default, 30")
                    .help("write `seconds: 30` (or the interval you want) to say what you mean"),
            );
        } else if (1..5).contains(&fi.seconds) {
            w.out.push(
                Raw::new(&FAS036, p, format!("a sync every {} s is frequent: each sync lists GameServers and may update the Fleet", fi.seconds))
                    .help("use 5 seconds or more unless you have measured the load"),
            );
        }
    }
    out.append(&mut w.out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_parsing_is_atoi() {
        assert_eq!(parse_percent("5%"), Some(5));
        assert_eq!(parse_percent("+5%"), Some(5));
        assert_eq!(parse_percent("-10%"), Some(-10));
        assert_eq!(parse_percent("05%"), Some(5));
        assert_eq!(parse_percent("5"), None);
        assert_eq!(parse_percent("5.5%"), None);
        assert_eq!(parse_percent("5%%"), None);
        assert_eq!(parse_percent(" 5%"), None);
        assert_eq!(parse_percent("%"), None);
    }
}
