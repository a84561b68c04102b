//! A document's or announcement's body, rendered from the contract's structured blocks.
//! Every block is text, so nothing in a body can become markup or script.

use api::{Block, ContentLanguage, Link, safe_href};
use leptos::prelude::*;

/// The blocks of a body, in the language they are written in.
#[component]
pub fn Blocks(
    /// The body.
    blocks: Vec<Block>,
    /// Its language.
    language: ContentLanguage,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let rendered = blocks
        .into_iter()
        .map(|block| match block {
            Block::Heading { text } => view! { <h2 class="c-body__heading">{text}</h2> }.into_any(),
            Block::Paragraph { text, links } => view! { <p>{linked(&text, &links)}</p> }.into_any(),
            Block::Table { head, rows } => view! {
                // A wide table scrolls inside its own box on a narrow screen, not the page.
                <div class="c-table-wrap" role="region" tabindex="0"
                    aria-label=if head.is_empty() { i18n.t_untracked().table_label.to_owned() } else { head.join(" / ") }>
                    <table class="c-table">
                        {(!head.is_empty()).then(|| view! {
                            <thead><tr>{head.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
                        })}
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
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

/// A paragraph's text with its links: each only if its address passes the contract's
/// `safe_href` here too (whatever the store holds), otherwise as plain text.
fn linked(text: &str, links: &[Link]) -> impl IntoView + use<> {
    let chars: Vec<char> = text.chars().collect();
    let piece = |from: usize, to: usize| {
        chars[from.min(chars.len())..to.min(chars.len())]
            .iter()
            .collect::<String>()
    };
    let mut parts = Vec::new();
    let mut at = 0usize;
    for link in links {
        let (start, end) = (link.start as usize, link.end as usize);
        if start < at || start >= end || end > chars.len() {
            continue;
        }
        parts.push(piece(at, start).into_any());
        let label = piece(start, end);
        parts.push(match safe_href(&link.href) {
            Some(href) => {
                view! { <a href=href.to_owned() rel="noopener noreferrer">{label}</a> }.into_any()
            }
            None => label.into_any(),
        });
        at = end;
    }
    parts.push(piece(at, chars.len()).into_any());
    parts.into_iter().collect_view()
}
