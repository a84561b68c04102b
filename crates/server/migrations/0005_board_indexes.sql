-- The board's other orders and filters: recently replied, and by department.
CREATE INDEX cases_board_replied ON cases (published, replied_at DESC, id DESC) WHERE replied_at IS NOT NULL;
CREATE INDEX cases_board_department ON cases (published, department, submitted_at DESC, id DESC);
