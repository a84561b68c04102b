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
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
