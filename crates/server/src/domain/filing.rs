//! Filing a case: the resident's [`NewCase`] parsed once into a [`ValidCase`] (checked
//! against the contract and the taxonomy, trimmed, the phone normalised), then a [`Filing`]
//! with what the server decides (when, the deadline, the tracking code's hash), which a
//! store turns into a stored case once it has given it a number.

use api::{CaseKind, CaseNumber, CaseStatus, FieldErrorCode, FieldErrors, Meta, NewCase};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::Date;

use std::sync::Arc;

use super::notify::{Notices, Outgoing, Recipient};
use super::records::{CaseExtras, CaseRecord, EventRecord, FiledCase};
use crate::clock;
use crate::rules::ReplyDays;

/// A case that passed every check; its text is trimmed and its phone normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCase {
    /// What the resident is doing.
    pub kind: CaseKind,
    /// A category code (a child, known to the taxonomy).
    pub category: String,
    /// A district code known to the taxonomy.
    pub district: String,
    /// The place in words.
    pub place: String,
    /// Latitude and longitude, when shared.
    pub coordinates: Option<(f64, f64)>,
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// Ids of photos uploaded beforehand.
    pub photos: Vec<String>,
    /// The submitter's name.
    pub name: String,
    /// The submitter's mobile number, eleven digits.
    pub phone: String,
    /// Whether the resident agreed to publish the case.
    pub publish: bool,
    /// Whether they asked for texts about it.
    pub texts: bool,
    /// The language they filed in.
    pub language: api::ContentLanguage,
}

impl ValidCase {
    /// Checks `case` against the contract's rules and `meta`'s codes, or names every field
    /// that breaks one.
    pub fn parse(case: &NewCase, meta: &Meta) -> Result<Self, FieldErrors> {
        let mut errors = case.validate().err().unwrap_or_default();
        case.validate_codes(meta, &mut errors);
        errors.into_result()?;
        // The contract's check reports a missing kind; this only keeps the type honest.
        let Some(kind) = case.kind else {
            let mut errors = FieldErrors::new();
            errors.add("kind", FieldErrorCode::Required, None);
            return Err(errors);
        };
        Ok(Self {
            kind,
            category: case.category.clone(),
            district: case.district.clone(),
            place: case.place.trim().to_owned(),
            coordinates: case.latitude.zip(case.longitude),
            title: case.title.trim().to_owned(),
            description: case.description.trim().to_owned(),
            photos: case.photos.clone(),
            name: case.contact.name.trim().to_owned(),
            phone: api::validate::normalize_mobile(&case.contact.phone)
                .unwrap_or_else(|| case.contact.phone.trim().to_owned()),
            publish: case.publish,
            texts: case.texts,
            language: case.language,
        })
    }
}

/// A valid case with what the server decided about it, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Filing {
    /// The case.
    pub case: ValidCase,
    /// When it was received, Unix seconds.
    pub submitted_at: i64,
    /// The reply deadline from the kind's rule.
    pub deadline: Date,
    /// The SHA-256 of the tracking code, hex.
    pub tracking_hash: String,
    /// The idempotency key and the hash of the request body it came with.
    pub idempotency: Option<(String, String)>,
    /// Who is told of the filing (nobody by default).
    pub notices: Arc<Notices>,
}

impl Filing {
    /// The filing of `case` received at `submitted_at`, whose tracking code is `code`.
    pub fn new(
        case: ValidCase,
        submitted_at: i64,
        reply_days: &ReplyDays,
        code: &str,
        idempotency: Option<(String, String)>,
    ) -> Self {
        Self {
            deadline: clock::add_working_days(
                clock::cst_date(submitted_at),
                reply_days.days(case.kind),
            ),
            case,
            submitted_at,
            // The code was just made, so it is canonical already.
            tracking_hash: code_hash(code)
                .unwrap_or_else(|| crate::hashing::hex_sha256(code.as_bytes())),
            idempotency,
            notices: Arc::default(),
        }
    }

    /// The same filing, telling those `notices` names.
    pub fn with_notices(self, notices: Arc<Notices>) -> Self {
        Self { notices, ..self }
    }

    /// The resident, as telling them needs: texts only when the server sends them.
    pub fn recipient(&self) -> Recipient {
        Recipient {
            language: self.case.language,
            texts: self.case.texts && self.notices.texts,
            contact: Some((self.case.name.clone(), self.case.phone.clone())),
        }
    }

    /// The messages filing it under `number` sends, written with the case.
    pub fn messages(&self, number: &CaseNumber) -> Vec<Outgoing> {
        self.notices
            .for_filing(number, &self.recipient(), self.submitted_at)
    }

    /// The filing day, `YYYYMMDD` in China Standard Time: the first part of the case number.
    pub fn day(&self) -> String {
        clock::compact_date(clock::cst_date(self.submitted_at))
    }

    /// The case as stored once it is given `number`.
    pub fn record(&self, number: CaseNumber) -> CaseRecord {
        let case = &self.case;
        CaseRecord {
            number,
            kind: case.kind,
            category: case.category.clone(),
            district: case.district.clone(),
            place: case.place.clone(),
            coordinates: case.coordinates,
            title: case.title.clone(),
            description: case.description.clone(),
            status: CaseStatus::Submitted,
            department: None,
            publication: api::PublicationState::on_filing(case.publish),
            contact: Some((case.name.clone(), case.phone.clone())),
            submitted_at: self.submitted_at,
            deadline: Some(self.deadline),
            reply: None,
            events: vec![EventRecord {
                at: self.submitted_at,
                status: CaseStatus::Submitted,
                department: None,
                note: None,
                rating: None,
                follow_up: false,
                action: None,
                actor: None,
            }],
            tracking_hash: self.tracking_hash.clone(),
            extras: CaseExtras {
                language: case.language,
                texts: self.recipient().texts,
                ..Default::default()
            },
        }
    }

    /// The stored facts of the receipt for this filing under `number`.
    pub fn filed(&self, number: CaseNumber) -> FiledCase {
        FiledCase {
            number,
            status: CaseStatus::Submitted,
            submitted_at: self.submitted_at,
            deadline: clock::iso_date(self.deadline),
        }
    }
}

/// How the public sees the submitter's name: its first character and two stars.
pub fn submitter_mask(contact: Option<&(String, String)>) -> Option<String> {
    contact.and_then(|(name, _)| api::validate::mask_name(name))
}

/// The tracking code of a filing: derived from the idempotency key with the server's secret
/// key, so a retry gets the same code without the code ever being stored; from `random`
/// bytes otherwise.
pub fn tracking_code(key: Option<&str>, filing_key: &[u8], random: [u8; 10]) -> String {
    let bytes = match key {
        Some(key) => {
            // HMAC takes a key of any length.
            let mut mac = Hmac::<Sha256>::new_from_slice(filing_key)
                .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
            mac.update(key.as_bytes());
            let mut bytes = [0u8; 10];
            bytes.copy_from_slice(&mac.finalize().into_bytes()[..10]);
            bytes
        }
        None => random,
    };
    api::tracking_code::encode(bytes)
}

/// A new filing's tracking code: from its idempotency `key` (see [`tracking_code`]), else
/// from the system's random number generator.
pub fn new_tracking_code(key: Option<&str>, filing_key: &[u8]) -> String {
    let mut random = [0u8; 10];
    if key.is_none() {
        getrandom::fill(&mut random).expect("the system's random number generator");
    }
    tracking_code(key, filing_key, random)
}

/// What identifies a filing request for its idempotency key: the case as sent, but for the
/// page's language and the choice of texts, so that a retry is the same case whatever the
/// page's language and whatever was chosen about texts by then (the earlier filing's
/// choice stands).
pub fn request_hash(case: &NewCase) -> String {
    let same = NewCase {
        texts: false,
        language: Default::default(),
        ..case.clone()
    };
    let body = serde_json::to_vec(&same).expect("a NewCase always serialises");
    crate::hashing::hex_sha256(&body)
}

/// The hash stored for a tracking code as a person typed it (any case, spaces or dashes);
/// `None` when the text cannot be a code.
pub fn code_hash(code: &str) -> Option<String> {
    api::tracking_code::normalize(code)
        .map(|canonical| crate::hashing::hex_sha256(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::Contact;

    fn meta() -> Meta {
        crate::taxonomy::chengdu().meta()
    }

    fn case() -> NewCase {
        let meta = meta();
        let category = meta
            .categories
            .iter()
            .find(|c| c.parent.is_some())
            .unwrap()
            .code
            .clone();
        NewCase {
            kind: Some(CaseKind::Complaint),
            category,
            district: meta.districts[0].code.clone(),
            place: "  科华北路 65 号  ".into(),
            latitude: None,
            longitude: None,
            title: "  夜间施工噪音扰民  ".into(),
            description: " 每晚十一点以后仍在施工，影响休息。 ".into(),
            photos: vec![],
            contact: Contact {
                name: " 张三 ".into(),
                phone: "+86 138-0013-8000".into(),
            },
            publish: true,
            privacy_accepted: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_case_is_trimmed_and_its_phone_normalised() {
        let valid = ValidCase::parse(&case(), &meta()).unwrap();
        assert_eq!(valid.place, "科华北路 65 号");
        assert_eq!(valid.title, "夜间施工噪音扰民");
        assert_eq!(valid.description, "每晚十一点以后仍在施工，影响休息。");
        assert_eq!(
            (valid.name.as_str(), valid.phone.as_str()),
            ("张三", "13800138000")
        );
    }

    #[test]
    fn every_broken_rule_is_named_by_its_field() {
        type Breaks = fn(&mut NewCase);
        let table: Vec<(Breaks, &str)> = vec![
            (|c| c.kind = None, "kind"),
            (|c| c.category = "no.such".into(), "category"),
            (|c| c.district = "atlantis".into(), "district"),
            (|c| c.title = " ".into(), "title"),
            (|c| c.contact.phone = "12345".into(), "contact.phone"),
            (|c| c.privacy_accepted = false, "privacy_accepted"),
            (|c| c.latitude = Some(100.0), "longitude"),
        ];
        for (break_it, field) in table {
            let mut broken = case();
            break_it(&mut broken);
            let errors = ValidCase::parse(&broken, &meta()).unwrap_err();
            // Named once: the contract's check and the taxonomy's never both report it.
            assert_eq!(errors.get(field).len(), 1, "{field}: {errors:?}");
        }
    }

    #[test]
    fn a_retry_is_the_same_request_whatever_its_language_and_texts() {
        type Changes = fn(&mut NewCase);
        let table: Vec<(Changes, bool)> = vec![
            (|_| {}, true),
            (|c| c.language = api::ContentLanguage::En, true),
            (|c| c.texts = !c.texts, true),
            (|c| c.title.push('!'), false),
            (|c| c.publish = !c.publish, false),
            (|c| c.contact.phone = "13900139000".into(), false),
            (|c| c.photos.push("upload-1".into()), false),
        ];
        let original = request_hash(&case());
        for (i, (change, same)) in table.into_iter().enumerate() {
            let mut changed = case();
            change(&mut changed);
            assert_eq!(request_hash(&changed) == original, same, "row {i}");
        }
    }

    #[test]
    fn a_filing_sets_the_deadline_by_kind_and_numbers_by_its_day_in_china() {
        let valid = ValidCase::parse(&case(), &meta()).unwrap();
        // 2026-11-26T16:30:00Z is Friday 27 November, 00:30 in Chengdu.
        let at = 1_795_710_600;
        let filing = Filing::new(
            valid,
            at,
            &ReplyDays::default(),
            "ABCD-EFGH-JKMN-PQRS",
            None,
        );
        assert_eq!(filing.day(), "20261127");
        // A complaint: five working days from Friday 27 November.
        assert_eq!(clock::iso_date(filing.deadline), "2026-12-04");
        let record = filing.record(CaseNumber::parse("20261127-0001").unwrap());
        assert_eq!(record.status, CaseStatus::Submitted);
        assert_eq!(record.events.len(), 1);
        assert_eq!(
            submitter_mask(record.contact.as_ref()).as_deref(),
            Some("张**")
        );
        assert_eq!(Some(record.tracking_hash), code_hash("abcd efgh jkmn pqrs"));
    }

    #[test]
    fn a_retried_key_gets_the_same_code_and_no_key_a_random_one() {
        let secret = b"server secret";
        let once = tracking_code(Some("draft-0001"), secret, [0; 10]);
        assert_eq!(once, tracking_code(Some("draft-0001"), secret, [7; 10]));
        assert_ne!(once, tracking_code(Some("draft-0002"), secret, [0; 10]));
        assert_ne!(
            once,
            tracking_code(Some("draft-0001"), b"other secret", [0; 10])
        );
        assert_ne!(
            tracking_code(None, secret, [1; 10]),
            tracking_code(None, secret, [2; 10])
        );
        assert!(code_hash(&once).is_some());
        assert_eq!(new_tracking_code(Some("draft-0001"), secret), once);
        assert_ne!(
            new_tracking_code(None, secret),
            new_tracking_code(None, secret)
        );
    }

    #[test]
    fn a_code_hashes_the_same_however_it_is_typed() {
        let hash = code_hash("ABCD-EFGH-JKMN-PQRS").unwrap();
        assert_eq!(code_hash("abcd efgh jkmn pqrs"), Some(hash));
        assert_eq!(code_hash("not a code"), None);
    }
}
