//! Atom feeds of the newest announcements and documents (`/feeds/announcements.atom`,
//! `/feeds/documents.atom`), so a municipal portal can syndicate them. Links are relative:
//! a reader resolves them against the feed's own address, whichever host serves it.

use api::{AnnouncementSummary, DocumentSummary, Meta, Taxon, Validity};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::clock;
use crate::error::ApiError;
use crate::state::AppState;

/// How many entries a feed carries.
pub const FEED_ENTRIES: u32 = 50;

const SITE: &str = "成都市网络理政平台 Chengdu 12345";

/// One entry of a feed, before it is written as XML.
struct Entry {
    id: String,
    title: String,
    link: String,
    updated: String,
    author: String,
    summary: String,
    language: &'static str,
}

/// Escapes text for XML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn write_feed(kind: &str, title: &str, entries: &[Entry]) -> String {
    let updated = entries
        .iter()
        .map(|e| e.updated.as_str())
        .max()
        .map(str::to_owned)
        .unwrap_or_else(|| clock::rfc3339(0));
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n\
         <id>urn:civic:feed:{kind}</id>\n\
         <title>{}</title>\n\
         <updated>{updated}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"/feeds/{kind}.atom\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"/{kind}\"/>\n\
         <author><name>{}</name></author>\n",
        escape(title),
        escape(SITE),
    );
    for e in entries {
        xml.push_str(&format!(
            "<entry xml:lang=\"{}\">\n<id>{}</id>\n<title>{}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <updated>{}</updated>\n<published>{}</published>\n\
             <author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            e.language,
            escape(&e.id),
            escape(&e.title),
            escape(&e.link),
            e.updated,
            e.updated,
            escape(&e.author),
            escape(&e.summary),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

fn agency_name(meta: &Meta, code: &str) -> String {
    meta.name(Taxon::Department, code)
        .map(|n| n.zh.clone())
        .unwrap_or_else(|| code.to_owned())
}

fn announcement_entry(meta: &Meta, a: &AnnouncementSummary) -> Entry {
    let author = agency_name(meta, &a.agency);
    Entry {
        id: format!("urn:civic:announcement:{}", a.id),
        title: a.title.clone(),
        link: format!("/announcements/{}", a.id),
        updated: a.published_at.clone(),
        summary: format!("{author} · {}", &a.published_at[..10]),
        author,
        language: a.language.tag(),
    }
}

fn document_entry(meta: &Meta, d: &DocumentSummary) -> Entry {
    let author = agency_name(meta, &d.agency);
    let mut summary = author.clone();
    if let Some(number) = &d.number {
        summary.push_str(" · ");
        summary.push_str(number);
    }
    summary.push_str(" · ");
    summary.push_str(match d.validity {
        Validity::Effective => "有效 in force",
        Validity::Amended => "已修订 amended",
        Validity::Repealed => "已废止 repealed",
    });
    Entry {
        id: format!("urn:civic:document:{}", d.id),
        title: d.title.clone(),
        link: format!("/documents/{}", d.id),
        updated: format!("{}T00:00:00+08:00", d.published_on),
        summary,
        author,
        language: d.language.tag(),
    }
}

fn atom(xml: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        xml,
    )
        .into_response()
}

/// `GET /feeds/announcements.atom`: the newest announcements, newest first.
pub async fn announcements(State(state): State<AppState>) -> Result<Response, ApiError> {
    let mut items = state.store.announcements(None, FEED_ENTRIES).await?.items;
    // A feed is in time order; pinning is the web page's business.
    items.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
    let entries: Vec<Entry> = items
        .iter()
        .map(|a| announcement_entry(&state.meta, a))
        .collect();
    Ok(atom(write_feed(
        "announcements",
        "通知公告 Announcements",
        &entries,
    )))
}

/// `GET /feeds/documents.atom`: the newest published documents, newest first.
pub async fn documents(State(state): State<AppState>) -> Result<Response, ApiError> {
    let items = state
        .store
        .documents(&Default::default(), None, FEED_ENTRIES)
        .await?
        .items;
    let entries: Vec<Entry> = items
        .iter()
        .map(|d| document_entry(&state.meta, d))
        .collect();
    Ok(atom(write_feed(
        "documents",
        "政府信息公开 Open government information",
        &entries,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            escape("<a href=\"x\">R&D's</a>\u{1}\n"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&apos;s&lt;/a&gt;\n"
        );
    }
}
