//! `agones-lint lint`: findings for the inputs, in the chosen format.

use std::io::{IsTerminal, Write};
use std::time::Instant as Clock;

use crate::app::{
    add_config_findings, external_options, prepare, write_stdout, Fatal, EXIT_FINDINGS, EXIT_OK,
};
use crate::autofix;
use crate::cli::{ColorChoice, Format, LintArgs};
use crate::lint::{self, Options};
use crate::report;
use crate::report::human::plural;
use crate::source::yaml::Budgets;

pub fn run(args: LintArgs) -> Result<u8, Fatal> {
    let started = Clock::now();
    let crate::app::Prepared {
        config,
        mut ctx,
        inputs,
        context,
    } = prepare(&args.common, &args.paths, &args.context)?;
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
        overrides: None,
        context_cache: None,
    };
    let mut report = if args.fix || args.diff {
        let which = if args.unsafe_fixes {
            autofix::Which::All
        } else {
            autofix::Which::Safe
        };
        let outcome = autofix::run(&inputs, &context, &ctx, &opts, which).map_err(Fatal::new)?;
        // Fixes land in the files the author edits; a stream (stdin, `helm template` output
        // read from it) has no such file.
        if inputs.iter().any(|i| {
            matches!(
                i,
                crate::source::Input::Stdin | crate::source::Input::Text { .. }
            )
        }) && outcome
            .report
            .findings
            .iter()
            .any(|f| f.fix.is_some() && outcome.report.files[f.file].path.is_none())
        {
            eprintln!("agones-lint: fixes are applied to files only; standard input is reported, not fixed (lint the file itself, or use the editor's code actions)");
        }
        let fixes: usize = outcome.changed.iter().map(|c| c.fixes).sum();
        let files = outcome.changed.len();
        if args.diff {
            let diff: String = outcome
                .changed
                .iter()
                .map(|c| crate::fix::unified_diff(&c.name, &c.before, &c.after))
                .collect();
            write_stdout(&diff)?;
            eprintln!(
                "agones-lint: {}",
                if fixes == 0 {
                    "nothing to fix".to_string()
                } else {
                    format!(
                        "would fix {} in {} (run with --fix to apply)",
                        plural(fixes, "finding"),
                        plural(files, "file")
                    )
                }
            );
            return Ok(if fixes == 0 { EXIT_OK } else { EXIT_FINDINGS });
        }
        autofix::write(&outcome.changed).map_err(Fatal::new)?;
        if fixes > 0 {
            eprintln!(
                "agones-lint: fixed {} in {}",
                plural(fixes, "finding"),
                plural(files, "file")
            );
        }
        outcome.report
    } else {
        lint::run(&inputs, &context, &ctx, &opts).map_err(Fatal::new)?
    };
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
