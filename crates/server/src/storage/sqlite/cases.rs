//! Cases in SQLite: filing, changes decided by `crate::domain`, the board and a case's page.

use api::{CaseDetail, CaseKind, CaseNumber, CaseStatus, CaseSummary};

use super::*;
use crate::clock;
use crate::domain::{self, CaseState, Change};

impl SqliteStore {
    /// A case's page; `owner` adds what only its submitter may see.
    pub(super) async fn load_detail(
        &self,
        id: i64,
        today: Date,
        owner: bool,
    ) -> Result<CaseDetail, StoreError> {
        let detail: DetailRow = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {} FROM cases WHERE id = ?",
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
            "SELECT {columns} FROM cases WHERE id = ?"
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let events = sqlx::query_as(
            "SELECT at, status, department, note, rating, follow_up, action, actor FROM case_events \
             WHERE case_id = ? ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let owner = if owner {
            let contact = sqlx::query_as("SELECT name, phone FROM case_contacts WHERE case_id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
            let rating =
                sqlx::query_as("SELECT rating, comment, at FROM ratings WHERE case_id = ?")
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

async fn write_case(tx: &mut sqlx::SqliteConnection, case: &CaseRecord) -> Result<i64, StoreError> {
    let mask = domain::filing::submitter_mask(case.contact.as_ref());
    let (reply_at, reply_department, reply_text) = match &case.reply {
        Some((at, department, text)) => (Some(*at), Some(department), Some(text)),
        None => (None, None, None),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (number, kind, category, district, place, latitude, longitude, title, \
         description, status, department, published, submitter_mask, submitted_at, deadline, \
         replied_at, reply_department, reply_text, replied_on_time, tracking_hash, \
         publication, withheld_reason, original_title, original_description, original_place) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         RETURNING id",
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
    .bind(case.publication.is_public())
    .bind(mask)
    .bind(case.submitted_at)
    .bind(case.deadline.map(clock::iso_date))
    .bind(reply_at)
    .bind(reply_department)
    .bind(reply_text)
    // A record's deadline is the one its reply answered (see `replied_on_time`).
    .bind(
        case.extras
            .replied_on_time
            .or_else(|| reply_at.map(|at| domain::lifecycle::replied_on_time(at, case.deadline))),
    )
    .bind(&case.tracking_hash)
    .bind(case.publication.code())
    .bind(&case.extras.withheld_reason)
    .bind(case.extras.original.as_ref().map(|o| &o.title))
    .bind(case.extras.original.as_ref().map(|o| &o.description))
    .bind(case.extras.original.as_ref().map(|o| &o.place))
    .fetch_one(&mut *tx)
    .await?;
    index_case(tx, id, [&case.title, &case.description, &case.place], true).await?;
    if let Some((name, phone)) = &case.contact {
        sqlx::query("INSERT INTO case_contacts (case_id, name, phone) VALUES (?, ?, ?)")
            .bind(id)
            .bind(name)
            .bind(phone)
            .execute(&mut *tx)
            .await?;
    }
    for event in &case.events {
        insert_event(tx, id, event).await?;
        if let Some(rating) = event.rating {
            sqlx::query("INSERT INTO ratings (case_id, rating, comment, at) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(rating.code())
                .bind(&case.extras.rating_comment)
                .bind(event.at)
                .execute(&mut *tx)
                .await?;
        }
    }
    write_extras(tx, id, &case.extras).await?;
    Ok(id)
}

/// What a copied case gathered after filing: its extension, its photos, its idempotency key.
async fn write_extras(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    extras: &CaseExtras,
) -> Result<(), StoreError> {
    if let Some((at, reason)) = &extras.extension {
        sqlx::query("UPDATE cases SET extended_at = ?, extension_reason = ? WHERE id = ?")
            .bind(at)
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    for photo in &extras.photos {
        sqlx::query("UPDATE uploads SET case_id = ? WHERE id = ?")
            .bind(id)
            .bind(photo)
            .execute(&mut *tx)
            .await?;
    }
    if extras.language != api::ContentLanguage::default() || extras.texts {
        sqlx::query("UPDATE cases SET language = ?, texts = ? WHERE id = ?")
            .bind(extras.language.tag())
            .bind(extras.texts)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    if let Some((key, request_hash, at)) = &extras.idempotency {
        sqlx::query(
            "INSERT INTO idempotency_keys (key, case_id, request_hash, created_at) VALUES (?, ?, ?, ?)",
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

/// The row of an earlier filing with idempotency `key`, if any.
async fn earlier_row<'c, E>(db: E, key: &str) -> Result<Option<EarlierRow>, StoreError>
where
    E: sqlx::SqliteExecutor<'c>,
{
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {EARLIER_FILING_COLUMNS} \
         FROM idempotency_keys k JOIN cases c ON c.id = k.case_id WHERE k.key = ?"
    )))
    .bind(key)
    .fetch_optional(db)
    .await?)
}

#[async_trait]
impl CaseStore for SqliteStore {
    async fn earlier_filing(
        &self,
        key: &str,
        request_hash: &str,
    ) -> Result<Option<Filed>, StoreError> {
        earlier_row(&self.pool, key)
            .await?
            .map(|row| earlier_filing(row, request_hash))
            .transpose()
    }

    async fn file_case(&self, filing: &Filing) -> Result<Filed, StoreError> {
        let _writer = self.filing.lock().await;
        let mut tx = self.write().await?;
        if let Some((key, request_hash)) = &filing.idempotency
            && let Some(earlier) = earlier_row(&mut *tx, key).await?
        {
            return earlier_filing(earlier, request_hash);
        }
        let day = filing.day();
        let (sequence,): (i64,) = sqlx::query_as(
            "INSERT INTO case_sequences (day, last) VALUES (?, 1) \
             ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last",
        )
        .bind(&day)
        .fetch_one(&mut *tx)
        .await?;
        let number = CaseNumber::from_parts(&day, sequence as u32)
            .map_err(|_| StoreError::Corrupt(format!("sequence {sequence} of {day}")))?;
        let id = write_case(&mut tx, &filing.record(number.clone())).await?;
        // Every photo must be an upload no case has claimed yet; otherwise nothing is kept.
        // In one order, so two filings naming the same photos cannot deadlock.
        let mut photos: Vec<&String> = filing.case.photos.iter().collect();
        photos.sort();
        for photo in photos {
            let claimed =
                sqlx::query("UPDATE uploads SET case_id = ? WHERE id = ? AND case_id IS NULL")
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
                "INSERT INTO idempotency_keys (key, case_id, request_hash, created_at) VALUES (?, ?, ?, ?)",
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
        let _writer = self.filing.lock().await;
        let mut tx = self.write().await?;
        type StateRow = (
            i64,
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
        let row: Option<StateRow> = sqlx::query_as(
            "SELECT c.id, c.kind, c.status, c.department, c.deadline, c.extended_at IS NOT NULL, \
             c.replied_at, r.rating, c.publication, c.language, c.texts, k.name, k.phone \
             FROM cases c LEFT JOIN ratings r ON r.case_id = c.id \
             LEFT JOIN case_contacts k ON k.case_id = c.id \
             WHERE c.number = ? AND (? IS NULL OR c.tracking_hash = ?)",
        )
        .bind(key.number.as_str())
        .bind(key.owner)
        .bind(key.owner)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((
            id,
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
        )) = row
        else {
            return Ok(None);
        };
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
            "SELECT number FROM cases WHERE status = 'replied' AND replied_at < ? ORDER BY id",
        )
        .bind(replied_before)
        .fetch_all(&self.pool)
        .await?;
        numbers.iter().map(|n| decode_number(n)).collect()
    }

    async fn insert_cases(&self, cases: &[CaseRecord]) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
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

    async fn export_cases(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, CaseRecord)>, StoreError> {
        let rows: Vec<ExportRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {EXPORT_COLUMNS} FROM cases WHERE id > ? ORDER BY id LIMIT ?"
        )))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let Some(last) = rows.last().map(|row| row.id) else {
            return Ok(Vec::new());
        };
        // One query per side table for the whole batch: the cases with ids in (after, last].
        let range = |sql: &str| AssertSqlSafe(format!("{sql} WHERE case_id > ? AND case_id <= ?"));
        let side = SideRows {
            contacts: sqlx::query_as(range("SELECT case_id, name, phone FROM case_contacts"))
                .bind(after)
                .bind(last)
                .fetch_all(&self.pool)
                .await?,
            events: sqlx::query_as(
                "SELECT case_id, at, status, department, note, rating, follow_up, action, actor \
                 FROM case_events \
                 WHERE case_id > ? AND case_id <= ? ORDER BY case_id, at, id",
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
                "SELECT case_id, id FROM uploads WHERE case_id > ? AND case_id <= ? ORDER BY id",
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
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE published = 1"
        ));
        push_case_filter(&mut query, filter, cursor, limit, |query, terms| {
            query
                .push(" AND id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH ")
                .push_bind(fts5_match(terms))
                .push(")");
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
            "SELECT id FROM cases WHERE number = ? AND (? IS NULL OR tracking_hash = ?)",
        )
        .bind(number.as_str())
        .bind(owner)
        .bind(owner)
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => self.load_detail(id, today, owner.is_some()).await.map(Some),
            None => Ok(None),
        }
    }
}

/// Writes what a rule decided: the case's new state, the reply, the extension, the rating
/// and the timeline entry.
async fn save_change(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    change: &Change,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET status = ?, department = ?, deadline = ? WHERE id = ?")
        .bind(change.status.code())
        .bind(&change.department)
        .bind(change.deadline.map(clock::iso_date))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if let Some(reply) = &change.reply {
        sqlx::query(
            "UPDATE cases SET replied_at = ?, reply_department = ?, reply_text = ?, \
             replied_on_time = ? WHERE id = ?",
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
        sqlx::query("UPDATE cases SET extended_at = ?, extension_reason = ? WHERE id = ?")
            .bind(change.event.at)
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    if let Some((rating, comment)) = &change.rating {
        sqlx::query("INSERT INTO ratings (case_id, rating, comment, at) VALUES (?, ?, ?, ?)")
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
/// what the resident wrote (kept in the `original_` columns), with the search index's terms
/// of the old text taken out and those of the public text put in.
async fn save_publication(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    publication: &domain::PublicationChange,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE cases SET publication = ?, published = ?, withheld_reason = ? WHERE id = ?",
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
    let (title, description, place): (String, String, String) =
        sqlx::query_as("SELECT title, description, place FROM cases WHERE id = ?")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    index_case(tx, id, [&title, &description, &place], false).await?;
    sqlx::query(
        "UPDATE cases SET original_title = COALESCE(original_title, title), \
         original_description = COALESCE(original_description, description), \
         original_place = COALESCE(original_place, place), title = ?, description = ?, \
         place = ? WHERE id = ?",
    )
    .bind(&text.title)
    .bind(&text.description)
    .bind(&text.place)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    index_case(tx, id, [&text.title, &text.description, &text.place], true).await
}

/// Adds case `id`'s title, description and place to the search index, or with `add` false
/// takes them out (a contentless index forgets a row only when told its terms).
async fn index_case(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    texts: [&str; 3],
    add: bool,
) -> Result<(), StoreError> {
    let sql = if add {
        "INSERT INTO cases_search (rowid, terms) VALUES (?, ?)"
    } else {
        "INSERT INTO cases_search (cases_search, rowid, terms) VALUES ('delete', ?, ?)"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(crate::search::index_text(&texts))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn insert_event(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    event: &EventRecord,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO case_events (case_id, at, status, department, note, rating, follow_up, \
         action, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
