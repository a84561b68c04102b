//! Bodies arrive as HTML (from an editor or another system) and are stored as the contract's
//! restricted blocks: headings, paragraphs (whose stretches may link to an address
//! [`api::safe_href`] accepts), lists and tables of plain text. Nothing else survives: no other
//! tag or attribute, no style, script, frame, form or image, so whatever was sent, nothing
//! stored can run script or load a resource; and the app renders blocks as text, never as HTML.
//!
//! The HTML is parsed as a browser parses it (html5ever, through `scraper`): every named
//! character reference (`&ldquo;`, `&mdash;`, `&emsp;` …), implied end tags (`<p>一<p>二`,
//! `<li>`, `<td>`), misnested and unclosed elements; then the tree is read into blocks by a
//! builder that keeps only what the blocks can hold. Text is only ever text.

use api::{Block, Link};

/// Elements whose content is not text for a reader: dropped with everything inside. (Void
/// elements such as `img`, `embed` or `input` have no content: like every tag, they vanish.)
const DROPPED: &[&str] = &[
    "script", "style", "iframe", "frameset", "object", "noscript", "noembed", "template", "svg",
    "math", "textarea", "select", "title", "head", "xmp", "canvas", "audio", "video", "applet",
];

/// Elements that end the text before them and start a new paragraph.
const BREAKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "blockquote",
    "pre",
    "br",
    "hr",
    "table",
    "tr",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "address",
    "dl",
    "dt",
    "dd",
    "body",
    "html",
];

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    text: String,
    heading: bool,
    list: Option<(bool, Vec<String>)>,
    /// The links of the paragraph being read, and the one open now (its start and address).
    links: Vec<Link>,
    open_link: Option<(u32, String)>,
    table: Option<Table>,
}

/// A table being read: a first row of header cells only becomes its head.
#[derive(Default)]
struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    row_is_head: bool,
    in_cell: bool,
}

impl Builder {
    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                if !self.text.ends_with(' ') && !self.text.is_empty() {
                    self.text.push(' ');
                }
            } else {
                self.text.push(c);
            }
        }
    }

    fn chars(&self) -> u32 {
        self.text.chars().count() as u32
    }

    /// Ends the current run of text: an item in a list, else a heading or a paragraph (with
    /// its links; a heading or list item keeps only the text of its links).
    fn flush(&mut self) {
        let text = self.text.trim_end().to_owned();
        self.text.clear();
        let mut links = std::mem::take(&mut self.links);
        if text.is_empty() {
            return;
        }
        if let Some((_, items)) = &mut self.list {
            items.push(text);
        } else if self.heading {
            self.blocks.push(Block::Heading { text });
        } else {
            let length = text.chars().count() as u32;
            links.retain_mut(|link| {
                link.end = link.end.min(length);
                link.start < link.end
            });
            self.blocks.push(Block::Paragraph { text, links });
        }
    }

    fn in_cell(&self) -> bool {
        self.table.as_ref().is_some_and(|t| t.in_cell)
    }

    /// Ends the cell being read, if any: its text becomes the row's next cell.
    fn end_cell(&mut self) {
        let text = self.text.trim().to_owned();
        if let Some(table) = &mut self.table
            && table.in_cell
        {
            table.row.push(text);
            table.in_cell = false;
            self.text.clear();
            self.links.clear();
        }
    }

    /// Ends the row being read, if it has cells.
    fn end_row(&mut self) {
        self.end_cell();
        if let Some(table) = &mut self.table
            && !table.row.is_empty()
        {
            let row = std::mem::take(&mut table.row);
            if table.row_is_head && table.head.is_empty() && table.rows.is_empty() {
                table.head = row;
            } else {
                table.rows.push(row);
            }
            table.row_is_head = true;
        }
    }

    /// The start or end of a link: only a link to an address `safe_href` accepts is kept,
    /// and only in a paragraph; its text stays either way.
    fn link(&mut self, closing: bool, href: Option<&str>) {
        if closing {
            if let Some((start, href)) = self.open_link.take() {
                let end = self.chars();
                if end > start {
                    self.links.push(Link { start, end, href });
                }
            }
        } else {
            self.open_link = href
                .and_then(|href| api::safe_href(href).map(str::to_owned))
                .filter(|_| !self.heading && self.list.is_none() && self.table.is_none())
                .map(|href| (self.chars(), href));
        }
    }

    fn tag(&mut self, name: &str, closing: bool, href: Option<&str>) {
        match name {
            "a" => self.link(closing, href),
            "table" if !closing => {
                if self.table.is_none() {
                    self.flush();
                    self.table = Some(Table {
                        row_is_head: true,
                        ..Table::default()
                    });
                }
            }
            "table" => {
                self.end_row();
                if let Some(table) = self.table.take()
                    && !(table.head.is_empty() && table.rows.is_empty())
                {
                    self.blocks.push(Block::Table {
                        head: table.head,
                        rows: table.rows,
                    });
                }
            }
            "tr" if self.table.is_some() => self.end_row(),
            "td" | "th" if self.table.is_some() => {
                self.end_cell();
                if !closing {
                    // Text before the first cell (a caption) is a paragraph of its own.
                    self.flush();
                    if let Some(table) = &mut self.table {
                        table.in_cell = true;
                        table.row_is_head &= name == "th";
                    }
                }
            }
            _ if self.in_cell() => {
                let separates = BREAKS.contains(&name)
                    || matches!(name, "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                if separates && !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
            }
            _ => self.block_tag(name, closing),
        }
    }

    fn end_list(&mut self) {
        self.flush();
        if let Some((ordered, items)) = self.list.take()
            && !items.is_empty()
        {
            self.blocks.push(Block::List { ordered, items });
        }
    }

    fn block_tag(&mut self, name: &str, closing: bool) {
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.heading = !closing;
            }
            "ul" | "ol" if !closing => {
                // Nested lists join the outer one.
                self.flush();
                if self.list.is_none() {
                    self.list = Some((name == "ol", Vec::new()));
                }
            }
            "ul" | "ol" => self.end_list(),
            "li" => self.flush(),
            _ if BREAKS.contains(&name) => self.flush(),
            _ => {}
        }
    }
}

/// The blocks of an HTML body, sanitised.
pub fn html_to_blocks(html: &str) -> Vec<Block> {
    use ego_tree::iter::Edge;
    use scraper::Node;
    let document = scraper::Html::parse_document(html);
    let mut out = Builder::default();
    // Inside a dropped element, how deep: nothing in it is read.
    let mut dropped = 0usize;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if dropped > 0 || DROPPED.contains(&name) {
                        dropped += 1;
                    } else {
                        out.tag(name, false, element.attr("href"));
                    }
                }
                Node::Text(text) if dropped == 0 => out.push_text(text),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    if dropped > 0 {
                        dropped -= 1;
                    } else {
                        out.tag(element.name(), true, None);
                    }
                }
            }
        }
    }
    if out.table.is_some() {
        out.tag("table", true, None);
    }
    out.end_list();
    out.flush();
    out.blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .flat_map(|b| match b {
                Block::Heading { text } => vec![format!("# {text}")],
                Block::Paragraph { text, .. } => vec![text.clone()],
                Block::List { ordered, items } => items
                    .iter()
                    .map(|i| format!("{} {i}", if *ordered { "1." } else { "-" }))
                    .collect(),
                Block::Table { head, rows } => std::iter::once(head)
                    .filter(|h| !h.is_empty())
                    .chain(rows)
                    .map(|row| row.join(" "))
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn structure_becomes_headings_paragraphs_and_lists() {
        let blocks = html_to_blocks(
            "<h2>第一条 目的</h2><p>为了规范&nbsp;管理，<b>制定</b>本办法。</p>\
             <ol><li>一</li><li>二 <a href=\"/x\">链接</a></li></ol><p>完</p>",
        );
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    text: "第一条 目的".into()
                },
                Block::paragraph("为了规范 管理，制定本办法。"),
                Block::List {
                    ordered: true,
                    items: vec!["一".into(), "二 链接".into()]
                },
                Block::paragraph("完"),
            ]
        );
    }

    #[test]
    fn tables_keep_their_rows_and_a_header_row_of_th_cells() {
        let blocks = html_to_blocks(
            "<p>办理时限如下：</p><table><caption>时限表</caption>\
             <thead><tr><th>事项</th><th>时限</th></tr></thead>\
             <tbody><tr><td>咨询</td><td><p>5个</p><p>工作日</p></td></tr>\
             <tr><td>投诉<script>alert(1)</script></td><td onclick=x>10个工作日</td></tr></tbody></table><p>完</p>",
        );
        assert_eq!(
            blocks,
            vec![
                Block::paragraph("办理时限如下："),
                Block::paragraph("时限表"),
                Block::Table {
                    head: vec!["事项".into(), "时限".into()],
                    rows: vec![
                        vec!["咨询".into(), "5个 工作日".into()],
                        vec!["投诉".into(), "10个工作日".into()],
                    ],
                },
                Block::paragraph("完"),
            ]
        );
        // An unclosed table still ends as a table.
        assert!(matches!(
            html_to_blocks("<table><tr><td>甲").as_slice(),
            [Block::Table { rows, .. }] if rows == &vec![vec!["甲".to_owned()]]
        ));
    }

    /// Every named character reference HTML knows, as editors paste them; a reference that
    /// is not one stays as written.
    #[test]
    fn named_character_references_are_the_characters_they_name() {
        let table = [
            ("<p>&ldquo;通知&rdquo;</p>", "“通知”"),
            ("<p>2023&mdash;2025年</p>", "2023—2025年"),
            ("<p>等等&hellip;</p>", "等等…"),
            ("<p>&lsquo;a&rsquo; &middot; b &times; c</p>", "‘a’ · b × c"),
            ("<p>&emsp;&emsp;第一条</p>", "第一条"),
            ("<p>甲&ensp;乙&thinsp;丙</p>", "甲 乙 丙"),
            ("<p>&copy; 2026 &yen;100 &deg;C</p>", "© 2026 ¥100 °C"),
            ("<p>&#20320;&#x597D; &#X4E16;</p>", "你好 世"),
            ("<p>&zzz; &amp</p>", "&zzz; &"),
        ];
        for (html, text) in table {
            assert_eq!(text_of(&html_to_blocks(html)), [text], "{html}");
        }
    }

    /// End tags that HTML lets an editor leave out are where a browser puts them.
    #[test]
    fn implied_end_tags_close_where_a_browser_closes_them() {
        let table: [(&str, &[&str]); 6] = [
            ("<p>第一段<p>第二段", &["第一段", "第二段"]),
            (
                "<ul><li>一<li>二<li>三</ul><p>完",
                &["- 一", "- 二", "- 三", "完"],
            ),
            ("<p>段落<ul><li>项</ul>", &["段落", "- 项"]),
            (
                "<table><tr><th>事项<th>时限<tr><td>咨询<td>5日</table>",
                &["事项 时限", "咨询 5日"],
            ),
            ("<dl><dt>术语<dd>释义</dl>", &["术语", "释义"]),
            ("<p>加<b>粗<i>斜</b>体</i>字</p>", &["加粗斜体字"]),
        ];
        for (html, texts) in table {
            assert_eq!(text_of(&html_to_blocks(html)), texts, "{html}");
        }
    }

    #[test]
    fn an_ampersand_before_chinese_text_is_text() {
        assert_eq!(
            text_of(&html_to_blocks(
                "<p>R&D中心建设</p><p>A&B 公司&amp;单位</p>"
            )),
            ["R&D中心建设", "A&B 公司&单位"]
        );
        let blocks = html_to_blocks("<p><a href=\"/x?a=1&中文字符\">链接</a></p>");
        assert!(
            matches!(&blocks[..], [Block::Paragraph { links, .. }] if links[0].href == "/x?a=1&中文字符")
        );
    }

    #[test]
    fn paragraphs_keep_links_to_safe_addresses_only() {
        let blocks = html_to_blocks(
            "<p>详见<a href=\"https://www.chengdu.gov.cn/zwgk\" onclick=\"x()\">市政府网站</a>和\
             <a href='/documents/12'>第12号文件</a>，不要点<a href=\"javascript:alert(1)\">这里</a>\
             或<a href=data:text/html,x>那里</a>。</p>",
        );
        let [Block::Paragraph { text, links }] = blocks.as_slice() else {
            panic!("one paragraph: {blocks:?}");
        };
        assert_eq!(text, "详见市政府网站和第12号文件，不要点这里或那里。");
        let linked: Vec<(String, &str)> = links
            .iter()
            .map(|l| {
                let t: String = text
                    .chars()
                    .skip(l.start as usize)
                    .take((l.end - l.start) as usize)
                    .collect();
                (t, l.href.as_str())
            })
            .collect();
        assert_eq!(
            linked,
            vec![
                ("市政府网站".to_owned(), "https://www.chengdu.gov.cn/zwgk"),
                ("第12号文件".to_owned(), "/documents/12"),
            ]
        );
        // In a heading or a list the link's text stays, the link does not.
        let json = serde_json::to_string(&html_to_blocks(
            "<h2><a href=\"https://a.example\">标题</a></h2><ul><li><a href=\"https://b.example\">项</a></li></ul>",
        ))
        .unwrap();
        assert!(!json.contains("example"), "{json}");
    }

    /// Hostile bodies: whatever comes in, only plain text comes out, and executable parts,
    /// attributes, styles, frames and remote resources are gone.
    #[test]
    fn hostile_bodies_come_back_as_plain_text() {
        let cases: &[(&str, &[&str])] = &[
            ("<script>alert(1)</script>safe", &["safe"]),
            ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>safe", &["safe"]),
            (
                "<script>document.write('<p>x</p>')</script><p>ok</p>",
                &["ok"],
            ),
            ("<p onclick=\"alert(1)\">hi</p>", &["hi"]),
            ("<img src=x onerror=alert(1)>photo", &["photo"]),
            ("<img src=\"https://evil.example/track.gif\">", &[]),
            ("<a href=\"javascript:alert(1)\">click</a>", &["click"]),
            ("<a href='jav&#x09;ascript:alert(1)'>x</a>", &["x"]),
            (
                "<iframe src=\"https://evil.example\"></iframe>after",
                &["after"],
            ),
            ("<iframe srcdoc=\"<script>alert(1)</script>\">", &[]),
            (
                "<style>body{background:url(https://evil.example/x)}</style>text",
                &["text"],
            ),
            (
                "<div style=\"background:url(javascript:alert(1))\">styled</div>",
                &["styled"],
            ),
            ("<svg onload=alert(1)><circle/></svg>svg", &["svg"]),
            (
                "<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>",
                &[],
            ),
            (
                "<object data=\"https://evil.example/x.swf\"></object>o",
                &["o"],
            ),
            ("<embed src=\"https://evil.example/x.swf\">e", &["e"]),
            (
                "<form action=\"javascript:alert(1)\"><button>go</button></form>",
                &["go"],
            ),
            ("<input onfocus=alert(1) autofocus>", &[]),
            ("<body onload=alert(1)>b</body>", &["b"]),
            (
                "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
                &[],
            ),
            (
                "<link rel=stylesheet href=\"https://evil.example/x.css\">l",
                &["l"],
            ),
            ("<base href=\"https://evil.example/\">base", &["base"]),
            ("<video><source onerror=\"alert(1)\"></video>v", &["v"]),
            ("<noscript><img src=x onerror=alert(1)></noscript>n", &["n"]),
            ("<template><script>alert(1)</script></template>t", &["t"]),
            ("<!--<script>alert(1)</script>-->c", &["c"]),
            // Read as a browser reads it: a tag with an odd attribute name, a script (gone),
            // and the text `">`.
            ("<img \"\"\"><script>alert(1)</script>\">", &["\">"]),
            ("<p title=\"a>b\" onclick='x>y'>quoted</p>", &["quoted"]),
            (
                "&lt;script&gt;alert(1)&lt;/script&gt;",
                &["<script>alert(1)</script>"],
            ),
            // A broken tag swallows the next one; what is left is text.
            (
                "<scr<script>x</script>ipt>alert(1)</script>",
                &["xipt>alert(1)"],
            ),
            ("<script>never closed", &[]),
            (
                "<table><tr><td>甲</td><td>乙</td></tr><tr><td>丙</td></tr></table>",
                &["甲 乙", "丙"],
            ),
            (
                "a < b &amp;&amp; c > d &bogus; &#0; &#x4F60;",
                // A reference to U+0000 is the replacement character, as in a browser.
                &["a < b && c > d &bogus; \u{FFFD} 你"],
            ),
        ];
        assert!(cases.len() >= 30);
        for (html, expected) in cases {
            let blocks = html_to_blocks(html);
            assert_eq!(text_of(&blocks), expected.to_vec(), "{html}");
            // Only plain text was kept: the JSON holds no attribute or tag of the input.
            let json = serde_json::to_string(&blocks).unwrap();
            for needle in [
                "onerror",
                "onclick",
                "onload",
                "src=",
                "href=",
                "style=",
                "javascript",
                "evil.example",
            ] {
                assert!(!json.contains(needle), "{html} kept {needle}");
            }
        }
    }
}
