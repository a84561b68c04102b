use api::{CaseDetail, CaseReceipt, CaseStatus, ErrorBody, ErrorCode, FieldErrorCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub fn valid_case() -> Value {
    json!({
        "kind": "complaint",
        "category": "environment.noise",
        "district": "wuhou",
        "place": "人民南路四段12号",
        "title": "夜间施工噪音扰民",
        "description": "每晚十一点以后工地仍在施工，噪音很大，影响休息。",
        "contact": { "name": "王小明", "phone": "+86 139 1234 5678" },
        "publish": true,
        "privacy_accepted": true
    })
}

impl TestApp {
    /// `POST /api/v1/cases` with a JSON body and an optional idempotency key.
    pub async fn post_case(&self, body: &Value, key: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/api/v1/cases", self.address))
            .json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.expect("request sent")
    }

    /// `POST /api/v1/cases` with a raw body and content type.
    pub async fn post_raw(&self, body: &str, content_type: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/cases", self.address))
            .header("content-type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .expect("request sent")
    }
}

async fn error_of(response: reqwest::Response, status: u16) -> ErrorBody {
    assert_eq!(response.status(), status);
    response.json().await.expect("an ErrorBody")
}

#[tokio::test]
async fn a_valid_case_is_filed_numbered_and_given_a_tracking_code() {
    let app = TestApp::spawn_with(false).await;
    let response = app.post_case(&valid_case(), None).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let receipt: CaseReceipt = response.json().await.unwrap();
    assert_eq!(receipt.status, CaseStatus::Submitted);
    assert!(
        receipt.number.as_str().ends_with("-0001"),
        "{}",
        receipt.number
    );
    assert_eq!(receipt.tracking_code.len(), 19);
    assert!(api::tracking_code::normalize(&receipt.tracking_code).is_some());
    assert!(receipt.deadline.as_str() > &receipt.submitted_at[..10]);

    let second: CaseReceipt = app
        .post_case(&valid_case(), None)
        .await
        .json()
        .await
        .unwrap();
    assert!(second.number.as_str().ends_with("-0002"));
    assert_ne!(second.tracking_code, receipt.tracking_code);

    // Its resident chose to publish it: until the centre has reviewed it, the public page
    // shows its progress only; then the whole case, with the name masked.
    let page: CaseDetail = app
        .get_json(&format!("/api/v1/cases/{}", receipt.number))
        .await;
    assert!(!page.published && page.summary.title.is_empty());
    app.publish(receipt.number.as_str()).await;
    let page: CaseDetail = app
        .get_json(&format!("/api/v1/cases/{}", receipt.number))
        .await;
    assert_eq!(page.submitter.as_deref(), Some("王**"));
    assert_eq!(page.timeline.len(), 1);
    assert_eq!(
        page.summary.deadline.as_deref(),
        Some(receipt.deadline.as_str())
    );
}

#[tokio::test]
async fn the_tracking_code_and_contact_are_never_stored_with_the_public_case() {
    let app = TestApp::spawn_with(false).await;
    let receipt: CaseReceipt = app
        .post_case(&valid_case(), None)
        .await
        .json()
        .await
        .unwrap();
    let pool = app.pool().await;
    let row: (String, String, String, Option<String>) = sqlx::query_as(
        "SELECT tracking_hash, title, description, submitter_mask FROM cases WHERE number = $1",
    )
    .bind(receipt.number.as_str())
    .fetch_one(&pool)
    .await
    .unwrap();
    let canonical = api::tracking_code::normalize(&receipt.tracking_code).unwrap();
    for column in [&row.0, &row.1, &row.2] {
        assert!(!column.contains(&canonical) && !column.contains(&receipt.tracking_code));
    }
    assert_eq!(row.0.len(), 64, "a SHA-256 in hex");
    assert_eq!(row.3.as_deref(), Some("王**"));
    let (name, phone): (String, String) = sqlx::query_as("SELECT name, phone FROM case_contacts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((name.as_str(), phone.as_str()), ("王小明", "13912345678"));
    let public = app
        .get(&format!("/api/v1/cases/{}", receipt.number))
        .await
        .text()
        .await
        .unwrap();
    for secret in [
        "王小明",
        "13912345678",
        "139 1234 5678",
        canonical.as_str(),
        receipt.tracking_code.as_str(),
    ] {
        assert!(!public.contains(secret), "the public page shows {secret}");
    }
}

#[tokio::test]
async fn an_unpublished_case_is_filed_but_shows_only_its_progress() {
    let app = TestApp::spawn_with(false).await;
    let mut case = valid_case();
    case["publish"] = json!(false);
    let receipt: CaseReceipt = app.post_case(&case, None).await.json().await.unwrap();
    let text = app
        .get(&format!("/api/v1/cases/{}", receipt.number))
        .await
        .text()
        .await
        .unwrap();
    let public: api::CaseDetail = serde_json::from_str(&text).unwrap();
    assert!(!public.published);
    assert_eq!(public.summary.status, api::CaseStatus::Submitted);
    for written in ["title", "description", "place"] {
        let value = case[written].as_str().unwrap();
        assert!(!text.contains(value), "the public page shows the {written}");
    }
}

#[tokio::test]
async fn a_retry_with_the_same_key_returns_the_same_case_and_never_a_second() {
    let app = TestApp::spawn_with(false).await;
    let key = "draft-6f1c2a9e-1b7d-4c55-9a0e-2f3b4c5d6e7f";
    let first = app.post_case(&valid_case(), Some(key)).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: CaseReceipt = first.json().await.unwrap();
    for _ in 0..3 {
        let again = app.post_case(&valid_case(), Some(key)).await;
        assert_eq!(again.status(), 201);
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        let again: CaseReceipt = again.json().await.unwrap();
        assert_eq!(
            again, first,
            "same number, same tracking code, same deadline"
        );
    }
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases")
        .fetch_one(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(count, 1);

    let mut different = valid_case();
    different["title"] = json!("另一件事情的标题");
    let body = error_of(app.post_case(&different, Some(key)).await, 409).await;
    assert_eq!(body.code, ErrorCode::Conflict);
    let body = error_of(app.post_case(&valid_case(), Some("bad key!")).await, 400).await;
    assert_eq!(
        body.fields["Idempotency-Key"][0].code,
        FieldErrorCode::InvalidFormat
    );
}

#[tokio::test]
async fn concurrent_filings_get_distinct_consecutive_numbers() {
    let app = TestApp::spawn_with(false).await;
    let body = valid_case();
    let responses = futures_join_all((0..12).map(|_| app.post_case(&body, None))).await;
    let mut numbers: Vec<String> = Vec::new();
    for response in responses {
        assert_eq!(response.status(), 201);
        let receipt: CaseReceipt = response.json().await.unwrap();
        numbers.push(receipt.number.to_string());
    }
    numbers.sort();
    let sequences: Vec<u32> = numbers.iter().map(|n| n[9..].parse().unwrap()).collect();
    assert_eq!(sequences, (1..=12).collect::<Vec<_>>());
}

/// Runs the futures at once and waits for all, so the requests overlap on the server.
pub(crate) async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut outputs = Vec::new();
    let handles: Vec<_> = futures.collect();
    // Poll them together so the requests overlap on the server.
    let mut pinned: Vec<_> = handles.into_iter().map(Box::pin).collect();
    let mut results: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, future) in results.iter_mut().zip(pinned.iter_mut()) {
            if slot.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(output) => *slot = Some(output),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.extend(results.into_iter().map(Option::unwrap));
    outputs
}

#[tokio::test]
async fn malformed_or_mistyped_bodies_get_the_contracts_error_body() {
    let app = TestApp::spawn_with(false).await;
    let table: &[(&str, &str, u16, ErrorCode)] = &[
        (
            "{\"kind\": ",
            "application/json",
            400,
            ErrorCode::BadRequest,
        ),
        (
            "not json at all",
            "application/json",
            400,
            ErrorCode::BadRequest,
        ),
        ("[1, 2, 3]", "application/json", 400, ErrorCode::BadRequest),
        ("", "application/json", 400, ErrorCode::BadRequest),
        ("{}", "text/plain", 415, ErrorCode::UnsupportedMediaType),
        (
            "kind=complaint",
            "application/x-www-form-urlencoded",
            415,
            ErrorCode::UnsupportedMediaType,
        ),
    ];
    for (body, content_type, status, code) in table {
        let response = app.post_raw(body, content_type).await;
        let error = error_of(response, *status).await;
        assert_eq!(error.code, *code, "{body:?} as {content_type}");
        assert!(
            !error.message.contains("line") && !error.message.contains("serde"),
            "{}",
            error.message
        );
    }
    let trailing = app
        .post_raw(&format!("{} {{}}", valid_case()), "application/json")
        .await;
    assert_eq!(error_of(trailing, 400).await.code, ErrorCode::BadRequest);
    let mut wrong_type = valid_case();
    wrong_type["publish"] = json!("yes");
    let error = error_of(app.post_case(&wrong_type, None).await, 422).await;
    assert_eq!(
        error.fields["publish"][0].code,
        FieldErrorCode::InvalidFormat
    );
    let mut no_contact = valid_case();
    no_contact.as_object_mut().unwrap().remove("contact");
    let error = error_of(app.post_case(&no_contact, None).await, 422).await;
    assert_eq!(error.fields["contact"][0].code, FieldErrorCode::Required);
    let mut bad_kind = valid_case();
    bad_kind["kind"] = json!("gossip");
    let error = error_of(app.post_case(&bad_kind, None).await, 422).await;
    assert_eq!(error.fields["kind"][0].code, FieldErrorCode::InvalidFormat);
    let huge = json!({ "title": "字".repeat(40_000) });
    let error = error_of(app.post_case(&huge, None).await, 413).await;
    assert_eq!(error.code, ErrorCode::PayloadTooLarge);
}

#[tokio::test]
async fn each_broken_rule_is_a_422_on_its_field() {
    let app = TestApp::spawn_with(false).await;
    let table: &[(&str, Value, &str, FieldErrorCode)] = &[
        ("title", json!(""), "title", FieldErrorCode::Required),
        (
            "title",
            json!("字".repeat(51)),
            "title",
            FieldErrorCode::TooLong,
        ),
        (
            "description",
            json!("太吵"),
            "description",
            FieldErrorCode::TooShort,
        ),
        (
            "category",
            json!("environment"),
            "category",
            FieldErrorCode::UnknownCode,
        ),
        (
            "category",
            json!("magic.spells"),
            "category",
            FieldErrorCode::UnknownCode,
        ),
        (
            "district",
            json!("atlantis"),
            "district",
            FieldErrorCode::UnknownCode,
        ),
        (
            "photos",
            json!(["a", "b", "c", "d", "e", "f", "g"]),
            "photos",
            FieldErrorCode::TooMany,
        ),
        (
            "photos",
            json!(["no-such-upload"]),
            "photos",
            FieldErrorCode::InvalidFormat,
        ),
        (
            "photos",
            json!(["0123456789abcdef0123456789abcdef"]),
            "photos",
            FieldErrorCode::UnknownCode,
        ),
        (
            "privacy_accepted",
            json!(false),
            "privacy_accepted",
            FieldErrorCode::MustAccept,
        ),
        ("kind", json!(null), "kind", FieldErrorCode::Required),
    ];
    for (field, value, error_field, code) in table {
        let mut case = valid_case();
        case[*field] = value.clone();
        let error = error_of(app.post_case(&case, None).await, 422).await;
        assert_eq!(error.code, ErrorCode::ValidationFailed, "{field}");
        assert_eq!(
            error.fields[*error_field][0].code, *code,
            "{field} = {value}"
        );
    }
    let mut case = valid_case();
    case["contact"]["phone"] = json!("028-85551234");
    let error = error_of(app.post_case(&case, None).await, 422).await;
    assert_eq!(
        error.fields["contact.phone"][0].code,
        FieldErrorCode::InvalidFormat
    );
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases")
        .fetch_one(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing invalid was stored");
}

#[tokio::test]
async fn the_reply_deadline_follows_the_citys_rule_for_the_kind() {
    use civic_server::clock;
    let app = TestApp::spawn_custom(false, None, |settings| {
        settings.reply_days = civic_server::rules::ReplyDays::parse("complaint=12").unwrap();
    })
    .await;
    for (kind, days) in [("complaint", 12), ("consultation", 3), ("suggestion", 10)] {
        let mut case = valid_case();
        case["kind"] = json!(kind);
        let receipt: CaseReceipt = app.post_case(&case, None).await.json().await.unwrap();
        let filed_on = clock::parse_iso_date(&receipt.submitted_at[..10]).unwrap();
        assert_eq!(
            receipt.deadline,
            clock::iso_date(clock::add_working_days(filed_on, days)),
            "{kind}"
        );
    }
}

impl TestApp {
    /// The centre's review publishing case `number` as its resident wrote it (through the
    /// service, as the command line's operator would).
    pub async fn publish(&self, number: &str) {
        let store = self.store().await;
        let number = api::CaseNumber::parse(number).unwrap();
        let reviewed = civic_server::service::review(
            store.as_ref(),
            &civic_server::domain::notify::Notices::default(),
            &number,
            &api::ReviewDecision::Publish,
            civic_server::clock::now(),
            &civic_server::domain::staff::Actor::Operator,
        )
        .await
        .unwrap();
        assert!(
            matches!(reviewed, civic_server::service::Reviewed::Done(_)),
            "{reviewed:?}"
        );
    }

    /// Files `case` and, when it asks to be published, publishes it as the centre would.
    pub async fn file_reviewed(&self, case: &Value) -> CaseReceipt {
        let response = self.post_case(case, None).await;
        assert_eq!(response.status(), 201);
        let receipt: CaseReceipt = response.json().await.unwrap();
        if case["publish"] == true {
            self.publish(receipt.number.as_str()).await;
        }
        receipt
    }
}
