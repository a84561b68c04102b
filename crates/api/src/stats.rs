//! Public performance statistics: one definition of each figure, used by the server to
//! compute it and by the app to explain it.
//!
//! Every figure is about the cases **received in the period** (by the day they were filed,
//! in China Standard Time), optionally in one district, and counts every case, published or
//! not: a figure made only of the cases residents chose to publish would flatter or harm a
//! department by chance. Figures are counts only, so no case can be recognised from them.
//!
//! Definitions (the app shows the same words on the page):
//! - **received**: cases filed in the period.
//! - **accepted**: of those, the ones the platform accepted (受理): every case not still
//!   waiting for a decision and not declined.
//! - **replied**: of those, the ones with an official reply (答复).
//! - **closed**: of those, the ones closed (办结).
//! - **reply rate**: replied ÷ accepted.
//! - **on-time rate**: replies given on or before the case's deadline (after any extension)
//!   ÷ replied.
//! - **overdue now**: cases of the period that still owe a reply
//!   ([`crate::CaseStatus::awaits_reply`]: submitted, accepted, assigned or in progress)
//!   whose deadline has passed.
//! - **working days to reply**: working days (weekends and public holidays skipped, make-up
//!   working days counted) from the day of filing to the day of the reply; average and median
//!   over the replied cases.
//! - **satisfaction rate**: (satisfied + basically satisfied) ÷ rated.
//! - **reopened share**: cases the resident asked to have handled again (追问) ÷ replied.
//!
//! Rates are given in per mille (0 to 1000) and averages in tenths, so that no client needs
//! floating point to show them; a rate is absent when its denominator is zero.

use serde::{Deserialize, Serialize};

use crate::{FieldErrorCode, FieldErrors};

/// A department or district is ranked only when its rate rests on at least this many
/// cases; below it, it is listed as "too few cases to rank" instead of topping the table
/// with 2 out of 2.
pub const RANK_MIN_CASES: u32 = 20;

/// How many months the trend covers.
pub const TREND_MONTHS: usize = 12;

/// How many categories and words the hot topics list.
pub const HOT_TOPICS_MAX: usize = 8;

/// The days each window of the hot topics covers (the last 30 days against the 30 before).
pub const HOT_WINDOW_DAYS: u32 = 30;

/// The longest custom period, in days.
pub const PERIOD_MAX_DAYS: u32 = 3 * 366;

/// The period the figures cover.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// From the first of this month to today.
    #[default]
    ThisMonth,
    /// The whole of last month.
    LastMonth,
    /// The last twelve months: from the same day a year ago, plus one, to today.
    #[serde(rename = "last_12_months")]
    Last12Months,
    /// `from` to `to`, both days included.
    Custom,
}

impl Period {
    /// Every period, in the order a form offers them.
    pub const ALL: [Period; 4] = [
        Self::ThisMonth,
        Self::LastMonth,
        Self::Last12Months,
        Self::Custom,
    ];

    /// The stable code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::ThisMonth => "this_month",
            Self::LastMonth => "last_month",
            Self::Last12Months => "last_12_months",
            Self::Custom => "custom",
        }
    }

    /// The period with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The query of `GET /api/v1/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct StatsQuery {
    /// `this_month` (the default), `last_month`, `last_12_months` or `custom`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<Period>))]
    pub period: Option<String>,
    /// With `custom`: the first day (`YYYY-MM-DD`, China Standard Time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// With `custom`: the last day, included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
    /// Only cases in this district (a district code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
}

impl StatsQuery {
    /// The period asked for, or the field errors of a malformed query: an unknown period,
    /// a custom period without both days, a day that is not `YYYY-MM-DD`, or days given
    /// with another period. Whether the days exist, are in order and lie within
    /// [`PERIOD_MAX_DAYS`] is checked by the server, which knows the calendar.
    pub fn validate(&self) -> Result<Period, FieldErrors> {
        let mut errors = FieldErrors::new();
        let period = match self.period.as_deref() {
            None => Some(Period::default()),
            Some(code) => {
                let period = Period::from_code(code);
                if period.is_none() {
                    errors.add("period", FieldErrorCode::UnknownCode, None);
                }
                period
            }
        };
        for (field, value) in [("from", &self.from), ("to", &self.to)] {
            match (period, value.as_deref()) {
                (Some(Period::Custom), None | Some("")) => {
                    errors.add(field, FieldErrorCode::Required, None);
                }
                (Some(Period::Custom), Some(day)) if !looks_like_day(day) => {
                    errors.add(field, FieldErrorCode::InvalidFormat, None);
                }
                // An empty day is no day: refused whatever the period, as the document says.
                (_, Some("")) => errors.add(field, FieldErrorCode::InvalidFormat, None),
                (Some(Period::Custom) | None, _) | (_, None) => {}
                (Some(_), Some(_)) => errors.add(field, FieldErrorCode::InvalidFormat, None),
            }
        }
        match period {
            Some(period) if errors.is_empty() => Ok(period),
            _ => Err(errors),
        }
    }
}

/// Whether `text` has the form `YYYY-MM-DD` (digits and dashes in place).
pub fn looks_like_day(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// A rate in per mille, `numerator × 1000 ÷ denominator` rounded half up; `None` when the
/// denominator is zero.
pub fn per_mille(numerator: u64, denominator: u64) -> Option<u32> {
    (denominator > 0).then(|| ((numerator * 2000 + denominator) / (denominator * 2)) as u32)
}

/// The headline figures of a period (see the module's definitions).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// Cases filed in the period.
    pub received: u64,
    /// Of those, accepted.
    pub accepted: u64,
    /// Of those, replied.
    pub replied: u64,
    /// Of those, closed.
    pub closed: u64,
    /// Replies given by the deadline.
    pub on_time: u64,
    /// Accepted, unreplied and past the deadline today.
    pub overdue_now: u64,
    /// Replies rated by the resident.
    pub rated: u64,
    /// Rated satisfied or basically satisfied.
    pub satisfied: u64,
    /// Asked to be handled again (追问).
    pub reopened: u64,
    /// Replied ÷ accepted, per mille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_rate: Option<u32>,
    /// On time ÷ replied, per mille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time_rate: Option<u32>,
    /// Satisfied ÷ rated, per mille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction_rate: Option<u32>,
    /// Reopened ÷ replied, per mille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopened_rate: Option<u32>,
    /// Average working days from filing to reply, in tenths (23 is 2.3 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_days_avg_tenths: Option<u32>,
    /// Median working days from filing to reply, in tenths (the mean of the middle two
    /// when the count is even).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_days_median_tenths: Option<u32>,
}

/// A department's or district's line in a ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankRow {
    /// The department's or district's code (names are in `/api/v1/meta`).
    pub code: String,
    /// Cases received in the period (for a department: those it handled).
    pub received: u64,
    /// Replies it gave.
    pub replied: u64,
    /// On time ÷ replied, per mille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time_rate: Option<u32>,
    /// Its replies that were rated.
    pub rated: u64,
    /// Satisfied ÷ rated, per mille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction_rate: Option<u32>,
    /// Whether its replies reach [`RANK_MIN_CASES`]; rows that do not come last, unranked.
    pub ranked: bool,
}

/// One month of the trend, by the month cases were filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Cases filed that month.
    pub received: u64,
    /// Of those, replied.
    pub replied: u64,
    /// Of those replies, on time, per mille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time_rate: Option<u32>,
    /// The month is counted only in part: the period ends before the month does, or ends
    /// today, so its counts may still grow (absent when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// A topic that rose: a category (by code) or a word, with its counts in the last
/// [`HOT_WINDOW_DAYS`] days and in the same number of days before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HotTopic {
    /// A category code, or the word itself.
    pub key: String,
    /// Cases in the last window.
    pub recent: u64,
    /// Cases in the window before.
    pub previous: u64,
}

/// The answer of `GET /api/v1/stats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// The period asked for.
    pub period: Period,
    /// Its first day, `YYYY-MM-DD`.
    pub from: String,
    /// Its last day, included.
    pub to: String,
    /// The district, when one was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// The day "overdue now" and the hot topics were computed for.
    pub as_of: String,
    /// Filing days whose latest changes are not counted yet: 0 when the figures are current.
    /// Counting runs in the background; after a bulk import it can take a while, and the
    /// figures meanwhile are those counted so far.
    #[serde(default)]
    pub uncounted_days: u32,
    /// The headline figures.
    pub figures: Figures,
    /// Departments: ranked ones first, by on-time rate, then satisfaction, then replies.
    pub departments: Vec<RankRow>,
    /// Districts, ranked the same way (only without a district filter; empty with one).
    pub districts: Vec<RankRow>,
    /// The last [`TREND_MONTHS`] months up to the period's end, oldest first.
    pub trend: Vec<TrendMonth>,
    /// Categories rising most, city-wide or in the district.
    pub hot_categories: Vec<HotTopic>,
    /// Words rising most in the titles of published cases (an unpublished case's words are
    /// private), city-wide or in the district.
    pub hot_words: Vec<HotTopic>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_mille_rounds_half_up_and_is_absent_without_a_denominator() {
        assert_eq!(per_mille(1, 3), Some(333));
        assert_eq!(per_mille(2, 3), Some(667));
        assert_eq!(per_mille(1, 2000), Some(1));
        assert_eq!(per_mille(0, 5), Some(0));
        assert_eq!(per_mille(7, 7), Some(1000));
        assert_eq!(per_mille(0, 0), None);
    }

    #[test]
    fn a_stats_query_names_a_known_period_and_custom_days() {
        let q = |period: Option<&str>, from: Option<&str>, to: Option<&str>| StatsQuery {
            period: period.map(Into::into),
            from: from.map(Into::into),
            to: to.map(Into::into),
            district: None,
        };
        assert_eq!(q(None, None, None).validate(), Ok(Period::ThisMonth));
        // An empty period is not one of the codes (the app leaves the parameter out instead).
        let empty = q(Some(""), None, None).validate().unwrap_err();
        assert_eq!(empty.get("period")[0].code, FieldErrorCode::UnknownCode);
        assert_eq!(
            q(Some("last_12_months"), None, None).validate(),
            Ok(Period::Last12Months)
        );
        assert_eq!(
            q(Some("custom"), Some("2026-01-01"), Some("2026-03-31")).validate(),
            Ok(Period::Custom)
        );
        let fields = |r: Result<Period, FieldErrors>| {
            r.unwrap_err()
                .into_body()
                .fields
                .into_iter()
                .map(|(field, errors)| (field, errors[0].code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(q(Some("forever"), None, None).validate()),
            [("period".to_owned(), FieldErrorCode::UnknownCode)]
        );
        assert_eq!(
            fields(q(Some("custom"), Some("2026-1-1"), None).validate()),
            [
                ("from".to_owned(), FieldErrorCode::InvalidFormat),
                ("to".to_owned(), FieldErrorCode::Required)
            ]
        );
        assert_eq!(
            fields(q(Some("this_month"), Some("2026-01-01"), None).validate()),
            [("from".to_owned(), FieldErrorCode::InvalidFormat)]
        );
    }
}
