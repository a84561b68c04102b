-- "Owes a reply" is one set of statuses (api::CaseStatus::awaits_reply): a case still
-- waiting for acceptance owes its reply by its deadline as much as an accepted one. The
-- "overdue now" index and every query that uses it list the same statuses
-- (storage::rows::owing_statuses; a test holds this file to it).
DROP INDEX cases_open_deadline;
CREATE INDEX cases_open_deadline ON cases (deadline, submitted_at)
    WHERE status IN ('submitted', 'accepted', 'assigned', 'in_progress');
