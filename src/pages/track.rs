//! Tracking a case (`/track`). By its number alone, anyone sees a published case's public
//! page; with its tracking code too, the owner sees their whole case (published or not),
//! rates the reply once and, if dissatisfied, asks for it to be handled again (追问).
//!
//! The tracking code never goes into a URL (it travels in a header or a POST body); the
//! number does (`?number=`), so a reload or the back button finds the same case. Cases filed
//! from this device ("My cases") open with their stored code in one tap.

use api::limits::COMMENT_MAX_CHARS;
use api::{
    CaseDetail, CaseNumber, FieldErrorCode, FieldErrors, Meta, NewFollowUp, NewRating, OwnerView,
    PublicationState, Rating, tracking_code,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api::{self as client, ApiFailure};
use crate::app::use_meta;
use crate::browser;
use crate::components::form::{
    ErrorSummary, RadioField, TextField, error_entries, field_error_text,
};
use crate::components::layout::use_page_title;
use crate::components::state::{LoadError, Loading};
use crate::i18n::{I18n, Strings, use_i18n};
use crate::model::draft::{MY_CASES_KEY, MyCase, field_id, my_cases_from_json};
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

/// The error of `field`, as a sentence in the reader's language.
fn error_of(
    i18n: I18n,
    errors: RwSignal<FieldErrors>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors.with(|e| {
            e.get(field)
                .first()
                .map(|fe| field_error_text(i18n.t(), field, fe))
        })
    })
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
                    error=error_of(i18n, errors, "number")
                />
                <TextField
                    field="tracking_code"
                    label=Signal::derive(move || i18n.t().track_code_label)
                    hint=Signal::derive(move || i18n.t().track_code_hint)
                    value=code
                    on_input=Callback::new(move |v| code.set(v))
                    autocomplete="off"
                    error=error_of(i18n, errors, "tracking_code")
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
                    Some(Err(ApiFailure::Server { status: 401, .. })) => view! {
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
                view! { <OwnerPanel owner number=asked.number code texts_offered i18n on_change/> }
            })}
            <CaseView detail meta i18n/>
        </section>
    }
}

/// The owner's own details, their rating, and the rating or follow-up forms when allowed.
#[component]
fn OwnerPanel(
    owner: OwnerView,
    number: CaseNumber,
    code: String,
    texts_offered: Signal<bool>,
    i18n: I18n,
    on_change: Callback<()>,
) -> impl IntoView {
    let OwnerView {
        contact,
        publication,
        withheld_reason,
        rating,
        can_rate,
        can_follow_up,
        texts,
        ..
    } = owner;
    let texts_number = number.clone();
    let texts_code = code.clone();
    let texts_row = move || {
        (texts || texts_offered.get()).then(|| {
            view! {
                <div class="c-facts__row"><dt>{t!(i18n, owner_texts)}</dt><dd data-texts=texts.to_string()>
                    {move || if texts { i18n.t().owner_texts_on } else { i18n.t().owner_texts_off }}
                    <TextsButton texts number=texts_number.clone() code=texts_code.clone() i18n on_change/>
                </dd></div>
            }
        })
    };
    let rated = rating.map(|record| {
        let at = record.at.clone();
        view! {
            <div class="c-facts__row"><dt>{t!(i18n, rating_given)}</dt><dd>
                {move || rating_name(i18n.t(), record.rating)}
                {record.comment.clone().map(|c| view! { <br/> {c} })}
                <br/>
                <span class="c-card__meta">{move || browser::format_date(&at, i18n.locale().tag(), true)}</span>
            </dd></div>
        }
    });
    let rate_number = number.clone();
    let rate_code = code.clone();
    view! {
        <div class="c-panel c-owner">
            <h3 class="c-panel__heading">{t!(i18n, owner_heading)}</h3>
            <p class="c-field__hint">{t!(i18n, owner_note)}</p>
            <dl class="c-facts">
                <div class="c-facts__row"><dt>{t!(i18n, field_name)}</dt><dd>{contact.name}</dd></div>
                <div class="c-facts__row"><dt>{t!(i18n, field_phone)}</dt><dd>{contact.phone}</dd></div>
                <div class="c-facts__row"><dt>{t!(i18n, owner_published)}</dt><dd data-publication=publication.code()>
                    {move || publication_name(i18n.t(), publication)}
                    {withheld_reason.map(|reason| view! { <br/> {reason} })}
                </dd></div>
                {texts_row}
                {rated}
            </dl>
        </div>
        {can_rate.then(|| view! { <RatingForm number=rate_number code=rate_code i18n on_change/> })}
        {can_follow_up.then(|| view! { <FollowUpForm number code i18n on_change/> })}
    }
}

fn publication_name(t: &'static Strings, publication: PublicationState) -> &'static str {
    match publication {
        PublicationState::Private => t.publication_private,
        PublicationState::AwaitingReview => t.publication_awaiting_review,
        PublicationState::Published => t.publication_published,
        PublicationState::Withheld => t.publication_withheld,
    }
}

fn rating_name(t: &'static Strings, rating: Rating) -> &'static str {
    match rating {
        Rating::Satisfied => t.rating_satisfied,
        Rating::BasicallySatisfied => t.rating_basically_satisfied,
        Rating::Dissatisfied => t.rating_dissatisfied,
    }
}

/// What a form's submission came to, besides field errors.
#[derive(Clone, Copy, PartialEq)]
enum Sent {
    Idle,
    Sending,
    Refused,
    Failed,
}

/// Sends `body` to the owner's endpoint and reports the outcome: fields the server refused,
/// a move the case no longer allows (409), or a failure to reach it.
fn send_owner_action(
    send: impl std::future::Future<Output = Result<CaseDetail, ApiFailure>> + 'static,
    errors: RwSignal<FieldErrors>,
    sent: RwSignal<Sent>,
    done: &'static str,
    on_change: Callback<()>,
) {
    sent.set(Sent::Sending);
    spawn_local(async move {
        match send.await {
            Ok(_) => {
                sent.set(Sent::Idle);
                browser::announce(done);
                // The page may have moved on (another look-up) while this was sent.
                on_change.try_run(());
            }
            Err(ApiFailure::Server {
                status: 422,
                body: Some(body),
            }) => {
                sent.set(Sent::Idle);
                errors.set(FieldErrors::from(body.fields));
            }
            Err(ApiFailure::Server {
                status: 401 | 409, ..
            }) => sent.set(Sent::Refused),
            Err(_) => sent.set(Sent::Failed),
        }
    });
}

/// Says what became of a submission that did not go through.
#[component]
fn SentState(sent: RwSignal<Sent>, i18n: I18n) -> impl IntoView {
    move || {
        match sent.get() {
        Sent::Refused => Some(view! { <p class="c-state c-state--error" role="alert">{t!(i18n, owner_action_refused)}</p> }.into_any()),
        Sent::Failed => Some(view! { <p class="c-state c-state--error" role="alert">{t!(i18n, error_load)}</p> }.into_any()),
        _ => None,
    }
    }
}

/// Stops the texts about the case, or starts them again.
#[component]
fn TextsButton(
    texts: bool,
    number: CaseNumber,
    code: String,
    i18n: I18n,
    on_change: Callback<()>,
) -> impl IntoView {
    let sent = RwSignal::new(Sent::Idle);
    let errors = RwSignal::new(FieldErrors::new());
    let on_click = move |_| {
        let choice = api::TextsChoice {
            tracking_code: code.clone(),
            texts: !texts,
        };
        let number = number.clone();
        let t = i18n.t_untracked();
        send_owner_action(
            async move { client::choose_texts(&number, &choice).await },
            errors,
            sent,
            if texts {
                t.texts_stopped
            } else {
                t.texts_started
            },
            on_change,
        );
    };
    view! {
        <br/>
        <button type="button" class="c-link-button" on:click=on_click disabled=move || sent.get() == Sent::Sending>
            {move || if texts { i18n.t().texts_stop } else { i18n.t().texts_start }}
        </button>
        <SentState sent i18n/>
    }
}

/// Rating the reply, once (满意 / 基本满意 / 不满意), with an optional comment.
#[component]
fn RatingForm(
    number: CaseNumber,
    code: String,
    i18n: I18n,
    on_change: Callback<()>,
) -> impl IntoView {
    let choice = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let sent = RwSignal::new(Sent::Idle);
    let choices = Signal::derive(move || {
        Rating::ALL
            .iter()
            .map(|r| (r.code().to_owned(), rating_name(i18n.t(), *r).to_owned()))
            .collect::<Vec<_>>()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let rating = NewRating {
            tracking_code: code.clone(),
            rating: Rating::from_code(&choice.get_untracked()),
            comment: comment.get_untracked(),
        };
        if let Err(found) = rating.validate() {
            let first = found.fields().next().map(field_id);
            errors.set(found);
            if let Some(id) = first {
                browser::focus_id(&id);
            }
            return;
        }
        errors.set(FieldErrors::new());
        let number = number.clone();
        send_owner_action(
            async move { client::rate_case(&number, &rating).await },
            errors,
            sent,
            i18n.t_untracked().rating_done,
            on_change,
        );
    };
    view! {
        <form class="c-form c-panel" novalidate on:submit=on_submit aria-labelledby="rating-heading">
            <h3 class="c-panel__heading" id="rating-heading">{t!(i18n, rating_heading)}</h3>
            <RadioField
                field="rating"
                legend=Signal::derive(move || i18n.t().rating_legend)
                value=choice
                on_change=Callback::new(move |v| choice.set(v))
                choices
                error=error_of(i18n, errors, "rating")
            />
            <TextField
                field="comment"
                label=Signal::derive(move || i18n.t().rating_comment_label)
                value=comment
                on_input=Callback::new(move |v| comment.set(v))
                max_chars=COMMENT_MAX_CHARS
                multiline=true
                error=error_of(i18n, errors, "comment")
            />
            <SentState sent i18n/>
            <button type="submit" class="c-button" disabled=move || sent.get() == Sent::Sending>
                {t!(i18n, rating_submit)}
            </button>
        </form>
    }
}

/// Asking for the case to be handled again (追问): reopens it with the resident's words in
/// its timeline.
#[component]
fn FollowUpForm(
    number: CaseNumber,
    code: String,
    i18n: I18n,
    on_change: Callback<()>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let sent = RwSignal::new(Sent::Idle);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let follow_up = NewFollowUp {
            tracking_code: code.clone(),
            text: text.get_untracked(),
        };
        if let Err(found) = follow_up.validate() {
            errors.set(found);
            browser::focus_id(&field_id("text"));
            return;
        }
        errors.set(FieldErrors::new());
        let number = number.clone();
        send_owner_action(
            async move { client::follow_up(&number, &follow_up).await },
            errors,
            sent,
            i18n.t_untracked().follow_up_done,
            on_change,
        );
    };
    view! {
        <form class="c-form c-panel" novalidate on:submit=on_submit aria-labelledby="follow-up-heading">
            <h3 class="c-panel__heading" id="follow-up-heading">{t!(i18n, follow_up_heading)}</h3>
            <TextField
                field="text"
                label=Signal::derive(move || i18n.t().follow_up_label)
                hint=Signal::derive(move || i18n.t().follow_up_hint)
                value=text
                on_input=Callback::new(move |v| text.set(v))
                max_chars=COMMENT_MAX_CHARS
                multiline=true
                error=error_of(i18n, errors, "text")
            />
            <SentState sent i18n/>
            <button type="submit" class="c-button" disabled=move || sent.get() == Sent::Sending>
                {t!(i18n, follow_up_submit)}
            </button>
        </form>
    }
}
