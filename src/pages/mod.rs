//! One module per route.

mod announcements;
mod case;
mod coming_soon;
mod file_case;
mod file_photos;
mod home;
mod not_found;

pub use announcements::{AnnouncementPage, AnnouncementsPage};
pub use case::CasePage;
pub use coming_soon::*;
pub use file_case::FileCasePage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
