-- no-transaction
-- The index "overdue now" used before 0009 (without the submitted cases).
DROP INDEX CONCURRENTLY IF EXISTS cases_open_deadline;
