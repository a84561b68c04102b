//! Documents: the catalogue, search in three tiers, attachments, the same SQL on both
//! stores. Search asks each store where the terms are held (`push_text_scan`; SQLite: an FTS5
//! table streamed in rowid order, PostgreSQL: term arrays under GIN) and how to defer the
//! links' checks to commit (`defer_foreign_keys`).

/// Implements [`crate::storage::DocumentStore`] for `$store` on the sqlx database `$db`.
macro_rules! shared_documents {
    ($store:ty, $db:ty) => {
        #[async_trait]
        impl DocumentStore for $store {
            async fn insert_documents(&self, documents: &[api::Document]) -> Result<(), StoreError> {
                let mut tx = self.write().await?;
                // Replacements and interpretations point at each other, so check the links only
                // once every document of the batch is in.
                Self::defer_foreign_keys(&mut tx).await?;
                for document in documents {
                    let s = &document.summary;
                    let body = encode_body(&document.body)?;
                    sqlx::query(
                        "INSERT INTO documents (id, title, number, agency, doc_type, topic, issued_on, \
                         published_on, effective_on, validity, replaced_by, interprets, language, body) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
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
                    Self::index_text(&mut tx, "documents", s.id, &s.title, &document.body).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn documents(
                &self,
                filter: &DocumentFilter,
                cursor: Option<DocumentCursor>,
                limit: u32,
            ) -> Result<Slice<api::DocumentSummary, DocumentCursor>, StoreError> {
                let mut query: QueryBuilder<$db> = QueryBuilder::new(format!(
                    "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE true"
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
            ) -> Result<Found<api::DocumentSummary>, StoreError> {
                use crate::storage::shared::TextTier;
                // Three tiers, none of which scores or sorts every match: a document whose title is
                // exactly the query (by index), then documents whose title holds every term, then
                // documents holding the terms only in their body; within a tier the newest first,
                // which each store's index streams in id order and stops at the page's end (bm25
                // over every match took 590 ms for 一网通, 55,000 matches, at 100,000 documents).
                let mut exact: QueryBuilder<$db> =
                    QueryBuilder::new("SELECT d.id FROM documents d WHERE d.title = ");
                exact.push_bind(search.text.clone());
                push_document_filter(&mut exact, filter, "d.");
                exact.push(" ORDER BY d.id DESC");
                let exact: Vec<i64> = exact.build_query_scalar().fetch_all(&self.pool).await?;

                // How many title matches there are decides where the body tier starts.
                let filtered = filter != &DocumentFilter::default();
                let mut count: QueryBuilder<$db> = QueryBuilder::new("SELECT COUNT(*) FROM ");
                Self::push_text_scan(&mut count, "documents", "d", &search.terms, TextTier::Title, filtered);
                push_document_filter(&mut count, filter, "d.");
                let in_titles: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;

                let stream = |tier: TextTier, skip_exact: bool, limit: i64, offset: i64| {
                    let mut query: QueryBuilder<$db> = QueryBuilder::new("SELECT d.id FROM ");
                    let order = Self::push_text_scan(&mut query, "documents", "d", &search.terms, tier, true);
                    push_document_filter(&mut query, filter, "d.");
                    if skip_exact {
                        query
                            .push(" AND d.title <> ")
                            .push_bind(search.text.clone());
                    }
                    query
                        .push(format!(" ORDER BY {order} DESC LIMIT "))
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
                    let ids: Vec<i64> = stream(TextTier::Title, exact_count > 0, limit, title_offset)
                        .build_query_scalar()
                        .fetch_all(&self.pool)
                        .await?;
                    found.extend(ids);
                }
                if (found.len() as i64) < wanted {
                    let limit = wanted - found.len() as i64;
                    let ids: Vec<i64> = stream(TextTier::BodyOnly, false, limit, (offset - in_titles).max(0))
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
                let mut query: QueryBuilder<$db> = QueryBuilder::new(format!(
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

            async fn next_document_id(&self) -> Result<i64, StoreError> {
                let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM documents")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(max.unwrap_or(0) + 1)
            }

            async fn document(&self, id: i64) -> Result<Option<api::Document>, StoreError> {
                let row: Option<DocumentRow> = sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = $1"
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
                    "SELECT effective_on, replaced_by, interprets, body FROM documents WHERE id = $1",
                )
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
                // The other direction of each link (indexed: documents_interprets, _replaced_by).
                let interpretations: Vec<i64> =
                    sqlx::query_scalar("SELECT id FROM documents WHERE interprets = $1 ORDER BY id")
                        .bind(id)
                        .fetch_all(&self.pool)
                        .await?;
                let replaces: Vec<i64> =
                    sqlx::query_scalar("SELECT id FROM documents WHERE replaced_by = $1 ORDER BY id")
                        .bind(id)
                        .fetch_all(&self.pool)
                        .await?;
                let files: Vec<(i64, String, String, i64)> = sqlx::query_as(
                    "SELECT position, name, media_type, size FROM document_attachments \
                     WHERE document_id = $1 ORDER BY position",
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
                Ok(Some(api::Document {
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
                let mut tx = self.write().await?;
                // Two processes adding files to one document at once take turns.
                Self::lock_key(&mut tx, &format!("document-attachments:{document_id}")).await?;
                let position: i64 = sqlx::query_scalar(
                    "INSERT INTO document_attachments (document_id, position, name, media_type, size, content) \
                     VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM document_attachments \
                                  WHERE document_id = $1), $2, $3, $4, $5) RETURNING position",
                )
                .bind(document_id)
                .bind(name)
                .bind(media_type)
                .bind(bytes.len() as i64)
                .bind(bytes)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(position.max(0) as u32)
            }

            async fn attachment(
                &self,
                document_id: i64,
                position: u32,
            ) -> Result<Option<(String, String, Vec<u8>)>, StoreError> {
                Ok(sqlx::query_as(
                    "SELECT name, media_type, content FROM document_attachments \
                     WHERE document_id = $1 AND position = $2",
                )
                .bind(document_id)
                .bind(i64::from(position))
                .fetch_optional(&self.pool)
                .await?)
            }
        }
    };
}
