//! The working-day calendar: which days government offices work, as data. Public holidays
//! and make-up working days change every year by the State Council's notice, so they live in
//! a file (`calendar/china.txt` is built in; `--holidays FILE` replaces it), whose format
//! that file's header describes. A year the calendar does not cover counts Monday to Friday,
//! and says so in the log.
//!
//! The server installs its calendar once at start-up ([`install`]); the date arithmetic in
//! [`crate::clock`] reads it from there, like the time zone it also takes as given.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock};

use time::{Date, Month, Weekday};

/// The calendar built into the server.
pub const BUILT_IN: &str = include_str!("../calendar/china.txt");

/// The days of one year that differ from Monday to Friday.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Year {
    /// Days off (holidays), as `(month, day)`.
    pub off: BTreeSet<(u8, u8)>,
    /// Weekend days worked (make-up days), as `(month, day)`.
    pub work: BTreeSet<(u8, u8)>,
}

/// The years a calendar covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
}

/// A mistake in a calendar file, with its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CalendarError {
    /// The line, counted from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl Calendar {
    /// Reads a calendar file (see `calendar/china.txt` for the format), refusing what cannot
    /// be meant: a date that does not exist, a day both off and worked, a make-up working day
    /// that is not a weekend, a year given twice, a line outside a year.
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let mut years: BTreeMap<i32, Year> = BTreeMap::new();
        let mut current: Option<i32> = None;
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let fail = |message: String| CalendarError { line, message };
            let content = raw.split('#').next().unwrap_or_default().trim();
            if content.is_empty() {
                continue;
            }
            if let Some(year) = content.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                let year: i32 = year
                    .trim()
                    .parse()
                    .ok()
                    .filter(|y| (2000..=2100).contains(y))
                    .ok_or_else(|| fail(format!("{content:?} is not a year like [2027]")))?;
                if years.insert(year, Year::default()).is_some() {
                    return Err(fail(format!("the year {year} is given twice")));
                }
                current = Some(year);
                continue;
            }
            let year = current.ok_or_else(|| fail("a line before the first [YYYY]".into()))?;
            let (kind, days) = content
                .split_once('=')
                .ok_or_else(|| fail(format!("{content:?} is neither `off = …` nor `work = …`")))?;
            let work = match kind.trim() {
                "off" => false,
                "work" => true,
                other => return Err(fail(format!("{other:?} is neither `off` nor `work`"))),
            };
            for item in days.split_whitespace() {
                for date in days_of(year, item).map_err(fail)? {
                    let key = (date.month() as u8, date.day());
                    let entry = years.entry(year).or_default();
                    if work {
                        if !is_weekend(date) {
                            return Err(fail(format!(
                                "{date} is a {}: a make-up working day is a weekend day",
                                date.weekday()
                            )));
                        }
                        entry.work.insert(key);
                    } else {
                        entry.off.insert(key);
                    }
                    if entry.off.contains(&key) && entry.work.contains(&key) {
                        return Err(fail(format!("{date} is both off and worked")));
                    }
                }
            }
        }
        Ok(Self { years })
    }

    /// The built-in calendar.
    pub fn built_in() -> Self {
        Self::parse(BUILT_IN).expect("the built-in calendar is valid (tested)")
    }

    /// The years covered, in order.
    pub fn years(&self) -> impl Iterator<Item = (i32, &Year)> {
        self.years.iter().map(|(y, days)| (*y, days))
    }

    /// Whether the calendar has a section for `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The years an operator must add by `today`: this year, and from 1 November the next.
    pub fn missing_years(&self, today: Date) -> Vec<i32> {
        let mut needed = vec![today.year()];
        if today.month() >= Month::November {
            needed.push(today.year() + 1);
        }
        needed.retain(|year| !self.covers(*year));
        needed
    }

    /// Whether government offices work on `date`: Monday to Friday unless a day off, and
    /// the weekend days made working days.
    pub fn is_working_day(&self, date: Date) -> bool {
        let key = (date.month() as u8, date.day());
        if let Some(year) = self.years.get(&date.year()) {
            if year.off.contains(&key) {
                return false;
            }
            if year.work.contains(&key) {
                return true;
            }
        }
        !is_weekend(date)
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The dates `MM-DD` or `MM-DD..MM-DD` names in `year`.
fn days_of(year: i32, item: &str) -> Result<Vec<Date>, String> {
    let date = |text: &str| -> Result<Date, String> {
        let (month, day) = text
            .split_once('-')
            .ok_or_else(|| format!("{text:?} is not a day like 10-01"))?;
        let month: u8 = month
            .parse()
            .map_err(|_| format!("{text:?}: no such month"))?;
        let day: u8 = day.parse().map_err(|_| format!("{text:?}: no such day"))?;
        let month = Month::try_from(month).map_err(|_| format!("{text:?}: no such month"))?;
        Date::from_calendar_date(year, month, day)
            .map_err(|_| format!("{text:?}: no such day in {year}"))
    };
    match item.split_once("..") {
        None => Ok(vec![date(item)?]),
        Some((first, last)) => {
            let (first, last) = (date(first)?, date(last)?);
            if last < first {
                return Err(format!("{item:?} ends before it starts"));
            }
            let mut days = vec![first];
            while let Some(next) = days
                .last()
                .and_then(|d| d.next_day())
                .filter(|d| *d <= last)
            {
                days.push(next);
            }
            Ok(days)
        }
    }
}

static INSTALLED: OnceLock<Calendar> = OnceLock::new();

/// Makes `calendar` the one the server counts working days by. Only the first call counts
/// (start-up); later ones return `false`.
pub fn install(calendar: Calendar) -> bool {
    INSTALLED.set(calendar).is_ok()
}

/// The installed calendar, or the built-in one.
pub fn current() -> &'static Calendar {
    INSTALLED.get_or_init(Calendar::built_in)
}

/// Says once per year, in the log, that a deadline in `year` was counted Monday to Friday
/// because the calendar does not cover it.
pub fn note_uncovered(year: i32) {
    static NOTED: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());
    let mut noted = NOTED.lock().unwrap_or_else(|e| e.into_inner());
    if noted.insert(year) {
        tracing::warn!(
            year,
            "the working-day calendar has no {year}: its days are counted Monday to Friday \
             (add the year with --holidays FILE)"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_built_in_calendar_matches_the_state_council_notices() {
        let calendar = Calendar::built_in();
        assert_eq!(
            calendar.years().map(|(y, _)| y).collect::<Vec<_>>(),
            [2025, 2026]
        );
        // (date, worked)
        let table = [
            (date!(2025 - 01 - 01), false),
            (date!(2025 - 01 - 26), true), // Sunday, make-up day
            (date!(2025 - 10 - 08), false),
            (date!(2025 - 10 - 11), true), // Saturday, make-up day
            (date!(2026 - 02 - 14), true),
            (date!(2026 - 02 - 16), false),
            (date!(2026 - 02 - 23), false),
            (date!(2026 - 02 - 24), true),
            (date!(2026 - 10 - 07), false),
            (date!(2026 - 10 - 10), true),
            (date!(2026 - 11 - 27), true),  // an ordinary Friday
            (date!(2026 - 11 - 28), false), // an ordinary Saturday
            (date!(2030 - 01 - 01), true),  // not covered: Monday to Friday
        ];
        for (day, worked) in table {
            assert_eq!(calendar.is_working_day(day), worked, "{day}");
        }
        // Every day off listed is a weekday (the file lists no redundant weekend).
        for (year, days) in calendar.years() {
            for (m, d) in &days.off {
                let day = Date::from_calendar_date(year, Month::try_from(*m).unwrap(), *d).unwrap();
                assert!(!is_weekend(day), "{day}");
            }
        }
    }

    #[test]
    fn a_file_is_read_with_ranges_comments_and_repeated_lines() {
        let calendar = Calendar::parse(
            "# a comment\n\n[2027]\noff = 01-01  # New Year\noff = 02-05..02-08\nwork = 02-13\n",
        )
        .unwrap();
        let year = calendar.years().next().unwrap().1;
        assert_eq!(
            year.off,
            BTreeSet::from([(1, 1), (2, 5), (2, 6), (2, 7), (2, 8)])
        );
        assert_eq!(year.work, BTreeSet::from([(2, 13)]));
        assert!(calendar.covers(2027) && !calendar.covers(2026));
    }

    #[test]
    fn mistakes_are_refused_with_their_line() {
        // (file, line, words in the message)
        let table: &[(&str, usize, &str)] = &[
            ("off = 01-01", 1, "before the first"),
            ("[2027]\noff = 02-30", 2, "no such day"),
            ("[2027]\noff = 13-01", 2, "no such month"),
            ("[2027]\noff = 0101", 2, "not a day"),
            ("[2027]\nwork = 01-04", 2, "weekend"),
            (
                "[2027]\noff = 02-13\nwork = 02-13",
                3,
                "both off and worked",
            ),
            ("[2027]\n[2027]", 2, "given twice"),
            ("[27]", 1, "not a year"),
            ("[2027]\nholiday = 01-01", 2, "neither"),
            ("[2027]\n01-01", 2, "neither"),
            ("[2027]\noff = 02-08..02-05", 2, "ends before"),
        ];
        for (text, line, words) in table {
            let error = Calendar::parse(text).unwrap_err();
            assert_eq!(error.line, *line, "{text:?}: {error}");
            assert!(error.message.contains(words), "{text:?}: {error}");
        }
    }

    #[test]
    fn the_years_to_add_are_this_one_and_from_november_the_next() {
        let calendar = Calendar::built_in();
        let table = [
            (date!(2026 - 06 - 01), vec![]),
            (date!(2026 - 10 - 31), vec![]),
            (date!(2026 - 11 - 01), vec![2027]),
            (date!(2027 - 03 - 01), vec![2027]),
            (date!(2027 - 11 - 01), vec![2027, 2028]),
        ];
        for (today, missing) in table {
            assert_eq!(calendar.missing_years(today), missing, "{today}");
        }
    }
}
