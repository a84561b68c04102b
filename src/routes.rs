//! Every route of the app, with its path: links are built from [`AppRoute`], never by hand.

use api::CaseNumber;

/// A page of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRoute {
    /// The home page.
    Home,
    /// Filing a case.
    FileCase,
    /// Tracking a case.
    TrackCase,
    /// The public case board.
    Cases,
    /// A published case's page.
    Case(CaseNumber),
    /// The catalogue of government documents.
    Documents,
    /// A document's page.
    Document(i64),
    /// The announcements.
    Announcements,
    /// An announcement's page.
    Announcement(i64),
    /// Performance statistics.
    Statistics,
    /// The accessibility statement.
    Accessibility,
}

impl AppRoute {
    /// The path of this page.
    pub fn path(&self) -> String {
        match self {
            Self::Home => "/".into(),
            Self::FileCase => "/file".into(),
            Self::TrackCase => "/track".into(),
            Self::Cases => "/cases".into(),
            Self::Case(number) => format!("/cases/{number}"),
            Self::Documents => "/documents".into(),
            Self::Document(id) => format!("/documents/{id}"),
            Self::Announcements => "/announcements".into(),
            Self::Announcement(id) => format!("/announcements/{id}"),
            Self::Statistics => "/statistics".into(),
            Self::Accessibility => "/accessibility".into(),
        }
    }

    /// The page at `path` (a URL's path, without query or fragment), if there is one.
    /// A trailing slash is ignored; a case number or id must be well formed.
    pub fn parse(path: &str) -> Option<Self> {
        let path = match path.strip_suffix('/') {
            Some(rest) if !rest.is_empty() => rest,
            _ => path,
        };
        let mut parts = path.strip_prefix('/')?.split('/');
        let route = match (parts.next()?, parts.next()) {
            ("", None) => Self::Home,
            ("file", None) => Self::FileCase,
            ("track", None) => Self::TrackCase,
            ("cases", None) => Self::Cases,
            ("cases", Some(number)) => Self::Case(CaseNumber::parse(number).ok()?),
            ("documents", None) => Self::Documents,
            ("documents", Some(id)) => Self::Document(id_from(id)?),
            ("announcements", None) => Self::Announcements,
            ("announcements", Some(id)) => Self::Announcement(id_from(id)?),
            ("statistics", None) => Self::Statistics,
            ("accessibility", None) => Self::Accessibility,
            _ => return None,
        };
        parts.next().is_none().then_some(route)
    }
}

/// A positive decimal id, as the server issues them.
fn id_from(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|id| *id > 0)
}

/// `path` with the present `pairs` as its query string, each value percent-encoded.
pub fn with_query(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let mut out = path.to_owned();
    for (name, value) in pairs.iter().filter_map(|(k, v)| Some((k, v.as_ref()?))) {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(name);
        out.push('=');
        for byte in value.bytes() {
            if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                out.push(byte as char);
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_keep_present_values_and_encode_them() {
        assert_eq!(
            with_query("/statistics", &[("period", None)]),
            "/statistics"
        );
        assert_eq!(
            with_query(
                "/cases",
                &[
                    ("q", Some("噪音 & more".into())),
                    ("district", None),
                    ("sort", Some("replied".into()))
                ]
            ),
            "/cases?q=%E5%99%AA%E9%9F%B3%20%26%20more&sort=replied"
        );
    }

    #[test]
    fn every_route_has_a_distinct_absolute_path() {
        let number = CaseNumber::parse("20261126-0042").unwrap();
        let routes = [
            AppRoute::Home,
            AppRoute::FileCase,
            AppRoute::TrackCase,
            AppRoute::Cases,
            AppRoute::Case(number),
            AppRoute::Documents,
            AppRoute::Document(7),
            AppRoute::Announcements,
            AppRoute::Announcement(3),
            AppRoute::Statistics,
            AppRoute::Accessibility,
        ];
        let paths: std::collections::BTreeSet<_> = routes.iter().map(AppRoute::path).collect();
        assert_eq!(paths.len(), routes.len());
        assert!(paths.iter().all(|p| p.starts_with('/')));
        assert!(paths.contains("/cases/20261126-0042"));
        for route in routes {
            assert_eq!(AppRoute::parse(&route.path()), Some(route));
        }
    }

    #[test]
    fn parse_ignores_one_trailing_slash_and_refuses_what_is_not_a_page() {
        assert_eq!(AppRoute::parse("/"), Some(AppRoute::Home));
        assert_eq!(AppRoute::parse("/cases/"), Some(AppRoute::Cases));
        assert_eq!(
            AppRoute::parse("/documents/12/"),
            Some(AppRoute::Document(12))
        );
        for path in [
            "",
            "/nowhere",
            "/cases/42",
            "/cases/20261126-0042/extra",
            "/documents/-1",
            "/documents/0",
            "/documents/+7",
            "/documents/1e3",
            "/announcements/99999999999999999999",
            "/statistics/2026",
            "file",
        ] {
            assert_eq!(AppRoute::parse(path), None, "{path}");
        }
    }
}
