//! The OpenAPI document is generated from the code; this snapshot makes every contract
//! change visible in review. After an intended change, refresh it with
//! `UPDATE_SNAPSHOTS=1 cargo test -p civic-server --test api openapi`.

use crate::helpers::TestApp;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");

#[tokio::test]
async fn the_served_openapi_document_matches_the_reviewed_snapshot() {
    let app = TestApp::spawn_with(false).await;
    let served: serde_json::Value = app.get_json("/api/openapi.json").await;
    assert_eq!(
        served["openapi"].as_str().map(|v| v.starts_with("3.1")),
        Some(true)
    );
    let generated = civic_server::openapi::document_json();
    assert_eq!(
        served,
        serde_json::from_str::<serde_json::Value>(&generated).unwrap()
    );
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(SNAPSHOT).parent().unwrap()).unwrap();
        std::fs::write(SNAPSHOT, format!("{generated}\n")).unwrap();
    }
    let reviewed = std::fs::read_to_string(SNAPSHOT)
        .expect("tests/snapshots/openapi.json exists; create it with UPDATE_SNAPSHOTS=1");
    assert_eq!(
        generated.trim_end(),
        reviewed.trim_end(),
        "the API contract changed: review and refresh the snapshot"
    );
}

#[tokio::test]
async fn every_endpoint_is_documented_with_its_error_body() {
    let document: serde_json::Value =
        serde_json::from_str(&civic_server::openapi::document_json()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/healthz",
        "/api/v1/meta",
        "/api/v1/cases",
        "/api/v1/cases/{number}",
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/announcements",
        "/api/v1/announcements/{id}",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
    assert!(document["components"]["schemas"]["CaseDetail"].is_object());
    // Every operation with a JSON body documents what a bad body gets.
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let json_body = operation["requestBody"]["content"]
                .as_object()
                .is_some_and(|c| c.contains_key("application/json"));
            if json_body {
                for status in ["400", "413", "415", "422"] {
                    assert!(
                        operation["responses"][status].is_object(),
                        "{method} {path} documents {status}"
                    );
                }
            }
        }
    }
}

/// The patterns the document gives case numbers and tracking codes accept what the
/// contract's parsers accept (written without spaces, as the receipt shows them).
#[test]
fn the_documents_formats_agree_with_the_contracts_parsers() {
    use civic_server::openapi::{CASE_NUMBER_PATTERN, TRACKING_CODE_PATTERN};
    let number = regex::Regex::new(CASE_NUMBER_PATTERN).unwrap();
    for text in [
        "20261126-0042",
        "20261126-0001",
        "20261231-999999",
        "20260101-000010",
        "20260101-00001",
        "20260101-100000",
        "20261126-0000",
        "20261126-000000",
        "20261126-042",
        "20261126-1000000",
        "20261326-0042",
        "20261100-0042",
        "20261132-0042",
        "2026112-00042",
        "20261126_0042",
        "20261126-00a2",
        "x20261126-0042",
    ] {
        assert_eq!(
            number.is_match(text),
            api::CaseNumber::parse(text).is_ok(),
            "{text}"
        );
    }
    let code = regex::Regex::new(TRACKING_CODE_PATTERN).unwrap();
    for seed in 0..64u8 {
        let encoded = api::tracking_code::encode([seed.wrapping_mul(37); 10].map(|b| b ^ seed));
        assert!(code.is_match(&encoded), "{encoded}");
        assert!(api::tracking_code::normalize(&encoded).is_some());
    }
    for text in [
        "ABCD-EFGH-JKMN-PQRS",
        "0000-0000-0000-0000",
        "ZZZZ-ZZZZ-ZZZZ-ZZZZ",
    ] {
        assert!(code.is_match(text), "{text}");
        assert!(api::tracking_code::normalize(text).is_some(), "{text}");
    }
    for text in [
        "ABCD-EFGH-JKMN-PQR",
        "ABCD-EFGH-JKMN-PQRSX",
        "ABCDEFGHJKMNPQRS",
    ] {
        assert!(!code.is_match(text), "{text}");
    }
}

/// A city's own taxonomy is what its server's document lists: a district added to the
/// database is among the codes the next server start documents.
#[tokio::test]
async fn the_served_document_lists_the_databases_own_codes() {
    let first = TestApp::spawn_with(false).await;
    sqlx::query(
        "INSERT INTO districts (code, name_zh, name_en, position) VALUES ('xinqu', '新区', 'New District', 99)",
    )
    .execute(&first.pool().await)
    .await
    .unwrap();
    let next = TestApp::spawn_at_with(&first.database_url, |_| {}).await;
    for (app, listed) in [(&first, false), (&next, true)] {
        let served: serde_json::Value = app.get_json("/api/openapi.json").await;
        let parameters = served["paths"]["/api/v1/cases"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let district = parameters.iter().find(|p| p["name"] == "district").unwrap();
        let codes = district["schema"]["enum"].as_array().unwrap();
        assert!(codes.iter().any(|c| c == "wuhou"));
        assert_eq!(
            codes.iter().any(|c| c == "xinqu"),
            listed,
            "{}",
            app.address
        );
    }
}

/// Each text rule's pattern matches exactly the texts the rule accepts: a table of texts
/// (spaces and controls at the edges and inside, lengths at and past the limits, characters
/// outside the Basic Multilingual Plane) against every shape and a range of limits.
#[test]
fn text_patterns_accept_exactly_what_the_rules_accept() {
    use api::validate::TextRule;
    let texts: Vec<String> = [
        "",
        " ",
        "  \u{3000} ",
        "a",
        "ab",
        "abc",
        "abcd",
        " abcd ",
        "\u{3000}噪音扰民\u{3000}",
        "噪音",
        "a b",
        "a\u{a0}b",
        "a\u{2028}b",
        "\tabc",
        "abc\n",
        "\nabc\n",
        "ab\ncd",
        "ab\r\ncd",
        "ab\tcd",
        "a\u{0}bc",
        "abc\u{7f}",
        "a\u{85}bc",
        "\u{85}abc",
        "\u{b}abc",
        "ab\u{c}cd",
        "\u{1f}abc",
        "\t",
        "\n",
        "\u{b}",
        "\u{85}",
        " \t ",
        "abc\n",
        "😀😀😀",
        " 😀 ",
        "a\u{200b}b",
        "\u{200b}",
        "-",
        "\\",
        "$^.*",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain(
        [3, 4, 5, 9, 10, 11, 19, 20, 21]
            .into_iter()
            .flat_map(|n| ["字".repeat(n), format!(" {} ", "x".repeat(n))]),
    )
    .collect();
    for rule in [
        TextRule::line(0, 10),
        TextRule::line(1, 10),
        TextRule::line(2, 20),
        TextRule::line(4, 10),
        TextRule::lines(0, 10),
        TextRule::lines(1, 20),
        TextRule::lines(10, 20),
        api::limits::TITLE_TEXT,
        api::limits::DESCRIPTION_TEXT,
        api::limits::REPLY_TEXT,
    ] {
        let pattern = regex::Regex::new(&rust_regex(&rule.pattern())).unwrap();
        for text in &texts {
            let mut errors = api::FieldErrors::new();
            rule.check(&mut errors, "field", text);
            assert_eq!(
                pattern.is_match(text),
                errors.is_empty(),
                "{rule:?} on {text:?}: {errors:?}"
            );
        }
    }
}

/// The mobile number's pattern matches exactly what the contract takes for one.
#[test]
fn the_mobile_pattern_accepts_exactly_mainland_mobiles() {
    let pattern = regex::Regex::new(&rust_regex(&api::validate::mobile_pattern())).unwrap();
    for text in [
        "13800138000",
        " 13800138000 ",
        "\t13800138000\n",
        "138 0013 8000",
        "138-0013-8000",
        "-13800138000-",
        "+8613800138000",
        "+86 138 0013 8000",
        "+ 86-138 0013 8000",
        "8613800138000",
        "86 138 0013 8000",
        "\u{3000}13800138000\u{3000}",
        "19912345678",
        "12800138000",
        "23800138000",
        "1380013800",
        "138001380001",
        "+13800138000",
        "+8713800138000",
        "871380013800",
        "861380013800",
        "+86+8613800138000",
        "138\u{3000}0013 8000",
        "138.0013.8000",
        "138\t0013\t8000",
        "１３８００１３８０００",
        "",
        " ",
    ] {
        assert_eq!(
            pattern.is_match(text),
            api::validate::is_mainland_mobile(text),
            "{text:?}"
        );
    }
}

/// No request body's text field is left without a rule: every string property of a schema a
/// request sends has a pattern, an enum or a const (so schemathesis and client generators
/// know what the server takes).
#[test]
fn every_request_text_field_says_what_it_takes() {
    let document: serde_json::Value =
        serde_json::from_str(&civic_server::openapi::document_json()).unwrap();
    let schemas = &document["components"]["schemas"];
    let mut checked = 0;
    for name in [
        "NewCase",
        "NewRating",
        "NewFollowUp",
        "TextsChoice",
        "StaffAction",
        "ReviewDecision",
    ] {
        let schema = &schemas[name];
        let variants = match schema["oneOf"].as_array() {
            Some(variants) => variants.iter().collect(),
            None => vec![schema],
        };
        let inline = variants
            .iter()
            .flat_map(|v| v["properties"].as_object().unwrap().values())
            .filter(|p| p["type"] == "object")
            .cloned()
            .collect::<Vec<_>>();
        for variant in variants.into_iter().chain(inline.iter()) {
            for (field, property) in variant["properties"].as_object().unwrap() {
                if property["type"] == "string" {
                    let described = ["pattern", "enum", "const"]
                        .iter()
                        .any(|key| property.get(key).is_some());
                    assert!(described, "{name}.{field}: {property}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 15, "{checked}");
}

/// A document pattern as Rust's `regex` reads it: without the lookahead that keeps Python's
/// `$` from matching before a final newline (Rust's `$` is the end of the text already).
fn rust_regex(pattern: &str) -> String {
    pattern.replace(api::validate::PATTERN_END_GUARD, "")
}

/// Python's `re` (schemathesis's) reads the end of a pattern as the end of the text too: the
/// guard is there, once, at the end.
#[test]
fn patterns_end_where_the_text_ends_in_every_engine() {
    for pattern in [
        api::limits::TITLE_TEXT.pattern(),
        api::limits::COMMENT_TEXT.pattern(),
        api::validate::mobile_pattern(),
    ] {
        assert!(pattern.ends_with(&format!("${}", api::validate::PATTERN_END_GUARD)));
        assert_eq!(pattern.matches(api::validate::PATTERN_END_GUARD).count(), 1);
    }
}
