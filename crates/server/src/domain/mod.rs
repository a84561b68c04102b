//! The case's rules as plain functions over plain values: no SQL, no HTTP, no clock.
//!
//! Every way a case changes (a staff action, the resident's rating or follow-up, the
//! housekeeper's automatic close) is a function from the case's current [`CaseState`] to a
//! [`Change`] or a [`Refusal`]. A store loads the state inside its transaction, calls the
//! function and saves the change (the storage's `CaseStore::change_case`), so both stores
//! apply the same rules and neither holds one of its own.

pub mod filing;
pub mod lifecycle;
pub mod notify;
pub mod owner;
pub mod publication;
pub mod records;
pub mod staff;

use api::{CaseKind, CaseStatus, IllegalMove, Rating};
use time::Date;

use records::EventRecord;

/// What the rules need to know of a case to decide how it may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    /// What the resident asked for (decides the reply deadline).
    pub kind: CaseKind,
    /// Where the case stands.
    pub status: CaseStatus,
    /// The department holding it.
    pub department: Option<String>,
    /// The reply deadline.
    pub deadline: Option<Date>,
    /// Whether the deadline was already extended (once only).
    pub extended: bool,
    /// When the latest reply was given.
    pub replied_at: Option<i64>,
    /// The resident's rating, once given.
    pub rating: Option<Rating>,
    /// Where its publication stands.
    pub publication: api::PublicationState,
    /// Its resident, as far as telling them of a move needs.
    pub recipient: notify::Recipient,
}

/// How a case changes: its new status, department and deadline, what else is recorded with
/// the move, and the timeline entry. A store writes all of it in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The status after the move.
    pub status: CaseStatus,
    /// The department holding the case after the move.
    pub department: Option<String>,
    /// The reply deadline after the move.
    pub deadline: Option<Date>,
    /// The official reply this move gives.
    pub reply: Option<ReplyRecord>,
    /// The reason, when this move extends the deadline (at the event's instant).
    pub extension: Option<String>,
    /// The resident's rating and comment, when this move is the rating.
    pub rating: Option<(Rating, Option<String>)>,
    /// The centre's review, when this move is one.
    pub publication: Option<PublicationChange>,
    /// The timeline entry.
    pub event: EventRecord,
    /// The messages the move sends (texts, events), written with it into the outbox;
    /// rules leave it empty and [`notify::Notices::for_change`] fills it.
    pub outbox: Vec<notify::Outgoing>,
}

/// What a review decides: the new state, the reason of a withholding, and the public text
/// of a case published redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationChange {
    /// Published or withheld.
    pub state: api::PublicationState,
    /// Why it was withheld.
    pub withheld_reason: Option<String>,
    /// The public title, description and place, when published redacted.
    pub public_text: Option<api::PublicText>,
}

/// An official reply as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRecord {
    /// When, Unix seconds.
    pub at: i64,
    /// The department that replied.
    pub department: String,
    /// What it said.
    pub text: String,
    /// Whether it met the deadline that applied when it was given.
    pub on_time: bool,
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The lifecycle does not allow this staff action now; the allowed ones come with it.
    Illegal(IllegalMove),
    /// This member of staff may not take this action on this case (their role, or a case
    /// their department does not hold).
    Forbidden,
    /// The resident may not do this now (rate twice, follow up before a reply, …), or the
    /// housekeeper found the case no longer due.
    NotAllowed,
}
