//! The embedded store: one SQLite file in WAL mode, migrated at start-up.

use std::str::FromStr;
use std::time::Duration;

use api::validate::mask_name;
use api::{
    Announcement, AnnouncementSummary, Block, CaseDetail, CaseKind, CaseNumber, CaseStatus,
    CaseSummary, Category, ContentLanguage, Document, DocumentSummary, DocumentType, LocalizedText,
    Reply, Term, TimelineEntry, Validity,
};
use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
// Dynamic SQL here is only ever assembled from this file's constants and fixed table
// names; every value a request carries is bound, never formatted in.
use sqlx::{AssertSqlSafe, FromRow, QueryBuilder, Sqlite};
use time::Date;

mod stats;

use super::*;
use crate::clock;

/// A [`Store`] on an SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    // Filings are serialised in the process: SQLite allows one writer anyway, and taking the
    // lock before the transaction avoids a deferred transaction failing to upgrade.
    filing: std::sync::Arc<tokio::sync::Mutex<()>>,
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

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://data/civic.db`, or
    /// `sqlite::memory:`), switches it to WAL with foreign keys on, and applies migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .filter(|path| !path.starts_with(":memory:") && !path.is_empty())
            && let Some(parent) = std::path::Path::new(path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL with NORMAL is durable against a crash of the process; FULL adds an fsync
            // per commit, which is what filing needs before it answers 201.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        let store = Self {
            pool,
            filing: Default::default(),
        };
        store.index_unindexed_text().await?;
        Ok(store)
    }

    /// Indexes documents and announcements stored before their search tables existed.
    async fn index_unindexed_text(&self) -> Result<(), StoreError> {
        for (table, index) in [
            ("documents", "documents_search"),
            ("announcements", "announcements_search"),
        ] {
            let (items, indexed): (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT (SELECT COUNT(*) FROM {table}), (SELECT COUNT(*) FROM {index}_docsize)"
            )))
            .fetch_one(&self.pool)
            .await?;
            if items == indexed {
                continue;
            }
            let rows: Vec<(i64, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT id, title, body FROM {table} WHERE id NOT IN (SELECT id FROM {index}_docsize)"
            )))
            .fetch_all(&self.pool)
            .await?;
            let mut tx = self.pool.begin().await?;
            for (id, title, body) in rows {
                index_item(&mut tx, index, id, &title, &decode_body(&body)?).await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }
}

/// Puts an item's title and body into its search table.
async fn index_item(
    tx: &mut sqlx::SqliteConnection,
    index: &str,
    id: i64,
    title: &str,
    body: &[Block],
) -> Result<(), StoreError> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {index} (rowid, title, body) VALUES (?, ?, ?)"
    )))
    .bind(id)
    .bind(crate::search::index_text(&[title]))
    .bind(crate::search::index_text(&[&crate::search::blocks_text(
        body,
    )]))
    .execute(tx)
    .await?;
    Ok(())
}

/// The filters of the catalogue, on the documents table under `alias`.
fn push_document_filter(query: &mut QueryBuilder<Sqlite>, filter: &DocumentFilter, alias: &str) {
    if let Some(doc_type) = filter.doc_type {
        query
            .push(format!(" AND {alias}doc_type = "))
            .push_bind(doc_type.code());
    }
    if let Some(validity) = filter.validity {
        query
            .push(format!(" AND {alias}validity = "))
            .push_bind(validity.code());
    }
    if let Some(agency) = &filter.agency {
        query
            .push(format!(" AND {alias}agency = "))
            .push_bind(agency.clone());
    }
    if let Some(topic) = &filter.topic {
        query
            .push(format!(" AND {alias}topic = "))
            .push_bind(topic.clone());
    }
    if let Some(year) = filter.year {
        query
            .push(format!(" AND {alias}issued_on >= "))
            .push_bind(format!("{year:04}-01-01"))
            .push(format!(" AND {alias}issued_on < "))
            .push_bind(format!("{:04}-01-01", year + 1));
    }
}

impl SqliteStore {
    /// The id of the case with `number` whose tracking code hashes to `tracking_hash`.
    async fn owned_case_id(
        &self,
        number: &CaseNumber,
        tracking_hash: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM cases WHERE number = ? AND tracking_hash = ?")
                .bind(number.as_str())
                .bind(tracking_hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// A case's page; `owner` adds what only its submitter may see.
    async fn load_detail(
        &self,
        id: i64,
        today: Date,
        owner: bool,
    ) -> Result<CaseDetail, StoreError> {
        type DetailRow = (
            String,
            String,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            bool,
        );
        let (place, description, submitter, replied_at, reply_department, reply_text, published): DetailRow =
            sqlx::query_as(
                "SELECT place, description, submitter_mask, replied_at, reply_department, reply_text, \
                 published FROM cases WHERE id = ?",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let summary: CaseRow = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE id = ?"
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        type EventRow = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            bool,
        );
        let events: Vec<EventRow> = sqlx::query_as(
            "SELECT at, status, department, note, rating, follow_up FROM case_events \
             WHERE case_id = ? ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let timeline = events
            .into_iter()
            .map(|(at, status, department, note, rating, follow_up)| {
                Ok(TimelineEntry {
                    at: clock::rfc3339(at),
                    status: decode_code(&status, CaseStatus::from_code)?,
                    department,
                    note,
                    rating: rating.as_deref().and_then(api::Rating::from_code),
                    follow_up,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let reply = match (replied_at, reply_department, reply_text) {
            (Some(at), Some(department), Some(text)) => Some(Reply {
                at: clock::rfc3339(at),
                department,
                text,
            }),
            _ => None,
        };
        let summary = summary.into_summary(today)?;
        let owner = if owner {
            let (name, phone): (String, String) =
                sqlx::query_as("SELECT name, phone FROM case_contacts WHERE case_id = ?")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .unwrap_or_default();
            let rating: Option<(String, Option<String>, i64)> =
                sqlx::query_as("SELECT rating, comment, at FROM ratings WHERE case_id = ?")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
            let rating = rating.and_then(|(rating, comment, at)| {
                api::Rating::from_code(&rating).map(|rating| api::RatingRecord {
                    rating,
                    comment,
                    at: clock::rfc3339(at),
                })
            });
            Some(api::OwnerView {
                contact: api::Contact { name, phone },
                published,
                can_rate: api::can_rate(summary.status, rating.is_some()),
                can_follow_up: api::can_follow_up(
                    summary.status,
                    rating.as_ref().map(|r| r.rating),
                ),
                rating,
            })
        } else {
            None
        };
        Ok(CaseDetail {
            published,
            summary,
            place,
            description,
            submitter,
            timeline,
            reply,
            owner,
        })
    }
}

/// Whether a reply given at `at` met `deadline` (a reply with no deadline to miss did). It
/// is decided when the reply is given, because a follow-up later sets a new deadline.
fn replied_on_time(at: i64, deadline: Option<Date>) -> bool {
    deadline.is_none_or(|deadline| clock::cst_date(at) <= deadline)
}

/// Writes one case with everything that hangs off it (contact, timeline, rating, search
/// terms) inside `tx`, and returns its row id. Filing and importing both come through here.
async fn write_case(tx: &mut sqlx::SqliteConnection, case: &CaseRecord) -> Result<i64, StoreError> {
    let mask = case.contact.as_ref().and_then(|(name, _)| mask_name(name));
    let (reply_at, reply_department, reply_text) = match &case.reply {
        Some((at, department, text)) => (Some(*at), Some(department), Some(text)),
        None => (None, None, None),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (number, kind, category, district, place, latitude, longitude, title, \
         description, status, department, published, submitter_mask, submitted_at, deadline, \
         replied_at, reply_department, reply_text, replied_on_time, tracking_hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(case.number.as_str())
    .bind(case.kind.code())
    .bind(&case.category)
    .bind(&case.district)
    .bind(&case.place)
    .bind(case.coordinates.map(|(lat, _)| lat))
    .bind(case.coordinates.map(|(_, lon)| lon))
    .bind(&case.title)
    .bind(&case.description)
    .bind(case.status.code())
    .bind(&case.department)
    .bind(case.published)
    .bind(mask)
    .bind(case.submitted_at)
    .bind(case.deadline.map(clock::iso_date))
    .bind(reply_at)
    .bind(reply_department)
    .bind(reply_text)
    // A record's deadline is the one its reply answered (see `replied_on_time`).
    .bind(reply_at.map(|at| replied_on_time(at, case.deadline)))
    .bind(&case.tracking_hash)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO cases_search (rowid, terms) VALUES (?, ?)")
        .bind(id)
        .bind(crate::search::index_text(&[
            &case.title,
            &case.description,
            &case.place,
        ]))
        .execute(&mut *tx)
        .await?;
    if let Some((name, phone)) = &case.contact {
        sqlx::query("INSERT INTO case_contacts (case_id, name, phone) VALUES (?, ?, ?)")
            .bind(id)
            .bind(name)
            .bind(phone)
            .execute(&mut *tx)
            .await?;
    }
    for event in &case.events {
        sqlx::query(
            "INSERT INTO case_events (case_id, at, status, department, note, rating, follow_up) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(event.at)
        .bind(event.status.code())
        .bind(&event.department)
        .bind(&event.note)
        .bind(event.rating.map(api::Rating::code))
        .bind(event.follow_up)
        .execute(&mut *tx)
        .await?;
        if let Some(rating) = event.rating {
            sqlx::query("INSERT INTO ratings (case_id, rating, at) VALUES (?, ?, ?)")
                .bind(id)
                .bind(rating.code())
                .bind(event.at)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(id)
}

fn decode_code<T>(code: &str, from: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    from(code).ok_or_else(|| StoreError::Corrupt(format!("unknown code {code:?}")))
}

fn decode_language(tag: &str) -> ContentLanguage {
    if tag == "en" {
        ContentLanguage::En
    } else {
        ContentLanguage::ZhCn
    }
}

fn decode_body(json: &str) -> Result<Vec<Block>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("body: {e}")))
}

#[derive(FromRow)]
struct CaseRow {
    id: i64,
    number: String,
    kind: String,
    category: String,
    district: String,
    title: String,
    status: String,
    department: Option<String>,
    submitted_at: i64,
    deadline: Option<String>,
    replied_at: Option<i64>,
}

impl CaseRow {
    fn into_summary(self, today: Date) -> Result<CaseSummary, StoreError> {
        let status = decode_code(&self.status, CaseStatus::from_code)?;
        let overdue = status.awaits_reply()
            && self
                .deadline
                .as_deref()
                .and_then(clock::parse_iso_date)
                .is_some_and(|deadline| deadline < today);
        Ok(CaseSummary {
            number: CaseNumber::parse(&self.number)
                .map_err(|_| StoreError::Corrupt(format!("case number {:?}", self.number)))?,
            kind: decode_code(&self.kind, CaseKind::from_code)?,
            category: self.category,
            district: self.district,
            title: self.title,
            status,
            department: self.department,
            submitted_at: clock::rfc3339(self.submitted_at),
            deadline: self.deadline,
            replied_at: self.replied_at.map(clock::rfc3339),
            overdue,
        })
    }
}

/// The timeline note of a case closed because its rating period ended (content is in the
/// platform's language, like every staff note).
pub const AUTO_CLOSE_NOTE: &str = "超过评价期限，系统自动办结";

const CASE_COLUMNS: &str = "id, number, kind, category, district, title, status, department, \
     submitted_at, deadline, replied_at";

#[derive(FromRow)]
struct DocumentRow {
    id: i64,
    title: String,
    number: Option<String>,
    agency: String,
    doc_type: String,
    topic: String,
    issued_on: String,
    published_on: String,
    validity: String,
    language: String,
}

impl DocumentRow {
    fn into_summary(self) -> Result<DocumentSummary, StoreError> {
        Ok(DocumentSummary {
            id: self.id,
            title: self.title,
            number: self.number,
            agency: self.agency,
            doc_type: decode_code(&self.doc_type, DocumentType::from_code)?,
            topic: self.topic,
            issued_on: self.issued_on,
            published_on: self.published_on,
            validity: decode_code(&self.validity, Validity::from_code)?,
            language: decode_language(&self.language),
            highlight: None,
        })
    }
}

#[derive(FromRow)]
struct DocumentHit {
    #[sqlx(flatten)]
    row: DocumentRow,
    body: String,
}

#[derive(FromRow)]
struct AnnouncementHit {
    #[sqlx(flatten)]
    row: AnnouncementRow,
    body: String,
}

/// How many of the newest published cases "similar cases" compares a title with.
const SIMILAR_WINDOW: i64 = 2_000;

const DOCUMENT_COLUMNS: &str =
    "id, title, number, agency, doc_type, topic, issued_on, published_on, validity, language";

#[derive(FromRow)]
struct AnnouncementRow {
    id: i64,
    title: String,
    agency: String,
    published_at: i64,
    pinned: bool,
    language: String,
}

impl AnnouncementRow {
    fn into_summary(self) -> AnnouncementSummary {
        AnnouncementSummary {
            id: self.id,
            title: self.title,
            agency: self.agency,
            published_at: clock::rfc3339(self.published_at),
            pinned: self.pinned,
            language: decode_language(&self.language),
            highlight: None,
        }
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn install_taxonomy(&self, taxonomy: &Taxonomy) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM districts")
            .fetch_one(&mut *tx)
            .await?;
        if count > 0 {
            return Ok(());
        }
        for (table, terms) in [
            ("districts", &taxonomy.districts),
            ("departments", &taxonomy.departments),
        ] {
            for (position, term) in terms.iter().enumerate() {
                sqlx::query(AssertSqlSafe(format!(
                    "INSERT INTO {table} (code, name_zh, name_en, position) VALUES (?, ?, ?, ?)"
                )))
                .bind(&term.code)
                .bind(&term.name.zh)
                .bind(&term.name.en)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
            }
        }
        for (position, category) in taxonomy.categories.iter().enumerate() {
            sqlx::query(
                "INSERT INTO categories (code, parent, name_zh, name_en, position) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&category.code)
            .bind(&category.parent)
            .bind(&category.name.zh)
            .bind(&category.name.en)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn taxonomy(&self) -> Result<Taxonomy, StoreError> {
        let mut terms = Vec::new();
        for table in ["districts", "departments"] {
            let rows: Vec<(String, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT code, name_zh, name_en FROM {table} ORDER BY position"
            )))
            .fetch_all(&self.pool)
            .await?;
            terms.push(
                rows.into_iter()
                    .map(|(code, zh, en)| Term {
                        code,
                        name: LocalizedText { zh, en },
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let categories: Vec<(String, Option<String>, String, String)> = sqlx::query_as(
            "SELECT code, parent, name_zh, name_en FROM categories ORDER BY position",
        )
        .fetch_all(&self.pool)
        .await?;
        let departments = terms.pop().unwrap_or_default();
        let districts = terms.pop().unwrap_or_default();
        Ok(Taxonomy {
            districts,
            departments,
            categories: categories
                .into_iter()
                .map(|(code, parent, zh, en)| Category {
                    code,
                    parent,
                    name: LocalizedText { zh, en },
                })
                .collect(),
        })
    }

    async fn secret(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError> {
        sqlx::query(
            "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .execute(&self.pool)
        .await?;
        let (value,): (Vec<u8>,) =
            sqlx::query_as("SELECT value FROM server_secrets WHERE name = ?")
                .bind(name)
                .fetch_one(&self.pool)
                .await?;
        Ok(value)
    }

    async fn file_case(&self, filing: &Filing) -> Result<Filed, StoreError> {
        let _writer = self.filing.lock().await;
        let mut tx = self.pool.begin().await?;
        if let Some((key, request_hash)) = &filing.idempotency {
            let earlier: Option<(String, String, String, i64, String)> = sqlx::query_as(
                "SELECT k.request_hash, c.number, c.status, c.submitted_at, c.deadline \
                 FROM idempotency_keys k JOIN cases c ON c.id = k.case_id WHERE k.key = ?",
            )
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((stored_hash, number, status, submitted_at, deadline)) = earlier {
                if stored_hash != *request_hash {
                    return Ok(Filed::KeyReused);
                }
                return Ok(Filed::Replayed(FiledCase {
                    number: CaseNumber::parse(&number)
                        .map_err(|_| StoreError::Corrupt(format!("case number {number:?}")))?,
                    status: decode_code(&status, CaseStatus::from_code)?,
                    submitted_at,
                    deadline,
                }));
            }
        }
        // Every photo must be an upload no case has claimed yet.
        for photo in &filing.case.photos {
            let free: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM uploads WHERE id = ? AND case_id IS NULL")
                    .bind(photo)
                    .fetch_optional(&mut *tx)
                    .await?;
            if free.is_none() {
                return Ok(Filed::UnknownPhotos);
            }
        }
        let day = clock::compact_date(clock::cst_date(filing.submitted_at));
        let (sequence,): (i64,) = sqlx::query_as(
            "INSERT INTO case_sequences (day, last) VALUES (?, 1) \
             ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last",
        )
        .bind(&day)
        .fetch_one(&mut *tx)
        .await?;
        let number = CaseNumber::from_parts(&day, sequence as u32)
            .map_err(|_| StoreError::Corrupt(format!("sequence {sequence} of {day}")))?;
        let case = &filing.case;
        let kind = case
            .kind
            .ok_or_else(|| StoreError::Corrupt("a filed case has a kind".into()))?;
        let deadline = clock::iso_date(filing.deadline);
        let phone = api::validate::normalize_mobile(&case.contact.phone)
            .unwrap_or_else(|| case.contact.phone.trim().to_owned());
        let record = CaseRecord {
            number: number.clone(),
            kind,
            category: case.category.clone(),
            district: case.district.clone(),
            place: case.place.trim().to_owned(),
            coordinates: case.latitude.zip(case.longitude),
            title: case.title.trim().to_owned(),
            description: case.description.trim().to_owned(),
            status: CaseStatus::Submitted,
            department: None,
            published: case.publish,
            contact: Some((case.contact.name.trim().to_owned(), phone)),
            submitted_at: filing.submitted_at,
            deadline: Some(filing.deadline),
            reply: None,
            events: vec![EventRecord {
                at: filing.submitted_at,
                status: CaseStatus::Submitted,
                department: None,
                note: None,
                rating: None,
                follow_up: false,
            }],
            tracking_hash: filing.tracking_hash.clone(),
        };
        let id = write_case(&mut tx, &record).await?;
        for photo in &filing.case.photos {
            sqlx::query("UPDATE uploads SET case_id = ? WHERE id = ?")
                .bind(id)
                .bind(photo)
                .execute(&mut *tx)
                .await?;
        }
        if let Some((key, request_hash)) = &filing.idempotency {
            sqlx::query(
                "INSERT INTO idempotency_keys (key, case_id, request_hash, created_at) VALUES (?, ?, ?, ?)",
            )
            .bind(key)
            .bind(id)
            .bind(request_hash)
            .bind(filing.submitted_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Filed::Created(FiledCase {
            number,
            status: CaseStatus::Submitted,
            submitted_at: filing.submitted_at,
            deadline,
        }))
    }

    async fn apply_action(
        &self,
        number: &CaseNumber,
        action: &api::StaffAction,
        at: i64,
    ) -> Result<Applied, StoreError> {
        use api::StaffAction as A;
        let _writer = self.filing.lock().await;
        let mut tx = self.pool.begin().await?;
        let row: Option<(i64, String, Option<String>, Option<String>, Option<i64>)> =
            sqlx::query_as(
                "SELECT id, status, department, deadline, extended_at FROM cases WHERE number = ?",
            )
            .bind(number.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let Some((id, status, department, deadline, extended_at)) = row else {
            return Ok(Applied::NotFound);
        };
        let status = decode_code(&status, CaseStatus::from_code)?;
        let extended = extended_at.is_some();
        let next = match api::next_status(status, extended, action.kind()) {
            Ok(next) => next,
            Err(illegal) => return Ok(Applied::Illegal(illegal)),
        };
        let mut department = department;
        let mut deadline = deadline;
        let mut note = None;
        match action {
            A::Accept | A::Start | A::Close => {}
            A::Reject { reason } => note = Some(reason.trim().to_owned()),
            A::Assign { department: to } => department = Some(to.clone()),
            A::Transfer {
                department: to,
                reason,
            } => {
                department = Some(to.clone());
                note = Some(reason.trim().to_owned());
            }
            A::Extend {
                working_days,
                reason,
            } => {
                let from = deadline
                    .as_deref()
                    .and_then(clock::parse_iso_date)
                    .unwrap_or_else(|| clock::cst_date(at));
                let extended_to = clock::iso_date(clock::add_working_days(from, *working_days));
                note = Some(reason.trim().to_owned());
                sqlx::query("UPDATE cases SET extended_at = ?, extension_reason = ? WHERE id = ?")
                    .bind(at)
                    .bind(reason.trim())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                deadline = Some(extended_to);
            }
            A::Reply { text } => {
                let replier = department
                    .clone()
                    .unwrap_or_else(|| "governance".to_owned());
                let deadline = deadline.as_deref().and_then(clock::parse_iso_date);
                sqlx::query(
                    "UPDATE cases SET replied_at = ?, reply_department = ?, reply_text = ?, \
                     replied_on_time = ? WHERE id = ?",
                )
                .bind(at)
                .bind(&replier)
                .bind(text.trim())
                .bind(replied_on_time(at, deadline))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("UPDATE cases SET status = ?, department = ?, deadline = ? WHERE id = ?")
            .bind(next.code())
            .bind(&department)
            .bind(&deadline)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let event_department = match action {
            A::Accept | A::Reject { .. } => None,
            _ => department.clone(),
        };
        sqlx::query("INSERT INTO case_events (case_id, at, status, department, note) VALUES (?, ?, ?, ?, ?)")
            .bind(id)
            .bind(at)
            .bind(next.code())
            .bind(event_department)
            .bind(note)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Applied::Done(api::StaffActionResult {
            number: number.clone(),
            status: next,
            department,
            deadline,
            allowed: api::allowed_actions(
                next,
                extended || action.kind() == api::ActionKind::Extend,
            ),
        }))
    }

    async fn auto_close(
        &self,
        replied_before: i64,
        at: i64,
    ) -> Result<Vec<CaseNumber>, StoreError> {
        let _writer = self.filing.lock().await;
        let mut tx = self.pool.begin().await?;
        let due: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT id, number, department FROM cases WHERE status = 'replied' AND replied_at < ?",
        )
        .bind(replied_before)
        .fetch_all(&mut *tx)
        .await?;
        let mut closed = Vec::with_capacity(due.len());
        for (id, number, department) in due {
            sqlx::query("UPDATE cases SET status = 'closed' WHERE id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO case_events (case_id, at, status, department, note) VALUES (?, ?, 'closed', ?, ?)",
            )
            .bind(id)
            .bind(at)
            .bind(department)
            .bind(AUTO_CLOSE_NOTE)
            .execute(&mut *tx)
            .await?;
            closed.push(
                CaseNumber::parse(&number)
                    .map_err(|_| StoreError::Corrupt(format!("case number {number:?}")))?,
            );
        }
        tx.commit().await?;
        Ok(closed)
    }

    async fn insert_upload(
        &self,
        id: &str,
        created_at: i64,
        width: u32,
        height: u32,
        bytes: u64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO uploads (id, created_at, width, height, bytes) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(created_at)
        .bind(i64::from(width))
        .bind(i64::from(height))
        .bind(bytes as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn expire_uploads(&self, before: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "DELETE FROM uploads WHERE case_id IS NULL AND created_at < ? RETURNING id",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM documents) \
             + (SELECT COUNT(*) FROM announcements)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(count == 0)
    }

    async fn insert_cases(&self, cases: &[CaseRecord]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for case in cases {
            write_case(&mut tx, case).await?;
            // Filing continues the day's numbers after the highest one imported.
            if let Some((day, sequence)) = case.number.as_str().split_once('-') {
                sqlx::query(
                    "INSERT INTO case_sequences (day, last) VALUES (?, ?) \
                     ON CONFLICT (day) DO UPDATE SET last = MAX(last, excluded.last)",
                )
                .bind(day)
                .bind(sequence.parse::<i64>().unwrap_or_default())
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_documents(&self, documents: &[Document]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // Replacements and interpretations point at each other, so check the links only
        // once every document of the batch is in.
        sqlx::query("PRAGMA defer_foreign_keys = ON")
            .execute(&mut *tx)
            .await?;
        for document in documents {
            let s = &document.summary;
            let body = serde_json::to_string(&document.body)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(
                "INSERT INTO documents (id, title, number, agency, doc_type, topic, issued_on, \
                 published_on, effective_on, validity, replaced_by, interprets, language, body) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(s.id)
            .bind(&s.title)
            .bind(&s.number)
            .bind(&s.agency)
            .bind(s.doc_type.code())
            .bind(&s.topic)
            .bind(&s.issued_on)
            .bind(&s.published_on)
            .bind(&document.effective_on)
            .bind(s.validity.code())
            .bind(document.replaced_by)
            .bind(document.interprets)
            .bind(s.language.tag())
            .bind(body)
            .execute(&mut *tx)
            .await?;
            index_item(&mut tx, "documents_search", s.id, &s.title, &document.body).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_announcements(&self, announcements: &[Announcement]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for announcement in announcements {
            let s = &announcement.summary;
            let published_at = time::OffsetDateTime::parse(
                &s.published_at,
                &time::format_description::well_known::Rfc3339,
            )
            .map_err(|e| StoreError::Corrupt(format!("published_at: {e}")))?
            .unix_timestamp();
            let body = serde_json::to_string(&announcement.body)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(
                "INSERT INTO announcements (id, title, agency, published_at, pinned, language, body) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(s.id)
            .bind(&s.title)
            .bind(&s.agency)
            .bind(published_at)
            .bind(s.pinned)
            .bind(s.language.tag())
            .bind(body)
            .execute(&mut *tx)
            .await?;
            index_item(
                &mut tx,
                "announcements_search",
                s.id,
                &s.title,
                &announcement.body,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn published_cases(
        &self,
        filter: &CaseFilter,
        cursor: Option<CaseCursor>,
        limit: u32,
        today: Date,
    ) -> Result<Slice<CaseSummary, CaseCursor>, StoreError> {
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE published = 1"
        ));
        if let Some(district) = &filter.district {
            query.push(" AND district = ").push_bind(district.clone());
        }
        if let Some(category) = &filter.category {
            if category.contains('.') {
                query.push(" AND category = ").push_bind(category.clone());
            } else {
                // A group matches its children, whose codes all start with `group.`.
                query
                    .push(" AND category >= ")
                    .push_bind(format!("{category}."))
                    .push(" AND category < ")
                    .push_bind(format!("{category}/"));
            }
        }
        if let Some(kind) = filter.kind {
            query.push(" AND kind = ").push_bind(kind.code());
        }
        if let Some(status) = filter.status {
            query.push(" AND status = ").push_bind(status.code());
        }
        if let Some(department) = &filter.department {
            query
                .push(" AND department = ")
                .push_bind(department.clone());
        }
        if let Some(text) = &filter.text {
            query
                .push(" AND id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH ")
                .push_bind(text.clone())
                .push(")");
        }
        if let Some(from) = filter.filed_from {
            query.push(" AND submitted_at >= ").push_bind(from);
        }
        if let Some(before) = filter.filed_before {
            query.push(" AND submitted_at < ").push_bind(before);
        }
        let key = match filter.sort {
            CaseSort::Newest => "submitted_at",
            CaseSort::Replied => {
                query.push(" AND replied_at IS NOT NULL");
                "replied_at"
            }
        };
        if let Some(cursor) = cursor {
            query
                .push(format!(" AND ({key}, id) < ("))
                .push_bind(cursor.key)
                .push(", ")
                .push_bind(cursor.id)
                .push(")");
        }
        query
            .push(format!(" ORDER BY {key} DESC, id DESC LIMIT "))
            .push_bind(i64::from(limit) + 1);
        let mut rows: Vec<CaseRow> = query.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = if more {
            rows.last().map(|row| CaseCursor {
                key: match filter.sort {
                    CaseSort::Newest => row.submitted_at,
                    CaseSort::Replied => row.replied_at.unwrap_or_default(),
                },
                id: row.id,
            })
        } else {
            None
        };
        let items = rows
            .into_iter()
            .map(|row| row.into_summary(today))
            .collect::<Result<_, _>>()?;
        Ok(Slice { items, next })
    }

    async fn similar_cases(
        &self,
        text: &str,
        limit: u32,
        today: Date,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        // A full-text OR over every term reads whole doclists (over 100 ms at a million
        // cases); a similar case worth offering is a recent one, so the newest published
        // titles are compared in memory instead: bounded work, whatever the table's size.
        let recent: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, title FROM cases WHERE published = 1 \
             ORDER BY submitted_at DESC, id DESC LIMIT ?",
        )
        .bind(SIMILAR_WINDOW)
        .fetch_all(&self.pool)
        .await?;
        let ids = crate::search::most_similar(text, &recent, limit as usize);
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("SELECT {CASE_COLUMNS} FROM cases WHERE id IN ("));
        let mut list = query.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        query.push(")");
        let mut rows: Vec<CaseRow> = query.build_query_as().fetch_all(&self.pool).await?;
        // Back in the order of similarity.
        rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
        rows.into_iter()
            .map(|row| row.into_summary(today))
            .collect()
    }

    async fn public_case(
        &self,
        number: &CaseNumber,
        today: Date,
    ) -> Result<Option<CaseDetail>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE number = ?")
            .bind(number.as_str())
            .fetch_optional(&self.pool)
            .await?;
        let Some(id) = id else { return Ok(None) };
        let detail = self.load_detail(id, today, false).await?;
        Ok(Some(if detail.published {
            detail
        } else {
            detail.progress_only()
        }))
    }

    async fn owner_case(
        &self,
        number: &CaseNumber,
        tracking_hash: &str,
        today: Date,
    ) -> Result<Option<CaseDetail>, StoreError> {
        match self.owned_case_id(number, tracking_hash).await? {
            Some(id) => self.load_detail(id, today, true).await.map(Some),
            None => Ok(None),
        }
    }

    async fn rate(
        &self,
        number: &CaseNumber,
        tracking_hash: &str,
        rating: api::Rating,
        comment: Option<String>,
        at: i64,
    ) -> Result<CitizenOutcome, StoreError> {
        let _writer = self.filing.lock().await;
        let Some(id) = self.owned_case_id(number, tracking_hash).await? else {
            return Ok(CitizenOutcome::NoMatch);
        };
        let mut tx = self.pool.begin().await?;
        let (status, department): (String, Option<String>) =
            sqlx::query_as("SELECT status, department FROM cases WHERE id = ?")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let rated: Option<i64> =
            sqlx::query_scalar("SELECT case_id FROM ratings WHERE case_id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if !api::can_rate(
            decode_code(&status, CaseStatus::from_code)?,
            rated.is_some(),
        ) {
            return Ok(CitizenOutcome::NotAllowed);
        }
        let comment = comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        sqlx::query("INSERT INTO ratings (case_id, rating, comment, at) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(rating.code())
            .bind(&comment)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE cases SET status = ? WHERE id = ?")
            .bind(CaseStatus::Closed.code())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO case_events (case_id, at, status, department, rating) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(at)
        .bind(CaseStatus::Closed.code())
        .bind(&department)
        .bind(rating.code())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let today = clock::cst_date(at);
        Ok(CitizenOutcome::Done(Box::new(
            self.load_detail(id, today, true).await?,
        )))
    }

    async fn follow_up(
        &self,
        number: &CaseNumber,
        tracking_hash: &str,
        text: &str,
        at: i64,
        reply_days: &crate::rules::ReplyDays,
    ) -> Result<CitizenOutcome, StoreError> {
        let _writer = self.filing.lock().await;
        let Some(id) = self.owned_case_id(number, tracking_hash).await? else {
            return Ok(CitizenOutcome::NoMatch);
        };
        let mut tx = self.pool.begin().await?;
        let (status, kind, department): (String, String, Option<String>) =
            sqlx::query_as("SELECT status, kind, department FROM cases WHERE id = ?")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let rating: Option<String> =
            sqlx::query_scalar("SELECT rating FROM ratings WHERE case_id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let rating = rating.as_deref().and_then(api::Rating::from_code);
        if !api::can_follow_up(decode_code(&status, CaseStatus::from_code)?, rating) {
            return Ok(CitizenOutcome::NotAllowed);
        }
        // Back to the department, with a fresh deadline by the kind's rule.
        let kind = decode_code(&kind, CaseKind::from_code)?;
        let deadline = clock::iso_date(clock::add_working_days(
            clock::cst_date(at),
            reply_days.days(kind),
        ));
        sqlx::query("UPDATE cases SET status = ?, deadline = ? WHERE id = ?")
            .bind(CaseStatus::InProgress.code())
            .bind(&deadline)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO case_events (case_id, at, status, department, note, follow_up) \
             VALUES (?, ?, ?, ?, ?, 1)",
        )
        .bind(id)
        .bind(at)
        .bind(CaseStatus::InProgress.code())
        .bind(&department)
        .bind(text.trim())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let today = clock::cst_date(at);
        Ok(CitizenOutcome::Done(Box::new(
            self.load_detail(id, today, true).await?,
        )))
    }

    async fn documents(
        &self,
        filter: &DocumentFilter,
        cursor: Option<DocumentCursor>,
        limit: u32,
    ) -> Result<Slice<DocumentSummary, DocumentCursor>, StoreError> {
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE 1 = 1"
        ));
        push_document_filter(&mut query, filter, "");
        if let Some(cursor) = cursor {
            query
                .push(" AND (published_on, id) < (")
                .push_bind(cursor.published_on)
                .push(", ")
                .push_bind(cursor.id)
                .push(")");
        }
        query
            .push(" ORDER BY published_on DESC, id DESC LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let mut rows: Vec<DocumentRow> = query.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = if more {
            rows.last().map(|row| DocumentCursor {
                published_on: row.published_on.clone(),
                id: row.id,
            })
        } else {
            None
        };
        let items = rows
            .into_iter()
            .map(DocumentRow::into_summary)
            .collect::<Result<_, _>>()?;
        Ok(Slice { items, next })
    }

    async fn search_documents(
        &self,
        search: &TextSearch,
        filter: &DocumentFilter,
    ) -> Result<Found<DocumentSummary>, StoreError> {
        // Three tiers, none of which scores or sorts every match: a document whose title is
        // exactly the query (by index), then documents whose title holds every term, then
        // documents holding the terms only in their body; within a tier the newest first,
        // which FTS5 streams in row order and stops at the page's end. bm25 over every match
        // took 590 ms for 一网通 (55,000 matches) at 100,000 documents; this takes a few ms.
        let in_title = format!("title : ({})", search.expression);
        let only_in_body = format!("({0}) NOT title : ({0})", search.expression);
        let filtered = filter != &DocumentFilter::default();

        let mut exact: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT d.id FROM documents d WHERE d.title = ");
        exact.push_bind(search.text.clone());
        push_document_filter(&mut exact, filter, "d.");
        exact.push(" ORDER BY d.id DESC");
        let exact: Vec<i64> = exact.build_query_scalar().fetch_all(&self.pool).await?;

        // How many title matches there are decides where the body tier starts. Without a
        // filter FTS5 counts them alone; with one, each match is checked against it.
        let mut count: QueryBuilder<Sqlite> = QueryBuilder::new(if filtered {
            "SELECT COUNT(*) FROM documents_search \
             JOIN documents d ON d.id = documents_search.rowid WHERE documents_search MATCH "
        } else {
            "SELECT COUNT(*) FROM documents_search WHERE documents_search MATCH "
        });
        count.push_bind(in_title.clone());
        push_document_filter(&mut count, filter, "d.");
        let in_titles: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;

        let stream = |expression: &str, skip_exact: bool, limit: i64, offset: i64| {
            let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT d.id FROM documents_search \
                 JOIN documents d ON d.id = documents_search.rowid \
                 WHERE documents_search MATCH ",
            );
            query.push_bind(expression.to_owned());
            push_document_filter(&mut query, filter, "d.");
            if skip_exact {
                query
                    .push(" AND d.title <> ")
                    .push_bind(search.text.clone());
            }
            query
                .push(" ORDER BY documents_search.rowid DESC LIMIT ")
                .push_bind(limit)
                .push(" OFFSET ")
                .push_bind(offset);
            query
        };
        let wanted = i64::from(search.limit) + 1;
        let offset = i64::from(search.offset);
        let exact_count = exact.len() as i64;
        let mut found: Vec<i64> = exact
            .into_iter()
            .skip(offset.min(exact_count) as usize)
            .take(wanted as usize)
            .collect();
        let title_offset = (offset - exact_count).max(0);
        if (found.len() as i64) < wanted && title_offset < in_titles - exact_count {
            let limit = wanted - found.len() as i64;
            let ids: Vec<i64> = stream(&in_title, exact_count > 0, limit, title_offset)
                .build_query_scalar()
                .fetch_all(&self.pool)
                .await?;
            found.extend(ids);
        }
        if (found.len() as i64) < wanted {
            let limit = wanted - found.len() as i64;
            let ids: Vec<i64> = stream(&only_in_body, false, limit, (offset - in_titles).max(0))
                .build_query_scalar()
                .fetch_all(&self.pool)
                .await?;
            found.extend(ids);
        }
        let more = found.len() as i64 > i64::from(search.limit);
        found.truncate(search.limit as usize);
        if found.is_empty() {
            return Ok(Found {
                items: Vec::new(),
                more,
            });
        }
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {DOCUMENT_COLUMNS}, body FROM documents WHERE id IN ("
        ));
        let mut list = query.separated(", ");
        for id in &found {
            list.push_bind(*id);
        }
        query.push(")");
        let mut rows: Vec<DocumentHit> = query.build_query_as().fetch_all(&self.pool).await?;
        rows.sort_by_key(|hit| found.iter().position(|id| *id == hit.row.id));
        let items = rows
            .into_iter()
            .map(|hit| Ok((hit.row.into_summary()?, decode_body(&hit.body)?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(Found { items, more })
    }

    async fn search_announcements(
        &self,
        search: &TextSearch,
    ) -> Result<Found<AnnouncementSummary>, StoreError> {
        let rows: Vec<AnnouncementHit> = sqlx::query_as(
            "SELECT a.id, a.title, a.agency, a.published_at, a.pinned, a.language, a.body AS body \
             FROM announcements_search JOIN announcements a ON a.id = announcements_search.rowid \
             WHERE announcements_search MATCH ? \
             ORDER BY a.title = ? DESC, bm25(announcements_search, 4.0, 1.0), a.id DESC \
             LIMIT ? OFFSET ?",
        )
        .bind(&search.expression)
        .bind(&search.text)
        .bind(i64::from(search.limit) + 1)
        .bind(i64::from(search.offset))
        .fetch_all(&self.pool)
        .await?;
        let more = rows.len() > search.limit as usize;
        let items = rows
            .into_iter()
            .take(search.limit as usize)
            .map(|hit| Ok((hit.row.into_summary(), decode_body(&hit.body)?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(Found { items, more })
    }

    async fn next_document_id(&self) -> Result<i64, StoreError> {
        let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM documents")
            .fetch_one(&self.pool)
            .await?;
        Ok(max.unwrap_or(0) + 1)
    }

    async fn document(&self, id: i64) -> Result<Option<Document>, StoreError> {
        let row: Option<DocumentRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (effective_on, replaced_by, interprets, body): (
            Option<String>,
            Option<i64>,
            Option<i64>,
            String,
        ) = sqlx::query_as(
            "SELECT effective_on, replaced_by, interprets, body FROM documents WHERE id = ?",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        // The other direction of each link (indexed: documents_interprets, _replaced_by).
        let interpretations: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM documents WHERE interprets = ? ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        let replaces: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM documents WHERE replaced_by = ? ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        let files: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT position, name, media_type, size FROM document_attachments \
             WHERE document_id = ? ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let attachments = files
            .into_iter()
            .map(|(position, name, media_type, size)| api::Attachment {
                name,
                media_type,
                bytes: size.max(0) as u64,
                url: format!("{}/documents/{id}/attachments/{position}", api::API_PREFIX),
            })
            .collect();
        Ok(Some(Document {
            summary: row.into_summary()?,
            effective_on,
            replaced_by,
            interprets,
            interpretations,
            replaces,
            body: decode_body(&body)?,
            attachments,
        }))
    }

    async fn add_attachment(
        &self,
        document_id: i64,
        name: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<u32, StoreError> {
        let _writer = self.filing.lock().await;
        let position: i64 = sqlx::query_scalar(
            "INSERT INTO document_attachments (document_id, position, name, media_type, size, content) \
             VALUES (?1, (SELECT COALESCE(MAX(position), 0) + 1 FROM document_attachments \
                          WHERE document_id = ?1), ?2, ?3, ?4, ?5) RETURNING position",
        )
        .bind(document_id)
        .bind(name)
        .bind(media_type)
        .bind(bytes.len() as i64)
        .bind(bytes)
        .fetch_one(&self.pool)
        .await?;
        Ok(position.max(0) as u32)
    }

    async fn attachment(
        &self,
        document_id: i64,
        position: u32,
    ) -> Result<Option<(String, String, Vec<u8>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT name, media_type, content FROM document_attachments \
             WHERE document_id = ? AND position = ?",
        )
        .bind(document_id)
        .bind(i64::from(position))
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn announcements(
        &self,
        cursor: Option<AnnouncementCursor>,
        limit: u32,
    ) -> Result<Slice<AnnouncementSummary, AnnouncementCursor>, StoreError> {
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT id, title, agency, published_at, pinned, language FROM announcements",
        );
        if let Some(cursor) = cursor {
            query
                .push(" WHERE (pinned, published_at, id) < (")
                .push_bind(cursor.pinned)
                .push(", ")
                .push_bind(cursor.published_at)
                .push(", ")
                .push_bind(cursor.id)
                .push(")");
        }
        query
            .push(" ORDER BY pinned DESC, published_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let mut rows: Vec<AnnouncementRow> = query.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = if more {
            rows.last().map(|row| AnnouncementCursor {
                pinned: row.pinned,
                published_at: row.published_at,
                id: row.id,
            })
        } else {
            None
        };
        Ok(Slice {
            items: rows
                .into_iter()
                .map(AnnouncementRow::into_summary)
                .collect(),
            next,
        })
    }

    async fn announcement(&self, id: i64) -> Result<Option<Announcement>, StoreError> {
        let row: Option<AnnouncementRow> = sqlx::query_as(
            "SELECT id, title, agency, published_at, pinned, language FROM announcements WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (body,): (String,) = sqlx::query_as("SELECT body FROM announcements WHERE id = ?")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(Some(Announcement {
            summary: row.into_summary(),
            body: decode_body(&body)?,
        }))
    }

    async fn refresh_stats(&self) -> Result<usize, StoreError> {
        self.refresh_stats_now().await
    }

    async fn period_counts(
        &self,
        buckets: &Buckets,
        district: Option<&str>,
    ) -> Result<PeriodCounts, StoreError> {
        self.period_counts_of(buckets, district).await
    }

    async fn monthly_counts(
        &self,
        first: &str,
        last: &str,
        district: Option<&str>,
    ) -> Result<Vec<(String, Counts)>, StoreError> {
        self.monthly_counts_of(first, last, district).await
    }

    async fn overdue_count(
        &self,
        filed_from: i64,
        filed_before: i64,
        today: &str,
        district: Option<&str>,
    ) -> Result<u64, StoreError> {
        self.overdue_count_of(filed_from, filed_before, today, district)
            .await
    }

    async fn category_counts(
        &self,
        first: &str,
        last: &str,
        district: Option<&str>,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        self.category_counts_of(first, last, district).await
    }

    async fn titles_filed(
        &self,
        filed_from: i64,
        filed_before: i64,
        district: Option<&str>,
    ) -> Result<Vec<String>, StoreError> {
        self.titles_filed_in(filed_from, filed_before, district)
            .await
    }
}
