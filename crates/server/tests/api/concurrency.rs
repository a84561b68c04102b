//! Several writers on one database, as several server processes would be: on PostgreSQL two
//! stores opened on the same database (two connection pools, nothing shared in memory); on
//! SQLite, whose file has one writer at a time and which runs as one process, one store
//! shared by every task. Either way no rule may rely on luck: two cases never get one
//! number, one idempotency key makes one case, a case is rated and closed once.

use civic_server::domain::staff::Actor;
use std::sync::Arc;

use api::{CaseKind, CaseNumber, CaseStatus, Contact, NewCase, Rating, StaffAction};
use civic_server::domain::filing::{Filing, ValidCase};
use civic_server::rules::ReplyDays;
use civic_server::service::{self, Applied, CitizenOutcome};
use civic_server::storage::{Filed, Store};

use crate::helpers::TestApp;

/// Two stores on the app's database: two pools on PostgreSQL, one store twice on SQLite.
async fn two_stores(app: &TestApp) -> [Arc<dyn Store>; 2] {
    let first = civic_server::storage::open(&app.database_url)
        .await
        .unwrap();
    let second = if app.database_url.starts_with("postgres") {
        civic_server::storage::open(&app.database_url)
            .await
            .unwrap()
    } else {
        first.clone()
    };
    [first, second]
}

fn new_case(title: &str) -> NewCase {
    NewCase {
        kind: Some(CaseKind::Complaint),
        category: "environment.noise".into(),
        district: "wuhou".into(),
        place: "人民南路四段12号".into(),
        latitude: None,
        longitude: None,
        title: title.into(),
        description: "每晚十一点以后工地仍在施工，噪音很大，影响休息。".into(),
        photos: vec![],
        contact: Contact {
            name: "王小明".into(),
            phone: "13912345678".into(),
        },
        publish: true,
        privacy_accepted: true,
        ..Default::default()
    }
}

async fn filing(store: &dyn Store, title: &str, key: Option<&str>) -> Filing {
    let meta = store.taxonomy().await.unwrap().meta();
    let valid = ValidCase::parse(&new_case(title), &meta).unwrap();
    let code = civic_server::domain::filing::tracking_code(key, b"test secret", [7; 10]);
    let idempotency = key.map(|key| (key.to_owned(), format!("hash of {title}")));
    Filing::new(
        valid,
        civic_server::clock::now(),
        &ReplyDays::default(),
        &code,
        idempotency,
    )
}

async fn case_count(app: &TestApp) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases")
        .fetch_one(&app.pool().await)
        .await
        .unwrap();
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_filings_through_two_stores_get_distinct_numbers() {
    let app = TestApp::spawn_with(false).await;
    let stores = two_stores(&app).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = stores[i % 2].clone();
        tasks.push(tokio::spawn(async move {
            let filing = filing(store.as_ref(), &format!("夜间施工噪音扰民 {i}"), None).await;
            store.file_case(&filing).await.unwrap()
        }));
    }
    let mut numbers: Vec<CaseNumber> = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Filed::Created(filed) => numbers.push(filed.number),
            other => panic!("every filing is new: {other:?}"),
        }
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 40, "forty cases, forty numbers");
    assert_eq!(case_count(&app).await, 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_idempotency_key_sent_through_both_stores_at_once_makes_one_case() {
    let app = TestApp::spawn_with(false).await;
    let stores = two_stores(&app).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let store = stores[i % 2].clone();
        tasks.push(tokio::spawn(async move {
            let filing = filing(store.as_ref(), "同一份草稿", Some("draft-key-0001")).await;
            store.file_case(&filing).await.unwrap()
        }));
    }
    let (mut created, mut numbers) = (0, Vec::new());
    for task in tasks {
        match task.await.unwrap() {
            Filed::Created(filed) => {
                created += 1;
                numbers.push(filed.number);
            }
            Filed::Replayed(filed) => numbers.push(filed.number),
            other => panic!("a retry of the same draft: {other:?}"),
        }
    }
    assert_eq!(created, 1, "one request made the case, the others found it");
    numbers.dedup();
    assert_eq!(numbers.len(), 1, "every answer names the same case");
    assert_eq!(case_count(&app).await, 1);
}

/// A case filed and moved to `replied` through the service, with the hash of its code.
async fn replied_case(store: &dyn Store) -> (CaseNumber, String) {
    let filing = filing(store, "路灯不亮", Some("draft-key-0002")).await;
    let Filed::Created(filed) = store.file_case(&filing).await.unwrap() else {
        panic!("filed");
    };
    let meta = store.taxonomy().await.unwrap().meta();
    let now = civic_server::clock::now();
    for action in [
        StaffAction::Accept,
        StaffAction::Assign {
            department: "ecology".into(),
        },
        StaffAction::Reply {
            text: "已修复。".into(),
        },
    ] {
        let applied = service::act(
            store,
            &meta,
            &civic_server::domain::notify::Notices::default(),
            &filed.number,
            &action,
            now,
            &Actor::Operator,
        )
        .await
        .unwrap();
        assert!(
            matches!(applied, Applied::Done(_)),
            "{action:?}: {applied:?}"
        );
    }
    (filed.number, filing.tracking_hash)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_ratings_of_one_case_at_once_one_wins() {
    let app = TestApp::spawn_with(false).await;
    let stores = two_stores(&app).await;
    let (number, hash) = replied_case(stores[0].as_ref()).await;
    let mut tasks = Vec::new();
    for (i, rating) in [Rating::Satisfied, Rating::Dissatisfied]
        .into_iter()
        .enumerate()
    {
        let (store, number, hash) = (stores[i].clone(), number.clone(), hash.clone());
        tasks.push(tokio::spawn(async move {
            let at = civic_server::clock::now();
            service::rate(
                store.as_ref(),
                &civic_server::domain::notify::Notices::default(),
                &number,
                &hash,
                rating,
                None,
                at,
            )
            .await
            .unwrap()
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    let done: Vec<&CitizenOutcome> = outcomes
        .iter()
        .filter(|o| matches!(o, CitizenOutcome::Done(_)))
        .collect();
    assert_eq!(done.len(), 1, "{outcomes:?}");
    assert!(outcomes.contains(&CitizenOutcome::NotAllowed));
    let pool = app.pool().await;
    let (ratings,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM ratings")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (closings,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM case_events WHERE status = 'closed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((ratings, closings), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_closings_of_one_case_at_once_close_it_once() {
    let app = TestApp::spawn_with(false).await;
    let stores = two_stores(&app).await;
    let (number, _) = replied_case(stores[0].as_ref()).await;
    let meta = Arc::new(stores[0].taxonomy().await.unwrap().meta());
    // A dispatcher's close through one process while the other's housekeeper closes the
    // unrated reply: one of them closes it, the other finds it closed.
    let now = civic_server::clock::now();
    let (staff, housekeeper) = tokio::join!(
        {
            let (store, meta, number) = (stores[0].clone(), meta.clone(), number.clone());
            tokio::spawn(async move {
                service::act(
                    store.as_ref(),
                    &meta,
                    &civic_server::domain::notify::Notices::default(),
                    &number,
                    &StaffAction::Close,
                    now + 1,
                    &Actor::Operator,
                )
                .await
                .unwrap()
            })
        },
        {
            let store = stores[1].clone();
            tokio::spawn(async move {
                service::auto_close(
                    store.as_ref(),
                    &civic_server::domain::notify::Notices::default(),
                    now + 60,
                    now + 1,
                )
                .await
                .unwrap()
            })
        }
    );
    let (staff, housekeeper) = (staff.unwrap(), housekeeper.unwrap());
    let staff_closed = matches!(staff, Applied::Done(ref r) if r.status == CaseStatus::Closed);
    assert_ne!(
        staff_closed,
        housekeeper == vec![number.clone()],
        "exactly one closes it: {staff:?} / {housekeeper:?}"
    );
    let (closings,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM case_events WHERE status = 'closed'")
            .fetch_one(&app.pool().await)
            .await
            .unwrap();
    assert_eq!(closings, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_in_flight_while_its_day_is_recounted_is_counted_once_it_commits() {
    use civic_server::storage::Buckets;
    use sqlx::Connection;
    let app = TestApp::spawn_with(false).await;
    let store = civic_server::storage::open(&app.database_url)
        .await
        .unwrap();
    let filing = filing(store.as_ref(), "路灯不亮", None).await;
    let Filed::Created(filed) = store.file_case(&filing).await.unwrap() else {
        panic!("filed");
    };
    // The filing marked its day; it is not recounted yet when the next change begins.
    let day = civic_server::clock::iso_date(civic_server::clock::cst_date(filing.submitted_at));
    let accepted = || async {
        let buckets = Buckets {
            months: None,
            days: vec![(day.clone(), day.clone())],
        };
        let counts = store.period_counts(&buckets, None).await.unwrap();
        counts.rows.iter().map(|(_, _, c)| c.accepted).sum::<u64>()
    };
    let accept = "UPDATE cases SET status = 'accepted' WHERE number = $1";
    if app.database_url.starts_with("postgres") {
        // Another process accepts the case in a transaction still open while the day is
        // recounted: its change is not seen by the recount, and must be counted afterwards.
        let mut writer = sqlx::PgConnection::connect(&app.database_url)
            .await
            .unwrap();
        let mut tx = writer.begin().await.unwrap();
        sqlx::query(accept)
            .bind(filed.number.as_str())
            .execute(&mut *tx)
            .await
            .unwrap();
        store.refresh_stats(None).await.unwrap();
        assert_eq!(accepted().await, 0, "the recount cannot see it yet");
        tx.commit().await.unwrap();
    } else {
        // SQLite has one writer, so no change is in flight during a recount: the same
        // steps, one after the other.
        store.refresh_stats(None).await.unwrap();
        assert_eq!(accepted().await, 0);
        sqlx::query(accept)
            .bind(filed.number.as_str())
            .execute(&app.pool().await)
            .await
            .unwrap();
    }
    store.refresh_stats(None).await.unwrap();
    assert_eq!(accepted().await, 1, "counted once it committed");
}

/// Sixteen residents filing at once, while the statistics are recounted (each request to
/// `/stats` helps, besides the background counter): every valid filing is a 201 on either
/// store. On SQLite every writer of the process takes its turn before SQLite's lock, so none
/// waits in SQLite's busy handler and none can time out there ("database is locked").
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_clients_filing_during_a_recount_all_get_201() {
    let app = TestApp::spawn_custom(false, None, |settings| {
        // One address files here for all sixteen: no limit applies.
        settings.filing_rate = civic_server::ratelimit::parse_rate("1000000000/1").unwrap();
    })
    .await;
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut counters = Vec::new();
    for _ in 0..2 {
        let (client, url, done) = (
            app.client.clone(),
            format!("{}/api/v1/stats", app.address),
            done.clone(),
        );
        counters.push(tokio::spawn(async move {
            let mut asked = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let status = client.get(&url).send().await.unwrap().status();
                assert_eq!(status, 200, "the statistics answer while cases are filed");
                asked += 1;
            }
            asked
        }));
    }
    let mut filers = Vec::new();
    for client_number in 0..16 {
        let (client, url) = (app.client.clone(), format!("{}/api/v1/cases", app.address));
        filers.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for n in 0..20 {
                let case = new_case(&format!("夜间施工噪音扰民 {client_number}-{n}"));
                let response = client.post(&url).json(&case).send().await.unwrap();
                statuses.push(response.status().as_u16());
            }
            statuses
        }));
    }
    let mut statuses = Vec::new();
    for filer in filers {
        statuses.extend(filer.await.unwrap());
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut asked = 0;
    for counter in counters {
        asked += counter.await.unwrap();
    }
    let refused: Vec<_> = statuses.iter().filter(|s| **s != 201).collect();
    assert!(refused.is_empty(), "every filing a 201, not {refused:?}");
    assert_eq!(statuses.len(), 320);
    assert!(asked > 0, "the statistics were asked for meanwhile");
    assert_eq!(case_count(&app).await, 320);
}
