//! Open government information (政府信息公开): the catalogue, with one search box and filters
//! kept in the URL (a filtered catalogue can be shared; back restores it), and a document's
//! page with its validity, body, attachments and the links between a document and its
//! interpretations (政策解读) or the document that replaced it.

use api::{
    Document, DocumentListQuery, DocumentSummary, DocumentType, FieldErrors, Meta, Page, Taxon,
    Validity,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self as client, ApiFailure};
use crate::app::use_meta;
use crate::components::blocks::Blocks;
use crate::components::cards::marked;
use crate::components::form::{Choice, SelectField, TextField, field_error_text};
use crate::components::layout::use_page_title;
use crate::components::state::{Empty, LoadError, Loading};
use crate::components::taxon_name;
use crate::i18n::format_date;
use crate::i18n::{I18n, Strings, use_i18n};
use crate::remote::Remote;
use crate::routes::{AppRoute, with_query};
use crate::t;

/// The query-string names of the catalogue's search and filters, in the form's order.
const FILTERS: [&str; 6] = ["q", "topic", "agency", "doc_type", "year", "validity"];

fn query_from(get: impl Fn(&str) -> Option<String>) -> DocumentListQuery {
    DocumentListQuery {
        q: get("q"),
        topic: get("topic"),
        agency: get("agency"),
        doc_type: get("doc_type"),
        year: get("year").and_then(|y| y.trim().parse().ok()),
        validity: get("validity"),
        limit: None,
        cursor: None,
    }
}

fn value_of(q: &DocumentListQuery, name: &str) -> Option<String> {
    match name {
        "q" => q.q.clone(),
        "topic" => q.topic.clone(),
        "agency" => q.agency.clone(),
        "doc_type" => q.doc_type.clone(),
        "year" => q.year.map(|y| y.to_string()),
        "validity" => q.validity.clone(),
        _ => None,
    }
}

/// The name of a document type, in the reader's language.
pub fn type_name(t: &'static Strings, doc_type: DocumentType) -> &'static str {
    match doc_type {
        DocumentType::Regulation => t.doc_type_regulation,
        DocumentType::Normative => t.doc_type_normative,
        DocumentType::Plan => t.doc_type_plan,
        DocumentType::Report => t.doc_type_report,
        DocumentType::Notice => t.doc_type_notice,
        DocumentType::Interpretation => t.doc_type_interpretation,
    }
}

/// The name of a validity, in the reader's language.
pub fn validity_name(t: &'static Strings, validity: Validity) -> &'static str {
    match validity {
        Validity::Effective => t.validity_effective,
        Validity::Amended => t.validity_amended,
        Validity::Repealed => t.validity_repealed,
    }
}

/// Whether "more" is loading or failed.
#[derive(Clone, Copy, PartialEq)]
enum More {
    Idle,
    Loading,
    Failed,
}

/// The catalogue.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().title_documents.to_owned());
    let location = use_location();
    let query = Memo::new(move |_| {
        let params = location.query.get();
        query_from(|name| params.get(name).filter(|v| !v.trim().is_empty()))
    });
    let first = Remote::new(move || client::documents(query.get()));
    let later = RwSignal::new(Vec::<Page<DocumentSummary>>::new());
    let more = RwSignal::new(More::Idle);
    Effect::new(move |_| {
        query.track();
        later.set(Vec::new());
        more.set(More::Idle);
    });
    let rejected = Signal::derive(move || match first.get() {
        Some(Err(ApiFailure::Server {
            body: Some(body), ..
        })) if !body.fields.is_empty() => FieldErrors::from(body.fields),
        _ => FieldErrors::new(),
    });
    let next_cursor = move || {
        later
            .with(|pages| pages.last().map(|p| p.next_cursor.clone()))
            .unwrap_or_else(|| first.ok().and_then(|p| p.next_cursor))
    };
    let load_more = move || {
        let Some(cursor) = next_cursor() else { return };
        let asked = query.get_untracked();
        let mut q = asked.clone();
        q.cursor = Some(cursor);
        more.set(More::Loading);
        spawn_local(async move {
            let answer = client::documents(q).json().await;
            // Filters changed while this page was on its way: it belongs to another list.
            if query.try_get_untracked().as_ref() != Some(&asked) {
                return;
            }
            match answer {
                Ok(page) => {
                    later.update(|pages| pages.push(page));
                    more.set(More::Idle);
                    crate::browser::announce(i18n.t_untracked().loaded);
                }
                Err(_) => more.set(More::Failed),
            }
        });
    };
    let meta = use_meta().0;
    let meta = Signal::derive(move || meta.get().and_then(Result::ok));
    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading">{t!(i18n, title_documents)}</h1>
            <p class="c-lead">{t!(i18n, docs_intro)}</p>
            <DocumentFilters query meta rejected i18n/>
            {move || match first.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(ApiFailure::Server { status: 400, .. })) => view! {
                    <p class="c-state c-state--error" role="alert">{t!(i18n, board_bad_filter)}</p>
                }.into_any(),
                Some(Err(failure)) => view! {
                    <LoadError failure on_retry=Callback::new(move |()| first.refetch())/>
                }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <Empty message=Signal::derive(move || i18n.t().docs_empty)/>
                }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="c-list c-documents" aria-label=move || i18n.t().title_documents>
                        {page.items.into_iter().map(|item| view! { <DocumentItem item meta i18n/> }).collect_view()}
                        {move || later.get().into_iter().flat_map(|p| p.items).map(|item| view! { <DocumentItem item meta i18n/> }).collect_view()}
                    </ul>
                    {move || match more.get() {
                        More::Failed => Some(view! {
                            <LoadError failure=ApiFailure::Network on_retry=Callback::new(move |()| load_more())/>
                        }.into_any()),
                        More::Loading => Some(view! { <Loading/> }.into_any()),
                        More::Idle => next_cursor().map(|_| view! {
                            <button type="button" class="c-button c-button--secondary" on:click=move |_| load_more()>
                                {t!(i18n, board_more)}
                            </button>
                        }.into_any()),
                    }}
                }.into_any(),
            }}
        </div>
    }
}

/// A document in the catalogue: its title (search terms marked), number, agency, date,
/// validity and type, and where a search matched its body.
#[component]
fn DocumentItem(item: DocumentSummary, meta: Signal<Option<Meta>>, i18n: I18n) -> impl IntoView {
    let href = AppRoute::Document(item.id).path();
    let highlight = item.highlight.clone().unwrap_or_default();
    let agency = item.agency.clone();
    let issued = item.issued_on.clone();
    let validity = item.validity;
    let doc_type = item.doc_type;
    let excerpt = highlight.excerpt.clone();
    let excerpt_marks = highlight.excerpt_marks.clone();
    view! {
        <li class="c-card">
            <a class="c-card__title" href=href lang=item.language.tag()>{marked(&item.title, &highlight.title)}</a>
            <p class="c-card__meta">
                {(validity != Validity::Effective).then(|| view! {
                    <span class=format!("c-tag c-tag--{}", validity.code())>{move || validity_name(i18n.t(), validity)}</span>
                })}
                <span class="c-tag">{move || type_name(i18n.t(), doc_type)}</span>
                {item.number.clone().map(|n| view! { <span>{n}</span> })}
                <span>{move || taxon_name(&meta.get(), Taxon::Department, &agency, i18n.locale().tag())}</span>
                <span>{move || format_date(i18n.t(), &issued, false)}</span>
            </p>
            {excerpt.map(|text| view! { <p class="c-card__excerpt" lang=item.language.tag()>{marked(&text, &excerpt_marks)}</p> })}
        </li>
    }
}

/// The search box and filters; applying them puts them in the URL (a new history entry).
#[component]
fn DocumentFilters(
    query: Memo<DocumentListQuery>,
    meta: Signal<Option<Meta>>,
    rejected: Signal<FieldErrors>,
    i18n: I18n,
) -> impl IntoView {
    let navigate = use_navigate();
    let draft = RwSignal::new(Vec::<(&'static str, String)>::new());
    // The form shows what the URL says, including after the back button.
    Effect::new(move |_| {
        let q = query.get();
        draft.set(
            FILTERS
                .iter()
                .map(|name| (*name, value_of(&q, name).unwrap_or_default()))
                .collect(),
        );
    });
    let value = move |name: &'static str| {
        Signal::derive(move || {
            draft.with(|d| {
                d.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
        })
    };
    let set = move |name: &'static str| {
        Callback::new(move |v: String| {
            draft.update(|d| match d.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = v,
                None => d.push((name, v)),
            })
        })
    };
    let error = move |name: &'static str| {
        Signal::derive(move || {
            rejected.with(|e| {
                e.get(name)
                    .first()
                    .map(|fe| field_error_text(i18n.t(), name, fe))
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pairs: Vec<(&str, Option<String>)> = draft.with_untracked(|d| {
            FILTERS
                .iter()
                .map(|name| {
                    let v = d
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.trim().to_owned())
                        .filter(|v| !v.is_empty());
                    (*name, v)
                })
                .collect()
        });
        navigate(
            &with_query(&AppRoute::Documents.path(), &pairs),
            Default::default(),
        );
    };
    let filtered = query.with_untracked(|q| FILTERS[1..].iter().any(|n| value_of(q, n).is_some()));
    let searched =
        Memo::new(move |_| query.with(|q| FILTERS.iter().any(|n| value_of(q, n).is_some())));
    let tag = move || i18n.locale().tag();
    let topics = Signal::derive(move || {
        meta.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.categories
                        .iter()
                        .filter(|c| c.parent.is_none())
                        .map(|c| Choice::Option(c.code.clone(), c.name.get(tag()).to_owned()))
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let agencies = Signal::derive(move || {
        meta.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.departments
                        .iter()
                        .map(|d| Choice::Option(d.code.clone(), d.name.get(tag()).to_owned()))
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let types = Signal::derive(move || {
        DocumentType::ALL
            .iter()
            .map(|d| Choice::Option(d.code().to_owned(), type_name(i18n.t(), *d).to_owned()))
            .collect::<Vec<_>>()
    });
    let validities = Signal::derive(move || {
        Validity::ALL
            .iter()
            .map(|v| Choice::Option(v.code().to_owned(), validity_name(i18n.t(), *v).to_owned()))
            .collect::<Vec<_>>()
    });
    view! {
        <form class="c-filters c-board__filters" role="search" on:submit=submit novalidate>
            <TextField field="q" label=t!(i18n, docs_search) hint=t!(i18n, docs_search_hint)
                input_type="search" value=value("q") on_input=set("q") error=error("q")/>
            <details class="c-disclosure" open=filtered>
                <summary>{t!(i18n, board_filters)}</summary>
                <SelectField field="topic" label=t!(i18n, docs_topic) placeholder=t!(i18n, board_all)
                    value=value("topic") on_change=set("topic") choices=topics error=error("topic")/>
                <SelectField field="agency" label=t!(i18n, docs_agency) placeholder=t!(i18n, board_all)
                    value=value("agency") on_change=set("agency") choices=agencies error=error("agency")/>
                <SelectField field="doc_type" label=t!(i18n, docs_type) placeholder=t!(i18n, board_all)
                    value=value("doc_type") on_change=set("doc_type") choices=types error=error("doc_type")/>
                <TextField field="year" label=t!(i18n, docs_year) input_type="number"
                    value=value("year") on_input=set("year") error=error("year")/>
                <SelectField field="validity" label=t!(i18n, docs_validity) placeholder=t!(i18n, board_all)
                    value=value("validity") on_change=set("validity") choices=validities error=error("validity")/>
            </details>
            <div class="c-filters__actions">
                <button type="submit" class="c-button">{t!(i18n, docs_apply)}</button>
                // Only when there is something to clear.
                {move || searched.get().then(|| view! {
                    <a class="c-link" href=AppRoute::Documents.path()>{t!(i18n, board_clear)}</a>
                })}
            </div>
        </form>
    }
}

/// A link to another document, named by its title once loaded.
#[component]
fn DocumentLink(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let linked = Remote::quiet(move || client::document(id));
    view! {
        <a href=AppRoute::Document(id).path()>
            {move || match linked.ok() {
                Some(doc) => doc.summary.title,
                None => crate::components::form::fill(i18n.t().doc_link_fallback, id),
            }}
        </a>
    }
}

/// A document's page.
#[component]
pub fn DocumentPage(
    /// The document's id, from the path.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let document = Remote::new(move || client::document(id));
    use_page_title(move || match document.ok() {
        Some(doc) => doc.summary.title,
        None => i18n.t().title_document.to_owned(),
    });
    let meta = use_meta().0;
    let meta = Signal::derive(move || meta.get().and_then(Result::ok));
    view! {
        <div class="l-container l-page">
            <a class="c-back-link" href=AppRoute::Documents.path()>{t!(i18n, doc_back)}</a>
            // One heading for the page's whole life (the title once loaded), so the focus a
            // navigation put on it stays there when the document arrives.
            <h1 class="c-page-heading" lang=move || document.ok().map(|d| d.summary.language.tag())>
                {move || document.ok().map(|d| d.summary.title).unwrap_or_else(|| i18n.t().title_document.to_owned())}
            </h1>
            {move || match document.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(failure)) if failure.is_not_found() => view! {
                    <p class="c-state">{t!(i18n, doc_not_found)}</p>
                }.into_any(),
                Some(Err(failure)) => view! {
                    <LoadError failure on_retry=Callback::new(move |()| document.refetch())/>
                }.into_any(),
                Some(Ok(doc)) => view! { <DocumentView doc meta i18n/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn DocumentView(doc: Document, meta: Signal<Option<Meta>>, i18n: I18n) -> impl IntoView {
    let s = doc.summary.clone();
    let tag = move || i18n.locale().tag();
    let validity = s.validity;
    let doc_type = s.doc_type;
    let (agency, topic) = (s.agency.clone(), s.topic.clone());
    let (issued, published, effective) = (
        s.issued_on.clone(),
        s.published_on.clone(),
        doc.effective_on.clone(),
    );
    let date = move |day: String| move || format_date(i18n.t(), &day, false);
    let notice = (validity != Validity::Effective).then(|| {
        let text = move || match validity {
            Validity::Repealed => i18n.t().doc_repealed_note,
            _ => i18n.t().doc_amended_note,
        };
        view! {
            <div class=format!("c-panel c-validity c-validity--{}", validity.code()) role="note">
                <p><strong>{move || validity_name(i18n.t(), validity)}</strong>" "{text}</p>
                {doc.replaced_by.map(|newer| view! {
                    <p>{t!(i18n, doc_replaced_by)}" "<DocumentLink id=newer/></p>
                })}
            </div>
        }
    });
    view! {
        <article class="c-document" lang=s.language.tag()>
            {notice}
            <dl class="c-facts" lang=move || i18n.locale().tag()>
                {s.number.clone().map(|n| view! {
                    <div class="c-facts__row"><dt>{t!(i18n, doc_number)}</dt><dd>{n}</dd></div>
                })}
                <div class="c-facts__row"><dt>{t!(i18n, docs_agency)}</dt><dd>{move || taxon_name(&meta.get(), Taxon::Department, &agency, tag())}</dd></div>
                <div class="c-facts__row"><dt>{t!(i18n, docs_type)}</dt><dd>{move || type_name(i18n.t(), doc_type)}</dd></div>
                <div class="c-facts__row"><dt>{t!(i18n, docs_topic)}</dt><dd>{move || taxon_name(&meta.get(), Taxon::Category, &topic, tag())}</dd></div>
                <div class="c-facts__row"><dt>{t!(i18n, doc_issued)}</dt><dd>{date(issued)}</dd></div>
                <div class="c-facts__row"><dt>{t!(i18n, doc_published)}</dt><dd>{date(published)}</dd></div>
                {effective.map(|day| view! {
                    <div class="c-facts__row"><dt>{t!(i18n, doc_effective)}</dt><dd>{date(day)}</dd></div>
                })}
                <div class="c-facts__row"><dt>{t!(i18n, docs_validity)}</dt><dd>{move || validity_name(i18n.t(), validity)}</dd></div>
            </dl>
            {doc.interprets.map(|target| view! {
                <p class="c-panel" lang=move || i18n.locale().tag()>{t!(i18n, doc_interprets)}" "<DocumentLink id=target/></p>
            })}
            <Blocks blocks=doc.body.clone() language=s.language/>
            {(!doc.attachments.is_empty()).then(|| view! {
                <section class="c-section" aria-labelledby="doc-attachments" lang=move || i18n.locale().tag()>
                    <h2 class="c-section__heading" id="doc-attachments">{t!(i18n, doc_attachments)}</h2>
                    <ul class="c-list">
                        {doc.attachments.iter().map(|a| {
                            let kind = attachment_kind(&a.media_type);
                            let size = format!("{:.0} KB", (a.bytes as f64 / 1024.0).max(1.0));
                            view! {
                                <li class="c-card">
                                    <a class="c-card__title" href=a.url.clone() download>{a.name.clone()}</a>
                                    <p class="c-card__meta"><span class="c-tag">{kind}</span><span>{size}</span></p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!doc.interpretations.is_empty()).then(|| view! {
                <section class="c-section" aria-labelledby="doc-interpretations" lang=move || i18n.locale().tag()>
                    <h2 class="c-section__heading" id="doc-interpretations">{t!(i18n, doc_interpretations)}</h2>
                    <ul class="c-list">
                        {doc.interpretations.iter().map(|id| view! { <li><DocumentLink id=*id/></li> }).collect_view()}
                    </ul>
                </section>
            })}
            {(!doc.replaces.is_empty()).then(|| view! {
                <section class="c-section" aria-labelledby="doc-replaces" lang=move || i18n.locale().tag()>
                    <h2 class="c-section__heading" id="doc-replaces">{t!(i18n, doc_replaces)}</h2>
                    <ul class="c-list">
                        {doc.replaces.iter().map(|id| view! { <li><DocumentLink id=*id/></li> }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}

/// The short name of an attachment's type (PDF, DOCX, XLSX, CSV).
fn attachment_kind(media_type: &str) -> &'static str {
    api::ATTACHMENT_TYPES
        .iter()
        .find(|(media, _)| *media == media_type)
        .map(|(_, ext)| match *ext {
            "pdf" => "PDF",
            "docx" => "DOCX",
            "xlsx" => "XLSX",
            _ => "CSV",
        })
        .unwrap_or("FILE")
}
