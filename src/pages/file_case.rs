//! Filing a case: what the service is (and is not) for, the form, a check of the answers,
//! and the confirmation with the case number and the tracking code, one component per step.
//!
//! The draft is saved on the device at every keystroke and cleared only once the server has
//! confirmed the case; its one idempotency key makes every retry safe.
//!
//! Only the first step is in the page's own chunk, so a shared link to `/file` paints it
//! sooner. The form, the check and the confirmation (`file_steps.rs`) are a chunk of their
//! own, fetched as the resident heads for the form (a touch, a press or the keyboard's focus
//! on "start"), or at once when a draft comes back.

use api::{CaseReceipt, FieldErrors, Meta};
use leptos::prelude::*;

use crate::api::ApiFailure;
use crate::app::use_meta;
use crate::browser;
use crate::components::layout::use_page_title;
use crate::i18n::use_i18n;
use crate::model::draft::{DRAFT_KEY, Draft};
use crate::pages::file_photos::{Photo, photos_from};
use crate::t;

/// Where the resident is in the filing.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// What the service is and is not for.
    Start,
    /// The form.
    Form,
    /// The answers to check before sending.
    Check,
    /// Sent: the number and the tracking code.
    Done(CaseReceipt),
}

/// What the filing's steps share.
#[derive(Clone, Copy)]
pub struct Filing {
    /// The case being written, saved on the device at every change.
    pub draft: RwSignal<Draft>,
    /// The step shown.
    pub step: RwSignal<Step>,
    /// The fields the resident must correct.
    pub errors: RwSignal<FieldErrors>,
    /// Whether the case is on its way to the server.
    pub sending: RwSignal<bool>,
    /// Why the last sending failed, if it did.
    pub failure: RwSignal<Option<ApiFailure>>,
    /// The photos, uploading or uploaded.
    pub photos: RwSignal<Vec<Photo>>,
    /// The taxonomy and what the server offers (texts).
    pub meta: Signal<Option<Meta>>,
    /// Whether the draft came back from the device when the page opened.
    pub restored: bool,
}

impl Filing {
    /// Shows `next` and takes the focus to its heading.
    pub fn go(self, next: Step) {
        self.step.set(next);
        request_animation_frame(browser::focus_main_heading);
    }
}

/// The filing flow.
#[component]
pub fn FileCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let meta = use_meta().0;
    let stored = browser::load(DRAFT_KEY).and_then(|json| Draft::from_json(&json));
    let restored = stored.as_ref().is_some_and(|d| !d.is_blank());
    let draft = RwSignal::new(stored.unwrap_or_else(|| Draft::new(browser::random_uuid())));
    let filing = Filing {
        draft,
        step: RwSignal::new(if restored { Step::Form } else { Step::Start }),
        errors: RwSignal::new(FieldErrors::new()),
        sending: RwSignal::new(false),
        failure: RwSignal::new(None),
        photos: RwSignal::new(draft.with_untracked(photos_from)),
        meta: Signal::derive(move || meta.get().and_then(Result::ok)),
        restored,
    };

    // Every change is on the device before the next keystroke.
    Effect::new(move |_| draft.with(|d| browser::store(DRAFT_KEY, &d.to_json())));

    use_page_title(move || {
        let t = i18n.t();
        let step = filing.step.get();
        let prefix = if step == Step::Form && filing.errors.with(|e| !e.is_empty()) {
            t.error_title_prefix
        } else {
            ""
        };
        let page = match step {
            Step::Check => t.check_heading,
            Step::Done(_) => t.done_heading,
            _ => t.title_file,
        };
        format!("{prefix}{page}")
    });

    // The later steps' chunk is asked for once, whichever of them is shown.
    let past_start = Memo::new(move |_| filing.step.with(|s| *s != Step::Start));
    view! {
        <div class="l-container l-page l-narrow">
            {move || if past_start.get() {
                crate::lazy::filing_steps_view(filing)
            } else {
                view! { <FilingStart filing/> }.into_any()
            }}
        </div>
    }
}

/// The first step: what the service is for and what it is not for.
#[component]
fn FilingStart(filing: Filing) -> impl IntoView {
    let i18n = use_i18n();
    // Heading for the form: fetch it now, so it is there when "start" is pressed.
    let prefetch = crate::lazy::prefetch_filing_steps;
    view! {
        <h1 class="c-page-heading">{t!(i18n, title_file)}</h1>
        <p class="c-lead">{t!(i18n, file_intro_for)}</p>
        <div class="c-panel c-panel--warning">
            <h2 class="c-panel__heading">{t!(i18n, file_intro_not_for)}</h2>
            <ul>
                <li>{t!(i18n, file_intro_emergency)}</li>
                <li>{t!(i18n, file_intro_courts)}</li>
            </ul>
        </div>
        // Say so when the browser will not keep a draft (a blocked frame, a private mode).
        <p>{move || if browser::can_store() { i18n.t().file_intro_time } else { i18n.t().file_intro_no_storage }}</p>
        <button type="button" class="c-button c-button--start"
            on:pointerenter=move |_| prefetch() on:pointerdown=move |_| prefetch()
            on:focus=move |_| prefetch()
            on:click=move |_| filing.go(Step::Form)>{t!(i18n, file_start)}</button>
    }
}
