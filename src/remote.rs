//! Data loaded from the API into a signal.
//!
//! `Remote` does what the pages need from Leptos's `LocalResource` (load when a tracked
//! input changes, say "loading" meanwhile, load again on request) with far less generated
//! code: the watching effect is one type-erased closure, and a late answer to an older
//! request never overwrites a newer one. Each `LocalResource` cost about 9 KiB of wasm
//! before compression; the first-load budget is 200 KiB brotli for the whole app.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use serde::de::DeserializeOwned;

use crate::api::{ApiFailure, Fetch, parse};
use crate::i18n::I18n;

/// What a page shows while data is loading, failed or has arrived.
pub type Loaded<T> = Option<Result<T, ApiFailure>>;

/// Data from the API: `None` while loading, then the answer or the failure.
pub struct Remote<T: Send + Sync + 'static> {
    state: RwSignal<Loaded<T>>,
    again: Trigger,
}

impl<T: Send + Sync + 'static> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Remote<T> {}

impl<T: Clone + Send + Sync + 'static> Remote<T> {
    /// Starts loading what `fetch` asks for, and loads again whenever a signal that `fetch`
    /// reads changes, or when [`Remote::refetch`] is called. When an answer arrives, screen
    /// readers hear that the content has loaded (or failed to) through the polite live region.
    pub fn new(fetch: impl Fn() -> Fetch<T> + 'static) -> Self
    where
        T: DeserializeOwned,
    {
        Self::load(move || Some(fetch()), use_context::<I18n>())
    }

    /// As [`Remote::new`], without telling screen readers (data that is not a page's content,
    /// such as the taxonomy).
    pub fn quiet(fetch: impl Fn() -> Fetch<T> + 'static) -> Self
    where
        T: DeserializeOwned,
    {
        Self::load(move || Some(fetch()), None)
    }

    /// As [`Remote::quiet`], but `fetch` may answer `None`: nothing to load now (the state
    /// stays `None`, as if loading, until `fetch` asks for something). Quiet, because it
    /// serves hints that load while the person types.
    pub fn maybe(fetch: impl Fn() -> Option<Fetch<T>> + 'static) -> Self
    where
        T: DeserializeOwned,
    {
        Self::load(fetch, None)
    }

    /// As [`Remote::new`] (announced), but `fetch` may answer `None`: nothing asked for yet
    /// (a form not yet sent).
    pub fn on_demand(fetch: impl Fn() -> Option<Fetch<T>> + 'static) -> Self
    where
        T: DeserializeOwned,
    {
        Self::load(fetch, use_context::<I18n>())
    }

    fn load(fetch: impl Fn() -> Option<Fetch<T>> + 'static, announce: Option<I18n>) -> Self
    where
        T: DeserializeOwned,
    {
        let state = RwSignal::new(None);
        let again = Trigger::new();
        let latest = Rc::new(Cell::new(0u32));
        watch(Box::new(move |_| {
            again.track();
            let request = fetch();
            let ticket = latest.get().wrapping_add(1);
            latest.set(ticket);
            state.set(None);
            let Some(request) = request else { return };
            let latest = Rc::clone(&latest);
            // Only this small closure is generic; the request and its task are not.
            let deliver: Box<dyn FnOnce(Result<String, ApiFailure>)> = Box::new(move |text| {
                if latest.get() == ticket {
                    let answer = text.and_then(|text| parse::<T>(&text));
                    let ok = answer.is_ok();
                    state.try_set(Some(answer));
                    if let Some(i18n) = announce {
                        announce_outcome(i18n, ok);
                    }
                }
            });
            fetch_text(request.send(), deliver);
        }));
        Self { state, again }
    }

    /// The current state, tracked.
    pub fn get(&self) -> Loaded<T> {
        self.state.get()
    }

    /// The loaded value, if it has arrived and is not a failure; tracked.
    pub fn ok(&self) -> Option<T> {
        self.state.get().and_then(Result::ok)
    }

    /// Loads again (after a failure, say).
    pub fn refetch(&self) {
        self.again.notify();
    }
}

/// Says in the live region that content loaded, or failed to (not generic, so once in wasm).
fn announce_outcome(i18n: I18n, ok: bool) {
    let t = i18n.t_untracked();
    crate::browser::announce(if ok { t.loaded } else { t.error_load });
}

/// One task type for every `Remote`: sends, then hands the text over.
fn fetch_text(
    request: impl Future<Output = Result<String, ApiFailure>> + 'static,
    deliver: Box<dyn FnOnce(Result<String, ApiFailure>)>,
) {
    let request: std::pin::Pin<Box<dyn Future<Output = Result<String, ApiFailure>>>> =
        Box::pin(request);
    spawn_local(async move { deliver(request.await) });
}

/// One effect type for every `Remote`, whatever it loads.
fn watch(run: Box<dyn FnMut(Option<()>)>) {
    Effect::new(run);
}
