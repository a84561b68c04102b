use std::fmt;

use serde::{Deserialize, Serialize};

use crate::limits::*;
use crate::validate::is_mainland_mobile;
use crate::{CaseKind, CaseStatus, FieldErrorCode, FieldErrors, Meta};

/// A case's public reference: the filing date and the day's sequence, `20261126-0042`.
///
/// Anyone with the number can see the case's public status; only the holder of the
/// tracking code sees the owner's details.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "20261126-0042"))]
pub struct CaseNumber(String);

/// Why a string is not a [`CaseNumber`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidCaseNumber;

impl fmt::Display for InvalidCaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a case number looks like 20261126-0042")
    }
}

impl std::error::Error for InvalidCaseNumber {}

impl CaseNumber {
    /// Parses `YYYYMMDD-NNNN` (4 to 6 digits of sequence), ignoring surrounding spaces.
    pub fn parse(text: &str) -> Result<Self, InvalidCaseNumber> {
        let text = text.trim();
        let (date, sequence) = text.split_once('-').ok_or(InvalidCaseNumber)?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if date.len() != 8 || !all_digits(date) || !(4..=6).contains(&sequence.len()) {
            return Err(InvalidCaseNumber);
        }
        if !all_digits(sequence) {
            return Err(InvalidCaseNumber);
        }
        let month: u32 = date[4..6].parse().map_err(|_| InvalidCaseNumber)?;
        let day: u32 = date[6..8].parse().map_err(|_| InvalidCaseNumber)?;
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || sequence.bytes().all(|b| b == b'0')
        {
            return Err(InvalidCaseNumber);
        }
        Ok(Self(text.to_owned()))
    }

    /// Builds the number of the `sequence`th case filed on `date` (`YYYYMMDD`).
    pub fn from_parts(date: &str, sequence: u32) -> Result<Self, InvalidCaseNumber> {
        Self::parse(&format!("{date}-{sequence:04}"))
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CaseNumber {
    type Error = InvalidCaseNumber;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CaseNumber> for String {
    fn from(number: CaseNumber) -> Self {
        number.0
    }
}

/// A published case as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    /// The case's public reference.
    pub number: CaseNumber,
    /// What the resident is doing: complaining, suggesting, … Absent from the public
    /// answer about a case its resident did not publish (a report names someone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CaseKind>,
    /// The category's code (see [`Meta::categories`]).
    pub category: String,
    /// The district's code (see [`Meta::districts`]).
    pub district: String,
    /// The title the resident gave.
    pub title: String,
    /// Where the case is in its life.
    pub status: CaseStatus,
    /// The code of the department handling it, once assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// When it was filed: an RFC 3339 instant on China's clock (`+08:00`), or, in the public
    /// answer about a case its resident did not publish, only the day (`YYYY-MM-DD`).
    pub submitted_at: String,
    /// The day by which the department must reply, once accepted (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// When the official reply was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied_at: Option<String>,
    /// Whether the deadline has passed without a reply.
    pub overdue: bool,
}

/// The day (`YYYY-MM-DD`) of an instant the API wrote: its instants are on China's clock
/// (`+08:00`), so their first ten characters are China's day.
pub fn china_day(instant: &str) -> String {
    instant.get(..10).unwrap_or(instant).to_owned()
}

/// A case's page: its public view, or, with the tracking code, its owner's.
///
/// It never holds the submitter's name or phone number, nor the tracking code. Anyone with
/// a case's number sees its progress; only a case its resident agreed to publish shows what
/// they wrote and the reply (see [`CaseDetail::progress_only`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    /// Whether the resident agreed to publish the case. When not, a public answer holds
    /// only its progress.
    pub published: bool,
    /// What lists show.
    pub summary: CaseSummary,
    /// The place, in the resident's words.
    pub place: String,
    /// The resident's description.
    pub description: String,
    /// The submitter's name, masked to its first character (`张**`); absent when the case
    /// came in anonymously (clients show 匿名 / Anonymous).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitter: Option<String>,
    /// Every move of the case, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The department's official reply, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    /// What only the submitter sees: present only when the request carried the case's
    /// tracking code (`X-Tracking-Code`), never in a public answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<OwnerView>,
}

impl CaseDetail {
    /// What anyone with the number may see of a case its resident did not publish: where it
    /// stands (status, department, deadline, overdue) and the days of its timeline, nothing
    /// else: not what they wrote, where, about what or of which kind (a report names
    /// someone), not the second it was filed, nor the reply and the timeline's notes, which
    /// may quote them. Text fields are left empty, optional ones absent.
    pub fn progress_only(self) -> Self {
        let Self {
            published,
            summary,
            timeline,
            ..
        } = self;
        Self {
            published,
            summary: CaseSummary {
                kind: None,
                title: String::new(),
                category: String::new(),
                district: String::new(),
                submitted_at: china_day(&summary.submitted_at),
                replied_at: None,
                ..summary
            },
            place: String::new(),
            description: String::new(),
            submitter: None,
            timeline: timeline
                .into_iter()
                .map(|entry| TimelineEntry {
                    at: china_day(&entry.at),
                    note: None,
                    rating: None,
                    follow_up: false,
                    ..entry
                })
                .collect(),
            reply: None,
            owner: None,
        }
    }
}

/// The submitter's own view of their case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerView {
    /// The contact details they gave.
    pub contact: Contact,
    /// Whether the case is public now (published after review).
    pub published: bool,
    /// Where publication stands: not asked for, awaiting the centre's review, published,
    /// or withheld (with the reason).
    #[serde(default)]
    pub publication: PublicationState,
    /// Why the centre did not publish the case, when it withheld it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
    /// Their rating, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<RatingRecord>,
    /// Whether they may rate the case now (replied and not yet rated).
    pub can_rate: bool,
    /// Whether they may ask for it to be handled again (追问).
    pub can_follow_up: bool,
    /// Whether they get a text message when the case moves (see [`NewCase::texts`]).
    #[serde(default)]
    pub texts: bool,
}

/// Where a case's publication stands. A resident who agrees to publish asks for it; the
/// 12345 centre reviews the case before it is public (审核后公开), with personal details
/// masked where the resident typed some.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PublicationState {
    /// The resident did not agree to publish: the case stays private.
    #[default]
    Private,
    /// The resident agreed; the centre has not reviewed it yet. Not public.
    AwaitingReview,
    /// Reviewed and public (perhaps with its title, description and place redacted).
    Published,
    /// Reviewed and kept private, with a reason the resident sees.
    Withheld,
}

impl PublicationState {
    /// Every state.
    pub const ALL: [PublicationState; 4] = [
        Self::Private,
        Self::AwaitingReview,
        Self::Published,
        Self::Withheld,
    ];

    /// The stable code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::AwaitingReview => "awaiting_review",
            Self::Published => "published",
            Self::Withheld => "withheld",
        }
    }

    /// The state with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether a case in this state is public.
    pub fn is_public(self) -> bool {
        self == Self::Published
    }

    /// Where a new case starts: awaiting review when its resident agreed to publish.
    pub fn on_filing(publish: bool) -> Self {
        if publish {
            Self::AwaitingReview
        } else {
            Self::Private
        }
    }
}

/// The public text of a case the centre publishes with personal details masked: it replaces
/// the title, description and place in every public answer, feed and search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicText {
    /// The public title.
    pub title: String,
    /// The public description.
    pub description: String,
    /// The public place.
    pub place: String,
}

/// The centre's review of a case awaiting publication,
/// `POST /api/v1/staff/cases/{number}/review` (a dispatcher's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ReviewDecision {
    /// Publish the case as the resident wrote it.
    Publish,
    /// Publish it with this title, description and place (personal details masked).
    PublishRedacted {
        /// The public title.
        title: String,
        /// The public description.
        description: String,
        /// The public place.
        place: String,
    },
    /// Keep it private, with a reason the resident sees.
    Withhold {
        /// Why, in words the resident understands.
        reason: String,
    },
}

impl ReviewDecision {
    /// Checks the decision's texts by the rules of the fields they stand for.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        match self {
            Self::Publish => {}
            Self::PublishRedacted {
                title,
                description,
                place,
            } => {
                crate::limits::TITLE_TEXT.check(&mut errors, "title", title);
                crate::limits::DESCRIPTION_TEXT.check(&mut errors, "description", description);
                crate::limits::PLACE_TEXT.check(&mut errors, "place", place);
            }
            Self::Withhold { reason } => {
                crate::limits::REASON_TEXT.check(&mut errors, "reason", reason);
            }
        }
        errors.into_result()
    }

    /// The state a case awaiting review moves to.
    pub fn outcome(&self) -> PublicationState {
        match self {
            Self::Publish | Self::PublishRedacted { .. } => PublicationState::Published,
            Self::Withhold { .. } => PublicationState::Withheld,
        }
    }
}

/// How satisfied a resident is with the reply (满意度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 满意.
    Satisfied,
    /// 基本满意.
    BasicallySatisfied,
    /// 不满意.
    Dissatisfied,
}

impl Rating {
    /// Every rating, best first.
    pub const ALL: [Rating; 3] = [
        Self::Satisfied,
        Self::BasicallySatisfied,
        Self::Dissatisfied,
    ];

    /// The stable code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::Satisfied => "satisfied",
            Self::BasicallySatisfied => "basically_satisfied",
            Self::Dissatisfied => "dissatisfied",
        }
    }

    /// The rating with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A rating as given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingRecord {
    /// The rating.
    pub rating: Rating,
    /// The comment, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When it was given.
    pub at: String,
}

/// The header that carries a tracking code. It is never put in a URL, so it stays out of
/// logs, histories and referrers.
pub const TRACKING_CODE_HEADER: &str = "X-Tracking-Code";

/// A resident's rating of the reply, `POST /api/v1/cases/{number}/rating`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRating {
    /// The case's tracking code.
    pub tracking_code: String,
    /// The rating; `None` only while a form is being filled in.
    pub rating: Option<Rating>,
    /// An optional comment.
    #[serde(default)]
    pub comment: String,
}

impl NewRating {
    /// Checks the rating's fields.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        check_tracking_code(&mut errors, &self.tracking_code);
        if self.rating.is_none() {
            errors.add("rating", FieldErrorCode::Required, None);
        }
        crate::limits::COMMENT_TEXT.check(&mut errors, "comment", &self.comment);
        errors.into_result()
    }
}

/// The owner's choice about text messages, `POST /api/v1/cases/{number}/texts`: `false`
/// stops them (messages not yet sent are dropped), `true` starts them again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextsChoice {
    /// The case's tracking code.
    pub tracking_code: String,
    /// Whether to send texts about this case.
    pub texts: bool,
}

impl TextsChoice {
    /// Checks the choice's fields.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        check_tracking_code(&mut errors, &self.tracking_code);
        errors.into_result()
    }
}

/// A resident's request to handle the case again (追问), `POST /api/v1/cases/{number}/follow-ups`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFollowUp {
    /// The case's tracking code.
    pub tracking_code: String,
    /// What is still wrong; the owner and staff read it, the public sees only that a
    /// follow-up was made (it is never reviewed for publication).
    pub text: String,
}

impl NewFollowUp {
    /// Checks the follow-up's fields.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        check_tracking_code(&mut errors, &self.tracking_code);
        crate::limits::FOLLOW_UP_TEXT.check(&mut errors, "text", &self.text);
        errors.into_result()
    }
}

fn check_tracking_code(errors: &mut FieldErrors, code: &str) {
    if code.trim().is_empty() {
        errors.add("tracking_code", FieldErrorCode::Required, None);
    } else if tracking_code::normalize(code).is_none() {
        errors.add("tracking_code", FieldErrorCode::InvalidFormat, None);
    }
}

/// Whether the submitter may rate a case in `status`: once, after the reply.
pub fn can_rate(status: CaseStatus, rated: bool) -> bool {
    status == CaseStatus::Replied && !rated
}

/// Whether the submitter may ask for the case to be handled again: after a reply they have
/// not rated, or after rating it dissatisfied.
pub fn can_follow_up(status: CaseStatus, rating: Option<Rating>) -> bool {
    match status {
        CaseStatus::Replied => rating.is_none(),
        CaseStatus::Closed => rating == Some(Rating::Dissatisfied),
        _ => false,
    }
}

/// One move in a case's life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// When it happened: an RFC 3339 instant, or, in the public answer about a case its
    /// resident did not publish, only the day (`YYYY-MM-DD`).
    pub at: String,
    /// The status the case moved to.
    pub status: CaseStatus,
    /// The department involved, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// A public note, for example the reason a case was not accepted, or the resident's
    /// follow-up in their own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The resident's rating, when this entry is the rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// Whether this entry is the resident asking for the case to be handled again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow_up: bool,
}

/// A department's official reply (答复).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reply {
    /// When it was given.
    pub at: String,
    /// The code of the department that replied.
    pub department: String,
    /// The reply.
    pub text: String,
}

/// The query of `GET /api/v1/cases/similar`: published cases sharing words with a title
/// being typed, best match first ("someone may already have raised this").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SimilarQuery {
    /// The text to compare (a title); at most 100 characters. Titles of recent published
    /// cases sharing any of its terms match; those sharing more come first.
    pub text: String,
    /// How many cases (1 to 5, default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 5))]
    pub limit: Option<u32>,
}

impl SimilarQuery {
    /// The number of cases asked for, or the field errors of a bad query.
    pub fn validate(&self) -> Result<u32, FieldErrors> {
        let mut errors = FieldErrors::new();
        crate::limits::SIMILAR_TEXT.check(&mut errors, "text", &self.text);
        let limit = self.limit.unwrap_or(crate::limits::SIMILAR_DEFAULT);
        if !(1..=crate::limits::SIMILAR_MAX).contains(&limit) {
            errors.add(
                "limit",
                FieldErrorCode::OutOfRange,
                Some(u64::from(crate::limits::SIMILAR_MAX)),
            );
        }
        if errors.is_empty() {
            Ok(limit)
        } else {
            Err(errors)
        }
    }
}

/// The filters of `GET /api/v1/cases`. Codes are checked against [`Meta`]; an unknown one is
/// a `400` with a field error, never an empty list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CaseListQuery {
    /// Words to find in the title, description or place; Chinese terms of two or more
    /// characters match inside longer text (噪音 finds 夜间施工噪音扰民).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// A district code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// A category code; a group's code matches every category in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// A kind code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<CaseKind>))]
    pub kind: Option<String>,
    /// A status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<CaseStatus>))]
    pub status: Option<String>,
    /// The code of the department handling the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Filed on or after this day (`YYYY-MM-DD`, China Standard Time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// Filed on or before this day (`YYYY-MM-DD`, China Standard Time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
    /// `newest` (by filing, the default) or `replied` (most recently replied first; only
    /// cases with a reply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(pattern = "^(newest|replied)$"))]
    pub sort: Option<String>,
    /// Items per page (1 to 50, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// How the submitter can be reached. Stored apart from the case and never published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    /// The submitter's name.
    pub name: String,
    /// A mainland China mobile number, `13800138000` or `+86 138 0013 8000`.
    pub phone: String,
}

/// What a resident submits to file a case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCase {
    /// What the resident is doing; `None` only while a form is being filled in.
    pub kind: Option<CaseKind>,
    /// A category code (a child, not a group).
    pub category: String,
    /// A district code.
    pub district: String,
    /// The place, in words.
    pub place: String,
    /// Latitude from the browser's geolocation, when the resident shared it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude from the browser's geolocation, when the resident shared it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// A short title.
    pub title: String,
    /// What happened, where, since when, what the resident wants.
    pub description: String,
    /// Ids of photos uploaded beforehand.
    #[serde(default)]
    pub photos: Vec<String>,
    /// How to reach the submitter; never published.
    pub contact: Contact,
    /// Whether the resident agrees to publish the case and its reply.
    #[serde(default)]
    pub publish: bool,
    /// Whether the resident accepted the privacy notice.
    #[serde(default)]
    pub privacy_accepted: bool,
    /// Whether the resident wants a text message (SMS) to their phone when the case moves
    /// (accepted or not, assigned, transferred, extended, answered, closed, reviewed). Only
    /// taken when the server sends texts ([`crate::Meta::texts`]); the owner can stop them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub texts: bool,
    /// The language the resident filed in: texts about the case are written in it.
    #[serde(default, skip_serializing_if = "crate::ContentLanguage::is_default")]
    pub language: crate::ContentLanguage,
}

impl NewCase {
    /// Checks every rule that needs nothing but the case itself.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.kind.is_none() {
            errors.add("kind", FieldErrorCode::Required, None);
        }
        if self.category.trim().is_empty() {
            errors.add("category", FieldErrorCode::Required, None);
        }
        if self.district.trim().is_empty() {
            errors.add("district", FieldErrorCode::Required, None);
        }
        crate::limits::PLACE_TEXT.check(&mut errors, "place", &self.place);
        crate::limits::TITLE_TEXT.check(&mut errors, "title", &self.title);
        crate::limits::DESCRIPTION_TEXT.check(&mut errors, "description", &self.description);
        match (self.latitude, self.longitude) {
            (None, None) => {}
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    errors.add("latitude", FieldErrorCode::OutOfRange, None);
                }
                if !(-180.0..=180.0).contains(&lon) {
                    errors.add("longitude", FieldErrorCode::OutOfRange, None);
                }
            }
            (None, Some(_)) => errors.add("latitude", FieldErrorCode::Required, None),
            (Some(_), None) => errors.add("longitude", FieldErrorCode::Required, None),
        }
        if self.photos.len() > PHOTOS_MAX {
            errors.add("photos", FieldErrorCode::TooMany, Some(PHOTOS_MAX as u64));
        } else if !self.photos.iter().all(|id| is_valid_upload_id(id)) {
            errors.add("photos", FieldErrorCode::InvalidFormat, None);
        }
        crate::limits::NAME_TEXT.check(&mut errors, "contact.name", &self.contact.name);
        if self.contact.phone.trim().is_empty() {
            errors.add("contact.phone", FieldErrorCode::Required, None);
        } else if !is_mainland_mobile(&self.contact.phone) {
            errors.add("contact.phone", FieldErrorCode::InvalidFormat, None);
        }
        if !self.privacy_accepted {
            errors.add("privacy_accepted", FieldErrorCode::MustAccept, None);
        }
        errors.into_result()
    }

    /// Checks that the category and district name entries of `meta`; the category must be a
    /// child, since groups are only for browsing.
    pub fn validate_codes(&self, meta: &Meta, errors: &mut FieldErrors) {
        let category_ok = meta
            .categories
            .iter()
            .any(|c| c.code == self.category && c.parent.is_some());
        if !self.category.trim().is_empty() && !category_ok {
            errors.add("category", FieldErrorCode::UnknownCode, None);
        }
        let district_ok = meta.knows(crate::Taxon::District, &self.district);
        if !self.district.trim().is_empty() && !district_ok {
            errors.add("district", FieldErrorCode::UnknownCode, None);
        }
    }
}

/// What the server answers when a case is filed: the case number and, shown only this once,
/// the tracking code that lets the submitter see their own details and rate the reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseReceipt {
    /// The case's public reference.
    pub number: CaseNumber,
    /// The secret code, `XXXX-XXXX-XXXX-XXXX` (80 bits, Crockford base32). The server keeps
    /// only its hash; a retry with the same `Idempotency-Key` returns the same code.
    pub tracking_code: String,
    /// The status right after filing (`submitted`).
    pub status: CaseStatus,
    /// When the case was filed.
    pub submitted_at: String,
    /// The day by which the department must reply (`YYYY-MM-DD`), from the kind's rule.
    pub deadline: String,
}

/// The alphabet of tracking codes: Crockford's base32, without I, L, O and U, so that a
/// code read aloud over the hotline or copied by hand survives.
pub const TRACKING_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Tracking codes: 80 random bits written as sixteen base32 characters in groups of four.
pub mod tracking_code {
    use super::TRACKING_ALPHABET;

    /// Writes the 80 bits of `bytes` as `XXXX-XXXX-XXXX-XXXX`.
    pub fn encode(bytes: [u8; 10]) -> String {
        let mut value = bytes
            .iter()
            .fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
        let mut chars = [0u8; 16];
        for slot in chars.iter_mut().rev() {
            *slot = TRACKING_ALPHABET[(value & 31) as usize];
            value >>= 5;
        }
        let text = String::from_utf8_lossy(&chars).into_owned();
        format!(
            "{}-{}-{}-{}",
            &text[0..4],
            &text[4..8],
            &text[8..12],
            &text[12..16]
        )
    }

    /// The canonical form of a code as a person typed it: upper case, without spaces or
    /// dashes, with O read as 0 and I or L as 1; `None` when it cannot be a code.
    pub fn normalize(text: &str) -> Option<String> {
        let canonical: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        let valid =
            canonical.len() == 16 && canonical.bytes().all(|b| TRACKING_ALPHABET.contains(&b));
        valid.then_some(canonical)
    }
}

/// What the server answers for an uploaded photo, `POST /api/v1/uploads`. The photo was
/// decoded and re-encoded as JPEG, which drops its EXIF data (GPS position included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadReceipt {
    /// The id to list in [`NewCase::photos`]; an upload no case claims within a day expires.
    pub id: String,
    /// Width in pixels, as stored.
    pub width: u32,
    /// Height in pixels, as stored.
    pub height: u32,
    /// Size in bytes, as stored.
    pub bytes: u64,
}

/// Whether `id` has the form of an upload id: 32 lower-case hexadecimal digits.
pub fn is_valid_upload_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The header that makes filing safe to retry: a client-chosen key (8 to 64 characters of
/// letters, digits, `-` and `_`), one per draft.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// Whether `key` is an acceptable idempotency key.
pub fn is_valid_idempotency_key(key: &str) -> bool {
    (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
