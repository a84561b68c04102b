//! What the server tells its operators: the log (text for people, JSON for machines), one
//! access-log line per request at INFO, and a request id on every answer and on every line
//! written while handling it.
//!
//! What a request carries that is private never reaches a log: the access line names the
//! route's template (`/api/v1/cases/{number}`), never the path or the query, and no header;
//! `Authorization` and `X-Tracking-Code` are marked sensitive besides, so no debug print of a
//! request shows them.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use tracing::Instrument;

use crate::client::TrustedProxies;

/// The header a request id travels in, both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// How the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// One line of text per event, for people.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Starts the log on standard error: `RUST_LOG` chooses what (default: INFO, and sqlx's
/// warnings), `format` how.
pub fn init(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

/// A request id a client or proxy sent, if it is one we keep: 1 to 64 of
/// `[A-Za-z0-9._-]` (nothing that could forge a log line or carry a secret's length).
pub fn well_formed_request_id(value: &str) -> Option<&str> {
    let ok = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    ok.then_some(value)
}

/// A new request id: 16 random hexadecimal digits.
pub fn new_request_id() -> String {
    let mut raw = [0u8; 8];
    if getrandom::fill(&mut raw).is_err() {
        // No randomness: an id unique within this process is still useful.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        raw = COUNTER
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .to_be_bytes();
    }
    crate::hashing::hex(&raw)
}

/// The access log and the request id, outermost of every layer: keeps a well-formed
/// `X-Request-Id` or makes one, handles the request inside a span that carries it, returns
/// it, and writes one INFO line when the answer's last byte has gone (or the client left).
pub async fn access_log(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .and_then(well_formed_request_id)
        .map_or_else(new_request_id, str::to_owned);
    let header = HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("-"));
    request.headers_mut().insert(REQUEST_ID, header.clone());
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(static)".to_owned(), |p| p.as_str().to_owned());
    let client = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| {
            crate::client::from_headers(info.0.ip(), request.headers(), &trusted).to_string()
        })
        .unwrap_or_default();
    let span = tracing::info_span!("request", request_id = %id);
    let response = next.run(request).instrument(span.clone()).await;
    let (mut parts, body) = response.into_parts();
    parts.headers.insert(REQUEST_ID, header);
    let line = AccessLine {
        span,
        method: method.to_string(),
        route,
        status: parts.status.as_u16(),
        client,
        started,
        bytes: 0,
    };
    Response::from_parts(parts, Body::new(Counted { inner: body, line }))
}

/// What the access line says, written when the body is done with.
struct AccessLine {
    span: tracing::Span,
    method: String,
    route: String,
    status: u16,
    client: String,
    started: Instant,
    bytes: u64,
}

impl Drop for AccessLine {
    fn drop(&mut self) {
        let seconds = self.started.elapsed().as_secs_f64();
        let latency_ms = seconds * 1000.0;
        metrics::counter!(
            "civic_http_requests_total",
            "method" => self.method.clone(),
            "route" => self.route.clone(),
            "status" => self.status.to_string()
        )
        .increment(1);
        metrics::histogram!("civic_http_request_duration_seconds", "route" => self.route.clone())
            .record(seconds);
        self.span.in_scope(|| {
            tracing::info!(
                target: "civic_server::access",
                method = %self.method,
                route = %self.route,
                status = self.status,
                latency_ms = (latency_ms * 10.0).round() / 10.0,
                bytes = self.bytes,
                client = %self.client,
                "request"
            );
        });
    }
}

/// A response body that counts the bytes it sends.
struct Counted {
    inner: Body,
    line: AccessLine,
}

impl HttpBody for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled
            && let Some(data) = frame.data_ref()
        {
            self.line.bytes += data.len() as u64;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_request_ids_are_kept() {
        for (value, kept) in [
            ("4bf92f3577b34da6", true),
            ("req-2026.11.27_0001", true),
            (&"a".repeat(64) as &str, true),
            (&"a".repeat(65) as &str, false),
            ("", false),
            ("has space", false),
            ("line\nbreak", false),
            ("{\"json\":1}", false),
            ("编号", false),
        ] {
            assert_eq!(well_formed_request_id(value).is_some(), kept, "{value:?}");
        }
        let made = new_request_id();
        assert_eq!(made.len(), 16);
        assert!(well_formed_request_id(&made).is_some());
        assert_ne!(made, new_request_id());
    }
}
