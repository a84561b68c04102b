//! The staff API: the actions that move a case through its life. Off unless the server has
//! a staff token; every request carries it as a bearer token, compared in constant time.

use api::{ErrorBody, StaffAction, StaffActionResult};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::service::{self, Applied};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default().routes(routes!(act_on_case))
}

/// Whether `given` equals `expected`, in time that depends on neither: both are hashed
/// first, and the digests compared byte by byte without an early exit.
pub fn token_matches(given: &str, expected: &str) -> bool {
    let (a, b) = (
        Sha256::digest(given.as_bytes()),
        Sha256::digest(expected.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Whether the request carries the staff token: 404 when the staff API is off, 401 when the
/// token is missing or wrong.
pub(super) fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = state
        .settings
        .staff_token
        .as_deref()
        .filter(|t| !t.is_empty())
    else {
        return Err(ApiError::NotFound);
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if token_matches(given.trim(), expected) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized)
    }
}

/// Applies an action to a case. Illegal moves answer 409 with the allowed ones.
#[utoipa::path(post, path = "/staff/cases/{number}/actions", tag = "staff",
    request_body = StaffAction,
    params(("number" = String, Path, description = "The case number")),
    security(("staff_token" = [])),
    responses((status = 200, description = "The case moved", body = StaffActionResult),
              (status = 400, description = "Not a case number, or malformed JSON", body = ErrorBody),
              (status = 401, description = "Missing or wrong staff token", body = ErrorBody),
              (status = 404, description = "No such case, or the staff API is off", body = ErrorBody),
              (status = 409, description = "Not allowed in the case's status; `allowed` lists what is", body = ErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ErrorBody),
              (status = 415, description = "Not application/json", body = ErrorBody),
              (status = 422, description = "The action's fields are not valid", body = ErrorBody)))]
pub async fn act_on_case(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    ApiJson(action): ApiJson<StaffAction>,
) -> Result<Json<StaffActionResult>, ApiError> {
    authorize(&state, &headers)?;
    let number = super::parse_number(&number)?;
    match service::act(
        state.store.as_ref(),
        &state.meta,
        &number,
        &action,
        clock::now(),
    )
    .await?
    {
        Applied::Done(result) => Ok(Json(result)),
        Applied::Invalid(errors) => Err(ApiError::Validation(errors)),
        Applied::NotFound => Err(ApiError::NotFound),
        Applied::Illegal(illegal) => Err(ApiError::IllegalMove(illegal)),
    }
}

#[cfg(test)]
mod tests {
    use super::token_matches;

    #[test]
    fn tokens_match_only_when_equal() {
        assert!(token_matches("s3cret-token", "s3cret-token"));
        assert!(!token_matches("s3cret-tokeN", "s3cret-token"));
        assert!(!token_matches("", "s3cret-token"));
        assert!(!token_matches("s3cret-token-and-more", "s3cret-token"));
    }
}
