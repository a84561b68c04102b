//! The contract's promises, checked without a server: every wire type survives a JSON round
//! trip, and every validation rule accepts and rejects what it says it does.

use api::limits::*;
use api::validate::{char_count, mask_name, normalize_mobile, page_limit, search_query};
use api::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T) {
    let json = serde_json::to_string(&value).expect("serialises");
    let back: T = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, value, "round trip through {json}");
}

fn summary() -> CaseSummary {
    CaseSummary {
        number: CaseNumber::parse("20261126-0042").unwrap(),
        kind: Some(CaseKind::Complaint),
        category: "environment.noise".into(),
        district: "wuhou".into(),
        title: "夜间施工噪音扰民".into(),
        status: CaseStatus::Replied,
        department: Some("ecology".into()),
        submitted_at: "2026-11-26T09:30:00+08:00".into(),
        deadline: Some("2026-12-03".into()),
        replied_at: Some("2026-11-30T16:00:00+08:00".into()),
        overdue: false,
    }
}

fn valid_case() -> NewCase {
    NewCase {
        kind: Some(CaseKind::Complaint),
        category: "environment.noise".into(),
        district: "wuhou".into(),
        place: "武侯区人民南路四段".into(),
        latitude: Some(30.62),
        longitude: Some(104.07),
        title: "夜间施工噪音扰民".into(),
        description: "每晚十一点以后工地仍在施工，噪音很大，影响休息。".into(),
        photos: vec!["0123456789abcdef0123456789abcdef".into()],
        contact: Contact {
            name: "张三".into(),
            phone: "13800138000".into(),
        },
        publish: true,
        privacy_accepted: true,
        ..Default::default()
    }
}

#[test]
fn every_wire_type_survives_a_json_round_trip() {
    let text = LocalizedText::new("武侯区", "Wuhou District");
    round_trip(text.clone());
    round_trip(Meta {
        districts: vec![Term {
            code: "wuhou".into(),
            name: text.clone(),
        }],
        departments: vec![Term {
            code: "ecology".into(),
            name: text.clone(),
        }],
        categories: vec![
            Category {
                code: "environment".into(),
                parent: None,
                name: text.clone(),
            },
            Category {
                code: "environment.noise".into(),
                parent: Some("environment".into()),
                name: text.clone(),
            },
        ],
        kinds: CaseKind::ALL
            .iter()
            .map(|&code| KindTerm {
                code,
                name: code.name(),
            })
            .collect(),
        statuses: CaseStatus::ALL
            .iter()
            .map(|&code| StatusTerm {
                code,
                name: code.name(),
            })
            .collect(),
        hotline: "12345".into(),
        texts: false,
    });
    round_trip(summary());
    round_trip(detail());
    round_trip(NewRating {
        tracking_code: "ABCD-EFGH-JKMN-PQRS".into(),
        rating: Some(Rating::BasicallySatisfied),
        comment: String::new(),
    });
    round_trip(NewFollowUp {
        tracking_code: "ABCD-EFGH-JKMN-PQRS".into(),
        text: "噪音仍然存在，请再次处理".into(),
    });
    round_trip(Page {
        items: vec![summary()],
        next_cursor: Some("abc".into()),
    });
    round_trip(Page::<CaseSummary>::empty());
    round_trip(valid_case());
    let doc = DocumentSummary {
        id: 7,
        title: "成都市住房公积金管理办法".into(),
        number: Some("成府发〔2026〕12号".into()),
        agency: "housing".into(),
        doc_type: DocumentType::Normative,
        topic: "housing".into(),
        issued_on: "2026-01-05".into(),
        published_on: "2026-01-06".into(),
        validity: Validity::Amended,
        language: ContentLanguage::ZhCn,
        highlight: None,
    };
    round_trip(doc.clone());
    round_trip(DocumentSummary {
        highlight: Some(Highlight {
            title: vec![Span { start: 3, end: 6 }],
            excerpt: Some("……住房公积金缴存……".into()),
            excerpt_marks: vec![Span { start: 4, end: 7 }],
        }),
        ..doc.clone()
    });
    round_trip(Document {
        summary: doc,
        effective_on: Some("2026-02-01".into()),
        replaced_by: Some(9),
        interprets: None,
        interpretations: vec![11, 12],
        replaces: vec![3],
        body: vec![
            Block::Heading {
                text: "第一章".into(),
            },
            Block::Paragraph {
                text: "见市政府网站".into(),
                links: vec![api::Link {
                    start: 1,
                    end: 6,
                    href: "https://www.chengdu.gov.cn/".into(),
                }],
            },
            Block::Table {
                head: vec!["事项".into(), "时限".into()],
                rows: vec![vec!["咨询".into(), "5个工作日".into()]],
            },
            Block::List {
                ordered: true,
                items: vec!["一".into(), "二".into()],
            },
        ],
        attachments: vec![Attachment {
            name: "附件1：申请表.pdf".into(),
            media_type: "application/pdf".into(),
            bytes: 1234,
            url: "/api/v1/documents/7/attachments/1".into(),
        }],
    });
    let announcement = AnnouncementSummary {
        id: 3,
        title: "Notice".into(),
        agency: "office".into(),
        published_at: "2026-11-20T10:00:00+08:00".into(),
        pinned: true,
        language: ContentLanguage::En,
        highlight: None,
    };
    round_trip(Announcement {
        summary: announcement,
        body: vec![],
    });
    let mut errors = FieldErrors::new();
    errors.add("title", FieldErrorCode::TooLong, Some(50));
    round_trip(errors.into_body());
    round_trip(ErrorBody::new(ErrorCode::NotFound, "nothing here"));
}

#[test]
fn enums_use_their_documented_codes_on_the_wire() {
    for kind in CaseKind::ALL {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
        assert_eq!(CaseKind::from_code(kind.code()), Some(kind));
    }
    for status in CaseStatus::ALL {
        assert_eq!(serde_json::to_value(status).unwrap(), status.code());
        assert_eq!(CaseStatus::from_code(status.code()), Some(status));
    }
    for t in DocumentType::ALL {
        assert_eq!(serde_json::to_value(t).unwrap(), t.code());
        assert_eq!(DocumentType::from_code(t.code()), Some(t));
    }
    for v in Validity::ALL {
        assert_eq!(serde_json::to_value(v).unwrap(), v.code());
        assert_eq!(Validity::from_code(v.code()), Some(v));
    }
    assert_eq!(
        serde_json::to_value(ContentLanguage::ZhCn).unwrap(),
        "zh-CN"
    );
    assert_eq!(
        serde_json::to_value(ErrorCode::ValidationFailed).unwrap(),
        "validation_failed"
    );
}

#[test]
fn error_codes_map_to_their_http_statuses() {
    let table = [
        (ErrorCode::BadRequest, 400),
        (ErrorCode::Unauthorized, 401),
        (ErrorCode::NotFound, 404),
        (ErrorCode::MethodNotAllowed, 405),
        (ErrorCode::Conflict, 409),
        (ErrorCode::PayloadTooLarge, 413),
        (ErrorCode::UnsupportedMediaType, 415),
        (ErrorCode::ValidationFailed, 422),
        (ErrorCode::RateLimited, 429),
        (ErrorCode::Internal, 500),
        (ErrorCode::Unavailable, 503),
    ];
    for (code, status) in table {
        assert_eq!(code.http_status(), status, "{code:?}");
    }
}

#[test]
fn case_numbers_are_parsed_strictly() {
    let table = [
        ("20261126-0042", true),
        ("  20261126-0042 ", true),
        ("20261126-123456", true),
        ("20261126-42", false),
        ("20261126-1234567", false),
        ("2026112-0042", false),
        ("20261326-0042", false),
        ("20261100-0042", false),
        ("20261126-0000", false),
        ("20261126_0042", false),
        ("2026112a-0042", false),
        ("20261126-00x2", false),
        ("", false),
        ("../../etc/passwd", false),
    ];
    for (text, ok) in table {
        assert_eq!(CaseNumber::parse(text).is_ok(), ok, "{text:?}");
    }
    assert_eq!(
        CaseNumber::from_parts("20261126", 42).unwrap().as_str(),
        "20261126-0042"
    );
    assert!(serde_json::from_str::<CaseNumber>("\"nonsense\"").is_err());
}

#[test]
fn lengths_are_counted_in_characters_not_bytes() {
    let table = [
        ("噪音扰民", 4),
        ("Noise at night", 14),
        ("夜间 noise 😀", 10),
        ("  padded  ", 6),
        ("", 0),
    ];
    for (text, count) in table {
        assert_eq!(char_count(text), count, "{text:?}");
    }
}

#[test]
fn a_valid_case_passes_validation() {
    assert_eq!(valid_case().validate(), Ok(()));
}

#[test]
fn each_broken_rule_is_reported_on_its_field() {
    type Breaker = fn(&mut NewCase);
    let long = |n: usize| "字".repeat(n);
    let table: Vec<(&str, Breaker, &str, FieldErrorCode, Option<u64>)> = vec![
        (
            "no kind",
            |c| c.kind = None,
            "kind",
            FieldErrorCode::Required,
            None,
        ),
        (
            "no category",
            |c| c.category = " ".into(),
            "category",
            FieldErrorCode::Required,
            None,
        ),
        (
            "no district",
            |c| c.district.clear(),
            "district",
            FieldErrorCode::Required,
            None,
        ),
        (
            "no place",
            |c| c.place.clear(),
            "place",
            FieldErrorCode::Required,
            None,
        ),
        (
            "blank title",
            |c| c.title = "   ".into(),
            "title",
            FieldErrorCode::Required,
            None,
        ),
        (
            "short title",
            |c| c.title = "噪音".into(),
            "title",
            FieldErrorCode::TooShort,
            Some(4),
        ),
        (
            "emoji title too short",
            |c| c.title = "😀😀😀".into(),
            "title",
            FieldErrorCode::TooShort,
            Some(4),
        ),
        (
            "long title",
            |c| c.title = "字".repeat(51),
            "title",
            FieldErrorCode::TooLong,
            Some(50),
        ),
        (
            "short description",
            |c| c.description = "太吵了".into(),
            "description",
            FieldErrorCode::TooShort,
            Some(10),
        ),
        (
            "long description",
            |c| c.description = "a".repeat(2001),
            "description",
            FieldErrorCode::TooLong,
            Some(2000),
        ),
        (
            "long place",
            |c| c.place = "路".repeat(101),
            "place",
            FieldErrorCode::TooLong,
            Some(100),
        ),
        (
            "too many photos",
            |c| c.photos = vec!["p".into(); 7],
            "photos",
            FieldErrorCode::TooMany,
            Some(6),
        ),
        (
            "no name",
            |c| c.contact.name.clear(),
            "contact.name",
            FieldErrorCode::Required,
            None,
        ),
        (
            "long name",
            |c| c.contact.name = "名".repeat(21),
            "contact.name",
            FieldErrorCode::TooLong,
            Some(20),
        ),
        (
            "no phone",
            |c| c.contact.phone.clear(),
            "contact.phone",
            FieldErrorCode::Required,
            None,
        ),
        (
            "landline",
            |c| c.contact.phone = "028-12345678".into(),
            "contact.phone",
            FieldErrorCode::InvalidFormat,
            None,
        ),
        (
            "privacy not accepted",
            |c| c.privacy_accepted = false,
            "privacy_accepted",
            FieldErrorCode::MustAccept,
            None,
        ),
        (
            "latitude out of range",
            |c| c.latitude = Some(91.0),
            "latitude",
            FieldErrorCode::OutOfRange,
            None,
        ),
        (
            "longitude out of range",
            |c| c.longitude = Some(-181.0),
            "longitude",
            FieldErrorCode::OutOfRange,
            None,
        ),
        (
            "longitude alone",
            |c| c.latitude = None,
            "latitude",
            FieldErrorCode::Required,
            None,
        ),
    ];
    for (name, breaker, field, code, limit) in table {
        let mut case = valid_case();
        breaker(&mut case);
        let errors = case.validate().expect_err(name);
        assert_eq!(errors.fields().collect::<Vec<_>>(), vec![field], "{name}");
        assert_eq!(errors.get(field)[0].code, code, "{name}");
        assert_eq!(errors.get(field)[0].limit, limit, "{name}");
    }
    // The limits themselves are accepted: 50 Chinese characters, 2000 mixed ones.
    let mut at_limits = valid_case();
    at_limits.title = long(TITLE_MAX_CHARS);
    at_limits.description = "噪音noise😀".repeat(DESCRIPTION_MAX_CHARS / 8);
    at_limits.photos = vec!["0123456789abcdef0123456789abcdef".into(); PHOTOS_MAX];
    assert_eq!(at_limits.validate(), Ok(()));
}

#[test]
fn codes_must_name_entries_of_the_taxonomy() {
    let text = LocalizedText::new("x", "x");
    let meta = Meta {
        districts: vec![Term {
            code: "wuhou".into(),
            name: text.clone(),
        }],
        departments: vec![],
        categories: vec![
            Category {
                code: "environment".into(),
                parent: None,
                name: text.clone(),
            },
            Category {
                code: "environment.noise".into(),
                parent: Some("environment".into()),
                name: text,
            },
        ],
        kinds: vec![],
        statuses: vec![],
        hotline: "12345".into(),
        texts: false,
    };
    let mut errors = FieldErrors::new();
    valid_case().validate_codes(&meta, &mut errors);
    assert!(errors.is_empty());

    let mut case = valid_case();
    case.category = "environment".into();
    case.district = "atlantis".into();
    let mut errors = FieldErrors::new();
    case.validate_codes(&meta, &mut errors);
    assert_eq!(errors.get("category")[0].code, FieldErrorCode::UnknownCode);
    assert_eq!(errors.get("district")[0].code, FieldErrorCode::UnknownCode);
}

#[test]
fn mainland_mobile_numbers_are_recognised_in_their_usual_spellings() {
    let table = [
        ("13800138000", Some("13800138000")),
        ("138 0013 8000", Some("13800138000")),
        ("138-0013-8000", Some("13800138000")),
        ("+86 138 0013 8000", Some("13800138000")),
        ("8613800138000", Some("13800138000")),
        ("19912345678", Some("19912345678")),
        ("12800138000", None),
        ("1380013800", None),
        ("138001380000", None),
        ("028-85551234", None),
        ("1380013800a", None),
        ("１３８００１３８０００", None),
        ("", None),
    ];
    for (text, expected) in table {
        assert_eq!(normalize_mobile(text).as_deref(), expected, "{text:?}");
    }
}

#[test]
fn page_sizes_outside_the_limits_are_rejected() {
    assert_eq!(page_limit(None), Ok(PAGE_SIZE_DEFAULT));
    assert_eq!(page_limit(Some(1)), Ok(1));
    assert_eq!(page_limit(Some(PAGE_SIZE_MAX)), Ok(PAGE_SIZE_MAX));
    for bad in [0, PAGE_SIZE_MAX + 1, u32::MAX] {
        let errors = page_limit(Some(bad)).unwrap_err();
        assert_eq!(errors.get("limit")[0].code, FieldErrorCode::OutOfRange);
    }
}

#[test]
fn search_queries_are_trimmed_and_bounded() {
    assert_eq!(search_query(None), Ok(None));
    assert_eq!(search_query(Some("   ")), Ok(None));
    assert_eq!(search_query(Some(" 噪音 ")), Ok(Some("噪音".into())));
    let errors = search_query(Some(&"字".repeat(QUERY_MAX_CHARS + 1))).unwrap_err();
    assert_eq!(errors.get("q")[0].code, FieldErrorCode::TooLong);
}

#[test]
fn names_are_masked_to_their_first_character() {
    assert_eq!(mask_name("张三").as_deref(), Some("张**"));
    assert_eq!(mask_name("欧阳娜娜").as_deref(), Some("欧**"));
    assert_eq!(mask_name(" John Smith").as_deref(), Some("J**"));
    assert_eq!(mask_name("  "), None);
}

#[test]
fn localized_text_picks_the_language_and_falls_back_to_chinese() {
    let text = LocalizedText::new("武侯区", "Wuhou District");
    assert_eq!(text.get("en"), "Wuhou District");
    assert_eq!(text.get("en-GB"), "Wuhou District");
    assert_eq!(text.get("zh-CN"), "武侯区");
    assert_eq!(text.get("fr"), "武侯区");
}

#[test]
fn tracking_codes_are_sixteen_unambiguous_characters_and_survive_retyping() {
    use api::tracking_code::{encode, normalize};
    let code = encode([0xff; 10]);
    assert_eq!(code, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
    assert_eq!(encode([0; 10]), "0000-0000-0000-0000");
    let code = encode([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(code.len(), 19);
    let canonical = normalize(&code).unwrap();
    assert_eq!(canonical.len(), 16);
    assert_eq!(
        normalize(&code.to_lowercase().replace('-', " ")),
        Some(canonical.clone())
    );
    assert_eq!(
        normalize("O1IL-0000-0000-0000"),
        Some("0111000000000000".into())
    );
    for bad in [
        "",
        "ZZZZ-ZZZZ-ZZZZ",
        "ZZZZ-ZZZZ-ZZZZ-ZZZU",
        "ZZZZ-ZZZZ-ZZZZ-ZZZZ-Z",
        "噪音噪音噪音噪音噪音噪音噪音噪音",
    ] {
        assert_eq!(normalize(bad), None, "{bad:?}");
    }
}

#[test]
fn idempotency_keys_are_bounded_and_plain() {
    assert!(is_valid_idempotency_key(
        "3f2b8c1e-4d5a-4e6f-8a7b-9c0d1e2f3a4b"
    ));
    assert!(is_valid_idempotency_key("draft_12345678"));
    for bad in [
        "short",
        &"k".repeat(65),
        "has space in it",
        "semi;colon;x",
        "中文中文中文中文",
    ] {
        assert!(!is_valid_idempotency_key(bad), "{bad:?}");
    }
}

#[test]
fn every_status_allows_exactly_its_moves() {
    use ActionKind::*;
    use CaseStatus::*;
    // (status, extended, allowed)
    let table: &[(CaseStatus, bool, &[ActionKind])] = &[
        (Submitted, false, &[Accept, Reject]),
        (Accepted, false, &[Assign, Extend]),
        (Accepted, true, &[Assign]),
        (
            Assigned,
            false,
            &[Transfer, Start, Extend, Reply, RequestTransfer],
        ),
        (Assigned, true, &[Transfer, Start, Reply, RequestTransfer]),
        (
            InProgress,
            false,
            &[Transfer, Extend, Reply, RequestTransfer],
        ),
        (InProgress, true, &[Transfer, Reply, RequestTransfer]),
        (Replied, false, &[Close]),
        (Rejected, false, &[]),
        (Closed, false, &[]),
    ];
    for (status, extended, allowed) in table {
        let mut expected = allowed.to_vec();
        expected.sort();
        assert_eq!(
            allowed_actions(*status, *extended),
            expected,
            "{status:?} extended={extended}"
        );
        for action in ActionKind::ALL {
            let result = next_status(*status, *extended, action);
            if allowed.contains(&action) {
                assert!(result.is_ok(), "{status:?} allows {action:?}");
            } else {
                let illegal = result.expect_err("not allowed");
                assert_eq!(illegal.allowed, expected);
                assert_eq!(illegal.tried, action);
            }
        }
    }
}

#[test]
fn legal_moves_lead_where_the_lifecycle_says() {
    use ActionKind::*;
    use CaseStatus::*;
    let table = [
        (Submitted, Accept, Accepted),
        (Submitted, Reject, Rejected),
        (Accepted, Assign, Assigned),
        (Assigned, Transfer, Assigned),
        (InProgress, Transfer, Assigned),
        (Assigned, Start, InProgress),
        (Assigned, Reply, Replied),
        (InProgress, Reply, Replied),
        (InProgress, Extend, InProgress),
        (Replied, Close, Closed),
    ];
    for (from, action, to) in table {
        assert_eq!(
            next_status(from, false, action),
            Ok(to),
            "{from:?} {action:?}"
        );
    }
}

#[test]
fn staff_actions_check_their_own_fields() {
    let table: Vec<(StaffAction, Option<(&str, FieldErrorCode)>)> = vec![
        (StaffAction::Accept, None),
        (
            StaffAction::Reject {
                reason: "属于司法程序".into(),
            },
            None,
        ),
        (
            StaffAction::Reject { reason: " ".into() },
            Some(("reason", FieldErrorCode::Required)),
        ),
        (
            StaffAction::Assign {
                department: "".into(),
            },
            Some(("department", FieldErrorCode::Required)),
        ),
        (
            StaffAction::Transfer {
                department: "water".into(),
                reason: "".into(),
            },
            Some(("reason", FieldErrorCode::Required)),
        ),
        (
            StaffAction::Extend {
                working_days: 0,
                reason: "需要现场勘查".into(),
            },
            Some(("working_days", FieldErrorCode::OutOfRange)),
        ),
        (
            StaffAction::Extend {
                working_days: 16,
                reason: "需要现场勘查".into(),
            },
            Some(("working_days", FieldErrorCode::OutOfRange)),
        ),
        (
            StaffAction::Extend {
                working_days: 5,
                reason: "需要现场勘查".into(),
            },
            None,
        ),
        (
            StaffAction::Reply {
                text: "已处理".into(),
            },
            None,
        ),
        (
            StaffAction::Reply {
                text: "字".repeat(2001),
            },
            Some(("text", FieldErrorCode::TooLong)),
        ),
    ];
    for (action, expected) in table {
        match (action.validate(), expected) {
            (Ok(()), None) => {}
            (Err(errors), Some((field, code))) => {
                assert_eq!(errors.get(field)[0].code, code, "{action:?}")
            }
            (result, expected) => panic!("{action:?}: got {result:?}, expected {expected:?}"),
        }
    }
    let json = serde_json::to_value(StaffAction::Extend {
        working_days: 3,
        reason: "r".into(),
    })
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!({"action": "extend", "working_days": 3, "reason": "r"})
    );
}

#[test]
fn residents_rate_once_after_the_reply_and_follow_up_when_dissatisfied() {
    use CaseStatus::*;
    assert!(can_rate(Replied, false));
    assert!(!can_rate(Replied, true));
    for status in [Submitted, Accepted, Rejected, Assigned, InProgress, Closed] {
        assert!(!can_rate(status, false), "{status:?}");
    }
    assert!(can_follow_up(Replied, None));
    assert!(can_follow_up(Closed, Some(Rating::Dissatisfied)));
    assert!(!can_follow_up(Closed, Some(Rating::Satisfied)));
    assert!(!can_follow_up(Closed, None));
    assert!(!can_follow_up(InProgress, None));
    assert!(!can_follow_up(Rejected, None));
}

#[test]
fn ratings_and_follow_ups_check_their_fields() {
    let code = "ABCD-EFGH-JKMN-PQRS".to_owned();
    assert_eq!(
        NewRating {
            tracking_code: code.clone(),
            rating: Some(Rating::Satisfied),
            comment: String::new()
        }
        .validate(),
        Ok(())
    );
    let errors = NewRating {
        tracking_code: "nope".into(),
        rating: None,
        comment: "字".repeat(501),
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        errors.get("tracking_code")[0].code,
        FieldErrorCode::InvalidFormat
    );
    assert_eq!(errors.get("rating")[0].code, FieldErrorCode::Required);
    assert_eq!(errors.get("comment")[0].code, FieldErrorCode::TooLong);
    let errors = NewFollowUp {
        tracking_code: String::new(),
        text: "太短".into(),
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        errors.get("tracking_code")[0].code,
        FieldErrorCode::Required
    );
    assert_eq!(errors.get("text")[0].code, FieldErrorCode::TooShort);
    for rating in Rating::ALL {
        assert_eq!(Rating::from_code(rating.code()), Some(rating));
        assert_eq!(serde_json::to_value(rating).unwrap(), rating.code());
    }
}

#[test]
fn upload_ids_are_32_lower_case_hex_digits() {
    assert!(is_valid_upload_id("0123456789abcdef0123456789abcdef"));
    for bad in [
        "",
        "0123456789ABCDEF0123456789ABCDEF",
        "0123456789abcdef",
        "../../../../etc/passwd/0123456789",
        "0123456789abcdef0123456789abcdeg",
    ] {
        assert!(!is_valid_upload_id(bad), "{bad:?}");
    }
}

/// A case with every field filled in, as its owner sees it.
fn detail() -> CaseDetail {
    CaseDetail {
        published: true,
        summary: summary(),
        place: "人民南路".into(),
        description: "描述".into(),
        submitter: Some("张**".into()),
        timeline: vec![TimelineEntry {
            at: "2026-11-26T09:30:00+08:00".into(),
            status: CaseStatus::Submitted,
            department: None,
            note: Some("已联系施工单位".into()),
            rating: Some(Rating::Satisfied),
            follow_up: false,
        }],
        reply: Some(Reply {
            at: "2026-11-30T16:00:00+08:00".into(),
            department: "ecology".into(),
            text: "已责令整改".into(),
        }),
        owner: Some(OwnerView {
            contact: Contact {
                name: "张三".into(),
                phone: "13800138000".into(),
            },
            published: true,
            publication: api::PublicationState::Published,
            withheld_reason: None,
            texts: false,
            rating: Some(RatingRecord {
                rating: Rating::Dissatisfied,
                comment: Some("没解决".into()),
                at: "2026-12-01T09:00:00+08:00".into(),
            }),
            can_rate: false,
            can_follow_up: true,
        }),
    }
}

#[test]
fn an_unpublished_case_shows_the_public_only_its_progress() {
    let full = detail();
    let public = CaseDetail {
        published: false,
        ..full.clone()
    }
    .progress_only();
    // Where it stands stays.
    assert_eq!(public.summary.number, full.summary.number);
    assert_eq!(public.summary.status, full.summary.status);
    assert_eq!(public.summary.department, full.summary.department);
    assert_eq!(public.summary.deadline, full.summary.deadline);
    assert_eq!(public.summary.overdue, full.summary.overdue);
    // The days of its moves, never their times; nor the second it was filed, nor its kind
    // (a report names someone).
    let moves = |d: &CaseDetail| {
        d.timeline
            .iter()
            .map(|e| (e.at.get(..10).unwrap_or_default().to_owned(), e.status))
            .collect::<Vec<_>>()
    };
    assert_eq!(moves(&public), moves(&full));
    assert!(
        public.timeline.iter().all(|e| e.at.len() == 10),
        "{public:?}"
    );
    assert_eq!(public.summary.submitted_at, "2026-11-26");
    assert_eq!(public.summary.kind, None);
    assert_eq!(public.summary.replied_at, None);
    // What the resident wrote, and anything that may quote it, goes.
    let json = serde_json::to_string(&public).unwrap();
    for words in [
        full.summary.title.as_str(),
        full.place.as_str(),
        full.description.as_str(),
        "张**",
        "已联系施工单位",
        "已责令整改",
        "13800138000",
    ] {
        assert!(!json.contains(words), "{words} in {json}");
    }
    assert_eq!(
        (
            public.summary.category.as_str(),
            public.summary.district.as_str()
        ),
        ("", "")
    );
    assert!(public.owner.is_none() && public.reply.is_none() && public.submitter.is_none());
    assert!(
        public
            .timeline
            .iter()
            .all(|e| e.note.is_none() && e.rating.is_none())
    );
}

#[test]
fn a_body_links_only_to_web_mail_or_this_site() {
    for ok in [
        "https://www.chengdu.gov.cn/",
        "HTTP://example.org/a?b=c#d",
        "mailto:12345@chengdu.gov.cn",
        "/documents/12",
        "  https://padded.example/  ",
    ] {
        assert!(safe_href(ok).is_some(), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/\\evil.example",
        "relative/path",
        "https://",
        "https://evil.example/a b",
        "",
        "file:///etc/passwd",
    ] {
        assert_eq!(safe_href(bad), None, "{bad}");
    }
}

#[test]
fn text_fields_refuse_control_characters_but_multi_line_ones_keep_line_breaks() {
    use api::validate::{Shape, has_control};
    // (text, refused in one line, refused in several)
    let table = [
        ("夜间施工噪音", false, false),
        ("两行\n文字", true, false),
        ("回车\r\n换行", true, false),
        ("制表\t符", true, false),
        ("空\u{0}字符", true, true),
        ("响铃\u{7}", true, true),
        ("删除\u{7f}", true, true),
        ("C1 控制\u{85}", true, true),
        ("转义\u{1b}[31m", true, true),
        // Not control characters: ordinary spaces and full-width punctuation.
        ("全角　空格，标点。", false, false),
    ];
    for (text, line, lines) in table {
        assert_eq!(has_control(text, Shape::Line), line, "{text:?} as a line");
        assert_eq!(has_control(text, Shape::Lines), lines, "{text:?} as lines");
    }

    // Every text field of the contract, with U+0000 in it.
    type Breaker = fn(&mut NewCase);
    let fields: [(&str, Breaker); 4] = [
        ("title", |c| c.title.insert(3, '\u{0}')),
        ("place", |c| c.place.insert(3, '\u{0}')),
        ("description", |c| c.description.insert(3, '\u{0}')),
        ("contact.name", |c| c.contact.name.insert(3, '\u{0}')),
    ];
    for (field, breaker) in fields {
        let mut case = valid_case();
        breaker(&mut case);
        let errors = case.validate().unwrap_err();
        assert_eq!(
            errors.get(field)[0].code,
            FieldErrorCode::InvalidFormat,
            "{field}"
        );
    }
    let mut case = valid_case();
    case.title = "标题\n第二行".into();
    assert_eq!(
        case.validate().unwrap_err().get("title")[0].code,
        FieldErrorCode::InvalidFormat
    );
    case = valid_case();
    case.description = "第一行说明文字。\n第二行：\t细节。".into();
    assert_eq!(case.validate(), Ok(()));

    let code = "ABCD-EFGH-JKMN-PQRS".to_owned();
    let rating = NewRating {
        tracking_code: code.clone(),
        rating: Some(Rating::Satisfied),
        comment: "很好\u{0}".into(),
    };
    assert_eq!(
        rating.validate().unwrap_err().get("comment")[0].code,
        FieldErrorCode::InvalidFormat
    );
    let follow_up = NewFollowUp {
        tracking_code: code,
        text: "问题仍然存在，请再处理\u{0}。".into(),
    };
    assert_eq!(
        follow_up.validate().unwrap_err().get("text")[0].code,
        FieldErrorCode::InvalidFormat
    );
    for action in [
        StaffAction::Reply {
            text: "已处理\u{0}".into(),
        },
        StaffAction::Reject {
            reason: "不属\u{0}于".into(),
        },
    ] {
        assert!(action.validate().is_err(), "{action:?}");
    }
    for q in ["噪音\u{0}", "\u{c}噪音", "噪音\u{85}"] {
        assert_eq!(
            search_query(Some(q)).unwrap_err().get("q")[0].code,
            FieldErrorCode::InvalidFormat,
            "{q:?}"
        );
    }
    let similar = SimilarQuery {
        text: "噪音\u{0}".into(),
        limit: None,
    };
    assert!(similar.validate().is_err());
}

/// A whole number of working days reads as JSON Schema counts integers (`8` and `8.0`);
/// a fraction is not one, and a number past the range saturates so the range check names it.
#[test]
fn working_days_are_whole_numbers_however_written() {
    use api::StaffAction;
    let extend = |days: &str| {
        serde_json::from_str::<StaffAction>(&format!(
            r#"{{"action": "extend", "working_days": {days}, "reason": "现场勘查"}}"#
        ))
    };
    for (days, expected) in [
        ("8", Some(8)),
        ("8.0", Some(8)),
        ("0", Some(0)),
        ("-3", Some(0)),
        ("1e10", Some(u32::MAX)),
        ("8.5", None),
        ("\"8\"", None),
    ] {
        let parsed = extend(days).ok().map(|action| match action {
            StaffAction::Extend { working_days, .. } => working_days,
            other => panic!("{other:?}"),
        });
        assert_eq!(parsed, expected, "{days}");
    }
}

/// Periods travel as their codes, in queries and in answers alike.
#[test]
fn periods_serialize_as_their_codes() {
    for period in api::Period::ALL {
        assert_eq!(
            serde_json::to_value(period).unwrap(),
            serde_json::Value::from(period.code())
        );
    }
}

/// A review's texts follow the rules of the fields they stand for, and each decision leads
/// to its state; a new case awaits review only when its resident agreed to publish.
#[test]
fn review_decisions_are_checked_like_the_fields_they_stand_for() {
    use api::{PublicationState, ReviewDecision};
    assert_eq!(
        PublicationState::on_filing(true),
        PublicationState::AwaitingReview
    );
    assert_eq!(
        PublicationState::on_filing(false),
        PublicationState::Private
    );
    let redacted = |title: &str, description: &str, place: &str| ReviewDecision::PublishRedacted {
        title: title.into(),
        description: description.into(),
        place: place.into(),
    };
    // (decision, fields in error, outcome)
    let table: Vec<(ReviewDecision, Vec<&str>, PublicationState)> = vec![
        (ReviewDecision::Publish, vec![], PublicationState::Published),
        (
            redacted(
                "某小区楼下漏水",
                "某小区居民反映楼下水管漏水三天。",
                "锦江区某小区",
            ),
            vec![],
            PublicationState::Published,
        ),
        (
            redacted("漏水", "太短", ""),
            vec!["description", "place", "title"],
            PublicationState::Published,
        ),
        (
            redacted(
                "某小区楼下\u{0}漏水",
                "某小区居民反映楼下水管漏水三天。",
                "某小区",
            ),
            vec!["title"],
            PublicationState::Published,
        ),
        (
            ReviewDecision::Withhold {
                reason: "涉及个人隐私".into(),
            },
            vec![],
            PublicationState::Withheld,
        ),
        (
            ReviewDecision::Withhold { reason: " ".into() },
            vec!["reason"],
            PublicationState::Withheld,
        ),
    ];
    for (decision, fields, outcome) in table {
        let errors: Vec<String> = decision
            .validate()
            .err()
            .map(|e| e.fields().map(str::to_owned).collect())
            .unwrap_or_default();
        assert_eq!(errors, fields, "{decision:?}");
        assert_eq!(decision.outcome(), outcome);
        for state in PublicationState::ALL {
            assert_eq!(PublicationState::from_code(state.code()), Some(state));
            assert_eq!(
                serde_json::to_value(state).unwrap(),
                serde_json::Value::from(state.code())
            );
        }
    }
}

/// Who may do what: the role table, and a department's staff only on their own cases.
#[test]
fn each_role_may_take_its_own_actions_only() {
    use api::{ActionKind as A, StaffRole, may_act, may_see};
    let dispatcher = [
        A::Accept,
        A::Reject,
        A::Assign,
        A::Transfer,
        A::Close,
        A::Review,
    ];
    let department = [A::Start, A::Reply, A::Extend, A::RequestTransfer];
    for action in A::ALL {
        assert_eq!(
            StaffRole::Dispatcher.may(action),
            dispatcher.contains(&action),
            "{action:?}"
        );
        assert_eq!(
            StaffRole::Department.may(action),
            department.contains(&action),
            "{action:?}"
        );
        assert_eq!(A::from_code(action.code()), Some(action));
    }
    // (role, own department, holder, may see)
    let table = [
        (StaffRole::Dispatcher, None, Some("ecology"), true),
        (StaffRole::Dispatcher, None, None, true),
        (
            StaffRole::Department,
            Some("ecology"),
            Some("ecology"),
            true,
        ),
        (StaffRole::Department, Some("ecology"), Some("urban"), false),
        (StaffRole::Department, Some("ecology"), None, false),
        (StaffRole::Department, None, None, false),
    ];
    for (role, own, holder, sees) in table {
        assert_eq!(
            may_see(role, own, holder),
            sees,
            "{role:?} {own:?} {holder:?}"
        );
        assert_eq!(
            may_act(role, own, A::Reply, holder),
            sees && role == StaffRole::Department
        );
    }
}
