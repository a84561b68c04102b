//! The life of a case: which staff actions are allowed in which status, and where each
//! leads. The server enforces exactly these rules; clients use them to explain a case.
//!
//! ```text
//! submitted ─accept─▶ accepted ─assign─▶ assigned ─start─▶ in_progress ─reply─▶ replied ─close─▶ closed
//!     └─reject─▶ rejected        assigned/in_progress ─transfer─▶ assigned (another department)
//!                                assigned ─reply─▶ replied;   extend: once, while a reply is owed
//! ```

use serde::{Deserialize, Serialize};

use crate::limits::{EXTENSION_MAX_WORKING_DAYS, REASON_TEXT, REPLY_TEXT};
use crate::{CaseStatus, FieldErrorCode, FieldErrors};

/// What a member of staff does to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum StaffAction {
    /// Accept the case as something the platform handles (受理).
    Accept,
    /// Decline it, with a reason the resident sees (不予受理).
    Reject {
        /// Why, in words the resident understands.
        reason: String,
    },
    /// Hand it to a department (交办).
    Assign {
        /// The department's code.
        department: String,
    },
    /// Hand it on to another department (转办).
    Transfer {
        /// The new department's code.
        department: String,
        /// Why, shown on the timeline.
        reason: String,
    },
    /// The department starts work (办理中).
    Start,
    /// Extend the reply deadline, once (延期).
    Extend {
        /// Working days added, 1 to [`EXTENSION_MAX_WORKING_DAYS`].
        #[serde(deserialize_with = "whole_number")]
        working_days: u32,
        /// Why, shown on the timeline.
        reason: String,
    },
    /// Give the official reply (答复).
    Reply {
        /// The reply.
        text: String,
    },
    /// Close the case (办结).
    Close,
    /// The holding department asks the 12345 centre to hand the case to another department
    /// (申请转办); the case stays where it is until a dispatcher transfers it. Kept in the
    /// audit trail, not on the public timeline.
    RequestTransfer {
        /// Why, and which department should have it.
        reason: String,
    },
}

/// A whole number as JSON Schema counts one: `8` or `8.0`. Past `u32`'s range it saturates,
/// so the range check names the field; a fraction is not a whole number.
fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let number = f64::deserialize(deserializer)?;
    if number.fract() != 0.0 || number.is_nan() {
        return Err(serde::de::Error::invalid_value(
            serde::de::Unexpected::Float(number),
            &"a whole number",
        ));
    }
    Ok(number.clamp(0.0, f64::from(u32::MAX)) as u32)
}

/// The kinds of staff action, as codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// See [`StaffAction::Accept`].
    Accept,
    /// See [`StaffAction::Reject`].
    Reject,
    /// See [`StaffAction::Assign`].
    Assign,
    /// See [`StaffAction::Transfer`].
    Transfer,
    /// See [`StaffAction::Start`].
    Start,
    /// See [`StaffAction::Extend`].
    Extend,
    /// See [`StaffAction::Reply`].
    Reply,
    /// See [`StaffAction::Close`].
    Close,
    /// See [`StaffAction::RequestTransfer`].
    RequestTransfer,
    /// The centre's review of a case awaiting publication (`crate::ReviewDecision`); not a
    /// move of the lifecycle.
    Review,
}

impl ActionKind {
    /// Every kind of action.
    pub const ALL: [ActionKind; 10] = [
        Self::Accept,
        Self::Reject,
        Self::Assign,
        Self::Transfer,
        Self::Start,
        Self::Extend,
        Self::Reply,
        Self::Close,
        Self::RequestTransfer,
        Self::Review,
    ];

    /// The stable code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Reject => "reject",
            Self::Assign => "assign",
            Self::Transfer => "transfer",
            Self::Start => "start",
            Self::Extend => "extend",
            Self::Reply => "reply",
            Self::Close => "close",
            Self::RequestTransfer => "request_transfer",
            Self::Review => "review",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether the public timeline shows this move (a request between staff, or a review,
    /// it does not).
    pub fn on_public_timeline(self) -> bool {
        !matches!(self, Self::RequestTransfer | Self::Review)
    }
}

impl StaffAction {
    /// The kind of this action.
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::Accept => ActionKind::Accept,
            Self::Reject { .. } => ActionKind::Reject,
            Self::Assign { .. } => ActionKind::Assign,
            Self::Transfer { .. } => ActionKind::Transfer,
            Self::Start => ActionKind::Start,
            Self::Extend { .. } => ActionKind::Extend,
            Self::Reply { .. } => ActionKind::Reply,
            Self::Close => ActionKind::Close,
            Self::RequestTransfer { .. } => ActionKind::RequestTransfer,
        }
    }

    /// Checks the action's own fields (department codes are checked against the taxonomy
    /// by the server).
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        match self {
            Self::Reject { reason }
            | Self::Transfer { reason, .. }
            | Self::RequestTransfer { reason } => {
                REASON_TEXT.check(&mut errors, "reason", reason);
            }
            Self::Extend {
                working_days,
                reason,
            } => {
                if !(1..=EXTENSION_MAX_WORKING_DAYS).contains(working_days) {
                    errors.add(
                        "working_days",
                        FieldErrorCode::OutOfRange,
                        Some(u64::from(EXTENSION_MAX_WORKING_DAYS)),
                    );
                }
                REASON_TEXT.check(&mut errors, "reason", reason);
            }
            Self::Reply { text } => REPLY_TEXT.check(&mut errors, "text", text),
            Self::Accept | Self::Assign { .. } | Self::Start | Self::Close => {}
        }
        if let Self::Assign { department } | Self::Transfer { department, .. } = self
            && department.trim().is_empty()
        {
            errors.add("department", FieldErrorCode::Required, None);
        }
        errors.into_result()
    }
}

/// The actions allowed on a case in `status`; `extended` says whether its deadline was
/// already extended (which may happen only once).
pub fn allowed_actions(status: CaseStatus, extended: bool) -> Vec<ActionKind> {
    use ActionKind::*;
    let mut allowed = match status {
        CaseStatus::Submitted => vec![Accept, Reject],
        CaseStatus::Accepted => vec![Assign],
        CaseStatus::Assigned => vec![Transfer, Start, Reply, RequestTransfer],
        CaseStatus::InProgress => vec![Transfer, Reply, RequestTransfer],
        CaseStatus::Replied => vec![Close],
        CaseStatus::Rejected | CaseStatus::Closed => vec![],
    };
    if status.awaits_reply() && status != CaseStatus::Submitted && !extended {
        allowed.push(Extend);
    }
    allowed.sort();
    allowed
}

/// A move the rules do not allow, with the moves they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalMove {
    /// The status the case is in.
    pub from: CaseStatus,
    /// The action that was tried.
    pub tried: ActionKind,
    /// What is allowed instead.
    pub allowed: Vec<ActionKind>,
}

/// The status a case in `status` moves to under `action`, or why it cannot.
pub fn next_status(
    status: CaseStatus,
    extended: bool,
    action: ActionKind,
) -> Result<CaseStatus, IllegalMove> {
    let allowed = allowed_actions(status, extended);
    if !allowed.contains(&action) {
        return Err(IllegalMove {
            from: status,
            tried: action,
            allowed,
        });
    }
    Ok(match action {
        ActionKind::Accept => CaseStatus::Accepted,
        ActionKind::Reject => CaseStatus::Rejected,
        ActionKind::Assign | ActionKind::Transfer => CaseStatus::Assigned,
        ActionKind::Start => CaseStatus::InProgress,
        ActionKind::Extend | ActionKind::RequestTransfer | ActionKind::Review => status,
        ActionKind::Reply => CaseStatus::Replied,
        ActionKind::Close => CaseStatus::Closed,
    })
}

/// What the staff API answers after an action: where the case now stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffActionResult {
    /// The case.
    pub number: crate::CaseNumber,
    /// Its status after the action.
    pub status: CaseStatus,
    /// The department handling it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Its reply deadline (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// What may be done next.
    pub allowed: Vec<ActionKind>,
}
