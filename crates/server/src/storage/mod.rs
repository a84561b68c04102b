//! The storage boundary. Handlers speak to a [`Store`]; [`SqliteStore`] is the embedded
//! implementation, and a PostgreSQL one can fill the same trait for a city-wide deployment.
//! The trait's types are plain Rust values, never SQL.

mod sqlite;

use api::{
    Announcement, AnnouncementSummary, CaseDetail, CaseKind, CaseNumber, CaseStatus, CaseSummary,
    Document, DocumentSummary, DocumentType, Validity,
};
use async_trait::async_trait;
use time::Date;

pub use sqlite::{AUTO_CLOSE_NOTE, SqliteStore};

use crate::taxonomy::Taxonomy;

/// A storage failure. Its text is for logs only.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or is busy beyond the timeout.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database answered with an error.
    #[error("database error: {0}")]
    Database(String),
    /// Stored data does not have the shape the code expects.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// Applying the schema migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
}

/// Which published cases a list shows. Codes have been checked against the taxonomy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Only cases in this district.
    pub district: Option<String>,
    /// Only cases in this category, or in any child of this group.
    pub category: Option<String>,
    /// Only cases of this kind.
    pub kind: Option<CaseKind>,
    /// Only cases with this status.
    pub status: Option<CaseStatus>,
    /// Only cases handled by this department.
    pub department: Option<String>,
    /// Only cases whose title, description or place hold every term of this FTS5 match
    /// expression (see `crate::search`).
    pub text: Option<String>,
    /// Only cases filed at or after this instant (Unix seconds).
    pub filed_from: Option<i64>,
    /// Only cases filed before this instant (Unix seconds).
    pub filed_before: Option<i64>,
    /// The order, and with it what the cursor means.
    pub sort: CaseSort,
}

/// The orders of the case board.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseSort {
    /// Newest filed first, by `(submitted_at, id)`.
    #[default]
    Newest,
    /// Most recently replied first, by `(replied_at, id)`; only replied cases.
    Replied,
}

/// Where a list of cases continues: after the case whose sort key (`submitted_at` or
/// `replied_at`, by the list's order) is `key`, with row id `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseCursor {
    /// The last case's sort key, in Unix seconds.
    pub key: i64,
    /// Its row id, which breaks ties.
    pub id: i64,
}

/// Which documents the catalogue shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    /// Only documents of this type.
    pub doc_type: Option<DocumentType>,
    /// Only documents with this validity.
    pub validity: Option<Validity>,
    /// Only documents issued by this department.
    pub agency: Option<String>,
    /// Only documents on this topic (a category group's code).
    pub topic: Option<String>,
    /// Only documents issued in this year.
    pub year: Option<i32>,
}

/// A text search of documents or announcements, one page of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSearch {
    /// The query as typed (trimmed): a title equal to it comes first.
    pub text: String,
    /// Its FTS5 MATCH expression (see [`crate::search::match_expression`]).
    pub expression: String,
    /// How many results earlier pages showed.
    pub offset: u32,
    /// Results on this page.
    pub limit: u32,
}

/// One page of search results: each with its body (for the highlight), and whether more follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    /// The results, best first.
    pub items: Vec<(T, Vec<api::Block>)>,
    /// Whether another page follows.
    pub more: bool,
}

/// Where the catalogue continues: after the document published on `published_on` with `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentCursor {
    /// The last document's publication day, `YYYY-MM-DD`.
    pub published_on: String,
    /// Its id.
    pub id: i64,
}

/// Where the announcements continue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnouncementCursor {
    /// Whether the last announcement shown was pinned.
    pub pinned: bool,
    /// When it was published, in Unix seconds.
    pub published_at: i64,
    /// Its id.
    pub id: i64,
}

/// A page as a store returns it: the items, and where the next page starts when more follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice<T, C> {
    /// At most the limit asked for.
    pub items: Vec<T>,
    /// The position after the last item, when at least one more item follows.
    pub next: Option<C>,
}

/// Counts of cases, as the statistics keep them per filing day or month, district and
/// department (see `migrations/0009_stats.sql` and `crate::stats` for the definitions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Filed.
    pub received: u64,
    /// Accepted.
    pub accepted: u64,
    /// Replied.
    pub replied: u64,
    /// Closed.
    pub closed: u64,
    /// Replied by the deadline.
    pub on_time: u64,
    /// Rated.
    pub rated: u64,
    /// Rated satisfied or basically satisfied.
    pub satisfied: u64,
    /// Reopened by a follow-up.
    pub reopened: u64,
    /// Working days from filing to reply, summed over the replies.
    pub reply_days_sum: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        self.received += other.received;
        self.accepted += other.accepted;
        self.replied += other.replied;
        self.closed += other.closed;
        self.on_time += other.on_time;
        self.rated += other.rated;
        self.satisfied += other.satisfied;
        self.reopened += other.reopened;
        self.reply_days_sum += other.reply_days_sum;
    }
}

/// The count buckets a period covers: a range of whole months (`YYYY-MM`, inclusive) and
/// ranges of single days (`YYYY-MM-DD`, inclusive) at its ragged ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Buckets {
    /// The first and last whole month.
    pub months: Option<(String, String)>,
    /// Day ranges outside those months.
    pub days: Vec<(String, String)>,
}

/// The counts of a period, by district and department, and the replies by working days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodCounts {
    /// `(district, department, counts)`; the department is `""` for cases no department holds.
    pub rows: Vec<(String, String, Counts)>,
    /// `(working days, replies)`, fewest days first.
    pub reply_days: Vec<(u32, u64)>,
}

/// A case as stored: what the public sees, and apart from it the contact and the hash of
/// the tracking code. This is the import format of demo data and, later, of filing.
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
    /// Whether the submitter agreed to publish it.
    pub published: bool,
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
}

/// What a resident's rating or follow-up did.
#[derive(Debug, Clone, PartialEq)]
pub enum CitizenOutcome {
    /// Done; the case as its owner now sees it.
    Done(Box<CaseDetail>),
    /// No case has this number and tracking code.
    NoMatch,
    /// The case's state does not allow it (already rated, not replied yet, …).
    NotAllowed,
}

/// A validated case to file, with what the server decided about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Filing {
    /// The case as submitted, already validated.
    pub case: api::NewCase,
    /// When it was received, Unix seconds.
    pub submitted_at: i64,
    /// The reply deadline from the kind's rule.
    pub deadline: Date,
    /// The SHA-256 of the tracking code, hex.
    pub tracking_hash: String,
    /// The idempotency key and the hash of the request body it came with.
    pub idempotency: Option<(String, String)>,
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

/// What applying a staff action did.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// The case moved; this is where it stands now.
    Done(api::StaffActionResult),
    /// No case has this number.
    NotFound,
    /// The lifecycle does not allow this action now.
    Illegal(api::IllegalMove),
}

/// Everything the API needs from storage.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Installs `taxonomy` when the database has none yet; leaves an existing one alone.
    async fn install_taxonomy(&self, taxonomy: &Taxonomy) -> Result<(), StoreError>;

    /// The taxonomy as stored.
    async fn taxonomy(&self) -> Result<Taxonomy, StoreError>;

    /// The server's secret called `name`, created from `fresh` on first use.
    async fn secret(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError>;

    /// Files a case: gives it the next number of its filing day, stores it with its contact
    /// apart and its first timeline entry, durably, in one transaction, or returns the case
    /// an earlier request with the same idempotency key made.
    async fn file_case(&self, filing: &Filing) -> Result<Filed, StoreError>;

    /// Applies a staff action at the instant `at`, with the timeline entry it makes, in one
    /// transaction; the lifecycle rules of `crates/api` decide whether it is allowed.
    async fn apply_action(
        &self,
        number: &CaseNumber,
        action: &api::StaffAction,
        at: i64,
    ) -> Result<Applied, StoreError>;

    /// Closes the replied cases whose reply, given before `replied_before`, was never rated,
    /// at the instant `at`; returns their numbers.
    async fn auto_close(&self, replied_before: i64, at: i64)
    -> Result<Vec<CaseNumber>, StoreError>;

    /// Records an uploaded photo, stored at `uploads/<id>.jpg`.
    async fn insert_upload(
        &self,
        id: &str,
        created_at: i64,
        width: u32,
        height: u32,
        bytes: u64,
    ) -> Result<(), StoreError>;

    /// Forgets the uploads no case claimed before `before` and returns their ids, so their
    /// files can be deleted.
    async fn expire_uploads(&self, before: i64) -> Result<Vec<String>, StoreError>;

    /// Whether the database holds no cases, documents or announcements yet.
    async fn is_empty(&self) -> Result<bool, StoreError>;

    /// Stores cases in one transaction.
    async fn insert_cases(&self, cases: &[CaseRecord]) -> Result<(), StoreError>;

    /// Stores documents (with their ids) in one transaction.
    async fn insert_documents(&self, documents: &[Document]) -> Result<(), StoreError>;

    /// Stores announcements (with their ids) in one transaction.
    async fn insert_announcements(&self, announcements: &[Announcement]) -> Result<(), StoreError>;

    /// Published cases matching `filter`, newest first, after `cursor`. `today` decides
    /// which cases are overdue.
    async fn published_cases(
        &self,
        filter: &CaseFilter,
        cursor: Option<CaseCursor>,
        limit: u32,
        today: Date,
    ) -> Result<Slice<CaseSummary, CaseCursor>, StoreError>;

    /// Recent published cases whose titles share terms with `text`, most shared first.
    async fn similar_cases(
        &self,
        text: &str,
        limit: u32,
        today: Date,
    ) -> Result<Vec<CaseSummary>, StoreError>;

    /// A case's public page, or `None` when no case has this number: a published case in
    /// full, an unpublished one as [`CaseDetail::progress_only`].
    async fn public_case(
        &self,
        number: &CaseNumber,
        today: Date,
    ) -> Result<Option<CaseDetail>, StoreError>;

    /// A case as its owner sees it, whether published or not, when `tracking_hash` is its
    /// tracking code's hash; `None` otherwise.
    async fn owner_case(
        &self,
        number: &CaseNumber,
        tracking_hash: &str,
        today: Date,
    ) -> Result<Option<CaseDetail>, StoreError>;

    /// Records the owner's rating of the reply, which closes the case.
    async fn rate(
        &self,
        number: &CaseNumber,
        tracking_hash: &str,
        rating: api::Rating,
        comment: Option<String>,
        at: i64,
    ) -> Result<CitizenOutcome, StoreError>;

    /// Records the owner's follow-up, which sends the case back to its department with a
    /// new deadline.
    async fn follow_up(
        &self,
        number: &CaseNumber,
        tracking_hash: &str,
        text: &str,
        at: i64,
        reply_days: &crate::rules::ReplyDays,
    ) -> Result<CitizenOutcome, StoreError>;

    /// Documents matching `filter`, newest first, after `cursor`.
    async fn documents(
        &self,
        filter: &DocumentFilter,
        cursor: Option<DocumentCursor>,
        limit: u32,
    ) -> Result<Slice<DocumentSummary, DocumentCursor>, StoreError>;

    /// Documents whose title or body holds every term of `search`, best match first.
    async fn search_documents(
        &self,
        search: &TextSearch,
        filter: &DocumentFilter,
    ) -> Result<Found<DocumentSummary>, StoreError>;

    /// Announcements whose title or body holds every term of `search`, best match first.
    async fn search_announcements(
        &self,
        search: &TextSearch,
    ) -> Result<Found<AnnouncementSummary>, StoreError>;

    /// The id the next stored document should take.
    async fn next_document_id(&self) -> Result<i64, StoreError>;

    /// A document, or `None`.
    async fn document(&self, id: i64) -> Result<Option<Document>, StoreError>;

    /// Adds a file to document `document_id` after those it has; answers its position (from 1).
    async fn add_attachment(
        &self,
        document_id: i64,
        name: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<u32, StoreError>;

    /// The attachment at `position` of document `document_id`: name, media type and bytes.
    async fn attachment(
        &self,
        document_id: i64,
        position: u32,
    ) -> Result<Option<(String, String, Vec<u8>)>, StoreError>;

    /// Announcements, pinned first then newest first, after `cursor`.
    async fn announcements(
        &self,
        cursor: Option<AnnouncementCursor>,
        limit: u32,
    ) -> Result<Slice<AnnouncementSummary, AnnouncementCursor>, StoreError>;

    /// An announcement, or `None`.
    async fn announcement(&self, id: i64) -> Result<Option<Announcement>, StoreError>;

    /// Recounts the statistics of every filing day whose cases changed since the last
    /// refresh; returns how many days were recounted.
    async fn refresh_stats(&self) -> Result<usize, StoreError>;

    /// The counts of `buckets`, in one district or all.
    async fn period_counts(
        &self,
        buckets: &Buckets,
        district: Option<&str>,
    ) -> Result<PeriodCounts, StoreError>;

    /// The counts of each month from `first` to `last` (`YYYY-MM`) that has cases.
    async fn monthly_counts(
        &self,
        first: &str,
        last: &str,
        district: Option<&str>,
    ) -> Result<Vec<(String, Counts)>, StoreError>;

    /// Cases filed in `[filed_from, filed_before)` that owe a reply whose deadline is before
    /// `today` (`YYYY-MM-DD`).
    async fn overdue_count(
        &self,
        filed_from: i64,
        filed_before: i64,
        today: &str,
        district: Option<&str>,
    ) -> Result<u64, StoreError>;

    /// Cases received per category from `first` to `last` (`YYYY-MM-DD`, inclusive).
    async fn category_counts(
        &self,
        first: &str,
        last: &str,
        district: Option<&str>,
    ) -> Result<Vec<(String, u64)>, StoreError>;

    /// The titles of the published cases filed in `[filed_from, filed_before)` (an
    /// unpublished title is private, and so is any word of it).
    async fn titles_filed(
        &self,
        filed_from: i64,
        filed_before: i64,
        district: Option<&str>,
    ) -> Result<Vec<String>, StoreError>;
}
