//! `serve`: a validating admission webhook running the same checks as `lint`.

pub mod metrics;
pub mod review;

#[cfg(feature = "server")]
mod server;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::checks::Context;
use crate::config::Level;

#[cfg(feature = "server")]
pub use server::run;

/// The API server's own limit on a request body.
pub const MAX_BODY: usize = 3 * 1024 * 1024;

pub struct Options {
    pub addr: SocketAddr,
    /// Certificate and key files; None serves plain HTTP (local testing only).
    pub tls: Option<(PathBuf, PathBuf)>,
    pub request_timeout: Duration,
    pub max_concurrency: usize,
    pub ctx: Context,
    /// Judge schedules at this fixed time instead of the clock (`--now`).
    pub fixed_now: bool,
    pub severities: BTreeMap<&'static str, Level>,
}

/// Without the `server` feature there is no HTTP server to run.
#[cfg(not(feature = "server"))]
pub fn run(_opts: Options) -> Result<(), String> {
    Err(crate::features::missing(
        "server",
        "admission-webhook server",
    ))
}
