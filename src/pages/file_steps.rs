//! The filing's steps after the first (see `file_case.rs`): the form, the check of the
//! answers and the confirmation, in a chunk of their own, one component per step.

use api::{CaseKind, CaseReceipt, FieldErrorCode, FieldErrors, Meta, NewCase, Taxon};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self as client, ApiFailure};
use crate::browser::{self, NoPosition};
use crate::components::form::{
    CheckboxField, Choice, ErrorSummary, RadioField, SelectField, TextField, error_entries,
    field_error, fill,
};
use crate::components::{kind_name, status_name, taxon_name};
use crate::i18n::format_date;
use crate::i18n::{I18n, Strings, use_i18n};
use crate::model::draft::{
    DRAFT_KEY, Draft, FIELD_ORDER, MY_CASES_KEY, MyCase, field_id, my_cases_from_json, remember,
};
use crate::pages::file_case::{Filing, Step};
use crate::pages::file_photos::{PhotoField, all_uploaded};
use crate::remote::Remote;
use crate::routes::AppRoute;
use crate::t;
use api::limits::{
    DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS, PLACE_MAX_CHARS, TITLE_MAX_CHARS, TITLE_MIN_CHARS,
};
use api::pii::{self, PersonalDetails};
use std::time::Duration;

/// A coordinate with five decimals (about a metre), without the float formatting machinery
/// (which would add to the wasm).
fn decimal5(value: f64) -> String {
    let scaled = (value * 100_000.0).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let scaled = scaled.unsigned_abs();
    format!("{sign}{}.{:05}", scaled / 100_000, scaled % 100_000)
}

/// Where "use my location" stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Locating {
    Asking,
    Failed(NoPosition),
}

/// The label of a field, for the error summary and the check page.
fn field_label(t: &'static Strings, field: &str) -> &'static str {
    match field {
        "kind" => t.field_kind,
        "category" => t.field_category,
        "district" => t.field_district,
        "place" => t.field_place,
        "title" => t.field_title,
        "description" => t.field_description,
        "contact.name" => t.field_name,
        "contact.phone" => t.field_phone,
        "publish" => t.field_publish,
        "texts" => t.field_texts,
        "privacy_accepted" => t.field_privacy,
        "photos" => t.field_photos,
        "location" => t.field_location,
        _ => t.err_invalid_format,
    }
}

fn validate(case: &NewCase, meta: Option<&Meta>) -> FieldErrors {
    let mut errors = case.validate().err().unwrap_or_default();
    if let Some(meta) = meta {
        case.validate_codes(meta, &mut errors);
    }
    errors
}

/// The draft's position, written for people, if it has one.
fn coordinates(draft: &Draft) -> Option<String> {
    match (draft.case.latitude, draft.case.longitude) {
        (Some(lat), Some(lon)) => Some(format!("{}, {}", decimal5(lat), decimal5(lon))),
        _ => None,
    }
}

/// Shows the form with `found` in its error summary, and takes the focus there.
fn show_errors(filing: Filing, found: FieldErrors) {
    filing.errors.set(found);
    filing.step.set(Step::Form);
    request_animation_frame(|| browser::focus_id("error-summary"));
}

/// The step shown, past the first.
#[component]
pub fn FilingSteps(filing: Filing) -> impl IntoView {
    move || match filing.step.get() {
        Step::Start => ().into_any(),
        Step::Form => view! { <FilingForm filing/> }.into_any(),
        Step::Check => view! { <FilingCheck filing/> }.into_any(),
        Step::Done(receipt) => view! { <FilingDone filing receipt/> }.into_any(),
    }
}

/// A warning when text about to be published holds personal details.
fn personal_details_warning(i18n: I18n, draft: RwSignal<Draft>) -> impl IntoView {
    move || {
        let found = draft.with(|d| {
            let c = &d.case;
            let mut found = PersonalDetails::default();
            if c.publish {
                for text in [&c.title, &c.place, &c.description] {
                    found = found.or(pii::find(text));
                }
            }
            found
        });
        (!found.is_none()).then(|| {
            let t = i18n.t();
            let kinds = [
                (found.phone, t.pii_phone),
                (found.id_card, t.pii_id_card),
                (found.email, t.pii_email),
            ];
            view! {
                <div class="c-panel c-panel--warning">
                    <h2 class="c-panel__heading">{t.pii_heading}</h2>
                    <ul>{kinds.into_iter().filter(|k| k.0).map(|k| view! { <li>{k.1}</li> }).collect_view()}</ul>
                    <p>{t.pii_advice}</p>
                </div>
            }
        })
    }
}

/// The form.
#[component]
fn FilingForm(filing: Filing) -> impl IntoView {
    let i18n = use_i18n();
    let Filing {
        draft,
        errors,
        photos,
        meta,
        restored,
        ..
    } = filing;
    let locating = RwSignal::new(None::<Locating>);
    let on_continue = move |_| {
        let mut found = draft.with_untracked(|d| validate(&d.case, meta.get_untracked().as_ref()));
        if !photos.with_untracked(|list| all_uploaded(list)) {
            found.add("photos", FieldErrorCode::InvalidFormat, None);
        }
        if found.is_empty() {
            errors.set(FieldErrors::new());
            filing.go(Step::Check);
        } else {
            show_errors(filing, found);
        }
    };
    let update = move |edit: fn(&mut NewCase, String)| {
        Callback::new(move |value: String| draft.update(|d| edit(&mut d.case, value)))
    };
    let error_for = move |field: &'static str| field_error(i18n, errors, field);
    let value_of =
        move |read: fn(&NewCase) -> String| Signal::derive(move || draft.with(|d| read(&d.case)));
    let summary = error_entries(i18n, errors, &FIELD_ORDER);
    let kinds = Signal::derive(move || {
        CaseKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), kind_name(i18n.t(), *k).to_owned()))
            .collect::<Vec<_>>()
    });
    let categories = Signal::derive(move || {
        let tag = i18n.locale().tag();
        meta.with(|m| {
            let Some(m) = m else { return Vec::new() };
            m.categories
                .iter()
                .filter(|c| c.parent.is_none())
                .map(|group| {
                    let children = m
                        .categories
                        .iter()
                        .filter(|c| c.parent.as_deref() == Some(group.code.as_str()))
                        .map(|c| (c.code.clone(), c.name.get(tag).to_owned()))
                        .collect();
                    Choice::Group(group.name.get(tag).to_owned(), children)
                })
                .collect()
        })
    });
    let districts = Signal::derive(move || {
        let tag = i18n.locale().tag();
        meta.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.districts
                        .iter()
                        .map(|d| Choice::Option(d.code.clone(), d.name.get(tag).to_owned()))
                        .collect()
                })
                .unwrap_or_default()
        })
    });

    // Similar published cases, looked up once the title has rested for half a second.
    let settled_title = RwSignal::new(draft.with_untracked(|d| d.case.title.trim().to_owned()));
    // Not in the reactive arena: the form's cleanup must still reach it to stop the timer, so
    // that it never fires into the form once the resident has moved on to the check.
    let title_timer = std::sync::Arc::new(std::sync::Mutex::new(None::<TimeoutHandle>));
    let timer = title_timer.clone();
    let stop = |timer: &std::sync::Mutex<Option<TimeoutHandle>>| {
        if let Some(running) = timer.lock().ok().and_then(|mut t| t.take()) {
            running.clear();
        }
    };
    Effect::new(move |_| {
        let title = draft.with(|d| d.case.title.trim().to_owned());
        stop(&timer);
        let settle = move || {
            if settled_title
                .try_get_untracked()
                .is_some_and(|t| t != title)
            {
                settled_title.set(title);
            }
        };
        if let Ok(mut slot) = timer.lock() {
            *slot = set_timeout_with_handle(settle, Duration::from_millis(500)).ok();
        }
    });
    on_cleanup(move || stop(&title_timer));
    // Quiet (like every `maybe`): these hints load while the person types, and must not
    // talk over them.
    let similar = Remote::maybe(move || {
        let text = settled_title.get();
        (text.chars().count() >= TITLE_MIN_CHARS).then(|| client::similar_cases(&text))
    });
    let similar_cases = move || {
        similar.ok().filter(|cases| !cases.is_empty()).map(|cases| {
            view! {
                <aside class="c-panel c-similar" aria-labelledby="similar-heading">
                    <h2 class="c-panel__heading" id="similar-heading">{t!(i18n, similar_heading)}</h2>
                    <p>{t!(i18n, similar_intro)}</p>
                    <ul class="c-similar__list">
                        // Enough to tell them apart: where, when, and how far along.
                        {cases.into_iter().map(|case| {
                            let district = case.district.clone();
                            let filed = case.submitted_at.clone();
                            let status = case.status;
                            view! {
                                <li class="c-similar__item">
                                    <a href=AppRoute::Case(case.number).path()>{case.title}</a>
                                    <span class="c-card__meta">
                                        {move || taxon_name(&meta.get(), Taxon::District, &district, i18n.locale().tag())}
                                        " · "
                                        {move || format_date(i18n.t(), &filed, false)}
                                        " · "
                                        <span class=format!("c-tag c-tag--status c-tag--{}", status.code())>
                                            {move || status_name(i18n.t(), status)}
                                        </span>
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </aside>
            }
        })
    };

    let pii_warning = personal_details_warning(i18n, draft);

    // "Use my location": the browser asks the person; refusing is fine.
    let locate = move |_| {
        locating.set(Some(Locating::Asking));
        spawn_local(async move {
            match browser::current_position().await {
                Ok((lat, lon)) => {
                    draft.update(|d| {
                        d.case.latitude = Some(lat);
                        d.case.longitude = Some(lon);
                    });
                    locating.try_set(None);
                }
                // The resident may have moved on while the browser asked.
                Err(why) => {
                    locating.try_set(Some(Locating::Failed(why)));
                }
            }
        });
    };
    let coordinates = move || draft.with(coordinates);
    let location = move || {
        view! {
            <div class="c-field c-location">
                <div role="status">
                    {move || {
                        let t = i18n.t();
                        match (locating.get(), coordinates()) {
                            (Some(Locating::Asking), _) => Some(t.location_locating.to_owned()),
                            (Some(Locating::Failed(NoPosition::Denied)), _) => Some(t.location_denied.to_owned()),
                            (Some(Locating::Failed(NoPosition::Unavailable)), _) => Some(t.location_unavailable.to_owned()),
                            (None, Some(at)) => Some(fill(t.location_added, at)),
                            (None, None) => None,
                        }.map(|text| view! { <p class="c-field__hint">{text}</p> })
                    }}
                </div>
                {move || if coordinates().is_some() {
                    view! {
                        <button type="button" class="c-button c-button--secondary" on:click=move |_| {
                            draft.update(|d| { d.case.latitude = None; d.case.longitude = None; });
                        }>{t!(i18n, location_remove)}</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="c-button c-button--secondary" id="field-location"
                            prop:disabled=move || locating.get() == Some(Locating::Asking)
                            on:click=locate>{t!(i18n, location_use)}</button>
                    }.into_any()
                }}
            </div>
        }
    };

    view! {
        <h1 class="c-page-heading">{t!(i18n, file_form_heading)}</h1>
        <ErrorSummary entries=summary/>
        {restored.then(|| view! { <p class="c-notice" role="status">{t!(i18n, file_draft_restored)}</p> })}
        <form class="c-form" novalidate on:submit=move |ev| { ev.prevent_default(); on_continue(()); }>
            <RadioField field="kind" legend=t!(i18n, field_kind)
                value=value_of(|c| c.kind.map(|k| k.code().to_owned()).unwrap_or_default())
                on_change=Callback::new(move |code: String| draft.update(|d| d.case.kind = CaseKind::from_code(&code)))
                choices=kinds error=error_for("kind")/>
            <SelectField field="category" label=t!(i18n, field_category)
                value=value_of(|c| c.category.clone()) on_change=update(|c, v| c.category = v)
                choices=categories error=error_for("category")/>
            <SelectField field="district" label=t!(i18n, field_district)
                value=value_of(|c| c.district.clone()) on_change=update(|c, v| c.district = v)
                choices=districts error=error_for("district")/>
            <TextField field="place" label=t!(i18n, field_place)
                hint=t!(i18n, field_place_hint)
                value=value_of(|c| c.place.clone()) on_input=update(|c, v| c.place = v)
                max_chars=PLACE_MAX_CHARS error=error_for("place")/>
            {location}
            <TextField field="title" label=t!(i18n, field_title)
                hint=t!(i18n, field_title_hint)
                value=value_of(|c| c.title.clone()) on_input=update(|c, v| c.title = v)
                max_chars=TITLE_MAX_CHARS error=error_for("title")/>
            <div aria-live="polite">{similar_cases}</div>
            <TextField field="description" label=t!(i18n, field_description)
                hint=t!(i18n, field_description_hint) multiline=true
                value=value_of(|c| c.description.clone()) on_input=update(|c, v| c.description = v)
                max_chars=DESCRIPTION_MAX_CHARS error=error_for("description")/>
            <PhotoField draft photos error=error_for("photos")/>
            <fieldset class="c-fieldset c-fieldset--group">
                <legend class="c-fieldset__legend">{t!(i18n, contact_heading)}</legend>
                <p class="c-field__hint">{t!(i18n, contact_private_note)}</p>
                <TextField field="contact.name" label=t!(i18n, field_name)
                    value=value_of(|c| c.contact.name.clone()) on_input=update(|c, v| c.contact.name = v)
                    autocomplete="name" max_chars=NAME_MAX_CHARS error=error_for("contact.name")/>
                <TextField field="contact.phone" label=t!(i18n, field_phone)
                    hint=t!(i18n, field_phone_hint) input_type="tel"
                    value=value_of(|c| c.contact.phone.clone()) on_input=update(|c, v| c.contact.phone = v)
                    autocomplete="tel" error=error_for("contact.phone")/>
                {move || meta.with(|m| m.as_ref().is_some_and(|m| m.texts)).then(|| view! {
                    <CheckboxField field="texts" label=t!(i18n, field_texts)
                        hint=t!(i18n, field_texts_hint)
                        checked=Signal::derive(move || draft.with(|d| d.case.texts))
                        on_change=Callback::new(move |on: bool| draft.update(|d| d.case.texts = on))
                        error=error_for("texts")/>
                })}
            </fieldset>
            <CheckboxField field="publish" label=t!(i18n, field_publish)
                hint=t!(i18n, field_publish_hint)
                checked=Signal::derive(move || draft.with(|d| d.case.publish))
                on_change=Callback::new(move |on: bool| draft.update(|d| d.case.publish = on))
                error=error_for("publish")/>
            <div aria-live="polite">{pii_warning}</div>
            <p class="c-privacy-notice" id="privacy-notice">{t!(i18n, privacy_notice)}</p>
            <CheckboxField field="privacy_accepted" label=t!(i18n, field_privacy)
                checked=Signal::derive(move || draft.with(|d| d.case.privacy_accepted))
                on_change=Callback::new(move |on: bool| draft.update(|d| d.case.privacy_accepted = on))
                error=error_for("privacy_accepted")/>
            <button type="submit" class="c-button">{t!(i18n, continue_button)}</button>
        </form>
    }
}

/// The answers, to check before sending; sending, and sending again.
#[component]
fn FilingCheck(filing: Filing) -> impl IntoView {
    let i18n = use_i18n();
    let Filing {
        draft,
        errors,
        sending,
        failure,
        photos,
        meta,
        ..
    } = filing;
    let send = move || {
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        failure.set(None);
        // Texts about the case are written in the language it was sent in.
        let language = api::ContentLanguage::from_tag(i18n.locale_untracked().tag());
        draft.update(|d| d.case.language = language.unwrap_or_default());
        let current = draft.get_untracked();
        spawn_local(async move {
            let result = client::file_case(&current.case, &current.idempotency_key).await;
            sending.set(false);
            match result {
                Ok(receipt) => {
                    let mut mine = my_cases_from_json(browser::load(MY_CASES_KEY).as_deref());
                    remember(
                        &mut mine,
                        MyCase {
                            number: receipt.number.clone(),
                            tracking_code: receipt.tracking_code.clone(),
                            title: current.case.title.trim().to_owned(),
                        },
                    );
                    browser::store(
                        MY_CASES_KEY,
                        &serde_json::to_string(&mine).unwrap_or_default(),
                    );
                    // Only now, with the case confirmed, is the draft let go.
                    draft.set(Draft::new(browser::random_uuid()));
                    photos.set(Vec::new());
                    browser::forget(DRAFT_KEY);
                    errors.set(FieldErrors::new());
                    filing.go(Step::Done(receipt));
                }
                Err(ApiFailure::Server {
                    status: 422,
                    body: Some(body),
                }) => show_errors(filing, FieldErrors::from(body.fields)),
                Err(other) => failure.set(Some(other)),
            }
        });
    };
    // A filing that failed for want of a connection goes out again by itself.
    let listener = window_event_listener(leptos::ev::online, move |_| {
        if failure.get_untracked().is_some() && filing.step.with_untracked(|s| *s == Step::Check) {
            send();
        }
    });
    on_cleanup(move || listener.remove());

    move || {
        let t = i18n.t();
        let tag = i18n.locale().tag();
        let case = draft.with(|d| d.case.clone());
        let m = meta.get();
        let mut rows = vec![
            (
                "kind",
                case.kind
                    .map(|k| kind_name(t, k).to_owned())
                    .unwrap_or_default(),
            ),
            (
                "category",
                taxon_name(&m, Taxon::Category, &case.category, tag),
            ),
            (
                "district",
                taxon_name(&m, Taxon::District, &case.district, tag),
            ),
            ("place", case.place.trim().to_owned()),
            (
                "location",
                draft
                    .with(coordinates)
                    .unwrap_or_else(|| t.not_given.to_owned()),
            ),
            ("title", case.title.trim().to_owned()),
            ("description", case.description.trim().to_owned()),
            (
                "photos",
                match case.photos.len() {
                    0 => t.check_photos_none.to_owned(),
                    1 => t.check_photos_one.to_owned(),
                    n => fill(t.check_photos, n),
                },
            ),
            ("contact.name", case.contact.name.trim().to_owned()),
            ("contact.phone", case.contact.phone.trim().to_owned()),
        ];
        if m.as_ref().is_some_and(|m| m.texts) {
            rows.push(("texts", if case.texts { t.yes } else { t.no }.to_owned()));
        }
        rows.extend([(
            "publish",
            if case.publish { t.yes } else { t.no }.to_owned(),
        )]);
        view! {
            <h1 class="c-page-heading">{t.check_heading}</h1>
            <dl class="c-summary">
                {rows.into_iter().map(|(field, value)| view! {
                    <div class="c-summary__row">
                        <dt class="c-summary__key">{field_label(t, field)}</dt>
                        <dd class="c-summary__value">{value}</dd>
                        <dd class="c-summary__action">
                            <button type="button" class="c-link-button" on:click=move |_| {
                                filing.step.set(Step::Form);
                                request_animation_frame(move || browser::focus_id(&field_id(field)));
                            }>
                                {t.check_change}<span class="u-visually-hidden">{format!(" {}", field_label(t, field))}</span>
                            </button>
                        </dd>
                    </div>
                }).collect_view()}
            </dl>
            {personal_details_warning(i18n, draft)}
            {move || failure.get().map(|f| {
                let offline = f == ApiFailure::Network && !browser::online();
                view! {
                    <div class="c-state c-state--error" role="alert">
                        <p>{move || if offline { i18n.t().send_failed_offline } else { i18n.t().send_failed }}</p>
                    </div>
                }
            })}
            <div class="c-actions">
                <button type="button" class="c-button" prop:disabled=move || sending.get() on:click=move |_| send()>
                    {move || if sending.get() { i18n.t().submitting } else if failure.with(Option::is_some) { i18n.t().send_retry } else { i18n.t().submit }}
                </button>
                <button type="button" class="c-button c-button--secondary" on:click=move |_| filing.go(Step::Form)>{t.back}</button>
            </div>
        }
    }
}

/// The confirmation: the case's number, its tracking code and what happens next.
#[component]
fn FilingDone(filing: Filing, receipt: CaseReceipt) -> impl IntoView {
    let i18n = use_i18n();
    let code = receipt.tracking_code.clone();
    let copied = RwSignal::new(false);
    let deadline = receipt.deadline.clone();
    view! {
        <div class="c-confirmation">
            <h1 class="c-page-heading c-confirmation__heading">{t!(i18n, done_heading)}</h1>
            <p class="c-confirmation__label">{t!(i18n, done_number)}</p>
            <p class="c-confirmation__number">{receipt.number.to_string()}</p>
        </div>
        <div class="c-panel">
            <h2 class="c-panel__heading">{t!(i18n, done_code)}</h2>
            <p><code class="c-code">{code.clone()}</code></p>
            <p>
                <button type="button" class="c-button c-button--secondary" on:click=move |_| {
                    browser::copy_to_clipboard(&code);
                    copied.set(true);
                }>{move || if copied.get() { i18n.t().copied } else { i18n.t().copy }}</button>
            </p>
            <p>{t!(i18n, done_code_note)}</p>
        </div>
        <dl class="c-facts">
            <div class="c-facts__row">
                <dt>{t!(i18n, done_deadline)}</dt>
                <dd>{move || format_date(i18n.t(), &deadline, false)}</dd>
            </div>
        </dl>
        <h2 class="c-section__heading">{t!(i18n, done_next_heading)}</h2>
        <p>{t!(i18n, done_next)}</p>
        <p>{t!(i18n, done_saved_device)}</p>
        <p><a href="tel:12345">{t!(i18n, footer_hotline)}</a></p>
        <p>
            <a href=AppRoute::TrackCase.path()>{t!(i18n, nav_track)}</a>
            " · "
            <button type="button" class="c-link-button" on:click=move |_| filing.go(Step::Form)>{t!(i18n, done_another)}</button>
        </p>
    }
}
