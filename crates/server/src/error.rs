//! The one error type of the HTTP layer. Every failure becomes an [`api::ErrorBody`]; an
//! internal failure is logged with its cause and answered with a fixed sentence, so no
//! internal error text ever reaches a client.

use api::{ErrorBody, ErrorCode, FieldErrors};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::storage::StoreError;

/// A failed API request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request could not be read (400), optionally with the fields at fault.
    #[error("bad request: {message}")]
    BadRequest {
        /// What could not be read, for developers.
        message: String,
        /// The fields at fault.
        fields: FieldErrors,
    },
    /// The request breaks the contract's rules (422).
    #[error("validation failed")]
    Validation(FieldErrors),
    /// Nothing public lives here (404).
    #[error("not found")]
    NotFound,
    /// The request conflicts with what is stored (409).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The case's state does not allow this action (409), with what is allowed.
    #[error("illegal move")]
    IllegalMove(api::IllegalMove),
    /// Too many requests from this client (429); retry after this many seconds.
    #[error("rate limited")]
    RateLimited {
        /// Seconds until a retry can succeed.
        retry_after: u64,
        /// What there were too many of, for developers.
        message: &'static str,
    },
    /// The server is doing as much of this as it will at once (503); retry after this many
    /// seconds.
    #[error("busy")]
    Busy {
        /// Seconds until a retry is likely to succeed.
        retry_after: u64,
    },
    /// The staff token is missing or wrong (401).
    #[error("unauthorized")]
    Unauthorized,
    /// The staff member's role or department may not do this (403).
    #[error("forbidden")]
    Forbidden,
    /// The method is not allowed here (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body is too large (413).
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body's media type is not accepted (415).
    #[error("unsupported media type")]
    UnsupportedMediaType {
        /// What to send instead.
        expected: &'static str,
    },
    /// The storage is unreachable (503).
    #[error("storage unavailable: {0}")]
    Unavailable(#[source] StoreError),
    /// Something failed inside the server (500).
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// A 400 for an unreadable request with nothing to pin on one field.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest {
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }

    /// A 400 for query parameters that break the contract's rules.
    pub fn bad_query(fields: FieldErrors) -> Self {
        Self::BadRequest {
            message: "Some query parameters are not valid; see `fields`.".to_owned(),
            fields,
        }
    }

    fn body(&self) -> ErrorBody {
        match self {
            Self::BadRequest { message, fields } => {
                let mut body = fields.clone().into_body();
                body.code = ErrorCode::BadRequest;
                body.message = message.clone();
                body
            }
            Self::Validation(fields) => fields.clone().into_body(),
            Self::NotFound => ErrorBody::new(ErrorCode::NotFound, "Nothing public lives here."),
            Self::Conflict(message) => ErrorBody::new(ErrorCode::Conflict, *message),
            Self::IllegalMove(illegal) => {
                let mut body = ErrorBody::new(
                    ErrorCode::Conflict,
                    format!(
                        "A case that is {} cannot be given `{}`; see `allowed`.",
                        illegal.from.code(),
                        illegal.tried.code()
                    ),
                );
                body.allowed = illegal.allowed.clone();
                body
            }
            Self::RateLimited { message, .. } => ErrorBody::new(ErrorCode::RateLimited, *message),
            Self::Busy { .. } => ErrorBody::new(
                ErrorCode::Unavailable,
                "The server is busy with other photos; try again after Retry-After seconds.",
            ),
            Self::Unauthorized => ErrorBody::new(
                ErrorCode::Unauthorized,
                "Send your tracking code as `X-Tracking-Code`, or a staff token as `Authorization: Bearer <token>`.",
            ),
            Self::Forbidden => ErrorBody::new(
                ErrorCode::Forbidden,
                "Your role, or your department, may not do this to this case.",
            ),
            Self::MethodNotAllowed => ErrorBody::new(
                ErrorCode::MethodNotAllowed,
                "This method is not allowed on this path.",
            ),
            Self::PayloadTooLarge => {
                ErrorBody::new(ErrorCode::PayloadTooLarge, "The request body is too large.")
            }
            Self::UnsupportedMediaType { expected } => ErrorBody::new(
                ErrorCode::UnsupportedMediaType,
                format!("Send the body as {expected}."),
            ),
            Self::Unavailable(_) => ErrorBody::new(
                ErrorCode::Unavailable,
                "The service is briefly unavailable; please try again.",
            ),
            Self::Internal(_) => ErrorBody::new(
                ErrorCode::Internal,
                "Something went wrong on our side; it has been logged.",
            ),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(_) => Self::Unavailable(error),
            other => Self::Internal(Box::new(other)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(_) | Self::Unavailable(_) => {
                tracing::error!(error = ?self, "request failed")
            }
            _ => tracing::debug!(error = %self, "request refused"),
        }
        let mut response = error_response(self.body());
        if let Self::RateLimited { retry_after, .. } | Self::Busy { retry_after } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// The response for an error body: its status, the body as JSON, and no caching.
pub fn error_response(body: ErrorBody) -> Response {
    let status =
        StatusCode::from_u16(body.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let unauthorized = body.code == ErrorCode::Unauthorized;
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if unauthorized {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}
