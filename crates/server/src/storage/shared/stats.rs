//! The statistics' counts: the same SQL on both stores. How a refresh takes dirty days and
//! keeps two refreshers apart is each store's own (`refresh_dirty`: SQLite's one writer,
//! PostgreSQL's advisory lock and claims); recounting the days it took, and summing buckets,
//! is here. A store's `indexed_by` names the index SQLite must use (PostgreSQL plans alone).

/// Implements [`crate::storage::StatsStore`] for `$store` on the sqlx database `$db`.
macro_rules! shared_stats {
    ($store:ty, $db:ty) => {
        #[async_trait]
        impl StatsStore for $store {
            async fn refresh_stats(
                &self,
                max_days: Option<usize>,
            ) -> Result<Refreshed, StoreError> {
                self.refresh_dirty(max_days).await
            }

            async fn period_counts(
                &self,
                buckets: &Buckets,
                district: Option<&str>,
            ) -> Result<PeriodCounts, StoreError> {
                use crate::storage::counting::{GroupSums, SUMS, push_range, ranges};
                let mut groups: std::collections::BTreeMap<(String, String), Counts> =
                    Default::default();
                let mut histogram: std::collections::BTreeMap<u32, u64> = Default::default();
                for range in ranges(buckets) {
                    let mut query: QueryBuilder<$db> = QueryBuilder::new(format!(
                        "SELECT district, department, {SUMS} FROM stats_counts"
                    ));
                    push_range(&mut query, range, district);
                    query.push(" GROUP BY district, department");
                    let rows: Vec<GroupSums> =
                        query.build_query_as().fetch_all(&self.pool).await?;
                    for r in rows {
                        *groups.entry((r.district, r.department)).or_default() += r.sums.into();
                    }
                    let mut query: QueryBuilder<$db> = QueryBuilder::new(
                        "SELECT days, CAST(SUM(replies) AS BIGINT) FROM stats_reply_days",
                    );
                    push_range(&mut query, range, district);
                    query.push(" GROUP BY days");
                    let rows: Vec<(i64, i64)> =
                        query.build_query_as().fetch_all(&self.pool).await?;
                    for (days, n) in rows {
                        *histogram.entry(days.max(0) as u32).or_default() += n.max(0) as u64;
                    }
                }
                Ok(PeriodCounts {
                    rows: groups
                        .into_iter()
                        .map(|((district, department), c)| (district, department, c))
                        .collect(),
                    reply_days: histogram.into_iter().collect(),
                })
            }

            async fn monthly_counts(
                &self,
                first: &str,
                last: &str,
                district: Option<&str>,
            ) -> Result<Vec<(String, Counts)>, StoreError> {
                use crate::storage::counting::{BucketSums, SUMS, push_range};
                let mut query: QueryBuilder<$db> =
                    QueryBuilder::new(format!("SELECT bucket, {SUMS} FROM stats_counts"));
                push_range(&mut query, ("month", first, last), district);
                query.push(" GROUP BY bucket ORDER BY bucket");
                let rows: Vec<BucketSums> = query.build_query_as().fetch_all(&self.pool).await?;
                Ok(rows
                    .into_iter()
                    .map(|r| (r.bucket, r.sums.into()))
                    .collect())
            }

            async fn overdue_count(
                &self,
                filed_from: i64,
                filed_before: i64,
                today: &str,
                district: Option<&str>,
            ) -> Result<u64, StoreError> {
                // The condition repeats the partial index's, so both databases use it.
                let count: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                    "SELECT COUNT(*) FROM cases{} WHERE status IN ({}) \
                     AND deadline < $1 AND submitted_at >= $2 AND submitted_at < $3 \
                     AND (CAST($4 AS TEXT) IS NULL OR district = $4)",
                    Self::indexed_by("cases_open_deadline"),
                    crate::storage::rows::owing_statuses()
                )))
                .bind(today)
                .bind(filed_from)
                .bind(filed_before)
                .bind(district)
                .fetch_one(&self.pool)
                .await?;
                Ok(count.max(0) as u64)
            }

            async fn category_counts(
                &self,
                first: &str,
                last: &str,
                district: Option<&str>,
            ) -> Result<Vec<(String, u64)>, StoreError> {
                let rows: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT category, CAST(SUM(received) AS BIGINT) FROM stats_categories \
                     WHERE day BETWEEN $1 AND $2 AND (CAST($3 AS TEXT) IS NULL OR district = $3) \
                     GROUP BY category ORDER BY category",
                )
                .bind(first)
                .bind(last)
                .bind(district)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(c, n)| (c, n.max(0) as u64))
                    .collect())
            }

            async fn titles_filed(
                &self,
                filed_from: i64,
                filed_before: i64,
                district: Option<&str>,
            ) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar(AssertSqlSafe(format!(
                    "SELECT title FROM cases{} \
                     WHERE submitted_at >= $1 AND submitted_at < $2 AND published = true \
                     AND (CAST($3 AS TEXT) IS NULL OR district = $3)",
                    Self::indexed_by("cases_filed")
                )))
                .bind(filed_from)
                .bind(filed_before)
                .bind(district)
                .fetch_all(&self.pool)
                .await?)
            }
        }

        impl $store {
            /// Recounts filing `days` (`YYYY-MM-DD`), then the months they fall in, in `tx`.
            async fn recount_days(
                tx: &mut <$db as sqlx::Database>::Connection,
                days: &[String],
            ) -> Result<(), StoreError> {
                let mut months: Vec<&str> = Vec::new();
                for day in days {
                    Self::recount_day(tx, day).await?;
                    let month = &day[..7];
                    if !months.contains(&month) {
                        months.push(month);
                    }
                }
                for month in months {
                    Self::recount_month(tx, month).await?;
                }
                Ok(())
            }

            /// Recounts one filing day from its cases.
            async fn recount_day(
                tx: &mut <$db as sqlx::Database>::Connection,
                day: &str,
            ) -> Result<(), StoreError> {
                use crate::storage::counting::{COUNTED_COLUMNS, CountedCase, day_counts};
                for table in ["stats_counts", "stats_reply_days"] {
                    sqlx::query(AssertSqlSafe(format!(
                        "DELETE FROM {table} WHERE grain = 'day' AND bucket = $1"
                    )))
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query("DELETE FROM stats_categories WHERE day = $1")
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
                let Some(date) = crate::clock::parse_iso_date(day) else {
                    return Err(StoreError::Corrupt(format!("dirty statistics day {day}")));
                };
                let start = crate::clock::start_of_day(date);
                let cases: Vec<CountedCase> = sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT {COUNTED_COLUMNS} FROM cases c{} \
                     LEFT JOIN ratings r ON r.case_id = c.id \
                     WHERE c.submitted_at >= $1 AND c.submitted_at < $2",
                    Self::indexed_by("cases_filed")
                )))
                .bind(start)
                .bind(start + 86_400)
                .fetch_all(&mut *tx)
                .await?;
                let day_rows = day_counts(&cases)?;
                for ((district, department), c) in &day_rows.counts {
                    sqlx::query(
                        "INSERT INTO stats_counts (grain, bucket, district, department, \
                         received, accepted, replied, closed, on_time, rated, satisfied, \
                         reopened, reply_days_sum) \
                         VALUES ('day', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    )
                    .bind(day)
                    .bind(district)
                    .bind(department)
                    .bind(c.received as i64)
                    .bind(c.accepted as i64)
                    .bind(c.replied as i64)
                    .bind(c.closed as i64)
                    .bind(c.on_time as i64)
                    .bind(c.rated as i64)
                    .bind(c.satisfied as i64)
                    .bind(c.reopened as i64)
                    .bind(c.reply_days_sum as i64)
                    .execute(&mut *tx)
                    .await?;
                }
                for ((district, days), n) in &day_rows.reply_days {
                    sqlx::query(
                        "INSERT INTO stats_reply_days (grain, bucket, district, days, replies) \
                         VALUES ('day', $1, $2, $3, $4)",
                    )
                    .bind(day)
                    .bind(district)
                    .bind(i64::from(*days))
                    .bind(*n as i64)
                    .execute(&mut *tx)
                    .await?;
                }
                for ((district, category), n) in &day_rows.categories {
                    sqlx::query(
                        "INSERT INTO stats_categories (day, district, category, received) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(day)
                    .bind(district)
                    .bind(category)
                    .bind(*n as i64)
                    .execute(&mut *tx)
                    .await?;
                }
                Ok(())
            }

            /// Recounts a month's rows (`YYYY-MM`) from its days' rows.
            async fn recount_month(
                tx: &mut <$db as sqlx::Database>::Connection,
                month: &str,
            ) -> Result<(), StoreError> {
                use crate::storage::counting::SUMS;
                let first = format!("{month}-01");
                let last = format!("{month}-31");
                for table in ["stats_counts", "stats_reply_days"] {
                    sqlx::query(AssertSqlSafe(format!(
                        "DELETE FROM {table} WHERE grain = 'month' AND bucket = $1"
                    )))
                    .bind(month)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(AssertSqlSafe(format!(
                    "INSERT INTO stats_counts SELECT 'month', $1, district, department, {SUMS} \
                     FROM stats_counts WHERE grain = 'day' AND bucket BETWEEN $2 AND $3 \
                     GROUP BY district, department"
                )))
                .bind(month)
                .bind(&first)
                .bind(&last)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO stats_reply_days \
                     SELECT 'month', $1, district, days, CAST(SUM(replies) AS BIGINT) \
                     FROM stats_reply_days WHERE grain = 'day' AND bucket BETWEEN $2 AND $3 \
                     GROUP BY district, days",
                )
                .bind(month)
                .bind(&first)
                .bind(&last)
                .execute(&mut *tx)
                .await?;
                Ok(())
            }
        }
    };
}
