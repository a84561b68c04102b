//! `<App/>`: the router, the layout around every page, and the app-wide context
//! (language, reading preference, taxonomy).

use api::Meta;
use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::use_location;
use leptos_router::location::{BrowserUrl, LocationProvider};

use crate::api as client;
use crate::browser;
use crate::components::layout::{Footer, Header, SkipLink};
use crate::i18n::provide_i18n;
use crate::pages::*;
use crate::prefs::provide_prefs;
use crate::remote::Remote;
use crate::routes::AppRoute;

/// The taxonomy from `GET /meta`, loaded once and shared: names of districts, departments
/// and categories come from it.
#[derive(Clone, Copy)]
pub struct MetaResource(pub Remote<Meta>);

/// The taxonomy in context.
pub fn use_meta() -> MetaResource {
    expect_context::<MetaResource>()
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_prefs();
    provide_context(MetaResource(Remote::quiet(client::meta)));
    view! {
        <Router>
            <FocusOnNavigation/>
            <SkipLink/>
            <Header/>
            <main id="main" class="l-main" tabindex="-1">
                <CurrentPage/>
            </main>
            <Footer/>
            // The polite live region: loads and failures are announced here (browser::announce).
            <div id="civic-live" class="u-visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
        </Router>
    }
}

/// The page for the current path. The router keeps the location, history and link
/// clicks; which page a path shows is decided once, by [`AppRoute::parse`], so the paths
/// live in one place and only one page-choosing closure is compiled (smaller wasm than a
/// `<Route>` per page).
#[component]
fn CurrentPage() -> impl IntoView {
    let location = use_location();
    let route = Memo::new(move |_| AppRoute::parse(&location.pathname.get()));
    // The router writes a link's URL into the address bar once the routes view says the
    // new page is ready; without `<Routes>`, that is said here, after each path change.
    if let Some(browser_url) = use_context::<BrowserUrl>() {
        Effect::new(move || {
            location.pathname.track();
            browser_url.ready_to_complete();
        });
    }
    move || match route.get() {
        Some(AppRoute::Home) => view! { <HomePage/> }.into_any(),
        Some(AppRoute::FileCase) => crate::lazy::file_case_page(),
        Some(AppRoute::TrackCase) => crate::lazy::track_page(),
        Some(AppRoute::Cases) => crate::lazy::board_page(),
        Some(AppRoute::Case(number)) => crate::lazy::case_page(number),
        Some(AppRoute::Documents) => crate::lazy::documents_page(),
        Some(AppRoute::Document(id)) => crate::lazy::document_page(id),
        Some(AppRoute::Announcements) => crate::lazy::announcements_page(),
        Some(AppRoute::Announcement(id)) => crate::lazy::announcement_page(id),
        Some(AppRoute::Statistics) => crate::lazy::statistics_page(),
        Some(AppRoute::Accessibility) => crate::lazy::accessibility_page(),
        None => view! { <NotFoundPage/> }.into_any(),
    }
}

/// Moves focus to the new page's heading after each navigation (not on the first load,
/// where the browser's own start position is right).
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            request_animation_frame(browser::focus_main_heading);
        }
        path
    });
}
