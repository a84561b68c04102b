//! The records the rules work on and the stores keep: a case as stored, its moves, what
//! filing stored, a staff account. Plain values, no SQL; the stores load and save them
//! (the storage boundary re-exports them), and what is derived from them (the submitter's mask,
//! whether a reply was on time) is derived here, once.

use api::{CaseKind, CaseNumber, CaseStatus};
use time::Date;

/// A case as stored: what the public sees, and apart from it the contact and the hash of
/// the tracking code. Filing, demo data and `civic-server copy` all store cases as these.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    /// `YYYYMMDD-NNNN`.
    pub number: CaseNumber,
    /// The kind.
    pub kind: CaseKind,
    /// A category code (a child).
    pub category: String,
    /// A district code.
    pub district: String,
    /// The place in words.
    pub place: String,
    /// Latitude and longitude, when the resident shared them.
    pub coordinates: Option<(f64, f64)>,
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// The current status.
    pub status: CaseStatus,
    /// The department handling it, once assigned.
    pub department: Option<String>,
    /// Where its publication stands (public only when `Published`).
    pub publication: api::PublicationState,
    /// The submitter's name and phone; `None` for an anonymous hotline case.
    pub contact: Option<(String, String)>,
    /// When it was filed, Unix seconds.
    pub submitted_at: i64,
    /// The reply deadline, once accepted.
    pub deadline: Option<Date>,
    /// The official reply: when, which department, what.
    pub reply: Option<(i64, String, String)>,
    /// Every move, oldest first.
    pub events: Vec<EventRecord>,
    /// The SHA-256 of the tracking code, hex.
    pub tracking_hash: String,
    /// What a case gathers after filing that a copy keeps as it is.
    pub extras: CaseExtras,
}

/// What a stored case carries beyond what filing or demo data make, so that a copy to
/// another store loses nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseExtras {
    /// When and why the deadline was extended.
    pub extension: Option<(i64, String)>,
    /// Whether the reply met its deadline, as decided when it was given; `None` decides it
    /// from the record's deadline (new records).
    pub replied_on_time: Option<bool>,
    /// The comment that came with the rating.
    pub rating_comment: Option<String>,
    /// The uploads the case claimed.
    pub photos: Vec<String>,
    /// The idempotency key it was filed with, its request's hash, and when.
    pub idempotency: Option<(String, String, i64)>,
    /// Why the centre withheld it from publication.
    pub withheld_reason: Option<String>,
    /// What its resident wrote, when it was published redacted (the record's title,
    /// description and place are then the public text).
    pub original: Option<api::PublicText>,
    /// The language its resident filed in.
    pub language: api::ContentLanguage,
    /// Whether its resident gets texts about it.
    pub texts: bool,
}

/// One move of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// When, Unix seconds.
    pub at: i64,
    /// The status moved to.
    pub status: CaseStatus,
    /// The department involved.
    pub department: Option<String>,
    /// A public note.
    pub note: Option<String>,
    /// The resident's rating, when this move is the rating.
    pub rating: Option<api::Rating>,
    /// Whether this move is the resident's follow-up.
    pub follow_up: bool,
    /// The staff action this move was; `None` for the resident's and the system's moves.
    pub action: Option<api::ActionKind>,
    /// The staff account that made it (its name), for the audit trail only.
    pub actor: Option<String>,
}

/// What filing did.
#[derive(Debug, Clone, PartialEq)]
pub enum Filed {
    /// A new case was stored.
    Created(FiledCase),
    /// The key was seen before with the same request: this is the case it made.
    Replayed(FiledCase),
    /// The key was seen before with a different request.
    KeyReused,
    /// A photo id names no upload, or one another case already claimed.
    UnknownPhotos,
}

/// The stored facts a receipt is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct FiledCase {
    /// The number given to the case.
    pub number: CaseNumber,
    /// Its status now.
    pub status: CaseStatus,
    /// When it was filed, Unix seconds.
    pub submitted_at: i64,
    /// Its reply deadline, `YYYY-MM-DD`.
    pub deadline: String,
}

/// A case as a list shows it, as stored (the public text, or for its owner and the staff
/// the title its resident wrote).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseListing {
    /// `YYYYMMDD-NNNN`.
    pub number: CaseNumber,
    /// The kind.
    pub kind: CaseKind,
    /// A category code.
    pub category: String,
    /// A district code.
    pub district: String,
    /// The title.
    pub title: String,
    /// Where it stands.
    pub status: CaseStatus,
    /// The department holding it.
    pub department: Option<String>,
    /// When it was filed, Unix seconds.
    pub submitted_at: i64,
    /// The reply deadline.
    pub deadline: Option<Date>,
    /// When the reply was given, Unix seconds.
    pub replied_at: Option<i64>,
}

/// A case's page as stored: its listing, what the page adds, its moves, and for its owner
/// and the staff what only they see.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFile {
    /// The case as lists show it.
    pub listing: CaseListing,
    /// The place in words.
    pub place: String,
    /// The description.
    pub description: String,
    /// The submitter's masked name (`张**`).
    pub submitter: Option<String>,
    /// The official reply: when, which department, what.
    pub reply: Option<(i64, String, String)>,
    /// Whether the public may read it.
    pub published: bool,
    /// Where its publication stands.
    pub publication: api::PublicationState,
    /// Why the centre withheld it.
    pub withheld_reason: Option<String>,
    /// Whether its resident asked for texts.
    pub texts: bool,
    /// Every move, oldest first.
    pub events: Vec<EventRecord>,
    /// What only its owner (and the staff) see; read only when asked for.
    pub owner: Option<OwnerRecord>,
}

/// What only a case's owner and the staff see of it.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerRecord {
    /// The name and phone; `None` for an anonymous hotline case.
    pub contact: Option<(String, String)>,
    /// The rating, its comment and when it was given.
    pub rating: Option<(api::Rating, Option<String>, i64)>,
}

impl CaseRecord {
    /// The submitter's name as the public may see it (`张**`); `None` for an anonymous case.
    pub fn submitter_mask(&self) -> Option<String> {
        super::filing::submitter_mask(self.contact.as_ref())
    }

    /// Whether the reply met its deadline: as decided when it was given, else (a new
    /// record) by the record's deadline, which is then the one its reply answered.
    pub fn replied_on_time(&self) -> Option<bool> {
        self.extras.replied_on_time.or_else(|| {
            self.reply
                .as_ref()
                .map(|(at, _, _)| super::lifecycle::replied_on_time(*at, self.deadline))
        })
    }
}

/// A staff account as stored; its token is kept only as a hash, and never read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    /// The account's name, unique for ever (accounts are revoked, not deleted).
    pub name: String,
    /// Its role.
    pub role: api::StaffRole,
    /// Its department, for a department's staff.
    pub department: Option<String>,
    /// When it was made, Unix seconds.
    pub created_at: i64,
    /// When it was revoked.
    pub revoked_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(
        contact: Option<(&str, &str)>,
        reply_at: Option<i64>,
        decided: Option<bool>,
    ) -> CaseRecord {
        CaseRecord {
            number: CaseNumber::parse("20261127-0001").unwrap(),
            kind: CaseKind::Complaint,
            category: "noise".into(),
            district: "jinjiang".into(),
            place: "科华北路".into(),
            coordinates: None,
            title: "夜间施工".into(),
            description: "噪音".into(),
            status: CaseStatus::Replied,
            department: None,
            publication: api::PublicationState::Private,
            contact: contact.map(|(name, phone)| (name.into(), phone.into())),
            submitted_at: 1_795_710_600,
            // Friday 4 December 2026.
            deadline: time::Date::from_calendar_date(2026, time::Month::December, 4).ok(),
            reply: reply_at.map(|at| (at, "ecology".into(), "已处理".into())),
            events: Vec::new(),
            tracking_hash: String::new(),
            extras: CaseExtras {
                replied_on_time: decided,
                ..CaseExtras::default()
            },
        }
    }

    #[test]
    fn what_a_record_derives() {
        // 2026-12-03T02:00:00Z is 3 December in Chengdu, before the deadline; a week later after.
        let (before, after) = (1_796_263_200, 1_796_868_000);
        let table = [
            (None, None, None, None),
            (None, Some(before), None, Some(true)),
            (None, Some(after), None, Some(false)),
            // Decided when the reply was given (an extension later or a follow-up's new
            // deadline does not undo it).
            (None, Some(after), Some(true), Some(true)),
            (Some(("张三", "13800138000")), None, None, None),
        ];
        for (i, (contact, reply_at, decided, on_time)) in table.into_iter().enumerate() {
            let record = record(contact, reply_at, decided);
            assert_eq!(record.replied_on_time(), on_time, "row {i}");
            assert_eq!(
                record.submitter_mask().is_some(),
                contact.is_some(),
                "row {i}"
            );
        }
        assert_eq!(
            record(Some(("张三", "13800138000")), None, None)
                .submitter_mask()
                .as_deref(),
            Some("张**")
        );
    }
}
