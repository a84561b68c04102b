use std::collections::HashSet;

use api::{
    Announcement, AnnouncementSummary, CaseDetail, CaseStatus, CaseSummary, Document,
    DocumentSummary, DocumentType, Page, Validity,
};

use crate::helpers::TestApp;

/// Follows `next_cursor` from `path` to the last page.
pub async fn walk<T: serde::de::DeserializeOwned>(app: &TestApp, path: &str) -> Vec<T> {
    let mut items = Vec::new();
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut url = path.to_owned();
    loop {
        let page: Page<T> = app.get_json(&url).await;
        items.extend(page.items);
        match page.next_cursor {
            Some(cursor) => url = format!("{path}{separator}cursor={cursor}"),
            None => return items,
        }
    }
}

#[tokio::test]
async fn the_case_list_pages_through_every_published_case_newest_first_without_repeats() {
    let app = TestApp::spawn().await;
    let cases: Vec<CaseSummary> = walk(&app, "/api/v1/cases?limit=50").await;
    let (published,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases WHERE published = true")
        .fetch_one(&app.pool().await)
        .await
        .unwrap();
    assert!(published > 150, "demo data publishes most of its 300 cases");
    assert_eq!(cases.len() as i64, published);
    let numbers: HashSet<_> = cases.iter().map(|c| c.number.clone()).collect();
    assert_eq!(numbers.len(), cases.len(), "no case appears twice");
    assert!(
        cases
            .windows(2)
            .all(|w| w[0].submitted_at >= w[1].submitted_at)
    );
    let statuses: HashSet<_> = cases.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses.len(),
        CaseStatus::ALL.len(),
        "demo data covers every status"
    );
    assert!(
        cases.iter().any(|c| c.overdue),
        "demo data has overdue cases"
    );
}

#[tokio::test]
async fn unpublished_cases_are_not_listed_and_show_only_their_progress() {
    let app = TestApp::spawn().await;
    let (number,): (String,) =
        sqlx::query_as("SELECT number FROM cases WHERE published = false LIMIT 1")
            .fetch_one(&app.pool().await)
            .await
            .unwrap();
    let listed: Vec<CaseSummary> = walk(&app, "/api/v1/cases?limit=50").await;
    assert!(listed.iter().all(|c| c.number.as_str() != number));
    // Its page holds only its progress (see tracking and filing tests for what that hides).
    let page: api::CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    assert!(!page.published && page.summary.title.is_empty() && page.reply.is_none());
}

#[tokio::test]
async fn filters_narrow_the_case_list_and_a_group_matches_its_children() {
    let app = TestApp::spawn().await;
    let table = [
        (
            "status=replied",
            Box::new(|c: &CaseSummary| c.status == CaseStatus::Replied)
                as Box<dyn Fn(&CaseSummary) -> bool>,
        ),
        (
            "kind=complaint",
            Box::new(|c: &CaseSummary| c.kind == Some(api::CaseKind::Complaint)),
        ),
        (
            "district=wuhou",
            Box::new(|c: &CaseSummary| c.district == "wuhou"),
        ),
        (
            "category=environment",
            Box::new(|c: &CaseSummary| c.category.starts_with("environment.")),
        ),
        (
            "category=environment.noise",
            Box::new(|c: &CaseSummary| c.category == "environment.noise"),
        ),
        (
            "status=closed&kind=complaint",
            Box::new(|c: &CaseSummary| {
                c.status == CaseStatus::Closed && c.kind == Some(api::CaseKind::Complaint)
            }),
        ),
    ];
    let all: Vec<CaseSummary> = walk(&app, "/api/v1/cases?limit=50").await;
    for (query, keep) in table {
        let filtered: Vec<CaseSummary> =
            walk(&app, &format!("/api/v1/cases?limit=50&{query}")).await;
        let expected: Vec<_> = all
            .iter()
            .filter(|c| keep(c))
            .map(|c| c.number.clone())
            .collect();
        assert!(!expected.is_empty(), "{query} matches some demo cases");
        assert_eq!(
            filtered
                .iter()
                .map(|c| c.number.clone())
                .collect::<Vec<_>>(),
            expected,
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_published_case_shows_its_timeline_and_reply_but_no_contact_details() {
    let app = TestApp::spawn().await;
    let replied: Page<CaseSummary> = app.get_json("/api/v1/cases?status=closed&limit=1").await;
    let number = &replied.items[0].number;
    let response = app.get(&format!("/api/v1/cases/{number}")).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let case: CaseDetail = serde_json::from_str(&text).unwrap();
    assert_eq!(&case.summary.number, number);
    assert_eq!(
        case.timeline.first().map(|e| e.status),
        Some(CaseStatus::Submitted)
    );
    assert_eq!(
        case.timeline.last().map(|e| e.status),
        Some(CaseStatus::Closed)
    );
    assert!(case.timeline.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(case.reply.is_some());
    if let Some(submitter) = &case.submitter {
        assert_eq!(
            submitter.chars().count(),
            3,
            "masked to one character and two stars"
        );
        assert!(submitter.ends_with("**"));
    }
    // No contact detail and no tracking hash of any case appears in the public page.
    let contacts: Vec<(String, String)> = sqlx::query_as("SELECT name, phone FROM case_contacts")
        .fetch_all(&app.pool().await)
        .await
        .unwrap();
    for (name, phone) in contacts {
        assert!(!text.contains(&phone));
        assert!(name.chars().count() < 2 || !text.contains(&name), "{name}");
    }
    assert!(!text.contains("tracking"));
    assert!(!text.contains("phone"));
}

#[tokio::test]
async fn unknown_or_malformed_case_numbers_are_told_apart() {
    let app = TestApp::spawn_with(false).await;
    let body = app.get_error("/api/v1/cases/20200101-0001", 404).await;
    assert_eq!(body.code, api::ErrorCode::NotFound);
    let body = app.get_error("/api/v1/cases/not-a-number", 400).await;
    assert_eq!(
        body.fields["number"][0].code,
        api::FieldErrorCode::InvalidFormat
    );
}

#[tokio::test]
async fn documents_page_newest_first_filter_and_link_to_their_replacements() {
    let app = TestApp::spawn().await;
    let documents: Vec<DocumentSummary> = walk(&app, "/api/v1/documents?limit=50").await;
    assert_eq!(documents.len(), 120);
    assert!(
        documents
            .windows(2)
            .all(|w| w[0].published_on >= w[1].published_on)
    );
    let repealed: Vec<DocumentSummary> = walk(&app, "/api/v1/documents?validity=repealed").await;
    assert!(!repealed.is_empty());
    assert!(repealed.iter().all(|d| d.validity == Validity::Repealed));
    let old: Document = app
        .get_json(&format!("/api/v1/documents/{}", repealed[0].id))
        .await;
    let newer: Document = app
        .get_json(&format!(
            "/api/v1/documents/{}",
            old.replaced_by
                .expect("a repealed document names its replacement")
        ))
        .await;
    assert_eq!(newer.summary.topic, old.summary.topic);
    // Linked both ways: the newer one names what it replaced.
    assert!(newer.replaces.contains(&old.summary.id));
    let interpretations: Vec<DocumentSummary> =
        walk(&app, "/api/v1/documents?doc_type=interpretation").await;
    assert!(!interpretations.is_empty());
    let interpretation: Document = app
        .get_json(&format!("/api/v1/documents/{}", interpretations[0].id))
        .await;
    assert_eq!(
        interpretation.summary.doc_type,
        DocumentType::Interpretation
    );
    let target: Document = app
        .get_json(&format!(
            "/api/v1/documents/{}",
            interpretation.interprets.unwrap()
        ))
        .await;
    assert!(interpretation.summary.title.contains(&target.summary.title));
    // Linked both ways: the document lists its interpretations.
    assert!(target.interpretations.contains(&interpretation.summary.id));
    for id in &target.interpretations {
        let other: Document = app.get_json(&format!("/api/v1/documents/{id}")).await;
        assert_eq!(other.interprets, Some(target.summary.id));
    }
    assert!(!interpretation.body.is_empty());
    let by_agency: Vec<DocumentSummary> = walk(&app, "/api/v1/documents?agency=education").await;
    assert!(by_agency.iter().all(|d| d.agency == "education"));
    app.get_error("/api/v1/documents/99999", 404).await;
}

#[tokio::test]
async fn announcements_put_pinned_ones_first_then_the_newest() {
    let app = TestApp::spawn().await;
    let items: Vec<AnnouncementSummary> = walk(&app, "/api/v1/announcements?limit=7").await;
    assert_eq!(items.len(), 60);
    let pinned = items.iter().take_while(|a| a.pinned).count();
    assert_eq!(pinned, 3);
    assert!(items[pinned..].iter().all(|a| !a.pinned));
    assert!(
        items[pinned..]
            .windows(2)
            .all(|w| w[0].published_at >= w[1].published_at)
    );
    assert!(items.iter().any(|a| a.language == api::ContentLanguage::En));
    let first: Announcement = app
        .get_json(&format!("/api/v1/announcements/{}", items[0].id))
        .await;
    assert_eq!(first.summary, items[0]);
    assert!(!first.body.is_empty());
    app.get_error("/api/v1/announcements/0", 400).await;
    app.get_error("/api/v1/announcements/424242", 404).await;
}

#[tokio::test]
async fn an_empty_database_gives_empty_lists_not_errors() {
    let app = TestApp::spawn_with(false).await;
    for path in [
        "/api/v1/cases",
        "/api/v1/documents",
        "/api/v1/announcements",
    ] {
        let page: Page<serde_json::Value> = app.get_json(path).await;
        assert!(page.items.is_empty(), "{path}");
        assert!(page.next_cursor.is_none(), "{path}");
    }
}

#[tokio::test]
async fn the_board_filters_by_department_and_filing_dates_and_sorts_by_reply() {
    let app = TestApp::spawn().await;
    let all: Vec<CaseSummary> = walk(&app, "/api/v1/cases?limit=50").await;
    let department = all
        .iter()
        .find_map(|c| c.department.clone())
        .expect("some case is assigned");
    let by_department: Vec<CaseSummary> = walk(
        &app,
        &format!("/api/v1/cases?limit=50&department={department}"),
    )
    .await;
    let expected: Vec<_> = all
        .iter()
        .filter(|c| c.department.as_deref() == Some(department.as_str()))
        .collect();
    assert_eq!(by_department.len(), expected.len());

    // A date range is inclusive of both days, in China Standard Time.
    let day = all[all.len() / 2].submitted_at[..10].to_owned();
    let on_day: Vec<CaseSummary> =
        walk(&app, &format!("/api/v1/cases?limit=50&from={day}&to={day}")).await;
    assert!(!on_day.is_empty());
    assert!(on_day.iter().all(|c| c.submitted_at.starts_with(&day)));
    assert_eq!(
        on_day.len(),
        all.iter()
            .filter(|c| c.submitted_at.starts_with(&day))
            .count()
    );

    // Recently replied first, every replied case once, through the keyset pages.
    let replied: Vec<CaseSummary> = walk(&app, "/api/v1/cases?limit=7&sort=replied").await;
    assert_eq!(
        replied.len(),
        all.iter().filter(|c| c.replied_at.is_some()).count()
    );
    assert!(
        replied
            .windows(2)
            .all(|w| w[0].replied_at >= w[1].replied_at)
    );
    let numbers: HashSet<_> = replied.iter().map(|c| c.number.clone()).collect();
    assert_eq!(numbers.len(), replied.len());

    // A cursor of one order is refused by the other.
    let page: Page<CaseSummary> = app.get_json("/api/v1/cases?limit=2&sort=replied").await;
    let cursor = page.next_cursor.unwrap();
    let body = app
        .get_error(&format!("/api/v1/cases?cursor={cursor}"), 400)
        .await;
    assert_eq!(
        body.fields["cursor"][0].code,
        api::FieldErrorCode::InvalidFormat
    );
    for (query, field) in [
        ("sort=oldest", "sort"),
        ("from=2026-02-30", "from"),
        ("from=2026-11-02&to=2026-11-01", "to"),
        ("department=nobody", "department"),
    ] {
        let body = app.get_error(&format!("/api/v1/cases?{query}"), 400).await;
        assert!(body.fields.contains_key(field), "{query}");
    }
}

#[tokio::test]
async fn two_character_chinese_terms_and_english_words_find_the_cases_that_hold_them() {
    let app = TestApp::spawn().await;
    let pool = app.pool().await;
    // Demo data files few cases in English; make sure one speaks of noise.
    let mut english = crate::filing::valid_case();
    english["title"] = serde_json::json!("Loud noise from the bar downstairs");
    english["description"] =
        serde_json::json!("Music until 2am every night in the bar below our flat.");
    app.file_reviewed(&english).await;
    for (query, needle) in [
        ("噪音", "噪音"),
        ("停车", "停车"),
        ("路灯", "路灯"),
        ("noise", "noise"),
        ("施工噪音", "施工噪音"),
    ] {
        let found: Vec<CaseSummary> =
            walk(&app, &format!("/api/v1/cases?limit=50&q={query}")).await;
        // What a plain scan of the published cases finds (case-blind for English).
        let (expected,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM cases WHERE published = true AND \
             (lower(title) LIKE '%' || $1 || '%' OR lower(description) LIKE '%' || $1 || '%' \
              OR lower(place) LIKE '%' || $1 || '%')",
        )
        .bind(needle)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(expected > 0, "demo data holds {needle}");
        assert_eq!(found.len() as i64, expected, "{query}");
    }
    // Terms combine with filters, and must all match.
    let noisy_wuhou: Vec<CaseSummary> =
        walk(&app, "/api/v1/cases?limit=50&q=噪音&district=wuhou").await;
    assert!(noisy_wuhou.iter().all(|c| c.district == "wuhou"));
    let nothing: Page<CaseSummary> = app.get_json("/api/v1/cases?q=噪音%20parking").await;
    assert!(nothing.items.is_empty());
    let body = app.get_error("/api/v1/cases?q=%3F%21", 400).await;
    assert_eq!(body.fields["q"][0].code, api::FieldErrorCode::InvalidFormat);
    let long = "字".repeat(101);
    let body = app.get_error(&format!("/api/v1/cases?q={long}"), 400).await;
    assert_eq!(body.fields["q"][0].code, api::FieldErrorCode::TooLong);
}

#[tokio::test]
async fn a_filed_case_is_found_by_search_once_published() {
    let app = TestApp::spawn_with(false).await;
    let receipt: api::CaseReceipt = app
        .post_case(&crate::filing::valid_case(), None)
        .await
        .json()
        .await
        .unwrap();
    let found: Page<CaseSummary> = app.get_json("/api/v1/cases?q=扰民").await;
    assert!(found.items.is_empty(), "not before the centre's review");
    app.publish(receipt.number.as_str()).await;
    let found: Page<CaseSummary> = app.get_json("/api/v1/cases?q=扰民").await;
    assert_eq!(
        found
            .items
            .iter()
            .map(|c| c.number.clone())
            .collect::<Vec<_>>(),
        vec![receipt.number]
    );
}

#[tokio::test]
async fn similar_cases_share_words_with_a_title_best_match_first_and_only_published() {
    let app = TestApp::spawn_with(false).await;
    let mut numbers = Vec::new();
    for (title, description, publish) in [
        (
            "小区门口夜间施工噪音扰民",
            "工地每晚十一点后还在施工，噪音很大。",
            true,
        ),
        (
            "夜间施工噪音",
            "凌晨还在打桩，无法入睡，请尽快处理。",
            false,
        ),
        ("共享单车乱停放", "地铁站出口单车堆积，行人无法通行。", true),
        (
            "施工围挡占用人行道",
            "围挡占了一半人行道，老人孩子只能走机动车道。",
            true,
        ),
    ] {
        let mut case = crate::filing::valid_case();
        case["title"] = serde_json::json!(title);
        case["description"] = serde_json::json!(description);
        case["place"] = serde_json::json!("某街道");
        case["publish"] = serde_json::json!(publish);
        let receipt = app.file_reviewed(&case).await;
        numbers.push(receipt.number);
    }
    let similar: Vec<CaseSummary> = app
        .get_json("/api/v1/cases/similar?text=晚上施工噪音太大")
        .await;
    let found: Vec<_> = similar.iter().map(|c| c.number.clone()).collect();
    // The noise case shares 施工, 工噪 and 噪音; the hoarding case only 施工; the bicycle
    // case nothing; the unpublished noise case is never offered.
    assert_eq!(found, vec![numbers[0].clone(), numbers[3].clone()]);
    let one: Vec<CaseSummary> = app
        .get_json("/api/v1/cases/similar?text=晚上施工噪音太大&limit=1")
        .await;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].number, numbers[0]);
    let none: Vec<CaseSummary> = app.get_json("/api/v1/cases/similar?text=%21%3F").await;
    assert!(none.is_empty());
    for (query, field) in [
        ("text=%20", "text"),
        ("text=噪音&limit=6", "limit"),
        ("text=噪音&limit=0", "limit"),
    ] {
        let body = app
            .get_error(&format!("/api/v1/cases/similar?{query}"), 400)
            .await;
        assert!(body.fields.contains_key(field), "{query}");
    }
    let long = "字".repeat(101);
    let body = app
        .get_error(&format!("/api/v1/cases/similar?text={long}"), 400)
        .await;
    assert_eq!(body.fields["text"][0].code, api::FieldErrorCode::TooLong);
    app.get_error("/api/v1/cases/similar", 400).await;
}

#[tokio::test]
async fn demo_documents_come_with_files_listed_by_type_and_size() {
    let app = TestApp::spawn().await;
    let document: api::Document = app.get_json("/api/v1/documents/10").await;
    assert!(!document.attachments.is_empty());
    for attachment in &document.attachments {
        let response = app.get(&attachment.url).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            attachment.media_type.as_str()
        );
        let bytes = response.bytes().await.unwrap();
        assert_eq!(bytes.len() as u64, attachment.bytes, "{}", attachment.name);
        if attachment.media_type == "application/pdf" {
            assert!(bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF\n"));
        }
    }
    let plain: api::Document = app.get_json("/api/v1/documents/11").await;
    assert!(plain.attachments.is_empty());
}
