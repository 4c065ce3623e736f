-- A claim writes to the queue alone. Until now it wrote three rows per touch before the send: a
-- new version of the queue place (its due time moved to the end of the lease, so a new entry in
-- both of the queue's indexes), a new version of the whole touch (status 'sending', one more
-- attempt; the payload copied with it) and a 'sending' history row. It now writes one small,
-- heap-only version of the queue place: the attempt count, when it was claimed and until when.
-- No indexed column changes, so no index entry is written; the claim's scan passes over the few
-- places under a live lease instead.
--
-- `touches` keeps what has happened (queued until a result is recorded, then sent, queued again,
-- dead…, with the attempts that were recorded); the queue place says what is happening now. The
-- 'sending' history row of an attempt is written with its result, at the time of its claim.
ALTER TABLE touch_queue
  -- attempts started, the one under way included (touches.attempts counts the recorded ones)
  ADD COLUMN attempts integer NOT NULL DEFAULT 0,
  -- when the attempt under way was claimed (its 'sending' history row is written with its result)
  ADD COLUMN claimed_at timestamptz,
  -- until when that claim holds the touch; after it another claim may take it
  ADD COLUMN leased_until timestamptz;

-- touches being sent now: leased until the due time their claim set (the end of its lease); their
-- claim wrote its 'sending' history row already, so it is not known here (claimed_at stays null)
UPDATE touch_queue q SET attempts = t.attempts,
    leased_until = CASE WHEN t.status = 'sending' THEN q.due_at END
  FROM touches t WHERE t.id = q.touch_id;
UPDATE touches SET attempts = attempts - 1, status = 'queued' WHERE status = 'sending';

-- the queue place's next versions stay in its page (heap-only) when there is room
ALTER TABLE touch_queue SET (fillfactor = 70);
