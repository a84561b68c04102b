-- no-transaction
-- "Owes a reply" is one set of statuses (api::CaseStatus::awaits_reply): a case still
-- waiting for acceptance owes its reply by its deadline as much as an accepted one. The
-- "overdue now" index and every query that uses it list the same statuses
-- (storage::rows::owing_statuses; a test holds this file to it). Built without blocking
-- the processes still serving (CONCURRENTLY, outside a transaction, one statement per
-- migration); the old index goes next, and the new one takes its name after that.
CREATE INDEX CONCURRENTLY IF NOT EXISTS cases_owing_deadline ON cases (deadline, submitted_at)
    WHERE status IN ('submitted', 'accepted', 'assigned', 'in_progress');
