//! Who is told what when a case moves: the resident's text messages and the events for the
//! city's other systems, as plain values a store writes into the outbox in the change's own
//! transaction (`crate::outbox` delivers them). Also the delivery's retry rule.
//!
//! A text names the case number and the track page's address, never the tracking code nor
//! a link carrying it; an event carries the resident's contact only for a receiver the city
//! trusts with it (`--events-include-contact`).

use std::collections::BTreeMap;

use api::{ActionKind, CaseNumber, CaseStatus, ContentLanguage, PublicationState, Term};
use serde::Serialize;

use super::{CaseState, Change};
use crate::clock;

/// What this server tells, and how it writes texts: built once from the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notices {
    /// Residents who ask get texts (an SMS gateway is configured).
    pub texts: bool,
    /// The city's systems get events (an events receiver is configured).
    pub events: bool,
    /// The events receiver is trusted with the resident's name and phone.
    pub events_contact: bool,
    /// The public address of the app, without a final `/` (`https://12345.example.gov.cn`):
    /// texts link to its track page.
    pub site: String,
    /// The departments' names, for texts that say who handles a case.
    pub departments: Vec<Term>,
}

/// Who a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Receiver {
    /// The city's SMS gateway, which texts the resident.
    Sms,
    /// The city's work-order and hotline systems.
    Events,
}

impl Receiver {
    /// Both receivers.
    pub const ALL: [Receiver; 2] = [Receiver::Sms, Receiver::Events];

    /// The code stored in the outbox and used on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Events => "events",
        }
    }

    /// The receiver whose code is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A message about a case, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Its id, 32 hex digits; it travels with the message (in the body and a header).
    pub id: String,
    /// Who it goes to.
    pub receiver: Receiver,
    /// The SMS template or the event type (`case_replied`, `case.status_changed`).
    pub topic: String,
    /// The JSON body sent, as text.
    pub body: String,
}

/// What the rules need to know of a case's resident to tell them and the city's systems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipient {
    /// The language they filed in.
    pub language: ContentLanguage,
    /// Whether they asked for texts (and have not stopped them).
    pub texts: bool,
    /// Their name and phone; `None` for an anonymous hotline case.
    pub contact: Option<(String, String)>,
}

/// The texts a resident can get, one per kind of move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Accepted, with the reply deadline.
    Accepted,
    /// Not accepted, with the reason.
    Rejected,
    /// Handed to a department.
    Assigned,
    /// Handed on to another department.
    Transferred,
    /// Its deadline extended.
    Extended,
    /// Answered: read and rate the reply.
    Replied,
    /// Closed (by the centre, or by itself when the reply went unrated).
    Closed,
    /// Reviewed and published.
    Published,
    /// Reviewed and kept private.
    Withheld,
}

impl Template {
    /// Every template.
    pub const ALL: [Template; 9] = [
        Self::Accepted,
        Self::Rejected,
        Self::Assigned,
        Self::Transferred,
        Self::Extended,
        Self::Replied,
        Self::Closed,
        Self::Published,
        Self::Withheld,
    ];

    /// The template code a gateway with registered templates uses (短信模板).
    pub fn code(self) -> &'static str {
        match self {
            Self::Accepted => "case_accepted",
            Self::Rejected => "case_rejected",
            Self::Assigned => "case_assigned",
            Self::Transferred => "case_transferred",
            Self::Extended => "case_extended",
            Self::Replied => "case_replied",
            Self::Closed => "case_closed",
            Self::Published => "case_published",
            Self::Withheld => "case_withheld",
        }
    }

    /// The text with `{name}` placeholders, in `language`. The gateway adds the city's
    /// registered signature (【…12345】), as Chinese SMS rules require.
    fn pattern(self, language: ContentLanguage) -> &'static str {
        use ContentLanguage::{En, ZhCn};
        match (self, language) {
            (Self::Accepted, ZhCn) => {
                "您的诉求{number}已受理，将于{deadline}前答复。查看进度：{url}"
            }
            (Self::Accepted, En) => {
                "Your case {number} was accepted; a reply is due by {deadline}. Track it: {url}"
            }
            (Self::Rejected, ZhCn) => "您的诉求{number}未予受理，原因：{reason}。详情：{url}",
            (Self::Rejected, En) => "Your case {number} was not accepted: {reason}. Details: {url}",
            (Self::Assigned, ZhCn) => "您的诉求{number}已交{department}办理。查看进度：{url}",
            (Self::Assigned, En) => "Your case {number} is now with {department}. Track it: {url}",
            (Self::Transferred, ZhCn) => "您的诉求{number}已转由{department}办理。查看进度：{url}",
            (Self::Transferred, En) => {
                "Your case {number} was passed to {department}. Track it: {url}"
            }
            (Self::Extended, ZhCn) => "您的诉求{number}办理期限延长至{deadline}。查看进度：{url}",
            (Self::Extended, En) => {
                "The reply to your case {number} is now due by {deadline}. Track it: {url}"
            }
            (Self::Replied, ZhCn) => "您的诉求{number}已答复，请查看并评价：{url}",
            (Self::Replied, En) => "Your case {number} has a reply. Read and rate it: {url}",
            (Self::Closed, ZhCn) => "您的诉求{number}已办结。详情：{url}",
            (Self::Closed, En) => "Your case {number} is closed. Details: {url}",
            (Self::Published, ZhCn) => "您的诉求{number}经审核已公开。详情：{url}",
            (Self::Published, En) => "Your case {number} was reviewed and is now public: {url}",
            (Self::Withheld, ZhCn) => "您的诉求{number}经审核未予公开，原因见：{url}",
            (Self::Withheld, En) => {
                "Your case {number} was reviewed and kept private; see why: {url}"
            }
        }
    }
}

/// At most this many SMS segments per text (a longer reason is shortened to fit).
pub const MAX_SEGMENTS: usize = 2;

/// The GSM 03.38 basic alphabet; a text of these alone goes 160 to a segment.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The GSM 03.38 extension characters, two septets each.
const GSM_EXTENSION: &str = "^{}\\[~]|€\u{000C}";

/// How many SMS segments `text` takes: GSM-7 (160 alone, 153 a part) when every character
/// is in the GSM alphabet, UCS-2 (70 alone, 67 a part, in UTF-16 units) otherwise.
pub fn segments(text: &str) -> usize {
    let septets: Option<usize> = text
        .chars()
        .map(|c| {
            if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENSION.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (length, single, part) = match septets {
        Some(septets) => (septets, 160, 153),
        None => (text.encode_utf16().count(), 70, 67),
    };
    if length <= single {
        1
    } else {
        length.div_ceil(part)
    }
}

/// The text of `template` in `language` with `params`, within [`MAX_SEGMENTS`]: a long
/// `reason` is shortened with an ellipsis until it fits.
pub fn render(
    template: Template,
    language: ContentLanguage,
    params: &BTreeMap<&'static str, String>,
) -> String {
    let fill = |params: &BTreeMap<&'static str, String>| {
        params.iter().fold(
            template.pattern(language).to_owned(),
            |text, (key, value)| text.replace(&format!("{{{key}}}"), value),
        )
    };
    let mut text = fill(params);
    if let Some(reason) = params.get("reason") {
        let mut shortened = params.clone();
        let mut chars: Vec<char> = reason.chars().collect();
        while segments(&text) > MAX_SEGMENTS && !chars.is_empty() {
            chars.pop();
            let cut: String = chars.iter().collect();
            shortened.insert("reason", format!("{}…", cut.trim_end()));
            text = fill(&shortened);
        }
    }
    text
}

/// The track page of case `number` on `site`: the number only, never the tracking code.
pub fn track_url(site: &str, number: &CaseNumber) -> String {
    format!("{site}/track?number={}", number.as_str())
}

/// The body an SMS gateway receives.
#[derive(Debug, Serialize)]
struct SmsBody<'a> {
    id: &'a str,
    phone: &'a str,
    template: &'static str,
    params: &'a BTreeMap<&'static str, String>,
    language: &'static str,
    text: &'a str,
}

/// The body the city's systems receive (documented in the README).
#[derive(Debug, Serialize)]
struct EventBody<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    number: &'a str,
    status: CaseStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_status: Option<CaseStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department: Option<&'a str>,
    at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rating: Option<api::Rating>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<api::Contact>,
}

/// A new message id: 128 random bits in hex.
pub fn message_id() -> String {
    let mut bytes = [0u8; 16];
    // A failing system random source leaves a time-derived id, still unique enough to
    // deduplicate by; it never stops a change.
    if getrandom::fill(&mut bytes).is_err() {
        bytes[..16].copy_from_slice(&clock::now_millis().to_le_bytes().repeat(2));
    }
    crate::hashing::hex(&bytes)
}

/// One change or filing, as the composers see it.
struct Moment<'a> {
    number: &'a CaseNumber,
    recipient: &'a Recipient,
    status: CaseStatus,
    previous: Option<CaseStatus>,
    department: Option<&'a str>,
    at: i64,
}

impl Notices {
    /// The messages that filing case `number` sends: `case.filed` to the city's systems.
    pub fn for_filing(
        &self,
        number: &CaseNumber,
        recipient: &Recipient,
        submitted_at: i64,
    ) -> Vec<Outgoing> {
        let moment = Moment {
            number,
            recipient,
            status: CaseStatus::Submitted,
            previous: None,
            department: None,
            at: submitted_at,
        };
        self.event("case.filed", &moment, None)
            .into_iter()
            .collect()
    }

    /// `decision` about case `number` in `state`, with the messages it sends when it is a
    /// change: how every rule's outcome is told (see `crate::service`).
    pub fn tell(
        &self,
        number: &CaseNumber,
        state: &CaseState,
        decision: Result<Change, super::Refusal>,
    ) -> Result<Change, super::Refusal> {
        decision.map(|change| Change {
            outbox: self.for_change(number, state, &change),
            ..change
        })
    }

    /// The messages that `change` of case `number`, in `state` before it, sends: a text to
    /// a resident who asked for them, and an event when the case's status or department
    /// changed, it was rated or followed up.
    pub fn for_change(
        &self,
        number: &CaseNumber,
        state: &CaseState,
        change: &Change,
    ) -> Vec<Outgoing> {
        let moment = Moment {
            number,
            recipient: &state.recipient,
            status: change.status,
            previous: Some(state.status),
            department: change.department.as_deref(),
            at: change.event.at,
        };
        let kind = if change.rating.is_some() {
            Some("case.rated")
        } else if change.event.follow_up {
            Some("case.followed_up")
        } else if change.status != state.status || change.department != state.department {
            Some("case.status_changed")
        } else {
            None
        };
        let rating = change.rating.as_ref().map(|(rating, _)| *rating);
        let mut messages: Vec<Outgoing> = kind
            .and_then(|kind| self.event(kind, &moment, rating))
            .into_iter()
            .collect();
        if let Some(template) = template_for(state, change) {
            messages.extend(self.text(template, &moment, change));
        }
        messages
    }

    /// The event `kind`, when the city's systems get events.
    fn event(
        &self,
        kind: &'static str,
        moment: &Moment<'_>,
        rating: Option<api::Rating>,
    ) -> Option<Outgoing> {
        if !self.events {
            return None;
        }
        let id = message_id();
        let contact = moment
            .recipient
            .contact
            .as_ref()
            .filter(|_| self.events_contact)
            .map(|(name, phone)| api::Contact {
                name: name.clone(),
                phone: phone.clone(),
            });
        let body = EventBody {
            id: &id,
            kind,
            number: moment.number.as_str(),
            status: moment.status,
            previous_status: moment.previous,
            department: moment.department,
            at: clock::rfc3339(moment.at),
            rating,
            contact,
        };
        Some(Outgoing {
            body: serde_json::to_string(&body).ok()?,
            id,
            receiver: Receiver::Events,
            topic: kind.to_owned(),
        })
    }

    /// The text `template`, when texts are sent and the resident asked for them.
    fn text(&self, template: Template, moment: &Moment<'_>, change: &Change) -> Option<Outgoing> {
        let recipient = moment.recipient;
        let (_, phone) = recipient
            .contact
            .as_ref()
            .filter(|_| self.texts && recipient.texts)?;
        let language = recipient.language;
        let mut params = BTreeMap::new();
        params.insert("number", moment.number.as_str().to_owned());
        params.insert("url", track_url(&self.site, moment.number));
        match template {
            Template::Accepted | Template::Extended => {
                params.insert("deadline", change.deadline.map(clock::iso_date)?);
            }
            Template::Assigned | Template::Transferred => {
                let code = moment.department?;
                let name = self
                    .departments
                    .iter()
                    .find(|d| d.code == code)
                    .map_or(code, |d| d.name.get(language.tag()));
                params.insert("department", name.to_owned());
            }
            Template::Rejected => {
                // The template ends the sentence itself.
                let reason = change.event.note.as_deref().unwrap_or_default();
                let reason = reason.trim_end_matches(['.', '。', '!', '！', ';', '；', ' ']);
                params.insert("reason", reason.to_owned());
            }
            Template::Replied | Template::Closed | Template::Published | Template::Withheld => {}
        }
        let text = render(template, language, &params);
        let id = message_id();
        let body = SmsBody {
            id: &id,
            phone,
            template: template.code(),
            params: &params,
            language: language.tag(),
            text: &text,
        };
        Some(Outgoing {
            body: serde_json::to_string(&body).ok()?,
            id,
            receiver: Receiver::Sms,
            topic: template.code().to_owned(),
        })
    }
}

/// The text a resident gets for `change` of a case in `state`, if any: the centre's and the
/// departments' moves and the review tell them; their own rating and follow-up do not.
pub fn template_for(state: &CaseState, change: &Change) -> Option<Template> {
    if let Some(publication) = &change.publication {
        return match publication.state {
            PublicationState::Published => Some(Template::Published),
            PublicationState::Withheld => Some(Template::Withheld),
            PublicationState::Private | PublicationState::AwaitingReview => None,
        };
    }
    match change.event.action {
        Some(ActionKind::Accept) => Some(Template::Accepted),
        Some(ActionKind::Reject) => Some(Template::Rejected),
        Some(ActionKind::Assign) => Some(Template::Assigned),
        Some(ActionKind::Transfer) => Some(Template::Transferred),
        Some(ActionKind::Extend) => Some(Template::Extended),
        Some(ActionKind::Reply) => Some(Template::Replied),
        Some(ActionKind::Close) => Some(Template::Closed),
        Some(ActionKind::Start | ActionKind::RequestTransfer | ActionKind::Review) => None,
        // The system's own move: the unrated reply closed by itself.
        None => (change.status == CaseStatus::Closed
            && state.status != CaseStatus::Closed
            && change.rating.is_none()
            && !change.event.follow_up)
            .then_some(Template::Closed),
    }
}

/// How a delivery is retried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryRule {
    /// The first delay, in milliseconds; each next one doubles, up to an hour.
    pub base_ms: u64,
    /// Tries in all before a message becomes a dead letter.
    pub tries: u32,
}

/// The longest wait between two tries.
pub const MAX_RETRY_DELAY_MS: u64 = 3_600_000;

impl RetryRule {
    /// After the `attempts`-th failed try: the wait before the next one, or `None` when the
    /// tries are used up (a dead letter). The wait is exponential with "equal jitter": half
    /// of it fixed, half spread by `jitter` (from 0 to 1), so receivers that come back are
    /// not hit by every process at once.
    pub fn after_failure(&self, attempts: u32, jitter: f64) -> Option<u64> {
        if attempts >= self.tries {
            return None;
        }
        let doublings = attempts.saturating_sub(1).min(40);
        let delay = self
            .base_ms
            .saturating_mul(1u64 << doublings)
            .min(MAX_RETRY_DELAY_MS);
        let spread = (delay as f64 / 2.0 * jitter.clamp(0.0, 1.0)) as u64;
        Some(delay / 2 + spread)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle;
    use crate::domain::records::EventRecord;
    use api::{CaseKind, StaffAction};

    fn notices() -> Notices {
        let meta = crate::taxonomy::chengdu().meta();
        Notices {
            texts: true,
            events: true,
            events_contact: false,
            site: "https://12345.chengdu.gov.cn".into(),
            departments: meta.departments,
        }
    }

    fn number() -> CaseNumber {
        CaseNumber::parse("20261206-0042").unwrap()
    }

    fn state(status: CaseStatus, language: ContentLanguage, texts: bool) -> CaseState {
        CaseState {
            kind: CaseKind::Complaint,
            status,
            department: Some("housing".into()),
            deadline: Some(time::macros::date!(2026 - 12 - 14)),
            extended: false,
            replied_at: None,
            rating: None,
            publication: PublicationState::Private,
            recipient: Recipient {
                language,
                texts,
                contact: Some(("张三".into(), "13800138000".into())),
            },
        }
    }

    fn json(message: &Outgoing) -> serde_json::Value {
        serde_json::from_str(&message.body).unwrap()
    }

    #[test]
    fn each_move_texts_the_resident_in_their_language_without_the_tracking_code() {
        use ActionKind as A;
        let at = 1_765_000_000;
        // (status before, action, template, words the Chinese and English texts hold)
        let table: &[(CaseStatus, StaffAction, Template, &str, &str)] = &[
            (
                CaseStatus::Submitted,
                StaffAction::Accept,
                Template::Accepted,
                "已受理",
                "accepted",
            ),
            (
                CaseStatus::Submitted,
                StaffAction::Reject {
                    reason: "不属于受理范围。".into(),
                },
                Template::Rejected,
                "不属于受理范围",
                "not accepted",
            ),
            (
                CaseStatus::Accepted,
                StaffAction::Assign {
                    department: "transport".into(),
                },
                Template::Assigned,
                "交通运输局",
                "Transport",
            ),
            (
                CaseStatus::Assigned,
                StaffAction::Extend {
                    working_days: 5,
                    reason: "需现场核实".into(),
                },
                Template::Extended,
                "延长至",
                "due by",
            ),
            (
                CaseStatus::InProgress,
                StaffAction::Reply {
                    text: "已处理".into(),
                },
                Template::Replied,
                "评价",
                "rate",
            ),
        ];
        for (status, action, template, zh, en) in table {
            assert_eq!(action.kind() == A::Accept, *template == Template::Accepted);
            for (language, word) in [(ContentLanguage::ZhCn, zh), (ContentLanguage::En, en)] {
                let before = state(*status, language, true);
                let change = lifecycle::apply(&before, action, at).unwrap();
                let messages = notices().for_change(&number(), &before, &change);
                let text = messages
                    .iter()
                    .find(|m| m.receiver == Receiver::Sms)
                    .unwrap_or_else(|| panic!("{template:?} texts"));
                assert_eq!(text.topic, template.code());
                let body = json(text);
                let words = body["text"].as_str().unwrap();
                assert!(words.contains(word), "{words}");
                assert!(words.contains("20261206-0042"), "{words}");
                assert!(words.contains("https://12345.chengdu.gov.cn/track?number=20261206-0042"));
                assert!(!words.to_lowercase().contains("code"), "{words}");
                assert_eq!(body["phone"], "13800138000");
                assert_eq!(body["language"], language.tag());
                assert_eq!(body["id"], text.id.as_str());
                assert!(segments(words) <= MAX_SEGMENTS, "{words}");
                assert!(!words.contains("。。") && !words.contains(".."), "{words}");
            }
        }
    }

    #[test]
    fn no_text_unless_asked_for_and_a_gateway_is_configured() {
        let action = StaffAction::Accept;
        for (gateway, asked, texts) in [(true, true, 1), (true, false, 0), (false, true, 0)] {
            let before = state(CaseStatus::Submitted, ContentLanguage::ZhCn, asked);
            let change = lifecycle::apply(&before, &action, 1).unwrap();
            let notices = Notices {
                texts: gateway,
                ..notices()
            };
            let sent = notices.for_change(&number(), &before, &change);
            let count = sent.iter().filter(|m| m.receiver == Receiver::Sms).count();
            assert_eq!(count, texts, "gateway {gateway}, asked {asked}");
        }
    }

    #[test]
    fn events_name_the_move_and_carry_the_contact_only_for_a_trusted_receiver() {
        let before = state(CaseStatus::Submitted, ContentLanguage::ZhCn, false);
        let change = lifecycle::apply(&before, &StaffAction::Accept, 1_765_000_000).unwrap();
        for trusted in [false, true] {
            let notices = Notices {
                events_contact: trusted,
                ..notices()
            };
            let sent = notices.for_change(&number(), &before, &change);
            let [event] = sent.as_slice() else {
                panic!("one event: {sent:?}")
            };
            let body = json(event);
            assert_eq!(body["type"], "case.status_changed");
            assert_eq!(body["status"], "accepted");
            assert_eq!(body["previous_status"], "submitted");
            assert_eq!(body["at"], "2025-12-06T13:46:40+08:00");
            assert_eq!(
                event.body.contains("13800138000"),
                trusted,
                "{}",
                event.body
            );
            assert_eq!(body["contact"].is_object(), trusted);
        }
        let filed = notices().for_filing(&number(), &before.recipient, 1_765_000_000);
        assert_eq!(json(&filed[0])["type"], "case.filed");
        assert!(!filed[0].body.contains("13800138000"));
    }

    #[test]
    fn ratings_follow_ups_and_the_automatic_close_are_told_as_such() {
        let mut replied = state(CaseStatus::Replied, ContentLanguage::ZhCn, true);
        replied.replied_at = Some(100);
        let rated =
            crate::domain::owner::rate(&replied, api::Rating::Satisfied, None, 200).unwrap();
        let sent = notices().for_change(&number(), &replied, &rated);
        let kinds: Vec<&str> = sent.iter().map(|m| m.topic.as_str()).collect();
        assert_eq!(
            kinds,
            ["case.rated"],
            "the resident is not texted about their own rating"
        );
        assert_eq!(json(&sent[0])["rating"], "satisfied");

        let closed = lifecycle::auto_close(&replied, 150, 200).unwrap();
        let kinds: Vec<String> = notices()
            .for_change(&number(), &replied, &closed)
            .into_iter()
            .map(|m| m.topic)
            .collect();
        assert_eq!(kinds, ["case.status_changed", "case_closed"]);

        let started = lifecycle::apply(
            &state(CaseStatus::Assigned, ContentLanguage::ZhCn, true),
            &StaffAction::Start,
            1,
        )
        .unwrap();
        let before = state(CaseStatus::Assigned, ContentLanguage::ZhCn, true);
        let kinds: Vec<String> = notices()
            .for_change(&number(), &before, &started)
            .into_iter()
            .map(|m| m.topic)
            .collect();
        assert_eq!(kinds, ["case.status_changed"], "starting work texts no one");
        let note = Change {
            event: EventRecord {
                follow_up: true,
                ..started.event.clone()
            },
            ..started
        };
        assert_eq!(
            notices().for_change(&number(), &before, &note)[0].topic,
            "case.followed_up"
        );
    }

    #[test]
    fn segments_count_gsm_and_ucs2_texts() {
        let table: &[(&str, usize)] = &[
            ("", 1),
            (&"a".repeat(160), 1),
            (&"a".repeat(161), 2),
            (&"a".repeat(306), 2),
            (&"a".repeat(307), 3),
            (&"{".repeat(80), 1),
            (&"{".repeat(81), 2),
            (&"字".repeat(70), 1),
            (&"字".repeat(71), 2),
            (&"字".repeat(134), 2),
            (&"字".repeat(135), 3),
            (&format!("{}é", "a".repeat(159)), 1),
            (&format!("{}’", "a".repeat(69)), 1),
            (&format!("{}’", "a".repeat(70)), 2),
        ];
        for (text, expected) in table {
            assert_eq!(segments(text), *expected, "{} chars", text.chars().count());
        }
    }

    #[test]
    fn a_long_reason_is_shortened_to_fit_two_segments_in_both_languages() {
        for language in [ContentLanguage::ZhCn, ContentLanguage::En] {
            for template in Template::ALL {
                let mut params = BTreeMap::new();
                params.insert("number", "20261206-9999".to_owned());
                params.insert(
                    "url",
                    "https://wlwz.chengdu.gov.cn/track?number=20261206-9999".to_owned(),
                );
                params.insert("deadline", "2026-12-31".to_owned());
                // Each text carries the department's name in its own language.
                let department = match language {
                    ContentLanguage::ZhCn => "成都市住房和城乡建设局",
                    ContentLanguage::En => {
                        "Municipal Bureau of Housing and Urban-Rural Development"
                    }
                };
                params.insert("department", department.to_owned());
                params.insert("reason", "诉求内容不属于本平台受理范围".repeat(20));
                let text = render(template, language, &params);
                assert!(segments(&text) <= MAX_SEGMENTS, "{template:?}: {text}");
                assert!(!text.contains('{'), "{template:?}: {text}");
            }
        }
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter_then_stop() {
        let rule = RetryRule {
            base_ms: 5_000,
            tries: 5,
        };
        // (failed tries so far, jitter, wait)
        let table: &[(u32, f64, Option<u64>)] = &[
            (1, 0.0, Some(2_500)),
            (1, 1.0, Some(5_000)),
            (2, 0.0, Some(5_000)),
            (2, 0.5, Some(7_500)),
            (3, 1.0, Some(20_000)),
            (4, 0.0, Some(20_000)),
            (5, 0.0, None),
            (9, 0.0, None),
        ];
        for (attempts, jitter, wait) in table {
            assert_eq!(
                rule.after_failure(*attempts, *jitter),
                *wait,
                "{attempts} {jitter}"
            );
        }
        let long = RetryRule {
            base_ms: 5_000,
            tries: 100,
        };
        assert_eq!(long.after_failure(60, 1.0), Some(MAX_RETRY_DELAY_MS));
    }

    #[test]
    fn receivers_round_trip_their_codes() {
        for receiver in Receiver::ALL {
            assert_eq!(Receiver::from_code(receiver.code()), Some(receiver));
        }
        assert_eq!(Receiver::from_code("email"), None);
    }
}
