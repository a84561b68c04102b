use serde::{Deserialize, Serialize};

use crate::ContentLanguage;

/// The kind of a government document (文件类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// Local regulations and government rules (法规规章).
    Regulation,
    /// Normative documents (规范性文件).
    Normative,
    /// Plans (规划计划).
    Plan,
    /// Work reports and statistics (工作报告).
    Report,
    /// Notices and circulars (通知).
    Notice,
    /// A policy interpretation (政策解读), which explains another document.
    Interpretation,
}

impl DocumentType {
    /// Every type, in the order filters offer them.
    pub const ALL: [DocumentType; 6] = [
        Self::Regulation,
        Self::Normative,
        Self::Plan,
        Self::Report,
        Self::Notice,
        Self::Interpretation,
    ];

    /// The stable code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::Regulation => "regulation",
            Self::Normative => "normative",
            Self::Plan => "plan",
            Self::Report => "report",
            Self::Notice => "notice",
            Self::Interpretation => "interpretation",
        }
    }

    /// The type with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Whether a document is still in force (有效性).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// In force (有效).
    Effective,
    /// In force as amended by a later document (已修改).
    Amended,
    /// No longer in force (已废止).
    Repealed,
}

impl Validity {
    /// Every validity, in the order filters offer them.
    pub const ALL: [Validity; 3] = [Self::Effective, Self::Amended, Self::Repealed];

    /// The stable code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::Effective => "effective",
            Self::Amended => "amended",
            Self::Repealed => "repealed",
        }
    }

    /// The validity with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// One block of a document's or an announcement's body.
///
/// Bodies are structured data, not HTML: every block holds plain text, so nothing in a body
/// can run script or load a resource, whatever the store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A section heading.
    Heading {
        /// The heading's text.
        text: String,
    },
    /// A paragraph, whose stretches may link elsewhere.
    Paragraph {
        /// The paragraph's text.
        text: String,
        /// Stretches of the text that are links, in order and not overlapping; only
        /// addresses [`safe_href`] accepts are stored, and clients check again.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        links: Vec<Link>,
    },
    /// A list of items.
    List {
        /// Whether the items are numbered.
        ordered: bool,
        /// The items' text.
        items: Vec<String>,
    },
    /// A table of plain-text cells.
    Table {
        /// The header row's cells; empty when the table has none.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        head: Vec<String>,
        /// The body rows, each a list of cells.
        rows: Vec<Vec<String>>,
    },
}

impl Block {
    /// A paragraph of plain text, without links.
    pub fn paragraph(text: impl Into<String>) -> Self {
        Self::Paragraph {
            text: text.into(),
            links: Vec::new(),
        }
    }
}

/// A link in a paragraph: the stretch of its text (in characters, end exclusive) and where
/// it leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    /// The first character of the linked text.
    pub start: u32,
    /// One past its last character.
    pub end: u32,
    /// Where it leads: an `https:`, `http:` or `mailto:` address, or a path on this site.
    pub href: String,
}

/// `href` if a body may link to it: an `http:`, `https:` or `mailto:` address or a path on
/// this site (`/…`, not `//…`), with no control characters or spaces anywhere; `None` for
/// anything else (`javascript:`, `data:`, `vbscript:`, relative or protocol-relative
/// addresses). The server keeps only such links, and clients check again before rendering.
pub fn safe_href(href: &str) -> Option<&str> {
    let href = href.trim();
    if href.is_empty()
        || href
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    let allowed = ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
        || (href.starts_with('/') && !href.starts_with("//"));
    allowed.then_some(href)
}

/// A government document as the catalogue lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentSummary {
    /// The document's id.
    pub id: i64,
    /// The title.
    pub title: String,
    /// The document number (文号), for example `成府发〔2026〕12号`; absent for some types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The code of the issuing department (see [`crate::Meta::departments`]).
    pub agency: String,
    /// The kind of document.
    pub doc_type: DocumentType,
    /// The topic, for example `housing`.
    pub topic: String,
    /// The day it was issued (`YYYY-MM-DD`).
    pub issued_on: String,
    /// The day it was published (`YYYY-MM-DD`).
    pub published_on: String,
    /// Whether it is still in force.
    pub validity: Validity,
    /// The language it is written in.
    pub language: ContentLanguage,
    /// Where a search's terms occur, when the list answered a search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highlight: Option<Highlight>,
}

/// Where a search's terms occur in a result, so a list can mark them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Highlight {
    /// The matched stretches of the title.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title: Vec<Span>,
    /// A stretch of the body around its first match (whole when short), as plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// The matched stretches of the excerpt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excerpt_marks: Vec<Span>,
}

/// A stretch of text, counted in characters (Unicode scalar values) from 0, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    /// The first character.
    pub start: u32,
    /// One past the last character.
    pub end: u32,
}

/// The query of `GET /api/v1/announcements`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AnnouncementListQuery {
    /// Words to find in the title or body (as for documents); results then come best match
    /// first, with a [`Highlight`], and pinning does not apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Items per page (1 to 50, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// A government document's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    /// What the catalogue shows.
    pub summary: DocumentSummary,
    /// The day it came into force (`YYYY-MM-DD`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_on: Option<String>,
    /// The id of the document that amended or repealed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<i64>,
    /// For an interpretation: the id of the document it explains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interprets: Option<i64>,
    /// The ids of the interpretations (政策解读) that explain this document, oldest first:
    /// the other direction of [`Document::interprets`]. Filled by the server; ignored on input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interpretations: Vec<i64>,
    /// The ids of the documents this one amended or repealed: the other direction of
    /// [`Document::replaced_by`]. Filled by the server; ignored on input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<i64>,
    /// The body.
    pub body: Vec<Block>,
    /// The files that come with it (附件), in order. Filled by the server; ignored on input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

/// A file that comes with a document (附件): a PDF, a Word or Excel file, or a CSV table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    /// The file's name as published (`附件1：申请表.docx`).
    pub name: String,
    /// Its media type (`application/pdf`, …), one of [`ATTACHMENT_TYPES`].
    pub media_type: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Where to download it: `/api/v1/documents/{id}/attachments/{n}`.
    pub url: String,
}

/// The kinds of file a document may carry: `(media type, file extension)`. Nothing that a
/// browser would run or render as a page (no HTML, SVG or script) is ever accepted.
pub const ATTACHMENT_TYPES: [(&str, &str); 4] = [
    ("application/pdf", "pdf"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    ("text/csv", "csv"),
];

/// The filters of `GET /api/v1/documents`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DocumentListQuery {
    /// Words to find in the title or body, in Chinese or English; two-character and longer
    /// Chinese terms match inside longer text. With `q`, results come best match first
    /// (an exact title match before all others) and carry a [`Highlight`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// A topic: the code of a case-category group (`housing`, `transport`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// The year the document was issued (1949 to 2100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1949, maximum = 2100))]
    pub year: Option<i32>,
    /// A document type code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<DocumentType>))]
    pub doc_type: Option<String>,
    /// A validity code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<Validity>))]
    pub validity: Option<String>,
    /// An issuing department's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// Items per page (1 to 50, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// A policy announcement (通知公告) as lists show it: pinned first, then newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnouncementSummary {
    /// The announcement's id.
    pub id: i64,
    /// The title.
    pub title: String,
    /// The code of the department that published it.
    pub agency: String,
    /// When it was published.
    pub published_at: String,
    /// Whether it stays at the top of lists.
    pub pinned: bool,
    /// The language it is written in.
    pub language: ContentLanguage,
    /// Where a search's terms occur, when the list answered a search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highlight: Option<Highlight>,
}

/// An announcement's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    /// What lists show.
    pub summary: AnnouncementSummary,
    /// The body.
    pub body: Vec<Block>,
}
