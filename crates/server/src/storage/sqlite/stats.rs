//! The statistics' counts in SQLite: recounting dirty filing days, and summing buckets.

use sqlx::{AssertSqlSafe, QueryBuilder};

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::SqliteStore;
use crate::clock;
use crate::storage::counting::{
    BucketSums, COUNTED_COLUMNS, CountedCase, GroupSums, SUMS, day_counts, push_range, ranges,
};
use crate::storage::{Buckets, Counts, PeriodCounts, Refreshed, StatsStore, StoreError};

/// How many dirty days one transaction recounts, so that filings wait little.
const DAYS_PER_TRANSACTION: i64 = 16;

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

#[async_trait]
impl StatsStore for SqliteStore {
    async fn refresh_stats(&self, max_days: Option<usize>) -> Result<Refreshed, StoreError> {
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
            let _writer = if max_days.is_some() {
                match self.filing.try_lock() {
                    Ok(writer) => writer,
                    Err(_) => return self.pending(recounted).await,
                }
            } else {
                self.filing.lock().await
            };
            let mut tx = self.write().await?;
            let days: Vec<String> =
                sqlx::query_scalar("SELECT day FROM stats_dirty ORDER BY day LIMIT ?")
                    .bind(DAYS_PER_TRANSACTION)
                    .fetch_all(&mut *tx)
                    .await?;
            if days.is_empty() {
                return Ok(Refreshed {
                    recounted,
                    pending: 0,
                });
            }
            let mut months: Vec<String> = Vec::new();
            for day in &days {
                recount_day(&mut tx, day).await?;
                let month = day[..7].to_owned();
                if !months.contains(&month) {
                    months.push(month);
                }
            }
            for month in &months {
                recount_month(&mut tx, month).await?;
            }
            tx.commit().await?;
            recounted += days.len();
        }
    }

    async fn period_counts(
        &self,
        buckets: &Buckets,
        district: Option<&str>,
    ) -> Result<PeriodCounts, StoreError> {
        let mut groups: BTreeMap<(String, String), Counts> = BTreeMap::new();
        let mut histogram: BTreeMap<u32, u64> = BTreeMap::new();
        for range in ranges(buckets) {
            let mut query = QueryBuilder::new(format!(
                "SELECT district, department, {SUMS} FROM stats_counts"
            ));
            push_range(&mut query, range, district);
            query.push(" GROUP BY district, department");
            let rows: Vec<GroupSums> = query.build_query_as().fetch_all(&self.pool).await?;
            for r in rows {
                *groups.entry((r.district, r.department)).or_default() += r.sums.into();
            }
            let mut query = QueryBuilder::new("SELECT days, SUM(replies) FROM stats_reply_days");
            push_range(&mut query, range, district);
            query.push(" GROUP BY days");
            let rows: Vec<(i64, i64)> = query.build_query_as().fetch_all(&self.pool).await?;
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
        let mut query = QueryBuilder::new(format!("SELECT bucket, {SUMS} FROM stats_counts"));
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
        // The condition repeats the partial index's, so SQLite uses it.
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cases INDEXED BY cases_open_deadline \
             WHERE status IN ('accepted', 'assigned', 'in_progress') \
             AND deadline < ? AND submitted_at >= ? AND submitted_at < ? \
             AND (? IS NULL OR district = ?)",
        )
        .bind(today)
        .bind(filed_from)
        .bind(filed_before)
        .bind(district)
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
            "SELECT category, SUM(received) FROM stats_categories \
             WHERE day BETWEEN ? AND ? AND (? IS NULL OR district = ?) \
             GROUP BY category ORDER BY category",
        )
        .bind(first)
        .bind(last)
        .bind(district)
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
        Ok(sqlx::query_scalar(
            "SELECT title FROM cases INDEXED BY cases_filed \
             WHERE submitted_at >= ? AND submitted_at < ? AND published = 1 \
             AND (? IS NULL OR district = ?)",
        )
        .bind(filed_from)
        .bind(filed_before)
        .bind(district)
        .bind(district)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// Recounts one filing day from its cases.
async fn recount_day(tx: &mut sqlx::SqliteConnection, day: &str) -> Result<(), StoreError> {
    for table in ["stats_counts", "stats_reply_days"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE grain = 'day' AND bucket = ?"
        )))
        .bind(day)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM stats_categories WHERE day = ?")
        .bind(day)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM stats_dirty WHERE day = ?")
        .bind(day)
        .execute(&mut *tx)
        .await?;
    let Some(date) = clock::parse_iso_date(day) else {
        return Err(StoreError::Corrupt(format!("dirty statistics day {day}")));
    };
    let start = clock::start_of_day(date);
    let cases: Vec<CountedCase> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COUNTED_COLUMNS} FROM cases c INDEXED BY cases_filed LEFT JOIN ratings r ON r.case_id = c.id \
         WHERE c.submitted_at >= ? AND c.submitted_at < ?"
    )))
    .bind(start)
    .bind(start + 86_400)
    .fetch_all(&mut *tx)
    .await?;
    let day_rows = day_counts(&cases)?;
    for ((district, department), c) in &day_rows.counts {
        insert_counts(tx, day, district, department, *c).await?;
    }
    for ((district, days), n) in &day_rows.reply_days {
        sqlx::query(
            "INSERT INTO stats_reply_days (grain, bucket, district, days, replies) \
             VALUES ('day', ?, ?, ?, ?)",
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
            "INSERT INTO stats_categories (day, district, category, received) VALUES (?, ?, ?, ?)",
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

async fn insert_counts(
    tx: &mut sqlx::SqliteConnection,
    bucket: &str,
    district: &str,
    department: &str,
    c: Counts,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO stats_counts (grain, bucket, district, department, received, accepted, \
         replied, closed, on_time, rated, satisfied, reopened, reply_days_sum) \
         VALUES ('day', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(bucket)
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
    Ok(())
}

/// Recounts a month's rows from its days' rows.
async fn recount_month(tx: &mut sqlx::SqliteConnection, month: &str) -> Result<(), StoreError> {
    let first = format!("{month}-01");
    let last = format!("{month}-31");
    for table in ["stats_counts", "stats_reply_days"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE grain = 'month' AND bucket = ?"
        )))
        .bind(month)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO stats_counts SELECT 'month', ?, district, department, {SUMS} \
         FROM stats_counts WHERE grain = 'day' AND bucket BETWEEN ? AND ? \
         GROUP BY district, department"
    )))
    .bind(month)
    .bind(&first)
    .bind(&last)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO stats_reply_days SELECT 'month', ?, district, days, SUM(replies) \
         FROM stats_reply_days WHERE grain = 'day' AND bucket BETWEEN ? AND ? \
         GROUP BY district, days",
    )
    .bind(month)
    .bind(&first)
    .bind(&last)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
