//! The photos of a case being filed: chosen from the gallery or the camera, made smaller on
//! the device, uploaded with a progress bar, removable, and sent again when an upload
//! failed. The ids of uploaded photos live in the draft, so they survive a reload.

use std::cell::RefCell;

use api::limits::{PHOTO_MAX_SIDE_PX, PHOTOS_MAX};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api as client;
use crate::browser;
use crate::components::form::{FieldError, fill};
use crate::i18n::use_i18n;
use crate::model::draft::Draft;

/// Where one photo is on its way to the server.
#[derive(Debug, Clone, PartialEq)]
pub enum PhotoState {
    /// Being made smaller.
    Preparing,
    /// Being sent: the percentage sent so far.
    Uploading(u32),
    /// On the server, under this id.
    Uploaded(String),
    /// The upload failed; it can be tried again.
    Failed,
    /// The file could not be read as an image.
    Unreadable,
}

/// One photo in the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    key: u32,
    state: PhotoState,
}

/// The photos of the form: those already in the draft (after a reload) to begin with.
pub fn photos_from(draft: &Draft) -> Vec<Photo> {
    draft
        .case
        .photos
        .iter()
        .map(|id| Photo {
            key: next_key(),
            state: PhotoState::Uploaded(id.clone()),
        })
        .collect()
}

/// Whether every photo has reached the server (none preparing, uploading or failed).
pub fn all_uploaded(photos: &[Photo]) -> bool {
    photos
        .iter()
        .all(|p| matches!(p.state, PhotoState::Uploaded(_)))
}

thread_local! {
    static NEXT_KEY: RefCell<u32> = const { RefCell::new(0) };
    /// The made-smaller photos not yet on the server, kept for a retry.
    static WAITING: RefCell<Vec<(u32, web_sys::Blob)>> = const { RefCell::new(Vec::new()) };
}

fn next_key() -> u32 {
    NEXT_KEY.with(|k| {
        let mut k = k.borrow_mut();
        *k += 1;
        *k
    })
}

fn waiting(key: u32) -> Option<web_sys::Blob> {
    WAITING.with(|w| {
        w.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, b)| b.clone())
    })
}

fn let_go(key: u32) {
    WAITING.with(|w| w.borrow_mut().retain(|(k, _)| *k != key));
}

/// Changes the photo under `key`; `false` when it was removed meanwhile.
fn change(photos: RwSignal<Vec<Photo>>, key: u32, edit: impl FnOnce(&mut Photo)) -> bool {
    let mut found = false;
    photos.update(|list| {
        if let Some(photo) = list.iter_mut().find(|p| p.key == key) {
            edit(photo);
            found = true;
        }
    });
    found
}

/// The state of the photo under `key`, tracked.
fn state_of(photos: RwSignal<Vec<Photo>>, key: u32) -> Option<PhotoState> {
    photos.with(|list| list.iter().find(|p| p.key == key).map(|p| p.state.clone()))
}

/// Sends the photo waiting under `key`, showing its progress; an uploaded photo's id joins
/// the draft (unless the photo was removed meanwhile).
fn upload(key: u32, draft: RwSignal<Draft>, photos: RwSignal<Vec<Photo>>) {
    let Some(blob) = waiting(key) else { return };
    change(photos, key, |p| p.state = PhotoState::Uploading(0));
    spawn_local(async move {
        let sent = client::upload_photo(&blob, move |percent| {
            change(photos, key, |p| p.state = PhotoState::Uploading(percent));
        })
        .await;
        let state = match sent {
            Ok(receipt) => {
                let_go(key);
                PhotoState::Uploaded(receipt.id)
            }
            Err(_) => PhotoState::Failed,
        };
        let id = match &state {
            PhotoState::Uploaded(id) => Some(id.clone()),
            _ => None,
        };
        if change(photos, key, |p| p.state = state)
            && let Some(id) = id
        {
            draft.update(|d| d.case.photos.push(id));
        }
    });
}

/// The photo field.
#[component]
pub fn PhotoField(
    /// The draft, which holds the uploaded photos' ids.
    draft: RwSignal<Draft>,
    /// The photos shown.
    photos: RwSignal<Vec<Photo>>,
    /// The field's error, if any.
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let too_many = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(files) = input.files() else { return };
        let room = PHOTOS_MAX.saturating_sub(photos.with_untracked(Vec::len));
        too_many.set(files.length() as usize > room);
        for index in 0..(files.length() as usize).min(room) {
            let Some(file) = files.get(index as u32) else {
                continue;
            };
            let key = next_key();
            photos.update(|list| {
                list.push(Photo {
                    key,
                    state: PhotoState::Preparing,
                })
            });
            spawn_local(async move {
                let file: web_sys::Blob = file.unchecked_into();
                match browser::shrink_photo(&file, PHOTO_MAX_SIDE_PX).await {
                    Ok(small) => {
                        WAITING.with(|w| w.borrow_mut().push((key, small)));
                        upload(key, draft, photos);
                    }
                    Err(_) => {
                        change(photos, key, |p| p.state = PhotoState::Unreadable);
                    }
                }
            });
        }
        // The same file can be chosen again after a removal.
        input.set_value("");
    };
    let remove = move |key: u32| {
        let mut gone = None;
        photos.update(|list| {
            if let Some(at) = list.iter().position(|p| p.key == key) {
                gone = Some(list.remove(at));
            }
        });
        if let Some(photo) = gone
            && let PhotoState::Uploaded(id) = photo.state
        {
            draft.update(|d| d.case.photos.retain(|p| *p != id));
        }
        let_go(key);
        too_many.set(false);
        browser::focus_id("field-photos");
    };
    let item = move |photo: Photo| {
        let key = photo.key;
        let number =
            move || photos.with(|list| list.iter().position(|p| p.key == key).map_or(0, |i| i + 1));
        let label = move || fill(i18n.t().photo_label, number());
        view! {
            <li class="c-photo" class:c-photo--failed=move || matches!(state_of(photos, key), Some(PhotoState::Failed | PhotoState::Unreadable))>
                <p class="c-photo__name">{label}</p>
                {move || {
                    let t = i18n.t();
                    let state = state_of(photos, key)?;
                    let (status, percent, retry) = match state {
                        PhotoState::Preparing => (t.photo_preparing, None, false),
                        PhotoState::Uploading(p) => (t.photo_uploading, Some(p), false),
                        PhotoState::Uploaded(_) => (t.photo_uploaded, None, false),
                        PhotoState::Failed => (t.photo_failed, None, true),
                        PhotoState::Unreadable => (t.photo_unreadable, None, false),
                    };
                    Some(view! {
                        <p class="c-photo__status">{status}</p>
                        {percent.map(|p| view! {
                            <progress class="c-photo__progress" max="100" value=p aria-label=label></progress>
                        })}
                        {retry.then(|| view! {
                            <button type="button" class="c-link-button" on:click=move |_| upload(key, draft, photos)>
                                {t.photo_retry}<span class="u-visually-hidden">{format!(" {}", label())}</span>
                            </button>
                        })}
                    })
                }}
                <button type="button" class="c-link-button" on:click=move |_| remove(key)>
                    {move || i18n.t().photo_remove}<span class="u-visually-hidden">{move || format!(" {}", label())}</span>
                </button>
            </li>
        }
    };
    let describedby = move || {
        if error.with(Option::is_some) {
            "field-photos-hint field-photos-error"
        } else {
            "field-photos-hint"
        }
    };
    view! {
        <div class="c-field" class:c-field--error=move || error.with(Option::is_some)>
            <label class="c-field__label" for="field-photos">{move || i18n.t().field_photos}</label>
            <p class="c-field__hint" id="field-photos-hint">{move || fill(i18n.t().field_photos_hint, PHOTOS_MAX)}</p>
            <FieldError field="photos" error/>
            // The browser's own control speaks the browser's language ("Choose Files"), and
            // its text is cut short in elderly mode: it stays for keyboards and screen readers,
            // seen as a button in the page's language.
            <input type="file" id="field-photos" name="photos" class="c-file u-visually-hidden" accept="image/*" multiple
                aria-describedby=describedby
                prop:disabled=move || photos.with(|list| list.len() >= PHOTOS_MAX)
                on:change=on_change/>
            <label for="field-photos" class="c-button c-button--secondary c-file__button">
                {move || i18n.t().photo_choose}
            </label>
            <p class="c-field__hint" role="status">
                {move || too_many.get().then(|| fill(i18n.t().photo_too_many, PHOTOS_MAX))}
            </p>
            <ul class="c-photos">
                <For each=move || photos.get() key=|photo| photo.key children=item/>
            </ul>
        </div>
    }
}
