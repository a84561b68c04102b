//! Which language to show.

/// A language the app is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// Simplified Chinese, the default.
    #[default]
    ZhCn,
    /// English.
    En,
}

impl Locale {
    /// The BCP 47 tag, as in `<html lang>` and `?lang=`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    /// The locale for a BCP 47 tag: any Chinese tag gives Chinese (the platform publishes in
    /// Simplified Chinese only), any English tag English, anything else nothing.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Self::ZhCn),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The other language, for the one-tap switch.
    pub fn other(self) -> Self {
        match self {
            Self::ZhCn => Self::En,
            Self::En => Self::ZhCn,
        }
    }
}

/// Chooses the language: the `?lang=` parameter first (so a portal or a shared link decides),
/// then the choice saved on this device, then the first of the browser's languages the app
/// speaks, then Chinese.
pub fn choose_locale(query: Option<&str>, saved: Option<&str>, browser: &[String]) -> Locale {
    query
        .and_then(Locale::from_tag)
        .or_else(|| saved.and_then(Locale::from_tag))
        .or_else(|| browser.iter().find_map(|tag| Locale::from_tag(tag)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn the_query_beats_the_saved_choice_which_beats_the_browser() {
        type Row<'a> = (Option<&'a str>, Option<&'a str>, &'a [&'a str], Locale);
        let table: &[Row] = &[
            (Some("en"), Some("zh-CN"), &["zh-CN"], Locale::En),
            (Some("zh-CN"), Some("en"), &["en-US"], Locale::ZhCn),
            (None, Some("en"), &["zh-CN"], Locale::En),
            (None, None, &["en-GB", "zh-CN"], Locale::En),
            (None, None, &["fr-FR", "en-US"], Locale::En),
            (None, None, &["zh-TW"], Locale::ZhCn),
            (None, None, &["fr-FR"], Locale::ZhCn),
            (None, None, &[], Locale::ZhCn),
            (Some("klingon"), None, &["en"], Locale::En),
            (Some(""), Some("garbage"), &[], Locale::ZhCn),
        ];
        for (query, saved, browser, expected) in table {
            assert_eq!(
                choose_locale(*query, *saved, &langs(browser)),
                *expected,
                "query {query:?}, saved {saved:?}, browser {browser:?}"
            );
        }
    }

    #[test]
    fn tags_round_trip_and_switch() {
        for locale in [Locale::ZhCn, Locale::En] {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
            assert_eq!(locale.other().other(), locale);
        }
        assert_eq!(Locale::from_tag("ZH_cn"), Some(Locale::ZhCn));
    }
}
