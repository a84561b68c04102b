-- Photos uploaded before filing. The file lives under `<data dir>/uploads/<id>.jpg`;
-- `case_id` is set when a case claims it. Unclaimed uploads expire after a day.
CREATE TABLE uploads (
    id         TEXT PRIMARY KEY,
    case_id    INTEGER REFERENCES cases (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    bytes      INTEGER NOT NULL
) STRICT;
CREATE INDEX uploads_unclaimed ON uploads (created_at) WHERE case_id IS NULL;
