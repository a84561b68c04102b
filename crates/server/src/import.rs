//! Publishing a document whose body comes as HTML (from an editor or another system): the
//! body is sanitised into plain-text blocks (see [`crate::sanitize`]) and the fields are
//! checked against the taxonomy. `civic-server import-document` calls it.

use api::{ContentLanguage, Document, DocumentSummary, DocumentType, Meta, Taxon, Validity};

use crate::clock;
use crate::storage::Store;

/// A document to publish, as an operator describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDocument {
    /// The title.
    pub title: String,
    /// The document number (文号), if it has one.
    pub number: Option<String>,
    /// The issuing department's code.
    pub agency: String,
    /// The document type's code.
    pub doc_type: String,
    /// The topic: a category group's code.
    pub topic: String,
    /// The day it was issued, `YYYY-MM-DD`.
    pub issued_on: String,
    /// `zh-CN` or `en`.
    pub language: String,
    /// The body, as HTML.
    pub html: String,
    /// Files that come with it: `(name as published, bytes)`.
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// The largest attachment accepted, in bytes.
pub const ATTACHMENT_MAX_BYTES: usize = 20 * 1024 * 1024;

/// The media type of an attachment called `name` holding `bytes`, judged by its bytes as
/// well as its name (a page renamed `.pdf` is refused), or why it is refused.
pub fn attachment_type(name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.is_empty() || bytes.len() > ATTACHMENT_MAX_BYTES {
        return Err(format!("{name}: an attachment must have 1 byte to 20 MiB"));
    }
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 120 || trimmed.contains(['/', '\\']) {
        return Err(format!(
            "{name}: a name must have 1 to 120 characters and no slash"
        ));
    }
    let extension = trimmed
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let (media_type, _) = api::ATTACHMENT_TYPES
        .iter()
        .find(|(_, ext)| *ext == extension)
        .ok_or_else(|| format!("{name}: only PDF, DOCX, XLSX and CSV files are published"))?;
    let looks_right = match extension.as_str() {
        "pdf" => bytes.starts_with(b"%PDF-"),
        // Office files are ZIP containers.
        "docx" | "xlsx" => bytes.starts_with(b"PK\x03\x04"),
        // A table as text: UTF-8 (with or without a byte-order mark), no NUL, no markup.
        _ => std::str::from_utf8(bytes).is_ok_and(|text| {
            let text = text.trim_start_matches('\u{feff}').trim_start();
            !text.contains('\0') && !text.starts_with('<')
        }),
    };
    if looks_right {
        Ok(media_type)
    } else {
        Err(format!("{name}: the content is not a {extension} file"))
    }
}

/// Checks `document`, sanitises its body and stores it; answers its id.
pub async fn import_document(
    store: &dyn Store,
    meta: &Meta,
    document: ImportedDocument,
    now: i64,
) -> Result<i64, String> {
    let title = document.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 200 {
        return Err("the title must have 1 to 200 characters".into());
    }
    if !meta.knows(Taxon::Department, &document.agency) {
        return Err(format!("`{}` is not a department", document.agency));
    }
    let doc_type = DocumentType::from_code(&document.doc_type)
        .ok_or_else(|| format!("`{}` is not a document type", document.doc_type))?;
    if document.topic.contains('.') || !meta.knows(Taxon::Category, &document.topic) {
        return Err(format!("`{}` is not a topic", document.topic));
    }
    let issued = clock::parse_iso_date(&document.issued_on)
        .ok_or_else(|| format!("`{}` is not a YYYY-MM-DD day", document.issued_on))?;
    let language = match document.language.as_str() {
        "zh-CN" => ContentLanguage::ZhCn,
        "en" => ContentLanguage::En,
        other => return Err(format!("`{other}` is not zh-CN or en")),
    };
    let body = crate::sanitize::html_to_blocks(&document.html);
    if body.is_empty() {
        return Err("the body holds no text".into());
    }
    // Every attachment is checked before anything is stored.
    let attachments = document
        .attachments
        .into_iter()
        .map(|(name, bytes)| {
            let media_type = attachment_type(&name, &bytes)?;
            Ok((name, bytes, media_type))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let id = store.next_document_id().await.map_err(|e| e.to_string())?;
    store
        .insert_documents(&[Document {
            summary: DocumentSummary {
                id,
                title,
                number: document.number.filter(|n| !n.trim().is_empty()),
                agency: document.agency,
                doc_type,
                topic: document.topic,
                issued_on: clock::iso_date(issued),
                published_on: clock::iso_date(clock::cst_date(now)),
                validity: Validity::Effective,
                language,
                highlight: None,
            },
            effective_on: None,
            replaced_by: None,
            interprets: None,
            interpretations: Vec::new(),
            replaces: Vec::new(),
            body,
            attachments: Vec::new(),
        }])
        .await
        .map_err(|e| e.to_string())?;
    for (name, bytes, media_type) in attachments {
        store
            .add_attachment(id, name.trim(), media_type, &bytes)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_are_judged_by_their_bytes_as_well_as_their_names() {
        let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
        assert_eq!(attachment_type("附件1.pdf", pdf), Ok("application/pdf"));
        assert_eq!(
            attachment_type("名单.CSV", "姓名,街道\n张三,玉林\n".as_bytes()),
            Ok("text/csv")
        );
        assert!(attachment_type("表.xlsx", b"PK\x03\x04rest").is_ok());
        for (name, bytes) in [
            ("page.pdf", b"<html><script>alert(1)</script>".as_slice()),
            ("page.csv", b"<svg onload=alert(1)>".as_slice()),
            ("evil.html", b"<html>".as_slice()),
            ("noext", b"%PDF-1.4".as_slice()),
            ("../up.pdf", b"%PDF-1.4".as_slice()),
            ("empty.pdf", b"".as_slice()),
            ("nul.csv", b"a,b\0".as_slice()),
            ("word.docx", b"%PDF-1.4".as_slice()),
        ] {
            assert!(attachment_type(name, bytes).is_err(), "{name}");
        }
    }
}
