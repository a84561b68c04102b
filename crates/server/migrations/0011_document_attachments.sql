-- Files that come with a document (附件): PDF, DOCX, XLSX or CSV, checked by their bytes on
-- the way in (src/import.rs) and always served as downloads. Kept in the database, so a
-- document and its files are stored, backed up and removed together.
CREATE TABLE document_attachments (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    content     BLOB NOT NULL,
    PRIMARY KEY (document_id, position)
) STRICT;
