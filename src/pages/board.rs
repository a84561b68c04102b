//! The public case board (`/cases`): the cases residents agreed to publish, newest first or
//! most recently replied, with search and filters. The filters live in the URL, so a
//! filtered board can be shared and the back button restores it; further pages come by the
//! server's keyset cursor ("more"), never by offset.

use api::{CaseListQuery, CaseSummary, FieldErrors, Meta, Page};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self as client, ApiFailure};
use crate::app::use_meta;
use crate::components::cards::{CardDate, CaseCard};
use crate::components::form::{Choice, SelectField, TextField, field_error_text};
use crate::components::layout::use_page_title;
use crate::components::state::{Empty, LoadError, Loading};
use crate::i18n::{I18n, use_i18n};
use crate::remote::Remote;
use crate::routes::{AppRoute, with_query};
use crate::t;

/// The query-string names of the board's filters, in the form's order.
const FILTERS: [&str; 9] = [
    "q",
    "district",
    "category",
    "department",
    "kind",
    "status",
    "from",
    "to",
    "sort",
];

fn field<'a>(q: &'a mut CaseListQuery, name: &str) -> Option<&'a mut Option<String>> {
    Some(match name {
        "q" => &mut q.q,
        "district" => &mut q.district,
        "category" => &mut q.category,
        "department" => &mut q.department,
        "kind" => &mut q.kind,
        "status" => &mut q.status,
        "from" => &mut q.from,
        "to" => &mut q.to,
        "sort" => &mut q.sort,
        _ => return None,
    })
}

/// Whether "more" is loading or failed.
#[derive(Clone, Copy, PartialEq)]
enum More {
    Idle,
    Loading,
    Failed,
}

/// The board.
#[component]
pub fn CasesPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().title_cases.to_owned());
    let location = use_location();
    let query = Memo::new(move |_| {
        let params = location.query.get();
        let mut q = CaseListQuery::default();
        for name in FILTERS {
            if let Some(slot) = field(&mut q, name) {
                *slot = params.get(name).filter(|v| !v.trim().is_empty());
            }
        }
        q
    });
    let first = Remote::new(move || client::cases(query.get()));
    // Each card shows the date the list is ordered by.
    let dated = Memo::new(move |_| query.with(|q| CardDate::for_sort(q.sort.as_deref())));
    let later = RwSignal::new(Vec::<Page<CaseSummary>>::new());
    let more = RwSignal::new(More::Idle);
    Effect::new(move |_| {
        query.track();
        later.set(Vec::new());
        more.set(More::Idle);
    });
    // The server's verdict on a filter (a day that does not exist, `to` before `from`).
    let rejected = Signal::derive(move || match first.get() {
        Some(Err(ApiFailure::Server {
            body: Some(body), ..
        })) if !body.fields.is_empty() => FieldErrors::from(body.fields),
        _ => FieldErrors::new(),
    });
    let next_cursor = move || {
        later
            .with(|pages| pages.last().map(|p| p.next_cursor.clone()))
            .unwrap_or_else(|| first.ok().and_then(|p| p.next_cursor))
    };
    let load_more = move |_| {
        let Some(cursor) = next_cursor() else { return };
        let asked = query.get_untracked();
        let mut q = asked.clone();
        q.cursor = Some(cursor);
        more.set(More::Loading);
        spawn_local(async move {
            let answer = client::cases(q).json().await;
            // Filters changed while this page was on its way: it belongs to another list.
            if query.try_get_untracked().as_ref() != Some(&asked) {
                return;
            }
            match answer {
                Ok(page) => {
                    later.update(|pages| pages.push(page));
                    more.set(More::Idle);
                    crate::browser::announce(i18n.t_untracked().loaded);
                }
                Err(_) => more.set(More::Failed),
            }
        });
    };
    let meta = use_meta().0;
    let meta = Signal::derive(move || meta.get().and_then(Result::ok));

    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading">{t!(i18n, title_cases)}</h1>
            <p class="c-lead">{t!(i18n, board_intro)}</p>
            <BoardFilters query meta rejected i18n/>
            {move || match first.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(ApiFailure::Server { status: 400, .. })) => view! {
                    <p class="c-state c-state--error" role="alert">{t!(i18n, board_bad_filter)}</p>
                }.into_any(),
                Some(Err(failure)) => view! {
                    <LoadError failure on_retry=Callback::new(move |()| first.refetch())/>
                }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <Empty message=Signal::derive(move || i18n.t().board_empty)/>
                }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="c-list c-board" aria-label=move || i18n.t().title_cases>
                        {page.items.into_iter().map(|case| view! { <CaseCard case meta dated=dated.get_untracked()/> }).collect_view()}
                        {move || later.get().into_iter().flat_map(|p| p.items).map(|case| view! { <CaseCard case meta dated=dated.get_untracked()/> }).collect_view()}
                    </ul>
                    {move || match more.get() {
                        More::Failed => Some(view! {
                            <LoadError failure=ApiFailure::Network on_retry=Callback::new(move |()| load_more(()))/>
                        }.into_any()),
                        More::Loading => Some(view! { <Loading/> }.into_any()),
                        More::Idle => next_cursor().map(|_| view! {
                            <button type="button" class="c-button c-button--secondary" on:click=move |_| load_more(())>
                                {t!(i18n, board_more)}
                            </button>
                        }.into_any()),
                    }}
                }.into_any(),
            }}
        </div>
    }
}

/// The search box and filters; applying them puts them in the URL (a new history entry).
#[component]
fn BoardFilters(
    query: Memo<CaseListQuery>,
    meta: Signal<Option<Meta>>,
    rejected: Signal<FieldErrors>,
    i18n: I18n,
) -> impl IntoView {
    let navigate = use_navigate();
    let draft = RwSignal::new(CaseListQuery::default());
    // The form shows what the URL says, including after the back button.
    Effect::new(move |_| draft.set(query.get()));
    let value = move |name: &'static str| {
        Signal::derive(move || {
            draft
                .with(|q| field(&mut q.clone(), name).and_then(|v| v.clone()))
                .unwrap_or_default()
        })
    };
    let set = move |name: &'static str| {
        Callback::new(move |v: String| {
            draft.update(|q| {
                if let Some(slot) = field(q, name) {
                    *slot = Some(v);
                }
            })
        })
    };
    let error = move |name: &'static str| {
        Signal::derive(move || {
            rejected.with(|e| {
                e.get(name)
                    .first()
                    .map(|fe| field_error_text(i18n.t(), name, fe))
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = draft.get_untracked();
        let pairs: Vec<(&str, Option<String>)> = FILTERS
            .iter()
            .map(|name| {
                let value = field(&mut q, name)
                    .and_then(Option::take)
                    .filter(|v| !v.trim().is_empty());
                (*name, value)
            })
            .collect();
        navigate(
            &with_query(&AppRoute::Cases.path(), &pairs),
            Default::default(),
        );
    };
    // The filters start open when the board is already filtered by one of them.
    let filtered = query.with_untracked(|q| {
        let mut q = q.clone();
        FILTERS[1..]
            .iter()
            .any(|name| field(&mut q, name).is_some_and(|v| v.is_some()))
    });
    let searched = Memo::new(move |_| {
        let mut q = query.get();
        FILTERS
            .iter()
            .any(|name| field(&mut q, name).is_some_and(|v| v.is_some()))
    });
    let tag = move || i18n.locale().tag();
    let terms = move |pick: fn(&Meta, &str) -> Vec<Choice>| {
        Signal::derive(move || {
            meta.with(|m| m.as_ref().map(|m| pick(m, tag())).unwrap_or_default())
        })
    };
    let districts = terms(|m, tag| {
        m.districts
            .iter()
            .map(|d| Choice::Option(d.code.clone(), d.name.get(tag).to_owned()))
            .collect()
    });
    let departments = terms(|m, tag| {
        m.departments
            .iter()
            .map(|d| Choice::Option(d.code.clone(), d.name.get(tag).to_owned()))
            .collect()
    });
    // A group's code finds every category in it, so each group is choosable too.
    let categories = terms(|m, tag| {
        m.categories
            .iter()
            .filter(|c| c.parent.is_none())
            .map(|group| {
                let mut options = vec![(group.code.clone(), group.name.get(tag).to_owned())];
                options.extend(
                    m.categories
                        .iter()
                        .filter(|c| c.parent.as_deref() == Some(group.code.as_str()))
                        .map(|c| (c.code.clone(), c.name.get(tag).to_owned())),
                );
                Choice::Group(group.name.get(tag).to_owned(), options)
            })
            .collect()
    });
    let kinds = terms(|m, tag| {
        m.kinds
            .iter()
            .map(|k| Choice::Option(k.code.code().to_owned(), k.name.get(tag).to_owned()))
            .collect()
    });
    let statuses = terms(|m, tag| {
        m.statuses
            .iter()
            .map(|s| Choice::Option(s.code.code().to_owned(), s.name.get(tag).to_owned()))
            .collect()
    });
    let sorts = Signal::derive(move || {
        let t = i18n.t();
        vec![Choice::Option(
            "replied".into(),
            t.board_sort_replied.into(),
        )]
    });
    view! {
        <form class="c-filters c-board__filters" role="search" on:submit=submit novalidate>
            <TextField field="q" label=t!(i18n, board_search) hint=t!(i18n, board_search_hint)
                input_type="search" value=value("q") on_input=set("q") error=error("q")/>
            <details class="c-disclosure" open=filtered>
                <summary>{t!(i18n, board_filters)}</summary>
                <SelectField field="district" label=t!(i18n, case_district) placeholder=t!(i18n, board_all)
                    value=value("district") on_change=set("district") choices=districts error=error("district")/>
                <SelectField field="category" label=t!(i18n, case_category) placeholder=t!(i18n, board_all)
                    value=value("category") on_change=set("category") choices=categories error=error("category")/>
                <SelectField field="department" label=t!(i18n, case_department) placeholder=t!(i18n, board_all)
                    value=value("department") on_change=set("department") choices=departments error=error("department")/>
                <SelectField field="kind" label=t!(i18n, case_kind) placeholder=t!(i18n, board_all)
                    value=value("kind") on_change=set("kind") choices=kinds error=error("kind")/>
                <SelectField field="status" label=t!(i18n, case_status) placeholder=t!(i18n, board_all)
                    value=value("status") on_change=set("status") choices=statuses error=error("status")/>
                <TextField field="from" label=t!(i18n, board_from) input_type="date"
                    value=value("from") on_input=set("from") error=error("from")/>
                <TextField field="to" label=t!(i18n, board_to) input_type="date"
                    value=value("to") on_input=set("to") error=error("to")/>
                <SelectField field="sort" label=t!(i18n, board_sort) placeholder=t!(i18n, board_sort_newest)
                    value=value("sort") on_change=set("sort") choices=sorts error=error("sort")/>
            </details>
            <div class="c-filters__actions">
                <button type="submit" class="c-button">{t!(i18n, board_apply)}</button>
                // Only when there is something to clear.
                {move || searched.get().then(|| view! {
                    <a class="c-link" href=AppRoute::Cases.path()>{t!(i18n, board_clear)}</a>
                })}
            </div>
        </form>
    }
}
