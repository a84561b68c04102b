//! One module per route.

mod accessibility;
mod announcements;
mod board;
mod case;
mod documents;
mod file_case;
mod file_photos;
mod file_steps;
mod home;
mod not_found;
mod statistics;
mod track;
mod track_owner;

pub use accessibility::AccessibilityPage;
pub use announcements::{AnnouncementPage, AnnouncementsPage};
pub use board::CasesPage;
pub use case::CasePage;
pub use documents::{DocumentPage, DocumentsPage};
pub use file_case::{FileCasePage, Filing};
pub use file_steps::FilingSteps;
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use statistics::StatisticsPage;
pub use track::TrackCasePage;
pub use track_owner::OwnerPanel;
