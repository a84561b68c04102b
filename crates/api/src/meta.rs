use serde::{Deserialize, Serialize};

use crate::LocalizedText;

/// The taxonomy every form and filter needs, from `GET /api/v1/meta`.
///
/// Codes are stable: they are what requests and filters carry, while the names may be
/// reworded at any time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meta {
    /// The city's district- and county-level divisions.
    pub districts: Vec<Term>,
    /// The municipal departments that cases are assigned to and documents are issued by.
    pub departments: Vec<Term>,
    /// The categories of things residents raise, as a two-level tree (`parent` links a child to its group).
    pub categories: Vec<Category>,
    /// The kinds of case a resident can file.
    pub kinds: Vec<KindTerm>,
    /// The statuses a case moves through.
    pub statuses: Vec<StatusTerm>,
    /// The hotline residents can call instead, for example `12345`.
    pub hotline: String,
    /// Whether this server sends residents text messages about their cases (an SMS gateway
    /// is configured): the filing form then asks whether they want them.
    #[serde(default)]
    pub texts: bool,
}

/// The lists of [`Meta`] whose entries have a code and a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taxon {
    /// [`Meta::districts`].
    District,
    /// [`Meta::departments`].
    Department,
    /// [`Meta::categories`] (groups and children).
    Category,
}

impl Meta {
    /// The name of the entry with `code` in `taxon`, if there is one.
    pub fn name(&self, taxon: Taxon, code: &str) -> Option<&LocalizedText> {
        match taxon {
            Taxon::District => self
                .districts
                .iter()
                .find(|t| t.code == code)
                .map(|t| &t.name),
            Taxon::Department => self
                .departments
                .iter()
                .find(|t| t.code == code)
                .map(|t| &t.name),
            Taxon::Category => self
                .categories
                .iter()
                .find(|c| c.code == code)
                .map(|c| &c.name),
        }
    }

    /// Whether `code` names an entry of `taxon`.
    pub fn knows(&self, taxon: Taxon, code: &str) -> bool {
        self.name(taxon, code).is_some()
    }
}

/// A coded entry of a taxonomy: a district or a department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Term {
    /// The stable code, for example `wuhou` or `housing`.
    pub code: String,
    /// The name in both languages.
    pub name: LocalizedText,
}

/// A case category. Top-level groups have no parent; cases are filed under a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    /// The stable code, for example `environment.noise`.
    pub code: String,
    /// The code of the group this category belongs to; absent for a group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The name in both languages.
    pub name: LocalizedText,
}

/// A case kind with its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindTerm {
    /// The kind.
    pub code: CaseKind,
    /// The name in both languages.
    pub name: LocalizedText,
}

/// A case status with its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusTerm {
    /// The status.
    pub code: CaseStatus,
    /// The name in both languages.
    pub name: LocalizedText,
}

/// What a resident is doing when they file a case (诉求类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// Asking how something works (咨询).
    Consultation,
    /// Proposing an improvement (建议).
    Suggestion,
    /// Complaining about a service or a nuisance (投诉).
    Complaint,
    /// Asking for help with a difficulty (求助).
    Help,
    /// Reporting wrongdoing or a hazard (举报).
    Report,
    /// Praising a service or a person (表扬).
    Praise,
}

impl CaseKind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [CaseKind; 6] = [
        Self::Consultation,
        Self::Suggestion,
        Self::Complaint,
        Self::Help,
        Self::Report,
        Self::Praise,
    ];

    /// The stable code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::Consultation => "consultation",
            Self::Suggestion => "suggestion",
            Self::Complaint => "complaint",
            Self::Help => "help",
            Self::Report => "report",
            Self::Praise => "praise",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The official names in both languages.
    pub fn name(self) -> LocalizedText {
        let (zh, en) = match self {
            Self::Consultation => ("咨询", "Consultation"),
            Self::Suggestion => ("建议", "Suggestion"),
            Self::Complaint => ("投诉", "Complaint"),
            Self::Help => ("求助", "Request for help"),
            Self::Report => ("举报", "Report"),
            Self::Praise => ("表扬", "Praise"),
        };
        LocalizedText::new(zh, en)
    }
}

/// Where a case is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Filed and waiting to be looked at (已提交).
    Submitted,
    /// Accepted as something the platform handles (已受理).
    Accepted,
    /// Not accepted, with a reason the resident sees (不予受理).
    Rejected,
    /// Handed to a department (已交办).
    Assigned,
    /// The department is working on it (办理中).
    InProgress,
    /// The department has given its official reply (已答复).
    Replied,
    /// Finished: rated by the resident, or left unrated for long enough (已办结).
    Closed,
}

impl CaseStatus {
    /// Every status, in the order a case usually moves through them.
    pub const ALL: [CaseStatus; 7] = [
        Self::Submitted,
        Self::Accepted,
        Self::Rejected,
        Self::Assigned,
        Self::InProgress,
        Self::Replied,
        Self::Closed,
    ];

    /// The stable code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Assigned => "assigned",
            Self::InProgress => "in_progress",
            Self::Replied => "replied",
            Self::Closed => "closed",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// The official names in both languages.
    pub fn name(self) -> LocalizedText {
        let (zh, en) = match self {
            Self::Submitted => ("已提交", "Submitted"),
            Self::Accepted => ("已受理", "Accepted"),
            Self::Rejected => ("不予受理", "Not accepted"),
            Self::Assigned => ("已交办", "Assigned"),
            Self::InProgress => ("办理中", "In progress"),
            Self::Replied => ("已答复", "Replied"),
            Self::Closed => ("已办结", "Closed"),
        };
        LocalizedText::new(zh, en)
    }

    /// Whether the department still owes a reply (so the case can be overdue).
    pub fn awaits_reply(self) -> bool {
        matches!(
            self,
            Self::Submitted | Self::Accepted | Self::Assigned | Self::InProgress
        )
    }
}
