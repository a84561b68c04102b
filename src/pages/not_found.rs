use leptos::prelude::*;

use crate::components::layout::use_page_title;
use crate::i18n::use_i18n;
use crate::t;

/// What any unknown path shows.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().title_not_found.to_owned());
    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading">{t!(i18n, title_not_found)}</h1>
            <p>{t!(i18n, not_found_body)}</p>
            <p><a href="/">{t!(i18n, not_found_home)}</a></p>
        </div>
    }
}
