//! Review before publishing (审核后公开): a case whose resident agreed to publish is public
//! only after a dispatcher publishes it, as written or with personal details masked, or
//! withholds it with a reason its owner sees.

use api::{
    ActionKind, CaseDetail, CaseReceipt, CaseSummary, ErrorBody, ErrorCode, FieldErrorCode, Page,
    PublicationState, StaffCase,
};
use serde_json::{Value, json};

use crate::filing::valid_case;
use crate::helpers::TestApp;

const TOKEN: &str = "staff-token-for-reviews-0123456789abcdef";

impl TestApp {
    /// `POST /api/v1/staff/cases/{number}/review` with `token`.
    pub async fn review(&self, number: &str, decision: Value, token: &str) -> reqwest::Response {
        self.client
            .post(format!(
                "{}/api/v1/staff/cases/{number}/review",
                self.address
            ))
            .bearer_auth(token)
            .json(&decision)
            .send()
            .await
            .unwrap()
    }

    /// The owner's view of case `number`.
    async fn owners(&self, receipt: &CaseReceipt) -> CaseDetail {
        let response = self
            .get_as_owner(receipt.number.as_str(), &receipt.tracking_code)
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// The numbers a public list (a page, or similar cases' list) answers.
    async fn listed(&self, path: &str) -> Vec<String> {
        let items: Vec<CaseSummary> = if path.contains("/similar") {
            self.get_json(path).await
        } else {
            let page: Page<CaseSummary> = self.get_json(path).await;
            page.items
        };
        items.iter().map(|c| c.number.to_string()).collect()
    }
}

/// Case `number` is in no public list, search or similar cases, and its page shows only its
/// progress.
async fn assert_hidden(app: &TestApp, number: &str) {
    let number = number.to_owned();
    assert!(!app.listed("/api/v1/cases?limit=50").await.contains(&number));
    assert!(!app.listed("/api/v1/cases?q=菱角巷").await.contains(&number));
    let similar = app
        .listed("/api/v1/cases/similar?text=菱角巷烧烤油烟")
        .await;
    assert!(!similar.contains(&number));
    let page: CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    assert!(!page.published);
    assert!(page.summary.title.is_empty() && page.description.is_empty());
}

/// A case with a title, description and place of its own, which it asks to publish.
fn case_saying(title: &str, description: &str, place: &str) -> Value {
    let mut case = valid_case();
    case["title"] = json!(title);
    case["description"] = json!(description);
    case["place"] = json!(place);
    case["publish"] = json!(true);
    case
}

#[tokio::test]
async fn a_case_awaiting_review_is_nowhere_public_until_a_dispatcher_publishes_it() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let case = case_saying(
        "菱角巷深夜烧烤油烟",
        "菱角巷的烧烤摊每晚营业到凌晨两点，油烟直冲楼上住户窗户。",
        "菱角巷12号",
    );
    let receipt: CaseReceipt = app.post_case(&case, None).await.json().await.unwrap();
    let number = receipt.number.to_string();
    let owners = app.owners(&receipt).await;
    let owner = owners.owner.unwrap();
    assert_eq!(owner.publication, PublicationState::AwaitingReview);
    assert!(!owner.published);

    assert_hidden(&app, &number).await;

    // Only a dispatcher reviews.
    let clerk = app.department_token("ecology").await;
    let refused = app
        .review(&number, json!({"decision": "publish"}), &clerk)
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        app.review(&number, json!({"decision": "publish"}), "nobody")
            .await
            .status(),
        401
    );
    assert_hidden(&app, &number).await;

    let queue: Page<CaseSummary> = {
        let response = app
            .client
            .get(format!(
                "{}/api/v1/staff/cases?awaiting_review=true",
                app.address
            ))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        response.json().await.unwrap()
    };
    assert_eq!(queue.items.len(), 1);
    let view: StaffCase = app.staff_view(&number, TOKEN).await.json().await.unwrap();
    assert_eq!(view.publication, PublicationState::AwaitingReview);
    assert!(view.allowed.contains(&ActionKind::Review));

    let published = app
        .review(&number, json!({"decision": "publish"}), TOKEN)
        .await;
    assert_eq!(published.status(), 200);
    let view: StaffCase = published.json().await.unwrap();
    assert_eq!(view.publication, PublicationState::Published);
    assert!(!view.allowed.contains(&ActionKind::Review));
    assert_eq!(
        view.audit.last().map(|e| (e.action, e.actor.as_deref())),
        Some((Some(ActionKind::Review), Some("bootstrap")))
    );
    assert!(app.listed("/api/v1/cases?limit=50").await.contains(&number));
    assert!(app.listed("/api/v1/cases?q=菱角巷").await.contains(&number));
    let page: CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    assert_eq!(page.summary.title, "菱角巷深夜烧烤油烟");
    assert_eq!(
        page.timeline.len(),
        1,
        "the review is not on the public timeline"
    );
    assert_eq!(
        app.owners(&receipt).await.owner.unwrap().publication,
        PublicationState::Published
    );

    // Reviewed once; and a case its resident kept private is never up for review.
    let again = app
        .review(&number, json!({"decision": "publish"}), TOKEN)
        .await;
    assert_eq!(again.status(), 409);
    let mut private = valid_case();
    private["publish"] = json!(false);
    let private: CaseReceipt = app.post_case(&private, None).await.json().await.unwrap();
    let response = app
        .review(
            private.number.as_str(),
            json!({"decision": "publish"}),
            TOKEN,
        )
        .await;
    assert_eq!(response.status(), 409);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::Conflict);
    let page: CaseDetail = app
        .get_json(&format!("/api/v1/cases/{}", private.number))
        .await;
    assert!(!page.published);
}

#[tokio::test]
async fn a_case_published_redacted_shows_only_the_redacted_text_in_public() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let case = case_saying(
        "榴莲巷张建国家楼下漏水",
        "我是榴莲巷7号的张建国，电话13912345678，楼下水管漏水三天无人处理。",
        "榴莲巷7号张建国家",
    );
    let receipt: CaseReceipt = app.post_case(&case, None).await.json().await.unwrap();
    let number = receipt.number.to_string();
    let view: StaffCase = app.staff_view(&number, TOKEN).await.json().await.unwrap();
    let flagged: Vec<(&str, bool)> = view
        .personal_details
        .iter()
        .map(|f| (f.field.as_str(), f.found.phone))
        .collect();
    assert_eq!(flagged, [("description", true)], "the reviewer is warned");

    // Texts of a redaction follow the rules of the fields they stand for.
    let response = app
        .review(
            &number,
            json!({"decision": "publish_redacted", "title": "漏", "description": "", "place": "x"}),
            TOKEN,
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.fields["title"][0].code, FieldErrorCode::TooShort);
    assert_eq!(body.fields["description"][0].code, FieldErrorCode::Required);

    let redacted = json!({
        "decision": "publish_redacted",
        "title": "某小区楼下水管漏水",
        "description": "某小区居民反映，楼下水管漏水三天无人处理。",
        "place": "锦江区某小区",
    });
    let response = app.review(&number, redacted, TOKEN).await;
    assert_eq!(response.status(), 200);
    let view: StaffCase = response.json().await.unwrap();
    assert_eq!(
        view.case.summary.title, "榴莲巷张建国家楼下漏水",
        "staff see both"
    );
    assert_eq!(view.public_text.unwrap().title, "某小区楼下水管漏水");

    // Every public answer: the board, its search, the case page, similar cases.
    let originals = ["榴莲巷", "张建国", "13912345678"];
    let mut answers = Vec::new();
    for path in [
        "/api/v1/cases?limit=50".to_owned(),
        "/api/v1/cases?q=某小区".to_owned(),
        "/api/v1/cases/similar?text=某小区楼下水管漏水".to_owned(),
        format!("/api/v1/cases/{number}"),
    ] {
        let text = app.get(&path).await.text().await.unwrap();
        assert!(text.contains(&number), "{path} shows the case");
        answers.push((path, text));
    }
    for path in [
        "/api/v1/cases?q=榴莲巷",
        "/api/v1/cases?q=张建国",
        "/api/v1/cases?q=13912345678",
    ] {
        let text = app.get(path).await.text().await.unwrap();
        assert!(
            !text.contains(&number),
            "{path} finds it by what was masked"
        );
        answers.push((path.to_owned(), text));
    }
    // Offered by the words the public text kept, under the public title.
    let text = app
        .get("/api/v1/cases/similar?text=榴莲巷张建国家楼下漏水")
        .await
        .text()
        .await
        .unwrap();
    answers.push(("similar to the original title".to_owned(), text));
    for (path, text) in &answers {
        for original in originals {
            assert!(!text.contains(original), "{path} shows {original}");
        }
    }
    let page: CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    assert_eq!(page.place, "锦江区某小区");

    // The owner still sees what they wrote.
    let owners = app.owners(&receipt).await;
    assert_eq!(owners.summary.title, "榴莲巷张建国家楼下漏水");
    assert!(owners.description.contains("13912345678"));
    assert_eq!(owners.place, "榴莲巷7号张建国家");
    assert_eq!(
        owners.owner.unwrap().publication,
        PublicationState::Published
    );
}

#[tokio::test]
async fn a_withheld_case_stays_private_and_tells_its_owner_why() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let receipt: CaseReceipt = app
        .post_case(
            &case_saying(
                "邻居家的私事纠纷",
                "邻居家因为家庭矛盾每天争吵，想请社区出面调解。",
                "某小区",
            ),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let number = receipt.number.to_string();
    let response = app
        .review(
            &number,
            json!({"decision": "withhold", "reason": ""}),
            TOKEN,
        )
        .await;
    assert_eq!(response.status(), 422);
    let reason = "涉及家庭隐私，不宜公开。";
    let response = app
        .review(
            &number,
            json!({"decision": "withhold", "reason": reason}),
            TOKEN,
        )
        .await;
    assert_eq!(response.status(), 200);
    let owner = app.owners(&receipt).await.owner.unwrap();
    assert_eq!(owner.publication, PublicationState::Withheld);
    assert_eq!(owner.withheld_reason.as_deref(), Some(reason));
    let public = app
        .get(&format!("/api/v1/cases/{number}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !public.contains("邻居家") && !public.contains(reason),
        "{public}"
    );
    assert!(!app.listed("/api/v1/cases?limit=50").await.contains(&number));
    assert_eq!(
        app.review(&number, json!({"decision": "publish"}), TOKEN)
            .await
            .status(),
        409,
        "a withheld case is not reviewed again"
    );
}
