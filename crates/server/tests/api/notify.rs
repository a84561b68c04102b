//! Texts and events through the outbox, to a receiver running in the test on port 0: they
//! arrive once, signed, in the resident's language, without the tracking code; a failing
//! receiver gets them on a later try; one down past the tries leaves dead letters that a
//! retry sends; a refused change queues nothing; events carry the contact only for a
//! trusted receiver; the owner can stop texts.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use api::{CaseDetail, CaseReceipt};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use civic_server::config::Settings;
use serde_json::{Value, json};
use sqlx::Row;

use crate::filing::valid_case;
use crate::helpers::TestApp;

const STAFF_TOKEN: &str = "notify-test-staff-token-0123456789abcdef";
const SMS_SECRET: &str = "sms-secret-0123456789";
const EVENTS_SECRET: &str = "events-secret-0123456789";
const SITE: &str = "https://12345.example.gov.cn";

/// One request the receiver took.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    message_id: String,
    sequence: String,
    signature: String,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A receiver: records every request and answers the scripted statuses in turn (200 once
/// the script is used up).
#[derive(Clone, Default)]
struct Receiver {
    address: String,
    received: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<u16>>>,
    /// How long the first request is held before it is answered.
    hold_first: Duration,
}

impl Receiver {
    async fn spawn(script: &[u16]) -> Self {
        Self::spawn_holding(script, Duration::ZERO).await
    }

    /// A receiver that holds the first request for `hold` before answering.
    async fn spawn_holding(script: &[u16], hold: Duration) -> Self {
        let receiver = Self {
            script: Arc::new(Mutex::new(script.iter().copied().collect())),
            hold_first: hold,
            ..Self::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let state = receiver.clone();
        let router = axum::Router::new().fallback(take).with_state(state);
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            address,
            ..receiver
        }
    }

    fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The requests on `path`, once `count` have come (or after 15 s, to fail on).
    async fn wait_for(&self, path: &str, count: usize) -> Vec<Received> {
        for _ in 0..300 {
            let on_path: Vec<Received> = self
                .requests()
                .into_iter()
                .filter(|r| r.path == path)
                .collect();
            if on_path.len() >= count {
                return on_path;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{count} requests on {path}: got {:?}", self.requests());
    }
}

async fn take(
    State(receiver): State<Receiver>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let first = receiver.received.lock().unwrap().is_empty();
    receiver.received.lock().unwrap().push(Received {
        path: uri.path().to_owned(),
        message_id: header("x-civic-message-id"),
        sequence: header("x-civic-sequence"),
        signature: header("x-civic-signature"),
        body,
    });
    if first {
        tokio::time::sleep(receiver.hold_first).await;
    }
    let status = receiver.script.lock().unwrap().pop_front().unwrap_or(200);
    StatusCode::from_u16(status).unwrap()
}

/// Checks `received`'s signature with `secret`, as a receiver would.
fn signed_with(received: &Received, secret: &str) -> bool {
    use hmac::Mac;
    let Some((t, v1)) = received
        .signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", received.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let fresh = t
        .parse::<i64>()
        .is_ok_and(|t| (civic_server::clock::now() - t).abs() < 300);
    expected == v1 && fresh
}

/// A server without demo data whose texts and events go to `receiver`.
async fn spawn_app(receiver: &Receiver, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let address = receiver.address.clone();
    TestApp::spawn_custom(false, Some(STAFF_TOKEN), move |settings| {
        settings.public_url = Some(SITE.into());
        settings.sms_webhook = Some(format!("{address}/sms"));
        settings.sms_secret = Some(SMS_SECRET.into());
        settings.events_webhook = Some(format!("{address}/events"));
        settings.events_secret = Some(EVENTS_SECRET.into());
        settings.outbox_retry_base = 0.05;
        adjust(settings);
    })
    .await
}

impl TestApp {
    /// Files a case asking for texts in `language`; answers its receipt.
    async fn file_with_texts(&self, language: &str, texts: bool) -> CaseReceipt {
        let mut case = valid_case();
        case["texts"] = json!(texts);
        case["language"] = json!(language);
        let response = self.post_case(&case, None).await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    /// A round of housekeeping as if it were `at`.
    async fn housekeep_at(&self, at: i64) -> civic_server::service::Housekept {
        let rules = civic_server::service::Housekeeping {
            rating_period_seconds: 7 * 86_400,
            upload_seconds: 86_400,
            limit_window_ms: 600_000,
        };
        let notices = civic_server::domain::notify::Notices::default();
        civic_server::service::housekeep(self.store().await.as_ref(), &notices, "test", at, rules)
            .await
            .unwrap()
            .expect("no other round running")
    }

    /// The outbox once no message is pending any more (or after 10 s, to fail on).
    async fn outbox_settled(&self) -> Vec<(String, String, String, i64)> {
        for _ in 0..200 {
            let rows = self.outbox().await;
            if rows.iter().all(|row| row.2 != "pending") {
                return rows;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.outbox().await
    }

    /// The outbox's rows as `(receiver, topic, state, attempts)`, oldest first.
    async fn outbox(&self) -> Vec<(String, String, String, i64)> {
        let pool = self.pool().await;
        sqlx::query("SELECT receiver, topic, state, attempts FROM outbox ORDER BY seq")
            .fetch_all(&pool)
            .await
            .unwrap()
            .iter()
            .map(|row| {
                (
                    row.get::<String, _>(0),
                    row.get::<String, _>(1),
                    row.get::<String, _>(2),
                    i64::from(row.get::<i32, _>(3)),
                )
            })
            .collect()
    }
}

#[tokio::test]
async fn texts_and_events_arrive_once_signed_in_the_residents_language_without_the_code() {
    let receiver = Receiver::spawn(&[]).await;
    let app = spawn_app(&receiver, |_| {}).await;
    let meta: api::Meta = app.get_json("/api/v1/meta").await;
    assert!(meta.texts, "the form offers texts");
    for (language, accepted) in [("en", "was accepted"), ("zh-CN", "已受理")] {
        let receipt = app.file_with_texts(language, true).await;
        let number = receipt.number.to_string();
        let response = app.act_as_staff(&number, json!({"action": "accept"})).await;
        assert_eq!(response.status(), 200);

        let texts: Vec<Received> = receiver
            .wait_for("/sms", 1)
            .await
            .into_iter()
            .filter(|r| r.body.contains(&number))
            .collect();
        let [text] = texts.as_slice() else {
            panic!("one text for {number}: {texts:?}")
        };
        let body = text.json();
        assert!(signed_with(text, SMS_SECRET), "signed: {}", text.signature);
        assert_eq!(body["id"], text.message_id.as_str());
        assert_eq!(body["template"], "case_accepted");
        assert_eq!(body["language"], language);
        assert_eq!(body["phone"], "13912345678");
        let words = body["text"].as_str().unwrap();
        assert!(words.contains(accepted), "{words}");
        assert!(
            words.contains(&format!("{SITE}/track?number={number}")),
            "{words}"
        );
        assert!(
            !text.body.contains(&receipt.tracking_code),
            "no tracking code"
        );
        assert!(!text.body.contains(&receipt.tracking_code.replace('-', "")));

        // Sent side by side, events may arrive in any order: their sequence puts them back.
        let mut received: Vec<Received> = receiver
            .wait_for("/events", 2)
            .await
            .into_iter()
            .filter(|r| r.json()["number"] == number.as_str())
            .collect();
        received.sort_by_key(|r| r.sequence.parse::<i64>().expect("a sequence"));
        let events: Vec<Value> = received
            .iter()
            .inspect(|r| assert!(signed_with(r, EVENTS_SECRET), "events are signed"))
            .map(Received::json)
            .collect();
        let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["case.filed", "case.status_changed"], "{events:?}");
        assert_eq!(events[1]["status"], "accepted");
        assert_eq!(events[1]["previous_status"], "submitted");
        receiver.received.lock().unwrap().clear();
    }
    // Once each: a second look after more rounds of the worker finds no repeat.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(receiver.requests().is_empty(), "{:?}", receiver.requests());
    let states: Vec<String> = app.outbox().await.into_iter().map(|m| m.2).collect();
    assert!(states.iter().all(|s| s == "delivered"), "{states:?}");
    // Delivered messages (a text holds a phone number) are deleted after 30 days.
    let now = civic_server::clock::now();
    let soon = app.housekeep_at(now + 86_400).await;
    assert_eq!(soon.forgotten_messages.delivered, 0);
    let done = app.housekeep_at(now + 31 * 86_400).await;
    assert_eq!(done.forgotten_messages.delivered, states.len() as u64);
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_message_on_the_third_try() {
    let receiver = Receiver::spawn(&[500, 500]).await;
    let app = spawn_app(&receiver, |settings| settings.sms_webhook = None).await;
    let receipt = app.file_with_texts("zh-CN", true).await;
    let tries = receiver.wait_for("/events", 3).await;
    let ids: Vec<&str> = tries.iter().map(|r| r.message_id.as_str()).collect();
    assert_eq!(ids, [ids[0]; 3], "the same message each time, with its id");
    assert!(tries[2].body.contains(receipt.number.as_str()));
    let outbox = app.outbox_settled().await;
    assert_eq!(
        outbox,
        [("events".into(), "case.filed".into(), "delivered".into(), 3)]
    );
}

#[tokio::test]
async fn a_receiver_down_past_the_tries_leaves_dead_letters_that_retry_sends() {
    let receiver = Receiver::spawn(&[503, 503, 503]).await;
    let app = spawn_app(&receiver, |settings| {
        settings.sms_webhook = None;
        settings.outbox_tries = 3;
    })
    .await;
    app.file_with_texts("zh-CN", true).await;
    receiver.wait_for("/events", 3).await;
    let mut dead = Vec::new();
    for _ in 0..100 {
        dead = app.outbox().await;
        if dead.iter().all(|m| m.2 == "dead") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        dead,
        [("events".into(), "case.filed".into(), "dead".into(), 3)]
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        receiver.requests().len(),
        3,
        "a dead letter is not tried again by itself"
    );

    // The operator's commands, run as the operator runs them.
    let status = outbox_command(&app, &["status"]);
    let rows: Vec<Vec<&str>> = status
        .lines()
        .filter(|l| l.starts_with("events") || l.starts_with("sms"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [["events", "dead", "1", "oldest", "0", "days", "old"]],
        "{status}"
    );
    assert!(status.contains("deleted 30 days after"), "{status}");
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_civic-server"))
        .args(["outbox", "retry", "--receiver", "email"])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(!refused.status.success(), "an unknown receiver is refused");
    let retried = outbox_command(&app, &["retry", "--receiver", "events"]);
    assert!(retried.starts_with("1 dead letter"), "{retried}");
    let tries = receiver.wait_for("/events", 4).await;
    assert_eq!(tries[3].message_id, tries[0].message_id);
    assert_eq!(app.outbox_settled().await[0].2, "delivered");
}

/// A text holds a phone number: a dead letter, or a message waiting for a receiver the
/// server no longer sends to, is deleted 30 days after it was written, as a delivered one is
/// 30 days after its delivery.
#[tokio::test]
async fn undelivered_messages_are_deleted_after_thirty_days_too() {
    let receiver = Receiver::spawn(&[503, 503]).await;
    let app = spawn_app(&receiver, |settings| {
        // Texts go to a port nothing listens on, and are retried long after this test.
        settings.sms_webhook = Some("http://127.0.0.1:9/sms".into());
        settings.outbox_retry_base = 3600.0;
        settings.outbox_tries = 1;
    })
    .await;
    let receipt = app.file_with_texts("zh-CN", true).await;
    receiver.wait_for("/events", 1).await;
    // Accepting the case queues a text (to the dead gateway) and an event.
    let accepted = app
        .act_as_staff(receipt.number.as_str(), json!({ "action": "accept" }))
        .await;
    assert_eq!(accepted.status(), 200);
    let mut outbox = Vec::new();
    for _ in 0..100 {
        outbox = app.outbox().await;
        if outbox.len() == 3 && outbox.iter().all(|m| m.2 == "dead") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(outbox.len(), 3, "{outbox:?}");
    assert!(outbox.iter().all(|m| m.2 == "dead"), "{outbox:?}");
    assert!(outbox.iter().any(|m| m.0 == "sms"), "{outbox:?}");
    let now = civic_server::clock::now();
    let soon = app.housekeep_at(now + 29 * 86_400).await;
    assert_eq!(soon.forgotten_messages.undelivered, 0);
    assert_eq!(app.outbox().await.len(), 3);
    let later = app.housekeep_at(now + 31 * 86_400).await;
    assert_eq!(
        later.forgotten_messages,
        civic_server::storage::ForgottenMessages {
            delivered: 0,
            undelivered: 3
        }
    );
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn a_process_killed_mid_send_leaves_the_message_to_the_next_with_the_same_id() {
    use crate::process::ServerProcess;
    // The receiver holds the first send; the process sending it is killed meanwhile.
    let receiver = Receiver::spawn_holding(&[], Duration::from_secs(5)).await;
    let dir = tempfile::tempdir().unwrap();
    let database = crate::helpers::new_database(dir.path()).await;
    let webhook = format!("{}/events", receiver.address);
    let data = dir.path().join("data").display().to_string();
    let env = [
        ("CIVIC_ADDR", "127.0.0.1:0"),
        ("DATABASE_URL", database.as_str()),
        ("CIVIC_DATA_DIR", data.as_str()),
        ("CIVIC_STATIC_DIR", "no-app-here"),
        ("CIVIC_EVENTS_WEBHOOK", webhook.as_str()),
        ("CIVIC_EVENTS_SECRET", EVENTS_SECRET),
        ("CIVIC_OUTBOX_CLAIM", "1"),
        ("RUST_LOG", "info"),
    ];
    let exe = env!("CARGO_BIN_EXE_civic-server");
    let mut first = ServerProcess::start(exe, &[], &env, dir.path().join("first.log")).await;
    let filed = reqwest::Client::new()
        .post(format!("{}/api/v1/cases", first.address))
        .json(&valid_case())
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), 201);
    receiver.wait_for("/events", 1).await;
    first.kill();

    let _second = ServerProcess::start(exe, &[], &env, dir.path().join("second.log")).await;
    let sends = receiver.wait_for("/events", 2).await;
    assert_eq!(
        sends[1].message_id, sends[0].message_id,
        "the same message, by its id"
    );
    assert_eq!(sends[1].body, sends[0].body);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.requests().len(), 2, "and no more");
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&database).await.unwrap();
    let state: String = sqlx::query_scalar("SELECT state FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(state, "delivered");
}

/// Runs `civic-server outbox ARGS` on `app`'s database; answers what it printed.
fn outbox_command(app: &TestApp, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_civic-server"))
        .arg("outbox")
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn two_processes_on_one_database_deliver_each_message_once() {
    let receiver = Receiver::spawn(&[]).await;
    let first = spawn_app(&receiver, |settings| settings.sms_webhook = None).await;
    let address = receiver.address.clone();
    let second = TestApp::spawn_at_with(&first.database_url, move |settings| {
        settings.events_webhook = Some(format!("{address}/events"));
        settings.events_secret = Some(EVENTS_SECRET.into());
        settings.outbox_retry_base = 0.05;
    })
    .await;
    let mut numbers = Vec::new();
    for round in 0..10 {
        let app = if round % 2 == 0 { &first } else { &second };
        numbers.push(app.file_with_texts("zh-CN", false).await.number.to_string());
    }
    receiver.wait_for("/events", numbers.len()).await;
    // More rounds of both workers: still each message once.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let events = receiver.requests();
    let mut ids: Vec<&str> = events.iter().map(|r| r.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), events.len(), "no message twice");
    let mut filed: Vec<String> = events
        .iter()
        .map(|r| r.json()["number"].as_str().unwrap().to_owned())
        .collect();
    filed.sort();
    numbers.sort();
    assert_eq!(filed, numbers, "every filing told once");
}

#[tokio::test]
async fn a_refused_change_queues_nothing() {
    let receiver = Receiver::spawn(&[]).await;
    let app = spawn_app(&receiver, |_| {}).await;
    let receipt = app.file_with_texts("zh-CN", true).await;
    let number = receipt.number.to_string();
    receiver.wait_for("/events", 1).await;
    // What is queued, not how far its delivery has got.
    let queued = |rows: Vec<(String, String, String, i64)>| -> Vec<(String, String)> {
        rows.into_iter().map(|(r, t, _, _)| (r, t)).collect()
    };
    let before = queued(app.outbox().await);
    // (action, status): invalid fields, an unknown department, a move the lifecycle refuses.
    let refused = [
        (json!({"action": "reject", "reason": ""}), 422),
        (json!({"action": "assign", "department": "nowhere"}), 422),
        (json!({"action": "close"}), 409),
    ];
    for (action, status) in refused {
        let response = app.act_as_staff(&number, action.clone()).await;
        assert_eq!(response.status(), status, "{action}");
    }
    assert_eq!(queued(app.outbox().await), before, "nothing queued");
    // A resident's rating before any reply is refused too.
    let response = app
        .client
        .post(format!("{}/api/v1/cases/{number}/rating", app.address))
        .json(&json!({"tracking_code": receipt.tracking_code, "rating": "satisfied"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    assert_eq!(queued(app.outbox().await), before, "nothing queued");
}

#[tokio::test]
async fn events_carry_no_phone_or_name_unless_the_receiver_is_trusted() {
    for trusted in [false, true] {
        let receiver = Receiver::spawn(&[]).await;
        let app = spawn_app(&receiver, |settings| {
            settings.sms_webhook = None;
            settings.events_include_contact = trusted;
        })
        .await;
        let receipt = app.file_with_texts("zh-CN", true).await;
        let number = receipt.number.to_string();
        for action in [
            json!({"action": "accept"}),
            json!({"action": "assign", "department": "ecology"}),
            json!({"action": "transfer", "department": "housing", "reason": "属住建部门职责"}),
        ] {
            assert_eq!(app.act_as_staff(&number, action).await.status(), 200);
        }
        let events = receiver.wait_for("/events", 4).await;
        for event in &events {
            for private in [
                "13912345678",
                "139 1234 5678",
                "王小明",
                &receipt.tracking_code,
            ] {
                let holds = event.body.contains(private);
                let allowed = trusted && private != receipt.tracking_code;
                assert!(
                    !holds || allowed,
                    "{private} in {} (trusted {trusted})",
                    event.body
                );
            }
            assert_eq!(event.json()["contact"].is_object(), trusted);
        }
    }
}

#[tokio::test]
async fn the_owner_stops_texts_and_the_pending_ones_are_dropped() {
    // The gateway is down, so the accepted text is still waiting when the texts stop.
    let receiver = Receiver::spawn(&[503; 50]).await;
    let app = spawn_app(&receiver, |settings| {
        settings.events_webhook = None;
        settings.outbox_retry_base = 30.0;
    })
    .await;
    let receipt = app.file_with_texts("zh-CN", true).await;
    let number = receipt.number.to_string();
    let owner: CaseDetail = app
        .client
        .get(format!("{}/api/v1/cases/{number}", app.address))
        .header("X-Tracking-Code", &receipt.tracking_code)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(owner.owner.unwrap().texts);
    assert_eq!(
        app.act_as_staff(&number, json!({"action": "accept"}))
            .await
            .status(),
        200
    );
    receiver.wait_for("/sms", 1).await;
    let stop = |texts: bool, code: &str| {
        app.client
            .post(format!("{}/api/v1/cases/{number}/texts", app.address))
            .json(&json!({"tracking_code": code, "texts": texts}))
            .send()
    };
    assert_eq!(
        stop(false, "0000-0000-0000-0000").await.unwrap().status(),
        401
    );
    let response = stop(false, &receipt.tracking_code).await.unwrap();
    assert_eq!(response.status(), 200);
    let view: CaseDetail = response.json().await.unwrap();
    assert!(!view.owner.unwrap().texts);
    assert!(app.outbox().await.is_empty(), "the waiting text is dropped");
    let assign = json!({"action": "assign", "department": "ecology"});
    assert_eq!(app.act_as_staff(&number, assign).await.status(), 200);
    assert!(app.outbox().await.is_empty(), "no new text");
}

#[tokio::test]
async fn a_retry_in_another_language_is_the_same_case_and_texts_show_off_without_a_gateway() {
    let receiver = Receiver::spawn(&[]).await;
    let app = spawn_app(&receiver, |_| {}).await;
    let mut case = valid_case();
    case["texts"] = json!(true);
    case["language"] = json!("zh-CN");
    let first = app.post_case(&case, Some("retry-key-0001")).await;
    assert_eq!(first.status(), 201);
    let first: CaseReceipt = first.json().await.unwrap();
    // The page was switched to English before the retry: still the same case.
    case["language"] = json!("en");
    let again = app.post_case(&case, Some("retry-key-0001")).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: CaseReceipt = again.json().await.unwrap();
    assert_eq!(again.number, first.number);

    // The same database served by a process without the gateway: texts are off.
    let other = TestApp::spawn_at_with(&app.database_url, |_| {}).await;
    let owner: CaseDetail = other
        .client
        .get(format!("{}/api/v1/cases/{}", other.address, first.number))
        .header("X-Tracking-Code", &first.tracking_code)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!owner.owner.unwrap().texts);
}

#[tokio::test]
async fn without_a_gateway_no_text_is_offered_or_queued() {
    let app = TestApp::spawn_custom(false, Some(STAFF_TOKEN), |_| {}).await;
    let meta: api::Meta = app.get_json("/api/v1/meta").await;
    assert!(!meta.texts);
    let receipt = app.file_with_texts("en", true).await;
    let number = receipt.number.to_string();
    assert_eq!(
        app.act_as_staff(&number, json!({"action": "accept"}))
            .await
            .status(),
        200
    );
    assert!(app.outbox().await.is_empty());
    let response = app
        .client
        .post(format!("{}/api/v1/cases/{number}/texts", app.address))
        .json(&json!({"tracking_code": receipt.tracking_code, "texts": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
}
