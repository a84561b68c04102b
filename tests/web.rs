//! Browser tests of the app's plumbing, run in headless Chromium by wasm-bindgen-test:
//! the API client against a stubbed `fetch`, and the choice of language.

use api::{CaseListQuery, ErrorCode, FieldErrorCode, Meta};
use civic::api::{self as client, ApiFailure};
use civic::browser;
use civic::i18n::{Locale, choose_locale, strings};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BASE: &str = "https://civic.test";

/// Points the client at `BASE` (read once per page, so every test sets the same value) and
/// replaces `fetch` with one that records the URL and answers `status` with `body`, or
/// fails like a dropped connection when `status` is 0.
fn stub_fetch(status: u16, body: &str) {
    let document = web_sys::window().unwrap().document().unwrap();
    if document
        .query_selector("meta[name=civic-api-base]")
        .unwrap()
        .is_none()
    {
        let meta = document.create_element("meta").unwrap();
        meta.set_attribute("name", "civic-api-base").unwrap();
        meta.set_attribute("content", &format!("{BASE}/")).unwrap();
        document.head().unwrap().append_child(&meta).unwrap();
    }
    let install = js_sys::Function::new_with_args(
        "status, body",
        "globalThis.fetch = (input) => {
            globalThis.__civicLastUrl = typeof input === 'string' ? input : input.url;
            globalThis.__civicLastAccept = typeof input === 'string' ? null : input.headers.get('accept');
            if (status === 0) return Promise.reject(new TypeError('Failed to fetch'));
            return Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } }));
        };",
    );
    install
        .call2(
            &JsValue::NULL,
            &JsValue::from(status),
            &JsValue::from_str(body),
        )
        .unwrap();
}

fn last(name: &str) -> Option<String> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
}

#[wasm_bindgen_test]
async fn meta_is_fetched_from_the_configured_base_and_decoded() {
    stub_fetch(
        200,
        r#"{"districts":[{"code":"wuhou","name":{"zh":"武侯区","en":"Wuhou District"}}],
            "departments":[],"categories":[],"kinds":[],"statuses":[],"hotline":"12345"}"#,
    );
    let meta: Meta = client::meta().json().await.expect("meta decodes");
    assert_eq!(meta.districts[0].name.en, "Wuhou District");
    assert_eq!(
        last("__civicLastUrl").as_deref(),
        Some("https://civic.test/api/v1/meta")
    );
    assert_eq!(
        last("__civicLastAccept").as_deref(),
        Some("application/json")
    );
}

#[wasm_bindgen_test]
async fn list_filters_travel_as_query_parameters() {
    stub_fetch(200, r#"{"items":[]}"#);
    let page = client::cases(CaseListQuery {
        status: Some("replied".into()),
        district: Some("wuhou".into()),
        limit: Some(5),
        ..Default::default()
    })
    .json()
    .await
    .expect("an empty page decodes");
    assert!(page.items.is_empty() && page.next_cursor.is_none());
    let url = last("__civicLastUrl").unwrap();
    assert!(url.starts_with("https://civic.test/api/v1/cases?"), "{url}");
    for part in ["district=wuhou", "status=replied", "limit=5"] {
        assert!(url.contains(part), "{url} has {part}");
    }
    assert!(!url.contains("kind="), "absent filters are not sent: {url}");
}

#[wasm_bindgen_test]
async fn an_error_answer_becomes_a_typed_failure_with_its_body() {
    stub_fetch(
        400,
        r#"{"code":"bad_request","message":"x","fields":{"limit":[{"code":"out_of_range","limit":50}]}}"#,
    );
    match client::cases(CaseListQuery::default()).json().await {
        Err(ApiFailure::Server {
            status: 400,
            body: Some(body),
        }) => {
            assert_eq!(body.code, ErrorCode::BadRequest);
            assert_eq!(body.fields["limit"][0].code, FieldErrorCode::OutOfRange);
        }
        other => panic!("expected a 400 with its body, got {other:?}"),
    }
    stub_fetch(404, "not json");
    let failure = client::announcement(9).json().await.unwrap_err();
    assert!(failure.is_not_found());
    assert_eq!(
        failure,
        ApiFailure::Server {
            status: 404,
            body: None
        }
    );
}

#[wasm_bindgen_test]
async fn a_dropped_connection_and_a_malformed_success_are_told_apart() {
    stub_fetch(0, "");
    assert_eq!(
        client::meta().json().await.unwrap_err(),
        ApiFailure::Network
    );
    stub_fetch(200, r#"{"unexpected":true}"#);
    assert_eq!(
        client::meta().json().await.unwrap_err(),
        ApiFailure::Unreadable
    );
}

#[wasm_bindgen_test]
fn the_language_follows_the_query_then_the_saved_choice_then_the_browser() {
    let browser_langs = browser::languages();
    assert!(
        !browser_langs.is_empty(),
        "the browser reports its languages"
    );
    assert_eq!(
        choose_locale(Some("en"), Some("zh-CN"), &browser_langs),
        Locale::En
    );
    assert_eq!(
        choose_locale(None, Some("zh-CN"), &["en-US".into()]),
        Locale::ZhCn
    );
    assert_eq!(choose_locale(None, None, &["en-US".into()]), Locale::En);
    assert_eq!(choose_locale(None, None, &["de-DE".into()]), Locale::ZhCn);
    // The saved choice round-trips through the browser's storage.
    browser::store(civic::i18n::LANG_KEY, "en");
    let saved = browser::load(civic::i18n::LANG_KEY);
    assert_eq!(
        choose_locale(None, saved.as_deref(), &["zh-CN".into()]),
        Locale::En
    );
    browser::store(civic::i18n::LANG_KEY, "zh-CN");
    assert_eq!(
        browser::load(civic::i18n::LANG_KEY).as_deref(),
        Some("zh-CN")
    );
}

#[wasm_bindgen_test]
fn both_locales_are_complete_and_differ() {
    let (zh, en) = (strings(Locale::ZhCn), strings(Locale::En));
    assert_eq!(zh.site_name, "成都市网络理政平台");
    assert_eq!(en.nav_home, "Home");
    assert_ne!(zh.title_not_found, en.title_not_found);
    browser::set_html_lang(Locale::En.tag());
    let lang = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap()
        .get_attribute("lang");
    assert_eq!(lang.as_deref(), Some("en"));
}
