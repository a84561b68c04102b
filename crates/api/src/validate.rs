//! Validation rules shared by the client (before sending) and the server (before storing).

use crate::limits::{PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, QUERY_MAX_CHARS};
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

/// Records `required`, `invalid_format`, `too_short` or `too_long` for `field` when `text`
/// (trimmed) is blank, holds a control character its `shape` does not allow, or has fewer
/// than `min` or more than `max` characters.
pub fn check_text(
    errors: &mut FieldErrors,
    field: &str,
    text: &str,
    shape: Shape,
    (min, max): (usize, usize),
) {
    let count = char_count(text);
    if count == 0 {
        errors.add(field, FieldErrorCode::Required, None);
    } else if has_control(text, shape) {
        errors.add(field, FieldErrorCode::InvalidFormat, None);
    } else if count < min {
        errors.add(field, FieldErrorCode::TooShort, Some(min as u64));
    } else if count > max {
        errors.add(field, FieldErrorCode::TooLong, Some(max as u64));
    }
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

/// A search query, trimmed; `None` when blank. Too long a query is a `too_long` error on `q`.
pub fn search_query(q: Option<&str>) -> Result<Option<String>, FieldErrors> {
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().count() > QUERY_MAX_CHARS {
        let mut errors = FieldErrors::new();
        errors.add("q", FieldErrorCode::TooLong, Some(QUERY_MAX_CHARS as u64));
        return Err(errors);
    }
    if has_control(q, Shape::Line) {
        let mut errors = FieldErrors::new();
        errors.add("q", FieldErrorCode::InvalidFormat, None);
        return Err(errors);
    }
    Ok(Some(q.to_owned()))
}

/// A name as the public sees it: its first character and two stars (`张**`, `J**`), so that
/// neither the rest of the name nor its length shows.
pub fn mask_name(name: &str) -> Option<String> {
    name.trim().chars().next().map(|first| format!("{first}**"))
}
