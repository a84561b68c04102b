-- Telling residents and the city's systems when a case moves.
--
-- `language` is the language the resident filed in (their texts are written in it);
-- `texts` whether they asked for text messages (they can stop them).
ALTER TABLE cases ADD COLUMN language TEXT NOT NULL DEFAULT 'zh-CN';
ALTER TABLE cases ADD COLUMN texts INTEGER NOT NULL DEFAULT 0;

-- The outbox: every message about a change, written in the change's own transaction (so
-- none is lost and none is invented for a change that rolled back), sent by a delivery
-- worker. `id` travels with the message so a receiver can drop a repeat. `receiver` is
-- `sms` or `events`; `body` the JSON sent (an SMS body holds the phone number: this table
-- is as private as `case_contacts`). `state` is `pending`, `delivered` or `dead` (tries
-- used up; `civic-server outbox retry` sends them again). Times are Unix milliseconds. A
-- pending message is due at `next_at`; a worker claims it by moving `next_at` past the time a
-- send may take, so a process that dies mid-send leaves it due again a minute later.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    receiver     TEXT NOT NULL,
    topic        TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    last_error   TEXT,
    delivered_at INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox (next_at, seq) WHERE state = 'pending';
CREATE INDEX outbox_case ON outbox (case_id);
