//! Thin, failure-tolerant wrappers over the browser APIs the app uses. Storage can be
//! missing (private mode, partitioned portal iframes): every call degrades to doing nothing.

use wasm_bindgen::{JsCast, JsValue};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// The value of `name` in the page's query string.
pub fn query_param(name: &str) -> Option<String> {
    let search = window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name)
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// Whether this page may keep data on the device: not when the browser blocks storage (a
/// frame inside another site, where third-party storage is blocked, or a private mode).
pub fn can_store() -> bool {
    storage().is_some()
}

/// A value remembered on this device.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Remembers a value on this device, when storage is available.
pub fn store(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

/// The browser's preferred languages, most preferred first.
pub fn languages() -> Vec<String> {
    let Some(navigator) = window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        navigator.language().into_iter().collect()
    } else {
        list
    }
}

/// Sets `<html lang>`, so screen readers pronounce the page in its language.
pub fn set_html_lang(tag: &str) {
    if let Some(html) = document().and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", tag);
    }
}

/// Turns a class on `<html>` on or off.
pub fn set_html_class(class: &str, on: bool) {
    if let Some(html) = document().and_then(|d| d.document_element()) {
        let _ = html.class_list().toggle_with_force(class, on);
    }
}

/// Whether the browser asks for more contrast.
pub fn prefers_more_contrast() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-contrast: more)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Says `text` to screen readers through the page's polite live region (`#civic-live`);
/// the same text twice in a row is still announced.
pub fn announce(text: &str) {
    let Some(region) = document().and_then(|d| d.get_element_by_id("civic-live")) else {
        return;
    };
    let same = region
        .text_content()
        .is_some_and(|t| t.trim_end_matches('\u{a0}') == text);
    let mut next = text.to_owned();
    if same
        && !region
            .text_content()
            .unwrap_or_default()
            .ends_with('\u{a0}')
    {
        next.push('\u{a0}');
    }
    region.set_text_content(Some(&next));
}

/// Sets the document's title, and the share card's title (`og:title`), which WeChat and
/// other apps show when the page is shared.
pub fn set_title(title: &str) {
    if let Some(document) = document() {
        document.set_title(title);
        if let Ok(Some(meta)) = document.query_selector("meta[property='og:title']") {
            let _ = meta.set_attribute("content", title);
        }
    }
}

thread_local! {
    /// A navigation found no heading to focus yet (its page was still loading).
    static HEADING_FOCUS_OWED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Moves focus to the page's main heading, so keyboard and screen-reader users start
/// reading the new page after a navigation. A page that is still loading has none yet: the
/// focus is then owed, and [`focus_owed_heading`] moves it once the page is there.
pub fn focus_main_heading() {
    let heading = document()
        .and_then(|d| d.query_selector("main h1").ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    HEADING_FOCUS_OWED.set(heading.is_none());
    if let Some(heading) = heading {
        let _ = heading.set_attribute("tabindex", "-1");
        let _ = heading.focus();
    }
}

/// Moves the focus a navigation owed to a page that has now loaded (see
/// [`focus_main_heading`]); does nothing after a first load, which owes none.
pub fn focus_owed_heading() {
    if HEADING_FOCUS_OWED.get() {
        focus_main_heading();
    }
}

/// Whether `boot.js` decided that this browser cannot run the app (`window.__civicUnsupported`).
pub fn boot_found_browser_unsupported() -> bool {
    window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__civicUnsupported")).ok())
        .is_some_and(|v| v.is_truthy())
}

/// Removes the static loading skeleton that `index.html` paints before the app starts.
pub fn remove_boot_skeleton() {
    if let Some(el) = document().and_then(|d| d.get_element_by_id("boot")) {
        el.remove();
    }
}

/// A random UUID from the browser's cryptographic generator (for idempotency keys).
pub fn random_uuid() -> String {
    window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("draft-{}", js_sys::Date::now() as u64))
}

/// Removes a value remembered on this device.
pub fn forget(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// Copies `text` to the clipboard, when the browser allows it.
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Moves focus to the element with `id`, and brings it into view.
pub fn focus_id(id: &str) {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    window().is_none_or(|w| w.navigator().on_line())
}

/// Makes a chosen photo smaller before it is uploaded: its longest side at most `max_side`
/// pixels, re-encoded as JPEG (which also drops what the camera wrote into the file, such
/// as the place it was taken). `createImageBitmap` applies the camera's orientation.
pub async fn shrink_photo(file: &web_sys::Blob, max_side: u32) -> Result<web_sys::Blob, JsValue> {
    use wasm_bindgen_futures::JsFuture;
    let window = window().ok_or(JsValue::NULL)?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?)
        .await?
        .unchecked_into();
    let (width, height) = scaled(bitmap.width(), bitmap.height(), max_side);
    let canvas: web_sys::HtmlCanvasElement = document()
        .ok_or(JsValue::NULL)?
        .create_element("canvas")?
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or(JsValue::NULL)?
        .unchecked_into();
    // JPEG has no transparency: a transparent PNG gets white behind it, not black.
    context.set_fill_style_str("#fff");
    context.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    context.draw_image_with_image_bitmap_and_dw_and_dh(
        &bitmap,
        0.0,
        0.0,
        f64::from(width),
        f64::from(height),
    )?;
    bitmap.close();
    let encoded = js_sys::Promise::new(&mut |resolve, reject| {
        let done = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            let settle = if blob.is_null() { &reject } else { &resolve };
            let _ = settle.call1(&JsValue::UNDEFINED, &blob);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            done.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(0.85),
        );
    });
    Ok(JsFuture::from(encoded).await?.unchecked_into())
}

/// The size of a `width` × `height` image with its longest side at most `max_side`.
pub fn scaled(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= max_side || longest == 0 {
        return (width.max(1), height.max(1));
    }
    let fit = |side: u32| {
        ((u64::from(side) * u64::from(max_side) + u64::from(longest) / 2) / u64::from(longest))
            .max(1) as u32
    };
    (fit(width), fit(height))
}

/// Why the browser gave no position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPosition {
    /// The person (or the browser's settings) said no.
    Denied,
    /// No position could be found in time, or the browser has no geolocation.
    Unavailable,
}

/// The device's position (latitude, longitude), asked of the browser, which asks the person.
pub async fn current_position() -> Result<(f64, f64), NoPosition> {
    use wasm_bindgen_futures::JsFuture;
    let geolocation = window()
        .and_then(|w| w.navigator().geolocation().ok())
        .ok_or(NoPosition::Unavailable)?;
    let asked = js_sys::Promise::new(&mut |resolve, reject| {
        let options = web_sys::PositionOptions::new();
        options.set_timeout(15_000);
        options.set_maximum_age(60_000);
        let _ = geolocation.get_current_position_with_error_callback_and_options(
            &resolve,
            Some(&reject),
            &options,
        );
    });
    match JsFuture::from(asked).await {
        Ok(position) => {
            let coords = position.unchecked_into::<web_sys::Position>().coords();
            Ok((coords.latitude(), coords.longitude()))
        }
        Err(error) => {
            // Read by name, not by class: in-app browsers do not all expose the class.
            let code = js_sys::Reflect::get(&error, &JsValue::from_str("code"))
                .ok()
                .and_then(|code| code.as_f64());
            Err(
                if code == Some(f64::from(web_sys::PositionError::PERMISSION_DENIED)) {
                    NoPosition::Denied
                } else {
                    NoPosition::Unavailable
                },
            )
        }
    }
}
