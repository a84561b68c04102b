//! Charts drawn as SVG by the app itself (no chart library): horizontal bars and lines.
//! Each is a `<figure>` with a caption; its numbers are also given as a table (for screen
//! readers and for copying), and series differ by shape and label as well as colour, so the
//! charts hold in high contrast and for colour-blind readers. Charts are read-only, so they
//! are written as escaped markup (see `crate::markup`).

use crate::markup::Markup;

/// `per_mille` as a percentage with one decimal ("75.0%"), or a dash.
pub fn percent(per_mille: Option<u32>) -> String {
    match per_mille {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "–".to_owned(),
    }
}

/// Tenths as a decimal ("2.3"), or a dash.
pub fn tenths(value: Option<u32>) -> String {
    match value {
        Some(v) => format!("{}.{}", v / 10, v % 10),
        None => "–".to_owned(),
    }
}

/// One bar: its label, its length on the chart's scale, and the text printed beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What the bar stands for.
    pub label: String,
    /// Its value, on the chart's scale.
    pub value: u64,
    /// The value as read.
    pub text: String,
}

fn n(value: u64) -> String {
    value.to_string()
}

/// Horizontal bars, each with its label and value as text of the page (so they follow the
/// reader's text size and wrap) and the bar itself drawn to scale under them. `max` is the
/// value of a full-width bar.
pub fn bar_chart(m: &mut Markup, title: &str, bars: &[Bar], max: u64) {
    const SCALE: u64 = 1000;
    let max = max.max(1);
    // The figures are in the table that follows: the chart is for the eye only.
    m.open("figure", &[("class", "c-chart")])
        .leaf("figcaption", &[("class", "c-chart__title")], title)
        .open("ul", &[("class", "c-bars"), ("aria-hidden", "true")]);
    for bar in bars {
        let length = (bar.value.min(max) * SCALE) / max;
        m.open("li", &[("class", "c-bars__row")])
            .leaf("span", &[("class", "c-bars__label")], &bar.label)
            .leaf("span", &[("class", "c-bars__value")], &bar.text)
            .open(
                "svg",
                &[
                    ("class", "c-bars__bar"),
                    ("viewBox", &format!("0 0 {SCALE} 10")),
                    ("preserveAspectRatio", "none"),
                    ("focusable", "false"),
                ],
            )
            .empty(
                "rect",
                &[
                    ("width", &n(length.max(2))),
                    ("height", "10"),
                    ("class", "c-chart__bar"),
                ],
            )
            .close("svg")
            .close("li");
    }
    m.close("ul").close("figure");
}

/// One line of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its name, shown in the legend.
    pub name: String,
    /// One value per point on the x axis.
    pub values: Vec<u64>,
}

/// A point on a line chart's x axis: its label, the year written under it where a year
/// begins, its place in the year, and whether its value is only partly counted (drawn
/// hollow, joined dotted).
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// The label (a month's name).
    pub label: String,
    /// A second line (the year), where the axis enters a year.
    pub year: Option<String>,
    /// Its place in the cycle the labels follow (a month's number from 0): when only every
    /// second, third or sixth label fits, those kept are the ones whose phase that divides,
    /// so January is always labelled and the labels stay evenly spaced.
    pub phase: usize,
    /// The value is counted only in part (the month is not over).
    pub partial: bool,
}

impl Tick {
    /// The classes saying at which spacings the label is kept (see `style/main.css`).
    fn class(&self) -> String {
        let mut class = String::from("c-chart__tick");
        for step in [2, 3, 6] {
            if self.phase.is_multiple_of(step) {
                class.push_str(&format!(" c-chart__tick--{step}"));
            }
        }
        class
    }
}

const PLOT_WIDTH: u64 = 300;
const PLOT_HEIGHT: u64 = 150;

/// A round top for an axis: 1, 2 or 5 times a power of ten, at least `top`.
pub fn axis_top(top: u64) -> u64 {
    let top = top.max(1);
    let mut step = 1;
    while step * 10 < top {
        step *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|k| k * step)
        .find(|v| *v >= top)
        .unwrap_or(top)
}

/// Lines over labelled points (months), with a y axis from 0 and a legend. The first series
/// is solid with round marks, the others dashed with square marks. The lines are drawn in
/// SVG; every word and number around them is text of the page, laid out by CSS, so it grows
/// with the reader's text size (and elderly mode) without overlapping: the CSS shows fewer
/// month labels when fewer fit.
pub fn line_chart(m: &mut Markup, title: &str, ticks: &[Tick], series: &[Series]) {
    let top = axis_top(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .max()
            .unwrap_or(0),
    );
    let count = ticks.len().max(1) as u64;
    // Each point sits in the middle of its share of the width, as its label does below.
    let x = |i: usize| ((2 * i as u64 + 1) * PLOT_WIDTH) / (2 * count);
    let y = |v: u64| PLOT_HEIGHT - (v.min(top) * PLOT_HEIGHT) / top;
    m.open("figure", &[("class", "c-chart")])
        .leaf("figcaption", &[("class", "c-chart__title")], title)
        .open("ul", &[("class", "c-chart__legend")]);
    for (k, s) in series.iter().enumerate() {
        let class = if k == 0 {
            "c-chart__key"
        } else {
            "c-chart__key c-chart__key--alt"
        };
        m.leaf("li", &[("class", class)], &s.name);
    }
    m.close("ul")
        .open(
            "div",
            &[("class", "c-chart__plot"), ("aria-hidden", "true")],
        )
        .open("ol", &[("class", "c-chart__y")]);
    for v in [top, top / 2, 0] {
        m.leaf("li", &[], &n(v));
    }
    m.close("ol").open(
        "svg",
        &[
            ("class", "c-chart__lines"),
            ("viewBox", &format!("0 0 {PLOT_WIDTH} {PLOT_HEIGHT}")),
            ("focusable", "false"),
        ],
    );
    for v in [0, top / 2, top] {
        m.empty(
            "line",
            &[
                ("x1", "0"),
                ("x2", &n(PLOT_WIDTH)),
                ("y1", &n(y(v))),
                ("y2", &n(y(v))),
                ("class", "c-chart__grid"),
            ],
        );
    }
    let partial = |i: usize| ticks.get(i).is_some_and(|t| t.partial);
    for (k, s) in series.iter().enumerate() {
        let alt = if k == 0 { "" } else { " c-chart__line--alt" };
        // The line through whole months, then a dotted step to each partly counted one.
        let solid: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .filter(|(i, _)| !partial(*i))
            .map(|(i, v)| format!("{},{}", x(i), y(*v)))
            .collect();
        m.empty(
            "polyline",
            &[
                ("points", &solid.join(" ")),
                ("class", &format!("c-chart__line{alt}")),
                ("fill", "none"),
            ],
        );
        for (i, v) in s.values.iter().enumerate().filter(|(i, _)| partial(*i)) {
            if let Some(before) = i.checked_sub(1).and_then(|b| s.values.get(b)) {
                m.empty(
                    "line",
                    &[
                        ("x1", &n(x(i - 1))),
                        ("y1", &n(y(*before))),
                        ("x2", &n(x(i))),
                        ("y2", &n(y(*v))),
                        (
                            "class",
                            &format!("c-chart__line{alt} c-chart__line--partial"),
                        ),
                    ],
                );
            }
        }
        for (i, v) in s.values.iter().enumerate() {
            let hollow = if partial(i) {
                " c-chart__mark--partial"
            } else {
                ""
            };
            if k == 0 {
                m.empty(
                    "circle",
                    &[
                        ("cx", &n(x(i))),
                        ("cy", &n(y(*v))),
                        ("r", "3.5"),
                        ("class", &format!("c-chart__mark{hollow}")),
                    ],
                );
            } else {
                m.empty(
                    "rect",
                    &[
                        ("x", &n(x(i) - 3)),
                        ("y", &n(y(*v) - 3)),
                        ("width", "6"),
                        ("height", "6"),
                        (
                            "class",
                            &format!("c-chart__mark c-chart__mark--alt{hollow}"),
                        ),
                    ],
                );
            }
        }
    }
    m.close("svg").open("ol", &[("class", "c-chart__x")]);
    for tick in ticks {
        m.open("li", &[("class", &tick.class())])
            .leaf("span", &[], &tick.label);
        if let Some(year) = &tick.year {
            m.leaf("span", &[("class", "c-chart__year")], year);
        }
        m.close("li");
    }
    m.close("ol").close("div").close("figure");
}

/// A table: column headings, then rows whose first cell heads the row. A cell may carry a
/// link (`href`) and a note under its text.
pub struct Cell<'a> {
    /// The text.
    pub text: String,
    /// A link target for the text.
    pub href: Option<String>,
    /// A note shown under the text.
    pub note: Option<&'a str>,
}

impl From<String> for Cell<'_> {
    fn from(text: String) -> Self {
        Self {
            text,
            href: None,
            note: None,
        }
    }
}

/// Writes a scrollable table with `caption` (visually hidden), `head` and `rows`.
pub fn table(m: &mut Markup, caption: &str, head: &[&str], rows: Vec<Vec<Cell<'_>>>) {
    // Focusable, so a keyboard can scroll a wide table; the caption names the table.
    m.open("div", &[("class", "c-table-wrap"), ("tabindex", "0")])
        .open("table", &[("class", "c-table")])
        .leaf("caption", &[("class", "u-visually-hidden")], caption)
        .open("thead", &[])
        .open("tr", &[]);
    for h in head {
        m.leaf("th", &[("scope", "col")], h);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    for row in rows {
        m.open("tr", &[]);
        for (i, cell) in row.into_iter().enumerate() {
            let tag = if i == 0 { "th" } else { "td" };
            if i == 0 {
                m.open(tag, &[("scope", "row")]);
            } else {
                m.open(tag, &[]);
            }
            match &cell.href {
                Some(href) => m.leaf("a", &[("href", href)], &cell.text),
                None => m.text(&cell.text),
            };
            if let Some(note) = cell.note {
                m.empty("br", &[]).leaf("small", &[], note);
            }
            m.close(tag);
        }
        m.close("tr");
    }
    m.close("tbody").close("table").close("div");
}

/// A chart's numbers as a table, behind a "show as a table" disclosure.
pub fn chart_table(
    m: &mut Markup,
    summary: &str,
    caption: &str,
    head: &[&str],
    rows: Vec<Vec<Cell<'_>>>,
) {
    m.open("details", &[("class", "c-chart__data")])
        .leaf("summary", &[], summary);
    table(m, caption, head, rows);
    m.close("details");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_without_floating_point() {
        assert_eq!(percent(Some(750)), "75.0%");
        assert_eq!(percent(Some(1000)), "100.0%");
        assert_eq!(percent(Some(7)), "0.7%");
        assert_eq!(percent(None), "–");
        assert_eq!(tenths(Some(23)), "2.3");
    }

    #[test]
    fn axes_end_on_a_round_number_above_the_data() {
        assert_eq!(axis_top(0), 1);
        assert_eq!(axis_top(7), 10);
        assert_eq!(axis_top(13), 20);
        assert_eq!(axis_top(480), 500);
        assert_eq!(axis_top(501), 1000);
        assert_eq!(axis_top(30_000), 50_000);
    }

    fn ticks(partial_last: bool) -> Vec<Tick> {
        (1..=12)
            .map(|i| Tick {
                label: format!("{i}月"),
                year: (i == 1).then(|| "2026".to_owned()),
                phase: i - 1,
                partial: partial_last && i == 12,
            })
            .collect()
    }

    fn two_series() -> [Series; 2] {
        [
            Series {
                name: "收到".into(),
                values: (0..12).collect(),
            },
            Series {
                name: "答复".into(),
                values: (0..12).rev().collect(),
            },
        ]
    }

    #[test]
    fn a_line_chart_has_a_mark_per_point_and_series_told_apart_by_shape() {
        let mut m = Markup::new();
        line_chart(&mut m, "趋势", &ticks(false), &two_series());
        let svg = m.into_string();
        assert_eq!(svg.matches("<circle").count(), 12);
        assert_eq!(svg.matches("<rect").count(), 12);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("c-chart__key--alt\">答复"));
        // Every label is text of the page, none is drawn inside the SVG.
        assert!(!svg.contains("<text"));
        assert_eq!(svg.matches("class=\"c-chart__tick").count(), 12);
        assert!(svg.contains(
            "<li class=\"c-chart__tick c-chart__tick--2 c-chart__tick--3 c-chart__tick--6\">\
             <span>1月</span><span class=\"c-chart__year\">2026</span></li>"
        ));
        // April is kept when every third label fits, not every second.
        assert!(svg.contains("<li class=\"c-chart__tick c-chart__tick--3\"><span>4月</span>"));
        assert!(svg.contains("<li class=\"c-chart__tick\"><span>2月</span>"));
        // The axis reads from the top: the round top above the data, half, zero.
        assert!(svg.contains("<ol class=\"c-chart__y\"><li>20</li><li>10</li><li>0</li></ol>"));
        assert!(!svg.contains("--partial"));
    }

    #[test]
    fn a_partly_counted_month_is_hollow_and_joined_dotted_not_drawn_as_a_drop() {
        let mut m = Markup::new();
        line_chart(&mut m, "趋势", &ticks(true), &two_series());
        let svg = m.into_string();
        // Both series: the last mark hollow, the step into it a separate dotted line, and
        // the solid lines stop at the last whole month.
        assert_eq!(svg.matches("c-chart__mark--partial").count(), 2);
        assert_eq!(svg.matches("c-chart__line--partial").count(), 2);
        let solid = svg.split("<polyline points=\"").nth(1).unwrap();
        let points = solid.split('"').next().unwrap();
        assert_eq!(points.split(' ').count(), 11, "{points}");
        // Still a mark for every month.
        assert_eq!(svg.matches("<circle").count(), 12);
    }

    #[test]
    fn a_bar_is_as_long_as_its_share_of_the_maximum() {
        let mut m = Markup::new();
        let bar = |value| Bar {
            label: "部门<&>".into(),
            value,
            text: "75.0%".into(),
        };
        bar_chart(&mut m, "t", &[bar(1000), bar(500), bar(0)], 1000);
        let html = m.into_string();
        assert!(html.contains("width=\"1000\""), "{html}");
        assert!(html.contains("width=\"500\""), "{html}");
        // An empty bar still shows as a sliver, so the row does not look broken.
        assert!(html.contains("width=\"2\""), "{html}");
        assert!(html.contains("<span class=\"c-bars__label\">部门&lt;&amp;&gt;</span>"));
        assert!(html.contains("<span class=\"c-bars__value\">75.0%</span>"));
        assert!(!html.contains("<text"));
    }
}
