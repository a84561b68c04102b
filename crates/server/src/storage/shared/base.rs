//! What every store has: its migrations, its pool, the taxonomy, whether it is empty, the
//! same SQL on both; a snapshot for backups is each store's own (`snapshot`).

/// Implements [`crate::storage::BaseStore`] for `$store`, whose migrations are `MIGRATOR`.
macro_rules! shared_base {
    ($store:ty) => {
        #[async_trait]
        impl BaseStore for $store {
            async fn snapshot_into(&self, path: &std::path::Path) -> Result<bool, StoreError> {
                self.snapshot(path).await
            }

            async fn migrations(&self) -> Result<Migrations, StoreError> {
                migrations(&self.pool, &MIGRATOR).await
            }

            async fn pool_status(&self) -> Result<PoolStatus, StoreError> {
                pool_status(&self.pool).await
            }

            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn install_taxonomy(&self, taxonomy: &Taxonomy) -> Result<(), StoreError> {
                let mut tx = self.write().await?;
                // Two processes starting on a new database install it once.
                Self::lock_key(&mut tx, "taxonomy").await?;
                let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM districts")
                    .fetch_one(&mut *tx)
                    .await?;
                if count > 0 {
                    return Ok(());
                }
                for (table, terms) in [
                    ("districts", &taxonomy.districts),
                    ("departments", &taxonomy.departments),
                ] {
                    for (position, term) in terms.iter().enumerate() {
                        sqlx::query(AssertSqlSafe(format!(
                            "INSERT INTO {table} (code, name_zh, name_en, position) VALUES ($1, $2, $3, $4)"
                        )))
                        .bind(&term.code)
                        .bind(&term.name.zh)
                        .bind(&term.name.en)
                        .bind(position as i64)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                for (position, category) in taxonomy.categories.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO categories (code, parent, name_zh, name_en, position) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&category.code)
                    .bind(&category.parent)
                    .bind(&category.name.zh)
                    .bind(&category.name.en)
                    .bind(position as i64)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn taxonomy(&self) -> Result<Taxonomy, StoreError> {
                let mut terms = Vec::new();
                for table in ["districts", "departments"] {
                    let rows: Vec<(String, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
                        "SELECT code, name_zh, name_en FROM {table} ORDER BY position"
                    )))
                    .fetch_all(&self.pool)
                    .await?;
                    terms.push(
                        rows.into_iter()
                            .map(|(code, zh, en)| api::Term {
                                code,
                                name: api::LocalizedText { zh, en },
                            })
                            .collect::<Vec<_>>(),
                    );
                }
                let categories: Vec<(String, Option<String>, String, String)> = sqlx::query_as(
                    "SELECT code, parent, name_zh, name_en FROM categories ORDER BY position",
                )
                .fetch_all(&self.pool)
                .await?;
                let departments = terms.pop().unwrap_or_default();
                let districts = terms.pop().unwrap_or_default();
                Ok(Taxonomy {
                    districts,
                    departments,
                    categories: categories
                        .into_iter()
                        .map(|(code, parent, zh, en)| api::Category {
                            code,
                            parent,
                            name: api::LocalizedText { zh, en },
                        })
                        .collect(),
                })
            }

            async fn is_empty(&self) -> Result<bool, StoreError> {
                let any: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM cases) OR EXISTS (SELECT 1 FROM documents) \
                     OR EXISTS (SELECT 1 FROM announcements)",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(!any)
            }
        }
    };
}
