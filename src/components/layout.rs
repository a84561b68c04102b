//! The frame around every page: skip link, header with the switches, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::prefs::use_prefs;
use crate::routes::AppRoute;
use crate::t;

/// The first focusable element: jumps past the header to the page's content.
#[component]
pub fn SkipLink() -> impl IntoView {
    let i18n = use_i18n();
    view! { <a class="c-skip-link" href="#main">{t!(i18n, skip_link)}</a> }
}

/// The header: the service's name, the language and elderly-mode switches, the main navigation.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = use_prefs();
    // A section stays marked on its own pages (a case under "public cases", a document
    // under "government information"); only the home page must match exactly.
    let link = move |route: AppRoute, label: fn(&'static crate::i18n::Strings) -> &'static str| {
        let exact = route == AppRoute::Home;
        view! {
            <li class="c-nav__item">
                <A href=route.path() attr:class="c-nav__link" exact=exact>{move || label(i18n.t())}</A>
            </li>
        }
    };
    view! {
        <header class="c-header">
            <div class="c-header__bar l-container">
                <a class="c-header__brand" href="/">
                    <span class="c-header__name">{t!(i18n, site_name)}</span>
                    <span class="c-header__tagline">{t!(i18n, site_tagline)}</span>
                </a>
                <div class="c-header__tools">
                    <button
                        type="button"
                        class="c-switch"
                        lang=move || i18n.t().lang_other_tag
                        aria-label=move || format!("{} · {}", i18n.t().lang_other_name, i18n.t().lang_switch_label)
                        on:click=move |_| i18n.set(i18n.locale().other())
                    >
                        {t!(i18n, lang_other_name)}
                    </button>
                    <button
                        type="button"
                        class="c-switch"
                        aria-pressed=move || prefs.elderly().to_string()
                        title=t!(i18n, elderly_switch_hint)
                        on:click=move |_| prefs.set_elderly(!prefs.elderly())
                    >
                        {t!(i18n, elderly_switch)}
                    </button>
                </div>
            </div>
            <nav class="c-nav l-container" aria-label=t!(i18n, nav_label)>
                <ul class="c-nav__list">
                    {link(AppRoute::Home, |t| t.nav_home)}
                    {link(AppRoute::FileCase, |t| t.nav_file)}
                    {link(AppRoute::TrackCase, |t| t.nav_track)}
                    {link(AppRoute::Cases, |t| t.nav_cases)}
                    {link(AppRoute::Documents, |t| t.nav_documents)}
                    {link(AppRoute::Announcements, |t| t.nav_announcements)}
                    {link(AppRoute::Statistics, |t| t.nav_stats)}
                </ul>
            </nav>
        </header>
    }
}

/// The footer: the hotline, emergency numbers and the accessibility statement.
#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="c-footer">
            <div class="l-container">
                <p class="c-footer__hotline">
                    <a href="tel:12345">{t!(i18n, footer_hotline)}</a>
                    " · "
                    {t!(i18n, footer_hotline_note)}
                </p>
                <p>{t!(i18n, footer_emergency)}</p>
                <p>
                    <a href=AppRoute::Accessibility.path()>{t!(i18n, footer_accessibility)}</a>
                </p>
                <p class="c-footer__owner">{t!(i18n, footer_copyright)}</p>
            </div>
        </footer>
    }
}

/// Sets the document title to "`page` - service name" while the page is shown.
pub fn use_page_title(page: impl Fn() -> String + 'static) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        crate::browser::set_title(&format!("{} - {}", page(), i18n.t().site_name));
    });
}
