//! What only a case's owner sees and does on the tracking page (see `track.rs`): their own
//! details, whether the case is published, texts on or off, the rating and the follow-up.
//! A chunk of its own, fetched once a case is found with its tracking code.

use api::limits::COMMENT_MAX_CHARS;
use api::{
    CaseDetail, CaseNumber, FieldErrors, NewFollowUp, NewRating, OwnerView, PublicationState,
    Rating,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self as client, ApiFailure};
use crate::browser;
use crate::components::form::{RadioField, TextField, field_error};
use crate::i18n::{I18n, Strings};
use crate::model::draft::field_id;
use crate::t;

/// The owner's own details, their rating, and the rating or follow-up forms when allowed.
#[component]
pub fn OwnerPanel(
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
                <span class="c-card__meta">{move || crate::i18n::format_date(i18n.t(), &at, true)}</span>
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
                error=field_error(i18n, errors, "rating")
            />
            <TextField
                field="comment"
                label=Signal::derive(move || i18n.t().rating_comment_label)
                value=comment
                on_input=Callback::new(move |v| comment.set(v))
                max_chars=COMMENT_MAX_CHARS
                multiline=true
                error=field_error(i18n, errors, "comment")
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
                error=field_error(i18n, errors, "text")
            />
            <SentState sent i18n/>
            <button type="submit" class="c-button" disabled=move || sent.get() == Sent::Sending>
                {t!(i18n, follow_up_submit)}
            </button>
        </form>
    }
}
