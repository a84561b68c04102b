//! Public performance statistics: headline figures, the monthly trend, rankings of
//! departments and districts, and rising topics, for a period and optionally a district.
//! The filters live in the URL, so a view can be shared and the back button restores it.

use api::{FieldErrors, Meta, Period, RankRow, Stats, StatsQuery, Taxon, TrendMonth};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self as client, ApiFailure};
use crate::app::use_meta;
use crate::components::charts::{
    Bar, Cell, Series, Tick, bar_chart, chart_table, line_chart, percent, table, tenths,
};
use crate::components::form::{Choice, SelectField, TextField, field_error_text};
use crate::components::layout::use_page_title;
use crate::components::state::{LoadError, Loading};
use crate::components::taxon_name;
use crate::i18n::format_date;
use crate::i18n::{I18n, Strings, use_i18n};
use crate::markup::Markup;
use crate::remote::Remote;
use crate::routes::{AppRoute, with_query};
use crate::t;

fn period_name(t: &'static Strings, period: Period) -> &'static str {
    match period {
        Period::ThisMonth => t.stats_period_this_month,
        Period::LastMonth => t.stats_period_last_month,
        Period::Last12Months => t.stats_period_last_12_months,
        Period::Custom => t.stats_period_custom,
    }
}

/// The statistics page.
#[component]
pub fn StatisticsPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().title_stats.to_owned());
    let location = use_location();
    let query = Memo::new(move |_| {
        let q = location.query.get();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        StatsQuery {
            period: get("period"),
            from: get("from"),
            to: get("to"),
            district: get("district"),
        }
    });
    let stats = Remote::new(move || client::stats(&query.get()));
    let meta = use_meta().0;
    let meta = Signal::derive(move || meta.get().and_then(Result::ok));
    // A query the server refused (a day that does not exist, a reversed period) is shown
    // beside the fields, not as a failed page.
    let rejected = Signal::derive(move || match stats.get() {
        Some(Err(ApiFailure::Server {
            body: Some(body), ..
        })) => FieldErrors::from(body.fields),
        _ => FieldErrors::new(),
    });
    view! {
        <div class="l-container l-page">
            <h1 class="c-page-heading">{t!(i18n, title_stats)}</h1>
            <p>{t!(i18n, stats_intro)}</p>
            <StatsFilters query meta rejected/>
            {move || match stats.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(ApiFailure::Server { status: 400, .. })) => ().into_any(),
                Some(Err(failure)) => view! {
                    <LoadError failure on_retry=Callback::new(move |()| stats.refetch())/>
                }.into_any(),
                Some(Ok(s)) => view! { <StatsView s meta i18n/> }.into_any(),
            }}
        </div>
    }
}

/// Period and district, applied with a button (a choice never reloads the figures by
/// itself). The query is checked with the contract's rules first; the server's verdict on
/// the days (a date that does not exist, a reversed or too long period) shows the same way.
#[component]
fn StatsFilters(
    query: Memo<StatsQuery>,
    meta: Signal<Option<Meta>>,
    rejected: Signal<FieldErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let draft = RwSignal::new(StatsQuery::default());
    let checked = RwSignal::new(FieldErrors::new());
    // The form shows what the URL says, including after the back button.
    Effect::new(move |_| {
        draft.set(query.get());
        checked.set(FieldErrors::new());
    });
    let custom = move || draft.with(|q| q.period.as_deref() == Some(Period::Custom.code()));
    let error = move |field: &'static str| {
        Signal::derive(move || {
            let t = i18n.t();
            let own = checked.with(|e| e.get(field).first().map(|e| field_error_text(t, field, e)));
            own.or_else(|| {
                rejected.with(|e| e.get(field).first().map(|e| field_error_text(t, field, e)))
            })
        })
    };
    let set = move |edit: fn(&mut StatsQuery, String)| {
        Callback::new(move |value: String| draft.update(|q| edit(q, value)))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = draft.get();
        if !custom() {
            q.from = None;
            q.to = None;
        }
        let keep = |v: Option<String>| v.filter(|v| !v.is_empty());
        q = StatsQuery {
            period: keep(q.period),
            from: keep(q.from),
            to: keep(q.to),
            district: keep(q.district),
        };
        if let Err(errors) = q.validate() {
            checked.set(errors);
            return;
        }
        let path = with_query(
            &AppRoute::Statistics.path(),
            &[
                ("period", q.period),
                ("from", q.from),
                ("to", q.to),
                ("district", q.district),
            ],
        );
        navigate(&path, Default::default());
    };
    let periods = Signal::derive(move || {
        let t = i18n.t();
        // "This month" is the empty choice: the default, and absent from the URL.
        [Period::LastMonth, Period::Last12Months, Period::Custom]
            .into_iter()
            .map(|p| Choice::Option(p.code().to_owned(), period_name(t, p).to_owned()))
            .collect::<Vec<_>>()
    });
    let districts = Signal::derive(move || {
        let tag = i18n.locale().tag();
        meta.with(|m| {
            m.iter()
                .flat_map(|m| &m.districts)
                .map(|d| Choice::Option(d.code.clone(), d.name.get(tag).to_owned()))
                .collect::<Vec<_>>()
        })
    });
    let value = move |get: fn(&StatsQuery) -> &Option<String>| {
        Signal::derive(move || draft.with(|q| get(q).clone().unwrap_or_default()))
    };
    view! {
        <form class="c-filters" on:submit=submit novalidate>
            <SelectField field="period" label=t!(i18n, stats_period)
                placeholder=t!(i18n, stats_period_this_month)
                value=value(|q| &q.period) on_change=set(|q, v| q.period = Some(v))
                choices=periods error=error("period")/>
            {move || custom().then(|| view! {
                <TextField field="from" label=t!(i18n, stats_from) input_type="date"
                    value=value(|q| &q.from) on_input=set(|q, v| q.from = Some(v)) error=error("from")/>
                <TextField field="to" label=t!(i18n, stats_to) input_type="date"
                    value=value(|q| &q.to) on_input=set(|q, v| q.to = Some(v)) error=error("to")/>
            })}
            <SelectField field="district" label=t!(i18n, stats_district)
                placeholder=t!(i18n, stats_all_districts)
                value=value(|q| &q.district) on_change=set(|q, v| q.district = Some(v))
                choices=districts error=error("district")/>
            <button type="submit" class="c-button">{t!(i18n, stats_apply)}</button>
        </form>
    }
}

/// Everything under the filters, written as markup: read-only and redrawn as a whole when
/// the language changes (see `crate::markup` for why and how it stays safe).
#[component]
fn StatsView(s: Stats, meta: Signal<Option<Meta>>, i18n: I18n) -> impl IntoView {
    let html = move || meta.with(|meta| render(&s, meta, i18n.t(), i18n.locale().tag()));
    view! { <div inner_html=html></div> }
}

/// The trend's x axis: each month by its short name, and the year under every January and
/// under a July that comes before the first January (the caption names the whole range).
fn trend_ticks(t: &Strings, trend: &[TrendMonth]) -> Vec<Tick> {
    let mut seen_january = false;
    trend
        .iter()
        .map(|x| {
            let (year, month) = split_month(&x.month);
            let phase = month.saturating_sub(1);
            let first_year = !seen_january && phase.is_multiple_of(6);
            seen_january |= phase == 0;
            Tick {
                label: month_name(t, month).unwrap_or_else(|| x.month.clone()),
                year: first_year.then(|| t.stats_axis_year.replace("{n}", year)),
                phase,
                partial: x.partial,
            }
        })
        .collect()
}

/// `YYYY-MM` as the year and the month's number (0 when it is not a month).
fn split_month(code: &str) -> (&str, usize) {
    let (year, month) = code.split_once('-').unwrap_or((code, ""));
    (year, month.parse().unwrap_or(0))
}

/// A month's short name (1 is January), from the locale's list.
fn month_name(t: &Strings, month: usize) -> Option<String> {
    t.months
        .split(' ')
        .nth(month.checked_sub(1)?)
        .map(str::to_owned)
}

/// A month code (`YYYY-MM`) as read: "2026年1月", "Jan 2026".
fn month_and_year(t: &Strings, code: &str) -> String {
    let (year, month) = split_month(code);
    match month_name(t, month) {
        Some(name) => t
            .stats_month_year
            .replace("{year}", year)
            .replace("{month}", &name),
        None => code.to_owned(),
    }
}

fn render(s: &Stats, meta: &Option<Meta>, t: &'static Strings, tag: &str) -> String {
    let name = |taxon: Taxon, code: &str| taxon_name(meta, taxon, code, tag);
    let mut m = Markup::new();
    let place = match &s.district {
        Some(code) => name(Taxon::District, code),
        None => t.stats_all_districts.to_owned(),
    };
    m.leaf(
        "p",
        &[("class", "c-stats__period")],
        &format!(
            "{} – {} · {}",
            format_date(t, &s.from, false),
            format_date(t, &s.to, false),
            place
        ),
    );

    let f = &s.figures;
    m.open("section", &[("aria-labelledby", "stats-figures")])
        .leaf("h2", &[("id", "stats-figures")], t.stats_figures)
        .open("dl", &[("class", "c-figures")]);
    for (label, value) in [
        (t.stats_received, f.received.to_string()),
        (t.stats_accepted, f.accepted.to_string()),
        (t.stats_replied, f.replied.to_string()),
        (t.stats_closed, f.closed.to_string()),
        (t.stats_reply_rate, percent(f.reply_rate)),
        (t.stats_on_time_rate, percent(f.on_time_rate)),
        (t.stats_overdue_now, f.overdue_now.to_string()),
        (t.stats_days_avg, tenths(f.reply_days_avg_tenths)),
        (t.stats_days_median, tenths(f.reply_days_median_tenths)),
        (t.stats_satisfaction_rate, percent(f.satisfaction_rate)),
        (t.stats_reopened_rate, percent(f.reopened_rate)),
    ] {
        m.open("div", &[("class", "c-figure")])
            .leaf("dt", &[], label)
            .leaf("dd", &[], &value)
            .close("div");
    }
    m.close("dl")
        .open("details", &[("class", "c-definitions")])
        .leaf("summary", &[], t.stats_definitions)
        .leaf("p", &[], t.stats_def_scope)
        .open("dl", &[("class", "c-facts")]);
    for (term, definition) in [
        (t.stats_received, t.stats_def_received),
        (t.stats_accepted, t.stats_def_accepted),
        (t.stats_replied, t.stats_def_replied),
        (t.stats_closed, t.stats_def_closed),
        (t.stats_reply_rate, t.stats_def_reply_rate),
        (t.stats_on_time_rate, t.stats_def_on_time_rate),
        (t.stats_overdue_now, t.stats_def_overdue_now),
        (t.stats_days_avg, t.stats_def_days),
        (t.stats_satisfaction_rate, t.stats_def_satisfaction_rate),
        (t.stats_reopened_rate, t.stats_def_reopened_rate),
    ] {
        m.open("div", &[("class", "c-facts__row")])
            .leaf("dt", &[], term)
            .leaf("dd", &[], definition)
            .close("div");
    }
    m.close("dl").close("details").close("section");

    // The trend: a line chart and, behind a disclosure, the same numbers.
    m.open("section", &[("aria-labelledby", "stats-trend")])
        .leaf("h2", &[("id", "stats-trend")], t.stats_trend);
    let ticks = trend_ticks(t, &s.trend);
    let caption = match (s.trend.first(), s.trend.last()) {
        (Some(first), Some(last)) => t
            .stats_trend_caption
            .replace("{title}", t.stats_trend_chart)
            .replace("{from}", &month_and_year(t, &first.month))
            .replace("{to}", &month_and_year(t, &last.month)),
        _ => t.stats_trend_chart.to_owned(),
    };
    line_chart(
        &mut m,
        &caption,
        &ticks,
        &[
            Series {
                name: t.stats_received.to_owned(),
                values: s.trend.iter().map(|x| x.received).collect(),
            },
            Series {
                name: t.stats_replied.to_owned(),
                values: s.trend.iter().map(|x| x.replied).collect(),
            },
        ],
    );
    if s.trend.last().is_some_and(|x| x.partial) {
        m.leaf(
            "p",
            &[("class", "c-chart__note")],
            &t.stats_partial_month
                .replace("{date}", &format_date(t, &s.to, false)),
        );
    }
    let rows = s
        .trend
        .iter()
        .map(|x| {
            vec![
                Cell {
                    text: x.month.clone(),
                    href: None,
                    note: x.partial.then_some(t.stats_part_month),
                },
                x.received.to_string().into(),
                x.replied.to_string().into(),
                percent(x.on_time_rate).into(),
            ]
        })
        .collect();
    chart_table(
        &mut m,
        t.stats_show_table,
        t.stats_trend_chart,
        &[
            t.stats_month,
            t.stats_received,
            t.stats_replied,
            t.stats_on_time_rate,
        ],
        rows,
    );
    m.close("section");

    ranking(
        &mut m,
        t,
        "stats-departments",
        t.stats_departments,
        t.stats_department,
        "department",
        &s.departments,
        |code| name(Taxon::Department, code),
    );
    if !s.districts.is_empty() {
        ranking(
            &mut m,
            t,
            "stats-districts",
            t.stats_districts,
            t.stats_district,
            "district",
            &s.districts,
            |code| name(Taxon::District, code),
        );
    }

    // Rising categories only: the words the server counts are pieces of the search index
    // (two characters cut from longer words), not words a resident would recognise.
    m.open("section", &[("aria-labelledby", "stats-hot")])
        .leaf("h2", &[("id", "stats-hot")], t.stats_hot)
        .leaf("p", &[], t.stats_hot_intro);
    let topics = &s.hot_categories;
    if topics.is_empty() {
        m.leaf("p", &[], t.stats_hot_none);
    } else {
        m.open("ol", &[("class", "c-topics")]);
        for topic in topics {
            let label = name(Taxon::Category, &topic.key);
            let counts = t
                .stats_hot_counts
                .replace("{recent}", &topic.recent.to_string())
                .replace("{previous}", &topic.previous.to_string());
            m.open("li", &[])
                .leaf("strong", &[], &label)
                .text(" ")
                .leaf("span", &[], &counts)
                .close("li");
        }
        m.close("ol");
    }
    m.close("section");
    m.into_string()
}

/// A ranking: a bar chart of the ranked rows' on-time rates, and every row in a table whose
/// names link to the public board filtered to that department or district.
#[allow(clippy::too_many_arguments)]
fn ranking(
    m: &mut Markup,
    t: &'static Strings,
    id: &'static str,
    heading: &str,
    column: &str,
    filter: &str,
    rows: &[RankRow],
    name: impl Fn(&str) -> String,
) {
    m.open("section", &[("aria-labelledby", id)])
        .leaf("h2", &[("id", id)], heading)
        .leaf("p", &[], t.stats_ranking_note);
    let bars: Vec<Bar> = rows
        .iter()
        .filter(|r| r.ranked)
        .take(10)
        .map(|r| Bar {
            label: name(&r.code),
            value: u64::from(r.on_time_rate.unwrap_or(0)),
            text: percent(r.on_time_rate),
        })
        .collect();
    if !bars.is_empty() {
        bar_chart(m, t.stats_on_time_chart, &bars, 1000);
    }
    let lines = |ranked: bool| {
        rows.iter()
            .filter(|r| r.ranked == ranked)
            .map(|r| {
                vec![
                    Cell {
                        text: name(&r.code),
                        href: Some(with_query(
                            &AppRoute::Cases.path(),
                            &[(filter, Some(r.code.clone()))],
                        )),
                        note: (!r.ranked).then_some(t.stats_too_few),
                    },
                    r.replied.to_string().into(),
                    percent(r.on_time_rate).into(),
                    percent(r.satisfaction_rate).into(),
                ]
            })
            .collect::<Vec<_>>()
    };
    let columns = [
        column,
        t.stats_replied,
        t.stats_on_time_rate,
        t.stats_satisfaction_rate,
    ];
    let ranked = lines(true);
    if !ranked.is_empty() {
        table(m, heading, &columns, ranked);
    }
    // Those with too few cases to rank (often most of them in a quiet period) wait behind a
    // disclosure instead of filling screens with the same note.
    let unranked = lines(false);
    if !unranked.is_empty() {
        let summary = t.stats_unranked.replace("{n}", &unranked.len().to_string());
        m.open("details", &[("class", "c-disclosure")])
            .leaf("summary", &[], &summary);
        table(m, heading, &columns, unranked);
        m.close("details");
    }
    m.close("section");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Locale, strings};

    fn trend(first: (i32, usize), partial_last: bool) -> Vec<TrendMonth> {
        let (mut year, mut month) = first;
        (0..12)
            .map(|i| {
                let m = TrendMonth {
                    month: format!("{year:04}-{month:02}"),
                    received: 0,
                    replied: 0,
                    on_time_rate: None,
                    partial: partial_last && i == 11,
                };
                (year, month) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                m
            })
            .collect()
    }

    #[test]
    fn the_trend_axis_names_months_and_years_in_the_page_language() {
        let zh = strings(Locale::ZhCn);
        let en = strings(Locale::En);
        // (first month, language, the labels with a year under them, first and last label)
        for (first, t, years, ends) in [
            ((2026, 1), zh, vec![("1月", "2026年")], ("1月", "12月")),
            ((2025, 12), zh, vec![("1月", "2026年")], ("12月", "11月")),
            (
                (2025, 7),
                en,
                vec![("Jul", "2025"), ("Jan", "2026")],
                ("Jul", "Jun"),
            ),
            (
                (2025, 6),
                en,
                vec![("Jul", "2025"), ("Jan", "2026")],
                ("Jun", "May"),
            ),
        ] {
            let ticks = trend_ticks(t, &trend(first, true));
            let with_year: Vec<(&str, &str)> = ticks
                .iter()
                .filter_map(|k| Some((k.label.as_str(), k.year.as_deref()?)))
                .collect();
            assert_eq!(with_year, years, "{first:?}");
            assert_eq!((ticks[0].label.as_str(), ticks[11].label.as_str()), ends);
            // January's phase is 0, so it is kept at every spacing.
            assert!(
                ticks
                    .iter()
                    .all(|k| (k.phase == 0) == (k.label == "1月" || k.label == "Jan"))
            );
            assert!(ticks[11].partial && !ticks[10].partial);
        }
        assert_eq!(month_and_year(zh, "2025-12"), "2025年12月");
        assert_eq!(month_and_year(en, "2025-12"), "Dec 2025");
        assert_eq!(month_and_year(en, "bad"), "bad");
    }
}
