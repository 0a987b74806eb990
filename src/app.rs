//! Runs a parsed command line. Returns the process exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant as Clock;

use crate::checks::rules::{Rule, ALL};
use crate::checks::Context;
use crate::cli::{
    Cli, ColorChoice, Command, CommonArgs, Format, LintArgs, ModuleArgs, SchemaArgs, SimulateArgs,
};
use crate::config::Config;
use crate::golang::time::{parse_rfc3339, Instant};
use crate::lint::{self, Options};
use crate::model::gates::FeatureGates;
use crate::model::schema;
use crate::report;
use crate::source::{self, yaml::Budgets};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

/// A failure of the tool itself: what went wrong and how to fix it.
pub struct Fatal {
    pub what: String,
    pub help: Option<String>,
}

impl Fatal {
    fn new(what: impl Into<String>) -> Fatal {
        Fatal {
            what: what.into(),
            help: None,
        }
    }
    fn help(mut self, h: impl Into<String>) -> Fatal {
        self.help = Some(h.into());
        self
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Lint(args) => lint_cmd(args),
        Command::Simulate(args) => simulate_cmd(args),
        Command::Serve(args) => serve_cmd(args),
        Command::Rules(args) => rules_cmd(args.format),
        Command::Explain { rule } => explain_cmd(&rule),
        Command::Schema(args) => schema_cmd(args),
        Command::Init { force } => init_cmd(force),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "agones-lint: error: {}", f.what);
            if let Some(h) = f.help {
                let _ = writeln!(err, "  help: {h}");
            }
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// The configuration that applies: `--config FILE`, else the nearest `.agones-lint.yaml`.
pub fn load_config(common: &CommonArgs) -> Result<Config, Fatal> {
    let path = match &common.config {
        Some(p) => Some(std::path::PathBuf::from(p)),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| crate::config::discover(&d)),
    };
    match path {
        Some(p) => {
            Config::load(&p).map_err(|e| Fatal::new(e).help("check the path given to --config"))
        }
        None => Ok(Config::default()),
    }
}

/// The clock, gates and namespace: command-line flags first, then the configuration.
pub fn context(common: &CommonArgs, config: &Config) -> Result<Context, Fatal> {
    let now = match &common.now {
        Some(s) => parse_rfc3339(s).map_err(|e| {
            Fatal::new(format!("--now: {e}")).help("pass a time such as --now 2026-12-04T18:00:00Z")
        })?,
        None => Instant::now(),
    };
    let gate_text = common
        .feature_gates
        .clone()
        .or_else(|| config.feature_gates.clone())
        .unwrap_or_default();
    let gates = FeatureGates::parse(&gate_text).map_err(|e| {
        Fatal::new(format!("--feature-gates: {e}")).help(
            "write gates as in Helm: --feature-gates 'WasmAutoscaler=true&CountsAndLists=false'",
        )
    })?;
    let namespace = common
        .namespace
        .clone()
        .or_else(|| config.namespace.clone())
        .unwrap_or_else(|| "default".into());
    if !crate::checks::meta::is_dns_label(&namespace) {
        return Err(Fatal::new(format!(
            "--namespace: `{namespace}` is not a valid namespace name"
        )));
    }
    Ok(Context {
        gates,
        now,
        default_namespace: namespace,
        modules: None,
        cluster: crate::checks::Cluster {
            unknown_fields_rejected: config.unknown_fields_rejected.unwrap_or(true),
            pod_preserve_unknown_fields: config.pod_preserve_unknown_fields.unwrap_or(false),
        },
    })
}

/// What `lint` and `simulate` both start from: the configuration, the context and the inputs
/// (discovered, less the excluded ones).
fn prepare(
    common: &CommonArgs,
    paths: &[String],
) -> Result<(Config, Context, Vec<source::Input>), Fatal> {
    let config = load_config(common)?;
    let ctx = context(common, &config)?;
    let inputs = source::discover(paths)
        .map_err(|e| Fatal::new(e.0).help("check the path; pass `-` to read standard input"))?;
    let inputs = exclude(inputs, &config);
    Ok((config, ctx, inputs))
}

/// Drops inputs the configuration excludes.
fn exclude(inputs: Vec<source::Input>, config: &Config) -> Vec<source::Input> {
    let Some(matcher) = config.excluder() else {
        return inputs;
    };
    inputs
        .into_iter()
        .filter(|i| match i {
            source::Input::File(p) => {
                let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
                !matcher.matched_path_or_any_parents(&abs, false).is_ignore()
            }
            source::Input::Stdin => true,
        })
        .collect()
}

/// Adds the configuration file's own mistakes to the report.
fn add_config_findings(report: &mut lint::Report, config: &Config) {
    if config.problems.is_empty() {
        return;
    }
    let index = report.files.len();
    let name = config.path.as_ref().map_or_else(
        || crate::config::FILE_NAME.to_string(),
        |p| p.display().to_string(),
    );
    report.files.push(lint::FileInfo {
        name,
        text: Some(config.text.clone()),
    });
    report.findings.extend(config.findings(index));
}

fn serve_cmd(args: crate::cli::ServeArgs) -> Result<u8, Fatal> {
    let config = load_config(&args.common)?;
    if !config.problems.is_empty() {
        let (span, msg, help) = &config.problems[0];
        return Err(Fatal::new(format!(
            "the configuration has a mistake at line {}: {msg}",
            span.start.line
        ))
        .help(help.clone()));
    }
    let ctx = context(&args.common, &config)?;
    let addr = args.addr.parse().map_err(|_| {
        Fatal::new(format!("--addr: `{}` is not an address", args.addr))
            .help("write it as HOST:PORT, such as 0.0.0.0:8443")
    })?;
    if args.insecure_http {
        eprintln!("agones-lint: WARNING: serving plain HTTP. The Kubernetes API server calls webhooks only over TLS; use this for local testing only.");
    }
    let tls = match (args.tls_cert, args.tls_key) {
        (Some(c), Some(k)) => Some((c.into(), k.into())),
        _ => None,
    };
    crate::serve::run(crate::serve::Options {
        addr,
        tls,
        request_timeout: std::time::Duration::from_secs(args.request_timeout.max(1)),
        max_concurrency: args.max_concurrency,
        fixed_now: args.common.now.is_some(),
        ctx,
        severities: config.severities,
    })
    .map_err(|e| {
        Fatal::new(e).help("check the address, the certificate files and that the port is free")
    })?;
    Ok(EXIT_OK)
}

fn init_cmd(force: bool) -> Result<u8, Fatal> {
    let path = std::path::Path::new(crate::config::FILE_NAME);
    if path.exists() && !force {
        return Err(
            Fatal::new(format!("{} already exists", crate::config::FILE_NAME))
                .help("pass --force to overwrite it"),
        );
    }
    std::fs::write(path, crate::config::STARTER)
        .map_err(|e| Fatal::new(format!("cannot write {}: {e}", crate::config::FILE_NAME)))?;
    eprintln!(
        "wrote {}: every setting is commented out; edit it to taste",
        crate::config::FILE_NAME
    );
    Ok(EXIT_OK)
}

fn lint_cmd(args: LintArgs) -> Result<u8, Fatal> {
    let started = Clock::now();
    let (config, mut ctx, inputs) = prepare(&args.common, &args.paths)?;
    if args.fetch || !args.modules.wasm_modules.is_empty() {
        let external = external_options(&args.modules)?;
        ctx.modules = Some(std::sync::Arc::new(crate::external::ModuleCatalog::new(
            external, args.fetch,
        )));
    }
    let opts = Options {
        budgets: Budgets {
            max_file_bytes: args.max_file_bytes,
            ..Budgets::default()
        },
        stdin_name: args.stdin_filename.clone(),
        cross: crate::checks::cross::CrossOptions {
            require_targets: args.require_targets || config.require_targets.unwrap_or(false),
        },
        keep_text: args.format == Format::Human,
        collect_objects: false,
        severities: config.severities.clone(),
    };
    let mut report = lint::run(&inputs, &ctx, &opts).map_err(Fatal::new)?;
    add_config_findings(&mut report, &config);
    if let Some(max) = args.max_findings {
        report.limit_findings(max);
    }
    let out = match args.format {
        Format::Github => report::github::render(&report),
        Format::Markdown => report::markdown::render(&report),
        Format::Sarif => report::sarif::render(
            &report,
            env!("CARGO_PKG_VERSION"),
            args.rules_url.as_deref(),
        ),
        Format::Json => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match report::json::write(&report, &mut out).and_then(|_| out.flush()) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(Fatal::new(format!("cannot write the report: {e}"))),
            }
            String::new()
        }
        Format::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            report::human::render(
                &report,
                started.elapsed(),
                &report::human::Style {
                    color,
                    quiet: args.quiet,
                },
            )
        }
    };
    write_stdout(&out)?;
    let c = report::counts(&report);
    Ok(if c.errors > 0 || (args.strict && c.warnings > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// `--webhook-timeout` and friends, in Go syntax like every duration of this tool.
fn flag_duration(flag: &str, value: &str) -> Result<std::time::Duration, Fatal> {
    match crate::golang::duration::parse(value) {
        Ok(n) if n > 0 => Ok(std::time::Duration::from_nanos(n as u64)),
        Ok(_) => Err(
            Fatal::new(format!("--{flag} {value}: the duration must be positive"))
                .help(format!("for example --{flag} 10s")),
        ),
        Err(e) => Err(
            Fatal::new(format!("--{flag} {value}: {}", e.0)).help(format!(
                "Go duration syntax, for example --{flag} 10s or 1m30s"
            )),
        ),
    }
}

/// The runtime options every command that may run or check Wasm and webhooks shares: module
/// files are read now, so a wrong path stops the run before anything else.
fn external_options(m: &ModuleArgs) -> Result<crate::external::Options, Fatal> {
    let mut opts = crate::external::Options::default();
    for spec in &m.wasm_modules {
        let Some((url, path)) = spec
            .rsplit_once('=')
            .filter(|(u, p)| !u.is_empty() && !p.is_empty())
        else {
            return Err(Fatal::new(format!("--wasm-module {spec}: expected URL=PATH"))
                .help("for example --wasm-module https://example.com/autoscaler.wasm=./autoscaler.wasm"));
        };
        let meta = std::fs::metadata(path)
            .map_err(|e| Fatal::new(format!("--wasm-module {spec}: cannot read {path}: {e}")))?;
        if meta.len() > crate::external::MAX_MODULE_BYTES {
            return Err(Fatal::new(format!(
                "--wasm-module {spec}: {path} is {} bytes, more than the {} a module may have",
                meta.len(),
                crate::external::MAX_MODULE_BYTES
            )));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| Fatal::new(format!("--wasm-module {spec}: cannot read {path}: {e}")))?;
        opts.modules.insert(url.to_string(), bytes);
    }
    for r in &m.resolve {
        let parsed = r
            .parse()
            .map_err(|e: String| Fatal::new(format!("--resolve {e}")))?;
        opts.http.resolve.push(parsed);
    }
    Ok(opts)
}

/// Lints the inputs of a simulation, keeping the objects it will run on.
fn lint_for_simulation(
    inputs: &[source::Input],
    ctx: &Context,
    config: &Config,
) -> Result<lint::Report, Fatal> {
    let opts = Options {
        budgets: Budgets::default(),
        stdin_name: None,
        cross: Default::default(),
        keep_text: true,
        collect_objects: true,
        severities: config.severities.clone(),
    };
    let mut report = lint::run(inputs, ctx, &opts).map_err(Fatal::new)?;
    add_config_findings(&mut report, config);
    Ok(report)
}

/// Simulating objects Agones would reject answers the wrong question: with errors (and no
/// `--force`) print them and stop.
fn stop_on_errors(
    report: &mut lint::Report,
    force: bool,
    format: Format,
    started: Clock,
) -> Result<Option<u8>, Fatal> {
    if report::counts(report).errors == 0 || force {
        return Ok(None);
    }
    // Simulating objects Agones would reject would answer the wrong question: show why.
    report
        .findings
        .retain(|f| f.severity == crate::finding::Severity::Error);
    let out = match format {
        Format::Json => {
            let mut buf = Vec::new();
            report::json::write(report, &mut buf)
                .map_err(|e| Fatal::new(format!("cannot write the report: {e}")))?;
            String::from_utf8_lossy(&buf).into_owned()
        }
        Format::Human | Format::Github | Format::Sarif | Format::Markdown => {
            let mut s = report::human::render(
                report,
                started.elapsed(),
                &report::human::Style {
                    color: false,
                    quiet: true,
                },
            );
            s.push_str(
                "simulate stopped: fix the errors above, or pass --force to simulate anyway\n",
            );
            s
        }
    };
    write_stdout(&out)?;
    Ok(Some(EXIT_FINDINGS))
}

fn simulate_cmd(args: SimulateArgs) -> Result<u8, Fatal> {
    let started = Clock::now();
    let mut external = external_options(&args.modules)?;
    external.offline = args.offline;
    external.http.timeout = flag_duration("webhook-timeout", &args.webhook_timeout)?;
    external.wasm.timeout = flag_duration("wasm-timeout", &args.wasm_timeout)?;
    if args.wasm_memory == 0 || args.wasm_memory > 4096 {
        return Err(Fatal::new(format!(
            "--wasm-memory {}: must be between 1 and 4096 MiB",
            args.wasm_memory
        )));
    }
    external.wasm.memory_bytes = args.wasm_memory << 20;
    let runtime = crate::external::Runtime::new(external);
    if let Some(file) = args.scenario.clone() {
        return scenario_cmd(&args, &file, &runtime, started);
    }
    let (config, ctx, inputs) = prepare(&args.common, &args.paths)?;
    let mut report = lint_for_simulation(&inputs, &ctx, &config)?;
    if let Some(code) = stop_on_errors(&mut report, args.force, args.format, started)? {
        return Ok(code);
    }
    let decisions = crate::simulate::run(
        &report.objects,
        &ctx.gates,
        ctx.now,
        &ctx.default_namespace,
        &runtime,
    );
    let out = match args.format {
        Format::Json => crate::simulate::render_json(&decisions),
        Format::Human | Format::Github | Format::Sarif | Format::Markdown => {
            crate::simulate::render_human(&decisions)
        }
    };
    write_stdout(&out)?;
    Ok(EXIT_OK)
}

fn write_stdout(s: &str) -> Result<(), Fatal> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Fatal::new(format!("cannot write the report: {e}"))),
    }
}

fn rules_cmd(format: Format) -> Result<u8, Fatal> {
    let out = match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = ALL
                .iter()
                .map(|r| serde_json::json!({"rule": r.code, "name": r.name, "severity": r.severity, "kinds": r.kinds, "summary": r.summary}))
                .collect();
            serde_json::to_string_pretty(&items).unwrap_or_default() + "\n"
        }
        Format::Human | Format::Github | Format::Sarif | Format::Markdown => {
            let mut s = String::new();
            for r in ALL {
                s.push_str(&format!(
                    "{:<8} {:<30} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.severity.to_string(),
                    r.summary
                ));
            }
            s.push_str(&format!(
                "\n{} rules. `agones-lint explain CODE` shows one with examples.\n",
                ALL.len()
            ));
            s
        }
    };
    write_stdout(&out)?;
    Ok(EXIT_OK)
}

pub fn find_rule(key: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

fn explain_cmd(key: &str) -> Result<u8, Fatal> {
    match find_rule(key) {
        Some(r) => {
            write_stdout(r.doc)?;
            Ok(EXIT_OK)
        }
        None => {
            let names = ALL.iter().map(|r| r.name).chain(ALL.iter().map(|r| r.code));
            let hint = crate::suggest::closest(key, names)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            Err(Fatal::new(format!("no rule `{key}`"))
                .help(format!("{hint}`agones-lint rules` lists them all")))
        }
    }
}

fn schema_cmd(args: SchemaArgs) -> Result<u8, Fatal> {
    let render =
        |kind| serde_json::to_string_pretty(&schema::generate(kind)).unwrap_or_default() + "\n";
    if args.write {
        for kind in schema::ALL_KINDS {
            let path = std::path::Path::new(&args.dir).join(schema::file_name(*kind));
            std::fs::create_dir_all(&args.dir)
                .and_then(|_| std::fs::write(&path, render(*kind)))
                .map_err(|e| Fatal::new(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
        }
        return Ok(EXIT_OK);
    }
    let wanted = args.kind.unwrap_or_default();
    let names: Vec<&str> = schema::ALL_KINDS.iter().map(|k| k.name()).collect();
    match schema::ALL_KINDS
        .iter()
        .find(|k| k.name().eq_ignore_ascii_case(&wanted))
    {
        Some(kind) => {
            write_stdout(&render(*kind))?;
            Ok(EXIT_OK)
        }
        None => Err(Fatal::new(format!("no schema for the kind `{wanted}`"))
            .help(format!("use one of: {}", names.join(", ")))),
    }
}

/// `simulate --scenario FILE [PATHS]`: the Scenario is linted with the other inputs (its
/// arrivals and GameLift files too), then replayed through the Fleet's autoscaler, GameLift's
/// policies and any `--set` grid.
fn scenario_cmd(
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
    let (config, ctx, mut inputs) = prepare(&args.common, &args.paths)?;
    let canonical =
        |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let wanted = canonical(&scenario_path);
    if !inputs
        .iter()
        .any(|i| matches!(i, source::Input::File(p) if canonical(p) == wanted))
    {
        inputs.push(source::Input::File(scenario_path.clone()));
    }
    let mut report = lint_for_simulation(&inputs, &ctx, &config)?;
    // The Scenario of FILE (others among PATHS are linted, not run).
    let text = std::fs::read_to_string(&scenario_path)
        .map_err(|e| Fatal::new(format!("--scenario {file}: {e}")))?;
    let scenarios: Vec<scenario::spec::Scenario> = source::load(text, &Budgets::default())
        .objects
        .iter()
        .map(|o| o.root.to_json())
        .filter(|v| v["kind"] == "Scenario")
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
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
                let loaded = source::load(text.clone(), &Budgets::default());
                let index = report.files.len();
                report.files.push(lint::FileInfo {
                    name: name.clone(),
                    text: Some(text),
                });
                let Some(root) = loaded.objects.first().map(|o| &o.root) else {
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
        .filter_map(|(_, v)| serde_json::from_value(v.clone()).ok())
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
            serde_json::from_value::<crate::model::autoscaling::FleetAutoscaler>(v.clone()).ok()
        })
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
    if axes.is_empty() {
        let out = match args.format {
            Format::Json => scenario::render_json(&name, &runs),
            _ => scenario::render_human(&name, &runs),
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
    let out = match args.format {
        Format::Json => {
            let mut j = scenario::report_json(&name, &runs);
            j["whatIf"] = whatif::to_json(&axes, &rows, goal.as_ref());
            serde_json::to_string(&j).unwrap_or_default() + "\n"
        }
        _ => {
            let mut out = scenario::render_human(&name, &runs);
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
