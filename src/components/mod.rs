//! Presentational parts: they receive data and callbacks and never fetch.

pub mod blocks;
pub mod cards;
pub mod charts;
pub mod form;
pub mod layout;
pub mod state;

use api::{CaseKind, CaseStatus, Meta, Taxon};

use crate::i18n::Strings;

/// The name of a district, department or category in the language `tag`; the code itself
/// while the taxonomy loads or when it does not know the code.
pub fn taxon_name(meta: &Option<Meta>, taxon: Taxon, code: &str, tag: &str) -> String {
    meta.as_ref()
        .and_then(|m| m.name(taxon, code))
        .map(|name| name.get(tag).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// The name of a case kind in the current language.
pub fn kind_name(t: &'static Strings, kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Consultation => t.kind_consultation,
        CaseKind::Suggestion => t.kind_suggestion,
        CaseKind::Complaint => t.kind_complaint,
        CaseKind::Help => t.kind_help,
        CaseKind::Report => t.kind_report,
        CaseKind::Praise => t.kind_praise,
    }
}

/// The name of a case status in the current language.
pub fn status_name(t: &'static Strings, status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Submitted => t.status_submitted,
        CaseStatus::Accepted => t.status_accepted,
        CaseStatus::Rejected => t.status_rejected,
        CaseStatus::Assigned => t.status_assigned,
        CaseStatus::InProgress => t.status_in_progress,
        CaseStatus::Replied => t.status_replied,
        CaseStatus::Closed => t.status_closed,
    }
}
