-- The photo itself, beside its row: every server process on the database sees it, a backup
-- of the database holds it, and a case and its photos are deleted together. Rows from before
-- this migration have their file under `<data dir>/uploads/<id>.jpg` until the server, when
-- it starts, moves the file in (`photos::adopt_files`).
ALTER TABLE uploads ADD COLUMN jpeg BLOB;
-- Found at start-up in an instant, however many photos there are.
CREATE INDEX uploads_without_jpeg ON uploads (id) WHERE jpeg IS NULL;
