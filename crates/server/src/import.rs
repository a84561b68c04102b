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
        }])
        .await
        .map_err(|e| e.to_string())?;
    Ok(id)
}
