//! How SQLite takes the dirty filing days to recount: in the process's one writer, and a
//! request never waits for it (the recount itself is `storage/shared/stats.rs`).

use super::SqliteStore;
use crate::storage::{Refreshed, StoreError};

impl SqliteStore {
    /// `recounted` so far, and how many days still wait.
    async fn pending(&self, recounted: usize) -> Result<Refreshed, StoreError> {
        let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stats_dirty")
            .fetch_one(&self.pool)
            .await?;
        Ok(Refreshed {
            recounted,
            pending: pending.max(0) as usize,
        })
    }
}

impl SqliteStore {
    /// Recounts the days marked dirty (see [`crate::storage::StatsStore::refresh_stats`]).
    pub(super) async fn refresh_dirty(
        &self,
        max_days: Option<usize>,
    ) -> Result<Refreshed, StoreError> {
        // Most requests find nothing to do: ask before taking the writer's lock.
        let dirty: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM stats_dirty)")
            .fetch_one(&self.pool)
            .await?;
        if !dirty {
            return Ok(Refreshed::default());
        }
        let mut recounted = 0;
        loop {
            if max_days.is_some_and(|max| recounted >= max) {
                return self.pending(recounted).await;
            }
            // A request (`max_days`) never waits behind the writer (a filing, or the
            // background counter's batch): it answers from what is counted.
            let mut tx = if max_days.is_some() {
                match self.try_write().await? {
                    Some(tx) => tx,
                    None => return self.pending(recounted).await,
                }
            } else {
                self.write().await?
            };
            let days: Vec<String> =
                sqlx::query_scalar("SELECT day FROM stats_dirty ORDER BY day LIMIT $1")
                    .bind(crate::storage::counting::DAYS_PER_TRANSACTION)
                    .fetch_all(&mut *tx)
                    .await?;
            if days.is_empty() {
                return Ok(Refreshed {
                    recounted,
                    pending: 0,
                });
            }
            for day in &days {
                sqlx::query("DELETE FROM stats_dirty WHERE day = $1")
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
            }
            Self::recount_days(&mut tx, &days).await?;
            tx.commit().await?;
            recounted += days.len();
        }
    }
}
