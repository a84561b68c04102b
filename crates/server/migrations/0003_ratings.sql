-- The resident's rating of the reply (满意度评价): one per case.
CREATE TABLE ratings (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    rating  TEXT NOT NULL,
    comment TEXT,
    at      INTEGER NOT NULL
) STRICT;

-- Timeline entries made by the resident: a rating, or a follow-up (追问) that reopens the case.
ALTER TABLE case_events ADD COLUMN rating TEXT;
ALTER TABLE case_events ADD COLUMN follow_up INTEGER NOT NULL DEFAULT 0;
