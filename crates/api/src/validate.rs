//! Validation rules shared by the client (before sending) and the server (before storing).

use crate::limits::{PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX};
use crate::{FieldErrorCode, FieldErrors};

/// The length of `text` as a person counts it: Unicode scalar values, after trimming.
pub fn char_count(text: &str) -> usize {
    text.trim().chars().count()
}

/// Whether a text field is one line (a title, a name) or may hold several (a description).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One line: no control character at all.
    Line,
    /// Several lines: line breaks and tabs, but no other control character.
    Lines,
}

/// Whether `text` holds a control character its shape does not allow (U+0000 to U+001F and
/// U+007F to U+009F; `Lines` allows `\n`, `\r` and `\t`).
pub fn has_control(text: &str, shape: Shape) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(shape == Shape::Lines && matches!(c, '\n' | '\r' | '\t')))
}

/// The rule of one text field: its shape and how many characters it holds once trimmed.
/// `min` 0 makes the field optional (blank is fine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// One line or several.
    pub shape: Shape,
    /// Fewest characters (0: optional).
    pub min: usize,
    /// Most characters.
    pub max: usize,
}

/// What `str::trim` removes (Unicode `White_Space`), minus the control characters, as an
/// ECMA-262 / Python / Rust `regex` class body.
const SPACES: &str = r" \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
/// The end of a pattern: the end of the text. Python's `$` also matches before a final `\n`
/// (and schemathesis generates with Python's `re`), so a lookahead forbids that there; for
/// ECMA-262 it changes nothing. (Rust's `regex` has no lookahead and a `$` that is the end:
/// tests drop [`PATTERN_END_GUARD`] before compiling.)
pub const PATTERN_END_GUARD: &str = "(?!\\n)";
const END: &str = "$(?!\\n)";

/// The control characters (`char::is_control`).
const CONTROLS: &str = r"\u0000-\u001F\u007F-\u009F";

impl TextRule {
    /// A one-line field of `min` to `max` characters.
    pub const fn line(min: usize, max: usize) -> Self {
        Self {
            shape: Shape::Line,
            min,
            max,
        }
    }

    /// A field of several lines, `min` to `max` characters.
    pub const fn lines(min: usize, max: usize) -> Self {
        Self {
            shape: Shape::Lines,
            min,
            max,
        }
    }

    /// Records `invalid_format`, `required`, `too_short` or `too_long` for `field` when `text`
    /// holds a control character its shape does not allow (even among spaces), is blank once
    /// trimmed (and the field is not optional), or has fewer than `min` or more than `max`
    /// characters.
    pub fn check(self, errors: &mut FieldErrors, field: &str, text: &str) {
        let count = char_count(text);
        if has_control(text, self.shape) {
            errors.add(field, FieldErrorCode::InvalidFormat, None);
        } else if count == 0 {
            if self.min > 0 {
                errors.add(field, FieldErrorCode::Required, None);
            }
        } else if count < self.min {
            errors.add(field, FieldErrorCode::TooShort, Some(self.min as u64));
        } else if count > self.max {
            errors.add(field, FieldErrorCode::TooLong, Some(self.max as u64));
        }
    }

    /// A regular expression (ECMA-262, as JSON Schema's `pattern`; Python's and Rust's
    /// `regex` read it the same way) matching exactly the texts [`TextRule::check`] accepts:
    /// trimmable spaces, then a first and a last character that are neither space nor
    /// control with `min`–`max` characters from one to the other, then spaces.
    pub fn pattern(self) -> String {
        let (edge_spaces, inner) = match self.shape {
            Shape::Line => (format!("[{SPACES}]*"), format!("[^{CONTROLS}]")),
            Shape::Lines => (
                format!(r"[\t\n\r{SPACES}]*"),
                r"[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]".to_owned(),
            ),
        };
        let solid = format!("[^{CONTROLS}{SPACES}]");
        let max_inner = self.max.saturating_sub(2);
        let body = if self.min <= 1 {
            let one_or_more = format!("{solid}(?:{inner}{{0,{max_inner}}}{solid})?");
            if self.min == 0 {
                format!("(?:{one_or_more})?")
            } else {
                one_or_more
            }
        } else {
            format!("{solid}{inner}{{{},{max_inner}}}{solid}", self.min - 2)
        };
        format!("^{edge_spaces}{body}{edge_spaces}{END}")
    }
}

/// A regular expression (as [`TextRule::pattern`]) matching exactly what
/// [`is_mainland_mobile`] accepts: spaces and dashes anywhere, `+86` or `86` before.
pub fn mobile_pattern() -> String {
    let trimmed = format!(r"[\t-\r\u0085{SPACES}]*");
    let gap = "[ -]*";
    format!(
        "^{trimmed}{gap}(?:\\+{gap}8{gap}6{gap}|8{gap}6{gap})?1{gap}[3-9](?:{gap}[0-9]){{9}}{gap}{trimmed}{END}"
    )
}

/// The eleven digits of a mainland China mobile number, without spaces, dashes or the
/// `+86`/`86` prefix, or `None` when `text` is not one. Mobile numbers start with 1 and a
/// second digit from 3 to 9.
pub fn normalize_mobile(text: &str) -> Option<String> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| {
            (digits.len() == 13)
                .then(|| digits.strip_prefix("86"))
                .flatten()
        })
        .unwrap_or(&digits);
    let bytes = digits.as_bytes();
    let valid = bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1]);
    valid.then(|| digits.to_owned())
}

/// Whether `text` is a mainland China mobile number (see [`normalize_mobile`]).
pub fn is_mainland_mobile(text: &str) -> bool {
    normalize_mobile(text).is_some()
}

/// The page size to use for a requested `limit`: the default when absent, an
/// `out_of_range` error on `limit` when outside 1..=[`PAGE_SIZE_MAX`].
pub fn page_limit(limit: Option<u32>) -> Result<u32, FieldErrors> {
    match limit {
        None => Ok(PAGE_SIZE_DEFAULT),
        Some(n) if (1..=PAGE_SIZE_MAX).contains(&n) => Ok(n),
        Some(_) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "limit",
                FieldErrorCode::OutOfRange,
                Some(u64::from(PAGE_SIZE_MAX)),
            );
            Err(errors)
        }
    }
}

/// A search query, trimmed; `None` when blank. Too long a query is a `too_long` error on `q`,
/// a control character (even among the spaces trimmed) an `invalid_format` one.
pub fn search_query(q: Option<&str>) -> Result<Option<String>, FieldErrors> {
    let mut errors = FieldErrors::new();
    crate::limits::QUERY_TEXT.check(&mut errors, "q", q.unwrap_or_default());
    errors.into_result()?;
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    Ok(Some(q.to_owned()))
}

/// A name as the public sees it: its first character and two stars (`张**`, `J**`), so that
/// neither the rest of the name nor its length shows.
pub fn mask_name(name: &str) -> Option<String> {
    name.trim().chars().next().map(|first| format!("{first}**"))
}
