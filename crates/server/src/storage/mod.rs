//! The storage boundary. Handlers and services speak to a [`Store`], one trait per resource
//! ([`BaseStore`], [`CaseStore`], [`DocumentStore`], [`AnnouncementStore`], [`UploadStore`],
//! [`StatsStore`], [`StaffStore`], [`OutboxStore`], [`CoordinationStore`], [`SecretStore`]);
//! [`SqliteStore`] is the embedded implementation and [`PostgresStore`] the city-scale one,
//! both written once in `shared/` (the same SQL) with each database's dialect in its own
//! module. The traits' types are
//! plain Rust values, never SQL, and a store holds no rule: how a case may change is
//! decided by `crate::domain`, inside the store's transaction (see [`CaseStore::change_case`]).

#[macro_use]
mod shared;
mod counting;
mod postgres;
mod rows;
mod sqlite;

use std::sync::Arc;

use api::{
    Announcement, AnnouncementSummary, CaseKind, CaseNumber, CaseStatus, Document, DocumentSummary,
    DocumentType, Validity,
};
use async_trait::async_trait;
use time::Date;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::domain::filing::Filing;
use crate::domain::notify::Receiver;
pub use crate::domain::records::{
    CaseExtras, CaseFile, CaseListing, CaseRecord, EventRecord, Filed, FiledCase, OwnerRecord,
    StaffAccount,
};
use crate::domain::{CaseState, Change, Refusal};
use crate::taxonomy::Taxonomy;

/// Opens the store a database URL names, migrated and ready: `sqlite://…` (the embedded
/// default) or `postgres://…` (`postgresql://…`) for a city. The server, the demo seeder,
/// `import-document`, `case` and `copy` all open their store here.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::open(url).await?))
    } else {
        Err(StoreError::Unavailable(
            "DATABASE_URL must start with sqlite: or postgres://".to_owned(),
        ))
    }
}

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

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(error.to_string())
            }
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                StoreError::Corrupt(error.to_string())
            }
            other => StoreError::Database(other.to_string()),
        }
    }
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
    /// Only cases whose title, description or place hold every one of these search terms
    /// (see [`crate::search::query_terms`]).
    pub terms: Option<Vec<String>>,
    /// Only cases filed at or after this instant (Unix seconds).
    pub filed_from: Option<i64>,
    /// Only cases filed before this instant (Unix seconds).
    pub filed_before: Option<i64>,
    /// Only cases owing a reply whose deadline passed before this day (overdue on it).
    pub overdue_on: Option<Date>,
    /// Only cases awaiting the centre's review before publication.
    pub awaiting_review: bool,
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
    /// Its search terms, every one required (see [`crate::search::query_terms`]).
    pub terms: Vec<String>,
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

/// What a statistics refresh did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Filing days recounted.
    pub recounted: usize,
    /// Filing days still waiting to be recounted.
    pub pending: usize,
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

/// Which case a change is for: any case with the number, or only the one whose tracking
/// code hashes to `owner` (the resident's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseKey<'a> {
    /// The case number.
    pub number: &'a CaseNumber,
    /// The tracking code's hash the case must have, for the owner's changes.
    pub owner: Option<&'a str>,
}

/// A rule deciding how a case changes (a function of `crate::domain`).
pub type Decide<'a> = dyn Fn(&CaseState) -> Result<Change, Refusal> + Send + Sync + 'a;

/// What [`CaseStore::change_case`] did: the state the rule saw and what it decided (saved
/// when it is a change). `None` when no case matches the key.
pub type Decided = Option<(CaseState, Result<Change, Refusal>)>;

/// The whole storage, as handlers reach it.
pub trait Store:
    BaseStore
    + CaseStore
    + StaffStore
    + DocumentStore
    + AnnouncementStore
    + UploadStore
    + StatsStore
    + CoordinationStore
    + OutboxStore
    + SecretStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: BaseStore
        + CaseStore
        + StaffStore
        + DocumentStore
        + AnnouncementStore
        + UploadStore
        + StatsStore
        + CoordinationStore
        + OutboxStore
        + SecretStore
        + Send
        + Sync
        + 'static
{
}

/// Small named values the server keeps in `server_secrets`: the filing key's fingerprint
/// (never the key itself, which lives outside the database: `crate::filing_key`), and,
/// in a database an older release made, the key it kept there until it is moved out.
#[async_trait]
pub trait SecretStore: Send + Sync {
    /// The value called `name`, set to `fresh` unless it has one already.
    async fn secret(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError>;

    /// The value called `name`, if any.
    async fn read_secret(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Forgets the value called `name`; whether there was one.
    async fn forget_secret(&self, name: &str) -> Result<bool, StoreError>;
}

/// The database itself: whether it answers, the taxonomy.
#[async_trait]
pub trait BaseStore: Send + Sync {
    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Installs `taxonomy` when the database has none yet; leaves an existing one alone.
    async fn install_taxonomy(&self, taxonomy: &Taxonomy) -> Result<(), StoreError>;

    /// The taxonomy as stored.
    async fn taxonomy(&self) -> Result<Taxonomy, StoreError>;

    /// Whether the database holds no cases, documents or announcements yet.
    async fn is_empty(&self) -> Result<bool, StoreError>;

    /// How the database's migrations compare with this build's.
    async fn migrations(&self) -> Result<Migrations, StoreError>;

    /// Writes a consistent copy of the whole database to the new file `path` while the
    /// server keeps serving, and returns `true`; `false` when the store cannot (PostgreSQL:
    /// `pg_dump` does that).
    async fn snapshot_into(&self, path: &std::path::Path) -> Result<bool, StoreError>;

    /// The connection pool now: how many connections, how many idle, the most it opens, and
    /// how long taking a connection took just now.
    async fn pool_status(&self) -> Result<PoolStatus, StoreError>;
}

/// How the database's migrations compare with this build's.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Migrations {
    /// Versions this build has that the database has not applied.
    pub missing: Vec<i64>,
    /// Versions the database applied that this build does not know (a newer build ran).
    pub unknown: Vec<i64>,
}

impl Migrations {
    /// Compares the build's versions with the database's applied ones.
    pub fn compare(build: &[i64], applied: &[i64]) -> Self {
        Self {
            missing: build
                .iter()
                .filter(|v| !applied.contains(v))
                .copied()
                .collect(),
            unknown: applied
                .iter()
                .filter(|v| !build.contains(v))
                .copied()
                .collect(),
        }
    }

    /// Whether the database is exactly at this build's migrations.
    pub fn current(&self) -> bool {
        self.missing.is_empty() && self.unknown.is_empty()
    }
}

/// The connection pool at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PoolStatus {
    /// Connections open.
    pub size: u32,
    /// Of those, idle.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
    /// Seconds it took to take a connection just now (a probe of the wait).
    pub acquire_seconds: f64,
}

/// Cases.
#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Files a case: gives it the next number of its filing day, stores it with its contact
    /// apart and its first timeline entry, claims its photos, durably, in one transaction;
    /// or returns the case an earlier request with the same idempotency key made.
    async fn file_case(&self, filing: &Filing) -> Result<Filed, StoreError>;

    /// What an earlier filing with this idempotency key made: the case when `request_hash`
    /// matches its request, `KeyReused` when not; `None` when the key is new.
    async fn earlier_filing(
        &self,
        key: &str,
        request_hash: &str,
    ) -> Result<Option<Filed>, StoreError>;

    /// Loads the case `key` names, locked against every other change, lets `decide` say how
    /// it changes, and saves that change with its timeline entry in the same transaction.
    async fn change_case(
        &self,
        key: CaseKey<'_>,
        decide: &Decide<'_>,
    ) -> Result<Decided, StoreError>;

    /// The replied cases whose reply, given before `replied_before`, was never rated.
    async fn unrated_replies(&self, replied_before: i64) -> Result<Vec<CaseNumber>, StoreError>;

    /// Stores cases in one transaction (demo data and copies).
    async fn insert_cases(&self, cases: &[CaseRecord]) -> Result<(), StoreError>;

    /// Up to `limit` whole cases with row ids above `after`, by row id, for a copy.
    async fn export_cases(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, CaseRecord)>, StoreError>;

    /// Published cases matching `filter`, newest first, after `cursor`.
    async fn published_cases(
        &self,
        filter: &CaseFilter,
        cursor: Option<CaseCursor>,
        limit: u32,
    ) -> Result<Slice<CaseListing, CaseCursor>, StoreError>;

    /// Every case matching `filter`, published or not, newest first, after `cursor`: the
    /// staff's work queue.
    async fn all_cases(
        &self,
        filter: &CaseFilter,
        cursor: Option<CaseCursor>,
        limit: u32,
    ) -> Result<Slice<CaseListing, CaseCursor>, StoreError>;

    /// A case as staff see it: the whole page with the owner's part (contact, rating),
    /// every stored move, and the ids of its photos; `None` when no case has this number.
    async fn staff_case(&self, number: &CaseNumber) -> Result<Option<StaffCaseRecord>, StoreError>;

    /// Recent published cases whose titles share terms with `text`, most shared first.
    async fn similar_cases(&self, text: &str, limit: u32) -> Result<Vec<CaseListing>, StoreError>;

    /// A case's page as stored, or `None` when no case has this number. With `owner`, only
    /// the case whose tracking code hashes to it, with the owner's view; what the public
    /// may see of it is `crate::domain::publication`'s to decide.
    async fn case_detail(
        &self,
        number: &CaseNumber,
        owner: Option<&str>,
    ) -> Result<Option<CaseFile>, StoreError>;
}

/// A case as staff see it, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffCaseRecord {
    /// The whole page, with the owner's part (contact, rating) and every move with its
    /// action and actor.
    pub file: CaseFile,
    /// The ids of its photos.
    pub photos: Vec<String>,
    /// Whether its deadline was extended (which may happen once).
    pub extended: bool,
    /// What the public sees instead of what the resident wrote, when it was published
    /// redacted.
    pub public_text: Option<api::PublicText>,
}

/// Staff accounts.
#[async_trait]
pub trait StaffStore: Send + Sync {
    /// Adds `account` with the SHA-256 of its token; `false` when its name is taken.
    async fn add_staff(&self, account: &StaffAccount, token_hash: &str)
    -> Result<bool, StoreError>;

    /// The account named `name`, revoked or not.
    async fn staff_named(&self, name: &str) -> Result<Option<StaffAccount>, StoreError>;

    /// The account, not revoked, whose token hashes to `token_hash`.
    async fn staff_by_token(&self, token_hash: &str) -> Result<Option<StaffAccount>, StoreError>;

    /// Every account, by name.
    async fn list_staff(&self) -> Result<Vec<StaffAccount>, StoreError>;

    /// Revokes the account named `name` at `at`; `false` when no live account has the name.
    async fn revoke_staff(&self, name: &str, at: i64) -> Result<bool, StoreError>;
}

/// Open government information: documents and their attachments.
#[async_trait]
pub trait DocumentStore: Send + Sync {
    /// Stores documents (with their ids) in one transaction.
    async fn insert_documents(&self, documents: &[Document]) -> Result<(), StoreError>;

    /// Documents matching `filter`, newest first, after `cursor`.
    async fn documents(
        &self,
        filter: &DocumentFilter,
        cursor: Option<DocumentCursor>,
        limit: u32,
    ) -> Result<Slice<DocumentSummary, DocumentCursor>, StoreError>;

    /// Documents whose title or body holds every term of `search`: a title equal to the
    /// query first, then titles holding every term, then bodies; newest first within each.
    async fn search_documents(
        &self,
        search: &TextSearch,
        filter: &DocumentFilter,
    ) -> Result<Found<DocumentSummary>, StoreError>;

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
}

/// Announcements.
#[async_trait]
pub trait AnnouncementStore: Send + Sync {
    /// Stores announcements (with their ids) in one transaction.
    async fn insert_announcements(&self, announcements: &[Announcement]) -> Result<(), StoreError>;

    /// Announcements, pinned first then newest first, after `cursor`.
    async fn announcements(
        &self,
        cursor: Option<AnnouncementCursor>,
        limit: u32,
    ) -> Result<Slice<AnnouncementSummary, AnnouncementCursor>, StoreError>;

    /// Announcements whose title or body holds every term of `search`, best match first.
    async fn search_announcements(
        &self,
        search: &TextSearch,
    ) -> Result<Found<AnnouncementSummary>, StoreError>;

    /// An announcement, or `None`.
    async fn announcement(&self, id: i64) -> Result<Option<Announcement>, StoreError>;
}

/// A photo uploaded before filing, re-encoded as JPEG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Its id, 32 hex digits.
    pub id: String,
    /// When it was uploaded.
    pub created_at: i64,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The JPEG.
    pub jpeg: Vec<u8>,
}

/// Photos uploaded before filing, kept in the database (every process sees them).
#[async_trait]
pub trait UploadStore: Send + Sync {
    /// Stores an uploaded photo.
    async fn insert_upload(&self, upload: &Upload) -> Result<(), StoreError>;

    /// The JPEG of the photo `id`, if the case `number` claimed it.
    async fn case_photo(
        &self,
        number: &CaseNumber,
        id: &str,
    ) -> Result<Option<Vec<u8>>, StoreError>;

    /// Deletes the uploads no case claimed before `before`; returns how many.
    async fn expire_uploads(&self, before: i64) -> Result<u64, StoreError>;

    /// Up to `limit` uploads (claimed or not) with ids above `after`, by id, for a copy.
    async fn export_uploads(&self, after: &str, limit: u32) -> Result<Vec<Upload>, StoreError>;

    /// How many uploads there are.
    async fn count_uploads(&self) -> Result<u64, StoreError>;

    /// The uploads recorded before photos moved into the database, whose JPEG is still a
    /// file `uploads/<id>.jpg` in the data folder.
    async fn uploads_without_jpeg(&self) -> Result<Vec<String>, StoreError>;

    /// Stores the JPEG of an upload recorded without one.
    async fn set_upload_jpeg(&self, id: &str, jpeg: &[u8]) -> Result<(), StoreError>;
}

/// Decides whether one more use is allowed, given a client's earlier uses in the window
/// (milliseconds): `Err(seconds to wait)` when not (`crate::ratelimit::admit`).
pub type Admit<'a> = dyn Fn(&[i64]) -> Result<(), u64> + Send + Sync + 'a;

/// What several server processes on one database coordinate through it.
#[async_trait]
pub trait CoordinationStore: Send + Sync {
    /// Under a lock on `(scope, client)`: forgets the client's uses older than `window_ms`
    /// before `now_ms`, asks `admit` about the rest, and when it allows, records a use at
    /// `now_ms` and returns its id; all in one transaction, so a burst across processes gets
    /// exactly the limit.
    async fn reserve_use(
        &self,
        scope: &str,
        client: &str,
        now_ms: i64,
        window_ms: i64,
        admit: &Admit<'_>,
    ) -> Result<Result<i64, u64>, StoreError>;

    /// Gives back a use reserved by [`Self::reserve_use`] (the work made nothing).
    async fn give_back_use(&self, id: i64) -> Result<(), StoreError>;

    /// Deletes every use before `before_ms`; returns how many.
    async fn forget_uses(&self, before_ms: i64) -> Result<u64, StoreError>;

    /// Takes the lease `name` for `holder` until `until` when it is free, expired at `now`,
    /// or already `holder`'s; returns whether `holder` has it now.
    async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError>;

    /// Gives the lease `name` up if `holder` has it.
    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError>;
}

/// A message taken from the outbox by a delivery worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// Its place in the outbox.
    pub seq: i64,
    /// Its id, which travels with it.
    pub id: String,
    /// Who it goes to.
    pub receiver: Receiver,
    /// The JSON body to send.
    pub body: String,
    /// Tries so far, this one included.
    pub attempts: u32,
}

/// How many messages of one receiver are in one state (`pending`, `delivered`, `dead`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxCount {
    /// `sms` or `events`.
    pub receiver: String,
    /// `pending`, `delivered` or `dead`.
    pub state: String,
    /// How many.
    pub count: u64,
    /// When the oldest of them was written (Unix milliseconds).
    pub oldest_ms: i64,
}

/// The messages housekeeping deleted: delivered ones (counted from their delivery), and the
/// rest, dead letters or messages for a receiver no longer configured (from their writing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ForgottenMessages {
    pub delivered: u64,
    pub undelivered: u64,
}

/// The outbox: messages written with the changes they tell of (see
/// [`CaseStore::change_case`] and [`CaseStore::file_case`]), and their delivery.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` messages due at `now_ms` for the receivers in `receivers`, oldest
    /// first: counts their try and makes them due again only at `claim_until_ms`, so no
    /// other worker (in this process or another) takes them meanwhile, and a worker that
    /// dies mid-send leaves them to be sent again then.
    async fn claim_messages(
        &self,
        receivers: &[Receiver],
        now_ms: i64,
        claim_until_ms: i64,
        limit: u32,
    ) -> Result<Vec<Claimed>, StoreError>;

    /// Marks a claimed message delivered at `at_ms`.
    async fn message_delivered(&self, seq: i64, at_ms: i64) -> Result<(), StoreError>;

    /// Records a failed try of a claimed message: due again at `next_at_ms`, or with
    /// `None` a dead letter. `error` says what failed, never what was sent.
    async fn message_failed(
        &self,
        seq: i64,
        next_at_ms: Option<i64>,
        error: &str,
    ) -> Result<(), StoreError>;

    /// Makes the dead letters (of one receiver, or all) pending again with fresh tries, due
    /// at `now_ms`; returns how many.
    async fn retry_dead_letters(
        &self,
        receiver: Option<Receiver>,
        now_ms: i64,
    ) -> Result<u64, StoreError>;

    /// How many messages each receiver has in each state.
    async fn outbox_counts(&self) -> Result<Vec<OutboxCount>, StoreError>;

    /// Deletes the messages delivered before `before_ms`, and every undelivered one (a dead
    /// letter, or one for a receiver no longer configured) written before it: each may hold
    /// a phone number.
    async fn forget_messages(&self, before_ms: i64) -> Result<ForgottenMessages, StoreError>;

    /// Whether the resident of case `number`, whose tracking code hashes to `owner`, gets
    /// texts; stopping them also drops the texts not yet sent. `false` when no case matches.
    async fn set_texts(
        &self,
        number: &CaseNumber,
        owner: &str,
        texts: bool,
    ) -> Result<bool, StoreError>;
}

/// The statistics' counts.
#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Recounts the statistics of filing days whose cases changed since they were last
    /// counted, at most `max_days` of them (all with `None`), in short transactions; returns
    /// how many were recounted and how many still wait. With `max_days` (a request) it never
    /// waits for another process's recount: it returns what is pending instead.
    async fn refresh_stats(&self, max_days: Option<usize>) -> Result<Refreshed, StoreError>;

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
