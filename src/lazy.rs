//! Pages that are not part of the first load. In the release build (feature `split`) each
//! lives in its own wasm chunk, fetched the first time a person opens it: `wasm-split` cuts
//! the module at the functions declared here (scripts/split-wasm.mjs, Trunk's post-build
//! hook). Without the feature, as in tests, the same functions simply render the page.
//!
//! A chunk that cannot be fetched (offline, a dropped connection) is not fatal: the page
//! says so in words with a button to try again, and tries again by itself when the browser
//! is back online. A failed fetch is not remembered, so the next attempt starts afresh.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use api::{CaseNumber, OwnerView};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use wasm_split_helpers::SplitLoaderError;

use crate::api::ApiFailure;
use crate::browser;
use crate::components::state::{LoadError, Loading};
use crate::i18n::I18n;
use crate::pages::*;

/// Declares `$name($args) -> Result<AnyView, SplitLoaderError>`, async, rendering `$page`:
/// with the feature `split`, a split point in the chunk `$chunk` (pages that share most of
/// their code share a chunk); without it, a plain function.
macro_rules! chunk {
    ($chunk:ident: $name:ident($($arg:ident: $ty:ty),*) => $page:expr) => {
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($chunk, fallible)]
        fn $name($($arg: $ty),*) -> Result<AnyView, SplitLoaderError> {
            Ok($page.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $name($($arg: $ty),*) -> Result<AnyView, SplitLoaderError> {
            Ok($page.into_any())
        }
    };
}

chunk!(file_case: file_case() => view! { <FileCasePage/> });
chunk!(track: track() => view! { <TrackCasePage/> });
chunk!(board: board() => view! { <CasesPage/> });
chunk!(case: case(number: CaseNumber) => view! { <CasePage number/> });
chunk!(announcements: announcements() => view! { <AnnouncementsPage/> });
chunk!(announcement: announcement(id: i64) => view! { <AnnouncementPage id/> });
chunk!(documents: documents() => view! { <DocumentsPage/> });
chunk!(document: document(id: i64) => view! { <DocumentPage id/> });
chunk!(statistics: statistics() => view! { <StatisticsPage/> });
chunk!(accessibility: accessibility() => view! { <AccessibilityPage/> });

/// The filing page.
pub fn file_case_page() -> AnyView {
    lazy_page(file_case)
}

// The filing's steps after the first: a chunk of their own, so that a link to the filing
// page does not wait for the form (`pages/file_case.rs`).
#[cfg(feature = "split")]
#[wasm_split_helpers::wasm_split(file_case_steps, fallible, preload(preload_filing_steps))]
fn filing_steps(filing: Filing) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <FilingSteps filing/> }.into_any())
}

#[cfg(not(feature = "split"))]
async fn filing_steps(filing: Filing) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <FilingSteps filing/> }.into_any())
}

#[cfg(not(feature = "split"))]
async fn preload_filing_steps() -> Result<(), SplitLoaderError> {
    Ok(())
}

/// The filing's form, check or confirmation, once their chunk is there.
pub fn filing_steps_view(filing: Filing) -> AnyView {
    lazy_page(move || filing_steps(filing))
}

/// Starts fetching the filing's later steps, as the resident heads for the form, so that
/// they are there when "start" is pressed. Asked again, it does not fetch again; a failure
/// here is left to the press, which says so and offers a retry.
pub fn prefetch_filing_steps() {
    leptos::task::spawn_local(async {
        let _ = preload_filing_steps().await;
    });
}

/// Tracking a case.
pub fn track_page() -> AnyView {
    lazy_page(track)
}

// What only a case's owner sees on the tracking page: a chunk of its own, so that a link
// to a case by its number does not wait for it (`pages/track_owner.rs`).
#[cfg(feature = "split")]
#[wasm_split_helpers::wasm_split(track_owner, fallible)]
fn owner_panel(
    owner: OwnerView,
    number: CaseNumber,
    code: String,
    texts_offered: Signal<bool>,
    i18n: I18n,
    on_change: Callback<()>,
) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <OwnerPanel owner number code texts_offered i18n on_change/> }.into_any())
}

#[cfg(not(feature = "split"))]
async fn owner_panel(
    owner: OwnerView,
    number: CaseNumber,
    code: String,
    texts_offered: Signal<bool>,
    i18n: I18n,
    on_change: Callback<()>,
) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <OwnerPanel owner number code texts_offered i18n on_change/> }.into_any())
}

/// The owner's panel of a tracked case, once its chunk is there.
pub fn owner_panel_view(
    owner: OwnerView,
    number: CaseNumber,
    code: String,
    texts_offered: Signal<bool>,
    i18n: I18n,
    on_change: Callback<()>,
) -> AnyView {
    lazy_page(move || {
        owner_panel(
            owner.clone(),
            number.clone(),
            code.clone(),
            texts_offered,
            i18n,
            on_change,
        )
    })
}

/// The public case board.
pub fn board_page() -> AnyView {
    lazy_page(board)
}

/// A published case's page.
pub fn case_page(number: CaseNumber) -> AnyView {
    lazy_page(move || case(number.clone()))
}

/// The announcements.
pub fn announcements_page() -> AnyView {
    lazy_page(announcements)
}

/// An announcement's page.
pub fn announcement_page(id: i64) -> AnyView {
    lazy_page(move || announcement(id))
}

/// The catalogue of government documents.
pub fn documents_page() -> AnyView {
    lazy_page(documents)
}

/// A document's page.
pub fn document_page(id: i64) -> AnyView {
    lazy_page(move || document(id))
}

/// Performance statistics.
pub fn statistics_page() -> AnyView {
    lazy_page(statistics)
}

/// The accessibility statement.
pub fn accessibility_page() -> AnyView {
    lazy_page(accessibility)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chunk {
    Loading,
    Failed,
    Ready,
}

type Loader = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>>;

/// A page whose chunk is being fetched, has failed, or is ready to be shown once.
#[derive(Clone, Copy)]
struct LazyPage {
    state: RwSignal<Chunk>,
    page: StoredValue<Option<AnyView>, LocalStorage>,
    load: StoredValue<Loader, LocalStorage>,
    /// The page's owner: a retry starts from a click or an `online` event, whose owner
    /// (the failure message) is gone by the time the page is built.
    owner: StoredValue<Option<Owner>, LocalStorage>,
}

impl LazyPage {
    fn fetch(self) {
        let Some(load) = self.load.try_get_value() else {
            return;
        };
        let Some(Some(owner)) = self.owner.try_get_value() else {
            return;
        };
        self.state.set(Chunk::Loading);
        owner.with(|| {
            spawn_local_scoped(async move {
                match load().await {
                    Ok(view) => {
                        self.page.set_value(Some(view));
                        self.state.set(Chunk::Ready);
                        // A navigation that ended here while it loaded owes its heading focus.
                        request_animation_frame(browser::focus_owed_heading);
                    }
                    Err(_) => {
                        self.state.set(Chunk::Failed);
                        // Back online, try again by itself (the listener goes with the page).
                        let listener = window_event_listener(leptos::ev::online, move |_| {
                            if self.state.try_get_untracked() == Some(Chunk::Failed) {
                                self.fetch();
                            }
                        });
                        on_cleanup(move || listener.remove());
                    }
                }
            })
        });
    }
}

/// Shows "loading" while the page's chunk is fetched, then the page; or, if the fetch
/// fails, the failure in words with a retry.
fn lazy_page<L, F>(load: L) -> AnyView
where
    L: Fn() -> F + 'static,
    F: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let load: Loader = Rc::new(move || Box::pin(load()));
    let lazy = LazyPage {
        state: RwSignal::new(Chunk::Loading),
        page: StoredValue::new_local(None),
        load: StoredValue::new_local(load),
        owner: StoredValue::new_local(Owner::current()),
    };
    lazy.fetch();
    (move || match lazy.state.get() {
        Chunk::Loading => view! { <Loading/> }.into_any(),
        Chunk::Failed => view! {
            <LoadError failure=ApiFailure::Network on_retry=Callback::new(move |()| lazy.fetch())/>
        }
        .into_any(),
        Chunk::Ready => lazy
            .page
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
    })
    .into_any()
}
