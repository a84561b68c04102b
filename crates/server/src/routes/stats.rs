use api::{ErrorBody, Stats, StatsQuery, Taxon};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::{check_code, known};
use crate::clock;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;
use crate::stats;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default().routes(routes!(get_stats))
}

/// How long a browser or a portal's cache may reuse an answer before asking again (with
/// `If-None-Match`, which costs the server a recount but not the network the body).
const MAX_AGE_SECONDS: u32 = 60;

/// Performance figures for a period, optionally in one district: counts, rates, rankings,
/// a monthly trend and rising topics. Definitions are in the contract's `stats` module.
#[utoipa::path(get, path = "/stats", tag = "stats", params(StatsQuery),
    responses((status = 200, description = "The figures, with an ETag", body = Stats),
              (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
              (status = 400, description = "The period or the district is not valid", body = ErrorBody)))]
pub async fn get_stats(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StatsQuery>,
) -> Result<Response, ApiError> {
    let (period, mut errors) = match query.validate() {
        Ok(period) => (Some(period), api::FieldErrors::new()),
        Err(errors) => (None, errors),
    };
    let district = check_code(
        &mut errors,
        "district",
        query.district.as_deref(),
        known(&state.meta, Taxon::District),
    );
    let now = clock::now();
    let today = clock::cst_date(now);
    let days = period.and_then(|period| {
        stats::resolve(period, query.from.as_deref(), query.to.as_deref(), today)
            .map_err(|error| {
                let (field, code, limit) = error.field_error();
                errors.add(field, code, limit);
            })
            .ok()
    });
    let (Some(period), Some(days), true) = (period, days, errors.is_empty()) else {
        return Err(ApiError::bad_query(errors));
    };
    let figures = stats::compute(
        state.store.as_ref(),
        &state.stats_topics,
        period,
        days,
        district.as_deref(),
        now,
    )
    .await?;
    let body = serde_json::to_vec(&figures).map_err(|e| ApiError::Internal(Box::new(e)))?;
    Ok(super::json_with_validator(
        &headers,
        body,
        &format!("public, max-age={MAX_AGE_SECONDS}"),
    ))
}
