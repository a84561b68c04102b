//! The states every loaded part of a page can be in besides "loaded": loading, failed, empty.

use leptos::prelude::*;

use crate::api::ApiFailure;

use crate::i18n::use_i18n;
use crate::t;

/// Says that something is loading, politely, to screen readers too.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="c-state c-state--loading" role="status">{t!(i18n, loading)}</p> }
}

/// Says that loading failed, in words (offline or not), with a button to try again.
#[component]
pub fn LoadError(
    /// What went wrong.
    failure: ApiFailure,
    /// Called when the person asks to try again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let offline = failure == ApiFailure::Network && !browser_online();
    view! {
        <div class="c-state c-state--error" role="alert">
            <p>{move || if offline { i18n.t().error_offline } else { i18n.t().error_load }}</p>
            <button type="button" class="c-button c-button--secondary" on:click=move |_| on_retry.run(())>
                {t!(i18n, retry)}
            </button>
        </div>
    }
}

fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Says that a list has nothing in it.
#[component]
pub fn Empty(
    /// The sentence to show.
    message: Signal<&'static str>,
) -> impl IntoView {
    view! { <p class="c-state c-state--empty">{move || message.get()}</p> }
}
