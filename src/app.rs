//! Runs a parsed command line. Returns the process exit code.

use std::io::Write;
use std::process::ExitCode;

use crate::checks::Context;
use crate::cli::{Cli, Command, CommonArgs, ModuleArgs};
use crate::commands;
use crate::config::Config;
use crate::golang::time::{parse_rfc3339, Instant};
use crate::lint;
use crate::model::gates::FeatureGates;
use crate::source;

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

/// A failure of the tool itself: what went wrong and how to fix it.
pub struct Fatal {
    pub what: String,
    pub help: Option<String>,
}

impl Fatal {
    pub(crate) fn new(what: impl Into<String>) -> Fatal {
        Fatal {
            what: what.into(),
            help: None,
        }
    }
    pub(crate) fn help(mut self, h: impl Into<String>) -> Fatal {
        self.help = Some(h.into());
        self
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Lint(args) => commands::lint::run(args),
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Rules(args) => commands::rules::list(args.format),
        Command::Explain { rule } => commands::rules::explain(&rule),
        Command::Schema(args) => commands::rules::schema(args),
        Command::Init { force } => commands::init::run(force),
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
pub(crate) fn prepare(
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
pub(crate) fn exclude(inputs: Vec<source::Input>, config: &Config) -> Vec<source::Input> {
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
pub(crate) fn add_config_findings(report: &mut lint::Report, config: &Config) {
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

/// `--webhook-timeout` and friends, in Go syntax like every duration of this tool.
pub(crate) fn flag_duration(flag: &str, value: &str) -> Result<std::time::Duration, Fatal> {
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
pub(crate) fn external_options(m: &ModuleArgs) -> Result<crate::external::Options, Fatal> {
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

pub(crate) fn write_stdout(s: &str) -> Result<(), Fatal> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Fatal::new(format!("cannot write the report: {e}"))),
    }
}
