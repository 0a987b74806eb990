//! `agones-lint lsp`: the language server, over stdio.

use crate::app::{Fatal, EXIT_FAILURE, EXIT_OK};
use crate::cli::LspArgs;
use crate::lsp::analysis::Settings;

pub fn run(args: LspArgs) -> Result<u8, Fatal> {
    let settings = Settings {
        agones_version: args.agones_version,
        feature_gates: args.feature_gates,
        config: args.config,
        namespace: args.namespace,
        rules_url: args.rules_url,
    };
    match crate::lsp::run(settings) {
        Ok(true) => Ok(EXIT_OK),
        // The protocol's rule: `exit` without `shutdown` first exits with 1.
        Ok(false) => Ok(1),
        Err(e) => Err(Fatal::new(format!("language server: {e}"))
            .help("agones-lint lsp is started by an editor; see the README's editor set-ups")),
    }
    .map(|code| if code > 1 { EXIT_FAILURE } else { code })
}
