//! Cases in PostgreSQL: filing, changes decided by `crate::domain`, the board and a case's
//! page. Several processes may write at once: a day's numbers come from one row that each
//! filing updates (so two filings never share a number, and `cases.number` is unique
//! anyway), an idempotency key is taken under an advisory lock on the key, and a change
//! locks its case's row before the rule sees the state.

use api::{CaseDetail, CaseKind, CaseNumber, CaseStatus, CaseSummary};
use sqlx::PgConnection;

use super::*;
use crate::clock;
use crate::domain::{self, CaseState, Change};

impl PostgresStore {
    /// The case an earlier request with this filing's idempotency key made, if any.
    async fn earlier_filing_in<'c, E>(
        &self,
        db: E,
        key: &str,
        request_hash: &str,
    ) -> Result<Option<Filed>, StoreError>
    where
        E: sqlx::PgExecutor<'c>,
    {
        let row: Option<EarlierRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {EARLIER_FILING_COLUMNS} \
             FROM idempotency_keys k JOIN cases c ON c.id = k.case_id WHERE k.key = $1"
        )))
        .bind(key)
        .fetch_optional(db)
        .await?;
        row.map(|row| earlier_filing(row, request_hash)).transpose()
    }

    /// A case's page; `owner` adds what only its submitter may see.
    pub(super) async fn load_detail(
        &self,
        id: i64,
        today: Date,
        owner: bool,
    ) -> Result<CaseDetail, StoreError> {
        let detail: DetailRow = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {} FROM cases WHERE id = $1",
            detail_columns(owner)
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let columns = if owner {
            OWN_CASE_COLUMNS
        } else {
            CASE_COLUMNS
        };
        let summary: CaseRow = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {columns} FROM cases WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let events = sqlx::query_as(
            "SELECT at, status, department, note, rating, follow_up, action, actor FROM case_events \
             WHERE case_id = $1 ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let owner = if owner {
            let contact =
                sqlx::query_as("SELECT name, phone FROM case_contacts WHERE case_id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
            let rating =
                sqlx::query_as("SELECT rating, comment, at FROM ratings WHERE case_id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
            Some((contact, rating))
        } else {
            None
        };
        case_detail(
            DetailRows {
                detail,
                summary,
                events,
                owner,
            },
            today,
        )
    }
}

/// Stores whole cases (their rows, contacts, timelines, ratings and extras) in a few
/// statements over arrays (UNNEST) rather than a few per case; answers their ids in order.
/// Filing (one case), the demo's million and a town's copy all come through here.
async fn insert_records(
    tx: &mut PgConnection,
    cases: &[CaseRecord],
) -> Result<Vec<i64>, StoreError> {
    let ids = insert_case_rows(tx, cases).await?;
    let mut contacts = (Vec::new(), Vec::new(), Vec::new());
    let mut events = EventColumns::default();
    let mut ratings = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (case, id) in cases.iter().zip(&ids) {
        if let Some((name, phone)) = &case.contact {
            contacts.0.push(*id);
            contacts.1.push(name.as_str());
            contacts.2.push(phone.as_str());
        }
        for event in &case.events {
            events.push(*id, event);
            if let Some(rating) = event.rating {
                ratings.0.push(*id);
                ratings.1.push(rating.code());
                ratings.2.push(case.extras.rating_comment.as_deref());
                ratings.3.push(event.at);
            }
        }
    }
    if !contacts.0.is_empty() {
        sqlx::query(
            "INSERT INTO case_contacts (case_id, name, phone) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[])",
        )
        .bind(&contacts.0)
        .bind(&contacts.1)
        .bind(&contacts.2)
        .execute(&mut *tx)
        .await?;
    }
    if !events.case_id.is_empty() {
        sqlx::query(
            "INSERT INTO case_events (case_id, at, status, department, note, rating, follow_up, \
             action, actor) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], \
             $5::text[], $6::text[], $7::boolean[], $8::text[], $9::text[])",
        )
        .bind(&events.case_id)
        .bind(&events.at)
        .bind(&events.status)
        .bind(&events.department)
        .bind(&events.note)
        .bind(&events.rating)
        .bind(&events.follow_up)
        .bind(&events.action)
        .bind(&events.actor)
        .execute(&mut *tx)
        .await?;
    }
    if !ratings.0.is_empty() {
        sqlx::query(
            "INSERT INTO ratings (case_id, rating, comment, at) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bigint[])",
        )
        .bind(&ratings.0)
        .bind(&ratings.1)
        .bind(&ratings.2)
        .bind(&ratings.3)
        .execute(&mut *tx)
        .await?;
    }
    for (case, id) in cases.iter().zip(&ids) {
        if case.extras != CaseExtras::default() {
            write_extras(tx, *id, &case.extras).await?;
        }
    }
    Ok(ids)
}

/// What a copied case gathered after filing: its extension, its photos, its idempotency key.
async fn write_extras(
    tx: &mut PgConnection,
    id: i64,
    extras: &CaseExtras,
) -> Result<(), StoreError> {
    if let Some((at, reason)) = &extras.extension {
        sqlx::query("UPDATE cases SET extended_at = $1, extension_reason = $2 WHERE id = $3")
            .bind(at)
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    for photo in &extras.photos {
        sqlx::query("UPDATE uploads SET case_id = $1 WHERE id = $2")
            .bind(id)
            .bind(photo)
            .execute(&mut *tx)
            .await?;
    }
    if extras.language != api::ContentLanguage::default() || extras.texts {
        sqlx::query("UPDATE cases SET language = $1, texts = $2 WHERE id = $3")
            .bind(extras.language.tag())
            .bind(extras.texts)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    if let Some((key, request_hash, at)) = &extras.idempotency {
        sqlx::query(
            "INSERT INTO idempotency_keys (key, case_id, request_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(key)
        .bind(id)
        .bind(request_hash)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl CaseStore for PostgresStore {
    async fn earlier_filing(
        &self,
        key: &str,
        request_hash: &str,
    ) -> Result<Option<Filed>, StoreError> {
        self.earlier_filing_in(&self.pool, key, request_hash).await
    }

    async fn file_case(&self, filing: &Filing) -> Result<Filed, StoreError> {
        // The number comes from a transaction of its own, committed at once, so the day's
        // counter row is locked for an instant, not for the whole filing: filings from many
        // clients and processes then commit side by side (and share their WAL flushes). A
        // filing that fails after this leaves a gap in the day's numbers; numbers stay
        // unique, which `cases.number` also enforces. The counter's commit is not waited for
        // on its own: the filing's durable commit comes later in the WAL and flushes it too.
        let day = filing.day();
        let mut counter = self.pool.begin().await?;
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *counter)
            .await?;
        let sequence: i64 = sqlx::query_scalar(
            "INSERT INTO case_sequences (day, last) VALUES ($1, 1) \
             ON CONFLICT (day) DO UPDATE SET last = case_sequences.last + 1 RETURNING last",
        )
        .bind(&day)
        .fetch_one(&mut *counter)
        .await?;
        counter.commit().await?;
        let number = CaseNumber::from_parts(&day, sequence as u32)
            .map_err(|_| StoreError::Corrupt(format!("sequence {sequence} of {day}")))?;

        let mut tx = self.pool.begin().await?;
        if let Some((key, request_hash)) = &filing.idempotency {
            // The same key from two processes at once: the second waits here until the first
            // commits, then finds its case. (A retry usually finds it earlier, through
            // `earlier_filing`, before a number is taken for it.)
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(key)
                .execute(&mut *tx)
                .await?;
            if let Some(earlier) = self.earlier_filing_in(&mut *tx, key, request_hash).await? {
                return Ok(earlier);
            }
        }
        let ids = insert_records(
            &mut tx,
            std::slice::from_ref(&filing.record(number.clone())),
        )
        .await?;
        let id = ids[0];
        // Every photo must be an upload no case has claimed yet; otherwise nothing is kept.
        // In one order, so two filings naming the same photos cannot deadlock.
        let mut photos: Vec<&String> = filing.case.photos.iter().collect();
        photos.sort();
        for photo in photos {
            let claimed =
                sqlx::query("UPDATE uploads SET case_id = $1 WHERE id = $2 AND case_id IS NULL")
                    .bind(id)
                    .bind(photo)
                    .execute(&mut *tx)
                    .await?;
            if claimed.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(Filed::UnknownPhotos);
            }
        }
        if let Some((key, request_hash)) = &filing.idempotency {
            sqlx::query(
                "INSERT INTO idempotency_keys (key, case_id, request_hash, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(key)
            .bind(id)
            .bind(request_hash)
            .bind(filing.submitted_at)
            .execute(&mut *tx)
            .await?;
        }
        write_outbox(&mut tx, id, &filing.messages(&number), filing.submitted_at).await?;
        tx.commit().await?;
        Ok(Filed::Created(filing.filed(number)))
    }

    async fn change_case(
        &self,
        key: CaseKey<'_>,
        decide: &Decide<'_>,
    ) -> Result<Decided, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Lock first, then read: the read is a new statement, so it sees what a change that
        // held the lock before us committed (a rating, a reply).
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM cases WHERE number = $1 AND ($2::text IS NULL OR tracking_hash = $2) \
             FOR UPDATE",
        )
        .bind(key.number.as_str())
        .bind(key.owner)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            return Ok(None);
        };
        type StateRow = (
            String,
            String,
            Option<String>,
            Option<String>,
            bool,
            Option<i64>,
            Option<String>,
            String,
            String,
            bool,
            Option<String>,
            Option<String>,
        );
        let (
            kind,
            status,
            department,
            deadline,
            extended,
            replied_at,
            rating,
            publication,
            language,
            texts,
            name,
            phone,
        ): StateRow = sqlx::query_as(
            "SELECT c.kind, c.status, c.department, c.deadline, c.extended_at IS NOT NULL, \
                 c.replied_at, r.rating, c.publication, c.language, c.texts, k.name, k.phone \
                 FROM cases c LEFT JOIN ratings r ON r.case_id = c.id \
                 LEFT JOIN case_contacts k ON k.case_id = c.id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let state = CaseState {
            kind: decode_code(&kind, CaseKind::from_code)?,
            status: decode_code(&status, CaseStatus::from_code)?,
            department,
            deadline: deadline.as_deref().and_then(clock::parse_iso_date),
            extended,
            replied_at,
            rating: rating
                .as_deref()
                .map(|r| decode_code(r, api::Rating::from_code))
                .transpose()?,
            publication: decode_code(&publication, api::PublicationState::from_code)?,
            recipient: recipient(&language, texts, name.zip(phone)),
        };
        let decision = decide(&state);
        if let Ok(change) = &decision {
            save_change(&mut tx, id, change).await?;
            tx.commit().await?;
        }
        Ok(Some((state, decision)))
    }

    async fn unrated_replies(&self, replied_before: i64) -> Result<Vec<CaseNumber>, StoreError> {
        let numbers: Vec<String> = sqlx::query_scalar(
            "SELECT number FROM cases WHERE status = 'replied' AND replied_at < $1 ORDER BY id",
        )
        .bind(replied_before)
        .fetch_all(&self.pool)
        .await?;
        numbers.iter().map(|n| decode_number(n)).collect()
    }

    async fn insert_cases(&self, cases: &[CaseRecord]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_records(&mut tx, cases).await?;
        // Filing continues each day's numbers after the highest one imported.
        let mut sequences: std::collections::BTreeMap<&str, i64> = Default::default();
        for case in cases {
            if let Some((day, sequence)) = case.number.as_str().split_once('-') {
                let last = sequences.entry(day).or_default();
                *last = (*last).max(sequence.parse::<i64>().unwrap_or_default());
            }
        }
        for (day, last) in sequences {
            sqlx::query(
                "INSERT INTO case_sequences (day, last) VALUES ($1, $2) \
                 ON CONFLICT (day) DO UPDATE \
                 SET last = GREATEST(case_sequences.last, excluded.last)",
            )
            .bind(day)
            .bind(last)
            .execute(&mut *tx)
            .await?;
        }
        // Every row just written marked its day (one mark per change): a million cases leave
        // millions of marks for a handful of days. Keep one per day; the marks of changes still
        // in flight elsewhere are not visible here and stay as they are.
        sqlx::query(
            "WITH taken AS (DELETE FROM stats_dirty RETURNING day) \
             INSERT INTO stats_dirty (day) SELECT DISTINCT day FROM taken",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn export_cases(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, CaseRecord)>, StoreError> {
        let rows: Vec<ExportRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {EXPORT_COLUMNS} FROM cases WHERE id > $1 ORDER BY id LIMIT $2"
        )))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let Some(last) = rows.last().map(|row| row.id) else {
            return Ok(Vec::new());
        };
        // One query per side table for the whole batch: the cases with ids in (after, last].
        let range =
            |sql: &str| AssertSqlSafe(format!("{sql} WHERE case_id > $1 AND case_id <= $2"));
        let side = SideRows {
            contacts: sqlx::query_as(range("SELECT case_id, name, phone FROM case_contacts"))
                .bind(after)
                .bind(last)
                .fetch_all(&self.pool)
                .await?,
            events: sqlx::query_as(
                "SELECT case_id, at, status, department, note, rating, follow_up, action, actor \
                 FROM case_events \
                 WHERE case_id > $1 AND case_id <= $2 ORDER BY case_id, at, id",
            )
            .bind(after)
            .bind(last)
            .fetch_all(&self.pool)
            .await?,
            ratings: sqlx::query_as(range("SELECT case_id, comment FROM ratings"))
                .bind(after)
                .bind(last)
                .fetch_all(&self.pool)
                .await?,
            photos: sqlx::query_as(
                "SELECT case_id, id FROM uploads WHERE case_id > $1 AND case_id <= $2 ORDER BY id",
            )
            .bind(after)
            .bind(last)
            .fetch_all(&self.pool)
            .await?,
            keys: sqlx::query_as(range(
                "SELECT case_id, key, request_hash, created_at FROM idempotency_keys",
            ))
            .bind(after)
            .bind(last)
            .fetch_all(&self.pool)
            .await?,
        };
        export_records(rows, side)
    }

    async fn published_cases(
        &self,
        filter: &CaseFilter,
        cursor: Option<CaseCursor>,
        limit: u32,
        today: Date,
    ) -> Result<Slice<CaseSummary, CaseCursor>, StoreError> {
        if let Some(terms) = &filter.terms {
            // A common term matches thousands of cases, which the index finds at once but
            // which must all be read to be ordered. So first walk the board's own order
            // through the newest `SEARCH_WALK` cases of the other filters and keep the
            // matches: enough of them there are the first ones overall. Otherwise the terms
            // are rare, and the index's few matches are quick to order.
            let mut walk: QueryBuilder<Postgres> = QueryBuilder::new(format!(
                "SELECT {CASE_COLUMNS} FROM (SELECT * FROM cases WHERE published"
            ));
            let unfiltered = CaseFilter {
                terms: None,
                ..filter.clone()
            };
            push_case_filter(&mut walk, &unfiltered, cursor, SEARCH_WALK - 1, |_, _| {});
            let key = sort_key(filter.sort);
            walk.push(") walk WHERE search_terms @> ")
                .push_bind(terms.clone())
                .push(format!(" ORDER BY {key} DESC, id DESC LIMIT "))
                .push_bind(i64::from(limit) + 1);
            let rows: Vec<CaseRow> = walk.build_query_as().fetch_all(&self.pool).await?;
            if rows.len() > limit as usize {
                return case_slice(rows, filter.sort, limit, today);
            }
        }
        let mut query: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("SELECT {CASE_COLUMNS} FROM cases WHERE published"));
        push_case_filter(&mut query, filter, cursor, limit, |query, terms| {
            query
                .push(" AND search_terms @> ")
                .push_bind(terms.to_vec());
        });
        let rows: Vec<CaseRow> = query.build_query_as().fetch_all(&self.pool).await?;
        case_slice(rows, filter.sort, limit, today)
    }

    async fn similar_cases(
        &self,
        text: &str,
        limit: u32,
        today: Date,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        // As on SQLite: the newest published titles compared in memory (bounded work).
        let recent: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, title FROM cases WHERE published \
             ORDER BY submitted_at DESC, id DESC LIMIT $1",
        )
        .bind(SIMILAR_WINDOW)
        .fetch_all(&self.pool)
        .await?;
        let ids = crate::search::most_similar(text, &recent, limit as usize);
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows: Vec<CaseRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE id = ANY($1)"
        )))
        .bind(&ids)
        .fetch_all(&self.pool)
        .await?;
        rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
        rows.into_iter()
            .map(|row| row.into_summary(today))
            .collect()
    }

    async fn all_cases(
        &self,
        filter: &CaseFilter,
        cursor: Option<CaseCursor>,
        limit: u32,
        today: Date,
    ) -> Result<Slice<CaseSummary, CaseCursor>, StoreError> {
        self.queue_cases(filter, cursor, limit, today).await
    }

    async fn staff_case(
        &self,
        number: &CaseNumber,
        today: Date,
    ) -> Result<Option<StaffCaseRecord>, StoreError> {
        self.staff_case_record(number, today).await
    }

    async fn case_detail(
        &self,
        number: &CaseNumber,
        owner: Option<&str>,
        today: Date,
    ) -> Result<Option<CaseDetail>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM cases WHERE number = $1 AND ($2::text IS NULL OR tracking_hash = $2)",
        )
        .bind(number.as_str())
        .bind(owner)
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => self.load_detail(id, today, owner.is_some()).await.map(Some),
            None => Ok(None),
        }
    }
}

/// How many of the newest cases (of a board's other filters) a search walks in order before
/// it asks the terms' index instead: a walk costs at most this many rows, and the index is
/// asked only when fewer than a page match among them, so for terms found in fewer than about
/// one case in `SEARCH_WALK / page`.
const SEARCH_WALK: u32 = 5_000;

/// Timeline entries as columns, for one insert over arrays.
#[derive(Default)]
struct EventColumns<'a> {
    case_id: Vec<i64>,
    at: Vec<i64>,
    status: Vec<&'static str>,
    department: Vec<Option<&'a str>>,
    note: Vec<Option<&'a str>>,
    rating: Vec<Option<&'static str>>,
    follow_up: Vec<bool>,
    action: Vec<Option<&'static str>>,
    actor: Vec<Option<&'a str>>,
}

impl<'a> EventColumns<'a> {
    fn push(&mut self, case_id: i64, event: &'a EventRecord) {
        self.case_id.push(case_id);
        self.at.push(event.at);
        self.status.push(event.status.code());
        self.department.push(event.department.as_deref());
        self.note.push(event.note.as_deref());
        self.rating.push(event.rating.map(api::Rating::code));
        self.follow_up.push(event.follow_up);
        self.action.push(event.action.map(api::ActionKind::code));
        self.actor.push(event.actor.as_deref());
    }
}

/// Inserts the cases' own rows in one statement; answers their ids in the same order.
async fn insert_case_rows(
    tx: &mut PgConnection,
    cases: &[CaseRecord],
) -> Result<Vec<i64>, StoreError> {
    let mut c = CaseColumns::default();
    for case in cases {
        c.push(case);
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "INSERT INTO cases (number, kind, category, district, place, latitude, longitude, title, \
         description, status, department, published, submitter_mask, submitted_at, deadline, \
         replied_at, reply_department, reply_text, replied_on_time, tracking_hash, search_terms, \
         publication, withheld_reason, original_title, original_description, original_place) \
         SELECT n, k, cat, dis, pl, lat, lon, ti, de, st, dep, pub, sm, sa, dl, ra, rd, rt, rot, th, \
                string_to_array(terms, ' '), pn, wr, ot, od, op \
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
              $6::float8[], $7::float8[], $8::text[], $9::text[], $10::text[], $11::text[], \
              $12::boolean[], $13::text[], $14::bigint[], $15::text[], $16::bigint[], \
              $17::text[], $18::text[], $19::boolean[], $20::text[], $21::text[], \
              $22::text[], $23::text[], $24::text[], $25::text[], $26::text[]) \
              AS u(n, k, cat, dis, pl, lat, lon, ti, de, st, dep, pub, sm, sa, dl, ra, rd, rt, \
                   rot, th, terms, pn, wr, ot, od, op) \
         RETURNING id, number",
    )
    .bind(&c.number)
    .bind(&c.kind)
    .bind(&c.category)
    .bind(&c.district)
    .bind(&c.place)
    .bind(&c.latitude)
    .bind(&c.longitude)
    .bind(&c.title)
    .bind(&c.description)
    .bind(&c.status)
    .bind(&c.department)
    .bind(&c.published)
    .bind(&c.submitter_mask)
    .bind(&c.submitted_at)
    .bind(&c.deadline)
    .bind(&c.replied_at)
    .bind(&c.reply_department)
    .bind(&c.reply_text)
    .bind(&c.replied_on_time)
    .bind(&c.tracking_hash)
    .bind(&c.terms)
    .bind(&c.publication)
    .bind(&c.withheld_reason)
    .bind(&c.original_title)
    .bind(&c.original_description)
    .bind(&c.original_place)
    .fetch_all(&mut *tx)
    .await?;
    // RETURNING need not keep the input's order: match by the unique number.
    let by_number: std::collections::HashMap<String, i64> =
        rows.into_iter().map(|(id, number)| (number, id)).collect();
    cases
        .iter()
        .map(|case| {
            by_number
                .get(case.number.as_str())
                .copied()
                .ok_or_else(|| StoreError::Corrupt(format!("case {} not inserted", case.number)))
        })
        .collect()
}

/// Cases' own rows as columns, for one insert over arrays.
#[derive(Default)]
struct CaseColumns {
    number: Vec<String>,
    kind: Vec<&'static str>,
    category: Vec<String>,
    district: Vec<String>,
    place: Vec<String>,
    latitude: Vec<Option<f64>>,
    longitude: Vec<Option<f64>>,
    title: Vec<String>,
    description: Vec<String>,
    status: Vec<&'static str>,
    department: Vec<Option<String>>,
    published: Vec<bool>,
    submitter_mask: Vec<Option<String>>,
    submitted_at: Vec<i64>,
    deadline: Vec<Option<String>>,
    replied_at: Vec<Option<i64>>,
    reply_department: Vec<Option<String>>,
    reply_text: Vec<Option<String>>,
    replied_on_time: Vec<Option<bool>>,
    tracking_hash: Vec<String>,
    terms: Vec<String>,
    publication: Vec<&'static str>,
    withheld_reason: Vec<Option<String>>,
    original_title: Vec<Option<String>>,
    original_description: Vec<Option<String>>,
    original_place: Vec<Option<String>>,
}

impl CaseColumns {
    fn push(&mut self, case: &CaseRecord) {
        let reply_at = case.reply.as_ref().map(|(at, _, _)| *at);
        self.number.push(case.number.as_str().to_owned());
        self.kind.push(case.kind.code());
        self.category.push(case.category.clone());
        self.district.push(case.district.clone());
        self.place.push(case.place.clone());
        self.latitude.push(case.coordinates.map(|(lat, _)| lat));
        self.longitude.push(case.coordinates.map(|(_, lon)| lon));
        self.title.push(case.title.clone());
        self.description.push(case.description.clone());
        self.status.push(case.status.code());
        self.department.push(case.department.clone());
        self.published.push(case.publication.is_public());
        self.publication.push(case.publication.code());
        self.withheld_reason
            .push(case.extras.withheld_reason.clone());
        let original = case.extras.original.as_ref();
        self.original_title.push(original.map(|o| o.title.clone()));
        self.original_description
            .push(original.map(|o| o.description.clone()));
        self.original_place.push(original.map(|o| o.place.clone()));
        self.submitter_mask
            .push(domain::filing::submitter_mask(case.contact.as_ref()));
        self.submitted_at.push(case.submitted_at);
        self.deadline.push(case.deadline.map(clock::iso_date));
        self.replied_at.push(reply_at);
        self.reply_department.push(
            case.reply
                .as_ref()
                .map(|(_, department, _)| department.clone()),
        );
        self.reply_text
            .push(case.reply.as_ref().map(|(_, _, text)| text.clone()));
        // A record's deadline is the one its reply answered (see `replied_on_time`).
        self.replied_on_time.push(
            case.extras.replied_on_time.or_else(|| {
                reply_at.map(|at| domain::lifecycle::replied_on_time(at, case.deadline))
            }),
        );
        self.tracking_hash.push(case.tracking_hash.clone());
        self.terms
            .push(term_array(&[&case.title, &case.description, &case.place]).join(" "));
    }
}

/// Writes what a rule decided: the case's new state, the reply, the extension, the rating
/// and the timeline entry.
async fn save_change(tx: &mut PgConnection, id: i64, change: &Change) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET status = $1, department = $2, deadline = $3 WHERE id = $4")
        .bind(change.status.code())
        .bind(&change.department)
        .bind(change.deadline.map(clock::iso_date))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if let Some(reply) = &change.reply {
        sqlx::query(
            "UPDATE cases SET replied_at = $1, reply_department = $2, reply_text = $3, \
             replied_on_time = $4 WHERE id = $5",
        )
        .bind(reply.at)
        .bind(&reply.department)
        .bind(&reply.text)
        .bind(reply.on_time)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(reason) = &change.extension {
        sqlx::query("UPDATE cases SET extended_at = $1, extension_reason = $2 WHERE id = $3")
            .bind(change.event.at)
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    if let Some((rating, comment)) = &change.rating {
        sqlx::query("INSERT INTO ratings (case_id, rating, comment, at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(rating.code())
            .bind(comment)
            .bind(change.event.at)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(publication) = &change.publication {
        save_publication(tx, id, publication).await?;
    }
    write_outbox(tx, id, &change.outbox, change.event.at).await?;
    insert_event(tx, id, &change.event).await
}

/// Writes a review: the state, and for a case published redacted its public text in place of
/// what the resident wrote (kept in the `original_` columns), with the search terms of the
/// public text only.
async fn save_publication(
    tx: &mut PgConnection,
    id: i64,
    publication: &domain::PublicationChange,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE cases SET publication = $1, published = $2, withheld_reason = $3 WHERE id = $4",
    )
    .bind(publication.state.code())
    .bind(publication.state.is_public())
    .bind(&publication.withheld_reason)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let Some(text) = &publication.public_text else {
        return Ok(());
    };
    sqlx::query(
        "UPDATE cases SET original_title = COALESCE(original_title, title), \
         original_description = COALESCE(original_description, description), \
         original_place = COALESCE(original_place, place), title = $1, description = $2, \
         place = $3, search_terms = $4 WHERE id = $5",
    )
    .bind(&text.title)
    .bind(&text.description)
    .bind(&text.place)
    .bind(term_array(&[&text.title, &text.description, &text.place]))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn insert_event(
    tx: &mut PgConnection,
    id: i64,
    event: &EventRecord,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO case_events (case_id, at, status, department, note, rating, follow_up, \
         action, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(event.at)
    .bind(event.status.code())
    .bind(&event.department)
    .bind(&event.note)
    .bind(event.rating.map(api::Rating::code))
    .bind(event.follow_up)
    .bind(event.action.map(api::ActionKind::code))
    .bind(&event.actor)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
