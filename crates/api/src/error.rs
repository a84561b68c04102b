use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The body of every 4xx and 5xx answer under `/api`.
///
/// `code` says what went wrong in a way a program can act on; `message` says it in plain
/// English for a developer reading logs (clients show their own localised text, chosen by
/// `code` and by each field error's `code`); `fields` maps a field name to what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, in words, for developers. Never holds internal error text.
    pub message: String,
    /// Per-field errors, keyed by the field's name in the request (`title`, `contact.phone`, `limit`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Vec<FieldError>>,
    /// For a `conflict` over a case's state: the actions that are allowed instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<crate::ActionKind>,
}

impl ErrorBody {
    /// An error body without field errors.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: BTreeMap::new(),
            allowed: Vec::new(),
        }
    }
}

/// The kinds of failure an API answer can report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request could not be read: malformed JSON, a bad query string, a wrong content type (400).
    BadRequest,
    /// The request was read but some fields break the contract's rules; see `fields` (422).
    ValidationFailed,
    /// The staff token is missing or wrong (401).
    Unauthorized,
    /// The staff member's role or department may not do this (403).
    Forbidden,
    /// Nothing lives at this path, or the resource does not exist or is not public (404).
    NotFound,
    /// The method is not allowed on this path (405).
    MethodNotAllowed,
    /// The request conflicts with the resource's current state (409).
    Conflict,
    /// The body is larger than the endpoint accepts (413).
    PayloadTooLarge,
    /// The body's media type is not one the endpoint accepts (415).
    UnsupportedMediaType,
    /// Too many requests from this client; retry after the `Retry-After` header (429).
    RateLimited,
    /// The server failed; the details are in its log, never in the answer (500).
    Internal,
    /// The server cannot answer right now, for example while its database is unavailable (503).
    Unavailable,
}

impl ErrorCode {
    /// The HTTP status code this error is answered with.
    pub fn http_status(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::ValidationFailed => 422,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::RateLimited => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }
}

/// One thing wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// What is wrong, for programs and for choosing a localised message.
    pub code: FieldErrorCode,
    /// The limit that was broken, when there is one (a length, a count, a page size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

/// The kinds of field error. Clients translate each into a sentence in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldErrorCode {
    /// The field is missing or blank.
    Required,
    /// The text is shorter than `limit` characters.
    TooShort,
    /// The text is longer than `limit` characters.
    TooLong,
    /// The list has more than `limit` entries.
    TooMany,
    /// The number is outside the allowed range (`limit` is the bound that was crossed).
    OutOfRange,
    /// The value does not have the required form (a mobile number, a case number, a cursor).
    InvalidFormat,
    /// The code does not name a known district, category, department, kind or status.
    UnknownCode,
    /// The value must be accepted (the privacy notice).
    MustAccept,
}

impl fmt::Display for FieldErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Self::Required => "is required",
            Self::TooShort => "is too short",
            Self::TooLong => "is too long",
            Self::TooMany => "has too many entries",
            Self::OutOfRange => "is out of range",
            Self::InvalidFormat => "has an invalid format",
            Self::UnknownCode => "is not a known code",
            Self::MustAccept => "must be accepted",
        };
        f.write_str(text)
    }
}

/// Field errors gathered while validating one request, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, Vec<FieldError>>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `field` broke `code`, with the limit it broke if any.
    pub fn add(&mut self, field: &str, code: FieldErrorCode, limit: Option<u64>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(FieldError { code, limit });
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors recorded for `field`.
    pub fn get(&self, field: &str) -> &[FieldError] {
        self.0.get(field).map(Vec::as_slice).unwrap_or_default()
    }

    /// `Ok(())` when nothing was recorded, the errors otherwise.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The error body a server answers with (`validation_failed`, 422).
    pub fn into_body(self) -> ErrorBody {
        ErrorBody {
            code: ErrorCode::ValidationFailed,
            message: "Some fields are not valid; see `fields`.".to_owned(),
            fields: self.0,
            allowed: Vec::new(),
        }
    }

    /// The field names that have errors, in order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

impl From<BTreeMap<String, Vec<FieldError>>> for FieldErrors {
    /// The field errors of an [`ErrorBody`], as a client reads them back.
    fn from(fields: BTreeMap<String, Vec<FieldError>>) -> Self {
        Self(fields)
    }
}

impl From<FieldErrors> for ErrorBody {
    fn from(errors: FieldErrors) -> Self {
        errors.into_body()
    }
}
