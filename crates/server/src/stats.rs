//! Public performance statistics (`GET /api/v1/stats`): the definitions of `crates/api`'s
//! `stats` module applied to the counts the store keeps per filing day and month.
//!
//! A request never reads the cases one by one: it sums a few thousand count rows
//! ([`crate::storage::Store::period_counts`]), counts overdue cases through a partial index,
//! and takes the rising topics from a cache refreshed at most every ten minutes.

use std::collections::HashMap;
use std::sync::Mutex;

use api::{
    Figures, HOT_TOPICS_MAX, HOT_WINDOW_DAYS, HotTopic, PERIOD_MAX_DAYS, Period, RANK_MIN_CASES,
    RankRow, Stats, TREND_MONTHS, TrendMonth, per_mille,
};
use time::{Date, Duration};

use crate::clock;
use crate::storage::{Buckets, Counts, Store, StoreError};

/// Filing days one refresh transaction recounts on a request's behalf.
const REFRESH_DAYS: usize = 16;

/// How long a request helps with counting before it answers from what is counted.
const REFRESH_BUDGET: std::time::Duration = std::time::Duration::from_millis(500);

/// How long a statistics request waits before asking again while another refresher counts.
const REFRESH_PAUSE: std::time::Duration = std::time::Duration::from_millis(25);

/// The fewest cases of the recent week a category needs to be called rising: one private
/// case in a small district is never made "hot" (statistics count unpublished cases, but only
/// as numbers no case can be recognised from).
pub const HOT_MIN_CASES: u64 = 3;

/// How long the rising topics of a day are reused before they are counted again.
const TOPICS_TTL_SECONDS: i64 = 600;

/// The first day of `date`'s month.
fn month_start(date: Date) -> Date {
    date.replace_day(1).unwrap_or(date)
}

/// The last day of `date`'s month.
fn month_end(date: Date) -> Date {
    date.replace_day(date.month().length(date.year()))
        .unwrap_or(date)
}

/// Whether the month starting `month` is counted only in part by a period ending `to` (as of
/// `today`): the period stops before the month's last day, or runs to today, whose cases are
/// still coming in.
fn month_is_partial(month: Date, to: Date, today: Date) -> bool {
    let last = month_end(month);
    (month..=last).contains(&to) && (to < last || to >= today)
}

/// `YYYY-MM`.
fn month_code(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), date.month() as u8)
}

/// The first day of the month `n` months before `date`'s.
fn months_back(date: Date, n: u32) -> Date {
    let mut d = month_start(date);
    for _ in 0..n {
        d = month_start(d - Duration::days(1));
    }
    d
}

/// Why a period cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    /// `from` is not a calendar day.
    BadFrom,
    /// `to` is not a calendar day.
    BadTo,
    /// `from` lies outside [`api::limits::QUERY_YEARS`].
    FromOutside,
    /// `to` lies outside [`api::limits::QUERY_YEARS`].
    ToOutside,
    /// `to` is before `from`.
    Reversed,
    /// The period is longer than [`PERIOD_MAX_DAYS`].
    TooLong,
}

impl PeriodError {
    /// The query field at fault, the contract's error code and the limit crossed.
    pub fn field_error(self) -> (&'static str, api::FieldErrorCode, Option<u64>) {
        use api::FieldErrorCode::{InvalidFormat, OutOfRange};
        match self {
            Self::BadFrom => ("from", InvalidFormat, None),
            Self::BadTo => ("to", InvalidFormat, None),
            Self::FromOutside => ("from", OutOfRange, None),
            Self::ToOutside => ("to", OutOfRange, None),
            Self::Reversed => ("to", OutOfRange, None),
            Self::TooLong => ("to", OutOfRange, Some(u64::from(PERIOD_MAX_DAYS))),
        }
    }
}

/// The first and last day of `period` on `today` (custom days already parsed as text).
pub fn resolve(
    period: Period,
    from: Option<&str>,
    to: Option<&str>,
    today: Date,
) -> Result<(Date, Date), PeriodError> {
    match period {
        Period::ThisMonth => Ok((month_start(today), today)),
        Period::LastMonth => {
            let last = month_start(today) - Duration::days(1);
            Ok((month_start(last), last))
        }
        Period::Last12Months => {
            let a_year_ago = today
                .replace_year(today.year() - 1)
                .unwrap_or_else(|_| today - Duration::days(365));
            Ok((a_year_ago + Duration::days(1), today))
        }
        Period::Custom => {
            let day = |text: Option<&str>, bad, outside| match text.map(clock::parse_query_day) {
                Some(Ok(day)) => Ok(day),
                Some(Err(api::FieldErrorCode::OutOfRange)) => Err(outside),
                _ => Err(bad),
            };
            let from = day(from, PeriodError::BadFrom, PeriodError::FromOutside)?;
            let to = day(to, PeriodError::BadTo, PeriodError::ToOutside)?;
            if to < from {
                return Err(PeriodError::Reversed);
            }
            if (to - from).whole_days() >= i64::from(PERIOD_MAX_DAYS) {
                return Err(PeriodError::TooLong);
            }
            Ok((from, to))
        }
    }
}

/// The count buckets of the days `from..=to`: whole months where the period covers them
/// (a month counts as whole once the period reaches today, as no later day has cases),
/// single days at the ragged ends.
pub fn buckets(from: Date, to: Date, today: Date) -> Buckets {
    let mut out = Buckets::default();
    let mut month = month_start(from);
    while month <= to {
        let end = month_end(month);
        let covered_end = end.min(today.max(month));
        if from <= month && to >= covered_end {
            let code = month_code(month);
            match &mut out.months {
                Some((_, last)) => *last = code,
                None => out.months = Some((code.clone(), code)),
            }
        } else {
            let first = from.max(month);
            let last = to.min(end);
            out.days
                .push((clock::iso_date(first), clock::iso_date(last)));
        }
        month = end + Duration::days(1);
    }
    out
}

/// The median of a histogram of `(working days, replies)`, in tenths; the mean of the
/// middle two when the count is even.
pub fn median_tenths(histogram: &[(u32, u64)]) -> Option<u32> {
    let total: u64 = histogram.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // The values at positions ⌊(total−1)/2⌋ and ⌊total/2⌋ (0-based), in order.
    let value_at = |position: u64| {
        let mut seen = 0;
        for (days, n) in histogram {
            seen += n;
            if position < seen {
                return *days;
            }
        }
        histogram.last().map_or(0, |(days, _)| *days)
    };
    let low = value_at((total - 1) / 2);
    let high = value_at(total / 2);
    Some((low + high) * 5)
}

/// What the counts need to know of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    /// Where it stands.
    pub status: api::CaseStatus,
    /// When it was filed, Unix seconds.
    pub submitted_at: i64,
    /// When it was (last) replied.
    pub replied_at: Option<i64>,
    /// Whether that reply met the deadline that applied when it was given.
    pub replied_on_time: bool,
    /// The resident's rating.
    pub rating: Option<api::Rating>,
    /// Whether a follow-up ever reopened it.
    pub reopened: bool,
}

/// One case's contribution to the counts of its filing day, and the working days it took
/// to reply when it was replied: the one definition both stores count by.
pub fn case_counts(case: &CaseFacts) -> (Counts, Option<u32>) {
    use api::{CaseStatus, Rating};
    let filed = clock::cst_date(case.submitted_at);
    let reply_days = case
        .replied_at
        .map(|at| clock::working_days_between(filed, clock::cst_date(at)));
    let counts = Counts {
        received: 1,
        accepted: u64::from(!matches!(
            case.status,
            CaseStatus::Submitted | CaseStatus::Rejected
        )),
        replied: u64::from(reply_days.is_some()),
        closed: u64::from(case.status == CaseStatus::Closed),
        on_time: u64::from(reply_days.is_some() && case.replied_on_time),
        rated: u64::from(case.rating.is_some()),
        satisfied: u64::from(matches!(
            case.rating,
            Some(Rating::Satisfied | Rating::BasicallySatisfied)
        )),
        reopened: u64::from(case.reopened),
        reply_days_sum: u64::from(reply_days.unwrap_or(0)),
    };
    (counts, reply_days)
}

/// The headline figures from the period's counts.
pub fn figures(total: Counts, overdue_now: u64, reply_days: &[(u32, u64)]) -> Figures {
    Figures {
        received: total.received,
        accepted: total.accepted,
        replied: total.replied,
        closed: total.closed,
        on_time: total.on_time,
        overdue_now,
        rated: total.rated,
        satisfied: total.satisfied,
        reopened: total.reopened,
        reply_rate: per_mille(total.replied, total.accepted),
        on_time_rate: per_mille(total.on_time, total.replied),
        satisfaction_rate: per_mille(total.satisfied, total.rated),
        reopened_rate: per_mille(total.reopened, total.replied),
        reply_days_avg_tenths: per_mille(total.reply_days_sum, total.replied)
            .map(|per_mille_days| (per_mille_days + 50) / 100),
        reply_days_median_tenths: median_tenths(reply_days),
    }
}

/// A ranking: rows resting on at least [`RANK_MIN_CASES`] replies first, by on-time rate,
/// then satisfaction, then replies; the rest after them, by replies.
pub fn ranking(rows: impl IntoIterator<Item = (String, Counts)>) -> Vec<RankRow> {
    let mut out: Vec<RankRow> = rows
        .into_iter()
        .map(|(code, c)| RankRow {
            code,
            received: c.received,
            replied: c.replied,
            on_time_rate: per_mille(c.on_time, c.replied),
            rated: c.rated,
            satisfaction_rate: per_mille(c.satisfied, c.rated),
            ranked: c.replied >= u64::from(RANK_MIN_CASES),
        })
        .collect();
    out.sort_by(|a, b| {
        b.ranked
            .cmp(&a.ranked)
            .then_with(|| {
                if a.ranked {
                    b.on_time_rate
                        .cmp(&a.on_time_rate)
                        .then(b.satisfaction_rate.cmp(&a.satisfaction_rate))
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then(b.replied.cmp(&a.replied))
            .then_with(|| a.code.cmp(&b.code))
    });
    out
}

/// Every key that rose from `previous` to `recent` (counts per key) with at least
/// `min_recent` in the recent window, the biggest rise first (then the most recent cases,
/// then the key).
fn risen(recent: &[(String, u64)], previous: &[(String, u64)], min_recent: u64) -> Vec<HotTopic> {
    let before: HashMap<&str, u64> = previous.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let mut out: Vec<HotTopic> = recent
        .iter()
        .filter(|(_, n)| *n >= min_recent)
        .map(|(key, n)| HotTopic {
            key: key.clone(),
            recent: *n,
            previous: before.get(key.as_str()).copied().unwrap_or(0),
        })
        .filter(|t| t.recent > t.previous)
        .collect();
    out.sort_by(|a, b| {
        (b.recent - b.previous)
            .cmp(&(a.recent - a.previous))
            .then(b.recent.cmp(&a.recent))
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

/// The keys that rose most (see [`risen`]), at most [`HOT_TOPICS_MAX`].
pub fn rising(
    recent: &[(String, u64)],
    previous: &[(String, u64)],
    min_recent: u64,
) -> Vec<HotTopic> {
    let mut out = risen(recent, previous, min_recent);
    out.truncate(HOT_TOPICS_MAX);
    out
}

/// Whether `term` can stand as a word of a topic: a CJK pair, or a Latin word of at least
/// four letters (digits and short function words say nothing).
fn is_topic_word(term: &str) -> bool {
    let chars = term.chars().count();
    if !term.is_ascii() {
        chars == 2
    } else {
        chars >= 4 && term.chars().all(|c| c.is_ascii_alphabetic())
    }
}

/// How many titles hold each topic word (a title counts once per word).
pub fn word_counts(titles: &[String]) -> Vec<(String, u64)> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for title in titles {
        let mut terms = crate::search::terms(title);
        terms.sort();
        terms.dedup();
        for term in terms.into_iter().filter(|t| is_topic_word(t)) {
            *counts.entry(term).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

/// The rising words of titles. Chinese is counted in overlapping pairs (施工噪音 gives 施工,
/// 工噪 and 噪音), so a pair sharing a character with a word already chosen, and risen by
/// about as much, is taken for a straddling piece of the same phrase and left out: a phrase
/// yields its non-overlapping pairs (施工, 噪音), which in Chinese are mostly its words.
pub fn rising_words(recent: &[String], previous: &[String]) -> Vec<HotTopic> {
    let candidates = risen(&word_counts(recent), &word_counts(previous), 3);
    let mut chosen: Vec<HotTopic> = Vec::new();
    for topic in candidates {
        let rise = topic.recent - topic.previous;
        let piece_of_chosen = chosen.iter().any(|c| {
            let c_rise = c.recent - c.previous;
            c.key
                .chars()
                .any(|ch| !ch.is_ascii() && topic.key.contains(ch))
                && rise * 4 >= c_rise * 3
        });
        if !piece_of_chosen {
            chosen.push(topic);
        }
        if chosen.len() == HOT_TOPICS_MAX {
            break;
        }
    }
    chosen
}

/// The rising categories and words per district (or city-wide) and day, counted at most
/// every ten minutes: they compare rolling windows, so they do not depend on the period.
#[derive(Debug, Default)]
pub struct TopicsCache {
    entries: Mutex<HashMap<Option<String>, CachedTopics>>,
}

/// What was counted for a district (or the city): the day, the instant, the categories and
/// the words.
type CachedTopics = (Date, i64, Vec<HotTopic>, Vec<HotTopic>);

impl TopicsCache {
    async fn rising(
        &self,
        store: &dyn Store,
        district: Option<&str>,
        today: Date,
        now: i64,
    ) -> Result<(Vec<HotTopic>, Vec<HotTopic>), StoreError> {
        let key = district.map(str::to_owned);
        if let Some((day, at, categories, words)) =
            self.entries.lock().expect("topics cache").get(&key)
            && *day == today
            && now - at < TOPICS_TTL_SECONDS
        {
            return Ok((categories.clone(), words.clone()));
        }
        let window = i64::from(HOT_WINDOW_DAYS);
        let day = |back: i64| clock::iso_date(today - Duration::days(back));
        let recent = store
            .category_counts(&day(window - 1), &day(0), district)
            .await?;
        let previous = store
            .category_counts(&day(2 * window - 1), &day(window), district)
            .await?;
        let categories = rising(&recent, &previous, HOT_MIN_CASES);
        let end = clock::start_of_day(today + Duration::days(1));
        let middle = clock::start_of_day(today - Duration::days(window - 1));
        let start = clock::start_of_day(today - Duration::days(2 * window - 1));
        let recent = store.titles_filed(middle, end, district).await?;
        let previous = store.titles_filed(start, middle, district).await?;
        let words = rising_words(&recent, &previous);
        self.entries
            .lock()
            .expect("topics cache")
            .insert(key, (today, now, categories.clone(), words.clone()));
        Ok((categories, words))
    }
}

/// The statistics of the days `from..=to` as of the instant `now`.
pub async fn compute(
    store: &dyn Store,
    topics: &TopicsCache,
    period: Period,
    (from, to): (Date, Date),
    district: Option<&str>,
    now: i64,
) -> Result<Stats, StoreError> {
    let today = clock::cst_date(now);
    // Counting is kept current in the background (see `startup`); a request helps with what
    // is left, for a moment at most, then answers from what is counted and says how much is not.
    let started = std::time::Instant::now();
    let uncounted_days = loop {
        let refreshed = store.refresh_stats(Some(REFRESH_DAYS)).await?;
        if refreshed.pending == 0 || started.elapsed() >= REFRESH_BUDGET {
            break refreshed.pending;
        }
        if refreshed.recounted == 0 {
            // Another refresher is counting: give it a moment instead of asking again at once.
            tokio::time::sleep(REFRESH_PAUSE).await;
        }
    };
    let counts = store
        .period_counts(&buckets(from, to, today), district)
        .await?;
    let mut total = Counts::default();
    let mut departments: HashMap<&str, Counts> = HashMap::new();
    let mut districts: HashMap<&str, Counts> = HashMap::new();
    for (d, department, c) in &counts.rows {
        total += *c;
        if !department.is_empty() {
            *departments.entry(department).or_default() += *c;
        }
        *districts.entry(d).or_default() += *c;
    }
    let first_month = months_back(to, TREND_MONTHS as u32 - 1);
    let (today_code, first_code, last_code) = (
        clock::iso_date(today),
        month_code(first_month),
        month_code(to),
    );
    let (overdue_now, monthly, (hot_categories, hot_words)) = tokio::try_join!(
        store.overdue_count(
            clock::start_of_day(from),
            clock::start_of_day(to + Duration::days(1)),
            &today_code,
            district,
        ),
        store.monthly_counts(&first_code, &last_code, district),
        topics.rising(store, district, today, now),
    )?;
    let mut trend = Vec::with_capacity(TREND_MONTHS);
    let mut month = first_month;
    for _ in 0..TREND_MONTHS {
        let code = month_code(month);
        let c = monthly
            .iter()
            .find(|(m, _)| *m == code)
            .map(|(_, c)| *c)
            .unwrap_or_default();
        trend.push(TrendMonth {
            month: code,
            received: c.received,
            replied: c.replied,
            on_time_rate: per_mille(c.on_time, c.replied),
            partial: month_is_partial(month, to, today),
        });
        month = month_end(month) + Duration::days(1);
    }

    Ok(Stats {
        period,
        from: clock::iso_date(from),
        to: clock::iso_date(to),
        district: district.map(str::to_owned),
        as_of: clock::iso_date(today),
        uncounted_days: u32::try_from(uncounted_days).unwrap_or(u32::MAX),
        figures: figures(total, overdue_now, &counts.reply_days),
        departments: ranking(
            departments
                .into_iter()
                .map(|(code, c)| (code.to_owned(), c)),
        ),
        districts: if district.is_some() {
            Vec::new()
        } else {
            ranking(districts.into_iter().map(|(code, c)| (code.to_owned(), c)))
        },
        trend,
        hot_categories,
        hot_words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_month_is_partial_when_the_period_stops_inside_it_or_runs_to_today() {
        let today = date!(2026 - 12 - 06);
        // (month, the period's last day, partial)
        for (month, to, partial) in [
            (date!(2026 - 12 - 01), today, true),  // this month, so far
            (date!(2026 - 11 - 01), today, false), // a whole month before
            (date!(2026 - 11 - 01), date!(2026 - 11 - 30), false), // last month, in full
            (date!(2026 - 11 - 01), date!(2026 - 11 - 15), true), // a custom period stopping mid-month
            (date!(2026 - 12 - 01), date!(2026 - 12 - 31), true), // ends after today: still counting
            (date!(2026 - 10 - 01), date!(2026 - 11 - 15), false), // the period stops in a later month
        ] {
            assert_eq!(
                month_is_partial(month, to, today),
                partial,
                "{month} to {to}"
            );
        }
        // The last day of a month, seen on that day, is not over yet.
        assert!(month_is_partial(
            date!(2026 - 11 - 01),
            date!(2026 - 11 - 30),
            date!(2026 - 11 - 30)
        ));
    }

    #[test]
    fn periods_resolve_against_today() {
        let today = date!(2026 - 11 - 27);
        assert_eq!(
            resolve(Period::ThisMonth, None, None, today),
            Ok((date!(2026 - 11 - 01), today))
        );
        assert_eq!(
            resolve(Period::LastMonth, None, None, today),
            Ok((date!(2026 - 10 - 01), date!(2026 - 10 - 31)))
        );
        assert_eq!(
            resolve(Period::LastMonth, None, None, date!(2026 - 01 - 05)),
            Ok((date!(2025 - 12 - 01), date!(2025 - 12 - 31)))
        );
        assert_eq!(
            resolve(Period::Last12Months, None, None, today),
            Ok((date!(2025 - 11 - 28), today))
        );
        assert_eq!(
            resolve(
                Period::Custom,
                Some("2026-02-01"),
                Some("2026-02-28"),
                today
            ),
            Ok((date!(2026 - 02 - 01), date!(2026 - 02 - 28)))
        );
        assert_eq!(
            resolve(
                Period::Custom,
                Some("2026-02-30"),
                Some("2026-03-01"),
                today
            ),
            Err(PeriodError::BadFrom)
        );
        assert_eq!(
            resolve(
                Period::Custom,
                Some("2026-03-02"),
                Some("2026-03-01"),
                today
            ),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            resolve(
                Period::Custom,
                Some("2020-01-01"),
                Some("2026-03-01"),
                today
            ),
            Err(PeriodError::TooLong)
        );
        // Far years never reach the date arithmetic (9999-12-31 plus a day overflowed).
        assert_eq!(
            resolve(
                Period::Custom,
                Some("9999-12-31"),
                Some("9999-12-31"),
                today
            ),
            Err(PeriodError::FromOutside)
        );
        assert_eq!(
            resolve(
                Period::Custom,
                Some("2026-01-01"),
                Some("2100-01-01"),
                today
            ),
            Err(PeriodError::ToOutside)
        );
    }

    #[test]
    fn a_period_is_whole_months_and_ragged_days() {
        let today = date!(2026 - 11 - 27);
        let b = buckets(date!(2025 - 11 - 28), today, today);
        assert_eq!(b.months, Some(("2025-12".into(), "2026-11".into())));
        assert_eq!(b.days, [("2025-11-28".into(), "2025-11-30".into())]);

        let b = buckets(date!(2026 - 10 - 01), date!(2026 - 10 - 31), today);
        assert_eq!(b.months, Some(("2026-10".into(), "2026-10".into())));
        assert!(b.days.is_empty());

        let b = buckets(date!(2026 - 03 - 15), date!(2026 - 03 - 20), today);
        assert_eq!(b.months, None);
        assert_eq!(b.days, [("2026-03-15".into(), "2026-03-20".into())]);

        let b = buckets(date!(2026 - 01 - 10), date!(2026 - 04 - 05), today);
        assert_eq!(b.months, Some(("2026-02".into(), "2026-03".into())));
        assert_eq!(
            b.days,
            [
                ("2026-01-10".into(), "2026-01-31".into()),
                ("2026-04-01".into(), "2026-04-05".into())
            ]
        );
    }

    #[test]
    fn the_median_of_a_histogram_takes_the_middle_or_the_mean_of_two() {
        assert_eq!(median_tenths(&[]), None);
        assert_eq!(median_tenths(&[(3, 1)]), Some(30));
        assert_eq!(median_tenths(&[(1, 1), (2, 1)]), Some(15));
        assert_eq!(median_tenths(&[(1, 2), (4, 1), (9, 1)]), Some(25));
        assert_eq!(median_tenths(&[(0, 5), (10, 1)]), Some(0));
    }

    #[test]
    fn few_cases_are_listed_but_not_ranked_first() {
        let c = |replied, on_time| Counts {
            received: replied,
            accepted: replied,
            replied,
            on_time,
            ..Counts::default()
        };
        let rows = ranking([
            ("tiny".to_owned(), c(2, 2)),
            ("good".to_owned(), c(40, 38)),
            ("best".to_owned(), c(20, 20)),
            ("slow".to_owned(), c(50, 10)),
        ]);
        let order: Vec<_> = rows.iter().map(|r| (r.code.as_str(), r.ranked)).collect();
        assert_eq!(
            order,
            [
                ("best", true),
                ("good", true),
                ("slow", true),
                ("tiny", false)
            ]
        );
        assert_eq!(rows[1].on_time_rate, Some(950));
    }

    #[test]
    fn rising_words_keep_one_piece_of_a_phrase() {
        let titles = |title: &str, n: usize| vec![title.to_owned(); n];
        let recent = [titles("夜间施工噪音扰民", 10), titles("Parking noise", 4)].concat();
        let previous = titles("路灯不亮", 5);
        let words = rising_words(&recent, &previous);
        let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
        // Seven overlapping pairs of one phrase become its four words, none overlapping;
        // English words stand alone.
        let mut chinese: Vec<&str> = keys.iter().copied().filter(|k| !k.is_ascii()).collect();
        chinese.sort();
        assert_eq!(chinese, ["噪音", "夜间", "扰民", "施工"]);
        assert!(keys.contains(&"parking") && keys.contains(&"noise"));
        assert!(words.iter().all(|w| w.recent > w.previous));
        assert!(!keys.contains(&"路灯"));
    }

    #[test]
    fn a_case_counts_by_where_it_stands_and_how_it_was_rated() {
        use api::{CaseStatus as S, Rating as R};
        // Thursday 26 November 2026, 09:00 in Chengdu; the next Monday is two working days on.
        let filed = 1_795_654_800;
        let monday = filed + 4 * 86_400;
        let facts = |status, replied_at, on_time, rating, reopened| CaseFacts {
            status,
            submitted_at: filed,
            replied_at,
            replied_on_time: on_time,
            rating,
            reopened,
        };
        // (facts, received accepted replied closed on_time rated satisfied reopened, days)
        let table = [
            (
                facts(S::Submitted, None, false, None, false),
                [1, 0, 0, 0, 0, 0, 0, 0],
                None,
            ),
            (
                facts(S::Rejected, None, false, None, false),
                [1, 0, 0, 0, 0, 0, 0, 0],
                None,
            ),
            (
                facts(S::InProgress, None, false, None, true),
                [1, 1, 0, 0, 0, 0, 0, 1],
                None,
            ),
            (
                facts(S::Replied, Some(monday), true, None, false),
                [1, 1, 1, 0, 1, 0, 0, 0],
                Some(2),
            ),
            (
                facts(
                    S::Closed,
                    Some(monday),
                    false,
                    Some(R::BasicallySatisfied),
                    false,
                ),
                [1, 1, 1, 1, 0, 1, 1, 0],
                Some(2),
            ),
            (
                facts(S::Closed, Some(filed), true, Some(R::Dissatisfied), false),
                [1, 1, 1, 1, 1, 1, 0, 0],
                Some(0),
            ),
        ];
        for (case, expected, days) in table {
            let (c, reply_days) = case_counts(&case);
            let got = [
                c.received,
                c.accepted,
                c.replied,
                c.closed,
                c.on_time,
                c.rated,
                c.satisfied,
                c.reopened,
            ];
            assert_eq!(got, expected, "{case:?}");
            assert_eq!(reply_days, days, "{case:?}");
            assert_eq!(c.reply_days_sum, u64::from(days.unwrap_or(0)));
        }
    }
}
