//! What the resident who filed a case may do with it: rate the reply once, or ask for it to
//! be handled again (追问) with a fresh deadline. Who may is `api::can_rate` and
//! `api::can_follow_up`'s to say (the app shows the same buttons from them).

use api::{CaseStatus, Rating};

use super::records::EventRecord;
use super::{CaseState, Change, Refusal};
use crate::clock;
use crate::rules::ReplyDays;

/// The resident's rating of the reply, given at `at`: it closes the case.
pub fn rate(
    state: &CaseState,
    rating: Rating,
    comment: Option<&str>,
    at: i64,
) -> Result<Change, Refusal> {
    if !api::can_rate(state.status, state.rating.is_some()) {
        return Err(Refusal::NotAllowed);
    }
    let comment = comment
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    Ok(Change {
        status: CaseStatus::Closed,
        department: state.department.clone(),
        deadline: state.deadline,
        reply: None,
        extension: None,
        rating: Some((rating, comment)),
        publication: None,
        event: EventRecord {
            at,
            status: CaseStatus::Closed,
            department: state.department.clone(),
            note: None,
            rating: Some(rating),
            follow_up: false,
            action: None,
            actor: None,
        },
        outbox: Vec::new(),
    })
}

/// The resident's follow-up, written at `at`: the case goes back to its department with a
/// new deadline by its kind's rule, counted from that day.
pub fn follow_up(
    state: &CaseState,
    text: &str,
    at: i64,
    reply_days: &ReplyDays,
) -> Result<Change, Refusal> {
    if !api::can_follow_up(state.status, state.rating) {
        return Err(Refusal::NotAllowed);
    }
    let deadline = clock::add_working_days(clock::cst_date(at), reply_days.days(state.kind));
    Ok(Change {
        status: CaseStatus::InProgress,
        department: state.department.clone(),
        deadline: Some(deadline),
        reply: None,
        extension: None,
        rating: None,
        publication: None,
        event: EventRecord {
            at,
            status: CaseStatus::InProgress,
            department: state.department.clone(),
            note: Some(text.trim().to_owned()),
            rating: None,
            follow_up: true,
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

    /// Thursday 26 November 2026, 09:00 China Standard Time.
    const THURSDAY: i64 = 1_795_654_800;

    fn state(status: CaseStatus, rating: Option<Rating>) -> CaseState {
        CaseState {
            kind: CaseKind::Complaint,
            status,
            department: Some("housing".to_owned()),
            deadline: Some(date!(2026 - 11 - 20)),
            extended: false,
            replied_at: Some(THURSDAY - 86_400),
            rating,
            publication: api::PublicationState::Private,
            recipient: Default::default(),
        }
    }

    #[test]
    fn a_reply_can_be_rated_once_and_the_rating_closes_it() {
        // (status, earlier rating, allowed)
        let table = [
            (CaseStatus::Replied, None, true),
            (CaseStatus::Replied, Some(Rating::Satisfied), false),
            (CaseStatus::Closed, Some(Rating::Dissatisfied), false),
            (CaseStatus::Closed, None, false),
            (CaseStatus::InProgress, None, false),
            (CaseStatus::Submitted, None, false),
        ];
        for (status, earlier, allowed) in table {
            let outcome = rate(
                &state(status, earlier),
                Rating::Satisfied,
                Some("  thanks "),
                THURSDAY,
            );
            assert_eq!(outcome.is_ok(), allowed, "{status:?} {earlier:?}");
            if let Ok(change) = outcome {
                assert_eq!(change.status, CaseStatus::Closed);
                assert_eq!(
                    change.rating,
                    Some((Rating::Satisfied, Some("thanks".to_owned())))
                );
                assert_eq!(change.event.rating, Some(Rating::Satisfied));
                assert_eq!(change.event.department.as_deref(), Some("housing"));
            }
        }
        let blank = rate(
            &state(CaseStatus::Replied, None),
            Rating::Dissatisfied,
            Some("  "),
            THURSDAY,
        );
        assert_eq!(blank.unwrap().rating, Some((Rating::Dissatisfied, None)));
    }

    #[test]
    fn a_follow_up_reopens_an_unrated_or_dissatisfied_reply_with_a_new_deadline() {
        // (status, rating, allowed)
        let table = [
            (CaseStatus::Replied, None, true),
            (CaseStatus::Closed, Some(Rating::Dissatisfied), true),
            (CaseStatus::Closed, Some(Rating::Satisfied), false),
            (CaseStatus::Closed, Some(Rating::BasicallySatisfied), false),
            (CaseStatus::Closed, None, false),
            (CaseStatus::Assigned, None, false),
        ];
        let days = ReplyDays::default();
        for (status, rating, allowed) in table {
            let outcome = follow_up(&state(status, rating), " still noisy ", THURSDAY, &days);
            assert_eq!(outcome.is_ok(), allowed, "{status:?} {rating:?}");
            if let Ok(change) = outcome {
                assert_eq!(change.status, CaseStatus::InProgress);
                let expected =
                    clock::add_working_days(date!(2026 - 11 - 26), days.days(CaseKind::Complaint));
                assert_eq!(change.deadline, Some(expected));
                assert!(change.event.follow_up);
                assert_eq!(change.event.note.as_deref(), Some("still noisy"));
            }
        }
    }
}
