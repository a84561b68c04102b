//! `POST /api/v1/uploads`: one photo per request, before filing.

use api::limits::PHOTO_MAX_BYTES;
use api::{ErrorBody, FieldErrorCode, FieldErrors, UploadReceipt};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::multipart::MultipartRejection;

use crate::clock;
use crate::error::ApiError;
use crate::extract::ClientAddress;
use crate::photos::{self, PhotoError};
use crate::state::AppState;
use crate::storage::Upload;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(upload))
        .routes(routes!(case_photo))
        // The photo and the multipart framing around it.
        .layer(DefaultBodyLimit::max(PHOTO_MAX_BYTES + 64 * 1024))
}

fn file_error(code: FieldErrorCode, limit: Option<u64>) -> ApiError {
    let mut fields = FieldErrors::new();
    fields.add("file", code, limit);
    ApiError::Validation(fields)
}

/// Stores one photo, sent as `multipart/form-data` in the field `file`. The bytes decide
/// what it is (JPEG, PNG or WebP), never its name; it is re-encoded as JPEG without EXIF.
#[utoipa::path(post, path = "/uploads", tag = "cases",
    request_body(content_type = "multipart/form-data", description = "One image in the field `file`"),
    responses((status = 201, description = "Stored; list the id in a case's `photos`", body = UploadReceipt),
              (status = 400, description = "Not a readable multipart body, or a part other than one `file`", body = ErrorBody),
              (status = 413, description = "Larger than the contract's photo limit", body = ErrorBody),
              (status = 415, description = "Not multipart/form-data with a boundary", body = ErrorBody),
              (status = 422, description = "No file, or not a complete JPEG, PNG or WebP image", body = ErrorBody),
              (status = 429, description = "Too many photos from this client; see Retry-After", body = ErrorBody),
              (status = 503, description = "Too many photos being decoded at once; see Retry-After", body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<UploadReceipt>), ApiError> {
    // Every upload counts, refused or not: decoding is the cost being limited.
    state
        .upload_limiter
        .reserve(crate::client::limit_key(client), Instant::now())
        .map_err(|wait| {
            metrics::counter!("civic_rate_limited_total", "limit" => "upload").increment(1);
            ApiError::RateLimited {
                retry_after: wait,
                message: "Too many photos from this connection; try again after Retry-After seconds.",
            }
        })?
        .keep();
    let mut multipart = multipart.map_err(|rejection| match rejection {
        MultipartRejection::InvalidBoundary(_) => ApiError::UnsupportedMediaType {
            expected: "multipart/form-data with a boundary",
        },
        _ => ApiError::bad_request("The body is not readable multipart/form-data."),
    })?;
    let mut bytes = None;
    loop {
        let field = multipart.next_field().await.map_err(|error| {
            if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::bad_request("The body is not readable multipart/form-data.")
            }
        })?;
        let Some(field) = field else { break };
        if field.name() != Some("file") || bytes.is_some() {
            return Err(ApiError::bad_request(
                "Send one part, named `file`, holding the image.",
            ));
        }
        {
            let data = field.bytes().await.map_err(|error| {
                if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::bad_request("The file could not be read.")
                }
            })?;
            bytes = Some(data);
        }
    }
    let bytes = bytes.ok_or_else(|| file_error(FieldErrorCode::Required, None))?;
    if bytes.len() > PHOTO_MAX_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    // A decode may take ~180 MB: only so many at once. Over that, wait a moment for a turn,
    // then ask the client to come back.
    let permit = tokio::time::timeout(
        Duration::from_secs(state.settings.photo_decode_wait),
        Arc::clone(&state.photo_decodes).acquire_owned(),
    )
    .await
    .map_err(|_| {
        metrics::counter!("civic_photo_decodes_busy_total").increment(1);
        ApiError::Busy { retry_after: 5 }
    })?
    .map_err(|e| ApiError::Internal(Box::new(e)))?;
    // Decoding is CPU work: keep it off the async workers.
    let processed = tokio::task::spawn_blocking(move || {
        let processed = photos::process(&bytes);
        drop(permit);
        processed
    })
    .await
    .map_err(|e| ApiError::Internal(Box::new(e)))?
    .inspect_err(|_| {
        metrics::counter!("civic_uploads_total", "outcome" => "refused").increment(1);
    })
    .map_err(|error| match error {
        PhotoError::NotAnImage | PhotoError::Corrupt => {
            file_error(FieldErrorCode::InvalidFormat, None)
        }
        PhotoError::TooManyPixels => file_error(
            FieldErrorCode::OutOfRange,
            Some(api::limits::PHOTO_MAX_DECODED_PIXELS),
        ),
    })?;
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).map_err(|e| ApiError::Internal(e.to_string().into()))?;
    let upload = Upload {
        id: crate::hashing::hex(&raw),
        created_at: clock::now(),
        width: processed.width,
        height: processed.height,
        jpeg: processed.jpeg,
    };
    state.store.insert_upload(&upload).await?;
    metrics::counter!("civic_uploads_total", "outcome" => "stored").increment(1);
    Ok((
        StatusCode::CREATED,
        Json(UploadReceipt {
            bytes: upload.jpeg.len() as u64,
            id: upload.id,
            width: upload.width,
            height: upload.height,
        }),
    ))
}

/// A photo of a case, as JPEG, for its owner (the case's tracking code in `X-Tracking-Code`)
/// or the staff (their bearer token): a photo may show a home or a face, so it is never
/// public. A wrong code answers 401 whether or not the case exists; a photo the case does
/// not have, 404.
#[utoipa::path(get, path = "/cases/{number}/photos/{id}", tag = "cases",
    params(("number" = String, Path, description = "The case number, `YYYYMMDD-NNNN`"),
           ("id" = String, Path, description = "The photo's id, from its upload receipt"),
           ("X-Tracking-Code" = Option<String>, Header, description = "The case's tracking code (the owner)")),
    security((), ("staff_token" = [])),
    responses((status = 200, description = "The photo", content_type = "image/jpeg", body = super::documents::FileBytes),
              (status = 400, description = "Not a case number", body = ErrorBody),
              (status = 401, description = "Neither the case's tracking code nor a staff token", body = ErrorBody),
              (status = 429, description = "Too many wrong codes or tokens from this client; see Retry-After", body = ErrorBody),
              (status = 404, description = "The case has no such photo (or, without a tracking code, the staff API is off)", body = ErrorBody)))]
pub async fn case_photo(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path((number, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let number = super::parse_number(&number)?;
    if let Some(code) = headers.get(api::TRACKING_CODE_HEADER) {
        super::guarded(&state, &state.tracking_code_failures, client, async {
            let hash = crate::domain::filing::code_hash(code.to_str().unwrap_or_default())
                .ok_or(ApiError::Unauthorized)?;
            let today = clock::cst_date(clock::now());
            crate::service::owner_case(state.store.as_ref(), &state.notices, &number, &hash, today)
                .await?
                .ok_or(ApiError::Unauthorized)
        })
        .await?;
    } else {
        let actor = super::staff::authenticate(&state, client, &headers).await?;
        let case = state
            .store
            .case_detail(&number, None)
            .await?
            .ok_or(ApiError::NotFound)?;
        if !actor.may_see(case.listing.department.as_deref()) {
            return Err(ApiError::Forbidden);
        }
    }
    if !api::is_valid_upload_id(&id) {
        return Err(ApiError::NotFound);
    }
    let jpeg = state
        .store
        .case_photo(&number, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        jpeg,
    )
        .into_response())
}
