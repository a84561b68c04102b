//! The case being written: kept on the device as the person types, so a reload, a crash
//! or WeChat killing the page loses nothing, and carrying the one idempotency key that makes
//! sending it safe to retry.

use api::{CaseNumber, FieldErrors, NewCase};
use serde::{Deserialize, Serialize};

/// The localStorage key of the draft.
pub const DRAFT_KEY: &str = "civic.draft";
/// The localStorage key of the cases filed from this device.
pub const MY_CASES_KEY: &str = "civic.my_cases";

/// A case being written, with the key its submission will carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// What has been typed so far.
    pub case: NewCase,
    /// Sent as `Idempotency-Key`; the same for every retry of this draft.
    pub idempotency_key: String,
}

impl Draft {
    /// An empty draft with a fresh key. Texts are asked for by default: the phone is
    /// required anyway (the form offers them only where the server sends them).
    pub fn new(idempotency_key: String) -> Self {
        Self {
            case: NewCase {
                texts: true,
                ..NewCase::default()
            },
            idempotency_key,
        }
    }

    /// The draft stored as `json`, if it is one.
    pub fn from_json(json: &str) -> Option<Self> {
        crate::api::from_json(json)
            .filter(|d: &Draft| api::is_valid_idempotency_key(&d.idempotency_key))
    }

    /// The draft as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether nothing has been typed or chosen yet.
    pub fn is_blank(&self) -> bool {
        let c = &self.case;
        c.kind.is_none()
            && c.latitude.is_none()
            && c.photos.is_empty()
            && [
                &c.category,
                &c.district,
                &c.place,
                &c.title,
                &c.description,
                &c.contact.name,
                &c.contact.phone,
            ]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

/// Characters left before `max`; negative when over.
pub fn chars_left(text: &str, max: usize) -> i64 {
    max as i64 - api::validate::char_count(text) as i64
}

/// The form's fields in the order they appear, so the error summary lists them the same way.
pub const FIELD_ORDER: [&str; 12] = [
    "kind",
    "category",
    "district",
    "place",
    "title",
    "description",
    "photos",
    "contact.name",
    "contact.phone",
    "texts",
    "publish",
    "privacy_accepted",
];

/// The id of a field's input, which error-summary links point at.
pub fn field_id(field: &str) -> String {
    format!("field-{}", field.replace(['.', '_'], "-"))
}

/// The fields with errors, in `order` (a form's fields, top to bottom; others last, in name
/// order).
pub fn ordered_fields(errors: &FieldErrors, order: &[&str]) -> Vec<String> {
    let mut fields: Vec<String> = errors.fields().map(str::to_owned).collect();
    fields.sort_by_key(|f| {
        (
            order.iter().position(|o| o == f).unwrap_or(usize::MAX),
            f.clone(),
        )
    });
    fields
}

/// A case filed from this device: enough to track it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCase {
    /// The case number.
    pub number: CaseNumber,
    /// The tracking code, as shown once on the confirmation.
    pub tracking_code: String,
    /// The title, so the list is readable.
    pub title: String,
}

/// Reads the list of cases filed from this device.
pub fn my_cases_from_json(json: Option<&str>) -> Vec<MyCase> {
    json.and_then(crate::api::from_json).unwrap_or_default()
}

/// Puts `case` first in `list`, once.
pub fn remember(list: &mut Vec<MyCase>, case: MyCase) {
    list.retain(|c| c.number != case.number);
    list.insert(0, case);
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::{CaseKind, FieldErrorCode};

    #[test]
    fn a_draft_survives_its_own_storage_format() {
        let mut draft = Draft::new("draft-0123456789".into());
        assert!(draft.is_blank());
        draft.case.title = "夜间施工噪音 😀".into();
        draft.case.kind = Some(CaseKind::Complaint);
        assert!(!draft.is_blank());
        assert_eq!(Draft::from_json(&draft.to_json()), Some(draft));
        assert_eq!(Draft::from_json("{\"garbage\":1}"), None);
        assert_eq!(Draft::from_json("not json"), None);
        let mut located = Draft::new("draft-0123456789".into());
        located.case.latitude = Some(30.6);
        located.case.longitude = Some(104.0);
        assert!(!located.is_blank(), "a shared position is worth keeping");
    }

    #[test]
    fn characters_left_counts_characters_not_bytes() {
        assert_eq!(chars_left("噪音", 50), 48);
        assert_eq!(chars_left("😀😀", 2), 0);
        assert_eq!(chars_left("abc", 2), -1);
    }

    #[test]
    fn errors_are_listed_in_the_order_of_the_form() {
        let mut errors = FieldErrors::new();
        errors.add("privacy_accepted", FieldErrorCode::MustAccept, None);
        errors.add("contact.phone", FieldErrorCode::InvalidFormat, None);
        errors.add("kind", FieldErrorCode::Required, None);
        errors.add("zzz", FieldErrorCode::Required, None);
        assert_eq!(
            ordered_fields(&errors, &FIELD_ORDER),
            ["kind", "contact.phone", "privacy_accepted", "zzz"]
        );
        assert_eq!(field_id("contact.phone"), "field-contact-phone");
        assert_eq!(field_id("privacy_accepted"), "field-privacy-accepted");
    }

    #[test]
    fn my_cases_keep_the_newest_first_without_repeats() {
        let case = |n: &str| MyCase {
            number: CaseNumber::parse(n).unwrap(),
            tracking_code: "ABCD-EFGH-JKMN-PQRS".into(),
            title: "t".into(),
        };
        let mut list = my_cases_from_json(None);
        remember(&mut list, case("20261126-0001"));
        remember(&mut list, case("20261126-0002"));
        remember(&mut list, case("20261126-0001"));
        let numbers: Vec<_> = list.iter().map(|c| c.number.to_string()).collect();
        assert_eq!(numbers, ["20261126-0001", "20261126-0002"]);
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(my_cases_from_json(Some(&json)), list);
        assert!(my_cases_from_json(Some("[{]")).is_empty());
    }
}
