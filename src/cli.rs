//! Command-line definitions and help texts.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "agones-lint",
    version,
    about = "Lint Agones Fleet, FleetAutoscaler and GameServerAllocation manifests before they reach a cluster",
    long_about = "agones-lint checks Agones manifests the way the cluster would (the CRD schema and Agones' \
admission webhook) and also catches what Agones accepts but gets wrong at run time: a schedule that never \
fires, an unreachable chain entry, a buffer that can never grow.\n\nExit codes: 0 no errors, 1 error findings \
(or warnings with --strict), 2 the tool could not run.",
    after_help = "Examples:\n  agones-lint lint examples/\n  kubectl get fleetautoscalers -o yaml | agones-lint lint -\n  agones-lint explain FAS012"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests: files, folders (walked for *.yaml, *.yml, *.json) or `-` for stdin
    #[command(
        after_help = "Examples:\n  agones-lint lint                       # the current folder\n  agones-lint lint deploy/ fleet.yaml\n  agones-lint lint --format json --now 2026-12-01T00:00:00Z manifests/\n  agones-lint lint --feature-gates 'WasmAutoscaler=true' autoscaler.yaml"
    )]
    Lint(LintArgs),
    /// Show what the Agones controller would do on its next sync of each FleetAutoscaler
    #[command(
        after_help = "Input: FleetAutoscalers, Fleets with status, and their GameServers with status, as\n`kubectl get fleet,fleetautoscaler,gameservers -o yaml` prints them.\n\nExamples:\n  agones-lint simulate --now 2026-12-04T18:00:00Z examples/simulate/\n  kubectl get fleet,fleetautoscaler,gameservers -o yaml | agones-lint simulate -\n\nWebhook and Wasm policies are not executed yet: they count as failing (a Chain falls through)."
    )]
    Simulate(SimulateArgs),
    /// Run as a Kubernetes validating admission webhook (POST /validate), with the same checks
    #[command(
        after_help = "Examples:\n  agones-lint serve --tls-cert /certs/tls.crt --tls-key /certs/tls.key\n  agones-lint serve --insecure-http --addr 127.0.0.1:8080   # local testing only\n\nEndpoints: POST /validate (admission.k8s.io/v1 AdmissionReview), GET /healthz, /readyz, /metrics.\nThe certificate and key are reloaded when the files change. SIGTERM drains in-flight requests."
    )]
    Serve(ServeArgs),
    /// List every rule with its code, default severity and summary
    Rules(RulesArgs),
    /// Show a rule's documentation, with a bad and a good example
    #[command(
        after_help = "Example:\n  agones-lint explain FAS012\n  agones-lint explain chain-duplicate-id"
    )]
    Explain {
        /// A rule code (FAS012) or name (chain-duplicate-id)
        rule: String,
    },
    /// Run as a language server over stdio, for editors: diagnostics as you type, hover, fixes
    #[command(
        after_help = "Editors start it; it speaks LSP on stdin and stdout (logs go to stderr).\n\nExamples:\n  agones-lint lsp\n  agones-lint lsp --feature-gates 'WasmAutoscaler=true' --rules-url https://example.com/agones-lint/rules/\n\nThe client's initializationOptions may carry featureGates, config, namespace and rulesUrl; flags win."
    )]
    Lsp(LspArgs),
    /// Print or regenerate the JSON Schemas the structural checks use, or write the editor schemas (--catalog)
    Schema(SchemaArgs),
    /// Write a commented starter .agones-lint.yaml in the current folder
    Init {
        /// Overwrite an existing .agones-lint.yaml
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    /// GitHub Actions annotations (workflow commands)
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// A Markdown table, for CI job summaries
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// The clock to judge schedules against (RFC 3339) [default: now]
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// The Agones release the cluster runs, X.Y or X.Y.Z (1.50 to 1.60) [default: the config's, else 1.60]
    #[arg(long, value_name = "VERSION")]
    pub agones_version: Option<String>,
    /// Agones feature gates, as in Helm's agones.featureGates: "A=true&B=false" [default: the release's defaults]
    #[arg(long, value_name = "GATES")]
    pub feature_gates: Option<String>,
    /// Namespace of objects that do not name one [default: the config's, else default]
    #[arg(long)]
    pub namespace: Option<String>,
    /// The configuration file [default: the nearest .agones-lint.yaml above the paths, else above the working folder]
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// Skip files the configuration excludes even when named on the command line, silently (for pre-commit)
    #[arg(long)]
    pub force_exclude: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files, folders, or `-` for standard input
    #[arg(default_value = ".")]
    pub paths: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    pub strict: bool,
    /// An autoscaler whose Fleet is not among the linted files is an error (REF001)
    #[arg(long)]
    pub require_targets: bool,
    /// Manifests (files or folders) the checks across resources read without reporting findings
    /// in them: the rest of the repository when only changed files are linted. Repeatable
    #[arg(long, value_name = "PATH")]
    pub context: Vec<String>,
    /// Print only errors and the summary
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour in the human format
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The file name to report for standard input
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Where the rule docs are published (a URL ending in rules/), for SARIF's helpUri
    #[arg(long, value_name = "URL")]
    pub rules_url: Option<String>,
    /// Apply the safe fixes findings carry (a quoted number, a misspelt field or value, the
    /// replicas an autoscaler owns), lint again, and report what remains
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the safe fixes as a unified diff and change nothing (exit 1 when there is one)
    #[arg(long)]
    pub diff: bool,
    /// With --fix or --diff: the fixes that change what an object does, too (raising a limit)
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Show at most this many findings (the summary still counts all of them)
    #[arg(long, value_name = "N")]
    pub max_findings: Option<usize>,
    /// Largest file (or standard input) to read, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_file_bytes: u64,
    #[command(flatten)]
    pub modules: ModuleArgs,
    /// Download the module of every Wasm policy with an http(s) URL and check it as
    /// --wasm-module does (off by default: lint never touches the network unless asked)
    #[arg(long)]
    pub fetch: bool,
}

/// Where Wasm modules and webhooks are found.
#[derive(Debug, Args, Clone, Default)]
pub struct ModuleArgs {
    /// Use the module in PATH wherever a Wasm policy's URL is URL, instead of downloading it;
    /// lint then checks its sha256 against `hash`, that it is valid WebAssembly and that it
    /// exports `function` (repeatable)
    #[arg(long = "wasm-module", value_name = "URL=PATH")]
    pub wasm_modules: Vec<String>,
    /// Send connections for HOST:PORT to ADDR, like curl's --resolve, e.g.
    /// `--resolve hook.games.svc:8000:127.0.0.1` to reach a `kubectl port-forward`
    /// (repeatable)
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    pub resolve: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Files, folders, or `-` for standard input
    #[arg(default_value = ".")]
    pub paths: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Simulate even when lint finds errors in the inputs
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub modules: ModuleArgs,
    /// Never touch the network: Webhook policies and module downloads fail with a message
    /// (a Chain falls through them, as Agones does on errors)
    #[arg(long)]
    pub offline: bool,
    /// How long a webhook may take to answer, in Go syntax (Agones: 15s)
    #[arg(long, value_name = "DURATION", default_value = "15s")]
    pub webhook_timeout: String,
    /// Wall-clock limit for one Wasm call, in Go syntax
    #[arg(long, value_name = "DURATION", default_value = "5s")]
    pub wasm_timeout: String,
    /// Memory limit for a Wasm plugin, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub wasm_memory: u64,
    /// Replay the demand of this Scenario through the Fleet's autoscaler over time (and through
    /// GameLift's policies when the Scenario names them); PATHS hold the Fleet and autoscaler
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<String>,
    /// With --scenario: keep one series sample every DURATION (default: every tick)
    #[arg(long, value_name = "DURATION", requires = "scenario")]
    pub series_every: Option<String>,
    /// With --scenario: draw demand, queue, GameServers, Ready and Allocated to this SVG file
    #[arg(long, value_name = "FILE.svg", requires = "scenario")]
    pub chart: Option<String>,
    /// With --set: draw cost (GameServer-hours) against the goal's metric, one point per
    /// setting, the cheapest that meets the goal marked, as SVG
    #[arg(long, value_name = "FILE.svg", requires = "set")]
    pub whatif_chart: Option<String>,
    /// With --scenario: try FleetAutoscaler settings, e.g. `spec.policy.buffer.bufferSize=5..40:5`
    /// or `sync.fixedInterval.seconds=2,5,10`; several --set make a grid (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUES", requires = "scenario")]
    pub set: Vec<String>,
    /// Judge each run against this, e.g. `abandoned=0,waitP95<=10s`; with --set, also mark the
    /// cheapest setting (fewest GameServer-seconds) that meets it
    #[arg(long, value_name = "CONDITIONS", requires = "scenario")]
    pub goal: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, default_value = "0.0.0.0:8443")]
    pub addr: String,
    /// PEM certificate (chain) for TLS
    #[arg(long, value_name = "FILE", required_unless_present = "insecure_http")]
    pub tls_cert: Option<String>,
    /// PEM private key for TLS
    #[arg(long, value_name = "FILE", required_unless_present = "insecure_http")]
    pub tls_key: Option<String>,
    /// Serve plain HTTP. For local testing only: the API server only calls webhooks over TLS
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    pub insecure_http: bool,
    /// Time limit for one request, body included, in seconds
    #[arg(long, default_value_t = 10)]
    pub request_timeout: u64,
    /// Requests checked at once; more wait
    #[arg(long, default_value_t = 64)]
    pub max_concurrency: usize,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// The Agones release the cluster runs, X.Y or X.Y.Z (1.50 to 1.60) [default: the config's, else 1.60]
    #[arg(long, value_name = "VERSION")]
    pub agones_version: Option<String>,
    /// Agones feature gates, as in Helm's agones.featureGates: "A=true&B=false" [default: the release's defaults]
    #[arg(long, value_name = "GATES")]
    pub feature_gates: Option<String>,
    /// The configuration file [default: the nearest .agones-lint.yaml above each document]
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// Namespace of objects that do not name one [default: the config's, else default]
    #[arg(long)]
    pub namespace: Option<String>,
    /// Where the rule docs are published (a URL ending in rules/): each diagnostic links its rule
    #[arg(long, value_name = "URL")]
    pub rules_url: Option<String>,
    /// Accepted for clients that pass it; stdio is the only transport
    #[arg(long, hide = true)]
    pub stdio: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The kind to print: Fleet, FleetAutoscaler, GameServer or GameServerAllocation
    #[arg(required_unless_present_any = ["write", "catalog"])]
    pub kind: Option<String>,
    /// Write every kind's schema to schemas/*.json (run from the repository root)
    #[arg(long)]
    pub write: bool,
    /// Where --write puts the files
    #[arg(long, default_value = "schemas")]
    pub dir: String,
    /// Write the editor schemas to DIR in the CRDs-catalog layout (agones.dev/fleet_v1.json, …)
    /// for yaml-language-server's kubernetesCRDStore or a `$schema` modeline
    #[arg(long, value_name = "DIR", conflicts_with_all = ["write", "kind"])]
    pub catalog: Option<String>,
    /// The Agones release whose CRDs the printed or catalog schemas follow, X.Y (1.50 to 1.60) [default: 1.60]
    #[arg(long, value_name = "VERSION", conflicts_with = "write")]
    pub agones_version: Option<String>,
    /// With --catalog: one folder per release (DIR/1.57/agones.dev/fleet_v1.json, …), for
    /// kubeconform's -schema-location and yaml-language-server
    #[arg(long, requires = "catalog", conflicts_with = "agones_version")]
    pub all_versions: bool,
}
