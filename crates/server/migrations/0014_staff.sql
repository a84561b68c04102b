-- Staff accounts: the 12345 centre's dispatchers and the departments' staff. A token is
-- shown once when the account is made; only its SHA-256 is kept. Accounts are revoked, never
-- deleted, so a name in the audit trail always names one account. `bootstrap` is the
-- dispatcher whose token is the server's `--staff-token` (kept out of the database).
CREATE TABLE staff (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL,
    department TEXT REFERENCES departments (code),
    token_hash TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
INSERT INTO staff (name, role, created_at) VALUES ('bootstrap', 'dispatcher', 0);

-- The audit trail: which staff action a move was, and which account made it (its name; the
-- resident's and the system's moves have neither). The public timeline never shows them.
ALTER TABLE case_events ADD COLUMN action TEXT;
ALTER TABLE case_events ADD COLUMN actor TEXT;
