//! What several processes coordinate through the database: per-client limits and leases,
//! the same SQL on both stores; each store's `write` and `lock_key` say how a transaction
//! holds one client's count (SQLite: its one writer; PostgreSQL: an advisory lock).

/// Implements [`crate::storage::CoordinationStore`] for `$store`.
macro_rules! shared_coordination {
    ($store:ty) => {
        #[async_trait]
        impl CoordinationStore for $store {
            async fn reserve_use(
                &self,
                scope: &str,
                client: &str,
                now_ms: i64,
                window_ms: i64,
                admit: &Admit<'_>,
            ) -> Result<Result<i64, u64>, StoreError> {
                // One client's uses are counted by one transaction at a time, in any process.
                let mut tx = self.write().await?;
                Self::lock_key(&mut tx, &format!("limit:{scope}:{client}")).await?;
                sqlx::query("DELETE FROM limit_uses WHERE scope = $1 AND client = $2 AND used_at <= $3")
                    .bind(scope)
                    .bind(client)
                    .bind(now_ms.saturating_sub(window_ms))
                    .execute(&mut *tx)
                    .await?;
                let times: Vec<i64> = sqlx::query_scalar(
                    "SELECT used_at FROM limit_uses WHERE scope = $1 AND client = $2 ORDER BY used_at",
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
                    "INSERT INTO limit_uses (scope, client, used_at) VALUES ($1, $2, $3) RETURNING id",
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
                sqlx::query("DELETE FROM limit_uses WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn forget_uses(&self, before_ms: i64) -> Result<u64, StoreError> {
                Ok(sqlx::query("DELETE FROM limit_uses WHERE used_at < $1")
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
                    "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3) \
                     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
                     WHERE leases.until <= $4 OR leases.holder = excluded.holder",
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
                sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
                    .bind(name)
                    .bind(holder)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    };
}
