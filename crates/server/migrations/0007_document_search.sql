-- Full-text search over documents and announcements, on pre-cut terms (CJK bigrams and
-- lower-cased words, see src/search.rs), with the title and the body as separate columns so
-- that ranking can weigh the title more. Contentless: the row id is the item's id. Rows that
-- existed before this migration are indexed when the store opens.
CREATE VIRTUAL TABLE documents_search USING fts5(title, body, content = '', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE announcements_search USING fts5(title, body, content = '', tokenize = 'unicode61 remove_diacritics 0');
