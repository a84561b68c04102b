-- Full-text search over cases (title, description, place), on pre-cut terms: CJK bigrams and
-- lower-cased words (see src/search.rs). Contentless: the row id is the case's id.
CREATE VIRTUAL TABLE cases_search USING fts5(terms, content = '', tokenize = 'unicode61 remove_diacritics 0');
