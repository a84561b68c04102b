//! Plain Rust logic the pages rely on, free of the DOM so it is tested natively.

pub mod dates;
pub mod draft;
pub mod locale;
