//! The Civic API contract.
//!
//! Every type that crosses the wire between the Civic app and a Civic backend lives here,
//! together with the limits and the validation rules that both sides apply. The client
//! validates with these functions before it sends; the server validates again with the
//! same functions before it stores. The crate depends on serde alone (and, behind the
//! `openapi` feature, on utoipa), never on leptos, axum or sqlx.
//!
//! Conventions on the wire:
//! - JSON, field names in `snake_case`, enum values in `snake_case`.
//! - Timestamps are RFC 3339 strings in China Standard Time (`2026-11-26T09:30:00+08:00`);
//!   calendar dates are `YYYY-MM-DD`.
//! - Lists are [`Page`]s with an opaque cursor for the next page.
//! - Every 4xx and 5xx answer carries an [`ErrorBody`].

mod cases;
mod documents;
mod error;
mod lifecycle;
pub mod limits;
mod meta;
mod page;
pub mod pii;
mod staff;
mod stats;
mod text;
pub mod validate;

pub use cases::*;
pub use documents::*;
pub use error::*;
pub use lifecycle::*;
pub use meta::*;
pub use page::*;
pub use staff::*;
pub use stats::*;
pub use text::*;

/// The path prefix under which every versioned endpoint lives.
pub const API_PREFIX: &str = "/api/v1";
