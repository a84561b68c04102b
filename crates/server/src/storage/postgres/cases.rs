//! How PostgreSQL files and finds cases (the rest is `storage/shared/cases.rs`). Several
//! processes may write at once: a day's numbers come from one row that each filing updates
//! in a short transaction of its own (so two filings never share a number, and
//! `cases.number` is unique anyway), and a change locks its case's row before the rule sees
//! the state. Many cases are written in a few statements over arrays; a case's search terms
//! are an array in its row, under a GIN index.

use sqlx::PgConnection;

use super::*;
use crate::clock;

impl PostgresStore {
    /// A change locks its case's row until it commits.
    pub(super) const FOR_UPDATE: &'static str = " FOR UPDATE";

    /// Filing `day`'s next number and the filing's transaction. The number comes from a
    /// transaction of its own, committed at once, so the day's counter row is locked for an
    /// instant, not for the whole filing: filings from many clients and processes then commit
    /// side by side (and share their WAL flushes). A filing that fails after this leaves a
    /// gap in the day's numbers; numbers stay unique. The counter's commit is not waited for
    /// on its own: the filing's durable commit comes later in the WAL and flushes it too.
    pub(super) async fn begin_filing(
        &self,
        day: &str,
    ) -> Result<(sqlx::Transaction<'static, Postgres>, i64), StoreError> {
        let mut counter = self.pool.begin().await?;
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *counter)
            .await?;
        let sequence = Self::next_sequence(&mut counter, day).await?;
        counter.commit().await?;
        Ok((self.write().await?, sequence))
    }

    /// Puts `texts` (title, description, place) as case `id`'s search terms.
    pub(super) async fn reindex_case(
        tx: &mut PgConnection,
        id: i64,
        texts: [&str; 3],
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE cases SET search_terms = $1 WHERE id = $2")
            .bind(term_array(&texts))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    /// The board's condition that a case holds every term.
    pub(super) fn push_case_terms(query: &mut QueryBuilder<Postgres>, terms: &[String]) {
        query
            .push(" AND search_terms @> ")
            .push_bind(terms.to_vec());
    }

    /// The board's search, when its terms are common: the matches among the newest
    /// `SEARCH_WALK` cases of the other filters, if more than a page. A common term matches
    /// thousands of cases, which the index finds at once but which must all be read to be
    /// ordered; walking the board's own order and keeping the matches finds the first ones
    /// sooner. Otherwise (`None`) the terms are rare, and the index's few matches are quick
    /// to order.
    pub(super) async fn search_walk(
        &self,
        filter: &CaseFilter,
        terms: &[String],
        cursor: Option<CaseCursor>,
        limit: u32,
    ) -> Result<Option<Vec<CaseRow>>, StoreError> {
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
            .push_bind(terms.to_vec())
            .push(format!(" ORDER BY {key} DESC, id DESC LIMIT "))
            .push_bind(i64::from(limit) + 1);
        let rows: Vec<CaseRow> = walk.build_query_as().fetch_all(&self.pool).await?;
        Ok((rows.len() > limit as usize).then_some(rows))
    }

    /// Keeps one mark per dirty day: every row a bulk insert wrote marked its day (one mark
    /// per change), so a million cases leave millions of marks for a handful of days. The
    /// marks of changes still in flight elsewhere are not visible here and stay as they are.
    pub(super) async fn compact_dirty_marks(tx: &mut PgConnection) -> Result<(), StoreError> {
        sqlx::query(
            "WITH taken AS (DELETE FROM stats_dirty RETURNING day) \
             INSERT INTO stats_dirty (day) SELECT DISTINCT day FROM taken",
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}

impl PostgresStore {
    /// Writes whole cases' rows (their rows, contacts, timelines and ratings) in a few
    /// statements over arrays (UNNEST) rather than a few per case; answers their ids in order.
    pub(super) async fn insert_records(
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
        Ok(ids)
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
        self.submitter_mask.push(case.submitter_mask());
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
        self.replied_on_time.push(case.replied_on_time());
        self.tracking_hash.push(case.tracking_hash.clone());
        self.terms
            .push(term_array(&[&case.title, &case.description, &case.place]).join(" "));
    }
}
