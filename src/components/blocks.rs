//! A document's or announcement's body, rendered from the contract's structured blocks.
//! Every block is text, so nothing in a body can become markup or script.

use api::{Block, ContentLanguage};
use leptos::prelude::*;

/// The blocks of a body, in the language they are written in.
#[component]
pub fn Blocks(
    /// The body.
    blocks: Vec<Block>,
    /// Its language.
    language: ContentLanguage,
) -> impl IntoView {
    let rendered = blocks
        .into_iter()
        .map(|block| match block {
            Block::Heading { text } => view! { <h2 class="c-body__heading">{text}</h2> }.into_any(),
            Block::Paragraph { text } => view! { <p>{text}</p> }.into_any(),
            Block::List { ordered: true, items } => view! {
                <ol class="c-body__list">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ol>
            }
            .into_any(),
            Block::List { ordered: false, items } => view! {
                <ul class="c-body__list">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            }
            .into_any(),
        })
        .collect_view();
    view! { <div class="c-body" lang=language.tag()>{rendered}</div> }
}
