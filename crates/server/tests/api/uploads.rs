use api::{CaseReceipt, ErrorBody, ErrorCode, FieldErrorCode, UploadReceipt};
use civic_server::photos::test_images::jpeg_with_gps;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::filing::valid_case;
use crate::helpers::TestApp;

impl TestApp {
    /// Uploads `bytes` as the field `file`, named `name`.
    pub async fn upload(&self, bytes: Vec<u8>, name: &str) -> reqwest::Response {
        let part = Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("image/jpeg")
            .unwrap();
        self.client
            .post(format!("{}/api/v1/uploads", self.address))
            .multipart(Form::new().part("file", part))
            .send()
            .await
            .unwrap()
    }

    /// Uploads a small photo (with EXIF and GPS), expecting its receipt.
    pub async fn photo(&self) -> UploadReceipt {
        let response = self.upload(jpeg_with_gps(), "IMG_0001.jpg").await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_photo_is_stored_without_its_exif_and_gps() {
    let app = TestApp::spawn_with(false).await;
    let response = app.upload(jpeg_with_gps(), "IMG_0001.jpg").await;
    assert_eq!(response.status(), 201);
    let receipt: UploadReceipt = response.json().await.unwrap();
    assert!(api::is_valid_upload_id(&receipt.id));
    assert_eq!((receipt.width, receipt.height), (64, 48));
    let stored: Vec<u8> = sqlx::query_scalar("SELECT jpeg FROM uploads WHERE id = $1")
        .bind(&receipt.id)
        .fetch_one(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(stored.len() as u64, receipt.bytes);
    assert!(
        !app.dir.path().join("uploads").exists(),
        "the photo is in the database, not in a file of one process's folder"
    );
    assert!(!contains(&stored, b"Exif"), "EXIF removed");
    assert!(!contains(&stored, b"GPSLatitude"), "GPS removed");
}

#[tokio::test]
async fn what_is_not_a_photo_is_refused_whatever_its_name() {
    let app = TestApp::spawn_with(false).await;
    for (bytes, name) in [
        (b"<script>alert(1)</script>".to_vec(), "photo.jpg"),
        (b"%PDF-1.7 not an image".to_vec(), "scan.png"),
        (
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            "funny.webp",
        ),
    ] {
        let response = app.upload(bytes, name).await;
        assert_eq!(response.status(), 422, "{name}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(
            body.fields["file"][0].code,
            FieldErrorCode::InvalidFormat,
            "{name}"
        );
    }
    let oversized = vec![0xFFu8; api::limits::PHOTO_MAX_BYTES + 1024];
    let response = app.upload(oversized, "huge.jpg").await;
    assert_eq!(response.status(), 413);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::PayloadTooLarge);
    // One part, named `file`: nothing else, and not two.
    let photo = || Part::bytes(jpeg_with_gps()).file_name("a.jpg");
    for (form, status, what) in [
        (
            Form::new().text("note", "no file here"),
            400,
            "another part",
        ),
        (
            Form::new().text("note", "hi").part("file", photo()),
            400,
            "one more part",
        ),
        (
            Form::new().part("file", photo()).part("file", photo()),
            400,
            "two files",
        ),
    ] {
        let response = app
            .client
            .post(format!("{}/api/v1/uploads", app.address))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{what}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::BadRequest, "{what}");
    }
    let response = app
        .client
        .post(format!("{}/api/v1/uploads", app.address))
        .header("content-type", "multipart/form-data; boundary=b0undary")
        .body("--b0undary--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422, "no part");
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.fields["file"][0].code, FieldErrorCode::Required);
    let response = app
        .client
        .post(format!("{}/api/v1/uploads", app.address))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
}

#[tokio::test]
async fn a_case_claims_its_photos_and_no_other_case_can() {
    let app = TestApp::spawn_with(false).await;
    let first: UploadReceipt = app.photo().await;
    let second: UploadReceipt = app.photo().await;
    let mut case = valid_case();
    case["photos"] = json!([first.id, second.id]);
    let response = app.post_case(&case, None).await;
    assert_eq!(response.status(), 201);
    let _: CaseReceipt = response.json().await.unwrap();
    // The same photos cannot be claimed again, and an id nobody uploaded names nothing.
    for photos in [
        json!([first.id]),
        json!(["0123456789abcdef0123456789abcdef"]),
    ] {
        let mut again = valid_case();
        again["photos"] = photos;
        let response = app.post_case(&again, None).await;
        assert_eq!(response.status(), 422);
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.fields["photos"][0].code, FieldErrorCode::UnknownCode);
    }
}

#[tokio::test]
async fn unclaimed_uploads_expire_and_claimed_ones_stay() {
    let app = TestApp::spawn_with(false).await;
    let claimed: UploadReceipt = app.photo().await;
    let unclaimed: UploadReceipt = app.photo().await;
    let mut case = valid_case();
    case["photos"] = json!([claimed.id]);
    assert_eq!(app.post_case(&case, None).await.status(), 201);
    let store = app.store().await;
    assert_eq!(
        store.expire_uploads(0).await.unwrap(),
        0,
        "nothing is older than 1970"
    );
    assert_eq!(store.expire_uploads(i64::MAX).await.unwrap(), 1);
    let left: Vec<String> = sqlx::query_scalar("SELECT id FROM uploads")
        .fetch_all(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(left, vec![claimed.id]);
    assert_ne!(left, vec![unclaimed.id]);
}

impl TestApp {
    /// `GET` a case's photo with these headers.
    pub async fn get_photo(
        &self,
        number: &str,
        id: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self.client.get(format!(
            "{}/api/v1/cases/{number}/photos/{id}",
            self.address
        ));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }
}

#[tokio::test]
async fn a_case_photo_is_shown_to_its_owner_and_the_staff_only() {
    let app = TestApp::spawn_configured(false, Some("staff-secret-0123456789abcdefghijklmn")).await;
    let photo: UploadReceipt = app.photo().await;
    let stray: UploadReceipt = app.photo().await;
    let mut case = valid_case();
    case["photos"] = json!([photo.id]);
    case["publish"] = json!(true);
    let receipt: CaseReceipt = app.post_case(&case, None).await.json().await.unwrap();
    let other: CaseReceipt = app
        .post_case(&valid_case(), None)
        .await
        .json()
        .await
        .unwrap();
    let number = receipt.number.as_str();
    let code = receipt.tracking_code.as_str();
    for headers in [
        vec![("x-tracking-code", code)],
        vec![(
            "authorization",
            "Bearer staff-secret-0123456789abcdefghijklmn",
        )],
    ] {
        let response = app.get_photo(number, &photo.id, &headers).await;
        assert_eq!(response.status(), 200, "{headers:?}");
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        // Never kept by any cache: a photo may show a home or a face (SECURITY.md).
        assert_eq!(response.headers()["cache-control"], "no-store");
        let bytes = response.bytes().await.unwrap();
        assert_eq!(bytes.len() as u64, photo.bytes);
        assert!(!contains(&bytes, b"GPSLatitude"));
    }
    // Nobody else, not even for a published case; another case's code opens nothing; a photo
    // the case did not claim is not its photo.
    for (id, headers, status) in [
        (photo.id.as_str(), vec![], 401),
        (
            photo.id.as_str(),
            vec![("authorization", "Bearer wrong")],
            401,
        ),
        (
            photo.id.as_str(),
            vec![("x-tracking-code", other.tracking_code.as_str())],
            401,
        ),
        (stray.id.as_str(), vec![("x-tracking-code", code)], 404),
        ("not-an-id", vec![("x-tracking-code", code)], 404),
    ] {
        let response = app.get_photo(number, id, &headers).await;
        assert_eq!(response.status(), status, "{id} {headers:?}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_ne!(body.message, "");
    }
}

#[tokio::test]
async fn photos_kept_as_files_by_an_earlier_version_move_into_the_database_at_start_up() {
    let app = TestApp::spawn_with(false).await;
    let receipt: UploadReceipt = app.photo().await;
    let pool = app.pool().await;
    let jpeg: Vec<u8> = sqlx::query_scalar("SELECT jpeg FROM uploads WHERE id = $1")
        .bind(&receipt.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    // As an earlier version left it: the row without its photo, the photo in the data folder.
    sqlx::query("UPDATE uploads SET jpeg = NULL WHERE id = $1")
        .bind(&receipt.id)
        .execute(&pool)
        .await
        .unwrap();
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folder.path().join("uploads")).unwrap();
    let file = folder.path().join(format!("uploads/{}.jpg", receipt.id));
    std::fs::write(&file, &jpeg).unwrap();
    let _next = TestApp::spawn_at_with(&app.database_url, |settings| {
        settings.data_dir = folder.path().to_owned();
    })
    .await;
    let moved: Vec<u8> = sqlx::query_scalar("SELECT jpeg FROM uploads WHERE id = $1")
        .bind(&receipt.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(moved, jpeg);
    assert!(
        !file.exists(),
        "the file is removed once its bytes are in the database"
    );
}

#[tokio::test]
async fn filing_is_rate_limited_per_client_but_retries_do_not_count() {
    let app = TestApp::spawn_custom(false, None, |settings| {
        settings.filing_rate = civic_server::ratelimit::parse_rate("2/600").unwrap();
    })
    .await;
    let key = "rate-limit-retry-key-1";
    assert_eq!(app.post_case(&valid_case(), Some(key)).await.status(), 201);
    assert_eq!(app.post_case(&valid_case(), None).await.status(), 201);
    let response = app.post_case(&valid_case(), None).await;
    assert_eq!(response.status(), 429);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&wait));
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::RateLimited);
    // Invalid requests are still told what is wrong, not that they are too many.
    let mut invalid = valid_case();
    invalid["title"] = json!("");
    assert_eq!(app.post_case(&invalid, None).await.status(), 422);
}
