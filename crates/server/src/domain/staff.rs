//! Who may move a case: a staff member's role and department (`api::StaffRole`), checked
//! before the lifecycle decides whether the move is legal now; and the audit trail.

use api::{ActionKind, AuditEntry, StaffAction, StaffRole};

use super::records::{EventRecord, StaffAccount};
use super::{CaseState, Change, Refusal, lifecycle};
use crate::clock;

/// Who makes a staff move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A staff account, with its role's rights.
    Staff {
        /// The account's name, recorded in the audit trail.
        name: String,
        /// Its role.
        role: StaffRole,
        /// Its department, for a department's staff.
        department: Option<String>,
    },
    /// The operator at the server's command line (`civic-server case`): every action.
    Operator,
}

impl Actor {
    /// The name the audit trail records.
    pub fn name(&self) -> &str {
        match self {
            Self::Staff { name, .. } => name,
            Self::Operator => "civic-server case",
        }
    }

    /// Whether this actor may take `action` on a case held by `holder`.
    pub fn may_act(&self, action: ActionKind, holder: Option<&str>) -> bool {
        match self {
            Self::Staff {
                role, department, ..
            } => api::may_act(*role, department.as_deref(), action, holder),
            Self::Operator => true,
        }
    }

    /// Whether this actor may see a case held by `holder` in full, with its audit trail.
    pub fn may_see(&self, holder: Option<&str>) -> bool {
        match self {
            Self::Staff {
                role, department, ..
            } => api::may_see(*role, department.as_deref(), holder),
            Self::Operator => true,
        }
    }

    /// The department whose cases this actor's work queue lists when it asks for
    /// `requested` (`None`: every department): a department's staff get their own, and
    /// asking for another's is refused, as is a department's account without a department.
    pub fn queue_department(&self, requested: Option<String>) -> Result<Option<String>, Refusal> {
        match self {
            Self::Staff {
                role: StaffRole::Department,
                department,
                ..
            } => match department {
                Some(own) if requested.as_ref().is_none_or(|r| r == own) => Ok(Some(own.clone())),
                _ => Err(Refusal::Forbidden),
            },
            _ => Ok(requested),
        }
    }

    /// Of the lifecycle's `allowed` actions, those this actor may take on a case held by
    /// `holder`.
    pub fn allowed(&self, allowed: Vec<ActionKind>, holder: Option<&str>) -> Vec<ActionKind> {
        allowed
            .into_iter()
            .filter(|a| self.may_act(*a, holder))
            .collect()
    }
}

/// What `action` by `actor`, at `at`, does to a case in `state`: refused when the actor may
/// not take it on this case (whatever its status), else as the lifecycle says, recorded
/// with the actor's name.
pub fn act(
    actor: &Actor,
    state: &CaseState,
    action: &StaffAction,
    at: i64,
) -> Result<Change, Refusal> {
    if !actor.may_act(action.kind(), state.department.as_deref()) {
        return Err(Refusal::Forbidden);
    }
    let mut change = lifecycle::apply(state, action, at)?;
    change.event.actor = Some(actor.name().to_owned());
    Ok(change)
}

/// The longest account name.
pub const NAME_MAX_CHARS: usize = 40;

/// A new account from what an operator typed, or why not: a name of 1 to
/// [`NAME_MAX_CHARS`] characters on one line, a role, and a department known to `meta` for
/// a department's staff (and none for a dispatcher).
pub fn new_account(
    meta: &api::Meta,
    name: &str,
    role: &str,
    department: Option<&str>,
    at: i64,
) -> Result<StaffAccount, String> {
    let name = name.trim();
    let mut errors = api::FieldErrors::new();
    api::validate::TextRule::line(1, NAME_MAX_CHARS).check(&mut errors, "name", name);
    if !errors.is_empty() {
        return Err(format!(
            "a name is 1 to {NAME_MAX_CHARS} characters on one line"
        ));
    }
    if ["bootstrap", "demo", Actor::Operator.name()].contains(&name) {
        return Err(format!(
            "{name} is a name the audit trail uses for something else"
        ));
    }
    let role = StaffRole::from_code(role)
        .ok_or_else(|| "the role is `dispatcher` or `department`".to_owned())?;
    let department = match (role, department) {
        (StaffRole::Department, Some(code)) if meta.knows(api::Taxon::Department, code) => {
            Some(code.to_owned())
        }
        (StaffRole::Department, Some(code)) => return Err(format!("no department {code}")),
        (StaffRole::Department, None) => {
            return Err("a department's staff need --department CODE".to_owned());
        }
        (StaffRole::Dispatcher, Some(_)) => {
            return Err("a dispatcher works for every department: no --department".to_owned());
        }
        (StaffRole::Dispatcher, None) => None,
    };
    Ok(StaffAccount {
        name: name.to_owned(),
        role,
        department,
        created_at: at,
        revoked_at: None,
    })
}

/// A new bearer token: 32 random bytes in hex after a prefix that secret scanners and
/// people can recognise.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator; without it no token can be made safely.
    getrandom::fill(&mut bytes).expect("the system's random number generator");
    format!("civic_staff_{}", crate::hashing::hex(&bytes))
}

/// A case's audit trail from its stored moves: every one, with who made it.
pub fn audit(events: &[EventRecord]) -> Vec<AuditEntry> {
    events
        .iter()
        .map(|e| AuditEntry {
            at: clock::rfc3339(e.at),
            status: e.status,
            department: e.department.clone(),
            action: e.action,
            actor: e.actor.clone(),
            note: e.note.clone(),
            rating: e.rating,
            follow_up: e.follow_up,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn department(own: Option<&str>) -> Actor {
        Actor::Staff {
            name: "李娜".into(),
            role: StaffRole::Department,
            department: own.map(str::to_owned),
        }
    }

    #[test]
    fn a_work_queue_is_the_departments_own_and_fails_closed() {
        let dispatcher = Actor::Staff {
            name: "王芳".into(),
            role: StaffRole::Dispatcher,
            department: None,
        };
        let ecology = || Some("ecology".to_owned());
        let urban = || Some("urban".to_owned());
        // (actor, asked for, answer)
        let table = [
            (dispatcher.clone(), None, Ok(None)),
            (dispatcher, urban(), Ok(urban())),
            (department(Some("ecology")), None, Ok(ecology())),
            (department(Some("ecology")), ecology(), Ok(ecology())),
            (
                department(Some("ecology")),
                urban(),
                Err(Refusal::Forbidden),
            ),
            (department(None), None, Err(Refusal::Forbidden)),
            (Actor::Operator, urban(), Ok(urban())),
        ];
        for (actor, asked, answer) in table {
            assert_eq!(
                actor.queue_department(asked.clone()),
                answer,
                "{actor:?} {asked:?}"
            );
        }
    }

    #[test]
    fn names_the_audit_trail_uses_are_not_for_accounts() {
        let meta = crate::taxonomy::chengdu().meta();
        for name in ["bootstrap", "demo", "civic-server case"] {
            assert!(
                new_account(&meta, name, "dispatcher", None, 1).is_err(),
                "{name}"
            );
        }
        assert!(new_account(&meta, "调度员", "dispatcher", None, 1).is_ok());
    }
}
