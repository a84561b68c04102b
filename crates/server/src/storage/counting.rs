//! What both stores count statistics with: a case as the counts see it, a day's counts
//! from its cases, and the sums read back from the count tables.

use std::collections::BTreeMap;

use api::{CaseStatus, Rating};
use sqlx::{Database, Encode, QueryBuilder, Type};

use super::rows::decode_code;
use super::{Buckets, Counts, StoreError};

/// The columns of [`CountedCase`], over `cases c LEFT JOIN ratings r` (each store writes
/// its own FROM, with its own index hint).
pub(super) const COUNTED_COLUMNS: &str = "c.district, \
     COALESCE(c.reply_department, c.department, '') AS department, c.category, c.status, \
     c.submitted_at, c.replied_at, c.replied_on_time, r.rating, \
     EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.follow_up = true) AS reopened";

/// How many dirty days one transaction recounts, so that filings wait little.
pub(super) const DAYS_PER_TRANSACTION: i64 = 16;

/// One case as the counts see it.
#[derive(sqlx::FromRow)]
pub(super) struct CountedCase {
    district: String,
    department: String,
    category: String,
    status: String,
    submitted_at: i64,
    replied_at: Option<i64>,
    replied_on_time: Option<bool>,
    rating: Option<String>,
    reopened: bool,
}

impl CountedCase {
    /// The case's contribution to the counts, and its working days to reply if replied.
    pub(super) fn counts(&self) -> Result<(Counts, Option<u32>), StoreError> {
        Ok(crate::stats::case_counts(&crate::stats::CaseFacts {
            status: decode_code(&self.status, CaseStatus::from_code)?,
            submitted_at: self.submitted_at,
            replied_at: self.replied_at,
            replied_on_time: self.replied_on_time == Some(true),
            rating: self
                .rating
                .as_deref()
                .map(|code| decode_code(code, Rating::from_code))
                .transpose()?,
            reopened: self.reopened,
        }))
    }
}

/// The primary-key ranges of `buckets`: `(grain, first, last)`.
pub(super) fn ranges(buckets: &Buckets) -> Vec<(&'static str, &str, &str)> {
    let months = buckets
        .months
        .iter()
        .map(|(first, last)| ("month", first.as_str(), last.as_str()));
    let days = buckets
        .days
        .iter()
        .map(|(first, last)| ("day", first.as_str(), last.as_str()));
    months.chain(days).collect()
}

/// `WHERE` terms selecting one range of buckets (a primary-key range scan) and the district.
pub(super) fn push_range<DB>(
    query: &mut QueryBuilder<DB>,
    (grain, first, last): (&'static str, &str, &str),
    district: Option<&str>,
) where
    DB: Database,
    for<'t> &'static str: Encode<'t, DB> + Type<DB>,
    for<'t> String: Encode<'t, DB> + Type<DB>,
{
    query.push(" WHERE grain = ");
    query.push_bind(grain);
    query.push(" AND bucket BETWEEN ");
    query.push_bind(first.to_owned());
    query.push(" AND ");
    query.push_bind(last.to_owned());
    if let Some(district) = district {
        query.push(" AND district = ");
        query.push_bind(district.to_owned());
    }
}

/// The nine counts as SQL sums, named as [`Sums`]' fields.
pub(super) const SUMS: &str = "CAST(SUM(received) AS BIGINT) AS received, \
     CAST(SUM(accepted) AS BIGINT) AS accepted, CAST(SUM(replied) AS BIGINT) AS replied, \
     CAST(SUM(closed) AS BIGINT) AS closed, CAST(SUM(on_time) AS BIGINT) AS on_time, \
     CAST(SUM(rated) AS BIGINT) AS rated, CAST(SUM(satisfied) AS BIGINT) AS satisfied, \
     CAST(SUM(reopened) AS BIGINT) AS reopened, \
     CAST(SUM(reply_days_sum) AS BIGINT) AS reply_days_sum";

/// The sums of [`SUMS`] as read back.
#[derive(sqlx::FromRow)]
pub(super) struct Sums {
    received: i64,
    accepted: i64,
    replied: i64,
    closed: i64,
    on_time: i64,
    rated: i64,
    satisfied: i64,
    reopened: i64,
    reply_days_sum: i64,
}

impl From<Sums> for Counts {
    fn from(s: Sums) -> Self {
        let n = |v: i64| v.max(0) as u64;
        Counts {
            received: n(s.received),
            accepted: n(s.accepted),
            replied: n(s.replied),
            closed: n(s.closed),
            on_time: n(s.on_time),
            rated: n(s.rated),
            satisfied: n(s.satisfied),
            reopened: n(s.reopened),
            reply_days_sum: n(s.reply_days_sum),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct GroupSums {
    pub(super) district: String,
    pub(super) department: String,
    #[sqlx(flatten)]
    pub(super) sums: Sums,
}

#[derive(sqlx::FromRow)]
pub(super) struct BucketSums {
    pub(super) bucket: String,
    #[sqlx(flatten)]
    pub(super) sums: Sums,
}

/// One filing day's rows of the count tables, from its cases.
#[derive(Debug, Default)]
pub(super) struct DayCounts {
    /// `(district, department)` → the nine counts.
    pub(super) counts: BTreeMap<(String, String), Counts>,
    /// `(district, working days to reply)` → replies.
    pub(super) reply_days: BTreeMap<(String, u32), u64>,
    /// `(district, category)` → cases received.
    pub(super) categories: BTreeMap<(String, String), u64>,
}

/// Counts one day's cases.
pub(super) fn day_counts(cases: &[CountedCase]) -> Result<DayCounts, StoreError> {
    let mut day = DayCounts::default();
    for case in cases {
        let (c, days) = case.counts()?;
        *day.counts
            .entry((case.district.clone(), case.department.clone()))
            .or_default() += c;
        if let Some(days) = days {
            *day.reply_days
                .entry((case.district.clone(), days))
                .or_default() += 1;
        }
        *day.categories
            .entry((case.district.clone(), case.category.clone()))
            .or_default() += 1;
    }
    Ok(day)
}
