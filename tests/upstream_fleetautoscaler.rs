//! The cases of upstream `pkg/apis/autoscaling/v1/fleetautoscaler_test.go`, as manifests run
//! through the binary. "Agree" means: where Agones finds the object valid we report no error;
//! where it reports a field, one of our errors sits at that field or inside it. Agones reports
//! chain entries' policies under an extra `.policy` (`chain[1].policy.buffer`) that is not in the
//! manifest; we drop it to compare.
//!
//! Where upstream's unit test differs from a real cluster (it validates without applying
//! defaults first), the case says so and expects what the cluster does.

mod common;

const CA_BUNDLE: &str = include_str!("fixtures/ca-bundle.b64");

fn fas(policy: &str, sync_seconds: i32) -> String {
    format!(
        "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: test\nspec:\n  fleetName: testing\n  policy:\n{}\n  sync:\n    type: FixedInterval\n    fixedInterval:\n      seconds: {sync_seconds}\n",
        indent(policy, 4)
    )
}

fn indent(s: &str, n: usize) -> String {
    s.lines()
        .map(|l| format!("{}{l}", " ".repeat(n)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn buffer(size: &str, min: i64, max: i64) -> String {
    format!(
        "type: Buffer\nbuffer:\n  bufferSize: {size}\n  minReplicas: {min}\n  maxReplicas: {max}"
    )
}

fn capacity(ty: &str, size: &str, min: i64, max: i64) -> String {
    let field = ty.to_ascii_lowercase();
    format!("type: {ty}\n{field}:\n  key: rooms\n  bufferSize: {size}\n  minCapacity: {min}\n  maxCapacity: {max}")
}

fn webhook(body: &str) -> String {
    format!("type: Webhook\nwebhook:\n{}", indent(body, 2))
}

const SERVICE: &str = "service:\n  name: service1\n  namespace: default\n  path: /scale";

fn schedule(start: &str, end: &str, cron: &str) -> String {
    format!(
        "type: Schedule\nschedule:\n  between:\n    start: \"{start}\"\n    end: \"{end}\"\n  activePeriod:\n    startCron: \"{cron}\"\n  policy:\n{}",
        indent(&buffer("5", 0, 10), 4)
    )
}

fn chain(first: &str, second: &str) -> String {
    let entry = |e: &str| {
        let mut lines = e.lines();
        let head = lines.next().unwrap_or_default();
        std::iter::once(format!("  - {head}"))
            .chain(lines.map(|l| format!("    {l}")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!("type: Chain\nchain:\n{}\n{}", entry(first), entry(second))
}

fn weekends(id: &str) -> String {
    format!(
        "id: {id}\ntype: Schedule\nschedule:\n  between:\n    start: \"2024-07-04T15:59:59Z\"\n    end: \"9999-07-05T15:59:59Z\"\n  activePeriod:\n    startCron: \"* * * * 5-6\"\n  policy:\n    type: Counter\n    counter:\n      key: playerCount\n      bufferSize: 5\n      maxCapacity: 10"
    )
}

fn chain_buffer(id: &str, min: i64) -> String {
    format!("id: \"{id}\"\ntype: Buffer\nbuffer:\n  bufferSize: 5\n  minReplicas: {min}\n  maxReplicas: 10")
}

fn wasm(from: &str) -> String {
    format!(
        "type: Wasm\nwasm:\n  function: scale\n  config:\n    scale_buffer: \"10\"\n  from:\n{}",
        indent(from, 4)
    )
}

struct Case {
    name: &'static str,
    gates: &'static str,
    yaml: String,
    /// None: Agones accepts it. Some(path): Agones' first cause is at `path`.
    want: Option<&'static str>,
}

fn case(name: &'static str, gates: &'static str, yaml: String, want: Option<&'static str>) -> Case {
    Case {
        name,
        gates,
        yaml,
        want,
    }
}

fn cases() -> Vec<Case> {
    let b = |p: String| fas(&p, 30);
    let mut v = vec![
        // TestFleetAutoscalerValidateUpdate
        case("bad buffer size", "", b(buffer("0", 0, 10)), Some("spec.policy.buffer.bufferSize")),
        case("bad min replicas", "", b(buffer("5", 2, 10)), Some("spec.policy.buffer.minReplicas")),
        case("bad max replicas", "", b(buffer("5", 0, 2)), Some("spec.policy.buffer.maxReplicas")),
        case("minReplicas > maxReplicas", "", b(buffer("5", 20, 10)), Some("spec.policy.buffer.minReplicas")),
        case("bufferSize good percent", "", b(buffer("20%", 1, 10)), None),
        case("bufferSize bad percent 120%", "", b(buffer("120%", 1, 10)), Some("spec.policy.buffer.bufferSize")),
        case("bufferSize bad percent 0%", "", b(buffer("0%", 1, 10)), Some("spec.policy.buffer.bufferSize")),
        case("bufferSize bad percent -10%", "", b(buffer("-10%", 1, 10)), Some("spec.policy.buffer.bufferSize")),
        case("bufferSize bad percent notgood", "", b(buffer("notgood", 1, 10)), Some("spec.policy.buffer.bufferSize")),
        case("bad min replicas with percentage value of bufferSize", "", b(buffer("10%", 0, 10)), Some("spec.policy.buffer.minReplicas")),
        // TestFleetAutoscalerWebhookValidateUpdate
        case("good service value", "", b(webhook(SERVICE)), None),
        case("good url value", "", b(webhook("url: http://good.example.com")), None),
        case("bad URL and service value", "", b(webhook("{}")), Some("spec.policy.webhook")),
        case("both URL and service value are used", "", b(webhook(&format!("url: \"123\"\n{SERVICE}"))), Some("spec.policy.webhook.url")),
        case("good url and CABundle value", "", b(webhook(&format!("url: https://good.example.com\ncaBundle: {}", CA_BUNDLE.trim()))), None),
        // base64 of "SomeInvalidCABundle": decodes, but holds no certificate.
        case("https url and invalid CABundle value", "", b(webhook("url: https://bad.example.com\ncaBundle: U29tZUludmFsaWRDQUJ1bmRsZQ==")), Some("spec.policy.webhook.caBundle")),
        case("https url and missing CABundle value", "", b(webhook("url: https://bad.example.com")), None),
        case("bad url value", "", b(webhook(&format!("url: \"http:/bad.example.com%\"\ncaBundle: {}", CA_BUNDLE.trim()))), Some("spec.policy.webhook.url")),
        // TestFleetAutoscalerScheduleValidateUpdate
        case("schedule feature gate not turned on", "ScheduledAutoscaler=false", b(schedule("2024-07-01T15:59:59Z", "9999-07-03T15:59:59Z", "* * * * 1-5")), Some("spec.policy.schedule")),
        case("end time before current time", "", b(schedule("2024-07-01T15:59:59Z", "2024-07-03T15:59:59Z", "* * * * 1-5")), Some("spec.policy.schedule.between.end")),
        case("end time before start time", "", b(schedule("3999-06-15T15:59:59Z", "3999-05-15T15:59:59Z", "* * * * 1-5")), Some("spec.policy.schedule.between")),
        case("invalid cron format", "", b(schedule("2024-07-01T15:59:59Z", "9999-07-03T15:59:59Z", "* * * * * * * *")), Some("spec.policy.schedule.activePeriod.startCron")),
        case("invalid cron format with tz specification", "", b(schedule("2024-07-01T15:59:59Z", "9999-07-03T15:59:59Z", "CRON_TZ=America/New_York * * * * *")), Some("spec.policy.schedule.activePeriod.startCron")),
        case("valid schedule", "", b(schedule("2024-07-01T15:59:59Z", "9999-07-03T15:59:59Z", "* * * * 1-5")), None),
        // TestFleetAutoscalerChainValidateUpdate
        case("chain valid", "", b(chain(&weekends("weekends"), &chain_buffer("", 0))), None),
        case("chain feature gate not turned on", "ScheduledAutoscaler=false", b(chain(&weekends("weekends"), &chain_buffer("", 0))), Some("spec.policy.chain")),
        case("duplicate id", "", b(chain(&weekends("weekends"), &chain_buffer("weekends", 0))), Some("spec.policy.chain")),
        case("missing policy", "", b(chain("id: weekends", &chain_buffer("", 0))), Some("spec.policy.chain[0]")),
        case(
            "nested chain policy not allowed",
            "",
            b(chain(&weekends("weekends"), "id: \"\"\ntype: Chain\nchain:\n  - type: Buffer\n    buffer:\n      bufferSize: 5\n      maxReplicas: 10")),
            Some("spec.policy.chain[1]"),
        ),
        case("invalid nested policy format", "", b(chain(&weekends("weekends"), &chain_buffer("", 20))), Some("spec.policy.chain[1].policy.buffer.minReplicas")),
        // TestFleetAutoscalerWasmValidateUpdate
        case("wasm valid", "WasmAutoscaler=true", b(wasm("url:\n  url: http://example.com/wasm-module")), None),
        case("wasm feature gate not turned on", "WasmAutoscaler=false", b(wasm("url:\n  url: http://example.com/wasm-module")), Some("spec.policy.wasm")),
        case("nil wasm policy", "WasmAutoscaler=true", b("type: Wasm".into()), Some("spec.policy.wasm")),
        case("nil from.url", "WasmAutoscaler=true", b(wasm("{}")), Some("spec.policy.wasm.from")),
        case("invalid url", "WasmAutoscaler=true", b(wasm("url:\n  url: \"://invalid-url\"")), Some("spec.policy.wasm.from.url.url")),
    ];
    // TestFleetAutoscalerCounterValidateUpdate and TestFleetAutoscalerListValidateUpdate
    for ty in ["Counter", "List"] {
        let f = if ty == "Counter" {
            "spec.policy.counter"
        } else {
            "spec.policy.list"
        };
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        v.extend([
            case(
                "feature gate not turned on",
                "CountsAndLists=false",
                b(capacity(ty, "5", 0, 10)),
                Some(leak(f.to_string())),
            ),
            case(
                "nil parameters",
                "",
                b(format!("type: {ty}")),
                Some(leak(f.to_string())),
            ),
            case(
                "minCapacity size too large",
                "",
                b(capacity(ty, "5", 11, 10)),
                Some(leak(format!("{f}.minCapacity"))),
            ),
            case(
                "bufferSize size too small",
                "",
                b(capacity(ty, "0", 0, 10)),
                Some(leak(format!("{f}.bufferSize"))),
            ),
            case(
                "maxCapacity size too small",
                "",
                b(capacity(ty, "5", 0, 4)),
                Some(leak(format!("{f}.maxCapacity"))),
            ),
            case(
                "minCapacity size too small",
                "",
                b(capacity(ty, "5", 4, 10)),
                Some(leak(format!("{f}.minCapacity"))),
            ),
            case(
                "bufferSize percentage OK",
                "",
                b(capacity(ty, "99%", 10, 10)),
                None,
            ),
            case(
                "bufferSize percentage can't parse",
                "",
                b(capacity(ty, "99.0%", 1, 10)),
                Some(leak(format!("{f}.bufferSize"))),
            ),
            case(
                "bufferSize percentage and MinCapacity too small",
                "",
                b(capacity(ty, "0%", 0, 10)),
                Some(leak(format!("{f}.bufferSize"))),
            ),
            case(
                "bufferSize percentage too large",
                "",
                b(capacity(ty, "100%", 10, 10)),
                Some(leak(format!("{f}.bufferSize"))),
            ),
        ]);
    }
    v
}

fn normalise(upstream: &str) -> String {
    // chain[N].policy.X → chain[N].X
    let mut out = String::new();
    let mut rest = upstream;
    while let Some(i) = rest.find("].policy") {
        out.push_str(&rest[..i + 1]);
        rest = &rest[i + "].policy".len()..];
    }
    out.push_str(rest);
    out
}

#[test]
fn agrees_with_upstream_validation() {
    let mut failures = Vec::new();
    for c in cases() {
        // Upstream's unit tests at v1.57.0, judged as that release.
        let mut extra = vec!["--agones-version", "1.57"];
        if !c.gates.is_empty() {
            extra.extend(["--feature-gates", c.gates]);
        }
        let r = common::lint_str(&c.yaml, &extra);
        let report = r.json();
        let errors: Vec<(String, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    format!("{} {}", f["rule"], f["message"]),
                )
            })
            .collect();
        match c.want {
            None if !errors.is_empty() => failures.push(format!(
                "{}: Agones accepts it, we report {errors:?}",
                c.name
            )),
            Some(p) => {
                let want = normalise(p);
                if !errors
                    .iter()
                    .any(|(path, _)| common::is_inside(path, &want))
                {
                    failures.push(format!(
                        "{}: Agones reports {want}, we report {errors:?}",
                        c.name
                    ));
                }
            }
            None => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Upstream's unit test expects `seconds: 0` to be invalid, but it validates before applying
/// defaults; a cluster defaults 0 to 30 first and accepts the object. We follow the cluster and
/// say what happens.
#[test]
fn zero_sync_seconds_is_defaulted_not_rejected() {
    let r = common::lint_str(&fas(&buffer("5", 0, 10), 0), &[]);
    assert_eq!(r.code, 0);
    assert_eq!(r.rules(), vec!["FAS037"]);
}

#[test]
fn negative_sync_seconds_is_rejected_by_the_schema() {
    let r = common::lint_str(&fas(&buffer("5", 0, 10), -1), &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.rules(), vec!["SCH004"]);
}
