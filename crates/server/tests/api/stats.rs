//! `GET /api/v1/stats` against a small data set whose figures were worked out by hand.

use api::{CaseKind, CaseNumber, CaseStatus, Meta, Rating, Stats};
use civic_server::clock;
use civic_server::storage::{CaseRecord, EventRecord};
use time::macros::date;
use time::{Date, Duration};

use crate::helpers::TestApp;

/// The instant `h:m:s` China Standard Time on `day`.
pub(crate) fn at(day: Date, h: i64, m: i64, s: i64) -> i64 {
    clock::start_of_day(day) + h * 3600 + m * 60 + s
}

pub(crate) struct Codes {
    districts: Vec<String>,
    departments: Vec<String>,
    categories: Vec<String>,
}

pub(crate) async fn codes(app: &TestApp) -> Codes {
    let meta: Meta = app.get_json("/api/v1/meta").await;
    Codes {
        districts: meta.districts.iter().map(|d| d.code.clone()).collect(),
        departments: meta.departments.iter().map(|d| d.code.clone()).collect(),
        categories: meta
            .categories
            .iter()
            .filter(|c| c.parent.is_some())
            .map(|c| c.code.clone())
            .collect(),
    }
}

/// What happened to a case, in the few words the figures care about.
pub(crate) struct Story {
    pub(crate) filed: i64,
    pub(crate) district: usize,
    pub(crate) department: Option<usize>,
    pub(crate) category: usize,
    pub(crate) status: CaseStatus,
    pub(crate) deadline: Option<Date>,
    pub(crate) replied: Option<i64>,
    pub(crate) rating: Option<Rating>,
    pub(crate) follow_up: Option<i64>,
    pub(crate) title: &'static str,
    pub(crate) published: bool,
}

impl Story {
    pub(crate) fn new(filed: i64, status: CaseStatus) -> Self {
        Self {
            filed,
            district: 0,
            department: Some(0),
            category: 0,
            status,
            deadline: None,
            replied: None,
            rating: None,
            follow_up: None,
            title: "一件普通的事情",
            published: true,
        }
    }
}

pub(crate) fn record(codes: &Codes, n: u32, story: &Story) -> CaseRecord {
    let day = clock::cst_date(story.filed);
    let department = story.department.map(|i| codes.departments[i].clone());
    let mut events = vec![EventRecord {
        at: story.filed,
        status: CaseStatus::Submitted,
        department: None,
        note: None,
        rating: None,
        follow_up: false,
        action: None,
        actor: None,
    }];
    if let Some(replied) = story.replied {
        events.push(EventRecord {
            at: replied,
            status: CaseStatus::Replied,
            department: department.clone(),
            note: None,
            rating: None,
            follow_up: false,
            action: None,
            actor: None,
        });
    }
    if let Some(rating) = story.rating {
        events.push(EventRecord {
            at: story.replied.unwrap() + 3600,
            status: CaseStatus::Closed,
            department: department.clone(),
            note: None,
            rating: Some(rating),
            follow_up: false,
            action: None,
            actor: None,
        });
    }
    if let Some(follow_up) = story.follow_up {
        events.push(EventRecord {
            at: follow_up,
            status: CaseStatus::InProgress,
            department: department.clone(),
            note: Some("请再处理".into()),
            rating: None,
            follow_up: true,
            action: None,
            actor: None,
        });
    }
    CaseRecord {
        number: CaseNumber::from_parts(&clock::compact_date(day), 9000 + n).unwrap(),
        kind: CaseKind::Complaint,
        category: codes.categories[story.category].clone(),
        district: codes.districts[story.district].clone(),
        place: "某处".into(),
        coordinates: None,
        title: story.title.into(),
        description: "一段足够长的描述文字，说明情况。".into(),
        status: story.status,
        department: department.clone(),
        publication: if story.published {
            api::PublicationState::Published
        } else {
            api::PublicationState::Private
        },
        contact: None,
        submitted_at: story.filed,
        deadline: story.deadline,
        reply: story
            .replied
            .map(|r| (r, department.clone().unwrap(), "已处理。".to_owned())),
        events,
        tracking_hash: format!("{n:064x}"),
        extras: Default::default(),
    }
}

/// March 2025 (no public holiday in it) and its edges.
fn march_stories() -> Vec<Story> {
    use CaseStatus::*;
    vec![
        // 1. Monday 3 March, replied Wednesday 5 March (2 working days) by a 6 March
        //    deadline, rated satisfied: closed.
        Story {
            deadline: Some(date!(2025 - 03 - 06)),
            replied: Some(at(date!(2025 - 03 - 05), 15, 0, 0)),
            rating: Some(Rating::Satisfied),
            ..Story::new(at(date!(2025 - 03 - 03), 10, 0, 0), Closed)
        },
        // 2. Monday 3 March, replied Monday 10 March (5 working days), after its 6 March
        //    deadline; rated dissatisfied and reopened on 12 March, owing a new reply
        //    whose deadline has passed: overdue now.
        Story {
            deadline: Some(date!(2025 - 03 - 06)),
            replied: Some(at(date!(2025 - 03 - 10), 9, 0, 0)),
            rating: Some(Rating::Dissatisfied),
            follow_up: Some(at(date!(2025 - 03 - 12), 9, 0, 0)),
            ..Story::new(at(date!(2025 - 03 - 03), 11, 0, 0), InProgress)
        },
        // 3. The last second of March, in another district, another department: accepted,
        //    never replied, deadline 3 April passed: overdue now.
        Story {
            district: 2,
            department: Some(1),
            deadline: Some(date!(2025 - 04 - 03)),
            ..Story::new(at(date!(2025 - 03 - 31), 23, 59, 59), Assigned)
        },
        // 4. The first second of April: not March.
        Story {
            department: Some(1),
            deadline: Some(date!(2025 - 04 - 07)),
            replied: Some(at(date!(2025 - 04 - 02), 9, 0, 0)),
            ..Story::new(at(date!(2025 - 04 - 01), 0, 0, 0), Replied)
        },
        // 5. The last second of February: not March.
        Story {
            department: None,
            ..Story::new(at(date!(2025 - 02 - 28), 23, 59, 59), Submitted)
        },
        // 6. Waiting for a decision: received only.
        Story {
            department: None,
            ..Story::new(at(date!(2025 - 03 - 10), 8, 0, 0), Submitted)
        },
        // 7. Declined: received only.
        Story {
            department: None,
            ..Story::new(at(date!(2025 - 03 - 11), 8, 0, 0), Rejected)
        },
        // 8. District 1, department 1: replied the same day (0 working days) by its
        //    deadline, rated basically satisfied: closed.
        Story {
            district: 1,
            department: Some(1),
            deadline: Some(date!(2025 - 03 - 17)),
            replied: Some(at(date!(2025 - 03 - 12), 17, 0, 0)),
            rating: Some(Rating::BasicallySatisfied),
            ..Story::new(at(date!(2025 - 03 - 12), 9, 0, 0), Closed)
        },
    ]
}

async fn app_with(stories: &[Story]) -> (TestApp, Codes) {
    let app = TestApp::spawn_with(false).await;
    let codes = codes(&app).await;
    let records: Vec<CaseRecord> = stories
        .iter()
        .enumerate()
        .map(|(i, s)| record(&codes, i as u32 + 1, s))
        .collect();
    app.store().await.insert_cases(&records).await.unwrap();
    (app, codes)
}

#[tokio::test]
async fn the_figures_of_a_month_match_the_hand_count() {
    let (app, codes) = app_with(&march_stories()).await;
    let march: Stats = app
        .get_json("/api/v1/stats?period=custom&from=2025-03-01&to=2025-03-31")
        .await;
    assert_eq!(
        (march.from.as_str(), march.to.as_str()),
        ("2025-03-01", "2025-03-31")
    );
    let f = &march.figures;
    // Cases 1, 2, 3, 6, 7 and 8; 4 and 5 fall either side of the month's midnights.
    assert_eq!(f.received, 6);
    assert_eq!(f.accepted, 4, "1, 2, 3 and 8");
    assert_eq!(f.replied, 3, "1, 2 and 8");
    assert_eq!(f.closed, 2, "1 and 8; 2 was reopened");
    assert_eq!(f.on_time, 2, "1 and 8");
    assert_eq!(f.overdue_now, 2, "2 (reopened) and 3");
    assert_eq!((f.rated, f.satisfied, f.reopened), (3, 2, 1));
    assert_eq!(f.reply_rate, Some(750));
    assert_eq!(f.on_time_rate, Some(667));
    assert_eq!(f.satisfaction_rate, Some(667));
    assert_eq!(f.reopened_rate, Some(333));
    // Working days to reply: 2, 5 and 0: mean 2.3, median 2.
    assert_eq!(f.reply_days_avg_tenths, Some(23));
    assert_eq!(f.reply_days_median_tenths, Some(20));

    // Departments: 0 handled 1 and 2, 1 handled 3 and 8; neither has enough to be ranked.
    let d0 = march
        .departments
        .iter()
        .find(|r| r.code == codes.departments[0])
        .unwrap();
    assert_eq!(
        (
            d0.received,
            d0.replied,
            d0.on_time_rate,
            d0.satisfaction_rate
        ),
        (2, 2, Some(500), Some(500))
    );
    let d1 = march
        .departments
        .iter()
        .find(|r| r.code == codes.departments[1])
        .unwrap();
    assert_eq!(
        (d1.received, d1.replied, d1.on_time_rate),
        (2, 1, Some(1000))
    );
    assert!(march.departments.iter().all(|r| !r.ranked));
    assert_eq!(
        march.departments.len(),
        2,
        "unassigned cases rank no department"
    );
    let by_district: Vec<(String, u64)> = march
        .districts
        .iter()
        .map(|r| (r.code.clone(), r.received))
        .collect();
    for (i, received) in [(0, 4), (1, 1), (2, 1)] {
        assert!(by_district.contains(&(codes.districts[i].clone(), received)));
    }

    // The trend ends with the period's month; cases are counted by the month they came in.
    assert_eq!(march.trend.len(), 12);
    assert_eq!(march.trend[0].month, "2024-04");
    let last = march.trend.last().unwrap();
    assert_eq!(
        (last.month.as_str(), last.received, last.replied),
        ("2025-03", 6, 3)
    );
    assert_eq!(last.on_time_rate, Some(667));
    assert_eq!(march.trend[10].received, 1, "case 5, in February");
    // A whole past month is counted in full; a period stopping inside it is not.
    assert!(march.trend.iter().all(|m| !m.partial));
    let half: Stats = app
        .get_json("/api/v1/stats?period=custom&from=2025-03-01&to=2025-03-15")
        .await;
    let partial: Vec<&str> = half
        .trend
        .iter()
        .filter(|m| m.partial)
        .map(|m| m.month.as_str())
        .collect();
    assert_eq!(partial, ["2025-03"]);

    // April holds case 4 alone: filed at midnight, replied on time.
    let april: Stats = app
        .get_json("/api/v1/stats?period=custom&from=2025-04-01&to=2025-04-30")
        .await;
    assert_eq!((april.figures.received, april.figures.on_time), (1, 1));
    // One day, the last of March: case 3 alone.
    let day: Stats = app
        .get_json("/api/v1/stats?period=custom&from=2025-03-31&to=2025-03-31")
        .await;
    assert_eq!(day.figures.received, 1);
}

#[tokio::test]
async fn a_district_where_everything_is_overdue_and_a_period_with_nothing() {
    let (app, codes) = app_with(&march_stories()).await;
    let district = &codes.districts[2];
    let s: Stats = app
        .get_json(&format!(
            "/api/v1/stats?period=custom&from=2025-03-01&to=2025-03-31&district={district}"
        ))
        .await;
    let f = &s.figures;
    assert_eq!(
        (f.received, f.accepted, f.replied, f.overdue_now),
        (1, 1, 0, 1)
    );
    assert_eq!(f.reply_rate, Some(0));
    assert_eq!((f.on_time_rate, f.satisfaction_rate), (None, None));
    assert_eq!(f.reply_days_median_tenths, None);
    assert!(
        s.districts.is_empty(),
        "no district ranking inside a district"
    );

    let empty: Stats = app
        .get_json("/api/v1/stats?period=custom&from=2024-01-01&to=2024-01-31")
        .await;
    assert_eq!(empty.figures, api::Figures::default());
    assert!(empty.departments.is_empty() && empty.districts.is_empty());
    assert!(empty.trend.iter().all(|m| m.received == 0));
}

#[tokio::test]
async fn rising_categories_and_words_compare_the_last_thirty_days_with_the_thirty_before() {
    let today = clock::cst_date(clock::now());
    let days_ago = |n: i64| at(today - Duration::days(n), 10, 0, 0);
    // (category, title, published, days ago of each case)
    let plan: [(usize, &'static str, bool, &[i64]); 3] = [
        (1, "小区停车难问题", true, &[2, 3, 4, 5, 6, 40]),
        (2, "路灯不亮", true, &[35, 36, 37, 3]),
        // Unpublished titles are private: none of their words may rise in public.
        (3, "邻居秘密饲养", false, &[1, 2, 3, 4, 5, 6]),
    ];
    let stories: Vec<Story> = plan
        .iter()
        .flat_map(|(category, title, published, days)| {
            days.iter().map(move |n| Story {
                category: *category,
                title,
                published: *published,
                ..Story::new(days_ago(*n), CaseStatus::Submitted)
            })
        })
        .collect();
    let (app, codes) = app_with(&stories).await;
    let s: Stats = app.get_json("/api/v1/stats").await;
    assert_eq!(s.as_of, clock::iso_date(today));
    // Categories are counts, so unpublished cases count (category 3 rose by 6).
    assert_eq!(s.hot_categories.len(), 2, "{:?}", s.hot_categories);
    assert_eq!(s.hot_categories[0].key, codes.categories[3]);
    let hot = &s.hot_categories[1];
    assert_eq!(
        (hot.key.as_str(), hot.recent, hot.previous),
        (codes.categories[1].as_str(), 5, 1)
    );
    let words: Vec<&str> = s.hot_words.iter().map(|w| w.key.as_str()).collect();
    assert!(words.contains(&"停车"), "{words:?}");
    assert!(!words.contains(&"路灯"), "路灯 fell: {words:?}");
    let text = serde_json::to_string(&s).unwrap();
    for piece in ["邻居", "居秘", "秘密", "密饲", "饲养"] {
        assert!(
            !text.contains(piece),
            "an unpublished title shows through: {piece}"
        );
    }
}

async fn get_if_none_match(
    app: &TestApp,
    path: &str,
    etag: &reqwest::header::HeaderValue,
) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_unchanged_answer_is_a_304_and_a_change_gives_a_new_etag() {
    let (app, codes) = app_with(&march_stories()).await;
    let path = "/api/v1/stats?period=custom&from=2025-03-01&to=2025-03-31";
    let first = app.get(path).await;
    assert_eq!(first.status(), 200);
    assert!(
        first.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let etag = first.headers()["etag"].clone();
    let again = get_if_none_match(&app, path, &etag).await;
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());

    // Another March case changes the figures, and with them the ETag.
    let extra = Story::new(at(date!(2025 - 03 - 20), 12, 0, 0), CaseStatus::Submitted);
    app.store()
        .await
        .insert_cases(&[record(&codes, 99, &extra)])
        .await
        .unwrap();
    let changed = get_if_none_match(&app, path, &etag).await;
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()["etag"], etag);
    let stats: Stats = changed.json().await.unwrap();
    assert_eq!(stats.figures.received, 7);
}

#[tokio::test]
async fn a_bad_period_or_district_is_a_400_on_its_field() {
    let app = TestApp::spawn_with(false).await;
    for (query, field) in [
        ("period=forever", "period"),
        ("period=custom&to=2025-03-01", "from"),
        ("period=custom&from=2025-02-30&to=2025-03-01", "from"),
        ("period=custom&from=2025-03-02&to=2025-03-01", "to"),
        ("period=custom&from=2020-01-01&to=2025-03-01", "to"),
        ("period=this_month&from=2025-03-01", "from"),
        ("district=atlantis", "district"),
    ] {
        let body = app.get_error(&format!("/api/v1/stats?{query}"), 400).await;
        assert!(
            body.fields.contains_key(field),
            "{query}: {:?}",
            body.fields
        );
    }
}

#[tokio::test]
async fn the_demo_figures_hold_together() {
    let app = TestApp::spawn().await;
    // A new demo database has every day to count: the background counter does it within
    // seconds, and answers meanwhile say how many days are not counted yet.
    let mut s: Stats = app.get_json("/api/v1/stats?period=last_12_months").await;
    for _ in 0..300 {
        if s.uncounted_days == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        s = app.get_json("/api/v1/stats?period=last_12_months").await;
    }
    let f = &s.figures;
    assert!(f.received > 0 && f.replied > 0);
    assert!(f.accepted <= f.received && f.replied <= f.accepted);
    assert!(f.on_time <= f.replied && f.satisfied <= f.rated);
    // The rankings and the trend add up to the headline figures.
    let by_district: u64 = s.districts.iter().map(|r| r.received).sum();
    assert_eq!(by_district, f.received);
    let trend: u64 = s.trend.iter().map(|m| m.received).sum();
    assert!(trend >= f.received);
    let store = app.store().await;
    assert_eq!(s.uncounted_days, 0, "the answer counted everything");
    assert_eq!(
        store.refresh_stats(None).await.unwrap(),
        civic_server::storage::Refreshed::default(),
        "nothing left to recount"
    );
}
