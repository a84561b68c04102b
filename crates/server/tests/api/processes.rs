//! Two server processes on one database, as a city runs them behind a load balancer: each
//! `TestApp` here is a whole server (its own pools, limiters, caches and data folder), and
//! nothing passes between them but the database. On PostgreSQL this is the deployment; on
//! SQLite (one process in production) the same tests hold the stores to one behaviour.

use std::sync::Arc;

use api::{CaseDetail, CaseReceipt, CaseStatus, UploadReceipt};
use civic_server::service::{self, Housekeeping};
use serde_json::json;

use crate::filing::valid_case;
use crate::helpers::TestApp;

const TOKEN: &str = "staff-token-for-tests-0123456789abcdef";

/// Two servers on one new database, with the staff API on; `adjust` sets both alike.
async fn two_processes(adjust: impl Fn(&mut civic_server::config::Settings)) -> [TestApp; 2] {
    let first = TestApp::spawn_custom(false, Some(TOKEN), &adjust).await;
    let second = TestApp::spawn_at_with(&first.database_url, |settings| {
        settings.staff_token = Some(TOKEN.to_owned());
        adjust(settings);
    })
    .await;
    [first, second]
}

#[tokio::test]
async fn a_case_filed_through_one_process_is_read_and_moved_through_the_other() {
    let [one, other] = two_processes(|_| {}).await;
    let receipt: CaseReceipt = one
        .post_case(&valid_case(), None)
        .await
        .json()
        .await
        .unwrap();
    let number = receipt.number.to_string();
    // Reviewed and published through the one, public through the other.
    let published = one
        .client
        .post(format!(
            "{}/api/v1/staff/cases/{number}/review",
            one.address
        ))
        .bearer_auth(TOKEN)
        .json(&json!({"decision": "publish"}))
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), 200);
    let public: CaseDetail = other.get_json(&format!("/api/v1/cases/{number}")).await;
    assert_eq!(
        public.summary.title,
        valid_case()["title"].as_str().unwrap()
    );
    // Staff act through one, then the other; each sees what the other did.
    other.act_ok(&number, json!({"action": "accept"})).await;
    one.act_ok(
        &number,
        json!({"action": "assign", "department": "ecology"}),
    )
    .await;
    let replied = other
        .act_ok(&number, json!({"action": "reply", "text": "已处理。"}))
        .await;
    assert_eq!(replied.status, CaseStatus::Replied);
    let owner: CaseDetail = one
        .client
        .get(format!("{}/api/v1/cases/{number}", one.address))
        .header("x-tracking-code", &receipt.tracking_code)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(owner.owner.unwrap().can_rate);
    // A retry with the same key through the other process finds the same case.
    let key = "two-processes-retry-0001";
    let first: CaseReceipt = one
        .post_case(&valid_case(), Some(key))
        .await
        .json()
        .await
        .unwrap();
    let retried = other.post_case(&valid_case(), Some(key)).await;
    assert_eq!(retried.headers()["idempotent-replayed"], "true");
    let retried: CaseReceipt = retried.json().await.unwrap();
    assert_eq!(
        (retried.number, retried.tracking_code),
        (first.number, first.tracking_code)
    );
}

#[tokio::test]
async fn a_photo_uploaded_through_one_process_is_filed_and_served_through_either() {
    let [one, other] = two_processes(|_| {}).await;
    let photo: UploadReceipt = one.photo().await;
    let mut case = valid_case();
    case["photos"] = json!([photo.id]);
    let response = other.post_case(&case, None).await;
    assert_eq!(response.status(), 201);
    let receipt: CaseReceipt = response.json().await.unwrap();
    let number = receipt.number.to_string();
    let mut served = Vec::new();
    for app in [&one, &other] {
        for headers in [
            [("x-tracking-code", receipt.tracking_code.as_str())],
            [(
                "authorization",
                "Bearer staff-token-for-tests-0123456789abcdef",
            )],
        ] {
            let response = app.get_photo(&number, &photo.id, &headers).await;
            assert_eq!(response.status(), 200, "{} {headers:?}", app.address);
            served.push(response.bytes().await.unwrap());
        }
    }
    assert_eq!(served[0].len() as u64, photo.bytes);
    assert!(served.iter().all(|bytes| *bytes == served[0]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_across_both_processes_meets_one_filing_limit() {
    let [one, other] = two_processes(|settings| {
        settings.filing_rate = civic_server::ratelimit::parse_rate("5/600").unwrap();
    })
    .await;
    let (one, other) = (Arc::new(one), Arc::new(other));
    // Twenty filings at once from one address, half through each process.
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let app = if n % 2 == 0 {
                one.clone()
            } else {
                other.clone()
            };
            tokio::spawn(async move { app.post_case(&valid_case(), None).await.status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    crate::hardening::exactly_the_limit(&statuses, &one, 5, 15).await;
    // A refused filing gives its use back in both: an invalid case costs nothing.
    let [a, b] = two_processes(|settings| {
        settings.filing_rate = civic_server::ratelimit::parse_rate("1/600").unwrap();
    })
    .await;
    let mut invalid = valid_case();
    invalid["photos"] = json!(["0123456789abcdef0123456789abcdef"]);
    assert_eq!(a.post_case(&invalid, None).await.status(), 422);
    assert_eq!(b.post_case(&valid_case(), None).await.status(), 201);
    assert_eq!(a.post_case(&valid_case(), None).await.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn housekeeping_runs_in_one_process_at_a_time_and_a_dead_holder_stalls_it_only_briefly() {
    let [one, other] = two_processes(|_| {}).await;
    let unrated = one.replied_case(true).await;
    let rules = Housekeeping {
        rating_period_seconds: 0,
        upload_seconds: 86_400,
        limit_window_ms: 600_000,
    };
    let now = civic_server::clock::now() + 60;
    // Both housekeepers at once: one runs the round and closes the case, the other skips.
    let (first, second) = (one.store().await, other.store().await);
    let notices = civic_server::domain::notify::Notices::default();
    let rounds = tokio::join!(
        service::housekeep(first.as_ref(), &notices, "process-one", now, rules),
        service::housekeep(second.as_ref(), &notices, "process-two", now, rules),
    );
    let rounds = [rounds.0.unwrap(), rounds.1.unwrap()];
    let ran: Vec<_> = rounds.iter().flatten().collect();
    assert!(!ran.is_empty(), "{rounds:?}");
    let closed: Vec<_> = ran.iter().flat_map(|r| r.closed.clone()).collect();
    assert_eq!(closed, vec![unrated.number.clone()], "{rounds:?}");
    let (closings,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM case_events WHERE status = 'closed'")
            .fetch_one(&one.pool().await)
            .await
            .unwrap();
    assert_eq!(closings, 1);
    // A process that took the lease and died (never gave it up) holds it until it expires.
    assert!(
        first
            .take_lease(service::HOUSEKEEPING_LEASE, "died", now, now + 900)
            .await
            .unwrap()
    );
    assert_eq!(
        service::housekeep(second.as_ref(), &notices, "process-two", now + 899, rules)
            .await
            .unwrap(),
        None
    );
    assert!(
        service::housekeep(second.as_ref(), &notices, "process-two", now + 900, rules)
            .await
            .unwrap()
            .is_some()
    );
    // Given up after the round: the other runs the next one.
    assert!(
        service::housekeep(first.as_ref(), &notices, "process-one", now + 901, rules)
            .await
            .unwrap()
            .is_some()
    );
}
