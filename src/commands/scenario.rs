//! `agones-lint simulate --scenario`: a demand trace replayed through the autoscaler.

use std::time::Instant as Clock;

use super::simulate::{lint_for_simulation, stop_on_errors};
use crate::app::{flag_duration, prepare, write_stdout, Fatal, EXIT_OK};
use crate::cli::{Format, SimulateArgs};
use crate::lint;
use crate::source::{self, yaml::Budgets};

/// `simulate --scenario FILE [PATHS]`: the Scenario is linted with the other inputs (its
/// arrivals and GameLift files too), then replayed through the Fleet's autoscaler, GameLift's
/// policies and any `--set` grid.
pub fn run(
    args: &SimulateArgs,
    file: &str,
    runtime: &crate::external::Runtime,
    started: Clock,
) -> Result<u8, Fatal> {
    use crate::model::Kind;
    use crate::scenario::{self, gamelift, plan, whatif};
    let scenario_path = std::path::PathBuf::from(file);
    if !scenario_path.is_file() {
        return Err(Fatal::new(format!("--scenario {file}: no such file"))
            .help("name the Scenario's YAML file; PATHS hold the Fleet and its autoscaler"));
    }
    let series_every = args
        .series_every
        .as_deref()
        .map(|d| flag_duration("series-every", d))
        .transpose()?
        .map(|d| d.as_nanos() as i64);
    let axes = args
        .set
        .iter()
        .map(|s| whatif::parse_axis(s).map_err(|e| Fatal::new(format!("--set {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let goal = args
        .goal
        .as_deref()
        .map(|g| {
            whatif::parse_goal(g).map_err(|e| {
                Fatal::new(format!("--goal {g}: {e}"))
                    .help("write conditions on summary metrics, such as abandoned=0,waitP95<=10s")
            })
        })
        .transpose()?;
    // The Scenario of FILE (others among PATHS are linted, not run).
    let text = std::fs::read_to_string(&scenario_path)
        .map_err(|e| Fatal::new(format!("--scenario {file}: {e}")))?;
    let scenarios: Vec<scenario::spec::Scenario> = source::objects(&text, &Budgets::default())
        .iter()
        .map(|o| o.root.to_json())
        .filter(|v| v["kind"] == "Scenario")
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    let crate::app::Prepared {
        config,
        mut ctx,
        mut inputs,
        ..
    } = prepare(&args.common, &args.paths, &[])?;
    let canonical =
        |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let wanted = canonical(&scenario_path);
    if !inputs
        .iter()
        .any(|i| matches!(i, source::Input::File(p) if canonical(p) == wanted))
    {
        inputs.push(source::Input::File(scenario_path.clone()));
    }
    if args.common.now.is_none() {
        // A replay of last weekend is judged as the cluster judged it then: a Schedule whose
        // `end` has passed since was valid at the scenario's start.
        if let [one] = scenarios.as_slice() {
            if let Ok(start) = crate::golang::time::parse_rfc3339(&one.spec.start) {
                ctx.now = start;
            }
        }
    }
    let mut report = lint_for_simulation(&inputs, &ctx, &config)?;
    let doc = match scenarios.as_slice() {
        [one] => one.clone(),
        [] => {
            if let Some(code) = stop_on_errors(&mut report, false, args.format, started)? {
                return Ok(code);
            }
            return Err(Fatal::new(format!("{file} holds no Scenario that agones-lint can read"))
                .help("see examples/scenarios/ for the format (apiVersion: agones-lint.dev/v1alpha1, kind: Scenario)"));
        }
        _ => {
            return Err(Fatal::new(format!(
                "{file} holds {} Scenarios; simulate runs one at a time",
                scenarios.len()
            ))
            .help("put one Scenario per file"))
        }
    };
    let base = scenario_path.parent().unwrap_or(std::path::Path::new("."));
    let read = |rel: &str, what: &str| -> Result<(String, String), Fatal> {
        let p = base.join(rel);
        let name = p.display().to_string();
        let meta = std::fs::metadata(&p).map_err(|e| {
            Fatal::new(format!("{file}: {what} {name}: {e}"))
                .help("the path is relative to the Scenario file")
        })?;
        if meta.len() > 256 << 20 {
            return Err(Fatal::new(format!(
                "{file}: {what} {name} is larger than 256 MiB"
            )));
        }
        let text = std::fs::read_to_string(&p)
            .map_err(|e| Fatal::new(format!("{file}: {what} {name}: {e}")))?;
        Ok((name, text))
    };
    // GameLift's policies file: checked like a manifest, its findings pointing into it.
    let mut gamelift_policies = None;
    if let Some(g) = &doc.spec.gamelift {
        let policies = match (&g.policies, &g.policies_file) {
            // Inline policies were checked by lint (GLF001 stops the run before this is used).
            (Some(list), None) => {
                gamelift::parse(&serde_json::Value::Array(list.clone())).unwrap_or_default()
            }
            (None, Some(rel)) => {
                let (name, text) = read(rel, "policiesFile")?;
                let objects = source::objects(&text, &Budgets::default());
                let index = report.files.len();
                report.files.push(lint::FileInfo {
                    name: name.clone(),
                    path: None,
                    text: Some(text),
                });
                let Some(root) = objects.first().map(|o| &o.root) else {
                    return Err(Fatal::new(format!("{name}: no JSON document"))
                        .help("save what `aws gamelift describe-scaling-policies` prints"));
                };
                let policies = gamelift::parse(&root.to_json())
                    .map_err(|e| Fatal::new(format!("{name}: {e}")))?;
                let planned = plan::plan(&doc, &ctx.default_namespace).ok();
                let prefix = [crate::source::tree::Step::Key("ScalingPolicies".into())];
                let raws = gamelift::review(&policies, g.min_size, g.max_size, planned.as_ref())
                    .iter()
                    .map(|p| crate::checks::scenario::located(p, &prefix))
                    .collect::<Vec<_>>();
                for raw in raws {
                    let (span, _) = root.locate(&raw.path);
                    let severity = match config.severities.get(raw.rule.code) {
                        Some(crate::config::Level::Off) => continue,
                        Some(crate::config::Level::At(sev)) => *sev,
                        None => raw.rule.severity,
                    };
                    report.findings.push(crate::finding::Finding {
                        rule: raw.rule,
                        severity,
                        file: index,
                        span,
                        kind: None,
                        object: None,
                        path: raw.path_string(),
                        message: raw.message,
                        help: raw.help,
                        related: None,
                        admission: raw.admission,
                        fix: None,
                    });
                }
                policies
            }
            _ => Vec::new(),
        };
        gamelift_policies = Some((policies, g.min_size, g.max_size));
    }
    if let Some(code) = stop_on_errors(&mut report, false, args.format, started)? {
        return Ok(code);
    }
    for f in report
        .findings
        .iter()
        .filter(|f| f.rule.code.starts_with("GLF"))
    {
        eprintln!("agones-lint: {} {}: {}", f.rule.code, f.path, f.message);
    }
    let plan = plan::plan(&doc, &ctx.default_namespace).map_err(|issues| {
        Fatal::new(format!("{file}: {}", issues[0].message)).help(issues[0].help.clone())
    })?;
    let arrivals = match (&plan.arrivals, &doc.spec.arrivals_file) {
        (Some(a), _) => a.clone(),
        (None, Some(rel)) => {
            let (name, text) = read(rel, "arrivalsFile")?;
            plan::parse_trace(&text).map_err(|e| {
                Fatal::new(format!("{name}: {e}"))
                    .help("each line is `second,count`, such as `90,3`")
            })?
        }
        (None, None) => return Err(Fatal::new(format!("{file}: the scenario has no arrivals"))),
    };
    let fleets: Vec<crate::model::agones::Fleet> = report
        .objects
        .iter()
        .filter(|(k, _)| *k == Kind::Fleet)
        .filter_map(|(_, v)| {
            crate::model::lenient::decode(v.clone(), crate::simulate::FLEET_READS).ok()
        })
        .map(|(f, _)| f)
        .collect();
    let ns_of = |m: &crate::model::meta::ObjectMeta| {
        m.namespace
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| ctx.default_namespace.clone())
    };
    let fleet = fleets
        .iter()
        .find(|f| {
            ns_of(&f.metadata) == plan.namespace
                && f.metadata.name.as_deref() == Some(plan.fleet.as_str())
        })
        .cloned()
        .ok_or_else(|| {
            Fatal::new(format!(
                "the Scenario's fleet {}/{} is not among the inputs",
                plan.namespace, plan.fleet
            ))
            .help("pass the files that hold the Fleet and its FleetAutoscaler as PATHS")
        })?;
    let autoscaler = report
        .objects
        .iter()
        .filter(|(k, _)| *k == Kind::FleetAutoscaler)
        .filter_map(|(_, v)| {
            crate::model::lenient::decode::<crate::model::autoscaling::FleetAutoscaler>(
                v.clone(),
                crate::simulate::AUTOSCALER_READS,
            )
            .ok()
        })
        .map(|(a, _)| a)
        .find(|a| {
            ns_of(&a.metadata) == plan.namespace
                && a.spec.as_ref().is_some_and(|s| s.fleet_name == plan.fleet)
        })
        .ok_or_else(|| {
            Fatal::new(format!(
                "no FleetAutoscaler among the inputs targets {}/{}",
                plan.namespace, plan.fleet
            ))
            .help("pass the file that holds the FleetAutoscaler as a PATH")
        })?;
    let name = format!(
        "{}/{}",
        ns_of(&doc.metadata),
        doc.metadata.name.clone().unwrap_or_default()
    );
    let setup = scenario::Setup {
        name: name.clone(),
        plan,
        arrivals,
        fleet,
        autoscaler,
        gamelift: gamelift_policies,
    };
    let runs = scenario::run_all(
        &setup,
        &ctx.gates,
        runtime,
        series_every,
        &ctx.default_namespace,
    );
    if let Some(chart) = &args.chart {
        let svg = scenario::chart::render(&format!("Scenario {name}"), &runs)
            .map_err(|e| Fatal::new(format!("--chart: cannot draw: {e}")))?;
        std::fs::write(chart, svg).map_err(|e| Fatal::new(format!("--chart {chart}: {e}")))?;
    }
    let frame = scenario::Frame {
        start: setup.plan.start,
        duration: setup.plan.duration as f64 / 1e9,
        goal: goal.as_ref(),
    };
    if axes.is_empty() {
        let out = match args.format {
            Format::Json => scenario::render_json(&name, &runs),
            _ => scenario::render_human(&name, &runs, frame),
        };
        write_stdout(&out)?;
        return Ok(EXIT_OK);
    }
    let model = setup.model(Some(setup.plan.duration));
    let admit = |fas: &crate::model::autoscaling::FleetAutoscaler| {
        let mut raws = Vec::new();
        crate::checks::autoscaler::check(fas, &ctx, &mut raws);
        raws.iter()
            .find(|r| r.rule.severity == crate::finding::Severity::Error)
            .map(|r| format!("{} ({})", r.message, r.rule.code))
    };
    let run = |fas: &crate::model::autoscaling::FleetAutoscaler,
               model: &crate::scenario::run::Model| {
        scenario::run_agones(
            &setup,
            fas,
            &ctx.gates,
            runtime,
            model,
            &ctx.default_namespace,
        )
    };
    let rows = whatif::grid(&setup, &axes, &model, &admit, &run)
        .map_err(|e| Fatal::new(format!("--set: {e}")))?;
    if let Some(path) = &args.whatif_chart {
        let labels = whatif::labels(&axes, &rows);
        let svg = scenario::whatif_chart::render(
            &format!("What if: Scenario {name}"),
            &rows,
            &labels,
            goal.as_ref(),
        )
        .map_err(|e| Fatal::new(format!("--whatif-chart: cannot draw: {e}")))?;
        std::fs::write(path, svg).map_err(|e| Fatal::new(format!("--whatif-chart {path}: {e}")))?;
    }
    let out = match args.format {
        Format::Json => {
            let mut j = scenario::report_json(&name, &runs);
            j["whatIf"] = whatif::to_json(&axes, &rows, goal.as_ref());
            serde_json::to_string(&j).unwrap_or_default() + "\n"
        }
        _ => {
            let mut out = scenario::render_human(&name, &runs, frame);
            out.push_str(&format!("\nWhat if ({} settings):\n\n", rows.len()));
            out.push_str(&whatif::render(
                &axes,
                &rows,
                &runs[0].summary,
                goal.as_ref(),
            ));
            out
        }
    };
    write_stdout(&out)?;
    Ok(EXIT_OK)
}
