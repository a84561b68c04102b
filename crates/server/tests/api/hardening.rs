//! What an attacker or a careless client tries: bursts past the filing limit, a lost receipt
//! after the limit, forged forwarding headers, uploads that would exhaust memory, cut-off
//! images, absurd paths and control characters. Each answers a clear 4xx (or a 503 with
//! Retry-After when the server is busy), never a 5xx.

use std::io::Cursor;

use api::{CaseReceipt, ErrorBody, ErrorCode, FieldErrorCode};
use serde_json::{Value, json};

use crate::filing::{futures_join_all, valid_case};
use crate::helpers::TestApp;

impl TestApp {
    /// `POST /api/v1/cases` with extra headers.
    async fn post_case_with(&self, body: &Value, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/api/v1/cases", self.address))
            .json(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request sent")
    }
}

async fn limited(rate: &str, trusted: &str) -> TestApp {
    let (rate, trusted) = (rate.to_owned(), trusted.to_owned());
    TestApp::spawn_custom(false, None, move |settings| {
        settings.filing_rate = civic_server::ratelimit::parse_rate(&rate).unwrap();
        settings.trusted_proxies = civic_server::client::TrustedProxies::parse(&trusted).unwrap();
    })
    .await
}

#[tokio::test]
async fn a_concurrent_burst_from_one_address_gets_exactly_the_limit() {
    let app = limited("5/600", "").await;
    let case = valid_case();
    let answers = futures_join_all((0..20).map(|_| app.post_case(&case, None))).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    exactly_the_limit(&statuses, &app, 5, 15).await;
}

/// A burst's answers: `made` cases (201), `refused` refusals (429), and `made` cases stored.
pub(crate) async fn exactly_the_limit(
    statuses: &[u16],
    app: &TestApp,
    made: usize,
    refused: usize,
) {
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        made,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        refused,
        "{statuses:?}"
    );
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(stored, made as i64);
}

#[tokio::test]
async fn a_lost_receipt_is_fetched_again_after_the_limit_and_refusals_do_not_count() {
    let app = limited("5/600", "").await;
    // A filing refused by the store (an unknown photo) gives its use back.
    let mut unknown_photo = valid_case();
    unknown_photo["photos"] = json!(["0123456789abcdef0123456789abcdef"]);
    assert_eq!(app.post_case(&unknown_photo, None).await.status(), 422);
    let mut receipts = Vec::new();
    for i in 0..5 {
        let key = format!("draft-key-number-{i}");
        let response = app.post_case(&valid_case(), Some(&key)).await;
        assert_eq!(response.status(), 201, "filing {i}");
        receipts.push(response.json::<CaseReceipt>().await.unwrap());
    }
    assert_eq!(app.post_case(&valid_case(), None).await.status(), 429);
    // The fifth filing's retry, with its own key, is its receipt again, not a refusal.
    let retry = app
        .post_case(&valid_case(), Some("draft-key-number-4"))
        .await;
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let again: CaseReceipt = retry.json().await.unwrap();
    assert_eq!(again.number, receipts[4].number);
    assert_eq!(again.tracking_code, receipts[4].tracking_code);
    // The same key with another case is a conflict, limit or not.
    let mut other = valid_case();
    other["title"] = json!("另一件完全不同的事情");
    assert_eq!(
        app.post_case(&other, Some("draft-key-number-4"))
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    // Not trusted: every forged address is the same client (the peer).
    let app = limited("2/600", "").await;
    for (i, forged) in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
        .iter()
        .enumerate()
    {
        let status = app
            .post_case_with(&valid_case(), &[("x-forwarded-for", forged)])
            .await
            .status();
        assert_eq!(status, if i < 2 { 201 } else { 429 }, "{forged}");
    }

    // Behind a trusted proxy (the test client's own loopback address): each forwarded
    // client has its limit, and a forged first hop is passed over.
    let app = limited("2/600", "127.0.0.1").await;
    for client in ["198.51.100.1", "198.51.100.2"] {
        for _ in 0..2 {
            let response = app
                .post_case_with(&valid_case(), &[("x-forwarded-for", client)])
                .await;
            assert_eq!(response.status(), 201, "{client}");
        }
    }
    let forged_first = app
        .post_case_with(
            &valid_case(),
            &[("x-forwarded-for", "203.0.113.99, 198.51.100.1")],
        )
        .await;
    assert_eq!(forged_first.status(), 429);
    let real_ip = app
        .post_case_with(&valid_case(), &[("x-real-ip", "198.51.100.3")])
        .await;
    assert_eq!(real_ip.status(), 201);

    // IPv6 clients are counted by their /64.
    let app = limited("2/600", "127.0.0.1").await;
    for (address, status) in [
        ("2001:db8:1:2::1", 201),
        ("2001:db8:1:2:ffff::2", 201),
        ("2001:db8:1:2:abcd::3", 429),
        ("2001:db8:1:3::1", 201),
    ] {
        let response = app
            .post_case_with(&valid_case(), &[("x-forwarded-for", address)])
            .await;
        assert_eq!(response.status(), status, "{address}");
    }
}

/// A PNG that is small on the wire and large once decoded: `side` × `side` RGBA.
fn heavy_png(side: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(side, side, image::Rgba([200, 80, 40, 255]));
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

#[tokio::test]
async fn decodes_beyond_the_cap_are_told_to_come_back_later() {
    let app = TestApp::spawn_custom(false, None, |settings| {
        settings.photo_decodes = 1;
        settings.photo_decode_wait = 0;
    })
    .await;
    let png = heavy_png(3000);
    let answers = futures_join_all((0..6).map(|_| app.upload(png.clone(), "big.png"))).await;
    let mut busy = 0;
    for response in answers {
        match response.status().as_u16() {
            201 => {}
            503 => {
                busy += 1;
                assert!(response.headers().contains_key("retry-after"));
                let body: ErrorBody = response.json().await.unwrap();
                assert_eq!(body.code, ErrorCode::Unavailable);
            }
            other => panic!("an upload answered {other}"),
        }
    }
    assert!(
        busy > 0,
        "six decodes at once on one permit: some must wait"
    );
    // Once the others are done, the next is decoded.
    assert_eq!(app.upload(png, "big.png").await.status(), 201);
}

#[tokio::test]
async fn uploads_are_limited_per_client() {
    let app = TestApp::spawn_custom(false, None, |settings| {
        settings.upload_rate = civic_server::ratelimit::parse_rate("2/600").unwrap();
    })
    .await;
    let photo = civic_server::photos::test_images::jpeg_with_gps();
    assert_eq!(app.upload(photo.clone(), "a.jpg").await.status(), 201);
    assert_eq!(
        app.upload(b"not a photo".to_vec(), "b.jpg").await.status(),
        422
    );
    let refused = app.upload(photo, "c.jpg").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body: ErrorBody = refused.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::RateLimited);
}

#[tokio::test]
async fn cut_off_images_and_bodies_without_a_boundary_get_the_contract_s_errors() {
    let app = TestApp::spawn().await;
    let mut jpeg = civic_server::photos::test_images::jpeg_with_gps();
    jpeg.truncate(jpeg.len() - 40);
    let response = app.upload(jpeg, "cut.jpg").await;
    assert_eq!(response.status(), 422);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.fields["file"][0].code, FieldErrorCode::InvalidFormat);

    for content_type in ["multipart/form-data", "application/json"] {
        let response = app
            .client
            .post(format!("{}/api/v1/uploads", app.address))
            .header("content-type", content_type)
            .body("--x\r\n")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 415, "{content_type}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::UnsupportedMediaType);
    }
}

#[tokio::test]
async fn absurd_paths_are_not_found_never_a_server_error() {
    let app = TestApp::spawn().await;
    let long = "a".repeat(300);
    for path in [
        format!("/{long}"),
        format!("/{long}.js"),
        format!("/assets/{long}/x.css"),
        "/a%00b.js".to_owned(),
        "/%FF%FE%FD".to_owned(),
    ] {
        let status = app.get(&path).await.status();
        assert_eq!(status, 404, "{path}");
    }
    // The API says what is wrong with a name that long: never a 5xx.
    for path in [
        format!("/api/v1/cases/{long}"),
        format!("/api/v1/documents/{long}"),
        format!("/api/{long}"),
    ] {
        let response = app.get(&path).await;
        assert!(matches!(response.status().as_u16(), 400 | 404), "{path}");
        let _: ErrorBody = response.json().await.unwrap();
    }
    let many = "a/".repeat(1100);
    assert_eq!(app.get(&format!("/{many}")).await.status(), 414);
}

#[tokio::test]
async fn control_characters_are_refused_in_text_fields() {
    let app = TestApp::spawn().await;
    for (field, value) in [
        ("title", "夜间施工\u{0}噪音扰民"),
        ("place", "人民南路\u{1b}[31m四段"),
    ] {
        let mut case = valid_case();
        case[field] = json!(value);
        let response = app.post_case(&case, None).await;
        assert_eq!(response.status(), 422, "{field}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(
            body.fields[field][0].code,
            FieldErrorCode::InvalidFormat,
            "{field}"
        );
    }
    let mut case = valid_case();
    case["description"] = json!("第一行：工地每晚施工。\n第二行：\t噪音很大，影响休息。");
    assert_eq!(app.post_case(&case, None).await.status(), 201);
    let status = app.get("/api/v1/cases?q=%E5%99%AA%00").await.status();
    assert_eq!(status, 400);
}
