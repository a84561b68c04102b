use api::validate::page_limit;
use api::{
    CaseDetail, CaseKind, CaseListQuery, CaseNumber, CaseStatus, CaseSummary, ErrorBody,
    FieldErrorCode, FieldErrors, Page,
};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};

use super::{bad_cursor, check_code};
use crate::clock;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::startup::AppState;
use crate::storage::{CaseCursor, CaseFilter};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list_cases))
        .route("/cases/{number}", get(get_case))
}

fn encode_cursor(cursor: CaseCursor) -> String {
    format!("{}.{}", cursor.submitted_at, cursor.id)
}

fn decode_cursor(text: &str) -> Option<CaseCursor> {
    let (at, id) = text.split_once('.')?;
    Some(CaseCursor {
        submitted_at: at.parse().ok()?,
        id: id.parse().ok()?,
    })
}

/// Published cases, newest first, filtered.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseListQuery),
    responses((status = 200, description = "A page of published cases", body = Page<CaseSummary>),
              (status = 400, description = "A filter or the cursor is not valid", body = ErrorBody)))]
pub async fn list_cases(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CaseListQuery>,
) -> Result<Json<Page<CaseSummary>>, ApiError> {
    let mut errors = page_limit(query.limit).err().unwrap_or_default();
    let meta = &state.meta;
    let district = check_code(&mut errors, "district", query.district.as_deref(), |code| {
        meta.districts
            .iter()
            .any(|d| d.code == code)
            .then(|| code.to_owned())
    });
    let category = check_code(&mut errors, "category", query.category.as_deref(), |code| {
        meta.categories
            .iter()
            .any(|c| c.code == code)
            .then(|| code.to_owned())
    });
    let kind = check_code(
        &mut errors,
        "kind",
        query.kind.as_deref(),
        CaseKind::from_code,
    );
    let status = check_code(
        &mut errors,
        "status",
        query.status.as_deref(),
        CaseStatus::from_code,
    );
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }
    let cursor = match query.cursor.as_deref() {
        Some(text) => Some(decode_cursor(text).ok_or_else(bad_cursor)?),
        None => None,
    };
    let limit = page_limit(query.limit).map_err(ApiError::bad_query)?;
    let filter = CaseFilter {
        district,
        category,
        kind,
        status,
    };
    let today = clock::cst_date(clock::now());
    let slice = state
        .store
        .published_cases(&filter, cursor, limit, today)
        .await?;
    Ok(Json(Page {
        items: slice.items,
        next_cursor: slice.next.map(encode_cursor),
    }))
}

/// A published case's public page.
#[utoipa::path(get, path = "/api/v1/cases/{number}", tag = "cases",
    params(("number" = String, Path, description = "The case number, `YYYYMMDD-NNNN`")),
    responses((status = 200, description = "The case's public page", body = CaseDetail),
              (status = 400, description = "Not a case number", body = ErrorBody),
              (status = 404, description = "No published case has this number", body = ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Result<Json<CaseDetail>, ApiError> {
    let number = CaseNumber::parse(&number).map_err(|_| {
        let mut fields = FieldErrors::new();
        fields.add("number", FieldErrorCode::InvalidFormat, None);
        ApiError::bad_query(fields)
    })?;
    let today = clock::cst_date(clock::now());
    state
        .store
        .published_case(&number, today)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
