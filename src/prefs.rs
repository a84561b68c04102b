//! The reading preference: elderly mode (适老化: larger text, stronger contrast, larger
//! targets), one tap away in the header and remembered on this device.

use leptos::prelude::*;

use crate::browser;

/// The key under which elderly mode is remembered.
pub const ELDERLY_KEY: &str = "civic.elderly";
/// The class on `<html>` that the stylesheet keys elderly mode on.
pub const ELDERLY_CLASS: &str = "is-elderly";

/// Whether elderly mode is on, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Prefs {
    elderly: RwSignal<bool>,
}

impl Prefs {
    /// Whether elderly mode is on (tracked).
    pub fn elderly(&self) -> bool {
        self.elderly.get()
    }

    /// Turns elderly mode on or off and remembers it.
    pub fn set_elderly(&self, on: bool) {
        browser::store(ELDERLY_KEY, if on { "1" } else { "0" });
        self.elderly.set(on);
    }
}

/// Reads the saved preference (or, with none saved, whether the browser asks for more
/// contrast), provides it, and keeps the `<html>` class in step.
pub fn provide_prefs() -> Prefs {
    let elderly = match browser::load(ELDERLY_KEY).as_deref() {
        Some("1") => true,
        Some(_) => false,
        None => browser::prefers_more_contrast(),
    };
    let prefs = Prefs {
        elderly: RwSignal::new(elderly),
    };
    Effect::new(move |_| browser::set_html_class(ELDERLY_CLASS, prefs.elderly()));
    provide_context(prefs);
    prefs
}

/// The preferences in context.
pub fn use_prefs() -> Prefs {
    expect_context::<Prefs>()
}
