use api::validate::page_limit;
use api::{Announcement, AnnouncementListQuery, AnnouncementSummary, ErrorBody, Page};
use axum::Json;
use axum::extract::{Path, State};

use super::{bad_cursor, parse_id, search_page, search_query, text_search};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;
use crate::storage::AnnouncementCursor;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(list_announcements))
        .routes(routes!(get_announcement))
}

fn decode_cursor(text: &str) -> Option<AnnouncementCursor> {
    let mut parts = text.split('.');
    let pinned = match parts.next()? {
        "1" => true,
        "0" => false,
        _ => return None,
    };
    let published_at = parts.next()?.parse().ok()?;
    let id = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some(AnnouncementCursor {
        pinned,
        published_at,
        id,
    })
}

/// Announcements: pinned first, then newest first; with `q`, best match first.
#[utoipa::path(get, path = "/announcements", tag = "announcements", params(AnnouncementListQuery),
    responses((status = 200, description = "A page of announcements", body = Page<AnnouncementSummary>),
              (status = 400, description = "The limit or the cursor is not valid", body = ErrorBody)))]
pub async fn list_announcements(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AnnouncementListQuery>,
) -> Result<Json<Page<AnnouncementSummary>>, ApiError> {
    let mut errors = page_limit(query.limit).err().unwrap_or_default();
    let search = search_query(&mut errors, query.q.as_deref());
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }
    let limit = page_limit(query.limit).map_err(ApiError::bad_query)?;
    if let Some(search) = text_search(search, query.cursor.as_deref(), limit)? {
        let found = state.store.search_announcements(&search).await?;
        return Ok(Json(search_page(found, &search, |a| {
            (&a.title, &mut a.highlight)
        })));
    }
    let cursor = match query.cursor.as_deref() {
        Some(text) => Some(decode_cursor(text).ok_or_else(bad_cursor)?),
        None => None,
    };
    let slice = state.store.announcements(cursor, limit).await?;
    Ok(Json(Page {
        items: slice.items,
        next_cursor: slice
            .next
            .map(|c| format!("{}.{}.{}", u8::from(c.pinned), c.published_at, c.id)),
    }))
}

/// An announcement's page.
#[utoipa::path(get, path = "/announcements/{id}", tag = "announcements",
    params(("id" = i64, Path, description = "The announcement's id")),
    responses((status = 200, description = "The announcement", body = Announcement),
              (status = 400, description = "Not an id", body = ErrorBody),
              (status = 404, description = "No such announcement", body = ErrorBody)))]
pub async fn get_announcement(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Announcement>, ApiError> {
    let id = parse_id(&id)?;
    state
        .store
        .announcement(id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
