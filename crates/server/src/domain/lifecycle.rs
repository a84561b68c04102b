//! Staff actions and the automatic close: how a case moves through its life. Which move is
//! legal is `api::next_status`'s to say; this module says what each move writes.

use api::{ActionKind, CaseNumber, CaseStatus, StaffAction, StaffActionResult};
use time::Date;

use super::records::EventRecord;
use super::{CaseState, Change, Refusal, ReplyRecord};
use crate::clock;

/// The timeline note of a case closed because its rating period ended (content is in the
/// platform's language, like every staff note).
pub const AUTO_CLOSE_NOTE: &str = "超过评价期限，系统自动办结";

/// Who replies when no department holds the case (the 12345 centre itself).
const CENTRE: &str = "governance";

/// Whether a reply given at `at` met `deadline` (a reply with no deadline to miss did). It
/// is decided when the reply is given, because a follow-up later sets a new deadline.
pub fn replied_on_time(at: i64, deadline: Option<Date>) -> bool {
    deadline.is_none_or(|deadline| clock::cst_date(at) <= deadline)
}

/// What `action`, taken at `at`, does to a case in `state`, or why it may not.
pub fn apply(state: &CaseState, action: &StaffAction, at: i64) -> Result<Change, Refusal> {
    use StaffAction as A;
    let status =
        api::next_status(state.status, state.extended, action.kind()).map_err(Refusal::Illegal)?;
    let mut change = Change {
        status,
        department: state.department.clone(),
        deadline: state.deadline,
        reply: None,
        extension: None,
        rating: None,
        publication: None,
        event: EventRecord {
            at,
            status,
            department: None,
            note: None,
            rating: None,
            follow_up: false,
            action: Some(action.kind()),
            actor: None,
        },
        outbox: Vec::new(),
    };
    match action {
        A::Accept | A::Start | A::Close => {}
        A::Reject { reason } | A::RequestTransfer { reason } => {
            change.event.note = Some(reason.trim().to_owned());
        }
        A::Assign { department } => change.department = Some(department.clone()),
        A::Transfer { department, reason } => {
            change.department = Some(department.clone());
            change.event.note = Some(reason.trim().to_owned());
        }
        A::Extend {
            working_days,
            reason,
        } => {
            let from = state.deadline.unwrap_or_else(|| clock::cst_date(at));
            change.deadline = Some(clock::add_working_days(from, *working_days));
            change.extension = Some(reason.trim().to_owned());
            change.event.note = Some(reason.trim().to_owned());
        }
        A::Reply { text } => {
            change.reply = Some(ReplyRecord {
                at,
                department: state
                    .department
                    .clone()
                    .unwrap_or_else(|| CENTRE.to_owned()),
                text: text.trim().to_owned(),
                on_time: replied_on_time(at, state.deadline),
            });
        }
    }
    // The centre's own decisions (accept, reject) name no department on the timeline.
    if !matches!(action.kind(), ActionKind::Accept | ActionKind::Reject) {
        change.event.department = change.department.clone();
    }
    Ok(change)
}

/// Where a case stands after `change`, as the staff API answers it.
pub fn result(number: &CaseNumber, state: &CaseState, change: &Change) -> StaffActionResult {
    StaffActionResult {
        number: number.clone(),
        status: change.status,
        department: change.department.clone(),
        deadline: change.deadline.map(clock::iso_date),
        allowed: api::allowed_actions(change.status, state.extended || change.extension.is_some()),
    }
}

/// Closes, at `at`, a case still waiting for its rating of a reply given before
/// `replied_before`; refuses any other case (one rated, and so closed, or reopened since it
/// was found due). A case rated once, followed up and replied again waits in `replied` too,
/// and closes the same way.
pub fn auto_close(state: &CaseState, replied_before: i64, at: i64) -> Result<Change, Refusal> {
    let due = state.status == CaseStatus::Replied
        && state
            .replied_at
            .is_some_and(|replied| replied < replied_before);
    if !due {
        return Err(Refusal::NotAllowed);
    }
    Ok(Change {
        status: CaseStatus::Closed,
        department: state.department.clone(),
        deadline: state.deadline,
        reply: None,
        extension: None,
        rating: None,
        publication: None,
        event: EventRecord {
            at,
            status: CaseStatus::Closed,
            department: state.department.clone(),
            note: Some(AUTO_CLOSE_NOTE.to_owned()),
            rating: None,
            follow_up: false,
            action: None,
            actor: None,
        },
        outbox: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::CaseKind;
    use time::macros::date;

    /// 2026-11-23 10:00 China Standard Time, a Monday.
    const MONDAY_10AM: i64 = 1_795_399_200;

    fn state(status: CaseStatus) -> CaseState {
        CaseState {
            kind: CaseKind::Complaint,
            status,
            department: (!matches!(status, CaseStatus::Submitted | CaseStatus::Accepted))
                .then(|| "housing".to_owned()),
            deadline: Some(date!(2026 - 11 - 28)),
            extended: false,
            replied_at: None,
            rating: None,
            publication: api::PublicationState::Private,
            recipient: Default::default(),
        }
    }

    fn text(s: &str) -> String {
        s.to_owned()
    }

    #[test]
    fn each_action_writes_its_status_department_deadline_and_note() {
        use StaffAction as A;
        let transfer = A::Transfer {
            department: text("transport"),
            reason: text("  not ours  "),
        };
        let extend = A::Extend {
            working_days: 5,
            reason: text("site visit"),
        };
        // (from, action, status, department, deadline, timeline department, note)
        type Row<'a> = (
            CaseStatus,
            A,
            CaseStatus,
            Option<&'a str>,
            Date,
            Option<&'a str>,
            Option<&'a str>,
        );
        let table: Vec<Row> = vec![
            (
                CaseStatus::Submitted,
                A::Accept,
                CaseStatus::Accepted,
                None,
                date!(2026 - 11 - 28),
                None,
                None,
            ),
            (
                CaseStatus::Submitted,
                A::Reject {
                    reason: text(" duplicate "),
                },
                CaseStatus::Rejected,
                None,
                date!(2026 - 11 - 28),
                None,
                Some("duplicate"),
            ),
            (
                CaseStatus::Accepted,
                A::Assign {
                    department: text("housing"),
                },
                CaseStatus::Assigned,
                Some("housing"),
                date!(2026 - 11 - 28),
                Some("housing"),
                None,
            ),
            (
                CaseStatus::Assigned,
                transfer,
                CaseStatus::Assigned,
                Some("transport"),
                date!(2026 - 11 - 28),
                Some("transport"),
                Some("not ours"),
            ),
            (
                CaseStatus::Assigned,
                A::Start,
                CaseStatus::InProgress,
                Some("housing"),
                date!(2026 - 11 - 28),
                Some("housing"),
                None,
            ),
            // Five working days after Saturday 28 November: Monday 30 November to Friday 4 December.
            (
                CaseStatus::InProgress,
                extend,
                CaseStatus::InProgress,
                Some("housing"),
                date!(2026 - 12 - 04),
                Some("housing"),
                Some("site visit"),
            ),
            (
                CaseStatus::Replied,
                A::Close,
                CaseStatus::Closed,
                Some("housing"),
                date!(2026 - 11 - 28),
                Some("housing"),
                None,
            ),
        ];
        for (from, action, status, department, deadline, event_department, note) in table {
            let change = apply(&state(from), &action, MONDAY_10AM).expect("legal");
            assert_eq!(change.status, status, "{action:?}");
            assert_eq!(change.department.as_deref(), department, "{action:?}");
            assert_eq!(change.deadline, Some(deadline), "{action:?}");
            assert_eq!(change.event.status, status, "{action:?}");
            assert_eq!(change.event.at, MONDAY_10AM, "{action:?}");
            assert_eq!(
                change.event.department.as_deref(),
                event_department,
                "{action:?}"
            );
            assert_eq!(change.event.note.as_deref(), note, "{action:?}");
            assert_eq!(
                change.extension.is_some(),
                action.kind() == ActionKind::Extend
            );
            assert!(change.reply.is_none() && change.rating.is_none());
        }
    }

    #[test]
    fn a_reply_is_on_time_up_to_the_end_of_its_deadline_day() {
        let reply = |deadline: Option<Date>, department: Option<&str>, at: i64| {
            let mut s = state(CaseStatus::InProgress);
            s.deadline = deadline;
            s.department = department.map(str::to_owned);
            let change = apply(
                &s,
                &StaffAction::Reply {
                    text: text(" fixed "),
                },
                at,
            )
            .unwrap();
            assert_eq!(change.status, CaseStatus::Replied);
            change.reply.unwrap()
        };
        let on_deadline_day = MONDAY_10AM;
        let day_after = MONDAY_10AM + 86_400;
        // (deadline, department, at, replier, on time)
        let table = [
            (
                Some(date!(2026 - 11 - 23)),
                Some("housing"),
                on_deadline_day,
                "housing",
                true,
            ),
            (
                Some(date!(2026 - 11 - 23)),
                Some("housing"),
                day_after,
                "housing",
                false,
            ),
            (None, Some("housing"), day_after, "housing", true),
            (
                Some(date!(2026 - 11 - 23)),
                None,
                on_deadline_day,
                "governance",
                true,
            ),
        ];
        for (deadline, department, at, replier, on_time) in table {
            let r = reply(deadline, department, at);
            assert_eq!(
                (r.department.as_str(), r.on_time, r.at),
                (replier, on_time, at)
            );
            assert_eq!(r.text, "fixed");
        }
    }

    #[test]
    fn an_illegal_action_is_refused_with_what_is_allowed() {
        let refused = apply(
            &state(CaseStatus::Submitted),
            &StaffAction::Start,
            MONDAY_10AM,
        );
        let Err(Refusal::Illegal(illegal)) = refused else {
            panic!("start on a submitted case must be refused: {refused:?}");
        };
        assert_eq!(illegal.from, CaseStatus::Submitted);
        assert_eq!(
            illegal.allowed,
            vec![ActionKind::Accept, ActionKind::Reject]
        );
        let mut extended = state(CaseStatus::Assigned);
        extended.extended = true;
        let again = StaffAction::Extend {
            working_days: 3,
            reason: text("again"),
        };
        assert!(matches!(
            apply(&extended, &again, MONDAY_10AM),
            Err(Refusal::Illegal(_))
        ));
        for closed in [CaseStatus::Closed, CaseStatus::Rejected] {
            assert!(apply(&state(closed), &StaffAction::Close, MONDAY_10AM).is_err());
        }
    }

    #[test]
    fn after_an_extension_the_result_no_longer_offers_one() {
        let number = CaseNumber::parse("20261123-0001").unwrap();
        let before = state(CaseStatus::Assigned);
        let extend = StaffAction::Extend {
            working_days: 2,
            reason: text("wait"),
        };
        let change = apply(&before, &extend, MONDAY_10AM).unwrap();
        let result = result(&number, &before, &change);
        assert!(!result.allowed.contains(&ActionKind::Extend));
        assert_eq!(result.deadline.as_deref(), Some("2026-12-01"));
        let start = apply(&before, &StaffAction::Start, MONDAY_10AM).unwrap();
        assert!(
            super::result(&number, &before, &start)
                .allowed
                .contains(&ActionKind::Extend)
        );
    }

    #[test]
    fn only_an_unrated_reply_older_than_the_period_closes_by_itself() {
        let cutoff = MONDAY_10AM;
        let replied =
            |status: CaseStatus, at: Option<i64>, rating: Option<api::Rating>| CaseState {
                replied_at: at,
                rating,
                publication: api::PublicationState::Private,
                ..state(status)
            };
        // (state, closes)
        let table = [
            (replied(CaseStatus::Replied, Some(cutoff - 1), None), true),
            (replied(CaseStatus::Replied, Some(cutoff), None), false),
            (replied(CaseStatus::Replied, None, None), false),
            // Rated dissatisfied, followed up, replied again: due like any other reply.
            (
                replied(
                    CaseStatus::Replied,
                    Some(cutoff - 1),
                    Some(api::Rating::Dissatisfied),
                ),
                true,
            ),
            (
                replied(
                    CaseStatus::Closed,
                    Some(cutoff - 1),
                    Some(api::Rating::Satisfied),
                ),
                false,
            ),
            (
                replied(CaseStatus::InProgress, Some(cutoff - 1), None),
                false,
            ),
        ];
        for (state, closes) in table {
            let outcome = auto_close(&state, cutoff, cutoff + 5);
            assert_eq!(outcome.is_ok(), closes, "{state:?}");
            if let Ok(change) = outcome {
                assert_eq!(change.status, CaseStatus::Closed);
                assert_eq!(change.event.note.as_deref(), Some(AUTO_CLOSE_NOTE));
                assert_eq!(change.event.department.as_deref(), Some("housing"));
            }
        }
    }
}
