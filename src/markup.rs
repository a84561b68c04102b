//! Read-only markup built as text: for views that show data and never change by themselves
//! (charts, tables of figures), one `inner_html` costs a fraction of the wasm that a
//! `view!` per element type costs (each element, attribute and nesting is its own generic
//! render code in Leptos). Safety is by construction: tag and attribute names are
//! `&'static str` chosen in code, and every text and attribute value passes through
//! [`escape`], so no data can open a tag, an attribute or a script. Links in it are
//! ordinary `<a href>`s, which the router's click handler turns into app navigation.

/// Markup under construction.
#[derive(Debug, Default)]
pub struct Markup(String);

/// Appends `text` to `out` with `&`, `<`, `>`, `"` and `'` escaped, so it stays text in
/// element content and in a quoted attribute value alike.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

impl Markup {
    /// Empty markup.
    pub fn new() -> Self {
        Self::default()
    }

    fn start(&mut self, tag: &'static str, attributes: &[(&'static str, &str)]) {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attributes {
            self.0.push(' ');
            self.0.push_str(name);
            self.0.push_str("=\"");
            escape(value, &mut self.0);
            self.0.push('"');
        }
    }

    /// Opens `tag` with `attributes`.
    pub fn open(&mut self, tag: &'static str, attributes: &[(&'static str, &str)]) -> &mut Self {
        self.start(tag, attributes);
        self.0.push('>');
        self
    }

    /// Closes `tag`.
    pub fn close(&mut self, tag: &'static str) -> &mut Self {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
        self
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape(text, &mut self.0);
        self
    }

    /// `<tag attributes>text</tag>`.
    pub fn leaf(
        &mut self,
        tag: &'static str,
        attributes: &[(&'static str, &str)],
        text: &str,
    ) -> &mut Self {
        self.open(tag, attributes).text(text).close(tag)
    }

    /// An element without content: `<tag attributes/>` (SVG shapes, `<br/>`).
    pub fn empty(&mut self, tag: &'static str, attributes: &[(&'static str, &str)]) -> &mut Self {
        self.start(tag, attributes);
        self.0.push_str("/>");
        self
    }

    /// The markup.
    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attribute_values_cannot_break_out() {
        let hostile = r#""><script>alert('x')</script><img src=x onerror=alert(1)>&amp;"#;
        let mut m = Markup::new();
        m.open("a", &[("href", hostile)])
            .text(hostile)
            .close("a")
            .empty("rect", &[("width", "3")]);
        let html = m.into_string();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("\"><"), "{html}");
        assert_eq!(
            html.matches('<').count(),
            3,
            "only the three elements written: {html}"
        );
        assert!(html.starts_with("<a href=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)"));
        assert!(html.ends_with("&amp;amp;</a><rect width=\"3\"/>"));
    }

    #[test]
    fn leaves_nest_in_order() {
        let mut m = Markup::new();
        m.open("ul", &[])
            .leaf("li", &[("class", "a")], "一")
            .leaf("li", &[], "2")
            .close("ul");
        assert_eq!(
            m.into_string(),
            "<ul><li class=\"a\">一</li><li>2</li></ul>"
        );
    }
}
