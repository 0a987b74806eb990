//! The HTTP(S) server of `serve` (the `server` feature): axum on tokio, rustls for TLS.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant as Clock, SystemTime};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use super::{metrics, review, Options, MAX_BODY};
use crate::checks::Context;
use crate::config::Level;
use crate::golang::time::Instant;

struct AppState {
    ctx: Context,
    fixed_now: bool,
    severities: BTreeMap<&'static str, Level>,
    metrics: metrics::Metrics,
    limit: tokio::sync::Semaphore,
}

fn log(fields: serde_json::Value) {
    let mut line = json!({"time": Instant::now().to_rfc3339()});
    if let (Some(l), Some(f)) = (line.as_object_mut(), fields.as_object()) {
        l.extend(f.clone());
    }
    eprintln!("{line}");
}

async fn validate(State(s): State<Arc<AppState>>, body: Bytes) -> Response {
    let Ok(_permit) = s.limit.acquire().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let started = Clock::now();
    let mut ctx = s.ctx.clone();
    if !s.fixed_now {
        ctx.now = Instant::now();
    }
    match review::review(&body, &ctx, &s.severities) {
        Ok((answer, out)) => {
            let took = started.elapsed();
            s.metrics.review(&out.kind, out.allowed, took);
            log(
                json!({"uid": out.uid, "kind": out.kind, "namespace": out.namespace, "name": out.name, "operation": out.operation, "allowed": out.allowed, "warnings": out.warnings, "durationMs": took.as_secs_f64() * 1e3}),
            );
            Json(answer).into_response()
        }
        Err(review::BadRequest(why)) => {
            s.metrics.bad_request();
            log(json!({"level": "warning", "msg": "bad request", "error": why}));
            (StatusCode::BAD_REQUEST, Json(json!({"error": why}))).into_response()
        }
    }
}

fn router(state: Arc<AppState>, timeout: Duration) -> Router {
    Router::new()
        .route("/validate", post(validate))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(|| async { "ok\n" }))
        .route(
            "/metrics",
            get(|State(s): State<Arc<AppState>>| async move {
                (
                    [("content-type", "text/plain; version=0.0.4")],
                    s.metrics.render(),
                )
            }),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => return ctrl_c.await.unwrap_or(()),
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

fn modified(p: &PathBuf) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// Serves until SIGTERM or Ctrl-C, then drains in-flight requests.
pub fn run(opts: Options) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    rt.block_on(serve(opts))
}

async fn serve(opts: Options) -> Result<(), String> {
    crate::checks::schema::warm(opts.ctx.cluster.release);
    let state = Arc::new(AppState {
        ctx: opts.ctx,
        fixed_now: opts.fixed_now,
        severities: opts.severities,
        metrics: metrics::Metrics::default(),
        limit: tokio::sync::Semaphore::new(opts.max_concurrency.max(1)),
    });
    let app = router(state, opts.request_timeout);
    let handle: axum_server::Handle<SocketAddr> = axum_server::Handle::new();
    let shutdown = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        log(json!({"msg": "shutting down: draining in-flight requests"}));
        shutdown.graceful_shutdown(Some(Duration::from_secs(30)));
    });
    let announce = handle.clone();
    let scheme = if opts.tls.is_some() { "https" } else { "http" };
    tokio::spawn(async move {
        if let Some(addr) = announce.listening().await {
            log(json!({"msg": "listening", "addr": addr.to_string(), "scheme": scheme}));
        }
    });
    match opts.tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| {
                    format!(
                        "cannot load the TLS certificate {} and key {}: {e}",
                        cert.display(),
                        key.display()
                    )
                })?;
            // cert-manager rotates the files in place: reload when they change.
            let reload = config.clone();
            tokio::spawn(async move {
                let mut last = (modified(&cert), modified(&key));
                loop {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    let now = (modified(&cert), modified(&key));
                    if now != last {
                        match reload.reload_from_pem_file(&cert, &key).await {
                            Ok(()) => log(json!({"msg": "reloaded the TLS certificate"})),
                            Err(e) => log(
                                json!({"level": "error", "msg": "cannot reload the TLS certificate; keeping the old one", "error": e.to_string()}),
                            ),
                        }
                        last = now;
                    }
                }
            });
            let mut server = axum_server::bind_rustls(opts.addr, config).handle(handle);
            server
                .http_builder()
                .http1()
                .header_read_timeout(Duration::from_secs(10));
            server
                .serve(app.into_make_service())
                .await
                .map_err(|e| format!("the server failed: {e}"))
        }
        None => {
            let mut server = axum_server::bind(opts.addr).handle(handle);
            server
                .http_builder()
                .http1()
                .header_read_timeout(Duration::from_secs(10));
            server
                .serve(app.into_make_service())
                .await
                .map_err(|e| format!("the server failed: {e}"))
        }
    }
}
