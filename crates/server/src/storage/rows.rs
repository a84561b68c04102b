//! What both stores read and filter alike: rows as both databases return them (the same
//! columns, the same types), decoded into records (`crate::domain::records`) and, for
//! documents and announcements, the contract's types.

use api::{
    AnnouncementSummary, Block, CaseKind, CaseNumber, CaseStatus, ContentLanguage, DocumentSummary,
    DocumentType, Validity,
};
use sqlx::{Database, Encode, FromRow, QueryBuilder, Type};

use super::{
    CaseCursor, CaseExtras, CaseFilter, CaseRecord, CaseSort, DocumentFilter, EventRecord, Filed,
    FiledCase, Migrations, PoolStatus, Slice, StoreError,
};
use crate::clock;
use crate::domain::records::{CaseFile, CaseListing, OwnerRecord};

/// The statuses of a case that owes a reply ([`CaseStatus::awaits_reply`], the one
/// definition), as an SQL list of literals: `'submitted', 'accepted', …`. Written into
/// queries as literals, not bound, so that they repeat the partial index
/// `cases_open_deadline`'s condition (which the migrations spell out the same; a test
/// holds them to this).
pub(super) fn owing_statuses() -> String {
    let codes: Vec<String> = CaseStatus::ALL
        .into_iter()
        .filter(|status| status.awaits_reply())
        .map(|status| format!("'{}'", status.code()))
        .collect();
    codes.join(", ")
}

pub(super) fn decode_code<T>(code: &str, from: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    from(code).ok_or_else(|| StoreError::Corrupt(format!("unknown code {code:?}")))
}

pub(super) fn decode_language(tag: &str) -> ContentLanguage {
    if tag == "en" {
        ContentLanguage::En
    } else {
        ContentLanguage::ZhCn
    }
}

pub(super) fn decode_body(json: &str) -> Result<Vec<Block>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("body: {e}")))
}

pub(super) fn decode_number(number: &str) -> Result<CaseNumber, StoreError> {
    CaseNumber::parse(number).map_err(|_| StoreError::Corrupt(format!("case number {number:?}")))
}

#[derive(FromRow)]
pub(super) struct CaseRow {
    pub(super) id: i64,
    pub(super) number: String,
    pub(super) kind: String,
    pub(super) category: String,
    pub(super) district: String,
    pub(super) title: String,
    pub(super) status: String,
    pub(super) department: Option<String>,
    pub(super) submitted_at: i64,
    pub(super) deadline: Option<String>,
    pub(super) replied_at: Option<i64>,
}

impl CaseRow {
    pub(super) fn into_listing(self) -> Result<CaseListing, StoreError> {
        Ok(CaseListing {
            number: decode_number(&self.number)?,
            kind: decode_code(&self.kind, CaseKind::from_code)?,
            category: self.category,
            district: self.district,
            title: self.title,
            status: decode_code(&self.status, CaseStatus::from_code)?,
            department: self.department,
            submitted_at: self.submitted_at,
            deadline: self.deadline.as_deref().and_then(clock::parse_iso_date),
            replied_at: self.replied_at,
        })
    }
}

pub(super) const CASE_COLUMNS: &str = "id, number, kind, category, district, title, status, department, \
     submitted_at, deadline, replied_at";

/// [`CASE_COLUMNS`] with the title its resident wrote, for the owner's and the staff's views
/// (a case published redacted has its public title in `title`).
pub(super) const OWN_CASE_COLUMNS: &str = "id, number, kind, category, district, \
     COALESCE(original_title, title) AS title, status, department, submitted_at, deadline, \
     replied_at";

/// The columns of [`DetailRow`]: the public place and description, or with `own` what the
/// resident wrote.
pub(super) fn detail_columns(own: bool) -> &'static str {
    if own {
        "COALESCE(original_place, place), COALESCE(original_description, description), \
         submitter_mask, replied_at, reply_department, reply_text, published, publication, \
         withheld_reason, texts"
    } else {
        "place, description, submitter_mask, replied_at, reply_department, reply_text, \
         published, publication, withheld_reason, texts"
    }
}

/// How many of the newest published cases "similar cases" compares a title with.
pub(super) const SIMILAR_WINDOW: i64 = 2_000;

#[derive(FromRow)]
pub(super) struct DocumentRow {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) number: Option<String>,
    pub(super) agency: String,
    pub(super) doc_type: String,
    pub(super) topic: String,
    pub(super) issued_on: String,
    pub(super) published_on: String,
    pub(super) validity: String,
    pub(super) language: String,
}

impl DocumentRow {
    pub(super) fn into_summary(self) -> Result<DocumentSummary, StoreError> {
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
pub(super) struct DocumentHit {
    #[sqlx(flatten)]
    pub(super) row: DocumentRow,
    pub(super) body: String,
}

pub(super) const DOCUMENT_COLUMNS: &str =
    "id, title, number, agency, doc_type, topic, issued_on, published_on, validity, language";

#[derive(FromRow)]
pub(super) struct AnnouncementHit {
    #[sqlx(flatten)]
    pub(super) row: AnnouncementRow,
    pub(super) body: String,
}

#[derive(FromRow)]
pub(super) struct AnnouncementRow {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) agency: String,
    pub(super) published_at: i64,
    pub(super) pinned: bool,
    pub(super) language: String,
}

impl AnnouncementRow {
    pub(super) fn into_summary(self) -> AnnouncementSummary {
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

/// The filters of the catalogue, on the documents table under `alias`.
pub(super) fn push_document_filter<DB>(
    query: &mut QueryBuilder<DB>,
    filter: &DocumentFilter,
    alias: &str,
) where
    DB: Database,
    for<'t> &'static str: Encode<'t, DB> + Type<DB>,
    for<'t> String: Encode<'t, DB> + Type<DB>,
{
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

/// An RFC 3339 instant as Unix seconds.
pub(super) fn unix_seconds(text: &str) -> Result<i64, StoreError> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|at| at.unix_timestamp())
        .map_err(|e| StoreError::Corrupt(format!("instant {text:?}: {e}")))
}

/// A structured body as it is stored: JSON text.
pub(super) fn encode_body(body: &[Block]) -> Result<String, StoreError> {
    serde_json::to_string(body).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The columns of a case as a copy reads it (see [`ExportRow`]).
pub(super) const EXPORT_COLUMNS: &str = "id, number, kind, category, district, place, latitude, \
     longitude, title, description, status, department, submitted_at, deadline, \
     replied_at, reply_department, reply_text, replied_on_time, tracking_hash, extended_at, \
     extension_reason, publication, withheld_reason, original_title, original_description, \
     original_place, language, texts";

/// A case row as a copy reads it: everything but what hangs off it in other tables.
#[derive(FromRow)]
pub(super) struct ExportRow {
    pub(super) id: i64,
    number: String,
    kind: String,
    category: String,
    district: String,
    place: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    title: String,
    description: String,
    status: String,
    department: Option<String>,
    submitted_at: i64,
    deadline: Option<String>,
    replied_at: Option<i64>,
    reply_department: Option<String>,
    reply_text: Option<String>,
    replied_on_time: Option<bool>,
    tracking_hash: String,
    extended_at: Option<i64>,
    extension_reason: Option<String>,
    publication: String,
    withheld_reason: Option<String>,
    original_title: Option<String>,
    original_description: Option<String>,
    original_place: Option<String>,
    language: String,
    texts: bool,
}

/// A timeline entry as both stores read it: at, status, department, note, rating,
/// follow-up, action, actor.
pub(super) type EventRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    Option<String>,
    Option<String>,
);

/// What hangs off a case in other tables, as a copy reads it.
#[derive(Default)]
pub(super) struct Attached {
    pub(super) contact: Option<(String, String)>,
    pub(super) events: Vec<EventRow>,
    pub(super) rating_comment: Option<String>,
    pub(super) photos: Vec<String>,
    pub(super) idempotency: Option<(String, String, i64)>,
}

/// A timeline entry led by its case's id.
pub(super) type SideEvent = (
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    Option<String>,
    Option<String>,
);

/// The side tables of a range of cases, each row led by its case's id: what one query per
/// table returns for a batch of [`ExportRow`]s.
#[derive(Default)]
pub(super) struct SideRows {
    pub(super) contacts: Vec<(i64, String, String)>,
    pub(super) events: Vec<SideEvent>,
    pub(super) ratings: Vec<(i64, Option<String>)>,
    pub(super) photos: Vec<(i64, String)>,
    pub(super) keys: Vec<(i64, String, String, i64)>,
}

/// Joins a batch of cases with their side rows into whole records (events come ordered).
pub(super) fn export_records(
    rows: Vec<ExportRow>,
    side: SideRows,
) -> Result<Vec<(i64, CaseRecord)>, StoreError> {
    use std::collections::HashMap;
    let mut attached: HashMap<i64, Attached> = rows
        .iter()
        .map(|row| (row.id, Attached::default()))
        .collect();
    for (id, name, phone) in side.contacts {
        if let Some(a) = attached.get_mut(&id) {
            a.contact = Some((name, phone));
        }
    }
    for (id, at, status, department, note, rating, follow_up, action, actor) in side.events {
        if let Some(a) = attached.get_mut(&id) {
            a.events.push((
                at, status, department, note, rating, follow_up, action, actor,
            ));
        }
    }
    for (id, comment) in side.ratings {
        if let Some(a) = attached.get_mut(&id) {
            a.rating_comment = comment;
        }
    }
    for (id, photo) in side.photos {
        if let Some(a) = attached.get_mut(&id) {
            a.photos.push(photo);
        }
    }
    for (id, key, hash, at) in side.keys {
        if let Some(a) = attached.get_mut(&id) {
            a.idempotency = Some((key, hash, at));
        }
    }
    rows.into_iter()
        .map(|row| {
            let id = row.id;
            let side = attached.remove(&id).unwrap_or_default();
            Ok((id, row.into_record(side)?))
        })
        .collect()
}

impl ExportRow {
    /// The whole case as a [`CaseRecord`].
    pub(super) fn into_record(self, attached: Attached) -> Result<CaseRecord, StoreError> {
        let events = attached
            .events
            .into_iter()
            .map(event_record)
            .collect::<Result<_, StoreError>>()?;
        Ok(CaseRecord {
            number: decode_number(&self.number)?,
            kind: decode_code(&self.kind, CaseKind::from_code)?,
            category: self.category,
            district: self.district,
            place: self.place,
            coordinates: self.latitude.zip(self.longitude),
            title: self.title,
            description: self.description,
            status: decode_code(&self.status, CaseStatus::from_code)?,
            department: self.department,
            publication: decode_code(&self.publication, api::PublicationState::from_code)?,
            contact: attached.contact,
            submitted_at: self.submitted_at,
            deadline: self.deadline.as_deref().and_then(clock::parse_iso_date),
            reply: match (self.replied_at, self.reply_department, self.reply_text) {
                (Some(at), Some(department), Some(text)) => Some((at, department, text)),
                _ => None,
            },
            events,
            tracking_hash: self.tracking_hash,
            extras: CaseExtras {
                extension: self.extended_at.zip(self.extension_reason),
                replied_on_time: self.replied_on_time,
                rating_comment: attached.rating_comment,
                photos: attached.photos,
                idempotency: attached.idempotency,
                withheld_reason: self.withheld_reason,
                original: match (
                    self.original_title,
                    self.original_description,
                    self.original_place,
                ) {
                    (Some(title), Some(description), Some(place)) => Some(api::PublicText {
                        title,
                        description,
                        place,
                    }),
                    _ => None,
                },
                language: api::ContentLanguage::from_tag(&self.language).unwrap_or_default(),
                texts: self.texts,
            },
        })
    }
}

/// A staff account's row: `name, role, department, created_at, revoked_at`.
pub(super) type AccountRow = (String, String, Option<String>, i64, Option<i64>);

/// The start of a query for [`AccountRow`]s.
pub(super) const ACCOUNT_COLUMNS: &str =
    "SELECT name, role, department, created_at, revoked_at FROM staff";

/// A staff account from its row.
pub(super) fn staff_account(row: AccountRow) -> Result<super::StaffAccount, StoreError> {
    let (name, role, department, created_at, revoked_at) = row;
    Ok(super::StaffAccount {
        name,
        role: decode_code(&role, api::StaffRole::from_code)?,
        department,
        created_at,
        revoked_at,
    })
}

/// An event as stored.
pub(super) fn event_record(row: EventRow) -> Result<EventRecord, StoreError> {
    let (at, status, department, note, rating, follow_up, action, actor) = row;
    Ok(EventRecord {
        at,
        status: decode_code(&status, CaseStatus::from_code)?,
        department,
        note,
        rating: rating
            .as_deref()
            .map(|r| decode_code(r, api::Rating::from_code))
            .transpose()?,
        follow_up,
        action: action
            .as_deref()
            .map(|a| decode_code(a, api::ActionKind::from_code))
            .transpose()?,
        actor,
    })
}

/// `place, description, submitter_mask, replied_at, reply_department, reply_text, published,
/// publication, withheld_reason` ([`detail_columns`]).
pub(super) type DetailRow = (
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    bool,
    String,
    Option<String>,
    bool,
);

/// The contact (`name, phone`) and the rating (`rating, comment, at`) of the owner's view.
pub(super) type OwnerRows = (
    Option<(String, String)>,
    Option<(String, Option<String>, i64)>,
);

/// What a case's page is made of, as both stores read it.
pub(super) struct DetailRows {
    pub(super) detail: DetailRow,
    pub(super) summary: CaseRow,
    pub(super) events: Vec<EventRow>,
    /// For the owner's view: the contact, and the rating.
    pub(super) owner: Option<OwnerRows>,
}

/// A case's page from its rows; the owner's part only when [`DetailRows::owner`] is read.
pub(super) fn case_file(rows: DetailRows) -> Result<CaseFile, StoreError> {
    let (
        place,
        description,
        submitter,
        replied_at,
        reply_department,
        reply_text,
        published,
        publication,
        withheld_reason,
        texts,
    ) = rows.detail;
    let owner = rows.owner.map(|(contact, rating)| {
        // A rating this build does not know is left out, as if not given.
        let rating = rating.and_then(|(rating, comment, at)| {
            api::Rating::from_code(&rating).map(|rating| (rating, comment, at))
        });
        OwnerRecord { contact, rating }
    });
    Ok(CaseFile {
        listing: rows.summary.into_listing()?,
        place,
        description,
        submitter,
        reply: match (replied_at, reply_department, reply_text) {
            (Some(at), Some(department), Some(text)) => Some((at, department, text)),
            _ => None,
        },
        published,
        publication: decode_code(&publication, api::PublicationState::from_code)?,
        withheld_reason,
        texts,
        events: rows
            .events
            .into_iter()
            .map(event_record)
            .collect::<Result<_, _>>()?,
        owner,
    })
}

/// The board's filters, order and cursor after `… WHERE published`, the same on both
/// stores but for the text terms, which `push_terms` writes in the store's own way.
pub(super) fn push_case_filter<DB>(
    query: &mut QueryBuilder<DB>,
    filter: &CaseFilter,
    cursor: Option<CaseCursor>,
    limit: u32,
    push_terms: impl FnOnce(&mut QueryBuilder<DB>, &[String]),
) where
    DB: Database,
    for<'t> &'static str: Encode<'t, DB> + Type<DB>,
    for<'t> String: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
{
    if let Some(district) = &filter.district {
        query.push(" AND district = ").push_bind(district.clone());
    }
    if let Some(category) = &filter.category {
        if category.contains('.') {
            query.push(" AND category = ").push_bind(category.clone());
        } else {
            // A group matches its children, whose codes all start with `group.` (compared
            // byte by byte: SQLite's default, PostgreSQL's "C" collation of the column).
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
    if let Some(terms) = &filter.terms {
        push_terms(query, terms);
    }
    if let Some(from) = filter.filed_from {
        query.push(" AND submitted_at >= ").push_bind(from);
    }
    if let Some(before) = filter.filed_before {
        query.push(" AND submitted_at < ").push_bind(before);
    }
    if filter.awaiting_review {
        query.push(" AND publication = 'awaiting_review'");
    }
    if let Some(today) = filter.overdue_on {
        query
            .push(format!(
                " AND status IN ({}) AND deadline < ",
                owing_statuses()
            ))
            .push_bind(clock::iso_date(today));
    }
    let key = sort_key(filter.sort);
    if filter.sort == CaseSort::Replied {
        query.push(" AND replied_at IS NOT NULL");
    }
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
}

/// The column the board is ordered by (then `id`), newest first.
pub(super) fn sort_key(sort: CaseSort) -> &'static str {
    match sort {
        CaseSort::Newest => "submitted_at",
        CaseSort::Replied => "replied_at",
    }
}

/// A board page from up to `limit + 1` rows: the cursor after the last when more follow.
pub(super) fn case_slice(
    mut rows: Vec<CaseRow>,
    sort: CaseSort,
    limit: u32,
) -> Result<Slice<CaseListing, CaseCursor>, StoreError> {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = more.then(|| rows.last()).flatten().map(|row| CaseCursor {
        key: match sort {
            CaseSort::Newest => row.submitted_at,
            CaseSort::Replied => row.replied_at.unwrap_or_default(),
        },
        id: row.id,
    });
    let items = rows
        .into_iter()
        .map(CaseRow::into_listing)
        .collect::<Result<_, _>>()?;
    Ok(Slice { items, next })
}

/// The columns an earlier filing is read with (`k` the key's row, `c` its case).
pub(super) const EARLIER_FILING_COLUMNS: &str =
    "k.request_hash, c.number, c.status, c.submitted_at, c.deadline";

/// An earlier filing's row, as read with [`EARLIER_FILING_COLUMNS`].
pub(super) type EarlierRow = (String, String, String, i64, String);

/// What an earlier filing with the same key means for a request with `request_hash`: the
/// same request again (its case), or the key used for another (refused).
pub(super) fn earlier_filing(row: EarlierRow, request_hash: &str) -> Result<Filed, StoreError> {
    let (stored_hash, number, status, submitted_at, deadline) = row;
    if stored_hash != request_hash {
        return Ok(Filed::KeyReused);
    }
    Ok(Filed::Replayed(FiledCase {
        number: decode_number(&number)?,
        status: decode_code(&status, CaseStatus::from_code)?,
        submitted_at,
        deadline,
    }))
}

/// A pool's state now, and how long taking a connection took.
pub(super) async fn pool_status<DB: Database>(
    pool: &sqlx::Pool<DB>,
) -> Result<PoolStatus, StoreError> {
    let started = std::time::Instant::now();
    let connection = pool.acquire().await?;
    let acquire_seconds = started.elapsed().as_secs_f64();
    drop(connection);
    Ok(PoolStatus {
        size: pool.size(),
        idle: pool.num_idle() as u32,
        max: pool.options().get_max_connections(),
        acquire_seconds,
    })
}

/// How the migrations applied to `pool`'s database compare with `migrator`'s.
pub(super) async fn migrations<DB>(
    pool: &sqlx::Pool<DB>,
    migrator: &sqlx::migrate::Migrator,
) -> Result<Migrations, StoreError>
where
    DB: Database,
    DB::Connection: sqlx::migrate::Migrate,
{
    use sqlx::migrate::Migrate;
    let mut connection = pool.acquire().await?;
    let applied: Vec<i64> = connection
        .list_applied_migrations(&migrator.table_name)
        .await
        .map_err(|e| StoreError::Migration(e.to_string()))?
        .into_iter()
        .map(|m| m.version)
        .collect();
    let build: Vec<i64> = migrator.iter().map(|m| m.version).collect();
    Ok(Migrations::compare(&build, &applied))
}

/// A case's resident as the rules of `crate::domain::notify` see them, from its row: the
/// language it was filed in, whether they get texts, and their contact.
pub(super) fn recipient(
    language: &str,
    texts: bool,
    contact: Option<(String, String)>,
) -> crate::domain::notify::Recipient {
    crate::domain::notify::Recipient {
        language: api::ContentLanguage::from_tag(language).unwrap_or_default(),
        texts,
        contact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The condition of the last index over `cases (deadline, submitted_at)` a migrations
    /// folder creates (the "overdue now" index).
    fn open_deadline_condition(folder: &str) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        let mut condition = None;
        for file in files {
            let sql = std::fs::read_to_string(&file).unwrap();
            if let Some((_, rest)) = sql.rsplit_once("ON cases (deadline, submitted_at)") {
                let statement = rest.split(';').next().unwrap();
                let (_, predicate) = statement.split_once("WHERE").unwrap();
                condition = Some(predicate.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
        condition.unwrap_or_else(|| panic!("no cases_open_deadline in {folder}"))
    }

    #[test]
    fn the_overdue_index_owes_a_reply_as_the_contract_says() {
        // The statuses, from the one definition.
        assert_eq!(
            owing_statuses(),
            "'submitted', 'accepted', 'assigned', 'in_progress'"
        );
        for folder in ["migrations", "migrations/postgres"] {
            assert_eq!(
                open_deadline_condition(folder),
                format!("status IN ({})", owing_statuses()),
                "{folder}"
            );
        }
    }
}
