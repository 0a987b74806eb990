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
use crate::model::release::Release;
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
        Command::Lsp(args) => commands::lsp::run(args),
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

/// The configuration that applies: `--config FILE`, else the nearest `.agones-lint.yaml` above
/// the paths (as ruff finds its configuration), else the nearest above the working folder.
/// Paths under different configurations are linted with the first path's, and a note says so.
pub fn load_config(common: &CommonArgs, paths: &[String]) -> Result<Config, Fatal> {
    if let Some(p) = &common.config {
        return Config::load(std::path::Path::new(p))
            .map_err(|e| Fatal::new(e).help("check the path given to --config"));
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let mut found: Vec<std::path::PathBuf> = Vec::new();
    for p in paths {
        let start = if p == "-" {
            cwd.clone()
        } else {
            let path = cwd.join(p);
            let dir = if path.is_dir() {
                path
            } else {
                path.parent()
                    .map(std::path::Path::to_path_buf)
                    .unwrap_or_else(|| cwd.clone())
            };
            std::fs::canonicalize(&dir).unwrap_or(dir)
        };
        if let Some(c) = crate::config::discover(&start) {
            if !found.contains(&c) {
                found.push(c);
            }
        }
    }
    if found.len() > 1 {
        eprintln!(
            "agones-lint: note: the paths lie under {} configurations ({}); using {}, the first path's. Lint each tree in its own run, or pass --config",
            found.len(),
            found.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            found[0].display()
        );
    }
    match found
        .into_iter()
        .next()
        .or_else(|| crate::config::discover(&cwd))
    {
        Some(p) => Config::load(&p).map_err(|e| Fatal::new(e).help("fix or remove the file")),
        None => Ok(Config::default()),
    }
}

/// The Agones release to judge against: `--agones-version`, else the configuration's, else the
/// newest supported. An unsupported or malformed version stops the run (exit 2): judging
/// against another release than the user's would be a silent guess.
pub fn release(flag: Option<&str>, config: &Config) -> Result<&'static Release, Fatal> {
    match flag {
        Some(v) => crate::model::release::find(v).map_err(|e| {
            Fatal::new(format!("--agones-version: {e}"))
                .help("pass the release your cluster runs: `kubectl get deploy -n agones-system agones-controller -o jsonpath='{..image}'` shows it")
        }),
        None => Ok(config.agones_version.unwrap_or_else(crate::model::release::newest)),
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
    let release = release(common.agones_version.as_deref(), config)?;
    let from_flag = common.feature_gates.is_some();
    let gate_text = common
        .feature_gates
        .clone()
        .or_else(|| config.feature_gates.clone())
        .unwrap_or_default();
    let gates = FeatureGates::parse_for(&gate_text, release).map_err(|e| {
        Fatal::new(format!(
            "{}: {e}",
            if from_flag { "--feature-gates" } else { "feature-gates in the configuration" }
        ))
        .help("write gates as in Helm, with names the release has: --feature-gates 'WasmAutoscaler=true&CountsAndLists=false'")
    })?;
    if from_flag {
        for name in gates.without_effect() {
            eprintln!(
                "agones-lint: warning: --feature-gates: {name} is Stable in Agones {}; setting it to false is accepted and changes nothing",
                release.version
            );
        }
    }
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
            release,
        },
    })
}

/// What `lint` and `simulate` start from.
pub(crate) struct Prepared {
    pub config: Config,
    pub ctx: Context,
    /// What to lint: discovered, less the excluded.
    pub inputs: Vec<source::Input>,
    /// What the checks across resources also read (`--context`, `context:`), less the inputs.
    pub context: Vec<source::Input>,
}

/// The configuration, the clock and gates, the inputs and the context. A file named on the
/// command line that the configuration excludes is skipped with a note (silently with
/// `--force-exclude`); when every input is excluded that way, the run stops instead of
/// reporting "0 files".
pub(crate) fn prepare(
    common: &CommonArgs,
    paths: &[String],
    context_paths: &[String],
) -> Result<Prepared, Fatal> {
    let config = load_config(common, paths)?;
    let ctx = context(common, &config)?;
    let discovered = source::discover_marked(paths)
        .map_err(|e| Fatal::new(e.0).help("check the path; pass `-` to read standard input"))?;
    let excluder = config.excluder();
    let root = config.root();
    let mut inputs = Vec::new();
    let mut named_excluded = Vec::new();
    for (input, named) in discovered {
        match exclusion(&input, excluder.as_ref(), &root) {
            None => inputs.push(input),
            Some(pattern) if named => named_excluded.push((input, pattern)),
            Some(_) => {}
        }
    }
    let config_name = config
        .path
        .as_ref()
        .map_or_else(String::new, |p| p.display().to_string());
    if !common.force_exclude {
        for (input, pattern) in &named_excluded {
            eprintln!(
                "agones-lint: skipping {}: excluded by `{pattern}` in {config_name} (pass --force-exclude to skip excluded files silently)",
                input.display_name(None)
            );
        }
        if inputs.is_empty() && !named_excluded.is_empty() {
            return Err(Fatal::new(format!(
                "every path given is excluded by {config_name}, so nothing was linted"
            ))
            .help("remove the path from `exclude:`, or pass --force-exclude when skipping them is intended (pre-commit hooks do)"));
        }
    }
    let mut context = Vec::new();
    let seen: std::collections::HashSet<std::path::PathBuf> =
        inputs.iter().filter_map(canonical_file).collect();
    let mut context_seen = std::collections::HashSet::new();
    let mut add_context = |found: Vec<source::Input>| {
        for input in found {
            let Some(abs) = canonical_file(&input) else {
                continue;
            };
            if !seen.contains(&abs)
                && exclusion(&input, excluder.as_ref(), &root).is_none()
                && context_seen.insert(abs)
            {
                context.push(input);
            }
        }
    };
    if !context_paths.is_empty() {
        let found = source::discover(context_paths).map_err(|e| {
            Fatal::new(format!("--context: {}", e.0)).help("name files or folders of manifests")
        })?;
        add_context(found);
    }
    if let Some(matcher) = config.context_matcher() {
        let found = source::discover(&[root.display().to_string()]).unwrap_or_default();
        let wanted: Vec<source::Input> = found
            .into_iter()
            .filter(|i| {
                canonical_file(i).is_some_and(|abs| {
                    abs.starts_with(&root)
                        && matcher.matched_path_or_any_parents(&abs, false).is_ignore()
                })
            })
            .collect();
        add_context(wanted);
    }
    Ok(Prepared {
        config,
        ctx,
        inputs,
        context,
    })
}

fn canonical_file(input: &source::Input) -> Option<std::path::PathBuf> {
    match input {
        source::Input::File(p) => Some(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
        source::Input::Stdin | source::Input::Text { .. } => None,
    }
}

/// The exclude pattern that matches `input`, if any. Paths outside the config's folder are
/// never excluded by it.
fn exclusion(
    input: &source::Input,
    excluder: Option<&ignore::gitignore::Gitignore>,
    root: &std::path::Path,
) -> Option<String> {
    let abs = canonical_file(input)?;
    if !abs.starts_with(root) {
        return None;
    }
    match excluder?.matched_path_or_any_parents(&abs, false) {
        ignore::Match::Ignore(glob) => Some(glob.original().to_string()),
        _ => None,
    }
}

/// Adds the configuration file's own mistakes to the report.
pub(crate) fn add_config_findings(report: &mut lint::Report, config: &Config) {
    if config.problems.is_empty() && config.no_effect.is_empty() {
        return;
    }
    let index = report.files.len();
    let name = config.path.as_ref().map_or_else(
        || crate::config::FILE_NAME.to_string(),
        |p| p.display().to_string(),
    );
    report.files.push(lint::FileInfo {
        name,
        path: None,
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
