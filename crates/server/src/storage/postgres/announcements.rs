//! Announcements in PostgreSQL.

use api::{Announcement, AnnouncementSummary};

use super::*;

#[async_trait]
impl AnnouncementStore for PostgresStore {
    async fn insert_announcements(&self, announcements: &[Announcement]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for announcement in announcements {
            let s = &announcement.summary;
            let body_text = crate::search::blocks_text(&announcement.body);
            sqlx::query(
                "INSERT INTO announcements (id, title, agency, published_at, pinned, language, \
                 body, title_terms, terms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(s.id)
            .bind(&s.title)
            .bind(&s.agency)
            .bind(unix_seconds(&s.published_at)?)
            .bind(s.pinned)
            .bind(s.language.tag())
            .bind(encode_body(&announcement.body)?)
            .bind(term_array(&[&s.title]))
            .bind(term_array(&[&s.title, &body_text]))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn search_announcements(
        &self,
        search: &TextSearch,
    ) -> Result<Found<AnnouncementSummary>, StoreError> {
        // As on SQLite: a title equal to the query, then titles holding every term, then the
        // rest; newest first within each.
        let rows: Vec<AnnouncementHit> = sqlx::query_as(
            "SELECT id, title, agency, published_at, pinned, language, body FROM announcements \
             WHERE terms @> $1 \
             ORDER BY title = $2 DESC, title_terms @> $1 DESC, id DESC LIMIT $3 OFFSET $4",
        )
        .bind(&search.terms)
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

    async fn announcements(
        &self,
        cursor: Option<AnnouncementCursor>,
        limit: u32,
    ) -> Result<Slice<AnnouncementSummary, AnnouncementCursor>, StoreError> {
        let mut query: QueryBuilder<Postgres> = QueryBuilder::new(
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

    async fn announcement(&self, id: i64) -> Result<Option<Announcement>, StoreError> {
        let hit: Option<AnnouncementHit> = sqlx::query_as(
            "SELECT id, title, agency, published_at, pinned, language, body FROM announcements \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        hit.map(|hit| {
            Ok(Announcement {
                summary: hit.row.into_summary(),
                body: decode_body(&hit.body)?,
            })
        })
        .transpose()
    }
}
