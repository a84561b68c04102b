use api::{AnnouncementListQuery, AnnouncementSummary, Taxon};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::remote::Remote;

use crate::api as client;
use crate::app::use_meta;
use crate::components::blocks::Blocks;
use crate::components::cards::AnnouncementItem;
use crate::components::form::TextField;
use crate::components::layout::use_page_title;
use crate::components::state::{Empty, LoadError, Loading};
use crate::components::taxon_name;
use crate::i18n::format_date;
use crate::i18n::use_i18n;
use crate::routes::{AppRoute, with_query};
use crate::t;

/// Announcements, pinned first then newest, with "show more".
#[component]
pub fn AnnouncementsPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().title_announcements.to_owned());
    let location = use_location();
    let q = Memo::new(move |_| {
        location
            .query
            .get()
            .get("q")
            .filter(|v| !v.trim().is_empty())
    });
    let shown = RwSignal::new(Vec::<AnnouncementSummary>::new());
    let cursor = RwSignal::new(None::<String>);
    // A new search starts from its first page.
    Effect::new(move |_| {
        q.track();
        shown.set(Vec::new());
        cursor.set(None);
    });
    let page = Remote::new(move || {
        client::announcements(AnnouncementListQuery {
            q: q.get(),
            limit: None,
            cursor: cursor.get(),
        })
    });
    let typed = RwSignal::new(q.get_untracked().unwrap_or_default());
    Effect::new(move |_| typed.set(q.get().unwrap_or_default()));
    let navigate = use_navigate();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked();
        let text = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        navigate(
            &with_query(&AppRoute::Announcements.path(), &[("q", text)]),
            Default::default(),
        );
    };
    // Append each page as it arrives, so "show more" keeps what is already on screen.
    let next = Memo::new(move |_| page.get().and_then(Result::ok).and_then(|p| p.next_cursor));
    Effect::new(move |_| {
        if let Some(Ok(p)) = page.get() {
            shown.update(|items| {
                for item in p.items {
                    if !items.iter().any(|i| i.id == item.id) {
                        items.push(item);
                    }
                }
            });
        }
    });
    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading">{t!(i18n, title_announcements)}</h1>
            <p class="c-lead">{t!(i18n, announcements_intro)}</p>
            <form class="c-filters c-board__filters" role="search" on:submit=search novalidate>
                <TextField field="q" label=t!(i18n, announcements_search) hint=t!(i18n, docs_search_hint)
                    input_type="search" value=typed on_input=Callback::new(move |v| typed.set(v))
                    error=Signal::derive(|| None::<String>)/>
                <button type="submit" class="c-button">{t!(i18n, announcements_search_submit)}</button>
            </form>
            <ul class="c-list c-announcements">
                <For each=move || shown.get() key=|item| item.id let:item>
                    <AnnouncementItem item/>
                </For>
            </ul>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(failure)) => view! {
                    <LoadError failure on_retry=Callback::new(move |()| page.refetch())/>
                }.into_any(),
                Some(Ok(_)) if shown.with(Vec::is_empty) => view! {
                    <Empty message=Signal::derive(move || i18n.t().empty_announcements)/>
                }.into_any(),
                Some(Ok(_)) => next.get().map(|more| view! {
                    <button type="button" class="c-button c-button--secondary" on:click=move |_| cursor.set(Some(more.clone()))>
                        {t!(i18n, show_more)}
                    </button>
                }).into_any(),
            }}
        </div>
    }
}

/// An announcement's page.
#[component]
pub fn AnnouncementPage(
    /// The announcement's id, from the path.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let meta = use_meta().0;
    let announcement = Remote::new(move || client::announcement(id));
    use_page_title(move || match announcement.get() {
        Some(Ok(a)) => a.summary.title,
        _ => i18n.t().title_announcement.to_owned(),
    });
    // One heading for the page's whole life, so focus placed on it after navigation stays.
    let heading = move || match announcement.get() {
        Some(Ok(a)) => a.summary.title,
        _ => i18n.t().title_announcement.to_owned(),
    };
    let heading_lang = move || match announcement.get() {
        Some(Ok(a)) => a.summary.language.tag(),
        _ => i18n.locale().tag(),
    };
    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading" lang=heading_lang>{heading}</h1>
            {move || match announcement.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(failure)) if failure.is_not_found() => view! {
                    <p class="c-state">{t!(i18n, announcement_not_found)}</p>
                }.into_any(),
                Some(Err(failure)) => view! {
                    <LoadError failure on_retry=Callback::new(move |()| announcement.refetch())/>
                }.into_any(),
                Some(Ok(a)) => {
                    let s = a.summary.clone();
                    let agency = s.agency.clone();
                    let published = s.published_at.clone();
                    view! {
                        <dl class="c-facts">
                            <div class="c-facts__row"><dt>{t!(i18n, announcement_agency)}</dt><dd>{move || {
                                taxon_name(&meta.get().and_then(Result::ok), Taxon::Department, &agency, i18n.locale().tag())
                            }}</dd></div>
                            <div class="c-facts__row"><dt>{t!(i18n, announcement_published)}</dt><dd>{move || format_date(i18n.t(), &published, true)}</dd></div>
                        </dl>
                        <Blocks blocks=a.body.clone() language=s.language/>
                    }.into_any()
                }
            }}
            <p><a href=AppRoute::Announcements.path()>{t!(i18n, back_to_announcements)}</a></p>
        </div>
    }
}
