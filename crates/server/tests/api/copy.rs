//! `civic-server copy`: a demo town on SQLite copied into an empty database (PostgreSQL when
//! the suite runs on it, another SQLite file otherwise) answers every public request as the
//! source did, keeps what only owners and retries can see, and refuses a non-empty target.

use api::{
    AnnouncementSummary, CaseDetail, CaseReceipt, CaseSummary, DocumentSummary, UploadReceipt,
};
use serde_json::{Value, json};

use crate::filing::valid_case;
use crate::helpers::{TestApp, new_database};
use crate::lists::walk;

const TOKEN: &str = "copy-test-token-0123456789abcdefghijk";

/// Every public answer worth comparing, in one list of `(path, body)`.
async fn public_answers(app: &TestApp) -> Vec<(String, Value)> {
    let mut paths = vec![
        "/api/v1/meta".to_owned(),
        "/api/v1/stats".to_owned(),
        "/api/v1/stats?period=last_12_months".to_owned(),
        "/api/v1/cases?limit=7&q=%E5%99%AA%E9%9F%B3".to_owned(),
        "/api/v1/cases?limit=5&sort=replied".to_owned(),
        "/api/v1/documents?limit=5&q=%E5%8C%BB%E7%96%97".to_owned(),
        "/api/v1/announcements?limit=5&q=%E5%85%AC%E7%A4%BA".to_owned(),
    ];
    let cases: Vec<CaseSummary> = walk(app, "/api/v1/cases?limit=50").await;
    paths.extend(cases.iter().map(|c| format!("/api/v1/cases/{}", c.number)));
    let documents: Vec<DocumentSummary> = walk(app, "/api/v1/documents?limit=50").await;
    paths.extend(
        documents
            .iter()
            .map(|d| format!("/api/v1/documents/{}", d.id)),
    );
    let announcements: Vec<AnnouncementSummary> = walk(app, "/api/v1/announcements?limit=50").await;
    paths.extend(
        announcements
            .iter()
            .map(|a| format!("/api/v1/announcements/{}", a.id)),
    );
    let mut answers = vec![
        ("cases".to_owned(), serde_json::to_value(&cases).unwrap()),
        (
            "documents".to_owned(),
            serde_json::to_value(&documents).unwrap(),
        ),
        (
            "announcements".to_owned(),
            serde_json::to_value(&announcements).unwrap(),
        ),
    ];
    for path in paths {
        let body: Value = app.get_json(&path).await;
        answers.push((path, body));
    }
    answers
}

#[tokio::test]
async fn a_copied_town_answers_as_it_did_and_keeps_what_owners_and_retries_need() {
    let dir = tempfile::tempdir().unwrap();
    let source_url = format!("sqlite://{}", dir.path().join("town.db").display());
    let source = TestApp::spawn_at(&source_url, true, Some(TOKEN)).await;
    // A resident's case with a photo, filed with an idempotency key, then rated.
    let photo: UploadReceipt = source.photo().await;
    let mut case = valid_case();
    case["photos"] = json!([photo.id]);
    let receipt: CaseReceipt = source
        .post_case(&case, Some("copy-draft-0001"))
        .await
        .json()
        .await
        .unwrap();
    let owner_before: CaseDetail = source
        .get_as_owner(receipt.number.as_str(), &receipt.tracking_code)
        .await
        .json()
        .await
        .unwrap();
    let before = public_answers(&source).await;

    let target_url = new_database(dir.path()).await;
    let from = civic_server::storage::open(&source_url).await.unwrap();
    let to = civic_server::storage::open(&target_url).await.unwrap();
    let copied = civic_server::copy::copy(from.as_ref(), to.as_ref())
        .await
        .unwrap();
    assert_eq!(copied.uploads, 1);
    assert!(copied.cases > 300 && copied.documents > 100 && copied.attachments > 0);

    let target = TestApp::spawn_at(&target_url, false, Some(TOKEN)).await;
    let after = public_answers(&target).await;
    assert_eq!(before.len(), after.len());
    for ((path, was), (_, is)) in before.iter().zip(&after) {
        assert_eq!(was, is, "{path} answers as before the copy");
    }
    // The owner's view, by the tracking code, with the contact and the photo's claim.
    let owner_after: CaseDetail = target
        .get_as_owner(receipt.number.as_str(), &receipt.tracking_code)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(owner_before, owner_after);
    // A retry of the same draft finds its case, with the same code: the key came along.
    let retry = target.post_case(&case, Some("copy-draft-0001")).await;
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let again: CaseReceipt = retry.json().await.unwrap();
    assert_eq!(
        (again.number, again.tracking_code),
        (receipt.number, receipt.tracking_code)
    );
    // The photo is claimed on the target too: a new case cannot take it.
    let mut thief = valid_case();
    thief["photos"] = json!([photo.id]);
    assert_eq!(target.post_case(&thief, None).await.status(), 422);

    let refused = civic_server::copy::copy(from.as_ref(), to.as_ref()).await;
    assert!(refused.unwrap_err().contains("already holds data"));
}
