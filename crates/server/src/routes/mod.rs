//! The HTTP API under `/api/v1`, one module per resource, each exposing `router()`.

mod announcements;
mod cases;
mod documents;
mod meta;
mod staff;
mod uploads;

use api::{ErrorBody, FieldErrorCode, FieldErrors};
use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::error::ApiError;
use crate::startup::AppState;

pub use announcements::*;
pub use cases::*;
pub use documents::*;
pub use meta::*;
pub use staff::*;
pub use uploads::*;

/// Every versioned endpoint, to be nested under [`api::API_PREFIX`].
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(meta::router())
        .merge(cases::router())
        .merge(documents::router())
        .merge(announcements::router())
        .merge(staff::router())
        .merge(uploads::router())
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

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "The server and its database answer"),
              (status = 503, description = "The database does not answer", body = ErrorBody)))]
pub async fn healthz(state: axum::extract::State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok" }))).into_response(),
        Err(error) => ApiError::Unavailable(error).into_response(),
    }
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

/// The error body of a malformed cursor.
pub(crate) fn bad_cursor() -> ApiError {
    let mut fields = FieldErrors::new();
    fields.add("cursor", FieldErrorCode::InvalidFormat, None);
    ApiError::bad_query(fields)
}
