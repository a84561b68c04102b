//! The security review's findings (SECURITY.md), each pinned by a test that failed before its
//! fix: the filing key outside the database, weak staff tokens, guessing credentials,
//! cacheable personal answers, what an unpublished case says, far statistics periods.

use api::{CaseDetail, CaseReceipt};
use civic_server::config::Settings;
use civic_server::startup::Application;
use serde_json::json;

use crate::filing::valid_case;
use crate::helpers::TestApp;

const TOKEN: &str = "security-test-staff-token-0123456789abcdef";

/// Every value the database keeps in `server_secrets`.
async fn stored_secrets(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    use sqlx::Row;
    let pool = app.pool().await;
    sqlx::query("SELECT name, value FROM server_secrets")
        .fetch_all(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|row| (row.get::<String, _>(0), row.get::<Vec<u8>, _>(1)))
        .collect()
}

async fn file_with_key(app: &TestApp, key: &str) -> CaseReceipt {
    let response = app.post_case(&valid_case(), Some(key)).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// A backup, a replica or a read-only login once yielded every web filing's tracking code:
/// the code was HMAC(key, Idempotency-Key) and both were in the database.
#[tokio::test]
async fn a_copy_of_the_database_yields_no_tracking_code() {
    let app = TestApp::spawn_with(false).await;
    let idempotency_key = "draft-security-0001";
    let receipt = file_with_key(&app, idempotency_key).await;
    let secrets = stored_secrets(&app).await;
    assert!(
        secrets
            .iter()
            .all(|(name, _)| name != civic_server::filing_key::LEGACY_SECRET),
        "{secrets:?}"
    );
    for (name, value) in &secrets {
        let code =
            civic_server::domain::filing::tracking_code(Some(idempotency_key), value, [0; 10]);
        assert_ne!(code, receipt.tracking_code, "derived from {name}");
    }
    // The key that does derive it is in the file, outside the database.
    let key = civic_server::filing_key::read_key(&crate::helpers::shared_key_file())
        .unwrap()
        .unwrap();
    assert_eq!(
        civic_server::domain::filing::tracking_code(Some(idempotency_key), &key, [0; 10]),
        receipt.tracking_code
    );
}

/// A database an older release made kept its key in `server_secrets`: the first start of
/// this release writes it to the key file and forgets it, and every resident still tracks
/// their case (and a retried filing still gets its code).
#[tokio::test]
async fn a_database_whose_key_is_inside_moves_it_out_and_every_code_still_works() {
    let old = TestApp::spawn_with(false).await;
    let idempotency_key = "draft-security-0002";
    let receipt = file_with_key(&old, idempotency_key).await;
    // The shape an older release left: the key in the database, no fingerprint, no file.
    let key = civic_server::filing_key::read_key(&crate::helpers::shared_key_file())
        .unwrap()
        .unwrap();
    let pool = old.pool().await;
    sqlx::query("DELETE FROM server_secrets")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO server_secrets (name, value) VALUES ($1, $2)")
        .bind(civic_server::filing_key::LEGACY_SECRET)
        .bind(key.clone())
        .execute(&pool)
        .await
        .unwrap();
    let key_dir = tempfile::tempdir().unwrap();
    let key_file = key_dir.path().join("filing.key");
    let new = TestApp::spawn_at_with(&old.database_url, |settings| {
        settings.filing_key_file = Some(key_file.clone());
    })
    .await;
    assert_eq!(
        civic_server::filing_key::read_key(&key_file).unwrap(),
        Some(key)
    );
    let names: Vec<String> = stored_secrets(&new)
        .await
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert_eq!(names, [civic_server::filing_key::FINGERPRINT_SECRET]);
    let owner = new
        .get_as_owner(receipt.number.as_str(), &receipt.tracking_code)
        .await;
    assert_eq!(owner.status(), 200);
    let retried: CaseReceipt = new
        .post_case(&valid_case(), Some(idempotency_key))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(retried.tracking_code, receipt.tracking_code);
}

/// Without its key, or with another, a server refuses to start on a database with cases,
/// and says why, rather than hand out codes that open nothing.
#[tokio::test]
async fn a_server_without_the_databases_key_refuses_to_start() {
    let app = TestApp::spawn_with(false).await;
    file_with_key(&app, "draft-security-0003").await;
    let dir = tempfile::tempdir().unwrap();
    let settings = |key_file: std::path::PathBuf| {
        let mut settings = Settings::for_tests(
            app.database_url.clone(),
            dir.path().join("dist"),
            dir.path().join("data"),
        );
        settings.filing_key_file = Some(key_file);
        settings
    };
    let missing = Application::build(settings(dir.path().join("missing.key")))
        .await
        .err()
        .expect("refused without its key")
        .to_string();
    assert!(missing.contains("missing"), "{missing}");
    let other = dir.path().join("other.key");
    civic_server::filing_key::write_key(&other, &[9u8; 32]).unwrap();
    let mismatch = Application::build(settings(other))
        .await
        .err()
        .expect("refused with another key")
        .to_string();
    assert!(mismatch.contains("not the one"), "{mismatch}");
    assert!(
        !dir.path().join("missing.key").exists(),
        "no key is made up for a database that has one"
    );
}

/// `CIVIC_STAFF_TOKEN=change-me` (the example file's) or `abc12345` gave full dispatcher
/// access.
#[tokio::test]
async fn a_weak_or_published_bootstrap_token_stops_the_server_from_starting() {
    for token in [
        "change-me",
        "abc12345",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let database = crate::helpers::new_database(dir.path()).await;
        let mut settings =
            Settings::for_tests(database, dir.path().join("dist"), dir.path().join("data"));
        settings.staff_token = Some(token.to_owned());
        let refused = Application::build(settings)
            .await
            .err()
            .unwrap_or_else(|| panic!("{token} accepted"))
            .to_string();
        assert!(refused.contains("openssl rand -base64 32"), "{refused}");
    }
    // As a flag or an environment variable it is refused before anything starts.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_civic-server"))
        .env("CIVIC_STAFF_TOKEN", "change-me")
        .env("DATABASE_URL", "sqlite::memory:")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("published example"), "{stderr}");
}

/// 300 wrong bearer tokens in a row from one client all got 401, none 429.
#[tokio::test]
async fn wrong_staff_tokens_are_throttled_and_a_right_one_never_is() {
    let app = TestApp::spawn_custom(false, Some(TOKEN), |settings| {
        settings.staff_auth_failures = civic_server::ratelimit::parse_rate("5/900").unwrap();
        settings.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let queue = |token: String| {
        app.client
            .get(format!("{}/api/v1/staff/cases", app.address))
            .bearer_auth(token)
            .send()
    };
    // A success is never counted: many in a row stay 200.
    for _ in 0..8 {
        assert_eq!(queue(TOKEN.to_owned()).await.unwrap().status(), 200);
    }
    let mut statuses = Vec::new();
    for n in 0..7 {
        let response = queue(format!("guess-{n}-0123456789abcdef0123456789"))
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            let wait: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=900).contains(&wait), "{wait}");
        }
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429]);
    // Past the limit even the right token waits: a guess must not learn it was right.
    assert_eq!(queue(TOKEN.to_owned()).await.unwrap().status(), 429);
    // No token at all is not a guess.
    let bare = app
        .client
        .get(format!("{}/api/v1/staff/cases", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 401);
    let metrics = app
        .client
        .get(format!("{}/metrics", app.metrics_address.clone().unwrap()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("civic_rate_limited_total{limit=\"staff_token\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("civic_credential_failures_total{credential=\"staff_token\"}"),
        "{metrics}"
    );
}

/// Counted in the database, the limit holds across processes.
#[tokio::test]
async fn wrong_tracking_codes_are_throttled_across_processes() {
    let limit = |settings: &mut Settings| {
        settings.tracking_code_failures = civic_server::ratelimit::parse_rate("4/900").unwrap();
    };
    let first = TestApp::spawn_custom(false, None, limit).await;
    let second = TestApp::spawn_at_with(&first.database_url, limit).await;
    let receipt = file_with_key(&first, "draft-security-0004").await;
    let number = receipt.number.as_str();
    // Right codes are never counted.
    for _ in 0..6 {
        let owner = first.get_as_owner(number, &receipt.tracking_code).await;
        assert_eq!(owner.status(), 200);
    }
    let mut statuses = Vec::new();
    for (n, app) in [&first, &second, &first, &second, &first, &second]
        .into_iter()
        .enumerate()
    {
        let wrong = format!("ABCD-EFGH-JKM{n}-PQRS");
        statuses.push(app.get_as_owner(number, &wrong).await.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 429, 429]);
    // The other doors a code opens are behind the same count.
    let rating = second
        .client
        .post(format!("{}/api/v1/cases/{number}/rating", second.address))
        .json(&json!({ "tracking_code": receipt.tracking_code, "rating": "satisfied" }))
        .send()
        .await
        .unwrap();
    assert_eq!(rating.status(), 429);
    assert!(rating.headers().contains_key("retry-after"));
}

/// The owner's view (name, phone, original text), the staff API and photos carried no
/// Cache-Control: a shared cache keyed by URL could hand them to the next visitor.
#[tokio::test]
async fn answers_that_depend_on_a_credential_are_never_stored() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let receipt = file_with_key(&app, "draft-security-0005").await;
    let number = receipt.number.as_str();
    let owner = app.get_as_owner(number, &receipt.tracking_code).await;
    let wrong = app.get_as_owner(number, "ABCD-EFGH-JKMN-PQRS").await;
    let staff_case = app.staff_view(number, TOKEN).await;
    let queue = app
        .client
        .get(format!("{}/api/v1/staff/cases", app.address))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let photo = app
        .client
        .get(format!(
            "{}/api/v1/cases/{number}/photos/nothing",
            app.address
        ))
        .header("X-Tracking-Code", &receipt.tracking_code)
        .send()
        .await
        .unwrap();
    for (what, response) in [
        ("owner", owner),
        ("wrong code", wrong),
        ("staff case", staff_case),
        ("queue", queue),
        ("photo", photo),
    ] {
        let headers = response.headers();
        assert_eq!(headers["cache-control"], "no-store", "{what}");
        let vary: Vec<&str> = headers
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert!(
            vary.iter()
                .any(|v| v.contains("x-tracking-code") && v.contains("authorization")),
            "{what}: {vary:?}"
        );
    }
    // Public answers keep their caching, and say what they vary by.
    let public = app.get(&format!("/api/v1/cases/{number}")).await;
    assert_ne!(
        public
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    let meta = app.get("/api/v1/meta").await;
    assert!(
        meta.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age"),
    );
}

/// An unpublished case's public answer carried its kind (举报, a report on someone) and the
/// second it was filed, for every number anyone walks.
#[tokio::test]
async fn an_unpublished_case_shows_only_status_department_deadline_and_days() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let mut case = valid_case();
    case["kind"] = json!("report");
    case["publish"] = json!(false);
    let receipt: CaseReceipt = app.post_case(&case, None).await.json().await.unwrap();
    let number = receipt.number.as_str();
    assert_eq!(
        app.act_as_staff(number, json!({ "action": "accept" }))
            .await
            .status(),
        200
    );
    let response = app.get(&format!("/api/v1/cases/{number}")).await;
    assert_eq!(response.status(), 200);
    let raw: serde_json::Value = response.json().await.unwrap();
    let summary = &raw["summary"];
    assert!(summary.get("kind").is_none(), "{raw}");
    assert!(!raw.to_string().contains("report"), "{raw}");
    let day = receipt.submitted_at.get(..10).unwrap();
    assert_eq!(summary["submitted_at"], day, "{raw}");
    for entry in raw["timeline"].as_array().unwrap() {
        assert_eq!(entry["at"].as_str().unwrap().len(), 10, "{raw}");
    }
    let detail: CaseDetail = serde_json::from_value(raw.clone()).unwrap();
    assert!(!detail.published && detail.summary.deadline.is_some());
    // The owner still sees all of it.
    let owner: CaseDetail = app
        .get_as_owner(number, &receipt.tracking_code)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(owner.summary.kind, Some(api::CaseKind::Report));
    assert!(owner.summary.submitted_at.len() > 10);
}

/// `period=custom&from=9999-12-31&to=9999-12-31` answered 500 (a date overflow panicked).
#[tokio::test]
async fn no_day_the_contract_accepts_makes_a_server_error() {
    let app = TestApp::spawn_with(false).await;
    for (path, field) in [
        (
            "/api/v1/stats?period=custom&from=9999-12-31&to=9999-12-31",
            "from",
        ),
        (
            "/api/v1/stats?period=custom&from=2026-01-01&to=2100-01-01",
            "to",
        ),
        (
            "/api/v1/stats?period=custom&from=0001-01-01&to=0001-01-02",
            "from",
        ),
        ("/api/v1/cases?from=9999-12-31", "from"),
        ("/api/v1/cases?to=9999-12-31", "to"),
    ] {
        let error = app.get_error(path, 400).await;
        assert!(error.fields.contains_key(field), "{path}: {error:?}");
    }
    let edge = app
        .get("/api/v1/stats?period=custom&from=2099-01-01&to=2099-12-31")
        .await;
    assert_eq!(edge.status(), 200);
}
