//! Metrics in the Prometheus text format, served on `--metrics-addr` only (off by default), so
//! the public port never shows them. The `metrics` crate's macros record from anywhere; until
//! [`install`] runs they cost nothing.
//!
//! What is counted: requests by route template, method and status, and their latency
//! (`civic_http_*`); filings, replays, uploads, limit refusals and busy decodes; housekeeping
//! runs and their duration; statistics days counted; the database pool (size, idle, the most
//! it opens, and how long taking a connection took when the metrics were read); the calendar's
//! missing years; and the build's version (`civic_build_info`).

use std::sync::OnceLock;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

/// Latency buckets, in seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Starts recording (once per process) and returns the handle that renders what was
/// recorded.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder (a test's) may be in place already: then ours renders nothing new,
        // which a test would notice.
        let _ = metrics::set_global_recorder(recorder);
        metrics::gauge!("civic_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
        handle
    })
}

/// The metrics listener's routes: `GET /metrics`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(render))
        .with_state(state)
}

/// `GET /metrics`: the gauges read now, then everything in the text format.
async fn render(State(state): State<AppState>) -> Response {
    match state.store.pool_status().await {
        Ok(pool) => {
            metrics::gauge!("civic_db_pool_connections").set(f64::from(pool.size));
            metrics::gauge!("civic_db_pool_idle_connections").set(f64::from(pool.idle));
            metrics::gauge!("civic_db_pool_max_connections").set(f64::from(pool.max));
            metrics::gauge!("civic_db_pool_acquire_seconds").set(pool.acquire_seconds);
            metrics::gauge!("civic_db_up").set(1.0);
        }
        Err(error) => {
            tracing::warn!(?error, "the database did not answer the metrics probe");
            metrics::gauge!("civic_db_up").set(0.0);
        }
    }
    let missing = crate::calendar::current()
        .missing_years(crate::clock::cst_date(crate::clock::now()))
        .len();
    metrics::gauge!("civic_calendar_missing_years").set(missing as f64);
    let body = install().render();
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
