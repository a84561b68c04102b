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

const WIDTH: u64 = 320;
const ROW: u64 = 44;

fn n(value: u64) -> String {
    value.to_string()
}

/// Horizontal bars, each labelled above and valued at its end; fits a 320 px phone.
/// `max` is the value of a full-width bar.
pub fn bar_chart(m: &mut Markup, title: &str, bars: &[Bar], max: u64) {
    let height = ROW * bars.len() as u64 + 4;
    let max = max.max(1);
    m.open("figure", &[("class", "c-chart")])
        .leaf("figcaption", &[("class", "c-chart__title")], title)
        .open(
            "svg",
            &[
                ("viewBox", &format!("0 0 {WIDTH} {height}")),
                ("width", "100%"),
                ("aria-hidden", "true"),
                ("focusable", "false"),
            ],
        );
    for (i, bar) in bars.iter().enumerate() {
        let y = ROW * i as u64;
        let length = (bar.value.min(max) * (WIDTH - 70)) / max;
        m.leaf(
            "text",
            &[("x", "0"), ("y", &n(y + 14)), ("class", "c-chart__label")],
            &bar.label,
        )
        .empty(
            "rect",
            &[
                ("x", "0"),
                ("y", &n(y + 20)),
                ("width", &n(length.max(1))),
                ("height", "16"),
                ("class", "c-chart__bar"),
            ],
        )
        .leaf(
            "text",
            &[
                ("x", &n(length + 6)),
                ("y", &n(y + 33)),
                ("class", "c-chart__value"),
            ],
            &bar.text,
        );
    }
    m.close("svg").close("figure");
}

/// One line of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its name, shown in the legend.
    pub name: String,
    /// One value per point on the x axis.
    pub values: Vec<u64>,
}

const LEFT: u64 = 44;
const TOP: u64 = 10;
const PLOT_WIDTH: u64 = 266;
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
/// is solid with round marks, the others dashed with square marks.
pub fn line_chart(m: &mut Markup, title: &str, points: &[String], series: &[Series]) {
    let top = axis_top(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .max()
            .unwrap_or(0),
    );
    let count = points.len().max(2) as u64;
    let x = |i: usize| LEFT + (i as u64 * PLOT_WIDTH) / (count - 1);
    let y = |v: u64| TOP + PLOT_HEIGHT - (v.min(top) * PLOT_HEIGHT) / top;
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
    m.close("ul").open(
        "svg",
        &[
            ("viewBox", "0 0 320 186"),
            ("width", "100%"),
            ("aria-hidden", "true"),
            ("focusable", "false"),
        ],
    );
    for v in [0, top / 2, top] {
        m.empty(
            "line",
            &[
                ("x1", &n(LEFT)),
                ("x2", &n(LEFT + PLOT_WIDTH)),
                ("y1", &n(y(v))),
                ("y2", &n(y(v))),
                ("class", "c-chart__grid"),
            ],
        )
        .leaf(
            "text",
            &[
                ("x", &n(LEFT - 4)),
                ("y", &n(y(v) + 4)),
                ("class", "c-chart__axis"),
                ("text-anchor", "end"),
            ],
            &n(v),
        );
    }
    for (i, label) in points.iter().enumerate() {
        // Every other month on a phone's width, so labels never overlap.
        if i % 2 == 1 || points.len() <= 6 {
            m.leaf(
                "text",
                &[
                    ("x", &n(x(i))),
                    ("y", &n(TOP + PLOT_HEIGHT + 16)),
                    ("class", "c-chart__axis"),
                    ("text-anchor", "middle"),
                ],
                label,
            );
        }
    }
    for (k, s) in series.iter().enumerate() {
        let path: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{},{}", x(i), y(*v)))
            .collect();
        let class = if k == 0 {
            "c-chart__line"
        } else {
            "c-chart__line c-chart__line--alt"
        };
        m.empty(
            "polyline",
            &[
                ("points", &path.join(" ")),
                ("class", class),
                ("fill", "none"),
            ],
        );
        for (i, v) in s.values.iter().enumerate() {
            if k == 0 {
                m.empty(
                    "circle",
                    &[
                        ("cx", &n(x(i))),
                        ("cy", &n(y(*v))),
                        ("r", "3"),
                        ("class", "c-chart__mark"),
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
                        ("class", "c-chart__mark c-chart__mark--alt"),
                    ],
                );
            }
        }
    }
    m.close("svg").close("figure");
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

    #[test]
    fn a_line_chart_has_a_mark_per_point_and_series_told_apart_by_shape() {
        let mut m = Markup::new();
        let points: Vec<String> = (1..=12).map(|i| format!("{i:02}")).collect();
        line_chart(
            &mut m,
            "趋势",
            &points,
            &[
                Series {
                    name: "收到".into(),
                    values: (0..12).collect(),
                },
                Series {
                    name: "答复".into(),
                    values: (0..12).rev().collect(),
                },
            ],
        );
        let svg = m.into_string();
        assert_eq!(svg.matches("<circle").count(), 12);
        assert_eq!(svg.matches("<rect").count(), 12);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("c-chart__key--alt\">答复"));
    }

    #[test]
    fn a_bar_is_as_long_as_its_share_of_the_maximum() {
        let mut m = Markup::new();
        let bar = |value| Bar {
            label: "部门<&>".into(),
            value,
            text: String::new(),
        };
        bar_chart(&mut m, "t", &[bar(1000), bar(500)], 1000);
        let svg = m.into_string();
        assert!(svg.contains("width=\"250\""), "{svg}");
        assert!(svg.contains("width=\"125\""), "{svg}");
        assert!(svg.contains("部门&lt;&amp;&gt;"));
    }
}
