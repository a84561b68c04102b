//! Tracking a case (`/track`). By its number alone, anyone sees a published case's public
//! page; with its tracking code too, the owner sees their whole case (published or not),
//! rates the reply once and, if dissatisfied, asks for it to be handled again (追问).
//!
//! The tracking code never goes into a URL (it travels in a header or a POST body); the
//! number does (`?number=`), so a reload or the back button finds the same case. Cases filed
//! from this device ("My cases") open with their stored code in one tap.
//!
//! What only the owner sees and does (`track_owner.rs`) is a chunk of its own, fetched once
//! a case is found with its code: a shared link, by number alone, does not wait for it.

use api::{CaseDetail, CaseNumber, FieldErrorCode, FieldErrors, Meta, tracking_code};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api::{self as client, ApiFailure};
use crate::app::use_meta;
use crate::browser;
use crate::components::form::{ErrorSummary, TextField, error_entries, field_error};
use crate::components::layout::use_page_title;
use crate::components::state::{LoadError, Loading};
use crate::i18n::{I18n, use_i18n};
use crate::model::draft::{MY_CASES_KEY, MyCase, my_cases_from_json};
use crate::pages::case::CaseView;
use crate::remote::Remote;
use crate::routes::{AppRoute, with_query};
use crate::t;

/// A case to look up, with the owner's code when known.
#[derive(Clone, PartialEq)]
struct Lookup {
    number: CaseNumber,
    code: Option<String>,
}

/// The tracking page.
#[component]
pub fn TrackCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let mine = my_cases_from_json(browser::load(MY_CASES_KEY).as_deref());
    let code_for = {
        let mine = mine.clone();
        move |number: &CaseNumber| {
            mine.iter()
                .find(|m| &m.number == number)
                .map(|m| m.tracking_code.clone())
        }
    };
    let number = RwSignal::new(browser::query_param("number").unwrap_or_default());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    // A number in the URL (a reload, a shared link) is looked up at once, with this
    // device's code for it when the case was filed here.
    let lookup = RwSignal::new(
        CaseNumber::parse(&number.get_untracked())
            .ok()
            .map(|number| Lookup {
                code: code_for(&number),
                number,
            }),
    );
    let case = Remote::on_demand(move || {
        lookup
            .get()
            .map(|l| client::track(&l.number, l.code.as_deref()))
    });
    use_page_title(move || {
        let t = i18n.t();
        let prefix = if errors.with(|e| !e.is_empty()) {
            t.error_title_prefix
        } else {
            ""
        };
        format!("{prefix}{}", t.title_track)
    });

    let open = move |found: Lookup| {
        let path = with_query(
            &AppRoute::TrackCase.path(),
            &[("number", Some(found.number.to_string()))],
        );
        navigate(
            &path,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
        lookup.set(Some(found));
    };
    let open_typed = open.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = FieldErrors::new();
        let typed = number.get_untracked();
        let parsed = CaseNumber::parse(&typed);
        if typed.trim().is_empty() {
            found.add("number", FieldErrorCode::Required, None);
        } else if parsed.is_err() {
            found.add("number", FieldErrorCode::InvalidFormat, None);
        }
        let typed_code = code.get_untracked();
        let normalized = tracking_code::normalize(&typed_code);
        if !typed_code.trim().is_empty() && normalized.is_none() {
            found.add("tracking_code", FieldErrorCode::InvalidFormat, None);
        }
        let ok = found.is_empty();
        errors.set(found);
        match parsed {
            Ok(number) if ok => open_typed(Lookup {
                number,
                code: normalized,
            }),
            _ => request_animation_frame(|| browser::focus_id("error-summary")),
        }
    };
    let summary = error_entries(i18n, errors, &["number", "tracking_code"]);
    let meta = use_meta().0;
    let meta = Signal::derive(move || meta.get().and_then(Result::ok));

    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading">{t!(i18n, title_track)}</h1>
            <p class="c-lead">{t!(i18n, track_intro)}</p>
            <ErrorSummary entries=summary/>
            {(!mine.is_empty()).then(|| {
                let open = open.clone();
                view! {
                    <section class="c-section" aria-labelledby="track-mine">
                        <h2 class="c-section__heading" id="track-mine">{t!(i18n, track_mine_heading)}</h2>
                        <ul class="c-list">
                            {mine.into_iter().map(|MyCase { number: n, tracking_code, title }| {
                                let open = open.clone();
                                let label = n.to_string();
                                view! {
                                    <li class="c-card">
                                        <button type="button" class="c-link-button c-card__title" on:click=move |_| {
                                            number.set(n.to_string());
                                            code.set(tracking_code.clone());
                                            errors.set(FieldErrors::new());
                                            open(Lookup { number: n.clone(), code: Some(tracking_code.clone()) });
                                        }>{title}</button>
                                        <p class="c-card__meta">{label}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            })}
            <form class="c-form" novalidate on:submit=on_submit>
                <TextField
                    field="number"
                    label=Signal::derive(move || i18n.t().track_number_label)
                    hint=Signal::derive(move || i18n.t().track_number_hint)
                    value=number
                    on_input=Callback::new(move |v| number.set(v))
                    input_type="text"
                    autocomplete="off"
                    error=field_error(i18n, errors, "number")
                />
                <TextField
                    field="tracking_code"
                    label=Signal::derive(move || i18n.t().track_code_label)
                    hint=Signal::derive(move || i18n.t().track_code_hint)
                    value=code
                    on_input=Callback::new(move |v| code.set(v))
                    autocomplete="off"
                    error=field_error(i18n, errors, "tracking_code")
                />
                <button type="submit" class="c-button">{t!(i18n, track_submit)}</button>
            </form>
            {move || {
                let asked = lookup.get()?;
                Some(match case.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(failure)) if failure.is_not_found() => view! {
                        <p class="c-state" role="alert">{t!(i18n, track_not_found)}</p>
                    }.into_any(),
                    // 429: too many wrong codes from this connection (the message says to wait).
                    Some(Err(ApiFailure::Server { status: 401 | 429, .. })) => view! {
                        <p class="c-state c-state--error" role="alert">{t!(i18n, track_code_mismatch)}</p>
                    }.into_any(),
                    Some(Err(failure)) => view! {
                        <LoadError failure on_retry=Callback::new(move |()| case.refetch())/>
                    }.into_any(),
                    Some(Ok(detail)) => view! {
                        <TrackedCase detail asked meta i18n on_change=Callback::new(move |()| case.refetch())/>
                    }.into_any(),
                })
            }}
        </div>
    }
}

/// The case found: its page, then what only its owner sees and may do.
#[component]
fn TrackedCase(
    detail: CaseDetail,
    asked: Lookup,
    meta: Signal<Option<Meta>>,
    i18n: I18n,
    on_change: Callback<()>,
) -> impl IntoView {
    let owner = detail.owner.clone();
    let heading = detail.summary.number.to_string();
    view! {
        <section class="c-section c-tracked" aria-labelledby="tracked-heading">
            <h2 class="c-section__heading" id="tracked-heading">
                {move || format!("{} {}", i18n.t().title_case, heading)}
            </h2>
            {owner.zip(asked.code).map(|(owner, code)| {
                let texts_offered = Signal::derive(move || meta.with(|m| m.as_ref().is_some_and(|m| m.texts)));
                crate::lazy::owner_panel_view(owner, asked.number, code, texts_offered, i18n, on_change)
            })}
            <CaseView detail meta i18n/>
        </section>
    }
}
