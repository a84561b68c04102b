//! Cases: filing, changes decided by `crate::domain`, the board and a case's page, the same
//! SQL on both stores. Where the databases differ a store's own method says how:
//! - `write` and `begin_filing`: SQLite has one writer, so a process's writers take turns
//!   before `BEGIN IMMEDIATE` and a day's number comes inside the filing's transaction;
//!   PostgreSQL takes the number in a short transaction of its own (the counter row is
//!   locked for an instant), and several processes file side by side;
//! - `insert_records`: a case's rows one by one (SQLite), or many cases in a few statements
//!   over arrays (PostgreSQL, for the demo's million and a town's copy);
//! - `reindex_case`, `push_case_terms`, `search_walk`: where a case's search terms live
//!   (an FTS5 table, or a GIN-indexed array) and how a board search reads them;
//! - `FOR_UPDATE`: a change locks its case's row on PostgreSQL (SQLite's writer holds all).
//!
//! An idempotency key is taken under `lock_key`, so a key sent by two processes at once
//! makes one case.

/// Implements [`crate::storage::CaseStore`] for `$store` on the sqlx database `$db`.
macro_rules! shared_cases {
    ($store:ty, $db:ty) => {
        impl $store {
            /// A case's page; `owner` adds what only its submitter may see.
            pub(super) async fn load_detail(
                &self,
                id: i64,
                owner: bool,
            ) -> Result<CaseFile, StoreError> {
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
                    "SELECT at, status, department, note, rating, follow_up, action, actor \
                     FROM case_events WHERE case_id = $1 ORDER BY at, id",
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
                    let rating = sqlx::query_as(
                        "SELECT rating, comment, at FROM ratings WHERE case_id = $1",
                    )
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                    Some((contact, rating))
                } else {
                    None
                };
                case_file(DetailRows {
                    detail,
                    summary,
                    events,
                    owner,
                })
            }

            /// The case an earlier request with idempotency `key` made, if any.
            async fn earlier_filing_in(
                db: &mut <$db as sqlx::Database>::Connection,
                key: &str,
                request_hash: &str,
            ) -> Result<Option<Filed>, StoreError> {
                let row: Option<EarlierRow> = sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT {EARLIER_FILING_COLUMNS} \
                     FROM idempotency_keys k JOIN cases c ON c.id = k.case_id WHERE k.key = $1"
                )))
                .bind(key)
                .fetch_optional(&mut *db)
                .await?;
                row.map(|row| earlier_filing(row, request_hash)).transpose()
            }

            /// The next number of filing `day` (`YYYYMMDD`), in `tx`.
            async fn next_sequence(
                tx: &mut <$db as sqlx::Database>::Connection,
                day: &str,
            ) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO case_sequences (day, last) VALUES ($1, 1) \
                     ON CONFLICT (day) DO UPDATE SET last = case_sequences.last + 1 \
                     RETURNING last",
                )
                .bind(day)
                .fetch_one(&mut *tx)
                .await?)
            }

            /// Stores whole cases and what they gathered after filing; answers their ids in
            /// order. Filing (one case), the demo's million and a town's copy come here.
            async fn write_records(
                tx: &mut <$db as sqlx::Database>::Connection,
                cases: &[CaseRecord],
            ) -> Result<Vec<i64>, StoreError> {
                let ids = Self::insert_records(tx, cases).await?;
                for (case, id) in cases.iter().zip(&ids) {
                    if case.extras != CaseExtras::default() {
                        Self::write_extras(tx, *id, &case.extras).await?;
                    }
                }
                Ok(ids)
            }

            /// What a copied case gathered after filing: its extension, its photos, its
            /// idempotency key.
            async fn write_extras(
                tx: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                extras: &CaseExtras,
            ) -> Result<(), StoreError> {
                if let Some((at, reason)) = &extras.extension {
                    sqlx::query(
                        "UPDATE cases SET extended_at = $1, extension_reason = $2 WHERE id = $3",
                    )
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
                    Self::insert_idempotency_key(tx, key, id, request_hash, *at).await?;
                }
                Ok(())
            }

            async fn insert_idempotency_key(
                tx: &mut <$db as sqlx::Database>::Connection,
                key: &str,
                id: i64,
                request_hash: &str,
                at: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO idempotency_keys (key, case_id, request_hash, created_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(key)
                .bind(id)
                .bind(request_hash)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                Ok(())
            }

            /// Writes what a rule decided: the case's new state, the reply, the extension,
            /// the rating and the timeline entry.
            async fn save_change(
                tx: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                change: &crate::domain::Change,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE cases SET status = $1, department = $2, deadline = $3 WHERE id = $4",
                )
                .bind(change.status.code())
                .bind(&change.department)
                .bind(change.deadline.map(crate::clock::iso_date))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if let Some(reply) = &change.reply {
                    sqlx::query(
                        "UPDATE cases SET replied_at = $1, reply_department = $2, \
                         reply_text = $3, replied_on_time = $4 WHERE id = $5",
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
                    sqlx::query(
                        "UPDATE cases SET extended_at = $1, extension_reason = $2 WHERE id = $3",
                    )
                    .bind(change.event.at)
                    .bind(reason)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
                if let Some((rating, comment)) = &change.rating {
                    sqlx::query(
                        "INSERT INTO ratings (case_id, rating, comment, at) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(rating.code())
                    .bind(comment)
                    .bind(change.event.at)
                    .execute(&mut *tx)
                    .await?;
                }
                if let Some(publication) = &change.publication {
                    Self::save_publication(tx, id, publication).await?;
                }
                write_outbox(tx, id, &change.outbox, change.event.at).await?;
                Self::insert_event(tx, id, &change.event).await
            }

            /// Writes a review: the state, and for a case published redacted its public text
            /// in place of what the resident wrote (kept in the `original_` columns), with
            /// the search terms of the public text only.
            async fn save_publication(
                tx: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                publication: &crate::domain::PublicationChange,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE cases SET publication = $1, published = $2, withheld_reason = $3 \
                     WHERE id = $4",
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
                Self::reindex_case(tx, id, [&text.title, &text.description, &text.place])
                    .await?;
                sqlx::query(
                    "UPDATE cases SET original_title = COALESCE(original_title, title), \
                     original_description = COALESCE(original_description, description), \
                     original_place = COALESCE(original_place, place), title = $1, \
                     description = $2, place = $3 WHERE id = $4",
                )
                .bind(&text.title)
                .bind(&text.description)
                .bind(&text.place)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                Ok(())
            }

            /// Adds a timeline entry to case `id`.
            async fn insert_event(
                tx: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                event: &EventRecord,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO case_events (case_id, at, status, department, note, rating, \
                     follow_up, action, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
        }

        #[async_trait]
        impl CaseStore for $store {
            async fn earlier_filing(
                &self,
                key: &str,
                request_hash: &str,
            ) -> Result<Option<Filed>, StoreError> {
                let mut db = self.pool.acquire().await?;
                Self::earlier_filing_in(&mut db, key, request_hash).await
            }

            async fn file_case(&self, filing: &Filing) -> Result<Filed, StoreError> {
                let (mut tx, sequence) = self.begin_filing(&filing.day()).await?;
                if let Some((key, request_hash)) = &filing.idempotency {
                    // The same key from two processes at once: the second waits here until
                    // the first commits, then finds its case. (A retry usually finds it
                    // earlier, through `earlier_filing`, before a number is taken for it.)
                    Self::lock_key(&mut tx, &format!("idempotency:{key}")).await?;
                    if let Some(earlier) =
                        Self::earlier_filing_in(&mut tx, key, request_hash).await?
                    {
                        return Ok(earlier);
                    }
                }
                let day = filing.day();
                let number = CaseNumber::from_parts(&day, sequence as u32)
                    .map_err(|_| StoreError::Corrupt(format!("sequence {sequence} of {day}")))?;
                let ids =
                    Self::write_records(&mut tx, std::slice::from_ref(&filing.record(number.clone())))
                        .await?;
                let id = ids[0];
                // Every photo must be an upload no case has claimed yet; otherwise nothing is
                // kept. In one order, so two filings naming the same photos cannot deadlock.
                let mut photos: Vec<&String> = filing.case.photos.iter().collect();
                photos.sort();
                for photo in photos {
                    let claimed = sqlx::query(
                        "UPDATE uploads SET case_id = $1 WHERE id = $2 AND case_id IS NULL",
                    )
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
                    Self::insert_idempotency_key(&mut tx, key, id, request_hash, filing.submitted_at)
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
                let mut tx = self.write().await?;
                // Lock first, then read: the read is a new statement, so it sees what a
                // change that held the lock before us committed (a rating, a reply).
                let id: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
                    "SELECT id FROM cases WHERE number = $1 \
                     AND (CAST($2 AS TEXT) IS NULL OR tracking_hash = $2){}",
                    Self::FOR_UPDATE
                )))
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
                    "SELECT c.kind, c.status, c.department, c.deadline, \
                     c.extended_at IS NOT NULL, c.replied_at, r.rating, c.publication, \
                     c.language, c.texts, k.name, k.phone \
                     FROM cases c LEFT JOIN ratings r ON r.case_id = c.id \
                     LEFT JOIN case_contacts k ON k.case_id = c.id WHERE c.id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                let state = crate::domain::CaseState {
                    kind: decode_code(&kind, api::CaseKind::from_code)?,
                    status: decode_code(&status, api::CaseStatus::from_code)?,
                    department,
                    deadline: deadline.as_deref().and_then(crate::clock::parse_iso_date),
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
                    Self::save_change(&mut tx, id, change).await?;
                    tx.commit().await?;
                }
                Ok(Some((state, decision)))
            }

            async fn unrated_replies(
                &self,
                replied_before: i64,
            ) -> Result<Vec<CaseNumber>, StoreError> {
                let numbers: Vec<String> = sqlx::query_scalar(
                    "SELECT number FROM cases WHERE status = 'replied' AND replied_at < $1 \
                     ORDER BY id",
                )
                .bind(replied_before)
                .fetch_all(&self.pool)
                .await?;
                numbers.iter().map(|n| decode_number(n)).collect()
            }

            async fn insert_cases(&self, cases: &[CaseRecord]) -> Result<(), StoreError> {
                let mut tx = self.write().await?;
                Self::write_records(&mut tx, cases).await?;
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
                         ON CONFLICT (day) DO UPDATE SET last = CASE \
                         WHEN excluded.last > case_sequences.last THEN excluded.last \
                         ELSE case_sequences.last END",
                    )
                    .bind(day)
                    .bind(last)
                    .execute(&mut *tx)
                    .await?;
                }
                Self::compact_dirty_marks(&mut tx).await?;
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
                // One query per side table for the whole batch: the cases with ids in
                // (after, last].
                let range = |sql: &str| {
                    AssertSqlSafe(format!("{sql} WHERE case_id > $1 AND case_id <= $2"))
                };
                let side = SideRows {
                    contacts: sqlx::query_as(range(
                        "SELECT case_id, name, phone FROM case_contacts",
                    ))
                    .bind(after)
                    .bind(last)
                    .fetch_all(&self.pool)
                    .await?,
                    events: sqlx::query_as(
                        "SELECT case_id, at, status, department, note, rating, follow_up, \
                         action, actor FROM case_events \
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
                        "SELECT case_id, id FROM uploads WHERE case_id > $1 AND case_id <= $2 \
                         ORDER BY id",
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
            ) -> Result<Slice<CaseListing, CaseCursor>, StoreError> {
                if let Some(terms) = &filter.terms
                    && let Some(rows) = self.search_walk(filter, terms, cursor, limit).await?
                {
                    return case_slice(rows, filter.sort, limit);
                }
                let mut query: QueryBuilder<$db> = QueryBuilder::new(format!(
                    "SELECT {CASE_COLUMNS} FROM cases WHERE published = true"
                ));
                push_case_filter(&mut query, filter, cursor, limit, Self::push_case_terms);
                let rows: Vec<CaseRow> = query.build_query_as().fetch_all(&self.pool).await?;
                case_slice(rows, filter.sort, limit)
            }

            async fn similar_cases(
                &self,
                text: &str,
                limit: u32,
            ) -> Result<Vec<CaseListing>, StoreError> {
                // A full-text OR over every term reads whole doclists (over 100 ms at a
                // million cases); a similar case worth offering is a recent one, so the
                // newest published titles are compared in memory instead: bounded work,
                // whatever the table's size.
                let recent: Vec<(i64, String)> = sqlx::query_as(
                    "SELECT id, title FROM cases WHERE published = true \
                     ORDER BY submitted_at DESC, id DESC LIMIT $1",
                )
                .bind(SIMILAR_WINDOW)
                .fetch_all(&self.pool)
                .await?;
                let ids = crate::search::most_similar(text, &recent, limit as usize);
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut query: QueryBuilder<$db> =
                    QueryBuilder::new(format!("SELECT {CASE_COLUMNS} FROM cases WHERE id IN ("));
                let mut list = query.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                query.push(")");
                let mut rows: Vec<CaseRow> = query.build_query_as().fetch_all(&self.pool).await?;
                // Back in the order of similarity.
                rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
                rows.into_iter().map(CaseRow::into_listing).collect()
            }

            async fn all_cases(
                &self,
                filter: &CaseFilter,
                cursor: Option<CaseCursor>,
                limit: u32,
            ) -> Result<Slice<CaseListing, CaseCursor>, StoreError> {
                self.queue_cases(filter, cursor, limit).await
            }

            async fn staff_case(
                &self,
                number: &CaseNumber,
            ) -> Result<Option<StaffCaseRecord>, StoreError> {
                self.staff_case_record(number).await
            }

            async fn case_detail(
                &self,
                number: &CaseNumber,
                owner: Option<&str>,
            ) -> Result<Option<CaseFile>, StoreError> {
                let id: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM cases WHERE number = $1 \
                     AND (CAST($2 AS TEXT) IS NULL OR tracking_hash = $2)",
                )
                .bind(number.as_str())
                .bind(owner)
                .fetch_optional(&self.pool)
                .await?;
                match id {
                    Some(id) => self.load_detail(id, owner.is_some()).await.map(Some),
                    None => Ok(None),
                }
            }
        }
    };
}
