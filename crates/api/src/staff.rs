//! Staff identities and what each role may do: the 12345 centre's dispatchers and the
//! departments' staff. Which move is legal in which status stays `lifecycle`'s to say; this
//! says who may make it.

use serde::{Deserialize, Serialize};

use crate::{
    ActionKind, CaseDetail, CaseStatus, CaseSummary, Contact, PublicText, PublicationState, Rating,
};

/// What a member of staff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// The 12345 centre (市民服务热线): accepts, rejects, assigns, transfers, reviews
    /// publication and closes, on every case.
    Dispatcher,
    /// A department's staff: start, reply, extend and ask for a transfer, on the cases
    /// their department holds.
    Department,
}

impl StaffRole {
    /// Both roles.
    pub const ALL: [StaffRole; 2] = [Self::Dispatcher, Self::Department];

    /// The stable code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::Dispatcher => "dispatcher",
            Self::Department => "department",
        }
    }

    /// The role with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether this role may take `action` at all (a department's staff, only on the cases
    /// their department holds: see [`may_act`]).
    pub fn may(self, action: ActionKind) -> bool {
        use ActionKind::*;
        match self {
            Self::Dispatcher => {
                matches!(action, Accept | Reject | Assign | Transfer | Close | Review)
            }
            Self::Department => matches!(action, Start | Reply | Extend | RequestTransfer),
        }
    }
}

/// Whether a member of staff with `role` (of `department`, for a department's staff) may
/// take `action` on a case held by `holder`.
pub fn may_act(
    role: StaffRole,
    department: Option<&str>,
    action: ActionKind,
    holder: Option<&str>,
) -> bool {
    role.may(action) && may_see(role, department, holder)
}

/// Whether a member of staff may see a case held by `holder` in full, with its audit trail:
/// a dispatcher every case, a department's staff those their department holds.
pub fn may_see(role: StaffRole, department: Option<&str>, holder: Option<&str>) -> bool {
    match role {
        StaffRole::Dispatcher => true,
        StaffRole::Department => department.is_some() && department == holder,
    }
}

/// One entry of a case's audit trail: every move, who made it and what they wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// When (RFC 3339, China Standard Time).
    pub at: String,
    /// The status after the move.
    pub status: CaseStatus,
    /// The department involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The staff action, when the move was one; absent for the resident's filing, rating
    /// and follow-up and the automatic close.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionKind>,
    /// The member of staff who made it (their account's name); absent when the resident or
    /// the system did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The note, reason or follow-up text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The resident's rating, when the move is the rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// Whether the move is the resident's follow-up.
    #[serde(default)]
    pub follow_up: bool,
}

/// A case as staff see it (`GET /api/v1/staff/cases/{number}`): the whole case whether
/// published or not, the resident's contact, the photos, the audit trail and what this
/// member of staff may do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCase {
    /// The case in full (its `owner` part absent).
    pub case: CaseDetail,
    /// How to reach the resident; absent for an anonymous hotline case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// The ids of the case's photos (`GET /api/v1/cases/{number}/photos/{id}`).
    #[serde(default)]
    pub photos: Vec<String>,
    /// Every move, oldest first, with who made it.
    pub audit: Vec<AuditEntry>,
    /// The actions this member of staff may take now (the lifecycle's and the role's;
    /// `review` while the case awaits review).
    pub allowed: Vec<ActionKind>,
    /// Where publication stands.
    pub publication: PublicationState,
    /// Why it was withheld, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
    /// What the public sees in place of the title, description and place, when the case was
    /// published redacted (`case` holds what the resident wrote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_text: Option<PublicText>,
    /// The fields of what the resident wrote that seem to hold personal details (phone,
    /// ID-card or email numbers: `crate::pii`), for the reviewer.
    #[serde(default)]
    pub personal_details: Vec<FlaggedField>,
}

/// A field of a case that seems to hold personal details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlaggedField {
    /// `title`, `description` or `place`.
    pub field: String,
    /// What it seems to hold.
    pub found: crate::pii::PersonalDetails,
}

/// The filters of the staff work queue, `GET /api/v1/staff/cases`. A department's staff see
/// only their department's cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct StaffCaseQuery {
    /// A status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<CaseStatus>))]
    pub status: Option<String>,
    /// The holding department's code (a department's staff: their own, or nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// `true`: only cases past their reply deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// `true`: only cases awaiting the centre's review before publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting_review: Option<bool>,
    /// Items per page (1 to 50, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// A case in the staff work queue: its summary, published or not.
pub type StaffCaseSummary = CaseSummary;
