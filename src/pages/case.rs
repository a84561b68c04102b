use api::{CaseDetail, CaseNumber, Meta, Taxon};
use leptos::prelude::*;

use crate::remote::Remote;

use crate::api as client;
use crate::app::use_meta;
use crate::components::layout::use_page_title;
use crate::components::state::{LoadError, Loading};
use crate::components::{kind_name, status_name, taxon_name};
use crate::i18n::format_date;
use crate::i18n::{I18n, use_i18n};
use crate::t;

fn department_name(meta: &Option<Meta>, code: &str, tag: &str) -> String {
    taxon_name(meta, Taxon::Department, code, tag)
}

/// A published case's public page: status, timeline, deadline, reply.
#[component]
pub fn CasePage(
    /// The case's number, from the path.
    number: CaseNumber,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = number.to_string();
    let heading = label.clone();
    use_page_title(move || format!("{} {}", i18n.t().title_case, label));
    let meta = use_meta().0;
    let meta = Signal::derive(move || meta.get().and_then(Result::ok));
    let case = Remote::new(move || client::case(&number));
    // The case's title is the heading once it has loaded, with its number above it; until
    // then, and for a case that is not public, the heading is the number. A number never
    // breaks across lines.
    let title = Memo::new(move |_| {
        case.get()
            .and_then(Result::ok)
            .filter(|d| d.published || d.owner.is_some())
            .map(|d| d.summary.title)
    });
    let caption_number = heading.clone();
    view! {
        <div class="l-container l-page">
            {move || title.with(Option::is_some).then(|| {
                let number = caption_number.clone();
                view! {
                    <p class="c-caption">{t!(i18n, title_case)} " " <span class="u-nowrap">{number}</span></p>
                }
            })}
            <h1 class="c-page-heading">{move || match title.get() {
                Some(title) => title.into_any(),
                None => {
                    let number = heading.clone();
                    view! { {t!(i18n, title_case)} " " <span class="u-nowrap">{number}</span> }.into_any()
                }
            }}</h1>
            {move || match case.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(failure)) if failure.is_not_found() => view! {
                    <p class="c-state">{t!(i18n, case_not_found)}</p>
                }.into_any(),
                Some(Err(failure)) => view! {
                    <LoadError failure on_retry=Callback::new(move |()| case.refetch())/>
                }.into_any(),
                Some(Ok(detail)) => view! { <CaseView detail meta i18n show_title=false/> }.into_any(),
            }}
        </div>
    }
}

/// A case's public page below its heading: what the resident wrote and the official reply
/// first, then the facts and the timeline.
#[component]
pub fn CaseView(
    detail: CaseDetail,
    meta: Signal<Option<Meta>>,
    i18n: I18n,
    /// Whether to show the title (the case page has it as its heading).
    #[prop(default = true)]
    show_title: bool,
) -> impl IntoView {
    let summary = detail.summary.clone();
    let status = summary.status;
    let kind = summary.kind;
    let tag = move || i18n.locale().tag();
    let district = summary.district.clone();
    let category = summary.category.clone();
    let department = summary.department.clone();
    let submitted = summary.submitted_at.clone();
    let deadline = summary.deadline.clone();
    let overdue = summary.overdue;
    let submitter = detail.submitter.clone();
    // A case its resident did not publish: anyone with the number sees only its progress.
    let written = detail.published || detail.owner.is_some();
    let description = written.then(|| {
        view! {
            <section class="c-section">
                <h2 class="c-section__heading">{t!(i18n, case_description)}</h2>
                <p class="c-case__text">{detail.description.clone()}</p>
            </section>
        }
    });
    let reply = detail.reply.clone().map(|reply| {
        let at = reply.at.clone();
        let code = reply.department.clone();
        view! {
            <section class="c-section c-reply">
                <h2 class="c-section__heading">{t!(i18n, case_reply)}</h2>
                <p class="c-case__text">{reply.text.clone()}</p>
                <p class="c-card__meta">
                    {move || format!("{}{}", i18n.t().case_replied_by, department_name(&meta.get(), &code, tag()))}
                    " · "
                    {move || format_date(i18n.t(), &at, true)}
                </p>
            </section>
        }
    });
    view! {
        {if !written {
            Some(view! { <p class="c-panel c-case__private">{t!(i18n, case_progress_only)}</p> }.into_any())
        } else if show_title {
            Some(view! { <h2 class="c-case__title">{summary.title.clone()}</h2> }.into_any())
        } else {
            None
        }}
        {description}
        {reply}
        <dl class="c-facts">
            <div class="c-facts__row"><dt>{t!(i18n, case_status)}</dt><dd>
                <span class=format!("c-tag c-tag--status c-tag--{}", status.code())>{move || status_name(i18n.t(), status)}</span>
                {overdue.then(|| view! { " " <span class="c-tag c-tag--overdue">{move || i18n.t().case_overdue}</span> })}
            </dd></div>
            // The public answer about an unpublished case has no kind (a report names someone):
            // the written facts all come together.
            {written.then(|| view! {
                <div class="c-facts__row"><dt>{t!(i18n, case_kind)}</dt><dd>{move || kind.map_or("", |kind| kind_name(i18n.t(), kind))}</dd></div>
                <div class="c-facts__row"><dt>{t!(i18n, case_category)}</dt><dd>{move || taxon_name(&meta.get(), Taxon::Category, &category, tag())}</dd></div>
                <div class="c-facts__row"><dt>{t!(i18n, case_district)}</dt><dd>{move || taxon_name(&meta.get(), Taxon::District, &district, tag())}</dd></div>
                <div class="c-facts__row"><dt>{t!(i18n, case_place)}</dt><dd>{detail.place.clone()}</dd></div>
            })}
            <div class="c-facts__row"><dt>{t!(i18n, case_submitted)}</dt><dd>{move || format_date(i18n.t(), &submitted, true)}</dd></div>
            {department.map(|code| view! {
                <div class="c-facts__row"><dt>{t!(i18n, case_department)}</dt><dd>{move || department_name(&meta.get(), &code, tag())}</dd></div>
            })}
            {deadline.map(|day| view! {
                <div class="c-facts__row"><dt>{t!(i18n, case_deadline)}</dt><dd>{move || format_date(i18n.t(), &day, false)}</dd></div>
            })}
            {written.then(|| view! {
                <div class="c-facts__row"><dt>{t!(i18n, case_submitter)}</dt><dd>{move || submitter.clone().unwrap_or_else(|| i18n.t().case_anonymous.to_owned())}</dd></div>
            })}
        </dl>
        <section class="c-section">
            <h2 class="c-section__heading">{t!(i18n, case_timeline)}</h2>
            <ol class="c-timeline">
                {detail.timeline.into_iter().map(|entry| {
                    let at = entry.at.clone();
                    let status = entry.status;
                    let department = entry.department.clone();
                    view! {
                        <li class="c-timeline__item">
                            <p class="c-timeline__status">{move || status_name(i18n.t(), status)}</p>
                            <p class="c-card__meta">
                                {move || format_date(i18n.t(), &at, true)}
                                {department.clone().map(|code| view! { " · " {move || department_name(&meta.get(), &code, tag())} })}
                            </p>
                            {entry.note.map(|note| view! { <p>{note}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
