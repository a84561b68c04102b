-- The index of 0009 under the name both stores use.
ALTER INDEX cases_owing_deadline RENAME TO cases_open_deadline;
