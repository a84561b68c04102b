//! `<App/>`: the router, the layout around every page, and the app-wide context
//! (language, reading preference, taxonomy).

use api::Meta;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::api::{self as client, ApiFailure};
use crate::browser;
use crate::components::layout::{Footer, Header, SkipLink};
use crate::i18n::provide_i18n;
use crate::pages::*;
use crate::prefs::provide_prefs;

/// The taxonomy from `GET /meta`, loaded once and shared: names of districts, departments
/// and categories come from it.
#[derive(Clone, Copy)]
pub struct MetaResource(pub LocalResource<Result<Meta, ApiFailure>>);

/// The taxonomy in context.
pub fn use_meta() -> MetaResource {
    expect_context::<MetaResource>()
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_prefs();
    provide_context(MetaResource(LocalResource::new(client::meta)));
    view! {
        <Router>
            <FocusOnNavigation/>
            <SkipLink/>
            <Header/>
            <main id="main" class="l-main" tabindex="-1">
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/file") view=FileCasePage/>
                    <Route path=path!("/track") view=TrackCasePage/>
                    <Route path=path!("/cases") view=CasesPage/>
                    <Route path=path!("/cases/:number") view=CasePage/>
                    <Route path=path!("/documents") view=DocumentsPage/>
                    <Route path=path!("/documents/:id") view=DocumentPage/>
                    <Route path=path!("/announcements") view=AnnouncementsPage/>
                    <Route path=path!("/announcements/:id") view=AnnouncementPage/>
                    <Route path=path!("/statistics") view=StatisticsPage/>
                    <Route path=path!("/accessibility") view=AccessibilityPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
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
