//! Full-text search that works for Chinese and English alike.
//!
//! Chinese has no spaces and most queries are two characters (噪音, 停车, 医保), which a
//! word tokenizer cannot find inside 夜间施工噪音扰民. So text is indexed as overlapping
//! character bigrams for Han (and kana/hangul) runs, plus lower-cased words for everything
//! else; a query is cut the same way and all its terms must match. Any query of two or more
//! CJK characters therefore finds every text that contains it.
//!
//! The index is an SQLite FTS5 table over these pre-cut terms (FTS5's own `unicode61`
//! tokenizer then only splits on the spaces we put in). The same terms fit PostgreSQL as a
//! `tsvector` in the `simple` configuration with a GIN index, so the approach carries over.

/// Whether `c` is written without spaces between words (CJK ideographs, kana, hangul).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The search terms of `text`: CJK bigrams (a lone CJK character stands as itself) and
/// lower-cased alphanumeric words, separated by spaces.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => out.push(run[0].to_string()),
            _ => out.extend(run.windows(2).map(|w| w.iter().collect::<String>())),
        }
        run.clear();
    };
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(std::mem::take(word));
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.extend(c.to_lowercase());
        } else {
            flush_run(&mut run, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_run(&mut run, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// The text stored in the index for `text`.
pub fn index_text(parts: &[&str]) -> String {
    parts
        .iter()
        .flat_map(|p| terms(p))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The FTS5 MATCH expression for a query: every term, quoted, all required; `None` when
/// the query has no term (only punctuation).
pub fn match_expression(query: &str) -> Option<String> {
    let mut unique: Vec<String> = Vec::new();
    for term in terms(query) {
        if !unique.contains(&term) {
            unique.push(term);
        }
    }
    (!unique.is_empty()).then(|| {
        unique
            .iter()
            .map(|t| format!("\"{}\"", t.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// The FTS5 MATCH expression for "shares words with": any term may match (ranking then
/// prefers text sharing more and rarer terms); `None` when the text has no term.
pub fn any_expression(text: &str) -> Option<String> {
    match_expression(text).map(|all| all.replace("\" \"", "\" OR \""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_expression_joins_the_terms_with_or() {
        assert_eq!(
            any_expression("夜间噪音").as_deref(),
            Some("\"夜间\" OR \"间噪\" OR \"噪音\"")
        );
        assert_eq!(any_expression("噪音").as_deref(), Some("\"噪音\""));
        assert_eq!(any_expression("!!"), None);
    }

    #[test]
    fn chinese_is_cut_into_bigrams_and_english_into_words() {
        assert_eq!(terms("夜间噪音"), ["夜间", "间噪", "噪音"]);
        assert_eq!(terms("噪音"), ["噪音"]);
        assert_eq!(terms("路"), ["路"]);
        assert_eq!(
            terms("Noise at 11pm, 武侯区!"),
            ["noise", "at", "11pm", "武侯", "侯区"]
        );
        assert_eq!(terms("  ...  "), Vec::<String>::new());
    }

    #[test]
    fn a_query_finds_text_whose_terms_contain_all_of_its_terms() {
        let indexed = index_text(&["夜间施工噪音扰民", "Construction NOISE after midnight"]);
        let has = |q: &str| {
            let index: Vec<&str> = indexed.split(' ').collect();
            terms(q).iter().all(|t| index.contains(&t.as_str()))
        };
        for query in ["噪音", "施工噪音", "夜间施工", "noise", "Midnight noise"] {
            assert!(has(query), "{query}");
        }
        for query in ["停车", "噪声", "parking"] {
            assert!(!has(query), "{query}");
        }
    }

    #[test]
    fn match_expressions_quote_every_term_once() {
        assert_eq!(match_expression("噪音 噪音").as_deref(), Some("\"噪音\""));
        assert_eq!(
            match_expression("停车 parking").as_deref(),
            Some("\"停车\" \"parking\"")
        );
        assert_eq!(
            match_expression("\"OR\" NEAR"),
            Some("\"or\" \"near\"".to_owned())
        );
        assert_eq!(match_expression("?!"), None);
    }
}
