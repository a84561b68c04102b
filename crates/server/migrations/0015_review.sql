-- Review before publishing (审核后公开). `publication` is where a case's publication stands:
-- `private` (its resident did not agree), `awaiting_review`, `published` or `withheld`;
-- `published` stays the one column public queries read, true only once published. Cases
-- published before reviews existed count as reviewed.
--
-- A case published redacted has its public text in `title`, `description` and `place` (so
-- every public answer, feed and search reads only that) and what its resident wrote in the
-- `original_` columns, which only the owner's and the staff's views read.
ALTER TABLE cases ADD COLUMN publication TEXT NOT NULL DEFAULT 'private';
UPDATE cases SET publication = 'published' WHERE published;
ALTER TABLE cases ADD COLUMN withheld_reason TEXT;
ALTER TABLE cases ADD COLUMN original_title TEXT;
ALTER TABLE cases ADD COLUMN original_description TEXT;
ALTER TABLE cases ADD COLUMN original_place TEXT;
CREATE INDEX cases_awaiting_review ON cases (submitted_at, id) WHERE publication = 'awaiting_review';
