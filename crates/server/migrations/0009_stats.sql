-- Performance statistics (issue 7), kept as counts so that a request sums a few thousand rows
-- instead of reading a million cases. Every row is derived from `cases` by one definition
-- (src/stats.rs and SqliteStore::refresh_stats); nothing here is edited by hand.
--
-- `grain` is 'day' or 'month' and `bucket` the filing day ('YYYY-MM-DD', China Standard Time)
-- or month ('YYYY-MM'), so that a period is a few primary-key range scans;
-- `department` is the one that replied, else the one holding the case, else ''.
CREATE TABLE stats_counts (
    grain           TEXT NOT NULL,
    bucket          TEXT NOT NULL,
    district        TEXT NOT NULL,
    department      TEXT NOT NULL,
    received        INTEGER NOT NULL,
    accepted        INTEGER NOT NULL,
    replied         INTEGER NOT NULL,
    closed          INTEGER NOT NULL,
    on_time         INTEGER NOT NULL,
    rated           INTEGER NOT NULL,
    satisfied       INTEGER NOT NULL,
    reopened        INTEGER NOT NULL,
    reply_days_sum  INTEGER NOT NULL,
    PRIMARY KEY (grain, bucket, district, department)
) STRICT, WITHOUT ROWID;

-- How many replies took each number of working days, for the median.
CREATE TABLE stats_reply_days (
    grain    TEXT NOT NULL,
    bucket   TEXT NOT NULL,
    district TEXT NOT NULL,
    days     INTEGER NOT NULL,
    replies  INTEGER NOT NULL,
    PRIMARY KEY (grain, bucket, district, days)
) STRICT, WITHOUT ROWID;

-- Cases received per filing day, district and category, for the rising categories.
CREATE TABLE stats_categories (
    day      TEXT NOT NULL,
    district TEXT NOT NULL,
    category TEXT NOT NULL,
    received INTEGER NOT NULL,
    PRIMARY KEY (day, district, category)
) STRICT, WITHOUT ROWID;

-- Whether the reply met the deadline that applied when it was given (a follow-up later
-- sets a new deadline, so this cannot be worked out afterwards).
ALTER TABLE cases ADD COLUMN replied_on_time INTEGER;
UPDATE cases SET replied_on_time = (deadline IS NULL OR date(replied_at, 'unixepoch', '+8 hours') <= deadline)
    WHERE replied_at IS NOT NULL;

-- Filing days whose counts are out of date. Triggers mark a day whenever one of its cases
-- is filed, moves, is rated or reopened; SqliteStore::refresh_stats recounts those days.
CREATE TABLE stats_dirty (day TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;

CREATE TRIGGER stats_case_filed AFTER INSERT ON cases BEGIN
    INSERT OR IGNORE INTO stats_dirty (day) VALUES (date(NEW.submitted_at, 'unixepoch', '+8 hours'));
END;
CREATE TRIGGER stats_case_changed AFTER UPDATE ON cases BEGIN
    INSERT OR IGNORE INTO stats_dirty (day) VALUES (date(NEW.submitted_at, 'unixepoch', '+8 hours'));
    INSERT OR IGNORE INTO stats_dirty (day) VALUES (date(OLD.submitted_at, 'unixepoch', '+8 hours'));
END;
CREATE TRIGGER stats_case_removed AFTER DELETE ON cases BEGIN
    INSERT OR IGNORE INTO stats_dirty (day) VALUES (date(OLD.submitted_at, 'unixepoch', '+8 hours'));
END;
CREATE TRIGGER stats_case_rated AFTER INSERT ON ratings BEGIN
    INSERT OR IGNORE INTO stats_dirty (day)
        SELECT date(submitted_at, 'unixepoch', '+8 hours') FROM cases WHERE id = NEW.case_id;
END;
CREATE TRIGGER stats_case_followed_up AFTER INSERT ON case_events WHEN NEW.follow_up = 1 BEGIN
    INSERT OR IGNORE INTO stats_dirty (day)
        SELECT date(submitted_at, 'unixepoch', '+8 hours') FROM cases WHERE id = NEW.case_id;
END;

-- Cases already stored are counted on the first refresh.
INSERT OR IGNORE INTO stats_dirty (day)
    SELECT DISTINCT date(submitted_at, 'unixepoch', '+8 hours') FROM cases;

-- "Overdue now": accepted, unreplied cases by deadline.
CREATE INDEX cases_open_deadline ON cases (deadline, submitted_at)
    WHERE status IN ('accepted', 'assigned', 'in_progress');
-- Titles of the last sixty days, for the rising words.
CREATE INDEX cases_filed ON cases (submitted_at);
