use api::{CaseKind, CaseStatus, KindTerm, Meta, StatusTerm};
use axum::Json;
use axum::extract::State;

use crate::state::AppState;
use crate::taxonomy::Taxonomy;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default().routes(routes!(meta))
}

/// The hotline every page offers as the alternative to filing online.
pub const HOTLINE: &str = "12345";

/// Builds the meta document from the stored taxonomy and the contract's fixed lists.
pub fn build_meta(taxonomy: &Taxonomy) -> Meta {
    Meta {
        districts: taxonomy.districts.clone(),
        departments: taxonomy.departments.clone(),
        categories: taxonomy.categories.clone(),
        kinds: CaseKind::ALL
            .iter()
            .map(|&code| KindTerm {
                code,
                name: code.name(),
            })
            .collect(),
        statuses: CaseStatus::ALL
            .iter()
            .map(|&code| StatusTerm {
                code,
                name: code.name(),
            })
            .collect(),
        hotline: HOTLINE.to_owned(),
        texts: false,
    }
}

/// The taxonomy every form and filter needs.
#[utoipa::path(get, path = "/meta", tag = "meta",
    responses((status = 200, description = "Districts, departments, categories, kinds and statuses", body = Meta)))]
pub async fn meta(State(state): State<AppState>) -> Json<Meta> {
    Json(state.meta.as_ref().clone())
}
