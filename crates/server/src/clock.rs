//! Time as the platform sees it: instants are stored as Unix seconds and shown in China
//! Standard Time (UTC+8, no daylight saving), which is the legal time for every case.

use time::format_description::well_known::Rfc3339;
use time::macros::{format_description, offset};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

/// China Standard Time.
pub const CST: UtcOffset = offset!(+8);

/// The current instant, in Unix seconds.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Now, in Unix milliseconds (limits count uses to the millisecond).
pub fn now_millis() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The calendar day in China Standard Time at the Unix second `at`.
pub fn cst_date(at: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(at)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(CST)
        .date()
}

/// `at` as an RFC 3339 timestamp in China Standard Time, `2026-11-26T09:30:00+08:00`.
pub fn rfc3339(at: i64) -> String {
    OffsetDateTime::from_unix_timestamp(at)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(CST)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// `date` as `YYYY-MM-DD`.
pub fn iso_date(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// `date` as `YYYYMMDD`, the first half of a case number.
pub fn compact_date(date: Date) -> String {
    date.format(format_description!("[year][month][day]"))
        .unwrap_or_default()
}

/// Parses `YYYY-MM-DD`.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

/// A day given in a query: `YYYY-MM-DD` (else `InvalidFormat`), a calendar day within
/// [`api::limits::QUERY_YEARS`] (else `OutOfRange`).
pub fn parse_query_day(text: &str) -> Result<Date, api::FieldErrorCode> {
    let date = parse_iso_date(text).ok_or(api::FieldErrorCode::InvalidFormat)?;
    if api::limits::QUERY_YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(api::FieldErrorCode::OutOfRange)
    }
}

/// The Unix second at which `date` begins in China Standard Time.
pub fn start_of_day(date: Date) -> i64 {
    date.midnight().assume_offset(CST).unix_timestamp()
}

/// Whether government offices work on `date`, by the installed working-day calendar
/// ([`crate::calendar`]); a year it does not cover counts Monday to Friday, and says so once
/// in the log.
pub fn is_working_day(date: Date) -> bool {
    let calendar = crate::calendar::current();
    if !calendar.covers(date.year()) {
        crate::calendar::note_uncovered(date.year());
    }
    calendar.is_working_day(date)
}

/// The day `n` working days after `date` (see [`is_working_day`]).
pub fn add_working_days(date: Date, n: u32) -> Date {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// The working days after `from` up to and including `to` (0 when `to` is not after
/// `from`): how long a reply given on `to` took for a case filed on `from`.
pub fn working_days_between(from: Date, to: Date) -> u32 {
    let mut day = from;
    let mut count = 0;
    while day < to {
        day += Duration::days(1);
        if is_working_day(day) {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn instants_are_shown_in_china_standard_time() {
        // 2026-11-25T16:30:00Z is half past midnight on the 26th in Chengdu.
        let at = date!(2026 - 11 - 25)
            .with_hms(16, 30, 0)
            .unwrap()
            .assume_utc()
            .unix_timestamp();
        assert_eq!(rfc3339(at), "2026-11-26T00:30:00+08:00");
        assert_eq!(cst_date(at), date!(2026 - 11 - 26));
        assert_eq!(start_of_day(date!(2026 - 11 - 26)), at - 30 * 60);
    }

    #[test]
    fn working_days_skip_weekends() {
        // Thursday 26 November 2026 plus 3 working days is Tuesday 1 December.
        assert_eq!(
            add_working_days(date!(2026 - 11 - 26), 3),
            date!(2026 - 12 - 01)
        );
        assert_eq!(
            add_working_days(date!(2026 - 11 - 28), 1),
            date!(2026 - 11 - 30)
        );
        assert_eq!(
            add_working_days(date!(2026 - 11 - 26), 0),
            date!(2026 - 11 - 26)
        );
    }

    #[test]
    fn working_days_between_count_what_add_working_days_adds() {
        let filed = date!(2026 - 09 - 30);
        for n in 0..20 {
            assert_eq!(working_days_between(filed, add_working_days(filed, n)), n);
        }
        // Filed on a Friday, replied on the Monday: one working day.
        assert_eq!(
            working_days_between(date!(2026 - 11 - 27), date!(2026 - 11 - 30)),
            1
        );
        assert_eq!(
            working_days_between(date!(2026 - 11 - 27), date!(2026 - 11 - 27)),
            0
        );
        assert_eq!(
            working_days_between(date!(2026 - 11 - 27), date!(2026 - 11 - 20)),
            0
        );
    }

    #[test]
    fn working_days_skip_public_holidays_and_count_make_up_days() {
        // National Day 2026: 1–7 October off, Saturday 10 October worked.
        assert!(!is_working_day(date!(2026 - 10 - 01)));
        assert!(!is_working_day(date!(2026 - 10 - 07)));
        assert!(is_working_day(date!(2026 - 10 - 10)));
        assert!(is_working_day(date!(2026 - 09 - 20)));
        // Filed on Wednesday 30 September: 3 working days are 8, 9 and 10 October.
        assert_eq!(
            add_working_days(date!(2026 - 09 - 30), 3),
            date!(2026 - 10 - 10)
        );
        // Spring Festival 2026: 15–23 February off, Saturday 14 and 28 February worked.
        assert_eq!(
            add_working_days(date!(2026 - 02 - 13), 1),
            date!(2026 - 02 - 14)
        );
        assert_eq!(
            add_working_days(date!(2026 - 02 - 14), 1),
            date!(2026 - 02 - 24)
        );
        // New Year 2025, and a year with no notice yet: weekends only.
        assert!(!is_working_day(date!(2025 - 01 - 01)));
        assert!(is_working_day(date!(2030 - 01 - 02)));
        assert!(!is_working_day(date!(2030 - 01 - 05)));
    }

    #[test]
    fn dates_have_their_wire_forms() {
        assert_eq!(iso_date(date!(2026 - 01 - 05)), "2026-01-05");
        assert_eq!(compact_date(date!(2026 - 01 - 05)), "20260105");
        assert_eq!(parse_iso_date("2026-01-05"), Some(date!(2026 - 01 - 05)));
        assert_eq!(parse_iso_date("2026-13-05"), None);
        for (text, day) in [
            ("2026-01-05", Ok(date!(2026 - 01 - 05))),
            ("2000-01-01", Ok(date!(2000 - 01 - 01))),
            ("2099-12-31", Ok(date!(2099 - 12 - 31))),
            ("9999-12-31", Err(api::FieldErrorCode::OutOfRange)),
            ("1999-12-31", Err(api::FieldErrorCode::OutOfRange)),
            ("2026-02-30", Err(api::FieldErrorCode::InvalidFormat)),
            ("", Err(api::FieldErrorCode::InvalidFormat)),
        ] {
            assert_eq!(parse_query_day(text), day, "{text}");
        }
    }
}
