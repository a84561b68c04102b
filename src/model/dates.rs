//! Dates as a resident in Chengdu reads them: the API's days and instants written in China
//! Standard Time (UTC+8 all year, no daylight saving since 1991) with the locale's pattern.
//!
//! Written here rather than by the browser's `Intl`: the first `Intl.DateTimeFormat` a page
//! makes loads the locale's and the time zone's data, ~70 ms of a slow phone's first render.

/// A moment on China's clock; `time` is `None` for a calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChinaTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub time: Option<(u32, u32)>,
}

/// How a locale writes a date: its month names (twelve, space-separated) and patterns with
/// `{year}`, `{month}`, `{day}`, and `{date}`, `{time}` for a date with its time.
#[derive(Debug, Clone, Copy)]
pub struct DateWords<'a> {
    pub months: &'a str,
    pub date: &'a str,
    pub date_time: &'a str,
}

const CHINA_OFFSET_MINUTES: i64 = 8 * 60;

/// `YYYY-MM-DD` (a day, already China's) or an RFC 3339 instant (`2026-11-25T16:30:00Z`,
/// `…+08:00`, with or without fractions of a second), on China's clock.
pub fn china_time(text: &str) -> Option<ChinaTime> {
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)? as i32, number(5..7)?, number(8..10)?);
    let separators = [(4, b'-'), (7, b'-')];
    if separators.iter().any(|&(at, c)| text.as_bytes()[at] != c)
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
    {
        return None;
    }
    if text.len() == 10 {
        return Some(ChinaTime {
            year,
            month,
            day,
            time: None,
        });
    }
    let bytes = text.as_bytes();
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) || bytes.get(13) != Some(&b':') {
        return None;
    }
    let (hour, minute) = (number(11..13)?, number(14..16)?);
    // Seconds and their fractions do not show; what follows them is the offset.
    let mut rest = &text[16..];
    if let Some(seconds) = rest.strip_prefix(':') {
        let digits = seconds.bytes().take_while(u8::is_ascii_digit).count();
        if digits != 2 {
            return None;
        }
        rest = &seconds[2..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            rest = &fraction[digits..];
        }
    }
    let offset = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digit = |b: &u8| b.is_ascii_digit().then(|| i64::from(b - b'0'));
            let minutes = (digit(h1)? * 10 + digit(h2)?) * 60 + digit(m1)? * 10 + digit(m2)?;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    if hour > 23 || minute > 59 {
        return None;
    }
    let minutes = days_from_civil(year, month, day) * 1440 + i64::from(hour * 60 + minute) - offset
        + CHINA_OFFSET_MINUTES;
    let (year, month, day) = civil_from_days(minutes.div_euclid(1440));
    let of_day = minutes.rem_euclid(1440) as u32;
    Some(ChinaTime {
        year,
        month,
        day,
        time: Some((of_day / 60, of_day % 60)),
    })
}

/// `text` written with `words`; with its time (24-hour) when `with_time` and it has one.
/// What is not a date is shown as it came.
pub fn write_date(text: &str, words: DateWords, with_time: bool) -> String {
    let Some(when) = china_time(text) else {
        return text.to_owned();
    };
    let month = words
        .months
        .split_whitespace()
        .nth(when.month as usize - 1)
        .map_or_else(|| when.month.to_string(), str::to_owned);
    let date = words
        .date
        .replace("{year}", &when.year.to_string())
        .replace("{month}", &month)
        .replace("{day}", &when.day.to_string());
    match when.time {
        Some((hour, minute)) if with_time => words
            .date_time
            .replace("{date}", &date)
            .replace("{time}", &format!("{hour:02}:{minute:02}")),
        _ => date,
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year as i32, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: DateWords = DateWords {
        months: "1月 2月 3月 4月 5月 6月 7月 8月 9月 10月 11月 12月",
        date: "{year}年{month}{day}日",
        date_time: "{date} {time}",
    };
    const EN: DateWords = DateWords {
        months: "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        date: "{month} {day}, {year}",
        date_time: "{date}, {time}",
    };

    #[test]
    fn dates_and_instants_are_written_on_chinas_clock() {
        for (text, with_time, zh, en) in [
            ("2026-01-05", false, "2026年1月5日", "Jan 5, 2026"),
            // A day has no time to show, even when asked.
            ("2026-01-05", true, "2026年1月5日", "Jan 5, 2026"),
            (
                "2026-01-05T01:02:00Z",
                true,
                "2026年1月5日 09:02",
                "Jan 5, 2026, 09:02",
            ),
            ("2026-01-05T01:02:00Z", false, "2026年1月5日", "Jan 5, 2026"),
            // 16:30 UTC on the 25th is half past midnight on the 26th in Chengdu.
            (
                "2026-11-25T16:30:00Z",
                true,
                "2026年11月26日 00:30",
                "Nov 26, 2026, 00:30",
            ),
            (
                "2026-07-15T13:45:00+08:00",
                true,
                "2026年7月15日 13:45",
                "Jul 15, 2026, 13:45",
            ),
            (
                "2026-12-31T23:59:59.123456+08:00",
                true,
                "2026年12月31日 23:59",
                "Dec 31, 2026, 23:59",
            ),
            // Across a year's end and a leap day, from other offsets.
            (
                "2026-12-31T16:00:00Z",
                true,
                "2027年1月1日 00:00",
                "Jan 1, 2027, 00:00",
            ),
            (
                "2028-02-28T20:00:00-05:00",
                true,
                "2028年2月29日 09:00",
                "Feb 29, 2028, 09:00",
            ),
            (
                "2027-02-28T20:00:00-05:00",
                true,
                "2027年3月1日 09:00",
                "Mar 1, 2027, 09:00",
            ),
            (
                "2026-03-01T00:00:00+14:00",
                true,
                "2026年2月28日 18:00",
                "Feb 28, 2026, 18:00",
            ),
            (
                "2026-06-30T16:00:00.5z",
                true,
                "2026年7月1日 00:00",
                "Jul 1, 2026, 00:00",
            ),
        ] {
            assert_eq!(write_date(text, ZH, with_time), zh, "{text}");
            assert_eq!(write_date(text, EN, with_time), en, "{text}");
        }
    }

    #[test]
    fn what_is_not_a_date_is_shown_as_it_came() {
        for text in [
            "",
            "not a date",
            "2026-13-01",
            "2026-02-30",
            "2027-02-29",
            "2026-1-05",
            "2026/01/05",
            "2026-01-05T",
            "2026-01-05T25:00:00Z",
            "2026-01-05T10:60:00Z",
            "2026-01-05T10:00:00",
            "2026-01-05T10:00:00+8",
            "2026-01-05T10:00:0Z",
            "2026-01-05T10:00:00.Z",
            "２０２６-01-05",
        ] {
            assert_eq!(write_date(text, EN, true), text, "{text:?}");
        }
    }

    #[test]
    fn day_counting_round_trips_over_four_centuries() {
        for days in (-200_000..200_000).step_by(97) {
            let (year, month, day) = civil_from_days(days);
            assert!(day >= 1 && day <= days_in_month(year, month));
            assert_eq!(days_from_civil(year, month, day), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }
}
