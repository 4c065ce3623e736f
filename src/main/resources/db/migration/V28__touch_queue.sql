-- The dispatcher's queue moves out of `touches` into a table of its own. A touch changes status
-- two or three times within seconds (queued → sending → sent); while `status` was part of
-- `touches`' indexes (the due and lease indexes were partial on it, the journey index held it),
-- each change wrote a new entry into every index of the table. Now no index of `touches` names a
-- column the dispatcher changes, so its updates are HOT (heap-only, no index writes), and the
-- small queue table carries the order of sending and the lease.
CREATE TABLE touch_queue (
  touch_id bigint PRIMARY KEY REFERENCES touches(id) ON DELETE CASCADE,
  priority smallint NOT NULL DEFAULT 0,
  -- when the touch may be claimed; a claim moves it to the end of its lease, so a touch whose
  -- sender died without recording a result is due again then, and the next claim takes it
  due_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX touch_queue_due_idx ON touch_queue (priority DESC, due_at);
ALTER TABLE touch_queue SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
  autovacuum_vacuum_cost_delay = 0);

-- a touch being sent when the server stopped is due at once: no instance is sending it now
INSERT INTO touch_queue (touch_id, priority, due_at)
  SELECT id, priority, CASE WHEN status = 'sending' THEN updated_at ELSE next_attempt_at END
    FROM touches WHERE status IN ('queued', 'sending');

DROP INDEX touches_due_idx;
DROP INDEX touches_sending_idx;
DROP INDEX touches_journey_idx;
CREATE INDEX touches_journey_idx ON touches (journey_key, activity_id);
-- room in each page for the row's next versions (claim and result), so they stay heap-only
ALTER TABLE touches SET (fillfactor = 70);
