//! Full-text search that works for Chinese and English alike.
//!
//! Chinese has no spaces and most queries are two characters (噪音, 停车, 医保), which a
//! word tokenizer cannot find inside 夜间施工噪音扰民. So text is indexed as overlapping
//! character bigrams for Han (and kana/hangul) runs, plus lower-cased words for everything
//! else; a query is cut the same way and all its terms must match. Any query of two or more
//! CJK characters therefore finds every text that contains it.
//!
//! Both stores index these pre-cut terms: SQLite in FTS5 tables (whose `unicode61`
//! tokenizer then only splits on the spaces we put in), PostgreSQL as `text[]` columns with
//! GIN indexes queried with `@>`. Queries reach a store as terms ([`query_terms`]), never as
//! either one's query syntax.

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

/// The search terms of a query, each once, every one required; `None` when the query has
/// no term (only punctuation). Stores turn them into their own query syntax.
pub fn query_terms(query: &str) -> Option<Vec<String>> {
    let mut unique: Vec<String> = Vec::new();
    for term in terms(query) {
        if !unique.contains(&term) {
            unique.push(term);
        }
    }
    (!unique.is_empty()).then_some(unique)
}

/// The plain text of a structured body, one block or item a line (for indexing and
/// excerpts).
pub fn blocks_text(blocks: &[api::Block]) -> String {
    let mut text = String::new();
    for block in blocks {
        let lines: Vec<&str> = match block {
            api::Block::Heading { text } | api::Block::Paragraph { text, .. } => vec![text],
            api::Block::List { items, .. } => items.iter().map(String::as_str).collect(),
            api::Block::Table { head, rows } => head
                .iter()
                .chain(rows.iter().flatten())
                .map(String::as_str)
                .collect(),
        };
        for line in lines {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(line);
        }
    }
    text
}

/// The stretches of `text` where a term of `query` occurs, merged where they touch or overlap
/// (so 医保报销 marks as one stretch); words match whole and case-blind.
pub fn marks(text: &str, query: &str) -> Vec<api::Span> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut found: Vec<(usize, usize)> = Vec::new();
    for term in terms(query) {
        let t: Vec<char> = term.chars().collect();
        if t.is_empty() || t.len() > lower.len() {
            continue;
        }
        let word = !t.iter().any(|c| is_cjk(*c));
        for start in 0..=lower.len() - t.len() {
            let end = start + t.len();
            if lower[start..end] != t[..] {
                continue;
            }
            let alone = |at: Option<&char>| at.is_none_or(|c| !c.is_alphanumeric() || is_cjk(*c));
            if word
                && !(alone(start.checked_sub(1).and_then(|i| lower.get(i)))
                    && alone(lower.get(end)))
            {
                continue;
            }
            found.push((start, end));
        }
    }
    found.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in found {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
        .into_iter()
        .map(|(start, end)| api::Span {
            start: start as u32,
            end: end as u32,
        })
        .collect()
}

/// The title's marks and a stretch of `body` (about `EXCERPT_CHARS` characters) around its
/// first match, with that stretch's marks.
pub fn highlight(title: &str, body: &str, query: &str) -> api::Highlight {
    const EXCERPT_CHARS: usize = 80;
    let body_marks = marks(body, query);
    let chars: Vec<char> = body.chars().collect();
    let excerpt = body_marks.first().map(|first| {
        let first = first.start as usize;
        let start = first.saturating_sub(EXCERPT_CHARS / 4);
        let end = (start + EXCERPT_CHARS).min(chars.len());
        let start = end.saturating_sub(EXCERPT_CHARS).min(start);
        (start, chars[start..end].iter().collect::<String>())
    });
    let (excerpt, excerpt_marks) = match excerpt {
        Some((offset, text)) => {
            let shown = text.chars().count() as u32;
            let marks = body_marks
                .iter()
                .filter(|m| m.start as usize >= offset)
                .map(|m| api::Span {
                    start: m.start - offset as u32,
                    end: (m.end - offset as u32).min(shown),
                })
                .filter(|m| m.start < shown)
                .collect();
            (Some(text), marks)
        }
        None => (None, Vec::new()),
    };
    api::Highlight {
        title: marks(title, query),
        excerpt,
        excerpt_marks,
    }
}

/// The ids of the `limit` titles sharing the most distinct terms with `text` (at least one),
/// ties to the earlier in `titles` (the newer, as callers order them).
pub fn most_similar(text: &str, titles: &[(i64, String)], limit: usize) -> Vec<i64> {
    let wanted: std::collections::HashSet<String> = terms(text).into_iter().collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, usize, i64)> = titles
        .iter()
        .enumerate()
        .filter_map(|(at, (id, title))| {
            let shared: std::collections::HashSet<String> = terms(title)
                .into_iter()
                .filter(|t| wanted.contains(t))
                .collect();
            (!shared.is_empty()).then_some((shared.len(), at, *id))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // Three cases with one title tell a resident nothing more than one: a title already
    // offered (the same letters and digits, whatever the spaces, punctuation or case) is
    // passed over.
    let mut offered = std::collections::HashSet::new();
    scored
        .into_iter()
        .filter(|(_, at, _)| offered.insert(title_key(&titles[*at].1)))
        .take(limit)
        .map(|(_, _, id)| id)
        .collect()
}

/// A title as near-duplicates share it: its letters and digits, lower-cased.
fn title_key(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_cover_what_the_query_found() {
        let span = |start, end| api::Span { start, end };
        // Overlapping bigrams make one stretch; counted in characters, not bytes.
        assert_eq!(marks("关于医保报销的通知", "医保报销"), [span(2, 6)]);
        assert_eq!(marks("医保，医保", "医保"), [span(0, 2), span(3, 5)]);
        // Words are whole and case-blind; a word inside a longer one is not marked.
        assert_eq!(
            marks("Noise rules: noisy bars and NOISE at night", "noise"),
            [span(0, 5), span(28, 33)]
        );
        assert_eq!(
            marks("公积金 and housing", "Housing 公积金"),
            [span(0, 3), span(8, 15)]
        );
        assert!(marks("nothing here", "噪音").is_empty());
    }

    #[test]
    fn a_highlight_shows_the_body_around_its_first_match() {
        let body = format!("{}公积金提取{}", "前".repeat(100), "后".repeat(100));
        let h = highlight("住房公积金管理办法", &body, "公积金");
        assert_eq!(h.title, [api::Span { start: 2, end: 5 }]);
        let excerpt = h.excerpt.unwrap();
        assert_eq!(excerpt.chars().count(), 80);
        assert_eq!(h.excerpt_marks.len(), 1);
        let m = h.excerpt_marks[0];
        let marked: String = excerpt
            .chars()
            .skip(m.start as usize)
            .take((m.end - m.start) as usize)
            .collect();
        assert_eq!(marked, "公积金");
        let none = highlight("标题", "正文", "公积金");
        assert!(none.title.is_empty() && none.excerpt.is_none());
    }

    #[test]
    fn most_similar_counts_shared_terms_and_prefers_newer_on_ties() {
        let titles = [
            (4, "施工围挡占用人行道".to_owned()),
            (3, "共享单车乱停放".to_owned()),
            (2, "小区门口夜间施工噪音扰民".to_owned()),
            (1, "施工噪音".to_owned()),
        ];
        assert_eq!(most_similar("晚上施工噪音太大", &titles, 5), [2, 1, 4]);
        assert_eq!(most_similar("晚上施工噪音太大", &titles, 1), [2]);
        // Near-duplicate titles are offered once, the best (and newest) of them.
        let repeated: Vec<(i64, String)> = vec![
            (7, "夜间施工噪音扰民".into()),
            (6, "夜间施工噪音扰民！".into()),
            (5, "夜间 施工噪音扰民".into()),
            (4, "Night-time NOISE".into()),
            (3, "night time noise".into()),
            (2, "工地夜间噪音".into()),
        ];
        assert_eq!(
            most_similar("夜间施工噪音 night noise", &repeated, 5),
            [7, 4, 2]
        );
        assert!(most_similar("!!", &titles, 3).is_empty());
        assert!(most_similar("parking", &titles, 3).is_empty());
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
    fn a_query_keeps_each_term_once_and_no_query_syntax() {
        // (query, terms)
        let table: [(&str, Option<Vec<&str>>); 4] = [
            ("噪音 噪音", Some(vec!["噪音"])),
            ("停车 parking", Some(vec!["停车", "parking"])),
            ("\"OR\" NEAR", Some(vec!["or", "near"])),
            ("?!", None),
        ];
        for (query, expected) in table {
            let expected = expected.map(|t| t.into_iter().map(str::to_owned).collect::<Vec<_>>());
            assert_eq!(query_terms(query), expected, "{query}");
        }
    }
}
