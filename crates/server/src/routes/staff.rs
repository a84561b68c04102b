//! The staff API: the work queue, a case with its audit trail, and the actions that move a
//! case through its life. Every request carries a staff account's token (or the bootstrap
//! dispatcher's, `--staff-token`) as a bearer token; what it may do is its role's
//! (`api::StaffRole`, checked by `crate::domain::staff`).

use api::{
    CaseStatus, CaseSummary, ErrorBody, Page, ReviewDecision, StaffAction, StaffActionResult,
    StaffCase, StaffCaseQuery,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};

use super::{bad_cursor, check_code, known};
use crate::clock;
use crate::domain::staff::Actor;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, ClientAddress};
use crate::service::{self, Applied, Reviewed, StaffView};
use crate::state::AppState;
use crate::storage::{CaseCursor, CaseFilter, StaffAccount};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The account whose token is the server's `--staff-token`.
pub const BOOTSTRAP: &str = "bootstrap";

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(work_queue))
        .routes(routes!(staff_case))
        .routes(routes!(act_on_case))
        .routes(routes!(review_case))
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

/// The actor a live account is.
pub fn actor(account: StaffAccount) -> Actor {
    Actor::Staff {
        name: account.name,
        role: account.role,
        department: account.department,
    }
}

/// Who the request's bearer token belongs to: the bootstrap dispatcher when it is the
/// server's `--staff-token` (unless that account is revoked), else the live account whose
/// token hashes to it; 401 otherwise. A wrong token counts against `client`
/// (`--staff-auth-failures`): past the limit, 429 before the token is even checked.
pub(super) async fn authenticate(
    state: &AppState,
    client: std::net::IpAddr,
    headers: &HeaderMap,
) -> Result<Actor, ApiError> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized)?;
    super::guarded(state, &state.staff_auth_failures, client, async {
        let bootstrap = state
            .settings
            .staff_token
            .as_deref()
            .filter(|t| !t.is_empty())
            .is_some_and(|expected| token_matches(given, expected));
        let account = if bootstrap {
            state
                .store
                .staff_named(BOOTSTRAP)
                .await?
                .filter(|a| a.revoked_at.is_none())
        } else {
            let hash = crate::hashing::hex_sha256(given.as_bytes());
            state.store.staff_by_token(&hash).await?
        };
        account.map(actor).ok_or(ApiError::Unauthorized)
    })
    .await
}

/// The work queue: cases newest first, published or not, with filters; a department's staff
/// see their department's cases only.
#[utoipa::path(get, path = "/staff/cases", tag = "staff", params(StaffCaseQuery),
    security(("staff_token" = [])),
    responses((status = 200, description = "A page of cases", body = Page<CaseSummary>),
              (status = 400, description = "A filter, the limit or the cursor is not valid", body = ErrorBody),
              (status = 401, description = "Missing or unknown staff token", body = ErrorBody),
              (status = 429, description = "Too many wrong codes or tokens from this client; see Retry-After", body = ErrorBody),
              (status = 403, description = "Another department's cases", body = ErrorBody)))]
pub async fn work_queue(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StaffCaseQuery>,
) -> Result<Json<Page<CaseSummary>>, ApiError> {
    let actor = authenticate(&state, client, &headers).await?;
    let mut errors = api::validate::page_limit(query.limit)
        .err()
        .unwrap_or_default();
    let status = check_code(&mut errors, "status", query.status.as_deref(), |code| {
        CaseStatus::from_code(code)
    });
    let department = check_code(
        &mut errors,
        "department",
        query.department.as_deref(),
        known(&state.meta, api::Taxon::Department),
    );
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }
    let department = actor
        .queue_department(department)
        .map_err(|_| ApiError::Forbidden)?;
    let limit = api::validate::page_limit(query.limit).map_err(ApiError::bad_query)?;
    let cursor = match query.cursor.as_deref() {
        Some(text) => Some(decode_cursor(text).ok_or_else(bad_cursor)?),
        None => None,
    };
    let today = clock::cst_date(clock::now());
    let filter = CaseFilter {
        status,
        department,
        overdue_on: (query.overdue == Some(true)).then_some(today),
        awaiting_review: query.awaiting_review == Some(true),
        ..CaseFilter::default()
    };
    let slice = state.store.all_cases(&filter, cursor, limit).await?;
    Ok(Json(Page {
        items: crate::presenter::case_summaries(slice.items, today),
        next_cursor: slice.next.map(|c| format!("q{}.{}", c.key, c.id)),
    }))
}

fn decode_cursor(text: &str) -> Option<CaseCursor> {
    let (key, id) = text.strip_prefix('q')?.split_once('.')?;
    Some(CaseCursor {
        key: key.parse().ok()?,
        id: id.parse().ok()?,
    })
}

/// A case as staff see it: in full, published or not, with the resident's contact, the
/// photos, the audit trail (who did what) and what this account may do next.
#[utoipa::path(get, path = "/staff/cases/{number}", tag = "staff",
    params(("number" = String, Path, description = "The case number")),
    security(("staff_token" = [])),
    responses((status = 200, description = "The case", body = StaffCase),
              (status = 400, description = "Not a case number", body = ErrorBody),
              (status = 401, description = "Missing or unknown staff token", body = ErrorBody),
              (status = 429, description = "Too many wrong codes or tokens from this client; see Retry-After", body = ErrorBody),
              (status = 403, description = "Another department holds the case", body = ErrorBody),
              (status = 404, description = "No such case", body = ErrorBody)))]
pub async fn staff_case(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Json<StaffCase>, ApiError> {
    let actor = authenticate(&state, client, &headers).await?;
    let number = super::parse_number(&number)?;
    let today = clock::cst_date(clock::now());
    match service::staff_case(state.store.as_ref(), &number, &actor, today).await? {
        StaffView::Case(case) => Ok(Json(*case)),
        StaffView::NotFound => Err(ApiError::NotFound),
        StaffView::Forbidden => Err(ApiError::Forbidden),
    }
}

/// The centre's review of a case awaiting publication (a dispatcher's): publish it as
/// written, publish it with a redacted title, description and place, or withhold it with a
/// reason its resident sees. Answers the case as staff now see it.
#[utoipa::path(post, path = "/staff/cases/{number}/review", tag = "staff",
    request_body = ReviewDecision,
    params(("number" = String, Path, description = "The case number")),
    security(("staff_token" = [])),
    responses((status = 200, description = "Reviewed", body = StaffCase),
              (status = 400, description = "Not a case number, or malformed JSON", body = ErrorBody),
              (status = 401, description = "Missing or unknown staff token", body = ErrorBody),
              (status = 429, description = "Too many wrong codes or tokens from this client; see Retry-After", body = ErrorBody),
              (status = 403, description = "Not a dispatcher", body = ErrorBody),
              (status = 404, description = "No such case", body = ErrorBody),
              (status = 409, description = "The case is not awaiting review", body = ErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ErrorBody),
              (status = 415, description = "Not application/json", body = ErrorBody),
              (status = 422, description = "The redacted texts or the reason are not valid", body = ErrorBody)))]
pub async fn review_case(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(number): Path<String>,
    ApiJson(decision): ApiJson<ReviewDecision>,
) -> Result<Json<StaffCase>, ApiError> {
    let actor = authenticate(&state, client, &headers).await?;
    let number = super::parse_number(&number)?;
    match service::review(
        state.store.as_ref(),
        &state.notices,
        &number,
        &decision,
        clock::now(),
        &actor,
    )
    .await?
    {
        Reviewed::Done(case) => Ok(Json(*case)),
        Reviewed::Invalid(errors) => Err(ApiError::Validation(errors)),
        Reviewed::NotFound => Err(ApiError::NotFound),
        Reviewed::Forbidden => Err(ApiError::Forbidden),
        Reviewed::NotAwaiting => Err(ApiError::Conflict("The case is not awaiting review.")),
    }
}

/// Applies an action to a case. A role's actions only (403 otherwise, and on a case another
/// department holds); illegal moves answer 409 with the allowed ones.
#[utoipa::path(post, path = "/staff/cases/{number}/actions", tag = "staff",
    request_body = StaffAction,
    params(("number" = String, Path, description = "The case number")),
    security(("staff_token" = [])),
    responses((status = 200, description = "The case moved", body = StaffActionResult),
              (status = 400, description = "Not a case number, or malformed JSON", body = ErrorBody),
              (status = 401, description = "Missing or unknown staff token", body = ErrorBody),
              (status = 429, description = "Too many wrong codes or tokens from this client; see Retry-After", body = ErrorBody),
              (status = 403, description = "Not this account's role, or another department's case", body = ErrorBody),
              (status = 404, description = "No such case", body = ErrorBody),
              (status = 409, description = "Not allowed in the case's status; `allowed` lists what is", body = ErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ErrorBody),
              (status = 415, description = "Not application/json", body = ErrorBody),
              (status = 422, description = "The action's fields are not valid", body = ErrorBody)))]
pub async fn act_on_case(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(number): Path<String>,
    ApiJson(action): ApiJson<StaffAction>,
) -> Result<Json<StaffActionResult>, ApiError> {
    let actor = authenticate(&state, client, &headers).await?;
    let number = super::parse_number(&number)?;
    match service::act(
        state.store.as_ref(),
        &state.meta,
        &state.notices,
        &number,
        &action,
        clock::now(),
        &actor,
    )
    .await?
    {
        Applied::Done(result) => Ok(Json(result)),
        Applied::Invalid(errors) => Err(ApiError::Validation(errors)),
        Applied::NotFound => Err(ApiError::NotFound),
        Applied::Illegal(illegal) => Err(ApiError::IllegalMove(illegal)),
        Applied::Forbidden => Err(ApiError::Forbidden),
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
