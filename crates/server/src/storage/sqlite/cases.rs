//! How SQLite files and finds cases (the rest is `storage/shared/cases.rs`): one writer,
//! which a process's writers take in turns; a case's rows written one by one; its search
//! terms in a contentless FTS5 table.

use super::*;
use crate::clock;

impl SqliteStore {
    /// Nothing to lock row by row: a change's transaction holds SQLite's one writer.
    pub(super) const FOR_UPDATE: &'static str = "";

    /// The filing's transaction and filing `day`'s next number, taken in it (given back if
    /// the filing is not kept).
    pub(super) async fn begin_filing(&self, day: &str) -> Result<(Write, i64), StoreError> {
        let mut tx = self.write().await?;
        let sequence = Self::next_sequence(&mut tx, day).await?;
        Ok((tx, sequence))
    }

    /// Writes whole cases' rows, one case after another; answers their ids in order.
    pub(super) async fn insert_records(
        tx: &mut sqlx::SqliteConnection,
        cases: &[CaseRecord],
    ) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::with_capacity(cases.len());
        for case in cases {
            ids.push(write_case(tx, case).await?);
        }
        Ok(ids)
    }

    /// Puts `texts` (title, description, place) in the search index for case `id` in
    /// place of the case's present text (read before it is replaced).
    pub(super) async fn reindex_case(
        tx: &mut sqlx::SqliteConnection,
        id: i64,
        texts: [&str; 3],
    ) -> Result<(), StoreError> {
        let (title, description, place): (String, String, String) =
            sqlx::query_as("SELECT title, description, place FROM cases WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        index_case(tx, id, [&title, &description, &place], false).await?;
        index_case(tx, id, texts, true).await
    }

    /// The board's condition that a case holds every term (the FTS5 table's rowids).
    pub(super) fn push_case_terms(query: &mut QueryBuilder<Sqlite>, terms: &[String]) {
        query
            .push(" AND id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH ")
            .push_bind(fts5_match(terms))
            .push(")");
    }

    /// Nothing: FTS5 hands the board's search its matches in one step.
    pub(super) async fn search_walk(
        &self,
        _filter: &CaseFilter,
        _terms: &[String],
        _cursor: Option<CaseCursor>,
        _limit: u32,
    ) -> Result<Option<Vec<CaseRow>>, StoreError> {
        Ok(None)
    }

    /// Nothing: a day is marked dirty once (its mark is the table's key).
    pub(super) async fn compact_dirty_marks(
        _tx: &mut sqlx::SqliteConnection,
    ) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Writes one case's rows: the case, its search terms, contact, timeline and rating.
async fn write_case(tx: &mut sqlx::SqliteConnection, case: &CaseRecord) -> Result<i64, StoreError> {
    let (reply_at, reply_department, reply_text) = match &case.reply {
        Some((at, department, text)) => (Some(*at), Some(department), Some(text)),
        None => (None, None, None),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (number, kind, category, district, place, latitude, longitude, title, \
         description, status, department, published, submitter_mask, submitted_at, deadline, \
         replied_at, reply_department, reply_text, replied_on_time, tracking_hash, \
         publication, withheld_reason, original_title, original_description, original_place) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) \
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
    .bind(case.submitter_mask())
    .bind(case.submitted_at)
    .bind(case.deadline.map(clock::iso_date))
    .bind(reply_at)
    .bind(reply_department)
    .bind(reply_text)
    .bind(case.replied_on_time())
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
        sqlx::query("INSERT INTO case_contacts (case_id, name, phone) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(name)
            .bind(phone)
            .execute(&mut *tx)
            .await?;
    }
    for event in &case.events {
        SqliteStore::insert_event(tx, id, event).await?;
        if let Some(rating) = event.rating {
            sqlx::query(
                "INSERT INTO ratings (case_id, rating, comment, at) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(rating.code())
            .bind(&case.extras.rating_comment)
            .bind(event.at)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(id)
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
        "INSERT INTO cases_search (rowid, terms) VALUES ($1, $2)"
    } else {
        "INSERT INTO cases_search (cases_search, rowid, terms) VALUES ('delete', $1, $2)"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(crate::search::index_text(&texts))
        .execute(&mut *tx)
        .await?;
    Ok(())
}
