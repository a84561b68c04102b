//! The OpenAPI 3.1 document, generated from the handlers' annotations and the contract's
//! types through the routers themselves (`utoipa_axum`), served at `/api/openapi.json`. A
//! snapshot test keeps it in review.

use std::sync::OnceLock;

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

/// The document: [`ApiDoc`]'s description, tags and security schemes, with the paths and
/// schemas of the very routers the server runs (`routes::api_v1`, `routes::operations`).
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let (_, api) = routes::api_v1().split_for_parts();
        let (_, operations) = routes::operations().split_for_parts();
        ApiDoc::openapi()
            .nest(api::API_PREFIX, api)
            .merge_from(operations)
    })
}

/// The document as pretty JSON, as served and as snapshotted.
pub fn document_json() -> String {
    document()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_owned())
}

/// `GET /api/openapi.json`.
pub async fn serve() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(document())
}
