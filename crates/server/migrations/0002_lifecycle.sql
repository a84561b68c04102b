-- A deadline may be extended once (延期): when, and why (the reason is also on the timeline).
ALTER TABLE cases ADD COLUMN extended_at INTEGER;
ALTER TABLE cases ADD COLUMN extension_reason TEXT;
