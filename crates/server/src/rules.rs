//! The platform's rules that a city may set differently.

use api::CaseKind;

/// Working days a department has to reply, by kind. The default: a question is quick to
/// answer (3), help, a complaint or praise takes 5, a suggestion or a report needs looking
/// into (10). A city sets its own with `--reply-days` / `CIVIC_REPLY_DAYS`, for example
/// `consultation=2,complaint=5`; kinds it does not name keep the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyDays([u32; CaseKind::ALL.len()]);

impl Default for ReplyDays {
    fn default() -> Self {
        Self(CaseKind::ALL.map(|kind| match kind {
            CaseKind::Consultation => 3,
            CaseKind::Help | CaseKind::Complaint | CaseKind::Praise => 5,
            CaseKind::Suggestion | CaseKind::Report => 10,
        }))
    }
}

/// The most working days a rule may give (a quarter of a year).
pub const REPLY_DAYS_MAX: u32 = 60;

impl ReplyDays {
    /// The working days to reply to a case of `kind`.
    pub fn days(&self, kind: CaseKind) -> u32 {
        let at = CaseKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        self.0[at]
    }

    /// Parses `kind=days` pairs separated by commas over the default rule; each kind code
    /// must be known and each number between 1 and [`REPLY_DAYS_MAX`].
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut rule = Self::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (code, days) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}` is not KIND=DAYS"))?;
            let kind = CaseKind::from_code(code.trim())
                .ok_or_else(|| format!("`{code}` is not a case kind"))?;
            let days: u32 = days
                .trim()
                .parse()
                .ok()
                .filter(|d| (1..=REPLY_DAYS_MAX).contains(d))
                .ok_or_else(|| format!("`{days}` is not 1 to {REPLY_DAYS_MAX} working days"))?;
            let at = CaseKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
            rule.0[at] = days;
        }
        Ok(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_rule_and_a_citys_own() {
        let default = ReplyDays::default();
        assert_eq!(default.days(CaseKind::Consultation), 3);
        assert_eq!(default.days(CaseKind::Complaint), 5);
        assert_eq!(default.days(CaseKind::Report), 10);
        assert_eq!(ReplyDays::parse("").unwrap(), default);
        let own = ReplyDays::parse(" consultation=2, report = 15 ").unwrap();
        assert_eq!(own.days(CaseKind::Consultation), 2);
        assert_eq!(own.days(CaseKind::Report), 15);
        assert_eq!(own.days(CaseKind::Complaint), 5);
        for bad in [
            "consultation",
            "nonsense=3",
            "complaint=0",
            "complaint=61",
            "complaint=-1",
            "complaint=x",
        ] {
            assert!(ReplyDays::parse(bad).is_err(), "{bad}");
        }
    }
}
