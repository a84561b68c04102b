//! What several processes coordinate through SQLite: per-client limits and leases.

use super::*;

#[async_trait]
impl CoordinationStore for SqliteStore {
    async fn reserve_use(
        &self,
        scope: &str,
        client: &str,
        now_ms: i64,
        window_ms: i64,
        admit: &Admit<'_>,
    ) -> Result<Result<i64, u64>, StoreError> {
        let mut tx = self.write().await?;
        // BEGIN IMMEDIATE holds the one writer lock: nothing else counts meanwhile.
        sqlx::query("DELETE FROM limit_uses WHERE scope = ? AND client = ? AND used_at <= ?")
            .bind(scope)
            .bind(client)
            .bind(now_ms.saturating_sub(window_ms))
            .execute(&mut *tx)
            .await?;
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT used_at FROM limit_uses WHERE scope = ? AND client = ? ORDER BY used_at",
        )
        .bind(scope)
        .bind(client)
        .fetch_all(&mut *tx)
        .await?;
        if let Err(wait) = admit(&times) {
            // At once: the lock (SQLite's writer, the client's advisory lock) is let go now,
            // not when the pool gets round to it.
            tx.rollback().await?;
            return Ok(Err(wait));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO limit_uses (scope, client, used_at) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(scope)
        .bind(client)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    async fn give_back_use(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM limit_uses WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn forget_uses(&self, before_ms: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM limit_uses WHERE used_at < ?")
            .bind(before_ms)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        // Two processes at once: the second's update waits for the first's row, then finds
        // the lease taken and changes nothing.
        let taken = sqlx::query(
            "INSERT INTO leases (name, holder, until) VALUES (?, ?, ?) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
             WHERE leases.until <= ? OR leases.holder = excluded.holder",
        )
        .bind(name)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(taken == 1)
    }

    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM leases WHERE name = ? AND holder = ?")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
