use api::{CaseKind, CaseStatus, Meta};

use crate::helpers::TestApp;

#[tokio::test]
async fn meta_lists_chengdus_divisions_departments_and_categories_in_both_languages() {
    let app = TestApp::spawn_with(false).await;
    let meta: Meta = app.get_json("/api/v1/meta").await;
    // Twelve districts, five county-level cities, three counties and three functional zones.
    assert_eq!(meta.districts.len(), 23);
    assert!(
        meta.districts
            .iter()
            .any(|d| d.code == "wuhou" && d.name.zh == "武侯区" && d.name.en == "Wuhou District")
    );
    assert!(meta.departments.len() >= 30);
    assert!(
        meta.categories
            .iter()
            .any(|c| c.code == "environment.noise" && c.parent.as_deref() == Some("environment"))
    );
    for category in meta.categories.iter().filter(|c| c.parent.is_some()) {
        let parent = category.parent.as_deref().unwrap();
        assert!(
            meta.categories
                .iter()
                .any(|c| c.code == parent && c.parent.is_none()),
            "{}",
            category.code
        );
    }
    let kinds: Vec<_> = meta.kinds.iter().map(|k| k.code).collect();
    assert_eq!(kinds, CaseKind::ALL);
    let statuses: Vec<_> = meta.statuses.iter().map(|s| s.code).collect();
    assert_eq!(statuses, CaseStatus::ALL);
    for name in meta
        .districts
        .iter()
        .map(|d| &d.name)
        .chain(meta.departments.iter().map(|d| &d.name))
    {
        assert!(!name.zh.is_empty() && !name.en.is_empty());
    }
    assert_eq!(meta.hotline, "12345");
}

#[tokio::test]
async fn health_reports_ok_when_the_database_answers() {
    let app = TestApp::spawn_with(false).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}
