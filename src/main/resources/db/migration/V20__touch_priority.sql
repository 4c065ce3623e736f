-- Some touches must not wait behind a backlog: a WeCom welcome message (its welcome code expires
-- within seconds of the add) and transactional messages. The claim takes the highest priority
-- first, then the most overdue.
ALTER TABLE touches ADD COLUMN priority smallint NOT NULL DEFAULT 0;
UPDATE touches SET priority = 1 WHERE kind = 'transactional';
UPDATE touches SET priority = 2 WHERE payload ? 'welcome_code';
DROP INDEX touches_due_idx;
CREATE INDEX touches_due_idx ON touches (priority DESC, next_attempt_at) WHERE status = 'queued';
