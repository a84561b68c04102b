//! The platform's rules that a city may set differently.

use api::CaseKind;

/// Working days a department has to reply, by kind: a question is quick to answer, a
/// suggestion or a report needs looking into.
pub fn reply_working_days(kind: CaseKind) -> u32 {
    match kind {
        CaseKind::Consultation => 3,
        CaseKind::Help | CaseKind::Complaint | CaseKind::Praise => 5,
        CaseKind::Suggestion | CaseKind::Report => 10,
    }
}
