//! One module per route.

mod announcements;
mod case;
mod coming_soon;
mod home;
mod not_found;

pub use announcements::{AnnouncementPage, AnnouncementsPage};
pub use case::CasePage;
pub use coming_soon::*;
pub use home::HomePage;
pub use not_found::NotFoundPage;
