//! `agones-lint serve`: the admission webhook server.

use crate::app::{context, load_config, Fatal, EXIT_OK};

pub fn run(args: crate::cli::ServeArgs) -> Result<u8, Fatal> {
    if !cfg!(feature = "server") {
        return Err(Fatal::new(crate::features::missing(
            "server",
            "admission-webhook server",
        ))
        .help("the release binaries and the container image have every feature"));
    }
    let config = load_config(&args.common, &[])?;
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
