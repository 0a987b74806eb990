//! `agones-lint simulate`: what the controller would decide for each autoscaler.

use std::time::Instant as Clock;

use crate::app::{
    add_config_findings, external_options, flag_duration, prepare, write_stdout, Fatal,
    EXIT_FINDINGS, EXIT_OK,
};
use crate::checks::Context;
use crate::cli::{Format, SimulateArgs};
use crate::config::Config;
use crate::lint::{self, Options};
use crate::report;
use crate::source::{self, yaml::Budgets};

/// Lints the inputs of a simulation, keeping the objects it will run on.
pub fn lint_for_simulation(
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
        overrides: None,
        context_cache: None,
    };
    let mut report = lint::run(inputs, &[], ctx, &opts).map_err(Fatal::new)?;
    add_config_findings(&mut report, config);
    Ok(report)
}

/// Simulating objects Agones would reject answers the wrong question: with errors (and no
/// `--force`) print them and stop.
pub fn stop_on_errors(
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

pub fn run(args: SimulateArgs) -> Result<u8, Fatal> {
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
        return super::scenario::run(&args, &file, &runtime, started);
    }
    let crate::app::Prepared {
        config,
        ctx,
        inputs,
        ..
    } = prepare(&args.common, &args.paths, &[])?;
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
