//! Searching documents and announcements: two-character Chinese terms and English words,
//! every match found (checked against a plain scan), an exact title first, highlights that
//! mark the terms, filters that combine, and paging by the search's own cursor.

use api::{AnnouncementSummary, DocumentSummary, Page};

use crate::helpers::TestApp;

/// Every result of a search list, following `next_cursor`.
async fn all<T: serde::de::DeserializeOwned>(app: &TestApp, path: &str) -> Vec<T> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&limit=7&cursor={c}"),
            None => format!("{path}&limit=7"),
        };
        let page: Page<T> = app.get_json(&url).await;
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return items,
        }
    }
}

/// The marked stretches of `text`.
fn marked(text: &str, spans: &[api::Span]) -> Vec<String> {
    spans
        .iter()
        .map(|s| {
            text.chars()
                .skip(s.start as usize)
                .take((s.end - s.start) as usize)
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn chinese_terms_find_every_document_and_announcement_that_holds_them() {
    let app = TestApp::spawn().await;
    let pool = app.pool().await;
    for (table, path, query) in [
        ("documents", "/api/v1/documents?q=", "住房"),
        ("documents", "/api/v1/documents?q=", "医疗"),
        ("documents", "/api/v1/documents?q=", "政务服务"),
        ("announcements", "/api/v1/announcements?q=", "停水"),
        ("announcements", "/api/v1/announcements?q=", "公示"),
    ] {
        let expected: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {table} WHERE title LIKE '%' || $1 || '%' OR body LIKE '%' || $1 || '%' \
             ORDER BY id"
        )))
        .bind(query)
        .fetch_all(&pool)
        .await
        .unwrap();
        assert!(!expected.is_empty(), "demo data holds {query}");
        let mut found: Vec<i64> = if table == "documents" {
            let items: Vec<DocumentSummary> = all(&app, &format!("{path}{query}")).await;
            for d in &items {
                let h = d.highlight.as_ref().expect("a highlight");
                let marks: Vec<String> = marked(&d.title, &h.title)
                    .into_iter()
                    .chain(marked(h.excerpt.as_deref().unwrap_or(""), &h.excerpt_marks))
                    .collect();
                assert!(
                    marks.iter().any(|m| m.contains(query)),
                    "{query} marked in {}",
                    d.title
                );
            }
            items.iter().map(|d| d.id).collect()
        } else {
            let items: Vec<AnnouncementSummary> = all(&app, &format!("{path}{query}")).await;
            assert!(items.iter().all(|a| a.highlight.is_some()));
            items.iter().map(|a| a.id).collect()
        };
        let unique = found.len();
        found.sort_unstable();
        found.dedup();
        assert_eq!(found.len(), unique, "{query}: no result twice across pages");
        assert_eq!(
            found,
            expected.into_iter().map(|(id,)| id).collect::<Vec<_>>(),
            "{query}"
        );
    }
}

#[tokio::test]
async fn an_exact_title_match_comes_first_and_english_words_are_found() {
    let app = TestApp::spawn().await;
    let catalogue: Page<DocumentSummary> = app.get_json("/api/v1/documents?limit=50").await;
    // A title whose words many other documents share (工作, 实施意见, …).
    let target = catalogue
        .items
        .iter()
        .find(|d| d.title.starts_with("关于进一步加强"))
        .expect("a 关于进一步加强… document");
    let results: Page<DocumentSummary> = app
        .get_json(&format!("/api/v1/documents?q={}", target.title))
        .await;
    assert_eq!(results.items[0].id, target.id);
    assert_eq!(
        marked(
            &target.title,
            &results.items[0].highlight.as_ref().unwrap().title
        ),
        std::slice::from_ref(&target.title)
    );
    // English, by word and case-blind.
    let english: Vec<DocumentSummary> =
        all(&app, "/api/v1/documents?q=International%20RESIDENTS").await;
    assert!(!english.is_empty());
    for d in &english {
        let h = d.highlight.as_ref().unwrap();
        let text = format!("{} {}", d.title, h.excerpt.clone().unwrap_or_default()).to_lowercase();
        assert!(
            text.contains("international") || text.contains("residents"),
            "{}",
            d.title
        );
    }
    let announcements: Vec<AnnouncementSummary> =
        all(&app, "/api/v1/announcements?q=international").await;
    assert!(announcements.iter().all(|a| {
        let h = a.highlight.as_ref().unwrap();
        format!("{} {}", a.title, h.excerpt.clone().unwrap_or_default())
            .to_lowercase()
            .contains("international")
    }));
    assert!(!announcements.is_empty());
}

#[tokio::test]
async fn catalogue_filters_combine_with_search_and_bad_ones_are_told() {
    let app = TestApp::spawn().await;
    let housing: Vec<DocumentSummary> = all(&app, "/api/v1/documents?topic=housing").await;
    assert!(!housing.is_empty());
    assert!(housing.iter().all(|d| d.topic == "housing"));
    let year: Vec<DocumentSummary> = all(&app, "/api/v1/documents?year=2024").await;
    assert!(!year.is_empty());
    assert!(year.iter().all(|d| d.issued_on.starts_with("2024-")));
    let searched: Vec<DocumentSummary> = all(
        &app,
        "/api/v1/documents?q=工作&topic=housing&validity=effective",
    )
    .await;
    assert!(!searched.is_empty());
    assert!(
        searched
            .iter()
            .all(|d| d.topic == "housing" && d.validity == api::Validity::Effective)
    );
    for (query, field) in [
        ("topic=environment.noise", "topic"),
        ("topic=nowhere", "topic"),
        ("year=1800", "year"),
        ("q=%3F%21", "q"),
        ("q=工作&cursor=s-1", "cursor"),
        ("q=工作&cursor=s99999", "cursor"),
        ("q=工作&cursor=2026-01-01.5", "cursor"),
        ("cursor=s20", "cursor"),
    ] {
        let body = app
            .get_error(&format!("/api/v1/documents?{query}"), 400)
            .await;
        assert!(
            body.fields.contains_key(field),
            "{query}: {:?}",
            body.fields
        );
    }
    let body = app.get_error("/api/v1/announcements?q=%3F", 400).await;
    assert!(body.fields.contains_key("q"));
}

#[tokio::test]
async fn an_imported_html_body_is_stored_as_plain_text_and_found_by_search() {
    let app = TestApp::spawn().await;
    let store = app.store().await;
    let taxonomy = store.taxonomy().await.unwrap();
    let meta = taxonomy.meta();
    let html = "<h2>第一章 总则</h2><p onclick=\"alert(1)\">为规范<b>电梯</b>加装工作，制定本办法。\
                <script>alert(1)</script><img src=\"https://evil.example/t.gif\"></p>\
                <ul><li><a href=\"javascript:alert(1)\">申请</a></li><li>审批</li></ul>\
                <iframe src=\"https://evil.example\"></iframe><style>p{}</style>";
    let document = civic_server::import::ImportedDocument {
        title: "成都市既有住宅加装电梯管理办法".into(),
        number: Some("成府发〔2026〕30号".into()),
        agency: "housing".into(),
        doc_type: "normative".into(),
        topic: "housing".into(),
        issued_on: "2026-11-20".into(),
        language: "zh-CN".into(),
        html: html.into(),
        attachments: vec![
            (
                "附件1：申请表.pdf".into(),
                b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".to_vec(),
            ),
            (
                "附件2：名单.csv".into(),
                "序号,姓名\n1,示例\n".as_bytes().to_vec(),
            ),
        ],
    };
    let id = civic_server::import::import_document(
        store.as_ref(),
        &meta,
        document.clone(),
        1_795_000_000,
    )
    .await
    .unwrap();
    let response = app.get(&format!("/api/v1/documents/{id}")).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    for needle in [
        "script",
        "onclick",
        "javascript",
        "iframe",
        "evil.example",
        "<",
        "style",
    ] {
        assert!(!text.contains(needle), "{needle} in {text}");
    }
    let stored: api::Document = serde_json::from_str(&text).unwrap();
    // Its files are listed with type and size, and download as they were given.
    let files: Vec<(&str, &str, u64)> = stored
        .attachments
        .iter()
        .map(|a| (a.name.as_str(), a.media_type.as_str(), a.bytes))
        .collect();
    assert_eq!(
        files,
        [
            (
                "附件1：申请表.pdf",
                "application/pdf",
                document.attachments[0].1.len() as u64
            ),
            (
                "附件2：名单.csv",
                "text/csv",
                document.attachments[1].1.len() as u64
            ),
        ]
    );
    let download = app.get(&stored.attachments[0].url).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"attachment-"),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''%E9%99%84%E4%BB%B6"),
        "{disposition}"
    );
    assert_eq!(
        download.bytes().await.unwrap().as_ref(),
        document.attachments[0].1.as_slice()
    );
    for missing in ["/attachments/3", "/attachments/0", "/attachments/x"] {
        let status = app
            .get(&format!("/api/v1/documents/{id}{missing}"))
            .await
            .status();
        assert!(status == 404 || status == 400, "{missing}: {status}");
    }
    // A page dressed as a PDF is refused, and nothing of that document is stored.
    let before = store.next_document_id().await.unwrap();
    let mut disguised = document.clone();
    disguised.attachments = vec![("附件.pdf".into(), b"<html><script>x</script>".to_vec())];
    assert!(
        civic_server::import::import_document(store.as_ref(), &meta, disguised, 1_795_000_000)
            .await
            .is_err()
    );
    assert_eq!(store.next_document_id().await.unwrap(), before);
    assert_eq!(
        stored.body,
        vec![
            api::Block::Heading {
                text: "第一章 总则".into()
            },
            api::Block::paragraph("为规范电梯加装工作，制定本办法。"),
            api::Block::List {
                ordered: false,
                items: vec!["申请".into(), "审批".into()]
            },
        ]
    );
    // Found at once by a two-character term of its body, with the exact title first.
    let found: Page<DocumentSummary> = app.get_json("/api/v1/documents?q=电梯").await;
    assert_eq!(found.items[0].id, id);
    // Bad fields are refused before anything is stored.
    for (field, bad) in [
        ("agency", "nobody"),
        ("doc_type", "memo"),
        ("topic", "housing.rent"),
        ("issued_on", "2026-13-01"),
    ] {
        let mut wrong = document.clone();
        match field {
            "agency" => wrong.agency = bad.into(),
            "doc_type" => wrong.doc_type = bad.into(),
            "topic" => wrong.topic = bad.into(),
            _ => wrong.issued_on = bad.into(),
        }
        assert!(
            civic_server::import::import_document(store.as_ref(), &meta, wrong, 1_795_000_000)
                .await
                .is_err(),
            "{field}"
        );
    }
    let mut empty = document;
    empty.html = "<script>only this</script>".into();
    assert!(
        civic_server::import::import_document(store.as_ref(), &meta, empty, 1_795_000_000)
            .await
            .is_err()
    );
}

/// The board's search must find the same cases in the same order however common its terms
/// are: a term in every other case of thousands (found by walking the newest cases, on
/// PostgreSQL) and a term only in cases older than the newest five thousand (found by the
/// index), page after page.
#[tokio::test]
async fn board_search_orders_common_and_rare_terms_alike_over_thousands_of_cases() {
    use api::{CaseNumber, CaseStatus, CaseSummary};
    use civic_server::clock;

    use crate::stats::{Story, at, codes, record};

    const CASES: usize = 6_000;
    let app = TestApp::spawn_with(false).await;
    let codes = codes(&app).await;
    let start = at(time::macros::date!(2025 - 01 - 01), 8, 0, 0);
    let title = |i: usize| match i {
        _ if i < 30 => "井盖缺失无人修",
        _ if i.is_multiple_of(2) => "路灯不亮很久了",
        _ => "一件普通的事情",
    };
    let records: Vec<_> = (0..CASES)
        .map(|i| {
            let story = Story {
                title: title(i),
                ..Story::new(start + 300 * i as i64, CaseStatus::Accepted)
            };
            let mut r = record(&codes, 0, &story);
            let day = clock::compact_date(clock::cst_date(story.filed));
            // Five-minute steps: at most 288 a day, so a per-day sequence from the index.
            r.number = CaseNumber::from_parts(&day, 1 + (i % 1000) as u32).unwrap();
            r.tracking_hash = format!("{i:064x}");
            r
        })
        .collect();
    app.store().await.insert_cases(&records).await.unwrap();
    let newest_first = |word: &str| -> Vec<String> {
        records
            .iter()
            .rev()
            .filter(|r| r.title.contains(word))
            .map(|r| r.number.to_string())
            .collect()
    };
    for (query, limit) in [("井盖", 7), ("路灯", 50), ("路灯不亮", 50)] {
        let mut found = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let encoded: String = query.bytes().map(|b| format!("%{b:02X}")).collect();
            let mut url = format!("/api/v1/cases?limit={limit}&q={encoded}");
            if let Some(c) = &cursor {
                url.push_str(&format!("&cursor={c}"));
            }
            let page: Page<CaseSummary> = app.get_json(&url).await;
            found.extend(page.items.into_iter().map(|c| c.number.to_string()));
            assert!(found.len() <= CASES, "{query}: the pages never end");
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let expected = newest_first(&query[..6]);
        assert_eq!(found.len(), expected.len(), "{query}");
        assert_eq!(found, expected, "{query}");
    }
}
