-- Recounting no longer holds the filing days' dirty marks for the length of a recount (every
-- filing of the day would wait on them): a refresher moves the days it takes from
-- `stats_dirty` to `stats_claims` in one short statement, recounts them in a transaction of
-- its own, and removes its claims when that commits. A filing meanwhile marks its day dirty
-- again, so the day is counted once more. Claims left by a refresher that died are returned
-- to `stats_dirty` after a minute.
CREATE TABLE stats_claims (
    day        TEXT COLLATE "C" PRIMARY KEY,
    claimed_at BIGINT NOT NULL
);
