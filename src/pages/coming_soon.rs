//! Routes whose service later issues build: each has its own title and says plainly that
//! the service is coming, and how to get it done meanwhile. Nothing on them is fake.

use leptos::prelude::*;

use crate::components::layout::use_page_title;
use crate::i18n::{Strings, use_i18n};
use crate::t;

#[component]
fn ComingSoon(title: fn(&'static Strings) -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || title(i18n.t()).to_owned());
    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading">{move || title(i18n.t())}</h1>
            <div class="c-panel">
                <h2 class="c-panel__heading">{t!(i18n, coming_soon_heading)}</h2>
                <p>{t!(i18n, coming_soon_body)}</p>
                <p><a class="c-button" href="tel:12345">{t!(i18n, footer_hotline)}</a></p>
            </div>
        </div>
    }
}

/// The catalogue of government documents.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    view! { <ComingSoon title=|t| t.title_documents/> }
}

/// A document's page.
#[component]
pub fn DocumentPage() -> impl IntoView {
    view! { <ComingSoon title=|t| t.title_document/> }
}
