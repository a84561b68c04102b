//! Form parts in the GOV.UK pattern: a label, an optional hint, the error beside the field,
//! the field itself; errors are tied to the field with `aria-describedby`.

use api::{FieldError, FieldErrorCode, FieldErrors};
use leptos::prelude::*;

use crate::i18n::{I18n, Strings, use_i18n};
use crate::model::draft::{chars_left, field_id};

/// Replaces `{n}` in a localised sentence.
pub fn fill(template: &str, n: impl std::fmt::Display) -> String {
    template.replace("{n}", &n.to_string())
}

fn described_by(field: &str, hint: bool, error: bool, counter: bool) -> String {
    let id = field_id(field);
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    if counter {
        ids.push(format!("{id}-counter"));
    }
    ids.join(" ")
}

/// The error message of a field, with a hidden "Error:" for screen readers.
#[component]
pub fn FieldError(field: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|message| {
            view! {
                <p class="c-field__error" id=format!("{}-error", field_id(field))>
                    <span class="u-visually-hidden">{i18n.t().error_title_prefix}</span>
                    {message}
                </p>
            }
        })
    }
}

/// A one-line or multi-line text field, with a live character count when it has a limit.
#[component]
pub fn TextField(
    /// The contract's field name (`title`, `contact.phone`).
    field: &'static str,
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// A hint under the label.
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
    /// The current value.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new value on every keystroke.
    on_input: Callback<String>,
    /// The contract's limit, shown as characters left.
    #[prop(optional)]
    max_chars: Option<usize>,
    /// A textarea instead of an input.
    #[prop(optional)]
    multiline: bool,
    /// The input's type (`text`, `tel`).
    #[prop(optional)]
    input_type: Option<&'static str>,
    /// The autocomplete token (`name`, `tel`).
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(field);
    let has_hint = hint.is_some();
    let describedby = move || {
        described_by(
            field,
            has_hint,
            error.with(Option::is_some),
            max_chars.is_some(),
        )
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    let on_input_event = move |ev: leptos::ev::Event| on_input.run(event_target_value(&ev));
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=field
                class="c-input c-input--textarea"
                rows="6"
                aria-describedby=describedby
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=on_input_event
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=field
                class="c-input"
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                aria-describedby=describedby
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=on_input_event
            />
        }
        .into_any()
    };
    view! {
        <div class="c-field" class:c-field--error=move || error.with(Option::is_some)>
            <label class="c-field__label" for=id.clone()>{move || label.get()}</label>
            {hint.map(|hint| view! { <p class="c-field__hint" id=format!("{id}-hint")>{move || hint.get()}</p> })}
            <FieldError field error/>
            {input}
            {max_chars.map(|max| {
                let left = move || value.with(|v| chars_left(v, max));
                view! {
                    <p class="c-field__counter" class:c-field__counter--over=move || left() < 0 id=format!("{}-counter", field_id(field))>
                        {move || {
                            let n = left();
                            if n >= 0 { fill(i18n.t().chars_left, n) } else { fill(i18n.t().chars_over, -n) }
                        }}
                    </p>
                }
            })}
        </div>
    }
}

/// What a field is called in an error's sentence, and the sentence that asks for it when it
/// is missing ("Title" and "Enter a title"), in the reader's language.
fn field_words(t: &'static Strings, field: &str) -> (&'static str, &'static str) {
    match field {
        "kind" => (t.name_kind, t.err_required_kind),
        "category" => (t.name_category, t.err_required_category),
        "district" => (t.name_district, t.err_required_district),
        "place" => (t.name_place, t.err_required_place),
        "title" => (t.name_title, t.err_required_title),
        "description" => (t.name_description, t.err_required_description),
        "contact.name" => (t.name_name, t.err_required_name),
        "contact.phone" => (t.name_phone, t.err_required_phone),
        "number" => (t.name_number, t.err_required_number),
        "tracking_code" => (t.name_code, t.err_required_code),
        "rating" => (t.name_rating, t.err_required_rating),
        "comment" => (t.name_comment, t.err_required_comment),
        "text" => (t.name_follow_up, t.err_required_follow_up),
        "photos" => (t.name_photos, t.err_required),
        _ => (t.name_answer, t.err_required),
    }
}

/// The error of `field` in `errors`, as a sentence in the reader's language, for the field
/// to show under its label.
pub fn field_error(
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

/// The sentence for one field error, in the reader's language: it names the field and says
/// what to do ("Enter a title", "Title must be at least 4 characters"), so that it reads on
/// its own in the error summary.
pub fn field_error_text(t: &'static Strings, field: &str, error: &FieldError) -> String {
    let limit = error.limit.unwrap_or_default();
    let (name, required) = field_words(t, field);
    let about = |template: &str| fill(&template.replace("{field}", name), limit);
    match error.code {
        FieldErrorCode::Required => required.into(),
        FieldErrorCode::TooShort => about(t.err_too_short),
        FieldErrorCode::TooLong => about(t.err_too_long),
        FieldErrorCode::TooMany => about(t.err_too_many),
        FieldErrorCode::InvalidFormat if field == "contact.phone" => t.err_invalid_phone.into(),
        FieldErrorCode::InvalidFormat if field == "number" => t.track_err_number.into(),
        FieldErrorCode::InvalidFormat if field == "tracking_code" => t.track_err_code.into(),
        FieldErrorCode::InvalidFormat if field == "photos" => t.err_photos_pending.into(),
        FieldErrorCode::UnknownCode if field == "photos" => t.err_photo_expired.into(),
        FieldErrorCode::InvalidFormat => about(t.err_invalid_format),
        FieldErrorCode::UnknownCode => about(t.err_unknown_code),
        FieldErrorCode::MustAccept => t.err_must_accept.into(),
        FieldErrorCode::OutOfRange => about(t.err_out_of_range),
    }
}

/// The error summary's entries for `errors`: each field with an error, in `order` (a form's
/// fields, top to bottom), its input's id and its sentence.
pub fn error_entries(
    i18n: I18n,
    errors: RwSignal<FieldErrors>,
    order: &'static [&'static str],
) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let t = i18n.t();
        errors.with(|e| {
            crate::model::draft::ordered_fields(e, order)
                .into_iter()
                .filter_map(|field| {
                    e.get(&field)
                        .first()
                        .map(|fe| (field_id(&field), field_error_text(t, &field, fe)))
                })
                .collect()
        })
    })
}

/// One option of a select, or a group of options.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// A plain option: code and label.
    Option(String, String),
    /// A labelled group of options.
    Group(String, Vec<(String, String)>),
}

/// A select with a "choose one" placeholder.
#[component]
pub fn SelectField(
    /// The contract's field name.
    field: &'static str,
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The chosen code, empty for none.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the chosen code.
    on_change: Callback<String>,
    /// The options.
    #[prop(into)]
    choices: Signal<Vec<Choice>>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// The empty choice's words ("choose one" when absent), for a select whose empty
    /// choice means something ("all districts").
    #[prop(optional, into)]
    placeholder: Option<Signal<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(field);
    let describedby = move || described_by(field, false, error.with(Option::is_some), false);
    let option = move |(code, name): (String, String)| {
        let selected_code = code.clone();
        view! { <option value=code prop:selected=move || value.with(|v| *v == selected_code)>{name}</option> }
    };
    view! {
        <div class="c-field" class:c-field--error=move || error.with(Option::is_some)>
            <label class="c-field__label" for=id.clone()>{move || label.get()}</label>
            <FieldError field error/>
            <select
                id=id
                name=field
                class="c-select"
                aria-describedby=describedby
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                on:change=move |ev| on_change.run(event_target_value(&ev))
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>{move || placeholder.map_or(i18n.t().choose_one, |p| p.get())}</option>
                {move || choices.get().into_iter().map(|choice| match choice {
                    Choice::Option(code, name) => option((code, name)).into_any(),
                    Choice::Group(label, options) => view! {
                        <optgroup label=label>{options.into_iter().map(option).collect_view()}</optgroup>
                    }.into_any(),
                }).collect_view()}
            </select>
        </div>
    }
}

/// A set of radios in a fieldset; the first radio carries the field's id, so error links land on it.
#[component]
pub fn RadioField(
    /// The contract's field name.
    field: &'static str,
    /// The legend.
    #[prop(into)]
    legend: Signal<&'static str>,
    /// The chosen code, empty for none.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the chosen code.
    on_change: Callback<String>,
    /// The options: code and label.
    #[prop(into)]
    choices: Signal<Vec<(String, String)>>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(field);
    view! {
        <div class="c-field" class:c-field--error=move || error.with(Option::is_some)>
            <fieldset class="c-fieldset" aria-describedby=move || described_by(field, false, error.with(Option::is_some), false)>
                <legend class="c-field__label">{move || legend.get()}</legend>
                <FieldError field error/>
                <div class="c-radios">
                    {move || choices.get().into_iter().enumerate().map(|(index, (code, name))| {
                        let input_id = if index == 0 { id.clone() } else { format!("{id}-{code}") };
                        let checked_code = code.clone();
                        let chosen = code.clone();
                        view! {
                            <div class="c-radios__item">
                                <input
                                    class="c-radios__input"
                                    type="radio"
                                    id=input_id.clone()
                                    name=field
                                    value=code
                                    prop:checked=move || value.with(|v| *v == checked_code)
                                    on:change=move |_| on_change.run(chosen.clone())
                                />
                                <label class="c-radios__label" for=input_id>{name}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// A single checkbox with its label and an optional hint.
#[component]
pub fn CheckboxField(
    /// The contract's field name.
    field: &'static str,
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// A hint under the label.
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
    /// Whether it is ticked.
    #[prop(into)]
    checked: Signal<bool>,
    /// Called with the new state.
    on_change: Callback<bool>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(field);
    let has_hint = hint.is_some();
    view! {
        <div class="c-field" class:c-field--error=move || error.with(Option::is_some)>
            <FieldError field error/>
            <div class="c-checkbox">
                <input
                    class="c-checkbox__input"
                    type="checkbox"
                    id=id.clone()
                    name=field
                    aria-describedby=move || described_by(field, has_hint, error.with(Option::is_some), false)
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    prop:checked=move || checked.get()
                    on:change=move |ev| on_change.run(event_target_checked(&ev))
                />
                <label class="c-checkbox__label" for=id.clone()>{move || label.get()}</label>
            </div>
            {hint.map(|hint| view! { <p class="c-field__hint c-checkbox__hint" id=format!("{id}-hint")>{move || hint.get()}</p> })}
        </div>
    }
}

/// The error summary at the top of a form: a focusable alert whose entries link to the fields.
#[component]
pub fn ErrorSummary(
    /// Each entry: the field's input id and the sentence.
    #[prop(into)]
    entries: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let entries = entries.get();
        (!entries.is_empty()).then(|| {
            view! {
                <div class="c-error-summary" id="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                    <h2 class="c-error-summary__title" id="error-summary-title">{i18n.t().error_summary_title}</h2>
                    <ul class="c-error-summary__list">
                        {entries.into_iter().map(|(id, text)| {
                            let target = id.clone();
                            view! {
                                <li>
                                    <a
                                        href=format!("#{id}")
                                        on:click=move |ev| {
                                            ev.prevent_default();
                                            crate::browser::focus_id(&target);
                                        }
                                    >{text}</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
