use api::{
    ActionKind, CaseDetail, CaseReceipt, CaseStatus, ErrorBody, ErrorCode, FieldErrorCode,
    StaffActionResult, StaffCase, StaffRole,
};
use civic_server::service;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::filing::valid_case;
use crate::helpers::TestApp;

const TOKEN: &str = "staff-token-for-tests-0123456789abcdef";

impl TestApp {
    /// Posts a staff action with `token`.
    pub async fn act(&self, number: &str, action: Value, token: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!(
                "{}/api/v1/staff/cases/{number}/actions",
                self.address
            ))
            .json(&action);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// A new staff account (`civic-server staff add`), answering its token.
    pub async fn staff_account(&self, name: &str, role: &str, department: Option<&str>) -> String {
        let store = self.store().await;
        let meta = store.taxonomy().await.unwrap().meta();
        let at = civic_server::clock::now();
        service::add_staff(store.as_ref(), &meta, name, role, department, at)
            .await
            .unwrap()
            .unwrap()
    }

    /// A new account of `department`'s staff, answering its token.
    pub async fn department_token(&self, department: &str) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!("{department}-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        self.staff_account(&name, "department", Some(department))
            .await
    }

    /// `GET /api/v1/staff/cases/{number}` with `token`.
    pub async fn staff_view(&self, number: &str, token: &str) -> reqwest::Response {
        self.client
            .get(format!("{}/api/v1/staff/cases/{number}", self.address))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Posts a staff action as the staff who take it: the bootstrap dispatcher the centre's
    /// actions, a new account of the department holding the case a department's (of
    /// `ecology` when none holds it).
    pub async fn act_as_staff(&self, number: &str, action: Value) -> reqwest::Response {
        let bootstrap = self
            .staff_token
            .clone()
            .expect("a server with a staff token");
        let kind = action["action"]
            .as_str()
            .and_then(ActionKind::from_code)
            .unwrap_or(ActionKind::Accept);
        let token = if StaffRole::Dispatcher.may(kind) {
            bootstrap
        } else {
            let response = self.staff_view(number, &bootstrap).await;
            let department = if response.status() == 200 {
                let case: StaffCase = response.json().await.unwrap();
                case.case.summary.department
            } else {
                None
            };
            self.department_token(department.as_deref().unwrap_or("ecology"))
                .await
        };
        self.act(number, action, Some(&token)).await
    }

    /// Posts a staff action that must succeed, and returns where the case stands.
    pub async fn act_ok(&self, number: &str, action: Value) -> StaffActionResult {
        let response = self.act_as_staff(number, action.clone()).await;
        assert_eq!(response.status(), 200, "{action}");
        response.json().await.unwrap()
    }

    /// Files a case its resident asked to publish, publishes it as the centre would, and
    /// returns its number.
    pub async fn file(&self) -> String {
        self.file_reviewed(&valid_case()).await.number.to_string()
    }
}

#[tokio::test]
async fn a_case_moves_from_filed_to_closed_and_the_public_page_follows() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let number = app.file().await;
    let accepted = app.act_ok(&number, json!({"action": "accept"})).await;
    assert_eq!(accepted.status, CaseStatus::Accepted);
    assert_eq!(
        accepted.allowed,
        vec![ActionKind::Assign],
        "what the dispatcher may do (extending is the department's)"
    );
    let assigned = app
        .act_ok(
            &number,
            json!({"action": "assign", "department": "ecology"}),
        )
        .await;
    assert_eq!(
        (assigned.status, assigned.department.as_deref()),
        (CaseStatus::Assigned, Some("ecology"))
    );
    let transferred = app
        .act_ok(
            &number,
            json!({"action": "transfer", "department": "urban", "reason": "属城管执法职责"}),
        )
        .await;
    assert_eq!(transferred.department.as_deref(), Some("urban"));
    app.act_ok(&number, json!({"action": "start"})).await;
    let before = assigned.deadline.clone().unwrap();
    let extended = app
        .act_ok(
            &number,
            json!({"action": "extend", "working_days": 5, "reason": "需要现场勘查"}),
        )
        .await;
    assert!(
        extended.deadline.unwrap() > before,
        "the deadline moved later"
    );
    assert!(
        !extended.allowed.contains(&ActionKind::Extend),
        "only one extension"
    );
    app.act_ok(
        &number,
        json!({"action": "reply", "text": "已责令施工单位停止夜间施工。"}),
    )
    .await;
    let closed = app.act_ok(&number, json!({"action": "close"})).await;
    assert_eq!(closed.status, CaseStatus::Closed);
    assert!(closed.allowed.is_empty());

    let page: CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    let statuses: Vec<_> = page.timeline.iter().map(|e| e.status).collect();
    use CaseStatus::*;
    assert_eq!(
        statuses,
        [
            Submitted, Accepted, Assigned, Assigned, InProgress, InProgress, Replied, Closed
        ]
    );
    assert_eq!(page.timeline[3].note.as_deref(), Some("属城管执法职责"));
    assert_eq!(page.timeline[5].note.as_deref(), Some("需要现场勘查"));
    let reply = page.reply.expect("the reply is public");
    assert_eq!(
        (reply.department.as_str(), reply.text.as_str()),
        ("urban", "已责令施工单位停止夜间施工。")
    );
    assert_eq!(page.summary.department.as_deref(), Some("urban"));
}

#[tokio::test]
async fn illegal_moves_answer_409_with_the_allowed_ones() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let number = app.file().await;
    let table: &[(Value, &[ActionKind])] = &[
        (
            json!({"action": "assign", "department": "ecology"}),
            &[ActionKind::Accept, ActionKind::Reject],
        ),
        (
            json!({"action": "close"}),
            &[ActionKind::Accept, ActionKind::Reject],
        ),
        (
            json!({"action": "transfer", "department": "urban", "reason": "不归我们管"}),
            &[ActionKind::Accept, ActionKind::Reject],
        ),
    ];
    for (action, allowed) in table {
        let response = app.act_as_staff(&number, action.clone()).await;
        assert_eq!(response.status(), 409, "{action}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::Conflict);
        assert_eq!(body.allowed, *allowed, "{action}");
    }
    app.act_ok(
        &number,
        json!({"action": "reject", "reason": "该事项已进入诉讼程序"}),
    )
    .await;
    let response = app
        .act(&number, json!({"action": "accept"}), Some(TOKEN))
        .await;
    assert_eq!(response.status(), 409);
    let body: ErrorBody = response.json().await.unwrap();
    assert!(body.allowed.is_empty(), "nothing moves a rejected case");
    let page: CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    assert_eq!(page.summary.status, CaseStatus::Rejected);
    assert_eq!(
        page.timeline.last().unwrap().note.as_deref(),
        Some("该事项已进入诉讼程序")
    );
}

#[tokio::test]
async fn the_staff_api_needs_a_live_accounts_token() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let number = app.file().await;
    for token in [None, Some("wrong"), Some(""), Some("civic_staff_00")] {
        let response = app.act(&number, json!({"action": "accept"}), token).await;
        assert_eq!(response.status(), 401, "{token:?}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::Unauthorized);
    }
    let page: CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    assert_eq!(page.summary.status, CaseStatus::Submitted, "nothing moved");

    // Without --staff-token the bootstrap token is nobody's; accounts work all the same,
    // until revoked.
    let off = TestApp::spawn_configured(false, None).await;
    let number = off.file().await;
    let response = off
        .act(&number, json!({"action": "accept"}), Some(TOKEN))
        .await;
    assert_eq!(response.status(), 401);
    let token = off.staff_account("王芳", "dispatcher", None).await;
    assert!(
        token.starts_with("civic_staff_") && token.len() > 60,
        "{token}"
    );
    let response = off
        .act(&number, json!({"action": "accept"}), Some(&token))
        .await;
    assert_eq!(response.status(), 200);
    let store = off.store().await;
    assert!(store.revoke_staff("王芳", 1).await.unwrap());
    assert!(!store.revoke_staff("王芳", 2).await.unwrap(), "once");
    let response = off
        .act(
            &number,
            json!({"action": "assign", "department": "urban"}),
            Some(&token),
        )
        .await;
    assert_eq!(response.status(), 401, "a revoked account's token");
    // Revoking `bootstrap` turns the server's --staff-token off.
    assert!(store.revoke_staff("bootstrap", 3).await.unwrap());
    let response = app
        .act(&app.file().await, json!({"action": "accept"}), Some(TOKEN))
        .await;
    assert_eq!(response.status(), 200, "another database");
    let on = TestApp::spawn_at(&off.database_url, false, Some(TOKEN)).await;
    let response = on
        .act(
            &number,
            json!({"action": "assign", "department": "urban"}),
            Some(TOKEN),
        )
        .await;
    assert_eq!(response.status(), 401, "the bootstrap account is revoked");
}

/// Accounts are checked when made: a role, a known department for a department's staff and
/// none for a dispatcher, a name on one line, never a name twice; only the token's hash is
/// stored.
#[tokio::test]
async fn staff_accounts_are_checked_when_made_and_keep_only_a_hash() {
    let app = TestApp::spawn_configured(false, None).await;
    let store = app.store().await;
    let meta = store.taxonomy().await.unwrap().meta();
    for (name, role, department) in [
        ("张伟", "mayor", None),
        ("张伟", "department", None),
        ("张伟", "department", Some("ministry_of_magic")),
        ("张伟", "dispatcher", Some("ecology")),
        ("", "dispatcher", None),
        ("张\n伟", "dispatcher", None),
        ("bootstrap", "dispatcher", None),
    ] {
        let added = service::add_staff(store.as_ref(), &meta, name, role, department, 1)
            .await
            .unwrap();
        assert!(added.is_err(), "{name:?} {role} {department:?}");
    }
    let token = app
        .staff_account("李娜", "department", Some("ecology"))
        .await;
    let again = service::add_staff(store.as_ref(), &meta, "李娜", "dispatcher", None, 1)
        .await
        .unwrap();
    assert!(again.is_err(), "a name is one account for ever");
    let accounts = store.list_staff().await.unwrap();
    let names: Vec<&str> = accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["bootstrap", "李娜"]);
    assert_eq!(accounts[1].department.as_deref(), Some("ecology"));
    let hashes: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM staff WHERE name = '李娜'")
        .fetch_all(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(hashes.len(), 1);
    assert_ne!(hashes[0].0, token, "not the token itself");
    assert_eq!(hashes[0].0.len(), 64);
}

/// Each role × each action × a case its department holds or another's: allowed (200) or
/// 403, with every case first brought to a status where the action is legal, so that only
/// the role decides.
#[tokio::test]
async fn each_role_takes_only_its_own_actions_and_a_department_only_on_its_cases() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let dispatcher = app.staff_account("调度员", "dispatcher", None).await;
    let own = app.department_token("ecology").await;
    let other = app.department_token("urban").await;
    // (action, the moves that make it legal, dispatcher, own department, other department)
    let accept = json!({"action": "accept"});
    let assign = json!({"action": "assign", "department": "ecology"});
    let reply = json!({"action": "reply", "text": "已处理完毕"});
    let table: Vec<(Value, Vec<Value>, bool, bool, bool)> = vec![
        (accept.clone(), vec![], true, false, false),
        (
            json!({"action": "reject", "reason": "不属受理范围"}),
            vec![],
            true,
            false,
            false,
        ),
        (assign.clone(), vec![accept.clone()], true, false, false),
        (
            json!({"action": "transfer", "department": "urban", "reason": "属城管职责"}),
            vec![accept.clone(), assign.clone()],
            true,
            false,
            false,
        ),
        (
            json!({"action": "start"}),
            vec![accept.clone(), assign.clone()],
            false,
            true,
            false,
        ),
        (
            reply.clone(),
            vec![accept.clone(), assign.clone()],
            false,
            true,
            false,
        ),
        (
            json!({"action": "extend", "working_days": 3, "reason": "需要现场勘查"}),
            vec![accept.clone(), assign.clone()],
            false,
            true,
            false,
        ),
        (
            json!({"action": "request_transfer", "reason": "应由城管处理"}),
            vec![accept.clone(), assign.clone()],
            false,
            true,
            false,
        ),
        (
            json!({"action": "close"}),
            vec![accept.clone(), assign.clone(), reply.clone()],
            true,
            false,
            false,
        ),
    ];
    for (action, before, by_dispatcher, by_own, by_other) in table {
        for (who, token, allowed) in [
            ("dispatcher", &dispatcher, by_dispatcher),
            ("own department", &own, by_own),
            ("other department", &other, by_other),
        ] {
            let number = app.file().await;
            for step in &before {
                assert_eq!(app.act_as_staff(&number, step.clone()).await.status(), 200);
            }
            let response = app.act(&number, action.clone(), Some(token)).await;
            let expected = if allowed { 200 } else { 403 };
            assert_eq!(response.status(), expected, "{who}: {action}");
            if !allowed {
                let body: ErrorBody = response.json().await.unwrap();
                assert_eq!(body.code, ErrorCode::Forbidden);
            }
        }
    }
}

/// Every staff action records who took it: the staff view shows the audit trail to
/// dispatchers and the holding department (403 to another), and the public timeline names
/// the department, never the person, and leaves out the request to transfer.
#[tokio::test]
async fn the_audit_trail_names_who_did_what_and_only_staff_see_it() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let clerk = app
        .staff_account("陈静", "department", Some("ecology"))
        .await;
    let other = app.department_token("urban").await;
    let number = app.file().await;
    app.act_ok(&number, json!({"action": "accept"})).await;
    app.act_ok(
        &number,
        json!({"action": "assign", "department": "ecology"}),
    )
    .await;
    for action in [
        json!({"action": "start"}),
        json!({"action": "request_transfer", "reason": "噪音执法归城管"}),
    ] {
        assert_eq!(app.act(&number, action, Some(&clerk)).await.status(), 200);
    }
    let response = app.staff_view(&number, &clerk).await;
    assert_eq!(response.status(), 200);
    let case: StaffCase = response.json().await.unwrap();
    let trail: Vec<(Option<ActionKind>, Option<&str>)> = case
        .audit
        .iter()
        .map(|e| (e.action, e.actor.as_deref()))
        .collect();
    assert_eq!(
        trail,
        [
            (None, None),
            (Some(ActionKind::Review), Some("civic-server case")),
            (Some(ActionKind::Accept), Some("bootstrap")),
            (Some(ActionKind::Assign), Some("bootstrap")),
            (Some(ActionKind::Start), Some("陈静")),
            (Some(ActionKind::RequestTransfer), Some("陈静")),
        ]
    );
    assert_eq!(case.case.summary.title, valid_case()["title"]);
    let phone = valid_case()["contact"]["phone"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        Some(case.contact.as_ref().unwrap().phone.clone()),
        api::validate::normalize_mobile(&phone)
    );
    assert!(case.allowed.contains(&ActionKind::Reply));
    assert!(
        !case.allowed.contains(&ActionKind::Transfer),
        "the dispatcher's"
    );
    let dispatcher: StaffCase = app.staff_view(&number, TOKEN).await.json().await.unwrap();
    assert!(dispatcher.allowed.contains(&ActionKind::Transfer));
    assert_eq!(app.staff_view(&number, &other).await.status(), 403);
    assert_eq!(app.staff_view(&number, "nobody").await.status(), 401);
    assert_eq!(app.staff_view("20200101-0001", TOKEN).await.status(), 404);

    let public = app
        .get(&format!("/api/v1/cases/{number}"))
        .await
        .text()
        .await
        .unwrap();
    for private in ["陈静", "bootstrap", "噪音执法归城管", "request_transfer"] {
        assert!(!public.contains(private), "{private} in {public}");
    }
    let page: CaseDetail = serde_json::from_str(&public).unwrap();
    assert_eq!(page.timeline.len(), 4, "filed, accepted, assigned, started");
}

/// The work queue lists every case, published or not, newest first, with filters, and a
/// department's staff their own department's cases only.
#[tokio::test]
async fn the_work_queue_is_filtered_paged_and_scoped_by_role() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let ecology = app.department_token("ecology").await;
    let mut numbers = Vec::new();
    for (publish, department) in [
        (true, Some("ecology")),
        (false, Some("ecology")),
        (false, Some("urban")),
        (false, None),
    ] {
        let mut case = valid_case();
        case["publish"] = json!(publish);
        let receipt: CaseReceipt = app.post_case(&case, None).await.json().await.unwrap();
        let number = receipt.number.to_string();
        if let Some(department) = department {
            app.act_ok(&number, json!({"action": "accept"})).await;
            app.act_ok(
                &number,
                json!({"action": "assign", "department": department}),
            )
            .await;
        }
        numbers.push(number);
    }
    let queue = |token: String, query: &'static str| {
        let app = &app;
        async move {
            let response = app
                .client
                .get(format!("{}/api/v1/staff/cases{query}", app.address))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let page: Option<api::Page<api::CaseSummary>> = if status == 200 {
                Some(response.json().await.unwrap())
            } else {
                None
            };
            (status, page)
        }
    };
    let listed = |page: &api::Page<api::CaseSummary>| -> Vec<String> {
        page.items.iter().map(|c| c.number.to_string()).collect()
    };
    let (status, all) = queue(TOKEN.to_owned(), "").await;
    assert_eq!(status, 200);
    let newest_first: Vec<String> = numbers.iter().rev().cloned().collect();
    assert_eq!(listed(&all.unwrap()), newest_first, "published or not");
    let (_, page) = queue(TOKEN.to_owned(), "?limit=3").await;
    let page = page.unwrap();
    assert_eq!(listed(&page), newest_first[..3]);
    let cursor = page.next_cursor.unwrap();
    let rest = app
        .client
        .get(format!(
            "{}/api/v1/staff/cases?limit=3&cursor={cursor}",
            app.address
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let rest: api::Page<api::CaseSummary> = rest.json().await.unwrap();
    assert_eq!(listed(&rest), newest_first[3..]);
    let (_, submitted) = queue(TOKEN.to_owned(), "?status=submitted").await;
    assert_eq!(listed(&submitted.unwrap()), [numbers[3].clone()]);
    let (_, urban) = queue(TOKEN.to_owned(), "?department=urban").await;
    assert_eq!(listed(&urban.unwrap()), [numbers[2].clone()]);
    let (_, overdue) = queue(TOKEN.to_owned(), "?overdue=true").await;
    assert!(overdue.unwrap().items.is_empty(), "nothing is late yet");
    let (_, own) = queue(ecology.clone(), "").await;
    assert_eq!(
        listed(&own.unwrap()),
        [numbers[1].clone(), numbers[0].clone()]
    );
    let (status, _) = queue(ecology.clone(), "?department=urban").await;
    assert_eq!(status, 403);
    for bad in [
        "?status=lost",
        "?department=mars",
        "?limit=0",
        "?cursor=n1.2",
    ] {
        assert_eq!(queue(TOKEN.to_owned(), bad).await.0, 400, "{bad}");
    }
    assert_eq!(queue("nobody".to_owned(), "").await.0, 401);
}

#[tokio::test]
async fn bad_actions_are_422_and_unknown_cases_404() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let number = app.file().await;
    app.act_ok(&number, json!({"action": "accept"})).await;
    let table: &[(Value, &str, FieldErrorCode)] = &[
        (
            json!({"action": "assign", "department": "ministry_of_magic"}),
            "department",
            FieldErrorCode::UnknownCode,
        ),
        (
            json!({"action": "assign", "department": ""}),
            "department",
            FieldErrorCode::Required,
        ),
        (
            json!({"action": "extend", "working_days": 99, "reason": "太忙"}),
            "working_days",
            FieldErrorCode::OutOfRange,
        ),
        (
            json!({"action": "extend", "working_days": -3, "reason": "太忙"}),
            "working_days",
            FieldErrorCode::OutOfRange,
        ),
        (
            json!({"action": "extend", "working_days": 1e10, "reason": "太忙"}),
            "working_days",
            FieldErrorCode::OutOfRange,
        ),
        (
            json!({"action": "reject", "reason": ""}),
            "reason",
            FieldErrorCode::Required,
        ),
    ];
    for (action, field, code) in table {
        let response = app.act_as_staff(&number, action.clone()).await;
        assert_eq!(response.status(), 422, "{action}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.fields[*field][0].code, *code, "{action}");
    }
    let response = app
        .act(&number, json!({"action": "fly"}), Some(TOKEN))
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .act("20200101-0001", json!({"action": "accept"}), Some(TOKEN))
        .await;
    assert_eq!(response.status(), 404);
    let response = app
        .act("nonsense", json!({"action": "accept"}), Some(TOKEN))
        .await;
    assert_eq!(response.status(), 400);
}
