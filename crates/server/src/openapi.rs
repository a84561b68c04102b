//! The OpenAPI 3.1 document, generated from the handlers' annotations and the contract's
//! types, served at `/api/openapi.json`. A snapshot test keeps it in review.

use axum::Json;
use utoipa::OpenApi;

use crate::routes;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Civic API",
        description = "The REST API of a city's 12345 governance platform: cases, open government \
            information, announcements and performance statistics. Every 4xx and 5xx answer carries an ErrorBody.",
        license(name = "MIT OR Apache-2.0"),
    ),
    paths(
        routes::healthz,
        routes::readyz,
        routes::meta::meta,
        routes::cases::list_cases,
        routes::cases::similar_cases,
        routes::cases::file_case,
        routes::uploads::upload,
        routes::uploads::case_photo,
        routes::cases::get_case,
        routes::cases::rate_case,
        routes::cases::follow_up_case,
        routes::documents::list_documents,
        routes::documents::get_document,
        routes::documents::get_attachment,
        routes::announcements::list_announcements,
        routes::announcements::get_announcement,
        routes::stats::get_stats,
        routes::staff::act_on_case,
    ),
    components(schemas(api::ErrorBody, api::ErrorCode, api::FieldError, api::FieldErrorCode)),
    tags(
        (name = "meta", description = "The taxonomy forms and filters need"),
        (name = "cases", description = "Residents' cases (诉求)"),
        (name = "documents", description = "Open government information (政府信息公开)"),
        (name = "announcements", description = "Policy announcements (通知公告)"),
        (name = "stats", description = "Public performance statistics"),
        (name = "staff", description = "Moving a case through its life (needs the staff token)"),
        (name = "health", description = "Liveness and readiness, for operators"),
    ),
    modifiers(&StaffTokenScheme)
)]
pub struct ApiDoc;

/// Declares the staff API's bearer token.
struct StaffTokenScheme;

impl utoipa::Modify for StaffTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "staff_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as pretty JSON, as served and as snapshotted.
pub fn document_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_owned())
}

/// `GET /api/openapi.json`.
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
