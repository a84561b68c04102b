//! The Atom feeds: well-formed XML in the Atom namespace, newest first, with the elements
//! Atom requires, relative links to the app's pages, and hostile titles kept as text.

use api::{Announcement, AnnouncementSummary, Block, ContentLanguage};

use crate::helpers::TestApp;

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Fetches a feed and checks what every Atom feed must carry; answers its entries as
/// (id, title, link, updated).
async fn read_feed(app: &TestApp, path: &str) -> Vec<(String, String, String, String)> {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    fn child<'a, 'input>(
        node: roxmltree::Node<'a, 'input>,
        name: &str,
    ) -> roxmltree::Node<'a, 'input> {
        node.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
            .unwrap_or_else(|| panic!("<{name}> missing"))
    }
    for name in ["id", "title", "updated", "author"] {
        child(feed, name);
    }
    feed.children()
        .filter(|c| c.is_element() && c.tag_name().name() == "entry")
        .map(|entry| {
            let text = |name| child(entry, name).text().unwrap_or_default().to_owned();
            let link = child(entry, "link").attribute("href").unwrap().to_owned();
            let updated = text("updated");
            assert!(
                time::OffsetDateTime::parse(
                    &updated,
                    &time::format_description::well_known::Rfc3339
                )
                .is_ok(),
                "{updated}"
            );
            (text("id"), text("title"), link, updated)
        })
        .collect()
}

#[tokio::test]
async fn both_feeds_are_atom_newest_first_with_links_to_their_pages() {
    let app = TestApp::spawn().await;
    for (path, page) in [
        ("/feeds/announcements.atom", "/announcements/"),
        ("/feeds/documents.atom", "/documents/"),
    ] {
        let entries = read_feed(&app, path).await;
        assert_eq!(entries.len(), 50, "{path}: the newest 50");
        let mut ids = std::collections::BTreeSet::new();
        for (id, title, link, _) in &entries {
            assert!(ids.insert(id.clone()), "ids are unique: {id}");
            assert!(!title.is_empty());
            assert!(link.starts_with(page), "{link}");
            // The linked page exists in the API.
            let api_path = format!("/api/v1{link}");
            assert_eq!(app.get(&api_path).await.status(), 200, "{api_path}");
        }
        let updated: Vec<_> = entries.iter().map(|e| e.3.clone()).collect();
        let mut sorted = updated.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(updated, sorted, "{path} is newest first");
    }
}

#[tokio::test]
async fn a_hostile_title_stays_text_in_the_feed() {
    let app = TestApp::spawn_with(false).await;
    let title = "<script>alert('x')</script> & \"quotes\" ]]> \u{1}";
    app.store()
        .await
        .insert_announcements(&[Announcement {
            summary: AnnouncementSummary {
                id: 1,
                title: title.to_owned(),
                agency: "ecology".to_owned(),
                published_at: "2026-11-26T09:00:00+08:00".to_owned(),
                pinned: false,
                language: ContentLanguage::ZhCn,
                highlight: None,
            },
            body: vec![Block::paragraph("正文")],
        }])
        .await
        .unwrap();
    let entries = read_feed(&app, "/feeds/announcements.atom").await;
    assert_eq!(entries.len(), 1);
    // The same words come back as text (the control character, which XML cannot carry,
    // is dropped); nothing became markup.
    assert_eq!(entries[0].1, title.replace('\u{1}', ""));
    let raw = app
        .get("/feeds/announcements.atom")
        .await
        .text()
        .await
        .unwrap();
    assert!(!raw.contains("<script>"));
}

#[tokio::test]
async fn an_empty_database_gives_valid_empty_feeds() {
    let app = TestApp::spawn_with(false).await;
    assert!(
        read_feed(&app, "/feeds/announcements.atom")
            .await
            .is_empty()
    );
    assert!(read_feed(&app, "/feeds/documents.atom").await.is_empty());
}
