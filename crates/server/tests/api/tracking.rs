use api::{CaseDetail, CaseReceipt, CaseStatus, ErrorBody, ErrorCode, FieldErrorCode, Rating};
use serde_json::{Value, json};

use crate::filing::valid_case;
use crate::helpers::TestApp;

const TOKEN: &str = "staff-token-for-tests-0123456789abcdef";

impl TestApp {
    /// `GET /api/v1/cases/{number}` with a tracking code.
    pub async fn get_as_owner(&self, number: &str, code: &str) -> reqwest::Response {
        self.client
            .get(format!("{}/api/v1/cases/{number}", self.address))
            .header("X-Tracking-Code", code)
            .send()
            .await
            .unwrap()
    }

    /// Posts a citizen's rating or follow-up.
    pub async fn citizen(&self, number: &str, what: &str, body: Value) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/cases/{number}/{what}", self.address))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// Files a case (published or not) and has staff move it to `replied`.
    pub async fn replied_case(&self, publish: bool) -> CaseReceipt {
        let mut case = valid_case();
        case["publish"] = json!(publish);
        let receipt = self.file_reviewed(&case).await;
        let number = receipt.number.to_string();
        for action in [
            json!({"action": "accept"}),
            json!({"action": "assign", "department": "ecology"}),
            json!({"action": "reply", "text": "已责令施工单位停止夜间施工。"}),
        ] {
            let response = self.act_as_staff(&number, action).await;
            assert_eq!(response.status(), 200);
        }
        receipt
    }
}

#[tokio::test]
async fn the_tracking_code_opens_the_owners_view_even_of_an_unpublished_case() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let mut case = valid_case();
    case["publish"] = json!(false);
    let receipt: CaseReceipt = app.post_case(&case, None).await.json().await.unwrap();
    let number = receipt.number.to_string();
    // By number alone: its progress, not what was written.
    let public: CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    assert!(!public.published);
    assert_eq!(public.summary.status, api::CaseStatus::Submitted);
    assert_eq!(public.timeline.len(), 1);
    assert!(
        public.summary.title.is_empty() && public.description.is_empty() && public.place.is_empty()
    );
    assert!(public.owner.is_none());
    app.get_error("/api/v1/cases/20200101-0001", 404).await;

    // However it is typed: lower case, spaces instead of dashes.
    let typed = receipt.tracking_code.to_lowercase().replace('-', " ");
    let response = app.get_as_owner(&number, &typed).await;
    assert_eq!(response.status(), 200);
    let page: CaseDetail = response.json().await.unwrap();
    let owner = page.owner.expect("the owner's view");
    assert_eq!(owner.contact.name, "王小明");
    assert_eq!(owner.contact.phone, "13912345678");
    assert!(!owner.published);
    assert!(!owner.can_rate && !owner.can_follow_up);

    for wrong in ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", "garbage"] {
        let response = app.get_as_owner(&number, wrong).await;
        assert_eq!(response.status(), 401, "{wrong}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::Unauthorized);
    }
    // A code never opens a different case, and a missing case looks like a wrong code.
    let other: CaseReceipt = app
        .post_case(&valid_case(), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        app.get_as_owner(other.number.as_str(), &receipt.tracking_code)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.get_as_owner("20200101-0001", &receipt.tracking_code)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn the_owner_rates_a_replied_case_once_and_that_closes_it() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let receipt = app.replied_case(true).await;
    let number = receipt.number.to_string();
    let code = receipt.tracking_code.clone();
    let page: CaseDetail = app.get_as_owner(&number, &code).await.json().await.unwrap();
    assert!(page.owner.as_ref().unwrap().can_rate);

    // Only the owner: a wrong code is refused and changes nothing.
    let response = app
        .citizen(
            &number,
            "rating",
            json!({"tracking_code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "rating": "satisfied"}),
        )
        .await;
    assert_eq!(response.status(), 401);
    let response = app
        .citizen(
            &number,
            "rating",
            json!({"tracking_code": code, "rating": "ecstatic"}),
        )
        .await;
    assert_eq!(response.status(), 422);

    let response = app
        .citizen(
            &number,
            "rating",
            json!({"tracking_code": code, "rating": "basically_satisfied", "comment": "处理及时"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let page: CaseDetail = response.json().await.unwrap();
    assert_eq!(page.summary.status, CaseStatus::Closed);
    let owner = page.owner.unwrap();
    assert_eq!(
        owner.rating.as_ref().map(|r| r.rating),
        Some(Rating::BasicallySatisfied)
    );
    assert_eq!(owner.rating.unwrap().comment.as_deref(), Some("处理及时"));
    assert!(!owner.can_rate && !owner.can_follow_up);
    assert_eq!(
        page.timeline.last().unwrap().rating,
        Some(Rating::BasicallySatisfied)
    );

    // Once only.
    let response = app
        .citizen(
            &number,
            "rating",
            json!({"tracking_code": code, "rating": "satisfied"}),
        )
        .await;
    assert_eq!(response.status(), 409);
    // The public page shows the rating on the timeline but not the comment or the owner's view.
    let public = app
        .get(&format!("/api/v1/cases/{number}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(public.contains("basically_satisfied"));
    assert!(
        !public.contains("处理及时")
            && !public.contains("owner")
            && !public.contains("13912345678")
    );
}

#[tokio::test]
async fn a_case_cannot_be_rated_before_its_reply() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let receipt: CaseReceipt = app
        .post_case(&valid_case(), None)
        .await
        .json()
        .await
        .unwrap();
    let response = app
        .citizen(
            receipt.number.as_str(),
            "rating",
            json!({"tracking_code": receipt.tracking_code, "rating": "satisfied"}),
        )
        .await;
    assert_eq!(response.status(), 409);
    let response = app
        .citizen(
            receipt.number.as_str(),
            "follow-ups",
            json!({"tracking_code": receipt.tracking_code, "text": "请尽快处理这个问题，谢谢"}),
        )
        .await;
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn a_dissatisfied_owner_reopens_the_case_with_a_follow_up() {
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let receipt = app.replied_case(true).await;
    let number = receipt.number.to_string();
    let code = receipt.tracking_code.clone();
    let page: CaseDetail = app
        .citizen(
            &number,
            "rating",
            json!({"tracking_code": code, "rating": "dissatisfied"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(page.owner.unwrap().can_follow_up);

    let response = app
        .citizen(
            &number,
            "follow-ups",
            json!({"tracking_code": code, "text": "短"}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.fields["text"][0].code, FieldErrorCode::TooShort);

    let text = "工地昨晚十二点仍在施工，问题没有解决，请再次处理。";
    let response = app
        .citizen(
            &number,
            "follow-ups",
            json!({"tracking_code": code, "text": text}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let page: CaseDetail = response.json().await.unwrap();
    assert_eq!(page.summary.status, CaseStatus::InProgress);
    let last = page.timeline.last().unwrap();
    assert!(last.follow_up);
    assert_eq!(last.note.as_deref(), Some(text));
    assert_eq!(page.summary.department.as_deref(), Some("ecology"));
    assert!(!page.owner.unwrap().can_follow_up);
    // The public sees that the resident followed up, not what they wrote (never reviewed).
    let public: CaseDetail = app.get_json(&format!("/api/v1/cases/{number}")).await;
    assert!(public.published);
    let last = public.timeline.last().unwrap();
    assert!(last.follow_up && last.note.is_none());
    // The department replies again; the case can no longer be rated (once), staff close it.
    app.act_ok(
        &number,
        json!({"action": "reply", "text": "已再次执法检查并处罚。"}),
    )
    .await;
    let page: CaseDetail = app.get_as_owner(&number, &code).await.json().await.unwrap();
    assert!(!page.owner.unwrap().can_rate);
    app.act_ok(&number, json!({"action": "close"})).await;
}

#[tokio::test]
async fn no_public_answer_ever_holds_a_name_a_phone_or_a_tracking_code() {
    let app = TestApp::spawn_configured(true, Some(TOKEN)).await;
    let people = [
        ("隐私甲某", "13311112222"),
        ("Secret Person", "15533334444"),
        ("隐私乙某", "18855556666"),
    ];
    let mut secrets: Vec<String> = Vec::new();
    let mut numbers = Vec::new();
    for (index, (name, phone)) in people.iter().enumerate() {
        let mut case = valid_case();
        case["contact"] = json!({"name": name, "phone": phone});
        case["publish"] = json!(index != 2);
        if index >= 1 {
            // What an unpublished case says is as private as who said it; so is what a case
            // awaiting the centre's review says (the second: its resident agreed to
            // publish, and nobody has reviewed it).
            let state = if index == 1 { "待审核" } else { "未公开" };
            let title = format!("隐私测试{state}的标题");
            let description = format!("隐私测试{state}的描述，不应出现在任何公开回答中。");
            let place = format!("隐私测试{state}的地点");
            case["title"] = json!(title);
            case["description"] = json!(description);
            case["place"] = json!(place);
            secrets.extend([title, format!("隐私测试{state}的描述"), place]);
        }
        let receipt: CaseReceipt = app
            .post_case(&case, Some(&format!("privacy-test-key-{index}")))
            .await
            .json()
            .await
            .unwrap();
        secrets.extend([
            (*name).to_owned(),
            (*phone).to_owned(),
            receipt.tracking_code.clone(),
        ]);
        secrets.push(api::tracking_code::normalize(&receipt.tracking_code).unwrap());
        // The last two characters of a Chinese name would survive a bad mask.
        secrets.push(name.chars().skip(1).collect());
        numbers.push(receipt.number.to_string());
        let hash: (String,) = sqlx::query_as("SELECT tracking_hash FROM cases WHERE number = $1")
            .bind(receipt.number.as_str())
            .fetch_one(&app.pool().await)
            .await
            .unwrap();
        secrets.push(hash.0);
    }
    // Publish the first and move it along, so the timeline and reply are part of the walk.
    app.publish(&numbers[0]).await;
    for action in [
        json!({"action": "accept"}),
        json!({"action": "assign", "department": "ecology"}),
        json!({"action": "reply", "text": "已处理。"}),
    ] {
        app.act_ok(&numbers[0], action).await;
    }
    let mut paths = vec![
        "/api/v1/meta".to_owned(),
        "/api/openapi.json".to_owned(),
        "/api/v1/documents?limit=50".to_owned(),
        "/api/v1/announcements?limit=50".to_owned(),
        "/api/v1/cases?district=wuhou&limit=50".to_owned(),
        "/api/v1/cases/similar?text=夜间施工噪音扰民&limit=5".to_owned(),
        "/api/v1/cases?category=environment&limit=50".to_owned(),
        "/api/v1/cases?status=replied&limit=50".to_owned(),
        "/api/v1/stats".to_owned(),
        "/api/v1/stats?period=last_12_months&district=wuhou".to_owned(),
    ];
    // Every page of the board.
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/cases?limit=50&cursor={c}"),
            None => "/api/v1/cases?limit=50".to_owned(),
        };
        let page: api::Page<api::CaseSummary> = app.get_json(&path).await;
        paths.extend(
            page.items
                .iter()
                .map(|c| format!("/api/v1/cases/{}", c.number)),
        );
        paths.push(path);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    paths.extend(numbers.iter().map(|n| format!("/api/v1/cases/{n}")));
    for path in &paths {
        let text = app.get(path).await.text().await.unwrap();
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{path} shows {secret}");
        }
        // The OpenAPI document describes these fields; no answer about a case may carry them.
        if !path.contains("openapi") {
            assert!(
                !text.contains("\"owner\""),
                "{path} carries the owner's view"
            );
            assert!(
                !text.contains("\"contact\""),
                "{path} carries contact details"
            );
        }
    }
    assert!(paths.len() > 200, "walked {} public answers", paths.len());
}

#[tokio::test]
async fn an_unrated_reply_closes_by_itself_after_the_rating_period() {
    use civic_server::service::auto_close;
    let app = TestApp::spawn_configured(false, Some(TOKEN)).await;
    let unrated = app.replied_case(true).await;
    let rated = app.replied_case(true).await;
    let response = app
        .citizen(
            rated.number.as_str(),
            "rating",
            json!({"tracking_code": rated.tracking_code, "rating": "satisfied"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let store = app.store().await;
    let now = civic_server::clock::now();
    assert!(
        auto_close(
            store.as_ref(),
            &civic_server::domain::notify::Notices::default(),
            now - 7 * 86_400,
            now
        )
        .await
        .unwrap()
        .is_empty(),
        "not yet due"
    );
    let closed = auto_close(
        store.as_ref(),
        &civic_server::domain::notify::Notices::default(),
        now + 60,
        now + 60,
    )
    .await
    .unwrap();
    assert_eq!(closed, vec![unrated.number.clone()]);
    let page: CaseDetail = app
        .get_json(&format!("/api/v1/cases/{}", unrated.number))
        .await;
    assert_eq!(page.summary.status, CaseStatus::Closed);
    assert_eq!(
        page.timeline.last().unwrap().note.as_deref(),
        Some(civic_server::domain::lifecycle::AUTO_CLOSE_NOTE)
    );
}
