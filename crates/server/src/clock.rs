//! Time as the platform sees it: instants are stored as Unix seconds and shown in China
//! Standard Time (UTC+8, no daylight saving), which is the legal time for every case.

use time::format_description::well_known::Rfc3339;
use time::macros::{format_description, offset};
use time::{Date, Duration, OffsetDateTime, UtcOffset, Weekday};

/// China Standard Time.
pub const CST: UtcOffset = offset!(+8);

/// The current instant, in Unix seconds.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
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

/// The Unix second at which `date` begins in China Standard Time.
pub fn start_of_day(date: Date) -> i64 {
    date.midnight().assume_offset(CST).unix_timestamp()
}

/// The day `n` working days after `date`, skipping Saturdays and Sundays.
///
/// Public holidays and their make-up working days come with the lifecycle work; until
/// then weekends are the only days off.
pub fn add_working_days(date: Date, n: u32) -> Date {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    day
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
    fn dates_have_their_wire_forms() {
        assert_eq!(iso_date(date!(2026 - 01 - 05)), "2026-01-05");
        assert_eq!(compact_date(date!(2026 - 01 - 05)), "20260105");
        assert_eq!(parse_iso_date("2026-01-05"), Some(date!(2026 - 01 - 05)));
        assert_eq!(parse_iso_date("2026-13-05"), None);
    }
}
