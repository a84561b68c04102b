//! Builds the application from its settings: the store, the routes, the middleware.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, header};
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

use crate::config::Settings;
use crate::state::AppState;
use crate::storage::StoreError;
use crate::web::{self, AppShell};
use crate::{clock, demo, routes, taxonomy};

/// How often the background counter recounts the filing days whose cases changed.
const STATS_COUNT_INTERVAL: Duration = Duration::from_secs(2);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be opened, migrated or seeded.
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    /// The address could not be bound, or the static folder not prepared.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// The settings do not fit together.
    #[error("settings: {0}")]
    Settings(String),
    /// The filing key is missing, or not this database's.
    #[error("{0}")]
    FilingKey(#[from] crate::filing_key::KeyError),
}

/// A built server, bound to its port but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    /// The metrics listener (`--metrics-addr`), when asked for.
    metrics: Option<(TcpListener, Router)>,
}

impl Application {
    /// Opens the store (installing the taxonomy and, when asked, demo data), prepares the
    /// static files and binds the address.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let endpoints = settings.endpoints().map_err(StartupError::Settings)?;
        if let Some(problem) = settings
            .staff_token
            .as_deref()
            .and_then(crate::config::staff_token_problem)
        {
            return Err(StartupError::Settings(problem));
        }
        let store = crate::storage::open(&settings.database_url).await?;
        store.install_taxonomy(&taxonomy::chengdu()).await?;
        if settings.demo && store.is_empty().await? {
            tracing::info!("seeding demo data into the empty database");
            demo::seed(store.as_ref(), demo::DemoSize::default(), clock::now()).await?;
        }
        let missing = crate::calendar::current().missing_years(clock::cst_date(clock::now()));
        if !missing.is_empty() {
            tracing::warn!(
                ?missing,
                "the working-day calendar does not cover {missing:?}: deadlines there count \
                 Monday to Friday; give the State Council's days with --holidays FILE"
            );
        }
        let adopted = crate::photos::adopt_files(store.as_ref(), &settings.data_dir)
            .await
            .map_err(std::io::Error::other)?;
        if adopted > 0 {
            tracing::info!(photos = adopted, "moved photo files into the database");
        }
        let mut meta = store.taxonomy().await?.meta();
        let notices = Arc::new(settings.notices(&meta));
        meta.texts = notices.texts;
        let retry = settings.retry_rule();
        let claim = Duration::from_secs_f64(settings.outbox_claim);
        if settings.static_dir.join("index.html").exists() {
            let compressed = web::precompress(&settings.static_dir)?;
            if compressed > 0 {
                tracing::info!(files = compressed, "precompressed static files");
            }
        } else {
            tracing::warn!(dir = %settings.static_dir.display(), "no built app found; run `make build`");
        }
        let filing_key =
            crate::filing_key::load(store.as_ref(), &settings.filing_key_path()).await?;
        let listener = TcpListener::bind(settings.addr).await?;
        let (filing_rate, upload_rate) = (settings.filing_rate, settings.upload_rate);
        let (staff_failures, code_failures) = (
            settings.staff_auth_failures,
            settings.tracking_code_failures,
        );
        let photo_decodes = settings.photo_decodes.max(1);
        let openapi = crate::openapi::document_for(&meta);
        let meta_json =
            bytes::Bytes::from(serde_json::to_vec(&meta).map_err(std::io::Error::other)?);
        let state = AppState {
            store,
            meta_json,
            openapi: openapi.into(),
            meta: Arc::new(meta),
            settings: Arc::new(settings),
            filing_limiter: crate::ratelimit::SharedLimiter::new(
                "filing",
                filing_rate,
                &filing_key,
            ),
            filing_gate: crate::ratelimit::Limiter::new(filing_rate),
            staff_auth_failures: crate::ratelimit::FailureLimiter::new(
                "staff_token",
                staff_failures,
                &filing_key,
            ),
            tracking_code_failures: crate::ratelimit::FailureLimiter::new(
                "tracking_code",
                code_failures,
                &filing_key,
            ),
            filing_key: filing_key.into(),
            instance: instance_id()?,
            upload_limiter: crate::ratelimit::Limiter::new(upload_rate),
            photo_decodes: Arc::new(tokio::sync::Semaphore::new(photo_decodes)),
            stats_topics: Arc::default(),
            notices,
        };
        // Every process delivers the outbox; a message is claimed by one of them at a time.
        if !endpoints.is_empty() {
            let delivery = crate::outbox::Delivery::new(endpoints, retry, claim)
                .map_err(StartupError::Settings)?;
            tokio::spawn(delivery.run(state.store.clone()));
        }
        // Nothing before listening reads the cases table: a million cases start as fast as
        // ten. Housekeeping runs at once in the background and then every hour; statistics
        // are counted in the background, a few seconds behind the writes at most (a
        // statistics request helps for a moment when it finds days uncounted).
        let sweeper = state.clone();
        tokio::spawn(async move {
            let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
            loop {
                every_hour.tick().await;
                housekeeping(&sweeper).await;
            }
        });
        let counter = state.store.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(STATS_COUNT_INTERVAL);
            loop {
                every.tick().await;
                let started = std::time::Instant::now();
                let refreshed = counter.refresh_stats(None).await;
                ran(
                    "count_statistics",
                    started,
                    if refreshed.is_ok() { "ok" } else { "failed" },
                );
                match refreshed {
                    Ok(refreshed) if refreshed.recounted > 0 => {
                        metrics::counter!("civic_statistics_days_counted_total")
                            .increment(refreshed.recounted as u64);
                        tracing::debug!(days = refreshed.recounted, "counted statistics")
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(?error, "could not count statistics"),
                }
            }
        });
        let metrics = match state.settings.metrics_addr {
            Some(addr) => {
                crate::monitoring::install();
                let listener = TcpListener::bind(addr).await?;
                Some((listener, crate::monitoring::router(state.clone())))
            }
            None => None,
        };
        Ok(Self {
            listener,
            router: router(state),
            metrics,
        })
    }

    /// The port of the metrics listener, when there is one.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics
            .as_ref()
            .and_then(|(listener, _)| listener.local_addr().ok())
            .map(|a| a.port())
    }

    /// The port the server is bound to.
    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    /// Serves until the process receives Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        if let Some((listener, router)) = self.metrics {
            tokio::spawn(async move {
                if let Err(error) = axum::serve(listener, router).await {
                    tracing::error!(?error, "the metrics listener stopped");
                }
            });
        }
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    }
}

/// The whole application: the API, the health check and the app itself.
pub fn router(state: AppState) -> Router {
    let shell = Arc::new(AppShell::load(
        &state.settings.static_dir,
        &state.settings.frame_ancestors.0,
    ));
    let trusted_proxies = state.settings.trusted_proxies.clone();
    let app = app_files(&state.settings.static_dir, shell.clone());
    let api_routes = Router::new()
        .nest(api::API_PREFIX, routes::api_router())
        .nest("/api", routes::api_root_router())
        // `nest` leaves the bare prefixes to the app; they are API paths too.
        .route("/api", axum::routing::any(routes::unknown_route))
        .route("/api/", axum::routing::any(routes::unknown_route))
        .merge(routes::operations().split_for_parts().0)
        .route(
            "/feeds/announcements.atom",
            get(crate::feeds::announcements),
        )
        .route("/feeds/documents.atom", get(crate::feeds::documents))
        .layer(axum::middleware::from_fn(routes::private_answers))
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(state);
    with_common_layers(api_routes.merge(app), shell, trusted_proxies)
}

/// The app's own files: its pages (`index.html` and each route's), precompressed files from
/// `static_dir`, a year's caching for the hashed ones.
pub fn app_files(static_dir: &std::path::Path, shell: Arc<AppShell>) -> Router {
    let static_files = ServeDir::new(static_dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(
            get(web::spa_fallback)
                .head(web::spa_fallback)
                .with_state(shell.clone()),
        );
    Router::new()
        .route("/", get(web::spa_fallback).with_state(shell.clone()))
        .route("/index.html", get(web::spa_fallback).with_state(shell))
        .fallback_service(static_files)
        .layer(axum::middleware::from_fn(web::cache_headers))
        .layer(axum::middleware::from_fn(web::guard_paths))
}

/// The layers every answer passes through, the API's and the app's files alike: security
/// headers, the time limit, a panic as a 500, the access log with its request id.
pub fn with_common_layers(
    router: Router,
    shell: Arc<AppShell>,
    trusted_proxies: crate::client::TrustedProxies,
) -> Router {
    router
        .layer(axum::middleware::from_fn_with_state(
            shell,
            web::security_headers,
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            crate::error::error_response(api::ErrorBody::new(
                api::ErrorCode::Internal,
                "Something went wrong on our side; it has been logged.",
            ))
        }))
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            HeaderName::from_static("x-tracking-code"),
        ]))
        .layer(axum::middleware::from_fn_with_state(
            trusted_proxies,
            crate::telemetry::access_log,
        ))
}

/// A round of housekeeping (`service::housekeep`), unless another process is running one.
async fn housekeeping(state: &AppState) {
    let rules = crate::service::Housekeeping {
        rating_period_seconds: i64::from(state.settings.auto_close_days) * 86_400,
        upload_seconds: 86_400,
        limit_window_ms: i64::try_from(
            [
                state.filing_limiter.window(),
                state.staff_auth_failures.window(),
                state.tracking_code_failures.window(),
            ]
            .into_iter()
            .max()
            .unwrap_or_default()
            .as_millis(),
        )
        .unwrap_or(i64::MAX),
    };
    let started = std::time::Instant::now();
    let round = crate::service::housekeep(
        state.store.as_ref(),
        &state.notices,
        &state.instance,
        clock::now(),
        rules,
    )
    .await;
    match round {
        Ok(Some(done)) => {
            ran("housekeeping", started, "ok");
            let forgotten = done.forgotten_messages;
            metrics::counter!("civic_outbox_forgotten_total", "state" => "delivered")
                .increment(forgotten.delivered);
            metrics::counter!("civic_outbox_forgotten_total", "state" => "undelivered")
                .increment(forgotten.undelivered);
            tracing::info!(
                expired_uploads = done.expired_uploads,
                closed_unrated = done.closed.len(),
                forgotten_limit_uses = done.forgotten_uses,
                forgotten_delivered = done.forgotten_messages.delivered,
                forgotten_undelivered = done.forgotten_messages.undelivered,
                "housekeeping done"
            );
        }
        Ok(None) => {
            ran("housekeeping", started, "skipped");
            tracing::debug!("housekeeping skipped: another process is running it");
        }
        Err(error) => {
            ran("housekeeping", started, "failed");
            tracing::warn!(?error, "housekeeping failed");
        }
    }
}

/// Counts a housekeeping task's run and its duration.
fn ran(task: &'static str, started: std::time::Instant, outcome: &'static str) {
    metrics::counter!("civic_housekeeping_runs_total", "task" => task, "outcome" => outcome)
        .increment(1);
    metrics::histogram!("civic_housekeeping_duration_seconds", "task" => task)
        .record(started.elapsed().as_secs_f64());
}

/// This process's name among the processes on the database (its leases' holder): the
/// host, the process id and a random part, so a restarted process is a new one.
fn instance_id() -> std::io::Result<Arc<str>> {
    let mut raw = [0u8; 4];
    getrandom::fill(&mut raw).map_err(|e| std::io::Error::other(e.to_string()))?;
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    Ok(format!(
        "{}:{}:{}",
        host.trim(),
        std::process::id(),
        crate::hashing::hex(&raw)
    )
    .into())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
