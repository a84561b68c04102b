//! Extractors whose rejections speak the contract: a bad query string or JSON body is
//! answered with an [`api::ErrorBody`] that names the field at fault.

use api::{FieldErrorCode, FieldErrors};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Query parameters read into `T`; a value of the wrong type is a 400 naming its parameter.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|error| {
                let field = error.path().to_string();
                let mut fields = FieldErrors::new();
                if field.is_empty() || field == "." {
                    ApiError::bad_request("The query string could not be read.")
                } else {
                    fields.add(&field, FieldErrorCode::InvalidFormat, None);
                    ApiError::bad_query(fields)
                }
            })
    }
}

/// A JSON body read into `T`.
///
/// Malformed JSON or the wrong content type is a 400 or 415; a well-formed body with a
/// missing field or a value of the wrong type is a 422 naming the field, like any other
/// validation failure.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime.eq_ignore_ascii_case("application/json")
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType {
                expected: "application/json",
            });
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::bad_request("The request body could not be read.")
                }
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Reads `bytes` as JSON into `T`, with the contract's errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(value) => {
            deserializer
                .end()
                .map_err(|_| ApiError::bad_request("The body holds more than one JSON value."))?;
            Ok(value)
        }
        Err(error) => {
            let inner = error.inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(ApiError::bad_request("The body is not well-formed JSON."));
            }
            let path = error.path().to_string();
            let message = inner.to_string();
            let mut fields = FieldErrors::new();
            if let Some(missing) = missing_field(&message) {
                let field = if path.is_empty() || path == "." {
                    missing.to_owned()
                } else {
                    format!("{path}.{missing}")
                };
                fields.add(&field, FieldErrorCode::Required, None);
            } else if path.is_empty() || path == "." {
                return Err(ApiError::bad_request(
                    "The body is not a JSON object of the expected shape.",
                ));
            } else {
                fields.add(&path, FieldErrorCode::InvalidFormat, None);
            }
            Err(ApiError::Validation(fields))
        }
    }
}

/// The field named in serde's "missing field `x`" message.
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}

/// The client a request comes from (see [`crate::client`]): the peer, or what a trusted
/// proxy forwarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

impl FromRequestParts<crate::state::AppState> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip())
            .ok_or_else(|| ApiError::Internal("no peer address on the connection".into()))?;
        Ok(Self(crate::client::from_headers(
            peer,
            &parts.headers,
            &state.settings.trusted_proxies,
        )))
    }
}
