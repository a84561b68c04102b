//! Bodies arrive as HTML (from an editor or another system) and are stored as the contract's
//! restricted blocks: headings, paragraphs and lists of plain text. Nothing else survives: no
//! tag, attribute, style, script, frame, form or image, so whatever was sent, nothing stored
//! can run script or load a resource; and the app renders blocks as text, never as HTML.
//!
//! The reading is deliberately simple (a tokenizer, not a browser's tree builder): what it
//! cannot place becomes text or is dropped, and text is only ever text.

use api::Block;

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

    /// Ends the current run of text: an item in a list, else a heading or a paragraph.
    fn flush(&mut self) {
        let text = self.text.trim().to_owned();
        self.text.clear();
        if text.is_empty() {
            return;
        }
        if let Some((_, items)) = &mut self.list {
            items.push(text);
        } else if self.heading {
            self.blocks.push(Block::Heading { text });
        } else {
            self.blocks.push(Block::Paragraph { text });
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

    fn tag(&mut self, name: &str, closing: bool) {
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
            "td" | "th" if closing => self.text.push(' '),
            _ if BREAKS.contains(&name) => self.flush(),
            _ => {}
        }
    }
}

/// The blocks of an HTML body, sanitised.
pub fn html_to_blocks(html: &str) -> Vec<Block> {
    let mut out = Builder::default();
    let lower = html.to_ascii_lowercase();
    let bytes = html.as_bytes();
    let mut at = 0;
    let mut text_start = 0;
    while at < bytes.len() {
        if bytes[at] != b'<' {
            at += 1;
            continue;
        }
        out.push_text(&decode_entities(&html[text_start..at]));
        let rest = &lower[at..];
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map_or(bytes.len(), |e| at + e + 3)
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            rest.find('>').map_or(bytes.len(), |e| at + e + 1)
        } else {
            let closing = rest.starts_with("</");
            let name_start = at + if closing { 2 } else { 1 };
            let name_len = lower[name_start..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if name_len == 0 {
                // A lone `<` (as in `a < b`) is text.
                out.push_text("<");
                at += 1;
                text_start = at;
                continue;
            }
            let name = &lower[name_start..name_start + name_len];
            let after = tag_end(bytes, name_start + name_len);
            if !closing && DROPPED.contains(&name) {
                // Skip to the matching end tag, or drop the rest when there is none.
                let close = format!("</{name}");
                match lower[after..].find(&close) {
                    Some(c) => tag_end(bytes, after + c + close.len()),
                    None => bytes.len(),
                }
            } else {
                out.tag(name, closing);
                after
            }
        };
        at = end;
        text_start = end;
    }
    out.push_text(&decode_entities(&html[text_start.min(html.len())..]));
    out.end_list();
    out.flush();
    out.blocks
}

/// Where a tag that began before `from` ends: after its `>`, skipping quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut at = from;
    while at < bytes.len() {
        let b = bytes[at];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return at + 1,
            None => {}
        }
        at += 1;
    }
    bytes.len()
}

/// Decodes the character references people use (`&amp;`, `&nbsp;`, `&#20320;`, `&#x4F60;`);
/// anything else stays as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32)
                .filter(|c| *c != '\0'),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .flat_map(|b| match b {
                Block::Heading { text } => vec![format!("# {text}")],
                Block::Paragraph { text } => vec![text.clone()],
                Block::List { ordered, items } => items
                    .iter()
                    .map(|i| format!("{} {i}", if *ordered { "1." } else { "-" }))
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
                Block::Paragraph {
                    text: "为了规范 管理，制定本办法。".into()
                },
                Block::List {
                    ordered: true,
                    items: vec!["一".into(), "二 链接".into()]
                },
                Block::Paragraph { text: "完".into() },
            ]
        );
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
            // Quotes are read as a browser would not; the whole rest is one tag, and gone.
            ("<img \"\"\"><script>alert(1)</script>\">", &[]),
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
                &["a < b && c > d &bogus; &#0; 你"],
            ),
        ];
        assert!(cases.len() >= 30);
        for (html, expected) in cases {
            let blocks = html_to_blocks(html);
            assert_eq!(text_of(&blocks), expected.to_vec(), "{html}");
            // Only plain text was kept: the JSON holds no attribute or tag of the input.
            let json = serde_json::to_string(&blocks).unwrap();
            for needle in ["onerror", "onclick", "onload", "src=", "href=", "style="] {
                assert!(!json.contains(needle), "{html} kept {needle}");
            }
        }
    }
}
