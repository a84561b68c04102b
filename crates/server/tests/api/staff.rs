use api::{
    ActionKind, CaseDetail, CaseReceipt, CaseStatus, ErrorBody, ErrorCode, FieldErrorCode,
    StaffActionResult,
};
use serde_json::{Value, json};

use crate::filing::valid_case;
use crate::helpers::TestApp;

const TOKEN: &str = "staff-token-for-tests";

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

    /// Posts a staff action that must succeed, and returns where the case stands.
    pub async fn act_ok(&self, number: &str, action: Value) -> StaffActionResult {
        let response = self.act(number, action.clone(), Some(TOKEN)).await;
        assert_eq!(response.status(), 200, "{action}");
        response.json().await.unwrap()
    }

    /// Files a published case and returns its number.
    pub async fn file(&self) -> String {
        let receipt: CaseReceipt = self
            .post_case(&valid_case(), None)
            .await
            .json()
            .await
            .unwrap();
        receipt.number.to_string()
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
        vec![ActionKind::Assign, ActionKind::Extend]
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
            json!({"action": "reply", "text": "提前答复"}),
            &[ActionKind::Accept, ActionKind::Reject],
        ),
        (
            json!({"action": "close"}),
            &[ActionKind::Accept, ActionKind::Reject],
        ),
        (
            json!({"action": "start"}),
            &[ActionKind::Accept, ActionKind::Reject],
        ),
    ];
    for (action, allowed) in table {
        let response = app.act(&number, action.clone(), Some(TOKEN)).await;
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
async fn the_staff_api_needs_the_right_token_and_is_off_without_one() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let number = app.file().await;
    for token in [None, Some("wrong"), Some("")] {
        let response = app.act(&number, json!({"action": "accept"}), token).await;
        assert_eq!(response.status(), 401, "{token:?}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::Unauthorized);
    }
    let page: CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    assert_eq!(page.summary.status, CaseStatus::Submitted, "nothing moved");

    let off = TestApp::spawn_configured(false, None).await;
    let number = off.file().await;
    let response = off
        .act(&number, json!({"action": "accept"}), Some(TOKEN))
        .await;
    assert_eq!(response.status(), 404);
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
        let response = app.act(&number, action.clone(), Some(TOKEN)).await;
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
