//! The app's words, from `locales/*.json` (compiled in by `build.rs`), and the locale signal.

use leptos::prelude::*;

use crate::browser;
pub use crate::model::locale::{Locale, choose_locale};

include!(concat!(env!("OUT_DIR"), "/strings.rs"));

/// The key under which the chosen language is remembered (localStorage, not a cookie: cookies
/// are blocked or partitioned inside portal iframes).
pub const LANG_KEY: &str = "civic.lang";

/// The strings of `locale`.
pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::ZhCn => &ZH_CN,
        Locale::En => &EN,
    }
}

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The current locale (tracked).
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The strings of the current locale (tracked).
    pub fn t(&self) -> &'static Strings {
        strings(self.locale.get())
    }

    /// The current locale, outside any reactive scope.
    pub fn locale_untracked(&self) -> Locale {
        self.locale.get_untracked()
    }

    /// The strings of the current locale, outside any reactive scope.
    pub fn t_untracked(&self) -> &'static Strings {
        strings(self.locale.get_untracked())
    }

    /// Switches the language and remembers the choice on this device.
    pub fn set(&self, locale: Locale) {
        browser::store(LANG_KEY, locale.tag());
        self.locale.set(locale);
    }
}

/// Chooses the starting language, provides it, and keeps `<html lang>` in step.
pub fn provide_i18n() -> I18n {
    let query = browser::query_param("lang");
    let saved = browser::load(LANG_KEY);
    let locale = choose_locale(query.as_deref(), saved.as_deref(), &browser::languages());
    let i18n = I18n {
        locale: RwSignal::new(locale),
    };
    Effect::new(move |_| browser::set_html_lang(i18n.locale().tag()));
    provide_context(i18n);
    i18n
}

/// A day or an instant from the API as a resident reads it, on China's clock ("2026年1月5日
/// 09:02", "Jan 5, 2026, 09:02"); the time only when `with_time` and the value has one.
pub fn format_date(t: &Strings, text: &str, with_time: bool) -> String {
    let words = crate::model::dates::DateWords {
        months: t.months,
        date: t.date,
        date_time: t.date_time,
    };
    crate::model::dates::write_date(text, words, with_time)
}

/// The language in context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// One string of the current locale as a signal.
///
/// Every call shares one closure type (the key is a function pointer), so the render code
/// for reactive text is compiled once rather than once per string: this keeps the wasm small.
pub fn tr(i18n: I18n, key: fn(&'static Strings) -> &'static str) -> Signal<&'static str> {
    Signal::derive(move || key(i18n.t()))
}

/// One string of the current locale as a signal: `t!(i18n, nav_home)`.
#[macro_export]
macro_rules! t {
    ($i18n:expr, $key:ident) => {
        $crate::i18n::tr($i18n, |strings| strings.$key)
    };
}
