//! What every handler can reach. Built by `startup`; no module imports `startup` for it.

use std::sync::Arc;

use api::Meta;

use crate::config::Settings;
use crate::storage::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The storage.
    pub store: Arc<dyn Store>,
    /// The taxonomy and fixed lists, loaded at start-up.
    pub meta: Arc<Meta>,
    /// The same, as `GET /api/v1/meta` answers it.
    pub meta_json: bytes::Bytes,
    /// The OpenAPI document for this server's taxonomy, as JSON (written at start-up).
    pub openapi: Arc<str>,
    /// The settings the server started with.
    pub settings: Arc<Settings>,
    /// The key that derives a retried filing's tracking code from its idempotency key.
    pub filing_key: Arc<[u8]>,
    /// This process's name among those on the database (who holds a lease).
    pub instance: Arc<str>,
    /// The per-client limit on filing, counted in the database (one across processes).
    pub filing_limiter: crate::ratelimit::SharedLimiter,
    /// The same limit counted in this process alone: a client over it here is over it
    /// everywhere, so a flood is refused before it costs a database transaction.
    pub filing_gate: Arc<crate::ratelimit::Limiter>,
    /// Wrong staff tokens per client, counted across processes.
    pub staff_auth_failures: crate::ratelimit::FailureLimiter,
    /// Wrong tracking codes per client, counted across processes.
    pub tracking_code_failures: crate::ratelimit::FailureLimiter,
    /// The per-client limit on uploads.
    pub upload_limiter: Arc<crate::ratelimit::Limiter>,
    /// Permits to decode a photo: a cap on the memory decoding takes at once.
    pub photo_decodes: Arc<tokio::sync::Semaphore>,
    /// Who is told when a case moves (texts, events), and how.
    pub notices: Arc<crate::domain::notify::Notices>,
    /// The statistics' rising topics, counted at most every ten minutes.
    pub stats_topics: Arc<crate::stats::TopicsCache>,
}
