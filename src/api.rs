//! The typed REST client: one function per endpoint. A read is a [`Fetch<T>`], a request not
//! yet sent that names the contract type of its answer, which a [`crate::remote::Remote`]
//! sends and parses; a write is an async function. This is the only module that talks HTTP.
//!
//! The base URL comes from `<meta name="civic-api-base">` in `index.html`, read at run time,
//! so one build can point at another city's backend. A request is aborted when its future
//! is dropped, so a page that moves on cancels what it no longer needs.

use std::cell::OnceCell;
use std::marker::PhantomData;

use api::{
    Announcement, AnnouncementListQuery, AnnouncementSummary, CaseDetail, CaseListQuery,
    CaseNumber, CaseReceipt, CaseSummary, Document, DocumentListQuery, DocumentSummary, ErrorBody,
    Meta, NewCase, NewFollowUp, NewRating, Page, Stats, StatsQuery, UploadReceipt,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use web_sys::AbortController;

/// Why an API call gave no answer of the expected type.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// No answer arrived: offline, the connection dropped, or the request was aborted.
    Network,
    /// The server answered with an error status, and the contract's error body if it sent one.
    Server {
        /// The HTTP status.
        status: u16,
        /// The error body, when the answer carried a readable one.
        body: Option<ErrorBody>,
    },
    /// The answer was a success but not in the contract's shape.
    Unreadable,
}

impl ApiFailure {
    /// Whether the server said there is nothing at this address.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Server { status: 404, .. })
    }
}

thread_local! {
    static BASE_URL: OnceCell<String> = const { OnceCell::new() };
}

/// The API's base URL: the `content` of `<meta name="civic-api-base">`, without a trailing
/// slash; empty (same origin) when absent.
pub fn base_url() -> String {
    BASE_URL.with(|cell| {
        cell.get_or_init(|| {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("meta[name=civic-api-base]").ok().flatten())
                .and_then(|el| el.dyn_into::<web_sys::HtmlMetaElement>().ok())
                .map(|meta| meta.content().trim_end_matches('/').to_owned())
                .unwrap_or_default()
        })
        .clone()
    })
}

/// Aborts the request it guards when dropped; aborting a finished request does nothing.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// A `GET` of the API whose answer is a `T`, not yet sent. Sending is not generic (see
/// [`Fetch::send`]); only reading the answer as a `T` is, so each endpoint costs the wasm little
/// more than its type's deserializer.
pub struct Fetch<T> {
    request: RequestBuilder,
    /// Whether an answer the boot script fetched early for the same URL may stand in for
    /// this request: not when the request carries what the early one did not (a code).
    early: bool,
    answer: PhantomData<fn() -> T>,
}

impl<T> Fetch<T> {
    fn new(request: RequestBuilder) -> Self {
        Self {
            request,
            early: true,
            answer: PhantomData,
        }
    }

    /// Sends the request and reads a successful answer's body as text.
    pub async fn send(self) -> Result<String, ApiFailure> {
        send_text(self.request, self.early).await
    }

    /// Sends the request and reads the answer as a `T` (pages load through
    /// [`crate::remote::Remote`] instead).
    pub async fn json(self) -> Result<T, ApiFailure>
    where
        T: DeserializeOwned,
    {
        parse(&self.send().await?)
    }
}

/// Reads an answer's body as the contract type `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiFailure> {
    from_json(text).ok_or(ApiFailure::Unreadable)
}

/// Reads JSON text as a `T`. (Going through `serde_json::Value` was measured: 2 KiB more.)
pub fn from_json<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

/// Sends a request and reads a successful answer's body as text. Not generic, so the
/// request code exists once in the wasm, not once per answer type. When `early` allows and
/// the boot script already asked for this URL (see [`take_early`]), its answer is used.
async fn send_text(builder: RequestBuilder, early: bool) -> Result<String, ApiFailure> {
    let guard = AbortOnDrop(AbortController::new().ok());
    let signal = guard.0.as_ref().map(AbortController::signal);
    let request = builder
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref())
        .build()
        .map_err(|_| ApiFailure::Unreadable)?;
    let response = match early.then(|| take_early(&request.url())).flatten() {
        Some(answer) => wasm_bindgen_futures::JsFuture::from(answer)
            .await
            .ok()
            .and_then(|raw| raw.dyn_into::<web_sys::Response>().ok())
            .map(Response::from)
            .ok_or(ApiFailure::Network)?,
        None => request.send().await.map_err(|_| ApiFailure::Network)?,
    };
    let result = success_text(response).await;
    drop(guard);
    result
}

/// The answer the boot script (`public/boot.js`) started fetching for `url` before the app
/// arrived, if it did: taken once, so a later visit to the same address asks afresh. The
/// boot script forgets the rest at the first navigation inside the app.
fn take_early(url: &str) -> Option<js_sys::Promise> {
    let window: wasm_bindgen::JsValue = web_sys::window()?.into();
    let early = js_sys::Reflect::get(&window, &"__civicEarly".into()).ok()?;
    if !early.is_object() {
        return None;
    }
    let key = wasm_bindgen::JsValue::from_str(url);
    let answer = js_sys::Reflect::get(&early, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(early.unchecked_ref::<js_sys::Object>(), &key);
    answer.dyn_into::<js_sys::Promise>().ok()
}

/// A successful response's body, or the failure with the contract's error body.
async fn success_text(response: Response) -> Result<String, ApiFailure> {
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiFailure::Network)?;
    answer(status, text)
}

/// The body of an answer with `status`, or the failure it stands for.
fn answer(status: u16, text: String) -> Result<String, ApiFailure> {
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        let body = from_json::<ErrorBody>(&text);
        Err(ApiFailure::Server { status, body })
    }
}

/// Reads a response as `T` when it is a success, and as the contract's error body otherwise.
pub async fn into_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    let text = success_text(response).await?;
    parse(&text)
}

fn url(path: &str) -> String {
    format!("{}{}{}", base_url(), api::API_PREFIX, path)
}

fn pairs(pairs: &[(&'static str, Option<String>)]) -> Vec<(&'static str, String)> {
    pairs
        .iter()
        .filter_map(|(k, v)| v.clone().map(|v| (*k, v)))
        .collect()
}

/// `GET /meta`: the taxonomy.
pub fn meta() -> Fetch<Meta> {
    Fetch::new(Request::get(&url("/meta")))
}

/// `GET /cases`: published cases, newest first.
pub fn cases(query: CaseListQuery) -> Fetch<Page<CaseSummary>> {
    let query = pairs(&[
        ("q", query.q.clone()),
        ("district", query.district.clone()),
        ("category", query.category.clone()),
        ("kind", query.kind.clone()),
        ("status", query.status.clone()),
        ("department", query.department.clone()),
        ("from", query.from.clone()),
        ("to", query.to.clone()),
        ("sort", query.sort.clone()),
        ("limit", query.limit.map(|n| n.to_string())),
        ("cursor", query.cursor.clone()),
    ]);
    Fetch::new(Request::get(&url("/cases")).query(query))
}

/// `GET /cases/{number}`: a published case's public page.
pub fn case(number: &CaseNumber) -> Fetch<CaseDetail> {
    Fetch::new(Request::get(&url(&format!("/cases/{number}"))))
}

/// `GET /cases/{number}`, with the case's tracking code when the owner gave it: then the
/// owner's view. The code goes in a header, never in the URL (logs, history, referrers).
pub fn track(number: &CaseNumber, code: Option<&str>) -> Fetch<CaseDetail> {
    let request = Request::get(&url(&format!("/cases/{number}")));
    match code {
        Some(code) => Fetch {
            early: false,
            ..Fetch::new(request.header(api::TRACKING_CODE_HEADER, code))
        },
        None => Fetch::new(request),
    }
}

/// `POST /cases/{number}/rating`: the owner rates the reply; answers the owner's view.
pub async fn rate_case(number: &CaseNumber, rating: &NewRating) -> Result<CaseDetail, ApiFailure> {
    let body = serde_json::to_string(rating).map_err(|_| ApiFailure::Unreadable)?;
    parse(&post_json(&format!("/cases/{number}/rating"), body).await?)
}

/// `POST /cases/{number}/follow-ups`: the owner asks for the case to be handled again.
pub async fn follow_up(
    number: &CaseNumber,
    follow_up: &NewFollowUp,
) -> Result<CaseDetail, ApiFailure> {
    let body = serde_json::to_string(follow_up).map_err(|_| ApiFailure::Unreadable)?;
    parse(&post_json(&format!("/cases/{number}/follow-ups"), body).await?)
}

/// `POST /cases/{number}/texts`: the owner stops (or restarts) the texts about the case.
pub async fn choose_texts(
    number: &CaseNumber,
    choice: &api::TextsChoice,
) -> Result<CaseDetail, ApiFailure> {
    let body = serde_json::to_string(choice).map_err(|_| ApiFailure::Unreadable)?;
    parse(&post_json(&format!("/cases/{number}/texts"), body).await?)
}

/// Posts a JSON body and reads a successful answer as text (not generic).
async fn post_json(path: &str, body: String) -> Result<String, ApiFailure> {
    let request = Request::post(&url(path))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(body)
        .map_err(|_| ApiFailure::Unreadable)?;
    let response = request.send().await.map_err(|_| ApiFailure::Network)?;
    success_text(response).await
}

/// `GET /documents`: the catalogue, newest first, or by relevance when searching.
pub fn documents(query: DocumentListQuery) -> Fetch<Page<DocumentSummary>> {
    let query = pairs(&[
        ("q", query.q.clone()),
        ("topic", query.topic.clone()),
        ("agency", query.agency.clone()),
        ("doc_type", query.doc_type.clone()),
        ("year", query.year.map(|y| y.to_string())),
        ("validity", query.validity.clone()),
        ("limit", query.limit.map(|n| n.to_string())),
        ("cursor", query.cursor.clone()),
    ]);
    Fetch::new(Request::get(&url("/documents")).query(query))
}

/// `GET /documents/{id}`: a document's page.
pub fn document(id: i64) -> Fetch<Document> {
    Fetch::new(Request::get(&url(&format!("/documents/{id}"))))
}

/// `GET /announcements`: pinned first, then newest first; by relevance when searching.
pub fn announcements(query: AnnouncementListQuery) -> Fetch<Page<AnnouncementSummary>> {
    let query = pairs(&[
        ("q", query.q.clone()),
        ("limit", query.limit.map(|n| n.to_string())),
        ("cursor", query.cursor.clone()),
    ]);
    Fetch::new(Request::get(&url("/announcements")).query(query))
}

/// `GET /announcements/{id}`.
pub fn announcement(id: i64) -> Fetch<Announcement> {
    Fetch::new(Request::get(&url(&format!("/announcements/{id}"))))
}

/// `GET /stats`: performance figures for a period and district.
pub fn stats(query: &StatsQuery) -> Fetch<Stats> {
    let query = pairs(&[
        ("period", query.period.clone()),
        ("from", query.from.clone()),
        ("to", query.to.clone()),
        ("district", query.district.clone()),
    ]);
    Fetch::new(Request::get(&url("/stats")).query(query))
}

/// `GET /cases/similar`: published cases sharing words with `text`, best first.
pub fn similar_cases(text: &str) -> Fetch<Vec<CaseSummary>> {
    Fetch::new(Request::get(&url("/cases/similar")).query([("text", text)]))
}

/// `POST /uploads`: one photo, as multipart, telling `progress` the percentage sent.
/// `fetch` cannot report upload progress, so this one request uses `XMLHttpRequest`.
pub async fn upload_photo(
    photo: &web_sys::Blob,
    progress: impl Fn(u32) + 'static,
) -> Result<UploadReceipt, ApiFailure> {
    let text = send_upload(photo, Box::new(progress)).await?;
    serde_json::from_str(&text).map_err(|_| ApiFailure::Unreadable)
}

async fn send_upload(
    photo: &web_sys::Blob,
    progress: Box<dyn Fn(u32)>,
) -> Result<String, ApiFailure> {
    use wasm_bindgen::closure::Closure;
    let network = |_| ApiFailure::Network;
    let form = web_sys::FormData::new().map_err(network)?;
    form.append_with_blob_and_filename("file", photo, "photo.jpg")
        .map_err(network)?;
    let xhr = web_sys::XmlHttpRequest::new().map_err(network)?;
    xhr.open("POST", &url("/uploads")).map_err(network)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(network)?;
    let on_progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                progress((ev.loaded() * 100.0 / ev.total()).clamp(0.0, 100.0) as u32);
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    // `loadend` follows success, error, timeout and abort alike.
    let finished = js_sys::Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
    xhr.send_with_opt_form_data(Some(&form)).map_err(network)?;
    let _ = wasm_bindgen_futures::JsFuture::from(finished).await;
    drop(on_progress);
    match xhr.status().unwrap_or(0) {
        0 => Err(ApiFailure::Network),
        status => answer(
            status,
            xhr.response_text().ok().flatten().unwrap_or_default(),
        ),
    }
}

/// `POST /cases`: files a case. `idempotency_key` is the draft's key: a retry after a lost
/// answer returns the case the first attempt made, never a second one.
pub async fn file_case(case: &NewCase, idempotency_key: &str) -> Result<CaseReceipt, ApiFailure> {
    let request = Request::post(&url("/cases"))
        .header(api::IDEMPOTENCY_HEADER, idempotency_key)
        .json(case)
        .map_err(|_| ApiFailure::Unreadable)?;
    let response = request.send().await.map_err(|_| ApiFailure::Network)?;
    into_json(response).await
}
