use api::{AnnouncementListQuery, CaseListQuery};
use leptos::prelude::*;

use crate::remote::Remote;

use crate::api as client;
use crate::app::use_meta;
use crate::components::cards::{AnnouncementItem, CardDate, CaseCard};
use crate::components::layout::use_page_title;
use crate::components::state::{Empty, LoadError, Loading};
use crate::i18n::{Strings, use_i18n};
use crate::routes::AppRoute;
use crate::t;

const LATEST: u32 = 5;

/// The home page: the four tasks, the latest announcements and recently replied cases.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().home_title.to_owned());
    let meta = use_meta().0;
    let meta = Signal::derive(move || meta.get().and_then(Result::ok));
    let announcements = Remote::new(|| {
        client::announcements(AnnouncementListQuery {
            q: None,
            limit: Some(LATEST),
            cursor: None,
        })
    });
    let replied = Remote::new(|| {
        client::cases(CaseListQuery {
            sort: Some("replied".into()),
            limit: Some(LATEST),
            ..Default::default()
        })
    });
    let task = move |route: AppRoute,
                     title: fn(&'static Strings) -> &'static str,
                     desc: fn(&'static Strings) -> &'static str| {
        // Filing is what most residents come for: it stands out as the main action.
        let main = route == AppRoute::FileCase;
        view! {
            <li class="c-task" class:c-task--main=main>
                <a class="c-task__link" href=route.path()>{move || title(i18n.t())}</a>
                <p class="c-task__desc">{move || desc(i18n.t())}</p>
            </li>
        }
    };
    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading">{t!(i18n, home_heading)}</h1>
            <p class="c-lead">{t!(i18n, home_intro)}</p>
            <nav aria-label=t!(i18n, home_tasks_label)>
                <ul class="c-tasks">
                    {task(AppRoute::FileCase, |t| t.task_file_title, |t| t.task_file_desc)}
                    {task(AppRoute::TrackCase, |t| t.task_track_title, |t| t.task_track_desc)}
                    {task(AppRoute::Cases, |t| t.task_cases_title, |t| t.task_cases_desc)}
                    {task(AppRoute::Documents, |t| t.task_documents_title, |t| t.task_documents_desc)}
                    {task(AppRoute::Statistics, |t| t.task_stats_title, |t| t.task_stats_desc)}
                </ul>
            </nav>
            <div class="l-columns">
                <section class="c-section" aria-labelledby="home-announcements">
                    <h2 id="home-announcements" class="c-section__heading">{t!(i18n, home_latest_announcements)}</h2>
                    {move || match announcements.get() {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(failure)) => view! {
                            <LoadError failure on_retry=Callback::new(move |()| announcements.refetch())/>
                        }.into_any(),
                        Some(Ok(page)) if page.items.is_empty() => view! {
                            <Empty message=Signal::derive(move || i18n.t().empty_announcements)/>
                        }.into_any(),
                        Some(Ok(page)) => view! {
                            <ul class="c-list">
                                {page.items.into_iter().map(|item| view! { <AnnouncementItem item/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }}
                    <p><a href=AppRoute::Announcements.path()>{t!(i18n, see_all_announcements)}</a></p>
                </section>
                <section class="c-section" aria-labelledby="home-replies">
                    <h2 id="home-replies" class="c-section__heading">{t!(i18n, home_recent_replies)}</h2>
                    {move || match replied.get() {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(failure)) => view! {
                            <LoadError failure on_retry=Callback::new(move |()| replied.refetch())/>
                        }.into_any(),
                        Some(Ok(page)) if page.items.is_empty() => view! {
                            <Empty message=Signal::derive(move || i18n.t().empty_cases)/>
                        }.into_any(),
                        Some(Ok(page)) => view! {
                            <ul class="c-list">
                                {page.items.into_iter().map(|case| view! { <CaseCard case meta dated=CardDate::Replied/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }}
                </section>
            </div>
        </div>
    }
}
