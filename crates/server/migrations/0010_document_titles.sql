-- Search puts a document whose title is exactly the query first: found by this index instead
-- of comparing the title of every match.
CREATE INDEX documents_title ON documents (title, id);
