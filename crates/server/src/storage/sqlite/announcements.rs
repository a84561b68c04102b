//! Announcements in SQLite.

use api::{Announcement, AnnouncementSummary};

use super::*;

#[async_trait]
impl AnnouncementStore for SqliteStore {
    async fn insert_announcements(&self, announcements: &[Announcement]) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        for announcement in announcements {
            let s = &announcement.summary;
            let published_at = unix_seconds(&s.published_at)?;
            let body = encode_body(&announcement.body)?;
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

    async fn search_announcements(
        &self,
        search: &TextSearch,
    ) -> Result<Found<AnnouncementSummary>, StoreError> {
        // The same order as documents' (and the PostgreSQL store's): a title equal to the
        // query, then titles holding every term, then the rest; newest first within each.
        let expression = fts5_match(&search.terms);
        let rows: Vec<AnnouncementHit> = sqlx::query_as(
            "SELECT a.id, a.title, a.agency, a.published_at, a.pinned, a.language, a.body AS body \
             FROM announcements_search JOIN announcements a ON a.id = announcements_search.rowid \
             WHERE announcements_search MATCH ? \
             ORDER BY a.title = ? DESC, \
                      a.id IN (SELECT rowid FROM announcements_search WHERE announcements_search MATCH ?) DESC, \
                      a.id DESC \
             LIMIT ? OFFSET ?",
        )
        .bind(&expression)
        .bind(&search.text)
        .bind(format!("title : ({expression})"))
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
}
