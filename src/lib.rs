//! Civic: the citizen front end of a city's 12345 governance platform, a Leptos app
//! compiled to WebAssembly. `main.rs` only calls [`start`].

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod i18n;
pub mod lazy;
pub mod markup;
pub mod model;
pub mod pages;
pub mod prefs;
pub mod remote;
pub mod routes;

/// Installs the panic hook, removes the loading skeleton and mounts the app on `<body>`,
/// unless `boot.js` found the browser unable to run it (then its plain page stays).
pub fn start() {
    if browser::boot_found_browser_unsupported() {
        return;
    }
    console_error_panic_hook::set_once();
    browser::remove_boot_skeleton();
    leptos::mount::mount_to_body(app::App);
}
