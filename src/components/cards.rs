//! List entries: a case, an announcement.

use api::{AnnouncementSummary, CaseSummary, Meta, Span, Taxon};
use leptos::prelude::*;

use crate::components::{kind_name, status_name, taxon_name};
use crate::i18n::format_date;
use crate::i18n::use_i18n;
use crate::routes::AppRoute;

/// Which date a case card shows: the one its list is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CardDate {
    /// When it was filed (lists newest first).
    #[default]
    Filed,
    /// When it was replied (lists of recent replies).
    Replied,
}

impl CardDate {
    /// The date a list ordered by `sort` (the board's `sort` parameter) shows.
    pub fn for_sort(sort: Option<&str>) -> Self {
        match sort {
            Some("replied") => Self::Replied,
            _ => Self::Filed,
        }
    }
}

/// A published case in a list: its title, kind, status, district and the date its list is
/// ordered by, said as which date it is.
#[component]
pub fn CaseCard(
    /// The case.
    case: CaseSummary,
    /// The taxonomy, for the district's name; codes show while it loads.
    meta: Signal<Option<Meta>>,
    /// Which date to show.
    #[prop(optional)]
    dated: CardDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = AppRoute::Case(case.number.clone()).path();
    let district_code = case.district.clone();
    let district = move || {
        taxon_name(
            &meta.get(),
            Taxon::District,
            &district_code,
            i18n.locale().tag(),
        )
    };
    let status = case.status;
    let kind = case.kind;
    let date = match dated {
        CardDate::Replied => case.replied_at.clone(),
        CardDate::Filed => None,
    };
    let (date, replied) = match date {
        Some(date) => (date, true),
        None => (case.submitted_at.clone(), false),
    };
    let date_text = move || {
        let t = i18n.t();
        let pattern = if replied {
            t.card_replied_on
        } else {
            t.card_filed_on
        };
        pattern.replace("{date}", &format_date(i18n.t(), &date, false))
    };
    view! {
        <li class="c-card">
            <a class="c-card__title" href=href>{case.title.clone()}</a>
            <p class="c-card__meta">
                <span class="c-tag">{move || kind.map_or("", |kind| kind_name(i18n.t(), kind))}</span>
                <span class=format!("c-tag c-tag--status c-tag--{}", status.code())>
                    {move || status_name(i18n.t(), status)}
                </span>
                <span>{district}</span>
                <span class="c-card__date">{date_text}</span>
            </p>
        </li>
    }
}

/// An announcement in a list: its title (in its own language), a pinned mark, its date.
#[component]
pub fn AnnouncementItem(
    /// The announcement.
    item: AnnouncementSummary,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = AppRoute::Announcement(item.id).path();
    let published = item.published_at.clone();
    view! {
        <li class="c-card">
            <a class="c-card__title" href=href lang=item.language.tag()>
                {marked(&item.title, &item.highlight.as_ref().map(|h| h.title.clone()).unwrap_or_default())}
            </a>
            <p class="c-card__meta">
                {item.pinned.then(|| view! { <span class="c-tag c-tag--pinned">{move || i18n.t().announcement_pinned}</span> })}
                <span>{move || format_date(i18n.t(), &published, false)}</span>
            </p>
            {item.highlight.as_ref().and_then(|h| h.excerpt.clone().map(|text| (text, h.excerpt_marks.clone()))).map(|(text, marks)| view! {
                <p class="c-card__excerpt" lang=item.language.tag()>{marked(&text, &marks)}</p>
            })}
        </li>
    }
}

/// `text` with the stretches in `spans` (counted in characters) marked.
pub fn marked(text: &str, spans: &[Span]) -> impl IntoView + use<> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts = Vec::new();
    let mut at = 0usize;
    for span in spans {
        let (start, end) = (span.start as usize, (span.end as usize).min(chars.len()));
        if start < at || start >= end {
            continue;
        }
        parts.push((chars[at..start].iter().collect::<String>(), false));
        parts.push((chars[start..end].iter().collect::<String>(), true));
        at = end;
    }
    parts.push((
        chars[at.min(chars.len())..].iter().collect::<String>(),
        false,
    ));
    parts
        .into_iter()
        .filter(|(text, _)| !text.is_empty())
        .map(|(text, mark)| {
            if mark {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect_view()
}
