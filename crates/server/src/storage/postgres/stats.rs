//! How PostgreSQL takes the dirty filing days to recount: one process recounts at a time
//! (an advisory lock), so two never write the same month's rows, and days are claimed so a
//! refresher that dies gives them back (the recount itself is `storage/shared/stats.rs`).

use super::PostgresStore;
use crate::storage::{Refreshed, StoreError};

/// The advisory lock key of recounting (any constant no other lock uses).
const STATS_LOCK: i64 = 0x0C1C_57A7;

/// After how long a claimed day whose recount never finished is counted again.
const CLAIM_TIMEOUT_SECONDS: i64 = 60;

impl PostgresStore {
    /// Recounts the days marked dirty (see [`crate::storage::StatsStore::refresh_stats`]).
    pub(super) async fn refresh_dirty(
        &self,
        max_days: Option<usize>,
    ) -> Result<Refreshed, StoreError> {
        // Most requests find nothing to do: ask before taking the writer's lock.
        let dirty: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM stats_dirty) OR EXISTS (SELECT 1 FROM stats_claims)",
        )
        .fetch_one(&self.pool)
        .await?;
        if !dirty {
            return Ok(Refreshed::default());
        }
        // Claims of a refresher that died go back to be counted.
        sqlx::query(
            "WITH stale AS (DELETE FROM stats_claims WHERE claimed_at < $1 RETURNING day) \
             INSERT INTO stats_dirty (day) SELECT day FROM stale",
        )
        .bind(crate::clock::now() - CLAIM_TIMEOUT_SECONDS)
        .execute(&self.pool)
        .await?;
        let mut recounted = 0;
        loop {
            if max_days.is_some_and(|max| recounted >= max) {
                return self.pending(recounted).await;
            }
            let mut tx = self.pool.begin().await?;
            // One recounting transaction at a time across processes (they share months). A
            // request (`max_days`) never waits for another refresher: it answers at once.
            if max_days.is_some() {
                let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
                    .bind(STATS_LOCK)
                    .fetch_one(&mut *tx)
                    .await?;
                if !locked {
                    return self.pending(recounted).await;
                }
            } else {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(STATS_LOCK)
                    .execute(&mut *tx)
                    .await?;
            }
            // Take a batch of days in one short statement of its own (not in the recount's
            // transaction): it removes only the marks of committed changes (a change still in
            // flight keeps its mark, so its day is counted again after it commits), and a
            // filing of those days marks them anew instead of waiting for the recount.
            let now = crate::clock::now();
            let days: Vec<String> = sqlx::query_scalar(
                "WITH taken AS (DELETE FROM stats_dirty WHERE day IN \
                     (SELECT DISTINCT day FROM stats_dirty ORDER BY day LIMIT $1) \
                     RETURNING day) \
                 INSERT INTO stats_claims (day, claimed_at) SELECT DISTINCT day, $2 FROM taken \
                 ON CONFLICT (day) DO UPDATE SET claimed_at = excluded.claimed_at RETURNING day",
            )
            .bind(crate::storage::counting::DAYS_PER_TRANSACTION)
            .bind(now)
            .fetch_all(&self.pool)
            .await?;
            if days.is_empty() {
                tx.rollback().await?;
                return self.pending(recounted).await;
            }
            Self::recount_days(&mut tx, &days).await?;
            sqlx::query("DELETE FROM stats_claims WHERE day = ANY($1) AND claimed_at = $2")
                .bind(&days)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            recounted += days.len();
        }
    }
}

impl PostgresStore {
    /// `recounted` so far, and how many days still wait (marked, or claimed by a refresher).
    async fn pending(&self, recounted: usize) -> Result<Refreshed, StoreError> {
        let pending: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(DISTINCT day) FROM stats_dirty) \
             + (SELECT COUNT(*) FROM stats_claims)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Refreshed {
            recounted,
            pending: pending.max(0) as usize,
        })
    }
}
