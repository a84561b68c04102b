use api::{ErrorBody, ErrorCode, FieldErrorCode};

use crate::helpers::TestApp;

#[tokio::test]
async fn bad_query_parameters_are_answered_with_field_errors() {
    let app = TestApp::spawn_with(false).await;
    let table: &[(&str, &str, FieldErrorCode)] = &[
        ("/api/v1/cases?limit=0", "limit", FieldErrorCode::OutOfRange),
        (
            "/api/v1/cases?limit=51",
            "limit",
            FieldErrorCode::OutOfRange,
        ),
        (
            "/api/v1/cases?limit=ten",
            "limit",
            FieldErrorCode::InvalidFormat,
        ),
        (
            "/api/v1/cases?limit=-1",
            "limit",
            FieldErrorCode::InvalidFormat,
        ),
        (
            "/api/v1/cases?kind=gossip",
            "kind",
            FieldErrorCode::UnknownCode,
        ),
        (
            "/api/v1/cases?status=lost",
            "status",
            FieldErrorCode::UnknownCode,
        ),
        (
            "/api/v1/cases?district=atlantis",
            "district",
            FieldErrorCode::UnknownCode,
        ),
        (
            "/api/v1/cases?category=magic",
            "category",
            FieldErrorCode::UnknownCode,
        ),
        (
            "/api/v1/cases?cursor=garbage",
            "cursor",
            FieldErrorCode::InvalidFormat,
        ),
        (
            "/api/v1/documents?doc_type=novel",
            "doc_type",
            FieldErrorCode::UnknownCode,
        ),
        (
            "/api/v1/documents?validity=maybe",
            "validity",
            FieldErrorCode::UnknownCode,
        ),
        (
            "/api/v1/documents?agency=nobody",
            "agency",
            FieldErrorCode::UnknownCode,
        ),
        (
            "/api/v1/documents?cursor=2026-13-01.5",
            "cursor",
            FieldErrorCode::InvalidFormat,
        ),
        ("/api/v1/documents/abc", "id", FieldErrorCode::InvalidFormat),
        (
            "/api/v1/announcements?cursor=2.1.1",
            "cursor",
            FieldErrorCode::InvalidFormat,
        ),
        (
            "/api/v1/announcements?limit=1000",
            "limit",
            FieldErrorCode::OutOfRange,
        ),
    ];
    for (path, field, code) in table {
        let body = app.get_error(path, 400).await;
        assert_eq!(body.code, ErrorCode::BadRequest, "{path}");
        assert_eq!(body.fields[*field][0].code, *code, "{path}");
    }
}

#[tokio::test]
async fn unknown_api_routes_and_methods_answer_json_errors() {
    let app = TestApp::spawn_with(false).await;
    for path in [
        "/api/v1/nothing",
        "/api/v2/cases",
        "/api/",
        "/api/v1/cases/20261126-0001/secret",
    ] {
        let body = app.get_error(path, 404).await;
        assert_eq!(body.code, ErrorCode::NotFound, "{path}");
    }
    let response = app
        .client
        .delete(format!("{}/api/v1/meta", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::MethodNotAllowed);
}

#[tokio::test]
async fn error_bodies_never_carry_internal_text() {
    let app = TestApp::spawn_with(false).await;
    for path in [
        "/api/v1/cases?cursor=1.x",
        "/api/v1/nothing",
        "/api/v1/documents/-5",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.headers()["cache-control"], "no-store");
        let text = response.text().await.unwrap();
        for leak in ["sqlx", "sqlite", "panicked", "SELECT", "at src/", "Error("] {
            assert!(!text.contains(leak), "{path} leaks {leak}: {text}");
        }
    }
}
