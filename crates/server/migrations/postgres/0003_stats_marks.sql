-- A dirty mark per change instead of one per day. With one row per day, a change whose day
-- was already marked added nothing; a refresher could then take the mark and recount the day
-- before that change committed, and the change was never counted. Now every change appends
-- a mark of its own (no conflict, no lock), and a refresher takes only the marks it can see,
-- the committed ones: the mark of a change still in flight survives the taking, and the day
-- is counted again once that change commits.
ALTER TABLE stats_dirty DROP CONSTRAINT stats_dirty_pkey;
CREATE INDEX stats_dirty_day ON stats_dirty (day);

CREATE OR REPLACE FUNCTION stats_case_filed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_dirty (day) VALUES (civic_cst_day(NEW.submitted_at));
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_dirty (day) VALUES (civic_cst_day(NEW.submitted_at));
    IF civic_cst_day(OLD.submitted_at) <> civic_cst_day(NEW.submitted_at) THEN
        INSERT INTO stats_dirty (day) VALUES (civic_cst_day(OLD.submitted_at));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_case_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_dirty (day) VALUES (civic_cst_day(OLD.submitted_at));
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_case_rated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_dirty (day) SELECT civic_cst_day(submitted_at) FROM cases WHERE id = NEW.case_id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_case_followed_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_dirty (day) SELECT civic_cst_day(submitted_at) FROM cases WHERE id = NEW.case_id;
    RETURN NULL;
END
$$;
