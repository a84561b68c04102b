use api::validate::page_limit;
use api::{
    Document, DocumentListQuery, DocumentSummary, DocumentType, ErrorBody, FieldErrorCode, Page,
    Taxon, Validity,
};
use axum::Json;
use axum::extract::{Path, State};

use super::{bad_cursor, check_code, known, parse_id, search_page, search_query, text_search};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;
use crate::storage::{DocumentCursor, DocumentFilter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(list_documents))
        .routes(routes!(get_document))
        .routes(routes!(get_attachment))
}

fn decode_cursor(text: &str) -> Option<DocumentCursor> {
    let (day, id) = text.split_once('.')?;
    crate::clock::parse_iso_date(day)?;
    Some(DocumentCursor {
        published_on: day.to_owned(),
        id: id.parse().ok()?,
    })
}

/// The catalogue of government documents, newest first; with `q`, best match first.
#[utoipa::path(get, path = "/documents", tag = "documents", params(DocumentListQuery),
    responses((status = 200, description = "A page of documents", body = Page<DocumentSummary>),
              (status = 400, description = "A filter or the cursor is not valid", body = ErrorBody)))]
pub async fn list_documents(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<DocumentListQuery>,
) -> Result<Json<Page<DocumentSummary>>, ApiError> {
    let mut errors = page_limit(query.limit).err().unwrap_or_default();
    let doc_type = check_code(
        &mut errors,
        "doc_type",
        query.doc_type.as_deref(),
        DocumentType::from_code,
    );
    let validity = check_code(
        &mut errors,
        "validity",
        query.validity.as_deref(),
        Validity::from_code,
    );
    let meta = &state.meta;
    let agency = check_code(
        &mut errors,
        "agency",
        query.agency.as_deref(),
        known(meta, Taxon::Department),
    );
    // A topic is a category group: a known category code without a dot.
    let topic = check_code(&mut errors, "topic", query.topic.as_deref(), |code| {
        (!code.contains('.') && known(meta, Taxon::Category)(code).is_some())
            .then(|| code.to_owned())
    });
    if query
        .year
        .is_some_and(|year| !(1949..=2100).contains(&year))
    {
        errors.add("year", FieldErrorCode::OutOfRange, None);
    }
    let search = search_query(&mut errors, query.q.as_deref());
    if !errors.is_empty() {
        return Err(ApiError::bad_query(errors));
    }
    let limit = page_limit(query.limit).map_err(ApiError::bad_query)?;
    let filter = DocumentFilter {
        doc_type,
        validity,
        agency,
        topic,
        year: query.year,
    };
    if let Some(search) = text_search(search, query.cursor.as_deref(), limit)? {
        let found = state.store.search_documents(&search, &filter).await?;
        return Ok(Json(search_page(found, &search, |d| {
            (&d.title, &mut d.highlight)
        })));
    }
    let cursor = match query.cursor.as_deref() {
        Some(text) => Some(decode_cursor(text).ok_or_else(bad_cursor)?),
        None => None,
    };
    let slice = state.store.documents(&filter, cursor, limit).await?;
    Ok(Json(Page {
        items: slice.items,
        next_cursor: slice.next.map(|c| format!("{}.{}", c.published_on, c.id)),
    }))
}

/// A document's page.
#[utoipa::path(get, path = "/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "The document's id")),
    responses((status = 200, description = "The document", body = Document),
              (status = 400, description = "Not an id", body = ErrorBody),
              (status = 404, description = "No such document", body = ErrorBody)))]
pub async fn get_document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Document>, ApiError> {
    let id = parse_id(&id)?;
    state
        .store
        .document(id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// A file's bytes, as the OpenAPI document names them.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);

/// A file that comes with a document, always as a download (never shown as a page of this
/// site), with its name in `Content-Disposition` for both old and new browsers.
#[utoipa::path(get, path = "/documents/{id}/attachments/{position}", tag = "documents",
    params(("id" = i64, Path, description = "The document's id"),
           ("position" = u32, Path, description = "The attachment's position, from 1")),
    responses((status = 200, description = "The file, with its media type (PDF, DOCX, XLSX or CSV)",
               content(
                   (FileBytes = "application/pdf"),
                   (FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                   (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                   (FileBytes = "text/csv"),
               )),
              (status = 400, description = "Not an id or a position", body = ErrorBody),
              (status = 404, description = "No such document or attachment", body = ErrorBody)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    Path((id, position)): Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let id = parse_id(&id)?;
    let position = u32::try_from(parse_id(&position)?).map_err(|_| ApiError::NotFound)?;
    let (name, media_type, bytes) = state
        .store
        .attachment(id, position)
        .await?
        .ok_or(ApiError::NotFound)?;
    // An ASCII fallback name for old browsers, the real one in RFC 5987 form.
    let extension = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("bin");
    let fallback = format!("attachment-{id}-{position}.{extension}");
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}");
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
