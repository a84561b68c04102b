use api::validate::page_limit;
use api::{
    CaseDetail, CaseKind, CaseListQuery, CaseReceipt, CaseStatus, CaseSummary, ErrorBody,
    FieldErrorCode, FieldErrors, NewCase, NewFollowUp, NewRating, Page, SimilarQuery, Taxon,
    TextsChoice,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{bad_cursor, check_code, known, parse_number, search_query};
use crate::domain::filing::{self, ValidCase};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, ClientAddress};
use crate::service::{self, CitizenOutcome};
use crate::state::AppState;
use crate::storage::{CaseCursor, CaseFilter, CaseSort};
use crate::{clock, presenter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(list_cases, file_case))
        .routes(routes!(similar_cases))
        .routes(routes!(get_case))
        .routes(routes!(rate_case))
        .routes(routes!(follow_up_case))
        .routes(routes!(choose_texts))
}

/// Cursors name their order (`n` newest, `r` replied), so one cannot be replayed on a list
/// sorted the other way.
fn encode_cursor(sort: CaseSort, cursor: CaseCursor) -> String {
    let tag = match sort {
        CaseSort::Newest => 'n',
        CaseSort::Replied => 'r',
    };
    format!("{tag}{}.{}", cursor.key, cursor.id)
}

fn decode_cursor(sort: CaseSort, text: &str) -> Option<CaseCursor> {
    let rest = match sort {
        CaseSort::Newest => text.strip_prefix('n')?,
        CaseSort::Replied => text.strip_prefix('r')?,
    };
    let (key, id) = rest.split_once('.')?;
    Some(CaseCursor {
        key: key.parse().ok()?,
        id: id.parse().ok()?,
    })
}

fn parse_day(errors: &mut FieldErrors, field: &str, text: Option<&str>) -> Option<time::Date> {
    clock::parse_query_day(text?)
        .map_err(|code| errors.add(field, code, None))
        .ok()
}

/// Published cases, newest filed or most recently replied first, filtered.
#[utoipa::path(get, path = "/cases", tag = "cases", params(CaseListQuery),
    responses((status = 200, description = "A page of published cases", body = Page<CaseSummary>),
              (status = 400, description = "A filter or the cursor is not valid", body = ErrorBody)))]
pub async fn list_cases(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CaseListQuery>,
) -> Result<Json<Page<CaseSummary>>, ApiError> {
    let mut errors = page_limit(query.limit).err().unwrap_or_default();
    let meta = &state.meta;
    let district = check_code(
        &mut errors,
        "district",
        query.district.as_deref(),
        known(meta, Taxon::District),
    );
    let category = check_code(
        &mut errors,
        "category",
        query.category.as_deref(),
        known(meta, Taxon::Category),
    );
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
    let department = check_code(
        &mut errors,
        "department",
        query.department.as_deref(),
        known(meta, Taxon::Department),
    );
    let sort = check_code(
        &mut errors,
        "sort",
        query.sort.as_deref(),
        |code| match code {
            "newest" => Some(CaseSort::Newest),
            "replied" => Some(CaseSort::Replied),
            _ => None,
        },
    )
    .unwrap_or_default();
    let terms = search_query(&mut errors, query.q.as_deref()).map(|(_, terms)| terms);
    let from = parse_day(&mut errors, "from", query.from.as_deref());
    let to = parse_day(&mut errors, "to", query.to.as_deref());
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add("to", FieldErrorCode::OutOfRange, None);
    }
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }
    let cursor = match query.cursor.as_deref() {
        Some(text) => Some(decode_cursor(sort, text).ok_or_else(bad_cursor)?),
        None => None,
    };
    let limit = page_limit(query.limit).map_err(ApiError::bad_query)?;
    let filter = CaseFilter {
        district,
        category,
        kind,
        status,
        department,
        terms,
        filed_from: from.map(clock::start_of_day),
        filed_before: to.map(|day| clock::start_of_day(day) + 86_400),
        overdue_on: None,
        awaiting_review: false,
        sort,
    };
    let today = clock::cst_date(clock::now());
    let slice = state.store.published_cases(&filter, cursor, limit).await?;
    Ok(Json(Page {
        items: presenter::case_summaries(slice.items, today),
        next_cursor: slice.next.map(|cursor| encode_cursor(sort, cursor)),
    }))
}

/// Published cases that share words with a title being typed, best match first.
#[utoipa::path(get, path = "/cases/similar", tag = "cases", params(SimilarQuery),
    responses((status = 200, description = "Up to `limit` published cases", body = Vec<CaseSummary>),
              (status = 400, description = "No text, text too long, or a bad limit", body = ErrorBody)))]
pub async fn similar_cases(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SimilarQuery>,
) -> Result<Json<Vec<CaseSummary>>, ApiError> {
    let limit = query.validate().map_err(ApiError::bad_query)?;
    let today = clock::cst_date(clock::now());
    let cases = state.store.similar_cases(query.text.trim(), limit).await?;
    Ok(Json(presenter::case_summaries(cases, today)))
}

/// The hash of a tracking code as a person typed it, or a 401 when it cannot be one.
fn code_hash(code: &str) -> Result<String, ApiError> {
    filing::code_hash(code).ok_or(ApiError::Unauthorized)
}

/// A case's page: its public view (a published case in full, an unpublished one only its
/// progress); with the case's tracking code in `X-Tracking-Code`, the owner's view. A code that does not match
/// answers 401 whether or not the case exists, so codes reveal nothing.
#[utoipa::path(get, path = "/cases/{number}", tag = "cases",
    params(("number" = String, Path, description = "The case number, `YYYYMMDD-NNNN`"),
           ("X-Tracking-Code" = Option<String>, Header, description = "The case's tracking code, for the owner's view")),
    responses((status = 200, description = "The case's page: only its progress when unpublished; `owner` only with the right tracking code", body = CaseDetail),
              (status = 400, description = "Not a case number", body = ErrorBody),
              (status = 401, description = "The tracking code does not match", body = ErrorBody),
              (status = 429, description = "Too many wrong codes or tokens from this client; see Retry-After", body = ErrorBody),
              (status = 404, description = "No case has this number", body = ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Json<CaseDetail>, ApiError> {
    let number = parse_number(&number)?;
    let today = clock::cst_date(clock::now());
    if let Some(code) = headers.get(api::TRACKING_CODE_HEADER) {
        return super::guarded(&state, &state.tracking_code_failures, client, async {
            let hash = code_hash(code.to_str().unwrap_or_default())?;
            service::owner_case(state.store.as_ref(), &state.notices, &number, &hash, today)
                .await?
                .map(Json)
                .ok_or(ApiError::Unauthorized)
        })
        .await;
    }
    service::public_case(state.store.as_ref(), &number, today)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

fn citizen_outcome(
    outcome: CitizenOutcome,
    not_allowed: &'static str,
) -> Result<Json<CaseDetail>, ApiError> {
    match outcome {
        CitizenOutcome::Done(detail) => Ok(Json(*detail)),
        CitizenOutcome::NoMatch => Err(ApiError::Unauthorized),
        CitizenOutcome::NotAllowed => Err(ApiError::Conflict(not_allowed)),
    }
}

/// The owner rates the reply, once; the rating closes the case.
#[utoipa::path(post, path = "/cases/{number}/rating", tag = "cases", request_body = NewRating,
    params(("number" = String, Path, description = "The case number")),
    responses((status = 200, description = "Rated and closed; the owner's view", body = CaseDetail),
              (status = 400, description = "Not a case number, or malformed JSON", body = ErrorBody),
              (status = 401, description = "The tracking code does not match", body = ErrorBody),
              (status = 429, description = "Too many wrong codes or tokens from this client; see Retry-After", body = ErrorBody),
              (status = 409, description = "Not replied yet, or already rated", body = ErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ErrorBody),
              (status = 415, description = "Not application/json", body = ErrorBody),
              (status = 422, description = "The rating's fields are not valid", body = ErrorBody)))]
pub async fn rate_case(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    Path(number): Path<String>,
    ApiJson(rating): ApiJson<NewRating>,
) -> Result<Json<CaseDetail>, ApiError> {
    let number = parse_number(&number)?;
    rating.validate().map_err(ApiError::Validation)?;
    let value = rating
        .rating
        .ok_or_else(|| ApiError::Internal("validated rating without a value".into()))?;
    super::guarded(&state, &state.tracking_code_failures, client, async {
        let hash = code_hash(&rating.tracking_code)?;
        let outcome = service::rate(
            state.store.as_ref(),
            &state.notices,
            &number,
            &hash,
            value,
            Some(rating.comment.as_str()),
            clock::now(),
        )
        .await?;
        citizen_outcome(outcome, "Only a replied case can be rated, and only once.")
    })
    .await
}

/// The owner asks for the case to be handled again (追问), after a reply they have not
/// rated or rated dissatisfied; the case goes back to its department with a new deadline.
#[utoipa::path(post, path = "/cases/{number}/follow-ups", tag = "cases", request_body = NewFollowUp,
    params(("number" = String, Path, description = "The case number")),
    responses((status = 200, description = "Reopened; the owner's view", body = CaseDetail),
              (status = 400, description = "Not a case number, or malformed JSON", body = ErrorBody),
              (status = 401, description = "The tracking code does not match", body = ErrorBody),
              (status = 429, description = "Too many wrong codes or tokens from this client; see Retry-After", body = ErrorBody),
              (status = 409, description = "The case cannot be reopened now", body = ErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ErrorBody),
              (status = 415, description = "Not application/json", body = ErrorBody),
              (status = 422, description = "The follow-up's fields are not valid", body = ErrorBody)))]
pub async fn follow_up_case(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    Path(number): Path<String>,
    ApiJson(follow_up): ApiJson<NewFollowUp>,
) -> Result<Json<CaseDetail>, ApiError> {
    let number = parse_number(&number)?;
    follow_up.validate().map_err(ApiError::Validation)?;
    super::guarded(&state, &state.tracking_code_failures, client, async {
        let hash = code_hash(&follow_up.tracking_code)?;
        let outcome = service::follow_up(
            state.store.as_ref(),
            &state.notices,
            &number,
            &hash,
            &follow_up.text,
            clock::now(),
            &state.settings.reply_days,
        )
        .await?;
        citizen_outcome(
            outcome,
            "Only a replied case, or one rated dissatisfied, can be handled again.",
        )
    })
    .await
}

/// The owner stops the texts about their case (`texts: false`; texts not yet sent are
/// dropped) or starts them again; answers the owner's view.
#[utoipa::path(post, path = "/cases/{number}/texts", tag = "cases", request_body = TextsChoice,
    params(("number" = String, Path, description = "The case number")),
    responses((status = 200, description = "Chosen; the owner's view", body = CaseDetail),
              (status = 400, description = "Not a case number, or malformed JSON", body = ErrorBody),
              (status = 401, description = "The tracking code does not match", body = ErrorBody),
              (status = 429, description = "Too many wrong codes or tokens from this client; see Retry-After", body = ErrorBody),
              (status = 409, description = "This server sends no texts", body = ErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ErrorBody),
              (status = 415, description = "Not application/json", body = ErrorBody),
              (status = 422, description = "The choice's fields are not valid", body = ErrorBody)))]
pub async fn choose_texts(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    Path(number): Path<String>,
    ApiJson(choice): ApiJson<TextsChoice>,
) -> Result<Json<CaseDetail>, ApiError> {
    let number = parse_number(&number)?;
    choice.validate().map_err(ApiError::Validation)?;
    let today = clock::cst_date(clock::now());
    super::guarded(&state, &state.tracking_code_failures, client, async {
        let hash = code_hash(&choice.tracking_code)?;
        // Only the owner learns that this server sends no texts.
        if choice.texts && !state.notices.texts {
            return match service::owner_case(
                state.store.as_ref(),
                &state.notices,
                &number,
                &hash,
                today,
            )
            .await?
            {
                Some(_) => Err(ApiError::Conflict("This service sends no text messages.")),
                None => Err(ApiError::Unauthorized),
            };
        }
        if !state.store.set_texts(&number, &hash, choice.texts).await? {
            return Err(ApiError::Unauthorized);
        }
        service::owner_case(state.store.as_ref(), &state.notices, &number, &hash, today)
            .await?
            .map(Json)
            .ok_or(ApiError::Unauthorized)
    })
    .await
}

/// Files a case. Send an `Idempotency-Key` (one per draft): a retry with the same key and
/// body returns the same case and tracking code instead of making a second case.
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = NewCase,
    params(("Idempotency-Key" = Option<String>, Header, description = "One key per draft, 8 to 64 of [A-Za-z0-9_-]")),
    responses((status = 201, description = "Filed (or, for a retried key, filed before)", body = CaseReceipt),
              (status = 400, description = "Malformed JSON or a bad Idempotency-Key", body = ErrorBody),
              (status = 409, description = "The key was used for a different case", body = ErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ErrorBody),
              (status = 415, description = "Not application/json", body = ErrorBody),
              (status = 422, description = "Fields break the contract's rules", body = ErrorBody),
              (status = 429, description = "Too many cases from this client; see Retry-After", body = ErrorBody)))]
pub async fn file_case(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    ApiJson(case): ApiJson<NewCase>,
) -> Result<Response, ApiError> {
    let key = match headers.get(api::IDEMPOTENCY_HEADER) {
        None => None,
        Some(value) => match value.to_str() {
            Ok(key) if api::is_valid_idempotency_key(key) => Some(key.to_owned()),
            _ => {
                let mut fields = FieldErrors::new();
                fields.add("Idempotency-Key", FieldErrorCode::InvalidFormat, None);
                return Err(ApiError::bad_query(fields));
            }
        },
    };
    let valid = ValidCase::parse(&case, &state.meta).map_err(ApiError::Validation)?;
    let filer = service::Filer {
        store: &state.store,
        filing_key: &state.filing_key,
        reply_days: &state.settings.reply_days,
        notices: &state.notices,
        gate: &state.filing_gate,
        limiter: &state.filing_limiter,
    };
    let (receipt, replayed) = match service::file_case(&filer, &case, valid, key, client).await? {
        service::Filed::Created(receipt) => {
            metrics::counter!("civic_filings_total").increment(1);
            (receipt, false)
        }
        service::Filed::Replayed(receipt) => {
            metrics::counter!("civic_filing_replays_total").increment(1);
            (receipt, true)
        }
        service::Filed::Invalid(fields) => return Err(ApiError::Validation(fields)),
        service::Filed::KeyReused => {
            return Err(ApiError::Conflict(
                "This Idempotency-Key was used for a different case.",
            ));
        }
        service::Filed::Limited(wait) => {
            metrics::counter!("civic_rate_limited_total", "limit" => "filing").increment(1);
            return Err(ApiError::RateLimited {
                retry_after: wait,
                message: "Too many cases from this connection; try again after Retry-After seconds.",
            });
        }
    };
    let mut response = (StatusCode::CREATED, Json(receipt)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}
