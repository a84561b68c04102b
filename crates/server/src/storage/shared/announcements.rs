//! Announcements: the same SQL on both stores. Search asks each store how its index holds
//! the terms (`index_text`, `push_text_match`; SQLite: an FTS5 table, PostgreSQL: term arrays).

/// Implements [`crate::storage::AnnouncementStore`] for `$store` on the sqlx database `$db`.
macro_rules! shared_announcements {
    ($store:ty, $db:ty) => {
        #[async_trait]
        impl AnnouncementStore for $store {
            async fn insert_announcements(
                &self,
                announcements: &[api::Announcement],
            ) -> Result<(), StoreError> {
                let mut tx = self.write().await?;
                for announcement in announcements {
                    let s = &announcement.summary;
                    sqlx::query(
                        "INSERT INTO announcements \
                         (id, title, agency, published_at, pinned, language, body) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(s.id)
                    .bind(&s.title)
                    .bind(&s.agency)
                    .bind(unix_seconds(&s.published_at)?)
                    .bind(s.pinned)
                    .bind(s.language.tag())
                    .bind(encode_body(&announcement.body)?)
                    .execute(&mut *tx)
                    .await?;
                    Self::index_text(&mut tx, "announcements", s.id, &s.title, &announcement.body)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn search_announcements(
                &self,
                search: &TextSearch,
            ) -> Result<Found<api::AnnouncementSummary>, StoreError> {
                // As documents: a title equal to the query, then titles holding every term,
                // then the rest; newest first within each.
                let mut query: QueryBuilder<$db> = QueryBuilder::new(
                    "SELECT a.id, a.title, a.agency, a.published_at, a.pinned, a.language, \
                     a.body AS body FROM announcements a WHERE ",
                );
                Self::push_text_match(&mut query, "announcements", "a", &search.terms, false);
                query
                    .push(" ORDER BY a.title = ")
                    .push_bind(&search.text)
                    .push(" DESC, ");
                Self::push_text_match(&mut query, "announcements", "a", &search.terms, true);
                query
                    .push(" DESC, a.id DESC LIMIT ")
                    .push_bind(i64::from(search.limit) + 1)
                    .push(" OFFSET ")
                    .push_bind(i64::from(search.offset));
                let rows: Vec<AnnouncementHit> =
                    query.build_query_as().fetch_all(&self.pool).await?;
                let more = rows.len() > search.limit as usize;
                let items = rows
                    .into_iter()
                    .take(search.limit as usize)
                    .map(|hit| Ok((hit.row.into_summary(), decode_body(&hit.body)?)))
                    .collect::<Result<_, StoreError>>()?;
                Ok(Found { items, more })
            }

            async fn announcements(
                &self,
                cursor: Option<AnnouncementCursor>,
                limit: u32,
            ) -> Result<Slice<api::AnnouncementSummary, AnnouncementCursor>, StoreError> {
                let mut query: QueryBuilder<$db> = QueryBuilder::new(
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
                let mut rows: Vec<AnnouncementRow> =
                    query.build_query_as().fetch_all(&self.pool).await?;
                let more = rows.len() > limit as usize;
                rows.truncate(limit as usize);
                let next = more
                    .then(|| rows.last())
                    .flatten()
                    .map(|row| AnnouncementCursor {
                        pinned: row.pinned,
                        published_at: row.published_at,
                        id: row.id,
                    });
                Ok(Slice {
                    items: rows
                        .into_iter()
                        .map(AnnouncementRow::into_summary)
                        .collect(),
                    next,
                })
            }

            async fn announcement(&self, id: i64) -> Result<Option<api::Announcement>, StoreError> {
                let hit: Option<AnnouncementHit> = sqlx::query_as(
                    "SELECT id, title, agency, published_at, pinned, language, body \
                     FROM announcements WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                hit.map(|hit| {
                    Ok(api::Announcement {
                        summary: hit.row.into_summary(),
                        body: decode_body(&hit.body)?,
                    })
                })
                .transpose()
            }
        }
    };
}
