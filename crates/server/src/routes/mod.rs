//! The HTTP API under `/api/v1`, one module per resource, each exposing `router()`.

pub mod announcements;
pub mod cases;
pub mod documents;
pub mod meta;
pub mod staff;
pub mod stats;
pub mod uploads;

use api::{FieldErrorCode, FieldErrors};
use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::AppState;

/// Every API answer to a request that carried a credential (`Authorization`,
/// `X-Tracking-Code`), every staff answer and every answer to a change (`POST`: the owner's
/// view after a rating) is `Cache-Control: no-store`, so no cache keeps a resident's name,
/// phone or words, or a case only staff may see; and every API answer says it varies by
/// those headers, so no cache hands a public answer to an owner or the reverse. Public
/// answers keep their own caching.
pub async fn private_answers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{HeaderValue, Method, header};
    let private = request.headers().contains_key(header::AUTHORIZATION)
        || request.headers().contains_key(api::TRACKING_CODE_HEADER)
        || request.uri().path().starts_with("/api/v1/staff")
        || !matches!(*request.method(), Method::GET | Method::HEAD);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.remove(header::ETAG);
    }
    headers.append(
        header::VARY,
        HeaderValue::from_static("authorization, x-tracking-code"),
    );
    response
}

/// Checks a credential `client` sent (a tracking code, a staff token) with `check`, under
/// `limiter`: 429 with Retry-After once the client has sent too many wrong ones; an answer
/// of 401 counts as one more. Both are counted in the metrics.
pub(crate) async fn guarded<T>(
    state: &AppState,
    limiter: &crate::ratelimit::FailureLimiter,
    client: std::net::IpAddr,
    check: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    let attempt = limiter
        .begin(&state.store, client, crate::clock::now_millis())
        .await?
        .map_err(|wait| {
            metrics::counter!("civic_rate_limited_total", "limit" => limiter.credential)
                .increment(1);
            ApiError::RateLimited {
                retry_after: wait,
                message: "Too many wrong codes or tokens from this connection; try again after Retry-After seconds.",
            }
        })?;
    match check.await {
        Err(ApiError::Unauthorized) => {
            attempt.failed();
            metrics::counter!("civic_credential_failures_total", "credential" => limiter.credential)
                .increment(1);
            Err(ApiError::Unauthorized)
        }
        outcome => {
            attempt.succeeded().await;
            outcome
        }
    }
}

/// Every versioned endpoint with its documentation, paths relative to [`api::API_PREFIX`].
/// Each route is registered by `routes!` from its handler's `#[utoipa::path]`, so the router
/// and the OpenAPI document come from one list: a route cannot go undocumented, nor a
/// documented path unrouted.
pub fn api_v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .merge(meta::router())
        .merge(cases::router())
        .merge(documents::router())
        .merge(announcements::router())
        .merge(staff::router())
        .merge(stats::router())
        .merge(uploads::router())
}

/// The operators' endpoints at the root (`/healthz`, `/readyz`), likewise.
pub fn operations() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

/// [`api_v1`] as a router, with JSON errors for unknown paths and methods.
pub fn api_router() -> Router<AppState> {
    let (router, _) = api_v1().split_for_parts();
    router
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
}

/// `/api` paths outside any version, with the same JSON errors.
pub fn api_root_router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(crate::openapi::serve))
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
}

/// The answer for any path under `/api` that names no endpoint.
pub async fn unknown_route() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// `GET /healthz`: the process is alive (it answers without asking the database, so an
/// orchestrator does not restart a healthy process when the database is away).
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "The process is alive")))]
pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// What `/readyz` found.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready`, or `not_ready` when the database does not answer or its migrations are not
    /// this build's.
    pub status: &'static str,
    /// Whether the database answered.
    pub database: bool,
    /// How the database's migrations compare with this build's (absent when it did not
    /// answer).
    pub migrations: Option<crate::storage::Migrations>,
    /// Years the working-day calendar should cover by now and does not (this year, and from
    /// 1 November the next): deadlines there count Monday to Friday. Reported, not fatal.
    pub calendar_missing_years: Vec<i32>,
}

/// `GET /readyz`: 200 when the database answers and its migrations are exactly this
/// build's, else 503; the body says what was found and what is missing.
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, description = "Ready to serve", body = Readiness),
              (status = 503, description = "Not ready; the body says why", body = Readiness)))]
pub async fn readyz(state: axum::extract::State<AppState>) -> impl IntoResponse {
    let migrations = match state.store.migrations().await {
        Ok(migrations) => Some(migrations),
        Err(error) => {
            tracing::warn!(?error, "readiness: the database did not answer");
            None
        }
    };
    let ready = migrations.as_ref().is_some_and(|m| m.current());
    let body = Readiness {
        status: if ready { "ready" } else { "not_ready" },
        database: migrations.is_some(),
        migrations,
        calendar_missing_years: crate::calendar::current()
            .missing_years(crate::clock::cst_date(crate::clock::now())),
    };
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(body),
    )
        .into_response()
}

/// Reads a numeric path id, or a 400 naming `id`.
pub(crate) fn parse_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            let mut fields = FieldErrors::new();
            fields.add("id", FieldErrorCode::InvalidFormat, None);
            ApiError::bad_query(fields)
        })
}

/// Checks that an optional code is one of `known`, or records `unknown_code` on `field`.
pub(crate) fn check_code<'a, T>(
    errors: &mut FieldErrors,
    field: &str,
    code: Option<&'a str>,
    parse: impl Fn(&'a str) -> Option<T>,
) -> Option<T> {
    let code = code?;
    let parsed = parse(code);
    if parsed.is_none() {
        errors.add(field, FieldErrorCode::UnknownCode, None);
    }
    parsed
}

/// Reads a case number from the path, or a 400 naming `number`.
pub(crate) fn parse_number(text: &str) -> Result<api::CaseNumber, ApiError> {
    api::CaseNumber::parse(text).map_err(|_| {
        let mut fields = FieldErrors::new();
        fields.add("number", FieldErrorCode::InvalidFormat, None);
        ApiError::bad_query(fields)
    })
}

/// The code itself when it names an entry of `taxon`, for [`check_code`].
pub(crate) fn known(meta: &api::Meta, taxon: api::Taxon) -> impl Fn(&str) -> Option<String> + '_ {
    move |code| meta.knows(taxon, code).then(|| code.to_owned())
}

/// The text of `q` (trimmed) and its search terms; a field error on `q` when it is too long
/// or holds no searchable term. `None` without a query.
pub(crate) fn search_query(
    errors: &mut FieldErrors,
    q: Option<&str>,
) -> Option<(String, Vec<String>)> {
    match api::validate::search_query(q) {
        Ok(Some(text)) => match crate::search::query_terms(&text) {
            Some(terms) => Some((text, terms)),
            None => {
                errors.add("q", FieldErrorCode::InvalidFormat, None);
                None
            }
        },
        Ok(None) => None,
        Err(too_long) => {
            for field in too_long.fields() {
                for error in too_long.get(field) {
                    errors.add(field, error.code, error.limit);
                }
            }
            None
        }
    }
}

/// The deepest a search can be paged (results are ranked, so pages are offsets).
pub(crate) const SEARCH_OFFSET_MAX: u32 = 1_000;

/// A search results' cursor: `s` and how many results came before.
pub(crate) fn decode_search_cursor(text: &str) -> Option<u32> {
    text.strip_prefix('s')?
        .parse()
        .ok()
        .filter(|offset| *offset <= SEARCH_OFFSET_MAX)
}

/// The page of a ranked search that `cursor` asks for (`s40`: after 40 results), or the
/// error of a cursor that is not a search's.
pub(crate) fn text_search(
    search: Option<(String, Vec<String>)>,
    cursor: Option<&str>,
    limit: u32,
) -> Result<Option<crate::storage::TextSearch>, ApiError> {
    let Some((text, terms)) = search else {
        return Ok(None);
    };
    let offset = match cursor {
        Some(cursor) => decode_search_cursor(cursor).ok_or_else(bad_cursor)?,
        None => 0,
    };
    Ok(Some(crate::storage::TextSearch {
        text,
        terms,
        offset,
        limit,
    }))
}

/// A page of search results, each with its highlight, and the cursor of the next page.
pub(crate) fn search_page<T>(
    found: crate::storage::Found<T>,
    search: &crate::storage::TextSearch,
    parts: impl Fn(&mut T) -> (&String, &mut Option<api::Highlight>),
) -> api::Page<T> {
    let items: Vec<T> = found
        .items
        .into_iter()
        .map(|(mut item, body)| {
            let (title, highlight) = parts(&mut item);
            let body = crate::search::blocks_text(&body);
            *highlight = Some(crate::search::highlight(title, &body, &search.text));
            item
        })
        .collect();
    let next = search.offset + items.len() as u32;
    api::Page {
        items,
        next_cursor: (found.more && next <= SEARCH_OFFSET_MAX).then(|| format!("s{next}")),
    }
}

/// The error body of a malformed cursor.
pub(crate) fn bad_cursor() -> ApiError {
    let mut fields = FieldErrors::new();
    fields.add("cursor", FieldErrorCode::InvalidFormat, None);
    ApiError::bad_query(fields)
}

/// A JSON answer with a validator (`ETag`) and `cache_control`: 304 without the body when the
/// request's `If-None-Match` names it.
pub fn json_with_validator(
    headers: &axum::http::HeaderMap,
    body: Vec<u8>,
    cache_control: &str,
) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    let etag = crate::web::entity_tag(&body);
    let cache = HeaderValue::from_str(cache_control)
        .unwrap_or_else(|_| HeaderValue::from_static("no-cache"));
    if crate::web::not_modified(headers, &etag) {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        [
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        body,
    )
        .into_response()
}
