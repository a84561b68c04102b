//! What the public, and the case's owner, see of a case.

use api::{CaseDetail, CaseStatus, Contact, OwnerView, PublicationState, RatingRecord};
use time::Date;

/// A case's public page: a published case in full; an unpublished one only its progress
/// (see [`CaseDetail::progress_only`]), never the owner's part.
pub fn public_view(detail: CaseDetail) -> CaseDetail {
    let detail = CaseDetail {
        owner: None,
        ..detail
    };
    if detail.published {
        // A follow-up is the resident's own words, written after the centre's review: the
        // public sees that one was made, not what it says.
        CaseDetail {
            timeline: detail
                .timeline
                .into_iter()
                .map(|entry| api::TimelineEntry {
                    note: if entry.follow_up { None } else { entry.note },
                    ..entry
                })
                .collect(),
            ..detail
        }
    } else {
        detail.progress_only()
    }
}

/// A case's public timeline from its stored moves: what each move did, never who made it,
/// and without the moves between staff (a request to transfer).
pub fn timeline(events: &[super::records::EventRecord]) -> Vec<api::TimelineEntry> {
    events
        .iter()
        .filter(|e| e.action.is_none_or(api::ActionKind::on_public_timeline))
        .map(|e| api::TimelineEntry {
            at: crate::clock::rfc3339(e.at),
            status: e.status,
            department: e.department.clone(),
            note: e.note.clone(),
            rating: e.rating,
            follow_up: e.follow_up,
        })
        .collect()
}

/// Whether a case whose publication is in `state` may be reviewed now.
pub fn reviewable(state: PublicationState) -> bool {
    state == PublicationState::AwaitingReview
}

/// What `actor`'s review `decision`, at `at`, does to a case in `state`: only a dispatcher
/// reviews (`Forbidden`), and only a case awaiting review (`NotAllowed`). The case's status
/// stays; the audit trail records the review, the public timeline does not.
pub fn review(
    actor: &super::staff::Actor,
    state: &super::CaseState,
    decision: &api::ReviewDecision,
    at: i64,
) -> Result<super::Change, super::Refusal> {
    use api::ReviewDecision as D;
    if !actor.may_act(api::ActionKind::Review, state.department.as_deref()) {
        return Err(super::Refusal::Forbidden);
    }
    if !reviewable(state.publication) {
        return Err(super::Refusal::NotAllowed);
    }
    let (withheld_reason, public_text, note) = match decision {
        D::Publish => (None, None, "公开".to_owned()),
        D::PublishRedacted {
            title,
            description,
            place,
        } => (
            None,
            Some(api::PublicText {
                title: title.trim().to_owned(),
                description: description.trim().to_owned(),
                place: place.trim().to_owned(),
            }),
            "隐去个人信息后公开".to_owned(),
        ),
        D::Withhold { reason } => (
            Some(reason.trim().to_owned()),
            None,
            format!("不予公开：{}", reason.trim()),
        ),
    };
    Ok(super::Change {
        status: state.status,
        department: state.department.clone(),
        deadline: state.deadline,
        reply: None,
        extension: None,
        rating: None,
        publication: Some(super::PublicationChange {
            state: decision.outcome(),
            withheld_reason,
            public_text,
        }),
        event: super::records::EventRecord {
            at,
            status: state.status,
            department: state.department.clone(),
            note: Some(note),
            rating: None,
            follow_up: false,
            action: Some(api::ActionKind::Review),
            actor: Some(actor.name().to_owned()),
        },
        outbox: Vec::new(),
    })
}

/// The fields of what a resident wrote that seem to hold personal details (`api::pii`),
/// for the reviewer.
pub fn personal_details(case: &CaseDetail) -> Vec<api::FlaggedField> {
    [
        ("title", &case.summary.title),
        ("description", &case.description),
        ("place", &case.place),
    ]
    .into_iter()
    .filter_map(|(field, text)| {
        let found = api::pii::find(text);
        (!found.is_none()).then(|| api::FlaggedField {
            field: field.to_owned(),
            found,
        })
    })
    .collect()
}

/// Whether a case in `status` with `deadline` is overdue on `today`: it still owes a reply
/// and the deadline's day has passed.
pub fn is_overdue(status: CaseStatus, deadline: Option<Date>, today: Date) -> bool {
    status.awaits_reply() && deadline.is_some_and(|deadline| deadline < today)
}

/// What only the owner sees, and what they may do next.
pub fn owner_view(
    status: CaseStatus,
    contact: Contact,
    (publication, withheld_reason): (PublicationState, Option<String>),
    rating: Option<RatingRecord>,
    texts: bool,
) -> OwnerView {
    OwnerView {
        texts,
        contact,
        published: publication.is_public(),
        publication,
        withheld_reason,
        can_rate: api::can_rate(status, rating.is_some()),
        can_follow_up: api::can_follow_up(status, rating.as_ref().map(|r| r.rating)),
        rating,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::{CaseKind, CaseNumber, CaseSummary, Rating, Reply, TimelineEntry};
    use time::macros::date;

    fn detail(published: bool) -> CaseDetail {
        CaseDetail {
            published,
            summary: CaseSummary {
                number: CaseNumber::parse("20261126-0001").unwrap(),
                kind: Some(CaseKind::Complaint),
                category: "environment.noise".into(),
                district: "wuhou".into(),
                title: "夜间施工噪音".into(),
                status: CaseStatus::Replied,
                department: Some("ecology".into()),
                submitted_at: "2026-11-26T09:00:00+08:00".into(),
                deadline: Some("2026-12-03".into()),
                replied_at: Some("2026-11-27T09:00:00+08:00".into()),
                overdue: false,
            },
            place: "科华北路".into(),
            description: "每晚十一点后仍在施工".into(),
            submitter: Some("张**".into()),
            timeline: vec![TimelineEntry {
                at: "2026-11-26T09:00:00+08:00".into(),
                status: CaseStatus::Replied,
                department: Some("ecology".into()),
                note: Some("已责令停工".into()),
                rating: Some(Rating::Satisfied),
                follow_up: false,
            }],
            reply: Some(Reply {
                at: "2026-11-27T09:00:00+08:00".into(),
                department: "ecology".into(),
                text: "已责令停工".into(),
            }),
            owner: Some(owner_view(
                CaseStatus::Replied,
                Contact::default(),
                (
                    if published {
                        PublicationState::Published
                    } else {
                        PublicationState::Private
                    },
                    None,
                ),
                None,
                false,
            )),
        }
    }

    #[test]
    fn the_public_sees_a_published_case_whole_and_an_unpublished_one_as_progress() {
        let published = public_view(detail(true));
        assert_eq!(published.summary.title, "夜间施工噪音");
        assert!(published.reply.is_some() && published.owner.is_none());
        let unpublished = public_view(detail(false));
        assert_eq!(unpublished.summary.status, CaseStatus::Replied);
        assert_eq!(unpublished.summary.deadline.as_deref(), Some("2026-12-03"));
        assert_eq!(unpublished.summary.kind, None);
        assert_eq!(unpublished.summary.submitted_at, "2026-11-26");
        assert_eq!(unpublished.timeline[0].at, "2026-11-26");
        for text in [
            &unpublished.summary.title,
            &unpublished.place,
            &unpublished.description,
        ] {
            assert!(text.is_empty());
        }
        assert!(unpublished.reply.is_none() && unpublished.owner.is_none());
        assert!(unpublished.submitter.is_none());
        assert!(
            unpublished
                .timeline
                .iter()
                .all(|e| e.note.is_none() && e.rating.is_none())
        );
    }

    #[test]
    fn only_a_case_owing_a_reply_past_its_deadline_day_is_overdue() {
        let today = date!(2026 - 11 - 27);
        // (status, deadline, overdue)
        let table = [
            (CaseStatus::InProgress, Some(date!(2026 - 11 - 26)), true),
            (CaseStatus::Assigned, Some(date!(2026 - 11 - 26)), true),
            (CaseStatus::InProgress, Some(date!(2026 - 11 - 27)), false),
            (CaseStatus::InProgress, None, false),
            (CaseStatus::Replied, Some(date!(2026 - 11 - 01)), false),
            (CaseStatus::Closed, Some(date!(2026 - 11 - 01)), false),
            (CaseStatus::Rejected, Some(date!(2026 - 11 - 01)), false),
        ];
        for (status, deadline, overdue) in table {
            assert_eq!(
                is_overdue(status, deadline, today),
                overdue,
                "{status:?} {deadline:?}"
            );
        }
    }

    #[test]
    fn the_owner_may_rate_a_reply_once_and_follow_up_when_dissatisfied() {
        let rated = |rating: Rating| {
            Some(RatingRecord {
                rating,
                comment: None,
                at: "2026-11-27T10:00:00+08:00".into(),
            })
        };
        // (status, rating, can rate, can follow up)
        let table = [
            (CaseStatus::Replied, None, true, true),
            (CaseStatus::Closed, rated(Rating::Dissatisfied), false, true),
            (CaseStatus::Closed, rated(Rating::Satisfied), false, false),
            (CaseStatus::InProgress, None, false, false),
        ];
        for (status, rating, can_rate, can_follow_up) in table {
            let view = owner_view(
                status,
                Contact::default(),
                (PublicationState::Published, None),
                rating,
                false,
            );
            assert_eq!(
                (view.can_rate, view.can_follow_up),
                (can_rate, can_follow_up),
                "{status:?}"
            );
        }
    }
}
