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
