-- The first schema of Civic's embedded SQLite store.
-- Instants are Unix seconds (INTEGER); calendar days are 'YYYY-MM-DD' text in China
-- Standard Time; codes are the contract's stable codes.

-- The taxonomy. `position` keeps the order in which forms and filters offer entries.
CREATE TABLE districts (
    code     TEXT PRIMARY KEY,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    position INTEGER NOT NULL
) STRICT;

CREATE TABLE departments (
    code     TEXT PRIMARY KEY,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    position INTEGER NOT NULL
) STRICT;

CREATE TABLE categories (
    code     TEXT PRIMARY KEY,
    parent   TEXT REFERENCES categories (code),
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    position INTEGER NOT NULL
) STRICT;

-- Cases. Everything here may be shown publicly once `published` is 1, except
-- `tracking_hash`, which is never returned by any query a public endpoint uses.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    category         TEXT NOT NULL REFERENCES categories (code),
    district         TEXT NOT NULL REFERENCES districts (code),
    place            TEXT NOT NULL,
    latitude         REAL,
    longitude        REAL,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    status           TEXT NOT NULL,
    department       TEXT REFERENCES departments (code),
    published        INTEGER NOT NULL DEFAULT 0,
    submitter_mask   TEXT,
    submitted_at     INTEGER NOT NULL,
    deadline         TEXT,
    replied_at       INTEGER,
    reply_department TEXT REFERENCES departments (code),
    reply_text       TEXT,
    tracking_hash    TEXT NOT NULL
) STRICT;

-- The public board: published cases, newest first, paginated by (submitted_at, id).
CREATE INDEX cases_board ON cases (published, submitted_at DESC, id DESC);
CREATE INDEX cases_board_district ON cases (published, district, submitted_at DESC, id DESC);
CREATE INDEX cases_board_status ON cases (published, status, submitted_at DESC, id DESC);

-- Contact details live apart from the case, so that no query over `cases` can leak them.
CREATE TABLE case_contacts (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    phone   TEXT NOT NULL
) STRICT;

-- The timeline: every move of a case, with a public note.
CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    status     TEXT NOT NULL,
    department TEXT REFERENCES departments (code),
    note       TEXT
) STRICT;
CREATE INDEX case_events_case ON case_events (case_id, at, id);

-- Open government information. `body` is the contract's structured blocks as JSON.
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    number       TEXT,
    agency       TEXT NOT NULL REFERENCES departments (code),
    doc_type     TEXT NOT NULL,
    topic        TEXT NOT NULL,
    issued_on    TEXT NOT NULL,
    published_on TEXT NOT NULL,
    effective_on TEXT,
    validity     TEXT NOT NULL,
    replaced_by  INTEGER REFERENCES documents (id),
    interprets   INTEGER REFERENCES documents (id),
    language     TEXT NOT NULL,
    body         TEXT NOT NULL
) STRICT;
CREATE INDEX documents_catalogue ON documents (published_on DESC, id DESC);

CREATE TABLE announcements (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    agency       TEXT NOT NULL REFERENCES departments (code),
    published_at INTEGER NOT NULL,
    pinned       INTEGER NOT NULL DEFAULT 0,
    language     TEXT NOT NULL,
    body         TEXT NOT NULL
) STRICT;
CREATE INDEX announcements_list ON announcements (pinned DESC, published_at DESC, id DESC);

-- The last sequence number given out per filing day, so numbers are dense and
-- `20261126-10000` follows `20261126-9999` without a lexical scan.
CREATE TABLE case_sequences (
    day  TEXT PRIMARY KEY,
    last INTEGER NOT NULL
) STRICT;

-- Filing is idempotent: a retried submission with the same key returns the same case.
-- `request_hash` tells a true retry from a different case sent under a reused key.
CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    request_hash TEXT NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;

-- Secrets the server makes for itself on first start (the key that derives a retried
-- filing's tracking code from its idempotency key).
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
