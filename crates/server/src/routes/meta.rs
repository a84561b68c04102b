use api::Meta;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default().routes(routes!(meta))
}

/// How long a browser keeps the taxonomy before asking again, and how much longer it may
/// show its copy while it asks: it changes only with a new deployment.
const META_CACHE: &str = "public, max-age=600, stale-while-revalidate=86400";

/// The taxonomy every form and filter needs, with a validator: a revisit is a 304.
#[utoipa::path(get, path = "/meta", tag = "meta",
    responses((status = 200, description = "Districts, departments, categories, kinds and statuses", body = Meta),
              (status = 304, description = "Unchanged since the ETag sent in If-None-Match")))]
pub async fn meta(State(state): State<AppState>, headers: HeaderMap) -> Response {
    super::json_with_validator(&headers, state.meta_json.to_vec(), META_CACHE)
}
