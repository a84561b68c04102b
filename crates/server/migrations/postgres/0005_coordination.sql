-- What several server processes share beyond the cases.
--
-- A use of a per-client limit (filings): every process counts the same uses. `client` is a
-- keyed hash of the address (its /64 for IPv6), never the address. Rows older than the
-- window are deleted by the next use of that client and by housekeeping. Unlogged: a crash
-- of the database forgets recent uses, which only lets a client file a few more.
CREATE UNLOGGED TABLE limit_uses (
    id      BIGSERIAL PRIMARY KEY,
    scope   TEXT NOT NULL,
    client  TEXT NOT NULL,
    used_at BIGINT NOT NULL
);
CREATE INDEX limit_uses_client ON limit_uses (scope, client, used_at);
CREATE INDEX limit_uses_used_at ON limit_uses (used_at);

-- Who runs a periodic task until when (housekeeping): taken only when free or expired, so
-- one process runs it, and a process that dies holding it holds it only until `until`.
CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  BIGINT NOT NULL
);
