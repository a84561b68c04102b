//! The limits both sides enforce. Lengths are counted in Unicode scalar values
//! (what a person sees as characters: 噪 is one, so is 😀), never in bytes.

/// Fewest characters in a case title.
pub const TITLE_MIN_CHARS: usize = 4;
/// Most characters in a case title.
pub const TITLE_MAX_CHARS: usize = 50;
/// Fewest characters in a case description.
pub const DESCRIPTION_MIN_CHARS: usize = 10;
/// Most characters in a case description.
pub const DESCRIPTION_MAX_CHARS: usize = 2000;
/// Most characters in the place, described in words.
pub const PLACE_MAX_CHARS: usize = 100;
/// Most characters in the submitter's name.
pub const NAME_MAX_CHARS: usize = 20;
/// Most characters in a rating comment or a follow-up.
pub const COMMENT_MAX_CHARS: usize = 500;
/// Most photos attached to one case.
pub const PHOTOS_MAX: usize = 6;
/// Most bytes in one uploaded photo, after the browser has shrunk it.
pub const PHOTO_MAX_BYTES: usize = 8 * 1024 * 1024;
/// Longest side, in pixels, that the browser shrinks a photo to before upload.
pub const PHOTO_MAX_SIDE_PX: u32 = 1600;
/// Most pixels the server agrees to decode in one image (guards against decompression bombs).
pub const PHOTO_MAX_DECODED_PIXELS: u64 = 40_000_000;
/// Items per page when the request does not say.
pub const PAGE_SIZE_DEFAULT: u32 = 20;
/// Most items per page.
pub const PAGE_SIZE_MAX: u32 = 50;
/// Most characters in a search query.
pub const QUERY_MAX_CHARS: usize = 100;
/// Most similar cases `GET /cases/similar` answers (and its default).
pub const SIMILAR_MAX: u32 = 5;
/// How many similar cases are offered while a title is typed.
pub const SIMILAR_DEFAULT: u32 = 3;
/// Most working days one extension of a deadline may add.
pub const EXTENSION_MAX_WORKING_DAYS: u32 = 15;
/// The years a day in a query may lie in (filters and custom statistics periods): the
/// platform holds no case before 2000, and a bound keeps every day's arithmetic in range.
pub const QUERY_YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;
/// The pattern of a day in a query: `YYYY-MM-DD` in [`QUERY_YEARS`].
pub const QUERY_DAY_PATTERN: &str = "^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

use crate::validate::TextRule;

/// A case's title.
pub const TITLE_TEXT: TextRule = TextRule::line(TITLE_MIN_CHARS, TITLE_MAX_CHARS);
/// A case's description.
pub const DESCRIPTION_TEXT: TextRule =
    TextRule::lines(DESCRIPTION_MIN_CHARS, DESCRIPTION_MAX_CHARS);
/// A case's place, in words.
pub const PLACE_TEXT: TextRule = TextRule::line(1, PLACE_MAX_CHARS);
/// The submitter's name.
pub const NAME_TEXT: TextRule = TextRule::line(1, NAME_MAX_CHARS);
/// A rating's comment (optional).
pub const COMMENT_TEXT: TextRule = TextRule::lines(0, COMMENT_MAX_CHARS);
/// A follow-up's text.
pub const FOLLOW_UP_TEXT: TextRule = TextRule::lines(DESCRIPTION_MIN_CHARS, COMMENT_MAX_CHARS);
/// A member of staff's reason (not accepting, transferring, extending).
pub const REASON_TEXT: TextRule = TextRule::lines(2, COMMENT_MAX_CHARS);
/// The official reply.
pub const REPLY_TEXT: TextRule = TextRule::lines(2, DESCRIPTION_MAX_CHARS);
/// A search query (optional: blank searches nothing).
pub const QUERY_TEXT: TextRule = TextRule::line(0, QUERY_MAX_CHARS);
/// The text similar cases are looked for by.
pub const SIMILAR_TEXT: TextRule = TextRule::line(1, QUERY_MAX_CHARS);
