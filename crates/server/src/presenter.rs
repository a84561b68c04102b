//! Records as the contract answers them: a case in a list, a case's page. The one place
//! that turns what the stores keep (`crate::domain::records`) into what residents and staff
//! are sent, on the day `today` (which decides what is overdue); what the public may see of a
//! page is `crate::domain::publication`'s rule, applied by the service.

use api::{CaseDetail, CaseSummary};
use time::Date;

use crate::clock;
use crate::domain::publication;
use crate::domain::records::{CaseFile, CaseListing};

/// A case as lists show it.
pub fn case_summary(listing: CaseListing, today: Date) -> CaseSummary {
    CaseSummary {
        overdue: publication::is_overdue(listing.status, listing.deadline, today),
        number: listing.number,
        kind: Some(listing.kind),
        category: listing.category,
        district: listing.district,
        title: listing.title,
        status: listing.status,
        department: listing.department,
        submitted_at: clock::rfc3339(listing.submitted_at),
        deadline: listing.deadline.map(clock::iso_date),
        replied_at: listing.replied_at.map(clock::rfc3339),
    }
}

/// Cases as lists show them, in the same order.
pub fn case_summaries(listings: Vec<CaseListing>, today: Date) -> Vec<CaseSummary> {
    listings
        .into_iter()
        .map(|listing| case_summary(listing, today))
        .collect()
}

/// A case's page as stored, with its owner's part when the file holds it.
pub fn case_detail(file: CaseFile, today: Date) -> CaseDetail {
    let timeline = publication::timeline(&file.events);
    let summary = case_summary(file.listing, today);
    let owner = file.owner.map(|owner| {
        let (name, phone) = owner.contact.unwrap_or_default();
        let rating = owner.rating.map(|(rating, comment, at)| api::RatingRecord {
            rating,
            comment,
            at: clock::rfc3339(at),
        });
        publication::owner_view(
            summary.status,
            api::Contact { name, phone },
            (file.publication, file.withheld_reason),
            rating,
            file.texts,
        )
    });
    CaseDetail {
        published: file.published,
        summary,
        place: file.place,
        description: file.description,
        submitter: file.submitter,
        timeline,
        reply: file.reply.map(|(at, department, text)| api::Reply {
            at: clock::rfc3339(at),
            department,
            text,
        }),
        owner,
    }
}
