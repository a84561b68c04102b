//! The accessibility statement: what is supported, how it was checked, how to report a
//! barrier. Every word comes from the locale files.

use leptos::prelude::*;

use crate::components::layout::use_page_title;
use crate::i18n::use_i18n;
use crate::routes::AppRoute;
use crate::t;

/// The accessibility statement.
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().title_accessibility.to_owned());
    let features = move || {
        let t = i18n.t();
        [
            t.a11y_feature_elderly,
            t.a11y_feature_zoom,
            t.a11y_feature_keyboard,
            t.a11y_feature_reader,
            t.a11y_feature_motion,
            t.a11y_feature_language,
        ]
        .into_iter()
        .map(|item| view! { <li>{item}</li> })
        .collect_view()
    };
    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading">{t!(i18n, title_accessibility)}</h1>
            <p>{t!(i18n, a11y_intro)}</p>
            <h2>{t!(i18n, a11y_standard_heading)}</h2>
            <p>{t!(i18n, a11y_standard)}</p>
            <h2>{t!(i18n, a11y_features_heading)}</h2>
            <ul>{features}</ul>
            <h2>{t!(i18n, a11y_checked_heading)}</h2>
            <p>{t!(i18n, a11y_checked)}</p>
            <h2>{t!(i18n, a11y_limits_heading)}</h2>
            <p>{t!(i18n, a11y_limits)}</p>
            <h2>{t!(i18n, a11y_report_heading)}</h2>
            <p>{t!(i18n, a11y_report)}</p>
            <p><a href=AppRoute::FileCase.path()>{t!(i18n, a11y_report_link)}</a></p>
            <p>{t!(i18n, a11y_updated)}</p>
        </div>
    }
}
